#!/bin/sh
# make examples: share/examples, the sample files of the README's tour, made by portal-synth
# (made-up people only) the way Excel on a Russian Windows saves them: cp1251, ';', CRLF,
# Russian headers, DD.MM.YYYY, class names typed as people type them. The whole roster of a
# 300-student school; the journal of 7А for the second quarter; the consents of 7А's parents.
# The same seed gives the same bytes.
# Usage: examples.sh SYNTH OUTDIR
set -eu
synth=$1 out=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/portal-examples.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$synth" --students 300 --seed 5 --journal --excel --out "$tmp" >/dev/null
mkdir -p "$out"
# utf8 FILE: the file as UTF-8 with LF, for awk; cp1251 < UTF-8 > file: back as Excel saves it
utf8() { iconv -f cp1251 -t utf-8 "$1" | tr -d '\r'; }
cp1251() { iconv -f utf-8 -t cp1251 | sed 's/$/\r/'; }
for pair in staff:сотрудники students:ученики guardians:родители groups:группы periods:четверти \
	schedule:расписание holidays:каникулы; do
	cp "$tmp/${pair%%:*}.csv" "$out/${pair#*:}.csv"
done
# 7А however it was typed (7 А, 7a, 7А): its students' ids
utf8 "$tmp/students.csv" | awk -F';' 'NR > 1 { c = $6; gsub(/ /, "", c); sub(/a$/, "А", c); if (c == "7А") print $1 }' > "$tmp/ids"
# the rows of FILE whose column COL is a 7А student, dated (column DATE, DD.MM.YYYY) in the quarter
quarter() { # quarter FILE IDCOL DATECOL
	utf8 "$tmp/$1" | awk -F';' -v ic="$2" -v dc="$3" 'NR == FNR { id[$1] = 1; next }
		FNR == 1 { print; next }
		{ split($dc, d, "."); k = d[3] d[2] d[1] }
		($ic in id) && k >= "20261105" && k <= "20261228"' "$tmp/ids" -
}
quarter marks.csv 1 3 | cp1251 > "$out/отметки.csv"
quarter attendance.csv 1 2 | cp1251 > "$out/посещаемость-7а.csv"
quarter recommendations.csv 1 2 | cp1251 > "$out/рекомендации.csv"
# the class's own rows: lessons, tests and changes of 7А in the quarter
class_rows() { # class_rows FILE CLASSCOL DATECOL
	utf8 "$tmp/$1" | awk -F';' -v cc="$2" -v dc="$3" 'FNR == 1 { print; next }
		{ c = $cc; gsub(/ /, "", c); sub(/a$/, "А", c); split($dc, d, "."); k = d[3] d[2] d[1] }
		c == "7А" && k >= "20261105" && k <= "20261228"'
}
class_rows lessons.csv 1 4 | cp1251 > "$out/уроки.csv"
class_rows tests.csv 1 3 | cp1251 > "$out/контрольные.csv"
class_rows changes.csv 2 1 | cp1251 > "$out/замены.csv"
# the first quarter's final marks of 7А
utf8 "$tmp/finals.csv" | awk -F';' 'NR == FNR { id[$1] = 1; next } FNR == 1 || (($1 in id) && $3 == "1 четверть")' \
	"$tmp/ids" - | cp1251 > "$out/итоговые.csv"
# the parents' decisions as a class leader types them from the signed forms: most agree, some refuse,
# a few have not answered yet
utf8 "$tmp/guardians.csv" | awk -F';' 'NR == FNR { id[$1] = 1; next }
	FNR == 1 { print "ид родителя;ид ученика;решение;дата подписания;форма;документ"; next }
	($2 in id) { n++; if (n % 6 == 0) next
		printf "%s;%s;%s;%02d.09.2026;бумажная;заявление %d\n", $1, $2, n % 7 == 3 ? "отказ" : "согласие", 1 + n % 20, n }' \
	"$tmp/ids" - | cp1251 > "$out/согласия.csv"
