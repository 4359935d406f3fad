//! `cost export --format focus`: the stored usage as a FOCUS 1.2 CSV.

use super::Context;
use crate::analysis::focus::{self, FocusRow};
use crate::error::{Error, Result};
use crate::money::Usd;
use crate::period::{self, Period};
use crate::store::query::{Dim, Filter};
use std::io::Write;
use std::process::ExitCode;

/// Export stored usage as a FOCUS 1.2 CSV (FinOps Open Cost and Usage Specification)
///
/// One row per day × team × template × model × provider × tier × token bucket (input, cache
/// read, 5-minute and 1-hour cache writes, output). ConsumedQuantity is in tokens,
/// PricingQuantity in millions of tokens. BilledCost = EffectiveCost = cost's own price (tier,
/// long context), split over a cell's buckets in proportion to their list cost, so a day's rows
/// add up to `cost report`; ListCost = ContractedCost = list unit price × quantity. x_Requests is
/// on each cell's first row only, so it sums to the request count. Team and template are in Tags; model, bucket, tier and requests in x_
/// columns. Unpriced usage is left out (its cost is unknown) and counted on stderr.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cost export --format focus --since 2026-10-01 > focus.csv\n  cost export --format focus --since last-month"
)]
pub struct Args {
    /// Start of the period (inclusive) [default: the first of this month]
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// End of the period, inclusive: a date or a month [default: today]
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
}

pub fn run(ctx: &Context, args: &Args, focus: bool) -> Result<ExitCode> {
    if !focus {
        return Err(Error::usage_hint(
            "cost export writes FOCUS only",
            "use `cost export --format focus`; `cost report --format csv` gives cost's own CSV",
        ));
    }
    let today = ctx.today();
    let p = period::resolve(
        args.since.as_deref(),
        args.until.as_deref(),
        today,
        Period::month_to_date(today),
    )
    .map_err(Error::usage)?;
    let store = ctx.read_store()?;
    let prices = ctx.prices()?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let io = |e: std::io::Error| Error::Io {
        path: "<stdout>".into(),
        source: e,
    };
    writeln!(out, "{}", focus::COLUMNS.join(",")).map_err(io)?;
    let (mut rows, mut unpriced) = (0usize, 0i64);
    if let Some(store) = &store {
        let dims = [Dim::Day, Dim::Team, Dim::Template, Dim::Model, Dim::Provider, Dim::Tier];
        let filter = Filter {
            since: Some(p.since.to_string()),
            until: Some(p.until.to_string()),
            ..Filter::default()
        };
        for (k, s) in store.sums(&dims, &filter)? {
            let Ok(day) = k[0].parse::<jiff::civil::Date>() else {
                continue;
            };
            // The provider finds bare names the table keys under a prefix (`mistral/…`).
            let price = prices.price_for(&k[3], Some(k[4].as_str()).filter(|p| !p.is_empty()), Some(day));
            let Some(price) = price.filter(|_| s.unpriced_requests == 0) else {
                unpriced += s.unpriced_requests.max(1);
                continue;
            };
            let tokens = [
                s.uncached_input,
                s.cache_read,
                s.cache_write_5m,
                s.cache_write_1h,
                s.output,
            ];
            for (n, (i, cost, unit)) in focus::split(Usd::from_nanos(s.cost_nanos), tokens, price, &k[5])
                .into_iter()
                .enumerate()
            {
                // Names from logs carry no control characters into the file (it may be printed).
                let safe = |s: &str| crate::output::safe_name(s).into_owned();
                let row = FocusRow {
                    day,
                    team: Some(safe(&k[1])).filter(|t| !t.is_empty()),
                    template: Some(safe(&k[2])).filter(|t| !t.is_empty()),
                    model: safe(&k[3]),
                    model_key: price.key.clone(),
                    provider: if k[4].is_empty() {
                        price.provider_name().to_string()
                    } else {
                        k[4].clone()
                    },
                    tier: k[5].clone(),
                    bucket: focus::BUCKETS[i],
                    tokens: tokens[i],
                    requests: s.requests,
                    cost,
                    list_unit_price: unit,
                    first_of_cell: n == 0,
                };
                writeln!(out, "{}", focus::line(&row)).map_err(io)?;
                rows += 1;
            }
        }
    }
    out.flush().map_err(io)?;
    ctx.hint(&format!("{rows} FOCUS rows, {} to {} (UTC).", p.since, p.until));
    if unpriced > 0 {
        ctx.hint(&format!(
            "warning: {unpriced} unpriced requests are not in the export: their cost is unknown, not zero. Add [prices] and `cost import --update`."
        ));
    }
    Ok(ExitCode::SUCCESS)
}
