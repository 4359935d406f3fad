//! Recognising a store before SQLite opens it for real: a missing path, a directory, an empty
//! file, another application's database or a damaged file are told apart from the 100-byte
//! SQLite header (and, for files older than `application_id`, the table names read through an
//! immutable connection), so nothing is created, locked or journalled in a file that is not
//! a cost store.

use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags};
use std::io::Read;
use std::path::{Path, PathBuf};

/// `PRAGMA application_id` of every store this cost creates: "cost" in ASCII.
pub const APPLICATION_ID: i32 = 0x636f_7374;

/// What is at a store path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// Nothing.
    Missing,
    /// A file of 0 bytes (`touch`, or a store another process is creating right now).
    EmptyFile,
    /// An SQLite database without any table.
    BlankDatabase,
    /// A cost store (by application id, or by its tables for stores made before the id).
    Store,
}

/// Where the store is, as the person typed it (`--db`, `COST_DB`, `[store] path`).
fn shown(path: &Path) -> String {
    path.display().to_string()
}

fn refuse(path: &Path, message: String, hint: String) -> Error {
    Error::Store {
        path: path.to_path_buf(),
        message,
        hint,
    }
}

const WHERE: &str = "check --db, COST_DB or [store] path in cost.toml";

/// A damaged store: the hint says what is true (not "the disk is full").
pub fn damaged(path: &Path, what: &str) -> Error {
    refuse(
        path,
        format!("{} is damaged: {what}", shown(path)),
        "restore it from a backup, or move it aside and import the logs again (`cost import` creates a new store); \
         `sqlite3 FILE .recover` may save what is left"
            .into(),
    )
}

/// Looks at `path` without changing anything, and refuses what cost must not open.
pub fn inspect(path: &Path) -> Result<Found> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::Missing),
        Err(source) => {
            return Err(Error::Input {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    if meta.is_dir() {
        return Err(refuse(
            path,
            format!("{} is a directory, not a cost store", shown(path)),
            format!("point --db at a file, e.g. --db {}", shown(&path.join("cost.db"))),
        ));
    }
    if meta.len() == 0 {
        return Ok(Found::EmptyFile);
    }
    let header = reread(path)?;
    if !header.starts_with(b"SQLite format 3\0") {
        return Err(refuse(
            path,
            format!("{} is not a cost store (not an SQLite database)", shown(path)),
            format!("{WHERE}; cost left the file as it is"),
        ));
    }
    if header.len() < 100 {
        return Err(damaged(
            path,
            &format!("it is {} bytes long, shorter than an SQLite header", header.len()),
        ));
    }
    let be32 = |at: usize| u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]]);
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536u64,
        n => n as u64,
    };
    // The page count in the header is valid when its "version valid for" matches the change
    // counter. A WAL may hold pages beyond the main file, and a writer committing in rollback
    // mode (a `-journal` beside the file) writes page 1 before it extends the file, so only
    // judge a file that nobody is writing; and look twice more before calling it damaged, as a
    // store another process is creating right now passes through such states.
    let pages = be32(28) as u64;
    if be32(92) == be32(24) && pages > 0 {
        if let Some(len) = truncated(path, &header, pages * page_size)? {
            return Err(damaged(
                path,
                &format!(
                    "it is truncated: {len} bytes, but its header says {pages} pages of {page_size} bytes ({} bytes)",
                    pages * page_size
                ),
            ));
        }
    }
    let app_id = be32(68) as i32;
    if app_id == APPLICATION_ID {
        return Ok(Found::Store);
    }
    if app_id != 0 {
        return Err(refuse(
            path,
            format!(
                "{} is another application's SQLite database (application_id {:#010x}), not a cost store",
                shown(path),
                app_id as u32
            ),
            format!("{WHERE}; cost left the file as it is"),
        ));
    }
    // Stores made before the application id are known by their tables.
    let tables = table_names(path)?;
    if tables.is_empty() {
        return Ok(Found::BlankDatabase);
    }
    if tables.iter().any(|t| t == "requests") && tables.iter().any(|t| t == "files") {
        return Ok(Found::Store);
    }
    let mut listed: Vec<&str> = tables.iter().map(String::as_str).take(5).collect();
    if tables.len() > 5 {
        listed.push("…");
    }
    Err(refuse(
        path,
        format!(
            "{} is an SQLite database without cost's tables (it holds {}), not a cost store",
            shown(path),
            listed.join(", ")
        ),
        format!("{WHERE}; cost left the file as it is"),
    ))
}

/// The file's length when it is shorter than its header's `expected` bytes while nobody is
/// writing it (no `-wal`, no `-journal`) and its header stays the same on two more looks 50 ms
/// apart; `None` when it is whole or being written (then SQLite judges it under its locks).
fn truncated(path: &Path, header: &[u8], expected: u64) -> Result<Option<u64>> {
    for look in 0..3 {
        if look > 0 {
            std::thread::sleep(std::time::Duration::from_millis(50));
            if reread(path)? != header {
                return Ok(None);
            }
        }
        let busy = ["-wal", "-journal"]
            .iter()
            .any(|s| std::fs::metadata(sidecar(path, s)).is_ok_and(|m| m.len() > 0));
        // Measured after the header was read, so a file that grew in between is not judged
        // by its old length.
        let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if busy || len >= expected {
            return Ok(None);
        }
    }
    Ok(std::fs::metadata(path)
        .ok()
        .map(|m| m.len())
        .filter(|&len| len < expected))
}

/// The first 100 bytes of the file (fewer when it is shorter).
fn reread(path: &Path) -> Result<Vec<u8>> {
    let mut header = Vec::with_capacity(100);
    std::fs::File::open(path)
        .and_then(|f| f.take(100).read_to_end(&mut header))
        .map_err(|source| Error::Input {
            path: path.to_path_buf(),
            source,
        })?;
    Ok(header)
}

/// `PATH-wal`, `PATH-shm`.
pub fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(suffix);
    PathBuf::from(s)
}

/// The tables of an SQLite file, read through an immutable connection: no lock, no journal,
/// no `-wal`/`-shm` created, whatever the file's journal mode.
fn table_names(path: &Path) -> Result<Vec<String>> {
    let absolute = std::path::absolute(path).map_err(|source| Error::Input {
        path: path.to_path_buf(),
        source,
    })?;
    let uri = format!("file:{}?immutable=1", uri_path(&absolute));
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let read = || -> rusqlite::Result<Vec<String>> {
        let conn = Connection::open_with_flags(&uri, flags)?;
        let mut stmt = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.collect()
    };
    read().map_err(|e| match &e {
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(
                f.code,
                rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase
            ) =>
        {
            damaged(path, &e.to_string())
        }
        _ => Error::Input {
            path: path.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        },
    })
}

/// A path as the path part of an SQLite URI: bytes outside the unreserved set escaped.
fn uri_path(path: &Path) -> String {
    let bytes = path.as_os_str().as_encoded_bytes();
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real store of three or more 16 KiB pages, and a copy of it cut to 5,000 bytes.
    fn cut_store(dir: &Path) -> (PathBuf, u64) {
        let whole = dir.join("whole.db");
        let conn = Connection::open(&whole).unwrap();
        conn.execute_batch(
            "PRAGMA page_size = 16384; CREATE TABLE t (x BLOB); \
             INSERT INTO t VALUES (zeroblob(40000));",
        )
        .unwrap();
        drop(conn);
        let bytes = std::fs::read(&whole).unwrap();
        assert!(bytes.len() >= 3 * 16_384, "{}", bytes.len());
        let cut = dir.join("cut.db");
        std::fs::write(&cut, &bytes[..5000]).unwrap();
        (cut, bytes.len() as u64)
    }

    #[test]
    fn a_file_shorter_than_its_header_says_is_truncated_only_while_nobody_writes_it() {
        let dir = tempfile::tempdir().unwrap();
        let (cut, whole) = cut_store(dir.path());
        let header = reread(&cut).unwrap();
        // Nobody at work: looked at three times, and its length is the verdict.
        assert_eq!(truncated(&cut, &header, whole).unwrap(), Some(5000));
        match inspect(&cut) {
            Err(Error::Store { message, .. }) => assert!(
                message.ends_with(&format!(
                    "is damaged: it is truncated: 5000 bytes, but its header says {} pages of 16384 bytes ({whole} bytes)",
                    whole / 16_384
                )),
                "{message}"
            ),
            other => panic!("{other:?}"),
        }
        // A writer committing in rollback mode (its -journal beside the file) writes page 1
        // before it extends the file; a writer in WAL mode may hold pages in the -wal. Either
        // way the file is left to SQLite, which reads it under its locks.
        for sidecar_name in ["-journal", "-wal"] {
            let side = sidecar(&cut, sidecar_name);
            std::fs::write(&side, b"x").unwrap();
            assert_eq!(truncated(&cut, &header, whole).unwrap(), None, "{sidecar_name}");
            std::fs::remove_file(&side).unwrap();
        }
        // An empty -wal (left by a clean close in some modes) is no writer.
        std::fs::write(sidecar(&cut, "-wal"), b"").unwrap();
        assert_eq!(truncated(&cut, &header, whole).unwrap(), Some(5000));
        // A header that changes between two looks belongs to a store being written.
        assert_eq!(truncated(&cut, &[0u8; 100], whole).unwrap(), None);
    }

    #[test]
    fn uri_paths_escape_what_sqlite_would_read_as_query() {
        assert_eq!(uri_path(Path::new("/tmp/a b?c#d%.db")), "/tmp/a%20b%3Fc%23d%25.db");
    }
}
