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
pub mod pricer;
pub mod record;
mod report;
pub mod scrub;
pub mod source;
pub mod usage;
mod usage_export;

use input::open_inner;
pub use input::{Input, Opened, Reader, expand, open, sniff};
use key::{hash_key, tags_json};
pub use record::{Outcome, Parsed, Tokens, UsageRecord};
pub use report::ImportReport;
pub use source::{AttributionPaths, FileCtx, Sample, Source};

use crate::config::Team;
use crate::error::{Error, Result};
use crate::money::Usd;
use crate::pricing::PriceTable;
use crate::store::{FileCounts, FileTx, Inserted, NewRequest, Store};
use pricer::Pricer;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Every source, in sniffing order (LOG-FORMATS §18: first match wins).
pub static SOURCES: &[&dyn Source] = &[
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
    // The developer is set after the key is computed (stores keep their keys), but decides
    // the team through `[teams.*] users`.
    let user = match &rec.user {
        Some(_) => None,
        None => opts
            .user
            .clone()
            .or_else(|| agents::is_agent(source).then(agents::os_user).flatten()),
    };
    if rec.team.is_none() {
        rec.team = team_from_config(&rec, user.as_deref(), opts.teams).or_else(|| opts.team.clone());
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
    if user.is_some() {
        rec.user = user;
    }
    if agents::is_agent(source) {
        rec.tags.entry("agent".into()).or_insert_with(|| source.to_string());
    }
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
        session: rec.session,
        status: rec.status.map(record::Status::as_str),
        latency_ms: rec.latency_ms.map(|l| l.min(i64::MAX as u64) as i64),
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

/// A team from `[teams.*]`: its `api_keys`, `projects`, `users`, or all of its `tags`.
fn team_from_config(rec: &UsageRecord, user: Option<&str>, teams: &BTreeMap<String, Team>) -> Option<String> {
    let user = rec.user.as_deref().or(user);
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
        let user_hit = user.is_some_and(|u| t.users.iter().any(|x| x == u));
        (key_hit || project_hit || user_hit || tags_hit).then(|| name.clone())
    })
}
