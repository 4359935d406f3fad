//! FOCUS 1.2 rows from the rollups. Grain: one row per day × team × template × model ×
//! provider × tier × token bucket (uncached input, cache read, 5-minute write, 1-hour write,
//! output). A cell's stored cost is split over its buckets in proportion to their list-price
//! cost, so the rows of a cell add up to exactly what `cost report` shows (BilledCost,
//! EffectiveCost); ListCost and ContractedCost are the list unit price × the quantity.

use crate::money::Usd;
use crate::pricing::{ModelPrice, Tier};
use jiff::civil::Date;

/// One token bucket of a rollup cell, priced.
#[derive(Debug, Clone, PartialEq)]
pub struct FocusRow {
    pub day: Date,
    pub team: Option<String>,
    pub template: Option<String>,
    pub model: String,
    pub model_key: String,
    pub provider: String,
    pub tier: String,
    pub bucket: &'static str,
    pub tokens: i64,
    pub requests: i64,
    pub cost: Usd,
    /// USD per million tokens at list price (standard context).
    pub list_unit_price: Usd,
    /// The cell's first row carries its request count; the others 0, so sums count once.
    pub first_of_cell: bool,
    /// The requests' own tags (one value per key), the end user and the session (DESIGN §13).
    pub tags: std::collections::BTreeMap<String, String>,
    pub user: Option<String>,
    pub session: Option<String>,
}

pub const BUCKETS: [&str; 5] = ["input", "cache-read", "cache-write-5m", "cache-write-1h", "output"];

/// Splits `cost` over the buckets with tokens, in proportion to their list cost; the last
/// bucket takes the rounding remainder so the parts add up exactly.
pub fn split(cost: Usd, tokens: [i64; 5], price: &ModelPrice, tier: &str) -> Vec<(usize, Usd, Usd)> {
    let tier: Tier = tier.parse().unwrap_or(Tier::Standard);
    let rates = price
        .rates(tier, crate::money::Micro::ZERO)
        .or_else(|_| price.rates(Tier::Standard, crate::money::Micro::ZERO));
    let per_token: [Usd; 5] = match rates {
        Ok(r) => [r.input, r.cache_read, r.cache_write_5m, r.cache_write_1h, r.output],
        Err(_) => [Usd::ZERO; 5],
    };
    let list: Vec<(usize, Usd)> = (0..5)
        .filter(|i| tokens[*i] > 0)
        .map(|i| (i, per_token[i].times(tokens[i] as i128)))
        .collect();
    // In whole nano-dollars: products of atto-dollar amounts would overflow 128 bits.
    let total_list: i128 = list.iter().map(|(_, c)| c.nanos() as i128).sum();
    let cost_n = cost.nanos() as i128;
    let all_tokens: i128 = list.iter().map(|(i, _)| tokens[*i] as i128).sum();
    let mut out = Vec::new();
    let mut assigned = 0i128;
    for (n, (i, lc)) in list.iter().enumerate() {
        let part = if n + 1 == list.len() {
            cost_n - assigned
        } else if total_list == 0 {
            cost_n * tokens[*i] as i128 / all_tokens.max(1)
        } else {
            cost_n * lc.nanos() as i128 / total_list
        };
        assigned += part;
        out.push((*i, Usd::from_nanos_wide(part), per_token[*i].times(1_000_000)));
    }
    out
}

/// The CSV header, in the order rows are written.
pub const COLUMNS: &[&str] = &[
    "BilledCost",
    "BillingAccountId",
    "BillingAccountName",
    "BillingCurrency",
    "BillingPeriodEnd",
    "BillingPeriodStart",
    "ChargeCategory",
    "ChargeClass",
    "ChargeDescription",
    "ChargeFrequency",
    "ChargePeriodEnd",
    "ChargePeriodStart",
    "ConsumedQuantity",
    "ConsumedUnit",
    "ContractedCost",
    "ContractedUnitPrice",
    "EffectiveCost",
    "InvoiceId",
    "InvoiceIssuerName",
    "ListCost",
    "ListUnitPrice",
    "PricingCategory",
    "PricingQuantity",
    "PricingUnit",
    "ProviderName",
    "PublisherName",
    "ServiceCategory",
    "ServiceName",
    "ServiceSubcategory",
    "SkuId",
    "SkuPriceId",
    "SubAccountId",
    "SubAccountName",
    "Tags",
    "x_Model",
    "x_TokenType",
    "x_Tier",
    "x_Requests",
    "x_UserId",
    "x_SessionId",
];

/// A decimal with a decimal point, as the validator wants (`1234.0`).
pub fn decimal(v: Usd) -> String {
    let s = v.to_decimal_string();
    if s.contains('.') { s } else { format!("{s}.0") }
}

/// The FOCUS ProviderName of a provider as the store names it (`openai` → `OpenAI`).
pub fn provider_name(p: &str) -> &str {
    match p {
        "openai" => "OpenAI",
        "azure" => "Microsoft",
        "anthropic" => "Anthropic",
        "bedrock" => "Amazon Web Services",
        "vertex_ai" | "gemini" => "Google",
        "" => "Unknown",
        other => other,
    }
}

/// The FOCUS ServiceName of a provider (`openai` → `OpenAI API`).
pub fn service_name(p: &str) -> String {
    match p {
        "openai" => "OpenAI API".into(),
        "azure" => "Azure OpenAI".into(),
        "anthropic" => "Claude API".into(),
        "bedrock" => "Amazon Bedrock".into(),
        "vertex_ai" => "Vertex AI".into(),
        "gemini" => "Gemini API".into(),
        "" => "LLM API".into(),
        other => format!("{other} API"),
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One CSV line for a row.
pub fn line(r: &FocusRow) -> String {
    let month_start = r.day.first_of_month();
    let next_month = month_start.last_of_month().tomorrow().unwrap_or(month_start);
    let next_day = r.day.tomorrow().unwrap_or(r.day);
    let ts = |d: Date| format!("{d}T00:00:00Z");
    let provider = provider_name(&r.provider);
    let team = r.team.clone().unwrap_or_default();
    let mut tags = serde_json::Map::new();
    // The requests' tags; team and template (cost's own attribution) win over a tag of that name.
    for (k, v) in &r.tags {
        tags.insert(k.clone(), v.clone().into());
    }
    if let Some(t) = &r.team {
        tags.insert("team".into(), t.clone().into());
    }
    if let Some(t) = &r.template {
        tags.insert("template".into(), t.clone().into());
    }
    let cost = decimal(r.cost);
    // List cost: list unit price × quantity (millions of tokens); billed and effective cost are
    // what `cost` priced (tier, long context), contracted = list (no negotiated rates known).
    let list_cost = decimal(r.list_unit_price.ratio(r.tokens as i128, 1_000_000));
    let label = match r.bucket {
        "input" => "input tokens",
        "cache-read" => "cache read tokens",
        "cache-write-5m" => "5-minute cache write tokens",
        "cache-write-1h" => "1-hour cache write tokens",
        _ => "output tokens",
    };
    let fields: Vec<String> = vec![
        cost.clone(),
        "cost".into(),
        "cost usage store".into(),
        "USD".into(),
        ts(next_month),
        ts(month_start),
        "Usage".into(),
        String::new(),
        format!("{} {label}", r.model_key),
        "Usage-Based".into(),
        ts(next_day),
        ts(r.day),
        format!("{}.0", r.tokens),
        "Tokens".into(),
        list_cost.clone(),
        decimal(r.list_unit_price),
        cost.clone(),
        format!(
            "{}-{:04}-{:02}",
            r.provider.to_ascii_uppercase().replace(['/', ' '], "-"),
            r.day.year(),
            r.day.month()
        ),
        provider.to_string(),
        list_cost,
        decimal(r.list_unit_price),
        "Standard".into(),
        decimal(Usd::from_atto(r.tokens as i128 * 1_000_000_000_000)),
        "1000000 Tokens".into(),
        provider.to_string(),
        provider.to_string(),
        "AI and Machine Learning".into(),
        service_name(&r.provider),
        "Generative AI".into(),
        format!("{}-{}", r.model_key, r.bucket),
        format!("{}-{}-{}", r.model_key, r.bucket, r.tier),
        if team.is_empty() {
            "unassigned".into()
        } else {
            format!("team-{team}")
        },
        if team.is_empty() { "(unassigned)".into() } else { team },
        serde_json::Value::Object(tags).to_string(),
        r.model.clone(),
        r.bucket.to_string(),
        r.tier.clone(),
        if r.first_of_cell {
            r.requests.to_string()
        } else {
            "0".into()
        },
        r.user.clone().unwrap_or_default(),
        r.session.clone().unwrap_or_default(),
    ];
    fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(",")
}
