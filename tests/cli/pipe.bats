#!/usr/bin/env bats
# The pipe contract (SPEC §2) in every verb of every binary: a verb that acts on
# people takes them as ids from FILE, from -, or from standard input when no
# selector is given and standard input is no terminal; it acts on exactly those
# people; /dev/null is nobody, never everybody; ids with a selector are 64; a
# verb that acts on no people refuses -. The filters that save a grep
# (consent status --channel/--decision, ack pending --days-waiting, accounts
# list --without-account/--locked), and the pipelines of the man pages' EXAMPLES,
# each run here against the store they were written from.

load helpers
load web-helpers
bats_require_minimum_version 1.5.0

# The school of this file (made once, in pipe_school): two classes, five students, five guardians
# (G1 has a child in each class), consents, extracts of «2 четверть» (7А's made on 16 November, 7Б's on
# 25 November, one acknowledged), the journal of three weeks, accounts for 7А's students (one locked).
P2="2 четверть"

setup_file() {
	pipe_school
}

setup() {
	export PORTAL_DB PORTAL_ACTOR=admin PORTAL_NOW=2026-11-28T09:00:00Z LC_ALL=C.UTF-8
	PORTAL_DB=$(store_at "$BATS_TEST_TMPDIR/p.db")
	unset PORTAL_BUSY_TIMEOUT SOURCE_DATE_EPOCH
	cd "$BATS_TEST_TMPDIR" || return 1
	store_cp "$(store_at "$BATS_FILE_TMPDIR/school/p.db")" "$PORTAL_DB" || return 1
	cp "$BATS_FILE_TMPDIR"/school/*.csv . || return 1
	SERVER_PID=
}

teardown() {
	web_teardown
}

pipe_school() {
	local dir=$BATS_FILE_TMPDIR/school
	mkdir -p "$dir"
	export PORTAL_DB PORTAL_ACTOR=admin PORTAL_NOW=2026-11-28T09:00:00Z LC_ALL=C.UTF-8
	PORTAL_DB=$(store_at "$dir/p.db")
	cd "$dir" || return 1
	cat >staff.csv <<-'EOF'
		staff_id,last_name,first_name,middle_name,role,login,os_user,email,phone,classes,subjects
		T1,Петрова,Ольга,Ивановна,class_leader,petrova,,petrova@school.example,,7А,
		T2,Сидоров,Иван,Петрович,class_leader,sidorov,,sidorov@school.example,,7Б,
		T3,Кузнецова,Мария,Андреевна,teacher,kuznetsova,,,,,Математика
		T4,Волков,Антон,Сергеевич,teacher,volkov,,,,,Русский язык
	EOF
	cat >students.csv <<-'EOF'
		student_id,last_name,first_name,middle_name,birth_date,class,email,phone,status,left_on
		1024,Щеглова,Юлия,Андреевна,2013-03-14,7А,,,active,
		1025,Разъездной,Ян,Олегович,2013-06-02,7А,,,active,
		1026,Щеглова,Юлия,Петровна,2013-09-21,7А,,,active,
		1031,Щеглов,Павел,Андреевич,2013-01-30,7Б,,,active,
		1040,Орлова,Вера,Игоревна,2013-05-05,7Б,,,active,
	EOF
	cat >guardians.csv <<-'EOF'
		guardian_id,student_id,last_name,first_name,middle_name,relation,email,phone
		G1,1024,Щеглова,Анна,Сергеевна,mother,shcheglova.a@example.ru,+79120000001
		G1,1031,Щеглова,Анна,Сергеевна,mother,shcheglova.a@example.ru,+79120000001
		G2,1025,Разъездная,Мария,Ивановна,mother,,+79120000002
		G3,1025,Разъездной,Олег,Петрович,father,razieezdnoi.o@example.ru,+79120000003
		G4,1026,Щеглов,Пётр,Ильич,father,shcheglov.p@example.ru,+79120000004
		G5,1040,Орлов,Игорь,Олегович,father,,+79120000005
	EOF
	cat >groups.csv <<-'EOF'
		class,group,subject,student_id
		7А,1 группа,Английский язык,1024
		7А,1 группа,Английский язык,1025
		7А,2 группа,Английский язык,1026
		7Б,1 группа,Английский язык,1031
		7Б,1 группа,Английский язык,1040
	EOF
	cat >periods.csv <<-'EOF'
		name,start,end
		1 четверть,2026-09-01,2026-10-24
		2 четверть,2026-11-05,2026-12-28
	EOF
	cat >schedule.csv <<-'EOF'
		class,weekday,lesson_no,subject,teacher_id,room,valid_from,valid_to
		7А,1,1,Математика,T3,каб. 12,2026-09-01,2027-05-26
		7А,2,2,Русский язык,T4,каб. 14,2026-09-01,2027-05-26
		7Б,1,2,Математика,T3,каб. 12,2026-09-01,2027-05-26
		7Б,2,1,Русский язык,T4,каб. 14,2026-09-01,2027-05-26
	EOF
	local c s d i n v
	{
		echo "class,group,subject,date,lesson_no,teacher_id,topic,homework"
		for c in 7А 7Б; do
			i=0
			for d in 2026-11-09 2026-11-16 2026-11-23; do
				i=$((i + 1)); n=1; [ $c = 7Б ] && n=2
				echo "$c,,Математика,$d,$n,T3,Тема $i,"
			done
			i=0
			for d in 2026-11-10 2026-11-17 2026-11-24; do
				i=$((i + 1)); n=2; [ $c = 7Б ] && n=1
				echo "$c,,Русский язык,$d,$n,T4,Тема $i,"
			done
		done
	} >lessons.csv
	# three marks a subject: 1025 fails mathematics, 1031 Russian
	{
		echo "student_id,subject,date,value,weight,kind,lesson_no,teacher_id"
		while read -r s c m r; do
			set -- ${m//,/ }
			for d in 2026-11-09 2026-11-16 2026-11-23; do
				n=1; [ $c = 7Б ] && n=2
				echo "$s,Математика,$d,$1,1,ответ,$n,T3"
				shift
			done
			set -- ${r//,/ }
			for d in 2026-11-10 2026-11-17 2026-11-24; do
				n=2; [ $c = 7Б ] && n=1
				echo "$s,Русский язык,$d,$1,1,ответ,$n,T4"
				shift
			done
		done <<-'EOF'
			1024 7А 5,5,4 5,4,5
			1025 7А 2,3,2 3,3,4
			1026 7А 4,4,3 4,5,4
			1031 7Б 3,4,4 2,2,3
			1040 7Б 5,4,5 4,4,5
		EOF
	} >marks.csv
	cat >attendance.csv <<-'EOF'
		student_id,date,code,lesson_no,subject
		1025,2026-11-16,н,1,Математика
		1025,2026-11-23,н,1,Математика
		1031,2026-11-17,б,,
		1024,2026-11-10,о,2,Русский язык
	EOF
	new_store || return 1
	for k in staff students guardians; do portal-accounts -q import "$k" "$k.csv" || return 1; done
	portal-accounts -q groups import groups.csv || return 1
	portal-journal -q periods import periods.csv || return 1
	for k in schedule lessons marks attendance; do portal-journal -q import "$k" "$k.csv" || return 1; done
	portal-consent -q record --guardian G1 --student 1024 --decision given --signed-on 2026-09-01 --form paper || return 1
	portal-consent -q record --guardian G1 --student 1031 --decision refused --signed-on 2026-09-01 --form paper || return 1
	portal-consent -q record --guardian G2 --student 1025 --decision refused --signed-on 2026-09-02 || return 1
	portal-consent -q record --guardian G3 --student 1025 --decision given --signed-on 2026-09-02 || return 1
	PORTAL_NOW=2026-11-16T09:00:00Z portal-extract -q --class 7А --period "$P2" -o x7a/ >m7a.csv || return 1
	PORTAL_NOW=2026-11-25T09:00:00Z portal-extract -q --class 7Б --period "$P2" -o x7b/ >m7b.csv || return 1
	portal-ack -q record "$(awk -F, '$2 == 1024 { print $5 }' m7a.csv)" --on 20.11.2026 --channel email >/dev/null || return 1
	portal-accounts -q issue --class 7А --who students >/dev/null || return 1
	portal-accounts -q lock shcheglova.iuliia2 --reason "потерян телефон" || return 1
	rm -r x7a x7b
	checkpoint
}

# rows_of IDS... < CSV: the header and the rows whose student_id is one of IDS.
rows_of() {
	awk -F, -v ids=" $* " 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "student_id") c = i; print; next }
		index(ids, " " $c " ") { print }'
}

# The verbs that act on people and list them (--all: everybody); the reports are of «2 четверть».
PEOPLE=(
	"portal-accounts list students"
	"portal-accounts list guardians"
	"portal-accounts groups list"
	"portal-consent status"
	"portal-consent missing"
	"portal-ack pending"
	"portal-report progress --by student"
	"portal-report attendance"
	"portal-db access"
)

# argv_of VERB: ARGV, the words of a verb line; a report's period (two words) added.
argv_of() {
	read -ra ARGV <<<"$1"
	if [ "${ARGV[0]}" = portal-report ] || [ "${ARGV[0]}" = portal-extract ]; then
		ARGV+=(--period "$P2")
	fi
}

@test "every verb that acts on people: two ids piped are those two people, the same rows as --all keeps of them" {
	local v
	printf '1024\n1040\n' >two.txt
	for v in "${PEOPLE[@]}"; do
		argv_of "$v"
		set -- "${ARGV[@]}"
		run --separate-stderr "$@" <two.txt
		[ "$status" -eq 0 ] || { echo "$v: exit $status: $stderr"; false; }
		same "$("$@" --all | rows_of 1024 1040)" "$output" "$v: the rows of 1024 and 1040"
		same "" "$stderr" "$v: nothing on standard error"
	done
	# and they are not nothing: the lists of the school have rows of both
	same "1024 1040" "$(portal-accounts list students <two.txt | tail -n +2 | cut -d, -f1 | sort | xargs)" "students"
	same "1040" "$(portal-ack pending <two.txt | tail -n +2 | cut -d, -f2 | xargs)" "pending: 1024's is acknowledged"
	same "G1,1024 G5,1040" "$(portal-consent status <two.txt | tail -n +2 | cut -d, -f1,2 | xargs)" "status"
}

@test "every verb that acts on people reads the same ids from a pipe, from - and from FILE, in CSV or one a line" {
	local v
	printf '1024\n1040\n' >two.txt
	printf 'class,student_id,name\n7А,1024,x\n7Б,1040,y\n' >two.csv
	for v in "${PEOPLE[@]}"; do
		argv_of "$v"
		set -- "${ARGV[@]}"
		want=$("$@" <two.txt)
		same "$want" "$(cat two.txt | "$@")" "$v: a pipe"
		same "$want" "$("$@" - <two.txt)" "$v: -"
		same "$want" "$("$@" two.txt </dev/null)" "$v: FILE"
		same "$want" "$("$@" two.csv </dev/null)" "$v: a CSV FILE by its student_id column"
		same "$want" "$(to_cp1251 <two.csv | sed 's/,/;/g' | "$@" --encoding cp1251)" "$v: cp1251 and ';'"
	done
}

@test "every verb that acts on people, given no ids (/dev/null, an empty pipe, an empty FILE): nobody, the header only" {
	local v
	: >empty.csv
	for v in "${PEOPLE[@]}" "portal-consent history" "portal-report student"; do
		argv_of "$v"
		set -- "${ARGV[@]}"
		header=$("$@" --all 2>/dev/null | head -1)
		[ -n "$header" ] || header=$("$@" </dev/null | head -1)
		run --separate-stderr "$@" </dev/null
		[ "$status" -eq 0 ] || { echo "$v: exit $status: $stderr"; false; }
		same "$header" "$output" "$v </dev/null: the header only"
		contains "no ids on standard input: nobody" "$stderr"
		run --separate-stderr bash -c ': | "$@"' _ "$@"
		same "$header" "$output" "$v: an empty pipe"
		run --separate-stderr "$@" empty.csv
		same "$header" "$output" "$v: an empty FILE"
		contains "no ids in empty.csv: nobody" "$stderr"
		run --separate-stderr "$@" -q </dev/null
		same "" "$stderr" "$v -q: quiet"
	done
}

@test "the writers that act on people, given no ids: issue and portal-extract make nothing, register nothing" {
	before=$(db_digest)
	run --separate-stderr portal-accounts issue --who all -o slips.csv </dev/null
	status_is 0
	same "" "$output" "issue: standard output"
	[ ! -e slips.csv ]
	run --separate-stderr portal-extract --period "$P2" -o ex/ </dev/null
	status_is 0
	same "extract_id,student_id,guardian_id,channel,code,file,sent" "$output" "portal-extract: the manifest's header"
	contains "no ids on standard input: nobody" "$stderr"
	same "$before" "$(db_digest)" "the store"
}

@test "on a terminal without a selector a verb acts on everybody the actor may read, as with --all" {
	local v
	for v in "portal-accounts list students" "portal-consent status" "portal-ack pending"; do
		# shellcheck disable=SC2086
		on_tty $v
		[ "$status" -eq 0 ] || { echo "$v: $output"; false; }
		# shellcheck disable=SC2086
		same "$($v --all)" "$(tr -d '\r' <<<"$output")" "$v on a terminal"
	done
	# the verbs that need a person say so on a terminal
	on_tty portal-consent history
	status_is 64
	on_tty portal-report student --period "$P2"
	status_is 64
	on_tty portal-extract --period "$P2"
	status_is 64
}

@test "ids together with a selector are 64, naming both; a selector with standard input a pipe reads no ids" {
	local v sel
	printf '1024\n' >one.txt
	before=$(db_digest)
	for v in "${PEOPLE[@]}" "portal-accounts issue" "portal-consent history" "portal-report student" "portal-extract"; do
		argv_of "$v"
		set -- "${ARGV[@]}"
		[ "$1" = portal-extract ] && set -- "$1" --period "$P2"
		case "$v" in
		*history*) sel=(--guardian G1) ;;
		*report\ student* | *access*) sel=(--student 1024) ;;
		*) sel=(--class 7А) ;;
		esac
		for f in one.txt -; do
			run --separate-stderr "$@" "${sel[@]}" "$f" <one.txt
			[ "$status" -eq 64 ] || { echo "$v ${sel[*]} $f: exit $status"; false; }
			contains "ids ($f) and ${sel[0]} together: give one or the other" "$stderr"
		done
		case "$v" in *history* | *student* | *access* | *extract*) continue ;; esac
		run --separate-stderr "$@" --all one.txt
		[ "$status" -eq 64 ] || { echo "$v --all one.txt: exit $status"; false; }
		contains "ids (one.txt) and --all together" "$stderr"
	done
	same "$before" "$(db_digest)" "the store"
	# a selector in a pipeline or under cron: standard input is not read
	same "$(portal-consent status --class 7Б </dev/null)" "$(portal-consent status --class 7Б <one.txt)" "status --class"
	same "$(portal-ack pending --all </dev/null)" "$(echo 1024 | portal-ack pending --all)" "pending --all"
}

@test "a guardian's id stands for the guardian and their children; a line of both for that link" {
	# G1: a mother of 1024 (7А) and 1031 (7Б)
	same "1024 1031" "$(echo G1 | portal-accounts list students | tail -n +2 | cut -d, -f1 | sort | xargs)" "her children"
	same "G1,1024 G1,1031" "$(echo G1 | portal-consent status | tail -n +2 | cut -d, -f1,2 | sort | xargs)" "her links"
	same "1024 1031" "$(echo G1 | portal-report attendance --period "$P2" | tail -n +2 | cut -d, -f1 | sort | xargs)" \
		"her children's attendance"
	# her children's extracts: the paper one of 1031 (the family's), none of 1024's pending
	same "6,1031,,paper" "$(echo G1 | portal-ack pending | tail -n +2 | cut -d, -f1,2,3,5)" "pending"
	# a student's id: every guardian of the student
	same "G2 G3" "$(echo 1025 | portal-accounts list guardians | tail -n +2 | cut -d, -f1 | xargs)" "1025's guardians"
	# a line of both (the output of status): that link; its family's paper extract too
	printf 'guardian_id,student_id\nG2,1025\n' >link.csv
	same "G2,1025" "$(portal-accounts list guardians link.csv | tail -n +2 | cut -d, -f1,2)" "the link"
	same "2,1025,,paper" "$(portal-ack pending link.csv | tail -n +2 | cut -d, -f1,2,3,5)" "G2's: the family's paper extract"
	# a pending paper extract (its guardian_id empty) stands for the student: all the guardians to call
	same "G2 G3 G4" "$(portal-ack pending --class 7А | portal-accounts list guardians | tail -n +2 | cut -d, -f1 | sort -u | xargs)" \
		"the guardians of 7А's pending extracts"
	# a mixed list, a student and a guardian, one a line: both
	same "1024 1031 1040" "$(printf '1040\nG1\n' | portal-accounts list students | tail -n +2 | cut -d, -f1 | sort | xargs)" "mixed"
}

@test "progress by subject of the ids: each class's subjects counted over the students given only" {
	run --separate-stderr portal-report progress --period "$P2" <<<$'1025\n1031'
	status_is 0
	same "7А,Математика,1,1 7А,Русский язык,1,1 7Б,Математика,1,1 7Б,Русский язык,1,1" \
		"$(tail -n +2 <<<"$output" | cut -d, -f1,2,4,5 | xargs -d '\n')" "class, subject, students, assessed"
	# 1025 fails mathematics, 1031 Russian
	same "7А,Математика,2 7Б,Русский язык,2" "$(tail -n +2 <<<"$output" | awk -F, '$13 == 1 { print $1 "," $2 ",2" }' | xargs -d '\n')" "n2"
	# one class's students: that class alone
	same "7Б" "$(echo 1040 | portal-report progress --period "$P2" | tail -n +2 | cut -d, -f1 | sort -u)" "7Б only"
}

@test "report student takes its one student from --student or from the ids; two is 64" {
	same "$(portal-report student --student 1025 --period "$P2")" "$(echo 1025 | portal-report student --period "$P2")" "piped"
	run --separate-stderr portal-report student --period "$P2" <<<$'1025\n1024'
	status_is 64
	contains "one student at a time, and stdin gives 2 students" "$stderr"
}

@test "history of the ids: the decisions of those guardians, and those for those students" {
	same "$(portal-consent history --guardian G2; portal-consent history --guardian G3 | tail -n +2)" \
		"$(echo 1025 | portal-consent history)" "1025: G2's and G3's decisions"
	same "$(portal-consent history --guardian G1)" "$(echo G1 | portal-consent history)" "G1"
	same "$(portal-consent history --guardian G1 | rows_of 1031)" "$(printf 'guardian_id,student_id\nG1,1031\n' | portal-consent history)" \
		"the link G1–1031"
}

@test "issue and portal-extract act on exactly the ids given" {
	run --separate-stderr portal-accounts issue --who all --reissue --dry-run <<<$'1024\n1040'
	status_is 0
	same "1024 1040" "$(tail -n +2 <<<"$output" | cut -d, -f2 | sort | xargs)" "issue: 1024 and 1040"
	run --separate-stderr portal-extract --period "$P2" --channel paper --dry-run -o ex/ <<<$'1024\n1040'
	status_is 0
	same "1024 1040" "$(tail -n +2 <<<"$output" | cut -d, -f2 | sort | xargs)" "extract: 1024 and 1040"
}

@test "an unknown id is 65 naming FILE:LINE; a person of a class the actor may not read is 77 naming the line" {
	local v
	printf '1024\n9999\n' >bad.txt
	for v in "portal-accounts list students" "portal-consent status" "portal-ack pending" "portal-report attendance"; do
		argv_of "$v"
		set -- "${ARGV[@]}"
		run --separate-stderr "$@" bad.txt
		[ "$status" -eq 65 ] || { echo "$v: exit $status"; false; }
		contains "bad.txt:2: 9999 is not a student or guardian of this store" "$stderr"
		same "" "$output" "$v: nothing on standard output"
	done
	# petrova leads 7А: 1031 (7Б) is not hers; G1 is (a child in 7А)
	for v in "portal-accounts list students" "portal-consent status" "portal-ack pending" "portal-report attendance"; do
		argv_of "$v"
		set -- "${ARGV[@]}"
		PORTAL_ACTOR=petrova run --separate-stderr "$@" <<<$'1024\n1031'
		[ "$status" -eq 77 ] || { echo "$v: exit $status"; false; }
		contains "stdin:2: 1031: not permitted: petrova (class_leader) lacks the right to read class 7Б" "$stderr"
		PORTAL_ACTOR=petrova run --separate-stderr "$@" <<<$'1024\nG1'
		[ "$status" -eq 0 ] || { echo "$v G1: exit $status: $stderr"; false; }
	done
	PORTAL_ACTOR=petrova run --separate-stderr portal-consent status <<<G5
	status_is 77
	contains "stdin:1: G5: not permitted: petrova (class_leader) lacks the right to read class 7Б" "$stderr"
}

@test "a verb that acts on no people refuses - (64) and changes nothing" {
	local v
	before=$(db_digest)
	for v in "portal-db migrate" "portal-db version" "portal-db config" "portal-db calendar list" "portal-db backup" \
		"portal-db check" "portal-db witness" "portal-db audit" "portal-db init --admin x" \
		"portal-accounts list staff" "portal-accounts set" "portal-accounts verify" "portal-accounts passwd" \
		"portal-accounts lock --reason x" "portal-accounts unlock" "portal-accounts breach --discovered-at 2026-11-01T00:00Z --reported-at 2026-11-01T00:00Z" \
		"portal-accounts breaches" \
		"portal-journal periods list" "portal-journal show --class 7А --from 2026-11-01 --to 2026-11-30" "portal-journal teachers --class 7А" \
		"portal-consent record --guardian G1 --decision given --signed-on 2026-11-01" \
		"portal-ack record" "portal-ack scan" "portal-ack status" \
		"portal-report coverage" "portal-report nightly --out n" \
		"portal-web sessions" "portal-web revoke" "portal-web check-config"; do
		read -ra ARGV <<<"$v"
		set -- "${ARGV[@]}"
		run --separate-stderr "$@" - <<<1024
		[ "$status" -eq 64 ] || { echo "$v -: exit $status: $stderr"; false; }
		contains "reads nothing from - (standard input): it acts on no people given as ids and reads no file" "$stderr"
	done
	same "$before" "$(db_digest)" "the store"
	[ ! -e n ]
}

# ---- the filters ----

@test "consent status --channel and --decision: the rows of that channel, that standing decision" {
	all=$(portal-consent status --all)
	for ch in paper electronic; do
		same "$(awk -F, -v c=$ch 'NR == 1 || $9 == c' <<<"$all")" "$(portal-consent status --all --channel $ch)" "--channel $ch"
	done
	for d in given refused withdrawn none; do
		same "$(awk -F, -v d=$d 'NR == 1 || $6 == d' <<<"$all")" "$(portal-consent status --all --decision $d)" "--decision $d"
	done
	same "G1,1031 G2,1025" "$(portal-consent status --all --decision отказ | tail -n +2 | cut -d, -f1,2 | sort | xargs)" \
		"the Russian word, as record reads it"
	same "G4,1026" "$(portal-consent status --class 7А --channel paper --decision none | tail -n +2 | cut -d, -f1,2)" "both, and --class"
	same "G1,1024" "$(echo G1 | portal-consent status --channel electronic | tail -n +2 | cut -d, -f1,2)" "and ids"
	run --separate-stderr portal-consent status --all --channel fax
	status_is 64
	contains "--channel fax: expected paper or electronic" "$stderr"
	run --separate-stderr portal-consent status --all --decision maybe
	status_is 64
	contains "--decision maybe: expected given, refused, withdrawn or none" "$stderr"
}

@test "ack pending --days-waiting N: the extracts waiting N days or more, by the school's days" {
	# 7А's were made on 16 November (12 days), 7Б's on 25 November (3 days)
	same "1 2 4 5 6" "$(portal-ack pending --all --days-waiting 0 | tail -n +2 | cut -d, -f1 | xargs)" "0"
	same "1 2 4 5 6" "$(portal-ack pending --all --days-waiting 3 | tail -n +2 | cut -d, -f1 | xargs)" "3"
	same "1 2 4" "$(portal-ack pending --all --days-waiting 4 | tail -n +2 | cut -d, -f1 | xargs)" "4"
	same "1 2 4" "$(portal-ack pending --all --days-waiting 12 | tail -n +2 | cut -d, -f1 | xargs)" "12"
	same "" "$(portal-ack pending --all --days-waiting 13 | tail -n +2)" "13"
	# a day is the school's: at 23:30 in Moscow (20:30 UTC) on 28 November 7Б's have waited 3 days,
	# five minutes later (the 29th in Moscow) 4
	same "1 2 4" "$(PORTAL_NOW=2026-11-28T20:30:00Z portal-ack pending --all --days-waiting 4 | tail -n +2 | cut -d, -f1 | xargs)" "28th"
	same "1 2 4 5 6" "$(PORTAL_NOW=2026-11-28T21:05:00Z portal-ack pending --all --days-waiting 4 | tail -n +2 | cut -d, -f1 | xargs)" "29th"
	# the figure agrees with its days_waiting column
	same "$(portal-ack pending --all | awk -F, 'NR == 1 || $7 >= 5')" "$(portal-ack pending --all --days-waiting 5)" "days_waiting >= 5"
	run --separate-stderr portal-ack pending --all --days-waiting 1 --fail-if-any
	status_is 1
	run --separate-stderr portal-ack pending --all --days-waiting 30 --fail-if-any
	status_is 0
	for bad in -1 x 2d ""; do
		run --separate-stderr portal-ack pending --all --days-waiting "$bad"
		status_is 64
		contains "--days-waiting $bad: expected a number of days, 0 or more" "$stderr"
	done
}

@test "accounts list --without-account: exactly those plain issue gives credentials; --locked: the locked accounts" {
	same "1031 1040" "$(portal-accounts list students --all --without-account | tail -n +2 | cut -d, -f1 | sort | xargs)" "students"
	same "1026" "$(portal-accounts list students --all --locked | tail -n +2 | cut -d, -f1)" "locked"
	same "1024,shcheglova.iuliia" "$(printf '1024\n1040\n' | portal-accounts list students --without-account --locked |
		tail -n +2 | cut -d, -f1,11)$(printf '1024\n' | portal-accounts list students | tail -n +2 | cut -d, -f1,11)" "ids and filters"
	same "G1 G2 G3 G4 G5" "$(portal-accounts list guardians --all --without-account | tail -n +2 | cut -d, -f1 | sort -u | xargs)" "guardians"
	same "T1 T2 T3 T4 admin" "$(portal-accounts list staff --without-account | tail -n +2 | cut -d, -f1 | sort | xargs)" "staff"
	# the list, piped to issue, issues exactly its people; then there is nobody left
	portal-accounts list students --all --without-account | portal-accounts -q issue --who students >slips.csv
	same "1031 1040" "$(tail -n +2 slips.csv | cut -d, -f2 | sort | xargs)" "issued"
	same "" "$(portal-accounts list students --all --without-account | tail -n +2)" "none left"
	# an account a leaked login issued does not count: plain issue gives a new one, so it is listed
	PORTAL_ACTOR=admin portal-accounts -q issue --who staff --all >/dev/null
	PORTAL_NOW=2026-11-28T10:00:00Z PORTAL_ACTOR=petrova portal-accounts -q issue --class 7А --who guardians >/dev/null
	PORTAL_NOW=2026-11-28T11:00:00Z portal-accounts -q breach petrova --discovered-at 2026-11-28T09:30:00Z \
		--reported-at 2026-11-28T09:45:00Z >/dev/null
	same "G1 G2 G3 G4 G5" "$(portal-accounts list guardians --all --without-account | tail -n +2 | cut -d, -f1 | sort -u | xargs)" \
		"guardians whose accounts a leaked login issued"
}

# ---- the pipelines of the man pages ----

# man_examples PAGE: the examples of share/man/PAGE.1 marked «.\" pipe.bats» print what the page shows.
man_examples() {
	run python3 "$ROOT/tests/cli/docs.py" examples "$ROOT/share/man/$1.1"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "portal-accounts(1) EXAMPLES: its pipelines print what the page shows" {
	man_examples portal-accounts
}

@test "portal-consent(1) EXAMPLES: its pipelines print what the page shows" {
	man_examples portal-consent
}

@test "portal-ack(1) EXAMPLES: its pipelines print what the page shows" {
	man_examples portal-ack
}

@test "portal-report(1) EXAMPLES: its pipelines print what the page shows" {
	man_examples portal-report
}

@test "portal-extract(1) EXAMPLES: its pipelines print what the page shows" {
	man_examples portal-extract
}

@test "portal-journal(1) EXAMPLES: its pipelines print what the page shows" {
	man_examples portal-journal
}

@test "portal-db(1) EXAMPLES: its pipelines print what the page shows (after views in the web cabinet)" {
	# 1025's father, who agreed to electronic information, looks at his son's marks and journal
	portal-db -q config web.insecure_cookie 1
	echo G3 | portal-accounts -q issue --who guardians >cred.csv
	CRED=$PWD/cred.csv JAR=$PWD/jar
	serve
	fresh_login guardian G3
	get /student/1025
	[ "$status_code" = 200 ]
	get /student/1025/journal
	[ "$status_code" = 200 ]
	web_teardown
	SERVER_PID=
	man_examples portal-db
}

@test "docs.py examples finds a pipeline that prints something else than its page shows" {
	sed 's/^G5,1040,Орлов,Игорь,+79120000005$/G5,1040,Орлов,Игорь,+79120000009/' "$ROOT/share/man/portal-accounts.1" >changed.1
	! cmp -s changed.1 "$ROOT/share/man/portal-accounts.1"
	run python3 "$ROOT/tests/cli/docs.py" examples changed.1
	status_is 1
	contains "+79120000009"
	printf '.Sh EXAMPLES\n.Bd -literal\n$ true\n.Ed\n' >none.1
	run python3 "$ROOT/tests/cli/docs.py" examples none.1
	status_is 2
}
