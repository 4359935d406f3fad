//! View 9: the month's runs (sessions: an agent run, a conversation, a trace), the spread of
//! cost per run per template, and the runs that ran away; Enter opens a run's calls, the
//! input of each drawn over time. The figures are `cost runs`'.

use super::list::{ListView, note};
use super::loading;
use crate::analysis::runs::{Cause, Runs};
use crate::money::Usd;
use crate::output::{money_places, safe_name, usd_places};
use crate::tui::app::{App, Row, RunDetail, View, runs_places};
use crate::tui::data::Data;
use crate::tui::widgets::format::count;
use crate::tui::widgets::{TableView, Theme, bars, below, col, line_fit, message, put_text, wrap};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::Widget;

pub fn runs(app: &App, data: &Data, theme: Theme, area: Rect, buf: &mut Buffer) {
    let Some(a) = &data.analyses else {
        return loading(buf, area, theme, "the runs");
    };
    if let Some(run) = &app.run {
        return run_detail(app, run, &a.runs, data, theme, area, buf);
    }
    let r = &a.runs;
    let list = ListView::new(app, View::Runs, theme);
    if r.runs.is_empty() {
        list.title(0, area, buf);
        message(
            buf,
            below(area, 1),
            theme,
            &[
                format!("No runs from {} to {}.", r.since, r.until),
                String::new(),
                "A run is a session: an agent run, a conversation, a trace. Its calls carry a session id: the envelope's session_id, Claude Code's sessionId, LiteLLM's session_id, an OTel span's gen_ai.conversation.id.".into(),
            ],
        );
        return;
    }
    let places = runs_places(data);
    // The runs on top; under them the spread and the runaways, side by side when the screen
    // is wide. Each part gets the rows it needs while there is room, so a part only says
    // `… N more` when the screen is full.
    let wide = area.width >= 140;
    let half = area.width * 11 / 20;
    let runaway_w = if wide { area.width - half - 1 } else { area.width };
    let runaway_lines: Vec<String> = r
        .runaway
        .iter()
        .flat_map(|x| runaway_text(x, places, runaway_w as usize))
        .collect();
    let spread_want = r.by_template.len() as u16 + 2;
    let runaway_want = runaway_lines.len().max(1) as u16 + 1;
    let list_want = list.rows.len() as u16 + 2;
    let heights = if wide {
        let h = split(
            area.height.saturating_sub(1),
            &[list_want, spread_want.max(runaway_want)],
            &[4, 3],
        );
        vec![h[0], h[1], h[1]]
    } else {
        split(
            area.height.saturating_sub(2),
            &[list_want, spread_want, runaway_want],
            &[4, 3, 2],
        )
    };
    let bottom = below(area, heights[0] + 1);
    let (spread_box, runaway_box) = if wide {
        (
            Rect {
                width: half,
                height: heights[1],
                ..bottom
            },
            Rect {
                x: bottom.x + half + 1,
                width: runaway_w,
                height: heights[2],
                ..bottom
            },
        )
    } else {
        (
            Rect {
                height: heights[1],
                ..bottom
            },
            Rect {
                height: heights[2],
                ..below(bottom, heights[1] + 1)
            },
        )
    };
    // The runs.
    let list_box = Rect {
        height: heights[0],
        ..area
    };
    // The spread and the runaways count every run; the list holds the costliest and the
    // runaways, and says so.
    let note = (r.runs.len() < r.total_runs).then(|| {
        format!(
            "  the costliest and the runaways of {} runs",
            count(r.total_runs as i64)
        )
    });
    list.title_note(r.runs.len(), note, list_box, buf);
    let cols = vec![
        col("Session", false, 0),
        col("Template", false, 2),
        col("Team", false, 5),
        col("Start (UTC)", false, 6),
        col("Calls", true, 0),
        col("Duration", true, 4),
        col("Growth", true, 3),
        col("Errors", true, 7),
        col("Cost", true, 0),
        col("Runaway", false, 1),
    ];
    let cells = |row: &Row| {
        let x = &r.runs[row.index];
        let causes = r.runaway.iter().find(|w| w.session == x.session).map(|w| &w.causes);
        vec![
            row.label.clone(),
            x.template.clone().unwrap_or_else(|| "(none)".into()),
            x.team.clone().unwrap_or_else(|| "(unassigned)".into()),
            x.start.get(5..16).unwrap_or("").replace('T', " "),
            count(x.calls),
            duration(x.duration_s),
            x.context_growth.map_or("–".into(), |g| format!("×{g:.1}")),
            count(x.errors),
            if x.unpriced_calls == x.calls {
                "unpriced".into()
            } else {
                usd_places(x.cost_usd, places)
            },
            causes.map_or(String::new(), |c| cause_words(c)),
        ]
    };
    list.table(cols, cells, "no run matches the filter")
        .tones(list.tones(|row| {
            let session = &r.runs[row.index].session;
            if r.runaway.iter().any(|w| &w.session == session) {
                theme.bad()
            } else {
                Style::new()
            }
        }))
        .render(below(list_box, 1), buf);
    // The spread of cost per run by template.
    if spread_box.height == 0 {
        return;
    }
    put_text(
        buf,
        spread_box.x,
        spread_box.y,
        " Cost per run by template (nearest-rank percentiles)",
        spread_box.width as usize,
        theme.bold(),
    );
    let spread_cols = vec![
        col("Template", false, 0),
        col("Runs", true, 0),
        col("Mean", true, 0),
        col("p50", true, 2),
        col("p90", true, 0),
        col("p99", true, 3),
        col("Max", true, 1),
        col("p90 calls", true, 4),
    ];
    let spread_rows = r.by_template.iter().map(|s| {
        vec![
            s.name.clone().unwrap_or_else(|| "(none)".into()),
            count(s.runs as i64),
            usd_places(s.mean_usd, places),
            usd_places(s.p50_usd, places),
            usd_places(s.p90_usd, places),
            usd_places(s.p99_usd, places),
            usd_places(s.max_usd, places),
            count(s.p90_calls),
        ]
    });
    TableView::new(theme, spread_cols, spread_rows.collect()).render(below(spread_box, 1), buf);
    // The runaways.
    runaways(r, &runaway_lines, theme, runaway_box, buf);
}

/// Fits parts of wanted heights into `avail` rows: each first gets up to its minimum, then
/// the rows left go one at a time to the parts still short, in turn, so a part is cut only
/// when every row is used.
fn split(avail: u16, wants: &[u16], mins: &[u16]) -> Vec<u16> {
    let mut left = avail;
    let mut h: Vec<u16> = Vec::with_capacity(wants.len());
    for (w, m) in wants.iter().zip(mins) {
        let take = (*w).min(*m).min(left);
        h.push(take);
        left -= take;
    }
    while left > 0 {
        let mut gave = false;
        for (i, w) in wants.iter().enumerate() {
            if left > 0 && h[i] < *w {
                h[i] += 1;
                left -= 1;
                gave = true;
            }
        }
        if !gave {
            break;
        }
    }
    h
}

/// A runaway as lines of `width`: its session, template and cost, then why.
fn runaway_text(x: &crate::analysis::runs::Runaway, places: u32, width: usize) -> Vec<String> {
    wrap(
        &format!(
            " {} · {} · {} calls · {}: {}",
            safe_name(&x.session),
            safe_name(x.template.as_deref().unwrap_or("(none)")),
            count(x.calls),
            usd_places(x.cost_usd, places),
            x.reason
        ),
        width,
    )
    .into_iter()
    .enumerate()
    .map(|(i, l)| if i == 0 { l } else { format!("  {l}") })
    .collect()
}

fn runaways(r: &Runs, lines: &[String], theme: Theme, area: Rect, buf: &mut Buffer) {
    if area.height == 0 {
        return;
    }
    put_text(
        buf,
        area.x,
        area.y,
        format!(" Runaway runs ({})", r.runaway.len()),
        area.width as usize,
        theme.bold(),
    );
    let body = below(area, 1);
    if r.runaway.is_empty() {
        note(
            " None: no run passed 5× its template's p90 calls or cost, and none failed 5 calls in a row.",
            theme.dim(),
            body,
            buf,
        );
        return;
    }
    let room = body.height as usize;
    let shown = if lines.len() <= room {
        lines.len()
    } else {
        room.saturating_sub(1)
    };
    for (i, l) in lines.iter().take(shown).enumerate() {
        put_text(buf, body.x, body.y + i as u16, l, body.width as usize, theme.bad());
    }
    if shown < lines.len() && room > 0 {
        // Runaways whose first line is not on screen.
        let started = lines.iter().take(shown).filter(|l| !l.starts_with("   ")).count();
        put_text(
            buf,
            body.x,
            body.y + shown as u16,
            format!(
                " … {} more (filter the runs with /runaway)",
                r.runaway.len().saturating_sub(started)
            ),
            body.width as usize,
            theme.dim(),
        );
    }
}

/// `calls, cost`, `retry loop`.
fn cause_words(causes: &[Cause]) -> String {
    causes
        .iter()
        .map(|c| match c {
            Cause::Calls => "calls",
            Cause::Cost => "cost",
            Cause::RetryLoop => "retry loop",
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `42s`, `5m 03s`, `2h 07m`.
fn duration(s: i64) -> String {
    match s {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m {:02}s", s / 60, s % 60),
        s => format!("{}h {:02}m", s / 3600, s % 3600 / 60),
    }
}

/// A run's calls: the input of each over time (the context growing), and the calls.
fn run_detail(app: &App, run: &RunDetail, runs: &Runs, data: &Data, theme: Theme, area: Rect, buf: &mut Buffer) {
    let summary = runs.runs.iter().find(|r| r.session == run.session);
    let places = runs_places(data);
    let title = vec![
        Span::styled(" Runs › ", theme.dim()),
        Span::styled(safe_name(&run.session).into_owned(), theme.bold()),
    ];
    let mut more = Vec::new();
    if let Some(s) = summary {
        more.push(Span::raw(format!(
            "  {}",
            safe_name(s.template.as_deref().unwrap_or("(none)"))
        )));
        more.push(Span::raw(format!(
            " · {}",
            safe_name(s.team.as_deref().unwrap_or("(unassigned)"))
        )));
        more.push(Span::raw(format!(" · {} calls", count(s.calls))));
        more.push(Span::raw(format!(" · {}", usd_places(s.cost_usd, places))));
        if let Some(g) = s.context_growth {
            more.push(Span::raw(format!(" · input ×{g:.1}")));
        }
    }
    more.push(Span::styled("  (Esc back · o: the template)", theme.dim()));
    line_fit(title, more, area.width).render(Rect { height: 1, ..area }, buf);
    let why = match runs.runaway.iter().find(|x| x.session == run.session) {
        Some(x) => note(format!(" Runaway: {}", x.reason), theme.bad(), below(area, 1), buf),
        None => 0,
    };
    let body = below(area, why + 2);
    let calls = match &run.calls {
        None => return message(buf, body, theme, &[format!("Reading the calls of {}…", run.session)]),
        Some(Err(e)) => {
            return message(
                buf,
                body,
                theme,
                &["The run's calls could not be read.".into(), String::new(), e.clone()],
            );
        }
        Some(Ok(c)) => c,
    };
    if calls.is_empty() {
        return message(buf, body, theme, &["No calls of this run this month.".into()]);
    }
    // The input of each call (the largest of a group when there are more calls than columns).
    let slots = (body.width as usize).saturating_sub(1).max(1);
    let per = calls.len().div_ceil(slots);
    let values: Vec<f64> = calls
        .chunks(per)
        .map(|g| g.iter().map(|c| c.input).max().unwrap_or(0) as f64)
        .collect();
    let marks: Vec<usize> = calls
        .chunks(per)
        .enumerate()
        .filter(|(_, g)| g.iter().any(|c| c.error))
        .map(|(i, _)| i)
        .collect();
    let (first, last) = (calls[0].input, calls[calls.len() - 1].input);
    put_text(
        buf,
        body.x,
        body.y,
        format!(
            " Input tokens per call  {} on call 1, {} on call {}{}",
            count(first),
            count(last),
            count(calls.len() as i64),
            if marks.is_empty() { "" } else { "   ▲ failed call" }
        ),
        body.width as usize,
        theme.dim(),
    );
    // The chart's bars and axis (and a row of marks under the bars when a call failed; else
    // its last row is the gap above the table).
    let m = u16::from(!marks.is_empty());
    let chart_h = (body.height / 3).clamp(3, 12) + m;
    let last_label = format!("call {}", calls.len());
    bars(
        &values,
        0.0,
        &marks,
        ("call 1", &last_label),
        theme,
        Rect {
            y: body.y + 1,
            height: chart_h.min(body.height.saturating_sub(1)),
            ..body
        },
        buf,
    );
    let table_area = below(body, chart_h + 1 + m);
    let start = calls[0].ts_ms;
    let days_differ = calls.last().is_some_and(|c| (c.ts_ms - start) >= 86_400_000);
    let call_places = money_places(calls.iter().map(|c| Usd::from_nanos(c.cost_nanos)));
    let cols = vec![
        col("#", false, 0),
        col("Time (UTC)", false, 0),
        col("After", true, 3),
        col("Model", false, 4),
        col("Input", true, 0),
        col("Output", true, 2),
        col("Cost", true, 0),
        col("Status", false, 1),
    ];
    let rows: Vec<Vec<String>> = calls
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let at = jiff::Timestamp::from_millisecond(c.ts_ms)
                .map(|t| {
                    t.strftime(if days_differ { "%m-%d %H:%M:%S" } else { "%H:%M:%S" })
                        .to_string()
                })
                .unwrap_or_default();
            vec![
                count(i as i64 + 1),
                at,
                duration((c.ts_ms - start).max(0) / 1000),
                c.model.clone(),
                count(c.input),
                count(c.output),
                if c.unpriced {
                    "unpriced".into()
                } else {
                    usd_places(Usd::from_nanos(c.cost_nanos), call_places)
                },
                if c.error { "error".into() } else { "ok".into() },
            ]
        })
        .collect();
    let tones = calls
        .iter()
        .map(|c| if c.error { theme.bad() } else { Style::new() })
        .collect();
    TableView::new(theme, cols, rows)
        .tones(tones)
        .select(run.selected, &app.page)
        .render(table_area, buf);
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn split_gives_rows_in_turn_and_never_more_than_there_are() {
        // Room for everything: each part gets what it wants.
        assert_eq!(split(30, &[10, 5, 4], &[4, 3, 2]), [10, 5, 4]);
        // 19 rows for 16 + 5 + 5: minimums 4 + 3 + 2, then one each in turn.
        assert_eq!(split(19, &[16, 5, 5], &[4, 3, 2]), [9, 5, 5]);
        // Less than the minimums: the first parts first.
        assert_eq!(split(5, &[16, 5, 5], &[4, 3, 2]), [4, 1, 0]);
    }
}
