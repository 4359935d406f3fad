//! `cost anomalies`: spend spikes and cost-per-call change points.

use super::Context;
use crate::analysis::anomalies::{self, Anomalies, Day};
use crate::error::{Error, Result};
use crate::period::{self, Period};
use crate::store::query::{Dim, Filter};
use jiff::ToSpan;
use jiff::civil::Date;
use std::collections::BTreeMap;
use std::process::ExitCode;

/// Spend spikes per team, template and model, and template cost-per-call change points
///
/// A spike: a day's spend at least --threshold robust deviations (1.4826 × MAD, at least 10% of
/// the median) above the median of the up to 28 days before it (at least 14), and at least
/// --min-usd above it. A
/// change point: the day a template's cost per call moved by at least --threshold deviations and
/// 10% (median of up to 14 days before vs mean of up to 7 days from that day), with the likely
/// driver (model mix, tokens per call, cache-hit rate, or price) and the monthly impact at the
/// recent volume. The period defaults to the last 30 days.
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

fn day(keys: &str) -> Option<Date> {
    keys.parse().ok()
}

pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode> {
    let found = compute(ctx, args)?;
    ctx.explain_period(&found.since, &found.until, super::PeriodFlags::Range)?;
    ctx.emit(&found)?;
    Ok(ExitCode::SUCCESS)
}

/// The anomalies `run` lists, newest first.
pub fn compute(ctx: &Context, args: &Args) -> Result<Anomalies> {
    if args.threshold.is_nan() || args.threshold <= 0.0 || args.min_usd.is_nan() || args.min_usd < 0.0 {
        return Err(Error::usage("--threshold must be above 0 and --min-usd at least 0"));
    }
    let today = ctx.today();
    let p = period::resolve(
        args.since.as_deref(),
        args.until.as_deref(),
        today,
        Period::last_days(today, 30),
    )
    .map_err(Error::usage)?;
    let history = p.since.checked_sub(anomalies::BASELINE_DAYS.days()).unwrap_or(p.since);
    let filter = Filter {
        since: Some(history.to_string()),
        until: Some(p.until.to_string()),
        ..Filter::default()
    };
    let store = ctx.read_store()?;
    let mut found = Vec::new();
    let mut unpriced = 0;
    if let Some(store) = &store {
        let period_only = Filter {
            since: Some(p.since.to_string()),
            ..filter.clone()
        };
        unpriced = store
            .sums(&[], &period_only)?
            .iter()
            .map(|(_, s)| s.unpriced_requests)
            .sum();
        for (dim, name) in [(Dim::Team, "team"), (Dim::Template, "template"), (Dim::Model, "model")] {
            let mut series: BTreeMap<String, BTreeMap<Date, Day>> = BTreeMap::new();
            for (k, s) in store.sums(&[dim, Dim::Day], &filter)? {
                let Some(d) = day(&k[1]) else { continue };
                let e = series.entry(k[0].clone()).or_default().entry(d).or_default();
                e.cost_nanos += s.cost_nanos;
                e.requests += s.requests;
            }
            for (key, s) in &series {
                let key = Some(key.as_str()).filter(|k| !k.is_empty());
                found.extend(anomalies::spikes(
                    name,
                    key,
                    s,
                    p.since,
                    p.until,
                    args.threshold,
                    args.min_usd,
                ));
            }
        }
        // Change points per template, with what each day was made of.
        let mut per_model: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
        let rows = store.sums(&[Dim::Template, Dim::Model, Dim::Day], &filter)?;
        for (k, s) in &rows {
            *per_model
                .entry(k[0].clone())
                .or_default()
                .entry(k[1].clone())
                .or_insert(0) += s.cost_nanos;
        }
        let main: BTreeMap<&String, &String> = per_model
            .iter()
            .filter_map(|(t, models)| models.iter().max_by_key(|(_, c)| **c).map(|(m, _)| (t, m)))
            .collect();
        let mut series: BTreeMap<String, BTreeMap<Date, Day>> = BTreeMap::new();
        for (k, s) in &rows {
            if k[0].is_empty() {
                continue;
            }
            let Some(d) = day(&k[2]) else { continue };
            let e = series.entry(k[0].clone()).or_default().entry(d).or_default();
            e.cost_nanos += s.cost_nanos;
            e.requests += s.requests;
            e.tokens += s.total_input() + s.output;
            e.cache_read += s.cache_read;
            e.input += s.total_input();
            if main.get(&k[0]) == Some(&&k[1]) {
                e.main_model_cost += s.cost_nanos;
            }
        }
        let dpm = ctx.config.days_per_month.to_f64();
        for (key, s) in &series {
            found.extend(anomalies::change_point(
                Some(key),
                s,
                p.since,
                p.until,
                args.threshold,
                dpm,
            ));
        }
    }
    found.sort_by(|a, b| b.date.cmp(&a.date).then(b.score.total_cmp(&a.score)));
    Ok(Anomalies {
        schema: "cost.anomalies/v1",
        since: p.since.to_string(),
        until: p.until.to_string(),
        threshold: args.threshold,
        min_usd: args.min_usd,
        anomalies: found,
        unpriced_requests: unpriced,
    })
}
