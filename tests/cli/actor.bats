#!/usr/bin/env bats
# Who acts (SPEC §3): --actor / PORTAL_ACTOR is a checked claim. Root and the
# owner of the store's file may act as anyone; another OS user only as the
# staff member whose os_user is that OS user. The tests run a second OS user
# (nobody) and need root to do so. All people here are made up.

bats_require_minimum_version 1.5.0
load helpers

# shared: a folder every OS user may enter, with copies of the binaries, the
# store (readable and writable by all, as a group would have it) and its staff.
shared_store() {
	[ "$(id -u)" -eq 0 ] || skip "needs root to run a command as another OS user"
	command -v setpriv >/dev/null || skip "needs setpriv (util-linux) to run a command as another OS user"
	SHARED=$(mktemp -d /tmp/portal-actor.XXXXXX)
	chmod 0777 "$SHARED"
	cp "${PORTAL_BIN:-$ROOT/bin}"/portal-accounts "${PORTAL_BIN:-$ROOT/bin}"/portal-db "$SHARED/"
	chmod 0755 "$SHARED"/portal-*
	export PORTAL_DB="$(store_at "$SHARED/p.db")"
	new_store
	printf '%s\n' staff_id,last_name,first_name,role,login,os_user,classes \
		"T1,Руководова,Ольга,class_leader,kl5a,nobody,5А" \
		"T2,Наставникова,Инна,class_leader,kl5b,,5Б" >staff.csv
	portal-accounts -q import staff staff.csv
	printf '%s\n' student_id,last_name,first_name,birth_date,class \
		"S1,Иванова,Мария,2015-03-01,5А" "S2,Петров,Илья,2015-04-02,5Б" >students.csv
	portal-accounts -q import students students.csv
	chmod 0666 "$PORTAL_DB"
}

teardown() {
	[ -z "${SHARED-}" ] || rm -rf "$SHARED"
}

# as_nobody CMD…: runs a binary of the shared folder as the OS user nobody.
as_nobody() {
	local bin=$1
	shift
	run --separate-stderr setpriv --reuid=nobody --regid=nogroup --clear-groups \
		env -u PORTAL_ACTOR PORTAL_DB="$PORTAL_DB" PORTAL_NOW="$PORTAL_NOW" ${ACTOR:+PORTAL_ACTOR=$ACTOR} \
		"$SHARED/$bin" "$@"
}

@test "another OS user may act only as the staff member whose os_user it is" {
	sqlite_only "the OS user and the store file's owner; on PostgreSQL the database role is the actor"
	shared_store
	before=$(db_digest)
	ACTOR=admin as_nobody portal-accounts set S1 phone=+79120000001
	status_is 77
	contains "nobody" "$stderr"
	contains "os_user" "$stderr"
	ACTOR=kl5b as_nobody portal-accounts list students --class 5Б
	status_is 77
	same "" "$output" "stdout of a refused claim"
	same "$before" "$(db_digest)" "the store after the refusals"

	# as the staff member whose os_user it is: by the claim, or by the OS login alone
	ACTOR=kl5a as_nobody portal-accounts set S1 phone=+79120000001
	status_is 0
	ACTOR= as_nobody portal-accounts list students --class 5А
	status_is 0
	contains "S1,Иванова"
	same kl5a "$(q "SELECT actor FROM audit WHERE object = 'student:S1' ORDER BY seq DESC LIMIT 1")" "who the audit names"
}

@test "root and the owner of the store's file may act as anyone" {
	sqlite_only "the OS user and the store file's owner; on PostgreSQL the database role is the actor"
	shared_store
	run --separate-stderr env PORTAL_ACTOR=kl5b portal-accounts list students --class 5Б
	status_is 0
	run --separate-stderr env PORTAL_ACTOR=kl5a portal-accounts list students --class 5А
	status_is 0
	chown nobody "$PORTAL_DB"
	ACTOR=admin as_nobody portal-accounts set S2 phone=+79120000002
	status_is 0
	ACTOR=kl5b as_nobody portal-accounts list students --class 5Б
	status_is 0
	contains "+79120000002"
}
