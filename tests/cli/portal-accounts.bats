#!/usr/bin/env bats
# portal-accounts: rosters (students, guardians, staff, groups) in and out.
# The numbered sections follow the issue's "done means" list.

bats_require_minimum_version 1.5.0
load helpers

# students7: a small roster of 7А and 8Б (UTF-8, commas, LF) in FILE.
students7() {
	cat >"${1:-st.csv}" <<'EOF'
student_id,last_name,first_name,middle_name,birth_date,class,email,phone
S70001,Иванова,Дарья,Петровна,2013-09-01,7А,,
S70002,Ёлкин,Пётр,Ильич,2013-02-15,7А,petr@example.ru,8 (912) 345-67-89
S70003,Соколов-Белый,Андрей,,2013-05-30,7А,,
S80001,Кузнецова,Алёна,Игоревна,2012-03-12,8Б,,+7 912 000 11 22
S80002,Морозов,Глеб,Олегович,2012-07-07,8Б,,
EOF
}

# leader7: the staff file with the class leader of 7А (login kl7a), a
# deputy and a teacher.
leader7() {
	cat >staff7.csv <<'EOF'
staff_id,last_name,first_name,middle_name,role,login,os_user,email,phone,classes,subjects
T070,Ленская,Ольга,Петровна,class_leader,kl7a,,kl7a@school.example,,7А,
T080,Бирюкова,Нина,,class_leader,kl8b,,,,8Б,
T002,Заместова,Анна,,deputy,deputy,,,,,
T100,Учителев,Иван,,teacher,uchitel,,,,,Математика
EOF
	portal-accounts -q import staff staff7.csv
}

# roster_excel: the 7А roster as Excel on a Russian Windows saves it, in UTF-8
# (LF); pipe through to_cp1251 and crlf for the real thing.
roster_excel() {
	cat <<'EOF'
ид;фамилия;имя;отчество;дата рождения;класс
S70001;Иванова;Дарья;Петровна;01.09.2013;7a
S70002;Ёлкин;Пётр;Ильич;15.02.2013;7a
S70003;Соколов-Белый;Андрей;;30.05.2013;7 А
EOF
}

# ======================================================================
# 1. Excel rosters: cp1251, ';', CRLF, Russian headers, DD.MM.YYYY, "7a"
# ======================================================================

@test "1: a cp1251 Excel roster imports with --encoding cp1251; list shows 7А and ISO dates" {
	new_store
	roster_excel | to_cp1251 | crlf >excel.csv
	run --separate-stderr portal-accounts import students --encoding cp1251 excel.csv
	status_is 0
	run --separate-stderr portal-accounts list students --class 7А
	status_is 0
	same "student_id,last_name,first_name,middle_name,birth_date,class,email,phone,status,left_on,login" "${lines[0]}" "header"
	same 4 "${#lines[@]}" "lines"
	has_line "S70001,Иванова,Дарья,Петровна,2013-09-01,7А,,,active,,"
	has_line "S70002,Ёлкин,Пётр,Ильич,2013-02-15,7А,,,active,,"
	has_line "S70003,Соколов-Белый,Андрей,,2013-05-30,7А,,,active,,"
	same "7А" "$(q "SELECT DISTINCT class FROM students")" "class in the store"
	same "" "$(q "SELECT name FROM classes WHERE name <> '7А'")" "other classes"
}

@test "1: the same roster in UTF-8 with a BOM imports with no option, to the same store" {
	new_store
	roster_excel | to_cp1251 | crlf >excel.csv
	portal-accounts -q import students --encoding cp1251 excel.csv
	portal-accounts list students --all --status all >from-cp1251.csv
	store_rm
	new_store
	{ printf '\xef\xbb\xbf'; roster_excel | crlf; } >bom.csv
	run --separate-stderr portal-accounts import students bom.csv
	status_is 0
	portal-accounts list students --all --status all >from-bom.csv
	same "$(cat from-cp1251.csv)" "$(cat from-bom.csv)" "list after the BOM import"
	same 3 "$(q 'SELECT count(*) FROM students')" "students"
	# the BOM is not part of the first column's name
	same S70001 "$(q "SELECT min(student_id) FROM students")"
}

@test "1: a cp1251 file without --encoding is refused: 65, file and line 1, the hint; nothing written" {
	new_store
	roster_excel | to_cp1251 | crlf >excel.csv
	before=$(db_digest)
	run --separate-stderr portal-accounts import students excel.csv
	status_is 65
	contains "excel.csv:1" "$stderr"
	contains "--encoding cp1251" "$stderr"
	same "$before" "$(db_digest)" "store digest"
}

@test "1: cp1251 only in the data rows: refused naming the first such line" {
	new_store
	{
		printf 'student_id;last_name;first_name;birth_date;class\r\n'
		printf 'S70009;Smith;John;01.09.2013;7a\r\n'
		printf 'S70001;Иванова;Дарья;01.09.2013;7a\r\n' | to_cp1251
	} >mixed.csv
	before=$(db_digest)
	run --separate-stderr portal-accounts import students mixed.csv
	status_is 65
	contains "mixed.csv:3" "$stderr"
	contains "--encoding cp1251" "$stderr"
	same "$before" "$(db_digest)" "store digest"
}

@test "1: a synthetic Excel school (portal-synth --excel) imports like its UTF-8 twin" {
	"$SYNTH" --students 40 --seed 11 --out plain
	"$SYNTH" --students 40 --seed 11 --excel --out excel
	for d in plain excel; do
		export PORTAL_DB=$BATS_TEST_TMPDIR/$d.db
		new_store
		enc=
		[ $d = excel ] && enc="--encoding cp1251"
		for k in staff students guardians; do
			run --separate-stderr portal-accounts import $k $enc $d/$k.csv
			status_is 0
		done
		run --separate-stderr portal-accounts groups import $enc $d/groups.csv
		status_is 0
		for k in staff students guardians; do
			portal-accounts list $k --all --status all >$d-$k.out
		done
		portal-accounts groups list --all >$d-groups.out
	done
	for k in staff students guardians groups; do
		same "$(cat plain-$k.out)" "$(cat excel-$k.out)" "list $k"
	done
	# the left student came through as left, with the date
	grep -q ',left,2026-10-[0-9][0-9],' excel-students.out
}

@test "1: --delimiter and --encoding reject bad values with 64" {
	new_store
	students7
	run --separate-stderr portal-accounts import students --encoding no-such-charset st.csv
	status_is 64
	run --separate-stderr portal-accounts import students --delimiter '|' st.csv
	status_is 64
}

# ======================================================================
# 2. Bad rows: every one reported as FILE:LINE: COLUMN: reason; --rejects
# ======================================================================

# badfile: 9 lines; the note of S71002 spans lines 3–4, so the bad rows are
# on lines 5 (birth_date), 6 (class), 7 (last_name), 8 (email).
badfile() {
	cat >bad.csv <<'EOF'
student_id,last_name,first_name,middle_name,birth_date,class,email,note
S71001,Иванова,Дарья,,2013-09-01,7А,,
S71002,Петров,Иван,,2013-05-05,7А,,"две
строки, и ""кавычки"""
S71003,Сидоров,Олег,,31.11.2013,7А,,
S71004,Козлов,Марк,,2013-02-03,12Б,,
S71005,,Анна,,2013-02-03,7А,,
S71006,Орлова,Вера,,2013-02-03,7А,vera@@example,
S71007,Лебедев,Лев,,2013-02-03,7Б,lev@example.ru,
EOF
}

@test "2: every bad row is reported as FILE:LINE: COLUMN: reason; exit 65; nothing written" {
	new_store
	badfile
	before=$(db_digest)
	run --separate-stderr portal-accounts import students bad.csv
	status_is 65
	errs=$(grep -E '^bad\.csv:[0-9]+: ' <<<"$stderr")
	same 4 "$(grep -c . <<<"$errs")" "error lines"
	grep -qE '^bad\.csv:5: birth_date: .*31\.11\.2013' <<<"$errs"
	grep -qE '^bad\.csv:6: class: .*12Б' <<<"$errs"
	grep -qE '^bad\.csv:7: last_name: .+' <<<"$errs"
	grep -qE '^bad\.csv:8: email: .*vera@@example' <<<"$errs"
	same "$before" "$(db_digest)" "store digest"
}

@test "2: --rejects applies the good rows and writes the bad ones with their columns plus error" {
	new_store
	badfile
	run --separate-stderr portal-accounts import students --rejects R.csv bad.csv
	status_is 0
	contains "applied 3, rejected 4" "$stderr"
	same "S71001 S71002 S71007" "$(q "SELECT student_id FROM students ORDER BY 1" | paste -sd' ')" "students in the store"
	python3 - <<'EOF'
import csv
with open("bad.csv", newline="", encoding="utf-8") as f:
    src = list(csv.reader(f))
with open("R.csv", newline="", encoding="utf-8") as f:
    rej = list(csv.reader(f))
assert rej[0] == src[0] + ["error"], rej[0]
assert [r[0] for r in rej[1:]] == ["S71003", "S71004", "S71005", "S71006"], rej
want = {r[0]: r for r in src[1:]}
for r in rej[1:]:
    assert r[:-1] == want[r[0]], (r, want[r[0]])
    assert r[-1], r
errs = {r[0]: r[-1] for r in rej[1:]}
assert "birth_date" in errs["S71003"], errs
assert "class" in errs["S71004"], errs
assert "last_name" in errs["S71005"], errs
assert "email" in errs["S71006"], errs
EOF
}

@test "2: --rejects keeps a rejected multi-line field intact" {
	new_store
	cat >bad2.csv <<'EOF'
student_id,last_name,first_name,birth_date,class,note
S71001,Иванова,Дарья,2013-09-01,7А,ok
S71002,Петров,Иван,2013-13-05,7А,"первая
вторая"
EOF
	run --separate-stderr portal-accounts import students --rejects R.csv bad2.csv
	status_is 0
	contains "applied 1, rejected 1" "$stderr"
	python3 - <<'EOF'
import csv
rej = list(csv.reader(open("R.csv", newline="", encoding="utf-8")))
assert len(rej) == 2, rej
assert rej[1][:6] == ["S71002", "Петров", "Иван", "2013-13-05", "7А", "первая\nвторая"], rej[1]
EOF
}

@test "2: more than 100 bad rows: at most 100 reported, exit 65" {
	new_store
	{
		echo "student_id,last_name,first_name,birth_date,class"
		for i in $(seq 1 150); do printf 'S7%04d,Иванова,Дарья,2013-02-30,7А\n' "$i"; done
	} >many.csv
	before=$(db_digest)
	run --separate-stderr portal-accounts import students many.csv
	status_is 65
	n=$(grep -cE '^many\.csv:[0-9]+: ' <<<"$stderr")
	[ "$n" -ge 1 ] && [ "$n" -le 100 ] || { echo "reported $n"; return 1; }
	grep -q '^many\.csv:2: birth_date: ' <<<"$stderr"
	same "$before" "$(db_digest)" "store digest"
}

@test "2: a duplicated student_id in one file is a bad row" {
	new_store
	cat >dup.csv <<'EOF'
student_id,last_name,first_name,birth_date,class
S71001,Иванова,Дарья,2013-09-01,7А
S71001,Петрова,Дарья,2013-09-01,7А
EOF
	before=$(db_digest)
	run --separate-stderr portal-accounts import students dup.csv
	status_is 65
	grep -qE '^dup\.csv:3: student_id: ' <<<"$stderr"
	same "$before" "$(db_digest)" "store digest"
}

@test "2: values are normalised: phones, classes, dates, ё kept" {
	new_store
	cat >norm.csv <<'EOF'
student_id,last_name,first_name,middle_name,birth_date,class,email,phone
S72001,Ёжикова,Алёна,Семёновна,01.09.2013,7 а,alena@example.ru,8 (912) 345-67-89
S72002,Д'Арк,Жанна,,2013-09-02,7а,,+7 912 345 67 80
S72003,Smith,John,,2013-09-03,7A,,89123456781
EOF
	run --separate-stderr portal-accounts import students norm.csv
	status_is 0
	run --separate-stderr portal-accounts list students --class 7А
	has_line "S72001,Ёжикова,Алёна,Семёновна,2013-09-01,7А,alena@example.ru,+79123456789,active,,"
	has_line "S72002,Д'Арк,Жанна,,2013-09-02,7А,,+79123456780,active,,"
	has_line "S72003,Smith,John,,2013-09-03,7А,,+79123456781,active,,"
}

@test "2: bad phones and names are bad rows" {
	new_store
	cat >bad3.csv <<'EOF'
student_id,last_name,first_name,birth_date,class,phone
S72001,Иванова,Дарья,2013-09-01,7А,12345
S72002,Иван0ва,Дарья,2013-09-01,7А,
S72003,Иванова,Дарья,2013-09-01,0А,
S72004,Иванова,Дарья,2013-09-01,7Ы1,
EOF
	run --separate-stderr portal-accounts import students bad3.csv
	status_is 65
	grep -qE '^bad3\.csv:2: phone: ' <<<"$stderr"
	grep -qE '^bad3\.csv:3: last_name: ' <<<"$stderr"
	grep -qE '^bad3\.csv:4: class: ' <<<"$stderr"
	grep -qE '^bad3\.csv:5: class: ' <<<"$stderr"
	same 0 "$(q 'SELECT count(*) FROM students')" "students"
}

@test "2: --rejects into a directory that does not exist: 73 and nothing written" {
	new_store
	badfile
	before=$(db_digest)
	run --separate-stderr portal-accounts import students --rejects "$BATS_TEST_TMPDIR/no/such/R.csv" bad.csv
	status_is 73
	same "$before" "$(db_digest)" "store digest"
}

@test "2: a CRLF file with a multi-line field and an empty line: line numbers still right" {
	new_store
	printf 'student_id;last_name;first_name;birth_date;class;note\r\nS71001;Аа;Бб;2013-01-01;7А;"раз\r\nдва\r\nтри"\r\nS71002;Вв;Гг;2013-02-30;7А;\r\n\r\nS71003;Дд;Ее;2013-02-31;7А;\r\n' >cr.csv
	run --separate-stderr portal-accounts import students cr.csv
	status_is 65
	grep -q '^cr\.csv:5: birth_date: ' <<<"$stderr"
	grep -q '^cr\.csv:7: birth_date: ' <<<"$stderr"
	same 2 "$(grep -c '^cr\.csv:' <<<"$stderr")" "error lines"
}

# ======================================================================
# 3. Idempotence and --dry-run
# ======================================================================

@test "3: importing the same file twice changes nothing the second time" {
	school 40
	before_students=$(table_digest students)
	before_audit=$(audit_count)
	before=$(db_digest)
	run --separate-stderr portal-accounts import students s/students.csv
	status_is 0
	contains "unchanged 40" "$stderr"
	contains "inserted 0" "$stderr"
	contains "updated 0" "$stderr"
	same "$before_students" "$(table_digest students)" "students table"
	same "$before_audit" "$(audit_count)" "audit records"
	same "$before" "$(db_digest)" "store digest"
}

@test "3: guardians and groups imported twice change nothing" {
	school 40
	before=$(db_digest)
	run --separate-stderr portal-accounts import guardians s/guardians.csv
	status_is 0
	contains "inserted 0, updated 0" "$stderr"
	run --separate-stderr portal-accounts groups import s/groups.csv
	status_is 0
	contains "inserted 0, updated 0" "$stderr"
	same "$before" "$(db_digest)" "store digest"
}

@test "3: the synthetic school's staff imported twice changes nothing" {
	school 40
	before=$(db_digest)
	run --separate-stderr portal-accounts import staff s/staff.csv
	status_is 0
	contains "inserted 0, updated 0" "$stderr"
	same "$before" "$(db_digest)" "store digest"
}

@test "3: --dry-run prints op,kind,id,field,old,new and writes nothing" {
	school 40
	first=$(q "SELECT first_name FROM students WHERE student_id='S00001'")
	last=$(q "SELECT last_name FROM students WHERE student_id='S00001'")
	python3 - <<'EOF'
import csv
rows = list(csv.reader(open("s/students.csv", newline="", encoding="utf-8")))
h = rows[0]
for r in rows[1:]:
    if r[0] == "S00001":
        r[h.index("first_name")] = "Василиса"
        r[h.index("email")] = "vasilisa@example.ru"
rows.append(["S09999", "Новикова", "Вера", "Ивановна", "2015-03-03", rows[1][h.index("class")], "", "", "active", ""])
csv.writer(open("changed.csv", "w", newline="", encoding="utf-8"), lineterminator="\n").writerows(rows)
EOF
	before=$(db_digest)
	run --separate-stderr portal-accounts import students --dry-run changed.csv
	status_is 0
	same "op,kind,id,field,old,new" "${lines[0]}" "header"
	has_line "update,student,S00001,first_name,$first,Василиса"
	has_line "update,student,S00001,email,,vasilisa@example.ru"
	has_line "insert,student,S09999,last_name,,Новикова"
	has_line "insert,student,S09999,birth_date,,2015-03-03"
	! grep -q '^update,student,S0000[2-9]' <<<"$output"
	! grep -q ',S00001,last_name,' <<<"$output"
	same "$before" "$(db_digest)" "store digest"
	# and the same without --dry-run does it
	run --separate-stderr portal-accounts import students changed.csv
	status_is 0
	same "Василиса" "$(q "SELECT first_name FROM students WHERE student_id='S00001'")"
	same "$last" "$(q "SELECT last_name FROM students WHERE student_id='S00001'")"
}

@test "3: --dry-run of an unchanged file prints only the header" {
	school 30
	before=$(db_digest)
	run --separate-stderr portal-accounts import students --dry-run s/students.csv
	status_is 0
	same "op,kind,id,field,old,new" "$output" "stdout"
	same "$before" "$(db_digest)" "store digest"
}

@test "3: --dry-run with bad rows exits 65 like the real run" {
	new_store
	badfile
	before=$(db_digest)
	run --separate-stderr portal-accounts import students --dry-run bad.csv
	status_is 65
	same "$before" "$(db_digest)" "store digest"
}

# ======================================================================
# 4. --sync
# ======================================================================

@test "4: --sync marks the file's classes' absent students left on PORTAL_NOW's date; other classes untouched" {
	school 60 # 5А 5Б 6А
	c=$(q "SELECT class FROM students WHERE student_id='S00001'")
	gone=$(q "SELECT student_id FROM students WHERE class='$c' AND status='active' ORDER BY student_id LIMIT 1 OFFSET 2")
	already=$(q "SELECT student_id || '|' || left_on FROM students WHERE status='left'")
	others=$(sqlite3 "$PORTAL_DB" "SELECT * FROM students WHERE class <> '$c' ORDER BY student_id")
	n_active=$(q "SELECT count(*) FROM students WHERE class='$c' AND status='active'")
	# the class's roster without $gone
	python3 - "$c" "$gone" <<'EOF'
import csv, sys
cls, gone = sys.argv[1], sys.argv[2]
rows = list(csv.reader(open("s/students.csv", newline="", encoding="utf-8")))
out = [rows[0]] + [r for r in rows[1:] if r[5] == cls and r[0] != gone]
csv.writer(open("class.csv", "w", newline="", encoding="utf-8"), lineterminator="\n").writerows(out)
EOF
	run --separate-stderr portal-accounts import students --sync class.csv
	status_is 0
	same "left|2026-11-28" "$(q "SELECT status || '|' || left_on FROM students WHERE student_id='$gone'")" "$gone"
	same $((n_active - 1)) "$(q "SELECT count(*) FROM students WHERE class='$c' AND status='active'")" "active in $c"
	same "$others" "$(sqlite3 "$PORTAL_DB" "SELECT * FROM students WHERE class <> '$c' ORDER BY student_id")" "other classes"
	# a student who had already left keeps the date
	if [ -n "$already" ]; then
		same "$already" "$(q "SELECT student_id || '|' || left_on FROM students WHERE status='left' AND student_id <> '$gone'")" "earlier leavers"
	fi
	run --separate-stderr portal-db audit
	grep -q "student:$gone" <<<"$output"
}

@test "4: --sync --dry-run shows the left rows and writes nothing" {
	school 30
	c=$(q "SELECT class FROM students WHERE student_id='S00001'")
	head -1 s/students.csv >c.csv
	grep ",$c,.*,active," s/students.csv | grep -v '^S00001,' >>c.csv
	before=$(db_digest)
	run --separate-stderr portal-accounts import students --sync --dry-run c.csv
	status_is 0
	has_line "left,student,S00001,status,active,left"
	has_line "left,student,S00001,left_on,,2026-11-28"
	same 3 "${#lines[@]}" "header and two rows"
	same "$before" "$(db_digest)" "store digest"
}

@test "4: --sync with --rejects: a student whose row was rejected is not marked left" {
	new_store
	printf 'student_id,last_name,first_name,birth_date,class,email\nS1,Аа,Бб,2013-01-01,7А,\nS2,Вв,Гг,2013-01-01,7А,\nS3,Дд,Ее,2013-01-01,7А,\nS4,Жж,Зз,2013-01-01,7А,\n' >a.csv
	portal-accounts -q import students a.csv
	printf 'student_id,last_name,first_name,birth_date,class,email\nS1,Аа,Бб,2013-01-01,7А,\nS2,Вв,Гг,2013-01-01,7А,bad-mail\nS3,Дд,Ее,2013-01-01,12Б,\n' >b.csv
	run --separate-stderr portal-accounts import students --sync --rejects R.csv b.csv
	status_is 0
	contains "applied 1, rejected 2" "$stderr"
	same "S1|active| S2|active| S3|active| S4|left|2026-11-28" "$(q "SELECT student_id || '|' || status || '|' || coalesce(left_on, '') FROM students ORDER BY 1" | tr '\n' ' ' | sed 's/ $//')"
}

@test "4: --sync: a student moved to another class in the file is moved, not left" {
	new_store
	printf 'student_id,last_name,first_name,birth_date,class\nS1,Аа,Бб,2013-01-01,7А\nS2,Вв,Гг,2013-01-01,7А\n' >a.csv
	portal-accounts -q import students a.csv
	printf 'student_id,last_name,first_name,birth_date,class\nS1,Аа,Бб,2013-01-01,7А\nS2,Вв,Гг,2013-01-01,7Б\n' >b.csv
	run --separate-stderr portal-accounts import students --sync b.csv
	status_is 0
	same "S1|7А|active S2|7Б|active" "$(q "SELECT student_id || '|' || class || '|' || status FROM students ORDER BY 1" | tr '\n' ' ' | sed 's/ $//')"
}

@test "4: without --sync, absent students stay active" {
	school 30
	head -2 s/students.csv >one.csv
	run --separate-stderr portal-accounts import students one.csv
	status_is 0
	same 0 "$(q "SELECT count(*) FROM students WHERE left_on = '2026-11-28'")" "leavers"
}

# ======================================================================
# 5. Class leaders: their own class only
# ======================================================================

@test "5: a class leader importing students of another class is refused (77) and nothing is written" {
	new_store
	leader7
	printf 'student_id,last_name,first_name,birth_date,class\nS80001,Кузнецова,Алёна,2012-03-12,8Б\n' >s8.csv
	before=$(db_digest)
	PORTAL_ACTOR=kl7a run --separate-stderr portal-accounts import students s8.csv
	status_is 77
	contains "right" "$stderr"
	contains "8Б" "$stderr"
	contains "kl7a" "$stderr"
	same "$before" "$(db_digest)" "store digest"
}

@test "5: a mixed file (own class and another) is refused as a whole" {
	new_store
	leader7
	students7
	before=$(db_digest)
	PORTAL_ACTOR=kl7a run --separate-stderr portal-accounts import students st.csv
	status_is 77
	contains "8Б" "$stderr"
	same "$before" "$(db_digest)" "store digest"
}

@test "5: a class leader imports their own class and is the actor in the audit log" {
	new_store
	leader7
	students7
	grep -v ',8Б,' st.csv >st7.csv
	PORTAL_ACTOR=kl7a run --separate-stderr portal-accounts import students st7.csv
	status_is 0
	same 3 "$(q "SELECT count(*) FROM students WHERE class='7А'")" "students of 7А"
	same 3 "$(q "SELECT count(*) FROM audit WHERE actor='kl7a' AND object LIKE 'student:%'")" "kl7a's audit records"
	# --actor works as well as PORTAL_ACTOR
	run --separate-stderr portal-accounts --actor kl7a set S70001 email=daria@example.ru
	status_is 0
}

@test "5: a class leader may not move their student to another class, nor edit another class" {
	new_store
	leader7
	students7
	portal-accounts -q import students st.csv
	before=$(db_digest)
	PORTAL_ACTOR=kl7a run --separate-stderr portal-accounts set S70001 class=8Б
	status_is 77
	PORTAL_ACTOR=kl7a run --separate-stderr portal-accounts set S80001 email=a@example.ru
	status_is 77
	printf 'student_id,phone\nS80002,+79120000000\n' >u8.csv
	PORTAL_ACTOR=kl7a run --separate-stderr portal-accounts update u8.csv
	status_is 77
	same "$before" "$(db_digest)" "store digest"
}

@test "5: a deputy, a teacher and an unknown login may not import students (77)" {
	new_store
	leader7
	students7
	before=$(db_digest)
	for who in deputy uchitel nobody; do
		PORTAL_ACTOR=$who run --separate-stderr portal-accounts import students st.csv
		status_is 77
	done
	same "$before" "$(db_digest)" "store digest"
	PORTAL_ACTOR=deputy run --separate-stderr portal-accounts list students --all
	status_is 0
}

# ======================================================================
# 6. Two writers at once
# ======================================================================

# hold_lock SECONDS: holds the store's write lock in the background for
# SECONDS; returns once the lock is taken. The holder's pid is in $holder.
hold_lock() {
	rm -f locked
	printf 'BEGIN IMMEDIATE;\n.shell touch locked; sleep %s\nCOMMIT;\n' "$1" | sqlite3 "$PORTAL_DB" >/dev/null 2>&1 &
	holder=$!
	for _ in $(seq 1 100); do
		[ -e locked ] && return 0
		sleep 0.05
	done
	echo "hold_lock: the lock was not taken" >&2
	return 1
}

@test "6: an import waits for another writer's lock and succeeds" {
	school 30
	printf 'student_id,last_name,first_name,birth_date,class\nS79001,Ждунова,Инна,2013-03-02,7А\n' >w.csv
	hold_lock 2
	start=$(date +%s%N)
	run --separate-stderr portal-accounts import students w.csv
	end=$(date +%s%N)
	wait "$holder"
	status_is 0
	[ $(((end - start) / 1000000)) -ge 1000 ] || { echo "did not wait: $(((end - start) / 1000000)) ms"; return 1; }
	same 1 "$(q "SELECT count(*) FROM students WHERE student_id='S79001'")" "the new student"
	run portal-db check
	status_is 0
}

@test "6: two imports started together both succeed and both land" {
	school 30
	printf 'student_id,last_name,first_name,birth_date,class\nS79001,Первова,Инна,2013-03-02,7А\nS79002,Первов,Иван,2013-03-02,7А\n' >a.csv
	printf 'student_id,last_name,first_name,birth_date,class\nS89001,Второва,Анна,2012-03-02,8Б\nS89002,Второв,Олег,2012-03-02,8Б\n' >b.csv
	printf 'guardian_id,student_id,last_name,first_name\nP99001,S00001,Третьякова,Вера\n' >c.csv
	portal-accounts import students a.csv 2>a.err &
	pa=$!
	portal-accounts import students b.csv 2>b.err &
	pb=$!
	portal-accounts import guardians c.csv 2>c.err &
	pc=$!
	wait $pa || { cat a.err; return 1; }
	wait $pb || { cat b.err; return 1; }
	wait $pc || { cat c.err; return 1; }
	same 4 "$(q "SELECT count(*) FROM students WHERE student_id IN ('S79001','S79002','S89001','S89002')")" "new students"
	same 1 "$(q "SELECT count(*) FROM guardian_links WHERE guardian_id='P99001'")" "new link"
	run --separate-stderr portal-db check
	status_is 0
}

@test "6: with PORTAL_BUSY_TIMEOUT=300 and the lock held 3 s, the import exits 75 and writes nothing" {
	school 30
	printf 'student_id,last_name,first_name,birth_date,class\nS79001,Ждунова,Инна,2013-03-02,7А\n' >w.csv
	before=$(db_digest)
	hold_lock 3
	start=$(date +%s%N)
	PORTAL_BUSY_TIMEOUT=300 run --separate-stderr portal-accounts import students w.csv
	end=$(date +%s%N)
	status_is 75
	contains "busy" "$stderr"
	[ $(((end - start) / 1000000)) -lt 2500 ] || { echo "took $(((end - start) / 1000000)) ms"; return 1; }
	wait "$holder"
	same "$before" "$(db_digest)" "store digest"
}

@test "6: readers are not blocked by a writer (WAL)" {
	school 30
	hold_lock 3
	start=$(date +%s%N)
	PORTAL_BUSY_TIMEOUT=300 run --separate-stderr portal-accounts list students --all
	end=$(date +%s%N)
	wait "$holder"
	status_is 0
	same $(($(q "SELECT count(*) FROM students WHERE status='active'") + 1)) "${#lines[@]}" "header and the active students"
	[ $(((end - start) / 1000000)) -lt 2500 ]
}

# ======================================================================
# 7. Guardians
# ======================================================================

@test "7: a guardian of an unknown student: 65 naming the line and student_id; nothing written" {
	school 30
	printf 'guardian_id,student_id,last_name,first_name,relation\nP99001,S00001,Дроздова,Мария,мать\nP99002,S55555,Дроздов,Иван,отец\n' >g.csv
	before=$(db_digest)
	run --separate-stderr portal-accounts import guardians g.csv
	status_is 65
	grep -qE '^g\.csv:3: student_id: .*S55555' <<<"$stderr"
	same "$before" "$(db_digest)" "store digest"
}

@test "7: a guardian of two children: one guardians row, two links, two list rows" {
	school 30
	cat >g.csv <<'EOF'
guardian_id,student_id,last_name,first_name,middle_name,relation,email,phone
P99001,S00001,Дроздова,Мария,Ивановна,мать,m.drozdova@example.ru,8 912 111-22-33
P99001,S00016,Дроздова,Мария,Ивановна,опекун,m.drozdova@example.ru,+7 912 111 22 33
EOF
	run --separate-stderr portal-accounts import guardians g.csv
	status_is 0
	same 1 "$(q "SELECT count(*) FROM guardians WHERE guardian_id='P99001'")" "guardians rows"
	same 2 "$(q "SELECT count(*) FROM guardian_links WHERE guardian_id='P99001'")" "links"
	run --separate-stderr portal-accounts list guardians --all
	status_is 0
	same guardian_id,student_id,last_name,first_name,middle_name,relation,email,phone,login "${lines[0]}" "header"
	same 2 "$(grep -c '^P99001,' <<<"$output")" "list rows of P99001"
	has_line "P99001,S00001,Дроздова,Мария,Ивановна,mother,m.drozdova@example.ru,+79121112233,"
	has_line "P99001,S00016,Дроздова,Мария,Ивановна,guardian,m.drozdova@example.ru,+79121112233,"
	# the same file again changes nothing
	before=$(db_digest)
	run --separate-stderr portal-accounts import guardians g.csv
	status_is 0
	same "$before" "$(db_digest)" "store digest"
}

@test "7: a new guardian of two children is counted as new, not updated" {
	school 30
	printf 'guardian_id,student_id,last_name,first_name,relation\nP99001,S00001,Дроздова,Мария,мать\nP99001,S00016,Дроздова,Мария,мать\n' >g.csv
	run --separate-stderr portal-accounts import guardians g.csv
	status_is 0
	contains "updated 0" "$stderr"
}

@test "7: conflicting data for one guardian_id on two rows: 65, nothing written" {
	school 30
	cat >g.csv <<'EOF'
guardian_id,student_id,last_name,first_name,relation,email
P99001,S00001,Орлова,Мария,мать,orlova@example.ru
P99001,S00016,Орлова,Марина,мать,orlova@example.ru
EOF
	before=$(db_digest)
	run --separate-stderr portal-accounts import guardians g.csv
	status_is 65
	grep -qE '^g\.csv:3: ' <<<"$stderr"
	contains "P99001" "$stderr"
	same "$before" "$(db_digest)" "store digest"
}

@test "7: list guardians --class shows only that class's links" {
	school 60
	run --separate-stderr portal-accounts list guardians --class 5Б
	status_is 0
	[ "${#lines[@]}" -gt 1 ]
	ids=$(q "SELECT student_id FROM students WHERE class='5Б'" | paste -sd,)
	tail -n +2 <<<"$output" | cut -d, -f2 | while read -r s; do
		[[ ",$ids," == *",$s,"* ]] || { echo "$s is not in 5Б"; exit 1; }
	done
	want=$(q "SELECT count(*) FROM guardian_links l JOIN students s USING (student_id) WHERE s.class='5Б' AND s.status='active'")
	same "$want" "$((${#lines[@]} - 1))" "rows"
}

@test "7: a bad relation is a bad row; Russian relations are mapped" {
	school 30
	printf 'guardian_id,student_id,last_name,first_name,relation\nP99001,S00001,Дроздова,Мария,тётя\nP99002,S00001,Дроздов,Иван,uncle\n' >g.csv
	run --separate-stderr portal-accounts import guardians g.csv
	status_is 65
	grep -qE '^g\.csv:3: relation: ' <<<"$stderr"
	! grep -qE '^g\.csv:2: ' <<<"$stderr"
	printf 'guardian_id,student_id,last_name,first_name,relation\nP99001,S00001,Дроздова,Мария,Мать\nP99002,S00001,Дроздов,Иван,ОТЕЦ\nP99003,S00001,Дроздова,Анна,иное\n' >g2.csv
	run --separate-stderr portal-accounts import guardians g2.csv
	status_is 0
	same "P99001|mother P99002|father P99003|other" "$(q "SELECT guardian_id || '|' || relation FROM guardian_links WHERE guardian_id LIKE 'P99%' ORDER BY 1" | tr '\n' ' ' | sed 's/ $//')"
}

# ======================================================================
# 8. Staff
# ======================================================================

@test "8: staff import by a non-admin is refused (77); nothing written" {
	new_store
	leader7
	printf 'staff_id,last_name,first_name,role,login,classes\nT200,Новая,Анна,admin,newadmin,\n' >s2.csv
	before=$(db_digest)
	for who in kl7a deputy uchitel; do
		PORTAL_ACTOR=$who run --separate-stderr portal-accounts import staff s2.csv
		status_is 77
		contains "staff" "$stderr"
	done
	same "$before" "$(db_digest)" "store digest"
}

@test "8: list staff --class 7А shows the class leader" {
	new_store
	leader7
	run --separate-stderr portal-accounts list staff --class 7А
	status_is 0
	same staff_id,last_name,first_name,middle_name,role,login,os_user,email,phone,classes,subjects "${lines[0]}" "header"
	same 2 "${#lines[@]}" "lines"
	same "T070,Ленская,Ольга,Петровна,class_leader,kl7a,,kl7a@school.example,,7А," "${lines[1]}"
}

@test "8: staff imported twice with classes and subjects not in alphabetical order changes nothing" {
	new_store
	printf 'staff_id,last_name,first_name,role,login,classes,subjects\nT300,Двоева,Анна,class_leader,kl2,7Б;7А,\nT301,Учителев,Иван,teacher,uch,,Физика;Алгебра\n' >s2.csv
	portal-accounts -q import staff s2.csv
	before=$(db_digest)
	run --separate-stderr portal-accounts import staff s2.csv
	status_is 0
	contains "inserted 0, updated 0, unchanged 2" "$stderr"
	same "$before" "$(db_digest)" "store digest"
	run --separate-stderr portal-accounts import staff --dry-run s2.csv
	same "op,kind,id,field,old,new" "$output" "dry-run output"
}

@test "8: staff classes are normalised and listed" {
	new_store
	printf 'staff_id,last_name,first_name,role,login,classes\nT302,Тройкина,Анна,class_leader,kl3,7 а; 7б\n' >s3.csv
	run --separate-stderr portal-accounts import staff s3.csv
	status_is 0
	run --separate-stderr portal-accounts list staff --class 7Б
	has_line "T302,Тройкина,Анна,,class_leader,kl3,,,,7А;7Б,"
}

@test "8: a bad role is a bad row" {
	new_store
	printf 'staff_id,last_name,first_name,role,login\nT200,Новая,Анна,director,newadmin\n' >s2.csv
	run --separate-stderr portal-accounts import staff s2.csv
	status_is 65
	grep -qE '^s2\.csv:2: role: ' <<<"$stderr"
}

@test "8: a login already taken by another staff member is a bad row" {
	new_store
	leader7
	printf 'staff_id,last_name,first_name,role,login\nT201,Новая,Анна,teacher,kl7a\n' >s2.csv
	before=$(db_digest)
	run --separate-stderr portal-accounts import staff s2.csv
	status_is 65
	grep -qE '^s2\.csv:2: login: ' <<<"$stderr"
	same "$before" "$(db_digest)" "store digest"
}

# ======================================================================
# 9. update and set
# ======================================================================

@test "9: update FILE changes only the given columns and audits old and new" {
	school 30
	before=$(sqlite3 "$PORTAL_DB" "SELECT last_name, first_name, middle_name, birth_date, class, email, status FROM students WHERE student_id='S00003'")
	old_phone=$(q "SELECT coalesce(phone, '') FROM students WHERE student_id='S00003'")
	others=$(sqlite3 "$PORTAL_DB" "SELECT * FROM students WHERE student_id <> 'S00003' ORDER BY 1")
	printf 'student_id,phone\nS00003,8 (912) 345-67-89\n' >up.csv
	run --separate-stderr portal-accounts update up.csv
	status_is 0
	same "+79123456789" "$(q "SELECT phone FROM students WHERE student_id='S00003'")" "phone"
	same "$before" "$(sqlite3 "$PORTAL_DB" "SELECT last_name, first_name, middle_name, birth_date, class, email, status FROM students WHERE student_id='S00003'")" "other fields"
	same "$others" "$(sqlite3 "$PORTAL_DB" "SELECT * FROM students WHERE student_id <> 'S00003' ORDER BY 1")" "other students"
	run --separate-stderr portal-db audit
	rec=$(grep ',student:S00003,' <<<"$output" | tail -1)
	contains "update" "$rec"
	contains "phone" "$rec"
	contains "+79123456789" "$rec"
	[ -z "$old_phone" ] || contains "$old_phone" "$rec"
}

@test "9: update of a guardian: old and new value in the audit detail" {
	school 30
	old=$(q "SELECT first_name FROM guardians WHERE guardian_id='P00001'")
	printf 'guardian_id,first_name\nP00001,Евдокия\n' >ug.csv
	run --separate-stderr portal-accounts update ug.csv
	status_is 0
	same "Евдокия" "$(q "SELECT first_name FROM guardians WHERE guardian_id='P00001'")"
	run --separate-stderr portal-db audit --format json
	rec=$(grep '"guardian:P00001"' <<<"$output" | tail -1)
	python3 -c '
import json, sys
rec = json.loads(sys.argv[1])
d = rec["detail"]
d = json.loads(d) if isinstance(d, str) else d
assert d["first_name"] == [sys.argv[2], "Евдокия"], d
' "$rec" "$old"
}

@test "9: update with an unknown id: 65, nothing written" {
	school 30
	printf 'student_id,phone\nS00003,+79120000001\nS77777,+79120000000\n' >up.csv
	before=$(db_digest)
	run --separate-stderr portal-accounts update up.csv
	status_is 65
	grep -qE '^up\.csv:3: student_id: .*S77777' <<<"$stderr"
	same "$before" "$(db_digest)" "store digest"
}

@test "9: update of an unchanged value writes no audit record" {
	school 30
	phone=$(q "SELECT phone FROM guardians WHERE guardian_id='P00001'")
	[ -n "$phone" ] || skip "P00001 has no phone in this school"
	printf 'guardian_id,phone\nP00001,%s\n' "$phone" >ug.csv
	before=$(db_digest)
	run --separate-stderr portal-accounts update ug.csv
	status_is 0
	same "$before" "$(db_digest)" "store digest"
}

@test "9: set S00001 email=... changes one field and audits it" {
	school 30
	before=$(sqlite3 "$PORTAL_DB" "SELECT last_name, first_name, middle_name, birth_date, class, phone, status FROM students WHERE student_id='S00001'")
	n=$(audit_count)
	run --separate-stderr portal-accounts set S00001 email=x@example.ru
	status_is 0
	same "x@example.ru" "$(q "SELECT email FROM students WHERE student_id='S00001'")"
	same "$before" "$(sqlite3 "$PORTAL_DB" "SELECT last_name, first_name, middle_name, birth_date, class, phone, status FROM students WHERE student_id='S00001'")" "other fields"
	same $((n + 1)) "$(audit_count)" "audit records"
	run --separate-stderr portal-db audit
	rec=$(tail -1 <<<"$output")
	contains "student:S00001" "$rec"
	contains "x@example.ru" "$rec"
}

@test "9: set several fields, and of a guardian" {
	school 30
	run --separate-stderr portal-accounts set S00002 email=a@example.ru "phone=8 912 000-00-01"
	status_is 0
	same "a@example.ru|+79120000001" "$(q "SELECT email || '|' || phone FROM students WHERE student_id='S00002'")"
	run --separate-stderr portal-accounts set P00001 phone=+79120000002
	status_is 0
	same "+79120000002" "$(q "SELECT phone FROM guardians WHERE guardian_id='P00001'")"
}

@test "9: set with a bad value exits 65 and writes nothing" {
	school 30
	before=$(db_digest)
	for kv in email=not-an-email birth_date=31.11.2013 class=12Б phone=123 last_name=; do
		run --separate-stderr portal-accounts set S00001 "$kv"
		if [ "$status" -ne 65 ]; then
			echo "set S00001 $kv: exit $status, expected 65"
			return 1
		fi
		contains "${kv%%=*}" "$stderr"
	done
	same "$before" "$(db_digest)" "store digest"
}

@test "9: set of an unknown id exits 65" {
	school 30
	before=$(db_digest)
	run --separate-stderr portal-accounts set S77777 email=x@example.ru
	status_is 65
	contains "S77777" "$stderr"
	same "$before" "$(db_digest)" "store digest"
}

@test "9: set of an unknown field is refused, not ignored" {
	school 30
	before=$(db_digest)
	run --separate-stderr portal-accounts set S00001 shoe_size=38
	[ "$status" -eq 64 ] || [ "$status" -eq 65 ] || { echo "exit $status, expected 64 or 65; stderr: $stderr"; return 1; }
	contains "shoe_size" "$stderr"
	same "$before" "$(db_digest)" "store digest"
}

@test "9: set's error names the id, not a line of standard input" {
	school 30
	run --separate-stderr portal-accounts set S00001 email=not-an-email </dev/null
	status_is 65
	contains "S00001" "$stderr"
	lacks "stdin:" "$stderr"
}

@test "9: set left_on alone marks the student left; import refuses left_on with status active" {
	new_store
	printf 'student_id,last_name,first_name,birth_date,class\nS1,Аа,Бб,2013-01-01,7А\n' >a.csv
	portal-accounts -q import students a.csv
	# the import refuses this combination ...
	printf 'student_id,last_name,first_name,birth_date,class,status,left_on\nS1,Аа,Бб,2013-01-01,7А,active,2026-11-01\n' >b.csv
	run --separate-stderr portal-accounts import students b.csv
	status_is 65
	# ... while a date of leaving alone says the student left: set must not drop it
	run --separate-stderr portal-accounts set S1 left_on=2026-11-01
	status_is 0
	[ "$(sqlite3 "$PORTAL_DB" "SELECT status || ' ' || left_on FROM students WHERE student_id = 'S1'")" = "left 2026-11-01" ]
}

@test "9: set status=left dates the leave today; status=active clears it" {
	new_store
	printf 'student_id,last_name,first_name,birth_date,class\nS1,Аа,Бб,2013-01-01,7А\n' >a.csv
	portal-accounts -q import students a.csv
	run --separate-stderr portal-accounts set S1 status=left
	status_is 0
	same "left|2026-11-28" "$(q "SELECT status || '|' || left_on FROM students")"
	run --separate-stderr portal-accounts set S1 status=active
	status_is 0
	same "active|" "$(q "SELECT status || '|' || coalesce(left_on, '') FROM students")"
	run --separate-stderr portal-accounts set S1 status=left left_on=01.11.2026
	status_is 0
	same "left|2026-11-01" "$(q "SELECT status || '|' || left_on FROM students")"
}

@test "9: set without FIELD=VALUE is a usage error" {
	school 30
	run --separate-stderr portal-accounts set S00001
	status_is 64
	run --separate-stderr portal-accounts set S00001 email
	status_is 64
}

@test "9: set --dry-run prints the change and writes nothing" {
	school 30
	before=$(db_digest)
	run --separate-stderr portal-accounts set S00001 email=x@example.ru --dry-run
	status_is 0
	has_line "update,student,S00001,email,,x@example.ru"
	same "$before" "$(db_digest)" "store digest"
}

# ======================================================================
# 10. Groups
# ======================================================================

@test "10: groups import and groups list --class" {
	school 60
	run --separate-stderr portal-accounts groups list --class 5Б
	status_is 0
	same "class,group,subject,student_id" "$(head -1 <<<"$output" | cut -d, -f1-4)" "header"
	[ "${#lines[@]}" -gt 1 ]
	# every group of 5Б from the file is listed with its members
	want=$(grep '^5Б,' s/groups.csv | sort)
	got=$(grep '^5Б,' <<<"$output" | cut -d, -f1-4 | sort)
	same "$want" "$got" "5Б's groups"
	# no member of another class's group
	! grep -qE '^(5А|6А),' <<<"$output"
}

@test "10: a new group, a stream and an individual plan" {
	school 60
	a=$(q "SELECT student_id FROM students WHERE class='5А' AND status='active' ORDER BY 1 LIMIT 1")
	b=$(q "SELECT student_id FROM students WHERE class='5Б' AND status='active' ORDER BY 1 LIMIT 1")
	cat >gr.csv <<EOF
class,group,subject,student_id
5Б,Кружок,Математика,$b
,Поток шахмат,Математика,$a
,Поток шахмат,Математика,$b
EOF
	run --separate-stderr portal-accounts groups import gr.csv
	status_is 0
	run --separate-stderr portal-accounts groups list --class 5Б
	grep -q "^5Б,Кружок,Математика,$b," <<<"$output"
	run --separate-stderr portal-accounts groups list --all
	grep -q "^,Поток шахмат,Математика,$a," <<<"$output"
	grep -q "^,Поток шахмат,Математика,$b," <<<"$output"
}

@test "10: groups import --dry-run writes nothing and does not claim it added a subject" {
	school 30
	printf 'class,group,subject,student_id\n5А,Кружок,Астрономия,S00001\n' >gr.csv
	before=$(db_digest)
	run --separate-stderr portal-accounts groups import --dry-run gr.csv
	status_is 0
	has_line "insert,group_member,5А:Кружок:Астрономия:S00001,student_id,,S00001"
	same "$before" "$(db_digest)" "store digest"
	lacks "was added" "$stderr"
}

@test "10: a class group with a student of another class: 65, nothing written" {
	school 60
	a=$(q "SELECT student_id FROM students WHERE class='5А' AND status='active' ORDER BY 1 LIMIT 1")
	b=$(q "SELECT student_id FROM students WHERE class='5Б' AND status='active' ORDER BY 1 LIMIT 1")
	printf 'class,group,subject,student_id\n5Б,Кружок,Математика,%s\n5Б,Кружок,Математика,%s\n' "$b" "$a" >gr.csv
	before=$(db_digest)
	run --separate-stderr portal-accounts groups import gr.csv
	status_is 65
	grep -qE "^gr\.csv:3: student_id: .*$a" <<<"$stderr"
	same "$before" "$(db_digest)" "store digest"
}

@test "10: a group member who is not a student: 65" {
	school 30
	printf 'class,group,subject,student_id\n5А,Кружок,Математика,S55555\n' >gr.csv
	run --separate-stderr portal-accounts groups import gr.csv
	status_is 65
	grep -qE '^gr\.csv:2: student_id: ' <<<"$stderr"
}

@test "10: a class leader may not import groups of another class (77)" {
	school 60
	leader=$(q "SELECT login FROM staff JOIN staff_classes USING (staff_id) WHERE class='5А'")
	b=$(q "SELECT student_id FROM students WHERE class='5Б' AND status='active' ORDER BY 1 LIMIT 1")
	printf 'class,group,subject,student_id\n5Б,Кружок,Математика,%s\n' "$b" >gr.csv
	before=$(db_digest)
	PORTAL_ACTOR=$leader run --separate-stderr portal-accounts groups import gr.csv
	status_is 77
	same "$before" "$(db_digest)" "store digest"
}

# ======================================================================
# 11. Headers, delimiters, broken files
# ======================================================================

@test "11: header names match case-insensitively, Russian or English" {
	new_store
	printf 'ИД,ФАМИЛИЯ,Имя,Дата Рождения,КЛАСС,EMAIL\nS73001,Тестова,Ольга,02.03.2013,7 а,\n' >h.csv
	run --separate-stderr portal-accounts import students h.csv
	status_is 0
	same "S73001|Тестова|Ольга|2013-03-02|7А" "$(q "SELECT student_id, last_name, first_name, birth_date, class FROM students" | tr -d '\n')"
	printf 'Student_ID,LAST_NAME,First_Name,Birth_Date,Class\nS73002,Тестова,Инна,2013-03-02,7А\n' >h2.csv
	run --separate-stderr portal-accounts import students h2.csv
	status_is 0
	same 2 "$(q 'SELECT count(*) FROM students')" "students"
}

@test "11: a missing required column: 65 before any row, naming the column" {
	new_store
	# the rows are bad too, but the header is reported alone
	printf 'student_id,first_name,birth_date,class\nS73001,Ольга,31.11.2013,7А\nS73002,Инна,2013-03-02,12Б\n' >m.csv
	before=$(db_digest)
	run --separate-stderr portal-accounts import students m.csv
	status_is 65
	contains "last_name" "$stderr"
	! grep -qE 'm\.csv:[23]' <<<"$stderr"
	same "$before" "$(db_digest)" "store digest"
}

@test "11: an unknown column: one warning, the import works" {
	new_store
	printf 'student_id,last_name,first_name,birth_date,class,hobby\nS73001,Тестова,Ольга,2013-03-02,7А,шахматы\nS73002,Тестова,Инна,2013-03-02,7А,go\n' >u.csv
	run --separate-stderr portal-accounts import students u.csv
	status_is 0
	same 1 "$(grep -c hobby <<<"$stderr")" "warnings about hobby"
	contains "warning" "$stderr"
	same 2 "$(q 'SELECT count(*) FROM students')" "students"
	# -q silences it
	printf 'student_id,last_name,first_name,birth_date,class,hobby\nS73003,Тестова,Анна,2013-03-02,7А,go\n' >u2.csv
	run --separate-stderr portal-accounts -q import students u2.csv
	status_is 0
	same "" "$stderr" "stderr with -q"
}

@test "11: a NUL byte: 65, nothing written" {
	new_store
	printf 'student_id,last_name,first_name,birth_date,class\nS73001,Тес\0това,Инна,2013-03-02,7А\n' >n.csv
	before=$(db_digest)
	run --separate-stderr portal-accounts import students n.csv
	status_is 65
	contains "n.csv:2" "$stderr"
	contains "NUL" "$stderr"
	same "$before" "$(db_digest)" "store digest"
}

@test "11: an unterminated quote: 65 naming the line where it opened" {
	new_store
	printf 'student_id,last_name,first_name,birth_date,class\nS73001,Тестова,Инна,2013-03-02,7А\nS73002,"Тестова,Инна,2013-03-02,7А\nS73003,Тестова,Анна,2013-03-02,7А\nS73004,Тестова,Вера,2013-03-02,7А\n' >uq.csv
	before=$(db_digest)
	run --separate-stderr portal-accounts import students uq.csv
	status_is 65
	contains "uq.csv:3" "$stderr"
	lacks "uq.csv:5" "$stderr"
	same "$before" "$(db_digest)" "store digest"
}

@test "11: a TAB-delimited file is detected" {
	new_store
	printf 'student_id\tlast_name\tfirst_name\tbirth_date\tclass\nS73001\tТабова\tИнна\t02.03.2013\t7А\nS73002\tТабов, мл.\tИван\t02.03.2013\t7А\n' >t.csv
	run --separate-stderr portal-accounts import students t.csv
	# "Табов, мл." has a comma and a dot: the name is bad, but the comma did not split it
	status_is 65
	grep -qE '^t\.csv:3: last_name: ' <<<"$stderr"
	sed -i '3d' t.csv
	run --separate-stderr portal-accounts import students t.csv
	status_is 0
	same "S73001|Табова|Инна|2013-03-02|7А" "$(q "SELECT student_id, last_name, first_name, birth_date, class FROM students" | tr -d '\n')"
}

@test "11: a ';' file with commas inside quoted fields, and CRLF" {
	new_store
	printf 'student_id;last_name;first_name;birth_date;class;note\r\nS73001;Точкина;Инна;02.03.2013;7А;"да, и ещё; кое-что"\r\n' >sc.csv
	run --separate-stderr portal-accounts import students sc.csv
	status_is 0
	same "Инна" "$(q "SELECT first_name FROM students WHERE student_id='S73001'")"
	same "7А" "$(q "SELECT class FROM students WHERE student_id='S73001'")"
}

@test "11: --delimiter overrides the detection" {
	new_store
	printf 'student_id;last_name;first_name;birth_date;class\nS73001;Точкина;Инна;02.03.2013;7А\n' >sc.csv
	run --separate-stderr portal-accounts import students --delimiter ';' sc.csv
	status_is 0
	same 1 "$(q 'SELECT count(*) FROM students')"
}

@test "11: standard input: - or no FILE" {
	new_store
	printf 'student_id,last_name,first_name,birth_date,class\nS73001,Тестова,Инна,2013-03-02,7А\n' | portal-accounts -q import students -
	printf 'student_id,last_name,first_name,birth_date,class\nS73002,Тестова,Анна,2013-03-02,7А\n' | portal-accounts -q import students
	same 2 "$(q 'SELECT count(*) FROM students')"
}

@test "11: a missing input file exits 66" {
	new_store
	before=$(db_digest)
	run --separate-stderr portal-accounts import students no-such.csv
	status_is 66
	contains "no-such.csv" "$stderr"
	same "$before" "$(db_digest)" "store digest"
}

@test "11: an empty file is bad input (65)" {
	new_store
	: >empty.csv
	run --separate-stderr portal-accounts import students empty.csv
	status_is 65
}

@test "11: a header-only file imports nothing and succeeds" {
	new_store
	printf 'student_id,last_name,first_name,birth_date,class\n' >ho.csv
	before=$(db_digest)
	run --separate-stderr portal-accounts import students ho.csv
	status_is 0
	same "$before" "$(db_digest)" "store digest"
}

# ======================================================================
# 12. Output formats
# ======================================================================

@test "12: --format json writes one JSON object per line" {
	school 30
	run --separate-stderr portal-accounts list students --all --format json
	status_is 0
	same "$(q "SELECT count(*) FROM students WHERE status='active'")" "${#lines[@]}" "lines"
	python3 -c 'import json,sys; [json.loads(l) for l in sys.stdin]' <<<"$output"
	python3 -c '
import json, sys
want = ["student_id","last_name","first_name","middle_name","birth_date","class","email","phone","status","left_on","login"]
for l in sys.stdin:
    o = json.loads(l)
    assert list(o) == want, list(o)
' <<<"$output"
	for k in guardians staff; do
		run --separate-stderr portal-accounts list $k --all --format json
		status_is 0
		python3 -c 'import json,sys; [json.loads(l) for l in sys.stdin]' <<<"$output"
	done
	run --separate-stderr portal-accounts groups list --all --format json
	python3 -c 'import json,sys; [json.loads(l) for l in sys.stdin]' <<<"$output"
}

@test "12: --format json: an empty value is written one way in every list" {
	school 30
	for k in students guardians staff; do
		portal-accounts list $k --format json
	done >all.json
	# every empty value (no e-mail, no login, no middle name, …) is either
	# always null or always ""
	python3 -c '
import json, sys
kinds = {}
for l in open("all.json", encoding="utf-8"):
    for k, v in json.loads(l).items():
        if v is None or v == "":
            kinds.setdefault(json.dumps(v), set()).add(k)
assert len(kinds) == 1, kinds
'
}

@test "12: --format table aligns columns by display width" {
	school 30
	n=$(q "SELECT count(*) FROM students WHERE status='active'")
	run --separate-stderr portal-accounts list students --all --format table
	status_is 0
	N=$n python3 -c '
import os
import sys
lines = sys.stdin.read().split("\n")
lines = [l for l in lines if l]
head, rule, rows = lines[0], lines[1], lines[2:]
assert set(rule) <= {"-", " "}, rule
# the column starts, from the rule line
starts = [i for i, ch in enumerate(rule) if ch == "-" and (i == 0 or rule[i - 1] == " ")]
assert len(starts) == 11, starts
for l in [head] + rows:
    for s in starts[1:]:
        assert len(l) < s or l[s - 1] == " ", (s, l)  # no cell runs into the next column
# every filled cell begins at its column start
hdr_cells = head.split()
assert [head[s:].split()[0] for s in starts] == hdr_cells, hdr_cells
for l in rows:
    assert l[starts[0]:].startswith("S0"), l
    assert l[starts[4]:starts[4] + 4].isdigit(), l  # birth_date
    assert l[starts[5]:].split()[0][-1] in "АБВГ", l  # class
assert len(rows) == int(os.environ["N"]), len(rows)
' <<<"$output"
}

@test "12: --excel: a BOM, ';' and CRLF, and a quote before +7 phones" {
	school 30
	portal-accounts set P00001 phone=+79120000002
	run --separate-stderr portal-accounts list students --all --excel -o ex.csv
	status_is 0
	same "efbbbf" "$(head -c 3 ex.csv | od -An -tx1 | tr -d ' \n')" "BOM"
	head -1 ex.csv | grep -q $'^\xef\xbb\xbfstudent_id;last_name;first_name;middle_name;birth_date;class;email;phone;status;left_on;login\r$'
	same "$(wc -l <ex.csv)" "$(grep -c $'\r$' ex.csv)" "CRLF lines"
	same $(($(q "SELECT count(*) FROM students WHERE status='active'") + 1)) "$(wc -l <ex.csv)" "lines"
	! grep -q ',' <(tail -n +2 ex.csv | grep -v '"')
	portal-accounts list guardians --all --excel >exg.csv
	grep -q "^P00001;.*;'+79120000002;" exg.csv
	# plain CSV is never altered
	portal-accounts list guardians --all | grep -q "^P00001,.*,+79120000002,"
}

@test "12: a list can be imported back and changes nothing" {
	school 40
	before=$(db_digest)
	for k in students guardians staff; do
		portal-accounts list $k --status all >$k.out
		run --separate-stderr portal-accounts import $k $k.out
		status_is 0
		contains "inserted 0, updated 0" "$stderr"
	done
	portal-accounts groups list --all >groups.out
	run --separate-stderr portal-accounts groups import groups.out
	status_is 0
	same "$before" "$(db_digest)" "store digest"
}

@test "12: --format table and json of an empty list" {
	new_store
	run --separate-stderr portal-accounts list students --all --format json
	status_is 0
	same "" "$output" "json of nothing"
	run --separate-stderr portal-accounts list students --all
	status_is 0
	same "student_id,last_name,first_name,middle_name,birth_date,class,email,phone,status,left_on,login" "$output"
}

@test "12: list --status left and all" {
	school 60
	run --separate-stderr portal-accounts list students --all --status left
	status_is 0
	n=$(q "SELECT count(*) FROM students WHERE status='left'")
	same $((n + 1)) "${#lines[@]}" "left students and header"
	run --separate-stderr portal-accounts list students --all --status all
	same 61 "${#lines[@]}" "all students and header"
	run --separate-stderr portal-accounts list students --all --status gone
	status_is 64
}

# ======================================================================
# Conventions
# ======================================================================

@test "usage: --help, VERB --help, unknown verb and option, --version" {
	run --separate-stderr portal-accounts --help
	status_is 0
	for v in import groups list update set; do
		grep -qE "^  $v( |$)" <<<"$output" || { echo "verb $v not listed"; return 1; }
	done
	run --separate-stderr portal-accounts import students --help
	status_is 0
	contains "--sync"
	run --separate-stderr portal-accounts --version
	status_is 0
	[[ "$output" =~ ^portal-accounts\ [0-9]+\.[0-9]+ ]]
	new_store
	run --separate-stderr portal-accounts frobnicate
	status_is 64
	contains "usage:" "$stderr"
	run --separate-stderr portal-accounts list students --bogus
	status_is 64
	contains "usage:" "$stderr"
	run --separate-stderr portal-accounts import pets x.csv
	status_is 64
}

@test "a missing store exits 66; a newer store 78" {
	sqlite_only "it sets PRAGMA user_version in the file"
	run --separate-stderr portal-accounts list students
	status_is 66
	store_absent
	new_store
	sqlite3 "$PORTAL_DB" 'PRAGMA user_version=99'
	students7
	run --separate-stderr portal-accounts import students st.csv
	status_is 78
	run --separate-stderr portal-accounts list students
	status_is 78
}

@test "every change is in the audit log and check passes" {
	school 40
	run --separate-stderr portal-db check
	status_is 0
	same 40 "$(q "SELECT count(*) FROM audit WHERE object LIKE 'student:%' AND tool='portal-accounts'")" "student records"
	same "$(q 'SELECT count(*) FROM guardians')" "$(q "SELECT count(*) FROM audit WHERE object LIKE 'guardian:%' AND detail LIKE '%last_name%'")" "guardian records"
}
