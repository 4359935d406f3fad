//! The screen for a month without usage: what the store holds, and how to get there.

use crate::money::group_thousands;
use crate::tui::app::App;
use crate::tui::data::Data;
use crate::tui::widgets::{Theme, message};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// `No usage in 2026-11.` and which key (how many times) reaches the store's months.
pub fn empty_month(app: &App, data: &Data, theme: Theme, area: Rect, buf: &mut Buffer) {
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
        area,
        theme,
        &[
            format!("No usage in {}.", app.window.label()),
            String::new(),
            format!(
                "The store holds {} {} from {first} to {last}: {which}.",
                group_thousands(&data.core.store_requests.to_string()),
                if data.core.store_requests == 1 {
                    "request"
                } else {
                    "requests"
                }
            ),
        ],
    );
}

/// `once`, `2 times`
fn times(n: i64) -> String {
    if n == 1 { "once".into() } else { format!("{n} times") }
}
