//! Validation: each check names the place, the rule and the value, and
//! carries the official code where there is one.

use kuajing_ceb::model::Message;
use kuajing_ceb::{
    Edition, Issue, MessageType, Options, decode, encode, parse_decimal, sample, validate,
    validate_with,
};

fn order() -> kuajing_ceb::model::import::CEB311Message {
    match sample(MessageType::Ceb311) {
        Message::Ceb311(m) => m,
        other => panic!("{other:?}"),
    }
}

fn inventory() -> kuajing_ceb::model::import::CEB621Message {
    match sample(MessageType::Ceb621) {
        Message::Ceb621(m) => m,
        other => panic!("{other:?}"),
    }
}

/// The single issue `message` has, as (path, rule code, value, code).
fn only(issues: Vec<Issue>) -> (String, &'static str, Option<String>, Option<i32>) {
    assert_eq!(issues.len(), 1, "{issues:#?}");
    let issue = &issues[0];
    (
        issue.path.clone(),
        issue.rule_code(),
        issue.value.clone(),
        issue.code,
    )
}

fn decimal(text: &str) -> rust_decimal::Decimal {
    parse_decimal(text).unwrap()
}

#[test]
fn an_amount_that_does_not_add_up_is_named_with_the_official_code() {
    let mut m = order();
    m.order[0].order_head.actural_paid = decimal("377.50");
    let issues = validate(&Message::Ceb311(m));
    let (path, rule, value, code) = only(issues.clone());
    assert_eq!(path, "/CEB311Message/Order[1]/OrderHead/acturalPaid");
    assert_eq!(
        (rule, value.as_deref(), code),
        ("arithmetic", Some("377.50"), Some(-301008))
    );
    assert!(
        issues[0].message_en().contains("expected 377.49"),
        "{}",
        issues[0].message_en()
    );
    assert!(
        issues[0].message_zh().contains("应为377.49"),
        "{}",
        issues[0].message_zh()
    );
}

#[test]
fn a_line_total_is_price_times_quantity_rounded_to_its_precision() {
    let mut m = order();
    let line = &mut m.order[0].order_list[0];
    line.qty = decimal("3");
    line.price = decimal("33.335");
    line.total_price = decimal("100.01"); // 100.005 rounds half away from zero
    m.order[0].order_head.goods_value = decimal("100.01");
    m.order[0].order_head.actural_paid = decimal("141.50");
    assert_eq!(validate(&Message::Ceb311(m.clone())), vec![]);
    m.order[0].order_list[0].total_price = decimal("100.00");
    let (path, rule, ..) = only(validate(&Message::Ceb311(m)));
    assert_eq!(
        (path.as_str(), rule),
        (
            "/CEB311Message/Order[1]/OrderList[1]/totalPrice",
            "arithmetic"
        )
    );
}

#[test]
fn code_lists_formats_and_lengths_are_checked() {
    let mut m = order();
    m.order[0].order_head.app_type = "4".to_owned();
    assert_eq!(only(validate(&Message::Ceb311(m))).1, "code_list");

    let mut m = order();
    m.order[0].order_head.currency = "502".to_owned();
    let (path, rule, value, code) = only(validate(&Message::Ceb311(m)));
    assert_eq!(
        (path.as_str(), rule, value.as_deref(), code),
        (
            "/CEB311Message/Order[1]/OrderHead/currency",
            "code_list",
            Some("502"),
            Some(-301008)
        )
    );

    let mut m = order();
    m.order[0].order_head.app_time = "20260230103000".to_owned(); // no 30 February
    assert_eq!(only(validate(&Message::Ceb311(m))).1, "format");

    // Lengths are characters: 60 Chinese characters fit orderNo, 61 do not.
    let mut m = order();
    m.order[0].order_head.order_no = "单".repeat(60);
    assert_eq!(validate(&Message::Ceb311(m.clone())), vec![]);
    m.order[0].order_head.order_no = "单".repeat(61);
    let (path, rule, ..) = only(validate(&Message::Ceb311(m)));
    assert_eq!(
        (path.as_str(), rule),
        ("/CEB311Message/Order[1]/OrderHead/orderNo", "length")
    );
}

#[test]
fn decimals_have_at_most_19_digits_and_5_after_the_point() {
    let mut m = order();
    m.order[0].order_head.freight = decimal("10.000000"); // the value has no fraction
    m.order[0].order_head.actural_paid = decimal("377.49");
    assert_eq!(validate(&Message::Ceb311(m.clone())), vec![]);
    m.order[0].order_head.freight = decimal("10.000001");
    m.order[0].order_head.actural_paid = decimal("377.490001");
    let issues = validate(&Message::Ceb311(m));
    assert!(
        issues
            .iter()
            .any(|i| i.path.ends_with("/freight") && i.rule_code() == "digits"),
        "{issues:#?}"
    );
}

#[test]
fn the_trade_mode_decides_which_fields_a_list_needs() {
    let mut m = inventory();
    let head = &mut m.inventory[0].inventory_head;
    head.trade_mode = "9610".to_owned();
    head.country = "344".to_owned();
    (head.traf_no, head.voyage_no, head.bill_no) = (None, None, Some(" ".to_owned()));
    let issues = validate(&Message::Ceb621(m.clone()));
    let missing: Vec<&str> = issues
        .iter()
        .map(|i| i.path.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(missing, ["trafNo", "voyageNo", "billNo"], "{issues:#?}");
    assert!(
        issues
            .iter()
            .all(|i| i.rule_code() == "required" && i.code == Some(-621001))
    );

    let mut m = inventory();
    m.inventory[0].inventory_head.country = "344".to_owned();
    let (path, rule, ..) = only(validate(&Message::Ceb621(m)));
    assert_eq!(
        (path.as_str(), rule),
        (
            "/CEB621Message/Inventory[1]/InventoryHead/country",
            "code_list"
        )
    );
}

#[test]
fn a_list_must_be_signed_and_its_lines_numbered_from_one() {
    let mut m = inventory();
    m.signature = None;
    let (path, rule, ..) = only(validate(&Message::Ceb621(m)));
    assert_eq!(
        (path.as_str(), rule),
        ("/CEB621Message/Signature", "signature_required")
    );

    let mut m = inventory();
    m.inventory[0].inventory_list[0].gnum = 2;
    let (path, rule, value, code) = only(validate(&Message::Ceb621(m)));
    assert_eq!(
        (path.as_str(), rule, value.as_deref(), code),
        (
            "/CEB621Message/Inventory[1]/InventoryList[1]/gnum",
            "sequence",
            Some("2"),
            Some(-621001)
        )
    );
}

#[test]
fn the_2018_trial_edition_differs_in_two_facets() {
    let mut m = inventory();
    m.inventory[0].inventory_list[0].item_no = Some("X".repeat(25));
    let message = Message::Ceb621(m.clone());
    assert_eq!(only(validate(&message)).1, "length");
    let trial = Options {
        edition: Edition::Trial2018,
        ..Options::default()
    };
    assert_eq!(validate_with(&message, &trial), vec![]);
    m.inventory[0].inventory_list[0].trade_country = Some("34".to_owned());
    let issues = validate_with(&Message::Ceb621(m), &trial);
    assert!(
        issues
            .iter()
            .any(|i| i.path.ends_with("/tradeCountry") && i.rule_code() == "length"),
        "{issues:#?}"
    );
}

#[test]
fn a_tolerance_can_be_allowed_for_amounts() {
    let mut m = order();
    m.order[0].order_head.actural_paid = decimal("377.50");
    let message = Message::Ceb311(m);
    let lenient = Options {
        tolerance: decimal("0.01"),
        ..Options::default()
    };
    assert_eq!(validate_with(&message, &lenient), vec![]);
}

/// The example as XML with `edit` applied to its text.
fn edited(message_type: MessageType, edit: impl Fn(String) -> String) -> Vec<u8> {
    edit(encode(&sample(message_type))).into_bytes()
}

#[test]
fn reading_notes_missing_unknown_repeated_and_misplaced_elements() {
    let xml = edited(MessageType::Ceb311, |x| {
        x.replace(
            "      <ceb:buyerRegNo>hc_buyer_8800123</ceb:buyerRegNo>\n",
            "",
        )
    });
    let (path, rule, ..) = only(decode(&xml).unwrap().issues);
    assert_eq!(
        (path.as_str(), rule),
        ("/CEB311Message/Order[1]/OrderHead/buyerRegNo", "missing")
    );

    let xml = edited(MessageType::Ceb311, |x| {
        x.replace("<ceb:discount>", "<ceb:coupon>1</ceb:coupon><ceb:discount>")
    });
    let (path, rule, ..) = only(decode(&xml).unwrap().issues);
    assert_eq!(
        (path.as_str(), rule),
        (
            "/CEB311Message/Order[1]/OrderHead/coupon",
            "unknown_element"
        )
    );

    let xml = edited(MessageType::Ceb311, |x| {
        x.replace(
            "<ceb:freight>10.00</ceb:freight>",
            "<ceb:freight>10.00</ceb:freight><ceb:freight>11.00</ceb:freight>",
        )
    });
    let decoded = decode(&xml).unwrap();
    let (path, rule, ..) = only(decoded.issues.clone());
    assert_eq!(
        (path.as_str(), rule),
        ("/CEB311Message/Order[1]/OrderHead/freight", "duplicate")
    );
    let Message::Ceb311(m) = decoded.message else {
        panic!()
    };
    assert_eq!(
        m.order[0].order_head.freight,
        decimal("10.00"),
        "the first occurrence is kept"
    );

    let xml = edited(MessageType::Ceb311, |x| {
        let line = "      <ceb:orderType>I</ceb:orderType>\n";
        x.replace(line, "").replace(
            "      <ceb:guid>E1D582D8-ABCC-4DF1-9A98-42199A6D3F7E</ceb:guid>\n",
            &format!("{line}      <ceb:guid>E1D582D8-ABCC-4DF1-9A98-42199A6D3F7E</ceb:guid>\n"),
        )
    });
    let (path, rule, ..) = only(decode(&xml).unwrap().issues);
    assert_eq!(
        (path.as_str(), rule),
        ("/CEB311Message/Order[1]/OrderHead/guid", "order")
    );
}

#[test]
fn values_that_are_not_numbers_are_named_and_kept_out() {
    let xml = edited(MessageType::Ceb311, |x| {
        x.replace(
            "<ceb:freight>10.00</ceb:freight>",
            "<ceb:freight>1e1</ceb:freight>",
        )
        .replace("<ceb:gnum>1</ceb:gnum>", "<ceb:gnum>one</ceb:gnum>")
    });
    let issues = decode(&xml).unwrap().issues;
    let found: Vec<(&str, &str, Option<&str>)> = issues
        .iter()
        .map(|i| (i.path.as_str(), i.rule_code(), i.value.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "/CEB311Message/Order[1]/OrderHead/freight",
                "decimal",
                Some("1e1")
            ),
            (
                "/CEB311Message/Order[1]/OrderList[1]/gnum",
                "integer",
                Some("one")
            ),
        ]
    );
}

#[test]
fn the_default_namespace_form_and_a_byte_order_mark_read_the_same() {
    let prefixed = encode(&sample(MessageType::Ceb312));
    let default = prefixed.replace("ceb:", "").replace("xmlns:ceb=", "xmlns=");
    let mut with_bom = vec![0xEF, 0xBB, 0xBF];
    with_bom.extend_from_slice(default.as_bytes());
    let a = decode(prefixed.as_bytes()).unwrap();
    let b = decode(&with_bom).unwrap();
    assert_eq!((a.message, a.issues), (b.message, b.issues));

    // Another prefix bound to the same namespace is the same element.
    let other = prefixed
        .replace("ceb:", "c:")
        .replace("xmlns:ceb=", "xmlns:c=");
    assert_eq!(
        decode(other.as_bytes()).unwrap().message,
        sample(MessageType::Ceb312)
    );
}

#[test]
fn text_with_markup_characters_survives_a_round_trip() {
    let mut m = order();
    m.order[0].order_head.note = Some("满300减20 <优惠> & \"赠品\" 'x'\r\n第二行".to_owned());
    let message = Message::Ceb311(m);
    let again = decode(encode(&message).as_bytes()).unwrap();
    assert_eq!(again.message, message);
}
