//! The `?` overlay: every key and what it does, from the keymap itself.

use crate::tui::keymap;
use crate::tui::widgets::{Theme, columns};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

/// A box in the middle of the body, over the view.
pub fn help(theme: Theme, area: Rect, buf: &mut Buffer) {
    let lines = keymap::help_lines();
    let key_w = lines.iter().map(|(k, _)| columns(k)).max().unwrap_or(0);
    let text_w = lines.iter().map(|(_, h)| columns(h)).max().unwrap_or(0);
    let width = ((key_w + text_w + 6) as u16).min(area.width.saturating_sub(2));
    let height = (lines.len() as u16 + 4).min(area.height);
    let r = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    Clear.render(area, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" Keys (? or Esc closes) ")
        .border_style(theme.accent());
    let inner = block.inner(r);
    block.render(r, buf);
    let text: Vec<Line> = lines
        .iter()
        .map(|(k, h)| {
            // Padded by display columns, as the table pads its cells.
            let pad = " ".repeat(key_w.saturating_sub(columns(k)));
            Line::from(vec![
                Span::styled(format!(" {k}{pad}  "), theme.bold().patch(theme.accent())),
                Span::raw(h.to_string()),
            ])
        })
        .collect();
    Paragraph::new(text).render(
        Rect {
            y: inner.y + 1,
            ..inner
        },
        buf,
    );
}
