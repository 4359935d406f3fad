//! The dashboard's building blocks, shared by every view: the theme, a table that drops its
//! least important columns when the terminal is narrow ([`table`]), bars and gauges
//! ([`chart`]), the figures formatted as the CLI prints them ([`format`]), and the helpers
//! that write text into the buffer measured in display columns (a CJK name is two columns a
//! character), cut at the edge and made safe for the terminal.

pub mod chart;
pub mod format;
pub mod table;

pub use chart::{bars, by_day, gauge};
pub use table::{Col, TableView, col};

use crate::output::{fit_name, safe_name};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// Colours, or none at all under `NO_COLOR` (emphasis then comes from bold and reverse).
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    pub fn fg(&self, c: Color) -> Style {
        if self.color { Style::new().fg(c) } else { Style::new() }
    }
    pub fn accent(&self) -> Style {
        self.fg(Color::Cyan)
    }
    pub fn good(&self) -> Style {
        self.fg(Color::Green)
    }
    pub fn warn(&self) -> Style {
        self.fg(Color::Yellow)
    }
    pub fn bad(&self) -> Style {
        self.fg(Color::Red)
    }
    pub fn dim(&self) -> Style {
        self.fg(Color::DarkGray)
    }
    pub fn bold(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
}

/// Writes text at (x, y), cut at `max` characters and at the buffer's edge; nothing outside the
/// buffer (a tiny terminal must never crash the dashboard).
pub fn put_text(buf: &mut Buffer, x: u16, y: u16, s: impl AsRef<str>, max: usize, style: Style) {
    let a = buf.area;
    if y < a.top() || y >= a.bottom() || x < a.left() || x >= a.right() {
        return;
    }
    // Names come from logs: control characters are shown escaped, as in `cost report`.
    buf.set_stringn(x, y, safe_name(s.as_ref()), max.min((a.right() - x) as usize), style);
}

/// Display columns of already-safe text.
pub fn columns(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// Text made safe for the terminal and cut to `w` display columns, ending in `…` when cut.
pub fn fit(s: &str, w: usize) -> String {
    if w == 0 { String::new() } else { fit_name(s, w) }
}

/// Text cut from the left to `w` display columns, starting with `…` when cut.
pub fn truncate_left(s: &str, w: usize) -> String {
    if columns(s) <= w {
        return s.to_string();
    }
    // Keep the end (a path's file name), in as many columns as fit after the `…`.
    let mut used = 1;
    let mut kept: Vec<char> = Vec::new();
    for c in s.chars().rev() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + cw > w {
            break;
        }
        used += cw;
        kept.push(c);
    }
    std::iter::once('…').chain(kept.into_iter().rev()).collect()
}

/// Text broken into lines of at most `width` display columns, between words (a line keeps
/// the text's leading spaces on its first line and one space of indent after): a word longer
/// than a whole line is the only thing ever cut, with `…`.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    if width == 0 {
        return Vec::new();
    }
    let lead = text.len() - text.trim_start().len();
    let next_indent = if lead > 0 { " " } else { "" };
    let mut lines = Vec::new();
    let mut line = " ".repeat(lead);
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && columns(&line) + 1 + columns(word) > width {
            lines.push(std::mem::replace(&mut line, next_indent.to_string()));
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        let room = width.saturating_sub(columns(&line));
        if columns(word) > room {
            line.push_str(&fit(word, room));
        } else {
            line.push_str(word);
        }
        empty = false;
    }
    if !empty {
        lines.push(line);
    }
    lines
}

/// A line of `spans`, then as many of the `optional` spans, whole and in order, as fit in
/// `width` columns: a line that is too long loses its last parts, never half a word.
pub fn line_fit<'a>(mut spans: Vec<Span<'a>>, optional: Vec<Span<'a>>, width: u16) -> Line<'a> {
    let mut used: usize = spans.iter().map(|s| s.width()).sum();
    for s in optional {
        if used + s.width() > width as usize {
            break;
        }
        used += s.width();
        spans.push(s);
    }
    Line::from(spans)
}

pub fn below(area: Rect, used: u16) -> Rect {
    let used = used.min(area.height);
    Rect {
        y: area.y + used,
        height: area.height - used,
        ..area
    }
}

/// Centered lines of text in the body.
pub fn message(buf: &mut Buffer, area: Rect, theme: Theme, lines: &[String]) {
    let text: Vec<Line> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                Line::styled(safe_name(l).into_owned(), theme.bold())
            } else {
                Line::raw(safe_name(l).into_owned())
            }
        })
        .collect();
    let top = area.height.saturating_sub(text.len() as u16) / 3;
    Paragraph::new(text).wrap(Wrap { trim: false }).render(
        Rect {
            x: area.x + 2,
            y: area.y + top,
            width: area.width.saturating_sub(4),
            height: area.height - top,
        },
        buf,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_between_words() {
        assert_eq!(
            wrap(" + 1 unpriced request: add the model to [prices] in cost.toml", 30),
            [" + 1 unpriced request: add the", " model to [prices] in", " cost.toml"]
        );
        assert_eq!(wrap("short", 30), ["short"]);
        // A word longer than a line is cut, with `…`.
        assert_eq!(wrap("abcdefghij", 6), ["abcde…"]);
    }

    #[test]
    fn truncate_left_keeps_the_end_in_display_columns() {
        assert_eq!(truncate_left("/tmp/cost.db", 12), "/tmp/cost.db");
        assert_eq!(truncate_left("/tmp/cost.db", 8), "…cost.db");
        // `京` would take two columns after `…/cost.db` (9): one too many for 10.
        assert_eq!(truncate_left("/data/東京/cost.db", 10), "…/cost.db");
        assert_eq!(truncate_left("/data/東京/cost.db", 11), "…京/cost.db");
        assert_eq!(columns(&truncate_left("/data/東京/cost.db", 11)), 11);
    }
}
