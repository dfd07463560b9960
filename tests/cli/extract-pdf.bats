#!/usr/bin/env bats
# portal-extract --format pdf: the paper extracts as A4 PDF documents (SPEC
# portal-extract; portal-extract(1), "Formats"). A file per extract or one
# document; the page size and properties; the text of the extract; the QR
# symbol of the acknowledgement code; page numbers per extract and the blank
# back page between extracts; a table going on over a page; --dry-run.
#
# A small hand-made school, so every expected value is exact; read back with
# poppler (pdfinfo, pdftotext, pdftoppm) and zbar (zbarimg). The clock is
# fixed at 2026-11-28T09:00:00Z by helpers' setup. All people here are made up.

load helpers
bats_require_minimum_version 1.5.0

P2="2 четверть"
MANIFEST=extract_id,student_id,guardian_id,channel,code,file,sent
SCHOOL="МБОУ «Средняя школа № 99»"

# The hand-made school (built once for the file, copied by hand_school):
#
# 5А, led by kl5a (Руководова Ольга); Mondays: 1 Математика (T1, Учителева
# Анна), 2 Литература (T2, Словесникова Вера). The class list's order:
#   S00006 Волкова Дарья   no guardian; 40 recommendations (a 2-page extract)
#   S00001 Иванова Мария   P00001 e-mail, refused (paper)
#   S00004 Кузнецова Анна  P00006 e-mail, no decision (paper); nothing in the journal
#   S00002 Петров Илья     P00003 e-mail, given (e-mail only with --channel auto)
# 6А, led by kl6a (Наставникова Инна): S00020 Морозов Кирилл, a mark in each of
# 30 subjects (Предмет 01 … Предмет 30, T6 Многопредметова Ада): a table of
# 30 rows, longer than a page.
#
# The journal of S00001 in the 2nd term (05.11–28.12): Математика 4 (weight 5,
# 09.11), 5 (weight 3, 16.11), 5 (weight 1, 23.11) → 4,44, final 4, late on
# 16.11; Литература н 09.11, б 16.11, у 23.11. In the 1st term: Математика 2
# (weight 5, 19.10), final 2. S00002: Литература 3 on 09.11. For 5А: a test
# on 14.12.2026 and one on 18.01.2027, a substitution on 16.11.2026, the
# winter holidays 29.12.2026–10.01.2027; S00001 a recommendation on 20.11.
setup_file() {
	local dir=$BATS_FILE_TMPDIR/hand i wd ln d
	mkdir -p "$dir" || return 1
	export PORTAL_DB="$(store_at "$dir/p.db")" PORTAL_ACTOR=admin PORTAL_NOW=2026-11-28T09:00:00Z LC_ALL=C.UTF-8
	(
		cd "$dir" || exit 1
		new_store || exit 1
		portal-db -q config school.name "$SCHOOL" || exit 1
		printf '%s\n' staff_id,last_name,first_name,role,login,classes,subjects \
			"T1,Учителева,Анна,teacher,math,,Математика" \
			"T2,Словесникова,Вера,teacher,lit,,Литература" \
			"T3,Руководова,Ольга,class_leader,kl5a,5А," \
			"T4,Наставникова,Инна,class_leader,kl6a,6А," \
			"T6,Многопредметова,Ада,teacher,many,," >st.csv
		portal-accounts -q import staff st.csv || exit 1
		printf '%s\n' student_id,last_name,first_name,birth_date,class,status,left_on \
			"S00001,Иванова,Мария,2015-03-01,5А,active," \
			"S00002,Петров,Илья,2015-04-02,5А,active," \
			"S00004,Кузнецова,Анна,2015-06-04,5А,active," \
			"S00006,Волкова,Дарья,2015-08-06,5А,active," \
			"S00020,Морозов,Кирилл,2014-02-03,6А,active," >s.csv
		portal-accounts -q import students s.csv || exit 1
		printf '%s\n' guardian_id,student_id,last_name,first_name,relation,email \
			"P00001,S00001,Иванова,Елена,mother,ivanova@example.ru" \
			"P00003,S00002,Петрова,Ольга,mother,petrova@example.ru" \
			"P00006,S00004,Кузнецов,Роман,father,kuznetsov@example.ru" >g.csv
		portal-accounts -q import guardians g.csv || exit 1
		printf '%s\n' guardian_id,student_id,decision,signed_on \
			"P00001,S00001,refused,2026-11-02" "P00003,S00002,given,2026-11-02" >c.csv
		portal-consent -q import c.csv || exit 1
		printf '%s\n' name,start,end "1 четверть,2026-09-01,2026-10-24" "2 четверть,2026-11-05,2026-12-28" >p.csv
		portal-journal -q periods import p.csv || exit 1
		{
			echo class,weekday,lesson_no,subject,teacher_id,room
			echo "5А,1,1,Математика,T1,каб. 1"
			echo "5А,1,2,Литература,T2,каб. 2"
			i=0
			for wd in 1 2 3 4 5; do
				for ln in 1 2 3 4 5 6; do
					i=$((i + 1))
					printf '6А,%d,%d,Предмет %02d,T6,каб. 6\n' "$wd" "$ln" "$i"
				done
			done
		} >sc.csv
		portal-journal -q import schedule sc.csv || exit 1
		{
			echo student_id,subject,date,value,weight,kind,lesson_no,teacher_id
			echo "S00001,Математика,2026-11-09,4,5,контрольная,1,T1"
			echo "S00001,Математика,2026-11-16,5,3,ответ,1,T1"
			echo "S00001,Математика,2026-11-23,5,1,дз,1,T1"
			echo "S00001,Математика,2026-10-19,2,5,контрольная,1,T1"
			echo "S00002,Литература,2026-11-09,3,1,ответ,2,T2"
			# S00020: Предмет NN on weekday wd (16.11 is a Monday), mark 2..5
			i=0
			for wd in 1 2 3 4 5; do
				for ln in 1 2 3 4 5 6; do
					i=$((i + 1))
					printf 'S00020,Предмет %02d,2026-11-%02d,%d,1,ответ,%d,T6\n' "$i" $((15 + wd)) $((i % 4 + 2)) "$ln"
				done
			done
		} >m.csv
		portal-journal -q import marks m.csv || exit 1
		printf '%s\n' student_id,date,code,lesson_no,subject \
			"S00001,2026-11-09,н,2,Литература" "S00001,2026-11-16,б,2,Литература" \
			"S00001,2026-11-23,у,2,Литература" "S00001,2026-11-16,о,1,Математика" >a.csv
		portal-journal -q import attendance a.csv || exit 1
		printf '%s\n' student_id,subject,period,value \
			"S00001,Математика,2 четверть,4" "S00001,Математика,1 четверть,2" >f.csv
		portal-journal -q import finals f.csv || exit 1
		printf '%s\n' class,subject,date,topic \
			"5А,Математика,2026-12-14,Контрольная работа № 3" "5А,Математика,2027-01-18,Контрольная работа № 4" >t.csv
		portal-journal -q import tests t.csv || exit 1
		printf '%s\n' date,class,lesson_no,kind,subject,teacher_id,new_date,new_lesson_no,note \
			"2026-11-16,5А,2,замена,Литература,T1,,,болезнь учителя" >ch.csv
		portal-journal -q import changes ch.csv || exit 1
		printf '%s\n' name,start,end,grades "Зимние каникулы,2026-12-29,2027-01-10," >h.csv
		portal-journal -q import holidays h.csv || exit 1
		{
			echo student_id,date,text,teacher_id,subject
			echo "S00001,2026-11-20,Повторить таблицу умножения,T1,Математика"
			# S00006: one a day from 06.11 to 15.12, enough for a second page
			for i in $(seq 1 40); do
				d=$(date -u -d "2026-11-05 +$i day" +%F) || exit 1
				printf 'S00006,%s,"Рекомендация № %d: повторить правила и решить задачи из учебника, страницы с %d по %d, и прочитать параграф целиком.",T1,Математика\n' \
					"$d" "$i" "$i" $((i + 3))
			done
		} >r.csv
		portal-journal -q import recommendations r.csv || exit 1
		checkpoint
	)
}

# hand_school: this test's copy of the hand-made school's store.
hand_school() {
	store_cp "$(store_at "$BATS_FILE_TMPDIR/hand/p.db")" "$PORTAL_DB"
}

# ex ARGS…: runs portal-extract, stdout and stderr apart.
ex() {
	run --separate-stderr portal-extract "$@"
}

# pairs [TEXT]: "channel,student_id,guardian_id" of the manifest in $output (or
# TEXT), in order; fails when the header is not the manifest's.
pairs() {
	local m=${1-$output}
	if [ "$(head -n 1 <<<"$m")" != "$MANIFEST" ]; then
		echo "pairs: not a manifest header: $(head -n 1 <<<"$m")"
		return 1
	fi
	tail -n +2 <<<"$m" | awk -F, 'NF { print $4 "," $2 "," $3 }'
}

# mfield NAME [TEXT]: one column of the manifest's rows, in order.
mfield() {
	local m=${2-$output}
	awk -F, -v n="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i; next } NF { print $c }' <<<"$m"
}

# mrow STUDENT FIELD [TEXT]: FIELD of the manifest's paper row of STUDENT.
mrow() {
	local m=${3-$output}
	awk -F, -v s="$1" -v n="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i; next }
		$2 == s && $4 == "paper" { print $c }' <<<"$m"
}

# files DIR: the names of the files in DIR (dot files too), sorted.
files() {
	(cd "$1" && find . -mindepth 1 -maxdepth 1 -printf '%f\n' | sort)
}

# dashed CODE: ABCDEFGHJK → ABCDE-FGHJK
dashed() {
	echo "${1:0:5}-${1:5:5}"
}

# info FILE FIELD: a field of `pdfinfo -isodates FILE`, as printed.
info() {
	pdfinfo -isodates "$1" | sed -n "s/^$2: *//p"
}

# pages FILE: the number of pages.
pages() {
	info "$1" Pages
}

# text FILE [FIRST [LAST]]: the text of the pages (all by default) laid out
# as on the page, runs of blanks as one, no blanks at the ends of lines, no
# empty lines and no form feeds.
text() {
	local f=$1 first=${2:-1} last=${3:-${2:-$(pages "$1")}}
	pdftotext -layout -f "$first" -l "$last" "$f" - | tr -d '\f' | sed 's/  */ /g; s/^ //; s/ $//' | grep -v '^$' || true
}

# page_map FILE: one line per page: "N NAME, CLASS стр. K" from its footer,
# or "N blank" for a page with no text at all.
page_map() {
	local f=$1 n i t
	n=$(pages "$f")
	for ((i = 1; i <= n; i++)); do
		t=$(text "$f" "$i")
		if [ -z "$t" ]; then
			echo "$i blank"
		else
			echo "$i $(sed -n 's/^Выписка из электронного журнала: \(.*\) класс стр\. \([0-9][0-9]*\)$/\1 стр. \2/p' <<<"$t" | paste -sd'|')"
		fi
	done
}

# qr FILE [PAGE]: what the QR symbol(s) on the page (1 by default) decode to.
qr() {
	local p=${2:-1}
	rm -f qr.png
	pdftoppm -r 150 -png -f "$p" -l "$p" -singlefile "$1" qr || return 1
	zbarimg -q --raw qr.png 2>/dev/null
}

# ======================================================================
# A file per extract
# ======================================================================

@test "-o DIR/: a PDF per paper extract, named CLASS_STUDENT_CODE.pdf, 0600, A4, its title, creator and creation date" {
	hand_school
	ex --class 5А --period "$P2" --format pdf -o out/
	status_is 0
	same "paper,S00006,
paper,S00001,
paper,S00004,
email,S00002,P00003" "$(pairs)" "manifest rows"
	contains "3 paper, 1 e-mail" "$stderr"
	local want="" s c
	for s in S00006 S00001 S00004; do
		c=$(mrow "$s" code)
		same "out/5А_${s}_$c.pdf" "$(mrow "$s" file)" "file of $s"
		want+="5А_${s}_$c.pdf"$'\n'
	done
	want+="5А_S00002_P00003_$(mfield code | tail -n 1).eml"
	same "$(sort <<<"$want")" "$(files out)" "files in out/"
	for s in S00006 S00001 S00004; do
		f=$(mrow "$s" file)
		same 600 "$(file_mode "$f")" "mode of $f"
		same "%PDF-" "$(head -c 5 "$f")" "magic of $f"
		same "595.276 x 841.89 pts (A4)" "$(info "$f" 'Page size')" "page size of $f"
		same "Выписка из электронного журнала" "$(info "$f" Title)" "title of $f"
		same "portal 0.1.0" "$(info "$f" Creator)" "creator of $f"
		same "2026-11-28T09:00:00Z" "$(info "$f" CreationDate)" "creation date of $f"
	done
	same 2 "$(pages "$(mrow S00006 file)")" "pages of Волкова (40 recommendations)"
	same 1 "$(pages "$(mrow S00001 file)")" "pages of Иванова"
	same 1 "$(pages "$(mrow S00004 file)")" "pages of Кузнецова"
	# the fonts go in the file
	run pdffonts "$(mrow S00001 file)"
	status_is 0
	contains "DejaVuSans"
	same "" "$(tail -n +3 <<<"$output" | awk '$(NF - 4) != "yes"')" "fonts not embedded"
	# an existing directory without the slash: a file per extract as well
	mkdir there
	ex --student S00001 --period "$P2" --channel paper --format pdf -o there
	status_is 0
	same "there/5А_S00001_$(mfield code).pdf" "$(mfield file)" "file in an existing directory"
	same 1 "$(pages "$(mfield file)")" "its pages"
}

@test "the text: school, title, to whom, student and class, period dates, the marks table with 4,44, the sections, signatures and the code" {
	hand_school
	ex --student S00001 --period "$P2" --channel paper --format pdf -o out/
	status_is 0
	f=$(mfield file)
	code=$(mfield code)
	run text "$f"
	status_is 0
	has_line "$SCHOOL"
	has_line "ВЫПИСКА ИЗ ЭЛЕКТРОННОГО ЖУРНАЛА"
	has_line "Кому: родителям (законным представителям)"
	has_line "Ученик: Иванова Мария, 5А класс"
	has_line "Период: 2 четверть (05.11.2026 – 28.12.2026)"
	# the printed code under the QR symbol, and at the end
	has_line "$(dashed "$code")"
	contains "Код подтверждения: $(dashed "$code") (QR-код вверху первой страницы)."
	has_line "Успеваемость"
	# the rows: subject | marks | average | final | absences, late
	has_line "Литература нет — 3"
	has_line "Словесникова Вера"
	has_line "Математика 09.11 — 4; 16.11 — 5; 23.11 — 5 4,44 4 0, 1"
	has_line "Учителева Анна"
	# the 1st term's mark and final are not in the 2nd
	lacks "19.10"
	lacks "2,00"
	lacks "За этот период отметок нет."
	has_line "Посещаемость"
	has_line "Пропущено уроков: 3 (по болезни 1, по уважительной причине 1), опозданий: 1"
	has_line "Контрольные работы (в периоде и до 25.01.2027)"
	has_line "14.12.2026 — Математика — Контрольная работа № 3"
	has_line "18.01.2027 — Математика — Контрольная работа № 4"
	has_line "Изменения в расписании"
	has_line "16.11.2026 — урок 2: замена, Литература, учитель Учителева А. (болезнь учителя)"
	has_line "Каникулы"
	has_line "Зимние каникулы: 29.12.2026 – 10.01.2027"
	has_line "Рекомендации учителей"
	has_line "20.11.2026 — Математика (Учителева А.): Повторить таблицу умножения"
	has_line "Классный руководитель ________________ /Руководова О./"
	contains "С выпиской ознакомлен(а) __________ /________________/"
	has_line "Выписка из электронного журнала: Иванова Мария, 5А класс стр. 1"
	# the code of the manifest is the registered one
	same "S00001|paper|pdf" "$(q "SELECT student_id, channel, format FROM extracts WHERE code = '$code'")" "the registered extract"

	# the 1st term: the 2 alone, 2,00, its final 2
	ex --student S00001 --period "1 четверть" --channel paper --format pdf -o out1/
	status_is 0
	run text "$(mfield file)"
	has_line "Период: 1 четверть (01.09.2026 – 24.10.2026)"
	has_line "Математика 19.10 — 2 2,00 2 0"
	lacks "4,44"

	# --from/--to: the dates only, no final; a guardian's e-mail is not in it
	ex --student S00001 --from 2026-11-10 --to 2026-11-30 --channel paper --format pdf -o out2/
	status_is 0
	run text "$(mfield file)"
	has_line "Период: 10.11.2026 – 30.11.2026"
	has_line "Математика 16.11 — 5; 23.11 — 5 5,00 0, 1"
	lacks "ivanova@"
}

@test "the QR symbol on page 1 decodes to the extract's registered code, ABCDE-FGHJK" {
	hand_school
	ex --class 5А --period "$P2" --channel paper --format pdf -o out/
	status_is 0
	same 4 "$(mfield code | wc -l)" "extracts"
	local seen=""
	while IFS=, read -r _ s _ _ c f; do
		[ -n "$c" ] || continue
		# the brief's way: page 1 at 150 dpi, out-1.png
		rm -f out-1.png
		pdftoppm -r 150 -png -f 1 -l 1 "$f" out
		same "$(dashed "$c")" "$(zbarimg -q --raw out-1.png 2>/dev/null)" "QR of $s"
		same 1 "$(q "SELECT count(*) FROM extracts WHERE code = '$c' AND student_id = '$s'")" "registered code of $s"
		seen+="$c "
	done < <(tail -n +2 <<<"$output")
	# four extracts, four different codes
	same 4 "$(tr ' ' '\n' <<<"$seen" | grep . | sort -u | wc -l)" "distinct codes"
	# the second page of a longer extract has no symbol
	f=$(mrow S00006 file)
	same 2 "$(pages "$f")" "pages of Волкова"
	run qr "$f" 2
	same "" "$output" "symbols on page 2"
}

@test "a student with nothing in the journal: 'За этот период отметок нет.' and no table" {
	hand_school
	ex --student S00004 --period "$P2" --channel paper --format pdf -o out/
	status_is 0
	same "paper,S00004," "$(pairs)" "rows"
	f=$(mfield file)
	code=$(mfield code)
	run text "$f"
	has_line "Ученик: Кузнецова Анна, 5А класс"
	has_line "Успеваемость"
	has_line "За этот период отметок нет."
	lacks "Предмет, учитель"
	lacks "Средний"
	has_line "Пропущено уроков: 0 (по болезни 0, по уважительной причине 0), опозданий: 0"
	has_line "Рекомендации учителей"
	# its lists are empty but for the class's
	same 1 "$(grep -cx 'нет' <<<"$output")" "empty lists (tests, changes and holidays are the class's)"
	same "$(dashed "$code")" "$(qr "$f")" "QR"
	# a student with marks does not get the sentence
	ex --student S00002 --period "$P2" --channel paper --format pdf -o out2/
	status_is 0
	run text "$(mfield file)"
	has_line "Литература 09.11 — 3 3,00 0"
	lacks "За этот период отметок нет."
}

# ======================================================================
# One document
# ======================================================================

@test "-o FILE.pdf: one document, each extract from a new page, pages numbered per extract, a blank back page after an odd one" {
	hand_school
	# a file per extract first, to know each one's pages
	ex --class 5А --period "$P2" --channel paper --format pdf -o each/
	status_is 0
	local sum=0 blanks=0 n i=0 last
	last=$(mfield file | wc -l)
	while read -r f; do
		i=$((i + 1))
		n=$(pages "$f")
		sum=$((sum + n))
		[ "$i" -eq "$last" ] || blanks=$((blanks + n % 2))
	done < <(mfield file)
	# Волкова 2, Иванова 1, Кузнецова 1, Петров 1; a blank after Иванова and Кузнецова
	same "5 2" "$sum $blanks" "pages of the extracts and blank backs"

	ex --class 5А --period "$P2" --channel paper --format pdf -o all.pdf
	status_is 0
	same "paper,S00006,
paper,S00001,
paper,S00004,
paper,S00002," "$(pairs)" "rows"
	same all.pdf "$(mfield file | sort -u)" "the one file"
	man=$output
	same 600 "$(file_mode all.pdf)" "mode"
	same $((sum + blanks)) "$(pages all.pdf)" "pages of the document"
	same "Выписки из электронного журнала" "$(info all.pdf Title)" "title"
	same "portal 0.1.0" "$(info all.pdf Creator)" "creator"
	same "2026-11-28T09:00:00Z" "$(info all.pdf CreationDate)" "creation date"
	same "595.276 x 841.89 pts (A4)" "$(info all.pdf 'Page size')" "page size"
	same "1 Волкова Дарья, 5А стр. 1
2 Волкова Дарья, 5А стр. 2
3 Иванова Мария, 5А стр. 1
4 blank
5 Кузнецова Анна, 5А стр. 1
6 blank
7 Петров Илья, 5А стр. 1" "$(page_map all.pdf)" "pages"
	run text all.pdf
	same 4 "$(grep -c 'стр\. 1$' <<<"$output")" "'стр. 1' once per extract"
	same 4 "$(grep -cx 'ВЫПИСКА ИЗ ЭЛЕКТРОННОГО ЖУРНАЛА' <<<"$output")" "titles"
	# each extract (first-last page): its student and QR symbol on the first
	# page, its code at the end, in the manifest's order
	local p s c first last
	for p in 1-2:S00006 3-3:S00001 5-5:S00004 7-7:S00002; do
		s=${p#*:} p=${p%:*} first=${p%-*} last=${p#*-}
		c=$(mrow "$s" code "$man")
		run text all.pdf "$first"
		has_line "Ученик: $(awk -F, -v s="$s" '$1 == s { print $2 " " $3 }' "$BATS_FILE_TMPDIR/hand/s.csv"), 5А класс"
		has_line "$(dashed "$c")"
		same "$(dashed "$c")" "$(qr all.pdf "$first")" "QR on page $first"
		run text all.pdf "$last"
		contains "Код подтверждения: $(dashed "$c")"
	done
	# the codes of the document are not those of the first run
	ex --class 5А --period "$P2" --channel paper --format pdf -o all.pdf
	status_is 0
	same 7 "$(pages all.pdf)" "pages of the replaced document"
	same "$(dashed "$(mrow S00006 code)")" "$(qr all.pdf 1)" "QR of the replaced document"
}

@test "-o FILE.pdf with --channel auto: the paper extracts in the document, the e-mails in FILE.pdf-email/" {
	hand_school
	ex --class 5А --period "$P2" --format pdf -o all.pdf
	status_is 0
	same "paper,S00006,
paper,S00001,
paper,S00004,
email,S00002,P00003" "$(pairs)" "rows"
	c=$(mfield code | tail -n 1)
	same "all.pdf-email/5А_S00002_P00003_$c.eml" "$(mfield file | tail -n 1)" "the e-mail's file"
	same "5А_S00002_P00003_$c.eml" "$(files all.pdf-email)" "files beside the document"
	grep -qi '^To:.*<petrova@example\.ru>' "all.pdf-email/5А_S00002_P00003_$c.eml" || { echo "not to P00003"; false; }
	same "1 Волкова Дарья, 5А стр. 1
2 Волкова Дарья, 5А стр. 2
3 Иванова Мария, 5А стр. 1
4 blank
5 Кузнецова Анна, 5А стр. 1" "$(page_map all.pdf)" "pages"
	run text all.pdf
	lacks "Петров Илья"
	lacks "Петрова Ольга"
}

@test "a table longer than a page goes on over the next with its header row again; every row once" {
	hand_school
	ex --student S00020 --period "$P2" --channel paper --format pdf -o out/
	status_is 0
	f=$(mfield file)
	code=$(mfield code)
	same "out/6А_S00020_$code.pdf" "$f" "file"
	n=$(pages "$f")
	same 3 "$n" "pages"
	same "1 Морозов Кирилл, 6А стр. 1
2 Морозов Кирилл, 6А стр. 2
3 Морозов Кирилл, 6А стр. 3" "$(page_map "$f")" "pages"
	# the header row on page 1 and again at the top of page 2
	run text "$f" 1
	same 1 "$(grep -c '^Предмет, учитель Отметки Средний Итог Пропуски,$' <<<"$output")" "header on page 1"
	has_line "Предмет 01 16.11 — 3 3,00 0"
	p1=$(grep -c '^Предмет [0-9][0-9] ' <<<"$output")
	run text "$f" 2
	same "Предмет, учитель Отметки Средний Итог Пропуски," "$(head -n 1 <<<"$output")" "first line of page 2"
	has_line "балл опоздания"
	p2=$(grep -c '^Предмет [0-9][0-9] ' <<<"$output")
	[ "$p1" -gt 0 ] && [ "$p2" -gt 0 ] || { echo "rows on page 1: $p1, on page 2: $p2"; false; }
	# the rows in order, each once, the 30th with its mark
	run text "$f"
	same "$(seq -f 'Предмет %02g' 1 30)" "$(grep -o '^Предмет [0-9][0-9]' <<<"$output")" "rows"
	has_line "Предмет 30 20.11 — 4 4,00 0"
	same "$(dashed "$code")" "$(qr "$f")" "QR"
	# the signatures and the code come after the table, on the last page
	run text "$f" "$n"
	has_line "Классный руководитель ________________ /Наставникова И./"
	contains "Код подтверждения: $(dashed "$code")"
}

# ======================================================================
# Properties, dry runs, failures
# ======================================================================

@test "SOURCE_DATE_EPOCH=86400: CreationDate 1970-01-02, for a file per extract and for one document" {
	hand_school
	SOURCE_DATE_EPOCH=86400 run --separate-stderr portal-extract --student S00001 --period "$P2" --channel paper --format pdf -o out/
	status_is 0
	f=$(mfield file)
	same "1970-01-02T00:00:00Z" "$(info "$f" CreationDate)" "creation date"
	SOURCE_DATE_EPOCH=86400 run --separate-stderr portal-extract --class 5А --period "$P2" --channel paper --format pdf -o all.pdf
	status_is 0
	same "1970-01-02T00:00:00Z" "$(info all.pdf CreationDate)" "creation date of the document"
	# the registration keeps the command's clock
	same "2026-11-28T09:00:00Z" "$(q "SELECT DISTINCT issued_at FROM extracts")" "issued_at"
	# without it, the command's clock
	PORTAL_NOW=2026-12-01T07:30:00Z run --separate-stderr portal-extract --student S00001 --period "$P2" --channel paper --format pdf -o out2/
	status_is 0
	same "2026-12-01T07:30:00Z" "$(info "$(mfield file)" CreationDate)" "creation date by PORTAL_NOW"
}

@test "--dry-run with --format pdf: the manifest with .pdf names, no file, nothing registered" {
	hand_school
	before=$(db_digest)
	ex --class 5А --period "$P2" --format pdf --dry-run -o dry/
	status_is 0
	same ",S00006,,paper,,dry/5А_S00006_paper.pdf,
,S00001,,paper,,dry/5А_S00001_paper.pdf,
,S00004,,paper,,dry/5А_S00004_paper.pdf,
,S00002,P00003,email,,dry/5А_S00002_P00003_email.eml," "$(tail -n +2 <<<"$output")" "dry-run rows"
	contains "dry run" "$stderr"
	[ ! -e dry ] || { echo "dry/ made"; false; }
	ex --class 5А --period "$P2" --format pdf --dry-run -o dry.pdf
	status_is 0
	same "dry.pdf" "$(mfield file | head -n 1)" "file of the first row"
	[ ! -e dry.pdf ] || { echo "dry.pdf written"; false; }
	[ ! -e dry.pdf-email ] || { echo "dry.pdf-email made"; false; }
	ex --class 6А --period "$P2" --format pdf --dry-run
	status_is 0
	same ",S00020,,paper,,./6А_S00020_paper.pdf," "$(tail -n +2 <<<"$output")" "without -o"
	same "" "$(find . -name '*.pdf*' -o -name '*.tmp' -o -name '*.eml')" "files made"
	same "$before" "$(db_digest)" "store"
	same 0 "$(q 'SELECT count(*) FROM extracts')" "extracts registered"
}

@test "a run with -o FILE.pdf that fails half-way: nothing registered, no document, no temporary file" {
	hand_school
	# a file where the e-mails would go: S00002's e-mail fails after S00004's page
	: >all.pdf-email
	before=$(db_digest)
	ex --student S00004 --student S00002 --period "$P2" --format pdf -o all.pdf
	[ "$status" -ne 0 ] || { echo "the run did not fail"; false; }
	same "" "$(tail -n +2 <<<"$output" | grep . || true)" "manifest rows"
	same "$before" "$(db_digest)" "store"
	same "./all.pdf-email" "$(find . -name '*all.pdf*')" "files left"
}

@test "--format pdf is refused for the roles as the other formats are, and kept out of e-mail" {
	hand_school
	before=$(db_digest)
	run --separate-stderr env PORTAL_ACTOR=kl6a portal-extract --class 5А --period "$P2" --format pdf -o theirs/
	status_is 77
	[ ! -e theirs ] || { echo "theirs/ made"; false; }
	same "$before" "$(db_digest)" "store"
	# --channel email with pdf: e-mails only, as eml; no PDF
	ex --class 5А --period "$P2" --format pdf --channel email -o mail/
	status_is 0
	same "email,S00002,P00003" "$(pairs)" "rows"
	same "" "$(files mail | grep -v '\.eml$' || true)" "files other than eml"
	# the class leader of 6А makes theirs
	run --separate-stderr env PORTAL_ACTOR=kl6a portal-extract --class 6А --period "$P2" --format pdf -o mine/
	status_is 0
	same "paper,S00020," "$(pairs)" "rows"
	same 3 "$(pages "$(mfield file)")" "pages"
	run --separate-stderr portal-db check
	status_is 0
}

@test "a recommendation longer than the line buffer: the rest of the extract and the next extracts are still printed" {
	hand_school
	long=$(for i in $(seq 1 200); do printf 'слово%03d ' "$i"; done)
	printf '%s\n' student_id,date,text,teacher_id,subject "S00004,2026-11-21,\"$long\",T1,Математика" >r2.csv
	portal-journal -q import recommendations r2.csv
	ex --class 5А --period "$P2" --channel paper --format pdf -o all.pdf
	status_is 0
	lacks "Invalid UTF-8" "$stderr"
	man=$output
	same "1 Волкова Дарья, 5А стр. 1
2 Волкова Дарья, 5А стр. 2
3 Иванова Мария, 5А стр. 1
4 blank
5 Кузнецова Анна, 5А стр. 1
6 blank
7 Петров Илья, 5А стр. 1" "$(page_map all.pdf)" "pages"
	run text all.pdf 5
	has_line "Классный руководитель ________________ /Руководова О./"
	contains "Код подтверждения: $(dashed "$(mrow S00004 code "$man")")"
	# all of it, to the last word
	contains "слово001"
	contains "слово200"
}

@test "-o FILE.pdf when every extract goes by e-mail: no document is written, and it is said" {
	hand_school
	ex --period "$P2" --format pdf --student S00002 -o none.pdf
	status_is 0
	same "email,S00002,P00003" "$(pairs)" "rows"
	[ ! -e none.pdf ] || { echo "none.pdf written"; false; }
	contains "none.pdf: not written: no paper extracts" "$stderr"
	same 1 "$(files none.pdf-email | grep -c '\.eml$')" "e-mails"
}
