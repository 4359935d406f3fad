//! OpenAI organisation Usage API exports, completions (LOG-FORMATS §10): aggregate rows with
//! a request count; `input_tokens` includes cached input.

use super::fields;
use super::record::{Outcome, Tokens, UsageRecord};
use super::source::{Emit, FileCtx, Sample, Source};
use super::usage_export::{each_row, key_part, tokens};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::BufRead;

pub struct OpenAiUsage;

const GROUPS: [&str; 6] = ["project_id", "user_id", "api_key_id", "model", "batch", "service_tier"];

impl Source for OpenAiUsage {
    fn name(&self) -> &'static str {
        "openai-usage"
    }
    fn about(&self) -> &'static str {
        "OpenAI organisation Usage API (completions) export"
    }
    fn sniff(&self, s: &Sample) -> bool {
        s.head_has("organization.usage.completions.result")
    }
    fn read(&self, input: &mut dyn BufRead, ctx: &mut FileCtx, emit: &mut Emit) -> std::io::Result<()> {
        // Which group-by fields each bucket's rows carry: two groupings of one bucket would
        // describe the same tokens twice.
        let mut groupings: BTreeMap<i64, String> = BTreeMap::new();
        each_row(input, emit, |bucket, row| {
            let start = bucket.get("start_time").and_then(Value::as_i64);
            if let Some(s) = start {
                let shape: String = GROUPS
                    .iter()
                    .map(|g| {
                        if row.get(*g).is_some_and(|v| !v.is_null()) {
                            '1'
                        } else {
                            '0'
                        }
                    })
                    .collect();
                if groupings.insert(s, shape.clone()).is_some_and(|old| old != shape) {
                    ctx.warn("a bucket holds rows of different groupings: importing both double counts");
                }
            }
            parse(bucket, row, ctx)
        })
    }
}

fn parse(bucket: &Value, row: &Value, ctx: &mut FileCtx) -> Outcome {
    let (Some(start), Some(_)) = (bucket.get("start_time"), bucket.get("end_time")) else {
        return Outcome::reject("bucket without `start_time`/`end_time`");
    };
    let timestamp_ms = match fields::time_value(start) {
        Ok(ms) => ms,
        Err(e) => return Outcome::Rejected(e),
    };
    let Some(model) = fields::str_field(row, "model") else {
        return Outcome::reject("export lacks group_by=model: rows without a model cannot be priced");
    };
    let read = || -> Result<Tokens, String> {
        let input = tokens(row, "input_tokens")?;
        let cached = tokens(row, "input_cached_tokens")?;
        let w5 = tokens(row, "input_cache_write_tokens")?;
        let w1 = tokens(row, "input_cache_write_12h_tokens")?;
        let uncached = match row.get("input_uncached_tokens").filter(|v| !v.is_null()) {
            Some(_) => tokens(row, "input_uncached_tokens")?,
            None => input
                .checked_sub(cached + w5 + w1)
                .ok_or_else(|| format!("input_cached_tokens ({cached}) is larger than input_tokens ({input})"))?,
        };
        Ok(Tokens {
            uncached_input: uncached,
            cache_read: cached,
            cache_write_5m: w5,
            cache_write_1h: w1,
            output: tokens(row, "output_tokens")?,
            reasoning: 0,
        })
    };
    let t = match read() {
        Ok(t) => t,
        Err(e) => return Outcome::Rejected(e),
    };
    if tokens(row, "input_audio_tokens").unwrap_or(0) > 0 || tokens(row, "output_audio_tokens").unwrap_or(0) > 0 {
        ctx.warn("rows with audio tokens: only text tokens are priced");
    }
    let requests = match tokens(row, "num_model_requests") {
        Ok(n) => n,
        Err(e) => return Outcome::Rejected(e),
    };
    let (tier, flag) = if row.get("batch").and_then(Value::as_bool) == Some(true) {
        ("batch".to_string(), None)
    } else {
        super::usage::tier(row.get("service_tier").and_then(Value::as_str))
    };
    let key = std::iter::once(format!(
        "openai-usage:{}:{}",
        key_part(bucket, "start_time"),
        key_part(bucket, "end_time")
    ))
    .chain(GROUPS.iter().map(|g| key_part(row, g)))
    .collect::<Vec<_>>()
    .join(":");
    let mut rec = UsageRecord {
        timestamp_ms,
        key: Some(key),
        provider: Some("openai".into()),
        model,
        tier,
        tokens: t,
        requests,
        api_key_id: fields::str_field(row, "api_key_id").map(|k| fields::api_key_id(&k)),
        project: fields::str_field(row, "project_id"),
        user: fields::str_field(row, "user_id"),
        ..UsageRecord::default()
    };
    rec.flags.extend(flag);
    Outcome::Record(Box::new(rec))
}
