//! The import transaction: inserts with dedupe, rollups kept in memory and upserted at commit,
//! the store's totals checked so no sum can wrap, the import history and the rejects.

use super::rollup::{Agg, Cells, FLUSH_CELLS, Rollups, RowIds, sum_values, upsert_sql};
use super::schema::WINDOWS;
use super::{FileCounts, Inserted, NewRequest, ResumeMark, io_error, key_hash};
use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension, Statement, params};
use std::collections::HashMap;
use std::path::PathBuf;

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
    names: Names,
    /// Where the names cache goes back to when the transaction ends.
    home: &'s std::sync::Mutex<NameIds>,
}

impl Drop for FileTx<'_> {
    fn drop(&mut self) {
        if self.open {
            self.insert = None;
            self.find = None;
            let _ = self.conn.execute_batch("ROLLBACK");
            self.names.ids.clear();
        }
        let ids = std::mem::take(&mut self.names.ids);
        *self.home.lock().unwrap_or_else(|e| e.into_inner()) = ids;
    }
}

const INSERT: &str =
    "INSERT INTO request_rows (key_hash, request_key, ts_ms, day, source, provider, model, model_priced, tier,
    uncached_input, cache_read, cache_write_5m, cache_write_1h, output, reasoning, requests,
    team, template, template_version, api_key_id, project, user_id, tags,
    cost_nanos, price_source, unpriced, reported_cost_nanos, flags, line, file_id, session_id, status, latency_ms)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22,
            ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33)
    ON CONFLICT (key_hash) DO NOTHING";

/// The ids of text values in `names`, kept by the store from one import transaction to the
/// next (a transaction takes the cache and gives it back). A transaction that rolls back gives
/// it back empty, since names it added are gone; it is emptied too when it holds
/// [`NAMES_CACHED`] (a file of a million sessions must not hold them all).
pub(super) type NameIds = HashMap<Box<str>, i64, foldhash::fast::FixedState>;

#[derive(Default)]
struct Names {
    ids: NameIds,
}

const NAMES_CACHED: usize = 65_536;

const SELECT_STORED: &str = "SELECT day, team, template, model, provider, api_key_id, project, tier,
    uncached_input, cache_read, cache_write_5m, cache_write_1h, output, reasoning, requests,
    cost_nanos, unpriced, reported_cost_nanos, request_key, template_version, model_priced, price_source,
    user_id, status, session_id, tags
    FROM requests WHERE key_hash = ?1";

impl<'s> FileTx<'s> {
    /// Starts the transaction (see [`Store::begin`]).
    pub(super) fn begin(
        conn: &'s Connection,
        store_path: PathBuf,
        home: &'s std::sync::Mutex<NameIds>,
    ) -> Result<FileTx<'s>> {
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
            names: Names {
                ids: std::mem::take(&mut *home.lock().unwrap_or_else(|e| e.into_inner())),
            },
            home,
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
        let mut hash = key_hash(&r.key);
        let ids = self.ids(r)?;
        loop {
            if self.try_insert(hash, r, &ids)? {
                self.totals = next;
                self.roll(r, &ids, 1)?;
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

    /// The id of `name` in `names`, added if new.
    fn name(&mut self, name: &str) -> Result<i64> {
        if let Some(id) = self.names.ids.get(name) {
            return Ok(*id);
        }
        let conn = self.conn;
        let found = conn
            .prepare_cached("SELECT id FROM names WHERE name = ?1")
            .and_then(|mut st| st.query_row([name], |r| r.get::<_, i64>(0)).optional())
            .map_err(|e| self.err(e))?;
        let id = match found {
            Some(id) => id,
            None => {
                conn.prepare_cached("INSERT INTO names (name) VALUES (?1)")
                    .and_then(|mut st| st.execute([name]))
                    .map_err(|e| self.err(e))?;
                conn.last_insert_rowid()
            }
        };
        if self.names.ids.len() >= NAMES_CACHED {
            self.names.ids.clear();
        }
        self.names.ids.insert(name.into(), id);
        Ok(id)
    }

    fn name_of(&mut self, name: Option<&str>) -> Result<Option<i64>> {
        name.map(|n| self.name(n)).transpose()
    }

    /// The `names` ids of a request's text dimensions (added to `names` if new).
    fn ids(&mut self, r: &NewRequest) -> Result<RowIds> {
        Ok(RowIds {
            day: self.name(&r.day)?,
            source: self.name(r.source)?,
            provider: self.name(&r.provider)?,
            model: self.name(&r.model)?,
            tier: self.name(&r.tier)?,
            model_priced: self.name_of(r.model_priced.as_deref())?,
            team: self.name_of(r.team.as_deref())?,
            template: self.name_of(r.template.as_deref())?,
            template_version: self.name_of(r.template_version.as_deref())?,
            api_key_id: self.name_of(r.api_key_id.as_deref())?,
            project: self.name_of(r.project.as_deref())?,
            user: self.name_of(r.user.as_deref())?,
            tags: self.name_of(r.tags.as_deref())?,
            price_source: self.name_of(r.price_source)?,
            flags: self.name_of(r.flags.as_deref())?,
            session: self.name_of(r.session.as_deref())?,
            status: self.name_of(r.status)?,
        })
    }

    /// Adds `r` to its rollup cells (`sign` 1), or takes it away (−1).
    fn roll(&mut self, r: &NewRequest, ids: &RowIds, sign: i64) -> Result<()> {
        let empty = self.name("")?;
        let mut tags: Vec<(i64, i64)> = Vec::new();
        if !r.tag_pairs.is_empty() {
            for (k, v) in &r.tag_pairs {
                tags.push((self.name(k)?, self.name(v)?));
            }
        } else if let Some(text) = r.tags.as_deref()
            && let Ok(map) = serde_json::from_str::<std::collections::BTreeMap<String, String>>(text)
        {
            // A row read back from the store (a replaced or re-priced record).
            for (k, v) in &map {
                tags.push((self.name(k)?, self.name(v)?));
            }
        }
        self.rollup.add(r, ids, empty, &tags, sign);
        Ok(())
    }

    fn try_insert(&mut self, hash: i64, r: &NewRequest, ids: &RowIds) -> Result<bool> {
        let t = &r.tokens;
        let stmt = self.insert.as_mut().expect("statement prepared in begin_file");
        let changed = stmt
            .execute(params![
                hash,
                r.key,
                r.ts_ms,
                ids.day,
                ids.source,
                ids.provider,
                ids.model,
                ids.model_priced,
                ids.tier,
                t.uncached_input as i64,
                t.cache_read as i64,
                t.cache_write_5m as i64,
                t.cache_write_1h as i64,
                t.output as i64,
                t.reasoning as i64,
                r.requests as i64,
                ids.team,
                ids.template,
                ids.template_version,
                ids.api_key_id,
                ids.project,
                ids.user,
                ids.tags,
                r.cost_nanos,
                ids.price_source,
                r.unpriced,
                r.reported_cost_nanos,
                ids.flags,
                r.line as i64,
                self.file_id,
                ids.session,
                ids.status,
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
        let ids = [
            self.name_of(r.team.as_deref())?,
            self.name_of(r.template.as_deref())?,
            self.name_of(r.template_version.as_deref())?,
            self.name_of(r.model_priced.as_deref())?,
            self.name_of(r.price_source)?,
            self.name_of(r.flags.as_deref())?,
        ];
        self.conn
            .prepare_cached(
                "UPDATE request_rows SET team = ?2, template = ?3, template_version = ?4, model_priced = ?5,
                 cost_nanos = ?6, price_source = ?7, unpriced = ?8, flags = ?9 WHERE key_hash = ?1",
            )
            .and_then(|mut st| {
                st.execute(params![
                    hash,
                    ids[0],
                    ids[1],
                    ids[2],
                    ids[3],
                    r.cost_nanos,
                    ids[4],
                    r.unpriced,
                    ids[5],
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
        let (old_ids, new_ids) = (self.ids(&old)?, self.ids(&new)?);
        self.roll(&old, &old_ids, -1)?;
        self.roll(&new, &new_ids, 1)?;
        Ok(Inserted::Updated {
            cost: new.cost_nanos - old.cost_nanos,
            unpriced: new.unpriced as i64 - old.unpriced as i64,
        })
    }

    /// A Claude Code copy with more output: its numbers replace the stored ones.
    fn replace(&mut self, hash: i64, r: &NewRequest, old: NewRequest) -> Result<Inserted> {
        let t = &r.tokens;
        let ids = [
            self.name(&r.day)?.into(),
            self.name_of(r.model_priced.as_deref())?,
            self.name_of(r.price_source)?,
        ];
        self.conn
            .prepare_cached(
                "UPDATE request_rows SET uncached_input = ?2, cache_read = ?3, cache_write_5m = ?4, cache_write_1h = ?5,
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
                    ids[0],
                    ids[1],
                    ids[2],
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
        let (old_ids, new_ids) = (self.ids(&old)?, self.ids(&new)?);
        self.roll(&old, &old_ids, -1)?;
        self.roll(&new, &new_ids, 1)?;
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
        self.upsert_cells("rollup_work", &self.rollup.work, &[], |_| Vec::new())?;
        self.upsert_cells("rollup_tags", &self.rollup.tags, &[], |_| Vec::new())?;
        self.rollup.work = Cells::default();
        self.rollup.tags = Cells::default();
        Ok(())
    }

    /// Upserts each cell into `table`: its key columns (`names` ids), its sums, then the
    /// `extra` columns (name, how a conflict updates it) with `more` values.
    fn upsert_cells<const N: usize>(
        &self,
        table: &str,
        cells: &Cells<N>,
        extra: &[(String, String)],
        more: impl Fn(&Agg) -> Vec<i64>,
    ) -> Result<()> {
        let e = |err| io_error(&self.store_path, err);
        let extra: Vec<(&str, &str)> = extra.iter().map(|(c, how)| (c.as_str(), how.as_str())).collect();
        let mut up = self.conn.prepare_cached(&upsert_sql(table, N, &extra)).map_err(e)?;
        for (k, a) in cells.iter() {
            let values = k.iter().copied().chain(sum_values(a)).chain(more(a));
            up.execute(rusqlite::params_from_iter(values)).map_err(e)?;
        }
        Ok(())
    }

    /// Writes the rollups, then commits everything.
    pub fn commit(mut self) -> Result<()> {
        self.insert = None;
        self.find = None;
        let store_path = self.store_path.clone();
        let e = |err| io_error(&store_path, err);
        {
            // The largest call is a maximum; the calls over each context window add up.
            let extra: Vec<(String, String)> = std::iter::once((
                "max_input".to_string(),
                "MAX(max_input, excluded.max_input)".to_string(),
            ))
            .chain(
                WINDOWS
                    .iter()
                    .map(|w| (format!("over_{w}"), format!("over_{w} + excluded.over_{w}"))),
            )
            .collect();
            self.upsert_cells("rollup_daily", &self.rollup.daily, &extra, |a| {
                std::iter::once(a.max_input).chain(a.over).collect()
            })?;
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
        self.names.ids.clear();
        self.conn
            .execute_batch("ROLLBACK")
            .map_err(|e| io_error(&self.store_path, e))
    }
}
