//! Issue #14, finding 2: a list's declaration date (CEB621 `declTime`,
//! CEB603 `appTime`) more than the tolerance from the China day the
//! platform received it is one issue at the field, naming the value, the
//! day of receipt and the tolerance; within it, none; a deletion never.

use kuajing_ceb::model::Message;
use kuajing_ceb::{MessageType, Rule, sample};
use kuajing_clearance::declaration_day::{compact_day, issues};
use kuajing_clearance::settings::DeclarationTolerance;
use proptest::prelude::*;
use time::{Date, Duration};

/// A CEB621 of two lists, the second dated `declared`, declared with
/// `app_type`.
fn lists(declared: &str, app_type: &str, received: Date) -> Message {
    let Message::Ceb621(mut message) = sample(MessageType::Ceb621) else {
        panic!("a CEB621")
    };
    let mut second = message.inventory[0].clone();
    message.inventory[0].inventory_head.decl_time = compact_day(received);
    second.inventory_head.decl_time = declared.to_owned();
    second.inventory_head.app_type = app_type.to_owned();
    message.inventory.push(second);
    Message::Ceb621(message)
}

fn day(offset: i64) -> Date {
    Date::from_calendar_date(2026, time::Month::December, 31).unwrap() + Duration::days(offset)
}

proptest! {
    #[test]
    fn outside_the_tolerance_is_one_issue_at_the_field_within_none(
        received in -800i64..800,
        offset in -40i64..40,
        before in 0u32..10,
        after in 0u32..5,
    ) {
        let tolerance = DeclarationTolerance { days_before: before, days_after: after };
        let received = day(received);
        let declared = compact_day(received + Duration::days(offset));
        let found = issues(&lists(&declared, "1", received), received, &tolerance);
        let within = -i64::from(before) <= offset && offset <= i64::from(after);
        prop_assert_eq!(tolerance.allows(received + Duration::days(offset), received), within);
        if within {
            prop_assert!(found.is_empty(), "{:?}", found);
        } else {
            prop_assert_eq!(found.len(), 1);
            let issue = &found[0];
            prop_assert_eq!(&issue.path, "/CEB621Message/Inventory[2]/InventoryHead/declTime");
            prop_assert_eq!(issue.value.as_deref(), Some(declared.as_str()));
            prop_assert!(!issue.is_schema(), "a business rule, answered with the list's receipt");
            prop_assert_eq!(&issue.rule, &Rule::ReceiptDay {
                received: compact_day(received),
                days_before: before,
                days_after: after,
            });
            let zh = issue.message_zh();
            let en = issue.message_en();
            prop_assert!(zh.contains(&declared) && zh.contains(&compact_day(received)), "{}", zh);
            prop_assert!(zh.contains(&format!("至多早{before}日、晚{after}日")), "{}", zh);
            prop_assert!(en.contains(&declared) && en.contains("tolerance"), "{}", en);
        }
        // A deletion decides nothing by its date.
        prop_assert!(issues(&lists(&declared, "3", received), received, &tolerance).is_empty());
    }
}

#[test]
fn an_export_list_is_held_to_it_by_its_app_time() {
    let Message::Ceb603(mut message) = sample(MessageType::Ceb603) else {
        panic!("a CEB603")
    };
    let received = day(0);
    message.inventory[0].inventory_head.app_time = "20261224235959".to_owned();
    let found = issues(
        &Message::Ceb603(message.clone()),
        received,
        &DeclarationTolerance::default(),
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].path,
        "/CEB603Message/Inventory[1]/InventoryHead/appTime"
    );
    message.inventory[0].inventory_head.app_time = "20261228000000".to_owned();
    let found = issues(
        &Message::Ceb603(message),
        received,
        &DeclarationTolerance::default(),
    );
    assert!(found.is_empty(), "three days before is within: {found:?}");
}

#[test]
fn a_date_that_does_not_parse_is_left_to_the_format_rule() {
    let received = day(0);
    let message = lists("20261332", "1", received);
    assert!(issues(&message, received, &DeclarationTolerance::default()).is_empty());
}
