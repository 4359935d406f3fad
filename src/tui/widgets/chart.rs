//! Charts drawn with block characters: vertical bars by day (and the days they stand for), and
//! a horizontal gauge.

use super::{Theme, columns, put_text};
use crate::tui::data::Window;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// Vertical bars of `values`, one column per value, with optional marks (▲) under some of
/// them, and the first and last labels under the axis.
/// Bars start at `floor` (0 for spend; above 0 to show a change in cost per call).
pub fn bars(
    values: &[f64],
    floor: f64,
    marks: &[usize],
    labels: (&str, &str),
    theme: Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    if values.is_empty() || area.height < 3 || area.width < 4 {
        return;
    }
    let height = area.height - 2;
    let n = values.len();
    let col_w = ((area.width as usize - 1) / n).clamp(1, 4);
    let gap = usize::from(col_w > 2);
    let bar_w = col_w - gap;
    let values: Vec<f64> = values
        .iter()
        .map(|v| if *v > 0.0 { (v - floor).max(0.0) } else { 0.0 })
        .collect();
    let max = values.iter().cloned().fold(0.0_f64, f64::max);
    const EIGHTHS: [&str; 9] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];
    for (i, v) in values.iter().enumerate() {
        let x0 = area.x + 1 + (i * col_w) as u16;
        if x0 as usize + bar_w > area.right() as usize {
            break;
        }
        let eighths = if max > 0.0 {
            (v / max * height as f64 * 8.0).round() as usize
        } else {
            0
        };
        let eighths = if *v > 0.0 { eighths.max(1) } else { 0 };
        let style = if marks.contains(&i) {
            theme.warn()
        } else {
            theme.accent()
        };
        for row in 0..height as usize {
            let fill = eighths.saturating_sub(row * 8).min(8);
            if fill == 0 {
                continue;
            }
            let y = area.y + height - 1 - row as u16;
            for dx in 0..bar_w {
                put_text(buf, x0 + dx as u16, y, EIGHTHS[fill], usize::MAX, style);
            }
        }
        if marks.contains(&i) {
            put_text(
                buf,
                x0,
                area.y + height,
                "▲",
                usize::MAX,
                theme.warn().patch(theme.bold()),
            );
        }
    }
    let axis_y = area.y + height + if marks.is_empty() { 0 } else { 1 };
    if axis_y < area.bottom() {
        put_text(buf, area.x + 1, axis_y, labels.0, usize::MAX, theme.dim());
        let end = area.x + 1 + (n * col_w) as u16;
        let x = end
            .saturating_sub(columns(labels.1) as u16)
            .max(area.x + 1 + columns(labels.0) as u16 + 1);
        if x + (columns(labels.1) as u16) <= area.right() {
            put_text(buf, x, axis_y, labels.1, usize::MAX, theme.dim());
        }
    }
}

/// A horizontal gauge: `filled` of `scale` in `█`, `ahead` (a forecast) in `▒`, with marks
/// (`┊` soft, `┃` hard, `▲` forecast) at positions given in the same units.
pub fn gauge(width: usize, scale: f64, filled: f64, ahead: Option<f64>, marks: &[(f64, char)]) -> String {
    if width == 0 || scale <= 0.0 {
        return String::new();
    }
    let at = |v: f64| ((v / scale) * width as f64).round().clamp(0.0, width as f64) as usize;
    let f = at(filled);
    let a = ahead.map(at).unwrap_or(0);
    let mut cells: Vec<char> = (0..width)
        .map(|i| {
            if i < f {
                '█'
            } else if i < a {
                '▒'
            } else {
                '░'
            }
        })
        .collect();
    // Each mark gets its own cell: one that lands on an earlier mark moves to the nearest free
    // cell, so a narrow bar still shows soft, hard and the forecast.
    let mut taken: Vec<usize> = Vec::new();
    for (v, c) in marks {
        let want = at(*v).min(width - 1);
        let free = (0..width)
            .flat_map(|d| [want.checked_add(d), want.checked_sub(d)])
            .flatten()
            .find(|i| *i < width && !taken.contains(i));
        if let Some(i) = free {
            cells[i] = *c;
            taken.push(i);
        }
    }
    cells.into_iter().collect()
}

/// Each day of the window (`2026-10-01`, …) with `value(day)` (0 for a day without usage).
pub fn by_day(window: Window, value: impl Fn(&str) -> Option<f64>) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    let mut d = window.month;
    while d <= window.until {
        let key = d.to_string();
        let v = value(&key).unwrap_or(0.0);
        out.push((key, v));
        match d.tomorrow() {
            Ok(n) => d = n,
            Err(_) => break,
        }
    }
    out
}
