//! Table form of `cost showback`.

use super::{Align, Cell, Column, Render, TableData, TableOptions, Tone, money, money_places, tabulate};
use crate::analysis::showback::{CommitmentUse, Showback, TeamShare};

/// One line of the showback: a commitment, or one team's share of it.
type Line<'a> = (&'a CommitmentUse, Option<&'a TeamShare>);

/// The columns. Tables show each commitment on a line of its own with its teams under it;
/// CSV has one row per commitment and team (a commitment no team used stands alone), each
/// repeating the commitment's figures.
fn columns<'a>(places: u32) -> Vec<Column<'static, Line<'a>>> {
    // The commitment's own figure on its line; on a team's line only in CSV.
    let own = |cell: Cell, team: Option<&TeamShare>| if team.is_some() { cell.repeated() } else { cell };
    vec![
        Column::left("Commitment", "commitment", move |(c, t): &Line| {
            own(Cell::name(&c.name).tone(Tone::Strong), *t)
        }),
        Column::left("Model", "model", move |(c, t): &Line| own(Cell::name(&c.model), *t)),
        Column::table("Team", Align::Left, |(c, t): &Line| match t {
            Some(t) => Cell::name(t.team.as_deref().unwrap_or("(unassigned)")),
            None if c.teams_listed.is_empty() => Cell::text("all"),
            None => Cell::text(c.teams_listed.join(", ")),
        }),
        Column::right("Committed", "committed_usd", move |(c, t): &Line| {
            own(money(c.committed_usd, places), *t)
        }),
        Column::table("Used at list", Align::Right, move |(c, t): &Line| {
            money(t.map_or(c.consumed_list_usd, |t| t.consumed_list_usd), places)
        }),
        Column::csv("consumed_list_usd", |(c, _): &Line| Cell::usd(c.consumed_list_usd)),
        Column::right("Utilisation", "utilization_pct", move |(c, t): &Line| {
            let tone = if c.utilization_pct < 50.0 {
                Tone::Bad
            } else if c.utilization_pct < 80.0 {
                Tone::Warn
            } else {
                Tone::Good
            };
            let cell = Cell::new(
                format!("{:.1}%", c.utilization_pct),
                format!("{:.4}", c.utilization_pct),
            );
            own(cell.tone(tone), *t)
        }),
        Column::right("Idle", "idle_usd", move |(c, t): &Line| {
            let tone = if c.idle_usd.is_zero() { Tone::Dim } else { Tone::Warn };
            own(money(c.idle_usd, places).tone(tone), *t)
        }),
        Column::csv("team", |(_, t): &Line| match t {
            Some(t) => Cell::name(t.team.as_deref().unwrap_or_default()),
            None => Cell::text(""),
        }),
        Column::csv("team_consumed_list_usd", |(_, t): &Line| {
            Cell::opt_usd(t.map(|t| t.consumed_list_usd))
        }),
        Column::right("Share", "team_share_pct", |(_, t): &Line| match t {
            Some(t) => Cell::new(format!("{:.1}%", t.share_pct), format!("{:.4}", t.share_pct)),
            None => Cell::text(""),
        }),
        // A commitment's line shows the used part allocated to its teams in all.
        Column::table("Allocated", Align::Right, move |(c, t): &Line| match t {
            Some(t) => money(t.allocated_usd, places),
            None => money(c.committed_usd - c.idle_usd, places),
        }),
        Column::csv("team_allocated_usd", |(_, t): &Line| {
            Cell::opt_usd(t.map(|t| t.allocated_usd))
        }),
    ]
}

impl Render for Showback {
    fn table(&self, opts: TableOptions) -> TableData {
        let places = money_places(
            self.commitments
                .iter()
                .flat_map(|c| [c.committed_usd, c.consumed_list_usd]),
        );
        let mut lines: Vec<Line> = Vec::new();
        for c in &self.commitments {
            if !opts.machine || c.teams.is_empty() {
                lines.push((c, None));
            }
            lines.extend(c.teams.iter().map(|t| (c, Some(t))));
        }
        let mut data = tabulate(&columns(places), &lines, opts);
        if opts.machine {
            return data;
        }
        let mut notes = vec![format!(
            "{} to {} (UTC). Committed is pro-rated to the days covered; used = the usage on the model at list price. Idle cost belongs to the commitment, not to the teams; break-even is 100% utilisation.",
            self.since, self.until
        )];
        for c in self.commitments.iter().filter(|c| !c.overage_usd.is_zero()) {
            notes.push(format!(
                "{}: usage is {} beyond the commitment at list price: billed on demand, not covered.",
                c.name,
                super::usd_places(c.overage_usd, places)
            ));
        }
        let unpriced: i64 = self.commitments.iter().map(|c| c.unpriced_requests).sum();
        if unpriced > 0 {
            notes.push(format!(
                "+ {unpriced} unpriced requests on committed models are not in Used."
            ));
        }
        if self.commitments.is_empty() {
            notes = vec!["No [[commitments]] in cost.toml.".into()];
        }
        data.notes = notes;
        data
    }
}
