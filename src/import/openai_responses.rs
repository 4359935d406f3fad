//! OpenAI Responses API bodies (LOG-FORMATS §5): stored prompts name the template, and the
//! caller's `metadata` is echoed, so `metadata.team` attributes.

use super::body;
use super::record::Outcome;
use super::source::{Emit, FileCtx, Sample, Source, each_line, json_reason};
use serde_json::Value;
use std::io::BufRead;

pub struct OpenAiResponses;

impl Source for OpenAiResponses {
    fn name(&self) -> &'static str {
        "openai-responses"
    }
    fn about(&self) -> &'static str {
        "OpenAI Responses API bodies (JSONL)"
    }
    fn sniff(&self, s: &Sample) -> bool {
        s.first_object()
            .is_some_and(|o| o.get("object").and_then(Value::as_str) == Some("response"))
    }
    fn resumable(&self) -> bool {
        true
    }
    fn read(&self, input: &mut dyn BufRead, ctx: &mut FileCtx, emit: &mut Emit) -> std::io::Result<()> {
        each_line(input, emit, |line| parse(line, ctx))
    }
}

fn parse(line: &str, ctx: &mut FileCtx) -> Outcome {
    let v: Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => return Outcome::Rejected(json_reason(&e)),
    };
    // A raw `response.completed` event carries the response inside.
    let body = match v.get("type").and_then(Value::as_str) {
        Some("response.completed") => match v.get("response") {
            Some(r) => r,
            None => return Outcome::reject("`response.completed` event without `response`"),
        },
        Some(t) if t.starts_with("response.") => return Outcome::Skipped("stream event without usage"),
        _ => &v,
    };
    if body.get("usage").is_none_or(Value::is_null) {
        return match body.get("status").and_then(Value::as_str) {
            Some("failed" | "cancelled" | "queued" | "in_progress") => Outcome::Skipped("response without usage"),
            _ if body.get("error").is_some_and(|e| !e.is_null()) => Outcome::Skipped("error body"),
            _ => Outcome::reject("no `usage` in the response body"),
        };
    }
    let mut rec = match body::record(body, "created_at", None, ctx) {
        Ok(r) => r,
        Err(o) => return o,
    };
    ctx.attribute(
        body,
        &mut rec,
        &["metadata.team"],
        &["metadata.template", "prompt.id"],
        &["metadata.template_version", "prompt.version"],
    );
    rec.tags = super::fields::string_map(body.get("metadata"));
    for k in ["team", "template", "template_version"] {
        rec.tags.remove(k);
    }
    Outcome::Record(Box::new(rec))
}
