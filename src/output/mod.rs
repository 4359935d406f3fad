//! The one presentation layer: every command's value is rendered here as a table, JSON, CSV
//! or markdown. Also the number formats every command shares.

use crate::money::{Usd, group_thousands};
use comfy_table::{
    Attribute, Cell as CtCell, CellAlignment, Color, ContentArrangement, Table, TableComponent, presets,
};
use serde::Serialize;
use std::borrow::Cow;
use std::io::Write;
use unicode_width::UnicodeWidthChar;

/// Display columns a name may take in a table cell before it is cut with `…`.
pub const NAME_WIDTH: usize = 60;

/// Characters a terminal acts on instead of showing: C0 controls, DEL, C1 controls, and the
/// bidi controls that reorder what follows (embeddings, overrides, isolates, marks).
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// A name (team, template, model, file path, reject reason…) safe to print on a terminal:
/// every control character is shown as an escape (`\x1b`, `\x0d`, `\u202e`), so a name from a
/// log can never move the cursor, clear the screen, set the window title or reorder text.
/// Everything else is kept as is.
pub fn safe_name(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !is_unsafe(c) {
            out.push(c);
        } else if (c as u32) < 0x100 {
            out.push_str(&format!("\\x{:02x}", c as u32));
        } else {
            out.push_str(&format!("\\u{:04x}", c as u32));
        }
    }
    Cow::Owned(out)
}

/// Text of several lines (a hint, an error) safe to print: [`safe_name`] on each line, the
/// line breaks kept.
pub fn safe_text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c != '\n' && is_unsafe(c)) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.split('\n').map(safe_name).collect::<Vec<_>>().join("\n"))
}

/// [`safe_name`], cut to `max` display columns (wide characters count two) with a final `…`.
pub fn fit_name(s: &str, max: usize) -> String {
    let safe = safe_name(s);
    let width = |c: char| c.width().unwrap_or(0);
    if safe.chars().map(width).sum::<usize>() <= max {
        return safe.into_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in safe.chars() {
        let w = width(c);
        if used + w + 1 > max {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// Output format chosen with `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// Emphasis for a cell, shown only when colour is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    Good,
    Warn,
    Bad,
    Dim,
    Strong,
}

/// A cell: what people read, and what a spreadsheet gets.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub display: String,
    pub raw: String,
    pub tone: Tone,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        Cell {
            raw: s.clone(),
            display: s,
            tone: Tone::Plain,
        }
    }

    pub fn new(display: impl Into<String>, raw: impl Into<String>) -> Cell {
        Cell {
            display: display.into(),
            raw: raw.into(),
            tone: Tone::Plain,
        }
    }

    /// A name from the data (team, template, model, key…): escaped for the terminal, and cut
    /// to [`NAME_WIDTH`] columns in tables (CSV keeps it whole).
    pub fn name(s: impl AsRef<str>) -> Cell {
        let s = s.as_ref();
        Cell {
            display: fit_name(s, NAME_WIDTH),
            raw: safe_name(s).into_owned(),
            tone: Tone::Plain,
        }
    }

    pub fn tone(mut self, tone: Tone) -> Cell {
        self.tone = tone;
        self
    }

    /// Token count; `≈` marks an approximate one.
    pub fn tokens(n: u64, exact: bool) -> Cell {
        let shown = group_thousands(&n.to_string());
        Cell::new(if exact { shown } else { format!("≈{shown}") }, n.to_string())
    }

    pub fn count(n: u64) -> Cell {
        Cell::new(group_thousands(&n.to_string()), n.to_string())
    }

    /// A count kept as a signed integer by the store.
    pub fn int(n: i64) -> Cell {
        Cell::count(n.max(0) as u64)
    }

    /// Exact money in CSV (two decimals in tables); empty when unknown (unpriced), never 0.
    pub fn opt_usd(v: Option<Usd>) -> Cell {
        v.map(Cell::usd).unwrap_or_else(|| Cell::text(""))
    }

    /// The same value as the row above: blank in tables, whole in CSV (every CSV row stands
    /// on its own).
    pub fn repeated(mut self) -> Cell {
        self.display.clear();
        self.tone = Tone::Plain;
        self
    }

    /// Money with two decimals (per day, per month, totals).
    pub fn usd(v: Usd) -> Cell {
        Cell::new(usd2(v), v.to_decimal_string())
    }

    /// Money with six decimals (per call).
    pub fn usd_small(v: Usd) -> Cell {
        Cell::new(usd6(v), v.to_decimal_string())
    }
}

/// Money with `decimals` places (reports pick 4 when every figure is small).
pub fn usd_places(v: Usd, decimals: u32) -> String {
    let s = v.format_fixed(decimals);
    match s.strip_prefix('-') {
        Some(rest) => format!("-${rest}"),
        None => format!("${s}"),
    }
}

/// Two decimals, or four when every figure in the table is under $100 (small stores,
/// fixtures, single days), so cents do not round away.
pub fn money_places(figures: impl IntoIterator<Item = Usd>) -> u32 {
    let hundred = Usd::from_atto(100 * 1_000_000_000_000_000_000);
    if figures.into_iter().all(|v| v.abs() < hundred) {
        4
    } else {
        2
    }
}

/// A dimension's column title (`key` is "API key").
pub(super) fn title(dim: &str) -> String {
    match dim {
        "key" => "API key".into(),
        tag if tag.starts_with("tag:") => format!("Tag {}", &tag[4..]),
        other => {
            let mut c = other.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        }
    }
}

/// A money cell with `places` decimals.
pub fn money(v: Usd, places: u32) -> Cell {
    Cell::new(usd_places(v, places), v.to_decimal_string())
}

/// `$1,234.57`
pub fn usd2(v: Usd) -> String {
    let s = v.format_fixed(2);
    match s.strip_prefix('-') {
        Some(rest) => format!("-${rest}"),
        None => format!("${s}"),
    }
}

/// `$0.007085`
pub fn usd6(v: Usd) -> String {
    let s = v.format_fixed(6);
    match s.strip_prefix('-') {
        Some(rest) => format!("-${rest}"),
        None => format!("${s}"),
    }
}

pub use crate::money::per_million;
pub use columns::{Column, dim_columns, tabulate, total_row};

/// Tabular form of a command's result.
#[derive(Debug, Clone, Default)]
pub struct TableData {
    pub headers: Vec<(String, Align)>,
    pub rows: Vec<Vec<Cell>>,
    /// A totals row, set apart.
    pub footer: Option<Vec<Cell>>,
    /// Lines printed under the table that are part of the result (a diff's fail reasons):
    /// kept with `-q`.
    pub findings: Vec<String>,
    /// Explanations printed under the table (table and markdown only); `-q` drops them.
    pub notes: Vec<String>,
}

/// What a table is for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TableOptions {
    /// `-v`: extra detail columns and notes.
    pub verbose: bool,
    /// CSV: a fixed set of columns with raw values, whatever the data.
    pub machine: bool,
}

/// A command result that can be shown in every format.
pub trait Render: Serialize {
    fn table(&self, opts: TableOptions) -> TableData;

    /// A markdown document of its own (e.g. a PR comment); `None` renders the table.
    fn markdown(&self) -> Option<String> {
        None
    }
}

/// Settings that shape rendering.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub format: Format,
    pub color: bool,
    pub verbose: bool,
    /// `-q`: no notes under tables.
    pub quiet: bool,
}

/// Renders `value` to `out` in the chosen format.
pub fn write(value: &impl Render, style: &Style, out: &mut dyn Write) -> std::io::Result<()> {
    match style.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, value)?;
            writeln!(out)
        }
        Format::Csv => write_csv(
            &value.table(TableOptions {
                verbose: false,
                machine: true,
            }),
            out,
        ),
        Format::Markdown if value.markdown().is_some() => {
            // A document of its own still carries names: each line is made safe (its line
            // breaks are the document's own).
            for line in value.markdown().unwrap_or_default().split_inclusive('\n') {
                let (text, end) = match line.strip_suffix('\n') {
                    Some(t) => (t, "\n"),
                    None => (line, ""),
                };
                write!(out, "{}{end}", safe_name(text))?;
            }
            Ok(())
        }
        Format::Markdown | Format::Table => {
            let mut data = value.table(TableOptions {
                verbose: style.verbose,
                machine: false,
            });
            if style.quiet {
                data.notes.clear();
            }
            if style.format == Format::Markdown {
                write_markdown(&data, out)
            } else {
                write_table(&data, style, out)
            }
        }
    }
}

fn write_table(data: &TableData, style: &Style, out: &mut dyn Write) -> std::io::Result<()> {
    let mut table = Table::new();
    table.load_preset(presets::UTF8_HORIZONTAL_ONLY);
    // One rule under the header (and above a totals row), none between rows.
    table.remove_style(TableComponent::HorizontalLines);
    table.remove_style(TableComponent::MiddleIntersections);
    table.remove_style(TableComponent::LeftBorderIntersections);
    table.remove_style(TableComponent::RightBorderIntersections);
    // Cells never wrap: a table wider than the terminal is easier to read scrolled or
    // piped to `less -S` than one broken mid-word.
    table.set_content_arrangement(ContentArrangement::Disabled);
    if style.color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    let header: Vec<CtCell> = data
        .headers
        .iter()
        .map(|(h, a)| {
            let c = CtCell::new(safe_name(h)).set_alignment(align(*a));
            if style.color {
                c.add_attribute(Attribute::Bold)
            } else {
                c
            }
        })
        .collect();
    table.set_header(header);
    let mk = |row: &[Cell], strong: bool| -> Vec<CtCell> {
        row.iter()
            .zip(&data.headers)
            .map(|(cell, (_, a))| {
                let mut c = CtCell::new(safe_name(&cell.display)).set_alignment(align(*a));
                if style.color {
                    c = match cell.tone {
                        Tone::Good => c.fg(Color::Green),
                        Tone::Warn => c.fg(Color::Yellow),
                        Tone::Bad => c.fg(Color::Red).add_attribute(Attribute::Bold),
                        Tone::Dim => c.fg(Color::DarkGrey),
                        Tone::Strong => c.add_attribute(Attribute::Bold),
                        Tone::Plain => c,
                    };
                    if strong {
                        c = c.add_attribute(Attribute::Bold);
                    }
                }
                c
            })
            .collect()
    };
    for row in &data.rows {
        table.add_row(mk(row, false));
    }
    if let Some(footer) = &data.footer {
        table.add_row(mk(footer, true));
    }
    // Trailing spaces from padding help nobody reading a pipe or a snapshot. A table with
    // no rows is left out: the notes under it say why.
    if !data.rows.is_empty() || data.footer.is_some() {
        for line in table.to_string().lines() {
            writeln!(out, "{}", line.trim_end())?;
        }
    }
    for line in data.findings.iter().chain(&data.notes) {
        writeln!(out, "{}", safe_name(line))?;
    }
    Ok(())
}

fn align(a: Align) -> CellAlignment {
    match a {
        Align::Left => CellAlignment::Left,
        Align::Right => CellAlignment::Right,
    }
}

/// CSV through `csv::Writer` (quoted only where a field needs it, `"` doubled): the header
/// names in snake_case, then each row's raw values (no `$`, no thousands separators), each made
/// safe for a terminal like every name `cost` prints.
fn write_csv(data: &TableData, out: &mut dyn Write) -> std::io::Result<()> {
    // A row of another length than the header is written as it is, not refused.
    let mut csv = csv::WriterBuilder::new().flexible(true).from_writer(out);
    csv.write_record(data.headers.iter().map(|(h, _)| safe_name(&snake(h)).into_owned()))
        .map_err(io_error)?;
    for row in data.rows.iter().chain(data.footer.iter()) {
        csv.write_record(row.iter().map(|c| safe_name(&c.raw).into_owned()))
            .map_err(io_error)?;
    }
    csv.flush()
}

/// The I/O error inside a CSV error, so a closed pipe (`cost report --format csv | head`)
/// is still recognised as one.
fn io_error(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

/// `Per month` → `per_month`, `Input $/M` → `input_usd_per_m`.
fn snake(h: &str) -> String {
    let mut s = String::new();
    for ch in h.chars() {
        match ch {
            '$' => s.push_str("_usd_"),
            '/' => s.push_str("_per_"),
            '%' => s.push_str("_pct_"),
            c if c.is_alphanumeric() => s.extend(c.to_lowercase()),
            _ => s.push('_'),
        }
    }
    let parts: Vec<&str> = s.split('_').filter(|p| !p.is_empty()).collect();
    parts.join("_")
}

/// A markdown cell: safe for a terminal, and a `|` in a name cannot end the cell.
fn md_escape(s: &str) -> String {
    safe_name(s).replace('|', "\\|")
}

fn write_markdown(data: &TableData, out: &mut dyn Write) -> std::io::Result<()> {
    let header: Vec<String> = data.headers.iter().map(|(h, _)| md_escape(h)).collect();
    writeln!(out, "| {} |", header.join(" | "))?;
    let rule: Vec<&str> = data
        .headers
        .iter()
        .map(|(_, a)| if *a == Align::Right { "---:" } else { "---" })
        .collect();
    writeln!(out, "|{}|", rule.join("|"))?;
    for row in &data.rows {
        let cells: Vec<String> = row.iter().map(|c| md_escape(&c.display)).collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    if let Some(footer) = &data.footer {
        let cells: Vec<String> = footer
            .iter()
            .map(|c| {
                if c.display.is_empty() {
                    String::new()
                } else {
                    format!("**{}**", md_escape(&c.display))
                }
            })
            .collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    if !data.notes.is_empty() || !data.findings.is_empty() {
        writeln!(out)?;
        for line in data.findings.iter().chain(&data.notes) {
            writeln!(out, "{}", safe_name(line))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_formats() {
        assert_eq!(usd2(Usd::parse("3188.25").unwrap()), "$3,188.25");
        assert_eq!(usd2(Usd::parse("-72").unwrap()), "-$72.00");
        assert_eq!(usd6(Usd::parse("0.007085").unwrap()), "$0.007085");
        assert_eq!(per_million(Usd::parse("2.5e-06").unwrap()), "2.50");
        assert_eq!(per_million(Usd::parse("7.5e-08").unwrap()), "0.075");
    }

    #[test]
    fn names_are_escaped_and_cut_by_display_width() {
        assert_eq!(safe_name("support"), "support");
        assert_eq!(safe_name("\x1b]0;t\x07"), "\\x1b]0;t\\x07");
        assert_eq!(safe_name("a\rb\u{8}c\u{7f}\u{9b}"), "a\\x0db\\x08c\\x7f\\x9b");
        assert_eq!(safe_name("x\u{202e}y\u{2066}\u{200f}"), "x\\u202ey\\u2066\\u200f");
        assert_eq!(safe_text("one\ntwo\x1b"), "one\ntwo\\x1b");
        // Wide characters count two columns: 5 of them fill 10.
        assert_eq!(fit_name("日本語日本", 10), "日本語日本");
        assert_eq!(fit_name("日本語日本語", 10), "日本語日…");
        assert_eq!(fit_name(&"a".repeat(80), NAME_WIDTH).chars().count(), 60);
        // An escape is never cut into something a terminal acts on.
        assert_eq!(fit_name("ab\x1b", 4), "ab\\…");
    }

    #[test]
    fn csv_headers_are_snake_case() {
        assert_eq!(snake("Per month"), "per_month");
        assert_eq!(snake("Input $/M"), "input_usd_per_m");
    }

    fn csv_of(rows: Vec<Vec<Cell>>) -> std::io::Result<String> {
        let data = TableData {
            headers: vec![("Team".into(), Align::Left), ("Cost $".into(), Align::Right)],
            rows,
            ..TableData::default()
        };
        let mut out = Vec::new();
        write_csv(&data, &mut out)?;
        Ok(String::from_utf8(out).unwrap())
    }

    #[test]
    fn csv_quotes_what_needs_it_and_escapes_control_characters() {
        let csv = csv_of(vec![
            vec![Cell::name("a,b"), Cell::usd(Usd::parse("1234.5").unwrap())],
            vec![Cell::name("say \"hi\""), Cell::text("")],
            vec![Cell::name("two\nlines\r"), Cell::text("0")],
            vec![Cell::name("\x1b[2J"), Cell::text("1")],
        ])
        .unwrap();
        // A comma or a quote quotes the field (quotes doubled); a line break is shown as an
        // escape like every control character, so each record stays on one line.
        assert_eq!(
            csv,
            "team,cost_usd\n\"a,b\",1234.5\n\"say \"\"hi\"\"\",\ntwo\\x0alines\\x0d,0\n\\x1b[2J,1\n"
        );
    }

    /// A writer whose reader has gone away (`cost report --format csv | head -1`).
    struct ClosedPipe;

    impl Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
    }

    #[test]
    fn a_closed_pipe_is_still_a_closed_pipe_through_the_csv_writer() {
        let data = TableData {
            headers: vec![("Team".into(), Align::Left)],
            rows: vec![vec![Cell::text("support")]],
            ..TableData::default()
        };
        let err = write_csv(&data, &mut ClosedPipe).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::BrokenPipe);
    }
}

mod agents;
pub mod anomalies;
mod budget;
mod cache;
mod columns;
mod diff;
pub mod estimate;
mod import;
pub mod report;
mod runs;
mod showback;
mod unit;
mod watch;
mod whatif;

pub use watch::watch_line;
