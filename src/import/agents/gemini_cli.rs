//! Gemini CLI chat recordings (LOG-FORMATS §21): `~/.gemini/tmp/<project>/chats/` (or
//! `$GEMINI_DATA_DIR`), either JSONL — a session header `{sessionId, projectHash, startTime}`
//! then one line per message — or one JSON document `{sessionId, projectHash, messages: […]}`.
//! A `"type":"gemini"` message with `tokens{input, output, cached, thoughts, tool, total}` is
//! one call.
//!
//! Rules: a later message with the same `id` replaces the earlier one (the earlier is skipped);
//! `cached` is inside `input` when `total = input + output + thoughts + tool`, outside when
//! `total` also counts it, and inside when there is no `total` (Gemini's own semantics, §3);
//! `tool` tokens are input; `thoughts` are reasoning, billed as output.

use super::{after_component, stem};
use crate::import::fields;
use crate::import::lenient::count_value;
use crate::import::record::{Outcome, Parsed, Tokens, UsageRecord};
use crate::import::source::{Emit, FileCtx, Sample, Source, each_line, json_documents};
use serde_json::Value;
use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

pub struct GeminiCli;

impl Source for GeminiCli {
    fn name(&self) -> &'static str {
        "gemini-cli"
    }
    fn about(&self) -> &'static str {
        "Gemini CLI chats: ~/.gemini/tmp/*/chats (JSONL or JSON)"
    }
    fn sniff(&self, s: &Sample) -> bool {
        // A JSON session file is written indented: its first lines are not objects.
        if s.head_has("\"projectHash\"") && s.head_has("\"sessionId\"") {
            return true;
        }
        s.first_object().is_some_and(|o| {
            o.get("type").and_then(Value::as_str) == Some("gemini") && o.get("tokens").is_some_and(Value::is_object)
        })
    }
    fn read(&self, input: &mut dyn BufRead, ctx: &mut FileCtx, emit: &mut Emit) -> std::io::Result<()> {
        let mut bytes = Vec::new();
        input.read_to_end(&mut bytes)?;
        let mut session = Session {
            id: None,
            project: project_of(ctx.path),
            model: None,
            start: None,
            fallback_id: stem(ctx.path),
        };
        let mut parsed: Vec<Parsed> = Vec::new();
        if let Some(doc) = whole_document(&bytes) {
            let (line, doc) = doc;
            session.header(&doc);
            let messages = doc
                .get("messages")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default();
            for (i, m) in messages.iter().enumerate() {
                let outcome = match session.message(m) {
                    Outcome::Rejected(r) => Outcome::Rejected(format!("messages[{i}]: {r}")),
                    other => other,
                };
                parsed.push(Parsed {
                    line,
                    outcome,
                    excerpt: None,
                });
            }
        } else {
            let mut collect = |p: Parsed| {
                parsed.push(p);
                true
            };
            each_line(
                &mut std::io::Cursor::new(&bytes),
                &mut collect,
                |line| match serde_json::from_str::<Value>(line) {
                    Ok(v) if v.get("type").is_none() && v.get("sessionId").is_some() => {
                        session.header(&v);
                        Outcome::Skipped("session header")
                    }
                    Ok(v) => session.message(&v),
                    Err(e) => Outcome::Rejected(crate::import::source::json_reason(&e)),
                },
            )?;
        }
        replace_by_id(&mut parsed);
        for mut p in parsed {
            // Messages hold the conversation's text: a rejected line is kept without its start.
            p.excerpt = None;
            if !emit(p) {
                break;
            }
        }
        Ok(())
    }
}

/// The file as one JSON document with `messages`, and the line it starts on.
fn whole_document(bytes: &[u8]) -> Option<(u64, Value)> {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    if bytes[start] != b'{' {
        return None;
    }
    let docs = json_documents(&mut std::io::Cursor::new(bytes)).ok()?.ok()?;
    match docs.as_slice() {
        [(line, doc)] if doc.get("messages").is_some_and(Value::is_array) => Some((*line, doc.clone())),
        _ => None,
    }
}

/// The project directory name under `tmp/` (a hash of the project path, or its name).
fn project_of(path: &Path) -> Option<String> {
    let rel = after_component(path, "tmp")?;
    let first = rel.split('/').next()?;
    (rel.contains('/') && !first.is_empty()).then(|| first.to_string())
}

/// Of several records with the same key, only the last stays; the earlier are skipped.
fn replace_by_id(parsed: &mut [Parsed]) {
    let mut last: HashMap<String, usize> = HashMap::new();
    for (i, p) in parsed.iter().enumerate() {
        if let Outcome::Record(r) = &p.outcome {
            if let Some(k) = &r.key {
                last.insert(k.clone(), i);
            }
        }
    }
    for (i, p) in parsed.iter_mut().enumerate() {
        let replaced = matches!(&p.outcome, Outcome::Record(r) if r.key.as_ref().is_some_and(|k| last[k] != i));
        if replaced {
            p.outcome = Outcome::Skipped("replaced by a later message with the same id");
        }
    }
}

struct Session {
    id: Option<String>,
    project: Option<String>,
    model: Option<String>,
    start: Option<i64>,
    /// The file name, when no header names the session.
    fallback_id: String,
}

impl Session {
    fn header(&mut self, v: &Value) {
        if let Some(id) = fields::str_field(v, "sessionId").filter(|s| !s.is_empty()) {
            self.id = Some(id);
        }
        if let Some(p) = fields::str_field(v, "projectHash").filter(|s| !s.is_empty()) {
            self.project = Some(p);
        }
        if let Some(m) = fields::str_field(v, "model").filter(|s| !s.is_empty()) {
            self.model = Some(m);
        }
        if let Some(Ok(t)) = v.get("startTime").map(fields::time_value) {
            self.start = Some(t);
        }
    }

    fn message(&self, v: &Value) -> Outcome {
        if !v.is_object() {
            return Outcome::reject(format!("a message is {}, not an object", fields::kind(v)));
        }
        if v.get("type").and_then(Value::as_str) != Some("gemini") {
            return Outcome::Skipped("not a model response");
        }
        let Some(t) = v.get("tokens").filter(|t| !t.is_null()) else {
            return Outcome::Skipped("a response without token counts");
        };
        let tokens = match tokens(t) {
            Ok(Some(t)) => t,
            Ok(None) => return Outcome::Skipped("a response of zero tokens"),
            Err(e) => return Outcome::Rejected(e),
        };
        let model = match fields::str_field(v, "model")
            .filter(|m| !m.is_empty())
            .or_else(|| self.model.clone())
        {
            Some(m) => m,
            None => return Outcome::reject("a response without `model`"),
        };
        let timestamp_ms = match v.get("timestamp").map(fields::time_value) {
            Some(Ok(ms)) => ms,
            Some(Err(e)) => return Outcome::Rejected(e),
            None => match self.start {
                Some(ms) => ms,
                None => return Outcome::reject("missing `timestamp`"),
            },
        };
        let session = self.id.clone().unwrap_or_else(|| self.fallback_id.clone());
        let key = fields::str_field(v, "id")
            .filter(|i| !i.is_empty())
            .map(|id| format!("gemini-cli:{session}:{id}"));
        Outcome::Record(Box::new(UsageRecord {
            timestamp_ms,
            key,
            provider: Some("gemini".into()),
            model,
            tier: "standard".into(),
            tokens,
            requests: 1,
            project: self.project.clone(),
            session: Some(session),
            // A message rewritten with its final counts replaces the one stored by an earlier
            // import of the same, then shorter, file.
            largest_output_wins: true,
            ..UsageRecord::default()
        }))
    }
}

/// Canonical buckets of a `tokens` object; `None` when it counts nothing.
fn tokens(t: &Value) -> Result<Option<Tokens>, String> {
    if !t.is_object() {
        return Err(format!("`tokens` is {}, not an object", fields::kind(t)));
    }
    let n = |k: &str| -> Result<u64, String> {
        match t.get(k) {
            None => Ok(0),
            Some(v) => count_value(v, &format!("tokens.{k}")).map(Option::unwrap_or_default),
        }
    };
    let (input, output, cached, thoughts, tool) = (n("input")?, n("output")?, n("cached")?, n("thoughts")?, n("tool")?);
    let total = match t.get("total") {
        None => None,
        Some(v) => count_value(v, "tokens.total")?,
    };
    if input + output + cached + thoughts + tool == 0 {
        return Ok(None);
    }
    let inclusive = input + output + thoughts + tool;
    let cached_inside = match total {
        Some(total) if total == inclusive => true,
        Some(total) if total == inclusive + cached => false,
        Some(total) => {
            return Err(format!(
                "tokens.total ({total}) is neither input + output + thoughts + tool ({inclusive}) nor that plus cached ({})",
                inclusive + cached
            ));
        }
        None => true,
    };
    let uncached = if cached_inside {
        input.checked_sub(cached).ok_or_else(|| {
            format!("tokens.cached ({cached}) is larger than tokens.input ({input}), which includes it")
        })?
    } else {
        input
    };
    Ok(Some(Tokens {
        uncached_input: uncached + tool,
        cache_read: cached,
        cache_write_5m: 0,
        cache_write_1h: 0,
        output: output + thoughts,
        reasoning: thoughts,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cached_inside_or_outside_input_by_the_total() {
        // total = input + output + thoughts + tool: cached is inside input.
        let inside = tokens(
            &json!({"input": 10_000, "output": 400, "cached": 8_000, "thoughts": 200, "tool": 50, "total": 10_650}),
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            (
                inside.uncached_input,
                inside.cache_read,
                inside.output,
                inside.reasoning
            ),
            (2_050, 8_000, 600, 200)
        );
        // total also counts cached: it is outside.
        let outside =
            tokens(&json!({"input": 2_000, "output": 400, "cached": 8_000, "thoughts": 200, "total": 10_600}))
                .unwrap()
                .unwrap();
        assert_eq!(
            (outside.uncached_input, outside.cache_read, outside.output),
            (2_000, 8_000, 600)
        );
        // A total that fits neither is rejected.
        assert!(tokens(&json!({"input": 10, "output": 1, "cached": 5, "total": 99})).is_err());
        // Inside input, but larger than it: rejected.
        assert!(tokens(&json!({"input": 10, "cached": 50})).is_err());
    }

    #[test]
    fn project_is_the_directory_under_tmp() {
        assert_eq!(
            project_of(Path::new("/h/.gemini/tmp/ab12/chats/session-1.json")).as_deref(),
            Some("ab12")
        );
        assert_eq!(project_of(Path::new("/h/x/session-1.json")), None);
    }
}
