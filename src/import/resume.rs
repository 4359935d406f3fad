//! Growing files read from where they ended (DESIGN §15): a plain log that only grew since its
//! last import — the same first 64 KiB and the same 64 KiB before where that import stopped —
//! is read from the end of its last complete line, with line numbers continuing from there. A
//! last line without its line end yet is left for the next import.

use super::Reader;
use crate::store::ResumeMark;
use sha2::{Digest, Sha256};
use std::cell::Cell;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// The bytes hashed at the start of a file, and before the point it was read to.
pub const WINDOW: u64 = 64 * 1024;

/// What the first bytes of a file say about reading it from the middle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe {
    /// Not gzip or zstd: a byte offset in the file is an offset in its text.
    pub plain: bool,
    /// Starts with a UTF-8 byte-order mark (dropped before the source reads).
    pub bom: bool,
}

/// Looks at the first bytes of the file at `path`.
pub fn probe(path: &Path) -> std::io::Result<Probe> {
    probe_file(&std::fs::File::open(path)?)
}

/// Looks at the first bytes of an open file (its cursor is left alone).
pub fn probe_file(file: &std::fs::File) -> std::io::Result<Probe> {
    let mut head = [0u8; 4];
    let mut n = 0;
    while n < head.len() {
        match read_at(file, &mut head[n..], n as u64)? {
            0 => break,
            k => n += k,
        }
    }
    let head = &head[..n];
    Ok(Probe {
        plain: !head.starts_with(&[0x1f, 0x8b]) && !head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]),
        bom: head.starts_with(&[0xEF, 0xBB, 0xBF]),
    })
}

/// The hash of the file's first `min(64 KiB, end)` bytes and of the up to 64 KiB before
/// `end`, with `end` itself: what a later import compares to tell a file that only grew from
/// one that was rewritten or truncated. `x3:` and 32 hex digits (XXH3-128: a mark is a check
/// against accidents, not an attacker, and a Claude Code tree spent a tenth of its reading time
/// on SHA-256). Marks written before were the first half of SHA-256 without a prefix, and are
/// still compared as such.
pub fn fingerprint(path: &Path, end: u64) -> std::io::Result<String> {
    let mut hash = twox_hash::XxHash3_128::new();
    windows(path, end, |bytes| hash.write(bytes))?;
    Ok(format!("x3:{:032x}", hash.finish_128()))
}

/// The fingerprint of marks written before `x3:` ones (SHA-256, first half, no prefix).
fn fingerprint_sha(path: &Path, end: u64) -> std::io::Result<String> {
    let mut hash = Sha256::new();
    windows(path, end, |bytes| hash.update(bytes))?;
    let digest = hash.finalize();
    Ok(digest[..16].iter().map(|b| format!("{b:02x}")).collect())
}

/// Feeds `end` (8 bytes, little-endian), the first `min(64 KiB, end)` bytes, and the up to
/// 64 KiB before `end` (if not already fed) to `feed`.
fn windows(path: &Path, end: u64, mut feed: impl FnMut(&[u8])) -> std::io::Result<()> {
    let mut file = std::fs::File::open(path)?;
    feed(&end.to_le_bytes());
    let mut buf = vec![0u8; WINDOW as usize];
    let head = end.min(WINDOW);
    file.read_exact(&mut buf[..head as usize])?;
    feed(&buf[..head as usize]);
    let tail_start = end.saturating_sub(WINDOW);
    if tail_start > 0 || end > head {
        let len = (end - tail_start) as usize;
        file.seek(SeekFrom::Start(tail_start))?;
        file.read_exact(&mut buf[..len])?;
        feed(&buf[..len]);
    }
    Ok(())
}

/// Whether the file at `path`, now `size` bytes long, still holds what an import read up to
/// `mark`: it is at least that long, plain, and the hashes agree.
pub fn still_grows_from(path: &Path, size: u64, mark: &ResumeMark) -> bool {
    // The cheap checks first: a file shorter than the mark, or compressed, is not hashed.
    if size < mark.offset || !probe(path).is_ok_and(|p| p.plain) {
        return false;
    }
    let now = if mark.hash.starts_with("x3:") {
        fingerprint(path, mark.offset)
    } else {
        fingerprint_sha(path, mark.offset)
    };
    now.is_ok_and(|h| h == mark.hash)
}

/// Opens a plain file at `offset` (the start of a line), counting the bytes read into `count`.
pub fn open_at(path: &Path, offset: u64, count: Arc<AtomicU64>) -> std::io::Result<Reader> {
    let mut file = std::fs::File::open(path)?;
    file.seek(SeekFrom::Start(offset))?;
    Ok(Box::new(BufReader::with_capacity(
        256 * 1024,
        Counted { inner: file, count },
    )))
}

/// Bytes `start..end` of an open plain file (`start` the start of a line), counting the bytes
/// read into `count`: one part of a file split for several readers. Every part reads the one
/// file opened when it was split, by position, so a log rotated away mid-import (renamed, a
/// new file at its path) is still read whole.
pub fn open_part(file: Arc<std::fs::File>, start: u64, end: u64, count: Arc<AtomicU64>) -> Reader {
    Box::new(BufReader::with_capacity(
        256 * 1024,
        Counted {
            inner: PartOf { file, at: start, end },
            count,
        },
    ))
}

/// A byte range of a shared file, read by position (the file's own cursor is left alone).
struct PartOf {
    file: Arc<std::fs::File>,
    at: u64,
    end: u64,
}

impl Read for PartOf {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let want = buf.len().min(self.end.saturating_sub(self.at) as usize);
        if want == 0 {
            return Ok(0);
        }
        let n = read_at(&self.file, &mut buf[..want], self.at)?;
        self.at += n as u64;
        Ok(n)
    }
}

/// Reads from `offset` of `file` without moving its cursor.
pub fn read_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    #[cfg(unix)]
    return std::os::unix::fs::FileExt::read_at(file, buf, offset);
    #[cfg(windows)]
    return std::os::windows::fs::FileExt::seek_read(file, buf, offset);
    #[cfg(not(any(unix, windows)))]
    return Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "reading by position",
    ));
}

/// Where `file` splits into `parts` of about equal size at line starts: the start of each
/// part after `first` (where the first line starts, after a byte-order mark), then `size`. A
/// part may be empty when a line is longer than a part; past a last line without its line
/// end, the points are `size`.
pub fn split_points(file: &std::fs::File, first: u64, size: u64, parts: u64) -> std::io::Result<Vec<u64>> {
    let mut file = BufReader::with_capacity(64 * 1024, file);
    let mut points = vec![first];
    for k in 1..parts {
        let nominal = (first + (size - first) * k / parts).max(*points.last().unwrap_or(&first));
        if nominal == first {
            points.push(first);
            continue;
        }
        // The first line start at or after `nominal`: just past the first line end at or
        // after `nominal - 1`.
        file.seek(SeekFrom::Start(nominal.saturating_sub(1)))?;
        let mut skipped = Vec::new();
        let read = file.read_until(b'\n', &mut skipped)? as u64;
        let at = if skipped.last() == Some(&b'\n') {
            nominal.saturating_sub(1) + read
        } else {
            size
        };
        points.push(at.min(size));
    }
    points.push(size);
    Ok(points)
}

struct Counted<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// How far a source has read: bytes taken, line ends among them, and where the last one ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Position {
    pub consumed: u64,
    pub newlines: u64,
    /// Bytes up to and including the last line end taken.
    pub line_end: u64,
}

impl Position {
    /// The line just handed to the source has no line end: it is the last, and unfinished.
    pub fn in_unfinished_line(&self) -> bool {
        self.consumed > self.line_end
    }

    fn take(&mut self, bytes: &[u8]) {
        let mut last = None;
        for i in memchr::memchr_iter(b'\n', bytes) {
            self.newlines += 1;
            last = Some(i);
        }
        if let Some(i) = last {
            self.line_end = self.consumed + i as u64 + 1;
        }
        self.consumed += bytes.len() as u64;
    }
}

/// A reader that keeps its [`Position`] where the caller can see it while a source reads.
pub struct Tracked<'r> {
    inner: &'r mut dyn BufRead,
    pub position: Rc<Cell<Position>>,
}

impl<'r> Tracked<'r> {
    pub fn new(inner: &'r mut dyn BufRead) -> Tracked<'r> {
        Tracked {
            inner,
            position: Rc::new(Cell::new(Position::default())),
        }
    }
}

impl Read for Tracked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut p = self.position.get();
        p.take(&buf[..n]);
        self.position.set(p);
        Ok(n)
    }
}

impl BufRead for Tracked<'_> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        if amount > 0 {
            // The buffer is filled (`amount` of it is being taken): this does no I/O.
            if let Ok(buf) = self.inner.fill_buf() {
                let mut p = self.position.get();
                p.take(&buf[..amount.min(buf.len())]);
                self.position.set(p);
            }
        }
        self.inner.consume(amount);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn the_position_follows_line_ends_through_read_until() {
        let mut data: &[u8] = b"a\n\nbc\ndef";
        let mut t = Tracked::new(&mut data);
        let mut line = Vec::new();
        t.read_until(b'\n', &mut line).unwrap();
        assert_eq!(
            t.position.get(),
            Position {
                consumed: 2,
                newlines: 1,
                line_end: 2
            }
        );
        assert!(!t.position.get().in_unfinished_line());
        line.clear();
        t.read_until(b'\n', &mut line).unwrap();
        line.clear();
        t.read_until(b'\n', &mut line).unwrap();
        assert_eq!(t.position.get().line_end, 6);
        line.clear();
        t.read_until(b'\n', &mut line).unwrap();
        // "def" has no line end: 9 bytes taken, the last complete line ends at 6.
        assert_eq!(
            t.position.get(),
            Position {
                consumed: 9,
                newlines: 3,
                line_end: 6
            }
        );
        assert!(t.position.get().in_unfinished_line());
    }

    #[test]
    fn a_fingerprint_changes_with_the_head_the_tail_and_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        // 200 KiB of lines: the head and tail windows do not overlap.
        let body: String = (0..4000).map(|i| format!("{{\"n\":{i:040}}}\n")).collect();
        std::fs::write(&path, &body).unwrap();
        let end = body.len() as u64;
        let before = fingerprint(&path, end).unwrap();
        assert_eq!(before.len(), 35);
        assert!(before.starts_with("x3:"), "{before}");
        // Appending keeps the hash up to the old end.
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"{\"n\":1}\n")
            .unwrap();
        assert_eq!(fingerprint(&path, end).unwrap(), before);
        let mark = ResumeMark {
            offset: end,
            line: 4000,
            hash: before.clone(),
        };
        assert!(still_grows_from(&path, end + 8, &mark));
        // A byte changed in the first 64 KiB, or just before the old end: rewritten.
        let mut changed = body.clone().into_bytes();
        changed[10] = b'7';
        std::fs::write(&path, &changed).unwrap();
        assert_ne!(fingerprint(&path, end).unwrap(), before);
        let mut changed = body.clone().into_bytes();
        changed[body.len() - 5] = b'7';
        std::fs::write(&path, &changed).unwrap();
        assert_ne!(fingerprint(&path, end).unwrap(), before);
        // Shorter than the old end: truncated.
        std::fs::write(&path, &body[..1000]).unwrap();
        assert!(!still_grows_from(&path, 1000, &mark));
        // A small file: the windows are the whole file.
        std::fs::write(&path, "{}\n").unwrap();
        assert_ne!(fingerprint(&path, 3).unwrap(), fingerprint(&path, 2).unwrap());
    }

    /// A mark written before `x3:` fingerprints (SHA-256) still lets a grown file be read from
    /// where it ended, and still tells a rewritten one.
    #[test]
    fn a_mark_from_before_xxh3_is_still_compared() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        let body: String = (0..3000).map(|i| format!("{{\"n\":{i:040}}}\n")).collect();
        std::fs::write(&path, &body).unwrap();
        let end = body.len() as u64;
        let old = fingerprint_sha(&path, end).unwrap();
        assert_eq!(old.len(), 32);
        assert!(old.bytes().all(|b| b.is_ascii_hexdigit()));
        let mark = ResumeMark {
            offset: end,
            line: 3000,
            hash: old,
        };
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"{\"n\":1}\n")
            .unwrap();
        assert!(still_grows_from(&path, end + 8, &mark));
        let mut changed = body.into_bytes();
        changed[10] = b'7';
        std::fs::write(&path, &changed).unwrap();
        assert!(!still_grows_from(&path, end, &mark));
    }

    #[test]
    fn compressed_files_are_not_plain() {
        let dir = tempfile::tempdir().unwrap();
        let gz = dir.path().join("a.gz");
        std::fs::write(&gz, [0x1f, 0x8b, 8, 0]).unwrap();
        assert!(!probe(&gz).unwrap().plain);
        let bom = dir.path().join("b.jsonl");
        std::fs::write(&bom, b"\xEF\xBB\xBF{}\n").unwrap();
        assert_eq!(probe(&bom).unwrap(), Probe { plain: true, bom: true });
    }
}
