#!/bin/sh
# make demo: a synthetic school in a fresh store, as a school admin would set it up.
# Every person here is made up by build/portal-synth.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
PATH="$top/bin:$PATH"
dir=$(mktemp -d "${TMPDIR:-/tmp}/portal-demo.XXXXXX")
export PORTAL_DB="$dir/portal.db" PORTAL_ACTOR=admin
step() { printf '\n== %s\n$ %s\n' "$1" "$2"; }

step "a synthetic school of 300 students, saved the way Excel on a Russian Windows saves it" \
     "portal-synth --students 300 --excel --out $dir/school"
"$top/build/portal-synth" --students 300 --excel --out "$dir/school"
ls "$dir/school"

step "a fresh store and its first admin" "portal-db init --admin admin"
portal-db init --admin admin
portal-db config school.name "МБОУ СОШ № 1 (демо)"
portal-db calendar import "$top/share/demo/ru-production-calendar-2026-2027.csv" -q

step "the staff, the roster, the guardians and the study groups (cp1251, ';', Russian headers)" \
     "portal-accounts import students --encoding cp1251 $dir/school/students.csv"
for kind in staff students guardians; do
	portal-accounts import "$kind" --encoding cp1251 "$dir/school/$kind.csv"
done
portal-accounts groups import --encoding cp1251 -q "$dir/school/groups.csv"

step "the class list of 7А" "portal-accounts list students --class 7А --format table"
portal-accounts list students --class 7А --format table

step "its guardians" "portal-accounts list guardians --class 7А --format table"
portal-accounts list guardians --class 7А --format table | head -8

step "who leads 7А" "portal-accounts list staff --class 7А --format table"
portal-accounts list staff --class 7А --format table

step "credentials for 7А: students and parents, slips to print and cut (passwords appear only here)" \
     "portal-accounts issue --class 7А --format txt -o $dir/slips-7a.txt"
portal-db config portal.url https://portal.school.example
portal-db config support.contact "support@school.example, +7 800 000-00-00"
portal-accounts issue --class 7А --format txt -o "$dir/slips-7a.txt"
sed -n 1,12p "$dir/slips-7a.txt"
echo "… $(grep -c 'Логин:' "$dir/slips-7a.txt") slips in $dir/slips-7a.txt (mode 0600)"
portal-accounts list students --class 7А | cut -d, -f1,2,3,11 | head -4

step "the same import again changes nothing" "portal-accounts import students --encoding cp1251 …"
portal-accounts import students --encoding cp1251 "$dir/school/students.csv"

step "the store and its audit chain are sound" "portal-db check"
portal-db check
printf '\nThe store is %s (audit records: %s). Remove %s when done.\n' "$PORTAL_DB" \
	"$(portal-db audit | tail -n +2 | wc -l)" "$dir"
