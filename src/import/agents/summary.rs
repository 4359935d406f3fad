//! What `cost import --agents` did, per agent (`cost.import-agents/v1`).

use super::Found;
use crate::import::{FileSummary, Run};
use crate::money::Usd;
use serde::Serialize;

/// One agent's line: where it was looked for, what was found and read, and what it added.
#[derive(Debug, Clone, Serialize)]
pub struct AgentRow {
    pub agent: &'static str,
    /// The directories (or databases) looked at.
    pub searched: Vec<String>,
    /// Log files found.
    pub files: u64,
    /// Files read this run (the others were unchanged since a previous import).
    pub read: u64,
    pub unchanged: u64,
    pub lines: u64,
    /// Records stored this run (a call; for Copilot, one model's calls in one process).
    pub imported: u64,
    pub duplicates: u64,
    pub rejected: u64,
    pub skipped: u64,
    pub unpriced: u64,
    /// Files that could not be read (whole or in part).
    pub failed: u64,
    /// `None` (JSON null) when every record imported is unpriced.
    pub cost_usd: Option<Usd>,
}

/// The result of `cost import --agents`.
#[derive(Debug, Serialize)]
pub struct AgentsReport {
    pub schema: &'static str,
    pub db: String,
    pub dry_run: bool,
    pub agents: Vec<AgentRow>,
    /// Every file read, as `cost import` reports it.
    pub files: Vec<FileSummary>,
    pub unchanged_files: Vec<String>,
}

impl AgentsReport {
    /// Per agent, the files of `run` that came from it (a file's `arg` is its agent).
    pub fn new(db: String, dry_run: bool, found: &[Found], run: Run) -> AgentsReport {
        let agents = found
            .iter()
            .map(|f| {
                let mine: Vec<&FileSummary> = run.files.iter().filter(|s| s.arg == f.agent).collect();
                let names: Vec<String> = f.files.iter().map(|p| p.display().to_string()).collect();
                let unchanged = run.unchanged.iter().filter(|u| names.contains(u)).count() as u64;
                let sum = |g: fn(&FileSummary) -> u64| mine.iter().map(|s| g(s)).sum::<u64>();
                let imported = sum(|s| s.counts.imported);
                let unpriced = sum(|s| s.counts.unpriced);
                let cost: Usd = mine.iter().filter_map(|s| s.cost_usd).sum();
                AgentRow {
                    agent: f.agent,
                    searched: f.searched.iter().map(|p| p.display().to_string()).collect(),
                    files: f.files.len() as u64,
                    read: mine.len() as u64,
                    unchanged,
                    lines: sum(|s| s.counts.lines),
                    imported,
                    duplicates: sum(|s| s.counts.duplicates),
                    rejected: sum(|s| s.counts.rejected),
                    skipped: sum(|s| s.counts.skipped),
                    unpriced,
                    failed: mine.iter().filter(|s| s.error.is_some()).count() as u64,
                    cost_usd: (unpriced == 0 || unpriced < imported || !cost.is_zero()).then_some(cost),
                }
            })
            .collect();
        AgentsReport {
            schema: "cost.import-agents/v1",
            db,
            dry_run,
            agents,
            files: run.files,
            unchanged_files: run.unchanged,
        }
    }
}
