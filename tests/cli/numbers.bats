#!/usr/bin/env bats
# One number for one thing: the classes in the order people count them in
# every output; the lessons a student missed counted one way by the extract
# (txt, pdf, xlsx, e-mail), the journal grid, the attendance report and the
# cabinet, student by student on a whole synthetic school; the journal's
# columns the same in every format; an extract of a period not over cut where
# the nightly run cuts it. All people are made up.

load helpers
load web-helpers
bats_require_minimum_version 1.5.0

# PY3: a python3 with openpyxl, to read workbooks back (the system one first)
for PY3 in /usr/bin/python3 /usr/local/bin/python3 python3; do
	command -v "$PY3" >/dev/null && "$PY3" -c 'import openpyxl' 2>/dev/null && break
done

# ---- 1. classes in the order people count them ----

# classes_school: students of 10А, 1Б, 2А, 11А, 1А, 10Б (that order in the file), a guardian each,
# their class leaders, the periods.
classes_school() {
	new_store
	printf '%s\n' staff_id,last_name,first_name,role,login,classes \
		"T1,Первова,Анна,class_leader,kl1,1А;1Б;10А" "T2,Вторева,Вера,class_leader,kl2,11А;2А;10Б" >st.csv
	portal-accounts -q import staff st.csv
	printf '%s\n' student_id,last_name,first_name,birth_date,class \
		"S00001,Десятова,Алла,2010-01-01,10А" "S00002,Первоклашкина,Бэла,2019-01-01,1Б" \
		"S00003,Второва,Вика,2018-01-01,2А" "S00004,Выпускникова,Гала,2009-01-01,11А" \
		"S00005,Первоклашкина,Дина,2019-02-01,1А" "S00006,Десятова,Ева,2010-02-01,10Б" >s.csv
	portal-accounts -q import students s.csv
	printf '%s\n' guardian_id,student_id,last_name,first_name "P1,S00001,Родителева,Ада" "P2,S00002,Родителева,Бела" \
		"P3,S00003,Родителева,Вера" "P4,S00004,Родителева,Гая" "P5,S00005,Родителева,Дана" "P6,S00006,Родителева,Ева" >g.csv
	portal-accounts -q import guardians g.csv
	printf '%s\n' name,start,end "2 четверть,2026-11-05,2026-12-28" >p.csv
	portal-journal -q periods import p.csv
}

# classes_of COLUMN: the distinct values of COLUMN in the CSV of $output, in their order.
classes_of() {
	"$PY3" -c 'import csv, sys
seen = []
for r in csv.DictReader(sys.stdin):
    if r[sys.argv[1]] not in seen:
        seen.append(r[sys.argv[1]])
print(" ".join(seen))' "$1" <<<"$output"
}

ORDER="1А 1Б 2А 10А 10Б 11А"

@test "classes sort as people count them (1А, 1Б, 2А … 10А, 11А) in every list, report and answer" {
	classes_school
	run --separate-stderr portal-accounts list students --all
	status_is 0
	same "$ORDER" "$(classes_of class)" "list students"
	run --separate-stderr portal-accounts list guardians --all
	same "S00005 S00002 S00003 S00001 S00006 S00004" "$(classes_of student_id)" "list guardians"
	run --separate-stderr portal-accounts list staff
	has_line "T1,Первова,Анна,,class_leader,kl1,,,,1А;1Б;10А,"
	run --separate-stderr portal-consent status --all
	same "$ORDER" "$(classes_of class)" "consent status"
	run --separate-stderr portal-report coverage
	same "$ORDER" "$(classes_of class)" "report coverage"
	run --separate-stderr portal-report attendance --all --period "2 четверть"
	same "$ORDER" "$(classes_of class)" "report attendance"
	run --separate-stderr portal-accounts issue --all --who students --dry-run
	same "$ORDER" "$(classes_of class)" "issue"
	portal-extract -q --class 10А --period "2 четверть" --channel paper -o x10/ >/dev/null
	portal-extract -q --class 1Б --period "2 четверть" --channel paper -o x1/ >/dev/null
	run --separate-stderr portal-ack status
	same "1Б 10А" "$(classes_of class)" "ack status"
	# the extract's students piped in from several classes: the manifest in class order
	run --separate-stderr portal-extract --period "2 четверть" --channel paper --dry-run <<<$'S00004\nS00001\nS00005\nS00003'
	status_is 0
	same "S00005 S00003 S00001 S00004" "$(classes_of student_id)" "extract manifest"
	run portal-accounts --complete values class
	same "$ORDER" "$(echo $output)" "completion of --class"
	# a class the store does not have: the classes it has, in that order
	run --separate-stderr portal-accounts list students --class 3А
	status_is 65
	contains "(it has 1А, 1Б, 2А, 10А, 10Б, 11А)" "$stderr"
}

@test "portal-db migrate gives the classes of an older store their order" {
	classes_school
	# the store as schema 11 left it
	if [ -n "$PG_TEST" ]; then
		q "ALTER TABLE classes DROP COLUMN sort_key; UPDATE schema_version SET version = 11"
	else
		sqlite3 "$PORTAL_DB" "ALTER TABLE classes DROP COLUMN sort_key; PRAGMA user_version = 11"
	fi
	run --separate-stderr portal-accounts list students --all
	status_is 78
	run portal-db migrate
	status_is 0
	run q "SELECT name || '=' || sort_key FROM classes ORDER BY sort_key"
	same "1А=0101 1Б=0102 2А=0201 10А=1001 10Б=1002 11А=1101" "$(echo $output)" "keys filled by the migration"
	# a class the roster brings afterwards gets its key as the migration gives it
	printf '%s\n' student_id,last_name,first_name,birth_date,class "S00007,Пятова,Жанна,2015-01-01,5Ё" >s2.csv
	portal-accounts -q import students s2.csv
	same "0507" "$(q "SELECT sort_key FROM classes WHERE name = '5Ё'")" "5Ё's key"
	run --separate-stderr portal-accounts list students --all
	same "1А 1Б 2А 5Ё 10А 10Б 11А" "$(classes_of class)" "after the migration"
}

# ---- 2. the lessons missed, one count everywhere ----

P1="1 четверть"	# 2026-09-01 … 2026-10-24, over on 2026-11-28
P2="2 четверть"	# 2026-11-05 … 2026-12-28

# The whole synthetic school of the file (5 classes, 120 students, a year of journal), made once
# in $BATS_FILE_TMPDIR/school, with the students' credentials in cred.csv and every guardian's
# consent given (so that the e-mails go to those with an address).
setup_file() {
	local dir=$BATS_FILE_TMPDIR/school k
	mkdir -p "$dir" || return 1
	PORTAL_DB=$(store_at "$dir/p.db")
	export PORTAL_DB PORTAL_ACTOR=admin PORTAL_NOW=2026-11-28T09:00:00Z LC_ALL=C.UTF-8
	unset PORTAL_BUSY_TIMEOUT SOURCE_DATE_EPOCH
	(
		cd "$dir" || exit 1
		new_store || exit 1
		"$SYNTH" --students 120 --seed 5 --journal --out s >/dev/null || exit 1
		for k in staff students guardians; do
			portal-accounts -q import "$k" "s/$k.csv" 2>/dev/null || exit 1
		done
		portal-accounts -q groups import s/groups.csv || exit 1
		portal-journal -q periods import s/periods.csv || exit 1
		for k in schedule lessons changes tests holidays marks attendance recommendations finals; do
			portal-journal -q import "$k" "s/$k.csv" || exit 1
		done
		awk -F, 'NR == 1 { print "guardian_id,student_id,decision,signed_on"; next } { print $1 "," $2 ",given,2026-09-01" }' \
			s/guardians.csv >consents.csv
		portal-consent -q import consents.csv || exit 1
		portal-accounts -q issue --all --who students >cred.csv || exit 1
		portal-db -q config web.insecure_cookie 1 || exit 1
		checkpoint
	)
}

teardown() {
	web_teardown	# the cabinet a test started
}

# school_copy: the test's own copy of the school's store; S its synthetic files.
school_copy() {
	store_cp "$(store_at "$BATS_FILE_TMPDIR/school/p.db")" "$PORTAL_DB"
	S=$BATS_FILE_TMPDIR/school/s
}

# The per-student figure of a text: "Пропущено уроков: 42 (по болезни 41, по уважительной причине 0), опозданий: 3".
COMPARE_PY='
import csv, email, glob, json, os, re, subprocess, sys
from email import policy

FIG = re.compile(r"Пропущено уроков: (\d+) \(по болезни (\d+), по уважительной причине (\d+)\), опозданий: (\d+)")
CODE = re.compile(r"Код подтверждения: ([0-9A-Z]{5})-([0-9A-Z]{5})")
bad, seen = [], {}

def rows(path):
    return list(csv.DictReader(open(path, encoding="utf-8", newline="")))

def note(source, student, fig):
    seen.setdefault(source, {})[student] = tuple(int(x) for x in fig)

def by_code(manifest):
    return {r["code"]: r["student_id"] for r in rows(manifest)}

def chunks(text, source, codes):
    """extracts in one text: each with its code and its figure"""
    text = " ".join(text.split())
    for part in text.split("ВЫПИСКА ИЗ ЭЛЕКТРОННОГО ЖУРНАЛА")[1:]:
        c, f = CODE.search(part), FIG.search(part)
        if not c or not f:
            bad.append("%s: an extract without its code or figure: %s" % (source, part[:120]))
            continue
        note(source, codes[c.group(1) + c.group(2)], f.groups())

# the attendance report: missed, illness, excused, late
for r in rows("rep.csv"):
    note("report", r["student_id"], (r["missed"], r["illness"], r["excused"], r["late"]))

# the journal grid: a code a lesson missed (н б у) or late (о), in every subject of the student
grid_subject = {}
for path in glob.glob("grid-*.csv"):
    for r in rows(path):
        n = [0, 0, 0, 0]
        for k, v in r.items():
            if re.match(r"\d{4}-\d{2}-\d{2}$", k) and v:
                for t in v.split():
                    if t in ("н", "б", "у"):
                        n[0] += 1
                        n[1] += t == "б"
                        n[2] += t == "у"
                    elif t == "о":
                        n[3] += 1
        grid_subject[(r["student_id"], r["subject"])] = tuple(n)
        total = seen.setdefault("grid", {}).get(r["student_id"], (0, 0, 0, 0))
        seen["grid"][r["student_id"]] = tuple(a + b for a, b in zip(total, n))

# the extracts as csv: the «итого» row, and each subject row against the grid
for r in rows("x.csv"):
    f = tuple(int(r[k]) for k in ("missed", "illness", "excused", "late"))
    if r["subject"] == "итого":
        note("extract csv", r["student_id"], f)
        continue
    s = seen.setdefault("extract csv subjects", {})
    s[r["student_id"]] = tuple(a + b for a, b in zip(s.get(r["student_id"], (0, 0, 0, 0)), f))
    if grid_subject.get((r["student_id"], r["subject"]), (0, 0, 0, 0)) != f:
        bad.append("%s %s: extract %s, grid %s" % (r["student_id"], r["subject"], f, grid_subject.get((r["student_id"], r["subject"]))))

chunks(open("x.txt", encoding="utf-8").read(), "extract txt", by_code("m-txt.csv"))
chunks(open("x.pdf.txt", encoding="utf-8").read(), "extract pdf", by_code("m-pdf.csv"))

import openpyxl
codes = by_code("m-xlsx.csv")
for ws in openpyxl.load_workbook("x.xlsx"):
    cells = [str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    text = " ".join(cells)
    c, f = CODE.search(text), FIG.search(text)
    if not c or not f:
        bad.append("xlsx sheet %s: no code or figure" % ws.title)
        continue
    student = codes[c.group(1) + c.group(2)]
    note("extract xlsx", student, f.groups())
    # the columns Пропуски and Опоздания of its subjects, read back as numbers
    rowsv = list(ws.iter_rows(values_only=True))
    h = [i for i, row in enumerate(rowsv) if row and row[0] == "Предмет"][0]
    col = {name: i for i, name in enumerate(rowsv[h]) if name}
    missed = late = 0
    for row in rowsv[h + 1:]:
        if not row or row[0] is None:
            break
        if not isinstance(row[col["Пропуски"]], (int, float)) or not isinstance(row[col["Опоздания"]], (int, float)):
            bad.append("xlsx %s: a count that is not a number: %s" % (student, row))
            continue
        missed += row[col["Пропуски"]]
        late += row[col["Опоздания"]]
    s = seen["extract xlsx"][student]
    if (missed, late) != (s[0], s[3]):
        bad.append("xlsx %s: its subjects add up to %s missed, %s late; its line says %s" % (student, missed, late, s))

# the e-mails: the PDF attached to each, as the parent reads it
codes = by_code("m-eml.csv")
for path in sorted(glob.glob("eml/*.eml")):
    m = email.message_from_binary_file(open(path, "rb"), policy=policy.default)
    pdf = [p for p in m.iter_attachments() if p.get_content_type() == "application/pdf"][0].get_content()
    open("att.pdf", "wb").write(pdf)
    text = subprocess.run(["pdftotext", "att.pdf", "-"], capture_output=True, text=True, check=True).stdout
    chunks(text, "extract eml", codes)

for line in open("web.txt", encoding="utf-8"):
    student, rest = line.rstrip("\n").split(" ", 1)
    f = FIG.search(rest)
    if not f:
        bad.append("web %s: no figure on the page: %s" % (student, rest))
        continue
    note("web", student, f.groups())

students = set(seen["report"])
for source, figs in seen.items():
    if source in ("grid", "extract csv subjects"):
        missing = set()	# a student without a code anywhere has no row there
    else:
        missing = students - set(figs)
    if source not in ("extract eml",) and missing:
        bad.append("%s: no figure for %d students, e.g. %s" % (source, len(missing), sorted(missing)[:3]))
    for s, f in figs.items():
        want = seen["report"].get(s)
        if want is None and source == "grid":
            continue	# the grid keeps who left during the quarter, the report not
        if want is None:
            bad.append("%s %s: a student the report does not have" % (source, s))
        elif f != want:
            bad.append("%s %s: %s, the report %s" % (source, s, f, want))
for s, want in seen["report"].items():
    for source in ("grid", "extract csv subjects"):
        if seen.get(source, {}).get(s, (0, 0, 0, 0)) != want:
            bad.append("%s %s: %s, the report %s" % (source, s, seen.get(source, {}).get(s, (0, 0, 0, 0)), want))
n = sum(f[0] for f in seen["report"].values())
if n < 200 or len(seen.get("extract eml", {})) < 20:
    bad.append("too little to compare: %d lessons missed, %d e-mails" % (n, len(seen.get("extract eml", {}))))
print("\n".join(bad[:20]) or "ok %d students, %d lessons missed, %d e-mails" % (len(students), n, len(seen["extract eml"])))
'

@test "the lessons missed agree student by student: report, journal, extract (csv, txt, pdf, xlsx, e-mail), cabinet" {
	school_copy
	portal-report attendance --all --period "$P1" >rep.csv
	for c in $(awk -F, 'NR > 1 { print $6 }' "$S/students.csv" | sort -u); do
		portal-journal show --class "$c" --period "$P1" >"grid-$c.csv"
	done
	# every student of the school, piped in as the pipe contract has it
	portal-accounts list students --all >all.csv
	for f in csv txt pdf xlsx; do
		portal-extract -q --period "$P1" --channel paper --format "$f" -o "x.$f" <all.csv >"m-$f.csv"
	done
	pdftotext x.pdf x.pdf.txt
	portal-extract -q --period "$P1" --channel email --format eml -o eml/ <all.csv >m-eml.csv 2>/dev/null
	# the cabinet: each student logs in and opens their page of the quarter
	serve
	q=$("$PY3" -c 'import urllib.parse, sys; print(urllib.parse.quote(sys.argv[1]))' "$P1")
	CRED=$BATS_FILE_TMPDIR/school/cred.csv
	: >web.txt
	while IFS=, read -r _ id _; do
		JAR=$BATS_TEST_TMPDIR/jar-$id
		fresh_login student "$id" || return 1
		get "/student/$id?period=$q"
		[ "$status_code" = 200 ] || { echo "$id: $status_code"; return 1; }
		printf '%s %s\n' "$id" "$(grep -o 'class="absences">[^<]*' page.html)" >>web.txt
	done < <(awk -F, 'NR > 1' "$CRED")
	run "$PY3" -c "$COMPARE_PY"
	status_is 0
	[[ "$output" == "ok "* ]] || { echo "$output"; return 1; }
}

# ---- 3. the journal's columns, the same in every format ----

# xlsx_dates FILE: "SHEET: dd.mm dd.mm …" of each sheet's date columns, a line a sheet.
xlsx_dates() {
	"$PY3" -c 'import re, sys, openpyxl
for ws in openpyxl.load_workbook(sys.argv[1]):
    head = [c for c in next(ws.iter_rows(min_row=2, max_row=2, values_only=True)) if c]
    print(ws.title + ":", " ".join(c for c in head if re.match(r"\d\d\.\d\d$", str(c))))' "$1"
}

@test "the journal's columns are the same in every format: a cancelled lesson makes none, even on a day ill" {
	school_copy
	# 10.12.2026: 5А's 6th lesson (История) is cancelled; a student of 5А is ill that whole day
	same "2026-12-10,5А,6,cancelled,История" "$(grep '^2026-12-10,5А,6,cancelled' "$S/changes.csv" | cut -d, -f1-5)" "the change"
	id=$(awk -F, '$6 == "5А" && $9 == "active" { print $1; exit }' "$S/students.csv")
	printf '%s\n' student_id,date,code "$id,2026-12-10,б" >ill.csv
	portal-journal -q import attendance ill.csv
	portal-journal show --class 5А --from 2026-12-07 --to 2026-12-12 --format xlsx -o j.xlsx
	xlsx_dates j.xlsx >xlsx.txt
	run grep '^История:' xlsx.txt
	lacks "10.12"
	# every sheet's dates are those --subject gives in csv and in table
	while IFS=: read -r subject dates; do
		run --separate-stderr portal-journal show --class 5А --from 2026-12-07 --to 2026-12-12 --subject "$subject"
		status_is 0
		got=$(head -1 <<<"$output" | tr ',' '\n' | sed -n 's/^2026-\([0-9][0-9]\)-\([0-9][0-9]\)$/\2.\1/p' | tr '\n' ' ')
		same "${dates# }" "${got% }" "$subject: xlsx and csv --subject"
		run --separate-stderr portal-journal show --class 5А --from 2026-12-07 --to 2026-12-12 --subject "$subject" --format table
		got=$(head -1 <<<"$output" | grep -o '[0-9][0-9]\.[0-9][0-9]' | tr '\n' ' ')
		same "${dates# }" "${got% }" "$subject: xlsx and table --subject"
	done <xlsx.txt
	# the whole journal's csv: История's cell of that day is empty, the day's lessons have the б
	run --separate-stderr portal-journal show --class 5А --from 2026-12-10 --to 2026-12-10
	status_is 0
	run "$PY3" -c 'import csv, sys
rows = [r for r in csv.DictReader(sys.stdin) if r["student_id"] == sys.argv[1]]
ill = [t for r in rows for t in r["2026-12-10"].split() if t == "б"]
hist = [r["2026-12-10"] for r in rows if r["subject"] == "История"]
assert hist == [""] and len(ill) >= 4, (hist, ill)
print(len(ill))' "$id" <<<"$output"
	# and the student missed every lesson they had that day, ill, as the journal's cells show
	cells=$output
	run --separate-stderr portal-report attendance --class 5А --from 2026-12-10 --to 2026-12-10
	same "$cells,$cells,$cells" "$(awk -F, -v s="$id" '$1 == s { print $4 "," $5 "," $6 }' <<<"$output")" \
		"lessons, missed, illness that day"
}

# ---- 4. a period not over: the extract is cut where the nightly run cuts it ----

@test "an extract of a period not over takes its journal up to the day it is made, as the nightly workbook" {
	school_copy
	# made on 2026-11-28 in the middle of the quarter; the synthetic journal goes on after it
	same 1 "$(awk -F, '$3 > "2026-11-28" && $3 <= "2026-12-28" { n = 1 } END { print n + 0 }' "$S/marks.csv")" "marks after the day"
	portal-accounts list students --class 6А | portal-extract -q --period "$P2" --channel paper --format csv -o x.csv >/dev/null
	portal-report -q nightly --out n
	book=n/2026-11-28/6А.xlsx
	portal-report progress --class 6А --from 2026-11-05 --to 2026-11-28 --by student >by.csv
	run "$PY3" - "$book" <<'PY'
import csv, re, sys, openpyxl
bad = []
x = list(csv.DictReader(open("x.csv", encoding="utf-8")))
if {r["as_of"] for r in x} != {"2026-11-28"} or {r["to"] for r in x} != {"2026-12-28"}:
    bad.append("as_of %s, to %s" % ({r["as_of"] for r in x}, {r["to"] for r in x}))
for r in x:
    for d in re.findall(r"(\d{4}-\d\d-\d\d):", r["marks"]):
        if d > "2026-11-28":
            bad.append("%s %s: a mark of %s" % (r["student_id"], r["subject"], d))
# the averages the nightly run's dates give, student by student
by = {(r["student_id"], r["subject"]): r["average"] for r in csv.DictReader(open("by.csv", encoding="utf-8"))}
n = 0
for r in x:
    if r["subject"] != "итого" and r["average"]:
        n += 1
        if by.get((r["student_id"], r["subject"])) != r["average"]:
            bad.append("%s %s: extract %s, report %s" % (r["student_id"], r["subject"], r["average"], by.get((r["student_id"], r["subject"]))))
# the nightly workbook's attendance sheet, student by student
ws = openpyxl.load_workbook(sys.argv[1])["Посещаемость"]
rows = list(ws.iter_rows(values_only=True))
head = rows[1]
att = {r[0]: r for r in rows[2:] if r[0]}
for r in x:
    if r["subject"] == "итого":
        w = att.get(r["student_id"])
        got = tuple(int(r[k]) for k in ("missed", "illness", "excused", "late"))
        want = w and tuple(int(w[head.index(k)]) for k in ("Пропущено", "По болезни", "По уваж. причине", "Опозданий"))
        if got != want:
            bad.append("%s: extract %s, nightly %s" % (r["student_id"], got, want))
if n < 100:
    bad.append("too few averages: %d" % n)
print("\n".join(bad[:20]) or "ok")
PY
	status_is 0
	same ok "$output" "extract against the nightly run"
}
