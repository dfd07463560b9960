#!/usr/bin/env bats
# The shell completions and the man pages agree with the binaries: every verb,
# sub-verb and option that `--help` lists is documented and completed. The
# bash, zsh and fish scripts are thin: each asks the binary
# (`portal-X --complete line WORD... CURRENT`), so these tests drive the answers
# the binaries generate from their verb tables.

setup() {
	ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	cd "$ROOT" || return 1
	BIN=${PORTAL_BIN:-$ROOT/bin}
	[ -x "$BIN/portal-db" ] || skip "$BIN/portal-db is not built yet (make): the binaries answer the completions"
	# the scripts run the binary by the name typed; values from the store need a store,
	# so by default there is none (nothing is offered for a class, a login, ...)
	export PATH="$BIN:$PATH" PORTAL_DB="$BATS_TEST_TMPDIR/none.db"
	unset PORTAL_ACTOR
	export LC_ALL=C.UTF-8	# as the other CLI tests: fish escapes Cyrillic in the C locale
}

# complete_bash BIN WORD...: runs the bash completion of BIN on the command line
# "BIN WORD..." with the cursor at the end of the last WORD ("" for a new word)
# and prints the candidates, one a line.
complete_bash() {
	ROOT=$ROOT bash -c '
		bin=$1
		shift
		source "$ROOT/completions/bash/portal" || exit 1
		COMP_WORDS=("$bin" "$@")
		COMP_CWORD=$#
		COMP_LINE="${COMP_WORDS[*]}"
		COMP_POINT=${#COMP_LINE}
		"_${bin//-/_}"
		printf "%s\n" "${COMPREPLY[@]}"
	' _ "$@"
}

# complete_zsh LINE: runs the zsh completion on the command line LINE (the
# cursor at its end) in a pseudo-terminal, and prints the candidates, one a
# line. compadd is wrapped to write what it adds to a file.
complete_zsh() {
	local hits=$BATS_TEST_TMPDIR/zsh-hits
	: >"$hits"
	# The script is for zsh: its $ expand there.
	# shellcheck disable=SC2016
	ROOT=$ROOT HITS=$hits LINE=$1$'\t' timeout 20 zsh -f -c '
		zmodload zsh/zpty || exit 1
		zpty z zsh -f -i
		zpty -w z "fpath=(\"$ROOT/completions/zsh\" \$fpath); autoload -Uz compinit; compinit -u -D"
		zpty -w z "PROMPT=; RPROMPT=; setopt nobeep; HITS=\"$HITS\""
		zpty -w z "compadd() {
			if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then builtin compadd \"\$@\"; return; fi
			local -a hits; builtin compadd -A hits \"\$@\"; local ret=\$?
			(( \$#hits )) && print -rl -- \$hits >>\$HITS
			return ret
		}"
		zpty -w z "zstyle \":completion:*\" insert-tab false; bindkey \"^I\" complete-word"
		zpty -w z "comppostfuncs=(done_); done_() { print DONE_COMPLETING; exit }"
		zpty -w z "print READY_TO_COMPLETE"
		zpty -r z l "*READY_TO_COMPLETE*" && zpty -r z l "*READY_TO_COMPLETE*" || exit 1
		zpty -w -n z "$LINE"
		while zpty -r z l; do [[ $l == *DONE_COMPLETING* ]] && break; done
		zpty -d z
	' || return 1
	sort -u "$hits"
}

# complete_fish LINE: the candidates of the fish completion for LINE.
complete_fish() {
	# shellcheck disable=SC2016
	fish -c 'source $argv[1]; complete -C$argv[2]' \
		"$ROOT/completions/fish/portal.fish" "$1" | cut -f1
}

# has WORD...: every WORD is a line of $output.
has() {
	local w
	for w; do
		if ! grep -qxF -- "$w" <<<"$output"; then
			printf 'missing: %s\ngot:\n%s\n' "$w" "$output"
			return 1
		fi
	done
}

# is WORD...: the lines of $output are exactly the WORDs, in any order.
is() {
	local want got
	want=$(printf '%s\n' "$@" | sort)
	got=$(sort <<<"$output")
	if [ "$want" != "$got" ]; then
		printf 'want:\n%s\ngot:\n%s\n' "$want" "$got"
		return 1
	fi
}

need_bin() {
	[ -x "$BIN/$1" ] || skip "$BIN/$1 is not built yet (make): checked once it exists"
}

# help_verb_lines BIN: the verbs that "BIN --help" lists, one a line, as words
# ("calendar import"), alternatives as written ("import students|staff").
help_verb_lines() {
	"$ROOT/bin/$1" --help 2>&1 | awk '
		/^verbs:/ { on = 1; next }
		!on || /^[ \t]*$/ { next }
		/^[^ \t]/ { exit }
		/^  [^ ]/ {
			line = substr($0, 3)
			sub(/(  |\t).*/, "", line)	# the description follows a wider gap
			n = split(line, w, " ")
			path = ""
			for (i = 1; i <= n; i++) {
				c = substr(w[i], 1, 1)
				if (c ~ /[A-Z]/ || c == "-" || c == "[" || c == "<")
					break
				path = path (path == "" ? "" : " ") w[i]
			}
			if (path != "")
				print path
		}'
}

# expand_paths: spells out the alternatives of each line of standard input:
# "import students|staff" gives "import students" and "import staff".
expand_paths() {
	local line word p a
	local -a paths next alts
	while IFS= read -r line; do
		paths=("")
		for word in $line; do
			word=${word//[(){\}]/}
			IFS='|,' read -ra alts <<<"$word"
			next=()
			for p in "${paths[@]}"; do
				for a in "${alts[@]}"; do
					next+=("${p:+$p }$a")
				done
			done
			paths=("${next[@]}")
		done
		printf '%s\n' "${paths[@]}"
	done
}

# help_verbs BIN: the verbs of "BIN --help", alternatives spelled out.
help_verbs() {
	help_verb_lines "$1" | expand_paths
}

# help_options BIN [VERB...]: the long options that the help of a verb names,
# or without VERB those of the "options:" part of the binary's help; one a line.
help_options() {
	local bin=$1 part='on = 1'
	shift
	[ $# -gt 0 ] || part='/^options:/ { on = 1 }'
	(cd "$BATS_TEST_TMPDIR" &&
		PORTAL_DB="$BATS_TEST_TMPDIR/none.db" "$ROOT/bin/$bin" "$@" --help 2>&1) |
		awk "$part"'; on' |
		grep -oE -- '--[a-z][a-z0-9-]*[a-z0-9]' | sort -u
}

# man_text PAGE: the page as a reader sees it, one synopsis line per verb.
man_text() {
	mandoc -T utf8 -O width=400 "$ROOT/share/man/$1" | sed 's/.\x08//g'
}

# ---- bash completion --------------------------------------------------------

@test "bash: portal-db completes every verb" {
	run complete_bash portal-db ""
	[ "$status" -eq 0 ]
	has init migrate version config calendar backup check witness audit
}

@test "bash: portal-db completes a verb from its prefix" {
	run complete_bash portal-db c
	is config calendar check
}

@test "bash: portal-db calendar sub-verbs, also after options" {
	run complete_bash portal-db calendar ""
	is import list
	run complete_bash portal-db --db x.db --format table calendar ""
	is import list
	run complete_bash portal-db -q calendar --db = x.db ""
	is import list
}

@test "bash: portal-db config keys" {
	run complete_bash portal-db config ""
	is school.name school.address school.director portal.url support.contact \
		mail.from mail.sendmail school.timezone grading.thresholds audit.witness audit.syslog \
		web.session_idle web.session_max web.insecure_cookie
	run complete_bash portal-db config school.name ""
	[ -z "$output" ]
	mkdir -p "$BATS_TEST_TMPDIR/wdir"
	touch "$BATS_TEST_TMPDIR/wdir/witness"
	run complete_bash portal-db config audit.witness "$BATS_TEST_TMPDIR/wdir/w"
	is "$BATS_TEST_TMPDIR/wdir/witness"
	run complete_bash portal-db check --witness "$BATS_TEST_TMPDIR/wdir/w"
	is "$BATS_TEST_TMPDIR/wdir/witness"
}

@test "bash: portal-accounts completes every verb" {
	run complete_bash portal-accounts ""
	[ "$status" -eq 0 ]
	has import groups list update set issue verify passwd lock unlock breach breaches
}

@test "bash: portal-accounts credentials: options, values, free-text logins" {
	run complete_bash portal-accounts issue --format ""
	is csv txt pdf
	run complete_bash portal-accounts issue --class 7А --format = t
	is txt
	run complete_bash portal-accounts issue --who ""
	is students guardians staff all
	run complete_bash portal-accounts issue --
	has --class --who --reissue --format --output --dry-run
	run complete_bash portal-accounts lock x.y --
	has --reason
	run complete_bash portal-accounts breach x.y --
	has --discovered-at --reported-at --reported-to
	run complete_bash portal-accounts b
	is breach breaches
	# reasons and timestamps are free text; logins come from the store (none here)
	local v
	for v in verify passwd lock unlock breach; do
		run complete_bash portal-accounts "$v" ""
		[ -z "$output" ] || { echo "$v: $output"; return 1; }
	done
	run complete_bash portal-accounts breach x.y --reported-at ""
	[ -z "$output" ]
	run complete_bash portal-accounts lock x.y --reason ""
	[ -z "$output" ]
}

@test "bash: portal-accounts import, list and groups sub-verbs" {
	run complete_bash portal-accounts import ""
	is students guardians staff
	run complete_bash portal-accounts list ""
	is students guardians staff
	run complete_bash portal-accounts groups ""
	is import list
	run complete_bash portal-accounts --actor petrova import g
	is guardians
}

@test "bash: --format values" {
	run complete_bash portal-db --format ""
	is csv table json
	run complete_bash portal-accounts list students --format ""
	is csv table json
	run complete_bash portal-accounts --format t
	is table
	run complete_bash portal-db audit --format = ""
	is csv table json
}

@test "bash: --encoding, --delimiter, --status and --kind values" {
	run complete_bash portal-accounts import students --encoding ""
	is utf-8 cp1251 utf-16le
	run complete_bash portal-db calendar import --delimiter ""
	is , '\;' tab
	run complete_bash portal-accounts list students --status ""
	is active left all
	run complete_bash portal-accounts set 1024 --kind ""
	is student guardian staff
}

@test "bash: options per verb" {
	run complete_bash portal-db --
	has --db --actor --format --output --quiet --excel --help --version
	run complete_bash portal-db init --
	has --admin --last-name --first-name --middle-name --witness --db
	run complete_bash portal-db check --
	has --witness --db
	run complete_bash portal-db calendar import --
	has --dry-run --rejects --encoding --delimiter
	run complete_bash portal-db calendar list --
	has --from --to
	run complete_bash portal-db audit --
	has --actor --since --invalid
	run complete_bash portal-accounts import students --
	has --sync --dry-run --rejects --encoding --delimiter --format
	run complete_bash portal-accounts import guardians --s
	[ -z "$output" ]
	run complete_bash portal-accounts groups import --
	has --dry-run --rejects --encoding --delimiter
	run complete_bash portal-accounts groups list --
	has --class
	run complete_bash portal-accounts list staff --
	has --class --status
	run complete_bash portal-accounts update --
	has --dry-run --rejects --encoding --delimiter
	run complete_bash portal-accounts set 1024 --
	has --kind --dry-run
}

@test "bash: FILE arguments complete file names" {
	cd "$BATS_TEST_TMPDIR"
	touch ученики.csv календарь.csv
	run complete_bash portal-accounts import students уч
	has ученики.csv
	run complete_bash portal-accounts update уч
	has ученики.csv
	run complete_bash portal-accounts groups import уч
	has ученики.csv
	run complete_bash portal-db calendar import ка
	has календарь.csv
	run complete_bash portal-db backup ка
	has календарь.csv
	run complete_bash portal-accounts import students --rejects уч
	has ученики.csv
	run complete_bash portal-db --db ка
	has календарь.csv
}

@test "bash: set completes FIELD= by kind, and fixed values" {
	run complete_bash portal-accounts set 1024 st
	is status=
	run complete_bash portal-accounts set --kind guardian 1024 ""
	is last_name= first_name= middle_name= email= phone= relation=
	run complete_bash portal-accounts set 1024 status = ""
	is active left
	run complete_bash portal-accounts set 1024 relation =
	is mother father guardian other
	run complete_bash portal-accounts set ""
	[ -z "$output" ]
}

@test "bash: portal-journal verbs, sub-verbs, options and files" {
	run complete_bash portal-journal ""
	is periods import show teachers
	run complete_bash portal-journal p
	is periods
	run complete_bash portal-journal periods ""
	is import list
	run complete_bash portal-journal --db x.db --format table periods ""
	is import list
	run complete_bash portal-journal import ""
	is marks attendance lessons schedule changes tests holidays recommendations finals
	run complete_bash portal-journal -q import m
	is marks
	run complete_bash portal-journal import marks --
	has --dry-run --rejects --encoding --delimiter --db --actor --format \
		--output --quiet --excel --help
	run complete_bash portal-journal periods import --
	has --dry-run --rejects --encoding --delimiter --format
	# periods list reads no file
	run complete_bash portal-journal periods list --d
	is --db
	run complete_bash portal-journal import marks --encoding ""
	is utf-8 cp1251 utf-16le
	run complete_bash portal-journal periods import --delimiter = ""
	is , '\;' tab
	run complete_bash portal-journal periods list --format ""
	is csv table json
	run complete_bash portal-journal --actor ""
	[ -z "$output" ]
	cd "$BATS_TEST_TMPDIR"
	touch отметки.csv четверти.csv
	run complete_bash portal-journal import marks от
	has отметки.csv
	run complete_bash portal-journal periods import че
	has четверти.csv
	run complete_bash portal-journal import marks --rejects от
	has отметки.csv
	# nothing after the file, and no file for periods list
	run complete_bash portal-journal import marks отметки.csv ""
	[ -z "$output" ]
	run complete_bash portal-journal periods list ""
	[ -z "$output" ]
}

@test "bash: portal-consent verbs, options, values and files" {
	run complete_bash portal-consent ""
	is record import status missing history
	run complete_bash portal-consent --db x.db --format table ""
	is record import status missing history
	run complete_bash portal-consent -q s
	is status
	run complete_bash portal-consent record --
	has --guardian --student --decision --signed-on --form --doc --dry-run \
		--db --actor --format --output --quiet --excel --help
	run complete_bash portal-consent import --
	has --dry-run --rejects --encoding --delimiter --format
	run complete_bash portal-consent status --
	has --class --student --format
	run complete_bash portal-consent missing --
	has --class --fail-if-any
	run complete_bash portal-consent history --
	has --guardian
	# options of one verb are not offered for another
	run complete_bash portal-consent status --f
	is --format
	run complete_bash portal-consent history --s
	[ -z "$output" ]
	run complete_bash portal-consent record --guardian G1 --decision ""
	is given refused withdrawn
	run complete_bash portal-consent record --decision = w
	is withdrawn
	run complete_bash portal-consent record --form ""
	is paper electronic
	run complete_bash portal-consent status --format ""
	is csv table json
	run complete_bash portal-consent import --encoding ""
	is utf-8 cp1251 utf-16le
	run complete_bash portal-consent import --delimiter = ""
	is , '\;' tab
	# dates and documents are free text; ids and classes come from the store (none here)
	local o
	for o in --guardian --student --signed-on --doc --class --actor; do
		run complete_bash portal-consent record "$o" ""
		[ -z "$output" ] || { echo "$o: $output"; return 1; }
	done
	cd "$BATS_TEST_TMPDIR"
	touch согласия.csv
	run complete_bash portal-consent import со
	has согласия.csv
	run complete_bash portal-consent import --rejects со
	has согласия.csv
	run complete_bash portal-consent --db со
	has согласия.csv
	# status and missing read the people piped in, or a file of them
	run complete_bash portal-consent status со
	has согласия.csv
	run complete_bash portal-consent missing со
	has согласия.csv
	run complete_bash portal-consent history со
	has согласия.csv
	# a selector and a file of ids do not go together (64): none offered after one
	run complete_bash portal-consent missing --class 7А со
	[ -z "$output" ]
	# nothing after the file, and no file for the verbs that read none
	run complete_bash portal-consent import согласия.csv ""
	[ -z "$output" ]
	local v
	for v in record; do
		run complete_bash portal-consent "$v" ""
		[ -z "$output" ] || { echo "$v: $output"; return 1; }
	done
}

@test "bash: portal-extract options, values and files (no verbs)" {
	run complete_bash portal-extract --
	has --class --student --period --from --to --channel --format --output \
		--dry-run --encoding --delimiter --db --actor --quiet --excel --help \
		--version
	run complete_bash portal-extract -
	has -o -q
	run complete_bash portal-extract --ch
	is --channel
	run complete_bash portal-extract --channel ""
	is auto paper email
	run complete_bash portal-extract --class 7А --channel = e
	is email
	run complete_bash portal-extract --format ""
	is txt csv xlsx eml pdf
	run complete_bash portal-extract --period '2 четверть' --format x
	is xlsx
	run complete_bash portal-extract --encoding ""
	is utf-8 cp1251 utf-16le
	run complete_bash portal-extract --delimiter = ""
	is , '\;' tab
	# dates are free text; classes, ids, periods and logins come from the store (none here)
	local o
	for o in --class --student --period --from --to --actor; do
		run complete_bash portal-extract "$o" ""
		[ -z "$output" ] || { echo "$o: $output"; return 1; }
	done
	cd "$BATS_TEST_TMPDIR"
	touch ученики.csv
	mkdir выписки
	# -o is one file for the paper extracts, or a directory
	run complete_bash portal-extract --class 7А -o вы
	has выписки
	run complete_bash portal-extract --class 7А --output = уч
	has ученики.csv
	run complete_bash portal-extract --db уч
	has ученики.csv
	# the people piped in, or a file of them, when no option names them
	run complete_bash portal-extract --period '2 четверть' уч
	has ученики.csv
	run complete_bash portal-extract --class 7А уч
	[ -z "$output" ]
	run complete_bash portal-extract --student 1024 --student 1025 уч
	[ -z "$output" ]
	# one file at most
	run complete_bash portal-extract ученики.csv ""
	[ -z "$output" ]
}

@test "bash: portal-ack verbs, options, values and files" {
	run complete_bash portal-ack ""
	is record scan import pending status
	run complete_bash portal-ack --db x.db --format table ""
	is record scan import pending status
	run complete_bash portal-ack -q s
	is scan status
	run complete_bash portal-ack record --
	has --on --channel --guardian --dry-run --db --actor --format --output \
		--quiet --excel --help
	run complete_bash portal-ack scan --
	has --on --channel --dry-run --format --output
	run complete_bash portal-ack import --
	has --dry-run --rejects --encoding --delimiter --format
	run complete_bash portal-ack pending --
	has --class --period --fail-if-any --format
	run complete_bash portal-ack status --
	has --class --period
	# options of one verb are not offered for another
	run complete_bash portal-ack scan --g
	[ -z "$output" ]
	run complete_bash portal-ack status --f
	is --format
	run complete_bash portal-ack pending --g
	[ -z "$output" ]
	run complete_bash portal-ack record --channel ""
	is paper email web
	run complete_bash portal-ack scan --on 28.12.2026 --channel = e
	is email
	run complete_bash portal-ack status --format ""
	is csv table json
	run complete_bash portal-ack import --encoding ""
	is utf-8 cp1251 utf-16le
	run complete_bash portal-ack import --delimiter = ""
	is , '\;' tab
	# codes and dates are free text; ids, classes, periods and logins come from the store (none here)
	local o
	for o in --on --guardian --class --period --actor; do
		run complete_bash portal-ack record "$o" ""
		[ -z "$output" ] || { echo "$o: $output"; return 1; }
	done
	cd "$BATS_TEST_TMPDIR"
	touch ответы.csv
	run complete_bash portal-ack import от
	has ответы.csv
	run complete_bash portal-ack import --rejects от
	has ответы.csv
	run complete_bash portal-ack --db от
	has ответы.csv
	run complete_bash portal-ack pending -o от
	has ответы.csv
	# nothing after the file, and no file for the verbs that read none
	run complete_bash portal-ack import ответы.csv ""
	[ -z "$output" ]
	local v
	for v in record scan status; do
		run complete_bash portal-ack "$v" ""
		[ -z "$output" ] || { echo "$v: $output"; return 1; }
	done
	# pending reads the people piped in, or a file of them
	run complete_bash portal-ack pending от
	has ответы.csv
	run complete_bash portal-ack record ABCDE-FGHJK ""
	[ -z "$output" ]
}

@test "bash: portal-report verbs, options, values and directories" {
	run complete_bash portal-report ""
	is progress attendance student coverage nightly
	run complete_bash portal-report --db x.db --format table ""
	is progress attendance student coverage nightly
	run complete_bash portal-report -q p
	is progress
	run complete_bash portal-report progress --
	has --class --period --from --to --by --db --actor --format --output \
		--quiet --excel --help
	run complete_bash portal-report attendance --
	has --class --period --from --to --format
	run complete_bash portal-report student --
	has --student --period --from --to --format
	run complete_bash portal-report coverage --
	has --class --period --format
	run complete_bash portal-report nightly --
	has --out --date --db --actor --quiet
	# options of one verb are not offered for another
	run complete_bash portal-report attendance --b
	[ -z "$output" ]
	run complete_bash portal-report nightly --c
	[ -z "$output" ]
	run complete_bash portal-report student --s
	is --student
	run complete_bash portal-report progress --by ""
	is subject student
	run complete_bash portal-report progress --class 5А --by = s
	is subject student
	run complete_bash portal-report progress --format ""
	is csv table json xlsx
	run complete_bash portal-report --format = x
	is xlsx
	# dates are free text; classes, periods, ids and logins come from the store (none here)
	local o
	for o in --class --period --from --to --student --date --actor; do
		run complete_bash portal-report progress "$o" ""
		[ -z "$output" ] || { echo "$o: $output"; return 1; }
	done
	# coverage and nightly take no arguments; the others a file of people
	local v
	for v in coverage nightly; do
		run complete_bash portal-report "$v" ""
		[ -z "$output" ] || { echo "$v: $output"; return 1; }
	done
	for v in progress attendance student; do
		run complete_bash portal-report "$v" ""
		has README.md
	done
	run complete_bash portal-report progress --class 7А ""
	! grep -qxF README.md <<<"$output"
	run complete_bash portal-report progress --by student --class 7А ""
	[ -z "$output" ]
	cd "$BATS_TEST_TMPDIR"
	touch отчёт.xlsx
	mkdir отчёты
	run complete_bash portal-report progress -o от
	has отчёт.xlsx отчёты
	run complete_bash portal-report --db от
	has отчёт.xlsx
	# --out is a directory
	run complete_bash portal-report nightly --out от
	is отчёты
	run complete_bash portal-report nightly --out = от
	is отчёты
}

# ---- zsh and fish, where the shell is installed ----------------------------

@test "zsh: completions parse" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	zsh -n completions/zsh/_portal
}

@test "fish: completions parse" {
	command -v fish >/dev/null || skip "fish is not installed"
	fish -n completions/fish/portal.fish
}

@test "zsh: portal-accounts verbs and the values of issue" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	zsh -f -c 'zmodload zsh/zpty' 2>/dev/null || skip "zsh has no zpty module"
	run complete_zsh 'portal-accounts '
	is import groups list update set issue verify passwd lock unlock breach breaches
	run complete_zsh 'portal-accounts issue --format '
	is csv txt pdf
	run complete_zsh 'portal-accounts --db x.db list --format '
	is csv table json
	run complete_zsh 'portal-accounts issue --who '
	is students guardians staff all
	run complete_zsh 'portal-accounts breach x.y --rep'
	is --reported-at --reported-to
	run complete_zsh 'portal-accounts lock x.y --r'
	is --reason
}

@test "fish: portal-accounts verbs and the values of issue" {
	command -v fish >/dev/null || skip "fish is not installed"
	run complete_fish 'portal-accounts '
	is import groups list update set issue verify passwd lock unlock breach breaches
	run complete_fish 'portal-accounts issue --format '
	is csv txt pdf
	run complete_fish 'portal-accounts list students --format '
	is csv table json
	run complete_fish 'portal-accounts issue --who '
	is students guardians staff all
	run complete_fish 'portal-accounts breach x.y --rep'
	is --reported-at --reported-to
	run complete_fish 'portal-accounts lock x.y --r'
	is --reason
	run complete_fish 'portal-accounts verify '
	[ -z "$output" ]
}

@test "zsh: portal-journal verbs, sub-verbs and options" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	zsh -f -c 'zmodload zsh/zpty' 2>/dev/null || skip "zsh has no zpty module"
	run complete_zsh 'portal-journal '
	is periods import show teachers
	run complete_zsh 'portal-journal periods '
	is import list
	run complete_zsh 'portal-journal import '
	is marks attendance lessons schedule changes tests holidays recommendations finals
	run complete_zsh 'portal-journal import marks --enc'
	is --encoding
	run complete_zsh 'portal-journal periods import --d'
	is --db --delimiter --dry-run
	run complete_zsh 'portal-journal --db x.db periods list --format '
	is csv table json
}

@test "fish: portal-journal verbs, sub-verbs and options" {
	command -v fish >/dev/null || skip "fish is not installed"
	run complete_fish 'portal-journal '
	is periods import show teachers
	run complete_fish 'portal-journal periods '
	is import list
	run complete_fish 'portal-journal import '
	is marks attendance lessons schedule changes tests holidays recommendations finals
	run complete_fish 'portal-journal import marks --enc'
	is --encoding
	run complete_fish 'portal-journal periods import --d'
	is --db --delimiter --dry-run
	run complete_fish 'portal-journal periods list --d'
	is --db
	run complete_fish 'portal-journal periods list --format '
	is csv table json
}

@test "zsh: portal-extract options and values" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	zsh -f -c 'zmodload zsh/zpty' 2>/dev/null || skip "zsh has no zpty module"
	run complete_zsh 'portal-extract --ch'
	is --channel
	run complete_zsh 'portal-extract --channel '
	is auto paper email
	run complete_zsh 'portal-extract --class 7А --format '
	is txt csv xlsx eml pdf
	run complete_zsh 'portal-extract --d'
	is --db --delimiter --dry-run
	run complete_zsh 'portal-extract --encoding '
	is utf-8 cp1251 utf-16le
	run complete_zsh 'portal-extract -'
	has -o -q --class --student --period --from --to --channel --format \
		--output --dry-run --encoding --delimiter
}

@test "fish: portal-extract options, values and files" {
	command -v fish >/dev/null || skip "fish is not installed"
	run complete_fish 'portal-extract --ch'
	is --channel
	run complete_fish 'portal-extract --channel '
	is auto paper email
	run complete_fish 'portal-extract --class 7А --format '
	is txt csv xlsx eml pdf
	run complete_fish 'portal-extract --d'
	is --db --delimiter --dry-run
	run complete_fish 'portal-extract -'
	has -o -q --class --student --period --from --to --channel --format \
		--output --dry-run --encoding --delimiter
	cd "$BATS_TEST_TMPDIR"
	touch ученики.csv
	run complete_fish 'portal-extract уч'
	is ученики.csv
	run complete_fish 'portal-extract --class 7А уч'
	[ -z "$output" ]
}

@test "zsh: portal-ack verbs, options and values" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	zsh -f -c 'zmodload zsh/zpty' 2>/dev/null || skip "zsh has no zpty module"
	run complete_zsh 'portal-ack '
	is record scan import pending status
	run complete_zsh 'portal-ack record --channel '
	is paper email web
	run complete_zsh 'portal-ack --db x.db scan --o'
	is --on --output
	run complete_zsh 'portal-ack scan --d'
	is --db --dry-run
	run complete_zsh 'portal-ack pending --f'
	is --fail-if-any --format
	run complete_zsh 'portal-ack import --d'
	is --db --delimiter --dry-run
	run complete_zsh 'portal-ack status --format '
	is csv table json
}

@test "fish: portal-ack verbs, options and values" {
	command -v fish >/dev/null || skip "fish is not installed"
	run complete_fish 'portal-ack '
	is record scan import pending status
	run complete_fish 'portal-ack record --channel '
	is paper email web
	run complete_fish 'portal-ack scan --o'
	is --on --output
	run complete_fish 'portal-ack scan --d'
	is --db --dry-run
	run complete_fish 'portal-ack pending --f'
	is --fail-if-any --format
	run complete_fish 'portal-ack import --d'
	is --db --delimiter --dry-run
	run complete_fish 'portal-ack status --format '
	is csv table json
	run complete_fish 'portal-ack record '
	[ -z "$output" ]
	cd "$BATS_TEST_TMPDIR"
	touch ответы.csv
	run complete_fish 'portal-ack import от'
	is ответы.csv
}

@test "zsh: portal-report verbs, options and values" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	zsh -f -c 'zmodload zsh/zpty' 2>/dev/null || skip "zsh has no zpty module"
	run complete_zsh 'portal-report '
	is progress attendance student coverage nightly
	run complete_zsh 'portal-report progress --by '
	is subject student
	run complete_zsh 'portal-report --db x.db attendance --format '
	is csv table json xlsx
	run complete_zsh 'portal-report nightly --d'
	is --date --db
	run complete_zsh 'portal-report student --s'
	is --student
}

@test "fish: portal-report verbs, options and values" {
	command -v fish >/dev/null || skip "fish is not installed"
	run complete_fish 'portal-report '
	is progress attendance student coverage nightly
	run complete_fish 'portal-report progress --by '
	is subject student
	run complete_fish 'portal-report attendance --format '
	is csv table json xlsx
	run complete_fish 'portal-report nightly --d'
	is --date --db
	run complete_fish 'portal-report student --s'
	is --student
	run complete_fish 'portal-report progress --by student --s'
	[ -z "$output" ]
	cd "$BATS_TEST_TMPDIR"
	touch отчёт.xlsx
	mkdir отчёты
	run complete_fish 'portal-report nightly --out от'
	is отчёты/
}

# ---- agreement with the binaries' --help ----------------------------------

@test "every verb of --help is in the bash completion" {
	local bin path word prefix
	for bin in portal-db portal-accounts portal-journal portal-consent portal-ack portal-report portal-web; do
		need_bin "$bin"
		local -a verbs
		mapfile -t verbs < <(help_verbs "$bin")
		[ "${#verbs[@]}" -gt 0 ] || { echo "$bin --help lists no verbs"; return 1; }
		for path in "${verbs[@]}"; do
			# Each word must be offered once the words before it are typed.
			prefix=()
			for word in $path; do
				run complete_bash "$bin" "${prefix[@]}" ""
				grep -qxF -- "$word" <<<"$output" ||
					{ echo "$bin $path: '$word' not completed after '$bin ${prefix[*]}'"; return 1; }
				prefix+=("$word")
			done
		done
	done
}

@test "every verb of --help is in the man page synopsis" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	local bin path word re text
	for bin in portal-db portal-accounts portal-journal portal-consent portal-ack portal-report portal-web; do
		need_bin "$bin"
		text=$(man_text "$bin.1")
		local -a verbs
		mapfile -t verbs < <(help_verbs "$bin")
		[ "${#verbs[@]}" -gt 0 ] || { echo "$bin --help lists no verbs"; return 1; }
		for path in "${verbs[@]}"; do
			# "import guardians" matches "import students|guardians|staff".
			re="(^|[[:space:]])$bin"
			for word in $path; do
				re+=" ([a-z_-]+\|)*$word(\|[a-z_-]+)*"
			done
			re+="([[:space:]]|$)"
			grep -qE -- "$re" <<<"$text" ||
				{ echo "$bin.1 has no synopsis line for '$bin $path'"; return 1; }
		done
	done
}

# has_zpty: zsh with its pseudo-terminal module, which complete_zsh needs.
has_zpty() {
	command -v zsh >/dev/null && zsh -f -c 'zmodload zsh/zpty' 2>/dev/null
}

@test "every verb of --help is in the zsh and fish completions" {
	local sh bin path word prefix ran=
	local -A offered
	for sh in zsh fish; do
		case $sh in
		zsh) has_zpty || continue ;;
		fish) command -v fish >/dev/null || continue ;;
		esac
		ran=1
		for bin in portal-db portal-accounts portal-journal portal-consent portal-ack portal-report portal-web; do
			need_bin "$bin"
			local -a verbs
			mapfile -t verbs < <(help_verbs "$bin")
			[ "${#verbs[@]}" -gt 0 ] || { echo "$bin --help lists no verbs"; return 1; }
			offered=()
			# Each word must be offered once the words before it are typed;
			# one completion per distinct prefix.
			for path in "${verbs[@]}"; do
				prefix=
				for word in $path; do
					if [ -z "${offered[x$prefix]+set}" ]; then
						run "complete_$sh" "$bin $prefix"
						offered[x$prefix]=$output
					fi
					grep -qxF -- "$word" <<<"${offered[x$prefix]}" ||
						{ echo "$sh: $bin $path: '$word' not completed after '$bin $prefix'"; return 1; }
					prefix+="$word "
				done
			done
		done
	done
	[ -n "$ran" ] || skip "neither zsh (with zpty) nor fish is installed"
}

@test "every option of --help is in the man page and the bash completion" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	local bin line path alt opt text found
	# portal-extract has no verbs: only the binary's own options are checked.
	for bin in portal-db portal-accounts portal-journal portal-consent portal-extract portal-ack \
		portal-report portal-web; do
		need_bin "$bin"
		text=$(man_text "$bin.1")
		local -a lines alts
		mapfile -t lines < <(help_verb_lines "$bin")
		# The binary's own options, then each verb's. An option of a verb
		# with alternatives ("import students|guardians|staff") is completed
		# after at least one of them (--sync after "import students").
		for line in "" "${lines[@]}"; do
			mapfile -t alts < <(expand_paths <<<"$line")
			for path in "${alts[@]}"; do
				# $path and $alt are split into words on purpose.
				# shellcheck disable=SC2086
				for opt in $(help_options "$bin" $path); do
					grep -qE -- "(^|[^a-z0-9-])$opt([^a-z0-9-]|$)" <<<"$text" ||
						{ echo "$bin.1 does not document $opt ($bin $path --help)"; return 1; }
					found=
					for alt in "${alts[@]}"; do
						# shellcheck disable=SC2086
						run complete_bash "$bin" $alt --
						grep -qxF -- "$opt" <<<"$output" && found=1 && break
					done
					[ -n "$found" ] ||
						{ echo "bash does not complete $opt after '$bin $path'"; return 1; }
				done
			done
		done
	done
}

# extract_usage_options: the options that "portal-extract --help" names in its
# usage line and its input line (portal-extract has no verbs), one a line.
extract_usage_options() {
	"$ROOT/bin/portal-extract" --help 2>&1 |
		awk '/^usage:/ || /^input:/' |
		grep -oE -- '(^|[[:space:][(|])--?[a-z][a-z0-9-]*[a-z0-9]?' |
		grep -oE -- '--?[a-z][a-z0-9-]*' | sort -u
}

@test "every option of portal-extract's usage is in its man page and the bash, zsh and fish completions" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	need_bin portal-extract
	local opt text
	local -a opts
	mapfile -t opts < <(extract_usage_options)
	# The usage must name these; a change of its wording must not empty the test.
	for opt in --class --student --period --from --to --channel --format -o \
		--dry-run --encoding --delimiter; do
		printf '%s\n' "${opts[@]}" | grep -qxF -- "$opt" ||
			{ echo "portal-extract --help does not name $opt: ${opts[*]}"; return 1; }
	done
	text=$(man_text portal-extract.1)
	local zsh=skip fish=skip
	if has_zpty; then
		run complete_zsh 'portal-extract -'
		zsh=$output
	fi
	if command -v fish >/dev/null; then
		run complete_fish 'portal-extract -'
		fish=$output
	fi
	for opt in "${opts[@]}"; do
		grep -qE -- "(^|[^a-z0-9-])$opt([^a-z0-9-]|$)" <<<"$text" ||
			{ echo "portal-extract.1 does not document $opt"; return 1; }
		run complete_bash portal-extract -
		grep -qxF -- "$opt" <<<"$output" ||
			{ echo "bash does not complete $opt"; return 1; }
		[ "$zsh" = skip ] || grep -qxF -- "$opt" <<<"$zsh" ||
			{ echo "zsh does not complete $opt"; return 1; }
		[ "$fish" = skip ] || grep -qxF -- "$opt" <<<"$fish" ||
			{ echo "fish does not complete $opt"; return 1; }
	done
}

# ---- the answers of the binaries (portal-X --complete) ---------------------

@test "--complete verbs lists exactly the verbs of --help, so a new verb completes without touching the scripts" {
	local bin
	for bin in portal-db portal-accounts portal-journal portal-consent portal-ack portal-report portal-web; do
		need_bin "$bin"
		run "$bin" --complete verbs
		[ "$status" -eq 0 ]
		[ -n "$output" ] || { echo "$bin --complete verbs lists nothing"; return 1; }
		[ "$(cut -f1 <<<"$output" | sort)" = "$(help_verbs "$bin" | sort)" ] ||
			{ printf '%s --complete verbs:\n%s\n--help:\n%s\n' "$bin" "$output" "$(help_verbs "$bin")"; return 1; }
	done
	# each with what it does
	run portal-db --complete verbs
	has $'migrate\tbring an older store to this binary\'s schema'
	# portal-extract has one verb without a name
	run portal-extract --complete verbs
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# the scripts name no verb, no option and no value of their own
	local f
	for f in completions/bash/portal completions/zsh/_portal completions/fish/portal.fish; do
		! grep -qwE -- 'import|students|--class|--format|csv|cp1251' "$f" ||
			{ echo "$f knows a verb, an option or a value"; return 1; }
	done
}

@test "--complete options lists the options each verb's --help names, and whether they take a value" {
	local bin line path opt
	for bin in portal-db portal-accounts portal-journal portal-consent portal-ack portal-report portal-web; do
		need_bin "$bin"
		local -a paths
		mapfile -t paths < <(help_verbs "$bin")
		for path in "${paths[@]}"; do
			# shellcheck disable=SC2086
			run "$bin" --complete options $path
			[ "$status" -eq 0 ]
			# shellcheck disable=SC2086
			for opt in $(help_options "$bin" $path); do
				grep -qxE -- "$opt=?" <<<"$output" ||
					{ echo "$bin --complete options $path: no $opt"; return 1; }
			done
		done
	done
	run portal-accounts --complete options lock
	has --reason= --db= -o= --quiet -q
	# import guardians takes --sync only to refuse it: its usage does not offer it
	run portal-accounts --complete options import guardians
	! grep -q -- --sync <<<"$output"
	run portal-db --complete options
	has --version
}

@test "--complete values: fixed values come from the verb's usage line and the frame's table" {
	run portal-accounts --complete values --who issue
	is students guardians staff all
	run portal-accounts --complete values --format issue
	is csv txt pdf
	run portal-accounts --complete values --format list students
	is csv table json
	run portal-journal --complete values --format show
	is csv table json xlsx
	run portal-consent --complete values --decision record
	is given refused withdrawn
	run portal-extract --complete values --channel
	is auto paper email
	run portal-ack --complete values --channel record
	is paper email web
	run portal-db --complete values --delimiter calendar import
	is , ';' tab
	# a file, a date, a reason: nothing to offer
	run portal-db --complete values --db
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run portal-accounts --complete values --reported-at breach
	[ -z "$output" ]
	# the protocol line: what the shell lists itself
	run portal-report --complete line nightly --out ""
	is dirs
	run portal-accounts --complete line import students ""
	is files
	run portal-accounts --complete line issue --format=t
	is words --format=txt
	run portal-accounts --complete nonsense
	[ "$status" -eq 64 ]
}

# small_store: a store with the admin "admin", classes 7А 7Б 8А, two periods,
# a teacher "uchitel.petr" and an account for the student of 7А.
small_store() {
	export PORTAL_DB=$BATS_TEST_TMPDIR/p.db PORTAL_ACTOR=admin PORTAL_NOW=2026-11-28T09:00:00Z
	cd "$BATS_TEST_TMPDIR" || return 1
	portal-db init --admin admin -q || return 1
	printf '%s\n' student_id,last_name,first_name,birth_date,class S101,Иванов,Иван,2013-01-01,7А \
		S102,Петрова,Анна,2013-02-02,7Б S201,Сидоров,Олег,2012-03-03,8А >students.csv
	printf '%s\n' staff_id,last_name,first_name,role,login T1,Учитель,Пётр,teacher,uchitel.petr >staff.csv
	printf '%s\n' name,start,end '1 четверть,2026-09-01,2026-10-25' '2 четверть,2026-11-05,2026-12-28' >periods.csv
	portal-accounts import students -q students.csv && portal-accounts import staff -q staff.csv &&
		portal-journal periods import -q periods.csv &&
		portal-accounts issue -q --class 7А --who students -o cred.csv
	cd "$ROOT" || return 1
}

@test "values from the store of --db or PORTAL_DB: classes, periods, ids, logins" {
	small_store
	run complete_bash portal-accounts list students --class ""
	is 7А 7Б 8А
	run complete_bash portal-journal show --class 7 --period ""
	is '2\ четверть' '1\ четверть'
	run complete_bash portal-report student --student S1
	is S101 S102
	run complete_bash portal-accounts verify ""
	is ivanov.ivan
	run complete_bash portal-accounts --actor ""
	is admin uchitel.petr
	# the store the command line names wins over PORTAL_DB
	local store=$PORTAL_DB
	export PORTAL_DB=$BATS_TEST_TMPDIR/none.db
	run complete_bash portal-ack pending --db "$store" --class 8
	is 8А
	run complete_bash portal-ack pending --db="$store" --class ""
	is 7А 7Б 8А
	run portal-consent --complete values --class
	[ -z "$output" ]
	export PORTAL_DB=$store
	if command -v fish >/dev/null; then
		run complete_fish 'portal-extract --class '
		is 7А 7Б 8А
	fi
	if has_zpty; then
		run complete_zsh 'portal-report progress --class '
		is 7А 7Б 8А
	fi
}

@test "values from the store: silent and 0 without a store, rights or an active actor" {
	small_store
	local q
	# no store, not a store, not a staff login, a locked one
	portal-accounts issue -q --all --who staff -o "$BATS_TEST_TMPDIR/staff-cred.csv"
	portal-accounts lock -q uchitel.petr --reason "уволился"
	echo "not a store" >"$BATS_TEST_TMPDIR/junk.db"
	for q in "PORTAL_DB=$BATS_TEST_TMPDIR/none.db" "PORTAL_DB=$BATS_TEST_TMPDIR/junk.db" \
		PORTAL_ACTOR=nobody PORTAL_ACTOR=uchitel.petr; do
		run env "$q" portal-accounts --complete values --class
		[ "$status" -eq 0 ] && [ -z "$output" ] || { echo "$q: $status $output"; return 1; }
		run env "$q" portal-accounts --complete line verify ""
		[ "$status" -eq 0 ] && [ "$output" = words ] || { echo "$q: $status $output"; return 1; }
		run env "$q" bash -c 'source completions/bash/portal; COMP_WORDS=(portal-report progress --class ""); COMP_CWORD=3; _portal_report; printf "%s\n" "${COMPREPLY[@]}"'
		[ "$status" -eq 0 ] && [ -z "$output" ] || { echo "$q: $status $output"; return 1; }
	done
	# the store is unchanged: completion only reads
	[ ! -e "$BATS_TEST_TMPDIR/none.db" ]
}

@test "values from the store: a class leader is offered the ids and logins of the classes they lead only" {
	small_store
	printf '%s\n' staff_id,last_name,first_name,role,login,classes T2,Руководова,Ольга,class_leader,kl7a,7А >"$BATS_TEST_TMPDIR/kl.csv"
	portal-accounts import staff -q "$BATS_TEST_TMPDIR/kl.csv"
	PORTAL_ACTOR=kl7a run complete_bash portal-report student --student S
	is S101
	PORTAL_ACTOR=kl7a run complete_bash portal-accounts verify ""
	is ivanov.ivan
	# a teacher who leads no class is offered no one; the admin everyone
	PORTAL_ACTOR=uchitel.petr run complete_bash portal-report student --student S
	is
	run complete_bash portal-report student --student S
	is S101 S102 S201
	# class names and periods are no one's personal data: offered to all
	PORTAL_ACTOR=kl7a run complete_bash portal-accounts list students --class ""
	is 7А 7Б 8А
}
