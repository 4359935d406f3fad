//! What-if: stored usage repriced under another model, tier or cache-hit rate. Pure: the
//! caller passes each group's token sums and the prices to use.

use crate::error::Result;
use crate::money::{Micro, Usd};
use crate::period::Period;
use crate::pricing::{self, ModelPrice, PriceTable, Tier, Usage};
use crate::report::DimValues;
use crate::store::Store;
use crate::store::query::{Dim, Filter, Sums};
use crate::tokens::Buckets;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct Scenario {
    pub from: Option<String>,
    pub model: Option<String>,
    pub tier: Option<Tier>,
    pub cache_hit_rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WhatIfRow {
    /// Dimension values in `--by` order.
    #[serde(flatten)]
    pub dims: DimValues,
    pub requests: i64,
    pub current_usd: Usd,
    pub scenario_usd: Usd,
    pub saving_usd: Usd,
    /// Requests whose input would not fit the target model's context window.
    pub context_overflow_requests: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct WhatIf {
    pub schema: &'static str,
    pub since: String,
    pub until: String,
    pub scenario: Scenario,
    pub group_by: Vec<crate::store::query::Dim>,
    pub rows: Vec<WhatIfRow>,
    pub totals: WhatIfRow,
    /// Requests left out: their current cost is unknown (unpriced) or the scenario cannot be
    /// priced (the target has no price on the tier).
    pub unpriced_requests: i64,
    pub context_window: Option<u64>,
}

/// The token buckets of `s` with `rate` of all input read from the cache (writes kept, unless
/// there is not room for them; output as it was).
pub fn with_hit_rate(s: &Sums, rate: f64) -> Buckets<i64> {
    let t = s.tokens;
    let total = t.total_input();
    let read = (total as f64 * rate).round() as i64;
    let writes = t.cache_write_5m + t.cache_write_1h;
    let room = total - read;
    let (uncached_input, cache_write_5m, cache_write_1h) = if room >= writes {
        (room - writes, t.cache_write_5m, t.cache_write_1h)
    } else {
        let w5 = if writes == 0 {
            0
        } else {
            (t.cache_write_5m as i128 * room as i128 / writes as i128) as i64
        };
        (0, w5, room - w5)
    };
    Buckets {
        uncached_input,
        cache_read: read,
        cache_write_5m,
        cache_write_1h,
        ..t
    }
}

/// The cost of a group's tokens on `price` and `tier`. Long context is decided on the group's
/// mean input per request (stored rollups do not keep each request's size).
pub fn reprice(s: &Sums, price: &ModelPrice, tier: Tier, hit_rate: Option<f64>) -> Option<Usd> {
    let tokens = match hit_rate {
        Some(rate) => with_hit_rate(s, rate),
        None => s.tokens,
    };
    let per_request = if s.requests > 0 {
        tokens.total_input() / s.requests
    } else {
        0
    };
    let rates = price.rates(tier, Micro::from_int(per_request as i128)).ok()?;
    let usage: Usage = tokens.map(|v| Micro::from_int(v as i128));
    Some(pricing::cost(&rates, &usage))
}

/// What [`compute`] reprices, and on what.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    pub period: Period,
    /// The dimensions of a row (no repeats).
    pub by: Vec<Dim>,
    /// Only these teams / templates (globs allowed); empty: all.
    pub teams: Vec<String>,
    pub templates: Vec<String>,
    /// Only usage logged on this model (the name, its dated snapshots, a glob, or a name with
    /// the same price) is repriced; `None`: all usage.
    pub from: Option<String>,
    /// The model, tier and cache-hit rate to move to (at least one of them).
    pub model: Option<String>,
    pub tier: Option<Tier>,
    pub cache_hit_rate: Option<Micro>,
}

/// The stored usage of the period repriced under the scenario, per group, with the requests
/// that would not fit the target model's context window; warnings come back with it.
pub fn compute(store: Option<&Store>, prices: &PriceTable, params: &Params) -> Result<(WhatIf, Vec<String>)> {
    let p = params.period;
    let target = match &params.model {
        Some(m) => Some(prices.lookup(m, Some(p.until)).map_err(|e| e.in_context("--model"))?),
        None => None,
    };
    let tier = params.tier;
    let hit_rate = params.cache_hit_rate.map(|r| r.to_f64());
    let from_key = params.from.as_deref().and_then(|f| prices.resolve(f));
    let matches = |logged: &str| -> bool {
        match &params.from {
            None => true,
            Some(f) => crate::pricing::same_model(prices, f, from_key.as_deref(), logged),
        }
    };
    let by = params.by.clone();
    let mut dims = by.clone();
    for extra in [Dim::Model, Dim::Tier] {
        if !dims.contains(&extra) {
            dims.push(extra);
        }
    }
    let filter = Filter {
        since: Some(p.since.to_string()),
        until: Some(p.until.to_string()),
        teams: params.teams.clone(),
        templates: params.templates.clone(),
        ..Filter::default()
    };
    let rows = match store {
        Some(s) => s.sums(&dims, &filter)?,
        None => Vec::new(),
    };
    let mut groups: BTreeMap<Vec<String>, (i64, Usd, Usd)> = BTreeMap::new();
    let mut unpriced = 0i64;
    let mut moved_models: Vec<String> = Vec::new();
    for (k, s) in &rows {
        if s.unpriced_requests > 0 {
            unpriced += s.unpriced_requests;
            continue;
        }
        let current = Usd::from_nanos(s.cost_nanos);
        let model = k.value(Dim::Model);
        let scenario = if matches(model) {
            if !moved_models.iter().any(|m| m == model) {
                moved_models.push(model.to_string());
            }
            let own = prices
                .resolve(model)
                .and_then(|key| prices.price_at(&key, Some(p.until)));
            let price = target.or(own);
            let row_tier =
                tier.unwrap_or_else(|| k.get(Dim::Tier).and_then(|t| t.parse().ok()).unwrap_or(Tier::Standard));
            match price.and_then(|pr| reprice(s, pr, row_tier, hit_rate)) {
                Some(c) => c,
                None => {
                    unpriced += s.requests.max(1);
                    continue;
                }
            }
        } else {
            current
        };
        let e = groups.entry(k.values_of(&by)).or_insert((0, Usd::ZERO, Usd::ZERO));
        e.0 += s.requests;
        e.1 += current;
        e.2 += scenario;
    }
    // Requests that would not fit the target's context window (only when the model changes).
    let mut warnings = Vec::new();
    if params.from.is_some() && moved_models.is_empty() {
        warnings.push(format!(
            "warning: no usage in the period is on --from {}: nothing was repriced",
            params.from.as_deref().unwrap_or("")
        ));
    }
    // Calls already on the target model cannot overflow it.
    let target_key = target.map(|t| t.key.clone());
    moved_models.retain(|m| target_key.is_none() || prices.resolve(m) != target_key);
    let window = target.and_then(|t| t.max_input_tokens);
    let overflow: BTreeMap<Vec<String>, i64> = match (store, window) {
        // The per-cell maximum says whether any call could overflow; only then count them.
        (Some(s), Some(w)) if !moved_models.is_empty() && s.max_input(&filter, &moved_models)? > w as i64 => {
            s.requests_over(&by, &filter, &moved_models, w)?
        }
        _ => BTreeMap::new(),
    };
    let mut out: Vec<WhatIfRow> = groups
        .into_iter()
        .map(|(k, (requests, current, scenario))| WhatIfRow {
            context_overflow_requests: overflow.get(&k).copied().unwrap_or(0),
            dims: by
                .iter()
                .zip(k)
                .map(|(d, v)| (d.name().to_string(), (!v.is_empty()).then_some(v)))
                .collect(),
            requests,
            current_usd: current,
            scenario_usd: scenario,
            saving_usd: current - scenario,
        })
        .collect();
    out.sort_by(|a, b| b.saving_usd.cmp(&a.saving_usd).then(b.current_usd.cmp(&a.current_usd)));
    let totals = WhatIfRow {
        dims: DimValues::new(),
        requests: out.iter().map(|r| r.requests).sum(),
        current_usd: out.iter().fold(Usd::ZERO, |a, r| a + r.current_usd),
        scenario_usd: out.iter().fold(Usd::ZERO, |a, r| a + r.scenario_usd),
        saving_usd: out.iter().fold(Usd::ZERO, |a, r| a + r.saving_usd),
        context_overflow_requests: out.iter().map(|r| r.context_overflow_requests).sum(),
    };
    let what = WhatIf {
        schema: "cost.whatif/v1",
        since: p.since.to_string(),
        until: p.until.to_string(),
        scenario: Scenario {
            from: params.from.clone(),
            model: params.model.clone(),
            tier,
            cache_hit_rate: hit_rate,
        },
        group_by: by,
        rows: out,
        totals,
        unpriced_requests: unpriced,
        context_window: window,
    };
    Ok((what, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hit_rate_moves_input_into_reads() {
        let s = Sums {
            tokens: Buckets {
                uncached_input: 9_000,
                cache_read: 0,
                cache_write_5m: 1_000,
                output: 700,
                reasoning: 70,
                ..Buckets::default()
            },
            ..Sums::default()
        };
        let input = |b: Buckets<i64>| [b.uncached_input, b.cache_read, b.cache_write_5m, b.cache_write_1h];
        let half = with_hit_rate(&s, 0.5);
        assert_eq!(input(half), [4_000, 5_000, 1_000, 0]);
        // Output is not input: the hit rate leaves it (and its reasoning part) alone.
        assert_eq!((half.output, half.reasoning), (700, 70));
        // 95% read leaves room for 500 of the 1,000 written tokens.
        assert_eq!(input(with_hit_rate(&s, 0.95)), [0, 9_500, 500, 0]);
    }
}
