//! `cost budget`: each team's month against its budget, with a forecast to month end.

use super::Context;
use crate::analysis::budget::{self, Status};
use crate::error::Result;
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
    let today = ctx.today();
    let month = super::month_start(args.month.as_deref(), today)?;
    let store = ctx.read_store()?;
    let report = budget::compute(store.as_ref(), &ctx.config, &budget::Params { month, today })?;
    let as_of = today.min(month.last_of_month()).max(month);
    ctx.explain_period(&month.to_string(), &as_of.to_string(), super::PeriodFlags::Month)?;
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
