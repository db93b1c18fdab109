//! The official sample messages, and the codec's own examples of every
//! message type, against the codec and the official XSD.

use std::path::Path;
use std::process::Command;

use kuajing_ceb::{Direction, MessageType, decode, encode, sample, validate};

use crate::{official_samples, spec_dir};

#[test]
fn every_official_sample_decodes_and_survives_a_round_trip() {
    let samples = official_samples();
    assert_eq!(
        samples.len(),
        16 + 23,
        "the specification ships 16 import and 23 export samples"
    );
    for (name, bytes) in samples {
        let decoded = decode(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let again = decode(encode(&decoded.message).as_bytes()).unwrap();
        assert_eq!(again.message, decoded.message, "{name}: round trip");
        assert!(
            again.issues.is_empty(),
            "{name}: the codec writes what it reads: {:?}",
            again.issues
        );
    }
}

#[test]
fn the_official_import_samples_follow_their_schema() {
    // All 16 import samples validate against the import XSD (ceb-messages.md §0).
    for (name, bytes) in official_samples()
        .into_iter()
        .filter(|(n, _)| n.starts_with("import/"))
    {
        let decoded = decode(&bytes).unwrap();
        assert_eq!(decoded.issues, vec![], "{name}");
    }
}

#[test]
fn the_official_export_samples_that_break_their_schema_read_leniently() {
    // §0: repeated BaseTransfer blocks, a root named CEB214, gseqno missing.
    let issues = |file: &str| {
        let (_, bytes) = official_samples()
            .into_iter()
            .find(|(n, _)| n.ends_with(file))
            .unwrap();
        decode(&bytes).unwrap().issues
    };
    let repeated = issues("CEB303Message.xml");
    assert_eq!(repeated.len(), 1);
    assert_eq!(
        (repeated[0].path.as_str(), repeated[0].rule_code()),
        ("/CEB303Message/BaseTransfer", "duplicate")
    );
    let misnamed = issues("CEB214Message.xml");
    assert_eq!(misnamed[0].rule_code(), "root_name");
    assert_eq!(misnamed[0].value.as_deref(), Some("CEB214"));
    assert!(
        issues("CEB792Message.xml")
            .iter()
            .all(|i| i.path.ends_with("/gseqno") && i.rule_code() == "missing")
    );
}

#[test]
fn every_message_type_has_an_example_that_passes_validation() {
    for &message_type in MessageType::ALL {
        let example = sample(message_type);
        assert_eq!(example.message_type(), message_type);
        let issues = validate(&example);
        assert!(issues.is_empty(), "{}: {issues:#?}", message_type.code());
        let xml = encode(&example);
        let decoded = decode(xml.as_bytes()).unwrap();
        assert_eq!(decoded.issues, vec![], "{}", message_type.code());
        assert_eq!(
            decoded.message,
            example,
            "{}: round trip",
            message_type.code()
        );
    }
}

/// Runs `xmllint --schema` over files; panics with its report if any fails.
fn xmllint(schema: &Path, files: &[std::path::PathBuf]) {
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema)
        .args(files)
        .output()
        .expect("xmllint (Debian libxml2-utils) must be installed: .ci/run installs it");
    let report = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "xmllint refused the codec's output:\n{report}"
    );
    assert_eq!(
        report.matches(" validates").count(),
        files.len(),
        "{report}"
    );
}

#[test]
fn what_the_codec_writes_validates_against_the_official_xsd() {
    let dir = tempdir();
    let mut import = Vec::new();
    let mut export = Vec::new();
    for &message_type in MessageType::ALL {
        let file = dir.join(format!("{}.xml", message_type.root_name()));
        std::fs::write(&file, encode(&sample(message_type))).unwrap();
        match message_type.direction() {
            Direction::Import => import.push(file),
            Direction::Export => export.push(file),
        }
    }
    for (name, bytes) in official_samples()
        .into_iter()
        .filter(|(n, _)| n.starts_with("import/"))
    {
        let file = dir.join(format!("reencoded-{}", name.replace('/', "-")));
        std::fs::write(&file, encode(&decode(&bytes).unwrap().message)).unwrap();
        import.push(file);
    }
    let xsd = spec_dir().join("xsd");
    xmllint(&xsd.join("ceb-import-202205.xsd"), &import);
    xmllint(&xsd.join("ceb-export-202205.xsd"), &export);
    std::fs::remove_dir_all(&dir).unwrap();
}

fn tempdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kuajing-ceb-xsd-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
