//! View 4: spend by model.

use super::list::{ListView, unpriced_note};
use crate::output::money_places;
use crate::report::ReportRow;
use crate::tui::app::{App, View};
use crate::tui::data::Data;
use crate::tui::widgets::format::{count, rate, row_per_call, share, spend};
use crate::tui::widgets::{Theme, below, col};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

pub fn models(app: &App, data: &Data, theme: Theme, area: Rect, buf: &mut Buffer) {
    let c = &data.core;
    let list = ListView::new(app, View::Models, theme);
    list.title(c.models.rows.len(), area, buf);
    let places = money_places(
        c.models
            .rows
            .iter()
            .map(|r| r.priced_usd())
            .chain([c.models.totals.priced_usd()]),
    );
    let total = c.models.totals.sums.cost_nanos;
    let t = &c.models.totals;
    let line = |label: String, r: &ReportRow| {
        vec![
            label,
            count(r.requests),
            count(r.uncached_input_tokens + r.cache_read_tokens + r.cache_write_5m_tokens + r.cache_write_1h_tokens),
            count(r.output_tokens),
            spend(r, places),
            share(r.sums.cost_nanos, total),
            row_per_call(r),
            rate(r.cache_hit_rate),
            count(r.unpriced_requests),
        ]
    };
    let cols = vec![
        col("Model", false, 0),
        col("Requests", true, 4),
        col("Input tok", true, 5),
        col("Output tok", true, 5),
        col("Spend", true, 0),
        col("Share", true, 1),
        col("Cost/call", true, 3),
        col("Cache hit", true, 2),
        col("Unpriced", true, if t.unpriced_requests > 0 { 1 } else { 6 }),
    ];
    let table = list
        .table(
            cols,
            |row| line(row.label.clone(), &c.models.rows[row.index]),
            "no model matches the filter",
        )
        .tones(list.tones(|row| {
            if c.models.rows[row.index].unpriced_requests > 0 {
                theme.warn()
            } else {
                Style::new()
            }
        }))
        .total(line(list.total_label("All models"), t));
    let used = table.render(below(area, 1), buf);
    unpriced_note(t.unpriced_requests, theme, below(area, used + 2), buf);
}
