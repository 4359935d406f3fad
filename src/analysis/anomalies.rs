//! Anomalies in daily spend, and change points in a template's cost per call.
//!
//! Spikes: each day's spend of a team, template or model is scored against the median of the
//! up to 28 days before it (at least 14): score = (spend − median) ÷ σ, where σ = 1.4826 ×
//! MAD (the median absolute deviation), floored at 10% of the median (and $0.01) so a steady
//! series does not turn ordinary noise into spikes. A day scores as a spike at `threshold` (default 4) when
//! it is also at least `min_usd` above the median; a run of such days (a new level) is
//! reported once, on its first day.
//!
//! Change points: for each template, each day k splits its cost per call into the median of up
//! to 14 days before and the mean of up to 7 days from k (at least 7 and 3 days with calls). The day
//! with the largest |after − before| ÷ σ(before) (σ floored at 2% of before) is the change point when that score reaches
//! the threshold and the shift is at least 10%. The driver is what moved between the two
//! windows: the model mix, tokens per call, the cache-hit rate, or else the price. A template
//! with no such cost change is checked the same way for its input tokens per call (a shift of
//! 20% or more: a prompt that grew while output dominates the bill).

use crate::error::Result;
use crate::money::Usd;
use crate::period::Period;
use crate::store::Store;
use crate::store::query::{Dim, Filter};
use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;

pub const BASELINE_DAYS: i64 = 28;
pub const MIN_BASELINE: usize = 14;
pub const BEFORE_DAYS: usize = 14;
pub const AFTER_DAYS: usize = 7;
pub const MIN_AFTER: usize = 3;

/// One day of one series.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Day {
    pub cost_nanos: i64,
    pub requests: i64,
    pub tokens: i64,
    pub cache_read: i64,
    pub input: i64,
    /// Cost of the series' main model that day (for the model mix).
    pub main_model_cost: i64,
}

/// What sort of anomaly: a day's spend far above its baseline, or a lasting shift in a
/// template's cost (or input tokens) per call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Spike,
    ChangePoint,
    /// A session far above its template's other runs, or stuck in a retry loop (DESIGN §13).
    RunawayRun,
}

/// The series an anomaly was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Daily spend (spikes).
    CostUsd,
    /// A template's cost per call (change points).
    CostPerCallUsd,
    /// A template's input tokens per call (change points whose cost barely moved).
    InputTokensPerCall,
    /// A run's calls against the p90 of its template's other runs.
    CallsPerRun,
    /// A run's cost against the p90 of its template's other runs.
    CostPerRunUsd,
    /// A run's longest streak of failed calls.
    FailedCallsInARow,
    /// A run's failed calls, when they are many but not in a row.
    FailedCalls,
}

/// What most likely moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Driver {
    /// More calls (spikes).
    Volume,
    TokensPerCall,
    /// The main model's share of the cost.
    ModelMix,
    CacheHitRate,
    /// None of the above: the price itself.
    Price,
    /// A run that kept calling (an agent loop that did not stop).
    CallsPerRun,
    /// A run that repeated calls after errors.
    RetryLoop,
}

impl Kind {
    /// The name in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Spike => "spike",
            Kind::ChangePoint => "change_point",
            Kind::RunawayRun => "runaway_run",
        }
    }
}

impl Metric {
    /// The name in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::CostUsd => "cost_usd",
            Metric::CostPerCallUsd => "cost_per_call_usd",
            Metric::InputTokensPerCall => "input_tokens_per_call",
            Metric::CallsPerRun => "calls_per_run",
            Metric::CostPerRunUsd => "cost_per_run_usd",
            Metric::FailedCallsInARow => "failed_calls_in_a_row",
            Metric::FailedCalls => "failed_calls",
        }
    }
}

impl Driver {
    /// The name in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Driver::Volume => "volume",
            Driver::TokensPerCall => "tokens_per_call",
            Driver::ModelMix => "model_mix",
            Driver::CacheHitRate => "cache_hit_rate",
            Driver::Price => "price",
            Driver::CallsPerRun => "calls_per_run",
            Driver::RetryLoop => "retry_loop",
        }
    }
}

/// JSON spells each variant as CSV does: its `as_str`.
macro_rules! serialize_as_str {
    ($($t:ty),*) => {$(
        impl Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    )*};
}
serialize_as_str!(Kind, Metric, Driver);

#[derive(Debug, Clone, Serialize)]
pub struct Anomaly {
    pub kind: Kind,
    /// The series' dimension: team, template or model.
    pub dimension: Dim,
    pub key: Option<String>,
    pub date: String,
    pub metric: Metric,
    pub before: f64,
    pub after: f64,
    pub score: f64,
    /// Change points: the extra (or saved) cost over a month at the new cost per call and
    /// the recent volume. Spikes: null.
    pub monthly_impact_usd: Option<Usd>,
    /// Spikes: the day's spend above the baseline median. Runaway runs: the run's cost
    /// above its template's p90.
    pub excess_usd: Option<Usd>,
    pub driver: Driver,
    /// Runaway runs: the run's template, and what made it runaway in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Anomalies {
    pub schema: &'static str,
    pub since: String,
    pub until: String,
    pub threshold: f64,
    pub min_usd: f64,
    pub anomalies: Vec<Anomaly>,
    /// Requests in the period whose cost is unknown (not in any series).
    pub unpriced_requests: i64,
}

pub fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// Median and robust σ: 1.4826 × MAD, floored at `floor_share` of the median and at `floor`.
pub fn robust(values: &[f64], floor_share: f64, floor: f64) -> (f64, f64) {
    let mut v = values.to_vec();
    let m = median(&mut v);
    let mut dev: Vec<f64> = values.iter().map(|x| (x - m).abs()).collect();
    let mad = median(&mut dev);
    (m, (1.4826 * mad).max(floor_share * m.abs()).max(floor))
}

/// Spend spikes in one series within [since, until].
pub fn spikes(
    dimension: Dim,
    key: Option<&str>,
    series: &BTreeMap<Date, Day>,
    since: Date,
    until: Date,
    threshold: f64,
    min_usd: f64,
) -> Vec<Anomaly> {
    let Some(first) = series.keys().next().copied() else {
        return Vec::new();
    };
    let mut out: Vec<Anomaly> = Vec::new();
    let mut previous_flagged = false;
    let mut d = since.max(first);
    while d <= until {
        let mut flagged = false;
        let start = d.checked_sub(BASELINE_DAYS.days()).unwrap_or(d).max(first);
        let mut base: Vec<f64> = Vec::new();
        let mut base_requests: Vec<f64> = Vec::new();
        let mut b = start;
        while b < d {
            let day = series.get(&b).copied().unwrap_or_default();
            base.push(day.cost_nanos as f64);
            base_requests.push(day.requests as f64);
            b = match b.tomorrow() {
                Ok(t) => t,
                Err(_) => break,
            };
        }
        let today = series.get(&d).copied().unwrap_or_default();
        if base.len() >= MIN_BASELINE {
            // Daily spend: σ at least 10% of the median and at least $0.01.
            let (m, sigma) = robust(&base, 0.10, 1e7);
            let x = today.cost_nanos as f64;
            let score = (x - m) / sigma;
            flagged = score >= threshold && x - m >= min_usd * 1e9;
            // A run of high days (a new level) is reported once, on its first day.
            if flagged && !previous_flagged {
                let mut r = base_requests.clone();
                let req_median = median(&mut r).max(1.0);
                let volume = today.requests as f64 / req_median;
                let spend = x / m.max(1.0);
                out.push(Anomaly {
                    kind: Kind::Spike,
                    dimension,
                    key: key.map(str::to_string),
                    date: d.to_string(),
                    metric: Metric::CostUsd,
                    before: m / 1e9,
                    after: x / 1e9,
                    score: (score * 10.0).round() / 10.0,
                    monthly_impact_usd: None,
                    excess_usd: Some(Usd::from_nanos_f64(x - m)),
                    driver: if volume >= spend.sqrt() {
                        Driver::Volume
                    } else {
                        Driver::TokensPerCall
                    },
                    template: None,
                    reason: None,
                });
            }
        }
        previous_flagged = flagged;
        d = match d.tomorrow() {
            Ok(t) => t,
            Err(_) => break,
        };
    }
    out
}

/// The strongest change in a template's cost per call within [since, until], if any.
pub fn change_point(
    key: Option<&str>,
    series: &BTreeMap<Date, Day>,
    since: Date,
    until: Date,
    threshold: f64,
    days_per_month: f64,
) -> Option<Anomaly> {
    let days: Vec<(Date, Day)> = series
        .iter()
        .filter(|(d, day)| **d <= until && day.requests > 0)
        .map(|(d, day)| (*d, *day))
        .collect();
    let cpc = |day: &Day| day.cost_nanos as f64 / day.requests as f64;
    let tpc = |day: &Day| day.input as f64 / day.requests as f64;
    // The cost per call first; else the input tokens per call (a deploy that grew the prompt
    // while output dominates the cost), which must move by at least 20%.
    let (metric, (score, k, b, a)) = match best_shift(&days, since, threshold, 0.10, cpc) {
        Some(found) => (Metric::CostPerCallUsd, found),
        None => (
            Metric::InputTokensPerCall,
            best_shift(&days, since, threshold, 0.20, tpc)?,
        ),
    };
    // What moved between the windows.
    let sum = |range: &[(Date, Day)]| {
        range.iter().fold(Day::default(), |acc, (_, d)| Day {
            cost_nanos: acc.cost_nanos + d.cost_nanos,
            requests: acc.requests + d.requests,
            tokens: acc.tokens + d.tokens,
            cache_read: acc.cache_read + d.cache_read,
            input: acc.input + d.input,
            main_model_cost: acc.main_model_cost + d.main_model_cost,
        })
    };
    let before = sum(&days[k.saturating_sub(BEFORE_DAYS)..k]);
    let after_end = (k + AFTER_DAYS).min(days.len());
    let after = sum(&days[k..after_end]);
    let share = |d: &Day| {
        if d.cost_nanos > 0 {
            d.main_model_cost as f64 / d.cost_nanos as f64
        } else {
            0.0
        }
    };
    let per_call = |d: &Day| d.tokens as f64 / d.requests.max(1) as f64;
    let hit = |d: &Day| {
        if d.input > 0 {
            d.cache_read as f64 / d.input as f64
        } else {
            0.0
        }
    };
    let driver = if (share(&after) - share(&before)).abs() >= 0.2 {
        Driver::ModelMix
    } else if (per_call(&after) / per_call(&before).max(1.0) - 1.0).abs() >= 0.1 {
        Driver::TokensPerCall
    } else if (hit(&after) - hit(&before)).abs() >= 0.1 {
        Driver::CacheHitRate
    } else {
        Driver::Price
    };
    let per_day = after.requests as f64 / (after_end - k) as f64;
    // The monthly impact is the change in cost per call at the recent volume.
    let cost_shift = if metric == Metric::CostPerCallUsd {
        a - b
    } else {
        after.cost_nanos as f64 / after.requests.max(1) as f64
            - before.cost_nanos as f64 / before.requests.max(1) as f64
    };
    let scale = if metric == Metric::CostPerCallUsd { 1e9 } else { 1.0 };
    Some(Anomaly {
        kind: Kind::ChangePoint,
        dimension: Dim::Template,
        key: key.map(str::to_string),
        date: days[k].0.to_string(),
        metric,
        before: b / scale,
        after: a / scale,
        score: (score * 10.0).round() / 10.0,
        monthly_impact_usd: Some(Usd::from_nanos_f64(cost_shift * per_day * days_per_month)),
        excess_usd: None,
        driver: if metric == Metric::CostPerCallUsd {
            driver
        } else {
            Driver::TokensPerCall
        },
        template: None,
        reason: None,
    })
}

/// The day where `metric` shifts most (median of up to 14 days before vs mean of up to 7 days
/// from it), if the shift reaches `threshold` deviations and `min_share` of the level before:
/// (score, index, before, after).
fn best_shift(
    days: &[(Date, Day)],
    since: Date,
    threshold: f64,
    min_share: f64,
    metric: impl Fn(&Day) -> f64,
) -> Option<(f64, usize, f64, f64)> {
    let mut best: Option<(f64, usize, f64, f64)> = None;
    for k in 0..days.len() {
        if days[k].0 < since || k < 7 {
            continue;
        }
        let before: Vec<f64> = days[k.saturating_sub(BEFORE_DAYS)..k]
            .iter()
            .map(|(_, d)| metric(d))
            .collect();
        let after_end = (k + AFTER_DAYS).min(days.len());
        if after_end - k < MIN_AFTER {
            continue;
        }
        let after: Vec<f64> = days[k..after_end].iter().map(|(_, d)| metric(d)).collect();
        // σ at least 2% of the level before (and at least one unit of the metric).
        let (b, sigma) = robust(&before, 0.02, 1.0);
        // The mean (not the median) of the days after: a window that only partly follows the
        // change scores lower than one that starts on it, so the first day of the shift wins.
        let a = after.iter().sum::<f64>() / after.len() as f64;
        let score = (a - b).abs() / sigma;
        if best.is_none_or(|x| score > x.0) {
            best = Some((score, k, b, a));
        }
    }
    let (score, k, b, a) = best?;
    (score >= threshold && b > 0.0 && ((a - b) / b).abs() >= min_share).then_some((score, k, b, a))
}

/// What [`compute`] looks for: the period to list anomalies in, and how far above its
/// baseline a day must be.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    pub period: Period,
    /// Robust deviations above the baseline (above 0).
    pub threshold: f64,
    /// Dollars above the baseline a spike needs (at least 0).
    pub min_usd: f64,
    /// Days per month, for the monthly impact of a change point.
    pub days_per_month: f64,
}

/// A runaway run as an anomaly: by its first cause (cost, then calls, then a retry loop), the
/// run against its template's p90, and the cost above that p90 at stake.
fn runaway(r: &super::runs::Runaway) -> Anomaly {
    use super::runs::Cause;
    let cost = r.cost_usd;
    let (metric, before, after, driver) = if r.causes.contains(&Cause::Cost) {
        let p90 = r.p90_cost_usd.unwrap_or(Usd::ZERO);
        let driver = if r.causes.contains(&Cause::Calls) {
            Driver::CallsPerRun
        } else {
            Driver::TokensPerCall
        };
        (Metric::CostPerRunUsd, p90.to_f64(), cost.to_f64(), driver)
    } else if r.causes.contains(&Cause::Calls) {
        let p90 = r.p90_calls.unwrap_or(0);
        (Metric::CallsPerRun, p90 as f64, r.calls as f64, Driver::CallsPerRun)
    } else if r.max_error_streak >= super::runs::RETRY_LOOP_ERRORS {
        (
            Metric::FailedCallsInARow,
            0.0,
            r.max_error_streak as f64,
            Driver::RetryLoop,
        )
    } else {
        (Metric::FailedCalls, 0.0, r.errors as f64, Driver::RetryLoop)
    };
    let excess = match r.p90_cost_usd {
        Some(p90) if cost > p90 => cost - p90,
        _ => cost,
    };
    Anomaly {
        kind: Kind::RunawayRun,
        dimension: Dim::Session,
        key: Some(r.session.clone()),
        date: r.start.get(..10).unwrap_or(&r.start).to_string(),
        metric,
        before,
        after,
        // How many times its template's p90 (a retry loop: its failed calls in a row).
        score: if before > 0.0 { after / before } else { after },
        monthly_impact_usd: None,
        excess_usd: Some(excess),
        driver,
        template: r.template.clone(),
        reason: Some(r.reason.clone()),
    }
}

/// Spend spikes per team, template and model, and template cost-per-call change points, in the
/// period (read with [`BASELINE_DAYS`] of history before it), newest first.
pub fn compute(store: Option<&Store>, params: &Params) -> Result<Anomalies> {
    let p = params.period;
    let history = p.since.checked_sub(BASELINE_DAYS.days()).unwrap_or(p.since);
    let filter = Filter {
        since: Some(history.to_string()),
        until: Some(p.until.to_string()),
        ..Filter::default()
    };
    let mut found = Vec::new();
    let mut unpriced = 0;
    if let Some(store) = store {
        let period_only = Filter {
            since: Some(p.since.to_string()),
            ..filter.clone()
        };
        unpriced = store
            .sums(&[], &period_only)?
            .iter()
            .map(|(_, s)| s.unpriced_requests)
            .sum();
        for dim in [Dim::Team, Dim::Template, Dim::Model] {
            let mut series: BTreeMap<String, BTreeMap<Date, Day>> = BTreeMap::new();
            for (k, s) in store.sums(&[dim, Dim::Day], &filter)? {
                let (Some(value), Some(d)) = (k.get(dim), k.day()) else {
                    continue;
                };
                let e = series.entry(value.to_string()).or_default().entry(d).or_default();
                e.cost_nanos += s.cost_nanos;
                e.requests += s.requests;
            }
            for (key, s) in &series {
                let key = Some(key.as_str()).filter(|k| !k.is_empty());
                found.extend(spikes(dim, key, s, p.since, p.until, params.threshold, params.min_usd));
            }
        }
        // Change points per template, with what each day was made of.
        let mut per_model: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
        let rows = store.sums(&[Dim::Template, Dim::Model, Dim::Day], &filter)?;
        for (k, s) in &rows {
            *per_model
                .entry(k.value(Dim::Template).to_string())
                .or_default()
                .entry(k.value(Dim::Model).to_string())
                .or_insert(0) += s.cost_nanos;
        }
        let main: BTreeMap<&str, &str> = per_model
            .iter()
            .filter_map(|(t, models)| {
                models
                    .iter()
                    .max_by_key(|(_, c)| **c)
                    .map(|(m, _)| (t.as_str(), m.as_str()))
            })
            .collect();
        let mut series: BTreeMap<String, BTreeMap<Date, Day>> = BTreeMap::new();
        for (k, s) in &rows {
            let (Some(template), Some(d)) = (k.get(Dim::Template), k.day()) else {
                continue;
            };
            if template.is_empty() {
                continue;
            }
            let e = series.entry(template.to_string()).or_default().entry(d).or_default();
            e.cost_nanos += s.cost_nanos;
            e.requests += s.requests;
            e.tokens += s.total_input() + s.tokens.output;
            e.cache_read += s.tokens.cache_read;
            e.input += s.total_input();
            if main.get(template).copied() == k.get(Dim::Model) {
                e.main_model_cost += s.cost_nanos;
            }
        }
        for (key, s) in &series {
            found.extend(change_point(
                Some(key),
                s,
                p.since,
                p.until,
                params.threshold,
                params.days_per_month,
            ));
        }
    }
    if let Some(store) = store {
        // Runs of the period judged against the template's runs since the baseline began.
        let since = p.since.to_string();
        for r in super::runs::runaways_in(store, &filter, &since)? {
            found.push(runaway(&r));
        }
    }
    found.sort_by(|a, b| b.date.cmp(&a.date).then(b.score.total_cmp(&a.score)));
    Ok(Anomalies {
        schema: "cost.anomalies/v1",
        since: p.since.to_string(),
        until: p.until.to_string(),
        threshold: params.threshold,
        min_usd: params.min_usd,
        anomalies: found,
        unpriced_requests: unpriced,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn series(f: impl Fn(i64) -> (f64, i64, i64)) -> BTreeMap<Date, Day> {
        (0..40)
            .map(|i| {
                let d = date(2026, 9, 1).checked_add(i.days()).unwrap();
                let (usd, requests, tokens) = f(i);
                (
                    d,
                    Day {
                        cost_nanos: (usd * 1e9) as i64,
                        requests,
                        tokens,
                        input: tokens,
                        main_model_cost: (usd * 1e9) as i64,
                        ..Day::default()
                    },
                )
            })
            .collect()
    }

    #[test]
    fn flat_series_has_no_spike_and_a_jump_is_found_on_its_day() {
        let flat = series(|_| (10.0, 100, 1000));
        assert!(
            spikes(
                Dim::Team,
                Some("a"),
                &flat,
                date(2026, 9, 1),
                date(2026, 10, 10),
                4.0,
                1.0
            )
            .is_empty()
        );
        // Cost per call $0.10 until Sep 25, $0.13 from Sep 26 (30% more tokens per call).
        let jump = series(|i| if i < 25 { (10.0, 100, 1000) } else { (13.0, 100, 1300) });
        let c = change_point(Some("t"), &jump, date(2026, 9, 1), date(2026, 10, 10), 4.0, 30.0).unwrap();
        assert_eq!(c.date, "2026-09-26");
        assert!((c.before - 0.1).abs() < 1e-9 && (c.after - 0.13).abs() < 1e-9);
        assert_eq!(c.driver, Driver::TokensPerCall);
        // +$0.03 per call × 100 calls a day × 30 days = $90 a month.
        assert_eq!(c.monthly_impact_usd.unwrap().format_fixed(2), "90.00");
        assert!(change_point(Some("f"), &flat, date(2026, 9, 1), date(2026, 10, 10), 4.0, 30.0).is_none());
    }

    #[test]
    fn a_prompt_that_grew_is_found_when_the_cost_barely_moved() {
        // $0.10 a call throughout (output dominates), but 4,000 → 5,200 input tokens a call from
        // Sep 16: found on its day as an input-tokens change point.
        let mut s = series(|_| (10.0, 100, 400_000));
        for (d, day) in s.iter_mut() {
            if *d >= date(2026, 9, 16) {
                day.input = 520_000;
            }
        }
        let c = change_point(Some("t"), &s, date(2026, 9, 1), date(2026, 10, 10), 4.0, 30.0).unwrap();
        assert_eq!((c.metric, c.date.as_str()), (Metric::InputTokensPerCall, "2026-09-16"));
        assert_eq!((c.before, c.after), (4_000.0, 5_200.0));
        assert_eq!(c.monthly_impact_usd.unwrap().format_fixed(2), "0.00");
    }

    #[test]
    fn kinds_metrics_and_drivers_keep_their_names_in_json() {
        fn json(v: impl Serialize) -> String {
            serde_json::to_string(&v).unwrap()
        }
        let names: Vec<String> = [
            json(Kind::Spike),
            json(Kind::ChangePoint),
            json(Metric::CostUsd),
            json(Metric::CostPerCallUsd),
            json(Metric::InputTokensPerCall),
            json(Driver::Volume),
            json(Driver::TokensPerCall),
            json(Driver::ModelMix),
            json(Driver::CacheHitRate),
            json(Driver::Price),
        ]
        .into();
        assert_eq!(
            names,
            [
                "\"spike\"",
                "\"change_point\"",
                "\"cost_usd\"",
                "\"cost_per_call_usd\"",
                "\"input_tokens_per_call\"",
                "\"volume\"",
                "\"tokens_per_call\"",
                "\"model_mix\"",
                "\"cache_hit_rate\"",
                "\"price\"",
            ]
        );
    }

    #[test]
    fn a_spike_is_scored_against_the_median() {
        // $10/day with ±$1 noise, then $50 on day 30.
        let s = series(|i| {
            if i == 30 {
                (50.0, 500, 5000)
            } else {
                (10.0 + (i % 3) as f64 - 1.0, 100, 1000)
            }
        });
        let found = spikes(
            Dim::Team,
            Some("a"),
            &s,
            date(2026, 9, 20),
            date(2026, 10, 10),
            4.0,
            1.0,
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].date, "2026-10-01");
        assert_eq!(found[0].excess_usd.unwrap().format_fixed(2), "40.00");
        assert_eq!(found[0].driver, Driver::Volume);
    }
}
