//! `[prices."name"]` in cost.toml: a price laid over the table's (or a model it does not
//! have), as read from the configuration.

use crate::money::Usd;
use serde::Deserialize;
use serde::de::{self, Deserializer};

/// A `[prices."name"]` entry: USD per million tokens.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PriceOverlay {
    #[serde(default, deserialize_with = "opt_price")]
    pub input: Option<Usd>,
    #[serde(default, deserialize_with = "opt_price")]
    pub output: Option<Usd>,
    #[serde(default, deserialize_with = "opt_price")]
    pub cache_read: Option<Usd>,
    #[serde(default, deserialize_with = "opt_price")]
    pub cache_write_5m: Option<Usd>,
    #[serde(default, deserialize_with = "opt_price")]
    pub cache_write_1h: Option<Usd>,
    #[serde(default, deserialize_with = "opt_date")]
    pub effective_from: Option<jiff::civil::Date>,
    pub provider: Option<String>,
    #[serde(default, deserialize_with = "opt_tokenizer")]
    pub tokenizer: Option<String>,
}

fn opt_tokenizer<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = String::deserialize(d)?;
    match v.as_str() {
        "o200k_base" | "cl100k_base" => Ok(Some(v)),
        _ => Err(de::Error::custom(format!(
            "unknown tokenizer `{v}`: expected `o200k_base` or `cl100k_base` (leave it out to count approximately)"
        ))),
    }
}

fn opt_price<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Usd>, D::Error> {
    let v = f64::deserialize(d)?;
    if v < 0.0 || !v.is_finite() {
        return Err(de::Error::custom(format!(
            "a price must be a non-negative number of USD per million tokens, got {v}"
        )));
    }
    Ok(Usd::from_f64(v))
}

fn opt_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<jiff::civil::Date>, D::Error> {
    // TOML local dates (effective_from = 2026-01-01) and strings are both accepted.
    let v = toml::Value::deserialize(d)?;
    let text = match &v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(dt) => dt.to_string(),
        other => {
            return Err(de::Error::custom(format!(
                "expected a date like \"2026-01-01\", got {}",
                other.type_str()
            )));
        }
    };
    text.parse::<jiff::civil::Date>()
        .map(Some)
        .map_err(|_| de::Error::custom(format!("expected a date like \"2026-01-01\", got \"{text}\"")))
}
