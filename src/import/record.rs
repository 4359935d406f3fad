//! The normalised record every importer produces (LOG-FORMATS §2), and what can happen to a
//! line: imported, skipped or rejected.

use std::collections::BTreeMap;

pub use crate::tokens::Tokens;

/// One billable provider call, or one aggregate row of a usage export.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UsageRecord {
    /// Unix milliseconds, UTC.
    pub timestamp_ms: i64,
    /// The source's dedupe key; `None` means "hash the normalised record".
    pub key: Option<String>,
    pub provider: Option<String>,
    /// The model name as logged.
    pub model: String,
    /// The tier as normalised by [`super::usage::tier`]: `standard`, `batch`, `priority`,
    /// `flex`, or an unknown value kept as logged.
    pub tier: String,
    pub tokens: Tokens,
    /// 1 for a call, N for an aggregate, 0 when unknown (Anthropic usage report).
    pub requests: u64,
    pub team: Option<String>,
    pub template: Option<String>,
    pub template_version: Option<String>,
    pub api_key_id: Option<String>,
    pub project: Option<String>,
    pub user: Option<String>,
    pub tags: BTreeMap<String, String>,
    /// The agent run, conversation or trace the call belongs to (DESIGN §13).
    pub session: Option<String>,
    /// Whether the call succeeded, when the source says.
    pub status: Option<Status>,
    /// Time from send to last byte, when the source says.
    pub latency_ms: Option<u64>,
    /// A cost the log itself states, in USD (kept for comparison, never used to price).
    pub reported_cost_usd: Option<f64>,
    /// Facts worth keeping about the record: `litellm_cache_hit`, `scale_tier`,
    /// `unknown_tier`, `fast_mode`, `long_context` (declared by an aggregate).
    pub flags: Vec<&'static str>,
    /// Claude Code: of several lines with this key, the one with the most output wins.
    pub largest_output_wins: bool,
    /// The source that first read the record, when it is not the one reading it now (a
    /// `cost export` line keeps the source of the log it came from).
    pub origin: Option<&'static str>,
}

/// A call's outcome as the store keeps it: `ok` or `error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    Error,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Error => "error",
        }
    }

    /// A status as sources spell it: `ok`/`success`/`succeeded`/`completed` or an HTTP 2xx
    /// code is ok; `error`/`failure`/`failed` or another HTTP code is an error; anything
    /// else is not known.
    pub fn parse(text: &str) -> Option<Status> {
        let t = text.trim();
        if let Ok(code) = t.parse::<u32>() {
            return Some(if (200..300).contains(&code) {
                Status::Ok
            } else {
                Status::Error
            });
        }
        match t.to_ascii_lowercase().as_str() {
            "ok" | "success" | "succeeded" | "successful" | "completed" | "complete" | "unset" => Some(Status::Ok),
            "error" | "err" | "failure" | "failed" | "fail" | "timeout" | "cancelled" | "canceled" => {
                Some(Status::Error)
            }
            _ => None,
        }
    }
}

/// What one line (or row) of an input became.
#[derive(Debug)]
pub enum Outcome {
    Record(Box<UsageRecord>),
    /// Parseable but not a billable call (a stream chunk without usage, an error body, …).
    Skipped(&'static str),
    /// Unparseable, missing a required field, or inconsistent numbers.
    Rejected(String),
}

impl Outcome {
    pub fn reject(reason: impl Into<String>) -> Outcome {
        Outcome::Rejected(reason.into())
    }
}

/// A line's outcome with where it came from.
#[derive(Debug)]
pub struct Parsed {
    pub line: u64,
    pub outcome: Outcome,
    /// The first 200 bytes of a rejected line.
    pub excerpt: Option<String>,
}

/// The first `max` bytes of a line as text, cut at a character boundary.
pub fn excerpt(bytes: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(max)]);
    let mut s = text.into_owned();
    if s.ends_with('\u{FFFD}') && bytes.len() > max {
        s.pop();
    }
    s
}
