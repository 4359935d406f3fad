//! The project's own CSV (LOG-FORMATS §17): canonical buckets, one row per call or per
//! aggregate, strict numbers.

use super::fields;
use super::record::{Outcome, Parsed, Tokens, UsageRecord};
use super::source::{Emit, FileCtx, Header, Sample, Source, each_csv_row, plain_count};
use std::io::BufRead;

pub struct GenericCsv;

const TOKEN_COLUMNS: &[&str] = &[
    "uncached_input_tokens",
    "input_tokens",
    "cache_read_tokens",
    "cached_input_tokens",
    "cache_write_5m_tokens",
    "cache_write_1h_tokens",
    "output_tokens",
];

/// Canonical column → its accepted alias.
const ALIASES: &[(&str, &str)] = &[("tier", "service_tier"), ("cache_read_tokens", "cached_input_tokens")];

const KNOWN: &[&str] = &[
    "timestamp",
    "request_id",
    "provider",
    "model",
    "tier",
    "service_tier",
    "team",
    "template",
    "template_version",
    "api_key_id",
    "project",
    "user",
    "uncached_input_tokens",
    "input_tokens",
    "cache_read_tokens",
    "cached_input_tokens",
    "cache_write_5m_tokens",
    "cache_write_1h_tokens",
    "output_tokens",
    "reasoning_tokens",
    "requests",
    "cost_usd",
];

impl Source for GenericCsv {
    fn name(&self) -> &'static str {
        "generic-csv"
    }
    fn about(&self) -> &'static str {
        "cost's own CSV: timestamp, model and canonical token columns"
    }
    fn sniff(&self, s: &Sample) -> bool {
        let cols = s.csv_columns();
        let has = |c: &str| cols.iter().any(|x| x == c);
        has("timestamp") && has("model") && TOKEN_COLUMNS.iter().any(|c| has(c))
    }
    fn read(&self, input: &mut dyn BufRead, ctx: &mut FileCtx, emit: &mut Emit) -> std::io::Result<()> {
        let mut checked = false;
        let mut fatal: Option<String> = None;
        let result = each_csv_row(input, emit, |header, row| {
            if !checked {
                checked = true;
                fatal = check_header(header, ctx).err();
            }
            match &fatal {
                Some(reason) => Outcome::Rejected(reason.clone()),
                None => parse(header, row),
            }
        })?;
        if let Err(message) = result {
            emit(Parsed {
                line: 1,
                outcome: Outcome::Rejected(message),
                excerpt: None,
            });
        }
        Ok(())
    }
}

fn check_header(h: &Header, ctx: &mut FileCtx) -> Result<(), String> {
    for req in ["timestamp", "model"] {
        if !h.has(req) {
            return Err(format!("the header has no `{req}` column"));
        }
    }
    if !h.has("uncached_input_tokens") && !h.has("input_tokens") {
        return Err("the header has no input column (`uncached_input_tokens`, or `input_tokens` as the total)".into());
    }
    for (canonical, alias) in ALIASES.iter().chain(&[("uncached_input_tokens", "input_tokens")]) {
        if h.has(canonical) && h.has(alias) {
            return Err(format!(
                "the header has both `{canonical}` and its alias `{alias}`: keep one"
            ));
        }
    }
    let unknown: Vec<&str> = h
        .names
        .iter()
        .map(String::as_str)
        .filter(|n| !KNOWN.contains(n))
        .collect();
    if !unknown.is_empty() {
        ctx.warn(format!("ignored unknown columns: {}", unknown.join(", ")));
    }
    Ok(())
}

fn parse(h: &Header, row: &csv::StringRecord) -> Outcome {
    match build(h, row) {
        Ok(rec) => Outcome::Record(Box::new(rec)),
        Err(reason) => Outcome::Rejected(reason),
    }
}

fn build(h: &Header, row: &csv::StringRecord) -> Result<UsageRecord, String> {
    let cell = |name: &str| h.get(row, name);
    let count = |name: &str| plain_count(name, cell(name));
    let timestamp_ms = fields::parse_time(cell("timestamp").ok_or("empty `timestamp`")?)?;
    let model = cell("model").ok_or("empty `model`")?.to_string();
    let read = count(if h.has("cache_read_tokens") {
        "cache_read_tokens"
    } else {
        "cached_input_tokens"
    })?;
    let w5 = count("cache_write_5m_tokens")?;
    let w1 = count("cache_write_1h_tokens")?;
    let uncached = if h.has("uncached_input_tokens") {
        count("uncached_input_tokens")?
    } else {
        let total = count("input_tokens")?;
        total.checked_sub(read + w5 + w1).ok_or_else(|| {
            format!(
                "input_tokens ({total}) is less than its cache reads and writes ({})",
                read + w5 + w1
            )
        })?
    };
    let output = count("output_tokens")?;
    let reasoning = count("reasoning_tokens")?;
    if reasoning > output {
        return Err(format!(
            "reasoning_tokens ({reasoning}) is larger than output_tokens ({output})"
        ));
    }
    let requests = match cell("requests") {
        None => 1,
        Some(_) => count("requests")?,
    };
    let (tier, flag) = super::usage::tier(cell("tier").or_else(|| cell("service_tier")));
    let reported_cost_usd = match cell("cost_usd") {
        None => None,
        Some(s) => Some(
            s.parse::<f64>()
                .map_err(|_| format!("`cost_usd` value `{s}` is not a number"))?,
        ),
    };
    let own = |name: &str| cell(name).map(str::to_string);
    let mut rec = UsageRecord {
        timestamp_ms,
        key: own("request_id"),
        provider: own("provider"),
        model,
        tier,
        tokens: Tokens {
            uncached_input: uncached,
            cache_read: read,
            cache_write_5m: w5,
            cache_write_1h: w1,
            output,
            reasoning,
        },
        requests,
        team: own("team"),
        template: own("template"),
        template_version: own("template_version"),
        api_key_id: cell("api_key_id").map(fields::api_key_id),
        project: own("project"),
        user: own("user"),
        reported_cost_usd,
        ..UsageRecord::default()
    };
    rec.flags.extend(flag);
    Ok(rec)
}
