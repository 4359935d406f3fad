//! Columns described once. A command's output is a list of [`Column`]s — title, CSV name,
//! alignment and the cell it shows for a row — and [`tabulate`] turns that list and the rows
//! into the [`TableData`] every format is written from: the table and markdown take the
//! columns shown there and each cell's display text, CSV takes the columns with a CSV name and
//! each cell's raw value.

use super::{Align, Cell, TableData, TableOptions, Tone, title};
use crate::report::DimValues;
use crate::store::query::Dim;
use std::borrow::Cow;

/// One column of a command's output.
pub struct Column<'a, R> {
    /// The heading in tables and markdown; `None`: not in tables.
    title: Option<Cow<'static, str>>,
    /// The heading in CSV (snake_case); `None`: not in CSV.
    csv: Option<Cow<'static, str>>,
    align: Align,
    cell: Box<dyn Fn(&R) -> Cell + 'a>,
}

impl<'a, R> Column<'a, R> {
    fn new(
        title: Option<Cow<'static, str>>,
        csv: Option<Cow<'static, str>>,
        align: Align,
        cell: impl Fn(&R) -> Cell + 'a,
    ) -> Self {
        Column {
            title,
            csv,
            align,
            cell: Box::new(cell),
        }
    }

    /// A column of text, titled `title` in tables and `csv` in CSV.
    pub fn left(
        title: impl Into<Cow<'static, str>>,
        csv: impl Into<Cow<'static, str>>,
        cell: impl Fn(&R) -> Cell + 'a,
    ) -> Self {
        Column::new(Some(title.into()), Some(csv.into()), Align::Left, cell)
    }

    /// A column of figures (aligned right), titled `title` in tables and `csv` in CSV.
    pub fn right(
        title: impl Into<Cow<'static, str>>,
        csv: impl Into<Cow<'static, str>>,
        cell: impl Fn(&R) -> Cell + 'a,
    ) -> Self {
        Column::new(Some(title.into()), Some(csv.into()), Align::Right, cell)
    }

    /// A CSV field that tables show another way (or not at all).
    pub fn csv(csv: &'static str, cell: impl Fn(&R) -> Cell + 'a) -> Self {
        Column::new(None, Some(csv.into()), Align::Left, cell)
    }

    /// A table column made for reading (a phrase, a sum of CSV fields): not in CSV.
    pub fn table(title: &'static str, align: Align, cell: impl Fn(&R) -> Cell + 'a) -> Self {
        Column::new(Some(title.into()), None, align, cell)
    }

    /// In tables only when `shown` (`-v` detail, or a column only some data needs). CSV
    /// keeps the same columns whatever the data, so scripts can rely on them.
    pub fn table_if(mut self, shown: bool) -> Self {
        if !shown {
            self.title = None;
        }
        self
    }

    /// Neither in tables nor in CSV unless `shown` (a column only some results have).
    pub fn only_if(mut self, shown: bool) -> Self {
        if !shown {
            self.title = None;
            self.csv = None;
        }
        self
    }

    fn heading(&self, opts: TableOptions) -> Option<(String, Align)> {
        if opts.machine {
            self.csv.as_ref().map(|c| (c.to_string(), Align::Left))
        } else {
            self.title.as_ref().map(|t| (t.to_string(), self.align))
        }
    }
}

/// `rows` under `columns`: for CSV (`opts.machine`) the columns with a CSV name, for tables and
/// markdown the columns shown there. Footer, findings and notes are left for the caller.
pub fn tabulate<'r, R: 'r>(
    columns: &[Column<'_, R>],
    rows: impl IntoIterator<Item = &'r R>,
    opts: TableOptions,
) -> TableData {
    let (headers, shown): (Vec<(String, Align)>, Vec<&Column<R>>) =
        columns.iter().filter_map(|c| c.heading(opts).map(|h| (h, c))).unzip();
    TableData {
        headers,
        rows: rows
            .into_iter()
            .map(|r| shown.iter().map(|c| (c.cell)(r)).collect())
            .collect(),
        ..TableData::default()
    }
}

/// A totals row under the table's columns: `total`'s cells, with `label` (bold) in the first
/// column (a dimension, blank on a totals row).
pub fn total_row<R>(columns: &[Column<'_, R>], total: &R, label: &str) -> Vec<Cell> {
    let mut cells = tabulate(columns, [total], TableOptions::default())
        .rows
        .pop()
        .unwrap_or_default();
    if let Some(first) = cells.first_mut() {
        *first = Cell::text(label).tone(Tone::Strong);
    }
    cells
}

/// The columns of a grouped row's dimensions, in `--by` order: each value (escaped; cut in
/// tables), `(unassigned)` / `(none)` dimmed in tables and empty in CSV when a record has
/// none, blank on a totals row (which has no dimensions).
pub fn dim_columns<'a, R: 'a>(group_by: &'a [Dim], dims: fn(&R) -> &DimValues) -> Vec<Column<'a, R>> {
    group_by
        .iter()
        .map(|&d| {
            Column::left(title(d.name()), d.name(), move |r: &R| match dims(r).get(d.name()) {
                Some(Some(v)) => Cell::name(v),
                Some(None) => Cell::new(d.empty_label(), "").tone(Tone::Dim),
                None => Cell::text(""),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Row {
        name: &'static str,
        n: u64,
    }

    fn columns(verbose: bool) -> Vec<Column<'static, Row>> {
        vec![
            Column::left("Name", "name", |r: &Row| Cell::name(r.name)),
            Column::right("Count", "count", |r: &Row| Cell::count(r.n)),
            Column::table("Twice", Align::Right, |r: &Row| Cell::count(2 * r.n)),
            Column::csv("double", |r: &Row| Cell::count(2 * r.n)),
            Column::right("Detail", "detail", |r: &Row| Cell::text(format!("d{}", r.n))).table_if(verbose),
        ]
    }

    const ROWS: [Row; 2] = [Row { name: "a", n: 1_500 }, Row { name: "b", n: 2 }];

    #[test]
    fn one_list_gives_the_table_and_the_csv_columns() {
        let table = tabulate(&columns(false), &ROWS, TableOptions::default());
        let heads: Vec<(&str, Align)> = table.headers.iter().map(|(h, a)| (h.as_str(), *a)).collect();
        assert_eq!(
            heads,
            [("Name", Align::Left), ("Count", Align::Right), ("Twice", Align::Right)]
        );
        let shown: Vec<Vec<&str>> = table
            .rows
            .iter()
            .map(|r| r.iter().map(|c| c.display.as_str()).collect())
            .collect();
        assert_eq!(shown, [["a", "1,500", "3,000"], ["b", "2", "4"]]);

        let verbose = tabulate(
            &columns(true),
            &ROWS,
            TableOptions {
                verbose: true,
                machine: false,
            },
        );
        assert_eq!(verbose.headers.last().map(|h| h.0.as_str()), Some("Detail"));

        let csv = tabulate(
            &columns(false),
            &ROWS,
            TableOptions {
                verbose: false,
                machine: true,
            },
        );
        let heads: Vec<&str> = csv.headers.iter().map(|(h, _)| h.as_str()).collect();
        assert_eq!(heads, ["name", "count", "double", "detail"]);
        let raw: Vec<Vec<&str>> = csv
            .rows
            .iter()
            .map(|r| r.iter().map(|c| c.raw.as_str()).collect())
            .collect();
        assert_eq!(raw, [["a", "1500", "3000", "d1500"], ["b", "2", "4", "d2"]]);
    }

    #[test]
    fn a_total_row_puts_its_label_first() {
        let total = Row { name: "", n: 1_502 };
        let cells = total_row(&columns(false), &total, "Total");
        let shown: Vec<&str> = cells.iter().map(|c| c.display.as_str()).collect();
        assert_eq!(shown, ["Total", "1,502", "3,004"]);
        assert_eq!(cells[0].tone, Tone::Strong);
    }
}
