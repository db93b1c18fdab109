//! The day a declaration counts on (issue #14, finding 2): the day the
//! platform received it, in China time — never a date the declarer wrote.
//!
//! The import XSD defines a list's `declTime` as "申报日期，以海关计算机系统
//! 接受清单申报数据时记录的日期为准" (the declaration date is the date the
//! customs system records when it accepts the list's data;
//! `ceb-import-202205.xsd`, `InventoryHead/declTime`). So the quota year, the
//! limits and the tariff in force and every period a list starts follow the
//! platform's own record of receiving it, and a `declTime` the declarer
//! wrote far from that day is refused rather than believed: the declarer
//! would otherwise choose the year its purchase counts in. The export list
//! (CEB603) has no `declTime`; it carries its time in `appTime` (业务时间),
//! held to the same tolerance.
//!
//! The sources give no tolerance (ceb-messages.md §2.1: the CEB times carry
//! no zone, "local China time assumed"); the setting
//! [`DeclarationTolerance`](crate::settings::DeclarationTolerance) documents
//! the one chosen.

use kuajing_ceb::model::Message;
use kuajing_ceb::{Issue, Path, Rule};
use time::{Date, Month};

use crate::settings::DeclarationTolerance;

/// A `yyyyMMdd` day (a list's `declTime`, the date part of an `appTime`),
/// if it is one.
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

impl DeclarationTolerance {
    /// Whether a declaration dated `declared` may be taken on `received`
    /// (both China days): at most `days_before` days before it and
    /// `days_after` days after it.
    pub fn allows(&self, declared: Date, received: Date) -> bool {
        let offset = (declared - received).whole_days();
        -i64::from(self.days_before) <= offset && offset <= i64::from(self.days_after)
    }
}

/// The issues of a message's declaration dates against `received`, the
/// China day the platform received it: each CEB621 list's `declTime` and
/// each CEB603 list's `appTime` (its date part) outside `tolerance`, at the
/// field's path (`/CEB621Message/Inventory[2]/InventoryHead/declTime`).
/// Only what is declared or changed (`appType` 1 or 2) is held to it: a
/// deletion (3) decides nothing by its date. A value that is not a date is
/// the format rule's to report.
pub fn issues(message: &Message, received: Date, tolerance: &DeclarationTolerance) -> Vec<Issue> {
    let dated: Vec<(&str, &str, &str)> = match message {
        Message::Ceb621(m) => m
            .inventory
            .iter()
            .map(|l| {
                let head = &l.inventory_head;
                ("declTime", head.decl_time.as_str(), head.app_type.as_str())
            })
            .collect(),
        Message::Ceb603(m) => m
            .inventory
            .iter()
            .map(|l| {
                let head = &l.inventory_head;
                ("appTime", head.app_time.as_str(), head.app_type.as_str())
            })
            .collect(),
        _ => return Vec::new(),
    };
    let root_name = format!("{}Message", message.message_type().code());
    let root = Path::root(&root_name);
    let mut found = Vec::new();
    for (index, (field, value, app_type)) in dated.into_iter().enumerate() {
        let Some(day) = value.get(..8).and_then(parse_day) else {
            continue;
        };
        if app_type == "3" || tolerance.allows(day, received) {
            continue;
        }
        let list = root.nth("Inventory", index + 1);
        let head = list.child("InventoryHead");
        let rule = Rule::ReceiptDay {
            received: compact_day(received),
            days_before: tolerance.days_before,
            days_after: tolerance.days_after,
        };
        found.push(Issue::new(&head.child(field), rule, Some(value)));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn only_real_days_parse() {
        assert_eq!(
            parse_day("20261127").map(compact_day).as_deref(),
            Some("20261127")
        );
        assert_eq!(parse_day("20260230"), None);
        assert_eq!(parse_day("2026112"), None);
        assert_eq!(parse_day("2026-1-1"), None);
        assert_eq!(parse_day("+2026112"), None);
    }

    #[test]
    fn the_default_allows_three_days_before_and_one_after() {
        let tolerance = DeclarationTolerance::default();
        let received = date!(2027 - 01 - 01);
        assert!(tolerance.allows(date!(2026 - 12 - 29), received));
        assert!(!tolerance.allows(date!(2026 - 12 - 28), received));
        assert!(tolerance.allows(date!(2027 - 01 - 02), received));
        assert!(!tolerance.allows(date!(2027 - 01 - 03), received));
    }
}
