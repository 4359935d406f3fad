#!/usr/bin/env python3
"""Grows a store made by `cost import` into a larger one for report benchmarks.

Copies every request (and its rollup rows) N-1 more times, each copy shifted by 30 days and
given new dedupe keys, so a store imported from a 1M-record month becomes an N-month store
of N million requests with the same shape. Standard library only.

usage: bench/replicate.py STORE.db N
"""
import sqlite3
import sys

DAY_MS = 86_400_000


def main() -> None:
    path, copies = sys.argv[1], int(sys.argv[2])
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    # Schema 6 keeps the rows in `request_rows`, text values as ids into `names`.
    narrow = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'request_rows'").fetchone() is not None
    table = "request_rows" if narrow else "requests"
    cols = [r[1] for r in db.execute(f"PRAGMA table_info({table})") if r[1] != "id"]
    tables = [
        t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'rollup_%'")
    ]
    rolls = {t: [r[1] for r in db.execute(f"PRAGMA table_info({t})")] for t in tables}
    base = db.execute("SELECT COUNT(*) FROM requests").fetchone()[0]
    for k in range(1, copies):
        shift = 30 * k
        sel = {c: c for c in cols}
        sel["key_hash"] = f"-((key_hash & 0x00FFFFFFFFFFFFFF) + ({k} << 56)) - 1"
        sel["request_key"] = f"request_key || '#{k}'"
        sel["ts_ms"] = f"ts_ms + {shift * DAY_MS}"
        day = f"date(day, '+{shift} days')"
        # Each copy's runs are runs of their own.
        session = f"session_id || '#{k}'"
        if narrow:
            name = lambda col: f"(SELECT name FROM names WHERE id = {col})"  # noqa: E731
            day = f"date({name('day')}, '+{shift} days')"
            session = f"{name('session_id')} || '#{k}'"
            for expr in (day, session):
                db.execute(
                    f"INSERT OR IGNORE INTO names (name) SELECT DISTINCT {expr} FROM request_rows "
                    f"WHERE id <= {base} AND {expr} IS NOT NULL"
                )
            day = f"(SELECT id FROM names WHERE name = {day})"
            session = f"(SELECT id FROM names WHERE name = {session})"
        sel["day"] = day
        if "session_id" in sel:
            sel["session_id"] = session
        with db:
            db.execute(
                f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(sel[c] for c in cols)} "
                f"FROM {table} WHERE id <= {base}"
            )
            for t, roll in rolls.items():
                rsel = {c: c for c in roll}
                rsel["day"] = f"date(day, '+{shift} days')"
                if "session_id" in rsel:
                    rsel["session_id"] = f"CASE WHEN session_id = '' THEN '' ELSE session_id || '#{k}' END"
                db.execute(
                    f"INSERT INTO {t} ({', '.join(roll)}) SELECT {', '.join(rsel[c] for c in roll)} "
                    f"FROM {t} WHERE day < date((SELECT MIN(day) FROM {t}), '+30 days')"
                )
        print(f"copy {k}: {db.execute('SELECT COUNT(*) FROM requests').fetchone()[0]:,} requests", flush=True)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    n = db.execute("SELECT COUNT(*) FROM requests").fetchone()[0]
    sizes = ", ".join(f"{db.execute(f'SELECT COUNT(*) FROM {t}').fetchone()[0]:,} in {t}" for t in tables)
    print(f"{path}: {n:,} requests; rollup rows: {sizes}")


if __name__ == "__main__":
    main()
