//! [`Day`]: the calendar day (UTC) every POA&M date is, from detection to
//! scheduled completion, check-ins and expiries. OSCAL writes it as
//! midnight UTC; everything else as `YYYY-MM-DD`.

use serde::{Serialize, Serializer};
use std::fmt;

/// A calendar day (UTC), stored as days since 1970-01-01. POA&M dates are
/// days: detection, scheduled completion, check-ins and expiries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(i64);

const SECONDS_PER_DAY: i64 = 86_400;

impl Day {
    /// The UTC day containing `unix_seconds`.
    pub fn from_unix(unix_seconds: i64) -> Day {
        Day(unix_seconds.div_euclid(SECONDS_PER_DAY))
    }

    /// `YYYY-MM-DD`, or a date-time in any form [`crate::api::dates::parse_timestamp`]
    /// reads (the day is taken in UTC).
    pub fn parse(s: &str) -> Option<Day> {
        crate::api::dates::parse_timestamp(s).map(Day::from_unix)
    }

    pub fn plus_days(self, days: i64) -> Day {
        Day(self.0 + days)
    }

    /// Whole days from `earlier` to `self` (negative when `earlier` is later).
    pub fn days_since(self, earlier: Day) -> i64 {
        self.0 - earlier.0
    }

    /// Midnight UTC of this day, as OSCAL writes date-times.
    pub fn to_oscal(self) -> String {
        format!("{self}T00:00:00Z")
    }

    /// Year, month (1–12) and day of month.
    pub fn ymd(self) -> (i16, i8, i8) {
        let d = self.date();
        (d.year(), d.month(), d.day())
    }

    fn date(self) -> jiff::civil::Date {
        let ts = jiff::Timestamp::from_second(self.0 * SECONDS_PER_DAY).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        jiff::tz::Offset::UTC.to_datetime(ts).date()
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.date())
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
