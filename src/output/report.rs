//! Table form of `cost report`.

use super::{Align, Cell, Render, TableData, TableOptions, Tone, machine_table, money, money_places};
use crate::report::{Report, ReportRow};

/// `81.2%`, or `–` when there is nothing to divide.
pub fn pct(rate: Option<f64>) -> Cell {
    match rate {
        Some(r) => Cell::new(format!("{:.1}%", r * 100.0), format!("{r:.6}")),
        None => Cell::new("–", ""),
    }
}

impl Render for Report {
    fn table(&self, opts: TableOptions) -> TableData {
        let dims: Vec<&str> = self.group_by.iter().map(|d| d.name()).collect();
        let group_by = &self.group_by;
        if opts.machine {
            let mut headers: Vec<&str> = dims.clone();
            headers.extend([
                "requests",
                "uncached_input_tokens",
                "cache_read_tokens",
                "cache_write_5m_tokens",
                "cache_write_1h_tokens",
                "output_tokens",
                "reasoning_tokens",
                "cost_usd",
                "cache_hit_rate",
                "request_cache_hit_rate",
                "unpriced_requests",
                "reported_cost_usd",
                "reported_records_cost_usd",
            ]);
            let rows = self
                .rows
                .iter()
                .map(|r| {
                    let mut row = super::machine_dim_cells(&dims, &r.dims);
                    let raw = |n: i64| Cell::text(n.to_string());
                    row.extend([
                        raw(r.requests),
                        raw(r.uncached_input_tokens),
                        raw(r.cache_read_tokens),
                        raw(r.cache_write_5m_tokens),
                        raw(r.cache_write_1h_tokens),
                        raw(r.output_tokens),
                        raw(r.reasoning_tokens),
                        // Empty, not 0, when nothing in the row could be priced.
                        r.cost_usd.map(Cell::usd).unwrap_or_else(|| Cell::text("")),
                        pct(r.cache_hit_rate),
                        pct(r.request_cache_hit_rate),
                        raw(r.unpriced_requests),
                        r.reported_cost_usd.map(Cell::usd).unwrap_or_else(|| Cell::text("")),
                        r.reported_records_cost_usd
                            .map(Cell::usd)
                            .unwrap_or_else(|| Cell::text("")),
                    ]);
                    row
                })
                .collect();
            return machine_table(&headers, rows);
        }
        let unpriced = self.totals.unpriced_requests > 0;
        let mut headers = super::dim_headers(&self.group_by);
        let mut cols = vec!["Requests", "Uncached", "Cache read"];
        if opts.verbose {
            cols.extend(["Write 5m", "Write 1h", "Output", "Reasoning"]);
        } else {
            cols.extend(["Cache write", "Output"]);
        }
        cols.extend(["Cost", "Cache hit", "Calls hit"]);
        if unpriced {
            cols.push("Unpriced");
        }
        if self.compare_reported {
            cols.extend(["Reported", "Δ reported"]);
        }
        headers.extend(cols.iter().map(|c| (c.to_string(), Align::Right)));
        let places = money_places(std::iter::once(self.totals.priced_usd()).chain(self.totals.reported_cost_usd));
        let cells = |r: &ReportRow, label: Option<&str>| -> Vec<Cell> {
            let mut row: Vec<Cell> = match label {
                Some(l) => {
                    let mut v = vec![Cell::text(l).tone(Tone::Strong)];
                    v.extend((1..dims.len()).map(|_| Cell::text("")));
                    v
                }
                None => group_by
                    .iter()
                    .map(|d| {
                        let known = matches!(r.dims.get(d.name()), Some(Some(_)));
                        Cell::name(r.label(*d)).tone(if known { Tone::Plain } else { Tone::Dim })
                    })
                    .collect(),
            };
            let n = |v: i64| Cell::count(v.max(0) as u64);
            row.push(n(r.requests));
            row.push(n(r.uncached_input_tokens));
            row.push(n(r.cache_read_tokens));
            if opts.verbose {
                row.push(n(r.cache_write_5m_tokens));
                row.push(n(r.cache_write_1h_tokens));
                row.push(n(r.output_tokens));
                row.push(n(r.reasoning_tokens));
            } else {
                row.push(n(r.cache_write_5m_tokens + r.cache_write_1h_tokens));
                row.push(n(r.output_tokens));
            }
            match r.cost_usd {
                Some(c) => row.push(money(c, places).tone(Tone::Strong)),
                None => row.push(Cell::new("unpriced", "").tone(Tone::Warn)),
            }
            row.push(pct(r.cache_hit_rate));
            row.push(pct(r.request_cache_hit_rate));
            if unpriced {
                row.push(if r.unpriced_requests > 0 {
                    n(r.unpriced_requests).tone(Tone::Warn)
                } else {
                    Cell::new("–", "0").tone(Tone::Dim)
                });
            }
            if self.compare_reported {
                match (r.reported_cost_usd, r.reported_records_cost_usd) {
                    (Some(rep), Some(ours)) => {
                        row.push(money(rep, places));
                        row.push(money(ours - rep, places));
                    }
                    _ => {
                        row.push(Cell::new("–", ""));
                        row.push(Cell::new("–", ""));
                    }
                }
            }
            row
        };
        let rows: Vec<Vec<Cell>> = self.rows.iter().map(|r| cells(r, None)).collect();
        let footer = (!self.rows.is_empty() && (self.rows.len() > 1 || dims.is_empty()))
            .then(|| cells(&self.totals, Some("Total")));
        let mut notes = Vec::new();
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
            notes.push("Only Claude Code transcripts are stored: costs are API-equivalent; Pro/Max subscriptions are not billed per token.".into());
        }
        if self.compare_reported {
            notes.push("Reported: the cost the logs state (LiteLLM spend, Claude Code costUSD, CSV cost_usd), summed over the priced records that state one; Δ = our cost of those same records − reported.".into());
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
