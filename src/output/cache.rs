//! Table form of `cost cache`.

use super::report::pct;
use super::{Align, Cell, Render, TableData, TableOptions, Tone, machine_table, money, money_places};
use crate::analysis::cache::{CacheReport, CacheRow};

/// A money cell for CSV: empty when unknown (unpriced), never 0.
fn opt_usd(v: Option<crate::money::Usd>) -> Cell {
    v.map(Cell::usd).unwrap_or_else(|| Cell::text(""))
}

impl Render for CacheReport {
    fn table(&self, opts: TableOptions) -> TableData {
        let dims: Vec<&str> = self.group_by.iter().map(|d| d.name()).collect();
        if opts.machine {
            let mut headers = dims.clone();
            headers.extend([
                "requests",
                "input_tokens",
                "cache_read_tokens",
                "cache_write_tokens",
                "cache_hit_rate",
                "request_cache_hit_rate",
                "savings_usd",
                "write_premium_usd",
                "net_savings_usd",
                "unpriced_requests",
            ]);
            let rows = self
                .rows
                .iter()
                .map(|r| {
                    let mut row = super::machine_dim_cells(&dims, &r.dims);
                    row.extend([
                        Cell::text(r.requests.to_string()),
                        Cell::text(r.input_tokens.to_string()),
                        Cell::text(r.cache_read_tokens.to_string()),
                        Cell::text(r.cache_write_tokens.to_string()),
                        pct(r.cache_hit_rate),
                        pct(r.request_cache_hit_rate),
                        opt_usd(r.savings_usd),
                        opt_usd(r.write_premium_usd),
                        opt_usd(r.net_savings_usd),
                        Cell::text(r.unpriced_requests.to_string()),
                    ]);
                    row
                })
                .collect();
            return machine_table(&headers, rows);
        }
        let places = money_places(
            self.totals
                .savings_usd
                .into_iter()
                .chain(self.opportunities.iter().map(|o| o.estimated_monthly_saving_usd)),
        );
        let mut headers = super::dim_headers(&self.group_by);
        for h in [
            "Requests",
            "Input",
            "Cache read",
            "Hit rate",
            "Calls hit",
            "Saved",
            "Write premium",
            "Net",
        ] {
            headers.push((h.to_string(), Align::Right));
        }
        let cells = |r: &CacheRow, label: Option<&str>| -> Vec<Cell> {
            let mut row = super::dim_cells(&self.group_by, &r.dims, label);
            row.push(Cell::count(r.requests.max(0) as u64));
            row.push(Cell::count(r.input_tokens.max(0) as u64));
            row.push(Cell::count(r.cache_read_tokens.max(0) as u64));
            row.push(pct(r.cache_hit_rate));
            row.push(pct(r.request_cache_hit_rate));
            // No price: the savings are unknown, not zero.
            let shown = |v: Option<crate::money::Usd>, tone: Tone| match v {
                Some(v) => money(v, places).tone(tone),
                None => Cell::new("unpriced", "").tone(Tone::Warn),
            };
            row.push(shown(r.savings_usd, Tone::Good));
            row.push(shown(r.write_premium_usd, Tone::Plain));
            row.push(shown(r.net_savings_usd, Tone::Strong));
            row
        };
        let rows: Vec<Vec<Cell>> = self.rows.iter().map(|r| cells(r, None)).collect();
        let footer = (self.rows.len() > 1).then(|| cells(&self.totals, Some("Total")));
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
        TableData {
            headers,
            rows,
            footer,
            findings: Vec::new(),
            notes,
        }
    }
}
