//! `cost diff`'s pure core: given a template priced on the old and the new side, the per-model
//! deltas and a verdict from the configured thresholds (DESIGN §3, §6, §10).

pub mod git;
pub mod pair;

use crate::config::Thresholds;
use crate::estimate::EstimateRow;
use crate::money::{Micro, Usd, group_thousands};
use crate::template::Section;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Added,
    Removed,
    Modified,
    Renamed,
    Unchanged,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Added => "added",
            Status::Removed => "removed",
            Status::Modified => "modified",
            Status::Renamed => "renamed",
            Status::Unchanged => "unchanged",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Ok,
    Warn,
    Fail,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Warn => "warn",
            Verdict::Fail => "fail",
        }
    }
}

/// One side's figures for one model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SideCost {
    pub file: String,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cacheable_prefix_tokens: u64,
    pub cost_per_call_usd: Usd,
    pub cost_per_month_usd: Usd,
    pub model: String,
    /// Whether the token counts are exact (OpenAI tokenizers) or calibrated estimates.
    pub exact: bool,
    pub calls_per_day: u64,
    /// Calls per run, runs per day and what a run costs (`turns` 1: one call).
    pub turns: u64,
    pub runs_per_day: u64,
    pub cost_per_run_usd: Usd,
    #[serde(skip)]
    pub sections: Vec<(Section, u64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delta {
    pub input_tokens: i64,
    pub cost_per_call_usd: Usd,
    /// The whole run: with `turns` N and a change to every call (a tool schema), N × the
    /// change per call.
    pub cost_per_run_usd: Usd,
    pub cost_per_day_usd: Usd,
    pub cost_per_month_usd: Usd,
    /// 100 × Δ monthly ÷ old monthly; `null` when old is 0.
    pub pct: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionDelta {
    pub role: Section,
    pub delta_tokens: i64,
}

/// One template on one model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiffRow {
    pub template: String,
    pub status: Status,
    pub model: String,
    /// The model the verdict is taken from (the rule's primary model, or `--model`).
    pub primary: bool,
    pub calls_per_day: u64,
    /// Calls per run and runs per day (the monthly figures are per run × runs/day × days).
    pub turns: u64,
    pub runs_per_day: u64,
    pub old: Option<SideCost>,
    pub new: Option<SideCost>,
    pub delta: Delta,
    /// `null` on rows of non-primary models, which never gate.
    pub verdict: Option<Verdict>,
    pub reasons: Vec<String>,
    pub sections: Vec<SectionDelta>,
    /// What changed besides tokens: model, calls per day, output length, prices.
    pub drivers: Vec<String>,
    /// The template's team (from its rule), for reports.
    pub team: Option<String>,
    /// The cost.toml governing the template (repository-relative), when a monorepo has several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
}

/// A template that could not be compared (it failed to load or price on one side).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiffError {
    pub template: String,
    pub file: String,
    pub error: String,
    /// The cost.toml governing the template, when a monorepo has several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Totals {
    pub old_cost_per_month_usd: Usd,
    pub new_cost_per_month_usd: Usd,
    pub delta_cost_per_month_usd: Usd,
}

/// The result of `cost diff`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    pub schema: &'static str,
    pub currency: String,
    pub base: String,
    pub head: String,
    pub verdict: Verdict,
    pub templates: Vec<DiffRow>,
    pub totals: Totals,
    pub errors: Vec<DiffError>,
    /// Templates compared and found unchanged.
    pub unchanged: usize,
    /// Files matching the template globs that were not templates (binary, not UTF-8).
    pub skipped: Vec<String>,
    pub prices_as_of: String,
    /// `--fail-on warn` was given.
    #[serde(skip)]
    pub fail_on_warn: bool,
}

/// A template priced on one side of the diff.
#[derive(Debug, Clone)]
pub struct PricedSide {
    pub file: String,
    /// Rows per model, in the configured order.
    pub rows: Vec<EstimateRow>,
    pub team: Option<String>,
    pub thresholds: Thresholds,
    pub min_delta_usd_month: Usd,
    pub days_per_month: Micro,
}

fn side_cost(row: &EstimateRow) -> SideCost {
    SideCost {
        file: row.file.clone(),
        input_tokens: row.input_tokens,
        output_tokens: row.output_tokens,
        cacheable_prefix_tokens: row.cacheable_prefix_tokens,
        cost_per_call_usd: row.cost_per_call_usd,
        cost_per_month_usd: row.cost_per_month_usd,
        model: row.model.clone(),
        exact: row.exact,
        calls_per_day: row.calls_per_day,
        turns: row.turns,
        runs_per_day: row.runs_per_day,
        cost_per_run_usd: row.cost_per_run_usd,
        sections: row.sections.iter().map(|s| (s.role, s.tokens)).collect(),
    }
}

fn usd_signed(v: Usd) -> String {
    let s = v.abs().format_fixed(2);
    if v < Usd::ZERO {
        format!("-${s}")
    } else {
        format!("+${s}")
    }
}

fn tokens_signed(n: i64) -> String {
    let s = group_thousands(&n.unsigned_abs().to_string());
    if n < 0 { format!("-{s}") } else { format!("+{s}") }
}

/// Formats a threshold the way it was written (`10`, `2.5`).
fn num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

/// Compares one template's two sides, one row per model (the new side's models; a removed
/// template keeps the old side's).
pub fn compare(template: &str, status: Status, old: Option<&PricedSide>, new: Option<&PricedSide>) -> Vec<DiffRow> {
    let Some(governing) = new.or(old) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for row in &governing.rows {
        let primary = row.primary;
        // The primary row compares what runs in production on each side, even when the
        // production model changed; other rows compare the same model.
        let old_row = old.and_then(|side| find_row(side, row, primary));
        let new_row = new.and_then(|side| find_row(side, row, primary));
        let old_cost = old_row.map(side_cost);
        let new_cost = new_row.map(side_cost);
        let zero = Usd::ZERO;
        let (o_call, n_call) = (
            old_cost.as_ref().map_or(zero, |c| c.cost_per_call_usd),
            new_cost.as_ref().map_or(zero, |c| c.cost_per_call_usd),
        );
        let (o_month, n_month) = (
            old_cost.as_ref().map_or(zero, |c| c.cost_per_month_usd),
            new_cost.as_ref().map_or(zero, |c| c.cost_per_month_usd),
        );
        let (o_run, n_run) = (
            old_cost.as_ref().map_or(zero, |c| c.cost_per_run_usd),
            new_cost.as_ref().map_or(zero, |c| c.cost_per_run_usd),
        );
        let calls_per_day = new_row.or(old_row).map_or(0, |r| r.calls_per_day);
        let (turns, runs_per_day) = new_row.or(old_row).map_or((1, 0), |r| (r.turns, r.runs_per_day));
        let d_month = n_month - o_month;
        let d_call = n_call - o_call;
        let d_day = match (old_row, new_row) {
            (Some(o), Some(n)) => n.cost_per_day_usd - o.cost_per_day_usd,
            (None, Some(n)) => n.cost_per_day_usd,
            (Some(o), None) => -o.cost_per_day_usd,
            (None, None) => zero,
        };
        // Δ% to two decimals: the exact ratio in basis points, rounded half-even.
        let pct = (!o_month.is_zero()).then(|| d_month.ratio(10_000, o_month.atto()).atto() as f64 / 100.0);
        let d_tokens = new_cost.as_ref().map_or(0, |c| c.input_tokens as i64)
            - old_cost.as_ref().map_or(0, |c| c.input_tokens as i64);
        let sections = section_deltas(old_cost.as_ref(), new_cost.as_ref());
        let drivers = drivers(old_row, new_row, d_tokens);
        let delta = Delta {
            input_tokens: d_tokens,
            cost_per_call_usd: d_call,
            cost_per_run_usd: n_run - o_run,
            cost_per_day_usd: d_day,
            cost_per_month_usd: d_month,
            pct,
        };
        let (verdict, reasons) = judge(status, &delta, n_month, governing, old_row, new_row);
        let verdict = primary.then_some(verdict);
        out.push(DiffRow {
            template: template.to_string(),
            status,
            model: row.model.clone(),
            primary,
            calls_per_day,
            turns,
            runs_per_day,
            old: old_cost,
            new: new_cost,
            delta,
            verdict,
            reasons,
            sections,
            drivers,
            team: governing.team.clone(),
            config: None,
        });
    }
    out
}

/// The row on `side` to compare with `row`: the production model's for the primary row (even
/// when the production model changed), else the same model's.
fn find_row<'a>(side: &'a PricedSide, row: &EstimateRow, primary: bool) -> Option<&'a EstimateRow> {
    if primary {
        side.rows.iter().find(|r| r.primary)
    } else {
        side.rows.iter().find(|r| r.model_priced == row.model_priced)
    }
}

/// Why the cost moved other than by tokens.
fn drivers(old: Option<&EstimateRow>, new: Option<&EstimateRow>, d_tokens: i64) -> Vec<String> {
    let (Some(o), Some(n)) = (old, new) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if o.model_priced != n.model_priced {
        out.push(format!("model {} → {}", o.model, n.model));
    }
    if o.calls_per_day != n.calls_per_day {
        out.push(format!(
            "calls/day {} → {}",
            group_thousands(&o.calls_per_day.to_string()),
            group_thousands(&n.calls_per_day.to_string())
        ));
    }
    if o.turns != n.turns {
        out.push(format!("turns {} → {}", o.turns, n.turns));
    }
    if o.runs_per_day != n.runs_per_day && (o.turns > 1 || n.turns > 1) {
        out.push(format!(
            "runs/day {} → {}",
            group_thousands(&o.runs_per_day.to_string()),
            group_thousands(&n.runs_per_day.to_string())
        ));
    }
    if (o.turns > 1 || n.turns > 1) && o.turn_input_tokens != n.turn_input_tokens {
        out.push(format!(
            "turn input tokens {} → {}",
            o.turn_input_tokens, n.turn_input_tokens
        ));
    }
    if (o.turns > 1 || n.turns > 1) && o.tool_result_tokens != n.tool_result_tokens {
        out.push(format!(
            "tool result tokens {} → {}",
            o.tool_result_tokens, n.tool_result_tokens
        ));
    }
    if o.output_tokens != n.output_tokens {
        out.push(format!("output tokens {} → {}", o.output_tokens, n.output_tokens));
    }
    if o.tier != n.tier {
        out.push(format!("tier {} → {}", o.tier, n.tier));
    }
    if o.cache_hit_rate != n.cache_hit_rate {
        out.push(format!("cache_hit_rate {} → {}", o.cache_hit_rate, n.cache_hit_rate));
    }
    if o.rates != n.rates && o.model_priced == n.model_priced {
        out.push(format!(
            "{} price changed: input ${}/M → ${}/M, output ${}/M → ${}/M",
            n.model,
            crate::money::per_million(o.rates.input),
            crate::money::per_million(n.rates.input),
            crate::money::per_million(o.rates.output),
            crate::money::per_million(n.rates.output)
        ));
    }
    if out.is_empty() && d_tokens == 0 && o.cost_per_call_usd != n.cost_per_call_usd {
        out.push("cacheable prefix or days per month changed".into());
    }
    out
}

fn section_deltas(old: Option<&SideCost>, new: Option<&SideCost>) -> Vec<SectionDelta> {
    let mut by: BTreeMap<Section, i64> = BTreeMap::new();
    for (s, n) in old.map(|c| c.sections.as_slice()).unwrap_or(&[]) {
        *by.entry(*s).or_default() -= *n as i64;
    }
    for (s, n) in new.map(|c| c.sections.as_slice()).unwrap_or(&[]) {
        *by.entry(*s).or_default() += *n as i64;
    }
    by.into_iter()
        .filter(|(_, d)| *d != 0)
        .map(|(role, delta_tokens)| SectionDelta { role, delta_tokens })
        .collect()
}

/// The verdict for one row and the reasons behind a warn or fail (DESIGN §3, §10):
/// - removed: always ok; a pure rename: ok;
/// - added: judged on its absolute monthly cost against the `*_delta_usd_month` limits;
/// - modified: Δ% against `*_delta_pct`, Δ$/month against `*_delta_usd_month`, Δ input tokens
///   against `fail_delta_tokens`; below the noise floor (`min_delta_usd_month`, default $1)
///   nothing warns or fails on money;
/// - a smaller cacheable prefix with caching on warns with its monthly cost, even when the
///   token count is unchanged.
fn judge(
    status: Status,
    delta: &Delta,
    new_month: Usd,
    side: &PricedSide,
    old_row: Option<&EstimateRow>,
    new_row: Option<&EstimateRow>,
) -> (Verdict, Vec<String>) {
    let th = &side.thresholds;
    let floor = th
        .min_delta_usd_month
        .and_then(Usd::from_f64)
        .unwrap_or(side.min_delta_usd_month);
    let mut fails = Vec::new();
    let mut warns = Vec::new();
    let over = |v: Usd, limit: Option<f64>| limit.and_then(Usd::from_f64).filter(|l| v > *l);
    match status {
        Status::Removed | Status::Unchanged => {}
        Status::Added => {
            if let Some(l) = over(new_month, th.fail_delta_usd_month) {
                fails.push(format!(
                    "new template: ${}/month > fail_delta_usd_month {}",
                    new_month.format_fixed(2),
                    num(l.to_f64())
                ));
            } else if let Some(l) = over(new_month, th.warn_delta_usd_month) {
                warns.push(format!(
                    "new template: ${}/month > warn_delta_usd_month {}",
                    new_month.format_fixed(2),
                    num(l.to_f64())
                ));
            }
        }
        Status::Modified | Status::Renamed => {
            let d = delta.cost_per_month_usd;
            if d.abs() >= floor {
                if let (Some(pct), Some(limit)) = (delta.pct, th.fail_delta_pct) {
                    if pct > limit {
                        fails.push(format!("+{pct:.2}% > fail_delta_pct {}", num(limit)));
                    }
                }
                if let Some(l) = over(d, th.fail_delta_usd_month) {
                    fails.push(format!(
                        "{}/month > fail_delta_usd_month {}",
                        usd_signed(d),
                        num(l.to_f64())
                    ));
                }
                if fails.is_empty() {
                    if let (Some(pct), Some(limit)) = (delta.pct, th.warn_delta_pct) {
                        if pct > limit {
                            warns.push(format!("+{pct:.2}% > warn_delta_pct {}", num(limit)));
                        }
                    }
                    if let Some(l) = over(d, th.warn_delta_usd_month) {
                        warns.push(format!(
                            "{}/month > warn_delta_usd_month {}",
                            usd_signed(d),
                            num(l.to_f64())
                        ));
                    }
                }
            }
            if let Some(limit) = th.fail_delta_tokens {
                if delta.input_tokens > limit as i64 {
                    fails.push(format!(
                        "{} input tokens > fail_delta_tokens {limit}",
                        tokens_signed(delta.input_tokens)
                    ));
                }
            }
            if let (Some(o), Some(n)) = (old_row, new_row) {
                if let Some(reason) = prefix_loss(o, n, side.days_per_month, floor) {
                    warns.push(reason);
                }
            }
        }
    }
    let verdict = if !fails.is_empty() {
        Verdict::Fail
    } else if !warns.is_empty() {
        Verdict::Warn
    } else {
        Verdict::Ok
    };
    fails.extend(warns);
    (verdict, fails)
}

/// When caching is on and the cacheable prefix shrank, what the lost cache reads cost a month:
/// the L tokens that left the prefix are now plain input instead of R·L reads and (1−R)·L
/// writes (or plain input where writes carry no premium). Only a run's first call caches the
/// static prefix (later calls read the previous call's input), so this is per run.
fn prefix_loss(old: &EstimateRow, new: &EstimateRow, days_per_month: Micro, floor: Usd) -> Option<String> {
    let rate = new.cache_hit_rate;
    if rate == Micro::ZERO || new.cacheable_prefix_tokens >= old.cacheable_prefix_tokens {
        return None;
    }
    let lost = Micro::from_int((old.cacheable_prefix_tokens - new.cacheable_prefix_tokens) as i128);
    let read = lost.times(rate);
    let written = lost - read;
    let r = &new.rates;
    let write_price = if new.bills_cache_writes {
        r.cache_write_5m
    } else {
        r.input
    };
    let before = r.cache_read.times_micro(read) + write_price.times_micro(written);
    let after = r.input.times_micro(lost);
    let per_month = (after - before)
        .times(new.runs_per_day as i128)
        .times_micro(days_per_month);
    if per_month <= Usd::ZERO || per_month < floor {
        return None;
    }
    Some(format!(
        "cacheable prefix {} → {} tokens at cache_hit_rate {}: {}/month in lost cache reads",
        group_thousands(&old.cacheable_prefix_tokens.to_string()),
        group_thousands(&new.cacheable_prefix_tokens.to_string()),
        rate,
        usd_signed(per_month)
    ))
}

/// Adds up primary rows and sets the overall verdict.
pub fn finish(mut diff: Diff) -> Diff {
    let primary: Vec<&DiffRow> = diff.templates.iter().filter(|r| r.primary).collect();
    let sum = |f: &dyn Fn(&DiffRow) -> Usd| primary.iter().map(|r| f(r)).sum::<Usd>();
    let old = sum(&|r| r.old.as_ref().map_or(Usd::ZERO, |c| c.cost_per_month_usd));
    let new = sum(&|r| r.new.as_ref().map_or(Usd::ZERO, |c| c.cost_per_month_usd));
    diff.totals = Totals {
        old_cost_per_month_usd: old,
        new_cost_per_month_usd: new,
        delta_cost_per_month_usd: new - old,
    };
    diff.verdict = primary.iter().filter_map(|r| r.verdict).max().unwrap_or(Verdict::Ok);
    diff
}

impl Diff {
    /// Exit code per DESIGN §2: 1 on a fail (or a warn with `--fail-on warn`), 2 when a
    /// template could not be compared, else 0.
    pub fn exit_code(&self) -> u8 {
        if !self.errors.is_empty() {
            2
        } else if self.verdict == Verdict::Fail || (self.fail_on_warn && self.verdict == Verdict::Warn) {
            1
        } else {
            0
        }
    }
}
