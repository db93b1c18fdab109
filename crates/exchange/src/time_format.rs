//! The time formats of the CEB messages: receipts say when in China time
//! (UTC+8) as `yyyyMMddHHmmssSSS`; lists are declared on a `yyyyMMdd` day.

pub use kuajing_clearance::declaration_day::{compact_day, parse_day};
use kuajing_core::timestamp::{CHINA_STANDARD_TIME, Timestamp};
use time::{Date, OffsetDateTime};

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

/// The last day (China) of a period of `days` days from the instant
/// `start`: the day of `start` is not counted, the period begins the next
/// day and ends at 24:00 of its last day (Civil Code of the PRC arts. 201
/// and 203: "开始的当日不计入，自下一日开始计算", "期间的最后一日的截止时间为
/// 二十四时"). The extension of a last day that is a public holiday (art.
/// 203) is not applied: the platform has no holiday calendar yet.
pub fn last_day_of(start: Timestamp, days: u32) -> Date {
    china_date(start)
        .checked_add(time::Duration::days(i64::from(days)))
        .unwrap_or(Date::MAX)
}

/// Whether `at` falls within the period of `days` days from `start`
/// ([`last_day_of`]), on China days.
pub fn within_days(start: Timestamp, days: u32, at: Timestamp) -> bool {
    china_date(at) <= last_day_of(start, days)
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
    fn a_period_of_days_counts_china_days_from_the_next_day() {
        // Released 23:30 on 1 January in China (15:30 UTC).
        let released: Timestamp = "2027-01-01T15:30:00Z".parse().unwrap();
        assert_eq!(compact_day(last_day_of(released, 30)), "20270131");
        // The last day runs to 24:00 China time, whatever the hour of release.
        let last_minute: Timestamp = "2027-01-31T15:59:59Z".parse().unwrap();
        let next_day: Timestamp = "2027-01-31T16:00:00Z".parse().unwrap();
        assert!(within_days(released, 30, last_minute));
        assert!(!within_days(released, 30, next_day));
    }
}
