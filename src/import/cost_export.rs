//! `cost`'s own lossless export (`cost export --format jsonl`): one stored request per line,
//! with the dedupe key it was stored under. Importing such a file adds exactly the requests a
//! store does not hold yet, so the stores of several machines merge into one.
//!
//! A line keeps what was read from the log (time, model as logged, tier, the six buckets,
//! attribution, tags, session, user, status, latency, a cost the log stated, flags) and where
//! it came from (`source`, `file`, `line`). The cost is not taken from the line: the record
//! is priced again with this store's prices, like any import (`cost_usd` and `model_priced`
//! are there for people reading the file).

use super::envelope::{Scalars, Time};
use super::lenient;
use super::record::{Outcome, Status, Tokens, UsageRecord};
use super::source::{Emit, FileCtx, Sample, Source, each_line};
use serde::Deserialize;
use std::borrow::Cow;
use std::io::BufRead;

pub struct CostExport;

/// The `schema` member every line carries; a later version is refused by name.
pub const SCHEMA: &str = "cost.export/v1";

/// Flags that say something about the call and are kept. `unknown_model` and
/// `no_tier_price` say how it was priced, and are decided again by this store's prices.
const KEPT_FLAGS: [&str; 6] = [
    "fast_mode",
    "litellm_cache_hit",
    "long_context",
    "model_fallback",
    "scale_tier",
    "unknown_tier",
];
const PRICE_FLAGS: [&str; 2] = ["unknown_model", "no_tier_price"];

#[derive(Deserialize)]
struct Line<'a> {
    #[serde(default, borrow, deserialize_with = "lenient::text")]
    schema: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "lenient::text")]
    key: Option<Cow<'a, str>>,
    timestamp: Option<Time>,
    #[serde(default, borrow, deserialize_with = "lenient::text")]
    provider: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "lenient::text")]
    model: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "lenient::text")]
    tier: Option<Cow<'a, str>>,
    #[serde(default, deserialize_with = "lenient::count")]
    requests: Option<u64>,
    tokens: Option<Buckets>,
    #[serde(default, borrow, deserialize_with = "lenient::text")]
    team: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "lenient::text")]
    template: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "lenient::text")]
    template_version: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "lenient::text")]
    api_key_id: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "lenient::text")]
    project: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "lenient::text")]
    user: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "lenient::text")]
    session_id: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "lenient::status")]
    status: Option<Cow<'a, str>>,
    #[serde(default, deserialize_with = "lenient::count")]
    latency_ms: Option<u64>,
    #[serde(borrow)]
    tags: Option<Scalars<'a>>,
    #[serde(default, deserialize_with = "lenient::cost")]
    reported_cost_usd: Option<f64>,
    #[serde(default, borrow)]
    flags: Vec<Cow<'a, str>>,
    #[serde(default)]
    largest_output_wins: bool,
    #[serde(default, borrow, deserialize_with = "lenient::text")]
    source: Option<Cow<'a, str>>,
}

/// The canonical buckets, under their own names (a missing bucket is 0).
#[derive(Deserialize)]
struct Buckets {
    #[serde(default, deserialize_with = "lenient::count")]
    uncached_input: Option<u64>,
    #[serde(default, deserialize_with = "lenient::count")]
    cache_read: Option<u64>,
    #[serde(default, deserialize_with = "lenient::count")]
    cache_write_5m: Option<u64>,
    #[serde(default, deserialize_with = "lenient::count")]
    cache_write_1h: Option<u64>,
    #[serde(default, deserialize_with = "lenient::count")]
    output: Option<u64>,
    #[serde(default, deserialize_with = "lenient::count")]
    reasoning: Option<u64>,
}

impl Source for CostExport {
    fn name(&self) -> &'static str {
        "cost-export"
    }
    fn about(&self) -> &'static str {
        "cost's own export (`cost export --format jsonl`): a stored request per line, merged by its key"
    }
    fn sniff(&self, s: &Sample) -> bool {
        s.first_object().is_some_and(|o| {
            o.get("schema")
                .and_then(|v| v.as_str())
                .is_some_and(|v| v.starts_with("cost.export/"))
        })
    }
    fn read(&self, input: &mut dyn BufRead, ctx: &mut FileCtx, emit: &mut Emit) -> std::io::Result<()> {
        each_line(input, emit, |line| parse(line, ctx))
    }
}

fn text(v: &Option<Cow<'_, str>>) -> Option<String> {
    v.as_deref().filter(|s| !s.trim().is_empty()).map(str::to_string)
}

fn parse(line: &str, ctx: &mut FileCtx) -> Outcome {
    let l: Line = match serde_json::from_str(line) {
        Ok(l) => l,
        Err(e) => return Outcome::Rejected(lenient::reason::<Line>(line, &e)),
    };
    match l.schema.as_deref() {
        Some(SCHEMA) => {}
        Some(other) if other.starts_with("cost.export/") => {
            return Outcome::Rejected(format!(
                "`schema` is {other}: written by a newer cost (this one reads {SCHEMA}); upgrade cost to import it"
            ));
        }
        Some(other) => return Outcome::Rejected(format!("`schema` is `{other}`, not {SCHEMA}")),
        None => return Outcome::reject(format!("missing `schema` ({SCHEMA})")),
    }
    let Some(key) = text(&l.key) else {
        return Outcome::reject("missing `key` (the dedupe key the request was stored under)");
    };
    let timestamp_ms = match l.timestamp {
        Some(Time(Ok(ms))) => ms,
        Some(Time(Err(reason))) => return Outcome::Rejected(reason),
        None => return Outcome::reject("missing `timestamp`"),
    };
    let Some(model) = text(&l.model) else {
        return Outcome::reject("missing `model`");
    };
    let Some(tier) = text(&l.tier) else {
        return Outcome::reject("missing `tier`");
    };
    let Some(requests) = l.requests else {
        return Outcome::reject("missing `requests`");
    };
    let Some(b) = l.tokens else {
        return Outcome::reject("missing `tokens`");
    };
    let tokens = Tokens {
        uncached_input: b.uncached_input.unwrap_or(0),
        cache_read: b.cache_read.unwrap_or(0),
        cache_write_5m: b.cache_write_5m.unwrap_or(0),
        cache_write_1h: b.cache_write_1h.unwrap_or(0),
        output: b.output.unwrap_or(0),
        reasoning: b.reasoning.unwrap_or(0),
    };
    if tokens.reasoning > tokens.output {
        return Outcome::Rejected(format!(
            "`tokens.reasoning` ({}) is above `tokens.output` ({}): reasoning is part of the output",
            tokens.reasoning, tokens.output
        ));
    }
    // The source that read the log first stays the record's source; a name this version does
    // not know is stored as `cost-export` (said once per file).
    let origin = match l.source.as_deref() {
        None => None,
        Some(name) => match super::source_named(name).filter(|s| s.name() != CostExport.name()) {
            Some(s) => Some(s.name()),
            None => {
                ctx.warn(format!(
                    "source `{name}` is unknown to this version of cost: its records are stored as from `cost-export`"
                ));
                None
            }
        },
    };
    let mut rec = UsageRecord {
        timestamp_ms,
        key: Some(key),
        provider: text(&l.provider),
        model,
        tier,
        tokens,
        requests,
        team: text(&l.team),
        template: text(&l.template),
        template_version: text(&l.template_version),
        api_key_id: text(&l.api_key_id),
        project: text(&l.project),
        user: text(&l.user),
        session: text(&l.session_id),
        status: l.status.as_deref().and_then(Status::parse),
        latency_ms: l.latency_ms,
        reported_cost_usd: l.reported_cost_usd,
        largest_output_wins: l.largest_output_wins,
        origin,
        ..UsageRecord::default()
    };
    if let Some(tags) = &l.tags {
        for (k, v) in &tags.0 {
            rec.tags.insert(k.to_string(), v.to_string());
        }
    }
    for f in &l.flags {
        match KEPT_FLAGS.iter().find(|k| **k == f.as_ref()) {
            Some(k) => rec.flags.push(k),
            None if PRICE_FLAGS.contains(&f.as_ref()) => {}
            None => ctx.warn(format!("flag `{f}` is unknown to this version of cost: left out")),
        }
    }
    Outcome::Record(Box::new(rec))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::AttributionPaths;
    use std::path::Path;

    fn read(line: &str) -> (Outcome, Vec<String>) {
        let attribution = AttributionPaths::default();
        let mut ctx = FileCtx {
            path: Path::new("x.jsonl"),
            fallback_time_ms: None,
            attribution: &attribution,
            warnings: Default::default(),
        };
        let out = parse(line, &mut ctx);
        (out, ctx.warnings.into_keys().collect())
    }

    const LINE: &str = r#"{"schema":"cost.export/v1","key":"chatcmpl-1","timestamp":"2026-09-01T10:00:00.250Z","provider":"openai","model":"gpt-4o-2024-08-06","model_priced":"gpt-4o-2024-08-06","tier":"batch","requests":1,"tokens":{"uncached_input":1200,"cache_read":800,"output":300,"reasoning":100},"team":"support","template":"support/answer","template_version":"7","api_key_id":"key_1","project":"proj_1","user":"u-42","session_id":"run-9","status":"error","latency_ms":840,"tags":{"env":"prod"},"cost_usd":0.1,"unpriced":false,"reported_cost_usd":0.00725,"flags":["scale_tier","unknown_model","no_such_flag"],"largest_output_wins":true,"source":"claude-code","file":"logs/a.jsonl","line":3}"#;

    #[test]
    fn a_line_is_the_stored_record() {
        let (out, warnings) = read(LINE);
        let Outcome::Record(rec) = out else { panic!("{out:?}") };
        assert_eq!(rec.key.as_deref(), Some("chatcmpl-1"));
        assert_eq!(rec.timestamp_ms, 1_788_256_800_250);
        assert_eq!(rec.provider.as_deref(), Some("openai"));
        assert_eq!(rec.model, "gpt-4o-2024-08-06");
        assert_eq!(rec.tier, "batch");
        assert_eq!(
            rec.tokens,
            Tokens {
                uncached_input: 1200,
                cache_read: 800,
                cache_write_5m: 0,
                cache_write_1h: 0,
                output: 300,
                reasoning: 100
            }
        );
        assert_eq!(rec.requests, 1);
        assert_eq!(
            (
                rec.team.as_deref(),
                rec.template.as_deref(),
                rec.template_version.as_deref()
            ),
            (Some("support"), Some("support/answer"), Some("7"))
        );
        assert_eq!(
            (rec.api_key_id.as_deref(), rec.project.as_deref(), rec.user.as_deref()),
            (Some("key_1"), Some("proj_1"), Some("u-42"))
        );
        assert_eq!(rec.session.as_deref(), Some("run-9"));
        assert_eq!(rec.status, Some(Status::Error));
        assert_eq!(rec.latency_ms, Some(840));
        assert_eq!(rec.tags.get("env").map(String::as_str), Some("prod"));
        assert_eq!(rec.reported_cost_usd, Some(0.00725));
        // Pricing flags are decided again; an unknown flag is left out with a warning.
        assert_eq!(rec.flags, vec!["scale_tier"]);
        assert!(rec.largest_output_wins);
        assert_eq!(rec.origin, Some("claude-code"));
        assert_eq!(
            warnings,
            vec!["flag `no_such_flag` is unknown to this version of cost: left out"]
        );
    }

    fn rejected(line: &str) -> String {
        match read(line).0 {
            Outcome::Rejected(r) => r,
            other => panic!("not rejected: {other:?}"),
        }
    }

    #[test]
    fn bad_lines_are_rejected_naming_the_field() {
        assert_eq!(
            rejected(&LINE.replace(r#""output":300"#, r#""output":-3"#)),
            "`tokens.output`: -3 is negative"
        );
        assert_eq!(
            rejected(&LINE.replace("cost.export/v1", "cost.export/v2")),
            "`schema` is cost.export/v2: written by a newer cost (this one reads cost.export/v1); upgrade cost to import it"
        );
        assert_eq!(
            rejected(&LINE.replace(r#""key":"chatcmpl-1","#, "")),
            "missing `key` (the dedupe key the request was stored under)"
        );
        assert_eq!(
            rejected(&LINE.replace(r#""reasoning":100"#, r#""reasoning":301"#)),
            "`tokens.reasoning` (301) is above `tokens.output` (300): reasoning is part of the output"
        );
        assert_eq!(rejected(&LINE.replace(r#""tier":"batch","#, "")), "missing `tier`");
    }

    #[test]
    fn an_unknown_source_is_kept_as_cost_export() {
        let (out, warnings) = read(&LINE.replace(r#""source":"claude-code""#, r#""source":"acme-agent""#));
        let Outcome::Record(rec) = out else { panic!() };
        assert_eq!(rec.origin, None);
        assert!(
            warnings.iter().any(|w| w.starts_with("source `acme-agent` is unknown")),
            "{warnings:?}"
        );
    }
}
