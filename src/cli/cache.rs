//! `cost cache`: prompt-cache KPIs and the templates that would gain from caching.

use super::Context;
use crate::analysis::cache::{self, Acc, CacheReport};
use crate::error::{Error, Result};
use crate::period::{self, Period};
use crate::store::query::{Dim, Filter};
use std::collections::BTreeMap;
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
    let report = compute(ctx, args)?;
    if report.rows.is_empty() {
        ctx.explain_period(&report.since, &report.until, super::PeriodFlags::Range)?;
    }
    ctx.emit(&report)?;
    Ok(ExitCode::SUCCESS)
}

/// The cache KPIs and opportunities `run` shows.
pub fn compute(ctx: &Context, args: &Args) -> Result<CacheReport> {
    let today = ctx.today();
    let p = period::resolve(
        args.since.as_deref(),
        args.until.as_deref(),
        today,
        Period::last_days(today, 30),
    )
    .map_err(Error::usage)?;
    let by = super::report::unique_dims(&args.by);
    let prices = ctx.prices()?;
    let store = ctx.read_store()?;
    if let Some(s) = &store {
        super::report::check_teams(ctx, s, &args.team)?;
    }
    let filter = Filter {
        since: Some(p.since.to_string()),
        until: Some(p.until.to_string()),
        teams: args.team.clone(),
        ..Filter::default()
    };
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
    let rows = match &store {
        Some(s) => s.sums(&dims, &filter)?,
        None => Vec::new(),
    };
    let mut groups: BTreeMap<Vec<String>, Acc> = BTreeMap::new();
    let mut total = Acc::default();
    let mut by_template: BTreeMap<String, crate::store::query::Sums> = BTreeMap::new();
    let template_dim = dims.iter().position(|d| *d == Dim::Template);
    for (k, s) in &rows {
        let rates = prices
            .resolve(&k[mi])
            .and_then(|key| prices.price_at(&key, Some(p.until)))
            .and_then(|price| {
                price
                    .rates(
                        k[ti].parse().unwrap_or(crate::pricing::Tier::Standard),
                        crate::money::Micro::ZERO,
                    )
                    .ok()
            });
        let (saved, premium) = match (&rates, s.unpriced_requests) {
            (Some(r), 0) => cache::money(s, r),
            _ => (crate::money::Usd::ZERO, crate::money::Usd::ZERO),
        };
        let key: Vec<String> = k[..by.len()].to_vec();
        for acc in [groups.entry(key).or_default(), &mut total] {
            acc.sums.add(s);
            acc.savings += saved;
            acc.premium += premium;
        }
        if let Some(i) = template_dim {
            by_template.entry(k[i].clone()).or_default().add(s);
        }
    }
    let mut out_rows: Vec<cache::CacheRow> = groups
        .into_iter()
        .map(|(k, acc)| {
            let dims = by
                .iter()
                .zip(k)
                .map(|(d, v)| (d.name().to_string(), (!v.is_empty()).then_some(v)))
                .collect();
            acc.row(dims)
        })
        .collect();
    out_rows.sort_by(|a, b| {
        b.net_savings_usd
            .cmp(&a.net_savings_usd)
            .then(b.requests.cmp(&a.requests))
    });

    // Opportunities: the templates of this repository, measured, against their stored usage.
    let mut opportunities = Vec::new();
    let mut note = None;
    if template_dim.is_none() {
        note = Some("Opportunities are listed with --by template.".to_string());
    } else {
        match super::estimate::compute(ctx, &[], &Default::default(), &Default::default()) {
            Ok(est) => {
                let days = p.days().max(1) as f64;
                let per_month = ctx.config.days_per_month.to_f64() / days;
                for row in est.rows.iter().filter(|r| r.primary) {
                    let Some(s) = by_template.get(&row.template) else {
                        continue;
                    };
                    let input = s.total_input();
                    let hit = if input > 0 {
                        s.cache_read as f64 / input as f64
                    } else {
                        0.0
                    };
                    if let Some(o) = cache::opportunity(
                        &row.template,
                        &row.model,
                        row.cacheable_prefix_tokens,
                        hit,
                        s.requests as f64 * per_month,
                        &row.rates,
                    ) {
                        opportunities.push(o);
                    }
                }
                opportunities.sort_by_key(|o| std::cmp::Reverse(o.estimated_monthly_saving_usd));
                if opportunities.is_empty() {
                    note = Some(format!(
                        "No opportunities: none of the {} templates found has a cacheable prefix of 1,024+ tokens with a stored hit rate under 50%.",
                        est.rows.iter().filter(|r| r.primary).count()
                    ));
                }
            }
            Err(e) => note = Some(format!("Opportunities need the templates of this repository: {e}")),
        }
    }
    Ok(CacheReport {
        schema: "cost.cache/v1",
        since: p.since.to_string(),
        until: p.until.to_string(),
        group_by: by,
        rows: out_rows,
        totals: total.row(BTreeMap::new()),
        opportunities,
        opportunities_note: note,
    })
}
