//! Reads stored requests one by one, for the exports that write a row per request (JSON lines,
//! Parquet). Streams: a store of any size is read with the memory of one row.

use super::Store;
use super::query::{Filter, filter_sql};
use crate::error::Result;
use crate::tokens::Tokens;

/// One stored request, as the `requests` table holds it, with the path of the file it was
/// read from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoredRequest {
    /// The dedupe key it is stored under.
    pub key: String,
    pub ts_ms: i64,
    /// `YYYY-MM-DD` (UTC).
    pub day: String,
    /// The source that read it from a log (`envelope`, `claude-code`, …).
    pub source: String,
    /// `""` when the log named none.
    pub provider: String,
    /// As logged.
    pub model: String,
    /// The price-table key that priced it.
    pub model_priced: Option<String>,
    pub tier: String,
    pub tokens: Tokens,
    pub requests: i64,
    pub team: Option<String>,
    pub template: Option<String>,
    pub template_version: Option<String>,
    pub api_key_id: Option<String>,
    pub project: Option<String>,
    pub user: Option<String>,
    /// A JSON object of text values.
    pub tags: Option<String>,
    pub session: Option<String>,
    pub status: Option<String>,
    pub latency_ms: Option<i64>,
    pub cost_nanos: i64,
    pub price_source: Option<String>,
    pub unpriced: bool,
    pub reported_cost_nanos: Option<i64>,
    /// Comma-separated.
    pub flags: Option<String>,
    pub file: Option<String>,
    pub line: Option<i64>,
}

/// The page cache of a scan, as SQLite's `cache_size` takes it: negative is KiB.
const SCAN_CACHE_KIB: i64 = -4096;

const SELECT: &str = "SELECT r.request_key, r.ts_ms, r.day, r.source, r.provider, r.model, r.model_priced, r.tier,
    r.uncached_input, r.cache_read, r.cache_write_5m, r.cache_write_1h, r.output, r.reasoning, r.requests,
    r.team, r.template, r.template_version, r.api_key_id, r.project, r.user_id, r.tags, r.session_id, r.status,
    r.latency_ms, r.cost_nanos, r.price_source, r.unpriced, r.reported_cost_nanos, r.flags, f.path, r.line
    FROM requests AS r LEFT JOIN files AS f ON f.id = r.file_id";

impl Store {
    /// Calls `each` with every stored request the filter keeps (period, teams, models,
    /// templates), in the order they were stored; stops at the first error `each` returns.
    /// Returns how many requests were read.
    pub fn each_request(&self, filter: &Filter, mut each: impl FnMut(&StoredRequest) -> Result<()>) -> Result<u64> {
        let column = |c: &str| match c {
            "day" => "r.day".to_string(),
            other => format!("COALESCE(r.{other}, '')"),
        };
        let (wheres, args) = filter_sql(filter, &column);
        let sql = if wheres.is_empty() {
            format!("{SELECT} ORDER BY r.id")
        } else {
            format!("{SELECT} WHERE {} ORDER BY r.id", wheres.join(" AND "))
        };
        let err = |e: rusqlite::Error| super::io_error(self.path(), e);
        // One pass over the table reads each page once: a small page cache does as well as a
        // large one and leaves the memory to the export (restored after).
        let conn = self.connection();
        let cache: i64 = conn.pragma_query_value(None, "cache_size", |r| r.get(0)).map_err(err)?;
        conn.pragma_update(None, "cache_size", SCAN_CACHE_KIB).map_err(err)?;
        let result = self.scan(&sql, args, &mut each);
        conn.pragma_update(None, "cache_size", cache).map_err(err)?;
        result
    }

    fn scan(
        &self,
        sql: &str,
        args: Vec<rusqlite::types::Value>,
        each: &mut impl FnMut(&StoredRequest) -> Result<()>,
    ) -> Result<u64> {
        let err = |e: rusqlite::Error| super::io_error(self.path(), e);
        let mut stmt = self.connection().prepare(sql).map_err(err)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(args)).map_err(err)?;
        let mut n = 0u64;
        while let Some(row) = rows.next().map_err(err)? {
            let count = |i: usize| -> rusqlite::Result<u64> { Ok(row.get::<_, i64>(i)?.max(0) as u64) };
            let r = StoredRequest {
                key: row.get(0).map_err(err)?,
                ts_ms: row.get(1).map_err(err)?,
                day: row.get(2).map_err(err)?,
                source: row.get(3).map_err(err)?,
                provider: row.get(4).map_err(err)?,
                model: row.get(5).map_err(err)?,
                model_priced: row.get(6).map_err(err)?,
                tier: row.get(7).map_err(err)?,
                tokens: Tokens {
                    uncached_input: count(8).map_err(err)?,
                    cache_read: count(9).map_err(err)?,
                    cache_write_5m: count(10).map_err(err)?,
                    cache_write_1h: count(11).map_err(err)?,
                    output: count(12).map_err(err)?,
                    reasoning: count(13).map_err(err)?,
                },
                requests: row.get(14).map_err(err)?,
                team: row.get(15).map_err(err)?,
                template: row.get(16).map_err(err)?,
                template_version: row.get(17).map_err(err)?,
                api_key_id: row.get(18).map_err(err)?,
                project: row.get(19).map_err(err)?,
                user: row.get(20).map_err(err)?,
                tags: row.get(21).map_err(err)?,
                session: row.get(22).map_err(err)?,
                status: row.get(23).map_err(err)?,
                latency_ms: row.get(24).map_err(err)?,
                cost_nanos: row.get(25).map_err(err)?,
                price_source: row.get(26).map_err(err)?,
                unpriced: row.get(27).map_err(err)?,
                reported_cost_nanos: row.get(28).map_err(err)?,
                flags: row.get(29).map_err(err)?,
                file: row.get(30).map_err(err)?,
                line: row.get(31).map_err(err)?,
            };
            each(&r)?;
            n += 1;
        }
        Ok(n)
    }
}
