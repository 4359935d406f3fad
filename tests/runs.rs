//! `cost runs`: one row per session, the spread of cost per run, and runaway runs.

mod common;

use common::{cost_in, json, stdout};
use serde_json::Value;

/// One envelope line: gpt-4o-mini ($0.15 / M input = 150 nano-USD a token, $0.60 / M output =
/// 600 nano-USD a token).
fn call(id: &str, session: &str, template: &str, at_s: i64, input: u64, output: u64, status: &str) -> String {
    let ts = 1_793_664_000 + at_s; // 2026-11-03T00:00:00Z + at_s
    format!(
        r#"{{"timestamp":{ts},"request_id":"{id}","provider":"openai","session_id":"{session}","status":"{status}","metadata":{{"team":"agents","template":"{template}"}},"response":{{"model":"gpt-4o-mini","usage":{{"prompt_tokens":{input},"completion_tokens":{output}}}}}}}"#
    )
}

/// agent/fix: ten ordinary runs of 4 calls (1,000 in, 100 out = 210,000 nano-USD a call,
/// 840,000 a run), `fix-big` with 30 such calls (6,300,000) and `fix-retry` with 8 calls of
/// which 6 in a row failed (1,680,000). agent/review: four runs of 2 calls (420,000) and
/// `review-big`, 2 calls of 3,500,000 input tokens (2 × 525,000,000 = $1.05).
fn corpus() -> String {
    let mut lines = Vec::new();
    let mut n = 0;
    let mut at = 0;
    let mut run = |lines: &mut Vec<String>, session: &str, template: &str, calls: &[(u64, u64, &str)]| {
        for (input, output, status) in calls {
            n += 1;
            at += 10;
            lines.push(call(&format!("c{n}"), session, template, at, *input, *output, status));
        }
        at += 3600;
    };
    for i in 1..=10 {
        run(&mut lines, &format!("fix-{i:02}"), "agent/fix", &[(1000, 100, "ok"); 4]);
    }
    run(&mut lines, "fix-big", "agent/fix", &[(1000, 100, "ok"); 30]);
    let mut retry = vec![(1000, 100, "ok")];
    retry.extend([(1000, 100, "error"); 6]);
    retry.push((1000, 100, "ok"));
    run(&mut lines, "fix-retry", "agent/fix", &retry);
    for i in 1..=4 {
        run(
            &mut lines,
            &format!("review-{i}"),
            "agent/review",
            &[(1000, 100, "ok"); 2],
        );
    }
    run(&mut lines, "review-big", "agent/review", &[(3_500_000, 0, "ok"); 2]);
    lines.join("\n") + "\n"
}

fn nanos(v: &Value) -> i64 {
    (v.as_f64().unwrap() * 1e9).round() as i64
}

fn store() -> tempfile::TempDir {
    let dir = common::project(&[("agents.jsonl", &corpus())]);
    stdout(
        cost_in(dir.path())
            .env("COST_DB", dir.path().join("cost.db"))
            .args(["import", "-q", "agents.jsonl"]),
    );
    dir
}

fn runs(dir: &tempfile::TempDir, args: &[&str]) -> Value {
    json(
        cost_in(dir.path())
            .env("COST_DB", dir.path().join("cost.db"))
            .env("COST_NOW", "2026-11-30T12:00:00Z")
            .args(["runs", "--format", "json"])
            .args(args),
    )
}

#[test]
fn one_row_per_session_with_exact_calls_errors_cost_and_growth() {
    let dir = store();
    let v = runs(&dir, &["--top", "3"]);
    assert_eq!(v["schema"], "cost.runs/v1");
    assert_eq!(v["total_runs"], 17);
    // 10 × 840,000 + 6,300,000 + 1,680,000 + 4 × 420,000 + 1,050,000,000
    // = 8,400,000 + 6,300,000 + 1,680,000 + 1,680,000 + 1,050,000,000.
    assert_eq!(nanos(&v["total_usd"]), 1_068_060_000);
    let rows = v["runs"].as_array().unwrap();
    assert_eq!(rows.len(), 3, "--top 3");
    let sessions: Vec<&str> = rows.iter().map(|r| r["session"].as_str().unwrap()).collect();
    assert_eq!(sessions, ["review-big", "fix-big", "fix-retry"]);
    let retry = &rows[2];
    assert_eq!(retry["calls"], 8);
    assert_eq!(retry["errors"], 6);
    assert_eq!(retry["max_error_streak"], 6);
    assert_eq!(retry["input_tokens"], 8000);
    assert_eq!(retry["output_tokens"], 800);
    assert_eq!(nanos(&retry["cost_usd"]), 1_680_000);
    // 8 calls 10 s apart: 70 s from the first to the last.
    assert_eq!(retry["duration_s"], 70);
    assert_eq!(retry["context_growth"], 1.0);
    assert_eq!(retry["template"], "agent/fix");
    assert_eq!(retry["team"], "agents");
    // Sorted by calls: fix-big (30) first.
    let by_calls = runs(&dir, &["--sort", "calls", "--top", "1"]);
    assert_eq!(by_calls["runs"][0]["session"], "fix-big");
    assert_eq!(by_calls["runs"][0]["calls"], 30);
}

#[test]
fn the_spread_per_template_is_nearest_rank_over_the_runs() {
    let dir = store();
    let v = runs(&dir, &[]);
    let fix = v["by_template"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "agent/fix")
        .unwrap();
    // 12 runs: ten of 840,000, one of 1,680,000, one of 6,300,000.
    // p50 = 6th = 840,000; p90 = 11th (⌈10.8⌉) = 1,680,000; p99 = 12th (⌈11.88⌉) = 6,300,000.
    assert_eq!(fix["runs"], 12);
    assert_eq!(nanos(&fix["total_usd"]), 16_380_000);
    assert_eq!(nanos(&fix["mean_usd"]), 1_365_000);
    assert_eq!(nanos(&fix["p50_usd"]), 840_000);
    assert_eq!(nanos(&fix["p90_usd"]), 1_680_000);
    assert_eq!(nanos(&fix["p99_usd"]), 6_300_000);
    assert_eq!(nanos(&fix["max_usd"]), 6_300_000);
    // Calls: ten 4s, an 8 and a 30: the 11th is 8.
    assert_eq!(fix["p90_calls"], 8);
    let team = &v["by_team"][0];
    assert_eq!(team["name"], "agents");
    assert_eq!(team["runs"], 17);
}

#[test]
fn planted_runaways_are_flagged_and_ordinary_runs_are_not() {
    let dir = store();
    let v = runs(&dir, &[]);
    let flagged: Vec<(String, Vec<String>)> = v["runaway"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["session"].as_str().unwrap().to_string(),
                r["causes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect();
    // review-big: $1.05 > 5 × 420,000 (the p90 of the other four reviews) and ≥ $1.
    // fix-big: 30 calls > 5 × 4 (the p90 of the other eleven fixes: ten 4s and an 8 → 4) and ≥ 20.
    // fix-retry: 6 failed calls in a row. Every other run is ordinary.
    assert_eq!(
        flagged,
        vec![
            ("review-big".to_string(), vec!["cost".to_string()]),
            ("fix-big".to_string(), vec!["calls".to_string()]),
            ("fix-retry".to_string(), vec!["retry_loop".to_string()]),
        ]
    );
    assert_eq!(v["runaway"][1]["reason"], "30 calls, over 5× the template's p90 of 4");
    assert_eq!(
        v["runaway"][0]["reason"],
        "$1.05 cost, over 5× the template's p90 of $0.0004"
    );
    // The table lists them under the runs, kept with -q.
    let text = stdout(
        cost_in(dir.path())
            .env("COST_DB", dir.path().join("cost.db"))
            .env("COST_NOW", "2026-11-30T12:00:00Z")
            .args(["runs", "-q", "--top", "2"]),
    );
    assert!(
        text.contains("runaway run fix-retry (agent/fix, $0.0017, started 2026-11-03T"),
        "{text}"
    );
    assert!(text.contains("a retry loop of 6 failed calls in a row"), "{text}");
}

#[test]
fn filters_narrow_the_runs_and_the_per_template_table_has_one_row_per_template() {
    let dir = store();
    let v = runs(&dir, &["--template", "agent/review"]);
    assert_eq!(v["total_runs"], 5);
    let csv = stdout(
        cost_in(dir.path())
            .env("COST_DB", dir.path().join("cost.db"))
            .env("COST_NOW", "2026-11-30T12:00:00Z")
            .args(["runs", "--per", "template", "--format", "csv"]),
    );
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "template,runs,total,mean,p50,p90,p99,max,p90_calls");
    // review: 4 × 420,000 + 1,050,000,000 = $1.05168; mean / 5 = $0.210336.
    assert_eq!(lines[1], "agent/review,5,1.05168,0.210336,0.00042,1.05,1.05,1.05,2");
    assert_eq!(lines.len(), 3);
}

#[test]
fn runaway_runs_are_anomalies_of_their_own_kind() {
    let dir = store();
    let v = json(
        cost_in(dir.path())
            .env("COST_DB", dir.path().join("cost.db"))
            .env("COST_NOW", "2026-11-30T12:00:00Z")
            .args(["anomalies", "--format", "json"]),
    );
    let found: Vec<(&str, &str, &str, f64, f64, i64, &str)> = v["anomalies"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "runaway_run")
        .map(|a| {
            (
                a["key"].as_str().unwrap(),
                a["template"].as_str().unwrap(),
                a["metric"].as_str().unwrap(),
                a["before"].as_f64().unwrap(),
                a["after"].as_f64().unwrap(),
                nanos(&a["excess_usd"]),
                a["driver"].as_str().unwrap(),
            )
        })
        .collect();
    // review-big: $1.05 against the reviews' p90 of $0.00042: $1.04958 above it.
    // fix-big: 30 calls against a p90 of 4; 6,300,000 − 840,000 = 5,460,000 above the p90 cost.
    // fix-retry: 6 failed calls in a row; 1,680,000 − 840,000 = 840,000.
    assert_eq!(
        found,
        vec![
            (
                "review-big",
                "agent/review",
                "cost_per_run_usd",
                0.00042,
                1.05,
                1_049_580_000,
                "tokens_per_call"
            ),
            (
                "fix-big",
                "agent/fix",
                "calls_per_run",
                4.0,
                30.0,
                5_460_000,
                "calls_per_run"
            ),
            (
                "fix-retry",
                "agent/fix",
                "failed_calls_in_a_row",
                0.0,
                6.0,
                840_000,
                "retry_loop"
            ),
        ]
    );
    assert_eq!(v["anomalies"].as_array().unwrap().len(), 3, "nothing else is flagged");
    let text = stdout(
        cost_in(dir.path())
            .env("COST_DB", dir.path().join("cost.db"))
            .env("COST_NOW", "2026-11-30T12:00:00Z")
            .args(["anomalies", "-q"]),
    );
    assert!(
        text.contains("runaway run   session fix-big (agent/fix)                p90 4 calls/run → 30      7.5   +$0.0055 this run   calls per run"),
        "{text}"
    );
}

#[test]
fn failures_spread_through_a_run_are_a_retry_loop_when_they_are_one_call_in_five() {
    // loop-a: 12 calls, 6 failures, never 2 in a row (6 × 5 ≥ 12): a retry loop.
    // loop-b: 40 calls, 5 failures apart (5 × 5 < 40): ordinary.
    let mut lines = Vec::new();
    let mut n = 0;
    for (session, calls, every) in [("loop-a", 12, 2), ("loop-b", 40, 8)] {
        for i in 0..calls {
            n += 1;
            let status = if i % every == 1 { "error" } else { "ok" };
            lines.push(call(&format!("x{n}"), session, "agent/x", n * 10, 1000, 100, status));
        }
    }
    let dir = common::project(&[("x.jsonl", &(lines.join("\n") + "\n"))]);
    stdout(
        cost_in(dir.path())
            .env("COST_DB", dir.path().join("cost.db"))
            .args(["import", "-q", "x.jsonl"]),
    );
    let v = runs(&dir, &[]);
    let flagged: Vec<(&str, &str)> = v["runaway"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["session"].as_str().unwrap(), r["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(flagged, vec![("loop-a", "a retry loop: 6 of its 12 calls failed")]);
    let a = json(
        cost_in(dir.path())
            .env("COST_DB", dir.path().join("cost.db"))
            .env("COST_NOW", "2026-11-30T12:00:00Z")
            .args(["anomalies", "--format", "json"]),
    );
    let found: Vec<(&str, &str, f64)> = a["anomalies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["key"].as_str().unwrap(),
                x["metric"].as_str().unwrap(),
                x["after"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(found, vec![("loop-a", "failed_calls", 6.0)]);
}
