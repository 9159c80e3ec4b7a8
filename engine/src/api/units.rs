//! Quantities with units: `parse_duration(s)` → seconds, `parse_size(s)` →
//! bytes, `parse_cpu(s)` → Kubernetes millicores. Each takes a string or a
//! number and returns an integer, or `()` when the value cannot be read
//! (missing, negative, unknown unit, overflow), so a rule can treat "not a
//! valid quantity" explicitly.
//!
//! Numbers are exact decimals (at most 20 digits), never floats, so
//! `1.5Gi` is exactly 1610612736 bytes.

use super::common::func;
use rhai::{Dynamic, Engine, ImmutableString, INT};

/// A non-negative decimal as (all digits as an integer, number of fraction digits).
fn decimal(s: &str) -> Option<(u128, u32)> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) || int.len() + frac.len() > 20 {
        return None;
    }
    let mantissa = int.bytes().chain(frac.bytes()).fold(0u128, |m, b| m * 10 + u128::from(b - b'0'));
    Some((mantissa, frac.len() as u32))
}

/// `s` split into its leading number and the rest (left-trimmed).
fn number_and_rest(s: &str) -> Option<((u128, u32), &str)> {
    let end = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
    Some((decimal(&s[..end])?, s[end..].trim_start()))
}

/// `mantissa / 10^scale * unit`, rounded down (or up), if it fits.
fn scale(number: (u128, u32), unit: u128, round_up: bool) -> Option<u128> {
    let (mantissa, fraction_digits) = number;
    let product = mantissa.checked_mul(unit)?;
    let divisor = 10u128.pow(fraction_digits);
    Some(if round_up { product.div_ceil(divisor) } else { product / divisor })
}

fn to_int(n: u128) -> Option<INT> {
    INT::try_from(n).ok()
}

const NANOS_PER_SECOND: u128 = 1_000_000_000;

fn duration_unit_nanos(unit: &str) -> Option<u128> {
    let seconds = match unit {
        "ns" | "nanosecond" | "nanoseconds" => return Some(1),
        "us" | "µs" | "microsecond" | "microseconds" => return Some(1_000),
        "ms" | "millisecond" | "milliseconds" => return Some(1_000_000),
        "s" | "sec" | "secs" | "second" | "seconds" => 1,
        "m" | "min" | "mins" | "minute" | "minutes" => 60,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3_600,
        "d" | "day" | "days" => 86_400,
        "w" | "wk" | "wks" | "week" | "weeks" => 604_800,
        _ => return None,
    };
    Some(seconds * NANOS_PER_SECOND)
}

/// The ISO 8601 duration after its `P`: weeks, days, and after `T` hours,
/// minutes, seconds. Years and months have no fixed length and are refused.
fn iso_duration(rest: &str) -> Option<u128> {
    let (date, time) = match rest.split_once(['T', 't']) {
        Some((d, t)) if !t.is_empty() => (d, Some(t)),
        Some(_) => return None,
        None => (rest, None),
    };
    let mut total = 0u128;
    let mut any = false;
    for (part, in_time) in [(date, false), (time.unwrap_or(""), true)] {
        let mut rest = part;
        while !rest.is_empty() {
            let (number, after) = number_and_rest(rest)?;
            let designator = after.chars().next()?.to_ascii_uppercase();
            let seconds = match (designator, in_time) {
                ('W', false) => 604_800,
                ('D', false) => 86_400,
                ('H', true) => 3_600,
                ('M', true) => 60,
                ('S', true) => 1,
                _ => return None,
            };
            total = total.checked_add(scale(number, seconds * NANOS_PER_SECOND, false)?)?;
            any = true;
            rest = &after[1..];
        }
    }
    any.then_some(total)
}

/// Seconds in a duration such as `90s`, `15m`, `1h30m`, `2d`, `1w`,
/// `1.5h`, `500ms` (rounded down), `PT15M` (ISO 8601) or `300` (seconds).
pub fn parse_duration(s: &str) -> Option<INT> {
    let s = s.trim();
    if s.is_empty() || s.len() > 256 {
        return None;
    }
    if let Some(rest) = s.strip_prefix(['P', 'p']) {
        return to_int(iso_duration(rest)? / NANOS_PER_SECOND);
    }
    if let Some(seconds) = decimal(s) {
        return to_int(scale(seconds, 1, false)?);
    }
    let mut total = 0u128;
    let mut rest = s;
    while !rest.is_empty() {
        let (number, after) = number_and_rest(rest)?;
        let unit_end = after.find(|c: char| !c.is_alphabetic()).unwrap_or(after.len());
        let nanos = duration_unit_nanos(&after[..unit_end].to_lowercase())?;
        total = total.checked_add(scale(number, nanos, false)?)?;
        rest = after[unit_end..].trim_start();
    }
    to_int(total / NANOS_PER_SECOND)
}

fn size_unit(suffix: &str) -> Option<u128> {
    // Docker and the JVM write `512m`, `2g`: binary. (Kubernetes' `m` is
    // "milli", which means nothing for bytes.)
    match suffix {
        "" | "b" | "B" => return Some(1),
        "m" => return Some(1 << 20),
        "g" => return Some(1 << 30),
        "t" => return Some(1 << 40),
        _ => {}
    }
    let lower = suffix.to_ascii_lowercase();
    let lower = lower.strip_suffix('b').unwrap_or(&lower);
    let (prefix, binary) = match lower.strip_suffix('i') {
        Some(p) => (p, true),
        None => (lower, false),
    };
    let power = match prefix {
        "k" => 1,
        "m" => 2,
        "g" => 3,
        "t" => 4,
        "p" => 5,
        "e" => 6,
        _ => return None,
    };
    Some(if binary { 1024u128 } else { 1000u128 }.pow(power))
}

/// Bytes in a size such as `10Gi`, `512Mi`, `1G`, `100k`, `1.5Gi`, `2GB`,
/// `512m` (Docker: MiB), `129e6` or `1024`; rounded down.
pub fn parse_size(s: &str) -> Option<INT> {
    let s = s.trim();
    if s.len() > 64 {
        return None;
    }
    let (number, suffix) = number_and_rest(s)?;
    let unit = match suffix.strip_prefix(['e', 'E']) {
        Some(exp) if !exp.is_empty() && exp.len() <= 2 && exp.bytes().all(|b| b.is_ascii_digit()) => {
            10u128.checked_pow(exp.parse().ok()?)?
        }
        _ => size_unit(suffix)?,
    };
    to_int(scale(number, unit, false)?)
}

/// Millicores in a Kubernetes CPU quantity: `500m`, `0.5`, `2`, `250000u`,
/// `1000000n`; finer than a millicore rounds up, as Kubernetes does.
pub fn parse_cpu(s: &str) -> Option<INT> {
    let s = s.trim();
    if s.len() > 64 {
        return None;
    }
    let (number, suffix) = number_and_rest(s)?;
    let nanocores = match suffix {
        "" => 1_000_000_000,
        "m" => 1_000_000,
        "u" | "µ" => 1_000,
        "n" => 1,
        _ => return None,
    };
    to_int(scale(number, nanocores, true)?.div_ceil(1_000_000))
}

/// Applies `parse` to a string, or to a number written out (`2` → `"2"`,
/// `0.3` → `"0.3"`), so numbers get the same exact decimal reading.
fn quantity(v: &Dynamic, parse: fn(&str) -> Option<INT>) -> Dynamic {
    let out = if let Some(s) = v.read_lock::<ImmutableString>() {
        parse(&s)
    } else if let Ok(i) = v.as_int() {
        parse(&i.to_string())
    } else if let Ok(f) = v.as_float() {
        parse(&f.to_string())
    } else {
        None
    };
    out.map_or(Dynamic::UNIT, Dynamic::from_int)
}

pub fn register(engine: &mut Engine) {
    func(
        "parse_duration",
        &["s: &str", "int"],
        "A duration in whole seconds (rounded down). Units: `ns`, `us`, `ms`, `s`, `m`, `h`, `d`, `w`\n\
         (or `sec`, `min`, `hours`, `days`, `weeks`, …), combinable (`1h30m`, `1h 30m`) and fractional (`1.5h`);\n\
         ISO 8601 `PT15M`, `P1DT2H`, `P2W`; a plain number is seconds. Numbers pass through.\n\
         `()` if unreadable, negative, or an ISO duration with years or months.\n\
         ```rhai\n\
         parse_duration(\"1h30m\") == 5400 && parse_duration(\"2d\") == 172800 && parse_duration(\"PT15M\") == 900\n\
             && parse_duration(\"90\") == 90 && parse_duration(\"soon\") == ()\n\
         ```",
    )
    .register_into_engine(engine, |v: Dynamic| quantity(&v, parse_duration));
    func(
        "parse_size",
        &["s: &str", "int"],
        "A size in bytes (rounded down). `Ki`, `Mi`, `Gi`, `Ti`, `Pi`, `Ei` (and `KiB`, …) are powers of 1024;\n\
         `k`, `M`, `G`, `T`, `P`, `E` (and `kB`, `MB`, …) powers of 1000, as in Kubernetes;\n\
         lower-case `m`, `g`, `t` alone are Docker/JVM sizes (`512m` = 512 MiB); `129e6` is an exponent.\n\
         Numbers pass through. `()` if unreadable or negative.\n\
         ```rhai\n\
         parse_size(\"10Gi\") == 10737418240 && parse_size(\"1.5Gi\") == 1610612736 && parse_size(\"1G\") == 1000000000\n\
             && parse_size(\"100k\") == 100000 && parse_size(\"512m\") == 536870912 && parse_size(\"lots\") == ()\n\
         ```",
    )
    .register_into_engine(engine, |v: Dynamic| quantity(&v, parse_size));
    func(
        "parse_cpu",
        &["s: &str", "int"],
        "A Kubernetes CPU quantity in millicores: `500m` = 500, `0.5` = 500, `2` = 2000;\n\
         `u` and `n` (micro-, nanocores) round up to the next millicore. A number is cores.\n\
         `()` if unreadable or negative.\n\
         ```rhai\n\
         parse_cpu(\"500m\") == 500 && parse_cpu(\"0.25\") == 250 && parse_cpu(2) == 2000 && parse_cpu(\"1 core\") == ()\n\
         ```",
    )
    .register_into_engine(engine, |v: Dynamic| quantity(&v, parse_cpu));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities() {
        assert_eq!(parse_duration("1h 30m 15s"), Some(5415));
        assert_eq!(parse_duration("1500ms"), Some(1));
        assert_eq!(parse_duration("P1W2DT1H"), Some(9 * 86_400 + 3_600));
        assert_eq!(parse_duration("P1Y"), None);
        assert_eq!(parse_duration("PT"), None);
        assert_eq!(parse_duration("1h30"), None);
        assert_eq!(parse_size("1Ei"), Some(1 << 60));
        assert_eq!(parse_size("16Ei"), None);
        assert_eq!(parse_size("99999999999999999999Ei"), None);
        assert_eq!(parse_cpu("1n"), Some(1));
        assert_eq!(parse_cpu("1.0005"), Some(1001));
    }
}
