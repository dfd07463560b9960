#!/usr/bin/env bats
# The README runs as written: its tour, from the repository's root on a copy of share/examples,
# and every crontab of the README and the man pages under cron's environment (env -i; PATH is
# /usr/bin:/bin unless the crontab sets it). What a test machine has not, a stand-in gives:
#  - a printer: lp keeps what it is given in ~/lp.out;
#  - the school's mail server: smtp.school.example is tests/cli/smtp-sink.py on 127.0.0.1;
#  - a free port: 8080 may be taken, the cabinet listens on a free one;
#  - the installed binaries and the server's folders: /usr/local/bin is this tree's binaries,
#    /srv/portal, /var/lib/portal and /var/backups/portal are folders of the test;
#  - mail(1): keeps each message in ~/mailbox.
# The clock is fixed after the tour's dates (PORTAL_NOW), so the tour gives the same every day.

load helpers
bats_require_minimum_version 1.5.0


NOW=2026-12-03T09:00:00Z

teardown() {
	smtp_stop
}

# stand_ins DIR: lp and mail that keep what they are given in $HOME; the tree's binaries beside them
stand_ins() {
	local d=$1 b
	mkdir -p "$d"
	printf '#!/bin/sh\n# a printer: keeps the job\ncat "$@" >> "$HOME/lp.out"\n' > "$d/lp"
	printf '#!/bin/sh\n# mail -s SUBJECT TO < BODY: keeps the message\n{ echo "To: $3"; echo "Subject: $2"; echo; cat; echo; } >> "$HOME/mailbox"\n' > "$d/mail"
	chmod +x "$d/lp" "$d/mail"
	for b in "${PORTAL_BIN:-$ROOT/bin}"/portal-*; do ln -sf "$b" "$d/"; done
}

@test "the README's tour runs as written on share/examples, line by line" {
	local home=$BATS_TEST_TMPDIR/home port
	mkdir -p "$home"
	stand_ins "$BATS_TEST_TMPDIR/stand-ins"
	smtp_start
	port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	"$PY" "$BATS_TEST_DIRNAME/docs.py" tour "$ROOT/README.md" |
		sed -e "s|--host=smtp.school.example|--host=127.0.0.1 --port=$SMTP_PORT --auth=off --tls=off|" \
		    -e "s|127.0.0.1:8080|127.0.0.1:$port|" > tour.sh
	[ "$(wc -l < tour.sh)" -gt 60 ]
	# each line in one shell, in order; a line that fails stops the tour and is named
	run env -i "${SAN_ENV[@]}" HOME="$home" PATH="$BATS_TEST_TMPDIR/stand-ins:/usr/bin:/bin" LANG=C.UTF-8 \
		PORTAL_NOW=$NOW DOC_LINES="$BATS_TEST_TMPDIR/tour.sh" bash -c "cd '$ROOT' && . '$BATS_TEST_DIRNAME/run-lines.sh'"
	echo "$output" | tail -20
	[ "$status" -eq 0 ]
	[[ ${lines[-1]} == "lines: "*" ran" ]]
	# what it made: slips and extracts at the printer, e-mails at the mail server, files in ~/school
	grep -q 'Логин:' "$home/lp.out"
	grep -q '%PDF-' "$home/lp.out"
	[ "$(ls "$SINK"/*.eml | wc -l)" -gt 0 ]
	pdftotext "$home/school/7а.pdf" - | grep -q 'Выписка из электронного журнала'
	[ -s "$home/school/журнал-7а.xlsx" ] && [ -s "$home/school/посещаемость-7а.xlsx" ]
	ls "$home"/school/school-*.db
	# the store the tour made is whole
	PORTAL_DB=$home/school/school.db run portal-db check
	[ "$status" -eq 0 ]
}

@test "every crontab of the README and the man pages runs under cron's environment" {
	local srv=$BATS_TEST_TMPDIR/srv
	mkdir -p "$srv" "$BATS_TEST_TMPDIR/backups" "$BATS_TEST_TMPDIR/home"
	stand_ins "$BATS_TEST_TMPDIR/usr-local-bin"
	# the school of share/examples in /srv/portal/portal.db, with extracts of 5А to acknowledge
	export PORTAL_DB=$srv/portal.db PORTAL_NOW=$NOW
	examples_school
	portal-extract -q --class 5А --period "2 четверть" --channel paper -o "$BATS_TEST_TMPDIR/5a.txt" >/dev/null
	portal-db -q config audit.witness "$BATS_TEST_TMPDIR/witness.log"
	unset PORTAL_DB PORTAL_ACTOR
	run env -i "${SAN_ENV[@]}" HOME="$BATS_TEST_TMPDIR/home" LOGNAME=root PORTAL_NOW=$NOW "$PY" "$BATS_TEST_DIRNAME/docs.py" crontabs \
		--map /usr/local/bin="$BATS_TEST_TMPDIR/usr-local-bin" --map /srv/portal="$srv" \
		--map /var/lib/portal="$srv" --map /var/backups/portal="$BATS_TEST_TMPDIR/backups" \
		"$ROOT/README.md" "$ROOT"/share/man/*.[1-9]
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "7 jobs, 0 failed" ]
	# portal(7) gathers the store owner's and a class leader's jobs; those of other pages run once
	[ "$(grep -c '^portal\.7: ' <<<"$output")" -eq 4 ]
	# what the jobs left: the night's workbooks, a backup, the witness, the class leaders' mail
	ls "$srv"/reports/*/7А.xlsx
	ls "$BATS_TEST_TMPDIR"/backups/portal-*.db
	[ -s "$BATS_TEST_TMPDIR/witness.log" ]
	grep -q 'Subject: Нет решения о согласии: 7А' "$BATS_TEST_TMPDIR/home/mailbox"
	grep -q 'Subject: Не ознакомлены с выписками: 5А' "$BATS_TEST_TMPDIR/home/mailbox"
	# the lists themselves, kept by -o although --fail-if-any exits 1
	grep -q '^guardian_id  *student_id' "$BATS_TEST_TMPDIR/home/mailbox"
	grep -q '^extract_id  *student_id' "$BATS_TEST_TMPDIR/home/mailbox"
}

@test "share/examples is what make examples makes from the synthetic school" {
	sh "$ROOT/tests/synth/examples.sh" "$SYNTH" fresh
	cp "$ROOT/share/examples/производственный-календарь-2026-2027.csv" fresh/
	diff -r "$ROOT/share/examples" fresh
}

@test "the README's district runs as written on PostgreSQL: a database, a school, the roles of its staff" {
	pg_only "the district's store is a PostgreSQL database"
	local x db
	x=$(pg_school "$(store_at "$BATS_TEST_TMPDIR/region")" | cut -c2-9)
	db=region_$x	# the cluster's names are shared by the tests: this one's own
	# the DBA's sudo is this cluster's own user (the PG* variables), $USER a role of this test
	"$PY" "$BATS_TEST_DIRNAME/docs.py" tour "$ROOT/README.md" "A district or a region" |
		sed -e 's/^sudo -u postgres //' -e "s/\bregion\b/$db/g" > district.sh
	same 5 "$(wc -l < district.sh)" "command lines"
	# the staff the tour imports, with a class leader whose OS login is their os_user
	printf '%s\n' staff_id,last_name,first_name,role,login,os_user,classes \
		"T3,Ерёмина,Валентина,class_leader,lead7a,lead7a_$x,7А" > staff.csv
	printf '%s\n' student_id,last_name,first_name,birth_date,class S1,Иванов,Иван,2013-01-01,7А \
		S2,Сидорова,Анна,2013-03-03,7Б > students.csv
	run env USER="admin_$x" ROOT="$ROOT" DISTRICT="$BATS_TEST_TMPDIR/district.sh" WORK="$BATS_TEST_TMPDIR" bash -c '
		set -e
		cd "$ROOT"
		n=0
		while IFS= read -r line <&3; do
			n=$((n + 1))
			if [ $n -eq 5 ]; then	# the staff and the roster come in as in the tour
				portal-accounts -q import staff "$WORK/staff.csv"
				portal-accounts -q import students "$WORK/students.csv"
			fi
			echo "\$ $line"
			eval "$line"
		done 3< "$DISTRICT"
		echo "$PORTAL_DB" > "$WORK/store"'
	echo "$output"
	status_is 0
	local store
	store=$(cat store)
	same "postgresql:///$db?school=school_8" "$store" "the store"
	run --separate-stderr portal-db check --db "$store"
	status_is 0
	# the class leader's role, with a password as this cluster authenticates: they act as themself
	psql -XAtq -c "ALTER ROLE lead7a_$x PASSWORD 'pw-$x'"
	run --separate-stderr env -u PORTAL_ACTOR PGUSER="lead7a_$x" PGPASSWORD="pw-$x" portal-accounts list students --class 7А --db "$store"
	status_is 0
	has_line "S1,Иванов,Иван,,2013-01-01,7А,,,active,,"
	run --separate-stderr env PORTAL_ACTOR=admin PGUSER="lead7a_$x" PGPASSWORD="pw-$x" portal-accounts list students --db "$store"
	status_is 77
}
