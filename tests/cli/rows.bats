#!/usr/bin/env bats
# Rights hold on every row, and a verb acts on exactly the people it was
# given (SPEC §2 "The pipe contract", §3 Roles; issue 15, parts 2 and 6).
#
# The store: kl7a leads 7А, kl8b leads 8Б. G70001 is a guardian of a 7А child
# only, G80001 of an 8Б child only, G00003 of one child in each class. All
# people here are made up.

bats_require_minimum_version 1.5.0
load helpers

rows_school() {
	new_store || return 1
	cat >staff.csv <<'EOF'
staff_id,last_name,first_name,role,login,classes
T070,Ленская,Ольга,class_leader,kl7a,7А
T080,Бирюкова,Нина,class_leader,kl8b,8Б
EOF
	cat >st.csv <<'EOF'
student_id,last_name,first_name,birth_date,class
S70001,Иванова,Дарья,2013-09-01,7А
S70002,Ёлкин,Пётр,2013-02-15,7А
S70003,Соколов,Андрей,2013-05-30,7А
S80001,Кузнецова,Алёна,2012-03-12,8Б
S80002,Ёлкина,Вера,2012-07-07,8Б
EOF
	cat >gu.csv <<'EOF'
guardian_id,student_id,last_name,first_name,relation,email
G70001,S70001,Иванова,Мария,mother,maria@example.ru
G80001,S80001,Кузнецов,Игорь,father,igor@example.ru
G00003,S70002,Ёлкина,Анна,mother,anna@example.ru
G00003,S80002,Ёлкина,Анна,mother,anna@example.ru
EOF
	portal-accounts -q import staff staff.csv &&
		portal-accounts -q import students st.csv &&
		portal-accounts -q import guardians gu.csv
}

# login_of ID: the login of a person's account.
login_of() {
	q "SELECT login FROM accounts WHERE person_id = '$1'"
}

# ======================================================================
# Part 2: a row that reaches another class through a second key
# ======================================================================

@test "guardians: a 7А row naming an 8Б parent's guardian_id is refused (77) naming it and 8Б; nothing written" {
	rows_school
	printf 'guardian_id,student_id,last_name,first_name,email\nG80001,S70001,Взломов,Игорь,evil@example.ru\n' >g.csv
	before=$(db_digest)
	PORTAL_ACTOR=kl7a run --separate-stderr portal-accounts import guardians g.csv
	status_is 77
	contains "G80001" "$stderr"
	contains "8Б" "$stderr"
	contains "g.csv:2: guardian_id: not permitted" "$stderr"
	same "$before" "$(db_digest)" "store digest"
	# update with the same row
	PORTAL_ACTOR=kl7a run --separate-stderr portal-accounts update g.csv
	status_is 77
	same "$before" "$(db_digest)" "store digest after update"
	same "igor@example.ru" "$(q "SELECT email FROM guardians WHERE guardian_id = 'G80001'")"
}

@test "guardians: with --rejects the refused row goes to the rejects file, the good rows apply" {
	rows_school
	printf 'guardian_id,student_id,last_name,first_name,email\nG80001,S70001,Взломов,Игорь,evil@example.ru\nG70002,S70003,Соколова,Ирина,irina@example.ru\n' >g.csv
	PORTAL_ACTOR=kl7a run --separate-stderr portal-accounts import guardians --rejects rj.csv g.csv
	status_is 0
	contains "applied 1, rejected 1" "$stderr"
	same 2 "$(wc -l <rj.csv)" "rejects lines"
	contains "not permitted" "$(sed -n 2p rj.csv)"
	contains "G80001" "$(sed -n 2p rj.csv)"
	same "igor@example.ru" "$(q "SELECT email FROM guardians WHERE guardian_id = 'G80001'")"
	same 1 "$(q "SELECT count(*) FROM guardian_links WHERE guardian_id = 'G80001'")" "links of G80001"
	same 1 "$(q "SELECT count(*) FROM guardians WHERE guardian_id = 'G70002'")" "the good row"
}

@test "guardians: linking an existing parent of 8Б to a 7А child is refused for kl7a (77), allowed for an admin" {
	rows_school
	printf 'guardian_id,student_id,last_name,first_name,relation,email\nG80001,S70003,Кузнецов,Игорь,father,igor@example.ru\n' >g.csv
	before=$(db_digest)
	PORTAL_ACTOR=kl7a run --separate-stderr portal-accounts import guardians g.csv
	status_is 77
	contains "G80001" "$stderr"
	contains "8Б" "$stderr"
	same "$before" "$(db_digest)" "store digest"
	run --separate-stderr portal-accounts import guardians g.csv
	status_is 0
	same 2 "$(q "SELECT count(*) FROM guardian_links WHERE guardian_id = 'G80001'")" "links after the admin's import"
}

@test "guardians: a parent of children in 7А and 8Б is changed only by who may write both (or an admin)" {
	rows_school
	before=$(db_digest)
	for who in kl7a kl8b; do
		PORTAL_ACTOR=$who run --separate-stderr portal-accounts set G00003 email=evil@example.ru
		status_is 77
		contains "G00003" "$stderr"
		printf 'guardian_id,student_id,email\nG00003,S70002,evil@example.ru\n' >u.csv
		PORTAL_ACTOR=$who run --separate-stderr portal-accounts update u.csv
		status_is 77
	done
	same "$before" "$(db_digest)" "store digest"
	# the same list read back changes nothing, so it passes
	PORTAL_ACTOR=kl7a portal-accounts list guardians --class 7А >mine.csv
	PORTAL_ACTOR=kl7a run --separate-stderr portal-accounts import guardians mine.csv
	status_is 0
	# a parent of 7А only is kl7a's (set without student_id was an admin's only)
	PORTAL_ACTOR=kl7a run --separate-stderr portal-accounts set G70001 email=m2@example.ru
	status_is 0
	same "m2@example.ru" "$(q "SELECT email FROM guardians WHERE guardian_id = 'G70001'")"
	run --separate-stderr portal-accounts set G00003 email=anna2@example.ru
	status_is 0
}

@test "credentials: kl7a reissues the 7А-only parent, leaves out the parent with a child in 8Б; passwd, lock refused" {
	rows_school
	portal-accounts -q issue --all --who guardians >first.csv
	before=$(q "SELECT pw_hash FROM accounts WHERE person_id = 'G00003'")
	PORTAL_ACTOR=kl7a run --separate-stderr portal-accounts issue --class 7А --reissue --who guardians
	status_is 0
	contains "G70001" "$output"
	lacks "G00003" "$output"
	contains "1 guardian left out" "$stderr"
	same "$before" "$(q "SELECT pw_hash FROM accounts WHERE person_id = 'G00003'")" "hash of G00003"
	# named: refused, naming the parent and the other class
	PORTAL_ACTOR=kl7a run --separate-stderr portal-accounts issue --reissue - <<<G00003
	status_is 77
	contains "G00003" "$stderr"
	contains "8Б" "$stderr"
	login=$(login_of G00003)
	PORTAL_ACTOR=kl7a run --separate-stderr portal-accounts passwd "$login" <<<"a-new-secret-9"
	status_is 77
	PORTAL_ACTOR=kl8b run --separate-stderr portal-accounts lock "$login" --reason test
	status_is 77
	same "$before" "$(q "SELECT pw_hash FROM accounts WHERE person_id = 'G00003'")" "hash of G00003"
	same 0 "$(q "SELECT locked FROM accounts WHERE person_id = 'G00003'")" "lock of G00003"
	PORTAL_ACTOR=kl7a run --separate-stderr portal-accounts passwd "$(login_of G70001)" <<<"a-new-secret-9"
	status_is 0
	run --separate-stderr portal-accounts passwd "$login" <<<"a-new-secret-9"
	status_is 0
}

@test "groups: kl7a's group of 7А with an 8Б student, a group of 8Б, a stream with an 8Б student: 77, nothing written" {
	rows_school
	before=$(db_digest)
	for row in '7А,1 группа,Английский язык,S80001' '8Б,1 группа,Английский язык,S70001' ',поток,Математика,S80001'; do
		printf 'class,group,subject,student_id\n%s\n' "$row" >gr.csv
		PORTAL_ACTOR=kl7a run --separate-stderr portal-accounts groups import gr.csv
		status_is 77
		contains "8Б" "$stderr"
		same "$before" "$(db_digest)" "store digest after $row"
	done
	# a stream with kl7a's own student is theirs
	printf 'class,group,subject,student_id\n,поток,Математика,S70001\n' >gr.csv
	PORTAL_ACTOR=kl7a run --separate-stderr portal-accounts groups import gr.csv
	status_is 0
}

@test "consents: a decision for all of G00003's children by kl7a is refused (77) naming G00003 and the 8Б child" {
	rows_school
	printf 'guardian_id,student_id,decision,signed_on\nG00003,,given,2026-11-01\n' >c.csv
	before=$(db_digest)
	PORTAL_ACTOR=kl7a run --separate-stderr portal-consent import c.csv
	status_is 77
	contains "G00003" "$stderr"
	contains "S80002" "$stderr"
	PORTAL_ACTOR=kl7a run --separate-stderr portal-consent record --guardian G00003 --decision given --signed-on 2026-11-01
	status_is 77
	same "$before" "$(db_digest)" "store digest"
	# a guardian of 8Б with a 7А student who is not their child: bad data
	printf 'guardian_id,student_id,decision,signed_on\nG80001,S70001,given,2026-11-01\n' >c2.csv
	PORTAL_ACTOR=kl7a run --separate-stderr portal-consent import c2.csv
	status_is 65
	same "$before" "$(db_digest)" "store digest"
	# with --rejects: the refused row is rejected, the 7А link applies
	printf 'guardian_id,student_id,decision,signed_on\nG00003,,given,2026-11-01\nG00003,S70002,given,2026-11-01\n' >c3.csv
	PORTAL_ACTOR=kl7a run --separate-stderr portal-consent import --rejects rj.csv c3.csv
	status_is 0
	contains "not permitted" "$(sed -n 2p rj.csv)"
	same "S70002" "$(q "SELECT student_id FROM consents WHERE guardian_id = 'G00003'" | paste -sd,)" "consents"
}

@test "acks: an extract of 8Б by kl7a is 77 (into --rejects with it); a guardian not of the extract's student is 65" {
	rows_school
	PORTAL_NOW=2026-11-20T09:00:00Z portal-extract -q --class 8Б --from 2026-09-01 --to 2026-10-31 --channel paper --format csv -o x/ >m.csv
	code=$(awk -F, '$2 == "S80001" { print $5 }' m.csv)
	id=$(awk -F, '$2 == "S80001" { print $1 }' m.csv)
	[ -n "$code" ]
	before=$(db_digest)
	printf 'code,acknowledged_on\n%s,2026-11-27\n' "$code" >a.csv
	PORTAL_ACTOR=kl7a run --separate-stderr portal-ack import a.csv
	status_is 77
	contains "8Б" "$stderr"
	same "$before" "$(db_digest)" "store digest"
	PORTAL_ACTOR=kl7a run --separate-stderr portal-ack import --rejects rj.csv a.csv
	status_is 0
	contains "not permitted" "$(sed -n 2p rj.csv)"
	same 0 "$(q 'SELECT count(*) FROM acks')" "acks"
	printf 'extract_id,acknowledged_on,guardian_id\n%s,2026-11-27,G70001\n' "$id" >a2.csv
	PORTAL_ACTOR=kl8b run --separate-stderr portal-ack import a2.csv
	status_is 65
	contains "G70001" "$stderr"
	same 0 "$(q 'SELECT count(*) FROM acks')" "acks"
}

@test "students: kl7a moving an 8Б student into 7А is refused (77); so is a row of an 8Б student into --rejects" {
	rows_school
	before=$(db_digest)
	printf 'student_id,class\nS80001,7А\n' >m.csv
	PORTAL_ACTOR=kl7a run --separate-stderr portal-accounts update m.csv
	status_is 77
	contains "8Б" "$stderr"
	PORTAL_ACTOR=kl7a run --separate-stderr portal-accounts set S80001 class=7А
	status_is 77
	same "$before" "$(db_digest)" "store digest"
	printf 'student_id,class\nS80001,7А\nS70001,7А\n' >m2.csv
	PORTAL_ACTOR=kl7a run --separate-stderr portal-accounts update --rejects rj.csv m2.csv
	status_is 0
	contains "S80001" "$(sed -n 2p rj.csv)"
	same "8Б" "$(q "SELECT class FROM students WHERE student_id = 'S80001'")"
}

# ======================================================================
# Part 6: exactly the people given
# ======================================================================

@test "issue -: the ids of a pipe (list | cut | head) get accounts, exactly those" {
	school 40 7
	list=$(portal-accounts list students --class 5Б | cut -d, -f1 | head -5)
	run --separate-stderr bash -c "portal-accounts list students --class 5Б | cut -d, -f1 | head -5 | portal-accounts issue -"
	status_is 0
	same 4 "$(q 'SELECT count(*) FROM accounts')" "accounts"
	same "$(tail -n +2 <<<"$list" | sort)" "$(q "SELECT person_id FROM accounts ORDER BY 1")" "who"
	# a header-less list as FILE, and a pipe with no FILE at all
	portal-accounts list students --class 5А | tail -n +2 | cut -d, -f1 | head -4 >ids.txt
	run --separate-stderr portal-accounts issue ids.txt
	status_is 0
	same 8 "$(q 'SELECT count(*) FROM accounts')" "accounts"
	run --separate-stderr bash -c "printf 'guardian_id,x\n%s,1\n' \$(cut -d, -f1 s/guardians.csv | sed -n 2p) | portal-accounts issue"
	status_is 0
	same 9 "$(q 'SELECT count(*) FROM accounts')" "accounts"
	same 1 "$(q "SELECT count(*) FROM accounts WHERE kind = 'guardian'")" "guardians"
}

@test "issue: a stray argument, an unknown id, ids with --class; nothing issued" {
	rows_school
	run --separate-stderr portal-accounts issue bogus-extra-arg
	status_is 66
	printf 'S70001\n' >a.txt
	run --separate-stderr portal-accounts issue a.txt a.txt
	status_is 64
	contains "unexpected argument" "$stderr"
	printf 'student_id\nS70001\nS99999\n' >u.csv
	run --separate-stderr portal-accounts issue u.csv
	status_is 65
	contains "u.csv:3" "$stderr"
	contains "S99999" "$stderr"
	run --separate-stderr portal-accounts issue --class 7А a.txt
	status_is 64
	same 0 "$(q 'SELECT count(*) FROM accounts')" "accounts"
}

@test "issue: ids are checked one by one: kl7a naming an 8Б student is 77 naming them and 8Б" {
	rows_school
	printf 'student_id\nS70001\nS80001\n' >i.csv
	PORTAL_ACTOR=kl7a run --separate-stderr portal-accounts issue i.csv
	status_is 77
	contains "S80001" "$stderr"
	contains "8Б" "$stderr"
	same 0 "$(q 'SELECT count(*) FROM accounts')" "accounts"
	# --who still filters the kind
	printf 'student_id,guardian_id\nS70001,G70001\n' >i2.csv
	PORTAL_ACTOR=kl7a run --separate-stderr portal-accounts issue --who guardians i2.csv
	status_is 0
	same "guardian:G70001" "$(q "SELECT kind || ':' || person_id FROM accounts")" "accounts"
}

@test "issue: an empty id list issues nothing, says so, exits 0 and writes no slips file" {
	rows_school
	run --separate-stderr bash -c ': | portal-accounts issue --format pdf -o slips.pdf'
	status_is 0
	contains "no ids on standard input: nobody" "$stderr"
	[ ! -e slips.pdf ]
	run --separate-stderr bash -c "printf 'student_id\n' | portal-accounts issue --format txt -o slips.txt"
	status_is 0
	[ ! -e slips.txt ]
	run --separate-stderr portal-accounts issue /dev/null
	status_is 0
	same "" "$output" "standard output"
	same 0 "$(q 'SELECT count(*) FROM accounts')" "accounts"
}

@test "issue: no ids and no --class: on a terminal and with --all every class the actor may write; /dev/null nobody" {
	rows_school
	# cron's standard input is no terminal: no ids there is nobody, never everybody
	PORTAL_ACTOR=kl7a run --separate-stderr portal-accounts issue --who students </dev/null
	status_is 0
	same 0 "$(q "SELECT count(*) FROM accounts")" "accounts from /dev/null"
	PORTAL_ACTOR=kl7a on_tty portal-accounts issue --who students --dry-run
	status_is 0
	same 3 "$(grep -c '^student,' <<<"$output")" "a terminal: the students of 7А, dry run"
	PORTAL_ACTOR=kl7a run --separate-stderr portal-accounts issue --all --who students </dev/null
	status_is 0
	same 3 "$(q "SELECT count(*) FROM accounts")" "accounts of 7А"
}

@test "a verb that takes no FILE refuses one (64): lists, reports, history, pending, check" {
	rows_school
	before=$(db_digest)
	for cmd in 'portal-accounts list staff x.csv' 'portal-accounts breaches x' \
		'portal-accounts verify kl7a extra' 'portal-ack scan x' 'portal-report coverage x' 'portal-journal periods list x' \
		'portal-db check x' 'portal-db config school.name X extra' 'portal-accounts set'; do
		run --separate-stderr $cmd </dev/null
		if [ "$cmd" = 'portal-accounts set' ]; then
			status_is 64
			continue
		fi
		[ "$status" -eq 64 ] || { echo "$cmd: exit $status"; false; }
		contains "unexpected argument" "$stderr"
	done
	# and - (standard input) names what it is not: they act on no people given as ids (pipe.bats has them all)
	for cmd in 'portal-accounts breaches -' 'portal-ack scan -' 'portal-accounts verify -' \
		'portal-consent record --guardian G70001 --decision given --signed-on 2026-11-01 -'; do
		run --separate-stderr $cmd </dev/null
		[ "$status" -eq 64 ] || { echo "$cmd: exit $status"; false; }
		contains "reads nothing from - (standard input)" "$stderr"
	done
	same "$before" "$(db_digest)" "store digest"
	# the verbs that take FILE or several still do
	run --separate-stderr portal-accounts set S70001 email=d@example.ru phone=89120000000
	status_is 0
}
