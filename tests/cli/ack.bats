#!/usr/bin/env bats
# portal-ack: parents' acknowledgements of the extracts. record, scan, import,
# pending, status (SPEC §2, §3, §4 "acks" and the portal-ack part of §5).
#
# The clock is fixed at 2026-11-28T09:00:00Z (12:00 in Moscow) by helpers'
# setup. The school is a small synthetic one (30 students, seed 7): the class
# led by t003 (CLASS_A) and the one led by t004 (CLASS_B), found in staff.csv.
# setup_file loads the synthetic journal and makes the extracts of
# "2 четверть" for both classes once, on 2026-11-20 (one guardian of CLASS_A
# has consented, so one of them is an e-mail); each test starts from a copy of
# that store. Codes are random: they are taken from the manifests, never
# hard-coded. All people are made up.

bats_require_minimum_version 1.5.0
load helpers


PENDING_HEADER=extract_id,student_id,guardian_id,class,channel,issued_on,days_waiting
STATUS_HEADER=class,extracts,acknowledged,pending,acknowledged_pct
ISSUED=2026-11-20

setup_file() {
	local dir=$BATS_FILE_TMPDIR/school k a b g
	mkdir -p "$dir" || return 1
	export PORTAL_DB="$(store_at "$dir/p.db")" PORTAL_ACTOR=admin PORTAL_NOW=2026-11-28T09:00:00Z LC_ALL=C.UTF-8
	(
		cd "$dir" || exit 1
		new_store || exit 1
		"$SYNTH" --students 30 --seed 7 --journal --out s || exit 1
		for k in staff students guardians; do
			portal-accounts -q import "$k" "s/$k.csv" || exit 1
		done
		portal-accounts -q groups import s/groups.csv || exit 1
		portal-journal -q periods import s/periods.csv || exit 1
		# the extracts have content: marks, absences, tests, …
		for k in schedule lessons changes tests holidays marks attendance recommendations finals; do
			portal-journal -q import "$k" "s/$k.csv" || { echo "setup_file: import $k failed" >&2; exit 1; }
		done
		a=$(awk -F, '$6 == "t003" { print $10 }' s/staff.csv)
		b=$(awk -F, '$6 == "t004" { print $10 }' s/staff.csv)
		[ -n "$a" ] && [ -n "$b" ] && [ "$a" != "$b" ] || { echo "setup_file: no classes led by t003 and t004" >&2; exit 1; }
		# a guardian of CLASS_A with an e-mail address consents: an e-mail extract
		g=$(awk -F, -v c="$a" 'FILENAME ~ /students/ { if ($6 == c && $9 == "active") in_a[$1] = 1; next }
			FNR > 1 && ($2 in in_a) && $7 != "" { print $1 "," $2; exit }' s/students.csv s/guardians.csv)
		[ -n "$g" ] || { echo "setup_file: no guardian with e-mail in $a" >&2; exit 1; }
		PORTAL_NOW=2026-11-02T09:00:00Z portal-consent -q record --guardian "${g%,*}" --student "${g#*,}" \
			--decision given --signed-on 2026-11-02 || exit 1
		PORTAL_NOW=${ISSUED}T09:00:00Z portal-extract -q --class "$a" --period "2 четверть" -o xa/ >ma.csv || exit 1
		PORTAL_NOW=${ISSUED}T09:05:00Z portal-extract -q --class "$b" --period "2 четверть" -o xb/ >mb.csv || exit 1
		checkpoint
	)
}

# ackschool: this test's copy of the store with its extracts; sets S, CLASS_A,
# CLASS_B, MA and MB (the manifests of CLASS_A and CLASS_B).
ackschool() {
	local dir=$BATS_FILE_TMPDIR/school
	store_cp "$(store_at "$dir/p.db")" "$PORTAL_DB" || return 1
	cp -r "$dir/s" "$dir/ma.csv" "$dir/mb.csv" . || return 1
	S=$BATS_TEST_TMPDIR/s
	MA=$BATS_TEST_TMPDIR/ma.csv
	MB=$BATS_TEST_TMPDIR/mb.csv
	CLASS_A=$(awk -F, '$6 == "t003" { print $10 }' "$S/staff.csv")
	CLASS_B=$(awk -F, '$6 == "t004" { print $10 }' "$S/staff.csv")
	# a sanity check of the fixture: several extracts in each class, one e-mail
	[ "$(mf "$MA" extract_id | wc -l)" -ge 8 ] && [ "$(mf "$MB" extract_id | wc -l)" -ge 8 ] || {
		echo "ackschool: too few extracts" >&2
		return 1
	}
	[ "$(mf "$MA" code channel=email | wc -l)" -eq 1 ] || { echo "ackschool: no e-mail extract" >&2; return 1; }
}

# mf MANIFEST NAME[,NAME…] [COLUMN=VALUE]: like col, for a manifest (its
# fields hold no commas or quotes; awk is quicker than Python).
mf() {
	awk -F, -v names="$2" -v cond="${3-}" '
		NR == 1 { for (i = 1; i <= NF; i++) ix[$i] = i
			n = split(names, nm, ",")
			for (i = 1; i <= n; i++) if (!(nm[i] in ix)) { print "mf: no column " nm[i]; exit 1 }
			if (cond != "") { split(cond, cv, "="); if (!(cv[1] in ix)) { print "mf: no column " cv[1]; exit 1 } }
			next }
		cond == "" || $ix[cv[1]] == cv[2] {
			line = $ix[nm[1]]; for (i = 2; i <= n; i++) line = line "," $ix[nm[i]]; print line }' "$1"
}

# code MANIFEST N: the code of the Nth paper extract of a manifest.
code() {
	mf "$1" code channel=paper | sed -n "${2}p"
}

# xid CODE: the extract_id of a code (from the store).
xid() {
	q "SELECT extract_id FROM extracts WHERE code = '$1'"
}

# typed CODE: the code as a person types it: lower case, a dash in the middle.
typed() {
	printf '%s-%s\n' "${1:0:5}" "${1:5}" | tr 'A-Z' 'a-z'
}

# with_digit D [NOT…]: the first code of either class that contains the digit
# D and is none of NOT.
with_digit() {
	local d=$1 c n
	shift
	for c in $(mf "$MA" code; mf "$MB" code); do
		[[ $c == *"$d"* ]] || continue
		for n in "$@"; do [ "$c" != "$n" ] || continue 2; done
		echo "$c"
		return 0
	done
}

# stranger STUDENT: a guardian (in guardians.csv) who is not STUDENT's.
stranger() {
	awk -F, -v s="$1" 'FNR > 1 { if ($2 == s) mine[$1] = 1; else if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } }
		END { for (i = 1; i <= n; i++) if (!(order[i] in mine)) { print order[i]; exit } }' "$S/guardians.csv"
}

# acked: the extract_ids with an acknowledgement that counts, sorted.
acked() {
	q "SELECT DISTINCT extract_id FROM acks a WHERE NOT EXISTS (SELECT 1 FROM audit_invalid ai WHERE ai.seq = a.audit_seq) ORDER BY 1"
}

acks() {
	q 'SELECT count(*) FROM acks'
}

# all_ids [MANIFEST…]: every extract_id of the manifests (both by default), sorted.
all_ids() {
	local m
	[ $# -gt 0 ] || set -- "$MA" "$MB"
	for m in "$@"; do
		mf "$m" extract_id
	done | sort
}

# pending_ids [ARGS…]: the extract_ids portal-ack pending lists (of everybody unless ARGS give
# --class), sorted.
pending_ids() {
	local all=--all
	[[ " $* " == *" --class "* ]] && all=
	portal-ack pending $all "$@" | col extract_id | sort
}

# wait_lines FILE N: waits (up to 10 s) until FILE has at least N lines.
wait_lines() {
	local i
	for i in $(seq 1 200); do
		[ -e "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ] && return 0
		sleep 0.05
	done
	printf 'wait_lines: %s has not got %s lines:\n' "$1" "$2"
	cat "$1"
	return 1
}

# hold_lock SECONDS: holds the store's write lock in the background for
# SECONDS; returns once the lock is taken. The holder's pid is in $holder.
hold_lock() {
	rm -f locked
	printf 'BEGIN IMMEDIATE;\n.shell touch locked; sleep %s\nCOMMIT;\n' "$1" | sqlite3 "$PORTAL_DB" >/dev/null 2>&1 3>&- &
	holder=$!
	for _ in $(seq 1 100); do
		[ -e locked ] && return 0
		sleep 0.05
	done
	echo "hold_lock: the lock was not taken" >&2
	return 1
}

teardown() {
	# a scan session or lock holder started by a test (only those pids)
	local p
	for p in ${SCAN_PID-} ${holder-}; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
}

# every_ack_audited: each acknowledgement has its audit record (ack:CODE, by portal-ack).
every_ack_audited() {
	same 0 "$(q "SELECT count(*) FROM acks a JOIN extracts x ON x.extract_id = a.extract_id
		LEFT JOIN audit au ON au.seq = a.audit_seq AND au.object = 'ack:' || x.code AND au.tool = 'portal-ack'
		WHERE au.seq IS NULL")" "acknowledgements without their audit record"
}

# ======================================================================
# scan: every line answered, in order; the session goes on
# ======================================================================

@test "scan: typed lower case with a dash ok, again already, unknown, garbage invalid, empty lines skipped; exit 65" {
	ackschool
	C1=$(code "$MA" 1)
	C2=$(code "$MA" 2)
	long=$(printf 'A%.0s' $(seq 1 40))
	# Ж is two bytes: "Ж" and 8 letters are 10 bytes, still no code
	run --separate-stderr portal-ack scan < <(printf '%s\n' "$(typed "$C1")" "$(typed "$C1")" "" "ABCDE-FGHJK" \
		"xyz" "12345" "$long" "   " "Привет" "Ж${C2:2}" "-----" "$C2")
	status_is 65
	same "code,result
$(typed "$C1"),ok
$(typed "$C1"),already
ABCDE-FGHJK,unknown
xyz,invalid
12345,invalid
$long,invalid
Привет,invalid
Ж${C2:2},invalid
-----,invalid
$C2,ok" "$output" "the answers, one per non-empty line, in order"
	contains "unknown or invalid" "$stderr"
	same "$(printf '%s\n' "$(xid "$C1")" "$(xid "$C2")" | sort -n)" "$(acked)" "registered"
	same 2 "$(acks)" "acknowledgement records"
	same "2026-11-28" "$(q "SELECT acknowledged_on FROM acks WHERE extract_id = $(xid "$C1")")" "acknowledged today by default"
	same paper "$(q "SELECT channel FROM acks WHERE extract_id = $(xid "$C1")")" "the extract's channel by default"
	every_ack_audited
}

@test "scan: only good codes: exit 0; an already-acknowledged code alone is not an error" {
	ackschool
	C1=$(code "$MA" 1)
	C2=$(code "$MB" 1)
	run --separate-stderr portal-ack scan <<<"$C1
$C2"
	status_is 0
	same "code,result
$C1,ok
$C2,ok" "$output"
	run --separate-stderr portal-ack scan <<<"$C1"
	status_is 0
	same "code,result
$C1,already" "$output"
	same 2 "$(acks)" "records"
}

@test "scan: an empty session prints the header only and exits 0" {
	ackschool
	before=$(db_digest)
	run --separate-stderr portal-ack scan < <(printf '\n\n  \n')
	status_is 0
	same "code,result" "$output"
	same "$before" "$(db_digest)" "store"
}

@test "scan: I and L are read as 1, O as 0, in either case" {
	ackschool
	D1=$(with_digit 1)
	D2=$(with_digit 1 "$D1")
	D3=$(with_digit 1 "$D1" "$D2")
	D0=$(with_digit 0 "$D1" "$D2" "$D3")
	[ -n "$D1" ] && [ -n "$D2" ] && [ -n "$D3" ] && [ -n "$D0" ] || skip "the random codes hold too few 1s and 0s"
	t1=$(tr 10 IO <<<"$D1")                  # I and O
	t2=$(tr 10 lo <<<"$D2" | tr 'A-Z' 'a-z') # l and o, all in lower case
	t3=$(tr 1 L <<<"$D3")                    # L
	t0=$(tr 0 O <<<"$D0")                    # O
	[ "$t1" != "$D1" ] && [ "$t2" != "$D2" ] && [ "$t3" != "$D3" ] && [ "$t0" != "$D0" ]
	run --separate-stderr portal-ack scan <<<"$t1
$t2
$t3
$t0"
	status_is 0
	same "code,result
$t1,ok
$t2,ok
$t3,ok
$t0,ok" "$output"
	same "$(printf '%s\n' "$(xid "$D1")" "$(xid "$D2")" "$(xid "$D3")" "$(xid "$D0")" | sort -n)" "$(acked)" "registered"
	# the same extracts typed the canonical way are already acknowledged
	run --separate-stderr portal-ack scan <<<"$D1
$D3
$D0"
	status_is 0
	same "code,result
$D1,already
$D3,already
$D0,already" "$output"
}

@test "scan: spaces, tabs and hyphens inside a code are ignored; CRLF line ends too" {
	ackschool
	C1=$(code "$MA" 1)
	C2=$(code "$MA" 2)
	C3=$(code "$MA" 3)
	run --separate-stderr portal-ack scan < <(printf '%s\n' "  ${C1:0:2} ${C1:2:3}  ${C1:5} " \
		"${C2:0:3}-${C2:3:3}-${C2:6}" "$(printf '%s\t%s' "${C3:0:5}" "${C3:5}")" | crlf)
	status_is 0
	same 3 "$((${#lines[@]} - 1))" "answers"
	same "ok
ok
ok" "$(col result <<<"$output")" "results"
	same "$(printf '%s\n' "$(xid "$C1")" "$(xid "$C2")" "$(xid "$C3")" | sort -n)" "$(acked)" "registered"
	lacks $'\r' "$output"
}

@test "scan: a code with a U, a 9-character code and a 11-character one are invalid" {
	ackschool
	C1=$(code "$MA" 1)
	before=$(db_digest)
	run --separate-stderr portal-ack scan <<<"U${C1:1}
${C1:0:9}
${C1}0"
	status_is 65
	same "code,result
U${C1:1},invalid
${C1:0:9},invalid
${C1}0,invalid" "$output"
	same "$before" "$(db_digest)" "store"
}

@test "scan: a line with commas and quotes is answered in quoted CSV; a 100 kB line does not stop the session" {
	ackschool
	C1=$(code "$MA" 1)
	huge=$(head -c 100000 /dev/zero | tr '\0' 'Q')
	run --separate-stderr portal-ack scan < <(printf '%s\n' 'a,b"c' "$huge" "$C1")
	status_is 65
	same 'code,result' "${lines[0]}" "header"
	same '"a,b""c",invalid' "${lines[1]}" "quoted"
	same "$huge,invalid" "${lines[2]}" "the long line"
	same "$C1,ok" "${lines[3]}" "the session went on"
	same "$(xid "$C1")" "$(acked)" "registered"
}

@test "scan: each answer is printed before the next code is read" {
	ackschool
	C1=$(code "$MA" 1)
	mkfifo in.fifo
	portal-ack scan <in.fifo >scan.out 2>scan.err 3>&- &
	SCAN_PID=$!
	exec 7>in.fifo
	printf '%s\n' "$(typed "$C1")" >&7
	wait_lines scan.out 2
	same "$(typed "$C1"),ok" "$(sed -n 2p scan.out)" "the first answer, with the session still open"
	printf 'xyz\n' >&7
	wait_lines scan.out 3
	same "xyz,invalid" "$(sed -n 3p scan.out)" "the second answer"
	exec 7>&-
	wait "$SCAN_PID" && rc=0 || rc=$?
	SCAN_PID=
	same 65 "$rc" "exit status"
}

# ======================================================================
# scan: one transaction per code
# ======================================================================

@test "scan: a session killed after two answers keeps both acknowledgements" {
	ackschool
	C1=$(code "$MA" 1)
	C2=$(code "$MB" 1)
	mkfifo in.fifo
	portal-ack scan <in.fifo >scan.out 2>scan.err 3>&- &
	SCAN_PID=$!
	exec 7>in.fifo
	printf '%s\n' "$C1" >&7
	wait_lines scan.out 2
	printf '%s\n' "$C2" >&7
	wait_lines scan.out 3
	kill -9 "$SCAN_PID"
	wait "$SCAN_PID" || true
	SCAN_PID=
	exec 7>&-
	same "code,result
$C1,ok
$C2,ok" "$(cat scan.out)" "answers"
	same "$(printf '%s\n' "$(xid "$C1")" "$(xid "$C2")" | sort -n)" "$(acked)" "registered after the kill"
	every_ack_audited
	run --separate-stderr portal-db check
	status_is 0
}

@test "scan: a write by another command between two codes does not break the session" {
	ackschool
	C1=$(code "$MA" 1)
	C2=$(code "$MA" 2)
	mkfifo in.fifo
	portal-ack scan <in.fifo >scan.out 2>scan.err 3>&- &
	SCAN_PID=$!
	exec 7>in.fifo
	printf '%s\n' "$C1" >&7
	wait_lines scan.out 2
	# the audit chain grows under the open session
	portal-db -q config school.name "Школа № 2"
	printf '%s\n' "$C2" >&7
	wait_lines scan.out 3
	exec 7>&-
	wait "$SCAN_PID"
	SCAN_PID=
	same "$C2,ok" "$(sed -n 3p scan.out)" "the code after the other write"
	every_ack_audited
	run --separate-stderr portal-db check
	status_is 0
}

@test "scan: the store busy past the timeout stops the session (75); the codes before stay registered" {
	ackschool
	C1=$(code "$MA" 1)
	C2=$(code "$MA" 2)
	mkfifo in.fifo
	PORTAL_BUSY_TIMEOUT=300 portal-ack scan <in.fifo >scan.out 2>scan.err 3>&- &
	SCAN_PID=$!
	exec 7>in.fifo
	printf '%s\n' "$C1" >&7
	wait_lines scan.out 2
	hold_lock 3
	printf '%s\n' "$C2" >&7
	exec 7>&-
	wait "$SCAN_PID" && rc=0 || rc=$?
	SCAN_PID=
	wait "$holder"
	holder=
	same 75 "$rc" "exit status"
	contains "busy" "$(cat scan.err)"
	same "code,result
$C1,ok" "$(cat scan.out)" "answers"
	same "$(xid "$C1")" "$(acked)" "registered"
	run --separate-stderr portal-db check
	status_is 0
}

@test "scan by a class leader: another class's code is refused on stderr, the session goes on, the others stay (77)" {
	ackschool
	A1=$(code "$MA" 1)
	A2=$(code "$MA" 2)
	B1=$(code "$MB" 1)
	run --separate-stderr env PORTAL_ACTOR=t003 portal-ack scan <<<"$A1
$B1
$(typed "$A2")
xyz"
	status_is 77
	same "code,result
$A1,ok
$(typed "$A2"),ok
xyz,invalid" "$output" "answers"
	contains "$B1" "$stderr"
	contains "not permitted" "$stderr"
	same "$(printf '%s\n' "$(xid "$A1")" "$(xid "$A2")" | sort -n)" "$(acked)" "registered"
	same t003 "$(q "SELECT DISTINCT actor FROM audit WHERE object LIKE 'ack:%'")" "the actor in the audit log"
	# the admin registers the other class's one
	run --separate-stderr portal-ack scan <<<"$B1"
	status_is 0
	same "$B1,ok" "${lines[1]}"
}

@test "scan --on and --channel apply to every code of the session" {
	ackschool
	C1=$(code "$MA" 1)
	C2=$(code "$MA" 2)
	run --separate-stderr portal-ack scan --on 25.11.2026 --channel web <<<"$C1
$C2"
	status_is 0
	same "2026-11-25|web
2026-11-25|web" "$(q "SELECT acknowledged_on || '|' || channel FROM acks ORDER BY ack_id")"
}

@test "scan --on a future date: exit 65 (bad data, not 77), nothing registered" {
	ackschool
	C1=$(code "$MA" 1)
	before=$(db_digest)
	run --separate-stderr portal-ack scan --on 2026-12-05 <<<"$C1"
	same "$before" "$(db_digest)" "store"
	contains "in the future" "$stderr"
	status_is 65
}

@test "scan --dry-run answers but writes nothing (SPEC §2: --dry-run on every writer)" {
	ackschool
	C1=$(code "$MA" 1)
	before=$(db_digest)
	run --separate-stderr portal-ack scan --dry-run <<<"$C1"
	same "$before" "$(db_digest)" "store"
	status_is 0
	same "$C1,ok" "${lines[1]}"
}

# ======================================================================
# record: all or nothing
# ======================================================================

@test "record: codes typed any way are registered; the answers on stdout; audited" {
	ackschool
	C1=$(code "$MA" 1)
	C2=$(code "$MB" 1)
	before=$(audit_count)
	run --separate-stderr portal-ack record "$(typed "$C1")" "${C2:0:4} ${C2:4}"
	status_is 0
	same "code,result
$(typed "$C1"),ok
${C2:0:4} ${C2:4},ok" "$output"
	same "$(printf '%s\n' "$(xid "$C1")" "$(xid "$C2")" | sort -n)" "$(acked)" "registered"
	same $((before + 2)) "$(audit_count)" "audit records"
	same "admin|portal-ack|ack:$C1" "$(q "SELECT actor || '|' || tool || '|' || object FROM audit WHERE object = 'ack:$C1'")"
	contains "\"$(xid "$C1")\"" "$(q "SELECT detail FROM audit WHERE object = 'ack:$C1'")"
	every_ack_audited
	run --separate-stderr portal-ack record "$C1"
	status_is 0
	same "$C1,already" "${lines[1]}"
	same 2 "$(acks)" "records after the repeat"
}

@test "record: one unknown code among good ones: 65, none registered, store unchanged" {
	ackschool
	C1=$(code "$MA" 1)
	C2=$(code "$MA" 2)
	before=$(db_digest)
	run --separate-stderr portal-ack record "$C1" ABCDE-FGHJK "$C2"
	status_is 65
	contains "ABCDE-FGHJK,unknown" "$output"
	contains "nothing was registered" "$stderr"
	same "$before" "$(db_digest)" "store"
	same 0 "$(acks)" "records"
}

@test "record: one invalid code among good ones: 65, none registered, store unchanged" {
	ackschool
	C1=$(code "$MA" 1)
	before=$(db_digest)
	run --separate-stderr portal-ack record "$C1" xyz
	status_is 65
	contains "xyz,invalid" "$output"
	same "$before" "$(db_digest)" "store"
}

@test "record --on a future date: 65, nothing written" {
	ackschool
	C1=$(code "$MA" 1)
	before=$(db_digest)
	run --separate-stderr portal-ack record --on 2026-11-29 "$C1"
	status_is 65
	contains "2026-11-29 is in the future" "$stderr"
	same "$before" "$(db_digest)" "store"
	# today (in Moscow) is fine
	run --separate-stderr portal-ack record --on 28.11.2026 "$C1"
	status_is 0
	same 2026-11-28 "$(q 'SELECT acknowledged_on FROM acks')"
}

@test "record --on before the extract was made: 65, nothing written; on the day it was made: ok" {
	ackschool
	C1=$(code "$MA" 1)
	C2=$(code "$MA" 2)
	before=$(db_digest)
	run --separate-stderr portal-ack record --on 2026-11-19 "$C2" "$C1"
	status_is 65
	contains "before the extract was made" "$stderr"
	same "$before" "$(db_digest)" "store"
	run --separate-stderr portal-ack record --on "$ISSUED" "$C1"
	status_is 0
	same "$ISSUED" "$(q 'SELECT acknowledged_on FROM acks')"
}

@test "record --on a date that is no date: refused, nothing written" {
	ackschool
	C1=$(code "$MA" 1)
	before=$(db_digest)
	run --separate-stderr portal-ack record --on 2026-11-31 "$C1"
	[ "$status" -eq 64 ] || [ "$status" -eq 65 ] || status_is 65
	contains "--on" "$stderr"
	same "$before" "$(db_digest)" "store"
}

@test "record --channel: a known one is stored, fax is 65 and writes nothing" {
	ackschool
	C1=$(code "$MA" 1)
	before=$(db_digest)
	run --separate-stderr portal-ack record --channel fax "$C1"
	status_is 65
	contains "fax" "$stderr"
	same "$before" "$(db_digest)" "store"
	run --separate-stderr portal-ack record --channel web "$C1"
	status_is 0
	same web "$(q 'SELECT channel FROM acks')"
}

@test "record: the e-mail extract keeps its guardian and channel; another guardian is 65" {
	ackschool
	E=$(mf "$MA" code channel=email)
	G=$(mf "$MA" guardian_id channel=email)
	ST=$(mf "$MA" student_id channel=email)
	OTHER=$(stranger "$ST")
	before=$(db_digest)
	run --separate-stderr portal-ack record --guardian "$OTHER" "$E"
	status_is 65
	contains "$OTHER" "$stderr"
	same "$before" "$(db_digest)" "store"
	run --separate-stderr portal-ack record "$E"
	status_is 0
	same "email|$G" "$(q "SELECT channel || '|' || guardian_id FROM acks")"
}

@test "record --dry-run: answers ok, writes nothing" {
	ackschool
	C1=$(code "$MA" 1)
	before=$(db_digest)
	run --separate-stderr portal-ack record --dry-run "$C1"
	status_is 0
	same "$C1,ok" "${lines[1]}"
	same "$before" "$(db_digest)" "store"
}

@test "record without codes or with an unknown option: 64, nothing written" {
	ackschool
	before=$(db_digest)
	run --separate-stderr portal-ack record
	status_is 64
	run --separate-stderr portal-ack record --colour red "$(code "$MA" 1)"
	status_is 64
	run --separate-stderr portal-ack frobnicate
	status_is 64
	same "$before" "$(db_digest)" "store"
}

# ======================================================================
# pending
# ======================================================================

@test "pending: exactly the unacknowledged extracts; shrinks by exactly the acknowledged ones" {
	ackschool
	run --separate-stderr portal-ack pending --all
	status_is 0
	same "$PENDING_HEADER" "${lines[0]}" "header"
	same "$(all_ids)" "$(col extract_id <<<"$output" | sort)" "all extracts pending at first"
	C1=$(code "$MA" 1)
	C2=$(code "$MA" 3)
	C3=$(code "$MB" 2)
	portal-ack -q record "$C1" "$C2" >/dev/null
	portal-ack -q scan <<<"$C3" >/dev/null
	gone=$(printf '%s\n' "$(xid "$C1")" "$(xid "$C2")" "$(xid "$C3")" | sort)
	same "$(all_ids | grep -vxF -f <(echo "$gone"))" "$(pending_ids)" "pending after three acknowledgements"
	same $(($(all_ids | wc -l) - 3)) "$(pending_ids | wc -l)" "count"
	# a repeat changes nothing
	portal-ack -q record "$C1" >/dev/null
	same $(($(all_ids | wc -l) - 3)) "$(pending_ids | wc -l)" "count after a repeat"
}

@test "pending: the whole row; days_waiting from PORTAL_NOW" {
	ackschool
	E=$(mf "$MA" extract_id,student_id,guardian_id channel=email)
	run --separate-stderr portal-ack pending --all
	status_is 0
	has_line "$E,$CLASS_A,email,$ISSUED,8"
	P=$(mf "$MB" extract_id,student_id channel=paper | head -n 1)
	has_line "${P%,*},${P#*,},,$CLASS_B,paper,$ISSUED,8"
	same 8 "$(col days_waiting <<<"$output" | sort -u)" "every extract waits 8 days"
	PORTAL_NOW=2026-12-01T09:00:00Z run --separate-stderr portal-ack pending --all
	status_is 0
	same 11 "$(col days_waiting <<<"$output" | sort -u)" "three days later"
}

@test "pending: an extract made now waits 0 days, 3 days later it waits 3" {
	ackschool
	ST=$(mf "$MB" student_id channel=paper | head -n 1)
	new=$(portal-extract -q --student "$ST" --period "2 четверть" -o y/ | col extract_id)
	[ -n "$new" ]
	same "$ST,2026-11-28,0" "$(portal-ack pending --all | col student_id,issued_on,days_waiting extract_id="$new")" "today"
	same "$ST,2026-11-28,3" "$(PORTAL_NOW=2026-12-01T09:00:00Z portal-ack pending --all | col student_id,issued_on,days_waiting extract_id="$new")" "3 days later"
	# longest waiting first
	run --separate-stderr portal-ack pending --all
	same "$new" "$(col extract_id <<<"$output" | tail -n 1)" "the newest last"
}

@test "pending: issued_on and days_waiting are the school's dates (Moscow), not UTC ones" {
	ackschool
	ST=$(mf "$MB" student_id channel=paper | head -n 1)
	# 00:30 in Moscow on 2026-11-29 (still the 28th in UTC)
	export PORTAL_NOW=2026-11-28T21:30:00Z
	new=$(portal-extract -q --student "$ST" --period "2 четверть" -o y/ | col extract_id)
	[ -n "$new" ]
	got=$(PORTAL_NOW=2026-11-28T21:35:00Z portal-ack pending --all | col issued_on,days_waiting extract_id="$new")
	same "2026-11-29,0" "$got" "five minutes after it was made"
}

@test "pending --class: only that class; --fail-if-any 1 when any, 0 when none" {
	ackschool
	run --separate-stderr portal-ack pending --class "$CLASS_B"
	status_is 0
	same "$CLASS_B" "$(col class <<<"$output" | sort -u)" "classes"
	same "$(all_ids "$MB")" "$(col extract_id <<<"$output" | sort)" "extracts of $CLASS_B"
	run --separate-stderr portal-ack pending --class "$CLASS_B" --fail-if-any
	status_is 1
	same "$(all_ids "$MB")" "$(col extract_id <<<"$output" | sort)" "still listed with --fail-if-any"
	# the whole class acknowledges
	run --separate-stderr portal-ack scan < <(mf "$MB" code)
	status_is 0
	run --separate-stderr portal-ack pending --class "$CLASS_B" --fail-if-any
	status_is 0
	same "$PENDING_HEADER" "$output" "only the header"
	run --separate-stderr portal-ack pending --class "$CLASS_A" --fail-if-any
	status_is 1
	run --separate-stderr portal-ack pending --all --fail-if-any
	status_is 1
	same "$(all_ids "$MA")" "$(col extract_id <<<"$output" | sort)" "all classes: only $CLASS_A is left"
	# a class name with a Latin a is the same class
	[ "${CLASS_A%А}А" = "$CLASS_A" ] || skip "$CLASS_A does not end in А"
	run --separate-stderr portal-ack pending --class "${CLASS_A%А}a"
	status_is 0
	same "$CLASS_A" "$(col class <<<"$output" | sort -u)" "${CLASS_A%А}a is $CLASS_A"
}

@test "pending --period: only the extracts of that period" {
	ackschool
	ST=$(mf "$MB" student_id channel=paper | head -n 1)
	new=$(portal-extract -q --student "$ST" --period "1 четверть" -o y/ | col extract_id)
	[ -n "$new" ]
	same "$new" "$(pending_ids --period "1 четверть")" "1 четверть"
	same "$(all_ids)" "$(pending_ids --period "2 четверть")" "2 четверть"
}

# ======================================================================
# status
# ======================================================================

@test "status: per class extracts, acknowledged, pending, acknowledged_pct with one decimal" {
	ackschool
	na=$(all_ids "$MA" | wc -l)
	nb=$(all_ids "$MB" | wc -l)
	run --separate-stderr portal-ack status
	status_is 0
	same "$STATUS_HEADER
$CLASS_A,$na,0,$na,0.0
$CLASS_B,$nb,0,$nb,0.0" "$output" "before any acknowledgement"
	portal-ack -q record "$(code "$MA" 1)" >/dev/null
	portal-ack -q record "$(code "$MB" 1)" "$(code "$MB" 2)" "$(code "$MB" 3)" >/dev/null
	pa=$(awk -v n="$na" 'BEGIN { printf "%.1f", 100 / n }')
	pb=$(awk -v n="$nb" 'BEGIN { printf "%.1f", 300 / n }')
	[[ "$pa" =~ ^[0-9]+\.[0-9]$ ]]
	run --separate-stderr portal-ack status
	status_is 0
	same "$STATUS_HEADER
$CLASS_A,$na,1,$((na - 1)),$pa
$CLASS_B,$nb,3,$((nb - 3)),$pb" "$output" "after 1 and 3"
	run --separate-stderr portal-ack status --class "$CLASS_B"
	status_is 0
	same "$STATUS_HEADER
$CLASS_B,$nb,3,$((nb - 3)),$pb" "$output" "--class"
	# every extract of CLASS_B
	portal-ack -q scan < <(mf "$MB" code) >/dev/null
	same "$CLASS_B,$nb,$nb,0,100.0" "$(portal-ack status --class "$CLASS_B" | sed -n 2p)" "all acknowledged"
}

@test "status: 1 of 3 is 33.3, 2 of 3 is 66.7 (one decimal, rounded)" {
	ackschool
	sts=$(mf "$MB" student_id channel=paper | head -n 3)
	{
		echo student_id
		echo "$sts"
	} >three.csv
	portal-extract -q --period "1 четверть" -o y/ three.csv >m1.csv
	same 3 "$(mf m1.csv code | wc -l)" "extracts of 1 четверть"
	portal-ack -q record "$(mf m1.csv code | sed -n 1p)" >/dev/null
	same "$CLASS_B,3,1,2,33.3" "$(portal-ack status --period "1 четверть" | sed -n 2p)" "1 of 3"
	portal-ack -q record "$(mf m1.csv code | sed -n 2p)" >/dev/null
	same "$CLASS_B,3,2,1,66.7" "$(portal-ack status --period "1 четверть" | sed -n 2p)" "2 of 3"
}

# ======================================================================
# import
# ======================================================================

@test "import: code (typed any way) or extract_id, dates, channels, guardian; twice adds nothing" {
	ackschool
	C1=$(code "$MA" 1)
	C2=$(code "$MA" 2)
	E=$(mf "$MA" code channel=email)
	G=$(mf "$MA" guardian_id channel=email)
	printf '%s\n' code,extract_id,acknowledged_on,channel,guardian_id \
		"$(typed "$C1"),,2026-11-21,," \
		",$(xid "$C2"),27.11.2026,web," \
		"$E,,2026-11-22,email,$G" >a.csv
	run --separate-stderr portal-ack import a.csv
	status_is 0
	contains "inserted 3" "$stderr"
	same "$(xid "$C1")|2026-11-21|paper|
$(xid "$E")|2026-11-22|email|$G
$(xid "$C2")|2026-11-27|web|" \
		"$(q "SELECT extract_id || '|' || acknowledged_on || '|' || channel || '|' || COALESCE(guardian_id, '') FROM acks ORDER BY acknowledged_on")" \
		"stored"
	every_ack_audited
	a=$(audit_count)
	before=$(db_digest)
	run --separate-stderr portal-ack import a.csv
	status_is 0
	contains "inserted 0" "$stderr"
	same "$a" "$(audit_count)" "audit records"
	same "$before" "$(db_digest)" "store"
}

@test "import: bad channel, unknown extract, unknown code, invalid code, future date, before the extract: each named FILE:LINE: COLUMN, nothing written" {
	ackschool
	C1=$(code "$MA" 1)
	C2=$(code "$MA" 2)
	C3=$(code "$MA" 3)
	C4=$(code "$MA" 4)
	C5=$(code "$MA" 5)
	printf '%s\n' code,extract_id,acknowledged_on,channel \
		"$C1,,2026-11-21,paper" \
		"$C2,,2026-11-21,fax" \
		",99999,2026-11-21," \
		"ABCDE-FGHJK,,2026-11-21," \
		"xyz,,2026-11-21," \
		"$C3,,2026-11-29," \
		"$C4,,2026-11-19," \
		"$C5,,yesterday," \
		",abc,2026-11-21," >bad.csv
	before=$(db_digest)
	run --separate-stderr portal-ack import bad.csv
	status_is 65
	same "" "$output" "stdout"
	for want in "bad.csv:3: channel: " "bad.csv:4: extract_id: " "bad.csv:5: code: " "bad.csv:6: code: " \
		"bad.csv:7: acknowledged_on: " "bad.csv:8: acknowledged_on: " "bad.csv:9: acknowledged_on: " \
		"bad.csv:10: extract_id: "; do
		grep -q "^$want" <<<"$stderr" || { printf 'no line starting %s\nstderr:\n%s\n' "$want" "$stderr"; false; }
	done
	lacks "bad.csv:2:" "$stderr"
	contains '"fax"' "$stderr"
	contains "99999" "$stderr"
	contains "in the future" "$stderr"
	same "$before" "$(db_digest)" "store"
	same 0 "$(acks)" "the good row is not written either"
}

@test "import --rejects: the good rows applied, the bad ones to FILE with an error column" {
	ackschool
	C1=$(code "$MA" 1)
	C2=$(code "$MA" 2)
	C3=$(code "$MB" 1)
	printf '%s\n' code,extract_id,acknowledged_on,channel \
		"$C1,,2026-11-21,paper" \
		"$C2,,2026-11-21,fax" \
		",99999,2026-11-21," \
		"$C3,,2026-11-27,web" >c.csv
	run --separate-stderr portal-ack import --rejects rj.csv c.csv
	status_is 0
	contains "applied 2, rejected 2" "$stderr"
	same "$(printf '%s\n' "$(xid "$C1")" "$(xid "$C3")" | sort -n)" "$(acked)" "registered"
	same "code,extract_id,acknowledged_on,channel,error" "$(head -n 1 rj.csv)" "rejects header"
	same 3 "$(wc -l <rj.csv)" "rejects lines"
	same "$C2,,2026-11-21,fax" "$(col code,extract_id,acknowledged_on,channel code="$C2" <rj.csv)"
	contains "channel: " "$(col error code="$C2" <rj.csv)"
	contains "extract_id: " "$(col error extract_id=99999 <rj.csv)"
	same 600 "$(file_mode rj.csv)" "rejects file mode"
	every_ack_audited
}

@test "import --dry-run: writes nothing" {
	ackschool
	printf '%s\n' code,acknowledged_on "$(code "$MA" 1),2026-11-21" >c.csv
	before=$(db_digest)
	run --separate-stderr portal-ack import --dry-run c.csv
	status_is 0
	same "$before" "$(db_digest)" "store"
}

@test "import: a guardian who is not the student's is named in the guardian_id column, nothing written" {
	ackschool
	E=$(mf "$MA" code channel=email)
	ST=$(mf "$MA" student_id channel=email)
	OTHER=$(stranger "$ST")
	printf '%s\n' code,acknowledged_on,guardian_id "$E,2026-11-21,$OTHER" >g.csv
	before=$(db_digest)
	run --separate-stderr portal-ack import g.csv
	status_is 65
	same "$before" "$(db_digest)" "store"
	contains "g.csv:2: " "$stderr"
	contains "$OTHER" "$stderr"
	grep -q "^g.csv:2: guardian_id: " <<<"$stderr" || { printf 'stderr:\n%s\n' "$stderr"; false; }
}

@test "import: cp1251, ';', CRLF, Russian headers and channel words" {
	ackschool
	C1=$(code "$MA" 1)
	C2=$(code "$MA" 2)
	printf '%s\n' "код;дата ознакомления;канал" "$(typed "$C1");21.11.2026;бумага" "$C2;22.11.2026;портал" | to_cp1251 | crlf >w.csv
	run --separate-stderr portal-ack import --encoding cp1251 w.csv
	status_is 0
	contains "inserted 2" "$stderr"
	same "$(xid "$C1")|2026-11-21|paper
$(xid "$C2")|2026-11-22|web" "$(q "SELECT extract_id || '|' || acknowledged_on || '|' || channel FROM acks ORDER BY acknowledged_on")"
}

@test "import: without acknowledged_on: 65 before any row; a missing file: 66" {
	ackschool
	printf '%s\n' code,channel "$(code "$MA" 1),paper" >c.csv
	before=$(db_digest)
	run --separate-stderr portal-ack import c.csv
	status_is 65
	contains "acknowledged_on" "$stderr"
	same "$before" "$(db_digest)" "store"
	run --separate-stderr portal-ack import no-such.csv
	status_is 66
}

@test "import: neither a code nor an extract_id column is a missing required column (65)" {
	ackschool
	printf '%s\n' acknowledged_on,channel >h.csv
	before=$(db_digest)
	run --separate-stderr portal-ack import h.csv
	same "$before" "$(db_digest)" "store"
	status_is 65
	contains "code" "$stderr"
}

# ======================================================================
# class leaders
# ======================================================================

@test "class leader: records their class; another class's code is 77 and nothing written" {
	ackschool
	A1=$(code "$MA" 1)
	B1=$(code "$MB" 1)
	before=$(db_digest)
	run --separate-stderr env PORTAL_ACTOR=t003 portal-ack record "$B1"
	status_is 77
	contains "not permitted" "$stderr"
	same "$before" "$(db_digest)" "store"
	run --separate-stderr env PORTAL_ACTOR=t003 portal-ack record "$A1" "$B1"
	status_is 77
	same "$before" "$(db_digest)" "store (all or nothing)"
	printf '%s\n' code,acknowledged_on "$A1,2026-11-21" "$B1,2026-11-21" >b.csv
	run --separate-stderr env PORTAL_ACTOR=t003 portal-ack import b.csv
	status_is 77
	same "$before" "$(db_digest)" "store after the import"
	run --separate-stderr env PORTAL_ACTOR=t003 portal-ack record "$A1"
	status_is 0
	same "$(xid "$A1")" "$(acked)" "registered"
	same t003 "$(q "SELECT actor FROM audit WHERE object = 'ack:$A1'")" "actor"
}

@test "class leader: pending and status without --class show only their class; --class of another is 77" {
	ackschool
	portal-ack -q record "$(code "$MB" 1)" >/dev/null
	run --separate-stderr env PORTAL_ACTOR=t003 portal-ack pending --all
	status_is 0
	same "$CLASS_A" "$(col class <<<"$output" | sort -u)" "classes in pending"
	same "$(all_ids "$MA")" "$(col extract_id <<<"$output" | sort)" "extracts in pending"
	run --separate-stderr env PORTAL_ACTOR=t003 portal-ack status
	status_is 0
	same "$CLASS_A" "$(col class <<<"$output")" "classes in status"
	run --separate-stderr env PORTAL_ACTOR=t003 portal-ack pending --class "$CLASS_B"
	status_is 77
	same "" "$output" "no extract of $CLASS_B shown, nor a header"
	run --separate-stderr env PORTAL_ACTOR=t003 portal-ack status --class "$CLASS_B"
	status_is 77
	lacks "$CLASS_B," "$output"
	run --separate-stderr env PORTAL_ACTOR=t004 portal-ack pending --all
	status_is 0
	same "$CLASS_B" "$(col class <<<"$output" | sort -u)" "t004's classes"
	# a deputy reads every class, may not record
	run --separate-stderr env PORTAL_ACTOR=deputy portal-ack status
	status_is 0
	same "$CLASS_A
$CLASS_B" "$(col class <<<"$output")" "deputy"
	before=$(db_digest)
	run --separate-stderr env PORTAL_ACTOR=deputy portal-ack record "$(code "$MA" 1)"
	status_is 77
	same "$before" "$(db_digest)" "store"
}

# ======================================================================
# a leaked login
# ======================================================================

@test "breach: an acknowledgement by the leaked login after the report stops counting; it can be acknowledged again" {
	ackschool
	A1=$(code "$MA" 1)
	A2=$(code "$MA" 2)
	A3=$(code "$MA" 3)
	# 11:00 in Moscow, before the report: stands
	PORTAL_NOW=2026-11-27T08:00:00Z PORTAL_ACTOR=t003 portal-ack -q record "$A1" >/dev/null
	# 13:00 in Moscow, after the report at 12:00: invalid
	PORTAL_NOW=2026-11-27T10:00:00Z PORTAL_ACTOR=t003 portal-ack -q scan <<<"$A2" >/dev/null
	PORTAL_NOW=2026-11-27T10:05:00Z PORTAL_ACTOR=t003 portal-ack -q record "$A3" >/dev/null
	same 3 "$(acks)" "acknowledgements before the breach"
	na=$(all_ids "$MA" | wc -l)
	same $((na - 3)) "$(pending_ids --class "$CLASS_A" | wc -l)" "pending before the breach"

	PORTAL_NOW=2026-11-27T14:00:00Z run --separate-stderr portal-accounts breach t003 \
		--discovered-at "2026-11-27 10:00" --reported-at "2026-11-27 12:00"
	status_is 0
	contains "ack:$A2" "$output"
	contains "ack:$A3" "$output"
	lacks "ack:$A1" "$output"

	same "$(xid "$A1")" "$(acked)" "acknowledgements that count"
	same 3 "$(acks)" "the invalidated records stay"
	run --separate-stderr portal-ack pending --class "$CLASS_A"
	status_is 0
	same "$(all_ids "$MA" | grep -vxF "$(xid "$A1")")" "$(col extract_id <<<"$output" | sort)" "pending again"
	same "$CLASS_A,$na,1,$((na - 1))" "$(portal-ack status --class "$CLASS_A" | sed -n 2p | cut -d, -f1-4)" "status"
	run --separate-stderr portal-db audit --invalid
	same "$(printf '%s\n' "ack:$A2" "ack:$A3" | sort)" "$(col object <<<"$output" | sort)" "invalid audit records"

	# the leaked login may do nothing more
	run --separate-stderr env PORTAL_ACTOR=t003 portal-ack scan <<<"$A2"
	status_is 77
	run --separate-stderr env PORTAL_ACTOR=t003 portal-ack pending --all
	status_is 77

	# the admin scans the signed papers again: ok, not already; the one before the report is already
	run --separate-stderr portal-ack scan <<<"$A2
$(typed "$A3")
$A1"
	status_is 0
	same "code,result
$A2,ok
$(typed "$A3"),ok
$A1,already" "$output"
	same "$(printf '%s\n' "$(xid "$A1")" "$(xid "$A2")" "$(xid "$A3")" | sort -n)" "$(acked)" "counting again"
	same $((na - 3)) "$(pending_ids --class "$CLASS_A" | wc -l)" "pending after the new acknowledgements"
	every_ack_audited
	run --separate-stderr portal-db check
	status_is 0
}

# ======================================================================
# the store at the end
# ======================================================================

@test "after scans, records and an import: every ack audited, portal-db check ok" {
	ackschool
	portal-ack -q scan < <(mf "$MA" code | head -n 4; echo xyz) >/dev/null || true
	portal-ack -q record "$(code "$MB" 1)" >/dev/null
	printf '%s\n' code,acknowledged_on "$(code "$MB" 2),2026-11-21" >c.csv
	portal-ack -q import c.csv
	same 6 "$(acks)" "records"
	same 6 "$(q "SELECT count(*) FROM audit WHERE object LIKE 'ack:%' AND tool = 'portal-ack'")" "audit records"
	every_ack_audited
	run --separate-stderr portal-db check
	status_is 0
	contains "ok" "$stderr$output"
}

# ======================================================================
# append-only store
# ======================================================================

@test "the store refuses UPDATE, DELETE and a second INSERT of an acknowledgement; the rows stay" {
	ackschool
	portal-ack -q scan <<<"$(code "$MA" 1)"
	rows=$(q 'SELECT * FROM acks ORDER BY ack_id')
	[ -n "$rows" ] || { echo "no acknowledgement to guard"; false; }
	run sqlite3 "$PORTAL_DB" "UPDATE acks SET channel = 'web'"
	[ "$status" -ne 0 ] || { echo "UPDATE succeeded"; false; }
	contains "acknowledgements are append-only"
	run sqlite3 "$PORTAL_DB" "DELETE FROM acks"
	[ "$status" -ne 0 ] || { echo "DELETE succeeded"; false; }
	contains "acknowledgements are append-only"
	# the same ack_id again: SQLite's INSERT OR REPLACE would delete the row without the DELETE guard
	run sqlite3 "$PORTAL_DB" "INSERT INTO acks SELECT * FROM acks"
	[ "$status" -ne 0 ] || { echo "INSERT succeeded"; false; }
	contains "acknowledgements are append-only"
	same "$rows" "$(q 'SELECT * FROM acks ORDER BY ack_id')" "the rows"
}

@test "on PostgreSQL the store refuses TRUNCATE of acknowledgements, which deletes without DELETE's triggers" {
	pg_only "TRUNCATE is PostgreSQL's (SQLite's DELETE without WHERE runs the DELETE guard)"
	ackschool
	portal-ack -q scan <<<"$(code "$MA" 1)"
	rows=$(q 'SELECT * FROM acks ORDER BY ack_id')
	# restrict_violation (23001), which the toolkit reports as 65, as SQLite's RAISE (ABORT)
	run env PGOPTIONS="-csearch_path=$(pg_school)" psql -XAtq -v VERBOSITY=verbose -c "TRUNCATE acks"
	[ "$status" -ne 0 ] || { echo "TRUNCATE succeeded"; false; }
	contains "23001: acknowledgements are append-only"
	same "$rows" "$(q 'SELECT * FROM acks ORDER BY ack_id')" "the rows"
}
