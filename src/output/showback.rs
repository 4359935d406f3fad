//! Table form of `cost showback`.

use super::{Align, Cell, Render, TableData, TableOptions, Tone, machine_table, money, money_places};
use crate::analysis::showback::Showback;

impl Render for Showback {
    fn table(&self, opts: TableOptions) -> TableData {
        if opts.machine {
            let mut rows = Vec::new();
            for c in &self.commitments {
                for t in &c.teams {
                    rows.push(vec![
                        Cell::name(&c.name),
                        Cell::name(&c.model),
                        Cell::usd(c.committed_usd),
                        Cell::usd(c.consumed_list_usd),
                        Cell::text(format!("{:.4}", c.utilization_pct)),
                        Cell::usd(c.idle_usd),
                        Cell::name(t.team.clone().unwrap_or_default()),
                        Cell::usd(t.consumed_list_usd),
                        Cell::text(format!("{:.4}", t.share_pct)),
                        Cell::usd(t.allocated_usd),
                    ]);
                }
                if c.teams.is_empty() {
                    rows.push(vec![
                        Cell::name(&c.name),
                        Cell::name(&c.model),
                        Cell::usd(c.committed_usd),
                        Cell::usd(c.consumed_list_usd),
                        Cell::text(format!("{:.4}", c.utilization_pct)),
                        Cell::usd(c.idle_usd),
                        Cell::text(""),
                        Cell::text(""),
                        Cell::text(""),
                        Cell::text(""),
                    ]);
                }
            }
            return machine_table(
                &[
                    "commitment",
                    "model",
                    "committed_usd",
                    "consumed_list_usd",
                    "utilization_pct",
                    "idle_usd",
                    "team",
                    "team_consumed_list_usd",
                    "team_share_pct",
                    "team_allocated_usd",
                ],
                rows,
            );
        }
        let places = money_places(
            self.commitments
                .iter()
                .flat_map(|c| [c.committed_usd, c.consumed_list_usd]),
        );
        let headers = [
            ("Commitment", Align::Left),
            ("Model", Align::Left),
            ("Team", Align::Left),
            ("Committed", Align::Right),
            ("Used at list", Align::Right),
            ("Utilisation", Align::Right),
            ("Idle", Align::Right),
            ("Share", Align::Right),
            ("Allocated", Align::Right),
        ]
        .iter()
        .map(|(h, a)| (h.to_string(), *a))
        .collect();
        let mut rows = Vec::new();
        for c in &self.commitments {
            let tone = if c.utilization_pct < 50.0 {
                Tone::Bad
            } else if c.utilization_pct < 80.0 {
                Tone::Warn
            } else {
                Tone::Good
            };
            rows.push(vec![
                Cell::name(&c.name).tone(Tone::Strong),
                Cell::name(&c.model),
                Cell::text(if c.teams_listed.is_empty() {
                    "all".to_string()
                } else {
                    c.teams_listed.join(", ")
                }),
                money(c.committed_usd, places),
                money(c.consumed_list_usd, places),
                Cell::new(format!("{:.1}%", c.utilization_pct), format!("{}", c.utilization_pct)).tone(tone),
                money(c.idle_usd, places).tone(if c.idle_usd.is_zero() { Tone::Dim } else { Tone::Warn }),
                Cell::text(""),
                money(c.committed_usd - c.idle_usd, places),
            ]);
            for t in &c.teams {
                rows.push(vec![
                    Cell::text(""),
                    Cell::text(""),
                    Cell::name(t.team.clone().unwrap_or_else(|| "(unassigned)".into())),
                    Cell::text(""),
                    money(t.consumed_list_usd, places),
                    Cell::text(""),
                    Cell::text(""),
                    Cell::new(format!("{:.1}%", t.share_pct), format!("{}", t.share_pct)),
                    money(t.allocated_usd, places),
                ]);
            }
        }
        let mut notes = vec![format!(
            "{} to {} (UTC). Committed is pro-rated to the days covered; used = the usage on the model at list price. Idle cost belongs to the commitment, not to the teams; break-even is 100% utilisation.",
            self.since, self.until
        )];
        for c in self.commitments.iter().filter(|c| !c.overage_usd.is_zero()) {
            notes.push(format!(
                "{}: usage is {} beyond the commitment at list price: billed on demand, not covered.",
                c.name,
                super::usd_places(c.overage_usd, places)
            ));
        }
        let unpriced: i64 = self.commitments.iter().map(|c| c.unpriced_requests).sum();
        if unpriced > 0 {
            notes.push(format!(
                "+ {unpriced} unpriced requests on committed models are not in Used."
            ));
        }
        if self.commitments.is_empty() {
            notes = vec!["No [[commitments]] in cost.toml.".into()];
        }
        TableData {
            headers,
            rows,
            footer: None,
            findings: Vec::new(),
            notes,
        }
    }
}
