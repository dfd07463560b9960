# Common setup for the CLI tests: `load helpers` at the top of a .bats file.
#
# Every test gets its own store in BATS_TEST_TMPDIR, a fixed clock and the
# binaries of this tree first on PATH. All people in the fixtures are made up.

ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
# make check-asan points PORTAL_BIN and PORTAL_SYNTH at the sanitizer build
PATH="${PORTAL_BIN:-$ROOT/bin}:$ROOT/build:$PATH"
SYNTH="${PORTAL_SYNTH:-$ROOT/build/portal-synth}"
CALENDAR="$ROOT/share/examples/производственный-календарь-2026-2027.csv"

setup() {
	export PORTAL_DB=$BATS_TEST_TMPDIR/p.db
	export PORTAL_ACTOR=admin
	export PORTAL_NOW=2026-11-28T09:00:00Z
	unset PORTAL_BUSY_TIMEOUT SOURCE_DATE_EPOCH
	export LC_ALL=C.UTF-8
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
	[ -e "$PORTAL_DB" ] || new_store || return 1
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

# checkpoint [DB]: folds a pending -wal file back into the store file, so the
# file's bytes are the store's content.
checkpoint() {
	local db=${1:-$PORTAL_DB}
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
	checkpoint "$db" || return 1
	d=$(sqlite3 "$db" .dump | sha256sum | cut -d' ' -f1) || return 1
	checkpoint "$db" || return 1
	f=$(sha256sum <"$db" | cut -d' ' -f1) || return 1
	echo "$d $f"
}

# table_digest TABLE [DB]: the SHA-256 of one table's rows.
table_digest() {
	sqlite3 "${2:-$PORTAL_DB}" "SELECT * FROM $1 ORDER BY 1, 2" | sha256sum | cut -d' ' -f1
}

# audit_count [DB]
audit_count() {
	sqlite3 "${1:-$PORTAL_DB}" 'SELECT count(*) FROM audit'
}

# q SQL: one query against the store.
q() {
	sqlite3 "$PORTAL_DB" "$1"
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
