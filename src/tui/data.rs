//! What the dashboard shows for one month, read from the store's rollups with the same
//! computations as `cost report`, `budget`, `cache`, `anomalies` and `showback`, so every
//! figure on screen equals the one those commands print.

use crate::analysis::anomalies::{self, Anomalies};
use crate::analysis::budget::{self, Budget};
use crate::analysis::cache::{self, CacheReport};
use crate::analysis::estimate;
use crate::analysis::showback::{self, Showback};
use crate::app::Context;
use crate::error::Result;
use crate::period::Period;
use crate::report::{self, Query, Report};
use crate::store::Store;
use crate::store::query::{Dim, Filter, Sums};
use jiff::ToSpan;
use jiff::civil::Date;
use std::collections::BTreeMap;

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
    pub anomalies: Anomalies,
    pub showback: Showback,
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
    dims: Vec<Dim>,
    rows: Vec<(Vec<String>, Sums)>,
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
                dims: dims.to_vec(),
                rows: s.sums(dims, &filter)?,
                empty_store: s.day_range()?.is_none(),
                sources: s.sources()?,
            },
            None => Fine {
                dims: dims.to_vec(),
                rows: Vec::new(),
                empty_store: true,
                sources: Vec::new(),
            },
        })
    }

    /// The report grouped by `by` (a subset of the fine dimensions).
    fn report(&self, by: &[Dim], p: Period) -> Report {
        let at: Vec<usize> = by
            .iter()
            .map(|d| self.dims.iter().position(|x| x == d).expect("a fine dimension"))
            .collect();
        let mut groups: BTreeMap<Vec<String>, Sums> = BTreeMap::new();
        for (keys, sums) in &self.rows {
            let key: Vec<String> = at.iter().map(|i| keys[*i].clone()).collect();
            groups.entry(key).or_default().add(sums);
        }
        report::from_sums(
            &query(by, p),
            groups.into_iter().collect(),
            self.empty_store,
            &self.sources,
        )
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
    Ok(Analyses {
        cache,
        anomalies,
        showback,
    })
}
