#!/usr/bin/env python3
"""Writes a synthetic Codex CLI home (sessions/YYYY/MM/DD/rollout-*.jsonl) for import benchmarks.

Each session is a turn_context line, then per turn a user message item, a reasoning item and a
`token_count` event carrying the running total and the turn's own usage; a share of the counts
is written again unchanged with a later timestamp, as Codex does (they must not be billed).
Every `--forks`-th session is a subagent that first replays its parent's counts. The totals a
correct importer bills are written to --totals. Standard library only.

usage: bench/gen-codex.py --events 1000000 --out /tmp/codex-home [--seed 1] [--reemit 0.3]
       [--per-session 2000] [--forks 10] [--totals totals.json]
"""
import argparse
import json
import os
import random
from datetime import datetime, timedelta, timezone

MODELS = ["gpt-5.2", "gpt-5.1-codex", "gpt-5-mini", "gpt-5.2-codex"]


def stamp(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def usage(u):
    i, c, o, r = u
    return {"input_tokens": i, "cached_input_tokens": c, "output_tokens": o,
            "reasoning_output_tokens": r, "total_tokens": i + o}


def count_line(t, total, last):
    info = {"total_token_usage": usage(total), "last_token_usage": usage(last), "model_context_window": 272000}
    payload = {"type": "token_count", "info": info,
               "rate_limits": {"primary": {"used_percent": 41.0, "window_minutes": 300, "resets_in_seconds": 5400}}}
    return json.dumps({"timestamp": stamp(t), "type": "event_msg", "payload": payload}, separators=(",", ":"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, required=True, help="token_count events to write (re-emissions included)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--reemit", type=float, default=0.3, help="share of counts written twice")
    ap.add_argument("--per-session", type=int, default=2000)
    ap.add_argument("--forks", type=int, default=10, help="every Nth session is a subagent replaying its parent")
    ap.add_argument("--totals")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    start = datetime(2026, 10, 1, tzinfo=timezone.utc)
    written = 0
    session = 0
    billed = [0, 0, 0, 0]
    turns = 0
    parent_counts = []
    while written < a.events:
        session += 1
        t = start + timedelta(minutes=37 * session)
        day = t.strftime("%Y/%m/%d")
        sid = f"0199{session:08x}-0000-7000-8000-{session:012x}"
        path = os.path.join(a.out, "sessions", day, f"rollout-{t.strftime('%Y-%m-%dT%H-%M-%S')}-{sid}.jsonl")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fork = a.forks > 0 and session % a.forks == 0 and parent_counts
        lines = []
        meta = {"id": sid, "timestamp": stamp(t), "cwd": f"/home/dev/repo{session % 7}", "originator": "codex_cli_rs",
                "cli_version": "0.60.1", "source": "cli", "git": {"branch": "main"}}
        if fork:
            meta["source"] = {"subagent": {"thread_spawn": {"parent_thread_id": "parent"}}}
        lines.append(json.dumps({"timestamp": stamp(t), "type": "session_meta", "payload": meta}, separators=(",", ":")))
        total = [0, 0, 0, 0]
        if fork:
            for i, (tot, last) in enumerate(parent_counts):
                lines.append(count_line(t + timedelta(milliseconds=i % 900), tot, last))
                written += 1
            total = list(parent_counts[-1][0])
        model = rng.choice(MODELS)
        t += timedelta(seconds=2)
        lines.append(json.dumps({"timestamp": stamp(t), "type": "turn_context",
                                 "payload": {"cwd": meta["cwd"], "model": model, "effort": "medium"}}, separators=(",", ":")))
        counts = []
        n = min(a.per_session, a.events - written)
        k = 0
        while k < n:
            t += timedelta(seconds=rng.randint(3, 90))
            text = "x" * rng.randint(40, 400)
            lines.append(json.dumps({"timestamp": stamp(t), "type": "response_item",
                                     "payload": {"type": "message", "role": "user",
                                                 "content": [{"type": "input_text", "text": text}]}}, separators=(",", ":")))
            lines.append(json.dumps({"timestamp": stamp(t), "type": "response_item",
                                     "payload": {"type": "reasoning", "summary": [], "encrypted_content": "gAAAA" + "y" * 200}},
                                    separators=(",", ":")))
            inp = rng.randint(2_000, 120_000)
            last = [inp, inp * rng.randint(0, 95) // 100, rng.randint(10, 4_000), 0]
            last[3] = last[2] * rng.randint(0, 60) // 100
            total = [total[i] + last[i] for i in range(4)]
            billed = [billed[i] + last[i] for i in range(4)]
            turns += 1
            lines.append(count_line(t, total, last))
            counts.append((list(total), last))
            k += 1
            written += 1
            if k < n and rng.random() < a.reemit:
                lines.append(count_line(t + timedelta(milliseconds=400), total, last))
                k += 1
                written += 1
        parent_counts = counts[:20]
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
    summary = {"sessions": session, "events": written, "billed_turns": turns,
               "input": billed[0], "cached": billed[1], "output": billed[2], "reasoning": billed[3]}
    if a.totals:
        with open(a.totals, "w") as f:
            json.dump(summary, f, indent=2)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
