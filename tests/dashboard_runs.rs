//! `cost dashboard` on the unit of work (DESIGN §13): the Runs view, a run's calls, the cost
//! per run in Teams and Templates, a team's drill-down by template, model and tag, and the
//! Cache view by team — through the real binary's `--snapshot` (the event loop on ratatui's
//! TestBackend, keys replayed through the keymap), and once in tmux. Also what a FinOps lead
//! tripped over: Budgets at 80 columns, `forecast over`, lists that say `… N more` while rows
//! stay empty.
//!
//! The runs store (November 2026, "now" = Nov 20; prices from the shipped table: gpt-4o
//! $2.50 / M input = 2,500 nano-USD a token and $10 / M output = 10,000; gpt-4o-mini $0.15 / M
//! input = 150 and $0.60 / M output = 600):
//!
//! | run            | team    | template     | model       | calls | input of call k | out   | cost    |
//! |----------------|---------|--------------|-------------|-------|-----------------|-------|---------|
//! | fix-1 … fix-5  | agents  | agent/fix    | gpt-4o      | 4     | 10,000 × k      | 500   | $0.27   |
//! | fix-big        | agents  | agent/fix    | gpt-4o      | 25    | 10,000 × k      | 500   | $8.25   |
//! | review-1 … -4  | agents  | agent/review | gpt-4o-mini | 2     | 16,000          | 1,000 | $0.006  |
//! | chat-1 … -3    | support | support/chat | gpt-4o      | 3     | 2,000           | 100   | $0.018  |
//! | chat-retry     | support | support/chat | gpt-4o      | 7     | 2,000           | 100   | $0.042  |
//!
//! - A fix call k costs 10,000k × 2,500 + 500 × 10,000 = 25,000,000k + 5,000,000 nano-USD: a
//!   4-call run 25,000,000 × (1+2+3+4) + 4 × 5,000,000 = 270,000,000 ($0.27); fix-big
//!   25,000,000 × 325 + 25 × 5,000,000 = 8,250,000,000 ($8.25), its input growing from 10,000
//!   to 250,000 (×25.0).
//! - A review call: 16,000 × 150 + 1,000 × 600 = 3,000,000 ($0.003), a run $0.006.
//! - A chat call: 2,000 × 2,500 + 100 × 10,000 = 6,000,000 ($0.006); chat-retry's calls 2–6
//!   fail (five in a row: a retry loop).
//! - Tags: agent/fix calls `feature=autofix env=prod`, agent/review `feature=review
//!   env=staging`, support/chat `feature=chat` (no env).
//!
//! Totals: agent/fix 5 × $0.27 + $8.25 = $9.60, agent/review $0.024, agents $9.624,
//! support/chat 3 × $0.018 + $0.042 = $0.096; $9.72 over 69 calls.

mod common;
use common::store::{Call, Calls, Row, Usage, cost_at, imported, imported_calls};
use common::*;

const NOW: &str = "2026-11-20T12:00:00Z";

fn runs_store() -> tempfile::TempDir {
    let mut calls = Calls::new();
    let mut run = |day: u32, hour: u32, session: &str, kind: &str, n: u64, every_s: u64| {
        for k in 1..=n {
            let s = (k - 1) * every_s;
            let at = format!("2026-11-{day:02}T{hour:02}:{:02}:{:02}Z", s / 60, s % 60);
            let (team, template, model, input, output, tags): (_, _, _, _, _, &[(&str, &str)]) = match kind {
                "fix" => (
                    "agents",
                    "agent/fix",
                    "gpt-4o",
                    10_000 * k,
                    500,
                    &[("feature", "autofix"), ("env", "prod")],
                ),
                "review" => (
                    "agents",
                    "agent/review",
                    "gpt-4o-mini",
                    16_000,
                    1_000,
                    &[("feature", "review"), ("env", "staging")],
                ),
                _ => ("support", "support/chat", "gpt-4o", 2_000, 100, &[("feature", "chat")]),
            };
            let failed = session == "chat-retry" && (2..=6).contains(&k);
            calls.add(Call {
                at: &at,
                session,
                team,
                template,
                model,
                input,
                output,
                status: if failed { "error" } else { "ok" },
                tags,
            });
        }
    };
    for i in 1..=5 {
        run(1 + i, 9, &format!("fix-{i}"), "fix", 4, 10);
    }
    run(10, 14, "fix-big", "fix", 25, 20);
    for i in 1..=4 {
        run(2 + i, 11, &format!("review-{i}"), "review", 2, 30);
    }
    for i in 1..=3 {
        run(3 + i, 15, &format!("chat-{i}"), "chat", 3, 5);
    }
    run(12, 16, "chat-retry", "chat", 7, 2);
    imported_calls("", &calls)
}

fn snapshot(dir: &tempfile::TempDir, view: &str, size: &str, keys: &str) -> String {
    let mut cmd = cost_at(dir, NOW);
    cmd.args(["dashboard", "--snapshot", view, "--size", size]);
    if !keys.is_empty() {
        cmd.args(["--keys", keys]);
    }
    stdout(&mut cmd)
}

#[test]
fn debug_print() {
    let dir = runs_store();
    for (view, size, keys) in [
        ("runs", "80x24", ""),
        ("runs", "160x48", ""),
        ("runs", "120x40", "enter"),
        ("runs", "80x24", "enter"),
        ("teams", "120x40", ""),
        ("templates", "120x40", ""),
        ("teams", "120x40", "enter"),
        ("teams", "120x40", "enter enter"),
        ("teams", "120x40", "enter enter enter"),
        ("teams", "120x40", "enter d d"),
        ("cache", "120x40", "d"),
    ] {
        println!("=== {view} {size} {keys}\n{}", snapshot(&dir, view, size, keys));
    }
}
