//! Nothing silently wrong in what `cost` prints (issue 14, points 4 and 14): unpriced usage is
//! never shown as $0, and names from logs can never drive the terminal.
//!
//! The store is one envelope JSONL written here, all on 2026-11-01 ("now" is 2026-11-01 noon, so
//! the budget month is November, day 1). Prices from data/litellm-model-prices-2026-07-24.json:
//! gpt-4o $2.50 / $10.00 per million input / output tokens, gpt-4o-mini $0.15 / $0.60.
//! - t1: `acme-llm-9` (in no price table), 30,000,000 input tokens: unpriced. Budget $1.
//! - t2: gpt-4o, 1,000,000 input + 100,000 output = $2.50 + $1.00 = $3.50. Budget $1,000.
//!   Forecast: $3.50/day × 30 days = $105.00 = 10.5% of the budget → `ok`.
//! - t3: gpt-4o, 1,000,000 input = $2.50, plus one `acme-llm-9` call: partly unpriced. No budget.
//! - the team "\x1b]0;pwned\x07\x1b[2J" (sets the window title, clears the screen), template
//!   "a\rb\bc": gpt-4o-mini, 1,000 input tokens = $0.00015.
//! - a 400-character team (`team-of-many-words-` repeated), template "rtl\u{202e}txt" and a
//!   team "ops|infra": gpt-4o-mini, 1,000 input tokens each = $0.00015 each.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

const CONFIG: &str = r#"
[teams.t1]
monthly_budget_usd = 1

[teams.t2]
monthly_budget_usd = 1000
"#;

const TITLE_TEAM: &str = "\x1b]0;pwned\x07\x1b[2J";
const TITLE_TEAM_SHOWN: &str = "\\x1b]0;pwned\\x07\\x1b[2J";
const CR_TEMPLATE: &str = "a\rb\x08c";
const CR_TEMPLATE_SHOWN: &str = "a\\x0db\\x08c";
const RTL_TEMPLATE: &str = "rtl\u{202e}txt";
const RTL_TEMPLATE_SHOWN: &str = "rtl\\u202etxt";

fn long_team() -> String {
    let mut s = "team-of-many-words-".repeat(22);
    s.truncate(400);
    s
}

fn line(id: &str, team: &str, template: &str, model: &str, input: u64, output: u64) -> String {
    serde_json::json!({
        "timestamp": "2026-11-01T09:00:00Z",
        "request_id": id,
        "provider": "openai",
        "metadata": {"team": team, "template": template},
        "response": {"id": id, "model": model,
            "usage": {"prompt_tokens": input, "completion_tokens": output, "total_tokens": input + output}},
    })
    .to_string()
}

fn store() -> tempfile::TempDir {
    let long = long_team();
    let lines = [
        line("gw_1", "t1", "support/answer", "acme-llm-9", 30_000_000, 0),
        line("gw_2", "t2", "search/rank", "gpt-4o", 1_000_000, 100_000),
        line("gw_3", "t3", "growth/welcome", "gpt-4o", 1_000_000, 0),
        line("gw_4", "t3", "growth/welcome", "acme-llm-9", 5_000, 0),
        line("gw_5", TITLE_TEAM, CR_TEMPLATE, "gpt-4o-mini", 1_000, 0),
        line("gw_6", &long, RTL_TEMPLATE, "gpt-4o-mini", 1_000, 0),
        line("gw_7", "ops|infra", "ops/triage", "gpt-4o-mini", 1_000, 0),
    ];
    let dir = project(&[("cost.toml", CONFIG), ("usage.jsonl", &(lines.join("\n") + "\n"))]);
    let out = cost_in(dir.path())
        .env("COST_DB", dir.path().join("s.db"))
        .args(["import", "usage.jsonl", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    dir
}

fn cost(dir: &Path) -> assert_cmd::Command {
    let mut cmd = cost_in(dir);
    cmd.env("COST_DB", dir.join("s.db"));
    cmd
}

fn row<'a>(v: &'a Value, key: &str, name: &str) -> &'a Value {
    v.as_array()
        .unwrap()
        .iter()
        .find(|r| r[key] == name)
        .unwrap_or_else(|| panic!("no row {key}={name} in {v:#}"))
}

/// No byte or character a terminal acts on: C0 except the line break, DEL, C1, bidi controls.
fn assert_terminal_safe(what: &str, text: &str) {
    for (i, c) in text.chars().enumerate() {
        let bad = (c.is_control() && c != '\n')
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        assert!(!bad, "{what}: raw {c:?} at char {i} in:\n{text}");
    }
}

#[test]
fn unpriced_rows_are_null_empty_or_unpriced_never_zero() {
    let dir = store();
    let v = json(cost(dir.path()).args(["report", "--by", "team", "--format", "json"]));
    let rows = &v["rows"];
    // t1: every request unpriced → null, and the tokens still counted.
    let t1 = row(rows, "team", "t1");
    assert!(t1["cost_usd"].is_null(), "{t1:#}");
    assert_eq!(t1["unpriced_requests"], 1);
    assert_eq!(t1["uncached_input_tokens"], 30_000_000);
    // t2: priced exactly, $2.50 + $1.00.
    let t2 = row(rows, "team", "t2");
    assert_eq!(t2["cost_usd"].as_f64(), Some(3.5));
    assert_eq!(t2["unpriced_requests"], 0);
    // t3: partly unpriced keeps its priced cost and says how many are not in it.
    let t3 = row(rows, "team", "t3");
    assert_eq!(t3["cost_usd"].as_f64(), Some(2.5));
    assert_eq!(t3["unpriced_requests"], 1);
    // Totals: $3.50 + $2.50 + 3 × $0.00015 = $6.00045, 2 unpriced requests.
    assert_eq!(v["totals"]["cost_usd"].as_f64(), Some(6.00045));
    assert_eq!(v["totals"]["unpriced_requests"], 2);

    // A window holding only the unpriced team: the totals are unknown too.
    let only = json(cost(dir.path()).args(["report", "--by", "team", "--team", "t1", "--format", "json"]));
    assert!(only["totals"]["cost_usd"].is_null(), "{only:#}");

    // CSV: the cost cell of t1 is empty, not 0.
    let csv = stdout(cost(dir.path()).args(["report", "--by", "team", "--format", "csv"]));
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let at = header.iter().position(|h| *h == "cost_usd").unwrap();
    let cells = |team: &str| -> Vec<String> {
        let l = csv.lines().find(|l| l.starts_with(&format!("{team},"))).unwrap();
        l.split(',').map(str::to_string).collect()
    };
    assert_eq!(cells("t1")[at], "");
    assert_eq!(cells("t2")[at], "3.5");
    assert_eq!(cells("t3")[at], "2.5");

    // Table: `unpriced` in t1's cost column, t2's dollars as they are.
    let table = stdout(cost(dir.path()).args(["report", "--by", "team"]));
    let t1_line = table.lines().find(|l| l.trim_start().starts_with("t1 ")).unwrap();
    assert!(t1_line.contains("unpriced"), "{table}");
    assert!(!t1_line.contains('$'), "{table}");
    let t2_line = table.lines().find(|l| l.trim_start().starts_with("t2 ")).unwrap();
    assert!(t2_line.contains("$3.5000"), "{table}");
}

#[test]
fn a_budget_with_unpriced_usage_is_incomplete_and_can_fail_the_gate() {
    let dir = store();
    let out = cost(dir.path()).args(["budget", "--format", "json"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "default --fail-on hard: incomplete is not a breach"
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let teams = &v["teams"];
    let t1 = row(teams, "team", "t1");
    assert_eq!(t1["status"], "incomplete", "{t1:#}");
    assert!(t1["spent_usd"].is_null(), "{t1:#}");
    assert!(t1["pct"].is_null());
    assert!(t1["forecast_usd"].is_null());
    assert_eq!(t1["unpriced_requests"], 1);
    // t2 is fully priced: $3.50 spent, $105.00 forecast (10.5% of $1,000) → ok.
    let t2 = row(teams, "team", "t2");
    assert_eq!(t2["status"], "ok");
    assert_eq!(t2["spent_usd"].as_f64(), Some(3.5));
    assert_eq!(t2["forecast_usd"].as_f64(), Some(105.0));
    // t3 has no budget but unpriced usage: listed, with its priced spend.
    let t3 = row(teams, "team", "t3");
    assert_eq!(t3["status"], "no-budget");
    assert_eq!(t3["spent_usd"].as_f64(), Some(2.5));

    let (code, _) = fails(cost(dir.path()).args(["budget", "--fail-on", "incomplete"]));
    assert_eq!(code, 1);
    let soft = cost(dir.path()).args(["budget", "--fail-on", "soft"]).output().unwrap();
    assert_eq!(soft.status.code(), Some(0));

    let table = stdout(cost(dir.path()).args(["budget"]));
    let t1_line = table.lines().find(|l| l.trim_start().starts_with("t1 ")).unwrap();
    assert!(
        t1_line.contains("incomplete") && t1_line.contains("unpriced"),
        "{table}"
    );
    assert!(table.contains("--fail-on incomplete"), "{table}");
    let csv = stdout(cost(dir.path()).args(["budget", "--format", "csv"]));
    let t1_csv = csv.lines().find(|l| l.starts_with("t1,")).unwrap();
    // team, budget_usd, spent_usd (empty), pct (empty), forecast_usd (empty), …
    assert!(t1_csv.starts_with("t1,1,,,,"), "{csv}");
    assert!(t1_csv.contains(",incomplete,"), "{csv}");
}

#[test]
fn cache_savings_of_unpriced_usage_are_unknown() {
    let dir = store();
    let v = json(cost(dir.path()).args(["cache", "--by", "team", "--format", "json"]));
    let t1 = row(&v["rows"], "team", "t1");
    assert!(t1["savings_usd"].is_null(), "{t1:#}");
    assert!(t1["net_savings_usd"].is_null(), "{t1:#}");
    // A priced row with no cache reads saved exactly $0.
    let t2 = row(&v["rows"], "team", "t2");
    assert_eq!(t2["savings_usd"].as_f64(), Some(0.0));
    let csv = stdout(cost(dir.path()).args(["cache", "--by", "team", "--format", "csv"]));
    let t1_csv = csv.lines().find(|l| l.starts_with("t1,")).unwrap();
    // …, savings_usd, write_premium_usd, net_savings_usd, unpriced_requests
    assert!(t1_csv.ends_with(",,,,1"), "{csv}");
}

#[test]
fn names_never_drive_the_terminal_in_table_csv_markdown_and_dashboard() {
    let dir = store();
    let long = long_team();
    for format in ["table", "csv", "markdown"] {
        let out = stdout(cost(dir.path()).args(["report", "--by", "team,template", "--format", format]));
        assert_terminal_safe(format, &out);
        assert!(out.contains(TITLE_TEAM_SHOWN), "{format}:\n{out}");
        assert!(out.contains(CR_TEMPLATE_SHOWN), "{format}:\n{out}");
        assert!(out.contains(RTL_TEMPLATE_SHOWN), "{format}:\n{out}");
        if format == "csv" {
            // CSV keeps the whole name (escaped), for spreadsheets.
            assert!(out.contains(&long[..200]), "{out}");
            assert!(!out.contains('…'));
        } else {
            // Tables cut it to 60 display columns: 59 characters and `…`.
            let cut = format!("{}…", &long[..59]);
            assert!(out.contains(&cut), "{format}:\n{out}");
            assert!(!out.contains(&long[..60]), "{format}:\n{out}");
            let widest = out.lines().map(|l| l.chars().count()).max().unwrap();
            assert!(widest < 200, "{format}: a {widest}-column line");
        }
    }
    let md = stdout(cost(dir.path()).args(["report", "--by", "team", "--format", "markdown"]));
    assert!(md.contains("| ops\\|infra |"), "{md}");

    // JSON stays JSON: the names exactly as logged, escaped the JSON way.
    let v = json(cost(dir.path()).args(["report", "--by", "team", "--format", "json"]));
    assert!(v["rows"].as_array().unwrap().iter().any(|r| r["team"] == TITLE_TEAM));
    // (Compared on 200 characters: metadata values may be capped at 200 on import.)
    let whole = |r: &Value| r["team"].as_str().is_some_and(|t| t.starts_with(&long[..200]));
    assert!(v["rows"].as_array().unwrap().iter().any(whole));

    // Budget and the other commands that print teams go through the same writer.
    let budget = stdout(cost(dir.path()).args(["budget"]));
    assert_terminal_safe("budget", &budget);
    assert!(budget.contains(TITLE_TEAM_SHOWN), "{budget}");

    // The dashboard: the teams and templates lists, at 100×30.
    for view in ["teams", "templates"] {
        let snap = stdout(cost(dir.path()).args(["dashboard", "--snapshot", view, "--size", "100x30"]));
        assert_terminal_safe(view, &snap);
        let want = if view == "teams" {
            TITLE_TEAM_SHOWN
        } else {
            CR_TEMPLATE_SHOWN
        };
        assert!(snap.contains(want), "{view}:\n{snap}");
        assert!(snap.lines().all(|l| l.chars().count() <= 100), "{view}:\n{snap}");
    }
    let snap = stdout(cost(dir.path()).args(["dashboard", "--snapshot", "teams", "--size", "100x30"]));
    // The first column takes what the others leave: the long team is cut there, with `…`.
    assert!(snap.contains(" team-of-many-words-team…"), "{snap}");
}

#[test]
fn import_messages_escape_file_names_and_reasons() {
    let dir = project(&[("cost.toml", CONFIG)]);
    // A file name that clears the screen, with one good line and one broken one.
    let name = "logs\x1b[2J.jsonl";
    let good = line("gw_1", "t2", "search/rank", "gpt-4o", 1_000, 0);
    std::fs::write(dir.path().join(name), format!("{good}\n{{\"timestamp\": \"\x1b[31m\n")).unwrap();
    let out = cost(dir.path()).args(["import", name]).output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert_terminal_safe("import stdout", &stdout);
    assert_terminal_safe("import stderr", &stderr);
    assert!(stdout.contains("logs\\x1b[2J.jsonl"), "{stdout}");
    // The reject is listed under the table with the escaped path and its line number.
    assert!(stdout.contains("logs\\x1b[2J.jsonl:2:"), "{stdout}");

    // --strict lists rejects on stderr, escaped too.
    let dir2 = project(&[("cost.toml", CONFIG)]);
    std::fs::write(dir2.path().join(name), format!("{good}\n{{\"timestamp\": \"\x1b[31m\n")).unwrap();
    let (code, stderr) = fails(cost(dir2.path()).args(["import", "--strict", name]));
    assert_eq!(code, 2);
    assert_terminal_safe("strict stderr", &stderr);
    assert!(stderr.contains("logs\\x1b[2J.jsonl:2:"), "{stderr}");
}

#[test]
fn focus_export_leaves_unpriced_out_loudly_and_escapes_names() {
    let dir = store();
    let out = cost(dir.path()).args(["export", "--format", "focus"]).output().unwrap();
    assert!(out.status.success());
    let (csv, stderr) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert_terminal_safe("focus", &csv);
    // FOCUS needs a number in BilledCost: unpriced usage is left out, and said so.
    assert!(
        stderr.contains("2 unpriced requests are not in the export: their cost is unknown, not zero"),
        "{stderr}"
    );
    // BilledCost (column 1) adds up to the priced total: $3.50 + $2.50 + 3 × $0.00015.
    let billed: f64 = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().parse::<f64>().unwrap())
        .sum();
    assert!((billed - 6.00045).abs() < 1e-9, "{billed}");
    assert!(!csv.contains("acme-llm-9"), "{csv}");
    assert!(csv.contains("team-\\x1b]0;pwned\\x07\\x1b[2J"), "{csv}");
}
