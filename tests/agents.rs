//! Coding agents' logs (Codex, Copilot CLI, Gemini CLI, OpenCode, Kilo) through the real
//! binary, on on-disk stores, and `cost import --agents` on a fake home directory. Fixtures are
//! in tests/fixtures/logs/<agent>/ (counts in its README); dollar figures are worked out by hand
//! in the comments from the shipped table, data/litellm-model-prices-2026-07-24.json:
//!
//! | model | input | cache read | cache write | output (per token) |
//! |---|---|---|---|---|
//! | gpt-5.2 | $1.75/M | $0.175/M | – | $14/M (priority: all ×2) |
//! | gpt-5 | $1.25/M | $0.125/M | – | $10/M (priority: all ×2) |
//! | gpt-5-mini | $0.25/M | $0.025/M | – | $2/M (priority $0.45/M, $0.045/M, $3.6/M) |
//! | gpt-5.1-codex | $1.25/M | $0.125/M | – | $10/M |
//! | claude-sonnet-4-5 | $3/M | $0.3/M | $3.75/M (5m) | $15/M |
//! | claude-haiku-4-5 | $1/M | $0.1/M | $1.25/M (5m) | $5/M |
//! | gemini-2.5-pro | $1.25/M | $0.125/M | – | $10/M |
//! | gemini-2.5-flash | $0.3/M | $0.03/M | – | $2.5/M |

mod common;
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures/logs").join(name)
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

fn usd(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a cost: {v}"))
}

/// A scratch directory holding the store (and whatever a test writes there).
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Scratch {
        Scratch {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn path(&self) -> &Path {
        self.dir.path()
    }
    fn cmd(&self) -> assert_cmd::Command {
        let mut c = cost_in(self.path());
        c.env("COST_DB", self.path().join("cost.db")).env("USER", "alice");
        for v in [
            "CODEX_HOME",
            "CLAUDE_CONFIG_DIR",
            "COPILOT_CONFIG_DIR",
            "GEMINI_DATA_DIR",
            "OPENCODE_DATA_DIR",
            "KILO_DATA_DIR",
            "XDG_DATA_HOME",
            "USERNAME",
        ] {
            c.env_remove(v);
        }
        c
    }
    fn import(&self, args: &[&str]) -> Value {
        let mut c = self.cmd();
        c.arg("import").args(args).args(["--format", "json"]);
        json(&mut c)
    }
    fn import_path(&self, path: &Path, extra: &[&str]) -> Value {
        let mut c = self.cmd();
        c.arg("import").arg(path).args(extra).args(["--format", "json"]);
        json(&mut c)
    }
    fn report(&self, args: &[&str]) -> Value {
        let mut c = self.cmd();
        c.arg("report")
            .args(args)
            .args(["--since", "2026-09-01", "--until", "2026-10-31", "--format", "json"]);
        json(&mut c)
    }
    /// Rows of the store, for what reports do not show (flags, tags).
    fn rows(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        let conn = rusqlite::Connection::open(self.path().join("cost.db")).unwrap();
        let mut stmt = conn.prepare(sql).unwrap();
        let n = stmt.column_count();
        stmt.query_map([], |r| (0..n).map(|i| r.get::<_, Option<String>>(i)).collect())
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }
}

/// Copies a fixture tree into `to`.
fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A SQLite database built from a fixture's SQL (OpenCode and Kilo keep their messages so).
fn database(sql_fixture: &str, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    let conn = rusqlite::Connection::open(to).unwrap();
    conn.execute_batch(&std::fs::read_to_string(fixture(sql_fixture)).unwrap())
        .unwrap();
}

// Codex, per session (OpenAI semantics: uncached = input − cached; reasoning inside output):
// A `…-aaaa` (gpt-5.2): totals 1,000/100/200 then 1,600/160/320 then 2,600/1,160/400, each
// re-emitted once, one `info: null`: three turns. 900 × $1.75/M + 100 × $0.175/M + 200 × $14/M
// = $0.0043925; 540 × $1.75/M + 60 × $0.175/M + 120 × $14/M = $0.0026355; 1,000 cached ×
// $0.175/M + 80 × $14/M = $0.001295. A = $0.008323.
// B `…-bbbb` (no model: gpt-5, flagged; totals only): 500/0/50, re-emitted, then 1,300/400/130
// → differences 500/0/50 ($0.001125) and 800/400/80: 400 × $1.25/M + 400 × $0.125/M + 80 ×
// $10/M = $0.00135. B = $0.002475.
// C `…-cccc` (subagent of A): replays A's three counts at its creation (skipped), then on
// gpt-5-mini 300/0/40 ($0.000075 + $0.00008) and 500/400/60 ($0.000025 + $0.00001 +
// $0.00012), one re-emitted. C = $0.00031.
// D `…-dddd` (fork of A, totals only): A's last total replayed, then its own total from zero,
// 700/0/70 on gpt-5.2: $0.001225 + $0.00098 = $0.002205.
// E `…-eeee` (only in archived_sessions/): 2,000/1,500/300: 500 × $1.75/M + 1,500 × $0.175/M
// + 300 × $14/M = $0.0053375, then a cut-off line. The archived copy of A is skipped whole.
// Sum: $0.0186505, 9 calls.
const CODEX_USD: f64 = 0.0186505;

#[test]
fn codex_bills_a_turn_only_when_the_running_total_moved() {
    let s = Scratch::new();
    let summary = s.import_path(&fixture("codex"), &[]);
    assert_eq!(counts(&summary), [37, 9, 0, 1, 27, 0]);
    let files: Vec<(String, [u64; 6])> = summary["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let p = f["path"].as_str().unwrap();
            let tail = p.rsplit('-').next().unwrap().to_string();
            let under = if p.contains("archived_sessions") {
                "archived/"
            } else {
                ""
            };
            assert_eq!(f["source"], "codex");
            (format!("{under}{tail}"), counts(f))
        })
        .collect();
    assert_eq!(
        files,
        [
            // E: a turn, the turn context, the session meta; the cut-off line rejected.
            ("archived/000000000005.jsonl".to_string(), [4, 1, 0, 1, 2, 0]),
            // The archived copy of A: every line skipped (the active copy is read).
            ("archived/000000000001.jsonl".to_string(), [5, 0, 0, 0, 5, 0]),
            ("000000000002.jsonl".to_string(), [4, 2, 0, 0, 2, 0]),
            ("000000000001.jsonl".to_string(), [10, 3, 0, 0, 7, 0]),
            ("000000000003.jsonl".to_string(), [10, 2, 0, 0, 8, 0]),
            ("000000000004.jsonl".to_string(), [4, 1, 0, 0, 3, 0]),
        ]
    );
    assert_eq!(usd(&summary["cost_usd"]), CODEX_USD);
    let report = s.report(&["--by", "session"]);
    // The billed turns add up to each session's final running total: A 2,600 input of which
    // 1,160 cached, 400 output, 50 reasoning; and so on.
    assert_eq!(tokens(&report), [9, 3_940, 3_460, 0, 0, 1_000, 170]);
    assert_eq!(usd(&report["totals"]["cost_usd"]), CODEX_USD);
    let sessions: Vec<(&str, i64)> = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["session"].as_str().unwrap(), r["requests"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        sessions,
        [
            (
                "2026/10/01/rollout-2026-10-01T09-00-00-0199a1b2-aaaa-7000-8000-000000000001",
                3
            ),
            (
                "2026/09/30/rollout-2026-09-30T16-00-00-0199a1b2-eeee-7000-8000-000000000005",
                1
            ),
            (
                "2026/09/28/rollout-2026-09-28T14-00-00-0199a1b2-bbbb-7000-8000-000000000002",
                2
            ),
            (
                "2026/10/02/rollout-2026-10-02T11-00-00-0199a1b2-dddd-7000-8000-000000000004",
                1
            ),
            (
                "2026/10/01/rollout-2026-10-01T09-30-00-0199a1b2-cccc-7000-8000-000000000003",
                2
            ),
        ]
    );
    // The session without a model is priced as gpt-5 and says so; the others are not flagged.
    let flagged = s.rows("SELECT model, flags FROM requests WHERE flags IS NOT NULL ORDER BY ts_ms");
    assert_eq!(
        flagged,
        [
            vec![Some("gpt-5".into()), Some("model_fallback".into())],
            vec![Some("gpt-5".into()), Some("model_fallback".into())],
        ]
    );
    // Developer, project, tag and tier of every record.
    let who = s.rows("SELECT DISTINCT user_id, project, tags, tier FROM requests WHERE session_id LIKE '%aaaa%'");
    assert_eq!(
        who,
        [vec![
            Some("alice".into()),
            Some("/home/dev/shop".into()),
            Some(r#"{"agent":"codex","git_branch":"main"}"#.into()),
            Some("standard".into())
        ]]
    );
    // Read again, nothing is added: every turn is keyed by its session and running total.
    let again = s.import_path(&fixture("codex"), &["--reread"]);
    assert_eq!(counts(&again), [37, 0, 9, 1, 27, 0]);
}

#[test]
fn codex_service_tier_fast_bills_the_priority_tier() {
    let s = Scratch::new();
    let home = s.path().join("codex-home");
    copy_tree(&fixture("codex"), &home);
    std::fs::write(
        home.join("config.toml"),
        "model = \"gpt-5.2\"\nservice_tier = \"fast\"\n",
    )
    .unwrap();
    let summary = s.import_path(&home, &[]);
    assert_eq!(counts(&summary), [37, 9, 0, 1, 27, 0]);
    // gpt-5.2 and gpt-5 cost twice as much at priority: A $0.016646, B $0.00495, D $0.00441,
    // E $0.010675; gpt-5-mini: 300 × $0.45/M + 40 × $3.6/M = $0.000279 and 100 × $0.45/M +
    // 400 × $0.045/M + 60 × $3.6/M = $0.000279. Sum $0.037239.
    let report = s.report(&["--by", "tier"]);
    assert_eq!(report["rows"].as_array().unwrap().len(), 1);
    assert_eq!(report["rows"][0]["tier"], "priority");
    assert_eq!(usd(&report["totals"]["cost_usd"]), 0.037239);
}

#[test]
fn codex_home_from_codex_home_and_the_archived_copy_alone() {
    // With only the archive (the session was moved out of sessions/), its copy of A is read:
    // the first five lines of A hold one turn, 1,000/100/200 on gpt-5.2, $0.0043925.
    let s = Scratch::new();
    let home = s.path().join("elsewhere");
    copy_tree(&fixture("codex/archived_sessions"), &home.join("archived_sessions"));
    let mut c = s.cmd();
    c.env("HOME", s.path()).env("CODEX_HOME", &home);
    c.args(["import", "--agents", "codex", "--format", "json"]);
    let out = json(&mut c);
    let codex = &out["agents"][0];
    assert_eq!(codex["agent"], "codex");
    assert_eq!(
        (codex["files"].as_u64(), codex["imported"].as_u64()),
        (Some(2), Some(2))
    );
    // E $0.0053375 + A's first turn $0.0043925.
    assert_eq!(usd(&codex["cost_usd"]), 0.00973);
}

// Copilot: each shutdown is one process; its model metrics are summed, not running totals.
// Session 3f2a…: process 1 Sonnet 4.5, 30,000 input including 24,000 read and 4,000 written →
// 2,000 × $3/M + 24,000 × $0.3/M + 4,000 × $3.75/M + 1,500 × $15/M = $0.0507; gpt-5-mini 8,000
// input including 6,000 read: 2,000 × $0.25/M + 6,000 × $0.025/M + 900 × $2/M = $0.00245;
// process 2 Sonnet 4.5: 2,000 × $3/M + 10,000 × $0.3/M + 400 × $15/M = $0.015.
// Session 7b1d…: gpt-5.1-codex (logged `-internal`): 10,000 × $1.25/M + 40,000 × $0.125/M +
// 2,000 × $10/M = $0.0375; a Haiku entry reading more cache than its input: rejected.
// Sum $0.10565. Premium requests 3 + 0 + 1 + 4 = 8, at $0.04: $0.32 reported.
#[test]
fn copilot_shutdown_snapshots_are_summed_per_model() {
    let s = Scratch::new();
    let summary = s.import_path(&fixture("copilot"), &[]);
    assert_eq!(summary["files"][0]["source"], "copilot");
    // The second file's one line gives a record and the reject of its other model.
    assert_eq!(counts(&summary), [9, 4, 0, 1, 4, 0]);
    assert_eq!(
        summary["files"][1]["rejects"][0]["reason"],
        "modelMetrics.claude-haiku-4.5: cacheReadTokens (500) plus cacheWriteTokens (0) are larger than inputTokens (100), which includes them"
    );
    let report = s.report(&["--by", "model", "--compare-reported"]);
    assert_eq!(tokens(&report), [10, 16_000, 80_000, 4_000, 0, 4_800, 1_200]);
    assert_eq!(usd(&report["totals"]["cost_usd"]), 0.10565);
    assert_eq!(usd(&report["totals"]["reported_cost_usd"]), 0.32);
    let models: Vec<(&str, i64, f64)> = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["model"].as_str().unwrap(),
                r["requests"].as_i64().unwrap(),
                usd(&r["cost_usd"]),
            )
        })
        .collect();
    assert_eq!(
        models,
        [
            ("claude-sonnet-4-5", 4, 0.0657),
            ("gpt-5.1-codex", 4, 0.0375),
            ("gpt-5-mini", 2, 0.00245)
        ]
    );
    let tags = s.rows("SELECT tags, project FROM requests WHERE model = 'gpt-5.1-codex'");
    assert_eq!(
        tags,
        [vec![
            Some(r#"{"agent":"copilot","logged_model":"gpt-5.1-codex-internal","premium_requests":"4"}"#.into()),
            Some("/home/dev/api".into())
        ]]
    );
}

// Gemini CLI. JSONL session: g1 written twice, the later (final) copy wins: total 13,300 =
// input + output + thoughts + tool, so the 8,000 cached are inside the 12,000 input: 4,000 +
// 100 tool = 4,100 × $1.25/M + 8,000 × $0.125/M + (800 + 400 thoughts) × $10/M = $0.018125;
// g2: total 5,150 = 3,000 + 100 + 50 + 2,000 cached, so the cache is outside the input: 3,000
// × $0.3/M + 2,000 × $0.03/M + 150 × $2.5/M = $0.001335; g3: cached > input with the cache
// inside: rejected. JSON session: m2 5,000 × $1.25/M + 15,000 × $0.125/M + 2,000 × $10/M =
// $0.028125; m3 1,000 × $1.25/M + 50 × $10/M = $0.00175. Sum $0.049335.
#[test]
fn gemini_cli_later_message_with_the_same_id_replaces_the_earlier() {
    let s = Scratch::new();
    let summary = s.import_path(&fixture("gemini-cli"), &[]);
    let files: Vec<[u64; 6]> = summary["files"].as_array().unwrap().iter().map(counts).collect();
    assert_eq!(files, [[7, 2, 0, 1, 4, 0], [3, 2, 0, 0, 1, 0]]);
    assert_eq!(summary["files"][1]["source"], "gemini-cli");
    let report = s.report(&["--by", "model"]);
    assert_eq!(tokens(&report), [4, 13_100, 25_000, 0, 0, 3_400, 950]);
    assert_eq!(usd(&report["totals"]["cost_usd"]), 0.049335);
    let sessions = s.rows("SELECT DISTINCT session_id, project FROM requests ORDER BY session_id");
    assert_eq!(
        sessions,
        [
            vec![Some("a1b2c3d4-0001".into()), Some("9f86d081884c7d65".into())],
            vec![Some("d4e5f6a7-0002".into()), Some("9f86d081884c7d65".into())],
        ]
    );
}

// OpenCode (cache outside input): Sonnet 4.5 150 × $3/M + 40,000 × $0.3/M + 2,000 × $3.75/M
// + 600 × $15/M = $0.02895 (stated $0.02895); gpt-5 2,000 × $1.25/M + 6,000 × $0.125/M + 500
// × $10/M = $0.00825 (stated $0.01025: OpenCode prices the 200 reasoning tokens again);
// acme-coder-1 unpriced; a user row, a message still streaming and an aborted one of zero
// tokens skipped; reasoning above output rejected. Sum $0.0372.
// Kilo: Haiku 4.5 1,000 × $1/M + 5,000 × $0.1/M + 200 × $5/M = $0.0025.
#[test]
fn opencode_and_kilo_databases_keep_the_cache_outside_input() {
    let s = Scratch::new();
    let oc = s.path().join("data/opencode/opencode.db");
    let kilo = s.path().join("data/kilo/kilo.db");
    database("opencode/opencode.sql", &oc);
    database("kilo/kilo.sql", &kilo);
    let summary = s.import(&[oc.to_str().unwrap(), kilo.to_str().unwrap()]);
    let files: Vec<(&str, [u64; 6])> = summary["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["source"].as_str().unwrap(), counts(f)))
        .collect();
    assert_eq!(files, [("opencode", [7, 3, 0, 1, 3, 1]), ("kilo", [2, 1, 0, 0, 1, 0])]);
    assert_eq!(
        summary["files"][0]["rejects"][0]["reason"],
        "message msg_06: tokens.reasoning (9) is larger than the tokens.output it is part of (5)"
    );
    let report = s.report(&["--by", "model", "--compare-reported"]);
    assert_eq!(tokens(&report), [4, 3_250, 51_000, 2_000, 0, 1_310, 200]);
    assert_eq!(usd(&report["totals"]["cost_usd"]), 0.0397);
    assert_eq!(report["totals"]["unpriced_requests"], 1);
    let gpt5 = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["model"] == "gpt-5")
        .unwrap();
    assert_eq!(
        (usd(&gpt5["cost_usd"]), usd(&gpt5["reported_cost_usd"])),
        (0.00825, 0.01025)
    );
}

#[test]
fn a_database_locked_by_the_running_agent_is_read_from_a_copy() {
    let s = Scratch::new();
    let oc = s.path().join("opencode.db");
    database("opencode/opencode.sql", &oc);
    // The agent holds an exclusive lock in the middle of a write.
    let agent = rusqlite::Connection::open(&oc).unwrap();
    agent
        .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; DELETE FROM message WHERE id = 'msg_02';")
        .unwrap();
    let mut c = s.cmd();
    c.args(["import", oc.to_str().unwrap(), "--format", "json"]);
    let summary = json(&mut c);
    // The committed rows, all of them: the delete in progress is not seen.
    assert_eq!(counts(&summary), [7, 3, 0, 1, 3, 1]);
    assert_eq!(usd(&summary["cost_usd"]), 0.0372);
    let warning = summary["files"][0]["warnings"][0].as_str().unwrap();
    assert!(warning.ends_with("a copy was read"), "{warning}");
    agent.execute_batch("ROLLBACK").unwrap();
}

/// A home directory with every agent's files at its default place.
fn fake_home(root: &Path) {
    copy_tree(&fixture("claude-code/projects"), &root.join(".claude/projects"));
    copy_tree(&fixture("codex"), &root.join(".codex"));
    copy_tree(&fixture("copilot"), &root.join(".copilot"));
    copy_tree(&fixture("gemini-cli/tmp"), &root.join(".gemini/tmp"));
    database("opencode/opencode.sql", &root.join(".local/share/opencode/opencode.db"));
    database("kilo/kilo.sql", &root.join(".local/share/kilo/kilo.db"));
}

/// (agent, files, read, calls, cost) of each row of `cost import --agents`.
fn agent_rows(out: &Value) -> Vec<(String, u64, u64, u64, Option<f64>)> {
    out["agents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["agent"].as_str().unwrap().to_string(),
                a["files"].as_u64().unwrap(),
                a["read"].as_u64().unwrap(),
                a["imported"].as_u64().unwrap(),
                a["cost_usd"].as_f64(),
            )
        })
        .collect()
}

#[test]
fn import_agents_on_a_fake_home_finds_every_agent() {
    let s = Scratch::new();
    let home = s.path().join("home");
    fake_home(&home);
    // Developers map to teams.
    std::fs::write(
        s.path().join("cost.toml"),
        "[teams.web]\nusers = [\"alice\"]\n\n[teams.data]\nusers = [\"bob\"]\n",
    )
    .unwrap();
    let agents = |extra: &[&str]| {
        let mut c = s.cmd();
        c.env("HOME", &home)
            .args(["import", "--agents"])
            .args(extra)
            .args(["--format", "json"]);
        json(&mut c)
    };
    let out = agents(&[]);
    assert_eq!(out["schema"], "cost.import-agents/v1");
    // Claude Code: the fixture tree (3 transcripts; the .meta.json is not read), $0.11436.
    // The others as in the tests above. Total $0.3276955.
    let x = |a: &str, files, calls, cost| (a.to_string(), files, files, calls, Some(cost));
    assert_eq!(
        agent_rows(&out),
        [
            x("claude-code", 3, 7, 0.11436),
            x("codex", 6, 9, CODEX_USD),
            x("copilot", 2, 4, 0.10565),
            x("gemini-cli", 2, 4, 0.049335),
            x("opencode", 1, 3, 0.0372),
            x("kilo", 1, 1, 0.0025),
        ]
    );
    let report = s.report(&["--by", "tag:agent"]);
    assert_eq!(usd(&report["totals"]["cost_usd"]), 0.3276955);
    let by_agent: Vec<(&str, f64)> = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["tag:agent"].as_str().unwrap(), usd(&r["cost_usd"])))
        .collect();
    assert_eq!(
        by_agent,
        [
            ("claude-code", 0.11436),
            ("copilot", 0.10565),
            ("gemini-cli", 0.049335),
            ("opencode", 0.0372),
            ("codex", CODEX_USD),
            ("kilo", 0.0025),
        ]
    );
    // Every record names the developer (the OS user), and through [teams.web] users her team.
    let by_user = s.report(&["--by", "user,team"]);
    assert_eq!(by_user["rows"].as_array().unwrap().len(), 1);
    assert_eq!(by_user["rows"][0]["user"], "alice");
    assert_eq!(by_user["rows"][0]["team"], "web");

    // A second run reads nothing: every file is unchanged.
    let again = agents(&[]);
    let rows = agent_rows(&again);
    assert!(rows.iter().all(|r| r.2 == 0 && r.3 == 0), "{rows:?}");
    assert_eq!(again["unchanged_files"].as_array().unwrap().len(), 15);
    // A new Copilot session: only it is read.
    let new = home.join(".copilot/session-state/9c9c9c9c-0000-4000-8000-000000000009");
    std::fs::create_dir_all(&new).unwrap();
    // gpt-5-mini, 4,000 input including 1,000 read: 3,000 × $0.25/M + 1,000 × $0.025/M + 500 ×
    // $2/M = $0.001775.
    std::fs::write(
        new.join("events.jsonl"),
        r#"{"type":"session.shutdown","data":{"modelMetrics":{"gpt-5-mini":{"requests":{"count":1,"cost":0},"usage":{"inputTokens":4000,"outputTokens":500,"cacheReadTokens":1000,"cacheWriteTokens":0}}}},"id":"x-1","timestamp":"2026-10-10T08:00:00.000Z"}"#,
    )
    .unwrap();
    let narrowed = agents(&["codex,copilot", "--user", "bob"]);
    assert_eq!(
        agent_rows(&narrowed),
        [
            ("codex".to_string(), 6, 0, 0, Some(0.0)),
            ("copilot".to_string(), 3, 1, 1, Some(0.001775)),
        ]
    );
    // --user names the developer, and [teams.data] users his team.
    let who = s.rows("SELECT user_id, team FROM requests WHERE request_key LIKE 'copilot:9c9c%'");
    assert_eq!(who, [vec![Some("bob".into()), Some("data".into())]]);
}

#[test]
fn import_agents_names_what_it_does_not_know_and_where_it_looked() {
    let s = Scratch::new();
    let mut c = s.cmd();
    c.env("HOME", s.path()).args(["import", "--agents", "codex,cursor"]);
    let (code, err) = fails(&mut c);
    assert_eq!(code, 2);
    assert!(err.contains("unknown agent `cursor`"), "{err}");
    assert!(
        err.contains("claude-code, codex, copilot, gemini-cli, opencode, kilo"),
        "{err}"
    );
    let mut c = s.cmd();
    c.env("HOME", s.path()).args(["import", "--agents", "kilo"]);
    let (code, err) = fails(&mut c);
    assert_eq!(code, 2);
    let looked = s.path().join(".local/share/kilo");
    assert!(err.contains(&format!("looked in {}", looked.display())), "{err}");
}

/// Each developer imports their agents and exports the store as JSON lines into a shared
/// folder; the FinOps lead imports the folder. Alice's laptop has Claude Code ($0.11436) and
/// Codex (CODEX_USD = $0.0186505): $0.1330105. Bob's has Copilot ($0.10565), Gemini CLI
/// ($0.049335), OpenCode ($0.0372) and Kilo ($0.0025): $0.194685. Alice exported twice (the same
/// requests in two files), so the merge must not count her twice.
#[test]
fn exports_of_several_laptops_merge_without_double_counting() {
    let shared = tempfile::tempdir().unwrap();
    let laptop = |user: &str, home_of: &dyn Fn(&Path)| -> Scratch {
        let s = Scratch::new();
        let home = s.path().join("home");
        home_of(&home);
        let mut c = s.cmd();
        c.env("HOME", &home)
            .env("USER", user)
            .args(["import", "--agents", "-q"]);
        c.assert().success();
        s
    };
    let alice = laptop("alice", &|h: &Path| {
        copy_tree(&fixture("claude-code/projects"), &h.join(".claude/projects"));
        copy_tree(&fixture("codex"), &h.join(".codex"));
    });
    let bob = laptop("bob", &|h: &Path| {
        copy_tree(&fixture("copilot"), &h.join(".copilot"));
        copy_tree(&fixture("gemini-cli/tmp"), &h.join(".gemini/tmp"));
        database("opencode/opencode.sql", &h.join(".local/share/opencode/opencode.db"));
        database("kilo/kilo.sql", &h.join(".local/share/kilo/kilo.db"));
    });
    for (s, name) in [
        (&alice, "alice-monday.jsonl"),
        (&alice, "alice-friday.jsonl"),
        (&bob, "bob.jsonl"),
    ] {
        let mut c = s.cmd();
        c.args(["export", "--format", "jsonl", "--out"])
            .arg(shared.path().join(name));
        c.assert().success();
    }
    let lead = Scratch::new();
    lead.import_path(shared.path(), &[]);
    let report = lead.report(&["--by", "user"]);
    let by_user: Vec<(&str, f64)> = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["user"].as_str().unwrap(), usd(&r["cost_usd"])))
        .collect();
    assert_eq!(by_user, [("bob", 0.194685), ("alice", 0.1330105)]);
    assert_eq!(usd(&report["totals"]["cost_usd"]), 0.3276955);
    // Each agent keeps its name as a tag across the merge.
    // `agent` is short for `tag:agent`.
    let agents = lead.report(&["--by", "agent,user"]);
    assert_eq!(agents["group_by"], serde_json::json!(["tag:agent", "user"]));
    assert_eq!(
        agents["rows"].as_array().unwrap().len(),
        6,
        "2 agents of alice's, 4 of bob's"
    );
    // Importing the folder again adds nothing.
    let first = lead.import_path(shared.path(), &["--reread"]);
    assert_eq!(
        (first["imported"].as_u64(), first["duplicates"].as_u64()),
        (Some(0), Some(44))
    );
    // The Codex session priced as gpt-5 keeps its `model_fallback` flag through the export.
    let flagged = lead.rows("SELECT CAST(COUNT(*) AS TEXT) FROM requests WHERE flags LIKE '%model_fallback%'");
    assert_eq!(flagged[0][0].as_deref(), Some("2"));
    let after = lead.report(&["--by", "user"]);
    assert_eq!(usd(&after["totals"]["cost_usd"]), usd(&report["totals"]["cost_usd"]));
}
