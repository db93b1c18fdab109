//! The time formats of the CEB messages: receipts say when in China time
//! (UTC+8) as `yyyyMMddHHmmssSSS`; lists are declared on a `yyyyMMdd` day.

use kuajing_core::timestamp::{CHINA_STANDARD_TIME, Timestamp};
use time::{Date, Month, OffsetDateTime};

/// `at` in China time (UTC+8), the zone every CEB time field is written in.
pub fn in_china(at: Timestamp) -> OffsetDateTime {
    at.in_china()
}

/// `at` as a receipt's `returnTime`: `yyyyMMddHHmmssSSS`, China time.
pub fn return_time(at: Timestamp) -> String {
    let t = in_china(at);
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}{:03}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// The instant a China day begins (00:00 UTC+8): with the next day's,
/// the bounds of what happened on that day.
pub fn china_day_start(day: Date) -> Timestamp {
    Timestamp::from_datetime(day.midnight().assume_offset(CHINA_STANDARD_TIME))
}

/// The day `at` falls on in China.
pub fn china_date(at: Timestamp) -> Date {
    in_china(at).date()
}

/// A `yyyyMMdd` day (a list's `declTime`), if it is one.
pub fn parse_day(text: &str) -> Option<Date> {
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = text.get(0..4)?.parse().ok()?;
    let month: u8 = text.get(4..6)?.parse().ok()?;
    let day: u8 = text.get(6..8)?.parse().ok()?;
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

/// `day` as `yyyyMMdd`.
pub fn compact_day(day: Date) -> String {
    format!(
        "{:04}{:02}{:02}",
        day.year(),
        u8::from(day.month()),
        day.day()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipts_are_timed_in_china() {
        let at = "2026-11-27T16:05:09.123Z".parse::<Timestamp>().unwrap();
        assert_eq!(return_time(at), "20261128000509123");
        assert_eq!(compact_day(china_date(at)), "20261128");
    }

    #[test]
    fn only_real_days_parse() {
        assert_eq!(
            parse_day("20261127").map(compact_day).as_deref(),
            Some("20261127")
        );
        assert_eq!(parse_day("20260230"), None);
        assert_eq!(parse_day("2026112"), None);
        assert_eq!(parse_day("2026-1-1"), None);
    }
}
