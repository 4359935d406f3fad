//! The dashboard's state: the view on screen, each view's list state, the month and its data.

use super::rows::{Row, base_rows, call_rows, drill_rows};
use super::{Drill, Effect, Mode, View};
use crate::store::runs::SessionCall;
use crate::tui::data::{Analyses, Core, Data, Window};
use jiff::ToSpan;
use jiff::civil::Date;

pub(super) const REFRESHING: &str = "refreshing…";

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
    /// One run's calls in a month (or why they could not be read). Taken while that run of
    /// that month is open, whatever was re-read meanwhile.
    Run {
        window: Window,
        session: String,
        calls: Result<Vec<SessionCall>, String>,
    },
}

/// The run opened with Enter in the Runs view: its calls, once read.
#[derive(Debug, Clone, PartialEq)]
pub struct RunDetail {
    pub session: String,
    /// `None` while they are read.
    pub calls: Option<Result<Vec<SessionCall>, String>>,
    /// The selected call.
    pub selected: usize,
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
    pub lists: [ListState; 9],
    /// Teams: the drill-down into a team (its own selection and filter, so Esc can leave the
    /// team list's alone).
    pub drill: Option<Drill>,
    /// Runs: the run opened with Enter.
    pub run: Option<RunDetail>,
    /// Cache: by team instead of by template (`d`).
    pub cache_by_team: bool,
    /// The filter being typed (`/`), applied on Enter.
    pub input: String,
    /// A one-line message for the status bar (cleared by the next key).
    pub status: Option<String>,
    /// Rows of the list seen at once, for PageUp/PageDown (set when the list is drawn).
    pub page: std::cell::Cell<usize>,
    /// Where Enter jumped from (view and drill-down), for Esc to go back to.
    pub back: Vec<(View, Option<Drill>)>,
    pub quit: bool,
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
            run: None,
            cache_by_team: false,
            input: String::new(),
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

    pub(super) fn list_mut(&mut self) -> &mut ListState {
        &mut self.lists[self.view.index()]
    }

    /// Whether a team's drill-down is on screen.
    pub fn drilled(&self) -> bool {
        self.view == View::Teams && self.drill.is_some()
    }

    /// Whether a run's calls are on screen.
    pub fn in_run(&self) -> bool {
        self.view == View::Runs && self.run.is_some()
    }

    /// The filter of what is on screen: the drill-down's, or the view's list's.
    pub fn filter(&self) -> &str {
        match &self.drill {
            Some(d) if self.view == View::Teams => &d.filter,
            _ => &self.list().filter,
        }
    }

    pub(super) fn filter_mut(&mut self) -> &mut String {
        match &mut self.drill {
            Some(d) if self.view == View::Teams => &mut d.filter,
            _ => &mut self.lists[self.view.index()].filter,
        }
    }

    /// The selection of what is on screen: a drill-down's, a run's calls', or the list's.
    pub fn selected(&self) -> usize {
        match (&self.drill, &self.run) {
            (Some(d), _) if self.view == View::Teams => d.selected,
            (_, Some(r)) if self.view == View::Runs => r.selected,
            _ => self.list().selected,
        }
    }

    pub(super) fn selected_mut(&mut self) -> &mut usize {
        match (&mut self.drill, &mut self.run) {
            (Some(d), _) if self.view == View::Teams => &mut d.selected,
            (_, Some(r)) if self.view == View::Runs => &mut r.selected,
            _ => &mut self.lists[self.view.index()].selected,
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
            Loaded::Run { window, session, calls } if window == self.window => {
                if let Some(r) = &mut self.run
                    && r.session == session
                {
                    r.calls = Some(calls);
                }
            }
            _ => {}
        }
    }

    /// Whether the month's data is still being read.
    pub fn loading(&self) -> bool {
        self.error.is_none()
            && (self.data.as_ref().is_none_or(|d| d.analyses.is_none())
                || self.run.as_ref().is_some_and(|r| r.calls.is_none()))
    }

    /// The rows of a view as on screen: a team's drill-down, a run's calls, or the view's
    /// list, filtered and sorted as the view's state says.
    pub fn rows(&self, view: View) -> Vec<Row> {
        let Some(data) = &self.data else {
            return Vec::new();
        };
        match (view, &self.drill, &self.run) {
            (View::Teams, Some(d), _) => self.arrange(view, drill_rows(data, d), &d.filter),
            // A run's calls stay in time order, unfiltered.
            (View::Runs, _, Some(r)) => call_rows(r),
            _ => self.list_rows(view),
        }
    }

    /// The rows of a view's own list (under any drill-down), filtered and sorted.
    pub fn list_rows(&self, view: View) -> Vec<Row> {
        let Some(data) = &self.data else {
            return Vec::new();
        };
        let rows = base_rows(data, view, self.cache_by_team);
        self.arrange(view, rows, &self.lists[view.index()].filter)
    }

    fn arrange(&self, view: View, mut rows: Vec<Row>, filter: &str) -> Vec<Row> {
        if !filter.is_empty() {
            let needle = filter.to_lowercase();
            rows.retain(|r| r.label.to_lowercase().contains(&needle) || r.extra.to_lowercase().contains(&needle));
        }
        let sorts = view.sorts();
        let sort = self.lists[view.index()].sort;
        if sort > 0 && sort < sorts.len() {
            if sorts[sort] == "name" {
                rows.sort_by(|a, b| a.label.cmp(&b.label));
            } else if rows.iter().all(|r| r.keys.len() > sort) {
                rows.sort_by(|a, b| b.keys[sort].total_cmp(&a.keys[sort]).then(a.label.cmp(&b.label)));
            }
        }
        rows
    }

    /// The selected row of the current view, if any.
    pub fn selected_row(&self) -> Option<Row> {
        self.rows(self.view).get(self.selected()).cloned()
    }

    pub(super) fn clamp(&mut self) {
        for v in View::ALL {
            let n = self.list_rows(v).len();
            let s = &mut self.lists[v.index()].selected;
            *s = (*s).min(n.saturating_sub(1));
        }
        let n = match (&self.data, &self.drill) {
            (Some(data), Some(d)) => self.arrange(View::Teams, drill_rows(data, d), &d.filter).len(),
            _ => 0,
        };
        if let Some(d) = &mut self.drill {
            d.selected = d.selected.min(n.saturating_sub(1));
        }
        if let Some(r) = &mut self.run {
            let n = r.calls.as_ref().and_then(|c| c.as_ref().ok()).map_or(0, |c| c.len());
            r.selected = r.selected.min(n.saturating_sub(1));
        }
    }

    pub(super) fn move_by(&mut self, delta: isize) {
        let n = self.rows(self.view).len();
        if n == 0 {
            return;
        }
        let sel = self.selected_mut();
        let next = (*sel as isize + delta).clamp(0, n as isize - 1);
        *sel = next as usize;
    }

    pub(super) fn select(&mut self, view: View, label: &str) -> bool {
        match self.list_rows(view).iter().position(|r| r.label == label) {
            Some(i) => {
                self.lists[view.index()].selected = i;
                true
            }
            None => false,
        }
    }

    /// Moves to `view` with the row named `label` selected (clearing a filter that hides it).
    pub(super) fn jump(&mut self, view: View, label: &str) {
        self.view = view;
        if !self.select(view, label) {
            self.lists[view.index()].filter.clear();
            if !self.select(view, label) {
                self.status = Some(format!("{label} has no {} row this month", view.title().to_lowercase()));
            }
        }
    }

    pub(super) fn change_month(&mut self, months: i64) -> Effect {
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
        self.run = None;
        self.generation += 1;
        Effect::Load(self.window)
    }
}
