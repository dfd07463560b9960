#!/usr/bin/env bats
# The audit log anchored: invalidations are records of the chain, and the
# witness file (audit.witness) holds the heads outside the store, so that
# `portal-db check` finds the five ways to rewrite the log behind the
# toolkit's back: an edited record, a record removed in the middle, a cut
# tail with a rewritten head, a recomputed chain, removed invalidations.

bats_require_minimum_version 1.5.0
load helpers

# leaked: a second admin "admin2" changes a setting after the report of its
# leak, and the breach invalidates that change (record 3, by record 4).
leaked() {
	new_store || return 1
	printf 'staff_id,last_name,first_name,role,login\nA2,Второй,Админ,admin,admin2\n' >st.csv
	portal-accounts -q import staff st.csv || return 1
	PORTAL_NOW=2026-11-27T10:00:00Z PORTAL_ACTOR=admin2 portal-db -q config school.name X || return 1
	PORTAL_NOW=2026-11-27T14:00:00Z portal-accounts -q breach admin2 \
		--discovered-at "2026-11-27 10:00" --reported-at "2026-11-27 12:00" >/dev/null
}

# ---- invalidations inside the chain ----

@test "an invalidation is an audit record of its own, after the breach that made it" {
	leaked
	same "3|4" "$(q 'SELECT seq, by_seq FROM audit_invalid')" "the mark"
	same "5|admin|breach|audit:3" "$(q "SELECT seq, actor, action, object FROM audit WHERE object LIKE 'audit:%'")" \
		"the invalidation's record"
	contains '"by_seq":4' "$(q 'SELECT detail FROM audit WHERE seq = 5')"
	contains '"reason":"login admin2 reported leaked' "$(q 'SELECT detail FROM audit WHERE seq = 5')"
	same "" "$(q 'SELECT seq FROM audit_invalid WHERE seq >= 4')" "the breach's own records stay valid"
	run --separate-stderr portal-db check
	status_is 0
}

@test "check: a deleted invalidation exits 65 naming the record it marked" {
	leaked
	q 'DELETE FROM audit_invalid'
	run --separate-stderr portal-db check
	status_is 65
	contains "audit record 3 was invalidated" "$stderr"
}

@test "check: an added or altered invalidation exits 65 naming the record" {
	leaked
	q "INSERT INTO audit_invalid (seq, reason, by_seq) VALUES (2, 'made up', 4)"
	run --separate-stderr portal-db check
	status_is 65
	contains "audit record 2 is marked invalid" "$stderr"
	q 'DELETE FROM audit_invalid WHERE seq = 2'
	q "UPDATE audit_invalid SET reason = 'other' WHERE seq = 3"
	run --separate-stderr portal-db check
	status_is 65
	contains "audit record 3 is marked invalid" "$stderr"
}

# back_to_schema N: takes back what the migrations after N made (their tables, indexes and added
# columns, newest first) and sets the store's version to N: a store as a binary of schema N left it.
back_to_schema() {
	python3 - "$PORTAL_DB" "$1" "$BATS_TEST_DIRNAME/../../share/schema" <<'PY'
import glob, os, re, sqlite3, sys
db, n, folder = sqlite3.connect(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
for f in sorted(glob.glob(os.path.join(folder, "[0-9][0-9][0-9]-*.sql")), reverse=True):
    if int(os.path.basename(f)[:3]) <= n:
        continue
    sql = re.sub(r"--[^\n]*", "", open(f, encoding="utf-8").read())
    for m in reversed(list(re.finditer(r"CREATE\s+(TABLE|INDEX)\s+(\w+)|ALTER\s+TABLE\s+(\w+)\s+ADD\s+COLUMN\s+(\w+)", sql))):
        if m.group(1):
            db.execute("DROP %s %s" % (m.group(1), m.group(2)))
        else:
            db.execute("ALTER TABLE %s DROP COLUMN %s" % (m.group(3), m.group(4)))
db.execute("PRAGMA user_version = %d" % n)
db.commit()
PY
}

@test "migrate: a store of schema 7 gets a record in the chain for each older invalidation, and check passes" {
	sqlite_only "a schema 7 store is made by undoing the migrations in SQLite's dialect (PRAGMA user_version)"
	leaked
	# as a schema 7 store had it: the mark without its record, the chain whole
	q "DELETE FROM audit WHERE object LIKE 'audit:%'"
	python3 "$BATS_TEST_DIRNAME/rechain.py" "$PORTAL_DB"
	back_to_schema 7
	run --separate-stderr portal-db check
	status_is 78
	contains "portal-db migrate" "$stderr"
	run --separate-stderr portal-db migrate
	status_is 0
	contains "1 older invalidation recorded in the audit chain" "$stderr"
	same "portal-db|migrate|-" "$(q "SELECT tool, action, actor FROM audit WHERE object = 'audit:3'")" "the record"
	run --separate-stderr portal-db check
	status_is 0
	# once is enough
	run --separate-stderr portal-db migrate
	status_is 0
	lacks "older invalidation" "$stderr"
}

# ---- the witness ----

# witnessed: a store whose witness is $W, in a directory of its own, and four
# settings changed after it, so the chain has records 1..6.
witnessed() {
	mkdir -p "$BATS_TEST_TMPDIR/w"
	W=$BATS_TEST_TMPDIR/w/witness
	portal-db init --admin admin --witness "$W" 2>/dev/null || return 1
	for v in A B C D; do portal-db -q config school.name "Школа $v" || return 1; done
}

# head: "SEQ HASH" of the store's audit_head.
head_of() {
	q "SELECT seq || ' ' || hash FROM audit_head"
}

@test "init --witness sets audit.witness and starts the file, mode 0600, with the head" {
	mkdir w
	run --separate-stderr bash -c 'umask 000; portal-db init --admin admin --witness w/witness'
	status_is 0
	same "$BATS_TEST_TMPDIR/w/witness" "$(portal-db config audit.witness)" "the setting, made absolute"
	same 600 "$(file_mode w/witness)" "mode of the witness"
	same 1 "$(wc -l <w/witness)" "lines"
	same "$(head_of) $PORTAL_NOW" "$(cat w/witness)" "the line: SEQ HASH TIME"
	run --separate-stderr portal-db audit
	contains "config:audit.witness"
	run --separate-stderr portal-db check
	status_is 0
	contains "1 head witnessed" "$stderr"
	lacks "no witness" "$stderr"
}

@test "init --witness: a file that holds heads already is refused (73) and no store is made" {
	printf '1 %s 2026-01-01T00:00:00Z\n' "$(printf '0%.0s' $(seq 64))" >old
	run --separate-stderr portal-db init --admin admin --witness old
	status_is 73
	contains "old" "$stderr"
	store_absent
	same 1 "$(wc -l <old)" "the old witness"
	run --separate-stderr portal-db init --admin admin --witness "$BATS_TEST_TMPDIR/no/such/dir/w"
	status_is 73
	store_absent
}

@test "every write appends its new head; reads, dry runs and writes that change nothing do not" {
	witnessed
	same 5 "$(wc -l <"$W")" "lines after init and four settings"
	same "$(head_of) $PORTAL_NOW" "$(tail -1 "$W")" "the last line is the head"
	printf 'staff_id,last_name,first_name,role,login\nT2,Учителева,Анна,teacher,t2\n' >st.csv
	PORTAL_NOW=2026-11-28T10:00:00Z portal-accounts -q import staff st.csv
	same 6 "$(wc -l <"$W")" "lines after an import"
	same "$(head_of) 2026-11-28T10:00:00Z" "$(tail -1 "$W")" "the import's head"
	# a verb that commits by itself (the passwords reach their paper first)
	printf 'student_id,last_name,first_name,birth_date,class\nS1,Иванов,Иван,2013-01-01,7А\n' >s.csv
	portal-accounts -q import students s.csv
	portal-accounts -q issue --all --who students -o slips.csv
	same 8 "$(wc -l <"$W")" "lines after a students import and an issue"
	same "$(head_of) $PORTAL_NOW" "$(tail -1 "$W")" "the issue's head"
	before=$(cat "$W")
	portal-db -q config school.name "Школа D"
	portal-accounts -q import staff st.csv
	portal-accounts -q import staff --dry-run st.csv >/dev/null
	portal-db -q audit >/dev/null
	portal-db -q config >/dev/null
	portal-accounts -q list staff >/dev/null
	portal-db -q check
	same "$before" "$(cat "$W")" "the witness"
	same 600 "$(file_mode "$W")" "mode of the witness"
}

@test "config audit.witness FILE sets a witness on a store without one, and it gets the head" {
	new_store
	mkdir w
	run --separate-stderr portal-db config audit.witness w/witness
	status_is 0
	same "$BATS_TEST_TMPDIR/w/witness" "$(portal-db config audit.witness)" "the setting, made absolute"
	same "$(head_of) $PORTAL_NOW" "$(cat w/witness)" "the witness"
	same 600 "$(file_mode w/witness)" "mode of the witness"
	run --separate-stderr portal-db config audit.witness "$BATS_TEST_TMPDIR/no/such/dir/w"
	status_is 73
	same "$BATS_TEST_TMPDIR/w/witness" "$(portal-db config audit.witness)" "the setting stays"
	run --separate-stderr portal-db config audit.syslog 2
	status_is 65
}

@test "portal-db witness appends the head; without audit.witness it exits 78 saying how to set one" {
	new_store
	run --separate-stderr portal-db witness
	status_is 78
	contains "portal-db config audit.witness" "$stderr"
	portal-db -q config audit.witness "$BATS_TEST_TMPDIR/witness"
	PORTAL_NOW=2026-11-29T09:00:00Z run --separate-stderr portal-db witness
	status_is 0
	same 2 "$(wc -l <witness)" "lines"
	same "$(head_of) 2026-11-29T09:00:00Z" "$(tail -1 witness)" "the line"
	run --separate-stderr portal-db witness extra
	status_is 64
}

@test "a witness that cannot be appended to: the write is committed, a warning, exit 74" {
	witnessed
	rm -rf "$BATS_TEST_TMPDIR/w"
	run --separate-stderr portal-db config school.name "Школа E"
	status_is 74
	contains "witness $W" "$stderr"
	contains "committed" "$stderr"
	same "Школа E" "$(portal-db config school.name)" "the setting is committed"
	mkdir "$BATS_TEST_TMPDIR/w"
	run --separate-stderr portal-db witness
	status_is 0
	same "$(head_of) $PORTAL_NOW" "$(cat "$W")" "the new witness"
}

@test "check: an unchanged store with a witness passes and says how many heads it found" {
	witnessed
	run --separate-stderr portal-db check
	status_is 0
	contains "5 heads witnessed in $W" "$stderr"
}

@test "check without a witness warns on stderr that a rewrite cannot be detected, and still exits 0" {
	new_store
	run --separate-stderr portal-db check
	status_is 0
	contains "no witness" "$stderr"
	contains "cannot be detected" "$stderr"
	contains "portal-db config audit.witness FILE" "$stderr"
	run --separate-stderr portal-db -q check
	status_is 0
	same "" "$stderr" "stderr with -q"
}

@test "check: a witness file that is gone exits 66; an emptied or garbled one 65" {
	witnessed
	mv "$W" "$W.away"
	run --separate-stderr portal-db check
	status_is 66
	contains "$W" "$stderr"
	: >"$W"
	run --separate-stderr portal-db check
	status_is 65
	contains "holds no head" "$stderr"
	{ cat "$W.away"; echo "garbage"; } >"$W"
	run --separate-stderr portal-db check
	status_is 65
	contains "$W:6:" "$stderr"
}

@test "check: audit.witness removed or changed outside portal exits 65" {
	witnessed
	q "DELETE FROM config WHERE key = 'audit.witness'"
	run --separate-stderr portal-db check
	status_is 65
	contains "audit.witness is not set" "$stderr"
	q "INSERT INTO config (key, value) VALUES ('audit.witness', '/tmp/elsewhere')"
	run --separate-stderr portal-db check
	status_is 65
	contains "/tmp/elsewhere" "$stderr"
}

# ---- the five tampering probes ----

@test "probe 1, an edited record: check exits 65 naming it" {
	witnessed
	q "UPDATE audit SET detail = '{\"op\":\"update\",\"value\":[null,\"Школа Z\"]}' WHERE seq = 3"
	run --separate-stderr portal-db check
	status_is 65
	contains "record 3" "$stderr"
}

@test "probe 2, a record deleted in the middle: check exits 65 naming it" {
	witnessed
	q 'DELETE FROM audit WHERE seq = 4'
	run --separate-stderr portal-db check
	status_is 65
	contains "record 4" "$stderr"
}

@test "probe 3, the tail cut and audit_head moved to the new last record: the witness finds it (65)" {
	witnessed
	q "DELETE FROM audit WHERE seq > 4; UPDATE audit_head SET seq = 4, hash = (SELECT hash FROM audit WHERE seq = 4)"
	run --separate-stderr portal-db check
	status_is 65
	contains "witness $W:4: audit record 5 was witnessed, but the log ends at 4" "$stderr"
	# and writing after the cut does not hide it: record 5 is not the one witnessed
	portal-db -q config school.name "Школа Y"
	run --separate-stderr portal-db check
	status_is 65
	contains "record 5 is not the one witnessed" "$stderr"
}

@test "probe 4, an edited record and the whole chain recomputed: the witness finds it (65)" {
	witnessed
	q "UPDATE audit SET detail = '{\"op\":\"update\",\"value\":[null,\"Школа Z\"]}' WHERE seq = 3"
	python3 "$BATS_TEST_DIRNAME/rechain.py" "$PORTAL_DB"
	run --separate-stderr portal-db check
	status_is 65
	contains "witness $W:2: audit record 3 is not the one witnessed" "$stderr"
	contains "rewritten at or before record 3" "$stderr"
}

@test "probes 3 and 4 without a witness: a cut tail and a recomputed chain pass check, which is why check warns" {
	new_store
	for v in A B C D; do portal-db -q config school.name "Школа $v"; done
	checkpoint
	store_cp "$PORTAL_DB" "$(store_at whole.db)"
	q "DELETE FROM audit WHERE seq > 3; UPDATE audit_head SET seq = 3, hash = (SELECT hash FROM audit WHERE seq = 3)"
	run --separate-stderr portal-db check
	status_is 0
	contains "cannot be detected" "$stderr"
	rm -f "$PORTAL_DB"-*
	store_cp "$(store_at whole.db)" "$PORTAL_DB"
	store_rm "$(store_at whole.db)"
	q "UPDATE audit SET detail = '{\"op\":\"update\",\"value\":[null,\"Школа Z\"]}' WHERE seq = 3"
	run --separate-stderr portal-db check
	status_is 65
	python3 "$BATS_TEST_DIRNAME/rechain.py" "$PORTAL_DB"
	run --separate-stderr portal-db check
	status_is 0
	contains "cannot be detected" "$stderr"
}

@test "probe 5, invalidations deleted: check exits 65 naming the record they marked, with a witness too" {
	mkdir -p w
	W=$BATS_TEST_TMPDIR/w/witness
	leaked
	portal-db -q config audit.witness "$W"
	run --separate-stderr portal-db check
	status_is 0
	q 'DELETE FROM audit_invalid'
	run --separate-stderr portal-db check
	status_is 65
	contains "audit record 3 was invalidated" "$stderr"
}
