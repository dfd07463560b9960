#!/usr/bin/env bats
# portal-consent: parents' consent to electronic progress information
# (152-ФЗ). record, import, status, missing, history (SPEC §2, §3 and the
# portal-consent part of §5).
#
# The clock is fixed at 2026-11-28T09:00:00Z (12:00 in Moscow) by helpers'
# setup; tests that need another moment set PORTAL_NOW for one command.
# The school is a small synthetic one (30 students, seed 7: 5А and 5Б); the
# people are picked from its CSV files, never hard-coded. All people here are
# made up.

bats_require_minimum_version 1.5.0
load helpers


STATUS_HEADER=guardian_id,student_id,class,guardian_name,student_name,decision,signed_on,has_email,channel
HISTORY_HEADER=consent_id,guardian_id,student_id,decision,signed_on,form,doc_ref,recorded_at,recorded_by,invalidated

# consent_school: the synthetic school, imported; CLASS_A is led by t003,
# CLASS_B by t004 (from staff.csv).
consent_school() {
	school 30 7 || return 1
	S=$BATS_TEST_TMPDIR/s
	CLASS_A=$(awk -F, '$6 == "t003" { print $10 }' "$S/staff.csv")
	CLASS_B=$(awk -F, '$6 == "t004" { print $10 }' "$S/staff.csv")
	[ -n "$CLASS_A" ] && [ -n "$CLASS_B" ] && [ "$CLASS_A" != "$CLASS_B" ] || {
		echo "consent_school: no two classes led by t003 and t004" >&2
		return 1
	}
}

# links CLASS mail|nomail|any: "GUARDIAN STUDENT" of the active students of
# CLASS whose guardian has exactly one child in the synthetic files and an
# e-mail address (mail), none (nomail) or either (any), in file order.
links() {
	awk -F, -v c="$1" -v m="$2" '
		FILENAME ~ /students\.csv$/ { if (FNR > 1 && $9 == "active") cls[$1] = $6; next }
		FNR == 1 { next }
		{ if (!($1 in n)) order[++k] = $1; n[$1]++; st[$1] = $2; em[$1] = $7 }
		END {
			for (i = 1; i <= k; i++) {
				g = order[i]
				if (n[g] != 1 || cls[st[g]] != c) continue
				if (m == "mail" && em[g] == "") continue
				if (m == "nomail" && em[g] != "") continue
				print g, st[g]
			}
		}' "$S/students.csv" "$S/guardians.csv"
}

# pick CLASS mail|nomail|any N: the Nth of links; sets G and ST.
pick() {
	local l
	l=$(links "$1" "$2" | sed -n "${3:-1}p")
	[ -n "$l" ] || { echo "pick: no ${3:-1}th $2 link in $1" >&2; return 1; }
	read -r G ST <<<"$l"
}

# active_links [CLASS]: "GUARDIAN,STUDENT" of every guardian link of an active
# student (of CLASS), from the synthetic files, sorted.
active_links() {
	awk -F, -v c="${1-}" '
		FILENAME ~ /students\.csv$/ { if (FNR > 1 && $9 == "active" && (c == "" || $6 == c)) ok[$1] = 1; next }
		FNR > 1 && ($2 in ok) { print $1 "," $2 }' "$S/students.csv" "$S/guardians.csv" | sort
}

# link_also G STUDENT: links guardian G (as in guardians.csv) also to STUDENT.
link_also() {
	{
		head -n 1 "$S/guardians.csv"
		awk -F, -v g="$1" -v s="$2" 'BEGIN { OFS = "," } FNR > 1 && $1 == g { $2 = s; print; exit }' "$S/guardians.csv"
	} >"$BATS_TEST_TMPDIR/link.csv"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/link.csv")" -eq 2 ] || { echo "link_also: no guardian $1" >&2; return 1; }
	portal-accounts -q import guardians "$BATS_TEST_TMPDIR/link.csv"
}

# full_name FILE ID: "Фамилия Имя Отчество" of a person in a synthetic file.
full_name() {
	local o=2
	[ "$1" = guardians ] && o=3
	awk -F, -v id="$2" -v o="$o" 'FNR > 1 && $1 == id { n = $o " " $(o + 1); if ($(o + 2) != "") n = n " " $(o + 2); print n; exit }' "$S/$1.csv"
}

# st G STUDENT: "decision,signed_on,has_email,channel" of the link in status.
st() {
	portal-consent status --student "$2" | col decision,signed_on,has_email,channel guardian_id="$1" student_id="$2"
}

consents() {
	q 'SELECT count(*) FROM consents'
}

# ======================================================================
# Done means: the channel
# ======================================================================

@test "given + e-mail: electronic; the whole status row is exact" {
	consent_school
	pick "$CLASS_A" mail 1
	run --separate-stderr portal-consent record --guardian "$G" --student "$ST" --decision given --signed-on 2026-11-02
	status_is 0
	contains "1 decision recorded" "$stderr"
	same "" "$output" "stdout of record"

	run --separate-stderr portal-consent status --student "$ST"
	status_is 0
	same "$STATUS_HEADER" "${lines[0]}" "header"
	has_line "$G,$ST,$CLASS_A,$(full_name guardians "$G"),$(full_name students "$ST"),given,2026-11-02,1,electronic"
}

@test "refused with an e-mail: paper" {
	consent_school
	pick "$CLASS_A" mail 1
	portal-consent -q record --guardian "$G" --student "$ST" --decision refused --signed-on 2026-11-02
	same "refused,2026-11-02,1,paper" "$(st "$G" "$ST")"
}

@test "withdrawn after given: paper; the given one stays in history" {
	consent_school
	pick "$CLASS_A" mail 1
	PORTAL_NOW=2026-11-10T09:00:00Z portal-consent -q record --guardian "$G" --student "$ST" --decision given --signed-on 2026-11-02
	same "given,2026-11-02,1,electronic" "$(st "$G" "$ST")" "before the withdrawal"
	portal-consent -q record --guardian "$G" --student "$ST" --decision withdrawn --signed-on 2026-11-20
	same "withdrawn,2026-11-20,1,paper" "$(st "$G" "$ST")" "after the withdrawal"
	run --separate-stderr portal-consent history --guardian "$G"
	status_is 0
	same "given,2026-11-02,0
withdrawn,2026-11-20,0" "$(col decision,signed_on,invalidated <<<"$output")" "history"
}

@test "no decision: decision none, empty signed_on, paper" {
	consent_school
	pick "$CLASS_A" mail 1
	same "none,,1,paper" "$(st "$G" "$ST")"
}

@test "given without an e-mail address: paper, has_email 0" {
	consent_school
	pick "$CLASS_A" nomail 1
	run --separate-stderr portal-consent record --guardian "$G" --student "$ST" --decision given --signed-on 2026-11-02
	status_is 0
	same "given,2026-11-02,0,paper" "$(st "$G" "$ST")"
}

@test "an e-mail address removed after the consent: paper" {
	consent_school
	pick "$CLASS_A" mail 1
	portal-consent -q record --guardian "$G" --student "$ST" --decision given --signed-on 2026-11-02
	same "given,2026-11-02,1,electronic" "$(st "$G" "$ST")" "with the address"
	portal-accounts -q set "$G" email=
	same "given,2026-11-02,0,paper" "$(st "$G" "$ST")" "without the address"
}

@test "every status row: electronic exactly where the decision is given and there is an e-mail" {
	consent_school
	# a mix of decisions for the whole school, with and without addresses
	{
		echo guardian_id,student_id,decision,signed_on
		active_links | awk -F, '{ d = NR % 4 == 0 ? "refused" : NR % 4 == 1 ? "given" : NR % 4 == 2 ? "withdrawn" : ""
			if (d != "") print $1 "," $2 "," d ",2026-11-0" (NR % 9 + 1) }'
	} >mix.csv
	run --separate-stderr portal-consent import mix.csv
	status_is 0
	run --separate-stderr portal-consent status --all
	status_is 0
	same "$(active_links | wc -l)" "$((${#lines[@]} - 1))" "status rows (one per link of an active student)"
	# every kind of row is there
	for want in "given,1,electronic" "given,0,paper" "refused,1,paper" "withdrawn,1,paper" "none,1,paper"; do
		col decision,has_email,channel <<<"$output" | grep -qxF "$want" || { echo "no row $want"; false; }
	done
	bad=$(col guardian_id,decision,has_email,channel <<<"$output" | awk -F, '
		{ want = ($2 == "given" && $3 == "1") ? "electronic" : "paper"; if ($4 != want) print }')
	same "" "$bad" "rows whose channel breaks the rule"
	# has_email agrees with the guardians' files
	bad=$(col guardian_id,has_email <<<"$output" | sort -u | while IFS=, read -r g h; do
		e=$(awk -F, -v g="$g" 'FNR > 1 && $1 == g { print ($7 != "") ? 1 : 0; exit }' "$S/guardians.csv")
		[ "$e" = "$h" ] || echo "$g has_email $h, file says $e"
	done)
	same "" "$bad" "has_email"
}

# ======================================================================
# Done means: the order of decisions
# ======================================================================

@test "a consent signed earlier but entered later does not override a later withdrawal" {
	consent_school
	pick "$CLASS_A" mail 1
	PORTAL_NOW=2026-11-20T09:00:00Z portal-consent -q record --guardian "$G" --student "$ST" --decision given --signed-on 2026-11-01
	PORTAL_NOW=2026-11-21T09:00:00Z portal-consent -q record --guardian "$G" --student "$ST" --decision withdrawn --signed-on 2026-11-20
	# the paper signed on 2026-11-10 turns up a week later
	run --separate-stderr portal-consent record --guardian "$G" --student "$ST" --decision given --signed-on 2026-11-10
	status_is 0
	contains "1 decision recorded" "$stderr"
	same 3 "$(consents)" "records"
	same "withdrawn,2026-11-20,1,paper" "$(st "$G" "$ST")"
	run --separate-stderr portal-consent missing --all
	lacks "$G,$ST,"
}

@test "a later-signed decision entered earlier stands over an earlier-signed one entered later" {
	consent_school
	pick "$CLASS_A" mail 1
	PORTAL_NOW=2026-11-20T09:00:00Z portal-consent -q record --guardian "$G" --student "$ST" --decision given --signed-on 2026-11-15
	portal-consent -q record --guardian "$G" --student "$ST" --decision refused --signed-on 2026-11-03
	same "given,2026-11-15,1,electronic" "$(st "$G" "$ST")"
}

@test "the same signed_on: the later recording stands, either way round" {
	consent_school
	pick "$CLASS_A" mail 1
	G1=$G S1=$ST
	pick "$CLASS_A" mail 2
	G2=$G S2=$ST
	PORTAL_NOW=2026-11-27T09:00:00Z portal-consent -q record --guardian "$G1" --student "$S1" --decision given --signed-on 2026-11-10
	PORTAL_NOW=2026-11-27T10:00:00Z portal-consent -q record --guardian "$G1" --student "$S1" --decision withdrawn --signed-on 2026-11-10
	PORTAL_NOW=2026-11-27T09:00:00Z portal-consent -q record --guardian "$G2" --student "$S2" --decision withdrawn --signed-on 2026-11-10
	PORTAL_NOW=2026-11-27T10:00:00Z portal-consent -q record --guardian "$G2" --student "$S2" --decision given --signed-on 2026-11-10
	same "withdrawn,2026-11-10,1,paper" "$(st "$G1" "$S1")" "given, then withdrawn"
	same "given,2026-11-10,1,electronic" "$(st "$G2" "$S2")" "withdrawn, then given"
}

@test "the same signed_on: recording time decides, not the order of entry (a back-dated clock)" {
	consent_school
	pick "$CLASS_A" mail 1
	# entered first, but recorded at 10:00; entered second with the clock set back to 09:00
	PORTAL_NOW=2026-11-27T10:00:00Z portal-consent -q record --guardian "$G" --student "$ST" --decision withdrawn --signed-on 2026-11-10
	PORTAL_NOW=2026-11-27T09:00:00Z portal-consent -q record --guardian "$G" --student "$ST" --decision given --signed-on 2026-11-10
	same "withdrawn,2026-11-10,1,paper" "$(st "$G" "$ST")"
}

@test "DD.MM.YYYY dates are ordered as dates, not as text" {
	consent_school
	pick "$CLASS_A" mail 1
	portal-consent -q record --guardian "$G" --student "$ST" --decision given --signed-on 2026-11-05
	portal-consent -q record --guardian "$G" --student "$ST" --decision withdrawn --signed-on 20.11.2026
	# "05.12…" would sort after "2026-…" as text
	portal-consent -q record --guardian "$G" --student "$ST" --decision given --signed-on 05.10.2026
	same "withdrawn,2026-11-20,1,paper" "$(st "$G" "$ST")"
	same "2026-10-05
2026-11-05
2026-11-20" "$(q "SELECT signed_on FROM consents ORDER BY signed_on")" "stored dates"
}

# ======================================================================
# record
# ======================================================================

@test "record without --student covers both children of a guardian; history shows both" {
	consent_school
	pick "$CLASS_A" mail 1
	pick "$CLASS_A" any 3
	OTHER=$ST
	pick "$CLASS_A" mail 1
	[ "$OTHER" != "$ST" ]
	link_also "$G" "$OTHER"
	run --separate-stderr portal-consent record --guardian "$G" --decision given --signed-on 2026-11-02 --form paper --doc "№ 17"
	status_is 0
	contains "2 decisions recorded" "$stderr"
	same 2 "$(consents)" "records"
	run --separate-stderr portal-consent history --guardian "$G"
	status_is 0
	same "$HISTORY_HEADER" "${lines[0]}" "header"
	same 3 "${#lines[@]}" "history lines"
	same "$(printf '%s\n' "$G,$ST,given,2026-11-02,paper,№ 17,2026-11-28T09:00:00Z,admin,0" \
		"$G,$OTHER,given,2026-11-02,paper,№ 17,2026-11-28T09:00:00Z,admin,0" | sort)" \
		"$(col guardian_id,student_id,decision,signed_on,form,doc_ref,recorded_at,recorded_by,invalidated <<<"$output" | sort)" \
		"history rows"
	same "given,2026-11-02,1,electronic" "$(st "$G" "$ST")" "first child"
	same "given,2026-11-02,1,electronic" "$(st "$G" "$OTHER")" "second child"
}

@test "record --student covers only that child" {
	consent_school
	pick "$CLASS_A" any 3
	OTHER=$ST
	pick "$CLASS_A" mail 1
	link_also "$G" "$OTHER"
	portal-consent -q record --guardian "$G" --student "$ST" --decision given --signed-on 2026-11-02
	same 1 "$(consents)" "records"
	same "given,2026-11-02,1,electronic" "$(st "$G" "$ST")" "named child"
	same "none,,1,paper" "$(st "$G" "$OTHER")" "other child"
}

@test "each record is audited with its actor, tool and the decision" {
	consent_school
	pick "$CLASS_A" mail 1
	before=$(audit_count)
	portal-consent -q record --guardian "$G" --student "$ST" --decision refused --signed-on 2026-11-02 --doc A-1
	same $((before + 1)) "$(audit_count)" "audit records"
	same "admin|portal-consent|consent:$G:$ST" "$(q 'SELECT actor, tool, object FROM audit ORDER BY seq DESC LIMIT 1')"
	contains '"refused"' "$(q 'SELECT detail FROM audit ORDER BY seq DESC LIMIT 1')"
	same "$(q 'SELECT max(seq) FROM audit')" "$(q 'SELECT audit_seq FROM consents')" "consents.audit_seq"
	run --separate-stderr portal-db check
	status_is 0
}

@test "record --dry-run writes nothing" {
	consent_school
	pick "$CLASS_A" mail 1
	before=$(db_digest)
	run --separate-stderr portal-consent record --dry-run --guardian "$G" --student "$ST" --decision given --signed-on 2026-11-02
	status_is 0
	contains "dry run" "$stderr"
	same "$before" "$(db_digest)" "store"
	same "none,,1,paper" "$(st "$G" "$ST")"
}

@test "Russian decision and form words are taken as the canonical ones" {
	consent_school
	pick "$CLASS_A" mail 1
	run --separate-stderr portal-consent record --guardian "$G" --student "$ST" --decision Согласие --signed-on 01.11.2026 --form бумажная
	status_is 0
	same "given|2026-11-01|paper" "$(q 'SELECT decision, signed_on, form FROM consents')"
}

# ---- bad input: refused clearly, nothing written ----

@test "record: decision maybe is refused (65), nothing written" {
	consent_school
	pick "$CLASS_A" mail 1
	before=$(db_digest)
	run --separate-stderr portal-consent record --guardian "$G" --student "$ST" --decision maybe --signed-on 2026-11-02
	status_is 65
	same "" "$output" "stdout"
	contains "portal-consent: " "$stderr"
	contains "--decision" "$stderr"
	contains '"maybe" is not a decision' "$stderr"
	contains "given, refused or withdrawn" "$stderr"
	same "$before" "$(db_digest)" "store"
}

@test "record: an unknown guardian is refused (65), nothing written" {
	consent_school
	before=$(db_digest)
	run --separate-stderr portal-consent record --guardian P99999 --decision given --signed-on 2026-11-02
	status_is 65
	contains "--guardian" "$stderr"
	contains "P99999" "$stderr"
	same "$before" "$(db_digest)" "store"
}

@test "record: a student who is not the guardian's child is refused (65), nothing written" {
	consent_school
	pick "$CLASS_A" mail 2
	OTHER=$ST
	pick "$CLASS_A" mail 1
	before=$(db_digest)
	run --separate-stderr portal-consent record --guardian "$G" --student "$OTHER" --decision given --signed-on 2026-11-02
	status_is 65
	contains "--student" "$stderr"
	contains "$OTHER is not a child of guardian $G" "$stderr"
	same "$before" "$(db_digest)" "store"
}

@test "record: a date in the future is refused (65), nothing written" {
	consent_school
	pick "$CLASS_A" mail 1
	before=$(db_digest)
	run --separate-stderr portal-consent record --guardian "$G" --student "$ST" --decision given --signed-on 2026-11-29
	status_is 65
	contains "--signed-on" "$stderr"
	contains "2026-11-29 is in the future" "$stderr"
	same "$before" "$(db_digest)" "store"
	run --separate-stderr portal-consent record --guardian "$G" --student "$ST" --decision given --signed-on 2027-01-01
	status_is 65
	same "$before" "$(db_digest)" "store"
}

@test "record: today is the school's date (Moscow), not the UTC one" {
	consent_school
	pick "$CLASS_A" mail 1
	# 23:30 in Moscow on the 28th: the 29th is tomorrow
	PORTAL_NOW=2026-11-28T20:30:00Z run --separate-stderr portal-consent record --guardian "$G" --student "$ST" --decision given --signed-on 2026-11-29
	status_is 65
	same 0 "$(consents)" "records"
	# 00:30 in Moscow on the 29th (still the 28th in UTC): today
	PORTAL_NOW=2026-11-28T21:30:00Z run --separate-stderr portal-consent record --guardian "$G" --student "$ST" --decision given --signed-on 2026-11-29
	status_is 0
	same 1 "$(consents)" "records"
}

@test "record: a bad date, a bad form are refused (65), nothing written" {
	consent_school
	pick "$CLASS_A" mail 1
	before=$(db_digest)
	run --separate-stderr portal-consent record --guardian "$G" --student "$ST" --decision given --signed-on 2026-02-30
	status_is 65
	contains "--signed-on" "$stderr"
	run --separate-stderr portal-consent record --guardian "$G" --student "$ST" --decision given --signed-on 2026-11-02 --form fax
	status_is 65
	contains "--form" "$stderr"
	same "$before" "$(db_digest)" "store"
}

@test "record: missing required options or an unknown option is a usage error (64)" {
	consent_school
	pick "$CLASS_A" mail 1
	before=$(db_digest)
	run --separate-stderr portal-consent record --guardian "$G" --signed-on 2026-11-02
	status_is 64
	run --separate-stderr portal-consent record --guardian "$G" --decision given
	status_is 64
	run --separate-stderr portal-consent record --decision given --signed-on 2026-11-02
	status_is 64
	run --separate-stderr portal-consent record --guardian "$G" --decision given --signed-on 2026-11-02 --colour red
	status_is 64
	run --separate-stderr portal-consent frobnicate
	status_is 64
	same "$before" "$(db_digest)" "store"
}

# ======================================================================
# import
# ======================================================================

@test "import: a UTF-8 file; status shows its decisions" {
	consent_school
	pick "$CLASS_A" mail 1
	G1=$G S1=$ST
	pick "$CLASS_A" mail 2
	G2=$G S2=$ST
	pick "$CLASS_B" nomail 1
	G3=$G S3=$ST
	printf '%s\n' guardian_id,student_id,decision,signed_on,form,doc_ref \
		"$G1,$S1,given,2026-11-02,paper,N-1" \
		"$G2,$S2,refused,2026-11-03,," \
		"$G3,,given,04.11.2026,electronic," >c.csv
	run --separate-stderr portal-consent import c.csv
	status_is 0
	contains "inserted 3" "$stderr"
	same "given,2026-11-02,1,electronic" "$(st "$G1" "$S1")" "G1"
	same "refused,2026-11-03,1,paper" "$(st "$G2" "$S2")" "G2"
	same "given,2026-11-04,0,paper" "$(st "$G3" "$S3")" "G3"
	same "$G1|$S1|given|2026-11-02|paper|N-1" "$(q "SELECT guardian_id, student_id, decision, signed_on, form, doc_ref FROM consents WHERE guardian_id = '$G1'")"
}

@test "import: cp1251, ';', CRLF, Russian headers and words" {
	consent_school
	pick "$CLASS_A" mail 1
	G1=$G S1=$ST
	pick "$CLASS_A" mail 2
	G2=$G S2=$ST
	pick "$CLASS_A" mail 3
	G3=$G S3=$ST
	printf '%s\n' "ид родителя;ид ученика;решение;дата подписания" \
		"$G1;$S1;согласие;01.11.2026" \
		"$G2;$S2;отказ;02.11.2026" \
		"$G3;$S3;дано;03.11.2026" | to_cp1251 | crlf >w.csv
	before=$(db_digest)
	run --separate-stderr portal-consent import w.csv
	status_is 65
	same "$before" "$(db_digest)" "store after reading cp1251 as UTF-8"
	run --separate-stderr portal-consent import --encoding cp1251 w.csv
	status_is 0
	contains "inserted 3" "$stderr"
	same "given,2026-11-01,1,electronic" "$(st "$G1" "$S1")" "согласие"
	same "refused,2026-11-02,1,paper" "$(st "$G2" "$S2")" "отказ"
	same "given,2026-11-03,1,electronic" "$(st "$G3" "$S3")" "дано"
}

@test "import: a withdrawal in Russian (отозвано) ends a consent" {
	consent_school
	pick "$CLASS_A" mail 1
	portal-consent -q record --guardian "$G" --student "$ST" --decision given --signed-on 2026-11-01
	printf '%s\n' "ид родителя;ид ученика;решение;дата подписания" "$G;$ST;отозвано;20.11.2026" | to_cp1251 >w.csv
	run --separate-stderr portal-consent import --encoding cp1251 w.csv
	status_is 0
	same "withdrawn,2026-11-20,1,paper" "$(st "$G" "$ST")"
}

@test "import: the same file twice adds nothing (inserted 0, no audit record, store unchanged)" {
	consent_school
	active_links "$CLASS_A" | head -n 5 | awk -F, 'BEGIN { print "guardian_id,student_id,decision,signed_on,doc_ref" }
		{ print $1 "," $2 ",given,2026-11-0" NR ",D" NR }' >c.csv
	run --separate-stderr portal-consent import c.csv
	status_is 0
	contains "inserted 5" "$stderr"
	n=$(consents)
	a=$(audit_count)
	before=$(db_digest)
	run --separate-stderr portal-consent import c.csv
	status_is 0
	contains "inserted 0" "$stderr"
	same "$n" "$(consents)" "records"
	same "$a" "$(audit_count)" "audit records"
	same "$before" "$(db_digest)" "store"
}

@test "import --dry-run: prints the changes, writes nothing" {
	consent_school
	pick "$CLASS_A" mail 1
	printf '%s\n' guardian_id,student_id,decision,signed_on,form "$G,$ST,given,2026-11-02,paper" >c.csv
	before=$(db_digest)
	run --separate-stderr portal-consent import --dry-run c.csv
	status_is 0
	same "op,kind,id,field,old,new" "${lines[0]}" "header"
	has_line "insert,consent,$G:$ST,decision,,given"
	has_line "insert,consent,$G:$ST,signed_on,,2026-11-02"
	has_line "insert,consent,$G:$ST,form,,paper"
	contains "dry run" "$stderr"
	contains "inserted 1" "$stderr"
	same "$before" "$(db_digest)" "store"
	same "none,,1,paper" "$(st "$G" "$ST")"
}

@test "import: bad rows named FILE:LINE: COLUMN, exit 65, the store unchanged" {
	consent_school
	pick "$CLASS_A" mail 1
	G1=$G S1=$ST
	pick "$CLASS_A" mail 2
	G2=$G S2=$ST
	printf '%s\n' guardian_id,student_id,decision,signed_on \
		"$G1,$S1,given,2026-11-02" \
		"$G2,$S2,maybe,2026-11-02" \
		"P99999,,given,2026-11-02" \
		"$G2,$S2,given,2026-12-02" \
		"$G2,$S1,given,2026-11-02" \
		"$G2,$S2,given,yesterday" >bad.csv
	before=$(db_digest)
	run --separate-stderr portal-consent import bad.csv
	status_is 65
	same "" "$output" "stdout"
	for want in "bad.csv:3: decision: " "bad.csv:4: guardian_id: " "bad.csv:5: signed_on: " \
		"bad.csv:6: student_id: " "bad.csv:7: signed_on: "; do
		grep -q "^$want" <<<"$stderr" || { printf 'no line starting %s\nstderr:\n%s\n' "$want" "$stderr"; false; }
	done
	lacks "bad.csv:2:" "$stderr"
	contains '"maybe"' "$stderr"
	contains "P99999" "$stderr"
	contains "in the future" "$stderr"
	contains "5 bad rows" "$stderr"
	same "$before" "$(db_digest)" "store"
	same "none,,1,paper" "$(st "$G1" "$S1")" "the good row is not written either"
}

@test "import --rejects: good rows applied, bad ones to FILE with an error column" {
	consent_school
	pick "$CLASS_A" mail 1
	G1=$G S1=$ST
	pick "$CLASS_A" mail 2
	G2=$G S2=$ST
	printf '%s\n' guardian_id,student_id,decision,signed_on,doc_ref \
		"$G1,$S1,given,2026-11-02,X" \
		"$G2,$S2,maybe,2026-11-02,Y" \
		"P99999,,given,2026-11-02,Z" >c.csv
	run --separate-stderr portal-consent import --rejects rj.csv c.csv
	status_is 0
	contains "applied 1, rejected 2" "$stderr"
	same "given,2026-11-02,1,electronic" "$(st "$G1" "$S1")" "good row"
	same "none,,1,paper" "$(st "$G2" "$S2")" "bad row"
	same 1 "$(consents)" "records"
	same "guardian_id,student_id,decision,signed_on,doc_ref,error" "$(head -n 1 rj.csv)" "rejects header"
	same 3 "$(wc -l <rj.csv)" "rejects lines"
	same "$G2,$S2,maybe,2026-11-02,Y" "$(col guardian_id,student_id,decision,signed_on,doc_ref guardian_id="$G2" <rj.csv)"
	contains "decision: " "$(col error guardian_id="$G2" <rj.csv)"
	contains "guardian_id: " "$(col error guardian_id=P99999 <rj.csv)"
	same "600" "$(file_mode rj.csv)" "rejects file mode"
}

@test "import: a missing required column is refused before any row (65)" {
	consent_school
	pick "$CLASS_A" mail 1
	printf '%s\n' guardian_id,student_id,signed_on "$G,$ST,2026-11-02" >c.csv
	before=$(db_digest)
	run --separate-stderr portal-consent import c.csv
	status_is 65
	contains "decision" "$stderr"
	same "$before" "$(db_digest)" "store"
}

@test "import: a missing file is 66" {
	consent_school
	run --separate-stderr portal-consent import no-such.csv
	status_is 66
}

# ======================================================================
# missing
# ======================================================================

@test "missing: lists exactly the links without a decision; --fail-if-any exits 1" {
	consent_school
	pick "$CLASS_A" mail 1
	portal-consent -q record --guardian "$G" --student "$ST" --decision refused --signed-on 2026-11-02
	run --separate-stderr portal-consent missing --all
	status_is 0
	same "$STATUS_HEADER" "${lines[0]}" "header"
	same "$(active_links | grep -vxF "$G,$ST")" "$(col guardian_id,student_id <<<"$output" | sort)" "links without a decision"
	same "none" "$(col decision <<<"$output" | sort -u)" "decisions listed"
	run --separate-stderr portal-consent missing --all --fail-if-any
	status_is 1
	same "$(active_links | wc -l)" "${#lines[@]}" "lines (header + all but one)"
}

@test "missing --fail-if-any: 0 when every active link has a decision (a student who left does not count)" {
	consent_school
	left=$(awk -F, 'FNR > 1 && $9 == "left" { print $1; exit }' "$S/students.csv")
	[ -n "$left" ] || skip "the synthetic school has no student who left"
	{
		echo guardian_id,student_id,decision,signed_on
		active_links | awk -F, '{ print $1 "," $2 "," (NR % 2 ? "given" : "refused") ",2026-11-02" }'
	} >all.csv
	portal-consent -q import all.csv
	run --separate-stderr portal-consent missing --all --fail-if-any
	status_is 0
	same "$STATUS_HEADER" "$output" "only the header"
	lacks ",$left," "$output"
}

@test "missing --class: only that class; --fail-if-any per class" {
	consent_school
	{
		echo guardian_id,student_id,decision,signed_on
		active_links "$CLASS_A" | awk -F, '{ print $1 "," $2 ",withdrawn,2026-11-02" }'
	} >a.csv
	portal-consent -q import a.csv
	run --separate-stderr portal-consent missing --class "$CLASS_A" --fail-if-any
	status_is 0
	run --separate-stderr portal-consent missing --class "$CLASS_B" --fail-if-any
	status_is 1
	same "$CLASS_B" "$(col class <<<"$output" | sort -u)" "classes listed"
	same "$(active_links "$CLASS_B")" "$(col guardian_id,student_id <<<"$output" | sort)" "links of $CLASS_B"
	run --separate-stderr portal-consent missing --all --fail-if-any
	status_is 1
}

# ======================================================================
# history
# ======================================================================

@test "history: every record of the guardian, in order, with who and when" {
	consent_school
	pick "$CLASS_A" mail 1
	PORTAL_NOW=2026-11-03T09:00:00Z portal-consent -q record --guardian "$G" --student "$ST" --decision given --signed-on 2026-11-02 --form paper --doc "Заявление 5"
	PORTAL_NOW=2026-11-21T09:00:00Z portal-consent -q record --guardian "$G" --student "$ST" --decision withdrawn --signed-on 2026-11-20
	portal-consent -q record --guardian "$G" --student "$ST" --decision given --signed-on 2026-11-10
	run --separate-stderr portal-consent history --guardian "$G"
	status_is 0
	same "$HISTORY_HEADER" "${lines[0]}" "header"
	same 4 "${#lines[@]}" "lines"
	same "$G,$ST,given,2026-11-02,paper,Заявление 5,2026-11-03T09:00:00Z,admin,0
$G,$ST,given,2026-11-10,,,2026-11-28T09:00:00Z,admin,0
$G,$ST,withdrawn,2026-11-20,,,2026-11-21T09:00:00Z,admin,0" \
		"$(col guardian_id,student_id,decision,signed_on,form,doc_ref,recorded_at,recorded_by,invalidated <<<"$output" | sort -t, -k4,4)" \
		"history rows"
}

@test "history: an unknown guardian is 65; --guardian missing is 64" {
	consent_school
	run --separate-stderr portal-consent history --guardian P99999
	status_is 65
	contains "P99999" "$stderr"
	on_tty portal-consent history
	status_is 64
	# no terminal, no ids (cron's standard input): nobody's history
	run --separate-stderr portal-consent history </dev/null
	status_is 0
	same "consent_id,guardian_id,student_id,decision,signed_on,form,doc_ref,recorded_at,recorded_by,invalidated" "$output" "the header only"
}

# ======================================================================
# roles
# ======================================================================

@test "class leader: status without --class shows only the class they lead" {
	consent_school
	run --separate-stderr env PORTAL_ACTOR=t003 portal-consent status --all
	status_is 0
	same "$STATUS_HEADER" "${lines[0]}" "header"
	same "$CLASS_A" "$(col class <<<"$output" | sort -u)" "classes shown"
	same "$(active_links "$CLASS_A")" "$(col guardian_id,student_id <<<"$output" | sort)" "links shown"
	run --separate-stderr env PORTAL_ACTOR=t003 portal-consent missing --all
	status_is 0
	same "$CLASS_A" "$(col class <<<"$output" | sort -u)" "classes in missing"
}

@test "class leader: status --class and --student of another class are 77" {
	consent_school
	pick "$CLASS_B" any 1
	run --separate-stderr env PORTAL_ACTOR=t003 portal-consent status --class "$CLASS_B"
	status_is 77
	lacks "$G," "$output"
	run --separate-stderr env PORTAL_ACTOR=t003 portal-consent status --student "$ST"
	status_is 77
	lacks "$G," "$output"
	run --separate-stderr env PORTAL_ACTOR=t003 portal-consent missing --class "$CLASS_B"
	status_is 77
	lacks "$G," "$output"
	run --separate-stderr env PORTAL_ACTOR=t003 portal-consent history --guardian "$G"
	status_is 77
	lacks "$G," "$output"
	run --separate-stderr env PORTAL_ACTOR=t003 portal-consent status --class "$CLASS_A"
	status_is 0
}

@test "class leader: records for their class; a child of another class is 77 and nothing written" {
	consent_school
	pick "$CLASS_B" mail 1
	GB=$G SB=$ST
	pick "$CLASS_A" mail 1
	before=$(db_digest)
	run --separate-stderr env PORTAL_ACTOR=t003 portal-consent record --guardian "$GB" --student "$SB" --decision given --signed-on 2026-11-02
	status_is 77
	contains "not permitted" "$stderr"
	run --separate-stderr env PORTAL_ACTOR=t003 portal-consent record --guardian "$GB" --decision given --signed-on 2026-11-02
	status_is 77
	printf '%s\n' guardian_id,student_id,decision,signed_on "$GB,$SB,given,2026-11-02" >b.csv
	run --separate-stderr env PORTAL_ACTOR=t003 portal-consent import b.csv
	status_is 77
	same "$before" "$(db_digest)" "store"

	run --separate-stderr env PORTAL_ACTOR=t003 portal-consent record --guardian "$G" --student "$ST" --decision given --signed-on 2026-11-02
	status_is 0
	same "given,2026-11-02,1,electronic" "$(st "$G" "$ST")"
	run --separate-stderr env PORTAL_ACTOR=t003 portal-consent history --guardian "$G"
	status_is 0
	same t003 "$(col recorded_by <<<"$output")" "recorded_by"
}

@test "class leader: a guardian with children in both classes, record without --student is 77 and writes nothing" {
	consent_school
	pick "$CLASS_B" any 1
	SB=$ST
	pick "$CLASS_A" mail 1
	link_also "$G" "$SB"
	before=$(db_digest)
	run --separate-stderr env PORTAL_ACTOR=t003 portal-consent record --guardian "$G" --decision given --signed-on 2026-11-02
	status_is 77
	same "$before" "$(db_digest)" "store"
	same 0 "$(consents)" "records"
	# for the child in their class only, they may
	run --separate-stderr env PORTAL_ACTOR=t003 portal-consent record --guardian "$G" --student "$ST" --decision given --signed-on 2026-11-02
	status_is 0
	same "$G|$ST" "$(q 'SELECT guardian_id, student_id FROM consents')"
}

@test "deputy: reads status of all classes, may not record (77)" {
	consent_school
	pick "$CLASS_A" mail 1
	run --separate-stderr env PORTAL_ACTOR=deputy portal-consent status --all
	status_is 0
	same "$(active_links)" "$(col guardian_id,student_id <<<"$output" | sort)" "links shown"
	before=$(db_digest)
	run --separate-stderr env PORTAL_ACTOR=deputy portal-consent record --guardian "$G" --student "$ST" --decision given --signed-on 2026-11-02
	status_is 77
	same "$before" "$(db_digest)" "store"
}

# ======================================================================
# a leaked login
# ======================================================================

@test "breach: a consent recorded by the leaked login after the report is invalidated in history and stops counting" {
	consent_school
	pick "$CLASS_A" mail 1
	G1=$G S1=$ST
	pick "$CLASS_A" mail 2
	G2=$G S2=$ST
	pick "$CLASS_A" mail 3
	G3=$G S3=$ST
	# G3: given by the admin, long ago
	PORTAL_NOW=2026-11-02T09:00:00Z portal-consent -q record --guardian "$G3" --student "$S3" --decision given --signed-on 2026-11-02
	# 11:00 in Moscow, before the report: stands
	PORTAL_NOW=2026-11-27T08:00:00Z PORTAL_ACTOR=t003 portal-consent -q record --guardian "$G1" --student "$S1" --decision given --signed-on 2026-11-26
	# 13:00 in Moscow, after the report at 12:00: invalid
	PORTAL_NOW=2026-11-27T10:00:00Z PORTAL_ACTOR=t003 portal-consent -q record --guardian "$G2" --student "$S2" --decision given --signed-on 2026-11-26
	PORTAL_NOW=2026-11-27T10:05:00Z PORTAL_ACTOR=t003 portal-consent -q record --guardian "$G3" --student "$S3" --decision withdrawn --signed-on 2026-11-27
	same "given,2026-11-26,1,electronic" "$(st "$G2" "$S2")" "G2 before the breach"
	same "withdrawn,2026-11-27,1,paper" "$(st "$G3" "$S3")" "G3 before the breach"

	PORTAL_NOW=2026-11-27T14:00:00Z run --separate-stderr portal-accounts breach t003 \
		--discovered-at "2026-11-27 10:00" --reported-at "2026-11-27 12:00"
	status_is 0

	run --separate-stderr portal-consent history --guardian "$G2"
	status_is 0
	same "given,2026-11-26,t003,1" "$(col decision,signed_on,recorded_by,invalidated <<<"$output")" "G2 history"
	run --separate-stderr portal-consent history --guardian "$G1"
	same "given,2026-11-26,t003,0" "$(col decision,signed_on,recorded_by,invalidated <<<"$output")" "G1 history"
	run --separate-stderr portal-consent history --guardian "$G3"
	same "given,2026-11-02,admin,0
withdrawn,2026-11-27,t003,1" "$(col decision,signed_on,recorded_by,invalidated <<<"$output")" "G3 history"

	same "none,,1,paper" "$(st "$G2" "$S2")" "G2 after the breach"
	same "given,2026-11-26,1,electronic" "$(st "$G1" "$S1")" "G1 after the breach"
	same "given,2026-11-02,1,electronic" "$(st "$G3" "$S3")" "G3: the invalid withdrawal does not count"
	run --separate-stderr portal-consent missing --class "$CLASS_A"
	has_line "$(portal-consent status --student "$S2" | grep "^$G2,$S2,")"
	lacks "$G1,$S1," "$output"

	# the invalidated record is still there, unchanged
	same 4 "$(consents)" "records"
	run --separate-stderr portal-db check
	status_is 0

	# the leaked login may do nothing more
	run --separate-stderr env PORTAL_ACTOR=t003 portal-consent record --guardian "$G2" --student "$S2" --decision given --signed-on 2026-11-26
	status_is 77
	same 4 "$(consents)" "records after the refusal"

	# the admin records the same paper again: it counts
	run --separate-stderr portal-consent record --guardian "$G2" --student "$S2" --decision given --signed-on 2026-11-26
	status_is 0
	contains "1 decision recorded" "$stderr"
	same "given,2026-11-26,1,electronic" "$(st "$G2" "$S2")" "G2 recorded again"
}

# ======================================================================
# append-only store
# ======================================================================

@test "the store refuses UPDATE and DELETE of consents; the row stays" {
	consent_school
	pick "$CLASS_A" mail 1
	portal-consent -q record --guardian "$G" --student "$ST" --decision given --signed-on 2026-11-02
	row=$(q 'SELECT * FROM consents')
	run sqlite3 "$PORTAL_DB" "UPDATE consents SET decision = 'refused'"
	[ "$status" -ne 0 ] || { echo "UPDATE succeeded"; false; }
	contains "append-only"
	run sqlite3 "$PORTAL_DB" "DELETE FROM consents"
	[ "$status" -ne 0 ] || { echo "DELETE succeeded"; false; }
	contains "append-only"
	same "$row" "$(q 'SELECT * FROM consents')" "the row"
	same "given,2026-11-02,1,electronic" "$(st "$G" "$ST")"
}

@test "on PostgreSQL the store refuses TRUNCATE of consents, which deletes without DELETE's triggers; the row stays" {
	pg_only "TRUNCATE is PostgreSQL's (SQLite's DELETE without WHERE runs the DELETE guard)"
	consent_school
	pick "$CLASS_A" mail 1
	portal-consent -q record --guardian "$G" --student "$ST" --decision given --signed-on 2026-11-02
	row=$(q 'SELECT * FROM consents')
	# restrict_violation (23001), which the toolkit reports as 65, as SQLite's RAISE (ABORT)
	run env PGOPTIONS="-csearch_path=$(pg_school)" psql -XAtq -v VERBOSITY=verbose -c "TRUNCATE consents"
	[ "$status" -ne 0 ] || { echo "TRUNCATE succeeded"; false; }
	contains "23001: consents are append-only: record a new decision"
	same "$row" "$(q 'SELECT * FROM consents')" "the row"
}

@test "the store refuses INSERT OR REPLACE over a consent (a delete in disguise); the row stays" {
	consent_school
	pick "$CLASS_A" mail 1
	portal-consent -q record --guardian "$G" --student "$ST" --decision given --signed-on 2026-11-02
	row=$(q 'SELECT * FROM consents')
	run sqlite3 "$PORTAL_DB" "INSERT OR REPLACE INTO consents SELECT consent_id, guardian_id, student_id, 'refused', signed_on, form, doc_ref, recorded_at, audit_seq FROM consents"
	[ "$status" -ne 0 ] || { echo "INSERT OR REPLACE succeeded"; false; }
	same "$row" "$(q 'SELECT * FROM consents')" "the row"
	same "given,2026-11-02,1,electronic" "$(st "$G" "$ST")"
}

@test "record: given, withdrawn, given again on one day: the last one recorded stands" {
	consent_school
	pick "$CLASS_A" mail 1
	portal-consent record -q --guardian "$G" --student "$ST" --decision given --signed-on 2026-11-02
	PORTAL_NOW=2026-11-28T10:00:00Z portal-consent record -q --guardian "$G" --student "$ST" --decision withdrawn --signed-on 2026-11-02
	PORTAL_NOW=2026-11-28T11:00:00Z portal-consent record -q --guardian "$G" --student "$ST" --decision given --signed-on 2026-11-02
	run portal-consent status --student "$ST"
	same "$(col decision,channel guardian_id="$G" <<<"$output")" "given,electronic"
	run portal-consent history --guardian "$G"
	same "$(col decision student_id="$ST" <<<"$output" | tr '\n' ' ')" "given withdrawn given "
	# the same again adds nothing now
	run --separate-stderr portal-consent record --guardian "$G" --student "$ST" --decision given --signed-on 2026-11-02
	contains "0 decisions recorded" "$stderr"
}

@test "status and missing take the people piped in (the pipe contract)" {
	consent_school
	pick "$CLASS_A" mail 1
	portal-consent record -q --guardian "$G" --student "$ST" --decision given --signed-on 2026-11-02
	run bash -c "portal-accounts list students --class '$CLASS_A' | awk -F, 'NR == 1 || \$1 == \"$ST\"' | portal-consent status -"
	status_is 0
	same "$(col student_id <<<"$output" | sort -u)" "$ST"
	same "$(col decision,channel guardian_id="$G" <<<"$output")" "given,electronic"
	# only those piped in count for --fail-if-any
	run bash -c "printf 'guardian_id\n$G\n' | portal-consent missing --fail-if-any -"
	status_is 0
	run bash -c "printf 'x,y\n1,2\n' | portal-consent status -"
	status_is 65
	contains "no student_id or guardian_id column" "$output"
}

@test "history: a class leader sees only the children of the classes they lead" {
	consent_school
	pick "$CLASS_A" mail 1
	SA=$ST
	SB=$(awk -F, -v c="$CLASS_B" '$6 == c && $9 == "active" { print $1; exit }' "$S/students.csv")
	# the guardian of a child in CLASS_A takes on a child in CLASS_B too
	{ head -1 "$S/guardians.csv"; awk -F, -v g="$G" -v s="$SB" 'BEGIN { OFS = "," } $1 == g { $2 = s; print; exit }' \
		"$S/guardians.csv"; } > more.csv
	portal-accounts import guardians -q more.csv
	portal-consent record -q --guardian "$G" --decision given --signed-on 2026-11-02
	run portal-consent history --guardian "$G"
	same "$(col student_id <<<"$output" | sort | tr '\n' ' ')" "$(printf '%s\n' "$SA" "$SB" | sort | tr '\n' ' ')"
	run env PORTAL_ACTOR=t003 portal-consent history --guardian "$G"
	status_is 0
	same "$(col student_id <<<"$output")" "$SA"
	run env PORTAL_ACTOR=t004 portal-consent history --guardian "$G"
	status_is 0
	same "$(col student_id <<<"$output")" "$SB"
}
