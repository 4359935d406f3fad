//! `cost export --format parquet --out DIR`: one row per stored request in Hive partitions,
//! `DIR/month=YYYY-MM/part-0.parquet`, with the FOCUS 1.2 columns and `cost`'s own (`x_…`).
//!
//! Types: money is DECIMAL(18,9) on INT64, so the unscaled value is the stored nano-dollars
//! and sums are exact in every engine (BigQuery's NUMERIC is the same scale); times are
//! TIMESTAMP(MILLIS, UTC); token counts INT64. An unpriced request has no cost (NULL), never
//! $0.
//!
//! Memory: the store is read once, in storage order; rows are buffered per month as columns
//! (text interned per row group) and a row group is written when [`Options::row_group_rows`]
//! rows are buffered across all months, so the memory held does not grow with the store.
//! Each month is written to a hidden file beside its partition and renamed over
//! `part-0.parquet` at the end: a reader sees the old month or the new one, never half.

use super::Written;
use crate::analysis::focus;
use crate::error::{Error, Result};
use crate::pricing::PriceTable;
use crate::store::Store;
use crate::store::export::StoredRequest;
use crate::store::query::Filter;
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How the files are laid out.
pub struct Options<'a> {
    /// Rows per row group, and the most rows held in memory at once.
    pub row_group_rows: usize,
    /// Names the provider of requests whose log named none (FOCUS ProviderName).
    pub prices: Option<&'a PriceTable>,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options {
            row_group_rows: 32_768,
            prices: None,
        }
    }
}

/// The file each partition holds.
pub const PART: &str = "part-0.parquet";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// UTF-8 text, interned per row group (dimensions, constants).
    Text,
    /// UTF-8 text that rarely repeats (request keys), kept in one buffer.
    Unique,
    Int,
    /// DECIMAL(18, scale) on INT64.
    Decimal(u8),
    /// TIMESTAMP(MILLIS, adjusted to UTC) on INT64.
    Time,
    Bool,
}

enum Cell<'a> {
    Null,
    Text(&'a str),
    Int(i64),
    Bool(bool),
}

struct Column {
    name: &'static str,
    kind: Kind,
    optional: bool,
    get: for<'a> fn(&'a Row<'a>) -> Cell<'a>,
}

/// A request with what its FOCUS columns derive from it.
struct Row<'a> {
    r: &'a StoredRequest,
    day_ms: i64,
    next_day_ms: i64,
    month_ms: i64,
    next_month_ms: i64,
    provider: &'a str,
    service: String,
    description: String,
    invoice: String,
    sku_price: String,
    sub_account_id: String,
    focus_tags: String,
    total_tokens: i64,
}

fn text(v: &Option<String>) -> Cell<'_> {
    match v.as_deref() {
        Some(s) if !s.is_empty() => Cell::Text(s),
        _ => Cell::Null,
    }
}

fn cost(r: &Row) -> Cell<'static> {
    if r.r.unpriced {
        Cell::Null
    } else {
        Cell::Int(r.r.cost_nanos)
    }
}

macro_rules! col {
    ($name:literal, $kind:expr, $opt:literal, $get:expr) => {
        Column {
            name: $name,
            kind: $kind,
            optional: $opt,
            get: $get,
        }
    };
}

/// The columns in file order: FOCUS 1.2 (alphabetical, as in the CSV export), then `cost`'s.
const COLUMNS: &[Column] = &[
    col!("BilledCost", Kind::Decimal(9), true, cost),
    col!("BillingAccountId", Kind::Text, false, |_| Cell::Text("cost")),
    col!("BillingAccountName", Kind::Text, false, |_| Cell::Text(
        "cost usage store"
    )),
    col!("BillingCurrency", Kind::Text, false, |_| Cell::Text("USD")),
    col!("BillingPeriodEnd", Kind::Time, false, |r| Cell::Int(r.next_month_ms)),
    col!("BillingPeriodStart", Kind::Time, false, |r| Cell::Int(r.month_ms)),
    col!("ChargeCategory", Kind::Text, false, |_| Cell::Text("Usage")),
    col!("ChargeClass", Kind::Text, true, |_| Cell::Null),
    col!("ChargeDescription", Kind::Text, false, |r| Cell::Text(&r.description)),
    col!("ChargeFrequency", Kind::Text, false, |_| Cell::Text("Usage-Based")),
    col!("ChargePeriodEnd", Kind::Time, false, |r| Cell::Int(r.next_day_ms)),
    col!("ChargePeriodStart", Kind::Time, false, |r| Cell::Int(r.day_ms)),
    col!("ConsumedQuantity", Kind::Decimal(0), false, |r| Cell::Int(
        r.total_tokens
    )),
    col!("ConsumedUnit", Kind::Text, false, |_| Cell::Text("Tokens")),
    col!("ContractedCost", Kind::Decimal(9), true, cost),
    col!("ContractedUnitPrice", Kind::Decimal(9), true, |_| Cell::Null),
    col!("EffectiveCost", Kind::Decimal(9), true, cost),
    col!("InvoiceId", Kind::Text, false, |r| Cell::Text(&r.invoice)),
    col!("InvoiceIssuerName", Kind::Text, false, |r| Cell::Text(r.provider)),
    col!("ListCost", Kind::Decimal(9), true, cost),
    col!("ListUnitPrice", Kind::Decimal(9), true, |_| Cell::Null),
    col!("PricingCategory", Kind::Text, false, |_| Cell::Text("Standard")),
    // Millions of tokens: the unscaled value is the token count.
    col!("PricingQuantity", Kind::Decimal(6), false, |r| Cell::Int(
        r.total_tokens
    )),
    col!("PricingUnit", Kind::Text, false, |_| Cell::Text("1000000 Tokens")),
    col!("ProviderName", Kind::Text, false, |r| Cell::Text(r.provider)),
    col!("PublisherName", Kind::Text, false, |r| Cell::Text(r.provider)),
    col!("ServiceCategory", Kind::Text, false, |_| Cell::Text(
        "AI and Machine Learning"
    )),
    col!("ServiceName", Kind::Text, false, |r| Cell::Text(&r.service)),
    col!("ServiceSubcategory", Kind::Text, false, |_| Cell::Text("Generative AI")),
    col!("SkuId", Kind::Text, false, |r| Cell::Text(
        r.r.model_priced.as_deref().unwrap_or(&r.r.model)
    )),
    col!("SkuPriceId", Kind::Text, false, |r| Cell::Text(&r.sku_price)),
    col!("SubAccountId", Kind::Text, false, |r| Cell::Text(&r.sub_account_id)),
    col!("SubAccountName", Kind::Text, false, |r| Cell::Text(
        r.r.team.as_deref().filter(|t| !t.is_empty()).unwrap_or("(unassigned)")
    )),
    col!("Tags", Kind::Text, false, |r| Cell::Text(&r.focus_tags)),
    col!("x_request_key", Kind::Unique, false, |r| Cell::Text(&r.r.key)),
    col!("x_timestamp", Kind::Time, false, |r| Cell::Int(r.r.ts_ms)),
    col!("x_team", Kind::Text, true, |r| text(&r.r.team)),
    col!("x_template", Kind::Text, true, |r| text(&r.r.template)),
    col!("x_template_version", Kind::Text, true, |r| text(&r.r.template_version)),
    col!("x_model", Kind::Text, false, |r| Cell::Text(&r.r.model)),
    col!("x_model_priced", Kind::Text, true, |r| text(&r.r.model_priced)),
    col!("x_provider", Kind::Text, true, |r| match r.r.provider.as_str() {
        "" => Cell::Null,
        p => Cell::Text(p),
    }),
    col!("x_tier", Kind::Text, false, |r| Cell::Text(&r.r.tier)),
    col!("x_api_key_id", Kind::Text, true, |r| text(&r.r.api_key_id)),
    col!("x_project", Kind::Text, true, |r| text(&r.r.project)),
    col!("x_session_id", Kind::Text, true, |r| text(&r.r.session)),
    col!("x_user_id", Kind::Text, true, |r| text(&r.r.user)),
    col!("x_status", Kind::Text, true, |r| text(&r.r.status)),
    col!("x_latency_ms", Kind::Int, true, |r| match r.r.latency_ms {
        Some(v) => Cell::Int(v),
        None => Cell::Null,
    }),
    col!("x_tags", Kind::Text, true, |r| text(&r.r.tags)),
    col!("x_requests", Kind::Int, false, |r| Cell::Int(r.r.requests)),
    col!("x_uncached_input_tokens", Kind::Int, false, |r| Cell::Int(
        r.r.tokens.uncached_input as i64
    )),
    col!("x_cache_read_tokens", Kind::Int, false, |r| Cell::Int(
        r.r.tokens.cache_read as i64
    )),
    col!("x_cache_write_5m_tokens", Kind::Int, false, |r| Cell::Int(
        r.r.tokens.cache_write_5m as i64
    )),
    col!("x_cache_write_1h_tokens", Kind::Int, false, |r| Cell::Int(
        r.r.tokens.cache_write_1h as i64
    )),
    col!("x_output_tokens", Kind::Int, false, |r| Cell::Int(
        r.r.tokens.output as i64
    )),
    col!("x_reasoning_tokens", Kind::Int, false, |r| Cell::Int(
        r.r.tokens.reasoning as i64
    )),
    col!("x_unpriced", Kind::Bool, false, |r| Cell::Bool(r.r.unpriced)),
    col!("x_price_source", Kind::Text, true, |r| text(&r.r.price_source)),
    col!(
        "x_reported_cost",
        Kind::Decimal(9),
        true,
        |r| match r.r.reported_cost_nanos {
            Some(v) => Cell::Int(v),
            None => Cell::Null,
        }
    ),
    col!("x_flags", Kind::Text, true, |r| text(&r.r.flags)),
    col!("x_source", Kind::Text, false, |r| Cell::Text(&r.r.source)),
    col!("x_file", Kind::Text, true, |r| text(&r.r.file)),
    col!("x_line", Kind::Int, true, |r| match r.r.line {
        Some(v) => Cell::Int(v),
        None => Cell::Null,
    }),
];

/// The Parquet schema of [`COLUMNS`], in Parquet's message syntax.
pub fn schema_text() -> String {
    let mut s = String::from("message cost_request {\n");
    for c in COLUMNS {
        let rep = if c.optional { "optional" } else { "required" };
        let ty = match c.kind {
            Kind::Text | Kind::Unique => "binary".to_string(),
            Kind::Int | Kind::Decimal(_) | Kind::Time => "int64".to_string(),
            Kind::Bool => "boolean".to_string(),
        };
        let logical = match c.kind {
            Kind::Text | Kind::Unique => " (STRING)".to_string(),
            Kind::Decimal(scale) => format!(" (DECIMAL(18,{scale}))"),
            Kind::Time => " (TIMESTAMP(MILLIS,true))".to_string(),
            Kind::Int | Kind::Bool => String::new(),
        };
        s.push_str(&format!("  {rep} {ty} {}{logical};\n", c.name));
    }
    s.push('}');
    s
}

/// One column's values for the row group being built.
struct Buffer {
    /// Definition levels (optional columns): 1 present, 0 null.
    defs: Vec<i16>,
    ints: Vec<i64>,
    bools: Vec<bool>,
    /// Interned text: ids into `dict`, found by `index`; `last` makes runs of one value cheap.
    ids: Vec<u32>,
    dict: Vec<ByteArray>,
    index: HashMap<Box<str>, u32>,
    /// Unique text: the bytes one after another, and where each value ends.
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl Buffer {
    fn new() -> Buffer {
        Buffer {
            defs: Vec::new(),
            ints: Vec::new(),
            bools: Vec::new(),
            ids: Vec::new(),
            dict: Vec::new(),
            index: HashMap::new(),
            bytes: Vec::new(),
            ends: Vec::new(),
        }
    }

    fn push(&mut self, kind: Kind, optional: bool, cell: Cell) -> std::result::Result<(), String> {
        if optional {
            self.defs.push(if matches!(cell, Cell::Null) { 0 } else { 1 });
        }
        match (cell, kind) {
            (Cell::Null, _) if optional => {}
            (Cell::Null, _) => return Err("a value is missing".into()),
            (Cell::Text(s), Kind::Unique) => {
                self.bytes.extend_from_slice(s.as_bytes());
                self.ends.push(self.bytes.len());
            }
            (Cell::Text(s), _) => {
                let last = self.ids.last().copied();
                let id = match last.filter(|i| self.dict[*i as usize].data() == s.as_bytes()) {
                    Some(id) => id,
                    None => match self.index.get(s) {
                        Some(id) => *id,
                        None => {
                            let id = self.dict.len() as u32;
                            self.dict.push(ByteArray::from(s));
                            self.index.insert(s.into(), id);
                            id
                        }
                    },
                };
                self.ids.push(id);
            }
            (Cell::Int(v), Kind::Decimal(_)) if !(-MAX_DECIMAL..=MAX_DECIMAL).contains(&v) => {
                return Err(format!("{v} does not fit DECIMAL(18)"));
            }
            (Cell::Int(v), _) => self.ints.push(v),
            (Cell::Bool(v), _) => self.bools.push(v),
        }
        Ok(())
    }
}

/// The largest unscaled value of a DECIMAL with 18 digits.
const MAX_DECIMAL: i64 = 999_999_999_999_999_999;

/// One month being written.
struct Month {
    tmp: PathBuf,
    path: PathBuf,
    writer: SerializedFileWriter<File>,
    buffers: Vec<Buffer>,
    buffered: usize,
    rows: u64,
}

fn parquet_error(path: &Path) -> impl Fn(parquet::errors::ParquetError) -> Error + '_ {
    move |e| Error::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl Month {
    fn open(dir: &Path, month: &str, schema: &Arc<parquet::schema::types::Type>) -> Result<Month> {
        let part_dir = dir.join(format!("month={month}"));
        std::fs::create_dir_all(&part_dir).map_err(io_error(&part_dir))?;
        let tmp = part_dir.join(format!(".{PART}.{}.tmp", std::process::id()));
        let file = File::create(&tmp).map_err(io_error(&tmp))?;
        let props = WriterProperties::builder()
            .set_compression(parquet::basic::Compression::SNAPPY)
            .set_created_by(format!("cost {}", env!("CARGO_PKG_VERSION")))
            .set_key_value_metadata(Some(vec![parquet::file::metadata::KeyValue::new(
                "cost.schema".to_string(),
                "cost.parquet/v1".to_string(),
            )]))
            .build();
        let writer = SerializedFileWriter::new(file, schema.clone(), Arc::new(props)).map_err(parquet_error(&tmp))?;
        Ok(Month {
            path: part_dir.join(PART),
            tmp,
            writer,
            buffers: COLUMNS.iter().map(|_| Buffer::new()).collect(),
            buffered: 0,
            rows: 0,
        })
    }

    fn push(&mut self, row: &Row) -> Result<()> {
        for (c, b) in COLUMNS.iter().zip(self.buffers.iter_mut()) {
            b.push(c.kind, c.optional, (c.get)(row)).map_err(|e| Error::Store {
                path: PathBuf::new(),
                message: format!("request `{}`: column {}: {e}", row.r.key, c.name),
                hint: "report this as a bug".into(),
            })?;
        }
        self.buffered += 1;
        self.rows += 1;
        Ok(())
    }

    /// Writes the buffered rows as one row group.
    fn flush(&mut self) -> Result<()> {
        if self.buffered == 0 {
            return Ok(());
        }
        let err = parquet_error(&self.tmp);
        let mut group = self.writer.next_row_group().map_err(&err)?;
        for (c, b) in COLUMNS.iter().zip(self.buffers.iter()) {
            let Some(mut column) = group.next_column().map_err(&err)? else {
                break;
            };
            let defs = c.optional.then_some(b.defs.as_slice());
            match c.kind {
                Kind::Int | Kind::Decimal(_) | Kind::Time => {
                    column
                        .typed::<Int64Type>()
                        .write_batch(&b.ints, defs, None)
                        .map_err(&err)?;
                }
                Kind::Bool => {
                    column
                        .typed::<BoolType>()
                        .write_batch(&b.bools, defs, None)
                        .map_err(&err)?;
                }
                Kind::Text => {
                    let values: Vec<ByteArray> = b.ids.iter().map(|i| b.dict[*i as usize].clone()).collect();
                    column
                        .typed::<ByteArrayType>()
                        .write_batch(&values, defs, None)
                        .map_err(&err)?;
                }
                Kind::Unique => {
                    let mut start = 0;
                    let values: Vec<ByteArray> = b
                        .ends
                        .iter()
                        .map(|end| {
                            let v = ByteArray::from(&b.bytes[start..*end]);
                            start = *end;
                            v
                        })
                        .collect();
                    column
                        .typed::<ByteArrayType>()
                        .write_batch(&values, defs, None)
                        .map_err(&err)?;
                }
            }
            column.close().map_err(&err)?;
        }
        group.close().map_err(&err)?;
        // Released, not kept for the next row group: with several months open, only the ones
        // filling up hold memory.
        for b in &mut self.buffers {
            *b = Buffer::new();
        }
        self.buffered = 0;
        Ok(())
    }

    /// Writes the footer and syncs the hidden file (not yet renamed).
    fn finish(mut self) -> Result<(PathBuf, PathBuf, u64)> {
        self.flush()?;
        let file = self.writer.into_inner().map_err(parquet_error(&self.tmp))?;
        file.sync_all().map_err(io_error(&self.tmp))?;
        Ok((self.tmp, self.path, self.rows))
    }
}

/// Midnight UTC of a day number (days since 1970-01-01), in ms.
fn day_ms(days: i64) -> i64 {
    days.saturating_mul(86_400_000)
}

/// The first day of the month of `days`, and of the next month (day numbers).
fn month_bounds(days: i64) -> (i64, i64) {
    let (y, m, d) = crate::import::fields::civil_from_days(days);
    let start = days - (d as i64 - 1);
    let len = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    };
    (start, start + len)
}

/// Writes every request the filter keeps into `dir`, a partition per month.
pub fn write(store: &Store, filter: &Filter, dir: &Path, opts: &Options) -> Result<Written> {
    let schema = parquet::schema::parser::parse_message_type(&schema_text())
        .map(Arc::new)
        .map_err(parquet_error(dir))?;
    std::fs::create_dir_all(dir).map_err(io_error(dir))?;
    let mut months: std::collections::BTreeMap<String, Month> = Default::default();
    let mut written = Written::default();
    let mut buffered = 0usize;
    // Every hidden file opened, removed if anything fails.
    let mut tmps: Vec<PathBuf> = Vec::new();
    // The provider of a model whose log named none, from the price table (FOCUS wants a name).
    let mut providers: HashMap<String, String> = HashMap::new();
    let result = store.each_request(filter, |r| {
        let month_key = r.day.get(..7).unwrap_or(&r.day);
        if !months.contains_key(month_key) {
            let month = Month::open(dir, month_key, &schema)?;
            tmps.push(month.tmp.clone());
            months.insert(month_key.to_string(), month);
        }
        let days = r.ts_ms.div_euclid(86_400_000);
        let (m0, m1) = month_bounds(days);
        let provider_key: &str = if r.provider.is_empty() {
            if !providers.contains_key(&r.model) {
                let p = opts
                    .prices
                    .and_then(|t| t.price_for(&r.model, None, None))
                    .map(|p| p.provider_name().to_string())
                    .unwrap_or_default();
                providers.insert(r.model.clone(), p);
            }
            providers.get(&r.model).map(String::as_str).unwrap_or("")
        } else {
            &r.provider
        };
        let team = r.team.as_deref().filter(|t| !t.is_empty());
        let mut tags: std::collections::BTreeMap<String, String> = match r.tags.as_deref() {
            Some(t) if !t.is_empty() => serde_json::from_str(t).unwrap_or_default(),
            _ => Default::default(),
        };
        if let Some(t) = team {
            tags.insert("team".into(), t.into());
        }
        if let Some(t) = r.template.as_deref().filter(|t| !t.is_empty()) {
            tags.insert("template".into(), t.into());
        }
        let sku = r.model_priced.as_deref().unwrap_or(&r.model);
        let t = &r.tokens;
        let row = Row {
            r,
            day_ms: day_ms(days),
            next_day_ms: day_ms(days + 1),
            month_ms: day_ms(m0),
            next_month_ms: day_ms(m1),
            provider: focus::provider_name(provider_key),
            service: focus::service_name(provider_key),
            description: format!("{sku} tokens"),
            invoice: format!(
                "{}-{month_key}",
                match provider_key {
                    "" => "UNKNOWN".to_string(),
                    p => p.to_ascii_uppercase().replace(['/', ' '], "-"),
                }
            ),
            sku_price: format!("{sku}-{}", r.tier),
            sub_account_id: team.map_or_else(|| "unassigned".to_string(), |t| format!("team-{t}")),
            focus_tags: serde_json::to_string(&tags).unwrap_or_else(|_| "{}".into()),
            total_tokens: (t.total_input() + t.output) as i64,
        };
        let Some(month) = months.get_mut(month_key) else {
            return Ok(());
        };
        month.push(&row)?;
        written.count(r);
        buffered += 1;
        // Bounded memory: past a row group's worth across all months, the fullest is written.
        if buffered >= opts.row_group_rows {
            if let Some(m) = months.values_mut().max_by_key(|m| m.buffered) {
                buffered -= m.buffered;
                m.flush()?;
            }
        }
        Ok(())
    });
    let mut finished = Vec::new();
    let result = result.and_then(|_| {
        for (name, month) in std::mem::take(&mut months) {
            let (tmp, path, rows) = month.finish()?;
            finished.push((name, tmp, path, rows));
        }
        Ok(())
    });
    if let Err(e) = result {
        // Nothing half-written is left behind; the partitions stay as they were.
        drop(months);
        for tmp in &tmps {
            let _ = std::fs::remove_file(tmp);
        }
        return Err(e);
    }
    for (name, tmp, path, rows) in finished {
        std::fs::rename(&tmp, &path).map_err(io_error(&path))?;
        written.months.push((name, rows));
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_have_their_lengths() {
        // 2026-09-15 is day 20_711; September starts on day 20_697 and October on 20_727.
        assert_eq!(month_bounds(20_711), (20_697, 20_727));
        // 2028 is a leap year: February 2028 has 29 days.
        let feb_2028 = 21_215; // 2028-02-01
        assert_eq!(crate::import::fields::civil_from_days(feb_2028), (2028, 2, 1));
        assert_eq!(month_bounds(feb_2028 + 10), (feb_2028, feb_2028 + 29));
    }

    #[test]
    fn the_schema_parses_with_its_logical_types() {
        let schema = parquet::schema::parser::parse_message_type(&schema_text()).unwrap();
        let fields = schema.get_fields();
        assert_eq!(fields.len(), COLUMNS.len());
        let logical = |name: &str| {
            let f = fields.iter().find(|f| f.name() == name).unwrap();
            format!("{:?}", f.get_basic_info().logical_type_ref())
        };
        assert_eq!(
            logical("BilledCost"),
            "Some(Decimal(DecimalType { scale: 9, precision: 18 }))"
        );
        assert_eq!(
            logical("PricingQuantity"),
            "Some(Decimal(DecimalType { scale: 6, precision: 18 }))"
        );
        let ts = logical("x_timestamp");
        assert!(
            ts.contains("is_adjusted_to_u_t_c: true") && ts.contains("MILLIS"),
            "{ts}"
        );
        assert_eq!(logical("x_team"), "Some(String)");
        assert_eq!(logical("x_requests"), "None");
    }
}
