//! Table form of `cost budget`.

use super::{Align, Cell, Render, TableData, TableOptions, Tone, machine_table, money, money_places};
use crate::analysis::budget::{Budget, Status};

fn pct(v: Option<f64>) -> Cell {
    match v {
        Some(p) => Cell::new(format!("{p:.1}%"), format!("{p:.4}")),
        None => Cell::new("–", ""),
    }
}

impl Render for Budget {
    fn table(&self, opts: TableOptions) -> TableData {
        let opt_money = |v: Option<crate::money::Usd>| v.map(Cell::usd).unwrap_or_else(|| Cell::text(""));
        if opts.machine {
            let rows = self
                .teams
                .iter()
                .map(|t| {
                    vec![
                        Cell::name(t.team.clone().unwrap_or_default()),
                        opt_money(t.budget_usd),
                        opt_money(t.spent_usd),
                        pct(t.pct),
                        opt_money(t.forecast_usd),
                        pct(t.forecast_pct),
                        Cell::text(t.soft_pct.map(|p| p.to_string()).unwrap_or_default()),
                        Cell::text(t.hard_pct.map(|p| p.to_string()).unwrap_or_default()),
                        Cell::text(t.status.as_str()),
                        Cell::text(t.soft_crossed_on.clone().unwrap_or_default()),
                        Cell::text(t.hard_crossed_on.clone().unwrap_or_default()),
                        opt_money(t.suggested_budget_usd),
                        Cell::count(t.unpriced_requests.max(0) as u64),
                    ]
                })
                .collect();
            return machine_table(
                &[
                    "team",
                    "budget_usd",
                    "spent_usd",
                    "pct",
                    "forecast_usd",
                    "forecast_pct",
                    "soft_pct",
                    "hard_pct",
                    "status",
                    "soft_crossed_on",
                    "hard_crossed_on",
                    "suggested_budget_usd",
                    "unpriced_requests",
                ],
                rows,
            );
        }
        let places = money_places(self.teams.iter().flat_map(|t| [t.spent_usd, t.forecast_usd]).flatten());
        let mut headers: Vec<(String, Align)> = [
            ("Team", Align::Left),
            ("Budget", Align::Right),
            ("Spent", Align::Right),
            ("Used", Align::Right),
            ("Forecast", Align::Right),
            ("Fcst used", Align::Right),
            ("Status", Align::Left),
            ("Crossed", Align::Left),
        ]
        .iter()
        .map(|(h, a)| (h.to_string(), *a))
        .collect();
        if opts.verbose {
            headers.push(("Forecast method".into(), Align::Left));
        }
        let mut notes = Vec::new();
        let rows = self
            .teams
            .iter()
            .map(|t| {
                let tone = match t.status {
                    Status::Hard => Tone::Bad,
                    Status::Soft | Status::ForecastHard | Status::Incomplete => Tone::Warn,
                    Status::ForecastSoft => Tone::Warn,
                    Status::Ok => Tone::Good,
                    Status::NoBudget => Tone::Dim,
                };
                let crossed = match (&t.soft_crossed_on, &t.hard_crossed_on) {
                    (_, Some(h)) => format!("hard {h}"),
                    (Some(s), None) => format!("soft {s}"),
                    _ => String::new(),
                };
                let mut row = vec![
                    Cell::name(t.team.clone().unwrap_or_else(|| "(unassigned)".into())),
                    match (t.budget_usd, t.suggested_budget_usd) {
                        (Some(b), _) => money(b, places),
                        (None, Some(s)) => {
                            Cell::new(format!("({} suggested)", super::usd_places(s, places)), "").tone(Tone::Dim)
                        }
                        (None, None) => Cell::new("–", ""),
                    },
                    match t.spent_usd {
                        Some(v) => money(v, places).tone(Tone::Strong),
                        None => Cell::new("unpriced", "").tone(Tone::Warn),
                    },
                    pct(t.pct),
                    match t.forecast_usd {
                        Some(v) => money(v, places),
                        None => Cell::new("unpriced", "").tone(Tone::Warn),
                    },
                    pct(t.forecast_pct),
                    Cell::text(t.status.as_str()).tone(tone),
                    Cell::text(crossed),
                ];
                if opts.verbose {
                    row.push(Cell::text(&t.method));
                }
                row
            })
            .collect::<Vec<_>>();
        if self.teams.is_empty() {
            notes.push(format!("No budgets and no spend in {}.", self.month));
        } else {
            notes.push(format!(
                "{} as of {} (UTC). Soft/hard limits default to 80% / 100% of the budget; forecast = spent + run-rate to month end (-v: method).",
                self.month,
                &self.as_of[..10]
            ));
        }
        if self.teams.iter().any(|t| t.suggested_budget_usd.is_some()) {
            notes.push("Suggested budgets (115% of the last 30 days' spend, scaled to a month) are only suggestions: set monthly_budget_usd under [teams.NAME] in cost.toml.".into());
        }
        let unpriced: i64 = self.teams.iter().map(|t| t.unpriced_requests).sum();
        if unpriced > 0 {
            notes.push(format!(
                "+ {unpriced} unpriced {} this month {} not in Spent: {} cost is unknown, not zero, so a team with a budget is `incomplete` (--fail-on incomplete exits 1). Add [prices.\"name\"] to cost.toml, then `cost import --update` the same files.",
                if unpriced == 1 { "request" } else { "requests" },
                if unpriced == 1 { "is" } else { "are" },
                if unpriced == 1 { "its" } else { "their" },
            ));
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
