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
	same "S70002" "$(q "SELECT group_concat(student_id) FROM consents WHERE guardian_id = 'G00003'")" "consents"
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
