#!/bin/sh
# PostgreSQL's part of make bench, inside a throw-away cluster of pg_virtualenv (run.sh starts it):
# the 3,000-student school of run.sh (DIR/s) in a school schema, its year of marks imported against
# psql's \copy into a flat table with the same unique key, the whole-school progress report against
# the flat SQL query, beside the SQLite figures run.sh left in DIR/sqlite.txt; then a region, 100
# schools of 300 students in one database, and portal-report nightly for all of them, as many at
# once as there are cores: the total time and the peak memory of one run.
# Usage: pg.sh DIR (PG* name the cluster). Figures only; the aims are printed beside them.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$1
PATH="$top/bin:$PATH"
db=${PGDATABASE:-postgres}
export PORTAL_DB="postgresql:///$db?school=bench" PORTAL_ACTOR=admin PORTAL_NOW=2026-11-28T09:00:00Z
export PGOPTIONS="-c client_min_messages=warning"
cores=$(nproc)

secs() { # secs COMMAND…: wall seconds of one run
	s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N)
	echo "$s $e" | awk '{ printf "%.3f", $2 - $1 }'
}
best() { # best N COMMAND…: the fastest of N runs, in seconds
	n=$1; shift; b=999999
	for i in $(seq "$n"); do t=$(secs "$@"); b=$(echo "$b $t" | awk '{ print ($2 < $1) ? $2 : $1 }'); done
	echo "$b"
}

echo "PostgreSQL $(psql -XAtq -c 'SHOW server_version'), a local cluster (fsync $(psql -XAtq -c 'SHOW fsync')):"

# The school: the roster, then the year of marks, against \copy into a flat table with their key.
portal-db init --admin admin -q
for k in staff students; do portal-accounts import -q "$k" "$dir/s/$k.csv"; done
portal-journal periods import -q "$dir/s/periods.csv"
marks="$dir/s/marks.csv"
rows=$(($(wc -l < "$marks") - 1))
set -- $(/usr/bin/time -f "%e %M" portal-journal import marks -q "$marks" 2>&1 | tail -n 1)
t_ours=$1 m_ours=$2
psql -XAtq -c "CREATE SCHEMA flat; CREATE TABLE flat.marks (student_id text, subject text, date text, value text,
	weight text, kind text, lesson_no text, teacher_id text);
	CREATE UNIQUE INDEX marks_identity ON flat.marks (student_id, subject, date, lesson_no, kind)"
t_copy=$(secs psql -XAtq -c "\\copy flat.marks FROM '$marks' WITH (FORMAT csv, HEADER true)")
echo "$t_ours $t_copy" | awk '{ printf "  marks import, '"$rows"' rows: ours %.2f s, psql \\copy %.2f s, ratio %.2f (goal <= 1.0)\n", $1, $2, $1 / $2 }'
echo "  peak memory: $m_ours KiB"
t=$(secs portal-journal import marks -q "$marks")
echo "  marks import again (nothing changes): $t s"

# The whole-school progress report against the same numbers from the flat tables in SQL.
set -- $(awk -F, '$1 == "2 четверть" { print $2, $3 }' "$dir/s/periods.csv")
from=$1 to=$2
psql -XAtq -c "CREATE TABLE flat.students (student_id text PRIMARY KEY, last_name text, first_name text,
	middle_name text, birth_date text, class text, email text, phone text, status text, left_on text)"
psql -XAtq -c "\\copy flat.students FROM '$dir/s/students.csv' WITH (FORMAT csv, HEADER true)"
cat > "$dir/flat-pg.sql" <<SQL
WITH a AS (SELECT student_id, subject, SUM(value::float8 * weight::float8) / SUM(weight::float8) AS avg
           FROM flat.marks WHERE date BETWEEN '$from' AND '$to' GROUP BY student_id, subject),
     m AS (SELECT s.class, a.subject, a.avg, CASE WHEN a.avg >= 4.5 THEN 5 WHEN a.avg >= 3.5 THEN 4 WHEN a.avg >= 2.5 THEN 3 ELSE 2 END AS mark
           FROM a JOIN flat.students s ON s.student_id = a.student_id WHERE s.status = 'active' OR s.left_on >= '$to')
SELECT class, subject, COUNT(*), ROUND(AVG(avg)::numeric, 2),
       ROUND(COUNT(*) FILTER (WHERE mark >= 3) * 100.0 / COUNT(*), 1), ROUND(COUNT(*) FILTER (WHERE mark >= 4) * 100.0 / COUNT(*), 1),
       ROUND((COUNT(*) FILTER (WHERE mark = 5) * 100 + COUNT(*) FILTER (WHERE mark = 4) * 64 + COUNT(*) FILTER (WHERE mark = 3) * 36
              + COUNT(*) FILTER (WHERE mark = 2) * 16) * 1.0 / COUNT(*), 1),
       COUNT(*) FILTER (WHERE mark = 5), COUNT(*) FILTER (WHERE mark = 4), COUNT(*) FILTER (WHERE mark = 3), COUNT(*) FILTER (WHERE mark = 2)
FROM m GROUP BY class, subject ORDER BY class, subject;
SQL
psql -XAtq -c "ANALYZE flat.marks; ANALYZE flat.students"
t_report=$(best 5 portal-report progress --all --period "2 четверть")
t_flat=$(best 5 psql -XAtq --csv -f "$dir/flat-pg.sql")
echo "$t_report $t_flat" | awk '{ printf "  progress report, whole school, 2 четверть: ours %.3f s, flat SQL %.3f s, ratio %.2f (goal <= 0.5)\n", $1, $2, $1 / $2 }'

# Side by side: the same two on each engine, measured in this run.
if [ -s "$dir/sqlite.txt" ]; then
	echo "the same two on each engine (ours / the engine's own, best is lower):"
	{ cat "$dir/sqlite.txt"
	  echo "postgresql marks $t_ours $t_copy"
	  echo "postgresql progress $t_report $t_flat"; } | awk '
		{ v[$1, $2] = sprintf("%.2f s / %.2f s = %.2f", $3, $4, $3 / $4); e[$1] = 1 }
		END {
			printf "  %-11s %-32s %s\n", "engine", "marks import (goal <= 1.0)", "progress report (goal <= 0.5)"
			for (x in e) printf "  %-11s %-32s %s\n", x, v[x, "marks"], v[x, "progress"]
		}'
fi

# The region: 100 schools of 300 students in one database, each its own schema, then nightly
# for all of them, as many at once as there are cores.
schools=${BENCH_SCHOOLS:-100}	# fewer to try the script
"$top/build/portal-synth" --students 300 --seed 5 --journal --out "$dir/r" >/dev/null
cat > "$dir/make-school.sh" <<'SH'
# make-school.sh N: school rN of the region, with the roster and the journal of $dir/r
set -e
export PORTAL_DB="postgresql:///$db?school=r$1"
portal-db init --admin admin -q
for k in staff students guardians; do portal-accounts import -q "$k" "$dir/r/$k.csv"; done
portal-accounts groups import -q "$dir/r/groups.csv"
portal-journal periods import -q "$dir/r/periods.csv"
for k in schedule lessons marks attendance finals; do portal-journal import -q "$k" "$dir/r/$k.csv"; done
SH
export dir db
s=$(date +%s.%N)
seq "$schools" | xargs -P "$cores" -n 1 sh "$dir/make-school.sh"
e=$(date +%s.%N)
size=$(psql -XAtq -c "SELECT pg_size_pretty(pg_database_size('$db'))")
echo "$s $e" | awk '{ printf "region: '"$schools"' schools of 300 students in one database ('"$size"'), made in %.0f s\n", $2 - $1 }'
for n in $(seq "$schools"); do mkdir -p "$dir/region/r$n"; done
set -- $(/usr/bin/time -f "%e %M" sh -c "seq $schools | xargs -P $cores -I{} env PORTAL_DB='postgresql:///$db?school=r{}' \
	portal-report nightly -q --out '$dir/region/r{}'" 2>&1 | tail -n 1)
t=$1 peak=$2
books=$(find "$dir/region" -name '*.xlsx' | wc -l)
echo "$t $peak $books" | awk '{ printf "  nightly for all, %d at once: %.1f s in all, %.2f s a school; %d class workbooks; peak memory of one run %d KiB\n",
	'"$cores"', $1, $1 / '"$schools"', $3, $2 }'
