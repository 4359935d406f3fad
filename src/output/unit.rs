//! Table form of `cost unit`.

use super::{Cell, Column, Render, TableData, TableOptions, Tone, money, money_places, tabulate};
use crate::analysis::unit::{UnitReport, UnitRow};

impl Render for UnitReport {
    fn table(&self, opts: TableOptions) -> TableData {
        let places = money_places(self.rows.iter().flat_map(|r| [r.cost_usd]));
        // Small costs per unit (a cent or less) get six places, so they do not read as $0.0000.
        let cent = crate::money::Usd::from_nanos(10_000_000);
        let unit_places = if self.rows.iter().filter_map(|r| r.cost_per_unit_usd).all(|c| c < cent) {
            6
        } else {
            places
        };
        let value_title = super::title(&self.dimension);
        let value_csv = super::snake(&value_title);
        let run = self.unit == "run";
        let (period_title, period_csv) = if self.grain == crate::analysis::unit::Grain::Day {
            ("Date", "date")
        } else {
            ("Month", "month")
        };
        let columns: [Column<UnitRow>; 6] = [
            Column::left(period_title, period_csv, |r: &UnitRow| Cell::text(&r.period)),
            Column::left(value_title, value_csv, |r: &UnitRow| match &r.value {
                Some(v) => Cell::name(v),
                None => Cell::new("(none)", ""),
            }),
            Column::right(
                if run { "Runs" } else { "Units" },
                if run { "runs" } else { "units" },
                |r: &UnitRow| {
                    if r.units.fract() == 0.0 {
                        Cell::count(r.units as u64)
                    } else {
                        Cell::new(format!("{:.2}", r.units), r.units.to_string())
                    }
                },
            ),
            Column::right("Cost", "cost", move |r: &UnitRow| money(r.cost_usd, places)),
            Column::right(
                if run { "Per run" } else { "Per unit" },
                if run { "per_run" } else { "per_unit" },
                move |r: &UnitRow| {
                    r.cost_per_unit_usd
                        .map(|c| money(c, unit_places))
                        .unwrap_or_else(|| Cell::new("–", ""))
                },
            ),
            Column::right("Change", "change", |r: &UnitRow| match r.change_pct {
                Some(p) => Cell::new(format!("{p:+.1}%"), format!("{p:.4}")).tone(if p > 0.0 {
                    Tone::Warn
                } else {
                    Tone::Good
                }),
                None => Cell::new("–", ""),
            }),
        ];
        let mut data = tabulate(&columns, &self.rows, opts);
        let mut notes = Vec::new();
        if self.unit == "run" {
            notes.push("A run is one session; each is counted in the month it started.".to_string());
        }
        notes.push("Change: cost per unit against the same value's previous period.".to_string());
        data.notes = notes;
        data
    }
}
