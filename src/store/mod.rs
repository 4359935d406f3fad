//! The SQLite store (DESIGN §7): one row per request, daily rollups kept on insert, import
//! history and rejects. Opened read-write by `cost import`, read-only by reports.

pub mod dim;
pub mod export;
pub mod open;
pub mod query;
mod rollup;
pub mod runs;
pub mod schema;
mod tx;

pub use tx::FileTx;

use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// Where the store lives when neither `--db`, `COST_DB` nor `[store] path` says.
pub fn default_path() -> PathBuf {
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    data.join("cost").join("cost.db")
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Read-only of an older schema: the version on disk, upgraded in memory (the file is
    /// not changed).
    upgraded_from: Option<i64>,
    /// The `names` ids import transactions looked up, for the next one.
    names: std::sync::Mutex<tx::NameIds>,
}

/// A request ready to store: priced, attributed, keyed.
#[derive(Debug, Clone, Default)]
pub struct NewRequest {
    pub key: String,
    pub ts_ms: i64,
    pub day: String,
    pub source: &'static str,
    pub provider: String,
    pub model: String,
    pub model_priced: Option<String>,
    pub tier: String,
    pub tokens: crate::tokens::Tokens,
    pub requests: u64,
    pub team: Option<String>,
    pub template: Option<String>,
    pub template_version: Option<String>,
    pub api_key_id: Option<String>,
    pub project: Option<String>,
    pub user: Option<String>,
    pub tags: Option<String>,
    /// The same tags as pairs, for the tag rollup (empty for a row read back from the store:
    /// then `tags` is parsed).
    pub tag_pairs: Vec<(String, String)>,
    pub session: Option<String>,
    /// `ok` or `error`.
    pub status: Option<&'static str>,
    pub latency_ms: Option<i64>,
    pub cost_nanos: i64,
    pub price_source: Option<&'static str>,
    pub unpriced: bool,
    pub reported_cost_nanos: Option<i64>,
    pub flags: Option<String>,
    pub line: u64,
    pub largest_output_wins: bool,
    /// The price source read back from a stored row (comparisons only).
    pub stored_price_source: Option<String>,
}

/// What inserting a request did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inserted {
    New,
    Duplicate,
    /// A copy with more output replaced the stored one (Claude Code snapshots); the change in
    /// cost, nano-USD.
    Replaced(i64),
    /// `--update`: the stored record was re-priced or re-attributed; the change in cost and in
    /// unpriced records.
    Updated {
        cost: i64,
        unpriced: i64,
    },
    /// Not stored: the store's total of a token bucket or of cost would pass what a 64-bit
    /// sum holds (so no report's sum can wrap). The reason names what.
    TooLarge(String),
}

/// The stable 64-bit hash a request key is indexed by (FNV-1a with a final mix). Collisions
/// are resolved by comparing the stored key and probing the next value.
pub fn key_hash(key: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.as_bytes() {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h as i64
}

fn io_error(path: &Path, e: rusqlite::Error) -> Error {
    if let rusqlite::Error::SqliteFailure(f, _) = &e {
        if f.code == rusqlite::ErrorCode::NotADatabase {
            return Error::Store {
                path: path.to_path_buf(),
                message: format!("{} is not a cost store (not an SQLite database)", path.display()),
                hint: "check --db, COST_DB or [store] path in cost.toml".into(),
            };
        }
        if f.code == rusqlite::ErrorCode::DatabaseCorrupt {
            return open::damaged(path, &e.to_string());
        }
    }
    let kind = match &e {
        rusqlite::Error::SqliteFailure(f, _) => match f.code {
            rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::PermissionDenied => {
                std::io::ErrorKind::PermissionDenied
            }
            rusqlite::ErrorCode::DiskFull => std::io::ErrorKind::StorageFull,
            rusqlite::ErrorCode::CannotOpen => std::io::ErrorKind::NotFound,
            _ => std::io::ErrorKind::Other,
        },
        _ => std::io::ErrorKind::Other,
    };
    Error::Io {
        path: path.to_path_buf(),
        source: std::io::Error::new(kind, e.to_string()),
    }
}

impl Store {
    /// Opens (creating if needed) the store for writing and brings its schema up to date.
    /// A directory, another application's database or a damaged file is refused untouched.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| Error::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        open::inspect(path)?;
        Store::open_writable(path, schema::VERSION)
    }

    fn open_writable(path: &Path, version: i64) -> Result<Store> {
        let conn = Connection::open(path).map_err(|e| io_error(path, e))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            upgraded_from: None,
            names: Default::default(),
        };
        store.configure(false)?;
        store.migrate(version)?;
        // After the schema exists (WAL cannot be entered inside a transaction); a no-op when
        // another process got there first.
        let e = |e| io_error(path, e);
        let mode: String = store
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .map_err(e)?;
        if !mode.eq_ignore_ascii_case("wal") {
            store.conn.pragma_update(None, "journal_mode", "WAL").map_err(e)?;
        }
        Ok(store)
    }

    /// A private in-memory store (for `--dry-run` without an existing store).
    pub fn in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory().map_err(|e| io_error(Path::new(":memory:"), e))?;
        let mut store = Store {
            conn,
            path: PathBuf::from(":memory:"),
            upgraded_from: None,
            names: Default::default(),
        };
        store.migrate(schema::VERSION)?;
        Ok(store)
    }

    /// Opens an existing store read-only (reports, the dashboard): never blocks an import,
    /// never creates, migrates or changes a file. `None` when nothing is at `path`. A store of
    /// an older schema is read upgraded in memory ([`Store::upgraded_from`]).
    pub fn open_read_only(path: &Path) -> Result<Option<Store>> {
        match open::inspect(path)? {
            open::Found::Missing => return Ok(None),
            open::Found::EmptyFile | open::Found::BlankDatabase => {
                return Err(Error::Store {
                    path: path.to_path_buf(),
                    message: format!(
                        "{} is {}, not a cost store yet",
                        path.display(),
                        if std::fs::metadata(path).is_ok_and(|m| m.len() == 0) {
                            "an empty file"
                        } else {
                            "an SQLite database without tables"
                        }
                    ),
                    hint: format!(
                        "`cost import --db {} LOGS…` creates the store there; reports never write to it",
                        path.display()
                    ),
                });
            }
            open::Found::Store => {}
        }
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(|e| io_error(path, e))?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
            upgraded_from: None,
            names: Default::default(),
        };
        store.configure(true)?;
        let version = store.version()?;
        if version > schema::VERSION {
            return Err(Error::Store {
                path: path.to_path_buf(),
                message: format!(
                    "{} was written by a newer cost (schema {version}, this build knows {})",
                    path.display(),
                    schema::VERSION
                ),
                hint: "upgrade cost, or point --db at another store".into(),
            });
        }
        if version < schema::VERSION {
            return store.upgraded_in_memory(version).map(Some);
        }
        Ok(Some(store))
    }

    /// A copy of this (read-only, older) store in memory, migrated to the current schema.
    fn upgraded_in_memory(self, version: i64) -> Result<Store> {
        let e = |e| io_error(&self.path, e);
        let mut copy = Connection::open_in_memory().map_err(e)?;
        rusqlite::backup::Backup::new(&self.conn, &mut copy)
            .and_then(|b| b.run_to_completion(i32::MAX, std::time::Duration::from_millis(50), None))
            .map_err(e)?;
        let mut store = Store {
            conn: copy,
            path: self.path.clone(),
            upgraded_from: Some(version),
            names: Default::default(),
        };
        store.migrate(schema::VERSION)?;
        Ok(store)
    }

    /// The schema version on disk when this read-only store was upgraded in memory.
    pub fn upgraded_from(&self) -> Option<i64> {
        self.upgraded_from
    }

    /// Creates a store at an old schema version (tests of the migrations).
    pub fn create_at_version(path: &Path, version: i64) -> Result<Store> {
        Store::open_writable(path, version)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    fn configure(&self, read_only: bool) -> Result<()> {
        let c = &self.conn;
        let e = |e| io_error(&self.path, e);
        c.busy_timeout(std::time::Duration::from_secs(10)).map_err(e)?;
        if !read_only {
            c.pragma_update(None, "synchronous", "NORMAL").map_err(e)?;
            // 16 KiB pages for a store created now (an existing file keeps its own): a quarter
            // of the pages and B-tree splits per row inserted; 1M narrow rows inserted 20 %
            // faster than with 4 KiB pages (`cargo bench --bench store_layout`).
            c.pragma_update(None, "page_size", 16_384).map_err(e)?;
        }
        c.pragma_update(None, "cache_size", -32_000).map_err(e)?;
        c.pragma_update(None, "foreign_keys", "OFF").map_err(e)?;
        Ok(())
    }

    pub fn version(&self) -> Result<i64> {
        self.conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| io_error(&self.path, e))
    }

    /// Brings the schema to `target` in one exclusive transaction that reads the version
    /// inside it, so processes creating or upgrading the same store at once wait for each
    /// other and apply each migration once.
    fn migrate(&mut self, target: i64) -> Result<()> {
        let path = self.path.clone();
        let e = |e| io_error(&path, e);
        // Up to date and ours: no lock to wait for behind another process's import.
        let app_id: i32 = self
            .conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(e)?;
        if self.version()? == target && app_id == open::APPLICATION_ID {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)
            .map_err(e)?;
        let current: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(e)?;
        if current > schema::VERSION {
            return Err(Error::Store {
                path: path.clone(),
                message: format!(
                    "{} was written by a newer cost (schema {current}, this build knows {})",
                    path.display(),
                    schema::VERSION
                ),
                hint: "upgrade cost, or point --db at another store".into(),
            });
        }
        if current == 0 {
            // Checked again under the lock: a database with tables of its own is not ours.
            let tables: i64 = tx
                .query_row("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'", [], |r| {
                    r.get(0)
                })
                .map_err(e)?;
            if tables > 0 {
                return Err(Error::Store {
                    path: path.clone(),
                    message: format!(
                        "{} holds tables of another application, not a cost store",
                        path.display()
                    ),
                    hint: "check --db, COST_DB or [store] path in cost.toml; cost left the file as it is".into(),
                });
            }
        }
        for n in (current as usize + 1)..=(target as usize) {
            tx.execute_batch(&schema::migration(n)).map_err(e)?;
            tx.pragma_update(None, "user_version", n as i64).map_err(e)?;
        }
        // Stores made before the application id get it on their next write.
        let app_id: i32 = tx.pragma_query_value(None, "application_id", |r| r.get(0)).map_err(e)?;
        if app_id != open::APPLICATION_ID {
            tx.pragma_update(None, "application_id", open::APPLICATION_ID)
                .map_err(e)?;
        }
        tx.commit().map_err(e)?;
        Ok(())
    }

    /// Files imported before: the newest import of each (absolute path, source); a
    /// `cost-export:SOURCE` history row reads as `cost-export`.
    pub fn imported_files(&self) -> Result<Vec<ImportedFile>> {
        let e = |err| io_error(&self.path, err);
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, abs_path, source, size, mtime_ms, resume_offset, resume_line, resume_hash FROM files
                 WHERE id IN (SELECT MAX(id) FROM files WHERE abs_path IS NOT NULL GROUP BY abs_path, source)",
            )
            .map_err(e)?;
        let rows = stmt
            .query_map([], |r| {
                let mark = match (
                    r.get::<_, Option<i64>>(5)?,
                    r.get::<_, Option<i64>>(6)?,
                    r.get::<_, Option<String>>(7)?,
                ) {
                    (Some(offset), Some(line), Some(hash)) if offset > 0 && line >= 0 => Some(ResumeMark {
                        offset: offset as u64,
                        line: line as u64,
                        hash,
                    }),
                    _ => None,
                };
                Ok(ImportedFile {
                    id: r.get(0)?,
                    abs_path: r.get(1)?,
                    source: r.get::<_, String>(2).map(|s| match s.split_once(':') {
                        Some((source, _)) => source.to_string(),
                        None => s,
                    })?,
                    size: r.get(3)?,
                    mtime_ms: r.get(4)?,
                    mark,
                })
            })
            .map_err(e)?;
        rows.collect::<rusqlite::Result<_>>().map_err(e)
    }

    /// Starts a transaction that one or more input files are imported in.
    pub fn begin(&self) -> Result<FileTx<'_>> {
        FileTx::begin(&self.conn, self.path.clone(), &self.names)
    }
}

/// The newest import of a file, as the `files` table remembers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedFile {
    /// Its row in `files` (a file that grew is continued in the same row).
    pub id: i64,
    pub abs_path: String,
    pub source: String,
    /// `None` when that import failed part-way (the file is read whole next time).
    pub size: Option<i64>,
    pub mtime_ms: Option<i64>,
    /// Where a file that only grew since is read from.
    pub mark: Option<ResumeMark>,
}

/// Where an import of a plain file stopped: the end of its last complete line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumeMark {
    /// Bytes of the file up to and including the last complete line's end.
    pub offset: u64,
    /// Lines (blank ones too) before `offset`: the next line read is `line + 1`.
    pub line: u64,
    /// The hash of the file's first 64 KiB and of the 64 KiB before `offset` (see
    /// `import::resume`): the file still starts with what was read when it matches.
    pub hash: String,
}

/// Counts recorded for an imported file.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FileCounts {
    pub lines: u64,
    pub imported: u64,
    pub duplicates: u64,
    pub replaced: u64,
    /// Duplicates whose stored record was re-priced or re-attributed (`--update`).
    pub updated: u64,
    /// The change in unpriced records from `--update` (negative when prices were added).
    pub unpriced_change: i64,
    pub rejected: u64,
    pub skipped: u64,
    pub unpriced: u64,
    pub cost_nanos: i64,
    /// Lines kept although an optional field had an unexpected type (a number for text, an
    /// object for a string), read as DESIGN §12 says.
    pub repaired: u64,
}
