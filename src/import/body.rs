//! Reading a provider response body (OpenAI Chat / Responses, Anthropic Messages) into a
//! record: id, time, model, tier and the usage object, read by its shape.

use super::fields;
use super::record::{Outcome, UsageRecord};
use super::source::FileCtx;
use super::usage::{self, Notes, RawUsage};
use serde_json::Value;

/// A record from a body with `usage`. `time_field` names the Unix-seconds field; `at` is
/// used when the body has none.
pub fn record(body: &Value, time_field: &str, at: Option<i64>, ctx: &mut FileCtx) -> Result<UsageRecord, Outcome> {
    let timestamp_ms = match body.get(time_field).filter(|_| !time_field.is_empty()) {
        Some(t) => fields::time_value(t).map_err(Outcome::Rejected)?,
        None => at.ok_or_else(|| Outcome::reject(format!("missing `{time_field}`")))?,
    };
    let model = fields::str_field(body, "model").ok_or_else(|| Outcome::reject("missing `model`"))?;
    let raw = body.get("usage").ok_or_else(|| Outcome::reject("missing `usage`"))?;
    let usage: RawUsage = usage::from_value(raw, "usage").map_err(Outcome::Rejected)?;
    let anthropic =
        body.get("type").and_then(Value::as_str) == Some("message") || usage::is_anthropic_provider(None, &model);
    let family = usage
        .family(anthropic)
        .ok_or_else(|| Outcome::reject("the usage object has no token counts"))?;
    let mut notes = Notes::default();
    let tokens = usage.tokens(family, &mut notes).map_err(Outcome::Rejected)?;
    if notes.split_mismatch {
        ctx.warn("the cache_creation split differs from cache_creation_input_tokens; the split was kept");
    }
    let body_tier = body.get("service_tier").and_then(fields::scalar);
    let logged_tier = body_tier.as_deref().or(usage.service_tier.as_deref());
    let (tier, flag) = usage::tier(logged_tier);
    let mut rec = UsageRecord {
        timestamp_ms,
        key: fields::str_field(body, "id"),
        provider: if anthropic {
            Some("anthropic".into())
        } else {
            Some("openai".into())
        },
        model,
        tier,
        tokens,
        requests: 1,
        ..UsageRecord::default()
    };
    rec.flags.extend(flag);
    if usage.speed.as_deref() == Some("fast") {
        rec.flags.push("fast_mode");
    }
    Ok(rec)
}
