//! The SQLite store (DESIGN §7): one row per request, daily rollups kept on insert, import
//! history and rejects. Opened read-write by `cost import`, read-only by reports.

pub mod open;
pub mod query;
pub mod schema;

use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Statement, params};
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
    /// Read-only of an older schema: the version on disk, upgraded in memory (the file is
    /// not changed).
    upgraded_from: Option<i64>,
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
    reported_ours: i64,
    unpriced_requests: i64,
    /// The largest single call's total input (a maximum, not a sum).
    max_input: i64,
    /// Single calls over each of `schema::WINDOWS`.
    over: [i64; 6],
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
            // Logged costs are compared only where we priced the record too.
            reported_nanos: sign
                * if r.unpriced {
                    0
                } else {
                    r.reported_cost_nanos.unwrap_or(0)
                },
            reported_records: sign * (r.reported_cost_nanos.is_some() && !r.unpriced) as i64,
            reported_ours: sign
                * if r.reported_cost_nanos.is_some() && !r.unpriced {
                    r.cost_nanos
                } else {
                    0
                },
            unpriced_requests: sign * if r.unpriced { r.requests.max(1) as i64 } else { 0 },
            max_input: if call { t.total_input() as i64 } else { 0 },
            over: schema::WINDOWS.map(|w| sign * (call && t.total_input() > w) as i64),
        }
    }
    fn add(&mut self, o: &Agg) {
        self.records = self.records.saturating_add(o.records);
        self.requests = self.requests.saturating_add(o.requests);
        self.calls = self.calls.saturating_add(o.calls);
        self.cache_hit_calls = self.cache_hit_calls.saturating_add(o.cache_hit_calls);
        for i in 0..6 {
            self.tokens[i] = self.tokens[i].saturating_add(o.tokens[i]);
        }
        self.cost_nanos = self.cost_nanos.saturating_add(o.cost_nanos);
        self.reported_nanos = self.reported_nanos.saturating_add(o.reported_nanos);
        self.reported_records = self.reported_records.saturating_add(o.reported_records);
        self.reported_ours = self.reported_ours.saturating_add(o.reported_ours);
        self.unpriced_requests = self.unpriced_requests.saturating_add(o.unpriced_requests);
        self.max_input = self.max_input.max(o.max_input);
        for i in 0..6 {
            self.over[i] = self.over[i].saturating_add(o.over[i]);
        }
    }
}

/// The rollup cell of a request, borrowed.
fn rollup_parts(r: &NewRequest) -> [&str; 8] {
    fn s(v: &Option<String>) -> &str {
        v.as_deref().unwrap_or("")
    }
    [
        &r.day,
        s(&r.team),
        s(&r.template),
        &r.model,
        &r.provider,
        s(&r.api_key_id),
        s(&r.project),
        &r.tier,
    ]
}

/// Rollup deltas of one transaction, found by a hash of the borrowed key so the common
/// case (a cell seen before) allocates nothing.
#[derive(Default)]
struct Rollups {
    cells: HashMap<u64, Vec<(RollupKey, Agg)>, foldhash::fast::FixedState>,
}

impl Rollups {
    fn add(&mut self, r: &NewRequest, sign: i64) {
        use std::hash::BuildHasher;
        let parts = rollup_parts(r);
        let h = self.cells.hasher().hash_one(parts);
        let bucket = self.cells.entry(h).or_default();
        let delta = Agg::of(r, sign);
        match bucket
            .iter_mut()
            .find(|(k, _)| k.iter().zip(parts).all(|(a, b)| a == b))
        {
            Some((_, agg)) => agg.add(&delta),
            None => bucket.push((parts.map(str::to_string), delta)),
        }
    }

    fn iter(&self) -> impl Iterator<Item = &(RollupKey, Agg)> {
        self.cells.values().flatten()
    }
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
        for (i, sql) in schema::MIGRATIONS
            .iter()
            .enumerate()
            .take(target as usize)
            .skip(current as usize)
        {
            tx.execute_batch(sql).map_err(e)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64).map_err(e)?;
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

    /// Files imported before, as (absolute path, size, modification time in ms, source).
    pub fn imported_files(&self) -> Result<std::collections::HashSet<(String, i64, i64, String)>> {
        let e = |err| io_error(&self.path, err);
        let mut stmt = self
            .conn
            .prepare("SELECT abs_path, size, mtime_ms, source FROM files WHERE abs_path IS NOT NULL AND size IS NOT NULL AND mtime_ms IS NOT NULL")
            .map_err(e)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })
            .map_err(e)?;
        rows.collect::<rusqlite::Result<_>>().map_err(e)
    }

    /// Starts a transaction that one or more input files are imported in.
    pub fn begin(&self) -> Result<FileTx<'_>> {
        let store_path = self.path.clone();
        let conn = &self.conn;
        let e = |err| io_error(&store_path, err);
        conn.execute_batch("BEGIN IMMEDIATE").map_err(e)?;
        let mut tx = FileTx {
            conn,
            insert: None,
            find: None,
            store_path: store_path.clone(),
            path: String::new(),
            abs_path: None,
            source: String::new(),
            rollup: Rollups::default(),
            rejects: 0,
            open: true,
            update: false,
            file_id: 0,
            old_rejects: false,
            totals: [0; 7],
        };
        tx.totals = conn
            .query_row(
                "SELECT COALESCE(SUM(uncached_input), 0), COALESCE(SUM(cache_read), 0), COALESCE(SUM(cache_write_5m), 0),
                   COALESCE(SUM(cache_write_1h), 0), COALESCE(SUM(output), 0), COALESCE(SUM(reasoning), 0),
                   COALESCE(SUM(MAX(cost_nanos, 0)), 0) FROM rollup_daily",
                [],
                |r| {
                    let mut t = [0i64; 7];
                    for (i, v) in t.iter_mut().enumerate() {
                        *v = r.get(i)?;
                    }
                    Ok(t)
                },
            )
            .map_err(e)?;
        tx.insert = Some(conn.prepare(INSERT).map_err(e)?);
        tx.find = Some(conn.prepare(SELECT_STORED).map_err(e)?);
        Ok(tx)
    }
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

/// An import transaction over one file, or a batch of small files (rolled back if dropped
/// before [`FileTx::commit`]).
pub struct FileTx<'s> {
    conn: &'s Connection,
    insert: Option<Statement<'s>>,
    find: Option<Statement<'s>>,
    store_path: PathBuf,
    path: String,
    abs_path: Option<String>,
    source: String,
    rollup: Rollups,
    rejects: u64,
    open: bool,
    /// Re-price and re-attribute records already stored.
    update: bool,
    /// The `files` row of the current file (every request and reject names it).
    file_id: i64,
    /// The current file has rejects from an earlier import: a line imported now clears its own.
    old_rejects: bool,
    /// The store's totals (six token buckets, then cost in nano-USD), kept in step with every
    /// insert: every sum a report takes is at most these.
    totals: [i64; 7],
}

impl Drop for FileTx<'_> {
    fn drop(&mut self) {
        if self.open {
            self.insert = None;
            self.find = None;
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

const INSERT: &str =
    "INSERT INTO requests (key_hash, request_key, ts_ms, day, source, provider, model, model_priced, tier,
    uncached_input, cache_read, cache_write_5m, cache_write_1h, output, reasoning, requests,
    team, template, template_version, api_key_id, project, user_id, tags,
    cost_nanos, price_source, unpriced, reported_cost_nanos, flags, line, file_id)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22,
            ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30)
    ON CONFLICT (key_hash) DO NOTHING";

const SELECT_STORED: &str = "SELECT day, team, template, model, provider, api_key_id, project, tier,
    uncached_input, cache_read, cache_write_5m, cache_write_1h, output, reasoning, requests,
    cost_nanos, unpriced, reported_cost_nanos, request_key, template_version, model_priced, price_source
    FROM requests WHERE key_hash = ?1";

impl FileTx<'_> {
    fn err(&self, e: rusqlite::Error) -> Error {
        io_error(&self.store_path, e)
    }

    /// Stores a request unless its key is already stored.
    pub fn insert(&mut self, r: &NewRequest) -> Result<Inserted> {
        if self.old_rejects {
            self.clear_reject(r.line)?;
        }
        let mut hash = key_hash(&r.key);
        loop {
            // Checked before the row is written; a duplicate adds nothing, so the check only
            // counts once the row is stored.
            let t = &r.tokens;
            let adds = [
                t.uncached_input as i64,
                t.cache_read as i64,
                t.cache_write_5m as i64,
                t.cache_write_1h as i64,
                t.output as i64,
                t.reasoning as i64,
                r.cost_nanos.max(0),
            ];
            let mut next = self.totals;
            for (i, add) in adds.iter().enumerate() {
                match next[i].checked_add(*add) {
                    Some(v) => next[i] = v,
                    None => {
                        const NAMES: [&str; 7] = [
                            "uncached input tokens",
                            "cache-read tokens",
                            "cache-write (5m) tokens",
                            "cache-write (1h) tokens",
                            "output tokens",
                            "reasoning tokens",
                            "cost ($9,223,372,036.85)",
                        ];
                        return Ok(Inserted::TooLarge(format!(
                            "not stored: the store's total of {} would pass what a 64-bit sum holds",
                            NAMES[i]
                        )));
                    }
                }
            }
            if self.try_insert(hash, r)? {
                self.totals = next;
                self.rollup.add(r, 1);
                return Ok(Inserted::New);
            }
            // Taken: by this key (a duplicate), or by another key with the same hash.
            let stored = self.stored(hash)?;
            match stored {
                Some((key, old)) if key == r.key => return self.duplicate(hash, r, old),
                Some(_) => hash = hash.wrapping_add(1),
                None => {
                    return Err(self.err(rusqlite::Error::QueryReturnedNoRows));
                }
            }
        }
    }

    fn try_insert(&mut self, hash: i64, r: &NewRequest) -> Result<bool> {
        let t = &r.tokens;
        let stmt = self.insert.as_mut().expect("statement prepared in begin_file");
        let changed = stmt
            .execute(params![
                hash,
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
                self.file_id,
            ])
            .map_err(|e| io_error(&self.store_path, e))?;
        Ok(changed == 1)
    }

    /// The stored key and rollup-relevant fields of the row at `hash`.
    fn stored(&mut self, hash: i64) -> Result<Option<(String, NewRequest)>> {
        let stmt = self.find.as_mut().expect("statement prepared in begin_file");
        stmt.query_row([hash], |row| {
            let text = |i: usize| -> rusqlite::Result<Option<String>> { row.get(i) };
            Ok((
                row.get::<_, String>(18)?,
                NewRequest {
                    day: row.get(0)?,
                    team: text(1)?,
                    template: text(2)?,
                    model: row.get(3)?,
                    provider: row.get(4)?,
                    api_key_id: text(5)?,
                    project: text(6)?,
                    tier: row.get(7)?,
                    tokens: crate::tokens::Tokens {
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
                    template_version: text(19)?,
                    model_priced: text(20)?,
                    stored_price_source: text(21)?,
                    ..NewRequest::default()
                },
            ))
        })
        .optional()
        .map_err(|e| io_error(&self.store_path, e))
    }

    /// A key already stored: a duplicate, unless it is a Claude Code copy with more output,
    /// which replaces the stored numbers (attribution stays).
    fn duplicate(&mut self, hash: i64, r: &NewRequest, old: NewRequest) -> Result<Inserted> {
        if r.largest_output_wins && r.tokens.output > old.tokens.output {
            return self.replace(hash, r, old);
        }
        if self.update {
            return self.update_stored(hash, r, old);
        }
        Ok(Inserted::Duplicate)
    }

    /// `--update`: the same record priced and attributed under the current configuration.
    fn update_stored(&mut self, hash: i64, r: &NewRequest, old: NewRequest) -> Result<Inserted> {
        let same = old.cost_nanos == r.cost_nanos
            && old.unpriced == r.unpriced
            && old.team == r.team
            && old.template == r.template
            && old.template_version == r.template_version
            && old.model_priced == r.model_priced
            && old.stored_price_source.as_deref() == r.price_source;
        if same {
            return Ok(Inserted::Duplicate);
        }
        self.conn
            .prepare_cached(
                "UPDATE requests SET team = ?2, template = ?3, template_version = ?4, model_priced = ?5,
                 cost_nanos = ?6, price_source = ?7, unpriced = ?8, flags = ?9 WHERE key_hash = ?1",
            )
            .and_then(|mut st| {
                st.execute(params![
                    hash,
                    r.team,
                    r.template,
                    r.template_version,
                    r.model_priced,
                    r.cost_nanos,
                    r.price_source,
                    r.unpriced,
                    r.flags,
                ])
            })
            .map_err(|e| self.err(e))?;
        // The same tokens, under the new attribution and price.
        let new = NewRequest {
            team: r.team.clone(),
            template: r.template.clone(),
            cost_nanos: r.cost_nanos,
            unpriced: r.unpriced,
            ..old.clone()
        };
        self.rollup.add(&old, -1);
        self.rollup.add(&new, 1);
        Ok(Inserted::Updated {
            cost: new.cost_nanos - old.cost_nanos,
            unpriced: new.unpriced as i64 - old.unpriced as i64,
        })
    }

    /// A Claude Code copy with more output: its numbers replace the stored ones.
    fn replace(&mut self, hash: i64, r: &NewRequest, old: NewRequest) -> Result<Inserted> {
        let t = &r.tokens;
        self.conn
            .prepare_cached(
                "UPDATE requests SET uncached_input = ?2, cache_read = ?3, cache_write_5m = ?4, cache_write_1h = ?5,
                 output = ?6, reasoning = ?7, cost_nanos = ?8, unpriced = ?9, reported_cost_nanos = ?10, line = ?11,
                 ts_ms = ?12, day = ?13, model_priced = ?14, price_source = ?15, file_id = ?16
                 WHERE key_hash = ?1",
            )
            .and_then(|mut st| {
                st.execute(params![
                    hash,
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
                    self.file_id,
                ])
            })
            .map_err(|e| self.err(e))?;
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
        self.rollup.add(&old, -1);
        self.rollup.add(&new, 1);
        Ok(Inserted::Replaced(new.cost_nanos - old.cost_nanos))
    }

    /// A line rejected by an earlier import that is read as a record now.
    fn clear_reject(&mut self, line: u64) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM rejects WHERE path = ?1 AND line = ?2")
            .and_then(|mut s| s.execute(params![self.path, line as i64]))
            .map_err(|e| io_error(&self.store_path, e))?;
        Ok(())
    }

    /// Keeps a malformed line: where it was, why, and its first 200 bytes.
    pub fn reject(&mut self, line: u64, reason: &str, excerpt: Option<&str>) -> Result<()> {
        self.rejects += 1;
        self.conn
            .prepare_cached(
                "INSERT INTO rejects (file_id, path, line, reason, excerpt) VALUES (?5, ?1, ?2, ?3, ?4)
                 ON CONFLICT (path, line) DO UPDATE SET reason = excluded.reason, excerpt = excluded.excerpt,
                   file_id = excluded.file_id",
            )
            .and_then(|mut s| s.execute(params![self.path, line as i64, reason, excerpt, self.file_id]))
            .map_err(|e| io_error(&self.store_path, e))?;
        Ok(())
    }

    /// Makes duplicates re-price and re-attribute the stored record (`cost import --update`).
    pub fn set_update(&mut self, update: bool) {
        self.update = update;
    }

    /// Names the file the next inserts and rejects come from (`abs_path`: where it is on
    /// disk, for recognising it unchanged next time), and records it in the history table
    /// (its counts are written by [`FileTx::finish_file`]).
    pub fn start_file(&mut self, path: &str, abs_path: Option<&str>, source: &str, now: &str) -> Result<()> {
        self.path = path.to_string();
        self.abs_path = abs_path.map(str::to_string);
        self.source = source.to_string();
        self.rejects = 0;
        let store_path = self.store_path.clone();
        let e = |err| io_error(&store_path, err);
        self.conn
            .prepare_cached(
                "INSERT INTO files (path, source, imported_at, lines, imported, duplicates, replaced, rejected, skipped,
                   unpriced, cost_nanos, abs_path) VALUES (?1, ?2, ?3, 0, 0, 0, 0, 0, 0, 0, 0, ?4)",
            )
            .and_then(|mut st| st.execute(params![self.path, self.source, now, self.abs_path]))
            .map_err(e)?;
        self.file_id = self.conn.last_insert_rowid();
        self.old_rejects = self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM rejects WHERE path = ?1)")
            .and_then(|mut st| st.query_row([&self.path], |r| r.get::<_, bool>(0)))
            .map_err(e)?;
        Ok(())
    }

    /// Records the current file's import in the history table (inside the transaction).
    pub fn finish_file(
        &mut self,
        counts: &FileCounts,
        size: Option<u64>,
        mtime_ms: Option<i64>,
        now: &str,
    ) -> Result<()> {
        let store_path = self.store_path.clone();
        let e = |err| io_error(&store_path, err);
        self.conn
            .prepare_cached(
                "UPDATE files SET size = ?2, mtime_ms = ?3, imported_at = ?4, lines = ?5, imported = ?6, duplicates = ?7,
                   replaced = ?8, rejected = ?9, skipped = ?10, unpriced = ?11, cost_nanos = ?12
                 WHERE id = ?1",
            )
            .and_then(|mut st| {
                st.execute(params![
                    self.file_id,
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
                ])
            })
            .map_err(e)?;
        Ok(())
    }

    /// Writes the rollups, then commits everything.
    pub fn commit(mut self) -> Result<()> {
        self.insert = None;
        self.find = None;
        let store_path = self.store_path.clone();
        let e = |err| io_error(&store_path, err);
        {
            let mut up = self
                .conn
                .prepare_cached(
                    "INSERT INTO rollup_daily VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30)
                     ON CONFLICT DO UPDATE SET records = records + excluded.records, requests = requests + excluded.requests,
                       calls = calls + excluded.calls, cache_hit_calls = cache_hit_calls + excluded.cache_hit_calls,
                       uncached_input = uncached_input + excluded.uncached_input, cache_read = cache_read + excluded.cache_read,
                       cache_write_5m = cache_write_5m + excluded.cache_write_5m, cache_write_1h = cache_write_1h + excluded.cache_write_1h,
                       output = output + excluded.output, reasoning = reasoning + excluded.reasoning,
                       cost_nanos = cost_nanos + excluded.cost_nanos, reported_cost_nanos = reported_cost_nanos + excluded.reported_cost_nanos,
                       reported_records = reported_records + excluded.reported_records,
                       reported_ours_nanos = reported_ours_nanos + excluded.reported_ours_nanos,
                       unpriced_requests = unpriced_requests + excluded.unpriced_requests,
                       max_input = MAX(max_input, excluded.max_input),
                       over_128000 = over_128000 + excluded.over_128000, over_200000 = over_200000 + excluded.over_200000,
                       over_272000 = over_272000 + excluded.over_272000, over_400000 = over_400000 + excluded.over_400000,
                       over_1000000 = over_1000000 + excluded.over_1000000, over_1048576 = over_1048576 + excluded.over_1048576",
                )
                .map_err(e)?;
            for (k, a) in self.rollup.iter() {
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
                    a.reported_ours,
                    a.unpriced_requests,
                    a.max_input,
                    a.over[0],
                    a.over[1],
                    a.over[2],
                    a.over[3],
                    a.over[4],
                    a.over[5],
                ])
                .map_err(e)?;
            }
            self.conn
                .execute("DELETE FROM rollup_daily WHERE records = 0", [])
                .map_err(e)?;
        }
        self.conn.execute_batch("COMMIT").map_err(e)?;
        self.open = false;
        Ok(())
    }

    /// Abandons everything this file wrote.
    pub fn rollback(mut self) -> Result<()> {
        self.insert = None;
        self.find = None;
        self.open = false;
        self.conn
            .execute_batch("ROLLBACK")
            .map_err(|e| io_error(&self.store_path, e))
    }
}
