//! Dates and times: `parse_date`, `scan_time`, `days_since`, `days_between`,
//! `is_before`, `is_after`.
//!
//! A point in time is an integer of Unix seconds (UTC). That keeps dates
//! comparable with `<`, subtractable, and combinable with
//! `parse_duration` (also seconds): `scan_time() - parse_date(d) >
//! parse_duration("90d")`. Every helper that takes a time accepts such an
//! integer or a date string, parsed with `jiff`: RFC 3339 / ISO 8601 with an
//! offset (`2024-01-15T10:00:00+00:00`, the AWS credential report's format,
//! `…Z`, fractional seconds), a datetime or date without an offset (taken
//! as UTC: `2024-01-15 10:00`, `2024-01-15`), or RFC 2822 (`Mon, 15 Jan 2024
//! 10:00:00 +0000`). Anything else (`N/A`, `not_supported`, `()`) is `()`,
//! and comparisons with it are `false`.
//!
//! "Now" is the scan clock, not the wall clock, so that results are
//! reproducible: the engine pins it once per scan with [`set_scan_time`],
//! tests and fixtures pin it per thread with [`with_scan_time`], and only
//! when neither is set does it read the system time.

use super::common::{func, text};
use jiff::fmt::{rfc2822, temporal};
use jiff::tz::Offset;
use rhai::{Dynamic, Engine, INT};
use std::cell::Cell;
use std::sync::atomic::{AtomicI64, Ordering};

const SECONDS_PER_DAY: INT = 86_400;
const UNSET: i64 = i64::MIN;

/// The scan clock shared by every worker thread (`UNSET`: not pinned).
static SCAN_TIME: AtomicI64 = AtomicI64::new(UNSET);

thread_local! {
    /// A per-thread override of the scan clock, for tests and fixtures.
    static THREAD_SCAN_TIME: Cell<Option<i64>> = const { Cell::new(None) };
}

/// Pins (or with `None`, unpins) the scan clock, in Unix seconds, for every
/// thread. The engine calls this once per scan so that every rule on every
/// resource sees the same "now".
pub fn set_scan_time(unix_seconds: Option<i64>) {
    SCAN_TIME.store(unix_seconds.unwrap_or(UNSET), Ordering::Relaxed);
}

/// Runs `f` with this thread's scan clock pinned to `unix_seconds`
/// (overriding [`set_scan_time`]); the previous setting is restored after,
/// even if `f` panics.
pub fn with_scan_time<T>(unix_seconds: i64, f: impl FnOnce() -> T) -> T {
    struct Restore(Option<i64>);
    impl Drop for Restore {
        fn drop(&mut self) {
            THREAD_SCAN_TIME.with(|t| t.set(self.0));
        }
    }
    let _restore = Restore(THREAD_SCAN_TIME.with(|t| t.replace(Some(unix_seconds))));
    f()
}

/// "Now" for rules, in Unix seconds: this thread's pinned time, else the
/// scan's, else the system clock.
pub fn scan_time() -> i64 {
    if let Some(t) = THREAD_SCAN_TIME.with(Cell::get) {
        return t;
    }
    match SCAN_TIME.load(Ordering::Relaxed) {
        UNSET => clock_now(),
        t => t,
    }
}

/// The system clock, in Unix seconds.
pub fn clock_now() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// Unix seconds as RFC 3339 in UTC (`2026-01-01T00:00:00Z`), as reports and
/// baselines state a scan time; [`parse_timestamp`] reads it back.
pub fn rfc3339(unix_seconds: i64) -> String {
    jiff::Timestamp::from_second(unix_seconds).unwrap_or(jiff::Timestamp::UNIX_EPOCH).to_string()
}

/// Unix seconds of a date string in one of the accepted formats (see the
/// module docs), or `None`.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    static TEMPORAL: temporal::DateTimeParser = temporal::DateTimeParser::new();
    static RFC2822: rfc2822::DateTimeParser = rfc2822::DateTimeParser::new();
    let s = s.trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    if let Ok(ts) = TEMPORAL.parse_timestamp(s) {
        return Some(ts.as_second());
    }
    if let Ok(dt) = TEMPORAL.parse_datetime(s) {
        return Offset::UTC.to_timestamp(dt).ok().map(|ts| ts.as_second());
    }
    RFC2822.parse_timestamp(s).ok().map(|ts| ts.as_second())
}

/// A time argument: Unix seconds, or a date string.
fn instant(v: &Dynamic) -> Option<INT> {
    if let Ok(i) = v.as_int() {
        return Some(i);
    }
    parse_timestamp(&text(v)?)
}

/// Whole days from `a` to `b`, truncated toward zero.
fn days(a: INT, b: INT) -> Option<INT> {
    Some(b.checked_sub(a)? / SECONDS_PER_DAY)
}

fn unit_or(v: Option<INT>) -> Dynamic {
    v.map_or(Dynamic::UNIT, Dynamic::from_int)
}

pub fn register(engine: &mut Engine) {
    func(
        "parse_date",
        &["s: &str", "int"],
        "The time `s` names, as Unix seconds (UTC). Reads RFC 3339 / ISO 8601 with an offset\n\
         (`2024-01-15T10:00:00+00:00`, `2024-01-15T10:00:00Z`), a datetime or date without one (as UTC),\n\
         and RFC 2822. An integer is already Unix seconds. `()` for anything else, e.g. `N/A`.\n\
         ```rhai\n\
         parse_date(\"2024-01-15T10:00:00+00:00\") == 1705312800 && parse_date(\"2024-01-15\") == 1705276800\n\
             && parse_date(\"N/A\") == ()\n\
         ```",
    )
    .register_into_engine(engine, |v: Dynamic| unit_or(instant(&v)));
    func(
        "scan_time",
        &["int"],
        "\"Now\" for rules, as Unix seconds: the time the scan started (pinned by tests and fixtures).\n\
         ```rhai\n\
         scan_time() > parse_date(\"2020-01-01\")\n\
         ```",
    )
    .with_volatility(true)
    .register_into_engine(engine, scan_time);
    func(
        "days_since",
        &["t: ?", "int"],
        "Whole days from `t` (Unix seconds or a date string) to the scan time, truncated toward zero\n\
         (negative for a future `t`). `()` if `t` is not a time.\n\
         ```rhai\n\
         days_since(scan_time() - 3 * 86400 - 60) == 3 && days_since(\"N/A\") == ()\n\
         ```",
    )
    .with_volatility(true)
    .register_into_engine(engine, |v: Dynamic| unit_or(instant(&v).and_then(|t| days(t, scan_time()))));
    func(
        "days_between",
        &["a: ?", "b: ?", "int"],
        "Whole days from `a` to `b` (times or date strings), truncated toward zero; negative if `b` is earlier.\n\
         `()` if either is not a time.\n\
         ```rhai\n\
         days_between(\"2024-01-01\", \"2024-03-01T12:00:00Z\") == 60 && days_between(\"2024-01-02\", \"2024-01-01\") == -1\n\
         ```",
    )
    .register_into_engine(engine, |a: Dynamic, b: Dynamic| match (instant(&a), instant(&b)) {
        (Some(a), Some(b)) => unit_or(days(a, b)),
        _ => Dynamic::UNIT,
    });
    func(
        "is_before",
        &["a: ?", "b: ?", "bool"],
        "Whether time `a` is strictly before time `b` (Unix seconds or date strings). `false` if either is not a time.\n\
         ```rhai\n\
         is_before(\"2024-01-15T09:59:59Z\", \"2024-01-15T10:00:00+00:00\") && !is_before(\"N/A\", \"2024-01-01\")\n\
         ```",
    )
    .register_into_engine(engine, |a: Dynamic, b: Dynamic| matches!((instant(&a), instant(&b)), (Some(a), Some(b)) if a < b));
    func(
        "is_after",
        &["a: ?", "b: ?", "bool"],
        "Whether time `a` is strictly after time `b` (Unix seconds or date strings). `false` if either is not a time.\n\
         ```rhai\n\
         is_after(\"2024-03-01\", \"2024-02-29T23:59:59Z\") && !is_after(parse_date(\"2024-01-01\"), \"2024-01-01\")\n\
         ```",
    )
    .register_into_engine(engine, |a: Dynamic, b: Dynamic| matches!((instant(&a), instant(&b)), (Some(a), Some(b)) if a > b));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_clock() {
        assert_eq!(parse_timestamp("2024-01-15T10:00:00.999Z"), Some(1_705_312_800));
        assert_eq!(parse_timestamp("Mon, 15 Jan 2024 10:00:00 +0000"), Some(1_705_312_800));
        assert_eq!(parse_timestamp("2024-01-15 10:00"), Some(1_705_312_800));
        assert_eq!(parse_timestamp("no_information"), None);
        assert_eq!(with_scan_time(42, || with_scan_time(7, scan_time) + scan_time()), 49);
        assert_ne!(scan_time(), 42);
    }
}
