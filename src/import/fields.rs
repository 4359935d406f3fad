//! Small readers shared by the importers: timestamps, JSON paths, attribution, secrets.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// Parses an RFC 3339 time (`Z` or an offset), or a naive `YYYY-MM-DD[T ]HH:MM:SS[.fff]`
/// taken as UTC, into Unix milliseconds.
pub fn parse_time(text: &str) -> Result<i64, String> {
    let t = text.trim();
    if let Ok(ts) = t.parse::<jiff::Timestamp>() {
        return Ok(ts.as_millisecond());
    }
    if let Ok(dt) = t.parse::<jiff::civil::DateTime>() {
        if let Ok(z) = dt.to_zoned(jiff::tz::TimeZone::UTC) {
            return Ok(z.timestamp().as_millisecond());
        }
    }
    if let Ok(d) = t.parse::<jiff::civil::Date>() {
        if let Ok(z) = d.to_zoned(jiff::tz::TimeZone::UTC) {
            return Ok(z.timestamp().as_millisecond());
        }
    }
    Err(format!("unparseable timestamp `{}`", truncate(t, 40)))
}

/// Unix seconds (integer or fractional) to milliseconds, refusing nonsense.
pub fn unix_seconds(v: f64) -> Result<i64, String> {
    if v.is_finite() && (0.0..1e11).contains(&v) {
        Ok((v * 1000.0).round() as i64)
    } else {
        Err(format!("timestamp {v} is not Unix seconds"))
    }
}

/// A timestamp given as a JSON string or a number of Unix seconds.
pub fn time_value(v: &Value) -> Result<i64, String> {
    match v {
        Value::String(s) => parse_time(s),
        Value::Number(n) => unix_seconds(n.as_f64().unwrap_or(f64::NAN)),
        other => Err(format!("timestamp is {}, not a time", kind(other))),
    }
}

pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max).collect::<String>())
    }
}

/// Follows a dotted path (`metadata.team`) into a JSON value.
pub fn path<'v>(root: &'v Value, dotted: &str) -> Option<&'v Value> {
    let mut cur = root;
    for part in dotted.split('.') {
        cur = cur.get(part)?;
    }
    Some(cur)
}

/// A JSON scalar as text (strings as they are, numbers and booleans printed); empty → None.
pub fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The first of `paths` that holds a value, looked up at the root and then inside the
/// provider body (`response.…`), as LOG-FORMATS §16 says.
pub fn first_path(root: &Value, paths: &[String]) -> Option<String> {
    paths.iter().find_map(|p| {
        path(root, p)
            .and_then(scalar)
            .or_else(|| root.get("response").and_then(|r| path(r, p)).and_then(scalar))
    })
}

/// A string field, empty treated as absent.
pub fn str_field(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(scalar)
}

/// String pairs of a JSON object (non-strings printed).
pub fn string_map(v: Option<&Value>) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    if let Some(Value::Object(m)) = v {
        for (k, val) in m {
            if let Some(s) = scalar(val) {
                out.insert(k.clone(), s);
            }
        }
    }
    out
}

/// True when a value looks like a raw API secret rather than an id or a hash: a known key
/// prefix (`sk-`, `AKIA`, `xoxb-`, …, also after `Bearer `), or a long high-entropy word.
pub fn looks_like_secret(value: &str) -> bool {
    has_secret_prefix(value) || high_entropy(value.trim())
}

/// A known key prefix (`sk-`, `AKIA`, `xoxb-`, …), or `Bearer` and a token: the test for
/// request ids, which are long random words themselves.
pub fn has_secret_prefix(value: &str) -> bool {
    let v = value.trim();
    // Every rule below needs 16 characters and starts with one of these letters: most
    // values (names, ids) leave here.
    if v.len() < 16
        || !matches!(
            v.as_bytes()[0],
            b's' | b'r' | b'p' | b'A' | b'x' | b'g' | b'h' | b'B' | b'b'
        )
    {
        return false;
    }
    let bearer = v.len() > 7 && v[..7].eq_ignore_ascii_case("bearer ");
    let v = if bearer { v[7..].trim_start() } else { v };
    const PREFIXES: &[&str] = &[
        "sk-",
        "sk_",
        "rk_",
        "pk_live_",
        "AKIA",
        "ASIA",
        "xoxa-",
        "xoxb-",
        "xoxp-",
        "xoxr-",
        "xoxs-",
        "xapp-",
        "AIza",
        "ghp_",
        "gho_",
        "ghs_",
        "ghu_",
        "github_pat_",
        "glpat-",
        "hf_",
        "gsk_",
        "pplx-",
        "r8_",
    ];
    if PREFIXES.iter().any(|p| v.starts_with(p)) && v.len() >= 16 {
        return true;
    }
    // `Bearer` and a token of any shape.
    bearer && v.len() >= 16 && !v.contains(char::is_whitespace)
}

/// A word of 32+ key characters mixing upper case, lower case and digits, with at least
/// 4 bits of entropy per character: random keys, not names, UUIDs or hex hashes.
fn high_entropy(v: &str) -> bool {
    if v.len() < 32 || v.len() > 512 {
        return false;
    }
    let key_chars = v
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'+' | b'/' | b'=' | b'.'));
    let classes = [
        v.bytes().any(|b| b.is_ascii_uppercase()),
        v.bytes().any(|b| b.is_ascii_lowercase()),
        v.bytes().any(|b| b.is_ascii_digit()),
    ];
    if !key_chars || classes.iter().any(|c| !c) {
        return false;
    }
    let mut counts = [0u32; 256];
    for b in v.bytes() {
        counts[b as usize] += 1;
    }
    let n = v.len() as f64;
    let entropy: f64 = counts
        .iter()
        .filter(|c| **c > 0)
        .map(|c| {
            let p = *c as f64 / n;
            -p * p.log2()
        })
        .sum();
    entropy >= 4.0
}

/// An API key as it may be stored: ids and hashes as given, secrets hashed (SHA-256, first
/// 16 bytes in hex), so a raw key never reaches the store.
pub fn api_key_id(value: &str) -> String {
    if looks_like_secret(value) {
        hashed(value)
    } else {
        value.to_string()
    }
}

/// `sha256:` and the first 16 bytes of the SHA-256 of the trimmed value, in hex: how every
/// secret is stored (API key ids, scrubbed columns, excerpts).
pub fn hashed(value: &str) -> String {
    format!("sha256:{}", hex(&Sha256::digest(value.trim().as_bytes())[..16]))
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (Howard Hinnant's
/// algorithm). Used for the store's `day` column without a time-zone library per row.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `YYYY-MM-DD` (UTC) of a Unix-millisecond instant.
pub fn day_of(ms: i64) -> String {
    let (y, m, d) = civil_from_days(ms.div_euclid(86_400_000));
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(parse_time("2026-10-06T09:14:03.512Z"), Ok(1_791_278_043_512));
        assert_eq!(parse_time("2026-10-06 09:14:03.512"), Ok(1_791_278_043_512));
        assert_eq!(parse_time("2026-10-06T11:14:03.512+02:00"), Ok(1_791_278_043_512));
        assert!(parse_time("yesterday").is_err());
        assert_eq!(day_of(1_791_278_043_512), "2026-10-06");
        assert_eq!(day_of(0), "1970-01-01");
        assert_eq!(day_of(951_782_400_000), "2000-02-29");
    }

    #[test]
    fn secrets_are_hashed_ids_are_not() {
        assert_eq!(api_key_id("key_support_prod"), "key_support_prod");
        let h = api_key_id("sk-proj-abcdefghijklmnopqrstuvwxyz");
        assert!(
            h.starts_with("sha256:") && h.len() == 39 && !h.contains("abcdef"),
            "{h}"
        );
        // A LiteLLM hash is stored as given.
        let hash = "5e8f0c2a".repeat(8);
        assert_eq!(api_key_id(&hash), hash);
        // Names, UUIDs and hex digests are not secrets; random keys and bearer tokens are.
        for plain in [
            "support/answer",
            "2b7e1c4a-9f3d-4e2b-8a1c-5d6e7f809a1b",
            "Bearer",
            "claude-sonnet-4-5-20250929",
        ] {
            assert!(!looks_like_secret(plain), "{plain}");
        }
        for secret in [
            "Bearer abcdefghijklmnopqrst",
            "xoxb-1234567890-abcdef",
            "Q2hhbmdlTWUxMjM0NTY3ODlBQkNERUZHSElK",
        ] {
            assert!(looks_like_secret(secret), "{secret}");
        }
    }

    #[test]
    fn paths() {
        let v: Value = serde_json::json!({"metadata":{"team":"a"},"response":{"prompt":{"id":"p1","version":7}}});
        assert_eq!(first_path(&v, &["metadata.team".into()]), Some("a".into()));
        assert_eq!(first_path(&v, &["x".into(), "prompt.version".into()]), Some("7".into()));
    }
}
