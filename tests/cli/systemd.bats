#!/usr/bin/env bats
# The systemd units as make install puts them: systemd-analyze verify finds them whole (their
# binaries and pages installed, every setting known), the timer fires at 02:30, and the command of
# portal-nightly.service, with the settings of /etc/default/portal, makes the night's workbooks.

load helpers

# install_prefix DIR: make install PREFIX=DIR, so the units name binaries and pages that exist here
install_prefix() {
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s -C "$ROOT" install PREFIX="$1"
}

# need_verify: systemd-analyze that can verify a unit on this machine, or the test is skipped
need_verify() {
	command -v systemd-analyze >/dev/null || skip "systemd-analyze is not installed (make deps installs systemd)"
	printf '[Service]\nType=oneshot\nExecStart=/bin/true\n' > "$BATS_TEST_TMPDIR/probe.service"
	local out
	out=$(systemd-analyze verify --man=no "$BATS_TEST_TMPDIR/probe.service" 2>&1) ||
		skip "systemd-analyze verify cannot run here: $out"
}

# unit_value FILE KEY: the value of the (last) KEY= line of a unit file
unit_value() {
	sed -n "s/^$2=//p" "$1" | tail -n 1
}

@test "systemd-analyze verify: portal-web.service, portal-nightly.service and .timer as installed" {
	need_verify
	local d=$BATS_TEST_TMPDIR/prefix u
	install_prefix "$d"
	for u in portal-web.service portal-nightly.service portal-nightly.timer; do
		[ -f "$d/lib/systemd/system/$u" ] || { echo "$u is not installed"; return 1; }
	done
	# the pages of Documentation= are looked up with man(1): the installed ones
	MANPATH=$d/share/man run systemd-analyze verify \
		"$d/lib/systemd/system/portal-web.service" \
		"$d/lib/systemd/system/portal-nightly.service" \
		"$d/lib/systemd/system/portal-nightly.timer"
	echo "$output"
	[ "$status" -eq 0 ]
	# a setting systemd does not know is only warned about: no warning either
	[ -z "$output" ]
	# the timer starts the service of its name every night at 02:30, and makes up a missed night
	local timer=$d/lib/systemd/system/portal-nightly.timer
	[ "$(unit_value "$timer" OnCalendar)" = "*-*-* 02:30:00" ]
	[ "$(unit_value "$timer" Persistent)" = true ]
	[ -z "$(unit_value "$timer" Unit)" ]
	run systemd-analyze calendar --iterations=2 "$(unit_value "$timer" OnCalendar)"
	[ "$status" -eq 0 ]
	[[ $output == *"02:30:00"* ]]
}

@test "the services read /etc/default/portal, run as the store's owner portal, confined as portal-web is" {
	local u k
	for u in portal-web.service portal-nightly.service; do
		grep -qx 'EnvironmentFile=-/etc/default/portal' "$ROOT/share/systemd/$u"
		grep -qx 'User=portal' "$ROOT/share/systemd/$u"
		# the sandbox of the cabinet, line for line
		for k in NoNewPrivileges ProtectSystem ProtectHome PrivateTmp PrivateDevices \
			ProtectKernelTunables ProtectKernelModules ProtectControlGroups RestrictAddressFamilies \
			RestrictNamespaces LockPersonality MemoryDenyWriteExecute CapabilityBoundingSet UMask ReadWritePaths; do
			[ "$(unit_value "$ROOT/share/systemd/$u" "$k")" = "$(unit_value "$ROOT/share/systemd/portal-web.service" "$k")" ] ||
				{ echo "$u: $k differs from portal-web.service"; return 1; }
		done
	done
	# the user is the one sysusers.d makes
	grep -q '^u portal ' "$ROOT/share/sysusers/portal.conf"
	# another nightly run at work (75) is no failure of the service
	[ "$(unit_value "$ROOT/share/systemd/portal-nightly.service" SuccessExitStatus)" = 75 ]
	# every variable the nightly command uses is set by the example of /etc/default/portal
	local v
	for v in $(unit_value "$ROOT/share/systemd/portal-nightly.service" ExecStart | grep -oE '\$\{?[A-Z_]+' | tr -d '${'); do
		grep -q "^$v=" "$ROOT/share/default/portal" || { echo "share/default/portal does not set $v"; return 1; }
	done
}

@test "portal-nightly.service's command with /etc/default/portal's settings makes the night's workbooks" {
	local d=$BATS_TEST_TMPDIR/prefix srv=$BATS_TEST_TMPDIR/srv
	install_prefix "$d"
	mkdir -p "$srv"
	# the school of share/examples in the store the settings name
	export PORTAL_DB=$srv/portal.db
	examples_school
	unset PORTAL_DB PORTAL_ACTOR
	# /etc/default/portal as shipped, its /srv/portal here; the unit's Environment= first, the file over it
	sed "s|/srv/portal|$srv|g" "$ROOT/share/default/portal" > default
	local unit=$d/lib/systemd/system/portal-nightly.service cmd
	cmd=$(unit_value "$unit" ExecStart)
	[[ $cmd == "$d/bin/portal-report nightly "* ]]
	run env -i "${SAN_ENV[@]}" PATH=/usr/bin:/bin PORTAL_NOW=2026-12-03T23:30:00Z \
		$(unit_value "$unit" Environment | sed "s|/srv/portal|$srv|g") \
		sh -c "set -a && . ./default && set +a && exec $cmd"
	echo "$output"
	[ "$status" -eq 0 ]
	# the school's day (Moscow) is 4 December
	[ -s "$srv/reports/2026-12-04/summary.csv" ]
	[ -s "$srv/reports/2026-12-04/7А.xlsx" ]
	head -1 "$srv/reports/2026-12-04/summary.csv" | grep -q '^class,'
}

@test "systemd-sysusers makes the user portal of the installed sysusers.d file, home /srv/portal, no login" {
	command -v systemd-sysusers >/dev/null || skip "systemd-sysusers is not installed (make deps installs systemd)"
	local d=$BATS_TEST_TMPDIR/prefix root=$BATS_TEST_TMPDIR/root
	install_prefix "$d"
	mkdir -p "$root/etc"
	# into a root of its own: this machine's users stay as they are
	run systemd-sysusers --root="$root" "$d/lib/sysusers.d/portal.conf"
	echo "$output"
	[ "$status" -eq 0 ]
	grep -E '^portal:x:[0-9]+:[0-9]+:[^:]*:/srv/portal:/usr/sbin/nologin$' "$root/etc/passwd"
	grep -q '^portal:x:' "$root/etc/group"
}
