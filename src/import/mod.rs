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
pub mod litellm;
pub mod openai_chat;
pub mod openai_responses;
pub mod openai_usage;
pub mod pricer;
pub mod record;
pub mod source;
pub mod usage;
mod usage_export;

pub use record::{Outcome, Parsed, Tokens, UsageRecord};
pub use source::{AttributionPaths, FileCtx, Sample, Source};

use crate::config::Team;
use crate::error::{Error, Result};
use crate::money::Usd;
use crate::pricing::PriceTable;
use crate::store::{FileCounts, Inserted, NewRequest, Store};
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
                    out.push(Input::file(
                        entry.path().to_path_buf(),
                        p.join(rel).display().to_string(),
                    ));
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
            out.push(Input::file(full, p.display().to_string()));
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
    (&mut decoded).take(source::SNIFF_BYTES as u64).read_to_end(&mut head)?;
    let reader: Reader = Box::new(BufReader::with_capacity(
        256 * 1024,
        std::io::Cursor::new(head.clone()).chain(decoded),
    ));
    Ok((head, reader))
}

/// The source whose sniff matches `head` first.
pub fn sniff(path: &Path, head: &[u8]) -> Option<&'static dyn Source> {
    let text = String::from_utf8_lossy(head);
    let first_line = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    let sample = Sample { path, head, first_line };
    SOURCES.iter().copied().find(|s| s.sniff(&sample))
}

/// What `cost import` was asked to do, beyond the inputs.
pub struct Options<'a> {
    pub source: Option<&'static dyn Source>,
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
    pub source: &'static str,
    #[serde(flatten)]
    pub counts: FileCounts,
    pub cost_usd: Usd,
    /// The first rejected lines (all are in the store's `rejects` table).
    pub rejects: Vec<RejectNote>,
    pub warnings: Vec<String>,
    /// Set when records were dated by the file's modification time or `--at`.
    pub dated_by: Option<String>,
    /// Nothing was committed for this file (`--strict` with rejects, or `--dry-run`).
    pub committed: bool,
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

/// Imports one input in one transaction. `Ok` with `committed: false` under `--strict`
/// when lines were rejected.
pub fn import_file(
    store: &mut Store,
    input: &Input,
    source: &'static dyn Source,
    opts: &Options,
    progress: &dyn Progress,
) -> Result<FileSummary> {
    import_opened(store, input, None, source, opts, progress)
}

/// An input already opened (standard input, which can be read only once).
pub struct Opened {
    pub reader: Reader,
    pub bytes: Arc<AtomicU64>,
}

impl Opened {
    pub fn open(input: &Input) -> std::io::Result<(Vec<u8>, Opened)> {
        let bytes = Arc::new(AtomicU64::new(0));
        let (head, reader) = open(input, bytes.clone())?;
        Ok((head, Opened { reader, bytes }))
    }
}

/// [`import_file`] on an input that may already be open.
pub fn import_opened(
    store: &mut Store,
    input: &Input,
    opened: Option<Opened>,
    source: &'static dyn Source,
    opts: &Options,
    progress: &dyn Progress,
) -> Result<FileSummary> {
    let read_error = |source: std::io::Error| Error::Input {
        path: PathBuf::from(&input.display),
        source,
    };
    let Opened { reader, bytes } = match opened {
        Some(o) => o,
        None => Opened::open(input).map_err(read_error)?.1,
    };
    progress.start(input, source.name());
    let fallback_time_ms = opts.at_ms.or(input.mtime_ms);
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Item>>(8);
    let display_path = PathBuf::from(&input.display);

    std::thread::scope(|scope| -> Result<FileSummary> {
        let producer = scope.spawn(|| -> std::io::Result<(BTreeMap<String, u64>, bool)> {
            let mut reader = reader;
            let mut ctx = FileCtx {
                path: &display_path,
                fallback_time_ms,
                attribution: &opts.attribution,
                warnings: BTreeMap::new(),
            };
            let mut pricer = Pricer::new(opts.prices);
            let mut batch: Vec<Item> = Vec::with_capacity(BATCH);
            let mut used_fallback = false;
            let sender = sender;
            let mut emit = |p: Parsed| -> bool {
                let item = match p.outcome {
                    Outcome::Record(rec) => {
                        used_fallback |= source.name() == "anthropic-messages";
                        Item::Row(Box::new(prepare(*rec, source.name(), p.line, &mut pricer, opts)))
                    }
                    Outcome::Skipped(_) => Item::Skipped,
                    Outcome::Rejected(reason) => Item::Rejected {
                        line: p.line,
                        reason,
                        excerpt: p.excerpt,
                    },
                };
                batch.push(item);
                if batch.len() >= BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                    if sender.send(full).is_err() {
                        return false;
                    }
                }
                true
            };
            source.read(&mut reader, &mut ctx, &mut emit)?;
            if !batch.is_empty() {
                let _ = sender.send(batch);
            }
            Ok((ctx.warnings, used_fallback))
        });

        let mut counts = FileCounts::default();
        let mut rejects = Vec::new();
        let mut cost = 0i64;
        let mut tx = store.begin_file(&input.display, source.name())?;
        let mut failure: Option<Error> = None;
        'batches: for batch in receiver.iter() {
            for item in batch {
                counts.lines += 1;
                match item {
                    Item::Row(row) => match tx.insert(&row) {
                        Ok(Inserted::New) => {
                            counts.imported += 1;
                            cost += row.cost_nanos;
                            counts.unpriced += row.unpriced as u64;
                        }
                        Ok(Inserted::Duplicate) => counts.duplicates += 1,
                        Ok(Inserted::Replaced) => {
                            counts.duplicates += 1;
                            counts.replaced += 1;
                        }
                        Err(e) => {
                            failure = Some(e);
                            break 'batches;
                        }
                    },
                    Item::Skipped => counts.skipped += 1,
                    Item::Rejected { line, reason, excerpt } => {
                        counts.rejected += 1;
                        if let Err(e) = tx.reject(line, &reason, excerpt.as_deref()) {
                            failure = Some(e);
                            break 'batches;
                        }
                        if rejects.len() < REJECTS_SHOWN {
                            rejects.push(RejectNote { line, reason });
                        }
                    }
                }
            }
            progress.advance(bytes.load(Ordering::Relaxed), counts.lines);
        }
        drop(receiver);
        let produced = producer.join().map_err(|_| Error::Io {
            path: display_path.clone(),
            source: std::io::Error::other("the reader thread panicked"),
        })?;
        progress.finish();
        if let Some(e) = failure {
            return Err(e);
        }
        let (warnings, used_fallback) = produced.map_err(read_error)?;
        counts.cost_nanos = cost;
        let keep = !(opts.dry_run || (opts.strict && counts.rejected > 0));
        if keep {
            tx.commit(&counts, input.size, input.mtime_ms, &opts.now)?;
        } else {
            tx.rollback()?;
        }
        let dated_by = used_fallback.then(|| match (opts.at_ms, input.mtime_ms) {
            (Some(at), _) => format!("--at {}", fields::day_of(at)),
            (None, Some(m)) => format!("the file's modification time ({})", fields::day_of(m)),
            (None, None) => "nothing".into(),
        });
        Ok(FileSummary {
            path: input.display.clone(),
            source: source.name(),
            cost_usd: Usd::from_atto(cost as i128 * 1_000_000_000),
            counts,
            rejects,
            warnings: warnings
                .into_iter()
                .map(|(w, n)| if n > 1 { format!("{w} ({n}×)") } else { w })
                .collect(),
            dated_by,
            committed: keep,
        })
    })
}

/// Prices, attributes and keys a record.
fn prepare(rec: UsageRecord, source: &'static str, line: u64, pricer: &mut Pricer, opts: &Options) -> NewRequest {
    let mut rec = rec;
    if rec.team.is_none() {
        rec.team = team_from_config(&rec, opts.teams).or_else(|| opts.team.clone());
    }
    if rec.template.is_none() {
        rec.template = opts.template.clone();
    }
    let key = rec.key.clone().unwrap_or_else(|| hash_key(source, &rec));
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
        reported_cost_nanos: rec.reported_cost_usd.map(|c| (c * 1e9).round() as i64),
        flags: (!flags.is_empty()).then(|| flags.join(",")),
        line,
        largest_output_wins: rec.largest_output_wins,
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
fn hash_key(source: &str, r: &UsageRecord) -> String {
    let t = &r.tokens;
    let text = format!(
        "{source}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{} {} {} {} {} {}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}",
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
        r.team,
        r.template,
        r.template_version,
        r.api_key_id,
        r.project,
        r.user,
        r.tags,
    );
    format!("h:{}", fields::hex(&Sha256::digest(text.as_bytes())[..16]))
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
}
