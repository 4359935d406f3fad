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
pub mod showback;
pub mod whatif;
