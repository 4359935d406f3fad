//! The calls of every session in a period, in order: what `cost runs`, runaway detection and
//! the dashboard's Runs view are built from; one session's calls (the dashboard's run detail);
//! the tag keys of a period (the dashboard's drill dimensions).

use super::Store;
use super::query::{Filter, filter_sql, requests_column};
use crate::error::Result;

/// One stored call of a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionCall {
    pub session: String,
    pub ts_ms: i64,
    pub team: String,
    pub template: String,
    pub model: String,
    /// Input tokens of every kind (uncached, cache reads and writes).
    pub input: i64,
    pub output: i64,
    pub cost_nanos: i64,
    /// 1 for a call; an aggregate row counts its requests.
    pub requests: i64,
    pub error: bool,
    pub unpriced: bool,
}

impl Store {
    /// Visits the calls that belong to a session, in the filter's period, ordered by session
    /// then time, one at a time (memory does not grow with the store).
    pub fn session_calls(&self, filter: &Filter, visit: impl FnMut(SessionCall)) -> Result<()> {
        self.calls_where(filter, None, visit)
    }

    /// Visits one session's calls in the filter's period, in time order (the
    /// `request_rows_session` index on (session_id, ts_ms) finds them without a scan).
    pub fn calls_of(&self, session: &str, filter: &Filter, visit: impl FnMut(SessionCall)) -> Result<()> {
        self.calls_where(filter, Some(session), visit)
    }

    fn calls_where(&self, filter: &Filter, session: Option<&str>, mut visit: impl FnMut(SessionCall)) -> Result<()> {
        let (mut wheres, mut args) = filter_sql(filter, &|c: &str| requests_column(c, true));
        match session {
            Some(s) => {
                wheres.insert(0, "session_ref = (SELECT id FROM names WHERE name = ?)".to_string());
                args.insert(0, rusqlite::types::Value::Text(s.to_string()));
            }
            None => wheres.insert(0, "session_ref IS NOT NULL AND session_id != ''".to_string()),
        }
        let sql = format!(
            "SELECT session_id, ts_ms, COALESCE(team, ''), COALESCE(template, ''), model,
                    uncached_input + cache_read + cache_write_5m + cache_write_1h, output, cost_nanos, requests,
                    COALESCE(status, '') = 'error', unpriced
             FROM requests WHERE {} ORDER BY session_ref, ts_ms, id",
            wheres.join(" AND ")
        );
        let err = |e: rusqlite::Error| super::io_error(self.path(), e);
        let mut stmt = self.connection().prepare(&sql).map_err(err)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(args)).map_err(err)?;
        while let Some(r) = rows.next().map_err(err)? {
            visit(SessionCall {
                session: r.get(0).map_err(err)?,
                ts_ms: r.get(1).map_err(err)?,
                team: r.get(2).map_err(err)?,
                template: r.get(3).map_err(err)?,
                model: r.get(4).map_err(err)?,
                input: r.get(5).map_err(err)?,
                output: r.get(6).map_err(err)?,
                cost_nanos: r.get(7).map_err(err)?,
                requests: r.get(8).map_err(err)?,
                error: r.get(9).map_err(err)?,
                unpriced: r.get(10).map_err(err)?,
            });
        }
        Ok(())
    }

    /// The tag keys with requests between `since` and `until` (inclusive `YYYY-MM-DD`), sorted.
    pub fn tag_keys(&self, since: &str, until: &str) -> Result<Vec<String>> {
        let err = |e: rusqlite::Error| super::io_error(self.path(), e);
        let mut stmt = self
            .connection()
            .prepare("SELECT DISTINCT tag_key FROM rollup_tags WHERE day >= ?1 AND day <= ?2 ORDER BY 1")
            .map_err(err)?;
        let rows = stmt.query_map([since, until], |r| r.get::<_, String>(0)).map_err(err)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(err)
    }
}

/// One session's totals from `rollup_work` (no per-call order): enough to judge a run by its
/// calls and cost without reading `requests`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunTotal {
    pub session: String,
    /// The first day with a call.
    pub first_day: String,
    pub team: String,
    pub template: String,
    pub calls: i64,
    pub errors: i64,
    pub cost_nanos: i64,
}

impl Store {
    /// Every session's totals in the filter's period, from the work rollup.
    pub fn run_totals(&self, filter: &Filter) -> Result<Vec<RunTotal>> {
        let (mut wheres, args) = filter_sql(filter, &|c: &str| c.to_string());
        wheres.insert(0, "session_id != ''".to_string());
        let sql = format!(
            "SELECT session_id, MIN(day), MIN(team), MIN(template), SUM(requests),
                    SUM(CASE WHEN status = 'error' THEN requests ELSE 0 END), SUM(cost_nanos)
             FROM rollup_work WHERE {} GROUP BY session_id",
            wheres.join(" AND ")
        );
        let err = |e: rusqlite::Error| super::io_error(self.path(), e);
        let mut stmt = self.connection().prepare(&sql).map_err(err)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args), |r| {
                Ok(RunTotal {
                    session: r.get(0)?,
                    first_day: r.get(1)?,
                    team: r.get(2)?,
                    template: r.get(3)?,
                    calls: r.get(4)?,
                    errors: r.get(5)?,
                    cost_nanos: r.get(6)?,
                })
            })
            .map_err(err)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(err)
    }

    /// The longest run of consecutive failed calls of each of `sessions` (by the
    /// `request_rows_session` index, one session at a time).
    pub fn error_streaks(&self, sessions: &[&str]) -> Result<Vec<i64>> {
        let err = |e: rusqlite::Error| super::io_error(self.path(), e);
        let mut stmt = self
            .connection()
            .prepare_cached(
                "SELECT COALESCE(status, '') = 'error' FROM requests
                 WHERE session_ref = (SELECT id FROM names WHERE name = ?1) ORDER BY ts_ms, id",
            )
            .map_err(err)?;
        let mut out = Vec::with_capacity(sessions.len());
        for s in sessions {
            let (mut streak, mut best) = (0i64, 0i64);
            let mut rows = stmt.query([s]).map_err(err)?;
            while let Some(r) = rows.next().map_err(err)? {
                let failed: bool = r.get(0).map_err(err)?;
                streak = if failed { streak + 1 } else { 0 };
                best = best.max(streak);
            }
            out.push(best);
        }
        Ok(out)
    }
}
