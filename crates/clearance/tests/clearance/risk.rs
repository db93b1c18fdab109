//! The first risk rules: each fires at its threshold and not below it, a
//! monitored rule never holds a list, an enforced one turns a pass into a
//! review, and a refusal stands.

use kuajing_clearance::decision::{Decision, Reason};
use kuajing_clearance::risk::{
    RiskFacts, RiskRule, RiskSettings, RuleMode, apply_risk, assess_risk,
};
use kuajing_clearance::tax::{Regime, TaxBill};
use rust_decimal::Decimal;

use crate::{Documents, d};

/// Facts under every threshold, with a reference price equal to the
/// example line's price.
fn quiet() -> RiskFacts {
    let list = Documents::example().list;
    RiskFacts {
        reference_prices: list.inventory_list.iter().map(|l| Some(l.price)).collect(),
        buyer_lists_in_window: 1,
        buyers_at_address: 1,
        buyers_with_phone: 1,
        buyer_on_watch_list: false,
    }
}

fn fired(facts: &RiskFacts, settings: &RiskSettings) -> Vec<RiskRule> {
    assess_risk(&Documents::example().list, facts, settings)
        .iter()
        .map(|h| h.rule)
        .collect()
}

fn empty_bill() -> TaxBill {
    TaxBill {
        regime: Regime::WithinLimits,
        lines: vec![],
        dutiable_value: Decimal::ZERO,
        duty: Decimal::ZERO,
        consumption: Decimal::ZERO,
        vat: Decimal::ZERO,
        total: Decimal::ZERO,
    }
}

#[test]
fn nothing_fires_below_every_threshold() {
    assert_eq!(fired(&quiet(), &RiskSettings::default()), vec![]);
}

#[test]
fn each_rule_fires_at_its_threshold() {
    let settings = RiskSettings::default();
    let price = Documents::example().list.inventory_list[0].price;

    // Unit price exactly 30 % of the reference is not below it; a fen less is.
    let mut facts = quiet();
    facts.reference_prices = vec![Some(price / d("0.3"))];
    assert_eq!(fired(&facts, &settings), vec![]);
    facts.reference_prices = vec![Some((price + d("0.01")) / d("0.3"))];
    assert_eq!(fired(&facts, &settings), vec![RiskRule::LowValue]);

    let mut facts = quiet();
    facts.buyer_lists_in_window = 4;
    assert_eq!(fired(&facts, &settings), vec![]);
    facts.buyer_lists_in_window = 5;
    assert_eq!(fired(&facts, &settings), vec![RiskRule::BuyerFrequency]);

    let mut facts = quiet();
    facts.buyers_at_address = 4;
    facts.buyers_with_phone = 4;
    assert_eq!(
        fired(&facts, &settings),
        vec![RiskRule::SharedContact, RiskRule::SharedContact]
    );

    let mut facts = quiet();
    facts.buyer_on_watch_list = true;
    let hits = assess_risk(&Documents::example().list, &facts, &settings);
    assert_eq!(
        hits[0].reason.message_en,
        "risk rule watch-list/1: the buyer's ID number is on the watch list"
    );
}

#[test]
fn an_enforced_hit_holds_a_passed_list_and_a_monitored_one_does_not() {
    let mut facts = quiet();
    facts.buyer_on_watch_list = true;
    let enforce = assess_risk(&Documents::example().list, &facts, &RiskSettings::default());
    let Decision::Review { reasons, .. } = apply_risk(Decision::Pass(empty_bill()), &enforce)
    else {
        panic!("held for an officer")
    };
    assert_eq!(reasons.len(), 1);

    let monitor = assess_risk(
        &Documents::example().list,
        &facts,
        &RiskSettings::default().all_monitoring(),
    );
    assert_eq!(monitor[0].mode, RuleMode::Monitor);
    assert_eq!(
        apply_risk(Decision::Pass(empty_bill()), &monitor),
        Decision::Pass(empty_bill())
    );

    // A refusal stands; a review gathers the hit's reason too.
    let refused = Decision::Refused(vec![Reason {
        code: -621001,
        message_zh: "x".to_owned(),
        message_en: "x".to_owned(),
    }]);
    assert_eq!(apply_risk(refused.clone(), &enforce), refused);
    let review = Decision::Review {
        reasons: vec![enforce[0].reason.clone()],
        bill: empty_bill(),
    };
    let Decision::Review { reasons, .. } = apply_risk(review, &enforce) else {
        panic!()
    };
    assert_eq!(reasons.len(), 2);
}
