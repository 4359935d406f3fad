//! Issue 14, points 12, 15, 16 and 17: opening the store. Concurrent creation, a period with
//! no usage, a missing / directory / foreign / damaged / older store, and `COST_NOW` as a date.

mod common;
use common::*;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// One envelope line: a gpt-4o call of 1,000 prompt and 100 completion tokens on `day`.
/// gpt-4o lists $2.50 input and $10.00 output per million tokens
/// (data/litellm-model-prices-2026-07-24.json): 1,000 × 2.5e-6 + 100 × 1e-5 = $0.0035 a call.
fn call(id: &str, day: &str) -> String {
    format!(
        r#"{{"timestamp":"{day}T08:15:42Z","request_id":"{id}","provider":"openai","metadata":{{"team":"support"}},"response":{{"model":"gpt-4o","usage":{{"prompt_tokens":1000,"completion_tokens":100}}}}}}"#
    )
}

fn sha256(path: &Path) -> String {
    Sha256::digest(std::fs::read(path).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `PATH-wal`, `PATH-shm`, `PATH-journal`: none may be left next to a refused file.
fn sidecars(path: &Path) -> Vec<PathBuf> {
    ["-wal", "-shm", "-journal"]
        .iter()
        .map(|s| {
            let mut p = path.as_os_str().to_os_string();
            p.push(s);
            PathBuf::from(p)
        })
        .filter(|p| p.exists())
        .collect()
}

/// A store holding two calls, on 2026-09-03 and 2026-09-20 (3,500,000 nano-USD each).
fn september() -> (tempfile::TempDir, PathBuf) {
    let dir = project(&[(
        "sept.jsonl",
        &format!("{}\n{}\n", call("s1", "2026-09-03"), call("s2", "2026-09-20")),
    )]);
    let db = dir.path().join("cost.db");
    stdout(
        cost_in(dir.path())
            .env("COST_DB", &db)
            .args(["import", "sept.jsonl", "-q"]),
    );
    (dir, db)
}

/// The commands that only read the store, with the arguments each needs.
const READERS: &[&[&str]] = &[
    &["report"],
    &["budget"],
    &["cache"],
    &["anomalies"],
    &["whatif", "--model", "gpt-4o-mini"],
    &["showback"],
    &["export", "--format", "focus"],
];

// Point 12 ---------------------------------------------------------------------------------

#[test]
fn sixteen_imports_creating_one_store_at_once_all_succeed() {
    // Before: 22 of 80 such processes exited 3 ("table requests already exists"). Three
    // rounds of 16 on fresh paths, so a lucky ordering cannot hide the race.
    const N: usize = 16;
    for round in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("new").join("cost.db");
        for i in 0..N {
            let day = format!("2026-09-{:02}", i + 1);
            std::fs::write(
                dir.path().join(format!("e{i}.jsonl")),
                call(&format!("r{round}-{i}"), &day) + "\n",
            )
            .unwrap();
        }
        let children: Vec<_> = (0..N)
            .map(|i| {
                std::process::Command::new(assert_cmd::cargo::cargo_bin("cost"))
                    .current_dir(dir.path())
                    .env("COST_DB", &db)
                    .env("COST_NOW", "2026-11-01T12:00:00Z")
                    .env("NO_COLOR", "1")
                    .args(["import", &format!("e{i}.jsonl"), "-q"])
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let mut failed = Vec::new();
        for c in children {
            let out = c.wait_with_output().unwrap();
            if !out.status.success() {
                failed.push(format!(
                    "exit {:?}: {}",
                    out.status.code(),
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
        assert!(
            failed.is_empty(),
            "round {round}: {} of {N} failed: {failed:#?}",
            failed.len()
        );
        let conn = rusqlite::Connection::open(&db).unwrap();
        let q = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(q("SELECT COUNT(*) FROM requests"), N as i64);
        assert_eq!(q("SELECT SUM(records) FROM rollup_daily"), N as i64);
        assert_eq!(q("SELECT COUNT(*) FROM files"), N as i64);
        // 16 × $0.0035 = $0.056.
        assert_eq!(q("SELECT SUM(cost_nanos) FROM rollup_daily"), 56_000_000);
        assert_eq!(q("PRAGMA user_version"), cost::store::schema::VERSION);
        // "cost" in ASCII marks the file as a cost store.
        assert_eq!(q("PRAGMA application_id"), 0x636f_7374);
        let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
    }
}

// Point 15 ---------------------------------------------------------------------------------

#[test]
fn an_empty_period_says_what_the_store_holds_and_the_flag_that_shows_it() {
    let (dir, db) = september();
    let run = |args: &[&str], format: &str| {
        cost_in(dir.path())
            .env("COST_DB", &db)
            .env("COST_NOW", "2026-12-03T12:00:00Z")
            .args(args)
            .args(["--format", format])
            .output()
            .unwrap()
    };
    let range = "hint: no usage between 2026-12-01 and 2026-12-03; the store holds 2 requests from 2026-09-03 to 2026-09-20: try `--since 2026-09-03 --until 2026-09-20`\n";
    let month = "hint: no usage between 2026-12-01 and 2026-12-03; the store holds 2 requests from 2026-09-03 to 2026-09-20: try `--month 2026-09`\n";
    let window = ["--since", "2026-12-01", "--until", "2026-12-03"];
    let cases: Vec<(Vec<&str>, &str)> = vec![
        ([&["report"][..], &window].concat(), range),
        ([&["cache"][..], &window].concat(), range),
        ([&["anomalies"][..], &window].concat(), range),
        ([&["whatif", "--model", "gpt-4o-mini"][..], &window].concat(), range),
        (vec!["budget", "--month", "2026-12"], month),
        (vec!["showback", "--month", "2026-12"], month),
    ];
    for (args, hint) in &cases {
        for format in ["table", "json", "csv"] {
            let out = run(args, format);
            assert_eq!(out.status.code(), Some(0), "{args:?} {format}");
            let err = String::from_utf8(out.stderr).unwrap();
            // showback also says cost.toml has no commitments; the period line is the last.
            assert!(err.ends_with(hint), "{args:?} {format}: {err}");
            let text = String::from_utf8(out.stdout).unwrap();
            assert!(!text.contains("the store holds"), "stdout is data: {text}");
            if format == "json" {
                let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                assert!(v["schema"].as_str().unwrap().starts_with("cost."), "{v}");
            }
            if format == "csv" {
                for line in text.lines() {
                    assert!(!line.starts_with("hint"), "{text}");
                }
            }
        }
    }
    // -q: data only.
    let out = cost_in(dir.path())
        .env("COST_DB", &db)
        .env("COST_NOW", "2026-12-03T12:00:00Z")
        .args(["report", "-q"])
        .output()
        .unwrap();
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    // A period that holds usage gets no hint.
    let out = cost_in(dir.path())
        .env("COST_DB", &db)
        .args(["report", "--since", "2026-09"])
        .output()
        .unwrap();
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    // The dashboard's empty month says the same, with its own keys and flag.
    let screen = stdout(
        cost_in(dir.path())
            .env("COST_DB", &db)
            .env("COST_NOW", "2026-12-03T12:00:00Z")
            .args(["dashboard", "--snapshot", "overview", "--size", "120x12"]),
    );
    assert!(screen.contains("No usage in 2026-12."), "{screen}");
    assert!(
        screen.contains(
            "The store holds 2 requests from 2026-09-03 to 2026-09-20: press [ 3 times or open it with --month 2026-09."
        ),
        "{screen}"
    );
}

#[test]
fn an_empty_store_says_to_import() {
    // A store that exists and holds nothing.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cost.db");
    drop(cost::store::Store::open(&db).unwrap());
    let out = cost_in(dir.path())
        .env("COST_DB", &db)
        .args(["report", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        format!(
            "hint: the store {} is empty: import usage logs first, e.g. `cost import logs/*.jsonl`\n",
            db.display()
        )
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["totals"]["requests"], 0);
}

// Point 16 ---------------------------------------------------------------------------------

#[test]
fn a_missing_store_is_exit_2_and_no_reader_creates_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("typo.db");
    for args in READERS {
        let (code, err) = fails(cost_in(dir.path()).env("COST_DB", &db).args(*args));
        assert_eq!(code, 2, "{args:?}");
        assert_eq!(
            err,
            format!(
                "error: no store at {}\nhint: run `cost import` first: it creates the store (e.g. `cost import logs/*.jsonl`); or check --db, COST_DB or [store] path in cost.toml\n",
                db.display()
            ),
            "{args:?}"
        );
        assert!(!db.exists() && sidecars(&db).is_empty(), "{args:?} created a file");
    }
    // `--db typo.db` relative to the working directory: the same.
    let (code, err) = fails(cost_in(dir.path()).args(["report", "--db", "typo.db"]));
    assert_eq!(code, 2);
    assert!(
        err.starts_with(&format!("error: no store at {}\n", db.display())),
        "{err}"
    );
    // The dashboard still shows its first-run screen for a missing store.
    let screen = stdout(cost_in(dir.path()).args(["dashboard", "--db", "typo.db", "--snapshot", "overview"]));
    assert!(screen.contains("There is no store at typo.db yet."), "{screen}");
    assert!(!db.exists());
}

#[test]
fn a_directory_is_said_to_be_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("some")).unwrap();
    std::fs::write(dir.path().join("a.jsonl"), call("a", "2026-09-01") + "\n").unwrap();
    let shown = dir.path().join("some");
    let expected = format!(
        "error: {} is a directory, not a cost store\nhint: point --db at a file, e.g. --db {}\n",
        shown.display(),
        shown.join("cost.db").display()
    );
    for args in [&["report"][..], &["import", "a.jsonl"][..]] {
        let (code, err) = fails(cost_in(dir.path()).args(["--db", "some"]).args(args));
        assert_eq!(code, 2, "{args:?}");
        assert_eq!(err, expected, "{args:?}");
    }
    assert_eq!(std::fs::read_dir(&shown).unwrap().count(), 0, "nothing written into it");
}

/// Three SQLite files of other applications: a rollback-journal one, a WAL one, and one with
/// its own application id (and a table named like ours).
fn foreign_files(dir: &Path) -> Vec<PathBuf> {
    let plain = dir.join("notes.sqlite");
    let c = rusqlite::Connection::open(&plain).unwrap();
    c.execute_batch(
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('keep me');",
    )
    .unwrap();
    drop(c);
    let wal = dir.join("wal.sqlite");
    let c = rusqlite::Connection::open(&wal).unwrap();
    c.pragma_update(None, "journal_mode", "WAL").unwrap();
    c.execute_batch("CREATE TABLE events (at TEXT); INSERT INTO events VALUES ('2026-09-01');")
        .unwrap();
    drop(c);
    let app = dir.join("app.sqlite");
    let c = rusqlite::Connection::open(&app).unwrap();
    c.execute_batch("PRAGMA application_id = 42; CREATE TABLE requests (x); CREATE TABLE files (y);")
        .unwrap();
    drop(c);
    for p in [&plain, &wal, &app] {
        assert!(sidecars(p).is_empty(), "{} starts clean", p.display());
    }
    vec![plain, wal, app]
}

#[test]
fn another_applications_sqlite_file_is_refused_untouched() {
    let dir = project(&[("a.jsonl", &(call("a", "2026-09-01") + "\n"))]);
    for file in foreign_files(dir.path()) {
        let before = sha256(&file);
        let mut commands: Vec<Vec<&str>> = READERS.iter().map(|a| a.to_vec()).collect();
        commands.push(vec!["import", "a.jsonl"]);
        commands.push(vec!["dashboard", "--snapshot", "overview"]);
        for args in &commands {
            let out = cost_in(dir.path()).env("COST_DB", &file).args(args).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr).to_string();
            if args[0] == "dashboard" {
                // The dashboard shows the error on its screen.
                let screen = String::from_utf8_lossy(&out.stdout);
                assert!(screen.contains("not a cost store"), "{screen}");
            } else {
                assert_eq!(out.status.code(), Some(2), "{args:?} {}: {err}", file.display());
                let first = err.lines().next().unwrap();
                let expected = if file.ends_with("app.sqlite") {
                    format!(
                        "error: {} is another application's SQLite database (application_id 0x0000002a), not a cost store",
                        file.display()
                    )
                } else {
                    format!(
                        "error: {} is an SQLite database without cost's tables (it holds {}), not a cost store",
                        file.display(),
                        if file.ends_with("wal.sqlite") {
                            "events"
                        } else {
                            "notes"
                        }
                    )
                };
                assert_eq!(first, expected, "{args:?}");
                assert!(
                    err.contains("hint: check --db, COST_DB or [store] path in cost.toml; cost left the file as it is"),
                    "{err}"
                );
            }
            assert_eq!(sha256(&file), before, "{args:?} changed {}", file.display());
            assert_eq!(sidecars(&file), Vec::<PathBuf>::new(), "{args:?} left files behind");
        }
    }
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_untouched() {
    let dir = project(&[
        ("notes.txt", "shopping list\n"),
        ("a.jsonl", &(call("a", "2026-09-01") + "\n")),
    ]);
    let file = dir.path().join("notes.txt");
    for args in [&["report"][..], &["import", "a.jsonl"][..]] {
        let (code, err) = fails(cost_in(dir.path()).env("COST_DB", &file).args(args));
        assert_eq!(code, 2);
        assert_eq!(
            err,
            format!(
                "error: {} is not a cost store (not an SQLite database)\nhint: check --db, COST_DB or [store] path in cost.toml; cost left the file as it is\n",
                file.display()
            )
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "shopping list\n");
        assert!(sidecars(&file).is_empty());
    }
}

#[test]
fn a_damaged_store_gets_a_true_hint() {
    let (dir, db) = september();
    let len = std::fs::metadata(&db).unwrap().len();
    // The page size from the header (bytes 16–17, big-endian): 16 KiB for a store made now.
    let header = std::fs::read(&db).unwrap();
    let page = u16::from_be_bytes([header[16], header[17]]) as u64;
    assert_eq!(page, 16_384);
    let pages = len / page;
    assert!(pages >= 3, "{len}");
    // Truncated (a copy cut short): said from the header, before SQLite reads it.
    let cut = dir.path().join("cut.db");
    std::fs::write(&cut, &std::fs::read(&db).unwrap()[..5000]).unwrap();
    let (code, err) = fails(cost_in(dir.path()).env("COST_DB", &cut).args(["report"]));
    assert_eq!(code, 2);
    assert_eq!(
        err,
        format!(
            "error: {} is damaged: it is truncated: 5000 bytes, but its header says {pages} pages of {page} bytes ({len} bytes)\n\
             hint: restore it from a backup, or move it aside and import the logs again (`cost import` creates a new store); `sqlite3 FILE .recover` may save what is left\n",
            cut.display()
        )
    );
    // Pages overwritten with garbage: SQLite finds it malformed; never "the disk is full".
    let bad = dir.path().join("bad.db");
    let mut bytes = std::fs::read(&db).unwrap();
    for b in &mut bytes[page as usize..] {
        *b = 0x5a;
    }
    std::fs::write(&bad, &bytes).unwrap();
    let (code, err) = fails(
        cost_in(dir.path())
            .env("COST_DB", &bad)
            .args(["report", "--since", "2026-09"]),
    );
    assert_eq!(code, 2);
    assert!(
        err.starts_with(&format!("error: {} is damaged: ", bad.display())),
        "{err}"
    );
    assert!(err.contains("hint: restore it from a backup"), "{err}");
    assert!(
        !err.contains("disk is not full") && !err.contains("cannot write"),
        "{err}"
    );
}

#[test]
fn an_older_store_is_read_upgraded_in_memory_and_left_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    {
        // A schema-1 store as cost wrote it before stores had an application id.
        let store = cost::store::Store::create_at_version(&db, 1).unwrap();
        store
            .connection()
            .execute_batch(
                "PRAGMA application_id = 0;
                 INSERT INTO requests (key_hash, request_key, ts_ms, day, source, provider, model, tier, uncached_input, cache_read,
                   cache_write_5m, cache_write_1h, output, reasoning, requests, team, cost_nanos, unpriced)
                 VALUES (1, 'a', 1788220800000, '2026-09-01', 'envelope', 'openai', 'gpt-4o', 'standard', 1000, 0, 0, 0, 100, 0, 1, 'support', 3500000, 0),
                        (2, 'b', 1788307200000, '2026-09-02', 'envelope', 'openai', 'gpt-4o', 'standard', 1000, 0, 0, 0, 100, 0, 1, 'support', 3500000, 0);",
            )
            .unwrap();
    }
    for s in sidecars(&db) {
        std::fs::remove_file(s).unwrap();
    }
    let before = sha256(&db);
    let out = cost_in(dir.path())
        .env("COST_DB", &db)
        .args(["report", "--since", "2026-09", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        format!(
            "note: {} has schema version 1 (this cost uses {}): read upgraded in memory, the file is unchanged; the next `cost import` upgrades it on disk\n",
            db.display(),
            cost::store::schema::VERSION
        )
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // 2 × $0.0035, from the rollups migration 2 built in memory.
    assert_eq!(v["totals"]["requests"], 2);
    assert_eq!(v["totals"]["cost_usd"].as_f64().unwrap(), 0.007);
    assert_eq!(sha256(&db), before, "a report never migrates the file");
    let conn = rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, 1);
    drop(conn);
    // An import upgrades it on disk and marks it as a cost store.
    std::fs::write(dir.path().join("c.jsonl"), call("c", "2026-09-03") + "\n").unwrap();
    stdout(
        cost_in(dir.path())
            .env("COST_DB", &db)
            .args(["import", "c.jsonl", "-q"]),
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let q = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(q("PRAGMA user_version"), cost::store::schema::VERSION);
    assert_eq!(q("PRAGMA application_id"), 0x636f_7374);
    assert_eq!(q("SELECT SUM(records) FROM rollup_daily"), 3);
}

#[test]
fn an_empty_file_is_no_store_for_a_report_and_import_creates_one_in_it() {
    let dir = project(&[("a.jsonl", &(call("a", "2026-09-01") + "\n"))]);
    let db = dir.path().join("empty.db");
    std::fs::write(&db, "").unwrap();
    let (code, err) = fails(cost_in(dir.path()).env("COST_DB", &db).args(["report"]));
    assert_eq!(code, 2);
    assert_eq!(
        err,
        format!(
            "error: {0} is an empty file, not a cost store yet\nhint: `cost import --db {0} LOGS…` creates the store there; reports never write to it\n",
            db.display()
        )
    );
    assert_eq!(std::fs::metadata(&db).unwrap().len(), 0);
    stdout(
        cost_in(dir.path())
            .env("COST_DB", &db)
            .args(["import", "a.jsonl", "-q"]),
    );
    let v = json(
        cost_in(dir.path())
            .env("COST_DB", &db)
            .args(["report", "--since", "2026-09", "--format", "json"]),
    );
    assert_eq!(v["totals"]["requests"], 1);
}

// Point 17 ---------------------------------------------------------------------------------

#[test]
fn cost_now_takes_a_date_as_the_start_of_that_day_utc() {
    let (dir, db) = september();
    // The default period is this month to date: with COST_NOW=2026-09-30, 2026-09-01..30.
    let v = json(
        cost_in(dir.path())
            .env("COST_DB", &db)
            .env("COST_NOW", "2026-09-30")
            .args(["report", "--format", "json"]),
    );
    assert_eq!(v["since"], "2026-09-01");
    assert_eq!(v["until"], "2026-09-30");
    assert_eq!(v["totals"]["requests"], 2);
    // 2 × $0.0035.
    assert_eq!(v["totals"]["cost_usd"].as_f64().unwrap(), 0.007);
    // RFC 3339 still works; the start of the day is the same "today".
    let v = json(
        cost_in(dir.path())
            .env("COST_DB", &db)
            .env("COST_NOW", "2026-09-30T00:00:00Z")
            .args(["report", "--format", "json"]),
    );
    assert_eq!(v["until"], "2026-09-30");
    let (code, err) = fails(
        cost_in(dir.path())
            .env("COST_DB", &db)
            .env("COST_NOW", "30/09/2026")
            .args(["report"]),
    );
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: COST_NOW=`30/09/2026` is neither an RFC 3339 time nor a date\nhint: e.g. COST_NOW=2026-09-30 (the start of that day, UTC) or COST_NOW=2026-09-30T12:00:00Z\n"
    );
}
