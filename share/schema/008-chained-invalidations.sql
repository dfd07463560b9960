-- 008: an invalidation (a leaked login's operations) is a record of the audit
-- chain of its own (object audit:SEQ), so that a mark added to or removed from
-- audit_invalid behind the toolkit's back shows in portal-db check. A store of
-- an older schema has marks without such records: portal-db migrate appends
-- one for each, in the chain, right after this migration.
CREATE INDEX audit_invalid_by_seq ON audit_invalid (by_seq);
