#!/usr/bin/env bats
# portal-journal: every kind of journal file in (attendance, lessons, schedule,
# changes, tests, holidays, recommendations, finals, marks), --sync, the roles,
# and the class journal out (show in csv, table, json, xlsx; teachers).
# Small hand-made files where precision matters, the synthetic school where
# size helps. All people are made up.

load helpers
bats_require_minimum_version 1.5.0

# The synthetic school of 60 students with a year of journal files, its roster,
# groups and periods imported (no journal rows yet): made once for the file.
setup_file() {
	local dir=$BATS_FILE_TMPDIR/school k
	mkdir -p "$dir" || return 1
	export PORTAL_DB="$(store_at "$dir/p.db")" PORTAL_ACTOR=admin PORTAL_NOW=2026-11-28T09:00:00Z LC_ALL=C.UTF-8
	(
		cd "$dir" || exit 1
		new_store || exit 1
		"$SYNTH" --students 60 --seed 7 --journal --out s || exit 1
		for k in staff students guardians; do
			portal-accounts -q import "$k" "s/$k.csv" || exit 1
		done
		portal-accounts -q groups import s/groups.csv || exit 1
		portal-journal -q periods import s/periods.csv || exit 1
		checkpoint
	)
}

# jschool: this test's copy of the synthetic school: the store and ./s.
jschool() {
	cp -r "$BATS_FILE_TMPDIR/school/s" . || return 1
	store_cp "$(store_at "$BATS_FILE_TMPDIR/school/p.db")" "$PORTAL_DB"
}

# jload KIND…: imports the synthetic school's files of those kinds.
jload() {
	local k
	for k in "$@"; do
		portal-journal -q import "$k" "s/$k.csv" || {
			echo "jload: import $k failed" >&2
			return 1
		}
	done
}

# PY3: a python3 to read CSV, JSON and workbooks back (a system one first: a
# version manager's shim costs a second a call)
for PY3 in /usr/bin/python3 /usr/local/bin/python3 python3; do
	command -v "$PY3" >/dev/null && break
done

ALL_KINDS="schedule lessons changes tests holidays marks attendance recommendations finals"

# hschool: a hand-made school. 5А: Иванова Мария (S00001), Петров Илья (S00002);
# 5Б: Сидорова Алина (S00003). Mondays in 5А: 1 Математика (T1, math),
# 2 Литература (T2, lit). kl5a leads 5А, kl5b leads 5Б.
hschool() {
	new_store || return 1
	printf '%s\n' staff_id,last_name,first_name,role,login,classes,subjects \
		"T1,Учителева,Анна,teacher,math,,Математика" \
		"T2,Словесникова,Вера,teacher,lit,,Литература" \
		"T3,Руководова,Ольга,class_leader,kl5a,5А," \
		"T4,Наставникова,Инна,class_leader,kl5b,5Б," > st.csv
	portal-accounts -q import staff st.csv || return 1
	printf '%s\n' student_id,last_name,first_name,birth_date,class \
		"S00001,Иванова,Мария,2015-03-01,5А" \
		"S00002,Петров,Илья,2015-04-02,5А" \
		"S00003,Сидорова,Алина,2015-05-03,5Б" > s.csv
	portal-accounts -q import students s.csv || return 1
	printf '%s\n' class,group,subject,student_id \
		"5А,1 группа,Английский язык,S00001" \
		"5А,1 группа,Английский язык,S00002" > g.csv
	portal-accounts -q groups import g.csv || return 1
	printf '%s\n' name,start,end "1 четверть,2026-09-01,2026-10-24" "2 четверть,2026-11-05,2026-12-28" > p.csv
	portal-journal -q periods import p.csv || return 1
	printf '%s\n' class,weekday,lesson_no,subject,teacher_id,room \
		"5А,1,1,Математика,T1,каб. 1" \
		"5А,1,2,Литература,T2,каб. 2" \
		"5Б,1,1,Литература,T2,каб. 2" \
		"5Б,1,2,Математика,T1,каб. 1" > sc.csv
	portal-journal -q import schedule sc.csv || return 1
}

# csv_rows FILE: the records of a CSV file, fields joined by |, one a line
# (quoted commas, quotes and newlines resolved).
csv_rows() {
	"$PY3" -c 'import csv, sys
for r in csv.reader(open(sys.argv[1], newline="", encoding="utf-8")):
    print("|".join(r).replace("\n", "\\n"))' "$1"
}

# data_rows FILE: the lines of a CSV file after its header.
data_rows() {
	echo $(($(wc -l <"$1") - 1))
}

# refused KIND FILE: the import exits 65 and writes nothing; $stderr is kept.
refused() {
	local before
	before=$(db_digest) || return 1
	run --separate-stderr portal-journal import "$1" "$2"
	status_is 65 || return 1
	same "$before" "$(db_digest)" "store digest after a refused $1 import" || return 1
	contains "nothing was written" "$stderr"
}

# rejected KIND FILE GOOD BAD: with --rejects the GOOD rows are applied and the
# BAD ones land in FILE.rej: the file's header plus error, the original
# fields, a non-empty error.
rejected() {
	local kind=$1 file=$2 good=$3 bad=$4 hdr
	hdr=$(head -1 "$file")
	run --separate-stderr portal-journal import "$kind" --rejects "$file.rej" "$file"
	status_is 0 || return 1
	contains "applied $good, rejected $bad" "$stderr" || return 1
	same "$hdr,error" "$(head -1 "$file.rej")" "rejects header" || return 1
	same "$bad" "$(($(csv_rows "$file.rej" | wc -l) - 1))" "rejected rows" || return 1
	# every rejected row is a row of the input, given back with its error
	local row fields input
	input=$(csv_rows "$file")
	while IFS= read -r row; do
		fields=${row%|*}
		[ -n "${row##*|}" ] || { echo "empty error: $row"; return 1; }
		grep -qxF -- "$fields" <<<"$input" || { echo "not an input row: $fields"; return 1; }
	done < <(csv_rows "$file.rej" | tail -n +2)
}

# xlsx_python: a python3 that has openpyxl.
xlsx_python() {
	local p
	for p in "$PY3" /usr/bin/python3 /usr/local/bin/python3 python3; do
		if command -v "$p" >/dev/null && "$p" -c 'import openpyxl' 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# xlsx_dump PY FILE: every sheet's title cell, then a line per student row:
# sheet|header=type:value|… (floats with two decimals, empty cells left out).
xlsx_dump() {
	"$1" - "$2" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print("sheets|" + "|".join(wb.sheetnames))
for ws in wb:
    rows = list(ws.iter_rows(values_only=True))
    hdr = next(i for i, r in enumerate(rows) if "Ученик" in r)
    names = rows[hdr]
    for r in rows[hdr + 1:]:
        cells = []
        for n, v in zip(names, r):
            if v is None:
                continue
            t = type(v).__name__
            if isinstance(v, float):
                v = "%.2f" % v
            cells.append("%s=%s:%s" % (n, t, v))
        print(ws.title + "|" + "|".join(cells))
EOF
}

# ---- 1. each kind loads the synthetic school's file; the same file again changes nothing ----

reimport_is_a_no_op() {
	local kind=$1 n before audits
	jschool
	n=$(data_rows "s/$kind.csv")
	[ "$n" -gt 3 ]
	run --separate-stderr portal-journal import "$kind" "s/$kind.csv"
	status_is 0
	contains "inserted $n, updated 0, unchanged 0" "$stderr"
	same "$n" "$(q "SELECT count(*) FROM $kind")" "rows in $kind"
	before=$(db_digest)
	audits=$(portal-db audit | wc -l)
	run --separate-stderr portal-journal import "$kind" "s/$kind.csv"
	status_is 0
	contains "inserted 0, updated 0, unchanged $n" "$stderr"
	same "$before" "$(db_digest)" "store digest after the same $kind file again"
	same "$audits" "$(portal-db audit | wc -l)" "audit records after the same $kind file again"
}

@test "import attendance: the synthetic school's file loads; the same file again changes nothing" {
	reimport_is_a_no_op attendance
}

@test "import lessons: the synthetic school's file loads; the same file again changes nothing" {
	reimport_is_a_no_op lessons
	# the group lessons are attached to their groups
	[ "$(q "SELECT count(*) FROM lessons WHERE group_id <> 0")" -eq "$(grep -c '^[^,]*,[^,]' s/lessons.csv | awk '{print $1 - 1}')" ]
}

@test "import schedule: the synthetic school's file loads; the same file again changes nothing" {
	reimport_is_a_no_op schedule
}

@test "import changes: the synthetic school's file loads; the same file again changes nothing" {
	reimport_is_a_no_op changes
}

@test "import tests: the synthetic school's file loads; the same file again changes nothing" {
	reimport_is_a_no_op tests
}

@test "import holidays: the synthetic school's file loads; the same file again changes nothing" {
	reimport_is_a_no_op holidays
	same "1" "$(q "SELECT grades FROM holidays WHERE name LIKE 'Дополнительные%'")" "first-grade holiday grades"
}

@test "import recommendations: the synthetic school's file loads; the same file again changes nothing" {
	reimport_is_a_no_op recommendations
}

@test "import finals: the synthetic school's file loads; the same file again changes nothing" {
	reimport_is_a_no_op finals
}

@test "import marks: the synthetic school's file loads; the same file again changes nothing" {
	reimport_is_a_no_op marks
}

# ---- 2. bad values: FILE:LINE: COLUMN, nothing written, good lines not blamed; --rejects ----

@test "marks: value 6, weight 0, 31.11.2026, an unknown student are named by line; --rejects applies the good one" {
	hschool
	printf '%s\n' student_id,subject,date,value,weight,kind \
		"S00001,Математика,2026-11-10,6,5,контрольная" \
		"S00002,Математика,2026-11-10,4,0,ответ" \
		"S00001,Математика,31.11.2026,4,1,ответ" \
		"S99999,Математика,2026-11-10,4,1,ответ" \
		"S00002,Математика,2026-11-12,5,1,дз" > bad.csv
	refused marks bad.csv
	contains 'bad.csv:2: value:' "$stderr"
	contains 'bad.csv:3: weight:' "$stderr"
	contains 'bad.csv:4: date:' "$stderr"
	contains 'bad.csv:5: student_id:' "$stderr"
	lacks 'bad.csv:6:' "$stderr"
	rejected marks bad.csv 1 4
	same "S00002|5|1.0|дз" "$(q "SELECT student_id, value, ROUND(CAST(weight AS NUMERIC), 1), kind FROM marks")" "the one mark applied"
	run csv_rows bad.csv.rej
	contains 'S00001|Математика|2026-11-10|6|5|контрольная|value:'
	contains 'S99999|Математика|2026-11-10|4|1|ответ|student_id:'
}

@test "attendance: code x, a day not in the calendar, an unknown student are named by line; --rejects applies the good one" {
	hschool
	printf '%s\n' student_id,date,code,lesson_no,subject \
		"S00001,2026-11-16,x,1,Математика" \
		"S00002,2026-11-16,н,1,Математика" \
		"S00001,31.11.2026,н,1," \
		"S99999,2026-11-17,б,," > a.csv
	refused attendance a.csv
	contains 'a.csv:2: code:' "$stderr"
	contains '"x"' "$stderr"
	contains 'a.csv:4: date:' "$stderr"
	contains 'a.csv:5: student_id:' "$stderr"
	lacks 'a.csv:3:' "$stderr"
	same 0 "$(q 'SELECT count(*) FROM attendance')" "attendance rows"
	rejected attendance a.csv 1 3
	same "S00002|2026-11-16|1|н" "$(q 'SELECT student_id, date, lesson_no, code FROM attendance')" "the one record applied"
	run csv_rows a.csv.rej
	contains 'S00001|2026-11-16|x|1|Математика|code:'
}

@test "finals: value 7 and an unknown period are named by line; н/а and осв are finals; --rejects applies the good ones" {
	hschool
	printf '%s\n' student_id,subject,period,value \
		"S00001,Математика,2 четверть,7" \
		"S00002,Математика,2 четверть,н/а" \
		"S00001,Литература,5 четверть,4" \
		"S00002,Литература,2 четверть,осв" > f.csv
	refused finals f.csv
	contains 'f.csv:2: value:' "$stderr"
	contains 'f.csv:4: period:' "$stderr"
	lacks 'f.csv:3:' "$stderr"
	lacks 'f.csv:5:' "$stderr"
	rejected finals f.csv 2 2
	same $'S00002|Математика|2 четверть|н/а\nS00002|Литература|2 четверть|осв' "$(q "SELECT f.student_id, s.name, f.period, f.value FROM finals f JOIN subjects s USING (subject_id) ORDER BY s.name DESC")" "finals applied"
	run csv_rows f.csv.rej
	contains 'S00001|Литература|5 четверть|4|period:'
}

@test "changes: kind maybe is named by line; --rejects applies the good one" {
	hschool
	printf '%s\n' date,class,lesson_no,kind,subject,teacher_id,new_date,new_lesson_no,note \
		"2026-11-16,5А,1,maybe,Математика,T1,,," \
		"2026-11-23,5А,2,cancelled,Литература,,,,болезнь учителя" \
		"2026-11-30,5А,1,moved,Математика,T1,2026-12-01,3,экскурсия" > c.csv
	refused changes c.csv
	contains 'c.csv:2: kind:' "$stderr"
	contains '"maybe"' "$stderr"
	lacks 'c.csv:3:' "$stderr"
	lacks 'c.csv:4:' "$stderr"
	rejected changes c.csv 2 1
	same $'2026-11-23|cancelled\n2026-11-30|moved|2026-12-01|3' "$(q "SELECT date, kind, new_date, new_lesson_no FROM changes ORDER BY date" | sed 's/||$//')" "changes applied"
}

@test "schedule: weekday 7 is named by line; --rejects applies the good one" {
	hschool
	printf '%s\n' class,weekday,lesson_no,subject,teacher_id,room,valid_from,valid_to \
		"5А,7,3,Математика,T1,каб. 1,2026-09-01,2027-05-26" \
		"5А,2,3,Математика,T1,каб. 1,2026-09-01,2027-05-26" > sc2.csv
	refused schedule sc2.csv
	contains 'sc2.csv:2: weekday:' "$stderr"
	lacks 'sc2.csv:3:' "$stderr"
	same 0 "$(q 'SELECT count(*) FROM schedule WHERE lesson_no = 3')" "lesson 3 rows"
	rejected schedule sc2.csv 1 1
	same "2|3" "$(q 'SELECT weekday, lesson_no FROM schedule WHERE lesson_no = 3')" "the one timetable row applied"
}

@test "lessons: an unknown group (of a class or a stream) is named by line; --rejects applies the good one" {
	hschool
	printf '%s\n' class,group,subject,date,lesson_no,teacher_id,topic,homework \
		"5А,Нет такой,Математика,2026-11-16,1,T1,Дроби," \
		"5А,,Математика,2026-11-16,1,T1,Дроби,\"№ 12, 13\"" \
		",Поток нет,Математика,2026-11-17,1,T1,Дроби," \
		"5А,1 группа,Английский язык,2026-11-17,2,,Present Simple," > l.csv
	refused lessons l.csv
	contains 'l.csv:2: group:' "$stderr"
	contains 'l.csv:4: group:' "$stderr"
	lacks 'l.csv:3:' "$stderr"
	lacks 'l.csv:5:' "$stderr"
	rejected lessons l.csv 2 2
	same 2 "$(q 'SELECT count(*) FROM lessons')" "lessons applied"
	same "№ 12, 13" "$(q "SELECT homework FROM lessons WHERE date = '2026-11-16'")" "homework with a comma"
	same 1 "$(q "SELECT count(*) FROM lessons l JOIN study_groups g USING (group_id) WHERE g.name = '1 группа'")" "the group lesson"
}

# ---- 3. attendance codes ----

@test "attendance: п is stored as у, a Latin o as о, an empty lesson_no is the whole day" {
	hschool
	# 2026-11-16 and 2026-11-23 are Mondays: 1 Математика, 2 Литература
	printf '%s\n' student_id,date,code,lesson_no,subject \
		"S00001,2026-11-16,б,," \
		"S00002,2026-11-23,п,2," \
		"S00002,2026-11-24,П,1," \
		"S00001,2026-11-23,o,1,Математика" \
		"S00001,2026-11-24,O,2," \
		"S00002,2026-11-16,н,," \
		"S00002,2026-11-16,о,1," > a.csv
	run --separate-stderr portal-journal import attendance a.csv
	status_is 0
	contains "inserted 7," "$stderr"
	run q "SELECT student_id, date, lesson_no, code FROM attendance ORDER BY 1, 2, 3"
	same $'S00001|2026-11-16|0|б\nS00001|2026-11-23|1|о\nS00001|2026-11-24|2|о\nS00002|2026-11-16|0|н\nS00002|2026-11-16|1|о\nS00002|2026-11-23|2|у\nS00002|2026-11-24|1|у' "$output" "stored attendance"
	# the Cyrillic letters, not look-alikes
	same 0 "$(q "SELECT count(*) FROM attendance WHERE code NOT IN ('н', 'б', 'у', 'о')")" "codes outside н б у о"
	same 3 "$(q "SELECT count(*) FROM attendance WHERE code = 'о'")" "о is U+043E"
	# the whole day shows in every subject of that Monday's timetable
	run portal-journal show --class 5А --from 2026-11-16 --to 2026-11-16
	status_is 0
	has_line "subject,teacher,student_id,student_name,2026-11-16,average,final"
	has_line "Литература,Словесникова Вера,S00001,Иванова Мария,б,,"
	has_line "Математика,Учителева Анна,S00001,Иванова Мария,б,,"
	# an excused lesson 2 shows in lesson 2's subject only
	run portal-journal show --class 5А --from 2026-11-23 --to 2026-11-23
	status_is 0
	has_line "Литература,Словесникова Вера,S00002,Петров Илья,у,,"
	has_line "Математика,Учителева Анна,S00002,Петров Илья,,,"
	has_line "Математика,Учителева Анна,S00001,Иванова Мария,о,,"
	has_line "Литература,Словесникова Вера,S00001,Иванова Мария,,,"
}

@test "attendance: a code for one lesson goes to that lesson's subject whatever else happened that day" {
	hschool
	# Monday 2026-11-30: Петров has a «5» in Литература (lesson 2) and is late to lesson 1 (Математика);
	# Monday 2026-12-07: Петров has a «5» in Литература, Иванова is ill the whole day
	printf '%s\n' student_id,subject,date,value,weight,kind,lesson_no \
		"S00002,Литература,2026-11-30,5,1,ответ,2" "S00002,Литература,2026-12-07,5,1,ответ,2" > m.csv
	portal-journal -q import marks m.csv
	printf '%s\n' student_id,date,code,lesson_no "S00002,2026-11-30,о,1" "S00001,2026-12-07,б," > a.csv
	portal-journal -q import attendance a.csv
	run portal-journal show --class 5А --from 2026-11-30 --to 2026-11-30
	status_is 0
	has_line "Математика,Учителева Анна,S00002,Петров Илья,о,,"
	has_line "Литература,Словесникова Вера,S00002,Петров Илья,5,5.00,"
	run portal-journal show --class 5А --from 2026-12-07 --to 2026-12-07
	status_is 0
	has_line "Математика,Учителева Анна,S00001,Иванова Мария,б,,"
	has_line "Литература,Словесникова Вера,S00001,Иванова Мария,б,,"
}

# ---- 4. a line repeating an earlier line's identity ----

@test "a line repeating the identity of an earlier line is an error naming it; nothing is written" {
	hschool
	# the same mark however its subject and date are typed
	printf '%s\n' student_id,subject,date,value,weight,kind \
		"S00002,Математика,2026-11-20,4,1,ответ" \
		"S00001,Математика,2026-11-20,4,1,ответ" \
		"S00002,математика ,20.11.2026,5,1,ответ" \
		"S00002,Математика,2026-11-20,5,1,дз" > d.csv
	refused marks d.csv
	contains 'd.csv:4:' "$stderr"
	contains 'repeats' "$stderr"
	lacks 'd.csv:2:' "$stderr"
	lacks 'd.csv:3:' "$stderr"
	lacks 'd.csv:5:' "$stderr"
	same 0 "$(q 'SELECT count(*) FROM marks')" "marks"
	# attendance: one per student, date and lesson (the whole day is a lesson of its own)
	printf '%s\n' student_id,date,code,lesson_no \
		"S00002,2026-11-20,н," \
		"S00002,2026-11-20,о,1" \
		"S00002,2026-11-20,б,1" > d2.csv
	refused attendance d2.csv
	contains 'd2.csv:4:' "$stderr"
	contains 'repeats' "$stderr"
	lacks 'd2.csv:2:' "$stderr"
	lacks 'd2.csv:3:' "$stderr"
	# finals: one per student, subject and period
	printf '%s\n' student_id,subject,period,value \
		"S00002,Математика,2 четверть,4" \
		"S00002,Математика,2 четверть,5" > d3.csv
	refused finals d3.csv
	contains 'd3.csv:3:' "$stderr"
	lacks 'd3.csv:2:' "$stderr"
	# lessons: one per class (or group), date and lesson
	printf '%s\n' class,subject,date,lesson_no,topic \
		"5А,Математика,2026-11-16,1,Дроби" \
		"5А,Литература,2026-11-16,1,Басни" > d4.csv
	refused lessons d4.csv
	contains 'd4.csv:3:' "$stderr"
	lacks 'd4.csv:2:' "$stderr"
}

# ---- 5. --sync ----

# sync_fixture: the synthetic school with its marks; m5.csv the marks of 5А in
# Математика; m5s.csv the same without lines 10 and 20 and with line 30's value
# changed. R1 R2 the removed lines, C the changed one (as CSV lines).
sync_fixture() {
	jschool
	jload marks attendance
	local ids
	ids=$(awk -F, '$6 == "5А" { print $1 }' s/students.csv | paste -sd'|')
	{ head -1 s/marks.csv; grep -E "^($ids),Математика," s/marks.csv; } > m5.csv
	[ "$(data_rows m5.csv)" -gt 100 ]
	R1=$(sed -n 10p m5.csv)
	R2=$(sed -n 20p m5.csv)
	C=$(sed -n 30p m5.csv)
	awk -F, -v OFS=, 'NR == 10 || NR == 20 { next } NR == 30 { $4 = ($4 == 5 ? 4 : 5) } { print }' m5.csv > m5s.csv
	# the removed lines are inside the file's dates: the earliest and the latest stay
	local lo hi
	lo=$(tail -n +2 m5.csv | cut -d, -f3 | sort | head -1)
	hi=$(tail -n +2 m5.csv | cut -d, -f3 | sort | tail -1)
	[ "$(cut -d, -f3 <<<"$R1")" != "$lo" ] && [ "$(cut -d, -f3 <<<"$R1")" != "$hi" ]
	[ "$(cut -d, -f3 <<<"$R2")" != "$lo" ] && [ "$(cut -d, -f3 <<<"$R2")" != "$hi" ]
}

# mark_of LINE: the stored value and weight of the mark of a marks.csv line (empty: none).
mark_of() {
	local sid subj date kind lesson
	IFS=, read -r sid subj date _ _ kind lesson _ <<<"$1"
	q "SELECT m.value || '|' || CASE WHEN m.weight = CAST(m.weight AS INTEGER) THEN CAST(CAST(m.weight AS INTEGER) AS TEXT)
	   ELSE CAST(m.weight AS TEXT) END FROM marks m JOIN subjects s USING (subject_id)
	   WHERE m.student_id = '$sid' AND s.name = '$subj' AND m.date = '$date' AND m.kind = '$kind' AND m.lesson_no = $lesson"
}

# others_digest: the marks that are not 5А's Математика.
others_digest() {
	q "SELECT m.* FROM marks m JOIN students st USING (student_id) JOIN subjects s USING (subject_id)
	   WHERE NOT (st.class = '5А' AND s.name = 'Математика') ORDER BY 1, 2, 3, 4, 5" | sha256sum
}

@test "--sync: two marks gone from the file are removed and audited with their old values; others untouched" {
	sync_fixture
	n=$(data_rows m5.csv)
	others=$(others_digest)
	att=$(table_digest attendance)
	[ -n "$(mark_of "$R1")" ] && [ -n "$(mark_of "$R2")" ]
	old1=$(mark_of "$R1")
	old2=$(mark_of "$R2")
	newv=$(awk -F, 'NR == 30 { print $4 }' m5s.csv)
	run --separate-stderr portal-journal import marks --sync m5s.csv
	status_is 0
	contains "inserted 0, updated 1, unchanged $((n - 3)), removed 2" "$stderr"
	same "" "$(mark_of "$R1")" "the first removed mark"
	same "" "$(mark_of "$R2")" "the second removed mark"
	same "$newv" "$(mark_of "$C" | cut -d'|' -f1)" "the changed mark"
	same "$((n - 2))" "$(q "SELECT count(*) FROM marks m JOIN students st USING (student_id) JOIN subjects s USING (subject_id) WHERE st.class = '5А' AND s.name = 'Математика'")" "5А's Математика marks"
	same "$others" "$(others_digest)" "the other classes' and subjects' marks"
	same "$att" "$(table_digest attendance)" "attendance"
	# the audit log: two deletes, each with the old value and weight
	run portal-db audit
	status_is 0
	deletes=$(grep -F '""op"":""delete""' <<<"$output")
	same 2 "$(grep -c . <<<"$deletes")" "delete records"
	for r in "$R1" "$R2"; do
		IFS=, read -r sid _ date value weight kind _ <<<"$r"
		line=$(grep -F "mark:$sid:" <<<"$deletes" | grep -F ":$date:" | grep -F ":$kind,")
		[ -n "$line" ] || { echo "no delete record for $r"; echo "$deletes"; false; }
		contains "\"\"value\"\":[\"\"$value\"\",null]" "$line"
		contains "\"\"weight\"\":[\"\"$weight\"\",null]" "$line"
	done
	run portal-db check
	status_is 0
}

@test "--sync --dry-run lists the delete rows and changes nothing" {
	sync_fixture
	before=$(db_digest)
	run --separate-stderr portal-journal import marks --sync --dry-run m5s.csv
	status_is 0
	same "op,kind,id,field,old,new" "${lines[0]}" "dry-run header"
	contains "removed 2" "$stderr"
	for r in "$R1" "$R2"; do
		IFS=, read -r sid _ date value _ kind _ <<<"$r"
		grep -E "^delete,mark,$sid:[^,]*:$date:[^,]*:$kind,value,$value,$" <<<"$output" ||
			{ echo "no delete row for $r in:"; echo "$output"; false; }
	done
	same 1 "$(grep -c '^update,mark,.*,value,' <<<"$output")" "update rows"
	same 0 "$(grep -c '^insert,' <<<"$output")" "insert rows"
	same "$before" "$(db_digest)" "store digest after a dry run"
}

@test "--sync with an empty file removes nothing" {
	sync_fixture
	head -1 m5.csv > empty.csv
	before=$(db_digest)
	run --separate-stderr portal-journal import marks --sync empty.csv
	status_is 0
	contains "removed 0" "$stderr"
	same "$before" "$(db_digest)" "store digest"
}

# ---- 6. roles ----

@test "roles: a class leader reads the journal of their class only and never imports" {
	jschool
	jload schedule lessons marks
	leader=$(awk -F, '$5 == "class_leader" && $10 == "5А" { print $6 }' s/staff.csv)
	[ -n "$leader" ]
	other=$(awk -F, '$6 == "5Б" { print $1; exit }' s/students.csv)
	printf '%s\n' student_id,subject,date,value,weight,kind "S00001,Математика,2026-11-16,5,1,тест" > tm.csv
	before=$(db_digest)
	PORTAL_ACTOR=$leader run --separate-stderr portal-journal import marks tm.csv
	status_is 77
	contains "not permitted" "$stderr"
	contains "edit the journal" "$stderr"
	PORTAL_ACTOR=$leader run --separate-stderr portal-journal import attendance s/attendance.csv
	status_is 77
	same "$before" "$(db_digest)" "store digest"
	PORTAL_ACTOR=$leader run --separate-stderr portal-journal show --class 5А --period "2 четверть"
	status_is 0
	contains "S00001,"
	lacks "$other,"
	same "$(portal-journal show --class 5А --period '2 четверть')" "$output" "the leader's journal is the admin's"
	PORTAL_ACTOR=$leader run --separate-stderr portal-journal show --class 5Б --period "2 четверть"
	status_is 77
	same "" "$output" "standard output of a refused show"
	contains "5Б" "$stderr"
}

@test "roles: a teacher imports for the classes and subjects the timetable gives them, and no school-wide files" {
	jschool
	jload schedule
	math=$(awk -F, '$5 == "teacher" && $11 == "Математика" { print $6 }' s/staff.csv)
	[ "$math" = t007 ]
	# the timetable gives 5А's Русский язык to somebody else
	rus=$(awk -F, '$1 == "5А" && $4 == "Русский язык" { print $5; exit }' s/schedule.csv)
	[ -n "$rus" ] && [ "$rus" != T007 ]
	printf '%s\n' student_id,subject,date,value,weight,kind "S00001,Математика,2026-11-16,5,1,тест" > tm.csv
	PORTAL_ACTOR=t007 run --separate-stderr portal-journal import marks tm.csv
	status_is 0
	contains "inserted 1," "$stderr"
	same "5|t007" "$(q "SELECT m.value, a.actor FROM marks m JOIN audit a ON a.seq = m.audit_seq")" "the teacher's mark and who wrote it"
	printf '%s\n' student_id,subject,date,value,weight,kind \
		"S00002,Математика,2026-11-17,4,1,тест" "S00002,Русский язык,2026-11-17,5,1,диктант" > tm2.csv
	before=$(db_digest)
	PORTAL_ACTOR=t007 run --separate-stderr portal-journal import marks tm2.csv
	status_is 77
	contains "tm2.csv:3:" "$stderr"
	lacks "tm2.csv:2:" "$stderr"
	same "$before" "$(db_digest)" "store digest after a refused import"
	printf '%s\n' class,subject,date,topic "5А,Математика,2026-12-10,Дроби" > tt.csv
	PORTAL_ACTOR=t007 run --separate-stderr portal-journal import tests tt.csv
	status_is 0
	before=$(db_digest)
	for k in schedule changes holidays; do
		PORTAL_ACTOR=t007 run --separate-stderr portal-journal import "$k" "s/$k.csv"
		status_is 77
		contains "not permitted" "$stderr"
	done
	same "$before" "$(db_digest)" "store digest after refused school-wide imports"
}

# ---- 7. show: the weighted average, the dates with marks, the final mark ----

# avg_fixture: Иванова: «4» контрольная weight 5, «5» ответ weight 3, «5» дз weight 1 in
# Математика in 2 четверть (and a «2» in 1 четверть); Петров a «3»; her final «4».
avg_fixture() {
	hschool
	printf '%s\n' student_id,subject,date,value,weight,kind \
		"S00001,Математика,2026-11-10,4,5,контрольная" \
		"S00001,Математика,2026-11-11,5,3,ответ" \
		"S00001,Математика,2026-11-12,5,1,дз" \
		"S00002,Математика,2026-11-13,3,1,ответ" \
		"S00001,Математика,2026-10-20,2,1,ответ" \
		"S00003,Математика,2026-11-18,2,1,ответ" > m.csv
	portal-journal -q import marks m.csv
	printf '%s\n' student_id,subject,period,value "S00001,Математика,2 четверть,4" "S00001,Математика,1 четверть,3" > f.csv
	portal-journal -q import finals f.csv
}

@test "show: the weighted average is 4.44, the dates are those with marks, the final mark is shown" {
	avg_fixture
	run --separate-stderr portal-journal show --class 5А --period "2 четверть"
	status_is 0
	same "subject,teacher,student_id,student_name,2026-11-10,2026-11-11,2026-11-12,2026-11-13,average,final" "${lines[0]}" "header"
	has_line "Математика,Учителева Анна,S00001,Иванова Мария,4,5,5,,4.44,4"
	has_line "Математика,Учителева Анна,S00002,Петров Илья,,,,3,3.00,"
	has_line "Литература,Словесникова Вера,S00001,Иванова Мария,,,,,,"
	same 5 "${#lines[@]}" "lines (header, two subjects × two students)"
	lacks "S00003"
	lacks "2026-10-20"
	# the other period: its own dates and final
	run --separate-stderr portal-journal show --class 5А --period "1 четверть" --subject Математика
	status_is 0
	same "subject,teacher,student_id,student_name,2026-10-20,average,final" "${lines[0]}" "header of 1 четверть"
	has_line "Математика,Учителева Анна,S00001,Иванова Мария,2,2.00,3"
}

@test "show --format table aligns the columns, --format json is one object per line" {
	avg_fixture
	portal-journal show --class 5А --period "2 четверть" > show.csv
	portal-journal show --class 5А --period "2 четверть" --format table > show.txt
	# the table, cut by the dashes under its header, holds the CSV's cells; gaps stay blank
	run "$PY3" - show.txt show.csv <<'EOF'
import csv, re, sys
lines = open(sys.argv[1], encoding="utf-8").read().rstrip("\n").split("\n")
rows = list(csv.reader(open(sys.argv[2], encoding="utf-8", newline="")))
spans = [m.span() for m in re.finditer(r"-+", lines[1])]
bad = []
if len(spans) != len(rows[0]):
    bad.append("%d columns in the table, %d in the CSV" % (len(spans), len(rows[0])))
def cut(line):
    for i, (a, b) in enumerate(spans):
        nxt = spans[i + 1][0] if i + 1 < len(spans) else len(line)
        if line[b:nxt].strip():
            bad.append("not blank between columns %d and %d: %r" % (i, i + 1, line))
    return [line[a:b].strip() for a, b in spans]
head = cut(lines[0])
want = [re.sub(r"^\d{4}-(\d\d)-(\d\d)$", r"\2.\1", h) for h in rows[0]]
if head != want and head != rows[0]:
    bad.append("header %r, expected %r" % (head, want))
if [cut(l) for l in lines[2:]] != rows[1:]:
    bad.append("cells %r, expected %r" % ([cut(l) for l in lines[2:]], rows[1:]))
print("\n".join(bad) or "aligned")
EOF
	status_is 0
	same "aligned" "$output" "table layout"
	run --separate-stderr portal-journal show --class 5А --period "2 четверть" --format json
	status_is 0
	same 4 "${#lines[@]}" "JSON lines"
	run "$PY3" -c 'import json, sys
objs = [json.loads(l) for l in sys.stdin.read().split("\n") if l]
assert all(isinstance(o, dict) for o in objs)
for o in objs:
    if o["student_id"] == "S00001" and o["subject"] == "Математика":
        print(o["student_name"], o["average"], o["final"], o["2026-11-10"], o["2026-11-13"])' <<<"$output"
	status_is 0
	same "Иванова Мария 4.44 4 4 None" "$output" "Иванова's Математика object"
}

# ---- 8. show --format xlsx ----

@test "show --format xlsx -o FILE writes a workbook: a sheet per subject, numbers as numbers, mode 0600" {
	PY=$(xlsx_python) || skip "no python3 with openpyxl"
	avg_fixture
	run --separate-stderr portal-journal show --class 5А --period "2 четверть" --format xlsx -o j.xlsx
	status_is 0
	[ -s j.xlsx ]
	same 600 "$(file_mode j.xlsx)" "workbook mode"
	run xlsx_dump "$PY" j.xlsx
	status_is 0
	has_line "sheets|Литература|Математика"
	has_line "Математика|№=int:1|Ученик=str:Иванова Мария|10.11=int:4|11.11=int:5|12.11=int:5|Средний балл=float:4.44|Итог=int:4"
	has_line "Математика|№=int:2|Ученик=str:Петров Илья|13.11=int:3|Средний балл=int:3"
	has_line "Литература|№=int:1|Ученик=str:Иванова Мария"
	dump=$output
	# -o - writes the same workbook to standard output
	portal-journal show --class 5А --period "2 четверть" --format xlsx -o - > out.xlsx
	same "PK" "$(head -c 2 out.xlsx)" "the start of -o -"
	run xlsx_dump "$PY" out.xlsx
	status_is 0
	same "$dump" "$output" "the workbook of -o -"
}

@test "show --format xlsx without -o on a terminal is refused" {
	command -v script >/dev/null || skip "no script(1) to fake a terminal"
	avg_fixture
	run script -qec "portal-journal show --class 5А --period '2 четверть' --format xlsx" /dev/null </dev/null
	status_is 64
	contains "-o"
	lacks "[Content_Types]"
	lacks "PK"
}

# ---- 9. teachers ----

@test "teachers --class 5А: the timetable's teachers, the class's groups and an individual plan" {
	jschool
	jload schedule lessons
	run --separate-stderr portal-journal teachers --class 5А
	status_is 0
	same "subject,kind,group,group_class,teacher_id,teacher_name,students" "${lines[0]}" "header"
	# a class row for every subject of the timetable, with its teacher
	while IFS=, read -r subject tid; do
		grep -q "^$subject,class,,5А,$tid," <<<"$output" || { echo "no class row $subject $tid"; false; }
	done < <(awk -F, '$1 == "5А" { print $4 "," $5 }' s/schedule.csv | sort -u)
	same "$(awk -F, '$1 == "5А" { print $4 }' s/schedule.csv | sort -u | wc -l)" "$(grep -c '^[^,]*,class,' <<<"$output")" "class rows"
	# a group row for every group of 5А with its size; a group of one is an individual plan
	ngroups=0
	while read -r count key; do
		IFS=, read -r subject group <<<"$key"
		if [ "$count" -eq 1 ]; then
			has_line_re="^$subject,individual,$group,5А,.*,1$"
			case $group in ИУП*) ;; *) echo "a group of one not named ИУП: $group" ;; esac
		else
			has_line_re="^$subject,group,$group,5А,.*,$count$"
		fi
		grep -qE "$has_line_re" <<<"$output" || { echo "no row /$has_line_re/ in:"; echo "$output"; false; }
		ngroups=$((ngroups + 1))
	done < <(awk -F, '$1 == "5А" { print $3 "," $2 }' s/groups.csv | sort | uniq -c)
	[ "$ngroups" -ge 3 ]
	same "$ngroups" "$(grep -cE '^[^,]*,(group|individual),' <<<"$output")" "group rows"
	same 1 "$(grep -cE '^[^,]*,individual,ИУП ' <<<"$output")" "individual rows"
	# English groups are taught by the English teacher of the timetable
	eng=$(awk -F, '$1 == "5А" && $4 == "Английский язык" { print $5; exit }' s/schedule.csv)
	same 2 "$(grep -c "^Английский язык,group,.*,5А,$eng," <<<"$output")" "English groups with their teacher"
	lacks ",5Б,"
}

# ---- 10. portal-db check ----

@test "portal-db check is ok after every kind is imported and names the table of a dangling attendance row" {
	jschool
	jload $ALL_KINDS
	run --separate-stderr portal-db check
	status_is 0
	contains "ok" "$output$stderr"
	sqlite3 "$PORTAL_DB" "UPDATE attendance SET student_id = 'S77777' WHERE student_id = 'S00001' AND date = (SELECT min(date) FROM attendance WHERE student_id = 'S00001')"
	run --separate-stderr portal-db check
	status_is 65
	contains "attendance" "$stderr"
	contains "S77777" "$stderr"
}

@test "portal-db check names the table of a final of a missing student" {
	jschool
	jload finals
	sqlite3 "$PORTAL_DB" "UPDATE finals SET student_id = 'S77777' WHERE student_id = 'S00001' AND period = '1 четверть' AND subject_id = (SELECT min(subject_id) FROM finals WHERE student_id = 'S00001' AND period = '1 четверть')"
	run --separate-stderr portal-db check
	status_is 65
	contains "final" "$stderr"
	contains "S77777" "$stderr"
}

@test "a leaked teacher login: its changes after the report are undone, its removals restored, its new marks drop out" {
	hschool
	printf '%s\n' student_id,subject,date,value,weight,kind \
		"S00001,Математика,2026-11-09,4,5,контрольная" \
		"S00001,Математика,2026-11-16,5,1,дз" \
		"S00002,Математика,2026-11-16,3,1,дз" > m.csv
	PORTAL_NOW=2026-11-20T09:00:00Z PORTAL_ACTOR=math portal-journal import marks -q m.csv
	before=$(sqlite3 "$PORTAL_DB" "SELECT student_id, date, value FROM marks ORDER BY 1, 2")
	# after the leak: a value changed, a mark removed by --sync, a new mark added
	printf '%s\n' student_id,subject,date,value,weight,kind \
		"S00001,Математика,2026-11-09,2,5,контрольная" \
		"S00002,Математика,2026-11-16,3,1,дз" \
		"S00002,Математика,2026-11-23,2,1,дз" > bad.csv
	PORTAL_NOW=2026-11-25T10:00:00Z PORTAL_ACTOR=math portal-journal import marks -q --sync bad.csv
	[ "$(sqlite3 "$PORTAL_DB" "SELECT value FROM marks WHERE student_id = 'S00001' AND date = '2026-11-09'")" = 2 ]
	[ "$(sqlite3 "$PORTAL_DB" "SELECT count(*) FROM marks WHERE student_id = 'S00001' AND date = '2026-11-16'")" = 0 ]
	PORTAL_NOW=2026-11-25T12:00:00Z run --separate-stderr portal-accounts breach math \
		--discovered-at 2026-11-25T08:00:00Z --reported-at 2026-11-25T09:00:00Z
	status_is 0
	contains "3 operations after the report invalidated" "$stderr"
	# the change and the removal are put back; the new mark stays in the table but counts nowhere
	same "$(sqlite3 "$PORTAL_DB" "SELECT student_id, date, value FROM marks WHERE NOT EXISTS
		(SELECT 1 FROM audit_invalid i WHERE i.seq = marks.audit_seq) ORDER BY 1, 2")" "$before"
	run portal-journal show --class 5А --period "2 четверть" --subject математика
	contains "S00001,Иванова Мария,4,5,4.17," "$output"
	lacks "2026-11-23" "$output"
	run portal-db audit
	[ "$(grep -c ',compensate\|"op"":""compensate' <<<"$output")" -ge 2 ]
	run portal-db check
	status_is 0
	# the next import of the invalidated mark by a valid login makes it count again
	printf '%s\n' student_id,subject,date,value,weight,kind "S00002,Математика,2026-11-23,2,1,дз" > again.csv
	run --separate-stderr portal-journal import marks again.csv
	contains "inserted 1" "$stderr"
	run portal-journal show --class 5А --period "2 четверть" --subject математика
	contains "2026-11-23" "$output"
}

@test "--sync with rejected lines removes nothing, and says so; a teacher's marks name the teacher" {
	hschool
	printf '%s\n' student_id,subject,date,value,weight,kind \
		"S00001,Математика,2026-11-09,4,5,контрольная" \
		"S00001,Математика,2026-11-16,5,1,дз" \
		"S00002,Математика,2026-11-16,3,1,дз" > m.csv
	PORTAL_ACTOR=math portal-journal import marks -q m.csv
	[ "$(sqlite3 "$PORTAL_DB" "SELECT DISTINCT teacher_id FROM marks")" = T1 ]
	# line 3 is bad: the S00001 mark of 16.11 it stands for must not be taken as absent
	printf '%s\n' student_id,subject,date,value,weight,kind \
		"S00001,Математика,2026-11-09,4,5,контрольная" \
		"S00001,Математика,2026-11-16,6,1,дз" \
		"S00002,Математика,2026-11-16,3,1,дз" > s.csv
	run --separate-stderr portal-journal import marks --sync --rejects rej.csv s.csv
	status_is 0
	contains "removed nothing" "$stderr"
	contains "removed 0" "$stderr"
	[ "$(sqlite3 "$PORTAL_DB" "SELECT count(*) FROM marks")" = 3 ]
}
