//! `kuajing ceb …` as an integrator uses it: the real binary on files.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::*;

/// Runs `kuajing ceb ARGS` (no database involved).
fn ceb(args: &[&str]) -> Output {
    let mut all = vec!["ceb"];
    all.extend_from_slice(args);
    kuajing("sqlite://unused.db", &all, "")
}

fn write(dir: &Path, name: &str, content: &[u8]) -> String {
    let file = dir.join(name);
    std::fs::write(&file, content).unwrap();
    file.to_string_lossy().into_owned()
}

const TYPES: &[&str] = &[
    "CEB311", "CEB312", "CEB411", "CEB412", "CEB511", "CEB512", "CEB513", "CEB514", "CEB621",
    "CEB622", "CEB623", "CEB624", "CEB625", "CEB626", "CEB711", "CEB712", "CEB816", "CEB818",
    "CEB900", "CEB303", "CEB304", "CEB403", "CEB404", "CEB505", "CEB506", "CEB507", "CEB508",
    "CEB509", "CEB510", "CEB603", "CEB604", "CEB605", "CEB606", "CEB607", "CEB608", "CEB213",
    "CEB214", "CEB215", "CEB216", "CEB701", "CEB702", "CEB792",
];

#[test]
fn every_sample_is_valid_and_validate_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for code in TYPES {
        let output = ceb(&["sample", code]);
        assert_exit(&output, 0);
        assert!(
            stdout(&output).contains(&format!("<ceb:{code}Message ")),
            "{code}"
        );
        files.push(write(dir.path(), &format!("{code}.xml"), &output.stdout));
    }
    let mut args = vec!["validate"];
    args.extend(files.iter().map(String::as_str));
    let output = ceb(&args);
    assert_exit(&output, 0);
    assert_eq!(
        stdout(&output).matches(": valid").count(),
        TYPES.len(),
        "{}",
        stdout(&output)
    );

    let output = ceb(&["sample", "CEB999"]);
    assert_exit(&output, 2);
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("CEB621"),
        "lists the types"
    );
}

#[test]
fn validate_prints_each_problem_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let order = stdout(&ceb(&["sample", "CEB311"]));
    let broken = order
        .replace(
            "<ceb:acturalPaid>377.49</ceb:acturalPaid>",
            "<ceb:acturalPaid>377.50</ceb:acturalPaid>",
        )
        .replace(
            "<ceb:appType>1</ceb:appType>",
            "<ceb:appType>9</ceb:appType>",
        );
    let good = write(dir.path(), "good.xml", order.as_bytes());
    let bad = write(dir.path(), "bad.xml", broken.as_bytes());
    let hostile = write(
        dir.path(),
        "hostile.xml",
        br#"<!DOCTYPE x [<!ENTITY a "b">]><CEB311Message/>"#,
    );
    let output = ceb(&["validate", &good, &bad, &hostile]);
    assert_exit(&output, 2);
    let text = stdout(&output);
    assert!(text.contains(&format!("{good}: valid")), "{text}");
    assert!(text.contains("[-301008] /CEB311Message/Order[1]/OrderHead/acturalPaid: breaks acturalPaid = goodsValue + freight + taxTotal − discount: expected 377.49; found \"377.50\""), "{text}");
    assert!(
        text.contains(
            "/CEB311Message/Order[1]/OrderHead/appType: not in the appType 企业报送类型 code list"
        ),
        "{text}"
    );
    assert!(text.contains(&format!("{bad}: 2 problem(s)")), "{text}");
    assert!(text.contains("[CEB_XML_DOCTYPE]"), "{text}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("2 of 3 file(s) are not valid"));
}

#[test]
fn convert_goes_from_xml_to_json_and_back_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let xml = ceb(&["sample", "CEB621"]).stdout;
    let xml_file = write(dir.path(), "621.xml", &xml);
    let json = ceb(&["convert", "--to", "json", &xml_file]);
    assert_exit(&json, 0);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        value["CEB621Message"]["Inventory"][0]["InventoryHead"]["tradeMode"],
        "1210"
    );
    let json_file = write(dir.path(), "621.json", &json.stdout);
    let back = ceb(&["convert", "--to", "xml", &json_file]);
    assert_exit(&back, 0);
    assert_eq!(back.stdout, xml);

    let bad = write(dir.path(), "bad.json", br#"{"CEB311Message": {"guid": 1}}"#);
    let output = ceb(&["convert", "--to", "xml", &bad]);
    assert_exit(&output, 2);
    assert!(output.stdout.is_empty(), "nothing written");
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("/CEB311Message/version: required element missing")
    );
}

/// An SM2 key (PKCS#8) and a self-signed certificate made by the OpenSSL
/// command line, as an enterprise's test identity would be.
pub fn sm2_identity(dir: &Path) -> (String, String) {
    let key = dir.join("sm2.key");
    let cert = dir.join("sm2.crt");
    let run = |args: &[&str]| {
        let status = Command::new("openssl")
            .args(args)
            .status()
            .expect("openssl");
        assert!(status.success(), "openssl {args:?}");
    };
    let key_s = key.to_string_lossy().into_owned();
    let cert_s = cert.to_string_lossy().into_owned();
    run(&[
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:SM2",
        "-out",
        &key_s,
    ]);
    run(&[
        "req",
        "-new",
        "-x509",
        "-key",
        &key_s,
        "-sm3",
        "-sigopt",
        "distid:1234567812345678",
        "-subj",
        "/CN=Hunchun Test Declarer/O=Kuajing",
        "-days",
        "30",
        "-out",
        &cert_s,
    ]);
    (key_s, cert_s)
}

#[test]
fn sign_then_verify_and_a_changed_amount_fails() {
    let dir = tempfile::tempdir().unwrap();
    let (key, cert) = sm2_identity(dir.path());
    let list = write(dir.path(), "621.xml", &ceb(&["sample", "CEB621"]).stdout);
    let signed = ceb(&[
        "sign",
        "--key",
        &key,
        "--cert",
        &cert,
        "--key-name",
        "01691f7f",
        &list,
    ]);
    assert_exit(&signed, 0);
    let signed_file = write(dir.path(), "signed.xml", &signed.stdout);
    let verified = ceb(&["verify", &signed_file]);
    assert_exit(&verified, 0);
    let text = stdout(&verified);
    assert!(
        text.contains("signature valid (SM2-SM3, digest SM3)"),
        "{text}"
    );
    assert!(
        text.contains("CN=Hunchun Test Declarer") && text.contains("key name 01691f7f"),
        "{text}"
    );
    assert_exit(&ceb(&["validate", &signed_file]), 0);

    let tampered = String::from_utf8(signed.stdout).unwrap().replace(
        "<ceb:price>168.00</ceb:price>",
        "<ceb:price>168.01</ceb:price>",
    );
    let tampered_file = write(dir.path(), "tampered.xml", tampered.as_bytes());
    let output = ceb(&["verify", &tampered_file]);
    assert_exit(&output, 2);
    assert!(String::from_utf8_lossy(&output.stderr).contains("[CEB_SIGN_DIGEST]"));

    let receipt = write(dir.path(), "622.xml", &ceb(&["sample", "CEB622"]).stdout);
    assert_exit(&ceb(&["sign", "--key", &key, "--cert", &cert, &receipt]), 2);
    assert_exit(&ceb(&["sign", "--key", &cert, "--cert", &cert, &list]), 2);
    let missing: PathBuf = dir.path().join("none.xml");
    assert_exit(&ceb(&["verify", &missing.to_string_lossy()]), 2);
}

#[test]
fn wrap_puts_a_message_in_a_dxp_envelope_that_validate_reads_through() {
    let dir = tempfile::tempdir().unwrap();
    let order = stdout(&ceb(&["sample", "CEB311"]));
    let good = write(dir.path(), "311.xml", order.as_bytes());
    let wrapped = ceb(&[
        "wrap",
        "--sender",
        "DXPENT0000224960",
        "--cop-msg-id",
        "F0CDF14E-42C1-47B6-AED1-CA56BA887518",
        &good,
    ]);
    assert_exit(&wrapped, 0);
    let envelope = stdout(&wrapped);
    assert!(
        envelope.contains("<dxp:ReceiverId>DXPEDCCEB0000002</dxp:ReceiverId>"),
        "import receiver by default"
    );
    assert!(envelope.contains("<dxp:MsgType>CEB311Message</dxp:MsgType>"));
    assert!(envelope.contains(
        "<dxp:FileName>CEB311Message_F0CDF14E-42C1-47B6-AED1-CA56BA887518.xml</dxp:FileName>"
    ));
    let envelope_file = write(dir.path(), "dxp.xml", envelope.as_bytes());
    assert_exit(&ceb(&["validate", &envelope_file]), 0);

    // The envelope is checked with the message it carries.
    let broken = order.replace(
        "<ceb:appStatus>2</ceb:appStatus>",
        "<ceb:appStatus>7</ceb:appStatus>",
    );
    let bad = write(dir.path(), "bad.xml", broken.as_bytes());
    let wrapped = ceb(&[
        "wrap",
        "--sender",
        "DXPENT0000224960",
        "--receiver",
        "DXPEDCCEB0000002",
        &bad,
    ]);
    let bad_envelope = write(dir.path(), "bad-dxp.xml", &wrapped.stdout);
    let output = ceb(&["validate", &bad_envelope]);
    assert_exit(&output, 2);
    assert!(
        stdout(&output).contains("/CEB311Message/Order[1]/OrderHead/appStatus"),
        "{}",
        stdout(&output)
    );

    let too_many: Vec<String> = (0..6).map(|i| format!("DXPEDCCEB000000{i}")).collect();
    let mut args = vec!["wrap", "--sender", "DXPENT0000224960"];
    for receiver in &too_many {
        args.extend(["--receiver", receiver.as_str()]);
    }
    args.push(&good);
    let output = ceb(&args);
    assert_exit(&output, 2);
    assert!(output.stdout.is_empty(), "nothing written");
}
