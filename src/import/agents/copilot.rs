//! GitHub Copilot CLI sessions (LOG-FORMATS §21):
//! `${COPILOT_CONFIG_DIR:-~/.copilot}/session-state/<session>/events.jsonl`. Usage is only in
//! `session.shutdown` events: `data.modelMetrics.<model>` with `usage.{inputTokens,
//! outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens}` and `requests.{count,
//! cost}`. Each shutdown covers one process of the session (a resumed session appends another):
//! they are summed, never read as running totals, so each (shutdown, model) is one record of
//! `requests.count` calls.
//!
//! `inputTokens` **includes** the cache reads and writes: uncached = input − read − write.
//! Copilot bills premium requests, not tokens: `requests.cost` (premium requests) is kept as
//! the reported cost at [`PREMIUM_REQUEST_USD`] each, beside `cost`'s API-equivalent token
//! price, and as the tag `premium_requests`.

use super::after_component;
use crate::import::fields;
use crate::import::record::{Outcome, Tokens, UsageRecord};
use crate::import::source::{Batch, Emit, FileCtx, Sample, Source, each_line_batch, json_reason};
use serde_json::Value;
use std::io::BufRead;
use std::path::Path;

pub struct Copilot;

/// GitHub's list price of one premium request beyond a plan's allowance (USD).
pub const PREMIUM_REQUEST_USD: f64 = 0.04;

impl Source for Copilot {
    fn name(&self) -> &'static str {
        "copilot"
    }
    fn about(&self) -> &'static str {
        "GitHub Copilot CLI sessions: ~/.copilot/session-state/*/events.jsonl"
    }
    fn sniff(&self, s: &Sample) -> bool {
        s.first_object().is_some_and(|o| {
            o.get("data").is_some_and(Value::is_object)
                && o.get("type").and_then(Value::as_str).is_some_and(is_event_type)
                && (o.get("timestamp").is_some() || o.get("id").is_some())
        })
    }
    fn reads_directories(&self) -> bool {
        true
    }
    fn read(&self, input: &mut dyn BufRead, ctx: &mut FileCtx, emit: &mut Emit) -> std::io::Result<()> {
        let mut state = State {
            session: session_dir(ctx.path),
            project: workspace_cwd(ctx.path),
        };
        each_line_batch(input, emit, |line, out| state.parse(line, out))
    }
}

/// `session.start`, `assistant.message`, `tool.execution_complete`: `word.word`.
fn is_event_type(t: &str) -> bool {
    t.split_once('.').is_some_and(|(a, b)| {
        !a.is_empty()
            && !b.is_empty()
            && a.bytes().all(|c| c.is_ascii_lowercase() || c == b'_')
            && b.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.')
    })
}

/// The `<session>` directory of `session-state/<session>/events.jsonl`.
fn session_dir(path: &Path) -> Option<String> {
    let rel = after_component(path, "session-state")?;
    rel.split_once('/').map(|(s, _)| s.to_string())
}

/// The `cwd:` of the session's `workspace.yaml`, next to its events.
fn workspace_cwd(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path.parent()?.join("workspace.yaml")).ok()?;
    text.lines().find_map(|l| {
        let v = l.strip_prefix("cwd:")?.trim().trim_matches(['"', '\'']);
        (!v.is_empty()).then(|| v.to_string())
    })
}

/// The model as the price table names it: Copilot's serving suffixes removed, Claude's dotted
/// versions written with dashes (`claude-sonnet-4.5-1m-internal` → `claude-sonnet-4-5`).
pub fn normalize_model(logged: &str) -> String {
    let mut m = logged.trim().to_ascii_lowercase();
    for suffix in ["-1m-internal", "-internal", "-high", "-1m"] {
        if let Some(s) = m.strip_suffix(suffix) {
            m = s.to_string();
        }
    }
    if m.starts_with("claude-") {
        m = m.replace('.', "-");
    }
    m
}

/// The provider whose API price is the record's API-equivalent.
fn provider_of(model: &str) -> &'static str {
    if model.starts_with("claude") {
        "anthropic"
    } else if model.starts_with("gemini") {
        "gemini"
    } else if model.starts_with("grok") {
        "xai"
    } else {
        "openai"
    }
}

struct State {
    session: Option<String>,
    project: Option<String>,
}

impl State {
    fn parse(&mut self, line: &str, out: &mut Batch) {
        // Only the start (session id, directory) and the shutdown (usage) matter.
        let b = line.as_bytes();
        let wanted = memchr::memmem::find(b, b"\"session.shutdown\"").is_some()
            || memchr::memmem::find(b, b"\"session.start\"").is_some();
        if !wanted && line.trim_end().ends_with('}') {
            out.push((Outcome::Skipped("not a session shutdown"), None));
            return;
        }
        let v: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => return out.push((Outcome::Rejected(json_reason(&e)), Some(excerpt(line)))),
        };
        match v.get("type").and_then(Value::as_str) {
            Some("session.start") => {
                let data = v.get("data");
                if self.session.is_none() {
                    self.session = data.and_then(|d| fields::str_field(d, "sessionId"));
                }
                if self.project.is_none() {
                    self.project = data
                        .and_then(|d| fields::path(d, "context.cwd").or_else(|| d.get("cwd")))
                        .and_then(Value::as_str)
                        .filter(|c| !c.is_empty())
                        .map(str::to_string);
                }
                out.push((Outcome::Skipped("session start"), None));
            }
            Some("session.shutdown") => self.shutdown(&v, line, out),
            _ => out.push((Outcome::Skipped("not a session shutdown"), None)),
        }
    }

    /// One record per model of a shutdown; a model whose numbers cannot be right is one
    /// reject naming it, after the others.
    fn shutdown(&self, v: &Value, line: &str, out: &mut Batch) {
        let timestamp_ms = match v.get("timestamp").map(fields::time_value) {
            Some(Ok(ms)) => ms,
            Some(Err(e)) => return out.push((Outcome::Rejected(e), Some(excerpt(line)))),
            None => return out.push((Outcome::reject("missing `timestamp`"), Some(excerpt(line)))),
        };
        let metrics = match fields::path(v, "data.modelMetrics") {
            Some(Value::Object(m)) if !m.is_empty() => m,
            _ => return out.push((Outcome::Skipped("session shutdown without model metrics"), None)),
        };
        let event = fields::str_field(v, "id").unwrap_or_else(|| timestamp_ms.to_string());
        let session = self.session.clone().unwrap_or_else(|| "copilot".into());
        let mut bad = Vec::new();
        for (logged, m) in metrics {
            match record(logged, m, timestamp_ms) {
                Ok(Some(mut rec)) => {
                    rec.key = Some(format!("copilot:{session}:{event}:{logged}"));
                    rec.session = Some(session.clone());
                    rec.project = self.project.clone();
                    out.push((Outcome::Record(Box::new(rec)), None));
                }
                Ok(None) => out.push((Outcome::Skipped("a model without usage"), None)),
                Err(e) => bad.push(format!("modelMetrics.{logged}: {e}")),
            }
        }
        if !bad.is_empty() {
            out.push((Outcome::Rejected(bad.join("; ")), Some(excerpt(line))));
        }
    }
}

/// One model's metrics of a shutdown; `None` when it used nothing.
fn record(logged: &str, m: &Value, timestamp_ms: i64) -> Result<Option<UsageRecord>, String> {
    let count = |path: &str| -> Result<u64, String> {
        match fields::path(m, path) {
            None => Ok(0),
            Some(v) => crate::import::lenient::count_value(v, path).map(Option::unwrap_or_default),
        }
    };
    let input = count("usage.inputTokens")?;
    let read = count("usage.cacheReadTokens")?;
    let write = count("usage.cacheWriteTokens")?;
    let output = count("usage.outputTokens")?;
    let reasoning = count("usage.reasoningTokens")?;
    let requests = count("requests.count")?;
    if input + output + requests == 0 {
        return Ok(None);
    }
    let uncached = input.checked_sub(read + write).ok_or_else(|| {
        format!("cacheReadTokens ({read}) plus cacheWriteTokens ({write}) are larger than inputTokens ({input}), which includes them")
    })?;
    if reasoning > output {
        return Err(format!(
            "reasoningTokens ({reasoning}) are larger than the outputTokens they are part of ({output})"
        ));
    }
    let premium = match fields::path(m, "requests.cost") {
        Some(Value::Number(n)) => n.as_f64().filter(|c| c.is_finite() && *c >= 0.0),
        _ => None,
    };
    let model = normalize_model(logged);
    let mut rec = UsageRecord {
        timestamp_ms,
        provider: Some(provider_of(&model).into()),
        tier: "standard".into(),
        tokens: Tokens {
            uncached_input: uncached,
            cache_read: read,
            cache_write_5m: write,
            cache_write_1h: 0,
            output,
            reasoning,
        },
        // One record is every call this process made to the model; 0 = not said.
        requests,
        reported_cost_usd: premium.map(|p| p * PREMIUM_REQUEST_USD),
        ..UsageRecord::default()
    };
    if let Some(p) = premium {
        rec.tags.insert("premium_requests".into(), trim_number(p));
    }
    if model != logged {
        rec.tags.insert("logged_model".into(), logged.to_string());
    }
    rec.model = model;
    Ok(Some(rec))
}

/// `3`, `0.33`: a number without a trailing `.0`.
fn trim_number(v: f64) -> String {
    let s = format!("{v}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// The start of a rejected line: a shutdown event holds no prompt text, only names and counts.
fn excerpt(line: &str) -> String {
    crate::import::record::excerpt(line.as_bytes(), 200)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_names_lose_copilot_suffixes() {
        assert_eq!(normalize_model("claude-sonnet-4.5"), "claude-sonnet-4-5");
        assert_eq!(normalize_model("claude-opus-4.5-1m-internal"), "claude-opus-4-5");
        assert_eq!(normalize_model("gpt-5.2-high"), "gpt-5.2");
        assert_eq!(normalize_model("gpt-5.1-codex-internal"), "gpt-5.1-codex");
        assert_eq!(normalize_model("claude-sonnet-4-1m"), "claude-sonnet-4");
    }

    #[test]
    fn event_types() {
        assert!(is_event_type("session.shutdown"));
        assert!(is_event_type("tool.execution_complete"));
        assert!(!is_event_type("assistant"));
        assert!(!is_event_type("Session.Start"));
    }
}
