//! Every boundary of the single-transaction and annual limits
//! (policy-rules.md §1.2–1.3, examples D and H).

use kuajing_clearance::limits::{
    Eligibility, OVER_ANNUAL_LIMIT, OVER_SINGLE_LIMIT, Purchase, classify,
};
use kuajing_clearance::settings::{LimitSchedule, Limits, OneItemRule, TaxSettings};
use kuajing_clearance::tax::Regime;
use time::macros::date;

use crate::d;

fn limits() -> Limits {
    *LimitSchedule::published()
        .on(date!(2026 - 11 - 27))
        .unwrap()
}

fn purchase(value: &str, lines: usize, quantity: &str) -> Purchase {
    Purchase {
        value: d(value),
        lines,
        first_line_quantity: d(quantity),
    }
}

fn outcome(p: &Purchase, used: &str) -> Eligibility {
    classify(p, d(used), &limits(), &TaxSettings::default())
}

fn refusal_code(eligibility: &Eligibility) -> Option<i32> {
    match eligibility {
        Eligibility::Refused(refusal) => Some(refusal.code),
        _ => None,
    }
}

#[test]
fn exactly_the_single_limit_is_within_it() {
    let at_limit = outcome(&purchase("5000", 3, "1"), "0");
    assert_eq!(at_limit, Eligibility::WithinLimits);
    assert_eq!(at_limit.regime(), Some(Regime::WithinLimits));
    let over = outcome(&purchase("5000.01", 3, "1"), "0");
    assert_eq!(refusal_code(&over), Some(OVER_SINGLE_LIMIT));
    assert_eq!(over.regime(), None);
}

#[test]
fn exactly_the_annual_limit_is_within_it() {
    assert_eq!(
        outcome(&purchase("1000", 1, "1"), "25000"),
        Eligibility::WithinLimits
    );
    let over = outcome(&purchase("1000.01", 1, "1"), "25000");
    assert_eq!(refusal_code(&over), Some(OVER_ANNUAL_LIMIT));
    if let Eligibility::Refused(refusal) = over {
        assert_eq!(refusal.value, d("26000.01"));
        assert!(refusal.message_zh().contains("26000.01"));
        assert!(refusal.message_en().contains("annual limit of CNY 26000"));
    }
}

#[test]
fn one_indivisible_item_over_the_single_limit_is_taxed_in_full() {
    // Example D: a handbag of 6,000.
    let handbag = purchase("6000", 1, "1");
    let eligible = outcome(&handbag, "20000");
    assert_eq!(eligible, Eligibility::SingleItemInFull);
    assert_eq!(eligible.regime(), Some(Regime::Full));
    // With 21,000 already used the year would reach 27,000: refused.
    assert_eq!(
        refusal_code(&outcome(&handbag, "21000")),
        Some(OVER_ANNUAL_LIMIT)
    );
}

#[test]
fn two_of_one_article_are_one_item_only_if_the_setting_says_so() {
    let two = purchase("6000", 1, "2");
    assert_eq!(refusal_code(&outcome(&two, "0")), Some(OVER_SINGLE_LIMIT));
    let lenient = TaxSettings {
        one_item: OneItemRule::OneLine,
        ..TaxSettings::default()
    };
    assert_eq!(
        classify(&two, d("0"), &limits(), &lenient),
        Eligibility::SingleItemInFull
    );
}

#[test]
fn a_split_order_passes_where_the_whole_would_not() {
    // Example H: three items of 2,000 in one order are refused, three
    // orders of one item each pass and each count towards the year.
    assert_eq!(
        refusal_code(&outcome(&purchase("6000", 3, "1"), "0")),
        Some(OVER_SINGLE_LIMIT)
    );
    let mut used = d("0");
    for _ in 0..3 {
        let single = purchase("2000", 1, "1");
        assert_eq!(
            classify(&single, used, &limits(), &TaxSettings::default()),
            Eligibility::WithinLimits
        );
        used += single.value;
    }
    assert_eq!(used, d("6000"));
}

#[test]
fn the_limits_in_force_on_the_day_of_receipt_apply() {
    let schedule = LimitSchedule::published();
    let old = schedule.on(date!(2018 - 06 - 01)).unwrap();
    let p = purchase("3000", 2, "1");
    assert_eq!(
        refusal_code(&classify(&p, d("0"), old, &TaxSettings::default())),
        Some(OVER_SINGLE_LIMIT)
    );
}
