#!/usr/bin/env bats
# portal-web: what a guardian does beyond reading, driven with curl against a
# server on a free port of 127.0.0.1: the extracts and «Ознакомлен(а)», the
# access log, withdrawing consent, reporting a leaked password. The school is
# web.bats's, with extracts made by the admin first.

load helpers

setup_file() {
	local dir=$BATS_FILE_TMPDIR/school k
	mkdir -p "$dir" || return 1
	export PORTAL_DB=$dir/p.db PORTAL_ACTOR=admin PORTAL_NOW=2026-11-28T09:00:00Z LC_ALL=C.UTF-8
	(
		cd "$dir" || exit 1
		new_store || exit 1
		"$SYNTH" --students 30 --seed 7 --journal --out s >/dev/null || exit 1
		for k in staff students guardians; do
			portal-accounts -q import "$k" "s/$k.csv" 2>/dev/null || { echo "import $k failed" >&2; exit 1; }
		done
		portal-accounts -q groups import s/groups.csv || exit 1
		portal-journal -q periods import s/periods.csv || exit 1
		for k in schedule lessons marks attendance finals; do
			portal-journal -q import "$k" "s/$k.csv" || { echo "import $k failed" >&2; exit 1; }
		done
		portal-accounts -q issue --who all >cred.csv || exit 1
		portal-db -q config web.insecure_cookie 1 || exit 1
		# S00003's mother consents and has an address: an e-mail extract for her; S00002's family gets paper
		portal-consent -q record --guardian P00003 --student S00003 --decision given --signed-on 2026-11-02 || exit 1
		portal-extract -q --student S00003 --student S00002 --period "1 четверть" -o x/ >manifest.csv || exit 1
		checkpoint
	)
}

setup() {
	export PORTAL_DB=$BATS_TEST_TMPDIR/p.db PORTAL_ACTOR=admin PORTAL_NOW=2026-11-28T09:00:00Z LC_ALL=C.UTF-8
	cd "$BATS_TEST_TMPDIR" || return 1
	cp "$BATS_FILE_TMPDIR/school/p.db" "$PORTAL_DB" || return 1
	CRED=$BATS_FILE_TMPDIR/school/cred.csv
	S=$BATS_FILE_TMPDIR/school/s
	JAR=$BATS_TEST_TMPDIR/jar
	SERVER_PID=
}

teardown() {
	if [ -n "$SERVER_PID" ]; then
		kill "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null
	fi
	true
}

# serve: starts portal-web on a free port; sets URL and SERVER_PID; waits for /healthz.
serve() {
	local port i
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	portal-web serve --listen "127.0.0.1:$port" --workers 2 2>"$BATS_TEST_TMPDIR/server.log" &
	SERVER_PID=$!
	URL=http://127.0.0.1:$port
	for i in $(seq 50); do
		curl -sf "$URL/healthz" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	cat "$BATS_TEST_TMPDIR/server.log" >&2
	return 1
}

# cred KIND PERSON: "login password" of a person's issued account
cred() {
	awk -F, -v k="$1" -v p="$2" '$1 == k && $2 == p { print $5, $6 }' "$CRED"
}

# token: the CSRF token of the last page fetched (page.html)
token() {
	grep -o 'name="csrf" value="[0-9a-f]*"' page.html | head -1 | sed 's/.*value="//; s/"$//'
}

# get PATH: GET with the cookie jar; the page in page.html, the status in $status_code
get() {
	status_code=$(curl -s -o page.html -w '%{http_code}' -b "$JAR" -c "$JAR" "$URL$1")
}

# post PATH FIELD=VALUE...: a form POST with the cookie jar
post() {
	local path=$1 f
	local -a args=()
	shift
	for f; do args+=(--data-urlencode "$f"); done
	status_code=$(curl -s -o page.html -D headers.txt -w '%{http_code}' -b "$JAR" -c "$JAR" "${args[@]}" "$URL$path")
}

# login LOGIN PASSWORD: the login form, then its POST
login() {
	get /login || return 1
	post /login "csrf=$(token)" "login=$1" "password=$2"
}

# fresh_login KIND PERSON: logs in with the issued password and changes it to NEWPASS
fresh_login() {
	local l p
	read -r l p < <(cred "$1" "$2")
	[ -n "$l" ] || { echo "no credentials for $1 $2" >&2; return 1; }
	LOGIN=$l
	login "$l" "$p" || return 1
	[ "$status_code" = 303 ] || { echo "login: $status_code" >&2; return 1; }
	get /password || return 1
	post /password "csrf=$(token)" "old=$p" "new=NEWPASS-$l" "new2=NEWPASS-$l"
	[ "$status_code" = 303 ] || { echo "password: $status_code" >&2; cat page.html >&2; return 1; }
}

# guardian_of STUDENT: the first guardian of the student
guardian_of() {
	awk -F, -v s="$1" '$2 == s { print $1; exit }' "$S/guardians.csv"
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
	run portal-ack pending
	[[ $output == *",S00003,P00003,"* ]]
	get /student/S00003/extracts
	post /student/S00003/extracts "code=$c"
	[ "$status_code" = 403 ]
	run portal-ack pending
	[[ $output == *",S00003,P00003,"* ]]
	get /student/S00003/extracts
	post /student/S00003/extracts "csrf=$(token)" "code=$c"
	[ "$status_code" = 303 ]
	run portal-ack pending
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
