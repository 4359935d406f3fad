//! What-if: stored usage repriced under another model, tier or cache-hit rate. Pure: the
//! caller passes each group's token sums and the prices to use.

use crate::money::{Micro, Usd};
use crate::pricing::{self, ModelPrice, Tier, Usage};
use crate::store::query::Sums;
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
    #[serde(flatten)]
    pub dims: BTreeMap<String, Option<String>>,
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
/// there is not room for them).
pub fn with_hit_rate(s: &Sums, rate: f64) -> [i64; 4] {
    let total = s.total_input();
    let read = (total as f64 * rate).round() as i64;
    let writes = s.cache_write_5m + s.cache_write_1h;
    let room = total - read;
    if room >= writes {
        [room - writes, read, s.cache_write_5m, s.cache_write_1h]
    } else {
        let w5 = if writes == 0 {
            0
        } else {
            (s.cache_write_5m as i128 * room as i128 / writes as i128) as i64
        };
        [0, read, w5, room - w5]
    }
}

/// The cost of a group's tokens on `price` and `tier`. Long context is decided on the group's
/// mean input per request (stored rollups do not keep each request's size).
pub fn reprice(s: &Sums, price: &ModelPrice, tier: Tier, hit_rate: Option<f64>) -> Option<Usd> {
    let [u, r, w5, w1] = match hit_rate {
        Some(rate) => with_hit_rate(s, rate),
        None => [s.uncached_input, s.cache_read, s.cache_write_5m, s.cache_write_1h],
    };
    let per_request = if s.requests > 0 {
        (u + r + w5 + w1) / s.requests
    } else {
        0
    };
    let rates = price.rates(tier, Micro::from_int(per_request as i128)).ok()?;
    let m = |v: i64| Micro::from_int(v as i128);
    Some(pricing::cost(
        &rates,
        &Usage {
            uncached_input: m(u),
            cache_read: m(r),
            cache_write_5m: m(w5),
            cache_write_1h: m(w1),
            output: m(s.output),
            reasoning: m(s.reasoning),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hit_rate_moves_input_into_reads() {
        let s = Sums {
            uncached_input: 9_000,
            cache_read: 0,
            cache_write_5m: 1_000,
            ..Sums::default()
        };
        assert_eq!(with_hit_rate(&s, 0.5), [4_000, 5_000, 1_000, 0]);
        // 95% read leaves room for 500 of the 1,000 written tokens.
        assert_eq!(with_hit_rate(&s, 0.95), [0, 9_500, 500, 0]);
    }
}
