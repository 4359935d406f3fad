//! Dedupe keys of records whose source gives none, and tags as stored JSON.

use super::fields;
use super::record::UsageRecord;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Tags as a JSON object (sorted keys), written without building a `Value`.
pub(super) fn tags_json(tags: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(16 + tags.len() * 24);
    out.push('{');
    for (i, (k, v)) in tags.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_string(&mut out, k);
        out.push(':');
        json_string(&mut out, v);
    }
    out.push('}');
    out
}

fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The dedupe key of a record whose source gives none: a hash of the normalised record.
///
/// The encoding is written out here (not `{:?}` of Rust types, whose format may change with
/// the compiler) and pinned by a test. It produces the same bytes as the Debug format of the
/// first releases for every ordinary value, so their stores keep their keys: fields are
/// joined by U+001F; an optional text is `None` or `Some("…")`; tags are `{"k": "v", …}`;
/// text is quoted with `\"`, `\\`, `\t`, `\r`, `\n` and `\u{…}` for other control
/// characters escaped.
pub(super) fn hash_key(source: &str, r: &UsageRecord) -> String {
    let text = key_text(source, r);
    format!("h:{}", fields::hex(&Sha256::digest(text.as_bytes())[..16]))
}

fn key_text(source: &str, r: &UsageRecord) -> String {
    use std::fmt::Write;
    let t = &r.tokens;
    let mut text = String::with_capacity(256);
    let _ = write!(
        text,
        "{source}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{} {} {} {} {} {}",
        r.timestamp_ms,
        r.provider.as_deref().unwrap_or(""),
        r.model,
        r.tier,
        t.uncached_input,
        t.cache_read,
        t.cache_write_5m,
        t.cache_write_1h,
        t.output,
        r.requests,
    );
    for field in [
        &r.team,
        &r.template,
        &r.template_version,
        &r.api_key_id,
        &r.project,
        &r.user,
    ] {
        text.push('\u{1f}');
        match field {
            None => text.push_str("None"),
            Some(v) => {
                text.push_str("Some(");
                quoted(&mut text, v);
                text.push(')');
            }
        }
    }
    text.push('\u{1f}');
    text.push('{');
    for (i, (k, v)) in r.tags.iter().enumerate() {
        if i > 0 {
            text.push_str(", ");
        }
        quoted(&mut text, k);
        text.push_str(": ");
        quoted(&mut text, v);
    }
    text.push('}');
    text
}

/// Text in double quotes for [`hash_key`].
fn quoted(out: &mut String, s: &str) {
    use std::fmt::Write;
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::Tokens;

    #[test]
    fn tags_are_json() {
        let mut t = BTreeMap::new();
        t.insert("b".to_string(), "say \"hi\"\\\n".to_string());
        t.insert("a".to_string(), "1".to_string());
        let text = tags_json(&t);
        let back: BTreeMap<String, String> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, t);
        assert_eq!(text, r#"{"a":"1","b":"say \"hi\"\\\u000a"}"#);
    }

    fn sample() -> UsageRecord {
        let mut rec = UsageRecord {
            timestamp_ms: 1_791_278_043_512,
            provider: Some("openai".into()),
            model: "gpt-4o".into(),
            tier: "standard".into(),
            tokens: Tokens {
                uncached_input: 1200,
                cache_read: 800,
                output: 300,
                ..Tokens::default()
            },
            requests: 1,
            team: Some("support".into()),
            template: Some("say \"hi\"\\\n".into()),
            project: Some("proj_1".into()),
            ..UsageRecord::default()
        };
        rec.tags.insert("env".into(), "prod".into());
        rec.tags.insert("feature".into(), "search\tbeta".into());
        rec
    }

    #[test]
    fn dedupe_keys_are_pinned() {
        // Computed by the first releases (which hashed `{:?}` output) for the same record:
        // a store they made must get the same keys from this version.
        assert_eq!(hash_key("envelope", &sample()), "h:bb6cc2a82df8210e99589964608dc767");
        let mut other = sample();
        other.tags.clear();
        other.team = None;
        assert_eq!(hash_key("csv", &other), "h:3f19307165191eb14ae3d9167e273bb1");
    }
}
