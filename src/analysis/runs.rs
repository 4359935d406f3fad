//! Cost per run (DESIGN §13): one row per session — an agent run, a conversation, a trace —
//! the spread of cost per run per template and team, and the runs that ran away.

use crate::error::Result;
use crate::money::Usd;
use crate::store::Store;
use crate::store::query::Filter;
use crate::store::runs::SessionCall;
use serde::Serialize;
use std::collections::BTreeMap;

/// A run runs away when its calls or cost pass this many times the p90 of its template's
/// other runs…
pub const RUNAWAY_FACTOR: i64 = 5;
/// …and it made at least this many calls (for a calls runaway)…
pub const RUNAWAY_MIN_CALLS: i64 = 20;
/// …or cost at least this much, nano-USD (for a cost runaway): tiny runs never fire.
pub const RUNAWAY_MIN_COST_NANOS: i64 = 1_000_000_000;
/// Failed calls that make a retry loop: this many in a row, or this many that are at least
/// one call in [`RETRY_LOOP_SHARE`] of the run (retries interleaved with the calls they repeat).
pub const RETRY_LOOP_ERRORS: i64 = 5;
pub const RETRY_LOOP_SHARE: i64 = 5;
/// Other runs of a template needed before its p90 can judge a run.
pub const MIN_PEER_RUNS: usize = 3;

/// One session's calls, summed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Run {
    pub session: String,
    /// The first call, RFC 3339 UTC.
    pub start: String,
    pub end: String,
    /// From the first call to the last, seconds.
    pub duration_s: i64,
    pub calls: i64,
    pub errors: i64,
    /// The longest run of consecutive failed calls.
    pub max_error_streak: i64,
    pub input_tokens: i64,
    pub output_tokens: i64,
    pub cost_usd: Usd,
    pub unpriced_calls: i64,
    pub first_input_tokens: i64,
    pub last_input_tokens: i64,
    /// The last call's input ÷ the first call's: how much the context grew.
    pub context_growth: Option<f64>,
    /// The first call's team and template (`None`: not attributed).
    pub team: Option<String>,
    pub template: Option<String>,
    pub model: String,
    #[serde(skip)]
    pub cost_nanos: i64,
    #[serde(skip)]
    pub start_ms: i64,
}

/// The spread of cost per run over one template's (or team's) runs: nearest-rank percentiles.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spread {
    /// `None`: runs without a template (or team).
    pub name: Option<String>,
    pub runs: usize,
    pub total_usd: Usd,
    pub mean_usd: Usd,
    pub p50_usd: Usd,
    pub p90_usd: Usd,
    pub p99_usd: Usd,
    pub max_usd: Usd,
    pub p90_calls: i64,
}

/// Why a run is a runaway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// More than 5× the calls of its template's p90 run (and ≥ 20 calls).
    Calls,
    /// More than 5× the cost of its template's p90 run (and ≥ $1).
    Cost,
    /// ≥ 5 failed calls in a row.
    RetryLoop,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Runaway {
    pub session: String,
    pub template: Option<String>,
    pub team: Option<String>,
    pub start: String,
    pub calls: i64,
    pub cost_usd: Usd,
    pub causes: Vec<Cause>,
    /// What made it a runaway, in words.
    pub reason: String,
    /// The p90 of the template's other runs, when there were enough to judge by.
    pub p90_calls: Option<i64>,
    pub p90_cost_usd: Option<Usd>,
    pub errors: i64,
    pub max_error_streak: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    #[default]
    Cost,
    Calls,
    Duration,
    Start,
    Growth,
    Errors,
}

impl SortKey {
    pub const NAMES: [&str; 6] = ["cost", "calls", "duration", "start", "growth", "errors"];

    pub fn parse(s: &str) -> Option<SortKey> {
        Some(match s {
            "cost" => SortKey::Cost,
            "calls" => SortKey::Calls,
            "duration" => SortKey::Duration,
            "start" => SortKey::Start,
            "growth" => SortKey::Growth,
            "errors" => SortKey::Errors,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Default)]
pub struct Params {
    pub filter: Filter,
    pub sort: SortKey,
    /// At most this many runs in `runs` (`None`: all).
    pub top: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Runs {
    pub schema: &'static str,
    pub currency: &'static str,
    pub since: String,
    pub until: String,
    /// Every run in the period.
    pub total_runs: usize,
    pub total_usd: Usd,
    /// The runs shown, sorted (largest first; `start`: earliest first).
    pub runs: Vec<Run>,
    pub sort: &'static str,
    pub by_template: Vec<Spread>,
    pub by_team: Vec<Spread>,
    pub runaway: Vec<Runaway>,
    /// Which table to show: the runs (`None`), or the spread per `template` or `team`.
    #[serde(skip)]
    pub per: Option<String>,
}

fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// Sums one session's calls (in time order).
#[derive(Debug, Default)]
struct Acc {
    run: Option<Run>,
    streak: i64,
}

impl Acc {
    fn push(&mut self, c: SessionCall) -> Option<Run> {
        let done = match &self.run {
            Some(r) if r.session != c.session => self.run.take(),
            _ => None,
        };
        if done.is_some() {
            self.streak = 0;
        }
        let run = self.run.get_or_insert_with(|| Run {
            session: c.session.clone(),
            start: rfc3339(c.ts_ms),
            end: String::new(),
            duration_s: 0,
            calls: 0,
            errors: 0,
            max_error_streak: 0,
            input_tokens: 0,
            output_tokens: 0,
            cost_usd: Usd::ZERO,
            unpriced_calls: 0,
            first_input_tokens: c.input,
            last_input_tokens: 0,
            context_growth: None,
            team: (!c.team.is_empty()).then(|| c.team.clone()),
            template: (!c.template.is_empty()).then(|| c.template.clone()),
            model: c.model.clone(),
            cost_nanos: 0,
            start_ms: c.ts_ms,
        });
        run.calls = run.calls.saturating_add(c.requests.max(1));
        run.errors += c.error as i64;
        self.streak = if c.error { self.streak + 1 } else { 0 };
        run.max_error_streak = run.max_error_streak.max(self.streak);
        run.input_tokens = run.input_tokens.saturating_add(c.input);
        run.output_tokens = run.output_tokens.saturating_add(c.output);
        run.cost_nanos = run.cost_nanos.saturating_add(c.cost_nanos);
        run.unpriced_calls += c.unpriced as i64;
        run.last_input_tokens = c.input;
        run.duration_s = (c.ts_ms - run.start_ms).max(0) / 1000;
        run.end = rfc3339(c.ts_ms);
        done.map(finish)
    }
}

fn finish(mut r: Run) -> Run {
    r.cost_usd = Usd::from_nanos(r.cost_nanos);
    r.context_growth = (r.first_input_tokens > 0).then(|| r.last_input_tokens as f64 / r.first_input_tokens as f64);
    r
}

/// Every run in the filter's period, in session order.
pub fn collect(store: &Store, filter: &Filter) -> Result<Vec<Run>> {
    let mut acc = Acc::default();
    let mut runs = Vec::new();
    store.session_calls(filter, |c| {
        if let Some(r) = acc.push(c) {
            runs.push(r);
        }
    })?;
    runs.extend(acc.run.take().map(finish));
    Ok(runs)
}

/// The nearest-rank percentile `p` (0–100) of sorted values: the smallest value with at
/// least p % of the values at or below it.
pub fn percentile(sorted: &[i64], p: u32) -> i64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (sorted.len() * p as usize).div_ceil(100).max(1);
    sorted[rank - 1]
}

fn spreads(runs: &[Run], key: impl Fn(&Run) -> &Option<String>) -> Vec<Spread> {
    let mut groups: BTreeMap<Option<String>, (Vec<i64>, Vec<i64>)> = BTreeMap::new();
    for r in runs {
        let g = groups.entry(key(r).clone()).or_default();
        g.0.push(r.cost_nanos);
        g.1.push(r.calls);
    }
    let mut out: Vec<Spread> = groups
        .into_iter()
        .map(|(name, (mut costs, mut calls))| {
            costs.sort_unstable();
            calls.sort_unstable();
            let total: i64 = costs.iter().fold(0i64, |a, b| a.saturating_add(*b));
            let u = Usd::from_nanos;
            Spread {
                name,
                runs: costs.len(),
                total_usd: u(total),
                mean_usd: Usd::from_nanos(total).ratio(1, costs.len().max(1) as i128),
                p50_usd: u(percentile(&costs, 50)),
                p90_usd: u(percentile(&costs, 90)),
                p99_usd: u(percentile(&costs, 99)),
                max_usd: u(costs.last().copied().unwrap_or(0)),
                p90_calls: percentile(&calls, 90),
            }
        })
        .collect();
    out.sort_by(|a, b| b.total_usd.cmp(&a.total_usd).then(a.name.cmp(&b.name)));
    out
}

/// The p90 of `sorted` without one occurrence of `own` (the run being judged): `None` when
/// fewer than [`MIN_PEER_RUNS`] others are left.
fn p90_of_others(sorted: &[i64], own: i64) -> Option<i64> {
    let m = sorted.len().checked_sub(1)?;
    if m < MIN_PEER_RUNS {
        return None;
    }
    let i = (m * 90).div_ceil(100).max(1) - 1;
    let pos = sorted.partition_point(|v| *v < own);
    Some(if pos <= i { sorted[i + 1] } else { sorted[i] })
}

/// `$1.05`, or `$0.0004` under a dollar.
fn dollars(v: Usd) -> String {
    let places = if v.abs() < Usd::from_nanos(1_000_000_000) { 4 } else { 2 };
    format!("${}", v.format_fixed(places))
}

/// Runaway runs: by calls or cost against the p90 of their template's other runs, and retry
/// loops.
pub fn runaways(runs: &[Run]) -> Vec<Runaway> {
    let mut peers: BTreeMap<&Option<String>, (Vec<i64>, Vec<i64>)> = BTreeMap::new();
    for r in runs {
        let g = peers.entry(&r.template).or_default();
        g.0.push(r.calls);
        g.1.push(r.cost_nanos);
    }
    for g in peers.values_mut() {
        g.0.sort_unstable();
        g.1.sort_unstable();
    }
    let mut out = Vec::new();
    for r in runs {
        let (calls, costs) = &peers[&r.template];
        let mut causes = Vec::new();
        let mut why = Vec::new();
        let p90_calls = p90_of_others(calls, r.calls);
        let p90_cost = p90_of_others(costs, r.cost_nanos);
        if let Some(p90) = p90_calls
            && r.calls >= RUNAWAY_MIN_CALLS
            && r.calls > RUNAWAY_FACTOR.saturating_mul(p90)
        {
            causes.push(Cause::Calls);
            why.push(format!(
                "{} calls, over {RUNAWAY_FACTOR}× the template's p90 of {p90}",
                r.calls
            ));
        }
        if let Some(p90) = p90_cost
            && r.cost_nanos >= RUNAWAY_MIN_COST_NANOS
            && r.cost_nanos > RUNAWAY_FACTOR.saturating_mul(p90)
        {
            causes.push(Cause::Cost);
            why.push(format!(
                "{} cost, over {RUNAWAY_FACTOR}× the template's p90 of {}",
                dollars(r.cost_usd),
                dollars(Usd::from_nanos(p90))
            ));
        }
        if r.max_error_streak >= RETRY_LOOP_ERRORS {
            causes.push(Cause::RetryLoop);
            why.push(format!("a retry loop of {} failed calls in a row", r.max_error_streak));
        } else if r.errors >= RETRY_LOOP_ERRORS && r.errors.saturating_mul(RETRY_LOOP_SHARE) >= r.calls {
            causes.push(Cause::RetryLoop);
            why.push(format!("a retry loop: {} of its {} calls failed", r.errors, r.calls));
        }
        if !causes.is_empty() {
            out.push(Runaway {
                session: r.session.clone(),
                template: r.template.clone(),
                team: r.team.clone(),
                start: r.start.clone(),
                calls: r.calls,
                cost_usd: r.cost_usd,
                causes,
                reason: why.join("; "),
                p90_calls,
                p90_cost_usd: p90_cost.map(Usd::from_nanos),
                errors: r.errors,
                max_error_streak: r.max_error_streak,
            });
        }
    }
    out.sort_by(|a, b| b.cost_usd.cmp(&a.cost_usd).then(a.session.cmp(&b.session)));
    out
}

/// Runaway runs from the work rollup: calls and cost per session without reading every
/// request; only sessions with at least [`RETRY_LOOP_ERRORS`] failed calls are read call by
/// call, for their longest streak. Runs that started before `flag_from` (a `YYYY-MM-DD` day)
/// count as peers but are not flagged.
pub fn runaways_in(store: &Store, filter: &Filter, flag_from: &str) -> Result<Vec<Runaway>> {
    let totals = store.run_totals(filter)?;
    let suspects: Vec<&str> = totals
        .iter()
        .filter(|t| t.errors >= RETRY_LOOP_ERRORS)
        .map(|t| t.session.as_str())
        .collect();
    let streaks: BTreeMap<&str, i64> = suspects.iter().copied().zip(store.error_streaks(&suspects)?).collect();
    let runs: Vec<Run> = totals
        .iter()
        .map(|t| Run {
            session: t.session.clone(),
            start: t.first_day.clone(),
            end: String::new(),
            duration_s: 0,
            calls: t.calls,
            errors: t.errors,
            max_error_streak: streaks.get(t.session.as_str()).copied().unwrap_or(0),
            input_tokens: 0,
            output_tokens: 0,
            cost_usd: Usd::from_nanos(t.cost_nanos),
            unpriced_calls: 0,
            first_input_tokens: 0,
            last_input_tokens: 0,
            context_growth: None,
            team: (!t.team.is_empty()).then(|| t.team.clone()),
            template: (!t.template.is_empty()).then(|| t.template.clone()),
            model: String::new(),
            cost_nanos: t.cost_nanos,
            start_ms: 0,
        })
        .collect();
    Ok(runaways(&runs)
        .into_iter()
        .filter(|r| r.start.as_str() >= flag_from)
        .collect())
}

/// `cost runs`: the runs of the period, sorted and cut to `top`, with spreads and runaways.
pub fn compute(store: Option<&Store>, since: &str, until: &str, params: &Params) -> Result<Runs> {
    let filter = Filter {
        since: Some(since.to_string()),
        until: Some(until.to_string()),
        ..params.filter.clone()
    };
    let mut runs = match store {
        Some(s) => collect(s, &filter)?,
        None => Vec::new(),
    };
    let by_template = spreads(&runs, |r| &r.template);
    let by_team = spreads(&runs, |r| &r.team);
    let runaway = runaways(&runs);
    let total = runs.iter().fold(0i64, |a, r| a.saturating_add(r.cost_nanos));
    let key = params.sort;
    runs.sort_by(|a, b| {
        let primary = match key {
            SortKey::Cost => b.cost_nanos.cmp(&a.cost_nanos),
            SortKey::Calls => b.calls.cmp(&a.calls),
            SortKey::Duration => b.duration_s.cmp(&a.duration_s),
            SortKey::Start => a.start_ms.cmp(&b.start_ms),
            SortKey::Growth => b
                .context_growth
                .unwrap_or(0.0)
                .total_cmp(&a.context_growth.unwrap_or(0.0)),
            SortKey::Errors => b.errors.cmp(&a.errors),
        };
        primary.then_with(|| a.session.cmp(&b.session))
    });
    let total_runs = runs.len();
    if let Some(n) = params.top {
        runs.truncate(n);
    }
    Ok(Runs {
        schema: "cost.runs/v1",
        currency: "USD",
        since: since.to_string(),
        until: until.to_string(),
        total_runs,
        total_usd: Usd::from_nanos(total),
        runs,
        sort: SortKey::NAMES[key as usize],
        by_template,
        by_team,
        runaway,
        per: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<i64> = (1..=10).collect();
        assert_eq!(percentile(&v, 50), 5);
        assert_eq!(percentile(&v, 90), 9);
        assert_eq!(percentile(&v, 99), 10);
        assert_eq!(percentile(&[7], 90), 7);
        assert_eq!(percentile(&[], 90), 0);
    }

    #[test]
    fn the_p90_of_the_others_leaves_the_judged_run_out() {
        // Others of 100 in [1, 1, 1, 100]: [1, 1, 1] → p90 = 1.
        assert_eq!(p90_of_others(&[1, 1, 1, 100], 100), Some(1));
        // Others of 1: [1, 1, 100] → rank ceil(2.7) = 3 → 100.
        assert_eq!(p90_of_others(&[1, 1, 1, 100], 1), Some(100));
        // Too few peers to judge.
        assert_eq!(p90_of_others(&[1, 1, 100], 100), None);
    }
}
