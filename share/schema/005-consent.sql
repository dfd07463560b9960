-- 005: parents' decisions on getting their child's progress electronically (152-ФЗ).
-- Append-only: a withdrawal is a new record; the standing decision of a guardian for a
-- child is the latest valid one by signed_on, then by when it was recorded.
CREATE TABLE consents (
	consent_id	INTEGER PRIMARY KEY,
	guardian_id	TEXT NOT NULL REFERENCES guardians (guardian_id),
	student_id	TEXT NOT NULL REFERENCES students (student_id),
	decision	TEXT NOT NULL CHECK (decision IN ('given', 'refused', 'withdrawn')),
	signed_on	TEXT NOT NULL,
	form		TEXT CHECK (form IN ('paper', 'electronic')),
	doc_ref		TEXT,
	recorded_at	TEXT NOT NULL,
	audit_seq	INTEGER NOT NULL REFERENCES audit (seq)
);
CREATE INDEX consents_link ON consents (guardian_id, student_id, signed_on);
CREATE INDEX consents_student ON consents (student_id);

CREATE TRIGGER consents_no_update BEFORE UPDATE ON consents
BEGIN
	SELECT RAISE (ABORT, 'consents are append-only: record a new decision');
END;
-- INSERT OR REPLACE would delete without the delete trigger (recursive_triggers is off)
CREATE TRIGGER consents_no_replace BEFORE INSERT ON consents
WHEN EXISTS (SELECT 1 FROM consents WHERE consent_id = NEW.consent_id)
BEGIN
	SELECT RAISE (ABORT, 'consents are append-only: record a new decision');
END;
CREATE TRIGGER consents_no_delete BEFORE DELETE ON consents
BEGIN
	SELECT RAISE (ABORT, 'consents are append-only: record a new decision');
END;
