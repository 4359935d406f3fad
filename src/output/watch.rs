//! `cost watch`'s text lines: `TIME  KIND  message`, names escaped as everywhere else.

use crate::analysis::watch::Event;

/// One event as a line of text: its time, its kind padded to line up, and its message.
pub fn watch_line(e: &Event) -> String {
    format!("{}  {:<9} {}", e.time, e.kind(), super::safe_name(&e.message))
}

#[cfg(test)]
mod tests {
    use crate::analysis::watch::{Snapshot, Today, heartbeat};

    #[test]
    fn a_line_is_time_kind_and_message_with_names_escaped() {
        let snap = Snapshot {
            budget: crate::analysis::budget::Budget {
                schema: "cost.budget/v1",
                month: "2026-11-01".into(),
                as_of: "2026-11-01".into(),
                teams: Vec::new(),
                empty_store: false,
            },
            anomalies: Vec::new(),
            runaways: Vec::new(),
            today: Today {
                day: "2026-11-01".into(),
                requests: 1,
                cost_nanos: 3_500_000,
                unpriced_requests: 0,
            },
        };
        let mut e = heartbeat(&snap, "2026-11-01T07:00:00Z".parse().unwrap());
        // $0.0035 over 7 hours = $0.0005 an hour.
        assert_eq!(
            super::watch_line(&e),
            "2026-11-01T07:00:00Z  heartbeat today $0.0035 so far (1 request), $0.0005/h on average since 00:00 UTC"
        );
        e.message = "team \u{1b}[31mred".into();
        assert_eq!(
            super::watch_line(&e),
            "2026-11-01T07:00:00Z  heartbeat team \\x1b[31mred"
        );
    }
}
