//! The one function that changes the dashboard's state.

use super::state::REFRESHING;
use super::{Action, App, Effect, Mode, View};
use crate::store::query::Dim;

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
                Some(Dim::Team) => {
                    app.view = View::Teams;
                    app.drill = Some(row.label);
                    app.drill_selected = 0;
                    app.drill_filter.clear();
                }
                Some(Dim::Model) => app.jump(View::Models, &row.label),
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
