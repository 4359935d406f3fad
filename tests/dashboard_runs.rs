//! `cost dashboard` on the unit of work (DESIGN §13): the Runs view, a run's calls, the cost
//! per run in Teams and Templates, a team's drill-down by template, model and tag, and the
//! Cache view by team — through the real binary's `--snapshot` (the event loop on ratatui's
//! TestBackend, keys replayed through the keymap), and once in tmux. Also what a FinOps lead
//! tripped over: Budgets at 80 columns, `forecast over`, lists that say `… N more` while rows
//! stay empty.
//!
//! The runs store (November 2026, "now" = Nov 20; prices from the shipped table: gpt-4o
//! $2.50 / M input = 2,500 nano-USD a token and $10 / M output = 10,000; gpt-4o-mini $0.15 / M
//! input = 150 and $0.60 / M output = 600):
//!
//! | run            | team    | template     | model       | calls | input of call k | out   | cost    |
//! |----------------|---------|--------------|-------------|-------|-----------------|-------|---------|
//! | fix-1 … fix-5  | agents  | agent/fix    | gpt-4o      | 4     | 10,000 × k      | 500   | $0.27   |
//! | fix-big        | agents  | agent/fix    | gpt-4o      | 25    | 10,000 × k      | 500   | $8.25   |
//! | review-1 … -4  | agents  | agent/review | gpt-4o-mini | 2     | 16,000          | 1,000 | $0.006  |
//! | chat-1 … -3    | support | support/chat | gpt-4o      | 3     | 2,000           | 100   | $0.018  |
//! | chat-retry     | support | support/chat | gpt-4o      | 7     | 2,000           | 100   | $0.042  |
//!
//! - A fix call k costs 10,000k × 2,500 + 500 × 10,000 = 25,000,000k + 5,000,000 nano-USD: a
//!   4-call run 25,000,000 × (1+2+3+4) + 4 × 5,000,000 = 270,000,000 ($0.27); fix-big
//!   25,000,000 × 325 + 25 × 5,000,000 = 8,250,000,000 ($8.25), its input growing from 10,000
//!   to 250,000 (×25.0).
//! - A review call: 16,000 × 150 + 1,000 × 600 = 3,000,000 ($0.003), a run $0.006.
//! - A chat call: 2,000 × 2,500 + 100 × 10,000 = 6,000,000 ($0.006); chat-retry's calls 2–6
//!   fail (five in a row: a retry loop).
//! - Tags: agent/fix calls `feature=autofix env=prod`, agent/review `feature=review
//!   env=staging`, support/chat `feature=chat` (no env).
//!
//! Totals: agent/fix 5 × $0.27 + $8.25 = $9.60, agent/review $0.024, agents $9.624,
//! support/chat 3 × $0.018 + $0.042 = $0.096; $9.72 over 69 calls.

mod common;
use common::store::{Call, Calls, cost_at, imported_calls};
use common::*;

const NOW: &str = "2026-11-20T12:00:00Z";

/// The calls of the runs store (also `tests/fixtures/runs/agent-runs.jsonl`, which the docs use).
fn corpus() -> Calls {
    let mut calls = Calls::new();
    let mut run = |day: u32, hour: u32, session: &str, kind: &str, n: u64, every_s: u64| {
        for k in 1..=n {
            let s = (k - 1) * every_s;
            let at = format!("2026-11-{day:02}T{hour:02}:{:02}:{:02}Z", s / 60, s % 60);
            let (team, template, model, input, output, tags): (_, _, _, _, _, &[(&str, &str)]) = match kind {
                "fix" => (
                    "agents",
                    "agent/fix",
                    "gpt-4o",
                    10_000 * k,
                    500,
                    &[("feature", "autofix"), ("env", "prod")],
                ),
                "review" => (
                    "agents",
                    "agent/review",
                    "gpt-4o-mini",
                    16_000,
                    1_000,
                    &[("feature", "review"), ("env", "staging")],
                ),
                _ => ("support", "support/chat", "gpt-4o", 2_000, 100, &[("feature", "chat")]),
            };
            let failed = session == "chat-retry" && (2..=6).contains(&k);
            calls.add(Call {
                at: &at,
                session,
                team,
                template,
                model,
                input,
                output,
                status: if failed { "error" } else { "ok" },
                tags,
            });
        }
    };
    for i in 1..=5 {
        run(1 + i, 9, &format!("fix-{i}"), "fix", 4, 10);
    }
    run(10, 14, "fix-big", "fix", 25, 20);
    for i in 1..=4 {
        run(2 + i, 11, &format!("review-{i}"), "review", 2, 30);
    }
    for i in 1..=3 {
        run(3 + i, 15, &format!("chat-{i}"), "chat", 3, 5);
    }
    run(12, 16, "chat-retry", "chat", 7, 2);
    calls
}

fn runs_store() -> tempfile::TempDir {
    imported_calls("", &corpus())
}

/// The checked-in fixture the docs import is this store's corpus, line for line.
#[test]
fn the_fixture_is_the_corpus() {
    let fixture = std::fs::read_to_string(repo().join("tests/fixtures/runs/agent-runs.jsonl")).unwrap();
    assert_eq!(fixture, corpus().jsonl());
    assert_eq!(fixture.lines().count(), 69);
}

fn snapshot(dir: &tempfile::TempDir, view: &str, size: &str, keys: &str) -> String {
    let mut cmd = cost_at(dir, NOW);
    cmd.args(["dashboard", "--snapshot", view, "--size", size]);
    if !keys.is_empty() {
        cmd.args(["--keys", keys]);
    }
    stdout(&mut cmd)
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

/// Every line of `text` that contains `what`.
fn with<'t>(text: &'t str, what: &str) -> Vec<&'t str> {
    text.lines().filter(|l| l.contains(what)).collect()
}

#[test]
fn runs_view_lists_runs_the_spread_per_template_and_the_runaways() {
    let dir = runs_store();
    for size in ["80x24", "160x48"] {
        let text = snapshot(&dir, "runs", size, "");
        let (w, h) = size.split_once('x').unwrap();
        assert_eq!(text.lines().count(), h.parse::<usize>().unwrap(), "{size}");
        assert!(text.lines().all(|l| l.chars().count() <= w.parse().unwrap()), "{size}");
        insta::assert_snapshot!(format!("runs_store_runs_{size}"), text);
    }
    for (view, keys) in [
        ("runs", ""),
        ("runs", "enter"),
        ("teams", ""),
        ("templates", ""),
        ("teams", "enter enter"),
    ] {
        words_are_whole(
            &snapshot(&dir, view, "80x24", keys),
            &snapshot(&dir, view, "160x48", keys),
        );
    }
    let text = snapshot(&dir, "runs", "160x48", "");
    let l = lines(&text);
    assert_eq!(l[2], " Runs (14)  sort: cost", "{text}");
    // Largest first: fix-big $8.25 (calls and cost runaway), the five $0.27 fix runs, then
    // chat-retry $0.042 (its retry loop), each with its growth: 250,000 ÷ 10,000 = ×25.0,
    // 40,000 ÷ 10,000 = ×4.0; fix-big's 25 calls 20 s apart last 8 minutes.
    assert_eq!(
        l[3],
        " Session     Template      Team     Start (UTC)  Calls  Duration  Growth  Errors     Cost  Runaway"
    );
    assert_eq!(
        l[4],
        " fix-big     agent/fix     agents   11-10 14:00     25    8m 00s   ×25.0       0  $8.2500  calls, cost"
    );
    assert_eq!(
        l[5],
        " fix-1       agent/fix     agents   11-02 09:00      4       30s    ×4.0       0  $0.2700"
    );
    assert_eq!(
        l[10],
        " chat-retry  support/chat  support  11-12 16:00      7       12s    ×1.0       5  $0.0420  retry loop"
    );
    // Cost per run by template, nearest rank over the sorted costs:
    // - agent/fix: [0.27 × 5, 8.25], mean $9.60 ÷ 6 = $1.60, p50 = the 3rd = $0.27, p90 =
    //   the ceil(5.4) = 6th = $8.25, p99 the 6th, max $8.25; calls [4 × 5, 25]: p90 25.
    // - support/chat: [0.018 × 3, 0.042], mean $0.096 ÷ 4 = $0.024, p50 the 2nd $0.018, p90
    //   the ceil(3.6) = 4th $0.042; calls [3, 3, 3, 7]: p90 7.
    // - agent/review: four runs of $0.006 and 2 calls.
    let spread: Vec<&str> = l
        .iter()
        .skip_while(|x| !x.contains("Cost per run by template"))
        .copied()
        .collect();
    let cells = |line: &str| line.split_whitespace().take(8).collect::<Vec<_>>().join(" ");
    assert_eq!(cells(spread[1]), "Template Runs Mean p50 p90 p99 Max p90", "{text}");
    assert_eq!(
        cells(spread[2]),
        "agent/fix 6 $1.6000 $0.2700 $8.2500 $8.2500 $8.2500 25"
    );
    assert_eq!(
        cells(spread[3]),
        "support/chat 4 $0.0240 $0.0180 $0.0420 $0.0420 $0.0420 7"
    );
    assert_eq!(
        cells(spread[4]),
        "agent/review 4 $0.0060 $0.0060 $0.0060 $0.0060 $0.0060 2"
    );
    // The runaways: fix-big passes 5× the p90 of its template's other runs (4 calls, $0.27)
    // in calls (25 ≥ 20) and cost ($8.25 ≥ $1); chat-retry failed five calls in a row.
    assert!(text.contains("Runaway runs (2)"), "{text}");
    assert!(
        text.contains("fix-big · agent/fix · 25 calls · $8.2500: 25 calls, over 5× the"),
        "{text}"
    );
    assert!(
        text.contains("chat-retry · support/chat · 7 calls · $0.0420: a retry loop of 5"),
        "{text}"
    );
    // The same figures as `cost runs --per template`.
    let v = json(cost_at(&dir, NOW).args(["runs", "--per", "template", "--format", "json"]));
    let fix = v["by_template"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "agent/fix")
        .unwrap();
    assert_eq!(fix["mean_usd"].as_f64(), Some(1.6));
    assert_eq!(fix["p90_usd"].as_f64(), Some(8.25));
    // The filter finds runs by template and runaways by the word.
    let filtered = snapshot(&dir, "runs", "120x40", "/ r u n a w a y enter");
    assert!(filtered.contains(" Runs (2 of 14)"), "{filtered}");
}

#[test]
fn enter_on_a_run_shows_its_calls_with_the_input_growing() {
    let dir = runs_store();
    let text = snapshot(&dir, "runs", "120x40", "enter");
    insta::assert_snapshot!("runs_store_run_fix_big_120x40", text);
    let l = lines(&text);
    assert_eq!(
        l[2],
        " Runs › fix-big  agent/fix · agents · 25 calls · $8.2500 · input ×25.0  (Esc back · o: the template)"
    );
    assert!(
        l[3].starts_with(" Runaway: 25 calls, over 5× the template's p90 of 4;"),
        "{text}"
    );
    assert_eq!(l[5], " Input tokens per call  10,000 on call 1, 250,000 on call 25");
    // One bar per call, growing: the top row of the chart holds only the last calls' bars,
    // the bottom row all 25.
    let chart: Vec<&str> = l[6..].iter().take_while(|x| !x.contains("call 1")).copied().collect();
    let bars_in = |row: &str| row.split_whitespace().count();
    assert!(bars_in(chart[0]) < 5, "{text}");
    assert_eq!(bars_in(chart[chart.len() - 1]), 25, "{text}");
    // Call k: 10,000k input tokens and 500 output: 25,000,000k + 5,000,000 nano-USD, so
    // call 1 $0.0300, call 2 $0.0550, call 25 $0.6300 (at 8 minutes).
    let row = |n: &str| {
        l.iter()
            .find(|x| x.split_whitespace().next() == Some(n) && x.contains("gpt-4o"))
            .map(|x| x.split_whitespace().collect::<Vec<_>>().join(" "))
    };
    assert_eq!(row("1").as_deref(), Some("1 14:00:00 0s gpt-4o 10,000 500 $0.0300 ok"));
    assert_eq!(row("2").as_deref(), Some("2 14:00:20 20s gpt-4o 20,000 500 $0.0550 ok"));
    let last = snapshot(&dir, "runs", "120x40", "enter G");
    let l = lines(&last);
    let row25 = l.iter().find(|x| x.starts_with(" 25 ")).unwrap();
    assert_eq!(
        row25.split_whitespace().collect::<Vec<_>>().join(" "),
        "25 14:08:00 8m 00s gpt-4o 250,000 500 $0.6300 ok"
    );
    // chat-retry: calls 2–6 failed, marked under the chart and in the table.
    let retry = snapshot(&dir, "runs", "120x40", "/ r e t r y enter enter");
    assert!(
        retry.contains(" Runs › chat-retry  support/chat · support · 7 calls"),
        "{retry}"
    );
    assert!(retry.contains("Input tokens per call  2,000 on call 1, 2,000 on call 7   ▲ failed call"));
    assert_eq!(with(&retry, " error").len(), 5, "{retry}");
    // Esc: back on the list, the run still selected; o: its template.
    let back = snapshot(&dir, "runs", "120x40", "enter esc");
    assert!(back.contains(" Runs (14)  sort: cost"), "{back}");
    let template = snapshot(&dir, "runs", "120x40", "enter o");
    assert!(
        template.contains(" agent/fix  $0.213333 per call over 45 requests"),
        "{template}"
    );
}

#[test]
fn teams_and_templates_show_the_cost_per_run() {
    let dir = runs_store();
    // agents: fix $9.60 + review $0.024 = $9.624 over 10 runs = $0.9624 a run; support:
    // $0.096 over 4 runs = $0.024.
    let teams = snapshot(&dir, "teams", "120x40", "");
    let l = lines(&teams);
    assert_eq!(
        l[3],
        " Team        Spend   Share  Δ prev  Budget  Forecast  Cache hit  Requests  Unpriced  Cost/run"
    );
    assert_eq!(
        l[4],
        " agents    $9.6240   99.0%       –       –         –       0.0%        53         0   $0.9624"
    );
    assert_eq!(
        l[5],
        " support   $0.0960    1.0%       –       –         –       0.0%        16         0   $0.0240"
    );
    // agent/fix $9.60 over 6 runs = $1.60; agent/review $0.024 over 4 = $0.006.
    let templates = snapshot(&dir, "templates", "120x40", "");
    let rows: Vec<String> = lines(&templates)[3..7]
        .iter()
        .map(|x| x.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        rows,
        [
            "Template Requests Spend Cost/call Δ/call Cache hit Cost/run",
            "agent/fix 45 $9.6000 $0.213333 – 0.0% $1.6000",
            "support/chat 16 $0.0960 $0.006000 – 0.0% $0.0240",
            "agent/review 8 $0.0240 $0.003000 – 0.0% $0.0060",
        ]
    );
    // Sorted by cost per run (s five times: spend, cost/call, Δ, requests, cost/run).
    let sorted = snapshot(&dir, "templates", "120x40", "s s s s");
    assert!(sorted.contains("sort: cost/run"), "{sorted}");
    let order: Vec<&str> = lines(&sorted)[4..7]
        .iter()
        .filter_map(|x| x.split_whitespace().next())
        .collect();
    assert_eq!(order, ["agent/fix", "support/chat", "agent/review"]);
}

#[test]
fn drill_team_template_model_and_tags_by_keys() {
    let dir = runs_store();
    // Teams → Enter: agents by template; its models under them.
    let team = snapshot(&dir, "teams", "120x40", "enter");
    let l = lines(&team);
    assert_eq!(l[2], " Teams › agents  $9.6240 · 53 requests  (Esc back)");
    assert_eq!(
        l[3],
        " By:  [template]  model  tag:env  tag:feature   d: next · Enter: deeper · o: open"
    );
    assert!(l[6].starts_with(" agent/fix           45  $9.6000  99.8%"), "{team}");
    assert!(l[7].starts_with(" agent/review         8  $0.0240   0.2%"), "{team}");
    // → Enter on agent/fix: its models (team → template → model).
    let template = snapshot(&dir, "teams", "120x40", "enter enter");
    insta::assert_snapshot!("runs_store_drill_template_120x40", template);
    let l = lines(&template);
    assert_eq!(l[2], " Teams › agents › agent/fix  $9.6000 · 45 requests  (Esc back)");
    assert_eq!(l[5].split_whitespace().next(), Some("Model"));
    assert!(l[6].starts_with(" gpt-4o          45  $9.6000  100.0%"), "{template}");
    // → Enter on gpt-4o: what is left, its tags.
    let model = snapshot(&dir, "teams", "120x40", "enter enter enter");
    assert_eq!(
        lines(&model)[2],
        " Teams › agents › agent/fix › gpt-4o  $9.6000 · 45 requests  (Esc back)"
    );
    assert!(model.contains(" prod            45  $9.6000  100.0%"), "{model}");
    // o on the model opens the Models view; Esc comes back.
    let opened = snapshot(&dir, "teams", "120x40", "enter enter o");
    assert!(opened.contains(" Models (2)  sort: spend"), "{opened}");
    let back = snapshot(&dir, "teams", "120x40", "enter enter o esc");
    assert_eq!(lines(&back)[2], lines(&template)[2]);
    // d d: agents by tag:env — prod $9.60 (fix), staging $0.024 (review); every request once.
    let env = snapshot(&dir, "teams", "120x40", "enter d d");
    let l = lines(&env);
    assert_eq!(
        l[3],
        " By:  template  model  [tag:env]  tag:feature   d: next · Enter: deeper"
    );
    assert!(l[6].starts_with(" prod            45  $9.6000  99.8%"), "{env}");
    assert!(l[7].starts_with(" staging          8  $0.0240   0.2%"), "{env}");
    // support has no env tag: its spend is under (none), not lost.
    let support = snapshot(&dir, "teams", "120x40", "j enter d d");
    assert!(support.contains(" (none)          16  $0.0960  100.0%"), "{support}");
    // Esc climbs back one level at a time, then to the team list.
    let up = snapshot(&dir, "teams", "120x40", "enter enter esc");
    assert_eq!(lines(&up)[2], " Teams › agents  $9.6240 · 53 requests  (Esc back)");
    let out = snapshot(&dir, "teams", "120x40", "enter enter esc esc");
    assert_eq!(lines(&out)[2], " Teams (2)  sort: spend");
}

#[test]
fn cache_breaks_down_by_team() {
    let dir = runs_store();
    let text = snapshot(&dir, "cache", "120x40", "d");
    assert!(text.contains(" By team (2)  sort: net savings"), "{text}");
    // No cached tokens in this store: 0.0% and $0 savings, per team with its requests.
    assert!(
        text.contains(" agents          53       0.0%         0.0%  $0.0000  $0.0000  $0.0000"),
        "{text}"
    );
    // Enter on a team opens its drill-down.
    let team = snapshot(&dir, "cache", "120x40", "d enter");
    assert!(team.contains(" Teams › agents  $9.6240"), "{team}");
}

/// The real terminal: tmux runs the dashboard at 160×45; `9` opens the Runs view, Enter the
/// first run's calls, Esc goes back, q quits and the screen comes back.
#[test]
fn tmux_runs_view() {
    if std::process::Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("skipped: tmux is not installed");
        return;
    }
    let dir = runs_store();
    let bin = assert_cmd::cargo::cargo_bin("cost");
    let socket = format!("cost-runs-{}", std::process::id());
    // The tmux server goes away even when an assertion fails.
    struct Server(String);
    impl Drop for Server {
        fn drop(&mut self) {
            let _ = std::process::Command::new("tmux")
                .args(["-L", &self.0, "kill-server"])
                .output();
        }
    }
    let _server = Server(socket.clone());
    let tmux = |args: &[&str]| {
        std::process::Command::new("tmux")
            .args(["-L", &socket])
            .args(args)
            .output()
            .unwrap()
    };
    let capture = || String::from_utf8_lossy(&tmux(&["capture-pane", "-p", "-t", "runs"]).stdout).to_string();
    let wait_for = |what: &str| {
        for _ in 0..200 {
            let screen = capture();
            if screen.contains(what) {
                return screen;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("`{what}` never showed:\n{}", capture());
    };
    let command = format!(
        "cd '{}' && env NO_COLOR=1 COST_NOW={NOW} COST_DB='{}' '{}' dashboard; echo \"EXITED $?\"; sleep 30",
        dir.path().display(),
        dir.path().join("s.db").display(),
        bin.display()
    );
    let keep = tmux(&["new-session", "-d", "-s", "keep", "sleep 600"]);
    assert!(keep.status.success(), "{}", String::from_utf8_lossy(&keep.stderr));
    let out = tmux(&["new-session", "-d", "-s", "runs", "-x", "160", "-y", "45", &command]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    wait_for("Spend ");
    tmux(&["send-keys", "-t", "runs", "9"]);
    let list = wait_for("Runaway runs (2)");
    assert!(list.contains(" Runs (14)"), "{list}");
    tmux(&["send-keys", "-t", "runs", "Enter"]);
    // The calls of fix-big, read from the store when Enter was pressed: call 1 $0.0300.
    let run = wait_for("$0.0300  ok");
    assert!(run.contains(" Runs › fix-big"), "{run}");
    assert!(
        run.contains("Input tokens per call  10,000 on call 1, 250,000 on call 25"),
        "{run}"
    );
    tmux(&["send-keys", "-t", "runs", "Escape"]);
    wait_for("Cost per run by template");
    tmux(&["send-keys", "-t", "runs", "q"]);
    let after = wait_for("EXITED 0");
    assert!(!after.contains("cost dashboard │"), "{after}");
}
