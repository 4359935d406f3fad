//! Prompt-cache KPIs: token and request hit rates, what cache reads saved against the uncached
//! price, the premium paid for cache writes, and templates whose stable prefix is long enough
//! to cache but that rarely hit.

use crate::money::Usd;
use crate::pricing::Rates;
use crate::store::query::Sums;
use serde::Serialize;
use std::collections::BTreeMap;

/// The share of a cacheable prefix a well-cached template reads from the cache.
pub const TARGET_HIT_RATE: f64 = 0.8;
/// Below this token hit rate a template with a cacheable prefix is an opportunity.
pub const LOW_HIT_RATE: f64 = 0.5;

#[derive(Debug, Clone, Serialize)]
pub struct CacheRow {
    #[serde(flatten)]
    pub dims: BTreeMap<String, Option<String>>,
    pub requests: i64,
    pub input_tokens: i64,
    pub cache_read_tokens: i64,
    pub cache_write_tokens: i64,
    pub cache_hit_rate: Option<f64>,
    pub request_cache_hit_rate: Option<f64>,
    /// Money figures are `None` (JSON null) when none of the row's requests has a price: the
    /// savings are unknown, not zero.
    pub savings_usd: Option<Usd>,
    pub write_premium_usd: Option<Usd>,
    pub net_savings_usd: Option<Usd>,
    pub unpriced_requests: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Opportunity {
    pub template: String,
    pub model: String,
    pub cacheable_prefix_tokens: u64,
    pub cache_hit_rate: f64,
    pub requests_per_month: f64,
    pub estimated_monthly_saving_usd: Usd,
}

#[derive(Debug, Clone, Serialize)]
pub struct CacheReport {
    pub schema: &'static str,
    pub since: String,
    pub until: String,
    pub group_by: Vec<crate::store::query::Dim>,
    pub rows: Vec<CacheRow>,
    pub totals: CacheRow,
    pub opportunities: Vec<Opportunity>,
    /// Why there are no opportunities to show, when there are none.
    #[serde(skip)]
    pub opportunities_note: Option<String>,
}

/// Savings and write premium of some usage priced at `rates`: reads save (input − read) per
/// token; writes cost (write − input) per token above an uncached read of the same tokens.
pub fn money(s: &Sums, rates: &Rates) -> (Usd, Usd) {
    let savings = (rates.input - rates.cache_read).times(s.cache_read as i128);
    let premium = |tokens: i64, write: Usd| {
        let extra = write - rates.input;
        if extra > Usd::ZERO {
            extra.times(tokens as i128)
        } else {
            Usd::ZERO
        }
    };
    (
        savings,
        premium(s.cache_write_5m, rates.cache_write_5m) + premium(s.cache_write_1h, rates.cache_write_1h),
    )
}

/// Accumulates a row.
#[derive(Debug, Clone, Default)]
pub struct Acc {
    pub sums: Sums,
    pub savings: Usd,
    pub premium: Usd,
}

impl Acc {
    pub fn row(&self, dims: BTreeMap<String, Option<String>>) -> CacheRow {
        let s = &self.sums;
        let input = s.total_input();
        let known = !(s.unpriced_requests > 0 && s.unpriced_requests >= s.requests);
        CacheRow {
            dims,
            requests: s.requests,
            input_tokens: input,
            cache_read_tokens: s.cache_read,
            cache_write_tokens: s.cache_write_5m + s.cache_write_1h,
            cache_hit_rate: (input > 0).then(|| s.cache_read as f64 / input as f64),
            request_cache_hit_rate: (s.calls > 0).then(|| s.cache_hit_calls as f64 / s.calls as f64),
            savings_usd: known.then_some(self.savings),
            write_premium_usd: known.then_some(self.premium),
            net_savings_usd: known.then_some(self.savings - self.premium),
            unpriced_requests: s.unpriced_requests,
        }
    }
}

/// A template's estimated monthly saving if `TARGET_HIT_RATE` of its prefix came from the cache
/// instead of `current` of its input.
pub fn opportunity(
    template: &str,
    model: &str,
    prefix: u64,
    current: f64,
    requests_per_month: f64,
    rates: &Rates,
) -> Option<Opportunity> {
    if prefix < 1024 || current >= LOW_HIT_RATE || requests_per_month <= 0.0 {
        return None;
    }
    let per_token = (rates.input - rates.cache_read).to_f64();
    let tokens = requests_per_month * prefix as f64 * (TARGET_HIT_RATE - current).max(0.0);
    let saving = Usd::from_f64(tokens * per_token)?;
    Some(Opportunity {
        template: template.to_string(),
        model: model.to_string(),
        cacheable_prefix_tokens: prefix,
        cache_hit_rate: current,
        requests_per_month,
        estimated_monthly_saving_usd: saving,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn per_m(v: f64) -> Usd {
        Usd::from_f64(v).unwrap().per_million_to_per_token()
    }

    #[test]
    fn savings_and_premium() {
        // Sonnet-like: input $3/M, read $0.30/M, 5m write $3.75/M, 1h write $6/M.
        let rates = Rates {
            input: per_m(3.0),
            output: per_m(15.0),
            cache_read: per_m(0.3),
            cache_write_5m: per_m(3.75),
            cache_write_1h: per_m(6.0),
            reasoning: per_m(15.0),
            long_context_above: None,
        };
        let s = Sums {
            cache_read: 1_000_000,
            cache_write_5m: 100_000,
            cache_write_1h: 10_000,
            ..Sums::default()
        };
        // Reads: 1M × ($3 − $0.30)/M = $2.70. Premium: 100k × $0.75/M + 10k × $3/M = $0.075 + $0.03.
        let (saved, premium) = money(&s, &rates);
        assert_eq!(saved.to_decimal_string(), "2.7");
        assert_eq!(premium.to_decimal_string(), "0.105");
        // 30,000 calls a month with a 2,000-token prefix, hitting 10%: 30,000 × 2,000 × 0.7 ×
        // $2.70/M = $113.40.
        let o = opportunity("t", "m", 2_000, 0.1, 30_000.0, &rates).unwrap();
        assert_eq!(o.estimated_monthly_saving_usd.format_fixed(2), "113.40");
        assert!(
            opportunity("t", "m", 1_000, 0.1, 30_000.0, &rates).is_none(),
            "below 1024 tokens"
        );
        assert!(
            opportunity("t", "m", 2_000, 0.6, 30_000.0, &rates).is_none(),
            "already hitting"
        );
    }
}
