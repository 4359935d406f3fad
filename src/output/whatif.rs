//! Table form of `cost whatif`.

use super::{Align, Cell, Render, TableData, TableOptions, Tone, machine_table, money, money_places};
use crate::analysis::whatif::{WhatIf, WhatIfRow};

impl Render for WhatIf {
    fn table(&self, opts: TableOptions) -> TableData {
        let dims: Vec<&str> = self.group_by.iter().map(|d| d.name()).collect();
        if opts.machine {
            let mut headers = dims.clone();
            headers.extend([
                "requests",
                "current_usd",
                "scenario_usd",
                "saving_usd",
                "context_overflow_requests",
            ]);
            let rows = self
                .rows
                .iter()
                .map(|r| {
                    let mut row = super::machine_dim_cells(&dims, &r.dims);
                    row.extend([
                        Cell::text(r.requests.to_string()),
                        Cell::usd(r.current_usd),
                        Cell::usd(r.scenario_usd),
                        Cell::usd(r.saving_usd),
                        Cell::text(r.context_overflow_requests.to_string()),
                    ]);
                    row
                })
                .collect();
            return machine_table(&headers, rows);
        }
        let places = money_places([self.totals.current_usd, self.totals.scenario_usd]);
        let mut headers = super::dim_headers(&self.group_by);
        for h in ["Requests", "Current", "Scenario", "Saving", "Saving %"] {
            headers.push((h.to_string(), Align::Right));
        }
        let overflow = self.totals.context_overflow_requests > 0;
        if overflow {
            headers.push(("Too long".into(), Align::Right));
        }
        let cells = |r: &WhatIfRow, label: Option<&str>| -> Vec<Cell> {
            let mut row = super::dim_cells(&self.group_by, &r.dims, label);
            row.push(Cell::count(r.requests.max(0) as u64));
            row.push(money(r.current_usd, places));
            row.push(money(r.scenario_usd, places));
            let tone = if r.saving_usd > crate::money::Usd::ZERO {
                Tone::Good
            } else if r.saving_usd.is_zero() {
                Tone::Dim
            } else {
                Tone::Bad
            };
            row.push(money(r.saving_usd, places).tone(tone));
            row.push(if r.current_usd.is_zero() {
                Cell::new("–", "")
            } else {
                let pct = 100.0 * r.saving_usd.to_f64() / r.current_usd.to_f64();
                Cell::new(format!("{pct:.1}%"), format!("{pct:.4}"))
            });
            if overflow {
                row.push(if r.context_overflow_requests > 0 {
                    Cell::count(r.context_overflow_requests as u64).tone(Tone::Bad)
                } else {
                    Cell::new("–", "0")
                });
            }
            row
        };
        let rows: Vec<Vec<Cell>> = self.rows.iter().map(|r| cells(r, None)).collect();
        let footer = (self.rows.len() > 1).then(|| cells(&self.totals, Some("Total")));
        let s = &self.scenario;
        let mut what = Vec::new();
        if let Some(m) = &s.model {
            what.push(format!("on {m}"));
        }
        if let Some(t) = s.tier {
            what.push(format!("at {t} tier"));
        }
        if let Some(r) = s.cache_hit_rate {
            what.push(format!("with {:.0}% of input from the cache", r * 100.0));
        }
        let mut notes = vec![format!(
            "{} to {} (UTC): usage{} repriced {}. Long context is judged on each group's mean input per request.",
            self.since,
            self.until,
            s.from.as_ref().map(|f| format!(" logged on {f}")).unwrap_or_default(),
            what.join(", ")
        )];
        if self.rows.is_empty() {
            notes = vec![format!("No usage between {} and {}.", self.since, self.until)];
        }
        if overflow {
            notes.push(format!(
                "Too long: {} requests had more input than the target's {}-token context window; they could not run there as they are.",
                self.totals.context_overflow_requests,
                crate::money::group_thousands(&self.context_window.unwrap_or(0).to_string())
            ));
        }
        if self.unpriced_requests > 0 {
            notes.push(format!(
                "+ {} unpriced requests are left out of both columns.",
                self.unpriced_requests
            ));
        }
        TableData {
            headers,
            rows,
            footer,
            findings: Vec::new(),
            notes,
        }
    }
}
