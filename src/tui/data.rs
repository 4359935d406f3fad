//! What the dashboard shows for one month, read from the store's rollups with the same
//! computations as `cost report`, `budget`, `cache`, `anomalies` and `showback`, so every
//! figure on screen equals the one those commands print.

use crate::analysis::anomalies::Anomalies;
use crate::analysis::budget::Budget;
use crate::analysis::cache::CacheReport;
use crate::analysis::showback::Showback;
use crate::cli::Context;
use crate::error::Result;
use crate::period::Period;
use crate::report::{self, Query, Report};
use crate::store::Store;
use crate::store::query::Dim;
use jiff::ToSpan;
use jiff::civil::Date;

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

/// Reads the month's spend (the Overview, Teams, Templates, Models and Budgets views).
pub fn load_core(ctx: &Context, window: Window) -> Result<(Core, bool)> {
    let store = Store::open_read_only(&ctx.store_path())?;
    let s = store.as_ref();
    let p = window.period();
    let prev = window.previous();
    let teams = report::build(s, &query(&[Dim::Team], p))?;
    let empty = teams.empty_store;
    let core = Core {
        window,
        prev_teams: report::build(s, &query(&[Dim::Team], prev))?,
        templates: report::build(s, &query(&[Dim::Template], p))?,
        prev_templates: report::build(s, &query(&[Dim::Template], prev))?,
        models: report::build(s, &query(&[Dim::Model], p))?,
        daily: report::build(s, &query(&[Dim::Day], p))?,
        team_templates: report::build(s, &query(&[Dim::Team, Dim::Template], p))?,
        team_models: report::build(s, &query(&[Dim::Team, Dim::Model], p))?,
        template_days: report::build(s, &query(&[Dim::Template, Dim::Day], p))?,
        template_models: report::build(s, &query(&[Dim::Template, Dim::Model], p))?,
        budget: crate::cli::budget::compute(ctx, Some(&window.label()))?,
        store_days: match s {
            Some(s) => s.day_range()?,
            None => None,
        },
        teams,
    };
    Ok((core, empty))
}

/// Cache KPIs and opportunities, anomalies and commitments for the month.
pub fn load_analyses(ctx: &Context, window: Window) -> Result<Analyses> {
    let since = Some(window.month.to_string());
    let until = Some(window.until.to_string());
    let cache = crate::cli::cache::compute(
        ctx,
        &crate::cli::cache::Args {
            by: vec![Dim::Template],
            since: since.clone(),
            until: until.clone(),
            team: Vec::new(),
        },
    )?;
    let anomalies = crate::cli::anomalies::compute(
        ctx,
        &crate::cli::anomalies::Args {
            since,
            until,
            threshold: 4.0,
            min_usd: 1.0,
        },
    )?;
    let showback = crate::cli::showback::compute(ctx, Some(&window.label()))?;
    Ok(Analyses {
        cache,
        anomalies,
        showback,
    })
}

/// Both stages at once (snapshots and tests).
pub fn load(ctx: &Context, window: Window) -> Result<Data> {
    let (core, empty_store) = load_core(ctx, window)?;
    Ok(Data {
        core,
        analyses: Some(load_analyses(ctx, window)?),
        empty_store,
        store_exists: ctx.store_path().exists(),
        store_path: ctx.show_path(&ctx.store_path()),
    })
}
