//! `cost export --format jsonl` and `--format parquet`: stores merged from exports equal the
//! store of all the logs, a re-import adds nothing, the report filters apply, and the Parquet
//! files read back (with the `parquet` crate, and with DuckDB when it is installed) sum to
//! `cost report`.

mod common;
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures/logs").join(name)
}

/// `cost` on the store `db`, run from `dir`.
fn on(dir: &Path, db: &Path) -> assert_cmd::Command {
    let mut cmd = cost_in(dir);
    cmd.env("COST_DB", db);
    cmd
}

/// Imports `paths` into `db` (the import must succeed): the JSON summary.
fn import(dir: &Path, db: &Path, paths: &[&Path]) -> Value {
    let out = on(dir, db)
        .arg("import")
        .args(paths)
        .args(["--format", "json", "-q"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "import failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn export_jsonl(dir: &Path, db: &Path, to: &Path, flags: &[&str]) {
    let out = on(dir, db)
        .args(["export", "--format", "jsonl", "--out"])
        .arg(to)
        .args(flags)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn report(dir: &Path, db: &Path, by: &str, extra: &[&str]) -> Value {
    json(
        on(dir, db)
            .args(["report", "--by", by, "--since", "2026-09-01", "--until", "2026-10-31"])
            .args(extra)
            .args(["--format", "json"]),
    )
}

/// Every stored request as its export line without the provenance of this store (file and
/// line), sorted: two stores holding the same requests give the same list.
fn requests(dir: &Path, db: &Path) -> Vec<String> {
    let text = stdout(on(dir, db).args(["export", "--format", "jsonl", "-q"]));
    let mut rows: Vec<String> = text
        .lines()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            let o = v.as_object_mut().unwrap();
            o.remove("file");
            o.remove("line");
            v.to_string()
        })
        .collect();
    rows.sort();
    rows
}

/// The lines `from..=to` (1-based) of a file, with its first line too when `header`.
fn lines(path: &Path, from: usize, to: usize, header: bool) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let all: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let offset = if header {
        out.push(all[0]);
        1
    } else {
        0
    };
    out.extend_from_slice(&all[offset + from - 1..offset + to]);
    out.join("\n") + "\n"
}

const SESSION: &str = "1d7f3a52-9c4e-4b8a-a6d1-3e5f7b9c0a24.jsonl";

/// Two overlapping halves of the fixtures, written under `dir/a` and `dir/b`, and the paths
/// of all the original logs.
fn halves(dir: &Path) -> (Vec<PathBuf>, Vec<PathBuf>, Vec<PathBuf>) {
    let write = |rel: &str, text: String| {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    };
    let copy = |rel: &str, from: &Path| write(rel, std::fs::read_to_string(from).unwrap());
    let env = fixture("envelope.jsonl");
    let csv = fixture("generic.csv");
    let bedrock = fixture("bedrock-invocations.jsonl");
    let project = "claude-code/projects/-home-dev-shop";
    let a = vec![
        write("a/envelope.jsonl", lines(&env, 1, 8, false)),
        write("a/generic.csv", lines(&csv, 1, 6, true)),
        write("a/bedrock.jsonl", lines(&bedrock, 1, 4, false)),
        copy("a/openai-usage-api.json", &fixture("openai-usage-api.json")),
        // The main session cut after the first copy of a streamed response (output 2); its
        // complete copy (output 388) is only in the other half.
        write(
            &format!("a/{project}/{SESSION}"),
            lines(&fixture(&format!("{project}/{SESSION}")), 1, 6, false),
        ),
    ];
    let b = vec![
        write("b/envelope.jsonl", lines(&env, 5, 13, false)),
        write("b/generic.csv", lines(&csv, 4, 10, true)),
        write("b/bedrock.jsonl", lines(&bedrock, 3, 6, false)),
        copy("b/anthropic-usage-report.json", &fixture("anthropic-usage-report.json")),
        copy("b/litellm-spendlogs.csv", &fixture("litellm-spendlogs.csv")),
        fixture("claude-code"),
    ];
    let all = [
        "envelope.jsonl",
        "generic.csv",
        "bedrock-invocations.jsonl",
        "openai-usage-api.json",
        "anthropic-usage-report.json",
        "litellm-spendlogs.csv",
        "claude-code",
    ]
    .map(fixture)
    .to_vec();
    (a, b, all)
}

fn refs(paths: &[PathBuf]) -> Vec<&Path> {
    paths.iter().map(PathBuf::as_path).collect()
}

#[test]
fn merged_exports_of_overlapping_halves_equal_the_store_of_all_logs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (a, b, all) = halves(d);
    let (db_a, db_b, db_all) = (d.join("a.db"), d.join("b.db"), d.join("all.db"));
    import(d, &db_a, &refs(&a));
    import(d, &db_b, &refs(&b));
    import(d, &db_all, &refs(&all));
    export_jsonl(d, &db_a, &d.join("a.jsonl"), &[]);
    export_jsonl(d, &db_b, &d.join("b.jsonl"), &[]);
    // Merged in both orders: the largest copy of the streamed Claude Code response wins either way.
    let (ab, ba) = (d.join("ab.db"), d.join("ba.db"));
    let summary = import(d, &ab, &[&d.join("a.jsonl"), &d.join("b.jsonl")]);
    assert_eq!(summary["files"][0]["source"], "cost-export");
    import(d, &ba, &[&d.join("b.jsonl"), &d.join("a.jsonl")]);

    let expected = report(d, &db_all, "team,model", &[]);
    // The store of all the logs holds what the fixtures' hand-worked prices add up to:
    // envelope $0.42645875 + generic $0.738406 + usage API $11.4024 + Anthropic report
    // $4.57375 + Claude Code $0.11436 + LiteLLM CSV $0.08015 + Bedrock $0.1290752 =
    // $17.46459995 (tests/fixtures/expected-costs.md). Had the first Claude Code copy won
    // (output 2, not 388), it would be $0.00579 less.
    assert_eq!(expected["totals"]["cost_usd"].as_f64(), Some(17.46459995));
    assert_eq!(expected["totals"]["requests"], 2730);
    assert_eq!(expected["totals"]["unpriced_requests"], 3);
    for merged in [&ab, &ba] {
        assert_eq!(report(d, merged, "team,model", &[]), expected);
        for by in ["day,tier,provider", "key,project,template", "month"] {
            assert_eq!(report(d, merged, by, &[]), report(d, &db_all, by, &[]), "--by {by}");
        }
        // Request by request: keys, times, buckets, attribution, tags, sessions, status.
        assert_eq!(requests(d, merged), requests(d, &db_all));
    }
    assert_eq!(requests(d, &db_all).len(), 44);
}

#[test]
fn reimporting_an_export_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = d.join("s.db");
    import(d, &db, &[&fixture("envelope.jsonl"), &fixture("claude-code")]);
    export_jsonl(d, &db, &d.join("s.jsonl"), &[]);
    let before = report(d, &db, "team,model", &[]);
    let summary = import(d, &db, &[&d.join("s.jsonl")]);
    // envelope: 10 records; Claude Code: 7.
    assert_eq!(summary["imported"], 0);
    assert_eq!(summary["duplicates"], 17);
    assert_eq!(summary["files"][0]["source"], "cost-export");
    assert_eq!(report(d, &db, "team,model", &[]), before);
    // Read as another machine's export (a copy under another name): still nothing new.
    std::fs::copy(d.join("s.jsonl"), d.join("copy.jsonl")).unwrap();
    assert_eq!(import(d, &db, &[&d.join("copy.jsonl")])["imported"], 0);
}

#[test]
fn a_store_merged_from_claude_code_exports_is_still_api_equivalent() {
    // Claude Code usage is often a subscription's: the report says its cost is what the API
    // would charge. A store built from the export of such a store says the same.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (db, merged) = (d.join("s.db"), d.join("merged.db"));
    import(d, &db, &[&fixture("claude-code")]);
    export_jsonl(d, &db, &d.join("s.jsonl"), &[]);
    import(d, &merged, &[&d.join("s.jsonl")]);
    let expected = report(d, &db, "team,model", &[]);
    assert_eq!(expected["api_equivalent_only"], true);
    // The fixtures' hand-worked Claude Code total (tests/fixtures/expected-costs.md).
    assert_eq!(expected["totals"]["cost_usd"].as_f64(), Some(0.11436));
    assert_eq!(report(d, &merged, "team,model", &[]), expected);
}

const WORK: &str = r#"{"timestamp":"2026-10-02T09:00:00.125Z","request_id":"run7-1","provider":"openai","model":"gpt-4o-2024-08-06","session_id":"run-7","status":"ok","latency_ms":812,"metadata":{"team":"support","template":"support/answer","template_version":"v8","user_id":"tenant-42"},"tags":{"feature":"chat"},"usage":{"prompt_tokens":2000,"completion_tokens":300,"prompt_tokens_details":{"cached_tokens":1000}}}
{"timestamp":"2026-10-02T09:00:05.500Z","request_id":"run7-2","provider":"openai","model":"gpt-4o-2024-08-06","session_id":"run-7","status":"error","latency_ms":30000,"metadata":{"team":"support","template":"support/answer","template_version":"v8","user_id":"tenant-42"},"usage":{"prompt_tokens":2600,"completion_tokens":0}}
"#;

const STATED: &str = "timestamp,request_id,model,team,uncached_input_tokens,output_tokens,cost_usd
2026-10-03T12:00:00Z,g-1,gpt-4o-2024-08-06,growth,1000,100,0.0036
";

#[test]
fn an_export_round_trips_every_field() {
    let dir = project(&[("work.jsonl", WORK), ("stated.csv", STATED)]);
    let d = dir.path();
    let (db, copy) = (d.join("s.db"), d.join("copy.db"));
    import(d, &db, &[Path::new("work.jsonl"), Path::new("stated.csv")]);
    export_jsonl(d, &db, &d.join("s.jsonl"), &[]);
    let text = std::fs::read_to_string(d.join("s.jsonl")).unwrap();
    let first: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(
        first,
        serde_json::json!({
            "schema": "cost.export/v1", "key": "run7-1", "timestamp": "2026-10-02T09:00:00.125Z",
            "provider": "openai", "model": "gpt-4o-2024-08-06", "model_priced": "gpt-4o-2024-08-06",
            "tier": "standard", "requests": 1,
            "tokens": {"uncached_input": 1000, "cache_read": 1000, "cache_write_5m": 0, "cache_write_1h": 0, "output": 300, "reasoning": 0},
            "team": "support", "template": "support/answer", "template_version": "v8", "user": "tenant-42",
            "session_id": "run-7", "status": "ok", "latency_ms": 812, "tags": {"feature": "chat"},
            // 1,000 × $2.50/M + 1,000 cached × $1.25/M + 300 × $10/M = $0.00675
            "cost_usd": 0.00675, "unpriced": false, "source": "envelope", "file": "work.jsonl", "line": 1
        })
    );
    import(d, &copy, &[&d.join("s.jsonl")]);
    assert_eq!(requests(d, &copy), requests(d, &db));
    let compared = report(d, &copy, "team,template", &["--compare-reported"]);
    assert_eq!(compared, report(d, &db, "team,template", &["--compare-reported"]));
    // support: $0.00675 + 2,600 × $2.50/M = $0.01325; growth: 1,000 × $2.50/M + 100 × $10/M =
    // $0.0035, against the $0.0036 its log stated.
    assert_eq!(compared["totals"]["cost_usd"].as_f64(), Some(0.01675));
    let growth = &compared["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["team"] == "growth")
        .unwrap();
    assert_eq!(growth["reported_cost_usd"].as_f64(), Some(0.0036));
    assert_eq!(growth["reported_records_cost_usd"].as_f64(), Some(0.0035));
}

#[test]
fn the_report_filters_apply_to_the_export() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = d.join("s.db");
    import(d, &db, &[&fixture("envelope.jsonl"), &fixture("generic.csv")]);
    let out = stdout(on(d, &db).args([
        "export",
        "--format",
        "jsonl",
        "--team",
        "support",
        "--since",
        "2026-09-02",
        "--until",
        "2026-09-09",
    ]));
    let rows: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    // support on 2026-09-02 … 09-09: envelope gw_8e2d5b6a0f71 (09-02), gw_0e5d7c3a1f84 (09-07)
    // and gw_2d6f9b4e8a03 (09-09); generic gen-0006 (09-07, unpriced) and gen-0008 (09-09).
    // Not gen-0001 and gw_4c1f9e07a2b3 (09-01), nor gen-0007 (rejected: "1,234").
    let mut keys: Vec<&str> = rows.iter().map(|r| r["key"].as_str().unwrap()).collect();
    keys.sort();
    let report = json(on(d, &db).args([
        "report",
        "--by",
        "team",
        "--team",
        "support",
        "--since",
        "2026-09-02",
        "--until",
        "2026-09-09",
        "--format",
        "json",
    ]));
    assert_eq!(rows.len() as u64, report["totals"]["requests"].as_u64().unwrap());
    assert_eq!(
        keys,
        [
            "gen-0006",
            "gen-0008",
            "gw_0e5d7c3a1f84",
            "gw_2d6f9b4e8a03",
            "gw_8e2d5b6a0f71"
        ]
    );
    assert!(rows.iter().all(|r| r["team"] == "support"));
    // A model filter, with a glob, the same way.
    let out = stdout(on(d, &db).args(["export", "--format", "jsonl", "--model", "claude-*"]));
    assert!(out.lines().count() > 0);
    for l in out.lines() {
        let v: Value = serde_json::from_str(l).unwrap();
        assert!(v["model"].as_str().unwrap().starts_with("claude-"), "{l}");
    }
}

#[test]
fn a_bad_export_line_is_rejected_by_line_and_field_and_the_rest_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = d.join("s.db");
    import(d, &db, &[&fixture("envelope.jsonl")]);
    export_jsonl(d, &db, &d.join("s.jsonl"), &["--team", "search"]);
    let text = std::fs::read_to_string(d.join("s.jsonl")).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 4);
    lines[1] = lines[1].replace(r#""output":"#, r#""output":-"#);
    std::fs::write(d.join("bad.jsonl"), lines.join("\n") + "\n").unwrap();
    let other = d.join("other.db");
    let out = on(d, &other).args(["import", "bad.jsonl"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("bad.jsonl:2: `tokens.output`: -"), "{table}");
    assert!(table.contains("is negative"), "{table}");
    let r = report(d, &other, "team", &[]);
    assert_eq!(r["totals"]["requests"], 3);
}

#[test]
fn export_formats_are_checked() {
    let (code, err) = fails(cost().args(["report", "--format", "jsonl"]));
    assert_eq!(code, 2);
    assert!(err.contains("--format jsonl is for `cost export`"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    import(dir.path(), &db, &[&fixture("envelope.jsonl")]);
    let (code, err) = fails(on(dir.path(), &db).args(["export", "--format", "json"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("cost export writes --format focus, jsonl or parquet"),
        "{err}"
    );
    let (code, err) = fails(on(dir.path(), &db).args(["export", "--format", "parquet"]));
    assert_eq!(code, 2);
    assert!(err.contains("name it with --out DIR"), "{err}");
    let (code, err) = fails(on(dir.path(), &db).args(["export", "--format", "jsonl", "--team", "suport"]));
    assert_eq!(code, 2);
    assert!(err.contains("unknown team `suport`"), "{err}");
}

#[cfg(feature = "parquet")]
mod parquet_files {
    use super::*;
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;

    /// Sums of a Parquet file: rows, requests, the six buckets, BilledCost in nano-dollars, and
    /// the unpriced rows (whose cost must be NULL).
    fn sums(path: &Path) -> [i64; 10] {
        let reader = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
        let mut s = [0i64; 10];
        for row in reader.get_row_iter(None).unwrap() {
            let row = row.unwrap();
            s[0] += 1;
            let mut unpriced = false;
            let mut cost: Option<i64> = None;
            for (name, field) in row.get_column_iter() {
                let i = match name.as_str() {
                    "x_requests" => 1,
                    "x_uncached_input_tokens" => 2,
                    "x_cache_read_tokens" => 3,
                    "x_cache_write_5m_tokens" => 4,
                    "x_cache_write_1h_tokens" => 5,
                    "x_output_tokens" => 6,
                    "x_reasoning_tokens" => 7,
                    "x_unpriced" => {
                        unpriced = matches!(field, Field::Bool(true));
                        continue;
                    }
                    "BilledCost" => {
                        cost = match field {
                            Field::Decimal(d) => Some(i64::from_be_bytes(d.data().try_into().unwrap())),
                            Field::Null => None,
                            other => panic!("BilledCost is {other:?}"),
                        };
                        continue;
                    }
                    _ => continue,
                };
                let Field::Long(v) = field else {
                    panic!("{name} is {field:?}")
                };
                s[i] += v;
            }
            assert_eq!(
                cost.is_none(),
                unpriced,
                "an unpriced row has no cost, a priced one has one"
            );
            s[8] += cost.unwrap_or(0);
            s[9] += unpriced as i64;
        }
        s
    }

    fn month_files(dir: &Path) -> Vec<String> {
        let mut found: Vec<String> = walk(dir)
            .into_iter()
            .map(|p| p.strip_prefix(dir).unwrap().display().to_string())
            .collect();
        found.sort();
        found
    }

    fn walk(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
        out
    }

    fn export_parquet(dir: &Path, db: &Path, out: &Path, flags: &[&str]) -> String {
        let o = on(dir, db)
            .args(["export", "--format", "parquet", "--out"])
            .arg(out)
            .args(flags)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stderr).unwrap()
    }

    #[test]
    fn parquet_reads_back_with_the_report_sums() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let (_, _, all) = halves(d);
        let db = d.join("s.db");
        import(d, &db, &refs(&all));
        let note = export_parquet(d, &db, &d.join("export"), &[]);
        assert!(note.contains("44 requests exported to"), "{note}");
        assert_eq!(month_files(&d.join("export")), ["month=2026-09/part-0.parquet"]);
        let s = sums(&d.join("export/month=2026-09/part-0.parquet"));
        let r = report(d, &db, "team", &[]);
        let t = &r["totals"];
        let n = |k: &str| t[k].as_i64().unwrap();
        assert_eq!(
            s,
            [
                44,
                n("requests"),
                n("uncached_input_tokens"),
                n("cache_read_tokens"),
                n("cache_write_5m_tokens"),
                n("cache_write_1h_tokens"),
                n("output_tokens"),
                n("reasoning_tokens"),
                // $17.46459995, the priced fixtures' hand-worked total, to the nano-dollar.
                17_464_599_950,
                3
            ]
        );
        // The logical types engines read: exact decimals, UTC millisecond times, UTF-8 text.
        let reader =
            SerializedFileReader::new(std::fs::File::open(d.join("export/month=2026-09/part-0.parquet")).unwrap())
                .unwrap();
        let schema = reader.metadata().file_metadata().schema_descr();
        let logical = |name: &str| {
            let c = schema.columns().iter().find(|c| c.name() == name).unwrap();
            format!("{:?}", c.logical_type_ref())
        };
        assert_eq!(
            logical("EffectiveCost"),
            "Some(Decimal(DecimalType { scale: 9, precision: 18 }))"
        );
        assert!(logical("ChargePeriodStart").contains("is_adjusted_to_u_t_c: true"));
        assert!(logical("ChargePeriodStart").contains("MILLIS"));
        assert_eq!(logical("x_session_id"), "Some(String)");
    }

    #[test]
    fn a_reexport_replaces_only_the_months_it_writes() {
        use common::store::{Row, Usage};
        let mut usage = Usage::new();
        usage
            .add(Row {
                day: "2026-09-10",
                team: "support",
                model: "gpt-4o-2024-08-06",
                input: 1000,
                ..Row::default()
            })
            .add(Row {
                day: "2026-10-02",
                team: "support",
                model: "gpt-4o-2024-08-06",
                input: 2000,
                output: 100,
                ..Row::default()
            })
            .add(Row {
                day: "2026-10-03",
                team: "growth",
                model: "gpt-4o-2024-08-06",
                output: 1000,
                ..Row::default()
            });
        let dir = common::store::imported("", &usage, &[]);
        let d = dir.path();
        let db = d.join("s.db");
        let out = d.join("export");
        export_parquet(d, &db, &out, &[]);
        assert_eq!(
            month_files(&out),
            ["month=2026-09/part-0.parquet", "month=2026-10/part-0.parquet"]
        );
        let september = std::fs::read(out.join("month=2026-09/part-0.parquet")).unwrap();
        // October: 2,000 × $2.50/M + 100 × $10/M = $0.006 (support) + 1,000 × $10/M = $0.01 (growth).
        assert_eq!(sums(&out.join("month=2026-10/part-0.parquet"))[8], 16_000_000);
        // October again, support only: its file is replaced whole; September is not touched,
        // and nothing is left beside the partitions.
        let note = export_parquet(d, &db, &out, &["--since", "2026-10", "--team", "support"]);
        assert!(note.contains("1 requests exported"), "{note}");
        assert_eq!(
            month_files(&out),
            ["month=2026-09/part-0.parquet", "month=2026-10/part-0.parquet"]
        );
        assert_eq!(
            std::fs::read(out.join("month=2026-09/part-0.parquet")).unwrap(),
            september
        );
        let october = sums(&out.join("month=2026-10/part-0.parquet"));
        assert_eq!((october[0], october[8]), (1, 6_000_000));
        // September: 1,000 × $2.50/M = $0.0025.
        assert_eq!(sums(&out.join("month=2026-09/part-0.parquet"))[8], 2_500_000);
    }

    #[test]
    fn duckdb_reads_the_export_with_the_report_sums() {
        let probe = std::process::Command::new("python3")
            .args(["-c", "import duckdb"])
            .output();
        if !probe.as_ref().is_ok_and(|o| o.status.success()) {
            eprintln!("skipped: DuckDB's Python package is not installed (`pip install duckdb`)");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let (_, _, all) = halves(d);
        let db = d.join("s.db");
        import(d, &db, &refs(&all));
        export_parquet(d, &db, &d.join("export"), &[]);
        // The query the guide shows, run as it is from the directory holding `export/`.
        let sql = std::fs::read_to_string(repo().join("docs/examples/report-by-team.sql")).unwrap();
        let script = "import duckdb, json, sys\nrows = duckdb.sql(sys.stdin.read()).fetchall()\nprint(json.dumps([[str(v) for v in r] for r in rows]))";
        let out = std::process::Command::new("python3")
            .args(["-c", script])
            .current_dir(d)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child.stdin.take().unwrap().write_all(sql.as_bytes())?;
                child.wait_with_output()
            })
            .unwrap();
        assert!(out.status.success());
        let duck: Vec<Vec<String>> = serde_json::from_slice(&out.stdout).unwrap();
        // `cost report --by team` in CSV: exact decimal money.
        let csv = stdout(on(d, &db).args([
            "report",
            "--by",
            "team",
            "--since",
            "2026-09-01",
            "--until",
            "2026-09-30",
            "--format",
            "csv",
        ]));
        let nanos = |s: &str| -> i128 {
            let (int, frac) = s.split_once('.').unwrap_or((s, ""));
            int.parse::<i128>().unwrap() * 1_000_000_000 + format!("{frac:0<9}")[..9].parse::<i128>().unwrap()
        };
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let mut cost_rows = Vec::new();
        for r in reader.records() {
            let r = r.unwrap();
            let team = if r[0].is_empty() {
                "(unassigned)".to_string()
            } else {
                r[0].to_string()
            };
            let write = r[4].parse::<i64>().unwrap() + r[5].parse::<i64>().unwrap();
            cost_rows.push(vec![
                team,
                r[1].to_string(),
                r[2].to_string(),
                r[3].to_string(),
                write.to_string(),
                r[6].to_string(),
                nanos(&r[8]).to_string(),
                r[11].to_string(),
            ]);
        }
        let duck_rows: Vec<Vec<String>> = duck
            .into_iter()
            .map(|mut r| {
                r[6] = nanos(&r[6]).to_string();
                r
            })
            .collect();
        assert_eq!(duck_rows.len(), 4);
        assert_eq!(duck_rows, cost_rows);
    }
}
