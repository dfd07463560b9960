#!/usr/bin/env bats
# The cabinet in a real browser: Debian's chromium, chromium-driver and python3-selenium,
# headless, against portal-web on a free port of 127.0.0.1. A parent logs in, changes the
# password and opens the marks; the screenshot is kept in the test's folder and in build/.
# Then the extract the admin made for that parent: its PDF, and «Ознакомлен(а)» pressed.

load helpers

setup() {
	export PORTAL_DB="$(store_at "$BATS_TEST_TMPDIR/p.db")" PORTAL_ACTOR=admin PORTAL_NOW=2026-11-28T09:00:00Z LC_ALL=C.UTF-8
	cd "$BATS_TEST_TMPDIR" || return 1
	SERVER_PID=
	if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] ||
		! /usr/bin/python3 -c 'import selenium' 2>/dev/null; then
		skip "chromium, chromium-driver and python3-selenium are not installed (make deps)"
	fi
}

teardown() {
	if [ -n "$SERVER_PID" ]; then
		kill "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null
	fi
	true
}

@test "a parent logs in, changes the password, sees a mark, downloads the extract and acknowledges it in Chromium" {
	local k g l p c port
	new_store
	"$SYNTH" --students 30 --seed 7 --journal --out s >/dev/null
	for k in staff students guardians; do portal-accounts -q import "$k" "s/$k.csv"; done
	portal-accounts -q groups import s/groups.csv
	portal-journal -q periods import s/periods.csv
	for k in schedule lessons marks attendance finals; do portal-journal -q import "$k" "s/$k.csv"; done
	portal-accounts -q issue --all --who guardians >cred.csv
	portal-db -q config web.insecure_cookie 1
	# S00003's mother has an e-mail address: with her consent the extract is made for her
	g=$(awk -F, '$2 == "S00003" { print $1; exit }' s/guardians.csv)
	portal-consent -q record --guardian "$g" --student S00003 --decision given --signed-on 2026-11-02
	read -r l p < <(awk -F, -v g="$g" '$1 == "guardian" && $2 == g { print $5, $6 }' cred.csv)
	[ -n "$l" ]
	# an extract for that parent, made by the admin as web-acts.bats makes them
	portal-extract -q --student S00003 --period "1 четверть" -o x/ >manifest.csv
	c=$(awk -F, -v g="$g" '$2 == "S00003" && $3 == g && $4 == "email" { print $5; exit }' manifest.csv)
	[ -n "$c" ]
	run portal-ack pending --all
	[[ $output == *",S00003,$g,"* ]]
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	portal-web serve --listen "127.0.0.1:$port" --workers 2 2>server.log 3>&- &
	SERVER_PID=$!
	for k in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
	run /usr/bin/python3 "$BATS_TEST_DIRNAME/browser.py" "http://127.0.0.1:$port" "$l" "$p" "NEWPASS-$l" S00003 \
		"$BATS_TEST_TMPDIR/marks.png" "$BATS_TEST_TMPDIR/chromium-profile" "$c"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *"subject: "* ]]
	[[ $output =~ mark:\ [1-5] ]]
	# the PDF came with the browser's cookie; the row now says ознакомлен(а)
	[[ $output =~ pdf:\ [0-9]+\ bytes,\ application/pdf ]]
	[[ $output == *"ack: ознакомлен(а) 28.11.2026 12:00"* ]]
	run portal-ack pending --all
	[[ $output != *",S00003,$g,"* ]]
	run portal-ack status
	echo "$output"
	[[ $output == *"5А,1,1,0,100.0"* ]]
	# a PNG, kept where the build keeps things
	[ "$(head -c 8 marks.png | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]
	mkdir -p "$ROOT/build"
	cp marks.png "$ROOT/build/browser-marks.png"
}
