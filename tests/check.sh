#!/bin/sh
# make check: the build, the unit and CLI tests (plainly, again on PostgreSQL, then under ASan/UBSan),
# the man page lint, the layering, the translations (po-check) and a short fuzz, in that order, each step's output shown and kept in
# build/check/STEP.log; a failing step stops the run. The last line counts the tests of every step
# that ran: "check: N passed, M failed, K skipped (…)".
set -u
dir=build/check
mkdir -p "$dir"
rm -f "$dir"/*.log "$dir"/*.rc
failed_step=
pg_skipped=

step() { # step NAME COMMAND...: runs it, its output to the terminal and NAME.log
	name=$1
	shift
	[ -z "$failed_step" ] || return 0
	echo "== $name: $*"
	{ "$@" 2>&1; echo $? > "$dir/$name.rc"; } | tee "$dir/$name.log"
	[ "$(cat "$dir/$name.rc")" = 0 ] || failed_step=$name
}

step build make all
step unit make unit
step cli make cli
# the unit and CLI tests again on a PostgreSQL cluster the step makes and removes (pg_virtualenv)
if command -v pg_virtualenv >/dev/null 2>&1; then
	step pg make check-pg
else
	echo "== pg: skipped: pg_virtualenv is not installed (make deps installs postgresql-common)"
	pg_skipped=1
fi
step manlint make manlint
step layers make layers
step po make po-check
step asan make check-asan
step fuzz make fuzz-smoke

# cmocka: a RUN line per test, OK when it passes, the skipped counted in its summary ("N test(s), listed below"); bats (TAP): ok, ok … # skip, not ok
cat "$dir"/*.log 2>/dev/null | awk -v failed_step="$failed_step" -v pg_skipped="$pg_skipped" '
	/^\[ RUN      \]/ { unit++ }
	/^\[       OK \]/ { unit_ok++ }
	/^\[  SKIPPED \] [0-9]+ test\(s\), listed below/ { unit_skip += $4 }
	/^ok [0-9]+ / { if (/ # [Ss][Kk][Ii][Pp]/) cli_skip++; else cli_ok++ }
	/^not ok [0-9]+ / { cli_bad++ }
	END {
		unit_bad = unit - unit_ok - unit_skip
		passed = unit_ok + cli_ok; failed = unit_bad + cli_bad; skipped = unit_skip + cli_skip
		printf "check: %d passed, %d failed, %d skipped (unit tests %d, CLI tests %d, counted each time they ran)%s\n",
			passed, failed, skipped, unit, cli_ok + cli_bad + cli_skip,
			(pg_skipped != "" ? "; not on PostgreSQL: no pg_virtualenv" : "") \
			(failed_step != "" ? "; stopped at the step " failed_step : "")
	}'
[ -z "$failed_step" ]
