//! `cost watch`: files written into a watched directory are imported as they grow, and each
//! alert is printed once as a `cost.watch/v1` JSON line. The tests wait for lines with a
//! generous timeout (never a sleep as an assertion), and stop the watch with a signal.
//!
//! Prices from the shipped table: gpt-4o $2.50 per million input tokens and $10 per million
//! output. Every call below is 1,000 input and 100 output tokens unless it says otherwise:
//! 1,000 × $2.50/M + 100 × $10/M = $0.0035.
#![cfg(unix)]

mod common;

use serde_json::Value;
use std::io::{BufRead, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long a line may take to come: far above the 2 s the watch needs, for a busy machine.
const PATIENCE: Duration = Duration::from_secs(60);

fn call(id: &str, team: &str, day: &str, extra: &str) -> String {
    format!(
        "{{\"timestamp\":\"{day}T09:00:00Z\",\"request_id\":\"{id}\",\"provider\":\"openai\",\"metadata\":{{\"team\":\"{team}\"}},\"request\":{{\"model\":\"gpt-4o\"}},\"response\":{{\"model\":\"gpt-4o\",\"usage\":{{\"prompt_tokens\":1000,\"completion_tokens\":100}}}}{extra}}}\n"
    )
}

fn append(path: &Path, text: &str) {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

/// Writes a new log whole: under a name the watch ignores, then renamed, so no pass can read
/// it half-written.
fn place(path: &Path, text: &str) {
    let part = path.with_extension("part");
    std::fs::write(&part, text).unwrap();
    std::fs::rename(&part, path).unwrap();
}

/// A running `cost watch` and the JSON lines it printed.
struct Watch {
    child: Child,
    lines: Receiver<Value>,
    seen: Vec<Value>,
}

impl Watch {
    fn start(dir: &Path, args: &[&str]) -> Watch {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("cost"))
            .current_dir(dir)
            .env("COST_DATA_DIR", common::quiet_data_dir())
            .env("COST_NOW", "2026-11-15T12:00:00Z")
            .env("NO_COLOR", "1")
            .env_remove("COST_CONFIG")
            .env_remove("COST_DB")
            .args(["--db", "s.db", "--format", "json", "watch", "logs", "--interval", "1s"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let out = child.stdout.take().unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(out).lines() {
                let Ok(line) = line else { return };
                let v: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        Watch {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// The first line not read yet that `pick` accepts (lines before it are kept in `seen`).
    fn wait_for(&mut self, what: &str, pick: impl Fn(&Value) -> bool) -> Value {
        let until = Instant::now() + PATIENCE;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(v) => {
                    self.seen.push(v.clone());
                    if pick(&v) {
                        return v;
                    }
                }
                Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => {
                    panic!("no {what} line within {PATIENCE:?}; lines so far: {:#?}", self.seen)
                }
            }
        }
    }

    /// Sends `signal` and returns the exit code.
    fn stop(mut self, signal: &str) -> (Option<i32>, Vec<Value>) {
        let status = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let code = self.child.wait().unwrap().code();
        // Lines printed before it stopped.
        while let Ok(v) = self.lines.recv_timeout(Duration::from_secs(5)) {
            self.seen.push(v);
        }
        (code, self.seen)
    }
}

fn event(v: &Value) -> &str {
    v["event"].as_str().unwrap_or("")
}

#[test]
fn budget_alerts_come_once_as_a_team_passes_each_limit_and_sigint_exits_0() {
    let dir = common::project(&[("cost.toml", "[teams.support]\nmonthly_budget_usd = 0.02\n")]);
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    let log = logs.join("gw.jsonl");
    // Before the watch: one call on 2026-11-01, $0.0035 of the $0.02 budget (17.5%).
    append(&log, &call("r1", "support", "2026-11-01", ""));
    let mut w = Watch::start(dir.path(), &["--heartbeat", "1h"]);

    // The state at start: today (2026-11-15) has no spend yet.
    let beat = w.wait_for("heartbeat", |v| event(v) == "heartbeat");
    assert_eq!(beat["schema"], "cost.watch/v1");
    assert_eq!(beat["time"], "2026-11-15T12:00:00Z");
    assert_eq!(beat["today_usd"], 0.0);
    assert_eq!(beat["requests_today"], 0);

    // Four more calls: 5 × $0.0035 = $0.0175 = 87.5% of $0.02, past the soft limit (80%).
    let four: String = (2..=5)
        .map(|i| call(&format!("r{i}"), "support", "2026-11-01", ""))
        .collect();
    append(&log, &four);
    let soft = w.wait_for("budget", |v| event(v) == "budget");
    assert_eq!(soft["team"], "support");
    assert_eq!(soft["level"], "soft");
    assert_eq!(soft["limit_pct"], 80.0);
    assert_eq!(soft["pct"], 87.5);
    assert_eq!(soft["spent_usd"], 0.0175);
    assert_eq!(soft["budget_usd"], 0.02);
    assert_eq!(
        soft["message"],
        "support passed 80% of its $0.0200 budget for 2026-11: $0.0175 spent (87.5%)"
    );

    // A sixth call: $0.021 = 105%, past the hard limit.
    append(&log, &call("r6", "support", "2026-11-01", ""));
    let hard = w.wait_for("hard budget", |v| event(v) == "budget");
    assert_eq!(hard["level"], "hard");
    assert_eq!(hard["pct"], 105.0);
    assert_eq!(hard["spent_usd"], 0.021);

    let (code, seen) = w.stop("-INT");
    assert_eq!(code, Some(0));
    // Each limit once, and no other alert.
    let alerts: Vec<String> = seen
        .iter()
        .filter(|v| event(v) != "heartbeat")
        .map(|v| format!("{} {}", event(v), v["level"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(alerts, ["budget soft", "budget hard"]);
    // The store holds the six calls: 6 × $0.0035 = $0.021.
    let report = common::json(common::cost_in(dir.path()).args([
        "--db",
        "s.db",
        "--format",
        "json",
        "report",
        "--since",
        "2026-11-01",
    ]));
    assert_eq!(report["totals"]["requests"], 6);
    assert_eq!(report["totals"]["cost_usd"], 0.021);
}

#[test]
fn forecasts_anomalies_and_runaways_alert_and_exec_gets_each_alert_then_sigterm_exits_0() {
    let dir = common::project(&[("cost.toml", "[teams.support]\nmonthly_budget_usd = 0.05\n")]);
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    let mut w = Watch::start(dir.path(), &["--heartbeat", "0", "--exec", "cat >> alerts.jsonl"]);
    // An empty directory at start: nothing to say yet. Today, 2026-11-15, one support call:
    // $0.0035 spent, and a run-rate of $0.0035 a day for the 15 days left makes a forecast of
    // $0.0035 × 16 = $0.056, 112% of $0.05.
    place(&logs.join("a.jsonl"), &call("f1", "support", "2026-11-15", ""));
    let forecast = w.wait_for("forecast", |v| event(v) == "forecast");
    assert_eq!(forecast["team"], "support");
    assert_eq!(forecast["forecast_usd"], 0.056);
    assert_eq!(forecast["forecast_pct"], 112.0);
    assert_eq!(forecast["limit_pct"], 100.0);

    // Research spends $0.0035 a day for 14 days (2026-10-31 to 2026-11-13), then a day of
    // 1,000 calls ($3.50): a spike, (3.5 − 0.0035) ÷ $0.01 (the least deviation) = 349.65
    // deviations above the median, given to one place: 349.7.
    let mut history = call("h0", "research", "2026-10-31", "");
    for d in 1..=13 {
        history.push_str(&call(&format!("h{d}"), "research", &format!("2026-11-{d:02}"), ""));
    }
    for i in 0..1000 {
        history.push_str(&call(&format!("s{i}"), "research", "2026-11-14", ""));
    }
    place(&logs.join("b.jsonl"), &history);
    let spike = w.wait_for("team anomaly", |v| {
        event(v) == "anomaly" && v["anomaly"]["dimension"] == "team" && v["anomaly"]["key"] == "research"
    });
    assert_eq!(spike["anomaly"]["kind"], "spike");
    assert_eq!(spike["anomaly"]["date"], "2026-11-14");
    // The day: 1,000 × $0.0035 = $3.50 against a median of $0.0035.
    assert_eq!(spike["anomaly"]["after"], 3.5);
    assert_eq!(spike["anomaly"]["before"], 0.0035);
    assert_eq!(spike["anomaly"]["score"], 349.7);

    // Six failed calls in a row in one session: a retry loop.
    let failed: String = (0..6)
        .map(|i| {
            call(
                &format!("e{i}"),
                "ops",
                "2026-11-15",
                ",\"session_id\":\"run-7\",\"status\":\"error\"",
            )
        })
        .collect();
    place(&logs.join("c.jsonl"), &failed);
    let runaway = w.wait_for("runaway", |v| event(v) == "runaway");
    assert_eq!(runaway["run"]["session"], "run-7");
    assert_eq!(runaway["run"]["causes"], serde_json::json!(["retry_loop"]));

    let (code, seen) = w.stop("-TERM");
    assert_eq!(code, Some(0));
    // --exec got every alert printed, as the same JSON, one a line.
    let alerts: Vec<&Value> = seen.iter().filter(|v| event(v) != "heartbeat").collect();
    assert!(
        seen.iter().all(|v| event(v) != "heartbeat"),
        "--heartbeat 0 prints none"
    );
    let until = Instant::now() + PATIENCE;
    let got = loop {
        let text = std::fs::read_to_string(dir.path().join("alerts.jsonl")).unwrap_or_default();
        let got: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        if got.len() >= alerts.len() || Instant::now() > until {
            break got;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(got.len(), alerts.len());
    for a in alerts {
        assert!(got.contains(a), "{a} not given to --exec");
    }
}

#[test]
fn watch_refuses_csv_and_a_missing_path() {
    let dir = common::project(&[]);
    let (code, err) = common::fails(common::cost_in(dir.path()).args(["--format", "csv", "watch", "."]));
    assert_eq!(code, 2);
    assert!(
        err.contains("`cost watch` prints lines of text, or JSON lines with --format json"),
        "{err}"
    );
    let (code, err) = common::fails(common::cost_in(dir.path()).args(["watch", "nowhere"]));
    assert_eq!(code, 2);
    assert!(err.contains("nowhere"), "{err}");
}

#[test]
fn dashboard_watch_imports_the_logs_before_a_snapshot() {
    let dir = common::project(&[]);
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    let calls: String = (1..=3)
        .map(|i| call(&format!("d{i}"), "support", "2026-11-01", ""))
        .collect();
    append(&logs.join("gw.jsonl"), &calls);
    // No store yet: --watch creates it and imports the three calls, 3 × $0.0035 = $0.0105.
    let text = common::stdout(common::cost_in(dir.path()).args([
        "--db",
        "s.db",
        "dashboard",
        "--watch",
        "logs",
        "--snapshot",
        "overview",
        "--size",
        "100x20",
    ]));
    let spend = text
        .lines()
        .find(|l| l.trim_start().starts_with("Spend"))
        .unwrap_or_default();
    assert_eq!(
        spend.split_whitespace().collect::<Vec<_>>(),
        ["Spend", "$0.0105", "3", "requests"],
        "{text}"
    );
}
