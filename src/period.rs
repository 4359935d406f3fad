//! Date ranges for reports: `2026-10-01`, `2026-10`, `7d`, `today`, `this-month`,
//! `last-month`, … Pure: "today" is passed in.

use jiff::ToSpan;
use jiff::civil::Date;

/// An inclusive range of UTC days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub since: Date,
    pub until: Date,
}

impl Period {
    /// The month to date.
    pub fn month_to_date(today: Date) -> Period {
        Period {
            since: today.first_of_month(),
            until: today,
        }
    }

    /// The last `n` days, today included.
    pub fn last_days(today: Date, n: i64) -> Period {
        Period {
            since: today.checked_sub((n - 1).max(0).days()).unwrap_or(today),
            until: today,
        }
    }

    pub fn days(&self) -> i64 {
        (self.until - self.since)
            .total((jiff::Unit::Day, self.since))
            .map(|d| d as i64 + 1)
            .unwrap_or(0)
    }
}

const HELP: &str = "use a date (2026-10-01), a month (2026-10), a number of days (7d, 30d), today, yesterday, this-month or last-month";

/// Parses `--since` into a range: a single day or a date starts a range that runs to the
/// end of what it names (a month runs to its last day; `7d` to today).
pub fn parse(text: &str, today: Date) -> Result<Period, String> {
    let t = text.trim().to_ascii_lowercase();
    let whole_month = |d: Date| Period {
        since: d.first_of_month(),
        until: d.last_of_month(),
    };
    let p = match t.as_str() {
        "today" => Period {
            since: today,
            until: today,
        },
        "yesterday" => {
            let y = today.yesterday().map_err(|e| e.to_string())?;
            Period { since: y, until: y }
        }
        "this-month" | "month" => Period::month_to_date(today),
        "last-month" => whole_month(today.first_of_month().yesterday().map_err(|e| e.to_string())?),
        "this-year" => Period {
            since: Date::new(today.year(), 1, 1).map_err(|e| e.to_string())?,
            until: today,
        },
        _ => {
            if let Some(n) = t
                .strip_suffix('d')
                .and_then(|n| n.parse::<i64>().ok())
                .filter(|n| *n > 0)
            {
                Period::last_days(today, n)
            } else if let Ok(d) = t.parse::<Date>() {
                Period {
                    since: d,
                    until: today.max(d),
                }
            } else if let Ok(d) = format!("{t}-01").parse::<Date>() {
                whole_month(d)
            } else {
                return Err(format!("`{text}` is not a date or period: {HELP}"));
            }
        }
    };
    Ok(p)
}

/// Parses `--until`: a date, or a month (its last day).
pub fn parse_until(text: &str, today: Date) -> Result<Date, String> {
    let t = text.trim().to_ascii_lowercase();
    match t.as_str() {
        "today" => Ok(today),
        "yesterday" => today.yesterday().map_err(|e| e.to_string()),
        _ => t
            .parse::<Date>()
            .or_else(|_| format!("{t}-01").parse::<Date>().map(|d| d.last_of_month()))
            .map_err(|_| format!("`{text}` is not a date: use 2026-10-31, a month (2026-10), today or yesterday")),
    }
}

/// `--since`/`--until` together; `default` when neither is given.
pub fn resolve(since: Option<&str>, until: Option<&str>, today: Date, default: Period) -> Result<Period, String> {
    let mut p = match since {
        Some(s) => parse(s, today)?,
        None => default,
    };
    if let Some(u) = until {
        p.until = parse_until(u, today)?;
        if since.is_none() && p.until < p.since {
            p.since = p.until.first_of_month();
        }
    }
    if p.until < p.since {
        return Err(format!("--until {} is before --since {}", p.until, p.since));
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn periods() {
        let today = date(2026, 11, 26);
        assert_eq!(
            parse("7d", today).unwrap(),
            Period {
                since: date(2026, 11, 20),
                until: today
            }
        );
        assert_eq!(
            parse("last-month", today).unwrap(),
            Period {
                since: date(2026, 10, 1),
                until: date(2026, 10, 31)
            }
        );
        assert_eq!(
            parse("2026-09", today).unwrap(),
            Period {
                since: date(2026, 9, 1),
                until: date(2026, 9, 30)
            }
        );
        assert_eq!(parse("2026-11-01", today).unwrap().until, today);
        assert_eq!(Period::month_to_date(today).days(), 26);
        assert!(parse("lastweek", today).is_err());
        assert_eq!(
            resolve(
                Some("2026-09-01"),
                Some("2026-09-10"),
                today,
                Period::month_to_date(today)
            )
            .unwrap(),
            Period {
                since: date(2026, 9, 1),
                until: date(2026, 9, 10)
            }
        );
        assert!(
            resolve(
                Some("2026-09-10"),
                Some("2026-09-01"),
                today,
                Period::month_to_date(today)
            )
            .is_err()
        );
    }
}
