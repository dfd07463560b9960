# Common setup for the CLI tests: `load helpers` at the top of a .bats file.
#
# Every test gets its own store in BATS_TEST_TMPDIR, a fixed clock and the
# binaries of this tree first on PATH. All people in the fixtures are made up.
#
# PORTAL_TEST_ENGINE=postgresql (make check-pg, inside pg_virtualenv, whose PG*
# variables name the cluster): a store is a school schema of that database
# instead of a file. store_at names one by the file it stands for, store_cp copies
# one, store_exists asks for one; q, audit_count, table_digest and db_digest ask
# the engine that runs; `sqlite3 "$PORTAL_DB" SQL` runs SQL on the school with
# psql, a script on stdin holding the writer's lock holds the school's, and any
# other use of sqlite3 on the store fails, naming sqlite_only.

ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
# make check-asan points PORTAL_BIN and PORTAL_SYNTH at the sanitizer build
PATH="${PORTAL_BIN:-$ROOT/bin}:$ROOT/build:$PATH"
# the translations of that build ($(B)/locale beside $(B)/bin); bin/ finds build/locale itself
[ -z "${PORTAL_BIN:-}" ] || [ ! -d "$PORTAL_BIN/../locale" ] ||
	export PORTAL_LOCALEDIR="${PORTAL_LOCALEDIR:-$PORTAL_BIN/../locale}"
SYNTH="${PORTAL_SYNTH:-$ROOT/build/portal-synth}"
# the sanitizers' settings (make check-asan), for a test that runs a command in a cleared
# environment (env -i "${SAN_ENV[@]}" …): the suppressions still apply
SAN_ENV=()
for v in LSAN_OPTIONS ASAN_OPTIONS UBSAN_OPTIONS; do [ -z "${!v:-}" ] || SAN_ENV+=("$v=${!v}"); done
unset v
CALENDAR="$ROOT/share/examples/производственный-календарь-2026-2027.csv"

PG_TEST=
[ "${PORTAL_TEST_ENGINE:-sqlite}" = postgresql ] && PG_TEST=1

# store_at FILE: the store that stands for FILE: FILE itself, or on PostgreSQL the URI of a
# school whose name is made from FILE (the same FILE, the same school).
store_at() {
	if [ -n "$PG_TEST" ]; then
		echo "postgresql:///${PGDATABASE:-postgres}?school=s$(printf %s "$1" | sha256sum | cut -c1-16)"
	else
		echo "$1"
	fi
}

# pg_school [STORE]: the school (schema) of a PostgreSQL store's URI
pg_school() {
	local u=${1:-$PORTAL_DB}
	echo "${u##*school=}"
}

# store_exists [STORE]
store_exists() {
	local db=${1:-$PORTAL_DB}
	if [[ $db == postgresql://* ]]; then
		[ "$(psql -XAtq -c "SELECT count(*) FROM pg_namespace WHERE nspname = '$(pg_school "$db")'")" = 1 ]
	else
		[ -e "$db" ]
	fi
}

# store_absent [STORE]: no such store
store_absent() {
	! store_exists "$@"
}

# store_rm [STORE]: the store is no more.
store_rm() {
	local db=${1:-$PORTAL_DB}
	if [[ $db == postgresql://* ]]; then
		PGOPTIONS=-cclient_min_messages=warning psql -XAtq -c "DROP SCHEMA IF EXISTS $(pg_school "$db") CASCADE" >/dev/null
	else
		rm -f "$db"
	fi
}

# store_cp FROM TO: a copy of a store (each a file, or a URI of store_at); TO is replaced.
store_cp() {
	if [[ $1 == postgresql://* ]]; then
		local from to
		from=$(pg_school "$1") to=$(pg_school "$2")
		PGOPTIONS=-cclient_min_messages=warning psql -XAtq -v ON_ERROR_STOP=1 -c "DROP SCHEMA IF EXISTS $to CASCADE" >/dev/null || return 1
		pg_dump -n "$from" | sed "s/\b$from\b/$to/g" | psql -Xq -v ON_ERROR_STOP=1 >/dev/null || return 1
	else
		cp "$1" "$2"
	fi
}

# sqlite_only REASON: skips a test that can hold on SQLite only, saying why.
sqlite_only() {
	[ -z "$PG_TEST" ] || skip "SQLite only: $1"
}

# pg_only REASON: skips a test that can hold on PostgreSQL only, saying why.
pg_only() {
	[ -n "$PG_TEST" ] || skip "PostgreSQL only: $1"
}

# psql_school SQL [STORE]: SQL on the school's schema, sqlite3's output (| between columns).
psql_school() {
	PGOPTIONS="-csearch_path=$(pg_school "${2:-$PORTAL_DB}")" psql -XAtq -v ON_ERROR_STOP=1 -c "$1"
}

if [ -n "$PG_TEST" ]; then
	# sqlite3 STORE SQL: a plain query on the school; anything else is SQLite's own.
	sqlite3() {
		if [ $# -eq 2 ] && [[ $1 == postgresql://* ]] && [[ $2 != .* ]] && [[ ${2^^} != PRAGMA* ]]; then
			psql_school "$2" "$1"
			return
		fi
		# a script on stdin that holds the writer's lock (BEGIN IMMEDIATE; .shell …; COMMIT;):
		# the school's writer lock, which PostgreSQL writers wait for as SQLite's wait for BEGIN IMMEDIATE
		if [ $# -eq 1 ] && [[ $1 == postgresql://* ]]; then
			local script key
			script=$(cat)
			key="1886351984, hashtext('$(pg_school "$1")')"
			if [[ $script == *'BEGIN IMMEDIATE;'* ]] && [[ $script != *EXCLUSIVE* ]]; then
				sed -e "s/^BEGIN IMMEDIATE;/SELECT pg_advisory_lock($key);/" -e 's/^\.shell /\\! /' \
					-e "s/^COMMIT;/SELECT pg_advisory_unlock($key);/" <<<"$script" |
					PGOPTIONS="-csearch_path=$(pg_school "$1")" psql -XAtq -v ON_ERROR_STOP=1
				return
			fi
		fi
		echo "sqlite3 $*: SQLite's own; the test calls sqlite_only" >&2
		return 1
	}
fi

setup() {
	export PORTAL_DB
	PORTAL_DB=$(store_at "$BATS_TEST_TMPDIR/p.db")
	export PORTAL_ACTOR=admin
	export PORTAL_NOW=2026-11-28T09:00:00Z
	unset PORTAL_BUSY_TIMEOUT SOURCE_DATE_EPOCH
	# messages in English, whatever the language of the shell that runs the tests (LANGUAGE
	# outranks LC_ALL for messages in glibc, even under C.UTF-8); i18n.bats asks for Russian
	export LC_ALL=C.UTF-8
	unset LANGUAGE
	cd "$BATS_TEST_TMPDIR" || return 1
}

# new_store: a fresh store with the admin "admin".
new_store() {
	portal-db init --admin admin 2>/dev/null
}

# school N [SEED]: a synthetic school of N students in $BATS_TEST_TMPDIR/s,
# imported into the store (created when missing): staff, students,
# guardians, groups.
school() {
	local n=${1:-40} seed=${2:-7} k
	store_exists || new_store || return 1
	"$SYNTH" --students "$n" --seed "$seed" --out "$BATS_TEST_TMPDIR/s" || return 1
	for k in staff students guardians; do
		portal-accounts -q import "$k" "$BATS_TEST_TMPDIR/s/$k.csv" || {
			echo "school: import $k failed" >&2
			return 1
		}
	done
	portal-accounts -q groups import "$BATS_TEST_TMPDIR/s/groups.csv" || {
		echo "school: groups import failed" >&2
		return 1
	}
}

# on_tty CMD [ARG...]: runs the command with a terminal (a pseudo-terminal) as its standard input
# and output, as a person types it; sets status and output like run (output with CR LF).
on_tty() {
	local q
	printf -v q '%q ' "$@"
	run script -qec "$q" /dev/null
}

# checkpoint [DB]: folds a pending -wal file back into the store file, so the
# file's bytes are the store's content.
checkpoint() {
	local db=${1:-$PORTAL_DB}
	[[ $db == postgresql://* ]] && return 0
	if [ -s "$db-wal" ]; then
		sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null || return 1
	fi
	if [ -s "$db-wal" ]; then
		echo "checkpoint: $db-wal is still pending" >&2
		return 1
	fi
}

# db_digest [DB]: "DUMP_SHA FILE_SHA": the SHA-256 of the SQL dump and of the
# store file itself (after a checkpoint), so one comparison checks both.
db_digest() {
	local db=${1:-$PORTAL_DB} d f
	if [[ $db == postgresql://* ]]; then
		# each table's rows in any order (a sequence used by a rollback is no change), by one query:
		# query_to_xml runs the SELECT made for each table (pg_dump took ten times as long)
		d=$(psql -XAtq -v ON_ERROR_STOP=1 -v school="$(pg_school "$db")" <<'SQL'
SELECT c.relname, (xpath('/row/h/text()', query_to_xml(format(
	'SELECT md5(COALESCE(string_agg(x::text, E''\n'' ORDER BY x::text), '''')) AS h FROM %I.%I x',
	n.nspname, c.relname), false, true, '')))[1]
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = :'school' AND c.relkind = 'r' ORDER BY c.relname;
SQL
		) || return 1
		d=$(sha256sum <<<"$d" | cut -d' ' -f1)
		echo "$d $d"
		return
	fi
	checkpoint "$db" || return 1
	d=$(sqlite3 "$db" .dump | sha256sum | cut -d' ' -f1) || return 1
	checkpoint "$db" || return 1
	f=$(sha256sum <"$db" | cut -d' ' -f1) || return 1
	echo "$d $f"
}

# table_digest TABLE [DB]: the SHA-256 of one table's rows.
table_digest() {
	q "SELECT * FROM $1 ORDER BY 1, 2" "${2:-$PORTAL_DB}" | sha256sum | cut -d' ' -f1
}

# audit_count [DB]
audit_count() {
	q 'SELECT count(*) FROM audit' "${1:-$PORTAL_DB}"
}

# q SQL [STORE]: one query against the store.
q() {
	local db=${2:-$PORTAL_DB}
	if [[ $db == postgresql://* ]]; then
		psql_school "$1" "$db"
	else
		command sqlite3 "$db" "$1"
	fi
}

# to_cp1251 < UTF-8 > cp1251
to_cp1251() {
	iconv -f utf-8 -t cp1251
}

# crlf < LF > CRLF
crlf() {
	sed 's/$/\r/'
}

# has_line LINE: LINE is a whole line of $output.
has_line() {
	if ! grep -qxF -- "$1" <<<"$output"; then
		printf 'missing line: %s\ngot:\n%s\n' "$1" "$output"
		return 1
	fi
}

# lacks_line LINE: LINE is not a line of $output.
lacks_line() {
	if grep -qxF -- "$1" <<<"$output"; then
		printf 'unexpected line: %s\ngot:\n%s\n' "$1" "$output"
		return 1
	fi
}

# contains TEXT [WHAT]: TEXT occurs in $output (or in WHAT).
contains() {
	local hay=${2-$output}
	if [[ "$hay" != *"$1"* ]]; then
		printf 'missing: %s\ngot:\n%s\n' "$1" "$hay"
		return 1
	fi
}

# lacks TEXT [WHAT]: TEXT does not occur in $output (or in WHAT).
lacks() {
	local hay=${2-$output}
	if [[ "$hay" == *"$1"* ]]; then
		printf 'unexpected: %s\ngot:\n%s\n' "$1" "$hay"
		return 1
	fi
}

# status_is N: the last `run` exited with N (shows the output when not).
status_is() {
	if [ "$status" -ne "$1" ]; then
		printf 'exit status %s, expected %s\noutput:\n%s\n' "$status" "$1" "$output"
		[ -z "${stderr-}" ] || printf 'stderr:\n%s\n' "$stderr"
		return 1
	fi
}

# same A B [WHAT]: A equals B.
same() {
	if [ "$1" != "$2" ]; then
		printf '%s differs:\n  expected: %s\n  actual:   %s\n' "${3:-value}" "$1" "$2"
		return 1
	fi
}

# file_mode PATH: the octal permission bits.
file_mode() {
	stat -c %a "$1"
}

# the system python (python3 on PATH may be another, without the modules the tests use)
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

# col NAME[,NAME…] [COLUMN=VALUE…] < CSV: the values of the named columns
# (joined by commas) of the rows that match every COLUMN=VALUE, one a line.
# A missing column is an error, and prints a line that no expectation matches.
col() {
	"$PY" -c '
import csv, sys
names = sys.argv[1].split(",")
cond = [a.split("=", 1) for a in sys.argv[2:]]
r = csv.DictReader(sys.stdin)
for n in names + [k for k, _ in cond]:
    if n not in (r.fieldnames or []):
        print("col: no column %r" % n)  # on stdout too: no comparison passes
        sys.exit("col: no column %r in %r" % (n, r.fieldnames))
for row in r:
    if all(row[k] == v for k, v in cond):
        print(",".join(row[n] for n in names))
' "$@"
}

# smtp_start [REFUSE]: the test's SMTP server (smtp-sink.py, refusing the address REFUSE) in
# $BATS_TEST_TMPDIR/sink; sets SINK, SINK_PID and SMTP_PORT. smtp_stop (in teardown) ends it.
smtp_start() {
	local i
	SINK=$BATS_TEST_TMPDIR/sink
	mkdir -p "$SINK"
	"$PY" "$BATS_TEST_DIRNAME/smtp-sink.py" "$SINK" "$@" &
	SINK_PID=$!
	for i in $(seq 1 100); do
		[ -s "$SINK/port" ] && break
		sleep 0.05
	done
	[ -s "$SINK/port" ] || { echo "smtp_start: no port" >&2; return 1; }
	SMTP_PORT=$(cat "$SINK/port")
}

smtp_stop() {
	[ -n "${SINK-}" ] && [ -d "$SINK" ] && touch "$SINK/stop"
	[ -n "${SINK_PID-}" ] && wait "$SINK_PID" 2>/dev/null || true
}

# examples_school: the school of share/examples (cp1251, as Excel saves it) in a new store at
# PORTAL_DB: staff, students, guardians, groups, periods, the timetable, 7А's marks, the consents.
examples_school() {
	local ex=$ROOT/share/examples k
	portal-db -q init --admin admin || return 1
	for k in staff:сотрудники students:ученики guardians:родители; do
		portal-accounts -q import "${k%%:*}" --encoding cp1251 "$ex/${k#*:}.csv" || return 1
	done
	portal-accounts -q groups import --encoding cp1251 "$ex/группы.csv" &&
		portal-journal -q periods import --encoding cp1251 "$ex/четверти.csv" &&
		portal-journal -q import schedule --encoding cp1251 "$ex/расписание.csv" &&
		portal-journal -q import marks --encoding cp1251 "$ex/отметки.csv" &&
		portal-consent -q import --encoding cp1251 "$ex/согласия.csv"
}
