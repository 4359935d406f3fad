//! What the dashboard shows for one month, read from the store's rollups with the same
//! computations as `cost report`, `budget`, `cache`, `anomalies` and `showback`, so every
//! figure on screen equals the one those commands print.

use crate::analysis::anomalies::{self, Anomalies};
use crate::analysis::budget::{self, Budget};
use crate::analysis::cache::{self, CacheReport};
use crate::analysis::estimate;
use crate::analysis::runs::{self, Runs};
use crate::analysis::showback::{self, Showback};
use crate::app::Context;
use crate::error::Result;
use crate::period::Period;
use crate::report::{self, Query, Report};
use crate::store::Store;
use crate::store::query::{Dim, Filter, GroupKey, Sums};
use crate::store::runs::SessionCall;
use jiff::ToSpan;
use jiff::civil::Date;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The month the dashboard looks at: its first day, and the last day with data so far (today
/// for the running month).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub month: Date,
    pub until: Date,
}

impl Window {
    /// The month holding `month`, up to `today` when it is the running month.
    pub fn new(month: Date, today: Date) -> Window {
        let month = month.first_of_month();
        let until = month.last_of_month().min(today).max(month);
        Window { month, until }
    }

    pub fn period(&self) -> Period {
        Period {
            since: self.month,
            until: self.until,
        }
    }

    /// The same days of the month before (Nov 1–26 → Oct 1–26; a whole month → the whole
    /// month before), for the Δ columns.
    pub fn previous(&self) -> Period {
        let since = self.month.checked_sub(1.month()).unwrap_or(self.month);
        let until = if self.until == self.month.last_of_month() {
            since.last_of_month()
        } else {
            since
                .checked_add((self.until.day() as i64 - 1).days())
                .unwrap_or(since)
                .min(since.last_of_month())
        };
        Period { since, until }
    }

    /// `2026-10`
    pub fn label(&self) -> String {
        format!("{:04}-{:02}", self.month.year(), self.month.month())
    }

    pub fn is_running(&self, today: Date) -> bool {
        self.month <= today && today <= self.month.last_of_month()
    }
}

/// Spend of the month, grouped the ways the views need. Every report covers `window`.
#[derive(Debug, Clone)]
pub struct Core {
    pub window: Window,
    pub teams: Report,
    pub prev_teams: Report,
    pub templates: Report,
    pub prev_templates: Report,
    pub models: Report,
    pub daily: Report,
    pub team_templates: Report,
    pub team_models: Report,
    pub template_days: Report,
    pub template_models: Report,
    /// Spend by team, template and model: what a team's drill-down regroups.
    pub cube: Cube,
    pub budget: Budget,
    /// The first and last day the store holds (any month), for the empty-month screen.
    pub store_days: Option<(String, String)>,
    /// The requests the store holds (any month).
    pub store_requests: i64,
}

/// The slower analyses, loaded after the first frame.
#[derive(Debug, Clone)]
pub struct Analyses {
    pub cache: CacheReport,
    /// The same figures by team (the Cache view's `d`).
    pub cache_teams: CacheReport,
    pub anomalies: Anomalies,
    pub showback: Showback,
    /// The month's runs (sessions), their spreads per template and team, and the runaways.
    pub runs: Runs,
    /// Per tag key with requests this month: spend by team, template, model and the key's
    /// value (requests without the key under `''`), for the drill-down's tag dimensions.
    pub tags: Vec<Cube>,
}

/// Everything for one month; `analyses` is `None` while it loads.
#[derive(Debug, Clone)]
pub struct Data {
    pub core: Core,
    pub analyses: Option<Analyses>,
    /// Nothing has been imported yet.
    pub empty_store: bool,
    /// The store file exists (an empty store and a missing one read differently).
    pub store_exists: bool,
    pub store_path: String,
}

impl Data {
    /// The first cube that has every one of `dims`: the month's, or a tag key's.
    pub fn cube_with(&self, dims: &[Dim]) -> Option<&Cube> {
        std::iter::once(&self.core.cube)
            .chain(self.analyses.iter().flat_map(|a| a.tags.iter()))
            .find(|c| dims.iter().all(|d| c.dims.contains(d)))
    }

    /// The tag keys a drill-down can break spend down by (once the analyses are in).
    pub fn tag_dims(&self) -> Vec<Dim> {
        self.analyses
            .iter()
            .flat_map(|a| a.tags.iter())
            .filter_map(|c| c.dims.iter().copied().find(|d| d.tag_key().is_some()))
            .collect()
    }
}

/// Sums by a few dimensions (values as stored: `''` for none), regrouped in memory. The views'
/// reports are sums of these rows: exactly what `cost report --by …` would read.
#[derive(Debug, Clone, Default)]
pub struct Cube {
    pub dims: Vec<Dim>,
    pub rows: Vec<(GroupKey, Sums)>,
}

impl Cube {
    /// The rows whose values match `path` (each value as a report labels it: `(unassigned)`,
    /// `(none)` for none), summed by `by`; `None` when the cube lacks one of the dimensions.
    pub fn regroup(&self, path: &[(Dim, String)], by: &[Dim]) -> Option<Vec<(GroupKey, Sums)>> {
        if path.iter().map(|(d, _)| d).chain(by).any(|d| !self.dims.contains(d)) {
            return None;
        }
        let wanted: Vec<(Dim, &str)> = path
            .iter()
            .map(|(d, v)| (*d, if v == d.empty_label() { "" } else { v.as_str() }))
            .collect();
        let mut groups: BTreeMap<Vec<String>, Sums> = BTreeMap::new();
        for (key, sums) in &self.rows {
            if wanted.iter().all(|(d, v)| key.get(*d) == Some(*v)) {
                groups.entry(key.values_of(by)).or_default().add(sums);
            }
        }
        let by: Arc<[Dim]> = by.into();
        Some(
            groups
                .into_iter()
                .map(|(values, sums)| (GroupKey::new(by.clone(), values), sums))
                .collect(),
        )
    }

    /// [`regroup`](Self::regroup) as a report over `p`, ordered as `cost report` orders it.
    pub fn report(&self, path: &[(Dim, String)], by: &[Dim], p: Period) -> Option<Report> {
        let rows = self.regroup(path, by)?;
        Some(report::from_sums(&query(by, p), rows, false, &[]))
    }
}

fn query(group_by: &[Dim], period: Period) -> Query {
    Query {
        group_by: group_by.to_vec(),
        period,
        teams: Vec::new(),
        models: Vec::new(),
        templates: Vec::new(),
        compare_reported: false,
    }
}

/// The month's rollups read once, grouped finely enough for every view; the views' reports
/// are sums of these rows (exactly what `cost report --by …` would read, in one query).
struct Fine {
    cube: Cube,
    empty_store: bool,
    sources: Vec<(String, i64)>,
}

impl Fine {
    fn read(store: Option<&Store>, dims: &[Dim], p: Period) -> Result<Fine> {
        let filter = Filter {
            since: Some(p.since.to_string()),
            until: Some(p.until.to_string()),
            ..Filter::default()
        };
        Ok(match store {
            Some(s) => Fine {
                cube: Cube {
                    dims: dims.to_vec(),
                    rows: s.sums(dims, &filter)?,
                },
                empty_store: s.day_range()?.is_none(),
                sources: s.sources()?,
            },
            None => Fine {
                cube: Cube {
                    dims: dims.to_vec(),
                    rows: Vec::new(),
                },
                empty_store: true,
                sources: Vec::new(),
            },
        })
    }

    /// The report grouped by `by` (a subset of the fine dimensions).
    fn report(&self, by: &[Dim], p: Period) -> Report {
        let rows = self.cube.regroup(&[], by).unwrap_or_default();
        report::from_sums(&query(by, p), rows, self.empty_store, &self.sources)
    }
}

/// Reads the month's spend (the Overview, Teams, Templates, Models and Budgets views).
pub fn load_core(ctx: &Context, window: Window) -> Result<(Core, bool)> {
    let store = Store::open_read_only(&ctx.store_path())?;
    let s = store.as_ref();
    let p = window.period();
    let prev = window.previous();
    let now = Fine::read(s, &[Dim::Team, Dim::Template, Dim::Model, Dim::Day], p)?;
    let held = match s {
        Some(s) => s.holdings(&p.since.to_string(), &p.until.to_string())?,
        None => None,
    };
    let before = Fine::read(s, &[Dim::Team, Dim::Template], prev)?;
    let core = Core {
        window,
        teams: now.report(&[Dim::Team], p),
        prev_teams: before.report(&[Dim::Team], prev),
        templates: now.report(&[Dim::Template], p),
        prev_templates: before.report(&[Dim::Template], prev),
        models: now.report(&[Dim::Model], p),
        daily: now.report(&[Dim::Day], p),
        team_templates: now.report(&[Dim::Team, Dim::Template], p),
        team_models: now.report(&[Dim::Team, Dim::Model], p),
        template_days: now.report(&[Dim::Template, Dim::Day], p),
        template_models: now.report(&[Dim::Template, Dim::Model], p),
        cube: Cube {
            dims: vec![Dim::Team, Dim::Template, Dim::Model],
            rows: now
                .cube
                .regroup(&[], &[Dim::Team, Dim::Template, Dim::Model])
                .unwrap_or_default(),
        },
        budget: budget::compute(
            s,
            &ctx.config,
            &budget::Params {
                month: window.month,
                today: ctx.today(),
            },
        )?,
        store_days: held.as_ref().map(|h| (h.first.clone(), h.last.clone())),
        store_requests: held.map_or(0, |h| h.requests),
    };
    Ok((core, now.empty_store))
}

/// Cache KPIs and opportunities, anomalies and commitments for the month.
pub fn load_analyses(ctx: &Context, window: Window) -> Result<Analyses> {
    let store = ctx.read_store()?;
    let prices = ctx.prices()?;
    let days_per_month = ctx.config.days_per_month.to_f64();
    // The estimate's warnings are not shown under the running dashboard.
    let templates = || {
        let params = estimate::Params {
            templates: &[],
            overrides: &Default::default(),
            options: &Default::default(),
        };
        estimate::compute(&ctx.config, prices, &ctx.cwd, ctx.today(), &params)
    };
    let cache_params = cache::Params {
        period: window.period(),
        by: vec![Dim::Template],
        teams: Vec::new(),
        days_per_month,
    };
    let (cache, _warnings) = cache::compute(store.as_ref(), prices, &cache_params, templates)?;
    let team_params = cache::Params {
        by: vec![Dim::Team],
        ..cache_params
    };
    // By team there are no opportunities to list: the templates are not read.
    let (cache_teams, _) = cache::compute(store.as_ref(), prices, &team_params, || {
        Err(crate::error::Error::usage("not needed by team"))
    })?;
    let anomalies = anomalies::compute(
        store.as_ref(),
        &anomalies::Params {
            period: window.period(),
            threshold: 4.0,
            min_usd: 1.0,
            days_per_month,
        },
    )?;
    let showback = showback::compute(
        store.as_ref(),
        &ctx.config,
        prices,
        &showback::Params {
            month: window.month,
            today: ctx.today(),
        },
    )?;
    let (since, until) = (window.month.to_string(), window.until.to_string());
    let mut runs = runs::compute(store.as_ref(), &since, &until, &runs::Params::default())?;
    keep_costliest(&mut runs, RUNS_KEPT);
    let filter = Filter {
        since: Some(since.clone()),
        until: Some(until.clone()),
        ..Filter::default()
    };
    let mut tags = Vec::new();
    if let Some(s) = store.as_ref() {
        for key in s.tag_keys(&since, &until)? {
            let dims = vec![Dim::Team, Dim::Template, Dim::Model, Dim::tag(&key)];
            let rows = s.sums(&dims, &filter)?;
            tags.push(Cube { dims, rows });
        }
    }
    Ok(Analyses {
        cache,
        cache_teams,
        anomalies,
        showback,
        runs,
        tags,
    })
}

/// The runs the Runs view lists: the costliest this many, and every runaway. The spreads and
/// the runaways are computed over all of them first.
pub const RUNS_KEPT: usize = 1000;

/// Keeps the `n` costliest runs (they come sorted by cost) and the runaways.
pub(crate) fn keep_costliest(r: &mut Runs, n: usize) {
    if r.runs.len() <= n {
        return;
    }
    let runaway: std::collections::HashSet<String> = r.runaway.iter().map(|x| x.session.clone()).collect();
    let mut i = 0;
    r.runs.retain(|x| {
        i += 1;
        i <= n || runaway.contains(&x.session)
    });
}

/// One run's calls in the month, in time order (`cost runs`' run, call by call).
pub fn load_run(ctx: &Context, window: Window, session: &str) -> Result<Vec<SessionCall>> {
    let Some(store) = ctx.read_store()? else {
        return Ok(Vec::new());
    };
    let filter = Filter {
        since: Some(window.month.to_string()),
        until: Some(window.until.to_string()),
        ..Filter::default()
    };
    let mut calls = Vec::new();
    store.calls_of(session, &filter, |c| calls.push(c))?;
    Ok(calls)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regroup_matches_a_path_by_dimension_and_sums_by_another() {
        let dims = [Dim::Team, Dim::Template, Dim::Model];
        let row = |values: [&str; 3], cost_nanos: i64| {
            let key = GroupKey::new(dims.as_slice().into(), values.map(str::to_string).to_vec());
            (
                key,
                Sums {
                    records: 1,
                    requests: 1,
                    cost_nanos,
                    ..Sums::default()
                },
            )
        };
        let cube = Cube {
            dims: dims.to_vec(),
            rows: vec![
                row(["", "triage", "gpt-4o"], 5),
                row(["", "triage", "gpt-4o-mini"], 7),
                row(["", "summarize", "gpt-4o"], 11),
                row(["search", "triage", "gpt-4o"], 13),
            ],
        };
        // The unassigned team's rows (asked for by their label), by model.
        let rows = cube
            .regroup(&[(Dim::Team, "(unassigned)".to_string())], &[Dim::Model])
            .unwrap();
        let got: Vec<(Option<&str>, i64, i64)> = rows
            .iter()
            .map(|(k, s)| (k.get(Dim::Model), s.requests, s.cost_nanos))
            .collect();
        assert_eq!(got, [(Some("gpt-4o"), 2, 16), (Some("gpt-4o-mini"), 1, 7)]);
        assert_eq!(rows[0].0.dims(), [Dim::Model]);
        assert_eq!(rows[0].0.get(Dim::Team), None, "summed over teams");
        // A dimension the cube was not read by.
        assert!(cube.regroup(&[], &[Dim::Day]).is_none());
        assert!(cube.regroup(&[(Dim::Tier, "batch".into())], &[Dim::Team]).is_none());
    }
}
