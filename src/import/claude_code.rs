//! Claude Code transcripts (LOG-FORMATS §9): `projects/<dir>/<session>.jsonl` and
//! `…/subagents/agent-*.jsonl`. One API response may be written as several lines; the copy
//! with the most output wins (streamed snapshots carry placeholder counts).

use super::fields;
use super::record::{Outcome, UsageRecord};
use super::source::{Emit, FileCtx, Sample, Source, each_line};
use super::usage::{Family, Notes, RawUsage};
use serde::Deserialize;
use std::borrow::Cow;
use std::io::BufRead;
use std::path::Path;

pub struct ClaudeCode;

#[derive(Deserialize)]
#[allow(non_snake_case)]
struct Line<'a> {
    #[serde(rename = "type", default, borrow, deserialize_with = "super::lenient::text")]
    kind: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "super::lenient::text")]
    timestamp: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "super::lenient::text")]
    requestId: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "super::lenient::text")]
    sessionId: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "super::lenient::text")]
    cwd: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "super::lenient::text")]
    gitBranch: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "super::lenient::text")]
    agentId: Option<Cow<'a, str>>,
    #[serde(default, deserialize_with = "super::lenient::cost")]
    costUSD: Option<f64>,
    #[serde(borrow)]
    message: Option<Message<'a>>,
}

#[derive(Deserialize)]
struct Message<'a> {
    #[serde(default, borrow, deserialize_with = "super::lenient::text")]
    id: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "super::lenient::text")]
    model: Option<Cow<'a, str>>,
    usage: Option<RawUsage>,
}

impl Source for ClaudeCode {
    fn name(&self) -> &'static str {
        "claude-code"
    }
    fn about(&self) -> &'static str {
        "Claude Code transcripts: a projects/ tree (~/.claude/projects)"
    }
    fn sniff(&self, s: &Sample) -> bool {
        s.first_object().is_some_and(|o| {
            (o.get("type").is_some() && o.get("sessionId").is_some())
                || o.get("type").and_then(|t| t.as_str()) == Some("summary")
        })
    }
    fn reads_directories(&self) -> bool {
        true
    }
    fn largest_output_wins(&self) -> bool {
        true
    }
    fn resumable(&self) -> bool {
        true
    }
    fn read(&self, input: &mut dyn BufRead, ctx: &mut FileCtx, emit: &mut Emit) -> std::io::Result<()> {
        let project = project_of(ctx.path);
        let parent = parent_session(ctx.path);
        each_line(input, emit, |line| {
            parse(line, project.as_deref(), parent.as_deref(), ctx)
        })
    }
}

/// The `<project-dir>` a transcript belongs to: the path component after `projects`.
fn project_of(path: &Path) -> Option<String> {
    let parts: Vec<_> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let at = parts.iter().rposition(|p| p == "projects")?;
    parts.get(at + 1).filter(|_| at + 2 < parts.len()).cloned()
}

/// A subagent transcript (`<session>/subagents/agent-*.jsonl`) belongs to its parent's
/// session, whatever session id its lines carry.
fn parent_session(path: &Path) -> Option<String> {
    let dir = path.parent()?;
    if dir.file_name()? != "subagents" {
        return None;
    }
    let session = dir.parent()?.file_name()?.to_string_lossy().into_owned();
    (!session.is_empty()).then_some(session)
}

fn parse(line: &str, project: Option<&str>, parent: Option<&str>, _ctx: &mut FileCtx) -> Outcome {
    // Most lines are user turns, tool results and summaries: a complete line that never says
    // "assistant" cannot be an API response, so it is skipped without parsing its content.
    if memchr::memmem::find(line.as_bytes(), b"\"assistant\"").is_none() && line.trim_end().ends_with('}') {
        return Outcome::Skipped("not an assistant response");
    }
    let l: Line = match serde_json::from_str(line) {
        Ok(l) => l,
        Err(e) => return Outcome::Rejected(super::lenient::reason::<Line>(line, &e)),
    };
    if l.kind.as_deref() != Some("assistant") {
        return Outcome::Skipped("not an assistant response");
    }
    let Some(message) = l.message else {
        return Outcome::Skipped("assistant line without a message");
    };
    let Some(usage) = message.usage else {
        return Outcome::Skipped("assistant line without usage");
    };
    let model = message.model.as_deref().unwrap_or("");
    if model == "<synthetic>" {
        return Outcome::Skipped("<synthetic> message (not an API call)");
    }
    if model.is_empty() {
        return Outcome::reject("assistant line without `message.model`");
    }
    let timestamp_ms = match l.timestamp.as_deref().map(fields::parse_time) {
        Some(Ok(ms)) => ms,
        Some(Err(e)) => return Outcome::Rejected(e),
        None => return Outcome::reject("missing `timestamp`"),
    };
    let tokens = match usage.tokens(Family::Anthropic, &mut Notes::default()) {
        Ok(t) => t,
        Err(e) => return Outcome::Rejected(e),
    };
    let (tier, flag) = super::usage::tier(usage.service_tier.as_deref());
    let key = match (message.id.as_deref(), l.requestId.as_deref()) {
        (Some(m), Some(r)) if !m.is_empty() && !r.is_empty() => Some(format!("{m}:{r}")),
        _ => None,
    };
    let mut rec = UsageRecord {
        timestamp_ms,
        key,
        provider: Some("anthropic".into()),
        model: model.to_string(),
        tier,
        tokens,
        requests: 1,
        // The working directory names the project exactly; the directory name is a lossy copy.
        project: l
            .cwd
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .or_else(|| project.map(str::to_string)),
        reported_cost_usd: l.costUSD,
        session: parent
            .map(str::to_string)
            .or_else(|| l.sessionId.as_deref().filter(|s| !s.is_empty()).map(str::to_string)),
        status: Some(super::record::Status::Ok),
        largest_output_wins: ClaudeCode.largest_output_wins(),
        ..UsageRecord::default()
    };
    rec.flags.extend(flag);
    if usage.speed.as_deref() == Some("fast") {
        rec.flags.push("fast_mode");
    }
    for (k, v) in [("git_branch", &l.gitBranch), ("agent_id", &l.agentId)] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            rec.tags.insert(k.to_string(), v.to_string());
        }
    }
    Outcome::Record(Box::new(rec))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_is_the_directory_under_projects() {
        assert_eq!(
            project_of(Path::new("/x/projects/-home-dev-shop/s.jsonl")).as_deref(),
            Some("-home-dev-shop")
        );
        assert_eq!(
            project_of(Path::new("projects/-p/s/subagents/agent-1.jsonl")).as_deref(),
            Some("-p")
        );
        assert_eq!(project_of(Path::new("/tmp/s.jsonl")), None);
    }
}
