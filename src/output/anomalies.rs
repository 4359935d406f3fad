//! Table form of `cost anomalies`.

use super::{Align, Cell, Column, Render, TableData, TableOptions, Tone, tabulate, usd_places};
use crate::analysis::anomalies::{Anomalies, Anomaly, Driver, Kind, Metric};

/// A kind in words: `spike`, `change point`.
pub fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Spike => "spike",
        Kind::ChangePoint => "change point",
        Kind::RunawayRun => "runaway run",
    }
}

/// A driver in words: `volume`, `tokens per call`, `model mix`, `cache hit rate`, `price`.
pub fn driver_label(driver: Driver) -> &'static str {
    match driver {
        Driver::Volume => "volume",
        Driver::TokensPerCall => "tokens per call",
        Driver::ModelMix => "model mix",
        Driver::CacheHitRate => "cache hit rate",
        Driver::Price => "price",
        Driver::CallsPerRun => "calls per run",
        Driver::RetryLoop => "retry loop",
    }
}

/// What an anomaly is on (`template support-reply`), its change (`$0.001000/call → $0.002000`)
/// and its impact (`$12.00/month`, `+$3.00 that day`): the words the table and the dashboard share.
pub fn describe(a: &Anomaly) -> (String, String, String) {
    let mut what = format!(
        "{} {}",
        a.dimension.name(),
        a.key.as_deref().unwrap_or(a.dimension.empty_label())
    );
    if let Some(t) = &a.template {
        what.push_str(&format!(" ({t})"));
    }
    let (before, after) = match (a.kind, a.metric) {
        (Kind::Spike, _) => (format!("${:.2}/day", a.before), format!("${:.2}", a.after)),
        (_, Metric::CallsPerRun) => (format!("p90 {:.0} calls/run", a.before), format!("{:.0}", a.after)),
        (_, Metric::CostPerRunUsd) => (format!("p90 ${:.4}/run", a.before), format!("${:.4}", a.after)),
        (_, Metric::FailedCallsInARow) => ("0 failed calls in a row".to_string(), format!("{:.0}", a.after)),
        (_, Metric::FailedCalls) => ("0 failed calls".to_string(), format!("{:.0}", a.after)),
        (_, Metric::InputTokensPerCall) => (format!("{:.0} input tokens/call", a.before), format!("{:.0}", a.after)),
        _ => (format!("${:.6}/call", a.before), format!("${:.6}", a.after)),
    };
    let impact = match (a.monthly_impact_usd, a.excess_usd) {
        (Some(m), _) => format!("{}/month", usd_places(m, 2)),
        (None, Some(e)) if a.kind == Kind::RunawayRun => format!("+{} this run", usd_places(e, 4)),
        (None, Some(e)) => format!("+{} that day", usd_places(e, 2)),
        _ => String::new(),
    };
    (what, format!("{before} → {after}"), impact)
}

/// The columns: the table reads `what`, `before → after` and the impact in words; CSV has
/// their parts, each in its own field.
fn columns() -> Vec<Column<'static, Anomaly>> {
    vec![
        Column::left("Date", "date", |a: &Anomaly| Cell::text(&a.date)),
        Column::left("Kind", "kind", |a: &Anomaly| {
            Cell::new(kind_label(a.kind), a.kind.as_str()).tone(match a.kind {
                Kind::Spike => Tone::Warn,
                Kind::ChangePoint | Kind::RunawayRun => Tone::Bad,
            })
        }),
        Column::table("What", Align::Left, |a: &Anomaly| {
            Cell::name(describe(a).0).tone(Tone::Strong)
        }),
        Column::csv("dimension", |a: &Anomaly| Cell::text(a.dimension.name())),
        Column::csv("key", |a: &Anomaly| Cell::name(a.key.as_deref().unwrap_or_default())),
        Column::table("Before → after", Align::Right, |a: &Anomaly| {
            Cell::text(describe(a).1)
        }),
        Column::csv("metric", |a: &Anomaly| Cell::text(a.metric.as_str())),
        Column::csv("before", |a: &Anomaly| Cell::text(a.before.to_string())),
        Column::csv("after", |a: &Anomaly| Cell::text(a.after.to_string())),
        Column::right("Score", "score", |a: &Anomaly| {
            Cell::new(format!("{:.1}", a.score), a.score.to_string())
        }),
        Column::table("Impact", Align::Right, |a: &Anomaly| Cell::text(describe(a).2)),
        Column::csv("monthly_impact_usd", |a: &Anomaly| Cell::opt_usd(a.monthly_impact_usd)),
        Column::csv("excess_usd", |a: &Anomaly| Cell::opt_usd(a.excess_usd)),
        Column::left("Likely driver", "driver", |a: &Anomaly| {
            Cell::new(driver_label(a.driver), a.driver.as_str())
        }),
        Column::csv("template", |a: &Anomaly| {
            Cell::name(a.template.as_deref().unwrap_or_default())
        }),
        Column::csv("reason", |a: &Anomaly| {
            Cell::name(a.reason.as_deref().unwrap_or_default())
        }),
    ]
}

impl Render for Anomalies {
    fn table(&self, opts: TableOptions) -> TableData {
        let mut data = tabulate(&columns(), &self.anomalies, opts);
        if opts.machine {
            return data;
        }
        if self.anomalies.is_empty() {
            data.notes
                .push(format!("No anomalies between {} and {}.", self.since, self.until));
        }
        data.notes.push(format!(
            "{} to {} (UTC); threshold {} robust deviations, spikes at least ${:.2} above the 28-day median (see `cost anomalies --help`).",
            self.since, self.until, self.threshold, self.min_usd
        ));
        if self.unpriced_requests > 0 {
            data.notes.push(format!(
                "+ {} unpriced requests in the period: their cost is unknown, so they are in no series.",
                self.unpriced_requests
            ));
        }
        data
    }
}
