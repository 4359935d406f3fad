//! OpenAI Codex CLI sessions (LOG-FORMATS §21): `${CODEX_HOME:-~/.codex}/sessions/**/*.jsonl`
//! and `archived_sessions/`. A `turn_context` line sets the model; `token_count` events carry
//! the turn's own usage (`last_token_usage`) and the session's running total
//! (`total_token_usage`, OpenAI semantics: cached inside input, reasoning inside output).
//!
//! The traps, and what this reader does about them:
//! - Codex re-emits an unchanged running total with a fresh timestamp: an event is billed only
//!   when the total moved (by `last_token_usage`, or the difference of totals in older files
//!   that have only totals). The record's key is the session and the total it moved to, so a
//!   file read again, or its archived copy, adds nothing.
//! - A forked or subagent session (`forked_from_id`, `source.subagent.thread_spawn`) starts by
//!   replaying its parent's events, stamped at the moment it was created: the token counts of
//!   that burst are the parent's and are skipped (they still set the running total).
//! - `sessions/` and `archived_sessions/` may hold the same relative path: the active copy wins.
//! - A session without any model (early versions) is priced as `gpt-5`, flagged `model_fallback`.
//! - `service_tier = "fast"` or `"priority"` in the Codex `config.toml` bills the priority tier.

use super::{above_component, after_component, stem};
use crate::import::fields;
use crate::import::record::{Outcome, Tokens, UsageRecord};
use crate::import::source::{Emit, FileCtx, Sample, Source, each_line};
use serde::Deserialize;
use serde_json::Value;
use std::borrow::Cow;
use std::io::BufRead;
use std::path::{Path, PathBuf};

pub struct Codex;

/// The model an event is priced as when its session names none.
pub const FALLBACK_MODEL: &str = "gpt-5";

/// How long after a forked session's creation its replay of the parent may still be written.
/// The replay is one burst written as the file is created; the fork's own first call cannot
/// finish within it.
pub const REPLAY_WINDOW_MS: i64 = 1_000;

const LINE_TYPES: [&str; 5] = [
    "session_meta",
    "turn_context",
    "event_msg",
    "response_item",
    "compacted",
];

impl Source for Codex {
    fn name(&self) -> &'static str {
        "codex"
    }
    fn about(&self) -> &'static str {
        "OpenAI Codex CLI sessions: ~/.codex/sessions (and archived_sessions)"
    }
    fn sniff(&self, s: &Sample) -> bool {
        s.first_object().is_some_and(|o| {
            o.get("payload").is_some_and(Value::is_object)
                && o.get("type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| LINE_TYPES.contains(&t))
        })
    }
    fn reads_directories(&self) -> bool {
        true
    }
    fn read(&self, input: &mut dyn BufRead, ctx: &mut FileCtx, emit: &mut Emit) -> std::io::Result<()> {
        if active_copy(ctx.path).is_some() {
            return each_line(input, emit, |_| {
                Outcome::Skipped("archived copy of a session also in sessions/ (the active copy is read)")
            });
        }
        let tier = match service_tier(ctx.path) {
            Ok(t) => t,
            Err(warning) => {
                ctx.warn(warning);
                None
            }
        };
        let mut state = State::new(ctx.path, tier);
        each_line(input, emit, |line| state.parse(line))
    }
}

/// The session of a file: its path under `sessions/` (or `archived_sessions/`) without the
/// extension, else its name.
pub fn session_of(path: &Path) -> String {
    let rel = after_component(path, "sessions").or_else(|| after_component(path, "archived_sessions"));
    match rel {
        Some(rel) => match rel.rsplit_once('/') {
            Some((dir, _)) => format!("{dir}/{}", stem(path)),
            None => stem(path),
        },
        None => stem(path),
    }
}

/// For a file under `archived_sessions/`, the same relative path under `sessions/` when it
/// exists.
fn active_copy(path: &Path) -> Option<PathBuf> {
    let rel = after_component(path, "archived_sessions")?;
    let home = above_component(path, "archived_sessions")?;
    let active = home.join("sessions").join(rel);
    active.is_file().then_some(active)
}

/// The tier set by `service_tier` in the `config.toml` of the Codex home the file is under.
fn service_tier(path: &Path) -> Result<Option<&'static str>, String> {
    let Some(home) = above_component(path, "sessions").or_else(|| above_component(path, "archived_sessions")) else {
        return Ok(None);
    };
    let config = home.join("config.toml");
    let text = match std::fs::read_to_string(&config) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{}: {e}; priced at the standard tier", config.display())),
    };
    let table: toml::Table = toml::from_str(&text).map_err(|e| {
        format!(
            "{}: not valid TOML ({}); priced at the standard tier",
            config.display(),
            e.message()
        )
    })?;
    Ok(match table.get("service_tier").and_then(toml::Value::as_str) {
        Some("fast" | "priority") => Some("priority"),
        Some("flex") => Some("flex"),
        _ => None,
    })
}

#[derive(Deserialize)]
struct Line<'a> {
    #[serde(default, borrow, deserialize_with = "crate::import::lenient::text")]
    timestamp: Option<Cow<'a, str>>,
    #[serde(rename = "type", default, borrow, deserialize_with = "crate::import::lenient::text")]
    kind: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    payload: Option<Payload<'a>>,
}

#[derive(Deserialize)]
struct Payload<'a> {
    #[serde(rename = "type", default, borrow, deserialize_with = "crate::import::lenient::text")]
    kind: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "crate::import::lenient::text")]
    model: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "crate::import::lenient::text")]
    cwd: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "crate::import::lenient::text")]
    timestamp: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "crate::import::lenient::text")]
    forked_from_id: Option<Cow<'a, str>>,
    #[serde(default)]
    source: Option<Value>,
    #[serde(default)]
    git: Option<Value>,
    #[serde(default)]
    info: Option<Info<'a>>,
}

#[derive(Deserialize)]
struct Info<'a> {
    #[serde(default)]
    total_token_usage: Option<Usage>,
    #[serde(default)]
    last_token_usage: Option<Usage>,
    #[serde(default, borrow, deserialize_with = "crate::import::lenient::text")]
    model: Option<Cow<'a, str>>,
}

#[derive(Deserialize, Default)]
struct Usage {
    #[serde(default, deserialize_with = "crate::import::lenient::count")]
    input_tokens: Option<u64>,
    #[serde(default, deserialize_with = "crate::import::lenient::count")]
    cached_input_tokens: Option<u64>,
    #[serde(default, deserialize_with = "crate::import::lenient::count")]
    output_tokens: Option<u64>,
    #[serde(default, deserialize_with = "crate::import::lenient::count")]
    reasoning_output_tokens: Option<u64>,
}

/// Codex's four counts, as logged (OpenAI semantics).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub input: u64,
    pub cached: u64,
    pub output: u64,
    pub reasoning: u64,
}

impl Counts {
    fn of(u: &Usage) -> Counts {
        Counts {
            input: u.input_tokens.unwrap_or(0),
            cached: u.cached_input_tokens.unwrap_or(0),
            output: u.output_tokens.unwrap_or(0),
            reasoning: u.reasoning_output_tokens.unwrap_or(0),
        }
    }

    /// What happened between two running totals; a total below the previous one started
    /// again from zero (a fork counting on its own), so all of it is new.
    fn since(self, before: Option<Counts>) -> Counts {
        let Some(b) = before else { return self };
        let diff = (
            self.input.checked_sub(b.input),
            self.cached.checked_sub(b.cached),
            self.output.checked_sub(b.output),
            self.reasoning.checked_sub(b.reasoning),
        );
        match diff {
            (Some(input), Some(cached), Some(output), Some(reasoning)) => Counts {
                input,
                cached,
                output,
                reasoning,
            },
            _ => self,
        }
    }

    fn is_zero(self) -> bool {
        self == Counts::default()
    }

    /// Canonical buckets (cached inside input, reasoning inside output), or why not.
    fn tokens(self) -> Result<Tokens, String> {
        let uncached = self.input.checked_sub(self.cached).ok_or_else(|| {
            format!(
                "cached_input_tokens ({}) is larger than input_tokens ({})",
                self.cached, self.input
            )
        })?;
        if self.reasoning > self.output {
            return Err(format!(
                "reasoning_output_tokens ({}) is larger than the output it is part of ({})",
                self.reasoning, self.output
            ));
        }
        Ok(Tokens {
            uncached_input: uncached,
            cache_read: self.cached,
            cache_write_5m: 0,
            cache_write_1h: 0,
            output: self.output,
            reasoning: self.reasoning,
        })
    }
}

/// What one file has told so far.
struct State {
    session: String,
    tier: Option<&'static str>,
    model: Option<String>,
    project: Option<String>,
    branch: Option<String>,
    /// The running total of the last token count.
    total: Option<Counts>,
    /// The file's own `session_meta` was read (later ones are its parent's, replayed).
    meta_seen: bool,
    /// A fork: when it was created, while its replay of the parent is still being read.
    replay_until: Option<i64>,
    /// A fork whose creation time is not known yet: the first token count sets it.
    fork_pending: bool,
}

impl State {
    fn new(path: &Path, tier: Option<&'static str>) -> State {
        State {
            session: session_of(path),
            tier,
            model: None,
            project: None,
            branch: None,
            total: None,
            meta_seen: false,
            replay_until: None,
            fork_pending: false,
        }
    }

    fn parse(&mut self, line: &str) -> Outcome {
        let bytes = line.as_bytes();
        let relevant = ["\"token_count\"", "\"turn_context\"", "\"session_meta\""]
            .iter()
            .any(|m| memchr::memmem::find(bytes, m.as_bytes()).is_some());
        // Messages, tool calls and reasoning items are most of a session: a complete line that
        // names none of the three line types read here is skipped without parsing it.
        if !relevant && line.trim_end().ends_with('}') {
            return Outcome::Skipped("not a token count");
        }
        let l: Line = match serde_json::from_str(line) {
            Ok(l) => l,
            Err(e) => return Outcome::Rejected(crate::import::lenient::reason::<Line>(line, &e)),
        };
        let Some(payload) = l.payload else {
            return Outcome::Skipped("not a token count");
        };
        match l.kind.as_deref() {
            Some("session_meta") => {
                self.meta(l.timestamp.as_deref(), payload);
                Outcome::Skipped("session metadata")
            }
            Some("turn_context") => {
                if let Some(m) = payload.model.as_deref().filter(|m| !m.is_empty()) {
                    self.model = Some(m.to_string());
                }
                if let Some(c) = payload.cwd.as_deref().filter(|c| !c.is_empty()) {
                    self.project = Some(c.to_string());
                }
                Outcome::Skipped("turn context (sets the model)")
            }
            Some("event_msg") if payload.kind.as_deref() == Some("token_count") => {
                self.count(l.timestamp.as_deref(), payload)
            }
            _ => Outcome::Skipped("not a token count"),
        }
    }

    /// The file's own session metadata: its project, branch, and whether it is a fork.
    fn meta(&mut self, line_time: Option<&str>, p: Payload) {
        if self.meta_seen {
            return;
        }
        self.meta_seen = true;
        if let Some(c) = p.cwd.as_deref().filter(|c| !c.is_empty()) {
            self.project = Some(c.to_string());
        }
        self.branch = p
            .git
            .as_ref()
            .and_then(|g| g.get("branch"))
            .and_then(Value::as_str)
            .filter(|b| !b.is_empty())
            .map(str::to_string);
        let spawned = p
            .source
            .as_ref()
            .and_then(|s| fields::path(s, "subagent.thread_spawn.parent_thread_id"))
            .is_some_and(|v| !v.is_null());
        let forked = p.forked_from_id.as_deref().is_some_and(|f| !f.is_empty());
        if forked || spawned {
            let created = line_time
                .or(p.timestamp.as_deref())
                .and_then(|t| fields::parse_time(t).ok());
            match created {
                Some(ms) => self.replay_until = Some(ms + REPLAY_WINDOW_MS),
                None => self.fork_pending = true,
            }
        }
    }

    fn count(&mut self, time: Option<&str>, p: Payload) -> Outcome {
        let Some(info) = p.info else {
            return Outcome::Skipped("token count without usage (rate limits only)");
        };
        let timestamp_ms = match time.map(fields::parse_time) {
            Some(Ok(ms)) => ms,
            Some(Err(e)) => return Outcome::Rejected(e),
            None => return Outcome::reject("missing `timestamp`"),
        };
        let total = info.total_token_usage.as_ref().map(Counts::of);
        let last = info.last_token_usage.as_ref().map(Counts::of);
        if std::mem::take(&mut self.fork_pending) {
            self.replay_until = Some(timestamp_ms + REPLAY_WINDOW_MS);
        }
        if let Some(until) = self.replay_until {
            if timestamp_ms <= until {
                if total.is_some() {
                    self.total = total;
                }
                return Outcome::Skipped("the parent's events replayed by a forked or subagent session");
            }
            self.replay_until = None;
        }
        let turn = match (total, last) {
            (None, None) => return Outcome::Skipped("token count without usage"),
            (Some(t), _) if Some(t) == self.total => {
                return Outcome::Skipped("running total unchanged: a re-emitted token count");
            }
            (Some(t), Some(l)) => {
                let before = self.total.replace(t);
                // A turn whose own usage is all zero while the total moved: the difference is
                // what was spent.
                if l.is_zero() { t.since(before) } else { l }
            }
            (Some(t), None) => t.since(self.total.replace(t)),
            (None, Some(l)) => l,
        };
        if turn.is_zero() {
            return Outcome::Skipped("token count of zero tokens");
        }
        let tokens = match turn.tokens() {
            Ok(t) => t,
            Err(e) => return Outcome::Rejected(e),
        };
        let logged = info.model.as_deref().or(p.model.as_deref()).filter(|m| !m.is_empty());
        let (model, fallback) = match (logged, &self.model) {
            (Some(m), _) => (m.to_string(), false),
            (None, Some(m)) => (m.clone(), false),
            (None, None) => (FALLBACK_MODEL.to_string(), true),
        };
        let key = match total {
            Some(t) => Some(format!(
                "codex:{}:{}:{}:{}:{}",
                self.session, t.input, t.cached, t.output, t.reasoning
            )),
            None => None,
        };
        let mut rec = UsageRecord {
            timestamp_ms,
            key,
            provider: Some("openai".into()),
            model,
            tier: self.tier.unwrap_or("standard").to_string(),
            tokens,
            requests: 1,
            project: self.project.clone(),
            session: Some(self.session.clone()),
            ..UsageRecord::default()
        };
        if fallback {
            rec.flags.push("model_fallback");
        }
        if let Some(b) = &self.branch {
            rec.tags.insert("git_branch".into(), b.clone());
        }
        Outcome::Record(Box::new(rec))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_is_the_path_under_sessions_without_extension() {
        assert_eq!(
            session_of(Path::new("/h/.codex/sessions/2026/05/12/rollout-a.jsonl")),
            "2026/05/12/rollout-a"
        );
        assert_eq!(
            session_of(Path::new("/h/.codex/archived_sessions/2026/05/12/rollout-a.jsonl")),
            "2026/05/12/rollout-a"
        );
        assert_eq!(session_of(Path::new("/tmp/rollout-b.jsonl")), "rollout-b");
    }

    #[test]
    fn totals_difference_and_restart() {
        let a = Counts {
            input: 1_000,
            cached: 100,
            output: 200,
            reasoning: 20,
        };
        let b = Counts {
            input: 1_600,
            cached: 160,
            output: 320,
            reasoning: 20,
        };
        assert_eq!(
            b.since(Some(a)),
            Counts {
                input: 600,
                cached: 60,
                output: 120,
                reasoning: 0
            }
        );
        // A total below the one before started again: all of it is new.
        assert_eq!(a.since(Some(b)), a);
        assert_eq!(a.since(None), a);
    }
}
