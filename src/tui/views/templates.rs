//! View 3: spend by template, and the selected template's cost per call by day.

use super::list::ListView;
use crate::analysis::anomalies::Kind;
use crate::money::group_thousands;
use crate::output::anomalies::{describe, driver_label};
use crate::output::{money_places, safe_name};
use crate::report::ReportRow;
use crate::store::query::Dim;
use crate::tui::app::{App, Row, View, delta, has_runs, previous, priced_per_call};
use crate::tui::data::Data;
use crate::tui::widgets::format::{count, rate, row_per_call, share, signed_pct, spend};
use crate::tui::widgets::{Theme, bars, below, by_day, col, fit};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

pub fn templates(app: &App, data: &Data, theme: Theme, area: Rect, buf: &mut Buffer) {
    let c = &data.core;
    let list = ListView::new(app, View::Templates, theme);
    let wide = area.width >= 140;
    let (list_area, detail) = if wide {
        let w = area.width * 11 / 20;
        (
            Rect { width: w, ..area },
            Rect {
                x: area.x + w + 1,
                width: area.width - w - 1,
                ..area
            },
        )
    } else {
        let h = (list.rows.len() as u16 + 3)
            .min(area.height / 2)
            .max(area.height.min(4));
        (Rect { height: h, ..area }, below(area, h + 1))
    };
    list.title(c.templates.rows.len(), list_area, buf);
    let places = money_places(c.templates.rows.iter().map(|r| r.priced_usd()));
    let runs = has_runs(data);
    let mut cols = vec![
        col("Template", false, 0),
        col("Requests", true, 3),
        col("Spend", true, 0),
        col("Cost/call", true, 1),
        col("Δ/call", true, 2),
        col("Cache hit", true, 4),
    ];
    if runs {
        cols.push(col("Cost/run", true, 2));
    }
    let cells = |row: &Row| {
        let r = &c.templates.rows[row.index];
        let now = priced_per_call(r);
        let prev = previous(&c.prev_templates, Dim::Template, &row.label).map(priced_per_call);
        let mut cells = vec![
            row.label.clone(),
            count(r.requests),
            spend(r, places),
            row_per_call(r),
            signed_pct(prev.and_then(|p| delta(now, p)), !c.prev_templates.rows.is_empty()),
            rate(r.cache_hit_rate),
        ];
        if runs {
            cells.push(super::teams::per_run(data, Dim::Template, &row.label));
        }
        cells
    };
    list.table(cols, cells, "no template matches the filter")
        .render(below(list_area, 1), buf);
    let Some(row) = list.selected_row() else {
        return;
    };
    template_detail(data, &row.label, theme, detail, buf);
}

fn template_detail(data: &Data, name: &str, theme: Theme, area: Rect, buf: &mut Buffer) {
    let c = &data.core;
    let Some(r) = c.templates.rows.iter().find(|r| r.label(Dim::Template) == name) else {
        return;
    };
    let requests = r.requests.max(1) as f64;
    let mut lines = Lines { area, y: 0 };
    lines.put(
        Line::from(vec![
            Span::styled(format!(" {}", safe_name(name)), theme.bold()),
            Span::raw(format!(
                "  {} per call over {} requests",
                row_per_call(r),
                count(r.requests)
            )),
        ]),
        buf,
    );
    // Cost per call by day, change points marked.
    let days = by_day(c.window, |day| {
        c.template_days
            .rows
            .iter()
            .find(|x| x.label(Dim::Template) == name && x.label(Dim::Day) == day)
            .map(priced_per_call)
    });
    let changes: Vec<&crate::analysis::anomalies::Anomaly> = data
        .analyses
        .as_ref()
        .map(|a| {
            a.anomalies
                .anomalies
                .iter()
                .filter(|x| x.kind == Kind::ChangePoint && x.key.as_deref() == Some(name))
                .collect()
        })
        .unwrap_or_default();
    let marks: Vec<usize> = days
        .iter()
        .enumerate()
        .filter(|(_, (k, _))| changes.iter().any(|x| &x.date == k))
        .map(|(i, _)| i)
        .collect();
    let priced: Vec<f64> = days.iter().map(|(_, v)| *v).filter(|v| *v > 0.0).collect();
    let (range, floor) = match (
        priced.iter().cloned().reduce(f64::min),
        priced.iter().cloned().reduce(f64::max),
    ) {
        // Bars from a little under the lowest day, so a 10% move is visible; the axis says so.
        (Some(lo), Some(hi)) if hi > lo => {
            let floor = (lo - (hi - lo) * 0.5).max(0.0);
            (
                format!("  ${:.6} to ${:.6}, bars from ${:.6}", lo / 1e9, hi / 1e9, floor / 1e9),
                floor,
            )
        }
        (Some(lo), Some(_)) => (format!("  ${:.6} every day", lo / 1e9), 0.0),
        _ => (String::new(), 0.0),
    };
    lines.put(
        Line::from(vec![
            Span::styled(format!(" Cost per call by day{range}"), theme.dim()),
            Span::styled(if marks.is_empty() { "" } else { "   ▲ change point" }, theme.warn()),
        ]),
        buf,
    );
    let chart_h = (area.height.saturating_sub(10)).clamp(3, 10);
    let values: Vec<f64> = days.iter().map(|(_, v)| *v).collect();
    let (first, last) = (c.window.month.to_string(), c.window.until.to_string());
    bars(
        &values,
        floor,
        &marks,
        (&first[5..], &last[5..]),
        theme,
        Rect {
            y: area.y + lines.y,
            height: chart_h.min(area.height.saturating_sub(lines.y)),
            ..area
        },
        buf,
    );
    lines.y += chart_h + 1;
    for x in &changes {
        let (_, change, impact) = describe(x);
        lines.put(
            Line::styled(
                format!(" ▲ {}  {}  {impact}", x.date, driver_label(x.driver)),
                theme.warn(),
            ),
            buf,
        );
        lines.put(Line::raw(format!("   {change}")), buf);
    }
    let per = |n: i64| group_thousands(&format!("{:.0}", n as f64 / requests));
    lines.put(Line::styled(" Tokens per call", theme.dim()), buf);
    lines.put(
        Line::raw(format!(
            "   uncached {} · cache read {} · cache write {}",
            per(r.uncached_input_tokens),
            per(r.cache_read_tokens),
            per(r.cache_write_5m_tokens + r.cache_write_1h_tokens),
        )),
        buf,
    );
    lines.put(
        Line::raw(format!(
            "   output {} (reasoning {})",
            per(r.output_tokens),
            per(r.reasoning_tokens)
        )),
        buf,
    );
    lines.put(
        Line::styled(" Model mix (share of spend · of requests)", theme.dim()),
        buf,
    );
    let mix: Vec<&ReportRow> = c
        .template_models
        .rows
        .iter()
        .filter(|x| x.label(Dim::Template) == name)
        .collect();
    // As many models as there are lines left; `… N more` only when some do not fit.
    let room = area.height.saturating_sub(lines.y) as usize;
    let shown = if mix.len() <= room {
        mix.len()
    } else {
        room.saturating_sub(1)
    };
    for m in mix.iter().take(shown) {
        lines.put(
            Line::raw(format!(
                "   {:<28} {:>6} · {:>6}",
                fit(&m.label(Dim::Model), 28),
                share(m.sums.cost_nanos, r.sums.cost_nanos),
                share(m.requests, r.requests)
            )),
            buf,
        );
    }
    if mix.len() > shown {
        lines.put(
            Line::styled(format!("   … {} more models", mix.len() - shown), theme.dim()),
            buf,
        );
    }
}

/// Lines written one under another from the top of an area; those past its bottom are dropped.
struct Lines {
    area: Rect,
    /// The next line's row, from the area's top.
    y: u16,
}

impl Lines {
    fn put(&mut self, text: Line, buf: &mut Buffer) {
        if self.y < self.area.height {
            text.render(
                Rect {
                    y: self.area.y + self.y,
                    height: 1,
                    ..self.area
                },
                buf,
            );
        }
        self.y += 1;
    }
}
