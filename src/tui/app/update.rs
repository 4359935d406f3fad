//! The one function that changes the dashboard's state.

use super::state::REFRESHING;
use super::{Action, App, Drill, Effect, Mode, RunDetail, View};
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
        Action::Enter => {
            let effect = enter(app);
            app.clamp();
            return effect;
        }
        Action::Back => back(app),
        Action::StartFilter => {
            if app.view == View::Overview {
                app.status = Some("the overview has no list to filter".into());
            } else if app.in_run() {
                app.status = Some("a run's calls are in time order: Esc goes back to the runs".into());
            } else {
                app.mode = Mode::Filter;
                app.input = app.filter().to_string();
            }
        }
        Action::FilterChar(c) => {
            app.input.push(c);
            let text = app.input.clone();
            *app.filter_mut() = text;
            *app.selected_mut() = 0;
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
            if app.in_run() {
                app.status = Some("a run's calls are in time order".into());
            } else if n > 0 {
                let s = &mut app.list_mut().sort;
                *s = (*s + 1) % n;
                *app.selected_mut() = 0;
                app.status = Some(format!("sorted by {}", app.view.sorts()[app.list().sort]));
            }
        }
        Action::NextDim => next_dim(app),
        Action::Open => open(app),
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

/// Esc: close the help, clear the filter, close a run, go back to where Enter came from, or
/// one level up a drill-down.
fn back(app: &mut App) {
    if app.mode == Mode::Help {
        app.mode = Mode::Normal;
    } else if !app.filter().is_empty() {
        app.filter_mut().clear();
    } else if app.in_run() {
        let session = app.run.take().map(|r| r.session).unwrap_or_default();
        app.select(View::Runs, &session);
    } else if let Some((view, drill)) = app.back.pop() {
        // Back to where Enter came from, as it was.
        let left = app.drill.take();
        app.view = view;
        app.drill = drill;
        if view == View::Teams && app.drill.is_none() {
            if let Some(d) = left {
                app.select(View::Teams, d.team_name());
            }
        }
    } else if app.drilled() {
        let up = app.drill.as_ref().and_then(|d| d.up());
        match up {
            Some((drill, label)) => {
                app.drill = Some(drill);
                if let Some(i) = app.rows(View::Teams).iter().position(|r| r.label == label) {
                    *app.selected_mut() = i;
                }
            }
            None => {
                let team = app.drill.take().map(|d| d.team_name().to_string()).unwrap_or_default();
                app.select(View::Teams, &team);
            }
        }
    }
}

/// Enter: drill into a team (and deeper), open a run, or follow an anomaly, a budget or a
/// cache row to its source.
fn enter(app: &mut App) -> Effect {
    let Some(row) = app.selected_row() else {
        return Effect::None;
    };
    let from = (app.view, app.drill.clone());
    match app.view {
        View::Teams => match &app.drill {
            None => app.drill = Some(Drill::team(row.label)),
            Some(d) => match app.data.as_ref().and_then(|data| d.deeper(data, &row.label)) {
                Some(deeper) => app.drill = Some(deeper),
                // Nothing left to break it down by: the template or model in its own view.
                None if matches!(d.by, Dim::Template | Dim::Model) => {
                    open(app);
                    return Effect::None;
                }
                None => app.status = Some(format!("nothing left to break {} down by", row.label)),
            },
        },
        View::Budgets => {
            app.view = View::Teams;
            app.drill = Some(Drill::team(row.label));
        }
        View::Cache if app.cache_by_team => {
            app.view = View::Teams;
            app.drill = Some(Drill::team(row.label));
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
                    app.drill = Some(Drill::team(row.label));
                }
                Some(Dim::Model) => app.jump(View::Models, &row.label),
                _ => app.jump(View::Templates, &row.label),
            }
        }
        View::Runs if app.run.is_none() => {
            app.run = Some(RunDetail {
                session: row.label.clone(),
                calls: None,
                selected: 0,
            });
            return Effect::LoadRun(app.window, row.label);
        }
        _ => {}
    }
    remember(app, from);
    Effect::None
}

/// Pushes where a move came from, for Esc, if the screen changed; a jump out of a drill-down
/// clears it (Esc restores both).
fn remember(app: &mut App, from: (View, Option<Drill>)) {
    if (app.view, &app.drill) != (from.0, &from.1) {
        if app.view != View::Teams {
            app.drill = None;
        }
        app.back.push(from);
    }
}

/// `d`: the next dimension of a drill-down's list, or the Cache view by team / by template.
fn next_dim(app: &mut App) {
    if app.drilled() {
        let next = match (&app.drill, &app.data) {
            (Some(d), Some(data)) => d.next_dim(data),
            _ => None,
        };
        if let (Some(d), Some(by)) = (&mut app.drill, next) {
            d.by = by;
            d.selected = 0;
            app.status = Some(format!("by {}", by.name()));
        }
    } else if app.view == View::Cache {
        app.cache_by_team = !app.cache_by_team;
        app.lists[View::Cache.index()].selected = 0;
        app.status = Some(if app.cache_by_team { "by team" } else { "by template" }.into());
    } else {
        app.status = Some("d changes the breakdown of a team's drill-down and of Cache".into());
    }
}

/// `o`: the selected template or model of a drill-down, or a run's template, in its own view.
fn open(app: &mut App) {
    let from = (app.view, app.drill.clone());
    let target = if app.drilled() {
        let by = app.drill.as_ref().map(|d| d.by);
        app.selected_row().and_then(|row| match by {
            Some(Dim::Template) => Some((View::Templates, row.label)),
            Some(Dim::Model) => Some((View::Models, row.label)),
            _ => None,
        })
    } else if app.view == View::Runs {
        let session = app
            .run
            .as_ref()
            .map(|r| r.session.clone())
            .or_else(|| app.selected_row().map(|r| r.label));
        app.data
            .as_ref()
            .and_then(|d| d.analyses.as_ref())
            .and_then(|a| a.runs.runs.iter().find(|r| Some(&r.session) == session.as_ref()))
            .and_then(|r| r.template.clone())
            .map(|t| (View::Templates, t))
    } else {
        None
    };
    match target {
        Some((view, label)) => {
            app.jump(view, &label);
            remember(app, from);
        }
        None => {
            app.status = Some("o opens a template or model of a drill-down, or a run's template".into());
        }
    }
}
