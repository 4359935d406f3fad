//! OTLP attributes (`[{key, value: {stringValue | intValue | doubleValue | boolValue |
//! arrayValue | kvlistValue | bytesValue}}]`) and the GenAI token counts read from them.

use crate::import::lenient::{self, check_u64};
use crate::import::record::Tokens;
use serde_json::Value;

/// Input tokens: the current name, then the older one.
pub const INPUT: [&str; 2] = ["gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens"];
/// Output tokens (reasoning inside): the current name, then the older one.
pub const OUTPUT: [&str; 2] = ["gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens"];
/// Cache reads: the semantic conventions' name, then the flat one of some instrumentations.
pub const CACHE_READ: [&str; 2] = [
    "gen_ai.usage.cache_read.input_tokens",
    "gen_ai.usage.cache_read_input_tokens",
];
/// Cache writes (priced as 5-minute writes): likewise.
pub const CACHE_WRITE: [&str; 2] = [
    "gen_ai.usage.cache_creation.input_tokens",
    "gen_ai.usage.cache_creation_input_tokens",
];
pub const REASONING: [&str; 1] = ["gen_ai.usage.reasoning.output_tokens"];

/// Every token attribute this importer reads: a span holding any of them is a provider call.
pub fn token_keys() -> impl Iterator<Item = &'static str> {
    INPUT
        .into_iter()
        .chain(OUTPUT)
        .chain(CACHE_READ)
        .chain(CACHE_WRITE)
        .chain(REASONING)
}

/// A span's or a resource's attributes: each key with its `value` object, in order.
#[derive(Default)]
pub struct Attrs<'v>(Vec<(&'v str, &'v Value)>);

impl<'v> Attrs<'v> {
    /// The attributes of an object holding an `attributes` list; anything else has none
    /// (a list of another shape is a repair, not a reject: attributes are optional).
    pub fn of(holder: Option<&'v Value>) -> Attrs<'v> {
        let list = match holder.and_then(|h| h.get("attributes")) {
            None | Some(Value::Null) => return Attrs::default(),
            Some(Value::Array(list)) => list,
            Some(_) => {
                lenient::repaired();
                return Attrs::default();
            }
        };
        let mut out = Vec::with_capacity(list.len());
        for kv in list {
            match (kv.get("key").and_then(Value::as_str), kv.get("value")) {
                (Some(k), Some(v)) => out.push((k, v)),
                (Some(_), None) => {}
                _ => lenient::repaired(),
            }
        }
        Attrs(out)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'v str, &'v Value)> + '_ {
        self.0.iter().copied()
    }

    /// The value object of `key` (the first, should a key repeat).
    pub fn get(&self, key: &str) -> Option<&'v Value> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }

    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some_and(|v| one_of(v).is_some())
    }

    /// A scalar value as text (a string trimmed, an integer's digits, a double or a boolean
    /// printed); empty strings, lists and maps are none.
    pub fn text(&self, key: &str) -> Option<String> {
        let (kind, v) = one_of(self.get(key)?)?;
        match (kind, v) {
            ("stringValue" | "intValue", Value::String(s)) => {
                Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_string)
            }
            ("intValue" | "doubleValue", Value::Number(n)) => Some(n.to_string()),
            ("boolValue", Value::Bool(b)) => Some(b.to_string()),
            _ => None,
        }
    }

    /// A number (a double, an integer, or a string holding one): `gen_ai.usage.cost`.
    pub fn number(&self, key: &str) -> Option<f64> {
        let (_, v) = one_of(self.get(key)?)?;
        match v {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// A token count; `None` when the attribute is absent or empty. The reason names the key.
    pub fn count(&self, key: &str) -> Result<Option<u64>, String> {
        let Some((kind, v)) = self.get(key).and_then(one_of) else {
            return Ok(None);
        };
        let r = match (kind, v) {
            // int64 travels as a JSON string of digits.
            ("intValue", Value::String(s)) => int_text(s),
            ("intValue" | "doubleValue", Value::Number(_)) => {
                return lenient::count_value(v, key);
            }
            // A count written as text by a hand-rolled exporter: read, counted as a repair.
            ("stringValue", Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
                lenient::repaired();
                int_text(s)
            }
            (kind, Value::String(s)) => Err(format!(
                "{kind} {:?} is not a token count",
                crate::import::fields::truncate(s, 20)
            )),
            (kind, other) => Err(format!(
                "{kind} is {}, not a token count",
                crate::import::fields::kind(other)
            )),
        };
        r.map(Some).map_err(|e| format!("`{key}`: {e}"))
    }

    /// The count of the first of `keys` present (a bad value of it is the reason).
    pub fn first_count(&self, keys: &[&str]) -> Result<Option<u64>, String> {
        match keys.iter().find(|k| self.has(k)) {
            Some(k) => self.count(k),
            None => Ok(None),
        }
    }
}

/// The one field an OTLP `AnyValue` holds, with its JSON value; a bare JSON scalar (not
/// OTLP, but written by hand-rolled exporters) is read as the matching kind.
fn one_of(v: &Value) -> Option<(&'static str, &Value)> {
    const KINDS: [&str; 7] = [
        "stringValue",
        "intValue",
        "doubleValue",
        "boolValue",
        "arrayValue",
        "kvlistValue",
        "bytesValue",
    ];
    match v {
        Value::Object(o) => KINDS
            .iter()
            .find_map(|k| o.get(*k).filter(|x| !x.is_null()).map(|x| (*k, x))),
        Value::String(_) => Some(("stringValue", v)),
        Value::Number(n) if n.is_f64() => Some(("doubleValue", v)),
        Value::Number(_) => Some(("intValue", v)),
        Value::Bool(_) => Some(("boolValue", v)),
        _ => None,
    }
}

/// An int64 written as text: digits, or a minus and digits.
fn int_text(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    if digits(t) {
        let n: u64 = t
            .parse()
            .map_err(|_| format!("{t} is above the 10^12 tokens one record can hold"))?;
        return check_u64(n);
    }
    match t.strip_prefix('-') {
        Some(rest) if digits(rest) && rest.bytes().all(|b| b == b'0') => Ok(0),
        Some(rest) if digits(rest) => Err(format!("{t} is negative")),
        _ => Err(format!(
            "intValue {:?} is not an integer",
            crate::import::fields::truncate(s, 20)
        )),
    }
}

/// A span's buckets and how its input count was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    pub tokens: Tokens,
    /// The input count was below cache reads + writes, so it was read as excluding them
    /// (Anthropic's own `input_tokens`, passed through by its instrumentations).
    pub exclusive: bool,
}

/// Canonical buckets (LOG-FORMATS §2, §20) of a span's token attributes; `None` when it has
/// none. The convention says input *includes* cache reads and writes; an input below their
/// sum can only be an exclusive count, and is read as one.
pub fn usage(a: &Attrs) -> Result<Option<Usage>, String> {
    let input = a.first_count(&INPUT)?;
    let output = a.first_count(&OUTPUT)?;
    let read = a.first_count(&CACHE_READ)?;
    let write = a.first_count(&CACHE_WRITE)?;
    let reasoning = a.first_count(&REASONING)?;
    if [input, output, read, write, reasoning].iter().all(Option::is_none) {
        return Ok(None);
    }
    let (input, read, write) = (input.unwrap_or(0), read.unwrap_or(0), write.unwrap_or(0));
    let (uncached_input, exclusive) = match input.checked_sub(read + write) {
        Some(rest) => (rest, false),
        None => (input, true),
    };
    let output = output.unwrap_or(0);
    let reasoning = reasoning.unwrap_or(0);
    if reasoning > output {
        return Err(format!(
            "`{}` ({reasoning}) is larger than the output it is part of ({output})",
            REASONING[0]
        ));
    }
    Ok(Some(Usage {
        tokens: Tokens {
            uncached_input,
            cache_read: read,
            cache_write_5m: write,
            cache_write_1h: 0,
            output,
            reasoning,
        },
        exclusive,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn span(attrs: Value) -> Value {
        json!({ "attributes": attrs })
    }

    fn int(key: &str, v: &str) -> Value {
        json!({"key": key, "value": {"intValue": v}})
    }

    fn read(attrs: Value) -> Result<Option<Usage>, String> {
        let s = span(attrs);
        usage(&Attrs::of(Some(&s)))
    }

    #[test]
    fn inclusive_input_loses_its_cached_part() {
        // Semantic conventions: input 5,200 includes the 4,096 read from the cache.
        let u = read(json!([
            int("gen_ai.usage.input_tokens", "5200"),
            int("gen_ai.usage.cache_read.input_tokens", "4096"),
            int("gen_ai.usage.output_tokens", "410"),
        ]))
        .unwrap()
        .unwrap();
        assert!(!u.exclusive);
        assert_eq!(
            u.tokens,
            Tokens {
                uncached_input: 1104,
                cache_read: 4096,
                output: 410,
                ..Tokens::default()
            }
        );
    }

    #[test]
    fn input_below_the_cache_is_anthropics_exclusive_count() {
        // 850 < 18,000 read + 3,000 written: Anthropic's own input_tokens, kept whole.
        let u = read(json!([
            int("gen_ai.usage.input_tokens", "850"),
            int("gen_ai.usage.cache_read_input_tokens", "18000"),
            int("gen_ai.usage.cache_creation_input_tokens", "3000"),
            int("gen_ai.usage.output_tokens", "520"),
        ]))
        .unwrap()
        .unwrap();
        assert!(u.exclusive);
        assert_eq!(
            (u.tokens.uncached_input, u.tokens.cache_read, u.tokens.cache_write_5m),
            (850, 18_000, 3_000)
        );
        // Exactly equal: inclusive, nothing uncached.
        let u = read(json!([
            int("gen_ai.usage.input_tokens", "21000"),
            int("gen_ai.usage.cache_read.input_tokens", "18000"),
            int("gen_ai.usage.cache_creation.input_tokens", "3000"),
        ]))
        .unwrap()
        .unwrap();
        assert_eq!((u.tokens.uncached_input, u.exclusive), (0, false));
    }

    #[test]
    fn older_names_and_value_kinds() {
        let u = read(json!([
            {"key": "gen_ai.usage.prompt_tokens", "value": {"intValue": 1200}},
            {"key": "gen_ai.usage.completion_tokens", "value": {"doubleValue": 300.0}},
            {"key": "gen_ai.usage.reasoning.output_tokens", "value": {"stringValue": "120"}},
        ]))
        .unwrap()
        .unwrap();
        assert_eq!(
            u.tokens,
            Tokens {
                uncached_input: 1200,
                output: 300,
                reasoning: 120,
                ..Tokens::default()
            }
        );
        // No token attribute at all: not a call.
        assert_eq!(
            read(json!([{"key": "gen_ai.operation.name", "value": {"stringValue": "execute_tool"}}])),
            Ok(None)
        );
    }

    #[test]
    fn bad_counts_name_the_attribute() {
        let bad = |v: Value| read(json!([{"key": "gen_ai.usage.input_tokens", "value": v}])).unwrap_err();
        assert_eq!(
            bad(json!({"intValue": "-5"})),
            "`gen_ai.usage.input_tokens`: -5 is negative"
        );
        assert_eq!(
            bad(json!({"intValue": "abc"})),
            "`gen_ai.usage.input_tokens`: intValue \"abc\" is not an integer"
        );
        assert_eq!(
            bad(json!({"intValue": "99999999999999999999"})),
            "`gen_ai.usage.input_tokens`: 99999999999999999999 is above the 10^12 tokens one record can hold"
        );
        assert_eq!(
            bad(json!({"doubleValue": 12.5})),
            "`gen_ai.usage.input_tokens`: 12.5 is fractional"
        );
        assert_eq!(
            bad(json!({"stringValue": "lots"})),
            "`gen_ai.usage.input_tokens`: stringValue \"lots\" is not a token count"
        );
        assert_eq!(
            bad(json!({"boolValue": true})),
            "`gen_ai.usage.input_tokens`: boolValue is a boolean, not a token count"
        );
        assert_eq!(
            read(json!([
                int("gen_ai.usage.output_tokens", "10"),
                int("gen_ai.usage.reasoning.output_tokens", "11"),
            ]))
            .unwrap_err(),
            "`gen_ai.usage.reasoning.output_tokens` (11) is larger than the output it is part of (10)"
        );
        // "-0" is zero, not a negative count.
        assert_eq!(int_text("-0"), Ok(0));
    }

    #[test]
    fn text_of_each_kind() {
        let s = span(json!([
            {"key": "s", "value": {"stringValue": " gpt-4o "}},
            {"key": "i", "value": {"intValue": "42"}},
            {"key": "d", "value": {"doubleValue": 0.25}},
            {"key": "b", "value": {"boolValue": false}},
            {"key": "a", "value": {"arrayValue": {"values": [{"stringValue": "x"}]}}},
            {"key": "e", "value": {"stringValue": ""}},
        ]));
        let a = Attrs::of(Some(&s));
        let texts: Vec<Option<String>> = ["s", "i", "d", "b", "a", "e", "missing"]
            .iter()
            .map(|k| a.text(k))
            .collect();
        assert_eq!(
            texts,
            [
                Some("gpt-4o".into()),
                Some("42".into()),
                Some("0.25".into()),
                Some("false".into()),
                None,
                None,
                None
            ]
        );
        assert_eq!(a.number("d"), Some(0.25));
    }
}
