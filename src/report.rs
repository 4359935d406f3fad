//! `cost report`: spend grouped by any dimensions over a period, from the rollups.

use crate::error::Result;
use crate::money::Usd;
use crate::period::Period;
use crate::store::Store;
use crate::store::query::{Dim, Filter, GroupKey, Sums};
use serde::Serialize;

/// A grouped row's dimension values, by name, in `--by` order (JSON writes them in that
/// order too); `None` for records without one.
pub type DimValues = indexmap::IndexMap<String, Option<String>>;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub currency: &'static str,
    pub since: String,
    pub until: String,
    pub group_by: Vec<Dim>,
    pub rows: Vec<ReportRow>,
    pub totals: ReportRow,
    /// Only coding agents' logs are stored (Claude Code, Codex, …): subscription users are not
    /// billed per token.
    pub api_equivalent_only: bool,
    #[serde(skip)]
    pub compare_reported: bool,
    /// The store had no data at all (as opposed to none in the period).
    #[serde(skip)]
    pub empty_store: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportRow {
    /// Dimension values in `--by` order; `None` (JSON null) for records without one, shown
    /// as `(unassigned)` / `(none)` in tables.
    #[serde(flatten)]
    pub dims: DimValues,
    pub requests: i64,
    pub uncached_input_tokens: i64,
    pub cache_read_tokens: i64,
    pub cache_write_5m_tokens: i64,
    pub cache_write_1h_tokens: i64,
    pub output_tokens: i64,
    pub reasoning_tokens: i64,
    /// What the priced requests cost; `None` (JSON null) when every request is unpriced: an
    /// unknown cost is never shown as $0.
    pub cost_usd: Option<Usd>,
    /// Cache reads ÷ all input tokens.
    pub cache_hit_rate: Option<f64>,
    /// Share of single calls that read from the cache (aggregate rows are not counted).
    pub request_cache_hit_rate: Option<f64>,
    pub unpriced_requests: i64,
    /// The cost the logs themselves stated, over the priced records that state one.
    pub reported_cost_usd: Option<Usd>,
    /// Our cost of those same records, to compare like with like.
    pub reported_records_cost_usd: Option<Usd>,
    #[serde(skip)]
    pub sums: Sums,
}

/// The cost of some usage, or `None` when none of its requests could be priced.
pub fn priced_cost(s: &Sums) -> Option<Usd> {
    let all_unpriced = s.unpriced_requests > 0 && s.unpriced_requests >= s.requests && s.cost_nanos == 0;
    (!all_unpriced).then(|| Usd::from_nanos(s.cost_nanos))
}

impl ReportRow {
    /// The priced part of the cost ($0 when nothing is priced), for sums and scales; show
    /// [`ReportRow::cost_usd`] instead.
    pub fn priced_usd(&self) -> Usd {
        self.cost_usd.unwrap_or(Usd::ZERO)
    }

    /// A dimension's value as shown in tables.
    pub fn label(&self, dim: Dim) -> String {
        match self.dims.get(dim.name()) {
            Some(Some(v)) => v.clone(),
            _ => dim.empty_label().to_string(),
        }
    }

    pub fn new(dims: DimValues, s: Sums) -> ReportRow {
        let input = s.total_input();
        ReportRow {
            dims,
            requests: s.requests,
            uncached_input_tokens: s.tokens.uncached_input,
            cache_read_tokens: s.tokens.cache_read,
            cache_write_5m_tokens: s.tokens.cache_write_5m,
            cache_write_1h_tokens: s.tokens.cache_write_1h,
            output_tokens: s.tokens.output,
            reasoning_tokens: s.tokens.reasoning,
            cost_usd: priced_cost(&s),
            cache_hit_rate: (input > 0).then(|| s.tokens.cache_read as f64 / input as f64),
            request_cache_hit_rate: (s.calls > 0).then(|| s.cache_hit_calls as f64 / s.calls as f64),
            unpriced_requests: s.unpriced_requests,
            reported_cost_usd: (s.reported_records > 0).then(|| Usd::from_nanos(s.reported_cost_nanos)),
            reported_records_cost_usd: (s.reported_records > 0).then(|| Usd::from_nanos(s.reported_ours_nanos)),
            sums: s,
        }
    }
}

/// What to report.
#[derive(Debug, Clone)]
pub struct Query {
    pub group_by: Vec<Dim>,
    pub period: Period,
    pub teams: Vec<String>,
    pub models: Vec<String>,
    pub templates: Vec<String>,
    pub compare_reported: bool,
}

pub fn build(store: Option<&Store>, q: &Query) -> Result<Report> {
    let filter = Filter {
        since: Some(q.period.since.to_string()),
        until: Some(q.period.until.to_string()),
        teams: q.teams.clone(),
        models: q.models.clone(),
        templates: q.templates.clone(),
    };
    let (sums, empty_store, sources) = match store {
        Some(s) => (s.sums(&q.group_by, &filter)?, s.day_range()?.is_none(), s.sources()?),
        None => (Vec::new(), true, Vec::new()),
    };
    Ok(from_sums(q, sums, empty_store, &sources))
}

/// A report from sums already read grouped by `q.group_by`: rows ordered by time, then cost,
/// then requests, then name, and a totals row.
pub fn from_sums(q: &Query, sums: Vec<(GroupKey, Sums)>, empty_store: bool, sources: &[(String, i64)]) -> Report {
    let mut total = Sums::default();
    let mut rows: Vec<ReportRow> = sums
        .into_iter()
        .filter(|(_, s)| s.records != 0)
        .map(|(key, s)| {
            total.add(&s);
            let dims = key
                .into_pairs()
                .map(|(d, v)| (d.name().to_string(), (!v.is_empty()).then_some(v)))
                .collect();
            ReportRow::new(dims, s)
        })
        .collect();
    let time_dims: Vec<&'static str> = q.group_by.iter().filter(|d| d.is_time()).map(|d| d.name()).collect();
    rows.sort_by(|a, b| {
        let ta: Vec<&Option<String>> = time_dims.iter().filter_map(|d| a.dims.get(*d)).collect();
        let tb: Vec<&Option<String>> = time_dims.iter().filter_map(|d| b.dims.get(*d)).collect();
        ta.cmp(&tb)
            .then(b.sums.cost_nanos.cmp(&a.sums.cost_nanos))
            .then(b.sums.requests.cmp(&a.sums.requests))
            .then_with(|| {
                let ka: Vec<&Option<String>> = q.group_by.iter().filter_map(|d| a.dims.get(d.name())).collect();
                let kb: Vec<&Option<String>> = q.group_by.iter().filter_map(|d| b.dims.get(d.name())).collect();
                ka.cmp(&kb)
            })
    });
    Report {
        schema: "cost.report/v1",
        currency: "USD",
        since: q.period.since.to_string(),
        until: q.period.until.to_string(),
        group_by: q.group_by.clone(),
        rows,
        totals: ReportRow::new(DimValues::new(), total),
        api_equivalent_only: !sources.is_empty() && sources.iter().all(|(s, _)| crate::import::agents::is_agent(s)),
        compare_reported: q.compare_reported,
        empty_store,
    }
}
