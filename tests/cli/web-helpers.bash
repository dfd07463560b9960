# Helpers for the tests of portal-web: `load helpers`, then `load web-helpers`.
# A synthetic school is made once per file (web_school), each test gets a copy
# of its store (web_setup), and the server runs on a free port of 127.0.0.1
# with plain HTTP (web.insecure_cookie=1: the cookies go without the __Host- prefix).

# web_school: the school of the file in $BATS_FILE_TMPDIR/school, with every journal kind and
# the issued credentials in cred.csv.
web_school() {
	local dir=$BATS_FILE_TMPDIR/school k
	mkdir -p "$dir" || return 1
	export PORTAL_DB PORTAL_ACTOR=admin PORTAL_NOW=2026-11-28T09:00:00Z LC_ALL=C.UTF-8
	PORTAL_DB=$(store_at "$dir/p.db")
	(
		cd "$dir" || exit 1
		new_store || exit 1
		"$SYNTH" --students 30 --seed 7 --journal --out s >/dev/null || exit 1
		for k in staff students guardians; do
			portal-accounts -q import "$k" "s/$k.csv" 2>/dev/null || { echo "import $k failed" >&2; exit 1; }
		done
		portal-accounts -q groups import s/groups.csv || exit 1
		portal-journal -q periods import s/periods.csv || exit 1
		for k in schedule lessons marks attendance finals holidays changes tests recommendations; do
			portal-journal -q import "$k" "s/$k.csv" || { echo "import $k failed" >&2; exit 1; }
		done
		portal-accounts -q issue --all --who all >cred.csv || exit 1
		portal-db -q config web.insecure_cookie 1 || exit 1
		checkpoint
	)
}

# web_setup: the test's own copy of the school's store; CRED, S (the synthetic files), JAR.
web_setup() {
	export PORTAL_DB PORTAL_ACTOR=admin PORTAL_NOW=2026-11-28T09:00:00Z LC_ALL=C.UTF-8
	PORTAL_DB=$(store_at "$BATS_TEST_TMPDIR/p.db")
	cd "$BATS_TEST_TMPDIR" || return 1
	store_cp "$(store_at "$BATS_FILE_TMPDIR/school/p.db")" "$PORTAL_DB" || return 1
	CRED=$BATS_FILE_TMPDIR/school/cred.csv
	S=$BATS_FILE_TMPDIR/school/s
	JAR=$BATS_TEST_TMPDIR/jar
	SERVER_PID=
}

# web_teardown: stops the server the test started.
web_teardown() {
	if [ -n "$SERVER_PID" ]; then
		kill "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null
	fi
	true
}

# serve: starts portal-web on a free port; sets URL and SERVER_PID; waits for /healthz.
serve() {
	local port i
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	portal-web serve --listen "127.0.0.1:$port" --workers 2 2>"$BATS_TEST_TMPDIR/server.log" &
	SERVER_PID=$!
	URL=http://127.0.0.1:$port
	wait_for "$URL/healthz" "$BATS_TEST_TMPDIR/server.log"
}

# wait_for URL LOG: up to 5 s for URL to answer 2xx (a self-signed certificate is taken); else LOG
# to standard error and 1
wait_for() {
	local i
	for i in $(seq 50); do
		curl -skf "$1" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	cat "$2" >&2
	return 1
}

# cred KIND PERSON: "login password" of a person's issued account
cred() {
	awk -F, -v k="$1" -v p="$2" '$1 == k && $2 == p { print $5, $6 }' "$CRED"
}

# token: the CSRF token of the last page fetched (page.html)
token() {
	grep -o 'name="csrf" value="[0-9a-f]*"' page.html | head -1 | sed 's/.*value="//; s/"$//'
}

# get PATH: GET with the cookie jar; the page in page.html, the status in $status_code
get() {
	status_code=$(curl -s -o page.html -w '%{http_code}' -b "$JAR" -c "$JAR" "$URL$1")
}

# post PATH FIELD=VALUE...: a form POST with the cookie jar
post() {
	local path=$1 f
	local -a args=()
	shift
	for f; do args+=(--data-urlencode "$f"); done
	status_code=$(curl -s -o page.html -D headers.txt -w '%{http_code}' -b "$JAR" -c "$JAR" "${args[@]}" "$URL$path")
}

# login LOGIN PASSWORD: the login form, then its POST
login() {
	get /login || return 1
	post /login "csrf=$(token)" "login=$1" "password=$2"
}

# fresh_login KIND PERSON: logs in with the issued password and changes it to NEWPASS-LOGIN
fresh_login() {
	local l p
	read -r l p < <(cred "$1" "$2")
	[ -n "$l" ] || { echo "no credentials for $1 $2" >&2; return 1; }
	LOGIN=$l
	login "$l" "$p" || return 1
	[ "$status_code" = 303 ] || { echo "login: $status_code" >&2; return 1; }
	get /password || return 1
	post /password "csrf=$(token)" "old=$p" "new=NEWPASS-$l" "new2=NEWPASS-$l"
	[ "$status_code" = 303 ] || { echo "password: $status_code" >&2; cat page.html >&2; return 1; }
}

# guardian_of STUDENT: the first guardian of the student
guardian_of() {
	awk -F, -v s="$1" '$2 == s { print $1; exit }' "$S/guardians.csv"
}
