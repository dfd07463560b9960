#!/usr/bin/env bats
# One schema on both engines: share/schema/NNN-*.sql as SQLite runs them, and as the PostgreSQL
# engine translates them (lib/store/pgddl.c), make the same tables, columns in the same order,
# primary keys, indexes and triggers. make check-pg runs it; on SQLite it is skipped, saying so.

load helpers
bats_require_minimum_version 1.5.0

# What a store holds, a line each, in the same words on both engines (names in lower case):
#   column|TABLE|N|NAME       the N-th column, from 0
#   primary key|TABLE|COLS
#   index|TABLE|UNIQUE|COLS   every other index (a UNIQUE constraint's too), 1 when unique
#   trigger|TABLE|NAME|TIMING EVENT
#   truncate guard|TABLE      a table whose DELETE is guarded: TRUNCATE is guarded too
# PostgreSQL's schema_version is left out: SQLite keeps the version in PRAGMA user_version.
SQLITE_LISTS="
SELECT 'column|' || m.name || '|' || p.cid || '|' || p.name
FROM sqlite_master m, pragma_table_info(m.name) p
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite!_%' ESCAPE '!';
SELECT 'primary key|' || t || '|' || group_concat(c, ',')
FROM (SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p
      WHERE m.type = 'table' AND p.pk > 0 ORDER BY m.name, p.pk)
GROUP BY t;
SELECT 'index|' || t || '|' || u || '|' || group_concat(c, ',')
FROM (SELECT m.name AS t, l.name AS i, l.\"unique\" AS u, ii.name AS c
      FROM sqlite_master m, pragma_index_list(m.name) l, pragma_index_info(l.name) ii
      WHERE m.type = 'table' AND l.origin <> 'pk' ORDER BY m.name, l.name, ii.seqno)
GROUP BY t, i;
SELECT 'trigger|' || tbl_name || '|' || name || '|' || replace(replace(sql, char(10), ' '), char(9), ' ')
FROM sqlite_master WHERE type = 'trigger';
"
PG_LISTS="
SELECT 'column|' || table_name || '|' ||
	(row_number() OVER (PARTITION BY table_name ORDER BY ordinal_position) - 1) || '|' || column_name
FROM information_schema.columns
WHERE table_schema = current_schema() AND table_name <> 'schema_version';
SELECT CASE WHEN i.indisprimary THEN 'primary key|' || c.relname
	ELSE 'index|' || c.relname || '|' || i.indisunique::int END
	|| '|' || string_agg(a.attname, ',' ORDER BY k.n)
FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid
CROSS JOIN unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
WHERE c.relnamespace = current_schema()::regnamespace AND c.relname <> 'schema_version'
GROUP BY c.relname, i.indexrelid, i.indisprimary, i.indisunique;
SELECT 'trigger|' || event_object_table || '|' || trigger_name || '|' || lower(action_timing || ' ' || event_manipulation)
FROM information_schema.triggers
WHERE trigger_schema = current_schema() AND action_orientation = 'ROW';
SELECT 'truncate guard|' || c.relname
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal
	AND t.tgtype & 32 <> 0 AND t.tgtype & 2 <> 0;	-- TRUNCATE, BEFORE
"

# schema_lists STORE: the lists above, sorted
schema_lists() {
	local out
	if [[ $1 == postgresql://* ]]; then
		out=$(psql_school "$PG_LISTS" "$1") || return 1
	else
		out=$(command sqlite3 "$1" "$SQLITE_LISTS") || return 1
		# a trigger's timing and event are in its SQL: CREATE TRIGGER name BEFORE DELETE ON …
		out=$(sed -E 's/^(trigger\|[^|]*\|[^|]*)\|CREATE +TRIGGER +[^ ]+ +(BEFORE|AFTER|INSTEAD OF) +(INSERT|UPDATE|DELETE) .*/\1|\2 \3/I' <<<"$out")
		out+=$'\n'$(sed -nE 's/^trigger\|([^|]*)\|[^|]*\|before delete$/truncate guard|\1/Ip' <<<"$out")
	fi
	tr '[:upper:]' '[:lower:]' <<<"$out" | LC_ALL=C sort -u
}

# both_schools: a PostgreSQL school ($PORTAL_DB) and a SQLite store (lite.db), each made by init
both_schools() {
	portal-db -q init --admin admin
	portal-db -q init --admin admin --db "$BATS_TEST_TMPDIR/lite.db"
	LITE=$BATS_TEST_TMPDIR/lite.db
}

@test "init makes on PostgreSQL SQLite's tables, columns in order, primary keys, indexes and triggers" {
	pg_only "it compares a PostgreSQL school with a SQLite store"
	both_schools
	lite=$(schema_lists "$LITE")
	pg=$(schema_lists "$PORTAL_DB")
	# the lists hold what they are to compare (a query that failed would make two empty lists)
	for line in "column|audit|0|seq" "column|classes|2|sort_key" "primary key|marks|student_id,subject_id,date,lesson_no,kind" \
		"primary key|consents|consent_id" "index|lessons|0|class,date" "trigger|consents|consents_no_update|before update" \
		"trigger|acks|acks_no_replace|before insert" "truncate guard|acks" "truncate guard|consents"; do
		grep -qxF "$line" <<<"$lite" || { echo "SQLite's list lacks $line"; false; }
	done
	[ "$(grep -c '^column|' <<<"$lite")" -gt 100 ] || { echo "too few columns: $lite"; false; }
	run diff <(echo "$lite") <(echo "$pg")
	[ "$status" -eq 0 ] || { echo "SQLite (<) and PostgreSQL (>) differ:"; echo "$output"; false; }
}

@test "the comparison sees a column that one engine has and the other lacks" {
	pg_only "it compares a PostgreSQL school with a SQLite store"
	both_schools
	q "ALTER TABLE consents ADD COLUMN witness text"
	command sqlite3 "$LITE" "ALTER TABLE acks ADD COLUMN witness TEXT"
	run diff <(schema_lists "$LITE") <(schema_lists "$PORTAL_DB")
	status_is 1
	has_line "> column|consents|9|witness"
	has_line "< column|acks|7|witness"
}

@test "migrate on PostgreSQL runs the translated migrations after the store's version: the schema is init's" {
	pg_only "it compares a PostgreSQL school with a SQLite store"
	both_schools
	# the school as schema 4 left it: what 005 … 012 make, taken away
	q "DROP TABLE acks, consents, extracts, report_mail, web_sessions, access_log, login_failures;
	   DROP FUNCTION acks_no_update, acks_no_replace, acks_no_delete,
		consents_no_update, consents_no_replace, consents_no_delete;
	   DROP INDEX audit_invalid_by_seq, lessons_class_date;
	   ALTER TABLE classes DROP COLUMN sort_key;
	   UPDATE schema_version SET version = 4"
	run --separate-stderr portal-db migrate
	status_is 0
	contains "schema 4 → " "$stderr"
	run diff <(schema_lists "$LITE") <(schema_lists "$PORTAL_DB")
	[ "$status" -eq 0 ] || { echo "SQLite (<) and PostgreSQL (>) differ:"; echo "$output"; false; }
}
