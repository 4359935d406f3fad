//! The dashboard's state and the one function that changes it. `update` is pure: it takes an
//! [`Action`] (from the keymap) and returns what the event loop must do next ([`Effect`]);
//! loaded data arrives through [`App::receive`]. Nothing here draws or touches the store.
//!
//! - [`state`]: [`App`], one [`ListState`] per view, and what the loader sends ([`Loaded`]);
//! - [`actions`]: what a key can ask for ([`Action`]) and what the event loop does next
//!   ([`Effect`]);
//! - [`rows`]: each view's list as [`Row`]s (the labels filters match, the figures sorts use);
//! - [`drill`]: a team's drill-down ([`Drill`]): the values drilled into and the dimension
//!   its list breaks them down by;
//! - [`update`](mod@update): the one function that changes the state.

pub mod actions;
pub mod drill;
pub mod rows;
pub mod state;
pub mod update;

#[cfg(test)]
pub(crate) mod tests;

pub use actions::{Action, Effect};
pub use drill::Drill;
pub use rows::{Row, cost_per_run, delta, has_runs, previous, priced_per_call, runs_places};
pub use state::{App, ListState, Loaded, RunDetail};
pub use update::update;

/// The nine views, in key order (`1`…`9`).
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
    Runs,
}

impl View {
    pub const ALL: [View; 9] = [
        View::Overview,
        View::Teams,
        View::Templates,
        View::Models,
        View::Cache,
        View::Budgets,
        View::Commitments,
        View::Anomalies,
        View::Runs,
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
            View::Runs => "Runs",
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
            View::Runs => "runs",
        }
    }

    pub fn parse(s: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.name() == s.to_ascii_lowercase())
    }

    /// The orders `s` cycles through; the first is the default.
    pub fn sorts(self) -> &'static [&'static str] {
        match self {
            View::Overview => &[],
            View::Teams => &["spend", "Δ vs previous", "budget %", "cache hit", "cost/run", "name"],
            View::Templates => &["spend", "cost/call", "Δ cost/call", "requests", "cost/run", "name"],
            View::Models => &["spend", "requests", "cost/call", "cache hit", "name"],
            View::Cache => &["net savings", "hit rate", "write premium", "requests", "name"],
            View::Budgets => &["status", "forecast %", "spent", "name"],
            View::Commitments => &["as configured", "utilisation", "idle", "name"],
            View::Anomalies => &["newest", "score", "impact", "name"],
            View::Runs => &["cost", "calls", "duration", "context growth", "newest", "name"],
        }
    }
}

/// Which keys are live: the normal keymap, typing a filter, or the help overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Filter,
    Help,
}
