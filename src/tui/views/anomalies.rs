//! View 8: spikes and change points.

use super::list::{ListView, note};
use super::loading;
use crate::analysis::anomalies::Kind;
use crate::output::anomalies::{describe, driver_label, kind_label};
use crate::tui::app::{App, Row, View};
use crate::tui::data::Data;
use crate::tui::widgets::{Theme, below, col, message};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

pub fn anomalies(app: &App, data: &Data, theme: Theme, area: Rect, buf: &mut Buffer) {
    let Some(a) = &data.analyses else {
        return loading(buf, area, theme, "anomalies");
    };
    let found = &a.anomalies;
    let list = ListView::new(app, View::Anomalies, theme);
    list.title(found.anomalies.len(), area, buf);
    if found.anomalies.is_empty() {
        message(
            buf,
            below(area, 1),
            theme,
            &[
                format!("No anomalies from {} to {}.", found.since, found.until),
                String::new(),
                format!(
                    "A spike is a day {} robust deviations and ${:.2} above its 28-day median; a change point is a template's cost per call moving as much.",
                    found.threshold, found.min_usd
                ),
            ],
        );
        return;
    }
    let cols = vec![
        col("Date", false, 0),
        col("Kind", false, 1),
        col("What", false, 0),
        col("Before → after", true, 2),
        col("Score", true, 3),
        col("Impact", true, 0),
        col("Likely driver", false, 4),
    ];
    let cells = |row: &Row| {
        let x = &found.anomalies[row.index];
        let (what, change, impact) = describe(x);
        vec![
            x.date.clone(),
            kind_label(x.kind).into(),
            what,
            change,
            format!("{:.1}", x.score),
            impact,
            driver_label(x.driver).into(),
        ]
    };
    let table = list
        .table(cols, cells, "no anomaly matches the filter")
        .tones(list.tones(|row| {
            if found.anomalies[row.index].kind == Kind::Spike {
                theme.warn()
            } else {
                theme.bad()
            }
        }));
    let used = table.render(below(area, 1), buf);
    note(
        " Enter: open the team, template or model.",
        theme.dim(),
        below(area, used + 2),
        buf,
    );
}
