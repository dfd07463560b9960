#!/bin/sh
# grants.sh SCHOOL [PSQL OPTION…]: the database roles of one school on PostgreSQL, from its staff list.
#
# Run by a DBA (a role that owns the school's schema, or a superuser) once the staff are imported,
# and again after every staff import or portal-db migrate; running it twice changes nothing. psql
# connects as its options and the PG* variables say (e.g. -d region, or PGDATABASE=region).
#
# It makes four group roles, which cannot log in:
#   SCHOOL_read          USAGE on the schema, SELECT on every table: the deputy (read-only)
#   SCHOOL_class_leader  SCHOOL_read, and writes the roster, groups, accounts, consents, extracts
#                        and acknowledgements (and the audit log that every write appends to);
#                        nothing of the journal, the staff list, the settings or the calendar
#   SCHOOL_teacher       SCHOOL_read, and writes the journal (marks, attendance, lessons, tests,
#                        recommendations, finals) and the audit log
#   SCHOOL_web           SCHOOL_read, and what the parents' cabinet (portal-web serve) writes: its
#                        sessions and access log, failed logins, a password changed or an account
#                        locked, an acknowledgement, a consent withdrawn, and the audit log; the
#                        role portal-web connects as is made a member by the DBA (GRANT SCHOOL_web
#                        TO portal_web), so the server on the network never holds the owner's rights
# and, for every active deputy, class leader and teacher with an os_user, a login role of that
# name (created when missing, without a password: how it authenticates is the DBA's pg_hba.conf,
# e.g. peer on the local socket, which maps the OS user to the role of the same name), made a
# member of the group of its staff role and of no other group of this school. A role that is no
# active staff member's os_user any more loses this school's groups. portal then takes that role
# for the staff member whose os_user it is, and refuses it any other (77).
#
# The tables a class leader writes that belong to a class (the roster, guardians, classes, groups,
# accounts, consents, extracts, acknowledgements) get row-level security: the class leader's role
# inserts and updates only rows of the classes it leads (SCHOOL.my_classes()), even with psql,
# and every other group keeps there exactly the rights its grants give. Reads stay per table.
#
# The admins connect as the schema's owner (portal-db init made the schema as that role), who may
# act as anyone, as root and the file's owner may on SQLite.
set -eu
if [ $# -lt 1 ] || [ -z "$1" ]; then
	echo "usage: grants.sh SCHOOL [PSQL OPTION…]" >&2
	exit 64
fi
school=$1
shift
command -v psql >/dev/null 2>&1 || { echo "grants.sh: psql is not installed (apt-get install postgresql-client)" >&2; exit 69; }

PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning" exec psql -X -q -v ON_ERROR_STOP=1 -v school="$school" "$@" <<'SQL'
SET portal.school = :'school';
DO $$
DECLARE
	school text := current_setting('portal.school');
	sch text := quote_ident(school);
	grp text;
	r record;
	policies text[] := '{}';
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = school) OR
	   to_regclass(sch || '.staff') IS NULL THEN
		RAISE EXCEPTION 'no school % here (portal-db init makes it)', school;
	END IF;
	FOREACH grp IN ARRAY ARRAY['read', 'class_leader', 'teacher', 'web'] LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = school || '_' || grp) THEN
			EXECUTE format('CREATE ROLE %I NOLOGIN', school || '_' || grp);
		END IF;
	END LOOP;

	-- reading: the schema and every table; the writers read through SCHOOL_read
	EXECUTE format('GRANT USAGE ON SCHEMA %s TO %I', sch, school || '_read');
	EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %s TO %I', sch, school || '_read');
	EXECUTE format('GRANT %I TO %I, %I, %I', school || '_read', school || '_class_leader', school || '_teacher',
		       school || '_web');
	-- every write appends to the audit chain, whose numbers come from a sequence
	EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %s TO %I, %I, %I', sch,
		       school || '_class_leader', school || '_teacher', school || '_web');
	EXECUTE format('GRANT INSERT, UPDATE ON %s.audit, %s.audit_head, %s.subjects TO %I, %I', sch, sch, sch,
		       school || '_class_leader', school || '_teacher');
	-- the cabinet: its sessions and log, logins, passwords, acknowledgements, withdrawals
	EXECUTE format('GRANT INSERT, UPDATE ON %1$s.audit, %1$s.audit_head, %1$s.accounts TO %2$I', sch, school || '_web');
	EXECUTE format('GRANT INSERT ON %1$s.access_log, %1$s.acks, %1$s.consents TO %2$I', sch, school || '_web');
	EXECUTE format('GRANT INSERT, UPDATE, DELETE ON %1$s.web_sessions, %1$s.login_failures TO %2$I', sch,
		       school || '_web');
	-- a class leader: the roster and groups of their classes, accounts, consents, extracts, acks
	EXECUTE format('GRANT INSERT, UPDATE ON %1$s.students, %1$s.guardians, %1$s.guardian_links, %1$s.classes, '
		       '%1$s.study_groups, %1$s.group_members, %1$s.accounts, %1$s.consents, %1$s.extracts, '
		       '%1$s.acks, %1$s.login_failures TO %2$I', sch, school || '_class_leader');
	-- a teacher: the journal of what they teach (--sync removes what a new export no longer holds)
	EXECUTE format('GRANT INSERT, UPDATE, DELETE ON %1$s.marks, %1$s.attendance, %1$s.lessons, %1$s.tests, '
		       '%1$s.recommendations, %1$s.finals TO %2$I', sch, school || '_teacher');

	-- Row-level security: the database, and not only the tools, keeps a class leader to the rows
	-- of their own classes. A row's class is the student's (students.class), or the class of the
	-- student the row is about; a guardian is the role's when every child of theirs is in its
	-- classes, as the tools have it. The role's classes, in one place: those of the active class
	-- leader whose os_user the role is (SECURITY INVOKER: the role reads staff).
	EXECUTE format($f$CREATE OR REPLACE FUNCTION %1$s.my_classes() RETURNS SETOF text LANGUAGE sql STABLE AS $b$
		SELECT c.class FROM %1$s.staff_classes c JOIN %1$s.staff s ON s.staff_id = c.staff_id
		WHERE s.os_user = current_user AND s.status = 'active' AND s.role = 'class_leader' $b$ $f$, sch);
	EXECUTE format($f$CREATE OR REPLACE FUNCTION %1$s.my_student(student text) RETURNS boolean LANGUAGE sql STABLE AS $b$
		SELECT EXISTS (SELECT 1 FROM %1$s.students WHERE student_id = student AND class IN (SELECT %1$s.my_classes())) $b$ $f$,
		sch);
	EXECUTE format($f$CREATE OR REPLACE FUNCTION %1$s.my_guardian(guardian text) RETURNS boolean LANGUAGE sql STABLE AS $b$
		SELECT EXISTS (SELECT 1 FROM %1$s.guardian_links WHERE guardian_id = guardian) AND NOT EXISTS (
			SELECT 1 FROM %1$s.guardian_links l JOIN %1$s.students s ON s.student_id = l.student_id
			WHERE l.guardian_id = guardian AND s.class NOT IN (SELECT %1$s.my_classes())) $b$ $f$, sch);

	-- The tables a class leader writes that have a class: every group's rights on them become
	-- policies, permissive, one a group and command (portal_GROUP_COMMAND); %1$s is the schema.
	-- With RLS on, a command no policy allows touches no row: the class leader has no DELETE
	-- policy (nor grant), so a DELETE granted one day would still delete nothing. The owner and
	-- superusers bypass RLS (not FORCEd): portal-db init's role, cron and the admins see no change.
	-- Not here: audit, audit_head and subjects (the school's, every writer appends to them) and
	-- login_failures (a login typed at the cabinet, of nobody's class).
	FOR r IN WITH p (tbl, grp, cmd, using_, check_) AS (
	-- reading stays per table, the tools' to check: every group reads every row (through SCHOOL_read)
	SELECT t, 'read', 'select', 'true', NULL FROM unnest(ARRAY['students', 'guardians', 'guardian_links', 'classes',
		'study_groups', 'group_members', 'accounts', 'consents', 'extracts', 'acks']) AS t
	UNION ALL VALUES
	-- the cabinet writes for any parent who logs in: it is checked by the login, not by a class
	('accounts', 'web', 'insert', NULL, 'true'),
	('accounts', 'web', 'update', 'true', 'true'),
	('acks', 'web', 'insert', NULL, 'true'),
	('consents', 'web', 'insert', NULL, 'true'),
	-- a class leader: the rows of their classes; an UPDATE may not move one out of them (WITH CHECK)
	('students', 'class_leader', 'insert', NULL, 'class IN (SELECT %1$s.my_classes())'),
	('students', 'class_leader', 'update', 'class IN (SELECT %1$s.my_classes())', 'class IN (SELECT %1$s.my_classes())'),
	-- the roster adds the class of its rows when it is new: theirs only
	('classes', 'class_leader', 'insert', NULL, 'name IN (SELECT %1$s.my_classes())'),
	('classes', 'class_leader', 'update', 'name IN (SELECT %1$s.my_classes())', 'name IN (SELECT %1$s.my_classes())'),
	-- a new guardian has no child yet: the link that follows is checked
	('guardians', 'class_leader', 'insert', NULL, 'true'),
	('guardians', 'class_leader', 'update', '%1$s.my_guardian(guardian_id)', '%1$s.my_guardian(guardian_id)'),
	-- a child of their classes, to a guardian who is theirs or new (no child yet)
	('guardian_links', 'class_leader', 'insert', NULL, '%1$s.my_student(student_id) AND (%1$s.my_guardian(guardian_id) OR '
		'NOT EXISTS (SELECT 1 FROM %1$s.guardian_links o WHERE o.guardian_id = guardian_links.guardian_id))'),
	('guardian_links', 'class_leader', 'update', '%1$s.my_student(student_id) AND %1$s.my_guardian(guardian_id)',
		'%1$s.my_student(student_id) AND %1$s.my_guardian(guardian_id)'),
	-- a group of their class, or a stream (class ''), which is of no class
	('study_groups', 'class_leader', 'insert', NULL, 'class = '''' OR class IN (SELECT %1$s.my_classes())'),
	('study_groups', 'class_leader', 'update', 'class IN (SELECT %1$s.my_classes())', 'class IN (SELECT %1$s.my_classes())'),
	('group_members', 'class_leader', 'insert', NULL, '%1$s.my_student(student_id) AND EXISTS (SELECT 1 FROM '
		'%1$s.study_groups g WHERE g.group_id = group_members.group_id AND (g.class = '''' OR g.class IN (SELECT %1$s.my_classes())))'),
	('group_members', 'class_leader', 'update', '%1$s.my_student(student_id) AND EXISTS (SELECT 1 FROM '
		'%1$s.study_groups g WHERE g.group_id = group_members.group_id AND (g.class = '''' OR g.class IN (SELECT %1$s.my_classes())))',
		'%1$s.my_student(student_id) AND EXISTS (SELECT 1 FROM '
		'%1$s.study_groups g WHERE g.group_id = group_members.group_id AND (g.class = '''' OR g.class IN (SELECT %1$s.my_classes())))'),
	-- a login of a student of theirs, of a guardian of theirs, or their own
	('accounts', 'class_leader', 'insert', NULL, 'CASE kind WHEN ''student'' THEN %1$s.my_student(person_id) '
		'WHEN ''guardian'' THEN %1$s.my_guardian(person_id) ELSE person_id IN (SELECT staff_id FROM %1$s.staff '
		'WHERE os_user = current_user AND status = ''active'') END'),
	('accounts', 'class_leader', 'update', 'CASE kind WHEN ''student'' THEN %1$s.my_student(person_id) '
		'WHEN ''guardian'' THEN %1$s.my_guardian(person_id) ELSE person_id IN (SELECT staff_id FROM %1$s.staff '
		'WHERE os_user = current_user AND status = ''active'') END',
		'CASE kind WHEN ''student'' THEN %1$s.my_student(person_id) '
		'WHEN ''guardian'' THEN %1$s.my_guardian(person_id) ELSE person_id IN (SELECT staff_id FROM %1$s.staff '
		'WHERE os_user = current_user AND status = ''active'') END'),
	-- consents and acknowledgements are append-only (the schema's triggers): INSERT alone
	('consents', 'class_leader', 'insert', NULL, '%1$s.my_student(student_id)'),
	('extracts', 'class_leader', 'insert', NULL, '%1$s.my_student(student_id)'),
	('extracts', 'class_leader', 'update', '%1$s.my_student(student_id)', '%1$s.my_student(student_id)'),
	('acks', 'class_leader', 'insert', NULL, 'EXISTS (SELECT 1 FROM %1$s.extracts x WHERE x.extract_id = acks.extract_id '
		'AND %1$s.my_student(x.student_id))'))
		SELECT p.*, 'portal_' || p.grp || '_' || p.cmd AS name, format(p.using_, sch) AS u, format(p.check_, sch) AS c,
			EXISTS (SELECT 1 FROM pg_policy y WHERE y.polrelid = to_regclass(sch || '.' || p.tbl)
				AND y.polname = 'portal_' || p.grp || '_' || p.cmd) AS present
		FROM p
	LOOP
		policies := policies || (r.tbl || '.' || r.name);
		EXECUTE format(CASE WHEN r.present THEN 'ALTER POLICY %1$I ON %2$s.%3$I TO %5$I'
				    ELSE 'CREATE POLICY %1$I ON %2$s.%3$I AS PERMISSIVE FOR %4$s TO %5$I' END, r.name, sch, r.tbl,
			       r.cmd, school || '_' || r.grp) ||
			COALESCE(' USING (' || r.u || ')', '') || COALESCE(' WITH CHECK (' || r.c || ')', '');
	END LOOP;
	-- a policy of an earlier grants.sh that is no longer one of these goes
	FOR r IN SELECT y.polname, c.relname FROM pg_policy y JOIN pg_class c ON c.oid = y.polrelid
		 WHERE c.relnamespace = sch::regnamespace AND y.polname LIKE 'portal\_%'
		 AND NOT c.relname || '.' || y.polname = ANY (policies)
	LOOP
		EXECUTE format('DROP POLICY %I ON %s.%I', r.polname, sch, r.relname);
	END LOOP;
	FOR r IN SELECT DISTINCT c.relname FROM unnest(policies) AS t JOIN pg_class c
		 ON c.oid = to_regclass(sch || '.' || quote_ident(split_part(t, '.', 1))) WHERE NOT c.relrowsecurity LOOP
		EXECUTE format('ALTER TABLE %s.%I ENABLE ROW LEVEL SECURITY', sch, r.relname);
	END LOOP;

	-- the login roles: an active staff member's os_user, in the group of their staff role
	FOR r IN EXECUTE format('SELECT os_user, CASE role WHEN ''deputy'' THEN ''read'' ELSE role END AS grp '
				'FROM %s.staff WHERE status = ''active'' AND COALESCE(os_user, '''') <> '''' '
				'AND role IN (''deputy'', ''class_leader'', ''teacher'')', sch) LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r.os_user) THEN
			EXECUTE format('CREATE ROLE %I LOGIN', r.os_user);
		END IF;
		EXECUTE format('GRANT %I TO %I', school || '_' || r.grp, r.os_user);
	END LOOP;
	-- and out of every other group of this school
	FOR r IN EXECUTE format('SELECT m.rolname AS member, g.rolname AS grp FROM pg_auth_members a '
				'JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member '
				'WHERE g.rolname IN (%L, %L, %L) AND m.rolname NOT IN (%L, %L, %L) '
				'AND NOT EXISTS (SELECT 1 FROM %s.staff s WHERE s.os_user = m.rolname AND s.status = ''active'' '
				'AND %L || ''_'' || CASE s.role WHEN ''deputy'' THEN ''read'' ELSE s.role END = g.rolname)',
				school || '_read', school || '_class_leader', school || '_teacher',
				school || '_class_leader', school || '_teacher', school || '_web', sch, school) LOOP
		EXECUTE format('REVOKE %I FROM %I', r.grp, r.member);
	END LOOP;
END
$$;
SQL
