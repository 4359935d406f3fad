//! `cost showback`: provisioned capacity from `[[commitments]]` against the usage on it.

use super::Context;
use crate::analysis::showback;
use crate::error::Result;
use std::process::ExitCode;

/// Commitments: committed vs consumed at list price, utilisation, idle cost, per-team share
///
/// Each [[commitments]] entry in cost.toml (`name`, `model`, `monthly_usd`, optional `teams`) is
/// matched with the stored usage of its model (logged names that resolve to the same price,
/// e.g. `gpt-4o-2024-08-06` for `gpt-4o`), limited to its teams when it lists any. The committed
/// amount is pro-rated to the days the month has run. Idle cost is shown on its own, never spread
/// over the teams.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  cost showback\n  cost showback --month 2026-10 --format json")]
pub struct Args {
    /// The month [default: this month, to date]
    #[arg(long, value_name = "YYYY-MM")]
    pub month: Option<String>,
}

pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode> {
    let today = ctx.today();
    let month = super::month_start(args.month.as_deref(), today)?;
    let store = ctx.read_store()?;
    let used = showback::compute(
        store.as_ref(),
        &ctx.config,
        ctx.prices()?,
        &showback::Params { month, today },
    )?;
    if ctx.config.commitments.is_empty() {
        ctx.hint("hint: no [[commitments]] in cost.toml: add name, model and monthly_usd for each reserved or provisioned capacity");
    }
    ctx.explain_period(&used.since, &used.until, super::PeriodFlags::Month)?;
    ctx.emit(&used)?;
    Ok(ExitCode::SUCCESS)
}
