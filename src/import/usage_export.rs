//! Shared reading of usage-API exports: a page, an array of pages, or JSONL of pages, each
//! with time buckets holding aggregate result rows.

use super::record::{Outcome, Parsed, excerpt};
use super::source::{Emit, json_documents};
use serde_json::Value;
use std::io::BufRead;

/// Calls `row(bucket, result)` for every result row of every bucket of every page, numbering
/// rows from 1 in file order.
pub fn each_row(
    input: &mut dyn BufRead,
    emit: &mut Emit,
    mut row: impl FnMut(&Value, &Value) -> Outcome,
) -> std::io::Result<()> {
    let docs = match json_documents(input)? {
        Ok(d) => d,
        Err((line, reason, ex)) => {
            emit(Parsed {
                line,
                outcome: Outcome::Rejected(reason),
                excerpt: Some(ex),
            });
            return Ok(());
        }
    };
    let mut n = 0u64;
    let mut pages = Vec::new();
    for (_, doc) in &docs {
        match doc {
            Value::Array(items) => pages.extend(items.iter()),
            other => pages.push(other),
        }
    }
    for page in pages {
        let buckets = page.get("data").and_then(Value::as_array);
        let Some(buckets) = buckets else {
            n += 1;
            let ok = emit(Parsed {
                line: n,
                outcome: Outcome::reject("a page without a `data` array"),
                excerpt: Some(excerpt(page.to_string().as_bytes(), 200)),
            });
            if !ok {
                return Ok(());
            }
            continue;
        };
        for bucket in buckets {
            for result in bucket.get("results").and_then(Value::as_array).into_iter().flatten() {
                n += 1;
                let outcome = row(bucket, result);
                let ex = matches!(outcome, Outcome::Rejected(_)).then(|| excerpt(result.to_string().as_bytes(), 200));
                if !emit(Parsed {
                    line: n,
                    outcome,
                    excerpt: ex,
                }) {
                    return Ok(());
                }
            }
        }
    }
    Ok(())
}

/// A non-negative integer field (absent or null is 0).
pub fn tokens(v: &Value, key: &str) -> Result<u64, String> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(0),
        Some(x) => Ok(super::lenient::count_value(x, key)?.unwrap_or(0)),
    }
}

/// The group-by values of a row as a key part (`-` for null).
pub fn key_part(v: &Value, key: &str) -> String {
    match v.get(key) {
        None | Some(Value::Null) => "-".into(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}
