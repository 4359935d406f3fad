//! View 6: each team's budget burn and forecast.

use super::list::{ListView, unpriced_note};
use crate::output::{money_places, usd_places};
use crate::tui::app::{App, Row, View};
use crate::tui::data::Data;
use crate::tui::widgets::format::pct100;
use crate::tui::widgets::{Theme, below, col, gauge, put_text};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

pub fn budgets(app: &App, data: &Data, theme: Theme, area: Rect, buf: &mut Buffer) {
    let b = &data.core.budget;
    let list = ListView::new(app, View::Budgets, theme);
    list.title(b.teams.len(), area, buf);
    let legend = " █ spent  ▒ forecast ▲  ┊ soft  ┃ hard limit   Enter: the team";
    put_text(buf, area.x, area.y + 1, legend, area.width as usize, theme.dim());
    let places = money_places(b.teams.iter().flat_map(|t| [t.spent_usd, t.forecast_usd]).flatten());
    let bar_w = (area.width as usize).saturating_sub(90).clamp(12, 40);
    let cols = vec![
        col("Team", false, 0),
        col("Burn", false, 0),
        col("Spent", true, 0),
        col("Budget", true, 0),
        col("Used", true, 0),
        col("Forecast", true, 4),
        col("Fcst %", true, 2),
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
            // As `cost budget`: a team without a budget shows the suggested one.
            match (t.budget_usd, t.suggested_budget_usd) {
                (Some(b), _) => usd_places(b, places),
                (None, Some(s)) => format!("({} suggested)", usd_places(s, places)),
                (None, None) => "–".into(),
            },
            pct100(t.pct),
            t.forecast_usd.map_or("unpriced".into(), |v| usd_places(v, places)),
            pct100(t.forecast_pct),
            t.status.as_str().to_string(),
            match (&t.soft_crossed_on, &t.hard_crossed_on) {
                (_, Some(h)) => format!("hard {h}"),
                (Some(s), None) => format!("soft {s}"),
                _ => String::new(),
            },
        ]
    };
    let table = list
        .table(cols, cells, "no team matches the filter")
        .tones(list.tones(|row| match b.teams[row.index].status.as_str() {
            "hard" => theme.bad(),
            "soft" => theme.warn(),
            "forecast-hard" | "forecast-soft" | "incomplete" => theme.warn(),
            "ok" => theme.good(),
            _ => Style::new(),
        }));
    let used = table.render(below(area, 2), buf);
    let unpriced: i64 = b.teams.iter().map(|t| t.unpriced_requests).sum();
    unpriced_note(unpriced, theme, below(area, used + 3), buf);
}
