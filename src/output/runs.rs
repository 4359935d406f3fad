//! Table form of `cost runs`: the runs, or the spread of cost per run per template or team.

use super::{Align, Cell, Render, TableData, TableOptions, Tone, money, money_places};
use crate::analysis::runs::{Run, Runs, Spread};

fn name(v: &Option<String>, empty: &str) -> Cell {
    match v {
        Some(s) => Cell::name(s),
        None => Cell::new(empty, ""),
    }
}

/// `12m 05s`, `1h 02m`, `45s`.
fn duration(s: i64) -> Cell {
    let shown = if s >= 3600 {
        format!("{}h {:02}m", s / 3600, (s % 3600) / 60)
    } else if s >= 60 {
        format!("{}m {:02}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    };
    Cell::new(shown, s.to_string())
}

fn growth(g: Option<f64>) -> Cell {
    match g {
        Some(g) => Cell::new(format!("{g:.1}×"), format!("{g:.3}")),
        None => Cell::new("–", ""),
    }
}

fn run_rows(runs: &Runs, places: u32) -> Vec<Vec<Cell>> {
    runs.runs
        .iter()
        .map(|r: &Run| {
            let errors = Cell::count(r.errors as u64);
            vec![
                Cell::name(&r.session),
                Cell::new(
                    r.start.replace('T', " ").trim_end_matches('Z').to_string(),
                    r.start.clone(),
                ),
                duration(r.duration_s),
                Cell::count(r.calls as u64),
                if r.errors > 0 { errors.tone(Tone::Warn) } else { errors },
                Cell::count(r.input_tokens as u64),
                Cell::count(r.output_tokens as u64),
                money(r.cost_usd, places),
                growth(r.context_growth),
                name(&r.team, "(unassigned)"),
                name(&r.template, "(none)"),
            ]
        })
        .collect()
}

fn spread_rows(spreads: &[Spread], empty: &str, places: u32) -> Vec<Vec<Cell>> {
    spreads
        .iter()
        .map(|s| {
            vec![
                name(&s.name, empty),
                Cell::count(s.runs as u64),
                money(s.total_usd, places),
                money(s.mean_usd, places),
                money(s.p50_usd, places),
                money(s.p90_usd, places),
                money(s.p99_usd, places),
                money(s.max_usd, places),
                Cell::count(s.p90_calls as u64),
            ]
        })
        .collect()
}

impl Render for Runs {
    fn table(&self, _opts: TableOptions) -> TableData {
        let figures = self
            .runs
            .iter()
            .map(|r| r.cost_usd)
            .chain(self.by_template.iter().map(|s| s.max_usd))
            .chain(self.by_team.iter().map(|s| s.max_usd))
            .chain([self.total_usd]);
        let places = money_places(figures);
        let (headers, rows, what): (Vec<(&str, Align)>, _, _) = match self.per.as_deref() {
            Some(per) => {
                let (spreads, empty) = if per == "team" {
                    (&self.by_team, "(unassigned)")
                } else {
                    (&self.by_template, "(none)")
                };
                let first = if per == "team" { "Team" } else { "Template" };
                (
                    vec![
                        (first, Align::Left),
                        ("Runs", Align::Right),
                        ("Total", Align::Right),
                        ("Mean", Align::Right),
                        ("p50", Align::Right),
                        ("p90", Align::Right),
                        ("p99", Align::Right),
                        ("Max", Align::Right),
                        ("p90 calls", Align::Right),
                    ],
                    spread_rows(spreads, empty, places),
                    format!("Cost per run by {per}"),
                )
            }
            None => (
                vec![
                    ("Session", Align::Left),
                    ("Start (UTC)", Align::Left),
                    ("Duration", Align::Right),
                    ("Calls", Align::Right),
                    ("Errors", Align::Right),
                    ("Input", Align::Right),
                    ("Output", Align::Right),
                    ("Cost", Align::Right),
                    ("Growth", Align::Right),
                    ("Team", Align::Left),
                    ("Template", Align::Left),
                ],
                run_rows(self, places),
                "Runs".to_string(),
            ),
        };
        let mut notes = vec![format!(
            "{what}, {} to {} (UTC): {} runs, {} in all{}.",
            self.since,
            self.until,
            self.total_runs,
            super::usd_places(self.total_usd, places),
            if self.per.is_none() && self.runs.len() < self.total_runs {
                format!(
                    "; the {} largest by {} shown (--top 0 for all)",
                    self.runs.len(),
                    self.sort
                )
            } else {
                String::new()
            }
        )];
        if self.per.is_some() {
            notes.push("Percentiles are nearest-rank over the runs' costs.".to_string());
        }
        let findings = self
            .runaway
            .iter()
            .map(|r| {
                format!(
                    "runaway run {} ({}, {}, started {}): {}",
                    super::safe_name(&r.session),
                    super::safe_name(r.template.as_deref().unwrap_or("(no template)")),
                    super::usd_places(r.cost_usd, places),
                    r.start,
                    r.reason
                )
            })
            .collect();
        TableData {
            headers: headers.into_iter().map(|(h, a)| (h.to_string(), a)).collect(),
            rows,
            footer: None,
            findings,
            notes,
        }
    }
}
