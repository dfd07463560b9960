-- PostgreSQL's 004-journal-kinds.sql (lib/store/pg.c): a numbering INTEGER PRIMARY KEY is an identity
-- column, REAL is double precision, no WITHOUT ROWID, triggers call functions.
-- 004: the rest of the class journal: attendance, lessons and homework, the
-- timetable and its changes, tests, holidays, recommendations, final marks.
-- Each table is keyed by its kind's identity (what makes a re-import change
-- nothing); like marks, the rows of one import share its audit record, a
-- changed or removed row gets its own. References are checked by the importer
-- and by portal-db check, as for marks.

-- lesson_no 0: the whole day (an absence typed without a lesson).
CREATE TABLE attendance (
	student_id	TEXT NOT NULL,
	date		TEXT NOT NULL,
	lesson_no	INTEGER NOT NULL DEFAULT 0,
	code		TEXT NOT NULL CHECK (code IN ('н', 'б', 'у', 'о')),
	subject_id	INTEGER,
	audit_seq	INTEGER NOT NULL,
	PRIMARY KEY (student_id, date, lesson_no)
);

-- A lesson of a class (group_id 0) or of one of its groups; a stream's lessons
-- have class ''. The topic and the homework set.
CREATE TABLE lessons (
	class		TEXT NOT NULL,
	group_id	INTEGER NOT NULL DEFAULT 0,
	date		TEXT NOT NULL,
	lesson_no	INTEGER NOT NULL,
	subject_id	INTEGER NOT NULL,
	teacher_id	TEXT,
	topic		TEXT,
	homework	TEXT,
	audit_seq	INTEGER NOT NULL,
	PRIMARY KEY (class, group_id, date, lesson_no)
);
CREATE INDEX lessons_teacher ON lessons (teacher_id, class, subject_id);

-- valid_from '' : from the start.
CREATE TABLE schedule (
	class		TEXT NOT NULL,
	weekday		INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 6),
	lesson_no	INTEGER NOT NULL,
	subject_id	INTEGER NOT NULL,
	valid_from	TEXT NOT NULL DEFAULT '',
	teacher_id	TEXT,
	room		TEXT,
	valid_to	TEXT,
	audit_seq	INTEGER NOT NULL,
	PRIMARY KEY (class, weekday, lesson_no, subject_id, valid_from)
);
CREATE INDEX schedule_teacher ON schedule (teacher_id, class, subject_id);

CREATE TABLE changes (
	date		TEXT NOT NULL,
	class		TEXT NOT NULL,
	lesson_no	INTEGER NOT NULL,
	kind		TEXT NOT NULL CHECK (kind IN ('substitution', 'moved', 'cancelled')),
	subject_id	INTEGER,
	teacher_id	TEXT,
	new_date	TEXT,
	new_lesson_no	INTEGER,
	note		TEXT,
	audit_seq	INTEGER NOT NULL,
	PRIMARY KEY (date, class, lesson_no)
);

CREATE TABLE tests (
	class		TEXT NOT NULL,
	subject_id	INTEGER NOT NULL,
	date		TEXT NOT NULL,
	topic		TEXT,
	audit_seq	INTEGER NOT NULL,
	PRIMARY KEY (class, subject_id, date)
);

-- grades '' : every grade; else the grades it is for, e.g. '1'.
CREATE TABLE holidays (
	name		TEXT NOT NULL,
	start_date	TEXT NOT NULL,
	end_date	TEXT NOT NULL,
	grades		TEXT NOT NULL DEFAULT '',
	audit_seq	INTEGER NOT NULL,
	PRIMARY KEY (name, start_date),
	CHECK (start_date <= end_date)
);

-- subject_id 0: a recommendation not tied to a subject.
CREATE TABLE recommendations (
	student_id	TEXT NOT NULL,
	date		TEXT NOT NULL,
	subject_id	INTEGER NOT NULL DEFAULT 0,
	text		TEXT NOT NULL,
	teacher_id	TEXT,
	audit_seq	INTEGER NOT NULL,
	PRIMARY KEY (student_id, date, subject_id)
);

CREATE TABLE finals (
	student_id	TEXT NOT NULL,
	subject_id	INTEGER NOT NULL,
	period		TEXT NOT NULL,
	value		TEXT NOT NULL CHECK (value IN ('1', '2', '3', '4', '5', 'н/а', 'осв')),
	audit_seq	INTEGER NOT NULL,
	PRIMARY KEY (student_id, subject_id, period)
);
