//! `cost estimate`: what each template costs per call, per day and per month, per model.

use super::Context;
use crate::analysis;
use crate::error::{Error, Result};
use crate::estimate::{Estimate, Overrides};
use crate::money::Micro;
use crate::output::Format;
use crate::output::estimate::PerTurn;
use crate::pricing::Tier;
use crate::template::LoadOptions;
use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

/// Estimate what templates cost per call, per day and per month
///
/// Prices every template (or the ones given) on each model it is configured for, cheapest
/// first. Token counts are exact for OpenAI models and marked ≈ for others.
///
/// With --turns N a template is a conversation or agent loop of N calls: call k resends the
/// k−1 earlier turns (each the user's message, the output and the tool results), so rows show
/// the cost per run and of the last call, and -v every turn. Per day = per run × runs per day.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cost estimate\n  cost estimate templates/support/answer.prompt --model gpt-4o --model claude-sonnet-4-5\n  cost estimate 'templates/**' --calls-per-day 15000 --format json\n  cost estimate templates/rag/answer.prompt --tier batch --cache-hit-rate 0.6\n  cost estimate templates/agent/ops.prompt --turns 8 --tool-result-tokens 600 -v"
)]
pub struct Args {
    /// Template files, directories or quoted globs [default: every template in [templates] paths]
    #[arg(value_name = "TEMPLATE")]
    pub templates: Vec<String>,
    /// Price on this model (repeatable) instead of the configured ones
    #[arg(short, long = "model", value_name = "MODEL")]
    pub models: Vec<String>,
    /// Calls per day, for every template
    #[arg(long, value_name = "N", value_parser = super::parse_count, allow_hyphen_values = true)]
    pub calls_per_day: Option<u64>,
    /// Expected output (completion) tokens per call
    #[arg(long, value_name = "N", value_parser = super::parse_count, allow_hyphen_values = true)]
    pub output_tokens: Option<u64>,
    /// Fraction of the cacheable prefix read from the provider's prompt cache (0–1)
    #[arg(long, value_name = "R", value_parser = super::parse_rate, allow_hyphen_values = true)]
    pub cache_hit_rate: Option<Micro>,
    /// Pricing tier
    #[arg(long, value_name = "TIER", value_parser = parse_tier)]
    pub tier: Option<Tier>,
    /// Calls per run: a conversation or agent loop that resends its history each turn
    #[arg(long, value_name = "N", value_parser = parse_turns, allow_hyphen_values = true)]
    pub turns: Option<u64>,
    /// Tokens each earlier turn's user message adds to the history [default: the template's user section]
    #[arg(long, value_name = "N", value_parser = super::parse_count, allow_hyphen_values = true)]
    pub turn_input_tokens: Option<u64>,
    /// Tokens of tool results each earlier turn adds to the history [default: 0]
    #[arg(long, value_name = "N", value_parser = super::parse_count, allow_hyphen_values = true)]
    pub tool_result_tokens: Option<u64>,
    /// Runs per day, for every template: per day = per run × this [default: calls per day]
    #[arg(long, value_name = "N", value_parser = super::parse_count, allow_hyphen_values = true)]
    pub runs_per_day: Option<u64>,
    /// Set a template variable: `--var product="Acme X2"`, or `--var ticket=tokens:800`
    #[arg(long = "var", value_name = "KEY=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
}

fn parse_turns(s: &str) -> std::result::Result<u64, String> {
    let n = s
        .trim()
        .parse::<u64>()
        .map_err(|_| format!("`{s}` is not a whole number of calls"))?;
    crate::config::check_turns(n)
}

fn parse_tier(s: &str) -> std::result::Result<Tier, String> {
    s.parse()
}

pub(crate) fn parse_var(s: &str) -> std::result::Result<(String, String), String> {
    let (k, v) = s.split_once('=').ok_or_else(|| format!("`{s}` is not KEY=VALUE"))?;
    if k.is_empty() {
        return Err(format!("`{s}` has an empty key"));
    }
    Ok((k.to_string(), v.to_string()))
}

pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode> {
    let overrides = Overrides {
        models: args.models.clone(),
        calls_per_day: args.calls_per_day,
        output_tokens: args.output_tokens,
        cache_hit_rate: args.cache_hit_rate,
        tier: args.tier,
        turns: args.turns,
        runs_per_day: args.runs_per_day,
        turn_input_tokens: args.turn_input_tokens,
        tool_result_tokens: args.tool_result_tokens,
    };
    let options = LoadOptions {
        vars: args.vars.iter().cloned().collect::<BTreeMap<_, _>>(),
    };
    let result = compute(ctx, &args.templates, &overrides, &options)?;
    ctx.emit(&result)?;
    // -v on a table: every turn of every run, under the rows.
    let readable = matches!(ctx.style.format, Format::Table | Format::Markdown);
    if ctx.style.verbose && readable && result.rows.iter().any(|r| !r.per_turn.is_empty()) {
        writeln!(std::io::stdout().lock()).map_err(|source| Error::Io {
            path: "<stdout>".into(),
            source,
        })?;
        ctx.emit(&PerTurn(&result))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The templates of this repository (or the ones named) estimated, with what could not be
/// priced shown as warnings.
pub fn compute(ctx: &Context, templates: &[String], overrides: &Overrides, options: &LoadOptions) -> Result<Estimate> {
    let estimated = templates_of(ctx, templates, overrides, options)?;
    for w in &estimated.warnings {
        ctx.hint(w);
    }
    estimated.priced()
}

/// [`analysis::estimate::compute`] over the context's configuration, prices, directory and day.
pub fn templates_of(
    ctx: &Context,
    templates: &[String],
    overrides: &Overrides,
    options: &LoadOptions,
) -> Result<analysis::estimate::Estimated> {
    let params = analysis::estimate::Params {
        templates,
        overrides,
        options,
    };
    analysis::estimate::compute(&ctx.config, ctx.prices()?, &ctx.cwd, ctx.today(), &params)
}
