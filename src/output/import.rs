//! Table form of `cost import`'s summary.

use super::{Align, Cell, Render, TableData, TableOptions, Tone, machine_table, money, money_places};
use crate::cli::import::ImportReport;
use crate::import::REJECTS_SHOWN;

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
                        Cell::usd(f.cost_usd),
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
        let places = money_places(std::iter::once(self.cost_usd));
        let mut rows = Vec::new();
        let mut notes = Vec::new();
        let mut findings = Vec::new();
        for f in &self.files {
            let c = &f.counts;
            rows.push(vec![
                Cell::text(&f.path),
                Cell::text(f.source),
                Cell::count(c.lines),
                Cell::count(c.imported).tone(Tone::Strong),
                zero_dim(c.duplicates, Tone::Plain),
                zero_dim(c.rejected, Tone::Bad),
                zero_dim(c.skipped, Tone::Plain),
                zero_dim(c.unpriced, Tone::Warn),
                money(f.cost_usd, places),
            ]);
            for r in &f.rejects {
                findings.push(format!("{}:{}: {}", f.path, r.line, r.reason));
            }
            if c.rejected as usize > f.rejects.len() {
                findings.push(format!(
                    "{}: … and {} more rejected lines",
                    f.path,
                    c.rejected as usize - REJECTS_SHOWN.min(f.rejects.len())
                ));
            }
            for w in &f.warnings {
                notes.push(format!("warning: {}: {w}", f.path));
            }
            if let Some(d) = &f.dated_by {
                notes.push(format!(
                    "{}: the bodies carry no timestamps; records are dated by {d} (set it with --at DATE)",
                    f.path
                ));
            }
            if c.replaced > 0 {
                notes.push(format!(
                    "{}: {} later copies with more output replaced stored ones (streamed snapshots)",
                    f.path, c.replaced
                ));
            }
        }
        let footer = (self.files.len() > 1).then(|| {
            vec![
                Cell::text(format!("Total ({} files)", self.files.len())),
                Cell::text(""),
                Cell::count(self.lines),
                Cell::count(self.imported).tone(Tone::Strong),
                Cell::count(self.duplicates),
                Cell::count(self.rejected),
                Cell::count(self.skipped),
                Cell::count(self.unpriced),
                money(self.cost_usd, places),
            ]
        });
        if self.rejected > 0 {
            notes.push(format!(
                "Rejected lines are kept with their reason in the `rejects` table of {}.",
                self.db
            ));
        }
        if self.unpriced > 0 {
            notes.push(format!(
                "{} unpriced: the price table does not know the model (or tier); they are counted in every report, never as $0. Add [prices.\"name\"] to cost.toml and re-import to price them.",
                self.unpriced
            ));
        }
        if self.dry_run {
            notes.push("Dry run: nothing was written.".into());
        } else if self.imported == 0 && self.duplicates > 0 && self.rejected == 0 {
            notes.push(format!(
                "Nothing new: all {} records were already in {}.",
                self.duplicates, self.db
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
