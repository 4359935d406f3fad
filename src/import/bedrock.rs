//! AWS Bedrock model invocation logs (LOG-FORMATS §13): one record per call, Claude
//! semantics (input excludes the cache), TTL split only in the logged response usage.

use super::fields;
use super::record::{Outcome, Tokens, UsageRecord};
use super::source::{Emit, FileCtx, Sample, Source, each_line, json_reason};
use serde_json::Value;
use std::io::BufRead;

pub struct Bedrock;

impl Source for Bedrock {
    fn name(&self) -> &'static str {
        "bedrock"
    }
    fn about(&self) -> &'static str {
        "AWS Bedrock model invocation logs (JSONL, often .json.gz)"
    }
    fn sniff(&self, s: &Sample) -> bool {
        s.head_has("\"schemaType\":\"ModelInvocationLog\"") || s.head_has("\"schemaType\": \"ModelInvocationLog\"")
    }
    fn resumable(&self) -> bool {
        true
    }
    fn read(&self, input: &mut dyn BufRead, ctx: &mut FileCtx, emit: &mut Emit) -> std::io::Result<()> {
        each_line(input, emit, |line| parse(line, ctx))
    }
}

fn count(v: Option<&Value>, what: &str) -> Result<u64, String> {
    match v {
        None | Some(Value::Null) => Ok(0),
        Some(x) => Ok(super::lenient::count_value(x, what)?.unwrap_or(0)),
    }
}

fn parse(line: &str, ctx: &mut FileCtx) -> Outcome {
    let v: Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => return Outcome::Rejected(json_reason(&e)),
    };
    let output = v.get("output");
    let Some(out_tokens) = output.and_then(|o| o.get("outputTokenCount")).filter(|x| !x.is_null()) else {
        return Outcome::Skipped("invocation without output (a failed call)");
    };
    let timestamp_ms = match v.get("timestamp").map(fields::time_value) {
        Some(Ok(ms)) => ms,
        Some(Err(e)) => return Outcome::Rejected(e),
        None => return Outcome::reject("missing `timestamp`"),
    };
    let Some(model) = fields::str_field(&v, "modelId") else {
        return Outcome::reject("missing `modelId`");
    };
    let input = v.get("input");
    let read = || -> Result<Tokens, String> {
        let writes = count(
            input.and_then(|i| i.get("cacheWriteInputTokenCount")),
            "cacheWriteInputTokenCount",
        )?;
        // The TTL split lives only in the logged response usage.
        let details = output
            .and_then(|o| o.get("outputBodyJson"))
            .and_then(|b| b.get("usage"))
            .and_then(|u| u.get("cacheDetails"))
            .and_then(Value::as_array);
        let one_hour: u64 = details
            .into_iter()
            .flatten()
            .filter(|d| d.get("ttl").and_then(Value::as_str) == Some("1h"))
            .filter_map(|d| d.get("inputTokens").and_then(Value::as_u64))
            .fold(0, u64::saturating_add);
        let five = writes
            .checked_sub(one_hour)
            .ok_or_else(|| format!("cacheDetails lists {one_hour} 1h tokens, more than the {writes} written"))?;
        Ok(Tokens {
            uncached_input: count(input.and_then(|i| i.get("inputTokenCount")), "inputTokenCount")?,
            cache_read: count(
                input.and_then(|i| i.get("cacheReadInputTokenCount")),
                "cacheReadInputTokenCount",
            )?,
            cache_write_5m: five,
            cache_write_1h: one_hour,
            output: count(Some(out_tokens), "outputTokenCount")?,
            reasoning: 0,
        })
    };
    let tokens = match read() {
        Ok(t) => t,
        Err(e) => return Outcome::Rejected(e),
    };
    let mut rec = UsageRecord {
        timestamp_ms,
        key: fields::str_field(&v, "requestId"),
        provider: Some("bedrock".into()),
        model,
        tier: "standard".into(),
        tokens,
        requests: 1,
        project: fields::str_field(&v, "accountId"),
        ..UsageRecord::default()
    };
    // The IAM role that called: `…:assumed-role/<role>/<session>` → `<role>`.
    rec.api_key_id = v
        .get("identity")
        .and_then(|i| i.get("arn"))
        .and_then(Value::as_str)
        .map(|arn| match arn.split_once(":assumed-role/") {
            Some((_, rest)) => rest.split('/').next().unwrap_or(rest).to_string(),
            None => arn.rsplit(':').next().unwrap_or(arn).to_string(),
        });
    ctx.attribute(
        &v,
        &mut rec,
        &["requestMetadata.team"],
        &["requestMetadata.template"],
        &["requestMetadata.template_version"],
    );
    rec.tags = fields::string_map(v.get("requestMetadata"));
    for k in ["team", "template", "template_version"] {
        rec.tags.remove(k);
    }
    Outcome::Record(Box::new(rec))
}
