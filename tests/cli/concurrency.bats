#!/usr/bin/env bats
# Many programs on one store at once, as a district's cron jobs and teachers run them: on
# PostgreSQL (make check-pg) the writers of a school take its lock one at a time and a reader
# reads a snapshot; on SQLite the same holds by WAL and the busy timeout.

load helpers
bats_require_minimum_version 1.5.0

# totals FILE: "CLASS ASSESSED" of a progress report, the assessed students of every subject summed
totals() {
	awk -F, 'NR > 1 { n[$1] += $5 } END { for (c in n) print c, n[c] }' "$1" | sort
}

@test "four importers of different classes and two report readers at once: no error, the right totals, each class whole or absent" {
	school 96 7
	"$SYNTH" --students 96 --seed 7 --journal --out j >/dev/null
	portal-journal -q periods import j/periods.csv
	# the year's marks of each class in a file of its own, as its teachers export them
	awk -F, 'NR == FNR { if (FNR > 1) cls[$1] = $6; next }
		FNR == 1 { header = $0; next }
		{ f = "marks-" cls[$1] ".csv"; if (!(f in made)) { print header > f; made[f] = 1 } print > f }' \
		j/students.csv j/marks.csv
	same 4 "$(ls marks-*.csv | wc -l)" "class files"

	# two readers of the whole school's progress until the importers are done
	reader() {
		local i=0
		while [ ! -e done ] || [ "$i" -eq 0 ]; do
			portal-report progress --all --period "1 четверть" >"read$1-$i.csv" 2>"read$1-$i.err" ||
				echo "reader $1, run $i: exit $?" >>failures
			i=$((i + 1))
		done
	}
	reader 1 &
	local r1=$!
	reader 2 &
	local r2=$!
	local pids=() f p
	for f in marks-*.csv; do
		portal-journal import marks -q "$f" 2>"$f.err" &
		pids+=($!)
	done
	for p in "${pids[@]}"; do
		wait "$p" || echo "an importer: exit $?" >>failures
	done
	touch done
	wait "$r1" "$r2"
	[ ! -e failures ] || { cat failures; false; }
	for f in marks-*.csv.err read*.err; do
		[ ! -s "$f" ] || { echo "$f:"; cat "$f"; false; }
	done

	# every mark of every file is there, each class's under its own import's record
	local cls
	for f in marks-*.csv; do
		cls=${f#marks-}
		cls=${cls%.csv}
		same $(($(wc -l <"$f") - 1)) "$(q "SELECT count(*) FROM marks m JOIN students s ON s.student_id = m.student_id WHERE s.class = '$cls'")" "marks of $cls"
	done
	same 4 "$(q "SELECT count(*) FROM audit WHERE action = 'import marks'")" "import records"
	same 4 "$(q "SELECT count(DISTINCT audit_seq) FROM marks")" "the marks' records"
	run --separate-stderr portal-db check
	status_is 0

	# each read saw a class's import whole or not at all
	portal-report progress --all --period "1 четверть" >final.csv
	totals final.csv >final.txt
	same 4 "$(wc -l <final.txt)" "classes in the final report"
	local reads=0 line n
	for f in read*.csv; do
		reads=$((reads + 1))
		while read -r cls n; do
			line=$(grep "^$cls " final.txt) || { echo "$f: class $cls is not in the final report"; false; }
			[ "$n" = 0 ] || [ "$line" = "$cls $n" ] || { echo "$f: $cls $n, the final report has $line"; false; }
		done < <(totals "$f")
	done
	[ "$reads" -ge 2 ]
}
