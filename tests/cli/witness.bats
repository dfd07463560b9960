#!/usr/bin/env bats
# The audit log anchored: invalidations are records of the chain, and the
# witness file (audit.witness) holds the heads outside the store, so that
# `portal-db check` finds the five ways to rewrite the log behind the
# toolkit's back: an edited record, a record removed in the middle, a cut
# tail with a rewritten head, a recomputed chain, removed invalidations.

bats_require_minimum_version 1.5.0
load helpers

# leaked: a second admin "admin2" changes a setting after the report of its
# leak, and the breach invalidates that change (record 3, by record 4).
leaked() {
	new_store || return 1
	printf 'staff_id,last_name,first_name,role,login\nA2,Второй,Админ,admin,admin2\n' >st.csv
	portal-accounts -q import staff st.csv || return 1
	PORTAL_NOW=2026-11-27T10:00:00Z PORTAL_ACTOR=admin2 portal-db -q config school.name X || return 1
	PORTAL_NOW=2026-11-27T14:00:00Z portal-accounts -q breach admin2 \
		--discovered-at "2026-11-27 10:00" --reported-at "2026-11-27 12:00" >/dev/null
}

# ---- invalidations inside the chain ----

@test "an invalidation is an audit record of its own, after the breach that made it" {
	leaked
	same "3|4" "$(q 'SELECT seq, by_seq FROM audit_invalid')" "the mark"
	same "5|admin|breach|audit:3" "$(q "SELECT seq, actor, action, object FROM audit WHERE object LIKE 'audit:%'")" \
		"the invalidation's record"
	contains '"by_seq":4' "$(q 'SELECT detail FROM audit WHERE seq = 5')"
	contains '"reason":"login admin2 reported leaked' "$(q 'SELECT detail FROM audit WHERE seq = 5')"
	same "" "$(q 'SELECT seq FROM audit_invalid WHERE seq >= 4')" "the breach's own records stay valid"
	run --separate-stderr portal-db check
	status_is 0
}

@test "check: a deleted invalidation exits 65 naming the record it marked" {
	leaked
	q 'DELETE FROM audit_invalid'
	run --separate-stderr portal-db check
	status_is 65
	contains "audit record 3 was invalidated" "$stderr"
}

@test "check: an added or altered invalidation exits 65 naming the record" {
	leaked
	q "INSERT INTO audit_invalid (seq, reason, by_seq) VALUES (2, 'made up', 4)"
	run --separate-stderr portal-db check
	status_is 65
	contains "audit record 2 is marked invalid" "$stderr"
	q 'DELETE FROM audit_invalid WHERE seq = 2'
	q "UPDATE audit_invalid SET reason = 'other' WHERE seq = 3"
	run --separate-stderr portal-db check
	status_is 65
	contains "audit record 3 is marked invalid" "$stderr"
}
