//! Hostile input is an error value, never a panic, an expansion or a fetch.

use kuajing_ceb::{DecodeError, Limits, MessageType, decode, decode_with, encode, sample};

fn code(bytes: &[u8]) -> &'static str {
    match decode(bytes) {
        Err(error) => error.code(),
        Ok(decoded) => panic!("read: {:?}", decoded.message.message_type()),
    }
}

#[test]
fn document_type_declarations_and_entities_are_refused() {
    let laughs = br#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<CEB312Message xmlns="http://www.chinaport.gov.cn/ceb" guid="x" version="1.0"><OrderReturn><guid>&lol2;</guid></OrderReturn></CEB312Message>"#;
    assert_eq!(code(laughs), "CEB_XML_DOCTYPE");
    let external = br#"<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://attacker.invalid/x.dtd"><CEB312Message/>"#;
    assert_eq!(code(external), "CEB_XML_DOCTYPE");
    let undeclared = encode(&sample(MessageType::Ceb312)).replace("新增申报成功", "&xxe;");
    assert!(
        matches!(decode(undeclared.as_bytes()), Err(DecodeError::UndeclaredEntity { name, .. }) if name == "xxe")
    );
    // Character references and the five predefined entities are fine.
    let fine = encode(&sample(MessageType::Ceb312))
        .replace("新增申报成功", "&#26032;&amp;&lt;&gt;&apos;&quot;");
    assert!(decode(fine.as_bytes()).is_ok());
}

#[test]
fn size_depth_and_element_count_are_bounded() {
    let xml = encode(&sample(MessageType::Ceb311));
    let small = Limits {
        max_bytes: 100,
        ..Limits::default()
    };
    assert!(matches!(
        decode_with(xml.as_bytes(), small),
        Err(DecodeError::TooLarge { .. })
    ));

    let few = Limits {
        max_elements: 20,
        ..Limits::default()
    };
    assert!(matches!(
        decode_with(xml.as_bytes(), few),
        Err(DecodeError::TooManyElements { limit: 20 })
    ));

    let deep = format!(
        "<ceb:CEB312Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\" guid=\"g\" version=\"1.0\">{}{}</ceb:CEB312Message>",
        "<a>".repeat(1000),
        "</a>".repeat(1000)
    );
    assert!(matches!(
        decode(deep.as_bytes()),
        Err(DecodeError::TooDeep { limit: 32 })
    ));
}

#[test]
fn malformed_and_foreign_documents_are_errors() {
    let xml = encode(&sample(MessageType::Ceb311));
    let half = (xml.len() / 2..)
        .find(|&i| xml.is_char_boundary(i))
        .unwrap();
    assert_eq!(code(&xml.as_bytes()[..half]), "CEB_XML_STRUCTURE");
    assert_eq!(code(b""), "CEB_XML_STRUCTURE");
    assert_eq!(code(b"not xml at all"), "CEB_XML_STRUCTURE");
    assert_eq!(code(b"<CEB312Message xmlns=\"http://www.chinaport.gov.cn/ceb\" guid=\"g\" version=\"1\"><OrderReturn></CEB312Message></OrderReturn>"), "CEB_XML_MALFORMED");
    assert_eq!(
        code(b"<html xmlns=\"http://www.w3.org/1999/xhtml\"/>"),
        "CEB_MESSAGE_UNKNOWN"
    );
    assert_eq!(code(b"<CEB999Message/>"), "CEB_MESSAGE_UNKNOWN");
    let unbound = b"<c:CEB312Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\" guid=\"g\" version=\"1\"/>";
    assert_eq!(code(unbound), "CEB_XML_MALFORMED");
    assert_eq!(
        code(b"<x:CEB311Message xmlns:x=\"http://www.chinaport.gov.cn/dxp\"/>"),
        "CEB_MESSAGE_UNKNOWN"
    );
    assert_eq!(
        code(&[0x3C, 0x61, 0x3E, 0xB2, 0xE2, 0x3C, 0x2F, 0x61, 0x3E]),
        "CEB_XML_ENCODING"
    );
    assert_eq!(
        code(b"<?xml version=\"1.0\" encoding=\"GBK\"?><CEB312Message/>"),
        "CEB_XML_ENCODING"
    );
    let mixed = xml.replace("<ceb:Order>", "<ceb:Order>stray text");
    assert_eq!(code(mixed.as_bytes()), "CEB_XML_STRUCTURE");
    let inside = xml.replace(
        "<ceb:freight>10.00</ceb:freight>",
        "<ceb:freight>10<b/>00</ceb:freight>",
    );
    assert_eq!(code(inside.as_bytes()), "CEB_XML_STRUCTURE");
    let two_roots = format!("{xml}<ceb:CEB311Message/>");
    assert!(decode(two_roots.as_bytes()).is_err());
}

#[test]
fn every_prefix_of_a_message_is_an_error_or_a_message_never_a_panic() {
    let xml = encode(&sample(MessageType::Ceb621));
    for end in 0..xml.len() {
        if xml.is_char_boundary(end) {
            let _ = decode(&xml.as_bytes()[..end]);
        }
    }
}
