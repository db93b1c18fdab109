//! The invariants the CEB fuzz targets hold `kuajing-ceb` to. One copy:
//! the targets include it as a module, and the crate's regression test
//! (`crates/ceb/tests/ceb/regressions.rs`) includes it by path to replay
//! `fuzz/regressions/<target>/` under `cargo test`.

// Each target uses one of the checks.
#![allow(dead_code)]

use kuajing_ceb::characters::is_xml_char;
use kuajing_ceb::envelope::{check_envelope, decode_envelope, encode_envelope};
use kuajing_ceb::{Limits, Message, decode, encode, from_json, sign, to_json, validate};

/// `ceb_decode`: whatever decodes survives the round trips.
pub fn message(bytes: &[u8]) {
    if let Ok(decoded) = decode(bytes) {
        round_trip(&decoded.message);
    }
}

/// A message read (leniently, perhaps with issues) is written so that it
/// reads back equal and without issues, through XML and through JSON; and
/// every issue validation finds is placed under the root.
pub fn round_trip(message: &Message) {
    let xml = encode(message);
    well_formed_characters(&xml);
    let again = match decode(xml.as_bytes()) {
        Ok(again) => again,
        Err(error) => panic!("the codec does not read what it wrote: {error}\n{xml}"),
    };
    assert_eq!(
        &again.message, message,
        "the XML round trip changed the message:\n{xml}"
    );
    assert!(
        again.issues.is_empty(),
        "what the codec writes reads with issues: {:?}\n{xml}",
        again.issues
    );

    let root = format!("/{}", message.message_type().root_name());
    for issue in validate(message) {
        let path = issue.path.as_str();
        assert!(
            path == root || path.starts_with(&format!("{root}/")),
            "an issue outside the message: {issue:?}"
        );
    }

    let json = to_json(message);
    let back = match from_json(&json) {
        Ok(back) => back,
        Err(error) => panic!("from_json refuses what to_json wrote: {error}\n{json}"),
    };
    assert_eq!(
        &back.message, message,
        "the JSON round trip changed the message:\n{json}"
    );
    assert!(
        back.issues.is_empty(),
        "what to_json writes reads with issues: {:?}\n{json}",
        back.issues
    );
}

/// `dxp_decode`: an envelope that decodes is checked, its business message
/// (if it reads) survives the round trips, and it writes back equal.
pub fn envelope(bytes: &[u8]) {
    let Ok(decoded) = decode_envelope(bytes, Limits::default()) else {
        return;
    };
    let _ = check_envelope(&decoded.envelope);
    if let Ok(business) = decoded.envelope.terminal().business(Limits::default()) {
        round_trip(&business.message);
    }
    let xml = encode_envelope(&decoded.envelope);
    well_formed_characters(&xml);
    let again = match decode_envelope(xml.as_bytes(), Limits::default()) {
        Ok(again) => again,
        Err(error) => panic!("the codec does not read the envelope it wrote: {error}\n{xml}"),
    };
    assert_eq!(
        again.envelope, decoded.envelope,
        "the envelope round trip changed it:\n{xml}"
    );
    assert!(
        again.issues.is_empty(),
        "the envelope the codec writes reads with issues: {:?}\n{xml}",
        again.issues
    );
}

/// What the codec writes holds only characters XML 1.0 can carry (§2.2),
/// whatever it read (issue #14, finding 7: a control character read in a
/// value was once written back raw).
fn well_formed_characters(xml: &str) {
    if let Some(bad) = xml.chars().find(|&c| !is_xml_char(c)) {
        panic!(
            "the codec wrote U+{:04X}, which XML cannot carry:\n{xml}",
            u32::from(bad)
        );
    }
}

/// `ceb_verify`: verifying any bytes is a result, never a panic (and so is
/// computing what the digest and the signature cover).
pub fn signature(bytes: &[u8]) {
    let _ = sign::verify(bytes);
    let _ = sign::canonical_reference(bytes);
    let _ = sign::canonical_signed_info(bytes);
}
