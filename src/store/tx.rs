//! The import transaction: inserts with dedupe, rollups kept in memory and upserted at commit,
//! the store's totals checked so no sum can wrap, the import history and the rejects.

use super::{FileCounts, Inserted, NewRequest, ResumeMark, io_error, key_hash, schema};
use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension, Statement, params};
use std::collections::HashMap;
use std::path::PathBuf;

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

/// Rollup deltas of one table, found by a hash of the borrowed key so the common case (a
/// cell seen before) allocates nothing.
struct Cells<const N: usize> {
    cells: HashMap<u64, Vec<([String; N], Agg)>, foldhash::fast::FixedState>,
    len: usize,
}

/// Work and tag rollup cells kept in memory before they are written out.
const FLUSH_CELLS: usize = 8192;

impl<const N: usize> Default for Cells<N> {
    fn default() -> Self {
        Cells {
            cells: HashMap::default(),
            len: 0,
        }
    }
}

impl<const N: usize> Cells<N> {
    fn len(&self) -> usize {
        self.len
    }

    fn add(&mut self, parts: [&str; N], delta: &Agg) {
        use std::hash::BuildHasher;
        let h = self.cells.hasher().hash_one(parts);
        let bucket = self.cells.entry(h).or_default();
        match bucket
            .iter_mut()
            .find(|(k, _)| k.iter().zip(parts).all(|(a, b)| a == b))
        {
            Some((_, agg)) => agg.add(delta),
            None => {
                bucket.push((parts.map(str::to_string), *delta));
                self.len += 1;
            }
        }
    }

    fn iter(&self) -> impl Iterator<Item = &([String; N], Agg)> {
        self.cells.values().flatten()
    }
}

/// Rollup deltas of one transaction: the daily cells, the same cells by user, status and
/// session, and by each tag key and value.
#[derive(Default)]
struct Rollups {
    daily: Cells<8>,
    work: Cells<11>,
    tags: Cells<10>,
}

impl Rollups {
    fn add(&mut self, r: &NewRequest, sign: i64) {
        let delta = Agg::of(r, sign);
        let base = rollup_parts(r);
        self.daily.add(base, &delta);
        let [a, b, c, d, e, f, g, h] = base;
        let user = r.user.as_deref().unwrap_or("");
        let session = r.session.as_deref().unwrap_or("");
        let status = r.status.unwrap_or("");
        self.work.add([a, b, c, d, e, f, g, h, user, status, session], &delta);
        if !r.tag_pairs.is_empty() {
            for (k, v) in &r.tag_pairs {
                self.tags.add([a, b, c, d, e, f, g, h, k, v], &delta);
            }
        } else if let Some(tags) = r.tags.as_deref()
            && let Ok(map) = serde_json::from_str::<std::collections::BTreeMap<String, String>>(tags)
        {
            // A row read back from the store (a replaced or re-priced record).
            for (k, v) in &map {
                self.tags.add([a, b, c, d, e, f, g, h, k, v], &delta);
            }
        }
    }
}

/// `INSERT … ON CONFLICT DO UPDATE` adding the sum columns of a rollup with `keys` key
/// columns.
fn upsert_sql(table: &str, keys: usize) -> String {
    let n = keys + schema::SUM_COLUMNS.len();
    let values = (1..=n).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
    let set = schema::SUM_COLUMNS
        .iter()
        .map(|c| format!("{c} = {c} + excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!("INSERT INTO {table} VALUES ({values}) ON CONFLICT DO UPDATE SET {set}")
}

/// The sum columns of a cell, in [`schema::SUM_COLUMNS`] order.
fn sum_values(a: &Agg) -> [i64; 15] {
    [
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
    ]
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
    cost_nanos, price_source, unpriced, reported_cost_nanos, flags, line, file_id, session_id, status, latency_ms)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22,
            ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33)
    ON CONFLICT (key_hash) DO NOTHING";

const SELECT_STORED: &str = "SELECT day, team, template, model, provider, api_key_id, project, tier,
    uncached_input, cache_read, cache_write_5m, cache_write_1h, output, reasoning, requests,
    cost_nanos, unpriced, reported_cost_nanos, request_key, template_version, model_priced, price_source,
    user_id, status, session_id, tags
    FROM requests WHERE key_hash = ?1";

impl<'s> FileTx<'s> {
    /// Starts the transaction (see [`Store::begin`]).
    pub(super) fn begin(conn: &'s Connection, store_path: PathBuf) -> Result<FileTx<'s>> {
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
                if self.rollup.work.len() + self.rollup.tags.len() > FLUSH_CELLS {
                    self.flush_work_rollups()?;
                }
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
                r.session,
                r.status,
                r.latency_ms,
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
                    user: text(22)?,
                    status: match text(23)?.as_deref() {
                        Some("ok") => Some("ok"),
                        Some("error") => Some("error"),
                        _ => None,
                    },
                    session: text(24)?,
                    tags: text(25)?,
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
            user: old.user.clone(),
            status: old.status,
            session: old.session.clone(),
            tags: old.tags.clone(),
            tag_pairs: Vec::new(),
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
        self.check_old_rejects()
    }

    /// Like [`FileTx::start_file`] for a file that grew since its import recorded as `file_id`:
    /// its new lines continue that row (the counts add up, the requests keep one file id).
    pub fn continue_file(&mut self, file_id: i64, path: &str, abs_path: Option<&str>, source: &str) -> Result<()> {
        self.path = path.to_string();
        self.abs_path = abs_path.map(str::to_string);
        self.source = source.to_string();
        self.rejects = 0;
        self.file_id = file_id;
        self.check_old_rejects()
    }

    fn check_old_rejects(&mut self) -> Result<()> {
        self.old_rejects = self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM rejects WHERE path = ?1)")
            .and_then(|mut st| st.query_row([&self.path], |r| r.get::<_, bool>(0)))
            .map_err(|err| io_error(&self.store_path, err))?;
        Ok(())
    }

    /// Names the current file's source in the history table as `label` (`cost-export:claude-code`
    /// for an export whose records were all read from Claude Code transcripts).
    pub fn set_file_source(&mut self, label: &str) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE files SET source = ?2 WHERE id = ?1")
            .and_then(|mut st| st.execute(params![self.file_id, label]))
            .map_err(|e| io_error(&self.store_path, e))?;
        Ok(())
    }

    /// Records the current file's import in the history table (inside the transaction): its
    /// counts are added to the row's, and `mark` says where a later import of the file, if it
    /// only grew, reads from (`None`: it is read whole).
    pub fn finish_file(
        &mut self,
        counts: &FileCounts,
        size: Option<u64>,
        mtime_ms: Option<i64>,
        mark: Option<&ResumeMark>,
        now: &str,
    ) -> Result<()> {
        let store_path = self.store_path.clone();
        let e = |err| io_error(&store_path, err);
        self.conn
            .prepare_cached(
                "UPDATE files SET size = ?2, mtime_ms = ?3, imported_at = ?4, lines = lines + ?5, imported = imported + ?6,
                   duplicates = duplicates + ?7, replaced = replaced + ?8, rejected = rejected + ?9, skipped = skipped + ?10,
                   unpriced = unpriced + ?11, cost_nanos = cost_nanos + ?12, resume_offset = ?13, resume_line = ?14,
                   resume_hash = ?15
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
                    mark.map(|m| m.offset as i64),
                    mark.map(|m| m.line as i64),
                    mark.map(|m| m.hash.as_str()),
                ])
            })
            .map_err(e)?;
        Ok(())
    }

    /// Upserts the work and tag rollup cells gathered so far and forgets them: called at
    /// commit, and whenever they pass [`FLUSH_CELLS`] (a file of many sessions would otherwise
    /// hold a cell per session in memory). The same transaction, so nothing is visible early.
    fn flush_work_rollups(&mut self) -> Result<()> {
        let store_path = self.store_path.clone();
        let e = |err| io_error(&store_path, err);
        let mut work = self.conn.prepare_cached(&upsert_sql("rollup_work", 11)).map_err(e)?;
        for (k, a) in self.rollup.work.iter() {
            let keys = k.iter().map(|v| rusqlite::types::Value::Text(v.clone()));
            let sums = sum_values(a).into_iter().map(rusqlite::types::Value::Integer);
            work.execute(rusqlite::params_from_iter(keys.chain(sums))).map_err(e)?;
        }
        let mut tags = self.conn.prepare_cached(&upsert_sql("rollup_tags", 10)).map_err(e)?;
        for (k, a) in self.rollup.tags.iter() {
            let keys = k.iter().map(|v| rusqlite::types::Value::Text(v.clone()));
            let sums = sum_values(a).into_iter().map(rusqlite::types::Value::Integer);
            tags.execute(rusqlite::params_from_iter(keys.chain(sums))).map_err(e)?;
        }
        self.rollup.work = Cells::default();
        self.rollup.tags = Cells::default();
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
            for (k, a) in self.rollup.daily.iter() {
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
            self.flush_work_rollups()?;
            self.conn
                .execute_batch("DELETE FROM rollup_work WHERE records = 0; DELETE FROM rollup_tags WHERE records = 0;")
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
