//! The skeleton every list view shares: the view's rows as its state filters and sorts them
//! ([`App::rows`]), a title line with the count, the sort and the filter, and a table that
//! keeps the selected row in sight and tells PgDn/PgUp how many rows it shows. A view only
//! says which columns it has and what goes in each cell.

use crate::output::safe_name;
use crate::tui::app::{App, Row, View};
use crate::tui::widgets::format::count;
use crate::tui::widgets::{Col, TableView, Theme, line_fit, put_text, wrap};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::Widget;

/// One view's list, as it is on screen.
pub struct ListView<'a> {
    pub app: &'a App,
    pub view: View,
    /// The rows shown, filtered and sorted.
    pub rows: Vec<Row>,
    pub theme: Theme,
}

impl<'a> ListView<'a> {
    pub fn new(app: &'a App, view: View, theme: Theme) -> ListView<'a> {
        ListView {
            app,
            view,
            rows: app.rows(view),
            theme,
        }
    }

    /// The position of the selected row (in a drill-down or a run, of its own list).
    pub fn selected(&self) -> usize {
        if self.view == self.app.view {
            self.app.selected()
        } else {
            self.app.lists[self.view.index()].selected
        }
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.rows.get(self.selected())
    }

    /// A title line over the list: the view, the row count (`shown of total` when filtered),
    /// the sort, the filter.
    pub fn title(&self, total: usize, area: Rect, buf: &mut Buffer) {
        self.title_note(total, None, area, buf);
    }

    /// [`title`](Self::title) with a dim note after it; the parts after the count go whole,
    /// last first, when the line is too narrow.
    pub fn title_note(&self, total: usize, note: Option<String>, area: Rect, buf: &mut Buffer) {
        let (theme, view) = (self.theme, self.view);
        let state = &self.app.lists[view.index()];
        let title = match view {
            View::Cache if self.app.cache_by_team => "By team",
            View::Cache => "By template",
            _ => view.title(),
        };
        let shown = self.rows.len();
        let mut spans = vec![Span::styled(format!(" {title}"), theme.bold())];
        let (shown, total) = (count(shown as i64), count(total as i64));
        if shown == total {
            spans.push(Span::raw(format!(" ({total})")));
        } else {
            spans.push(Span::raw(format!(" ({shown} of {total})")));
        }
        let mut more = Vec::new();
        if let Some(s) = view.sorts().get(state.sort) {
            more.push(Span::styled(format!("  sort: {s}"), theme.dim()));
        }
        if !state.filter.is_empty() {
            more.push(Span::styled(
                format!("  filter: \"{}\"", safe_name(&state.filter)),
                theme.warn(),
            ));
        }
        if let Some(n) = note {
            more.push(Span::styled(n, theme.dim()));
        }
        line_fit(spans, more, area.width).render(Rect { height: 1, ..area }, buf);
    }

    /// The table of the list: a line of cells per row, the selection followed, `empty` said
    /// when the filter leaves nothing.
    pub fn table(&self, cols: Vec<Col>, cells: impl FnMut(&Row) -> Vec<String>, empty: &'a str) -> TableView<'a> {
        TableView::new(self.theme, cols, self.rows.iter().map(cells).collect())
            .select(self.selected(), &self.app.page)
            .empty(empty)
    }

    /// A style per row.
    pub fn tones(&self, tone: impl FnMut(&Row) -> Style) -> Vec<Style> {
        self.rows.iter().map(tone).collect()
    }

    /// The total row's label: it is every row's total, filter or not, so say so when filtered.
    pub fn total_label(&self, all: &str) -> String {
        if self.app.lists[self.view.index()].filter.is_empty() {
            "Total".into()
        } else {
            all.into()
        }
    }
}

/// Dim text at the top of `area` (a legend or a note under a table), wrapped between words
/// onto as many lines as it needs and the area has; the lines it took.
pub fn note(text: impl AsRef<str>, style: Style, area: Rect, buf: &mut Buffer) -> u16 {
    let lines = wrap(text.as_ref(), area.width as usize);
    let n = (lines.len() as u16).min(area.height);
    for (i, line) in lines.iter().take(n as usize).enumerate() {
        put_text(buf, area.x, area.y + i as u16, line, area.width as usize, style);
    }
    n
}

/// `+ 3 unpriced requests not in these figures…` under a table, wrapped; the rows it took.
pub fn unpriced_note(n: i64, theme: Theme, area: Rect, buf: &mut Buffer) -> u16 {
    if n <= 0 || area.height == 0 {
        return 0;
    }
    let text = format!(
        " + {} unpriced request{} not in these figures: add the model to [prices] in cost.toml",
        count(n),
        if n == 1 { "" } else { "s" }
    );
    note(text, theme.warn(), area, buf)
}
