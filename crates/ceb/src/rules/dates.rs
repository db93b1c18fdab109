//! The specification's date and time formats (ceb-messages.md §2.1):
//! `yyyyMMddHHmmss` (appTime, payTime, logisticsTime), `yyyyMMdd` (declTime,
//! ieDate), `yyyyMMddHHmmssSSS` (returnTime). No time zone: local China
//! time.

/// Whether `text` is `yyyyMMdd` naming a day that exists.
pub fn valid_date(text: &str) -> bool {
    let Some([y, m, d]) = numbers(text, &[4, 2, 2]) else {
        return false;
    };
    (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
}

/// Whether `text` is `HHmmss` within a day.
pub fn valid_time(text: &str) -> bool {
    let Some([h, m, s]) = numbers(text, &[2, 2, 2]) else {
        return false;
    };
    h < 24 && m < 60 && s < 60
}

/// Whether `text` is `yyyyMMddHHmmss`.
pub fn valid_date_time(text: &str) -> bool {
    text.len() == 14 && text.is_char_boundary(8) && valid_date(&text[..8]) && valid_time(&text[8..])
}

/// Whether `text` is `yyyyMMddHHmmssSSS`.
pub fn valid_date_time_millis(text: &str) -> bool {
    text.len() == 17
        && text.is_char_boundary(14)
        && valid_date_time(&text[..14])
        && text[14..].bytes().all(|b| b.is_ascii_digit())
}

fn numbers<const N: usize>(text: &str, widths: &[usize; N]) -> Option<[u32; N]> {
    if text.len() != widths.iter().sum::<usize>() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut out = [0u32; N];
    let mut at = 0;
    for (slot, width) in out.iter_mut().zip(widths) {
        *slot = text[at..at + width].parse().ok()?;
        at += width;
    }
    Some(out)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_follow_the_calendar() {
        assert!(valid_date("20240229"));
        assert!(!valid_date("20230229"));
        assert!(!valid_date("19000229"));
        assert!(valid_date("20000229"));
        assert!(!valid_date("20241301"));
        assert!(!valid_date("2024-01-01"));
        assert!(valid_date_time("20240315103500"));
        assert!(!valid_date_time("20240315246000"));
        assert!(valid_date_time_millis("20240315103512345"));
        assert!(!valid_date_time_millis("2024031510351234"));
        assert!(!valid_date_time("２０２４0315103500"));
    }
}
