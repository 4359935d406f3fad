//! The SQLite store (DESIGN §7): one row per request, daily rollups kept on insert, import
//! history and rejects. Opened read-write by `cost import`, read-only by reports.

pub mod query;
pub mod schema;

use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, params};
use std::collections::HashMap;
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
    pub tokens: crate::import::Tokens,
    pub requests: u64,
    pub team: Option<String>,
    pub template: Option<String>,
    pub template_version: Option<String>,
    pub api_key_id: Option<String>,
    pub project: Option<String>,
    pub user: Option<String>,
    pub tags: Option<String>,
    pub cost_nanos: i64,
    pub price_source: Option<&'static str>,
    pub unpriced: bool,
    pub reported_cost_nanos: Option<i64>,
    pub flags: Option<String>,
    pub line: u64,
    pub largest_output_wins: bool,
}

/// What inserting a request did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inserted {
    New,
    Duplicate,
    /// A copy with more output replaced the stored one (Claude Code snapshots).
    Replaced,
}

/// One rollup cell's key: day × team × template × model × provider × key × project × tier.
type RollupKey = [String; 8];

#[derive(Debug, Default, Clone, Copy)]
struct Agg {
    records: i64,
    requests: i64,
    calls: i64,
    cache_hit_calls: i64,
    tokens: [i64; 6],
    cost_nanos: i64,
    reported_nanos: i64,
    reported_records: i64,
    unpriced_requests: i64,
}

impl Agg {
    fn of(r: &NewRequest, sign: i64) -> Agg {
        let t = &r.tokens;
        let call = r.requests == 1;
        Agg {
            records: sign,
            requests: sign * r.requests as i64,
            calls: sign * call as i64,
            cache_hit_calls: sign * (call && t.cache_read > 0) as i64,
            tokens: [
                t.uncached_input,
                t.cache_read,
                t.cache_write_5m,
                t.cache_write_1h,
                t.output,
                t.reasoning,
            ]
            .map(|v| sign * v as i64),
            cost_nanos: sign * r.cost_nanos,
            reported_nanos: sign * r.reported_cost_nanos.unwrap_or(0),
            reported_records: sign * r.reported_cost_nanos.is_some() as i64,
            unpriced_requests: sign * if r.unpriced { r.requests.max(1) as i64 } else { 0 },
        }
    }
    fn add(&mut self, o: &Agg) {
        self.records += o.records;
        self.requests += o.requests;
        self.calls += o.calls;
        self.cache_hit_calls += o.cache_hit_calls;
        for i in 0..6 {
            self.tokens[i] += o.tokens[i];
        }
        self.cost_nanos += o.cost_nanos;
        self.reported_nanos += o.reported_nanos;
        self.reported_records += o.reported_records;
        self.unpriced_requests += o.unpriced_requests;
    }
}

fn rollup_key(r: &NewRequest) -> RollupKey {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    [
        r.day.clone(),
        s(&r.team),
        s(&r.template),
        r.model.clone(),
        r.provider.clone(),
        s(&r.api_key_id),
        s(&r.project),
        r.tier.clone(),
    ]
}

fn io_error(path: &Path, e: rusqlite::Error) -> Error {
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
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| Error::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let conn = Connection::open(path).map_err(|e| io_error(path, e))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.configure(false)?;
        store.migrate(schema::VERSION)?;
        Ok(store)
    }

    /// A private in-memory store (for `--dry-run` without an existing store).
    pub fn in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory().map_err(|e| io_error(Path::new(":memory:"), e))?;
        let mut store = Store {
            conn,
            path: PathBuf::from(":memory:"),
        };
        store.migrate(schema::VERSION)?;
        Ok(store)
    }

    /// Opens an existing store read-only (reports, the dashboard): never blocks an import.
    pub fn open_read_only(path: &Path) -> Result<Option<Store>> {
        if !path.exists() {
            return Ok(None);
        }
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(|e| io_error(path, e))?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.configure(true)?;
        let version = store.version()?;
        if version < schema::VERSION {
            // An older store: upgrade it once, writing, then read.
            drop(store);
            Store::open(path)?;
            return Store::open_read_only(path);
        }
        if version > schema::VERSION {
            return Err(Error::usage_hint(
                format!(
                    "{} was written by a newer cost (schema {version}, this build knows {})",
                    path.display(),
                    schema::VERSION
                ),
                "upgrade cost, or point --db at another store",
            ));
        }
        Ok(Some(store))
    }

    /// Creates a store at an old schema version (tests of the migrations).
    pub fn create_at_version(path: &Path, version: i64) -> Result<Store> {
        let conn = Connection::open(path).map_err(|e| io_error(path, e))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.configure(false)?;
        store.migrate(version)?;
        Ok(store)
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
            c.pragma_update(None, "journal_mode", "WAL").map_err(e)?;
            c.pragma_update(None, "synchronous", "NORMAL").map_err(e)?;
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

    fn migrate(&mut self, target: i64) -> Result<()> {
        let current = self.version()?;
        if current > schema::VERSION {
            return Err(Error::usage_hint(
                format!(
                    "{} was written by a newer cost (schema {current}, this build knows {})",
                    self.path.display(),
                    schema::VERSION
                ),
                "upgrade cost, or point --db at another store",
            ));
        }
        let path = self.path.clone();
        for (i, sql) in schema::MIGRATIONS
            .iter()
            .enumerate()
            .take(target as usize)
            .skip(current as usize)
        {
            let tx = self.conn.transaction().map_err(|e| io_error(&path, e))?;
            tx.execute_batch(sql).map_err(|e| io_error(&path, e))?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)
                .map_err(|e| io_error(&path, e))?;
            tx.commit().map_err(|e| io_error(&path, e))?;
        }
        Ok(())
    }

    /// Starts the transaction one input file is imported in.
    pub fn begin_file(&mut self, path: &str, source: &str) -> Result<FileTx<'_>> {
        let store_path = self.path.clone();
        let tx = self.conn.transaction().map_err(|e| io_error(&store_path, e))?;
        Ok(FileTx {
            tx,
            store_path,
            path: path.to_string(),
            source: source.to_string(),
            rollup: HashMap::new(),
            rejects: 0,
        })
    }
}

/// Counts recorded for an imported file.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FileCounts {
    pub lines: u64,
    pub imported: u64,
    pub duplicates: u64,
    pub replaced: u64,
    pub rejected: u64,
    pub skipped: u64,
    pub unpriced: u64,
    pub cost_nanos: i64,
}

/// The import of one file: everything it writes is one transaction.
pub struct FileTx<'s> {
    tx: Transaction<'s>,
    store_path: PathBuf,
    path: String,
    source: String,
    rollup: HashMap<RollupKey, Agg>,
    rejects: u64,
}

const INSERT: &str = "INSERT INTO requests (request_key, ts_ms, day, source, provider, model, model_priced, tier,
    uncached_input, cache_read, cache_write_5m, cache_write_1h, output, reasoning, requests,
    team, template, template_version, api_key_id, project, user_id, tags,
    cost_nanos, price_source, unpriced, reported_cost_nanos, flags, line)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22,
            ?23, ?24, ?25, ?26, ?27, ?28)
    ON CONFLICT (request_key) DO NOTHING";

const SELECT_STORED: &str = "SELECT day, team, template, model, provider, api_key_id, project, tier,
    uncached_input, cache_read, cache_write_5m, cache_write_1h, output, reasoning, requests,
    cost_nanos, unpriced, reported_cost_nanos FROM requests WHERE request_key = ?1";

impl FileTx<'_> {
    fn err(&self, e: rusqlite::Error) -> Error {
        io_error(&self.store_path, e)
    }

    /// Stores a request unless its key is already stored.
    pub fn insert(&mut self, r: &NewRequest) -> Result<Inserted> {
        let t = &r.tokens;
        let changed = {
            let mut stmt = self
                .tx
                .prepare_cached(INSERT)
                .map_err(|e| io_error(&self.store_path, e))?;
            stmt.execute(params![
                r.key,
                r.ts_ms,
                r.day,
                r.source,
                r.provider,
                r.model,
                r.model_priced,
                r.tier,
                t.uncached_input as i64,
                t.cache_read as i64,
                t.cache_write_5m as i64,
                t.cache_write_1h as i64,
                t.output as i64,
                t.reasoning as i64,
                r.requests as i64,
                r.team,
                r.template,
                r.template_version,
                r.api_key_id,
                r.project,
                r.user,
                r.tags,
                r.cost_nanos,
                r.price_source,
                r.unpriced,
                r.reported_cost_nanos,
                r.flags,
                r.line as i64,
            ])
            .map_err(|e| io_error(&self.store_path, e))?
        };
        if changed == 1 {
            self.rollup.entry(rollup_key(r)).or_default().add(&Agg::of(r, 1));
            return Ok(Inserted::New);
        }
        if !r.largest_output_wins {
            return Ok(Inserted::Duplicate);
        }
        // Claude Code: the copy with the most output is the real one.
        let stored = self
            .tx
            .prepare_cached(SELECT_STORED)
            .and_then(|mut s| {
                s.query_row([&r.key], |row| {
                    let text = |i: usize| -> rusqlite::Result<Option<String>> { row.get(i) };
                    Ok(NewRequest {
                        day: row.get(0)?,
                        team: text(1)?,
                        template: text(2)?,
                        model: row.get(3)?,
                        provider: row.get(4)?,
                        api_key_id: text(5)?,
                        project: text(6)?,
                        tier: row.get(7)?,
                        tokens: crate::import::Tokens {
                            uncached_input: row.get::<_, i64>(8)? as u64,
                            cache_read: row.get::<_, i64>(9)? as u64,
                            cache_write_5m: row.get::<_, i64>(10)? as u64,
                            cache_write_1h: row.get::<_, i64>(11)? as u64,
                            output: row.get::<_, i64>(12)? as u64,
                            reasoning: row.get::<_, i64>(13)? as u64,
                        },
                        requests: row.get::<_, i64>(14)? as u64,
                        cost_nanos: row.get(15)?,
                        unpriced: row.get(16)?,
                        reported_cost_nanos: row.get(17)?,
                        ..NewRequest::default()
                    })
                })
                .optional()
            })
            .map_err(|e| self.err(e))?;
        let Some(old) = stored else {
            return Ok(Inserted::Duplicate);
        };
        if r.tokens.output <= old.tokens.output {
            return Ok(Inserted::Duplicate);
        }
        self.tx
            .execute(
                "UPDATE requests SET uncached_input = ?2, cache_read = ?3, cache_write_5m = ?4, cache_write_1h = ?5,
                 output = ?6, reasoning = ?7, cost_nanos = ?8, unpriced = ?9, reported_cost_nanos = ?10, line = ?11,
                 ts_ms = ?12, day = ?13, model_priced = ?14, price_source = ?15
                 WHERE request_key = ?1",
                params![
                    r.key,
                    t.uncached_input as i64,
                    t.cache_read as i64,
                    t.cache_write_5m as i64,
                    t.cache_write_1h as i64,
                    t.output as i64,
                    t.reasoning as i64,
                    r.cost_nanos,
                    r.unpriced,
                    r.reported_cost_nanos,
                    r.line as i64,
                    r.ts_ms,
                    r.day,
                    r.model_priced,
                    r.price_source,
                ],
            )
            .map_err(|e| self.err(e))?;
        // The stored row keeps its attribution; only its numbers (and day) change.
        let new = NewRequest {
            team: old.team.clone(),
            template: old.template.clone(),
            model: old.model.clone(),
            provider: old.provider.clone(),
            api_key_id: old.api_key_id.clone(),
            project: old.project.clone(),
            tier: old.tier.clone(),
            ..r.clone()
        };
        self.rollup.entry(rollup_key(&old)).or_default().add(&Agg::of(&old, -1));
        self.rollup.entry(rollup_key(&new)).or_default().add(&Agg::of(&new, 1));
        Ok(Inserted::Replaced)
    }

    /// Keeps a malformed line: where it was, why, and its first 200 bytes.
    pub fn reject(&mut self, line: u64, reason: &str, excerpt: Option<&str>) -> Result<()> {
        self.rejects += 1;
        self.tx
            .prepare_cached(
                "INSERT INTO rejects (file_id, path, line, reason, excerpt) VALUES (0, ?1, ?2, ?3, ?4)
                 ON CONFLICT (path, line) DO UPDATE SET reason = excluded.reason, excerpt = excluded.excerpt",
            )
            .and_then(|mut s| s.execute(params![self.path, line as i64, reason, excerpt]))
            .map_err(|e| io_error(&self.store_path, e))?;
        Ok(())
    }

    /// Writes the rollups and the file's history row, then commits.
    pub fn commit(self, counts: &FileCounts, size: Option<u64>, mtime_ms: Option<i64>, now: &str) -> Result<()> {
        let e = |err| io_error(&self.store_path, err);
        {
            let mut up = self
                .tx
                .prepare_cached(
                    "INSERT INTO rollup_daily VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)
                     ON CONFLICT DO UPDATE SET records = records + excluded.records, requests = requests + excluded.requests,
                       calls = calls + excluded.calls, cache_hit_calls = cache_hit_calls + excluded.cache_hit_calls,
                       uncached_input = uncached_input + excluded.uncached_input, cache_read = cache_read + excluded.cache_read,
                       cache_write_5m = cache_write_5m + excluded.cache_write_5m, cache_write_1h = cache_write_1h + excluded.cache_write_1h,
                       output = output + excluded.output, reasoning = reasoning + excluded.reasoning,
                       cost_nanos = cost_nanos + excluded.cost_nanos, reported_cost_nanos = reported_cost_nanos + excluded.reported_cost_nanos,
                       reported_records = reported_records + excluded.reported_records,
                       unpriced_requests = unpriced_requests + excluded.unpriced_requests",
                )
                .map_err(e)?;
            for (k, a) in &self.rollup {
                up.execute(params![
                    k[0],
                    k[1],
                    k[2],
                    k[3],
                    k[4],
                    k[5],
                    k[6],
                    k[7],
                    a.records,
                    a.requests,
                    a.calls,
                    a.cache_hit_calls,
                    a.tokens[0],
                    a.tokens[1],
                    a.tokens[2],
                    a.tokens[3],
                    a.tokens[4],
                    a.tokens[5],
                    a.cost_nanos,
                    a.reported_nanos,
                    a.reported_records,
                    a.unpriced_requests,
                ])
                .map_err(e)?;
            }
            self.tx
                .execute("DELETE FROM rollup_daily WHERE records = 0", [])
                .map_err(e)?;
            self.tx
                .execute(
                    "INSERT INTO files (path, source, size, mtime_ms, imported_at, lines, imported, duplicates, replaced,
                       rejected, skipped, unpriced, cost_nanos) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                    params![
                        self.path,
                        self.source,
                        size.map(|s| s as i64),
                        mtime_ms,
                        now,
                        counts.lines as i64,
                        counts.imported as i64,
                        counts.duplicates as i64,
                        counts.replaced as i64,
                        counts.rejected as i64,
                        counts.skipped as i64,
                        counts.unpriced as i64,
                        counts.cost_nanos,
                    ],
                )
                .map_err(e)?;
            let file_id = self.tx.last_insert_rowid();
            if self.rejects > 0 {
                self.tx
                    .execute(
                        "UPDATE rejects SET file_id = ?1 WHERE path = ?2 AND file_id = 0",
                        params![file_id, self.path],
                    )
                    .map_err(e)?;
            }
        }
        self.tx.commit().map_err(e)
    }

    /// Abandons everything this file wrote.
    pub fn rollback(self) -> Result<()> {
        let path = self.store_path.clone();
        self.tx.rollback().map_err(|e| io_error(&path, e))
    }
}
