//! `cost import`: reads usage logs of every source into the store, exactly once.
//!
//! Each source is one file implementing [`Source`]; this module owns what they share: finding
//! and opening inputs (directories, `.gz`, `.zst`, stdin), sniffing, pricing each record at its
//! own date, attribution fallbacks, dedupe keys, and the pipeline that parses on one thread
//! while the store writes on another, one transaction per file.

pub mod agents;
pub mod anthropic_messages;
pub mod anthropic_usage;
pub mod bedrock;
mod body;
pub mod claude_code;
pub mod cost_export;
pub mod envelope;
pub mod fields;
pub mod generic_csv;
mod input;
mod key;
pub mod lenient;
pub mod litellm;
pub mod openai_chat;
pub mod openai_responses;
pub mod openai_usage;
pub mod otel;
mod prepare;
pub mod pricer;
mod read;
pub mod record;
mod report;
pub mod resume;
pub mod scrub;
pub mod source;
pub mod usage;
mod usage_export;

use input::open_inner;
pub use input::{Input, Opened, Reader, expand, open, sniff};
pub use prepare::{MAX_RECORD_COST_NANOS, prepare};
use prepare::{check_cost, check_counts};
pub use record::{Outcome, Parsed, Tokens, UsageRecord};
pub use report::ImportReport;
pub use source::{AttributionPaths, FileCtx, Sample, Source};

use crate::config::Team;
use crate::error::{Error, Result};
use crate::money::Usd;
use crate::pricing::PriceTable;
use crate::store::{FileCounts, FileTx, ImportedFile, Inserted, NewRequest, ResumeMark, Store};
use pricer::Pricer;
use read::{LastOut, Release, Unit, Window, read_one, read_part, units};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Every source, in sniffing order (LOG-FORMATS §18: first match wins).
pub static SOURCES: &[&dyn Source] = &[
    &cost_export::CostExport,
    &bedrock::Bedrock,
    &claude_code::ClaudeCode,
    &agents::codex::Codex,
    &agents::copilot::Copilot,
    &agents::gemini_cli::GeminiCli,
    &agents::sqlite::OpenCode,
    &agents::sqlite::Kilo,
    &otel::Otel,
    &litellm::LiteLlm,
    &envelope::Envelope,
    &openai_usage::OpenAiUsage,
    &anthropic_usage::AnthropicUsage,
    &openai_chat::OpenAiChat,
    &openai_responses::OpenAiResponses,
    &anthropic_messages::AnthropicMessages,
    &generic_csv::GenericCsv,
];

pub fn source_named(name: &str) -> Option<&'static dyn Source> {
    SOURCES.iter().copied().find(|s| s.name() == name)
}

/// What `cost import` was asked to do, beyond the inputs.
pub struct Options<'a> {
    pub team: Option<String>,
    pub template: Option<String>,
    pub strict: bool,
    pub dry_run: bool,
    /// The time for records whose source has none.
    pub at_ms: Option<i64>,
    pub attribution: AttributionPaths,
    pub teams: &'a BTreeMap<String, Team>,
    pub prices: &'a PriceTable,
    pub now: String,
    /// Read files again even when unchanged (same path, size and modification time) since a
    /// previous import.
    pub reread: bool,
    /// Records already stored are re-priced and re-attributed (implies `reread`).
    pub update: bool,
    /// The developer for records that name none (`--user`); coding agents' records default to
    /// the OS user.
    pub user: Option<String>,
}

/// A rejected line, as reported.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RejectNote {
    pub line: u64,
    pub reason: String,
}

/// The outcome of importing one input.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileSummary {
    pub path: String,
    /// The command-line argument the file came from (a directory for files found in one).
    #[serde(skip)]
    pub arg: String,
    pub source: &'static str,
    #[serde(flatten)]
    pub counts: FileCounts,
    /// `None` (JSON null) when every record imported is unpriced: the cost is unknown, not $0.
    pub cost_usd: Option<Usd>,
    /// The first rejected lines (all are in the store's `rejects` table).
    pub rejects: Vec<RejectNote>,
    pub warnings: Vec<String>,
    /// Set when records were dated by the file's modification time or `--at`.
    pub dated_by: Option<String>,
    /// The first line read when the file had only grown since its last import and was read
    /// from where that import ended (`None`: read whole).
    pub read_from_line: Option<u64>,
    /// Why the file could not be read (whole, or past a point: the lines before it were
    /// imported). Any failed file makes `cost import` exit 1.
    pub error: Option<String>,
}

impl FileSummary {
    /// A file that could not be read at all.
    pub fn failed(input: &Input, source: &'static str, error: String) -> FileSummary {
        FileSummary {
            path: input.display.clone(),
            arg: input.arg.clone(),
            source,
            counts: FileCounts::default(),
            cost_usd: Some(Usd::ZERO),
            rejects: Vec::new(),
            warnings: Vec::new(),
            dated_by: None,
            read_from_line: None,
            error: Some(error),
        }
    }
}

/// An I/O error while reading a log, as a person reads it.
pub fn read_error(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::UnexpectedEof => "the file ends early (a truncated .gz or .zst?)".to_string(),
        ErrorKind::InvalidData | ErrorKind::InvalidInput => format!("the file is damaged ({e})"),
        ErrorKind::NotFound => "no such file".to_string(),
        ErrorKind::PermissionDenied => "permission denied".to_string(),
        ErrorKind::IsADirectory => "is a directory".to_string(),
        _ => e.to_string(),
    }
}

pub const REJECTS_SHOWN: usize = 5;

/// A parsed line on its way to the store.
enum Item {
    Row(Box<NewRequest>),
    Skipped,
    Rejected {
        line: u64,
        reason: String,
        excerpt: Option<String>,
    },
}

/// What the reader thread tells the writer.
enum Msg {
    /// File `index` of the plan starts, read as `source`; `resumed`: it grew since its import
    /// recorded in that `files` row, and is read after that many lines.
    Start {
        index: usize,
        source: &'static dyn Source,
        resumed: Option<(i64, u64)>,
    },
    Items(Vec<Item>),
    /// A part of a file split at line ends is done, and not the last: the lines of the next
    /// part are numbered on from its [`FileEnd::newlines`]. An error in it ends the file.
    Part(FileEnd),
    /// The current file is done (or stopped by an error after the items already sent).
    End(FileEnd),
    /// File `index` (found in a directory) is not a usage log.
    NotALog {
        index: usize,
    },
    /// File `index` could not be opened.
    Failed {
        index: usize,
        error: std::io::Error,
    },
}

/// What the reader learnt about a file besides its items.
#[derive(Default)]
struct FileEnd {
    warnings: BTreeMap<String, u64>,
    /// Records were dated by the fallback time.
    used_fallback: bool,
    /// Lines kept although a field had an unexpected type.
    repaired: u64,
    /// The error that stopped reading (the items before it were sent).
    error: Option<std::io::Error>,
    /// Where a later import reads from if the file only grows (plain files of line sources).
    mark: Option<ResumeMark>,
    /// Line ends read (of the parts so far, in a split file: the lines the next part is
    /// numbered on from).
    newlines: u64,
    /// The last line, without its line end yet, left for the next import.
    held: Option<u64>,
}

impl FileEnd {
    /// The parts of a split file so far followed by the `next`, whose lines are numbered on
    /// from theirs (for a file read whole: the default followed by its end).
    fn then(mut self, next: FileEnd) -> FileEnd {
        // A part failed: the file ends there, as it would have for one reader.
        if self.error.is_some() {
            return self;
        }
        let base = self.newlines;
        for (warning, n) in next.warnings {
            *self.warnings.entry(warning).or_default() += n;
        }
        self.used_fallback |= next.used_fallback;
        self.repaired += next.repaired;
        self.error = self.error.or(next.error);
        self.mark = next.mark.map(|m| ResumeMark {
            line: m.line + base,
            ..m
        });
        self.newlines += next.newlines;
        self.held = next.held.map(|line| line + base);
        self
    }
}

/// Progress callbacks (the CLI draws a bar; tests pass a no-op), and a way to stop.
pub trait Progress {
    /// Before the first file: how many files will be read and how many bytes (`None`: some
    /// sizes are unknown, as standard input's). Files that grew count their new bytes only.
    fn plan(&self, _files: usize, _bytes: Option<u64>) {}
    /// A file starts.
    fn start(&self, input: &Input, source: &str);
    /// The current file's bytes read so far (compressed bytes for compressed files, new bytes
    /// for a file that grew) and its lines.
    fn advance(&self, bytes: u64, records: u64);
    /// The current file is done.
    fn finish(&self);
    /// Checked as the import goes: `true` abandons the transaction in progress (the store is
    /// left as before it) and ends the run ([`Run::interrupted`]).
    fn cancelled(&self) -> bool {
        false
    }
}

pub struct NoProgress;
impl Progress for NoProgress {
    fn start(&self, _: &Input, _: &str) {}
    fn advance(&self, _: u64, _: u64) {}
    fn finish(&self) {}
}

const BATCH: usize = 2048;

/// One input to import: its source when known (else sniffed), and its reader when already
/// open.
pub struct Planned {
    pub input: Input,
    pub source: Option<&'static dyn Source>,
    pub opened: Option<Opened>,
}

/// When the writer commits: small files share a transaction up to these limits; a large
/// file gets one of its own.
#[derive(Debug, Clone, Copy)]
pub struct Batching {
    pub max_bytes: u64,
    pub max_files: usize,
}

impl Default for Batching {
    fn default() -> Batching {
        Batching {
            max_bytes: 64 * 1024 * 1024,
            max_files: 1_000,
        }
    }
}

/// The outcome of an import run.
#[derive(Debug, Default)]
pub struct Run {
    pub files: Vec<FileSummary>,
    /// Files found in directories that are not usage logs.
    pub not_logs: Vec<String>,
    /// Files not read: unchanged since a previous import.
    pub unchanged: Vec<String>,
    /// [`Progress::cancelled`] stopped the run: the transaction in progress was rolled back
    /// (files listed after the last commit were not stored).
    pub interrupted: bool,
}

/// Imports one file in a transaction of its own (rolled back under `opts.dry_run`).
pub fn import_file(
    store: &Store,
    input: &Input,
    source: &'static dyn Source,
    opts: &Options,
    progress: &dyn Progress,
) -> Result<FileSummary> {
    let plan = vec![Planned {
        input: input.clone(),
        source: Some(source),
        opened: None,
    }];
    let mut run = import_all(store, plan, opts, progress, Batching::default())?;
    run.files.pop().ok_or_else(|| Error::Io {
        path: PathBuf::from(&input.display),
        source: std::io::Error::other("the file was not read"),
    })
}

/// Imports every planned input: reader threads (one per core) open, sniff, parse and price
/// the files while this thread writes them in plan order, committing per [`Batching`] (nothing under
/// `opts.dry_run`). An interrupted run leaves every committed batch, and nothing of the
/// batch in progress.
pub fn import_all(
    store: &Store,
    mut plan: Vec<Planned>,
    opts: &Options,
    progress: &dyn Progress,
    batching: Batching,
) -> Result<Run> {
    // Files already imported with the same size and modification time hold nothing new; a
    // file that grew may be read from where its import ended.
    let mut unchanged = Vec::new();
    let mut earlier: Vec<Option<ImportedFile>> = Vec::new();
    if !opts.reread && !opts.update {
        let known = store.imported_files()?;
        let mut by_path: std::collections::HashMap<&str, Vec<&ImportedFile>> = std::collections::HashMap::new();
        for f in &known {
            by_path.entry(f.abs_path.as_str()).or_default().push(f);
        }
        plan.retain(|p| {
            let (Some(path), Some(size), Some(mtime)) = (&p.input.path, p.input.size, p.input.mtime_ms) else {
                earlier.push(None);
                return true;
            };
            let path = path.display().to_string();
            // Read as which sources: a file read before as another source than the one named
            // now is read again (a wrong guess or a wrong --source is corrected by a rerun).
            let rows: Vec<&ImportedFile> = by_path
                .get(path.as_str())
                .map(|rows| {
                    rows.iter()
                        .copied()
                        .filter(|f| p.source.is_none_or(|s| s.name() == f.source))
                        .collect()
                })
                .unwrap_or_default();
            if rows
                .iter()
                .any(|f| f.size == Some(size as i64) && f.mtime_ms == Some(mtime))
            {
                unchanged.push(p.input.display.clone());
                return false;
            }
            // The newest import of the file, if a source that reads line by line made it.
            let grown = rows
                .iter()
                .filter(|f| f.mark.is_some() && source_named(&f.source).is_some_and(|s| s.resumable()))
                .max_by_key(|f| f.id)
                .filter(|_| p.opened.is_none())
                .map(|f| (*f).clone());
            earlier.push(grown);
            true
        });
    } else {
        earlier.resize(plan.len(), None);
    }
    let planned_bytes = plan.iter().zip(&earlier).try_fold(0u64, |sum, (p, e)| {
        let from = e.as_ref().and_then(|f| f.mark.as_ref()).map_or(0, |m| m.offset);
        p.input.size.map(|size| sum + size.saturating_sub(from))
    });
    progress.plan(plan.len(), planned_bytes);
    let readers = read::readers();
    let stop = std::sync::atomic::AtomicBool::new(false);
    let inputs: Vec<Input> = plan.iter().map(|p| p.input.clone()).collect();
    let counters: Vec<Arc<AtomicU64>> = plan
        .iter()
        .map(|p| {
            p.opened
                .as_ref()
                .map_or_else(|| Arc::new(AtomicU64::new(0)), |o| o.bytes.clone())
        })
        .collect();
    let counters_ref = &counters;
    let work = units(plan, earlier, readers, read::part_bytes());
    let (readers, units_planned) = (readers.min(work.len().max(1)), work.len());
    let queue = std::sync::Mutex::new(work.into_iter().enumerate());
    let alive = std::sync::atomic::AtomicUsize::new(readers);
    let window = Window::default();
    let (stop, alive, window) = (&stop, &alive, &window);
    let finish = |tx: FileTx| if opts.dry_run { tx.rollback() } else { tx.commit() };

    std::thread::scope(|scope| -> Result<Run> {
        // Every core reads: each reader thread takes the next file of the plan (or part of a
        // large file) and sends its items down its own channel, and this thread writes them in
        // plan order, so the store ends as a one-by-one import would leave it.
        for _ in 0..readers {
            scope.spawn(|| {
                let _last_out = LastOut { alive, window };
                let mut pricer = Pricer::new(opts.prices);
                while !stop.load(Ordering::Relaxed) {
                    let Some((at, unit)) = queue.lock().ok().and_then(|mut q| q.next()) else {
                        return;
                    };
                    // The unit's channel, once it is close enough to the writer; dropped when
                    // this thread is done with it, which ends it for the writer.
                    let Some(sender) = window.claim(at, stop) else {
                        return;
                    };
                    let open = match unit {
                        Unit::File { index, planned, before } => read_one(
                            index,
                            *planned,
                            before,
                            opts,
                            &mut pricer,
                            &sender,
                            &counters_ref[index],
                        ),
                        Unit::Part { index, source, part } => read_part(
                            index,
                            &inputs[index],
                            source,
                            &part,
                            opts,
                            &mut pricer,
                            &sender,
                            &counters_ref[index],
                        ),
                    };
                    if !open {
                        stop.store(true, Ordering::Relaxed);
                    }
                }
            });
        }

        let mut run = Run {
            unchanged,
            ..Run::default()
        };
        let mut tx: Option<FileTx> = None;
        let (mut tx_bytes, mut tx_files) = (0u64, 0usize);
        let mut current: Option<Current> = None;
        let _release = Release { window, stop };
        // Owned by the loop, so an early return hangs up on the readers instead of leaving
        // them blocked.
        for msg in (0..units_planned)
            .map_while(|i| window.next(i))
            .flat_map(|r| r.into_iter())
        {
            if progress.cancelled() {
                // Dropping the transaction rolls it back; the reader stops at its next send.
                drop(tx.take());
                run.interrupted = true;
                return Ok(run);
            }
            match msg {
                Msg::Failed { index, error } => {
                    run.files
                        .push(FileSummary::failed(&inputs[index], "?", read_error(&error)));
                }
                Msg::NotALog { index } => run.not_logs.push(inputs[index].display.clone()),
                Msg::Start { index, source, resumed } => {
                    let size = inputs[index].size.unwrap_or(0);
                    if tx_files > 0 && (tx_bytes + size > batching.max_bytes || tx_files >= batching.max_files) {
                        if let Some(t) = tx.take() {
                            finish(t)?;
                        }
                        (tx_bytes, tx_files) = (0, 0);
                    }
                    if tx.is_none() {
                        let mut t = store.begin()?;
                        t.set_update(opts.update);
                        tx = Some(t);
                    }
                    tx_bytes += size;
                    tx_files += 1;
                    if let Some(t) = tx.as_mut() {
                        let abs = inputs[index].path.as_ref().map(|p| p.display().to_string());
                        match resumed {
                            Some((id, _)) => {
                                t.continue_file(id, &inputs[index].display, abs.as_deref(), source.name())?
                            }
                            None => t.start_file(&inputs[index].display, abs.as_deref(), source.name(), &opts.now)?,
                        }
                    }
                    progress.start(&inputs[index], source.name());
                    let read_from = resumed.map(|(_, line)| line + 1);
                    current = Some(Current {
                        index,
                        source,
                        counts: FileCounts::default(),
                        rejects: Vec::new(),
                        cost: 0,
                        origins: Vec::new(),
                        read_from,
                        parts: FileEnd::default(),
                    });
                }
                Msg::Items(items) => {
                    let (Some(t), Some(cur)) = (tx.as_mut(), current.as_mut()) else {
                        continue;
                    };
                    // A part of the file failed: what the parts after it read is not written.
                    if cur.parts.error.is_some() {
                        continue;
                    }
                    let line_base = cur.parts.newlines;
                    let Current {
                        index,
                        counts,
                        rejects,
                        cost,
                        origins,
                        ..
                    } = cur;
                    for mut item in items {
                        if line_base > 0 {
                            match &mut item {
                                Item::Row(row) => row.line += line_base,
                                Item::Rejected { line, .. } => *line += line_base,
                                Item::Skipped => {}
                            }
                        }
                        counts.lines += 1;
                        if let Item::Row(row) = &item {
                            if !origins.contains(&row.source) {
                                origins.push(row.source);
                            }
                        }
                        match item {
                            Item::Row(row) => match t.insert(&row)? {
                                Inserted::New => {
                                    counts.imported += 1;
                                    *cost = cost.saturating_add(row.cost_nanos);
                                    counts.unpriced += row.unpriced as u64;
                                }
                                Inserted::Duplicate => counts.duplicates += 1,
                                Inserted::TooLarge(reason) => {
                                    counts.rejected += 1;
                                    t.reject(row.line, &reason, None)?;
                                    if rejects.len() < REJECTS_SHOWN {
                                        rejects.push(RejectNote { line: row.line, reason });
                                    }
                                }
                                Inserted::Replaced(delta) => {
                                    counts.duplicates += 1;
                                    counts.replaced += 1;
                                    *cost = cost.saturating_add(delta);
                                }
                                Inserted::Updated { cost: delta, unpriced } => {
                                    counts.duplicates += 1;
                                    counts.updated += 1;
                                    *cost = cost.saturating_add(delta);
                                    counts.unpriced_change += unpriced;
                                }
                            },
                            Item::Skipped => counts.skipped += 1,
                            Item::Rejected { line, reason, excerpt } => {
                                counts.rejected += 1;
                                t.reject(line, &reason, excerpt.as_deref())?;
                                if rejects.len() < REJECTS_SHOWN {
                                    rejects.push(RejectNote { line, reason });
                                }
                            }
                        }
                    }
                    progress.advance(counters[*index].load(Ordering::Relaxed), counts.lines);
                }
                Msg::Part(end) => {
                    if let Some(cur) = current.as_mut() {
                        cur.parts = std::mem::take(&mut cur.parts).then(end);
                    }
                }
                Msg::End(end) => {
                    progress.finish();
                    let Some(Current {
                        index,
                        source,
                        mut counts,
                        rejects,
                        cost,
                        origins,
                        read_from,
                        parts,
                    }) = current.take()
                    else {
                        continue;
                    };
                    let input = &inputs[index];
                    let FileEnd {
                        mut warnings,
                        used_fallback,
                        repaired,
                        error,
                        mark,
                        held,
                        ..
                    } = parts.then(end);
                    if let Some(line) = held {
                        let warning =
                            format!("line {line} has no line end yet (still being written?): left for the next import");
                        *warnings.entry(warning).or_default() += 1;
                    }
                    counts.cost_nanos = cost;
                    counts.repaired = repaired;
                    if let Some(t) = tx.as_mut() {
                        // A file that failed part-way is not recorded as read: the next run
                        // reads it again (its complete lines are duplicates then).
                        let (size, mtime, mark) = match error {
                            None => (input.size, input.mtime_ms, mark.as_ref()),
                            Some(_) => (None, None, None),
                        };
                        // A file whose records all came from one other source (a `cost
                        // export` of Claude Code transcripts) says so: reports tell
                        // subscription usage by the sources the store holds.
                        if let [origin] = origins[..] {
                            if origin != source.name() {
                                t.set_file_source(&format!("{}:{origin}", source.name()))?;
                            }
                        }
                        t.finish_file(&counts, size, mtime, mark, &opts.now)?;
                    }
                    let error = error.map(|e| {
                        format!(
                            "{}; the {} complete lines before it were read",
                            read_error(&e),
                            counts.lines
                        )
                    });
                    let dated_by = used_fallback.then(|| match (opts.at_ms, input.mtime_ms) {
                        (Some(at), _) => format!("--at {}", fields::day_of(at)),
                        (None, Some(m)) => format!("the file's modification time ({})", fields::day_of(m)),
                        (None, None) => "nothing".into(),
                    });
                    run.files.push(FileSummary {
                        path: input.display.clone(),
                        arg: input.arg.clone(),
                        source: source.name(),
                        cost_usd: (counts.unpriced == 0 || counts.unpriced < counts.imported || cost != 0)
                            .then(|| Usd::from_nanos(cost)),
                        counts,
                        rejects,
                        warnings: warnings
                            .into_iter()
                            .map(|(w, n)| if n > 1 { format!("{w} ({n}×)") } else { w })
                            .collect(),
                        dated_by,
                        read_from_line: read_from,
                        error,
                    });
                }
            }
        }
        if let Some(t) = tx.take() {
            finish(t)?;
        }
        Ok(run)
    })
}

/// The file being written.
struct Current {
    index: usize,
    source: &'static dyn Source,
    counts: FileCounts,
    /// The first rejects, shown in the summary.
    rejects: Vec<RejectNote>,
    /// Nano-USD.
    cost: i64,
    /// The sources its records were first read by.
    origins: Vec<&'static str>,
    /// The line it was read from, when it had grown since its last import.
    read_from: Option<u64>,
    /// A file split into parts: what the parts already written said, and how many lines they
    /// held (the current part's lines are numbered on from there).
    parts: FileEnd,
}
