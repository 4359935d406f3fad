//! The unit of work (DESIGN §13): sessions, users, statuses and tags stored per request, and
//! `report --by session|user|status|tag:KEY` rows that always add up to the ungrouped total.

mod common;

use common::{cost_in, json, repo, stdout};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// `tests/fixtures/logs/work-units.jsonl`: 8 gpt-4o-mini calls on 2026-11-02, no cache.
/// gpt-4o-mini in the shipped table: $0.15 / M input = 150 nano-USD a token, $0.60 / M output
/// = 600 nano-USD a token. Per call (input, output → cost):
///
/// | id | session | user | team     | feature | env     | status | in     | out   | nano-USD  |
/// |----|---------|------|----------|---------|---------|--------|--------|-------|-----------|
/// | r1 | run-a   | u1   | support  | chat    | prod    | ok     | 1,000  | 100   | 210,000   |
/// | r2 | run-a   | u1   | support  | chat    | prod    | ok     | 2,000  | 100   | 360,000   |
/// | r3 | run-a   | u1   | support  | chat    | —       | ok     | 3,000  | 200   | 570,000   |
/// | r4 | run-b   | u2   | support  | search  | prod    | error  | 1,000  | 0     | 150,000   |
/// | r5 | run-b   | u2   | support  | —       | staging | ok     | 1,500  | 300   | 405,000   |
/// | r6 | run-c   | u3   | research | —       | —       | ok     | 4,000  | 500   | 900,000   |
/// | r7 | run-c   | u3   | research | search  | —       | ok     | 6,000  | 500   | 1,200,000 |
/// | r8 | —       | —    | research | —       | —       | —      | 10,000 | 1,000 | 2,100,000 |
///
/// Total: 5,895,000 nano-USD = $0.005895.
const TOTAL: i64 = 5_895_000;

fn fixture() -> PathBuf {
    repo().join("tests/fixtures/logs/work-units.jsonl")
}

fn imported() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cost.db");
    stdout(
        cost_in(dir.path())
            .env("COST_DB", &db)
            .args(["import", "-q"])
            .arg(fixture()),
    );
    (dir, db)
}

fn nanos(v: &Value) -> i64 {
    (v.as_f64().unwrap() * 1e9).round() as i64
}

/// `report --by DIMS` as (values joined by `/`, requests, nano-USD), sorted, and the total.
fn by(dir: &Path, db: &Path, dims: &str) -> (Vec<(String, i64, i64)>, i64) {
    let v = json(
        cost_in(dir)
            .env("COST_DB", db)
            .env("COST_NOW", "2026-11-05T12:00:00Z")
            .args(["report", "--since", "2026-11-01", "--format", "json", "--by", dims]),
    );
    let names: Vec<String> = v["group_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap().to_string())
        .collect();
    let mut rows: Vec<(String, i64, i64)> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let key = names
                .iter()
                .map(|n| r[n].as_str().unwrap_or("-").to_string())
                .collect::<Vec<_>>()
                .join("/");
            (key, r["requests"].as_i64().unwrap(), nanos(&r["cost_usd"]))
        })
        .collect();
    rows.sort();
    let total = nanos(&v["totals"]["cost_usd"]);
    let sum: i64 = rows.iter().map(|r| r.2).sum();
    assert_eq!(sum, total, "rows of --by {dims} add up to the total");
    (rows, total)
}

fn rows(list: &[(&str, i64, i64)]) -> Vec<(String, i64, i64)> {
    list.iter().map(|(k, n, c)| (k.to_string(), *n, *c)).collect()
}

#[test]
fn sessions_users_and_statuses_each_count_every_request_once() {
    let (dir, db) = imported();
    let d = dir.path();
    // run-a = r1 + r2 + r3 = 210,000 + 360,000 + 570,000; run-b = r4 + r5 = 150,000 + 405,000;
    // run-c = r6 + r7 = 900,000 + 1,200,000; r8 has no session.
    assert_eq!(
        by(d, &db, "session"),
        (
            rows(&[
                ("-", 1, 2_100_000),
                ("run-a", 3, 1_140_000),
                ("run-b", 2, 555_000),
                ("run-c", 2, 2_100_000)
            ]),
            TOTAL
        )
    );
    // Users follow the sessions here (metadata.user_id).
    assert_eq!(
        by(d, &db, "user"),
        (
            rows(&[
                ("-", 1, 2_100_000),
                ("u1", 3, 1_140_000),
                ("u2", 2, 555_000),
                ("u3", 2, 2_100_000)
            ]),
            TOTAL
        )
    );
    // error = r4 (150,000); no status = r8 (2,100,000); ok = the other six: 3,645,000.
    assert_eq!(
        by(d, &db, "status"),
        (
            rows(&[("-", 1, 2_100_000), ("error", 1, 150_000), ("ok", 6, 3_645_000)]),
            TOTAL
        )
    );
}

#[test]
fn tags_count_each_request_once_per_key_with_the_rest_under_none() {
    let (dir, db) = imported();
    let d = dir.path();
    // feature: chat = r1..r3 = 1,140,000; search = r4 + r7 = 150,000 + 1,200,000;
    // none = r5 + r6 + r8 = 405,000 + 900,000 + 2,100,000 = 3,405,000.
    assert_eq!(
        by(d, &db, "tag:feature"),
        (
            rows(&[("-", 3, 3_405_000), ("chat", 3, 1_140_000), ("search", 2, 1_350_000)]),
            TOTAL
        )
    );
    // env: prod = r1 + r2 + r4 = 720,000; staging = r5 = 405,000; none = the rest 4,770,000.
    assert_eq!(
        by(d, &db, "tag:env"),
        (
            rows(&[("-", 4, 4_770_000), ("prod", 3, 720_000), ("staging", 1, 405_000)]),
            TOTAL
        )
    );
    // Mixed with a rollup dimension: (none) per team is the team's total less its tagged part.
    // research: r6 + r8 untagged = 3,000,000, r7 search; support: r5 untagged.
    assert_eq!(
        by(d, &db, "tag:feature,team"),
        (
            rows(&[
                ("-/research", 2, 3_000_000),
                ("-/support", 1, 405_000),
                ("chat/support", 3, 1_140_000),
                ("search/research", 1, 1_200_000),
                ("search/support", 1, 150_000),
            ]),
            TOTAL
        )
    );
    // Two tag keys at once are read from the requests: every request in exactly one row.
    assert_eq!(
        by(d, &db, "tag:feature,tag:env"),
        (
            rows(&[
                ("-/-", 2, 3_000_000),
                ("-/staging", 1, 405_000),
                ("chat/-", 1, 570_000),
                ("chat/prod", 2, 570_000),
                ("search/-", 1, 1_200_000),
                ("search/prod", 1, 150_000),
            ]),
            TOTAL
        )
    );
    // A tag with a session: also from the requests.
    assert_eq!(
        by(d, &db, "tag:feature,session"),
        (
            rows(&[
                ("-/-", 1, 2_100_000),
                ("-/run-b", 1, 405_000),
                ("-/run-c", 1, 900_000),
                ("chat/run-a", 3, 1_140_000),
                ("search/run-b", 1, 150_000),
                ("search/run-c", 1, 1_200_000),
            ]),
            TOTAL
        )
    );
    // Session, user and status together come from `rollup_work`.
    let (r, _) = by(d, &db, "team,user,status");
    assert_eq!(
        r,
        rows(&[
            ("research/-/-", 1, 2_100_000),
            ("research/u3/ok", 2, 2_100_000),
            ("support/u1/ok", 3, 1_140_000),
            ("support/u2/error", 1, 150_000),
            ("support/u2/ok", 1, 405_000),
        ])
    );
}

#[test]
fn session_status_latency_and_user_are_stored_and_session_ids_leave_the_tags() {
    let (_dir, db) = imported();
    let conn = rusqlite::Connection::open(&db).unwrap();
    type Row = (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<i64>,
        Option<String>,
    );
    let row: Row = conn
        .query_row(
            "SELECT session_id, user_id, status, latency_ms, tags FROM requests WHERE request_key = 'gw_r4'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    assert_eq!(
        row,
        (
            Some("run-b".into()),
            Some("u2".into()),
            Some("error".into()),
            Some(30_000),
            Some(r#"{"env":"prod","feature":"search"}"#.into())
        )
    );
    let r8: (Option<String>, Option<String>, Option<i64>) = conn
        .query_row(
            "SELECT session_id, status, latency_ms FROM requests WHERE request_key = 'gw_r8'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(r8, (None, None, None));
}

#[test]
fn a_reimport_adds_nothing_to_any_rollup() {
    let (dir, db) = imported();
    stdout(
        cost_in(dir.path())
            .env("COST_DB", &db)
            .args(["import", "-q"])
            .arg(fixture()),
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let q = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(q("SELECT SUM(cost_nanos) FROM rollup_daily"), TOTAL);
    assert_eq!(q("SELECT SUM(cost_nanos) FROM rollup_work"), TOTAL);
    // Tagged with feature: 1,140,000 + 1,350,000; with env: 720,000 + 405,000.
    assert_eq!(
        q("SELECT SUM(cost_nanos) FROM rollup_tags"),
        1_140_000 + 1_350_000 + 720_000 + 405_000
    );
    assert_eq!(q("SELECT COUNT(*) FROM requests"), 8);
}

#[test]
fn a_store_made_by_the_previous_release_is_migrated_with_its_tags_and_users_rolled_up() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v3.db");
    {
        // Schema 3 is what the release before sessions wrote: tags and user_id, no session.
        let store = cost::store::Store::create_at_version(&db, 3).unwrap();
        store
            .connection()
            .execute_batch(
                "INSERT INTO requests (key_hash, request_key, ts_ms, day, source, provider, model, tier, uncached_input, cache_read,
                   cache_write_5m, cache_write_1h, output, reasoning, requests, team, user_id, tags, cost_nanos, unpriced)
                 VALUES (1, 'a', 1793577600000, '2026-11-02', 'envelope', 'openai', 'gpt-4o-mini', 'standard', 1000, 0, 0, 0, 100, 0, 1, 'support', 'u9', '{\"feature\":\"chat\"}', 210000, 0),
                        (2, 'b', 1793577600000, '2026-11-02', 'envelope', 'openai', 'gpt-4o-mini', 'standard', 2000, 0, 0, 0, 100, 0, 1, 'support', NULL, NULL, 360000, 0);
                 INSERT INTO rollup_daily (day, team, template, model, provider, api_key_id, project, tier, records, requests, calls,
                   cache_hit_calls, uncached_input, cache_read, cache_write_5m, cache_write_1h, output, reasoning, cost_nanos,
                   reported_cost_nanos, reported_records, reported_ours_nanos, unpriced_requests)
                 VALUES ('2026-11-02', 'support', '', 'gpt-4o-mini', 'openai', '', '', 'standard', 2, 2, 2, 0, 3000, 0, 0, 0, 200, 0, 570000, 0, 0, 0, 0);",
            )
            .unwrap();
    }
    // An import migrates it on disk (the fixture adds its 8 calls).
    stdout(
        cost_in(dir.path())
            .env("COST_DB", &db)
            .args(["import", "-q"])
            .arg(fixture()),
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, cost::store::schema::VERSION);
    drop(conn);
    // The old rows: 'a' chat by u9 (210,000), 'b' untagged without user (360,000).
    // chat = 1,140,000 + 210,000; none = 3,405,000 + 360,000; search = 1,350,000.
    assert_eq!(
        by(dir.path(), &db, "tag:feature"),
        (
            rows(&[("-", 4, 3_765_000), ("chat", 4, 1_350_000), ("search", 2, 1_350_000)]),
            TOTAL + 570_000
        )
    );
    let (users, _) = by(dir.path(), &db, "user");
    assert_eq!(users[0], ("-".to_string(), 2, 2_100_000 + 360_000));
    assert!(users.contains(&("u9".to_string(), 1, 210_000)), "{users:?}");
}

#[test]
fn an_unknown_dimension_lists_the_tag_form() {
    let out = common::cost().args(["report", "--by", "sesion"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(
            "unknown dimension `sesion` (expected one of: team, template, model, provider, key, project, tier, day, week, month, session, user, status, tag:KEY)"
        ),
        "{err}"
    );
}

#[test]
fn a_file_of_more_sessions_than_the_rollup_keeps_in_memory_sums_the_same() {
    // 10,000 one-call sessions (more cells than the import holds before writing them out),
    // each gpt-4o-mini 1,000 in / 100 out = 210,000 nano-USD, tagged with one of 3 features.
    let lines: Vec<String> = (0..10_000)
        .map(|i| {
            format!(
                r#"{{"timestamp":"2026-11-02T08:00:00Z","request_id":"m{i}","provider":"openai","session_id":"s{i}","tags":{{"feature":"f{}"}},"response":{{"model":"gpt-4o-mini","usage":{{"prompt_tokens":1000,"completion_tokens":100}}}}}}"#,
                i % 3
            )
        })
        .collect();
    let dir = common::project(&[("many.jsonl", &(lines.join("\n") + "\n"))]);
    let db = dir.path().join("cost.db");
    stdout(
        cost_in(dir.path())
            .env("COST_DB", &db)
            .args(["import", "-q", "many.jsonl"]),
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let q = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(q("SELECT COUNT(*) FROM rollup_work"), 10_000);
    assert_eq!(q("SELECT SUM(cost_nanos) FROM rollup_work"), 10_000 * 210_000);
    // f0: 3,334 sessions (0, 3, …, 9,999), f1 and f2: 3,333 each.
    assert_eq!(q("SELECT records FROM rollup_tags WHERE tag_value = 'f0'"), 3_334);
    assert_eq!(q("SELECT SUM(records) FROM rollup_tags"), 10_000);
    let (rows, total) = by(dir.path(), &db, "tag:feature");
    assert_eq!(total, 2_100_000_000);
    assert_eq!(rows[0], ("f0".to_string(), 3_334, 3_334 * 210_000));
}

#[test]
fn the_focus_export_carries_each_requests_tags_user_and_session() {
    let (dir, db) = imported();
    let out = cost_in(dir.path())
        .env("COST_DB", &db)
        .env("COST_NOW", "2026-11-05T12:00:00Z")
        .args(["export", "--format", "focus", "--since", "2026-11-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (tags, user, session, billed, kind) = (
        col("Tags"),
        col("x_UserId"),
        col("x_SessionId"),
        col("BilledCost"),
        col("x_TokenType"),
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    // Every request once: the billed costs add up to the 5,895,000 nano-USD of the fixture.
    let total: i64 = rows
        .iter()
        .map(|r| (r[billed].parse::<f64>().unwrap() * 1e9).round() as i64)
        .sum();
    assert_eq!(total, TOTAL);
    // r4 (failed, no output): 1,000 input tokens × 150 = 150,000 nano-USD, with its own tags.
    let r4: Vec<(&str, &str, &str, &str, &str)> = rows
        .iter()
        .filter(|r| r[session] == "run-b" && r[tags].contains("search"))
        .map(|r| {
            (
                r[tags].as_str(),
                r[user].as_str(),
                r[session].as_str(),
                r[billed].as_str(),
                r[kind].as_str(),
            )
        })
        .collect();
    assert_eq!(
        r4,
        vec![(
            r#"{"env":"prod","feature":"search","team":"support","template":"support/answer"}"#,
            "u2",
            "run-b",
            "0.00015",
            "input"
        )]
    );
    // r8 has no session, user or tags: only team and template.
    assert!(rows.iter().any(|r| r[session].is_empty()
        && r[user].is_empty()
        && r[tags] == r#"{"team":"research","template":"research/loop"}"#
        && r[billed] == "0.0015"));
}

#[test]
fn tags_with_quotes_and_escapes_are_rolled_up_under_their_own_value() {
    // A tag value with a quote, a backslash and a non-ASCII letter, stored JSON-escaped:
    // gpt-4o-mini 1,000 in / 100 out = 210,000 nano-USD under `say "hi"\ é`, none under (none).
    let line = r#"{"timestamp":"2026-11-02T08:00:00Z","request_id":"q1","provider":"openai","tags":{"feature":"say \"hi\"\\ \u00e9"},"response":{"model":"gpt-4o-mini","usage":{"prompt_tokens":1000,"completion_tokens":100}}}"#;
    let dir = common::project(&[("q.jsonl", &format!("{line}\n"))]);
    let db = dir.path().join("cost.db");
    stdout(
        cost_in(dir.path())
            .env("COST_DB", &db)
            .args(["import", "-q", "q.jsonl"]),
    );
    let (rows, total) = by(dir.path(), &db, "tag:feature");
    assert_eq!(total, 210_000);
    assert_eq!(rows, vec![("say \"hi\"\\ é".to_string(), 1, 210_000)]);
}
