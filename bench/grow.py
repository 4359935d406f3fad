#!/usr/bin/env python3
"""Growing logs and `cost watch` (docs/PERFORMANCE.md, "Growing logs and `cost watch`").

1. A re-run after 1 % more lines were appended to a 200k-record envelope file, against the
   cold import of the file before (median of 5 rounds each), and the totals of the grown store
   against a clean import of the whole file.
2. `cost watch --interval 1s` on that store: from a line written to a watched file to the
   alert it causes being printed (10 alerts, with file notifications and with --poll).

    bench/grow.py [RECORDS]     (needs ../shared/tools/gen-logs and a release build)
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COST = os.path.join(ROOT, "target", "release", "cost")
GEN = os.path.join(ROOT, "..", "shared", "tools", "gen-logs")
RECORDS = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
ROUNDS = 5


def cost(*args, cwd):
    return subprocess.run([COST, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def timed(*args, cwd):
    start = time.perf_counter()
    cost(*args, cwd=cwd)
    return time.perf_counter() - start


def totals(db, cwd):
    v = json.loads(cost("--db", db, "--format", "json", "report", "--since", "2000-01-01", cwd=cwd))
    t = v["totals"]
    keys = ["requests", "uncached_input_tokens", "cache_read_tokens", "output_tokens", "cost_usd", "unpriced_requests"]
    return {k: t[k] for k in keys}


def regrow(work):
    start = (datetime.now(timezone.utc) - timedelta(days=29)).strftime("%Y-%m-%d")
    whole = os.path.join(work, "all.jsonl")
    subprocess.run(
        [GEN, "--format", "envelope", "--records", str(RECORDS + RECORDS // 100), "--start", start, "--out", whole],
        check=True,
        capture_output=True,
    )
    with open(whole, "rb") as f:
        lines = f.readlines()
    keep = len(lines) * 100 // 101
    before, after = b"".join(lines[:keep]), b"".join(lines[keep:])
    print(f"corpus: {len(lines):,} lines ({RECORDS + RECORDS // 100:,} records); the first {keep:,} "
          f"({len(before) / 2**20:.1f} MiB), then {len(lines) - keep:,} appended ({len(after) / 2**10:.0f} KiB)")
    cold, rerun = [], []
    for r in range(ROUNDS):
        for p in ("gw.jsonl", "s.db", "s.db-wal", "s.db-shm"):
            if os.path.exists(os.path.join(work, p)):
                os.remove(os.path.join(work, p))
        with open(os.path.join(work, "gw.jsonl"), "wb") as f:
            f.write(before)
        cold.append(timed("--db", "s.db", "-q", "import", "gw.jsonl", cwd=work))
        with open(os.path.join(work, "gw.jsonl"), "ab") as f:
            f.write(after)
        rerun.append(timed("--db", "s.db", "-q", "import", "gw.jsonl", cwd=work))
    c, g = statistics.median(cold), statistics.median(rerun)
    print(f"cold import of the first 99 %: median {c * 1e3:.0f} ms ({', '.join(f'{x * 1e3:.0f}' for x in cold)})")
    print(f"re-run after 1 % appended:     median {g * 1e3:.0f} ms ({', '.join(f'{x * 1e3:.0f}' for x in rerun)})"
          f" = {g / c * 100:.1f} % of the cold import")
    timed("--db", "clean.db", "-q", "import", "gw.jsonl", cwd=work)
    grown, clean = totals("s.db", work), totals("clean.db", work)
    print(f"totals after the re-run: {grown}")
    print(f"totals of a clean import: {'the same' if grown == clean else clean}")


def latency(work, poll):
    """Seconds from a line written to its alert printed, for 10 alerts."""
    live = os.path.join(work, "live")
    shutil.rmtree(live, ignore_errors=True)
    os.makedirs(live)
    # Teams of their own for each run: the store keeps the spend of the runs before.
    tag = "p" if poll else "n"
    teams = "".join(f"[teams.bench{tag}{i}]\nmonthly_budget_usd = 0.001\n" for i in range(10))
    with open(os.path.join(work, "cost.toml"), "w") as f:
        f.write(teams)
    args = [COST, "--db", "s.db", "--format", "json", "watch", "live", "--interval", "1s", "--heartbeat", "1h"]
    if poll:
        args.append("--poll")
    proc = subprocess.Popen(args, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    seen = {}
    ready = threading.Event()

    def read():
        for line in proc.stdout:
            v = json.loads(line)
            if v["event"] == "heartbeat":
                ready.set()
            elif v["event"] == "budget":
                seen[v["team"]] = time.perf_counter()

    threading.Thread(target=read, daemon=True).start()
    ready.wait(60)
    waits = []
    for i in range(10):
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        line = json.dumps({"timestamp": now, "request_id": f"live-{poll}-{i}", "provider": "openai",
                           "metadata": {"team": f"bench{tag}{i}"}, "request": {"model": "gpt-4o"},
                           "response": {"model": "gpt-4o", "usage": {"prompt_tokens": 1000, "completion_tokens": 100}}})
        with open(os.path.join(live, "live.jsonl"), "a") as f:
            f.write(line + "\n")
        written = time.perf_counter()
        deadline = written + 30
        while f"bench{tag}{i}" not in seen and time.perf_counter() < deadline:
            time.sleep(0.005)
        waits.append(seen.get(f"bench{tag}{i}", float("inf")) - written)
        # Let the next write land in another pass.
        time.sleep(0.3)
    proc.terminate()
    proc.wait(10)
    os.remove(os.path.join(work, "cost.toml"))
    return waits


def main():
    work = tempfile.mkdtemp(prefix="cost-grow.")
    try:
        regrow(work)
        for poll in (False, True):
            w = latency(work, poll)
            how = "--poll" if poll else "file notifications"
            print(f"cost watch --interval 1s ({how}): line written → alert printed: median {statistics.median(w) * 1e3:.0f} ms, "
                  f"max {max(w) * 1e3:.0f} ms over {len(w)} alerts")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
