//! The official sample messages.

use kuajing_ceb::{decode, encode};

use crate::official_samples;

#[test]
fn every_official_sample_decodes() {
    for (name, bytes) in official_samples() {
        let decoded = decode(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        println!(
            "{name}: {:?} {} issues",
            decoded.message.message_type(),
            decoded.issues.len()
        );
        for issue in &decoded.issues {
            println!("    {issue}");
        }
        let again = decode(encode(&decoded.message).as_bytes()).unwrap();
        assert_eq!(again.message, decoded.message, "{name}: round trip");
    }
}
