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
    cols = [r[1] for r in db.execute("PRAGMA table_info(requests)") if r[1] != "id"]
    roll = [r[1] for r in db.execute("PRAGMA table_info(rollup_daily)")]
    base = db.execute("SELECT COUNT(*) FROM requests").fetchone()[0]
    for k in range(1, copies):
        shift = 30 * k
        sel = {c: c for c in cols}
        sel["key_hash"] = f"-((key_hash & 0x00FFFFFFFFFFFFFF) + ({k} << 56)) - 1"
        sel["request_key"] = f"request_key || '#{k}'"
        sel["ts_ms"] = f"ts_ms + {shift * DAY_MS}"
        sel["day"] = f"date(day, '+{shift} days')"
        rsel = {c: c for c in roll}
        rsel["day"] = f"date(day, '+{shift} days')"
        with db:
            db.execute(
                f"INSERT INTO requests ({', '.join(cols)}) SELECT {', '.join(sel[c] for c in cols)} "
                f"FROM requests WHERE id <= {base}"
            )
            db.execute(
                f"INSERT INTO rollup_daily ({', '.join(roll)}) SELECT {', '.join(rsel[c] for c in roll)} "
                f"FROM rollup_daily WHERE day < date((SELECT MIN(day) FROM rollup_daily), '+30 days')"
            )
        print(f"copy {k}: {db.execute('SELECT COUNT(*) FROM requests').fetchone()[0]:,} requests", flush=True)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    n, r = db.execute("SELECT (SELECT COUNT(*) FROM requests), (SELECT COUNT(*) FROM rollup_daily)").fetchone()
    print(f"{path}: {n:,} requests, {r:,} rollup rows")


if __name__ == "__main__":
    main()
