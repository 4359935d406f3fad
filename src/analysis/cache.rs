//! Prompt-cache KPIs: token and request hit rates, what cache reads saved against the uncached
//! price, the premium paid for cache writes, and templates whose stable prefix is long enough
//! to cache but that rarely hit.

use crate::analysis::estimate::Estimated;
use crate::error::Result;
use crate::money::Usd;
use crate::period::Period;
use crate::pricing::PriceTable;
use crate::pricing::Rates;
use crate::report::DimValues;
use crate::store::Store;
use crate::store::query::{Dim, Filter, Sums};
use serde::Serialize;
use std::collections::BTreeMap;

/// The share of a cacheable prefix a well-cached template reads from the cache.
pub const TARGET_HIT_RATE: f64 = 0.8;
/// Below this token hit rate a template with a cacheable prefix is an opportunity.
pub const LOW_HIT_RATE: f64 = 0.5;

#[derive(Debug, Clone, Serialize)]
pub struct CacheRow {
    /// Dimension values in `--by` order.
    #[serde(flatten)]
    pub dims: DimValues,
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
    let savings = (rates.input - rates.cache_read).times(s.tokens.cache_read as i128);
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
        premium(s.tokens.cache_write_5m, rates.cache_write_5m) + premium(s.tokens.cache_write_1h, rates.cache_write_1h),
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
    pub fn row(&self, dims: DimValues) -> CacheRow {
        let s = &self.sums;
        let input = s.total_input();
        let known = !(s.unpriced_requests > 0 && s.unpriced_requests >= s.requests);
        CacheRow {
            dims,
            requests: s.requests,
            input_tokens: input,
            cache_read_tokens: s.tokens.cache_read,
            cache_write_tokens: s.tokens.cache_write_5m + s.tokens.cache_write_1h,
            cache_hit_rate: (input > 0).then(|| s.tokens.cache_read as f64 / input as f64),
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

/// What [`compute`] reports on.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    pub period: Period,
    /// The dimensions of a row (no repeats); opportunities are listed only by template.
    pub by: Vec<Dim>,
    /// Only these teams (globs allowed); empty: every team.
    pub teams: Vec<String>,
    /// Days per month, for the monthly saving of an opportunity.
    pub days_per_month: f64,
}

/// Cache KPIs per group and in total, priced as of the period's last day, and the templates
/// that would gain from caching. `templates` estimates this repository's templates (asked
/// only for opportunities, i.e. with `by` holding the template); its warnings come back with
/// the report.
pub fn compute(
    store: Option<&Store>,
    prices: &PriceTable,
    params: &Params,
    templates: impl FnOnce() -> Result<Estimated>,
) -> Result<(CacheReport, Vec<String>)> {
    let p = params.period;
    let by = params.by.clone();
    let mut warnings = Vec::new();
    let filter = Filter {
        since: Some(p.since.to_string()),
        until: Some(p.until.to_string()),
        teams: params.teams.clone(),
        ..Filter::default()
    };
    let mut dims = by.clone();
    for extra in [Dim::Model, Dim::Tier] {
        if !dims.contains(&extra) {
            dims.push(extra);
        }
    }
    let rows = match store {
        Some(s) => s.sums(&dims, &filter)?,
        None => Vec::new(),
    };
    let mut groups: BTreeMap<Vec<String>, Acc> = BTreeMap::new();
    let mut total = Acc::default();
    let mut by_template: BTreeMap<String, Sums> = BTreeMap::new();
    for (k, s) in &rows {
        let rates = prices
            .resolve(k.value(Dim::Model))
            .and_then(|key| prices.price_at(&key, Some(p.until)))
            .and_then(|price| {
                price
                    .rates(
                        k.get(Dim::Tier)
                            .and_then(|t| t.parse().ok())
                            .unwrap_or(crate::pricing::Tier::Standard),
                        crate::money::Micro::ZERO,
                    )
                    .ok()
            });
        let (saved, premium) = match (&rates, s.unpriced_requests) {
            (Some(r), 0) => money(s, r),
            _ => (Usd::ZERO, Usd::ZERO),
        };
        for acc in [groups.entry(k.values_of(&by)).or_default(), &mut total] {
            acc.sums.add(s);
            acc.savings += saved;
            acc.premium += premium;
        }
        if let Some(template) = k.get(Dim::Template) {
            by_template.entry(template.to_string()).or_default().add(s);
        }
    }
    let mut out_rows: Vec<CacheRow> = groups
        .into_iter()
        .map(|(k, acc)| {
            let dims = by
                .iter()
                .zip(k)
                .map(|(d, v)| (d.name().to_string(), (!v.is_empty()).then_some(v)))
                .collect();
            acc.row(dims)
        })
        .collect();
    out_rows.sort_by(|a, b| {
        b.net_savings_usd
            .cmp(&a.net_savings_usd)
            .then(b.requests.cmp(&a.requests))
    });

    // Opportunities: the templates of this repository, measured, against their stored usage.
    let mut opportunities = Vec::new();
    let mut note = None;
    if !dims.contains(&Dim::Template) {
        note = Some("Opportunities are listed with --by template.".to_string());
    } else {
        let estimated = templates().and_then(|e| {
            warnings = e.warnings.clone();
            e.priced()
        });
        match estimated {
            Ok(est) => {
                let days = p.days().max(1) as f64;
                let per_month = params.days_per_month / days;
                for row in est.rows.iter().filter(|r| r.primary) {
                    let Some(s) = by_template.get(&row.template) else {
                        continue;
                    };
                    let input = s.total_input();
                    let hit = if input > 0 {
                        s.tokens.cache_read as f64 / input as f64
                    } else {
                        0.0
                    };
                    if let Some(o) = opportunity(
                        &row.template,
                        &row.model,
                        row.cacheable_prefix_tokens,
                        hit,
                        s.requests as f64 * per_month,
                        &row.rates,
                    ) {
                        opportunities.push(o);
                    }
                }
                opportunities.sort_by_key(|o| std::cmp::Reverse(o.estimated_monthly_saving_usd));
                if opportunities.is_empty() {
                    note = Some(format!(
                        "No opportunities: none of the {} templates found has a cacheable prefix of 1,024+ tokens with a stored hit rate under 50%.",
                        est.rows.iter().filter(|r| r.primary).count()
                    ));
                }
            }
            Err(e) => note = Some(format!("Opportunities need the templates of this repository: {e}")),
        }
    }
    let report = CacheReport {
        schema: "cost.cache/v1",
        since: p.since.to_string(),
        until: p.until.to_string(),
        group_by: by,
        rows: out_rows,
        totals: total.row(DimValues::new()),
        opportunities,
        opportunities_note: note,
    };
    Ok((report, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::Buckets;

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
            tokens: Buckets {
                cache_read: 1_000_000,
                cache_write_5m: 100_000,
                cache_write_1h: 10_000,
                ..Buckets::default()
            },
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
