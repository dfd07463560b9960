-- 010: what the mail program accepted, so that nothing goes twice and nothing
-- refused is lost. An e-mailed extract made by portal-extract --send is
-- 'queued' until the mail program accepts its message, then 'sent' (sent_at);
-- the next --send hands a queued message over again, the same file with the
-- same code. NULL: made without --send (its file is the user's to send).
ALTER TABLE extracts ADD COLUMN mail_state TEXT CHECK (mail_state IN ('queued', 'sent'));
ALTER TABLE extracts ADD COLUMN sent_at TEXT;
CREATE INDEX extracts_mailed ON extracts (student_id, guardian_id, date_from, date_to);


-- The nightly reports mailed to staff (portal-report nightly --mail): one row a
-- night, recipient and report (a class's workbook, or 'summary' for the
-- deputy), with the message kept in file until the mail program accepts it.
CREATE TABLE report_mail (
	mail_id		INTEGER PRIMARY KEY,
	night		TEXT NOT NULL,
	staff_id	TEXT NOT NULL REFERENCES staff (staff_id),
	report		TEXT NOT NULL,
	file		TEXT NOT NULL,
	state		TEXT NOT NULL CHECK (state IN ('queued', 'sent')),
	made_at		TEXT NOT NULL,
	sent_at		TEXT,
	audit_seq	INTEGER REFERENCES audit (seq),
	UNIQUE (night, staff_id, report)
);
