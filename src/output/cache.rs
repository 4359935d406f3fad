//! Table form of `cost cache`.

use super::report::pct;
use super::{
    Cell, Column, Render, TableData, TableOptions, Tone, dim_columns, money, money_places, tabulate, total_row,
};
use crate::analysis::cache::{CacheReport, CacheRow};
use crate::money::Usd;

impl CacheReport {
    /// The columns: the `--by` dimensions, then the figures. CSV also has the cache-write tokens
    /// and the unpriced requests, which the table leaves to its notes.
    fn columns(&self, places: u32) -> Vec<Column<'_, CacheRow>> {
        // No price: the savings are unknown, not zero.
        let shown = move |v: Option<Usd>, tone: Tone| match v {
            Some(v) => money(v, places).tone(tone),
            None => Cell::new("unpriced", "").tone(Tone::Warn),
        };
        let mut columns = dim_columns(&self.group_by, |r: &CacheRow| &r.dims);
        columns.extend([
            Column::right("Requests", "requests", |r: &CacheRow| Cell::int(r.requests)),
            Column::right("Input", "input_tokens", |r: &CacheRow| Cell::int(r.input_tokens)),
            Column::right("Cache read", "cache_read_tokens", |r: &CacheRow| {
                Cell::int(r.cache_read_tokens)
            }),
            Column::csv("cache_write_tokens", |r: &CacheRow| Cell::int(r.cache_write_tokens)),
            Column::right("Hit rate", "cache_hit_rate", |r: &CacheRow| pct(r.cache_hit_rate)),
            Column::right("Calls hit", "request_cache_hit_rate", |r: &CacheRow| {
                pct(r.request_cache_hit_rate)
            }),
            Column::right("Saved", "savings_usd", move |r: &CacheRow| {
                shown(r.savings_usd, Tone::Good)
            }),
            Column::right("Write premium", "write_premium_usd", move |r: &CacheRow| {
                shown(r.write_premium_usd, Tone::Plain)
            }),
            Column::right("Net", "net_savings_usd", move |r: &CacheRow| {
                shown(r.net_savings_usd, Tone::Strong)
            }),
            Column::csv("unpriced_requests", |r: &CacheRow| Cell::int(r.unpriced_requests)),
        ]);
        columns
    }
}

impl Render for CacheReport {
    fn table(&self, opts: TableOptions) -> TableData {
        let places = money_places(
            self.totals
                .savings_usd
                .into_iter()
                .chain(self.opportunities.iter().map(|o| o.estimated_monthly_saving_usd)),
        );
        let columns = self.columns(places);
        let mut data = tabulate(&columns, &self.rows, opts);
        if opts.machine {
            return data;
        }
        data.footer = (self.rows.len() > 1).then(|| total_row(&columns, &self.totals, "Total"));
        let mut notes = vec![format!(
            "{} to {} (UTC). Saved = cache reads × (input − cache-read price); write premium = cache writes × (write − input price).",
            self.since, self.until
        )];
        if self.rows.is_empty() {
            notes = vec![format!("No usage between {} and {}.", self.since, self.until)];
        }
        for o in &self.opportunities {
            notes.push(format!(
                "Opportunity: {} on {}: a {}-token cacheable prefix, {:.1}% hit rate, ~{:.0} calls/month → about {}/month if 80% of the prefix were read from the cache.",
                o.template,
                o.model,
                crate::money::group_thousands(&o.cacheable_prefix_tokens.to_string()),
                o.cache_hit_rate * 100.0,
                o.requests_per_month,
                super::usd_places(o.estimated_monthly_saving_usd, places)
            ));
        }
        if let Some(n) = &self.opportunities_note {
            notes.push(n.clone());
        }
        if self.totals.unpriced_requests > 0 {
            notes.push(format!(
                "+ {} unpriced requests: their tokens are counted, their savings are not.",
                self.totals.unpriced_requests
            ));
        }
        data.notes = notes;
        data
    }
}
