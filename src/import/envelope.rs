//! The gateway envelope (LOG-FORMATS §7): one JSON object per provider call with the
//! provider's response and the context it lacks. The hot path of large imports, so lines are
//! read into borrowed typed structs; only unusual `[attribution]` paths reparse the line.

use super::fields;
use super::record::{Outcome, UsageRecord};
use super::source::{Emit, FileCtx, Sample, Source, each_line};
use super::usage::{self, Notes, RawUsage};
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use serde_json::Value;
use std::borrow::Cow;
use std::io::BufRead;

pub struct Envelope;

/// A timestamp as an RFC 3339 string or Unix seconds; a bad value is kept as its reason.
#[derive(Debug)]
pub struct Time(pub Result<i64, String>);

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Time, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Time;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a time")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Time, E> {
                Ok(Time(fields::parse_time(s)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Time, E> {
                Ok(Time(fields::unix_seconds(v as f64)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Time, E> {
                Ok(Time(fields::unix_seconds(v as f64)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Time, E> {
                Ok(Time(fields::unix_seconds(v)))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Time, E> {
                Ok(Time(Err("timestamp is null".into())))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Time, E> {
                Ok(Time(Err("timestamp is a boolean, not a time".into())))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
struct Line<'a> {
    #[serde(alias = "ts", alias = "created_at")]
    timestamp: Option<Time>,
    #[serde(default, borrow, deserialize_with = "super::lenient::text")]
    request_id: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "super::lenient::text")]
    provider: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "super::lenient::text")]
    api_key_id: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "super::lenient::text")]
    project: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "super::lenient::text")]
    tier: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "super::lenient::status")]
    status: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "super::lenient::text")]
    model: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "super::lenient::text")]
    user: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "super::lenient::text")]
    session_id: Option<Cow<'a, str>>,
    #[serde(default, deserialize_with = "super::lenient::cost")]
    latency_ms: Option<f64>,
    #[serde(borrow)]
    metadata: Option<Scalars<'a>>,
    #[serde(borrow)]
    tags: Option<Scalars<'a>>,
    #[serde(borrow)]
    request: Option<Request<'a>>,
    #[serde(borrow)]
    response: Option<Response<'a>>,
    usage: Option<RawUsage>,
    error: Option<de::IgnoredAny>,
}

/// A JSON object's scalar members as borrowed text (numbers and booleans printed; nested
/// values and nulls left out): metadata and tags without a `Value` per line.
#[derive(Default)]
pub struct Scalars<'a>(pub Vec<(Cow<'a, str>, Cow<'a, str>)>);

impl<'a> Scalars<'a> {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_ref())
            .filter(|v| !v.trim().is_empty())
    }
}

/// One member value: text if scalar.
struct ScalarValue<'a>(Option<Cow<'a, str>>);

impl<'de: 'a, 'a> Deserialize<'de> for ScalarValue<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ScalarValue<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(ScalarValue(Some(Cow::Borrowed(s))))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(ScalarValue(Some(Cow::Owned(s.to_string()))))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(ScalarValue(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(ScalarValue(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(ScalarValue(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(ScalarValue(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(ScalarValue(None))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(ScalarValue(None))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<de::IgnoredAny, de::IgnoredAny>()?.is_some() {}
                Ok(ScalarValue(None))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Scalars<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Scalars<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<Cow<'de, str>, ScalarValue<'de>>()? {
                    if let Some(v) = v.0 {
                        out.push((k, v));
                    }
                }
                Ok(Scalars(out))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Scalars(Vec::new()))
            }
            // Another shape (a string, a list, a number): ignored, counted as a repair.
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                super::lenient::repaired();
                Ok(Scalars(Vec::new()))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                self.visit_str("")
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                self.visit_str("")
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                self.visit_str("")
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                self.visit_str("")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                super::lenient::repaired();
                Ok(Scalars(Vec::new()))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
struct Request<'a> {
    #[serde(default, borrow, deserialize_with = "super::lenient::text")]
    model: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "super::lenient::text")]
    service_tier: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
#[allow(non_snake_case)]
struct Response<'a> {
    #[serde(default, borrow, deserialize_with = "super::lenient::text")]
    id: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "super::lenient::text")]
    model: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "super::lenient::text")]
    modelVersion: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "super::lenient::text")]
    service_tier: Option<Cow<'a, str>>,
    usage: Option<RawUsage>,
    usageMetadata: Option<RawUsage>,
    prompt: Option<Prompt>,
    error: Option<de::IgnoredAny>,
}

#[derive(Deserialize)]
struct Prompt {
    id: Option<Value>,
    version: Option<Value>,
}

fn opt(s: &Option<Cow<'_, str>>) -> Option<String> {
    s.as_deref().filter(|v| !v.trim().is_empty()).map(str::to_string)
}

/// Metadata keys read into their own columns, not kept as tags.
const META_KEYS: [&str; 5] = ["team", "template", "template_version", "session_id", "user_id"];

impl Source for Envelope {
    fn name(&self) -> &'static str {
        "envelope"
    }
    fn about(&self) -> &'static str {
        "gateway envelope JSONL: a provider call per line, with its context"
    }
    fn sniff(&self, s: &Sample) -> bool {
        s.first_object()
            .is_some_and(|o| o.get("request_id").is_some() && (o.get("response").is_some() || o.get("usage").is_some()))
    }
    fn resumable(&self) -> bool {
        true
    }
    fn read(&self, input: &mut dyn BufRead, ctx: &mut FileCtx, emit: &mut Emit) -> std::io::Result<()> {
        each_line(input, emit, |line| parse(line, ctx))
    }
}

fn parse(line: &str, ctx: &mut FileCtx) -> Outcome {
    let l: Line = match serde_json::from_str(line) {
        Ok(l) => l,
        Err(e) => return Outcome::Rejected(super::lenient::reason::<Line>(line, &e)),
    };
    let resp = l.response.as_ref();
    let usage = l
        .usage
        .as_ref()
        .or_else(|| resp.and_then(|r| r.usage.as_ref()))
        .or_else(|| resp.and_then(|r| r.usageMetadata.as_ref()));
    let Some(usage) = usage else {
        let errored =
            l.status.as_deref() == Some("error") || l.error.is_some() || resp.is_some_and(|r| r.error.is_some());
        return if errored {
            Outcome::Skipped("error without usage")
        } else {
            Outcome::reject("no usage object (`usage`, `response.usage` or `response.usageMetadata`)")
        };
    };
    let timestamp_ms = match &l.timestamp {
        Some(Time(Ok(ms))) => *ms,
        Some(Time(Err(reason))) => return Outcome::Rejected(reason.clone()),
        None => return Outcome::reject("missing `timestamp`"),
    };
    let model = l
        .model
        .as_deref()
        .or_else(|| resp.and_then(|r| r.model.as_deref().or(r.modelVersion.as_deref())))
        .or_else(|| l.request.as_ref().and_then(|r| r.model.as_deref()))
        .filter(|m| !m.trim().is_empty());
    let Some(model) = model else {
        return Outcome::reject("no model (`model`, `response.model` or `request.model`)");
    };
    let provider = opt(&l.provider);
    let anthropic = usage::is_anthropic_provider(provider.as_deref(), model);
    let Some(family) = usage.family(anthropic) else {
        return Outcome::reject("the usage object has no token counts");
    };
    let mut notes = Notes::default();
    let tokens = match usage.tokens(family, &mut notes) {
        Ok(t) => t,
        Err(reason) => return Outcome::Rejected(reason),
    };
    if notes.split_mismatch {
        ctx.warn("the cache_creation split differs from cache_creation_input_tokens; the split was kept");
    }
    let logged_tier = l
        .tier
        .as_deref()
        .or_else(|| resp.and_then(|r| r.service_tier.as_deref()))
        .or(usage.service_tier.as_deref())
        .or_else(|| l.request.as_ref().and_then(|r| r.service_tier.as_deref()));
    let (tier, tier_flag) = usage::tier(logged_tier);

    let mut rec = UsageRecord {
        timestamp_ms,
        key: opt(&l.request_id).or_else(|| resp.and_then(|r| opt(&r.id))),
        provider,
        model: model.to_string(),
        tier,
        tokens,
        requests: 1,
        api_key_id: l.api_key_id.as_deref().map(fields::api_key_id),
        project: opt(&l.project),
        user: opt(&l.user).or_else(|| l.metadata.as_ref().and_then(|m| m.get("user_id")).map(str::to_string)),
        session: opt(&l.session_id).or_else(|| {
            l.metadata
                .as_ref()
                .and_then(|m| m.get("session_id"))
                .map(str::to_string)
        }),
        status: l.status.as_deref().and_then(super::record::Status::parse),
        latency_ms: l
            .latency_ms
            .filter(|v| v.is_finite() && *v >= 0.0)
            .map(|v| v.round() as u64),
        ..UsageRecord::default()
    };
    rec.flags.extend(tier_flag);
    if usage.speed.as_deref() == Some("fast") {
        rec.flags.push("fast_mode");
    }

    // Attribution: metadata.* and tags.* are read from the typed maps; any other configured
    // path reparses the line as a whole.
    let meta = l.metadata.as_ref();
    let mut whole: Option<Value> = None;
    let mut lookup = |p: &str| -> Option<String> {
        let (head, rest) = p.split_once('.').unwrap_or((p, ""));
        match head {
            "metadata" if !rest.is_empty() && !rest.contains('.') => meta.and_then(|m| m.get(rest)).map(str::to_string),
            "tags" if !rest.is_empty() && !rest.contains('.') => {
                l.tags.as_ref().and_then(|m| m.get(rest)).map(str::to_string)
            }
            _ => {
                let root = whole.get_or_insert_with(|| serde_json::from_str(line).unwrap_or(Value::Null));
                fields::first_path(root, &[p.to_string()])
            }
        }
    };
    let pick = |configured: &[String], default: &str, lookup: &mut dyn FnMut(&str) -> Option<String>| {
        configured.iter().find_map(|p| lookup(p)).or_else(|| lookup(default))
    };
    rec.team = pick(&ctx.attribution.team, "metadata.team", &mut lookup);
    rec.template = pick(&ctx.attribution.template, "metadata.template", &mut lookup);
    rec.template_version = pick(
        &ctx.attribution.template_version,
        "metadata.template_version",
        &mut lookup,
    );
    if rec.template.is_none() {
        // A Responses body names its stored prompt.
        if let Some(p) = resp.and_then(|r| r.prompt.as_ref()) {
            rec.template = p.id.as_ref().and_then(fields::scalar);
            if rec.template_version.is_none() {
                rec.template_version = p.version.as_ref().and_then(fields::scalar);
            }
        }
    }
    if let Some(tags) = &l.tags {
        for (k, v) in &tags.0 {
            rec.tags.insert(k.to_string(), v.to_string());
        }
    }
    if let Some(meta) = meta {
        for (k, v) in &meta.0 {
            if !META_KEYS.contains(&k.as_ref()) {
                rec.tags.entry(k.to_string()).or_insert_with(|| v.to_string());
            }
        }
    }
    Outcome::Record(Box::new(rec))
}
