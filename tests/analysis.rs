//! Budgets and showback on stores built from hand-made CSV usage with a round price: the
//! model `unit-model` costs $1 per million input tokens, so 1,000,000 tokens are exactly $1.

mod common;
use common::store::{Row, Usage, imported, run_json as run, run_text};
use common::*;
use serde_json::Value;

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
    let mut usage = Usage::new();
    for (day, team, usd) in rows {
        usage.add(Row {
            day: &format!("2026-10-{day:02}"),
            team,
            input: usd * 1_000_000,
            ..Row::default()
        });
    }
    imported(CONFIG, &usage, &[])
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

/// support/answer: one call reading 1M tokens and writing 100k (5m) + 10k (1h), on Oct 5;
/// big: 90 calls of 5,000 input tokens over Oct 1–30, nothing cached, from a template whose
/// system part is a cacheable prefix of 1,688 tokens (o200k_base).
fn cache_store() -> tempfile::TempDir {
    let body = "Follow the refund policy, cite the order number and keep answers short. ".repeat(120);
    let mut usage = Usage::new();
    usage.add(Row {
        day: "2026-10-05",
        team: "support",
        template: "support/answer",
        model: "cache-model",
        input: 1_000,
        cache_read: 1_000_000,
        write_5m: 100_000,
        write_1h: 10_000,
        ..Row::default()
    });
    for i in 0..90 {
        usage.add(Row {
            day: &format!("2026-10-{:02}", 1 + i % 30),
            team: "growth",
            template: "big",
            model: "cache-model",
            input: 5_000,
            ..Row::default()
        });
    }
    let prompt =
        format!("+++\n[vars]\nquestion = {{ tokens = 50 }}\n+++\nsystem:\n{body}\nuser:\n{{{{ question }}}}\n");
    imported(CACHE_CONFIG, &usage, &[("templates/big.prompt", &prompt)])
}

#[test]
fn cache_savings_premium_and_opportunities() {
    let dir = cache_store();
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

/// Oct 2: two support/answer calls on Claude Sonnet 4.5 (150,000 and 10,000 input tokens, 1,000
/// output each) and one search/rerank call on gpt-4o-mini (10,000 in, 1,000 out); the shipped
/// price table, no overlay.
fn switch_store() -> tempfile::TempDir {
    let mut usage = Usage::new();
    for (team, template, model, input) in [
        ("support", "support/answer", "claude-sonnet-4-5-20250929", 150_000),
        ("support", "support/answer", "claude-sonnet-4-5-20250929", 10_000),
        ("search", "search/rerank", "gpt-4o-mini", 10_000),
    ] {
        usage.add(Row {
            day: "2026-10-02",
            team,
            template,
            model,
            input,
            output: 1_000,
            ..Row::default()
        });
    }
    imported("", &usage, &[])
}

#[test]
fn whatif_model_switch_and_context_overflow() {
    let dir = switch_store();
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
fn whatif_too_long_is_a_table_column_only_when_needed_and_always_in_csv() {
    let dir = switch_store();
    let args = [
        "whatif",
        "--from",
        "claude-sonnet-4-5",
        "--model",
        "gpt-4o",
        "--since",
        "2026-10",
    ];
    // As in whatif_model_switch_and_context_overflow: support $0.51 → $0.42, saving $0.09 =
    // 17.6%, one request too long for gpt-4o; search stays on gpt-4o-mini at $0.0021.
    // Total $0.5121 → $0.4221: $0.09 ÷ $0.5121 = 17.6%.
    let (code, table) = lines(&dir, "2026-10-31T00:00:00Z", &args, "table");
    assert_eq!(code, 0);
    assert_eq!(
        table[..7],
        [
            "──────────────────────────────────────────────────────────────────────────────────────────",
            " Team      Template         Requests   Current   Scenario    Saving   Saving %   Too long",
            "══════════════════════════════════════════════════════════════════════════════════════════",
            " support   support/answer          2   $0.5100    $0.4200   $0.0900      17.6%          1",
            " search    search/rerank           1   $0.0021    $0.0021   $0.0000       0.0%          –",
            " Total                             3   $0.5121    $0.4221   $0.0900      17.6%          1",
            "──────────────────────────────────────────────────────────────────────────────────────────",
        ]
    );
    let (code, csv) = lines(&dir, "2026-10-31T00:00:00Z", &args, "csv");
    assert_eq!(code, 0);
    assert_eq!(
        csv,
        [
            "team,template,requests,current_usd,scenario_usd,saving_usd,context_overflow_requests",
            "support,support/answer,2,0.51,0.42,0.09,1",
            "search,search/rerank,1,0.0021,0.0021,0,0",
        ]
    );
}

/// Daily aggregate rows of unit-model ($1 per million input tokens), 2026-09-01..10-31:
/// ops $10/day (100 calls), flat; support/answer 100 calls/day at 100,000 tokens a call
/// ($0.10/call) until Oct 14, 130,000 tokens ($0.13/call) from Oct 15; mobile 50 calls/day,
/// $5/day, except 200 calls and $20 on Oct 20.
fn anomalies_store() -> tempfile::TempDir {
    let mut usage = Usage::new();
    let mut d = jiff::civil::date(2026, 9, 1);
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
        for (team, template, input, requests) in rows {
            usage.add(Row {
                day: &d.to_string(),
                team,
                template,
                input,
                requests,
                ..Row::default()
            });
        }
        d = d.tomorrow().unwrap();
    }
    imported(CONFIG, &usage, &[])
}

#[test]
fn anomalies_find_the_jump_and_the_spike_and_leave_the_flat_team_alone() {
    let dir = anomalies_store();
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

/// Runs `args --format FORMAT` on the store of `dir` at `now`: (exit code, the lines of
/// stdout); stderr must be empty.
fn lines(dir: &tempfile::TempDir, now: &str, args: &[&str], format: &str) -> (i32, Vec<String>) {
    let (code, out, err) = run_text(dir, now, &[args, &["--format", format]].concat());
    assert_eq!(err, "", "{args:?} --format {format}");
    (code, out.lines().map(str::to_string).collect())
}

#[test]
fn budget_table_and_csv() {
    let dir = october();
    let args = ["budget", "--month", "2026-10"];
    // growth: $100 of $100 (hard since Oct 20, soft 80% since Oct 16, cumulative $80); the
    // month is over, so forecast = spent. support: $155 of $1,000 = 15.5%, soft at 70%.
    // search: no budget; 115% of the last 30 days ($2 × 30 = $60) = $69 suggested.
    let (code, table) = lines(&dir, "2026-11-05T00:00:00Z", &args, "table");
    assert_eq!(code, 1, "a hard breach exits 1");
    assert_eq!(
        table,
        [
            "──────────────────────────────────────────────────────────────────────────────────────────────────────",
            " Team                  Budget     Spent     Used   Forecast   Fcst used   Status      Crossed",
            "══════════════════════════════════════════════════════════════════════════════════════════════════════",
            " growth               $100.00   $100.00   100.0%    $100.00      100.0%   hard        hard 2026-10-20",
            " support            $1,000.00   $155.00    15.5%    $155.00       15.5%   ok",
            " search    ($69.00 suggested)    $62.00        –     $62.00           –   no-budget",
            "──────────────────────────────────────────────────────────────────────────────────────────────────────",
            "2026-10 as of 2026-10-31 (UTC). Soft/hard limits default to 80% / 100% of the budget; forecast = spent + run-rate to month end (-v: method).",
            "Suggested budgets (115% of the last 30 days' spend, scaled to a month) are only suggestions: set monthly_budget_usd under [teams.NAME] in cost.toml.",
        ]
    );
    let (code, csv) = lines(&dir, "2026-11-05T00:00:00Z", &args, "csv");
    assert_eq!(code, 1);
    assert_eq!(
        csv,
        [
            "team,budget_usd,spent_usd,pct,forecast_usd,forecast_pct,soft_pct,hard_pct,status,soft_crossed_on,hard_crossed_on,suggested_budget_usd,unpriced_requests",
            "growth,100,100,100.0000,100,100.0000,80,100,hard,2026-10-16,2026-10-20,,0",
            "support,1000,155,15.5000,155,15.5000,70,100,ok,,,,0",
            "search,,62,,62,,,,no-budget,,,69,0",
        ]
    );
}

#[test]
fn showback_table_and_csv() {
    let dir = october();
    let args = ["showback", "--month", "2026-10"];
    // unit-reserved ($1,000 for the whole month): used $317 at list = 31.7%, $683 idle.
    // Shares of the $317: support $155 = 48.8959%, growth $100 = 31.5457%, search $62 =
    // 19.5584%; each team is allocated what it used. unused ($310 on gpt-4o): 0%, all idle.
    let (code, table) = lines(&dir, "2026-11-05T00:00:00Z", &args, "table");
    assert_eq!(code, 0);
    assert_eq!(
        table,
        [
            "─────────────────────────────────────────────────────────────────────────────────────────────────────────────",
            " Commitment      Model        Team      Committed   Used at list   Utilisation      Idle   Share   Allocated",
            "═════════════════════════════════════════════════════════════════════════════════════════════════════════════",
            " unit-reserved   unit-model   all       $1,000.00        $317.00         31.7%   $683.00             $317.00",
            "                              support                    $155.00                           48.9%     $155.00",
            "                              growth                     $100.00                           31.5%     $100.00",
            "                              search                      $62.00                           19.6%      $62.00",
            " unused          gpt-4o       all         $310.00          $0.00          0.0%   $310.00               $0.00",
            "─────────────────────────────────────────────────────────────────────────────────────────────────────────────",
            "2026-10-01 to 2026-10-31 (UTC). Committed is pro-rated to the days covered; used = the usage on the model at list price. Idle cost belongs to the commitment, not to the teams; break-even is 100% utilisation.",
        ]
    );
    let (code, csv) = lines(&dir, "2026-11-05T00:00:00Z", &args, "csv");
    assert_eq!(code, 0);
    assert_eq!(
        csv,
        [
            "commitment,model,committed_usd,consumed_list_usd,utilization_pct,idle_usd,team,team_consumed_list_usd,team_share_pct,team_allocated_usd",
            "unit-reserved,unit-model,1000,317,31.7000,683,support,155,48.8959,155",
            "unit-reserved,unit-model,1000,317,31.7000,683,growth,100,31.5457,100",
            "unit-reserved,unit-model,1000,317,31.7000,683,search,62,19.5584,62",
            "unused,gpt-4o,310,0,0.0000,310,,,,",
        ]
    );
}

#[test]
fn whatif_table_and_csv() {
    let dir = october();
    let args = ["whatif", "--tier", "batch", "--by", "team", "--since", "2026-10"];
    // unit-model has no batch price: half of every bucket. support 31 × $5 = $155 → $77.50,
    // growth 20 × $5 = $100 → $50, search 31 × $2 = $62 → $31; $317 → $158.50 in all.
    let (code, table) = lines(&dir, "2026-11-05T00:00:00Z", &args, "table");
    assert_eq!(code, 0);
    assert_eq!(
        table,
        [
            "──────────────────────────────────────────────────────────────",
            " Team      Requests   Current   Scenario    Saving   Saving %",
            "══════════════════════════════════════════════════════════════",
            " support         31   $155.00     $77.50    $77.50      50.0%",
            " growth          20   $100.00     $50.00    $50.00      50.0%",
            " search          31    $62.00     $31.00    $31.00      50.0%",
            " Total           82   $317.00    $158.50   $158.50      50.0%",
            "──────────────────────────────────────────────────────────────",
            "2026-10-01 to 2026-10-31 (UTC): usage repriced at batch tier. Long context is judged on each group's mean input per request.",
        ]
    );
    let (code, csv) = lines(&dir, "2026-11-05T00:00:00Z", &args, "csv");
    assert_eq!(code, 0);
    assert_eq!(
        csv,
        [
            "team,requests,current_usd,scenario_usd,saving_usd,context_overflow_requests",
            "support,31,155,77.5,77.5,0",
            "growth,20,100,50,50,0",
            "search,31,62,31,31,0",
        ]
    );
}

#[test]
fn cache_table_and_csv() {
    let dir = cache_store();
    let args = ["cache", "--since", "2026-10-01", "--until", "2026-10-30"];
    // support/answer: input 1,000 + 1,000,000 + 110,000 = 1,111,000, hit rate 1,000,000 ÷
    // 1,111,000 = 90.0009%; saved 1,000,000 × ($3 − $0.30)/M = $2.70; write premium
    // 100,000 × $0.75/M + 10,000 × $3/M = $0.105; net $2.595. big: 90 × 5,000 = 450,000
    // input, nothing cached. Total: 1,000,000 ÷ 1,561,000 = 64.1%, 1 call of 91 hit = 1.1%.
    // The opportunity: 90 calls × 1,688 prefix tokens × 80% × $2.70/M = $0.3281472 a month.
    let (code, table) = lines(&dir, "2026-10-30T12:00:00Z", &args, "table");
    assert_eq!(code, 0);
    assert_eq!(
        table,
        [
            "───────────────────────────────────────────────────────────────────────────────────────────────────────────────",
            " Template         Requests       Input   Cache read   Hit rate   Calls hit     Saved   Write premium       Net",
            "═══════════════════════════════════════════════════════════════════════════════════════════════════════════════",
            " support/answer          1   1,111,000    1,000,000      90.0%      100.0%   $2.7000         $0.1050   $2.5950",
            " big                    90     450,000            0       0.0%        0.0%   $0.0000         $0.0000   $0.0000",
            " Total                  91   1,561,000    1,000,000      64.1%        1.1%   $2.7000         $0.1050   $2.5950",
            "───────────────────────────────────────────────────────────────────────────────────────────────────────────────",
            "2026-10-01 to 2026-10-30 (UTC). Saved = cache reads × (input − cache-read price); write premium = cache writes × (write − input price).",
            "Opportunity: big on cache-model: a 1,688-token cacheable prefix, 0.0% hit rate, ~90 calls/month → about $0.3281/month if 80% of the prefix were read from the cache.",
        ]
    );
    let (code, csv) = lines(&dir, "2026-10-30T12:00:00Z", &args, "csv");
    assert_eq!(code, 0);
    assert_eq!(
        csv,
        [
            "template,requests,input_tokens,cache_read_tokens,cache_write_tokens,cache_hit_rate,request_cache_hit_rate,savings_usd,write_premium_usd,net_savings_usd,unpriced_requests",
            "support/answer,1,1111000,1000000,110000,0.900090,1.000000,2.7,0.105,2.595,0",
            "big,90,450000,0,0,0.000000,0.000000,0,0,0,0",
        ]
    );
}

#[test]
fn anomalies_table_and_csv() {
    let dir = anomalies_store();
    let args = ["anomalies", "--since", "2026-10-01"];
    // Oct 20 spikes, against the median of the 28 days before with σ floored at 10% of it
    // (every series is flat, so the MAD is 0): mobile (team and template) $20 against $5,
    // (20 − 5) ÷ 0.5 = 30.0; the model unit-model $43 (10 + 13 + 20) against $25 (23 days of
    // $25, 5 of $28 since Oct 15), (43 − 25) ÷ 2.5 = 7.2. The change point of support/answer on
    // Oct 15: $0.10 → $0.13 a call, σ floored at 2% of $0.10, (0.13 − 0.10) ÷ 0.002 = 15.0;
    // +$0.03 × 100 calls × 30 days = $90 a month.
    let (code, table) = lines(&dir, "2026-10-31T12:00:00Z", &args, "table");
    assert_eq!(code, 0);
    assert_eq!(
        table,
        [
            "───────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────",
            " Date         Kind           What                                  Before → after   Score             Impact   Likely driver",
            "═══════════════════════════════════════════════════════════════════════════════════════════════════════════════════════════════",
            " 2026-10-20   spike          team mobile                       $5.00/day → $20.00    30.0   +$15.00 that day   volume",
            " 2026-10-20   spike          template mobile/ad-copy           $5.00/day → $20.00    30.0   +$15.00 that day   volume",
            " 2026-10-20   spike          model unit-model                 $25.00/day → $43.00     7.2   +$18.00 that day   volume",
            " 2026-10-15   change point   template support/answer   $0.100000/call → $0.130000    15.0       $90.00/month   tokens per call",
            "───────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────",
            "2026-10-01 to 2026-10-31 (UTC); threshold 4 robust deviations, spikes at least $1.00 above the 28-day median (see `cost anomalies --help`).",
        ]
    );
    let (code, csv) = lines(&dir, "2026-10-31T12:00:00Z", &args, "csv");
    assert_eq!(code, 0);
    assert_eq!(
        csv,
        [
            "date,kind,dimension,key,metric,before,after,score,monthly_impact_usd,excess_usd,driver,template,reason",
            "2026-10-20,spike,team,mobile,cost_usd,5,20,30,,15,volume,,",
            "2026-10-20,spike,template,mobile/ad-copy,cost_usd,5,20,30,,15,volume,,",
            "2026-10-20,spike,model,unit-model,cost_usd,25,43,7.2,,18,volume,,",
            "2026-10-15,change_point,template,support/answer,cost_per_call_usd,0.1,0.13,15,90,,tokens_per_call,,",
        ]
    );
}
