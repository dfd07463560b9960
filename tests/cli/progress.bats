#!/usr/bin/env bats
# Nothing silent for long on a terminal: the marks import, the extracts (with
# and without --send), issuing accounts and the nightly run show a progress
# line on a terminal (run here under script(1), which gives them one) and then
# a one-line summary in its place; to a file or a pipe only the summary; with
# -q nothing. Every person here is made up by portal-synth.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	command -v script >/dev/null || skip "needs script(1) (util-linux) for a terminal"
}

# pschool: the synthetic school of 40 students (5А, 5Б) with its periods,
# timetable and lessons; the marks are left for the test to import.
pschool() {
	school 40 7 || return 1
	"$SYNTH" --students 40 --seed 7 --journal --out "$BATS_TEST_TMPDIR/j" || return 1
	portal-journal -q periods import "$BATS_TEST_TMPDIR/j/periods.csv" || return 1
	portal-journal -q import schedule "$BATS_TEST_TMPDIR/j/schedule.csv" || return 1
	portal-journal -q import lessons "$BATS_TEST_TMPDIR/j/lessons.csv" || return 1
	MARKS=j/marks.csv	# the tests run in BATS_TEST_TMPDIR; a short name keeps the line whole
	NMARKS=$(($(wc -l <"$MARKS") - 1))
}

# on_tty CMD: runs the shell command CMD with a terminal for its standard error (and output);
# $output is what the terminal got, carriage returns kept.
on_tty() {
	run script -qec "$1" /dev/null </dev/null
}

# grouped N: N with its digits in groups of three, as the line shows it (17 221).
grouped() {
	sed ':a; s/\B[0-9]\{3\}\>/ &/; ta' <<<"$1"
}

# the_lines: $output split at carriage returns and line ends, one piece a line.
the_lines() {
	tr '\r' '\n' <<<"$output"
}

@test "portal-journal import marks: a progress line on a terminal, then the summary in its place" {
	pschool
	on_tty "portal-journal import marks '$MARKS'"
	status_is 0
	[[ "$output" == *$'\r'"portal-journal: import marks $MARKS: $(grouped "$NMARKS") rows, 100%"* ]] ||
		{ printf 'no last state of the line in:\n%s\n' "$(the_lines)"; return 1; }
	# the summary takes the line's place: a carriage return, then the summary and the line end
	contains $'\r'"portal-journal: inserted $NMARKS, updated 0, unchanged 0"
	same "portal-journal: inserted $NMARKS, updated 0, unchanged 0" "$(the_lines | grep -v '^ *$' | tail -n 1 | tr -d '\r')" "the last line"
}

@test "portal-journal import marks to a file or a pipe: the summary alone; -q: nothing" {
	pschool
	portal-journal import marks "$MARKS" 2>err.txt
	same "portal-journal: inserted $NMARKS, updated 0, unchanged 0" "$(cat err.txt)" "stderr to a file"
	run --separate-stderr portal-journal import marks "$MARKS"
	status_is 0
	same "portal-journal: inserted 0, updated 0, unchanged $NMARKS" "$stderr" "stderr to a pipe"
	on_tty "portal-journal import marks -q '$MARKS'"
	status_is 0
	same "" "$output" "the terminal with -q"
}

@test "portal-extract: extracts of each class counted by students on a terminal; the summary alone to a pipe" {
	pschool
	portal-journal -q import marks "$MARKS"
	n=$(portal-extract --class 5А --period '2 четверть' --dry-run 2>/dev/null | tail -n +2 | wc -l)
	on_tty "portal-extract --class 5А --period '2 четверть' -o ex/ >manifest.csv"
	status_is 0
	contains $'\r'"portal-extract: extracts of 5А: $n/$n students, 100%"
	same "portal-extract: $n paper, 0 e-mail" "$(the_lines | grep -v '^ *$' | tail -n 1 | tr -d '\r')" "the summary"
	same $((n + 1)) "$(wc -l <manifest.csv)" "manifest lines"
	n=$(portal-extract --class 5Б --period '2 четверть' --dry-run 2>/dev/null | tail -n +2 | wc -l)
	run --separate-stderr portal-extract --class 5Б --period "2 четверть" -o ex/
	status_is 0
	same "portal-extract: $n paper, 0 e-mail" "$stderr" "stderr to a pipe"
	on_tty "portal-extract -q --class 5Б --period '2 четверть' -o ex/ >/dev/null"
	status_is 0
	same "" "$output" "the terminal with -q"
}

@test "portal-extract --send: the e-mails handed over are counted on a terminal, then the summary" {
	pschool
	portal-journal -q import marks "$MARKS"
	printf '#!/bin/sh\ncat >/dev/null\n' >sendmail
	chmod +x sendmail
	portal-db config mail.sendmail "$BATS_TEST_TMPDIR/sendmail"
	for g in $(portal-accounts list guardians --class 5А | awk -F, 'NR > 1 && NR <= 4 { print $1 }'); do
		portal-accounts -q set "$g" email="$g@example.org"
		portal-consent -q record --guardian "$g" --decision given --signed-on 01.09.2026
	done
	n=$(portal-consent status --class 5А | awk -F, '$9 == "electronic"' | wc -l)
	[ "$n" -gt 0 ]
	students=$(portal-extract --class 5А --period '2 четверть' --channel paper --dry-run 2>/dev/null | tail -n +2 | wc -l)
	on_tty "portal-extract --class 5А --period '2 четверть' --send -o ex/ >/dev/null"
	status_is 0
	contains $'\r'"portal-extract: extracts of 5А: $students/$students students, 100%"
	contains $'\r'"portal-extract: sending e-mails: $n/$n e-mails, 100%"
	contains "portal-extract: $n of $n e-mails handed to $BATS_TEST_TMPDIR/sendmail"
	# to a pipe: the summaries alone, no line drawn over
	run --separate-stderr portal-extract --class 5А --period "2 четверть" --send --resend -o ex2/
	status_is 0
	lacks $'\r' "$stderr"
	same "portal-extract: $n of $n e-mails handed to $BATS_TEST_TMPDIR/sendmail" "$(grep 'handed to' <<<"$stderr")" "stderr to a pipe"
	contains " paper, $n e-mail" "$stderr"
}

@test "portal-accounts issue: the passwords hashed are counted on a terminal, then the summary" {
	school 40 7
	n=$(portal-accounts issue --class 5А --dry-run 2>/dev/null | tail -n +2 | wc -l)
	on_tty "portal-accounts issue --class 5А -o slips.csv"
	status_is 0
	contains $'\r'"portal-accounts: hashing passwords: $n/$n accounts, 100%"
	same "portal-accounts: issued $n accounts" "$(the_lines | grep -v '^ *$' | tail -n 1 | tr -d '\r')" "the summary"
	run --separate-stderr portal-accounts issue --class 5Б -o slips-b.csv
	status_is 0
	lacks $'\r' "$stderr"
	contains "portal-accounts: issued" "$stderr"
	on_tty "portal-accounts issue -q --class 5Б --reissue -o slips-c.csv"
	status_is 0
	same "" "$output" "the terminal with -q"
}

@test "portal-report nightly: the class workbooks are counted on a terminal; cron gets the summary alone" {
	pschool
	portal-journal -q import marks "$MARKS"
	on_tty "portal-report nightly --out reports"
	status_is 0
	contains $'\r'"portal-report: nightly workbooks: 2/2 classes, 100%"
	contains "portal-report: reports/2026-11-28: 2 class workbooks and summary.csv"
	# as cron runs it: no terminal, and -q
	run --separate-stderr portal-report nightly --out reports2
	status_is 0
	lacks $'\r' "$stderr"
	same 1 "$(wc -l <<<"$stderr")" "summary lines"
	run --separate-stderr portal-report nightly --out reports3 -q
	status_is 0
	same "" "$stderr" "stderr with -q"
}
