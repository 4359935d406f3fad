//! Where a run's time goes, printed to stderr when `COST_TIMINGS=1` (for the benchmarks in
//! the README). Phases are summed across threads, so on two cores they can add up to more
//! than the wall time.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy)]
pub enum Phase {
    Git,
    Config,
    Prices,
    Survey,
    Render,
    Tokenize,
    Price,
}

const NAMES: [&str; 7] = ["git", "config", "price table", "pairing", "render", "tokenize", "price"];
static TOTALS: [AtomicU64; 7] = [const { AtomicU64::new(0) }; 7];

pub fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("COST_TIMINGS").is_some_and(|v| v == "1"))
}

/// Runs `f`, adding its duration to `phase` when timings are on.
pub fn time<T>(phase: Phase, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let start = Instant::now();
    let out = f();
    TOTALS[phase as usize].fetch_add(start.elapsed().as_micros() as u64, Ordering::Relaxed);
    out
}

/// Prints the phases and the wall time since `start` to stderr.
pub fn report(start: Instant) {
    if !enabled() {
        return;
    }
    let mut parts: Vec<String> = NAMES
        .iter()
        .zip(&TOTALS)
        .map(|(name, t)| {
            format!(
                "{name} {:.1} ms",
                Duration::from_micros(t.load(Ordering::Relaxed)).as_secs_f64() * 1e3
            )
        })
        .collect();
    parts.push(format!("wall {:.1} ms", start.elapsed().as_secs_f64() * 1e3));
    eprintln!("timings: {}", parts.join(", "));
}
