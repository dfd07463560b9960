-- 001: the foundation: settings, the audit log, staff, classes, students,
-- guardians, study groups, subjects and the production calendar.
-- Every fact carries audit_seq: the audit record that made its current state.

CREATE TABLE config (
	key	TEXT PRIMARY KEY,
	value	TEXT NOT NULL
);

-- Append-only. Each record holds the SHA-256 of the previous one (prev_hash)
-- and its own (hash), so an edit or a removal behind the toolkit's back shows.
CREATE TABLE audit (
	seq		INTEGER PRIMARY KEY,
	at		TEXT NOT NULL,
	actor		TEXT NOT NULL,
	tool		TEXT NOT NULL,
	action		TEXT NOT NULL,
	object		TEXT NOT NULL,
	detail		TEXT NOT NULL,
	prev_hash	TEXT NOT NULL,
	hash		TEXT NOT NULL
);
CREATE INDEX audit_actor_at ON audit (actor, at);
CREATE INDEX audit_object ON audit (object);

-- The chain's last link, so removing the newest records shows too.
CREATE TABLE audit_head (
	id	INTEGER PRIMARY KEY CHECK (id = 1),
	seq	INTEGER NOT NULL,
	hash	TEXT NOT NULL
);

-- Audit records declared invalid (a leaked login): the record stays, marked.
CREATE TABLE audit_invalid (
	seq	INTEGER PRIMARY KEY REFERENCES audit (seq),
	reason	TEXT NOT NULL,
	by_seq	INTEGER NOT NULL REFERENCES audit (seq)
);

CREATE TABLE classes (
	name	TEXT PRIMARY KEY,
	grade	INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 11)
);

CREATE TABLE subjects (
	subject_id	INTEGER PRIMARY KEY,
	name		TEXT NOT NULL,
	name_key	TEXT NOT NULL UNIQUE	-- lowercased, spaces collapsed: one subject however it is typed
);

CREATE TABLE staff (
	staff_id	TEXT PRIMARY KEY,
	last_name	TEXT NOT NULL,
	first_name	TEXT NOT NULL,
	middle_name	TEXT,
	role		TEXT NOT NULL CHECK (role IN ('admin', 'deputy', 'class_leader', 'teacher')),
	login		TEXT UNIQUE,
	os_user		TEXT,
	email		TEXT,
	phone		TEXT,
	status		TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'left')),
	audit_seq	INTEGER REFERENCES audit (seq)
);
CREATE INDEX staff_os_user ON staff (os_user);

CREATE TABLE staff_classes (
	staff_id	TEXT NOT NULL REFERENCES staff (staff_id),
	class		TEXT NOT NULL REFERENCES classes (name),
	PRIMARY KEY (staff_id, class)
);
CREATE INDEX staff_classes_class ON staff_classes (class);

CREATE TABLE staff_subjects (
	staff_id	TEXT NOT NULL REFERENCES staff (staff_id),
	subject_id	INTEGER NOT NULL REFERENCES subjects (subject_id),
	PRIMARY KEY (staff_id, subject_id)
);

CREATE TABLE students (
	student_id	TEXT PRIMARY KEY,
	last_name	TEXT NOT NULL,
	first_name	TEXT NOT NULL,
	middle_name	TEXT,
	birth_date	TEXT NOT NULL,
	class		TEXT NOT NULL REFERENCES classes (name),
	email		TEXT,
	phone		TEXT,
	status		TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'left')),
	left_on		TEXT,
	audit_seq	INTEGER REFERENCES audit (seq),
	CHECK ((status = 'left') = (left_on IS NOT NULL))
);
CREATE INDEX students_class ON students (class, status);

CREATE TABLE guardians (
	guardian_id	TEXT PRIMARY KEY,
	last_name	TEXT NOT NULL,
	first_name	TEXT NOT NULL,
	middle_name	TEXT,
	email		TEXT,
	phone		TEXT,
	audit_seq	INTEGER REFERENCES audit (seq)
);

CREATE TABLE guardian_links (
	guardian_id	TEXT NOT NULL REFERENCES guardians (guardian_id),
	student_id	TEXT NOT NULL REFERENCES students (student_id),
	relation	TEXT CHECK (relation IN ('mother', 'father', 'guardian', 'other')),
	audit_seq	INTEGER REFERENCES audit (seq),
	PRIMARY KEY (guardian_id, student_id)
);
CREATE INDEX guardian_links_student ON guardian_links (student_id);

-- A group belongs to its class; class '' is a stream across classes; a group
-- of one student is an individual study plan.
CREATE TABLE study_groups (
	group_id	INTEGER PRIMARY KEY,
	class		TEXT NOT NULL DEFAULT '',
	name		TEXT NOT NULL,
	subject_id	INTEGER NOT NULL REFERENCES subjects (subject_id),
	audit_seq	INTEGER REFERENCES audit (seq),
	UNIQUE (class, name, subject_id)
);

CREATE TABLE group_members (
	group_id	INTEGER NOT NULL REFERENCES study_groups (group_id),
	student_id	TEXT NOT NULL REFERENCES students (student_id),
	audit_seq	INTEGER REFERENCES audit (seq),
	PRIMARY KEY (group_id, student_id)
);
CREATE INDEX group_members_student ON group_members (student_id);

-- Exceptions to the built-in rule (Saturdays, Sundays, ТК РФ ст.112 holidays).
CREATE TABLE calendar (
	date		TEXT PRIMARY KEY,
	kind		TEXT NOT NULL CHECK (kind IN ('dayoff', 'short', 'workday')),
	audit_seq	INTEGER REFERENCES audit (seq)
);
