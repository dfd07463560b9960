#!/usr/bin/env bats
# One number for one thing: the classes in the order people count them in
# every output; the lessons a student missed counted one way by the extract
# (txt, pdf, xlsx, e-mail), the journal grid, the attendance report and the
# cabinet, student by student on a whole synthetic school; the journal's
# columns the same in every format; an extract of a period not over cut where
# the nightly run cuts it. All people are made up.

load helpers
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
	run --separate-stderr portal-accounts list students
	status_is 0
	same "$ORDER" "$(classes_of class)" "list students"
	run --separate-stderr portal-accounts list guardians
	same "S00005 S00002 S00003 S00001 S00006 S00004" "$(classes_of student_id)" "list guardians"
	run --separate-stderr portal-accounts list staff
	has_line "T1,Первова,Анна,,class_leader,kl1,,,,1А;1Б;10А,"
	run --separate-stderr portal-consent status
	same "$ORDER" "$(classes_of class)" "consent status"
	run --separate-stderr portal-report coverage
	same "$ORDER" "$(classes_of class)" "report coverage"
	run --separate-stderr portal-report attendance --period "2 четверть"
	same "$ORDER" "$(classes_of class)" "report attendance"
	run --separate-stderr portal-accounts issue --who students --dry-run
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
	run --separate-stderr portal-accounts list students
	status_is 78
	run portal-db migrate
	status_is 0
	run q "SELECT name || '=' || sort_key FROM classes ORDER BY sort_key"
	same "1А=0101 1Б=0102 2А=0201 10А=1001 10Б=1002 11А=1101" "$(echo $output)" "keys filled by the migration"
	# a class the roster brings afterwards gets its key as the migration gives it
	printf '%s\n' student_id,last_name,first_name,birth_date,class "S00007,Пятова,Жанна,2015-01-01,5Ё" >s2.csv
	portal-accounts -q import students s2.csv
	same "0507" "$(q "SELECT sort_key FROM classes WHERE name = '5Ё'")" "5Ё's key"
	run --separate-stderr portal-accounts list students
	same "1А 1Б 2А 5Ё 10А 10Б 11А" "$(classes_of class)" "after the migration"
}
