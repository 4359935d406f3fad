//! LiteLLM proxy SpendLogs (LOG-FORMATS §8): CSV exports, JSON arrays and JSONL. Rows are
//! read into one JSON shape, so every export format follows the same rules.

use super::fields;
use super::record::{Outcome, Parsed, Tokens, UsageRecord, excerpt};
use super::source::{Emit, FileCtx, Header, Sample, Source, each_csv_row, json_documents, json_reason};
use super::usage::{self, Notes, RawUsage};
use serde_json::{Map, Value};
use std::io::BufRead;

pub struct LiteLlm;

const NOT_TEXT: &[&str] = &[
    "embedding",
    "image",
    "transcription",
    "speech",
    "moderation",
    "rerank",
    "file",
    "batch",
    "fine_tuning",
    "realtime",
    "ocr",
    "search",
    "video",
];

impl Source for LiteLlm {
    fn name(&self) -> &'static str {
        "litellm"
    }
    fn about(&self) -> &'static str {
        "LiteLLM proxy SpendLogs: CSV export, JSON array or JSONL"
    }
    fn sniff(&self, s: &Sample) -> bool {
        let cols = s.csv_columns();
        if ["request_id", "call_type", "spend"]
            .iter()
            .all(|c| cols.iter().any(|x| x == c))
        {
            return true;
        }
        ["\"request_id\"", "\"call_type\"", "\"spend\""]
            .iter()
            .all(|k| s.head_has(k))
    }
    fn read(&self, input: &mut dyn BufRead, ctx: &mut FileCtx, emit: &mut Emit) -> std::io::Result<()> {
        let first = first_byte(input)?;
        if first == Some(b'[') || first == Some(b'{') {
            let docs = match json_documents(input)? {
                Ok(d) => d,
                Err((line, reason, ex)) => {
                    emit(Parsed {
                        line,
                        outcome: Outcome::Rejected(reason),
                        excerpt: Some(ex),
                    });
                    return Ok(());
                }
            };
            let mut n = 0u64;
            for (line, doc) in docs {
                let rows: Vec<Value> = match doc {
                    Value::Array(a) => a,
                    other => vec![other],
                };
                let array = rows.len() > 1 || first == Some(b'[');
                for row in rows {
                    n += 1;
                    let outcome = match row.as_object() {
                        Some(o) => parse(o, ctx),
                        None => Outcome::reject(format!("row is {}, not an object", fields::kind(&row))),
                    };
                    let ex = matches!(outcome, Outcome::Rejected(_)).then(|| excerpt(row.to_string().as_bytes(), 200));
                    // JSON arrays are numbered by row, JSONL by line.
                    if !emit(Parsed {
                        line: if array { n } else { line },
                        outcome,
                        excerpt: ex,
                    }) {
                        return Ok(());
                    }
                }
            }
            return Ok(());
        }
        match each_csv_row(input, emit, |header, row| parse(&csv_object(header, row), ctx))? {
            Ok(()) => Ok(()),
            Err(message) => {
                emit(Parsed {
                    line: 1,
                    outcome: Outcome::Rejected(message),
                    excerpt: None,
                });
                Ok(())
            }
        }
    }
}

fn first_byte(input: &mut dyn BufRead) -> std::io::Result<Option<u8>> {
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(None);
        }
        match buf
            .iter()
            .position(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF)
        {
            Some(i) => return Ok(Some(buf[i])),
            None => {
                let n = buf.len();
                input.consume(n);
            }
        }
    }
}

/// A CSV row as a JSON object of strings (JSON cells stay text until read).
fn csv_object(header: &Header, row: &csv::StringRecord) -> Map<String, Value> {
    header
        .names
        .iter()
        .zip(row.iter())
        .map(|(k, v)| (k.clone(), Value::String(v.to_string())))
        .collect()
}

/// `metadata` and `request_tags` may be objects, or strings holding JSON.
fn json_cell(v: Option<&Value>) -> Result<Option<Value>, String> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => serde_json::from_str(s).map(Some).map_err(|e| json_reason(&e)),
        Some(other) => Ok(Some(other.clone())),
    }
}

fn get<'a>(o: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    // CSV headers are lower-cased; JSON keeps LiteLLM's camelCase.
    o.get(key).or_else(|| o.get(&key.to_ascii_lowercase()))
}

fn text(o: &Map<String, Value>, key: &str) -> Option<String> {
    get(o, key).and_then(fields::scalar)
}

fn count(o: &Map<String, Value>, key: &str) -> Result<u64, String> {
    match get(o, key) {
        None | Some(Value::Null) => Ok(0),
        Some(v @ Value::Number(_)) => Ok(super::lenient::count_value(v, key)?.unwrap_or(0)),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(0),
        // CSV cells are text: the same rules as a JSON number.
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s.trim()) {
            Ok(v @ Value::Number(_)) => Ok(super::lenient::count_value(&v, key)?.unwrap_or(0)),
            _ => Err(format!("`{key}`: `{}` is not a token count", fields::truncate(s, 20))),
        },
        Some(other) => Err(format!("`{key}` is {}", fields::kind(other))),
    }
}

fn parse(o: &Map<String, Value>, ctx: &mut FileCtx) -> Outcome {
    let Some(request_id) = text(o, "request_id") else {
        return Outcome::reject("missing `request_id`");
    };
    let call_type = text(o, "call_type").unwrap_or_default();
    if NOT_TEXT.iter().any(|n| call_type.contains(n)) {
        return Outcome::Skipped("not a text-generation call");
    }
    if text(o, "status").as_deref() == Some("failure") {
        return Outcome::Skipped("failed call");
    }
    let timestamp_ms = match text(o, "startTime") {
        Some(t) => match fields::parse_time(&t) {
            Ok(ms) => ms,
            Err(e) => return Outcome::Rejected(format!("`startTime`: {e}")),
        },
        None => return Outcome::reject("missing `startTime`"),
    };
    let Some(model) = text(o, "model") else {
        return Outcome::reject("missing `model`");
    };
    let metadata = match json_cell(get(o, "metadata")) {
        Ok(m) => m.unwrap_or(Value::Null),
        Err(e) => return Outcome::Rejected(format!("`metadata`: {e}")),
    };
    let tags = match json_cell(get(o, "request_tags")) {
        Ok(t) => t,
        Err(e) => return Outcome::Rejected(format!("`request_tags`: {e}")),
    };
    let (prompt, completion) = match (count(o, "prompt_tokens"), count(o, "completion_tokens")) {
        (Ok(p), Ok(c)) => (p, c),
        (Err(e), _) | (_, Err(e)) => return Outcome::Rejected(e),
    };
    let usage_obj = metadata
        .get("usage_object")
        .filter(|u| u.is_object())
        .or_else(|| metadata.get("additional_usage_values").filter(|u| u.is_object()));
    let mut tokens = match usage_obj {
        Some(u) => {
            let raw = match usage::from_value(u, "usage_object") {
                Ok(r) => r,
                Err(e) => return Outcome::Rejected(e),
            };
            let mut notes = Notes::default();
            // The row's own totals are the ones LiteLLM billed; the usage object gives the split.
            let merged = RawUsage {
                prompt_tokens: Some(prompt),
                completion_tokens: Some(completion),
                cache_creation_input_tokens: raw.cache_creation_input_tokens.or(Some(0)),
                ..raw
            };
            match merged.tokens(usage::Family::LiteLlm, &mut notes) {
                Ok(t) => t,
                Err(e) => return Outcome::Rejected(e),
            }
        }
        None => {
            ctx.warn("rows without `metadata.usage_object`: the cache split is unknown, prompt_tokens imported as uncached input");
            Tokens {
                uncached_input: prompt,
                output: completion,
                ..Tokens::default()
            }
        }
    };
    let mut rec = UsageRecord {
        timestamp_ms,
        key: Some(request_id),
        provider: text(o, "custom_llm_provider"),
        model,
        tier: "standard".into(),
        requests: 1,
        api_key_id: text(o, "api_key").map(|k| fields::api_key_id(&k)),
        user: text(o, "end_user"),
        reported_cost_usd: get(o, "spend").and_then(|s| match s {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }),
        ..UsageRecord::default()
    };
    if matches!(text(o, "cache_hit").as_deref(), Some("True" | "true")) {
        // LiteLLM's own response cache answered: nothing was billed upstream.
        tokens = Tokens::default();
        rec.flags.push("litellm_cache_hit");
    }
    rec.tokens = tokens;
    let root = serde_json::json!({ "metadata": metadata });
    ctx.attribute(
        &root,
        &mut rec,
        &["metadata.user_api_key_team_alias", "metadata.spend_logs_metadata.team"],
        &["metadata.spend_logs_metadata.template"],
        &["metadata.spend_logs_metadata.template_version"],
    );
    if rec.team.is_none() {
        rec.team = text(o, "team_id").or_else(|| fields::str_field(&metadata, "user_api_key_team_id"));
    }
    rec.session = text(o, "session_id")
        .or_else(|| fields::str_field(&metadata, "trace_id"))
        .or_else(|| fields::str_field(&metadata, "litellm_trace_id"));
    rec.status = text(o, "status").and_then(|s| super::record::Status::parse(&s));
    rec.latency_ms = text(o, "endTime")
        .and_then(|t| fields::parse_time(&t).ok())
        .and_then(|end| u64::try_from(end - timestamp_ms).ok());
    rec.project =
        fields::str_field(&metadata, "project_id").or_else(|| fields::str_field(&metadata, "user_api_key_project_id"));
    if let Some(Value::Array(items)) = tags {
        for t in items.iter().filter_map(Value::as_str) {
            match t.split_once(':') {
                Some((k, v)) => rec.tags.insert(k.trim().to_string(), v.trim().to_string()),
                None => rec.tags.insert(t.to_string(), String::new()),
            };
        }
    }
    Outcome::Record(Box::new(rec))
}
