//! UTC instants and their one text form.
//!
//! Every time Kuajing stores or sends is UTC, written as RFC 3339 with exactly
//! six fractional digits and a `Z` (`2026-11-27T10:11:45.123456Z`). The fixed
//! width makes the text sort in time order in both databases, which is why the
//! schema can keep times as text (see `crates/store/migrations/README.md`).

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use time::format_description::FormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

const FORMAT: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

/// China Standard Time, UTC+8, without daylight saving: the zone's days,
/// and the zone every CEB time field is written in.
pub const CHINA_STANDARD_TIME: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

/// An instant in UTC, precise to the microsecond.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(OffsetDateTime);

impl Timestamp {
    /// Now, truncated to the microsecond so that what is stored and what is
    /// held in memory compare equal.
    pub fn now() -> Self {
        Self::from_datetime(OffsetDateTime::now_utc())
    }

    /// From any offset date-time, converted to UTC and truncated to the
    /// microsecond.
    pub fn from_datetime(at: OffsetDateTime) -> Self {
        let at = at.to_offset(UtcOffset::UTC);
        let micros = at.microsecond();
        Self(at.replace_microsecond(micros).unwrap_or(at))
    }

    /// The underlying date-time (UTC).
    pub fn datetime(self) -> OffsetDateTime {
        self.0
    }

    /// This instant in China Standard Time.
    pub fn in_china(self) -> OffsetDateTime {
        self.0.to_offset(CHINA_STANDARD_TIME)
    }

    /// This instant plus `duration` (saturating at the end of time).
    #[must_use]
    pub fn plus(self, duration: Duration) -> Self {
        Self(
            self.0
                .checked_add(duration.try_into().unwrap_or(time::Duration::MAX))
                .unwrap_or(self.0),
        )
    }

    /// This instant minus `duration`.
    #[must_use]
    pub fn minus(self, duration: Duration) -> Self {
        Self(
            self.0
                .checked_sub(duration.try_into().unwrap_or(time::Duration::MAX))
                .unwrap_or(self.0),
        )
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0.format(FORMAT).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

/// Text that is not a timestamp in the platform's form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a UTC timestamp like 2026-11-27T10:11:45.123456Z")]
pub struct TimestampError(pub String);

impl FromStr for Timestamp {
    type Err = TimestampError;

    /// Reads the platform's own form, and for API filters also any RFC 3339
    /// instant (converted to UTC) or a plain date (`2026-11-27`, midnight UTC).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Ok(at) = PrimitiveDateTime::parse(s, FORMAT) {
            return Ok(Self(at.assume_utc()));
        }
        if let Ok(at) = OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339) {
            return Ok(Self::from_datetime(at));
        }
        if let Ok(date) = time::Date::parse(s, format_description!("[year]-[month]-[day]")) {
            return Ok(Self(date.midnight().assume_utc()));
        }
        Err(TimestampError(s.to_owned()))
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_fixed_width_utc_and_reads_it_back() {
        let at: Timestamp = "2026-11-27T10:11:45.000001Z".parse().unwrap();
        assert_eq!(at.to_string(), "2026-11-27T10:11:45.000001Z");
        let now = Timestamp::now();
        assert_eq!(now.to_string().parse::<Timestamp>().unwrap(), now);
    }

    #[test]
    fn reads_offsets_and_dates_for_filters() {
        let beijing: Timestamp = "2026-11-27T18:00:00+08:00".parse().unwrap();
        assert_eq!(beijing.to_string(), "2026-11-27T10:00:00.000000Z");
        let day: Timestamp = "2026-11-27".parse().unwrap();
        assert_eq!(day.to_string(), "2026-11-27T00:00:00.000000Z");
        assert!("27/11/2026".parse::<Timestamp>().is_err());
    }

    #[test]
    fn text_order_is_time_order() {
        let a: Timestamp = "2026-01-02T00:00:00Z".parse().unwrap();
        let b = a.plus(Duration::from_micros(1));
        assert!(a < b && a.to_string() < b.to_string());
        assert_eq!(b.minus(Duration::from_micros(1)), a);
    }
}
