//! View 5: prompt-cache savings by template, and where caching would save more.

use super::list::ListView;
use super::loading;
use crate::output::{money_places, usd_places};
use crate::tui::app::{App, Row, View};
use crate::tui::data::Data;
use crate::tui::widgets::format::{count, opt_usd, rate};
use crate::tui::widgets::{TableView, Theme, below, col, line_fit};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

pub fn cache(app: &App, data: &Data, theme: Theme, area: Rect, buf: &mut Buffer) {
    let Some(a) = &data.analyses else {
        return loading(buf, area, theme, "cache savings");
    };
    let by_team = app.cache_by_team;
    let r = if by_team { &a.cache_teams } else { &a.cache };
    let t = &r.totals;
    let places = money_places(
        r.rows
            .iter()
            .flat_map(|x| [x.savings_usd, x.write_premium_usd, x.net_savings_usd])
            .chain([t.savings_usd, t.net_savings_usd])
            .flatten(),
    );
    let hits = Line::from(vec![
        Span::styled(" Hit rate ", theme.dim()),
        Span::styled(rate(t.cache_hit_rate), theme.bold()),
        Span::raw(" of input tokens, "),
        Span::styled(rate(t.request_cache_hit_rate), theme.bold()),
        Span::raw(format!(" of requests ({} to {})", r.since, r.until)),
    ]);
    let money_line = line_fit(
        vec![
            Span::styled(" Savings ", theme.dim()),
            Span::styled(opt_usd(t.savings_usd, places), theme.good()),
            Span::styled("  Write premium ", theme.dim()),
            Span::styled(opt_usd(t.write_premium_usd, places), theme.warn()),
            Span::styled("  Net ", theme.dim()),
            Span::styled(opt_usd(t.net_savings_usd, places), theme.bold()),
        ],
        vec![Span::styled(
            if by_team {
                "   d: by template · Enter: the team"
            } else {
                "   d: by team · Enter: the template"
            },
            theme.dim(),
        )],
        area.width,
    );
    Paragraph::new(vec![hits, money_line]).render(Rect { height: 2, ..area }, buf);
    let list = ListView::new(app, View::Cache, theme);
    let list_area = below(area, 2);
    list.title(r.rows.len(), list_area, buf);
    // Opportunities (by template only) where the table keeps room for its rows.
    let opp_h = if by_team || list_area.height < 14 {
        0
    } else {
        (r.opportunities.len().min(5) as u16 + 2).max(2)
    };
    let table_area = Rect {
        height: list_area.height.saturating_sub(opp_h + 2),
        ..below(list_area, 1)
    };
    let cols = vec![
        col(if by_team { "Team" } else { "Template" }, false, 0),
        col("Requests", true, 4),
        col("Token hit", true, 1),
        col("Request hit", true, 3),
        col("Savings", true, 2),
        col("Premium", true, 2),
        col("Net", true, 0),
    ];
    let cells = |row: &Row| {
        let x = &r.rows[row.index];
        vec![
            row.label.clone(),
            count(x.requests),
            rate(x.cache_hit_rate),
            rate(x.request_cache_hit_rate),
            opt_usd(x.savings_usd, places),
            opt_usd(x.write_premium_usd, places),
            opt_usd(x.net_savings_usd, places),
        ]
    };
    let table = list.table(
        cols,
        cells,
        if by_team {
            "no team matches the filter"
        } else {
            "no template matches the filter"
        },
    );
    let used = table.render(table_area, buf);
    if opp_h == 0 {
        return;
    }
    let opp = below(table_area, used + 1);
    let opp = Rect {
        height: opp.height.min(list_area.bottom().saturating_sub(opp.y)),
        ..opp
    };
    if opp.height == 0 {
        return;
    }
    if r.opportunities.is_empty() {
        let note = r
            .opportunities_note
            .clone()
            .unwrap_or_else(|| "No caching opportunities.".into());
        Paragraph::new(Line::styled(format!(" {note}"), theme.dim()))
            .wrap(Wrap { trim: false })
            .render(opp, buf);
        return;
    }
    let op_places = money_places(r.opportunities.iter().map(|o| o.estimated_monthly_saving_usd));
    let cols = vec![
        col("Opportunity", false, 0),
        col("Model", false, 3),
        col("Prefix tok", true, 2),
        col("Hit now", true, 1),
        col("Saving/month at 80%", true, 0),
    ];
    let cells = r.opportunities.iter().map(|o| {
        vec![
            o.template.clone(),
            o.model.clone(),
            count(o.cacheable_prefix_tokens as i64),
            rate(Some(o.cache_hit_rate)),
            usd_places(o.estimated_monthly_saving_usd, op_places),
        ]
    });
    TableView::new(theme, cols, cells.collect()).render(opp, buf);
}
