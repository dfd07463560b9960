#!/usr/bin/env bats
# portal-db: create, settings, calendar, backup, check, the audit log, and
# the conventions of SPEC §2 (exit codes, usage, schema versions).

bats_require_minimum_version 1.5.0
load helpers

# ---- init ----

@test "init creates a 0600 store in WAL mode with its admin" {
	sqlite_only "WAL is the SQLite file's journal"
	run --separate-stderr portal-db init --admin admin
	status_is 0
	[ -f "$PORTAL_DB" ]
	same 600 "$(file_mode "$PORTAL_DB")" "mode of the store"
	same wal "$(sqlite3 "$PORTAL_DB" 'PRAGMA journal_mode')" "journal mode"
	same "admin|admin|active" "$(q "SELECT login, role, status FROM staff")" "the first admin"
	same 1 "$(audit_count)" "audit records after init"
}

@test "init with a umask of 000 still makes a 0600 store" {
	sqlite_only "the store's file and its mode are SQLite's"
	run --separate-stderr bash -c 'umask 000; portal-db init --admin admin'
	status_is 0
	same 600 "$(file_mode "$PORTAL_DB")" "mode of the store"
}

@test "init on an existing store exits 73 and leaves the file as it was" {
	new_store
	portal-db config school.name "Школа 1"
	before=$(db_digest)
	run --separate-stderr portal-db init --admin other
	status_is 73
	contains "$PORTAL_DB" "$stderr"
	same "$before" "$(db_digest)" "store digest"
	same "" "$(q "SELECT login FROM staff WHERE login='other'")" "a second admin"
}

@test "init on an existing non-store file exits 73 and leaves it" {
	sqlite_only "the store is a file there"
	printf 'not a database\n' >"$PORTAL_DB"
	run --separate-stderr portal-db init --admin admin
	status_is 73
	same "not a database" "$(cat "$PORTAL_DB")" "the file"
}

@test "init without --admin is a usage error" {
	run --separate-stderr portal-db init
	status_is 64
	store_absent
}

@test "init --db PATH creates the store there" {
	sqlite_only "the store is a file at PATH"
	run --separate-stderr portal-db --db "$BATS_TEST_TMPDIR/other.db" init --admin boss
	status_is 0
	[ -f other.db ]
	store_absent
	same boss "$(sqlite3 other.db "SELECT login FROM staff WHERE role='admin'")"
}

# ---- version, help, usage ----

@test "version prints the binary and schema versions" {
	sqlite_only "the schema version is PRAGMA user_version"
	new_store
	run --separate-stderr portal-db version
	status_is 0
	same "binary,schema_binary,schema_store" "${lines[0]}" "header"
	[[ "${lines[1]}" =~ ^[0-9]+\.[0-9]+\.[0-9]+,([0-9]+),([0-9]+)$ ]]
	same "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" "binary and store schema"
	same "${BASH_REMATCH[2]}" "$(sqlite3 "$PORTAL_DB" 'PRAGMA user_version')" "user_version"
}

@test "--version prints the version and exits 0" {
	run --separate-stderr portal-db --version
	status_is 0
	[[ "$output" =~ ^portal-db\ [0-9]+\.[0-9]+ ]]
}

@test "--help exits 0 and lists every verb" {
	run --separate-stderr portal-db --help
	status_is 0
	for v in init migrate version config calendar backup check witness audit; do
		grep -qE "^  $v( |$)" <<<"$output" || { echo "verb $v not listed"; return 1; }
	done
}

@test "VERB --help exits 0 with the verb's usage" {
	run --separate-stderr portal-db audit --help
	status_is 0
	contains "--since"
	run --separate-stderr portal-db backup --help
	status_is 0
	contains "backup"
}

@test "an unknown verb exits 64 with usage on stderr" {
	new_store
	run --separate-stderr portal-db frobnicate
	status_is 64
	same "" "$output" "stdout"
	contains "usage:" "$stderr"
	contains "frobnicate" "$stderr"
}

@test "an unknown option exits 64 with usage on stderr" {
	new_store
	run --separate-stderr portal-db audit --bogus
	status_is 64
	same "" "$output" "stdout"
	contains "usage:" "$stderr"
	contains "--bogus" "$stderr"
}

@test "no verb at all is a usage error" {
	run --separate-stderr portal-db
	status_is 64
	contains "usage:" "$stderr"
}

# ---- store presence and schema version ----

@test "a missing store exits 66 and creates nothing" {
	for v in version check audit config "calendar list"; do
		run --separate-stderr portal-db $v
		status_is 66
		contains "$PORTAL_DB" "$stderr"
	done
	store_absent
	run --separate-stderr portal-db --db nowhere.db check
	status_is 66
	[ ! -e nowhere.db ]
}

@test "a store of a newer schema: every verb but version exits 78 and nothing changes" {
	sqlite_only "it sets PRAGMA user_version in the file"
	new_store
	sqlite3 "$PORTAL_DB" 'PRAGMA user_version=99'
	before=$(db_digest)
	run --separate-stderr portal-db version
	status_is 0
	contains "99" "$output"
	for v in check audit config "config school.name X" "calendar list" "backup b.db" migrate; do
		run --separate-stderr portal-db $v
		status_is 78
		contains "99" "$stderr"
	done
	[ ! -e b.db ]
	same "$before" "$(db_digest)" "store digest"
}

@test "a store of an older schema says run portal-db migrate (78)" {
	sqlite_only "it sets PRAGMA user_version in the file"
	new_store
	sqlite3 "$PORTAL_DB" 'PRAGMA user_version=1'
	run --separate-stderr portal-db check
	status_is 78
	contains "portal-db migrate" "$stderr"
}

@test "a SQLite file with no schema is not a portal store (78)" {
	sqlite_only "it makes a SQLite file of another schema"
	sqlite3 "$PORTAL_DB" 'CREATE TABLE t (x); PRAGMA user_version=0'
	run --separate-stderr portal-db check
	status_is 78
	contains "not a portal store" "$stderr"
}

@test "migrate on a current store changes nothing" {
	new_store
	before=$(db_digest)
	run --separate-stderr portal-db migrate
	status_is 0
	same "$before" "$(db_digest)" "store digest"
}

# ---- config ----

@test "config lists every key with its defaults" {
	new_store
	run --separate-stderr portal-db config
	status_is 0
	same "key,value" "${lines[0]}" "header"
	for k in school.name school.address school.director portal.url support.contact mail.from audit.witness; do
		grep -q "^$k," <<<"$output" || { echo "key $k missing"; return 1; }
	done
	has_line "school.timezone,Europe/Moscow"
	has_line 'grading.thresholds,"2.5,3.5,4.5"'
	has_line "audit.syslog,0"
}

@test "config KEY prints the value; config KEY VALUE sets it and audits it" {
	new_store
	run --separate-stderr portal-db config school.timezone
	status_is 0
	same "Europe/Moscow" "$output"
	n=$(audit_count)
	run --separate-stderr portal-db config school.name "МБОУ «Школа № 1»"
	status_is 0
	run --separate-stderr portal-db config school.name
	same "МБОУ «Школа № 1»" "$output"
	same $((n + 1)) "$(audit_count)" "audit records"
	run --separate-stderr portal-db audit
	contains "config:school.name"
	contains "Школа № 1"
	run --separate-stderr portal-db config grading.thresholds 2.6,3.6,4.6
	status_is 0
	run --separate-stderr portal-db config grading.thresholds
	same "2.6,3.6,4.6" "$output"
}

@test "config: bad thresholds exit 65 and change nothing" {
	new_store
	before=$(db_digest)
	for bad in 3,2,4 "2.5,3.5" 0.5,2,3 2,3,6 a,b,c "2.5,3.5,4.5,4.8" ""; do
		run --separate-stderr portal-db config grading.thresholds "$bad"
		if [ "$status" -ne 65 ]; then
			echo "thresholds \"$bad\": exit $status, expected 65"
			return 1
		fi
	done
	same "$before" "$(db_digest)" "store digest"
	same "2.5,3.5,4.5" "$(portal-db config grading.thresholds)"
}

@test "config: a bad time zone exits 65" {
	new_store
	run --separate-stderr portal-db config school.timezone Mars/Olympus
	status_is 65
	same "Europe/Moscow" "$(portal-db config school.timezone)"
}

@test "config: an unknown key exits 64" {
	new_store
	run --separate-stderr portal-db config no.such.key
	status_is 64
	contains "no.such.key" "$stderr"
	run --separate-stderr portal-db config no.such.key 1
	status_is 64
}

@test "config: a non-admin may read but not set (77)" {
	new_store
	printf 'staff_id,last_name,first_name,role,login\nT002,Заместова,Анна,deputy,deputy\n' >st.csv
	portal-accounts -q import staff st.csv
	before=$(db_digest)
	PORTAL_ACTOR=deputy run --separate-stderr portal-db config school.name
	status_is 0
	PORTAL_ACTOR=deputy run --separate-stderr portal-db config school.name X
	status_is 77
	contains "deputy" "$stderr"
	PORTAL_ACTOR=stranger run --separate-stderr portal-db config school.name X
	status_is 77
	same "$before" "$(db_digest)" "store digest"
}

@test "without PORTAL_ACTOR the actor is the staff member whose os_user is the OS login" {
	new_store
	run --separate-stderr env -u PORTAL_ACTOR portal-db config school.name "Школа 5"
	status_is 0
	run --separate-stderr portal-db audit
	[[ "${lines[2]}" == 2,*,admin,portal-db,config,* ]]
}

# ---- calendar ----

@test "calendar import of the production calendar: 2026-11-04 dayoff, 2026-11-03 short" {
	[ -f "$CALENDAR" ] || skip "no $CALENDAR"
	new_store
	run --separate-stderr portal-db calendar import "$CALENDAR"
	status_is 0
	run --separate-stderr portal-db calendar list --from 2026-11-01 --to 2026-11-10
	status_is 0
	same 11 "${#lines[@]}" "header and 10 days"
	grep -q '^date,kind' <<<"${lines[0]}"
	grep -q '^2026-11-04,dayoff\b' <<<"$output"
	grep -q '^2026-11-03,short\b' <<<"$output"
	grep -q '^2026-11-02,workday\b' <<<"$output"
	grep -q '^2026-11-07,dayoff\b' <<<"$output"
	! grep -qv '^\(date\|2026-11-\(0[1-9]\|10\)\),' <<<"$output"
}

@test "calendar import twice changes nothing the second time" {
	[ -f "$CALENDAR" ] || skip "no $CALENDAR"
	new_store
	portal-db -q calendar import "$CALENDAR"
	before=$(db_digest)
	run --separate-stderr portal-db calendar import "$CALENDAR"
	status_is 0
	same "$before" "$(db_digest)" "store digest"
}

@test "calendar without an import: ТК РФ holidays, weekends, workdays" {
	new_store
	run --separate-stderr portal-db calendar list --from 2026-06-08 --to 2026-06-15
	status_is 0
	grep -q '^2026-06-12,dayoff' <<<"$output"  # Russia Day, a Friday
	grep -q '^2026-06-13,dayoff' <<<"$output"  # a Saturday
	grep -q '^2026-06-14,dayoff' <<<"$output"  # a Sunday
	grep -q '^2026-06-08,workday' <<<"$output" # a Monday
	grep -q '^2026-06-15,workday' <<<"$output" # a Monday
	run --separate-stderr portal-db calendar list --from 2027-01-01 --to 2027-01-08
	for d in 01 02 03 04 05 06 07 08; do
		grep -q "^2027-01-$d,dayoff" <<<"$output" || { echo "2027-01-$d"; return 1; }
	done
	run --separate-stderr portal-db calendar list --from 2026-11-04 --to 2026-11-04
	grep -q '^2026-11-04,dayoff' <<<"$output"
}

@test "calendar import: a bad kind or date exits 65 and writes nothing" {
	new_store
	before=$(db_digest)
	printf 'date,kind\n2026-12-30,short\n2026-12-32,dayoff\n2026-12-29,holiday\n' >cal.csv
	run --separate-stderr portal-db calendar import cal.csv
	status_is 65
	contains "cal.csv:3: date:" "$stderr"
	contains "cal.csv:4: kind:" "$stderr"
	same "$before" "$(db_digest)" "store digest"
}

@test "calendar import by a non-admin is refused (77)" {
	new_store
	printf 'staff_id,last_name,first_name,role,login\nT002,Заместова,Анна,deputy,deputy\n' >st.csv
	portal-accounts -q import staff st.csv
	printf 'date,kind\n2026-12-30,short\n' >cal.csv
	before=$(db_digest)
	PORTAL_ACTOR=deputy run --separate-stderr portal-db calendar import cal.csv
	status_is 77
	same "$before" "$(db_digest)" "store digest"
}

# ---- backup ----

@test "backup makes a 0600 copy that check accepts" {
	sqlite_only "the backup is a SQLite file compared by .dump"
	new_store
	portal-db config school.name "Школа 7"
	run --separate-stderr portal-db backup "$BATS_TEST_TMPDIR/b.db"
	status_is 0
	[ -f b.db ]
	same 600 "$(file_mode b.db)" "mode of the backup"
	run --separate-stderr portal-db --db b.db check
	status_is 0
	same "Школа 7" "$(portal-db --db b.db config school.name)"
	same "$(sqlite3 "$PORTAL_DB" .dump)" "$(sqlite3 b.db .dump)" "dump of the backup"
}

@test "backup refuses an existing target (73) and leaves it" {
	new_store
	printf 'precious\n' >b.db
	run --separate-stderr portal-db backup b.db
	status_is 73
	same precious "$(cat b.db)" "the target"
}

@test "backup into a missing directory exits 73" {
	new_store
	run --separate-stderr portal-db backup "$BATS_TEST_TMPDIR/no/such/dir/b.db"
	status_is 73
}

@test "backup and check are not blocked by a writer holding the lock" {
	sqlite_only "the backup is a SQLite store that check opens; PostgreSQL's is pg_dump's"
	new_store
	rm -f locked
	printf 'BEGIN IMMEDIATE;\n.shell touch locked; sleep 2\nCOMMIT;\n' | sqlite3 "$PORTAL_DB" >/dev/null 2>&1 &
	holder=$!
	for _ in $(seq 1 100); do [ -e locked ] && break; sleep 0.05; done
	[ -e locked ]
	PORTAL_BUSY_TIMEOUT=300 run --separate-stderr portal-db backup b.db
	b=$status
	PORTAL_BUSY_TIMEOUT=300 run --separate-stderr portal-db check
	c=$status
	wait "$holder"
	same 0 "$b" "backup's exit status"
	same 0 "$c" "check's exit status"
	portal-db -q --db b.db check
}

# ---- check ----

@test "check passes on a fresh store" {
	new_store
	run --separate-stderr portal-db check
	status_is 0
}

@test "check passes on a store with a school in it" {
	school 30
	run --separate-stderr portal-db check
	status_is 0
}

# settings: four config changes, so records 2..5 are referenced by no row.
settings() {
	new_store
	for v in A B C D; do portal-db -q config school.name "Школа $v"; done
}

@test "check: an audit record edited behind the toolkit's back exits 65 naming it" {
	settings
	sqlite3 "$PORTAL_DB" "UPDATE audit SET detail='x' WHERE seq=2"
	run --separate-stderr portal-db check
	status_is 65
	grep -qw 2 <<<"$stderr"
	contains "record 2" "$stderr"
}

@test "check: an edited actor of the first record exits 65 naming record 1" {
	settings
	sqlite3 "$PORTAL_DB" "UPDATE audit SET actor='mallory' WHERE seq=1"
	run --separate-stderr portal-db check
	status_is 65
	contains "record 1" "$stderr"
}

@test "check: a deleted middle audit record exits 65 naming it" {
	settings
	sqlite3 "$PORTAL_DB" "DELETE FROM audit WHERE seq=3"
	run --separate-stderr portal-db check
	status_is 65
	contains "record 3" "$stderr"
}

@test "check: a deleted audit record that a row refers to exits 65 naming it" {
	sqlite_only "PostgreSQL's foreign keys refuse the deletion itself"
	[ -f "$CALENDAR" ] || skip "no $CALENDAR"
	new_store
	portal-db -q calendar import "$CALENDAR"
	sqlite3 "$PORTAL_DB" "DELETE FROM audit WHERE seq=5"
	run --separate-stderr portal-db check
	status_is 65
	contains "record 5" "$stderr"
}

@test "check: the deleted last (newest) audit record exits 65" {
	settings
	last=$(q 'SELECT max(seq) FROM audit')
	sqlite3 "$PORTAL_DB" "DELETE FROM audit WHERE seq=$last"
	run --separate-stderr portal-db check
	status_is 65
	contains "$last" "$stderr"
}

@test "check: a broken reference exits 65" {
	sqlite_only "it breaks a reference with foreign keys off, which PostgreSQL never allows"
	school 30
	sqlite3 "$PORTAL_DB" "PRAGMA foreign_keys=OFF; UPDATE guardian_links SET student_id='S99999' WHERE rowid=(SELECT min(rowid) FROM guardian_links)"
	run --separate-stderr portal-db check
	status_is 65
}

# ---- audit ----

@test "audit lists records with the SPEC columns" {
	new_store
	portal-db -q config school.name "Школа 1"
	run --separate-stderr portal-db audit
	status_is 0
	same "seq,at,actor,tool,action,object,detail,valid,invalid_reason" "${lines[0]}" "header"
	same 3 "${#lines[@]}" "lines"
	[[ "${lines[1]}" == 1,2026-11-28T09:00:00Z,admin,portal-db,init,* ]]
	[[ "${lines[2]}" == 2,2026-11-28T09:00:00Z,admin,portal-db,config,config:school.name,*,1, ]]
}

@test "audit --format json writes one object per line with the SPEC keys" {
	new_store
	portal-db -q config school.name "Школа 1"
	run --separate-stderr portal-db audit --format json
	status_is 0
	same 2 "${#lines[@]}" "lines"
	python3 -c '
import json, sys
want = ["seq","at","actor","tool","action","object","detail","valid","invalid_reason"]
for l in sys.stdin:
    o = json.loads(l)
    assert list(o) == want, list(o)
' <<<"$output"
}

@test "audit --actor filters by actor" {
	school 30
	PORTAL_ACTOR=t003 portal-accounts -q set S00001 email=kid@example.ru
	run --separate-stderr portal-db audit --actor t003
	status_is 0
	[ "${#lines[@]}" -ge 2 ]
	same 1 "$(tail -n +2 <<<"$output" | grep -c '^[0-9]*,[^,]*,t003,')" "t003's records"
	! tail -n +2 <<<"$output" | grep -v '^[0-9]*,[^,]*,t003,'
	run --separate-stderr portal-db audit --actor nobody
	status_is 0
	same 1 "${#lines[@]}" "only a header for nobody"
}

@test "audit --since shows records at or after the time" {
	new_store
	PORTAL_NOW=2026-11-28T10:00:00Z portal-db -q config school.name A
	PORTAL_NOW=2026-11-29T10:00:00Z portal-db -q config school.name B
	PORTAL_NOW=2026-11-30T10:00:00Z portal-db -q config school.name C
	run --separate-stderr portal-db audit --since 2026-11-29T10:00:00Z
	status_is 0
	same 3 "${#lines[@]}" "header and two records"
	[[ "${lines[1]}" == *,2026-11-29T10:00:00Z,* ]]
	[[ "${lines[2]}" == *,2026-11-30T10:00:00Z,* ]]
	run --separate-stderr portal-db audit --since 2027-01-01T00:00:00Z
	same 1 "${#lines[@]}" "only a header"
	run --separate-stderr portal-db audit --since yesterday
	status_is 64
}

@test "audit --since in the school's time zone (Moscow, UTC+3)" {
	new_store
	PORTAL_NOW=2026-11-29T06:00:00Z portal-db -q config school.name A
	PORTAL_NOW=2026-11-29T08:00:00Z portal-db -q config school.name B
	# 10:00 in Moscow is 07:00 UTC
	run --separate-stderr portal-db audit --since "29.11.2026 10:00"
	status_is 0
	same 2 "${#lines[@]}" "header and one record"
	[[ "${lines[1]}" == *,2026-11-29T08:00:00Z,* ]]
}

@test "audit --invalid on a store without breaches shows only the header" {
	new_store
	run --separate-stderr portal-db audit --invalid
	status_is 0
	same 1 "${#lines[@]}" "lines"
}

@test "audit --excel: BOM, ';' and CRLF" {
	new_store
	portal-db audit --excel >a.csv
	same "efbbbf" "$(head -c 3 a.csv | od -An -tx1 | tr -d ' \n')" "BOM"
	head -1 a.csv | grep -q $'^\xef\xbb\xbfseq;at;actor;tool;action;object;detail;valid;invalid_reason\r$'
}

@test "-o writes the output to a file" {
	new_store
	run --separate-stderr portal-db audit -o out.csv
	status_is 0
	same "" "$output" "stdout"
	same "seq,at,actor,tool,action,object,detail,valid,invalid_reason" "$(head -1 out.csv)"
}

@test "reading commands do not change the store" {
	school 30
	before=$(db_digest)
	portal-db -q version >/dev/null
	portal-db -q config >/dev/null
	portal-db -q audit >/dev/null
	portal-db -q check
	portal-db -q calendar list >/dev/null
	same "$before" "$(db_digest)" "store digest"
}
