//! The importer trait, what every importer is given, and the line reader they share.

use super::fields;
use super::record::{Outcome, Parsed, UsageRecord, excerpt};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;

/// How much of a file sniffing looks at.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// The start of a file, for `--source auto`.
pub struct Sample<'a> {
    pub path: &'a Path,
    /// The first bytes (decompressed).
    pub head: &'a [u8],
    /// The first non-empty line, trimmed.
    pub first_line: &'a str,
    /// The first line parsed as JSON, once for every source that asks.
    pub parsed: std::cell::OnceCell<Option<Value>>,
}

impl Sample<'_> {
    pub fn line_has(&self, needle: &str) -> bool {
        self.first_line.contains(needle)
    }
    pub fn head_has(&self, needle: &str) -> bool {
        memfind(self.head, needle.as_bytes())
    }
    /// The first line parsed as a JSON object, if it is one (parsed once, whichever source
    /// asks first; a borrow, since a Claude Code turn's first line may be large).
    pub fn first_object(&self) -> Option<&Value> {
        self.parsed
            .get_or_init(|| {
                serde_json::from_str::<Value>(self.first_line)
                    .ok()
                    .filter(Value::is_object)
            })
            .as_ref()
    }
    /// The CSV header's column names (first line split on commas), lower-cased.
    pub fn csv_columns(&self) -> Vec<String> {
        if self.first_line.starts_with('{') || self.first_line.starts_with('[') {
            return Vec::new();
        }
        self.first_line
            .split(',')
            .map(|c| {
                c.trim()
                    .trim_matches('"')
                    .trim_start_matches('\u{feff}')
                    .to_ascii_lowercase()
            })
            .collect()
    }
}

fn memfind(hay: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(hay, needle).is_some()
}

/// `[attribution]` paths from cost.toml; empty lists mean "the source's own fields".
#[derive(Debug, Clone, Default)]
pub struct AttributionPaths {
    pub team: Vec<String>,
    pub template: Vec<String>,
    pub template_version: Vec<String>,
}

/// What an importer knows about the file it reads.
pub struct FileCtx<'a> {
    pub path: &'a Path,
    /// The time of records whose source has none (Anthropic bodies): `--at`, else the
    /// file's modification time.
    pub fallback_time_ms: Option<i64>,
    pub attribution: &'a AttributionPaths,
    /// Warnings, each counted once per file.
    pub warnings: BTreeMap<String, u64>,
}

impl FileCtx<'_> {
    pub fn warn(&mut self, message: impl Into<String>) {
        *self.warnings.entry(message.into()).or_insert(0) += 1;
    }

    /// Fills team / template / version from the configured paths, then the source's own.
    pub fn attribute(&self, root: &Value, rec: &mut UsageRecord, team: &[&str], template: &[&str], version: &[&str]) {
        let find = |configured: &[String], natural: &[&str]| {
            fields::first_path(root, configured).or_else(|| {
                natural
                    .iter()
                    .find_map(|p| fields::path(root, p).and_then(fields::scalar))
            })
        };
        rec.team = find(&self.attribution.team, team);
        rec.template = find(&self.attribution.template, template);
        rec.template_version = find(&self.attribution.template_version, version);
    }
}

/// Receives parsed lines; returns `false` to stop reading (the import was interrupted).
pub type Emit<'e> = dyn FnMut(Parsed) -> bool + 'e;

/// One log source (LOG-FORMATS §1). A new source is one file implementing this and one
/// line in [`super::SOURCES`].
pub trait Source: Sync {
    /// The `--source` name.
    fn name(&self) -> &'static str;
    /// One line for `--help` and errors.
    fn about(&self) -> &'static str;
    /// Whether a file starting like `sample` is this source (LOG-FORMATS §18).
    fn sniff(&self, sample: &Sample) -> bool;
    /// Reads every line or row of `input`, emitting each outcome in order.
    fn read(&self, input: &mut dyn BufRead, ctx: &mut FileCtx, emit: &mut Emit) -> std::io::Result<()>;
    /// Directories are this source's shape (Claude Code's `projects/` tree).
    fn reads_directories(&self) -> bool {
        false
    }
    /// Of several records with one key, the one with the most output wins (Claude Code writes
    /// a streamed response more than once). A `cost export` line carries this, so the rule
    /// still holds when stores are merged.
    fn largest_output_wins(&self) -> bool {
        false
    }

    /// Every line stands alone (no header, nothing carried from one line to the next), so a
    /// file that grew since its last import can be read from where that import ended
    /// (`import::resume`). Sources read through [`each_line`] or [`each_line_batch`] say so.
    fn resumable(&self) -> bool {
        false
    }
}

/// Reads JSONL: one outcome per non-blank line (CRLF tolerated; invalid UTF-8 rejected).
pub fn each_line(
    input: &mut dyn BufRead,
    emit: &mut Emit,
    mut parse: impl FnMut(&str) -> Outcome,
) -> std::io::Result<()> {
    lines(input, |line_no, line| {
        // One UTF-8 check per line; the JSON parser then reads a `str` without re-checking.
        let outcome = match std::str::from_utf8(line) {
            Ok(text) => parse(text),
            Err(e) => not_utf8(&e),
        };
        let excerpt = matches!(outcome, Outcome::Rejected(_)).then(|| excerpt(line, 200));
        emit(Parsed {
            line: line_no,
            outcome,
            excerpt,
        })
    })
}

/// What one line of a batch-shaped JSONL file became: an outcome, and for a reject the
/// excerpt to keep (the source decides what of its line may be stored).
pub type Batch = Vec<(Outcome, Option<String>)>;

/// Reads JSONL whose lines each hold a batch of records (an OTLP `TracesData` holds many
/// spans): `parse` pushes the line's outcomes, all numbered with that line. A line that is not
/// UTF-8 is one reject, without an excerpt.
pub fn each_line_batch(
    input: &mut dyn BufRead,
    emit: &mut Emit,
    mut parse: impl FnMut(&str, &mut Batch),
) -> std::io::Result<()> {
    let mut batch = Batch::new();
    lines(input, |line_no, line| {
        batch.clear();
        match std::str::from_utf8(line) {
            Ok(text) => parse(text, &mut batch),
            Err(e) => batch.push((not_utf8(&e), None)),
        }
        batch.drain(..).all(|(outcome, excerpt)| {
            emit(Parsed {
                line: line_no,
                outcome,
                excerpt,
            })
        })
    })
}

fn not_utf8(e: &std::str::Utf8Error) -> Outcome {
    Outcome::Rejected(format!(
        "not UTF-8 text (invalid byte at column {})",
        e.valid_up_to() + 1
    ))
}

/// Calls `each` with every non-blank line (numbered from 1, line ends removed) until it
/// returns `false` or the input ends.
fn lines(input: &mut dyn BufRead, mut each: impl FnMut(u64, &[u8]) -> bool) -> std::io::Result<()> {
    let mut buf = Vec::with_capacity(4096);
    let mut line_no = 0u64;
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf)? == 0 {
            return Ok(());
        }
        line_no += 1;
        let mut line = buf.as_slice();
        while let [rest @ .., b'\n' | b'\r'] = line {
            line = rest;
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if !each(line_no, line) {
            return Ok(());
        }
    }
}

/// A serde_json error as a reject reason: what and where in the line.
pub fn json_reason(e: &serde_json::Error) -> String {
    if e.is_eof() {
        "invalid JSON: the line is cut off".to_string()
    } else {
        format!("invalid JSON: {e}")
    }
}

/// Reads a whole JSON document (a page, an array of pages, or JSONL of them) for the
/// export-shaped sources. Returns the values with the line each starts on.
/// A document that could not be read: (line, reason, excerpt).
pub type DocumentError = (u64, String, String);

pub fn json_documents(input: &mut dyn BufRead) -> std::io::Result<Result<Vec<(u64, Value)>, DocumentError>> {
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes)?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line = 1 + bytes[..at].iter().filter(|b| **b == b'\n').count() as u64;
            let start = bytes[..at].iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            return Ok(Err((line, "not UTF-8 text".to_string(), excerpt(&bytes[start..], 200))));
        }
    };
    let mut out = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(&text).into_iter::<Value>();
    loop {
        let start = stream.byte_offset();
        match stream.next() {
            None => return Ok(Ok(out)),
            Some(Ok(v)) => {
                let skipped_ws = text[start..].len() - text[start..].trim_start().len();
                let line = 1 + text[..start + skipped_ws].matches('\n').count() as u64;
                out.push((line, v));
            }
            Some(Err(e)) => {
                let line = e.line() as u64;
                let at = text.lines().nth(line.saturating_sub(1) as usize).unwrap_or("");
                return Ok(Err((line, json_reason(&e), excerpt(at.as_bytes(), 200))));
            }
        }
    }
}

/// Reads CSV with a header: one outcome per data row, numbered by its first line in the file
/// (the header is line 1). Rows with the wrong number of fields are rejected here.
pub fn each_csv_row(
    input: &mut dyn BufRead,
    emit: &mut Emit,
    mut parse: impl FnMut(&Header, &csv::StringRecord) -> Outcome,
) -> std::io::Result<Result<(), String>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(input);
    let header = match reader.headers() {
        Ok(h) => Header::new(h),
        Err(e) => return csv_io(e).map(|m| Err(format!("cannot read the CSV header: {m}"))),
    };
    let mut record = csv::StringRecord::new();
    loop {
        let pos_line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(Ok(())),
            Ok(true) => {
                let line = record.position().map_or(pos_line, |p| p.line());
                if record.len() == 1 && record.get(0).is_some_and(|f| f.trim().is_empty()) {
                    continue;
                }
                let outcome = if record.len() != header.names.len() {
                    Outcome::Rejected(format!(
                        "row has {} fields, the header has {}",
                        record.len(),
                        header.names.len()
                    ))
                } else {
                    parse(&header, &record)
                };
                let excerpt = matches!(outcome, Outcome::Rejected(_)).then(|| {
                    let joined = record.iter().collect::<Vec<_>>().join(",");
                    excerpt(joined.as_bytes(), 200)
                });
                if !emit(Parsed { line, outcome, excerpt }) {
                    return Ok(Ok(()));
                }
            }
            Err(e) => {
                let line = e.position().map_or(pos_line, |p| p.line());
                let message = csv_io(e)?;
                if !emit(Parsed {
                    line,
                    outcome: Outcome::Rejected(format!("invalid CSV: {message}")),
                    excerpt: None,
                }) {
                    return Ok(Ok(()));
                }
            }
        }
    }
}

fn csv_io(e: csv::Error) -> std::io::Result<String> {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Err(io),
        other => Ok(match other {
            csv::ErrorKind::Utf8 { err, .. } => format!("not UTF-8 ({err})"),
            csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                format!("row has {len} fields, the header has {expected_len}")
            }
            other => format!("{other:?}"),
        }),
    }
}

/// A CSV header: column positions by lower-cased name.
pub struct Header {
    pub names: Vec<String>,
}

impl Header {
    fn new(h: &csv::StringRecord) -> Header {
        Header {
            names: h
                .iter()
                .map(|n| n.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
                .collect(),
        }
    }
    pub fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }
    pub fn has(&self, name: &str) -> bool {
        self.index(name).is_some()
    }
    /// The trimmed cell of `name`, `None` when the column is absent or the cell empty.
    pub fn get<'r>(&self, row: &'r csv::StringRecord, name: &str) -> Option<&'r str> {
        self.index(name)
            .and_then(|i| row.get(i))
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

/// A token count as the generic CSV demands it: a plain non-negative integer.
pub fn plain_count(column: &str, cell: Option<&str>) -> Result<u64, String> {
    match cell {
        None => Ok(0),
        Some(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            let n: u64 = s.parse().map_err(|_| format!("`{column}` value `{s}` is too large"))?;
            super::lenient::check_u64(n).map_err(|e| format!("`{column}`: {e}"))
        }
        Some(s) => Err(format!("`{column}` value `{s}` is not a plain non-negative integer")),
    }
}
