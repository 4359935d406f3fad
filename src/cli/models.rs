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
/// [prices] in cost.toml first (an entry applies to every name that resolves to it: dated
/// snapshots, provider prefixes, regional profiles), then the newest LiteLLM table (`cost
/// pricing show`). `--resolve NAME` shows how one logged name is priced.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cost models claude\n  cost models 'gpt-4o*' --format csv\n  cost models --all\n  cost models --resolve gpt-4o-2024-08-06\n  cost models --resolve mistral-large-latest --provider mistral --format json"
)]
pub struct Args {
    /// Substring or glob to filter model names
    #[arg(conflicts_with = "resolve")]
    pub pattern: Option<String>,
    /// Include provider-prefixed and regional keys (`azure/…`, `openrouter/…`, `us.anthropic.…`)
    #[arg(long)]
    pub all: bool,
    /// Show how a logged model name is priced: logged name → table key → the price that
    /// applies and where it comes from
    #[arg(long, value_name = "NAME")]
    pub resolve: Option<String>,
    /// With --resolve: the provider that logged the name (`mistral` finds `mistral/…` keys)
    #[arg(long, value_name = "PROVIDER", requires = "resolve")]
    pub provider: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ModelsReport {
    pub schema: &'static str,
    pub prices_as_of: String,
    /// Set when the newest price table is one imported with `cost pricing import` (its date).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prices_imported: Option<String>,
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
    /// The date of the LiteLLM table the price comes from (snapshot or imported).
    pub table_date: Option<String>,
    /// The [prices] entry that prices this name when it is not the name itself
    /// (`gpt-4o-2024-08-06` priced by `[prices."gpt-4o"]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priced_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_from: Option<String>,
}

pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode> {
    let prices = ctx.prices()?;
    let today = ctx.today();
    if let Some(name) = &args.resolve {
        return resolve(ctx, name, args.provider.as_deref());
    }
    let explicit_prefix = args.pattern.as_deref().is_some_and(|p| p.contains('/'));
    let mut matching: Vec<&ModelPrice> = prices
        .matching(args.pattern.as_deref(), Some(today))
        .into_iter()
        .filter(|p| args.all || explicit_prefix || !(p.key.contains('/') || is_regional(&p.key)))
        .collect();
    // Grouped by provider, so first-party names are not lost among cloud re-sellers' ids.
    matching.sort_by(|a, b| a.provider_name().cmp(b.provider_name()).then_with(|| a.key.cmp(&b.key)));
    // Each name at the price that applies to it: a [prices] entry on a more general name
    // (`gpt-4o` for `gpt-4o-2024-08-06`) wins over the name's own table entry.
    let models: Vec<ModelRow> = matching
        .into_iter()
        .map(|p| {
            let applied = prices.price_for(&p.key, None, Some(today)).unwrap_or(p);
            let mut r = row(applied);
            if applied.key != p.key {
                r.model = p.key.clone();
                r.priced_by = Some(applied.key.clone());
            }
            r
        })
        .collect();
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
        prices_imported: prices
            .tables
            .last()
            .filter(|t| t.kind == "imported")
            .map(|t| t.date.to_string()),
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
        table_date: p.table_date.map(|d| d.to_string()),
        priced_by: None,
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
                let mut source = match (&m.effective_from, &m.table_date) {
                    (Some(d), _) => format!("cost.toml (from {d})"),
                    (None, _) if m.source == "config" => "cost.toml".to_string(),
                    (None, Some(d)) if m.source == "imported" => format!("imported {d}"),
                    (None, _) => m.source.clone(),
                };
                if let Some(by) = &m.priced_by {
                    source = format!("{source} [prices.\"{by}\"]");
                }
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
                "{} model{}. USD per million tokens; Write 5m only where cache writes are billed; {}.",
                self.models.len(),
                if self.models.len() == 1 { "" } else { "s" },
                match &self.prices_imported {
                    None => format!("snapshot = LiteLLM table of {}", self.prices_as_of),
                    Some(d) =>
                        format!("imported = LiteLLM table of {d} (`cost pricing show`); snapshot = the table built in"),
                }
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

/// One link of `--resolve`'s chain.
#[derive(Debug, Serialize)]
pub struct Link {
    /// `logged`, `table entry` or `priced by`.
    pub step: &'static str,
    pub name: String,
    /// `snapshot 2026-07-24`, `imported 2026-12-01`, `cost.toml`; empty for the logged name.
    pub source: String,
    pub input_usd_per_m: Option<Usd>,
    pub output_usd_per_m: Option<Usd>,
    pub cache_read_usd_per_m: Option<Usd>,
}

/// The result of `cost models --resolve` (`cost.resolve/v1`).
#[derive(Debug, Serialize)]
pub struct ResolveReport {
    pub schema: &'static str,
    pub logged: String,
    pub provider: Option<String>,
    /// The day whose prices apply (effective-dated [prices] entries).
    pub date: String,
    /// The name and its stripped forms, most specific first: a [prices] entry on any of
    /// them applies.
    pub tried: Vec<String>,
    /// The price table's entry for the name (before [prices]), if it has one.
    pub table_key: Option<String>,
    /// The `<provider>/` prefix the table entry was found under.
    pub provider_prefix: Option<String>,
    /// The key whose price applies.
    pub priced_key: String,
    /// `config`, `snapshot` or `imported`.
    pub source: String,
    /// For people: `cost.toml [prices."gpt-4o"] (path)`, `snapshot 2026-07-24`, ….
    pub source_detail: String,
    pub chain: Vec<Link>,
}

fn resolve(ctx: &Context, name: &str, provider: Option<&str>) -> Result<ExitCode> {
    let prices = ctx.prices()?;
    let today = ctx.today();
    let r = prices.explain(name, provider, Some(today));
    let Some(price) = r.price else {
        // Logs carry the provider: a bare name the table only has under a prefix needs it.
        let suffix = format!("/{name}");
        let mut under: Vec<&str> = prices
            .table_entries()
            .keys()
            .filter(|k| k.ends_with(&suffix))
            .map(String::as_str)
            .collect();
        under.sort_unstable();
        if provider.is_none() && !under.is_empty() {
            // The provider whose name the model carries (`mistral-…` → `mistral/`), else the first.
            let best = under
                .iter()
                .find(|k| k.split('/').next().is_some_and(|p| name.contains(p)))
                .unwrap_or(&under[0]);
            let shown: Vec<String> = under.iter().take(4).map(|k| format!("`{k}`")).collect();
            return Err(crate::error::Error::usage_hint(
                format!(
                    "`{name}` is not a key of the price table, only with a provider prefix: {}{}",
                    shown.join(", "),
                    if under.len() > 4 { ", …" } else { "" }
                ),
                format!(
                    "pass the provider that logged it (imports read it from the log): `cost models --resolve {name} --provider {}`",
                    best.split('/').next().unwrap_or_default()
                ),
            ));
        }
        return Err(crate::error::Error::UnknownModel {
            model: name.to_string(),
            context: provider.map(|p| format!("provider `{p}`")),
            suggestions: prices.suggest(name),
        });
    };
    let link = |step: &'static str, p: &ModelPrice| {
        let std = p.rates(Tier::Standard, crate::money::Micro::ZERO).ok();
        let m = |v: Usd| v.times(1_000_000);
        Link {
            step,
            name: p.key.clone(),
            source: p.origin(),
            input_usd_per_m: std.map(|r| m(r.input)),
            output_usd_per_m: std.map(|r| m(r.output)),
            cache_read_usd_per_m: std.map(|r| m(r.cache_read)),
        }
    };
    let mut chain = vec![Link {
        step: "logged",
        name: match provider {
            Some(p) => format!("{name} (provider {p})"),
            None => name.to_string(),
        },
        source: String::new(),
        input_usd_per_m: None,
        output_usd_per_m: None,
        cache_read_usd_per_m: None,
    }];
    if let Some(t) = r.table_price {
        chain.push(link("table entry", t));
    }
    let overridden = r.table_price.is_none_or(|t| !std::ptr::eq(t, price));
    if overridden {
        chain.push(link("priced by", price));
    }
    let source_detail = match price.source {
        crate::pricing::PriceSource::Config => format!(
            "cost.toml [prices.\"{}\"]{}{}",
            price.key,
            price.effective_from.map(|d| format!(" from {d}")).unwrap_or_default(),
            ctx.config
                .path
                .as_ref()
                .map(|p| format!(" ({})", ctx.show_path(p)))
                .unwrap_or_default()
        ),
        _ => {
            let path = prices
                .tables
                .iter()
                .find(|t| Some(t.date) == price.table_date && t.kind == price.source.as_str())
                .and_then(|t| t.path.as_ref());
            match path {
                Some(p) => format!("{} ({})", price.origin(), p.display()),
                None => format!("{} (built in)", price.origin()),
            }
        }
    };
    ctx.emit(&ResolveReport {
        schema: "cost.resolve/v1",
        logged: name.to_string(),
        provider: provider.map(str::to_string),
        date: today.to_string(),
        tried: r.candidates.clone(),
        table_key: r.table_price.map(|t| t.key.clone()),
        provider_prefix: r.provider_prefix.clone(),
        priced_key: price.key.clone(),
        source: price.source.as_str().to_string(),
        source_detail,
        chain,
    })?;
    Ok(ExitCode::SUCCESS)
}

impl crate::output::Render for ResolveReport {
    fn table(&self, _opts: crate::output::TableOptions) -> crate::output::TableData {
        use crate::output::{Align, Cell, TableData, per_million};
        let price = |v: Option<Usd>| match v {
            Some(v) => Cell::new(
                format!("${}", per_million(v.ratio(1, 1_000_000))),
                v.to_decimal_string(),
            ),
            None => Cell::new("", ""),
        };
        let rows = self
            .chain
            .iter()
            .map(|l| {
                vec![
                    Cell::text(l.step),
                    Cell::text(&l.name),
                    Cell::text(&l.source),
                    price(l.input_usd_per_m),
                    price(l.output_usd_per_m),
                    price(l.cache_read_usd_per_m),
                ]
            })
            .collect();
        let mut notes = vec![format!(
            "`{}` is priced by `{}`: {}.",
            self.logged, self.priced_key, self.source_detail
        )];
        if let Some(p) = &self.provider_prefix {
            notes.push(format!(
                "The bare name is not in the price table; found under the provider's prefix `{p}`."
            ));
        }
        if self.source == "config" && self.table_key.as_deref() != Some(self.priced_key.as_str()) {
            notes.push(format!(
                "A [prices] entry on a more specific name (one of: {}) would win over it.",
                self.tried
                    .iter()
                    .take_while(|t| **t != self.priced_key)
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        notes.push("USD per million tokens.".to_string());
        TableData {
            headers: vec![
                ("Step".to_string(), Align::Left),
                ("Name".to_string(), Align::Left),
                ("Source".to_string(), Align::Left),
                ("Input".to_string(), Align::Right),
                ("Output".to_string(), Align::Right),
                ("Cached".to_string(), Align::Right),
            ],
            rows,
            footer: None,
            findings: Vec::new(),
            notes,
        }
    }
}
