//! The engine's decision on the example parcel, against the seed tariff:
//! passed with its tax, refused with every reason and its code, or sent to
//! an officer.

use kuajing_clearance::decision::{Decision, RuleSettings, decide};
use kuajing_clearance::settings::{LimitSchedule, Limits};
use kuajing_clearance::tariff_index::TariffIndex;
use kuajing_clearance::tax::Regime;
use kuajing_core::ids::HsCode;
use kuajing_core::money::round_to_fen;
use kuajing_reference::tariff::TariffLine;
use rust_decimal::Decimal;
use time::macros::date;

use crate::{Documents, d, seed_tariff};

fn documents() -> Documents {
    Documents::example()
}

fn limits() -> Limits {
    *LimitSchedule::published()
        .on(date!(2026 - 11 - 27))
        .unwrap()
}

fn decision(docs: &Documents, tariff: &[TariffLine], used: Decimal) -> Decision {
    let parcel = docs.parcel();
    let index = TariffIndex::new("seed", tariff.iter().cloned());
    assert_eq!(index.len(), tariff.len());
    let lookup = |code: &HsCode| index.get(code);
    decide(
        &parcel,
        date!(2026 - 11 - 27),
        lookup,
        used,
        &limits(),
        &RuleSettings::default(),
    )
}

fn codes(decision: &Decision) -> Vec<i32> {
    match decision {
        Decision::Refused(reasons) => reasons.iter().map(|r| r.code).collect(),
        other => panic!("not refused: {other:?}"),
    }
}

#[test]
fn the_example_parcel_passes_with_honey_taxed_at_70_percent_of_nine_percent() {
    let docs = documents();
    let Decision::Pass(bill) = decision(&docs, &seed_tariff(), d("0")) else {
        panic!("the example parcel passes")
    };
    let head = &docs.list.inventory_head;
    let line = &docs.list.inventory_list[0];
    let dutiable = line.total_price + head.freight + head.insured_fee;
    assert_eq!(bill.regime, Regime::WithinLimits);
    assert_eq!(bill.dutiable_value, round_to_fen(dutiable));
    assert_eq!(bill.duty, Decimal::ZERO);
    assert_eq!(bill.vat, round_to_fen(dutiable * d("0.09") * d("0.7")));
    assert_eq!(bill.total, bill.vat);
}

#[test]
fn every_reason_is_given_with_its_code() {
    let mut docs = documents();
    docs.list.inventory_head.buyer_id_number = "330106200001010014".to_owned();
    docs.payment.payment_head.amount_paid += d("1");
    let decided = decision(&docs, &seed_tariff(), d("0"));
    // The list's own check, its disagreement with the order, the payment's.
    assert_eq!(codes(&decided), [-621001, -621001, -621001]);
    let Decision::Refused(reasons) = decided else {
        unreachable!()
    };
    assert!(
        reasons[0]
            .message_zh
            .starts_with("InventoryHead/buyerIdNumber：")
    );
    assert!(reasons[1].message_en.contains("(A6): CEB621 buyerIdNumber"));
    assert!(reasons[2].message_en.contains("CEB411 amountPaid"));
}

#[test]
fn a_buyer_at_the_end_of_the_year_is_refused_with_the_annual_code() {
    let decided = decision(&documents(), &seed_tariff(), d("25999.99"));
    assert_eq!(codes(&decided), [-621018]);
}

#[test]
fn an_unconfirmed_positive_list_line_goes_to_an_officer_with_the_tax_ready() {
    let mut tariff = seed_tariff();
    for line in tariff
        .iter_mut()
        .filter(|l| l.hs_code.as_str() == "0409000000")
    {
        line.positive_list = None;
    }
    let Decision::Review { reasons, bill } = decision(&documents(), &tariff, d("0")) else {
        panic!("for an officer")
    };
    assert_eq!(reasons.len(), 1);
    assert_eq!(reasons[0].code, 0);
    assert!(
        reasons[0]
            .message_en
            .contains("positive list is not confirmed")
    );
    assert!(bill.vat > Decimal::ZERO);
}
