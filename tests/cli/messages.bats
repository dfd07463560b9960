#!/usr/bin/env bats
# Messages that say how to fix the mistake: a workbook or UTF-16 text where CSV
# is expected, a file the user may not read, a missing column named as the file
# names it, a mistyped noun, a class, subject or period the store does not have,
# nothing on stdout before an error, --dry-run by names, -q for cron. Every
# person here is made up by portal-synth.

bats_require_minimum_version 1.5.0
load helpers

# jschool: the synthetic school of 40 students (classes 5А and 5Б) with its
# periods, timetable, lessons and marks.
jschool() {
	school 40 7 || return 1
	"$SYNTH" --students 40 --seed 7 --journal --out "$BATS_TEST_TMPDIR/j" || return 1
	portal-journal -q periods import "$BATS_TEST_TMPDIR/j/periods.csv" || return 1
	local k
	for k in schedule lessons marks; do
		portal-journal -q import "$k" "$BATS_TEST_TMPDIR/j/$k.csv" || return 1
	done
}

# each_line_names PROGRAM: every line of $stderr begins with "PROGRAM: " once, but for the
# errors of a file's rows (FILE:LINE: COLUMN: reason, SPEC §2).
each_line_names() {
	local line
	while IFS= read -r line; do
		[[ "$line" =~ ^[^\ ]+:[0-9]+:\  ]] && continue
		if [[ "$line" != "$1: "* || "$line" == "$1: $1:"* ]]; then
			printf 'a line that does not name %s once:\n%s\nstderr:\n%s\n' "$1" "$line" "$stderr"
			return 1
		fi
	done <<<"$stderr"
}

# ---- what the input is ----

@test "a workbook where CSV is expected: 65 naming it and how to save it as CSV, nothing written" {
	school 40 7
	before=$(db_digest)
	python3 - <<'EOF'
import zipfile
with zipfile.ZipFile("ученики.xlsx", "w") as z:
    z.writestr("[Content_Types].xml", "<Types/>")
    z.writestr("xl/workbook.xml", "<workbook/>")
with zipfile.ZipFile("ученики.ods", "w") as z:
    z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
    z.writestr("content.xml", "<office/>")
open("ученики.xls", "wb").write(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))
EOF
	for ext in xlsx xls; do
		run --separate-stderr portal-accounts import students "ученики.$ext"
		status_is 65
		same "" "$output" "stdout of a workbook's import"
		contains "ученики.$ext: this is a workbook (Excel .$ext), not CSV" "$stderr"
		contains "«CSV UTF-8 (разделитель — запятая)»" "$stderr"
		contains "«CSV (разделитель — точка с запятой)» and give --encoding cp1251" "$stderr"
		lacks "NUL byte" "$stderr"
	done
	run --separate-stderr portal-accounts import students ученики.ods
	status_is 65
	contains "ученики.ods: this is a workbook (OpenDocument .ods), not CSV: save it as «Текст CSV (.csv)»" "$stderr"
	# the same from standard input
	run --separate-stderr portal-journal import marks - <ученики.xlsx
	status_is 65
	contains "stdin: this is a workbook (Excel .xlsx)" "$stderr"
	same "$before" "$(db_digest)" "the store"
}

@test "UTF-16 text with its byte order mark (Excel's Unicode text) is read; without one it is named" {
	school 40 7
	# Excel's "Unicode text": UTF-16LE with a BOM, TAB between columns, CRLF
	python3 - "$BATS_TEST_TMPDIR/s/students.csv" <<'EOF'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
first = lines[1].split(",")
open("first", "w").write(first[0] + "," + first[1] + "\n")
lines[1] = lines[1].replace(first[1], "Новикова", 1)
text = "\n".join(lines).replace(",", "\t")
open("le.txt", "wb").write(b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le"))
open("be.csv", "wb").write(b"\xfe\xff" + text.encode("utf-16-be"))
open("nobom.csv", "wb").write(text.encode("utf-16-le"))
EOF
	IFS=, read -r id name <first
	run --separate-stderr portal-accounts import students --dry-run le.txt
	status_is 0
	has_line "update,student,$id,last_name,$name,Новикова"
	# the byte order mark decides, whatever --encoding says; standard input too
	run --separate-stderr portal-accounts import students --dry-run --encoding cp1251 - <be.csv
	status_is 0
	has_line "update,student,$id,last_name,$name,Новикова"
	run --separate-stderr portal-accounts import students nobom.csv
	status_is 65
	contains "nobom.csv:1: the text is UTF-16 without a byte order mark" "$stderr"
	contains "--encoding utf-16le" "$stderr"
	lacks "NUL byte" "$stderr"
	run --separate-stderr portal-accounts import students --encoding utf-16le nobom.csv
	status_is 0
	same "Новикова" "$(q "SELECT last_name FROM students WHERE student_id = '$id'")" "the name read from UTF-16"
}

@test "update tells guardians and staff by a header in cp1251 or UTF-16, from a file or a pipe" {
	school 40 7
	g=$(portal-accounts list guardians --class 5А | awk -F, 'NR == 2 { print $1 }')
	printf '%s\r\n' "ид родителя;телефон" "$g;8 912 000-00-01" | to_cp1251 >g.csv
	run --separate-stderr portal-accounts update --dry-run --encoding cp1251 g.csv
	status_is 0
	contains "update,guardian,$g,phone,"
	contains ",+79120000001"
	run --separate-stderr portal-accounts update --dry-run --encoding cp1251 - <g.csv
	status_is 0
	contains "update,guardian,$g,phone,"
	python3 -c 'import sys; open("t.txt", "wb").write(b"\xff\xfe" + "staff_id\tphone\r\nT003\t8 912 000-00-03\r\n".encode("utf-16-le"))'
	run --separate-stderr portal-accounts update --dry-run t.txt
	status_is 0
	contains "update,staff,T003,phone,"
}

@test "a file this OS user may not read: 66 naming it and the user; a directory: 66" {
	school 40 7
	run --separate-stderr portal-accounts import students "$BATS_TEST_TMPDIR/s"
	status_is 66
	contains "$BATS_TEST_TMPDIR/s: is a directory (expected a CSV file)" "$stderr"
	run --separate-stderr portal-journal import marks - <"$BATS_TEST_TMPDIR/s"
	status_is 66
	contains "stdin: is a directory" "$stderr"

	[ "$(id -u)" -eq 0 ] || skip "needs root to run a command as another OS user"
	command -v setpriv >/dev/null || skip "needs setpriv (util-linux)"
	shared=$(mktemp -d /tmp/portal-messages.XXXXXX)
	chmod 0777 "$shared"	# the store's journal files are made beside it
	cp "${PORTAL_BIN:-$ROOT/bin}/portal-accounts" "$shared/"
	local db=$PORTAL_DB	# on PostgreSQL the school's owner role, as the other tests connect
	if [ -z "$PG_TEST" ]; then
		db=$shared/p.db
		cp "$PORTAL_DB" "$db"
		chown nobody "$db"	# the owner of the store may act as anyone
		chmod 0600 "$db"
	fi
	cp "$BATS_TEST_TMPDIR/s/students.csv" "$shared/students.csv"
	chmod 0600 "$shared/students.csv"
	run --separate-stderr setpriv --reuid=nobody --regid=nogroup --clear-groups \
		env PORTAL_DB="$db" PORTAL_ACTOR=admin PORTAL_NOW="$PORTAL_NOW" \
		"$shared/portal-accounts" import students "$shared/students.csv"
	rm -rf "$shared"
	status_is 66
	contains "$shared/students.csv: cannot read: Permission denied (the OS user nobody may not read it)" "$stderr"
}

@test "a missing required column is named as the file names its columns" {
	school 40 7
	printf '%s\n' "ид;фамилия;имя" "S90001;Новикова;Ольга" >ru.csv
	run --separate-stderr portal-accounts import students ru.csv
	status_is 65
	contains "ru.csv:1: no column дата рождения, класс (expected the columns ид, фамилия, имя, дата рождения, класс)" "$stderr"
	printf '%s\n' "student_id,last_name,first_name" "S90001,Новикова,Ольга" >en.csv
	run --separate-stderr portal-accounts import students en.csv
	status_is 65
	contains "en.csv:1: no column birth_date, class (expected the columns student_id, last_name, first_name, birth_date, class)" "$stderr"
	# cp1251, as Excel on a Russian Windows saves it
	printf '%s\r\n' "ид ученика;предмет;дата;вес" | to_cp1251 >marks.csv
	run --separate-stderr portal-journal import marks --encoding cp1251 marks.csv
	status_is 65
	contains "marks.csv:1: no column отметка (expected the columns ид ученика, предмет, дата, отметка)" "$stderr"
}

# ---- the command line ----

@test "a mistyped noun is named as the noun, with the nearest one; a mistyped verb likewise" {
	new_store
	run --separate-stderr portal-accounts list studnets
	status_is 64
	same "" "$output" "stdout"
	contains 'portal-accounts: list: unknown "studnets" (expected students, guardians or staff); did you mean "students"?' "$stderr"
	lacks "unknown verb" "$stderr"
	run --separate-stderr portal-accounts list
	status_is 64
	contains "portal-accounts: list: which? (expected students, guardians or staff after it)" "$stderr"
	run --separate-stderr portal-journal import mraks x.csv
	status_is 64
	contains 'import: unknown "mraks"' "$stderr"
	contains 'did you mean "marks"?' "$stderr"
	run --separate-stderr portal-db calender import x.csv
	status_is 64
	contains 'portal-db: unknown verb "calender"; did you mean "calendar"?' "$stderr"
	run --separate-stderr portal-accounts frobnicate
	status_is 64
	contains 'portal-accounts: unknown verb "frobnicate"' "$stderr"
	lacks "did you mean" "$stderr"
}

@test "set: its errors name the program and do not offer --rejects, which set does not take" {
	school 40 7
	before=$(db_digest)
	run --separate-stderr portal-accounts set S00001 phone=abc
	status_is 65
	each_line_names portal-accounts
	contains 'portal-accounts: set S00001: phone: "abc" is not a phone number' "$stderr"
	lacks "--rejects" "$stderr"
	same "$before" "$(db_digest)" "the store"
	# an import that takes --rejects still says so
	printf '%s\n' "student_id,last_name,first_name,birth_date,class" "S90001,Новикова,Ольга,31.02.2015,5А" >bad.csv
	run --separate-stderr portal-accounts import students bad.csv
	status_is 65
	contains "give --rejects FILE to load the good rows" "$stderr"
}

@test "every diagnostic names its program once: summaries, notes and refusals" {
	jschool
	printf '%s\n' "student_id,last_name,first_name,birth_date,class" "S90001,Новикова,Ольга,31.02.2015,5А" \
		"S90002,Новиков,Олег,01.03.2015,5А" >bad.csv
	run --separate-stderr portal-accounts import students --rejects rej.csv bad.csv
	status_is 0
	contains "portal-accounts: applied 1, rejected 1" "$stderr"
	each_line_names portal-accounts
	run --separate-stderr portal-report student --student S00001 --period "2 четверть"
	status_is 0
	contains "portal-report: attendance: lessons" "$stderr"
	each_line_names portal-report
	# a mail program that cannot be started is said once, by the program that wanted it
	portal-db config mail.sendmail "/nonexistent/sendmail -t"
	portal-consent -q record --guardian P00001 --student S00001 --decision given --signed-on 01.09.2026
	portal-accounts -q set P00001 email=p1@example.org
	run --separate-stderr portal-extract --student S00001 --period "2 четверть" --channel email --send -o out/
	status_is 69
	contains 'mail.sendmail "/nonexistent/sendmail -t" cannot be run: No such file or directory' "$stderr"
	each_line_names portal-extract
}

# ---- what the store has ----

@test "a class, subject or period the store does not have: 65 naming those it has, nothing on stdout" {
	jschool
	for cmd in "portal-accounts list students --class 7Б" "portal-accounts list guardians --class 7Б" \
		"portal-accounts groups list --class 7Б" "portal-accounts issue --class 7Б" \
		"portal-consent status --class 7Б" "portal-consent missing --class 7Б" "portal-ack pending --class 7Б" \
		"portal-journal teachers --class 7Б" "portal-report coverage --class 7Б"; do
		run --separate-stderr $cmd
		status_is 65
		same "" "$output" "stdout of $cmd"
		contains '--class "7Б": no such class in this store (it has 5А, 5Б)' "$stderr"
	done
	run --separate-stderr portal-journal show --class 7Б --period "2 четверть"
	status_is 65
	contains '--class "7Б": no such class in this store (it has 5А, 5Б)' "$stderr"
	run --separate-stderr portal-extract --class 7Б --period "2 четверть" --dry-run
	status_is 65
	contains '--class "7Б": no such class' "$stderr"
	run --separate-stderr portal-journal show --class 5А --subject алгебра --period "2 четверть"
	status_is 65
	same "" "$output" "stdout"
	contains '--subject "алгебра": no such subject in this store (it has ' "$stderr"
	contains "Математика" "$stderr"
	# a subject typed in another case is the same subject
	run --separate-stderr portal-journal show --class 5А --subject математика --period "2 четверть"
	status_is 0
	run --separate-stderr portal-report progress --class 5А --period "9 четверть"
	status_is 65
	contains '--period "9 четверть": no such period in this store (it has 1 четверть' "$stderr"
	contains "2 четверть" "$stderr"
}

@test "a store without periods says how to set them" {
	school 40 7
	run --separate-stderr portal-report progress --class 5А --period "2 четверть"
	status_is 65
	contains "it has none yet: portal-journal periods import sets them" "$stderr"
}

# ---- stdout ----

@test "nothing reaches stdout before an error: a refusal, an unknown person, a bad file" {
	jschool
	for cmd in "portal-accounts list students --class 5Б" "portal-accounts list guardians --class 5Б" \
		"portal-accounts groups list --class 5Б" "portal-consent status --class 5Б" \
		"portal-consent missing --class 5Б" "portal-ack pending --class 5Б" "portal-ack status --class 5Б"; do
		run --separate-stderr env PORTAL_ACTOR=t003 $cmd
		status_is 77
		same "" "$output" "stdout of a refused $cmd"
	done
	run --separate-stderr portal-consent status --student S99999
	status_is 65
	same "" "$output" "stdout of an unknown student"
	run --separate-stderr portal-consent history --guardian P99999
	status_is 65
	same "" "$output" "stdout of an unknown guardian"
	printf '%s\n' "student_id,last_name" "S90001,Новикова" >short.csv
	run --separate-stderr portal-accounts import students --dry-run short.csv
	status_is 65
	same "" "$output" "stdout of a dry run that fails"
	# a list that is empty keeps its header: that is the answer, not an error
	run --separate-stderr env PORTAL_ACTOR=t003 portal-accounts list students --class 5А --locked
	status_is 0
	same "student_id,last_name,first_name,middle_name,birth_date,class,email,phone,status,left_on,login" "$output" "an empty list"
}

@test "--dry-run names subjects and groups, not the store's ids" {
	jschool
	printf '%s\n' "student_id,subject,date,value,kind" "S00001,Математика,2026-11-10,5,ответ" >m.csv
	run --separate-stderr portal-journal import marks --dry-run m.csv
	status_is 0
	has_line "insert,mark,S00001:Математика:2026-11-10:1:ответ,value,,5"
	lacks "subject_id"
	line=$(grep -m1 '^5А,1 группа,Английский язык,' "$BATS_TEST_TMPDIR/j/lessons.csv")
	IFS=, read -r cls grp subj date no teacher _ <<<"$line"
	printf '%s\n' "class,group,subject,date,lesson_no,teacher_id,topic" \
		"$cls,$grp,$subj,$date,$no,$teacher,Новая тема" "5А,,Музыка,$date,9,,Тема" >l.csv
	run --separate-stderr portal-journal import lessons --dry-run l.csv
	status_is 0
	has_line "update,lesson,5А:1 группа:$date:$no,topic,$(cut -d, -f7 <<<"$line"),Новая тема"
	has_line "insert,lesson,5А::$date:9,subject,,Музыка"
	lacks "group_id"
	lacks "subject_id"
}

@test "-q silences everything but errors: missing --fail-if-any -q is quiet for cron" {
	school 40 7
	run --separate-stderr portal-consent missing --class 5А --fail-if-any -q
	status_is 1
	same "" "$output" "stdout"
	same "" "$stderr" "stderr"
	run --separate-stderr portal-ack pending --fail-if-any -q
	status_is 0
	same "" "$output" "stdout"
	# without -q the rows are the answer
	run --separate-stderr portal-consent missing --class 5А --fail-if-any
	status_is 1
	contains "P00001,S00001,5А"
	# an error still speaks
	run --separate-stderr portal-consent missing --class 7Б --fail-if-any -q
	status_is 65
	contains "no such class" "$stderr"
}

@test "issue with nobody to issue for writes nothing: no slips with only a cut line" {
	school 40 7
	portal-accounts -q issue --class 5А -o first.csv
	for fmt in pdf txt; do
		run --separate-stderr portal-accounts issue --class 5А --format "$fmt" -o "again.$fmt"
		status_is 0
		[ ! -e "again.$fmt" ] || { echo "again.$fmt was written"; return 1; }
		contains "nobody to issue credentials for: nothing written" "$stderr"
		run --separate-stderr portal-accounts issue --class 5А --format "$fmt"
		status_is 0
		same "" "$output" "stdout of $fmt slips for nobody"
	done
}
