#!/usr/bin/env bats
# portal-extract: extracts from the journal for parents (SPEC §2, §3, the
# portal-extract and portal-consent parts of §5, §6). Routing by consent,
# the numbers, the e-mail messages, registration, the input forms, students
# who left, the roles and the output formats.
#
# Most tests use a small hand-made school, so every expected row is exact
# (see hschool below); one uses the synthetic school to compare the numbers
# with the journal at size. The clock is fixed at 2026-11-28T09:00:00Z by
# helpers' setup. All people here are made up.

load helpers
bats_require_minimum_version 1.5.0

# PY3: a system python3 (with the email package and openpyxl), not a shim
for PY3 in /usr/bin/python3 /usr/local/bin/python3 python3; do
	command -v "$PY3" >/dev/null && break
done

MANIFEST=extract_id,student_id,guardian_id,channel,code,file,sent
P2="2 четверть"

# The hand-made school (built once for the file, copied by hand_school):
#
# 5А, led by kl5a (Руководова Ольга); schedule on Mondays: 1 Математика (T1,
# Учителева Анна), 2 Литература (T2, Словесникова Вера).
#   S00001 Иванова Мария   P00001 e-mail, given · P00002 e-mail, refused
#   S00002 Петров Илья     P00003 e-mail, given · P00007 e-mail, given
#   S00003 Смирнов Олег    P00004 e-mail, given then withdrawn · P00005 no e-mail, given
#   S00004 Кузнецова Анна  P00006 e-mail, no decision            (no marks at all)
#   S00005 Орлов Павел     no guardian
#   S00006 Волкова Дарья   P00007 e-mail, given · P00008 e-mail, given
#   S00007 Зайцев Глеб     left on 2026-11-20 (in the 2nd term); P00009 e-mail, given
#   S00008 Лебедев Иван    left on 2026-10-01 (before the 2nd term); P00011 e-mail, given
# 5Б, led by kl5b: S00010 Сидорова Алина, P00010 e-mail, given.
#
# The journal of S00001 in the 2nd term (05.11–28.12): Математика 4 (weight 5,
# 09.11), 5 (weight 3, 16.11), 5 (weight 1, 23.11) → 4.44, final 4, late on
# 16.11; Литература н 09.11, б 16.11, у 23.11. In the 1st term: Математика 2
# (weight 5, 19.10), final 2; Литература н 12.10. S00002: Литература 3 on
# 09.11. S00007: Математика 4 on 16.11.
setup_file() {
	local dir=$BATS_FILE_TMPDIR/hand
	mkdir -p "$dir" || return 1
	export PORTAL_DB="$(store_at "$dir/p.db")" PORTAL_ACTOR=admin PORTAL_NOW=2026-11-28T09:00:00Z LC_ALL=C.UTF-8
	(
		cd "$dir" || exit 1
		new_store || exit 1
		printf '%s\n' staff_id,last_name,first_name,role,login,classes,subjects \
			"T1,Учителева,Анна,teacher,math,,Математика" \
			"T2,Словесникова,Вера,teacher,lit,,Литература" \
			"T3,Руководова,Ольга,class_leader,kl5a,5А," \
			"T4,Наставникова,Инна,class_leader,kl5b,5Б," \
			"T5,Замова,Зоя,deputy,zam,," >st.csv
		portal-accounts -q import staff st.csv || exit 1
		printf '%s\n' student_id,last_name,first_name,birth_date,class,status,left_on \
			"S00001,Иванова,Мария,2015-03-01,5А,active," \
			"S00002,Петров,Илья,2015-04-02,5А,active," \
			"S00003,Смирнов,Олег,2015-05-03,5А,active," \
			"S00004,Кузнецова,Анна,2015-06-04,5А,active," \
			"S00005,Орлов,Павел,2015-07-05,5А,active," \
			"S00006,Волкова,Дарья,2015-08-06,5А,active," \
			"S00007,Зайцев,Глеб,2015-09-07,5А,left,2026-11-20" \
			"S00008,Лебедев,Иван,2015-10-08,5А,left,2026-10-01" \
			"S00010,Сидорова,Алина,2015-05-03,5Б,active," >s.csv
		portal-accounts -q import students s.csv || exit 1
		printf '%s\n' guardian_id,student_id,last_name,first_name,relation,email \
			"P00001,S00001,Иванова,Елена,mother,ivanova@example.ru" \
			"P00002,S00001,Иванов,Пётр,father,ivanov@example.ru" \
			"P00003,S00002,Петрова,Ольга,mother,petrova@example.ru" \
			"P00007,S00002,Волков,Антон,guardian,volkov@example.ru" \
			"P00004,S00003,Смирнова,Нина,mother,smirnova@example.ru" \
			"P00005,S00003,Смирнов,Глеб,father," \
			"P00006,S00004,Кузнецов,Роман,father,kuznetsov@example.ru" \
			"P00007,S00006,Волков,Антон,father,volkov@example.ru" \
			"P00008,S00006,Волкова,Ирина,mother,volkova@example.ru" \
			"P00009,S00007,Зайцева,Вера,mother,zaitseva@example.ru" \
			"P00011,S00008,Лебедева,Зоя,mother,lebedeva@example.ru" \
			"P00010,S00010,Сидорова,Лидия,mother,sidorova@example.ru" >g.csv
		portal-accounts -q import guardians g.csv || exit 1
		printf '%s\n' name,start,end "1 четверть,2026-09-01,2026-10-24" "2 четверть,2026-11-05,2026-12-28" >p.csv
		portal-journal -q periods import p.csv || exit 1
		printf '%s\n' class,weekday,lesson_no,subject,teacher_id,room \
			"5А,1,1,Математика,T1,каб. 1" "5А,1,2,Литература,T2,каб. 2" \
			"5Б,1,1,Литература,T2,каб. 2" "5Б,1,2,Математика,T1,каб. 1" >sc.csv
		portal-journal -q import schedule sc.csv || exit 1
		printf '%s\n' guardian_id,student_id,decision,signed_on \
			"P00001,S00001,given,2026-11-02" "P00002,S00001,refused,2026-11-02" \
			"P00003,S00002,given,2026-11-02" "P00007,S00002,given,2026-11-02" \
			"P00004,S00003,given,2026-09-02" "P00004,S00003,withdrawn,2026-11-02" \
			"P00005,S00003,given,2026-11-02" \
			"P00007,S00006,given,2026-11-02" "P00008,S00006,given,2026-11-02" \
			"P00009,S00007,given,2026-11-02" "P00011,S00008,given,2026-11-02" \
			"P00010,S00010,given,2026-11-02" >c.csv
		portal-consent -q import c.csv || exit 1
		printf '%s\n' student_id,subject,date,value,weight,kind,lesson_no,teacher_id \
			"S00001,Математика,2026-11-09,4,5,контрольная,1,T1" \
			"S00001,Математика,2026-11-16,5,3,ответ,1,T1" \
			"S00001,Математика,2026-11-23,5,1,дз,1,T1" \
			"S00001,Математика,2026-10-19,2,5,контрольная,1,T1" \
			"S00002,Литература,2026-11-09,3,1,ответ,2,T2" \
			"S00007,Математика,2026-11-16,4,1,ответ,1,T1" >m.csv
		portal-journal -q import marks m.csv || exit 1
		printf '%s\n' student_id,date,code,lesson_no,subject \
			"S00001,2026-11-09,н,2,Литература" "S00001,2026-11-16,б,2,Литература" \
			"S00001,2026-11-23,у,2,Литература" "S00001,2026-11-16,о,1,Математика" \
			"S00001,2026-10-12,н,2,Литература" >a.csv
		portal-journal -q import attendance a.csv || exit 1
		printf '%s\n' student_id,subject,period,value \
			"S00001,Математика,2 четверть,4" "S00001,Математика,1 четверть,2" >f.csv
		portal-journal -q import finals f.csv || exit 1
		checkpoint
	)
}

# hand_school: this test's copy of the hand-made school (the store, g.csv, s.csv).
hand_school() {
	store_cp "$(store_at "$BATS_FILE_TMPDIR/hand/p.db")" "$PORTAL_DB" || return 1
	cp "$BATS_FILE_TMPDIR/hand/g.csv" "$BATS_FILE_TMPDIR/hand/s.csv" .
}

# The manifest of `--class 5А --period "2 четверть"` by default (channel,
# student, guardian; sorted): an e-mail per consenting guardian with an
# address and child, a paper per student with another guardian or none.
AUTO_5A="email,S00001,P00001
email,S00002,P00003
email,S00002,P00007
email,S00006,P00007
email,S00006,P00008
paper,S00001,
paper,S00003,
paper,S00004,
paper,S00005,"

# ex ARGS…: runs portal-extract, stdout and stderr apart.
ex() {
	run --separate-stderr portal-extract "$@"
}

# pairs [TEXT]: "channel,student_id,guardian_id" of the manifest in $output (or
# TEXT), sorted; fails (and prints the header) when the header is not the
# manifest's.
pairs() {
	local m=${1-$output}
	if [ "$(head -n 1 <<<"$m")" != "$MANIFEST" ]; then
		echo "pairs: not a manifest header: $(head -n 1 <<<"$m")"
		return 1
	fi
	tail -n +2 <<<"$m" | awk -F, 'NF { print $4 "," $2 "," $3 }' | sort
}

# mfield NAME [TEXT]: one column of the manifest's rows, in order.
mfield() {
	local m=${2-$output}
	awk -F, -v n="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i; next } NF { print $c }' <<<"$m"
}

# files DIR: the names of the files in DIR (dot files too), sorted.
files() {
	(cd "$1" && find . -mindepth 1 -maxdepth 1 -printf '%f\n' | sort)
}

# manifest_files_exist [TEXT]: every file the manifest names exists.
manifest_files_exist() {
	local f
	while IFS= read -r f; do
		[ -f "$f" ] || { echo "no file $f"; return 1; }
	done < <(mfield file "${1-$output}")
}

# txt_block FILE HEADING: the lines of a txt extract from the line starting
# with HEADING to the next empty line.
txt_block() {
	awk -v h="$2" 'index($0, h) == 1 { on = 1 } on && $0 == "" { exit } on { print }' "$1"
}

# csv_rows FILE: the records of a CSV file, fields joined by |, one a line.
csv_rows() {
	"$PY3" -c 'import csv, sys
for r in csv.reader(open(sys.argv[1], newline="", encoding="utf-8")):
    print("|".join(r).replace("\n", "\\n"))' "$1"
}

# dashed CODE: ABCDEFGHJK → ABCDE-FGHJK
dashed() {
	echo "${1:0:5}-${1:5:5}"
}

# eml_check MANIFEST_FILE: parses every e-mail of the manifest with Python's
# email package and checks it against the manifest and the school's files
# (g.csv, s.csv); prints one line per problem and "checked N" at the end.
eml_check() {
	"$PY3" - "$1" <<'EOF'
import csv, sys, datetime
import email
from email import policy
man = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
addr = {}
gname = {}
for r in csv.DictReader(open("g.csv", encoding="utf-8")):
    addr[r["guardian_id"]] = r["email"]
    gname[r["guardian_id"]] = r["last_name"] + " " + r["first_name"]
sname = {r["student_id"]: r["last_name"] + " " + r["first_name"] for r in csv.DictReader(open("s.csv", encoding="utf-8"))}
n = 0
for row in man:
    if row["channel"] != "email":
        continue
    n += 1
    f = row["file"]
    if not f.endswith(".eml"):
        print(f, "not .eml")
    with open(f, "rb") as fh:
        m = email.message_from_binary_file(fh, policy=policy.default)
    if m.defects:
        print(f, "defects", m.defects)
    to = m["To"]
    got = [a.addr_spec for a in to.addresses] if to else []
    if got != [addr[row["guardian_id"]]]:
        print(f, "To", got, "expected", addr[row["guardian_id"]])
    subj = str(m["Subject"] or "")
    if "Выписка из электронного журнала" not in subj or sname[row["student_id"]] not in subj:
        print(f, "Subject", repr(subj))
    d = m["Date"]
    if d is None or d.datetime != datetime.datetime(2026, 11, 28, 9, 0, tzinfo=datetime.timezone.utc):
        print(f, "Date", d)
    mid = str(m["Message-ID"] or "")
    if not (mid.startswith("<") and mid.endswith(">") and "@" in mid):
        print(f, "Message-ID", repr(mid))
    body = m.get_body(preferencelist=("plain",))
    text = body.get_content() if body is not None else ""
    code = row["code"]
    if "Код подтверждения: %s-%s" % (code[:5], code[5:]) not in text:
        print(f, "no code", code, "in the body")
    if "Кому: " + gname[row["guardian_id"]] not in text:
        print(f, "no Кому line for", gname[row["guardian_id"]])
    if "Ученик: " + sname[row["student_id"]] not in text:
        print(f, "no Ученик line")
print("checked", n)
EOF
}

# ======================================================================
# Routing by consent
# ======================================================================

@test "mixed consents: one e-mail per consenting guardian and child, one paper per student with a paper guardian or none" {
	hand_school
	ex --class 5А --period "$P2" -o out/
	status_is 0
	same "$MANIFEST" "${lines[0]}" "manifest header"
	same "$AUTO_5A" "$(pairs)" "manifest rows"
	# exactly one file per row, and it exists
	same 9 "$(files out | wc -l)" "files in out/"
	manifest_files_exist
	# the two children whose guardians are all electronic get no paper
	lacks ",S00002,,paper,"
	lacks ",S00006,,paper,"
	# e-mails are eml, paper is txt by default
	same 5 "$(mfield file | grep -c '\.eml$')" "eml files"
	same 4 "$(mfield file | grep -c '\.txt$')" "txt files"
	contains "4 paper, 5 e-mail" "$stderr"
}

@test "a guardian with two children gets one e-mail per child, and only for a child the consent covers" {
	hand_school
	# P00001 (given for S00001) becomes a guardian of S00005 too: no consent for that child
	printf '%s\n' guardian_id,student_id,last_name,first_name,relation,email \
		"P00001,S00005,Иванова,Елена,mother,ivanova@example.ru" >more.csv
	portal-accounts -q import guardians more.csv
	ex --class 5А --period "$P2" -o out/
	status_is 0
	same 2 "$(pairs | grep -c '^email,.*,P00007$')" "e-mails to P00007 (two children)"
	same "email,S00001,P00001" "$(pairs | grep ',P00001$')" "e-mails to P00001"
	has_line "$(grep ',S00005,,paper,' <<<"$output")"
	lacks ",S00005,P00001,"
	# the same with --channel email: refused for that child, named
	ex --class 5А --period "$P2" --channel email -o out2/
	status_is 0
	lacks ",S00005,"
	contains "P00001 gets no electronic information about S00005" "$stderr"
}

@test "no e-mail without a standing consent, whatever the options; --channel email and --format eml name each refused guardian" {
	hand_school
	printf '%s\n' guardian_id,student_id,last_name,first_name,relation,email \
		"P00001,S00005,Иванова,Елена,mother,ivanova@example.ru" >more.csv
	portal-accounts -q import guardians more.csv
	# the links without a standing consent: refused, withdrawn, given without
	# an address, no decision, given for another child only
	local no="P00002,S00001 P00004,S00003 P00005,S00003 P00006,S00004 P00001,S00005"
	local i=0 opts g s
	for opts in "" "--channel auto" "--channel email" "--format eml" "--format eml --channel email" \
		"--channel email --format csv" "--format xlsx" "--format csv" "--dry-run" "--dry-run --channel email"; do
		i=$((i + 1))
		# shellcheck disable=SC2086
		ex --class 5А --period "$P2" $opts -o "o$i/"
		status_is 0
		for l in $no; do
			g=${l%,*} s=${l#*,}
			lacks ",$s,$g," || { echo "options: $opts"; false; }
			if [ -d "o$i" ]; then
				same "" "$(files "o$i" | grep -F "_${s}_${g}" || true)" "files for $g/$s with $opts"
			fi
		done
		same "" "$(find "o$i" -name "*P00002*" -o -name "*P00004*" -o -name "*P00005*" -o -name "*P00006*" 2>/dev/null)" "eml of refused guardians with $opts"
		case " $opts " in
		*" --channel email "* | *" --format eml "*)
			for l in $no; do
				g=${l%,*} s=${l#*,}
				contains "$g gets no electronic information about $s" "$stderr" || { echo "options: $opts"; false; }
			done
			# no paper either: e-mail only
			lacks ",paper,"
			;;
		esac
	done
	# the paper rows of the consent status piped in, --channel email: none of
	# those links gets an e-mail (the piped ids are sets of people: P00001,
	# piped for S00005, may get one for S00001, where the consent stands)
	run --separate-stderr bash -c "portal-consent status --class 5А | awk -F, 'NR == 1 || \$9 == \"paper\"' |
		portal-extract --period '$P2' --channel email -o piped/"
	status_is 0
	same "" "$(pairs | grep -vxF "email,S00001,P00001" || true)" "rows for the paper links piped in with --channel email"
	same "" "$(files piped 2>/dev/null | grep -v '^5А_S00001_P00001_' || true)" "files"
	contains "P00002 gets no electronic information about S00001: refused" "$stderr"
	contains "P00004 gets no electronic information about S00003: withdrawn" "$stderr"
	contains "P00005 gets no electronic information about S00003: no e-mail address" "$stderr"
	contains "P00006 gets no electronic information about S00004: no decision" "$stderr"
	# no eml anywhere names any of them
	same "" "$(grep -rl -e ivanov@ -e smirnova@ -e kuznetsov@ . --include='*.eml' || true)" "eml files to their addresses"
}

@test "a consent withdrawn later (a later signed_on): the next run gives paper, not e-mail" {
	hand_school
	ex --class 5А --period "$P2" -o run1/
	status_is 0
	has_line "$(grep ',S00002,P00003,email,' <<<"$output")"
	lacks ",S00002,,paper,"
	portal-consent -q record --guardian P00003 --student S00002 --decision withdrawn --signed-on 2026-11-27
	ex --class 5А --period "$P2" -o run2/
	status_is 0
	lacks ",S00002,P00003,"
	same "email,S00002,P00007
paper,S00002," "$(pairs | grep ',S00002,')" "rows of S00002 after the withdrawal"
	same "" "$(files run2 | grep P00003 || true)" "files for P00003"
	ex --class 5А --period "$P2" --channel email -o run3/
	status_is 0
	lacks ",P00003,"
	contains "P00003 gets no electronic information about S00002: withdrawn" "$stderr"
	# a given consent signed earlier but entered after the withdrawal does not bring the e-mail back
	PORTAL_NOW=2026-11-28T10:00:00Z portal-consent -q record --guardian P00003 --student S00002 --decision given --signed-on 2026-11-20
	PORTAL_NOW=2026-11-28T10:05:00Z run --separate-stderr portal-extract --class 5А --period "$P2" --format eml -o run4/
	status_is 0
	lacks ",P00003,"
	contains "P00003 gets no electronic information about S00002" "$stderr"
}

@test "a consent recorded by a leaked login after its report does not count; one before it does" {
	hand_school
	# kl5a records two consents: at 11:00 Moscow (before the report) and at 13:00 (after)
	PORTAL_NOW=2026-11-27T08:00:00Z PORTAL_ACTOR=kl5a portal-consent -q record --guardian P00006 --student S00004 --decision given --signed-on 2026-11-26
	PORTAL_NOW=2026-11-27T10:00:00Z PORTAL_ACTOR=kl5a portal-consent -q record --guardian P00002 --student S00001 --decision given --signed-on 2026-11-26
	# before the breach is registered both count
	ex --class 5А --period "$P2" --dry-run
	status_is 0
	has_line ",S00001,P00002,email,,./5А_S00001_P00002_email.eml,"
	PORTAL_NOW=2026-11-27T14:00:00Z run --separate-stderr portal-accounts breach kl5a \
		--discovered-at "2026-11-27 10:00" --reported-at "2026-11-27 12:00"
	status_is 0
	ex --class 5А --period "$P2" -o out/
	status_is 0
	lacks ",S00001,P00002,"
	has_line "$(grep ',S00004,P00006,email,' <<<"$output")"
	lacks ",S00004,,paper,"
	has_line "$(grep ',S00001,,paper,' <<<"$output")"
	same "" "$(files out | grep P00002 || true)" "files for P00002"
	ex --class 5А --period "$P2" --channel email -o out2/
	status_is 0
	lacks ",P00002,"
	contains "P00002 gets no electronic information about S00001: refused" "$stderr"
	# the leaked login itself makes no extracts
	before=$(db_digest)
	run --separate-stderr env PORTAL_ACTOR=kl5a portal-extract --class 5А --period "$P2" -o kl/
	status_is 77
	same "$before" "$(db_digest)" "store after the refusal"
	run --separate-stderr portal-db check
	status_is 0
}

# ======================================================================
# The numbers
# ======================================================================

@test "txt: weighted average 4,44, the final mark, marks with dates and attendance by kind, for the period only" {
	hand_school
	ex --student S00001 --period "$P2" --channel paper -o out/
	status_is 0
	same 1 "$(mfield code | wc -l)" "extracts"
	f=$(mfield file)
	code=$(mfield code)
	run cat "$f"
	contains "ВЫПИСКА ИЗ ЭЛЕКТРОННОГО ЖУРНАЛА"
	has_line "Ученик: Иванова Мария, 5А класс"
	has_line "Период: 2 четверть (05.11.2026 – 28.12.2026)"
	has_line "  Пропущено уроков: 3 (по болезни 1, по уважительной причине 1), опозданий: 1"
	has_line "Код подтверждения: $(dashed "$code")"
	contains "Классный руководитель ________________ /Руководова О./"
	contains "С выпиской ознакомлен(а)"
	lacks "За этот период отметок нет."
	math=$(txt_block "$f" "Математика")
	contains "Математика (учитель Учителева Анна)" "$math"
	contains "Отметки: 09.11 — 4; 16.11 — 5; 23.11 — 5" "$math"
	contains "Средний балл: 4,44" "$math"
	contains "Итоговая отметка: 4" "$math"
	contains "опозданий: 1" "$math"
	# the 1st term's 2 and its final are not in the 2nd term
	lacks "19.10" "$math"
	lacks "Итоговая отметка: 2" "$math"
	lit=$(txt_block "$f" "Литература")
	contains "Литература (учитель Словесникова Вера)" "$lit"
	contains "Пропуски: 3" "$lit"
	lacks "Средний балл: 4" "$lit"

	# the 1st term: the 2 (weight 5) alone, its final 2, one absence
	ex --student S00001 --period "1 четверть" --channel paper -o out1/
	status_is 0
	f=$(mfield file)
	math=$(txt_block "$f" "Математика")
	contains "Отметки: 19.10 — 2" "$math"
	contains "Средний балл: 2,00" "$math"
	contains "Итоговая отметка: 2" "$math"
	run cat "$f"
	has_line "  Пропущено уроков: 1 (по болезни 0, по уважительной причине 0), опозданий: 0"

	# --from/--to: the marks and average, no final of a period
	ex --student S00001 --from 2026-11-10 --to 2026-11-30 --channel paper -o out2/
	status_is 0
	f=$(mfield file)
	math=$(txt_block "$f" "Математика")
	contains "Отметки: 16.11 — 5; 23.11 — 5" "$math"
	contains "Средний балл: 5,00" "$math"
	lacks "Итоговая" "$math"
	run cat "$f"
	has_line "Период: 10.11.2026 – 30.11.2026"
	has_line "  Пропущено уроков: 2 (по болезни 1, по уважительной причине 1), опозданий: 1"
}

@test "a period not over: the marks and absences up to the day the extract is made, that day printed" {
	hand_school
	# after the extract's day (2026-11-28): a «2» for a контрольная and a missed lesson
	printf '%s\n' student_id,subject,date,value,weight,kind,lesson_no "S00001,Математика,2026-12-07,2,5,контрольная,1" >m2.csv
	portal-journal -q import marks m2.csv
	printf '%s\n' student_id,date,code,lesson_no,subject "S00001,2026-12-07,н,2,Литература" >a2.csv
	portal-journal -q import attendance a2.csv
	ex --student S00001 --period "$P2" --channel paper -o out/
	status_is 0
	f=$(mfield file)
	run cat "$f"
	has_line "Период: 2 четверть (05.11.2026 – 28.12.2026)"
	has_line "По состоянию на: 28.11.2026"
	has_line "  Пропущено уроков: 3 (по болезни 1, по уважительной причине 1), опозданий: 1"
	math=$(txt_block "$f" "Математика")
	contains "Средний балл: 4,44" "$math"
	lacks "07.12" "$math"
	ex --student S00001 --period "$P2" --channel paper --format csv -o s1.csv
	same "2026-11-28" "$("$PY3" -c 'import csv, sys
print(" ".join(sorted({r["as_of"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))})))' s1.csv)" "as_of"
	# made after the period: all of it, its date printed
	PORTAL_NOW=2027-01-10T09:00:00Z ex --student S00001 --period "$P2" --channel paper -o out2/
	status_is 0
	f=$(mfield file)
	run cat "$f"
	has_line "По состоянию на: 10.01.2027"
	has_line "  Пропущено уроков: 4 (по болезни 1, по уважительной причине 1), опозданий: 1"
	math=$(txt_block "$f" "Математика")
	# (20 + 15 + 5 + 10) / 14
	contains "Средний балл: 3,57" "$math"
	contains "07.12 — 2" "$math"
}

@test "a student with no marks gets an extract that says so (txt, csv, xlsx)" {
	hand_school
	ex --student S00004 --period "$P2" --channel paper -o out/
	status_is 0
	same "paper,S00004," "$(pairs)"
	run cat "$(mfield file)"
	has_line "  За этот период отметок нет."
	has_line "Ученик: Кузнецова Анна, 5А класс"
	has_line "  Пропущено уроков: 0 (по болезни 0, по уважительной причине 0), опозданий: 0"
	# a student with marks does not get the sentence
	ex --student S00002 --period "$P2" --channel paper -o out2/
	run cat "$(mfield file)"
	lacks "За этот период отметок нет."
	# csv: only the totals row
	ex --student S00004 --period "$P2" --channel paper --format csv -o s4.csv
	status_is 0
	code=$(mfield code)
	same "code|student_id|student_name|class|period|from|to|subject|teacher|marks|average|final|missed|illness|excused|late|as_of
$code|S00004|Кузнецова Анна|5А|2 четверть|2026-11-05|2026-12-28|итого|||||0|0|0|0|2026-11-28" "$(csv_rows s4.csv)" "csv of S00004"
	# xlsx says it too
	"$PY3" -c 'import openpyxl' 2>/dev/null || skip "no openpyxl for $PY3"
	ex --student S00004 --period "$P2" --channel paper --format xlsx -o s4.xlsx
	status_is 0
	run "$PY3" -c 'import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for ws in wb:
    for r in ws.iter_rows(values_only=True):
        for v in r:
            if v is not None: print(v)' s4.xlsx
	status_is 0
	has_line "За этот период отметок нет."
}

@test "csv: average 4.44, the final, marks with dates and missed/illness/excused/late per subject and in total" {
	hand_school
	ex --student S00001 --period "$P2" --channel paper --format csv -o s1.csv
	status_is 0
	code=$(mfield code)
	same "s1.csv" "$(mfield file)" "file"
	same "code|student_id|student_name|class|period|from|to|subject|teacher|marks|average|final|missed|illness|excused|late|as_of
$code|S00001|Иванова Мария|5А|2 четверть|2026-11-05|2026-12-28|Литература|Словесникова Вера||||3|1|1|0|2026-11-28
$code|S00001|Иванова Мария|5А|2 четверть|2026-11-05|2026-12-28|Математика|Учителева Анна|2026-11-09:4 2026-11-16:5 2026-11-23:5|4.44|4|0|0|0|1|2026-11-28
$code|S00001|Иванова Мария|5А|2 четверть|2026-11-05|2026-12-28|итого|||||3|1|1|1|2026-11-28" "$(csv_rows s1.csv)" "csv of S00001"
}

@test "the numbers match the journal and the attendance report (synthetic school, a whole class)" {
	school 30 7
	"$SYNTH" --students 30 --seed 7 --journal --out s >/dev/null
	portal-journal -q periods import s/periods.csv
	for k in schedule lessons marks attendance finals; do
		portal-journal -q import "$k" "s/$k.csv"
	done
	ex --class 5А --period "1 четверть" --channel paper --format csv -o x.csv
	status_is 0
	printf '%s\n' "$output" >man.csv
	portal-journal show --class 5А --period "1 четверть" >show.csv
	portal-report attendance --class 5А --period "1 четверть" >att.csv
	run "$PY3" - <<'EOF'
import csv
x = list(csv.DictReader(open("x.csv", encoding="utf-8")))
man = list(csv.DictReader(open("man.csv", encoding="utf-8")))
show = list(csv.DictReader(open("show.csv", encoding="utf-8")))
st = list(csv.DictReader(open("s/students.csv", encoding="utf-8")))
active = {r["student_id"] for r in st if r["class"] == "5А" and r["status"] == "active"}
bad = []
# one extract per active student, the codes those of the manifest
if {r["student_id"] for r in man} != active:
    bad.append("manifest students %s != %s" % (sorted({r["student_id"] for r in man}), sorted(active)))
codes = {r["student_id"]: r["code"] for r in man}
for r in x:
    if codes.get(r["student_id"]) != r["code"]:
        bad.append("code of %s" % r["student_id"])
j = {(r["student_id"], r["subject"]): (r["average"], r["final"]) for r in show if r["student_id"] in active}
xs = {}
for r in x:
    if r["subject"] != "итого":
        xs[(r["student_id"], r["subject"])] = (r["average"], r["final"])
for k, v in j.items():
    if (v[0] or v[1]) and xs.get(k) != v:
        bad.append("%s: journal %s, extract %s" % (k, v, xs.get(k)))
for k, v in xs.items():
    if (v[0] or v[1]) and j.get(k) != v:
        bad.append("%s: extract %s, journal %s" % (k, v, j.get(k)))
# missed lessons as the report counts them (a whole day ill is that day's lessons), not records
att = {r["student_id"]: [int(r[k]) for k in ("missed", "illness", "excused", "late")]
       for r in csv.DictReader(open("att.csv", encoding="utf-8"))}
if sum(a[0] for a in att.values()) < 20:
    bad.append("too few absences to compare: %s" % att)
n = 0
for r in x:
    if r["subject"] == "итого":
        n += 1
        got = [int(r[k]) for k in ("missed", "illness", "excused", "late")]
        if got != att.get(r["student_id"], [0, 0, 0, 0]):
            bad.append("attendance of %s: %s, report %s" % (r["student_id"], got, att.get(r["student_id"])))
if n != len(active):
    bad.append("totals rows %d for %d students" % (n, len(active)))
if len([k for k, v in j.items() if v[0]]) < 50:
    bad.append("too few averages in the journal to compare: %d" % len(j))
print("\n".join(bad) or "ok")
EOF
	status_is 0
	same ok "$output" "comparison"
}

# ======================================================================
# The e-mail messages
# ======================================================================

@test "eml: Python's email package reads To, Subject, Date, Message-ID and a body with the manifest's code" {
	hand_school
	ex --class 5А --period "$P2" -o out/
	status_is 0
	printf '%s\n' "$output" >man.csv
	run eml_check man.csv
	status_is 0
	same "checked 5" "$output" "eml check"
	# each message's Message-ID is its own
	same 5 "$(grep -hi '^Message-Id:' out/*.eml | sort -u | wc -l)" "distinct Message-IDs"
}

@test "eml with --format eml and --channel email parse the same way" {
	hand_school
	ex --class 5А --period "$P2" --format eml -o out/
	status_is 0
	same "$(grep '^email' <<<"$AUTO_5A")" "$(pairs)" "rows"
	printf '%s\n' "$output" >man.csv
	run eml_check man.csv
	same "checked 5" "$output" "eml check"
	ex --student S00007 --period "$P2" --channel email -o out2/
	status_is 0
	same "email,S00007,P00009" "$(pairs)" "rows"
	printf '%s\n' "$output" >man2.csv
	run eml_check man2.csv
	same "checked 1" "$output" "eml check"
}

# ======================================================================
# Registration
# ======================================================================

@test "registration: Crockford codes of 10, distinct across runs; the extracts table is the manifest; an audit record each; files 0600" {
	hand_school
	ex --class 5А --period "$P2" -o r1/
	status_is 0
	m1=$output
	ex --class 5А --period "$P2" --format csv -o r2/
	status_is 0
	m2=$output
	ex --class 5А --period "$P2" --channel paper --format xlsx -o r3.xlsx
	status_is 0
	m3=$output
	all=$( (tail -n +2 <<<"$m1"; tail -n +2 <<<"$m2"; tail -n +2 <<<"$m3") | grep .)
	same 24 "$(wc -l <<<"$all")" "extracts made"
	codes=$(cut -d, -f5 <<<"$all")
	same "" "$(grep -vE '^[0-9A-HJKMNP-TV-Z]{10}$' <<<"$codes" || true)" "codes not of 10 Crockford characters"
	same 24 "$(sort -u <<<"$codes" | wc -l)" "distinct codes"
	# the table holds exactly the manifest rows
	same "$all" "$(q "SELECT extract_id || ',' || student_id || ',' || COALESCE(guardian_id, '') || ',' || channel || ',' || code || ',' || file || ',' FROM extracts ORDER BY extract_id")" "extracts table"
	same "$(q 'SELECT count(DISTINCT extract_id) FROM extracts')" 24 "distinct extract ids"
	same "2026-11-28T09:00:00Z|5А|2 четверть|2026-11-05|2026-12-28" "$(q 'SELECT DISTINCT issued_at, class, period, date_from, date_to FROM extracts')" "time, class, period"
	# each has its audit record
	run --separate-stderr portal-db audit
	status_is 0
	audit=$output
	for c in $codes; do
		grep -q ",admin,portal-extract,[^,]*,extract:$c," <<<"$audit" || { echo "no audit record for $c"; false; }
	done
	same "$(q "SELECT count(*) FROM extracts")" "$(q "SELECT count(*) FROM extracts x JOIN audit a ON a.seq = x.audit_seq AND a.object = 'extract:' || x.code")" "audit_seq points at the extract's record"
	# the e-mail records name the guardian and the channel
	while IFS=, read -r _ s g ch c _; do
		d=$(q "SELECT detail FROM audit WHERE object = 'extract:$c'")
		contains "\"student_id\":[null,\"$s\"]" "$d"
		contains "\"channel\":[null,\"$ch\"]" "$d"
		[ -z "$g" ] || contains "\"guardian_id\":[null,\"$g\"]" "$d"
	done <<<"$all"
	# personal data: every file is the owner's only
	same "" "$(find r1 r2 r3.xlsx -type f ! -perm 600)" "files not 0600"
	same 600 "$(file_mode r3.xlsx)" "r3.xlsx mode"
	# the code in each file is the registered one
	while IFS=, read -r _ _ _ ch c f; do
		case $f in
		*.txt | *.eml) [ "$ch" = email ] || grep -qF "Код подтверждения: $(dashed "$c")" "$f" || { echo "$f lacks $c"; false; } ;;
		*.csv) [ "$(tail -n +2 "$f" | cut -d, -f1 | sort -u)" = "$c" ] || { echo "$f: not the code $c"; false; } ;;
		esac
	done <<<"$all"
	run --separate-stderr portal-db check
	status_is 0
}

@test "registration: the same run on two copies of the store draws different codes (random, not from the clock or the store)" {
	hand_school
	store_cp "$PORTAL_DB" "$(store_at "$PWD/copy.db")"
	ex --class 5А --period "$P2" -o a/
	status_is 0
	a=$(mfield code | sort)
	PORTAL_DB=$(store_at "$PWD/copy.db") run --separate-stderr portal-extract --class 5А --period "$P2" -o b/
	status_is 0
	b=$(mfield code | sort)
	same 9 "$(wc -l <<<"$b")" "codes of the copy"
	same "" "$(comm -12 <(echo "$a") <(echo "$b"))" "codes shared by the two stores"
}

@test "registration: the audit record names the file the extracts row names" {
	hand_school
	ex --class 5А --period "$P2" -o out/
	status_is 0
	while IFS=, read -r _ _ _ _ c f; do
		d=$(q "SELECT detail FROM audit WHERE object = 'extract:$c'")
		contains "\"file\":[null,\"$f\"]" "$d"
	done < <(tail -n +2 <<<"$output")
}

@test "--dry-run: the manifest without extract_id and code, no files, nothing registered" {
	hand_school
	before=$(db_digest)
	ex --class 5А --period "$P2" --dry-run -o dry/
	status_is 0
	same "$AUTO_5A" "$(pairs)" "dry-run rows"
	same "" "$(mfield extract_id | sort -u)" "extract ids"
	same "" "$(mfield code | sort -u)" "codes"
	[ ! -e dry ] || same "" "$(files dry)" "files in dry/"
	contains "dry run" "$stderr"
	same "$before" "$(db_digest)" "store"
	# without -o too, and with -o FILE
	ex --class 5А --period "$P2" --dry-run
	status_is 0
	same "$AUTO_5A" "$(pairs)" "dry-run rows without -o"
	ex --class 5А --period "$P2" --dry-run --channel paper -o dry.txt
	status_is 0
	[ ! -e dry.txt ] || { echo "dry.txt written"; false; }
	same "" "$(find . -name '*.tmp' -o -name '*.eml' -o -name '*_paper.txt')" "stray files"
	same "$before" "$(db_digest)" "store after all dry runs"
	# the real run gives the same rows
	ex --class 5А --period "$P2" -o real/
	same "$AUTO_5A" "$(pairs)" "real rows"
}

# ======================================================================
# Input: --class, --student, ids on stdin
# ======================================================================

@test "input: --student S1 --student S2 gives extracts for exactly those students" {
	hand_school
	ex --student S00001 --student S00004 --period "$P2" -o out/
	status_is 0
	same "email,S00001,P00001
paper,S00001,
paper,S00004," "$(pairs)"
	same 3 "$(files out | wc -l)" "files"
	# an unknown student: 65, nothing written
	before=$(db_digest)
	ex --student S00001 --student S99999 --period "$P2" -o bad/
	status_is 65
	contains "S99999" "$stderr"
	same "$before" "$(db_digest)" "store"
	[ ! -e bad ] || same "" "$(files bad)" "files"
	# --class and --student together is usage
	ex --class 5А --student S00001 --period "$P2" -o x/
	status_is 64
}

@test "input: ids on stdin (portal-accounts list … | head -3 | portal-extract) give extracts for exactly those students" {
	hand_school
	want=$(portal-accounts list students --class 5А | sed -n '2,3p' | cut -d, -f1 | sort)
	same 2 "$(wc -l <<<"$want")" "students listed"
	run --separate-stderr bash -c "portal-accounts list students --class 5А | head -3 | portal-extract --period '$P2' -o d/"
	status_is 0
	same "$want" "$(mfield student_id | sort -u)" "students extracted"
	exp=$(grep -E ",($(paste -sd'|' <<<"$want"))," <<<"$AUTO_5A")
	same "$exp" "$(pairs)" "rows"
	manifest_files_exist
	# a student_id column and FILE argument '-' work as well
	run --separate-stderr bash -c "printf 'student_id\nS00005\n' | portal-extract --period '$P2' -o e/ -"
	status_is 0
	same "paper,S00005," "$(pairs)" "rows from '-'"
	# no such column: 65, nothing written
	before=$(db_digest)
	run --separate-stderr bash -c "printf 'x,y\n1,2\n' | portal-extract --period '$P2' -o f/"
	status_is 65
	same "$before" "$(db_digest)" "store"
}

@test "input: piped consent status rows limit the e-mails to those guardians" {
	hand_school
	run --separate-stderr bash -c "portal-consent status --class 5А | awk -F, 'NR == 1 || (\$1 == \"P00007\" && \$2 == \"S00006\")' |
		portal-extract --period '$P2' -o one/"
	status_is 0
	same "email,S00006,P00007" "$(pairs)" "one guardian piped"
	same 1 "$(files one | wc -l)" "files"
	# the electronic rows: the e-mails of exactly those links
	run --separate-stderr bash -c "portal-consent status --class 5А | awk -F, 'NR == 1 || \$9 == \"electronic\"' |
		portal-extract --period '$P2' -o el/"
	status_is 0
	same "$(grep '^email' <<<"$AUTO_5A")" "$(pairs | grep '^email')" "e-mails for the electronic rows"
	# the paper rows (the spec's pipeline): paper for their students, no e-mail
	run --separate-stderr bash -c "portal-consent status --class 5А | awk -F, 'NR == 1 || \$9 == \"paper\"' |
		portal-extract --period '$P2' -o pa/"
	status_is 0
	same "paper,S00001,
paper,S00003,
paper,S00004," "$(pairs)" "rows for the paper rows"
	same "" "$(files pa | grep '\.eml$' || true)" "eml files"
}

# ======================================================================
# Students who left
# ======================================================================

@test "students who left: out with --class; named, in if they left during the period; named but left before it: said, nothing" {
	hand_school
	ex --class 5А --period "$P2" --dry-run
	status_is 0
	lacks ",S00007,"
	lacks ",S00008,"
	# S00007 left on 2026-11-20, in the 2nd term
	ex --student S00007 --period "$P2" -o out/
	status_is 0
	same "email,S00007,P00009" "$(pairs)" "S00007 named"
	ex --student S00007 --period "$P2" --channel paper -o out2/
	status_is 0
	run cat "$(mfield file)"
	has_line "Ученик: Зайцев Глеб, 5А класс"
	contains "Отметки: 16.11 — 4"
	# S00008 left on 2026-10-01, before the 2nd term: named on stderr, no extract
	before=$(db_digest)
	ex --student S00008 --period "$P2" -o out3/
	status_is 0
	same "" "$(pairs)" "rows for S00008"
	contains "S00008" "$stderr"
	contains "left" "$stderr"
	same "$before" "$(db_digest)" "store"
	[ ! -e out3 ] || same "" "$(files out3)" "files for S00008"
	# with another student: that one only
	ex --student S00008 --student S00005 --period "$P2" -o out4/
	status_is 0
	same "paper,S00005," "$(pairs)" "rows"
	contains "S00008" "$stderr"
	# in the 1st term S00008 was there until 01.10: in
	ex --student S00008 --period "1 четверть" --dry-run
	status_is 0
	same "email,S00008,P00011" "$(pairs)" "S00008 in the 1st term"
}

# ======================================================================
# Roles
# ======================================================================

@test "roles: a class leader extracts for their class; another class is 77 with nothing written and no files" {
	hand_school
	run --separate-stderr env PORTAL_ACTOR=kl5a portal-extract --class 5А --period "$P2" -o mine/
	status_is 0
	same "$AUTO_5A" "$(pairs)" "rows"
	same kl5a "$(q "SELECT DISTINCT a.actor FROM extracts x JOIN audit a ON a.seq = x.audit_seq")" "actor of the records"
	before=$(db_digest)
	for args in "--class 5Б" "--student S00010" "--student S00001 --student S00010"; do
		# shellcheck disable=SC2086
		run --separate-stderr env PORTAL_ACTOR=kl5a portal-extract $args --period "$P2" -o theirs/
		status_is 77
		same "" "$output" "stdout of $args"
		contains "not permitted" "$stderr"
		[ ! -e theirs ] || { echo "theirs/ made for $args"; false; }
	done
	# piped in, too
	run --separate-stderr bash -c "printf 'student_id\nS00010\n' | PORTAL_ACTOR=kl5a portal-extract --period '$P2' -o theirs/"
	status_is 77
	[ ! -e theirs ]
	# a teacher, a deputy, the other class leader
	for who in math zam kl5b; do
		run --separate-stderr env PORTAL_ACTOR=$who portal-extract --class 5А --period "$P2" -o theirs/
		status_is 77
		[ ! -e theirs ] || { echo "theirs/ made for $who"; false; }
	done
	same "$before" "$(db_digest)" "store after the refusals"
	# even a dry run is refused
	run --separate-stderr env PORTAL_ACTOR=kl5b portal-extract --class 5А --period "$P2" --dry-run
	status_is 77
	same "" "$output" "stdout of a refused dry run"
}

# ======================================================================
# Formats and usage
# ======================================================================

@test "-o FILE, txt: the paper extracts in one file, a form feed between them" {
	hand_school
	ex --class 5А --period "$P2" --channel paper -o all.txt
	status_is 0
	same "paper,S00001,
paper,S00002,
paper,S00003,
paper,S00004,
paper,S00005,
paper,S00006," "$(pairs)" "rows"
	same all.txt "$(mfield file | sort -u)" "file"
	same 5 "$(tr -cd '\f' <all.txt | wc -c)" "form feeds"
	same 6 "$(grep -c '^Ученик: ' all.txt)" "students in the file"
	same 6 "$(grep -c 'ВЫПИСКА ИЗ ЭЛЕКТРОННОГО ЖУРНАЛА' all.txt)" "titles"
	# the extracts in the manifest's order, each with its own code
	same "$(mfield student_id | while read -r s; do awk -F, -v s="$s" '$1 == s { print $2 " " $3 }' s.csv; done)" \
		"$(grep -o '^Ученик: [^,]*' all.txt | cut -d' ' -f2-)" "students in order"
	same "$(mfield code | while read -r c; do dashed "$c"; done)" "$(grep -o 'Код подтверждения: .*' all.txt | cut -d' ' -f3)" "codes in order"
	same 600 "$(file_mode all.txt)" "mode"
}

@test "-o FILE, csv: the header once, the rows of every student; xlsx: a workbook with a sheet per student" {
	hand_school
	ex --class 5А --period "$P2" --channel paper --format csv -o all.csv
	status_is 0
	same 6 "$(mfield code | wc -l)" "extracts"
	same 1 "$(grep -c '^code,student_id,' all.csv)" "header lines"
	same "$(mfield code | sort)" "$(tail -n +2 all.csv | cut -d, -f1 | sort -u)" "codes in the file"
	same 6 "$(grep -c ',итого,' all.csv)" "totals rows"
	"$PY3" -c 'import openpyxl' 2>/dev/null || skip "no openpyxl for $PY3"
	ex --class 5А --period "$P2" --channel paper --format xlsx -o all.xlsx
	status_is 0
	printf '%s\n' "$output" >man.csv
	run "$PY3" - all.xlsx man.csv <<'EOF'
import csv, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
man = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
print(len(wb.sheetnames))
for ws, row in zip(wb, man):
    text = [str(v) for r in ws.iter_rows(values_only=True) for v in r if v is not None]
    code = row["code"]
    ok = "Код подтверждения: %s-%s" % (code[:5], code[5:]) in text and "Выписка из электронного журнала" in text
    print(ws.title, ok)
    if row["student_id"] == "S00001":
        # Математика: average 4.44 as a number, final 4, absences 0, late 1
        for r in ws.iter_rows(values_only=True):
            if r and r[0] == "Математика":
                print("math", round(r[3], 2), r[4], r[5], r[6])
EOF
	status_is 0
	same "6
5А Волкова Дарья True
5А Иванова Мария True
math 4.44 4 0 1
5А Кузнецова Анна True
5А Орлов Павел True
5А Петров Илья True
5А Смирнов Олег True" "$output" "workbook"
	same 600 "$(file_mode all.xlsx)" "mode"
}

@test "xlsx with TMPDIR on another file system than the output" {
	[ -d /dev/shm ] && [ "$(stat -c %d /dev/shm)" != "$(stat -c %d .)" ] || skip "no other file system for TMPDIR"
	hand_school
	run --separate-stderr env TMPDIR=/dev/shm portal-extract --class 5А --period "$P2" --channel paper --format xlsx -o all.xlsx
	status_is 0
	[ -s all.xlsx ]
	run --separate-stderr env TMPDIR=/dev/shm portal-extract --class 5А --period "$P2" --format xlsx -o dir/
	status_is 0
	same 4 "$(files dir | grep -c '\.xlsx$')" "workbooks"
}

@test "usage: no -o without --dry-run is 64, bad channel or eml with paper is 64; nothing written" {
	hand_school
	before=$(db_digest)
	ex --class 5А --period "$P2"
	status_is 64
	contains "-o" "$stderr"
	ex --class 5А --period "$P2" --channel fax -o x/
	status_is 64
	ex --class 5А --period "$P2" --format eml --channel paper -o x/
	status_is 64
	ex --class 5А --period "$P2" --format doc -o x/
	status_is 64
	ex --class 5А -o x/
	status_is 64
	ex --class 5А --period "9 четверть" -o x/
	status_is 65
	ex --class 5А --period "$P2" --from 2026-11-01 --to 2026-11-30 -o x/
	status_is 64
	[ ! -e x ]
	same "$before" "$(db_digest)" "store"
}

@test "-o FILE by default: the paper extracts in the file, e-mails never in it; or a failure that writes nothing" {
	hand_school
	before=$(db_digest)
	ex --class 5А --period "$P2" -o all.txt
	if [ "$status" -eq 0 ]; then
		same "$AUTO_5A" "$(pairs)" "rows"
		same all.txt "$(awk -F, '$4 == "paper"' <<<"$output" | cut -d, -f6 | sort -u)" "file of the paper rows"
		same 3 "$(tr -cd '\f' <all.txt | wc -c)" "form feeds"
		same 4 "$(grep -c '^Ученик: ' all.txt)" "extracts in the file"
		lacks "Кому: Иванова Елена" "$(cat all.txt)"
		while IFS=, read -r _ _ _ ch _ f; do
			[ "$ch" = email ] || continue
			case $f in *.eml) ;; *) echo "e-mail in $f"; false ;; esac
			[ -f "$f" ] || { echo "no file $f"; false; }
			same 600 "$(file_mode "$f")" "mode of $f"
		done < <(tail -n +2 <<<"$output")
	else
		same "$before" "$(db_digest)" "store after the failure"
		[ ! -e all.txt ] || { echo "all.txt written"; false; }
		same "" "$(find . -name '*.eml*')" "eml files"
	fi
}

@test "a run that fails half-way prints no manifest rows (the extracts were not registered)" {
	hand_school
	# a file where the e-mails would go makes the run fail after S00004's paper extract
	: >all.txt-email
	before=$(db_digest)
	ex --student S00004 --student S00002 --period "$P2" -o all.txt
	[ "$status" -ne 0 ] || skip "the run did not fail: nothing to check"
	same "$before" "$(db_digest)" "store"
	same "" "$(tail -n +2 <<<"$output" | grep . || true)" "manifest rows of a failed run"
	[ ! -e all.txt ] || { echo "all.txt written"; false; }
}

@test "a run that fails half-way with -o FILE leaves no temporary file with extracts behind" {
	hand_school
	: >all.txt-email
	before=$(db_digest)
	ex --student S00004 --student S00002 --period "$P2" -o all.txt
	[ "$status" -ne 0 ] || skip "the run did not fail: nothing to check"
	same "$before" "$(db_digest)" "store"
	same "./all.txt-email" "$(find . -name '*all.txt*')" "files left"
}

@test "portal-db check is ok after extracts of every kind, dry runs, refusals, withdrawals and a breach" {
	hand_school
	portal-extract -q --class 5А --period "$P2" -o a/ >/dev/null
	portal-extract -q --class 5А --period "$P2" --channel email -o b/ >/dev/null
	portal-extract -q --class 5А --period "$P2" --channel paper --format csv -o c.csv >/dev/null
	portal-extract -q --class 5А --period "$P2" --channel paper --format xlsx -o d.xlsx >/dev/null
	portal-extract -q --class 5А --period "$P2" --dry-run >/dev/null
	env PORTAL_ACTOR=kl5b portal-extract -q --class 5А --period "$P2" -o e/ >/dev/null 2>&1 || true
	PORTAL_NOW=2026-11-27T10:00:00Z PORTAL_ACTOR=kl5a portal-extract -q --class 5А --period "$P2" -o f/ >/dev/null
	portal-consent -q record --guardian P00001 --student S00001 --decision withdrawn --signed-on 2026-11-27
	PORTAL_NOW=2026-11-27T14:00:00Z portal-accounts -q breach kl5a --discovered-at "2026-11-27 08:00" --reported-at "2026-11-27 09:00" >/dev/null
	portal-extract -q --class 5А --period "$P2" -o g/ >/dev/null
	same 43 "$(q 'SELECT count(*) FROM extracts')" "extracts registered"
	run --separate-stderr portal-db check
	status_is 0
	contains "ok" "$stderr$output"
}

@test "txt: a recommendation of 3,000 characters with a 700-byte word is printed whole, wrapped, as valid UTF-8" {
	hand_school
	word=$(printf 'оченьдлинноеслово%.0s' $(seq 1 21))	# 714 bytes, no space
	long="$word $(for i in $(seq 1 250); do printf 'слово%03d ' "$i"; done)конец"
	printf '%s\n' student_id,date,text,teacher_id,subject "S00001,2026-11-21,\"$long\",T1,Математика" >r.csv
	portal-journal -q import recommendations r.csv
	ex --student S00001 --period "$P2" --channel paper -o one.txt
	status_is 0
	iconv -f UTF-8 -t UTF-8 one.txt >/dev/null
	grep -q -- "$word" one.txt
	grep -q 'слово001' one.txt
	grep -q 'слово250 конец' one.txt
	# the text is all there: its words, in order, across the wrapped lines
	same "$long" "$(sed -n '/^РЕКОМЕНДАЦИИ УЧИТЕЛЕЙ/,/^$/p' one.txt | tail -n +2 | sed 's/^ *[0-9.]*  //; s/^ *//' |
		tr '\n' ' ' | sed 's/^Математика (Учителева А\.): //; s/ *$//')" "the recommendation"
}

