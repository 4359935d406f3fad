//! `cost whatif`: what the stored usage would have cost on another model, tier or cache rate.

use super::Context;
use crate::analysis::whatif::{self, Scenario, WhatIf, WhatIfRow};
use crate::error::{Error, Result};
use crate::money::Usd;
use crate::period::{self, Period};
use crate::pricing::Tier;
use crate::report::nanos;
use crate::store::query::{Dim, Filter};
use std::collections::BTreeMap;
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
    let target = match &args.model {
        Some(m) => Some(prices.lookup(m, Some(p.until)).map_err(|e| e.in_context("--model"))?),
        None => None,
    };
    let tier = args.tier.map(|t| match t {
        TierArg::Standard => Tier::Standard,
        TierArg::Batch => Tier::Batch,
        TierArg::Priority => Tier::Priority,
        TierArg::Flex => Tier::Flex,
    });
    let hit_rate = args.cache_hit_rate.map(|r| r.to_f64());
    let from_key = args.from.as_deref().and_then(|f| prices.resolve(f));
    let matches = |logged: &str| -> bool {
        match &args.from {
            None => true,
            Some(f) => crate::pricing::same_model(prices, f, from_key.as_deref(), logged),
        }
    };
    let by = super::report::unique_dims(&args.by);
    let store = ctx.read_store()?;
    if let Some(s) = &store {
        super::report::check_teams(ctx, s, &args.team)?;
    }
    let mut dims = by.clone();
    for extra in [Dim::Model, Dim::Tier] {
        if !dims.contains(&extra) {
            dims.push(extra);
        }
    }
    let (mi, ti) = (
        dims.iter().position(|d| *d == Dim::Model).unwrap_or(0),
        dims.iter().position(|d| *d == Dim::Tier).unwrap_or(0),
    );
    let filter = Filter {
        since: Some(p.since.to_string()),
        until: Some(p.until.to_string()),
        teams: args.team.clone(),
        templates: args.template.clone(),
        ..Filter::default()
    };
    let rows = match &store {
        Some(s) => s.sums(&dims, &filter)?,
        None => Vec::new(),
    };
    let mut groups: BTreeMap<Vec<String>, (i64, Usd, Usd)> = BTreeMap::new();
    let mut unpriced = 0i64;
    let mut moved_models: Vec<String> = Vec::new();
    for (k, s) in &rows {
        if s.unpriced_requests > 0 {
            unpriced += s.unpriced_requests;
            continue;
        }
        let current = nanos(s.cost_nanos);
        let scenario = if matches(&k[mi]) {
            if !moved_models.contains(&k[mi]) {
                moved_models.push(k[mi].clone());
            }
            let own = prices
                .resolve(&k[mi])
                .and_then(|key| prices.price_at(&key, Some(p.until)));
            let price = target.or(own);
            let row_tier = tier.unwrap_or_else(|| k[ti].parse().unwrap_or(Tier::Standard));
            match price.and_then(|pr| whatif::reprice(s, pr, row_tier, hit_rate)) {
                Some(c) => c,
                None => {
                    unpriced += s.requests.max(1);
                    continue;
                }
            }
        } else {
            current
        };
        let e = groups
            .entry(k[..by.len()].to_vec())
            .or_insert((0, Usd::ZERO, Usd::ZERO));
        e.0 += s.requests;
        e.1 += current;
        e.2 += scenario;
    }
    // Requests that would not fit the target's context window (only when the model changes).
    if args.from.is_some() && moved_models.is_empty() {
        ctx.hint(&format!(
            "warning: no usage in the period is on --from {}: nothing was repriced",
            args.from.as_deref().unwrap_or("")
        ));
    }
    // Calls already on the target model cannot overflow it.
    let target_key = target.map(|t| t.key.clone());
    moved_models.retain(|m| target_key.is_none() || prices.resolve(m) != target_key);
    let window = target.and_then(|t| t.max_input_tokens);
    let overflow: BTreeMap<Vec<String>, i64> = match (&store, window) {
        // The per-cell maximum says whether any call could overflow; only then count them.
        (Some(s), Some(w)) if !moved_models.is_empty() && s.max_input(&filter, &moved_models)? > w as i64 => {
            s.requests_over(&by, &filter, &moved_models, w)?
        }
        _ => BTreeMap::new(),
    };
    let mut out: Vec<WhatIfRow> = groups
        .into_iter()
        .map(|(k, (requests, current, scenario))| WhatIfRow {
            context_overflow_requests: overflow.get(&k).copied().unwrap_or(0),
            dims: by
                .iter()
                .zip(k)
                .map(|(d, v)| (d.name().to_string(), (!v.is_empty()).then_some(v)))
                .collect(),
            requests,
            current_usd: current,
            scenario_usd: scenario,
            saving_usd: current - scenario,
        })
        .collect();
    out.sort_by(|a, b| b.saving_usd.cmp(&a.saving_usd).then(b.current_usd.cmp(&a.current_usd)));
    let totals = WhatIfRow {
        dims: BTreeMap::new(),
        requests: out.iter().map(|r| r.requests).sum(),
        current_usd: out.iter().fold(Usd::ZERO, |a, r| a + r.current_usd),
        scenario_usd: out.iter().fold(Usd::ZERO, |a, r| a + r.scenario_usd),
        saving_usd: out.iter().fold(Usd::ZERO, |a, r| a + r.saving_usd),
        context_overflow_requests: out.iter().map(|r| r.context_overflow_requests).sum(),
    };
    if out.is_empty() {
        ctx.explain_period(&p.since.to_string(), &p.until.to_string(), super::PeriodFlags::Range)?;
    }
    ctx.emit(&WhatIf {
        schema: "cost.whatif/v1",
        since: p.since.to_string(),
        until: p.until.to_string(),
        scenario: Scenario {
            from: args.from.clone(),
            model: args.model.clone(),
            tier,
            cache_hit_rate: hit_rate,
        },
        group_by: by,
        rows: out,
        totals,
        unpriced_requests: unpriced,
        context_window: window,
    })?;
    Ok(ExitCode::SUCCESS)
}
