#!/usr/bin/env bats
# portal-web: the information pages about a student (journal, homework,
# timetable, tests, teachers, recommendations) and /holidays, driven with curl
# against a server on a free port of 127.0.0.1 over one synthetic school.

load helpers
load web-helpers

PAGES="journal homework timetable tests teachers recommendations"

setup_file() {
	web_school
}

setup() {
	web_setup
}

teardown() {
	web_teardown
}

# consenting_guardian STUDENT: records a standing consent of the student's first guardian, who is
# then logged in (G, LOGIN)
consenting_guardian() {
	G=$(guardian_of "$1")
	portal-consent -q record --guardian "$G" --student "$1" --decision given --signed-on 2026-11-02 || return 1
	serve || return 1
	fresh_login guardian "$G"
}

# class_of STUDENT
class_of() {
	awk -F, -v s="$1" '$1 == s { print $6 }' "$S/students.csv"
}

@test "the journal shows the lessons of the period with their topics and the student's marks" {
	local cls row subj topic
	cls=$(class_of S00002)
	row=$(awk -F, -v c="$cls" '$1 == c && $2 == "" && $4 >= "2026-11-05" && $4 <= "2026-11-28" && $7 != "" { print; exit }' "$S/lessons.csv")
	subj=$(cut -d, -f3 <<<"$row")
	topic=$(cut -d, -f7 <<<"$row")
	consenting_guardian S00002
	get /student/S00002/journal
	[ "$status_code" = 200 ]
	grep -q "<h2>Уроки: 2 четверть" page.html
	grep -qF "<td>$subj</td><td>$topic</td>" page.html
	grep -q '<td>[1-5]' page.html
	# nothing after the day of the request
	! grep -q '30.11.2026' page.html
	# the navigation: links to the other pages, this one in bold
	grep -q '<b>Журнал</b>' page.html
	grep -q 'href="/student/S00002/homework"' page.html
	grep -q 'href="/holidays"' page.html
}

@test "homework: the lessons' homework of the period and the next two weeks" {
	local cls hw
	cls=$(class_of S00002)
	hw=$(awk -F, -v c="$cls" '$1 == c && $2 == "" && $4 == "2026-11-26" && $8 != "" { print $8 "," $9; exit }' "$S/lessons.csv" | tr -d '"')
	[ -n "$hw" ]
	consenting_guardian S00002
	get /student/S00002/homework
	[ "$status_code" = 200 ]
	grep -qF "$hw" page.html
	grep -q '12.12.2026' page.html	# the next two weeks are in the title
}

@test "the timetable of this and next week marks substitutions, moved and cancelled lessons" {
	local cls
	cls=$(class_of S00002)
	printf 'date,class,lesson_no,kind,subject,teacher_id,new_date,new_lesson_no,note\n%s\n%s\n%s\n' \
		"2026-11-30,$cls,1,cancelled,,,,,карантин" \
		"2026-12-01,$cls,2,substitution,Математика,T006,,,болезнь учителя" \
		"2026-12-02,$cls,3,moved,,,2026-12-04,7,экскурсия" >ch.csv
	portal-journal -q import changes ch.csv
	consenting_guardian S00002
	get /student/S00002/timetable
	[ "$status_code" = 200 ]
	grep -q 'Эта неделя' page.html
	grep -q 'Следующая неделя' page.html
	grep -q 'пн, 23.11.2026' page.html
	grep -q 'сб, 05.12.2026\|пт, 04.12.2026' page.html
	grep -q '<b>Отменён</b> (карантин)' page.html
	grep -q '<b>Замена</b>: Математика' page.html
	grep -q '<b>Перенесён</b> на 04.12.2026, урок 7 (экскурсия)' page.html
	grep -q '<b>Перенесён</b> с 02.12.2026, урок 3' page.html
}

@test "tests: the period and four weeks after it, as the extract shows them" {
	local cls row
	cls=$(class_of S00002)
	row=$(awk -F, -v c="$cls" '$1 == c && $3 >= "2026-12-29" && $3 <= "2027-01-25" { print; exit }' "$S/tests.csv")
	consenting_guardian S00002
	get /student/S00002/tests
	[ "$status_code" = 200 ]
	grep -q '24.11.2026</td><td>Математика — Контрольная работа № 3' page.html
	if [ -n "$row" ]; then
		d=$(cut -d, -f3 <<<"$row")
		grep -q "${d:8:2}.${d:5:2}.${d:0:4}" page.html
	fi
	grep -q '25.01.2027' page.html	# the horizon: the period's end and four weeks
}

@test "teachers: who teaches the class, with their names" {
	local cls t name
	cls=$(class_of S00002)
	t=$(awk -F, -v c="$cls" '$1 == c && $5 != "" { print $5; exit }' "$S/schedule.csv")
	name=$(awk -F, -v t="$t" '$1 == t { print $2 " " $3 " " $4 }' "$S/staff.csv")
	consenting_guardian S00002
	get /student/S00002/teachers
	[ "$status_code" = 200 ]
	grep -qF "$name" page.html
	grep -q 'весь класс' page.html
}

@test "recommendations: the teachers' recommendations to the student in the period" {
	local text
	text=$(awk -F, '$1 == "S00002" && $2 >= "2026-11-05" && $2 <= "2026-12-28" { print $3; exit }' "$S/recommendations.csv")
	[ -n "$text" ]
	consenting_guardian S00002
	get /student/S00002/recommendations
	[ "$status_code" = 200 ]
	grep -qF "$text" page.html
	# another period by name
	get "/student/S00002/recommendations?period=1%20%D1%87%D0%B5%D1%82%D0%B2%D0%B5%D1%80%D1%82%D1%8C"
	[ "$status_code" = 200 ]
	! grep -qF "$text" page.html
	grep -q '1 четверть' page.html
}

@test "holidays: the school year's holidays, for a logged-in user only" {
	serve
	get /holidays
	[ "$status_code" = 303 ]
	fresh_login guardian "$(guardian_of S00002)"
	get /holidays
	[ "$status_code" = 200 ]
	grep -q '<td>Осенние каникулы</td><td>25.10.2026 – 04.11.2026</td>' page.html
	grep -q 'Зимние каникулы' page.html
	post /holidays "csrf=x"
	[ "$status_code" = 405 ]
}

@test "every page: another child is 404, each view logged, under 30 KB, names escaped" {
	local p other
	q "UPDATE students SET first_name = '<i>Ива' WHERE student_id = 'S00002'"
	other=S00003
	consenting_guardian S00002
	[ "$(guardian_of "$other")" != "$G" ]
	for p in $PAGES; do
		get "/student/S00002/$p"
		[ "$status_code" = 200 ] || { echo "$p: $status_code" >&2; false; }
		grep -q '&lt;i&gt;Ива' page.html
		! grep -q '<i>Ива' page.html
		! grep -q '&lt;/\?t' page.html	# the page's own markup is not escaped
		[ "$(stat -c %s page.html)" -lt 30720 ] || { echo "$p: $(stat -c %s page.html) bytes" >&2; false; }
		[ "$(q "SELECT count(*) FROM access_log WHERE student_id = 'S00002' AND page = '/student/S00002/$p' AND login = '$LOGIN' AND client = '127.0.0.1'")" = 1 ]
		get "/student/$other/$p"
		[ "$status_code" = 404 ]
		get "/student/S99999/$p"
		[ "$status_code" = 404 ]
	done
	[ "$(q "SELECT count(*) FROM access_log WHERE student_id = '$other'")" = 0 ]
}

@test "every page: without a standing consent the paper notice and nothing of the child" {
	local p name
	name=$(awk -F, '$1 == "S00002" { print $2 }' "$S/students.csv")
	serve
	fresh_login guardian "$(guardian_of S00002)"
	for p in $PAGES; do
		get "/student/S00002/$p"
		[ "$status_code" = 200 ]
		grep -q 'на бумаге' page.html
		! grep -qF "$name" page.html
	done
	[ "$(q "SELECT count(*) FROM access_log WHERE student_id = 'S00002' AND page LIKE '/student/%'")" = 0 ]
}
