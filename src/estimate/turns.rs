//! A run of calls: a conversation or agent loop that resends its history (DESIGN §13), priced
//! call by call (pure).
//!
//! Call k (1-based) sends the template's input T plus the k−1 earlier turns, each adding the
//! user's message U, the model's output O and the tool results R: input_k = T + (k−1)(U+O+R).
//! With a cache-hit rate h, call 1 reads h of the template's static prefix from cache (as a
//! single call does) and call k > 1 reads h of the previous call's input, which is a prefix of
//! its own; the rest of that prefix is a cache write where the provider bills writes, and
//! what the turn added is plain input. With h = 0 every token is plain input, so the run costs
//! N·T·p_in + N(N−1)/2·(U+O+R)·p_in + N·O·p_out, exactly.

use super::call_usage;
use crate::money::{Micro, Usd};
use crate::pricing::{self, PriceError, Rates};
use serde::Serialize;

/// What one run looks like for one model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunShape {
    /// Calls in the run (N ≥ 1).
    pub turns: u64,
    /// The template's input tokens (T): the first call's input.
    pub first_input: u64,
    /// The first call's cacheable prefix (0 below the provider's minimum).
    pub first_prefix: u64,
    /// Tokens each earlier turn adds to the history: U + O + R.
    pub growth: u64,
    /// Output tokens per call (O).
    pub output: u64,
    pub cache_hit_rate: Micro,
    pub bills_writes: bool,
    /// The provider's minimum cacheable prefix: a previous input shorter than this is not
    /// read from cache.
    pub cache_min: u64,
}

/// One call of a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Turn {
    pub turn: u64,
    pub input_tokens: u64,
    /// Input tokens read from the provider's cache (fractional: h × a prefix).
    pub cache_read_tokens: Micro,
    /// Input tokens written to the cache at the write price (providers that bill writes).
    pub cache_write_tokens: Micro,
    pub output_tokens: u64,
    pub cost_usd: Usd,
    /// This call and every call before it.
    pub cumulative_usd: Usd,
    /// Set when this call is billed at long-context prices (input above this many tokens).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub long_context_above: Option<u64>,
}

/// A priced run.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// Every call, first to last (never empty).
    pub turns: Vec<Turn>,
    /// The prices of the first call (the template as written).
    pub first_rates: Rates,
}

impl Run {
    pub fn first(&self) -> &Turn {
        &self.turns[0]
    }

    pub fn last(&self) -> &Turn {
        &self.turns[self.turns.len() - 1]
    }

    /// What the whole run costs.
    pub fn total(&self) -> Usd {
        self.last().cumulative_usd
    }

    /// The highest long-context threshold any call crosses.
    pub fn long_context_above(&self) -> Option<u64> {
        self.turns.iter().filter_map(|t| t.long_context_above).max()
    }
}

/// Why a run could not be priced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunError {
    /// The model has no usable price (see [`PriceError`]).
    Price(PriceError),
    /// A token count or an amount does not fit: the run is too long to price exactly.
    Overflow,
}

/// The input tokens of call `k` (1-based): T + (k−1)·(U+O+R), or `None` past `u64`.
pub fn input_of_call(shape: &RunShape, k: u64) -> Option<u64> {
    k.checked_sub(1)?
        .checked_mul(shape.growth)?
        .checked_add(shape.first_input)
}

/// Prices every call of the run. `rates_for` gives the per-token prices for a call with that
/// many input tokens (long-context tiers depend on it).
pub fn price_run(shape: &RunShape, rates_for: impl Fn(Micro) -> Result<Rates, PriceError>) -> Result<Run, RunError> {
    let turns = shape.turns.max(1);
    let mut out = Vec::with_capacity(turns.min(crate::config::MAX_TURNS) as usize);
    let mut first_rates = None;
    let mut cumulative = Usd::ZERO;
    let mut previous_input = 0u64;
    for k in 1..=turns {
        let input = input_of_call(shape, k).ok_or(RunError::Overflow)?;
        // Call 1 caches the template's static prefix; later calls the previous call's input.
        let prefix = if k == 1 {
            shape.first_prefix
        } else if previous_input >= shape.cache_min {
            previous_input
        } else {
            0
        };
        let usage = call_usage(input, prefix, shape.output, shape.cache_hit_rate, shape.bills_writes);
        let rates = rates_for(usage.total_input()).map_err(RunError::Price)?;
        let cost = pricing::checked_cost(&rates, &usage).ok_or(RunError::Overflow)?;
        cumulative = cumulative.checked_add(cost).ok_or(RunError::Overflow)?;
        out.push(Turn {
            turn: k,
            input_tokens: input,
            cache_read_tokens: usage.cache_read,
            cache_write_tokens: usage.cache_write_5m,
            output_tokens: shape.output,
            cost_usd: cost,
            cumulative_usd: cumulative,
            long_context_above: rates.long_context_above,
        });
        first_rates.get_or_insert(rates);
        previous_input = input;
    }
    Ok(Run {
        turns: out,
        first_rates: first_rates.ok_or(RunError::Overflow)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// gpt-4o's standard prices: $2.50/M input, $1.25/M cached input, $10/M output, no write
    /// premium.
    fn gpt4o(_: Micro) -> Result<Rates, PriceError> {
        let per_m = |s: &str| Usd::parse(s).unwrap().per_million_to_per_token();
        Ok(Rates {
            input: per_m("2.5"),
            output: per_m("10"),
            cache_read: per_m("1.25"),
            cache_write_5m: Usd::ZERO,
            cache_write_1h: Usd::ZERO,
            reasoning: per_m("10"),
            long_context_above: None,
        })
    }

    /// claude-sonnet-4-5's prices: $3/M input, $0.30/M read, $3.75/M 5-minute write, $15/M
    /// output; above 200,000 input tokens $6/M input and $22.50/M output.
    fn sonnet(total_input: Micro) -> Result<Rates, PriceError> {
        let per_m = |s: &str| Usd::parse(s).unwrap().per_million_to_per_token();
        let long = total_input > Micro::from_int(200_000);
        let (i, r, w, o) = if long {
            ("6", "0.6", "7.5", "22.5")
        } else {
            ("3", "0.3", "3.75", "15")
        };
        Ok(Rates {
            input: per_m(i),
            output: per_m(o),
            cache_read: per_m(r),
            cache_write_5m: per_m(w),
            cache_write_1h: Usd::ZERO,
            reasoning: per_m(o),
            long_context_above: long.then_some(200_000),
        })
    }

    fn shape(turns: u64, first_input: u64, growth: u64, output: u64) -> RunShape {
        RunShape {
            turns,
            first_input,
            first_prefix: 0,
            growth,
            output,
            cache_hit_rate: Micro::ZERO,
            bills_writes: false,
            cache_min: 1024,
        }
    }

    #[test]
    fn one_turn_is_one_call() {
        // 1,000 × $2.50/M + 200 × $10/M = 0.0025 + 0.002 = $0.0045.
        let run = price_run(&shape(1, 1000, 700, 200), gpt4o).unwrap();
        assert_eq!(run.turns.len(), 1);
        assert_eq!(run.total(), Usd::parse("0.0045").unwrap());
        assert_eq!(run.first(), run.last());
    }

    #[test]
    fn without_cache_the_run_is_the_closed_form() {
        // N = 4, T = 1,000, U+O+R = 700 (O = 200): inputs 1,000, 1,700, 2,400, 3,100.
        // Closed form: 4·1,000·2.5e-6 + 4·3/2·700·2.5e-6 + 4·200·1e-5
        //            = 0.01 + 0.0105 + 0.008 = $0.0285.
        let run = price_run(&shape(4, 1000, 700, 200), gpt4o).unwrap();
        let inputs: Vec<u64> = run.turns.iter().map(|t| t.input_tokens).collect();
        assert_eq!(inputs, [1000, 1700, 2400, 3100]);
        assert_eq!(run.total(), Usd::parse("0.0285").unwrap());
        // The last call: 3,100 × 2.5e-6 + 0.002 = $0.00975.
        assert_eq!(run.last().cost_usd, Usd::parse("0.00975").unwrap());
        // After two calls: (0.0025 + 0.002) + (1,700 × 2.5e-6 + 0.002) = 0.0045 + 0.00625.
        assert_eq!(run.turns[1].cumulative_usd, Usd::parse("0.01075").unwrap());
    }

    #[test]
    fn with_cache_the_previous_input_is_read_and_written() {
        // Anthropic, h = 0.5, T = 2,000 with a 1,500-token static prefix, U+O+R = 600 (O = 100).
        // Call 1: read 750 × 3e-7 = 0.000225; written 750 × 3.75e-6 = 0.0028125; plain 500 ×
        //   3e-6 = 0.0015; output 100 × 1.5e-5 = 0.0015. Sum 0.0060375.
        // Call 2 (input 2,600; previous 2,000): read 1,000 × 3e-7 = 0.0003; written 1,000 ×
        //   3.75e-6 = 0.00375; plain 600 × 3e-6 = 0.0018; output 0.0015. Sum 0.00735.
        // Call 3 (input 3,200; previous 2,600): read 1,300 × 3e-7 = 0.00039; written 1,300 ×
        //   3.75e-6 = 0.004875; plain 600 × 3e-6 = 0.0018; output 0.0015. Sum 0.008565.
        // Run: 0.0060375 + 0.00735 + 0.008565 = $0.0219525.
        let s = RunShape {
            first_prefix: 1500,
            cache_hit_rate: Micro::parse("0.5").unwrap(),
            bills_writes: true,
            ..shape(3, 2000, 600, 100)
        };
        let run = price_run(&s, sonnet).unwrap();
        let costs: Vec<String> = run.turns.iter().map(|t| t.cost_usd.to_decimal_string()).collect();
        assert_eq!(costs, ["0.0060375", "0.00735", "0.008565"]);
        let reads: Vec<Micro> = run.turns.iter().map(|t| t.cache_read_tokens).collect();
        assert_eq!(
            reads,
            [Micro::from_int(750), Micro::from_int(1000), Micro::from_int(1300)]
        );
        assert_eq!(run.total(), Usd::parse("0.0219525").unwrap());
    }

    #[test]
    fn a_previous_input_under_the_minimum_is_not_cached() {
        // gpt-4o, h = 0.5, T = 600 (prefix 0: under 1,024), U+O+R = 500 (O = 0).
        // Call 1: 600 plain; call 2: previous 600 < 1,024, 1,100 plain; call 3: previous 1,100
        // ≥ 1,024: read 550 × 1.25e-6 = 0.0006875, plain 1,600 − 550 = 1,050 × 2.5e-6 = 0.002625.
        let s = RunShape {
            cache_hit_rate: Micro::parse("0.5").unwrap(),
            ..shape(3, 600, 500, 0)
        };
        let run = price_run(&s, gpt4o).unwrap();
        assert_eq!(run.turns[1].cache_read_tokens, Micro::ZERO);
        assert_eq!(run.turns[1].cost_usd, Usd::parse("0.00275").unwrap());
        assert_eq!(run.turns[2].cache_read_tokens, Micro::from_int(550));
        assert_eq!(run.turns[2].cost_usd, Usd::parse("0.0033125").unwrap());
    }

    #[test]
    fn a_call_past_the_long_context_threshold_is_billed_whole_at_its_prices() {
        // Sonnet, T = 150,000, U+O+R = 60,000 (O = 0), no cache: call 2 sends 210,000 > 200,000.
        // Call 1: 150,000 × 3e-6 = 0.45; call 2: 210,000 × 6e-6 = 1.26.
        let run = price_run(&shape(2, 150_000, 60_000, 0), sonnet).unwrap();
        assert_eq!(run.turns[0].long_context_above, None);
        assert_eq!(run.turns[1].long_context_above, Some(200_000));
        assert_eq!(run.long_context_above(), Some(200_000));
        assert_eq!(run.total(), Usd::parse("1.71").unwrap());
        // The first call's prices are the row's: the template as written.
        assert_eq!(run.first_rates.long_context_above, None);
    }

    #[test]
    fn token_counts_past_u64_are_an_error_not_a_wrap() {
        let s = shape(3, u64::MAX - 10, 100, 0);
        assert_eq!(input_of_call(&s, 1), Some(u64::MAX - 10));
        assert_eq!(input_of_call(&s, 2), None);
        assert_eq!(price_run(&s, gpt4o), Err(RunError::Overflow));
    }

    #[test]
    fn amounts_past_i128_are_an_error_not_a_wrap() {
        // A price of $1e18 per token times 1e18 tokens does not fit in atto-dollars.
        let absurd = |_: Micro| -> Result<Rates, PriceError> {
            Ok(Rates {
                input: Usd::parse("1e18").unwrap(),
                ..gpt4o(Micro::ZERO).unwrap()
            })
        };
        assert_eq!(
            price_run(&shape(1, 1_000_000_000_000_000_000, 0, 0), absurd),
            Err(RunError::Overflow)
        );
    }

    #[test]
    fn a_price_error_is_passed_on() {
        let none = |_: Micro| -> Result<Rates, PriceError> { Err(PriceError::NoTokenPrice) };
        assert_eq!(
            price_run(&shape(2, 10, 10, 0), none),
            Err(RunError::Price(PriceError::NoTokenPrice))
        );
    }
}
