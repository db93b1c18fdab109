//! The DXP envelopes and the CEB900 format receipt.

use std::process::Command;

use kuajing_ceb::envelope::{
    Envelope, IMPORT_RECEIVER, Routing, check_envelope, decode_envelope, encode_envelope, wrap,
};
use kuajing_ceb::receipt::{Original, Refusal, format_receipt};
use kuajing_ceb::{Limits, Message, MessageType, decode, encode, sample, validate};

use crate::spec_dir;

fn routing() -> Routing {
    Routing {
        cop_msg_id: "F0CDF14E-42C1-47B6-AED1-CA56BA887518".to_owned(),
        sender_id: "DXPENT0000224960".to_owned(),
        receiver_ids: vec![IMPORT_RECEIVER.to_owned()],
        created: "2026-11-27T10:35:01".to_owned(),
    }
}

#[test]
fn a_message_travels_in_a_dxp_envelope_and_comes_out_byte_for_byte() {
    let business = encode(&sample(MessageType::Ceb311));
    let envelope = Envelope::Terminal(Box::new(wrap(
        business.as_bytes(),
        MessageType::Ceb311,
        &routing(),
    )));
    let xml = encode_envelope(&envelope);
    let read = decode_envelope(xml.as_bytes(), Limits::default()).unwrap();
    assert_eq!(read.issues, vec![]);
    assert_eq!(check_envelope(&read.envelope), vec![]);
    assert_eq!(read.envelope, envelope);
    let terminal = read.envelope.terminal();
    assert_eq!(terminal.trans_info.msg_type, "CEB311Message");
    assert_eq!(
        terminal.business_xml().unwrap(),
        business.as_bytes(),
        "the exact bytes (a signature stays valid)"
    );
    assert_eq!(
        terminal.business(Limits::default()).unwrap().message,
        sample(MessageType::Ceb311)
    );

    let file = std::env::temp_dir().join(format!("kuajing-dxp-{}.xml", std::process::id()));
    std::fs::write(&file, &xml).unwrap();
    let output = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(spec_dir().join("xsd/dxp-terminal-202205.xsd"))
        .arg(&file)
        .output()
        .unwrap();
    std::fs::remove_file(&file).unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn an_envelope_with_bad_data_or_no_receiver_is_named() {
    let mut message = wrap(b"<x/>", MessageType::Ceb311, &routing());
    message.data = "not base64!".to_owned();
    message.trans_info.receiver_ids.receiver_id.0.clear();
    let issues = check_envelope(&Envelope::Terminal(Box::new(message.clone())));
    let found: Vec<(&str, &str)> = issues
        .iter()
        .map(|i| (i.path.as_str(), i.rule_code()))
        .collect();
    assert_eq!(
        found,
        [
            ("/DxpMsg/Data", "base64"),
            ("/DxpMsg/TransInfo/ReceiverIds", "min_occurs")
        ]
    );
    assert!(message.business_xml().is_err());
}

#[test]
fn a_refused_message_is_answered_with_a_valid_ceb900_receipt() {
    let hostile = br#"<!DOCTYPE x [<!ENTITY a "b">]><CEB311Message/>"#;
    let error = decode(hostile).unwrap_err();
    let original = Original {
        bytes: hostile,
        cop_msg_id: "F0CDF14E-42C1-47B6-AED1-CA56BA887518",
    };
    let receipt = format_receipt(
        original,
        Refusal::Unreadable(&error),
        "3F39EAEC-54C0-48AC-B6C0-45F2F3727691",
        "20261127103512345",
    );
    assert_eq!(receipt.message_return.return_status, "-1");
    assert_eq!(receipt.message_return.ori_message_type, "Unknown");
    assert!(receipt.message_return.return_info.contains("DOCTYPE"));
    let message = Message::Ceb900(receipt);
    assert_eq!(validate(&message), vec![]);
    let again = decode(encode(&message).as_bytes()).unwrap();
    assert_eq!(
        again.message, message,
        "the original travels inside, escaped"
    );

    let broken =
        encode(&sample(MessageType::Ceb311)).replace("<ceb:orderType>I</ceb:orderType>", "");
    let decoded = decode(broken.as_bytes()).unwrap();
    let original = Original {
        bytes: broken.as_bytes(),
        cop_msg_id: "",
    };
    let receipt = format_receipt(
        original,
        Refusal::Schema(&decoded.issues),
        "3F39EAEC-54C0-48AC-B6C0-45F2F3727691",
        "20261127103512345",
    );
    assert_eq!(receipt.message_return.ori_message_type, "CEB311Message");
    assert!(
        receipt
            .message_return
            .return_info
            .contains("/CEB311Message/Order[1]/OrderHead/orderType")
    );
}
