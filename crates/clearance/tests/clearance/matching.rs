//! The three-document match over the codec's consistent example parcel
//! (`kuajing ceb sample CEB311/411/511/621`): it agrees with itself, and
//! each agreement of ceb-messages.md §3.2 broken on purpose is found, naming
//! both documents and both values.

use kuajing_clearance::matching::{Agreement, MatchSettings, Mismatch, match_parcel};

use crate::{Documents, d};

fn documents() -> Documents {
    Documents::example()
}

fn mismatches_with(documents: &Documents, settings: &MatchSettings) -> Vec<Mismatch> {
    match_parcel(&documents.parcel(), settings)
}

fn mismatches(documents: &Documents) -> Vec<Mismatch> {
    mismatches_with(documents, &MatchSettings::default())
}

/// The only mismatch, as (rule, left document/field, right document/field).
fn only(found: &[Mismatch]) -> (&'static str, String, String) {
    assert_eq!(found.len(), 1, "{found:#?}");
    let m = &found[0];
    (
        m.agreement.rule(),
        format!("{} {}={}", m.left.document, m.left.field, m.left.value),
        format!("{} {}={}", m.right.document, m.right.field, m.right.value),
    )
}

#[test]
fn the_example_parcel_agrees_with_itself() {
    assert_eq!(mismatches(&documents()), vec![]);
}

#[test]
fn a_payment_of_another_amount_is_named_with_both_values() {
    let mut docs = documents();
    let paid = docs.order.order_head.actural_paid;
    docs.payment.payment_head.amount_paid = paid - d("0.01");
    let found = mismatches(&docs);
    let (rule, left, right) = only(&found);
    assert_eq!(rule, "A2");
    assert_eq!(left, format!("CEB311 acturalPaid={paid}"));
    assert_eq!(right, format!("CEB411 amountPaid={}", paid - d("0.01")));
    let less = paid - d("0.01");
    assert_eq!(
        found[0].message_zh(),
        format!("三单对碰不一致（A2）：CEB311 acturalPaid为“{paid}”，CEB411 amountPaid为“{less}”")
    );
    assert_eq!(
        found[0].message_en(),
        format!(
            "documents disagree (A2): CEB311 acturalPaid is '{paid}', CEB411 amountPaid is '{less}'"
        )
    );
    assert!(found[0].message_en().contains("CEB411 amountPaid"));
    // Within a configured tolerance it agrees (A13).
    let lenient = MatchSettings {
        tolerance: d("0.01"),
        ..MatchSettings::default()
    };
    assert_eq!(mismatches_with(&docs, &lenient), vec![]);
}

#[test]
fn another_consignee_on_the_waybill_is_found() {
    let mut docs = documents();
    docs.waybill.logistics_head.consignee_telephone = "13900000000".to_owned();
    let (rule, left, right) = only(&mismatches(&docs));
    assert_eq!(rule, "A5");
    assert!(left.starts_with("CEB311 consigneeTelephone="));
    assert_eq!(right, "CEB511 consigneeTelephone=13900000000");
}

#[test]
fn a_list_for_another_buyer_or_waybill_is_found() {
    let mut docs = documents();
    docs.list.inventory_head.buyer_name = "王五".to_owned();
    let (rule, left, _) = only(&mismatches(&docs));
    assert_eq!((rule, left.as_str()), ("A6", "CEB621 buyerName=王五"));

    let mut docs = documents();
    docs.list.inventory_head.logistics_no = "HC0000000000".to_owned();
    let (_, left, _) = only(&mismatches(&docs));
    assert_eq!(left, "CEB621 logisticsNo=HC0000000000");
}

#[test]
fn an_id_number_differs_only_if_more_than_the_case_of_its_x_differs() {
    let mut docs = documents();
    let id = docs.order.order_head.buyer_id_number.clone();
    docs.list.inventory_head.buyer_id_number = id.to_lowercase();
    assert_eq!(mismatches(&docs), vec![]);
}

#[test]
fn a_payer_who_is_not_the_buyer_is_found_unless_the_setting_allows_it() {
    let mut docs = documents();
    docs.payment.payment_head.payer_name = "赵六".to_owned();
    let (rule, left, _) = only(&mismatches(&docs));
    assert_eq!((rule, left.as_str()), ("A9", "CEB411 payerName=赵六"));
    let allowed = MatchSettings {
        buyer_must_be_payer: false,
        ..MatchSettings::default()
    };
    assert_eq!(mismatches_with(&docs, &allowed), vec![]);
}

#[test]
fn freight_other_than_the_waybill_charged_is_found() {
    let mut docs = documents();
    docs.waybill.logistics_head.freight = Some(d("99"));
    let (rule, left, right) = only(&mismatches(&docs));
    assert_eq!(rule, "A8");
    assert!(left.starts_with("CEB621 freight="));
    assert_eq!(right, "CEB511 freight=99");
    // A waybill that states no freight is not compared.
    docs.waybill.logistics_head.freight = None;
    assert_eq!(mismatches(&docs), vec![]);
}

#[test]
fn lines_must_pair_one_to_one_with_the_same_goods() {
    let mut docs = documents();
    docs.list.inventory_list[0].qty += d("1");
    let found = mismatches(&docs);
    let (rule, left, _) = only(&found);
    assert_eq!(rule, "A7");
    assert!(left.starts_with("CEB621 InventoryList[1]/qty="), "{left}");

    let mut docs = documents();
    let mut extra = docs.list.inventory_list[0].clone();
    extra.gnum = 99;
    docs.list.inventory_list.push(extra);
    let found = mismatches(&docs);
    assert_eq!(found[0].agreement, Agreement::Lines);
    assert_eq!(found[0].left.field, "InventoryList[2]/gnum");
    assert_eq!(found[0].left.value, "99");

    let mut docs = documents();
    let mut unlisted = docs.order.order_list[0].clone();
    unlisted.gnum = 7;
    docs.order.order_list.push(unlisted);
    let (_, left, _) = only(&mismatches(&docs));
    assert_eq!(left, "CEB311 OrderList/gnum=7");
}

#[test]
fn a_payment_for_another_order_is_found() {
    let mut docs = documents();
    docs.payment.payment_head.order_no = "ANOTHER-ORDER".to_owned();
    let (rule, left, _) = only(&mismatches(&docs));
    assert_eq!(
        (rule, left.as_str()),
        ("A6", "CEB411 orderNo=ANOTHER-ORDER")
    );
}
