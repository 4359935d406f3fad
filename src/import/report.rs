//! What one `cost import` did, over all its files (`cost.import/v1`).

use super::FileSummary;
use crate::money::Usd;
use serde::Serialize;

/// The result of `cost import` (`cost.import/v1`).
#[derive(Debug, Serialize)]
pub struct ImportReport {
    pub schema: &'static str,
    pub db: String,
    pub dry_run: bool,
    pub files: Vec<FileSummary>,
    pub lines: u64,
    pub imported: u64,
    pub duplicates: u64,
    pub replaced: u64,
    /// Stored records re-priced or re-attributed by `--update`.
    pub updated: u64,
    pub rejected: u64,
    pub skipped: u64,
    pub unpriced: u64,
    /// `None` (JSON null) when every record imported is unpriced.
    pub cost_usd: Option<Usd>,
    /// Lines kept although an optional field had an unexpected type.
    pub repaired: u64,
    /// Files that could not be read (whole or in part): each has an `error`.
    pub failed: u64,
    /// Files not read: unchanged since they were last imported.
    pub unchanged_files: Vec<String>,
}
