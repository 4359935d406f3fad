//! Table form of `cost import`'s summary.

use super::{Align, Cell, Render, TableData, TableOptions, Tone, machine_table, money, money_places};
use crate::import::ImportReport;
use crate::import::REJECTS_SHOWN;
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

impl Render for ImportReport {
    fn table(&self, opts: TableOptions) -> TableData {
        if opts.machine {
            let rows = self
                .files
                .iter()
                .map(|f| {
                    let c = &f.counts;
                    vec![
                        Cell::text(&f.path),
                        Cell::text(f.source),
                        Cell::count(c.lines),
                        Cell::count(c.imported),
                        Cell::count(c.duplicates),
                        Cell::count(c.replaced),
                        Cell::count(c.rejected),
                        Cell::count(c.skipped),
                        Cell::count(c.unpriced),
                        match all_unpriced(c) {
                            true => Cell::text(""),
                            false => Cell::usd(f.cost_usd.unwrap_or(Usd::ZERO)),
                        },
                        Cell::count(c.repaired),
                        Cell::text(f.error.as_deref().unwrap_or("")),
                    ]
                })
                .collect();
            return machine_table(
                &[
                    "path",
                    "source",
                    "lines",
                    "imported",
                    "duplicates",
                    "replaced",
                    "rejected",
                    "skipped",
                    "unpriced",
                    "cost_usd",
                    "repaired",
                    "error",
                ],
                rows,
            );
        }
        let headers = [
            ("File", Align::Left),
            ("Source", Align::Left),
            ("Lines", Align::Right),
            ("Imported", Align::Right),
            ("Duplicates", Align::Right),
            ("Rejected", Align::Right),
            ("Skipped", Align::Right),
            ("Unpriced", Align::Right),
            ("Cost added", Align::Right),
        ]
        .iter()
        .map(|(h, a)| (h.to_string(), *a))
        .collect();
        let zero_dim = |n: u64, tone: Tone| {
            let c = Cell::count(n);
            if n == 0 { c.tone(Tone::Dim) } else { c.tone(tone) }
        };
        let places = money_places(std::iter::once(self.cost_usd.unwrap_or(Usd::ZERO)));
        let mut rows = Vec::new();
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
                let source = match (&f.error, f.source) {
                    (Some(_), "?") => Cell::text("unreadable").tone(Tone::Bad),
                    (Some(_), s) => Cell::text(format!("{s} (failed)")).tone(Tone::Bad),
                    (None, s) => Cell::text(s),
                };
                rows.push(vec![
                    Cell::text(shorten(&f.path, 70)),
                    source,
                    Cell::count(c.lines),
                    Cell::count(c.imported).tone(Tone::Strong),
                    zero_dim(c.duplicates, Tone::Plain),
                    zero_dim(c.rejected, Tone::Bad),
                    zero_dim(c.skipped, Tone::Plain),
                    zero_dim(c.unpriced, Tone::Warn),
                    cost_cell(c, f.cost_usd.unwrap_or(Usd::ZERO), places),
                ]);
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
        for (label, source, n, c, cost) in &groups {
            rows.push(vec![
                Cell::text(format!(
                    "{} ({} files)",
                    shorten(label, 60),
                    crate::money::group_thousands(&n.to_string())
                )),
                Cell::text(*source),
                Cell::count(c.lines),
                Cell::count(c.imported).tone(Tone::Strong),
                zero_dim(c.duplicates, Tone::Plain),
                zero_dim(c.rejected, Tone::Bad),
                zero_dim(c.skipped, Tone::Plain),
                zero_dim(c.unpriced, Tone::Warn),
                cost_cell(c, *cost, places),
            ]);
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
        let footer = (rows.len() > 1).then(|| {
            vec![
                Cell::text(format!(
                    "Total ({} files)",
                    crate::money::group_thousands(&self.files.len().to_string())
                )),
                Cell::text(""),
                Cell::count(self.lines),
                Cell::count(self.imported).tone(Tone::Strong),
                Cell::count(self.duplicates),
                Cell::count(self.rejected),
                Cell::count(self.skipped),
                Cell::count(self.unpriced),
                if self.cost_usd.is_none() {
                    Cell::new("unpriced", "").tone(Tone::Warn)
                } else {
                    money(self.cost_usd.unwrap_or(Usd::ZERO), places)
                },
            ]
        });
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
            headers,
            rows,
            footer,
            findings,
            notes,
        }
    }
}
