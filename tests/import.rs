//! `cost import` and `cost report` through the real binary, on on-disk SQLite stores.
//! Counts and canonical token totals come from tests/fixtures/logs/README.md (checked there
//! line by line); dollar figures are worked out by hand in the comments.

mod common;
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures/logs").join(name)
}

/// A scratch directory with a store path inside it.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Scratch {
        Scratch {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn db(&self) -> PathBuf {
        self.dir.path().join("cost.db")
    }
    fn cmd(&self) -> assert_cmd::Command {
        let mut c = cost_in(self.dir.path());
        c.env("COST_DB", self.db()).env("COST_NOW", "2026-09-30T12:00:00Z");
        c
    }
    fn import(&self, args: &[&str]) -> Value {
        let mut c = self.cmd();
        c.arg("import")
            .args(args)
            .args(["--format", "json", "--at", "2026-09-06"]);
        json(&mut c)
    }
    fn import_path(&self, path: &Path, extra: &[&str]) -> Value {
        let p = path.to_str().unwrap().to_string();
        let mut args = vec![p.as_str()];
        args.extend(extra);
        self.import(&args)
    }
    fn report(&self, args: &[&str]) -> Value {
        let mut c = self.cmd();
        c.arg("report")
            .args(args)
            .args(["--since", "2026-09-01", "--until", "2026-09-30", "--format", "json"]);
        json(&mut c)
    }
}

/// (lines, imported, duplicates, rejected, skipped, unpriced) of an import summary.
fn counts(v: &Value) -> [u64; 6] {
    ["lines", "imported", "duplicates", "rejected", "skipped", "unpriced"].map(|k| v[k].as_u64().unwrap())
}

/// (requests, uncached, read, write 5m, write 1h, output, reasoning) of report totals.
fn tokens(report: &Value) -> [i64; 7] {
    let t = &report["totals"];
    [
        "requests",
        "uncached_input_tokens",
        "cache_read_tokens",
        "cache_write_5m_tokens",
        "cache_write_1h_tokens",
        "output_tokens",
        "reasoning_tokens",
    ]
    .map(|k| t[k].as_i64().unwrap())
}

fn cost_usd(report: &Value) -> f64 {
    report["totals"]["cost_usd"].as_f64().unwrap()
}

/// One file of the fixture table: its counts, and its canonical token totals.
fn check_file(name: &str, source: &str, expect_counts: [u64; 6], expect_tokens: [i64; 7], expect_usd: &str) -> Scratch {
    let s = Scratch::new();
    let summary = s.import_path(&fixture(name), &[]);
    assert_eq!(summary["files"][0]["source"], source, "{name}: sniffed source");
    assert_eq!(
        counts(&summary),
        expect_counts,
        "{name}: lines/imported/duplicates/rejected/skipped/unpriced"
    );
    let report = s.report(&["--by", "team"]);
    assert_eq!(tokens(&report), expect_tokens, "{name}: canonical token totals");
    assert_eq!(
        report["totals"]["unpriced_requests"].as_u64().unwrap(),
        expect_counts[5]
    );
    let usd: f64 = expect_usd.parse().unwrap();
    assert_eq!(cost_usd(&report), usd, "{name}: report cost");
    assert_eq!(
        summary["cost_usd"].as_f64().unwrap(),
        usd,
        "{name}: import summary cost"
    );
    s
}

#[test]
fn envelope_fixture() {
    // Per record (tests/fixtures/expected-costs.md has every bucket × price):
    // line 1 gpt-4o $0.01198; 2 Sonnet 4.5 5m+1h writes $0.051; 3 gpt-5 flex $0.014169;
    // 4 gpt-4o-mini batch $0.00032475; 5 Haiku 4.5, 4,800 unsplit writes → 5m $0.0119;
    // 6 Sonnet 4.5 at 205,200 total input, all at the >200k prices: 3,200 × $6/M + 190,000 ×
    // $0.6/M + 12,000 × $7.5/M + 1,450 × $22.5/M = $0.255825; 9 gpt-5 priority $0.02959;
    // 12 Haiku, LiteLLM-normalised usage (uncached 320) $0.00767; 13 Gemini 2.5 Pro $0.044;
    // 11 unpriced. Sum $0.42645875.
    let s = check_file(
        "envelope.jsonl",
        "envelope",
        [13, 10, 1, 1, 1, 1],
        [10, 32_420, 264_800, 22_800, 4_000, 9_850, 3_916],
        "0.42645875",
    );
    let by_team = s.report(&["--by", "team"]);
    let requests: Vec<(String, i64)> = by_team["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["team"].as_str().unwrap().to_string(), r["requests"].as_i64().unwrap()))
        .collect();
    let mut sorted = requests.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        vec![("growth".into(), 2), ("search".into(), 4), ("support".into(), 4)],
        "records per team"
    );
}

#[test]
fn cost_export_fixture() {
    // Priced again, not at the $1.50 a line states (tests/fixtures/expected-costs.md): line 1
    // gpt-4o $0.007 (line 4, the same key from another machine, is a duplicate); line 3 Sonnet
    // 4.5, the Claude Code copy with output 388, replaces line 2's (output 2): 10 × $3/M +
    // 20,000 × $0.3/M + 1,000 × $6/M + 388 × $15/M = $0.01785; line 8 gpt-4o-mini batch, 120
    // requests: 180,000 × $0.075/M + 52,000 × $0.3/M = $0.0291; line 5 unpriced. Sum $0.05395.
    let s = check_file(
        "cost-export.jsonl",
        "cost-export",
        [8, 4, 2, 2, 0, 1],
        [123, 181_710, 20_800, 0, 1_000, 52_738, 0],
        "0.05395",
    );
    // The records keep the source that first read them.
    let out = s.cmd().args(["export", "--format", "jsonl"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let sources: Vec<String> = text
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["source"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(sources, ["envelope", "claude-code", "envelope", "openai-usage"]);
}

#[test]
fn openai_chat_fixture() {
    // 1 gpt-4o 1,252 × $2.5/M + 2,048 × $1.25/M + 250 × $10/M = $0.00819; 2 gpt-4o-mini
    // $0.0003255; 3 gpt-5 priority $0.041476; 4 gpt-5-mini flex $0.00585; 6 the final stream
    // chunk $0.0004836. Sum $0.0563251.
    check_file(
        "openai-chat.jsonl",
        "openai-chat",
        [9, 5, 1, 1, 2, 0],
        [5, 29_806, 9_344, 0, 0, 5_370, 3_648],
        "0.0563251",
    );
}

#[test]
fn openai_batch_output_fixture() {
    // Batch prices: 1 gpt-4o-mini $0.0003045; 2 gpt-4o-mini with 1,280 cached at 50% of
    // $0.075/M $0.0003075; 4 gpt-4o 4,100 × $1.25/M + 800 × $5/M = $0.009125. Sum $0.009737.
    let s = check_file(
        "openai-batch-output.jsonl",
        "openai-chat",
        [4, 3, 0, 0, 1, 0],
        [3, 7_020, 1_280, 0, 0, 1_950, 0],
        "0.009737",
    );
    let by_tier = s.report(&["--by", "tier"]);
    assert_eq!(by_tier["rows"].as_array().unwrap().len(), 1);
    assert_eq!(by_tier["rows"][0]["tier"], "batch");
}

#[test]
fn openai_responses_fixture() {
    // 1 gpt-5 3,808 × $1.25/M + 8,192 × $0.125/M + 2,300 × $10/M = $0.028784; 2 gpt-5-mini
    // incomplete, all output reasoning $0.015817; 5 gpt-5 flex $0.012115; 6 gpt-4o-mini
    // $0.000492. Sum $0.057208.
    let s = check_file(
        "openai-responses.jsonl",
        "openai-responses",
        [6, 4, 1, 0, 1, 0],
        [4, 39_068, 18_432, 0, 0, 8_716, 7_240],
        "0.057208",
    );
    // Team from the echoed metadata: support 2, search 1, growth 1.
    let by_team = s.report(&["--by", "team"]);
    let support = by_team["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["team"] == "support")
        .unwrap();
    assert_eq!(support["requests"], 2);
    // The stored prompt id is the template.
    let by_template = s.report(&["--by", "template"]);
    assert!(
        by_template["rows"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["template"] == "pmpt_68b0a1f2c3d48193" && r["requests"] == 2),
        "{by_template}"
    );
}

#[test]
fn anthropic_messages_fixture() {
    // 1 Sonnet 4.5 $0.02121; 2 Haiku 4.5 6,000 1h writes at $2/M: $0.01435; 3 Opus 4.1,
    // unsplit 1,500 → 5m: $0.137625; 4 Haiku batch at 50%: $0.0041; 7 Sonnet $0.027.
    // Sum $0.204285.
    check_file(
        "anthropic-messages.jsonl",
        "anthropic-messages",
        [7, 5, 1, 0, 1, 0],
        [5, 11_720, 23_000, 4_100, 6_000, 3_330, 0],
        "0.204285",
    );
}

#[test]
fn litellm_csv_fixture() {
    // Row 1 Sonnet, prompt 40,300 = 300 + 36,000 read + 2,500 (5m) + 1,500 (1h): $0.039825;
    // 2 gpt-4o $0.0135; 3 LiteLLM cache hit: all buckets 0, $0; 6 gpt-5 $0.021625; 8 Haiku
    // with only the reads folded in (uncached 500) $0.0052. Sum $0.08015.
    check_file(
        "litellm-spendlogs.csv",
        "litellm",
        [8, 5, 1, 0, 2, 0],
        [5, 6_580, 49_120, 4_500, 1_500, 2_920, 1_024],
        "0.08015",
    );
}

#[test]
fn litellm_json_fixture() {
    // 1 gpt-4o $0.0135; 2 bedrock/us.anthropic… Sonnet at the `us.` profile's own prices
    // ($3.3/M input …) $0.036135; 3 gemini/gemini-2.5-pro $0.02175. Sum $0.071385.
    check_file(
        "litellm-spendlogs.json",
        "litellm",
        [3, 3, 0, 0, 0, 0],
        [3, 9_480, 25_120, 3_000, 0, 2_490, 900],
        "0.071385",
    );
}

#[test]
fn litellm_csv_and_json_into_one_store() {
    let s = Scratch::new();
    let csv = fixture("litellm-spendlogs.csv");
    let json_file = fixture("litellm-spendlogs.json");
    let summary = s.import(&[csv.to_str().unwrap(), json_file.to_str().unwrap()]);
    // JSON row 1 repeats CSV row 2: 11 lines, 7 records, 2 duplicates, 2 skipped.
    assert_eq!(counts(&summary), [11, 7, 2, 0, 2, 0]);
    let report = s.report(&["--by", "model"]);
    assert_eq!(tokens(&report), [7, 14_780, 69_120, 7_500, 1_500, 5_020, 1_924]);
    // $0.08015 + $0.071385 − the shared gpt-4o row counted once ($0.0135) = $0.138035.
    assert_eq!(cost_usd(&report), 0.138035);
}

#[test]
fn claude_code_tree() {
    let s = Scratch::new();
    let summary = s.import_path(&fixture("claude-code"), &[]);
    // 3 transcripts (the .meta.json is not read): 21 lines, 7 records, 5 duplicates, 9 skipped.
    assert_eq!(summary["files"].as_array().unwrap().len(), 3);
    assert_eq!(counts(&summary), [21, 7, 5, 0, 9, 0]);
    let files: Vec<[u64; 6]> = summary["files"].as_array().unwrap().iter().map(counts).collect();
    // Name order: the first session, its subagent, then the resumed session.
    assert_eq!(files[0], [12, 4, 3, 0, 5, 0]);
    assert_eq!(files[1], [2, 1, 0, 0, 1, 0]);
    assert_eq!(files[2], [7, 2, 2, 0, 3, 0]);
    // The streamed snapshot (2 then 388 output tokens) keeps 388.
    assert_eq!(summary["replaced"], 1);
    let report = s.report(&["--by", "project"]);
    assert_eq!(tokens(&report), [7, 1_238, 101_400, 12_700, 3_000, 2_185, 0]);
    // msg_01QmA1 $0.029859; msg_01QmA2 with 388 output (not 2): 5 × $3/M + 19,200 × $0.3/M +
    // 600 × $3.75/M + 388 × $15/M = $0.013845; sidechain Haiku $0.0019; msg_01QmA3 with a
    // 3,000-token 1h write at $6/M $0.025377; msg_01WnB1 $0.025098; msg_01WnB2 $0.011094;
    // the subagent's Haiku call $0.007187. Sum $0.11436.
    assert_eq!(cost_usd(&report), 0.11436);
    assert_eq!(report["rows"][0]["project"], "/home/dev/shop");
    assert_eq!(report["api_equivalent_only"], true);
    // Importing again reads nothing (all unchanged); read again, it adds nothing.
    let again = s.import_path(&fixture("claude-code"), &[]);
    assert_eq!(again["unchanged_files"].as_array().unwrap().len(), 3);
    let again = s.import_path(&fixture("claude-code"), &["--reread"]);
    assert_eq!(counts(&again), [21, 0, 12, 0, 9, 0]);
    assert_eq!(
        tokens(&s.report(&["--by", "day"])),
        [7, 1_238, 101_400, 12_700, 3_000, 2_185, 0]
    );
}

#[test]
fn openai_usage_export() {
    // Aggregates, no long context: gpt-4o 690,000 × $2.5/M + 1,150,000 × $1.25/M + 96,000 ×
    // $10/M = $4.1225; gpt-4o-mini batch $0.339; gpt-5 priority $5.135; gpt-5-mini flex
    // $0.7059; o4-mini $1.1. Sum $11.4024.
    let s = check_file(
        "openai-usage-api.json",
        "openai-usage",
        [5, 5, 0, 0, 0, 0],
        [2_577, 5_308_000, 3_582_000, 0, 0, 1_456_000, 0],
        "11.4024",
    );
    // Aggregates are not single calls: no request-level hit rate.
    let r = s.report(&["--by", "model"]);
    assert!(r["totals"]["request_cache_hit_rate"].is_null());
}

#[test]
fn anthropic_usage_report() {
    // Sonnet 0-200k $1.6725; Sonnet 200k-1M at the long-context prices: 9,000 × $6/M +
    // 410,000 × $0.6/M + 6,500 × $22.5/M = $0.44625; Haiku batch at 50% $0.76; Opus 4.1
    // $1.695; Sonnet priority: no listed price → unpriced. Sum $4.57375.
    check_file(
        "anthropic-usage-report.json",
        "anthropic-usage",
        [5, 5, 0, 0, 0, 1],
        [0, 936_000, 2_075_000, 70_000, 12_000, 219_000, 0],
        "4.57375",
    );
}

#[test]
fn bedrock_invocations() {
    // 1 us. Sonnet profile, 3,072 1h writes at $6.6/M: $0.0410752; 2 Haiku base id $0.0078;
    // 3 the ARN → us. Haiku profile $0.00671; 6 global. Sonnet $0.0735. Sum $0.1290752.
    let s = check_file(
        "bedrock-invocations.jsonl",
        "bedrock",
        [6, 4, 1, 0, 1, 0],
        [4, 9_600, 76_500, 12_200, 3_072, 2_440, 0],
        "0.1290752",
    );
    let by_team = s.report(&["--by", "team"]);
    let teams: Vec<&str> = by_team["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["team"].as_str().unwrap_or("(unassigned)"))
        .collect();
    let mut teams = teams;
    teams.sort();
    // JSON gives null for a record without a team; tables show `(unassigned)`.
    assert_eq!(teams, ["(unassigned)", "growth", "search", "support"]);
}

#[test]
fn generic_csv() {
    // 1 gpt-4o $0.01243; 2 Sonnet $0.0357; 3 Gemini 2.5 Pro at 252,000 input, long context:
    // 236,000 × $2.5/M + 16,000 × $0.25/M + 2,400 × $15/M = $0.63; 4 gpt-5 flex $0.007256;
    // 5 gpt-4o-mini batch aggregate $0.0291; 9 Haiku $0.0076; 10 gpt-4o priority $0.01632;
    // 6 unpriced. Sum $0.738406.
    check_file(
        "generic.csv",
        "generic-csv",
        [10, 8, 1, 1, 0, 1],
        [127, 427_500, 54_680, 3_000, 3_500, 57_070, 2_100],
        "0.738406",
    );
}

#[test]
fn reimport_adds_nothing_and_says_so() {
    let s = Scratch::new();
    let first = s.import_path(&fixture("envelope.jsonl"), &[]);
    assert_eq!(first["imported"], 10);
    let before = s.report(&["--by", "team"]);
    // Unchanged since the last import (path, size, mtime): not read again.
    let unchanged = s.import_path(&fixture("envelope.jsonl"), &[]);
    assert_eq!(counts(&unchanged), [0, 0, 0, 0, 0, 0]);
    assert_eq!(unchanged["unchanged_files"].as_array().unwrap().len(), 1);
    // Read again: the 11 billable lines are all duplicates; the reject and the skip stay.
    let second = s.import_path(&fixture("envelope.jsonl"), &["--reread"]);
    assert_eq!(counts(&second), [13, 0, 11, 1, 1, 0]);
    assert_eq!(s.report(&["--by", "team"]), before);
    // A copy of the file under another name is read, and adds nothing either.
    let copy = s.dir.path().join("copy.jsonl");
    std::fs::copy(fixture("envelope.jsonl"), &copy).unwrap();
    assert_eq!(counts(&s.import_path(&copy, &[])), [13, 0, 11, 1, 1, 0]);
    assert_eq!(s.report(&["--by", "team"]), before);
    // The text summary, on copies in the scratch directory (short names, as typed): one row a
    // file, then where the store is. generic.csv: the counts and $0.738406 of `generic_csv`
    // (to four places in the table); its reject and its unpriced model are explained.
    for name in ["generic.csv", "bedrock-invocations.jsonl"] {
        std::fs::copy(fixture(name), s.dir.path().join(name)).unwrap();
    }
    let db = s.db().display().to_string();
    let header =
        " File          Source        Lines   Imported   Duplicates   Rejected   Skipped   Unpriced   Cost added";
    let text = stdout(s.cmd().args(["import", "generic.csv"]));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "─".repeat(104).as_str(),
            header,
            "═".repeat(104).as_str(),
            " generic.csv   generic-csv      10          8            1          1         0          1      $0.7384",
            "─".repeat(104).as_str(),
            "generic.csv:9: `uncached_input_tokens` value `1,234` is not a plain non-negative integer",
            &format!("Rejected lines are kept with their reason in the `rejects` table of {db}."),
            "1 unpriced: the price table does not know the model (or tier); they are counted in every report, never as $0. Add [prices.\"name\"] to cost.toml, then `cost import --update` the same files to price them.",
            &format!("Store: {db}"),
        ],
        "{text}"
    );
    // bedrock-invocations.jsonl, new: 4 imported ($0.1290752 of `bedrock_invocations`), line 4
    // repeating line 1, the throttled line skipped.
    let header = " File                        Source    Lines   Imported   Duplicates   Rejected   Skipped   Unpriced   Cost added";
    let again = stdout(s.cmd().args(["import", "bedrock-invocations.jsonl"]));
    assert_eq!(
        again.lines().collect::<Vec<_>>(),
        [
            "─".repeat(114).as_str(),
            header,
            "═".repeat(114).as_str(),
            " bedrock-invocations.jsonl   bedrock       6          4            1          0         1          0      $0.1291",
            "─".repeat(114).as_str(),
            &format!("Store: {db}"),
        ],
        "{again}"
    );
    // Read again: its 5 billable lines are all duplicates, and the summary says so.
    let third = stdout(s.cmd().args(["import", "bedrock-invocations.jsonl", "--reread"]));
    assert_eq!(
        third.lines().collect::<Vec<_>>(),
        [
            "─".repeat(114).as_str(),
            header,
            "═".repeat(114).as_str(),
            " bedrock-invocations.jsonl   bedrock       6          0            5          0         1          0      $0.0000",
            "─".repeat(114).as_str(),
            &format!("Nothing new: all 5 billable lines were already in {db}."),
        ],
        "{third}"
    );
    // Unchanged since: not read, and no empty table.
    let fourth = stdout(s.cmd().args(["import", "bedrock-invocations.jsonl"]));
    assert_eq!(
        fourth,
        format!(
            "1 file is unchanged since it was last imported: not read again (--reread reads it anyway).\nNothing new in {db}.\n"
        )
    );
}

#[test]
fn rejects_are_kept_with_file_line_and_excerpt() {
    let s = Scratch::new();
    s.import_path(&fixture("envelope.jsonl"), &[]);
    s.import_path(&fixture("generic.csv"), &[]);
    let conn = rusqlite::Connection::open(s.db()).unwrap();
    let mut stmt = conn
        .prepare("SELECT path, line, reason, length(excerpt) FROM rejects ORDER BY path")
        .unwrap();
    let rows: Vec<(String, i64, String, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), 2);
    assert!(rows[0].0.ends_with("envelope.jsonl") && rows[0].1 == 10, "{rows:?}");
    assert_eq!(rows[0].2, "invalid JSON: the line is cut off");
    assert!(rows[0].3 > 0 && rows[0].3 <= 200);
    assert!(rows[1].0.ends_with("generic.csv") && rows[1].1 == 9, "{rows:?}");
    assert_eq!(
        rows[1].2,
        "`uncached_input_tokens` value `1,234` is not a plain non-negative integer"
    );
}

#[test]
fn no_prompt_text_or_raw_secret_reaches_the_store() {
    let s = Scratch::new();
    let dir = tempfile::tempdir().unwrap();
    let secret = "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
    let line = format!(
        r#"{{"timestamp":"2026-09-03T10:00:00Z","request_id":"gw_secret_1","provider":"openai","api_key_id":"{secret}","metadata":{{"team":"support"}},"request":{{"model":"gpt-4o","messages":[{{"role":"user","content":"PROMPT-TEXT-MARKER"}}]}},"response":{{"id":"chatcmpl-x","model":"gpt-4o-2024-08-06","choices":[{{"message":{{"content":"COMPLETION-MARKER"}}}}],"usage":{{"prompt_tokens":100,"completion_tokens":10}}}}}}"#
    );
    let file = dir.path().join("calls.jsonl");
    std::fs::write(&file, format!("{line}\n")).unwrap();
    s.import_path(&file, &[]);
    for f in [
        "anthropic-messages.jsonl",
        "openai-chat.jsonl",
        "bedrock-invocations.jsonl",
        "claude-code",
    ] {
        s.import_path(&fixture(f), &[]);
    }
    // Checkpoint the WAL so every byte is in the main file, then search it.
    let conn = rusqlite::Connection::open(s.db()).unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    let key: String = conn
        .query_row(
            "SELECT api_key_id FROM requests WHERE request_key = 'gw_secret_1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(key.starts_with("sha256:"), "{key}");
    drop(conn);
    let bytes = std::fs::read(s.db()).unwrap();
    let has = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(!has(secret), "raw API key stored");
    assert!(
        !has("PROMPT-TEXT-MARKER") && !has("COMPLETION-MARKER"),
        "prompt or completion text stored"
    );
    assert!(!has("(redacted)"), "content blocks of the fixtures stored");
}

#[test]
fn strict_commits_nothing_and_exits_2() {
    let s = Scratch::new();
    let good = fixture("bedrock-invocations.jsonl");
    let bad = fixture("envelope.jsonl");
    let (code, err) = fails(
        s.cmd()
            .args(["import", good.to_str().unwrap(), bad.to_str().unwrap(), "--strict"]),
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("envelope.jsonl:10: invalid JSON: the line is cut off"),
        "{err}"
    );
    assert_eq!(
        err.lines().collect::<Vec<_>>(),
        [
            format!("{}:10: invalid JSON: the line is cut off", bad.display()).as_str(),
            "error: 1 rejected line in 1 file under --strict: nothing was imported",
            "hint: fix or remove those lines, or import without --strict to keep the good lines and record the bad ones",
        ]
    );
    assert!(
        !s.db().exists(),
        "--strict with a reject must not create or change the store"
    );
    // Without the bad file, --strict imports.
    let ok = s.import_path(&good, &["--strict"]);
    assert_eq!(ok["imported"], 4);
}

#[test]
fn dry_run_writes_nothing() {
    let s = Scratch::new();
    let summary = s.import_path(&fixture("envelope.jsonl"), &["--dry-run"]);
    assert_eq!(counts(&summary), [13, 10, 1, 1, 1, 1]);
    assert!(!s.db().exists());
    s.import_path(&fixture("envelope.jsonl"), &[]);
    let dry = s.import_path(&fixture("envelope.jsonl"), &["--dry-run", "--reread"]);
    assert_eq!(
        dry["duplicates"], 11,
        "a dry run against an existing store counts its duplicates"
    );
}

#[test]
fn stdin_gzip_and_zstd() {
    let s = Scratch::new();
    let raw = std::fs::read(fixture("bedrock-invocations.jsonl")).unwrap();
    // stdin, sniffed.
    let summary = json(
        s.cmd()
            .args(["import", "-", "--format", "json"])
            .write_stdin(raw.clone()),
    );
    assert_eq!(counts(&summary), [6, 4, 1, 0, 1, 0]);
    assert_eq!(summary["files"][0]["path"], "<stdin>");
    // The same file gzipped and zstd-compressed: all duplicates now.
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("b.jsonl.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut enc, &raw).unwrap();
    std::fs::write(&gz, enc.finish().unwrap()).unwrap();
    let zst = dir.path().join("b.jsonl.zst");
    std::fs::write(
        &zst,
        ruzstd::encoding::compress_to_vec(&raw[..], ruzstd::encoding::CompressionLevel::Fastest),
    )
    .unwrap();
    let summary = s.import(&[gz.to_str().unwrap(), zst.to_str().unwrap()]);
    assert_eq!(counts(&summary), [12, 0, 10, 0, 2, 0]);
    assert!(
        summary["files"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["source"] == "bedrock")
    );
}

/// A pipe named as a path (`cost import /dev/stdin < <(…)`, a FIFO) is read once, from
/// sniffing to the store, as `-` is: before, sniffing drained it and the import found nothing.
/// Run twice, it is read again (a pipe has no size or time that could say it is unchanged).
#[cfg(unix)]
#[test]
fn a_pipe_named_as_a_path_is_read_once_and_whole() {
    let s = Scratch::new();
    let raw = std::fs::read(fixture("bedrock-invocations.jsonl")).unwrap();
    let summary = json(
        s.cmd()
            .args(["import", "/dev/stdin", "--format", "json"])
            .write_stdin(raw.clone()),
    );
    // The same counts as the file read through `-` in `stdin_gzip_and_zstd`.
    assert_eq!(counts(&summary), [6, 4, 1, 0, 1, 0]);
    assert_eq!(summary["files"][0]["path"], "/dev/stdin");
    let again = json(
        s.cmd()
            .args(["import", "/dev/stdin", "--format", "json"])
            .write_stdin(raw),
    );
    assert_eq!(counts(&again), [6, 0, 5, 0, 1, 0]);
    assert_eq!(again["unchanged_files"].as_array().unwrap().len(), 0);
}

#[test]
fn unrecognised_file_is_a_clear_error() {
    let s = Scratch::new();
    std::fs::write(s.dir.path().join("notes.txt"), "hello, this is not a log\n").unwrap();
    // Reported, not fatal to the other files (DESIGN §12): exit 1. The table lists it as
    // unreadable, says what it starts with and how to name its kind.
    let out = s.cmd().args(["import", "notes.txt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let table = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        table.lines().collect::<Vec<_>>(),
        [
            "─".repeat(101).as_str(),
            " File        Source       Lines   Imported   Duplicates   Rejected   Skipped   Unpriced   Cost added",
            "═".repeat(101).as_str(),
            " notes.txt   unreadable       0          0            0          0         0          0      $0.0000",
            "─".repeat(101).as_str(),
            "notes.txt: could not be read: not a usage log this version can tell (it starts: \"hello, this is not a log⏎\"); if it is one, name its kind with --source (cost-export, bedrock, claude-code, codex, copilot, gemini-cli, opencode, kilo, otel, litellm, envelope, openai-usage, anthropic-usage, openai-chat, openai-responses, anthropic-messages, generic-csv)",
            &format!("Store: {}", s.db().display()),
        ],
        "{table}"
    );
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "1 file could not be read (listed above)\n"
    );
    let (code, err) = fails(s.cmd().args(["import", "missing.jsonl"]));
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: cannot read missing.jsonl: No such file or directory (os error 2)\nhint: check the path (and the working directory)\n"
    );
}

#[test]
fn unwritable_store_exits_3_with_the_path() {
    let s = Scratch::new();
    let ro = s.dir.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    let db = ro.join("cost.db");
    std::fs::write(&db, b"").unwrap();
    let mut perms = std::fs::metadata(&db).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&db, perms.clone()).unwrap();
    let mut dperms = std::fs::metadata(&ro).unwrap().permissions();
    dperms.set_readonly(true);
    std::fs::set_permissions(&ro, dperms).unwrap();
    let out = s
        .cmd()
        .env("COST_DB", &db)
        .args(["import", fixture("bedrock-invocations.jsonl").to_str().unwrap()])
        .output()
        .unwrap();
    let mut dperms = std::fs::metadata(&ro).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    dperms.set_readonly(false);
    std::fs::set_permissions(&ro, dperms).unwrap();
    if out.status.success() {
        // Running as root: permissions do not stop writes; nothing to check here.
        eprintln!("skipped: the file system lets this user write read-only files (root)");
        return;
    }
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains(db.to_str().unwrap()), "{err}");
}

#[test]
fn report_formats_on_a_known_store() {
    let s = Scratch::new();
    s.import_path(&fixture("envelope.jsonl"), &[]);
    s.import_path(&fixture("generic.csv"), &[]);
    let table = stdout(s.cmd().args(["report", "--by", "team,model", "--since", "2026-09"]));
    insta::assert_snapshot!("report_team_model", table);
    let csv = stdout(
        s.cmd()
            .args(["report", "--by", "day", "--since", "2026-09", "--format", "csv"]),
    );
    insta::assert_snapshot!("report_day_csv", csv);
    let md = stdout(
        s.cmd()
            .args(["report", "--by", "tier", "--since", "2026-09", "--format", "markdown"]),
    );
    insta::assert_snapshot!("report_tier_markdown", md);
}

#[test]
fn report_filters_and_errors() {
    let s = Scratch::new();
    s.import_path(&fixture("envelope.jsonl"), &[]);
    let support = s.report(&["--by", "template", "--team", "support"]);
    assert_eq!(support["totals"]["requests"], 4);
    let sonnet = s.report(&["--by", "model", "--model", "claude-sonnet-4-5*"]);
    assert_eq!(sonnet["totals"]["requests"], 2);
    let (code, err) = fails(s.cmd().args(["report", "--team", "suport"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown team `suport`") && err.contains("did you mean `support`?"),
        "{err}"
    );
    let (code, err) = fails(s.cmd().args(["report", "--by", "colour"]));
    assert_eq!(code, 2);
    assert!(err.contains("unknown dimension `colour`"), "{err}");
    let (code, err) = fails(s.cmd().args(["report", "--since", "last-week"]));
    assert_eq!(code, 2);
    assert!(err.contains("is not a date or period"), "{err}");
    // A month with no data: an honest empty report.
    let empty = s.cmd().args(["report", "--since", "2026-07"]).output().unwrap();
    assert!(empty.status.success());
    assert!(String::from_utf8_lossy(&empty.stdout).contains("No usage between 2026-07-01 and 2026-07-31."));
}

#[test]
fn empty_store_says_how_to_start() {
    // No store yet: a report is refused (exit 2), and says how to make one.
    let s = Scratch::new();
    let (code, err) = fails(s.cmd().args(["report"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("no store at ") && err.contains("run `cost import` first"),
        "{err}"
    );
    assert!(!s.db().exists(), "a report creates no store");
}

#[test]
fn attribution_from_config_and_flags() {
    let dir = project(&[(
        "cost.toml",
        r#"
[teams.platform]
api_keys = ["key_growth_batch"]
[teams.helpdesk]
projects = ["proj_helpdesk"]
[attribution]
team = ["tags.cost_center"]
"#,
    )]);
    let db = dir.path().join("s.db");
    let run = |args: &[&str]| {
        json(
            cost_in(dir.path())
                .env("COST_DB", &db)
                .env("COST_NOW", "2026-09-30T00:00:00Z")
                .args(args)
                .args(["--format", "json"]),
        )
    };
    // Usage-API rows map by project (helpdesk) or key, else fall to --team.
    run(&[
        "import",
        fixture("openai-usage-api.json").to_str().unwrap(),
        "--team",
        "data",
    ]);
    // Envelope: the configured path `tags.cost_center` wins over metadata.team.
    run(&["import", fixture("envelope.jsonl").to_str().unwrap()]);
    let report = run(&["report", "--by", "team", "--since", "2026-09"]);
    let teams: std::collections::BTreeMap<String, i64> = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["team"].as_str().unwrap().to_string(), r["requests"].as_i64().unwrap()))
        .collect();
    // Usage rows: proj_helpdesk 412 + 180 → helpdesk; key_growth_batch 1,250 → platform;
    // proj_search 640 + 95 → data (the --team fallback).
    assert_eq!(teams.get("helpdesk"), Some(&592), "{teams:?}");
    assert_eq!(teams.get("platform"), Some(&1_250), "{teams:?}");
    assert_eq!(teams.get("data"), Some(&735), "{teams:?}");
    // Envelope: the configured `tags.cost_center` wins over metadata.team where present:
    // lines 1, 2 and 12 (line 7 repeats line 1).
    assert_eq!(teams.get("CC-4410"), Some(&3), "{teams:?}");
}

#[test]
fn update_reprices_and_reattributes_stored_records() {
    let dir = project(&[("cost.toml", "")]);
    let db = dir.path().join("s.db");
    let run = |args: &[&str]| {
        json(
            cost_in(dir.path())
                .env("COST_DB", &db)
                .env("COST_NOW", "2026-09-30T00:00:00Z")
                .args(args)
                .args(["--format", "json"]),
        )
    };
    let csv = fixture("generic.csv");
    let usage = fixture("openai-usage-api.json");
    run(&["import", csv.to_str().unwrap(), usage.to_str().unwrap()]);
    let before = run(&["report", "--by", "team", "--since", "2026-09"]);
    assert_eq!(before["totals"]["unpriced_requests"], 1);
    // $0.738406 (generic.csv) + $11.4024 (usage export).
    assert_eq!(before["totals"]["cost_usd"].as_f64().unwrap(), 12.140806);

    // Price the unknown model and map the usage export's keys to teams, then --update.
    std::fs::write(
        dir.path().join("cost.toml"),
        r#"
[prices."northwind-chat-13b"]
input = 1.0
output = 3.0
[teams.helpdesk]
projects = ["proj_helpdesk"]
"#,
    )
    .unwrap();
    let updated = run(&["import", csv.to_str().unwrap(), usage.to_str().unwrap(), "--update"]);
    // northwind row and the two proj_helpdesk rows change; nothing new is imported.
    assert_eq!(updated["imported"], 0);
    assert_eq!(updated["updated"], 3);
    let after = run(&["report", "--by", "team", "--since", "2026-09"]);
    assert_eq!(after["totals"]["unpriced_requests"], 0);
    // northwind-chat-13b: 2,200 × $1/M + 150 × $3/M = $0.0022 + $0.00045 = $0.00265.
    assert_eq!(after["totals"]["cost_usd"].as_f64().unwrap(), 12.143456);
    let helpdesk = after["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["team"] == "helpdesk")
        .unwrap();
    // proj_helpdesk: gpt-4o 412 + gpt-5 priority 180 requests; $4.1225 + $5.135.
    assert_eq!(helpdesk["requests"], 592);
    assert_eq!(helpdesk["cost_usd"].as_f64().unwrap(), 9.2575);
    // Rollups still agree with the requests table.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (a, b): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT SUM(cost_nanos) FROM requests), (SELECT SUM(cost_nanos) FROM rollup_daily)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(a, b);
}

#[test]
fn a_source_that_disagrees_with_the_file_is_flagged() {
    let s = Scratch::new();
    let out = s
        .cmd()
        .args([
            "import",
            fixture("envelope.jsonl").to_str().unwrap(),
            "--source",
            "bedrock",
            "--at",
            "2026-09-06",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("looks like an envelope log, not bedrock: check --source"),
        "{err}"
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("no billable records (12 skipped, 1 rejected): is it the right --source?"),
        "{text}"
    );
}

#[test]
fn filters_that_match_nothing_say_so() {
    let s = Scratch::new();
    s.import_path(&fixture("envelope.jsonl"), &[]);
    let (code, err) = fails(s.cmd().args(["report", "--model", "gpt-4o"]));
    assert_eq!(code, 2);
    assert!(err.contains("no model `gpt-4o` in the store"), "{err}");
    assert!(err.contains("`gpt-4o*` would match `gpt-4o-2024-08-06`"), "{err}");
    let (code, err) = fails(s.cmd().args(["report", "--template", "suport/answer"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("did you mean `support/answer`, `support/triage`?"),
        "{err}"
    );
    let not_db = s.dir.path().join("notes.db");
    std::fs::write(
        &not_db,
        "hello, not a database, just enough bytes to look like a file header....",
    )
    .unwrap();
    let (code, err) = fails(s.cmd().env("COST_DB", &not_db).args(["report"]));
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        err,
        format!(
            "error: {} is not a cost store (not an SQLite database)\nhint: check --db, COST_DB or [store] path in cost.toml; cost left the file as it is\n",
            not_db.display()
        )
    );
}

#[test]
fn compare_reported_is_like_for_like() {
    let s = Scratch::new();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("calls.csv");
    std::fs::write(
        &csv,
        "timestamp,request_id,model,team,uncached_input_tokens,output_tokens,cost_usd\n\
         2026-09-02T10:00:00Z,r1,gpt-4o,support,1000,100,0.004\n\
         2026-09-02T11:00:00Z,r2,gpt-4o,support,1000,100,\n\
         2026-09-02T12:00:00Z,r3,mystery-model,search,1000,100,0.5\n",
    )
    .unwrap();
    s.import_path(&csv, &[]);
    let r = s.report(&["--by", "team", "--compare-reported"]);
    let support = r["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["team"] == "support")
        .unwrap();
    // Each gpt-4o row: 1,000 × $2.5/M + 100 × $10/M = $0.0035; only r1 states a cost ($0.004).
    assert_eq!(support["cost_usd"].as_f64().unwrap(), 0.007);
    assert_eq!(support["reported_cost_usd"].as_f64().unwrap(), 0.004);
    assert_eq!(support["reported_records_cost_usd"].as_f64().unwrap(), 0.0035);
    // The unpriced row's logged $0.50 is not compared with a $0 of ours.
    let search = r["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["team"] == "search")
        .unwrap();
    assert!(search["reported_cost_usd"].is_null());
    let table = stdout(
        s.cmd()
            .args(["report", "--by", "team", "--compare-reported", "--since", "2026-09"]),
    );
    assert!(table.contains("$0.0040     -$0.0005"), "{table}");
}
