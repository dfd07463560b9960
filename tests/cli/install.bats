#!/usr/bin/env bats
# make install and make uninstall: what goes where under PREFIX in DESTDIR, the installed toolkit
# run away from the source tree (portal(7)'s term, as the installed page says it, on the installed
# examples and calendar, to a PDF read back), and an uninstall that leaves nothing of it.
# The binaries installed are those of the plain build (bin/), which make builds when missing.

load helpers

NOW=2026-12-03T09:00:00Z

# install_to DIR [VAR=VALUE...]: make install DESTDIR=DIR, quietly; the make of a make check
# running these tests passes its own variables (B, BIN, CFLAGS) in MAKEFLAGS: not to this one
install_to() {
	local d=$1
	shift
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s -C "$ROOT" install DESTDIR="$d" "$@"
}

uninstall_from() {
	local d=$1
	shift
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s -C "$ROOT" uninstall DESTDIR="$d" "$@"
}

# installed_files DIR: the files under DIR, as paths from DIR, sorted
installed_files() {
	(cd "$1" && find . -type f -o -type l) | sed 's|^\.||' | sort
}

@test "make install: the binaries, the pages of sections 1 and 7, the completions, the examples, the nginx site, the units and the user under PREFIX" {
	local d=$BATS_TEST_TMPDIR/dest p=/usr/local b n
	install_to "$d"
	for b in portal-db portal-accounts portal-journal portal-consent portal-extract portal-ack portal-report portal-web; do
		[ -x "$d$p/bin/$b" ] || { echo "no $p/bin/$b"; return 1; }
		[ -f "$d$p/share/man/man1/$b.1" ] || { echo "no $b.1"; return 1; }
		[ -f "$d$p/share/bash-completion/completions/$b" ] || { echo "no bash completion of $b"; return 1; }
		[ -f "$d$p/share/zsh/site-functions/_$b" ] || { echo "no zsh completion of $b"; return 1; }
		[ -f "$d$p/share/fish/vendor_completions.d/$b.fish" ] || { echo "no fish completion of $b"; return 1; }
	done
	[ -f "$d$p/share/man/man7/portal.7" ]
	cmp "$ROOT/README.md" "$d$p/share/doc/portal/README.md"
	cmp "$ROOT/docs/postgresql.md" "$d$p/share/doc/portal/postgresql.md"
	# every file of share/examples, the production calendar among them
	n=$(ls "$ROOT"/share/examples/*.csv | wc -l)
	[ "$(ls "$d$p"/share/portal/examples/*.csv | wc -l)" -eq "$n" ]
	cmp "$ROOT/share/examples/производственный-календарь-2026-2027.csv" \
		"$d$p/share/portal/examples/производственный-календарь-2026-2027.csv"
	cmp "$ROOT/share/nginx/portal.conf" "$d$p/share/portal/nginx/portal.conf"
	cmp "$ROOT/share/default/portal" "$d$p/share/portal/default/portal"
	cmp "$ROOT/share/sysusers/portal.conf" "$d$p/lib/sysusers.d/portal.conf"
	# the units, where systemd looks for them, naming the installed binaries
	grep -qx "ExecStart=$p/bin/portal-web serve --listen 127.0.0.1:8080 --workers 4" \
		"$d$p/lib/systemd/system/portal-web.service"
	grep -q "^ExecStart=$p/bin/portal-report nightly " "$d$p/lib/systemd/system/portal-nightly.service"
	[ -f "$d$p/lib/systemd/system/portal-nightly.timer" ]
	# nothing is installed that is not a file of the toolkit: no test tool, no store
	! installed_files "$d" | grep -E 'synth|\.db$'
	# man finds the pages where they are installed
	if command -v man >/dev/null; then
		[ "$(MANPATH=$d$p/share/man man -w 7 portal)" = "$d$p/share/man/man7/portal.7" ]
		[ "$(MANPATH=$d$p/share/man man -w portal-extract)" = "$d$p/share/man/man1/portal-extract.1" ]
	fi
}

@test "the installed toolkit, away from the source tree, runs portal(7)'s term on the installed examples: a PDF extract read back" {
	command -v pdftotext >/dev/null || skip "pdftotext is not installed (make deps: poppler-utils)"
	local d=$BATS_TEST_TMPDIR/dest p=/usr/local home=$BATS_TEST_TMPDIR/home
	install_to "$d"
	mkdir -p "$home"
	# the term as the installed page gives it; the examples are where this install put them
	python3 "$ROOT/tests/cli/docs.py" commands "$d$p/share/man/man7/portal.7" 'A TERM OF A CLASS LEADER' |
		sed "s|/usr/share/portal/|$d$p/share/portal/|g" > term.sh
	[ "$(wc -l < term.sh)" -gt 20 ]
	grep -q 'import students --encoding cp1251' term.sh
	grep -q 'calendar import производственный-календарь' term.sh
	# nothing of the source tree on the way: not the PATH, not the folder, not the environment;
	# each binary the term names is the installed one
	run env -i PATH="$d$p/bin:/usr/bin:/bin" bash -c 'type -P portal-db portal-accounts portal-journal portal-consent portal-extract portal-ack portal-report'
	[ "$status" -eq 0 ]
	! grep -v "^$d$p/bin/portal-" <<<"$output"
	run env -i "${SAN_ENV[@]}" HOME="$home" PATH="$d$p/bin:/usr/bin:/bin" LANG=C.UTF-8 PORTAL_NOW=$NOW \
		DOC_LINES="$BATS_TEST_TMPDIR/term.sh" bash -c "cd '$home' && . '$ROOT/tests/cli/run-lines.sh'"
	echo "$output" | tail -30
	[ "$status" -eq 0 ]
	[[ ${lines[-1]} == "lines: "*" ran" ]]
	# the extracts, as many as the pipeline counted, of the school the store was told of
	local s=$home/school count
	count=$(pdftotext "$s/7а.pdf" - | grep -c 'ВЫПИСКА ИЗ ЭЛЕКТРОННОГО ЖУРНАЛА')
	[ "$count" -gt 10 ]
	grep -qx "$count" <<<"$output"
	pdftotext "$s/7а.pdf" - | grep -q 'МБОУ СОШ № 1'
	pdftotext "$s/7а.pdf" - | grep -q '2 четверть'
	[ "$(($(wc -l < "$s/манифест-7а.csv") - 1))" -eq "$count" ]
	# the slips, the workbook, the scanned codes, and a whole store
	pdftotext "$s/slips-7a.pdf" - | grep -q 'Логин'
	[ -s "$s/посещаемость-7а.xlsx" ]
	[ "$(grep -c ',ok$' <<<"$output")" -eq 3 ]
	PORTAL_DB=$s/school.db run "$d$p/bin/portal-db" check
	[ "$status" -eq 0 ]
	# the store has the installed calendar: 31 December 2026 is a day off by it, a workday without it
	PORTAL_DB=$s/school.db run "$d$p/bin/portal-db" calendar list --from 2026-12-31 --to 2026-12-31
	[ "${lines[1]}" = 2026-12-31,dayoff,0 ]
}

@test "make uninstall removes exactly what make install put, with PREFIX and DESTDIR, and leaves the rest" {
	local d=$BATS_TEST_TMPDIR/dest p=/opt/school before after
	mkdir -p "$d$p/bin" "$d$p/share/man/man1" "$d$p/share/man/man7" "$d$p/lib/systemd/system"
	# what was there before, and a store: none of it portal's to remove
	echo other > "$d$p/bin/other-tool"
	echo other > "$d$p/share/man/man1/other-tool.1"
	echo other > "$d$p/share/man/man7/other.7"
	echo other > "$d$p/lib/systemd/system/other.service"
	portal-db -q init --admin admin --db "$d$p/school.db"
	before=$(installed_files "$d")
	install_to "$d" PREFIX=$p
	# everything under the PREFIX given, nothing outside it
	[ -x "$d$p/bin/portal-db" ]
	[ "$(installed_files "$d" | grep -vc "^$p/")" -eq 0 ]
	grep -q "^ExecStart=$p/bin/portal-web serve" "$d$p/lib/systemd/system/portal-web.service"
	[ "$(installed_files "$d" | wc -l)" -gt 60 ]
	uninstall_from "$d" PREFIX=$p
	after=$(installed_files "$d")
	[ "$before" = "$after" ] || { diff <(echo "$before") <(echo "$after"); return 1; }
	# portal's own folders are gone, the shared ones stay
	[ ! -e "$d$p/share/portal" ]
	[ -d "$d$p/share/man/man7" ] && [ -d "$d$p/lib/systemd/system" ]
	PORTAL_DB=$d$p/school.db run portal-db check
	[ "$status" -eq 0 ]
	# twice is harmless
	uninstall_from "$d" PREFIX=$p
}

@test "make install puts the Russian messages where the installed binaries look for them; uninstall takes them away" {
	local d=$BATS_TEST_TMPDIR/dest p=/usr/local mo=share/locale/ru/LC_MESSAGES/portal.mo
	install_to "$d"
	cmp "$ROOT/build/locale/ru/LC_MESSAGES/portal.mo" "$d$p/$mo"
	# the binaries look in PREFIX/share/locale, the place make install put them
	grep -aq "$p/share/locale" "$d$p/bin/portal-accounts"
	LANGUAGE=ru PORTAL_LOCALEDIR=$d$p/share/locale run "$d$p/bin/portal-accounts" lsit
	[ "$status" -eq 64 ]
	[[ ${lines[0]} == 'portal-accounts: неизвестная команда "lsit"; может быть, "list"?' ]]
	uninstall_from "$d"
	[ ! -e "$d$p/$mo" ]
}

@test "make uninstall keeps a file someone put in portal's own folder" {
	local d=$BATS_TEST_TMPDIR/dest p=/usr/local
	install_to "$d"
	echo "mine" > "$d$p/share/portal/examples/my-notes.txt"
	uninstall_from "$d"
	[ "$(cat "$d$p/share/portal/examples/my-notes.txt")" = mine ]
	[ "$(installed_files "$d")" = "$p/share/portal/examples/my-notes.txt" ]
}
