#!/usr/bin/python3
"""rechain.py DB: recomputes the whole audit hash chain of a store, as someone
who can write the file but not the witness would after editing a record.

Each record's hash is the SHA-256 of its fields, each prefixed by its length in
bytes and a colon ("5:admin"), in this order: the previous record's hash (64
zeros before the first), seq, at, actor, tool, action, object, detail. The
script rewrites prev_hash and hash of every record and audit_head, so the chain
is unbroken again and only a witness can tell. DB is a SQLite file, or a school
of PostgreSQL as the tests name it (psql reads and writes it).
"""
import hashlib
import sqlite3
import sys


def field(h, value):
    data = b"" if value is None else str(value).encode("utf-8")
    h.update(str(len(data)).encode("ascii") + b":")
    h.update(data)


SELECT = "SELECT seq, at, actor, tool, action, object, detail FROM audit ORDER BY seq"


def rechain(rows):
    """The UPDATEs, as (sql, parameters), that make the chain of rows whole again."""
    prev = "0" * 64
    last = 0
    for row in rows:
        h = hashlib.sha256()
        field(h, prev)
        for value in row:
            field(h, value)
        digest = h.hexdigest()
        yield "UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, digest, row[0])
        prev, last = digest, row[0]
    yield "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", (last, prev)


def literal(value):
    return "'" + str(value).replace("'", "''") + "'"


def main_postgresql(uri):
    """A school of PostgreSQL (the tests' URI, ?school=NAME): its rows by psql, in CSV."""
    import csv, io, os, subprocess
    env = dict(os.environ, PGOPTIONS="-csearch_path=" + uri.rsplit("school=", 1)[1])
    out = subprocess.run(["psql", "-XAtq", "--csv", "-c", SELECT], env=env, check=True,
                         capture_output=True, text=True).stdout
    rows = [[None if v == "" else v for v in r] for r in csv.reader(io.StringIO(out))]
    script = "".join(sql.replace("?", "%s") % tuple(literal(p) for p in params) + ";\n"
                     for sql, params in rechain(rows))
    subprocess.run(["psql", "-Xq", "-v", "ON_ERROR_STOP=1", "-1"], env=env, input=script, text=True, check=True)


def main(path):
    if path.startswith("postgresql://"):
        main_postgresql(path)
        return
    db = sqlite3.connect(path)
    for sql, params in rechain(db.execute(SELECT).fetchall()):
        db.execute(sql, params)
    db.commit()
    db.close()


if __name__ == "__main__":
    main(sys.argv[1])
