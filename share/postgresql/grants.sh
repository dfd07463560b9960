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
