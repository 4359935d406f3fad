//! `cost anomalies`: spend spikes and cost-per-call change points.

use super::Context;
use crate::analysis::anomalies;
use crate::error::{Error, Result};
use crate::period::{self, Period};
use std::process::ExitCode;

/// Spend spikes per team, template and model, template cost-per-call change points, and runaway runs
///
/// A spike: a day's spend at least --threshold robust deviations (1.4826 × MAD, at least 10% of
/// the median) above the median of the up to 28 days before it (at least 14), and at least
/// --min-usd above it. A
/// change point: the day a template's cost per call moved by at least --threshold deviations and
/// 10% (median of up to 14 days before vs mean of up to 7 days from that day), with the likely
/// driver (model mix, tokens per call, cache-hit rate, or price) and the monthly impact at the
/// recent volume. A runaway run: a session (agent run, conversation) with more than 5× the calls
/// (and at least 20) or the cost (and at least $1) of the p90 of its template's other runs since
/// the baseline began, or in a retry loop (5 or more failed calls in a row, or 5 or more that
/// are at least one call in five); it names the run, its template,
/// its cost above that p90 and what made it run away. The period defaults to the last 30 days.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cost anomalies\n  cost anomalies --since 2026-10-01 --threshold 5\n  cost anomalies --format json"
)]
pub struct Args {
    /// Start of the period [default: the last 30 days]
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// End of the period, inclusive [default: today]
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Robust deviations a day must be above its baseline
    #[arg(long, default_value_t = 4.0, value_name = "SCORE")]
    pub threshold: f64,
    /// Dollars a spike must be above its baseline
    #[arg(long, default_value_t = 1.0, value_name = "USD")]
    pub min_usd: f64,
}

pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode> {
    if args.threshold.is_nan() || args.threshold <= 0.0 || args.min_usd.is_nan() || args.min_usd < 0.0 {
        return Err(Error::usage("--threshold must be above 0 and --min-usd at least 0"));
    }
    let today = ctx.today();
    let period = period::resolve(
        args.since.as_deref(),
        args.until.as_deref(),
        today,
        Period::last_days(today, 30),
    )
    .map_err(Error::usage)?;
    let store = ctx.read_store()?;
    let params = anomalies::Params {
        period,
        threshold: args.threshold,
        min_usd: args.min_usd,
        days_per_month: ctx.config.days_per_month.to_f64(),
    };
    let found = anomalies::compute(store.as_ref(), &params)?;
    ctx.explain_period(&found.since, &found.until, super::PeriodFlags::Range)?;
    ctx.emit(&found)?;
    Ok(ExitCode::SUCCESS)
}
