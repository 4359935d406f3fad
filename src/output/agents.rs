//! Table form of `cost import --agents`: one line per agent.

use super::{Cell, Column, Render, TableData, TableOptions, Tone, money, money_places, tabulate};
use crate::import::REJECTS_SHOWN;
use crate::import::agents::{AgentRow, AgentsReport};
use crate::money::Usd;

fn columns(places: u32) -> Vec<Column<'static, AgentRow>> {
    let dim0 = |n: u64, tone: Tone| {
        if n == 0 {
            Cell::count(0).tone(Tone::Dim)
        } else {
            Cell::count(n).tone(tone)
        }
    };
    vec![
        Column::left("Agent", "agent", |a: &AgentRow| Cell::text(a.agent)),
        Column::right("Files", "files", |a: &AgentRow| Cell::count(a.files)),
        Column::right("Read", "read", |a: &AgentRow| Cell::count(a.read)),
        Column::right("Imported", "imported", |a: &AgentRow| {
            Cell::count(a.imported).tone(Tone::Strong)
        }),
        Column::right("Duplicates", "duplicates", move |a: &AgentRow| {
            dim0(a.duplicates, Tone::Plain)
        }),
        Column::csv("skipped", |a: &AgentRow| Cell::count(a.skipped)),
        Column::right("Rejected", "rejected", move |a: &AgentRow| dim0(a.rejected, Tone::Bad)),
        Column::right("Unpriced", "unpriced", move |a: &AgentRow| dim0(a.unpriced, Tone::Warn)),
        Column::right("Cost added", "cost_usd", move |a: &AgentRow| match a.cost_usd {
            Some(c) => money(c, places),
            None => Cell::new("unpriced", "").tone(Tone::Warn),
        }),
        Column::csv("failed", |a: &AgentRow| Cell::count(a.failed)),
    ]
}

impl Render for AgentsReport {
    fn table(&self, opts: TableOptions) -> TableData {
        let places = money_places(self.agents.iter().filter_map(|a| a.cost_usd));
        let cols = columns(places);
        if opts.machine {
            return tabulate(&cols, &self.agents, opts);
        }
        let mut findings = Vec::new();
        let mut notes = Vec::new();
        for f in &self.files {
            if let Some(e) = &f.error {
                findings.push(format!("{}: could not be read: {e}", f.path));
            }
            for r in &f.rejects {
                if findings.len() < REJECTS_SHOWN * 2 {
                    findings.push(format!("{}:{}: {}", f.path, r.line, r.reason));
                }
            }
            for w in &f.warnings {
                notes.push(format!("warning: {}: {w}", f.path));
            }
        }
        let missing: Vec<String> = self
            .agents
            .iter()
            .filter(|a| a.files == 0)
            .map(|a| format!("{} ({})", a.agent, a.searched.join(", ")))
            .collect();
        if !missing.is_empty() {
            notes.push(format!("Not found: {}.", missing.join("; ")));
        }
        let unchanged: u64 = self.agents.iter().map(|a| a.unchanged).sum();
        if unchanged > 0 {
            notes.push(format!(
                "{} {} unchanged since the last import: not read again (--reread reads them anyway).",
                crate::money::group_thousands(&unchanged.to_string()),
                if unchanged == 1 { "file is" } else { "files are" }
            ));
        }
        let rejected: u64 = self.agents.iter().map(|a| a.rejected).sum();
        if rejected > 0 && !self.dry_run {
            notes.push(format!(
                "Rejected lines are kept with their reason in the `rejects` table of {}.",
                self.db
            ));
        }
        let unpriced: u64 = self.agents.iter().map(|a| a.unpriced).sum();
        if unpriced > 0 {
            notes.push(format!(
                "{unpriced} unpriced: the price table does not know the model (or tier); they are counted in every report, never as $0."
            ));
        }
        let imported: u64 = self.agents.iter().map(|a| a.imported).sum();
        notes.push(if self.dry_run {
            "Dry run: nothing was written.".to_string()
        } else if imported == 0 {
            format!("Nothing new in {}.", self.db)
        } else {
            format!(
                "Costs are API-equivalent (subscriptions and premium requests are not billed per token). Store: {}",
                self.db
            )
        });
        let sum = |g: fn(&AgentRow) -> u64| self.agents.iter().map(g).sum::<u64>();
        let cost: Usd = self.agents.iter().filter_map(|a| a.cost_usd).sum();
        let total = AgentRow {
            agent: "Total",
            searched: Vec::new(),
            files: sum(|a| a.files),
            read: sum(|a| a.read),
            unchanged,
            lines: sum(|a| a.lines),
            imported: sum(|a| a.imported),
            duplicates: sum(|a| a.duplicates),
            rejected,
            skipped: sum(|a| a.skipped),
            unpriced,
            failed: sum(|a| a.failed),
            cost_usd: (unpriced == 0 || unpriced < sum(|a| a.imported) || !cost.is_zero()).then_some(cost),
        };
        // Agents with nothing on this machine are named in a note, not given a row of zeros.
        let found: Vec<&AgentRow> = self.agents.iter().filter(|a| a.files > 0).collect();
        let footer = (found.len() > 1).then(|| tabulate(&cols, [&total], opts).rows.pop().unwrap_or_default());
        TableData {
            footer,
            findings,
            notes,
            ..tabulate(&cols, found, opts)
        }
    }
}
