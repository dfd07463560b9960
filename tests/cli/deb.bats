#!/usr/bin/env bats
# The Debian package: debian/ names what the build needs, make deb builds it with the Debian tools
# into build/deb (the tree stays as it was) and lintian finds no error; installed with dpkg it puts
# everything where Debian expects it, and removing it leaves a store alone.
# The package is built from the source once, in the plain run of the tests (not under the sanitizers).

load helpers

# mk ARGS...: make in the source tree, without the variables a make check running these tests
# passes down in MAKEFLAGS (B, BIN, CFLAGS of the sanitizer build)
mk() {
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s -C "$ROOT" "$@"
}

# makevar NAME: the value of a variable of the Makefile
makevar() {
	mk --eval 'print-%: ; @echo $($*)' "print-$1"
}

# build_depends: the package names of debian/control's Build-Depends, one a line
build_depends() {
	awk '/^Build-Depends:/ { on = 1; sub(/^Build-Depends:/, "") } on && /^[A-Z]/ && !/^Build-Depends/ { on = 0 } on' \
		"$ROOT/debian/control" | tr ',' '\n' | sed 's/([^)]*)//; s/^[[:space:]]*//; s/[[:space:]]*$//' | grep -v '^$'
}

need_deb_tools() {
	local t
	for t in dpkg-buildpackage dh lintian; do
		command -v "$t" >/dev/null || skip "$t is not installed (make deps installs devscripts, debhelper and lintian)"
	done
	[ "${PORTAL_BIN:-$ROOT/bin}" = "$ROOT/bin" ] && [ -z "$PG_TEST" ] ||
		skip "the package is built from the source once, in the plain run of the tests"
}

deb_file() {
	echo "$ROOT/build/deb/portal_$(makevar VERSION)_$(dpkg --print-architecture).deb"
}

teardown() {
	# a package this test installed does not stay, nor the user its installation made
	if [ -n "${INSTALLED-}" ] && dpkg-query -W -f='${Status}' portal 2>/dev/null | grep -q 'install ok'; then
		dpkg --purge portal >/dev/null 2>&1 || true
	fi
	if [ -n "${MADE_USER-}" ] && getent passwd portal >/dev/null; then
		userdel portal 2>/dev/null || true
		getent group portal >/dev/null && groupdel portal 2>/dev/null || true
	fi
}

@test "debian/: version, build dependencies of every library the toolkit links, the package portal" {
	# one version: the Makefile's is the package's
	[ "$(sed -n '1s/^portal (\([^)]*\)).*/\1/p' "$ROOT/debian/changelog")" = "$(makevar VERSION)" ]
	grep -qx '3.0 (native)' "$ROOT/debian/source/format"
	grep -qx 'Package: portal' "$ROOT/debian/control"
	build_depends | grep -qx 'debhelper-compat'
	grep -q '^Depends:.*\${shlibs:Depends}' "$ROOT/debian/control"
	# every library the Makefile links is a build dependency, by the -dev package that brings it
	local m pc pkg lib so
	local -a missing=()
	for m in $(makevar PKGS) $(makevar GLIB_PKGS) $(makevar WEB_PKGS); do
		pc=$(pkg-config --variable=pcfiledir "$m")/$m.pc
		pkg=$(dpkg -S "$pc" | head -1 | cut -d: -f1)
		[ -n "$pkg" ] || { echo "no package holds $pc"; return 1; }
		build_depends | grep -qx "$pkg" || missing+=("$pkg ($m)")
	done
	# and those linked without pkg-config (libcsv has no .pc file)
	for lib in $(makevar LDLIBS | grep -oE -- '-l[^ ]+' | sed 's/^-l//' | sort -u); do
		case $lib in pthread | m) continue ;; esac
		pkg-config --libs $(makevar PKGS) $(makevar GLIB_PKGS) | grep -qE -- "-l$lib( |$)" && continue
		so=$(realpath -s "$(cc -print-file-name="lib$lib.so")")
		pkg=$(dpkg -S "$so" | head -1 | cut -d: -f1)
		[ -n "$pkg" ] || { echo "no package holds $so"; return 1; }
		build_depends | grep -qx "$pkg" || missing+=("$pkg (-l$lib)")
	done
	[ ${#missing[@]} -eq 0 ] || { echo "debian/control: Build-Depends lacks ${missing[*]}"; return 1; }
	# make deps installs what the package build needs
	for pkg in devscripts debhelper lintian; do
		makevar DEB_PKGS | tr ' ' '\n' | grep -qx "$pkg" || { echo "DEB_PKGS lacks $pkg"; return 1; }
	done
}

@test "make deb: the package portal in build/deb, built by dpkg-buildpackage, lintian without errors, the tree unchanged" {
	need_deb_tools
	local before deb
	before=$(cd "$ROOT" && git status --porcelain --ignored=no 2>/dev/null)
	run mk deb
	echo "$output" | tail -20
	[ "$status" -eq 0 ]
	[[ $output == *"dpkg-buildpackage: info: source package portal"* ]]
	# lintian ran, and said no error
	[[ $output == *"lintian build/deb/portal_"* ]]
	! grep -E '^E: ' <<<"$output"
	deb=$(deb_file)
	[ -f "$deb" ]
	# a clean clone stays clean: nothing but build/ was written, and no package beside the tree
	[ "$(cd "$ROOT" && git status --porcelain --ignored=no 2>/dev/null)" = "$before" ]
	[ -z "$(ls "$ROOT"/../portal_* 2>/dev/null)" ]
	[ ! -e "$ROOT/build/deb/portal-$(makevar VERSION)" ]
	# what it depends on: the shared libraries, never a -dev package
	run dpkg-deb -f "$deb" Package Version Depends
	[[ ${lines[0]} == "Package: portal" ]]
	[[ ${lines[1]} == "Version: $(makevar VERSION)" ]]
	[[ ${lines[2]} == *libsqlite3-0* && ${lines[2]} == *libsodium* && ${lines[2]} == *libxlsxwriter* ]]
	[[ ${lines[2]} == *fonts-dejavu-core* ]]
	[[ ${lines[2]} != *-dev* ]]
	# where Debian expects things
	run dpkg-deb -c "$deb"
	local f
	for f in ./usr/bin/portal-db ./usr/bin/portal-web ./usr/share/man/man1/portal-extract.1.gz \
		./usr/share/man/man7/portal.7.gz ./usr/share/bash-completion/completions/portal-ack \
		./usr/share/zsh/vendor-completions/_portal-ack ./usr/share/fish/vendor_completions.d/portal-ack.fish \
		./usr/share/portal/examples/производственный-календарь-2026-2027.csv ./usr/share/portal/nginx/portal.conf \
		./lib/systemd/system/portal-web.service ./lib/systemd/system/portal-nightly.service \
		./lib/systemd/system/portal-nightly.timer ./usr/lib/sysusers.d/portal.conf ./etc/default/portal \
		./usr/share/doc/portal/copyright ./usr/share/doc/portal/postgresql.md \
		./usr/share/locale/ru/LC_MESSAGES/portal.mo; do
		grep -qE " $f(\.gz)?\$" <<<"$output" || { echo "the package has no $f"; return 1; }
	done
	! grep -q ' \./usr/local' <<<"$output"
	# the units name the package's binaries; /etc/default/portal is the admin's (a conffile)
	dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ./lib/systemd/system/portal-nightly.service |
		grep -q '^ExecStart=/usr/bin/portal-report nightly '
	dpkg-deb --ctrl-tarfile "$deb" | tar -xOf - ./conffiles | grep -qx /etc/default/portal
}

@test "dpkg -i the package, run an installed binary, dpkg -r: a store made meanwhile is left alone" {
	need_deb_tools
	[ "$(id -u)" -eq 0 ] || skip "dpkg -i needs root"
	! dpkg-query -W -f='${Status}' portal 2>/dev/null | grep -q 'install ok' ||
		skip "the package portal is installed on this machine: a test does not replace it"
	local deb
	deb=$(deb_file)
	[ -f "$deb" ] || mk deb >/dev/null
	getent passwd portal >/dev/null || MADE_USER=1
	INSTALLED=1
	run dpkg -i "$deb"
	echo "$output"
	[ "$status" -eq 0 ]
	# installed where Debian expects it, its user made, its services not enabled
	[ -x /usr/bin/portal-db ] && [ -x /usr/bin/portal-web ]
	[ -f /usr/share/man/man7/portal.7.gz ] && [ -f /lib/systemd/system/portal-nightly.timer ]
	[ -f /etc/default/portal ]
	! command -v systemd-sysusers >/dev/null || getent passwd portal
	[ ! -e /etc/systemd/system/timers.target.wants/portal-nightly.timer ]
	[ ! -e /etc/systemd/system/multi-user.target.wants/portal-web.service ]
	# the installed binary, by its path, makes a store
	local store=$BATS_TEST_TMPDIR/srv/portal.db digest
	mkdir -p "${store%/*}"
	run /usr/bin/portal-db --version
	[ "$status" -eq 0 ]
	[[ $output == *"$(makevar VERSION)"* ]]
	# in Russian from the package's own translations (/usr/share/locale), the exit code the same
	LANGUAGE=ru run env -u PORTAL_LOCALEDIR /usr/bin/portal-db frobnicate
	[ "$status" -eq 64 ]
	[[ $output == *'неизвестная команда "frobnicate"'* ]]
	/usr/bin/portal-db -q init --admin admin --db "$store"
	PORTAL_DB=$store /usr/bin/portal-db -q calendar import /usr/share/portal/examples/производственный-календарь-2026-2027.csv
	digest=$(db_digest "$store")
	run dpkg -r portal
	echo "$output"
	[ "$status" -eq 0 ]
	[ ! -e /usr/bin/portal-db ] && [ ! -e /usr/share/portal ] && [ ! -e /lib/systemd/system/portal-web.service ]
	# the admin's settings stay until a purge
	[ -f /etc/default/portal ]
	# the store is as it was, whole
	[ "$(db_digest "$store")" = "$digest" ]
	PORTAL_DB=$store run portal-db check
	[ "$status" -eq 0 ]
	dpkg --purge portal >/dev/null
	[ ! -e /etc/default/portal ]
	[ -f "$store" ]
}
