-- PostgreSQL's 003-journal.sql (lib/store/pg.c): a numbering INTEGER PRIMARY KEY is an identity
-- column, REAL is double precision, no WITHOUT ROWID, triggers call functions.
-- 003: the class journal: periods and marks (further journal kinds follow).
CREATE TABLE periods (
	name		TEXT PRIMARY KEY,
	start_date	TEXT NOT NULL,
	end_date	TEXT NOT NULL,
	audit_seq	INTEGER REFERENCES audit (seq),
	CHECK (start_date <= end_date)
);

-- A mark is identified by (student, subject, date, lesson_no, kind); the marks of
-- one import share the audit record of that import. A year of a school is some
-- 1.4 million rows, so the table has its key and nothing else: the importer checks
-- every student, subject and teacher against the store itself (a declared foreign
-- key would look each up again per row), and portal-db check verifies them.
CREATE TABLE marks (
	student_id	TEXT NOT NULL,
	subject_id	INTEGER NOT NULL,
	date		TEXT NOT NULL,
	lesson_no	INTEGER NOT NULL DEFAULT 1,
	kind		TEXT NOT NULL DEFAULT '',
	value		INTEGER NOT NULL CHECK (value BETWEEN 1 AND 5),
	weight		double precision NOT NULL DEFAULT 1 CHECK (weight > 0),
	teacher_id	TEXT,
	audit_seq	INTEGER NOT NULL,
	PRIMARY KEY (student_id, subject_id, date, lesson_no, kind)
);
