//! Token counts in the canonical buckets, below everything that counts, prices, stores or
//! reports them (import, store, pricing, analysis).

/// Tokens in the canonical, non-overlapping buckets. `output` includes `reasoning`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tokens {
    pub uncached_input: u64,
    pub cache_read: u64,
    pub cache_write_5m: u64,
    pub cache_write_1h: u64,
    pub output: u64,
    pub reasoning: u64,
}

impl Tokens {
    pub fn total_input(&self) -> u64 {
        self.uncached_input + self.cache_read + self.cache_write_5m + self.cache_write_1h
    }
}
