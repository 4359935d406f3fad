//! The dashboard's state: the view on screen, each view's list state, the month and its data.

use super::rows::{Row, base_rows, drill_rows};
use super::{Effect, Mode, View};
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

    pub(super) fn list_mut(&mut self) -> &mut ListState {
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

    pub(super) fn filter_mut(&mut self) -> &mut String {
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

    pub(super) fn clamp(&mut self) {
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

    pub(super) fn move_by(&mut self, delta: isize) {
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

    pub(super) fn select(&mut self, view: View, label: &str) -> bool {
        match self.rows(view).iter().position(|r| r.label == label) {
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
        self.generation += 1;
        Effect::Load(self.window)
    }
}
