//! Team budgets: spent to date, forecast to month end (run-rate with weekday seasonality),
//! soft/hard status with the days the limits were crossed, and suggestions for teams without
//! a budget. Pure: the caller passes daily spend and "today".

use crate::config::Config;
use crate::error::Result;
use crate::money::Usd;
use crate::store::Store;
use crate::store::query::{Dim, Filter};
use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;

/// Days of history the run-rate averages over.
pub const RATE_DAYS: i64 = 14;
/// Days of history the weekday factors come from (needs two full weeks to be used).
pub const SEASON_DAYS: i64 = 28;
/// A suggested budget is this share of the trailing 30 days' spend, scaled to the month.
pub const SUGGEST_FACTOR: f64 = 1.15;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The team has no budget (a suggestion may be given).
    NoBudget,
    Ok,
    ForecastSoft,
    ForecastHard,
    /// Some of the month's usage has no price: the spend shown is a lower bound, so the team
    /// cannot be said to be within budget (over-limit statuses still win: they are certain).
    Incomplete,
    Soft,
    Hard,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NoBudget => "no-budget",
            Status::Ok => "ok",
            Status::ForecastSoft => "forecast-soft",
            Status::ForecastHard => "forecast-hard",
            Status::Incomplete => "incomplete",
            Status::Soft => "soft",
            Status::Hard => "hard",
        }
    }
}

/// A team's limits from cost.toml.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    pub monthly_budget: Option<Usd>,
    pub soft_pct: f64,
    pub hard_pct: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamBudget {
    pub team: Option<String>,
    pub budget_usd: Option<Usd>,
    /// The priced spend; `None` (JSON null) when every request of the month is unpriced.
    pub spent_usd: Option<Usd>,
    pub pct: Option<f64>,
    /// `None` when nothing this month could be priced (a forecast of an unknown is unknown).
    pub forecast_usd: Option<Usd>,
    pub forecast_pct: Option<f64>,
    pub soft_pct: Option<f64>,
    pub hard_pct: Option<f64>,
    pub status: Status,
    pub soft_crossed_on: Option<String>,
    pub hard_crossed_on: Option<String>,
    /// For a team without a budget: 115% of its trailing 30 days' spend, scaled to the month.
    pub suggested_budget_usd: Option<Usd>,
    /// How the forecast was made (shown with -v).
    pub method: String,
    pub unpriced_requests: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Budget {
    pub schema: &'static str,
    pub month: String,
    pub as_of: String,
    pub teams: Vec<TeamBudget>,
    /// No store exists yet (not serialised: the JSON shape is unchanged).
    #[serde(skip)]
    pub empty_store: bool,
}

/// Daily spend of one team (cost in nano-USD per day) over the month and the history before.
#[derive(Debug, Clone, Default)]
pub struct Daily {
    pub cost: BTreeMap<Date, i64>,
    /// Requests of the month, and how many of them have no price.
    pub requests: i64,
    pub unpriced: i64,
}

fn nanos_of(v: Usd) -> f64 {
    v.atto() as f64 / 1e9
}

/// Expected spend for each remaining day of the month, and how it was worked out.
pub fn forecast_rest(daily: &Daily, as_of: Date, month_end: Date) -> (f64, String) {
    if as_of >= month_end {
        return (0.0, "last day of the month: forecast = spent".into());
    }
    let first = daily.cost.keys().next().copied();
    let Some(first) = first.filter(|f| *f <= as_of) else {
        return (0.0, "no spend yet: forecast = spent".into());
    };
    let day = |d: Date| *daily.cost.get(&d).unwrap_or(&0) as f64;
    // Run-rate: the mean of the last RATE_DAYS days (fewer if the team is newer).
    let mut rate_days = 0;
    let mut rate_sum = 0.0;
    let mut d = as_of;
    while rate_days < RATE_DAYS && d >= first {
        rate_sum += day(d);
        rate_days += 1;
        d = match d.yesterday() {
            Ok(y) => y,
            Err(_) => break,
        };
    }
    let rate = rate_sum / rate_days.max(1) as f64;
    // Weekday factors from the last SEASON_DAYS days, when there are that many.
    let season_start = as_of.checked_sub((SEASON_DAYS - 1).days()).unwrap_or(as_of);
    let seasonal = season_start >= first;
    let wd = |d: Date| d.weekday().to_monday_zero_offset() as usize;
    let mut factor = [1.0f64; 7];
    if seasonal {
        let mut by_day = [(0.0f64, 0u32); 7];
        let mut total = 0.0;
        let mut d = season_start;
        while d <= as_of {
            let e = &mut by_day[wd(d)];
            e.0 += day(d);
            e.1 += 1;
            total += day(d);
            d = match d.tomorrow() {
                Ok(t) => t,
                Err(_) => break,
            };
        }
        let mean = total / SEASON_DAYS as f64;
        for (w, (sum, n)) in by_day.iter().enumerate() {
            if mean > 0.0 && *n > 0 {
                factor[w] = sum / *n as f64 / mean;
            }
        }
    }
    let mut rest = 0.0;
    let mut d = as_of.tomorrow().unwrap_or(month_end);
    while d <= month_end {
        rest += rate * factor[wd(d)];
        d = match d.tomorrow() {
            Ok(t) => t,
            Err(_) => break,
        };
    }
    let method = format!(
        "run-rate ${:.2}/day (mean of the last {rate_days} days){}",
        rate / 1e9,
        if seasonal {
            format!(" × weekday factors from the last {SEASON_DAYS} days")
        } else {
            " (no weekday factors: under 4 weeks of history)".to_string()
        }
    );
    (rest, method)
}

/// Budgets for `month` as of `as_of` (the month's last day when it is over).
pub fn build(
    month_start: Date,
    as_of: Date,
    days_per_month: f64,
    teams: &BTreeMap<Option<String>, (Option<Limits>, Daily)>,
) -> Budget {
    let month_end = month_start.last_of_month();
    let as_of = as_of.min(month_end);
    let mut out = Vec::new();
    for (team, (limits, daily)) in teams {
        let in_month: Vec<(Date, i64)> = if as_of < month_start {
            Vec::new()
        } else {
            daily.cost.range(month_start..=as_of).map(|(d, c)| (*d, *c)).collect()
        };
        let spent: i64 = in_month.iter().map(|(_, c)| c).sum();
        if spent == 0 && daily.unpriced == 0 && limits.as_ref().is_none_or(|l| l.monthly_budget.is_none()) {
            continue;
        }
        // Every request of the month unpriced: the spend is unknown, not $0.
        let known = !(spent == 0 && daily.unpriced > 0 && daily.unpriced >= daily.requests);
        let (rest, method) = if as_of < month_start {
            (0.0, "the month has not started".to_string())
        } else {
            forecast_rest(daily, as_of, month_end)
        };
        let forecast = spent as f64 + rest;
        let soft_pct = limits.as_ref().map_or(80.0, |l| l.soft_pct);
        let hard_pct = limits.as_ref().map_or(100.0, |l| l.hard_pct);
        let budget = limits.as_ref().and_then(|l| l.monthly_budget);
        let pct_of = |v: f64| budget.filter(|b| !b.is_zero()).map(|b| 100.0 * v / nanos_of(b));
        let pct = pct_of(spent as f64).filter(|_| known);
        let forecast_pct = pct_of(forecast).filter(|_| known);
        let crossed = |level: f64| -> Option<String> {
            let b = nanos_of(budget?);
            let mut cum = 0i64;
            in_month.iter().find_map(|(d, c)| {
                cum += c;
                (cum as f64 >= b * level / 100.0).then(|| d.to_string())
            })
        };
        let status = match (pct, forecast_pct) {
            _ if budget.is_none() => Status::NoBudget,
            (Some(p), _) if p >= hard_pct => Status::Hard,
            (Some(p), _) if p >= soft_pct => Status::Soft,
            _ if daily.unpriced > 0 => Status::Incomplete,
            (_, Some(f)) if f >= hard_pct => Status::ForecastHard,
            (_, Some(f)) if f >= soft_pct => Status::ForecastSoft,
            _ => Status::Ok,
        };
        let suggested = (budget.is_none() && team.is_some() && as_of >= month_start).then(|| {
            // The last 30 days, or as many as the team has history for, scaled to a month and
            // rounded up to whole dollars.
            let first = daily.cost.keys().next().copied().unwrap_or(as_of);
            let start = as_of.checked_sub(29.days()).unwrap_or(as_of).max(first);
            let days = ((as_of - start).get_days() as f64 + 1.0).max(1.0);
            let spend: i64 = daily.cost.range(start..=as_of).map(|(_, c)| c).sum();
            let v = spend as f64 * days_per_month / days * SUGGEST_FACTOR;
            Usd::from_nanos_f64((v / 1e9).ceil() * 1e9)
        });
        out.push(TeamBudget {
            team: team.clone(),
            budget_usd: budget,
            spent_usd: known.then(|| Usd::from_nanos_f64(spent as f64)),
            pct,
            forecast_usd: known.then(|| Usd::from_nanos_f64(forecast)),
            forecast_pct,
            soft_pct: budget.map(|_| soft_pct),
            hard_pct: budget.map(|_| hard_pct),
            status,
            soft_crossed_on: crossed(soft_pct),
            hard_crossed_on: crossed(hard_pct),
            suggested_budget_usd: suggested,
            method,
            unpriced_requests: daily.unpriced,
        });
    }
    out.sort_by(|a, b| {
        b.status
            .cmp(&a.status)
            .then(b.pct.unwrap_or(-1.0).total_cmp(&a.pct.unwrap_or(-1.0)))
            .then(b.spent_usd.cmp(&a.spent_usd))
    });
    Budget {
        schema: "cost.budget/v1",
        month: format!("{:04}-{:02}", month_start.year(), month_start.month()),
        as_of: format!("{as_of}T23:59:59Z"),
        teams: out,
        empty_store: false,
    }
}

/// What [`compute`] looks at: a month and the day it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    /// The first day of the month.
    pub month: Date,
    /// Today: the month is read up to it (a month that has not started reads as empty).
    pub today: Date,
}

/// Each team's month against its budget: `[teams]` of the configuration and the spend the
/// store holds (`None`: no store, read as empty), with 60 days of history for the forecast.
pub fn compute(store: Option<&Store>, config: &Config, params: &Params) -> Result<Budget> {
    let month_start = params.month;
    let as_of = params.today.min(month_start.last_of_month());
    let history_start = month_start.checked_sub(60.days()).unwrap_or(month_start);
    let mut teams: BTreeMap<Option<String>, (Option<Limits>, Daily)> = BTreeMap::new();
    for (name, t) in &config.teams {
        teams.insert(
            Some(name.clone()),
            (
                Some(Limits {
                    monthly_budget: t.monthly_budget_usd.and_then(Usd::from_f64),
                    soft_pct: t.soft_pct.unwrap_or(80.0),
                    hard_pct: t.hard_pct.unwrap_or(100.0),
                }),
                Daily::default(),
            ),
        );
    }
    if let Some(store) = store {
        let filter = Filter {
            since: Some(history_start.to_string()),
            until: Some(as_of.to_string()),
            ..Filter::default()
        };
        for (key, sums) in store.sums(&[Dim::Team, Dim::Day], &filter)? {
            let team = key.get(Dim::Team).filter(|t| !t.is_empty()).map(str::to_string);
            let Some(day) = key.day() else {
                continue;
            };
            let entry = teams.entry(team).or_insert((None, Daily::default()));
            *entry.1.cost.entry(day).or_insert(0) += sums.cost_nanos;
            if day >= month_start {
                entry.1.requests += sums.requests;
                entry.1.unpriced += sums.unpriced_requests;
            }
        }
    }
    let mut report = build(month_start, as_of, config.days_per_month.to_f64(), &teams);
    report.empty_store = store.is_none();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{Weekday, date};

    fn daily(days: &[(Date, f64)]) -> Daily {
        Daily {
            cost: days.iter().map(|(d, usd)| (*d, (usd * 1e9) as i64)).collect(),
            requests: 0,
            unpriced: 0,
        }
    }

    #[test]
    fn flat_spend_forecasts_the_run_rate() {
        // $10/day from 2026-10-01 to 10-20: spent $200; 11 days left at $10 → forecast $310.
        let days: Vec<(Date, f64)> = (1..=20).map(|d| (date(2026, 10, d), 10.0)).collect();
        let (rest, method) = forecast_rest(&daily(&days), date(2026, 10, 20), date(2026, 10, 31));
        assert!((rest - 110.0e9).abs() < 1.0, "{rest}");
        assert!(method.contains("no weekday factors"), "{method}");
    }

    #[test]
    fn weekday_factors_shape_the_forecast() {
        // Four weeks: weekdays $10, weekends $0 (28 days from Mon 2026-09-07 to Sun 10-04).
        // Run-rate = mean of the last 14 days = 10 weekdays × $10 / 14 = $7.142857.
        // Factors: weekday mean 10 / overall mean (200/28) = 1.4; weekend 0.
        // Forecast for Mon 10-05..Sat 10-10: 5 weekdays × 7.142857 × 1.4 = $50 exactly.
        let mut days = Vec::new();
        let mut d = date(2026, 9, 7);
        while d <= date(2026, 10, 4) {
            let weekend = matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday);
            days.push((d, if weekend { 0.0 } else { 10.0 }));
            d = d.tomorrow().unwrap();
        }
        let (rest, _) = forecast_rest(&daily(&days), date(2026, 10, 4), date(2026, 10, 10));
        assert!((rest - 50.0e9).abs() < 10.0, "{rest}");
    }
}
