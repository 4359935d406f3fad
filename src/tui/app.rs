//! The dashboard's state and the one function that changes it. `update` is pure: it takes an
//! [`Action`] (from the keymap) and returns what the event loop must do next ([`Effect`]);
//! loaded data arrives through [`App::receive`]. Nothing here draws or touches the store.

use super::data::{Analyses, Core, Data, Window};
use crate::store::query::Dim;
use jiff::ToSpan;
use jiff::civil::Date;

const REFRESHING: &str = "refreshing…";

/// The eight views, in key order (`1`…`8`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    Overview,
    Teams,
    Templates,
    Models,
    Cache,
    Budgets,
    Commitments,
    Anomalies,
}

impl View {
    pub const ALL: [View; 8] = [
        View::Overview,
        View::Teams,
        View::Templates,
        View::Models,
        View::Cache,
        View::Budgets,
        View::Commitments,
        View::Anomalies,
    ];

    pub fn index(self) -> usize {
        View::ALL.iter().position(|v| *v == self).unwrap_or(0)
    }

    pub fn title(self) -> &'static str {
        match self {
            View::Overview => "Overview",
            View::Teams => "Teams",
            View::Templates => "Templates",
            View::Models => "Models",
            View::Cache => "Cache",
            View::Budgets => "Budgets",
            View::Commitments => "Commitments",
            View::Anomalies => "Anomalies",
        }
    }

    /// The name `--snapshot` takes.
    pub fn name(self) -> &'static str {
        match self {
            View::Overview => "overview",
            View::Teams => "teams",
            View::Templates => "templates",
            View::Models => "models",
            View::Cache => "cache",
            View::Budgets => "budgets",
            View::Commitments => "commitments",
            View::Anomalies => "anomalies",
        }
    }

    pub fn parse(s: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.name() == s.to_ascii_lowercase())
    }

    /// The orders `s` cycles through; the first is the default.
    pub fn sorts(self) -> &'static [&'static str] {
        match self {
            View::Overview => &[],
            View::Teams => &["spend", "Δ vs previous", "budget %", "cache hit", "name"],
            View::Templates => &["spend", "cost/call", "Δ cost/call", "requests", "name"],
            View::Models => &["spend", "requests", "cost/call", "cache hit", "name"],
            View::Cache => &["net savings", "hit rate", "write premium", "requests", "name"],
            View::Budgets => &["status", "forecast %", "spent", "name"],
            View::Commitments => &["as configured", "utilisation", "idle", "name"],
            View::Anomalies => &["newest", "score", "impact", "name"],
        }
    }
}

/// Everything a key can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Show(View),
    NextView,
    PrevView,
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
    Enter,
    Back,
    StartFilter,
    Sort,
    PrevPeriod,
    NextPeriod,
    Help,
    Refresh,
    FilterChar(char),
    FilterBackspace,
    FilterApply,
    FilterCancel,
}

/// What the event loop does after an update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    None,
    /// Read this month from the store (again).
    Load(Window),
    Quit,
}

/// Which keys are live: the normal keymap, typing a filter, or the help overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Filter,
    Help,
}

/// Selection, order and filter of one view's list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListState {
    pub selected: usize,
    pub sort: usize,
    pub filter: String,
}

/// Data arriving from the loader thread, tagged with the request it answers.
#[derive(Debug)]
pub enum Loaded {
    Core {
        generation: u64,
        core: Box<Core>,
        empty_store: bool,
        store_exists: bool,
        store_path: String,
    },
    Analyses {
        generation: u64,
        analyses: Box<Analyses>,
    },
    Failed {
        generation: u64,
        message: String,
    },
}

/// The dashboard's whole state.
#[derive(Debug)]
pub struct App {
    pub view: View,
    pub mode: Mode,
    pub today: Date,
    pub window: Window,
    pub data: Option<Data>,
    /// The latest load request; older answers are dropped.
    pub generation: u64,
    pub error: Option<String>,
    pub lists: [ListState; 8],
    /// Teams: the team drilled into (its label), and the selection in its templates.
    pub drill: Option<String>,
    pub drill_selected: usize,
    /// The filter being typed (`/`), applied on Enter.
    pub input: String,
    /// The filter of a drill-down (its own, so Esc can leave the team list's filter alone).
    pub drill_filter: String,
    /// A one-line message for the status bar (cleared by the next key).
    pub status: Option<String>,
    /// Rows of the list seen at once, for PageUp/PageDown (set when the list is drawn).
    pub page: std::cell::Cell<usize>,
    /// Where Enter jumped from (view and drill-down), for Esc to go back to.
    pub back: Vec<(View, Option<String>)>,
    pub quit: bool,
}

/// One row of a view's list: the label filters match and jumps look for, the index into the
/// view's data, and the figures the sorts use (in `View::sorts` order; the last is the name).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub label: String,
    pub index: usize,
    pub keys: Vec<f64>,
    /// More words the filter matches (an anomaly's kind, dimension, date and driver).
    pub extra: String,
}

impl App {
    pub fn new(today: Date, month: Date) -> App {
        App {
            view: View::Overview,
            mode: Mode::Normal,
            today,
            window: Window::new(month, today),
            data: None,
            generation: 0,
            error: None,
            lists: Default::default(),
            drill: None,
            drill_selected: 0,
            input: String::new(),
            drill_filter: String::new(),
            status: None,
            page: std::cell::Cell::new(10),
            back: Vec::new(),
            quit: false,
        }
    }

    /// The first request the event loop makes.
    pub fn start(&mut self) -> Effect {
        self.generation += 1;
        Effect::Load(self.window)
    }

    pub fn list(&self) -> &ListState {
        &self.lists[self.view.index()]
    }

    fn list_mut(&mut self) -> &mut ListState {
        &mut self.lists[self.view.index()]
    }

    /// The filter of what is on screen: the drill-down's, or the view's list's.
    pub fn filter(&self) -> &str {
        if self.view == View::Teams && self.drill.is_some() {
            &self.drill_filter
        } else {
            &self.list().filter
        }
    }

    fn filter_mut(&mut self) -> &mut String {
        if self.view == View::Teams && self.drill.is_some() {
            &mut self.drill_filter
        } else {
            &mut self.lists[self.view.index()].filter
        }
    }

    /// Takes data from the loader; answers to an older request are ignored.
    pub fn receive(&mut self, msg: Loaded) {
        match msg {
            Loaded::Core {
                generation,
                core,
                empty_store,
                store_exists,
                store_path,
            } if generation == self.generation => {
                self.error = None;
                if self.status.as_deref() == Some(REFRESHING) {
                    self.status = None;
                }
                self.data = Some(Data {
                    core: *core,
                    analyses: None,
                    empty_store,
                    store_exists,
                    store_path,
                });
                self.clamp();
            }
            Loaded::Analyses { generation, analyses } if generation == self.generation => {
                if let Some(d) = &mut self.data {
                    d.analyses = Some(*analyses);
                }
                self.clamp();
            }
            Loaded::Failed { generation, message } if generation == self.generation => {
                self.error = Some(message);
            }
            _ => {}
        }
    }

    /// Whether the month's data is still being read.
    pub fn loading(&self) -> bool {
        self.error.is_none() && self.data.as_ref().is_none_or(|d| d.analyses.is_none())
    }

    /// The rows of a view's list, filtered and sorted as the view's state says.
    pub fn rows(&self, view: View) -> Vec<Row> {
        let Some(data) = &self.data else {
            return Vec::new();
        };
        let state = &self.lists[view.index()];
        let mut rows = if view == View::Teams && self.drill.is_some() {
            drill_rows(data, self.drill.as_deref().unwrap_or_default())
        } else {
            base_rows(data, view)
        };
        let filter = if view == View::Teams && self.drill.is_some() {
            &self.drill_filter
        } else {
            &state.filter
        };
        if !filter.is_empty() {
            let needle = filter.to_lowercase();
            rows.retain(|r| r.label.to_lowercase().contains(&needle) || r.extra.to_lowercase().contains(&needle));
        }
        let sorts = view.sorts();
        if state.sort > 0 && state.sort < sorts.len() {
            if sorts[state.sort] == "name" {
                rows.sort_by(|a, b| a.label.cmp(&b.label));
            } else if let Some(k) = Some(state.sort).filter(|k| rows.iter().all(|r| r.keys.len() > *k)) {
                rows.sort_by(|a, b| b.keys[k].total_cmp(&a.keys[k]).then(a.label.cmp(&b.label)));
            }
        }
        rows
    }

    /// The selected row of the current view, if any.
    pub fn selected_row(&self) -> Option<Row> {
        let rows = self.rows(self.view);
        let i = if self.view == View::Teams && self.drill.is_some() {
            self.drill_selected
        } else {
            self.list().selected
        };
        rows.get(i).cloned()
    }

    fn clamp(&mut self) {
        for v in View::ALL {
            let n = self.rows(v).len();
            let s = &mut self.lists[v.index()].selected;
            *s = (*s).min(n.saturating_sub(1));
        }
        let n = if self.drill.is_some() {
            self.rows(View::Teams).len()
        } else {
            0
        };
        self.drill_selected = self.drill_selected.min(n.saturating_sub(1));
    }

    fn move_by(&mut self, delta: isize) {
        let n = self.rows(self.view).len();
        if n == 0 {
            return;
        }
        let drilled = self.view == View::Teams && self.drill.is_some();
        let sel = if drilled {
            &mut self.drill_selected
        } else {
            &mut self.lists[self.view.index()].selected
        };
        let next = (*sel as isize + delta).clamp(0, n as isize - 1);
        *sel = next as usize;
    }

    fn select(&mut self, view: View, label: &str) -> bool {
        match self.rows(view).iter().position(|r| r.label == label) {
            Some(i) => {
                self.lists[view.index()].selected = i;
                true
            }
            None => false,
        }
    }

    /// Moves to `view` with the row named `label` selected (clearing a filter that hides it).
    fn jump(&mut self, view: View, label: &str) {
        self.view = view;
        if !self.select(view, label) {
            self.lists[view.index()].filter.clear();
            if !self.select(view, label) {
                self.status = Some(format!("{label} has no {} row this month", view.title().to_lowercase()));
            }
        }
    }

    fn change_month(&mut self, months: i64) -> Effect {
        let Ok(month) = self.window.month.checked_add(months.months()) else {
            return Effect::None;
        };
        if month > self.today.first_of_month() {
            self.status = Some(format!("{} is the current month", self.window.label()));
            return Effect::None;
        }
        self.window = Window::new(month, self.today);
        self.data = None;
        self.error = None;
        self.drill = None;
        self.generation += 1;
        Effect::Load(self.window)
    }
}

fn report_rows(
    report: &crate::report::Report,
    dim: Dim,
    keys: impl Fn(&crate::report::ReportRow) -> Vec<f64>,
) -> Vec<Row> {
    report
        .rows
        .iter()
        .enumerate()
        .map(|(index, r)| Row {
            label: r.label(dim),
            index,
            extra: String::new(),
            keys: keys(r),
        })
        .collect()
}

/// Nano-dollars per priced call (unpriced calls would pull it toward $0).
pub fn priced_per_call(r: &crate::report::ReportRow) -> f64 {
    let priced = r.sums.requests - r.sums.unpriced_requests;
    if priced > 0 {
        r.sums.cost_nanos as f64 / priced as f64
    } else {
        0.0
    }
}

/// The change from `before` to `now` as a fraction (`None` when there was nothing before).
pub fn delta(now: f64, before: f64) -> Option<f64> {
    (before > 0.0).then(|| (now - before) / before)
}

/// Spend of the previous period for a row label of a one-dimension report.
pub fn previous<'r>(report: &'r crate::report::Report, dim: Dim, label: &str) -> Option<&'r crate::report::ReportRow> {
    report.rows.iter().find(|r| r.label(dim) == label)
}

fn base_rows(data: &Data, view: View) -> Vec<Row> {
    let c = &data.core;
    match view {
        View::Overview => Vec::new(),
        View::Teams => report_rows(&c.teams, Dim::Team, |r| {
            let label = r.label(Dim::Team);
            let prev = previous(&c.prev_teams, Dim::Team, &label).map(|p| p.sums.cost_nanos as f64);
            let budget = c
                .budget
                .teams
                .iter()
                .find(|t| t.team.as_deref().unwrap_or("(unassigned)") == label)
                .and_then(|t| t.pct);
            vec![
                r.sums.cost_nanos as f64,
                prev.and_then(|p| delta(r.sums.cost_nanos as f64, p))
                    .unwrap_or(f64::MIN),
                budget.unwrap_or(-1.0),
                r.cache_hit_rate.unwrap_or(-1.0),
            ]
        }),
        View::Templates => report_rows(&c.templates, Dim::Template, |r| {
            let now = priced_per_call(r);
            let prev = previous(&c.prev_templates, Dim::Template, &r.label(Dim::Template)).map(priced_per_call);
            vec![
                r.sums.cost_nanos as f64,
                now,
                prev.and_then(|p| delta(now, p)).unwrap_or(f64::MIN),
                r.sums.requests as f64,
            ]
        }),
        View::Models => report_rows(&c.models, Dim::Model, |r| {
            vec![
                r.sums.cost_nanos as f64,
                r.sums.requests as f64,
                priced_per_call(r),
                r.cache_hit_rate.unwrap_or(-1.0),
            ]
        }),
        View::Cache => data
            .analyses
            .as_ref()
            .map(|a| {
                a.cache
                    .rows
                    .iter()
                    .enumerate()
                    .map(|(index, r)| Row {
                        label: r
                            .dims
                            .get("template")
                            .cloned()
                            .flatten()
                            .unwrap_or_else(|| "(none)".into()),
                        index,
                        extra: String::new(),
                        keys: vec![
                            r.net_savings_usd.map_or(f64::MIN, |v| v.to_f64()),
                            r.cache_hit_rate.unwrap_or(-1.0),
                            r.write_premium_usd.map_or(f64::MIN, |v| v.to_f64()),
                            r.requests as f64,
                        ],
                    })
                    .collect()
            })
            .unwrap_or_default(),
        View::Budgets => c
            .budget
            .teams
            .iter()
            .enumerate()
            .map(|(index, t)| Row {
                label: t.team.clone().unwrap_or_else(|| "(unassigned)".into()),
                index,
                extra: String::new(),
                keys: vec![
                    t.status as i32 as f64,
                    t.forecast_pct.unwrap_or(-1.0),
                    t.spent_usd.map_or(-1.0, |v| v.to_f64()),
                ],
            })
            .collect(),
        View::Commitments => data
            .analyses
            .as_ref()
            .map(|a| {
                a.showback
                    .commitments
                    .iter()
                    .enumerate()
                    .map(|(index, c)| Row {
                        label: c.name.clone(),
                        index,
                        extra: String::new(),
                        keys: vec![0.0, c.utilization_pct, c.idle_usd.to_f64()],
                    })
                    .collect()
            })
            .unwrap_or_default(),
        View::Anomalies => data
            .analyses
            .as_ref()
            .map(|a| {
                a.anomalies
                    .anomalies
                    .iter()
                    .enumerate()
                    .map(|(index, x)| Row {
                        label: x.key.clone().unwrap_or_else(|| {
                            if x.dimension == "team" {
                                "(unassigned)"
                            } else {
                                "(none)"
                            }
                            .into()
                        }),
                        index,
                        extra: format!(
                            "{} {} {} {}",
                            if x.kind == "spike" { "spike" } else { "change point" },
                            x.dimension,
                            x.date,
                            x.driver.replace('_', " ")
                        ),
                        keys: vec![
                            x.date.replace('-', "").parse().unwrap_or(0.0),
                            x.score,
                            x.monthly_impact_usd
                                .or(x.excess_usd)
                                .map(|u| u.abs().to_f64())
                                .unwrap_or(0.0),
                        ],
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// A team's templates (the drill-down list).
fn drill_rows(data: &Data, team: &str) -> Vec<Row> {
    data.core
        .team_templates
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.label(Dim::Team) == team)
        .map(|(index, r)| Row {
            label: r.label(Dim::Template),
            index,
            extra: String::new(),
            keys: vec![r.sums.cost_nanos as f64, 0.0, 0.0, r.cache_hit_rate.unwrap_or(-1.0)],
        })
        .collect()
}

/// Applies one action. Pure: the caller performs the returned effect.
pub fn update(app: &mut App, action: Action) -> Effect {
    app.status = None;
    match action {
        Action::Quit => {
            app.quit = true;
            return Effect::Quit;
        }
        Action::Help => {
            app.mode = if app.mode == Mode::Help {
                Mode::Normal
            } else {
                Mode::Help
            };
        }
        Action::Show(v) => {
            app.view = v;
            app.mode = Mode::Normal;
            app.back.clear();
        }
        Action::NextView | Action::PrevView => {
            app.back.clear();
            let step = if action == Action::NextView {
                1
            } else {
                View::ALL.len() - 1
            };
            app.view = View::ALL[(app.view.index() + step) % View::ALL.len()];
        }
        Action::Down => app.move_by(1),
        Action::Up => app.move_by(-1),
        Action::PageDown => app.move_by(app.page.get().max(1) as isize),
        Action::PageUp => app.move_by(-(app.page.get().max(1) as isize)),
        Action::Top => app.move_by(isize::MIN / 2),
        Action::Bottom => app.move_by(isize::MAX / 2),
        Action::Enter => enter(app),
        Action::Back => {
            if app.mode == Mode::Help {
                app.mode = Mode::Normal;
            } else if !app.filter().is_empty() {
                app.filter_mut().clear();
            } else if let Some((view, drill)) = app.back.pop() {
                // Back to where Enter came from, as it was.
                let left = app.drill.take();
                app.view = view;
                app.drill = drill;
                if view == View::Teams && app.drill.is_none() {
                    if let Some(team) = left {
                        app.select(View::Teams, &team);
                    }
                }
            } else if app.view == View::Teams && app.drill.is_some() {
                let team = app.drill.take().unwrap_or_default();
                app.select(View::Teams, &team);
            }
        }
        Action::StartFilter => {
            if app.view == View::Overview {
                app.status = Some("the overview has no list to filter".into());
            } else {
                app.mode = Mode::Filter;
                app.input = app.filter().to_string();
            }
        }
        Action::FilterChar(c) => {
            app.input.push(c);
            let text = app.input.clone();
            *app.filter_mut() = text;
            app.list_mut().selected = 0;
            app.drill_selected = 0;
        }
        Action::FilterBackspace => {
            app.input.pop();
            let text = app.input.clone();
            *app.filter_mut() = text;
        }
        Action::FilterApply => app.mode = Mode::Normal,
        Action::FilterCancel => {
            app.mode = Mode::Normal;
            app.input.clear();
            app.filter_mut().clear();
        }
        Action::Sort => {
            let n = app.view.sorts().len();
            if n > 0 {
                let s = &mut app.list_mut().sort;
                *s = (*s + 1) % n;
                app.list_mut().selected = 0;
                app.drill_selected = 0;
                app.status = Some(format!("sorted by {}", app.view.sorts()[app.list().sort]));
            }
        }
        Action::PrevPeriod => return app.change_month(-1),
        Action::NextPeriod => return app.change_month(1),
        Action::Refresh => {
            app.generation += 1;
            app.status = Some(REFRESHING.into());
            return Effect::Load(app.window);
        }
    }
    app.clamp();
    Effect::None
}

/// Enter: drill into a team, open a drilled template, or follow an anomaly to its source.
fn enter(app: &mut App) {
    let Some(row) = app.selected_row() else {
        return;
    };
    let from = (app.view, app.drill.clone());
    match app.view {
        View::Teams if app.drill.is_none() => {
            app.drill = Some(row.label);
            app.drill_selected = 0;
            app.drill_filter.clear();
        }
        View::Teams => app.jump(View::Templates, &row.label),
        View::Budgets => {
            app.view = View::Teams;
            app.drill = Some(row.label);
            app.drill_selected = 0;
            app.drill_filter.clear();
        }
        View::Cache => app.jump(View::Templates, &row.label),
        View::Anomalies => {
            let dimension = app
                .data
                .as_ref()
                .and_then(|d| d.analyses.as_ref())
                .and_then(|a| a.anomalies.anomalies.get(row.index))
                .map(|a| a.dimension);
            match dimension {
                Some("team") => {
                    app.view = View::Teams;
                    app.drill = Some(row.label);
                    app.drill_selected = 0;
                    app.drill_filter.clear();
                }
                Some("model") => app.jump(View::Models, &row.label),
                _ => app.jump(View::Templates, &row.label),
            }
        }
        _ => {}
    }
    if (app.view, &app.drill) != (from.0, &from.1) {
        // A jump out of a drill-down clears it; Esc restores both.
        if app.view != View::Teams {
            app.drill = None;
        }
        app.back.push(from);
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::analysis::anomalies::{Anomalies, Anomaly};
    use crate::report::{Report, ReportRow};
    use crate::store::query::Sums;
    use std::collections::BTreeMap;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    /// A report grouped by `dims` with rows of (values, dollars, requests).
    fn report(dims: &[Dim], rows: &[(&[&str], i64, i64)]) -> Report {
        let mut total = Sums::default();
        let rows = rows
            .iter()
            .map(|(values, usd, requests)| {
                let s = Sums {
                    records: *requests,
                    requests: *requests,
                    cost_nanos: usd * 1_000_000_000,
                    ..Sums::default()
                };
                total.add(&s);
                let keys = dims
                    .iter()
                    .zip(values.iter())
                    .map(|(d, v)| (d.name().to_string(), (!v.is_empty()).then(|| v.to_string())))
                    .collect();
                ReportRow::new(keys, s)
            })
            .collect();
        Report {
            schema: "cost.report/v1",
            currency: "USD",
            since: "2026-10-01".into(),
            until: "2026-10-20".into(),
            group_by: dims.to_vec(),
            rows,
            totals: ReportRow::new(BTreeMap::new(), total),
            api_equivalent_only: false,
            compare_reported: false,
            empty_store: false,
        }
    }

    fn anomaly(kind: &'static str, dimension: &'static str, key: &str, date: &str, score: f64) -> Anomaly {
        Anomaly {
            kind,
            dimension,
            key: Some(key.to_string()),
            date: date.into(),
            metric: "cost_usd",
            before: 1.0,
            after: 2.0,
            score,
            monthly_impact_usd: None,
            excess_usd: None,
            driver: "volume",
        }
    }

    /// October 2026 to the 20th: support $300, growth $100, search $40 (search had nothing in
    /// September, support and growth $200 and $100).
    /// A loaded App (also used by the drawing tests in `tui`).
    pub(crate) fn app() -> App {
        let mut app = App::new(d("2026-10-20"), d("2026-10-01"));
        let effect = app.start();
        assert_eq!(effect, Effect::Load(Window::new(d("2026-10-01"), d("2026-10-20"))));
        let t = Dim::Team;
        let tt = [Dim::Team, Dim::Template];
        let core = Core {
            window: app.window,
            teams: report(
                &[t],
                &[(&["support"], 300, 30), (&["growth"], 100, 50), (&["search"], 40, 4)],
            ),
            prev_teams: report(&[t], &[(&["support"], 200, 20), (&["growth"], 100, 10)]),
            templates: report(
                &[Dim::Template],
                &[
                    (&["support/answer"], 250, 25),
                    (&["growth/welcome"], 100, 50),
                    (&["support/triage"], 50, 5),
                    (&["search/rank"], 40, 4),
                ],
            ),
            prev_templates: report(&[Dim::Template], &[]),
            models: report(&[Dim::Model], &[(&["gpt-4o"], 440, 84)]),
            daily: report(&[Dim::Day], &[]),
            team_templates: report(
                &tt,
                &[
                    (&["support", "support/answer"], 250, 25),
                    (&["growth", "growth/welcome"], 100, 50),
                    (&["support", "support/triage"], 50, 5),
                    (&["search", "search/rank"], 40, 4),
                ],
            ),
            team_models: report(&[t, Dim::Model], &[]),
            template_days: report(&[Dim::Template, Dim::Day], &[]),
            template_models: report(&[Dim::Template, Dim::Model], &[]),
            budget: crate::analysis::budget::Budget {
                schema: "cost.budget/v1",
                month: "2026-10".into(),
                as_of: "2026-10-20T23:59:59Z".into(),
                teams: vec![crate::analysis::budget::TeamBudget {
                    team: Some("growth".into()),
                    budget_usd: crate::money::Usd::parse("100"),
                    spent_usd: crate::money::Usd::parse("100"),
                    pct: Some(100.0),
                    forecast_usd: crate::money::Usd::parse("155"),
                    forecast_pct: Some(155.0),
                    soft_pct: Some(80.0),
                    hard_pct: Some(100.0),
                    status: crate::analysis::budget::Status::Hard,
                    soft_crossed_on: Some("2026-10-16".into()),
                    hard_crossed_on: Some("2026-10-20".into()),
                    suggested_budget_usd: None,
                    method: String::new(),
                    unpriced_requests: 0,
                }],
                empty_store: false,
            },
            store_days: Some(("2026-09-01".into(), "2026-10-20".into())),
            store_requests: 0,
        };
        app.receive(Loaded::Core {
            generation: app.generation,
            core: Box::new(core),
            empty_store: false,
            store_exists: true,
            store_path: "/tmp/s.db".into(),
        });
        assert!(app.loading(), "the analyses are still on their way");
        app.receive(Loaded::Analyses {
            generation: app.generation,
            analyses: Box::new(Analyses {
                cache: crate::analysis::cache::CacheReport {
                    schema: "cost.cache/v1",
                    since: "2026-10-01".into(),
                    until: "2026-10-20".into(),
                    group_by: vec![Dim::Template],
                    rows: Vec::new(),
                    totals: crate::analysis::cache::Acc::default().row(BTreeMap::new()),
                    opportunities: Vec::new(),
                    opportunities_note: None,
                },
                anomalies: Anomalies {
                    schema: "cost.anomalies/v1",
                    since: "2026-10-01".into(),
                    until: "2026-10-20".into(),
                    threshold: 4.0,
                    min_usd: 1.0,
                    anomalies: vec![
                        anomaly("spike", "team", "search", "2026-10-18", 9.0),
                        anomaly("change_point", "template", "support/triage", "2026-10-12", 5.0),
                        anomaly("spike", "model", "gpt-4o", "2026-10-03", 12.0),
                    ],
                    unpriced_requests: 0,
                },
                showback: crate::analysis::showback::Showback {
                    schema: "cost.showback/v1",
                    since: "2026-10-01".into(),
                    until: "2026-10-20".into(),
                    commitments: vec![crate::analysis::showback::CommitmentUse {
                        name: "reserved".into(),
                        model: "gpt-4o".into(),
                        committed_usd: crate::money::Usd::parse("645.16").unwrap(),
                        consumed_list_usd: crate::money::Usd::parse("440").unwrap(),
                        utilization_pct: 68.2,
                        idle_usd: crate::money::Usd::parse("205.16").unwrap(),
                        break_even_pct: 100.0,
                        saving_vs_paygo_usd: crate::money::Usd::parse("-205.16").unwrap(),
                        requests: 84,
                        unpriced_requests: 0,
                        overage_usd: crate::money::Usd::ZERO,
                        teams_listed: Vec::new(),
                        teams: vec![crate::analysis::showback::TeamShare {
                            team: Some("support".into()),
                            consumed_list_usd: crate::money::Usd::parse("300").unwrap(),
                            share_pct: 68.18,
                            allocated_usd: crate::money::Usd::parse("300").unwrap(),
                        }],
                    }],
                },
            }),
        });
        assert!(!app.loading());
        app
    }

    fn labels(app: &App) -> Vec<String> {
        app.rows(app.view).into_iter().map(|r| r.label).collect()
    }

    #[test]
    fn views_switch_by_number_and_tab_and_wrap() {
        let mut app = app();
        assert_eq!(app.view, View::Overview);
        update(&mut app, Action::Show(View::Budgets));
        assert_eq!(app.view, View::Budgets);
        update(&mut app, Action::NextView);
        assert_eq!(app.view, View::Commitments);
        update(&mut app, Action::NextView);
        update(&mut app, Action::NextView);
        assert_eq!(app.view, View::Overview, "Tab wraps after Anomalies");
        update(&mut app, Action::PrevView);
        assert_eq!(app.view, View::Anomalies, "Shift-Tab wraps backwards");
    }

    #[test]
    fn moving_stays_inside_the_list() {
        let mut app = app();
        update(&mut app, Action::Show(View::Teams));
        assert_eq!(
            labels(&app),
            ["support", "growth", "search"],
            "by spend, as `cost report`"
        );
        update(&mut app, Action::Up);
        assert_eq!(app.list().selected, 0);
        for _ in 0..5 {
            update(&mut app, Action::Down);
        }
        assert_eq!(app.list().selected, 2, "stops at the last row");
        update(&mut app, Action::Top);
        assert_eq!(app.list().selected, 0);
        update(&mut app, Action::Bottom);
        assert_eq!(app.selected_row().unwrap().label, "search");
        // Each view keeps its own selection.
        update(&mut app, Action::Show(View::Templates));
        assert_eq!(app.list().selected, 0);
        update(&mut app, Action::Show(View::Teams));
        assert_eq!(app.list().selected, 2);
    }

    #[test]
    fn enter_drills_into_a_team_and_esc_comes_back() {
        let mut app = app();
        update(&mut app, Action::Show(View::Teams));
        update(&mut app, Action::Enter);
        assert_eq!(app.drill.as_deref(), Some("support"));
        assert_eq!(
            labels(&app),
            ["support/answer", "support/triage"],
            "only support's templates"
        );
        update(&mut app, Action::Down);
        assert_eq!(app.drill_selected, 1);
        update(&mut app, Action::Back);
        assert_eq!(app.drill, None);
        assert_eq!(app.view, View::Teams);
        assert_eq!(
            app.selected_row().unwrap().label,
            "support",
            "back on the team drilled into"
        );
        // Enter on a drilled template opens it in Templates.
        update(&mut app, Action::Down);
        update(&mut app, Action::Enter);
        assert_eq!(app.drill.as_deref(), Some("growth"));
        update(&mut app, Action::Enter);
        assert_eq!(app.view, View::Templates);
        assert_eq!(app.selected_row().unwrap().label, "growth/welcome");
        // Esc retraces the path: the drill-down, then the team list.
        update(&mut app, Action::Back);
        assert_eq!((app.view, app.drill.as_deref()), (View::Teams, Some("growth")));
        update(&mut app, Action::Back);
        assert_eq!((app.view, app.drill.as_deref()), (View::Teams, None));
        assert_eq!(app.selected_row().unwrap().label, "growth");
        // Budgets → Enter opens the team; Esc returns to Budgets.
        update(&mut app, Action::Show(View::Budgets));
        update(&mut app, Action::Enter);
        assert_eq!((app.view, app.drill.as_deref()), (View::Teams, Some("growth")));
        update(&mut app, Action::Back);
        assert_eq!((app.view, app.drill.as_deref()), (View::Budgets, None));
    }

    #[test]
    fn a_filter_narrows_the_list_and_esc_clears_it() {
        let mut app = app();
        update(&mut app, Action::Show(View::Templates));
        update(&mut app, Action::StartFilter);
        assert_eq!(app.mode, Mode::Filter);
        for c in "SUPP".chars() {
            update(&mut app, Action::FilterChar(c));
        }
        assert_eq!(
            labels(&app),
            ["support/answer", "support/triage"],
            "case-insensitive, as typed"
        );
        update(&mut app, Action::FilterBackspace);
        assert_eq!(app.list().filter, "SUP");
        update(&mut app, Action::FilterApply);
        assert_eq!(app.mode, Mode::Normal);
        assert_eq!(labels(&app).len(), 2, "Enter keeps the filter");
        update(&mut app, Action::Down);
        assert_eq!(app.selected_row().unwrap().label, "support/triage");
        update(&mut app, Action::Back);
        assert_eq!(app.list().filter, "");
        assert_eq!(labels(&app).len(), 4);
        // A kept filter survives a drill-down and the way back.
        update(&mut app, Action::Show(View::Teams));
        update(&mut app, Action::StartFilter);
        for c in "gro".chars() {
            update(&mut app, Action::FilterChar(c));
        }
        update(&mut app, Action::FilterApply);
        update(&mut app, Action::Enter);
        assert_eq!(app.drill.as_deref(), Some("growth"));
        assert_eq!(app.filter(), "", "the drill-down starts unfiltered");
        update(&mut app, Action::Back);
        assert_eq!(
            (app.drill.as_deref(), app.filter()),
            (None, "gro"),
            "back to the filtered list"
        );
        update(&mut app, Action::Back);
        assert_eq!(app.filter(), "");
        update(&mut app, Action::Show(View::Templates));
        // Esc while typing drops the filter.
        update(&mut app, Action::StartFilter);
        update(&mut app, Action::FilterChar('x'));
        assert!(labels(&app).is_empty());
        update(&mut app, Action::FilterCancel);
        assert_eq!(labels(&app).len(), 4);
        // The overview has no list.
        update(&mut app, Action::Show(View::Overview));
        update(&mut app, Action::StartFilter);
        assert_eq!(app.mode, Mode::Normal);
    }

    #[test]
    fn sort_cycles_through_the_orders() {
        let mut app = app();
        update(&mut app, Action::Show(View::Teams));
        update(&mut app, Action::Down); // growth
        // Δ vs previous: search is new (no September) and sorts last; support +50%, growth 0%.
        update(&mut app, Action::Sort);
        assert_eq!(app.status.as_deref(), Some("sorted by Δ vs previous"));
        assert_eq!(labels(&app), ["support", "growth", "search"]);
        assert_eq!(app.list().selected, 0, "a new order starts at its top");
        // Budget %: growth has one (100%), the others none.
        update(&mut app, Action::Sort);
        assert_eq!(labels(&app)[0], "growth");
        update(&mut app, Action::Sort); // cache hit
        update(&mut app, Action::Sort); // name
        assert_eq!(labels(&app), ["growth", "search", "support"]);
        update(&mut app, Action::Sort);
        assert_eq!(labels(&app), ["support", "growth", "search"], "back to spend");
        // Templates by cost per call: support/triage $10, support/answer $10, search/rank $10,
        // growth/welcome $2.
        update(&mut app, Action::Show(View::Templates));
        update(&mut app, Action::Sort);
        assert_eq!(labels(&app).last().unwrap(), "growth/welcome");
    }

    #[test]
    fn anomalies_open_their_team_template_or_model() {
        let mut app = app();
        update(&mut app, Action::Show(View::Anomalies));
        assert_eq!(labels(&app), ["search", "support/triage", "gpt-4o"]);
        update(&mut app, Action::Enter);
        assert_eq!((app.view, app.drill.as_deref()), (View::Teams, Some("search")));
        update(&mut app, Action::Back);
        assert_eq!(
            (app.view, app.drill.as_deref()),
            (View::Anomalies, None),
            "Esc goes back"
        );
        update(&mut app, Action::Down);
        update(&mut app, Action::Enter);
        assert_eq!(app.view, View::Templates);
        assert_eq!(app.selected_row().unwrap().label, "support/triage");
        update(&mut app, Action::Show(View::Anomalies));
        update(&mut app, Action::Bottom);
        update(&mut app, Action::Enter);
        assert_eq!(app.view, View::Models);
        assert_eq!(app.selected_row().unwrap().label, "gpt-4o");
        // The filter also matches an anomaly's kind.
        update(&mut app, Action::Show(View::Anomalies));
        update(&mut app, Action::StartFilter);
        for c in "change".chars() {
            update(&mut app, Action::FilterChar(c));
        }
        update(&mut app, Action::FilterApply);
        assert_eq!(labels(&app), ["support/triage"]);
        update(&mut app, Action::Back);
        // Sorted by score, the model spike (12) comes first.
        update(&mut app, Action::Show(View::Anomalies));
        update(&mut app, Action::Sort);
        assert_eq!(labels(&app)[0], "gpt-4o");
    }

    #[test]
    fn months_change_with_brackets_and_stale_answers_are_dropped() {
        let mut app = app();
        let old = app.generation;
        let effect = update(&mut app, Action::PrevPeriod);
        assert_eq!(effect, Effect::Load(Window::new(d("2026-09-01"), d("2026-10-20"))));
        assert_eq!(app.window.until, d("2026-09-30"), "a past month is whole");
        assert!(app.data.is_none() && app.loading());
        assert_eq!(app.generation, old + 1);
        // The answer to the October request arrives late: ignored.
        app.receive(Loaded::Failed {
            generation: old,
            message: "late".into(),
        });
        assert_eq!(app.error, None);
        // Forward to October, and no further: November has not started.
        assert!(matches!(update(&mut app, Action::NextPeriod), Effect::Load(w) if w.month == d("2026-10-01")));
        assert_eq!(update(&mut app, Action::NextPeriod), Effect::None);
        assert_eq!(app.status.as_deref(), Some("2026-10 is the current month"));
        assert!(matches!(update(&mut app, Action::Refresh), Effect::Load(w) if w.month == d("2026-10-01")));
    }

    #[test]
    fn help_opens_and_closes_and_quit_quits() {
        let mut app = app();
        update(&mut app, Action::Help);
        assert_eq!(app.mode, Mode::Help);
        update(&mut app, Action::Back);
        assert_eq!(app.mode, Mode::Normal);
        assert_eq!(update(&mut app, Action::Quit), Effect::Quit);
        assert!(app.quit);
    }

    #[test]
    fn the_previous_period_is_the_same_days_of_the_month_before() {
        let w = Window::new(d("2026-10-01"), d("2026-10-20"));
        assert_eq!(w.previous().since, d("2026-09-01"));
        assert_eq!(w.previous().until, d("2026-09-20"));
        // March 31 to date → February, cut at its last day; a whole month → the whole month before.
        let w = Window::new(d("2026-03-01"), d("2026-03-31"));
        assert_eq!(w.previous().until, d("2026-02-28"));
        let w = Window::new(d("2026-03-01"), d("2026-05-02"));
        assert_eq!((w.until, w.previous().until), (d("2026-03-31"), d("2026-02-28")));
    }
}
