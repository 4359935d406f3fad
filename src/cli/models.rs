//! `cost models`: the prices `cost` knows, per million tokens, with their source.

use super::Context;
use crate::error::Result;
use crate::money::Usd;
use crate::pricing::{ModelPrice, Tier};
use serde::Serialize;
use std::process::ExitCode;

/// List known model prices (USD per million tokens) and where they come from
///
/// PATTERN is a case-insensitive substring (`claude`) or a glob (`gpt-4o*`). Prices come from
/// [prices] in cost.toml first, then the LiteLLM snapshot built into cost.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  cost models claude\n  cost models 'gpt-4o*' --format csv\n  cost models --all")]
pub struct Args {
    /// Substring or glob to filter model names
    pub pattern: Option<String>,
    /// Include provider-prefixed and regional keys (`azure/…`, `openrouter/…`, `us.anthropic.…`)
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Serialize)]
pub struct ModelsReport {
    pub schema: &'static str,
    pub prices_as_of: String,
    pub models: Vec<ModelRow>,
}

/// USD per million tokens.
#[derive(Debug, Serialize)]
pub struct ModelRow {
    pub model: String,
    pub provider: String,
    pub input_usd_per_m: Option<Usd>,
    pub output_usd_per_m: Option<Usd>,
    pub cache_read_usd_per_m: Option<Usd>,
    pub cache_write_5m_usd_per_m: Option<Usd>,
    pub cache_write_1h_usd_per_m: Option<Usd>,
    pub batch_input_usd_per_m: Option<Usd>,
    pub batch_output_usd_per_m: Option<Usd>,
    pub max_input_tokens: Option<u64>,
    pub long_context_above: Vec<u64>,
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_from: Option<String>,
}

pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode> {
    let prices = ctx.prices()?;
    let today = ctx.today();
    let explicit_prefix = args.pattern.as_deref().is_some_and(|p| p.contains('/'));
    let mut matching: Vec<&ModelPrice> = prices
        .matching(args.pattern.as_deref(), Some(today))
        .into_iter()
        .filter(|p| args.all || explicit_prefix || !(p.key.contains('/') || is_regional(&p.key)))
        .collect();
    // Grouped by provider, so first-party names are not lost among cloud re-sellers' ids.
    matching.sort_by(|a, b| a.provider_name().cmp(b.provider_name()).then_with(|| a.key.cmp(&b.key)));
    let models: Vec<ModelRow> = matching.into_iter().map(row).collect();
    if let Some(p) = args.pattern.as_deref().filter(|p| p.contains(['*', '?', '['])) {
        globset::Glob::new(p).map_err(|e| crate::error::Error::usage(format!("invalid glob `{p}`: {e}")))?;
    }
    if models.is_empty() {
        ctx.hint(&format!(
            "hint: no known model matches `{}`; `cost models` lists all, `--all` adds provider-prefixed names, and [prices.\"NAME\"] in cost.toml adds one",
            args.pattern.as_deref().unwrap_or("")
        ));
    }
    ctx.emit(&ModelsReport {
        schema: "cost.models/v1",
        prices_as_of: prices.as_of.clone(),
        models,
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Bedrock's cross-region inference profiles (`us.`, `eu.`, …) repeat the base model's row.
fn is_regional(key: &str) -> bool {
    ["us.", "eu.", "apac.", "jp.", "au.", "global.", "us-gov."]
        .iter()
        .any(|p| key.starts_with(p))
}

/// `200,000` → `200k`, `1,048,576` → `1M`.
fn compact_tokens(n: u64) -> String {
    if n >= 1_000_000 && n % 1_000_000 < 100_000 {
        format!("{}M", n / 1_000_000)
    } else if n >= 1000 {
        format!("{}k", n / 1000)
    } else {
        n.to_string()
    }
}

fn row(p: &ModelPrice) -> ModelRow {
    let m = |v: Usd| v.times(1_000_000);
    let std = p.rates(Tier::Standard, crate::money::Micro::ZERO).ok();
    let batch = p.rates(Tier::Batch, crate::money::Micro::ZERO).ok();
    let writes = p.bills_cache_writes();
    ModelRow {
        model: p.key.clone(),
        provider: p.provider_name().to_string(),
        input_usd_per_m: std.map(|r| m(r.input)),
        output_usd_per_m: std.map(|r| m(r.output)),
        cache_read_usd_per_m: std.map(|r| m(r.cache_read)),
        cache_write_5m_usd_per_m: std.filter(|_| writes).map(|r| m(r.cache_write_5m)),
        cache_write_1h_usd_per_m: std.filter(|_| writes).map(|r| m(r.cache_write_1h)),
        batch_input_usd_per_m: batch.map(|r| m(r.input)),
        batch_output_usd_per_m: batch.map(|r| m(r.output)),
        max_input_tokens: p.max_input_tokens,
        long_context_above: p.long_context_thresholds(),
        source: p.source.as_str().to_string(),
        effective_from: p.effective_from.map(|d| d.to_string()),
    }
}

impl crate::output::Render for ModelsReport {
    fn table(&self, _opts: crate::output::TableOptions) -> crate::output::TableData {
        use crate::output::{Align, Cell, TableData, per_million};
        let price = |v: Option<Usd>| match v {
            Some(v) => Cell::new(
                format!("${}", per_million(v.ratio(1, 1_000_000))),
                v.to_decimal_string(),
            ),
            None => Cell::new("–", ""),
        };
        let headers = vec![
            ("Model".to_string(), Align::Left),
            ("Provider".to_string(), Align::Left),
            ("Input".to_string(), Align::Right),
            ("Output".to_string(), Align::Right),
            ("Cached".to_string(), Align::Right),
            ("Write 5m".to_string(), Align::Right),
            ("Batch in/out".to_string(), Align::Right),
            ("Context".to_string(), Align::Right),
            ("Source".to_string(), Align::Left),
        ];
        let rows = self
            .models
            .iter()
            .map(|m| {
                let batch = match (m.batch_input_usd_per_m, m.batch_output_usd_per_m) {
                    (Some(i), Some(o)) => Cell::new(
                        format!(
                            "${}/${}",
                            per_million(i.ratio(1, 1_000_000)),
                            per_million(o.ratio(1, 1_000_000))
                        ),
                        format!("{}/{}", i.to_decimal_string(), o.to_decimal_string()),
                    ),
                    _ => Cell::new("–", ""),
                };
                let source = match &m.effective_from {
                    Some(d) => format!("cost.toml (from {d})"),
                    None if m.source == "config" => "cost.toml".to_string(),
                    None => m.source.clone(),
                };
                vec![
                    Cell::text(&m.model),
                    Cell::text(&m.provider),
                    price(m.input_usd_per_m),
                    price(m.output_usd_per_m),
                    price(m.cache_read_usd_per_m),
                    price(m.cache_write_5m_usd_per_m),
                    batch,
                    m.max_input_tokens
                        .map(|n| Cell::new(compact_tokens(n), n.to_string()))
                        .unwrap_or_else(|| Cell::new("–", "")),
                    Cell::new(source, m.source.clone()),
                ]
            })
            .collect();
        let notes = vec![
            format!(
                "{} model{}. USD per million tokens; Write 5m only where cache writes are billed; snapshot = LiteLLM table of {}.",
                self.models.len(),
                if self.models.len() == 1 { "" } else { "s" },
                self.prices_as_of
            ),
            "Add or override a price with [prices.\"MODEL\"] in cost.toml.".to_string(),
        ];
        TableData {
            headers,
            findings: Vec::new(),
            rows,
            footer: None,
            notes,
        }
    }
}
