//! `cost`: FinOps for LLM tokens. The binary is a thin shell over this library.
// No `unwrap()` outside tests: an error reaches the person as a typed error with a hint.
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod analysis; // budgets, forecasts, cache KPIs, anomalies, showback, what-if (pure)
pub mod app; // the context both faces share: configuration, prices, store, "now"
pub mod cli; // argument parsing, one file per subcommand, error → exit code
pub mod config; // cost.toml discovery, parsing and validation
pub mod diff; // cost deltas between two versions of the templates, and their verdicts
pub mod error; // the error type shared by the library, with hints and exit codes
pub mod estimate; // template × model × assumptions → Estimate (pure)
pub mod export; // one row per stored request: lossless JSON lines, Parquet for warehouses
pub mod import; // log sources → normalised, priced records, one importer per source
pub mod money; // exact money (`Usd`) and fixed-point ratios
pub mod output; // table / json / csv / markdown rendering and number formatting
pub mod par; // ordered parallel map for per-template work
pub mod period; // date ranges for reports (7d, this-month, 2026-10)
pub mod pricing; // the price table: snapshot + overlays, name resolution, cost math
pub mod report; // spend grouped by team, template, model, … from the rollups
pub mod store; // SQLite store: schema and migrations, inserts with rollups, queries
pub mod template; // template files: parsing, rendering, message and tool accounting
pub mod timing; // optional per-phase timings (COST_TIMINGS=1)
pub mod tokenize; // tokenizers per model family, exact or calibrated
pub mod tokens; // the canonical token buckets (import, store, pricing, analysis)
pub mod tui; // `cost dashboard`: state, keymap, views and the event loop
