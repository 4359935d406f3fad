//! `cost dashboard` through the real binary: every view rendered by `--snapshot` (the event
//! loop on ratatui's TestBackend, keys replayed through the keymap) at 80×24 and 160×48 on a
//! hand-made store, the figures checked against `cost report`/`budget`/`showback`, and once
//! end to end in tmux.
//!
//! The store (October 2026, "now" = Oct 20, so the month runs Oct 1–20; prices pinned in the
//! test's cost.toml: unit-model $1 per million input tokens and $0.10 per million cache reads,
//! premium-model $10 per million input tokens, no output price):
//! - growth, template growth/welcome, unit-model: 5,000,000 input tokens a day = $5/day,
//!   Oct 1–20 → $100.00; September $4/day → Sep 1–20 $80.00, so Δ prev = +25.0%.
//! - support, template support/answer, unit-model: 3,000,000 input + 20,000,000 cache-read
//!   tokens a day = $3 + $2 = $5/day → $100.00; September the same → Δ 0.0%.
//!   One more call on Oct 5 to mystery-model: unpriced, counted, never $0.
//! - search, template search/rank, premium-model: 200,000 tokens = $2/day, except Oct 18:
//!   4,000,000 tokens = $40 (a spike) → 19 × $2 + $40 = $78.00; nothing in September (new).
//! - Total $278.00 over 61 requests (+1 unpriced).

mod common;
use common::store::{Row, Usage, cost_at, imported, run_json};
use common::*;

const CONFIG: &str = r#"
[prices."unit-model"]
input = 1.0
output = 0.0
cache_read = 0.1
provider = "openai"

[prices."premium-model"]
input = 10.0
output = 0.0
provider = "anthropic"

[teams.growth]
monthly_budget_usd = 100

[teams.support]
monthly_budget_usd = 1000
soft_pct = 70

[[commitments]]
name = "unit-reserved"
model = "unit-model"
monthly_usd = 1000
"#;

const NOW: &str = "2026-10-20T12:00:00Z";

fn store() -> tempfile::TempDir {
    let mut usage = Usage::new();
    let mut row = |day: &str, team, template, model, input, cache_read| {
        usage.add(Row {
            day,
            team,
            template,
            model,
            input,
            cache_read,
            ..Row::default()
        });
    };
    for d in 1..=30 {
        let day = format!("2026-09-{d:02}");
        row(&day, "growth", "growth/welcome", "unit-model", 4_000_000, 0);
        row(&day, "support", "support/answer", "unit-model", 3_000_000, 20_000_000);
    }
    for d in 1..=20 {
        let day = format!("2026-10-{d:02}");
        row(&day, "growth", "growth/welcome", "unit-model", 5_000_000, 0);
        row(&day, "support", "support/answer", "unit-model", 3_000_000, 20_000_000);
        let search = if d == 18 { 4_000_000 } else { 200_000 };
        row(&day, "search", "search/rank", "premium-model", search, 0);
    }
    row("2026-10-05", "support", "support/answer", "mystery-model", 1_000, 0);
    imported(CONFIG, &usage, &[])
}

fn snapshot(dir: &tempfile::TempDir, view: &str, size: &str, keys: &str) -> String {
    let mut cmd = cost_at(dir, NOW);
    cmd.args(["dashboard", "--snapshot", view, "--size", size]);
    if !keys.is_empty() {
        cmd.args(["--keys", keys]);
    }
    stdout(&mut cmd)
}

#[test]
fn every_view_at_80x24_and_160x48() {
    let dir = store();
    for view in [
        "overview",
        "teams",
        "templates",
        "models",
        "cache",
        "budgets",
        "commitments",
        "anomalies",
        "runs",
    ] {
        for size in ["80x24", "160x48"] {
            let text = snapshot(&dir, view, size, "");
            let (w, h) = size.split_once('x').unwrap();
            let (w, h): (usize, usize) = (w.parse().unwrap(), h.parse().unwrap());
            assert_eq!(text.lines().count(), h, "{view} {size}: one line per row");
            assert!(
                text.lines().all(|l| l.chars().count() <= w),
                "{view} {size}: nothing past the edge"
            );
            insta::assert_snapshot!(format!("{view}_{size}"), text);
        }
        words_are_whole(&snapshot(&dir, view, "80x24", ""), &snapshot(&dir, view, "160x48", ""));
    }
}

#[test]
fn the_figures_are_the_cli_figures() {
    let dir = store();
    let overview = snapshot(&dir, "overview", "120x40", "");
    // Spend $278.00 = $100 + $100 + $78; the unpriced mystery-model call is shown, not $0.
    assert!(overview.contains("Spend         $278.00   61 requests"), "{overview}");
    assert!(
        overview.contains("1 request not in the figures: price its model under [prices]"),
        "{overview}"
    );
    // Budget burn: growth $100 + support $100 of $1,100 = 18.2%; growth is at its hard limit.
    assert!(
        overview.contains("18.2% of $1,100.00 across 2 teams; 1 over hard, 0 over soft"),
        "{overview}"
    );
    // Peak day: Oct 18 = $5 + $5 + $40 = $50.
    assert!(overview.contains("peak $50.0000 on 2026-10-18"), "{overview}");
    let report = json(cost_at(&dir, NOW).args(["report", "--by", "team", "--format", "json"]));
    assert_eq!(report["totals"]["cost_usd"].as_f64().unwrap(), 278.0);

    // growth's forecast is the one `cost budget` makes: $100 spent, then the run-rate of $5/day
    // (the mean of the last 14 days) over the 11 days left (Oct 21–31: two Wednesdays, nine
    // other days), shaped by weekday factors from the last 28 days (Sep 23–Oct 20, a mean of
    // ($4 × 8 + $5 × 20) ÷ 28 = $132/28 a day). Wednesdays there are Sep 23, Sep 30 ($4) and
    // Oct 7, Oct 14 ($5): mean $4.50; every other weekday has one $4 day and three $5 days:
    // mean $4.75. Forecast = $100 + $5 × (2 × 4.50 + 9 × 4.75) × 28/132 = $100 + $7,245/132
    // = $154.886…, 154.886…% of the $100 budget.
    let (code, budget) = run_json(&dir, NOW, &["budget"]);
    assert_eq!(code, 1, "growth is at its hard limit");
    let growth = budget["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["team"] == "growth")
        .unwrap();
    let forecast = 100.0 + 7245.0 / 132.0;
    assert!(
        (growth["forecast_usd"].as_f64().unwrap() - forecast).abs() < 1e-9,
        "{growth}"
    );
    assert!(
        (growth["forecast_pct"].as_f64().unwrap() - forecast).abs() < 1e-9,
        "{growth}"
    );

    // The teams view, line by line. Shares of $278: $100 = 36.0%, $78 = 28.1%. Δ prev against
    // Sep 1–20: growth $80 → $100 = +25.0%, support $100 → $100 = +0.0%, search new, the total
    // $180 → $278 = +54.4%. Budget: growth 100.0% of $100, support 10.0% of $1,000; forecast
    // growth 154.9% (above), support $100 + $5 × 11 = $155 = 15.5% (its days are all $5: every
    // weekday factor is 1). Cache hit: support 400M reads ÷ (60M + 400M + 1,000) = 87.0%; the
    // total 400M ÷ (100M + 460,001,000 + 7.8M) = 70.4%. Requests: support 20 + the unpriced
    // mystery-model call = 21, which also wins the $100 tie against growth's 20.
    let teams = snapshot(&dir, "teams", "120x40", "");
    let rows: Vec<&str> = teams.lines().skip(3).take(5).collect();
    assert_eq!(
        rows,
        [
            " Team        Spend   Share  Δ prev  Budget  Forecast  Cache hit  Requests  Unpriced",
            " support   $100.00   36.0%   +0.0%   10.0%     15.5%      87.0%        21         1",
            " growth    $100.00   36.0%  +25.0%  100.0%    154.9%       0.0%        20         0",
            " search     $78.00   28.1%     new       –         –       0.0%        20         0",
            " Total     $278.00  100.0%  +54.4%                        70.4%        61         1",
        ],
        "{teams}"
    );

    let commitments = snapshot(&dir, "commitments", "120x40", "");
    // unit-reserved: $1,000 × 20/31 days = $645.16 committed; consumed $200 (growth + support
    // on unit-model) = 31.0%; idle $445.16.
    assert!(commitments.contains("31.0%"), "{commitments}");
    assert!(
        commitments.contains("$645.16") && commitments.contains("$445.16"),
        "{commitments}"
    );

    let anomalies = snapshot(&dir, "anomalies", "160x48", "");
    // Oct 18: search spends $40 against a $2 median: +$38.00 that day, for the team, the
    // template and the model.
    for what in ["team search", "template search/rank", "model premium-model"] {
        let l = anomalies
            .lines()
            .find(|l| l.contains(what) && l.contains("spike"))
            .unwrap_or_else(|| panic!("{what}: {anomalies}"));
        assert!(l.contains("2026-10-18") && l.contains("+$38.00 that day"), "{l}");
    }
}

#[test]
fn keys_drill_filter_sort_and_move_through_months() {
    let dir = store();
    // Teams → Enter on the first row: support (support and growth tie at $100; as in
    // `cost report`, the tie goes to more requests, 21 against 20).
    let drilled = snapshot(&dir, "teams", "100x30", "enter");
    assert!(drilled.contains("Teams › support"), "{drilled}");
    assert!(
        drilled.contains("support/answer") && drilled.contains("mystery-model"),
        "{drilled}"
    );
    assert!(
        !drilled.contains("growth/welcome"),
        "only the team's own templates: {drilled}"
    );
    insta::assert_snapshot!("teams_drill_100x30", drilled);
    // Esc comes back with the team still selected.
    let back = snapshot(&dir, "teams", "100x30", "enter esc");
    assert!(back.contains(" Teams (3)"), "{back}");
    // A filter, kept with Enter.
    let filtered = snapshot(&dir, "templates", "100x30", "/ r a n k enter");
    assert!(
        filtered.contains("Templates (1 of 3)") && filtered.contains("filter: \"rank\""),
        "{filtered}"
    );
    // A script may end with the prompt open: the snapshot shows it and still exits.
    let typing = snapshot(&dir, "templates", "100x30", "/ s e");
    assert!(
        typing.contains(" / se█") && typing.contains("Templates (1 of 3)"),
        "{typing}"
    );
    // Sort by name.
    let by_name = snapshot(&dir, "models", "100x30", "s s s s");
    assert!(by_name.contains("sort: name"), "{by_name}");
    let order: Vec<&str> = by_name
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| w.ends_with("-model"))
        .collect();
    assert_eq!(order, ["mystery-model", "premium-model", "unit-model"]);
    // [ goes to September: the whole month, growth $120.00, support $150.00.
    let september = snapshot(&dir, "teams", "100x30", "[");
    assert!(september.contains("2026-09 (Sep 1–30, UTC)"), "{september}");
    assert!(
        september.contains("$120.00") && september.contains("$150.00"),
        "{september}"
    );
    // Enter on an anomaly opens what it is about. The first row (sort: newest) is the change point of search/rank on Oct 18: its template, selected with its detail
    // ($78 over 20 calls = $3.90 a call).
    let jumped = snapshot(&dir, "anomalies", "100x30", "enter");
    let lines: Vec<&str> = jumped.lines().collect();
    assert_eq!(lines[2], " Templates (3)  sort: spend", "{jumped}");
    assert!(
        lines.contains(&" search/rank  $3.900000 per call over 20 requests"),
        "{jumped}"
    );
    // The second row, the spike of team search, opens the team.
    let jumped = snapshot(&dir, "anomalies", "100x30", "j enter");
    assert_eq!(
        jumped.lines().nth(2),
        Some(" Teams › search  $78.0000 · 20 requests  (Esc back)"),
        "{jumped}"
    );
    // The help overlay lists the keymap.
    let help = snapshot(&dir, "overview", "100x30", "?");
    assert!(
        help.contains("cycle the sort order") && help.contains("previous / next month"),
        "{help}"
    );
}

#[test]
fn an_empty_store_shows_how_to_start() {
    let dir = project(&[("cost.toml", "")]);
    let text = snapshot(&dir, "overview", "100x30", "");
    assert!(text.contains("No usage imported yet."), "{text}");
    // The store does not exist yet: said so, and the hint imports into that very store.
    assert!(text.contains("There is no store at s.db yet."), "{text}");
    assert!(text.contains("cost import --db s.db logs/*.jsonl"), "{text}");
    insta::assert_snapshot!("empty_store_100x30", text);
}

#[test]
fn bad_invocations_exit_2() {
    let dir = store();
    let run = |args: &[&str]| fails(cost_at(&dir, NOW).args(args));
    // No terminal and no --snapshot.
    let (code, err) = run(&["dashboard"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("needs a terminal") && err.contains("--snapshot overview"),
        "{err}"
    );
    let (code, err) = run(&["dashboard", "--snapshot", "teems"]);
    assert_eq!(code, 2);
    assert!(err.contains("teams"), "{err}");
    let (code, err) = run(&["dashboard", "--snapshot", "teams", "--size", "20x5"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("20x5 is too small: the dashboard needs at least 40x6"),
        "{err}"
    );
    let (code, err) = run(&["dashboard", "--snapshot", "teams", "--format", "json"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--format does not apply") && err.contains("cost report"),
        "{err}"
    );
    let (code, err) = run(&["dashboard", "--snapshot", "teams", "--keys", "enter jump"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown key `jump`"), "{err}");
    let (code, err) = run(&["dashboard", "--month", "2026-12"]);
    assert_eq!(code, 2);
    assert!(err.contains("has not started"), "{err}");
}

/// The real terminal: tmux runs the dashboard at 120×40; keys switch views, drill into a team
/// and quit; the screen must come back (alternate screen off, the shell's output visible).
#[test]
fn tmux_end_to_end() {
    if std::process::Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("skipped: tmux is not installed");
        return;
    }
    let dir = store();
    let bin = assert_cmd::cargo::cargo_bin("cost");
    let socket = format!("cost-test-{}", std::process::id());
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
    let capture = || String::from_utf8_lossy(&tmux(&["capture-pane", "-p", "-t", "dash"]).stdout).to_string();
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
    // A session that outlives the others keeps the server up: without it, killing the only
    // session shuts the server down, and the next new-session can race its exit ("server
    // exited unexpectedly").
    let keep = tmux(&["new-session", "-d", "-s", "keep", "sleep 600"]);
    assert!(keep.status.success(), "{}", String::from_utf8_lossy(&keep.stderr));
    let out = tmux(&["new-session", "-d", "-s", "dash", "-x", "120", "-y", "40", &command]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let screen = wait_for("Spend ");
    assert!(screen.contains("$278.00"), "{screen}");
    tmux(&["send-keys", "-t", "dash", "2"]);
    wait_for(" Teams (3)");
    tmux(&["send-keys", "-t", "dash", "Enter"]);
    let drilled = wait_for("Teams › support");
    assert!(drilled.contains("support/answer"), "{drilled}");
    tmux(&["send-keys", "-t", "dash", "Escape"]);
    tmux(&["send-keys", "-t", "dash", "8"]);
    wait_for(" Anomalies (");
    tmux(&["send-keys", "-t", "dash", "q"]);
    let after = wait_for("EXITED 0");
    let alternate =
        String::from_utf8_lossy(&tmux(&["display", "-p", "-t", "dash", "#{alternate_on}"]).stdout).to_string();
    assert_eq!(alternate.trim(), "0", "the alternate screen is left");
    assert!(
        !after.contains("cost dashboard │"),
        "the dashboard is gone from the screen:\n{after}"
    );
    tmux(&["kill-session", "-t", "dash"]);

    // Starts the dashboard in a fresh session; returns its process id.
    let start = || {
        let out = tmux(&["new-session", "-d", "-s", "dash", "-x", "100", "-y", "30", &command]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        wait_for("Spend ");
        let pane_pid = String::from_utf8_lossy(&tmux(&["display", "-p", "-t", "dash", "#{pane_pid}"]).stdout)
            .trim()
            .to_string();
        std::process::Command::new("pgrep")
            .args(["-P", &pane_pid, "-x", "cost"])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };

    // SIGTERM while it runs: the terminal comes back and the exit status is 128 + 15.
    match start() {
        Some(pid) => {
            let killed = std::process::Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap();
            assert!(killed.success());
            let after = wait_for("EXITED 143");
            let alternate =
                String::from_utf8_lossy(&tmux(&["display", "-p", "-t", "dash", "#{alternate_on}"]).stdout).to_string();
            assert_eq!(alternate.trim(), "0", "the alternate screen is left after SIGTERM");
            assert!(!after.contains("cost dashboard │"), "{after}");
        }
        None => eprintln!("SIGTERM step skipped: pgrep could not find the dashboard's process"),
    }
    tmux(&["kill-session", "-t", "dash"]);

    // The terminal closed under it (tmux killed): the dashboard must end, not spin.
    let pid = start();
    tmux(&["kill-server"]);
    match pid {
        Some(pid) => {
            let alive = || std::path::Path::new(&format!("/proc/{pid}")).exists();
            for _ in 0..100 {
                if !alive() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            assert!(
                !alive(),
                "the dashboard (pid {pid}) still runs 5 s after its terminal closed"
            );
        }
        None => eprintln!("closed-terminal step skipped: pgrep could not find the dashboard's process"),
    }
}

/// Budgets as a FinOps lead reads them. Four teams spend the same every day from Sep 1 to
/// Oct 20 on unit-model ($1 per million input tokens): ml $5, web $3, ops $2, data $1 a
/// day. With every day alike the weekday factors are 1, so each forecast is the spend so far
/// plus 11 days (Oct 21–31) at the daily rate:
/// - ml: $100 of $115 = 87.0% (past the soft 80%), forecast $155 = 134.8%: the soft limit is
///   crossed, but what needs acting on is the forecast past 100%: `forecast over`.
/// - web: $60 of $90 = 66.7%, forecast $93 = 103.3%: `forecast over`.
/// - ops: $40 of $70 = 57.1%, forecast $62 = 88.6%: `forecast soft`.
/// - data: no budget; suggested 115% of its last 30 days ($30), $34.50, rounded up: $35.00.
fn budget_store() -> tempfile::TempDir {
    let config = r#"
[prices."unit-model"]
input = 1.0
output = 0.0
provider = "openai"

[teams.ml]
monthly_budget_usd = 115

[teams.web]
monthly_budget_usd = 90

[teams.ops]
monthly_budget_usd = 70
"#;
    let mut usage = Usage::new();
    for (month, days) in [("09", 30), ("10", 20)] {
        for d in 1..=days {
            let day = format!("2026-{month}-{d:02}");
            for (team, template, millions) in [
                ("ml", "ml/score", 5),
                ("web", "web/answer", 3),
                ("ops", "ops/triage", 2),
                ("data", "data/clean", 1),
            ] {
                usage.add(Row {
                    day: &day,
                    team,
                    template,
                    model: "unit-model",
                    input: millions * 1_000_000,
                    ..Row::default()
                });
            }
        }
    }
    imported(config, &usage, &[])
}

#[test]
fn budgets_say_forecast_over_and_keep_the_forecast_at_80_columns() {
    let dir = budget_store();
    let narrow = snapshot(&dir, "budgets", "80x24", "");
    insta::assert_snapshot!("budgets_forecast_80x24", narrow);
    let wide = snapshot(&dir, "budgets", "160x48", "");
    let row = |text: &str, team: &str| {
        text.lines()
            .find(|l| l.split_whitespace().next() == Some(team))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|| panic!("no {team} row:\n{text}"))
    };
    // At 80 columns the gauge goes; spent, budget, used, forecast, its % and the status stay.
    let header = narrow.lines().find(|l| l.contains("Spent")).unwrap();
    assert_eq!(
        header.split_whitespace().collect::<Vec<_>>().join(" "),
        "Team Spent Budget Used Forecast Fcst % Status"
    );
    assert_eq!(
        row(&narrow, "ml"),
        "ml $100.00 $115.00 87.0% $155.00 134.8% forecast over"
    );
    assert_eq!(
        row(&narrow, "web"),
        "web $60.00 $90.00 66.7% $93.00 103.3% forecast over"
    );
    assert_eq!(
        row(&narrow, "ops"),
        "ops $40.00 $70.00 57.1% $62.00 88.6% forecast soft"
    );
    assert_eq!(row(&narrow, "data"), "data $20.00 ($35.00) – $31.00 – no budget");
    // Wide: the gauge and the day the soft limit was crossed too (ml: $5 a day passes $92,
    // 80% of $115, on day 19).
    assert!(
        row(&wide, "ml").ends_with("$155.00 134.8% forecast over soft 2026-10-19"),
        "{wide}"
    );
    words_are_whole(&narrow, &wide);
    // `cost budget` has the same figures (its status words are the JSON's).
    let (_, budget) = run_json(&dir, NOW, &["budget"]);
    let ml = budget["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["team"] == "ml")
        .unwrap();
    assert_eq!(ml["status"], "soft");
    assert!((ml["forecast_pct"].as_f64().unwrap() - 15500.0 / 115.0).abs() < 1e-9);
}

/// 30 teams, team k spending $k on Oct 5 with its own template: more than fit anywhere.
fn many_store() -> tempfile::TempDir {
    let mut usage = Usage::new();
    let names: Vec<(String, String)> = (1..=30)
        .map(|k| (format!("team-{k:02}"), format!("team-{k:02}/main")))
        .collect();
    for (k, (team, template)) in names.iter().enumerate() {
        usage.add(Row {
            day: "2026-10-05",
            team,
            template,
            model: "unit-model",
            input: (k as u64 + 1) * 1_000_000,
            ..Row::default()
        });
    }
    imported(CONFIG, &usage, &[])
}

#[test]
fn lists_fill_the_screen_before_they_say_more() {
    let dir = many_store();
    for size in ["160x45", "80x24"] {
        for view in ["overview", "teams", "templates", "models", "cache", "budgets", "runs"] {
            let text = snapshot(&dir, view, size, "");
            let lines: Vec<&str> = text.lines().collect();
            let footer = lines.len() - 1;
            for (i, l) in lines.iter().enumerate() {
                if l.contains("… ") && l.contains(" more") {
                    assert_eq!(
                        i + 1,
                        footer,
                        "{view} {size}: `… N more` with rows left under it:\n{text}"
                    );
                }
            }
        }
    }
    // At 160×45 the overview lists 20 teams and 20 templates (the rows under the daily chart)
    // and says how many more: 30 − 20 = 10.
    let text = snapshot(&dir, "overview", "160x45", "");
    assert!(text.contains("team-11"), "{text}");
    assert!(!text.contains("team-10 "), "{text}");
    assert!(
        text.contains("… 10 more (press 2)") && text.contains("… 10 more (press 3)"),
        "{text}"
    );
    insta::assert_snapshot!("overview_many_160x45", text);
}
