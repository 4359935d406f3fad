//! A table of text cells: titles in bold, figures aligned right, the selected row reversed,
//! a total under the rows, a scroll line when the rows do not fit, and, when the terminal is
//! narrow, the least important columns dropped first.

use super::{Theme, columns, fit, put_text};
use crate::output::safe_name;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use std::cell::Cell;

/// A column: its title, whether figures align right, and how soon it goes when space is short
/// (0 never; higher goes first).
pub struct Col {
    title: String,
    right: bool,
    drop: u8,
}

pub fn col(title: &str, right: bool, drop: u8) -> Col {
    Col {
        title: title.to_string(),
        right,
        drop,
    }
}

/// A table: build it with [`TableView::new`] and the setters, then [`render`](Self::render)
/// it. Widths are measured in display columns, so wide characters keep the columns aligned.
pub struct TableView<'a> {
    cols: Vec<Col>,
    rows: Vec<Vec<String>>,
    /// Styles per row (e.g. a status colour), applied to the whole row.
    tones: Vec<Style>,
    total: Option<Vec<String>>,
    selected: Option<usize>,
    theme: Theme,
    /// The first column's label for empty lists.
    empty: &'a str,
    /// Where the list's page size goes (PgDn/PgUp move by what is visible).
    page: Option<&'a Cell<usize>>,
}

impl<'a> TableView<'a> {
    /// A table of `rows` under `cols`: no tones, no total, no selection, nothing said when empty.
    pub fn new(theme: Theme, cols: Vec<Col>, rows: Vec<Vec<String>>) -> TableView<'a> {
        TableView {
            cols,
            rows,
            tones: Vec::new(),
            total: None,
            selected: None,
            theme,
            empty: "",
            page: None,
        }
    }

    /// A style per row (e.g. a status colour), applied to the whole row.
    pub fn tones(self, tones: Vec<Style>) -> Self {
        TableView { tones, ..self }
    }

    /// A bold row under the others (it never scrolls away).
    pub fn total(self, total: Vec<String>) -> Self {
        TableView {
            total: Some(total),
            ..self
        }
    }

    /// What the table says when it has no rows.
    pub fn empty(self, empty: &'a str) -> Self {
        TableView { empty, ..self }
    }

    /// The selected row (the table scrolls to keep it in sight), and where the number of rows
    /// seen at once goes (PgDn/PgUp move by it).
    pub fn select(self, selected: usize, page: &'a Cell<usize>) -> Self {
        TableView {
            selected: Some(selected),
            page: Some(page),
            ..self
        }
    }

    /// The columns kept at `width` (by position in the columns given).
    pub fn keeps(&self, width: u16) -> Vec<usize> {
        self.layout(width).0
    }

    /// Which columns fit in `width`, and their widths (the first column takes what is left).
    fn layout(&self, width: u16) -> (Vec<usize>, Vec<usize>) {
        let natural: Vec<usize> = (0..self.cols.len())
            .map(|c| {
                let cells = self
                    .rows
                    .iter()
                    .chain(self.total.iter())
                    .map(|r| columns(&safe_name(&r[c])));
                cells.chain([columns(&self.cols[c].title)]).max().unwrap_or(0)
            })
            .collect();
        let mut keep: Vec<usize> = (0..self.cols.len()).collect();
        let first_min = natural[0].clamp(8, 14);
        loop {
            let need: usize = keep.iter().skip(1).map(|c| natural[*c] + 2).sum::<usize>() + first_min + 1;
            if need <= width as usize || keep.len() <= 2 {
                break;
            }
            // Drop the column that goes first (the rightmost of the highest drop rank).
            let Some((pos, _)) = keep
                .iter()
                .enumerate()
                .skip(1)
                .filter(|(_, c)| self.cols[**c].drop > 0)
                .max_by_key(|(i, c)| (self.cols[**c].drop, *i))
            else {
                break;
            };
            keep.remove(pos);
        }
        let rest: usize = keep.iter().skip(1).map(|c| natural[*c] + 2).sum();
        let first = (width as usize)
            .saturating_sub(rest + 1)
            .min(natural[0].max(first_min))
            .max(4);
        let widths = keep
            .iter()
            .enumerate()
            .map(|(i, c)| if i == 0 { first } else { natural[*c] })
            .collect();
        (keep, widths)
    }

    fn line(&self, cells: &[String], keep: &[usize], widths: &[usize]) -> String {
        let mut s = String::from(" ");
        for (i, (c, w)) in keep.iter().zip(widths).enumerate() {
            let text = fit(&cells[*c], *w);
            if i > 0 {
                s.push_str("  ");
            }
            // Padded by display columns, so a wide character does not shift the columns.
            let pad = " ".repeat(w.saturating_sub(columns(&text)));
            if self.cols[*c].right {
                s.push_str(&pad);
                s.push_str(&text);
            } else {
                s.push_str(&text);
                s.push_str(&pad);
            }
        }
        s
    }

    /// Draws the table in `area`; returns the rows drawn.
    pub fn render(&self, area: Rect, buf: &mut Buffer) -> u16 {
        if area.height == 0 {
            return 0;
        }
        let (keep, widths) = self.layout(area.width);
        let titles: Vec<String> = self.cols.iter().map(|c| c.title.clone()).collect();
        put_text(
            buf,
            area.x,
            area.y,
            self.line(&titles, &keep, &widths),
            area.width as usize,
            self.theme.bold(),
        );
        if self.rows.is_empty() {
            put_text(
                buf,
                area.x + 1,
                area.y + 1,
                self.empty,
                area.width as usize - 1,
                self.theme.dim(),
            );
            return 2;
        }
        let scrolls = self.rows.len() + 1 + usize::from(self.total.is_some()) > area.height as usize;
        let reserve = 1 + usize::from(self.total.is_some()) + usize::from(scrolls);
        let visible = (area.height as usize)
            .saturating_sub(reserve)
            .max(1)
            .min(area.height as usize - 1);
        if let Some(page) = self.page {
            page.set(visible.max(1));
        }
        if visible == 0 {
            return 1;
        }
        let offset = match self.selected {
            Some(s) if s >= visible => s + 1 - visible,
            _ => 0,
        };
        let mut y = area.y + 1;
        for (i, row) in self.rows.iter().enumerate().skip(offset).take(visible) {
            let mut style = self.tones.get(i).copied().unwrap_or_default();
            if Some(i) == self.selected {
                style = style.patch(self.theme.selected());
                let blank = " ".repeat(area.width as usize);
                put_text(buf, area.x, y, blank, usize::MAX, style);
            }
            put_text(
                buf,
                area.x,
                y,
                self.line(row, &keep, &widths),
                area.width as usize,
                style,
            );
            y += 1;
        }
        if let Some(t) = &self.total {
            if y < area.bottom() {
                put_text(
                    buf,
                    area.x,
                    y,
                    self.line(t, &keep, &widths),
                    area.width as usize,
                    self.theme.bold(),
                );
                y += 1;
            }
        }
        let hidden = self.rows.len().saturating_sub(offset + visible);
        if (offset > 0 || hidden > 0) && y < area.bottom() + 1 {
            // A table without a selection cannot scroll: it says how many rows it leaves out.
            let text = if self.selected.is_none() {
                format!(" … {hidden} more")
            } else {
                format!(
                    " rows {}–{} of {}{}",
                    offset + 1,
                    offset + visible.min(self.rows.len()),
                    self.rows.len(),
                    if hidden > 0 { "  (j/k, PgDn to scroll)" } else { "" }
                )
            };
            if y < area.bottom() {
                put_text(buf, area.x, y, text, area.width as usize, self.theme.dim());
                y += 1;
            }
        }
        y - area.y
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::buffer_text;

    fn draw(table: &TableView, width: u16, height: u16) -> String {
        let area = Rect::new(0, 0, width, height);
        let mut buf = Buffer::empty(area);
        table.render(area, &mut buf);
        buffer_text(&buf)
    }

    /// A CJK name is two columns a character: the figures after it stay in line.
    #[test]
    fn wide_names_keep_the_columns_aligned() {
        let table = TableView::new(
            Theme { color: false },
            vec![col("Team", false, 0), col("Spend", true, 0)],
            vec![
                vec!["東京チーム".into(), "$1.00".into()],
                vec!["support".into(), "$10.00".into()],
            ],
        );
        assert_eq!(
            draw(&table, 30, 3),
            " Team         Spend\n 東京チーム   $1.00\n support     $10.00\n"
        );
    }

    /// A wide title counts its display columns too (`費用合計` is 8, not 4), and a name too
    /// wide for its column is cut to the columns left (11 of 22: `東京大阪名…`).
    #[test]
    fn wide_titles_and_cut_names_are_measured_in_columns() {
        let table = TableView::new(
            Theme { color: false },
            vec![col("名前", false, 0), col("費用合計", true, 0)],
            vec![vec!["東京大阪名古屋札幌福岡チーム".into(), "$1.00".into()]],
        );
        assert_eq!(draw(&table, 22, 2), " 名前         費用合計\n 東京大阪名…     $1.00\n");
    }

    #[test]
    fn a_table_without_rows_says_so_under_its_titles() {
        let table = TableView::new(Theme { color: false }, vec![col("Model", false, 0)], Vec::new()).empty("no usage");
        assert_eq!(draw(&table, 20, 3), " Model\n no usage\n\n");
    }
}
