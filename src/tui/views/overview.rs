//! View 1: the month at a glance.

use crate::money::Usd;
use crate::output::{money_places, usd_places};
use crate::report::ReportRow;
use crate::store::query::Dim;
use crate::tui::app::App;
use crate::tui::data::Data;
use crate::tui::widgets::format::{count, rate, share, spend};
use crate::tui::widgets::{TableView, Theme, bars, below, by_day, col, line_fit, put_text};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

pub fn overview(app: &App, data: &Data, theme: Theme, area: Rect, buf: &mut Buffer) {
    let c = &data.core;
    let total = &c.teams.totals;
    let budgets: Vec<_> = c.budget.teams.iter().filter(|t| t.budget_usd.is_some()).collect();
    let budget_sum: Usd = budgets.iter().filter_map(|t| t.budget_usd).sum();
    let spent_budgeted: Usd = budgets.iter().filter_map(|t| t.spent_usd).sum();
    let forecast: Usd = c.budget.teams.iter().filter_map(|t| t.forecast_usd).sum();
    let places = money_places([total.priced_usd(), forecast, budget_sum]);
    let label = |s: &str| Span::styled(format!(" {s:<14}"), theme.dim());
    let mut lines = vec![Line::from(vec![
        label("Spend"),
        Span::styled(spend(total, places), theme.bold()),
        Span::raw(format!("   {} requests", count(total.requests))),
    ])];
    let running = c.window.is_running(app.today);
    lines.push(Line::from(vec![
        label(if running { "Forecast" } else { "Month total" }),
        Span::styled(usd_places(forecast, places), theme.bold()),
        Span::raw(if running {
            "   at month end, at the recent run-rate"
        } else {
            ""
        }),
    ]));
    if budget_sum.is_zero() {
        lines.push(Line::from(vec![
            label("Budget burn"),
            Span::raw("no budgets: set [teams.NAME] monthly_budget_usd in cost.toml"),
        ]));
    } else {
        let burn = spent_budgeted.to_f64() / budget_sum.to_f64() * 100.0;
        let over = c.budget.teams.iter().filter(|t| t.status.as_str() == "hard").count();
        let soft = c.budget.teams.iter().filter(|t| t.status.as_str() == "soft").count();
        let style = if over > 0 {
            theme.bad()
        } else if soft > 0 {
            theme.warn()
        } else {
            theme.good()
        };
        lines.push(Line::from(vec![
            label("Budget burn"),
            Span::styled(format!("{burn:.1}%"), theme.bold().patch(style)),
            Span::raw(format!(
                " of {} across {} team{}; {} over hard, {} over soft",
                usd_places(budget_sum, places),
                budgets.len(),
                if budgets.len() == 1 { "" } else { "s" },
                over,
                soft
            )),
        ]));
    }
    lines.push(Line::from(vec![
        label("Cache hit"),
        Span::styled(rate(total.cache_hit_rate), theme.bold()),
        Span::raw(" of input tokens · "),
        Span::styled(rate(total.request_cache_hit_rate), theme.bold()),
        Span::raw(" of requests"),
    ]));
    let unpriced = total.unpriced_requests;
    lines.push(if unpriced > 0 {
        // The command to run after pricing goes when the line is too narrow for it.
        line_fit(
            vec![
                label("Unpriced"),
                Span::styled(
                    format!(
                        "{} request{} not in the figures: price {} under [prices]",
                        count(unpriced),
                        if unpriced == 1 { "" } else { "s" },
                        if unpriced == 1 { "its model" } else { "their models" }
                    ),
                    theme.warn(),
                ),
            ],
            vec![Span::styled(", then `cost import --update`", theme.warn())],
            area.width,
        )
    } else {
        Line::from(vec![label("Unpriced"), Span::raw("0 requests")])
    });
    let kpi = lines.len() as u16;
    Paragraph::new(lines).render(
        Rect {
            height: kpi.min(area.height),
            ..area
        },
        buf,
    );
    let rest = below(area, kpi + 1);
    // Daily spend.
    let days: Vec<&ReportRow> = c.daily.rows.iter().collect();
    let chart_h = (rest.height / 3).clamp(4, 12);
    let values: Vec<f64> = by_day(c.window, |day| {
        c.daily
            .rows
            .iter()
            .find(|r| r.label(Dim::Day) == day)
            .map(|r| r.sums.cost_nanos as f64)
    })
    .into_iter()
    .map(|(_, v)| v)
    .collect();
    let peak = days.iter().max_by_key(|r| r.sums.cost_nanos);
    let title = match peak {
        Some(p) => format!(
            " Daily spend   peak {} on {}",
            spend(p, money_places(days.iter().map(|r| r.priced_usd()))),
            p.label(Dim::Day)
        ),
        None => " Daily spend".to_string(),
    };
    put_text(buf, rest.x, rest.y, title, rest.width as usize, theme.bold());
    let first = c.window.month.to_string();
    let last = c.window.until.to_string();
    bars(
        &values,
        0.0,
        &[],
        (&first[5..], &last[5..]),
        theme,
        Rect {
            y: rest.y + 1,
            height: chart_h.min(rest.height.saturating_sub(1)),
            ..rest
        },
        buf,
    );
    let lists = below(rest, chart_h + 2);
    let half = lists.width / 2;
    let left = Rect { width: half, ..lists };
    let right = Rect {
        x: lists.x + half,
        width: lists.width - half,
        ..lists
    };
    top(&c.teams, Dim::Team, "Top teams", theme, left, buf);
    top(&c.templates, Dim::Template, "Top templates", theme, right, buf);
}

/// The report's largest rows, as many as the area holds; `… N more` only when some are left.
fn top(report: &crate::report::Report, dim: Dim, title: &str, theme: Theme, area: Rect, buf: &mut Buffer) {
    let total = report.totals.sums.cost_nanos;
    let room = area.height.saturating_sub(1) as usize;
    if room == 0 {
        return;
    }
    let n = if report.rows.len() <= room {
        report.rows.len()
    } else {
        room.saturating_sub(1).max(1)
    };
    let rows: Vec<&ReportRow> = report.rows.iter().take(n).collect();
    let places = money_places(rows.iter().map(|r| r.priced_usd()));
    let cells = rows
        .iter()
        .map(|r| vec![r.label(dim), spend(r, places), share(r.sums.cost_nanos, total)]);
    TableView::new(
        theme,
        vec![col(title, false, 0), col("Spend", true, 0), col("Share", true, 1)],
        cells.collect(),
    )
    .empty("none")
    .render(area, buf);
    if report.rows.len() > n {
        let y = area.y + 1 + rows.len() as u16;
        if y < area.bottom() {
            put_text(
                buf,
                area.x + 1,
                y,
                format!(
                    "… {} more (press {})",
                    report.rows.len() - n,
                    if dim == Dim::Team { 2 } else { 3 }
                ),
                area.width as usize - 1,
                theme.dim(),
            );
        }
    }
}
