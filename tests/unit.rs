//! `cost unit`: spend joined with an outcomes file, and cost per run.

mod common;

use common::{cost_in, fails, json, project, stdout};
use serde_json::Value;

/// gpt-4o-mini calls of 1,000 input and 100 output tokens: 1,000 × 150 + 100 × 600 =
/// 210,000 nano-USD each.
fn call(id: &str, day: &str, team: &str, session: &str) -> String {
    format!(
        r#"{{"timestamp":"{day}T10:00:00Z","request_id":"{id}","provider":"openai","session_id":"{session}","metadata":{{"team":"{team}","template":"{team}/answer"}},"response":{{"model":"gpt-4o-mini","usage":{{"prompt_tokens":1000,"completion_tokens":100}}}}}}"#
    )
}

/// October: support 2 calls (420,000), research 1 (210,000). November: support 3 calls
/// (630,000). Sessions: s1 (Oct, 2 calls), s2 (Oct, research), s3 (Nov, 3 calls).
fn store(outcomes: &str) -> tempfile::TempDir {
    let lines = [
        call("a", "2026-10-05", "support", "s1"),
        call("b", "2026-10-05", "support", "s1"),
        call("c", "2026-10-07", "research", "s2"),
        call("d", "2026-11-03", "support", "s3"),
        call("e", "2026-11-03", "support", "s3"),
        call("f", "2026-11-03", "support", "s3"),
    ]
    .join("\n");
    let dir = project(&[("calls.jsonl", &lines), ("outcomes.csv", outcomes)]);
    stdout(
        cost_in(dir.path())
            .env("COST_DB", dir.path().join("cost.db"))
            .args(["import", "-q", "calls.jsonl"]),
    );
    dir
}

fn nanos(v: &Value) -> Option<i64> {
    v.as_f64().map(|f| (f * 1e9).round() as i64)
}

fn unit(dir: &tempfile::TempDir, args: &[&str]) -> Value {
    json(
        cost_in(dir.path())
            .env("COST_DB", dir.path().join("cost.db"))
            .env("COST_NOW", "2026-11-20T12:00:00Z")
            .args(["unit", "--format", "json"])
            .args(args),
    )
}

#[test]
fn cost_per_outcome_per_month_with_the_change_against_the_month_before() {
    let dir = store("month,team,units\n2026-10,support,2\n2026-11,support,2\n2026-10,research,4\n");
    let v = unit(&dir, &["--outcomes", "outcomes.csv"]);
    assert_eq!(v["schema"], "cost.unit/v1");
    assert_eq!(v["dimension"], "team");
    type Row = (String, String, f64, Option<i64>, Option<i64>, Option<f64>);
    let rows: Vec<Row> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["period"].as_str().unwrap().to_string(),
                r["value"].as_str().unwrap().to_string(),
                r["units"].as_f64().unwrap(),
                nanos(&r["cost_usd"]),
                nanos(&r["cost_per_unit_usd"]),
                r["change_pct"].as_f64(),
            )
        })
        .collect();
    // Oct support: 420,000 / 2 = 210,000. Oct research: 210,000 / 4 = 52,500.
    // Nov support: 630,000 / 2 = 315,000, +50 % on October's 210,000.
    assert_eq!(
        rows,
        vec![
            (
                "2026-10".into(),
                "research".into(),
                4.0,
                Some(210_000),
                Some(52_500),
                None
            ),
            (
                "2026-10".into(),
                "support".into(),
                2.0,
                Some(420_000),
                Some(210_000),
                None
            ),
            (
                "2026-11".into(),
                "support".into(),
                2.0,
                Some(630_000),
                Some(315_000),
                Some(50.0)
            ),
        ]
    );
    assert_eq!(nanos(&v["uncovered_usd"]), Some(0));
}

#[test]
fn spend_without_an_outcome_row_is_counted_and_said() {
    let dir = store("month,team,units\n2026-10,support,2\n");
    let out = cost_in(dir.path())
        .env("COST_DB", dir.path().join("cost.db"))
        .args(["unit", "--outcomes", "outcomes.csv", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "month,team,units,cost,per_unit,change\n2026-10,support,2,0.00042,0.00021,\n"
    );
    // research's 210,000 in October has no row.
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "note: $0.0002 of spend in these periods belongs to team values the outcomes file has no row for\n"
    );
}

#[test]
fn without_outcomes_the_unit_is_a_run() {
    let dir = store("month,team,units\n");
    let v = unit(&dir, &["--since", "2026-10-01"]);
    assert_eq!(v["unit"], "run");
    let r = &v["rows"];
    // support/answer: s1 in October (420,000, one run), s3 in November (630,000): +50 %.
    assert_eq!(r[0]["period"], "2026-10");
    assert_eq!(r[0]["value"], "research/answer");
    assert_eq!(r[1]["value"], "support/answer");
    assert_eq!(nanos(&r[1]["cost_per_unit_usd"]), Some(420_000));
    assert_eq!(r[2]["period"], "2026-11");
    assert_eq!(nanos(&r[2]["cost_per_unit_usd"]), Some(630_000));
    assert_eq!(r[2]["change_pct"], 50.0);
}

#[test]
fn a_bad_outcomes_file_names_its_line() {
    let dir = store("month,team,units\n2026-10,support,2\n2026-10,support,3\n");
    let (code, err) = fails(cost_in(dir.path()).env("COST_DB", dir.path().join("cost.db")).args([
        "unit",
        "--outcomes",
        "outcomes.csv",
    ]));
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: outcomes.csv:3: a second row for 2026-10 and team `support`\nhint: give each period and value one row (add the units up)\n"
    );
}
