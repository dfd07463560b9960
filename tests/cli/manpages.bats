#!/usr/bin/env bats
# The man pages as an admin reads them: every portal-X(1) has the sections EXIT STATUS,
# ENVIRONMENT, FILES and EXAMPLES and points to portal(7); and the options a page lists are
# exactly those its binary's --help lists, both ways.

load helpers

BINS="portal-db portal-accounts portal-journal portal-consent portal-extract portal-ack portal-report portal-web"

# help_opts BIN: the options of "BIN --help" and of every verb's --help, one a line
help_opts() {
	local bin=$1 v
	{
		"$bin" --help 2>&1
		"$bin" --complete verbs | cut -f1 | while IFS= read -r v; do
			# the verb's words are split on purpose
			# shellcheck disable=SC2086
			"$bin" $v --help 2>&1
		done
	} | grep -oE -- '(^|[][ (|,])--?[a-z][a-z0-9-]*' | grep -oE -- '--?[a-z][a-z0-9-]*' | sort -u
}

# man_opts PAGE: the options a page lists: those of its SYNOPSIS and the items of its OPTIONS
man_opts() {
	awk '/^\.Sh SYNOPSIS/ { on = 1; next } /^\.Sh OPTIONS/ { on = 2; next } /^\.Sh / { on = 0 }
		on == 1 || (on == 2 && /^\.It /)' "$ROOT/share/man/$1" |
		grep -oE 'Fl (\\-)?[a-z][a-z0-9\\-]*' | sed -e 's/^Fl //' -e 's/\\-/-/g' -e 's/^/-/' | sort -u
}

@test "every portal-X(1) has EXIT STATUS, ENVIRONMENT, FILES and EXAMPLES, and portal(7) in SEE ALSO" {
	local bin sec
	for bin in $BINS; do
		for sec in 'EXIT STATUS' ENVIRONMENT FILES EXAMPLES 'SEE ALSO'; do
			grep -qx ".Sh $sec" "$ROOT/share/man/$bin.1" || { echo "$bin.1 has no $sec"; return 1; }
		done
		awk '/^\.Sh SEE ALSO/ { on = 1; next } /^\.Sh / { on = 0 } on' "$ROOT/share/man/$bin.1" |
			grep -qE '^\.Xr portal 7( ,)?$' || { echo "$bin.1: SEE ALSO lacks portal(7)"; return 1; }
		# an EXAMPLES section with a command in it
		awk '/^\.Sh EXAMPLES/ { on = 1; next } /^\.Sh / { on = 0 } on' "$ROOT/share/man/$bin.1" |
			grep -qE "(^|[\$ ])$bin " || { echo "$bin.1: EXAMPLES runs no $bin"; return 1; }
	done
	# portal(7) names every binary
	for bin in $BINS; do
		grep -qx "\.It Xr $bin 1" "$ROOT/share/man/portal.7" || { echo "portal.7 does not list $bin"; return 1; }
	done
}

@test "the pages are mandoc -T lint -W warning clean, portal(7) with them" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	run mandoc -T lint -W warning "$ROOT"/share/man/*.1 "$ROOT/share/man/portal.7"
	echo "$output"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "--help lists every option the man page lists, and the man page every option --help lists" {
	local bin page diffs=0
	for bin in $BINS; do
		page=$(man_opts "$bin.1")
		[ "$(wc -l <<<"$page")" -gt 8 ] || { echo "$bin.1: the options are not found: $page"; return 1; }
		if ! diff <(help_opts "$bin") <(echo "$page") >"$BATS_TEST_TMPDIR/d"; then
			echo "$bin: < only in --help, > only in $bin.1"
			cat "$BATS_TEST_TMPDIR/d"
			diffs=1
		fi
	done
	[ "$diffs" -eq 0 ]
}
