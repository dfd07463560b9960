#!/usr/bin/env bats
# The PostgreSQL engine's own promises (make check-pg runs them; on SQLite they are
# skipped, saying so): many schools in one database, a schema each, each with its
# own audit chain; init, messages and backup on a server.

load helpers
bats_require_minimum_version 1.5.0

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
	run --separate-stderr portal-accounts list students --db "$a"
	status_is 0
	has_line "S1,Иванов,Иван,,2013-01-01,7А,,,active,,"
	lacks "Петрова"
	run --separate-stderr portal-accounts list students --db "$b"
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
