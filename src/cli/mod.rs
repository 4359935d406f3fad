//! The command line: global flags, the shared [`Context`], dispatch to one file per
//! subcommand, and the mapping of errors to `error:`/`hint:` lines and exit codes.

pub mod anomalies;
pub mod budget;
pub mod cache;
pub mod completions;
pub mod dashboard;
pub mod diff;
pub mod estimate;
pub mod export;
pub mod import;
mod import_agents;
pub mod init;
pub mod man;
pub mod models;
pub mod pricing;
pub mod report;
pub mod runs;
pub mod showback;
pub mod tokens;
pub mod unit;
pub mod watch;
pub mod whatif;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::output::{self, Format, Render, Style};
use clap::{Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// FinOps for LLM tokens, in the terminal.
///
/// Estimates what prompt templates cost per call, per day and per month across models (exact
/// tokenizers for OpenAI models, prices from LiteLLM's table), gates template changes in git,
/// imports provider usage logs into a local store exactly once, and reports spend, budgets,
/// cache savings, anomalies, commitments and what-ifs.
#[derive(Debug, Parser)]
#[command(name = "cost", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, clap::Args)]
pub struct GlobalArgs {
    /// Output format
    #[arg(long, global = true, value_enum, default_value_t = FormatArg::Table, help_heading = "Global options")]
    pub format: FormatArg,
    /// Configuration file [default: cost.toml found by walking up from the current directory]
    #[arg(
        long,
        global = true,
        env = "COST_CONFIG",
        value_name = "PATH",
        help_heading = "Global options"
    )]
    pub config: Option<PathBuf>,
    /// Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]
    #[arg(
        long,
        global = true,
        env = "COST_DB",
        value_name = "PATH",
        help_heading = "Global options"
    )]
    pub db: Option<PathBuf>,
    /// When to use colour (NO_COLOR is respected)
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto, help_heading = "Global options")]
    pub color: ColorArg,
    /// Print only data: no hints or progress on stderr
    #[arg(short, long, global = true, help_heading = "Global options")]
    pub quiet: bool,
    /// Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning;
    /// import: every file)
    #[arg(short, long, global = true, help_heading = "Global options")]
    pub verbose: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Table,
    Json,
    Csv,
    Markdown,
    /// FOCUS 1.2 CSV (`cost export` only)
    Focus,
    /// One JSON line per stored request, re-importable (`cost export` only)
    Jsonl,
    /// Hive-partitioned Parquet, one row per request (`cost export --out DIR` only)
    Parquet,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Estimate(estimate::Args),
    Diff(diff::Args),
    Tokens(tokens::Args),
    Import(import::Args),
    Report(report::Args),
    Runs(runs::Args),
    Unit(unit::Args),
    Budget(budget::Args),
    Cache(cache::Args),
    Anomalies(anomalies::Args),
    Showback(showback::Args),
    Whatif(whatif::Args),
    Export(export::Args),
    Watch(watch::Args),
    Dashboard(dashboard::Args),
    Models(models::Args),
    Pricing(pricing::Args),
    Init(init::Args),
    Completions(completions::Args),
    Man(man::Args),
}

pub use crate::app::{Context, month_start, parse_now};

/// The flags that open another period, for the hint under an empty one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodFlags {
    /// `--since DATE --until DATE`
    Range,
    /// `--month YYYY-MM`
    Month,
}

/// What only the command line does with the context: hints about flags, and rendering.
impl Context {
    /// Under a period with no usage, says on stderr what the store holds and the flags that
    /// show it (or that the store is empty). `since`/`until` are `YYYY-MM-DD`.
    pub fn explain_period(&self, since: &str, until: &str, flags: PeriodFlags) -> Result<()> {
        if self.quiet {
            return Ok(());
        }
        let Some(store) = self.read_store()? else {
            return Ok(());
        };
        match store.holdings(since, until)? {
            None => self.hint(&format!(
                "hint: the store {} is empty: import usage logs first, e.g. `cost import logs/*.jsonl`",
                self.store_path().display()
            )),
            Some(h) if h.in_window == 0 => {
                let flag = match flags {
                    PeriodFlags::Range => format!("--since {} --until {}", h.first, h.last),
                    PeriodFlags::Month => format!("--month {}", &h.last[..7.min(h.last.len())]),
                };
                self.hint(&format!(
                    "hint: no usage between {since} and {until}; the store holds {} {} from {} to {}: try `{flag}`",
                    crate::money::group_thousands(&h.requests.to_string()),
                    if h.requests == 1 { "request" } else { "requests" },
                    h.first,
                    h.last
                ));
            }
            Some(_) => {}
        }
        Ok(())
    }

    /// Writes a value to stdout in the chosen format.
    pub fn emit(&self, value: &impl Render) -> Result<()> {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        output::write(value, &self.style, &mut out)
            .and_then(|_| out.flush())
            .map_err(|source| Error::Io {
                path: PathBuf::from("<stdout>"),
                source,
            })
    }
}

/// The filters `report`, `runs`, `unit` and `export` share.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FilterArgs {
    /// Only these teams (repeatable; `(unassigned)` for records with none)
    #[arg(long, value_name = "TEAM")]
    pub team: Vec<String>,
    /// Only these models as logged (repeatable; globs like `gpt-4o*`)
    #[arg(long, value_name = "MODEL")]
    pub model: Vec<String>,
    /// Only these templates (repeatable; globs like `support/**`)
    #[arg(long, value_name = "NAME")]
    pub template: Vec<String>,
}

impl FilterArgs {
    /// Each team, model and template named must be one the store (or cost.toml) knows.
    pub fn check(&self, ctx: &Context, store: &crate::store::Store) -> Result<()> {
        report::check_teams(ctx, store, &self.team)?;
        report::check_values(store, crate::store::query::Dim::Model, &self.model)?;
        report::check_values(store, crate::store::query::Dim::Template, &self.template)
    }
}

/// Parses arguments and runs the command.
pub fn run(args: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> Result<ExitCode> {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return Ok(ExitCode::from(e.exit_code() as u8));
        }
    };
    // Commands that need no configuration.
    match &cli.command {
        Command::Completions(a) => return completions::run(a),
        Command::Man(a) => return man::run(a),
        _ => {}
    }
    let start = std::time::Instant::now();
    // `cost diff` in git reads cost.toml from the revisions it compares, so a broken copy in
    // the working tree (unstaged edits) must not stop it.
    let lenient = matches!(&cli.command, Command::Diff(a) if a.files.is_empty());
    let export_only = matches!(
        cli.global.format,
        FormatArg::Focus | FormatArg::Jsonl | FormatArg::Parquet
    );
    if export_only && !matches!(&cli.command, Command::Export(_)) {
        let name = cli
            .global
            .format
            .to_possible_value()
            .map(|v| v.get_name().to_string())
            .unwrap_or_default();
        return Err(Error::usage_hint(
            format!("--format {name} is for `cost export`"),
            "use table, json, csv or markdown here",
        ));
    }
    let mut ctx = crate::timing::time(crate::timing::Phase::Config, || context(&cli.global, lenient))?;
    // The dashboard tells a missing store from an empty one on its first-run screen.
    ctx.store_optional = matches!(&cli.command, Command::Dashboard(_));
    let result = match &cli.command {
        Command::Estimate(a) => estimate::run(&ctx, a),
        Command::Diff(a) => diff::run(&ctx, a),
        Command::Tokens(a) => tokens::run(&ctx, a),
        Command::Import(a) => import::run(&ctx, a),
        Command::Report(a) => report::run(&ctx, a),
        Command::Runs(a) => runs::run(&ctx, a),
        Command::Unit(a) => unit::run(&ctx, a),
        Command::Budget(a) => budget::run(&ctx, a),
        Command::Cache(a) => cache::run(&ctx, a),
        Command::Anomalies(a) => anomalies::run(&ctx, a),
        Command::Showback(a) => showback::run(&ctx, a),
        Command::Whatif(a) => whatif::run(&ctx, a),
        Command::Export(a) => export::run(&ctx, a, cli.global.format),
        Command::Watch(a) => watch::run(&ctx, a),
        Command::Dashboard(a) => dashboard::run(&ctx, a),
        Command::Models(a) => models::run(&ctx, a),
        Command::Pricing(a) => pricing::run(&ctx, a),
        Command::Init(a) => init::run(&ctx, a),
        Command::Completions(_) | Command::Man(_) => unreachable!("handled above"),
    };
    crate::timing::report(start);
    result
}

fn context(global: &GlobalArgs, lenient_config: bool) -> Result<Context> {
    let cwd = std::env::current_dir().map_err(|source| Error::Input {
        path: PathBuf::from("."),
        source,
    })?;
    let config = match Config::discover(global.config.as_deref(), &cwd) {
        Err(e @ Error::Config { .. }) if lenient_config => match Config::locate(global.config.as_deref(), &cwd) {
            Some(path) => {
                if !global.quiet {
                    eprintln!("warning: ignoring the working tree's {}: {e}", path.display());
                }
                Config::defaults_at(&path)
            }
            None => return Err(e),
        },
        other => other?,
    };
    let color = match global.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal(),
    };
    let (now, now_pinned) = match std::env::var("COST_NOW") {
        Ok(s) if !s.is_empty() => (parse_now(&s)?, true),
        _ => (jiff::Timestamp::now(), false),
    };
    let style = Style {
        format: match global.format {
            FormatArg::Table => Format::Table,
            FormatArg::Json => Format::Json,
            FormatArg::Csv => Format::Csv,
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Focus | FormatArg::Jsonl | FormatArg::Parquet => Format::Csv,
        },
        color,
        verbose: global.verbose,
        quiet: global.quiet,
    };
    // Notes for the person at the terminal go to stderr, shown escaped.
    let notes: crate::app::Notes = Box::new(|text| eprintln!("{}", crate::output::safe_text(text)));
    let mut ctx = Context::new(config, style, cwd, now, notes);
    ctx.config_explicit = global.config.is_some();
    ctx.now_pinned = now_pinned;
    ctx.db = global.db.clone();
    Ok(ctx)
}

/// Prints `error: …` and `hint: …` to stderr and returns the exit code (DESIGN §2). A closed
/// stdout (`cost … | head`) is not an error.
pub fn report_error(err: &Error) -> ExitCode {
    if let Error::Io { source, .. } = err {
        if source.kind() == std::io::ErrorKind::BrokenPipe {
            return ExitCode::SUCCESS;
        }
    }
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal();
    let (red, yellow, reset) = if color {
        ("\x1b[1;31m", "\x1b[1;33m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    // Messages quote names from logs and repos: shown escaped, never acted on by the terminal.
    eprintln!("{red}error{reset}: {}", crate::output::safe_text(&err.to_string()));
    if let Some(hint) = err.hint() {
        eprintln!("{yellow}hint{reset}: {}", crate::output::safe_text(&hint));
    }
    ExitCode::from(err.exit_code())
}

pub use crate::config::MAX_COUNT;

/// Parses a non-negative whole number for flags like `--calls-per-day`.
pub fn parse_count(s: &str) -> std::result::Result<u64, String> {
    let n = s
        .trim()
        .parse::<u64>()
        .map_err(|_| format!("`{s}` is not a whole number ≥ 0"))?;
    if n > MAX_COUNT {
        return Err(format!("`{s}` is larger than {MAX_COUNT}"));
    }
    Ok(n)
}

/// Parses a rate in [0, 1] for `--cache-hit-rate`.
pub fn parse_rate(s: &str) -> std::result::Result<crate::money::Micro, String> {
    let v: f64 = s.trim().parse().map_err(|_| format!("`{s}` is not a number"))?;
    if !(0.0..=1.0).contains(&v) {
        return Err(format!("`{s}` is not between 0 and 1 (a fraction: 0.6 means 60%)"));
    }
    crate::money::Micro::parse(s.trim()).ok_or_else(|| format!("`{s}` is not a number"))
}
