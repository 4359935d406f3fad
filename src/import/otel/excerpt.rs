//! Excerpts of rejected OTel lines and spans that cannot carry prompt text.
//!
//! Instrumentations put prompts and completions in attributes and events under many names
//! (`gen_ai.prompt.0.content`, `gen_ai.input.messages`, `llm.prompts`, …), always as
//! `{"key": NAME, "value": {"stringValue": TEXT}}`, so the store's key-based scrubber cannot
//! see them. Here every attribute value is dropped except those of the attributes this
//! importer reads (ids, model, provider, token counts, attribution).

use super::attrs::Attrs;
use crate::import::record::excerpt;
use crate::import::scrub::{string_end, value_end};
use serde_json::Value;

/// Attributes whose values an excerpt keeps, besides every `gen_ai.usage.*`.
const KEPT: &[&str] = &[
    "gen_ai.provider.name",
    "gen_ai.system",
    "gen_ai.operation.name",
    "gen_ai.request.model",
    "gen_ai.response.model",
    "gen_ai.response.id",
    "gen_ai.conversation.id",
    "gen_ai.agent.name",
    "gen_ai.agent.id",
    "service.name",
    "deployment.environment.name",
    "deployment.environment",
    "app.team",
    "app.template",
    "app.template_version",
];

fn kept(key: &str) -> bool {
    key.starts_with("gen_ai.usage.") || KEPT.contains(&key)
}

/// The fields of an OTLP `AnyValue` that can hold text.
const TEXT_FIELDS: [&str; 4] = ["stringValue", "arrayValue", "kvlistValue", "bytesValue"];

/// The first 200 bytes of a line that could not be read as spans (cut-off JSON, a wrong
/// type), with every attribute value dropped that is not one of [`KEPT`].
pub fn line(text: &str) -> String {
    // Dropping shortens the text: look at more than is kept.
    let mut end = text.len().min(16 * 1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    excerpt(drop_values(&text[..end]).as_bytes(), 200)
}

/// A rejected span: its id, its name and the attributes this importer reads, counts and model
/// first (what a reject is usually about), as `key=value` texts (attribute names as JSON keys would
/// lose their values to the store's scrubber, which drops keys named like `input_tokens`).
pub fn span(span: &Value, attrs: &Attrs) -> String {
    let mut text = String::from("{");
    for k in ["spanId", "name"] {
        if let Some(v) = span.get(k).filter(|v| v.is_string()) {
            text.push_str(&format!("\"{k}\":{v},"));
        }
    }
    // Counts, then the model, then the rest.
    let rank = |k: &str| match k {
        _ if k.starts_with("gen_ai.usage.") => 0,
        "gen_ai.response.model" | "gen_ai.request.model" => 1,
        _ => 2,
    };
    let mut shown: Vec<(&str, &Value)> = attrs.iter().filter(|(k, _)| kept(k)).collect();
    shown.sort_by_key(|(k, _)| rank(k));
    let shown: Vec<Value> = shown
        .into_iter()
        .map(|(k, v)| {
            let scalar = match v {
                Value::Object(o) => o.values().find(|x| !x.is_object() && !x.is_array()),
                other => Some(other),
            };
            let text = match scalar {
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
                None => "…".into(),
            };
            Value::String(format!("{k}={text}"))
        })
        .collect();
    text.push_str(&format!("\"attributes\":{}}}", Value::Array(shown)));
    excerpt(text.as_bytes(), 200)
}

/// `{"key":"K","value":{"stringValue":"…"}}` → `"[dropped]"` for the value unless `K` is kept;
/// a value not directly preceded by its key (another order, a value inside a list) is always
/// dropped. A value cut off by the end of the text is dropped to the end.
fn drop_values(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let (mut i, mut copied) = (0, 0);
    // The last `"key":"K"` seen: K and where its string ends.
    let mut last_key: Option<(&str, usize)> = None;
    while i < b.len() {
        if b[i] != b'"' {
            i += 1;
            continue;
        }
        let end = string_end(b, i);
        let name = &s[i + 1..end.min(b.len())];
        let colon = skip_ws(b, end + 1);
        if colon >= b.len() || b[colon] != b':' {
            i = end + 1;
            continue;
        }
        let value_at = skip_ws(b, colon + 1);
        if name == "key" && value_at < b.len() && b[value_at] == b'"' {
            let key_end = string_end(b, value_at);
            last_key = Some((&s[value_at + 1..key_end.min(b.len())], key_end + 1));
            i = key_end + 1;
            continue;
        }
        if TEXT_FIELDS.contains(&name) {
            let keep = last_key.is_some_and(|(k, after)| kept(k) && compact(&s[after.min(i)..i]) == ",\"value\":{");
            if !keep {
                out.push_str(&s[copied..value_at]);
                out.push_str("\"[dropped]\"");
                copied = value_end(b, value_at);
                i = copied;
                continue;
            }
        }
        i = end + 1;
    }
    if copied < s.len() {
        out.push_str(&s[copied..]);
    }
    out
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn prompt_attributes_and_events_are_dropped() {
        let text = r#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o"}},{"key":"gen_ai.prompt.0.content","value":{"stringValue":"SECRET plan, \"quoted\""}},{"value":{"stringValue":"REVERSED"},"key":"gen_ai.system"},{"key":"gen_ai.input.messages","value":{"arrayValue":{"values":[{"stringValue":"LISTED"}]}}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"-5"}}],"events":[{"name":"gen_ai.content.prompt","attributes":[{"key":"gen_ai.prompt","value":{"stringValue":"EVENT text"#;
        let out = drop_values(text);
        for leak in ["SECRET", "REVERSED", "LISTED", "EVENT"] {
            assert!(!out.contains(leak), "{leak} in {out}");
        }
        assert!(
            out.contains(r#"{"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o"}}"#),
            "{out}"
        );
        assert!(
            out.contains(r#"{"key":"gen_ai.prompt.0.content","value":{"stringValue":"[dropped]"}}"#),
            "{out}"
        );
        assert!(
            out.contains(r#"{"key":"gen_ai.usage.input_tokens","value":{"intValue":"-5"}}"#),
            "{out}"
        );
        assert!(out.ends_with(r#""value":{"stringValue":"[dropped]""#), "{out}");
    }

    #[test]
    fn a_rejected_span_shows_its_counts_first() {
        let s = json!({"spanId": "a1b2", "name": "chat gpt-4o", "attributes": [
            {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-4o"}},
            {"key": "gen_ai.input.messages", "value": {"stringValue": "SECRET"}},
            {"key": "gen_ai.usage.input_tokens", "value": {"intValue": "abc"}},
        ]});
        let a = Attrs::of(Some(&s));
        assert_eq!(
            span(&s, &a),
            r#"{"spanId":"a1b2","name":"chat gpt-4o","attributes":["gen_ai.usage.input_tokens=abc","gen_ai.request.model=gpt-4o"]}"#
        );
    }
}
