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

/// Starts `cost import FILES… -q` into `dir/cost.db` and kills it (SIGKILL on Unix) once its
/// WAL holds `wal_bytes`; `false` if it finished first.
fn kill_mid_import(dir: &Path, files: &[&str], env: &[(&str, &str)], wal_bytes: u64) -> bool {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("cost"))
        .current_dir(dir)
        .env("COST_DB", dir.join("cost.db"))
        .envs(env.iter().copied())
        .arg("import")
        .args(files)
        .arg("-q")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let wal = dir.join("cost.db-wal");
    let start = std::time::Instant::now();
    let mut killed_mid_way = false;
    loop {
        let size = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
        if size > wal_bytes {
            killed_mid_way = child.try_wait().unwrap().is_none();
            break;
        }
        if child.try_wait().unwrap().is_some() || start.elapsed() > std::time::Duration::from_secs(120) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let _ = child.kill();
    let _ = child.wait();
    killed_mid_way
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

    // Killed once a good part of the file's transaction is in the WAL.
    let killed_mid_way = kill_mid_import(dir.path(), &["big.jsonl"], &[], 4 * 1024 * 1024);
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

/// A store written by the previous release (schema 5, wide text rows; see
/// tests/fixtures/stores/README.md) is upgraded to the narrow row in place on its next import,
/// and read upgraded in memory by reports before that. Either way every stored field of its 46
/// requests (the JSON-lines export) and the report print exactly what that release printed,
/// and the upgraded store still knows each of them: importing the same logs again adds nothing.
#[test]
fn a_schema_5_store_is_upgraded_to_the_narrow_row_with_every_field_kept() {
    let fixtures = repo().join("tests/fixtures/stores");
    let export_then = std::fs::read_to_string(fixtures.join("schema5.export.jsonl")).unwrap();
    let report_then = std::fs::read_to_string(fixtures.join("schema5.report.json")).unwrap();
    assert_eq!(export_then.lines().count(), 46);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cost.db");
    std::fs::copy(fixtures.join("schema5.db"), &db).unwrap();
    let db_arg = db.to_str().unwrap();
    let now = |cmd: &mut assert_cmd::Command| {
        cmd.env("COST_NOW", "2026-11-30T00:00:00Z");
    };
    let export = || {
        let mut c = cost();
        now(&mut c);
        stdout(c.args(["export", "--format", "jsonl", "--since", "2020-01-01", "--db", db_arg]))
    };
    let report = || {
        let mut c = cost();
        now(&mut c);
        stdout(c.args([
            "report",
            "--by",
            "team,model,day",
            "--since",
            "2020-01-01",
            "--format",
            "json",
            "--db",
            db_arg,
        ]))
    };

    // Read-only: upgraded in memory, the file untouched.
    let before = std::fs::read(&db).unwrap();
    assert_eq!(export(), export_then);
    assert_eq!(report(), report_then);
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "a report never writes to the store"
    );

    // The next import upgrades the file; the same logs again are all duplicates.
    let logs = repo().join("tests/fixtures/logs");
    let mut c = cost();
    now(&mut c);
    let summary: serde_json::Value = serde_json::from_str(&stdout(c.args([
        "import",
        "--format",
        "json",
        "--db",
        db_arg,
        logs.join("envelope.jsonl").to_str().unwrap(),
        logs.join("work-units.jsonl").to_str().unwrap(),
    ])))
    .unwrap();
    assert_eq!(summary["imported"], 0, "{summary}");
    assert_eq!(summary["duplicates"], 19, "{summary}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, 6);
    let kind: String = conn
        .query_row("SELECT type FROM sqlite_master WHERE name = 'requests'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(kind, "view", "requests is read through a view over request_rows");
    // Only integers and the dedupe key in a row: no text column but request_key.
    let text_columns: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_info('request_rows') WHERE type = 'TEXT'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(text_columns, ["request_key"]);
    drop(conn);
    assert_eq!(export(), export_then);
    assert_eq!(report(), report_then);
    assert_eq!(count(&db), 46);
}

/// `Store::sums` on a store built by a real import: each row's key answers by dimension (and
/// its day as a date), and each bucket's sum lands in its own place.
#[test]
fn sums_are_keyed_by_dimension_and_keep_each_bucket_apart() {
    use common::store::{Row, Usage, imported};
    use cost::store::query::{Dim, Filter};
    use cost::tokens::Buckets;
    const CONFIG: &str = r#"
[prices."bucket-model"]
input = 1.0
output = 2.0
cache_read = 0.1
cache_write_5m = 1.25
cache_write_1h = 2.0
provider = "openai"
"#;
    let row = |day, team, input, cache_read, write_5m, write_1h, output| Row {
        day,
        team,
        model: "bucket-model",
        input,
        cache_read,
        write_5m,
        write_1h,
        output,
        ..Row::default()
    };
    let mut usage = Usage::new();
    usage
        .add(row("2026-10-01", "growth", 1_000, 500, 20, 3, 70))
        .add(row("2026-10-01", "growth", 2_000, 0, 0, 0, 30))
        .add(row("2026-10-02", "", 400, 0, 0, 0, 0));
    let dir = imported(CONFIG, &usage, &[]);
    let store = cost::store::Store::open(&dir.path().join("s.db")).unwrap();

    let mut rows = store.sums(&[Dim::Team, Dim::Day], &Filter::default()).unwrap();
    rows.sort_by_key(|(k, _)| k.day());
    assert_eq!(rows.len(), 2);
    let (k, s) = &rows[0];
    assert_eq!(k.get(Dim::Team), Some("growth"));
    assert_eq!(k.day(), Some(jiff::civil::date(2026, 10, 1)));
    assert_eq!(k.get(Dim::Model), None, "not grouped by model");
    assert_eq!(
        s.tokens,
        Buckets {
            uncached_input: 3_000,
            cache_read: 500,
            cache_write_5m: 20,
            cache_write_1h: 3,
            output: 100,
            reasoning: 0,
        }
    );
    assert_eq!((s.records, s.requests, s.total_input()), (2, 2, 3_523));
    // Per million: input $1, reads $0.10, 5-minute writes $1.25, 1-hour writes $2, output $2.
    // 3,000 × $1 + 500 × $0.10 + 20 × $1.25 + 3 × $2 + 100 × $2 = $3,281 per million tokens,
    // so $0.003281 = 3,281,000 nano-dollars.
    assert_eq!(s.cost_nanos, 3_281_000);
    let (k, s) = &rows[1];
    assert_eq!(
        k.get(Dim::Team),
        Some(""),
        "no team is an empty value, not a missing one"
    );
    assert_eq!(k.day(), Some(jiff::civil::date(2026, 10, 2)));
    // 400 uncached input tokens × $1 per million = $0.0004.
    assert_eq!((s.tokens.uncached_input, s.cost_nanos), (400, 400_000));

    // By week both days are one group, and a week is not a day.
    let weeks = store.sums(&[Dim::Week], &Filter::default()).unwrap();
    assert_eq!(weeks.len(), 1);
    assert_eq!(weeks[0].0.get(Dim::Week), Some("2026-W40"));
    assert_eq!(weeks[0].0.day(), None);
    assert_eq!((weeks[0].1.requests, weeks[0].1.cost_nanos), (3, 3_681_000));
}

/// Files are read on several threads at once (one per core) but written in the order they
/// were named: each of 30 files holds its own request and the next file's, so every file but
/// the first finds exactly one duplicate — a request the file before it stored — and the
/// last file's second request is new. Written out of order, duplicates would land elsewhere.
#[test]
fn files_read_in_parallel_are_written_in_the_order_named() {
    let dir = tempfile::tempdir().unwrap();
    let line = |id: usize| {
        format!(
            r#"{{"timestamp":"2026-09-{:02}T08:00:00Z","request_id":"r{id}","provider":"openai","metadata":{{"team":"support"}},"response":{{"model":"gpt-4o-2024-08-06","usage":{{"prompt_tokens":5200,"completion_tokens":410,"prompt_tokens_details":{{"cached_tokens":4096}}}}}}}}"#,
            1 + id % 28
        )
    };
    let mut names = Vec::new();
    for i in 0..30 {
        let name = format!("f{i:02}.jsonl");
        std::fs::write(dir.path().join(&name), format!("{}\n{}\n", line(i), line(i + 1))).unwrap();
        names.push(name);
    }
    let mut args = vec!["import".to_string(), "--format".into(), "json".into()];
    args.extend(names.iter().cloned());
    let out = json(
        cost_in(dir.path())
            .env("COST_DB", dir.path().join("cost.db"))
            .env("COST_IMPORT_READERS", "4") // several readers even on a 2-core machine
            .args(&args),
    );
    let files = out["files"].as_array().unwrap();
    assert_eq!(files.len(), 30);
    for (i, f) in files.iter().enumerate() {
        assert_eq!(f["path"], names[i].as_str());
        let want = if i == 0 { (2, 0) } else { (1, 1) };
        assert_eq!(
            (f["imported"].as_u64().unwrap(), f["duplicates"].as_u64().unwrap()),
            want,
            "{f}"
        );
    }
    // 31 distinct calls × $0.01198 (1,104 × $2.50/M + 4,096 × $1.25/M + 410 × $10/M) = $0.37138.
    assert_eq!(out["imported"], 31);
    assert_eq!(count(&dir.path().join("cost.db")), 31);
    let report = json(
        cost_in(dir.path())
            .env("COST_DB", dir.path().join("cost.db"))
            .args(["report", "--since", "2026-09", "--format", "json"]),
    );
    assert_eq!(report["totals"]["cost_usd"].as_f64().unwrap(), 0.37138);
}

/// kill -9 while two large files are read at once, each in parts on several threads: the
/// store keeps whole files only (what was committed before the file being written), and a
/// rerun completes both exactly.
#[test]
fn kill_9_during_a_parallel_import_keeps_whole_files_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cost.db");
    const N: usize = 100_000;
    big_envelope(&dir.path().join("a.jsonl"), N, "a");
    big_envelope(&dir.path().join("b.jsonl"), N, "b");
    // Three readers, and each 100,000-line file (~30 MB) in parts of 4 MiB between them.
    let killed_mid_way = kill_mid_import(
        dir.path(),
        &["a.jsonl", "b.jsonl"],
        &[("COST_IMPORT_READERS", "3"), ("COST_IMPORT_PART_BYTES", "4194304")],
        2 * 1024 * 1024,
    );
    let after_crash = count(&db);
    if !killed_mid_way {
        eprintln!("note: the import finished before it could be killed");
    }
    assert!(
        [0, N as i64, 2 * N as i64].contains(&after_crash),
        "only whole files survive a crash: {after_crash}"
    );
    let out = json(
        cost_in(dir.path())
            .env("COST_DB", &db)
            .args(["import", "a.jsonl", "b.jsonl", "--format", "json"]),
    );
    assert_eq!(out["imported"].as_i64().unwrap(), 2 * N as i64 - after_crash);
    assert_eq!(count(&db), 2 * N as i64);
    // 200,000 calls × $0.01198 = $2,396.
    let report = json(
        cost_in(dir.path())
            .env("COST_DB", &db)
            .args(["report", "--since", "2026-09", "--format", "json"]),
    );
    assert_eq!(report["totals"]["cost_usd"].as_f64().unwrap(), 2396.0);
}
