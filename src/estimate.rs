//! Template × model × assumptions → cost per call, per run, per day and per month (pure).

pub mod turns;

use crate::error::{Error, Result};
use crate::money::{Micro, Usd};
use crate::pricing::{self, ModelPrice, Tier, Usage};
use crate::template::Section;
use crate::template::count::TokenCount;
use crate::tokenize::Tokenizer;
use serde::Serialize;

/// What a template is assumed to do in production.
#[derive(Debug, Clone, PartialEq)]
pub struct Assumptions {
    pub calls_per_day: u64,
    pub output_tokens: u64,
    pub cache_hit_rate: Micro,
    pub tier: Tier,
    pub days_per_month: Micro,
    /// Calls per run (a conversation or agent loop, see [`turns`]); 1 = a single call.
    pub turns: u64,
    /// Runs per day: the day and month figures are the cost per run × this.
    pub runs_per_day: u64,
    /// Tokens each earlier turn's user message adds to the history; `None`: the template's
    /// user section.
    pub turn_input_tokens: Option<u64>,
    /// Tokens of tool results each earlier turn adds to the history.
    pub tool_result_tokens: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionTokens {
    pub role: Section,
    pub tokens: u64,
}

/// One template priced on one model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EstimateRow {
    pub template: String,
    pub file: String,
    pub model: String,
    /// The price-table key the model resolved to.
    pub model_priced: String,
    pub provider: String,
    pub exact: bool,
    pub tokenizer: String,
    pub input_tokens: u64,
    pub cacheable_prefix_tokens: u64,
    pub output_tokens: u64,
    pub cache_hit_rate: Micro,
    pub tier: Tier,
    pub calls_per_day: u64,
    /// The first call of a run: the template as written.
    pub cost_per_call_usd: Usd,
    pub cost_per_day_usd: Usd,
    pub cost_per_month_usd: Usd,
    /// Calls per run; 1 = a single call.
    pub turns: u64,
    /// Runs per day (the calls per day unless set): day = per run × this.
    pub runs_per_day: u64,
    /// Tokens each earlier turn's user message adds to the history (U).
    pub turn_input_tokens: u64,
    /// Tokens of tool results each earlier turn adds to the history (R).
    pub tool_result_tokens: u64,
    /// Every call of a run (equal to the cost per call when `turns` is 1).
    pub cost_per_run_usd: Usd,
    /// The run's last call, the one with the longest history.
    pub last_call_input_tokens: u64,
    pub last_call_cost_usd: Usd,
    /// Every call of the run; left out when `turns` is 1.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub per_turn: Vec<turns::Turn>,
    /// Set when a call is billed at long-context prices (input above this many tokens; with
    /// turns, the highest threshold any call crosses).
    pub long_context_above: Option<u64>,
    pub price_source: String,
    pub sections: Vec<SectionTokens>,
    /// Problems with this row that do not stop pricing it (context window exceeded, …).
    pub warnings: Vec<String>,
    /// The template's production model (the rule's `model`, else its own): totals add these.
    pub primary: bool,
    /// The per-token prices used, and whether writes carry a premium (for `cost diff`).
    #[serde(skip)]
    pub rates: pricing::Rates,
    #[serde(skip)]
    pub bills_cache_writes: bool,
}

/// The result of `cost estimate`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    pub schema: &'static str,
    pub currency: String,
    pub days_per_month: Micro,
    pub prices_as_of: String,
    /// Set when the newest price table is one imported with `cost pricing import` (its date).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prices_imported: Option<String>,
    pub rows: Vec<EstimateRow>,
    /// All templates on their production models.
    pub totals: EstimateTotals,
}

/// What the templates cost together, each on its production model (the `primary` rows).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EstimateTotals {
    pub templates: usize,
    pub cost_per_day_usd: Usd,
    pub cost_per_month_usd: Usd,
}

impl EstimateTotals {
    pub fn of(rows: &[EstimateRow]) -> EstimateTotals {
        let primary = || rows.iter().filter(|r| r.primary);
        EstimateTotals {
            templates: primary().count(),
            cost_per_day_usd: primary().map(|r| r.cost_per_day_usd).sum(),
            cost_per_month_usd: primary().map(|r| r.cost_per_month_usd).sum(),
        }
    }
}

/// The canonical usage of one call: with a cache-hit rate R and a cacheable prefix P, R·P
/// tokens are cache reads and (1−R)·P cache writes (at the write price where the provider
/// bills writes, else plain input); the rest is uncached input. R = 0 means caching is not
/// modelled at all: everything is plain input.
pub fn call_usage(
    input_tokens: u64,
    prefix_tokens: u64,
    output_tokens: u64,
    cache_hit_rate: Micro,
    bills_writes: bool,
) -> Usage {
    let input = Micro::from_int(input_tokens as i128);
    let output = Micro::from_int(output_tokens as i128);
    if cache_hit_rate == Micro::ZERO || prefix_tokens == 0 {
        return Usage {
            uncached_input: input,
            output,
            ..Usage::default()
        };
    }
    let prefix = Micro::from_int(prefix_tokens as i128);
    let read = prefix.times(cache_hit_rate);
    let written = prefix - read;
    let rest = input - prefix;
    if bills_writes {
        Usage {
            uncached_input: rest,
            cache_read: read,
            cache_write_5m: written,
            output,
            ..Usage::default()
        }
    } else {
        Usage {
            uncached_input: rest + written,
            cache_read: read,
            output,
            ..Usage::default()
        }
    }
}

/// The cacheable prefix for a model: the static prefix, or 0 below the provider's minimum.
pub fn cacheable_prefix(count: &TokenCount, tokenizer: &Tokenizer, price: &ModelPrice) -> u64 {
    let prefix = count.prefix.tokens(tokenizer);
    if prefix >= price.cache_min() { prefix } else { 0 }
}

/// A model without a usable price, with what to do about it.
fn price_error(model: &str, e: pricing::PriceError) -> Error {
    Error::Pricing {
        model: model.to_string(),
        message: e.to_string(),
        hint: Some(match e {
            pricing::PriceError::TierUnavailable(_) => {
                "use --tier standard, or add the tier's price to [prices] in cost.toml".into()
            }
            pricing::PriceError::NoTokenPrice => {
                format!("add [prices.\"{model}\"] with `input` and `output` to cost.toml")
            }
        }),
    }
}

/// Prices one counted template on one model: each call of a run (see [`turns`]).
#[allow(clippy::too_many_arguments)]
pub fn estimate_row(
    template: &str,
    file: &str,
    model: &str,
    price: &ModelPrice,
    tokenizer: &Tokenizer,
    count: &TokenCount,
    assumptions: &Assumptions,
) -> Result<EstimateRow> {
    let sections: Vec<SectionTokens> = count
        .sections_for(tokenizer)
        .into_iter()
        .map(|(role, tokens)| SectionTokens { role, tokens })
        .collect();
    let input_tokens: u64 = sections.iter().map(|s| s.tokens).sum();
    let prefix = cacheable_prefix(count, tokenizer, price);
    let user_tokens: u64 = sections
        .iter()
        .filter(|s| s.role == Section::User)
        .map(|s| s.tokens)
        .sum();
    let turn_input_tokens = assumptions.turn_input_tokens.unwrap_or(user_tokens);
    let output = assumptions.output_tokens;
    // The history every earlier turn adds: U + O + R. Saturating: a sum past u64 makes the
    // second call's input overflow, which is reported below.
    let growth = turn_input_tokens
        .saturating_add(output)
        .saturating_add(assumptions.tool_result_tokens);
    let shape = turns::RunShape {
        turns: assumptions.turns,
        first_input: input_tokens,
        first_prefix: prefix,
        growth,
        output,
        cache_hit_rate: assumptions.cache_hit_rate,
        bills_writes: price.bills_cache_writes(),
        cache_min: price.cache_min(),
    };
    let too_large = || {
        Error::usage_hint(
            format!(
                "{template} on {model}: a run of {} turns adding {} tokens each is too large to price exactly",
                assumptions.turns,
                crate::money::group_thousands(&growth.to_string())
            ),
            "lower --turns, --turn-input-tokens or --tool-result-tokens (or the rule's `turns`)",
        )
    };
    let run = turns::price_run(&shape, |total| price.rates(assumptions.tier, total)).map_err(|e| match e {
        turns::RunError::Price(e) => price_error(model, e),
        turns::RunError::Overflow => too_large(),
    })?;
    let per_call = run.first().cost_usd;
    let per_run = run.total();
    let per_day = per_run
        .checked_times(assumptions.runs_per_day as i128)
        .ok_or_else(too_large)?;
    let per_month = per_day
        .checked_times_micro(assumptions.days_per_month)
        .ok_or_else(too_large)?;
    let last = run.last().clone();
    let mut warnings = Vec::new();
    let group = |n: u64| crate::money::group_thousands(&n.to_string());
    if let Some(window) = price
        .max_input_tokens
        .filter(|w| last.input_tokens.saturating_add(output) > *w)
    {
        if assumptions.turns == 1 {
            warnings.push(format!(
                "{} input + {} output tokens exceed {}'s context window of {}",
                group(input_tokens),
                group(output),
                price.key,
                group(window)
            ));
        } else {
            let from = run
                .turns
                .iter()
                .find(|t| t.input_tokens.saturating_add(output) > window)
                .unwrap_or(&last);
            warnings.push(format!(
                "from turn {} of {}, {} input + {} output tokens exceed {}'s context window of {}",
                from.turn,
                assumptions.turns,
                group(from.input_tokens),
                group(output),
                price.key,
                group(window)
            ));
        }
    }
    if let Some(max) = price.max_output_tokens.filter(|m| assumptions.output_tokens > *m) {
        warnings.push(format!(
            "{} output tokens exceed {}'s maximum output of {}",
            group(assumptions.output_tokens),
            price.key,
            group(max)
        ));
    }
    if let Some(mode) = price
        .mode
        .as_deref()
        .filter(|m| !matches!(*m, "chat" | "completion" | "responses"))
    {
        warnings.push(format!("{} is a `{mode}` model, not a chat model", price.key));
    }
    Ok(EstimateRow {
        template: template.to_string(),
        file: file.to_string(),
        model: model.to_string(),
        model_priced: price.key.clone(),
        provider: price.provider_name().to_string(),
        exact: tokenizer.exact(),
        tokenizer: tokenizer.encoding.name().to_string(),
        input_tokens,
        cacheable_prefix_tokens: prefix,
        output_tokens: assumptions.output_tokens,
        cache_hit_rate: assumptions.cache_hit_rate,
        tier: assumptions.tier,
        calls_per_day: assumptions.calls_per_day,
        cost_per_call_usd: per_call,
        cost_per_day_usd: per_day,
        cost_per_month_usd: per_month,
        turns: assumptions.turns,
        runs_per_day: assumptions.runs_per_day,
        turn_input_tokens,
        tool_result_tokens: assumptions.tool_result_tokens,
        cost_per_run_usd: per_run,
        last_call_input_tokens: last.input_tokens,
        last_call_cost_usd: last.cost_usd,
        long_context_above: run.long_context_above(),
        price_source: price.source.as_str().to_string(),
        sections,
        warnings,
        primary: false,
        rates: run.first_rates,
        per_turn: if assumptions.turns > 1 { run.turns } else { Vec::new() },
        bills_cache_writes: price.bills_cache_writes(),
    })
}

/// Orders rows by template name, cheapest model first.
pub fn sort_rows(rows: &mut [EstimateRow]) {
    rows.sort_by(|a, b| {
        a.template
            .cmp(&b.template)
            .then(a.cost_per_run_usd.cmp(&b.cost_per_run_usd))
            .then_with(|| a.model.cmp(&b.model))
    });
}

/// Values given on the command line, which win over the template, rules and defaults.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub models: Vec<String>,
    pub calls_per_day: Option<u64>,
    pub output_tokens: Option<u64>,
    pub cache_hit_rate: Option<Micro>,
    pub tier: Option<Tier>,
    pub turns: Option<u64>,
    pub runs_per_day: Option<u64>,
    pub turn_input_tokens: Option<u64>,
    pub tool_result_tokens: Option<u64>,
}

/// A model to price a template on, and where that choice came from (for error messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelChoice {
    pub model: String,
    pub origin: String,
}

/// Which models a template is priced on: `--model` flags, else the rule's `models` list, else
/// the model the template names, else the rule's `model`, else `[defaults] models`.
pub fn models_for(
    template: &crate::template::Template,
    settings: &crate::config::Settings,
    overrides: &Overrides,
    config_name: &str,
) -> Vec<ModelChoice> {
    let choice = |model: &str, origin: String| ModelChoice {
        model: model.to_string(),
        origin,
    };
    if !overrides.models.is_empty() {
        let mut seen = Vec::new();
        return overrides
            .models
            .iter()
            .filter(|m| {
                let new = !seen.contains(m);
                seen.push(*m);
                new
            })
            .map(|m| choice(m, "--model".into()))
            .collect();
    }
    if let Some(list) = &settings.rule_models {
        return list
            .iter()
            .map(|m| {
                choice(
                    m,
                    format!("{config_name} (rule `{}`)", settings.rule.as_deref().unwrap_or("?")),
                )
            })
            .collect();
    }
    if let Some(m) = &template.model {
        return vec![choice(m, format!("{} (template)", template.path.display()))];
    }
    if let Some(m) = &settings.model {
        return vec![choice(
            m,
            format!("{config_name} (rule `{}`)", settings.rule.as_deref().unwrap_or("?")),
        )];
    }
    settings
        .models
        .iter()
        .map(|m| choice(m, format!("{config_name} ([defaults] models)")))
        .collect()
}

/// The assumptions for a template: command line, then front matter, then rule and defaults.
/// Runs per day: `--runs-per-day`, else the rule's `runs_per_day`, else the calls per day.
pub fn assumptions_for(
    template: &crate::template::Template,
    settings: &crate::config::Settings,
    overrides: &Overrides,
    days_per_month: Micro,
) -> Assumptions {
    let calls_per_day = overrides
        .calls_per_day
        .or(template.calls_per_day)
        .unwrap_or(settings.calls_per_day);
    Assumptions {
        calls_per_day,
        turns: overrides.turns.unwrap_or(settings.turns),
        runs_per_day: overrides
            .runs_per_day
            .or(settings.runs_per_day)
            .unwrap_or(calls_per_day),
        turn_input_tokens: overrides.turn_input_tokens.or(settings.turn_input_tokens),
        tool_result_tokens: overrides.tool_result_tokens.unwrap_or(settings.tool_result_tokens),
        output_tokens: overrides
            .output_tokens
            .or(template.output_tokens)
            .unwrap_or(settings.output_tokens),
        cache_hit_rate: overrides.cache_hit_rate.unwrap_or(settings.cache_hit_rate),
        tier: overrides.tier.unwrap_or(settings.tier),
        days_per_month,
    }
}

/// A template priced on every model it is configured for.
#[derive(Debug, Clone)]
pub struct PricedTemplate {
    pub rows: Vec<EstimateRow>,
    /// Models left out because they lack the chosen tier's price: "model (reason)".
    pub skipped: Vec<String>,
    /// The model verdicts and summaries are taken from.
    pub primary: String,
}

/// Counts and prices one loaded template on each of its models (each encoding counted once;
/// `gpt-4o` and `openai/gpt-4o` priced once).
pub fn price_template(
    template: &crate::template::Template,
    file: &str,
    config: &crate::config::Config,
    prices: &crate::pricing::PriceTable,
    date: Option<jiff::civil::Date>,
    overrides: &Overrides,
    config_name: &str,
) -> Result<PricedTemplate> {
    use crate::template::count::count;
    let settings = config.settings_for(&template.name);
    let assumptions = assumptions_for(template, &settings, overrides, config.days_per_month);
    let mut counts: std::collections::HashMap<crate::tokenize::Encoding, TokenCount> = Default::default();
    let mut out = PricedTemplate {
        rows: Vec::new(),
        skipped: Vec::new(),
        // The production model: --model, else the rule's `model`, else the template's own,
        // else the configured default.
        primary: overrides
            .models
            .first()
            .cloned()
            .or_else(|| settings.rule_model.clone())
            .or_else(|| template.model.clone())
            .or_else(|| settings.model.clone())
            .or_else(|| settings.models.first().cloned())
            .unwrap_or_default(),
    };
    let mut keys = Vec::new();
    for choice in models_for(template, &settings, overrides, config_name) {
        let price = prices
            .lookup(&choice.model, date)
            .map_err(|e| e.in_context(choice.origin.clone()))?;
        if keys.contains(&price.key) {
            continue;
        }
        keys.push(price.key.clone());
        let tokenizer = Tokenizer::for_model(price);
        let counted = counts
            .entry(tokenizer.encoding)
            .or_insert_with(|| count(template, tokenizer.encoding));
        match estimate_row(
            &template.name,
            file,
            &choice.model,
            price,
            &tokenizer,
            counted,
            &assumptions,
        ) {
            Ok(mut row) => {
                row.primary = row.model == out.primary || row.model_priced == out.primary;
                out.rows.push(row)
            }
            // A model without a price on the chosen tier is left out, not fatal: the other
            // models still answer the question.
            Err(Error::Pricing { model, message, .. }) if assumptions.tier != Tier::Standard => {
                out.skipped.push(format!("{model} ({message})"))
            }
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}
