//! Table form of `cost anomalies`.

use super::{Align, Cell, Render, TableData, TableOptions, Tone, machine_table, usd_places};
use crate::analysis::anomalies::Anomalies;

/// What an anomaly is on (`template support-reply`), its change (`$0.001000/call → $0.002000`)
/// and its impact (`$12.00/month`, `+$3.00 that day`): the words the table and the dashboard share.
pub fn describe(a: &crate::analysis::anomalies::Anomaly) -> (String, String, String) {
    let what = format!("{} {}", a.dimension, a.key.as_deref().unwrap_or("(unassigned)"));
    let (before, after) = match (a.kind, a.metric) {
        ("spike", _) => (format!("${:.2}/day", a.before), format!("${:.2}", a.after)),
        (_, "input_tokens_per_call") => (format!("{:.0} input tokens/call", a.before), format!("{:.0}", a.after)),
        _ => (format!("${:.6}/call", a.before), format!("${:.6}", a.after)),
    };
    let impact = match (a.monthly_impact_usd, a.excess_usd) {
        (Some(m), _) => format!("{}/month", usd_places(m, 2)),
        (None, Some(e)) => format!("+{} that day", usd_places(e, 2)),
        _ => String::new(),
    };
    (what, format!("{before} → {after}"), impact)
}

impl Render for Anomalies {
    fn table(&self, opts: TableOptions) -> TableData {
        if opts.machine {
            let rows = self
                .anomalies
                .iter()
                .map(|a| {
                    vec![
                        Cell::text(&a.date),
                        Cell::text(a.kind),
                        Cell::text(a.dimension),
                        Cell::name(a.key.clone().unwrap_or_default()),
                        Cell::text(a.metric),
                        Cell::text(format!("{}", a.before)),
                        Cell::text(format!("{}", a.after)),
                        Cell::text(format!("{}", a.score)),
                        a.monthly_impact_usd.map(Cell::usd).unwrap_or_else(|| Cell::text("")),
                        a.excess_usd.map(Cell::usd).unwrap_or_else(|| Cell::text("")),
                        Cell::text(a.driver),
                    ]
                })
                .collect();
            return machine_table(
                &[
                    "date",
                    "kind",
                    "dimension",
                    "key",
                    "metric",
                    "before",
                    "after",
                    "score",
                    "monthly_impact_usd",
                    "excess_usd",
                    "driver",
                ],
                rows,
            );
        }
        let headers = [
            ("Date", Align::Left),
            ("Kind", Align::Left),
            ("What", Align::Left),
            ("Before → after", Align::Right),
            ("Score", Align::Right),
            ("Impact", Align::Right),
            ("Likely driver", Align::Left),
        ]
        .iter()
        .map(|(h, a)| (h.to_string(), *a))
        .collect();
        let rows =
            self.anomalies
                .iter()
                .map(|a| {
                    let (what, change, impact) = describe(a);
                    vec![
                        Cell::text(&a.date),
                        Cell::text(if a.kind == "spike" { "spike" } else { "change point" })
                            .tone(if a.kind == "spike" { Tone::Warn } else { Tone::Bad }),
                        Cell::name(what).tone(Tone::Strong),
                        Cell::text(change),
                        Cell::text(format!("{:.1}", a.score)),
                        Cell::text(impact),
                        Cell::text(a.driver.replace('_', " ")),
                    ]
                })
                .collect::<Vec<_>>();
        let mut notes = vec![format!(
            "{} to {} (UTC); threshold {} robust deviations, spikes at least ${:.2} above the 28-day median (see `cost anomalies --help`).",
            self.since, self.until, self.threshold, self.min_usd
        )];
        if self.unpriced_requests > 0 {
            notes.push(format!(
                "+ {} unpriced requests in the period: their cost is unknown, so they are in no series.",
                self.unpriced_requests
            ));
        }
        if self.anomalies.is_empty() {
            notes.insert(0, format!("No anomalies between {} and {}.", self.since, self.until));
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
