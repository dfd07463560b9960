#!/bin/sh
# make bench: performance figures on a school of real size (3,000 students).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
PATH="$top/bin:$PATH"
dir=$(mktemp -d "${TMPDIR:-/tmp}/portal-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
export PORTAL_DB="$dir/p.db" PORTAL_ACTOR=admin PORTAL_NOW=2026-11-28T09:00:00Z

secs() { # secs COMMAND…: wall seconds of one run
	s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N)
	echo "$s $e" | awk '{ printf "%.3f", $2 - $1 }'
}
peak() { # peak COMMAND…: peak resident memory in KiB
	/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1
}

"$top/build/portal-synth" --students 3000 --out "$dir/s" >/dev/null
portal-db init --admin admin -q
portal-accounts import staff -q "$dir/s/staff.csv"
n=$(($(wc -l < "$dir/s/students.csv") - 1))
t=$(secs portal-accounts import students "$dir/s/students.csv")
echo "roster import, $n students (new store):      $t s"
t=$(secs portal-accounts import students "$dir/s/students.csv")
echo "roster import again (nothing changes):       $t s"
g=$(($(wc -l < "$dir/s/guardians.csv") - 1))
t=$(secs portal-accounts import guardians "$dir/s/guardians.csv")
echo "guardian import, $g links:                 $t s"
t=$(secs portal-accounts list students)
echo "list every student:                          $t s"
t=$(secs portal-db check)
echo "check (integrity and audit chain):           $t s"
if [ -x /usr/bin/time ]; then
	echo "peak memory, roster import again:            $(peak portal-accounts import students "$dir/s/students.csv") KiB"
fi
