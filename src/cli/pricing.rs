//! `cost pricing`: import a newer LiteLLM price table as a dated overlay, and show the tables
//! in use (DESIGN §12).

use super::Context;
use crate::error::{Error, Result};
use crate::money::Usd;
use crate::output::{Align, Cell, Render, TableData, TableOptions};
use crate::pricing::{PriceTable, imported};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Keep prices current: import a newer LiteLLM price table, show the tables in use
///
/// cost ships with the LiteLLM price table of its build. `cost pricing import` stores a newer
/// one (model_prices_and_context_window.json from github.com/BerriAI/litellm) under its date in
/// the data directory
/// ($COST_DATA_DIR, else $XDG_DATA_HOME/cost, else ~/.local/share/cost); from then on every
/// command that prices uses it. A model the newer table lacks keeps its older price, and
/// [prices] in cost.toml still override both.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cost pricing import model_prices_and_context_window.json\n  cost pricing import prices.json --date 2026-12-01 --dry-run\n  cost pricing show --format json\n  cost import --update logs/   # re-price usage already stored"
)]
pub struct Args {
    #[command(subcommand)]
    pub command: Sub,
}

#[derive(Debug, clap::Subcommand)]
pub enum Sub {
    Import(ImportArgs),
    Show(ShowArgs),
}

/// Store a newer LiteLLM price table and print what it changes
///
/// The file is checked (a JSON object of model → prices, per-token prices not negative) and
/// compared with the table in use: models added and removed, input and output prices up and
/// down. Nothing is stored when it is invalid. Usage already imported keeps its price until
/// `cost import --update FILES` re-prices it.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// LiteLLM's model_prices_and_context_window.json (or a copy)
    #[arg(value_name = "FILE.json")]
    pub file: PathBuf,
    /// The table's date [default: the file's modification day]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Show what would change, store nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// List the price tables in use: the built-in snapshot and every imported table
#[derive(Debug, clap::Args)]
pub struct ShowArgs {}

pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode> {
    match &args.command {
        Sub::Import(a) => import(ctx, a),
        Sub::Show(_) => show(ctx),
    }
}

/// One kind of change, with a few names.
#[derive(Debug, Serialize)]
pub struct ChangeCounts {
    pub added: usize,
    pub removed: usize,
    pub input_up: usize,
    pub input_down: usize,
    pub output_up: usize,
    pub output_down: usize,
    pub unchanged: usize,
}

/// The result of `cost pricing import` (`cost.pricing-import/v1`).
#[derive(Debug, Serialize)]
pub struct ImportReport {
    pub schema: &'static str,
    pub file: String,
    pub date: String,
    /// Entries with a per-token price.
    pub models: usize,
    /// The date of the table it was compared with (the newest in use before).
    pub compared_with: String,
    /// Where it was stored (`null` with --dry-run).
    pub stored: Option<String>,
    /// It replaced a table imported earlier for the same date.
    pub replaced: bool,
    pub dry_run: bool,
    pub counts: ChangeCounts,
    pub changes: imported::Changes,
}

fn import(ctx: &Context, args: &ImportArgs) -> Result<ExitCode> {
    let path = ctx.cwd.join(&args.file);
    let shown = ctx.show_path(&args.file);
    let text = std::fs::read(&path).map_err(|source| Error::Input {
        path: PathBuf::from(&shown),
        source,
    })?;
    let not_a_table = |message: String| {
        Error::PriceFile {
        path: PathBuf::from(&shown),
        message,
        hint: Some(
            "give LiteLLM's model_prices_and_context_window.json (https://github.com/BerriAI/litellm); nothing was stored"
                .into(),
        ),
    }
    };
    let text = String::from_utf8(text).map_err(|_| not_a_table("not UTF-8 text: not a LiteLLM price table".into()))?;
    let new = imported::parse_litellm(&text).map_err(not_a_table)?;

    let date = match &args.date {
        Some(d) => d.trim().parse::<Date>().map_err(|_| {
            Error::usage_hint(
                format!("--date `{d}` is not a date"),
                "use YYYY-MM-DD, e.g. --date 2026-12-01",
            )
        })?,
        None => modified_day(&path)?,
    };
    let table = PriceTable::load_installed(&BTreeMap::new())?;
    let snapshot = table.tables.first().map(|t| t.date);
    if let Some(snapshot) = snapshot.filter(|s| date < *s) {
        return Err(Error::usage_hint(
            format!("{shown} is dated {date}, older than the built-in table of {snapshot}: nothing was stored"),
            "pass --date YYYY-MM-DD if the file's modification day is not the table's date",
        ));
    }
    let changes = imported::changes(table.table_entries(), &new);
    let (stored, replaced) = if args.dry_run {
        (None, false)
    } else {
        let (p, replaced) = imported::save(&imported::data_dir(), date, &new)?;
        (Some(p.display().to_string()), replaced)
    };
    let report = ImportReport {
        schema: "cost.pricing-import/v1",
        file: shown,
        date: date.to_string(),
        models: new.len(),
        compared_with: table.as_of.clone(),
        stored,
        replaced,
        dry_run: args.dry_run,
        counts: ChangeCounts {
            added: changes.added.len(),
            removed: changes.removed.len(),
            input_up: changes.input_up.len(),
            input_down: changes.input_down.len(),
            output_up: changes.output_up.len(),
            output_down: changes.output_down.len(),
            unchanged: changes.unchanged,
        },
        changes,
    };
    ctx.emit(&report)?;
    Ok(ExitCode::SUCCESS)
}

/// The file's modification day (UTC).
fn modified_day(path: &Path) -> Result<Date> {
    let input = |source| Error::Input {
        path: path.to_path_buf(),
        source,
    };
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).map_err(input)?;
    let ts = jiff::Timestamp::try_from(modified)
        .map_err(|e| input(std::io::Error::other(format!("modification time: {e}"))))?;
    Ok(ts.to_zoned(jiff::tz::TimeZone::UTC).date())
}

const FIRST: usize = 3;

fn names(list: &[String]) -> String {
    let mut out: Vec<String> = list.iter().take(FIRST).cloned().collect();
    if list.len() > FIRST {
        out.push(format!("… {} more", list.len() - FIRST));
    }
    out.join(", ")
}

fn moved(list: &[imported::Moved]) -> String {
    let per_m = |v: Usd| format!("${}", crate::money::per_million(v.ratio(1, 1_000_000)));
    let mut out: Vec<String> = list
        .iter()
        .take(FIRST)
        .map(|m| {
            format!(
                "{} {} → {}",
                m.model,
                per_m(m.before_usd_per_m),
                per_m(m.after_usd_per_m)
            )
        })
        .collect();
    if list.len() > FIRST {
        out.push(format!("… {} more", list.len() - FIRST));
    }
    out.join(", ")
}

impl Render for ImportReport {
    fn table(&self, _opts: TableOptions) -> TableData {
        let c = &self.changes;
        let row = |what: &str, n: usize, first: String| {
            vec![
                Cell::text(what),
                Cell::new(crate::money::group_thousands(&n.to_string()), n.to_string()),
                Cell::text(first),
            ]
        };
        let rows = vec![
            row("models added", c.added.len(), names(&c.added)),
            row("models removed", c.removed.len(), names(&c.removed)),
            row("input price up", c.input_up.len(), moved(&c.input_up)),
            row("input price down", c.input_down.len(), moved(&c.input_down)),
            row("output price up", c.output_up.len(), moved(&c.output_up)),
            row("output price down", c.output_down.len(), moved(&c.output_down)),
            row("unchanged", c.unchanged, String::new()),
        ];
        let mut notes = vec![format!(
            "{} ({} models, dated {}) against the table in use ({}); prices USD per million tokens.",
            self.file,
            crate::money::group_thousands(&self.models.to_string()),
            self.date,
            self.compared_with
        )];
        match &self.stored {
            Some(path) => notes.push(format!(
                "{} {path}: estimate, diff, import and models use it from now on.",
                if self.replaced { "Replaced" } else { "Stored as" }
            )),
            None => notes.push("Dry run: nothing was stored.".into()),
        }
        if !c.removed.is_empty() {
            notes.push("Removed models keep their price from the older table.".into());
        }
        notes.push("Usage already imported keeps its price: `cost import --update FILES` re-prices it.".into());
        TableData {
            headers: vec![
                ("Change".into(), Align::Left),
                ("Models".into(), Align::Right),
                ("First".into(), Align::Left),
            ],
            rows,
            footer: None,
            findings: Vec::new(),
            notes,
        }
    }
}

/// One table in `cost pricing show`.
#[derive(Debug, Serialize)]
pub struct TableRow {
    /// `snapshot` (built in) or `imported`.
    pub kind: &'static str,
    pub date: String,
    pub models: usize,
    pub age_days: i64,
    /// The stored file (`null` for the built-in snapshot).
    pub path: Option<String>,
    /// The newest table: its prices win over older ones.
    pub newest: bool,
}

/// The result of `cost pricing show` (`cost.pricing/v1`).
#[derive(Debug, Serialize)]
pub struct ShowReport {
    pub schema: &'static str,
    /// The date of the newest table.
    pub prices_as_of: String,
    pub age_days: i64,
    pub data_dir: String,
    /// Oldest first.
    pub tables: Vec<TableRow>,
    /// `[prices]` entries in cost.toml.
    pub config_overrides: usize,
}

fn show(ctx: &Context) -> Result<ExitCode> {
    let table = PriceTable::load_installed(&BTreeMap::new())?;
    let today = ctx.today();
    let age = |d: Date| (today - d).get_days() as i64;
    let as_of: Date = table.as_of.parse().unwrap_or(today);
    let tables = table
        .tables
        .iter()
        .map(|t| TableRow {
            kind: t.kind,
            date: t.date.to_string(),
            models: t.models,
            age_days: age(t.date),
            path: t.path.as_ref().map(|p| p.display().to_string()),
            newest: t.date == as_of,
        })
        .collect();
    ctx.emit(&ShowReport {
        schema: "cost.pricing/v1",
        prices_as_of: table.as_of.clone(),
        age_days: age(as_of),
        data_dir: imported::data_dir().display().to_string(),
        tables,
        config_overrides: ctx.config.prices.len(),
    })?;
    Ok(ExitCode::SUCCESS)
}

impl Render for ShowReport {
    fn table(&self, _opts: TableOptions) -> TableData {
        let rows = self
            .tables
            .iter()
            .map(|t| {
                vec![
                    Cell::text(if t.kind == "snapshot" {
                        "snapshot (built in)"
                    } else {
                        "imported"
                    }),
                    Cell::text(&t.date),
                    Cell::new(
                        crate::money::group_thousands(&t.models.to_string()),
                        t.models.to_string(),
                    ),
                    Cell::new(format!("{} days", t.age_days), t.age_days.to_string()),
                    Cell::text(if t.newest { "newest" } else { "fallback" }),
                    Cell::text(t.path.clone().unwrap_or_default()),
                ]
            })
            .collect();
        let mut notes = vec![
            "Prices come from the newest table; a model it lacks keeps its price from an older one.".to_string(),
            format!(
                "[prices] in cost.toml: {} override{} on top.",
                self.config_overrides,
                if self.config_overrides == 1 { "" } else { "s" }
            ),
        ];
        if self.age_days > imported::MAX_AGE_DAYS {
            notes.push(format!(
                "The newest table is {} days old: `cost pricing import` LiteLLM's current model_prices_and_context_window.json.",
                self.age_days
            ));
        }
        TableData {
            headers: vec![
                ("Table".into(), Align::Left),
                ("Date".into(), Align::Left),
                ("Models".into(), Align::Right),
                ("Age".into(), Align::Right),
                ("Role".into(), Align::Left),
                ("Path".into(), Align::Left),
            ],
            rows,
            footer: None,
            findings: Vec::new(),
            notes,
        }
    }
}
