//! `cost whatif`: what the stored usage would have cost on another model, tier or cache rate.

use super::Context;
use crate::analysis::whatif;
use crate::error::{Error, Result};
use crate::period::{self, Period};
use crate::pricing::Tier;
use crate::store::query::Dim;
use std::process::ExitCode;

/// Reprice stored usage under another model, tier or cache-hit rate
///
/// Usage logged on --from (a model name as logged, a glob, or any name that resolves to the
/// same price) is repriced on --model, and/or on --tier, and/or with --cache-hit-rate of its
/// input read from the cache; other usage keeps its cost. Batch without a listed batch price is
/// 50% of every bucket (DESIGN §10). Requests whose input would not fit the target model's
/// context window are counted per row. The period defaults to the last 30 days.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  cost whatif --from gpt-4o --model gpt-4o-mini --team support
  cost whatif --tier batch --template 'reports/**'
  cost whatif --cache-hit-rate 0.8 --by template")]
pub struct Args {
    /// The model to move to
    #[arg(long, value_name = "MODEL")]
    pub model: Option<String>,
    /// Only reprice usage logged on this model: the name, its dated snapshots, a glob, or a
    /// name with the same price
    #[arg(long, value_name = "MODEL")]
    pub from: Option<String>,
    /// The tier to move to
    #[arg(long, value_enum)]
    pub tier: Option<TierArg>,
    /// The share of input read from the cache (0 to 1)
    #[arg(long, value_name = "RATE", value_parser = super::parse_rate)]
    pub cache_hit_rate: Option<crate::money::Micro>,
    /// Group by (comma-separated dimensions)
    #[arg(long, value_name = "DIMS", value_delimiter = ',', value_parser = super::report::parse_dim, default_value = "team,template")]
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
    /// Only these templates (repeatable; globs)
    #[arg(long, value_name = "NAME")]
    pub template: Vec<String>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum TierArg {
    Standard,
    Batch,
    Priority,
    Flex,
}

pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode> {
    if args.model.is_none() && args.tier.is_none() && args.cache_hit_rate.is_none() {
        return Err(Error::usage_hint(
            "nothing to change",
            "give --model, --tier and/or --cache-hit-rate (e.g. `cost whatif --from gpt-4o --model gpt-4o-mini`)",
        ));
    }
    let today = ctx.today();
    let p = period::resolve(
        args.since.as_deref(),
        args.until.as_deref(),
        today,
        Period::last_days(today, 30),
    )
    .map_err(Error::usage)?;
    let prices = ctx.prices()?;
    // An unknown --model is the first thing to say, before anything about the store.
    if let Some(m) = &args.model {
        prices.lookup(m, Some(p.until)).map_err(|e| e.in_context("--model"))?;
    }
    let by = super::report::unique_dims(&args.by);
    let store = ctx.read_store()?;
    if let Some(s) = &store {
        super::report::check_teams(ctx, s, &args.team)?;
    }
    let params = whatif::Params {
        period: p,
        by,
        teams: args.team.clone(),
        templates: args.template.clone(),
        from: args.from.clone(),
        model: args.model.clone(),
        tier: args.tier.map(|t| match t {
            TierArg::Standard => Tier::Standard,
            TierArg::Batch => Tier::Batch,
            TierArg::Priority => Tier::Priority,
            TierArg::Flex => Tier::Flex,
        }),
        cache_hit_rate: args.cache_hit_rate,
    };
    let (what, warnings) = whatif::compute(store.as_ref(), prices, &params)?;
    for w in &warnings {
        ctx.hint(w);
    }
    if what.rows.is_empty() {
        ctx.explain_period(&p.since.to_string(), &p.until.to_string(), super::PeriodFlags::Range)?;
    }
    ctx.emit(&what)?;
    Ok(ExitCode::SUCCESS)
}
