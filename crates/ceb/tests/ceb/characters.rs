//! Control characters and noncharacters (issue #14, finding 7): refused in
//! every value read, named with the value's path and shown escaped; never
//! written, so that nothing the codec writes is ill-formed.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use kuajing_ceb::envelope::{Envelope, Routing, decode_envelope, encode_envelope, wrap};
use kuajing_ceb::model::common::ExtendMessage;
use kuajing_ceb::receipt::{Original, Refusal, format_receipt};
use kuajing_ceb::{
    AnyXml, DecodeError, Issue, Limits, Message, MessageType, decode, encode, from_json, sample,
    to_json, validate,
};

/// The characters a value may not hold, as one of each kind: C0 controls
/// (NUL among them), DEL, C1 controls, noncharacters in and beyond the BMP.
const REFUSED: &[char] = &[
    '\u{0}',
    '\u{1}',
    '\u{8}',
    '\u{b}',
    '\u{c}',
    '\u{1b}',
    '\u{1f}',
    '\u{7f}',
    '\u{85}',
    '\u{9f}',
    '\u{fdd0}',
    '\u{fffe}',
    '\u{ffff}',
    '\u{1fffe}',
];

const ORDER_NO: &str = "<ceb:orderNo>HC20261127000001</ceb:orderNo>";
const ORDER_NO_PATH: &str = "/CEB311Message/Order[1]/OrderHead/orderNo";

/// The example order with its `orderNo` written as `written`.
fn order_with_order_no(written: &str) -> String {
    let xml = encode(&sample(MessageType::Ceb311));
    assert!(xml.contains(ORDER_NO));
    xml.replace(ORDER_NO, &format!("<ceb:orderNo>{written}</ceb:orderNo>"))
}

/// The issues with the rule `character`.
fn character_issues(issues: &[Issue]) -> Vec<&Issue> {
    issues
        .iter()
        .filter(|i| i.rule_code() == "character")
        .collect()
}

/// `\u0001`, as issues show a refused character.
fn shown(c: char) -> String {
    let code = u32::from(c);
    if code > 0xFFFF {
        format!("\\U{code:08X}")
    } else {
        format!("\\u{code:04X}")
    }
}

#[test]
fn a_refused_character_in_a_value_is_named_with_its_path_and_shown_escaped() {
    for &c in REFUSED {
        let decoded = decode(order_with_order_no(&format!("HC2026{c}0001")).as_bytes())
            .unwrap_or_else(|e| panic!("U+{:04X}: {e}", u32::from(c)));
        let found = character_issues(&decoded.issues);
        assert_eq!(
            found.len(),
            1,
            "U+{:04X}: {:?}",
            u32::from(c),
            decoded.issues
        );
        let issue = found[0];
        assert_eq!(issue.path, ORDER_NO_PATH);
        assert!(issue.is_schema(), "answered with a CEB900");
        let value = format!("HC2026{}0001", shown(c));
        assert_eq!(issue.value.as_deref(), Some(value.as_str()));
        assert!(
            issue
                .message_en()
                .contains(&format!("U+{:04X}", u32::from(c)))
        );
        assert!(issue.message_zh().contains("不允许的字符"));
        // The value kept holds U+FFFD in its place, so what the codec
        // writes back is well-formed and reads without the issue.
        let Message::Ceb311(m) = &decoded.message else {
            panic!("not an order")
        };
        assert_eq!(m.order[0].order_head.order_no, "HC2026\u{fffd}0001");
        let again = decode(encode(&decoded.message).as_bytes()).unwrap();
        assert_eq!(again.issues, vec![]);
    }
}

#[test]
fn tab_and_line_ends_stay_allowed_in_values() {
    let mut m = sample(MessageType::Ceb311);
    if let Message::Ceb311(order) = &mut m {
        order.order[0].order_head.note = Some("第一行\r\n\t第二行".to_owned());
    }
    assert_eq!(validate(&m), vec![]);
    assert_eq!(decode(encode(&m).as_bytes()).unwrap().issues, vec![]);
}

#[test]
fn character_references_to_refused_characters_are_refused_like_the_characters() {
    for reference in [
        "&#1;", "&#x1;", "&#x1F;", "&#127;", "&#x85;", "&#xFFFE;", "&#xFFFF;",
    ] {
        let decoded = decode(order_with_order_no(&format!("HC{reference}1")).as_bytes()).unwrap();
        let found = character_issues(&decoded.issues);
        assert_eq!(found.len(), 1, "{reference}: {:?}", decoded.issues);
        assert_eq!(found[0].path, ORDER_NO_PATH, "{reference}");
    }
    // NUL cannot even be referred to: the parser refuses the reference.
    assert!(matches!(
        decode(order_with_order_no("HC&#0;1").as_bytes()),
        Err(DecodeError::BadReference { .. })
    ));
    // A reference to an allowed character is still fine.
    let fine = decode(order_with_order_no("HC&#9;&#x4E2D;1").as_bytes()).unwrap();
    assert_eq!(character_issues(&fine.issues), Vec::<&Issue>::new());
}

#[test]
fn attributes_free_form_content_and_numbers_are_checked_too() {
    let xml = encode(&sample(MessageType::Ceb311));
    let guid = "E1D582D8-ABCC-4DF1-9A98-42199A6D3F7E";
    let attribute = xml.replacen(
        &format!("guid=\"{guid}\""),
        "guid=\"E1D582D8-ABCC-4DF1-9A98-42199A6D3F&#x7;\"",
        1,
    );
    let decoded = decode(attribute.as_bytes()).unwrap();
    let found = character_issues(&decoded.issues);
    assert_eq!(found.len(), 1, "{:?}", decoded.issues);
    assert_eq!(found[0].path, "/CEB311Message/guid");

    // A number with a control character is named once, for the character.
    let number = xml.replace(
        "<ceb:freight>10.00</ceb:freight>",
        "<ceb:freight>10\u{1}.00</ceb:freight>",
    );
    let decoded = decode(number.as_bytes()).unwrap();
    let freight: Vec<&Issue> = decoded
        .issues
        .iter()
        .filter(|i| i.path.ends_with("/freight"))
        .collect();
    assert_eq!(freight.len(), 1, "{:?}", decoded.issues);
    assert_eq!(freight[0].rule_code(), "character");

    // Free-form content (ExtendMessage/Message): as itself or a reference.
    for hostile in ["<x>a\u{1}b</x>", "<x>a&#1;b</x>", "<x y=\"&#x1b;\"/>"] {
        let extended = xml.replace(
            "</ceb:BaseTransfer>",
            &format!("</ceb:BaseTransfer>\n  <ceb:ExtendMessage>\n    <ceb:name>n</ceb:name>\n    <ceb:version>1</ceb:version>\n    <ceb:Message>{hostile}</ceb:Message>\n  </ceb:ExtendMessage>"),
        );
        let decoded = decode(extended.as_bytes()).unwrap();
        let found = character_issues(&decoded.issues);
        assert_eq!(found.len(), 1, "{hostile}: {:?}", decoded.issues);
        assert_eq!(
            found[0].path, "/CEB311Message/ExtendMessage/Message",
            "{hostile}"
        );
        let written = encode(&decoded.message);
        well_formed(&[("extended.xml", &written)]);
        assert_eq!(
            decode(written.as_bytes()).unwrap().issues,
            vec![],
            "{written}"
        );
    }
}

#[test]
fn markup_around_values_may_not_hold_what_xml_cannot_carry() {
    let xml = encode(&sample(MessageType::Ceb311));
    for hostile in ["<!-- a\u{1}b -->", "<?pi a\u{2}b?>"] {
        let document = xml.replace("<ceb:Order>", &format!("<ceb:Order>{hostile}"));
        let error = decode(document.as_bytes()).unwrap_err();
        assert!(
            matches!(error, DecodeError::IllegalCharacter { .. }),
            "{error:?}"
        );
        assert_eq!(error.code(), "CEB_XML_MALFORMED");
        assert!(
            error.message_zh().contains("U+000"),
            "{}",
            error.message_zh()
        );
    }
    // Between elements it is text where none belongs, as before.
    let between = xml.replace("<ceb:Order>", "<ceb:Order>\u{1}");
    assert_eq!(
        decode(between.as_bytes()).unwrap_err().code(),
        "CEB_XML_STRUCTURE"
    );
}

#[test]
fn the_json_form_refuses_them_as_the_xml_form_does() {
    let mut json = to_json(&sample(MessageType::Ceb311));
    json["CEB311Message"]["Order"][0]["OrderHead"]["orderNo"] = "HC\u{1}1".into();
    json["CEB311Message"]["guid"] = "E1D582D8-ABCC-4DF1-9A98-42199A6D3F7\u{7f}".into();
    let read = from_json(&json).unwrap();
    let mut paths: Vec<&str> = character_issues(&read.issues)
        .iter()
        .map(|i| i.path.as_str())
        .collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            "/CEB311Message/Order[1]/OrderHead/orderNo",
            "/CEB311Message/guid"
        ]
    );
    well_formed(&[("from-json.xml", &encode(&read.message))]);

    // Free-form XML from JSON must be well-formed, as what XML reading keeps.
    let mut json = to_json(&sample(MessageType::Ceb311));
    json["CEB311Message"]["ExtendMessage"] = serde_json::json!({
        "name": "n", "version": "1", "Message": "<x>open"
    });
    let read = from_json(&json).unwrap();
    assert_eq!(
        read.issues
            .iter()
            .map(|i| (i.path.as_str(), i.rule_code()))
            .collect::<Vec<_>>(),
        [("/CEB311Message/ExtendMessage/Message", "type")]
    );
}

#[test]
fn the_envelope_reader_refuses_them_in_its_values() {
    let business = encode(&sample(MessageType::Ceb311));
    let routing = Routing {
        cop_msg_id: "COP\u{1}MSG".to_owned(),
        sender_id: "DXPENT0000000001".to_owned(),
        receiver_ids: vec!["DXPEDCCEB0000002".to_owned()],
        created: "2026-11-27T10:30:00".to_owned(),
    };
    let envelope = Envelope::Terminal(Box::new(wrap(
        business.as_bytes(),
        MessageType::Ceb311,
        &routing,
    )));
    let written = encode_envelope(&envelope);
    assert!(!written.contains('\u{1}'), "the writer never writes it");
    well_formed(&[("envelope.xml", &written)]);
    let hostile = written.replace("COP\u{fffd}MSG", "COP&#1;MSG");
    let decoded = decode_envelope(hostile.as_bytes(), Limits::default()).unwrap();
    let paths: Vec<&str> = character_issues(&decoded.issues)
        .iter()
        .map(|i| i.path.as_str())
        .collect();
    assert_eq!(
        paths,
        ["/DxpMsg/TransInfo/CopMsgId", "/DxpMsg/AddInfo/FileName"]
    );
}

/// Every value of every message type's example, with every refused
/// character added: the message is refused naming each place, the CEB900
/// that answers it (echoing the message) and the message written back are
/// well-formed XML to a strict parser (xmllint).
#[test]
fn every_message_type_written_from_hostile_values_is_well_formed() {
    let hostile: String = REFUSED.iter().collect();
    let mut documents = Vec::new();
    for &message_type in MessageType::ALL {
        let xml = encode(&sample(message_type));
        let poisoned = poison(&xml, &hostile);
        let decoded =
            decode(poisoned.as_bytes()).unwrap_or_else(|e| panic!("{}: {e}", message_type.code()));
        let refused = character_issues(&decoded.issues);
        assert!(
            refused.len() >= 2 && refused.iter().any(|i| i.path.ends_with("/guid")),
            "{}: {:?}",
            message_type.code(),
            decoded.issues
        );
        let receipt = format_receipt(
            Original {
                bytes: poisoned.as_bytes(),
                cop_msg_id: &format!("COP{hostile}"),
            },
            Refusal::Schema(&decoded.issues),
            "4CDE1CFD-EDED-46B1-946C-B8022E42FC94",
            "20261127103000000",
        );
        documents.push((
            format!("{}-ceb900.xml", message_type.code()),
            encode(&Message::Ceb900(receipt)),
        ));
        documents.push((
            format!("{}-again.xml", message_type.code()),
            encode(&decoded.message),
        ));
    }
    let named: Vec<(&str, &str)> = documents
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_str()))
        .collect();
    well_formed(&named);
}

/// Receipts the platform builds from values it holds (not read through the
/// codec): whatever they hold, the writer writes well-formed XML.
#[test]
fn receipts_built_from_hostile_values_are_written_well_formed() {
    let hostile: String = REFUSED.iter().collect();
    let mut receipts = Vec::new();
    let mut ceb312 = sample(MessageType::Ceb312);
    if let Message::Ceb312(m) = &mut ceb312 {
        m.guid.push_str(&hostile);
        for r in &mut m.order_return {
            r.order_no = format!("HC{hostile}");
            r.return_info = format!("订单{hostile}已存在 & <b>");
        }
    }
    receipts.push(ceb312);
    let mut ceb622 = sample(MessageType::Ceb622);
    if let Message::Ceb622(m) = &mut ceb622 {
        for r in &mut m.inventory_return {
            r.cop_no = format!("COP{hostile}");
            r.return_info = format!("关员理由：{hostile}\"'");
        }
    }
    receipts.push(ceb622);
    let mut ceb311 = sample(MessageType::Ceb311);
    if let Message::Ceb311(m) = &mut ceb311 {
        m.extend_message = Some(ExtendMessage {
            name: "n".to_owned(),
            version: "1".to_owned(),
            message: AnyXml(format!("<x a=\"&#1;\">{hostile}&#x1F;</x>")),
        });
    }
    receipts.push(ceb311);
    let written: Vec<(String, String)> = receipts
        .iter()
        .map(|m| {
            let xml = encode(m);
            assert!(
                !xml.chars().any(kuajing_ceb::characters::is_refused),
                "{xml}"
            );
            assert!(
                validate(m).iter().any(|i| i.rule_code() == "character"),
                "validation names them"
            );
            (format!("{}-built.xml", m.message_type().code()), xml)
        })
        .collect();
    let named: Vec<(&str, &str)> = written
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_str()))
        .collect();
    well_formed(&named);
}

/// `xml` with `hostile` added to every element value and attribute value.
fn poison(xml: &str, hostile: &str) -> String {
    let mut out = String::with_capacity(xml.len() * 2);
    for line in xml.lines() {
        let mut line = line.to_owned();
        // An element with a value: `<ceb:x>value</ceb:x>` (also an empty one).
        if let Some(open_end) = line.find('>')
            && line[open_end..].contains("</")
            && !line.trim_start().starts_with("<?")
        {
            line.insert_str(open_end + 1, hostile);
        }
        // Attribute values but the namespace declarations and the XML
        // declaration's.
        for attribute in [" guid=\"", " version=\""] {
            if let Some(at) = line.find(attribute).filter(|_| !line.starts_with("<?")) {
                line.insert_str(at + attribute.len(), hostile);
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Writes each document and has xmllint (libxml2, a strict XML 1.0 parser)
/// read it; panics with its report if one is not well-formed.
fn well_formed(documents: &[(&str, &str)]) {
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "kuajing-ceb-characters-{}-{}",
        std::process::id(),
        CALLS.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let files: Vec<PathBuf> = documents
        .iter()
        .map(|(name, xml)| {
            let file = dir.join(name);
            std::fs::write(&file, xml).unwrap();
            file
        })
        .collect();
    let output = Command::new("xmllint")
        .arg("--noout")
        .args(&files)
        .output()
        .expect("xmllint (Debian libxml2-utils) must be installed: .ci/run installs it");
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        output.status.success() && output.stderr.is_empty(),
        "xmllint found ill-formed XML:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
