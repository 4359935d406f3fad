//! View 7: committed capacity, how much is used, and who used it.

use super::list::{ListView, note};
use super::loading;
use crate::output::{money_places, usd_places};
use crate::tui::app::{App, Row, View};
use crate::tui::data::Data;
use crate::tui::widgets::{TableView, Theme, below, col, gauge, message, put_text};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

pub fn commitments(app: &App, data: &Data, theme: Theme, area: Rect, buf: &mut Buffer) {
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
    let list = ListView::new(app, View::Commitments, theme);
    list.title(s.commitments.len(), area, buf);
    let places = money_places(
        s.commitments
            .iter()
            .flat_map(|c| [c.committed_usd, c.consumed_list_usd, c.idle_usd]),
    );
    let bar_w = (area.width as usize).saturating_sub(96).clamp(10, 40);
    let cols = vec![
        col("Commitment", false, 0),
        col("Model", false, 4),
        col("Utilisation", false, 2),
        col("Used", true, 0),
        col("Committed", true, 1),
        col("Used at list", true, 3),
        col("Idle", true, 0),
        col("Overage", true, 5),
    ];
    let cells = |row: &Row| {
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
    };
    let table = list
        .table(cols, cells, "no commitment matches the filter")
        .tones(list.tones(|row| {
            let u = s.commitments[row.index].utilization_pct;
            if u < 50.0 {
                theme.bad()
            } else if u < 80.0 {
                theme.warn()
            } else {
                theme.good()
            }
        }));
    let used = table.render(below(area, 1), buf);
    let w = data.core.window;
    note(
        format!(
            " Committed: pro-rated to {} of {} days · used: the model's usage at list price",
            s.until.get(8..10).unwrap_or("").trim_start_matches('0'),
            w.month.last_of_month().day()
        ),
        theme.dim(),
        below(area, used + 1),
        buf,
    );
    let rest = below(area, used + 3);
    let Some(row) = list.selected_row() else {
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
    let cols = vec![
        col("Team", false, 0),
        col("Used at list", true, 1),
        col("Share", true, 0),
        col("Allocated", true, 0),
    ];
    let cells = c.teams.iter().map(|t| {
        vec![
            t.team.clone().unwrap_or_else(|| "(unassigned)".into()),
            usd_places(t.consumed_list_usd, tp),
            format!("{:.1}%", t.share_pct),
            usd_places(t.allocated_usd, tp),
        ]
    });
    TableView::new(theme, cols, cells.collect())
        .empty("no usage of this commitment this month")
        .render(below(rest, 1), buf);
}
