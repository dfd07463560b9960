#!/usr/bin/env bats
# A leaked login (SPEC §3, portal-accounts breach): everything done with it
# after the report is undone or stops counting, whatever it was, and the login
# is refused for everything. Each test does every kind of write a class leader
# (or a teacher) can make, after the report, registers the breach, and
# compares what the school sees with what it saw before the report.
# All people here are made up (the synthetic school).

bats_require_minimum_version 1.5.0
load helpers

# 12:00 in Moscow: the report; the leaked login acts at 13:00
REPORTED="2026-11-27 12:00"
BEFORE=2026-11-27T08:00:00Z
AFTER=2026-11-27T10:00:00Z
LATER=2026-11-27T14:00:00Z

# A school of 30 with a year of journal, its accounts for 5А issued by the
# admin, extracts of 5А made, a consent recorded, and one guardian locked.
setup_file() {
	local dir=$BATS_FILE_TMPDIR/school k
	mkdir -p "$dir" || return 1
	export PORTAL_DB="$(store_at "$dir/p.db")" PORTAL_ACTOR=admin PORTAL_NOW=2026-11-20T09:00:00Z LC_ALL=C.UTF-8
	(
		cd "$dir" || exit 1
		new_store || exit 1
		"$SYNTH" --students 30 --seed 7 --journal --out s || exit 1
		for k in staff students guardians; do
			portal-accounts -q import "$k" "s/$k.csv" || exit 1
		done
		portal-accounts -q groups import s/groups.csv || exit 1
		portal-journal -q periods import s/periods.csv || exit 1
		for k in schedule lessons changes tests holidays marks attendance recommendations finals; do
			portal-journal -q import "$k" "s/$k.csv" || { echo "setup_file: import $k failed" >&2; exit 1; }
		done
		portal-accounts -q issue --class 5А >accounts.csv || exit 1
		portal-extract -q --class 5А --period "2 четверть" -o x/ >before.csv || exit 1
		checkpoint
	)
}

# breach_school: this test's copy of the store; S (the synthetic files),
# A1..A3 active students of 5А, G1..G3 their first guardians, CODE an
# acknowledgement code of an extract the admin made.
breach_school() {
	local dir=$BATS_FILE_TMPDIR/school
	store_cp "$(store_at "$dir/p.db")" "$PORTAL_DB" || return 1
	cp -r "$dir/s" "$dir/accounts.csv" "$dir/before.csv" . || return 1
	S=$BATS_TEST_TMPDIR/s
	read -r A1 A2 A3 A4 < <(portal-accounts list students --class 5А | col student_id | sed -n 1,4p | paste -sd' ')
	G1=$(first_guardian "$A1")
	G2=$(first_guardian "$A2")
	G3=$(first_guardian "$A3")
	CODE=$(col code channel=paper <before.csv | sed -n 1p)
	[ -n "$A4" ] && [ -n "$G3" ] && [ -n "$CODE" ] || { echo "breach_school: fixture incomplete: $A4 $G3 $CODE" >&2; return 1; }
}

first_guardian() {
	portal-accounts list guardians --class 5А | col guardian_id student_id="$1" | sed -n 1p
}

# world: what the school sees of 5А, as the admin: the roster, the groups,
# the consents, the acknowledgements, the journal and the reports.
world() {
	local p="2 четверть"
	PORTAL_ACTOR=admin PORTAL_NOW=$LATER
	{
		echo "== students"
		portal-accounts list students --class 5А
		echo "== guardians"
		portal-accounts list guardians --class 5А
		echo "== groups"
		portal-accounts groups list --class 5А
		echo "== consent"
		portal-consent status --class 5А
		echo "== acks"
		portal-ack pending --class 5А
		portal-ack status --class 5А
		echo "== journal"
		portal-journal show --class 5А --period "$p"
		portal-journal show --class 5А --period "1 четверть"
		portal-journal teachers --class 5А
		echo "== reports"
		portal-report progress --class 5А --period "$p"
		portal-report progress --class 5А --period "1 четверть" --by student
		portal-report attendance --class 5А --period "$p"
	} 2>&1 | grep -v S09999	# a student the leaked login added: left, an empty row where left students show
}

# refused_everywhere LOGIN: every binary refuses the login (77).
refused_everywhere() {
	local who=$1 n=0
	export PORTAL_ACTOR=$who
	while IFS= read -r line; do
		run --separate-stderr bash -c "$line </dev/null"
		if [ "$status" -ne 77 ]; then
			printf '%s: exit %s, expected 77\n%s\n' "$line" "$status" "$stderr"
			return 1
		fi
		n=$((n + 1))
	done <<'EOF'
portal-accounts list students --class 5А
portal-accounts import students s/students.csv
portal-accounts set S00001 phone=+79120000000
portal-accounts issue --class 5А --reissue
portal-accounts groups list --class 5А
portal-consent status --class 5А
portal-consent record --guardian P00001 --student S00001 --decision given --signed-on 2026-11-27
portal-extract --class 5А --period "2 четверть" --dry-run
portal-ack pending --class 5А
portal-journal show --class 5А --period "2 четверть"
portal-journal import marks s/marks.csv
portal-report progress --class 5А --period "2 четверть"
portal-db audit
EOF
	export PORTAL_ACTOR=admin
	[ "$n" -eq 13 ]
}

@test "breach of a class leader: every kind of write after the report is undone, the login refused everywhere" {
	breach_school
	# before the report: the admin locks G3; the class leader records a consent (stands)
	PORTAL_NOW=$BEFORE portal-accounts -q lock "$(col login person_id="$G3" <accounts.csv)" --reason "lost slip"
	PORTAL_NOW=$BEFORE PORTAL_ACTOR=t003 portal-consent -q record --guardian "$G1" --student "$A1" \
		--decision given --signed-on 2026-11-26
	before=$(world)

	# after the report, as t003: the roster, a new student, one left by --sync
	export PORTAL_NOW=$AFTER PORTAL_ACTOR=t003
	{
		head -n 1 "$S/students.csv"
		awk -F, -v a="$A1" 'BEGIN { OFS = "," } $1 == a { $8 = "+79990001122"; print }' "$S/students.csv"
		echo "S09999,Новикова,Ева,,2015-02-02,5А,,,active,"
	} >st.csv
	portal-accounts -q import students st.csv
	{
		head -n 1 "$S/students.csv"
		awk -F, -v d="$A4" '$6 == "5А" && $9 == "active" && $1 != d' "$S/students.csv"
	} >sync.csv
	portal-accounts -q import students --sync sync.csv
	same left "$(PORTAL_ACTOR=admin portal-accounts list students --class 5А --status all | col status student_id="$A4")" "A4 by --sync"
	portal-accounts -q set "$A2" email=leak@example.ru phone=+79990002233
	# guardians: a changed e-mail, a new guardian of A1, a new link
	printf '%s\n' guardian_id,student_id,last_name,first_name,email \
		"$G1,$A1,Подменова,Инна,intruder@example.ru" \
		"P09999,$A1,Чужой,Пётр,chuzhoi@example.ru" \
		"$G2,$A3,$(PORTAL_ACTOR=admin portal-accounts list guardians --all | col last_name,first_name guardian_id="$G2" | sed -n 1p)," >gu.csv
	portal-accounts -q import guardians gu.csv
	# groups: A1 into a new group and into an existing one
	printf '%s\n' class,group,subject,student_id "5А,Кружок,Математика,$A1" "5А,2 группа,Английский язык,$A1" >gr.csv
	portal-accounts -q groups import gr.csv
	# consents
	portal-consent -q record --guardian "$G2" --student "$A2" --decision given --signed-on 2026-11-27
	portal-consent -q record --guardian "$G1" --student "$A1" --decision withdrawn --signed-on 2026-11-27
	# an acknowledgement of the admin's extract, and new extracts
	portal-ack -q record "$CODE" --on 2026-11-27
	portal-extract -q --class 5А --period "2 четверть" -o xl/ >leak.csv
	# credentials: every guardian reissued, the new student issued, a password set, G3 unlocked
	portal-accounts issue --class 5А --who guardians --reissue >reissued.csv 2>/dev/null
	portal-accounts issue --class 5А --who students >issued.csv 2>/dev/null
	gl=$(col login person_id="$G2" <accounts.csv)
	echo "intruder-pass-1" | portal-accounts -q passwd "$gl"
	portal-accounts -q unlock "$(col login person_id="$G3" <accounts.csv)"
	[ "$(world)" != "$before" ]

	export PORTAL_NOW=$LATER PORTAL_ACTOR=admin
	run --separate-stderr portal-accounts breach t003 --discovered-at "2026-11-27 11:00" --reported-at "$REPORTED"
	status_is 0
	same "" "$(col undo_error <<<"$output" | grep -v '^$')" "operations that could not be undone"

	diff -u <(echo "$before") <(world)
	# the student it added has left, the day of the breach; nothing was deleted
	same "left,2026-11-27" "$(portal-accounts list students --all --status all | col status,left_on student_id=S09999)" "S09999"
	# every account whose password the login set is locked, and the old passwords are gone from use
	n=0
	while IFS=, read -r login pw; do
		run portal-accounts verify "$login" <<<"$pw"
		status_is 1
		same "breach:t003" "$(q "SELECT locked_reason FROM accounts WHERE login = '$login'")" "lock of $login"
		n=$((n + 1))
	done < <(col login,password <reissued.csv; col login,password <issued.csv)
	[ "$n" -ge 15 ]
	run portal-accounts verify "$gl" <<<"intruder-pass-1"
	status_is 1
	g3=$(col login person_id="$G3" <accounts.csv)
	same 1 "$(q "SELECT locked FROM accounts WHERE login = '$g3'")" "G3 locked again"
	# the accounts it touched are listed as locked, and the next issue gives them new credentials
	locked=$(portal-accounts list guardians --class 5А --locked | col guardian_id | sort -u)
	# (the guardian it added is not listed: the link it made does not count)
	same "$(col person_id <reissued.csv | grep -vxF P09999 | sort -u)" "$locked" "guardians listed by --locked"
	run --separate-stderr portal-accounts issue --class 5А --who guardians
	status_is 0
	same "$locked" "$(col person_id <<<"$output" | sort -u)" "new credentials for the locked guardians"
	while IFS=, read -r login pw; do
		run portal-accounts verify "$login" <<<"$pw"
		status_is 0
	done < <(col login,password <<<"$output")
	refused_everywhere t003
	run --separate-stderr portal-db check
	status_is 0
}

@test "breach of a teacher: journal imports after the report are undone or stop counting" {
	breach_school
	before=$(world)
	export PORTAL_NOW=$AFTER PORTAL_ACTOR=t006
	# a changed mark, a new mark, attendance with --sync, a lesson's homework, a recommendation, a final
	m=$(awk -F, -v a="$A1" '$1 == a && $2 == "Математика" && $3 >= "2026-11-05"' "$S/marks.csv" | sed -n 1p)
	[ -n "$m" ]
	{
		head -n 1 "$S/marks.csv"
		echo "$m" | awk -F, 'BEGIN { OFS = "," } { $4 = ($4 == 2 ? 5 : 2); print }'
		echo "$A2,Математика,2026-11-25,2,5,контрольная,3,T006"
	} >m.csv
	portal-journal -q import marks m.csv
	printf '%s\n' student_id,date,code,lesson_no,subject "$A1,2026-11-25,н,3,Математика" >at.csv
	portal-journal -q import attendance at.csv
	l=$(awk -F, '$1 == "5А" && $3 == "Математика" && $4 >= "2026-11-05"' "$S/lessons.csv" | sed -n 1p)
	{
		head -n 1 "$S/lessons.csv"
		echo "$l" | awk -F, 'BEGIN { OFS = "," } { $8 = "Подменённое задание"; print }'
	} >l.csv
	portal-journal -q import lessons l.csv
	printf '%s\n' student_id,date,text,teacher_id,subject "$A3,2026-11-26,Чужая рекомендация,T006,Математика" >r.csv
	portal-journal -q import recommendations r.csv
	printf '%s\n' student_id,subject,period,value "$A3,Математика,2 четверть,2" >f.csv
	portal-journal -q import finals f.csv
	[ "$(world)" != "$before" ]

	export PORTAL_NOW=$LATER PORTAL_ACTOR=admin
	run --separate-stderr portal-accounts breach t006 --discovered-at "2026-11-27 11:00" --reported-at "$REPORTED"
	status_is 0
	[ "$(col seq <<<"$output" | wc -l)" -ge 5 ]
	diff -u <(echo "$before") <(world)
	refused_everywhere t006
}

@test "breach never fails because of what the intruder did: a change that cannot be undone is named, the rest applies" {
	breach_school
	export PORTAL_NOW=$AFTER PORTAL_ACTOR=t003
	portal-accounts -q set "$A1" phone=+79990001122
	{
		head -n 1 "$S/students.csv"
		awk -F, -v d="$A2" '$6 == "5А" && $9 == "active" && $1 != d' "$S/students.csv"
	} >sync.csv
	portal-accounts -q import students --sync sync.csv
	# the admin then edits A2's leaving date: the leaving cannot be undone as it was
	PORTAL_ACTOR=admin portal-accounts -q set "$A2" left_on=2026-11-26
	export PORTAL_NOW=$LATER PORTAL_ACTOR=admin
	run --separate-stderr portal-accounts breach t003 --discovered-at "2026-11-27 11:00" --reported-at "$REPORTED"
	status_is 0
	# A1's phone is back; A2's leaving stands as the admin left it, and the breach says so
	same "" "$(portal-accounts list students --class 5А | col phone student_id="$A1")" "A1's phone"
	same "left,2026-11-26" "$(portal-accounts list students --all --status all | col status,left_on student_id="$A2")" "A2"
	contains "student:$A2" "$stderr"
	[ -n "$(col undo_error object="student:$A2" <<<"$output")" ]
	same 1 "$(q "SELECT count(*) FROM breaches WHERE login = 't003'")" "the breach is registered"
	refused_everywhere t003
}

@test "lock and unlock a staff login; a locked staff login acts no more" {
	breach_school
	run --separate-stderr portal-accounts lock t004 --reason "on leave"
	status_is 0
	run --separate-stderr env PORTAL_ACTOR=t004 portal-accounts list students --class 5Б
	status_is 77
	contains "locked" "$stderr"
	run portal-accounts verify t004 <<<"anything"
	status_is 1
	run --separate-stderr portal-accounts unlock t004
	status_is 0
	run --separate-stderr env PORTAL_ACTOR=t004 portal-accounts list students --class 5Б
	status_is 0
	# a class leader may not lock a colleague
	run --separate-stderr env PORTAL_ACTOR=t003 portal-accounts lock t004 --reason "x"
	status_is 77
	run --separate-stderr portal-accounts lock no.such.login --reason "x"
	status_is 65
	contains "no.such.login" "$stderr"
}
