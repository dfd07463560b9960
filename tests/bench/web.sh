#!/bin/sh
# The web cabinet's part of make bench, on the store run.sh made (PORTAL_DB, its credentials.csv
# and synthetic school in DIR): a child's page under wrk beside nginx serving a static file of the
# same size, and logins against a plain loop of the same Argon2id hashes on the same threads.
# Usage: web.sh DIR. Figures only; the aims are printed beside them.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$1
if ! command -v wrk >/dev/null || ! [ -x /usr/sbin/nginx ]; then
	echo "web cabinet: skipped (wrk and nginx-light are not installed: make deps)"
	exit 0
fi
web="$dir/web"
mkdir -p "$web/nginx/www"
server_pid= nginx_pid=
stop() {
	if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
	if [ -n "$nginx_pid" ]; then kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; fi
	server_pid= nginx_pid=
}
trap stop EXIT
trap 'exit 130' INT TERM
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_for() { # wait_for URL: until it answers, 5 s at most
	i=0
	until curl -s -o /dev/null "$1"; do
		i=$((i + 1)); [ $i -lt 100 ] || { echo "web cabinet: $1 does not answer" >&2; exit 1; }
		sleep 0.05
	done
}

cores=$(nproc)
workers=$((cores * 2))
pool=$((workers / 2 > 1 ? workers / 2 : 1))
portal-db -q config web.insecure_cookie 1
port=$(free_port)
url="http://127.0.0.1:$port"
portal-web serve --listen "127.0.0.1:$port" --workers "$workers" 2>"$web/server.log" &
server_pid=$!
wait_for "$url/healthz"

# a guardian with consent logs in once with curl and changes the temporary password
# (a child of the fifth form or above: the first forms have no marks)
set -- $(awk -F, 'FNR == 1 { next } NR == FNR { if ($6 ~ /^([5-9]|1[01])/) marked[$1] = 1; next }
	$2 in marked { print $1, $2; exit }' "$dir/s/students.csv" "$dir/s/guardians.csv")
g=$1 child=$2
portal-consent -q record --guardian "$g" --student "$child" --decision given --signed-on 2026-11-02
set -- $(awk -F, -v g="$g" '$1 == "guardian" && $2 == g { print $5, $6 }' "$dir/credentials.csv")
login=$1 temp=$2
jar="$web/jar" page="$web/page.html"
csrf() { grep -o 'name="csrf" value="[0-9a-f]*"' "$page" | head -1 | sed 's/.*value="//; s/"$//'; }
curl -s -o "$page" -c "$jar" "$url/login"
curl -s -o "$page" -b "$jar" -c "$jar" --data-urlencode "csrf=$(csrf)" --data-urlencode "login=$login" \
	--data-urlencode "password=$temp" "$url/login"
curl -s -o "$page" -b "$jar" -c "$jar" "$url/password"
curl -s -o "$page" -b "$jar" -c "$jar" --data-urlencode "csrf=$(csrf)" --data-urlencode "old=$temp" \
	--data-urlencode "new=bench-$login-pw" --data-urlencode "new2=bench-$login-pw" "$url/password"
cookie=$(awk '$6 == "portal" { print $7 }' "$jar")
code=$(curl -s -o "$page" -w '%{http_code}' -H "Cookie: portal=$cookie" "$url/student/$child")
[ "$code" = 200 ] || { echo "web cabinet: /student/$child answered $code" >&2; exit 1; }
size=$(wc -c < "$page")

# nginx: the same bytes as a static file, on its own port, config and pid file in the temp dir
nport=$(free_port)
cp "$page" "$web/nginx/www/page.html"
cat > "$web/nginx/nginx.conf" <<CONF
daemon off;
worker_processes $cores;
pid $web/nginx/nginx.pid;
error_log $web/nginx/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	default_type text/html;
	client_body_temp_path $web/nginx/body;
	proxy_temp_path $web/nginx/proxy;
	fastcgi_temp_path $web/nginx/fastcgi;
	uwsgi_temp_path $web/nginx/uwsgi;
	scgi_temp_path $web/nginx/scgi;
	server {
		listen 127.0.0.1:$nport;
		root $web/nginx/www;
	}
}
CONF
/usr/sbin/nginx -p "$web/nginx" -c "$web/nginx/nginx.conf" -e "$web/nginx/error.log" &
nginx_pid=$!
wait_for "http://127.0.0.1:$nport/page.html"

# wrk's figures: requests/s, and the 50% and 99% lines of --latency in ms
wrk_run() { # wrk_run URL [HEADER]: prints "rps p50 p99"
	if [ $# -gt 1 ]; then
		wrk -t "$cores" -c 100 -d 10s --latency -H "$2" "$1"
	else
		wrk -t "$cores" -c 100 -d 10s --latency "$1"
	fi > "$web/wrk.txt"
	awk 'function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
		$1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) } $1 == "Requests/sec:" { rps = $2 }
		/Non-2xx/ { bad = $NF } END { printf "%s %.2f %.2f %d\n", rps, p50, p99, bad }' "$web/wrk.txt"
}
# the CPU time a process and its threads used (utime + stime of /proc/PID/stat), in seconds
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.3f", ($14 + $15) / hz }' "/proc/$1/stat"; }
# requests wrk made in its last run
wrk_count() { awk '/requests in/ { print $1 }' "$web/wrk.txt"; }
c0=$(cpu "$server_pid")
set -- $(wrk_run "$url/student/$child" "Cookie: portal=$cookie")
ours_rps=$1 ours_p50=$2 ours_p99=$3 ours_bad=$4
ours_cpu=$(echo "$c0 $(cpu "$server_pid") $(wrk_count)" | awk '{ printf "%.0f", ($2 - $1) * 1e6 / $3 }')
rss=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$server_pid/status")
# the HTTP layer alone: the style sheet is a constant in the program
set -- $(wrk_run "$url/style.css")
hz_rps=$1 hz_p99=$3
set -- $(wrk_run "http://127.0.0.1:$nport/page.html")
ngx_rps=$1 ngx_p50=$2 ngx_p99=$3
echo "$ours_rps $ours_p50 $ours_p99 $ngx_rps $ngx_p50 $ngx_p99 $rss $size $ours_bad $ours_cpu $hz_rps $hz_p99" | awk '{
	printf "web cabinet, a child'"'"'s page (%d bytes), 100 keep-alive connections, 10 s, %d workers:\n", $8, '"$workers"';
	printf "  portal-web %.0f req/s, p50 %.2f ms, p99 %.2f ms, %d us of server CPU a page, peak RSS %.1f MiB (%d answers not 200)\n", $1, $2, $3, $10, $7 / 1024, $9;
	printf "  portal-web /style.css (the HTTP layer alone, no store): %.0f req/s, p99 %.2f ms\n", $11, $12;
	printf "  nginx, the same bytes as a static file: %.0f req/s, p50 %.2f ms, p99 %.2f ms\n", $4, $5, $6;
	printf "  ratio %.3f of nginx (goal >= 0.3; the style sheet %.3f), p99 goal < 25 ms, RSS goal < 64 MiB\n", $1 / $4, $11 / $4 }'
kill "$nginx_pid" && wait "$nginx_pid" 2>/dev/null || true
nginx_pid=

# logins: N accounts log in once each, from as many clients as the pool has places; the anchor
# is the same N hashes in a plain loop on as many threads (a login verifies one Argon2id hash)
n=120
# the login form's token is a cookie matched by a field: one pair serves every login
curl -s -o "$page" -c "$web/login-jar" "$url/login"
token=$(csrf)
awk -F, -v n="$n" 'NR > 1 && $1 == "student" && $6 != "" && k < n { print $5 "\t" $6; k++ }' "$dir/credentials.csv" > "$web/accounts"
n=$(wc -l < "$web/accounts")
i=0
while [ $i -lt "$pool" ]; do
	awk -v p="$pool" -v i="$i" -v t="$token" -v u="$url" -F '\t' 'NR % p == i {
		if (k++) print "next"
		print "url = \"" u "/login\""
		print "header = \"Cookie: portal-login=" t "\""
		print "data-urlencode = \"csrf=" t "\""
		print "data-urlencode = \"login=" $1 "\""
		print "data-urlencode = \"password=" $2 "\""
		print "output = \"/dev/null\""
		print "write-out = \"%{http_code}\\n\""
	}' "$web/accounts" > "$web/client-$i.curl"
	i=$((i + 1))
done
s=$(date +%s.%N)
i=0 clients=
while [ $i -lt "$pool" ]; do
	curl -s -K "$web/client-$i.curl" > "$web/codes-$i" &
	clients="$clients $!"
	i=$((i + 1))
done
for c in $clients; do wait "$c"; done
e=$(date +%s.%N)
ok=$(cat "$web"/codes-* | grep -c -x 303 || true)
loop=$("$top/build/bench-hashtime" "$n" "$pool")
echo "$s $e $n $ok $loop" | awk '{
	t = $2 - $1
	printf "logins, %d accounts once each from %d clients (the pool'"'"'s places): %.2f s, %.1f logins/s (%d let in)\n", $3, '"$pool"', t, $3 / t, $4;
	printf "  the same %d Argon2id hashes in a plain loop on %d threads: %.2f s, %.1f/s; ratio %.2f (goal >= 0.85)\n", $3, '"$pool"', $5, $3 / $5, $5 / t }'
stop
