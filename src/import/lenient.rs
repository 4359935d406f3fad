//! Field readers that keep a line whose usage is valid when an optional field has an
//! unexpected type (DESIGN §12 "Input"), and token counts that refuse what cannot be a count.
//!
//! Used as `#[serde(deserialize_with = …)]` on the importers' typed structs. A repair (a
//! number where text was expected, an object where a string was expected) is counted on this
//! thread, and the importer's line reader turns the count into the file summary's `repaired`.
//! A count that is negative, fractional or above [`MAX_TOKENS`] fails the line; the reject
//! reason then names the field (see [`reason`]).

use serde::de::{self, Deserializer, IgnoredAny, Visitor};
use std::borrow::Cow;
use std::cell::Cell;

/// The most tokens one record may carry in one bucket: far above any real call (the largest
/// context windows are ~10^7), far below what would overflow a sum of a billion records.
pub const MAX_TOKENS: u64 = 1_000_000_000_000;

thread_local! {
    static REPAIRS: Cell<u32> = const { Cell::new(0) };
}

pub(crate) fn repaired() {
    REPAIRS.with(|r| r.set(r.get() + 1));
}

/// Reads past a list where a scalar was expected (a repair).
fn ignore_seq<'de, A: de::SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    repaired();
    Ok(())
}

/// Reads past an object where a scalar was expected (a repair).
fn ignore_map<'de, A: de::MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    repaired();
    Ok(())
}

/// Repairs made on this thread since the last call (and resets the count).
pub fn take_repairs() -> u32 {
    REPAIRS.with(|r| r.replace(0))
}

/// Checks a count read as a JSON number.
pub fn check_u64(n: u64) -> Result<u64, String> {
    if n > MAX_TOKENS {
        Err(format!("{n} is above the 10^12 tokens one record can hold"))
    } else {
        Ok(n)
    }
}

pub fn check_f64(v: f64) -> Result<u64, String> {
    if !v.is_finite() {
        Err(format!("{v} is not a token count"))
    } else if v < 0.0 {
        Err(format!("{v} is negative"))
    } else if v.fract() != 0.0 {
        Err(format!("{v} is fractional"))
    } else if v > MAX_TOKENS as f64 {
        Err(format!("{v} is above the 10^12 tokens one record can hold"))
    } else {
        Ok(v as u64)
    }
}

/// A token count of a JSON value (null → `None`), for importers that read `Value`s.
pub fn count_value(v: &serde_json::Value, field: &str) -> Result<Option<u64>, String> {
    use serde_json::Value;
    let r = match v {
        Value::Null => return Ok(None),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => check_u64(u),
            (None, Some(i), _) => Err(format!("{i} is negative")),
            (_, _, Some(f)) => check_f64(f),
            _ => Err(format!("{n} is not a token count")),
        },
        other => Err(format!("{} is not a token count", super::fields::kind(other))),
    };
    r.map(Some).map_err(|e| format!("`{field}`: {e}"))
}

struct CountVisitor;

impl<'de> Visitor<'de> for CountVisitor {
    type Value = Option<u64>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a token count")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        check_u64(v).map(Some).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        if v < 0 {
            Err(E::custom(format!("{v} is negative")))
        } else {
            check_u64(v as u64).map(Some).map_err(E::custom)
        }
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        check_f64(v).map(Some).map_err(E::custom)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(CountVisitor)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Err(E::custom(format!(
            "wrong type: a string ({:?}), not a token count",
            short(v)
        )))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Err(E::custom("wrong type: a boolean, not a token count"))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(de::Error::custom("wrong type: an array, not a token count"))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(de::Error::custom("wrong type: an object, not a token count"))
    }
}

fn short(s: &str) -> String {
    super::fields::truncate(s, 20)
}

/// `deserialize_with` for an optional token count.
pub fn count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    d.deserialize_any(CountVisitor)
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Option<Cow<'de, str>>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("text")
    }
    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(s)))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(s.to_string())))
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(s)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        repaired();
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        repaired();
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        repaired();
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        repaired();
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(TextVisitor)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        ignore_seq(seq).map(|()| None)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        ignore_map(map).map(|()| None)
    }
}

/// `deserialize_with` for optional borrowed text: a number or boolean becomes its text, an
/// object or array is ignored (each counted as a repair).
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, str>>, D::Error> {
    d.deserialize_any(TextVisitor)
}

/// `deserialize_with` for optional owned text, as [`text`].
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(TextVisitor).map(|t| t.map(Cow::into_owned))
}

struct StatusVisitor;

impl<'de> Visitor<'de> for StatusVisitor {
    type Value = Option<Cow<'de, str>>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a status")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        repaired();
        Ok(Some(Cow::Borrowed(if (200..300).contains(&v) {
            "ok"
        } else {
            "error"
        })))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.visit_u64(v.max(0) as u64)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.visit_u64(if v.is_finite() && v >= 0.0 { v as u64 } else { 0 })
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        repaired();
        Ok(Some(Cow::Borrowed(if v { "ok" } else { "error" })))
    }
    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
        TextVisitor.visit_borrowed_str(s)
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        TextVisitor.visit_str(s)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        TextVisitor.visit_seq(seq)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        TextVisitor.visit_map(map)
    }
}

/// `deserialize_with` for a request status: text as logged, an HTTP code as `ok` (2xx) or
/// `error`, a boolean as `ok`/`error`.
pub fn status<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, str>>, D::Error> {
    d.deserialize_any(StatusVisitor)
}

struct CostVisitor;

impl<'de> Visitor<'de> for CostVisitor {
    type Value = Option<f64>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a cost")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        repaired();
        Ok(s.trim().parse::<f64>().ok())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        repaired();
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        ignore_seq(seq).map(|()| None)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        ignore_map(map).map(|()| None)
    }
}

/// `deserialize_with` for a cost the log states (kept for comparison only): a number, or a
/// number written as a string; anything else is ignored.
pub fn cost<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    d.deserialize_any(CostVisitor)
}

/// A reject reason for a line that serde could not read into `T`: "invalid JSON" only for
/// text that is not JSON; a value of the wrong type or a bad count names its field.
pub fn reason<'de, T: serde::Deserialize<'de>>(line: &'de str, e: &serde_json::Error) -> String {
    if e.classify() != serde_json::error::Category::Data {
        return super::source::json_reason(e);
    }
    let mut de = serde_json::Deserializer::from_str(line);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            let msg = inner.to_string();
            // serde_json appends " at line 1 column N": the field name says where.
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            let msg = msg.strip_prefix("wrong type: ").map_or(msg.clone(), str::to_string);
            if path.is_empty() || path == "." {
                format!("wrong type: {msg}")
            } else if msg.starts_with("invalid type") {
                // "invalid type: string \"x\", expected struct RawUsage": no internal names.
                let msg = msg.trim_start_matches("invalid type: ");
                let msg = match msg.find(", expected struct ") {
                    Some(i) => format!("{}, expected an object", &msg[..i]),
                    None => msg.to_string(),
                };
                format!("wrong type for field `{path}`: {msg}")
            } else {
                format!("`{path}`: {msg}")
            }
        }
        Ok(_) => format!("invalid JSON: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    struct Probe<'a> {
        #[serde(default, deserialize_with = "count")]
        n: Option<u64>,
        #[serde(default, borrow, deserialize_with = "text")]
        s: Option<Cow<'a, str>>,
        #[serde(default, borrow, deserialize_with = "status")]
        status: Option<Cow<'a, str>>,
        #[serde(default)]
        #[allow(dead_code)] // read for its errors
        inner: Option<Inner>,
    }

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)] // read for its errors
    struct Inner {
        #[serde(default, deserialize_with = "count")]
        k: Option<u64>,
    }

    /// (count, text, status, repairs)
    type Read = (Option<u64>, Option<String>, Option<String>, u32);

    fn read(line: &str) -> Result<Read, String> {
        take_repairs();
        match serde_json::from_str::<Probe>(line) {
            Ok(p) => Ok((
                p.n,
                p.s.map(|s| s.into_owned()),
                p.status.map(|s| s.into_owned()),
                take_repairs(),
            )),
            Err(e) => Err(reason::<Probe>(line, &e)),
        }
    }

    #[test]
    fn counts_refuse_what_is_not_a_count_and_name_the_field() {
        assert_eq!(read(r#"{"n":1000000000000}"#).unwrap().0, Some(MAX_TOKENS));
        assert_eq!(read(r#"{"n":1500.0}"#).unwrap().0, Some(1500));
        assert_eq!(read(r#"{"n":null}"#).unwrap().0, None);
        assert_eq!(
            read(r#"{"n":18446744073709551615}"#).unwrap_err(),
            "`n`: 18446744073709551615 is above the 10^12 tokens one record can hold"
        );
        assert_eq!(
            read(r#"{"n":1e15}"#).unwrap_err(),
            "`n`: 1000000000000000 is above the 10^12 tokens one record can hold"
        );
        assert_eq!(read(r#"{"n":-5}"#).unwrap_err(), "`n`: -5 is negative");
        assert_eq!(read(r#"{"n":10.5}"#).unwrap_err(), "`n`: 10.5 is fractional");
        assert_eq!(
            read(r#"{"inner":{"k":"12"}}"#).unwrap_err(),
            "`inner.k`: a string (\"12\"), not a token count"
        );
        assert_eq!(
            read(r#"{"inner":7}"#).unwrap_err(),
            "wrong type for field `inner`: integer `7`, expected an object"
        );
        assert!(read(r#"{"n":1"#).unwrap_err().starts_with("invalid JSON"));
    }

    #[test]
    fn text_and_status_are_repaired_not_rejected() {
        assert_eq!(read(r#"{"s":7}"#).unwrap(), (None, Some("7".into()), None, 1));
        assert_eq!(read(r#"{"s":{"a":1}}"#).unwrap(), (None, None, None, 1));
        assert_eq!(read(r#"{"s":"x"}"#).unwrap(), (None, Some("x".into()), None, 0));
        assert_eq!(read(r#"{"status":200}"#).unwrap().2.as_deref(), Some("ok"));
        assert_eq!(read(r#"{"status":503}"#).unwrap().2.as_deref(), Some("error"));
        assert_eq!(read(r#"{"status":true}"#).unwrap().2.as_deref(), Some("ok"));
        assert_eq!(
            read(r#"{"status":"error"}"#).unwrap(),
            (None, None, Some("error".into()), 0)
        );
    }
}
