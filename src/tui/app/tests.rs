//! `update` on a loaded month: views, moves, drill-downs, filters, sorts, jumps, months.

use super::*;
use crate::analysis::anomalies::{Anomalies, Anomaly, Driver, Kind, Metric};
use crate::analysis::runs::{Cause, Run, Runaway, Runs, Spread};
use crate::money::Usd;
use crate::report::{DimValues, Report, ReportRow};
use crate::store::query::Dim;
use crate::store::query::{GroupKey, Sums};
use crate::tui::data::{Analyses, Core, Cube, Window};
use jiff::civil::Date;

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

/// A report grouped by `dims` with rows of (values, dollars, requests).
fn report(dims: &[Dim], rows: &[(&[&str], i64, i64)]) -> Report {
    let mut total = Sums::default();
    let rows = rows
        .iter()
        .map(|(values, usd, requests)| {
            let s = Sums {
                records: *requests,
                requests: *requests,
                cost_nanos: usd * 1_000_000_000,
                ..Sums::default()
            };
            total.add(&s);
            let keys = dims
                .iter()
                .zip(values.iter())
                .map(|(d, v)| (d.name().to_string(), (!v.is_empty()).then(|| v.to_string())))
                .collect();
            ReportRow::new(keys, s)
        })
        .collect();
    Report {
        schema: "cost.report/v1",
        currency: "USD",
        since: "2026-10-01".into(),
        until: "2026-10-20".into(),
        group_by: dims.to_vec(),
        rows,
        totals: ReportRow::new(DimValues::new(), total),
        api_equivalent_only: false,
        compare_reported: false,
        empty_store: false,
    }
}

/// A cube of (values, dollars, requests) rows.
fn cube(dims: &[Dim], rows: &[(&[&str], i64, i64)]) -> Cube {
    Cube {
        dims: dims.to_vec(),
        rows: rows
            .iter()
            .map(|(values, usd, requests)| {
                let s = Sums {
                    records: *requests,
                    requests: *requests,
                    cost_nanos: usd * 1_000_000_000,
                    ..Sums::default()
                };
                let values = values.iter().map(|v| v.to_string()).collect();
                (GroupKey::new(dims.into(), values), s)
            })
            .collect(),
    }
}

/// A run of `calls` calls costing `usd` dollars.
fn run(session: &str, template: &str, team: &str, calls: i64, usd: i64, start_ms: i64) -> Run {
    Run {
        session: session.into(),
        start: String::new(),
        end: String::new(),
        duration_s: 0,
        calls,
        errors: 0,
        max_error_streak: 0,
        input_tokens: 0,
        output_tokens: 0,
        cost_usd: Usd::from_nanos(usd * 1_000_000_000),
        unpriced_calls: 0,
        first_input_tokens: 0,
        last_input_tokens: 0,
        context_growth: None,
        team: Some(team.into()),
        template: Some(template.into()),
        model: "gpt-4o".into(),
        cost_nanos: usd * 1_000_000_000,
        start_ms,
    }
}

fn spread(name: &str, runs: usize, total: i64) -> Spread {
    let u = |d: i64| Usd::from_nanos(d * 1_000_000_000);
    Spread {
        name: Some(name.into()),
        runs,
        total_usd: u(total),
        mean_usd: u(total).ratio(1, runs as i128),
        p50_usd: u(0),
        p90_usd: u(0),
        p99_usd: u(0),
        max_usd: u(0),
        p90_calls: 0,
    }
}

fn anomaly(kind: Kind, dimension: Dim, key: &str, date: &str, score: f64) -> Anomaly {
    Anomaly {
        kind,
        dimension,
        key: Some(key.to_string()),
        date: date.into(),
        metric: Metric::CostUsd,
        before: 1.0,
        after: 2.0,
        score,
        monthly_impact_usd: None,
        excess_usd: None,
        driver: Driver::Volume,
        template: None,
        reason: None,
    }
}

/// October 2026 to the 20th: support $300, growth $100, search $40 (search had nothing in
/// September, support and growth $200 and $100).
/// A loaded App (also used by the drawing tests in `tui`).
pub(crate) fn app() -> App {
    let mut app = App::new(d("2026-10-20"), d("2026-10-01"));
    let effect = app.start();
    assert_eq!(effect, Effect::Load(Window::new(d("2026-10-01"), d("2026-10-20"))));
    let t = Dim::Team;
    let tt = [Dim::Team, Dim::Template];
    let core = Core {
        window: app.window,
        teams: report(
            &[t],
            &[(&["support"], 300, 30), (&["growth"], 100, 50), (&["search"], 40, 4)],
        ),
        prev_teams: report(&[t], &[(&["support"], 200, 20), (&["growth"], 100, 10)]),
        templates: report(
            &[Dim::Template],
            &[
                (&["support/answer"], 250, 25),
                (&["growth/welcome"], 100, 50),
                (&["support/triage"], 50, 5),
                (&["search/rank"], 40, 4),
            ],
        ),
        prev_templates: report(&[Dim::Template], &[]),
        models: report(&[Dim::Model], &[(&["gpt-4o"], 390, 79), (&["claude-sonnet"], 50, 5)]),
        daily: report(&[Dim::Day], &[]),
        team_templates: report(
            &tt,
            &[
                (&["support", "support/answer"], 250, 25),
                (&["growth", "growth/welcome"], 100, 50),
                (&["support", "support/triage"], 50, 5),
                (&["search", "search/rank"], 40, 4),
            ],
        ),
        team_models: report(&[t, Dim::Model], &[]),
        template_days: report(&[Dim::Template, Dim::Day], &[]),
        template_models: report(&[Dim::Template, Dim::Model], &[]),
        cube: cube(
            &[t, Dim::Template, Dim::Model],
            &[
                (&["support", "support/answer", "gpt-4o"], 200, 20),
                (&["support", "support/answer", "claude-sonnet"], 50, 5),
                (&["support", "support/triage", "gpt-4o"], 50, 5),
                (&["growth", "growth/welcome", "gpt-4o"], 100, 50),
                (&["search", "search/rank", "gpt-4o"], 40, 4),
            ],
        ),
        budget: crate::analysis::budget::Budget {
            schema: "cost.budget/v1",
            month: "2026-10".into(),
            as_of: "2026-10-20T23:59:59Z".into(),
            teams: vec![crate::analysis::budget::TeamBudget {
                team: Some("growth".into()),
                budget_usd: crate::money::Usd::parse("100"),
                spent_usd: crate::money::Usd::parse("100"),
                pct: Some(100.0),
                forecast_usd: crate::money::Usd::parse("155"),
                forecast_pct: Some(155.0),
                soft_pct: Some(80.0),
                hard_pct: Some(100.0),
                status: crate::analysis::budget::Status::Hard,
                soft_crossed_on: Some("2026-10-16".into()),
                hard_crossed_on: Some("2026-10-20".into()),
                suggested_budget_usd: None,
                method: String::new(),
                unpriced_requests: 0,
            }],
            empty_store: false,
        },
        store_days: Some(("2026-09-01".into(), "2026-10-20".into())),
        store_requests: 0,
    };
    app.receive(Loaded::Core {
        generation: app.generation,
        core: Box::new(core),
        empty_store: false,
        store_exists: true,
        store_path: "/tmp/s.db".into(),
    });
    assert!(app.loading(), "the analyses are still on their way");
    app.receive(Loaded::Analyses {
        generation: app.generation,
        analyses: Box::new(Analyses {
            cache: crate::analysis::cache::CacheReport {
                schema: "cost.cache/v1",
                since: "2026-10-01".into(),
                until: "2026-10-20".into(),
                group_by: vec![Dim::Template],
                rows: Vec::new(),
                totals: crate::analysis::cache::Acc::default().row(DimValues::new()),
                opportunities: Vec::new(),
                opportunities_note: None,
            },
            cache_teams: crate::analysis::cache::CacheReport {
                schema: "cost.cache/v1",
                since: "2026-10-01".into(),
                until: "2026-10-20".into(),
                group_by: vec![Dim::Team],
                rows: ["support", "growth"]
                    .iter()
                    .map(|team| {
                        crate::analysis::cache::Acc::default()
                            .row(DimValues::from([("team".to_string(), Some(team.to_string()))]))
                    })
                    .collect(),
                totals: crate::analysis::cache::Acc::default().row(DimValues::new()),
                opportunities: Vec::new(),
                opportunities_note: None,
            },
            // support: two runs of support/answer ($20, $4), one of support/triage ($6);
            // growth: one of growth/welcome ($2). Cost per run: support/answer $12, support
            // $10, growth/welcome and growth $2. The $20 run is a runaway.
            runs: Runs {
                schema: "cost.runs/v1",
                currency: "USD",
                since: "2026-10-01".into(),
                until: "2026-10-20".into(),
                total_runs: 4,
                total_usd: Usd::from_nanos(32_000_000_000),
                runs: vec![
                    run("s-big", "support/answer", "support", 40, 20, 3),
                    run("s-tri", "support/triage", "support", 3, 6, 4),
                    run("s-small", "support/answer", "support", 4, 4, 1),
                    run("g-1", "growth/welcome", "growth", 2, 2, 2),
                ],
                sort: "cost",
                by_template: vec![
                    spread("support/answer", 2, 24),
                    spread("support/triage", 1, 6),
                    spread("growth/welcome", 1, 2),
                ],
                by_team: vec![spread("support", 3, 30), spread("growth", 1, 2)],
                runaway: vec![Runaway {
                    session: "s-big".into(),
                    template: Some("support/answer".into()),
                    team: Some("support".into()),
                    start: String::new(),
                    calls: 40,
                    cost_usd: Usd::from_nanos(20_000_000_000),
                    causes: vec![Cause::Calls],
                    reason: "40 calls".into(),
                    p90_calls: Some(4),
                    p90_cost_usd: None,
                    errors: 0,
                    max_error_streak: 0,
                }],
                per: None,
            },
            // support's spend by `env`: prod $200, staging $50, none $50.
            tags: vec![cube(
                &[t, Dim::Template, Dim::Model, Dim::tag("env")],
                &[
                    (&["support", "support/answer", "gpt-4o", "prod"], 150, 15),
                    (&["support", "support/answer", "gpt-4o", ""], 50, 5),
                    (&["support", "support/answer", "claude-sonnet", "prod"], 50, 5),
                    (&["support", "support/triage", "gpt-4o", "staging"], 50, 5),
                    (&["growth", "growth/welcome", "gpt-4o", ""], 100, 50),
                    (&["search", "search/rank", "gpt-4o", ""], 40, 4),
                ],
            )],
            anomalies: Anomalies {
                schema: "cost.anomalies/v1",
                since: "2026-10-01".into(),
                until: "2026-10-20".into(),
                threshold: 4.0,
                min_usd: 1.0,
                anomalies: vec![
                    anomaly(Kind::Spike, Dim::Team, "search", "2026-10-18", 9.0),
                    anomaly(Kind::ChangePoint, Dim::Template, "support/triage", "2026-10-12", 5.0),
                    anomaly(Kind::Spike, Dim::Model, "gpt-4o", "2026-10-03", 12.0),
                ],
                unpriced_requests: 0,
            },
            showback: crate::analysis::showback::Showback {
                schema: "cost.showback/v1",
                since: "2026-10-01".into(),
                until: "2026-10-20".into(),
                commitments: vec![crate::analysis::showback::CommitmentUse {
                    name: "reserved".into(),
                    model: "gpt-4o".into(),
                    committed_usd: crate::money::Usd::parse("645.16").unwrap(),
                    consumed_list_usd: crate::money::Usd::parse("440").unwrap(),
                    utilization_pct: 68.2,
                    idle_usd: crate::money::Usd::parse("205.16").unwrap(),
                    break_even_pct: 100.0,
                    saving_vs_paygo_usd: crate::money::Usd::parse("-205.16").unwrap(),
                    requests: 84,
                    unpriced_requests: 0,
                    overage_usd: crate::money::Usd::ZERO,
                    teams_listed: Vec::new(),
                    teams: vec![crate::analysis::showback::TeamShare {
                        team: Some("support".into()),
                        consumed_list_usd: crate::money::Usd::parse("300").unwrap(),
                        share_pct: 68.18,
                        allocated_usd: crate::money::Usd::parse("300").unwrap(),
                    }],
                }],
            },
        }),
    });
    assert!(!app.loading());
    app
}

/// The drill-down's path, `support › support/answer`.
fn path(app: &App) -> Option<String> {
    app.drill
        .as_ref()
        .map(|d| d.path.iter().map(|(_, v)| v.as_str()).collect::<Vec<_>>().join(" › "))
}

fn labels(app: &App) -> Vec<String> {
    app.rows(app.view).into_iter().map(|r| r.label).collect()
}

#[test]
fn views_switch_by_number_and_tab_and_wrap() {
    let mut app = app();
    assert_eq!(app.view, View::Overview);
    update(&mut app, Action::Show(View::Budgets));
    assert_eq!(app.view, View::Budgets);
    update(&mut app, Action::NextView);
    assert_eq!(app.view, View::Commitments);
    update(&mut app, Action::NextView);
    update(&mut app, Action::NextView);
    assert_eq!(app.view, View::Runs);
    update(&mut app, Action::NextView);
    assert_eq!(app.view, View::Overview, "Tab wraps after Runs");
    update(&mut app, Action::PrevView);
    assert_eq!(app.view, View::Runs, "Shift-Tab wraps backwards");
}

#[test]
fn moving_stays_inside_the_list() {
    let mut app = app();
    update(&mut app, Action::Show(View::Teams));
    assert_eq!(
        labels(&app),
        ["support", "growth", "search"],
        "by spend, as `cost report`"
    );
    update(&mut app, Action::Up);
    assert_eq!(app.list().selected, 0);
    for _ in 0..5 {
        update(&mut app, Action::Down);
    }
    assert_eq!(app.list().selected, 2, "stops at the last row");
    update(&mut app, Action::Top);
    assert_eq!(app.list().selected, 0);
    update(&mut app, Action::Bottom);
    assert_eq!(app.selected_row().unwrap().label, "search");
    // Each view keeps its own selection.
    update(&mut app, Action::Show(View::Templates));
    assert_eq!(app.list().selected, 0);
    update(&mut app, Action::Show(View::Teams));
    assert_eq!(app.list().selected, 2);
}

#[test]
fn enter_drills_into_a_team_and_esc_comes_back() {
    let mut app = app();
    update(&mut app, Action::Show(View::Teams));
    update(&mut app, Action::Enter);
    assert_eq!(path(&app).as_deref(), Some("support"));
    assert_eq!(
        labels(&app),
        ["support/answer", "support/triage"],
        "only support's templates"
    );
    update(&mut app, Action::Down);
    assert_eq!(app.selected(), 1);
    update(&mut app, Action::Back);
    assert_eq!(app.drill, None);
    assert_eq!(app.view, View::Teams);
    assert_eq!(
        app.selected_row().unwrap().label,
        "support",
        "back on the team drilled into"
    );
    // Enter on a drilled template opens its models (team → template → model); `o` opens a
    // model in the Models view.
    update(&mut app, Action::Enter);
    update(&mut app, Action::Enter);
    assert_eq!(path(&app).as_deref(), Some("support › support/answer"));
    assert_eq!(app.drill.as_ref().unwrap().by, Dim::Model);
    assert_eq!(labels(&app), ["gpt-4o", "claude-sonnet"], "$200, then $50");
    update(&mut app, Action::Down);
    update(&mut app, Action::Open);
    assert_eq!(app.view, View::Models);
    assert_eq!(app.selected_row().unwrap().label, "claude-sonnet");
    // Esc retraces the path: the model list, the template list, the team list.
    update(&mut app, Action::Back);
    assert_eq!(
        (app.view, path(&app).as_deref()),
        (View::Teams, Some("support › support/answer"))
    );
    assert_eq!(app.selected_row().unwrap().label, "claude-sonnet", "as it was left");
    update(&mut app, Action::Back);
    assert_eq!((app.view, path(&app).as_deref()), (View::Teams, Some("support")));
    assert_eq!(app.selected_row().unwrap().label, "support/answer");
    update(&mut app, Action::Back);
    assert_eq!((app.view, path(&app).as_deref()), (View::Teams, None));
    assert_eq!(app.selected_row().unwrap().label, "support");
    // Reached by a view key instead, Esc goes up one level at a time.
    update(&mut app, Action::Enter);
    update(&mut app, Action::Enter);
    update(&mut app, Action::Show(View::Overview));
    update(&mut app, Action::Show(View::Teams));
    update(&mut app, Action::Back);
    assert_eq!(path(&app).as_deref(), Some("support"));
    assert_eq!(app.selected_row().unwrap().label, "support/answer");
    update(&mut app, Action::Back);
    assert_eq!(path(&app), None);
    update(&mut app, Action::Down);
    // Budgets → Enter opens the team; Esc returns to Budgets.
    update(&mut app, Action::Show(View::Budgets));
    update(&mut app, Action::Enter);
    assert_eq!((app.view, path(&app).as_deref()), (View::Teams, Some("growth")));
    update(&mut app, Action::Back);
    assert_eq!((app.view, path(&app).as_deref()), (View::Budgets, None));
}

#[test]
fn a_filter_narrows_the_list_and_esc_clears_it() {
    let mut app = app();
    update(&mut app, Action::Show(View::Templates));
    update(&mut app, Action::StartFilter);
    assert_eq!(app.mode, Mode::Filter);
    for c in "SUPP".chars() {
        update(&mut app, Action::FilterChar(c));
    }
    assert_eq!(
        labels(&app),
        ["support/answer", "support/triage"],
        "case-insensitive, as typed"
    );
    update(&mut app, Action::FilterBackspace);
    assert_eq!(app.list().filter, "SUP");
    update(&mut app, Action::FilterApply);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(labels(&app).len(), 2, "Enter keeps the filter");
    update(&mut app, Action::Down);
    assert_eq!(app.selected_row().unwrap().label, "support/triage");
    update(&mut app, Action::Back);
    assert_eq!(app.list().filter, "");
    assert_eq!(labels(&app).len(), 4);
    // A kept filter survives a drill-down and the way back.
    update(&mut app, Action::Show(View::Teams));
    update(&mut app, Action::StartFilter);
    for c in "gro".chars() {
        update(&mut app, Action::FilterChar(c));
    }
    update(&mut app, Action::FilterApply);
    update(&mut app, Action::Enter);
    assert_eq!(path(&app).as_deref(), Some("growth"));
    assert_eq!(app.filter(), "", "the drill-down starts unfiltered");
    update(&mut app, Action::Back);
    assert_eq!(
        (path(&app).as_deref(), app.filter()),
        (None, "gro"),
        "back to the filtered list"
    );
    update(&mut app, Action::Back);
    assert_eq!(app.filter(), "");
    update(&mut app, Action::Show(View::Templates));
    // Esc while typing drops the filter.
    update(&mut app, Action::StartFilter);
    update(&mut app, Action::FilterChar('x'));
    assert!(labels(&app).is_empty());
    update(&mut app, Action::FilterCancel);
    assert_eq!(labels(&app).len(), 4);
    // The overview has no list.
    update(&mut app, Action::Show(View::Overview));
    update(&mut app, Action::StartFilter);
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn sort_cycles_through_the_orders() {
    let mut app = app();
    update(&mut app, Action::Show(View::Teams));
    update(&mut app, Action::Down); // growth
    // Δ vs previous: search is new (no September) and sorts last; support +50%, growth 0%.
    update(&mut app, Action::Sort);
    assert_eq!(app.status.as_deref(), Some("sorted by Δ vs previous"));
    assert_eq!(labels(&app), ["support", "growth", "search"]);
    assert_eq!(app.list().selected, 0, "a new order starts at its top");
    // Budget %: growth has one (100%), the others none.
    update(&mut app, Action::Sort);
    assert_eq!(labels(&app)[0], "growth");
    update(&mut app, Action::Sort); // cache hit
    // Cost per run: growth $2 (one run), support $10 ($30 over three), search none.
    update(&mut app, Action::Sort);
    assert_eq!(app.status.as_deref(), Some("sorted by cost/run"));
    assert_eq!(labels(&app), ["support", "growth", "search"]);
    update(&mut app, Action::Sort); // name
    assert_eq!(labels(&app), ["growth", "search", "support"]);
    update(&mut app, Action::Sort);
    assert_eq!(labels(&app), ["support", "growth", "search"], "back to spend");
    // Templates by cost per call: support/triage $10, support/answer $10, search/rank $10,
    // growth/welcome $2.
    update(&mut app, Action::Show(View::Templates));
    update(&mut app, Action::Sort);
    assert_eq!(labels(&app).last().unwrap(), "growth/welcome");
    // By cost per run: support/answer $12 ($24 over two), support/triage $6, growth/welcome
    // $2, search/rank none.
    for _ in 0..3 {
        update(&mut app, Action::Sort);
    }
    assert_eq!(
        labels(&app),
        ["support/answer", "support/triage", "growth/welcome", "search/rank"]
    );
}

#[test]
fn d_breaks_a_drill_down_down_by_model_and_tag() {
    let mut app = app();
    update(&mut app, Action::Show(View::Teams));
    update(&mut app, Action::Enter);
    assert_eq!(labels(&app), ["support/answer", "support/triage"]);
    update(&mut app, Action::NextDim);
    assert_eq!(app.status.as_deref(), Some("by model"));
    // support: gpt-4o $200 + $50, claude-sonnet $50.
    assert_eq!(labels(&app), ["gpt-4o", "claude-sonnet"]);
    update(&mut app, Action::NextDim);
    assert_eq!(app.status.as_deref(), Some("by tag:env"));
    // prod $150 + $50, staging $50, the $50 without the key under (none).
    assert_eq!(labels(&app), ["prod", "(none)", "staging"]);
    let data = app.data.as_ref().unwrap();
    let report = app.drill.as_ref().unwrap().report(data, Dim::tag("env")).unwrap();
    let dollars: Vec<i64> = report.rows.iter().map(|r| r.sums.cost_nanos / 1_000_000_000).collect();
    assert_eq!(dollars, [200, 50, 50], "every request once: $300, support's spend");
    // Enter on a tag value: the rest by template; no second tag is offered.
    update(&mut app, Action::Enter);
    assert_eq!(path(&app).as_deref(), Some("support › prod"));
    assert_eq!(labels(&app), ["support/answer"]);
    assert_eq!(
        app.drill.as_ref().unwrap().dims(app.data.as_ref().unwrap()),
        [Dim::Template, Dim::Model]
    );
    update(&mut app, Action::NextDim);
    update(&mut app, Action::NextDim);
    assert_eq!(app.drill.as_ref().unwrap().by, Dim::Template, "d wraps");
    // Enter on the model at the bottom of team → tag → template → model: nothing is left to
    // break it down by, so it opens the Models view.
    update(&mut app, Action::Enter);
    assert_eq!(path(&app).as_deref(), Some("support › prod › support/answer"));
    update(&mut app, Action::Down);
    update(&mut app, Action::Enter);
    assert_eq!(app.view, View::Models);
    assert_eq!(app.selected_row().unwrap().label, "claude-sonnet");
    // d elsewhere says where it applies.
    update(&mut app, Action::NextDim);
    assert!(app.status.as_deref().unwrap().contains("drill-down"));
}

#[test]
fn cache_by_team_opens_the_team() {
    let mut app = app();
    update(&mut app, Action::Show(View::Cache));
    assert!(labels(&app).is_empty(), "no template rows in this month's cache report");
    update(&mut app, Action::NextDim);
    assert_eq!(app.status.as_deref(), Some("by team"));
    assert_eq!(labels(&app), ["support", "growth"]);
    update(&mut app, Action::Down);
    update(&mut app, Action::Enter);
    assert_eq!((app.view, path(&app).as_deref()), (View::Teams, Some("growth")));
    update(&mut app, Action::Back);
    assert_eq!(app.view, View::Cache);
    assert_eq!(app.selected_row().unwrap().label, "growth");
}

#[test]
fn enter_on_a_run_reads_its_calls_and_esc_closes_it() {
    let mut app = app();
    update(&mut app, Action::Show(View::Runs));
    assert_eq!(labels(&app), ["s-big", "s-tri", "s-small", "g-1"], "by cost");
    // The filter also finds runaways and templates.
    update(&mut app, Action::StartFilter);
    for c in "runaway".chars() {
        update(&mut app, Action::FilterChar(c));
    }
    update(&mut app, Action::FilterApply);
    assert_eq!(labels(&app), ["s-big"]);
    update(&mut app, Action::Back);
    // Sorted by newest start: s-tri (4), s-big (3), g-1 (2), s-small (1).
    for _ in 0..4 {
        update(&mut app, Action::Sort);
    }
    assert_eq!(app.status.as_deref(), Some("sorted by newest"));
    assert_eq!(labels(&app), ["s-tri", "s-big", "g-1", "s-small"]);
    update(&mut app, Action::Down);
    let effect = update(&mut app, Action::Enter);
    assert_eq!(effect, Effect::LoadRun(app.window, "s-big".into()));
    assert!(app.loading(), "a script waits for the calls");
    let call = |ts_ms, error| crate::store::runs::SessionCall {
        session: "s-big".into(),
        ts_ms,
        team: "support".into(),
        template: "support/answer".into(),
        model: "gpt-4o".into(),
        input: 10,
        output: 1,
        cost_nanos: 5,
        requests: 1,
        error,
        unpriced: false,
    };
    // An answer for another run, or for the run in another month, is dropped.
    app.receive(Loaded::Run {
        window: app.window,
        session: "g-1".into(),
        calls: Ok(vec![]),
    });
    app.receive(Loaded::Run {
        window: Window::new(d("2026-09-01"), d("2026-10-20")),
        session: "s-big".into(),
        calls: Ok(vec![]),
    });
    assert!(app.loading());
    // A refresh meanwhile does not lose it.
    assert!(matches!(update(&mut app, Action::Refresh), Effect::Load(_)));
    app.receive(Loaded::Run {
        window: app.window,
        session: "s-big".into(),
        calls: Ok(vec![call(1, false), call(2, true), call(3, false)]),
    });
    assert!(!app.loading());
    assert_eq!(labels(&app), ["call 1", "call 2", "call 3"]);
    update(&mut app, Action::Bottom);
    assert_eq!(app.selected(), 2);
    update(&mut app, Action::Sort);
    assert_eq!(labels(&app)[0], "call 1", "calls stay in time order");
    // o: the run's template.
    update(&mut app, Action::Open);
    assert_eq!(app.view, View::Templates);
    assert_eq!(app.selected_row().unwrap().label, "support/answer");
    update(&mut app, Action::Back);
    assert!(app.in_run(), "back on the run");
    update(&mut app, Action::Back);
    assert_eq!(app.run, None);
    assert_eq!(app.selected_row().unwrap().label, "s-big", "on the run that was open");
}

#[test]
fn anomalies_open_their_team_template_or_model() {
    let mut app = app();
    update(&mut app, Action::Show(View::Anomalies));
    assert_eq!(labels(&app), ["search", "support/triage", "gpt-4o"]);
    update(&mut app, Action::Enter);
    assert_eq!((app.view, path(&app).as_deref()), (View::Teams, Some("search")));
    update(&mut app, Action::Back);
    assert_eq!(
        (app.view, path(&app).as_deref()),
        (View::Anomalies, None),
        "Esc goes back"
    );
    update(&mut app, Action::Down);
    update(&mut app, Action::Enter);
    assert_eq!(app.view, View::Templates);
    assert_eq!(app.selected_row().unwrap().label, "support/triage");
    update(&mut app, Action::Show(View::Anomalies));
    update(&mut app, Action::Bottom);
    update(&mut app, Action::Enter);
    assert_eq!(app.view, View::Models);
    assert_eq!(app.selected_row().unwrap().label, "gpt-4o");
    // The filter also matches an anomaly's kind.
    update(&mut app, Action::Show(View::Anomalies));
    update(&mut app, Action::StartFilter);
    for c in "change".chars() {
        update(&mut app, Action::FilterChar(c));
    }
    update(&mut app, Action::FilterApply);
    assert_eq!(labels(&app), ["support/triage"]);
    update(&mut app, Action::Back);
    // Sorted by score, the model spike (12) comes first.
    update(&mut app, Action::Show(View::Anomalies));
    update(&mut app, Action::Sort);
    assert_eq!(labels(&app)[0], "gpt-4o");
}

#[test]
fn months_change_with_brackets_and_stale_answers_are_dropped() {
    let mut app = app();
    let old = app.generation;
    let effect = update(&mut app, Action::PrevPeriod);
    assert_eq!(effect, Effect::Load(Window::new(d("2026-09-01"), d("2026-10-20"))));
    assert_eq!(app.window.until, d("2026-09-30"), "a past month is whole");
    assert!(app.data.is_none() && app.loading());
    assert_eq!(app.generation, old + 1);
    // The answer to the October request arrives late: ignored.
    app.receive(Loaded::Failed {
        generation: old,
        message: "late".into(),
    });
    assert_eq!(app.error, None);
    // Forward to October, and no further: November has not started.
    assert!(matches!(update(&mut app, Action::NextPeriod), Effect::Load(w) if w.month == d("2026-10-01")));
    assert_eq!(update(&mut app, Action::NextPeriod), Effect::None);
    assert_eq!(app.status.as_deref(), Some("2026-10 is the current month"));
    assert!(matches!(update(&mut app, Action::Refresh), Effect::Load(w) if w.month == d("2026-10-01")));
}

#[test]
fn help_opens_and_closes_and_quit_quits() {
    let mut app = app();
    update(&mut app, Action::Help);
    assert_eq!(app.mode, Mode::Help);
    update(&mut app, Action::Back);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(update(&mut app, Action::Quit), Effect::Quit);
    assert!(app.quit);
}

#[test]
fn the_previous_period_is_the_same_days_of_the_month_before() {
    let w = Window::new(d("2026-10-01"), d("2026-10-20"));
    assert_eq!(w.previous().since, d("2026-09-01"));
    assert_eq!(w.previous().until, d("2026-09-20"));
    // March 31 to date → February, cut at its last day; a whole month → the whole month before.
    let w = Window::new(d("2026-03-01"), d("2026-03-31"));
    assert_eq!(w.previous().until, d("2026-02-28"));
    let w = Window::new(d("2026-03-01"), d("2026-05-02"));
    assert_eq!((w.until, w.previous().until), (d("2026-03-31"), d("2026-02-28")));
}

#[test]
fn the_runs_kept_are_the_costliest_and_every_runaway() {
    let app = app();
    let mut runs = app.data.as_ref().unwrap().analyses.as_ref().unwrap().runs.clone();
    // By cost: s-big $20, s-tri $6, s-small $4, g-1 $2; make the cheap g-1 a runaway too.
    runs.runaway[0].session = "g-1".into();
    crate::tui::data::keep_costliest(&mut runs, 2);
    let kept: Vec<&str> = runs.runs.iter().map(|r| r.session.as_str()).collect();
    assert_eq!(kept, ["s-big", "s-tri", "g-1"]);
    assert_eq!(runs.total_runs, 4, "the count is of every run");
}
