#!/usr/bin/env bats
# portal-report: SPEC §6's formulas on a hand-made class (the worked example:
# 25 students, 5×«5», 10×«4», 8×«3», 2×«2» → 92.0, 60.0, 58.4, 3.72), who is in
# N and who is out, attendance by kind, the reports by student, for one student
# and the coverage, the formats (csv, table, json, xlsx), the roles, and the
# nightly run (files, atomic, byte-identical twice, its lock, a busy store).
# All people are made up.

load helpers
bats_require_minimum_version 1.5.0

P="2 четверть"	# 2026-11-05 … 2026-12-28

# PY3: a python3 with openpyxl, to read CSV, JSON and workbooks back (the system
# one first: a version manager's shim costs a second a call)
for PY3 in /usr/bin/python3 /usr/local/bin/python3 python3; do
	command -v "$PY3" >/dev/null && "$PY3" -c 'import openpyxl' 2>/dev/null && break
done

# The worked example, made once for the file in $BATS_FILE_TMPDIR/base/p.db:
# staff T1 (teacher of Математика), kl7a (leads 7А), kl7b (leads 7Б), dep
# (deputy); 7А: S00001…S00025, surnames in the order of their ids; each has
# one «ответ» on 2026-11-09 in Математика equal to their final for the period
# (5×5, 10×4, 8×3, 2×2), so every weighted average is the mark itself;
# 7Б: S00101 Яковлева, S00102 Осипова (no marks); the two periods; Математика on
# Mondays in both classes.
VALS=(5 5 5 5 5 4 4 4 4 4 4 4 4 4 4 3 3 3 3 3 3 3 3 2 2)
SURNAMES=(Абрамова Белова Веткина Гусева Дроздова Ежова Жукова Зимина Ильина Ковалёва Лебедева Мухина Никитина
	Орлова Павлова Рябова Соколова Титова Уткина Фомина Харитонова Цветкова Чернова Шубина Щукина)
NAMES=(Алина Вера Дарья Ева Инна Кира Лада Майя Нина Ольга Полина Рита Софья Таисия Ульяна Фаина Юлия Яна
	Алиса Вика Гая Злата Ирма Лея Мила)

setup_file() {
	local dir=$BATS_FILE_TMPDIR/base i
	mkdir -p "$dir" || return 1
	export PORTAL_DB="$(store_at "$dir/p.db")" PORTAL_ACTOR=admin PORTAL_NOW=2026-11-28T09:00:00Z LC_ALL=C.UTF-8
	unset PORTAL_BUSY_TIMEOUT SOURCE_DATE_EPOCH
	(
		cd "$dir" || exit 1
		new_store || exit 1
		printf '%s\n' staff_id,last_name,first_name,role,login,classes,subjects \
			"T1,Учителева,Анна,teacher,math,,Математика" \
			"T2,Словесникова,Вера,teacher,lit,,Литература" \
			"T3,Руководова,Ольга,class_leader,kl7a,7А," \
			"T4,Наставникова,Инна,class_leader,kl7b,7Б," \
			"T5,Завучева,Нина,deputy,dep,," >st.csv
		portal-accounts -q import staff st.csv || exit 1
		{
			echo student_id,last_name,first_name,birth_date,class
			for i in $(seq 1 25); do
				printf 'S%05d,%s,%s,2013-01-%02d,7А\n' "$i" "${SURNAMES[i - 1]}" "${NAMES[i - 1]}" "$i"
			done
			echo "S00101,Яковлева,Вера,2013-02-01,7Б"
			echo "S00102,Осипова,Ева,2013-02-02,7Б"
		} >s.csv
		portal-accounts -q import students s.csv || exit 1
		printf '%s\n' name,start,end "1 четверть,2026-09-01,2026-10-24" "$P,2026-11-05,2026-12-28" >p.csv
		portal-journal -q periods import p.csv || exit 1
		printf '%s\n' class,weekday,lesson_no,subject,teacher_id,room \
			"7А,1,1,Математика,T1,каб. 1" "7Б,1,1,Математика,T1,каб. 1" >sc.csv
		portal-journal -q import schedule sc.csv || exit 1
		{
			echo student_id,subject,period,value
			for i in $(seq 1 25); do printf 'S%05d,Математика,%s,%s\n' "$i" "$P" "${VALS[i - 1]}"; done
		} >f.csv
		{
			echo student_id,subject,date,value,kind
			for i in $(seq 1 25); do printf 'S%05d,Математика,2026-11-09,%s,ответ\n' "$i" "${VALS[i - 1]}"; done
		} >m.csv
		portal-journal -q import finals f.csv || exit 1
		portal-journal -q import marks m.csv || exit 1
		checkpoint
	)
}

# rschool: this test's copy of the worked example.
rschool() {
	store_cp "$(store_at "$BATS_FILE_TMPDIR/base/p.db")" "$PORTAL_DB"
}

teardown() {
	# a store lock holder started by a test (only that pid)
	if [ -n "${holder-}" ]; then
		kill "$holder" 2>/dev/null || true
		wait "$holder" 2>/dev/null || true
	fi
}

# students CSV-LINES…: imports students (student_id,last_name,first_name,birth_date,class,status,left_on).
students() {
	printf '%s\n' student_id,last_name,first_name,birth_date,class,status,left_on "$@" >xs.csv
	portal-accounts -q import students xs.csv
}

# marks LINES…: imports marks (student_id,subject,date,value,kind,weight).
marks() {
	printf '%s\n' student_id,subject,date,value,kind,weight "$@" >xm.csv
	portal-journal -q import marks xm.csv
}

# finals LINES…: imports finals (student_id,subject,period,value).
finals() {
	printf '%s\n' student_id,subject,period,value "$@" >xf.csv
	portal-journal -q import finals xf.csv
}

# math_row [OPTIONS…]: 7А's Математика row of progress for the period.
math_row() {
	run --separate-stderr portal-report progress --class 7А --period "$P" "$@"
	status_is 0 || return 1
	row=$(grep '^7А,Математика,' <<<"$output")
}

HDR=class,subject,teacher,students,assessed,avg_mark,pct_success,pct_quality,sou,n5,n4,n3,n2,nna
TEACHER="Учителева Анна"

# ---- 1. the worked example and who is in N ----

@test "progress: the worked example comes out exactly (25: 5×5, 10×4, 8×3, 2×2 → 92.0, 60.0, 58.4, 3.72)" {
	rschool
	math_row
	same "7А,Математика,$TEACHER,25,25,3.72,92.0,60.0,58.4,5,10,8,2,0" "$row" "Математика in 7А"
	# one row per subject of the class: 7Б's subject is not in it
	same 1 "$(grep -c . <<<"${output#*$'\n'}")" "data rows"
	# every class: a row per class and subject
	run --separate-stderr portal-report progress --all --period "$P"
	status_is 0
	has_line "7А,Математика,$TEACHER,25,25,3.72,92.0,60.0,58.4,5,10,8,2,0"
	has_line "7Б,Математика,$TEACHER,2,0,,,,,0,0,0,0,0"
}

@test "progress: the SPEC's columns are there, in the SPEC's order" {
	rschool
	run --separate-stderr portal-report progress --class 7А --period "$P"
	status_is 0
	hdr=$(head -1 <<<"$output")
	# subject,teacher,students,assessed,avg_mark,pct_success,pct_quality,sou,n5,n4,n3,n2 as a subsequence
	[[ ",$hdr," == *,subject,teacher,students,assessed,avg_mark,pct_success,pct_quality,sou,n5,n4,n3,n2,* ]] ||
		{ echo "header: $hdr"; return 1; }
}

@test "progress: --from/--to over the period's dates gives the same figures from the averages" {
	rschool
	math_row --period "$P"
	by_period=$row
	run --separate-stderr portal-report progress --class 7А --from 05.11.2026 --to 2026-12-28
	status_is 0
	same "$by_period" "$(grep '^7А,Математика,' <<<"$output")" "the row by dates"
	# a range without the marks' date: nobody assessed
	run --separate-stderr portal-report progress --class 7А --from 2026-11-10 --to 2026-12-28
	status_is 0
	lacks ",3.72,"
}

@test "progress: a student with no marks counts in students, not in N" {
	rschool
	students "S00026,Эльцина,Зоя,2013-03-01,7А,active,"
	math_row
	same "7А,Математика,$TEACHER,26,25,3.72,92.0,60.0,58.4,5,10,8,2,0" "$row" "Математика in 7А"
}

@test "progress: a student who left before the period ended is out; one who left after it is in" {
	rschool
	students "S00027,Юрьева,Зоя,2013-03-02,7А,left,2026-11-20"
	marks "S00027,Математика,2026-11-16,5,ответ,1"
	finals "S00027,Математика,$P,5"
	math_row
	same "7А,Математика,$TEACHER,25,25,3.72,92.0,60.0,58.4,5,10,8,2,0" "$row" "with one who left on 2026-11-20"
	# left the day after the period's end: a «5» in N (26): 24/26, 16/26, 1560/26, 98/26
	students "S00027,Юрьева,Зоя,2013-03-02,7А,left,2026-12-29"
	math_row
	same "7А,Математика,$TEACHER,26,26,3.77,92.3,61.5,60.0,6,10,8,2,0" "$row" "with one who left on 2026-12-29"
}

@test "progress: a final н/а stays in N, counts in nna and 7 in СОУ" {
	rschool
	# Яблокова's weighted average is (4·18 + 3·7)/25 = 3.72, so avg_mark is 3.72 whether
	# or not an н/а student's average counts in it
	students "S00028,Яблокова,Зоя,2013-03-03,7А,active,"
	marks "S00028,Математика,2026-11-16,4,ответ,18" "S00028,Математика,2026-11-23,3,ответ,7"
	finals "S00028,Математика,$P,н/а"
	math_row
	# N 26: 23/26 = 88.5, 15/26 = 57.7, (500 + 640 + 288 + 32 + 7)/26 = 56.4
	same "7А,Математика,$TEACHER,26,26,3.72,88.5,57.7,56.4,5,10,8,2,1" "$row" "Математика in 7А"
}

@test "progress: an exempt student (осв) is out of N and out of the average" {
	rschool
	students "S00029,Ягодина,Зоя,2013-03-04,7А,active,"
	marks "S00029,Математика,2026-11-16,5,ответ,1"
	finals "S00029,Математика,$P,осв"
	math_row
	same "7А,Математика,$TEACHER,26,25,3.72,92.0,60.0,58.4,5,10,8,2,0" "$row" "Математика in 7А"
}

@test "progress: no marks, left, н/а, осв and left after the end together" {
	rschool
	students "S00026,Эльцина,Зоя,2013-03-01,7А,active," \
		"S00027,Юрьева,Зоя,2013-03-02,7А,left,2026-11-20" \
		"S00028,Яблокова,Зоя,2013-03-03,7А,active," \
		"S00029,Ягодина,Зоя,2013-03-04,7А,active," \
		"S00030,Якушева,Зоя,2013-03-05,7А,left,2027-01-11"
	marks "S00027,Математика,2026-11-16,5,ответ,1" \
		"S00028,Математика,2026-11-16,4,ответ,18" "S00028,Математика,2026-11-23,3,ответ,7" \
		"S00029,Математика,2026-11-16,5,ответ,1" \
		"S00030,Математика,2026-11-16,5,ответ,1"
	finals "S00027,Математика,$P,5" "S00028,Математика,$P,н/а" "S00029,Математика,$P,осв" "S00030,Математика,$P,5"
	math_row
	# students 29 (not Юрьева); N 27: 24/27 = 88.9, 16/27 = 59.3, 1567/27 = 58.0; average 3.77
	same "7А,Математика,$TEACHER,29,27,3.77,88.9,59.3,58.0,6,10,8,2,1" "$row" "Математика in 7А"
}

@test "progress: the final mark is the period mark; avg_mark is the mean of the weighted averages" {
	rschool
	# Рябова (S00016): final «3», but her one mark becomes a «4»
	marks "S00016,Математика,2026-11-09,4,ответ,1"
	math_row
	# the «3» still counts as a 3; the average is (93 + 1)/25 = 3.76
	same "7А,Математика,$TEACHER,25,25,3.76,92.0,60.0,58.4,5,10,8,2,0" "$row" "Математика in 7А"
}

@test "progress: a final «1» counts with the «2»s" {
	rschool
	finals "S00024,Математика,$P,1"
	math_row
	same "7А,Математика,$TEACHER,25,25,3.72,92.0,60.0,58.4,5,10,8,2,0" "$row" "Математика in 7А"
}

@test "progress: without a final the weighted average is rounded by grading.thresholds (4, 5, 5 weighted 5, 3, 1 → 4.44)" {
	rschool
	students "S00031,Ямщикова,Зоя,2013-03-06,7А,active,"
	marks "S00031,Математика,2026-11-09,4,контрольная,5" "S00031,Математика,2026-11-16,5,ответ,3" \
		"S00031,Математика,2026-11-23,5,дз,1"
	math_row
	# 4.44 < 4.5: a «4»; N 26: 24/26 = 92.3, 16/26 = 61.5, (500 + 704 + 288 + 32)/26 = 58.6; (93 + 4.444)/26 = 3.75
	same "7А,Математика,$TEACHER,26,26,3.75,92.3,61.5,58.6,5,11,8,2,0" "$row" "with the default thresholds"
	run --separate-stderr portal-report progress --by student --class 7А --period "$P"
	status_is 0
	has_line "7А,S00031,Ямщикова Зоя,Математика,4.44,4,,0"
	portal-db -q config grading.thresholds 2.5,3.5,4.4
	math_row
	# now a «5»: 24/26, 16/26, (600 + 640 + 288 + 32)/26 = 60.0
	same "7А,Математика,$TEACHER,26,26,3.75,92.3,61.5,60.0,6,10,8,2,0" "$row" "with thresholds 2.5,3.5,4.4"
	run --separate-stderr portal-report progress --by student --class 7А --period "$P"
	status_is 0
	has_line "7А,S00031,Ямщикова Зоя,Математика,4.44,5,,0"
}

@test "progress: marks imported with a login later reported compromised stop counting" {
	rschool
	students "S00031,Ямщикова,Зоя,2013-03-06,7А,active,"
	PORTAL_NOW=2026-11-28T10:00:00Z PORTAL_ACTOR=math marks "S00031,Математика,2026-11-16,5,ответ,1"
	math_row
	same "7А,Математика,$TEACHER,26,26,3.77,92.3,61.5,60.0,6,10,8,2,0" "$row" "with the teacher's «5»"
	PORTAL_NOW=2026-11-28T11:00:00Z portal-accounts -q breach math --discovered-at 2026-11-28T09:30:00Z \
		--reported-at 2026-11-28T09:45:00Z >/dev/null
	math_row
	same "7А,Математика,$TEACHER,26,25,3.72,92.0,60.0,58.4,5,10,8,2,0" "$row" "after the breach"
}

# ---- 2. attendance ----

# lessons7a: 12 lessons of 7А: Mondays 2026-11-09 … 2026-12-14, lessons 1 and 2.
lessons7a() {
	local d
	{
		echo class,subject,date,lesson_no,teacher_id
		for d in 2026-11-09 2026-11-16 2026-11-23 2026-11-30 2026-12-07 2026-12-14; do
			echo "7А,Математика,$d,1,T1"
			echo "7А,Математика,$d,2,T1"
		done
	} >xl.csv
	portal-journal -q import lessons xl.csv
}

@test "attendance: н, б, у, п (as у) and о counted apart; late is not missed; one decimal" {
	rschool
	lessons7a
	printf '%s\n' student_id,date,code,lesson_no \
		"S00001,2026-11-09,н,1" "S00001,2026-11-16,б,1" "S00001,2026-11-16,б,2" \
		"S00001,2026-11-23,у,1" "S00001,2026-11-23,п,2" "S00001,2026-11-30,о,1" \
		"S00002,2026-11-30,о,2" "S00002,2026-12-07,о,1" \
		"S00003,2026-12-07,б," \
		"S00003,2026-10-19,н,1" >xa.csv
	portal-journal -q import attendance xa.csv
	run --separate-stderr portal-report attendance --class 7А --period "$P"
	status_is 0
	# the SPEC's columns in its order (a column between them would be an addition)
	hdr=$(head -1 <<<"$output")
	[[ ",$hdr," == *,student_id,name,*lessons,missed,illness,excused,unexcused,late,pct_attended,* ]] ||
		{ echo "header: $hdr"; return 1; }
	fields() {
		"$PY3" -c 'import csv, sys
for r in csv.DictReader(sys.stdin):
    print("|".join(r[k] for k in ("student_id", "name", "lessons", "missed", "illness", "excused", "unexcused", "late", "pct_attended")))' <<<"$output"
	}
	run fields
	# missed 1 + 2 + 2 = 5 of 12: (12 − 5)·100/12 = 58.3; late 1 apart
	has_line "S00001|Абрамова Алина|12|5|2|2|1|1|58.3"
	# two lates and nothing missed
	has_line "S00002|Белова Вера|12|0|0|0|0|2|100.0"
	# a whole day ill is that day's two lessons; the н of the first quarter is not in this period
	has_line "S00003|Веткина Дарья|12|2|2|0|0|0|83.3"
	has_line "S00004|Гусева Ева|12|0|0|0|0|0|100.0"
	same 25 "$(($(grep -c . <<<"$output")))" "rows"
	# the store has п as у
	same 0 "$(q "SELECT count(*) FROM attendance WHERE code = 'п'")" "п rows"
}

@test "attendance: --from/--to narrows the lessons and the absences" {
	rschool
	lessons7a
	printf '%s\n' student_id,date,code,lesson_no \
		"S00001,2026-11-09,н,1" "S00001,2026-11-16,б,1" "S00001,2026-11-16,б,2" "S00001,2026-11-30,о,1" >xa.csv
	portal-journal -q import attendance xa.csv
	run --separate-stderr portal-report attendance --class 7А --from 2026-11-09 --to 2026-11-16
	status_is 0
	# 4 lessons, 3 missed: 25.0; the late on the 30th is outside
	contains "S00001,Абрамова Алина,"
	line=$(grep '^S00001,' <<<"$output")
	[[ "$line" == *",4,3,2,0,1,0,25.0" ]] || { echo "got: $line"; return 1; }
}

# ---- 3. by student, one student, coverage ----

@test "progress --by student: each student's subjects and an «итого» row with the failing count" {
	rschool
	marks "S00001,Литература,2026-11-10,2,ответ,1" "S00002,Литература,2026-11-10,3,ответ,1"
	finals "S00001,Литература,$P,2" "S00002,Литература,$P,н/а"
	run --separate-stderr portal-report progress --by student --class 7А --period "$P"
	status_is 0
	has_line "7А,S00001,Абрамова Алина,Математика,5.00,5,5,0"
	has_line "7А,S00001,Абрамова Алина,Литература,2.00,2,2,1"
	has_line "7А,S00001,Абрамова Алина,итого,3.50,,,1"
	has_line "7А,S00002,Белова Вера,Литература,3.00,н/а,н/а,1"
	has_line "7А,S00002,Белова Вера,итого,4.00,,,1"
	has_line "7А,S00024,Шубина Лея,Математика,2.00,2,2,1"
	has_line "7А,S00024,Шубина Лея,итого,2.00,,,1"
	has_line "7А,S00005,Дроздова Инна,итого,5.00,,,0"
	same 3 "$(grep -c '^7А,S00001,' <<<"$output")" "rows of S00001"
	same 25 "$(grep -c ',итого,' <<<"$output")" "«итого» rows"
	lacks "S00101"
}

@test "progress --by student: every student's subjects are listed whatever the order of ids and names" {
	rschool
	# in 7Б Осипова (S00102) comes before Яковлева (S00101) by name, after her by id
	marks "S00101,Математика,2026-11-09,4,ответ,1" "S00102,Математика,2026-11-09,3,ответ,1"
	run --separate-stderr portal-report progress --by student --class 7Б --period "$P"
	status_is 0
	has_line "7Б,S00101,Яковлева Вера,Математика,4.00,4,,0"
	has_line "7Б,S00102,Осипова Ева,Математика,3.00,3,,0"
	has_line "7Б,S00102,Осипова Ева,итого,3.00,,,0"
}

@test "progress of a school of 600: the whole school (read by two connections) is its classes read one by one" {
	# from 400 students up the marks are read in ranges of students by two connections at once;
	# one class is read by one: the two must give the same rows, with finals and by student
	export PORTAL_DB="$(store_at "$BATS_TEST_TMPDIR/big.db")"
	new_store
	"$SYNTH" --students 600 --journal --seed 3 --out big >/dev/null
	portal-accounts -q import staff big/staff.csv
	portal-accounts -q import students big/students.csv
	portal-accounts -q groups import big/groups.csv
	portal-journal -q periods import big/periods.csv
	for k in schedule marks finals; do portal-journal -q import "$k" "big/$k.csv"; done
	local by q=(--period "1 четверть") classes c
	classes=$(tail -n +2 big/students.csv | cut -d, -f6 | sort -u)
	same 1 "$(($(grep -c . <<<"$classes") > 10))" "more than ten classes"
	for by in subject student; do
		portal-report progress --all --by "$by" "${q[@]}" >all.csv
		for c in $classes; do portal-report progress --by "$by" "${q[@]}" --class "$c" | tail -n +2; done >each.csv
		same "$(sort each.csv | sha256sum)" "$(tail -n +2 all.csv | sort | sha256sum)" "by $by: whole school and classes"
		same 1 "$(($(wc -l <each.csv) > 200))" "by $by: rows"
	done
	# finals and marks both counted: marks averages and period marks are there
	grep -q ',итого,' all.csv
	[ "$(awk -F, '$6 != ""' all.csv | wc -l)" -gt 1000 ]
}

@test "student --student S: the student's subjects, the «итого» row and the attendance" {
	rschool
	lessons7a
	printf '%s\n' student_id,date,code,lesson_no "S00016,2026-11-09,н,1" "S00016,2026-11-16,о,1" >xa.csv
	portal-journal -q import attendance xa.csv
	marks "S00016,Литература,2026-11-10,4,ответ,1"
	run --separate-stderr portal-report student --student S00016 --period "$P"
	status_is 0
	same "class,student_id,name,subject,average,mark,final,failing
7А,S00016,Рябова Фаина,Математика,3.00,3,3,0
7А,S00016,Рябова Фаина,Литература,4.00,4,,0
7А,S00016,Рябова Фаина,итого,3.50,,,0" "$output" "the student's rows"
	contains "lessons 12, missed 1" "$stderr"
	contains "late 1" "$stderr"
	contains "91.7" "$stderr"
	# another student is not in it; an unknown one is bad input
	lacks "S00015"
	run --separate-stderr portal-report student --student S99999 --period "$P"
	status_is 65
}

@test "student --student S: a subject with only a final (н/а, no marks) is listed and counts as failing" {
	rschool
	finals "S00001,Литература,$P,н/а"
	run --separate-stderr portal-report student --student S00001 --period "$P"
	status_is 0
	has_line "7А,S00001,Абрамова Алина,Литература,,н/а,н/а,1"
	has_line "7А,S00001,Абрамова Алина,итого,5.00,,,1"
	run --separate-stderr portal-report progress --by student --class 7А --period "$P"
	status_is 0
	has_line "7А,S00001,Абрамова Алина,Литература,,н/а,н/а,1"
}

@test "student: a student who left before the period ended is not in its analytics" {
	rschool
	students "S00027,Юрьева,Зоя,2013-03-02,7А,left,2026-11-20"
	marks "S00027,Математика,2026-11-16,5,ответ,1"
	run --separate-stderr portal-report student --student S00027 --period "$P"
	[ "$status" -ne 0 ] || { echo "exit 0: $output"; return 1; }
	lacks "S00027,"
	run --separate-stderr portal-report progress --by student --class 7А --period "$P"
	status_is 0
	lacks "S00027"
}

@test "coverage: per class the students and guardians (a left student and their guardian out), consents" {
	rschool
	students "S00027,Юрьева,Зоя,2013-03-02,7А,left,2026-11-20"
	printf '%s\n' guardian_id,student_id,last_name,first_name,relation,email \
		"P1,S00001,Абрамов,Олег,father,p1@example.org" "P1,S00002,Абрамов,Олег,father,p1@example.org" \
		"P2,S00001,Абрамова,Ирина,mother," "P3,S00003,Веткин,Пётр,father," "P4,S00101,Яковлев,Иван,father," \
		"P5,S00027,Юрьев,Карп,father," >xg.csv
	portal-accounts -q import guardians xg.csv
	portal-consent -q record --guardian P1 --decision given --signed-on 2026-11-20 --form paper
	run --separate-stderr portal-report coverage
	status_is 0
	fields() {
		"$PY3" -c 'import csv, sys
for r in csv.DictReader(sys.stdin):
    print("|".join(r[k] for k in ("class", "students", "guardians", "consents_given", "consents_none")))' <<<"$output"
	}
	run fields
	same "7А|25|3|2|2
7Б|2|1|0|1" "$output" "class|students|guardians|given|none"
	# one class with --class
	run --separate-stderr portal-report coverage --class 7б
	status_is 0
	same 2 "$(grep -c . <<<"$output")" "lines"
	contains "7Б,2,1,"
}

# ---- 4. formats ----

@test "progress --format table: the columns line up (by characters, Cyrillic one column) with the CSV's values" {
	rschool
	students "S00026,Эльцина,Зоя,2013-03-01,7А,active,"
	marks "S00001,Литература,2026-11-10,2,ответ,1"
	portal-report progress --class 7А --period "$P" >p.csv
	run --separate-stderr portal-report progress --class 7А --period "$P" --format table
	status_is 0
	printf '%s\n' "$output" >p.txt
	run "$PY3" - p.txt p.csv <<'EOF'
import csv, re, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
rows = list(csv.reader(open(sys.argv[2], encoding="utf-8", newline="")))
rule = next(i for i, l in enumerate(lines) if re.fullmatch(r"[- ]+", l) and "-" in l)
spans = [m.span() for m in re.finditer(r"-+", lines[rule])]
table = [l for i, l in enumerate(lines) if i != rule]
assert len(table) == len(rows), (len(table), len(rows))
assert len(spans) == len(rows[0]), (spans, rows[0])
for l, r in zip(table, rows):
    # between the columns only spaces; each cell within its column
    for (a, b), (c, d) in zip(spans, spans[1:]):
        assert l[b:c].strip() == "", (l, b, c)
    cells = [l[a:b].strip() for a, b in spans]
    assert len(l.rstrip()) <= spans[-1][1], l
    assert cells == r, (cells, r)
print("ok", len(rows))
EOF
	status_is 0
	same "ok 3" "$output" "table check"
}

@test "progress --format json: one object per line, the CSV's columns and values" {
	rschool
	marks "S00001,Литература,2026-11-10,2,ответ,1"
	portal-report progress --class 7А --period "$P" >p.csv
	run --separate-stderr portal-report progress --class 7А --period "$P" --format json
	status_is 0
	printf '%s\n' "$output" >p.json
	run "$PY3" - p.json p.csv <<'EOF'
import csv, json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
rows = list(csv.DictReader(open(sys.argv[2], encoding="utf-8", newline="")))
assert len(lines) == len(rows) == 2, (lines, rows)
for l, r in zip(lines, rows):
    o = json.loads(l)
    assert isinstance(o, dict), l
    assert list(o) == list(r), (list(o), list(r))
    for k in r:
        v = o[k]
        assert ("" if v is None else str(v)) == r[k] or (isinstance(v, (int, float)) and float(v) == float(r[k])), (k, v, r[k])
m = [json.loads(l) for l in lines if json.loads(l)["subject"] == "Математика"][0]
print(m["class"], m["students"], m["sou"], m["avg_mark"])
EOF
	status_is 0
	same "7А 25 58.4 3.72" "$output" "Математика's object"
}

@test "progress --excel: BOM, ';' and CRLF; plain CSV unchanged" {
	rschool
	run --separate-stderr portal-report progress --class 7А --period "$P" --excel
	status_is 0
	printf '%s' "$output" | head -c 3 | od -An -tx1 | grep -q 'ef bb bf' || { echo "no BOM"; return 1; }
	contains "7А;Математика;$TEACHER;25;25;3.72;92.0;60.0;58.4;5;10;8;2;0"$'\r'
	run --separate-stderr portal-report progress --class 7А --period "$P"
	lacks $'\r'
	lacks ';'
}

# xlsx_check FILE: what a person's workbook must be, printed a line per sheet:
# title|freeze set|orientation|paper|charts; then the rows with «Средний балл»
# and the Математика row as type:value.
xlsx_check() {
	"$PY3" - "$1" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for ws in wb:
    print("%s|%s|%s|%s|%d" % (ws.title, ws.freeze_panes is not None, ws.page_setup.orientation,
                               ws.page_setup.paperSize, len(ws._charts)))
ws = wb.worksheets[0]
rows = list(ws.iter_rows(values_only=True))
hdr = next(i for i, r in enumerate(rows) if "Средний балл" in r)
names = rows[hdr]
# the frozen pane is just below the heading row
print("frozen below heading", ws.freeze_panes == "A%d" % (hdr + 2))
for r in rows[hdr + 1:]:
    if "Математика" in r:
        print("|".join("%s:%s" % (type(v).__name__, ("%.2f" % v) if isinstance(v, float) else v)
                       for v in r if v is not None))
# the chart's values are the «Средний балл» column
for ch in ws._charts:
    col = openpyxl.utils.get_column_letter(names.index("Средний балл") + 1)
    refs = [s.val.numRef.f for s in ch.series]
    print("chart", ch.tagname, all(("$%s$" % col) in f for f in refs), len(refs))
EOF
}

@test "progress --format xlsx: Russian headings, numbers as numbers, frozen header, A4 landscape, a chart" {
	rschool
	run --separate-stderr portal-report progress --class 7А --period "$P" --format xlsx -o p.xlsx
	status_is 0
	[ -s p.xlsx ]
	run xlsx_check p.xlsx
	status_is 0
	has_line "Успеваемость|True|landscape|9|1"
	has_line "frozen below heading True"
	has_line "str:7А|str:Математика|str:$TEACHER|int:25|int:25|float:3.72|int:92|int:60|float:58.40|int:5|int:10|int:8|int:2|int:0"
	has_line "chart barChart True 1"
	# nothing left beside it
	same "p.xlsx" "$(ls -A | grep -F p.xlsx)" "files named p.xlsx*"
}

@test "attendance --format xlsx: the figures are numbers, the sheet A4 landscape with a frozen header" {
	rschool
	lessons7a
	printf '%s\n' student_id,date,code,lesson_no "S00001,2026-11-09,н,1" >xa.csv
	portal-journal -q import attendance xa.csv
	run --separate-stderr portal-report attendance --class 7А --period "$P" --format xlsx -o a.xlsx
	status_is 0
	run "$PY3" - a.xlsx <<'EOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
print(ws.freeze_panes is not None, ws.page_setup.orientation, ws.page_setup.paperSize)
for r in ws.iter_rows(values_only=True):
    if "S00001" in r:
        print("|".join("%s:%s" % (type(v).__name__, v) for v in r if v is not None))
EOF
	status_is 0
	has_line "True landscape 9"
	has_line "str:S00001|str:Абрамова Алина|str:7А|int:12|int:1|int:0|int:0|int:1|int:0|float:91.7"
}

# ---- 5. roles; read-only ----

@test "a class leader reads their class (also without --class), gets 77 for another class" {
	rschool
	PORTAL_ACTOR=kl7a run --separate-stderr portal-report progress --class 7А --period "$P"
	status_is 0
	has_line "7А,Математика,$TEACHER,25,25,3.72,92.0,60.0,58.4,5,10,8,2,0"
	PORTAL_ACTOR=kl7a run --separate-stderr portal-report progress --all --period "$P"
	status_is 0
	contains "7А,Математика,"
	lacks "7Б"
	PORTAL_ACTOR=kl7a run --separate-stderr portal-report progress --class 7Б --period "$P"
	status_is 77
	same "" "$output" "standard output"
	contains "not permitted" "$stderr"
	PORTAL_ACTOR=kl7a run --separate-stderr portal-report attendance --class 7б --period "$P"
	status_is 77
	PORTAL_ACTOR=kl7a run --separate-stderr portal-report student --student S00101 --period "$P"
	status_is 77
	PORTAL_ACTOR=kl7a run --separate-stderr portal-report coverage --class 7Б
	status_is 77
	PORTAL_ACTOR=kl7a run --separate-stderr portal-report coverage
	status_is 0
	contains "7А,25,"
	lacks "7Б"
	PORTAL_ACTOR=kl7b run --separate-stderr portal-report progress --class 7Б --period "$P"
	status_is 0
	PORTAL_ACTOR=dep run --separate-stderr portal-report progress --class 7Б --period "$P"
	status_is 0
}

@test "nightly by a class leader is refused (77) and writes nothing; a deputy may run it" {
	rschool
	PORTAL_ACTOR=kl7a run --separate-stderr portal-report nightly --out out
	status_is 77
	contains "not permitted" "$stderr"
	[ ! -e out ] || [ -z "$(find out -type f ! -name .nightly.lock)" ] || { find out; return 1; }
	PORTAL_ACTOR=dep run --separate-stderr portal-report nightly --out out2
	status_is 0
	[ -s out2/2026-11-28/7А.xlsx ]
}

@test "the reports only read: progress, attendance, student, coverage, nightly leave the store as it was" {
	rschool
	before=$(db_digest)
	portal-report progress --class 7А --period "$P" >/dev/null
	portal-report progress --all --by student --period "$P" >/dev/null
	portal-report attendance --all --period "$P" >/dev/null
	portal-report -q student --student S00001 --period "$P" >/dev/null
	portal-report coverage >/dev/null
	portal-report -q nightly --out out
	same "$before" "$(db_digest)" "store digest"
}

@test "usage: no dates 64, --period and --from 64, --by other 64, an unknown period 65, an unknown verb 64" {
	rschool
	run --separate-stderr portal-report progress --class 7А
	status_is 64
	run --separate-stderr portal-report progress --class 7А --period "$P" --from 2026-11-05 --to 2026-11-30
	status_is 64
	run --separate-stderr portal-report progress --class 7А --period "$P" --by class
	status_is 64
	run --separate-stderr portal-report progress --class 7А --period "9 четверть"
	status_is 65
	run --separate-stderr portal-report frobnicate
	status_is 64
	run --separate-stderr portal-report nightly
	status_is 64
}

# ---- 6. nightly ----

# book_dump FILE: per sheet title|charts, then the 7А Математика row of the first sheet.
book_dump() {
	"$PY3" - "$1" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for ws in wb:
    print("%s|%d|%s|%s|%s" % (ws.title, len(ws._charts), ws.freeze_panes is not None, ws.page_setup.orientation,
                              ws.page_setup.paperSize))
for ws in wb:
    for r in ws.iter_rows(values_only=True):
        if "Математика" in r:
            print(ws.title + "|" + "|".join(str(v) for v in r if v is not None))
        elif any(isinstance(v, str) and v.startswith("S000") for v in r):
            print(ws.title + "|student " + next(v for v in r if isinstance(v, str) and v.startswith("S000")))
        elif r and r[0] in ("7А", "7Б") and len([v for v in r if v is not None]) > 3:
            print(ws.title + "|class " + r[0] + " " + str(r[1]))
EOF
}

@test "nightly --out DIR: a workbook per class (progress with a chart, attendance, coverage) and summary.csv" {
	rschool
	run --separate-stderr portal-report nightly --out out
	status_is 0
	same $'7А.xlsx\n7Б.xlsx\nsummary.csv' "$(ls -A out/2026-11-28 | LC_ALL=C sort)" "the day's files"
	run book_dump out/2026-11-28/7А.xlsx
	status_is 0
	sheets=$(grep -c '^[^|]*|[0-9]|True|landscape|9$' <<<"$output")
	same 3 "$sheets" "A4 landscape sheets with a frozen header"
	# the chart is in the progress sheet, the first
	[[ "$(head -1 <<<"$output")" == *"|1|True|landscape|9" ]] || { echo "$output"; return 1; }
	contains "|7А|Математика|$TEACHER|25|25|3.72|92|60|58.4|5|10|8|2|0"
	same 25 "$(grep -c '|student S000' <<<"$output")" "students in the attendance sheet"
	contains "|class 7А 25"
	lacks "S00101"
	# summary.csv: a row per class with the class's figures
	run "$PY3" -c 'import csv, sys
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")):
    print("|".join(r.get(k, "?") for k in ("class", "students", "avg_mark", "pct_success", "pct_quality", "sou")))' out/2026-11-28/summary.csv
	status_is 0
	same "7А|25|3.72|92.0|60.0|58.4
7Б|2||||" "$output" "summary.csv"
}

@test "nightly twice the same day: byte-identical files, one set, no temporary files" {
	rschool
	PORTAL_NOW=2026-11-28T01:00:00Z run --separate-stderr portal-report nightly --out out
	status_is 0
	first=$(cd out && find . -type f | LC_ALL=C sort | xargs sha256sum)
	sleep 1
	# later that day, and with the date given
	PORTAL_NOW=2026-11-28T20:30:00Z run --separate-stderr portal-report nightly --out out
	status_is 0
	same "$first" "$(cd out && find . -type f | LC_ALL=C sort | xargs sha256sum)" "files and digests"
	PORTAL_NOW=2026-12-01T05:00:00Z run --separate-stderr portal-report nightly --out out --date 2026-11-28
	status_is 0
	same "$first" "$(cd out && find . -type f ! -path './2026-12-01/*' | LC_ALL=C sort | xargs sha256sum)" "files and digests with --date"
	# exactly the set, nothing temporary
	same $'./.nightly.lock\n./2026-11-28/7А.xlsx\n./2026-11-28/7Б.xlsx\n./2026-11-28/summary.csv' \
		"$(cd out && find . -type f | LC_ALL=C sort)" "files under out"
	[ -z "$(find out -name '*.tmp*' -o -name '.*' -type f ! -name .nightly.lock)" ]
}

@test "nightly: the day is the school's (Europe/Moscow), the dates run from the period's start to it" {
	rschool
	lessons7a
	PORTAL_NOW=2026-11-28T22:00:00Z run --separate-stderr portal-report nightly --out out
	status_is 0
	[ -s out/2026-11-29/summary.csv ]
	[ ! -e out/2026-11-28 ]
	# the lessons up to the day: 2026-11-09, -16, -23, two each
	run "$PY3" - out/2026-11-29/7А.xlsx <<'EOF2'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for ws in wb.worksheets[1:2]:
    hdr = None
    for r in ws.iter_rows(values_only=True):
        if hdr is None and "Уроков" in r:
            hdr = r
        elif hdr and "S00001" in r:
            print("lessons", r[hdr.index("Уроков")])
EOF2
	status_is 0
	same "lessons 6" "$output" "S00001's lessons to 2026-11-29"
}

@test "nightly while another run holds DIR/.nightly.lock exits 75 and writes nothing" {
	rschool
	mkdir out
	exec 8>out/.nightly.lock
	flock -n 8
	run --separate-stderr portal-report nightly --out out 8>&-
	rc=$status
	err=$stderr
	exec 8>&-
	same 75 "$rc" "exit status while locked"
	[ -n "$err" ]
	same ".nightly.lock" "$(ls -A out)" "out while locked"
	# the lock gone, it runs
	run --separate-stderr portal-report nightly --out out
	status_is 0
	[ -s out/2026-11-28/summary.csv ]
}

# hold_store MODE SECONDS: another connection holds the store: "write" a
# writer's lock (BEGIN IMMEDIATE: WAL readers go on), "exclusive" an exclusive
# lock that shuts readers out too.
hold_store() {
	local sql
	rm -f locked
	case $1 in
	write) sql='BEGIN IMMEDIATE;' ;;
	exclusive) sql=$'PRAGMA locking_mode=EXCLUSIVE;\nBEGIN EXCLUSIVE;' ;;
	esac
	printf '%s\n.shell touch locked; sleep %s\nCOMMIT;\n' "$sql" "$2" | sqlite3 "$PORTAL_DB" >/dev/null 2>&1 3>&- &
	holder=$!
	for _ in $(seq 1 100); do
		[ -e locked ] && return 0
		sleep 0.05
	done
	echo "hold_store: the lock was not taken" >&2
	return 1
}

@test "nightly reads: a writer holding the store does not stop it (WAL)" {
	rschool
	hold_store write 2
	PORTAL_BUSY_TIMEOUT=300 run --separate-stderr portal-report nightly --out out
	status_is 0
	[ -e locked ]
	kill -0 "$holder" || { echo "the writer was gone before nightly ran"; return 1; }
	[ -s out/2026-11-28/summary.csv ]
	wait "$holder"
	holder=
}

@test "nightly with the store locked past PORTAL_BUSY_TIMEOUT exits 75 and writes nothing" {
	sqlite_only "SQLite's exclusive lock shuts readers out; PostgreSQL's readers never wait for a writer"
	rschool
	hold_store exclusive 3
	start=$(date +%s%N)
	PORTAL_BUSY_TIMEOUT=300 run --separate-stderr portal-report nightly --out out
	end=$(date +%s%N)
	status_is 75
	contains "busy" "$stderr"
	[ $(((end - start) / 1000000)) -lt 2500 ] || { echo "took $(((end - start) / 1000000)) ms"; return 1; }
	[ -z "$(find out -type f ! -name .nightly.lock 2>/dev/null)" ] || { find out; return 1; }
	wait "$holder"
	holder=
	# afterwards it runs
	run --separate-stderr portal-report nightly --out out
	status_is 0
}
