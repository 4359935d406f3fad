//! Drawing: one file per view, each a function that only reads [`App`], the month's data and
//! the theme, and draws into an area. This file draws the frame around them (header, tabs,
//! footer) and picks the view; the screens without a list (the first run, an empty month, the
//! help overlay) have their own files, and the list views share the skeleton in `list`. The
//! building blocks (table, bars, gauge, formatting) are in [`widgets`](crate::tui::widgets).

mod anomalies;
mod budgets;
mod cache;
mod commitments;
mod empty_month;
mod first_run;
mod help;
mod list;
mod models;
mod overview;
mod runs;
mod teams;
mod templates;

pub use crate::tui::widgets::Theme;

use crate::output::safe_name;
use crate::tui::app::{App, Mode, View};
use crate::tui::keymap;
use crate::tui::widgets::{columns, message, put_text, truncate_left};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &mut App, theme: Theme) {
    let area = frame.area();
    let buf = frame.buffer_mut();
    render(app, theme, area, buf);
}

/// Renders into a buffer (the event loop's frame, or a snapshot's).
pub fn render(app: &mut App, theme: Theme, area: Rect, buf: &mut Buffer) {
    if area.height < 6 || area.width < 40 {
        Paragraph::new("cost dashboard: the terminal is too small (needs 40×6)")
            .wrap(Wrap { trim: true })
            .render(area, buf);
        return;
    }
    header(app, theme, Rect { height: 1, ..area }, buf);
    tabs(
        app,
        theme,
        Rect {
            y: area.y + 1,
            height: 1,
            ..area
        },
        buf,
    );
    let body = Rect {
        y: area.y + 2,
        height: area.height - 3,
        ..area
    };
    footer(
        app,
        theme,
        Rect {
            y: area.bottom() - 1,
            height: 1,
            ..area
        },
        buf,
    );
    if let Some(e) = &app.error {
        message(
            buf,
            body,
            theme,
            &[
                "The store could not be read.".into(),
                String::new(),
                e.clone(),
                String::new(),
                "Press r to try again, q to quit.".into(),
            ],
        );
        return;
    }
    let Some(data) = &app.data else {
        message(
            buf,
            body,
            theme,
            &[format!("Reading {} from the store…", app.window.label())],
        );
        return;
    };
    if data.empty_store {
        first_run::first_run(buf, body, theme, data);
    } else if data.core.teams.rows.is_empty() {
        empty_month::empty_month(app, data, theme, body, buf);
    } else {
        match app.view {
            View::Overview => overview::overview(app, data, theme, body, buf),
            View::Teams if app.drill.is_some() => teams::team_drill(app, data, theme, body, buf),
            View::Teams => teams::teams(app, data, theme, body, buf),
            View::Templates => templates::templates(app, data, theme, body, buf),
            View::Models => models::models(app, data, theme, body, buf),
            View::Cache => cache::cache(app, data, theme, body, buf),
            View::Budgets => budgets::budgets(app, data, theme, body, buf),
            View::Commitments => commitments::commitments(app, data, theme, body, buf),
            View::Anomalies => anomalies::anomalies(app, data, theme, body, buf),
            View::Runs => runs::runs(app, data, theme, body, buf),
        }
    }
    if app.mode == Mode::Help {
        help::help(theme, body, buf);
    }
}

fn month_name(m: i8) -> &'static str {
    [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(m.clamp(1, 12) - 1) as usize]
}

fn header(app: &App, theme: Theme, area: Rect, buf: &mut Buffer) {
    let w = app.window;
    let span = format!(
        "{} {}–{}{}",
        month_name(w.month.month()),
        w.month.day(),
        w.until.day(),
        if w.is_running(app.today) { ", to date" } else { "" }
    );
    let left = Line::from(vec![
        Span::styled(" cost dashboard ", theme.bold().patch(theme.accent())),
        Span::raw("│ "),
        Span::styled(w.label(), theme.bold()),
        Span::raw(format!(" ({span}, UTC)")),
    ]);
    (&left).render(area, buf);
    let right = if let Some(s) = &app.status {
        s.clone()
    } else if app.loading() && app.error.is_none() {
        "loading…".to_string()
    } else {
        app.data.as_ref().map(|d| d.store_path.clone()).unwrap_or_default()
    };
    let used = left.width();
    let room = (area.width as usize).saturating_sub(used + 2);
    if room > 3 {
        let text = truncate_left(&safe_name(&right), room);
        let x = area.right() - columns(&text) as u16 - 1;
        put_text(buf, x, area.y, &text, usize::MAX, theme.dim());
    }
}

/// A view's name in the tab row: in full when every name fits, else shorter, then shortest
/// (nine tabs fit in 80 columns).
fn tab_name(v: View, level: usize) -> &'static str {
    match (level, v) {
        (0, v) => v.title(),
        (_, View::Templates) if level >= 2 => "Tpl",
        (_, View::Commitments) if level >= 2 => "Comm",
        (_, View::Templates) => "Tmpl",
        (_, View::Commitments) => "Commit",
        (_, View::Anomalies) => "Anom",
        (_, View::Budgets) => "Budget",
        (_, v) => v.title(),
    }
}

fn tabs(app: &App, theme: Theme, area: Rect, buf: &mut Buffer) {
    // One leading space, then `N Name` and two spaces after each but the last.
    let width = |level: usize| -> usize {
        View::ALL
            .iter()
            .map(|v| columns(tab_name(*v, level)) + 4)
            .sum::<usize>()
            - 1
    };
    let level = (0..3).find(|l| width(*l) <= area.width as usize).unwrap_or(2);
    let mut spans = vec![Span::raw(" ")];
    for v in View::ALL {
        let text = format!("{} {}", v.index() + 1, tab_name(v, level));
        if v == app.view {
            spans.push(Span::styled(text, theme.selected().patch(theme.bold())));
        } else {
            spans.push(Span::styled(text, theme.dim()));
        }
        spans.push(Span::raw("  "));
    }
    Line::from(spans).render(area, buf);
}

fn footer(app: &App, theme: Theme, area: Rect, buf: &mut Buffer) {
    if app.mode == Mode::Filter {
        let line = Line::from(vec![
            Span::styled(" / ", theme.bold().patch(theme.accent())),
            Span::raw(safe_name(&app.input).into_owned()),
            Span::styled("█", theme.accent()),
            Span::styled("   Enter keep · Esc clear", theme.dim()),
        ]);
        line.render(area, buf);
        return;
    }
    let items = keymap::footer(app.mode);
    let mut spans = vec![Span::raw(" ")];
    let mut width = 1;
    // The last two (help, quit) always show; the rest while they fit.
    let tail: usize = items
        .iter()
        .rev()
        .take(2)
        .map(|(k, d)| columns(k) + columns(d) + 3)
        .sum::<usize>()
        .saturating_sub(2); // the last item needs no trailing gap
    for (i, (keys, what)) in items.iter().enumerate() {
        let w = columns(keys) + columns(what) + 3;
        let is_tail = i + 2 >= items.len();
        if !is_tail && width + w + tail > area.width as usize {
            continue;
        }
        width += w;
        spans.push(Span::styled(keys.to_string(), theme.bold().patch(theme.accent())));
        spans.push(Span::raw(format!(" {what}  ")));
    }
    Line::from(spans).render(area, buf);
}

pub(super) fn loading(buf: &mut Buffer, area: Rect, theme: Theme, what: &str) {
    message(buf, area, theme, &[format!("Computing {what}…")]);
}
