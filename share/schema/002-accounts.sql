-- 002: credentials and leaked logins.
-- An account is a login of a student, guardian or staff member with an
-- Argon2id hash; the plain password never reaches the store.
CREATE TABLE accounts (
	login		TEXT PRIMARY KEY,
	kind		TEXT NOT NULL CHECK (kind IN ('student', 'guardian', 'staff')),
	person_id	TEXT NOT NULL,
	pw_hash		TEXT NOT NULL,
	must_change	INTEGER NOT NULL DEFAULT 1,
	locked		INTEGER NOT NULL DEFAULT 0,
	locked_reason	TEXT,
	issued_at	TEXT NOT NULL,
	audit_seq	INTEGER REFERENCES audit (seq),
	UNIQUE (kind, person_id)
);

-- A compromised login: when it was found, when and to whom it was reported,
-- the deadline (end of the first business day after discovery) and what it undid.
CREATE TABLE breaches (
	breach_id	INTEGER PRIMARY KEY,
	login		TEXT NOT NULL,
	discovered_at	TEXT NOT NULL,
	reported_at	TEXT NOT NULL,
	reported_to	TEXT,
	deadline	TEXT NOT NULL,
	late		INTEGER NOT NULL,
	invalidated	INTEGER NOT NULL,
	audit_seq	INTEGER REFERENCES audit (seq)
);
CREATE INDEX breaches_login ON breaches (login);
