//! Each view's list as rows: the label a filter matches and a jump looks for, the index into
//! the view's data, and the figures its sorts use.

use super::View;
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

pub(super) fn base_rows(data: &Data, view: View) -> Vec<Row> {
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
                a.cache
                    .rows
                    .iter()
                    .enumerate()
                    .map(|(index, r)| Row {
                        label: r
                            .dims
                            .get("template")
                            .cloned()
                            .flatten()
                            .unwrap_or_else(|| "(none)".into()),
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
    }
}

/// A team's templates (the drill-down list).
pub(super) fn drill_rows(data: &Data, team: &str) -> Vec<Row> {
    data.core
        .team_templates
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.label(Dim::Team) == team)
        .map(|(index, r)| Row {
            label: r.label(Dim::Template),
            index,
            extra: String::new(),
            keys: vec![r.sums.cost_nanos as f64, 0.0, 0.0, r.cache_hit_rate.unwrap_or(-1.0)],
        })
        .collect()
}
