-- 009: the web cabinet (portal-web). Sessions live in the store, so several
-- portal-web processes can serve one store.
--
-- A session is a login's key to the cabinet, not a fact about a person: it
-- is deleted when it ends (logout, expiry, lock, breach, password change).
-- Its id is kept only as a hash (BLAKE2b-256, hex), so a copy of the store
-- opens no session. The CSRF token is kept as it is: it is only worth
-- anything together with the session's cookie.
CREATE TABLE web_sessions (
	id_hash		TEXT PRIMARY KEY,
	login		TEXT NOT NULL,
	created		TEXT NOT NULL,
	last_seen	TEXT NOT NULL,
	csrf		TEXT NOT NULL,
	client		TEXT NOT NULL DEFAULT ''
);
CREATE INDEX web_sessions_login ON web_sessions (login);

-- Every view of a person's data in the cabinet: who, whose, which page, when,
-- from where. Never deleted (SPEC §2): portal-db access lists it.
CREATE TABLE access_log (
	seq		INTEGER PRIMARY KEY,
	login		TEXT NOT NULL,
	student_id	TEXT NOT NULL,
	page		TEXT NOT NULL,
	at		TEXT NOT NULL,
	client		TEXT NOT NULL DEFAULT ''
);
CREATE INDEX access_log_student ON access_log (student_id, at);
CREATE INDEX access_log_login ON access_log (login, at);

-- Failed logins, for throttling by login and by client address; kept as a
-- record of attempts (the login may be one that does not exist).
CREATE TABLE login_failures (
	seq		INTEGER PRIMARY KEY,
	login		TEXT NOT NULL,
	client		TEXT NOT NULL DEFAULT '',
	at		TEXT NOT NULL
);
CREATE INDEX login_failures_login ON login_failures (login, at);
CREATE INDEX login_failures_client ON login_failures (client, at);
