//! Budgets and showback on stores built from hand-made CSV usage with a round price: the
//! model `unit-model` costs $1 per million input tokens, so 1,000,000 tokens are exactly $1.

mod common;
use common::*;
use serde_json::Value;
use std::fmt::Write as _;

const CONFIG: &str = r#"
[prices."unit-model"]
input = 1.0
output = 0.0
provider = "openai"

[teams.growth]
monthly_budget_usd = 100

[teams.support]
monthly_budget_usd = 1000
soft_pct = 70

[[commitments]]
name = "unit-reserved"
model = "unit-model"
monthly_usd = 1000

[[commitments]]
name = "unused"
model = "gpt-4o"
monthly_usd = 310
"#;

/// Rows of (day in October 2026, team, dollars).
fn store(rows: &[(u32, &str, u64)]) -> tempfile::TempDir {
    let mut csv = String::from("timestamp,request_id,model,team,uncached_input_tokens,output_tokens\n");
    for (i, (day, team, usd)) in rows.iter().enumerate() {
        writeln!(
            csv,
            "2026-10-{day:02}T12:00:00Z,r{i},unit-model,{team},{},0",
            usd * 1_000_000
        )
        .unwrap();
    }
    let dir = project(&[("cost.toml", CONFIG), ("usage.csv", &csv)]);
    let out = cost_in(dir.path())
        .env("COST_DB", dir.path().join("s.db"))
        .args(["import", "usage.csv", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    dir
}

fn run(dir: &tempfile::TempDir, now: &str, args: &[&str]) -> (i32, Value) {
    let out = cost_in(dir.path())
        .env("COST_DB", dir.path().join("s.db"))
        .env("COST_NOW", now)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), v)
}

fn team<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["team"] == name)
        .unwrap()
}

/// growth $5/day on Oct 1–20; support $5/day all month; search (no budget) $2/day all month.
fn october() -> tempfile::TempDir {
    let mut rows = Vec::new();
    for d in 1..=31 {
        if d <= 20 {
            rows.push((d, "growth", 5));
        }
        rows.push((d, "support", 5));
        rows.push((d, "search", 2));
    }
    store(&rows)
}

#[test]
fn a_team_crosses_soft_then_hard_on_known_days() {
    let dir = october();
    let (code, v) = run(&dir, "2026-11-05T00:00:00Z", &["budget", "--month", "2026-10"]);
    // growth: $100 of $100. Cumulative $80 (80%) on Oct 16, $100 on Oct 20.
    assert_eq!(code, 1, "a hard breach exits 1");
    let g = team(&v, "growth");
    assert_eq!(g["spent_usd"].as_f64().unwrap(), 100.0);
    assert_eq!(g["pct"].as_f64().unwrap(), 100.0);
    assert_eq!(g["status"], "hard");
    assert_eq!(g["soft_crossed_on"], "2026-10-16");
    assert_eq!(g["hard_crossed_on"], "2026-10-20");
    // The month is over: forecast = spent.
    assert_eq!(g["forecast_usd"].as_f64().unwrap(), 100.0);
    // support: $155 of $1,000 = 15.5%, ok.
    let s = team(&v, "support");
    assert_eq!(s["spent_usd"].as_f64().unwrap(), 155.0);
    assert_eq!(s["status"], "ok");
    assert_eq!(s["soft_pct"].as_f64().unwrap(), 70.0);
    // search has no budget: 115% of the last 30 days ($2 × 30 = $60) → $69 suggested.
    let x = team(&v, "search");
    assert!(x["budget_usd"].is_null());
    assert_eq!(x["suggested_budget_usd"].as_f64().unwrap(), 69.0);
}

#[test]
fn a_forecast_crossing_is_flagged_mid_month() {
    let dir = october();
    let (code, v) = run(&dir, "2026-10-10T12:00:00Z", &["budget"]);
    assert_eq!(code, 0, "only a forecast breach: exit 0");
    // growth on Oct 10: spent $50 (50%); run-rate $5/day (the last 10 days; under 4 weeks of
    // history, no weekday factors) × 21 days left = $105 → forecast $155, 155%.
    let g = team(&v, "growth");
    assert_eq!(g["spent_usd"].as_f64().unwrap(), 50.0);
    assert_eq!(g["forecast_usd"].as_f64().unwrap(), 155.0);
    assert_eq!(g["forecast_pct"].as_f64().unwrap(), 155.0);
    assert_eq!(g["status"], "forecast-hard");
    assert!(g["soft_crossed_on"].is_null());
    // --fail-on soft still passes: nobody has actually crossed a limit yet.
    let (code, _) = run(&dir, "2026-10-10T12:00:00Z", &["budget", "--fail-on", "soft"]);
    assert_eq!(code, 0);
}

#[test]
fn fail_on_soft_and_a_flat_team() {
    // growth $4/day for 20 days = $80 = 80% (soft, not hard); support flat and low.
    let mut rows = Vec::new();
    for d in 1..=20 {
        rows.push((d, "growth", 4));
        rows.push((d, "support", 1));
    }
    let dir = store(&rows);
    let (code, v) = run(&dir, "2026-11-01T00:00:00Z", &["budget", "--month", "2026-10"]);
    assert_eq!(code, 0, "soft is a warning by default");
    assert_eq!(team(&v, "growth")["status"], "soft");
    assert_eq!(team(&v, "growth")["soft_crossed_on"], "2026-10-20");
    let (code, _) = run(
        &dir,
        "2026-11-01T00:00:00Z",
        &["budget", "--month", "2026-10", "--fail-on", "soft"],
    );
    assert_eq!(code, 1);
    let (code, v) = run(&dir, "2026-11-01T00:00:00Z", &["budget", "--month", "2026-07"]);
    assert_eq!(code, 0, "a month with no data is an honest empty report");
    // Teams with a budget are listed with nothing spent.
    assert_eq!(team(&v, "growth")["spent_usd"].as_f64().unwrap(), 0.0);
    // A month that has not started: budgets listed, nothing spent, no suggestion.
    let (code, v) = run(&dir, "2026-11-01T00:00:00Z", &["budget", "--month", "2026-12"]);
    assert_eq!(code, 0);
    assert_eq!(team(&v, "growth")["spent_usd"].as_f64().unwrap(), 0.0);
    let (code, v) = run(&dir, "2026-11-01T00:00:00Z", &["showback", "--month", "2026-12"]);
    assert_eq!(code, 0);
    assert_eq!(v["commitments"][0]["committed_usd"].as_f64().unwrap(), 0.0);
}

#[test]
fn commitment_at_five_eighths() {
    // unit-model usage in October: growth $5 × 20 = $100, support $5 × 31 = $155, search
    // $2 × 31 = $62 → $317. Make it $625 with one more support day of $308.
    let mut rows = vec![(15, "support", 308)];
    for d in 1..=31 {
        if d <= 20 {
            rows.push((d, "growth", 5));
        }
        rows.push((d, "support", 5));
        rows.push((d, "search", 2));
    }
    let dir = store(&rows);
    let (code, v) = run(&dir, "2026-11-05T00:00:00Z", &["showback", "--month", "2026-10"]);
    assert_eq!(code, 0);
    let c = &v["commitments"][0];
    // $625 used of $1,000: 62.5%, $375 idle.
    assert_eq!(c["committed_usd"].as_f64().unwrap(), 1000.0);
    assert_eq!(c["consumed_list_usd"].as_f64().unwrap(), 625.0);
    assert_eq!(c["utilization_pct"].as_f64().unwrap(), 62.5);
    assert_eq!(c["idle_usd"].as_f64().unwrap(), 375.0);
    // support $463 of $625 = 74.08%, allocated $463 (the used part, by consumption).
    let support = c["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["team"] == "support")
        .unwrap();
    assert_eq!(support["consumed_list_usd"].as_f64().unwrap(), 463.0);
    assert_eq!(support["share_pct"].as_f64().unwrap(), 74.08);
    assert_eq!(support["allocated_usd"].as_f64().unwrap(), 463.0);
    // A commitment whose model has no usage: shown at 0%, all idle.
    let unused = &v["commitments"][1];
    assert_eq!(unused["utilization_pct"].as_f64().unwrap(), 0.0);
    assert_eq!(unused["idle_usd"].as_f64().unwrap(), 310.0);
}

const CACHE_CONFIG: &str = r#"
[prices."cache-model"]
input = 3.0
output = 15.0
cache_read = 0.3
cache_write_5m = 3.75
cache_write_1h = 6.0
provider = "anthropic"
tokenizer = "o200k_base"

[templates]
paths = ["templates/**/*.prompt"]

[[templates.rules]]
match = "**"
model = "cache-model"
"#;

#[test]
fn cache_savings_premium_and_opportunities() {
    let body = "Follow the refund policy, cite the order number and keep answers short. ".repeat(120);
    let mut csv = String::from(
        "timestamp,request_id,model,team,template,uncached_input_tokens,cache_read_tokens,cache_write_5m_tokens,cache_write_1h_tokens,output_tokens\n",
    );
    // support/answer: one call reading 1M tokens and writing 100k (5m) + 10k (1h).
    csv.push_str("2026-10-05T10:00:00Z,c1,cache-model,support,support/answer,1000,1000000,100000,10000,0\n");
    // big: 90 calls over the period, nothing cached.
    for i in 0..90 {
        writeln!(
            csv,
            "2026-10-{:02}T10:00:00Z,b{i},cache-model,growth,big,5000,0,0,0,0",
            1 + i % 30
        )
        .unwrap();
    }
    let dir = project(&[
        ("cost.toml", CACHE_CONFIG),
        ("usage.csv", &csv),
        (
            "templates/big.prompt",
            &format!("+++\n[vars]\nquestion = {{ tokens = 50 }}\n+++\nsystem:\n{body}\nuser:\n{{{{ question }}}}\n"),
        ),
    ]);
    let db = dir.path().join("s.db");
    let out = cost_in(dir.path())
        .env("COST_DB", &db)
        .args(["import", "usage.csv", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let (code, v) = run(
        &dir,
        "2026-10-30T12:00:00Z",
        &["cache", "--since", "2026-10-01", "--until", "2026-10-30"],
    );
    assert_eq!(code, 0);
    let row = |t: &str| {
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["template"] == t)
            .unwrap()
            .clone()
    };
    let support = row("support/answer");
    // Saved: 1,000,000 × ($3 − $0.30)/M = $2.70. Premium: 100,000 × ($3.75 − $3)/M + 10,000 ×
    // ($6 − $3)/M = $0.075 + $0.03 = $0.105. Net $2.595.
    assert_eq!(support["savings_usd"].as_f64().unwrap(), 2.7);
    assert_eq!(support["write_premium_usd"].as_f64().unwrap(), 0.105);
    assert_eq!(support["net_savings_usd"].as_f64().unwrap(), 2.595);
    // Hit rate: 1,000,000 ÷ (1,000 + 1,000,000 + 110,000).
    assert_eq!(support["cache_hit_rate"].as_f64().unwrap(), 1_000_000.0 / 1_111_000.0);
    // big: a cacheable prefix ≥ 1,024 tokens, 0% hit rate, 90 calls in 30 days = 90 a month.
    // Saving = 90 × prefix × 80% × ($3 − $0.30)/M.
    let est = json(cost_in(dir.path()).args(["estimate", "templates/big.prompt", "--format", "json"]));
    let prefix = est["rows"][0]["cacheable_prefix_tokens"].as_u64().unwrap();
    assert!(prefix >= 1024, "{prefix}");
    let o = &v["opportunities"][0];
    assert_eq!(o["template"], "big");
    assert_eq!(o["cacheable_prefix_tokens"].as_u64().unwrap(), prefix);
    let expected = 90.0 * prefix as f64 * 0.8 * 2.7e-6;
    assert!(
        (o["estimated_monthly_saving_usd"].as_f64().unwrap() - expected).abs() < 1e-6,
        "{o}"
    );
}

#[test]
fn whatif_batch_is_half_where_no_batch_price_is_listed() {
    let dir = october();
    // unit-model (a [prices] entry: no batch price) in October: growth $100 + support $155 +
    // search $62 = $317. At batch tier, 50% of every bucket: $158.50, saving $158.50.
    let (code, v) = run(
        &dir,
        "2026-11-05T00:00:00Z",
        &["whatif", "--tier", "batch", "--by", "team", "--since", "2026-10"],
    );
    assert_eq!(code, 0);
    assert_eq!(v["totals"]["current_usd"].as_f64().unwrap(), 317.0);
    assert_eq!(v["totals"]["scenario_usd"].as_f64().unwrap(), 158.5);
    assert_eq!(v["totals"]["saving_usd"].as_f64().unwrap(), 158.5);
    let growth = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["team"] == "growth")
        .unwrap();
    assert_eq!(growth["scenario_usd"].as_f64().unwrap(), 50.0);
}

#[test]
fn whatif_model_switch_and_context_overflow() {
    let csv = "timestamp,request_id,model,team,template,uncached_input_tokens,output_tokens\n\
               2026-10-02T10:00:00Z,a,claude-sonnet-4-5-20250929,support,support/answer,150000,1000\n\
               2026-10-02T11:00:00Z,b,claude-sonnet-4-5-20250929,support,support/answer,10000,1000\n\
               2026-10-02T12:00:00Z,c,gpt-4o-mini,search,search/rerank,10000,1000\n";
    let dir = project(&[("cost.toml", ""), ("usage.csv", csv)]);
    let db = dir.path().join("s.db");
    let out = cost_in(dir.path())
        .env("COST_DB", &db)
        .args(["import", "usage.csv", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let (code, v) = run(
        &dir,
        "2026-10-31T00:00:00Z",
        &[
            "whatif",
            "--from",
            "claude-sonnet-4-5",
            "--model",
            "gpt-4o",
            "--since",
            "2026-10",
        ],
    );
    assert_eq!(code, 0);
    let row = |t: &str| {
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["team"] == t)
            .unwrap()
            .clone()
    };
    let support = row("support");
    // Sonnet 4.5: 160,000 × $3/M + 2,000 × $15/M = $0.48 + $0.03 = $0.51.
    // gpt-4o:     160,000 × $2.5/M + 2,000 × $10/M = $0.40 + $0.02 = $0.42; saving $0.09.
    assert_eq!(support["current_usd"].as_f64().unwrap(), 0.51);
    assert_eq!(support["scenario_usd"].as_f64().unwrap(), 0.42);
    assert_eq!(support["saving_usd"].as_f64().unwrap(), 0.09);
    // The 150,000-token request does not fit gpt-4o's 128,000-token window.
    assert_eq!(support["context_overflow_requests"], 1);
    assert_eq!(v["context_window"], 128_000);
    // Usage on other models keeps its cost: gpt-4o-mini 10,000 × $0.15/M + 1,000 × $0.6/M.
    let search = row("search");
    assert_eq!(search["current_usd"].as_f64().unwrap(), 0.0021);
    assert_eq!(search["saving_usd"].as_f64().unwrap(), 0.0);
    let (code, _) = run(&dir, "2026-10-31T00:00:00Z", &["whatif"]);
    assert_eq!(code, 2, "nothing to change");
    let (code, _) = run(&dir, "2026-10-31T00:00:00Z", &["whatif", "--model", "gpt-4-o"]);
    assert_eq!(code, 2, "unknown target model");
}

#[test]
fn anomalies_find_the_jump_and_the_spike_and_leave_the_flat_team_alone() {
    // Daily aggregate rows of unit-model ($1 per million input tokens), 2026-09-01..10-31:
    // ops $10/day (100 calls), flat; support/answer 100 calls/day at 100,000 tokens a call
    // ($0.10/call) until Oct 14, 130,000 tokens ($0.13/call) from Oct 15; mobile 50 calls/day,
    // $5/day, except 200 calls and $20 on Oct 20.
    let mut csv =
        String::from("timestamp,request_id,model,team,template,uncached_input_tokens,output_tokens,requests\n");
    let mut d = jiff::civil::date(2026, 9, 1);
    let mut n = 0;
    while d <= jiff::civil::date(2026, 10, 31) {
        let jump = d >= jiff::civil::date(2026, 10, 15);
        let spike = d == jiff::civil::date(2026, 10, 20);
        let rows = [
            ("ops", "ops/tag", 10_000_000, 100),
            (
                "support",
                "support/answer",
                if jump { 13_000_000 } else { 10_000_000 },
                100,
            ),
            (
                "mobile",
                "mobile/ad-copy",
                if spike { 20_000_000 } else { 5_000_000 },
                if spike { 200 } else { 50 },
            ),
        ];
        for (team, template, tokens, requests) in rows {
            n += 1;
            writeln!(
                csv,
                "{d}T12:00:00Z,a{n},unit-model,{team},{template},{tokens},0,{requests}"
            )
            .unwrap();
        }
        d = d.tomorrow().unwrap();
    }
    let dir = project(&[("cost.toml", CONFIG), ("usage.csv", &csv)]);
    let out = cost_in(dir.path())
        .env("COST_DB", dir.path().join("s.db"))
        .args(["import", "usage.csv", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let (code, v) = run(&dir, "2026-10-31T12:00:00Z", &["anomalies", "--since", "2026-10-01"]);
    assert_eq!(code, 0);
    let all = v["anomalies"].as_array().unwrap();
    let find = |kind: &str, dim: &str, key: &str| {
        all.iter()
            .find(|a| a["kind"] == kind && a["dimension"] == dim && a["key"] == key)
            .unwrap_or_else(|| panic!("no {kind} for {dim} {key} in {v}"))
            .clone()
    };
    // The deploy: found on its day, $0.10 → $0.13 a call, driven by tokens per call;
    // +$0.03 × 100 calls/day × 30 days = +$90/month.
    let cp = find("change_point", "template", "support/answer");
    assert_eq!(cp["date"], "2026-10-15");
    assert_eq!(cp["before"].as_f64().unwrap(), 0.1);
    assert_eq!(cp["after"].as_f64().unwrap(), 0.13);
    assert_eq!(cp["driver"], "tokens_per_call");
    assert_eq!(cp["monthly_impact_usd"].as_f64().unwrap(), 90.0);
    // The spike: $20 against a $5 median, +$15, from 4× the calls.
    let spike = find("spike", "team", "mobile");
    assert_eq!(spike["date"], "2026-10-20");
    assert_eq!(spike["excess_usd"].as_f64().unwrap(), 15.0);
    assert_eq!(spike["driver"], "volume");
    // support's new level (+30%, $10 → $13 a day) is 3 deviations (σ floored at 10% of $10):
    // not a spike; the change point above is what reports it.
    assert!(
        !all.iter().any(|a| a["kind"] == "spike" && a["key"] == "support"),
        "{v}"
    );
    // ops is flat: nothing.
    assert!(!all.iter().any(|a| a["key"] == "ops" || a["key"] == "ops/tag"), "{v}");
}
