//! The document as the verifier sees it: parsed as received, the enveloped
//! `ds:Signature` located and read, and the two canonical forms a signature
//! covers — the document without its signature (the reference) and
//! `ds:SignedInfo` in the context of the document.
//!
//! Both are document subsets canonicalised by xml-sec: inclusive C14N of a
//! subset renders, on the subset's apex, every namespace declaration in
//! scope there (`xmlns:ceb` from the root, `xmlns:ds` from the signature),
//! exactly as XML-DSig requires.

use base64::Engine;
use xml_sec::c14n::{C14nAlgorithm, C14nMode, canonicalize};
use xml_sec::{Document, Node};

use super::algorithms::uri;
use super::error::SignError;

/// The `ds` namespace.
const DS: &str = "http://www.w3.org/2000/09/xmldsig#";

/// The text of a document: UTF-8, without a byte-order mark.
pub(crate) fn text(document: &[u8]) -> Result<&str, SignError> {
    let bytes = document
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(document);
    std::str::from_utf8(bytes).map_err(|error| SignError::MalformedXml {
        reason: format!("not UTF-8: {error}"),
    })
}

/// Parses a document (no DTD, xml-sec's ceilings on size and depth).
pub(crate) fn parse(text: &str) -> Result<Document<'_>, SignError> {
    Document::parse(text).map_err(|error| SignError::MalformedXml {
        reason: error.to_string(),
    })
}

/// Whether `node` is the `ds:` element `name`.
fn is_ds(node: Node<'_, '_>, name: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(DS) && node.tag_name().name() == name
}

/// The `ds:` element children of `node` named `name`.
fn ds_children<'a, 'i>(node: Node<'a, 'i>, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(move |child| is_ds(*child, name))
}

/// The single `ds:` child `name` of `node`; `None` when absent, an error
/// when repeated.
fn one_child<'a, 'i>(node: Node<'a, 'i>, name: &'a str) -> Result<Option<Node<'a, 'i>>, SignError> {
    let mut found = ds_children(node, name);
    let first = found.next();
    if found.next().is_some() {
        return Err(malformed(format!("more than one ds:{name}")));
    }
    Ok(first)
}

/// The single `ds:` child `name` of `node`, which must be present.
fn required_child<'a, 'i>(node: Node<'a, 'i>, name: &'a str) -> Result<Node<'a, 'i>, SignError> {
    one_child(node, name)?.ok_or_else(|| {
        malformed(format!(
            "ds:{name} is missing in ds:{}",
            node.tag_name().name()
        ))
    })
}

fn malformed(reason: String) -> SignError {
    SignError::MalformedSignature { reason }
}

/// The `Algorithm` attribute of `node`.
fn algorithm<'a>(node: Node<'a, '_>) -> Result<&'a str, SignError> {
    node.attribute("Algorithm").ok_or_else(|| {
        malformed(format!(
            "ds:{} has no Algorithm attribute",
            node.tag_name().name()
        ))
    })
}

/// The character data directly inside `node` (comments skipped).
fn text_content(node: Node<'_, '_>) -> String {
    node.children()
        .filter(|child| child.is_text())
        .filter_map(|child| child.text())
        .collect()
}

/// Base64 content of `node`, whitespace (line breaks) ignored.
fn base64_content(node: Node<'_, '_>) -> Result<Vec<u8>, SignError> {
    let compact: String = text_content(node)
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|error| {
            malformed(format!(
                "ds:{} is not Base64: {error}",
                node.tag_name().name()
            ))
        })
}

/// The enveloped signature: the `ds:Signature` child of the root element.
/// There must be exactly one.
pub(crate) fn signature<'a, 'i>(document: &'a Document<'i>) -> Result<Node<'a, 'i>, SignError> {
    one_child(document.root_element(), "Signature")?.ok_or(SignError::NoSignature)
}

/// What a `ds:Signature` says, read from the document as received.
pub(crate) struct Parts<'a, 'i> {
    /// The `ds:SignedInfo` element.
    pub signed_info: Node<'a, 'i>,
    /// How `SignedInfo` is canonicalised.
    pub canonicalization: C14nAlgorithm,
    /// `SignatureMethod/@Algorithm`.
    pub signature_method: &'a str,
    /// `DigestMethod/@Algorithm`.
    pub digest_method: &'a str,
    /// `DigestValue`, decoded.
    pub digest_value: Vec<u8>,
    /// `SignatureValue`, decoded.
    pub signature_value: Vec<u8>,
    /// `KeyInfo/KeyName`, trimmed.
    pub key_name: Option<String>,
    /// `KeyInfo/X509Data/X509Certificate`, decoded (DER).
    pub certificate: Option<Vec<u8>>,
}

/// Reads the parts of `signature` and checks its shape: one reference to
/// the whole document (`URI=""`) with the enveloped-signature transform,
/// inclusive C14N 1.0 (with or without comments).
pub(crate) fn parts<'a, 'i>(signature: Node<'a, 'i>) -> Result<Parts<'a, 'i>, SignError> {
    let signed_info = required_child(signature, "SignedInfo")?;

    let method = algorithm(required_child(signed_info, "CanonicalizationMethod")?)?;
    let canonicalization = inclusive_c14n(method)?;
    let signature_method = algorithm(required_child(signed_info, "SignatureMethod")?)?;

    let reference = required_child(signed_info, "Reference")?;
    match reference.attribute("URI") {
        Some("") => {}
        Some(other) => {
            return Err(malformed(format!(
                "ds:Reference URI=\"{other}\": only URI=\"\" (the whole document) is supported"
            )));
        }
        None => {
            return Err(malformed(
                "ds:Reference has no URI: URI=\"\" (the whole document) is required".to_owned(),
            ));
        }
    }
    let transforms = required_child(reference, "Transforms")?;
    let mut enveloped = false;
    for transform in ds_children(transforms, "Transform") {
        let transform = algorithm(transform)?;
        if transform == uri::ENVELOPED_SIGNATURE {
            enveloped = true;
        } else {
            // An explicit C14N after the enveloped transform changes nothing:
            // the reference is canonicalised with C14N 1.0 anyway.
            inclusive_c14n(transform)?;
        }
    }
    if !enveloped {
        return Err(malformed(
            "ds:Transforms lacks the enveloped-signature transform".to_owned(),
        ));
    }
    let digest_method = algorithm(required_child(reference, "DigestMethod")?)?;
    let digest_value = base64_content(required_child(reference, "DigestValue")?)?;
    let signature_value = base64_content(required_child(signature, "SignatureValue")?)?;

    let (key_name, certificate) = match one_child(signature, "KeyInfo")? {
        None => (None, None),
        Some(key_info) => {
            let key_name =
                one_child(key_info, "KeyName")?.map(|name| text_content(name).trim().to_owned());
            let certificate = match one_child(key_info, "X509Data")? {
                None => None,
                Some(data) => ds_children(data, "X509Certificate")
                    .next()
                    .map(base64_content)
                    .transpose()?,
            };
            (key_name, certificate)
        }
    };

    Ok(Parts {
        signed_info,
        canonicalization,
        signature_method,
        digest_method,
        digest_value,
        signature_value,
        key_name,
        certificate,
    })
}

/// Inclusive C14N 1.0, with or without comments; anything else is
/// unsupported.
fn inclusive_c14n(uri: &str) -> Result<C14nAlgorithm, SignError> {
    C14nAlgorithm::from_uri(uri)
        .filter(|algorithm| algorithm.mode() == C14nMode::Inclusive1_0)
        .ok_or_else(|| SignError::UnsupportedAlgorithm {
            uri: uri.to_owned(),
        })
}

/// Whether `node` is `apex` or inside it.
fn within(node: Node<'_, '_>, apex: Node<'_, '_>) -> bool {
    node.ancestors().any(|ancestor| ancestor == apex)
}

fn canonical(
    document: &Document<'_>,
    visible: &dyn Fn(Node<'_, '_>) -> bool,
    algorithm: &C14nAlgorithm,
) -> Result<Vec<u8>, SignError> {
    let mut output = Vec::new();
    canonicalize(document, Some(visible), algorithm, &mut output).map_err(|error| {
        SignError::Canonicalization {
            reason: error.to_string(),
        }
    })?;
    Ok(output)
}

/// The referenced data: the whole document with the `signature` element
/// (and every comment, as `URI=""` selects none) removed, canonicalised
/// with inclusive C14N 1.0.
pub(crate) fn reference_c14n(
    document: &Document<'_>,
    signature: Node<'_, '_>,
) -> Result<Vec<u8>, SignError> {
    let algorithm = C14nAlgorithm::new(C14nMode::Inclusive1_0, false);
    canonical(
        document,
        &|node| !node.is_comment() && !within(node, signature),
        &algorithm,
    )
}

/// `signed_info` canonicalised as a subset of its document.
pub(crate) fn signed_info_c14n(
    document: &Document<'_>,
    signed_info: Node<'_, '_>,
    algorithm: &C14nAlgorithm,
) -> Result<Vec<u8>, SignError> {
    canonical(document, &|node| within(node, signed_info), algorithm)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOCUMENT: &str = concat!(
        "<?xml version=\"1.0\"?>\n",
        "<a:r xmlns:a=\"urn:a\" z=\"2\" b=\"1\">\n",
        "  <a:x>1 &amp; 2</a:x><!-- note -->\n",
        "  <ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">\n",
        "    <ds:SignedInfo>\n",
        "      <ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>\n",
        "      <ds:SignatureMethod Algorithm=\"http://www.chinaport.gov.cn/2022/04/xmldsig#sm2-sm3\"/>\n",
        "      <ds:Reference URI=\"\">\n",
        "        <ds:Transforms><ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/></ds:Transforms>\n",
        "        <ds:DigestMethod Algorithm=\"http://www.chinaport.gov.cn/2022/04/xmldsig#sm3\"/>\n",
        "        <ds:DigestValue>AAEC</ds:DigestValue>\n",
        "      </ds:Reference>\n",
        "    </ds:SignedInfo>\n",
        "    <ds:SignatureValue>\n  AwQF\n</ds:SignatureValue>\n",
        "    <ds:KeyInfo><ds:KeyName> 0001 </ds:KeyName><ds:X509Data><ds:X509Certificate>BgcI</ds:X509Certificate></ds:X509Data></ds:KeyInfo>\n",
        "  </ds:Signature>\n",
        "</a:r>\n",
    );

    #[test]
    fn reads_the_parts_of_a_signature() {
        let document = parse(DOCUMENT).unwrap();
        let parts = parts(signature(&document).unwrap()).unwrap();
        assert_eq!(parts.signature_method, uri::SM2_SM3);
        assert_eq!(parts.digest_method, uri::SM3);
        assert_eq!(parts.digest_value, [0, 1, 2]);
        assert_eq!(parts.signature_value, [3, 4, 5]);
        assert_eq!(parts.key_name.as_deref(), Some("0001"));
        assert_eq!(parts.certificate.as_deref(), Some([6, 7, 8].as_slice()));
        assert!(!parts.canonicalization.with_comments());
    }

    #[test]
    fn the_reference_is_the_document_without_signature_and_comments() {
        let document = parse(DOCUMENT).unwrap();
        let canonical = reference_c14n(&document, signature(&document).unwrap()).unwrap();
        assert_eq!(
            String::from_utf8(canonical).unwrap(),
            "<a:r xmlns:a=\"urn:a\" b=\"1\" z=\"2\">\n  <a:x>1 &amp; 2</a:x>\n  \n</a:r>"
        );
    }

    #[test]
    fn signed_info_carries_the_namespaces_in_scope() {
        let document = parse(DOCUMENT).unwrap();
        let parts = parts(signature(&document).unwrap()).unwrap();
        let canonical =
            signed_info_c14n(&document, parts.signed_info, &parts.canonicalization).unwrap();
        let canonical = String::from_utf8(canonical).unwrap();
        assert!(
            canonical.starts_with(
                "<ds:SignedInfo xmlns:a=\"urn:a\" xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">\n      <ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"></ds:CanonicalizationMethod>"
            ),
            "{canonical}"
        );
        assert!(canonical.ends_with("</ds:Reference>\n    </ds:SignedInfo>"));
    }

    #[test]
    fn refuses_signatures_of_another_shape() {
        let enveloped =
            "<ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>";
        let cases: [(&[(&str, &str)], &str); 11] = [
            (&[("ds:SignedInfo>", "ds:SignedInf>")], "CEB_SIGN_STRUCTURE"),
            (&[("URI=\"\"", "URI=\"#id\"")], "CEB_SIGN_STRUCTURE"),
            (&[("URI=\"\"", "Id=\"r\"")], "CEB_SIGN_STRUCTURE"),
            (&[("#enveloped-signature", "#base64")], "CEB_SIGN_ALGORITHM"),
            (&[(enveloped, "")], "CEB_SIGN_STRUCTURE"),
            (
                &[("REC-xml-c14n-20010315\"", "REC-xml-c14n-2001\"")],
                "CEB_SIGN_ALGORITHM",
            ),
            (&[("AAEC", "AA*C")], "CEB_SIGN_STRUCTURE"),
            (
                &[("<ds:DigestMethod Algorithm", "<ds:DigestMethod Algorith")],
                "CEB_SIGN_STRUCTURE",
            ),
            (
                &[("ds:SignatureValue>", "ds:SignatureValu>")],
                "CEB_SIGN_STRUCTURE",
            ),
            (
                &[("<ds:Reference URI", "<ds:Reference/><ds:Reference URI")],
                "CEB_SIGN_STRUCTURE",
            ),
            (
                &[
                    ("<ds:Signature xmlns", "<ds:Signatur xmlns"),
                    ("</ds:Signature>", "</ds:Signatur>"),
                ],
                "CEB_SIGN_MISSING",
            ),
        ];
        for (edits, code) in cases {
            let text = edits.iter().fold(DOCUMENT.to_owned(), |text, (from, to)| {
                text.replace(from, to)
            });
            assert_ne!(text, DOCUMENT);
            let document = parse(&text).unwrap();
            match signature(&document).and_then(parts) {
                Ok(_) => panic!("accepted with {edits:?}"),
                Err(error) => assert_eq!(error.code(), code, "{edits:?}: {error}"),
            }
        }
    }

    #[test]
    fn a_signature_in_another_namespace_is_not_one() {
        let text = DOCUMENT.replace(
            "xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"",
            "xmlns:ds=\"urn:not-dsig\"",
        );
        let document = parse(&text).unwrap();
        assert!(matches!(signature(&document), Err(SignError::NoSignature)));
    }

    #[test]
    fn text_accepts_a_byte_order_mark_and_refuses_other_encodings() {
        assert_eq!(text(b"\xEF\xBB\xBF<a/>").unwrap(), "<a/>");
        assert_eq!(text(b"\xFF\xFE<").unwrap_err().code(), "CEB_SIGN_XML");
    }
}
