//! Rollup deltas of one import transaction, kept in memory by cell and upserted once per
//! cell: the daily cells, the same cells by user, status and session, and by each tag key and
//! value. A cell is keyed by the `names` ids of its dimensions (integers: hashing and comparing
//! them is a fraction of what the text cost), and its text is looked up by SQLite when the cell
//! is written.

use super::{NewRequest, schema};
use crate::tokens::Buckets;
use std::collections::HashMap;

#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Agg {
    pub(super) records: i64,
    pub(super) requests: i64,
    pub(super) calls: i64,
    pub(super) cache_hit_calls: i64,
    pub(super) tokens: Buckets<i64>,
    pub(super) cost_nanos: i64,
    pub(super) reported_nanos: i64,
    pub(super) reported_records: i64,
    pub(super) reported_ours: i64,
    pub(super) unpriced_requests: i64,
    /// The largest single call's total input (a maximum, not a sum).
    pub(super) max_input: i64,
    /// Single calls over each of `schema::WINDOWS`.
    pub(super) over: [i64; 6],
}

impl Agg {
    pub(super) fn of(r: &NewRequest, sign: i64) -> Agg {
        let t = &r.tokens;
        let call = r.requests == 1;
        Agg {
            records: sign,
            requests: sign * r.requests as i64,
            calls: sign * call as i64,
            cache_hit_calls: sign * (call && t.cache_read > 0) as i64,
            tokens: t.map(|v| sign * v as i64),
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
        self.tokens.add(&o.tokens);
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

/// The `names` ids of a stored row's text dimensions. `None` is SQL NULL in the row (a
/// rollup cell holds it as the empty name).
#[derive(Debug, Clone, Copy)]
pub(super) struct RowIds {
    pub day: i64,
    pub source: i64,
    pub provider: i64,
    pub model: i64,
    pub tier: i64,
    pub model_priced: Option<i64>,
    pub team: Option<i64>,
    pub template: Option<i64>,
    pub template_version: Option<i64>,
    pub api_key_id: Option<i64>,
    pub project: Option<i64>,
    pub user: Option<i64>,
    pub tags: Option<i64>,
    pub price_source: Option<i64>,
    pub flags: Option<i64>,
    pub session: Option<i64>,
    pub status: Option<i64>,
}

/// Rollup deltas of one table by cell.
pub(super) struct Cells<const N: usize> {
    cells: HashMap<[i64; N], Agg, foldhash::fast::FixedState>,
}

impl<const N: usize> Default for Cells<N> {
    fn default() -> Self {
        Cells {
            cells: HashMap::default(),
        }
    }
}

impl<const N: usize> Cells<N> {
    pub(super) fn len(&self) -> usize {
        self.cells.len()
    }

    fn add(&mut self, key: [i64; N], delta: &Agg) {
        self.cells.entry(key).or_default().add(delta);
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = (&[i64; N], &Agg)> {
        self.cells.iter()
    }
}

/// Work and tag rollup cells kept in memory before they are written out.
pub(super) const FLUSH_CELLS: usize = 8192;

#[derive(Default)]
pub(super) struct Rollups {
    pub daily: Cells<8>,
    pub work: Cells<11>,
    pub tags: Cells<10>,
}

impl Rollups {
    /// Adds `r` (`sign` 1) or takes it away (−1) under its cells: `ids` its dimensions, `empty`
    /// the id of the empty name, `tags` the ids of its tag keys and values.
    pub(super) fn add(&mut self, r: &NewRequest, ids: &RowIds, empty: i64, tags: &[(i64, i64)], sign: i64) {
        let delta = Agg::of(r, sign);
        let o = |v: Option<i64>| v.unwrap_or(empty);
        let base = [
            ids.day,
            o(ids.team),
            o(ids.template),
            ids.model,
            ids.provider,
            o(ids.api_key_id),
            o(ids.project),
            ids.tier,
        ];
        self.daily.add(base, &delta);
        let [a, b, c, d, e, f, g, h] = base;
        self.work.add(
            [a, b, c, d, e, f, g, h, o(ids.user), o(ids.status), o(ids.session)],
            &delta,
        );
        for (k, v) in tags {
            self.tags.add([a, b, c, d, e, f, g, h, *k, *v], &delta);
        }
    }
}

/// `INSERT … ON CONFLICT DO UPDATE` adding the sum columns of a rollup with `keys` key
/// columns, each given as a `names` id; `extra` more columns follow the sums (`rollup_daily`'s
/// maximum and context-window counts), with their own update clauses.
pub(super) fn upsert_sql(table: &str, keys: usize, extra: &[(&str, &str)]) -> String {
    let names = (1..=keys).map(|i| format!("(SELECT name FROM names WHERE id = ?{i})"));
    let sums = (keys + 1..=keys + schema::SUM_COLUMNS.len() + extra.len()).map(|i| format!("?{i}"));
    let values = names.chain(sums).collect::<Vec<_>>().join(", ");
    let set = schema::SUM_COLUMNS
        .iter()
        .map(|c| format!("{c} = {c} + excluded.{c}"))
        .chain(extra.iter().map(|(c, how)| format!("{c} = {how}")))
        .collect::<Vec<_>>()
        .join(", ");
    format!("INSERT INTO {table} VALUES ({values}) ON CONFLICT DO UPDATE SET {set}")
}

/// The sum columns of a cell, in [`schema::SUM_COLUMNS`] order.
pub(super) fn sum_values(a: &Agg) -> [i64; 15] {
    [
        a.records,
        a.requests,
        a.calls,
        a.cache_hit_calls,
        a.tokens.uncached_input,
        a.tokens.cache_read,
        a.tokens.cache_write_5m,
        a.tokens.cache_write_1h,
        a.tokens.output,
        a.tokens.reasoning,
        a.cost_nanos,
        a.reported_nanos,
        a.reported_records,
        a.reported_ours,
        a.unpriced_requests,
    ]
}
