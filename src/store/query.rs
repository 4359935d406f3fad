//! Reads from the daily rollups: sums by any combination of dimensions over a date range.

use super::Store;
use crate::error::Result;
use crate::tokens::Buckets;
use rusqlite::types::Value as SqlValue;
use std::collections::BTreeMap;
use std::sync::Arc;

pub use super::dim::{Dim, GroupKey};

/// Which rollup rows count.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Inclusive `YYYY-MM-DD` bounds.
    pub since: Option<String>,
    pub until: Option<String>,
    pub teams: Vec<String>,
    /// Exact names or globs (`gpt-4o*`).
    pub models: Vec<String>,
    pub templates: Vec<String>,
}

/// Sums over rollup rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sums {
    pub records: i64,
    pub requests: i64,
    pub calls: i64,
    pub cache_hit_calls: i64,
    pub tokens: Buckets<i64>,
    pub cost_nanos: i64,
    pub reported_cost_nanos: i64,
    pub reported_records: i64,
    /// Our cost of the records that state a cost of their own.
    pub reported_ours_nanos: i64,
    pub unpriced_requests: i64,
    /// A column asked for by name (`sums_of`).
    pub extra: i64,
}

impl Sums {
    pub fn add(&mut self, o: &Sums) {
        self.combine(o, i64::saturating_add);
    }

    /// Takes `o` away (the rest of a cell once its tagged part is known).
    pub fn sub(&mut self, o: &Sums) {
        self.combine(o, i64::saturating_sub);
    }

    /// Each counter and token bucket set to `f(self's, o's)`.
    fn combine(&mut self, o: &Sums, f: fn(i64, i64) -> i64) {
        self.records = f(self.records, o.records);
        self.requests = f(self.requests, o.requests);
        self.calls = f(self.calls, o.calls);
        self.cache_hit_calls = f(self.cache_hit_calls, o.cache_hit_calls);
        self.tokens = self.tokens.zip_with(o.tokens, f);
        self.cost_nanos = f(self.cost_nanos, o.cost_nanos);
        self.reported_cost_nanos = f(self.reported_cost_nanos, o.reported_cost_nanos);
        self.reported_records = f(self.reported_records, o.reported_records);
        self.reported_ours_nanos = f(self.reported_ours_nanos, o.reported_ours_nanos);
        self.unpriced_requests = f(self.unpriced_requests, o.unpriced_requests);
        self.extra = f(self.extra, o.extra);
    }

    pub fn total_input(&self) -> i64 {
        self.tokens.total_input()
    }
}

const SUMS: &str =
    "SUM(records), SUM(requests), SUM(calls), SUM(cache_hit_calls), SUM(uncached_input), SUM(cache_read),
    SUM(cache_write_5m), SUM(cache_write_1h), SUM(output), SUM(reasoning), SUM(cost_nanos), SUM(reported_cost_nanos),
    SUM(reported_records), SUM(reported_ours_nanos), SUM(unpriced_requests)";

/// Where sums are read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    Daily,
    /// `rollup_daily` with user, status and session.
    Work,
    /// `rollup_tags`, for one tag dimension.
    Tags(Dim),
    /// The requests themselves (several tag keys, or tags with user/status/session).
    Requests,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::Daily => "rollup_daily",
            Table::Work => "rollup_work",
            Table::Tags(_) => "rollup_tags",
            Table::Requests => "requests",
        }
    }
}

/// A filter's column on a rollup table, or (`on_requests`) on `requests`, where a missing
/// team or template is NULL rather than ''.
pub(super) fn requests_column(c: &str, on_requests: bool) -> String {
    if on_requests && !matches!(c, "day" | "model") {
        format!("COALESCE({c}, '')")
    } else {
        c.to_string()
    }
}

/// The JSON path of a tag key, for `json_extract`.
fn json_path(key: &str) -> String {
    format!("$.\"{}\"", key.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A glob for SQLite's GLOB: `**` and `*` both match any run of characters.
fn sql_glob(pattern: &str) -> String {
    pattern.replace("**", "*")
}

fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// The `WHERE` terms (joined by AND) and their arguments that keep the rows a filter wants.
/// `column` names a dimension's column in the table queried (`COALESCE(team, '')` in
/// `requests`, whose text columns may be NULL).
pub(super) fn filter_sql(filter: &Filter, column: &dyn Fn(&str) -> String) -> (Vec<String>, Vec<SqlValue>) {
    let mut wheres: Vec<String> = Vec::new();
    let mut args: Vec<SqlValue> = Vec::new();
    if let Some(s) = &filter.since {
        wheres.push(format!("{} >= ?", column("day")));
        args.push(SqlValue::Text(s.clone()));
    }
    if let Some(u) = &filter.until {
        wheres.push(format!("{} <= ?", column("day")));
        args.push(SqlValue::Text(u.clone()));
    }
    let mut any_of = |column: &str, values: &[String], map: &dyn Fn(&str) -> String| {
        if values.is_empty() {
            return;
        }
        let parts: Vec<String> = values
            .iter()
            .map(|v| {
                let v = map(v);
                if is_glob(&v) {
                    args.push(SqlValue::Text(sql_glob(&v)));
                    format!("{column} GLOB ?")
                } else {
                    args.push(SqlValue::Text(v));
                    format!("{column} = ?")
                }
            })
            .collect();
        wheres.push(format!("({})", parts.join(" OR ")));
    };
    let unassigned = |t: &str| {
        if t == "(unassigned)" {
            String::new()
        } else {
            t.to_string()
        }
    };
    any_of(&column("team"), &filter.teams, &unassigned);
    let none = |t: &str| if t == "(none)" { String::new() } else { t.to_string() };
    any_of(&column("model"), &filter.models, &|m: &str| m.to_string());
    any_of(&column("template"), &filter.templates, &none);
    (wheres, args)
}

/// ISO week (`2026-W41`) of a `YYYY-MM-DD` day.
pub fn week_of(day: &str) -> String {
    match day.parse::<jiff::civil::Date>() {
        Ok(d) => {
            let w = d.iso_week_date();
            format!("{:04}-W{:02}", w.year(), w.week())
        }
        Err(_) => day.to_string(),
    }
}

impl Store {
    /// Sums of the rollups grouped by `dims`, one row per group, rows in no particular order.
    pub fn sums(&self, dims: &[Dim], filter: &Filter) -> Result<Vec<(GroupKey, Sums)>> {
        let shared: Arc<[Dim]> = dims.into();
        Ok(self
            .sums_with(dims, filter, None)?
            .into_iter()
            .map(|(values, s)| (GroupKey::new(shared.clone(), values), s))
            .collect())
    }

    /// One rollup column summed by `dims` (an internal column name).
    fn sums_of(&self, dims: &[Dim], filter: &Filter, column: &str) -> Result<Vec<(Vec<String>, i64)>> {
        Ok(self
            .sums_with(dims, filter, Some(column))?
            .into_iter()
            .map(|(k, s)| (k, s.extra))
            .collect())
    }

    fn sums_with(&self, dims: &[Dim], filter: &Filter, extra: Option<&str>) -> Result<Vec<(Vec<String>, Sums)>> {
        let tags = dims.iter().filter(|d| d.tag_key().is_some()).count();
        let work = dims.iter().any(|d| d.is_work());
        let source = match (tags, work, extra) {
            _ if dims.contains(&Dim::TagSet) => Table::Requests,
            (0, false, _) => Table::Daily,
            (0, true, None) => Table::Work,
            (1, false, None) => return self.sums_by_tag(dims, filter),
            _ => Table::Requests,
        };
        self.sums_from(source, dims, filter, extra)
    }

    /// Sums grouped by one `tag:KEY` (and other rollup dimensions): the tagged requests from
    /// `rollup_tags`, the rest — requests without the key — as the cell's total from
    /// `rollup_daily` less its tagged part, under an empty value. Each request counts once.
    fn sums_by_tag(&self, dims: &[Dim], filter: &Filter) -> Result<Vec<(Vec<String>, Sums)>> {
        let at = dims.iter().position(|d| d.tag_key().is_some()).unwrap_or(0);
        let others: Vec<Dim> = dims.iter().copied().filter(|d| d.tag_key().is_none()).collect();
        let tagged = self.sums_from(Table::Tags(dims[at]), dims, filter, None)?;
        let mut rest: BTreeMap<Vec<String>, Sums> = self
            .sums_from(Table::Daily, &others, filter, None)?
            .into_iter()
            .collect();
        let mut out = Vec::with_capacity(tagged.len() + rest.len());
        for (keys, sums) in tagged {
            let mut other_keys = keys.clone();
            other_keys.remove(at);
            if let Some(r) = rest.get_mut(&other_keys) {
                r.sub(&sums);
            }
            out.push((keys, sums));
        }
        for (mut keys, sums) in rest {
            if sums.records != 0 {
                keys.insert(at, String::new());
                out.push((keys, sums));
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        // A tagged row and the untagged rest can share a key (a tag with an empty value).
        let mut merged: Vec<(Vec<String>, Sums)> = Vec::with_capacity(out.len());
        for (k, s) in out {
            match merged.last_mut() {
                Some((lk, ls)) if *lk == k => ls.add(&s),
                _ => merged.push((k, s)),
            }
        }
        Ok(merged)
    }

    fn sums_from(
        &self,
        source: Table,
        dims: &[Dim],
        filter: &Filter,
        extra: Option<&str>,
    ) -> Result<Vec<(Vec<String>, Sums)>> {
        let on_requests = source == Table::Requests;
        // On `requests` a missing text is NULL; the rollups hold ''.
        let col = |c: &str| -> String {
            if on_requests && !matches!(c, "day" | "model" | "provider" | "tier") {
                format!("COALESCE({c}, '')")
            } else {
                c.to_string()
            }
        };
        let mut select: Vec<String> = Vec::new();
        let mut args: Vec<SqlValue> = Vec::new();
        let needs_day = dims.iter().any(|d| d.is_time());
        for d in dims {
            match (d.tag_key(), d.column()) {
                (Some(key), _) if on_requests => {
                    select.push("COALESCE(CAST(json_extract(tags, ?) AS TEXT), '')".to_string());
                    args.push(SqlValue::Text(json_path(key)));
                }
                (_, Some(c)) => select.push(col(c)),
                (_, None) => {}
            }
        }
        if needs_day {
            select.push("day".to_string());
        }
        let mut wheres: Vec<String> = Vec::new();
        if let Table::Tags(d) = source {
            wheres.push("tag_key = ?".into());
            args.push(SqlValue::Text(d.tag_key().unwrap_or_default().to_string()));
        }
        let (w, a) = filter_sql(filter, &|c: &str| requests_column(c, on_requests));
        wheres.extend(w);
        args.extend(a);
        let extra_sql = extra.map(|c| format!(", SUM({c})")).unwrap_or_default();
        let sums_sql = if on_requests {
            super::schema::SUMS_SELECT.to_string()
        } else {
            SUMS.to_string()
        };
        let sql = format!(
            "SELECT {cols}{sums_sql}{extra_sql} FROM {table} {where_} {group}",
            cols = select.iter().map(|c| format!("{c}, ")).collect::<String>(),
            table = source.name(),
            where_ = if wheres.is_empty() {
                String::new()
            } else {
                format!("WHERE {}", wheres.join(" AND "))
            },
            group = if select.is_empty() {
                String::new()
            } else {
                format!(
                    "GROUP BY {}",
                    (1..=select.len()).map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
                )
            },
        );
        let conn = self.connection();
        let err = |e: rusqlite::Error| super::io_error(self.path(), e);
        let mut stmt = conn.prepare(&sql).map_err(err)?;
        let n = select.len();
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args), |row| {
                let mut keys = Vec::with_capacity(n);
                for i in 0..n {
                    keys.push(row.get::<_, String>(i)?);
                }
                let g = |i: usize| -> rusqlite::Result<i64> { Ok(row.get::<_, Option<i64>>(n + i)?.unwrap_or(0)) };
                let sums = Sums {
                    records: g(0)?,
                    requests: g(1)?,
                    calls: g(2)?,
                    cache_hit_calls: g(3)?,
                    tokens: Buckets {
                        uncached_input: g(4)?,
                        cache_read: g(5)?,
                        cache_write_5m: g(6)?,
                        cache_write_1h: g(7)?,
                        output: g(8)?,
                        reasoning: g(9)?,
                    },
                    cost_nanos: g(10)?,
                    reported_cost_nanos: g(11)?,
                    reported_records: g(12)?,
                    reported_ours_nanos: g(13)?,
                    unpriced_requests: g(14)?,
                    extra: if extra.is_some() { g(15)? } else { 0 },
                };
                Ok((keys, sums))
            })
            .map_err(err)?;
        // Fold days into the asked-for time dimension, and order values as `dims` does.
        let mut out: BTreeMap<Vec<String>, Sums> = BTreeMap::new();
        for row in rows {
            let (keys, sums) = row.map_err(err)?;
            if sums.records == 0 && n == 0 {
                continue;
            }
            let (cols, day) = if needs_day {
                (&keys[..n - 1], keys[n - 1].as_str())
            } else {
                (&keys[..], "")
            };
            let mut ci = cols.iter();
            let by_col: Vec<String> = dims
                .iter()
                .map(|d| match d {
                    Dim::Day => day.to_string(),
                    Dim::Week => week_of(day),
                    Dim::Month => day.get(..7).unwrap_or(day).to_string(),
                    _ => ci.next().cloned().unwrap_or_default(),
                })
                .collect();
            out.entry(by_col).or_default().add(&sums);
        }
        Ok(out.into_iter().collect())
    }

    /// The largest single call (total input tokens) on `models` in the filter's days.
    pub fn max_input(&self, filter: &Filter, models: &[String]) -> Result<i64> {
        let mut args: Vec<SqlValue> = models.iter().map(|m| SqlValue::Text(m.clone())).collect();
        let mut sql = format!(
            "SELECT COALESCE(MAX(max_input), 0) FROM rollup_daily WHERE model IN ({})",
            vec!["?"; models.len().max(1)].join(", ")
        );
        if models.is_empty() {
            args.push(SqlValue::Text(String::new()));
        }
        if let Some(s) = &filter.since {
            sql.push_str(" AND day >= ?");
            args.push(SqlValue::Text(s.clone()));
        }
        if let Some(u) = &filter.until {
            sql.push_str(" AND day <= ?");
            args.push(SqlValue::Text(u.clone()));
        }
        self.connection()
            .query_row(&sql, rusqlite::params_from_iter(args), |r| r.get(0))
            .map_err(|e| super::io_error(self.path(), e))
    }

    /// Single calls on `models` whose total input exceeds `tokens`, counted by `dims`: from the
    /// rollups when `tokens` is one of the kept windows, else by a scan of the period's requests.
    pub fn requests_over(
        &self,
        dims: &[Dim],
        filter: &Filter,
        models: &[String],
        tokens: u64,
    ) -> Result<BTreeMap<Vec<String>, i64>> {
        if !super::schema::WINDOWS.contains(&tokens) {
            return self.scan_requests_over(dims, filter, models, tokens);
        }
        let model_filter = Filter {
            models: models.to_vec(),
            ..filter.clone()
        };
        let column = format!("over_{tokens}");
        let mut out = BTreeMap::new();
        for (k, n) in self.sums_of(dims, &model_filter, &column)? {
            if n > 0 {
                *out.entry(k).or_insert(0) += n;
            }
        }
        Ok(out)
    }

    /// Scans the period's requests for calls over `tokens` (windows the rollups do not keep).
    fn scan_requests_over(
        &self,
        dims: &[Dim],
        filter: &Filter,
        models: &[String],
        tokens: u64,
    ) -> Result<BTreeMap<Vec<String>, i64>> {
        let col = |d: Dim| -> &'static str {
            match d {
                Dim::Team => "COALESCE(team, '')",
                Dim::Template => "COALESCE(template, '')",
                Dim::Model => "model",
                Dim::Provider => "provider",
                Dim::Key => "COALESCE(api_key_id, '')",
                Dim::Project => "COALESCE(project, '')",
                Dim::Tier => "tier",
                Dim::Session => "COALESCE(session_id, '')",
                Dim::User => "COALESCE(user_id, '')",
                Dim::Status => "COALESCE(status, '')",
                // What-if counts are by rollup dimensions only.
                Dim::Tag(_) | Dim::TagSet => "''",
                Dim::Day | Dim::Week | Dim::Month => "day",
            }
        };
        let cols: Vec<&str> = dims.iter().map(|d| col(*d)).collect();
        let mut wheres = vec![
            "requests = 1".to_string(),
            "uncached_input + cache_read + cache_write_5m + cache_write_1h > ?".to_string(),
        ];
        let mut args: Vec<SqlValue> = vec![SqlValue::Integer(tokens as i64)];
        if let Some(s) = &filter.since {
            wheres.push("day >= ?".into());
            args.push(SqlValue::Text(s.clone()));
        }
        if let Some(u) = &filter.until {
            wheres.push("day <= ?".into());
            args.push(SqlValue::Text(u.clone()));
        }
        wheres.push(format!("model IN ({})", vec!["?"; models.len().max(1)].join(", ")));
        args.extend(models.iter().map(|m| SqlValue::Text(m.clone())));
        if !filter.teams.is_empty() {
            wheres.push(format!(
                "COALESCE(team, '') IN ({})",
                vec!["?"; filter.teams.len()].join(", ")
            ));
            args.extend(
                filter
                    .teams
                    .iter()
                    .map(|t| SqlValue::Text(if t == "(unassigned)" { String::new() } else { t.clone() })),
            );
        }
        if !filter.templates.is_empty() {
            let parts: Vec<String> = filter
                .templates
                .iter()
                .map(|_| "COALESCE(template, '') GLOB ?".to_string())
                .collect();
            wheres.push(format!("({})", parts.join(" OR ")));
            args.extend(filter.templates.iter().map(|t| SqlValue::Text(sql_glob(t))));
        }
        let sql = format!(
            "SELECT {}COUNT(*) FROM requests WHERE {} {}",
            cols.iter().map(|c| format!("{c}, ")).collect::<String>(),
            wheres.join(" AND "),
            if cols.is_empty() {
                String::new()
            } else {
                format!(
                    "GROUP BY {}",
                    (1..=cols.len()).map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
                )
            }
        );
        let err = |e: rusqlite::Error| super::io_error(self.path(), e);
        let mut stmt = self.connection().prepare(&sql).map_err(err)?;
        let n = cols.len();
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args), |row| {
                let mut keys = Vec::with_capacity(n);
                for i in 0..n {
                    keys.push(row.get::<_, String>(i)?);
                }
                Ok((keys, row.get::<_, i64>(n)?))
            })
            .map_err(err)?;
        let mut out: BTreeMap<Vec<String>, i64> = BTreeMap::new();
        for r in rows {
            let (keys, count) = r.map_err(err)?;
            let keys: Vec<String> = dims
                .iter()
                .zip(keys)
                .map(|(d, v)| match d {
                    Dim::Week => week_of(&v),
                    Dim::Month => v.get(..7).unwrap_or(&v).to_string(),
                    _ => v,
                })
                .collect();
            *out.entry(keys).or_insert(0) += count;
        }
        Ok(out)
    }

    /// Every distinct value of a rollup dimension ('' for records without one).
    pub fn distinct(&self, dim: Dim) -> Result<Vec<String>> {
        let Some(column) = dim.column() else {
            return Ok(Vec::new());
        };
        let (table, args): (&str, Vec<String>) = match dim.tag_key() {
            Some(key) => ("rollup_tags WHERE tag_key = ?1", vec![key.to_string()]),
            None if dim.is_work() => ("rollup_work", Vec::new()),
            None => ("rollup_daily", Vec::new()),
        };
        let err = |e: rusqlite::Error| super::io_error(self.path(), e);
        let mut stmt = self
            .connection()
            .prepare(&format!("SELECT DISTINCT {column} FROM {table} ORDER BY 1"))
            .map_err(err)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args), |r| r.get::<_, String>(0))
            .map_err(err)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(err)
    }

    /// Every team name in the store ('' for unassigned records).
    pub fn teams(&self) -> Result<Vec<String>> {
        let err = |e: rusqlite::Error| super::io_error(self.path(), e);
        let mut stmt = self
            .connection()
            .prepare("SELECT DISTINCT team FROM rollup_daily ORDER BY team")
            .map_err(err)?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0)).map_err(err)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(err)
    }

    /// The first and last day with data, if any.
    pub fn day_range(&self) -> Result<Option<(String, String)>> {
        self.connection()
            .query_row("SELECT MIN(day), MAX(day) FROM rollup_daily", [], |r| {
                Ok(match (r.get::<_, Option<String>>(0)?, r.get::<_, Option<String>>(1)?) {
                    (Some(a), Some(b)) => Some((a, b)),
                    _ => None,
                })
            })
            .map_err(|e| super::io_error(self.path(), e))
    }

    /// What the store holds: its first and last day and requests, and how many records fall
    /// between `since` and `until` (inclusive). `None` for an empty store.
    pub fn holdings(&self, since: &str, until: &str) -> Result<Option<Holdings>> {
        self.connection()
            .query_row(
                "SELECT MIN(day), MAX(day), COALESCE(SUM(requests), 0),
                        COALESCE(SUM(CASE WHEN day BETWEEN ?1 AND ?2 THEN records ELSE 0 END), 0)
                 FROM rollup_daily",
                [since, until],
                |r| {
                    Ok(match (r.get::<_, Option<String>>(0)?, r.get::<_, Option<String>>(1)?) {
                        (Some(first), Some(last)) => Some(Holdings {
                            first,
                            last,
                            requests: r.get(2)?,
                            in_window: r.get(3)?,
                        }),
                        _ => None,
                    })
                },
            )
            .map_err(|e| super::io_error(self.path(), e))
    }

    /// Which sources the stored requests came from, with their request counts. A `cost export`
    /// file whose records all came from one source counts as that source (its history row says
    /// `cost-export:SOURCE`).
    pub fn sources(&self) -> Result<Vec<(String, i64)>> {
        let err = |e: rusqlite::Error| super::io_error(self.path(), e);
        let mut stmt = self
            .connection()
            .prepare(
                "SELECT CASE WHEN source LIKE 'cost-export:%' THEN substr(source, 13) ELSE source END,
                        SUM(imported) FROM files GROUP BY 1 ORDER BY 1",
            )
            .map_err(err)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?.unwrap_or(0)))
            })
            .map_err(err)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(err)
    }
}

/// What a store holds, for saying where the usage is when a period has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holdings {
    pub first: String,
    pub last: String,
    pub requests: i64,
    /// Records in the period asked about.
    pub in_window: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_add_and_take_away_every_counter_and_bucket() {
        let one = Sums {
            records: 1,
            requests: 2,
            calls: 3,
            cache_hit_calls: 4,
            tokens: Buckets {
                uncached_input: 5,
                cache_read: 6,
                cache_write_5m: 7,
                cache_write_1h: 8,
                output: 9,
                reasoning: 10,
            },
            cost_nanos: 11,
            reported_cost_nanos: 12,
            reported_records: 13,
            reported_ours_nanos: 14,
            unpriced_requests: 15,
            extra: 16,
        };
        let mut s = one;
        s.add(&one);
        assert_eq!(s.tokens, one.tokens.map(|v| v * 2));
        assert_eq!(
            [s.records, s.requests, s.calls, s.cache_hit_calls, s.cost_nanos, s.extra],
            [2, 4, 6, 8, 22, 32]
        );
        assert_eq!(
            [
                s.reported_cost_nanos,
                s.reported_records,
                s.reported_ours_nanos,
                s.unpriced_requests
            ],
            [24, 26, 28, 30]
        );
        // 10 + 12 + 14 + 16: the four input buckets, not output.
        assert_eq!(s.total_input(), 52);
        s.sub(&one);
        assert_eq!(s, one);
        s.sub(&one);
        assert_eq!(s, Sums::default());
        // Sums saturate rather than wrap.
        let mut big = Sums {
            cost_nanos: i64::MAX,
            tokens: Buckets {
                output: i64::MAX,
                ..Buckets::default()
            },
            ..Sums::default()
        };
        big.add(&one);
        assert_eq!(
            (big.cost_nanos, big.tokens.output, big.records),
            (i64::MAX, i64::MAX, 1)
        );
    }
}
