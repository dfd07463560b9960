#!/usr/bin/env bats
# portal-web: what a guardian does beyond reading, driven with curl against a
# server on a free port of 127.0.0.1: the extracts and «Ознакомлен(а)», the
# access log, withdrawing consent, reporting a leaked password. The school is
# web-helpers.bash's, with extracts made by the admin first.

load helpers
load web-helpers

setup_file() {
	web_school || return 1
	# S00003's mother consents and has an address: an e-mail extract for her; S00002's family gets paper
	(
		cd "$BATS_FILE_TMPDIR/school" || exit 1
		portal-consent -q record --guardian P00003 --student S00003 --decision given --signed-on 2026-11-02 || exit 1
		portal-extract -q --student S00003 --student S00002 --period "1 четверть" -o x/ >manifest.csv || exit 1
		checkpoint
	)
}

setup() {
	web_setup
}

teardown() {
	web_teardown
}

# code STUDENT: the code of the student's extract in the manifest
code() {
	awk -F, -v s="$1" '$2 == s { print $5; exit }' "$BATS_FILE_TMPDIR/school/manifest.csv"
}

@test "a guardian's extracts: listed, the PDF as the paper one, «Ознакомлен(а)» once, by the web" {
	serve
	fresh_login guardian P00003
	c=$(code S00003)
	[ -n "$c" ]
	get /student/S00003/extracts
	[ "$status_code" = 200 ]
	[[ $(cat page.html) == *"1 четверть"* ]]
	[[ $(cat page.html) == *"по электронной почте"* ]]
	[[ $(cat page.html) == *"Ознакомлен(а)</button>"* ]]
	curl -s -D pdf.h -o x.pdf -b "$JAR" "$URL/student/S00003/extracts/$c.pdf"
	grep -qi '^Content-Type: application/pdf' pdf.h
	pdftotext x.pdf x.txt
	grep -q "Иванова" x.txt
	grep -q "${c:0:5}-${c:5:5}" x.txt
	run portal-ack pending --all
	[[ $output == *",S00003,P00003,"* ]]
	get /student/S00003/extracts
	post /student/S00003/extracts "code=$c"
	[ "$status_code" = 403 ]
	run portal-ack pending --all
	[[ $output == *",S00003,P00003,"* ]]
	get /student/S00003/extracts
	post /student/S00003/extracts "csrf=$(token)" "code=$c"
	[ "$status_code" = 303 ]
	run portal-ack pending --all
	[[ $output != *",S00003,P00003,"* ]]
	run portal-ack status
	[[ $output == *"5А,2,1,1,50"* ]]
	get /student/S00003/extracts
	[[ $(cat page.html) == *"ознакомлен(а) 28.11.2026 12:00"* ]]
	[[ $(cat page.html) != *"Ознакомлен(а)</button>"* ]]
	n=$(sqlite3 "$PORTAL_DB" "SELECT count(*) FROM acks")
	get /student/S00003/extracts
	post /student/S00003/extracts "csrf=$(token)" "code=$c"
	[ "$(sqlite3 "$PORTAL_DB" "SELECT count(*) FROM acks")" = "$n" ]
	[ "$(sqlite3 "$PORTAL_DB" "SELECT channel FROM acks")" = web ]
	run portal-db audit
	[[ $output == *"$LOGIN"*"ack"* ]]
}

@test "another family's extract code is 404, in the form and as a PDF" {
	serve
	fresh_login guardian P00003
	other=$(code S00002)
	[ -n "$other" ]
	run curl -s -o /dev/null -w '%{http_code}' -b "$JAR" "$URL/student/S00003/extracts/$other.pdf"
	[ "$output" = 404 ]
	get /student/S00003/extracts
	post /student/S00003/extracts "csrf=$(token)" "code=$other"
	[ "$status_code" = 404 ]
	[ "$(sqlite3 "$PORTAL_DB" "SELECT count(*) FROM acks")" = 0 ]
	run curl -s -o /dev/null -w '%{http_code}' -b "$JAR" "$URL/student/S00002/extracts"
	[ "$output" = 404 ]
}

@test "without consent the list and the button are there, the PDF is not" {
	serve
	fresh_login guardian P00002
	c=$(code S00002)
	get /student/S00002/extracts
	[ "$status_code" = 200 ]
	[[ $(cat page.html) == *"на бумаге"* ]]
	[[ $(cat page.html) != *".pdf"* ]]
	get "/student/S00002/extracts/$c.pdf"
	[[ $(cat page.html) == *"на бумаге"* ]]
	get /student/S00002/extracts
	post /student/S00002/extracts "csrf=$(token)" "code=$c"
	[ "$status_code" = 303 ]
	run portal-ack status
	[[ $output == *"5А,2,1,1,50"* ]]
}

@test "/access lists who looked at the guardian's child and when" {
	serve
	fresh_login guardian P00003
	get /student/S00003
	get /student/S00003/extracts
	get /access
	[ "$status_code" = 200 ]
	[[ $(cat page.html) == *"<td>$LOGIN</td><td>Иванов"*"</td><td>/student/S00003/extracts</td>"* ]]
	[[ $(cat page.html) == *"<td>/student/S00003</td>"* ]]
	[[ $(cat page.html) == *"28.11.2026 12:00"* ]]
	[[ $(cat page.html) != *"S00002"* ]]
}

@test "withdrawing consent online: withdrawn, electronic, audited; the next extract goes on paper" {
	serve
	fresh_login guardian P00003
	get /student/S00003/consent
	[[ $(cat page.html) == *"согласие дано"* ]]
	post /student/S00003/consent "x=1"
	[ "$status_code" = 403 ]
	get /student/S00003/consent
	post /student/S00003/consent "csrf=$(token)"
	[ "$status_code" = 303 ]
	run portal-consent status --student S00003
	[[ $output == *"P00003,S00003,"*",withdrawn,2026-11-28,"*"paper"* ]]
	[ "$(sqlite3 "$PORTAL_DB" "SELECT form FROM consents WHERE decision = 'withdrawn'")" = electronic ]
	run portal-db audit
	[[ $output == *"$LOGIN"*"consent"* ]]
	get /student/S00003/consent
	[[ $(cat page.html) == *"согласие отозвано"* ]]
	post /student/S00003/consent "csrf=$(token)"
	[ "$status_code" = 303 ]
	[ "$(sqlite3 "$PORTAL_DB" "SELECT count(*) FROM consents WHERE decision = 'withdrawn'")" = 1 ]
	run portal-extract --dry-run --student S00003 --period "2 четверть" -o y/
	[[ $output == *",S00003,,paper,"* ]]
	[[ $output != *"email"* ]]
}

@test "«Мой пароль стал известен другим»: the breach registered now, the login locked, the session gone" {
	serve
	fresh_login guardian P00003
	get /leaked
	[ "$status_code" = 200 ]
	post /leaked "x=1"
	[ "$status_code" = 403 ]
	get /leaked
	post /leaked "csrf=$(token)"
	[ "$status_code" = 200 ]
	[[ $(cat page.html) == *"классному"* ]]
	run portal-accounts breaches
	[[ $output == *"$LOGIN,2026-11-28T09:00:00Z,2026-11-28T09:00:00Z,"* ]]
	[ "$(sqlite3 "$PORTAL_DB" "SELECT locked FROM accounts WHERE login = '$LOGIN'")" = 1 ]
	[ "$(sqlite3 "$PORTAL_DB" "SELECT count(*) FROM web_sessions WHERE login = '$LOGIN'")" = 0 ]
	get /student/S00003
	[ "$status_code" = 303 ]
	login "$LOGIN" "NEWPASS-$LOGIN"
	[ "$status_code" != 303 ]
}

@test "the cabinet's PDF is the e-mailed one byte for byte; after a correction in the journal the list says so" {
	local c eml m
	c=$(code S00003)
	eml=$(ls "$BATS_FILE_TMPDIR"/school/x/*"$c"*.eml 2>/dev/null | head -1)
	[ -n "$eml" ] || eml=$(grep -l "$c" "$BATS_FILE_TMPDIR"/school/x/*.eml | head -1)
	[ -n "$eml" ]
	python3 - "$eml" attached.pdf <<'PY'
import email, email.policy, sys
msg = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
pdf = [p for p in msg.iter_attachments() if p.get_content_type() == 'application/pdf']
open(sys.argv[2], 'wb').write(pdf[0].get_content())
PY
	serve
	fresh_login guardian P00003
	get /student/S00003/extracts
	! grep -q 'исправления' page.html
	curl -s -o web.pdf -b "$JAR" "$URL/student/S00003/extracts/$c.pdf"
	cmp attached.pdf web.pdf
	# a teacher corrects a mark of the first quarter that the extract showed
	m=$(awk -F, '$1 == "S00003" && $3 >= "2026-09-01" && $3 <= "2026-10-31" { print; exit }' "$S/marks.csv")
	[ -n "$m" ]
	{ head -1 "$S/marks.csv"; echo "$m" | awk -F, -v OFS=, '{ $4 = ($4 == 5 ? 4 : 5); print }'; } > fix.csv
	portal-journal -q import marks fix.csv
	get /student/S00003/extracts
	grep -q 'после выписки в журнале были исправления' page.html
	curl -s -o web2.pdf -b "$JAR" "$URL/student/S00003/extracts/$c.pdf"
	! cmp -s attached.pdf web2.pdf
}
