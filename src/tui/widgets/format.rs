//! Figures formatted with the CLI's own helpers (`usd_places`, `pct`, `group_thousands`), so a
//! number on screen reads exactly as `cost report`, `budget`, `cache`, `anomalies` and
//! `showback` print it.

use crate::money::{Usd, group_thousands};
use crate::output::usd_places;
use crate::report::ReportRow;

pub fn count(n: i64) -> String {
    let s = group_thousands(&n.unsigned_abs().to_string());
    if n < 0 { format!("-{s}") } else { s }
}

/// `41.2%` from a fraction, `–` for none (as `cost report`).
pub fn rate(r: Option<f64>) -> String {
    crate::output::report::pct(r).display
}

/// `74.0%` from a percentage, `–` for none (as `cost budget`).
pub fn pct100(p: Option<f64>) -> String {
    p.map(|p| format!("{p:.1}%")).unwrap_or_else(|| "–".into())
}

/// `+12.5%`; `new` for a row the previous period did not have; `–` when the store has
/// nothing for the previous period at all.
pub fn signed_pct(d: Option<f64>, had_previous: bool) -> String {
    match d {
        Some(d) => format!("{:+.1}%", d * 100.0),
        None if had_previous => "new".into(),
        None => "–".into(),
    }
}

/// A row's spend; `unpriced` when none of its requests could be priced (never `$0`).
pub fn spend(r: &ReportRow, places: u32) -> String {
    match r.cost_usd {
        Some(c) => usd_places(c, places),
        None => "unpriced".into(),
    }
}

/// Money that may be unknown: `unpriced`, never `$0`.
pub fn opt_usd(v: Option<Usd>, places: u32) -> String {
    v.map_or("unpriced".into(), |v| usd_places(v, places))
}

/// Cost per priced call.
pub fn row_per_call(r: &ReportRow) -> String {
    per_call(r.priced_usd(), r.requests - r.unpriced_requests)
}

pub fn per_call(cost: Usd, requests: i64) -> String {
    if requests > 0 {
        usd_places(cost.ratio(1, requests as i128), 6)
    } else {
        "–".into()
    }
}

pub fn share(part: i64, whole: i64) -> String {
    if whole > 0 {
        format!("{:.1}%", part as f64 * 100.0 / whole as f64)
    } else {
        "–".into()
    }
}
