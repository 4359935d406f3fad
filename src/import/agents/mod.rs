//! Coding agents' local logs (LOG-FORMATS §21): OpenAI Codex CLI, GitHub Copilot CLI, Gemini
//! CLI, OpenCode and Kilo. Each agent is one [`Source`](super::Source) in its own file; this
//! module holds what they share (who ran the agent, paths under an agent's home) and
//! [`discover`], which finds every agent's default locations for `cost import --agents`.
//!
//! Every record of an agent source is attributed to the developer who ran it (`--user`, else
//! the OS user), tagged `agent` with the source's name, and belongs to a session.

pub mod codex;
pub mod copilot;
mod discover;
pub mod gemini_cli;
pub mod sqlite;
mod summary;

pub use discover::{AGENT_NAMES, Found, discover};
pub use summary::{AgentRow, AgentsReport};

use std::path::Path;

/// The sources whose records are a developer's coding-agent calls.
pub fn is_agent(source: &str) -> bool {
    AGENT_NAMES.contains(&source)
}

/// The user logged in on this machine (`$USER`, else `$USERNAME` on Windows), read once.
pub fn os_user() -> Option<String> {
    static USER: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    USER.get_or_init(|| {
        ["USER", "USERNAME"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .map(|u| u.trim().to_string())
            .find(|u| !u.is_empty())
    })
    .clone()
}

/// The path components of `path` after the last component named `dir`, joined with `/`
/// (`…/sessions/2026/05/12/a.jsonl` after `sessions` → `2026/05/12/a.jsonl`).
pub(crate) fn after_component(path: &Path, dir: &str) -> Option<String> {
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let at = parts.iter().rposition(|p| p == dir)?;
    let rest = &parts[at + 1..];
    (!rest.is_empty()).then(|| rest.join("/"))
}

/// The directory above the last component named `dir` (the agent's home: `~/.codex` for
/// `~/.codex/sessions/…`).
pub(crate) fn above_component(path: &Path, dir: &str) -> Option<std::path::PathBuf> {
    let mut cur = path.parent();
    while let Some(p) = cur {
        if p.file_name().is_some_and(|n| n == dir) {
            return p.parent().map(Path::to_path_buf);
        }
        cur = p.parent();
    }
    None
}

/// A file name without its log extension (`a.jsonl.gz` → `a`).
pub(crate) fn stem(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut s = name.as_str();
    for ext in [".gz", ".zst", ".jsonl", ".json"] {
        s = s.strip_suffix(ext).unwrap_or(s);
    }
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_under_an_agent_home() {
        let p = Path::new("/home/dev/.codex/sessions/2026/05/12/rollout-a.jsonl");
        assert_eq!(
            after_component(p, "sessions").as_deref(),
            Some("2026/05/12/rollout-a.jsonl")
        );
        assert_eq!(
            above_component(p, "sessions").as_deref(),
            Some(Path::new("/home/dev/.codex"))
        );
        assert_eq!(after_component(Path::new("/tmp/a.jsonl"), "sessions"), None);
        assert_eq!(stem(p), "rollout-a");
        assert_eq!(stem(Path::new("x/s.json.gz")), "s");
    }
}
