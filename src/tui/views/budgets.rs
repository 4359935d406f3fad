//! View 6: each team's budget burn and forecast.

use super::list::{ListView, unpriced_note};
use crate::analysis::budget::{Status, TeamBudget};
use crate::output::{money_places, usd_places};
use crate::tui::app::{App, Row, View};
use crate::tui::data::Data;
use crate::tui::widgets::format::pct100;
use crate::tui::widgets::{Theme, below, col, columns, gauge, put_text};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

pub fn budgets(app: &App, data: &Data, theme: Theme, area: Rect, buf: &mut Buffer) {
    let b = &data.core.budget;
    let list = ListView::new(app, View::Budgets, theme);
    list.title(b.teams.len(), area, buf);
    let places = money_places(b.teams.iter().flat_map(|t| [t.spent_usd, t.forecast_usd]).flatten());
    let bar_w = (area.width as usize).saturating_sub(90).clamp(12, 40);
    // At 80 columns the bar goes first: the forecast is what the columns are for.
    let cols = vec![
        col("Team", false, 0),
        col("Burn", false, 4),
        col("Spent", true, 0),
        col("Budget", true, 0),
        col("Used", true, 3),
        col("Forecast", true, 0),
        col("Fcst %", true, 1),
        col("Status", false, 0),
        col("Crossed", false, 5),
    ];
    let cells = |row: &Row| {
        let t = &b.teams[row.index];
        let bar = match (t.pct, t.forecast_pct) {
            (Some(p), Some(f)) => {
                let soft = t.soft_pct.unwrap_or(80.0);
                let hard = t.hard_pct.unwrap_or(100.0);
                let scale = p.max(f).max(hard) * 1.1;
                gauge(bar_w, scale, p, Some(f), &[(soft, '┊'), (hard, '┃'), (f, '▲')])
            }
            _ => String::new(),
        };
        vec![
            row.label.clone(),
            bar,
            t.spent_usd.map_or("unpriced".into(), |v| usd_places(v, places)),
            // As `cost budget`: a team without a budget shows the suggested one, in brackets.
            match (t.budget_usd, t.suggested_budget_usd) {
                (Some(b), _) => usd_places(b, places),
                (None, Some(s)) => format!("({})", usd_places(s, places)),
                (None, None) => "–".into(),
            },
            pct100(t.pct),
            t.forecast_usd.map_or("unpriced".into(), |v| usd_places(v, places)),
            pct100(t.forecast_pct),
            status_label(t).to_string(),
            match (&t.soft_crossed_on, &t.hard_crossed_on) {
                (_, Some(h)) => format!("hard {h}"),
                (Some(s), None) => format!("soft {s}"),
                _ => String::new(),
            },
        ]
    };
    let table = list
        .table(cols, cells, "no team matches the filter")
        .tones(list.tones(|row| match b.teams[row.index].status {
            Status::Hard => theme.bad(),
            Status::Soft | Status::ForecastHard | Status::ForecastSoft | Status::Incomplete => theme.warn(),
            Status::Ok => theme.good(),
            Status::NoBudget => Style::new(),
        }));
    // The legend says what the columns on screen hold, in whole parts.
    let bar_shown = table.keeps(area.width).contains(&1);
    let suggested = b
        .teams
        .iter()
        .any(|t| t.budget_usd.is_none() && t.suggested_budget_usd.is_some());
    let parts = [
        (" █ spent", bar_shown),
        ("▒ forecast ▲", bar_shown),
        ("┊ soft", bar_shown),
        ("┃ hard limit", bar_shown),
        ("($…) suggested budget", suggested),
        ("Enter: the team", true),
    ];
    let mut legend = String::new();
    for (part, shown) in parts {
        let sep = if legend.is_empty() { "" } else { "  " };
        if shown && columns(&legend) + columns(sep) + columns(part) <= area.width as usize {
            legend.push_str(sep);
            legend.push_str(part);
        }
    }
    if !legend.starts_with(' ') {
        legend.insert(0, ' ');
    }
    put_text(buf, area.x, area.y + 1, legend, area.width as usize, theme.dim());
    let used = table.render(below(area, 2), buf);
    let unpriced: i64 = b.teams.iter().map(|t| t.unpriced_requests).sum();
    unpriced_note(unpriced, theme, below(area, used + 3), buf);
}

/// The status as the Budgets view words it: `forecast over` whenever the forecast passes the
/// hard limit and the spend has not (also when the soft limit is already crossed: the
/// forecast is what needs acting on).
pub fn status_label(t: &TeamBudget) -> &'static str {
    let over = matches!((t.forecast_pct, t.hard_pct), (Some(f), Some(h)) if f >= h);
    match t.status {
        Status::Hard => "hard",
        Status::Soft if over => "forecast over",
        Status::Soft => "soft",
        Status::ForecastHard => "forecast over",
        Status::ForecastSoft => "forecast soft",
        Status::Incomplete => "incomplete",
        Status::Ok => "ok",
        Status::NoBudget => "no budget",
    }
}
