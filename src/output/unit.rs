//! Table form of `cost unit`.

use super::{Align, Cell, Render, TableData, TableOptions, Tone, money, money_places};
use crate::analysis::unit::UnitReport;

impl Render for UnitReport {
    fn table(&self, _opts: TableOptions) -> TableData {
        let places = money_places(self.rows.iter().flat_map(|r| [r.cost_usd]));
        // Small costs per unit (a cent or less) get six places, so they do not read as $0.0000.
        let cent = crate::money::Usd::from_nanos(10_000_000);
        let unit_places = if self.rows.iter().filter_map(|r| r.cost_per_unit_usd).all(|c| c < cent) {
            6
        } else {
            places
        };
        let value_title = super::title(&self.dimension);
        let units_title = if self.unit == "run" { "Runs" } else { "Units" };
        let per_title = if self.unit == "run" { "Per run" } else { "Per unit" };
        let period_title = if self.grain == crate::analysis::unit::Grain::Day {
            "Date"
        } else {
            "Month"
        };
        let rows = self
            .rows
            .iter()
            .map(|r| {
                let units = if r.units.fract() == 0.0 {
                    Cell::count(r.units as u64)
                } else {
                    Cell::new(format!("{:.2}", r.units), r.units.to_string())
                };
                vec![
                    Cell::text(&r.period),
                    match &r.value {
                        Some(v) => Cell::name(v),
                        None => Cell::new("(none)", ""),
                    },
                    units,
                    money(r.cost_usd, places),
                    r.cost_per_unit_usd
                        .map(|c| money(c, unit_places))
                        .unwrap_or_else(|| Cell::new("–", "")),
                    match r.change_pct {
                        Some(p) => Cell::new(format!("{p:+.1}%"), format!("{p:.4}")).tone(if p > 0.0 {
                            Tone::Warn
                        } else {
                            Tone::Good
                        }),
                        None => Cell::new("–", ""),
                    },
                ]
            })
            .collect();
        let mut notes = Vec::new();
        if self.unit == "run" {
            notes.push("A run is one session; each is counted in the month it started.".to_string());
        }
        notes.push("Change: cost per unit against the same value's previous period.".to_string());
        TableData {
            headers: vec![
                (period_title.to_string(), Align::Left),
                (value_title, Align::Left),
                (units_title.to_string(), Align::Right),
                ("Cost".to_string(), Align::Right),
                (per_title.to_string(), Align::Right),
                ("Change".to_string(), Align::Right),
            ],
            rows,
            footer: None,
            findings: Vec::new(),
            notes,
        }
    }
}
