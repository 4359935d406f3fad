//! The store under stress: kill -9 mid-import, reports while importing, migrations from an
//! older schema, and every importer fed random and truncated lines.

mod common;
use common::*;
use std::io::Write;
use std::path::Path;

/// Writes `n` envelope lines with distinct request ids: each a gpt-4o call with 5,200 prompt
/// tokens (4,096 cached) and 410 output tokens.
fn big_envelope(path: &Path, n: usize, prefix: &str) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..n {
        writeln!(
            f,
            r#"{{"timestamp":"2026-09-{:02}T08:15:42Z","request_id":"{prefix}{i}","provider":"openai","metadata":{{"team":"support"}},"response":{{"model":"gpt-4o-2024-08-06","usage":{{"prompt_tokens":5200,"completion_tokens":410,"prompt_tokens_details":{{"cached_tokens":4096}}}}}}}}"#,
            1 + i % 28
        )
        .unwrap();
    }
}

fn count(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    let requests: i64 = conn
        .query_row("SELECT COUNT(*) FROM requests", [], |r| r.get(0))
        .unwrap();
    let rolled: i64 = conn
        .query_row("SELECT COALESCE(SUM(records), 0) FROM rollup_daily", [], |r| r.get(0))
        .unwrap();
    assert_eq!(requests, rolled, "rollups agree with requests");
    requests
}

#[test]
fn kill_9_mid_import_leaves_the_store_consistent_and_a_rerun_completes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cost.db");
    let small = dir.path().join("small.jsonl");
    big_envelope(&small, 1_000, "s");
    let big = dir.path().join("big.jsonl");
    const N: usize = 200_000;
    big_envelope(&big, N, "b");
    // A committed file before the crash.
    let out = cost_in(dir.path())
        .env("COST_DB", &db)
        .args(["import", "small.jsonl", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(count(&db), 1_000);

    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("cost"))
        .current_dir(dir.path())
        .env("COST_DB", &db)
        .args(["import", "big.jsonl", "-q"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the import has written a good part of its transaction to the WAL.
    let wal = dir.path().join("cost.db-wal");
    let start = std::time::Instant::now();
    let mut killed_mid_way = false;
    loop {
        let size = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
        if size > 4 * 1024 * 1024 {
            killed_mid_way = child.try_wait().unwrap().is_none();
            break;
        }
        if child.try_wait().unwrap().is_some() || start.elapsed() > std::time::Duration::from_secs(120) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let _ = child.kill(); // SIGKILL on Unix
    let _ = child.wait();
    let after_crash = count(&db);
    if killed_mid_way {
        assert_eq!(after_crash, 1_000, "the killed file left nothing behind");
    } else {
        eprintln!("note: the import finished before it could be killed");
        assert!(after_crash == 1_000 || after_crash == 1_000 + N as i64);
    }
    // The rerun completes the file.
    let out = json(
        cost_in(dir.path())
            .env("COST_DB", &db)
            .args(["import", "big.jsonl", "--format", "json"]),
    );
    assert_eq!(
        out["imported"].as_u64().unwrap() + out["duplicates"].as_u64().unwrap(),
        N as u64
    );
    assert_eq!(count(&db), 1_000 + N as i64);
    // 201,000 calls × (1,104 × $2.50/M + 4,096 × $1.25/M + 410 × $10/M) = 201,000 × $0.01198.
    let report = json(
        cost_in(dir.path())
            .env("COST_DB", &db)
            .args(["report", "--since", "2026-09", "--format", "json"]),
    );
    assert_eq!(report["totals"]["cost_usd"].as_f64().unwrap(), 2407.98);
}

#[test]
fn reports_while_importing_never_see_a_locked_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cost.db");
    let small = dir.path().join("small.jsonl");
    big_envelope(&small, 100, "s");
    let out = cost_in(dir.path())
        .env("COST_DB", &db)
        .args(["import", "small.jsonl", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let big = dir.path().join("big.jsonl");
    big_envelope(&big, 100_000, "b");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("cost"))
        .current_dir(dir.path())
        .env("COST_DB", &db)
        .args(["import", "big.jsonl", "-q"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Each call costs 1,104 × $2.50/M + 4,096 × $1.25/M + 410 × $10/M = $0.01198: a report
    // sees the small file alone (100 calls, $1.198) or both (100,100 calls, $1,199.198).
    let before = (100, 1.198);
    let after = (100_100, 1_199.198);
    let mut reports = 0;
    // What the reports saw that started and ended while the import's process ran (it holds
    // its write transaction from its first line to its commit).
    let mut during = Vec::new();
    let mut saw = std::collections::BTreeSet::new();
    while child.try_wait().unwrap().is_none() || reports < 3 {
        let writing = child.try_wait().unwrap().is_none();
        let out = cost_in(dir.path())
            .env("COST_DB", &db)
            .env("COST_NOW", "2026-09-30T00:00:00Z")
            .args(["report", "--format", "json"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "report failed: {err}");
        assert!(!err.contains("locked"), "{err}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let seen = (
            v["totals"]["requests"].as_i64().unwrap(),
            v["totals"]["cost_usd"].as_f64().unwrap(),
        );
        // Every report saw a committed state: before the big file, or after it.
        assert!(seen == before || seen == after, "{seen:?}");
        if writing && child.try_wait().unwrap().is_none() {
            during.push(seen);
        }
        saw.insert(seen.0);
        reports += 1;
    }
    assert!(child.wait().unwrap().success());
    // At least one report ran wholly while the import was running and saw the store as it
    // was before its commit (100 calls, $1.198), with exit 0. (The import process outlives its
    // commit for a while: reports then see 100,100 calls.)
    let uncommitted = during.iter().filter(|seen| **seen == before).count();
    assert!(
        uncommitted > 0,
        "no report ran while the import was running ({reports} reports; during the import: {during:?})"
    );
    eprintln!("{uncommitted} of {reports} reports ran while the import was running, before its commit");
}

#[test]
fn a_v1_store_is_migrated_and_backfilled() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    {
        let store = cost::store::Store::create_at_version(&db, 1).unwrap();
        assert_eq!(store.version().unwrap(), 1);
        store
            .connection()
            .execute_batch(
                "INSERT INTO requests (key_hash, request_key, ts_ms, day, source, provider, model, tier, uncached_input, cache_read,
                   cache_write_5m, cache_write_1h, output, reasoning, requests, team, cost_nanos, unpriced)
                 VALUES (1, 'a', 1788220800000, '2026-09-01', 'envelope', 'openai', 'gpt-4o', 'standard', 1000, 0, 0, 0, 100, 0, 1, 'support', 3500000, 0),
                        (2, 'b', 1788307200000, '2026-09-02', 'envelope', 'openai', 'gpt-4o', 'standard', 2000, 1024, 0, 0, 200, 0, 1, 'support', 8280000, 0),
                        (3, 'c', 1788307200000, '2026-09-02', 'envelope', 'acme', 'acme-x', 'standard', 10, 0, 0, 0, 1, 0, 1, NULL, 0, 1);",
            )
            .unwrap();
    }
    let report = json(cost_in(dir.path()).env("COST_DB", &db).args([
        "report",
        "--by",
        "team",
        "--since",
        "2026-09",
        "--until",
        "2026-09-30",
        "--format",
        "json",
    ]));
    // $0.0035 + $0.00828 = $0.01178 for support; the unpriced request is counted, not priced.
    assert_eq!(report["totals"]["requests"], 3);
    assert_eq!(report["totals"]["cost_usd"].as_f64().unwrap(), 0.01178);
    assert_eq!(report["totals"]["unpriced_requests"], 1);
    assert_eq!(report["rows"][0]["team"], "support");
    let store = cost::store::Store::open(&db).unwrap();
    assert_eq!(store.version().unwrap(), cost::store::schema::VERSION);
    // Migration 3 backfilled the largest call per cell: request b, 2,000 + 1,024 input tokens.
    let max: i64 = store
        .connection()
        .query_row("SELECT MAX(max_input) FROM rollup_daily", [], |r| r.get(0))
        .unwrap();
    assert_eq!(max, 3_024);
}

/// A deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[test]
fn every_importer_survives_random_and_truncated_lines() {
    let fixtures = repo().join("tests/fixtures/logs");
    let mut lines: Vec<Vec<u8>> = Vec::new();
    for entry in walkdir::WalkDir::new(&fixtures).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() && !entry.path().ends_with("README.md") {
            let text = std::fs::read(entry.path()).unwrap();
            lines.extend(
                text.split(|b| *b == b'\n')
                    .filter(|l| !l.is_empty())
                    .map(<[u8]>::to_vec),
            );
        }
    }
    let prices = cost::pricing::PriceTable::load(&Default::default()).unwrap();
    let teams = Default::default();
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for source in cost::import::SOURCES {
        for round in 0..6 {
            // Real lines of every format, some truncated, some with a byte changed, some noise.
            let mut input: Vec<u8> = Vec::new();
            let mut written = 0u64;
            if source.name() == "generic-csv" || source.name() == "litellm" {
                // Give CSV readers a header now and then.
                if round % 2 == 0 {
                    input.extend_from_slice(lines[rng.below(lines.len())].as_slice());
                    input.push(b'\n');
                }
            }
            for _ in 0..60 {
                let mut l = lines[rng.below(lines.len())].clone();
                match rng.below(4) {
                    0 => l.truncate(rng.below(l.len() + 1)),
                    1 if !l.is_empty() => {
                        let i = rng.below(l.len());
                        l[i] = (rng.next() & 0xff) as u8;
                    }
                    2 => l = (0..rng.below(120)).map(|_| (rng.next() & 0xff) as u8).collect(),
                    _ => {}
                }
                l.retain(|b| *b != b'\n');
                if l.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                input.extend_from_slice(&l);
                input.push(b'\n');
                written += 1;
            }
            let file = dir.path().join(format!("{}-{round}.log", source.name()));
            std::fs::write(&file, &input).unwrap();
            let store = cost::store::Store::in_memory().unwrap();
            let opts = cost::import::Options {
                team: None,
                template: None,
                strict: false,
                dry_run: false,
                at_ms: Some(1_788_652_800_000),
                attribution: Default::default(),
                teams: &teams,
                prices: &prices,
                now: "2026-11-01T00:00:00Z".into(),
                reread: false,
                update: false,
                user: None,
            };
            let input_desc = cost::import::Input {
                display: file.display().to_string(),
                path: Some(file.clone()),
                size: None,
                mtime_ms: None,
                named: true,
                arg: String::new(),
            };
            let s = cost::import::import_file(&store, &input_desc, *source, &opts, &cost::import::NoProgress)
                .unwrap_or_else(|e| panic!("{}: {e}", source.name()));
            let c = &s.counts;
            assert_eq!(
                c.imported + c.duplicates + c.rejected + c.skipped,
                c.lines,
                "{}: every line accounted for",
                source.name()
            );
            let line_sources = [
                "envelope",
                "openai-chat",
                "openai-responses",
                "anthropic-messages",
                "claude-code",
                "bedrock",
            ];
            if line_sources.contains(&source.name()) {
                assert_eq!(c.lines, written, "{}: every non-blank line seen", source.name());
            }
            let stored: i64 = store
                .connection()
                .query_row("SELECT COUNT(*) FROM requests", [], |r| r.get(0))
                .unwrap();
            assert_eq!(stored as u64, c.imported, "{}: imported rows are stored", source.name());
        }
    }
}
