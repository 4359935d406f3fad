//! `cost import` of OpenTelemetry GenAI spans (`--source otel`) through the real binary, into
//! on-disk SQLite stores. The fixtures are in tests/fixtures/logs/otel/ (described in
//! tests/fixtures/logs/README.md); dollar figures are worked out by hand below from the
//! shipped table, data/litellm-model-prices-2026-07-24.json (USD per million tokens, "$/M"):
//!
//! | key | input | cache read | cache write 5m | output |
//! |---|---|---|---|---|
//! | gpt-4o-2024-08-06 | 2.5 | 1.25 | – | 10 |
//! | gpt-4o-mini-2024-07-18, gpt-4o-mini | 0.15 | 0.075 | – | 0.6 |
//! | gpt-5-2025-08-07 | 1.25 | 0.125 | – | 10 |
//! | gemini-2.5-flash | 0.3 | 0.03 | – | 2.5 |
//! | claude-sonnet-4-5-20250929 | 3 | 0.3 | 3.75 | 15 |
//! | claude-haiku-4-5-20251001 | 1 | 0.1 | 1.25 | 5 |

mod common;
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures/logs/otel").join(name)
}

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
    /// `cost import PATHS… --format json` (the source sniffed unless `extra` names it).
    fn import(&self, paths: &[&Path], extra: &[&str]) -> Value {
        let mut c = self.cmd();
        c.arg("import").args(paths).args(extra).args(["--format", "json"]);
        json(&mut c)
    }
    fn report(&self, by: &str) -> Value {
        let mut c = self.cmd();
        c.args(["report", "--by", by, "--since", "2026-09-01", "--until", "2026-09-30"])
            .args(["--format", "json"]);
        json(&mut c)
    }
    /// Stored rows, one string per request (ordered by time): key, buckets, and the unit of
    /// work (session, user, status, latency), tags and team/template.
    fn rows(&self) -> Vec<String> {
        let conn = rusqlite::Connection::open(self.db()).unwrap();
        let mut q = conn
            .prepare(
                "SELECT request_key, provider, model, uncached_input, cache_read, cache_write_5m, cache_write_1h,
                        output, reasoning, session_id, user_id, status, latency_ms, tags, team, template, project,
                        cost_nanos, unpriced
                 FROM requests ORDER BY ts_ms",
            )
            .unwrap();
        q.query_map([], |r| {
            let opt = |i: usize| -> rusqlite::Result<String> {
                Ok(r.get::<_, Option<String>>(i)?.unwrap_or_else(|| "-".into()))
            };
            Ok(format!(
                "{} {} {} | {} {} {} {} {} {} | {} {} {} {} | {} {} {} {} | {}{}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, i64>(6)?,
                r.get::<_, i64>(7)?,
                r.get::<_, i64>(8)?,
                opt(9)?,
                opt(10)?,
                opt(11)?,
                r.get::<_, Option<i64>>(12)?.map_or("-".into(), |l| l.to_string()),
                opt(13)?,
                opt(14)?,
                opt(15)?,
                opt(16)?,
                r.get::<_, i64>(17)?,
                if r.get::<_, bool>(18)? { " unpriced" } else { "" },
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    }
}

/// (lines, imported, duplicates, rejected, skipped, unpriced) of an import summary.
fn counts(v: &Value) -> [u64; 6] {
    ["lines", "imported", "duplicates", "rejected", "skipped", "unpriced"].map(|k| v[k].as_u64().unwrap())
}

/// (requests, uncached, read, write 5m, write 1h, output, reasoning) of report totals.
fn tokens(report: &Value) -> [i64; 7] {
    [
        "requests",
        "uncached_input_tokens",
        "cache_read_tokens",
        "cache_write_5m_tokens",
        "cache_write_1h_tokens",
        "output_tokens",
        "reasoning_tokens",
    ]
    .map(|k| report["totals"][k].as_i64().unwrap())
}

/// Imports one fixture with the source sniffed, and checks what every fixture test checks:
/// the source, the counts, the canonical token totals and the cost in the summary and in
/// `cost report`.
fn check_file(name: &str, expect_counts: [u64; 6], expect_tokens: [i64; 7], expect_usd: f64) -> (Scratch, Value) {
    let s = Scratch::new();
    let summary = s.import(&[&fixture(name)], &[]);
    assert_eq!(summary["files"][0]["source"], "otel", "{name}: sniffed source");
    assert_eq!(
        counts(&summary),
        expect_counts,
        "{name}: lines/imported/duplicates/rejected/skipped/unpriced"
    );
    assert_eq!(
        summary["cost_usd"].as_f64().unwrap(),
        expect_usd,
        "{name}: import summary cost"
    );
    let report = s.report("team");
    assert_eq!(tokens(&report), expect_tokens, "{name}: canonical token totals");
    assert_eq!(
        report["totals"]["cost_usd"].as_f64().unwrap(),
        expect_usd,
        "{name}: report cost"
    );
    assert_eq!(
        report["totals"]["unpriced_requests"].as_u64().unwrap(),
        expect_counts[5]
    );
    (s, summary)
}

#[test]
fn openllmetry_older_attribute_names() {
    // `gen_ai.system`, `prompt_tokens`/`completion_tokens` (intValue strings), the flat
    // `cache_read_input_tokens`; OpenLLMetry folds Anthropic's cache into prompt_tokens.
    // line 1 gpt-4o: 3,300 prompt incl. 2,048 cached → 1,252 × $2.5/M + 2,048 × $1.25/M +
    //   250 × $10/M = $0.00313 + $0.00256 + $0.0025 = $0.00819
    // line 2 (a workflow span, skipped, and its call) Haiku 4.5: 14,300 prompt = 300 + 12,000
    //   read + 2,000 written → 300 × $1/M + 12,000 × $0.1/M + 2,000 × $1.25/M + 480 × $5/M =
    //   $0.0003 + $0.0012 + $0.0025 + $0.0024 = $0.0064
    // line 3 gpt-4o-mini: 1,450 × $0.15/M + 180 × $0.6/M = $0.0002175 + $0.000108 = $0.0003255
    // line 4 = line 1 re-exported: a duplicate.
    // Sum $0.0149155. Lines counts spans: 1 + 2 + 1 + 1 = 5.
    let (s, _) = check_file(
        "openllmetry.jsonl",
        [5, 3, 1, 0, 1, 0],
        [3, 3_002, 14_048, 2_000, 0, 910, 0],
        0.0149155,
    );
    assert_eq!(
        s.rows(),
        [
            "chatcmpl-A7xQ2mVb9Lr4Tn6Ks1Pd openai gpt-4o-2024-08-06 | 1252 2048 0 0 250 0 | \
             0af7651916cd43dd8448eb211c80319c cust-5512 ok 2750 | {\"environment\":\"staging\"} support support/answer support-bot | 8190000",
            "msg_01HaQ7tKz3Vb8Rn2Lw5Yc9 anthropic claude-haiku-4-5-20251001 | 300 12000 2000 0 480 0 | \
             4bf92f3577b34da6a3ce929d0e0e4736 - ok 3270 | {\"environment\":\"staging\"} support support/triage support-bot | 6400000",
            "chatcmpl-A7yR5nWc0Ms7Uo3Lt8Qe openai gpt-4o-mini-2024-07-18 | 1450 0 0 0 180 0 | \
             a3ce929d0e0e47364bf92f3577b34da6 - ok 850 | {\"environment\":\"staging\"} support support/summarize support-bot | 325500",
        ]
    );
}

#[test]
fn semantic_conventions_with_cached_input_inside() {
    // line 1, one agent run (conversation conv_91ab2c, trace 5b8e…):
    //   invoke_agent span: carries the run's summed usage, its two calls are under it in the
    //     same line → skipped (counting it too would bill the run twice)
    //   chat gpt-5: 12,000 input incl. 8,192 cached, output 2,300 incl. 1,800 reasoning →
    //     3,808 × $1.25/M + 8,192 × $0.125/M + 2,300 × $10/M = $0.00476 + $0.001024 + $0.023
    //     = $0.028784
    //   execute_tool web_search: no usage → skipped
    //   chat gpt-5: 5,200 incl. 4,096 cached, 700 output (256 reasoning) → 1,104 × $1.25/M +
    //     4,096 × $0.125/M + 700 × $10/M = $0.00138 + $0.000512 + $0.007 = $0.008892
    // line 2 gpt-4o-mini, status error (stream cut after 120 tokens), billed: 3,000 ×
    //   $0.15/M + 120 × $0.6/M = $0.00045 + $0.000072 = $0.000522
    // line 3 a 429 without usage → skipped
    // line 4 gcp.gemini gemini-2.5-flash: 48,000 incl. 32,000 cached, 2,000 output (1,100
    //   reasoning) → 16,000 × $0.3/M + 32,000 × $0.03/M + 2,000 × $2.5/M = $0.0048 +
    //   $0.00096 + $0.005 = $0.01076
    // line 5 azure.ai.openai gpt-4o-2024-08-06: 2,400 × $2.5/M + 300 × $10/M = $0.009
    // line 6 northwind-chat-13b: no price → unpriced, its tokens counted.
    // Sum $0.057958; spans 4 + 1 + 1 + 1 + 1 + 1 = 9.
    let (s, summary) = check_file(
        "semconv.jsonl",
        [9, 6, 0, 0, 3, 1],
        [6, 28_512, 44_288, 0, 0, 5_570, 3_156],
        0.057958,
    );
    assert_eq!(
        summary["files"][0]["warnings"],
        serde_json::json!([
            "a span whose token counts are also on spans under it (an agent or framework span) was skipped, not counted twice"
        ])
    );
    assert_eq!(
        s.rows(),
        [
            "chatcmpl-CBh7x2kQ9vXn4LmT8pR3 openai gpt-5-2025-08-07 | 3808 8192 0 0 2300 1800 | \
             conv_91ab2c u-1842 ok 21495 | {\"agent\":\"researcher\",\"environment\":\"prod\"} growth growth/research research-agent | 28784000",
            "chatcmpl-CBh8a4mR1wYo6NpV0sT5 openai gpt-5-2025-08-07 | 1104 4096 0 0 700 256 | \
             conv_91ab2c u-1842 ok 10900 | {\"agent\":\"researcher\",\"environment\":\"prod\"} growth growth/research research-agent | 8892000",
            "chatcmpl-CBk2q7Lm3Nz9Xb4Rv6Tw openai gpt-4o-mini-2024-07-18 | 3000 0 0 0 120 0 | \
             conv_a07d - error 30000 | {\"environment\":\"prod\"} growth growth/email-draft research-agent | 522000",
            // No response id: the key is the trace and span ids; no conversation: the trace.
            "otel:2c4d6e8f0a1b3c5d7e9f1a3b5c7d9e1f:5a6b7c8d9e0f1a2b gemini gemini-2.5-flash | 16000 32000 0 0 2000 1100 | \
             conv_c3f0 - ok 7400 | {\"environment\":\"prod\"} search search/summarize research-agent | 10760000",
            "otel:6e8f0a1b3c5d7e9f1a3b5c7d9e1f2c4d:6b7c8d9e0f1a2b3c azure gpt-4o-2024-08-06 | 2400 0 0 0 300 0 | \
             6e8f0a1b3c5d7e9f1a3b5c7d9e1f2c4d - ok 3333 | {\"environment\":\"prod\"} search search/rerank research-agent | 9000000",
            "otel:7f9a1b2c3d4e5f60718293a4b5c6d7e8:7c8d9e0f1a2b3c4d northwind northwind-chat-13b | 2200 0 0 0 150 0 | \
             7f9a1b2c3d4e5f60718293a4b5c6d7e8 - ok 2000 | {\"environment\":\"prod\"} search search/rerank research-agent | 0 unpriced",
        ]
    );
    // The run's two calls are one session; the error is counted once, as an error.
    let conn = rusqlite::Connection::open(s.db()).unwrap();
    let (calls, cost): (i64, i64) = conn
        .query_row(
            "SELECT COUNT(*), SUM(cost_nanos) FROM requests WHERE session_id = 'conv_91ab2c'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    // $0.028784 + $0.008892 = $0.037676.
    assert_eq!((calls, cost), (2, 37_676_000));
    let errors: i64 = conn
        .query_row("SELECT COUNT(*) FROM requests WHERE status = 'error'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(errors, 1);
}

#[test]
fn anthropic_exclusive_input_is_not_reduced_again() {
    // An instrumentation passing Anthropic's own input_tokens (cache excluded):
    // line 1 Sonnet 4.5: input 850 < 18,000 read + 3,000 written → exclusive: uncached 850
    //   (read as inclusive it would be negative) → 850 × $3/M + 18,000 × $0.3/M + 3,000 ×
    //   $3.75/M + 520 × $15/M = $0.00255 + $0.0054 + $0.01125 + $0.0078 = $0.027; the span
    //   states `gen_ai.usage.cost` 0.027, kept as the reported cost
    // line 2 Haiku 4.5, no cache: 2,400 × $1/M + 700 × $5/M = $0.0024 + $0.0035 = $0.0059
    // line 3 Sonnet 4.5: input 120 < 40,000 read (flat `cache_read_input_tokens`) → 120 ×
    //   $3/M + 40,000 × $0.3/M + 900 × $15/M = $0.00036 + $0.012 + $0.0135 = $0.02586
    // Sum $0.05876.
    let (s, summary) = check_file(
        "anthropic-exclusive.jsonl",
        [3, 3, 0, 0, 0, 0],
        [3, 3_370, 58_000, 3_000, 0, 2_120, 0],
        0.05876,
    );
    assert_eq!(
        summary["files"][0]["warnings"],
        serde_json::json!([
            "input_tokens below cache reads + writes were read as excluding them (Anthropic's own count) (2×)"
        ])
    );
    let rows = s.rows();
    assert!(
        rows[0].starts_with("msg_01QmA1Kt4Wz7Pc0Vb3Nx6Gy9 anthropic claude-sonnet-4-5-20250929 | 850 18000 3000 0 520 0 | conv_51d2 - ok 7250"),
        "{rows:?}"
    );
    assert!(
        rows[2]
            .starts_with("msg_01Zp8Rt2Yu4Io6Pa8Sd0Fg2H anthropic claude-sonnet-4-5-20250929 | 120 40000 0 0 900 0 |"),
        "{rows:?}"
    );
    let report = s.report("provider");
    assert_eq!(report["totals"]["reported_cost_usd"].as_f64(), Some(0.027));
}

#[test]
fn bad_lines_are_rejected_naming_file_line_span_and_field() {
    // line 1 gpt-4o-mini: 1,000 × $0.15/M + 100 × $0.6/M = $0.00015 + $0.00006 = $0.00021.
    let s = Scratch::new();
    let file = fixture("bad-lines.jsonl");
    let out = s.cmd().arg("import").arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "rejects are recorded, not fatal");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let at = file.display();
    let notes: Vec<&str> = stdout.lines().filter(|l| l.contains("bad-lines.jsonl:")).collect();
    assert_eq!(
        notes,
        [
            format!(
                "{at}:2: span 2222222222222222 (\"chat gpt-4o-mini\"): `gen_ai.usage.input_tokens`: -5 is negative"
            ),
            format!(
                "{at}:3: span 3333333333333333 (\"chat gpt-4o-mini\"): `gen_ai.usage.output_tokens`: intValue \"abc\" is not an integer"
            ),
            format!(
                "{at}:4: span 4444444444444444 (\"chat gpt-4o-mini\"): no model (`gen_ai.response.model` or `gen_ai.request.model`)"
            ),
            format!("{at}:5: invalid JSON: the line is cut off"),
        ],
        "{stdout}"
    );
    let report = s.report("team");
    assert_eq!(tokens(&report), [1, 1_000, 0, 0, 0, 100, 0]);
    assert_eq!(report["totals"]["cost_usd"].as_f64(), Some(0.00021));

    // The rejects table keeps each line with its reason; the excerpts show the counts that
    // were refused and never the prompt the span carried (line 4's gen_ai.input.messages).
    let conn = rusqlite::Connection::open(s.db()).unwrap();
    let mut q = conn.prepare("SELECT line, excerpt FROM rejects ORDER BY line").unwrap();
    let rejects: Vec<(i64, String)> = q
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rejects.len(), 4);
    assert_eq!(
        rejects[0].1,
        // The first 200 bytes.
        r#"{"spanId":"2222222222222222","name":"chat gpt-4o-mini","attributes":["gen_ai.usage.input_tokens=-5","gen_ai.usage.output_tokens=40","gen_ai.request.model=gpt-4o-mini","gen_ai.operation.name=chat","gen"#
    );
    let stored: String = conn
        .query_row("SELECT group_concat(reason || excerpt) FROM rejects", [], |r| r.get(0))
        .unwrap();
    assert!(!stored.contains("angry customer"), "{stored}");

    // Under --strict the same file imports nothing.
    let strict = Scratch::new();
    let (code, err) = fails(strict.cmd().arg("import").arg(&file).arg("--strict"));
    assert_eq!(code, 2);
    assert!(
        err.contains("\nerror: 4 rejected lines in 1 file under --strict: nothing was imported\n"),
        "{err}"
    );
    assert!(
        !strict.db().exists(),
        "--strict with a reject must not create the store"
    );
}

#[test]
fn a_second_import_adds_nothing() {
    let s = Scratch::new();
    let files: Vec<PathBuf> = [
        "openllmetry.jsonl",
        "semconv.jsonl",
        "anthropic-exclusive.jsonl",
        "bad-lines.jsonl",
    ]
    .iter()
    .map(|f| fixture(f))
    .collect();
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let first = s.import(&paths, &[]);
    // 3 + 6 + 3 + 1 records; $0.0149155 + $0.057958 + $0.05876 + $0.00021 = $0.1318435.
    assert_eq!(counts(&first), [22, 13, 1, 4, 4, 1]);
    assert_eq!(first["cost_usd"].as_f64(), Some(0.1318435));
    let before = s.report("team");
    // Read again (unchanged files are not even read without --reread): every record is now a
    // duplicate of the stored one.
    let again = s.import(&paths, &["--reread"]);
    assert_eq!(counts(&again), [22, 0, 14, 4, 4, 0]);
    assert_eq!(again["cost_usd"].as_f64(), Some(0.0));
    assert_eq!(s.report("team"), before);
    let unchanged = s.import(&paths, &[]);
    assert_eq!(
        unchanged["unchanged_files"].as_array().map(Vec::len),
        Some(4),
        "{unchanged}"
    );
}

#[test]
fn auto_picks_otel_and_other_files_are_not_read_as_spans() {
    let s = Scratch::new();
    // A directory of OTel files beside an envelope log: each file sniffed on its own.
    let dir = s.dir.path().join("logs");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(fixture("semconv.jsonl"), dir.join("traces.json")).unwrap();
    std::fs::copy(
        repo().join("tests/fixtures/logs/envelope.jsonl"),
        dir.join("gateway.jsonl"),
    )
    .unwrap();
    let summary = s.import(&[&dir], &[]);
    let sources: Vec<(String, String)> = summary["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let name = f["path"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
            (name, f["source"].as_str().unwrap().to_string())
        })
        .collect();
    assert_eq!(
        sources,
        [
            ("gateway.jsonl".into(), "envelope".into()),
            ("traces.json".into(), "otel".into())
        ]
    );
    // Named wrongly, an envelope line is a clear reject, not a silent $0.
    let wrong = Scratch::new();
    let summary = wrong.import(
        &[&repo().join("tests/fixtures/logs/envelope.jsonl")],
        &["--source", "otel"],
    );
    assert_eq!(summary["imported"], 0);
    assert_eq!(
        summary["files"][0]["rejects"][0]["reason"],
        "no `resourceSpans`: not an OTLP traces line"
    );
    // And `--help` lists the source.
    let help = stdout(cost().args(["import", "--help"]));
    assert!(
        help.contains("  otel                OpenTelemetry GenAI spans: OTLP JSON lines (Collector file exporter)"),
        "{help}"
    );
}
