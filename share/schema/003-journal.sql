-- 003: the class journal: periods and marks (further journal kinds follow).
CREATE TABLE periods (
	name		TEXT PRIMARY KEY,
	start_date	TEXT NOT NULL,
	end_date	TEXT NOT NULL,
	audit_seq	INTEGER REFERENCES audit (seq),
	CHECK (start_date <= end_date)
);

-- A mark is identified by (student, subject, date, lesson_no, kind); one import
-- command's marks share the audit record of that command.
CREATE TABLE marks (
	student_id	TEXT NOT NULL REFERENCES students (student_id),
	subject_id	INTEGER NOT NULL REFERENCES subjects (subject_id),
	date		TEXT NOT NULL,
	lesson_no	INTEGER NOT NULL DEFAULT 1,
	kind		TEXT NOT NULL DEFAULT '',
	value		INTEGER NOT NULL CHECK (value BETWEEN 1 AND 5),
	weight		REAL NOT NULL DEFAULT 1 CHECK (weight > 0),
	teacher_id	TEXT REFERENCES staff (staff_id),
	audit_seq	INTEGER REFERENCES audit (seq),
	PRIMARY KEY (student_id, subject_id, date, lesson_no, kind)
) WITHOUT ROWID;
CREATE INDEX marks_subject_date ON marks (subject_id, date);
