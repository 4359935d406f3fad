//! `cost budget`: each team's month against its budget, with a forecast to month end.

use super::Context;
use crate::analysis::budget::{self, Daily, Limits, Status};
use crate::error::Result;
use crate::money::Usd;
use crate::store::query::{Dim, Filter};
use jiff::ToSpan;
use std::collections::BTreeMap;
use std::process::ExitCode;

/// Team budgets: spent, %, forecast to month end, soft/hard status
///
/// Budgets and limits come from [teams.NAME] in cost.toml (`monthly_budget_usd`, `soft_pct`
/// default 80, `hard_pct` default 100). The forecast adds to what is spent the run-rate of the
/// last 14 days, shaped by weekday factors from the last 28 days when there is that much
/// history (-v shows the method per team). Teams without a budget get a suggested one: 115% of
/// their last 30 days' spend, scaled to a month. Exit 1 when a team is over its hard limit, or
/// over the level --fail-on names. A team with a budget and unpriced usage this month is
/// `incomplete` (its spend is a lower bound), never `ok`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cost budget\n  cost budget --month 2026-10 --fail-on soft\n  cost budget --fail-on incomplete\n  cost budget --format json"
)]
pub struct Args {
    /// The month [default: this month]
    #[arg(long, value_name = "YYYY-MM")]
    pub month: Option<String>,
    /// Exit 1 when any team has passed this level [default: hard]; `incomplete` also fails
    /// on a team whose month has unpriced usage
    #[arg(long, value_name = "LEVEL", value_parser = ["incomplete", "soft", "hard"])]
    pub fail_on: Option<String>,
}

pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode> {
    let report = compute(ctx, args.month.as_deref())?;
    let today = ctx.today();
    let month_start = super::month_start(args.month.as_deref(), today)?;
    let as_of = today.min(month_start.last_of_month()).max(month_start);
    ctx.explain_period(&month_start.to_string(), &as_of.to_string(), super::PeriodFlags::Month)?;
    ctx.emit(&report)?;
    let level = match args.fail_on.as_deref() {
        Some("incomplete") => Status::Incomplete,
        Some("soft") => Status::Soft,
        _ => Status::Hard,
    };
    // Levels are ordered incomplete < soft < hard; forecasts never fail.
    let breached = report
        .teams
        .iter()
        .any(|t| matches!(t.status, Status::Incomplete | Status::Soft | Status::Hard) && t.status >= level);
    Ok(if breached { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Each team's month (`YYYY-MM`, default this month) against its budget, as `run` shows it.
pub fn compute(ctx: &Context, month: Option<&str>) -> Result<budget::Budget> {
    let today = ctx.today();
    let month_start = super::month_start(month, today)?;
    let as_of = today.min(month_start.last_of_month());
    let history_start = month_start.checked_sub(60.days()).unwrap_or(month_start);
    let mut teams: BTreeMap<Option<String>, (Option<Limits>, Daily)> = BTreeMap::new();
    for (name, t) in &ctx.config.teams {
        teams.insert(
            Some(name.clone()),
            (
                Some(Limits {
                    monthly_budget: t.monthly_budget_usd.and_then(Usd::from_f64),
                    soft_pct: t.soft_pct.unwrap_or(80.0),
                    hard_pct: t.hard_pct.unwrap_or(100.0),
                }),
                Daily::default(),
            ),
        );
    }
    let store = ctx.read_store()?;
    if let Some(store) = &store {
        let filter = Filter {
            since: Some(history_start.to_string()),
            until: Some(as_of.to_string()),
            ..Filter::default()
        };
        for (keys, sums) in store.sums(&[Dim::Team, Dim::Day], &filter)? {
            let team = Some(keys[0].clone()).filter(|t| !t.is_empty());
            let Ok(day) = keys[1].parse::<jiff::civil::Date>() else {
                continue;
            };
            let entry = teams.entry(team).or_insert((None, Daily::default()));
            *entry.1.cost.entry(day).or_insert(0) += sums.cost_nanos;
            if day >= month_start {
                entry.1.requests += sums.requests;
                entry.1.unpriced += sums.unpriced_requests;
            }
        }
    }
    let days_per_month = ctx.config.days_per_month.to_f64();
    let mut report = budget::build(month_start, as_of, days_per_month, &teams);
    report.empty_store = store.is_none();
    Ok(report)
}
