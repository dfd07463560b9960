#!/bin/sh
# make demo: a synthetic school in a fresh store, as a school admin would set it up.
# Every person here is made up by build/portal-synth.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
PATH="$top/bin:$PATH"
dir=$(mktemp -d "${TMPDIR:-/tmp}/portal-demo.XXXXXX")
export PORTAL_DB="$dir/portal.db" PORTAL_ACTOR=admin
step() { printf '\n== %s\n$ %s\n' "$1" "$2"; }

step "a synthetic school of 300 students, saved the way Excel on a Russian Windows saves it" \
     "portal-synth --students 300 --journal --excel --out $dir/school"
"$top/build/portal-synth" --students 300 --journal --excel --out "$dir/school"
ls "$dir/school"

step "a fresh store, its first admin, and a witness of its audit chain kept apart from it" \
     "portal-db init --admin admin --witness $dir/witness/head.log"
mkdir -m 700 "$dir/witness"
portal-db init --admin admin --witness "$dir/witness/head.log"
portal-db config school.name "МБОУ СОШ № 1 (демо)"
portal-db calendar import "$top/share/examples/производственный-календарь-2026-2027.csv" -q

step "the staff, the roster, the guardians and the study groups (cp1251, ';', Russian headers)" \
     "portal-accounts import students --encoding cp1251 $dir/school/students.csv"
for kind in staff students guardians; do
	portal-accounts import "$kind" --encoding cp1251 "$dir/school/$kind.csv"
done
portal-accounts groups import --encoding cp1251 -q "$dir/school/groups.csv"

step "the class list of 7А" "portal-accounts list students --class 7А --format table"
portal-accounts list students --class 7А --format table

step "its guardians" "portal-accounts list guardians --class 7А --format table"
portal-accounts list guardians --class 7А --format table | head -8

step "who leads 7А" "portal-accounts list staff --class 7А --format table"
portal-accounts list staff --class 7А --format table

step "credentials for 7А: students and parents, slips to print and cut (passwords appear only here)" \
     "portal-accounts issue --class 7А --format txt -o $dir/slips-7a.txt"
portal-db config portal.url https://portal.school.example
portal-db config support.contact "support@school.example, +7 800 000-00-00"
portal-accounts issue --class 7А --format txt -o "$dir/slips-7a.txt"
sed -n 1,12p "$dir/slips-7a.txt"
echo "… $(grep -c 'Логин:' "$dir/slips-7a.txt") slips in $dir/slips-7a.txt (mode 0600)"
portal-accounts list students --class 7А | cut -d, -f1,2,3,11 | head -4

step "parents' decisions on e-mail (152-ФЗ) for 7А, typed from the signed forms" \
     "portal-consent import $dir/consents-7a.csv"
portal-accounts list guardians --class 7А | awk -F, 'NR == 1 { print "guardian_id,student_id,decision,signed_on,form"; next }
	NR % 5 == 0 { next } { printf "%s,%s,%s,0%d.09.2026,paper\n", $1, $2, NR % 7 ? "given" : "refused", 1 + NR % 9 }' \
	> "$dir/consents-7a.csv"
portal-consent import "$dir/consents-7a.csv"
g=$(sed -n 2p "$dir/consents-7a.csv" | cut -d, -f1)
printf '$ portal-consent record --guardian %s --decision withdrawn --signed-on 20.11.2026 --doc "заявление"\n' "$g"
portal-consent record --guardian "$g" --decision withdrawn --signed-on 20.11.2026 --doc "заявление"

step "the channel each decision implies (e-mail only for given with an address)" "portal-consent status --class 7А --format table"
portal-consent status --class 7А --format table | head -8
portal-consent status --class 7А | awk -F, 'NR > 1 { n[$9]++ } END { printf "electronic %d, paper %d\n", n["electronic"], n["paper"] }'
portal-consent missing --class 7А --fail-if-any -q >/dev/null || echo "(missing --fail-if-any: exit $?, some parents have not decided)"
portal-consent history --guardian "$g" --format table

step "the same import again changes nothing" "portal-accounts import students --encoding cp1251 …"
portal-accounts import students --encoding cp1251 "$dir/school/students.csv"

step "a term of the journal: periods, timetable, changes, holidays, lessons, tests, marks, attendance, recommendations, finals" \
     "portal-journal import marks --encoding cp1251 $dir/school/marks.csv"
portal-journal periods import --encoding cp1251 -q "$dir/school/periods.csv"
for kind in schedule changes holidays lessons tests marks attendance recommendations finals; do
	printf '%-16s ' "$kind"
	portal-journal import "$kind" --encoding cp1251 "$dir/school/$kind.csv" 2>&1
done

step "who teaches 7А what" "portal-journal teachers --class 7А --format table"
portal-journal teachers --class 7А --format table

step "the journal of 7А in algebra, two weeks of the second quarter, read-only" \
     "portal-journal show --class 7А --from 05.11.2026 --to 20.11.2026 --subject алгебра --format table"
portal-journal show --class 7А --from 05.11.2026 --to 20.11.2026 --subject алгебра --format table | head -12

step "the whole class journal as a workbook to print (a sheet per subject, A4)" \
     "portal-journal show --class 7А --period '2 четверть' --format xlsx -o $dir/journal-7a.xlsx"
portal-journal show --class 7А --period "2 четверть" --format xlsx -o "$dir/journal-7a.xlsx"
ls -l "$dir/journal-7a.xlsx"

leader=$(portal-accounts list staff --class 7А | awk -F, 'NR == 2 { print $1 }' | tr 'A-Z' 'a-z')
step "the class leader of 7А reads the journal (the averages) but may not change it" \
     "PORTAL_ACTOR=$leader portal-journal show --class 7А --period '2 четверть' | awk (the algebra averages)"
PORTAL_ACTOR=$leader portal-journal show --class 7А --period "2 четверть" |
	awk -F, 'NR > 1 && $1 == "Алгебра" { printf "%-34s %s\n", $4, $(NF - 1) }' | head -5
PORTAL_ACTOR=$leader portal-journal import marks --encoding cp1251 "$dir/school/marks.csv" || echo "(exit $?)"

# the school's mail server, played by a stand-in on 127.0.0.1 that keeps what it gets in $dir/mail
mkdir "$dir/mail"
/usr/bin/python3 "$top/tests/cli/smtp-sink.py" "$dir/mail" &
i=0
while [ ! -s "$dir/mail/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
web_pid=
# nothing the demo started is left running: the mail stand-in and the web cabinet stop with it
stop_all() {
	touch "$dir/mail/stop"
	if [ -n "$web_pid" ]; then kill "$web_pid" 2>/dev/null || true; wait "$web_pid" 2>/dev/null || true; fi
}
trap stop_all EXIT
trap 'exit 130' INT TERM
portal-db config mail.from "journal@school.example"
portal-db config mail.sendmail "msmtp --host=127.0.0.1 --port=$(cat "$dir/mail/port") --auth=off --tls=off --from=journal@school.example -t"

step "extracts for 7А's parents: e-mail where the consent allows it, sent through mail.sendmail; paper (A4 PDF, the code as a QR symbol) for the rest" \
     "portal-extract --class 7А --period '2 четверть' --format pdf --send -o $dir/extracts-7a/"
portal-extract --class 7А --period "2 четверть" --format pdf --send -o "$dir/extracts-7a/" | head -6
printf '\n(the mail server got %s messages; one of them:)\n' "$(ls "$dir/mail" | grep -c '\.eml$')"
/usr/bin/python3 -c 'import email, sys; from email.header import decode_header, make_header
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
for h in ("To", "Subject"): print(h + ":", make_header(decode_header(m[h])))' "$dir/mail/1.eml"
ls "$dir/extracts-7a" | sed -n 1,3p
paper=$(ls "$dir/extracts-7a" | grep '\.pdf$' | head -1)
printf '\n$ pdfinfo %s | grep -E "Title|Pages|Page size"\n' "$paper"
pdfinfo "$dir/extracts-7a/$paper" | grep -E "Title|Pages|Page size"
printf '\n$ pdftotext -layout -l 1 %s - | head -24\n' "$paper"
pdftotext -layout -l 1 "$dir/extracts-7a/$paper" - | head -24
echo "…"

step "three signed extracts come back: their codes scanned (lower case, a dash, a repeat, a typo)" "portal-ack scan"
codes=$(portal-ack pending --class 7А | awk -F, '$5 == "paper" { print $1 }' | head -2)
set -- $codes
c1=$(sqlite3 "$PORTAL_DB" "SELECT lower(substr(code, 1, 5)) || '-' || lower(substr(code, 6)) FROM extracts WHERE extract_id = $1")
c2=$(sqlite3 "$PORTAL_DB" "SELECT code FROM extracts WHERE extract_id = $2")
printf '%s\n%s\n%s\nABCDE-FGHJ\n' "$c1" "$c2" "$c1" > "$dir/scanned.txt"
sed 's/^/scanned: /' "$dir/scanned.txt"
portal-ack scan < "$dir/scanned.txt" || echo "(exit $?: some codes were not registered)"
portal-ack status --class 7А --format table
portal-ack pending --class 7А --format table | head -4

step "the parents' cabinet: portal-web on a free port of 127.0.0.1; a consenting parent logs in with the slip's password, changes it, opens the child's page, and acknowledges an extract" \
     "portal-web serve --listen 127.0.0.1:PORT"
# plain HTTP on 127.0.0.1 for the demo; behind nginx with TLS the cookie keeps Secure
portal-db config web.insecure_cookie 1
port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
portal-web serve --listen "127.0.0.1:$port" --workers 2 2>"$dir/web.log" &
web_pid=$!
i=0
until curl -sf "$url/healthz" >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -lt 100 ] || { cat "$dir/web.log" >&2; exit 1; }
	sleep 0.05
done
row=$(portal-consent status --class 7А | awk -F, '$9 == "electronic" { print; exit }')
parent=$(echo "$row" | cut -d, -f4) child=$(echo "$row" | cut -d, -f2)
set -- $(awk -v n="$parent" 'index($0, ": " n ",") || substr($0, length($0) - length(n) - 1) == ": " n { f = 1 }
	f && /^Логин:/ { l = $2 } f && /^Временный пароль:/ { print l, $3; exit }' "$dir/slips-7a.txt")
login=$1 temp=$2 newpw="demo-$(date +%s)-7A"
jar="$dir/web-cookies" page="$dir/web-page.html"
csrf() { grep -o 'name="csrf" value="[0-9a-f]*"' "$page" | head -1 | sed 's/.*value="//; s/"$//'; }
web() { # web PATH [FIELD=VALUE…]: GET, or POST of the fields; prints the status
	p=$1; shift
	for f; do set -- "$@" --data-urlencode "$f"; shift; done
	curl -s -o "$page" -w '%{http_code}' -b "$jar" -c "$jar" "$@" "$url$p"
}
echo "$parent ($login), parent of $child, consent given with an e-mail address"
web /login >/dev/null
echo "POST /login with the slip's temporary password: $(web /login "csrf=$(csrf)" "login=$login" "password=$temp")"
echo "GET / (the password must be changed first): $(web /) -> $(curl -s -o /dev/null -w '%{redirect_url}' -b "$jar" "$url/")"
web /password >/dev/null
echo "POST /password with a new one: $(web /password "csrf=$(csrf)" "old=$temp" "new=$newpw" "new2=$newpw")"
echo "GET /student/$child: $(web "/student/$child")"
/usr/bin/python3 -c 'import html.parser, sys
class Text(html.parser.HTMLParser):
    lines, cur = [], ""
    def handle_starttag(self, tag, attrs):
        if tag in ("tr", "p", "h1", "h2", "header", "li", "div", "form"): self.flush()
        elif tag in ("td", "th") and self.cur.strip(): self.cur += " | "
        else: self.cur += " "
    def handle_data(self, d): self.cur += d
    def flush(self):
        t = " ".join(self.cur.split())
        if t: self.lines.append(t[:100])
        self.cur = ""
t = Text(); t.feed(open(sys.argv[1], encoding="utf-8").read()); t.flush()
print("\n".join(t.lines[1:13]))' "$page"
echo "…"

printf '\n(«Ознакомлен(а)» in the cabinet: the parent acknowledges an extract; before it)\n$ portal-ack status --class 7А --format table\n'
portal-ack status --class 7А --format table
echo "GET /student/$child/extracts: $(web "/student/$child/extracts")"
code=$(grep -o 'name="code" value="[0-9A-Z]*"' "$page" | head -1 | sed 's/.*value="//; s/"$//')
if [ -n "$code" ]; then
	echo "POST /student/$child/extracts code=$code: $(web "/student/$child/extracts" "csrf=$(csrf)" "code=$code")"
	echo "GET /student/$child/extracts: $(web "/student/$child/extracts") — $(grep -o 'ознакомлен(а) [0-9.]* [0-9:]*' "$page" | head -1)"
else
	echo "(no extract of $child is waiting for $parent)"
fi
printf '$ portal-ack status --class 7А --format table\n'
portal-ack status --class 7А --format table
printf '\n(to look at it in a browser: portal-web --db %s serve --listen 127.0.0.1:%s\n then open %s/login, login %s, password %s)\n' \
	"$PORTAL_DB" "$port" "$url" "$login" "$newpw"
stop_all
web_pid=

step "the analytic report of 7А for the second quarter (SPEC §6: success, quality, СОУ)" \
     "portal-report progress --class 7А --period '2 четверть' --format table"
portal-report progress --class 7А --period "2 четверть" --format table
portal-report attendance --class 7А --period "2 четверть" --format table | head -5

step "the nightly run, as cron starts it: a workbook per class and a summary" "portal-report nightly --out $dir/reports"
portal-report nightly --out "$dir/reports"
ls "$dir/reports"/* | head -4
head -3 "$dir/reports"/*/summary.csv

step "the store and its audit chain are sound, every head the witness holds still in the chain" "portal-db check"
portal-db check
tail -n 1 "$dir/witness/head.log"
printf '\nThe store is %s (audit records: %s). Remove %s when done.\n' "$PORTAL_DB" \
	"$(portal-db audit | tail -n +2 | wc -l)" "$dir"
