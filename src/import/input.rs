//! Finding and opening inputs: files as given, directories walked, `.gz` and `.zst`
//! decompressed, standard input, a byte-order mark dropped, and the source sniffed by a vote
//! of the first lines.

use super::{SOURCES, Sample, Source, source};
use crate::error::{Error, Result};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

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
    pub(super) fn file(path: PathBuf, display: String) -> Input {
        // A pipe, socket or device named as a path (`/dev/stdin`, `<(cmd)`) has no size or time
        // that says what was read: it is read once, like standard input.
        let meta = std::fs::metadata(&path).ok().filter(|m| m.is_file());
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
pub(super) fn open_inner(input: &Input, count: Arc<AtomicU64>) -> std::io::Result<(Vec<u8>, Reader, bool)> {
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
    for (seen, line) in lines.enumerate() {
        // Decided: the leader has more votes than any other source could still reach with
        // every line left (so the answer is the one all 16 lines would give, for less work:
        // each line is parsed as JSON by the sources that ask).
        let mut counts: Vec<usize> = votes.iter().map(|(_, n)| *n).collect();
        counts.sort_unstable_by(|a, b| b.cmp(a));
        let (first, second) = (
            counts.first().copied().unwrap_or(0),
            counts.get(1).copied().unwrap_or(0),
        );
        if first > second + (SNIFF_LINES - seen) {
            break;
        }
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
