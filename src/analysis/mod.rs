//! FinOps analysis over the store's rollups: budgets and forecasts. Pure computation: the
//! commands load the series, pass "now", and render what comes back.

pub mod anomalies;
pub mod budget;
pub mod cache;
pub mod focus;
pub mod showback;
pub mod whatif;
