//! Exact money and fixed-point quantities: no float ever touches a sum.
//!
//! `Usd` counts atto-dollars (1e-18 USD) in an `i128`. Per-token prices from the price table
//! (e.g. `2.5e-06`) are decimal numbers with few digits, so they are exact in this unit, and a
//! product of a price with a token count (or a fraction of one, see [`Micro`]) stays exact.
//! Display rounds; sums never do.

use serde::{Serialize, Serializer};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub};

const ATTO_PER_USD: i128 = 1_000_000_000_000_000_000;
const MICRO: i128 = 1_000_000;

/// An amount of US dollars, exact to 1e-18.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Usd(i128);

impl Usd {
    pub const ZERO: Usd = Usd(0);

    pub fn from_atto(atto: i128) -> Usd {
        Usd(atto)
    }

    pub fn atto(self) -> i128 {
        self.0
    }

    /// An amount stored in nano-dollars (the store's unit).
    pub fn from_nanos(nanos: i64) -> Usd {
        Usd(nanos as i128 * 1_000_000_000)
    }

    /// A sum of nano-dollars wider than the store's (summed in `i128`).
    pub fn from_nanos_wide(nanos: i128) -> Usd {
        Usd(nanos.saturating_mul(1_000_000_000))
    }

    /// Nano-dollars computed as a float (a median, a mean), rounded to the nearest one.
    pub fn from_nanos_f64(nanos: f64) -> Usd {
        Usd((nanos.round() as i128).saturating_mul(1_000_000_000))
    }

    /// Parses a plain or scientific decimal (`"0.012"`, `"2.5e-06"`, `"3"`) exactly.
    pub fn parse(text: &str) -> Option<Usd> {
        parse_scaled(text, 18).map(Usd)
    }

    /// Converts a price read from JSON. The shortest decimal that round-trips the float is
    /// the number the table's author wrote, so this recovers it exactly.
    pub fn from_f64(value: f64) -> Option<Usd> {
        if !value.is_finite() {
            return None;
        }
        Usd::parse(&format!("{value:e}"))
    }

    /// Price per million tokens → price per token.
    pub fn per_million_to_per_token(self) -> Usd {
        Usd(div_round(self.0, 1_000_000))
    }

    /// This amount times an integer count.
    pub fn times(self, n: i128) -> Usd {
        Usd(self.0 * n)
    }

    /// This amount times a fixed-point quantity (rounded half-even at 1e-18 USD).
    pub fn times_micro(self, quantity: Micro) -> Usd {
        // Split so that large amounts times large quantities stay inside i128.
        let whole = self.0.div_euclid(MICRO) * quantity.0;
        let part = div_round(self.0.rem_euclid(MICRO) * quantity.0, MICRO);
        Usd(whole + part)
    }

    /// [`Usd::times`], or `None` when the product does not fit.
    pub fn checked_times(self, n: i128) -> Option<Usd> {
        self.0.checked_mul(n).map(Usd)
    }

    /// [`Usd::times_micro`], or `None` when the product does not fit.
    pub fn checked_times_micro(self, quantity: Micro) -> Option<Usd> {
        let whole = self.0.div_euclid(MICRO).checked_mul(quantity.0)?;
        let part = div_round(self.0.rem_euclid(MICRO).checked_mul(quantity.0)?, MICRO);
        whole.checked_add(part).map(Usd)
    }

    /// The sum, or `None` when it does not fit.
    pub fn checked_add(self, other: Usd) -> Option<Usd> {
        self.0.checked_add(other.0).map(Usd)
    }

    /// This amount times `num / den`, rounded half-even at 1e-18 USD.
    pub fn ratio(self, num: i128, den: i128) -> Usd {
        Usd(div_round(self.0 * num, den))
    }

    pub fn abs(self) -> Usd {
        Usd(self.0.abs())
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// Nano-dollars, rounded half-even: the unit the store keeps.
    /// Amounts beyond ±$9.2 billion are clamped, never wrapped.
    pub fn nanos(self) -> i64 {
        let n = div_round(self.0, 1_000_000_000);
        n.clamp(i64::MIN as i128, i64::MAX as i128) as i64
    }

    /// The exact decimal value, trailing zeros trimmed (`"0.007085"`).
    pub fn to_decimal_string(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let int = abs / ATTO_PER_USD as u128;
        let frac = abs % ATTO_PER_USD as u128;
        if frac == 0 {
            return format!("{sign}{int}");
        }
        let frac = format!("{frac:018}");
        format!("{sign}{int}.{}", frac.trim_end_matches('0'))
    }

    /// The value as the nearest `f64`, for JSON numbers.
    pub fn to_f64(self) -> f64 {
        self.to_decimal_string().parse().unwrap_or(f64::NAN)
    }

    /// Rounds half away from zero (as invoices do) to `decimals` places and formats with
    /// exactly that many. Only display rounds; sums never do.
    pub fn format_fixed(self, decimals: u32) -> String {
        let unit = 10i128.pow(18 - decimals);
        let half_up = (self.0.abs() + unit / 2) / unit;
        let rounded = if self.0 < 0 { -half_up } else { half_up };
        let sign = if rounded < 0 { "-" } else { "" };
        let abs = rounded.unsigned_abs();
        let scale = 10u128.pow(decimals);
        let int = group_thousands(&(abs / scale).to_string());
        if decimals == 0 {
            format!("{sign}{int}")
        } else {
            format!("{sign}{int}.{:0width$}", abs % scale, width = decimals as usize)
        }
    }
}

impl Add for Usd {
    type Output = Usd;
    fn add(self, rhs: Usd) -> Usd {
        Usd(self.0 + rhs.0)
    }
}

impl AddAssign for Usd {
    fn add_assign(&mut self, rhs: Usd) {
        self.0 += rhs.0;
    }
}

impl Sub for Usd {
    type Output = Usd;
    fn sub(self, rhs: Usd) -> Usd {
        Usd(self.0 - rhs.0)
    }
}

impl Neg for Usd {
    type Output = Usd;
    fn neg(self) -> Usd {
        Usd(-self.0)
    }
}

impl Sum for Usd {
    fn sum<I: Iterator<Item = Usd>>(iter: I) -> Usd {
        iter.fold(Usd::ZERO, Add::add)
    }
}

impl fmt::Display for Usd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "${}", self.to_decimal_string())
    }
}

/// JSON money is a number in USD (DESIGN §5).
impl Serialize for Usd {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.to_f64())
    }
}

/// A non-negative-or-negative fixed-point number with six decimals: rates, fractional token
/// counts, days per month.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Micro(pub i128);

impl Micro {
    pub const ZERO: Micro = Micro(0);

    pub fn from_int(n: i128) -> Micro {
        Micro(n * MICRO)
    }

    /// Parses a decimal with at most six fractional digits; more digits are rounded.
    pub fn parse(text: &str) -> Option<Micro> {
        parse_scaled(text, 6).map(Micro)
    }

    pub fn from_f64(value: f64) -> Option<Micro> {
        if !value.is_finite() {
            return None;
        }
        Micro::parse(&format!("{value:e}"))
    }

    pub fn times(self, other: Micro) -> Micro {
        Micro(div_round(self.0 * other.0, MICRO))
    }

    pub fn to_f64(self) -> f64 {
        self.0 as f64 / MICRO as f64
    }

    /// Rounded to the nearest integer, half-even.
    pub fn round(self) -> i128 {
        div_round(self.0, MICRO)
    }
}

impl Add for Micro {
    type Output = Micro;
    fn add(self, rhs: Micro) -> Micro {
        Micro(self.0 + rhs.0)
    }
}

impl Sub for Micro {
    type Output = Micro;
    fn sub(self, rhs: Micro) -> Micro {
        Micro(self.0 - rhs.0)
    }
}

impl fmt::Display for Micro {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let abs = self.0.unsigned_abs();
        let sign = if self.0 < 0 { "-" } else { "" };
        let frac = abs % MICRO as u128;
        if frac == 0 {
            write!(f, "{sign}{}", abs / MICRO as u128)
        } else {
            let digits = format!("{frac:06}");
            write!(f, "{sign}{}.{}", abs / MICRO as u128, digits.trim_end_matches('0'))
        }
    }
}

/// Whole values serialise as integers (`30`), others as decimals (`0.6`).
impl Serialize for Micro {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0 % MICRO == 0 {
            serializer.serialize_i64((self.0 / MICRO) as i64)
        } else {
            serializer.serialize_f64(self.to_f64())
        }
    }
}

/// Integer division rounding half to even.
fn div_round(num: i128, den: i128) -> i128 {
    let q = num.div_euclid(den);
    let r = num.rem_euclid(den);
    match (2 * r).cmp(&den) {
        std::cmp::Ordering::Less => q,
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Equal => q + (q & 1),
    }
}

/// Parses `[-]digits[.digits][e[+-]digits]` into an integer scaled by 10^scale, rounding
/// half-even past that precision.
fn parse_scaled(text: &str, scale: i32) -> Option<i128> {
    let text = text.trim();
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], text[at + 1..].parse::<i32>().ok()?),
        None => (text, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    if !int_part.bytes().chain(frac_part.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits: String = format!("{int_part}{frac_part}");
    let digits = digits.trim_start_matches('0');
    if digits.len() > 36 {
        return None;
    }
    let value: i128 = if digits.is_empty() { 0 } else { digits.parse().ok()? };
    // value × 10^(exponent − frac_len + scale)
    let shift = exponent - frac_part.len() as i32 + scale;
    let scaled = if shift >= 0 {
        value.checked_mul(10i128.checked_pow(shift as u32)?)?
    } else if -shift > 38 {
        0
    } else {
        div_round(value, 10i128.pow((-shift) as u32))
    };
    Some(if negative { -scaled } else { scaled })
}

/// A per-token price as USD per million tokens: `2.50`, `0.075`, `15.00`.
pub fn per_million(per_token: Usd) -> String {
    let v = per_token.times(1_000_000);
    let exact = v.to_decimal_string();
    let decimals = exact.split_once('.').map(|(_, f)| f.len()).unwrap_or(0);
    v.format_fixed(decimals.clamp(2, 6) as u32)
}

/// `1234567` → `1,234,567`.
pub fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_prices_are_exact() {
        // 2.5e-06 USD per token is 2.5e12 atto-USD.
        assert_eq!(Usd::from_f64(2.5e-06).unwrap().atto(), 2_500_000_000_000);
        assert_eq!(Usd::from_f64(3.75e-07).unwrap().atto(), 375_000_000_000);
        assert_eq!(Usd::parse("0.012").unwrap().atto(), 12_000_000_000_000_000);
        assert_eq!(Usd::parse("1e-9").unwrap().atto(), 1_000_000_000);
        assert_eq!(Usd::parse("abc"), None);
        assert_eq!(Usd::parse(""), None);
    }

    #[test]
    fn seed_case_is_exact() {
        // $0.012 per 1K input tokens = $0.000012 per token; 400 tokens = $0.0048 per call;
        // × 15,000 calls = $72.00 per day; × 30 = $2,160.00 per month.
        let per_token = Usd::parse("0.012").unwrap().ratio(1, 1000);
        let per_call = per_token.times(400);
        assert_eq!(per_call.to_decimal_string(), "0.0048");
        let per_day = per_call.times(15_000);
        assert_eq!(per_day.to_decimal_string(), "72");
        assert_eq!(per_day.times(30).format_fixed(2), "2,160.00");
    }

    #[test]
    fn no_float_drift_in_sums() {
        // 0.1 + 0.2 in f64 is 0.30000000000000004; here it is 0.3.
        let sum: Usd = [Usd::parse("0.1").unwrap(), Usd::parse("0.2").unwrap()]
            .into_iter()
            .sum();
        assert_eq!(sum.to_decimal_string(), "0.3");
        assert_eq!(sum.to_f64(), 0.3);
    }

    #[test]
    fn display_rounds_half_away_from_zero_and_storage_half_even() {
        assert_eq!(Usd::parse("0.125").unwrap().format_fixed(2), "0.13");
        assert_eq!(Usd::parse("300.525").unwrap().format_fixed(2), "300.53");
        assert_eq!(Usd::parse("-1234.5").unwrap().format_fixed(0), "-1,235");
        assert_eq!(Usd::parse("0.124999").unwrap().format_fixed(2), "0.12");
        // Nano-dollars for the store: half-even.
        assert_eq!(Usd::parse("0.0000000015").unwrap().nanos(), 2);
        assert_eq!(Usd::parse("0.0000000025").unwrap().nanos(), 2);
    }

    #[test]
    fn checked_products_refuse_to_wrap() {
        let cent = Usd::parse("0.01").unwrap();
        assert_eq!(cent.checked_times(300), Some(Usd::parse("3").unwrap()));
        assert_eq!(
            cent.checked_times_micro(Micro::parse("2.5").unwrap()),
            Some(Usd::parse("0.025").unwrap())
        );
        assert_eq!(cent.checked_times_micro(Micro(i128::MAX / 1000)), None);
        assert_eq!(Usd::from_atto(i128::MAX).checked_times(2), None);
        assert_eq!(Usd::from_atto(i128::MAX).checked_add(Usd::from_atto(1)), None);
        assert_eq!(cent.checked_add(cent), Some(Usd::parse("0.02").unwrap()));
    }

    #[test]
    fn micro_parses_rates() {
        assert_eq!(Micro::parse("0.6"), Some(Micro(600_000)));
        assert_eq!(Micro::parse("30"), Some(Micro(30_000_000)));
        assert_eq!(Micro::parse("1e-3"), Some(Micro(1_000)));
        assert_eq!(Micro(600_000).times(Micro::from_int(1210)), Micro(726_000_000));
        assert_eq!(Micro(726_000_000).to_string(), "726");
        assert_eq!(Micro(1_500_000).to_string(), "1.5");
    }
}
