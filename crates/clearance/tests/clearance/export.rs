//! The export list rules (issue #7): what each mode waits for, the
//! checks against the order and the receipt of payment, the codes, and
//! properties over generated lists: a list that agrees with its order is
//! never refused for the order, and a line changed alone is named alone.

use kuajing_ceb::sample::export::{ExportMode as Story, ExportParcel};
use kuajing_clearance::export::{
    CodeTables, EXPORT_LIST_CODE, ExportMode, ExportSettings, Shipment, check, goods_code_allowed,
    needs,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// Tables that know the story's codes (and nothing starting with 9).
struct Known;

impl CodeTables for Known {
    fn country(&self, code: &str) -> bool {
        !code.starts_with('9')
    }
    fn currency(&self, code: &str) -> bool {
        code == "142"
    }
    fn unit(&self, code: &str) -> bool {
        !code.starts_with('9')
    }
}

fn reasons(parcel: &ExportParcel, settings: &ExportSettings, filed: bool) -> Vec<String> {
    let shipment = Shipment {
        list: &parcel.list.inventory[0],
        order: Some(&parcel.order.order[0]),
        collection: Some(&parcel.collection.receipts[0]),
        waybill: Some(&parcel.waybill.logistics[0]),
    };
    check(&shipment, settings, &Known, filed)
        .into_iter()
        .map(|r| {
            assert_eq!(r.code, EXPORT_LIST_CODE);
            r.message_en
        })
        .collect()
}

#[test]
fn each_mode_waits_for_its_own_documents() {
    let on = ExportSettings::default();
    let retail = needs(ExportMode::Retail, &on);
    assert!(retail.order && retail.waybill && retail.collection);
    let off = ExportSettings {
        collection_required: false,
        ..on
    };
    assert!(!needs(ExportMode::Retail, &off).collection);
    for mode in [ExportMode::B2b, ExportMode::OverseasWarehouse] {
        let n = needs(mode, &on);
        assert!(n.order && !n.waybill && !n.collection, "{mode:?}");
    }
    assert_eq!(ExportMode::of("9610"), Some(ExportMode::Retail));
    assert_eq!(ExportMode::of("1210"), None);
}

#[test]
fn the_story_passes_in_every_mode_and_9810_needs_its_warehouse() {
    let settings = ExportSettings::default();
    for story in [Story::Retail, Story::B2b, Story::OverseasWarehouse] {
        let parcel = ExportParcel::numbered(1, story);
        assert!(reasons(&parcel, &settings, true).is_empty(), "{story:?}");
    }
    let booking = ExportParcel::numbered(1, Story::OverseasWarehouse);
    let refused = reasons(&booking, &settings, false);
    assert_eq!(refused.len(), 1);
    assert!(
        refused[0].starts_with("InventoryHead/country '116'"),
        "{refused:?}"
    );
}

#[test]
fn simplified_codes_follow_the_mode_and_the_setting() {
    let on = ExportSettings::default();
    let off = ExportSettings {
        simplified_codes: false,
        ..on
    };
    assert!(goods_code_allowed("0409", ExportMode::Retail, &on));
    assert!(!goods_code_allowed("0409", ExportMode::B2b, &on));
    assert!(goods_code_allowed("040900", ExportMode::B2b, &on));
    assert!(goods_code_allowed(
        "040900",
        ExportMode::OverseasWarehouse,
        &on
    ));
    assert!(!goods_code_allowed("040900", ExportMode::Retail, &on));
    assert!(!goods_code_allowed("0409", ExportMode::Retail, &off));
    assert!(goods_code_allowed("0409000000", ExportMode::Retail, &off));
    assert!(!goods_code_allowed("04O9000000", ExportMode::Retail, &on));
    let parcel = ExportParcel::numbered(2, Story::Retail).with_gcode("04090");
    let refused = reasons(&parcel, &on, true);
    assert!(
        refused[0].starts_with("InventoryList[1]/gcode '04090'"),
        "{refused:?}"
    );
}

#[test]
fn the_amount_collected_is_the_goods_value_or_with_the_freight() {
    let settings = ExportSettings::default();
    let mut parcel = ExportParcel::numbered(3, Story::Retail);
    let head = &parcel.order.order[0].order_head;
    let with_freight = head.goods_value + head.freight;
    parcel.collection.receipts[0].charge = with_freight;
    assert!(reasons(&parcel, &settings, true).is_empty());
    parcel.collection.receipts[0].charge = with_freight + Decimal::ONE;
    let refused = reasons(&parcel, &settings, true);
    assert_eq!(refused.len(), 1);
    assert!(refused[0].starts_with("Receipts/charge"), "{refused:?}");
}

#[test]
fn unknown_codes_are_named() {
    let settings = ExportSettings::default();
    let mut parcel = ExportParcel::numbered(4, Story::B2b);
    parcel.list.inventory[0].inventory_head.country = "901".to_owned();
    parcel.list.inventory[0].inventory_list[0].unit1 = "999".to_owned();
    let refused = reasons(&parcel, &settings, true);
    assert!(
        refused
            .iter()
            .any(|r| r.starts_with("InventoryHead/country '901'")),
        "{refused:?}"
    );
    assert!(
        refused
            .iter()
            .any(|r| r.starts_with("InventoryList[1]/unit1 '999'")),
        "{refused:?}"
    );
}

proptest! {
    /// Any price and quantity the order and the list agree on pass; a
    /// list line whose quantity alone differs is refused naming exactly
    /// that quantity (and the goods value the changed total breaks).
    #[test]
    fn agreement_passes_and_one_changed_quantity_is_named(
        cents in 1i64..10_000_000,
        qty in 1i64..1000,
        extra in 1i64..50,
    ) {
        let settings = ExportSettings::default();
        let price = Decimal::new(cents, 2);
        let mut parcel = ExportParcel::numbered(5, Story::Retail);
        for line in &mut parcel.order.order[0].order_list {
            line.qty = Decimal::from(qty);
        }
        for line in &mut parcel.list.inventory[0].inventory_list {
            line.qty = Decimal::from(qty);
        }
        let parcel = parcel.priced(price);
        prop_assert!(reasons(&parcel, &settings, true).is_empty());
        let mut changed = parcel.clone();
        let line = &mut changed.list.inventory[0].inventory_list[0];
        line.qty += Decimal::from(extra);
        line.total_price = line.price * line.qty;
        let refused = reasons(&changed, &settings, true);
        prop_assert!(refused.iter().any(|r| r.starts_with("InventoryList[1]/qty")), "{:?}", refused);
        prop_assert!(refused.iter().all(|r| r.starts_with("InventoryList[1]/") || r.starts_with("OrderHead/goodsValue")), "{:?}", refused);
    }
}
