//! `cost estimate`: what each template costs per call, per day and per month, per model.

use super::Context;
use crate::error::{Error, Result};
use crate::estimate::{self, Estimate, Overrides};
use crate::money::Micro;
use crate::pricing::Tier;
use crate::template::discover::discover;
use crate::template::{FsFiles, LoadOptions, Template};
use std::collections::{BTreeMap, HashMap};
use std::process::ExitCode;

/// Estimate what templates cost per call, per day and per month
///
/// Prices every template (or the ones given) on each model it is configured for, cheapest
/// first. Token counts are exact for OpenAI models and marked ≈ for others.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cost estimate\n  cost estimate templates/support/answer.prompt --model gpt-4o --model claude-sonnet-4-5\n  cost estimate 'templates/**' --calls-per-day 15000 --format json\n  cost estimate templates/rag/answer.prompt --tier batch --cache-hit-rate 0.6"
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
    /// Set a template variable: `--var product="Acme X2"`, or `--var ticket=tokens:800`
    #[arg(long = "var", value_name = "KEY=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
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

/// One template's rows, and what could not be priced.
struct Priced {
    name: String,
    file: String,
    rows: Vec<estimate::EstimateRow>,
    skipped: Vec<String>,
    variables: Vec<String>,
}

pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode> {
    let overrides = Overrides {
        models: args.models.clone(),
        calls_per_day: args.calls_per_day,
        output_tokens: args.output_tokens,
        cache_hit_rate: args.cache_hit_rate,
        tier: args.tier,
    };
    let options = LoadOptions {
        vars: args.vars.iter().cloned().collect::<BTreeMap<_, _>>(),
    };
    let result = compute(ctx, &args.templates, &overrides, &options)?;
    ctx.emit(&result)?;
    Ok(ExitCode::SUCCESS)
}

/// Discovers, loads, counts and prices templates.
pub fn compute(ctx: &Context, templates: &[String], overrides: &Overrides, options: &LoadOptions) -> Result<Estimate> {
    let config = &ctx.config;
    let prices = ctx.prices()?;
    let today = ctx.today();
    let config_name = config
        .path
        .as_deref()
        .map(|p| ctx.show_path(p))
        .unwrap_or_else(|| "defaults".into());
    let found = discover(config, templates, &ctx.cwd)?;
    // Load, render, count and price each template on its own thread; report the first
    // failure in file order, so errors are deterministic.
    let per_template = crate::par::map_ordered(&found, |f| -> Result<Priced> {
        let template = Template::load(&FsFiles, &f.path, &f.default_name, options)?;
        let file = ctx.show_path(&f.path);
        let priced = estimate::price_template(&template, &file, config, prices, Some(today), overrides, &config_name)?;
        Ok(Priced {
            name: template.name.clone(),
            file,
            rows: priced.rows,
            skipped: priced.skipped,
            variables: template.variables.clone(),
        })
    });
    let mut rows = Vec::new();
    let mut names: HashMap<String, String> = HashMap::new();
    let mut used_vars: Vec<String> = Vec::new();
    let mut skipped = Vec::new();
    for result in per_template {
        let priced = result?;
        if let Some(first) = names.insert(priced.name.clone(), priced.file.clone()) {
            return Err(Error::usage_hint(
                format!("two templates are named `{}`: {first} and {}", priced.name, priced.file),
                "template names must be unique: change `name` in one front matter",
            ));
        }
        used_vars.extend(priced.variables);
        skipped.extend(priced.skipped.into_iter().map(|s| format!("{}: {s}", priced.name)));
        rows.extend(priced.rows);
    }
    for key in options.vars.keys() {
        if !used_vars.contains(key) {
            return Err(Error::usage_hint(
                format!("--var {key}: no selected template uses a variable `{key}`"),
                "check the spelling; `cost tokens FILE -v` renders a template, its [vars] list the variables",
            ));
        }
    }
    for s in &skipped {
        ctx.hint(&format!("warning: not priced: {s}"));
    }
    if rows.is_empty() && !skipped.is_empty() {
        return Err(Error::usage_hint(
            "no model could be priced on this tier",
            "use --tier standard, or price on models that list the tier (`cost models --format json` shows them)",
        ));
    }
    estimate::sort_rows(&mut rows);
    Ok(Estimate {
        schema: "cost.estimate/v1",
        currency: config.currency.clone(),
        days_per_month: config.days_per_month,
        prices_as_of: prices.as_of.clone(),
        prices_imported: prices
            .tables
            .last()
            .filter(|t| t.kind == "imported")
            .map(|t| t.date.to_string()),
        totals: estimate::EstimateTotals::of(&rows),
        rows,
    })
}
