#!/usr/bin/python3
"""rechain.py DB: recomputes the whole audit hash chain of a store, as someone
who can write the file but not the witness would after editing a record.

Each record's hash is the SHA-256 of its fields, each prefixed by its length in
bytes and a colon ("5:admin"), in this order: the previous record's hash (64
zeros before the first), seq, at, actor, tool, action, object, detail. The
script rewrites prev_hash and hash of every record and audit_head, so the chain
is unbroken again and only a witness can tell.
"""
import hashlib
import sqlite3
import sys


def field(h, value):
    data = b"" if value is None else str(value).encode("utf-8")
    h.update(str(len(data)).encode("ascii") + b":")
    h.update(data)


def main(path):
    db = sqlite3.connect(path)
    prev = "0" * 64
    last = 0
    rows = db.execute("SELECT seq, at, actor, tool, action, object, detail FROM audit ORDER BY seq").fetchall()
    for row in rows:
        h = hashlib.sha256()
        field(h, prev)
        for value in row:
            field(h, value)
        digest = h.hexdigest()
        db.execute("UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, digest, row[0]))
        prev, last = digest, row[0]
    db.execute("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", (last, prev))
    db.commit()
    db.close()


if __name__ == "__main__":
    main(sys.argv[1])
