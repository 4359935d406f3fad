//! Unit economics (DESIGN §13): spend joined with business outcomes — cost per resolved
//! ticket, per active tenant, per feature use — per period and dimension value, with its
//! change against the previous period. Without outcomes, the unit is a run (a session).

use crate::error::{Error, Result};
use crate::money::Usd;
use crate::store::Store;
use crate::store::query::{Dim, Filter};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Whether outcomes are counted per month (`YYYY-MM`) or per day (`YYYY-MM-DD`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Grain {
    Month,
    Day,
}

impl Grain {
    fn dim(self) -> Dim {
        match self {
            Grain::Month => Dim::Month,
            Grain::Day => Dim::Day,
        }
    }
}

/// An outcomes file, read and checked: units per (period, dimension value).
#[derive(Debug, Clone, PartialEq)]
pub struct Outcomes {
    pub grain: Grain,
    pub dim: Dim,
    /// (period, value) → units, in period order.
    pub units: BTreeMap<(String, String), f64>,
}

fn line_error(path: &Path, line: u64, message: impl std::fmt::Display, hint: &str) -> Error {
    Error::usage_hint(format!("{}:{line}: {message}", path.display()), hint)
}

const HINT: &str = "an outcomes file is CSV with a `month` (YYYY-MM) or `date` (YYYY-MM-DD) column, one dimension column (team, template, user or tag:KEY) and `units`, e.g.\n  month,team,units\n  2026-10,support,1840";

/// Reads an outcomes CSV. Every problem names the file and line.
pub fn read_outcomes(path: &Path, text: &str) -> Result<Outcomes> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| line_error(path, 1, format!("cannot read the header: {e}"), HINT))?
        .clone();
    let names: Vec<String> = headers.iter().map(|h| h.to_ascii_lowercase()).collect();
    let find = |n: &str| names.iter().position(|h| h == n);
    let (grain, period_at) = match (find("month"), find("date").or_else(|| find("day"))) {
        (Some(i), None) => (Grain::Month, i),
        (None, Some(i)) => (Grain::Day, i),
        (Some(_), Some(_)) => return Err(line_error(path, 1, "both `month` and `date` columns: use one", HINT)),
        (None, None) => return Err(line_error(path, 1, "no `month` or `date` column", HINT)),
    };
    let Some(units_at) = find("units") else {
        return Err(line_error(path, 1, "no `units` column", HINT));
    };
    let dims: Vec<(usize, Dim)> = names
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != period_at && *i != units_at)
        .map(|(i, n)| {
            let d = match n.as_str() {
                "team" => Some(Dim::Team),
                "template" => Some(Dim::Template),
                "user" | "user_id" => Some(Dim::User),
                other if other.starts_with("tag:") => Dim::parse(&headers[i]),
                _ => None,
            };
            d.map(|d| (i, d)).ok_or_else(|| {
                line_error(
                    path,
                    1,
                    format!("unknown column `{}`", &headers[i]),
                    "the dimension column is one of team, template, user or tag:KEY",
                )
            })
        })
        .collect::<Result<_>>()?;
    let (dim_at, dim) = match dims.as_slice() {
        [one] => *one,
        [] => {
            return Err(line_error(
                path,
                1,
                "no dimension column (team, template, user or tag:KEY)",
                HINT,
            ));
        }
        _ => {
            return Err(line_error(
                path,
                1,
                format!("{} dimension columns: an outcomes file joins on one", dims.len()),
                HINT,
            ));
        }
    };
    let mut units = BTreeMap::new();
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let record = record.map_err(|e| line_error(path, line, e, HINT))?;
        let period = record.get(period_at).unwrap_or("").to_string();
        let valid = match grain {
            Grain::Month => period.len() == 7 && format!("{period}-01").parse::<jiff::civil::Date>().is_ok(),
            Grain::Day => period.len() == 10 && period.parse::<jiff::civil::Date>().is_ok(),
        };
        if !valid {
            let want = if grain == Grain::Month {
                "a month (YYYY-MM)"
            } else {
                "a date (YYYY-MM-DD)"
            };
            return Err(line_error(path, line, format!("`{period}` is not {want}"), HINT));
        }
        let value = record.get(dim_at).unwrap_or("").to_string();
        if value.is_empty() {
            return Err(line_error(path, line, format!("empty `{}`", dim.name()), HINT));
        }
        let raw = record.get(units_at).unwrap_or("");
        let n: f64 = match raw.replace('_', "").parse::<f64>() {
            Ok(n) if n.is_finite() && n >= 0.0 => n,
            Ok(_) => {
                return Err(line_error(
                    path,
                    line,
                    format!("`units` is `{raw}`: a count is ≥ 0"),
                    HINT,
                ));
            }
            Err(_) => {
                return Err(line_error(
                    path,
                    line,
                    format!("`units` is `{raw}`, not a number"),
                    HINT,
                ));
            }
        };
        if units.insert((period.clone(), value.clone()), n).is_some() {
            return Err(line_error(
                path,
                line,
                format!("a second row for {period} and {} `{value}`", dim.name()),
                "give each period and value one row (add the units up)",
            ));
        }
    }
    Ok(Outcomes { grain, dim, units })
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitRow {
    pub period: String,
    /// The dimension's value (a team, template, user or tag value); for runs, the template.
    pub value: Option<String>,
    pub units: f64,
    pub cost_usd: Usd,
    /// Cost ÷ units; `None` when no units.
    pub cost_per_unit_usd: Option<Usd>,
    /// The same value's cost per unit in the period before, when there is one.
    pub previous_cost_per_unit_usd: Option<Usd>,
    /// Change against the previous period, percent.
    pub change_pct: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitReport {
    pub schema: &'static str,
    pub currency: &'static str,
    /// `outcome` (from a file) or `run` (sessions).
    pub unit: &'static str,
    pub grain: Grain,
    /// The dimension joined on (`template` for runs).
    pub dimension: String,
    pub rows: Vec<UnitRow>,
    /// Spend in the outcomes' periods that no outcome row covers.
    pub uncovered_usd: Usd,
}

fn per_unit(cost: Usd, units: f64) -> Option<Usd> {
    if units <= 0.0 {
        return None;
    }
    // Units may be fractional: divide at a micro-unit resolution, exactly.
    let micro = (units * 1e6).round() as i128;
    (micro > 0).then(|| cost.times(1_000_000).ratio(1, micro))
}

fn with_trend(mut rows: Vec<UnitRow>) -> Vec<UnitRow> {
    let mut last: BTreeMap<Option<String>, Usd> = BTreeMap::new();
    rows.sort_by(|a, b| a.value.cmp(&b.value).then(a.period.cmp(&b.period)));
    for r in &mut rows {
        if let (Some(now), Some(before)) = (r.cost_per_unit_usd, last.get(&r.value)) {
            r.previous_cost_per_unit_usd = Some(*before);
            if !before.is_zero() {
                // In hundredths of a basis point, exactly, then as a percent.
                let change = (now - *before).atto().saturating_mul(1_000_000) / before.atto();
                r.change_pct = Some(change as f64 / 10_000.0);
            }
        }
        match r.cost_per_unit_usd {
            Some(c) => last.insert(r.value.clone(), c),
            None => last.remove(&r.value),
        };
    }
    rows.sort_by(|a, b| a.period.cmp(&b.period).then(a.value.cmp(&b.value)));
    rows
}

/// Cost per outcome: the spend of each (period, value) of the file ÷ its units.
pub fn per_outcome(store: Option<&Store>, outcomes: &Outcomes, filter: &Filter) -> Result<UnitReport> {
    let first = outcomes.units.keys().next().map(|k| k.0.clone()).unwrap_or_default();
    let last = outcomes
        .units
        .keys()
        .next_back()
        .map(|k| k.0.clone())
        .unwrap_or_default();
    let (since, until) = match outcomes.grain {
        Grain::Month => (format!("{first}-01"), format!("{last}-31")),
        Grain::Day => (first, last),
    };
    let filter = Filter {
        since: Some(since),
        until: Some(until),
        ..filter.clone()
    };
    let mut spend: BTreeMap<(String, String), i64> = BTreeMap::new();
    if let Some(s) = store {
        let (grain, dim) = (outcomes.grain.dim(), outcomes.dim);
        for (k, sums) in s.sums(&[grain, dim], &filter)? {
            spend.insert((k.value(grain).to_string(), k.value(dim).to_string()), sums.cost_nanos);
        }
    }
    let periods: std::collections::BTreeSet<&String> = outcomes.units.keys().map(|k| &k.0).collect();
    let uncovered: i64 = spend
        .iter()
        .filter(|(k, _)| periods.contains(&k.0) && !outcomes.units.contains_key(*k))
        .map(|(_, c)| *c)
        .sum();
    let rows = outcomes
        .units
        .iter()
        .map(|((period, value), units)| {
            let cost = Usd::from_nanos(spend.get(&(period.clone(), value.clone())).copied().unwrap_or(0));
            UnitRow {
                period: period.clone(),
                value: Some(value.clone()),
                units: *units,
                cost_usd: cost,
                cost_per_unit_usd: per_unit(cost, *units),
                previous_cost_per_unit_usd: None,
                change_pct: None,
            }
        })
        .collect();
    Ok(UnitReport {
        schema: "cost.unit/v1",
        currency: "USD",
        unit: "outcome",
        grain: outcomes.grain,
        dimension: outcomes.dim.name().to_string(),
        rows: with_trend(rows),
        uncovered_usd: Usd::from_nanos(uncovered),
    })
}

/// Cost per run: per month and template, the runs (sessions) that started in it.
pub fn per_run(store: Option<&Store>, filter: &Filter) -> Result<UnitReport> {
    let runs = match store {
        Some(s) => super::runs::collect(s, filter)?,
        None => Vec::new(),
    };
    let mut cells: BTreeMap<(String, Option<String>), (i64, f64)> = BTreeMap::new();
    for r in &runs {
        let cell = cells
            .entry((r.start.get(..7).unwrap_or("").to_string(), r.template.clone()))
            .or_default();
        cell.0 = cell.0.saturating_add(r.cost_nanos);
        cell.1 += 1.0;
    }
    let rows = cells
        .into_iter()
        .map(|((period, value), (cost, n))| {
            let cost = Usd::from_nanos(cost);
            UnitRow {
                period,
                value,
                units: n,
                cost_usd: cost,
                cost_per_unit_usd: per_unit(cost, n),
                previous_cost_per_unit_usd: None,
                change_pct: None,
            }
        })
        .collect();
    Ok(UnitReport {
        schema: "cost.unit/v1",
        currency: "USD",
        unit: "run",
        grain: Grain::Month,
        dimension: "template".to_string(),
        rows: with_trend(rows),
        uncovered_usd: Usd::ZERO,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> std::result::Result<Outcomes, String> {
        read_outcomes(Path::new("o.csv"), text).map_err(|e| match e {
            Error::Usage { message, .. } => message,
            other => other.to_string(),
        })
    }

    #[test]
    fn outcomes_read_by_month_and_by_tag() {
        let o = read("month,tag:feature,units\n2026-10,chat,1200\n2026-11,chat,1_500\n").unwrap();
        assert_eq!(o.grain, Grain::Month);
        assert_eq!(o.dim, Dim::tag("feature"));
        assert_eq!(o.units[&("2026-11".to_string(), "chat".to_string())], 1500.0);
    }

    #[test]
    fn bad_outcome_files_name_the_line() {
        assert_eq!(read("month,team\n").unwrap_err(), "o.csv:1: no `units` column");
        assert_eq!(
            read("week,team,units\n").unwrap_err(),
            "o.csv:1: no `month` or `date` column"
        );
        assert_eq!(
            read("month,team,template,units\n").unwrap_err(),
            "o.csv:1: 2 dimension columns: an outcomes file joins on one"
        );
        assert_eq!(
            read("month,team,units\n2026-10,a,1\n2026-13,a,2\n").unwrap_err(),
            "o.csv:3: `2026-13` is not a month (YYYY-MM)"
        );
        assert_eq!(
            read("date,team,units\n2026-10-01,a,many\n").unwrap_err(),
            "o.csv:2: `units` is `many`, not a number"
        );
        assert_eq!(
            read("month,team,units\n2026-10,a,-3\n").unwrap_err(),
            "o.csv:2: `units` is `-3`: a count is ≥ 0"
        );
        assert_eq!(
            read("month,team,units\n2026-10,a,1\n2026-10,a,2\n").unwrap_err(),
            "o.csv:3: a second row for 2026-10 and team `a`"
        );
        assert!(
            read("month,team,units\n2026-10,a\n")
                .unwrap_err()
                .starts_with("o.csv:2: ")
        );
    }

    #[test]
    fn cost_per_unit_is_exact_and_the_trend_compares_like_with_like() {
        // $10 over 4 units = $2.50; $9 over 3 units = $3.00: +20 %.
        let rows = with_trend(vec![
            UnitRow {
                period: "2026-11".into(),
                value: Some("a".into()),
                units: 3.0,
                cost_usd: Usd::from_nanos(9_000_000_000),
                cost_per_unit_usd: per_unit(Usd::from_nanos(9_000_000_000), 3.0),
                previous_cost_per_unit_usd: None,
                change_pct: None,
            },
            UnitRow {
                period: "2026-10".into(),
                value: Some("a".into()),
                units: 4.0,
                cost_usd: Usd::from_nanos(10_000_000_000),
                cost_per_unit_usd: per_unit(Usd::from_nanos(10_000_000_000), 4.0),
                previous_cost_per_unit_usd: None,
                change_pct: None,
            },
        ]);
        assert_eq!(rows[0].period, "2026-10");
        assert_eq!(rows[0].cost_per_unit_usd, Some(Usd::from_nanos(2_500_000_000)));
        assert_eq!(rows[1].previous_cost_per_unit_usd, Some(Usd::from_nanos(2_500_000_000)));
        assert_eq!(rows[1].change_pct, Some(20.0));
        assert_eq!(per_unit(Usd::from_nanos(1), 0.0), None);
    }
}
