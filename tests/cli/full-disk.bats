#!/usr/bin/env bats
# A full disk never leaves a wrong file under a final name (issue 15, part 5).
# Every output is written to a temporary file beside its name and moved there
# only when complete; on a full disk a verb exits 74 (73 when not even an empty
# file can be made), nothing is under the name, no temporary file is left, and
# portal-extract registers no extract.
#
# Each test mounts a small tmpfs of its own at full/ (so it needs root) and
# fills it to leave a few KiB; the store stays outside it. The school is a
# small synthetic one with a journal (60 students, seed 7: 5А, 5Б, 6А).

load helpers
bats_require_minimum_version 1.5.0

P2="2 четверть"

setup_file() {
	local dir=$BATS_FILE_TMPDIR/school k
	mkdir -p "$dir" || return 1
	export PORTAL_DB="$(store_at "$dir/p.db")" PORTAL_ACTOR=admin PORTAL_NOW=2026-11-28T09:00:00Z LC_ALL=C.UTF-8
	(
		cd "$dir" || exit 1
		new_store || exit 1
		"$SYNTH" --students 60 --seed 7 --journal --out s || exit 1
		for k in staff students guardians; do
			portal-accounts -q import "$k" "s/$k.csv" || exit 1
		done
		portal-accounts -q groups import s/groups.csv || exit 1
		portal-journal -q periods import s/periods.csv || exit 1
		for k in schedule lessons changes tests holidays marks attendance recommendations finals; do
			portal-journal -q import "$k" "s/$k.csv" || { echo "setup_file: import $k failed" >&2; exit 1; }
		done
		cut -d, -f1 s/students.csv >ids.csv
		checkpoint
	)
}

# disk [KIB_FREE] [MOUNT OPTIONS]: this test's copy of the store, and a 2 MiB
# tmpfs at full/ filled to leave KIB_FREE KiB (default 4; "all": left empty).
disk() {
	local free=${1:-4} opts=${2:-}
	store_cp "$(store_at "$BATS_FILE_TMPDIR/school/p.db")" "$PORTAL_DB" || return 1
	cp "$BATS_FILE_TMPDIR/school/ids.csv" ids.csv || return 1
	mkdir -p full || return 1
	if [ "$(id -u)" -ne 0 ] || ! mount -t tmpfs -o "size=2m${opts:+,$opts}" tmpfs full 2>/dev/null; then
		skip "needs root to mount a small tmpfs"
	fi
	MOUNTED=1
	if [ "$free" != all ]; then
		head -c $((2048 * 1024 - free * 1024)) /dev/zero >full/fill 2>/dev/null || true
	fi
	EXTRACTS0=$(q 'SELECT count(*) FROM extracts')
	AUDIT0=$(audit_count)
}

teardown() {
	cd "$BATS_TEST_TMPDIR" || return 1
	if [ -n "${MOUNTED-}" ]; then
		umount full
	fi
}

# left: what is on the tmpfs besides the filling, every level, hidden files too.
left() {
	(cd full && find . -mindepth 1 ! -name fill | sort)
}

# nothing_left: no final file, no temporary one.
nothing_left() {
	same "" "$(left)" "files left on the full disk"
}

# nothing_registered: the store took no extract and no audit record.
nothing_registered() {
	same "$EXTRACTS0" "$(q 'SELECT count(*) FROM extracts')" "extracts registered"
	same "$AUDIT0" "$(audit_count)" "audit records"
}

# full_disk_refused FILE: the last run exited 74 naming FILE and the reason, and left nothing.
full_disk_refused() {
	status_is 74
	contains "$1" "$stderr"
	contains "No space left on device" "$stderr"
	nothing_left
}

# ---- portal-extract ----

@test "extract --channel paper --format txt -o FILE: 74, no file, nothing registered" {
	disk 64
	run --separate-stderr portal-extract --channel paper --format txt --period "$P2" -o full/all.txt ids.csv
	full_disk_refused full/all.txt
	nothing_registered
	same "" "$output" "the manifest"
}

@test "extract --format csv -o FILE: 74, no file, nothing registered" {
	disk 16
	run --separate-stderr portal-extract --channel paper --format csv --period "$P2" -o full/all.csv ids.csv
	full_disk_refused full/all.csv
	nothing_registered
}

@test "extract --format pdf and xlsx -o FILE: 74, no file, nothing registered" {
	disk 16
	run --separate-stderr portal-extract --channel paper --format pdf --period "$P2" -o full/all.pdf ids.csv
	full_disk_refused full/all.pdf
	nothing_registered
	run --separate-stderr portal-extract --channel paper --format xlsx --period "$P2" -o full/all.xlsx ids.csv
	full_disk_refused full/all.xlsx
	nothing_registered
}

@test "extract -o DIR/: one file that does not fit and none is left, the directory neither; nothing registered" {
	disk 64
	for f in txt csv pdf xlsx; do
		run --separate-stderr portal-extract --channel paper --format "$f" --period "$P2" -o full/ex/ ids.csv
		full_disk_refused "full/ex/"
		nothing_registered
	done
}

@test "extract -o DIR into a directory that holds other files: those stay, no new one" {
	disk 64
	mkdir full/ex
	echo keep >full/ex/old.txt
	run --separate-stderr portal-extract --channel paper --period "$P2" -o full/ex ids.csv
	status_is 74
	same "./ex
./ex/old.txt" "$(left)" "files on the disk"
	nothing_registered
}

@test "extract e-mails on a full disk: 74, no .eml, nothing registered, nothing sent" {
	disk 8
	local g s
	g=$(q "SELECT l.guardian_id || ',' || l.student_id FROM guardian_links l JOIN guardians g USING (guardian_id)
		JOIN students st USING (student_id) WHERE g.email <> '' AND st.status = 'active' LIMIT 1")
	portal-consent -q record --guardian "${g%,*}" --student "${g#*,}" --decision given --signed-on 2026-11-02
	portal-db -q config mail.sendmail "$BATS_TEST_TMPDIR/sent.sh"
	printf '#!/bin/sh\ncat >>"%s/sent.txt"\n' "$BATS_TEST_TMPDIR" >sent.sh
	chmod +x sent.sh
	AUDIT0=$(audit_count)
	# the paper ones fill the disk before or after the e-mail: either way nothing stays
	run --separate-stderr portal-extract --period "$P2" --send -o full/ex/ ids.csv
	full_disk_refused full/ex/
	nothing_registered
	[ ! -e sent.txt ]
}

@test "extract with room enough: the file is complete and every extract registered" {
	disk all
	run --separate-stderr portal-extract --channel paper --format txt --period "$P2" -o full/all.txt ids.csv
	status_is 0
	local n
	n=$(($(wc -l <<<"$output") - 1))
	[ "$n" -gt 50 ]
	same $((EXTRACTS0 + n)) "$(q 'SELECT count(*) FROM extracts')" "extracts registered"
	same "./all.txt" "$(left)" "files on the disk"
	same 600 "$(file_mode full/all.txt)" "mode"
	# one page each, a form feed between them, and the last one ends with its code
	same $((n - 1)) "$(tr -cd '\f' <full/all.txt | wc -c)" "form feeds"
	local code
	code=$(tail -1 <<<"$output" | cut -d, -f5)
	same "Код подтверждения: ${code:0:5}-${code:5}" "$(tail -1 full/all.txt)" "the last line"

	run --separate-stderr portal-extract --channel paper --format csv --period "$P2" -o full/ex/ ids.csv
	status_is 0
	same "$n" "$(find full/ex -name '*.csv' | wc -l)" "files, one an extract"
	same $((EXTRACTS0 + 2 * n)) "$(q 'SELECT count(*) FROM extracts')" "extracts registered"
	[ -z "$(find full -name '*.tmp')" ]
}

@test "extract: an output directory that cannot be made is 73, nothing registered" {
	disk 4
	touch full/taken
	run --separate-stderr portal-extract --channel paper --period "$P2" -o full/taken/x/ ids.csv
	status_is 73
	nothing_registered
}

# ---- the -o of every other verb ----

# each ARGS: runs portal-… ARGS -o full/out.EXT and expects 74 and nothing left.
each_refused() {
	local args
	for args in "$@"; do
		eval "run --separate-stderr $args"
		full_disk_refused full/out
	done
}

@test "report progress -o FILE: 74 and no truncated file (and xlsx the same)" {
	disk 4
	run --separate-stderr portal-report progress --all --period "$P2" --by student -o full/p.csv
	full_disk_refused full/p.csv
	run --separate-stderr portal-report progress --all --period "$P2" --by student --format xlsx -o full/p.xlsx
	full_disk_refused full/p.xlsx
}

@test "every read verb's -o on a full disk: 74, nothing under the name" {
	disk 0
	each_refused \
		'portal-db audit -o full/out.csv' \
		'portal-db calendar list --from 2026-09-01 --to 2027-05-31 -o full/out.csv' \
		'portal-accounts list students --all -o full/out.csv' \
		'portal-accounts list guardians --all --format json -o full/out.json' \
		'portal-accounts groups list --all -o full/out.csv' \
		'portal-journal periods list -o full/out.csv' \
		'portal-journal show --class 5А --period "$P2" -o full/out.csv' \
		'portal-journal show --class 5А --period "$P2" --format xlsx -o full/out.xlsx' \
		'portal-journal teachers --class 5А -o full/out.csv' \
		'portal-consent status --all -o full/out.csv' \
		'portal-consent missing --all -o full/out.csv' \
		'portal-ack pending --all -o full/out.csv' \
		'portal-report attendance --all --period "$P2" -o full/out.csv' \
		'portal-report attendance --all --period "$P2" --format xlsx -o full/out.xlsx' \
		'portal-report student --student S00001 --period "$P2" --format table -o full/out.txt' \
		'portal-report coverage -o full/out.csv' \
		'portal-report coverage --format xlsx -o full/out.xlsx'
}

@test "a writer's --dry-run -o and --rejects on a full disk: 74, no file, nothing applied" {
	disk 0
	local before
	before=$(db_digest)
	each_refused \
		'portal-accounts import students "$BATS_FILE_TMPDIR/school/s/students.csv" --dry-run -o full/out.csv'
	sed 's/,2015-/,x2015-/' "$BATS_FILE_TMPDIR/school/s/students.csv" >bad.csv
	run --separate-stderr portal-accounts import students bad.csv --rejects full/rejects.csv
	full_disk_refused full/rejects.csv
	same "$before" "$(db_digest)" "the store"
}

@test "report nightly --out DIR on a full disk: 74, no workbook or summary, no temporary file" {
	disk 0
	run --separate-stderr portal-report nightly --out full/n --date 2026-11-28
	status_is 74
	contains "No space left on device" "$stderr"
	same "" "$(find full/n -type f ! -name .nightly.lock)" "files left"
}

@test "a write to standard output redirected to a full disk is 74" {
	disk 0
	run --separate-stderr bash -c 'portal-report progress --all --period "$1" --by student >full/p.csv' _ "$P2"
	status_is 74
	contains "standard output" "$stderr"
}

# ---- credentials: secrets ----

@test "issue -o on a full disk: 74, no slips file, no account made" {
	disk 0
	for f in csv txt pdf; do
		run --separate-stderr portal-accounts issue --all --who all --format "$f" -o "full/slips.$f"
		full_disk_refused "full/slips.$f"
		same 0 "$(q 'SELECT count(*) FROM accounts')" "accounts after --format $f"
	done
	same "$AUDIT0" "$(audit_count)" "audit records"
}

@test "issue -o where not even an empty file can be made: 73, no account made" {
	disk all nr_inodes=2
	touch full/one 2>/dev/null || true
	run --separate-stderr portal-accounts issue --all --who all -o full/slips.csv
	status_is 73
	same 0 "$(q 'SELECT count(*) FROM accounts')" "accounts"
	[ ! -e full/slips.csv ]
}

@test "issue -o with room: the slips are complete, 0600, and an existing file is still never replaced" {
	disk all
	run --separate-stderr portal-accounts issue --all --who students -o full/slips.csv
	status_is 0
	local n
	n=$(q "SELECT count(*) FROM accounts")
	[ "$n" -gt 50 ]
	same $((n + 1)) "$(wc -l <full/slips.csv)" "rows with the header"
	same 600 "$(file_mode full/slips.csv)" "mode"
	same "./slips.csv" "$(left)" "files on the disk"
	run --separate-stderr portal-accounts issue --all --who guardians -o full/slips.csv
	status_is 73
	same "$n" "$(q "SELECT count(*) FROM accounts")" "accounts"
	same "./slips.csv" "$(left)" "files on the disk"
}
