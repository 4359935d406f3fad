//! `cost watch`'s events (DESIGN §15): a team passing its soft or hard budget limit, its
//! forecast passing the hard limit, a new anomaly, a new runaway run, and a heartbeat with
//! today's spend and burn rate. Pure: [`snapshot`] reads the store through the same analyses
//! `cost budget`, `cost anomalies` and `cost runs` print, and a [`Watcher`] turns successive
//! snapshots into events, each once.

use super::anomalies::{self, Anomaly, Kind};
use super::budget::{self, Budget};
use super::runs::{self, Runaway};
use crate::config::Config;
use crate::error::Result;
use crate::money::Usd;
use crate::period::Period;
use crate::store::Store;
use crate::store::query::Filter;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

pub const SCHEMA: &str = "cost.watch/v1";

/// What the analyses say at one moment.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub budget: Budget,
    /// As `cost anomalies` finds them over the last 30 days.
    pub anomalies: Vec<Anomaly>,
    /// As `cost runs` finds them this month.
    pub runaways: Vec<Runaway>,
    pub today: Today,
}

/// Today's spend (UTC day).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Today {
    pub day: String,
    pub requests: i64,
    pub cost_nanos: i64,
    pub unpriced_requests: i64,
}

/// What [`snapshot`] reads with.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    pub now: Timestamp,
    /// Days per month, for the monthly impact of change points.
    pub days_per_month: f64,
}

fn day_of(now: Timestamp) -> Date {
    now.to_zoned(jiff::tz::TimeZone::UTC).date()
}

/// Reads the budgets, anomalies, runaway runs and today's spend as of `params.now`.
pub fn snapshot(store: &Store, config: &Config, params: &Params) -> Result<Snapshot> {
    let today = day_of(params.now);
    let month = today.first_of_month();
    let budget = budget::compute(Some(store), config, &budget::Params { month, today })?;
    let found = anomalies::compute(
        Some(store),
        &anomalies::Params {
            period: Period::last_days(today, 30),
            threshold: 4.0,
            min_usd: 1.0,
            days_per_month: params.days_per_month,
        },
    )?;
    // This month's runaways from the work rollup, as `cost anomalies` finds them: not a read
    // of every call of the month after each import.
    let runaways = runs::runaways_in(
        store,
        &Filter {
            since: Some(month.to_string()),
            until: Some(today.to_string()),
            ..Filter::default()
        },
        &month.to_string(),
    )?;
    let day = today.to_string();
    let sums = store.sums(
        &[],
        &Filter {
            since: Some(day.clone()),
            until: Some(day.clone()),
            ..Filter::default()
        },
    )?;
    let mut t = Today {
        day,
        ..Today::default()
    };
    for (_, s) in sums {
        t.requests += s.requests;
        t.cost_nanos = t.cost_nanos.saturating_add(s.cost_nanos);
        t.unpriced_requests += s.unpriced_requests;
    }
    Ok(Snapshot {
        budget,
        // Runaway runs are alerted as such (with their reason), not twice.
        anomalies: found
            .anomalies
            .into_iter()
            .filter(|a| a.kind != Kind::RunawayRun)
            .collect(),
        runaways,
        today: t,
    })
}

/// A budget limit passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The soft limit (80 % of the budget unless `soft_pct` says otherwise).
    Soft,
    /// The hard limit (100 % unless `hard_pct` says otherwise).
    Hard,
}

/// What happened, with its figures (the `event` field of a line).
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum What {
    /// A team's spend this month passed a limit of its budget.
    Budget {
        team: Option<String>,
        level: Level,
        limit_pct: f64,
        pct: f64,
        spent_usd: Option<Usd>,
        budget_usd: Option<Usd>,
        month: String,
    },
    /// A team's forecast to month end passed its hard limit.
    Forecast {
        team: Option<String>,
        limit_pct: f64,
        forecast_pct: f64,
        forecast_usd: Option<Usd>,
        budget_usd: Option<Usd>,
        month: String,
    },
    /// A new anomaly, as `cost anomalies --format json` lists it.
    Anomaly { anomaly: Anomaly },
    /// A new runaway run, as `cost runs --format json` lists it under `runaway`.
    Runaway { run: Runaway },
    /// Today's spend so far and its average per hour since midnight UTC (`null` in the first
    /// minute of the day).
    Heartbeat {
        day: String,
        today_usd: Option<Usd>,
        requests_today: i64,
        unpriced_today: i64,
        burn_usd_per_hour: Option<Usd>,
    },
}

/// One line of `cost watch`.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub schema: &'static str,
    /// When it was noticed (RFC 3339, UTC).
    pub time: String,
    #[serde(flatten)]
    pub what: What,
    /// The event in words.
    pub message: String,
}

impl Event {
    fn new(now: Timestamp, what: What, message: String) -> Event {
        Event {
            schema: SCHEMA,
            time: stamp(now),
            what,
            message,
        }
    }

    /// The kind, as in JSON's `event`.
    pub fn kind(&self) -> &'static str {
        match self.what {
            What::Budget { .. } => "budget",
            What::Forecast { .. } => "forecast",
            What::Anomaly { .. } => "anomaly",
            What::Runaway { .. } => "runaway",
            What::Heartbeat { .. } => "heartbeat",
        }
    }

    /// An alert (everything but the heartbeat): what `--exec` runs a command for.
    pub fn is_alert(&self) -> bool {
        !matches!(self.what, What::Heartbeat { .. })
    }
}

/// `2026-11-01T12:00:05Z`.
pub fn stamp(now: Timestamp) -> String {
    now.round(jiff::Unit::Second).unwrap_or(now).to_string()
}

/// `$1.05`, or four places under a dollar.
fn dollars(v: Usd) -> String {
    let places = if v.abs() < Usd::from_nanos(1_000_000_000) { 4 } else { 2 };
    format!("${}", v.format_fixed(places))
}

fn opt_dollars(v: Option<Usd>) -> String {
    v.map_or_else(|| "unknown".to_string(), dollars)
}

fn team_name(team: &Option<String>) -> &str {
    team.as_deref().unwrap_or("(unassigned)")
}

/// Remembers what was reported, so each alert is given once: the first snapshot reports the
/// state as it is, later ones only what changed.
#[derive(Debug, Default)]
pub struct Watcher {
    /// Per team: the month, the highest limit reported, whether the forecast was reported.
    budgets: BTreeMap<Option<String>, (String, Option<Level>, bool)>,
    anomalies: BTreeSet<String>,
    runaways: BTreeSet<String>,
}

impl Watcher {
    /// The alerts `snap` holds that were not given before. A team's limits and forecast fire
    /// once a month each (the hard limit alone when both were passed at once; the forecast not
    /// after the hard limit); an anomaly or a runaway run once.
    pub fn alerts(&mut self, snap: &Snapshot, now: Timestamp) -> Vec<Event> {
        let mut out = Vec::new();
        let month = snap.budget.month.clone();
        for t in &snap.budget.teams {
            let (Some(budget), Some(pct)) = (t.budget_usd, t.pct) else {
                continue;
            };
            let soft = t.soft_pct.unwrap_or(80.0);
            let hard = t.hard_pct.unwrap_or(100.0);
            let level = if pct >= hard {
                Some(Level::Hard)
            } else if pct >= soft {
                Some(Level::Soft)
            } else {
                None
            };
            let forecast_over = t.forecast_pct.is_some_and(|f| f >= hard);
            let seen = self
                .budgets
                .entry(t.team.clone())
                .or_insert_with(|| (month.clone(), None, false));
            if seen.0 != month {
                *seen = (month.clone(), None, false);
            }
            let name = team_name(&t.team);
            if level > seen.1 {
                let limit = if level == Some(Level::Hard) { hard } else { soft };
                let message = format!(
                    "{name} passed {} of its {} budget for {}: {} spent ({})",
                    pct_text(limit),
                    dollars(budget),
                    &month[..7.min(month.len())],
                    opt_dollars(t.spent_usd),
                    pct_text(pct)
                );
                out.push(Event::new(
                    now,
                    What::Budget {
                        team: t.team.clone(),
                        level: level.unwrap_or(Level::Soft),
                        limit_pct: limit,
                        pct,
                        spent_usd: t.spent_usd,
                        budget_usd: Some(budget),
                        month: month.clone(),
                    },
                    message,
                ));
                seen.1 = level;
            }
            if forecast_over && !seen.2 {
                seen.2 = true;
                if seen.1 != Some(Level::Hard) {
                    let f = t.forecast_pct.unwrap_or(0.0);
                    let message = format!(
                        "{name} is forecast to spend {} this month, {} of its {} budget (hard limit {})",
                        opt_dollars(t.forecast_usd),
                        pct_text(f),
                        dollars(budget),
                        pct_text(hard)
                    );
                    out.push(Event::new(
                        now,
                        What::Forecast {
                            team: t.team.clone(),
                            limit_pct: hard,
                            forecast_pct: f,
                            forecast_usd: t.forecast_usd,
                            budget_usd: Some(budget),
                            month: month.clone(),
                        },
                        message,
                    ));
                }
            }
        }
        // Oldest first, so lines read in the order things happened.
        for a in snap.anomalies.iter().rev() {
            let id = format!(
                "{}|{}|{}|{}|{}",
                a.kind.as_str(),
                a.dimension.name(),
                a.key.as_deref().unwrap_or(""),
                a.date,
                a.metric.as_str()
            );
            if self.anomalies.insert(id) {
                out.push(Event::new(now, What::Anomaly { anomaly: a.clone() }, anomaly_text(a)));
            }
        }
        for r in &snap.runaways {
            if self.runaways.insert(r.session.clone()) {
                let message = format!(
                    "runaway run {} (team {}, template {}): {}",
                    r.session,
                    team_name(&r.team),
                    r.template.as_deref().unwrap_or("(none)"),
                    r.reason
                );
                out.push(Event::new(now, What::Runaway { run: r.clone() }, message));
            }
        }
        out
    }
}

fn pct_text(p: f64) -> String {
    if p.fract() == 0.0 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

fn anomaly_text(a: &Anomaly) -> String {
    let series = format!("{} {}", a.dimension.name(), a.key.as_deref().unwrap_or("(none)"));
    match a.kind {
        Kind::Spike => format!(
            "spend spike: {series} on {}: {} against a usual {} (score {:.1})",
            a.date,
            dollars(Usd::from_f64(a.after).unwrap_or(Usd::ZERO)),
            dollars(Usd::from_f64(a.before).unwrap_or(Usd::ZERO)),
            a.score
        ),
        Kind::ChangePoint => format!(
            "{} of {series} changed on {}: {:.4} → {:.4} (driver: {}{})",
            a.metric.as_str().replace('_', " "),
            a.date,
            a.before,
            a.after,
            a.driver.as_str(),
            a.monthly_impact_usd
                .map(|m| format!(", {} a month", dollars(m)))
                .unwrap_or_default()
        ),
        Kind::RunawayRun => format!(
            "runaway run: {series} on {}: {}",
            a.date,
            a.reason.as_deref().unwrap_or_default()
        ),
    }
}

/// Today's spend and its average per hour since midnight UTC.
pub fn heartbeat(snap: &Snapshot, now: Timestamp) -> Event {
    let t = &snap.today;
    let all_unpriced = t.requests > 0 && t.unpriced_requests >= t.requests && t.cost_nanos == 0;
    let today_usd = (!all_unpriced).then(|| Usd::from_nanos(t.cost_nanos));
    let midnight = day_of(now)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(now);
    let seconds = now.as_second() - midnight.as_second();
    let burn = today_usd
        .filter(|_| seconds >= 60)
        .map(|u| Usd::from_nanos(((u.nanos() as i128 * 3600 + seconds as i128 / 2) / seconds as i128) as i64));
    let message = format!(
        "today {} so far ({} {}{}), {}",
        opt_dollars(today_usd),
        crate::money::group_thousands(&t.requests.to_string()),
        if t.requests == 1 { "request" } else { "requests" },
        if t.unpriced_requests > 0 {
            format!(", {} unpriced", t.unpriced_requests)
        } else {
            String::new()
        },
        match burn {
            Some(b) => format!("{}/h on average since 00:00 UTC", dollars(b)),
            None => "no hourly rate yet".to_string(),
        }
    );
    Event::new(
        now,
        What::Heartbeat {
            day: t.day.clone(),
            today_usd,
            requests_today: t.requests,
            unpriced_today: t.unpriced_requests,
            burn_usd_per_hour: burn,
        },
        message,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::budget::{Status, TeamBudget};

    fn team(pct: f64, forecast_pct: f64) -> TeamBudget {
        // A $500 budget: spent and forecast follow the percentages.
        TeamBudget {
            team: Some("support".into()),
            budget_usd: Some(Usd::from_nanos(500_000_000_000)),
            spent_usd: Some(Usd::from_nanos((pct * 5e9) as i64)),
            pct: Some(pct),
            forecast_usd: Some(Usd::from_nanos((forecast_pct * 5e9) as i64)),
            forecast_pct: Some(forecast_pct),
            soft_pct: Some(80.0),
            hard_pct: Some(100.0),
            status: Status::Ok,
            soft_crossed_on: None,
            hard_crossed_on: None,
            suggested_budget_usd: None,
            method: String::new(),
            unpriced_requests: 0,
        }
    }

    fn snap(month: &str, teams: Vec<TeamBudget>) -> Snapshot {
        Snapshot {
            budget: Budget {
                schema: "cost.budget/v1",
                month: month.into(),
                as_of: month.into(),
                teams,
                empty_store: false,
            },
            anomalies: Vec::new(),
            runaways: Vec::new(),
            today: Today::default(),
        }
    }

    fn kinds(events: &[Event]) -> Vec<String> {
        events
            .iter()
            .map(|e| match &e.what {
                What::Budget { level, .. } => format!("budget {level:?}"),
                _ => e.kind().to_string(),
            })
            .collect()
    }

    #[test]
    fn each_limit_fires_once_as_it_is_passed() {
        let now: Timestamp = "2026-11-15T12:00:00Z".parse().unwrap();
        let mut w = Watcher::default();
        // 50 %, forecast 90 %: nothing to say.
        assert!(w.alerts(&snap("2026-11-01", vec![team(50.0, 90.0)]), now).is_empty());
        // 82.5 %: the soft limit, once.
        let e = w.alerts(&snap("2026-11-01", vec![team(82.5, 95.0)]), now);
        assert_eq!(kinds(&e), ["budget Soft"]);
        assert_eq!(
            e[0].message,
            "support passed 80% of its $500.00 budget for 2026-11: $412.50 spent (82.5%)"
        );
        assert!(w.alerts(&snap("2026-11-01", vec![team(85.0, 99.0)]), now).is_empty());
        // The forecast passes 100 %: once, however it moves after.
        let e = w.alerts(&snap("2026-11-01", vec![team(86.0, 124.0)]), now);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].kind(), "forecast");
        assert_eq!(
            e[0].message,
            "support is forecast to spend $620.00 this month, 124% of its $500.00 budget (hard limit 100%)"
        );
        assert!(w.alerts(&snap("2026-11-01", vec![team(87.0, 98.0)]), now).is_empty());
        assert!(w.alerts(&snap("2026-11-01", vec![team(88.0, 130.0)]), now).is_empty());
        // The hard limit.
        let e = w.alerts(&snap("2026-11-01", vec![team(102.4, 140.0)]), now);
        assert_eq!(kinds(&e), ["budget Hard"]);
        // A new month starts over.
        assert!(w.alerts(&snap("2026-12-01", vec![team(1.0, 20.0)]), now).is_empty());
        assert_eq!(
            kinds(&w.alerts(&snap("2026-12-01", vec![team(81.0, 90.0)]), now)),
            ["budget Soft"]
        );
    }

    #[test]
    fn the_first_snapshot_reports_the_state_as_it_is() {
        let now: Timestamp = "2026-11-15T12:00:00Z".parse().unwrap();
        let mut w = Watcher::default();
        // Already past both limits: the hard one alone, and no forecast after it.
        let e = w.alerts(&snap("2026-11-01", vec![team(120.0, 200.0)]), now);
        assert_eq!(kinds(&e), ["budget Hard"]);
        assert!(w.alerts(&snap("2026-11-01", vec![team(130.0, 210.0)]), now).is_empty());
        // A team without a budget never alerts.
        let mut none = team(0.0, 0.0);
        none.budget_usd = None;
        none.pct = None;
        assert!(
            Watcher::default()
                .alerts(&snap("2026-11-01", vec![none]), now)
                .is_empty()
        );
    }

    #[test]
    fn a_heartbeat_gives_todays_spend_and_its_hourly_average() {
        let mut s = snap("2026-11-01", Vec::new());
        s.today = Today {
            day: "2026-11-15".into(),
            requests: 3,
            cost_nanos: 10_500_000,
            unpriced_requests: 0,
        };
        // 12 hours into the day: $0.0105 / 12 = $0.000875 an hour.
        let now: Timestamp = "2026-11-15T12:00:00Z".parse().unwrap();
        let e = heartbeat(&s, now);
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["schema"], "cost.watch/v1");
        assert_eq!(v["event"], "heartbeat");
        assert_eq!(v["time"], "2026-11-15T12:00:00Z");
        assert_eq!(v["today_usd"], 0.0105);
        assert_eq!(v["burn_usd_per_hour"], 0.000875);
        assert_eq!(
            e.message,
            "today $0.0105 so far (3 requests), $0.0009/h on average since 00:00 UTC"
        );
        // In the first minute there is no rate to give.
        let e = heartbeat(&s, "2026-11-15T00:00:30Z".parse().unwrap());
        assert!(serde_json::to_value(&e).unwrap()["burn_usd_per_hour"].is_null());
        assert!(!e.is_alert());
    }
}
