#!/usr/bin/env bats
# portal-web: the personal cabinet driven with curl against a server on a free
# port of 127.0.0.1 (plain HTTP, so web.insecure_cookie=1 and the cookies go
# without the __Host- prefix). Each test gets a copy of one synthetic school.

bats_require_minimum_version 1.5.0
load helpers
load web-helpers

setup_file() {
	web_school
}

setup() {
	web_setup
	FLOOD_PIDS=
}

teardown() {
	local p
	touch "$BATS_TEST_TMPDIR/flood-stop"
	for p in $FLOOD_PIDS ${NGINX_PID:-}; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	web_teardown
}

@test "healthz, the style sheet and the headers of every answer" {
	serve
	run curl -s -D - "$URL/healthz"
	[[ $output == *"ok"* ]]
	[[ $output == *"Content-Security-Policy: default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"* ]]
	[[ $output == *"X-Content-Type-Options: nosniff"* ]]
	[[ $output == *"Referrer-Policy: no-referrer"* ]]
	run curl -s -D - "$URL/style.css"
	[[ $output == *"Content-Type: text/css"* ]]
	run curl -s -D - "$URL/login"
	[[ $output == *"Cache-Control: no-store"* ]]
	[[ $output == *"Вход"* ]]
}

@test "a guardian with consent sees their child's marks; another child is 404 like one that does not exist" {
	local g other
	g=$(guardian_of S00002)
	portal-consent -q record --guardian "$g" --student S00002 --decision given --signed-on 2026-11-02
	serve
	fresh_login guardian "$g"
	get /student/S00002
	[ "$status_code" = 200 ]
	grep -q 'Средний балл' page.html
	grep -q '<b>[1-5]</b>' page.html
	# the current period by default, chosen in the selector
	grep -q '<option selected>2 четверть</option>' page.html
	[ "$(stat -c %s page.html)" -lt 30720 ]
	other=S00003
	[ "$(guardian_of "$other")" != "$g" ]
	get /student/$other
	[ "$status_code" = 404 ]
	cp page.html other.html
	get /student/S99999
	[ "$status_code" = 404 ]
	cmp page.html other.html
	# a period by name
	get "/student/S00002?period=1%20%D1%87%D0%B5%D1%82%D0%B2%D0%B5%D1%80%D1%82%D1%8C"
	[ "$status_code" = 200 ]
	grep -q '1 четверть' page.html
}

@test "without a standing consent a guardian gets the paper notice and nothing of the child" {
	local g name
	g=$(guardian_of S00002)
	serve
	fresh_login guardian "$g"
	get /student/S00002
	[ "$status_code" = 200 ]
	grep -q 'на бумаге' page.html
	name=$(awk -F, '$1 == "S00002" { print $2 }' "$S/students.csv")
	! grep -q "$name" page.html
	! grep -q 'Средний балл' page.html
	[ "$(q "SELECT count(*) FROM access_log WHERE student_id = 'S00002' AND page LIKE '/student/%'")" = 0 ]
}

@test "a student sees their own progress, escaped; one child redirects straight to it" {
	local l p
	# the import refuses such a name; a store edited behind its back may still hold one
	q "UPDATE students SET last_name = '<script>x' WHERE student_id = 'S00001'"
	serve
	fresh_login student S00001
	get /
	[ "$status_code" = 303 ]
	status_code=$(curl -s -o page.html -w '%{http_code}' -L -b "$JAR" -c "$JAR" "$URL/")
	[ "$status_code" = 200 ]
	grep -q '&lt;script&gt;x' page.html
	! grep -q '<script>' page.html
	get /student/S00002
	[ "$status_code" = 404 ]
}

@test "the wrong password and an unknown login get the same message; the form needs its token" {
	local l p
	read -r l p < <(cred guardian "$(guardian_of S00002)")
	serve
	login "$l" "wrong-password"
	[ "$status_code" = 200 ]
	grep -o '<p class="err">[^<]*' page.html >a.txt
	login "nobody.nobody" "wrong-password"
	grep -o '<p class="err">[^<]*' page.html >b.txt
	cmp a.txt b.txt
	grep -q 'Неверный логин или пароль' a.txt
	# no token, or a wrong one: 403
	get /login
	post /login "login=$l" "password=$p"
	[ "$status_code" = 403 ]
	post /login "csrf=0000000000000000000000000000000000000000000000000000000000000000" "login=$l" "password=$p"
	[ "$status_code" = 403 ]
}

@test "must_change sends to /password first; the rules of account_passwd hold" {
	local l p
	read -r l p < <(cred guardian "$(guardian_of S00002)")
	serve
	login "$l" "$p"
	[ "$status_code" = 303 ]
	get /
	[ "$status_code" = 303 ]
	get /student/S00002
	[ "$status_code" = 303 ]
	get /password
	post /password "csrf=$(token)" "old=$p" "new=short" "new2=short"
	grep -q 'не короче 8' page.html
	post /password "csrf=$(token)" "old=$p" "new=$l" "new2=$l"
	grep -q 'не короче 8 символов и не совпадать с логином' page.html
	post /password "old=$p" "new=good-password-1" "new2=good-password-1"
	[ "$status_code" = 403 ]
	get /password
	post /password "csrf=$(token)" "old=$p" "new=good-password-1" "new2=good-password-1"
	[ "$status_code" = 303 ]
	echo good-password-1 | portal-accounts verify "$l"
	[ "$(q "SELECT must_change FROM accounts WHERE login = '$l'")" = 0 ]
}

@test "session fixation: a cookie set before login is not the session after; logout ends it" {
	local l p before after
	read -r l p < <(cred guardian "$(guardian_of S00002)")
	serve
	printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tportal\t%s\n' \
		aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa >"$JAR"
	login "$l" "$p"
	[ "$status_code" = 303 ]
	after=$(awk '$6 == "portal" { print $7 }' "$JAR")
	[ -n "$after" ]
	[ "$after" != aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa ]
	# the store holds only a hash of it
	[ "$(q "SELECT count(*) FROM web_sessions WHERE id_hash = '$after'")" = 0 ]
	[ "$(q "SELECT count(*) FROM web_sessions WHERE login = '$l'")" = 1 ]
	cp "$JAR" stolen
	get /password
	post /logout "csrf=$(token)"
	[ "$status_code" = 303 ]
	[ "$(q "SELECT count(*) FROM web_sessions WHERE login = '$l'")" = 0 ]
	status_code=$(curl -s -o page.html -w '%{http_code}' -b stolen "$URL/password")
	[ "$status_code" = 303 ]
	run curl -s -D - -o /dev/null -b stolen "$URL/password"
	[[ $output == *"Location: /login"* ]]
}

@test "failed logins are throttled per login, audited, with a message that does not say whether it exists" {
	local l p i
	read -r l p < <(cred guardian "$(guardian_of S00002)")
	serve
	for i in 1 2 3 4 5; do
		login "$l" "wrong-$i"
		[ "$status_code" = 200 ]
	done
	login "$l" "$p"
	[ "$status_code" = 429 ]
	grep -q 'Слишком много неудачных попыток' page.html
	for i in 1 2 3 4 5; do login "nobody.$((1))" "wrong-$i"; done
	login "nobody.1" "x"
	[ "$status_code" = 429 ]
	[ "$(q "SELECT count(*) FROM login_failures WHERE login = '$l'")" = 6 ]
	portal-db audit | grep -q 'web login throttled'
	portal-db audit | grep -q 'web login failed'
	# fifteen minutes later the login works again
	kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=
	PORTAL_NOW=2026-11-28T09:16:00Z serve
	login "$l" "$p"
	[ "$status_code" = 303 ]
}

@test "every view of a child is in the access log, listed by portal-db access" {
	local g
	g=$(guardian_of S00002)
	portal-consent -q record --guardian "$g" --student S00002 --decision given --signed-on 2026-11-02
	serve
	fresh_login guardian "$g"
	get /student/S00002
	get /student/S00002
	[ "$(q "SELECT count(*) FROM access_log WHERE student_id = 'S00002' AND page = '/student/S00002' AND login = '$LOGIN' AND client = '127.0.0.1'")" = 2 ]
	run portal-db access --student S00002
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "seq,at,login,student_id,page,client" ]
	[[ ${lines[1]} == *",2026-11-28T09:00:00Z,$LOGIN,S00002,"* ]]
	run portal-db access --all --login nobody
	[ "${#lines[@]}" -eq 1 ]
	run portal-db access --all --since 2026-11-29
	[ "${#lines[@]}" -eq 1 ]
}

@test "sessions and revoke for the admin; a locked login's session ends" {
	local g l
	g=$(guardian_of S00002)
	serve
	fresh_login guardian "$g"
	run portal-web sessions
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "login,kind,created,last_seen,client" ]
	[[ ${lines[1]} == "$LOGIN,guardian,"* ]]
	run portal-web revoke "$LOGIN"
	[ "$status" -eq 0 ]
	get /
	[ "$status_code" = 303 ]
	grep -q . page.html || true
	run curl -s -D - -o /dev/null -b "$JAR" "$URL/"
	[[ $output == *"Location: /login"* ]]
	login "$LOGIN" "NEWPASS-$LOGIN"
	[ "$status_code" = 303 ]
	portal-accounts -q lock "$LOGIN" --reason "test"
	get /password
	[ "$status_code" = 303 ]
	[ "$(q "SELECT count(*) FROM web_sessions WHERE login = '$LOGIN'")" = 0 ]
}

@test "portal-web(1)'s EXAMPLES: the logins in from more than one address are named, then their sessions end" {
	local shared other
	serve
	# every request of this test comes through nginx as if from REAL_IP (X-Real-IP on loopback)
	curl() { command curl -H "X-Real-IP: ${REAL_IP:-192.0.2.1}" "$@"; }
	REAL_IP=198.51.100.7 fresh_login guardian "$(guardian_of S00002)"
	shared=$LOGIN
	REAL_IP=198.51.100.7 login "$shared" "NEWPASS-$shared"
	# the same login from a second address, with a cookie jar of its own
	JAR=$BATS_TEST_TMPDIR/jar2 REAL_IP=203.0.113.9 login "$shared" "NEWPASS-$shared"
	[ "$status_code" = 303 ]
	# another guardian, twice from one address: a phone and a laptop at home
	REAL_IP=192.0.2.44 JAR=$BATS_TEST_TMPDIR/jar3 fresh_login guardian "$(guardian_of S00003)"
	other=$LOGIN
	REAL_IP=192.0.2.44 JAR=$BATS_TEST_TMPDIR/jar4 login "$other" "NEWPASS-$other"
	[ "$status_code" = 303 ]
	[ "$(q "SELECT count(DISTINCT client) FROM web_sessions WHERE login = '$shared'")" = 2 ]
	# the page's pipelines, as it gives them
	python3 "$ROOT/tests/cli/docs.py" commands "$ROOT/share/man/portal-web.1" EXAMPLES > examples.sh
	[ "$(wc -l < examples.sh)" -eq 3 ]
	run bash -c "$(sed -n 1p examples.sh)"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "$shared" ]
	run bash -c "$(sed -n 2p examples.sh)"
	[ "$status" -eq 0 ]
	run bash -c "$(sed -n 3p examples.sh)"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output != *"$shared"* ]]
	[[ $output == *"$other"*"$other"* ]]
	[ "$(q "SELECT count(*) FROM web_sessions WHERE login = '$shared'")" = 0 ]
}

@test "bad requests: unknown path 404, wrong method 405, a large body 413, POST without a session 403" {
	serve
	status_code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/nothing")
	[ "$status_code" = 404 ]
	status_code=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$URL/login")
	[ "$status_code" = 405 ]
	status_code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/healthz")
	[ "$status_code" = 405 ]
	head -c 20000 /dev/zero | tr '\0' a >big
	status_code=$(curl -s -o /dev/null -w '%{http_code}' --data-binary @big "$URL/login")
	[ "$status_code" = 413 ]
	status_code=$(curl -s -o /dev/null -w '%{http_code}' -d x=1 "$URL/logout")
	[ "$status_code" = 403 ]
	status_code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/student/S00001")
	[ "$status_code" = 303 ]
	curl -sf "$URL/healthz" >/dev/null
}

@test "check-config, --help and a bad --listen" {
	run portal-web check-config
	[ "$status" -eq 0 ]
	[[ $output == *"web.session_idle,1800"* ]]
	run portal-web serve --listen nowhere
	[ "$status" -eq 64 ]
	run portal-web revoke somebody
	[ "$status" -eq 0 ]
	PORTAL_ACTOR=nobody run portal-web sessions
	[ "$status" -eq 77 ]
}

# flood LOGIN PASSWORD N: logs in over and over on its own cookie jar until flood-stop
# appears; each answer's status is a line of flood.txt (the 503 page kept in flood-503.html)
flood() {
	local jar=$BATS_TEST_TMPDIR/flood-jar-$3 page=$BATS_TEST_TMPDIR/flood-$3.html t code
	while [ ! -e "$BATS_TEST_TMPDIR/flood-stop" ]; do
		curl -s -o "$page" -c "$jar" "$URL/login" || continue
		t=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$page" | head -1 | sed 's/.*value="//; s/"$//')
		code=$(curl -s -o "$page" -w '%{http_code}' -b "$jar" -c "$jar" --data-urlencode "csrf=$t" \
			--data-urlencode "login=$1" --data-urlencode "password=$2" "$URL/login")
		echo "$code" >>"$BATS_TEST_TMPDIR/flood.txt"
		[ "$code" != 503 ] || cp "$page" "$BATS_TEST_TMPDIR/flood-503.html"
	done
}

@test "a flood of logins leaves the pages served: at most half the workers check passwords" {
	local g l p i n0 n1 pages=0
	g=$(guardian_of S00002)
	portal-consent -q record --guardian "$g" --student S00002 --decision given --signed-on 2026-11-02
	serve
	fresh_login guardian "$g"
	read -r l p < <(awk -F, '$1 == "student" { print $5, $6; exit }' "$CRED")
	for i in 1 2 3 4; do
		flood "$l" "$p" "$i" >/dev/null 2>&1 3>&- &
		FLOOD_PIDS="$FLOOD_PIDS $!"
	done
	for i in $(seq 100); do
		[ "$(cat flood.txt 2>/dev/null | wc -l)" -ge 2 ] && break
		sleep 0.05
	done
	n0=$(wc -l <flood.txt)
	for i in $(seq 15); do
		[ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz")" = 200 ] && pages=$((pages + 1))
		get /student/S00002
		[ "$status_code" = 200 ] && grep -q 'Средний балл' page.html && pages=$((pages + 1))
	done
	n1=$(wc -l <flood.txt)
	touch flood-stop
	for p in $FLOOD_PIDS; do wait "$p"; done
	FLOOD_PIDS=
	# every page answered, and logins went on being answered while they were fetched
	[ "$pages" = 30 ]
	[ "$n1" -gt "$n0" ]
	# a login is let in or asked to come back, nothing else
	[ -z "$(grep -v -x -e 303 -e 503 flood.txt)" ]
	grep -q -x 303 flood.txt
	if grep -q -x 503 flood.txt; then
		grep -q 'Повторите попытку' flood-503.html
	fi
	curl -sf "$URL/healthz" >/dev/null
}

@test "what the cabinet writes to the audit log reaches the witness, as every writing command's does" {
	portal-db -q config audit.witness "$BATS_TEST_TMPDIR/witness.log"
	serve
	fresh_login guardian "$(guardian_of S00002)"
	get /student/S00002
	[ "$status_code" = 200 ]
	last=$(q 'SELECT max(seq) FROM audit')
	[ "$(tail -n 1 "$BATS_TEST_TMPDIR/witness.log" | cut -d' ' -f1)" = "$last" ]
	# a page view adds no audit record and no witness line
	lines=$(wc -l <"$BATS_TEST_TMPDIR/witness.log")
	get /student/S00002
	[ "$(wc -l <"$BATS_TEST_TMPDIR/witness.log")" = "$lines" ]
	run --separate-stderr portal-db check
	status_is 0
}

# nginx_front: share/nginx/portal.conf in a throw-away nginx on free ports, in front of the server
# serve started: a self-signed certificate, the plain port in NGX_PLAIN, the TLS one in NGX_TLS.
nginx_front() {
	local d=$BATS_TEST_TMPDIR/nginx port=${URL##*:}
	free() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
	NGX_PLAIN=$(free) NGX_TLS=$(free)
	mkdir -p "$d" || return 1
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=portal.school.example \
		-keyout "$d/key.pem" -out "$d/cert.pem" 2>/dev/null || return 1
	sed -e "s|127.0.0.1:8080|127.0.0.1:$port|; s|listen 80;|listen 127.0.0.1:$NGX_PLAIN;|" \
		-e "s|listen 443 ssl http2;|listen 127.0.0.1:$NGX_TLS ssl http2;|; /listen \[::\]/d" \
		-e "s|/etc/letsencrypt/live/portal.school.example/fullchain.pem|$d/cert.pem|" \
		-e "s|/etc/letsencrypt/live/portal.school.example/privkey.pem|$d/key.pem|" \
		"$ROOT/share/nginx/portal.conf" > "$d/portal.conf" || return 1
	cat > "$d/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $d/nginx.pid;
error_log $d/error.log;
events { worker_connections 64; }
http {
	access_log off;
	client_body_temp_path $d/body;
	proxy_temp_path $d/proxy;
	fastcgi_temp_path $d/fastcgi;
	uwsgi_temp_path $d/uwsgi;
	scgi_temp_path $d/scgi;
	include $d/portal.conf;
}
CONF
	/usr/sbin/nginx -t -p "$d" -c "$d/nginx.conf" -e "$d/error.log" 2>"$d/test.log" || { cat "$d/test.log" >&2; return 1; }
	/usr/sbin/nginx -p "$d" -c "$d/nginx.conf" -e "$d/error.log" &
	NGINX_PID=$!
	wait_for "https://127.0.0.1:$NGX_TLS/healthz" "$d/error.log"
}

@test "behind the shipped nginx configuration: HTTPS with HSTS, plain HTTP redirected, the __Host- cookie, the client's address logged" {
	[ -x /usr/sbin/nginx ] || skip "nginx is not installed (make deps)"
	local g tls
	g=$(guardian_of S00002)
	portal-consent -q record --guardian "$g" --student S00002 --decision given --signed-on 2026-11-02
	portal-db -q config web.insecure_cookie 0
	serve
	NGINX_PID=
	nginx_front
	tls=https://127.0.0.1:$NGX_TLS
	run curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$NGX_PLAIN/student/S00002"
	[ "$output" = "301 https://127.0.0.1/student/S00002" ]
	run curl -sk -D - -o /dev/null "$tls/login"
	[[ ${output,,} == *"strict-transport-security: max-age=63072000; includesubdomains"* ]]
	[[ ${output,,} == *"set-cookie: __host-portal-login="*"; secure"* ]]
	# the whole way in: the login form, the forced password change and the child's page, over TLS
	URL=$tls
	local l p
	read -r l p < <(cred guardian "$g")
	status_code=$(curl -sk -o page.html -b "$JAR" -c "$JAR" -w '%{http_code}' "$URL/login")
	status_code=$(curl -sk -o page.html -b "$JAR" -c "$JAR" -w '%{http_code}' --data-urlencode "csrf=$(token)" \
		--data-urlencode "login=$l" --data-urlencode "password=$p" "$URL/login")
	[ "$status_code" = 303 ]
	grep -q '__Host-portal' "$JAR"
	status_code=$(curl -sk -o page.html -b "$JAR" -c "$JAR" -w '%{http_code}' "$URL/password")
	status_code=$(curl -sk -o page.html -b "$JAR" -c "$JAR" -w '%{http_code}' --data-urlencode "csrf=$(token)" \
		--data-urlencode "old=$p" --data-urlencode "new=NEWPASS-$l" --data-urlencode "new2=NEWPASS-$l" "$URL/password")
	[ "$status_code" = 303 ]
	status_code=$(curl -sk -o page.html -b "$JAR" -c "$JAR" -w '%{http_code}' "$URL/student/S00002")
	[ "$status_code" = 200 ]
	grep -q 'Средний балл' page.html
	# nginx passed the client's address on (X-Real-IP); a client cannot set it through nginx
	curl -sk -o /dev/null -b "$JAR" -H 'X-Real-IP: 203.0.113.9' "$URL/student/S00002"
	[ "$(q "SELECT DISTINCT client FROM access_log WHERE student_id = 'S00002' AND login = '$l'" | paste -sd,)" = 127.0.0.1 ]
	kill "$NGINX_PID"
	wait "$NGINX_PID" 2>/dev/null || true
	NGINX_PID=
}

@test "a class leader logs in read-only: their class's students as a parent sees a child, no other class, no guardian's page or action" {
	local t cls own other g before
	# a class leader of a class with students, and a student of another class
	read -r t cls < <(awk -F, 'NR == FNR { if (FNR > 1) n[$6]++; next }
		$5 == "class_leader" && n[$10] > 0 { print $1, $10; exit }' "$S/students.csv" "$S/staff.csv")
	[ -n "$t" ]
	own=$(awk -F, -v c="$cls" '$6 == c { print $1; exit }' "$S/students.csv")
	other=$(awk -F, -v c="$cls" 'FNR > 1 && $6 != c { print $1; exit }' "$S/students.csv")
	portal-accounts -q issue --all --who staff > staff-cred.csv
	CRED=$BATS_TEST_TMPDIR/staff-cred.csv
	serve
	fresh_login staff "$t"
	get /
	[ "$status_code" = 200 ] || [ "$status_code" = 303 ]
	# the class's students are listed (or, for one, the page is their own)
	get "/student/$own"
	[ "$status_code" = 200 ]
	grep -q 'Средний балл\|За этот период' page.html
	# no consent is needed for staff: the journal is theirs to keep
	! grep -q 'на бумаге' page.html
	get "/student/$own/journal"
	[ "$status_code" = 200 ]
	get "/student/$other"
	[ "$status_code" = 404 ]
	get "/student/$other/journal"
	[ "$status_code" = 404 ]
	# the guardian's pages and actions are not staff's: 404, and nothing is written
	before=$(q "SELECT count(*) FROM audit")
	get "/student/$own/extracts"
	[ "$status_code" = 404 ]
	get "/student/$own/consent"
	[ "$status_code" = 404 ]
	get /access
	[ "$status_code" = 404 ]
	get "/student/$own"
	post "/student/$own/consent" "csrf=$(token)" "decision=withdrawn"
	[ "$status_code" = 404 ]
	get "/student/$own"
	post "/student/$own/extracts" "csrf=$(token)" "ack=1"
	[ "$status_code" = 404 ]
	[ "$(q "SELECT count(*) FROM audit")" = "$before" ]
	[ "$(q "SELECT count(*) FROM acks WHERE channel = 'web'")" = 0 ]
	# what they saw is in the access log under their login; the refused pages are not
	[ "$(q "SELECT count(*) FROM access_log WHERE login = '$LOGIN' AND student_id = '$own' AND page = '/student/$own'")" = 3 ]
	[ "$(q "SELECT count(*) FROM access_log WHERE login = '$LOGIN' AND page LIKE '%extracts%'")" = 0 ]
	[ "$(q "SELECT count(*) FROM access_log WHERE login = '$LOGIN' AND student_id = '$other'")" = 0 ]
}
