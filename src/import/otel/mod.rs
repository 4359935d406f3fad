//! OpenTelemetry GenAI spans (LOG-FORMATS §20): OTLP JSON lines, one `TracesData` object per
//! line, as the Collector's `file` exporter and the OTLP File Exporter write them. Every span
//! carrying `gen_ai.usage.*` token counts is one provider call, so one line may hold many
//! records; spans without counts (tool calls, agent steps) are skipped.

mod attrs;
mod excerpt;

use super::fields;
use super::record::{Outcome, Status, UsageRecord};
use super::source::{AttributionPaths, Batch, Emit, FileCtx, Sample, Source, each_line_batch, json_reason};
use attrs::Attrs;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::io::BufRead;

pub struct Otel;

impl Source for Otel {
    fn name(&self) -> &'static str {
        "otel"
    }
    fn about(&self) -> &'static str {
        "OpenTelemetry GenAI spans: OTLP JSON lines (Collector file exporter)"
    }
    fn sniff(&self, s: &Sample) -> bool {
        // The first line may be cut by the sniffing window: its start is enough.
        s.first_line
            .strip_prefix('{')
            .is_some_and(|rest| rest.trim_start().starts_with("\"resourceSpans\""))
            || s.first_object().is_some_and(|o| o.get("resourceSpans").is_some())
    }
    fn resumable(&self) -> bool {
        true
    }
    fn read(&self, input: &mut dyn BufRead, ctx: &mut FileCtx, emit: &mut Emit) -> std::io::Result<()> {
        each_line_batch(input, emit, |line, out| parse_line(line, ctx, out))
    }
}

/// A span with what surrounds it.
struct Found<'v> {
    span: &'v Value,
    resource: &'v Attrs<'v>,
}

/// Where a whole line failed: a reason with its excerpt.
fn line_reject(out: &mut Batch, line: &str, reason: String) {
    out.push((Outcome::Rejected(reason), Some(excerpt::line(line))));
}

/// The outcomes of one `TracesData` line: a record or a skip per span in order, then at most
/// one reject naming every bad span. (The store keeps one reject per line, and a record
/// imported from a line clears that line's old reject, so the reject comes last.)
fn parse_line(line: &str, ctx: &mut FileCtx, out: &mut Batch) {
    let v: Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => return line_reject(out, line, json_reason(&e)),
    };
    let Some(obj) = v.as_object() else {
        return line_reject(
            out,
            line,
            format!("the line is {}, not an OTLP object", fields::kind(&v)),
        );
    };
    let resource_spans = match obj.get("resourceSpans") {
        Some(Value::Array(a)) => a,
        None | Some(Value::Null) => {
            let outcome = if obj.contains_key("resourceMetrics") {
                Outcome::Skipped("OTLP metrics, not spans (token histograms name no call)")
            } else if obj.contains_key("resourceLogs") {
                Outcome::Skipped("OTLP logs, not spans")
            } else {
                return line_reject(out, line, "no `resourceSpans`: not an OTLP traces line".into());
            };
            out.push((outcome, None));
            return;
        }
        Some(other) => {
            let reason = format!(
                "wrong type for field `resourceSpans`: {}, expected an array",
                fields::kind(other)
            );
            return line_reject(out, line, reason);
        }
    };
    // Resources' attributes first, so spans can borrow them.
    let resources: Vec<Attrs> = resource_spans.iter().map(|rs| Attrs::of(rs.get("resource"))).collect();
    let mut found: Vec<Found> = Vec::new();
    for (ri, rs) in resource_spans.iter().enumerate() {
        let scopes = match list(rs, "scopeSpans") {
            Ok(s) => s,
            Err(kind) => {
                let reason =
                    format!("wrong type for field `resourceSpans[{ri}].scopeSpans`: {kind}, expected an array");
                return line_reject(out, line, reason);
            }
        };
        for (si, ss) in scopes.iter().enumerate() {
            let spans = match list(ss, "spans") {
                Ok(s) => s,
                Err(kind) => {
                    let reason = format!(
                        "wrong type for field `resourceSpans[{ri}].scopeSpans[{si}].spans`: {kind}, expected an array"
                    );
                    return line_reject(out, line, reason);
                }
            };
            found.extend(spans.iter().map(|span| Found {
                span,
                resource: &resources[ri],
            }));
        }
    }
    if found.is_empty() {
        out.push((Outcome::Skipped("no spans in the line"), None));
        return;
    }

    let attrs: Vec<Attrs> = found.iter().map(|f| Attrs::of(Some(f.span))).collect();
    let calls: Vec<bool> = attrs.iter().map(is_call).collect();
    let covered = covered_by_children(&found, &calls);
    let mut rejects: Vec<(String, String)> = Vec::new();
    for (i, f) in found.iter().enumerate() {
        if !f.span.is_object() {
            rejects.push((
                format!("span {} is {}, not an object", i + 1, fields::kind(f.span)),
                String::new(),
            ));
            continue;
        }
        if !calls[i] {
            out.push((Outcome::Skipped("span without gen_ai.usage token counts"), None));
            continue;
        }
        if span_id(f.span).is_some_and(|id| covered.contains(id)) {
            ctx.warn("a span whose token counts are also on spans under it (an agent or framework span) was skipped, not counted twice");
            out.push((Outcome::Skipped("usage also counted by the spans under it"), None));
            continue;
        }
        match record(f, &attrs[i], ctx) {
            Ok(rec) => out.push((Outcome::Record(Box::new(rec)), None)),
            Err(reason) => rejects.push((
                format!("{}: {reason}", describe(f.span, i)),
                excerpt::span(f.span, &attrs[i]),
            )),
        }
    }
    if let Some((first, first_excerpt)) = rejects.first() {
        let reason = if rejects.len() == 1 {
            first.clone()
        } else {
            let all: Vec<&str> = rejects.iter().map(|(r, _)| r.as_str()).collect();
            format!("{} spans rejected: {}", rejects.len(), all.join("; "))
        };
        let excerpt = Some(first_excerpt.clone()).filter(|e| !e.is_empty());
        out.push((Outcome::Rejected(reason), excerpt));
    }
}

/// An optional list member: absent or null is empty; another type is its kind, for the reason.
fn list<'v>(holder: &'v Value, key: &str) -> Result<&'v [Value], &'static str> {
    match holder.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(other) => Err(fields::kind(other)),
    }
}

/// A span holding any token attribute is a provider call (a bad count is its reject); one
/// holding only a total is one too, and is rejected rather than skipped as if it cost nothing.
fn is_call(a: &Attrs) -> bool {
    attrs::token_keys().any(|k| a.has(k)) || a.has(TOTAL)
}

/// A total some instrumentations add beside the split (which alone can be priced).
const TOTAL: &str = "gen_ai.usage.total_tokens";

fn span_id(span: &Value) -> Option<&str> {
    span.get("spanId").and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// The spans of a line that are ancestors of another call in the same line: an agent span
/// summing its model calls, or a framework's span around the client library's. Their usage
/// is already on the spans under them.
fn covered_by_children<'v>(found: &[Found<'v>], calls: &[bool]) -> HashSet<&'v str> {
    let parent: HashMap<&str, &str> = found
        .iter()
        .filter_map(|f| {
            let p = f
                .span
                .get("parentSpanId")
                .and_then(Value::as_str)
                .filter(|p| !p.is_empty())?;
            Some((span_id(f.span)?, p))
        })
        .collect();
    let mut covered = HashSet::new();
    for (f, _) in found.iter().zip(calls).filter(|(_, call)| **call) {
        let mut at = span_id(f.span);
        // Bounded: a malformed line may hold a cycle.
        for _ in 0..64 {
            let Some(p) = at.and_then(|id| parent.get(id)).copied() else {
                break;
            };
            covered.insert(p);
            at = Some(p);
        }
    }
    covered
}

/// How a reject names a span: its id and name, else its position in the line.
fn describe(span: &Value, index: usize) -> String {
    let name = span
        .get("name")
        .and_then(Value::as_str)
        .map(|n| format!(" ({:?})", fields::truncate(n, 60)))
        .unwrap_or_default();
    match span_id(span) {
        Some(id) => format!("span {}{name}", fields::truncate(id, 32)),
        None => format!("span {} of the line{name}", index + 1),
    }
}

/// A time in Unix nanoseconds: a string of digits (OTLP's fixed64) or a number.
fn nanos(v: Option<&Value>, field: &str) -> Result<Option<u64>, String> {
    let n = match v {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s.parse::<u64>().ok(),
        Some(Value::Number(n)) => n.as_u64(),
        Some(_) => None,
    };
    match n {
        Some(0) => Ok(None),
        Some(n) => Ok(Some(n)),
        None => Err(format!(
            "`{field}` {} is not Unix nanoseconds",
            fields::truncate(&v.map(Value::to_string).unwrap_or_default(), 30)
        )),
    }
}

/// The provider under this project's names (LOG-FORMATS §2); others as given, lower-cased.
fn provider(name: &str) -> String {
    let p = name.trim().to_ascii_lowercase();
    match p.as_str() {
        "aws.bedrock" => "bedrock".into(),
        "gcp.gemini" => "gemini".into(),
        "gcp.vertex_ai" => "vertex_ai".into(),
        "azure.ai.openai" | "az.ai.openai" => "azure".into(),
        "azure.ai.inference" | "az.ai.inference" => "azure_ai".into(),
        _ => p,
    }
}

/// The tier some instrumentations record (OpenAI's `service_tier`, response then request).
const TIER_KEYS: [&str; 4] = [
    "openai.response.service_tier",
    "gen_ai.openai.response.service_tier",
    "openai.request.service_tier",
    "gen_ai.openai.request.service_tier",
];

/// One attribution value: the configured names first, then `default`. A name is an attribute
/// key, looked up on the span and then on its resource; `resource.` + key looks only at the
/// resource.
fn attribution(configured: &[String], default: &str, span: &Attrs, resource: &Attrs) -> Option<String> {
    configured
        .iter()
        .map(String::as_str)
        .chain(std::iter::once(default))
        .find_map(|name| match name.strip_prefix("resource.") {
            Some(key) => resource.text(key),
            None => span.text(name).or_else(|| resource.text(name)),
        })
}

/// The record of a span that carries token counts, or why it cannot be one.
fn record(f: &Found, a: &Attrs, ctx: &mut FileCtx) -> Result<UsageRecord, String> {
    let resource = f.resource;
    let model = a
        .text("gen_ai.response.model")
        .or_else(|| a.text("gen_ai.request.model"))
        .ok_or("no model (`gen_ai.response.model` or `gen_ai.request.model`)")?;
    let usage = attrs::usage(a)?.ok_or_else(|| format!("only `{TOTAL}`: no input or output count to price"))?;
    if usage.exclusive {
        ctx.warn("input_tokens below cache reads + writes were read as excluding them (Anthropic's own count)");
    }
    let start = nanos(f.span.get("startTimeUnixNano"), "startTimeUnixNano")?.ok_or("missing `startTimeUnixNano`")?;
    // Any u64 of nanoseconds is below 2^63 milliseconds.
    let timestamp_ms = (start / 1_000_000) as i64;
    // Unset, unreadable or before the start: no latency rather than a wrong one.
    let latency_ms = nanos(f.span.get("endTimeUnixNano"), "endTimeUnixNano")
        .ok()
        .flatten()
        .and_then(|end| end.checked_sub(start))
        .map(|d| d.saturating_add(500_000) / 1_000_000);
    let status = match f.span.get("status").and_then(|s| s.get("code")) {
        Some(Value::Number(n)) if n.as_u64() == Some(2) => Status::Error,
        Some(Value::String(s)) if s == "STATUS_CODE_ERROR" || s == "2" => Status::Error,
        _ => Status::Ok,
    };
    let trace = f
        .span
        .get("traceId")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty() && !t.bytes().all(|b| b == b'0'));
    let key = a
        .text("gen_ai.response.id")
        .or_else(|| Some(format!("otel:{}:{}", trace?, span_id(f.span)?)));
    let (tier, tier_flag) = super::usage::tier(TIER_KEYS.iter().find_map(|k| a.text(k)).as_deref());
    let paths: &AttributionPaths = ctx.attribution;
    let mut rec = UsageRecord {
        timestamp_ms,
        key,
        provider: a
            .text("gen_ai.provider.name")
            .or_else(|| a.text("gen_ai.system"))
            .map(|p| provider(&p)),
        model,
        tier,
        tokens: usage.tokens,
        requests: 1,
        team: attribution(&paths.team, "app.team", a, resource),
        template: attribution(&paths.template, "app.template", a, resource),
        template_version: attribution(&paths.template_version, "app.template_version", a, resource),
        // The SDKs' default service name says nothing.
        project: resource
            .text("service.name")
            .filter(|s| !s.starts_with("unknown_service")),
        user: ["user.id", "enduser.id"]
            .iter()
            .find_map(|k| a.text(k).or_else(|| resource.text(k))),
        session: a.text("gen_ai.conversation.id").or_else(|| trace.map(str::to_string)),
        status: Some(status),
        latency_ms,
        reported_cost_usd: a.number("gen_ai.usage.cost"),
        ..UsageRecord::default()
    };
    rec.flags.extend(tier_flag);
    if let Some(agent) = a.text("gen_ai.agent.name").or_else(|| a.text("gen_ai.agent.id")) {
        rec.tags.insert("agent".into(), agent);
    }
    if let Some(env) = resource
        .text("deployment.environment.name")
        .or_else(|| resource.text("deployment.environment"))
    {
        rec.tags.insert("environment".into(), env);
    }
    Ok(rec)
}

#[cfg(test)]
mod tests;
