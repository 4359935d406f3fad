//! Anthropic Admin usage report, messages (LOG-FORMATS §11): aggregate rows already in
//! canonical buckets, with no request count.

use super::fields;
use super::record::{Outcome, Tokens, UsageRecord};
use super::source::{Emit, FileCtx, Sample, Source};
use super::usage_export::{each_row, key_part, tokens};
use serde_json::Value;
use std::io::BufRead;

pub struct AnthropicUsage;

impl Source for AnthropicUsage {
    fn name(&self) -> &'static str {
        "anthropic-usage"
    }
    fn about(&self) -> &'static str {
        "Anthropic Admin usage report (messages) export"
    }
    fn sniff(&self, s: &Sample) -> bool {
        s.head_has("\"uncached_input_tokens\"") && s.head_has("\"starting_at\"")
    }
    fn read(&self, input: &mut dyn BufRead, ctx: &mut FileCtx, emit: &mut Emit) -> std::io::Result<()> {
        each_row(input, emit, |bucket, row| parse(bucket, row, ctx))
    }
}

fn parse(bucket: &Value, row: &Value, ctx: &mut FileCtx) -> Outcome {
    let Some(start) = bucket.get("starting_at") else {
        return Outcome::reject("bucket without `starting_at`");
    };
    let timestamp_ms = match fields::time_value(start) {
        Ok(ms) => ms,
        Err(e) => return Outcome::Rejected(e),
    };
    let Some(model) = fields::str_field(row, "model") else {
        return Outcome::reject("export lacks group_by=model: rows without a model cannot be priced");
    };
    let creation = row.get("cache_creation").cloned().unwrap_or(Value::Null);
    let read = || -> Result<Tokens, String> {
        Ok(Tokens {
            uncached_input: tokens(row, "uncached_input_tokens")?,
            cache_read: tokens(row, "cache_read_input_tokens")?,
            cache_write_5m: tokens(&creation, "ephemeral_5m_input_tokens")?,
            cache_write_1h: tokens(&creation, "ephemeral_1h_input_tokens")?,
            output: tokens(row, "output_tokens")?,
            reasoning: 0,
        })
    };
    let t = match read() {
        Ok(t) => t,
        Err(e) => return Outcome::Rejected(e),
    };
    let (tier, flag) = super::usage::tier(row.get("service_tier").and_then(Value::as_str));
    let key = std::iter::once(format!(
        "anthropic-usage:{}:{}",
        key_part(bucket, "starting_at"),
        key_part(bucket, "ending_at")
    ))
    .chain(
        [
            "model",
            "workspace_id",
            "api_key_id",
            "service_tier",
            "context_window",
            "inference_geo",
            "speed",
        ]
        .iter()
        .map(|g| key_part(row, g)),
    )
    .collect::<Vec<_>>()
    .join(":");
    let mut rec = UsageRecord {
        timestamp_ms,
        key: Some(key),
        provider: Some("anthropic".into()),
        model,
        tier,
        tokens: t,
        requests: 0,
        api_key_id: fields::str_field(row, "api_key_id").map(|k| fields::api_key_id(&k)),
        project: fields::str_field(row, "workspace_id"),
        ..UsageRecord::default()
    };
    rec.flags.extend(flag);
    match row.get("context_window").and_then(Value::as_str) {
        Some(w) if w.starts_with("200k") => rec.flags.push("long_context"),
        Some(_) => {}
        None => ctx.warn("rows without `context_window`: long-context use is unknown and priced at standard rates"),
    }
    if row.get("speed").and_then(Value::as_str) == Some("fast") {
        rec.flags.push("fast_mode");
    }
    Outcome::Record(Box::new(rec))
}
