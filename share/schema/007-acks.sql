-- 007: acknowledgements: a parent has read ("ознакомлен") an extract. One that
-- counts per extract; an acknowledgement made with a login reported as leaked
-- stays, marked invalid, and the extract is pending again.
CREATE TABLE acks (
	ack_id		INTEGER PRIMARY KEY,
	extract_id	INTEGER NOT NULL REFERENCES extracts (extract_id),
	acknowledged_on	TEXT NOT NULL,
	channel		TEXT NOT NULL CHECK (channel IN ('paper', 'email', 'web')),
	guardian_id	TEXT REFERENCES guardians (guardian_id),
	recorded_at	TEXT NOT NULL,
	audit_seq	INTEGER NOT NULL REFERENCES audit (seq)
);
CREATE INDEX acks_extract ON acks (extract_id);

-- Append-only, as consents: an acknowledgement is never changed or removed.
CREATE TRIGGER acks_no_update BEFORE UPDATE ON acks
BEGIN
	SELECT RAISE (ABORT, 'acknowledgements are append-only');
END;
CREATE TRIGGER acks_no_replace BEFORE INSERT ON acks
WHEN EXISTS (SELECT 1 FROM acks WHERE ack_id = NEW.ack_id)
BEGIN
	SELECT RAISE (ABORT, 'acknowledgements are append-only');
END;
CREATE TRIGGER acks_no_delete BEFORE DELETE ON acks
BEGIN
	SELECT RAISE (ABORT, 'acknowledgements are append-only');
END;
