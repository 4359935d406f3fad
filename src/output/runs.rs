//! Table form of `cost runs`: the runs, or the spread of cost per run per template or team.

use super::{Cell, Column, Render, TableData, TableOptions, Tone, money, money_places, tabulate};
use crate::analysis::runs::{Run, Runs, Spread};
use crate::money::Usd;

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

/// The columns of the run list. CSV names are the titles in snake case.
fn run_columns(places: u32) -> Vec<Column<'static, Run>> {
    vec![
        Column::left("Session", "session", |r: &Run| Cell::name(&r.session)),
        Column::left("Start (UTC)", "start_utc", |r: &Run| {
            Cell::new(
                r.start.replace('T', " ").trim_end_matches('Z').to_string(),
                r.start.clone(),
            )
        }),
        Column::right("Duration", "duration", |r: &Run| duration(r.duration_s)),
        Column::right("Calls", "calls", |r: &Run| Cell::count(r.calls as u64)),
        Column::right("Errors", "errors", |r: &Run| {
            let errors = Cell::count(r.errors as u64);
            if r.errors > 0 { errors.tone(Tone::Warn) } else { errors }
        }),
        Column::right("Input", "input", |r: &Run| Cell::count(r.input_tokens as u64)),
        Column::right("Output", "output", |r: &Run| Cell::count(r.output_tokens as u64)),
        Column::right("Cost", "cost", move |r: &Run| money(r.cost_usd, places)),
        Column::right("Growth", "growth", |r: &Run| growth(r.context_growth)),
        Column::left("Team", "team", |r: &Run| name(&r.team, "(unassigned)")),
        Column::left("Template", "template", |r: &Run| name(&r.template, "(none)")),
    ]
}

/// The columns of the spread of cost per run, per team or per template.
fn spread_columns(per_team: bool, places: u32) -> Vec<Column<'static, Spread>> {
    let (title, csv, empty) = if per_team {
        ("Team", "team", "(unassigned)")
    } else {
        ("Template", "template", "(none)")
    };
    let usd = move |f: fn(&Spread) -> Usd| move |s: &Spread| money(f(s), places);
    vec![
        Column::left(title, csv, move |s: &Spread| name(&s.name, empty)),
        Column::right("Runs", "runs", |s: &Spread| Cell::count(s.runs as u64)),
        Column::right("Total", "total", usd(|s| s.total_usd)),
        Column::right("Mean", "mean", usd(|s| s.mean_usd)),
        Column::right("p50", "p50", usd(|s| s.p50_usd)),
        Column::right("p90", "p90", usd(|s| s.p90_usd)),
        Column::right("p99", "p99", usd(|s| s.p99_usd)),
        Column::right("Max", "max", usd(|s| s.max_usd)),
        Column::right("p90 calls", "p90_calls", |s: &Spread| Cell::count(s.p90_calls as u64)),
    ]
}

impl Render for Runs {
    fn table(&self, opts: TableOptions) -> TableData {
        let figures = self
            .runs
            .iter()
            .map(|r| r.cost_usd)
            .chain(self.by_template.iter().map(|s| s.max_usd))
            .chain(self.by_team.iter().map(|s| s.max_usd))
            .chain([self.total_usd]);
        let places = money_places(figures);
        let (mut data, what) = match self.per.as_deref() {
            Some(per) => {
                let per_team = per == "team";
                let spreads = if per_team { &self.by_team } else { &self.by_template };
                (
                    tabulate(&spread_columns(per_team, places), spreads, opts),
                    format!("Cost per run by {per}"),
                )
            }
            None => (tabulate(&run_columns(places), &self.runs, opts), "Runs".to_string()),
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
        data.findings = findings;
        data.notes = notes;
        data
    }
}
