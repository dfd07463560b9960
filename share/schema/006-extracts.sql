-- 006: extracts from the journal made for parents ("Выписка из электронного журнала"),
-- each with its acknowledgement code. A paper extract is for the student's family
-- (guardian_id NULL); an e-mail one for one guardian with a standing consent.
CREATE TABLE extracts (
	extract_id	INTEGER PRIMARY KEY,
	student_id	TEXT NOT NULL REFERENCES students (student_id),
	guardian_id	TEXT REFERENCES guardians (guardian_id),
	class		TEXT NOT NULL,
	period		TEXT,
	date_from	TEXT NOT NULL,
	date_to		TEXT NOT NULL,
	channel		TEXT NOT NULL CHECK (channel IN ('paper', 'email')),
	code		TEXT NOT NULL UNIQUE CHECK (length(code) = 10),
	format		TEXT NOT NULL,
	file		TEXT,
	issued_at	TEXT NOT NULL,
	audit_seq	INTEGER NOT NULL REFERENCES audit (seq)
);
CREATE INDEX extracts_student ON extracts (student_id);
CREATE INDEX extracts_class ON extracts (class, issued_at);
