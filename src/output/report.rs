//! Table form of `cost report`.

use super::{
    Align, Cell, Column, Render, TableData, TableOptions, Tone, dim_columns, money, money_places, tabulate, total_row,
};
use crate::report::{Report, ReportRow};

/// `81.2%`, or `–` when there is nothing to divide.
pub fn pct(rate: Option<f64>) -> Cell {
    match rate {
        Some(r) => Cell::new(format!("{:.1}%", r * 100.0), format!("{r:.6}")),
        None => Cell::new("–", ""),
    }
}

impl Report {
    /// Decimals of every money cell: four when all the figures are small.
    fn places(&self) -> u32 {
        money_places(std::iter::once(self.totals.priced_usd()).chain(self.totals.reported_cost_usd))
    }

    /// Every column of a report: the `--by` dimensions, then the figures. Tables sum the two
    /// cache writes (`-v` splits them and adds reasoning), show `Unpriced` only when something
    /// is, and `Reported` with its Δ only with `--compare-reported`; CSV always has them all.
    fn columns(&self, verbose: bool) -> Vec<Column<'_, ReportRow>> {
        let places = self.places();
        let unpriced = self.totals.unpriced_requests > 0;
        let compare = self.compare_reported;
        let mut columns = dim_columns(&self.group_by, |r: &ReportRow| &r.dims);
        columns.extend([
            Column::right("Requests", "requests", |r: &ReportRow| Cell::int(r.requests)),
            Column::right("Uncached", "uncached_input_tokens", |r: &ReportRow| {
                Cell::int(r.uncached_input_tokens)
            }),
            Column::right("Cache read", "cache_read_tokens", |r: &ReportRow| {
                Cell::int(r.cache_read_tokens)
            }),
            Column::right("Write 5m", "cache_write_5m_tokens", |r: &ReportRow| {
                Cell::int(r.cache_write_5m_tokens)
            })
            .table_if(verbose),
            Column::right("Write 1h", "cache_write_1h_tokens", |r: &ReportRow| {
                Cell::int(r.cache_write_1h_tokens)
            })
            .table_if(verbose),
            Column::table("Cache write", Align::Right, |r: &ReportRow| {
                Cell::int(r.cache_write_5m_tokens + r.cache_write_1h_tokens)
            })
            .table_if(!verbose),
            Column::right("Output", "output_tokens", |r: &ReportRow| Cell::int(r.output_tokens)),
            Column::right("Reasoning", "reasoning_tokens", |r: &ReportRow| {
                Cell::int(r.reasoning_tokens)
            })
            .table_if(verbose),
            // Empty in CSV, not 0, when nothing in the row could be priced.
            Column::right("Cost", "cost_usd", move |r: &ReportRow| match r.cost_usd {
                Some(c) => money(c, places).tone(Tone::Strong),
                None => Cell::new("unpriced", "").tone(Tone::Warn),
            }),
            Column::right("Cache hit", "cache_hit_rate", |r: &ReportRow| pct(r.cache_hit_rate)),
            Column::right("Calls hit", "request_cache_hit_rate", |r: &ReportRow| {
                pct(r.request_cache_hit_rate)
            }),
            Column::right("Unpriced", "unpriced_requests", |r: &ReportRow| {
                if r.unpriced_requests > 0 {
                    Cell::int(r.unpriced_requests).tone(Tone::Warn)
                } else {
                    Cell::new("–", "0").tone(Tone::Dim)
                }
            })
            .table_if(unpriced),
            Column::right("Reported", "reported_cost_usd", move |r: &ReportRow| {
                match r.reported_cost_usd {
                    Some(rep) => money(rep, places),
                    None => Cell::new("–", ""),
                }
            })
            .table_if(compare),
            Column::table("Δ reported", Align::Right, move |r: &ReportRow| {
                match (r.reported_cost_usd, r.reported_records_cost_usd) {
                    (Some(rep), Some(ours)) => money(ours - rep, places),
                    _ => Cell::new("–", ""),
                }
            })
            .table_if(compare),
            Column::csv("reported_records_cost_usd", |r: &ReportRow| {
                Cell::opt_usd(r.reported_records_cost_usd)
            }),
        ]);
        columns
    }
}

impl Render for Report {
    fn table(&self, opts: TableOptions) -> TableData {
        let columns = self.columns(opts.verbose);
        let mut data = tabulate(&columns, &self.rows, opts);
        if opts.machine {
            return data;
        }
        let places = self.places();
        let unpriced = self.totals.unpriced_requests > 0;
        data.footer = (self.rows.len() > 1).then(|| total_row(&columns, &self.totals, "Total"));
        let notes = &mut data.notes;
        if self.rows.is_empty() {
            notes.push(format!("No usage between {} and {}.", self.since, self.until));
        } else {
            notes.push(format!(
                "{} to {} (UTC). Cost from cost's own price table.",
                self.since, self.until
            ));
        }
        if unpriced {
            let n = self.totals.unpriced_requests;
            notes.push(format!(
                "+ {n} unpriced {}: the model or tier has no price, so the tokens are counted and the cost is not. Add [prices.\"name\"] to cost.toml, then `cost import --update` the same files.",
                if n == 1 { "request" } else { "requests" }
            ));
        }
        let unassigned: Vec<&ReportRow> = self
            .rows
            .iter()
            .filter(|r| matches!(r.dims.get("team"), Some(None)))
            .collect();
        if !unassigned.is_empty() {
            let requests: i64 = unassigned.iter().map(|r| r.requests).sum();
            let cost = unassigned
                .iter()
                .fold(crate::money::Usd::ZERO, |a, r| a + r.priced_usd());
            notes.push(format!(
                "(unassigned): {} requests ({}) name no team. Map them with [teams.NAME] api_keys or projects in cost.toml (or --team), then `cost import --update` the same files.",
                crate::money::group_thousands(&requests.to_string()),
                super::usd_places(cost, places)
            ));
        }
        if self.api_equivalent_only {
            notes.push("Only coding agents' logs are stored (Claude Code, Codex, Copilot, …): costs are API-equivalent; subscriptions and premium requests are not billed per token.".into());
        }
        if self.compare_reported {
            notes.push("Reported: the cost the logs state (LiteLLM spend, Claude Code costUSD, CSV cost_usd), summed over the priced records that state one; Δ = our cost of those same records − reported.".into());
        }
        data
    }
}
