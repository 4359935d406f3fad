//! Where each coding agent keeps its logs on this machine (`cost import --agents`): the
//! default locations under the home directory, and the environment variables each agent
//! honours instead.

use crate::import::{Input, Source};
use std::path::{Path, PathBuf};

/// The agents `--agents` knows, in the order they are listed.
pub const AGENT_NAMES: &[&str] = &["claude-code", "codex", "copilot", "gemini-cli", "opencode", "kilo"];

/// One agent's logs found on this machine.
#[derive(Debug, Clone)]
pub struct Found {
    pub agent: &'static str,
    /// The directories (or database files) looked at, whether they exist or not.
    pub searched: Vec<PathBuf>,
    /// The log files found there, in name order.
    pub files: Vec<PathBuf>,
}

impl Found {
    /// The source that reads this agent's files.
    pub fn source(&self) -> Option<&'static dyn Source> {
        crate::import::source_named(self.agent)
    }

    /// The files as import inputs, with the size and modification time that tell a later run
    /// whether they changed (a database counts its write-ahead log too).
    pub fn inputs(&self) -> Vec<Input> {
        self.files
            .iter()
            .map(|p| {
                let (size, mtime) = stat(p);
                let (size, mtime) = match stat(&with_suffix(p, "-wal")) {
                    (Some(ws), Some(wm)) => (size.map(|s| s + ws), mtime.map(|m| m.max(wm))),
                    _ => (size, mtime),
                };
                Input {
                    display: p.display().to_string(),
                    path: Some(p.clone()),
                    size,
                    mtime_ms: mtime,
                    named: false,
                    arg: self.agent.to_string(),
                }
            })
            .collect()
    }
}

fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn stat(p: &Path) -> (Option<u64>, Option<i64>) {
    match std::fs::metadata(p) {
        Ok(m) if m.is_file() => (
            Some(m.len()),
            m.modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_millis() as i64),
        ),
        _ => (None, None),
    }
}

/// Every agent in `agents` (all of [`AGENT_NAMES`] when empty): where it was looked for and
/// what was found. `var` reads an environment variable (tests pass their own).
pub fn discover(home: &Path, var: &dyn Fn(&str) -> Option<String>, agents: &[&str]) -> Vec<Found> {
    let list = |name: &str| -> Option<Vec<PathBuf>> {
        let v = var(name)?;
        let dirs: Vec<PathBuf> = v
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(PathBuf::from)
            .collect();
        (!dirs.is_empty()).then_some(dirs)
    };
    let one = |name: &str| list(name).and_then(|mut v| (v.len() == 1).then(|| v.remove(0)));
    let data_home = one("XDG_DATA_HOME").unwrap_or_else(|| home.join(".local/share"));
    AGENT_NAMES
        .iter()
        .filter(|a| agents.is_empty() || agents.contains(a))
        .map(|&agent| {
            let (searched, files) = match agent {
                "claude-code" => {
                    let roots: Vec<PathBuf> = match list("CLAUDE_CONFIG_DIR") {
                        Some(dirs) => dirs.into_iter().map(|d| d.join("projects")).collect(),
                        None => vec![home.join(".config/claude/projects"), home.join(".claude/projects")],
                    };
                    let files = roots.iter().flat_map(|r| walk(r, |p| ext(p, ".jsonl"))).collect();
                    (roots, files)
                }
                "codex" => {
                    let root = one("CODEX_HOME").unwrap_or_else(|| home.join(".codex"));
                    let roots = vec![root.join("sessions"), root.join("archived_sessions")];
                    let files = roots.iter().flat_map(|r| walk(r, |p| ext(p, ".jsonl"))).collect();
                    (roots, files)
                }
                "copilot" => {
                    let root = one("COPILOT_CONFIG_DIR").unwrap_or_else(|| home.join(".copilot"));
                    let state = root.join("session-state");
                    let files = walk(&state, |p| {
                        p.file_name().is_some_and(|n| n == "events.jsonl")
                            && p.parent().and_then(Path::parent) == Some(state.as_path())
                    });
                    (vec![state], files)
                }
                "gemini-cli" => {
                    let roots = list("GEMINI_DATA_DIR").unwrap_or_else(|| vec![home.join(".gemini/tmp")]);
                    let in_chats = |p: &Path| {
                        p.parent().and_then(Path::file_name).is_some_and(|n| n == "chats")
                            && (ext(p, ".json") || ext(p, ".jsonl"))
                    };
                    let files = roots.iter().flat_map(|r| walk(r, in_chats)).collect();
                    (roots, files)
                }
                "opencode" => {
                    let dir = one("OPENCODE_DATA_DIR").unwrap_or_else(|| data_home.join("opencode"));
                    let files = databases(&dir, "opencode");
                    (vec![dir], files)
                }
                _ => {
                    let dir = one("KILO_DATA_DIR").unwrap_or_else(|| data_home.join("kilo"));
                    let files = databases(&dir, "kilo");
                    (vec![dir], files)
                }
            };
            Found { agent, searched, files }
        })
        .collect()
}

fn ext(p: &Path, e: &str) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(e) && !n.starts_with('.'))
}

/// Files under `root` (recursively, in name order) that `keep` accepts; none when `root` is
/// not a directory.
fn walk(root: &Path, keep: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    if !root.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && keep(e.path()))
        .map(|e| e.into_path())
        .collect()
}

/// `NAME.db`, and channel databases `NAME-*.db`, in `dir`.
fn databases(dir: &Path, name: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                    n == format!("{name}.db") || (n.starts_with(&format!("{name}-")) && n.ends_with(".db"))
                })
        })
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(root: &Path, rel: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, "{}\n").unwrap();
    }

    #[test]
    fn finds_each_agent_at_its_default_place_or_its_variable() {
        let home = std::env::temp_dir().join(format!("cost-discover-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&home);
        touch(&home, ".claude/projects/-p/s.jsonl");
        touch(&home, ".claude/projects/-p/s/subagents/agent-1.meta.json");
        touch(&home, ".codex/sessions/2026/05/12/rollout-a.jsonl");
        touch(&home, ".codex/archived_sessions/2026/05/12/rollout-a.jsonl");
        touch(&home, ".copilot/session-state/abc/events.jsonl");
        touch(&home, ".copilot/session-state/abc/workspace.yaml");
        touch(&home, ".gemini/tmp/h1/chats/session-1.json");
        touch(&home, ".gemini/tmp/h1/logs.json");
        touch(&home, ".local/share/opencode/opencode.db");
        touch(&home, "elsewhere/kilo/kilo.db");
        let env = |name: &str| (name == "KILO_DATA_DIR").then(|| home.join("elsewhere/kilo").display().to_string());
        let found = discover(&home, &env, &[]);
        let names: Vec<(&str, usize)> = found.iter().map(|f| (f.agent, f.files.len())).collect();
        assert_eq!(
            names,
            [
                ("claude-code", 1),
                ("codex", 2),
                ("copilot", 1),
                ("gemini-cli", 1),
                ("opencode", 1),
                ("kilo", 1)
            ]
        );
        let only = discover(&home, &env, &["codex", "copilot"]);
        assert_eq!(only.iter().map(|f| f.agent).collect::<Vec<_>>(), ["codex", "copilot"]);
        let _ = std::fs::remove_dir_all(&home);
    }
}
