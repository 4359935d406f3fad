//! One column list per output (issue 17): the table, the CSV (through `csv::Writer`) and the
//! markdown of a command come from the same columns, names from logs are quoted and escaped
//! the same way in every CSV, and JSON rows keep the dimensions in `--by` order.
//!
//! The store: usage of 2026-10-05 priced by this file's cost.toml: `unit-model` $1 per million
//! input tokens and $2 per million output tokens, `half-model` $0.50 per million input tokens;
//! `mystery-model` has no price.
//! - team `a,b`, template `x`, unit-model: 2,000,000 input + 500,000 output = $2 + $1 = $3;
//! - team `a,b`, template `y`, half-model: 4,000,000 input = $2;
//! - team `say "hi"`, template `y`, half-model: 1,000,000 input = $0.50;
//! - team `two⏎lines` (a line break in the name), template `x`, unit-model: 500,000 input = $0.50;
//! - no team, no template, mystery-model: 1,000 input tokens, unpriced.

mod common;
use common::store::{Row, Usage, imported, run_text};
use indexmap::IndexMap;
use serde_json::Value;

const CONFIG: &str = r#"
[prices."unit-model"]
input = 1.0
output = 2.0
provider = "openai"

[prices."half-model"]
input = 0.5
output = 0.0
provider = "openai"
"#;

const NOW: &str = "2026-10-31T12:00:00Z";

fn store() -> tempfile::TempDir {
    let mut usage = Usage::new();
    for (team, template, model, input, output) in [
        ("a,b", "x", "unit-model", 2_000_000, 500_000),
        ("a,b", "y", "half-model", 4_000_000, 0),
        ("say \"hi\"", "y", "half-model", 1_000_000, 0),
        ("two\nlines", "x", "unit-model", 500_000, 0),
        ("", "", "mystery-model", 1_000, 0),
    ] {
        usage.add(Row {
            day: "2026-10-05",
            team,
            template,
            model,
            input,
            output,
            ..Row::default()
        });
    }
    imported(CONFIG, &usage, &[])
}

/// `args --format FORMAT` on the store at [`NOW`]: the lines of stdout (the run must succeed
/// with nothing on stderr).
fn lines(dir: &tempfile::TempDir, args: &[&str], format: &str) -> Vec<String> {
    let (code, out, err) = run_text(dir, NOW, &[args, &["--format", format]].concat());
    assert_eq!((code, err.as_str()), (0, ""), "{args:?} --format {format}");
    out.lines().map(str::to_string).collect()
}

#[test]
fn csv_quotes_names_with_commas_and_quotes_and_escapes_line_breaks() {
    let dir = store();
    let args = ["report", "--by", "team", "--since", "2026-10"];
    // Rows by cost: a,b $3 + $2 = $5 (2 requests, 6,000,000 input, 500,000 output); say "hi"
    // and two⏎lines $0.50 each (1 request; the tie goes by name); the unassigned, unpriced
    // request last, its cost empty (unknown, not 0).
    let csv = lines(&dir, &args, "csv");
    assert_eq!(
        csv,
        [
            "team,requests,uncached_input_tokens,cache_read_tokens,cache_write_5m_tokens,cache_write_1h_tokens,output_tokens,reasoning_tokens,cost_usd,cache_hit_rate,request_cache_hit_rate,unpriced_requests,reported_cost_usd,reported_records_cost_usd",
            "\"a,b\",2,6000000,0,0,0,500000,0,5,0.000000,0.000000,0,,",
            "\"say \"\"hi\"\"\",1,1000000,0,0,0,0,0,0.5,0.000000,0.000000,0,,",
            "two\\x0alines,1,500000,0,0,0,0,0,0.5,0.000000,0.000000,0,,",
            ",1,1000,0,0,0,0,0,,0.000000,0.000000,1,,",
        ]
    );
    // A CSV reader gets each name back whole, the line break as its escape.
    let text = csv.join("\n");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let teams: Vec<String> = reader
        .records()
        .map(|r| r.unwrap().get(0).unwrap().to_string())
        .collect();
    assert_eq!(teams, ["a,b", "say \"hi\"", "two\\x0alines", ""]);

    // The table and markdown show the same rows for people: escaped, grouped, `unpriced`.
    assert_eq!(
        lines(&dir, &args, "markdown")[..7],
        [
            "| Team | Requests | Uncached | Cache read | Cache write | Output | Cost | Cache hit | Calls hit | Unpriced |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            "| a,b | 2 | 6,000,000 | 0 | 0 | 500,000 | $5.0000 | 0.0% | 0.0% | – |",
            "| say \"hi\" | 1 | 1,000,000 | 0 | 0 | 0 | $0.5000 | 0.0% | 0.0% | – |",
            "| two\\x0alines | 1 | 500,000 | 0 | 0 | 0 | $0.5000 | 0.0% | 0.0% | – |",
            "| (unassigned) | 1 | 1,000 | 0 | 0 | 0 | unpriced | 0.0% | 0.0% | 1 |",
            "| **Total** | **5** | **7,501,000** | **0** | **0** | **500,000** | **$6.0000** | **0.0%** | **0.0%** | **1** |",
        ]
    );
}

#[test]
fn every_csv_of_names_uses_the_same_quoting() {
    let dir = store();
    // whatif at batch: half of every bucket (no batch price listed): a,b $5 → $2.50, the
    // others $0.50 → $0.25; the unpriced request is left out.
    assert_eq!(
        lines(
            &dir,
            &["whatif", "--tier", "batch", "--by", "team", "--since", "2026-10"],
            "csv"
        ),
        [
            "team,requests,current_usd,scenario_usd,saving_usd,context_overflow_requests",
            "\"a,b\",2,5,2.5,2.5,0",
            "\"say \"\"hi\"\"\",1,0.5,0.25,0.25,0",
            "two\\x0alines,1,0.5,0.25,0.25,0",
        ]
    );
    // budget: no team has one. Each is suggested its spend since its first day (Oct 5, 27
    // days to Oct 31) scaled to a 30-day month, × 115%, rounded up to whole dollars: a,b
    // $5 × 30/27 × 1.15 = $6.39 → $7, the others $0.50 × 30/27 × 1.15 = $0.64 → $1. The
    // unassigned request has no price: spent and forecast are empty, and no suggestion.
    assert_eq!(
        lines(&dir, &["budget", "--month", "2026-10"], "csv"),
        [
            "team,budget_usd,spent_usd,pct,forecast_usd,forecast_pct,soft_pct,hard_pct,status,soft_crossed_on,hard_crossed_on,suggested_budget_usd,unpriced_requests",
            "\"a,b\",,5,,5,,,,no-budget,,,7,0",
            "\"say \"\"hi\"\"\",,0.5,,0.5,,,,no-budget,,,1,0",
            "two\\x0alines,,0.5,,0.5,,,,no-budget,,,1,0",
            ",,,,,,,,no-budget,,,,1",
        ]
    );
}

#[test]
fn grouped_tables_and_csv_share_their_dimension_columns() {
    let dir = store();
    let args = ["cache", "--by", "team,template", "--since", "2026-10"];
    // Nothing is read from or written to the cache: every saving is $0, and unknown for the
    // unpriced request, whose team and template are missing: `(unassigned)` and `(none)` in
    // the table, empty in CSV. The totals row names no team and no template.
    assert_eq!(
        lines(&dir, &args, "table")[..10],
        [
            "──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────",
            " Team           Template   Requests       Input   Cache read   Hit rate   Calls hit      Saved   Write premium        Net",
            "══════════════════════════════════════════════════════════════════════════════════════════════════════════════════════════",
            " a,b            x                 1   2,000,000            0       0.0%        0.0%    $0.0000         $0.0000    $0.0000",
            " a,b            y                 1   4,000,000            0       0.0%        0.0%    $0.0000         $0.0000    $0.0000",
            " say \"hi\"       y                 1   1,000,000            0       0.0%        0.0%    $0.0000         $0.0000    $0.0000",
            " two\\x0alines   x                 1     500,000            0       0.0%        0.0%    $0.0000         $0.0000    $0.0000",
            " (unassigned)   (none)            1       1,000            0       0.0%        0.0%   unpriced        unpriced   unpriced",
            " Total                            5   7,501,000            0       0.0%        0.0%    $0.0000         $0.0000    $0.0000",
            "──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────",
        ]
    );
    // CSV has the cache writes and the unpriced requests too, and no totals row.
    assert_eq!(
        lines(&dir, &args, "csv"),
        [
            "team,template,requests,input_tokens,cache_read_tokens,cache_write_tokens,cache_hit_rate,request_cache_hit_rate,savings_usd,write_premium_usd,net_savings_usd,unpriced_requests",
            "\"a,b\",x,1,2000000,0,0,0.000000,0.000000,0,0,0,0",
            "\"a,b\",y,1,4000000,0,0,0.000000,0.000000,0,0,0,0",
            "\"say \"\"hi\"\"\",y,1,1000000,0,0,0.000000,0.000000,0,0,0,0",
            "two\\x0alines,x,1,500000,0,0,0.000000,0.000000,0,0,0,0",
            ",,1,1000,0,0,0.000000,0.000000,,,,1",
        ]
    );
}

/// The keys of each row of `args --format json`, in the order the JSON has them.
fn row_keys(dir: &tempfile::TempDir, args: &[&str]) -> (Vec<Vec<String>>, Vec<String>) {
    #[derive(serde::Deserialize)]
    struct Rows {
        rows: Vec<IndexMap<String, Value>>,
        totals: IndexMap<String, Value>,
    }
    let (code, out, err) = run_text(dir, NOW, &[args, &["--format", "json"]].concat());
    assert_eq!(code, 0, "{err}");
    let v: Rows = serde_json::from_str(&out).unwrap();
    (
        v.rows.iter().map(|r| r.keys().cloned().collect()).collect(),
        v.totals.keys().cloned().collect(),
    )
}

#[test]
fn json_rows_keep_the_by_order() {
    let dir = store();
    let metrics = [
        "requests",
        "uncached_input_tokens",
        "cache_read_tokens",
        "cache_write_5m_tokens",
        "cache_write_1h_tokens",
        "output_tokens",
        "reasoning_tokens",
        "cost_usd",
        "cache_hit_rate",
        "request_cache_hit_rate",
        "unpriced_requests",
        "reported_cost_usd",
        "reported_records_cost_usd",
    ];
    for by in [["model", "team"], ["team", "model"]] {
        let (rows, totals) = row_keys(&dir, &["report", "--by", &by.join(","), "--since", "2026-10"]);
        // Five usage lines, five (model, team) groups.
        assert_eq!(rows.len(), 5);
        for keys in rows {
            assert_eq!(keys[..2], by, "--by {by:?}");
            assert_eq!(keys[2..], metrics, "--by {by:?}");
        }
        // The totals row has no dimensions.
        assert_eq!(totals, metrics);
    }
    // The other grouped outputs too.
    let (rows, _) = row_keys(&dir, &["cache", "--by", "template,team", "--since", "2026-10"]);
    assert_eq!(rows[0][..3], ["template", "team", "requests"]);
    let (rows, _) = row_keys(
        &dir,
        &["whatif", "--tier", "batch", "--by", "team,model", "--since", "2026-10"],
    );
    assert_eq!(rows[0][..3], ["team", "model", "requests"]);
}
