//! Price rules checked against the shipped 2026-07-24 snapshot. Every expected figure is
//! worked out by hand in the comment above it.

use super::*;
use crate::config::Config;

fn table() -> PriceTable {
    PriceTable::load(&BTreeMap::new()).unwrap()
}

fn usd(s: &str) -> Usd {
    Usd::parse(s).unwrap()
}

fn tokens(n: i128) -> Micro {
    Micro::from_int(n)
}

fn price_of<'a>(t: &'a PriceTable, name: &str) -> &'a ModelPrice {
    t.lookup(name, None).unwrap()
}

#[test]
fn cached_reads_are_billed_at_the_cache_price() {
    // gpt-4o: input $2.50/M, cached $1.25/M, output $10/M.
    // 2,000 uncached × 2.5e-6 = 0.005; 8,000 read × 1.25e-6 = 0.01; 600 out × 1e-5 = 0.006.
    let t = table();
    let p = price_of(&t, "gpt-4o");
    let usage = Usage {
        uncached_input: tokens(2000),
        cache_read: tokens(8000),
        output: tokens(600),
        ..Usage::default()
    };
    let rates = p.rates(Tier::Standard, usage.total_input()).unwrap();
    assert_eq!(cost(&rates, &usage), usd("0.021"));
}

#[test]
fn cache_writes_5m_and_1h() {
    // claude-sonnet-4-5: input $3/M, 5m write $3.75/M, 1h write $6/M, output $15/M.
    // 1,000 × 3e-6 = 0.003; 4,000 × 3.75e-6 = 0.015; 2,000 × 6e-6 = 0.012; 500 × 1.5e-5 = 0.0075.
    let t = table();
    let p = price_of(&t, "claude-sonnet-4-5");
    let usage = Usage {
        uncached_input: tokens(1000),
        cache_write_5m: tokens(4000),
        cache_write_1h: tokens(2000),
        output: tokens(500),
        ..Usage::default()
    };
    let rates = p.rates(Tier::Standard, usage.total_input()).unwrap();
    assert_eq!(cost(&rates, &usage), usd("0.0375"));
}

#[test]
fn anthropic_fallbacks_when_cache_prices_are_missing() {
    // Bedrock's anthropic.claude-3-haiku lists no 1h write price: 2 × input = 2 × 2.5e-7 = 5e-7.
    let t = table();
    let p = price_of(&t, "anthropic.claude-3-haiku-20240307-v1:0");
    let rates = p.rates(Tier::Standard, Micro::ZERO).unwrap();
    assert_eq!(rates.cache_write_1h, usd("5e-7"));
    // Its listed 5m write and read prices are kept.
    assert_eq!(rates.cache_write_5m, usd("3.125e-7"));
    assert_eq!(rates.cache_read, usd("2.5e-8"));
}

#[test]
fn openai_fallbacks_read_at_input_and_writes_free() {
    // gpt-4 lists no cached price: reads at the input price ($30/M), writes free.
    let t = table();
    let rates = price_of(&t, "gpt-4").rates(Tier::Standard, Micro::ZERO).unwrap();
    assert_eq!(rates.cache_read, usd("3e-5"));
    assert_eq!(rates.cache_write_5m, Usd::ZERO);
    assert_eq!(rates.cache_write_1h, Usd::ZERO);
}

#[test]
fn batch_uses_listed_prices_else_half() {
    let t = table();
    // gpt-4o lists batch prices: input $1.25/M, output $5/M; its cache read has none, so
    // half of $1.25/M = $0.625/M.
    let r = price_of(&t, "gpt-4o").rates(Tier::Batch, Micro::ZERO).unwrap();
    assert_eq!(
        (r.input, r.output, r.cache_read),
        (usd("1.25e-6"), usd("5e-6"), usd("6.25e-7"))
    );
    // claude-sonnet-4-5 lists none: half of every bucket ($1.50, $7.50, $0.15, $1.875, $3).
    let r = price_of(&t, "claude-sonnet-4-5")
        .rates(Tier::Batch, Micro::ZERO)
        .unwrap();
    assert_eq!(
        (r.input, r.output, r.cache_read, r.cache_write_5m, r.cache_write_1h),
        (
            usd("1.5e-6"),
            usd("7.5e-6"),
            usd("1.5e-7"),
            usd("1.875e-6"),
            usd("3e-6")
        )
    );
}

#[test]
fn priority_and_flex_use_listed_prices() {
    let t = table();
    // gpt-4o priority: input $4.25/M, output $17/M, cached $2.125/M (all listed).
    let r = price_of(&t, "gpt-4o").rates(Tier::Priority, Micro::ZERO).unwrap();
    assert_eq!(
        (r.input, r.output, r.cache_read),
        (usd("4.25e-6"), usd("1.7e-5"), usd("2.125e-6"))
    );
    // o3 flex: input $1/M, output $4/M, cached $0.25/M.
    let r = price_of(&t, "o3").rates(Tier::Flex, Micro::ZERO).unwrap();
    assert_eq!(
        (r.input, r.output, r.cache_read),
        (usd("1e-6"), usd("4e-6"), usd("2.5e-7"))
    );
    // claude-sonnet-4-5 has no flex price: it cannot be priced on flex.
    assert_eq!(
        price_of(&t, "claude-sonnet-4-5").rates(Tier::Flex, Micro::ZERO),
        Err(PriceError::TierUnavailable(Tier::Flex))
    );
}

#[test]
fn long_context_bills_the_whole_request_above_the_threshold() {
    let t = table();
    let p = price_of(&t, "claude-sonnet-4-5");
    // Exactly 200,000 input tokens is not above the threshold: $3/M.
    assert_eq!(p.rates(Tier::Standard, tokens(200_000)).unwrap().input, usd("3e-6"));
    // 200,001 tokens: everything at the long-context prices.
    // 150,001 uncached × 6e-6 = 0.900006; 50,000 read × 6e-7 = 0.03; 1,000 out × 2.25e-5 = 0.0225.
    let usage = Usage {
        uncached_input: tokens(150_001),
        cache_read: tokens(50_000),
        output: tokens(1000),
        ..Usage::default()
    };
    let rates = p.rates(Tier::Standard, usage.total_input()).unwrap();
    assert_eq!(rates.long_context_above, Some(200_000));
    assert_eq!(cost(&rates, &usage), usd("0.952506"));
    // Batch + long context: half of the long-context prices.
    let batch = p.rates(Tier::Batch, usage.total_input()).unwrap();
    assert_eq!(cost(&batch, &usage), usd("0.476253"));
}

#[test]
fn long_context_on_priority_scales_when_not_listed() {
    // gpt-5.4 lists long-context (above 272k: $5/M in) and priority ($5/M vs $2.50/M standard)
    // prices but no long-context priority price: $5/M × (5 / 2.5) = $10/M.
    let t = table();
    let p = price_of(&t, "gpt-5.4");
    assert_eq!(p.long_context_thresholds(), vec![272_000]);
    assert!(!p.fields.contains_key("input_cost_per_token_above_272k_tokens_priority"));
    let r = p.rates(Tier::Priority, tokens(300_000)).unwrap();
    assert_eq!(r.input, usd("1e-5"));
    // Output: $22.50/M long context × 2 = $45/M.
    assert_eq!(r.output, usd("4.5e-5"));
}

#[test]
fn custom_price_overlay_in_usd_per_million() {
    // A model the table does not know, priced by cost.toml: $12/M in, $36/M out.
    // 1,000 in × 1.2e-5 = 0.012; 100 out × 3.6e-5 = 0.0036.
    let cfg = Config::parse(
        "[prices.\"acme-finetune-v3\"]\ninput = 12.0\noutput = 36.0\ncache_read = 1.2\nprovider = \"openai\"\n",
        None,
    )
    .unwrap();
    let t = PriceTable::load(&cfg.prices).unwrap();
    let p = t.lookup("acme-finetune-v3", None).unwrap();
    assert_eq!(p.source, PriceSource::Config);
    let usage = Usage {
        uncached_input: tokens(1000),
        output: tokens(100),
        ..Usage::default()
    };
    assert_eq!(
        cost(&p.rates(Tier::Standard, usage.total_input()).unwrap(), &usage),
        usd("0.0156")
    );
}

#[test]
fn overlay_on_a_known_model_inherits_what_it_does_not_give() {
    // A negotiated gpt-4o input price of $2/M; output stays at the table's $10/M.
    let cfg = Config::parse("[prices.\"gpt-4o\"]\ninput = 2.0\n", None).unwrap();
    let t = PriceTable::load(&cfg.prices).unwrap();
    let r = t
        .lookup("gpt-4o", None)
        .unwrap()
        .rates(Tier::Standard, Micro::ZERO)
        .unwrap();
    assert_eq!(
        (r.input, r.output, r.cache_read),
        (usd("2e-6"), usd("1e-5"), usd("1.25e-6"))
    );
}

#[test]
fn effective_dated_overlay_applies_from_its_date() {
    // From 2026-01-01 gpt-4o input costs $2/M; before, the snapshot's $2.50/M.
    let cfg = Config::parse("[prices.\"gpt-4o\"]\ninput = 2.0\neffective_from = 2026-01-01\n", None).unwrap();
    let t = PriceTable::load(&cfg.prices).unwrap();
    let day = |s: &str| Some(s.parse::<Date>().unwrap());
    let input = |d| {
        t.lookup("gpt-4o", d)
            .unwrap()
            .rates(Tier::Standard, Micro::ZERO)
            .unwrap()
            .input
    };
    assert_eq!(input(day("2025-12-31")), usd("2.5e-6"));
    assert_eq!(input(day("2026-01-01")), usd("2e-6"));
}

#[test]
fn unknown_model_is_an_error_with_suggestions() {
    let t = table();
    let err = t.lookup("gpt-4-o", None).unwrap_err();
    assert_eq!(err.to_string(), "unknown model `gpt-4-o`");
    let hint = err.hint().unwrap();
    let Error::UnknownModel {
        model,
        context,
        suggestions,
    } = err
    else {
        panic!("{err:?}")
    };
    assert_eq!(model, "gpt-4-o");
    assert_eq!(context, None);
    // The three closest names of the shipped table (Jaro–Winkler ≥ 0.8), best first.
    assert_eq!(suggestions, ["gpt-4o", "gpt-4", "gpt-4-turbo"]);
    assert_eq!(
        hint,
        "did you mean `gpt-4o`, `gpt-4`, `gpt-4-turbo`? Or to price a custom model add [prices.\"gpt-4-o\"] with `input` and `output` (USD per million tokens) to cost.toml; `cost models PATTERN` lists known names"
    );
}

#[test]
fn new_overlay_without_prices_is_rejected() {
    let cfg = Config::parse("[prices.\"mystery\"]\ninput = 1.0\n", None).unwrap();
    let err = PriceTable::load(&cfg.prices).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot price `mystery`: [prices] entry for a model the price table does not know must give both `input` and `output`"
    );
    assert_eq!(
        err.hint().as_deref(),
        Some("add `input = …` and `output = …` (USD per million tokens) under [prices.\"mystery\"]")
    );
    assert_eq!(err.exit_code(), 2);
    assert!(matches!(err, Error::Pricing { model, .. } if model == "mystery"));
}

#[test]
fn reasoning_is_inside_output() {
    // 600 output of which 200 reasoning, gpt-4o lists no reasoning price: 600 × 1e-5 = 0.006.
    let t = table();
    let usage = Usage {
        output: tokens(600),
        reasoning: tokens(200),
        ..Usage::default()
    };
    let rates = price_of(&t, "gpt-4o").rates(Tier::Standard, Micro::ZERO).unwrap();
    assert_eq!(cost(&rates, &usage), usd("0.006"));
}

#[test]
fn an_overlay_moves_the_tier_prices_it_replaces() {
    // gpt-4o lists batch prices $1.25/M in, $5/M out (half of $2.50/$10). A negotiated
    // $2/M in, $8/M out scales them by 2/2.5 and 8/10: batch $1.00/M in, $4.00/M out.
    let cfg = Config::parse("[prices.\"gpt-4o\"]\ninput = 2.0\noutput = 8.0\n", None).unwrap();
    let t = PriceTable::load(&cfg.prices).unwrap();
    let r = t
        .lookup("gpt-4o-2024-08-06", None)
        .unwrap()
        .rates(Tier::Batch, Micro::ZERO)
        .unwrap();
    assert_eq!((r.input, r.output), (usd("1e-6"), usd("4e-6")));
}

#[test]
fn an_overlay_applies_to_every_name_that_resolves_to_it() {
    // [prices."gpt-4o"] prices the dated snapshot, the azure/ key and openai/gpt-4o; a
    // [prices."gpt-4o-2024-11-20"] entry wins for that snapshot only.
    let cfg = Config::parse(
        "[prices.\"gpt-4o\"]\ninput = 2.0\noutput = 8.0\n[prices.\"gpt-4o-2024-11-20\"]\ninput = 1.5\n",
        None,
    )
    .unwrap();
    let t = PriceTable::load(&cfg.prices).unwrap();
    for name in ["gpt-4o-2024-08-06", "azure/gpt-4o", "openai/gpt-4o", "gpt-4o"] {
        assert_eq!(t.lookup(name, None).unwrap().key, "gpt-4o", "{name}");
    }
    assert_eq!(t.lookup("gpt-4o-2024-11-20", None).unwrap().key, "gpt-4o-2024-11-20");
    // Mistral's API logs the bare name; the table key has the provider prefix.
    assert_eq!(
        t.price_for("mistral-large-latest", Some("mistral"), None)
            .map(|p| p.key.as_str()),
        Some("mistral/mistral-large-latest")
    );
    assert!(t.price_for("mistral-large-latest", None, None).is_none());
}
