//! What may enter the store (DESIGN §12 "Privacy"): no raw secret and no prompt text, in any
//! column and in reject excerpts.
//!
//! - metadata and tags drop keys named like prompt text or credentials, and values longer
//!   than [`MAX_VALUE`] characters;
//! - any value that looks like a secret ([`super::fields::looks_like_secret`]: `sk-…`,
//!   `Bearer …`, `AKIA…`, `xox…`, long high-entropy strings) is replaced by `sha256:` and 32
//!   hex digits, in every column;
//! - a rejected line's excerpt and reason are scrubbed the same way before they are stored.

use super::fields::{self, hashed};
use super::record::UsageRecord;
use std::borrow::Cow;

/// The longest metadata or tag value kept.
pub const MAX_VALUE: usize = 200;

/// Key fragments that name prompt text or credentials.
const SENSITIVE: &[&str] = &[
    "prompt",
    "message",
    "content",
    "input",
    "output",
    "completion",
    "authorization",
    "apikey",
    "secret",
    "token",
    "password",
    "passwd",
    "credential",
    "cookie",
];

/// Also dropped from excerpts: keys whose values are prompt text in provider bodies.
const EXCERPT_ONLY: &[&str] = &["system", "instructions", "text", "query", "contents", "parts"];

fn normalised(key: &str) -> String {
    key.chars()
        .filter(|c| !matches!(c, '_' | '-' | '.' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// True for a metadata or tag key that is dropped (`prompt`, `api_key`, `Authorization`, …).
/// Logs repeat the same few keys on every line: decisions are remembered per thread.
pub fn sensitive_key(key: &str) -> bool {
    thread_local! {
        static SEEN: std::cell::RefCell<std::collections::HashMap<Box<str>, bool>> = Default::default();
    }
    SEEN.with(|seen| {
        if let Some(v) = seen.borrow().get(key) {
            return *v;
        }
        let k = normalised(key);
        let v = SENSITIVE.iter().any(|s| k.contains(s));
        let mut seen = seen.borrow_mut();
        if seen.len() >= 4096 {
            seen.clear();
        }
        seen.insert(key.into(), v);
        v
    })
}

fn excerpt_key(key: &str) -> bool {
    sensitive_key(key) || EXCERPT_ONLY.contains(&normalised(key).as_str())
}

/// A value as it may be stored: a secret hashed, anything else as it is.
pub fn value(v: &str) -> Cow<'_, str> {
    if fields::looks_like_secret(v) {
        Cow::Owned(hashed(v))
    } else {
        Cow::Borrowed(v)
    }
}

fn scrub_opt(v: &mut Option<String>) -> bool {
    if let Some(s) = v {
        if fields::looks_like_secret(s) {
            *s = hashed(s);
            return true;
        }
    }
    false
}

/// Scrubs a record's text columns and tags in place; returns how many values were dropped
/// or hashed.
pub fn record(rec: &mut UsageRecord) -> u32 {
    let mut n = 0;
    for v in [
        &mut rec.team,
        &mut rec.template,
        &mut rec.template_version,
        &mut rec.project,
        &mut rec.user,
        &mut rec.session,
        &mut rec.api_key_id,
        &mut rec.provider,
    ] {
        n += scrub_opt(v) as u32;
    }
    if fields::looks_like_secret(&rec.model) {
        rec.model = hashed(&rec.model);
        n += 1;
    }
    if fields::looks_like_secret(&rec.tier) {
        rec.tier = hashed(&rec.tier);
        n += 1;
    }
    let keep = |k: &str, v: &str| {
        !sensitive_key(k)
            && v.chars().count() <= MAX_VALUE
            && k.chars().count() <= MAX_VALUE
            && !fields::looks_like_secret(k)
            && !fields::looks_like_secret(v)
    };
    // Most records' tags are harmless: they are rebuilt only when one is not.
    if !rec.tags.iter().all(|(k, v)| keep(k, v)) {
        let before = rec.tags.len();
        let tags = std::mem::take(&mut rec.tags);
        for (k, v) in tags {
            if sensitive_key(&k) || v.chars().count() > MAX_VALUE || k.chars().count() > MAX_VALUE {
                continue;
            }
            let (k2, v2) = (value(&k).into_owned(), value(&v).into_owned());
            n += (k2 != k || v2 != v) as u32;
            rec.tags.insert(k2, v2);
        }
        n += (before - rec.tags.len()) as u32;
    }
    n
}

/// Free text (a reject's excerpt or reason) with the values of sensitive JSON keys dropped and
/// secret-looking words hashed.
pub fn text(s: &str) -> String {
    hash_words(&drop_sensitive_values(s))
}

/// `"prompt": "…"` → `"prompt": "[dropped]"`; an object or array value likewise, also when
/// the excerpt ends inside it.
fn drop_sensitive_values(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        if b[i] != b'"' {
            i += 1;
            continue;
        }
        // A string: is it a key followed by `:`?
        let end = string_end(b, i);
        let key = &s[i + 1..end.min(b.len()).max(i + 1)];
        let mut j = end + 1;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        if j < b.len() && b[j] == b':' && excerpt_key(key) {
            j += 1;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            let value_end = value_end(b, j);
            out.push_str(&s[copied..j]);
            out.push_str("\"[dropped]\"");
            copied = value_end;
            i = value_end;
            continue;
        }
        i = end + 1;
    }
    if copied < s.len() {
        out.push_str(&s[copied..]);
    }
    out
}

/// The index of the closing quote of the string opening at `start` (or the text's length).
pub(super) fn string_end(b: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    b.len()
}

/// The end (exclusive) of the JSON value starting at `start`, or the text's length when the
/// excerpt ends inside it.
pub(super) fn value_end(b: &[u8], start: usize) -> usize {
    if start >= b.len() {
        return b.len();
    }
    match b[start] {
        b'"' => (string_end(b, start) + 1).min(b.len()),
        b'{' | b'[' => {
            let mut depth = 0i32;
            let mut i = start;
            while i < b.len() {
                match b[i] {
                    b'"' => i = string_end(b, i),
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return i + 1;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            b.len()
        }
        _ => {
            let mut i = start;
            while i < b.len() && !matches!(b[i], b',' | b'}' | b']') {
                i += 1;
            }
            i
        }
    }
}

fn word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '/' | '=' | '.' | '~')
}

/// A source's own dedupe key with any word that has a key prefix hashed. Request ids are
/// long random words themselves, so only prefixes count here: keys of stores made before
/// stay the same.
pub fn key(k: &str) -> Cow<'_, str> {
    if k.split(|c: char| !word_char(c)).any(fields::has_secret_prefix) {
        Cow::Owned(replace_words(k, |w, _| fields::has_secret_prefix(w).then(|| hashed(w))))
    } else {
        Cow::Borrowed(k)
    }
}

/// Every word (a run of key-like characters) that looks like a secret, hashed.
fn hash_words(s: &str) -> String {
    replace_words(s, |w, after_bearer| {
        let secret = fields::looks_like_secret(w) || (after_bearer && w.len() >= 16);
        secret.then(|| hashed(w))
    })
}

/// Rewrites the words of `s`; `replace` is also told whether the word follows `Bearer `.
fn replace_words(s: &str, replace: impl Fn(&str, bool) -> Option<String>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut word = String::new();
    let mut after_bearer = false;
    let mut flush = |word: &mut String, out: &mut String| {
        if !word.is_empty() {
            match replace(word, after_bearer) {
                Some(r) => out.push_str(&r),
                None => out.push_str(word),
            }
            after_bearer = word.eq_ignore_ascii_case("bearer");
            word.clear();
        }
    };
    for c in s.chars() {
        if word_char(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_named_like_prompts_or_credentials_are_sensitive() {
        for k in [
            "prompt",
            "user_prompt",
            "messages",
            "Authorization",
            "api_key",
            "apiKey",
            "X-Api-Key",
            "access_token",
            "password",
            "output_text",
        ] {
            assert!(sensitive_key(k), "{k}");
        }
        for k in ["team", "feature", "env", "customer", "region"] {
            assert!(!sensitive_key(k), "{k}");
        }
    }

    #[test]
    fn records_keep_short_harmless_tags_and_hash_secrets() {
        let mut rec = UsageRecord {
            project: Some("Bearer sk-proj-abcdefghijklmnop1234".into()),
            team: Some("support".into()),
            ..UsageRecord::default()
        };
        rec.tags.insert("feature".into(), "search".into());
        rec.tags.insert("prompt".into(), "Tell me a secret".into());
        rec.tags.insert("note".into(), "x".repeat(201));
        rec.tags.insert("auth".into(), "xoxb-1234567890-abcdefghij".into());
        let n = record(&mut rec);
        assert_eq!(n, 4);
        assert_eq!(rec.team.as_deref(), Some("support"));
        assert_eq!(
            rec.project.as_deref(),
            Some(hashed("Bearer sk-proj-abcdefghijklmnop1234").as_str())
        );
        assert_eq!(rec.tags.len(), 2);
        assert_eq!(rec.tags["feature"], "search");
        assert!(rec.tags["auth"].starts_with("sha256:") && rec.tags["auth"].len() == 39);
    }

    #[test]
    fn source_keys_keep_request_ids_and_lose_secrets() {
        for id in [
            "chatcmpl-CBi2Lo4Km6Jn8Hb0Gv2Fc4Dx6Sz8",
            "msg_01QmA1Kt4Wz7Pc0Vb3Nx6Gy9:req_011CX1aB3cD5eF7gH9iJ",
        ] {
            assert_eq!(key(id), id);
        }
        let k = "openai-usage:1788220800:proj_1:sk-proj-abcdefghijklmnop1234:gpt-4o";
        assert_eq!(
            key(k),
            format!(
                "openai-usage:1788220800:proj_1:{}:gpt-4o",
                hashed("sk-proj-abcdefghijklmnop1234")
            )
        );
    }

    #[test]
    fn excerpts_lose_prompt_text_and_secrets() {
        let line = r#"{"request_id":"r1","metadata":{"prompt":"PLANTED text, \"quoted\"","team":"a"},"request":{"messages":[{"role":"user","content":"hi ]"}]},"auth":"Bearer sk-ant-api03-abcdefghijklmnopqrstu"#;
        let out = text(line);
        assert!(
            !out.contains("PLANTED") && !out.contains("hi ]") && !out.contains("sk-ant"),
            "{out}"
        );
        assert!(out.contains(r#""prompt":"[dropped]","team":"a""#), "{out}");
        assert!(out.contains(r#""messages":"[dropped]"}"#), "{out}");
        assert!(out.contains("Bearer sha256:"), "{out}");
        // A bearer token of any shape, in free text.
        assert!(text("auth failed for Bearer abcdEFGH12345678").starts_with("auth failed for Bearer sha256:"));
        // Cut inside a prompt value: dropped to the end.
        assert_eq!(text(r#"{"input":"Summarise the contra"#), r#"{"input":"[dropped]""#);
    }
}
