//! `cost import`: reads usage logs of every source into the store, exactly once.
//!
//! Each source is one file implementing [`Source`]; this module owns what they share: finding
//! and opening inputs (directories, `.gz`, `.zst`, stdin), sniffing, pricing each record at its
//! own date, attribution fallbacks, dedupe keys, and the pipeline that parses on one thread
//! while the store writes on another, one transaction per file.

pub mod anthropic_messages;
pub mod anthropic_usage;
pub mod bedrock;
mod body;
pub mod claude_code;
pub mod envelope;
pub mod fields;
pub mod generic_csv;
pub mod lenient;
pub mod litellm;
pub mod openai_chat;
pub mod openai_responses;
pub mod openai_usage;
pub mod pricer;
pub mod record;
mod report;
pub mod scrub;
pub mod source;
pub mod usage;
mod usage_export;

pub use record::{Outcome, Parsed, Tokens, UsageRecord};
pub use report::ImportReport;
pub use source::{AttributionPaths, FileCtx, Sample, Source};

use crate::config::Team;
use crate::error::{Error, Result};
use crate::money::Usd;
use crate::pricing::PriceTable;
use crate::store::{FileCounts, FileTx, Inserted, NewRequest, Store};
use pricer::Pricer;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Every source, in sniffing order (LOG-FORMATS §18: first match wins).
pub static SOURCES: &[&dyn Source] = &[
    &bedrock::Bedrock,
    &claude_code::ClaudeCode,
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

/// One input: a file, or standard input.
#[derive(Debug, Clone)]
pub struct Input {
    /// As shown in summaries and stored with rejects.
    pub display: String,
    /// `None` for stdin.
    pub path: Option<PathBuf>,
    pub size: Option<u64>,
    pub mtime_ms: Option<i64>,
    /// Named on the command line (not found by walking a directory).
    pub named: bool,
    /// The command-line argument it came from (the directory, for files found in one).
    pub arg: String,
}

impl Input {
    fn file(path: PathBuf, display: String) -> Input {
        let meta = std::fs::metadata(&path).ok();
        Input {
            display,
            size: meta.as_ref().map(|m| m.len()),
            mtime_ms: meta
                .and_then(|m| m.modified().ok())
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_millis() as i64),
            path: Some(path),
            named: false,
            arg: String::new(),
        }
    }
}

/// Files a directory walk considers (compressed forms included).
fn looks_like_log(path: &Path, claude_only: bool) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with('.') || name.ends_with(".meta.json") {
        return false;
    }
    let base = name.trim_end_matches(".gz").trim_end_matches(".zst");
    if claude_only {
        return base.ends_with(".jsonl");
    }
    [".jsonl", ".ndjson", ".json", ".csv", ".log"]
        .iter()
        .any(|e| base.ends_with(e))
}

/// Expands the command line's paths: files as given, directories walked recursively in name
/// order, `-` for stdin.
pub fn expand(paths: &[PathBuf], cwd: &Path, claude_only: bool) -> Result<Vec<Input>> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input {
                display: "<stdin>".into(),
                path: None,
                size: None,
                mtime_ms: None,
                named: true,
                arg: "-".into(),
            });
            continue;
        }
        let full = cwd.join(p);
        let meta = std::fs::metadata(&full).map_err(|source| Error::Input {
            path: p.clone(),
            source,
        })?;
        if meta.is_dir() {
            let mut found = 0;
            for entry in walkdir::WalkDir::new(&full).follow_links(true).sort_by_file_name() {
                let entry = entry.map_err(|e| Error::Input {
                    path: p.clone(),
                    source: std::io::Error::other(e.to_string()),
                })?;
                if entry.file_type().is_file() && looks_like_log(entry.path(), claude_only) {
                    let rel = entry.path().strip_prefix(&full).unwrap_or(entry.path());
                    let mut input = Input::file(entry.path().to_path_buf(), p.join(rel).display().to_string());
                    input.arg = p.display().to_string();
                    out.push(input);
                    found += 1;
                }
            }
            if found == 0 {
                return Err(Error::usage_hint(
                    format!("no log files in {}", p.display()),
                    "directories are searched for *.jsonl, *.json, *.csv, *.log (also .gz and .zst)",
                ));
            }
        } else {
            let mut input = Input::file(full, p.display().to_string());
            input.named = true;
            input.arg = p.display().to_string();
            out.push(input);
        }
    }
    Ok(out)
}

/// Counts bytes read (compressed bytes for compressed files) for the progress bar.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

pub type Reader = Box<dyn BufRead + Send>;

/// Opens an input, decompressing gzip or zstd by their magic bytes, and returns its first
/// bytes for sniffing together with a reader that still yields them.
pub fn open(input: &Input, count: Arc<AtomicU64>) -> std::io::Result<(Vec<u8>, Reader)> {
    open_inner(input, count).map(|(head, reader, _)| (head, reader))
}

/// [`open`], also saying whether the file is damaged within its first bytes.
fn open_inner(input: &Input, count: Arc<AtomicU64>) -> std::io::Result<(Vec<u8>, Reader, bool)> {
    let raw: Box<dyn Read + Send> = match &input.path {
        Some(p) => Box::new(std::fs::File::open(p)?),
        None => Box::new(std::io::stdin()),
    };
    let mut buffered = BufReader::with_capacity(256 * 1024, Counting { inner: raw, count });
    let magic = buffered.fill_buf()?;
    let decoded: Box<dyn Read + Send> = if magic.starts_with(&[0x1f, 0x8b]) {
        Box::new(flate2::bufread::MultiGzDecoder::new(buffered))
    } else if magic.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        let dec = ruzstd::decoding::StreamingDecoder::new(buffered)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("zstd: {e}")))?;
        Box::new(dec)
    } else {
        Box::new(buffered)
    };
    let mut head = Vec::with_capacity(source::SNIFF_BYTES);
    let mut decoded = decoded;
    // A file damaged within its first bytes (a small truncated .gz) still yields the lines
    // before the damage: the error is handed on after them.
    let damaged = (&mut decoded)
        .take(source::SNIFF_BYTES as u64)
        .read_to_end(&mut head)
        .err();
    // A UTF-8 byte-order mark (Windows tools write one) is not part of the first line.
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        head.drain(..3);
    }
    let is_damaged = damaged.is_some();
    let rest: Box<dyn Read + Send> = match damaged {
        Some(e) if head.is_empty() => return Err(e),
        Some(e) => Box::new(Failing(Some(e))),
        None => decoded,
    };
    let reader: Reader = Box::new(BufReader::with_capacity(
        256 * 1024,
        std::io::Cursor::new(head.clone()).chain(rest),
    ));
    Ok((head, reader, is_damaged))
}

/// A reader that fails with the error it holds (once, then ends).
struct Failing(Option<std::io::Error>);

impl Read for Failing {
    fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(0),
        }
    }
}

/// How many non-blank lines sniffing looks at.
const SNIFF_LINES: usize = 16;

/// The source of a file from its first bytes: each of the first [`SNIFF_LINES`] non-blank
/// lines votes for the first source (in [`SOURCES`] order) whose sniff matches it as the
/// first line, and the source with the most votes wins (the earliest vote breaks a tie). So
/// one damaged or odd first line cannot decide for a whole file.
pub fn sniff(path: &Path, head: &[u8]) -> Option<&'static dyn Source> {
    let complete = if head.len() >= source::SNIFF_BYTES {
        // The last line may be cut: only whole lines vote.
        head.iter().rposition(|b| *b == b'\n').map_or(head, |i| &head[..i])
    } else {
        head
    };
    let mut votes: Vec<(&'static dyn Source, usize)> = Vec::new();
    let lines = complete
        .split(|b| *b == b'\n')
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .take(SNIFF_LINES);
    for line in lines {
        let text = String::from_utf8_lossy(line);
        let sample = Sample {
            path,
            head,
            first_line: text.trim(),
            parsed: std::cell::OnceCell::new(),
        };
        if let Some(found) = SOURCES.iter().copied().find(|s| s.sniff(&sample)) {
            match votes.iter_mut().find(|(s, _)| s.name() == found.name()) {
                Some(v) => v.1 += 1,
                None => votes.push((found, 1)),
            }
        }
    }
    // max_by_key keeps the last of equals: reverse so the earliest vote wins a tie.
    votes.iter().rev().max_by_key(|(_, n)| *n).map(|(s, _)| *s)
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
    /// File `index` of the plan starts, read as `source`.
    Start {
        index: usize,
        source: &'static dyn Source,
    },
    Items(Vec<Item>),
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
struct FileEnd {
    warnings: BTreeMap<String, u64>,
    /// Records were dated by the fallback time.
    used_fallback: bool,
    /// Lines kept although a field had an unexpected type.
    repaired: u64,
    /// The error that stopped reading (the items before it were sent).
    error: Option<std::io::Error>,
}

/// Progress callbacks (the CLI draws a bar; tests pass a no-op).
pub trait Progress {
    fn start(&self, input: &Input, source: &str);
    fn advance(&self, bytes: u64, records: u64);
    fn finish(&self);
}

pub struct NoProgress;
impl Progress for NoProgress {
    fn start(&self, _: &Input, _: &str) {}
    fn advance(&self, _: u64, _: u64) {}
    fn finish(&self) {}
}

const BATCH: usize = 2048;

/// An input already opened (standard input, which can be read only once).
pub struct Opened {
    pub reader: Reader,
    pub bytes: Arc<AtomicU64>,
    /// The file is damaged (a truncated .gz) within the bytes read for sniffing.
    pub damaged: bool,
}

impl Opened {
    pub fn open(input: &Input) -> std::io::Result<(Vec<u8>, Opened)> {
        let bytes = Arc::new(AtomicU64::new(0));
        let (head, reader, damaged) = open_inner(input, bytes.clone())?;
        Ok((head, Opened { reader, bytes, damaged }))
    }
}

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

/// Imports every planned input: one reader thread opens, sniffs, parses and prices the files
/// in order while this thread writes them, committing per [`Batching`] (nothing under
/// `opts.dry_run`). An interrupted run leaves every committed batch, and nothing of the
/// batch in progress.
pub fn import_all(
    store: &Store,
    mut plan: Vec<Planned>,
    opts: &Options,
    progress: &dyn Progress,
    batching: Batching,
) -> Result<Run> {
    // Files already imported with the same size and modification time hold nothing new.
    let mut unchanged = Vec::new();
    if !opts.reread && !opts.update {
        let known = store.imported_files()?;
        if !known.is_empty() {
            // Read as which sources: a file read before as another source than the one named
            // now is read again (a wrong guess or a wrong --source is corrected by a rerun).
            let mut as_any = std::collections::HashSet::new();
            for (path, size, mtime, _) in &known {
                as_any.insert((path.clone(), *size, *mtime));
            }
            plan.retain(|p| {
                let key = match (&p.input.path, p.input.size, p.input.mtime_ms) {
                    (Some(path), Some(size), Some(mtime)) => (path.display().to_string(), size as i64, mtime),
                    _ => return true,
                };
                let same = match p.source {
                    Some(s) => known.contains(&(key.0, key.1, key.2, s.name().to_string())),
                    None => as_any.contains(&key),
                };
                if same {
                    unchanged.push(p.input.display.clone());
                }
                !same
            });
        }
    }
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Msg>(8);
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
    let finish = |tx: FileTx| if opts.dry_run { tx.rollback() } else { tx.commit() };

    std::thread::scope(|scope| -> Result<Run> {
        scope.spawn(move || {
            let mut pricer = Pricer::new(opts.prices);
            for (index, planned) in plan.drain(..).enumerate() {
                let Planned { input, source, opened } = planned;
                let (head, reader, damaged) = match opened {
                    Some(o) => (None, o.reader, o.damaged),
                    None => match open_inner(&input, counters_ref[index].clone()) {
                        Ok((head, reader, damaged)) => (Some(head), reader, damaged),
                        Err(error) => {
                            if sender.send(Msg::Failed { index, error }).is_err() {
                                return;
                            }
                            continue;
                        }
                    },
                };
                let source = match (source, &head) {
                    (Some(s), _) => s,
                    (None, Some(h)) => match sniff(Path::new(&input.display), h) {
                        Some(s) => s,
                        // Damaged before a whole line could be read: a failure, not another
                        // kind of file.
                        None if damaged => {
                            let error = std::io::Error::new(
                                std::io::ErrorKind::UnexpectedEof,
                                "damaged before its first complete line",
                            );
                            if sender.send(Msg::Failed { index, error }).is_err() {
                                return;
                            }
                            continue;
                        }
                        None => {
                            if sender.send(Msg::NotALog { index }).is_err() {
                                return;
                            }
                            continue;
                        }
                    },
                    (None, None) => unreachable!("an opened input comes with its source"),
                };
                if sender.send(Msg::Start { index, source }).is_err() {
                    return;
                }
                let (end, open) = read_file(&input, reader, source, opts, &mut pricer, &sender);
                if sender.send(Msg::End(end)).is_err() || !open {
                    return;
                }
            }
        });

        let mut run = Run {
            unchanged,
            ..Run::default()
        };
        let mut tx: Option<FileTx> = None;
        let (mut tx_bytes, mut tx_files) = (0u64, 0usize);
        let mut current: Option<Current> = None;
        for msg in receiver.iter() {
            match msg {
                Msg::Failed { index, error } => {
                    run.files
                        .push(FileSummary::failed(&inputs[index], "?", read_error(&error)));
                }
                Msg::NotALog { index } => run.not_logs.push(inputs[index].display.clone()),
                Msg::Start { index, source } => {
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
                        t.start_file(&inputs[index].display, abs.as_deref(), source.name(), &opts.now)?;
                    }
                    progress.start(&inputs[index], source.name());
                    current = Some((index, source, FileCounts::default(), Vec::new(), 0));
                }
                Msg::Items(items) => {
                    let (Some(t), Some((index, _, counts, rejects, cost))) = (tx.as_mut(), current.as_mut()) else {
                        continue;
                    };
                    for item in items {
                        counts.lines += 1;
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
                Msg::End(end) => {
                    progress.finish();
                    let Some((index, source, mut counts, rejects, cost)) = current.take() else {
                        continue;
                    };
                    let input = &inputs[index];
                    let FileEnd {
                        warnings,
                        used_fallback,
                        repaired,
                        error,
                    } = end;
                    counts.cost_nanos = cost;
                    counts.repaired = repaired;
                    if let Some(t) = tx.as_mut() {
                        // A file that failed part-way is not recorded as read: the next run
                        // reads it again (its complete lines are duplicates then).
                        let (size, mtime) = match error {
                            None => (input.size, input.mtime_ms),
                            Some(_) => (None, None),
                        };
                        t.finish_file(&counts, size, mtime, &opts.now)?;
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
                            .then(|| Usd::from_atto(cost as i128 * 1_000_000_000)),
                        counts,
                        rejects,
                        warnings: warnings
                            .into_iter()
                            .map(|(w, n)| if n > 1 { format!("{w} ({n}×)") } else { w })
                            .collect(),
                        dated_by,
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

/// The file being written: its index, source, counts, first rejects and cost (nano-USD).
type Current = (usize, &'static dyn Source, FileCounts, Vec<RejectNote>, i64);

/// Reads one file on the reader thread, sending its items in batches (all the items read
/// before an error too). Returns what it learnt, and `false` if the writer hung up.
fn read_file(
    input: &Input,
    mut reader: Reader,
    source: &'static dyn Source,
    opts: &Options,
    pricer: &mut Pricer,
    sender: &std::sync::mpsc::SyncSender<Msg>,
) -> (FileEnd, bool) {
    let display_path = PathBuf::from(&input.display);
    let mut ctx = FileCtx {
        path: &display_path,
        fallback_time_ms: opts.at_ms.or(input.mtime_ms),
        attribution: &opts.attribution,
        warnings: BTreeMap::new(),
    };
    let mut batch: Vec<Item> = Vec::with_capacity(BATCH);
    let mut used_fallback = false;
    let mut open = true;
    let mut repaired = 0u64;
    lenient::take_repairs();
    let mut emit = |p: Parsed| -> bool {
        // The line was parsed on this thread just before it is emitted.
        let repairs = lenient::take_repairs();
        if repairs > 0 && matches!(p.outcome, Outcome::Record(_)) {
            repaired += 1;
        }
        let item = match p.outcome {
            Outcome::Record(rec) => match check_counts(&rec) {
                Ok(()) => {
                    used_fallback |= source.name() == "anthropic-messages";
                    let row = prepare(*rec, source.name(), p.line, pricer, opts);
                    match check_cost(&row) {
                        Ok(()) => Item::Row(Box::new(row)),
                        Err(reason) => Item::Rejected {
                            line: p.line,
                            reason,
                            excerpt: None,
                        },
                    }
                }
                Err(reason) => Item::Rejected {
                    line: p.line,
                    reason,
                    excerpt: None,
                },
            },
            Outcome::Skipped(_) => Item::Skipped,
            // Excerpts and reasons quote the line: no secret or prompt text may reach the store.
            Outcome::Rejected(reason) => Item::Rejected {
                line: p.line,
                reason: scrub::text(&reason),
                excerpt: p.excerpt.as_deref().map(scrub::text),
            },
        };
        batch.push(item);
        if batch.len() >= BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            if sender.send(Msg::Items(full)).is_err() {
                open = false;
                return false;
            }
        }
        true
    };
    let result = source.read(&mut reader, &mut ctx, &mut emit);
    if open && !batch.is_empty() {
        open = sender.send(Msg::Items(batch)).is_ok();
    }
    let end = FileEnd {
        warnings: ctx.warnings,
        used_fallback,
        repaired,
        error: result.err(),
    };
    (end, open)
}

/// Every importer checks the counts it reads; this is the backstop on what a record holds
/// after its buckets were derived (a sum of two fields, a split), so no record can carry a
/// count that would make a sum wrap.
fn check_counts(rec: &UsageRecord) -> std::result::Result<(), String> {
    let t = &rec.tokens;
    let buckets = [
        ("uncached input", t.uncached_input),
        ("cache read", t.cache_read),
        ("cache write (5m)", t.cache_write_5m),
        ("cache write (1h)", t.cache_write_1h),
        ("output", t.output),
        ("reasoning", t.reasoning),
        ("requests", rec.requests),
    ];
    for (name, n) in buckets {
        if n > lenient::MAX_TOKENS {
            return Err(format!("{name} count {n} is above the 10^12 one record can hold"));
        }
    }
    Ok(())
}

/// The most one record may cost: far above any real call or daily aggregate, far below what
/// would make sums of nano-dollars wrap.
pub const MAX_RECORD_COST_NANOS: i64 = 1_000_000_000 * 1_000_000_000;

/// A record priced above [`MAX_RECORD_COST_NANOS`] has a count or a price that cannot be right
/// (price tables have held per-token prices entered per million).
fn check_cost(row: &NewRequest) -> std::result::Result<(), String> {
    if row.cost_nanos > MAX_RECORD_COST_NANOS {
        return Err(format!(
            "priced at more than $1,000,000,000 for one record ({} tokens on {}): check its counts and the price of {}",
            row.tokens.total_input() + row.tokens.output,
            row.model,
            row.model_priced.as_deref().unwrap_or(&row.model)
        ));
    }
    Ok(())
}

/// Prices, attributes and keys a record.
pub fn prepare(rec: UsageRecord, source: &'static str, line: u64, pricer: &mut Pricer, opts: &Options) -> NewRequest {
    let mut rec = rec;
    if rec.team.is_none() {
        rec.team = team_from_config(&rec, opts.teams).or_else(|| opts.team.clone());
    }
    if rec.template.is_none() {
        rec.template = opts.template.clone();
    }
    // The key is computed from the record as logged, so stores keep their keys.
    // A source's own key may hold a group-by value (usage exports key rows by API key and
    // project): a secret in it is hashed like anywhere else.
    let key = match &rec.key {
        Some(k) => scrub::key(k).into_owned(),
        None => hash_key(source, &rec),
    };
    scrub::record(&mut rec);
    let priced = pricer.price(&rec);
    let mut flags = rec.flags.clone();
    if let Some(f) = priced.flag {
        flags.push(f);
    }
    let tags = (!rec.tags.is_empty()).then(|| tags_json(&rec.tags));
    NewRequest {
        key,
        ts_ms: rec.timestamp_ms,
        day: fields::day_of(rec.timestamp_ms),
        source,
        provider: rec.provider.unwrap_or_default(),
        model: rec.model,
        model_priced: priced.key,
        tier: rec.tier,
        tokens: rec.tokens,
        requests: rec.requests,
        team: rec.team,
        template: rec.template,
        template_version: rec.template_version,
        api_key_id: rec.api_key_id,
        project: rec.project,
        user: rec.user,
        tags,
        cost_nanos: priced.cost_nanos,
        price_source: priced.source,
        unpriced: priced.unpriced,
        // A stated cost is kept for comparison only when it can be one (finite, ≥ 0, < $1M).
        reported_cost_nanos: rec
            .reported_cost_usd
            .filter(|c| c.is_finite() && (0.0..1e6).contains(c))
            .map(|c| (c * 1e9).round() as i64),
        flags: (!flags.is_empty()).then(|| flags.join(",")),
        line,
        largest_output_wins: rec.largest_output_wins,
        stored_price_source: None,
    }
}

/// Tags as a JSON object (sorted keys), written without building a `Value`.
fn tags_json(tags: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(16 + tags.len() * 24);
    out.push('{');
    for (i, (k, v)) in tags.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_string(&mut out, k);
        out.push(':');
        json_string(&mut out, v);
    }
    out.push('}');
    out
}

fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A team from `[teams.*]`: its `api_keys`, `projects`, or all of its `tags`.
fn team_from_config(rec: &UsageRecord, teams: &BTreeMap<String, Team>) -> Option<String> {
    teams.iter().find_map(|(name, t)| {
        let key_hit = rec
            .api_key_id
            .as_deref()
            .is_some_and(|k| t.api_keys.iter().any(|a| a == k || fields::api_key_id(a) == k));
        let project_hit = rec
            .project
            .as_deref()
            .is_some_and(|p| t.projects.iter().any(|x| x == p));
        let tags_hit = !t.tags.is_empty() && t.tags.iter().all(|(k, v)| rec.tags.get(k) == Some(v));
        (key_hit || project_hit || tags_hit).then(|| name.clone())
    })
}

/// The dedupe key of a record whose source gives none: a hash of the normalised record.
///
/// The encoding is written out here (not `{:?}` of Rust types, whose format may change with
/// the compiler) and pinned by a test. It produces the same bytes as the Debug format of the
/// first releases for every ordinary value, so their stores keep their keys: fields are
/// joined by U+001F; an optional text is `None` or `Some("…")`; tags are `{"k": "v", …}`;
/// text is quoted with `\"`, `\\`, `\t`, `\r`, `\n` and `\u{…}` for other control
/// characters escaped.
fn hash_key(source: &str, r: &UsageRecord) -> String {
    let text = key_text(source, r);
    format!("h:{}", fields::hex(&Sha256::digest(text.as_bytes())[..16]))
}

fn key_text(source: &str, r: &UsageRecord) -> String {
    use std::fmt::Write;
    let t = &r.tokens;
    let mut text = String::with_capacity(256);
    let _ = write!(
        text,
        "{source}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{} {} {} {} {} {}",
        r.timestamp_ms,
        r.provider.as_deref().unwrap_or(""),
        r.model,
        r.tier,
        t.uncached_input,
        t.cache_read,
        t.cache_write_5m,
        t.cache_write_1h,
        t.output,
        r.requests,
    );
    for field in [
        &r.team,
        &r.template,
        &r.template_version,
        &r.api_key_id,
        &r.project,
        &r.user,
    ] {
        text.push('\u{1f}');
        match field {
            None => text.push_str("None"),
            Some(v) => {
                text.push_str("Some(");
                quoted(&mut text, v);
                text.push(')');
            }
        }
    }
    text.push('\u{1f}');
    text.push('{');
    for (i, (k, v)) in r.tags.iter().enumerate() {
        if i > 0 {
            text.push_str(", ");
        }
        quoted(&mut text, k);
        text.push_str(": ");
        quoted(&mut text, v);
    }
    text.push('}');
    text
}

/// Text in double quotes for [`hash_key`].
fn quoted(out: &mut String, s: &str) {
    use std::fmt::Write;
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_json() {
        let mut t = BTreeMap::new();
        t.insert("b".to_string(), "say \"hi\"\\\n".to_string());
        t.insert("a".to_string(), "1".to_string());
        let text = tags_json(&t);
        let back: BTreeMap<String, String> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, t);
        assert_eq!(text, r#"{"a":"1","b":"say \"hi\"\\\u000a"}"#);
    }

    fn sample() -> UsageRecord {
        let mut rec = UsageRecord {
            timestamp_ms: 1_791_278_043_512,
            provider: Some("openai".into()),
            model: "gpt-4o".into(),
            tier: "standard".into(),
            tokens: Tokens {
                uncached_input: 1200,
                cache_read: 800,
                output: 300,
                ..Tokens::default()
            },
            requests: 1,
            team: Some("support".into()),
            template: Some("say \"hi\"\\\n".into()),
            project: Some("proj_1".into()),
            ..UsageRecord::default()
        };
        rec.tags.insert("env".into(), "prod".into());
        rec.tags.insert("feature".into(), "search\tbeta".into());
        rec
    }

    #[test]
    fn dedupe_keys_are_pinned() {
        // Computed by the first releases (which hashed `{:?}` output) for the same record:
        // a store they made must get the same keys from this version.
        assert_eq!(hash_key("envelope", &sample()), "h:bb6cc2a82df8210e99589964608dc767");
        let mut other = sample();
        other.tags.clear();
        other.team = None;
        assert_eq!(hash_key("csv", &other), "h:3f19307165191eb14ae3d9167e273bb1");
    }
}
