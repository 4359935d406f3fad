//! Table form of `cost whatif`.

use super::{
    Align, Cell, Column, Render, TableData, TableOptions, Tone, dim_columns, money, money_places, tabulate, total_row,
};
use crate::analysis::whatif::{WhatIf, WhatIfRow};
use crate::money::Usd;

impl WhatIf {
    /// The columns: the `--by` dimensions, then current and scenario cost and the saving. The
    /// table adds the saving in percent, and `Too long` only when some requests are.
    fn columns(&self, places: u32) -> Vec<Column<'_, WhatIfRow>> {
        let overflow = self.totals.context_overflow_requests > 0;
        let mut columns = dim_columns(&self.group_by, |r: &WhatIfRow| &r.dims);
        columns.extend([
            Column::right("Requests", "requests", |r: &WhatIfRow| Cell::int(r.requests)),
            Column::right("Current", "current_usd", move |r: &WhatIfRow| {
                money(r.current_usd, places)
            }),
            Column::right("Scenario", "scenario_usd", move |r: &WhatIfRow| {
                money(r.scenario_usd, places)
            }),
            Column::right("Saving", "saving_usd", move |r: &WhatIfRow| {
                money(r.saving_usd, places).tone(if r.saving_usd > Usd::ZERO {
                    Tone::Good
                } else if r.saving_usd.is_zero() {
                    Tone::Dim
                } else {
                    Tone::Bad
                })
            }),
            Column::table("Saving %", Align::Right, |r: &WhatIfRow| {
                if r.current_usd.is_zero() {
                    Cell::new("–", "")
                } else {
                    let pct = 100.0 * r.saving_usd.to_f64() / r.current_usd.to_f64();
                    Cell::new(format!("{pct:.1}%"), format!("{pct:.4}"))
                }
            }),
            Column::right("Too long", "context_overflow_requests", |r: &WhatIfRow| {
                if r.context_overflow_requests > 0 {
                    Cell::int(r.context_overflow_requests).tone(Tone::Bad)
                } else {
                    Cell::new("–", "0")
                }
            })
            .table_if(overflow),
        ]);
        columns
    }
}

impl Render for WhatIf {
    fn table(&self, opts: TableOptions) -> TableData {
        let places = money_places([self.totals.current_usd, self.totals.scenario_usd]);
        let columns = self.columns(places);
        let mut data = tabulate(&columns, &self.rows, opts);
        if opts.machine {
            return data;
        }
        let overflow = self.totals.context_overflow_requests > 0;
        data.footer = (self.rows.len() > 1).then(|| total_row(&columns, &self.totals, "Total"));
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
        data.notes = notes;
        data
    }
}
