#!/usr/bin/env bats
# portal-extract --send: the e-mails leave through the sendmail-compatible
# program of mail.sendmail (here msmtp, talking SMTP to a server of the test on
# 127.0.0.1, tests/cli/smtp-sink.py), once the extracts are registered; every
# hand-over, accepted or not, is in the audit log; a refusal keeps the file to
# send again and gives the program's status. All people here are made up.

load helpers
bats_require_minimum_version 1.5.0

P2="2 четверть"
PY3=/usr/bin/python3
[ -x "$PY3" ] || PY3=python3

# The school (made once for the file): 5А, led by kl5a; S00001 Иванова Мария
# with P00001 (e-mail, given) and P00002 (e-mail, given); S00002 Петров Илья with
# P00003 (e-mail, refused: paper); S00003 Смирнов Олег with P00004 (no e-mail).
# S00001 has a mark in Математика on 09.11.
setup_file() {
	local dir=$BATS_FILE_TMPDIR/school
	mkdir -p "$dir" || return 1
	export PORTAL_DB="$(store_at "$dir/p.db")" PORTAL_ACTOR=admin PORTAL_NOW=2026-11-28T09:00:00Z LC_ALL=C.UTF-8
	(
		cd "$dir" || exit 1
		new_store || exit 1
		printf '%s\n' staff_id,last_name,first_name,role,login,classes,subjects \
			"T1,Учителева,Анна,teacher,math,,Математика" "T3,Руководова,Ольга,class_leader,kl5a,5А," >st.csv
		portal-accounts -q import staff st.csv || exit 1
		printf '%s\n' student_id,last_name,first_name,birth_date,class \
			"S00001,Иванова,Мария,2015-03-01,5А" "S00002,Петров,Илья,2015-04-02,5А" \
			"S00003,Смирнов,Олег,2015-05-03,5А" >s.csv
		portal-accounts -q import students s.csv || exit 1
		printf '%s\n' guardian_id,student_id,last_name,first_name,relation,email \
			"P00001,S00001,Иванова,Елена,mother,ivanova@example.ru" \
			"P00002,S00001,Иванов,Пётр,father,ivanov@example.ru" \
			"P00003,S00002,Петрова,Ольга,mother,petrova@example.ru" \
			"P00004,S00003,Смирнова,Нина,mother," >g.csv
		portal-accounts -q import guardians g.csv || exit 1
		printf '%s\n' guardian_id,student_id,decision,signed_on \
			"P00001,S00001,given,2026-11-02" "P00002,S00001,given,2026-11-03" "P00003,S00002,refused,2026-11-02" >c.csv
		portal-consent -q import c.csv || exit 1
		printf '%s\n' name,start,end "$P2,2026-11-05,2026-12-28" >p.csv
		portal-journal -q periods import p.csv || exit 1
		printf '%s\n' class,weekday,lesson_no,subject,teacher_id,room "5А,1,1,Математика,T1,каб. 1" >sc.csv
		portal-journal -q import schedule sc.csv || exit 1
		printf '%s\n' student_id,subject,date,value,weight,kind "S00001,Математика,2026-11-09,4,1,ответ" >m.csv
		portal-journal -q import marks m.csv || exit 1
		portal-db -q config mail.from journal@school.example || exit 1
	) || return 1
}

setup() {
	export PORTAL_DB="$(store_at "$BATS_TEST_TMPDIR/p.db")" PORTAL_ACTOR=admin PORTAL_NOW=2026-11-28T09:00:00Z LC_ALL=C.UTF-8
	unset PORTAL_BUSY_TIMEOUT SOURCE_DATE_EPOCH
	cd "$BATS_TEST_TMPDIR" || return 1
	store_cp "$(store_at "$BATS_FILE_TMPDIR/school/p.db")" "$PORTAL_DB"
	SINK=$BATS_TEST_TMPDIR/sink
	SINK_PID=
}

teardown() {
	smtp_stop
}

# sink [REFUSE]: starts the SMTP server (refusing the address REFUSE) and points
# mail.sendmail at it through msmtp.
sink() {
	smtp_start "$@" || return 1
	portal-db -q config mail.sendmail \
		"msmtp --host=127.0.0.1 --port=$SMTP_PORT --auth=off --tls=off --from=journal@school.example -t"
}

# received: "envelope recipients|To header|Subject decoded" of every message the sink took, sorted.
received() {
	"$PY3" - "$SINK" <<'PY'
import email, email.header, glob, os, sys
from email import policy
out = []
for f in glob.glob(os.path.join(sys.argv[1], "*.eml")):
    env = open(f[:-4] + ".env").read().split()
    m = email.message_from_binary_file(open(f, "rb"), policy=policy.default)
    out.append("%s|%s|%s" % (",".join(env[1:]), m["To"].addresses[0].addr_spec, m["Subject"]))
print("\n".join(sorted(out)))
PY
}

@test "--send: each e-mail reaches the SMTP server through mail.sendmail, to the guardian who agreed; the paper stays paper" {
	command -v msmtp >/dev/null || skip "msmtp is not installed"
	sink
	run --separate-stderr portal-extract --class 5А --period "$P2" --send -o out/
	status_is 0
	contains "2 of 2 e-mails handed to msmtp" "$stderr"
	same 2 "$(ls "$SINK"/*.eml | wc -l)" "messages received"
	got=$(received)
	same "ivanov@example.ru|ivanov@example.ru|Выписка из электронного журнала: Иванова Мария, 5А класс, 2 четверть
ivanova@example.ru|ivanova@example.ru|Выписка из электронного журнала: Иванова Мария, 5А класс, 2 четверть" "$got" "received"
	# the message sent is the file kept: the same code, the same body
	for f in "$SINK"/*.eml; do
		code=$("$PY3" -c 'import sys, email; from email import policy; m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=policy.default); print(m.get_body().get_content())' "$f" | grep -o '[0-9A-Z]\{5\}-[0-9A-Z]\{5\}')
		[ -n "$code" ]
		grep -q "^.*,email,${code/-/}," <<<"$output"
	done
	# no address of a guardian without a standing consent left: Петрова refused, Смирнова has none
	! grep -rq "petrova@example.ru" "$SINK"
	same 2 "$(grep -c ',paper,' <<<"$output")" "paper extracts"
	# each hand-over in the audit log
	run portal-db audit --format csv
	same 2 "$(grep -c '""sendmail"":\[null,""accepted""\]' <<<"$output")" "audit records of the hand-over"
}

# parts FILE DIR: the message's text part, then "FILENAME|TYPE" of each attachment, whose content
# goes to DIR/N.bin (the file names decoded as a mail program shows them).
parts() {
	"$PY3" - "$1" "$2" <<'PY'
import email, os, sys
from email import policy
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=policy.default)
print(m.get_body(preferencelist=("plain",)).get_content())
os.makedirs(sys.argv[2], exist_ok=True)
for i, a in enumerate(m.iter_attachments()):
    open(os.path.join(sys.argv[2], "%d.bin" % i), "wb").write(a.get_content())
    print("%s|%s" % (a.get_filename(), a.get_content_type()))
PY
}

@test "--send: the e-mail carries the extract as a PDF with a Russian file name, the code and the cabinet's address" {
	command -v msmtp >/dev/null || skip "msmtp is not installed"
	command -v pdftotext >/dev/null || skip "pdftotext is not installed"
	portal-db -q config portal.url https://school.example.ru/
	sink
	run --separate-stderr portal-extract --class 5А --period "$P2" --send -o out/
	status_is 0
	for f in "$SINK"/*.eml; do
		to=$(sed -n 2p "${f%.eml}.env")
		code=$(grep ",$( [ "$to" = ivanova@example.ru ] && echo P00001 || echo P00002),email," <<<"$output" | cut -d, -f5)
		dashed=${code:0:5}-${code:5:5}
		got=$(parts "$f" "$f.d")
		contains "Код подтверждения: $dashed" "$got"
		contains "https://school.example.ru/student/S00001/extracts" "$got"
		contains "«Ознакомлен(а)»" "$got"
		contains "Выписка Иванова Мария 2 четверть.pdf|application/pdf" "$got"
		# RFC 2231 in UTF-8, not a guessed charset
		grep -qiE "filename\*(0\*)?=utf-8''" "$f" || { echo "no RFC 2231 UTF-8 file name"; false; }
		pdftotext -layout "$f.d/0.bin" - >"$f.txt"
		grep -q "Иванова Мария" "$f.txt" || { echo "no student in the PDF"; false; }
		grep -q "$dashed" "$f.txt" || { echo "no code $dashed in the PDF"; false; }
	done
}

@test "--send with a recipient the server refuses: 69, the other one is sent, the refused file stays and is audited" {
	command -v msmtp >/dev/null || skip "msmtp is not installed"
	sink ivanov@example.ru
	run --separate-stderr portal-extract --class 5А --period "$P2" --send -o out/
	status_is 69
	contains "1 of 2 e-mails handed to msmtp" "$stderr"
	contains "1 e-mail not sent" "$stderr"
	contains "_P00002_" "$stderr"
	same "ivanova@example.ru|ivanova@example.ru|Выписка из электронного журнала: Иванова Мария, 5А класс, 2 четверть" \
		"$(received)" "received"
	# registered all the same, the file kept to send again
	[ -s "$(ls out/*_P00002_*.eml)" ]
	run portal-ack pending --class 5А
	same 4 "$(($(grep -c . <<<"$output") - 1))" "pending extracts: 2 paper, 2 e-mail"
	run portal-db audit --format csv
	same 1 "$(grep -c '""sendmail"":\[null,""accepted""\]' <<<"$output")" "accepted"
	same 1 "$(grep -c '""sendmail"":\[null,""refused (exit' <<<"$output")" "refused"
}

@test "--send: a program that cannot run is 69, a temporary failure is 75; --dry-run sends nothing" {
	# an empty setting is refused when it is set
	run --separate-stderr portal-db config mail.sendmail " "
	status_is 65
	contains "mail.sendmail: empty" "$stderr"
	portal-db -q config mail.sendmail "/nonexistent/sendmail -oi -t"
	run --separate-stderr portal-extract --class 5А --period "$P2" --send -o out1/
	status_is 69
	contains "cannot be run" "$stderr"
	# a program that says "try again later" (EX_TEMPFAIL): 75, for cron to retry the sending
	printf '#!/bin/sh\ncat >/dev/null\nexit 75\n' >tempfail
	chmod +x tempfail
	portal-db -q config mail.sendmail "$PWD/tempfail -oi -t"
	run --separate-stderr portal-extract --class 5А --period "$P2" --send -o out2/
	status_is 75
	contains "try again later" "$stderr"
	# a dry run registers nothing and runs no program
	printf '#!/bin/sh\ntouch %s/ran\ncat >/dev/null\n' "$PWD" >record
	chmod +x record
	portal-db -q config mail.sendmail "$PWD/record"
	before=$(db_digest)
	run --separate-stderr portal-extract --class 5А --period "$P2" --send --dry-run
	status_is 0
	[ ! -e ran ]
	same "$before" "$(db_digest)" "store"
	# and the program's own output never mixes into the manifest
	printf '#!/bin/sh\necho chatter\ncat >/dev/null\n' >chatty
	chmod +x chatty
	portal-db -q config mail.sendmail "$PWD/chatty"
	run --separate-stderr portal-extract --class 5А --period "$P2" --send -o out3/
	status_is 0
	lacks chatter
	contains chatter "$stderr"
}

@test "breach: an e-mail the leaked login sent cannot be called back, and the breach says so" {
	command -v msmtp >/dev/null || skip "msmtp is not installed"
	sink
	PORTAL_NOW=2026-11-27T10:00:00Z PORTAL_ACTOR=kl5a run --separate-stderr portal-extract --class 5А --period "$P2" --send -o out/
	status_is 0
	same 2 "$(ls "$SINK"/*.eml | wc -l)" "messages received"
	PORTAL_NOW=2026-11-27T14:00:00Z run --separate-stderr portal-accounts breach kl5a \
		--discovered-at "2026-11-27 11:00" --reported-at "2026-11-27 12:00"
	status_is 0
	same 2 "$(grep -c 'cannot be called back' <<<"$output")" "e-mails named in undo_error"
	contains "cannot be called back" "$stderr"
	# the extracts it made no longer count
	same 0 "$(portal-ack pending --class 5А | tail -n +2 | wc -l)" "pending extracts"
}

# mother_of_two: P00001 (Иванова Елена, consent given) is the mother of S00002 Петров Илья too,
# with a standing consent for him: with P00002 for S00001, three e-mails in 5А.
mother_of_two() {
	printf '%s\n' guardian_id,student_id,last_name,first_name,relation,email \
		"P00001,S00002,Иванова,Елена,mother,ivanova@example.ru" >g2.csv
	portal-accounts -q import guardians g2.csv
	portal-consent -q record --guardian P00001 --student S00002 --decision given --signed-on 2026-11-02
}

# codes_sent: the codes of the messages the sink took (from their Message-Id), sorted.
codes_sent() {
	grep -ho '^Message-Id: <extract\.[0-9A-Z]*' "$SINK"/*.eml | sed 's/.*extract\.//' | sort
}

# codes_of STATE: the codes of the e-mail rows of the manifest in $output with sent = STATE, sorted.
codes_of() {
	awk -F, -v s="$1" '$4 == "email" && $7 == s { print $5 }' <<<"$output" | sort
}

@test "--send: a mother of two gets a message per child, each with its PDF; a second run sends nothing (skipped); --resend sends again" {
	command -v msmtp >/dev/null || skip "msmtp is not installed"
	command -v pdftotext >/dev/null || skip "pdftotext is not installed"
	mother_of_two
	sink
	run --separate-stderr portal-extract --class 5А --period "$P2" --send -o out/
	status_is 0
	same 3 "$(codes_of sent | wc -l)" "rows sent"
	same "" "$(codes_of queued)" "rows queued"
	same "$(codes_of sent)" "$(codes_sent)" "codes received"
	local kids=() f
	for f in $(grep -lx 'ivanova@example.ru' "$SINK"/*.env); do
		f=${f%.env}.eml
		parts "$f" "$f.d" >/dev/null
		kids+=("$(pdftotext "$f.d/0.bin" - | grep -o -e 'Иванова Мария' -e 'Петров Илья' | head -1)")
	done
	same "Иванова Мария
Петров Илья" "$(printf '%s\n' "${kids[@]}" | sort)" "the mother's messages, a PDF of each child"
	first=$(codes_of sent)
	# the same information again: nothing is made or sent, the manifest says so
	emails=$(q "SELECT count(*) FROM extracts WHERE channel = 'email'")
	run --separate-stderr portal-extract --class 5А --period "$P2" --send -o out2/
	status_is 0
	same 3 "$(ls "$SINK"/*.eml | wc -l)" "messages received"
	same "$first" "$(codes_of skipped)" "rows skipped: the codes sent before"
	same "$emails" "$(q "SELECT count(*) FROM extracts WHERE channel = 'email'")" "e-mailed extracts"
	same "" "$(ls out2/*.eml 2>/dev/null)" "messages made"
	contains "3 e-mails sent before: skipped" "$stderr"
	# --resend: made and sent again, new codes
	run --separate-stderr portal-extract --class 5А --period "$P2" --send --resend -o out3/
	status_is 0
	same 6 "$(ls "$SINK"/*.eml | wc -l)" "messages received"
	same 3 "$(codes_of sent | wc -l)" "rows sent again"
	same "" "$(comm -12 <(echo "$first") <(codes_of sent))" "codes in common with the first run"
	# without --send nothing changes: no column value, no skipping
	run --separate-stderr portal-extract --class 5А --period "$P2" --resend -o out4/
	status_is 64
}

@test "--send with the SMTP server stopped: 75, the rows queued; once it is back each message goes exactly once, the same" {
	command -v msmtp >/dev/null || skip "msmtp is not installed"
	mother_of_two
	sink
	touch "$SINK/stop"
	wait "$SINK_PID"
	rm -f "$SINK/stop" "$SINK/port"
	run --separate-stderr portal-extract --class 5А --period "$P2" --send -o out/
	status_is 75
	contains "3 e-mails not sent" "$stderr"
	same 3 "$(codes_of queued | wc -l)" "rows queued"
	same "" "$(codes_of sent)" "rows sent"
	queued=$(codes_of queued)
	same 3 "$(q "SELECT count(*) FROM extracts WHERE mail_state = 'queued'")" "queued in the store"
	same 3 "$(ls out/*.eml | wc -l)" "messages kept"
	# the server is back: the same messages go, no new extract is made
	sink
	run --separate-stderr portal-extract --class 5А --period "$P2" --send -o out2/
	status_is 0
	same "$queued" "$(codes_of sent)" "rows sent: the queued ones"
	same "$queued" "$(codes_sent)" "codes received"
	same "" "$(ls out2/*.eml 2>/dev/null)" "messages made again"
	same 3 "$(q "SELECT count(*) FROM extracts WHERE channel = 'email'")" "e-mailed extracts"
	same 0 "$(q "SELECT count(*) FROM extracts WHERE mail_state = 'queued'")" "queued in the store"
	# and once only
	run --separate-stderr portal-extract --class 5А --period "$P2" --send -o out3/
	status_is 0
	same 3 "$(ls "$SINK"/*.eml | wc -l)" "messages received"
	same "$queued" "$(codes_of skipped)" "rows skipped"
	# every hand-over audited: 3 refused, 3 accepted
	run portal-db audit --format csv
	same 3 "$(grep -c '""sendmail"":\[null,""accepted""\]' <<<"$output")" "accepted"
	same 3 "$(grep -c '""sendmail"":\[null,""refused (exit 75)' <<<"$output")" "refused"
}

@test "nightly --mail: each class leader their class's workbook, the deputy the summary, once a night; a refused one goes again" {
	command -v msmtp >/dev/null || skip "msmtp is not installed"
	printf '%s\n' staff_id,last_name,first_name,role,login,classes,subjects,email \
		"T3,Руководова,Ольга,class_leader,kl5a,5А,,kl5a@school.example" \
		"T4,Завучева,Вера,deputy,zav,,,zav@school.example" \
		"T5,Учителев,Пётр,teacher,phys,,,phys@school.example" >st2.csv
	portal-accounts -q import staff st2.csv
	# the mail program says "later": nothing leaves, both queued, 75
	printf '#!/bin/sh\ncat >/dev/null\nexit 75\n' >tempfail
	chmod +x tempfail
	portal-db -q config mail.sendmail "$PWD/tempfail"
	run --separate-stderr portal-report nightly --out rep --date 2026-11-28 --mail
	status_is 75
	contains "2 e-mails not sent" "$stderr"
	same 2 "$(q "SELECT count(*) FROM report_mail WHERE state = 'queued'")" "queued"
	sink
	run --separate-stderr portal-report nightly --out rep --date 2026-11-28 --mail
	status_is 0
	contains "2 of 2 e-mails handed to msmtp" "$stderr"
	got=$("$PY3" - "$SINK" <<'PY'
import email, glob, os, sys
from email import policy
for f in sorted(glob.glob(os.path.join(sys.argv[1], "*.eml"))):
    m = email.message_from_binary_file(open(f, "rb"), policy=policy.default)
    for a in m.iter_attachments():
        print("%s|%s|%d" % (m["To"].addresses[0].addr_spec, a.get_filename(), len(a.get_content())))
PY
)
	same 2 "$(wc -l <<<"$got")" "messages"
	contains "kl5a@school.example|Отчёт 5А 2026-11-28.xlsx|$(stat -c %s rep/2026-11-28/5А.xlsx)" "$got"
	contains "zav@school.example|Сводка 2026-11-28.csv|$(stat -c %s rep/2026-11-28/summary.csv)" "$got"
	# the same night again: nothing more
	run --separate-stderr portal-report nightly --out rep --date 2026-11-28 --mail
	status_is 0
	contains "0 of 0 e-mails handed" "$stderr"
	same 2 "$(ls "$SINK"/*.eml | wc -l)" "messages received"
	run portal-db audit --format csv
	same 2 "$(grep -c 'report_mail.*""sendmail"":\[null,""accepted""\]' <<<"$output")" "accepted"
}
