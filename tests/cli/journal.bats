#!/usr/bin/env bats
# portal-journal: periods and marks in, checked like the roster.

load helpers
bats_require_minimum_version 1.5.0

marks_fixture() {
	{ echo 'student_id,subject,date,value,weight,kind'
	  printf '%s\n' "S00001,Математика,2026-11-10,4,5,контрольная" \
		"S00001,математика ,10.11.2026,5,3,ответ" \
		"S00001,Математика,2026-11-11,5,1,дз"; } > m.csv
}

journal_school() {
	new_store
	printf 'staff_id,last_name,first_name,role,login,classes,subjects\n%s\n%s\n%s\n' \
		"T1,Учителева,Анна,teacher,math,,Математика" \
		"T2,Словесникова,Вера,teacher,lit,,Литература" \
		"T3,Руководова,Ольга,class_leader,kl5a,5А," > st.csv
	portal-accounts import staff -q st.csv
	printf 'student_id,last_name,first_name,birth_date,class\n%s\n%s\n' \
		"S00001,Иванова,Мария,2015-03-01,5А" "S00002,Петров,Илья,2015-04-02,5А" > s.csv
	portal-accounts import students -q s.csv
}

@test "periods import and list; a bad period names its line" {
	journal_school
	printf 'name,start,end\n1 четверть,01.09.2026,24.10.2026\n2 четверть,2026-11-05,2026-12-28\n' > p.csv
	run --separate-stderr portal-journal periods import p.csv
	status_is 0
	run portal-journal periods list
	status_is 0
	[ "${lines[0]}" = "name,start,end" ]
	[ "${lines[1]}" = "1 четверть,2026-09-01,2026-10-24" ]
	printf 'name,start,end\nx,2026-12-28,2026-11-05\n' > bad.csv
	before=$(db_digest)
	run --separate-stderr portal-journal periods import bad.csv
	status_is 65
	contains "bad.csv:2: end:" "$stderr"
	same "$before" "$(db_digest)" "store digest"
}

@test "marks: one subject however it is typed; the same file twice changes nothing" {
	journal_school
	marks_fixture
	run --separate-stderr portal-journal import marks m.csv
	status_is 0
	contains "inserted 3" "$stderr"
	[ "$(sqlite3 "$PORTAL_DB" 'SELECT COUNT(DISTINCT subject_id) FROM marks')" -eq 1 ]
	before=$(db_digest)
	run --separate-stderr portal-journal import marks m.csv
	status_is 0
	contains "unchanged 3" "$stderr"
	same "$before" "$(db_digest)" "store digest"
}

@test "marks: the weighted average of SPEC §6 over the imported marks is 4.44" {
	journal_school
	marks_fixture
	portal-journal import marks -q m.csv
	avg=$(sqlite3 "$PORTAL_DB" "SELECT ROUND(CAST(SUM(value * weight) / SUM(weight) AS NUMERIC), 2) FROM marks WHERE student_id = 'S00001'")
	[ "$avg" = "4.44" ]
}

@test "marks: bad values are reported with their lines, good lines are not blamed, nothing is written" {
	journal_school
	{ echo 'student_id,subject,date,value,weight,kind'
	  printf '%s\n' "S00001,Математика,2026-11-10,6,5,контрольная" \
		"S00002,Математика,2026-11-10,4,0,ответ" \
		"S00001,Математика,31.11.2026,4,1,ответ" \
		"S99999,Математика,2026-11-10,4,1,ответ" \
		"S00002,Математика,2026-11-12,5,1,дз"; } > bad.csv
	before=$(db_digest)
	run --separate-stderr portal-journal import marks bad.csv
	status_is 65
	contains 'bad.csv:2: value: "6"' "$stderr"
	contains 'bad.csv:3: weight: "0"' "$stderr"
	contains 'bad.csv:4: date: "31.11.2026"' "$stderr"
	contains 'bad.csv:5: student_id: S99999' "$stderr"
	lacks "bad.csv:6:" "$stderr"
	same "$before" "$(db_digest)" "store digest"
	run --separate-stderr portal-journal import marks --rejects r.csv bad.csv
	status_is 0
	[ "$(sqlite3 "$PORTAL_DB" 'SELECT COUNT(*) FROM marks')" -eq 1 ]
	[ "$(($(wc -l < r.csv) - 1))" -eq 4 ]
}

@test "marks: a changed mark is audited old → new" {
	journal_school
	marks_fixture
	portal-journal import marks -q m.csv
	sed -i 's/2026-11-10,4,5/2026-11-10,3,5/' m.csv
	run --separate-stderr portal-journal import marks m.csv
	status_is 0
	contains "updated 1" "$stderr"
	run portal-db audit
	contains 'mark:S00001:' "$output"
	[ "$(sqlite3 "$PORTAL_DB" "SELECT detail FROM audit WHERE object LIKE 'mark:%'")" = '{"op":"update","key":["S00001","1","2026-11-10","1","контрольная"],"value":["4","3"]}' ]
	run portal-db check
	status_is 0
}

@test "marks: a class leader may not import (77), a teacher only their subjects, nothing is written" {
	journal_school
	marks_fixture
	before=$(db_digest)
	PORTAL_ACTOR=kl5a run --separate-stderr portal-journal import marks m.csv
	status_is 77
	contains "never edits" "$stderr"
	PORTAL_ACTOR=lit run --separate-stderr portal-journal import marks m.csv
	status_is 77
	same "$before" "$(db_digest)" "store digest"
	PORTAL_ACTOR=math run --separate-stderr portal-journal import marks m.csv
	status_is 0
	PORTAL_ACTOR=kl5a run portal-journal periods list
	status_is 0
}

@test "marks: a mark on two lines of one file is named on the later line; one unchanged before a change is not" {
	journal_school
	{ echo 'student_id,subject,date,value,weight,kind'
	  printf '%s\n' "S00001,Математика,2026-11-10,4,5,контрольная" "S00002,Математика,2026-11-10,5,1,дз" \
		"S00001,математика,10.11.2026,3,5,контрольная"; } > twice.csv
	before=$(db_digest)
	run --separate-stderr portal-journal import marks twice.csv
	status_is 65
	contains "twice.csv:4: student_id: repeats the mark of an earlier line of this file (the same student, subject, date, lesson_no and kind); expected one line per mark" "$stderr"
	lacks "twice.csv:2:" "$stderr"
	lacks "twice.csv:3:" "$stderr"
	same "$before" "$(db_digest)" "store digest"
	# the first line as stored already changes nothing, so the second may change the mark
	head -n 2 twice.csv > first.csv
	portal-journal import marks -q first.csv
	n=$(audit_count)
	run --separate-stderr portal-journal import marks twice.csv
	status_is 0
	contains "inserted 1, updated 1, unchanged 1" "$stderr"
	same $((n + 2)) "$(audit_count)" "audit records (the update, the import of the new mark)"
	same 3 "$(q "SELECT value FROM marks WHERE student_id = 'S00001'")" "the mark"
	same '{"op":"update","key":["S00001","1","2026-11-10","1","контрольная"],"value":["4","3"]}' \
		"$(q "SELECT detail FROM audit WHERE object LIKE 'mark:%'")" "the update's record"
	# with --rejects the repeat is set aside and the rest written
	printf '%s\n' "S00002,Математика,2026-11-12,4,1,дз" "S00002,Математика,2026-11-12,2,1,дз" >> first.csv
	run --separate-stderr portal-journal import marks --rejects r.csv first.csv
	status_is 0
	contains "applied 2, rejected 1" "$stderr"
	same "S00002,Математика,2026-11-12,2,1,дз,\"student_id: repeats the mark of an earlier line of this file (the same student, subject, date, lesson_no and kind); expected one line per mark\"" \
		"$(tail -n 1 r.csv)" "the rejected line"
	run portal-db check
	status_is 0
}

@test "marks: a tampered reference is found by portal-db check" {
	journal_school
	marks_fixture
	portal-journal import marks -q m.csv
	sqlite3 "$PORTAL_DB" "UPDATE marks SET student_id = 'S77777' WHERE kind = 'дз'"
	run --separate-stderr portal-db check
	status_is 65
	contains "S77777" "$stderr"
}

@test "marks: new rows around one stored, a subject first met mid-file, a bad line: the bulk path's try and its way back" {
	journal_school
	printf 'student_id,subject,date,value,weight,kind\nS00001,Математика,2026-11-10,4,5,контрольная\n' > first.csv
	portal-journal import marks -q first.csv
	# new first, then the stored mark as it is, then new again: all new but one
	{ echo 'student_id,subject,date,value,weight,kind'
	  printf '%s\n' "S00002,Математика,2026-11-10,5,1,дз" "S00001,Математика,2026-11-10,4,5,контрольная" \
		"S00002,Математика,2026-11-11,3,1,дз"; } > around.csv
	n=$(audit_count)
	run --separate-stderr portal-journal import marks around.csv
	status_is 0
	contains "inserted 2, updated 0, unchanged 1" "$stderr"
	same $((n + 1)) "$(audit_count)" "audit records (the import's)"
	same 3 "$(q "SELECT COUNT(*) FROM marks")" "marks"
	# a subject the store does not know yet, met after some new rows: created, and every row in
	{ echo 'student_id,subject,date,value,weight,kind'
	  printf '%s\n' "S00001,Математика,2026-11-12,5,1,дз" "S00001,Физика,2026-11-12,4,1,дз" \
		"S00002,Физика,2026-11-12,3,1,дз"; } > newsubj.csv
	n=$(audit_count)
	run --separate-stderr portal-journal import marks newsubj.csv
	status_is 0
	contains "inserted 3, updated 0, unchanged 0" "$stderr"
	same $((n + 2)) "$(audit_count)" "audit records (the subject, the import)"
	same 2 "$(q "SELECT COUNT(*) FROM marks m JOIN subjects s ON s.subject_id = m.subject_id WHERE s.name = 'Физика'")" \
		"marks of the new subject"
	# new rows and a bad line: nothing is written
	{ echo 'student_id,subject,date,value,weight,kind'
	  printf '%s\n' "S00001,Математика,2026-11-13,5,1,дз" "S00002,Математика,2026-11-13,7,1,дз"; } > bad.csv
	before=$(db_digest)
	run --separate-stderr portal-journal import marks bad.csv
	status_is 65
	contains "bad.csv:3: value:" "$stderr"
	same "$before" "$(db_digest)" "store digest"
	# the try keeps its rows in an unnamed file of $TMPDIR, gone with the command; where none can be
	# made there is no try, and the rows take the checked way
	mkdir spool
	{ echo 'student_id,subject,date,value,weight,kind'
	  printf '%s\n' "S00001,Математика,2026-11-16,5,1,дз" "S00002,Математика,2026-11-16,4,1,дз"; } > spooled.csv
	run --separate-stderr env TMPDIR="$BATS_TEST_TMPDIR/spool" portal-journal import marks spooled.csv
	status_is 0
	contains "inserted 2, updated 0, unchanged 0" "$stderr"
	same "" "$(ls spool)" "files left in TMPDIR"
	sed -i 's/2026-11-16/2026-11-17/' spooled.csv
	run --separate-stderr env TMPDIR="$BATS_TEST_TMPDIR/none" portal-journal import marks spooled.csv
	status_is 0
	contains "inserted 2, updated 0, unchanged 0" "$stderr"
	# what went in the tries carries the imports' records, and the chain holds
	same 0 "$(q "SELECT COUNT(*) FROM marks m WHERE NOT EXISTS (SELECT 1 FROM audit a WHERE a.seq = m.audit_seq AND a.object LIKE 'marks%')")" \
		"marks without their import's record"
	run portal-db check
	status_is 0
}
