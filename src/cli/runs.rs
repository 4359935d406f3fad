//! `cost runs`: cost per run — one row per session (agent run, conversation, trace).

use super::Context;
use crate::analysis::runs::{self, Params, SortKey};
use crate::error::{Error, Result};
use crate::period::{self, Period};
use crate::store::query::Filter;
use std::process::ExitCode;

/// Cost per run: one row per session (agent run, conversation, trace), and its spread
///
/// A run is every stored call with the same session id (envelope `session_id`, Claude Code's
/// session, LiteLLM `session_id`/trace id, OTel `gen_ai.conversation.id`). Each row shows the
/// run's start, duration, calls, failed calls, tokens, cost and context growth (the last
/// call's input ÷ the first call's), with the first call's team and template. `--per template`
/// or `--per team` shows the spread of cost per run instead (p50, p90, p99, max; nearest rank).
/// Runaway runs are listed under the table: over 5× the calls (and ≥ 20) or the cost (and
/// ≥ $1) of the p90 of their template's other runs, or a retry loop: ≥ 5 failed calls in a row,
/// or ≥ 5 failed calls that are at least one call in five.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Periods (--since): 2026-10-01, 2026-10, 7d, 30d, today, yesterday, this-month, last-month

Examples:
  cost runs --since 7d
  cost runs --template support/answer --sort calls --top 5
  cost runs --per template
  cost runs --format json | jq '.runaway'"
)]
pub struct Args {
    /// Start of the period (inclusive) [default: the first of this month]
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// End of the period, inclusive: a date or a month [default: today]
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    #[command(flatten)]
    pub filter: super::FilterArgs,
    /// Order runs by: cost, calls, duration, start, growth, errors
    #[arg(long, value_name = "KEY", default_value = "cost", value_parser = parse_sort)]
    pub sort: SortKey,
    /// Show the first N runs (0: all)
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub top: usize,
    /// Show the spread of cost per run per template or per team instead of the runs
    #[arg(long, value_name = "DIM", value_parser = ["template", "team"])]
    pub per: Option<String>,
}

fn parse_sort(s: &str) -> std::result::Result<SortKey, String> {
    SortKey::parse(s).ok_or_else(|| {
        format!(
            "unknown sort key `{s}` (expected one of: {})",
            SortKey::NAMES.join(", ")
        )
    })
}

pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode> {
    let today = ctx.today();
    let p = period::resolve(
        args.since.as_deref(),
        args.until.as_deref(),
        today,
        Period::month_to_date(today),
    )
    .map_err(Error::usage)?;
    let store = ctx.read_store()?;
    if let Some(s) = &store {
        args.filter.check(ctx, s)?;
    }
    let (since, until) = (p.since.to_string(), p.until.to_string());
    let mut result = runs::compute(
        store.as_ref(),
        &since,
        &until,
        &Params {
            filter: Filter {
                teams: args.filter.team.clone(),
                models: args.filter.model.clone(),
                templates: args.filter.template.clone(),
                ..Filter::default()
            },
            sort: args.sort,
            top: (args.top > 0).then_some(args.top),
        },
    )?;
    if result.total_runs == 0 {
        ctx.explain_period(&since, &until, super::PeriodFlags::Range)?;
        if store.is_some() {
            ctx.hint("hint: no calls with a session id in this period: runs come from envelope `session_id`, Claude Code sessions, LiteLLM `session_id` and OTel `gen_ai.conversation.id`");
        }
    }
    result.per = args.per.clone();
    ctx.emit(&result)?;
    Ok(ExitCode::SUCCESS)
}
