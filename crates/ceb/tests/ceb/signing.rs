//! Signing and verifying the enveloped XML signature (ceb-messages.md §4.4)
//! on the official CEB621 sample, with keys and certificates made here:
//! round trips through the codec, tampering, the accepted variants, and
//! interoperability with the OpenSSL command line and libxml2's C14N.

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine;
use kuajing_ceb::sign::{
    self, DigestAlgorithm, SM2_DISTINGUISHING_ID, SignError, SignatureAlgorithm, Signer, uri,
};
use kuajing_ceb::{Message, decode, encode};
use openssl::ec::{EcGroup, EcKey};
use openssl::nid::Nid;
use openssl::pkey::PKey;

use crate::spec_dir;

// ---------------------------------------------------------------------------
// Keys and certificates, made for each test (no key file is kept).

pub(crate) use kuajing_testkit::certificates::{Identity, identity, rsa_identity, sm2_identity};

pub(crate) fn signer(identity: &Identity, key_name: Option<&str>) -> Signer {
    Signer::from_pem(
        &identity.key_pem,
        &identity.certificate_pem,
        key_name.map(str::to_owned),
    )
    .unwrap()
}

// ---------------------------------------------------------------------------
// Messages and edits of signed documents.

fn sample(name: &str) -> Message {
    let path = spec_dir().join("samples/import").join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    decode(&bytes).unwrap().message
}

fn ceb621() -> Message {
    sample("CEB621Message.xml")
}

fn signed(identity: &Identity) -> String {
    sign::sign(&mut ceb621(), &signer(identity, None)).unwrap()
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn unb64(text: &str) -> Vec<u8> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .unwrap()
}

/// The text of the first `<tag>…</tag>` in `document`.
fn element_text<'a>(document: &'a str, tag: &str) -> &'a str {
    let open = format!("<{tag}>");
    let start = document.find(&open).unwrap() + open.len();
    let end = start + document[start..].find(&format!("</{tag}>")).unwrap();
    &document[start..end]
}

/// `document` with the text of the first `<tag>…</tag>` replaced.
fn with_element_text(document: &str, tag: &str, text: &str) -> String {
    let open = format!("<{tag}>");
    let start = document.find(&open).unwrap() + open.len();
    let end = start + document[start..].find(&format!("</{tag}>")).unwrap();
    format!("{}{text}{}", &document[..start], &document[end..])
}

/// Signs `document` again as it stands (after edits of its signature's
/// algorithms or its layout): the digest with the digest method it names,
/// then the signature over its canonical SignedInfo.
fn resign(document: &str, signer: &Signer, digest: DigestAlgorithm) -> String {
    let reference = sign::canonical_reference(document.as_bytes()).unwrap();
    let document = with_element_text(document, "ds:DigestValue", &b64(&digest.digest(&reference)));
    let signed_info = sign::canonical_signed_info(document.as_bytes()).unwrap();
    let value = signer.sign_bytes(&signed_info).unwrap();
    with_element_text(&document, "ds:SignatureValue", &b64(&value))
}

fn error_code(result: Result<sign::Verified, SignError>) -> &'static str {
    match result {
        Ok(verified) => panic!("verified unexpectedly: {verified:?}"),
        Err(error) => error.code(),
    }
}

// ---------------------------------------------------------------------------
// Sign and verify.

#[test]
fn sm2_signs_and_verifies() {
    let identity = sm2_identity();
    let signer = signer(&identity, Some("01691f7f"));
    assert_eq!(signer.algorithm(), SignatureAlgorithm::Sm2Sm3);
    let mut message = ceb621();
    let document = sign::sign(&mut message, &signer).unwrap();

    assert!(document.contains(uri::SM2_SM3));
    assert!(document.contains(uri::SM3));
    assert!(document.contains(uri::C14N));
    assert!(document.contains(uri::ENVELOPED_SIGNATURE));
    assert!(document.contains("<ds:Reference URI=\"\">"));
    assert!(document.contains("<ds:KeyName>01691f7f</ds:KeyName>"));
    assert_eq!(
        unb64(element_text(&document, "ds:SignatureValue")).len(),
        64
    );
    assert_eq!(unb64(element_text(&document, "ds:DigestValue")).len(), 32);
    // The message now carries the signature it was encoded with.
    assert!(message.is_signed());
    assert_eq!(encode(&message), document);

    let verified = sign::verify(document.as_bytes()).unwrap();
    assert_eq!(verified.algorithm, SignatureAlgorithm::Sm2Sm3);
    assert_eq!(verified.digest, DigestAlgorithm::Sm3);
    assert_eq!(verified.key_name.as_deref(), Some("01691f7f"));
    assert_eq!(verified.serial, identity.serial);
    assert!(
        verified.subject.contains("CN=SM2 测试证书"),
        "{}",
        verified.subject
    );
    assert!(
        verified.subject.contains("O=测试企业"),
        "{}",
        verified.subject
    );
    assert!(verified.issuer.contains("CN=Test e-port CA"));
    assert_eq!(verified.certificate, signer.certificate_der());
}

#[test]
fn rsa_signs_and_verifies() {
    let identity = rsa_identity();
    let signer = signer(&identity, None);
    assert_eq!(signer.algorithm(), SignatureAlgorithm::RsaSha1);
    assert_eq!(signer.key_name(), identity.serial);
    let document = sign::sign(&mut ceb621(), &signer).unwrap();

    assert!(document.contains(uri::RSA_SHA1));
    assert!(document.contains(uri::SHA1));
    assert_eq!(
        unb64(element_text(&document, "ds:SignatureValue")).len(),
        256
    );
    assert_eq!(unb64(element_text(&document, "ds:DigestValue")).len(), 20);

    let verified = sign::verify(document.as_bytes()).unwrap();
    assert_eq!(verified.algorithm, SignatureAlgorithm::RsaSha1);
    assert_eq!(verified.digest, DigestAlgorithm::Sha1);
    assert_eq!(verified.key_name.as_deref(), Some(identity.serial.as_str()));
    assert_eq!(verified.serial, identity.serial);
    assert!(verified.subject.contains("CN=RSA 测试证书"));
}

#[test]
fn a_signed_message_survives_decode_and_encode() {
    for identity in [sm2_identity(), rsa_identity()] {
        let document = signed(&identity);
        let decoded = decode(document.as_bytes()).unwrap();
        assert!(decoded.message.is_signed());
        let again = encode(&decoded.message);
        assert_eq!(again, document, "decode → encode changed the bytes");
        sign::verify(again.as_bytes()).unwrap();
    }
}

#[test]
fn signing_again_replaces_the_signature() {
    let first = sm2_identity();
    let second = rsa_identity();
    let mut message = ceb621();
    sign::sign(&mut message, &signer(&first, None)).unwrap();
    let document = sign::sign(&mut message, &signer(&second, None)).unwrap();
    assert_eq!(document.matches("<ds:Signature xmlns").count(), 1);
    let verified = sign::verify(document.as_bytes()).unwrap();
    assert_eq!(verified.serial, second.serial);
}

#[test]
fn layout_that_c14n_ignores_does_not_matter() {
    let document = signed(&sm2_identity());
    // A byte-order mark, another XML declaration, CRLF line ends, empty
    // elements written short, single quotes: the canonical form is the same.
    let edited = document
        .replacen(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<?xml version='1.0' encoding='utf-8' standalone='yes'?>",
            1,
        )
        .replace("<ceb:note></ceb:note>", "<ceb:note/>")
        .replace(
            &format!("<ds:Transform Algorithm=\"{}\"/>", uri::ENVELOPED_SIGNATURE),
            &format!(
                "<ds:Transform Algorithm='{}' ></ds:Transform >",
                uri::ENVELOPED_SIGNATURE
            ),
        )
        .replace('\n', "\r\n");
    assert_ne!(edited, document);
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(edited.as_bytes());
    sign::verify(&bytes).unwrap();
}

// ---------------------------------------------------------------------------
// Tampering.

#[test]
fn any_change_of_the_content_breaks_the_digest() {
    for identity in [sm2_identity(), rsa_identity()] {
        let document = signed(&identity);
        let edits = [
            // One digit of an amount.
            document.replacen(
                "<ceb:totalPrice>20</ceb:totalPrice>",
                "<ceb:totalPrice>21</ceb:totalPrice>",
                1,
            ),
            // One character of a name.
            document.replacen("李小宝", "李小室", 1),
            // An attribute of the root.
            document.replacen("guid=\"4CDE", "guid=\"5CDE", 1),
            // Whitespace between elements is content too.
            document.replacen("<ceb:Inventory>", " <ceb:Inventory>", 1),
        ];
        for edited in edits {
            assert_ne!(edited, document);
            let error = sign::verify(edited.as_bytes()).unwrap_err();
            assert_eq!(error.code(), "CEB_SIGN_DIGEST", "{error}");
            assert!(matches!(error, SignError::DigestMismatch { .. }));
        }
    }
}

#[test]
fn a_changed_signature_value_fails() {
    for identity in [sm2_identity(), rsa_identity()] {
        let document = signed(&identity);
        let value = element_text(&document, "ds:SignatureValue");
        for position in [0, 10, 40] {
            let mut changed = value.as_bytes().to_vec();
            changed[position] = if changed[position] == b'A' {
                b'B'
            } else {
                b'A'
            };
            let changed = String::from_utf8(changed).unwrap();
            let edited = with_element_text(&document, "ds:SignatureValue", &changed);
            let error = sign::verify(edited.as_bytes()).unwrap_err();
            assert_eq!(error, SignError::BadSignature, "position {position}");
        }
    }
}

#[test]
fn a_changed_signed_info_fails() {
    // The digest method named differently (and the digest still right for
    // the content): what was signed has changed.
    let identity = sm2_identity();
    let document = signed(&identity);
    let reference = sign::canonical_reference(document.as_bytes()).unwrap();
    let edited = document.replace(uri::SM3, uri::SHA1);
    let edited = with_element_text(
        &edited,
        "ds:DigestValue",
        &b64(&DigestAlgorithm::Sha1.digest(&reference)),
    );
    assert_eq!(
        sign::verify(edited.as_bytes()).unwrap_err(),
        SignError::BadSignature
    );
}

#[test]
fn another_certificate_fails() {
    let document = signed(&sm2_identity());
    let other = signer(&sm2_identity(), None);
    let edited = with_element_text(
        &document,
        "ds:X509Certificate",
        &b64(other.certificate_der()),
    );
    assert_eq!(
        sign::verify(edited.as_bytes()).unwrap_err(),
        SignError::BadSignature
    );
    // An RSA certificate under an SM2 signature method.
    let rsa = signer(&rsa_identity(), None);
    let edited = with_element_text(&document, "ds:X509Certificate", &b64(rsa.certificate_der()));
    assert_eq!(
        error_code(sign::verify(edited.as_bytes())),
        "CEB_SIGN_ALGORITHM_MISMATCH"
    );
    // No certificate at all.
    let edited = with_element_text(&document, "ds:X509Certificate", "");
    assert_eq!(
        error_code(sign::verify(edited.as_bytes())),
        "CEB_SIGN_CERTIFICATE"
    );
}

// ---------------------------------------------------------------------------
// The variants other signers write, accepted on verification.

#[test]
fn legacy_uris_other_digests_and_comments_are_accepted() {
    let identity = sm2_identity();
    let signer = signer(&identity, None);
    let document = signed(&identity);

    // The legacy SM2 URI with a SHA-1 digest (the Weasley-J signer).
    let legacy = resign(
        &document
            .replace(uri::SM2_SM3, uri::SM2_SM3_LEGACY)
            .replace(uri::SM3, uri::SHA1),
        &signer,
        DigestAlgorithm::Sha1,
    );
    let verified = sign::verify(legacy.as_bytes()).unwrap();
    assert_eq!(verified.algorithm, SignatureAlgorithm::Sm2Sm3);
    assert_eq!(verified.digest, DigestAlgorithm::Sha1);

    // C14N with comments (the zhengjin signer), a comment inside SignedInfo.
    let with_comments = resign(
        &document
            .replace(
                &format!("Algorithm=\"{}\"", uri::C14N),
                &format!("Algorithm=\"{}\"", uri::C14N_WITH_COMMENTS),
            )
            .replace(
                "<ds:SignatureMethod",
                "<!-- signed with comments --><ds:SignatureMethod",
            ),
        &signer,
        DigestAlgorithm::Sm3,
    );
    let canonical = sign::canonical_signed_info(with_comments.as_bytes()).unwrap();
    assert!(
        String::from_utf8(canonical)
            .unwrap()
            .contains("<!-- signed with comments -->")
    );
    sign::verify(with_comments.as_bytes()).unwrap();
    // The comment is signed: removing it breaks the signature.
    let without = with_comments.replace("<!-- signed with comments -->", "");
    assert_eq!(
        sign::verify(without.as_bytes()).unwrap_err(),
        SignError::BadSignature
    );

    // RSA-SHA1 with an SM3 digest.
    let rsa = rsa_identity();
    let rsa_signer = self::signer(&rsa, None);
    let mixed = resign(
        &signed(&rsa).replace(uri::SHA1, uri::SM3),
        &rsa_signer,
        DigestAlgorithm::Sm3,
    );
    let verified = sign::verify(mixed.as_bytes()).unwrap();
    assert_eq!(verified.algorithm, SignatureAlgorithm::RsaSha1);
    assert_eq!(verified.digest, DigestAlgorithm::Sm3);
}

#[test]
fn other_prefixes_and_a_default_namespace_verify() {
    // A document whose author chose other prefixes: signed as it stands, it
    // verifies as it stands.
    let identity = sm2_identity();
    let signer = signer(&identity, None);
    let document = signed(&identity)
        .replace("<ceb:", "<")
        .replace("</ceb:", "</")
        .replace("xmlns:ceb=", "xmlns=")
        .replace("ds:", "dsig:")
        .replace("xmlns:ds=", "xmlns:dsig=");
    // (`resign` looks for `ds:` tags: sign again by hand.)
    let reference = sign::canonical_reference(document.as_bytes()).unwrap();
    let document = with_element_text(
        &document,
        "dsig:DigestValue",
        &b64(&DigestAlgorithm::Sm3.digest(&reference)),
    );
    let signed_info = sign::canonical_signed_info(document.as_bytes()).unwrap();
    let signed_info_text = String::from_utf8(signed_info.clone()).unwrap();
    assert!(
        signed_info_text.starts_with(
            "<dsig:SignedInfo xmlns=\"http://www.chinaport.gov.cn/ceb\" xmlns:dsig=\"http://www.w3.org/2000/09/xmldsig#\">"
        ),
        "{signed_info_text}"
    );
    let value = signer.sign_bytes(&signed_info).unwrap();
    let document = with_element_text(&document, "dsig:SignatureValue", &b64(&value));
    sign::verify(document.as_bytes()).unwrap();
    // And the codec still reads it.
    assert!(decode(document.as_bytes()).unwrap().message.is_signed());
}

// ---------------------------------------------------------------------------
// Refusals.

#[test]
fn the_official_samples_placeholder_signature_fails_cleanly() {
    let path = spec_dir().join("samples/import/CEB621Message.xml");
    let bytes = std::fs::read(path).unwrap();
    let error = sign::verify(&bytes).unwrap_err();
    // The sample's DigestValue is a 20-byte placeholder under an SM3 method.
    assert_eq!(error.code(), "CEB_SIGN_DIGEST", "{error}");
    assert!(!error.message_zh().is_empty());
    assert!(!error.message_en().is_empty());
}

#[test]
fn unsigned_malformed_and_receipts_are_refused() {
    // No signature.
    let mut message = ceb621();
    *message.signature_slot().unwrap() = None;
    assert_eq!(
        sign::verify(encode(&message).as_bytes()).unwrap_err(),
        SignError::NoSignature
    );
    // Not XML, not UTF-8, a DTD.
    for bytes in [
        b"<ceb:CEB621Message".as_slice(),
        b"\xff\xfe<a/>".as_slice(),
        b"<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>".as_slice(),
        b"".as_slice(),
    ] {
        assert_eq!(error_code(sign::verify(bytes)), "CEB_SIGN_XML");
    }
    // Two signatures.
    let document = signed(&sm2_identity());
    let start = document.find("<ds:Signature xmlns").unwrap();
    let end = document.find("</ds:Signature>").unwrap() + "</ds:Signature>".len();
    let twice = format!(
        "{}{}{}",
        &document[..end],
        &document[start..end],
        &document[end..]
    );
    assert_eq!(
        error_code(sign::verify(twice.as_bytes())),
        "CEB_SIGN_STRUCTURE"
    );
    // An unknown signature method.
    let unknown = document.replace(uri::SM2_SM3, "http://example.com/ecdsa-magic");
    assert_eq!(
        sign::verify(unknown.as_bytes()).unwrap_err(),
        SignError::UnsupportedAlgorithm {
            uri: "http://example.com/ecdsa-magic".to_owned()
        }
    );
    // Exclusive C14N is not what CEB signatures use.
    let exclusive = document.replace(
        &format!("Algorithm=\"{}\"", uri::C14N),
        "Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"",
    );
    assert_eq!(
        error_code(sign::verify(exclusive.as_bytes())),
        "CEB_SIGN_ALGORITHM"
    );
    // A reference to something else than the whole document.
    let fragment = document.replace("URI=\"\"", "URI=\"#x\"");
    assert_eq!(
        error_code(sign::verify(fragment.as_bytes())),
        "CEB_SIGN_STRUCTURE"
    );
    // Garbage in a Base64 value.
    let garbage = with_element_text(&document, "ds:DigestValue", "not*base64");
    assert_eq!(
        error_code(sign::verify(garbage.as_bytes())),
        "CEB_SIGN_STRUCTURE"
    );

    // A receipt has no place for a signature; it stays as it was.
    let mut receipt = sample("CEB622Message.xml");
    let before = receipt.clone();
    let error = sign::sign(&mut receipt, &signer(&sm2_identity(), None)).unwrap_err();
    assert_eq!(
        error,
        SignError::ReceiptNotSignable {
            message_type: "CEB622"
        }
    );
    assert_eq!(error.code(), "CEB_SIGN_RECEIPT");
    assert_eq!(receipt, before);
}

#[test]
fn damaged_documents_are_errors_not_panics() {
    let document = signed(&rsa_identity());
    let bytes = document.as_bytes();
    // Every truncation fails.
    for end in (0..bytes.len()).step_by(97) {
        assert!(sign::verify(&bytes[..end]).is_err(), "truncated at {end}");
    }
    // Flipped bytes: an error, never a panic — except inside KeyInfo,
    // which the signature does not cover (XML-DSig signs SignedInfo, not
    // KeyInfo): a certificate damaged outside its public key still parses,
    // stray text between KeyInfo's elements is ignored, and only the
    // caller's check of the certificate against its issuer would notice.
    let key_info_start = document.find("<ds:KeyInfo>").unwrap();
    let key_info_end = document.find("</ds:KeyInfo>").unwrap();
    for position in (0..bytes.len()).step_by(89) {
        let mut damaged = bytes.to_vec();
        damaged[position] ^= 0x01;
        if sign::verify(&damaged).is_ok() {
            assert!(
                (key_info_start..key_info_end).contains(&position),
                "a flip at {position} verified: {:?}",
                &document[position.saturating_sub(30)..(position + 30).min(document.len())]
            );
        }
    }
}

#[test]
fn keys_and_certificates_must_fit() {
    let sm2 = sm2_identity();
    let rsa = rsa_identity();
    let other_sm2 = sm2_identity();
    let mismatch = |key: &Identity, certificate: &Identity| {
        Signer::from_pem(&key.key_pem, &certificate.certificate_pem, None).unwrap_err()
    };
    assert_eq!(mismatch(&sm2, &rsa), SignError::KeyMismatch);
    assert_eq!(mismatch(&rsa, &sm2), SignError::KeyMismatch);
    assert_eq!(mismatch(&sm2, &other_sm2), SignError::KeyMismatch);
    assert_eq!(mismatch(&rsa, &rsa_identity()), SignError::KeyMismatch);

    // A P-256 key is neither SM2 nor RSA.
    let p256 = identity(
        PKey::from_ec_key(
            EcKey::generate(&EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap()).unwrap(),
        )
        .unwrap(),
        "P-256",
    );
    let error = Signer::from_pem(&p256.key_pem, &p256.certificate_pem, None).unwrap_err();
    assert_eq!(error.code(), "CEB_SIGN_KEY", "{error}");
    let error = Signer::from_pem(&sm2.key_pem, &p256.certificate_pem, None).unwrap_err();
    assert_eq!(error.code(), "CEB_SIGN_CERTIFICATE", "{error}");

    // Not PEM at all.
    let error = Signer::from_pem(b"not a key", &sm2.certificate_pem, None).unwrap_err();
    assert_eq!(error.code(), "CEB_SIGN_KEY");
    let error = Signer::from_pem(&sm2.key_pem, b"not a certificate", None).unwrap_err();
    assert_eq!(error.code(), "CEB_SIGN_CERTIFICATE");

    // The Debug form shows no key material.
    let debug = format!("{:?}", signer(&sm2, Some("0001")));
    assert!(
        debug.contains("Sm2Sm3") && debug.contains("0001"),
        "{debug}"
    );
    assert!(!debug.contains("PRIVATE"));
}

// ---------------------------------------------------------------------------
// Interoperability: the OpenSSL command line and libxml2's C14N.

/// A fresh directory for files handed to command-line tools.
fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("kuajing-ceb-signing-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(program: &str, args: &[&str], dir: &Path) -> std::process::Output {
    let output = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(
        output.status.success(),
        "{program} {args:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

#[test]
fn sm2_signatures_interoperate_with_openssl() {
    let identity = sm2_identity();
    let document = signed(&identity);
    let signed_info = sign::canonical_signed_info(document.as_bytes()).unwrap();

    let dir = scratch("sm2");
    std::fs::write(dir.join("key.pem"), &identity.key_pem).unwrap();
    std::fs::write(
        dir.join("public.pem"),
        identity.key.public_key_to_pem().unwrap(),
    )
    .unwrap();
    std::fs::write(dir.join("signed-info.xml"), &signed_info).unwrap();
    let distid = format!("distid:{SM2_DISTINGUISHING_ID}");

    // Ours (raw r‖s, DER-encoded for OpenSSL) verifies with OpenSSL.
    let raw = unb64(element_text(&document, "ds:SignatureValue"));
    let der = sm2::dsa::Signature::from_slice(&raw).unwrap().to_der();
    std::fs::write(dir.join("ours.der"), der.as_bytes()).unwrap();
    run(
        "openssl",
        &[
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            "public.pem",
            "-rawin",
            "-digest",
            "sm3",
            "-pkeyopt",
            &distid,
            "-in",
            "signed-info.xml",
            "-sigfile",
            "ours.der",
        ],
        &dir,
    );

    // OpenSSL's (DER) verifies with ours, as DER and as raw r‖s.
    run(
        "openssl",
        &[
            "pkeyutl",
            "-sign",
            "-inkey",
            "key.pem",
            "-rawin",
            "-digest",
            "sm3",
            "-pkeyopt",
            &distid,
            "-in",
            "signed-info.xml",
            "-out",
            "theirs.der",
        ],
        &dir,
    );
    let theirs = std::fs::read(dir.join("theirs.der")).unwrap();
    let as_der = with_element_text(&document, "ds:SignatureValue", &b64(&theirs));
    sign::verify(as_der.as_bytes()).unwrap();
    let raw = sm2::dsa::Signature::from_der(&theirs).unwrap().to_bytes();
    let as_raw = with_element_text(&document, "ds:SignatureValue", &b64(&raw));
    sign::verify(as_raw.as_bytes()).unwrap();

    // Our digest is SM3 as OpenSSL computes it over the same bytes.
    std::fs::write(
        dir.join("reference.xml"),
        sign::canonical_reference(document.as_bytes()).unwrap(),
    )
    .unwrap();
    let digest = run(
        "openssl",
        &["dgst", "-sm3", "-binary", "reference.xml"],
        &dir,
    )
    .stdout;
    assert_eq!(b64(&digest), element_text(&document, "ds:DigestValue"));

    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn rsa_signatures_interoperate_with_openssl() {
    let identity = rsa_identity();
    let document = signed(&identity);
    let signed_info = sign::canonical_signed_info(document.as_bytes()).unwrap();

    let dir = scratch("rsa");
    std::fs::write(dir.join("key.pem"), &identity.key_pem).unwrap();
    std::fs::write(
        dir.join("public.pem"),
        identity.key.public_key_to_pem().unwrap(),
    )
    .unwrap();
    std::fs::write(dir.join("signed-info.xml"), &signed_info).unwrap();
    std::fs::write(
        dir.join("ours.bin"),
        unb64(element_text(&document, "ds:SignatureValue")),
    )
    .unwrap();
    run(
        "openssl",
        &[
            "dgst",
            "-sha1",
            "-verify",
            "public.pem",
            "-signature",
            "ours.bin",
            "signed-info.xml",
        ],
        &dir,
    );
    run(
        "openssl",
        &[
            "dgst",
            "-sha1",
            "-sign",
            "key.pem",
            "-out",
            "theirs.bin",
            "signed-info.xml",
        ],
        &dir,
    );
    let theirs = std::fs::read(dir.join("theirs.bin")).unwrap();
    // RSA PKCS#1 v1.5 is deterministic: the same bytes.
    assert_eq!(b64(&theirs), element_text(&document, "ds:SignatureValue"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `xmllint --c14n` of `xml` (libxml2's inclusive C14N 1.0).
fn xmllint_c14n(dir: &Path, name: &str, xml: &str) -> Vec<u8> {
    std::fs::write(dir.join(name), xml).unwrap();
    run("xmllint", &["--c14n", name], dir).stdout
}

#[test]
fn canonical_forms_match_libxml2() {
    for identity in [sm2_identity(), rsa_identity()] {
        let document = signed(&identity);
        let dir = scratch("c14n");

        // The reference: libxml2's C14N of the document with the exact bytes
        // of the signature element cut out.
        let start = document.find("<ds:Signature xmlns").unwrap();
        let end = document.find("</ds:Signature>").unwrap() + "</ds:Signature>".len();
        let without = format!("{}{}", &document[..start], &document[end..]);
        let expected = xmllint_c14n(&dir, "without.xml", &without);
        let reference = sign::canonical_reference(document.as_bytes()).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&reference),
            String::from_utf8_lossy(&expected)
        );
        let digest = identity_digest(&document).digest(&expected);
        assert_eq!(b64(&digest), element_text(&document, "ds:DigestValue"));

        // SignedInfo: libxml2's C14N of SignedInfo alone, with the namespace
        // declarations in scope in the document put on its start tag.
        let start = document.find("<ds:SignedInfo>").unwrap();
        let end = document.find("</ds:SignedInfo>").unwrap() + "</ds:SignedInfo>".len();
        let alone = document[start..end].replacen(
            "<ds:SignedInfo>",
            "<ds:SignedInfo xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\" \
             xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">",
            1,
        );
        let expected = xmllint_c14n(&dir, "signed-info.xml", &alone);
        let signed_info = sign::canonical_signed_info(document.as_bytes()).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&signed_info),
            String::from_utf8_lossy(&expected)
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

fn identity_digest(document: &str) -> DigestAlgorithm {
    if document.contains(uri::SHA1) {
        DigestAlgorithm::Sha1
    } else {
        DigestAlgorithm::Sm3
    }
}
