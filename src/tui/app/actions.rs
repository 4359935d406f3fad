//! What a key can ask for, and what the event loop must do after an update.

use super::View;
use crate::tui::data::Window;

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
    /// The next dimension a list breaks spend down by (a drill-down's, the Cache view's).
    NextDim,
    /// Open the selected template or model (or a run's template) in its own view.
    Open,
    FilterChar(char),
    FilterBackspace,
    FilterApply,
    FilterCancel,
}

/// What the event loop does after an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    None,
    /// Read this month from the store (again).
    Load(Window),
    /// Read one run's calls in this month.
    LoadRun(Window, String),
    Quit,
}
