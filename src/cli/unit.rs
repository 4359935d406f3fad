//! `cost unit`: cost per outcome (an outcomes file) or per run.

use super::Context;
use crate::analysis::unit;
use crate::error::{Error, Result};
use crate::period::{self, Period};
use crate::store::query::Filter;
use std::path::PathBuf;
use std::process::ExitCode;

/// Unit economics: cost per outcome (tickets resolved, active tenants, …) or per run
///
/// With `--outcomes FILE.csv` — a `month` (YYYY-MM) or `date` (YYYY-MM-DD) column, one
/// dimension column (`team`, `template`, `user` or `tag:KEY`) and `units` — each row's spend
/// (the same period and value in the store) is divided by its units, and compared with the
/// same value's previous period. Without it, the unit is a run (a session): cost per run per
/// month and template.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  cost unit --outcomes tickets.csv
  cost unit --outcomes tenants.csv --format csv
  cost unit --since 2026-09

An outcomes file:
  month,team,units
  2026-10,support,1840
  2026-11,support,2210")]
pub struct Args {
    /// CSV of outcomes per period and dimension value
    #[arg(long, value_name = "FILE")]
    pub outcomes: Option<PathBuf>,
    /// Start of the period for cost per run (inclusive) [default: the first of this month]
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// End of the period for cost per run, inclusive [default: today]
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    #[command(flatten)]
    pub filter: super::FilterArgs,
}

pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode> {
    let store = ctx.read_store()?;
    if let Some(s) = &store {
        args.filter.check(ctx, s)?;
    }
    let mut filter = Filter {
        teams: args.filter.team.clone(),
        models: args.filter.model.clone(),
        templates: args.filter.template.clone(),
        ..Filter::default()
    };
    let result = match &args.outcomes {
        Some(path) => {
            if args.since.is_some() || args.until.is_some() {
                return Err(Error::usage_hint(
                    "--since/--until do not apply with --outcomes",
                    "the outcomes file's months or dates are the periods",
                ));
            }
            let text = std::fs::read_to_string(path).map_err(|source| Error::Input {
                path: path.clone(),
                source,
            })?;
            let outcomes = unit::read_outcomes(path, &text)?;
            let report = unit::per_outcome(store.as_ref(), &outcomes, &filter)?;
            if !report.uncovered_usd.is_zero() {
                ctx.hint(&format!(
                    "note: {} of spend in these periods belongs to {} values the outcomes file has no row for",
                    crate::output::usd_places(
                        report.uncovered_usd,
                        crate::output::money_places([report.uncovered_usd])
                    ),
                    report.dimension
                ));
            }
            report
        }
        None => {
            let today = ctx.today();
            let p = period::resolve(
                args.since.as_deref(),
                args.until.as_deref(),
                today,
                Period::month_to_date(today),
            )
            .map_err(Error::usage)?;
            filter.since = Some(p.since.to_string());
            filter.until = Some(p.until.to_string());
            let report = unit::per_run(store.as_ref(), &filter)?;
            if report.rows.is_empty() {
                ctx.explain_period(&p.since.to_string(), &p.until.to_string(), super::PeriodFlags::Range)?;
            }
            report
        }
    };
    ctx.emit(&result)?;
    Ok(ExitCode::SUCCESS)
}
