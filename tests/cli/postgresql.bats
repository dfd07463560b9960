#!/usr/bin/env bats
# The PostgreSQL engine's own promises (make check-pg runs them; on SQLite they are
# skipped, saying so): many schools in one database, a schema each, each with its
# own audit chain; init, messages and backup on a server.

load helpers
load web-helpers
bats_require_minimum_version 1.5.0

teardown() {
	web_teardown
}

@test "two schools in one database: the same student id in both, no data crosses, a chain each" {
	pg_only "two schools are two schemas of one PostgreSQL database"
	local a b
	a=$(store_at "$BATS_TEST_TMPDIR/school8.db") b=$(store_at "$BATS_TEST_TMPDIR/school9.db")
	portal-db -q init --admin admin --db "$a"
	portal-db -q init --admin admin --db "$b"
	printf '%s\n' student_id,last_name,first_name,birth_date,class S1,Иванов,Иван,2013-01-01,7А >a.csv
	printf '%s\n' student_id,last_name,first_name,birth_date,class S1,Петрова,Анна,2012-02-02,8Б >b.csv
	portal-accounts -q import students --db "$a" a.csv
	portal-accounts -q import students --db "$b" b.csv
	run --separate-stderr portal-accounts list students --all --db "$a"
	status_is 0
	has_line "S1,Иванов,Иван,,2013-01-01,7А,,,active,,"
	lacks "Петрова"
	run --separate-stderr portal-accounts list students --all --db "$b"
	has_line "S1,Петрова,Анна,,2012-02-02,8Б,,,active,,"
	lacks "Иванов"
	# a change in one school is not in the other, and each chain holds its own records
	portal-accounts -q set S1 phone="8 (912) 345-67-89" --db "$a"
	same "+79123456789" "$(q "SELECT phone FROM students" "$a")" "school 8's phone"
	same "" "$(q "SELECT phone FROM students" "$b")" "school 9's phone"
	same 3 "$(audit_count "$a")" "school 8's audit records"
	same 2 "$(audit_count "$b")" "school 9's audit records"
	run --separate-stderr portal-db check --db "$a"
	status_is 0
	run --separate-stderr portal-db check --db "$b"
	status_is 0
}

@test "init on a school that holds a store exits 73 and leaves it; a school that is not there is 66" {
	pg_only "a school is a schema of a PostgreSQL database"
	new_store
	before=$(db_digest)
	run --separate-stderr portal-db init --admin other
	status_is 73
	contains "a store already exists there" "$stderr"
	same "$before" "$(db_digest)" "store digest"
	run --separate-stderr portal-db version --db "$(store_at "$BATS_TEST_TMPDIR/none.db")"
	status_is 66
	contains "no store in schema" "$stderr"
}

@test "init refuses a database that sorts text by a language (78): portal sorts byte by byte, as on SQLite" {
	pg_only "a database's collation is PostgreSQL's"
	local x db
	x=$(pg_school | cut -c2-9)
	db="ru_$x"
	createdb --locale-provider=icu --icu-locale=ru-RU --template=template0 "$db"
	run --separate-stderr portal-db init --admin admin --db "postgresql:///$db?school=s8"
	status_is 78
	contains "the database $db (ru-RU) sorts text by a language, not byte by byte as portal does (as SQLite): make it with createdb --locale=C.UTF-8 --template=template0 NAME" "$stderr"
	same 0 "$(psql -d "$db" -XAtq -c "SELECT count(*) FROM pg_namespace WHERE nspname = 's8'")" "schemas made"
	dropdb "$db"
}

@test "the school is the search path's first schema when the URI names none (options=-csearch_path)" {
	pg_only "search_path is PostgreSQL's"
	local uri="postgresql:///${PGDATABASE:-postgres}?options=-csearch_path%3Dschool_sp"
	run --separate-stderr portal-db init --admin admin --db "$uri"
	status_is 0
	same 1 "$(psql -XAtq -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'school_sp'")" "schema school_sp"
	run --separate-stderr portal-db audit --db "$uri"
	status_is 0
	contains "portal-db,init,staff:admin"
}

@test "a password in the URI never reaches a message" {
	pg_only "the URI is PostgreSQL's"
	run --separate-stderr portal-db version --db "postgresql://nobody:s3cret@127.0.0.1:1/x?school=a"
	status_is 69
	lacks "s3cret" "$stderr"
	contains "postgresql://nobody@127.0.0.1:1/x" "$stderr"
}

@test "backup calls pg_dump for the school's schema: a 0600 file that pg_restore reads" {
	pg_only "the backup of a PostgreSQL school is pg_dump's"
	new_store
	run --separate-stderr portal-db backup b.dump
	status_is 0
	same 600 "$(file_mode b.dump)" "mode"
	pg_restore --list b.dump | grep -q "TABLE DATA $(pg_school) audit"
	run --separate-stderr portal-db backup b.dump
	status_is 73
}

# ---- the database role is the actor ----

# role_school STORE SUFFIX: a school with an admin, a deputy and the class leaders of 7А and 7Б, whose
# os_users are roles named with SUFFIX (roles are the cluster's, so each test names its own); two
# students of 7А and one of 7Б, each with a guardian; then grants.sh gives the roles their rights.
role_school() {
	local db=$1 x=$2
	portal-db -q init --admin admin --db "$db" || return 1
	printf '%s\n' staff_id,last_name,first_name,role,login,os_user,classes \
		"T2,Соловьёва,Елена,deputy,deputy,dep_$x," \
		"T3,Ерёмина,Валентина,class_leader,lead7a,lead7a_$x,7А" "T4,Колесникова,Антонина,class_leader,lead7b,lead7b_$x,7Б" >staff.csv
	printf '%s\n' student_id,last_name,first_name,birth_date,class S1,Иванов,Иван,2013-01-01,7А \
		S2,Петров,Пётр,2013-02-02,7А S3,Сидорова,Анна,2013-03-03,7Б >students.csv
	printf '%s\n' guardian_id,student_id,last_name,first_name P1,S1,Иванова,Ольга P2,S2,Петрова,Мария \
		P3,S3,Сидоров,Олег >guardians.csv
	local k
	for k in staff students guardians; do
		portal-accounts -q import "$k" --db "$db" "$k.csv" || return 1
	done
	sh "$ROOT/share/postgresql/grants.sh" "$(pg_school "$db")" >/dev/null || return 1
	# how a role authenticates is the DBA's: here a password over TCP, as the cluster asks
	for k in dep lead7a lead7b; do
		psql -XAtq -c "ALTER ROLE ${k}_$x PASSWORD 'pw-$x'" || return 1
	done
}

# as_role ROLE COMMAND…: the command connected as the database role ROLE, with no actor named
as_role() {
	local role=$1
	shift
	env -u PORTAL_ACTOR PGUSER="$role" PGPASSWORD="pw-${role##*_}" "$@"
}

@test "a role that does not own the school acts as the staff member whose os_user it is, and as nobody else (77)" {
	pg_only "the database role is the actor on PostgreSQL"
	local x
	x=$(pg_school | cut -c2-9)
	role_school "$PORTAL_DB" "$x"
	run --separate-stderr as_role "lead7a_$x" portal-accounts list students --class 7А
	status_is 0
	has_line "S1,Иванов,Иван,,2013-01-01,7А,,,active,,"
	run --separate-stderr as_role "lead7a_$x" portal-accounts list students --class 7Б
	status_is 77
	contains "lead7a (class_leader) lacks the right to read class 7Б" "$stderr"
	# naming its own staff login is the same; anyone else is refused, by --actor or PORTAL_ACTOR
	run --separate-stderr as_role "lead7a_$x" portal-accounts list students --class 7А --actor lead7a
	status_is 0
	run --separate-stderr as_role "lead7a_$x" portal-accounts list students --class 7Б --actor lead7b
	status_is 77
	contains "the database role lead7a_$x does not own the school, so it may act only as the staff member whose os_user is lead7a_$x, not as lead7b" "$stderr"
	run --separate-stderr as_role "lead7a_$x" env PORTAL_ACTOR=admin portal-accounts list staff
	status_is 77
	contains "not as admin" "$stderr"
	same "" "$output" "stdout"
	# a role that is no staff member's os_user acts as nobody
	psql -XAtq -c "CREATE ROLE stranger_$x LOGIN PASSWORD 'pw-$x' IN ROLE $(pg_school)_read"
	run --separate-stderr as_role "stranger_$x" portal-accounts list students --class 7А
	status_is 77
	contains "the database role stranger_$x is no staff member's os_user in this store" "$stderr"
	# the owner of the schema (this cluster's superuser here) acts as anyone, as before
	run --separate-stderr portal-accounts list students --class 7Б --actor lead7b
	status_is 0
	has_line "S3,Сидорова,Анна,,2013-03-03,7Б,,,active,,"
}

@test "a class leader's role of school 8 cannot read school 9, through portal or psql" {
	pg_only "two schools are two schemas of one PostgreSQL database"
	local a b x y
	a=$(store_at "$BATS_TEST_TMPDIR/school8.db") b=$(store_at "$BATS_TEST_TMPDIR/school9.db")
	x=$(pg_school "$a" | cut -c2-9) y=$(pg_school "$b" | cut -c2-9)
	role_school "$a" "$x"
	role_school "$b" "$y"
	run --separate-stderr as_role "lead7a_$x" portal-accounts list students --class 7А --db "$a"
	status_is 0
	has_line "S1,Иванов,Иван,,2013-01-01,7А,,,active,,"
	run --separate-stderr as_role "lead7a_$x" portal-accounts list students --class 7А --db "$b"
	status_is 77
	contains "the database role lead7a_$x may not use the school $(pg_school "$b")" "$stderr"
	same "" "$output" "stdout"
	run --separate-stderr as_role "lead7a_$x" psql -XAtq -c "SELECT count(*) FROM $(pg_school "$b").students"
	[ "$status" -ne 0 ]
	contains "permission denied for schema $(pg_school "$b")" "$stderr"
	# the deputy of school 8 reads all of school 8, and nothing of school 9
	run --separate-stderr as_role "dep_$x" portal-consent status --all --db "$a"
	status_is 0
	same 4 "$(wc -l <<<"$output")" "status rows with the header"
	run --separate-stderr as_role "dep_$x" portal-consent status --all --db "$b"
	status_is 77
}

@test "a role's writes are refused where it lacks the grant: the deputy's role reads only, the staff list is the DBA's" {
	pg_only "grants are PostgreSQL's"
	local x before
	x=$(pg_school | cut -c2-9)
	role_school "$PORTAL_DB" "$x"
	# the class leader records a consent for their class: the grant is there
	run --separate-stderr as_role "lead7a_$x" portal-consent record --guardian P1 --decision given --signed-on 2026-11-20
	status_is 0
	# the same role with read-only rights (as the deputy's): the database refuses, nothing is written
	psql -XAtq -c "REVOKE $(pg_school)_class_leader FROM lead7a_$x; GRANT $(pg_school)_read TO lead7a_$x"
	before=$(db_digest)
	run --separate-stderr as_role "lead7a_$x" portal-consent record --guardian P2 --decision given --signed-on 2026-11-20
	status_is 77
	contains "not permitted:" "$stderr"
	contains "(the database role lacks the grant)" "$stderr"
	same "$before" "$(db_digest)" "store digest"
	run --separate-stderr as_role "dep_$x" portal-accounts import students students.csv
	status_is 77
	same "$before" "$(db_digest)" "store digest"
	# no role but the owner changes the staff list: a class leader cannot make itself admin
	run --separate-stderr as_role "lead7b_$x" psql -XAtq -c "UPDATE $(pg_school).staff SET role = 'admin' WHERE login = 'lead7b'"
	[ "$status" -ne 0 ]
	contains "permission denied for table staff" "$stderr"
	# grants.sh again puts the role back in its group, and out of the other
	sh "$ROOT/share/postgresql/grants.sh" "$(pg_school)" >/dev/null
	same "$(pg_school)_class_leader" "$(psql -XAtq -c "SELECT string_agg(g.rolname, ',') FROM pg_auth_members a
		JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member WHERE m.rolname = 'lead7a_$x'")" "groups"
	run --separate-stderr as_role "lead7a_$x" portal-consent record --guardian P2 --decision given --signed-on 2026-11-20
	status_is 0
	run --separate-stderr portal-db check
	status_is 0
}

# lead_sql SUFFIX SQL: SQL run by psql as the role of 7А's class leader, in the school's schema
lead_sql() {
	as_role "lead7a_$1" env PGOPTIONS="-csearch_path=$(pg_school)" psql -XAtq -v ON_ERROR_STOP=1 -c "$2"
}

# policies: the school's row-level security as the catalogue has it (tables, policies, expressions)
policies() {
	psql -XAtq -c "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c
		WHERE c.relnamespace = '$(pg_school)'::regnamespace AND c.relkind = 'r' ORDER BY 1" \
		-c "SELECT tablename, policyname, permissive, roles, cmd, qual, with_check FROM pg_policies
		WHERE schemaname = '$(pg_school)' ORDER BY 1, 2"
}

@test "row-level security: a class leader's role writes only the rows of its own classes, even with psql" {
	pg_only "row-level security is PostgreSQL's"
	local x before p
	x=$(pg_school | cut -c2-9)
	role_school "$PORTAL_DB" "$x"
	before=$(db_digest)
	# a 7Б student is not theirs to change: no row is updated, none is added, none moves to 7Б
	run --separate-stderr lead_sql "$x" "WITH u AS (UPDATE students SET phone = '+79990000000' WHERE student_id = 'S3'
		RETURNING 1) SELECT count(*) FROM u"
	status_is 0
	same 0 "$output" "rows updated in 7Б"
	run --separate-stderr lead_sql "$x" "INSERT INTO students (student_id, last_name, first_name, birth_date, class)
		VALUES ('S9', 'Орлова', 'Вера', '2013-04-04', '7Б')"
	[ "$status" -ne 0 ]
	contains 'new row violates row-level security policy for table "students"' "$stderr"
	run --separate-stderr lead_sql "$x" "UPDATE students SET class = '7Б' WHERE student_id = 'S1'"
	[ "$status" -ne 0 ]
	contains 'new row violates row-level security policy for table "students"' "$stderr"
	# nor a consent of a 7Б child, nor a 7Б guardian's data, nor their link to a child of 7А
	run --separate-stderr lead_sql "$x" "INSERT INTO consents (guardian_id, student_id, decision, signed_on, recorded_at,
		audit_seq) VALUES ('P3', 'S3', 'given', '2026-11-20', '2026-11-20T10:00:00Z', (SELECT max(seq) FROM audit))"
	[ "$status" -ne 0 ]
	contains 'new row violates row-level security policy for table "consents"' "$stderr"
	run --separate-stderr lead_sql "$x" "WITH u AS (UPDATE guardians SET phone = '+79990000000' WHERE guardian_id = 'P3'
		RETURNING 1) SELECT count(*) FROM u"
	status_is 0
	same 0 "$output" "7Б guardians updated"
	run --separate-stderr lead_sql "$x" "INSERT INTO guardian_links (guardian_id, student_id, relation) VALUES ('P3', 'S1', 'father')"
	[ "$status" -ne 0 ]
	contains 'new row violates row-level security policy for table "guardian_links"' "$stderr"
	same "$before" "$(db_digest)" "store digest"
	# reads stay per table: the role reads 7Б with psql (the tools refuse it, 77)
	run --separate-stderr lead_sql "$x" "SELECT count(*) FROM students"
	same 3 "$output" "students the role reads"
	# its own class it writes
	run --separate-stderr lead_sql "$x" "WITH u AS (UPDATE students SET phone = '+79991112233' WHERE student_id = 'S1'
		RETURNING 1) SELECT count(*) FROM u"
	status_is 0
	same 1 "$output" "rows updated in 7А"
	same +79991112233 "$(q "SELECT phone FROM students WHERE student_id = 'S1'")" "S1's phone"
	# grants.sh again changes nothing
	p=$(policies)
	contains "students|t|f" "$p"
	sh "$ROOT/share/postgresql/grants.sh" "$(pg_school)" >/dev/null
	same "$p" "$(policies)" "the policies after grants.sh again"
	# without row-level security the same statement changes 7Б: the 0 above is the policy's
	psql -XAtq -c "ALTER TABLE $(pg_school).students DISABLE ROW LEVEL SECURITY"
	run --separate-stderr lead_sql "$x" "WITH u AS (UPDATE students SET phone = '+79990000000' WHERE student_id = 'S3'
		RETURNING 1) SELECT count(*) FROM u"
	same 1 "$output" "rows updated in 7Б without row-level security"
	# and grants.sh puts it back
	sh "$ROOT/share/postgresql/grants.sh" "$(pg_school)" >/dev/null
	same "$p" "$(policies)" "the policies grants.sh restores"
	run --separate-stderr lead_sql "$x" "WITH u AS (UPDATE students SET phone = NULL WHERE student_id = 'S3'
		RETURNING 1) SELECT count(*) FROM u"
	same 0 "$output" "rows updated in 7Б"
}

@test "row-level security: the tools do a class leader's work for their class as its role, roster to acknowledgement" {
	pg_only "row-level security is PostgreSQL's"
	local x code
	x=$(pg_school | cut -c2-9)
	role_school "$PORTAL_DB" "$x"
	printf '%s\n' name,start,end "2 четверть,2026-11-01,2026-12-28" >periods.csv
	portal-journal -q periods import periods.csv
	# the roster of 7А: a phone changed, a student added; a new guardian, a guardian's second child
	printf '%s\n' student_id,last_name,first_name,birth_date,class,phone S1,Иванов,Иван,2013-01-01,7А,+79991112233 \
		S2,Петров,Пётр,2013-02-02,7А, S4,Орлова,Вера,2013-04-04,7А, >mine.csv
	run --separate-stderr as_role "lead7a_$x" portal-accounts import students mine.csv
	status_is 0
	contains "inserted 1, updated 1, unchanged 1" "$stderr"
	printf '%s\n' guardian_id,student_id,last_name,first_name,phone P1,S1,Иванова,Ольга,+79994445566 P4,S4,Орлов,Олег, \
		P2,S1,Петрова,Мария, >mine.csv
	run --separate-stderr as_role "lead7a_$x" portal-accounts import guardians mine.csv
	status_is 0
	contains "links added or changed 2" "$stderr"
	printf '%s\n' class,group,subject,student_id "7А,1 группа,Английский язык,S1" ",Поток,Информатика,S2" >mine.csv
	run --separate-stderr as_role "lead7a_$x" portal-accounts groups import mine.csv
	status_is 0
	contains "inserted 2" "$stderr"
	run --separate-stderr as_role "lead7a_$x" portal-accounts issue --class 7А --who all
	status_is 0
	contains "issued 6 accounts" "$stderr"
	run --separate-stderr as_role "lead7a_$x" portal-consent record --guardian P1 --decision given --signed-on 2026-11-20
	status_is 0
	run --separate-stderr as_role "lead7a_$x" portal-extract --class 7А --period "2 четверть" -o x/
	status_is 0
	code=$(awk -F, '$2 == "S4" { print $5 }' <<<"$output")
	[ -n "$code" ]
	run --separate-stderr as_role "lead7a_$x" portal-ack record "$code"
	status_is 0
	has_line "$code,ok"
	# all of it is in the store, in an unbroken chain
	same "+79991112233|+79994445566|7А|2|6|1|3|1" "$(q "SELECT (SELECT phone FROM students WHERE student_id = 'S1'),
		(SELECT phone FROM guardians WHERE guardian_id = 'P1'), (SELECT class FROM students WHERE student_id = 'S4'),
		(SELECT count(*) FROM group_members), (SELECT count(*) FROM accounts WHERE kind <> 'staff'),
		(SELECT count(*) FROM consents), (SELECT count(*) FROM extracts), (SELECT count(*) FROM acks)")" "what was written"
	run --separate-stderr portal-db check
	status_is 0
}

@test "the cabinet runs as a role of the school's web group: a parent logs in, reads, withdraws; the role writes nothing else" {
	pg_only "grants are PostgreSQL's"
	local x s
	x=$(pg_school | cut -c2-9)
	s=$(pg_school)
	role_school "$PORTAL_DB" "$x"
	psql -XAtq -c "CREATE ROLE web_$x LOGIN PASSWORD 'pw-$x'; GRANT ${s}_web TO web_$x"
	portal-consent -q record --guardian P1 --student S1 --decision given --signed-on 2026-11-20
	portal-db -q config web.insecure_cookie 1
	echo P1 | portal-accounts -q issue --who guardians >cred.csv
	CRED=$BATS_TEST_TMPDIR/cred.csv JAR=$BATS_TEST_TMPDIR/jar
	PGUSER=web_$x PGPASSWORD=pw-$x serve
	# a wrong password, then the issued one, changed at once
	login "$(cred guardian P1 | cut -d' ' -f1)" wrong
	same 200 "$status_code" "a failed login's answer"
	fresh_login guardian P1
	get /student/S1
	same 200 "$status_code" "the child's page"
	contains "Иванов" "$(cat page.html)"
	get /student/S1/consent
	post /student/S1/consent "csrf=$(token)"
	same 303 "$status_code" "the withdrawal"
	kill "$SERVER_PID"
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=
	lacks "not permitted" "$(cat "$BATS_TEST_TMPDIR/server.log")"
	# what it wrote: the failure, the password, the session, the view, the withdrawal, the audit
	[ "$(q "SELECT count(*) FROM login_failures")" -ge 1 ]
	[ "$(q "SELECT count(*) FROM access_log WHERE student_id = 'S1'")" -ge 1 ]
	same withdrawn "$(q "SELECT decision FROM consents WHERE guardian_id = 'P1' ORDER BY consent_id DESC LIMIT 1")" "the decision"
	# and nothing else: the staff list, the journal, the settings are not its to write
	run --separate-stderr as_role "web_$x" psql -XAtq -c "UPDATE $s.staff SET role = 'admin' WHERE login = 'lead7a'"
	[ "$status" -ne 0 ]
	contains "permission denied for table staff" "$stderr"
	run --separate-stderr as_role "web_$x" psql -XAtq -c "DELETE FROM $s.access_log"
	[ "$status" -ne 0 ]
	contains "permission denied for table access_log" "$stderr"
	run --separate-stderr as_role "web_$x" psql -XAtq -c "INSERT INTO $s.config VALUES ('audit.witness', '/tmp/x')"
	[ "$status" -ne 0 ]
	run --separate-stderr portal-db check
	status_is 0
}

# ---- bulk imports ----

@test "a year's marks go in by one COPY, not a statement a row; again, nothing changes" {
	pg_only "COPY is PostgreSQL's bulk load"
	school 40 7
	"$SYNTH" --students 40 --seed 7 --journal --out j >/dev/null
	portal-journal -q periods import j/periods.csv
	rows=$(($(wc -l <j/marks.csv) - 1))
	# every statement that inserts into marks, counted by the server
	psql_school "CREATE TABLE inserts (n integer);
		CREATE FUNCTION count_insert() RETURNS trigger LANGUAGE plpgsql AS \$\$
			BEGIN INSERT INTO inserts VALUES (1); RETURN NULL; END \$\$;
		CREATE TRIGGER marks_inserts AFTER INSERT ON marks FOR EACH STATEMENT EXECUTE FUNCTION count_insert()"
	run --separate-stderr portal-journal import marks j/marks.csv
	status_is 0
	contains "inserted $rows, updated 0, unchanged 0" "$stderr"
	same "$rows" "$(q 'SELECT count(*) FROM marks')" "marks"
	same 1 "$(q 'SELECT count(*) FROM inserts')" "INSERT statements"
	same 1 "$(q "SELECT count(*) FROM audit WHERE action = 'import marks'")" "the import's record"
	same "$(q 'SELECT max(seq) FROM audit')" "$(q 'SELECT DISTINCT audit_seq FROM marks')" "the marks' record"
	psql_school "DROP TRIGGER marks_inserts ON marks; DROP TABLE inserts"
	before=$(db_digest)
	run --separate-stderr portal-journal import marks j/marks.csv
	status_is 0
	contains "inserted 0, updated 0, unchanged $rows" "$stderr"
	same "$before" "$(db_digest)" "store digest"
	run --separate-stderr portal-db check
	status_is 0
}
