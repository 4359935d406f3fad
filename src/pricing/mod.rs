//! The price table: the embedded LiteLLM snapshot plus `[prices]` overlays, model-name
//! resolution, tiers, long-context rules and the cost of one request (DESIGN §5, §10).

pub mod imported;
pub mod normalize;
mod overlay;
pub mod snapshot;

use crate::error::{Error, Result, did_you_mean};
use crate::money::{Micro, Usd};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;

pub use overlay::PriceOverlay;

/// Pricing tier of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Standard,
    Batch,
    Priority,
    Flex,
}

impl Tier {
    pub const ALL: [Tier; 4] = [Tier::Standard, Tier::Batch, Tier::Priority, Tier::Flex];

    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Standard => "standard",
            Tier::Batch => "batch",
            Tier::Priority => "priority",
            Tier::Flex => "flex",
        }
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Tier {
    type Err = String;
    fn from_str(s: &str) -> Result<Tier, String> {
        Tier::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| format!("unknown tier `{s}` (expected standard, batch, priority or flex)"))
    }
}

/// Where a price came from (shown by `cost models`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PriceSource {
    /// The LiteLLM snapshot compiled into the binary.
    Snapshot,
    /// `[prices]` in cost.toml.
    Config,
    /// A newer LiteLLM file loaded with `cost pricing import`.
    Imported,
}

impl PriceSource {
    /// The name used in JSON and CSV.
    pub fn as_str(&self) -> &'static str {
        match self {
            PriceSource::Snapshot => "snapshot",
            PriceSource::Config => "config",
            PriceSource::Imported => "imported",
        }
    }
}

impl fmt::Display for PriceSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PriceSource::Snapshot => "snapshot",
            PriceSource::Config => "cost.toml",
            PriceSource::Imported => "imported",
        })
    }
}

/// Which cache rules apply when the table lists no cache price (DESIGN §10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Anthropic,
    OpenAi,
    Other,
}

/// One model's prices: LiteLLM's per-token fields, by their LiteLLM names.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelPrice {
    pub key: String,
    /// LiteLLM's `litellm_provider` (`openai`, `anthropic`, `vertex_ai-language-models`, …).
    pub provider: String,
    pub mode: Option<String>,
    pub max_input_tokens: Option<u64>,
    pub max_output_tokens: Option<u64>,
    /// Smallest prompt prefix the provider caches.
    pub cache_min_tokens: Option<u64>,
    /// USD per token, keyed by LiteLLM field name (`input_cost_per_token`, …).
    pub fields: BTreeMap<String, Usd>,
    pub source: PriceSource,
    /// Tokenizer named in a `[prices]` overlay.
    pub tokenizer: Option<String>,
    /// First day this price applies (overlays only).
    pub effective_from: Option<Date>,
    /// The date of the LiteLLM table the entry comes from (built-in snapshot or imported).
    pub table_date: Option<Date>,
}

const INPUT: &str = "input_cost_per_token";
const OUTPUT: &str = "output_cost_per_token";
const CACHE_READ: &str = "cache_read_input_token_cost";
const WRITE_5M: &str = "cache_creation_input_token_cost";
const WRITE_1H: &str = "cache_creation_input_token_cost_above_1hr";
const REASONING: &str = "output_cost_per_reasoning_token";

/// Per-token prices of each canonical bucket for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rates {
    pub input: Usd,
    pub output: Usd,
    pub cache_read: Usd,
    pub cache_write_5m: Usd,
    pub cache_write_1h: Usd,
    pub reasoning: Usd,
    /// The long-context threshold (tokens) whose prices apply, if any.
    pub long_context_above: Option<u64>,
}

/// Token quantities in the canonical, non-overlapping buckets. Fractions are allowed
/// (an estimate's `cache_hit_rate × prefix`).
pub type Usage = crate::tokens::Buckets<Micro>;

/// Why a model could not be priced as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PriceError {
    /// The model has no price for that tier.
    TierUnavailable(Tier),
    /// Neither an input nor an output price.
    NoTokenPrice,
}

impl fmt::Display for PriceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PriceError::TierUnavailable(t) => write!(f, "the price table lists no {t} price for it"),
            PriceError::NoTokenPrice => f.write_str("the price table lists no per-token price for it"),
        }
    }
}

impl ModelPrice {
    pub fn new(key: &str, provider: &str, source: PriceSource) -> ModelPrice {
        ModelPrice {
            key: key.to_string(),
            provider: provider.to_string(),
            mode: None,
            max_input_tokens: None,
            max_output_tokens: None,
            cache_min_tokens: None,
            fields: BTreeMap::new(),
            source,
            tokenizer: None,
            effective_from: None,
            table_date: None,
        }
    }

    /// Where this price comes from, for people: `cost.toml`, `snapshot 2026-07-24`,
    /// `imported 2026-12-01`.
    pub fn origin(&self) -> String {
        match (&self.source, self.table_date) {
            (PriceSource::Config, _) => "cost.toml".to_string(),
            (s, Some(d)) => format!("{} {d}", s.as_str()),
            (s, None) => s.as_str().to_string(),
        }
    }

    /// The provider as shown to users: `vertex_ai-language-models` → `vertex_ai`.
    pub fn provider_name(&self) -> &str {
        self.provider.split('-').next().unwrap_or(&self.provider)
    }

    pub fn family(&self) -> Family {
        let key = self.key.to_ascii_lowercase();
        if self.provider == "anthropic" || key.contains("claude") {
            Family::Anthropic
        } else if matches!(self.provider.as_str(), "openai" | "azure" | "text-completion-openai") {
            Family::OpenAi
        } else {
            Family::Other
        }
    }

    /// Whether creating a cache entry costs more than plain input (Anthropic-style writes).
    /// OpenAI never bills a write premium (its caching is automatic), whatever the table says.
    pub fn bills_cache_writes(&self) -> bool {
        match self.family() {
            Family::Anthropic => true,
            Family::OpenAi => false,
            Family::Other => self.fields.contains_key(WRITE_5M),
        }
    }

    /// The provider's minimum cacheable prefix.
    pub fn cache_min(&self) -> u64 {
        self.cache_min_tokens.unwrap_or(1024)
    }

    /// Long-context thresholds in tokens, from `*_above_<N>k_tokens` keys, ascending.
    pub fn long_context_thresholds(&self) -> Vec<u64> {
        let mut out: Vec<u64> = self
            .fields
            .keys()
            .filter_map(|k| {
                let (_, tail) = k.split_once("_above_")?;
                let tail = tail.strip_prefix("1hr_above_").unwrap_or(tail);
                let n = tail
                    .strip_suffix("k_tokens")
                    .or_else(|| tail.split_once("k_tokens_").map(|(n, _)| n))?;
                n.parse::<u64>().ok().map(|n| n * 1000)
            })
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    fn get(&self, base: &str, long_context: Option<u64>, tier_suffix: &str) -> Option<Usd> {
        let mut name = base.to_string();
        if let Some(t) = long_context {
            name.push_str(&format!("_above_{}k_tokens", t / 1000));
        }
        name.push_str(tier_suffix);
        self.fields.get(&name).copied()
    }

    /// The per-token prices for a request with `total_input` input tokens on `tier`.
    pub fn rates(&self, tier: Tier, total_input: Micro) -> Result<Rates, PriceError> {
        // The largest threshold strictly exceeded bills the whole request (DESIGN §10).
        let lc = self
            .long_context_thresholds()
            .into_iter()
            .rfind(|t| total_input > Micro::from_int(*t as i128));
        let std = self.standard_rates(lc)?;
        match tier {
            Tier::Standard => Ok(std),
            Tier::Batch => {
                // Listed `_batches` prices, else half of every standard bucket; with long
                // context, half of the long-context prices.
                let half = |listed: Option<Usd>, standard: Usd| match (lc, listed) {
                    (None, Some(p)) => p,
                    _ => standard.ratio(1, 2),
                };
                Ok(Rates {
                    input: half(self.get(INPUT, None, "_batches"), std.input),
                    output: half(self.get(OUTPUT, None, "_batches"), std.output),
                    cache_read: half(self.get(CACHE_READ, None, "_batches"), std.cache_read),
                    cache_write_5m: half(self.get(WRITE_5M, None, "_batches"), std.cache_write_5m),
                    cache_write_1h: half(self.get(WRITE_1H, None, "_batches"), std.cache_write_1h),
                    reasoning: half(self.get(REASONING, None, "_batches"), std.reasoning),
                    long_context_above: lc,
                })
            }
            Tier::Priority | Tier::Flex => {
                let sfx = if tier == Tier::Priority { "_priority" } else { "_flex" };
                let base_tier_input = self.get(INPUT, None, sfx).ok_or(PriceError::TierUnavailable(tier))?;
                let tier_input = match lc {
                    None => base_tier_input,
                    Some(_) => self.get(INPUT, lc, sfx).unwrap_or_else(|| {
                        scale(
                            std.input,
                            base_tier_input,
                            self.get(INPUT, None, "").unwrap_or(std.input),
                        )
                    }),
                };
                // A bucket without its own tier price scales by tier input ÷ standard input.
                let pick = |base: &str, standard: Usd| {
                    self.get(base, lc, sfx)
                        .unwrap_or_else(|| scale(standard, tier_input, std.input))
                };
                Ok(Rates {
                    input: tier_input,
                    output: pick(OUTPUT, std.output),
                    cache_read: pick(CACHE_READ, std.cache_read),
                    cache_write_5m: pick(WRITE_5M, std.cache_write_5m),
                    cache_write_1h: pick(WRITE_1H, std.cache_write_1h),
                    reasoning: pick(REASONING, std.reasoning),
                    long_context_above: lc,
                })
            }
        }
    }

    fn standard_rates(&self, lc: Option<u64>) -> Result<Rates, PriceError> {
        let base_input = self.get(INPUT, None, "");
        let base_output = self.get(OUTPUT, None, "");
        if base_input.is_none() && base_output.is_none() {
            return Err(PriceError::NoTokenPrice);
        }
        let input = lc
            .and_then(|t| self.get(INPUT, Some(t), ""))
            .or(base_input)
            .unwrap_or(Usd::ZERO);
        let output = lc
            .and_then(|t| self.get(OUTPUT, Some(t), ""))
            .or(base_output)
            .unwrap_or(Usd::ZERO);
        let family = self.family();
        // With long context, a bucket without its own long-context price takes the family
        // rule applied to the long-context input price.
        let cache = |base: &str, anthropic_num: i128, anthropic_den: i128| -> Usd {
            let listed = match lc {
                Some(t) => self.get(base, Some(t), ""),
                None => self.get(base, None, ""),
            };
            listed.unwrap_or_else(|| match family {
                Family::Anthropic => input.ratio(anthropic_num, anthropic_den),
                Family::OpenAi if base == CACHE_READ => input,
                Family::OpenAi => Usd::ZERO,
                Family::Other => input,
            })
        };
        let reasoning = lc
            .and_then(|t| self.get(REASONING, Some(t), ""))
            .or_else(|| self.get(REASONING, None, ""))
            .unwrap_or(output);
        Ok(Rates {
            input,
            output,
            cache_read: cache(CACHE_READ, 1, 10),
            cache_write_5m: cache(WRITE_5M, 5, 4),
            cache_write_1h: cache(WRITE_1H, 2, 1),
            reasoning,
            long_context_above: lc,
        })
    }
}

fn scale(price: Usd, num: Usd, den: Usd) -> Usd {
    if den.is_zero() {
        price
    } else {
        price.ratio(num.atto(), den.atto())
    }
}

/// The cost of one request (DESIGN §5): each bucket at its price, reasoning (inside output)
/// at the reasoning price.
pub fn cost(rates: &Rates, usage: &Usage) -> Usd {
    rates.input.times_micro(usage.uncached_input)
        + rates.cache_read.times_micro(usage.cache_read)
        + rates.cache_write_5m.times_micro(usage.cache_write_5m)
        + rates.cache_write_1h.times_micro(usage.cache_write_1h)
        + rates.output.times_micro(usage.output - usage.reasoning)
        + rates.reasoning.times_micro(usage.reasoning)
}

/// [`cost`], or `None` when a product or the sum does not fit (absurd token counts or prices).
pub fn checked_cost(rates: &Rates, usage: &Usage) -> Option<Usd> {
    [
        rates.input.checked_times_micro(usage.uncached_input)?,
        rates.cache_read.checked_times_micro(usage.cache_read)?,
        rates.cache_write_5m.checked_times_micro(usage.cache_write_5m)?,
        rates.cache_write_1h.checked_times_micro(usage.cache_write_1h)?,
        rates.output.checked_times_micro(usage.output - usage.reasoning)?,
        rates.reasoning.checked_times_micro(usage.reasoning)?,
    ]
    .into_iter()
    .try_fold(Usd::ZERO, Usd::checked_add)
}

/// One LiteLLM table layered into the prices: the built-in snapshot or an imported one.
#[derive(Debug, Clone, PartialEq)]
pub struct TableInfo {
    /// `snapshot` or `imported`.
    pub kind: &'static str,
    pub date: Date,
    /// Entries with a per-token price.
    pub models: usize,
    /// The stored file (imported tables only).
    pub path: Option<std::path::PathBuf>,
}

/// All known prices: snapshot, imported table and cost.toml overlays.
#[derive(Debug, Clone)]
pub struct PriceTable {
    /// Shared between tables that differ only in overlays (the two sides of a diff).
    base: std::sync::Arc<HashMap<String, ModelPrice>>,
    /// Overlays by key, each list sorted by `effective_from` (undated first).
    overlays: HashMap<String, Vec<ModelPrice>>,
    /// The date of the newest table in use.
    pub as_of: String,
    /// The tables layered into `base`, oldest first (the snapshot, then imported ones).
    pub tables: std::sync::Arc<Vec<TableInfo>>,
}

/// How a logged name found its price (`cost models --resolve`).
#[derive(Debug, Clone)]
pub struct Resolution<'a> {
    /// The name and its stripped forms, most specific first.
    pub candidates: Vec<String>,
    /// The table entry the name resolves to, before `[prices]` overlays.
    pub table_price: Option<&'a ModelPrice>,
    /// The `<provider>/` prefix the table key was found under, if one was needed.
    pub provider_prefix: Option<String>,
    /// The price that applies: a `[prices]` overlay on any candidate, else the table entry.
    pub price: Option<&'a ModelPrice>,
}

impl PriceTable {
    /// The embedded snapshot, with `[prices]` overlays from cost.toml.
    pub fn load(overlays: &BTreeMap<String, PriceOverlay>) -> Result<PriceTable> {
        PriceTable::load_layers(&[], overlays)
    }

    /// The prices every command uses: the snapshot, the tables `cost pricing import` stored
    /// in the data directory, and `overlays` (`[prices]` from cost.toml).
    pub fn load_installed(overlays: &BTreeMap<String, PriceOverlay>) -> Result<PriceTable> {
        let stored = imported::list(&imported::data_dir())?;
        PriceTable::load_layers(&stored, overlays)
    }

    /// The embedded snapshot, then each imported table (oldest first, each entry replacing
    /// the older one of the same key: a model a newer table dropped keeps its last price),
    /// with `[prices]` overlays from cost.toml on top.
    pub fn load_layers(imported: &[imported::Stored], overlays: &BTreeMap<String, PriceOverlay>) -> Result<PriceTable> {
        let mut base = snapshot::parse_embedded().map_err(|e| Error::Pricing {
            model: "(snapshot)".into(),
            message: format!("the embedded price table is corrupt: {e}"),
            hint: None,
        })?;
        let snapshot_date: Date = snapshot::EMBEDDED_AS_OF.parse().expect("valid snapshot date");
        for p in base.values_mut() {
            p.table_date = Some(snapshot_date);
        }
        let mut tables = vec![TableInfo {
            kind: "snapshot",
            date: snapshot_date,
            models: base.len(),
            path: None,
        }];
        for stored in imported {
            let layer = imported::read(stored)?;
            tables.push(TableInfo {
                kind: "imported",
                date: stored.date,
                models: layer.len(),
                path: Some(stored.path.clone()),
            });
            base.extend(layer);
        }
        let as_of = tables.iter().map(|t| t.date).max().unwrap_or(snapshot_date).to_string();
        let table = PriceTable {
            base: std::sync::Arc::new(base),
            overlays: HashMap::new(),
            as_of,
            tables: std::sync::Arc::new(tables),
        };
        table.with_overlays(overlays)
    }

    /// The same tables with a different set of `[prices]` overlays (cheap: the tables are
    /// shared).
    pub fn with_overlays(&self, overlays: &BTreeMap<String, PriceOverlay>) -> Result<PriceTable> {
        let mut table = PriceTable {
            base: self.base.clone(),
            overlays: HashMap::new(),
            as_of: self.as_of.clone(),
            tables: self.tables.clone(),
        };
        for (name, overlay) in overlays {
            table.add_overlay(name, overlay)?;
        }
        Ok(table)
    }

    /// The table entries (snapshot and imported tables), without cost.toml overlays.
    pub fn table_entries(&self) -> &HashMap<String, ModelPrice> {
        &self.base
    }

    /// Adds a `[prices."name"]` overlay. A name that resolves to a table entry inherits
    /// every field it does not give; a new name must give input and output.
    pub fn add_overlay(&mut self, name: &str, overlay: &PriceOverlay) -> Result<()> {
        let inherited = self.resolve_base(name).and_then(|k| self.base.get(&k)).cloned();
        let mut price = match inherited {
            Some(mut p) => {
                p.key = name.to_string();
                p
            }
            None => {
                if overlay.input.is_none() || overlay.output.is_none() {
                    return Err(Error::Pricing {
                        model: name.to_string(),
                        message: "[prices] entry for a model the price table does not know must give both `input` and `output`".into(),
                        hint: Some(format!("add `input = …` and `output = …` (USD per million tokens) under [prices.\"{name}\"]")),
                    });
                }
                ModelPrice::new(name, "custom", PriceSource::Config)
            }
        };
        price.source = PriceSource::Config;
        if let Some(provider) = &overlay.provider {
            price.provider = provider.clone();
        }
        price.tokenizer = overlay.tokenizer.clone().or(price.tokenizer);
        price.effective_from = overlay.effective_from;
        let per_token = |v: Usd| v.per_million_to_per_token();
        for (field, value) in [
            (INPUT, overlay.input),
            (OUTPUT, overlay.output),
            (CACHE_READ, overlay.cache_read),
            (WRITE_5M, overlay.cache_write_5m),
            (WRITE_1H, overlay.cache_write_1h),
        ] {
            if let Some(v) = value {
                let new = per_token(v);
                // The inherited tier and long-context variants of a price the entry replaces
                // (`input_cost_per_token_batches`, `…_priority`, `…_above_200k_tokens`) move
                // with it: a negotiated $2 instead of $2.50 makes batch $1.00, not the list
                // $1.25.
                if matches!(field, INPUT | OUTPUT | CACHE_READ) {
                    if let Some(old) = price.fields.get(field).copied().filter(|o| !o.is_zero()) {
                        let prefix = format!("{field}_");
                        for (name, variant) in price.fields.iter_mut() {
                            if name.starts_with(&prefix) {
                                *variant = variant.ratio(new.atto(), old.atto());
                            }
                        }
                    }
                }
                price.fields.insert(field.to_string(), new);
            }
        }
        let list = self.overlays.entry(name.to_string()).or_default();
        list.push(price);
        list.sort_by_key(|p| p.effective_from);
        Ok(())
    }

    fn resolve_base(&self, name: &str) -> Option<String> {
        normalize::resolve(name, |k| self.base.contains_key(k))
    }

    /// The table key `name` resolves to, before overlays: the name and its stripped forms
    /// (LOG-FORMATS §15), then, when none is a key, the same under the prefixes the table uses
    /// for `provider` (`mistral` → `mistral/mistral-large-latest`). Returns the prefix used.
    fn table_key(&self, name: &str, provider: Option<&str>) -> Option<(String, Option<String>)> {
        if let Some(key) = self.resolve_base(name) {
            return Some((key, None));
        }
        let prefixes = provider.map(normalize::provider_prefixes).unwrap_or_default();
        prefixes.into_iter().find_map(|p| {
            let prefixed = format!("{p}{name}");
            self.resolve_base(&prefixed).map(|k| (k, Some(p)))
        })
    }

    /// The overlay on exactly `key` in force on `date`.
    fn overlay_at(&self, key: &str, date: Option<Date>) -> Option<&ModelPrice> {
        self.overlays
            .get(key)?
            .iter()
            .rev()
            .find(|p| match (p.effective_from, date) {
                (None, _) => true,
                (Some(from), Some(d)) => from <= d,
                (Some(_), None) => true,
            })
    }

    /// How `name` (logged by `provider`) is priced on `date` (DESIGN §12): a `[prices]`
    /// overlay on the name or on any of its stripped forms (`gpt-4o-2024-08-06` → `gpt-4o`,
    /// `azure/gpt-4o` → `gpt-4o`, `us.anthropic.…-v1:0` → `claude-…`), the most specific
    /// first; else the table entry the name resolves to.
    pub fn explain(&self, name: &str, provider: Option<&str>, date: Option<Date>) -> Resolution<'_> {
        let candidates = normalize::candidates(name);
        let prefixes = provider.map(normalize::provider_prefixes).unwrap_or_default();
        let overlay = if self.overlays.is_empty() {
            None
        } else {
            candidates.iter().find_map(|c| {
                prefixes
                    .iter()
                    .find_map(|p| self.overlay_at(&format!("{p}{c}"), date))
                    .or_else(|| self.overlay_at(c, date))
            })
        };
        let found = self.table_key(name, provider);
        let table_price = found.as_ref().and_then(|(k, _)| self.base.get(k));
        Resolution {
            candidates,
            table_price,
            provider_prefix: found.and_then(|(_, p)| p),
            price: overlay.or(table_price),
        }
    }

    /// The price of `name` (logged by `provider`) on `date`; see [`PriceTable::explain`].
    pub fn price_for(&self, name: &str, provider: Option<&str>, date: Option<Date>) -> Option<&ModelPrice> {
        self.explain(name, provider, date).price
    }

    /// The key that prices a model name (a `[prices]` overlay or a table entry), or `None`.
    pub fn resolve(&self, name: &str) -> Option<String> {
        self.price_for(name, None, None).map(|p| p.key.clone())
    }

    /// The price of `key` in force on `date`: the newest overlay whose `effective_from` is
    /// on or before it, else the table entry.
    pub fn price_at(&self, key: &str, date: Option<Date>) -> Option<&ModelPrice> {
        self.overlay_at(key, date).or_else(|| self.base.get(key))
    }

    /// Resolves a model name and returns its price on `date`, or an unknown-model error
    /// with the closest names.
    pub fn lookup(&self, name: &str, date: Option<Date>) -> Result<&ModelPrice> {
        self.price_for(name, None, date).ok_or_else(|| Error::UnknownModel {
            model: name.to_string(),
            context: None,
            suggestions: self.suggest(name),
        })
    }

    /// Closest known names, for "did you mean" (only ever a hint, never a price).
    pub fn suggest(&self, name: &str) -> Vec<String> {
        let stripped = name.rsplit('/').next().unwrap_or(name);
        did_you_mean(stripped, self.keys().filter(|k| !k.contains('/')), 3)
    }

    /// Every key: snapshot and overlays.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.base
            .keys()
            .chain(self.overlays.keys().filter(|k| !self.base.contains_key(*k)))
            .map(String::as_str)
    }

    /// All entries whose key matches `pattern` (case-insensitive substring, or a glob when it
    /// contains `*`, `?` or `[`), current price for each, sorted by key.
    pub fn matching(&self, pattern: Option<&str>, date: Option<Date>) -> Vec<&ModelPrice> {
        let glob = pattern
            .filter(|p| p.contains(['*', '?', '[']))
            .and_then(|p| globset::GlobBuilder::new(p).case_insensitive(true).build().ok())
            .map(|g| g.compile_matcher());
        let needle = pattern.map(str::to_ascii_lowercase);
        let mut keys: Vec<&str> = self
            .keys()
            .filter(|k| match (&glob, &needle) {
                (Some(g), _) => g.is_match(k),
                (None, Some(n)) => k.to_ascii_lowercase().contains(n.as_str()),
                (None, None) => true,
            })
            .collect();
        keys.sort_unstable();
        keys.into_iter().filter_map(|k| self.price_at(k, date)).collect()
    }
}

/// Whether usage logged as `logged` is on `wanted`: the same name, a dated snapshot of it
/// (`claude-sonnet-4-5-20250929`, `…@20250929`), a glob match, or a name with the same price
/// (`wanted_key`: what `wanted` resolves to).
pub fn same_model(prices: &PriceTable, wanted: &str, wanted_key: Option<&str>, logged: &str) -> bool {
    if wanted.contains(['*', '?', '[']) {
        return globset::Glob::new(wanted).is_ok_and(|g| g.compile_matcher().is_match(logged));
    }
    let snapshot = logged.strip_prefix(wanted).is_some_and(|rest| {
        rest.starts_with('@')
            || rest
                .strip_prefix('-')
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
    });
    logged == wanted || snapshot || (wanted_key.is_some() && prices.resolve(logged).as_deref() == wanted_key)
}

#[cfg(test)]
mod tests;
