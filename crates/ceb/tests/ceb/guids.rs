//! Guids as the specification and real clients write them (issue #14,
//! finding 13): 36 characters of letters, digits, `-` and `_` (the XSDs'
//! only facet is `<xs:length value="36"/>`; the manual asks upper-case
//! letters), lower-case letters taken too, compared without regard to case.

use kuajing_ceb::model::import::CEB621Message;
use kuajing_ceb::{
    Issue, Message, MessageType, decode, encode, same_message, sample, sign, validate,
};

use crate::official_samples;
use crate::signing::{rsa_identity, signer, sm2_identity};

/// Issues about a guid (root attribute or head element).
fn guid_issues(issues: &[Issue]) -> Vec<&Issue> {
    issues
        .iter()
        .filter(|i| i.path.ends_with("/guid"))
        .collect()
}

fn list() -> CEB621Message {
    match sample(MessageType::Ceb621) {
        Message::Ceb621(m) => m,
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_official_sample_validates_without_a_guid_issue() {
    // Every sample's root guid is a lower-case UUID (311af125-…); CEB215's
    // head guids too, and CEB701's (123ent97-…) hold letters beyond a–f.
    let mut lower_case_heads = Vec::new();
    for (name, bytes) in official_samples() {
        let decoded = decode(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut issues = decoded.issues;
        issues.extend(validate(&decoded.message));
        assert_eq!(guid_issues(&issues), Vec::<&Issue>::new(), "{name}");
        let text = String::from_utf8_lossy(&bytes);
        if text.contains("<ceb:guid>311af125") || text.contains("<ceb:guid>123ent97") {
            lower_case_heads.push(name);
        }
    }
    for declaration in ["export/CEB215Message.xml", "export/CEB701Message.xml"] {
        assert!(
            lower_case_heads.iter().any(|n| n == declaration),
            "{declaration}"
        );
    }
}

#[test]
fn a_real_clients_guids_validate() {
    // The shape a public e-port signing tool's signed CEB621 carries.
    let mut m = list();
    m.guid = "CEB621_HNZB_FXJK_20220208175054_0034".to_owned();
    m.inventory[0].inventory_head.guid = "CEB621_HNZB_FXJK_20220208175055_0035".to_owned();
    let mut message = Message::Ceb621(m);
    let signed = sign::sign(&mut message, &signer(&sm2_identity(), None)).unwrap();
    let decoded = decode(signed.as_bytes()).unwrap();
    assert_eq!(decoded.issues, vec![]);
    assert_eq!(validate(&decoded.message), vec![]);
    assert!(sign::verify(signed.as_bytes()).is_ok());
}

#[test]
fn a_guid_is_36_letters_digits_hyphens_or_underscores() {
    let check = |guid: &str| {
        let mut m = list();
        m.inventory[0].inventory_head.guid = guid.to_owned();
        validate(&Message::Ceb621(m))
            .iter()
            .filter(|i| i.path.ends_with("/guid"))
            .map(|i| i.rule_code())
            .collect::<Vec<_>>()
    };
    for good in [
        "311af125-6fed-4603-8c5d-49b1fa4b4b9b",
        "311AF125-6FED-4603-8C5D-49B1FA4B4B9B",
        "CEB621_HNZB_FXJK_20220208175054_0034",
        "123ent97-2b80-4568-aecf-cb6c90530012",
        "------------------------------------",
    ] {
        assert_eq!(check(good), Vec::<&str>::new(), "{good}");
    }
    assert_eq!(
        check("311af125-6fed-4603-8c5d-49b1fa4b4b9"),
        ["length", "format"]
    );
    assert_eq!(check("311af125 6fed-4603-8c5d-49b1fa4b4b9b"), ["format"]);
    assert_eq!(check("311af125.6fed-4603-8c5d-49b1fa4b4b9b"), ["format"]);
    assert_eq!(check(&"单".repeat(36)), ["format"]);
}

#[test]
fn the_same_message_with_its_guids_in_another_case_is_the_same_message() {
    let first = Message::Ceb621(list());
    let mut upper = list();
    upper.guid = upper.guid.to_ascii_lowercase();
    upper.inventory[0].inventory_head.guid =
        upper.inventory[0].inventory_head.guid.to_ascii_lowercase();
    assert!(same_message(&first, &Message::Ceb621(upper)));
    // Signed again (by another key) and laid out otherwise: still the same
    // message.
    let once = sign::sign(&mut first.clone(), &signer(&sm2_identity(), None)).unwrap();
    let again = sign::sign(&mut first.clone(), &signer(&rsa_identity(), None)).unwrap();
    assert_ne!(once, again);
    let reindented = again.replace("\n  ", "\n    ");
    assert!(same_message(
        &decode(once.as_bytes()).unwrap().message,
        &decode(reindented.as_bytes()).unwrap().message
    ));
    // A value changed, or another type: not the same.
    let mut other = list();
    other.inventory[0]
        .inventory_head
        .consignee_address
        .push('X');
    assert!(!same_message(&first, &Message::Ceb621(other)));
    assert!(!same_message(&first, &sample(MessageType::Ceb311)));
    assert!(!same_message(
        &first,
        &decode(encode(&sample(MessageType::Ceb622)).as_bytes())
            .unwrap()
            .message
    ));
}
