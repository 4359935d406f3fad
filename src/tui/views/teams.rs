//! View 2: spend by team, and a team's templates and models (Enter).

use super::list::{ListView, note};
use crate::money::Usd;
use crate::output::{money_places, safe_name, usd_places};
use crate::report::ReportRow;
use crate::store::query::Dim;
use crate::tui::app::{App, Row, View, delta, previous};
use crate::tui::data::Data;
use crate::tui::widgets::format::{count, pct100, rate, row_per_call, share, signed_pct, spend};
use crate::tui::widgets::{TableView, Theme, below, col};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

pub fn teams(app: &App, data: &Data, theme: Theme, area: Rect, buf: &mut Buffer) {
    let c = &data.core;
    let list = ListView::new(app, View::Teams, theme);
    list.title(c.teams.rows.len(), area, buf);
    let places = money_places(
        c.teams
            .rows
            .iter()
            .map(|r| r.priced_usd())
            .chain([c.teams.totals.priced_usd()]),
    );
    let total = c.teams.totals.sums.cost_nanos;
    let budget = |label: &str| {
        c.budget
            .teams
            .iter()
            .find(|t| t.team.as_deref().unwrap_or("(unassigned)") == label)
    };
    let t = &c.teams.totals;
    let prev_total = c.prev_teams.totals.sums.cost_nanos as f64;
    let cols = vec![
        col("Team", false, 0),
        col("Spend", true, 0),
        col("Share", true, 5),
        col("Δ prev", true, 1),
        col("Budget", true, 2),
        col("Forecast", true, 4),
        col("Cache hit", true, 3),
        col("Requests", true, 6),
        col("Unpriced", true, if t.unpriced_requests > 0 { 2 } else { 7 }),
    ];
    let cells = |row: &Row| {
        let r = &c.teams.rows[row.index];
        let b = budget(&row.label);
        let prev = previous(&c.prev_teams, Dim::Team, &row.label).map(|p| p.sums.cost_nanos as f64);
        vec![
            row.label.clone(),
            spend(r, places),
            share(r.sums.cost_nanos, total),
            signed_pct(
                prev.and_then(|p| delta(r.sums.cost_nanos as f64, p)),
                !c.prev_teams.rows.is_empty(),
            ),
            pct100(b.and_then(|b| b.pct)),
            pct100(b.and_then(|b| b.forecast_pct)),
            rate(r.cache_hit_rate),
            count(r.requests),
            count(r.unpriced_requests),
        ]
    };
    let table = list
        .table(cols, cells, "no team matches the filter")
        .tones(list.tones(|row| match budget(&row.label).map(|b| b.status.as_str()) {
            Some("hard") => theme.bad(),
            Some("soft" | "incomplete") => theme.warn(),
            _ => Style::new(),
        }))
        .total(vec![
            list.total_label("All teams"),
            spend(t, places),
            share(total, total),
            signed_pct(delta(total as f64, prev_total), !c.prev_teams.rows.is_empty()),
            String::new(),
            String::new(),
            rate(t.cache_hit_rate),
            count(t.requests),
            count(t.unpriced_requests),
        ]);
    let used = table.render(below(area, 1), buf);
    let prev = app.window.previous();
    note(
        format!(
            " Δ prev: vs {} to {} · Budget, Forecast: % of the monthly budget · Enter: drill in",
            prev.since, prev.until
        ),
        theme.dim(),
        below(area, used + 2),
        buf,
    );
}

pub fn team_drill(app: &App, data: &Data, theme: Theme, area: Rect, buf: &mut Buffer) {
    let c = &data.core;
    let team = app.drill.clone().unwrap_or_default();
    let team_total = c
        .teams
        .rows
        .iter()
        .find(|r| r.label(Dim::Team) == team)
        .map(|r| (r.sums.cost_nanos, r.cost_usd, r.requests))
        .unwrap_or((0, Some(Usd::ZERO), 0));
    let places = money_places(team_total.1);
    let title = Line::from(vec![
        Span::styled(" Teams › ", theme.dim()),
        Span::styled(safe_name(&team).into_owned(), theme.bold()),
        Span::raw(format!(
            "  {} · {} requests  (Esc back){}",
            team_total.1.map_or("unpriced".into(), |c| usd_places(c, places)),
            count(team_total.2),
            if app.drill_filter.is_empty() {
                String::new()
            } else {
                format!("  filter: \"{}\"", app.drill_filter)
            }
        )),
    ]);
    title.render(Rect { height: 1, ..area }, buf);
    let half = (area.height.saturating_sub(2)) * 3 / 5;
    // The templates and the models of the team, in the same columns.
    let cols = |first: &str| {
        vec![
            col(first, false, 0),
            col("Requests", true, 3),
            col("Spend", true, 0),
            col("Share", true, 1),
            col("Cost/call", true, 2),
            col("Cache hit", true, 2),
        ]
    };
    let cells = |label: String, r: &ReportRow| {
        vec![
            label,
            count(r.requests),
            spend(r, places),
            share(r.sums.cost_nanos, team_total.0),
            row_per_call(r),
            rate(r.cache_hit_rate),
        ]
    };
    let list = ListView::new(app, View::Teams, theme);
    let tmpl = list.table(
        cols("Template"),
        |row| cells(row.label.clone(), &c.team_templates.rows[row.index]),
        "no template matches the filter",
    );
    let used = tmpl.render(
        Rect {
            y: area.y + 2,
            height: half,
            ..area
        },
        buf,
    );
    let model_rows = c.team_models.rows.iter().filter(|r| r.label(Dim::Team) == team);
    TableView::new(
        theme,
        cols("Model"),
        model_rows.map(|r| cells(r.label(Dim::Model), r)).collect(),
    )
    .empty("no usage")
    .render(below(area, 2 + used + 1), buf);
}
