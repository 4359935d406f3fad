//! `cost cache`: prompt-cache KPIs and the templates that would gain from caching.

use super::Context;
use crate::analysis::cache;
use crate::error::{Error, Result};
use crate::period::{self, Period};
use crate::store::query::Dim;
use std::process::ExitCode;

/// Cache KPIs: hit rates, savings, write premium, and caching opportunities
///
/// Token hit rate = cache-read tokens ÷ all input; request hit rate = calls that read from the
/// cache ÷ calls. Savings = cache reads × (input price − cache-read price); write premium =
/// cache writes × (write price − input price); net = savings − premium (prices of each model and
/// tier, as of the period's last day). Opportunities: templates under [templates] whose
/// cacheable prefix is at least 1,024 tokens but whose stored hit rate is under 50%, with the
/// monthly saving if 80% of the prefix came from the cache.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  cost cache\n  cost cache --by team,model --since 7d\n  cost cache --format json")]
pub struct Args {
    /// Group by (comma-separated): team, template, model, provider, key, project, tier, day, week, month
    #[arg(long, value_name = "DIMS", value_delimiter = ',', value_parser = super::report::parse_dim, default_value = "template")]
    pub by: Vec<Dim>,
    /// Start of the period [default: the last 30 days]
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// End of the period, inclusive [default: today]
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Only these teams (repeatable)
    #[arg(long, value_name = "TEAM")]
    pub team: Vec<String>,
}

pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode> {
    let today = ctx.today();
    let period = period::resolve(
        args.since.as_deref(),
        args.until.as_deref(),
        today,
        Period::last_days(today, 30),
    )
    .map_err(Error::usage)?;
    let prices = ctx.prices()?;
    let store = ctx.read_store()?;
    if let Some(s) = &store {
        super::report::check_teams(ctx, s, &args.team)?;
    }
    let params = cache::Params {
        period,
        by: super::report::unique_dims(&args.by),
        teams: args.team.clone(),
        days_per_month: ctx.config.days_per_month.to_f64(),
    };
    let templates = || super::estimate::templates_of(ctx, &[], &Default::default(), &Default::default());
    let (report, warnings) = cache::compute(store.as_ref(), prices, &params, templates)?;
    for w in &warnings {
        ctx.hint(w);
    }
    if report.rows.is_empty() {
        ctx.explain_period(&report.since, &report.until, super::PeriodFlags::Range)?;
    }
    ctx.emit(&report)?;
    Ok(ExitCode::SUCCESS)
}
