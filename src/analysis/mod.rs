//! FinOps analysis over the store's rollups — budgets and forecasts, cache KPIs, anomalies,
//! showback, what-ifs — and the estimate of a repository's templates. Each analysis is a
//! function of its inputs (store, configuration, prices) and a plain `Params` struct; nothing
//! here parses flags, renders or prints: warnings come back in the result. The command line
//! and the dashboard call the same functions.

pub mod anomalies;
pub mod budget;
pub mod cache;
pub mod estimate;
pub mod focus;
pub mod runs;
pub mod showback;
pub mod unit;
pub mod watch;
pub mod whatif;

/// A store in memory holding hand-made requests, for the analyses' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use crate::store::{NewRequest, Store};
    use crate::tokens::Tokens;

    /// One request: day (`2026-10-DD`), team, template, model, uncached input tokens, cost in
    /// nano-USD.
    pub type Row<'a> = (&'a str, &'a str, &'a str, &'a str, u64, i64);

    pub fn store(rows: &[Row]) -> Store {
        let store = Store::in_memory().expect("an in-memory store");
        let mut tx = store.begin().expect("a transaction");
        tx.start_file("usage.csv", None, "generic-csv", "2026-11-01T00:00:00Z")
            .expect("a file");
        for (i, (day, team, template, model, input, cost)) in rows.iter().enumerate() {
            let ts = format!("{day}T12:00:00Z").parse::<jiff::Timestamp>().expect("a day");
            tx.insert(&NewRequest {
                key: format!("r{i}"),
                ts_ms: ts.as_millisecond(),
                day: day.to_string(),
                source: "generic-csv",
                provider: "openai".into(),
                model: model.to_string(),
                model_priced: Some(model.to_string()),
                tier: "standard".into(),
                tokens: Tokens {
                    uncached_input: *input,
                    ..Tokens::default()
                },
                requests: 1,
                team: Some(team.to_string()).filter(|t| !t.is_empty()),
                template: Some(template.to_string()).filter(|t| !t.is_empty()),
                cost_nanos: *cost,
                line: i as u64 + 1,
                ..NewRequest::default()
            })
            .expect("stored");
        }
        tx.commit().expect("committed");
        store
    }

    /// `YYYY-MM-DD`
    pub fn day(s: &str) -> jiff::civil::Date {
        s.parse().expect("a date")
    }
}

#[cfg(test)]
mod tests;
