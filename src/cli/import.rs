//! `cost import`: read usage logs into the store, exactly once.

use super::Context;
use crate::error::{Error, Result};
use crate::import::{self, FileSummary, ImportReport, Input, Options, Planned, Progress};
use crate::money::Usd;
use crate::store::Store;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Import usage logs into the store (idempotent: re-importing adds nothing)
///
/// Each file's source is sniffed from its first line or header unless --source names it.
/// Directories are walked recursively; .gz and .zst files are read transparently; `-` reads
/// standard input. Every line ends up imported, a duplicate, skipped (not a billable call) or
/// rejected (kept in the store's `rejects` table with file, line and reason). Each file is
/// one transaction: an interrupted import leaves the store as it was, and a rerun completes it.
#[derive(Debug, clap::Args)]
#[command(after_help = sources_help())]
pub struct Args {
    /// Log files or directories; `-` for standard input
    #[arg(required_unless_present = "agents", value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Log source [default: auto, sniffed per file]
    #[arg(long, value_name = "SOURCE", value_parser = source_names())]
    pub source: Option<String>,
    /// Team for records that name none (after [teams.*] api_keys/projects/users/tags)
    #[arg(long, value_name = "TEAM")]
    pub team: Option<String>,
    /// Template for records that name none
    #[arg(long, value_name = "NAME")]
    pub template: Option<String>,
    /// Date records whose source has no timestamps (Anthropic bodies) [default: file mtime]
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,
    /// Any rejected line fails the import (exit 2) with nothing committed
    #[arg(long)]
    pub strict: bool,
    /// Parse, price and count, but write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Read files again even if unchanged (same path, size and mtime) since they were imported
    #[arg(long)]
    pub reread: bool,
    /// Re-price and re-attribute records already stored, with the current cost.toml, the
    /// newest price table and --team/--template (after adding [prices], `cost pricing import`
    /// or [teams]); implies --reread
    #[arg(long)]
    pub update: bool,
    /// Find and import every coding agent's logs on this machine (under $HOME, or where
    /// CLAUDE_CONFIG_DIR, CODEX_HOME, COPILOT_CONFIG_DIR, GEMINI_DATA_DIR, OPENCODE_DATA_DIR,
    /// KILO_DATA_DIR point); a list narrows it: --agents codex,copilot
    #[arg(long, value_name = "AGENTS", num_args = 0..=1, value_delimiter = ',', conflicts_with_all = ["paths", "source", "strict", "at"])]
    pub agents: Option<Vec<String>>,
    /// The developer for records that name none [default for coding agents: the OS user]
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,
}

/// `--help`'s list of sources, from the importer registry, and examples.
fn sources_help() -> String {
    let mut out = String::from("Sources (--source):\n");
    for s in import::SOURCES {
        out.push_str(&format!("  {:<20}{}\n", s.name(), s.about()));
    }
    out.push_str(
        "\nExamples:\n  cost import logs/2026-11/*.jsonl.gz\n  cost import ~/.claude/projects --source claude-code\n  \
         cost import --agents\n  cost import spendlogs.csv --source litellm\n  cost import usage.json --source openai-usage --team platform\n  \
         cat calls.jsonl | cost import - --source envelope",
    );
    out
}

pub(super) fn source_names() -> clap::builder::PossibleValuesParser {
    let mut names: Vec<&'static str> = vec!["auto"];
    names.extend(import::SOURCES.iter().map(|s| s.name()));
    clap::builder::PossibleValuesParser::new(names)
}

/// The progress bar over the whole run: bytes of all files (new bytes only for files that
/// grew), files done of all, lines and bytes per second, and the time left.
#[derive(Default)]
struct Bar {
    /// Drawn only on a terminal (and not under -q).
    enabled: bool,
    bar: std::cell::RefCell<Option<indicatif::ProgressBar>>,
    state: std::cell::Cell<Tally>,
    started: std::cell::Cell<Option<std::time::Instant>>,
}

/// What the bar counts.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Tally {
    files: usize,
    total_bytes: Option<u64>,
    done_files: usize,
    /// Bytes and lines of the files finished, and of the one being read.
    done_bytes: u64,
    done_lines: u64,
    bytes: u64,
    lines: u64,
    /// Seconds since the first file started.
    elapsed: f64,
}

impl Tally {
    /// `3/10 files · 1.2 MiB/4.0 MiB · 52,000 lines · 26,000 lines/s · 610 KiB/s · ETA 5s`.
    fn text(&self) -> String {
        let bytes = self.done_bytes + self.bytes;
        let lines = self.done_lines + self.lines;
        let mut parts = vec![format!("{}/{} files", self.done_files, self.files)];
        parts.push(match self.total_bytes {
            Some(total) => format!(
                "{}/{}",
                indicatif::HumanBytes(bytes.min(total)),
                indicatif::HumanBytes(total)
            ),
            None => format!("{}", indicatif::HumanBytes(bytes)),
        });
        parts.push(format!("{} lines", crate::money::group_thousands(&lines.to_string())));
        // Rates and the time left once there is a second of history to go on.
        if self.elapsed >= 1.0 {
            let per_s = |n: u64| n as f64 / self.elapsed;
            parts.push(format!(
                "{} lines/s",
                crate::money::group_thousands(&format!("{:.0}", per_s(lines)))
            ));
            parts.push(format!("{}/s", indicatif::HumanBytes(per_s(bytes) as u64)));
            if let Some(total) = self.total_bytes
                && bytes > 0
            {
                let left = total.saturating_sub(bytes) as f64 / per_s(bytes);
                parts.push(format!(
                    "ETA {}",
                    indicatif::HumanDuration(std::time::Duration::from_secs_f64(left.min(1e7)))
                ));
            }
        }
        parts.join(" · ")
    }
}

impl Bar {
    fn update(&self, f: impl FnOnce(&mut Tally)) {
        let mut t = self.state.get();
        f(&mut t);
        self.state.set(t);
        if let Some(b) = self.bar.borrow().as_ref() {
            if t.total_bytes.is_some() {
                b.set_position(t.done_bytes + t.bytes);
            }
            b.set_message(t.text());
        }
    }

    fn clear(&self) {
        if let Some(b) = self.bar.borrow_mut().take() {
            b.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn plan(&self, files: usize, bytes: Option<u64>) {
        if self.enabled && files > 0 {
            // The totals are known before the first frame is drawn.
            let b = match bytes {
                Some(total) => indicatif::ProgressBar::new(total).with_style(
                    indicatif::ProgressStyle::with_template("{prefix} [{bar:24}] {msg}")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                        .progress_chars("=> "),
                ),
                None => indicatif::ProgressBar::new_spinner().with_style(
                    indicatif::ProgressStyle::with_template("{spinner} {prefix} {msg}")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
                ),
            };
            *self.bar.borrow_mut() = Some(b);
        }
        self.started.set(Some(std::time::Instant::now()));
        self.update(|t| {
            *t = Tally {
                files,
                total_bytes: bytes,
                ..Tally::default()
            }
        });
    }
    fn start(&self, input: &Input, source: &str) {
        if let Some(b) = self.bar.borrow().as_ref() {
            b.set_prefix(format!(
                "{} ({source})",
                crate::output::safe_name(&shorten(&input.display, 40))
            ));
        }
        self.update(|t| {
            t.bytes = 0;
            t.lines = 0;
        });
    }
    fn advance(&self, bytes: u64, lines: u64) {
        let elapsed = self.started.get().map_or(0.0, |s| s.elapsed().as_secs_f64());
        self.update(|t| {
            t.bytes = bytes;
            t.lines = lines;
            t.elapsed = elapsed;
        });
    }
    fn finish(&self) {
        self.update(|t| {
            t.done_files += 1;
            t.done_bytes += t.bytes;
            t.done_lines += t.lines;
            t.bytes = 0;
            t.lines = 0;
        });
    }
}

/// A path cut to `max` characters from the left: `…/projects/app/session.jsonl`.
fn shorten(path: &str, max: usize) -> String {
    let n = path.chars().count();
    if n <= max {
        return path.to_string();
    }
    let tail: String = path.chars().skip(n - (max - 1)).collect();
    format!("…{tail}")
}

pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode> {
    if let Some(agents) = &args.agents {
        return super::import_agents::run(ctx, args, agents);
    }
    let source = match args.source.as_deref() {
        None | Some("auto") => None,
        Some(name) => import::source_named(name),
    };
    let at_ms = match &args.at {
        None => None,
        Some(t) => Some(
            import::fields::parse_time(t)
                .map_err(|e| Error::usage_hint(format!("--at: {e}"), "give a date (2026-09-06) or an RFC 3339 time"))?,
        ),
    };
    let claude_only = source.is_some_and(|s| s.reads_directories());
    let inputs = import::expand(&args.paths, &ctx.cwd, claude_only)?;

    // Files named on the command line (and stdin) are sniffed before anything is written, so
    // a wrong path fails fast; files found in directories are sniffed as they are read.
    let mut plan: Vec<Planned> = Vec::new();
    // Files that cannot be read are reported, and the others still imported (exit 1).
    let mut failed: Vec<FileSummary> = Vec::new();
    for input in inputs {
        if !input.named {
            plan.push(Planned {
                input,
                source,
                opened: None,
            });
            continue;
        }
        let (head, opened) = match import::Opened::open(&input) {
            Ok(o) => o,
            Err(e) => {
                let source = source.map_or("?", |s| s.name());
                failed.push(FileSummary::failed(&input, source, import::read_error(&e)));
                continue;
            }
        };
        if head.iter().all(u8::is_ascii_whitespace) {
            failed.push(FileSummary::failed(
                &input,
                source.map_or("?", |s| s.name()),
                "the file is empty: nothing to import".into(),
            ));
            continue;
        }
        let sniffed = import::sniff(std::path::Path::new(&input.display), &head);
        let chosen = match (source, sniffed) {
            (Some(s), Some(t)) if s.name() != t.name() => {
                ctx.hint(&format!(
                    "warning: {} looks like {} {} log, not {}: check --source",
                    input.display,
                    if t.name().starts_with(['a', 'e', 'i', 'o', 'u']) {
                        "an"
                    } else {
                        "a"
                    },
                    t.name(),
                    s.name()
                ));
                s
            }
            (Some(s), _) => s,
            (None, Some(t)) => t,
            (None, None) if opened.damaged => {
                let why = "the file ends early or is damaged before its first complete line (a truncated .gz or .zst?)";
                failed.push(FileSummary::failed(&input, "?", why.into()));
                continue;
            }
            (None, None) => {
                failed.push(FileSummary::failed(&input, "?", unknown_log(&head)));
                continue;
            }
        };
        let is_stdin = input.path.is_none();
        if is_stdin && plan.iter().any(|p| p.input.path.is_none()) {
            return Err(Error::usage("`-` (standard input) can be given only once"));
        }
        if is_stdin && chosen.name() == "anthropic-messages" && at_ms.is_none() {
            return Err(Error::usage_hint(
                "Anthropic message bodies carry no timestamps, and standard input has no modification time",
                "pass --at DATE (e.g. --at 2026-09-06)",
            ));
        }
        // Standard input, or a pipe named as a path, can be read once: it stays open from
        // sniffing to importing.
        let once = is_stdin || input.size.is_none();
        plan.push(Planned {
            input,
            source: Some(chosen),
            opened: once.then_some(opened),
        });
    }

    let prices = ctx.prices()?;
    let opts = Options {
        team: args.team.clone(),
        template: args.template.clone(),
        strict: args.strict,
        dry_run: args.dry_run,
        at_ms,
        attribution: import::AttributionPaths {
            team: ctx.config.attribution.team.clone(),
            template: ctx.config.attribution.template.clone(),
            template_version: ctx.config.attribution.template_version.clone(),
        },
        teams: &ctx.config.teams,
        prices,
        now: ctx.now.to_string(),
        reread: args.reread,
        update: args.update,
        user: args.user.clone(),
    };

    let db = ctx.store_path();
    // --strict commits nothing if any file has a reject: every file is checked first.
    if args.strict {
        if plan.iter().any(|p| p.input.path.is_none()) {
            return Err(Error::usage_hint(
                "--strict cannot check standard input before importing it",
                "save it to a file first, or import without --strict",
            ));
        }
        let scratch = Store::in_memory()?;
        let check = plan
            .iter()
            .map(|p| Planned {
                input: p.input.clone(),
                source: p.source,
                opened: None,
            })
            .collect();
        let strict_opts = Options {
            dry_run: true,
            ..opts_clone(&opts)
        };
        let run = import::import_all(
            &scratch,
            check,
            &strict_opts,
            &import::NoProgress,
            import::Batching::default(),
        )?;
        let bad: Vec<&FileSummary> = run.files.iter().filter(|s| s.counts.rejected > 0).collect();
        if !bad.is_empty() {
            for s in &bad {
                for r in &s.rejects {
                    eprintln!(
                        "{}:{}: {}",
                        crate::output::safe_name(&s.path),
                        r.line,
                        crate::output::safe_name(&r.reason)
                    );
                }
            }
            let total: u64 = bad.iter().map(|s| s.counts.rejected).sum();
            return Err(Error::usage_hint(
                format!(
                    "{total} rejected {} in {} {} under --strict: nothing was imported",
                    if total == 1 { "line" } else { "lines" },
                    bad.len(),
                    if bad.len() == 1 { "file" } else { "files" }
                ),
                "fix or remove those lines, or import without --strict to keep the good lines and record the bad ones",
            ));
        }
    }
    let store = if args.dry_run && !db.exists() {
        Store::in_memory()?
    } else {
        Store::open(&db)?
    };

    let bar = Bar {
        enabled: !ctx.quiet && std::io::stderr().is_terminal(),
        ..Bar::default()
    };
    let run = import::import_all(&store, plan, &opts, &bar, import::Batching::default());
    bar.clear();
    let run = run?;
    let mut files = run.files;
    files.extend(failed);
    for skipped in &run.not_logs {
        ctx.hint(&format!("warning: skipped {skipped}: not a recognised usage log"));
    }
    if files.is_empty() && run.unchanged.is_empty() {
        return Err(Error::usage("nothing to import: no recognised usage logs"));
    }
    let sum = |f: fn(&FileSummary) -> u64| files.iter().map(f).sum::<u64>();
    let report = ImportReport {
        schema: "cost.import/v1",
        db: db.display().to_string(),
        dry_run: args.dry_run,
        lines: sum(|f| f.counts.lines),
        imported: sum(|f| f.counts.imported),
        duplicates: sum(|f| f.counts.duplicates),
        replaced: sum(|f| f.counts.replaced),
        updated: sum(|f| f.counts.updated),
        rejected: sum(|f| f.counts.rejected),
        skipped: sum(|f| f.counts.skipped),
        unpriced: sum(|f| f.counts.unpriced),
        cost_usd: {
            let priced: Usd = files.iter().filter_map(|f| f.cost_usd).sum();
            let unpriced = sum(|f| f.counts.unpriced);
            (unpriced == 0 || unpriced < sum(|f| f.counts.imported) || !priced.is_zero()).then_some(priced)
        },
        repaired: sum(|f| f.counts.repaired),
        failed: files.iter().filter(|f| f.error.is_some()).count() as u64,
        files,
        unchanged_files: run.unchanged,
    };
    ctx.emit(&report)?;
    if report.failed > 0 {
        let all = report.failed as usize == report.files.len();
        ctx.hint(&format!(
            "{} {} could not be read (listed above){}",
            report.failed,
            if report.failed == 1 { "file" } else { "files" },
            if all { "" } else { "; the other files were imported" }
        ));
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Why a file named on the command line was not read: its kind is unknown.
fn unknown_log(head: &[u8]) -> String {
    let binary = head.iter().take(1024).any(|b| *b == 0);
    let start = if binary {
        "binary data".to_string()
    } else {
        let text = import::scrub::text(&String::from_utf8_lossy(&head[..head.len().min(80)]));
        format!("it starts: {:?}", text.replace('\n', "⏎"))
    };
    format!(
        "not a usage log this version can tell ({start}); if it is one, name its kind with --source ({})",
        import::SOURCES.iter().map(|s| s.name()).collect::<Vec<_>>().join(", ")
    )
}

fn opts_clone<'a>(o: &Options<'a>) -> Options<'a> {
    Options {
        team: o.team.clone(),
        template: o.template.clone(),
        strict: o.strict,
        dry_run: o.dry_run,
        at_ms: o.at_ms,
        attribution: o.attribution.clone(),
        teams: o.teams,
        prices: o.prices,
        now: o.now.clone(),
        reread: o.reread,
        update: o.update,
        user: o.user.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::Tally;

    #[test]
    fn progress_reads_files_bytes_rates_and_time_left() {
        // Before the first file: the totals, no rates yet (not `0 B/0 B`).
        let t = Tally {
            files: 10,
            total_bytes: Some(4 * 1024 * 1024),
            ..Tally::default()
        };
        assert_eq!(t.text(), "0/10 files · 0 B/4.00 MiB · 0 lines");
        // 3 files done (1 MiB, 4,000 lines) and 1 MiB of the fourth (6,000 lines) in 2 s:
        // 5,000 lines/s, 1 MiB/s, 2 MiB left → 2 s.
        let t = Tally {
            done_files: 3,
            done_bytes: 1024 * 1024,
            done_lines: 4_000,
            bytes: 1024 * 1024,
            lines: 6_000,
            elapsed: 2.0,
            ..t
        };
        assert_eq!(
            t.text(),
            "3/10 files · 2.00 MiB/4.00 MiB · 10,000 lines · 5,000 lines/s · 1.00 MiB/s · ETA 2 seconds"
        );
        // Standard input: no total, so no time left.
        let t = Tally {
            total_bytes: None,
            files: 1,
            bytes: 3 * 1024,
            lines: 30,
            elapsed: 1.5,
            ..Tally::default()
        };
        assert_eq!(t.text(), "0/1 files · 3.00 KiB · 30 lines · 20 lines/s · 2.00 KiB/s");
    }
}
