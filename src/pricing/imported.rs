//! Newer LiteLLM price tables imported with `cost pricing import` (DESIGN §12): stored as
//! dated files in the user's data directory, compared with the table in use, layered over the
//! built-in snapshot, and the once-a-day hint when the newest table is getting old.

use super::{ModelPrice, PriceSource, snapshot};
use crate::error::{Error, Result};
use crate::money::Usd;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A table older than this many days is mentioned on stderr, once a day.
pub const MAX_AGE_DAYS: i64 = 90;
const PREFIX: &str = "litellm-";
const STAMP: &str = "age-hint-shown";

/// An imported table on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub date: Date,
    pub path: PathBuf,
}

/// The user's data directory: `$COST_DATA_DIR`, else `$XDG_DATA_HOME/cost`, else
/// `~/.local/share/cost`.
pub fn data_dir() -> PathBuf {
    let set = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    set("COST_DATA_DIR")
        .or_else(|| set("XDG_DATA_HOME").map(|d| d.join("cost")))
        .or_else(|| set("HOME").map(|h| h.join(".local/share/cost")))
        .unwrap_or_else(|| PathBuf::from(".cost"))
}

/// Where imported tables live: `<data dir>/prices/`.
pub fn dir(data: &Path) -> PathBuf {
    data.join("prices")
}

fn file_name(date: Date) -> String {
    format!("{PREFIX}{date}.json")
}

/// The imported tables, oldest first. A missing directory is no tables.
pub fn list(data: &Path) -> Result<Vec<Stored>> {
    let dir = dir(data);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(Error::Input { path: dir, source }),
    };
    let mut out: Vec<Stored> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let date = name.strip_prefix(PREFIX)?.strip_suffix(".json")?.parse::<Date>().ok()?;
            Some(Stored { date, path: e.path() })
        })
        .collect();
    out.sort_by_key(|s| s.date);
    Ok(out)
}

/// Reads a stored table (compacted like the built-in snapshot: prices in atto-USD).
pub fn read(stored: &Stored) -> Result<HashMap<String, ModelPrice>> {
    let text = std::fs::read_to_string(&stored.path).map_err(|source| Error::Input {
        path: stored.path.clone(),
        source,
    })?;
    let mut table = snapshot::parse_compact(&text, PriceSource::Imported).map_err(|e| Error::Pricing {
        model: "(imported table)".into(),
        message: format!("{} is not a price table cost wrote: {e}", stored.path.display()),
        hint: Some(format!(
            "delete it and run `cost pricing import` again with the LiteLLM file ({})",
            stored.path.display()
        )),
    })?;
    for p in table.values_mut() {
        p.table_date = Some(stored.date);
    }
    Ok(table)
}

/// Parses and checks a LiteLLM `model_prices_and_context_window.json` given by a person.
/// Returns a reason when it is not one.
pub fn parse_litellm(text: &str) -> std::result::Result<HashMap<String, ModelPrice>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let table = snapshot::parse(text, PriceSource::Imported).map_err(|e| format!("not a LiteLLM price table: {e}"))?;
    if table.is_empty() {
        return Err("no entry has a per-token price (`input_cost_per_token` / `output_cost_per_token`)".into());
    }
    let mut bad: Vec<(&String, &String)> = table
        .values()
        .flat_map(|p| {
            p.fields
                .iter()
                .filter(|(_, v)| **v < Usd::ZERO)
                .map(move |(f, _)| (&p.key, f))
        })
        .collect();
    bad.sort();
    if let Some((model, field)) = bad.first() {
        return Err(format!("`{model}` has a negative `{field}`"));
    }
    Ok(table)
}

/// The compact form stored on disk: only what pricing reads, prices as integers of atto-USD
/// (the same shape build.rs gives the built-in snapshot, so it reads as fast).
pub fn compact(table: &HashMap<String, ModelPrice>) -> String {
    let mut keys: Vec<&String> = table.keys().collect();
    keys.sort();
    let mut out = serde_json::Map::new();
    for key in keys {
        let p = &table[key];
        let mut entry = serde_json::Map::new();
        entry.insert("litellm_provider".into(), p.provider.clone().into());
        if let Some(mode) = &p.mode {
            entry.insert("mode".into(), mode.clone().into());
        }
        for (name, value) in [
            ("max_input_tokens", p.max_input_tokens),
            ("max_output_tokens", p.max_output_tokens),
            ("prompt_cache_min_tokens", p.cache_min_tokens),
        ] {
            if let Some(v) = value {
                entry.insert(name.into(), v.into());
            }
        }
        for (field, usd) in &p.fields {
            if let Ok(atto) = u64::try_from(usd.atto()) {
                entry.insert(field.clone(), atto.into());
            }
        }
        out.insert(key.clone(), entry.into());
    }
    serde_json::Value::Object(out).to_string()
}

/// Writes a table for `date` (replacing one of the same date) and returns its path and
/// whether it replaced one. Written to a temporary file first: a failure leaves nothing.
pub fn save(data: &Path, date: Date, table: &HashMap<String, ModelPrice>) -> Result<(PathBuf, bool)> {
    let dir = dir(data);
    std::fs::create_dir_all(&dir).map_err(|source| Error::Io {
        path: dir.clone(),
        source,
    })?;
    let path = dir.join(file_name(date));
    let replaced = path.exists();
    let tmp = dir.join(format!(".{}.tmp-{}", file_name(date), std::process::id()));
    let written = std::fs::write(&tmp, compact(table)).and_then(|_| std::fs::rename(&tmp, &path));
    if let Err(source) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::Io { path, source });
    }
    Ok((path, replaced))
}

/// One model whose price moved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Moved {
    pub model: String,
    /// USD per million tokens.
    pub before_usd_per_m: Usd,
    pub after_usd_per_m: Usd,
}

/// What a new table changes against the one in use.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Changes {
    /// Keys the new table has and the one in use does not.
    pub added: Vec<String>,
    /// Keys the table in use has and the new one does not (they keep their older price).
    pub removed: Vec<String>,
    pub input_up: Vec<Moved>,
    pub input_down: Vec<Moved>,
    pub output_up: Vec<Moved>,
    pub output_down: Vec<Moved>,
    /// Keys in both with the same input and output price.
    pub unchanged: usize,
}

/// Compares `new` with `old`, every list sorted by model name.
pub fn changes(old: &HashMap<String, ModelPrice>, new: &HashMap<String, ModelPrice>) -> Changes {
    let mut c = Changes::default();
    let mut keys: Vec<&String> = old.keys().chain(new.keys().filter(|k| !old.contains_key(*k))).collect();
    keys.sort();
    for key in keys {
        match (old.get(key), new.get(key)) {
            (None, Some(_)) => c.added.push(key.clone()),
            (Some(_), None) => c.removed.push(key.clone()),
            (Some(o), Some(n)) => {
                let mut same = true;
                for (field, up, down) in [
                    ("input_cost_per_token", &mut c.input_up, &mut c.input_down),
                    ("output_cost_per_token", &mut c.output_up, &mut c.output_down),
                ] {
                    let (before, after) = (o.fields.get(field), n.fields.get(field));
                    if before == after {
                        continue;
                    }
                    same = false;
                    let per_m = |v: Option<&Usd>| v.copied().unwrap_or(Usd::ZERO).times(1_000_000);
                    let moved = Moved {
                        model: key.clone(),
                        before_usd_per_m: per_m(before),
                        after_usd_per_m: per_m(after),
                    };
                    if moved.after_usd_per_m > moved.before_usd_per_m {
                        up.push(moved);
                    } else {
                        down.push(moved);
                    }
                }
                if same {
                    c.unchanged += 1;
                }
            }
            (None, None) => {}
        }
    }
    c
}

/// The once-a-day hint when the newest table is more than [`MAX_AGE_DAYS`] old: `Some(text)`
/// the first time on a day (the day is stamped in the data directory), `None` after that or
/// when the table is recent.
pub fn age_hint(data: &Path, as_of: Date, today: Date) -> Option<String> {
    let age = (today - as_of).get_days() as i64;
    if age <= MAX_AGE_DAYS {
        return None;
    }
    let stamp = data.join(STAMP);
    let shown = std::fs::read_to_string(&stamp)
        .ok()
        .and_then(|s| s.trim().parse::<Date>().ok());
    if shown.is_some_and(|d| d >= today) {
        return None;
    }
    // A data directory that cannot be written still gets the hint, every time.
    let _ = std::fs::create_dir_all(data).and_then(|_| std::fs::write(&stamp, format!("{today}\n")));
    Some(format!(
        "hint: the price table is from {as_of} ({age} days old): `cost pricing import` a newer one \
         (LiteLLM's model_prices_and_context_window.json)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &str, input: &str, output: &str) -> (String, ModelPrice) {
        let mut p = ModelPrice::new(key, "openai", PriceSource::Imported);
        p.fields
            .insert("input_cost_per_token".into(), Usd::parse(input).unwrap());
        p.fields
            .insert("output_cost_per_token".into(), Usd::parse(output).unwrap());
        (key.to_string(), p)
    }

    #[test]
    fn changes_are_counted_by_direction() {
        let old: HashMap<_, _> = [
            entry("a", "1e-6", "2e-6"),
            entry("b", "1e-6", "2e-6"),
            entry("gone", "1e-6", "1e-6"),
        ]
        .into_iter()
        .collect();
        let new: HashMap<_, _> = [
            entry("a", "1e-6", "2e-6"),
            entry("b", "5e-7", "3e-6"),
            entry("new", "1e-6", "1e-6"),
        ]
        .into_iter()
        .collect();
        let c = changes(&old, &new);
        assert_eq!(c.added, ["new"]);
        assert_eq!(c.removed, ["gone"]);
        assert_eq!(c.input_down.len(), 1);
        assert_eq!(c.input_down[0].after_usd_per_m, Usd::parse("0.5").unwrap());
        assert_eq!(c.output_up[0].before_usd_per_m, Usd::parse("2").unwrap());
        assert!(c.input_up.is_empty() && c.output_down.is_empty());
        assert_eq!(c.unchanged, 1);
    }

    #[test]
    fn compact_round_trips() {
        let table: HashMap<_, _> = [entry("gpt-x", "2.5e-06", "1e-05")].into_iter().collect();
        let back = snapshot::parse_compact(&compact(&table), PriceSource::Imported).unwrap();
        assert_eq!(back["gpt-x"].fields, table["gpt-x"].fields);
        assert_eq!(back["gpt-x"].provider, "openai");
    }
}
