//! Table form of `cost budget`.

use super::{Align, Cell, Column, Render, TableData, TableOptions, Tone, money, money_places, tabulate, usd_places};
use crate::analysis::budget::{Budget, Status, TeamBudget};
use crate::money::Usd;

fn pct(v: Option<f64>) -> Cell {
    match v {
        Some(p) => Cell::new(format!("{p:.1}%"), format!("{p:.4}")),
        None => Cell::new("–", ""),
    }
}

/// The columns: the table shows a suggestion in place of a missing budget, the day a limit
/// was crossed in words and, with `-v`, the forecast's method; CSV has the limits, both days
/// and the suggestion in fields.
fn columns(places: u32, verbose: bool) -> Vec<Column<'static, TeamBudget>> {
    // Unknown, not zero, when nothing this month could be priced.
    let spend = move |v: Option<Usd>, tone: Tone| match v {
        Some(v) => money(v, places).tone(tone),
        None => Cell::new("unpriced", "").tone(Tone::Warn),
    };
    let limit = |p: Option<f64>| Cell::text(p.map(|p| p.to_string()).unwrap_or_default());
    vec![
        Column::left("Team", "team", |t: &TeamBudget| match &t.team {
            Some(team) => Cell::name(team),
            None => Cell::new("(unassigned)", ""),
        }),
        Column::right("Budget", "budget_usd", move |t: &TeamBudget| {
            match (t.budget_usd, t.suggested_budget_usd) {
                (Some(b), _) => money(b, places),
                (None, Some(s)) => Cell::new(format!("({} suggested)", usd_places(s, places)), "").tone(Tone::Dim),
                (None, None) => Cell::new("–", ""),
            }
        }),
        Column::right("Spent", "spent_usd", move |t: &TeamBudget| {
            spend(t.spent_usd, Tone::Strong)
        }),
        Column::right("Used", "pct", |t: &TeamBudget| pct(t.pct)),
        Column::right("Forecast", "forecast_usd", move |t: &TeamBudget| {
            spend(t.forecast_usd, Tone::Plain)
        }),
        Column::right("Fcst used", "forecast_pct", |t: &TeamBudget| pct(t.forecast_pct)),
        Column::csv("soft_pct", move |t: &TeamBudget| limit(t.soft_pct)),
        Column::csv("hard_pct", move |t: &TeamBudget| limit(t.hard_pct)),
        Column::left("Status", "status", |t: &TeamBudget| {
            Cell::text(t.status.as_str()).tone(match t.status {
                Status::Hard => Tone::Bad,
                Status::Soft | Status::ForecastHard | Status::ForecastSoft | Status::Incomplete => Tone::Warn,
                Status::Ok => Tone::Good,
                Status::NoBudget => Tone::Dim,
            })
        }),
        Column::table("Crossed", Align::Left, |t: &TeamBudget| {
            Cell::text(match (&t.soft_crossed_on, &t.hard_crossed_on) {
                (_, Some(h)) => format!("hard {h}"),
                (Some(s), None) => format!("soft {s}"),
                _ => String::new(),
            })
        }),
        Column::csv("soft_crossed_on", |t: &TeamBudget| {
            Cell::text(t.soft_crossed_on.as_deref().unwrap_or_default())
        }),
        Column::csv("hard_crossed_on", |t: &TeamBudget| {
            Cell::text(t.hard_crossed_on.as_deref().unwrap_or_default())
        }),
        Column::csv("suggested_budget_usd", |t: &TeamBudget| {
            Cell::opt_usd(t.suggested_budget_usd)
        }),
        Column::csv("unpriced_requests", |t: &TeamBudget| Cell::int(t.unpriced_requests)),
        Column::table("Forecast method", Align::Left, |t: &TeamBudget| Cell::text(&t.method)).table_if(verbose),
    ]
}

impl Render for Budget {
    fn table(&self, opts: TableOptions) -> TableData {
        let places = money_places(self.teams.iter().flat_map(|t| [t.spent_usd, t.forecast_usd]).flatten());
        let mut data = tabulate(&columns(places, opts.verbose), &self.teams, opts);
        if opts.machine {
            return data;
        }
        let notes = &mut data.notes;
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
        data
    }
}
