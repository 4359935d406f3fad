//! OpenAI Chat Completions response bodies, and Batch API output lines (LOG-FORMATS §4).

use super::body;
use super::record::Outcome;
use super::source::{Emit, FileCtx, Sample, Source, each_line, json_reason};
use serde_json::Value;
use std::io::BufRead;

pub struct OpenAiChat;

impl Source for OpenAiChat {
    fn name(&self) -> &'static str {
        "openai-chat"
    }
    fn about(&self) -> &'static str {
        "OpenAI Chat Completions bodies, final stream chunks, Batch output"
    }
    fn sniff(&self, s: &Sample) -> bool {
        s.line_has("\"object\":\"chat.completion")
            || s.line_has("\"object\": \"chat.completion")
            || s.first_object().is_some_and(|o| {
                o.get("custom_id").is_some()
                    && o.get("response")
                        .is_some_and(|r| r.get("body").is_some() || r.is_null())
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
    // A Batch API output line wraps the body; its tier is batch whatever the body says.
    let (body, batch) = if v.get("custom_id").is_some() && v.get("response").is_some() {
        match v.get("response") {
            Some(r) if !r.is_null() => match r.get("body") {
                Some(b) if r.get("status_code").and_then(Value::as_u64).is_none_or(|c| c == 200) => (b, true),
                _ => return Outcome::Skipped("batch request that failed"),
            },
            _ => return Outcome::Skipped("batch request that was not run"),
        }
    } else {
        (&v, false)
    };
    let has_usage = body.get("usage").is_some_and(|u| !u.is_null());
    if !has_usage {
        if body.get("error").is_some() {
            return Outcome::Skipped("error body");
        }
        if body.get("object").and_then(Value::as_str) == Some("chat.completion.chunk") {
            return Outcome::Skipped("stream chunk without usage");
        }
        return Outcome::reject("no `usage` in the response body");
    }
    let mut rec = match body::record(body, "created", None, ctx) {
        Ok(r) => r,
        Err(o) => return o,
    };
    if batch {
        rec.tier = "batch".into();
        rec.flags.retain(|f| *f != "unknown_tier" && *f != "scale_tier");
    }
    Outcome::Record(Box::new(rec))
}
