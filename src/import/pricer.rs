//! Prices records at their own date with the product's price table (never the log's own
//! cost). Lookups are cached per model, tier and day: a large import meets few of each.

use super::record::UsageRecord;
use crate::money::Micro;
use crate::pricing::{self, PriceTable, Rates, Tier, Usage};
use std::collections::HashMap;

/// A record's price, or why it has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Priced {
    /// The table key that priced it.
    pub key: Option<String>,
    pub source: Option<&'static str>,
    pub cost_nanos: i64,
    pub unpriced: bool,
    /// Why a record is unpriced: `unknown_model` or `no_tier_price`.
    pub flag: Option<&'static str>,
}

struct Entry {
    key: Option<String>,
    source: Option<&'static str>,
    /// Thresholds ascending; `rates[i]` applies above `thresholds[i-1]` (0: standard).
    thresholds: Vec<u64>,
    rates: Vec<Option<Rates>>,
    flag: Option<&'static str>,
}

/// model → tier → day → price.
type ByModel = HashMap<String, HashMap<String, HashMap<i64, Entry>>>;

pub struct Pricer<'t> {
    table: &'t PriceTable,
    /// provider → model → tier → day → price; looked up by borrowed strings, so a hit
    /// allocates nothing.
    cache: HashMap<String, ByModel>,
}

impl<'t> Pricer<'t> {
    pub fn new(table: &'t PriceTable) -> Pricer<'t> {
        Pricer {
            table,
            cache: HashMap::new(),
        }
    }

    fn entry(&mut self, provider: &str, model: &str, tier: &str, day: i64) -> &Entry {
        let cached = self
            .cache
            .get(provider)
            .and_then(|m| m.get(model))
            .and_then(|t| t.get(tier))
            .is_some_and(|d| d.contains_key(&day));
        if !cached {
            let table = self.table;
            let date = jiff::Timestamp::from_second(day * 86_400)
                .ok()
                .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date());
            // A `[prices]` overlay on any name this one resolves to, else the table entry,
            // found under the provider's prefix when the bare name is not a key.
            let price = table.price_for(model, Some(provider).filter(|p| !p.is_empty()), date);
            let entry = match (price, tier.parse::<Tier>()) {
                (None, _) => Entry {
                    key: None,
                    source: None,
                    thresholds: Vec::new(),
                    rates: Vec::new(),
                    flag: Some("unknown_model"),
                },
                (Some(p), Err(_)) => Entry {
                    key: Some(p.key.clone()),
                    source: Some(p.source.as_str()),
                    thresholds: Vec::new(),
                    rates: Vec::new(),
                    flag: Some("no_tier_price"),
                },
                (Some(p), Ok(t)) => {
                    let thresholds = p.long_context_thresholds();
                    let mut rates = vec![p.rates(t, Micro::ZERO).ok()];
                    for th in &thresholds {
                        rates.push(p.rates(t, Micro::from_int(*th as i128 + 1)).ok());
                    }
                    let flag = rates[0].is_none().then_some("no_tier_price");
                    Entry {
                        key: Some(p.key.clone()),
                        source: Some(p.source.as_str()),
                        thresholds,
                        rates,
                        flag,
                    }
                }
            };
            self.cache
                .entry(provider.to_string())
                .or_default()
                .entry(model.to_string())
                .or_default()
                .entry(tier.to_string())
                .or_default()
                .insert(day, entry);
        }
        &self.cache[provider][model][tier][&day]
    }

    pub fn price(&mut self, rec: &UsageRecord) -> Priced {
        let day = rec.timestamp_ms.div_euclid(86_400_000);
        let total = rec.tokens.total_input();
        // Long context is decided per call on its total input; an aggregate row only uses it
        // when the export says so (Anthropic's `context_window`).
        let single_call = rec.requests == 1;
        let forced = rec.flags.contains(&"long_context");
        let entry = self.entry(rec.provider.as_deref().unwrap_or(""), &rec.model, &rec.tier, day);
        let level = if forced {
            entry.thresholds.len()
        } else if single_call {
            entry.thresholds.iter().filter(|t| total > **t).count()
        } else {
            0
        };
        let rates = entry.rates.get(level).copied().flatten();
        match rates {
            None => Priced {
                key: entry.key.clone(),
                source: entry.source,
                cost_nanos: 0,
                unpriced: true,
                flag: entry.flag.or(Some("no_tier_price")),
            },
            Some(r) => {
                let usage: Usage = rec.tokens.map(|v| Micro::from_int(v as i128));
                Priced {
                    key: entry.key.clone(),
                    source: entry.source,
                    cost_nanos: pricing::cost(&r, &usage).nanos(),
                    unpriced: false,
                    flag: None,
                }
            }
        }
    }
}
