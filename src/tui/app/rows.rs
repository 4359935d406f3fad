//! Each view's list as rows: the label a filter matches and a jump looks for, the index into
//! the view's data, and the figures its sorts use.

use super::{Drill, RunDetail, View};
use crate::money::Usd;
use crate::output::anomalies::{driver_label, kind_label};
use crate::report::{Report, ReportRow};
use crate::store::query::Dim;
use crate::tui::data::Data;

/// One row of a view's list: the label filters match and jumps look for, the index into the
/// view's data, and the figures the sorts use (in `View::sorts` order; the last is the name).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub label: String,
    pub index: usize,
    pub keys: Vec<f64>,
    /// More words the filter matches (an anomaly's kind, dimension, date and driver).
    pub extra: String,
}

fn report_rows(report: &Report, dim: Dim, keys: impl Fn(&ReportRow) -> Vec<f64>) -> Vec<Row> {
    report
        .rows
        .iter()
        .enumerate()
        .map(|(index, r)| Row {
            label: r.label(dim),
            index,
            extra: String::new(),
            keys: keys(r),
        })
        .collect()
}

/// Nano-dollars per priced call (unpriced calls would pull it toward $0).
pub fn priced_per_call(r: &ReportRow) -> f64 {
    let priced = r.sums.requests - r.sums.unpriced_requests;
    if priced > 0 {
        r.sums.cost_nanos as f64 / priced as f64
    } else {
        0.0
    }
}

/// The change from `before` to `now` as a fraction (`None` when there was nothing before).
pub fn delta(now: f64, before: f64) -> Option<f64> {
    (before > 0.0).then(|| (now - before) / before)
}

/// Spend of the previous period for a row label of a one-dimension report.
pub fn previous<'r>(report: &'r Report, dim: Dim, label: &str) -> Option<&'r ReportRow> {
    report.rows.iter().find(|r| r.label(dim) == label)
}

/// The mean cost of the month's runs (sessions) of a team or template, by the first call's
/// attribution, as `cost runs --per team|template` has it; `None` without runs (or while the
/// runs load).
pub fn cost_per_run(data: &Data, dim: Dim, label: &str) -> Option<Usd> {
    let runs = &data.analyses.as_ref()?.runs;
    let spreads = match dim {
        Dim::Team => &runs.by_team,
        Dim::Template => &runs.by_template,
        _ => return None,
    };
    spreads
        .iter()
        .find(|s| s.name.as_deref().unwrap_or(dim.empty_label()) == label)
        .map(|s| s.mean_usd)
}

/// The decimals `cost runs` prints the month's run figures with (4 under $100, else 2), so
/// the views show them as it does.
pub fn runs_places(data: &Data) -> u32 {
    let Some(a) = &data.analyses else {
        return 4;
    };
    let r = &a.runs;
    crate::output::money_places(
        r.runs
            .iter()
            .map(|x| x.cost_usd)
            .chain(r.by_template.iter().map(|s| s.max_usd))
            .chain(r.by_team.iter().map(|s| s.max_usd))
            .chain([r.total_usd]),
    )
}

/// Whether the month has runs (the cost-per-run columns show only then).
pub fn has_runs(data: &Data) -> bool {
    data.analyses.as_ref().is_some_and(|a| !a.runs.by_template.is_empty())
}

fn per_run_key(data: &Data, dim: Dim, label: &str) -> f64 {
    cost_per_run(data, dim, label).map_or(-1.0, |u| u.to_f64())
}

pub(super) fn base_rows(data: &Data, view: View, cache_by_team: bool) -> Vec<Row> {
    let c = &data.core;
    match view {
        View::Overview => Vec::new(),
        View::Teams => report_rows(&c.teams, Dim::Team, |r| {
            let label = r.label(Dim::Team);
            let prev = previous(&c.prev_teams, Dim::Team, &label).map(|p| p.sums.cost_nanos as f64);
            let budget = c
                .budget
                .teams
                .iter()
                .find(|t| t.team.as_deref().unwrap_or("(unassigned)") == label)
                .and_then(|t| t.pct);
            vec![
                r.sums.cost_nanos as f64,
                prev.and_then(|p| delta(r.sums.cost_nanos as f64, p))
                    .unwrap_or(f64::MIN),
                budget.unwrap_or(-1.0),
                r.cache_hit_rate.unwrap_or(-1.0),
                per_run_key(data, Dim::Team, &label),
            ]
        }),
        View::Templates => report_rows(&c.templates, Dim::Template, |r| {
            let now = priced_per_call(r);
            let prev = previous(&c.prev_templates, Dim::Template, &r.label(Dim::Template)).map(priced_per_call);
            vec![
                r.sums.cost_nanos as f64,
                now,
                prev.and_then(|p| delta(now, p)).unwrap_or(f64::MIN),
                r.sums.requests as f64,
                per_run_key(data, Dim::Template, &r.label(Dim::Template)),
            ]
        }),
        View::Models => report_rows(&c.models, Dim::Model, |r| {
            vec![
                r.sums.cost_nanos as f64,
                r.sums.requests as f64,
                priced_per_call(r),
                r.cache_hit_rate.unwrap_or(-1.0),
            ]
        }),
        View::Cache => data
            .analyses
            .as_ref()
            .map(|a| {
                let (report, dim) = if cache_by_team {
                    (&a.cache_teams, Dim::Team)
                } else {
                    (&a.cache, Dim::Template)
                };
                report
                    .rows
                    .iter()
                    .enumerate()
                    .map(|(index, r)| Row {
                        label: r
                            .dims
                            .get(dim.name())
                            .cloned()
                            .flatten()
                            .unwrap_or_else(|| dim.empty_label().into()),
                        index,
                        extra: String::new(),
                        keys: vec![
                            r.net_savings_usd.map_or(f64::MIN, |v| v.to_f64()),
                            r.cache_hit_rate.unwrap_or(-1.0),
                            r.write_premium_usd.map_or(f64::MIN, |v| v.to_f64()),
                            r.requests as f64,
                        ],
                    })
                    .collect()
            })
            .unwrap_or_default(),
        View::Budgets => c
            .budget
            .teams
            .iter()
            .enumerate()
            .map(|(index, t)| Row {
                label: t.team.clone().unwrap_or_else(|| "(unassigned)".into()),
                index,
                extra: String::new(),
                keys: vec![
                    t.status as i32 as f64,
                    t.forecast_pct.unwrap_or(-1.0),
                    t.spent_usd.map_or(-1.0, |v| v.to_f64()),
                ],
            })
            .collect(),
        View::Commitments => data
            .analyses
            .as_ref()
            .map(|a| {
                a.showback
                    .commitments
                    .iter()
                    .enumerate()
                    .map(|(index, c)| Row {
                        label: c.name.clone(),
                        index,
                        extra: String::new(),
                        keys: vec![0.0, c.utilization_pct, c.idle_usd.to_f64()],
                    })
                    .collect()
            })
            .unwrap_or_default(),
        View::Anomalies => data
            .analyses
            .as_ref()
            .map(|a| {
                a.anomalies
                    .anomalies
                    .iter()
                    .enumerate()
                    .map(|(index, x)| Row {
                        label: x.key.clone().unwrap_or_else(|| x.dimension.empty_label().into()),
                        index,
                        extra: format!(
                            "{} {} {} {}",
                            kind_label(x.kind),
                            x.dimension.name(),
                            x.date,
                            driver_label(x.driver)
                        ),
                        keys: vec![
                            x.date.replace('-', "").parse().unwrap_or(0.0),
                            x.score,
                            x.monthly_impact_usd
                                .or(x.excess_usd)
                                .map(|u| u.abs().to_f64())
                                .unwrap_or(0.0),
                        ],
                    })
                    .collect()
            })
            .unwrap_or_default(),
        View::Runs => data
            .analyses
            .as_ref()
            .map(|a| {
                a.runs
                    .runs
                    .iter()
                    .enumerate()
                    .map(|(index, r)| {
                        let runaway = a.runs.runaway.iter().any(|x| x.session == r.session);
                        Row {
                            label: r.session.clone(),
                            index,
                            // The filter also finds a run by its template, team or "runaway".
                            extra: format!(
                                "{} {}{}",
                                r.template.as_deref().unwrap_or(""),
                                r.team.as_deref().unwrap_or(""),
                                if runaway { " runaway" } else { "" }
                            ),
                            keys: vec![
                                r.cost_nanos as f64,
                                r.calls as f64,
                                r.duration_s as f64,
                                r.context_growth.unwrap_or(0.0),
                                r.start_ms as f64,
                            ],
                        }
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// A drill-down's list: the path's spend by the drill-down's dimension. Its sorts are the
/// Teams view's (spend, cache hit and name apply).
pub(super) fn drill_rows(data: &Data, drill: &Drill) -> Vec<Row> {
    let Some(report) = drill.report(data, drill.by) else {
        return Vec::new();
    };
    report
        .rows
        .iter()
        .enumerate()
        .map(|(index, r)| Row {
            label: r.label(drill.by),
            index,
            extra: String::new(),
            keys: vec![
                r.sums.cost_nanos as f64,
                f64::MIN,
                -1.0,
                r.cache_hit_rate.unwrap_or(-1.0),
                -1.0,
            ],
        })
        .collect()
}

/// A run's calls, in time order (nothing to filter or sort: the order is the story).
pub(super) fn call_rows(run: &RunDetail) -> Vec<Row> {
    let Some(Ok(calls)) = &run.calls else {
        return Vec::new();
    };
    (0..calls.len())
        .map(|index| Row {
            label: format!("call {}", index + 1),
            index,
            extra: String::new(),
            keys: Vec::new(),
        })
        .collect()
}
