//! `cost export --format jsonl`: one line per stored request, in the shape the `cost-export`
//! source reads back (`import::cost_export`). A line carries the dedupe key the request is
//! stored under, so importing it where the request already is adds nothing.

use super::Written;
use crate::error::{Error, Result};
use crate::import::cost_export::SCHEMA;
use crate::money::Usd;
use crate::store::Store;
use crate::store::export::StoredRequest;
use crate::store::query::Filter;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

#[derive(Serialize)]
struct Line<'a> {
    schema: &'static str,
    key: &'a str,
    timestamp: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    provider: &'a str,
    model: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    model_priced: Option<&'a str>,
    tier: &'a str,
    requests: i64,
    tokens: Buckets,
    #[serde(skip_serializing_if = "Option::is_none")]
    team: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    template: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    template_version: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    api_key_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    project: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    session_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    latency_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<BTreeMap<String, String>>,
    /// What this store priced it at (`null`: unpriced). Informational: an import prices again.
    cost_usd: Option<Usd>,
    unpriced: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    reported_cost_usd: Option<Usd>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    flags: Vec<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    largest_output_wins: bool,
    /// Provenance: the source that read it and the file and line it was read from.
    source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<i64>,
}

#[derive(Serialize)]
struct Buckets {
    uncached_input: u64,
    cache_read: u64,
    cache_write_5m: u64,
    cache_write_1h: u64,
    output: u64,
    reasoning: u64,
}

/// A stored time as RFC 3339 in UTC, to the millisecond.
pub fn timestamp(ms: i64) -> String {
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(t) => format!("{t:.3}"),
        // Outside jiff's range (years −9999…9999): Unix seconds, which the importer reads too.
        Err(_) => format!("{}", ms as f64 / 1000.0),
    }
}

/// The stored tags JSON as a map (the store writes an object of text values).
fn tags(r: &StoredRequest) -> Result<Option<BTreeMap<String, String>>> {
    let Some(text) = r.tags.as_deref().filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    serde_json::from_str(text).map(Some).map_err(|e| Error::Store {
        path: Default::default(),
        message: format!(
            "the stored tags of request `{}` are not a JSON object of text ({e})",
            r.key
        ),
        hint: "the store was changed by something other than cost; re-import the logs into a new store".into(),
    })
}

fn opt(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.is_empty())
}

/// One request as a line (no newline).
pub fn line(r: &StoredRequest) -> Result<String> {
    let t = &r.tokens;
    let l = Line {
        schema: SCHEMA,
        key: &r.key,
        timestamp: timestamp(r.ts_ms),
        provider: &r.provider,
        model: &r.model,
        model_priced: opt(&r.model_priced),
        tier: &r.tier,
        requests: r.requests,
        tokens: Buckets {
            uncached_input: t.uncached_input,
            cache_read: t.cache_read,
            cache_write_5m: t.cache_write_5m,
            cache_write_1h: t.cache_write_1h,
            output: t.output,
            reasoning: t.reasoning,
        },
        team: opt(&r.team),
        template: opt(&r.template),
        template_version: opt(&r.template_version),
        api_key_id: opt(&r.api_key_id),
        project: opt(&r.project),
        user: opt(&r.user),
        session_id: opt(&r.session),
        status: opt(&r.status),
        latency_ms: r.latency_ms,
        tags: tags(r)?,
        cost_usd: (!r.unpriced).then(|| Usd::from_nanos(r.cost_nanos)),
        unpriced: r.unpriced,
        reported_cost_usd: r.reported_cost_nanos.map(Usd::from_nanos),
        flags: r
            .flags
            .as_deref()
            .map(|f| f.split(',').filter(|f| !f.is_empty()).collect())
            .unwrap_or_default(),
        largest_output_wins: crate::import::source_named(&r.source).is_some_and(|s| s.largest_output_wins()),
        source: &r.source,
        file: opt(&r.file),
        line: r.line,
    };
    serde_json::to_string(&l).map_err(|e| Error::Store {
        path: Default::default(),
        message: format!("request `{}` could not be written as JSON: {e}", r.key),
        hint: "report this as a bug".into(),
    })
}

/// Writes every request the filter keeps to `out`, one line each; `path` names `out` in errors.
pub fn write(store: &Store, filter: &Filter, out: &mut dyn Write, path: &Path) -> Result<Written> {
    let io = |source: std::io::Error| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut written = Written::default();
    store.each_request(filter, |r| {
        let mut text = line(r)?;
        text.push('\n');
        out.write_all(text.as_bytes()).map_err(io)?;
        written.count(r);
        Ok(())
    })?;
    out.flush().map_err(io)?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::Tokens;

    #[test]
    fn a_stored_request_is_one_line() {
        let r = StoredRequest {
            key: "msg_01:req_01".into(),
            ts_ms: 1_788_256_800_250,
            day: "2026-09-01".into(),
            source: "claude-code".into(),
            provider: "anthropic".into(),
            model: "claude-sonnet-4-5".into(),
            model_priced: Some("claude-sonnet-4-5".into()),
            tier: "standard".into(),
            tokens: Tokens {
                uncached_input: 10,
                cache_read: 2000,
                cache_write_1h: 300,
                output: 388,
                ..Tokens::default()
            },
            requests: 1,
            team: Some("search".into()),
            session: Some("s-1".into()),
            status: Some("ok".into()),
            tags: Some(r#"{"git_branch":"main"}"#.into()),
            cost_nanos: 12_345_678,
            flags: Some("fast_mode".into()),
            file: Some("projects/p/s-1.jsonl".into()),
            line: Some(4),
            ..StoredRequest::default()
        };
        assert_eq!(
            line(&r).unwrap(),
            r#"{"schema":"cost.export/v1","key":"msg_01:req_01","timestamp":"2026-09-01T10:00:00.250Z","provider":"anthropic","model":"claude-sonnet-4-5","model_priced":"claude-sonnet-4-5","tier":"standard","requests":1,"tokens":{"uncached_input":10,"cache_read":2000,"cache_write_5m":0,"cache_write_1h":300,"output":388,"reasoning":0},"team":"search","session_id":"s-1","status":"ok","tags":{"git_branch":"main"},"cost_usd":0.012345678,"unpriced":false,"flags":["fast_mode"],"largest_output_wins":true,"source":"claude-code","file":"projects/p/s-1.jsonl","line":4}"#
        );
        // Unpriced: no cost, never $0.
        let unpriced = StoredRequest {
            unpriced: true,
            cost_nanos: 0,
            source: "envelope".into(),
            ..r
        };
        let text = line(&unpriced).unwrap();
        assert!(text.contains(r#""cost_usd":null,"unpriced":true"#), "{text}");
        assert!(!text.contains("largest_output_wins"), "{text}");
    }
}
