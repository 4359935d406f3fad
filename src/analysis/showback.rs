//! Showback of provisioned capacity (`[[commitments]]`): what was committed for the period,
//! what the usage on it would have cost at list price, utilisation, idle cost, and each team's
//! share of the used part. Idle cost is shown apart, never spread over the teams.

use crate::config::Config;
use crate::error::Result;
use crate::money::Usd;
use crate::pricing::{PriceTable, same_model};
use crate::store::Store;
use crate::store::query::{Dim, Filter};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct TeamShare {
    pub team: Option<String>,
    pub consumed_list_usd: Usd,
    pub share_pct: f64,
    /// The team's part of the commitment's used cost (committed − idle), by consumption.
    pub allocated_usd: Usd,
}

#[derive(Debug, Clone, Serialize)]
pub struct CommitmentUse {
    pub name: String,
    pub model: String,
    /// The commitment for the period (the monthly amount, pro-rated to the days covered).
    pub committed_usd: Usd,
    pub consumed_list_usd: Usd,
    pub utilization_pct: f64,
    pub idle_usd: Usd,
    /// Utilisation at which the commitment costs what pay-as-you-go would (list price).
    pub break_even_pct: f64,
    /// consumed at list − committed: positive when the commitment paid off.
    pub saving_vs_paygo_usd: Usd,
    pub requests: i64,
    pub unpriced_requests: i64,
    /// Usage at list price beyond the commitment (billed on demand, not covered).
    pub overage_usd: Usd,
    /// The teams the commitment is for (empty: all).
    pub teams_listed: Vec<String>,
    pub teams: Vec<TeamShare>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Showback {
    pub schema: &'static str,
    pub since: String,
    pub until: String,
    pub commitments: Vec<CommitmentUse>,
}

/// Usage on one commitment's model, per team: (list cost in nano-USD, requests, unpriced).
pub type TeamUsage = BTreeMap<Option<String>, (i64, i64, i64)>;

/// One commitment: `monthly` pro-rated by `covered_days / month_days`.
pub fn commitment(
    name: &str,
    model: &str,
    monthly: Usd,
    covered_days: i64,
    month_days: i64,
    usage: &TeamUsage,
) -> CommitmentUse {
    let committed = monthly.ratio(covered_days as i128, month_days.max(1) as i128);
    let consumed: i64 = usage.values().map(|u| u.0).sum();
    let consumed_usd = Usd::from_nanos_wide(consumed as i128);
    let idle = if consumed_usd < committed {
        committed - consumed_usd
    } else {
        Usd::ZERO
    };
    let used = committed - idle;
    let pct = |part: Usd, whole: Usd| {
        if whole.is_zero() {
            0.0
        } else {
            100.0 * part.to_f64() / whole.to_f64()
        }
    };
    let mut teams: Vec<TeamShare> = usage
        .iter()
        .filter(|(_, u)| u.0 > 0)
        .map(|(team, u)| TeamShare {
            team: team.clone(),
            consumed_list_usd: Usd::from_nanos(u.0),
            share_pct: if consumed == 0 {
                0.0
            } else {
                100.0 * u.0 as f64 / consumed as f64
            },
            allocated_usd: used.ratio(u.0 as i128, consumed.max(1) as i128),
        })
        .collect();
    teams.sort_by_key(|t| std::cmp::Reverse(t.consumed_list_usd));
    CommitmentUse {
        name: name.to_string(),
        model: model.to_string(),
        committed_usd: committed,
        consumed_list_usd: consumed_usd,
        utilization_pct: pct(consumed_usd, committed),
        idle_usd: idle,
        break_even_pct: 100.0,
        saving_vs_paygo_usd: consumed_usd - committed,
        overage_usd: if consumed_usd > committed {
            consumed_usd - committed
        } else {
            Usd::ZERO
        },
        teams_listed: Vec::new(),
        requests: usage.values().map(|u| u.1).sum(),
        unpriced_requests: usage.values().map(|u| u.2).sum(),
        teams,
    }
}

/// What [`compute`] looks at: a month and the day it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    /// The first day of the month.
    pub month: Date,
    /// Today: the month is covered up to it, and committed amounts pro-rated to it.
    pub today: Date,
}

/// Use of each `[[commitments]]` entry over the month: the stored usage on its model (logged
/// names that resolve to the same price), limited to its teams when it lists any.
pub fn compute(store: Option<&Store>, config: &Config, prices: &PriceTable, params: &Params) -> Result<Showback> {
    let (today, month_start) = (params.today, params.month);
    let month_end = month_start.last_of_month();
    // A month that has not started covers no days (and reports an empty period).
    let until = today.min(month_end).max(month_start);
    let covered = if today < month_start {
        0
    } else {
        (until.day() as i64).min(month_end.day() as i64)
    };
    let month_days = month_end.day() as i64;
    let rows = match store {
        Some(s) => s.sums(
            &[Dim::Team, Dim::Model],
            &Filter {
                since: Some(month_start.to_string()),
                until: Some(until.to_string()),
                ..Filter::default()
            },
        )?,
        None => Vec::new(),
    };
    let mut out = Vec::new();
    for c in &config.commitments {
        let key = prices.resolve(&c.model);
        let mut usage = TeamUsage::new();
        for (k, sums) in &rows {
            let (team, model) = (k.value(Dim::Team), k.value(Dim::Model));
            let same = same_model(prices, &c.model, key.as_deref(), model);
            let team_ok = c.teams.is_empty() || c.teams.iter().any(|t| t == team);
            if same && team_ok {
                let e = usage
                    .entry(Some(team.to_string()).filter(|t| !t.is_empty()))
                    .or_insert((0, 0, 0));
                e.0 += sums.cost_nanos;
                e.1 += sums.requests;
                e.2 += sums.unpriced_requests;
            }
        }
        let monthly = Usd::from_f64(c.monthly_usd).unwrap_or(Usd::ZERO);
        let mut used = commitment(&c.name, &c.model, monthly, covered, month_days, &usage);
        used.teams_listed = c.teams.clone();
        out.push(used);
    }
    Ok(Showback {
        schema: "cost.showback/v1",
        since: month_start.to_string(),
        until: until.to_string(),
        commitments: out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_eighths_used() {
        // $50,000 committed for a whole month; $31,250 of usage at list: 62.5% used, $18,750 idle.
        // support used $18,750 of it (60%), search $12,500 (40%); the idle part is not spread.
        let mut usage = TeamUsage::new();
        usage.insert(Some("support".into()), (18_750_000_000_000, 100, 0));
        usage.insert(Some("search".into()), (12_500_000_000_000, 50, 0));
        let c = commitment(
            "gpt4o-eastus",
            "gpt-4o",
            Usd::from_atto(50_000 * 10i128.pow(18)),
            31,
            31,
            &usage,
        );
        assert_eq!(c.utilization_pct, 62.5);
        assert_eq!(c.idle_usd.to_decimal_string(), "18750");
        assert_eq!(c.teams[0].share_pct, 60.0);
        assert_eq!(c.teams[0].allocated_usd.to_decimal_string(), "18750");
        assert_eq!(c.teams[1].allocated_usd.to_decimal_string(), "12500");
        assert_eq!(c.saving_vs_paygo_usd.to_decimal_string(), "-18750");
    }

    #[test]
    fn unused_commitment_is_all_idle() {
        let c = commitment(
            "idle",
            "gpt-4o",
            Usd::from_atto(3_000 * 10i128.pow(18)),
            10,
            30,
            &TeamUsage::new(),
        );
        assert_eq!(c.committed_usd.to_decimal_string(), "1000");
        assert_eq!(c.utilization_pct, 0.0);
        assert_eq!(c.idle_usd.to_decimal_string(), "1000");
        assert!(c.teams.is_empty());
    }
}
