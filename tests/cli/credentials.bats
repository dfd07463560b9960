#!/usr/bin/env bats
# portal-accounts: credentials. issue, verify, passwd, lock/unlock, breach,
# breaches (SPEC §2, §3 and the portal-accounts part of §5).
#
# Argon2id costs about 45 ms a password, so the tests issue for one class of a
# small synthetic school (or for a handful of hand-written people), never for
# a whole school. All people here are made up.

bats_require_minimum_version 1.5.0
load helpers

DEMO_CALENDAR="$BATS_TEST_DIRNAME/../../share/examples/производственный-календарь-2026-2027.csv"

teardown() {
	# a reader connection started by hold_open (only that pid)
	if [ -n "${HOLD_PID-}" ]; then
		kill "$HOLD_PID" 2>/dev/null || true
		wait "$HOLD_PID" 2>/dev/null || true
	fi
}

# The synthetic school of 50 students (seed 7) has 5А and 5Б; one student of
# CLASS has left. kids_school imports it, finds that class and links the first
# guardian of its first active student also to its second active student, so
# that one guardian has two children in CLASS (SHARED_GUARDIAN).
kids_school() {
	school 50 7 || return 1
	CLASS=$(awk -F, '$9 == "left" { print $6; exit }' "$BATS_TEST_TMPDIR/s/students.csv")
	LEFT_ID=$(awk -F, '$9 == "left" { print $1; exit }' "$BATS_TEST_TMPDIR/s/students.csv")
	[ -n "$CLASS" ] && [ -n "$LEFT_ID" ] || { echo "kids_school: no student who left" >&2; return 1; }
	local first second
	first=$(portal-accounts list students --class "$CLASS" | col student_id | sed -n 1p)
	second=$(portal-accounts list students --class "$CLASS" | col student_id | sed -n 2p)
	SHARED_GUARDIAN=$(awk -F, -v s="$first" '$2 == s { print $1; exit }' "$BATS_TEST_TMPDIR/s/guardians.csv")
	[ -n "$SHARED_GUARDIAN" ] && [ -n "$second" ] || { echo "kids_school: no guardian" >&2; return 1; }
	{
		head -n 1 "$BATS_TEST_TMPDIR/s/guardians.csv"
		awk -F, -v g="$SHARED_GUARDIAN" -v s="$first" -v t="$second" \
			'BEGIN { OFS = "," } $1 == g && $2 == s { $2 = t; print; exit }' "$BATS_TEST_TMPDIR/s/guardians.csv"
	} >"$BATS_TEST_TMPDIR/link.csv"
	portal-accounts -q import guardians "$BATS_TEST_TMPDIR/link.csv" || return 1
	SECOND_CHILD=$second
}

# names_class: a store with the hand-written class 6А (transliteration cases,
# two students of the same name) and three guardians, one of them linked to
# both namesakes.
names_class() {
	new_store || return 1
	cat >"$BATS_TEST_TMPDIR/students.csv" <<-'EOF'
		student_id,last_name,first_name,middle_name,birth_date,class,email,phone,status,left_on
		S1,Щеглова,Юлия,Андреевна,2014-03-01,6А,,,active,
		S2,Разъездной,Ян,Петрович,2014-04-02,6А,,,active,
		S3,Клеёнкина,Оксана,Ивановна,2014-05-03,6А,,,active,
		S4,Ильин,Игорь,Олегович,2014-06-04,6А,,,active,
		S5,Петров,Пётр,Сергеевич,2014-07-05,6А,,,active,
		S6,Петров,Пётр,Игоревич,2014-08-06,6А,,,active,
	EOF
	cat >"$BATS_TEST_TMPDIR/guardians.csv" <<-'EOF'
		guardian_id,student_id,last_name,first_name,middle_name,relation
		G1,S1,Щеглова,Юлия,Викторовна,mother
		G2,S5,Петров,Пётр,Иванович,father
		G2,S6,Петров,Пётр,Иванович,father
		G3,S3,Клеёнкина,Анна,Петровна,mother
	EOF
	portal-accounts -q import students "$BATS_TEST_TMPDIR/students.csv" || return 1
	portal-accounts -q import guardians "$BATS_TEST_TMPDIR/guardians.csv"
}

# kl5a_leader CLASS: the class leader kl5a (T901) of CLASS, and the teacher
# tch (T902).
kl5a_leader() {
	printf '%s\n' 'staff_id,last_name,first_name,middle_name,role,login,classes,subjects' \
		"T901,Соколова,Анна,Петровна,class_leader,kl5a,$1," \
		'T902,Орлов,Иван,Ильич,teacher,tch,,Математика' >"$BATS_TEST_TMPDIR/leaders.csv"
	portal-accounts -q import staff "$BATS_TEST_TMPDIR/leaders.csv"
}

# hold_open: a second connection keeps the store open, so the -wal file
# written by the next command stays on disk to be searched.
hold_open() {
	"$PY" -c '
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1])
c.execute("SELECT count(*) FROM config").fetchall()
time.sleep(60)
' "$PORTAL_DB" >/dev/null 2>&1 3>&- &
	HOLD_PID=$!
	local i
	for i in $(seq 50); do
		[ -e "$PORTAL_DB-wal" ] && return 0
		sleep 0.1
	done
	echo "hold_open: no -wal file" >&2
	return 1
}

# no_password_in WHAT TEXT-FILE PASSWORDS-FILE: none of the passwords occurs in the file.
no_password_in() {
	local what=$1 file=$2 p
	while IFS= read -r p; do
		[ -n "$p" ] || continue
		if grep -aqF -- "$p" "$file"; then
			echo "password $p found in $what ($file)"
			return 1
		fi
	done <"$3"
}

# ---- issue: who gets an account ----

@test "issue --class gives each active student and each guardian of the class exactly one account" {
	kids_school
	portal-db config portal.url https://portal.school.example
	run --separate-stderr portal-accounts issue --class "$CLASS"
	status_is 0
	printf '%s\n' "$output" >issued.csv
	same "kind,person_id,full_name,class,login,password,portal_url" "$(head -n 1 issued.csv)" "header"

	students=$(portal-accounts list students --class "$CLASS" | col student_id | sort)
	guardians=$(portal-accounts list guardians --class "$CLASS" | col guardian_id | sort -u)
	[ "$(wc -l <<<"$students")" -ge 20 ]
	same "$students" "$(col person_id kind=student <issued.csv | sort)" "students issued"
	same "$guardians" "$(col person_id kind=guardian <issued.csv | sort)" "guardians issued (each once)"
	n=$(($(wc -l <<<"$students") + $(wc -l <<<"$guardians")))
	same "$n" "$(col kind <issued.csv | wc -l)" "rows"
	same "" "$(col kind <issued.csv | grep -vxE 'student|guardian')" "other kinds"
	same "" "$(col class <issued.csv | grep -vxF "$CLASS")" "other classes"
	same "" "$(col portal_url <issued.csv | grep -vxF https://portal.school.example)" "portal_url"
	same "" "$(col login <issued.csv | sort | uniq -d)" "logins used twice"
	contains "issued $n" "$stderr"
	same "$n" "$(q 'SELECT count(*) FROM accounts')" "accounts in the store"

	# every row of the lists now has a login, the one issued
	same "" "$(portal-accounts list students --class "$CLASS" | col student_id login= )" "students without login"
	same "" "$(portal-accounts list guardians --class "$CLASS" | col guardian_id login= )" "guardians without login"
	same "$(col person_id,login kind=student <issued.csv | sort)" \
		"$(portal-accounts list students --class "$CLASS" | col student_id,login | sort)" "student logins"
	same "$(col person_id,login kind=guardian <issued.csv | sort)" \
		"$(portal-accounts list guardians --class "$CLASS" | col guardian_id,login | sort -u)" "guardian logins"

	# the guardian of two children of the class: two rows, one login
	run portal-accounts list guardians --class "$CLASS"
	same 2 "$(col student_id guardian_id="$SHARED_GUARDIAN" <<<"$output" | wc -l)" "links of $SHARED_GUARDIAN"
	same 1 "$(col login guardian_id="$SHARED_GUARDIAN" <<<"$output" | sort -u | grep -c .)" "logins of $SHARED_GUARDIAN"
	same 1 "$(q "SELECT count(*) FROM accounts WHERE kind='guardian' AND person_id='$SHARED_GUARDIAN'")"

	# the student who left gets nothing
	same "" "$(col person_id person_id="$LEFT_ID" <issued.csv)" "the student who left in the output"
	same "" "$(portal-accounts list students --class "$CLASS" --status all | col login student_id="$LEFT_ID")" \
		"login of the student who left"
}

@test "issued passwords: at least 10 characters, no look-alikes 0 O 1 l I, all different" {
	kids_school
	portal-accounts issue --class "$CLASS" >issued.csv 2>/dev/null
	col password <issued.csv >pw.txt
	[ "$(wc -l <pw.txt)" -ge 40 ]
	while IFS= read -r p; do
		[ "${#p}" -ge 10 ] || { echo "short password: $p"; false; }
		[[ "$p" != *[0O1lI]* ]] || { echo "look-alike in: $p"; false; }
		[[ "$p" =~ ^[[:graph:]]+$ ]] || { echo "odd password: $p"; false; }
	done <pw.txt
	same "" "$(sort pw.txt | uniq -d)" "passwords used twice"
	same "" "$(q "SELECT login FROM accounts WHERE pw_hash NOT LIKE '\$argon2id\$%'")" "accounts without an Argon2id hash"
	same 0 "$(q "SELECT count(*) FROM accounts WHERE must_change <> 1")" "accounts without must_change"
}

@test "a second issue for the class issues none" {
	kids_school
	portal-accounts issue --class "$CLASS" >/dev/null 2>&1
	before=$(table_digest accounts)
	run --separate-stderr portal-accounts issue --class "$CLASS"
	status_is 0
	same "kind,person_id,full_name,class,login,password,portal_url" "$output" "output of the second run"
	contains "issued 0" "$stderr"
	same "$before" "$(table_digest accounts)" "accounts table"
}

# ---- logins ----

@test "logins: ICAO 9303 transliteration, lowercase lastname.firstname, numeric suffix when taken" {
	names_class
	run --separate-stderr portal-accounts issue --class 6А
	status_is 0
	printf '%s\n' "$output" >issued.csv
	same shcheglova.iuliia "$(col login person_id=S1 kind=student <issued.csv)" "Щеглова Юлия"
	same razieezdnoi.ian "$(col login person_id=S2 <issued.csv)" "Разъездной Ян"
	same kleenkina.oksana "$(col login person_id=S3 <issued.csv)" "Клеёнкина Оксана"
	same ilin.igor "$(col login person_id=S4 <issued.csv)" "Ильин Игорь"
	same "petrov.petr
petrov.petr2" "$( (col login person_id=S5 <issued.csv; col login person_id=S6 <issued.csv) | sort)" \
		"the two Петров Пётр"
	# the father of both gets the next free one
	same petrov.petr3 "$(col login person_id=G2 <issued.csv)" "the father Петров Пётр"
	# a guardian whose name is a student's: the next free suffix
	same shcheglova.iuliia2 "$(col login person_id=G1 kind=guardian <issued.csv)" "the mother Щеглова Юлия"
	# and the same login in the list
	same shcheglova.iuliia "$(portal-accounts list students --class 6А | col login student_id=S1)"
	same razieezdnoi.ian "$(portal-accounts list students --class 6А | col login student_id=S2)"
}

@test "logins: two students of the same name get x.y and x.y2" {
	names_class
	portal-accounts issue --class 6А --who students >issued.csv 2>/dev/null
	same "petrov.petr
petrov.petr2" "$( (col login person_id=S5 <issued.csv; col login person_id=S6 <issued.csv) | sort)" "logins of S5 and S6"
}

@test "logins: a login a staff member has is taken" {
	names_class
	printf '%s\n' 'staff_id,last_name,first_name,role,login' 'T1,Ильин,Игорь,teacher,ilin.igor' >staff.csv
	portal-accounts -q import staff staff.csv
	portal-accounts issue --class 6А --who students >issued.csv 2>/dev/null
	same ilin.igor2 "$(col login person_id=S4 <issued.csv)" "student Ильин Игорь"
}

# ---- passwords never stored ----

@test "issued passwords are nowhere but in the output: not in the store, WAL, dump, audit or stderr" {
	sqlite_only "it reads the SQLite file and its write-ahead log"
	names_class
	hold_open
	portal-accounts issue --class 6А -o slips.csv 2>issue.err
	same 600 "$(file_mode slips.csv)" "mode of the -o file"
	col password <slips.csv >pw.txt
	same 9 "$(grep -c . pw.txt)" "passwords issued"
	# the same search finds them where they belong
	while IFS= read -r p; do grep -qF -- "$p" slips.csv; done <pw.txt

	[ -s "$PORTAL_DB-wal" ]
	grep -aqF '$argon2id$' "$PORTAL_DB-wal" # the WAL holds the new rows
	no_password_in "the WAL" "$PORTAL_DB-wal" pw.txt
	no_password_in "the stderr of issue" issue.err pw.txt
	kill "$HOLD_PID"
	wait "$HOLD_PID" 2>/dev/null || true
	HOLD_PID=
	no_password_in "the store file" "$PORTAL_DB" pw.txt
	[ ! -e "$PORTAL_DB-wal" ] || no_password_in "the WAL" "$PORTAL_DB-wal" pw.txt
	sqlite3 "$PORTAL_DB" .dump >dump.sql
	grep -qF '$argon2id$' dump.sql
	no_password_in "the dump" dump.sql pw.txt
	portal-db audit >audit.csv
	grep -q ',issue,' audit.csv
	no_password_in "the audit log" audit.csv pw.txt
	checkpoint
	no_password_in "the store file after a checkpoint" "$PORTAL_DB" pw.txt
}

@test "a password set with passwd is not stored either" {
	sqlite_only "it reads the SQLite file and its dump"
	names_class
	portal-accounts issue --class 6А --who students >/dev/null 2>&1
	echo 'Zebra-Lantern-47' >pw.txt
	run --separate-stderr portal-accounts passwd ilin.igor <pw.txt
	status_is 0
	no_password_in "the stderr of passwd" <(printf '%s\n%s\n' "$output" "$stderr") pw.txt
	checkpoint
	no_password_in "the store file" "$PORTAL_DB" pw.txt
	sqlite3 "$PORTAL_DB" .dump >dump.sql
	no_password_in "the dump" dump.sql pw.txt
	portal-db audit >audit.csv
	no_password_in "the audit log" audit.csv pw.txt
}

@test "issue -o makes a 0600 file even with umask 000" {
	names_class
	run --separate-stderr bash -c 'umask 000; portal-accounts issue --class 6А --who guardians -o slips.csv'
	status_is 0
	same 600 "$(file_mode slips.csv)" "mode of the -o file"
	same 3 "$(col login <slips.csv | wc -l)" "guardians in the file"
}

@test "issue -o onto an existing file exits 73, leaves it and issues nothing" {
	names_class
	printf 'keep me\n' >slips.csv
	chmod 644 slips.csv
	run --separate-stderr portal-accounts issue --class 6А -o slips.csv
	status_is 73
	same "keep me" "$(cat slips.csv)" "the existing file"
	same 644 "$(file_mode slips.csv)" "its mode"
	same 0 "$(q 'SELECT count(*) FROM accounts')" "accounts after the refused issue"

	# with --reissue the old passwords keep working
	portal-accounts issue --class 6А --who students >issued.csv 2>/dev/null
	pw=$(col password person_id=S4 <issued.csv)
	run --separate-stderr portal-accounts issue --reissue --class 6А -o slips.csv
	status_is 73
	same "keep me" "$(cat slips.csv)" "the existing file"
	run portal-accounts verify ilin.igor <<<"$pw"
	status_is 0
}

# ---- verify, lock, passwd, reissue ----

@test "verify: right password 0, wrong 1, unknown login 1; lock refuses it, unlock restores" {
	names_class
	portal-accounts issue --class 6А --who students >issued.csv 2>/dev/null
	pw=$(col password person_id=S4 <issued.csv)
	other=$(col password person_id=S3 <issued.csv)
	[ -n "$pw" ]

	run portal-accounts verify ilin.igor <<<"$pw"
	status_is 0
	run portal-accounts verify ilin.igor < <(printf '%s' "$pw") # no newline at the end
	status_is 0
	run portal-accounts verify ilin.igor <<<"${pw}x"
	status_is 1
	run portal-accounts verify ilin.igor <<<"${pw%?}"
	status_is 1
	run portal-accounts verify ilin.igor <<<"$other"
	status_is 1
	run portal-accounts verify ilin.igor </dev/null
	status_is 1
	run portal-accounts verify no.such.login <<<"$pw"
	status_is 1

	run --separate-stderr portal-accounts lock ilin.igor --reason x
	status_is 0
	run portal-accounts verify ilin.igor <<<"$pw"
	status_is 1
	run portal-accounts verify kleenkina.oksana <<<"$other" # the others stay open
	status_is 0

	run --separate-stderr portal-accounts unlock ilin.igor
	status_is 0
	run portal-accounts verify ilin.igor <<<"$pw"
	status_is 0
}

@test "passwd: too short 65, the login 65, a good one replaces the old and clears must_change" {
	names_class
	portal-accounts issue --class 6А --who students >issued.csv 2>/dev/null
	old=$(col password person_id=S4 <issued.csv)

	run --separate-stderr portal-accounts passwd ilin.igor <<<"Ab3de"
	status_is 65
	run portal-accounts verify ilin.igor <<<"$old"
	status_is 0
	run --separate-stderr portal-accounts passwd ilin.igor <<<"ilin.igor"
	status_is 65
	run portal-accounts verify ilin.igor <<<"ilin.igor"
	status_is 1
	run portal-accounts verify ilin.igor <<<"$old"
	status_is 0
	same 1 "$(q "SELECT must_change FROM accounts WHERE login='ilin.igor'")" "must_change before"

	run --separate-stderr portal-accounts passwd ilin.igor <<<"Zebra-Lantern-47"
	status_is 0
	run portal-accounts verify ilin.igor <<<"Zebra-Lantern-47"
	status_is 0
	run portal-accounts verify ilin.igor <<<"$old"
	status_is 1
	same 0 "$(q "SELECT must_change FROM accounts WHERE login='ilin.igor'")" "must_change after"
}

@test "issue --reissue --who students: old student passwords stop working, new ones work, guardians keep theirs" {
	names_class
	portal-accounts issue --class 6А >old.csv 2>/dev/null
	run --separate-stderr portal-accounts issue --reissue --class 6А --who students
	status_is 0
	printf '%s\n' "$output" >new.csv
	same 6 "$(col login <new.csv | wc -l)" "students reissued"
	same "" "$(col kind <new.csv | grep -vx student)" "other kinds reissued"
	same "$(col login kind=student <old.csv | sort)" "$(col login <new.csv | sort)" "the logins stay"
	col login,password kind=student <old.csv | sort >old.txt
	col login,password <new.csv | sort >new.txt
	same "" "$(comm -12 old.txt new.txt)" "passwords that stayed the same"
	while IFS=, read -r l o; do
		run portal-accounts verify "$l" <<<"$o"
		status_is 1
	done <old.txt
	while IFS=, read -r l n; do
		run portal-accounts verify "$l" <<<"$n"
		status_is 0
	done <new.txt
	while IFS=, read -r l o; do
		run portal-accounts verify "$l" <<<"$o"
		status_is 0
	done < <(col login,password kind=guardian <old.csv)
}

# ---- slips ----

@test "--format txt slips: Russian text, the portal address and the support contact" {
	names_class
	portal-db config portal.url https://portal.school.example
	portal-db config support.contact 'helpdesk@school.example, +7 495 000-00-00'
	run --separate-stderr portal-accounts issue --class 6А --format txt
	status_is 0
	contains "Логин"
	contains "Временный пароль"
	contains "Смените пароль"
	contains "https://portal.school.example"
	contains "helpdesk@school.example, +7 495 000-00-00"
	contains "Щеглова Юлия"
	lacks "kind,person_id"
	for l in shcheglova.iuliia razieezdnoi.ian kleenkina.oksana ilin.igor petrov.petr petrov.petr2 petrov.petr3 shcheglova.iuliia2 kleenkina.anna; do
		contains "$l"
	done
	same 9 "$(grep -c 'Временный пароль' <<<"$output")" "slips"
	same 9 "$(grep -c 'https://portal.school.example' <<<"$output")" "portal address on every slip"
	# the password on Ильин's slip is his
	pw=$(grep -A1 -E 'Логин:[[:space:]]+ilin\.igor$' <<<"$output" | sed -n 's/.*Временный пароль:[[:space:]]*//p')
	[ -n "$pw" ]
	run portal-accounts verify ilin.igor <<<"$pw"
	status_is 0
}

@test "--format pdf slips: an A4 document, every slip whole on one page, each password verifies; not to a terminal" {
	names_class
	portal-db config portal.url https://portal.school.example
	portal-db config support.contact 'helpdesk@school.example, +7 495 000-00-00'
	run --separate-stderr env SOURCE_DATE_EPOCH=86400 portal-accounts issue --class 6А --format pdf -o slips.pdf
	status_is 0
	pdfinfo -isodates slips.pdf >info.txt
	grep -q '^Page size: *595.276 x 841.89 pts (A4)' info.txt
	grep -q '^Title: *Школьный портал: логины и временные пароли$' info.txt
	grep -q '^CreationDate: *1970-01-02T00:00:00' info.txt
	pages=$(sed -n 's/^Pages: *//p' info.txt)
	same 2 "$pages" "pages (9 slips, 5 to a page)"
	# a slip never crosses a page: every page has whole slips (a «Логин» per «Временный пароль» and rule 3)
	for p in $(seq 1 "$pages"); do
		pdftotext -layout -f "$p" -l "$p" slips.pdf "p$p.txt"
		same "$(grep -c 'Временный пароль:' "p$p.txt")" "$(grep -c 'недействительно' "p$p.txt")" "page $p: whole slips"
		same "$(grep -c 'Временный пароль:' "p$p.txt")" "$(grep -c 'Логин:' "p$p.txt")" "page $p: logins"
	done
	pdftotext -layout slips.pdf all.txt
	same 9 "$(grep -c 'Временный пароль:' all.txt)" "slips"
	same 9 "$(grep -c 'https://portal.school.example' all.txt)" "portal address on every slip"
	same 9 "$(grep -c 'helpdesk@school.example, +7 495 000-00-00' all.txt)" "support on every slip"
	grep -q 'Щеглова Юлия' all.txt
	# each slip's password is its login's
	n=0
	while read -r login pw; do
		run portal-accounts verify "$login" <<<"$pw"
		status_is 0
		n=$((n + 1))
	done < <(awk '/Логин:/ { l = $2 } /Временный пароль:/ { print l, $3 }' all.txt)
	same 9 "$n" "logins with their passwords"
	# the store keeps no plain password, the PDF is the only place it was written
	pw=$(awk '/Временный пароль:/ { print $3; exit }' all.txt)
	[ -n "$pw" ]
	! grep -qa -- "$pw" "$PORTAL_DB"
	# a PDF is not for a terminal: 64 before anything is issued (script gives the command a terminal)
	if command -v script >/dev/null; then
		run script -qec "portal-accounts issue --class 6А --reissue --format pdf" /dev/null
		status_is 64
		contains "not a terminal"
		run portal-accounts verify ilin.igor <<<"$(awk '/ilin.igor/ { getline; print $3; exit }' all.txt)"
		status_is 0
	fi
}

# ---- breach ----

@test "breach: locks the login, deadline next business day, undoes the change after the report" {
	school 50 7
	kl5a_leader 5А
	same Europe/Moscow "$(portal-db config school.timezone)" "time zone"
	S1=$(portal-accounts list students --class 5А | col student_id | sed -n 1p)
	S2=$(portal-accounts list students --class 5А | col student_id | sed -n 2p)
	PORTAL_NOW=2026-11-27T06:00:00Z portal-accounts -q set "$S2" phone=+79120000002
	# 11:00 Moscow, before the report: stands
	PORTAL_NOW=2026-11-27T08:00:00Z PORTAL_ACTOR=kl5a portal-accounts -q set "$S1" phone=+79121111111
	# 13:00 Moscow, after the report at 12:00: undone
	PORTAL_NOW=2026-11-27T10:00:00Z PORTAL_ACTOR=kl5a portal-accounts -q set "$S2" phone=+79122222222
	same +79122222222 "$(portal-accounts list students --class 5А | col phone student_id="$S2")"
	late_seq=$(portal-db audit --actor kl5a | col seq object="student:$S2")
	[ -n "$late_seq" ]

	export PORTAL_NOW=2026-11-27T14:00:00Z
	run --separate-stderr portal-accounts breach kl5a --discovered-at "2026-11-27 10:00" --reported-at "2026-11-27 12:00"
	status_is 0
	same "$late_seq" "$(col seq <<<"$output")" "the invalidated operations printed"

	run --separate-stderr portal-accounts breaches
	status_is 0
	same "2026-11-30,0" "$(col deadline,late login=kl5a <<<"$output")" "deadline, late"
	same "2026-11-27T07:00:00Z,2026-11-27T09:00:00Z" "$(col discovered_at,reported_at login=kl5a <<<"$output")" \
		"times in UTC"
	same 1 "$(col invalidated login=kl5a <<<"$output")" "invalidated"

	run portal-accounts list students --class 5А
	same +79121111111 "$(col phone student_id="$S1" <<<"$output")" "the change before the report"
	same +79120000002 "$(col phone student_id="$S2" <<<"$output")" "the change after the report"

	run --separate-stderr portal-db audit --invalid
	status_is 0
	same "$late_seq" "$(col seq <<<"$output")" "invalid audit records"
	[ -n "$(col invalid_reason <<<"$output")" ]
	same 0 "$(col valid <<<"$output")"

	run --separate-stderr env PORTAL_ACTOR=kl5a portal-accounts list students
	status_is 77
	run --separate-stderr env PORTAL_ACTOR=kl5a portal-accounts -q set "$S1" phone=+79123333333
	status_is 77
	same +79121111111 "$(portal-accounts list students --class 5А | col phone student_id="$S1")"

	run --separate-stderr portal-db check
	status_is 0
}

@test "breach: an operation exactly at the reported time is invalid" {
	school 50 7
	kl5a_leader 5А
	S1=$(portal-accounts list students --class 5А | col student_id | sed -n 1p)
	S2=$(portal-accounts list students --class 5А | col student_id | sed -n 2p)
	PORTAL_NOW=2026-11-27T08:59:59Z PORTAL_ACTOR=kl5a portal-accounts -q set "$S1" phone=+79121111111
	PORTAL_NOW=2026-11-27T09:00:00Z PORTAL_ACTOR=kl5a portal-accounts -q set "$S2" phone=+79122222222
	PORTAL_NOW=2026-11-27T14:00:00Z run --separate-stderr portal-accounts breach kl5a \
		--discovered-at "2026-11-27 10:00" --reported-at "2026-11-27 12:00"
	status_is 0
	run portal-accounts list students --class 5А
	same +79121111111 "$(col phone student_id="$S1" <<<"$output")" "a second before the report"
	same "" "$(col phone student_id="$S2" <<<"$output")" "at the report"
}

@test "breach: reported after the deadline is late" {
	school 50 7
	kl5a_leader 5А
	export PORTAL_NOW=2026-12-01T09:00:00Z
	run --separate-stderr portal-accounts breach kl5a --discovered-at "2026-11-27 10:00" --reported-at "2026-12-01 10:00"
	status_is 0
	run --separate-stderr portal-accounts breaches
	status_is 0
	same "2026-11-30,1" "$(col deadline,late login=kl5a <<<"$output")" "deadline, late"
	run portal-accounts verify kl5a <<<"anything-at-all"
	status_is 1
}

@test "breach: the deadline skips the New Year holidays of the production calendar" {
	school 50 7
	kl5a_leader 5А
	run --separate-stderr portal-db calendar import "$DEMO_CALENDAR"
	status_is 0
	run --separate-stderr portal-db calendar list --from 2026-12-30 --to 2027-01-12
	status_is 0
	same 1 "$(col working date=2026-12-30 <<<"$output")" "2026-12-30 is a working day"
	same 0 "$(col working date=2026-12-31 <<<"$output")" "2026-12-31 is a day off"
	first=$(col date working=1 <<<"$output" | awk '$0 > "2026-12-30"' | sed -n 1p)
	same 2027-01-11 "$first" "first working day after 2026-12-30"

	export PORTAL_NOW=2026-12-30T14:00:00Z
	run --separate-stderr portal-accounts breach kl5a --discovered-at "2026-12-30 15:00" --reported-at "2026-12-30 16:00"
	status_is 0
	# reported on the deadline day itself: not late
	export PORTAL_NOW=2027-01-11T12:00:00Z
	run --separate-stderr portal-accounts breach tch --discovered-at "2026-12-30 09:30" --reported-at "2027-01-11 14:00"
	status_is 0
	run --separate-stderr portal-accounts breaches
	status_is 0
	same "$first,0" "$(col deadline,late login=kl5a <<<"$output")" "deadline, late of kl5a"
	same "$first,0" "$(col deadline,late login=tch <<<"$output")" "deadline, late of tch"
}

# ---- rights ----

@test "rights: a teacher may not issue; a class leader only for the class they lead" {
	school 50 7
	kl5a_leader 5А
	run --separate-stderr env PORTAL_ACTOR=tch portal-accounts issue --class 5А
	status_is 77
	same "" "$output" "stdout of a refusal"
	contains "tch" "$stderr"
	run --separate-stderr env PORTAL_ACTOR=kl5a portal-accounts issue --class 5Б --who students
	status_is 77
	contains "5Б" "$stderr"
	same 0 "$(q 'SELECT count(*) FROM accounts')" "accounts after the refusals"

	run --separate-stderr env PORTAL_ACTOR=kl5a portal-accounts issue --class 5А --who students
	status_is 0
	n=$(portal-accounts list students --class 5А | col student_id | wc -l)
	same "$n" "$(col login <<<"$output" | wc -l)" "students issued by the class leader"
	same "" "$(col class <<<"$output" | grep -vxF 5А)" "other classes"
	same "$n" "$(q 'SELECT count(*) FROM accounts')" "accounts"
}

@test "rights: breach only by an admin, breaches not by a teacher or class leader" {
	school 50 7
	kl5a_leader 5А
	export PORTAL_NOW=2026-11-27T14:00:00Z
	for who in kl5a tch deputy; do
		run --separate-stderr env PORTAL_ACTOR=$who portal-accounts breach t004 \
			--discovered-at "2026-11-27 10:00" --reported-at "2026-11-27 12:00"
		status_is 77
	done
	same 0 "$(q 'SELECT count(*) FROM breaches')" "breaches after the refusals"
	same "" "$(q "SELECT login FROM accounts WHERE locked = 1")" "locked logins"
	run --separate-stderr env PORTAL_ACTOR=t004 portal-accounts list students --class 5Б
	status_is 0

	run --separate-stderr env PORTAL_ACTOR=tch portal-accounts breaches
	status_is 77
	run --separate-stderr env PORTAL_ACTOR=kl5a portal-accounts breaches
	status_is 77
	run --separate-stderr env PORTAL_ACTOR=deputy portal-accounts breaches
	status_is 0
}

@test "a refused breach or breaches writes nothing to stdout" {
	school 50 7
	kl5a_leader 5А
	export PORTAL_NOW=2026-11-27T14:00:00Z
	run --separate-stderr env PORTAL_ACTOR=tch portal-accounts breaches
	status_is 77
	same "" "$output" "stdout of a refused breaches"
	run --separate-stderr env PORTAL_ACTOR=kl5a portal-accounts breach t004 \
		--discovered-at "2026-11-27 10:00" --reported-at "2026-11-27 12:00"
	status_is 77
	same "" "$output" "stdout of a refused breach"
	run --separate-stderr portal-accounts breach no.such.login \
		--discovered-at "2026-11-27 10:00" --reported-at "2026-11-27 12:00"
	status_is 65
	same "" "$output" "stdout of a failed breach"
}

# ---- breach and accounts ----

@test "breach: accounts issued with the leaked login after the report stop working; issue gives new ones" {
	names_class
	kl5a_leader 6А
	# before the report: stand
	PORTAL_NOW=2026-11-27T08:00:00Z PORTAL_ACTOR=kl5a portal-accounts issue --class 6А --who students >before.csv 2>/dev/null
	# after the report: invalid
	PORTAL_NOW=2026-11-27T10:00:00Z PORTAL_ACTOR=kl5a portal-accounts issue --class 6А --who guardians >after.csv 2>/dev/null
	g=$(col person_id <after.csv | sed -n 1p)
	gl=$(col login <after.csv | sed -n 1p)
	[ -n "$g" ]
	export PORTAL_NOW=2026-11-27T14:00:00Z
	run --separate-stderr portal-accounts breach kl5a --discovered-at "2026-11-27 10:00" --reported-at "2026-11-27 12:00"
	status_is 0

	l=$(col login <before.csv | sed -n 1p)
	run portal-accounts verify "$l" <<<"$(col password login="$l" <before.csv)"
	status_is 0
	run portal-accounts verify "$gl" <<<"$(col password login="$gl" <after.csv)"
	status_is 1

	# the guardian has no valid account now: the admin's issue gives one that works
	run --separate-stderr portal-accounts issue --class 6А --who guardians
	status_is 0
	pw=$(col password person_id="$g" <<<"$output")
	[ -n "$pw" ] || { echo "no new account for $g: $stderr"; false; }
	login=$(col login person_id="$g" <<<"$output")
	run portal-accounts verify "$login" <<<"$pw"
	status_is 0
}

@test "breach: --reissue by the admin gives working passwords to accounts issued with the leaked login" {
	names_class
	kl5a_leader 6А
	PORTAL_NOW=2026-11-27T10:00:00Z PORTAL_ACTOR=kl5a portal-accounts issue --class 6А --who guardians >after.csv 2>/dev/null
	g=$(col person_id <after.csv | sed -n 1p)
	[ -n "$g" ]
	export PORTAL_NOW=2026-11-27T14:00:00Z
	portal-accounts -q breach kl5a --discovered-at "2026-11-27 10:00" --reported-at "2026-11-27 12:00" >/dev/null
	run --separate-stderr portal-accounts issue --reissue --class 6А --who guardians
	status_is 0
	pw=$(col password person_id="$g" <<<"$output")
	login=$(col login person_id="$g" <<<"$output")
	[ -n "$pw" ]
	run portal-accounts verify "$login" <<<"$pw"
	status_is 0
}

@test "breach: the same leak registered twice is refused and changes nothing" {
	new_store
	printf 'staff_id,last_name,first_name,role,login,classes\nT9,Тестова,Анна,class_leader,kl9,5А\n' > "$BATS_TEST_TMPDIR/st.csv"
	portal-accounts import staff -q "$BATS_TEST_TMPDIR/st.csv"
	export PORTAL_NOW=2026-11-27T15:00:00Z
	run portal-accounts breach kl9 --discovered-at "2026-11-27 10:00" --reported-at "2026-11-27 12:00"
	[ "$status" -eq 0 ]
	before=$(sqlite3 "$PORTAL_DB" 'SELECT COUNT(*) FROM audit')
	run portal-accounts breach kl9 --discovered-at "2026-11-27 10:00" --reported-at "2026-11-27 12:00"
	[ "$status" -eq 65 ]
	[[ "$output" == *"already registered"* ]]
	[ "$(sqlite3 "$PORTAL_DB" 'SELECT COUNT(*) FROM breaches')" -eq 1 ]
	[ "$(sqlite3 "$PORTAL_DB" 'SELECT COUNT(*) FROM audit')" -eq "$before" ]
}
