//! JSON for integrators: the specification's names, a faithful round trip,
//! precise issues for bad input.

use kuajing_ceb::{MessageType, from_json, sample, to_json};
use serde_json::json;

#[test]
fn every_example_goes_to_json_and_back() {
    for &message_type in MessageType::ALL {
        let message = sample(message_type);
        let json = to_json(&message);
        let back = from_json(&json).unwrap();
        assert_eq!(back.issues, vec![], "{}", message_type.code());
        assert_eq!(back.message, message, "{}", message_type.code());
    }
}

#[test]
fn json_uses_the_specifications_names_and_keeps_decimals_exact() {
    let json = to_json(&sample(MessageType::Ceb311));
    let head = &json["CEB311Message"]["Order"][0]["OrderHead"];
    assert_eq!(head["acturalPaid"], json!("377.49"));
    assert_eq!(head["goodsValue"], json!("336.00"), "the scale is kept");
    assert_eq!(
        json["CEB311Message"]["Order"][0]["OrderList"][0]["gnum"],
        json!(1)
    );
}

#[test]
fn bad_json_is_named_field_by_field() {
    let mut json = to_json(&sample(MessageType::Ceb311));
    let head = &mut json["CEB311Message"]["Order"][0]["OrderHead"];
    head.as_object_mut().unwrap().remove("orderNo");
    head["freight"] = json!("ten");
    head["coupon"] = json!("1");
    let issues = from_json(&json).unwrap().issues;
    let found: Vec<(&str, &str)> = issues
        .iter()
        .map(|i| (i.path.as_str(), i.rule_code()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "/CEB311Message/Order[1]/OrderHead/coupon",
                "unknown_element"
            ),
            ("/CEB311Message/Order[1]/OrderHead/orderNo", "missing"),
            ("/CEB311Message/Order[1]/OrderHead/freight", "decimal"),
        ]
    );
    assert!(from_json(&json!({"CEB999Message": {}})).is_err());
    assert!(from_json(&json!([1, 2])).is_err());
    assert!(from_json(&json!({"CEB311Message": {}, "CEB411Message": {}})).is_err());
}
