//! `cost report`: spend by team, template, model, … for a period, from the store's rollups.

use super::Context;
use crate::error::{Error, Result};
use crate::period::{self, Period};
use crate::report::{self, Query};
use crate::store::query::Dim;
use std::process::ExitCode;

/// Spend from the imported usage, grouped by any dimensions
///
/// Columns: requests, each token bucket, cost, token cache-hit rate (cache reads ÷ all
/// input), request cache-hit rate (calls that read from the cache), and unpriced requests
/// (models the price table does not know: counted, never priced at $0). Served from the
/// store's daily rollups. The period defaults to the current month to date (UTC).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Periods (--since): 2026-10-01, 2026-10, 7d, 30d, today, yesterday, this-month, last-month

Examples:
  cost report --by team --since 2026-11-01
  cost report --by template,model --format csv > by-template.csv
  cost report --by day --team support
  cost report --by model --since last-month --compare-reported
  cost report --by tag:feature,team
  cost report --by session --since 7d --format csv"
)]
pub struct Args {
    /// Group by (comma-separated): team, template, model, provider, key, project, tier, day, week, month,
    /// session, user, status, tag:KEY (agent = tag:agent)
    #[arg(long, value_name = "DIMS", value_delimiter = ',', value_parser = parse_dim, default_value = "team")]
    pub by: Vec<Dim>,
    /// Start of the period (inclusive) [default: the first of this month]
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// End of the period, inclusive: a date or a month [default: today]
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    #[command(flatten)]
    pub filter: super::FilterArgs,
    /// Show the cost the logs themselves state (LiteLLM spend, Claude Code costUSD) beside ours
    #[arg(long)]
    pub compare_reported: bool,
}

/// `--by` in the order given, each dimension once.
pub fn unique_dims(by: &[Dim]) -> Vec<Dim> {
    let mut out: Vec<Dim> = Vec::new();
    for d in by {
        if !out.contains(d) {
            out.push(*d);
        }
    }
    out
}

pub fn parse_dim(s: &str) -> std::result::Result<Dim, String> {
    Dim::parse(s).ok_or_else(|| {
        format!(
            "unknown dimension `{s}` (expected one of: {}, tag:KEY)",
            Dim::ALL.iter().map(|d| d.name()).collect::<Vec<_>>().join(", ")
        )
    })
}

pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode> {
    let today = ctx.today();
    let period = period::resolve(
        args.since.as_deref(),
        args.until.as_deref(),
        today,
        Period::month_to_date(today),
    )
    .map_err(Error::usage)?;
    let by = unique_dims(&args.by);
    let store = ctx.read_store()?;
    if let Some(s) = &store {
        args.filter.check(ctx, s)?;
    }
    let report = report::build(
        store.as_ref(),
        &Query {
            group_by: by,
            period,
            teams: args.filter.team.clone(),
            models: args.filter.model.clone(),
            templates: args.filter.template.clone(),
            compare_reported: args.compare_reported,
        },
    )?;
    if report.rows.is_empty() {
        ctx.explain_period(
            &period.since.to_string(),
            &period.until.to_string(),
            super::PeriodFlags::Range,
        )?;
    }
    ctx.emit(&report)?;
    Ok(ExitCode::SUCCESS)
}

/// A model or template filter must name something the store holds (globs always pass).
pub fn check_values(store: &crate::store::Store, dim: Dim, wanted: &[String]) -> Result<()> {
    if wanted.is_empty() {
        return Ok(());
    }
    let known: Vec<String> = store.distinct(dim)?.into_iter().filter(|v| !v.is_empty()).collect();
    for w in wanted {
        if w.contains(['*', '?', '[']) || w == "(none)" || known.contains(w) {
            continue;
        }
        let prefixed: Vec<&String> = known.iter().filter(|k| k.starts_with(w.as_str())).take(3).collect();
        let hint = if !prefixed.is_empty() {
            format!(
                "names match exactly; `{w}*` would match {}",
                prefixed.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
            )
        } else {
            let close = crate::error::did_you_mean(w, known.iter().map(String::as_str), 3);
            if close.is_empty() {
                format!("`cost report --by {}` lists what the store holds", dim.name())
            } else {
                format!(
                    "did you mean {}?",
                    close.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
                )
            }
        };
        return Err(Error::usage_hint(format!("no {} `{w}` in the store", dim.name()), hint));
    }
    Ok(())
}

/// A team filter must name a team the store or cost.toml knows.
pub fn check_teams(ctx: &Context, store: &crate::store::Store, wanted: &[String]) -> Result<()> {
    if wanted.is_empty() {
        return Ok(());
    }
    let mut known: Vec<String> = store
        .teams()?
        .into_iter()
        .map(|t| if t.is_empty() { "(unassigned)".to_string() } else { t })
        .collect();
    known.extend(ctx.config.teams.keys().cloned());
    known.sort();
    known.dedup();
    for t in wanted {
        if !known.contains(t) && !t.contains(['*', '?', '[']) {
            let close = crate::error::did_you_mean(t, known.iter().map(String::as_str), 1);
            return Err(Error::usage_hint(
                format!("unknown team `{t}`"),
                match close.first() {
                    Some(c) => format!("did you mean `{c}`? Known teams: {}", known.join(", ")),
                    None if known.is_empty() => "no teams yet: nothing imported names one".to_string(),
                    None => format!("known teams: {}", known.join(", ")),
                },
            ));
        }
    }
    Ok(())
}
