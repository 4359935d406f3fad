//! `update` on a loaded month: views, moves, drill-downs, filters, sorts, jumps, months.

use super::*;
use crate::analysis::anomalies::{Anomalies, Anomaly, Driver, Kind, Metric};
use crate::report::{DimValues, Report, ReportRow};
use crate::store::query::Dim;
use crate::store::query::Sums;
use crate::tui::data::{Analyses, Core, Window};
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
        models: report(&[Dim::Model], &[(&["gpt-4o"], 440, 84)]),
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
    assert_eq!(app.view, View::Overview, "Tab wraps after Anomalies");
    update(&mut app, Action::PrevView);
    assert_eq!(app.view, View::Anomalies, "Shift-Tab wraps backwards");
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
    assert_eq!(app.drill.as_deref(), Some("support"));
    assert_eq!(
        labels(&app),
        ["support/answer", "support/triage"],
        "only support's templates"
    );
    update(&mut app, Action::Down);
    assert_eq!(app.drill_selected, 1);
    update(&mut app, Action::Back);
    assert_eq!(app.drill, None);
    assert_eq!(app.view, View::Teams);
    assert_eq!(
        app.selected_row().unwrap().label,
        "support",
        "back on the team drilled into"
    );
    // Enter on a drilled template opens it in Templates.
    update(&mut app, Action::Down);
    update(&mut app, Action::Enter);
    assert_eq!(app.drill.as_deref(), Some("growth"));
    update(&mut app, Action::Enter);
    assert_eq!(app.view, View::Templates);
    assert_eq!(app.selected_row().unwrap().label, "growth/welcome");
    // Esc retraces the path: the drill-down, then the team list.
    update(&mut app, Action::Back);
    assert_eq!((app.view, app.drill.as_deref()), (View::Teams, Some("growth")));
    update(&mut app, Action::Back);
    assert_eq!((app.view, app.drill.as_deref()), (View::Teams, None));
    assert_eq!(app.selected_row().unwrap().label, "growth");
    // Budgets → Enter opens the team; Esc returns to Budgets.
    update(&mut app, Action::Show(View::Budgets));
    update(&mut app, Action::Enter);
    assert_eq!((app.view, app.drill.as_deref()), (View::Teams, Some("growth")));
    update(&mut app, Action::Back);
    assert_eq!((app.view, app.drill.as_deref()), (View::Budgets, None));
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
    assert_eq!(app.drill.as_deref(), Some("growth"));
    assert_eq!(app.filter(), "", "the drill-down starts unfiltered");
    update(&mut app, Action::Back);
    assert_eq!(
        (app.drill.as_deref(), app.filter()),
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
    update(&mut app, Action::Sort); // name
    assert_eq!(labels(&app), ["growth", "search", "support"]);
    update(&mut app, Action::Sort);
    assert_eq!(labels(&app), ["support", "growth", "search"], "back to spend");
    // Templates by cost per call: support/triage $10, support/answer $10, search/rank $10,
    // growth/welcome $2.
    update(&mut app, Action::Show(View::Templates));
    update(&mut app, Action::Sort);
    assert_eq!(labels(&app).last().unwrap(), "growth/welcome");
}

#[test]
fn anomalies_open_their_team_template_or_model() {
    let mut app = app();
    update(&mut app, Action::Show(View::Anomalies));
    assert_eq!(labels(&app), ["search", "support/triage", "gpt-4o"]);
    update(&mut app, Action::Enter);
    assert_eq!((app.view, app.drill.as_deref()), (View::Teams, Some("search")));
    update(&mut app, Action::Back);
    assert_eq!(
        (app.view, app.drill.as_deref()),
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
