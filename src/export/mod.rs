//! Exports of the stored requests, one row per request: JSON lines that another store imports
//! losslessly (`jsonl`), and Hive-partitioned Parquet for warehouses (`parquet`, behind the
//! `parquet` cargo feature, on by default). The FOCUS CSV of the rollups is
//! `analysis::focus`.

pub mod jsonl;
#[cfg(feature = "parquet")]
pub mod parquet;

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    pub requests: u64,
    /// Requests whose cost is unknown (written with no cost, never $0).
    pub unpriced: u64,
    /// Parquet: the partitions written, as (`YYYY-MM`, rows).
    pub months: Vec<(String, u64)>,
}

impl Written {
    fn count(&mut self, r: &crate::store::export::StoredRequest) {
        self.requests += 1;
        self.unpriced += r.unpriced as u64;
    }
}
