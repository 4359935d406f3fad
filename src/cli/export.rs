//! `cost export`: the stored usage as a FOCUS 1.2 CSV (of the rollups), as JSON lines another
//! store imports losslessly, or as Hive-partitioned Parquet for a warehouse.

use super::{Context, FormatArg};
use crate::analysis::focus::{self, FocusRow};
use crate::error::{Error, Result};
use crate::money::Usd;
use crate::period::{self, Period};
use crate::store::Store;
use crate::store::query::{Dim, Filter};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Export stored usage: FOCUS 1.2 CSV, lossless JSON lines, or Parquet
///
/// `--format focus`: a FOCUS 1.2 CSV (FinOps Open Cost and Usage Specification), one row per
/// day × team × template × model × provider × tier × user × session × tag set × token bucket
/// (input, cache read, 5-minute and 1-hour cache writes, output). ConsumedQuantity is in tokens, PricingQuantity in millions
/// of tokens. BilledCost = EffectiveCost = cost's own price (tier, long context), split over a
/// cell's buckets in proportion to their list cost, so a day's rows add up to `cost report`;
/// ListCost = ContractedCost = list unit price × quantity. x_Requests is on each cell's first
/// row only, so it sums to the request count. Tags holds the requests' tags with team and
/// template; model, bucket, tier, requests, end user (x_UserId) and session (x_SessionId) are in
/// x_ columns. Unpriced usage is left out (its cost is unknown) and counted
/// on stderr. The period defaults to this month.
///
/// `--format jsonl`: one JSON line per stored request (`"schema":"cost.export/v1"`) with the
/// dedupe key it is stored under, time, buckets, tier, model as logged and as priced,
/// attribution, tags, session, user, status, and the source, file and line it was read from.
/// `cost import` reads it back (source `cost-export`) and prices it again; a request the store
/// already holds is a duplicate, so the exports of several machines merge into one store. The
/// period defaults to everything stored.
///
/// `--format parquet --out DIR`: one row per request in `DIR/month=YYYY-MM/part-0.parquet`
/// (Hive partitions), the FOCUS 1.2 columns and cost's own (`x_` columns: buckets, tier, team,
/// template, session, user, tags as JSON). Money is DECIMAL(18,9), exact to the nano-dollar;
/// times are TIMESTAMP(MILLIS, UTC). Each month written replaces that month's file at once
/// (written aside, then renamed); other months are left as they are. The period defaults to
/// everything stored.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  cost export --format focus --since 2026-10-01 > focus.csv
  cost export --format jsonl --out laptop.jsonl          # then, on another machine:
  cost import laptop.jsonl                               # adds what that store lacks
  cost export --format parquet --out warehouse/cost --since 2026-10
  cost export --format jsonl --team support --since last-month")]
pub struct Args {
    /// Start of the period (inclusive) [default: focus: the first of this month; jsonl, parquet: everything]
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// End of the period, inclusive: a date or a month [default: focus: today; jsonl, parquet: everything]
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Write to this file (focus, jsonl; default stdout) or into this directory (parquet, required)
    #[arg(long, short, value_name = "PATH")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub filter: super::FilterArgs,
}

pub fn run(ctx: &Context, args: &Args, format: FormatArg) -> Result<ExitCode> {
    match format {
        FormatArg::Focus => run_focus(ctx, args),
        FormatArg::Jsonl => run_jsonl(ctx, args),
        FormatArg::Parquet => run_parquet(ctx, args),
        _ => Err(Error::usage_hint(
            "cost export writes --format focus, jsonl or parquet",
            "focus: a FOCUS 1.2 CSV; jsonl: every request, for another store's `cost import`; parquet: for a warehouse. `cost report --format csv` gives cost's own CSV",
        )),
    }
}

/// The store and the filter of the flags (teams, models and templates checked against it).
fn select(ctx: &Context, args: &Args, period: Option<Period>) -> Result<(Option<Store>, Filter)> {
    let store = ctx.read_store()?;
    if let Some(s) = &store {
        args.filter.check(ctx, s)?;
    }
    let filter = Filter {
        since: period.map(|p| p.since.to_string()),
        until: period.map(|p| p.until.to_string()),
        teams: args.filter.team.clone(),
        models: args.filter.model.clone(),
        templates: args.filter.template.clone(),
    };
    Ok((store, filter))
}

/// The period of the row exports: everything, unless `--since`/`--until` say otherwise.
fn row_period(ctx: &Context, args: &Args) -> Result<Option<Period>> {
    if args.since.is_none() && args.until.is_none() {
        return Ok(None);
    }
    let today = ctx.today();
    let everything = Period {
        since: jiff::civil::date(1, 1, 1),
        until: jiff::civil::date(9999, 12, 31),
    };
    period::resolve(args.since.as_deref(), args.until.as_deref(), today, everything)
        .map(Some)
        .map_err(Error::usage)
}

fn describe(period: Option<Period>) -> String {
    match period {
        None => "everything stored".into(),
        Some(p) => format!("{} to {} (UTC)", p.since, p.until),
    }
}

fn unpriced_note(ctx: &Context, unpriced: u64) {
    if unpriced > 0 {
        ctx.hint(&format!(
            "{unpriced} unpriced requests are in the export without a cost (unknown, not zero). Add [prices] and `cost import --update`."
        ));
    }
}

fn run_jsonl(ctx: &Context, args: &Args) -> Result<ExitCode> {
    let period = row_period(ctx, args)?;
    let (store, filter) = select(ctx, args, period)?;
    let Some(store) = store else {
        return Ok(ExitCode::SUCCESS);
    };
    let written = match &args.out {
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            crate::export::jsonl::write(&store, &filter, &mut out, Path::new("<stdout>"))?
        }
        // Written aside and renamed: a reader never imports half an export.
        Some(path) => write_aside(path, |out, tmp| crate::export::jsonl::write(&store, &filter, out, tmp))?,
    };
    ctx.hint(&format!(
        "{} requests exported{}, {}.",
        written.requests,
        args.out
            .as_ref()
            .map(|p| format!(" to {}", p.display()))
            .unwrap_or_default(),
        describe(period)
    ));
    unpriced_note(ctx, written.unpriced);
    Ok(ExitCode::SUCCESS)
}

/// Writes `path` through a temporary file beside it, renamed over `path` once complete.
fn write_aside<T>(path: &Path, write: impl FnOnce(&mut dyn Write, &Path) -> Result<T>) -> Result<T> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |source| Error::Io { path: p, source }
    };
    // Named by the file asked for: the temporary one is an implementation detail.
    let file = std::fs::File::create(&tmp).map_err(io(path))?;
    let mut out = std::io::BufWriter::new(file);
    let result = write(&mut out, &tmp).and_then(|v| {
        let file = out.into_inner().map_err(|e| Error::Io {
            path: tmp.clone(),
            source: e.into_error(),
        })?;
        file.sync_all().map_err(io(&tmp))?;
        std::fs::rename(&tmp, path).map_err(io(path))?;
        Ok(v)
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(feature = "parquet")]
fn run_parquet(ctx: &Context, args: &Args) -> Result<ExitCode> {
    let Some(dir) = &args.out else {
        return Err(Error::usage_hint(
            "--format parquet writes a directory of files: name it with --out DIR",
            "e.g. `cost export --format parquet --out warehouse/cost`; months go to DIR/month=YYYY-MM/part-0.parquet",
        ));
    };
    let period = row_period(ctx, args)?;
    let (store, filter) = select(ctx, args, period)?;
    let Some(store) = store else {
        return Ok(ExitCode::SUCCESS);
    };
    let prices = ctx.prices()?;
    let opts = crate::export::parquet::Options {
        prices: Some(prices),
        ..Default::default()
    };
    let written = crate::export::parquet::write(&store, &filter, dir, &opts)?;
    ctx.hint(&format!(
        "{} requests exported to {} in {} {} ({}), {}.",
        written.requests,
        dir.display(),
        written.months.len(),
        if written.months.len() == 1 {
            "partition"
        } else {
            "partitions"
        },
        written
            .months
            .iter()
            .map(|(m, n)| format!("month={m}: {n}"))
            .collect::<Vec<_>>()
            .join(", "),
        describe(period)
    ));
    unpriced_note(ctx, written.unpriced);
    Ok(ExitCode::SUCCESS)
}

#[cfg(not(feature = "parquet"))]
fn run_parquet(_: &Context, _: &Args) -> Result<ExitCode> {
    Err(Error::usage_hint(
        "this build of cost has no Parquet support",
        "rebuild with the `parquet` feature (on by default): `cargo install --path . --features parquet`; `--format jsonl` works in every build",
    ))
}

fn run_focus(ctx: &Context, args: &Args) -> Result<ExitCode> {
    let today = ctx.today();
    let p = period::resolve(
        args.since.as_deref(),
        args.until.as_deref(),
        today,
        Period::month_to_date(today),
    )
    .map_err(Error::usage)?;
    let (store, filter) = select(ctx, args, Some(p))?;
    let prices = ctx.prices()?;
    let write = |out: &mut dyn Write, path: &Path| -> Result<(usize, i64)> {
        let io = |e: std::io::Error| Error::Io {
            path: path.to_path_buf(),
            source: e,
        };
        writeln!(out, "{}", focus::COLUMNS.join(",")).map_err(io)?;
        let (mut rows, mut unpriced) = (0usize, 0i64);
        if let Some(store) = &store {
            let dims = [
                Dim::Day,
                Dim::Team,
                Dim::Template,
                Dim::Model,
                Dim::Provider,
                Dim::Tier,
                Dim::User,
                Dim::Session,
                Dim::TagSet,
            ];
            for (k, s) in store.sums(&dims, &filter)? {
                let Some(day) = k.day() else {
                    continue;
                };
                let v = |d: Dim| k.value(d);
                let (model, provider) = (v(Dim::Model), v(Dim::Provider));
                // The provider finds bare names the table keys under a prefix (`mistral/…`).
                let price = prices.price_for(model, Some(provider).filter(|p| !p.is_empty()), Some(day));
                let Some(price) = price.filter(|_| s.unpriced_requests == 0) else {
                    unpriced += s.unpriced_requests.max(1);
                    continue;
                };
                let tokens = [
                    s.tokens.uncached_input,
                    s.tokens.cache_read,
                    s.tokens.cache_write_5m,
                    s.tokens.cache_write_1h,
                    s.tokens.output,
                ];
                for (n, (i, cost, unit)) in focus::split(Usd::from_nanos(s.cost_nanos), tokens, price, v(Dim::Tier))
                    .into_iter()
                    .enumerate()
                {
                    // Names from logs carry no control characters into the file (it may be printed).
                    let safe = |s: &str| crate::output::safe_name(s).into_owned();
                    let row = FocusRow {
                        day,
                        team: Some(safe(v(Dim::Team))).filter(|t| !t.is_empty()),
                        template: Some(safe(v(Dim::Template))).filter(|t| !t.is_empty()),
                        model: safe(model),
                        model_key: price.key.clone(),
                        provider: if provider.is_empty() {
                            price.provider_name().to_string()
                        } else {
                            provider.to_string()
                        },
                        tier: v(Dim::Tier).to_string(),
                        bucket: focus::BUCKETS[i],
                        tokens: tokens[i],
                        requests: s.requests,
                        cost,
                        list_unit_price: unit,
                        first_of_cell: n == 0,
                        tags: serde_json::from_str::<std::collections::BTreeMap<String, String>>(v(Dim::TagSet))
                            .unwrap_or_default()
                            .into_iter()
                            .map(|(k, v)| (safe(&k), safe(&v)))
                            .collect(),
                        user: Some(safe(v(Dim::User))).filter(|u| !u.is_empty()),
                        session: Some(safe(v(Dim::Session))).filter(|u| !u.is_empty()),
                    };
                    writeln!(out, "{}", focus::line(&row)).map_err(io)?;
                    rows += 1;
                }
            }
        }
        out.flush().map_err(io)?;
        Ok((rows, unpriced))
    };
    let (rows, unpriced) = match &args.out {
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            write(&mut out, Path::new("<stdout>"))?
        }
        Some(path) => write_aside(path, write)?,
    };
    ctx.hint(&format!("{rows} FOCUS rows, {} to {} (UTC).", p.since, p.until));
    if unpriced > 0 {
        ctx.hint(&format!(
            "warning: {unpriced} unpriced requests are not in the export: their cost is unknown, not zero. Add [prices] and `cost import --update`."
        ));
    }
    Ok(ExitCode::SUCCESS)
}
