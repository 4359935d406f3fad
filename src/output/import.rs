//! Table form of `cost import`'s summary.

use super::{Cell, Column, Render, TableData, TableOptions, Tone, money, money_places, tabulate};
use crate::import::REJECTS_SHOWN;
use crate::import::{FileSummary, ImportReport};
use crate::money::Usd;
use crate::store::FileCounts;

/// Above this many files the table groups them.
const GROUP_ABOVE: usize = 20;

fn add(a: &mut FileCounts, b: &FileCounts) {
    a.lines += b.lines;
    a.imported += b.imported;
    a.duplicates += b.duplicates;
    a.replaced += b.replaced;
    a.rejected += b.rejected;
    a.skipped += b.skipped;
    a.unpriced += b.unpriced;
    a.cost_nanos += b.cost_nanos;
}

/// A long path with its middle elided: `tests/fixtures/…/agent-a7c3e91f.jsonl`.
/// Every record this import stored has no price: its cost is unknown, not $0.
fn all_unpriced(c: &crate::store::FileCounts) -> bool {
    c.unpriced > 0 && c.unpriced >= c.imported && c.cost_nanos == 0
}

fn cost_cell(c: &crate::store::FileCounts, cost: crate::money::Usd, places: u32) -> Cell {
    if all_unpriced(c) {
        Cell::new("unpriced", "").tone(Tone::Warn)
    } else {
        money(cost, places)
    }
}

fn shorten(path: &str, max: usize) -> String {
    // Escaped first, so the escapes count toward the width.
    let path = super::safe_name(path);
    let n = path.chars().count();
    if n <= max {
        return path.to_string();
    }
    let keep_end = max * 2 / 3;
    let keep_start = max - keep_end - 1;
    let start: String = path.chars().take(keep_start).collect();
    let end: String = path.chars().skip(n - keep_end).collect();
    format!("{start}…{end}")
}

/// One line of the import table: a file, a group of files (many files without `-v`), or
/// the totals.
struct Line<'a> {
    /// The path, shortened in tables; a group's label; `Total (N files)`.
    file: Cell,
    /// The source, with `(failed)` in tables when the file could not be read.
    source: Cell,
    counts: FileCounts,
    cost: Cell,
    error: &'a str,
    /// The totals row: zeros are not dimmed.
    total: bool,
}

impl Line<'_> {
    /// A count, dimmed when 0 (and toned `tone` when not) except on the totals row.
    fn count(&self, n: u64, tone: Tone) -> Cell {
        match (self.total, n) {
            (true, _) => Cell::count(n),
            (false, 0) => Cell::count(n).tone(Tone::Dim),
            (false, _) => Cell::count(n).tone(tone),
        }
    }
}

/// The columns: CSV lists each file with the replaced and repaired lines and its error too.
fn columns<'a>() -> Vec<Column<'static, Line<'a>>> {
    vec![
        Column::left("File", "path", |l: &Line| l.file.clone()),
        Column::left("Source", "source", |l: &Line| l.source.clone()),
        Column::right("Lines", "lines", |l: &Line| Cell::count(l.counts.lines)),
        Column::right("Imported", "imported", |l: &Line| {
            Cell::count(l.counts.imported).tone(Tone::Strong)
        }),
        Column::right("Duplicates", "duplicates", |l: &Line| {
            l.count(l.counts.duplicates, Tone::Plain)
        }),
        Column::csv("replaced", |l: &Line| Cell::count(l.counts.replaced)),
        Column::right("Rejected", "rejected", |l: &Line| l.count(l.counts.rejected, Tone::Bad)),
        Column::right("Skipped", "skipped", |l: &Line| l.count(l.counts.skipped, Tone::Plain)),
        Column::right("Unpriced", "unpriced", |l: &Line| {
            l.count(l.counts.unpriced, Tone::Warn)
        }),
        Column::right("Cost added", "cost_usd", |l: &Line| l.cost.clone()),
        Column::csv("repaired", |l: &Line| Cell::count(l.counts.repaired)),
        Column::csv("error", |l: &Line| Cell::text(l.error)),
    ]
}

/// A file's line: its path whole in CSV, its source `(failed)` when it could not be read.
fn file_line(f: &FileSummary, places: u32) -> Line<'_> {
    Line {
        file: Cell::new(shorten(&f.path, 70), &f.path),
        source: Cell::new(
            match (&f.error, f.source) {
                (Some(_), "?") => "unreadable".to_string(),
                (Some(_), s) => format!("{s} (failed)"),
                (None, s) => s.to_string(),
            },
            f.source,
        )
        .tone(if f.error.is_some() { Tone::Bad } else { Tone::Plain }),
        counts: f.counts.clone(),
        cost: cost_cell(&f.counts, f.cost_usd.unwrap_or(Usd::ZERO), places),
        error: f.error.as_deref().unwrap_or_default(),
        total: false,
    }
}

impl Render for ImportReport {
    fn table(&self, opts: TableOptions) -> TableData {
        let places = money_places(std::iter::once(self.cost_usd.unwrap_or(Usd::ZERO)));
        let columns = columns();
        if opts.machine {
            let lines: Vec<Line> = self.files.iter().map(|f| file_line(f, places)).collect();
            return tabulate(&columns, &lines, opts);
        }
        let mut lines: Vec<Line> = Vec::new();
        let mut notes = Vec::new();
        let mut findings = Vec::new();
        // Many files (a Claude Code tree has thousands): one row per argument and source,
        // unless -v asks for every file.
        let grouped = self.files.len() > GROUP_ABOVE && !opts.verbose;
        let mut groups: Vec<(String, &str, usize, FileCounts, Usd)> = Vec::new();
        for f in &self.files {
            let c = &f.counts;
            if grouped {
                let label = if f.arg.is_empty() {
                    f.path.clone()
                } else {
                    f.arg.clone()
                };
                match groups.iter_mut().find(|g| g.0 == label && g.1 == f.source) {
                    Some(g) => {
                        g.2 += 1;
                        add(&mut g.3, c);
                        g.4 += f.cost_usd.unwrap_or(Usd::ZERO);
                    }
                    None => groups.push((label, f.source, 1, c.clone(), f.cost_usd.unwrap_or(Usd::ZERO))),
                }
            } else {
                lines.push(file_line(f, places));
            }
            if let Some(e) = &f.error {
                findings.push(format!("{}: could not be read: {e}", f.path));
            }
            for r in &f.rejects {
                if findings.len() < REJECTS_SHOWN * 2 {
                    findings.push(format!("{}:{}: {}", f.path, r.line, r.reason));
                }
            }
            for w in &f.warnings {
                notes.push(format!("warning: {}: {w}", f.path));
            }
            if let Some(d) = &f.dated_by {
                let how = if d.starts_with("--at") {
                    ""
                } else {
                    " (set it with --at DATE)"
                };
                notes.push(format!(
                    "{}: the bodies carry no timestamps; records are dated by {d}{how}",
                    f.path
                ));
            }
            if f.error.is_none() && c.lines > 0 && c.imported + c.duplicates == 0 {
                notes.push(format!(
                    "{}: no billable records ({} skipped, {} rejected): is it the right --source?",
                    f.path, c.skipped, c.rejected
                ));
            }
        }
        let grown: Vec<&FileSummary> = self.files.iter().filter(|f| f.read_from_line.is_some()).collect();
        match grown.as_slice() {
            [] => {}
            [_] | [_, _] | [_, _, _] => {
                for f in grown {
                    notes.push(format!(
                        "{}: grew since its last import: read from line {}.",
                        f.path,
                        f.read_from_line.unwrap_or(1)
                    ));
                }
            }
            many => notes.push(format!(
                "{} files grew since their last import: only their new lines were read.",
                crate::money::group_thousands(&many.len().to_string())
            )),
        }
        for (label, source, n, c, cost) in groups {
            lines.push(Line {
                file: Cell::text(format!(
                    "{} ({} files)",
                    shorten(&label, 60),
                    crate::money::group_thousands(&n.to_string())
                )),
                source: Cell::text(source),
                cost: cost_cell(&c, cost, places),
                counts: c,
                error: "",
                total: false,
            });
        }
        if grouped {
            notes.push(format!(
                "{} files, grouped by argument and source; -v lists each file.",
                crate::money::group_thousands(&self.files.len().to_string())
            ));
        }
        if self.updated > 0 {
            let priced: i64 = -self.files.iter().map(|f| f.counts.unpriced_change).sum::<i64>();
            notes.push(format!(
                "{} stored {} re-priced or re-attributed (--update){}; the cost column includes the change.",
                crate::money::group_thousands(&self.updated.to_string()),
                if self.updated == 1 {
                    "record was"
                } else {
                    "records were"
                },
                match priced {
                    0 => String::new(),
                    n if n > 0 => format!(", {n} of them now priced"),
                    n => format!(", {} of them now unpriced", -n),
                }
            ));
        }
        if self.repaired > 0 {
            notes.push(format!(
                "{} {} kept although an optional field had an unexpected type (an HTTP status code for `status`, a number for a name, an object for a string); the field was read as text or ignored.",
                crate::money::group_thousands(&self.repaired.to_string()),
                if self.repaired == 1 { "line was" } else { "lines were" }
            ));
        }
        if self.replaced > 0 {
            notes.push(format!(
                "{} {} a stored record (Claude Code streamed snapshots: the copy with the most output wins).",
                crate::money::group_thousands(&self.replaced.to_string()),
                if self.replaced == 1 {
                    "later copy with more output replaced"
                } else {
                    "later copies with more output replaced"
                }
            ));
        }
        if self.rejected as usize > findings.len() {
            findings.push(format!(
                "… and {} more rejected lines",
                crate::money::group_thousands(&(self.rejected as usize - findings.len()).to_string())
            ));
        }
        let total = Line {
            file: Cell::text(format!(
                "Total ({} files)",
                crate::money::group_thousands(&self.files.len().to_string())
            )),
            source: Cell::text(""),
            counts: FileCounts {
                lines: self.lines,
                imported: self.imported,
                duplicates: self.duplicates,
                rejected: self.rejected,
                skipped: self.skipped,
                unpriced: self.unpriced,
                ..FileCounts::default()
            },
            cost: match self.cost_usd {
                Some(cost) => money(cost, places),
                None => Cell::new("unpriced", "").tone(Tone::Warn),
            },
            error: "",
            total: true,
        };
        let footer = (lines.len() > 1).then(|| tabulate(&columns, [&total], opts).rows.pop().unwrap_or_default());
        if self.rejected > 0 && !self.dry_run {
            notes.push(format!(
                "Rejected lines are kept with their reason in the `rejects` table of {}.",
                self.db
            ));
        }
        if self.unpriced > 0 {
            notes.push(format!(
                "{} unpriced: the price table does not know the model (or tier); they are counted in every report, never as $0. Add [prices.\"name\"] to cost.toml, then `cost import --update` the same files to price them.",
                self.unpriced
            ));
        }
        if !self.unchanged_files.is_empty() {
            let n = self.unchanged_files.len();
            notes.push(format!(
                "{} {} unchanged since {} last imported: not read again (--reread reads {} anyway).",
                crate::money::group_thousands(&n.to_string()),
                if n == 1 { "file is" } else { "files are" },
                if n == 1 { "it was" } else { "they were" },
                if n == 1 { "it" } else { "them" },
            ));
        }
        if self.dry_run {
            notes.push("Dry run: nothing was written.".into());
        } else if self.imported == 0
            && (self.duplicates > 0 || !self.unchanged_files.is_empty())
            && self.files.is_empty()
        {
            notes.push(format!("Nothing new in {}.", self.db));
        } else if self.imported == 0 && self.duplicates > 0 {
            notes.push(format!(
                "Nothing new: all {} billable lines were already in {}.",
                crate::money::group_thousands(&self.duplicates.to_string()),
                self.db
            ));
        } else {
            notes.push(format!("Store: {}", self.db));
        }
        TableData {
            footer,
            findings,
            notes,
            ..tabulate(&columns, &lines, opts)
        }
    }
}
