//! Reads LiteLLM's `model_prices_and_context_window.json` into [`ModelPrice`]s, keeping only
//! what pricing needs (every `*cost*` number, provider, context window, cache minimum).

use super::{ModelPrice, PriceSource};
use crate::money::Usd;
use serde::Deserializer;
use serde::de::{self, IgnoredAny, MapAccess, Visitor};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

/// The snapshot compiled into the binary: data/litellm-model-prices-2026-07-24.json with only
/// the fields pricing reads (build.rs).
pub const EMBEDDED: &str = include_str!(concat!(env!("OUT_DIR"), "/prices.json"));
/// The date of the embedded snapshot.
pub const EMBEDDED_AS_OF: &str = "2026-07-24";

/// Parses a LiteLLM price file (prices as USD per token). Entries without any per-token price
/// are dropped.
pub fn parse(json: &str, source: PriceSource) -> Result<HashMap<String, ModelPrice>, serde_json::Error> {
    parse_with(json, source, false)
}

/// Parses the embedded, compacted snapshot, whose prices are integers of atto-USD.
pub fn parse_embedded() -> Result<HashMap<String, ModelPrice>, serde_json::Error> {
    parse_compact(EMBEDDED, PriceSource::Snapshot)
}

/// Parses a table in the compacted form (prices as integers of atto-USD): the embedded
/// snapshot and tables stored by `cost pricing import`.
pub fn parse_compact(json: &str, source: PriceSource) -> Result<HashMap<String, ModelPrice>, serde_json::Error> {
    parse_with(json, source, true)
}

fn parse_with(json: &str, source: PriceSource, atto: bool) -> Result<HashMap<String, ModelPrice>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(json);
    let table = de.deserialize_map(TableVisitor { source, atto })?;
    de.end()?;
    Ok(table)
}

struct TableVisitor {
    source: PriceSource,
    atto: bool,
}

impl<'de> Visitor<'de> for TableVisitor {
    type Value = HashMap<String, ModelPrice>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object of model name → prices")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = HashMap::with_capacity(4096);
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            let entry: Option<ModelPrice> = map.next_value_seed(EntrySeed {
                key: &key,
                source: self.source.clone(),
                atto: self.atto,
            })?;
            if let Some(entry) = entry {
                out.insert(key.into_owned(), entry);
            }
        }
        Ok(out)
    }
}

struct EntrySeed<'a> {
    key: &'a str,
    source: PriceSource,
    /// Prices are integers of atto-USD (the embedded snapshot) rather than USD floats.
    atto: bool,
}

impl<'de> de::DeserializeSeed<'de> for EntrySeed<'_> {
    type Value = Option<ModelPrice>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for EntrySeed<'_> {
    type Value = Option<ModelPrice>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a model entry")
    }

    // Anything that is not an object (there are none today) is ignored rather than fatal.
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut price = ModelPrice::new(self.key, "", self.source.clone());
        while let Some(field) = map.next_key::<Cow<'de, str>>()? {
            match field.as_ref() {
                // The table's own `sample_spec` entry holds descriptions, not values: read
                // loosely and drop what is not the expected type.
                "litellm_provider" => {
                    price.provider = map
                        .next_value::<serde_json::Value>()?
                        .as_str()
                        .unwrap_or("")
                        .to_string()
                }
                "mode" => price.mode = map.next_value::<serde_json::Value>()?.as_str().map(str::to_string),
                "max_input_tokens" => {
                    price.max_input_tokens = map.next_value::<serde_json::Value>()?.as_f64().map(|v| v as u64)
                }
                "max_output_tokens" => {
                    price.max_output_tokens = map.next_value::<serde_json::Value>()?.as_f64().map(|v| v as u64)
                }
                "prompt_cache_min_tokens" => {
                    price.cache_min_tokens = map.next_value::<serde_json::Value>()?.as_f64().map(|v| v as u64)
                }
                name if self.atto && is_token_price(name) => {
                    let atto = map.next_value::<u64>()?;
                    price.fields.insert(name.to_string(), Usd::from_atto(atto as i128));
                }
                name if is_token_price(name) => {
                    let value = map.next_value::<serde_json::Value>()?;
                    if let Some(usd) = value.as_f64().and_then(Usd::from_f64) {
                        price.fields.insert(name.to_string(), usd);
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let priced =
            price.fields.contains_key("input_cost_per_token") || price.fields.contains_key("output_cost_per_token");
        Ok(priced.then_some(price))
    }
}

/// Per-token price fields (LiteLLM names them `*_cost_per_token*` or `*_token_cost*`).
fn is_token_price(name: &str) -> bool {
    (name.contains("cost_per_token") || name.contains("token_cost") || name.contains("cost_per_reasoning_token"))
        && !name.contains("audio")
        && !name.contains("image")
        && !name.contains("video")
        && !name.contains("dbu")
}
