//! Anthropic Messages bodies and Message Batches result lines (LOG-FORMATS §6). The bodies
//! carry no time: records take `--at`, else the file's modification time.

use super::body;
use super::record::Outcome;
use super::source::{Emit, FileCtx, Sample, Source, each_line, json_reason};
use serde_json::Value;
use std::io::BufRead;

pub struct AnthropicMessages;

impl Source for AnthropicMessages {
    fn name(&self) -> &'static str {
        "anthropic-messages"
    }
    fn about(&self) -> &'static str {
        "Anthropic Messages bodies, Batches results (no timestamps: --at)"
    }
    fn sniff(&self, s: &Sample) -> bool {
        s.first_object().is_some_and(|o| {
            o.get("type").and_then(Value::as_str) == Some("message")
                || (o.get("custom_id").is_some() && o.get("result").is_some())
        })
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
    let (body, batch) = match v.get("result") {
        Some(result) if v.get("custom_id").is_some() => match result.get("type").and_then(Value::as_str) {
            Some("succeeded") => match result.get("message") {
                Some(m) => (m, true),
                None => return Outcome::reject("batch result `succeeded` without `message`"),
            },
            _ => return Outcome::Skipped("batch request that did not succeed"),
        },
        _ => (&v, false),
    };
    if body.get("usage").is_none_or(Value::is_null) {
        return if body.get("type").and_then(Value::as_str) == Some("error") || body.get("error").is_some() {
            Outcome::Skipped("error body")
        } else {
            Outcome::reject("no `usage` in the message body")
        };
    }
    let Some(at) = ctx.fallback_time_ms else {
        return Outcome::reject("Anthropic message bodies carry no time: import with --at DATE");
    };
    let mut rec = match body::record(body, "", Some(at), ctx) {
        Ok(r) => r,
        Err(o) => return o,
    };
    rec.provider.get_or_insert_with(|| "anthropic".into());
    if batch {
        rec.tier = "batch".into();
    }
    Outcome::Record(Box::new(rec))
}
