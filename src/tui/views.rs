//! Drawing: one function per view, each only reading [`App`]. Figures are formatted with the
//! CLI's own helpers (`usd_places`, `money_places`, `pct`, `group_thousands`), so a number here
//! reads exactly as `cost report`, `budget`, `cache`, `anomalies` and `showback` print it.
//! Tables drop their least important columns first when the terminal is narrow.

use super::app::{App, Mode, Row, View, delta, previous, priced_per_call};
use super::data::Data;
use super::keymap;
use crate::money::{Usd, group_thousands};
use crate::output::{fit_name, money_places, safe_name, usd_places};
use crate::report::ReportRow;
use crate::store::query::Dim;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

/// Colours, or none at all under `NO_COLOR` (emphasis then comes from bold and reverse).
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    fn fg(&self, c: Color) -> Style {
        if self.color { Style::new().fg(c) } else { Style::new() }
    }
    fn accent(&self) -> Style {
        self.fg(Color::Cyan)
    }
    fn good(&self) -> Style {
        self.fg(Color::Green)
    }
    fn warn(&self) -> Style {
        self.fg(Color::Yellow)
    }
    fn bad(&self) -> Style {
        self.fg(Color::Red)
    }
    fn dim(&self) -> Style {
        self.fg(Color::DarkGray)
    }
    fn bold(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
}

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &mut App, theme: Theme) {
    let area = frame.area();
    let buf = frame.buffer_mut();
    render(app, theme, area, buf);
}

/// Renders into a buffer (the event loop's frame, or a snapshot's).
pub fn render(app: &mut App, theme: Theme, area: Rect, buf: &mut Buffer) {
    if area.height < 6 || area.width < 40 {
        Paragraph::new("cost dashboard: the terminal is too small (needs 40×6)")
            .wrap(Wrap { trim: true })
            .render(area, buf);
        return;
    }
    header(app, theme, Rect { height: 1, ..area }, buf);
    tabs(
        app,
        theme,
        Rect {
            y: area.y + 1,
            height: 1,
            ..area
        },
        buf,
    );
    let body = Rect {
        y: area.y + 2,
        height: area.height - 3,
        ..area
    };
    footer(
        app,
        theme,
        Rect {
            y: area.bottom() - 1,
            height: 1,
            ..area
        },
        buf,
    );
    if let Some(e) = &app.error {
        message(
            buf,
            body,
            theme,
            &[
                "The store could not be read.".into(),
                String::new(),
                e.clone(),
                String::new(),
                "Press r to try again, q to quit.".into(),
            ],
        );
        return;
    }
    let Some(data) = &app.data else {
        message(
            buf,
            body,
            theme,
            &[format!("Reading {} from the store…", app.window.label())],
        );
        return;
    };
    if data.empty_store {
        first_run(buf, body, theme, data);
    } else if data.core.teams.rows.is_empty() {
        let (first, last) = data.core.store_days.clone().unwrap_or_default();
        let month = app.window.month.to_string();
        let months_to = |day: &str| {
            let ym = |d: &str| {
                d.get(0..4).and_then(|y| y.parse::<i64>().ok()).unwrap_or(0) * 12
                    + d.get(5..7).and_then(|m| m.parse::<i64>().ok()).unwrap_or(0)
            };
            ym(day) - ym(&month)
        };
        let which = if last < month {
            let n = -months_to(&last);
            format!(
                "press [ {} or open it with --month {}",
                times(n),
                &last[..7.min(last.len())]
            )
        } else if first > data.core.window.until.to_string() {
            let n = months_to(&first);
            if first.as_str() > app.today.to_string().as_str() {
                format!(
                    "it starts after today ({}), so the dashboard cannot show it yet",
                    app.today
                )
            } else {
                format!(
                    "press ] {} or open it with --month {}",
                    times(n),
                    &first[..7.min(first.len())]
                )
            }
        } else {
            "press [ or ] to move to another month".to_string()
        };
        message(
            buf,
            body,
            theme,
            &[
                format!("No usage in {}.", app.window.label()),
                String::new(),
                format!(
                    "The store holds {} {} from {first} to {last}: {which}.",
                    crate::money::group_thousands(&data.core.store_requests.to_string()),
                    if data.core.store_requests == 1 {
                        "request"
                    } else {
                        "requests"
                    }
                ),
            ],
        );
    } else {
        match app.view {
            View::Overview => overview(app, data, theme, body, buf),
            View::Teams if app.drill.is_some() => team_drill(app, data, theme, body, buf),
            View::Teams => teams(app, data, theme, body, buf),
            View::Templates => templates(app, data, theme, body, buf),
            View::Models => models(app, data, theme, body, buf),
            View::Cache => cache(app, data, theme, body, buf),
            View::Budgets => budgets(app, data, theme, body, buf),
            View::Commitments => commitments(app, data, theme, body, buf),
            View::Anomalies => anomalies(app, data, theme, body, buf),
        }
    }
    if app.mode == Mode::Help {
        help(theme, body, buf);
    }
}

/// `once`, `2 times`
fn times(n: i64) -> String {
    if n == 1 { "once".into() } else { format!("{n} times") }
}

fn month_name(m: i8) -> &'static str {
    [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(m.clamp(1, 12) - 1) as usize]
}

fn header(app: &App, theme: Theme, area: Rect, buf: &mut Buffer) {
    let w = app.window;
    let span = format!(
        "{} {}–{}{}",
        month_name(w.month.month()),
        w.month.day(),
        w.until.day(),
        if w.is_running(app.today) { ", to date" } else { "" }
    );
    let left = Line::from(vec![
        Span::styled(" cost dashboard ", theme.bold().patch(theme.accent())),
        Span::raw("│ "),
        Span::styled(w.label(), theme.bold()),
        Span::raw(format!(" ({span}, UTC)")),
    ]);
    (&left).render(area, buf);
    let right = if let Some(s) = &app.status {
        s.clone()
    } else if app.loading() && app.error.is_none() {
        "loading…".to_string()
    } else {
        app.data.as_ref().map(|d| d.store_path.clone()).unwrap_or_default()
    };
    let used = left.width();
    let room = (area.width as usize).saturating_sub(used + 2);
    if room > 3 {
        let text = truncate_left(&safe_name(&right), room);
        let x = area.right() - text.chars().count() as u16 - 1;
        put_text(buf, x, area.y, &text, usize::MAX, theme.dim());
    }
}

fn tabs(app: &App, theme: Theme, area: Rect, buf: &mut Buffer) {
    let full: usize = View::ALL.iter().map(|v| v.title().len() + 4).sum();
    let mut spans = vec![Span::raw(" ")];
    for v in View::ALL {
        let name = if full <= area.width as usize {
            v.title()
        } else {
            match v {
                View::Templates => "Tmpl",
                View::Commitments => "Commit",
                View::Anomalies => "Anom",
                View::Budgets => "Budget",
                other => other.title(),
            }
        };
        let text = format!("{} {}", v.index() + 1, name);
        if v == app.view {
            spans.push(Span::styled(text, theme.selected().patch(theme.bold())));
        } else {
            spans.push(Span::styled(text, theme.dim()));
        }
        spans.push(Span::raw("  "));
    }
    Line::from(spans).render(area, buf);
}

fn footer(app: &App, theme: Theme, area: Rect, buf: &mut Buffer) {
    if app.mode == Mode::Filter {
        let line = Line::from(vec![
            Span::styled(" / ", theme.bold().patch(theme.accent())),
            Span::raw(safe_name(&app.input).into_owned()),
            Span::styled("█", theme.accent()),
            Span::styled("   Enter keep · Esc clear", theme.dim()),
        ]);
        line.render(area, buf);
        return;
    }
    let items = keymap::footer(app.mode);
    let mut spans = vec![Span::raw(" ")];
    let mut width = 1;
    // The last two (help, quit) always show; the rest while they fit.
    let tail: usize = items
        .iter()
        .rev()
        .take(2)
        .map(|(k, d)| k.chars().count() + d.len() + 3)
        .sum::<usize>()
        .saturating_sub(2); // the last item needs no trailing gap
    for (i, (keys, what)) in items.iter().enumerate() {
        let w = keys.chars().count() + what.len() + 3;
        let is_tail = i + 2 >= items.len();
        if !is_tail && width + w + tail > area.width as usize {
            continue;
        }
        width += w;
        spans.push(Span::styled(keys.to_string(), theme.bold().patch(theme.accent())));
        spans.push(Span::raw(format!(" {what}  ")));
    }
    Line::from(spans).render(area, buf);
}

/// Centered lines of text in the body.
fn message(buf: &mut Buffer, area: Rect, theme: Theme, lines: &[String]) {
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

fn first_run(buf: &mut Buffer, area: Rect, theme: Theme, data: &Data) {
    let db = &data.store_path;
    message(
        buf,
        area,
        theme,
        &[
            "No usage imported yet.".into(),
            String::new(),
            if data.store_exists {
                format!("The store {db} is empty. Import usage logs into it, then press r:")
            } else {
                format!("There is no store at {db} yet. Import usage logs to create it, then press r:")
            },
            String::new(),
            format!("  cost import --db {db} logs/*.jsonl"),
            "      (OpenAI, Anthropic, LiteLLM, Bedrock, usage APIs, CSV)".into(),
            format!("  cost import --db {db} ~/.claude/projects"),
            "      (Claude Code transcripts)".into(),
            "  cost import --help   lists every source".into(),
            String::new(),
            "Budgets and commitments come from cost.toml: [teams.NAME] and [[commitments]].".into(),
        ],
    );
}

fn help(theme: Theme, area: Rect, buf: &mut Buffer) {
    let lines = keymap::help_lines();
    let key_w = lines.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
    let text_w = lines.iter().map(|(_, h)| h.chars().count()).max().unwrap_or(0);
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
            Line::from(vec![
                Span::styled(format!(" {k:<key_w$}  "), theme.bold().patch(theme.accent())),
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

// ---------------------------------------------------------------------------------------
// Tables

/// A column: its title, whether figures align right, and how soon it goes when space is short
/// (0 never; higher goes first).
struct Col {
    title: String,
    right: bool,
    drop: u8,
}

fn col(title: &str, right: bool, drop: u8) -> Col {
    Col {
        title: title.to_string(),
        right,
        drop,
    }
}

struct TableView<'a> {
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
    page: Option<&'a std::cell::Cell<usize>>,
}

impl TableView<'_> {
    /// Which columns fit in `width`, and their widths (the first column takes what is left).
    fn layout(&self, width: u16) -> (Vec<usize>, Vec<usize>) {
        let natural: Vec<usize> = (0..self.cols.len())
            .map(|c| {
                let cells = self
                    .rows
                    .iter()
                    .chain(self.total.iter())
                    .map(|r| columns(&safe_name(&r[c])));
                cells.chain([self.cols[c].title.chars().count()]).max().unwrap_or(0)
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
    fn render(&self, area: Rect, buf: &mut Buffer) -> u16 {
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
            let text = format!(
                " rows {}–{} of {}{}",
                offset + 1,
                offset + visible.min(self.rows.len()),
                self.rows.len(),
                if hidden > 0 { "  (j/k, PgDn to scroll)" } else { "" }
            );
            if y < area.bottom() {
                put_text(buf, area.x, y, text, area.width as usize, self.theme.dim());
                y += 1;
            }
        }
        y - area.y
    }
}

/// Writes text at (x, y), cut at `max` characters and at the buffer's edge; nothing outside the
/// buffer (a tiny terminal must never crash the dashboard).
fn put_text(buf: &mut Buffer, x: u16, y: u16, s: impl AsRef<str>, max: usize, style: Style) {
    let a = buf.area;
    if y < a.top() || y >= a.bottom() || x < a.left() || x >= a.right() {
        return;
    }
    // Names come from logs: control characters are shown escaped, as in `cost report`.
    buf.set_stringn(x, y, safe_name(s.as_ref()), max.min((a.right() - x) as usize), style);
}

/// Display columns of already-safe text.
fn columns(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// Text made safe for the terminal and cut to `w` display columns, ending in `…` when cut.
fn fit(s: &str, w: usize) -> String {
    if w == 0 { String::new() } else { fit_name(s, w) }
}

fn truncate_left(s: &str, w: usize) -> String {
    let n = s.chars().count();
    if n <= w {
        s.to_string()
    } else {
        let mut t = String::from("…");
        t.extend(s.chars().skip(n - w + 1));
        t
    }
}

// ---------------------------------------------------------------------------------------
// Formatting shared with the CLI

fn count(n: i64) -> String {
    let s = group_thousands(&n.unsigned_abs().to_string());
    if n < 0 { format!("-{s}") } else { s }
}

/// `41.2%` from a fraction, `–` for none (as `cost report`).
fn rate(r: Option<f64>) -> String {
    crate::output::report::pct(r).display
}

/// `74.0%` from a percentage, `–` for none (as `cost budget`).
fn pct100(p: Option<f64>) -> String {
    p.map(|p| format!("{p:.1}%")).unwrap_or_else(|| "–".into())
}

/// `+12.5%`; `new` for a row the previous period did not have; `–` when the store has
/// nothing for the previous period at all.
fn signed_pct(d: Option<f64>, had_previous: bool) -> String {
    match d {
        Some(d) => format!("{:+.1}%", d * 100.0),
        None if had_previous => "new".into(),
        None => "–".into(),
    }
}

/// Cost per call with six decimals, as `cost anomalies` shows it.
/// A row's spend; `unpriced` when none of its requests could be priced (never `$0`).
fn spend(r: &ReportRow, places: u32) -> String {
    match r.cost_usd {
        Some(c) => usd_places(c, places),
        None => "unpriced".into(),
    }
}

/// Money that may be unknown: `unpriced`, never `$0`.
fn opt_usd(v: Option<Usd>, places: u32) -> String {
    v.map_or("unpriced".into(), |v| usd_places(v, places))
}

/// Cost per priced call.
fn row_per_call(r: &ReportRow) -> String {
    per_call(r.priced_usd(), r.requests - r.unpriced_requests)
}

fn per_call(cost: Usd, requests: i64) -> String {
    if requests > 0 {
        usd_places(cost.ratio(1, requests as i128), 6)
    } else {
        "–".into()
    }
}

fn share(part: i64, whole: i64) -> String {
    if whole > 0 {
        format!("{:.1}%", part as f64 * 100.0 / whole as f64)
    } else {
        "–".into()
    }
}

/// A title line over a list: the view, the row count, the sort, the filter.
fn list_title(app: &App, view: View, shown: usize, total: usize, theme: Theme, area: Rect, buf: &mut Buffer) {
    let state = &app.lists[view.index()];
    let title = if view == View::Cache {
        "By template"
    } else {
        view.title()
    };
    let mut spans = vec![Span::styled(format!(" {title}"), theme.bold())];
    if shown == total {
        spans.push(Span::raw(format!(" ({total})")));
    } else {
        spans.push(Span::raw(format!(" ({shown} of {total})")));
    }
    if let Some(s) = view.sorts().get(state.sort) {
        spans.push(Span::styled(format!("  sort: {s}"), theme.dim()));
    }
    if !state.filter.is_empty() {
        spans.push(Span::styled(
            format!("  filter: \"{}\"", safe_name(&state.filter)),
            theme.warn(),
        ));
    }
    Line::from(spans).render(Rect { height: 1, ..area }, buf);
}

fn below(area: Rect, used: u16) -> Rect {
    let used = used.min(area.height);
    Rect {
        y: area.y + used,
        height: area.height - used,
        ..area
    }
}

fn unpriced_note(n: i64, theme: Theme, area: Rect, buf: &mut Buffer) -> u16 {
    if n <= 0 || area.height == 0 {
        return 0;
    }
    let text = format!(
        " + {} unpriced request{} not in these figures: add the model to [prices] in cost.toml",
        count(n),
        if n == 1 { "" } else { "s" }
    );
    put_text(buf, area.x, area.y, text, area.width as usize, theme.warn());
    1
}

// ---------------------------------------------------------------------------------------
// Charts

/// Vertical bars of `values`, one column per value, with optional marks (▲) under some of
/// them, and the first and last labels under the axis.
/// Bars start at `floor` (0 for spend; above 0 to show a change in cost per call).
fn bars(values: &[f64], floor: f64, marks: &[usize], labels: (&str, &str), theme: Theme, area: Rect, buf: &mut Buffer) {
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
            .saturating_sub(labels.1.chars().count() as u16)
            .max(area.x + 1 + labels.0.len() as u16 + 1);
        if x + (labels.1.chars().count() as u16) <= area.right() {
            put_text(buf, x, axis_y, labels.1, usize::MAX, theme.dim());
        }
    }
}

/// A horizontal gauge: `filled` of `scale` in `█`, `ahead` (a forecast) in `▒`, with marks
/// (`┊` soft, `┃` hard, `▲` forecast) at positions given in the same units.
fn gauge(width: usize, scale: f64, filled: f64, ahead: Option<f64>, marks: &[(f64, char)]) -> String {
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

// ---------------------------------------------------------------------------------------
// Views

fn overview(app: &App, data: &Data, theme: Theme, area: Rect, buf: &mut Buffer) {
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
    lines.push(Line::from(vec![
        label("Unpriced"),
        if unpriced > 0 {
            Span::styled(
                format!(
                    "{} request{} not in the figures: price {} under [prices], then `cost import --update`",
                    count(unpriced),
                    if unpriced == 1 { "" } else { "s" },
                    if unpriced == 1 { "its model" } else { "their models" }
                ),
                theme.warn(),
            )
        } else {
            Span::raw("0 requests")
        },
    ]));
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
    top5(&c.teams, Dim::Team, "Top teams", theme, left, buf);
    top5(&c.templates, Dim::Template, "Top templates", theme, right, buf);
}

/// Each day of the window (`2026-10-01`, …) with `value(day)` (0 for a day without usage).
fn by_day(window: super::data::Window, value: impl Fn(&str) -> Option<f64>) -> Vec<(String, f64)> {
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

fn top5(report: &crate::report::Report, dim: Dim, title: &str, theme: Theme, area: Rect, buf: &mut Buffer) {
    let total = report.totals.sums.cost_nanos;
    let rows: Vec<&ReportRow> = report.rows.iter().take(5).collect();
    let places = money_places(rows.iter().map(|r| r.priced_usd()));
    let t = TableView {
        cols: vec![col(title, false, 0), col("Spend", true, 0), col("Share", true, 1)],
        rows: rows
            .iter()
            .map(|r| vec![r.label(dim), spend(r, places), share(r.sums.cost_nanos, total)])
            .collect(),
        tones: Vec::new(),
        total: None,
        selected: None,
        theme,
        empty: "none",
        page: None,
    };
    t.render(area, buf);
    if report.rows.len() > 5 {
        let y = area.y + 1 + rows.len() as u16;
        if y < area.bottom() {
            put_text(
                buf,
                area.x + 1,
                y,
                format!(
                    "… {} more (press {})",
                    report.rows.len() - 5,
                    if dim == Dim::Team { 2 } else { 3 }
                ),
                area.width as usize - 1,
                theme.dim(),
            );
        }
    }
}

fn selected_of(app: &App, view: View) -> usize {
    if view == View::Teams && app.drill.is_some() {
        app.drill_selected
    } else {
        app.lists[view.index()].selected
    }
}

fn teams(app: &App, data: &Data, theme: Theme, area: Rect, buf: &mut Buffer) {
    let c = &data.core;
    let rows: Vec<Row> = app.rows(View::Teams);
    list_title(app, View::Teams, rows.len(), c.teams.rows.len(), theme, area, buf);
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
    let mut tones = Vec::new();
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            let r = &c.teams.rows[row.index];
            let b = budget(&row.label);
            tones.push(match b.map(|b| b.status.as_str()) {
                Some("hard") => theme.bad(),
                Some("soft" | "incomplete") => theme.warn(),
                _ => Style::new(),
            });
            let prev = previous(&c.prev_teams, Dim::Team, &row.label).map(|p| p.sums.cost_nanos as f64);
            vec![
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
            ]
        })
        .collect();
    let t = &c.teams.totals;
    let prev_total = c.prev_teams.totals.sums.cost_nanos as f64;
    let table = TableView {
        cols: vec![
            col("Team", false, 0),
            col("Spend", true, 0),
            col("Share", true, 5),
            col("Δ prev", true, 1),
            col("Budget", true, 2),
            col("Forecast", true, 4),
            col("Cache hit", true, 3),
            col("Requests", true, 6),
            col("Unpriced", true, if t.unpriced_requests > 0 { 2 } else { 7 }),
        ],
        rows: cells,
        tones,
        total: Some(vec![
            // The total is every team's, filter or not: say so when the list is filtered.
            if app.lists[View::Teams.index()].filter.is_empty() {
                "Total".into()
            } else {
                "All teams".into()
            },
            spend(t, places),
            share(total, total),
            signed_pct(delta(total as f64, prev_total), !c.prev_teams.rows.is_empty()),
            String::new(),
            String::new(),
            rate(t.cache_hit_rate),
            count(t.requests),
            count(t.unpriced_requests),
        ]),
        selected: Some(selected_of(app, View::Teams)),
        theme,
        empty: "no team matches the filter",
        page: Some(&app.page),
    };
    let used = table.render(below(area, 1), buf);
    let rest = below(area, used + 2);
    let prev = app.window.previous();
    if rest.height > 0 {
        put_text(
            buf,
            rest.x,
            rest.y,
            format!(
                " Δ prev: vs {} to {} · Budget, Forecast: % of the monthly budget · Enter: drill in",
                prev.since, prev.until
            ),
            rest.width as usize,
            theme.dim(),
        );
    }
}

fn team_drill(app: &App, data: &Data, theme: Theme, area: Rect, buf: &mut Buffer) {
    let c = &data.core;
    let team = app.drill.clone().unwrap_or_default();
    let team_total = c
        .teams
        .rows
        .iter()
        .find(|r| r.label(Dim::Team) == team)
        .map(|r| (r.sums.cost_nanos, r.cost_usd, r.requests))
        .unwrap_or((0, Some(Usd::ZERO), 0));
    let places = money_places(team_total.1);
    let title = Line::from(vec![
        Span::styled(" Teams › ", theme.dim()),
        Span::styled(safe_name(&team).into_owned(), theme.bold()),
        Span::raw(format!(
            "  {} · {} requests  (Esc back){}",
            team_total.1.map_or("unpriced".into(), |c| usd_places(c, places)),
            count(team_total.2),
            if app.drill_filter.is_empty() {
                String::new()
            } else {
                format!("  filter: \"{}\"", app.drill_filter)
            }
        )),
    ]);
    title.render(Rect { height: 1, ..area }, buf);
    let rows = app.rows(View::Teams);
    let half = (area.height.saturating_sub(2)) * 3 / 5;
    let tmpl = TableView {
        cols: vec![
            col("Template", false, 0),
            col("Requests", true, 3),
            col("Spend", true, 0),
            col("Share", true, 1),
            col("Cost/call", true, 2),
            col("Cache hit", true, 2),
        ],
        rows: rows
            .iter()
            .map(|row| {
                let r = &c.team_templates.rows[row.index];
                vec![
                    row.label.clone(),
                    count(r.requests),
                    spend(r, places),
                    share(r.sums.cost_nanos, team_total.0),
                    row_per_call(r),
                    rate(r.cache_hit_rate),
                ]
            })
            .collect(),
        tones: Vec::new(),
        total: None,
        selected: Some(app.drill_selected),
        theme,
        empty: "no template matches the filter",
        page: Some(&app.page),
    };
    let used = tmpl.render(
        Rect {
            y: area.y + 2,
            height: half,
            ..area
        },
        buf,
    );
    let models_area = below(area, 2 + used + 1);
    let model_rows: Vec<&ReportRow> = c
        .team_models
        .rows
        .iter()
        .filter(|r| r.label(Dim::Team) == team)
        .collect();
    let table = TableView {
        cols: vec![
            col("Model", false, 0),
            col("Requests", true, 3),
            col("Spend", true, 0),
            col("Share", true, 1),
            col("Cost/call", true, 2),
            col("Cache hit", true, 2),
        ],
        rows: model_rows
            .iter()
            .map(|r| {
                vec![
                    r.label(Dim::Model),
                    count(r.requests),
                    spend(r, places),
                    share(r.sums.cost_nanos, team_total.0),
                    row_per_call(r),
                    rate(r.cache_hit_rate),
                ]
            })
            .collect(),
        tones: Vec::new(),
        total: None,
        selected: None,
        theme,
        empty: "no usage",
        page: None,
    };
    table.render(models_area, buf);
}

fn templates(app: &App, data: &Data, theme: Theme, area: Rect, buf: &mut Buffer) {
    let c = &data.core;
    let rows = app.rows(View::Templates);
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
        let h = (rows.len() as u16 + 3).min(area.height / 2).max(area.height.min(4));
        (Rect { height: h, ..area }, below(area, h + 1))
    };
    list_title(
        app,
        View::Templates,
        rows.len(),
        c.templates.rows.len(),
        theme,
        list_area,
        buf,
    );
    let places = money_places(c.templates.rows.iter().map(|r| r.priced_usd()));
    let table = TableView {
        cols: vec![
            col("Template", false, 0),
            col("Requests", true, 3),
            col("Spend", true, 0),
            col("Cost/call", true, 1),
            col("Δ/call", true, 2),
            col("Cache hit", true, 4),
        ],
        rows: rows
            .iter()
            .map(|row| {
                let r = &c.templates.rows[row.index];
                let now = priced_per_call(r);
                let prev = previous(&c.prev_templates, Dim::Template, &row.label).map(priced_per_call);
                vec![
                    row.label.clone(),
                    count(r.requests),
                    spend(r, places),
                    row_per_call(r),
                    signed_pct(prev.and_then(|p| delta(now, p)), !c.prev_templates.rows.is_empty()),
                    rate(r.cache_hit_rate),
                ]
            })
            .collect(),
        tones: Vec::new(),
        total: None,
        selected: Some(selected_of(app, View::Templates)),
        theme,
        empty: "no template matches the filter",
        page: Some(&app.page),
    };
    table.render(below(list_area, 1), buf);
    let Some(row) = rows.get(selected_of(app, View::Templates)) else {
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
    let mut y = 0;
    let mut put = |text: Line, buf: &mut Buffer| {
        if y < area.height {
            text.render(
                Rect {
                    y: area.y + y,
                    height: 1,
                    ..area
                },
                buf,
            );
        }
        y += 1;
    };
    put(
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
                .filter(|x| x.kind == "change_point" && x.key.as_deref() == Some(name))
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
    put(
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
            y: area.y + y,
            height: chart_h.min(area.height.saturating_sub(y)),
            ..area
        },
        buf,
    );
    y += chart_h + 1;
    let mut put = |text: Line, buf: &mut Buffer| {
        if y < area.height {
            text.render(
                Rect {
                    y: area.y + y,
                    height: 1,
                    ..area
                },
                buf,
            );
        }
        y += 1;
    };
    for x in &changes {
        let (_, change, impact) = crate::output::anomalies::describe(x);
        put(
            Line::styled(
                format!(" ▲ {}  {}  {impact}", x.date, x.driver.replace('_', " ")),
                theme.warn(),
            ),
            buf,
        );
        put(Line::raw(format!("   {change}")), buf);
    }
    let per = |n: i64| group_thousands(&format!("{:.0}", n as f64 / requests));
    put(Line::styled(" Tokens per call", theme.dim()), buf);
    put(
        Line::raw(format!(
            "   uncached {} · cache read {} · cache write {}",
            per(r.uncached_input_tokens),
            per(r.cache_read_tokens),
            per(r.cache_write_5m_tokens + r.cache_write_1h_tokens),
        )),
        buf,
    );
    put(
        Line::raw(format!(
            "   output {} (reasoning {})",
            per(r.output_tokens),
            per(r.reasoning_tokens)
        )),
        buf,
    );
    put(
        Line::styled(" Model mix (share of spend · of requests)", theme.dim()),
        buf,
    );
    let mix: Vec<&ReportRow> = c
        .template_models
        .rows
        .iter()
        .filter(|x| x.label(Dim::Template) == name)
        .collect();
    for m in mix.iter().take(4) {
        put(
            Line::raw(format!(
                "   {:<28} {:>6} · {:>6}",
                fit(&m.label(Dim::Model), 28),
                share(m.sums.cost_nanos, r.sums.cost_nanos),
                share(m.requests, r.requests)
            )),
            buf,
        );
    }
    if mix.len() > 4 {
        put(
            Line::styled(format!("   … {} more models", mix.len() - 4), theme.dim()),
            buf,
        );
    }
}

fn models(app: &App, data: &Data, theme: Theme, area: Rect, buf: &mut Buffer) {
    let c = &data.core;
    let rows = app.rows(View::Models);
    list_title(app, View::Models, rows.len(), c.models.rows.len(), theme, area, buf);
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
    let mut tones = Vec::new();
    let table = TableView {
        cols: vec![
            col("Model", false, 0),
            col("Requests", true, 4),
            col("Input tok", true, 5),
            col("Output tok", true, 5),
            col("Spend", true, 0),
            col("Share", true, 1),
            col("Cost/call", true, 3),
            col("Cache hit", true, 2),
            col("Unpriced", true, if t.unpriced_requests > 0 { 1 } else { 6 }),
        ],
        rows: rows
            .iter()
            .map(|row| {
                let r = &c.models.rows[row.index];
                tones.push(if r.unpriced_requests > 0 {
                    theme.warn()
                } else {
                    Style::new()
                });
                line(row.label.clone(), r)
            })
            .collect(),
        tones,
        total: Some(line(
            if app.lists[View::Models.index()].filter.is_empty() {
                "Total".into()
            } else {
                "All models".into()
            },
            t,
        )),
        selected: Some(selected_of(app, View::Models)),
        theme,
        empty: "no model matches the filter",
        page: Some(&app.page),
    };
    let used = table.render(below(area, 1), buf);
    unpriced_note(t.unpriced_requests, theme, below(area, used + 2), buf);
}

fn loading(buf: &mut Buffer, area: Rect, theme: Theme, what: &str) {
    message(buf, area, theme, &[format!("Computing {what}…")]);
}

fn cache(app: &App, data: &Data, theme: Theme, area: Rect, buf: &mut Buffer) {
    let Some(a) = &data.analyses else {
        return loading(buf, area, theme, "cache savings");
    };
    let r = &a.cache;
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
    let money_line = Line::from(vec![
        Span::styled(" Savings ", theme.dim()),
        Span::styled(opt_usd(t.savings_usd, places), theme.good()),
        Span::styled("  Write premium ", theme.dim()),
        Span::styled(opt_usd(t.write_premium_usd, places), theme.warn()),
        Span::styled("  Net ", theme.dim()),
        Span::styled(opt_usd(t.net_savings_usd, places), theme.bold()),
    ]);
    Paragraph::new(vec![hits, money_line]).render(Rect { height: 2, ..area }, buf);
    let rows = app.rows(View::Cache);
    let list = below(area, 2);
    list_title(app, View::Cache, rows.len(), r.rows.len(), theme, list, buf);
    // Opportunities only where the table keeps room for its rows.
    let opp_h = if list.height < 14 {
        0
    } else {
        (r.opportunities.len().min(5) as u16 + 2).max(2)
    };
    let table_area = Rect {
        height: list.height.saturating_sub(opp_h + 2),
        ..below(list, 1)
    };
    let table = TableView {
        cols: vec![
            col("Template", false, 0),
            col("Requests", true, 4),
            col("Token hit", true, 1),
            col("Request hit", true, 3),
            col("Savings", true, 2),
            col("Premium", true, 2),
            col("Net", true, 0),
        ],
        rows: rows
            .iter()
            .map(|row| {
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
            })
            .collect(),
        tones: Vec::new(),
        total: None,
        selected: Some(selected_of(app, View::Cache)),
        theme,
        empty: "no template matches the filter",
        page: Some(&app.page),
    };
    let used = table.render(table_area, buf);
    if opp_h == 0 {
        return;
    }
    let opp = below(table_area, used + 1);
    let opp = Rect {
        height: opp.height.min(list.bottom().saturating_sub(opp.y)),
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
    TableView {
        cols: vec![
            col("Opportunity", false, 0),
            col("Model", false, 3),
            col("Prefix tok", true, 2),
            col("Hit now", true, 1),
            col("Saving/month at 80%", true, 0),
        ],
        rows: r
            .opportunities
            .iter()
            .map(|o| {
                vec![
                    o.template.clone(),
                    o.model.clone(),
                    count(o.cacheable_prefix_tokens as i64),
                    rate(Some(o.cache_hit_rate)),
                    usd_places(o.estimated_monthly_saving_usd, op_places),
                ]
            })
            .collect(),
        tones: Vec::new(),
        total: None,
        selected: None,
        theme,
        empty: "",
        page: None,
    }
    .render(opp, buf);
}

fn budgets(app: &App, data: &Data, theme: Theme, area: Rect, buf: &mut Buffer) {
    let b = &data.core.budget;
    let rows = app.rows(View::Budgets);
    list_title(app, View::Budgets, rows.len(), b.teams.len(), theme, area, buf);
    let legend = " █ spent  ▒ forecast ▲  ┊ soft  ┃ hard limit   Enter: the team";
    put_text(buf, area.x, area.y + 1, legend, area.width as usize, theme.dim());
    let places = money_places(b.teams.iter().flat_map(|t| [t.spent_usd, t.forecast_usd]).flatten());
    let bar_w = (area.width as usize).saturating_sub(90).clamp(12, 40);
    let mut tones = Vec::new();
    let cells = rows
        .iter()
        .map(|row| {
            let t = &b.teams[row.index];
            tones.push(match t.status.as_str() {
                "hard" => theme.bad(),
                "soft" => theme.warn(),
                "forecast-hard" | "forecast-soft" | "incomplete" => theme.warn(),
                "ok" => theme.good(),
                _ => Style::new(),
            });
            let bar = match (t.pct, t.forecast_pct) {
                (Some(p), Some(f)) => {
                    let soft = t.soft_pct.unwrap_or(80.0);
                    let hard = t.hard_pct.unwrap_or(100.0);
                    let scale = p.max(f).max(hard) * 1.1;
                    gauge(bar_w, scale, p, Some(f), &[(soft, '┊'), (hard, '┃'), (f, '▲')])
                }
                _ => String::new(),
            };
            vec![
                row.label.clone(),
                bar,
                t.spent_usd.map_or("unpriced".into(), |v| usd_places(v, places)),
                // As `cost budget`: a team without a budget shows the suggested one.
                match (t.budget_usd, t.suggested_budget_usd) {
                    (Some(b), _) => usd_places(b, places),
                    (None, Some(s)) => format!("({} suggested)", usd_places(s, places)),
                    (None, None) => "–".into(),
                },
                pct100(t.pct),
                t.forecast_usd.map_or("unpriced".into(), |v| usd_places(v, places)),
                pct100(t.forecast_pct),
                t.status.as_str().to_string(),
                match (&t.soft_crossed_on, &t.hard_crossed_on) {
                    (_, Some(h)) => format!("hard {h}"),
                    (Some(s), None) => format!("soft {s}"),
                    _ => String::new(),
                },
            ]
        })
        .collect();
    let table = TableView {
        cols: vec![
            col("Team", false, 0),
            col("Burn", false, 0),
            col("Spent", true, 0),
            col("Budget", true, 0),
            col("Used", true, 0),
            col("Forecast", true, 4),
            col("Fcst %", true, 2),
            col("Status", false, 0),
            col("Crossed", false, 5),
        ],
        rows: cells,
        tones,
        total: None,
        selected: Some(selected_of(app, View::Budgets)),
        theme,
        empty: "no team matches the filter",
        page: Some(&app.page),
    };
    let used = table.render(below(area, 2), buf);
    let unpriced: i64 = b.teams.iter().map(|t| t.unpriced_requests).sum();
    unpriced_note(unpriced, theme, below(area, used + 3), buf);
}

fn commitments(app: &App, data: &Data, theme: Theme, area: Rect, buf: &mut Buffer) {
    let Some(a) = &data.analyses else {
        return loading(buf, area, theme, "commitments");
    };
    let s = &a.showback;
    if s.commitments.is_empty() {
        return message(
            buf,
            area,
            theme,
            &[
                "No commitments configured.".into(),
                String::new(),
                "Add each reserved or provisioned capacity to cost.toml:".into(),
                String::new(),
                "  [[commitments]]".into(),
                "  name = \"ptu-east\"".into(),
                "  model = \"gpt-4o\"".into(),
                "  monthly_usd = 50000".into(),
            ],
        );
    }
    let rows = app.rows(View::Commitments);
    list_title(
        app,
        View::Commitments,
        rows.len(),
        s.commitments.len(),
        theme,
        area,
        buf,
    );
    let places = money_places(
        s.commitments
            .iter()
            .flat_map(|c| [c.committed_usd, c.consumed_list_usd, c.idle_usd]),
    );
    let bar_w = (area.width as usize).saturating_sub(96).clamp(10, 40);
    let table = TableView {
        cols: vec![
            col("Commitment", false, 0),
            col("Model", false, 4),
            col("Utilisation", false, 2),
            col("Used", true, 0),
            col("Committed", true, 1),
            col("Used at list", true, 3),
            col("Idle", true, 0),
            col("Overage", true, 5),
        ],
        rows: rows
            .iter()
            .map(|row| {
                let c = &s.commitments[row.index];
                vec![
                    c.name.clone(),
                    c.model.clone(),
                    gauge(
                        bar_w,
                        c.utilization_pct.max(100.0),
                        c.utilization_pct,
                        None,
                        &[(100.0, '┃')],
                    ),
                    format!("{:.1}%", c.utilization_pct),
                    usd_places(c.committed_usd, places),
                    usd_places(c.consumed_list_usd, places),
                    usd_places(c.idle_usd, places),
                    usd_places(c.overage_usd, places),
                ]
            })
            .collect(),
        tones: rows
            .iter()
            .map(|row| {
                let u = s.commitments[row.index].utilization_pct;
                if u < 50.0 {
                    theme.bad()
                } else if u < 80.0 {
                    theme.warn()
                } else {
                    theme.good()
                }
            })
            .collect(),
        total: None,
        selected: Some(selected_of(app, View::Commitments)),
        theme,
        empty: "no commitment matches the filter",
        page: Some(&app.page),
    };
    let used = table.render(below(area, 1), buf);
    let note = below(area, used + 1);
    if note.height > 0 {
        let w = data.core.window;
        put_text(
            buf,
            note.x,
            note.y,
            format!(
                " Committed: pro-rated to {} of {} days · used: the model's usage at list price",
                s.until.get(8..10).unwrap_or("").trim_start_matches('0'),
                w.month.last_of_month().day()
            ),
            note.width as usize,
            theme.dim(),
        );
    }
    let rest = below(area, used + 3);
    let Some(row) = rows.get(selected_of(app, View::Commitments)) else {
        return;
    };
    let c = &s.commitments[row.index];
    if rest.height == 0 {
        return;
    }
    put_text(
        buf,
        rest.x,
        rest.y,
        format!(
            " {} by team, at list price · the idle {} is not allocated",
            c.name,
            usd_places(c.idle_usd, places)
        ),
        rest.width as usize,
        theme.bold(),
    );
    let tp = money_places(c.teams.iter().flat_map(|t| [t.consumed_list_usd, t.allocated_usd]));
    TableView {
        cols: vec![
            col("Team", false, 0),
            col("Used at list", true, 1),
            col("Share", true, 0),
            col("Allocated", true, 0),
        ],
        rows: c
            .teams
            .iter()
            .map(|t| {
                vec![
                    t.team.clone().unwrap_or_else(|| "(unassigned)".into()),
                    usd_places(t.consumed_list_usd, tp),
                    format!("{:.1}%", t.share_pct),
                    usd_places(t.allocated_usd, tp),
                ]
            })
            .collect(),
        tones: Vec::new(),
        total: None,
        selected: None,
        theme,
        empty: "no usage of this commitment this month",
        page: None,
    }
    .render(below(rest, 1), buf);
}

fn anomalies(app: &App, data: &Data, theme: Theme, area: Rect, buf: &mut Buffer) {
    let Some(a) = &data.analyses else {
        return loading(buf, area, theme, "anomalies");
    };
    let list = &a.anomalies;
    let rows = app.rows(View::Anomalies);
    list_title(app, View::Anomalies, rows.len(), list.anomalies.len(), theme, area, buf);
    if list.anomalies.is_empty() {
        message(
            buf,
            below(area, 1),
            theme,
            &[
                format!("No anomalies from {} to {}.", list.since, list.until),
                String::new(),
                format!(
                    "A spike is a day {} robust deviations and ${:.2} above its 28-day median; a change point is a template's cost per call moving as much.",
                    list.threshold, list.min_usd
                ),
            ],
        );
        return;
    }
    let table = TableView {
        cols: vec![
            col("Date", false, 0),
            col("Kind", false, 1),
            col("What", false, 0),
            col("Before → after", true, 2),
            col("Score", true, 3),
            col("Impact", true, 0),
            col("Likely driver", false, 4),
        ],
        rows: rows
            .iter()
            .map(|row| {
                let x = &list.anomalies[row.index];
                let (what, change, impact) = crate::output::anomalies::describe(x);
                vec![
                    x.date.clone(),
                    if x.kind == "spike" { "spike" } else { "change point" }.into(),
                    what,
                    change,
                    format!("{:.1}", x.score),
                    impact,
                    x.driver.replace('_', " "),
                ]
            })
            .collect(),
        tones: rows
            .iter()
            .map(|row| {
                if list.anomalies[row.index].kind == "spike" {
                    theme.warn()
                } else {
                    theme.bad()
                }
            })
            .collect(),
        total: None,
        selected: Some(selected_of(app, View::Anomalies)),
        theme,
        empty: "no anomaly matches the filter",
        page: Some(&app.page),
    };
    let used = table.render(below(area, 1), buf);
    let rest = below(area, used + 2);
    if rest.height > 0 {
        put_text(
            buf,
            rest.x,
            rest.y,
            " Enter: open the team, template or model.",
            rest.width as usize,
            theme.dim(),
        );
    }
}
