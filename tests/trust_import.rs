//! Issue 14 / DESIGN §12 "Input" and "Privacy": what real files do to `cost import`, through
//! the real binary on an on-disk store. Every test here failed on the release before it.
//!
//! Prices (data/litellm-model-prices-2026-07-24.json): gpt-4o input $2.50/M, output $10/M;
//! claude-sonnet-4-5-20250929 input $3/M, output $15/M, cache read $0.30/M, 5m write $3.75/M.
//! The envelope call used throughout is 1,000 input + 100 output on gpt-4o:
//! 1,000 × $2.50/M + 100 × $10/M = $0.0025 + $0.0010 = $0.0035.

mod common;
use common::*;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};

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
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
    fn cmd(&self) -> assert_cmd::Command {
        let mut c = cost_in(self.dir.path());
        c.env("COST_DB", self.db());
        c
    }
    /// `cost import ARGS --format json`: (exit code, summary).
    fn import(&self, args: &[&str]) -> (i32, Value) {
        let out = self
            .cmd()
            .arg("import")
            .args(args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let v = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{e}: {text}\n{}", String::from_utf8_lossy(&out.stderr)));
        (out.status.code().unwrap(), v)
    }
    fn sql<T: rusqlite::types::FromSql>(&self, q: &str) -> T {
        let c = rusqlite::Connection::open(self.db()).unwrap();
        c.query_row(q, [], |r| r.get(0)).unwrap()
    }
    fn total_cost(&self) -> f64 {
        let v = json(self.cmd().args([
            "report",
            "--since",
            "2026-09-01",
            "--until",
            "2026-09-30",
            "--format",
            "json",
        ]));
        v["totals"]["cost_usd"].as_f64().unwrap()
    }
}

/// An envelope line: 1,000 input and 100 output tokens on gpt-4o ($0.0035), with `extra`
/// members appended.
fn call(id: &str, extra: &str) -> String {
    let sep = if extra.is_empty() { "" } else { "," };
    format!(
        r#"{{"timestamp":"2026-09-01T10:00:00Z","request_id":"{id}","provider":"openai","model":"gpt-4o","usage":{{"prompt_tokens":1000,"completion_tokens":100}}{sep}{extra}}}"#
    )
}

fn lines(ls: &[String]) -> Vec<u8> {
    let mut out = ls.join("\n").into_bytes();
    out.push(b'\n');
    out
}

fn rejects(summary: &Value) -> Vec<(u64, String)> {
    summary["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["rejects"].as_array().unwrap().clone())
        .map(|r| (r["line"].as_u64().unwrap(), r["reason"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn impossible_token_counts_are_rejected_naming_the_field_and_sums_stay_positive() {
    let s = Scratch::new();
    let bad = |id: &str, n: &str| {
        format!(
            r#"{{"timestamp":"2026-09-01T10:00:00Z","request_id":"{id}","provider":"openai","model":"gpt-4o","usage":{{"prompt_tokens":{n},"completion_tokens":100}}}}"#
        )
    };
    let f = s.write(
        "calls.jsonl",
        &lines(&[
            call("ok", ""),
            bad("max", "18446744073709551615"),
            bad("exp", "1e15"),
            bad("neg", "-5"),
            bad("frac", "10.5"),
        ]),
    );
    let (code, v) = s.import(&[f.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!((v["imported"].as_u64(), v["rejected"].as_u64()), (Some(1), Some(4)));
    assert_eq!(
        rejects(&v),
        vec![
            (
                2,
                "`usage.prompt_tokens`: 18446744073709551615 is above the 10^12 tokens one record can hold".into()
            ),
            (
                3,
                "`usage.prompt_tokens`: 1000000000000000 is above the 10^12 tokens one record can hold".into()
            ),
            (4, "`usage.prompt_tokens`: -5 is negative".into()),
            (5, "`usage.prompt_tokens`: 10.5 is fractional".into()),
        ]
    );
    // Only the good call: $0.0035, never a negative total.
    assert_eq!(s.total_cost(), 0.0035);
    assert_eq!(s.sql::<i64>("SELECT MIN(uncached_input) FROM requests"), 1000);
}

#[test]
fn counts_in_csv_and_usage_exports_obey_the_same_limits() {
    let s = Scratch::new();
    let csv = "timestamp,request_id,model,uncached_input_tokens,output_tokens\n\
               2026-09-01T10:00:00Z,a,gpt-4o,1000,100\n\
               2026-09-01T10:00:00Z,b,gpt-4o,18446744073709551615,100\n\
               2026-09-01T10:00:00Z,c,gpt-4o,2000000000000,100\n";
    let f = s.write("usage.csv", csv.as_bytes());
    let (_, v) = s.import(&[f.to_str().unwrap()]);
    assert_eq!((v["imported"].as_u64(), v["rejected"].as_u64()), (Some(1), Some(2)));
    let reasons: Vec<String> = rejects(&v).into_iter().map(|r| r.1).collect();
    assert_eq!(
        reasons[0],
        "`uncached_input_tokens`: 18446744073709551615 is above the 10^12 tokens one record can hold"
    );
    assert_eq!(
        reasons[1],
        "`uncached_input_tokens`: 2000000000000 is above the 10^12 tokens one record can hold"
    );
    assert_eq!(s.total_cost(), 0.0035);
}

#[test]
fn a_byte_order_mark_is_ignored_by_sniffing_and_by_every_reader() {
    let s = Scratch::new();
    let mut with_bom = vec![0xEF, 0xBB, 0xBF];
    with_bom.extend(lines(&(1..=10).map(|i| call(&format!("r{i}"), "")).collect::<Vec<_>>()));
    let f = s.write("bom.jsonl", &with_bom);
    // --source auto: sniffed as an envelope, every line imported: 10 × $0.0035 = $0.035.
    let (code, v) = s.import(&[f.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(v["files"][0]["source"], "envelope");
    assert_eq!((v["imported"].as_u64(), v["rejected"].as_u64()), (Some(10), Some(0)));
    assert!((s.total_cost() - 0.035).abs() < 1e-12);

    // --source envelope on a second store: line 1 is not rejected.
    let s2 = Scratch::new();
    let f2 = s2.write("bom.jsonl", &with_bom);
    let (_, v) = s2.import(&[f2.to_str().unwrap(), "--source", "envelope"]);
    assert_eq!((v["imported"].as_u64(), v["rejected"].as_u64()), (Some(10), Some(0)));

    // A pretty-printed JSON export (the OpenAI usage API) with a BOM reads as without one.
    let export = std::fs::read(repo().join("tests/fixtures/logs/openai-usage-api.json")).unwrap();
    let plain = Scratch::new();
    let (_, without) = plain.import(&[repo()
        .join("tests/fixtures/logs/openai-usage-api.json")
        .to_str()
        .unwrap()]);
    let s3 = Scratch::new();
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend(export);
    let f3 = s3.write("usage.json", &bytes);
    let (code, with) = s3.import(&[f3.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(with["files"][0]["source"], "openai-usage");
    assert!(with["imported"].as_u64().unwrap() > 0);
    assert_eq!(with["imported"], without["imported"]);
    assert_eq!(with["rejected"], 0);
}

#[test]
fn one_bad_first_line_does_not_decide_the_source_and_a_rerun_with_another_source_reads_again() {
    let s = Scratch::new();
    // Line 1 is cut off; lines 2–10 are envelopes whose bodies say "chat.completion" (what
    // made the first line's guess openai-chat).
    let mut ls = vec![r#"{"timestamp": "2026-09-01T10:0"#.to_string()];
    ls.extend((2..=10).map(|i| call(&format!("r{i}"), r#""response":{"object":"chat.completion"}"#)));
    let f = s.write("calls.jsonl", &lines(&ls));
    let (_, v) = s.import(&[f.to_str().unwrap()]);
    assert_eq!(v["files"][0]["source"], "envelope");
    assert_eq!((v["imported"].as_u64(), v["rejected"].as_u64()), (Some(9), Some(1)));
    assert_eq!(rejects(&v), vec![(1, "invalid JSON: the line is cut off".to_string())]);

    // A wrong --source rejects everything; the right one re-reads the unchanged file and the
    // lines it imports lose their old rejects.
    let s2 = Scratch::new();
    let f2 = s2.write("calls.jsonl", &lines(&ls));
    let (_, v) = s2.import(&[f2.to_str().unwrap(), "--source", "openai-chat"]);
    assert_eq!(v["imported"], 0);
    assert_eq!(s2.sql::<i64>("SELECT COUNT(*) FROM rejects"), 10);
    let (_, v) = s2.import(&[f2.to_str().unwrap(), "--source", "envelope"]);
    assert_eq!(v["unchanged_files"].as_array().unwrap().len(), 0, "{v}");
    assert_eq!(v["imported"], 9);
    assert_eq!(s2.sql::<i64>("SELECT COUNT(*) FROM rejects"), 1);
    assert_eq!(s2.sql::<i64>("SELECT line FROM rejects"), 1);
    // The same source again: unchanged, not read.
    let (_, v) = s2.import(&[f2.to_str().unwrap(), "--source", "envelope"]);
    assert_eq!(v["unchanged_files"].as_array().unwrap().len(), 1);
}

#[test]
fn optional_fields_of_an_unexpected_type_are_repaired_not_rejected() {
    let s = Scratch::new();
    let f = s.write(
        "calls.jsonl",
        &lines(&[
            call("a", r#""status":200"#),
            call("b", r#""status":true,"project":7"#),
            call("c", r#""api_key_id":12345,"user":{"id":"u1"}"#),
            call("d", r#""tags":"x","metadata":[1,2]"#),
            call("e", r#""response":{"service_tier":{"a":1}}"#),
            call("f", r#""metadata":{"team":42}"#),
            // A usage count of the wrong type must reject, naming the field.
            r#"{"timestamp":"2026-09-01T10:00:00Z","request_id":"g","model":"gpt-4o","usage":{"prompt_tokens":"abc"}}"#
                .to_string(),
            r#"{"timestamp":"2026-09-01T10:00:00Z","request_id":"h","model":"gpt-4o","usage":"lots"}"#.to_string(),
            // An HTTP error status without usage is an error call: skipped, not rejected.
            r#"{"timestamp":"2026-09-01T10:00:00Z","request_id":"i","model":"gpt-4o","status":503}"#.to_string(),
        ]),
    );
    let (_, v) = s.import(&[f.to_str().unwrap()]);
    assert_eq!(
        (v["imported"].as_u64(), v["rejected"].as_u64(), v["skipped"].as_u64()),
        (Some(6), Some(2), Some(1))
    );
    // Five lines repaired; `metadata.team: 42` is a metadata value like any other (numbers
    // there are read as text without a repair).
    assert_eq!(v["repaired"], 5);
    assert_eq!(v["files"][0]["repaired"], 5);
    assert_eq!(
        rejects(&v),
        vec![
            (
                7,
                "`usage.prompt_tokens`: a string (\"abc\"), not a token count".to_string()
            ),
            (
                8,
                "wrong type for field `usage`: string \"lots\", expected an object".to_string()
            ),
        ]
    );
    // The repaired values: a number as its text.
    assert_eq!(
        s.sql::<String>("SELECT project FROM requests WHERE request_key = 'b'"),
        "7"
    );
    assert_eq!(
        s.sql::<String>("SELECT api_key_id FROM requests WHERE request_key = 'c'"),
        "12345"
    );
    assert_eq!(
        s.sql::<String>("SELECT team FROM requests WHERE request_key = 'f'"),
        "42"
    );
    // 6 × $0.0035 = $0.021.
    assert!((s.total_cost() - 0.021).abs() < 1e-12);
    // The table says so.
    let table = stdout(s.cmd().args(["import", f.to_str().unwrap(), "--reread"]));
    assert!(
        table.contains("5 lines were kept although an optional field had an unexpected type"),
        "{table}"
    );
}

#[test]
fn claude_code_and_anthropic_fields_of_another_type_keep_the_line() {
    let s = Scratch::new();
    // One Claude Code response: 3 input, 14,000 read, 5,200 5m-written, 410 output on
    // claude-sonnet-4-5: 3 × $3/M + 14,000 × $0.30/M + 5,200 × $3.75/M + 410 × $15/M
    // = $0.000009 + $0.0042 + $0.0195 + $0.00615 = $0.029859.
    let line = r#"{"cwd":"/home/dev/shop","sessionId":7,"gitBranch":5,"costUSD":"0.03","type":"assistant","requestId":"req_1","timestamp":"2026-09-03T09:00:06.204Z","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","usage":{"input_tokens":3,"cache_creation_input_tokens":5200,"cache_read_input_tokens":14000,"output_tokens":410,"service_tier":5}}}"#;
    let f = s.write("session.jsonl", format!("{line}\n").as_bytes());
    let (_, v) = s.import(&[f.to_str().unwrap(), "--source", "claude-code"]);
    assert_eq!(
        (v["imported"].as_u64(), v["rejected"].as_u64()),
        (Some(1), Some(0)),
        "{v}"
    );
    assert_eq!(v["repaired"], 1);
    assert_eq!(s.sql::<i64>("SELECT reported_cost_nanos FROM requests"), 30_000_000);
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

#[test]
fn an_unreadable_file_is_reported_and_the_others_still_import() {
    let s = Scratch::new();
    let good = s.write("good.jsonl", &lines(&[call("g1", ""), call("g2", "")]));
    let empty = s.write("empty.jsonl", b"");
    let binary = s.write("image.jsonl", &[0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xff, 0xfe, 0, 1]);
    // 2,000 calls, gzipped, cut in the middle.
    let many: Vec<String> = (0..2000).map(|i| call(&format!("z{i}"), "")).collect();
    let gz = gzip(&lines(&many));
    let cut = s.write("big.jsonl.gz", &gz[..gz.len() / 2]);
    let args: Vec<&str> = [&good, &empty, &binary, &cut]
        .iter()
        .map(|p| p.to_str().unwrap())
        .collect();
    let (code, v) = s.import(&args);
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["failed"], 3);
    let by_path = |name: &str| -> Value {
        v["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(name))
            .unwrap()
            .clone()
    };
    assert_eq!(by_path("good.jsonl")["imported"], 2);
    assert_eq!(by_path("good.jsonl")["error"], Value::Null);
    assert_eq!(by_path("empty.jsonl")["error"], "the file is empty: nothing to import");
    assert!(
        by_path("image.jsonl")["error"]
            .as_str()
            .unwrap()
            .starts_with("not a usage log this version can tell (binary data)")
    );
    // The complete lines before the damage are kept, and said so.
    let big = by_path("big.jsonl.gz");
    let kept = big["imported"].as_u64().unwrap();
    assert!(kept > 100 && kept < 2000, "{big}");
    assert_eq!(
        big["error"].as_str().unwrap(),
        format!("the file ends early (a truncated .gz or .zst?); the {kept} complete lines before it were read")
    );
    assert_eq!(s.sql::<i64>("SELECT COUNT(*) FROM requests"), 2 + kept as i64);
    // A failed file is read again next time (not "unchanged"); its lines are duplicates then.
    let (code, v) = s.import(&[cut.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(v["duplicates"].as_u64(), Some(kept));
    // The whole file completes the import.
    let whole = s.write("big.jsonl.gz", &gz);
    let (code, v) = s.import(&[whole.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(v["imported"].as_u64(), Some(2000 - kept));
}

#[test]
fn a_truncated_file_in_a_directory_is_a_failure_not_a_stranger() {
    let s = Scratch::new();
    let logs = s.path("logs");
    std::fs::create_dir(&logs).unwrap();
    std::fs::write(logs.join("a.jsonl"), lines(&[call("a1", "")])).unwrap();
    let gz = gzip(&lines(&[call("b1", ""), call("b2", "")]));
    std::fs::write(logs.join("b.jsonl.gz"), &gz[..20]).unwrap();
    let (code, v) = s.import(&[logs.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(v["imported"], 1);
    assert_eq!(v["failed"], 1);
}

/// Secrets and prompt text planted in every path the issue names.
const MARKERS: &[&str] = &[
    "sk-ant-api03-PLANTED1",
    "sk-proj-PLANTED2",
    "PLANTED-PROMPT-TEXT",
    "AKIAPLANTED3EXAMPLE",
    "PLANTED4bearer",
    "xoxb-PLANTED5",
    "sk-live-PLANTED6",
    "sk-csv-PLANTED7",
    "PLANTED-REJECT-PROMPT",
    "sk-reject-PLANTED8",
];

#[test]
fn no_secret_and_no_prompt_text_reaches_the_database_file() {
    let s = Scratch::new();
    let envelope = lines(&[
        call(
            "p1",
            r#""metadata":{"team":"support","auth":"Bearer sk-ant-api03-PLANTED1abcdefghijklmnop","prompt":"PLANTED-PROMPT-TEXT: what is my balance?"},"tags":{"authorization":"Bearer PLANTED4bearer0123456789","feature":"search","user_key":"sk-proj-PLANTED2abcdefghijklmnop"}"#,
        ),
        // A cut line: its excerpt must not keep the key or the prompt.
        r#"{"timestamp":"2026-09-01T10:00:00Z","request_id":"p2","metadata":{"prompt":"PLANTED-REJECT-PROMPT and more","key":"Bearer sk-reject-PLANTED8abcdefghijklmnop"},"usage":{"prompt_tokens":"#.to_string(),
    ]);
    let f1 = s.write("envelope.jsonl", &envelope);
    // Bedrock: an API key in requestMetadata.
    let bedrock = r#"{"schemaType":"ModelInvocationLog","schemaVersion":"1.0","timestamp":"2026-09-02T08:00:03Z","accountId":"123456789012","region":"us-east-1","requestId":"b1","operation":"Converse","modelId":"anthropic.claude-sonnet-4-5-20250929-v1:0","requestMetadata":{"team":"support","api_key":"AKIAPLANTED3EXAMPLE1234"},"input":{"inputTokenCount":100},"output":{"outputTokenCount":10}}"#;
    let f2 = s.write("bedrock.jsonl", format!("{bedrock}\n").as_bytes());
    // Responses: metadata.api_key and a Slack token in another metadata value.
    let responses = r#"{"id":"resp_1","object":"response","created_at":1788264000,"status":"completed","model":"gpt-5-2025-08-07","metadata":{"team":"support","api_key":"sk-live-PLANTED6abcdefghijkl","channel":"xoxb-PLANTED5-1234567890"},"output":[],"usage":{"input_tokens":100,"output_tokens":10}}"#;
    let f3 = s.write("responses.jsonl", format!("{responses}\n").as_bytes());
    // Generic CSV: a bearer key as the project (which the rollups copy).
    let csv = "timestamp,request_id,model,project,uncached_input_tokens,output_tokens\n\
               2026-09-01T10:00:00Z,c1,gpt-4o,Bearer sk-csv-PLANTED7abcdefghijklmnop,1000,100\n";
    let f4 = s.write("usage.csv", csv.as_bytes());
    let args: Vec<&str> = [&f1, &f2, &f3, &f4].iter().map(|p| p.to_str().unwrap()).collect();
    let (_, v) = s.import(&args);
    assert_eq!(v["imported"], 4, "{v}");
    assert_eq!(v["rejected"], 1);

    // Nothing planted in the database file or its write-ahead log.
    let mut bytes = std::fs::read(s.db()).unwrap();
    if let Ok(wal) = std::fs::read(s.path("cost.db-wal")) {
        bytes.extend(wal);
    }
    for m in MARKERS {
        assert!(
            memchr_find(&bytes, m.as_bytes()).is_none(),
            "{m} reached the database file"
        );
    }
    // What was kept instead: the harmless tags, hashes in place of secrets.
    let tags: String = s.sql("SELECT tags FROM requests WHERE request_key = 'p1'");
    let tags: Value = serde_json::from_str(&tags).unwrap();
    assert_eq!(tags["feature"], "search");
    assert!(
        tags.get("authorization").is_none() && tags.get("prompt").is_none(),
        "{tags}"
    );
    assert!(tags["auth"].as_str().unwrap().starts_with("sha256:"), "{tags}");
    let project: String = s.sql("SELECT project FROM requests WHERE request_key = 'c1'");
    assert!(project.starts_with("sha256:") && project.len() == 39, "{project}");
    let rollup: String = s.sql("SELECT project FROM rollup_daily WHERE project LIKE 'sha256:%'");
    assert_eq!(rollup, project);
    let excerpt: String = s.sql("SELECT excerpt FROM rejects");
    assert!(excerpt.contains(r#""prompt":"[dropped]""#), "{excerpt}");
}

fn memchr_find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn every_request_names_the_file_it_came_from() {
    let s = Scratch::new();
    let a = s.write("a.jsonl", &lines(&[call("a1", ""), call("a2", "")]));
    let b = s.write("b.jsonl", &lines(&[call("b1", ""), "{oops".to_string()]));
    s.import(&[a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(s.sql::<i64>("SELECT COUNT(*) FROM requests WHERE file_id IS NULL"), 0);
    let q = |name: &str| {
        format!("SELECT COUNT(*) FROM requests r JOIN files f ON f.id = r.file_id WHERE f.path LIKE '%{name}'")
    };
    assert_eq!(s.sql::<i64>(&q("a.jsonl")), 2);
    assert_eq!(s.sql::<i64>(&q("b.jsonl")), 1);
    assert_eq!(
        s.sql::<i64>("SELECT COUNT(*) FROM rejects r JOIN files f ON f.id = r.file_id WHERE f.path LIKE '%b.jsonl'"),
        1
    );
    let _ = Path::new("");
}

#[test]
fn id_less_records_keep_their_keys_on_reimport() {
    // Generic CSV rows without request_id are keyed by a hash of the record: importing the
    // same rows from a second file adds nothing.
    let s = Scratch::new();
    let csv = "timestamp,model,team,uncached_input_tokens,output_tokens\n\
               2026-09-01T10:00:00Z,gpt-4o,support,1000,100\n\
               2026-09-01T11:00:00Z,gpt-4o,search,1000,100\n";
    let a = s.write("a.csv", csv.as_bytes());
    let b = s.write("b.csv", csv.as_bytes());
    let (_, v) = s.import(&[a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!((v["imported"].as_u64(), v["duplicates"].as_u64()), (Some(2), Some(2)));
    let key: String = s.sql("SELECT request_key FROM requests WHERE team = 'support'");
    assert!(key.starts_with("h:") && key.len() == 34, "{key}");
}

#[test]
fn no_record_and_no_store_total_can_pass_a_64_bit_sum() {
    // The shipped table prices wandb/deepseek-ai/DeepSeek-R1-0528 output at $0.54 per token
    // (a per-million price entered per token). 1.6e9 output tokens cost 1.6e9 × $0.54 =
    // $864,000,000 a record; ten of them $8,640,000,000; the eleventh would take the store's
    // total past $9,223,372,036.85 (i64::MAX nano-dollars), so it and the twelfth are refused.
    // A record of 10^12 tokens would cost $540,000,000,000: refused as a price that cannot be.
    let s = Scratch::new();
    let line = |id: &str, n: u64| {
        format!(
            r#"{{"timestamp":"2026-09-01T10:00:00Z","request_id":"{id}","model":"wandb/deepseek-ai/DeepSeek-R1-0528","metadata":{{"team":"t"}},"usage":{{"prompt_tokens":0,"completion_tokens":{n}}}}}"#
        )
    };
    let mut ls: Vec<String> = (0..12).map(|i| line(&format!("o{i}"), 1_600_000_000)).collect();
    ls.push(line("big", 1_000_000_000_000));
    let f = s.write("calls.jsonl", &lines(&ls));
    let (code, v) = s.import(&[f.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!((v["imported"].as_u64(), v["rejected"].as_u64()), (Some(10), Some(3)));
    let r = rejects(&v);
    assert_eq!(
        r[0],
        (
            11,
            "not stored: the store's total of cost ($9,223,372,036.85) would pass what a 64-bit sum holds".to_string()
        )
    );
    assert!(
        r[2].1.starts_with("priced at more than $1,000,000,000 for one record"),
        "{:?}",
        r[2]
    );
    assert_eq!(s.total_cost(), 8_640_000_000.0);
}

#[test]
fn an_import_of_only_unpriced_calls_states_no_cost() {
    let s = Scratch::new();
    let f = s.write(
        "calls.jsonl",
        &lines(&[r#"{"timestamp":"2026-09-01T10:00:00Z","request_id":"u1","model":"acme-llm-9","usage":{"prompt_tokens":1000,"completion_tokens":100}}"#.to_string()]),
    );
    let (_, v) = s.import(&[f.to_str().unwrap()]);
    assert_eq!((v["imported"].as_u64(), v["unpriced"].as_u64()), (Some(1), Some(1)));
    assert_eq!(v["cost_usd"], Value::Null, "{v}");
    assert_eq!(v["files"][0]["cost_usd"], Value::Null);
    // With a priced call beside it, the cost is the priced part: $0.0035.
    let g = s.write("more.jsonl", &lines(&[call("p1", "")]));
    let (_, v) = s.import(&[g.to_str().unwrap()]);
    assert_eq!(v["cost_usd"].as_f64(), Some(0.0035));
}
