//! View 2: spend by team, and a team's templates and models (Enter).

use super::list::{ListView, note};
use crate::output::{money_places, safe_name, usd_places};
use crate::report::ReportRow;
use crate::store::query::Dim;
use crate::tui::app::{App, Row, View, cost_per_run, delta, has_runs, previous, runs_places};
use crate::tui::data::Data;
use crate::tui::widgets::format::{count, pct100, rate, row_per_call, share, signed_pct, spend};
use crate::tui::widgets::{TableView, Theme, below, col, line_fit};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
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
    let runs = has_runs(data);
    let mut cols = vec![
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
    if runs {
        cols.push(col("Cost/run", true, 3));
    }
    let cells = |row: &Row| {
        let r = &c.teams.rows[row.index];
        let b = budget(&row.label);
        let prev = previous(&c.prev_teams, Dim::Team, &row.label).map(|p| p.sums.cost_nanos as f64);
        let mut cells = vec![
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
        ];
        if runs {
            cells.push(per_run(data, Dim::Team, &row.label));
        }
        cells
    };
    let mut total_row = vec![
        list.total_label("All teams"),
        spend(t, places),
        share(total, total),
        signed_pct(delta(total as f64, prev_total), !c.prev_teams.rows.is_empty()),
        String::new(),
        String::new(),
        rate(t.cache_hit_rate),
        count(t.requests),
        count(t.unpriced_requests),
    ];
    if runs {
        total_row.push(String::new());
    }
    let table = list
        .table(cols, cells, "no team matches the filter")
        .tones(list.tones(|row| match budget(&row.label).map(|b| b.status.as_str()) {
            Some("hard") => theme.bad(),
            Some("soft" | "incomplete") => theme.warn(),
            _ => Style::new(),
        }))
        .total(total_row);
    let used = table.render(below(area, 1), buf);
    let prev = app.window.previous();
    note(
        format!(
            " Δ prev: vs {} to {} · Budget, Forecast: % of the monthly budget{} · Enter: drill in",
            prev.since,
            prev.until,
            if runs {
                " · Cost/run: mean of the team's runs (sessions)"
            } else {
                ""
            }
        ),
        theme.dim(),
        below(area, used + 2),
        buf,
    );
}

/// The mean cost of a team's or template's runs: `–` when it has none.
pub(super) fn per_run(data: &Data, dim: Dim, label: &str) -> String {
    match cost_per_run(data, dim, label) {
        Some(u) => usd_places(u, runs_places(data)),
        None => "–".into(),
    }
}

pub fn team_drill(app: &App, data: &Data, theme: Theme, area: Rect, buf: &mut Buffer) {
    let Some(drill) = &app.drill else {
        return;
    };
    let Some(report) = drill.report(data, drill.by) else {
        return super::loading(buf, area, theme, "the tag breakdown");
    };
    let totals = &report.totals;
    let places = money_places(report.rows.iter().map(|r| r.priced_usd()).chain([totals.priced_usd()]));
    let mut spans = vec![Span::styled(" Teams", theme.dim())];
    for (i, (dim, value)) in drill.path.iter().enumerate() {
        spans.push(Span::styled(" › ", theme.dim()));
        let value = safe_name(value).into_owned();
        let text = match dim.tag_key() {
            Some(k) => format!("{k}={value}"),
            None => value,
        };
        spans.push(Span::styled(
            text,
            if i + 1 == drill.path.len() {
                theme.bold()
            } else {
                Style::new()
            },
        ));
    }
    let mut more = vec![Span::raw(format!(
        "  {} · {} requests",
        spend(totals, places),
        count(totals.requests)
    ))];
    if !drill.filter.is_empty() {
        more.push(Span::styled(
            format!("  filter: \"{}\"", safe_name(&drill.filter)),
            theme.warn(),
        ));
    }
    more.push(Span::styled("  (Esc back)", theme.dim()));
    line_fit(spans, more, area.width).render(Rect { height: 1, ..area }, buf);
    // The dimensions the list can show, the current one in brackets.
    let mut by = vec![Span::styled(" By:", theme.dim())];
    for d in drill.dims(data) {
        by.push(Span::raw("  "));
        if d == drill.by {
            by.push(Span::styled(format!("[{}]", d.name()), theme.bold()));
        } else {
            by.push(Span::styled(d.name(), theme.dim()));
        }
    }
    let mut hints = vec![Span::styled("   d: next", theme.dim())];
    if drill.deeper(data, "").is_some() {
        hints.push(Span::styled(" · Enter: deeper", theme.dim()));
    }
    if matches!(drill.by, Dim::Template | Dim::Model) {
        hints.push(Span::styled(" · o: open", theme.dim()));
    }
    line_fit(by, hints, area.width).render(
        Rect {
            height: 1,
            ..below(area, 1)
        },
        buf,
    );
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
    let total = totals.sums.cost_nanos;
    let cells = |label: String, r: &ReportRow| {
        vec![
            label,
            count(r.requests),
            spend(r, places),
            share(r.sums.cost_nanos, total),
            row_per_call(r),
            rate(r.cache_hit_rate),
        ]
    };
    let list = ListView::new(app, View::Teams, theme);
    // `Template`, `Model`; a tag as its key, `tag:feature`.
    let title = |d: Dim| {
        if d.tag_key().is_some() {
            return d.name().to_string();
        }
        let mut t = d.name().to_string();
        if let Some(c) = t.get_mut(0..1) {
            c.make_ascii_uppercase();
        }
        t
    };
    let body = below(area, 3);
    // The list gets the rows it needs, up to three fifths; the next dimension the rest.
    let next = drill.next_dim(data).filter(|d| *d != drill.by);
    let want = list.rows.len() as u16 + 1;
    let top_h = if next.is_some() {
        want.min((body.height * 3 / 5).max(body.height.min(4)))
    } else {
        body.height
    };
    let used = list
        .table(
            cols(&title(drill.by)),
            |row| cells(row.label.clone(), &report.rows[row.index]),
            "nothing matches the filter",
        )
        .render(Rect { height: top_h, ..body }, buf);
    let (Some(next), rest) = (next, below(body, used + 1)) else {
        return;
    };
    if rest.height < 2 {
        return;
    }
    let Some(other) = drill.report(data, next) else {
        return;
    };
    TableView::new(
        theme,
        cols(&title(next)),
        other.rows.iter().map(|r| cells(r.label(next), r)).collect(),
    )
    .empty("no usage")
    .render(rest, buf);
}
