//! A list on its own merits, against the shipped seed tariff: the example
//! parcel passes; each check, broken on purpose, refuses it or sends it to
//! an officer, naming the field and the value.

use kuajing_ceb::model::import::Inventory;
use kuajing_clearance::list_checks::{Finding, ListRule, Outcome, check_list};
use kuajing_core::ids::HsCode;
use kuajing_reference::tariff::TariffLine;
use time::macros::date;

use crate::{Documents, seed_tariff};

/// The seed tariff, with `adjust` applied to the honey line (0409000000).
fn tariff(adjust: impl Fn(&mut TariffLine)) -> Vec<TariffLine> {
    let mut lines = seed_tariff();
    for line in lines
        .iter_mut()
        .filter(|l| l.hs_code.as_str() == "0409000000")
    {
        adjust(line);
    }
    lines
}

fn list() -> Inventory {
    Documents::example().list
}

fn findings(list: &Inventory, tariff: &[TariffLine]) -> Vec<Finding> {
    let lookup = |code: &HsCode| tariff.iter().find(|l| &l.hs_code == code);
    check_list(list, date!(2026 - 11 - 27), lookup)
}

/// The only finding, as (outcome, rule, field, value).
fn only(found: &[Finding]) -> (Outcome, ListRule, &str, &str) {
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    (f.outcome, f.rule, f.field.as_str(), f.value.as_str())
}

#[test]
fn the_example_list_passes_against_the_seed_tariff() {
    assert_eq!(findings(&list(), &tariff(|_| {})), vec![]);
}

#[test]
fn a_wrong_check_character_or_an_unborn_buyer_is_refused_and_masked() {
    let mut bad = list();
    bad.inventory_head.buyer_id_number = "330106200001010014".to_owned();
    let found = findings(&bad, &tariff(|_| {}));
    let (outcome, rule, field, value) = only(&found);
    assert_eq!((outcome, rule), (Outcome::Refuse, ListRule::BuyerIdNumber));
    assert_eq!(field, "InventoryHead/buyerIdNumber");
    assert_eq!(value, "330106********0014");
    assert!(found[0].message_zh.starts_with("订购人身份证件号码无效"));

    // Born 2030-01-01 (a valid number otherwise): after the declaration.
    let mut unborn = list();
    unborn.inventory_head.buyer_id_number = "110101203001010014".to_owned();
    let found = findings(&unborn, &tariff(|_| {}));
    let (_, rule, _, value) = only(&found);
    assert_eq!(
        (rule, value),
        (ListRule::BuyerIdNumber, "110101********0014")
    );
    assert!(
        found[0].message_en.contains("birth date 20300101"),
        "{found:?}"
    );
}

#[test]
fn a_currency_other_than_cny_is_refused() {
    let mut bad = list();
    bad.inventory_list[0].currency = "840".to_owned();
    assert_eq!(
        only(&findings(&bad, &tariff(|_| {}))),
        (
            Outcome::Refuse,
            ListRule::Currency,
            "InventoryList[1]/currency",
            "840"
        )
    );
}

#[test]
fn goods_outside_the_tariff_or_the_positive_list_are_refused() {
    let mut unknown = list();
    unknown.inventory_list[0].gcode = "9999999999".to_owned();
    assert_eq!(
        only(&findings(&unknown, &tariff(|_| {}))),
        (
            Outcome::Refuse,
            ListRule::NotInTariff,
            "InventoryList[1]/gcode",
            "9999999999"
        )
    );
    let off_list = tariff(|l| l.positive_list = Some(false));
    assert_eq!(
        only(&findings(&list(), &off_list)).1,
        ListRule::NotOnPositiveList
    );
    let unconfirmed = tariff(|l| l.positive_list = None);
    let (outcome, rule, _, _) = only(&findings(&list(), &unconfirmed));
    assert_eq!(
        (outcome, rule),
        (Outcome::Review, ListRule::PositiveListUnknown)
    );
}

#[test]
fn a_mode_restriction_refuses_the_other_mode_and_other_remarks_go_to_an_officer() {
    // The example list is bonded (1210).
    let direct_only = tariff(|l| l.positive_list_remark = Some("限直购".to_owned()));
    let found = findings(&list(), &direct_only);
    assert_eq!(
        only(&found),
        (
            Outcome::Refuse,
            ListRule::ModeRestricted,
            "InventoryList[1]/gcode",
            "1210"
        )
    );
    assert!(found[0].message_en.contains("only trade mode 9610"));
    let bonded_only = tariff(|l| l.positive_list_remark = Some("限网购保税".to_owned()));
    assert_eq!(findings(&list(), &bonded_only), vec![]);
    let quantity = tariff(|l| l.positive_list_remark = Some("每人每年限购20千克".to_owned()));
    let found = findings(&list(), &quantity);
    let (outcome, rule, _, value) = only(&found);
    assert_eq!(
        (outcome, rule, value),
        (
            Outcome::Review,
            ListRule::RemarkToRead,
            "每人每年限购20千克"
        )
    );
}

#[test]
fn legal_units_must_be_the_tariff_lines() {
    let mut litres = list();
    litres.inventory_list[0].unit1 = "095".to_owned();
    assert_eq!(
        only(&findings(&litres, &tariff(|_| {}))),
        (
            Outcome::Refuse,
            ListRule::LegalUnit,
            "InventoryList[1]/unit1",
            "095"
        )
    );
    // The tariff line wants a second unit the list does not declare.
    let second = tariff(|l| l.unit2 = Some("007".to_owned()));
    assert_eq!(
        only(&findings(&list(), &second)),
        (
            Outcome::Refuse,
            ListRule::LegalUnit,
            "InventoryList[1]/unit2",
            ""
        )
    );
    // A second unit declared where the tariff line has none.
    let mut extra = list();
    extra.inventory_list[0].unit2 = Some("007".to_owned());
    extra.inventory_list[0].qty2 = Some(rust_decimal::Decimal::ONE);
    let found = findings(&extra, &tariff(|_| {}));
    assert_eq!(only(&found).2, "InventoryList[1]/unit2");
    assert!(found[0].message_en.contains("no second legal unit"));
}
