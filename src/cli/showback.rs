//! `cost showback`: provisioned capacity from `[[commitments]]` against the usage on it.

use super::Context;
use crate::analysis::showback::{self, Showback, TeamUsage};
use crate::error::Result;
use crate::money::Usd;
use crate::store::query::{Dim, Filter};
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
    let used = compute(ctx, args.month.as_deref())?;
    if ctx.config.commitments.is_empty() {
        ctx.hint("hint: no [[commitments]] in cost.toml: add name, model and monthly_usd for each reserved or provisioned capacity");
    }
    ctx.explain_period(&used.since, &used.until, super::PeriodFlags::Month)?;
    ctx.emit(&used)?;
    Ok(ExitCode::SUCCESS)
}

/// Use of each commitment over a month (`YYYY-MM`, default this month to date).
pub fn compute(ctx: &Context, month: Option<&str>) -> Result<Showback> {
    let today = ctx.today();
    let month_start = super::month_start(month, today)?;
    let month_end = month_start.last_of_month();
    // A month that has not started covers no days (and reports an empty period).
    let until = today.min(month_end).max(month_start);
    let covered = if today < month_start {
        0
    } else {
        (until.day() as i64).min(month_end.day() as i64)
    };
    let month_days = month_end.day() as i64;
    let store = ctx.read_store()?;
    let rows = match &store {
        Some(s) => s.sums(
            &[Dim::Team, Dim::Model],
            &Filter {
                since: Some(month_start.to_string()),
                until: Some(until.to_string()),
                ..Filter::default()
            },
        )?,
        None => Vec::new(),
    };
    let prices = ctx.prices()?;
    let mut out = Vec::new();
    for c in &ctx.config.commitments {
        let key = prices.resolve(&c.model);
        let mut usage = TeamUsage::new();
        for (k, sums) in &rows {
            let (team, model) = (&k[0], &k[1]);
            let same = crate::pricing::same_model(prices, &c.model, key.as_deref(), model);
            let team_ok = c.teams.is_empty() || c.teams.iter().any(|t| t == team);
            if same && team_ok {
                let e = usage
                    .entry(Some(team.clone()).filter(|t| !t.is_empty()))
                    .or_insert((0, 0, 0));
                e.0 += sums.cost_nanos;
                e.1 += sums.requests;
                e.2 += sums.unpriced_requests;
            }
        }
        let monthly = Usd::from_f64(c.monthly_usd).unwrap_or(Usd::ZERO);
        let mut used = showback::commitment(&c.name, &c.model, monthly, covered, month_days, &usage);
        used.teams_listed = c.teams.clone();
        out.push(used);
    }
    Ok(Showback {
        schema: "cost.showback/v1",
        since: month_start.to_string(),
        until: until.to_string(),
        commitments: out,
    })
}
