#!/usr/bin/env bats
# Messages for people in Russian (gettext, share/po/ru.po) under a Russian locale, in English under
# C: the same failing import under both, the same exit code, FILE:LINE: COLUMN: first on the line
# in both; CSV, verbs and options as they are; the plural forms; --help; and the translations whole
# (every message of the sources in portal.pot, translated, none fuzzy, msgfmt --check).
# The locale ru_RU.UTF-8 is the system's, or made for these tests with localedef (LOCPATH) when the
# machine has the locale sources (the package locales) but not the locale.

load helpers
bats_require_minimum_version 1.5.0

setup_file() {
	export RU_LOCPATH=
	if locale -a 2>/dev/null | grep -qix 'ru_RU\.utf-\?8'; then
		return 0
	fi
	if command -v localedef >/dev/null && [ -f /usr/share/i18n/locales/ru_RU ]; then
		mkdir -p "$BATS_FILE_TMPDIR/locale"
		localedef -i ru_RU -f UTF-8 "$BATS_FILE_TMPDIR/locale/ru_RU.UTF-8" 2>/dev/null &&
			RU_LOCPATH=$BATS_FILE_TMPDIR/locale
	fi
}

# ru COMMAND...: COMMAND under LANG=ru_RU.UTF-8 (no LC_ALL), with the made locale where there is one
ru() {
	[ -n "$RU_LOCPATH" ] || locale -a 2>/dev/null | grep -qix 'ru_RU\.utf-\?8' ||
		skip "no ru_RU.UTF-8 locale and none can be made (apt-get install locales)"
	env -u LC_ALL -u LANGUAGE LANG=ru_RU.UTF-8 ${RU_LOCPATH:+LOCPATH=$RU_LOCPATH} "$@"
}

students() {
	printf 'student_id,last_name,first_name,birth_date,class\n' > st.csv
	printf '%s\n' "$@" >> st.csv
}

@test "a failing import under C and under ru_RU: English, then Russian, the same exit code, FILE:LINE: COLUMN: first" {
	portal-db -q init --admin admin
	students 'S1,Иванова,Анна,31.02.2013,7А' 'S2,Петров,Пётр,2013-01-01,7Я1'
	local before
	before=$(db_digest)
	run --separate-stderr portal-accounts import students st.csv
	[ "$status" -eq 65 ]
	[[ ${stderr_lines[0]} == 'st.csv:2: birth_date: "31.02.2013" is not a day of the calendar (expected YYYY-MM-DD or DD.MM.YYYY)' ]]
	[[ ${stderr_lines[1]} == 'st.csv:3: class: "7Я1" is not a class'* ]]
	[[ ${stderr_lines[2]} == 'portal-accounts: st.csv: 2 bad rows; nothing was written (fix them, or give --rejects FILE to load the good rows)' ]]
	run --separate-stderr ru portal-accounts import students st.csv
	[ "$status" -eq 65 ]
	[[ ${stderr_lines[0]} == 'st.csv:2: birth_date: "31.02.2013": нет такого дня в календаре (ожидается ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)' ]]
	[[ ${stderr_lines[1]} == 'st.csv:3: class: "7Я1": не класс (ожидается параллель 1–11 и буква, например 7А)' ]]
	[[ ${stderr_lines[2]} == 'portal-accounts: st.csv: 2 ошибочные строки; ничего не записано (исправьте их или укажите --rejects FILE, чтобы загрузить верные строки)' ]]
	# a script parses the same start of the line in both languages
	[ "$(grep -c '^st\.csv:[0-9]*: [a-z_]*: ' <<<"$stderr")" -eq 2 ]
	# and nothing was written in either
	[ "$(db_digest)" = "$before" ]
}

@test "portal-accounts(1): the example of a bad row said in Russian prints what the page shows" {
	portal-db -q init --admin admin
	printf 'student_id,last_name,first_name,birth_date,class\nS00170,Щеглова,Юлия,2013-03-01,7А\nS00171,Иванов,Иван,31.02.2013,7А\n' > ученики.csv
	# the lines the page shows after the command, up to "$ echo $?", and the code after that
	awk '/^\$ LANG=ru_RU.UTF-8 portal-accounts import students/ { on = 1; next }
		on && /^\$ echo/ { exit } on' "$ROOT/share/man/portal-accounts.1" > want
	[ "$(wc -l < want)" -eq 2 ]
	run ru portal-accounts import students ученики.csv
	[ "$status" -eq "$(awk '/^\$ LANG=ru_RU.UTF-8 portal-accounts import students/ { on = 1 } on && /^\$ echo/ { getline; print; exit }' "$ROOT/share/man/portal-accounts.1")" ]
	[ "$output" = "$(cat want)" ]
}

@test "LANGUAGE=ru under C.UTF-8 speaks Russian too (glibc lets LANGUAGE choose the messages)" {
	portal-db -q init --admin admin
	students 'S1,Иванова,Анна,31.02.2013,7А'
	LANGUAGE=ru run --separate-stderr portal-accounts import students st.csv
	[ "$status" -eq 65 ]
	[[ ${stderr_lines[0]} == 'st.csv:2: birth_date: "31.02.2013": нет такого дня в календаре'* ]]
	[[ ${stderr_lines[1]} == 'portal-accounts: st.csv: 1 ошибочная строка; ничего не записано'* ]]
}

@test "Russian plural forms: 1 строка, 2 строки, 5 строк, 21 строка" {
	portal-db -q init --admin admin
	local n bad=() want
	for n in 1 2 5 21; do
		bad=()
		for ((i = 1; i <= n; i++)); do bad+=("S$i,Иванова,Анна,31.02.2013,7А"); done
		students "${bad[@]}"
		run --separate-stderr ru portal-accounts import students st.csv
		[ "$status" -eq 65 ]
		case $n in
		1 | 21) want="$n ошибочная строка;" ;;
		2) want="$n ошибочные строки;" ;;
		5) want="$n ошибочных строк;" ;;
		esac
		[[ ${stderr_lines[-1]} == "portal-accounts: st.csv: $want"* ]] || { echo "$n: ${stderr_lines[-1]}"; return 1; }
	done
}

@test "CSV, verbs, options and exit codes do not change with the language; summaries and --help do" {
	portal-db -q init --admin admin
	students 'S1,Иванова,Анна,2013-03-01,7А' 'S2,Петров,Пётр,2013-01-01,7А'
	local en ru_out
	en=$(portal-accounts import students --dry-run st.csv 2>/dev/null)
	ru_out=$(ru portal-accounts import students --dry-run st.csv 2>/dev/null)
	[ "$en" = "$ru_out" ]
	[[ ${en%%$'\n'*} == op,kind,id,field,old,new ]]
	run --separate-stderr ru portal-accounts import students st.csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "portal-accounts: добавлено 2, изменено 0, без изменений 0" ]
	[ "$(ru portal-accounts list students)" = "$(portal-accounts list students)" ]
	[ "$(ru portal-accounts list students --format table)" = "$(portal-accounts list students --format table)" ]
	# --help: the verbs and options as they are typed, what they do in Russian
	run ru portal-accounts --help
	[ "$status" -eq 0 ]
	[[ ${lines[0]} == 'использование: portal-accounts VERB [OPTIONS] [FILE]' ]]
	grep -qx '  import students FILE \[--sync\] \[--dry-run\] \[--rejects FILE\]' <<<"$output"
	grep -q 'добавить и обновить учеников по student_id' <<<"$output"
	grep -q '^  --db PATH        хранилище (переменная PORTAL_DB' <<<"$output"
	run ru portal-accounts import students --help
	[ "$status" -eq 0 ]
	grep -q '^общие параметры: --db PATH, --actor LOGIN' <<<"$output"
	# a usage error: 64 in both
	run ru portal-accounts lsit students
	[ "$status" -eq 64 ]
	[[ ${lines[0]} == 'portal-accounts: неизвестная команда "lsit"; может быть, "list"?' ]]
	run portal-accounts lsit students
	[ "$status" -eq 64 ]
	[[ ${lines[0]} == 'portal-accounts: unknown verb "lsit"; did you mean "list"?' ]]
	# a refusal: 77 in both, the right named in each language
	run ru portal-accounts import students st.csv --actor nobody
	[ "$status" -eq 77 ]
	[[ $output == *'не разрешено: "nobody" — не логин сотрудника в этом хранилище'* ]]
}

@test "numbers keep their point under ru_RU: LC_NUMERIC stays C" {
	portal-db -q init --admin admin
	portal-db -q config grading.thresholds 2.5,3.5,4.5
	printf 'name,start,end\n2 четверть,2026-11-05,2026-12-28\n' > p.csv
	portal-journal -q periods import p.csv
	students 'S1,Иванова,Анна,2013-03-01,7А'
	portal-accounts -q import students st.csv
	printf 'student_id,subject,date,value,weight\nS1,алгебра,2026-11-10,4,1\nS1,алгебра,2026-11-11,5,1\n' > m.csv
	portal-journal -q import marks m.csv
	run --separate-stderr ru portal-report progress --class 7А --period '2 четверть'
	[ "$status" -eq 0 ]
	[[ $output == *',4.50,'* ]]
	[ "$output" = "$(portal-report progress --class 7А --period '2 четверть')" ]
}

@test "a binary of the source tree finds the translations make built in build/locale, without installing" {
	[ -z "${PORTAL_BIN:-}" ] || skip "the binaries of PORTAL_BIN are not the tree's bin/"
	[ -f "$ROOT/build/locale/ru/LC_MESSAGES/portal.mo" ]
	LANGUAGE=ru run env -u PORTAL_LOCALEDIR "$ROOT/bin/portal-db" frobnicate
	[ "$status" -eq 64 ]
	[[ ${lines[0]} == 'portal-db: неизвестная команда "frobnicate"' ]]
	# PORTAL_LOCALEDIR points elsewhere: a folder without them gives English
	mkdir empty
	LANGUAGE=ru PORTAL_LOCALEDIR=$PWD/empty run "$ROOT/bin/portal-db" frobnicate
	[[ ${lines[0]} == 'portal-db: unknown verb "frobnicate"' ]]
}

@test "the translations are whole: portal.pot is the sources', ru.po translates all of it, none fuzzy (make po-check)" {
	run env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s -C "$ROOT" po-check POT_TMP="$BATS_TEST_TMPDIR/portal.pot"
	echo "$output"
	[ "$status" -eq 0 ]
	grep -q '^ru.po: [0-9]* translated messages\.$' <<<"$output"
	# msgfmt --check: every translation keeps its message's placeholders, in kind and order
	run msgfmt --check --statistics -o /dev/null "$ROOT/share/po/ru.po"
	[ "$status" -eq 0 ]
	[[ $output != *untranslated* && $output != *fuzzy* ]]
}
