//! 加签与验签 — signing and verifying the enveloped XML signature
//! (`ds:Signature`, ceb-messages.md §4.4) of CEB declarations.
//!
//! The signature is W3C XML-DSig, enveloped: one `ds:Reference` with
//! `URI=""` (the whole message) and the enveloped-signature transform,
//! inclusive C14N 1.0, SM2-SM3 (preferred; raw 64-byte `r‖s`, as e-port
//! UKeys write it) or RSA-SHA1, the signer's X.509 certificate and its
//! number in `ds:KeyInfo`.
//!
//! - [`Signer::from_pem`] reads a PKCS#8 private key and its certificate.
//! - [`sign`] puts the signature in a declaration and returns the signed
//!   XML. The encoder is deterministic, so decoding and encoding the result
//!   again gives the same bytes, and the signature still verifies.
//! - [`verify`] checks a signed document as received (any prefixes or
//!   layout): the digest of its content and the signature over
//!   `ds:SignedInfo`, with the key of the certificate it carries. It says
//!   nothing about whether that certificate is trusted: checking it against
//!   the e-port CA and its validity is the caller's business, with
//!   [`Verified::certificate`].
//!
//! On verification the module accepts both SM2 URIs (the 202205
//! `chinaport.gov.cn` one and the legacy `w3.org` one), either digest with
//! either signature method, C14N with or without comments, and SM2
//! signatures raw or DER-encoded.

mod algorithms;
mod dom;
mod error;
mod keys;

use base64::Engine;
use xml_sec::c14n::{C14nAlgorithm, C14nMode};

use crate::model::signature::{
    CanonicalizationMethod, DigestMethod, KeyInfo, Reference, Signature, SignatureMethod,
    SignedInfo, Transform, Transforms, X509Data,
};
use crate::model::{Message, encode};

pub use algorithms::{DigestAlgorithm, SM2_DISTINGUISHING_ID, SignatureAlgorithm, uri};
pub use error::SignError;

use keys::{Certificate, PrivateKey};

/// A software signer: a private key and its certificate.
pub struct Signer {
    key: PrivateKey,
    certificate: Vec<u8>,
    key_name: String,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("algorithm", &self.algorithm())
            .field("key_name", &self.key_name)
            .finish_non_exhaustive()
    }
}

impl Signer {
    /// A signer from a PKCS#8 PEM private key (an SM2 key signs with
    /// [`SignatureAlgorithm::Sm2Sm3`], an RSA key with
    /// [`SignatureAlgorithm::RsaSha1`]) and the PEM X.509 certificate of its
    /// public key, which goes into every signature. `key_name` is the
    /// certificate number written as `ds:KeyName` (the e-port card's
    /// 证书编号); by default the certificate's serial number in lowercase
    /// hexadecimal.
    ///
    /// Fails when the key or the certificate cannot be read, is of another
    /// kind, or when the certificate is not the key's.
    pub fn from_pem(
        private_key_pem: &[u8],
        certificate_pem: &[u8],
        key_name: Option<String>,
    ) -> Result<Signer, SignError> {
        let key = PrivateKey::from_pem(private_key_pem)?;
        let certificate = Certificate::from_pem(certificate_pem)?;
        if !key.matches(certificate.key()) {
            return Err(SignError::KeyMismatch);
        }
        let key_name = match key_name {
            Some(name) => name,
            None => certificate.serial_hex()?,
        };
        Ok(Signer {
            key,
            certificate: certificate.to_der()?,
            key_name,
        })
    }

    /// The signature method of the key.
    pub fn algorithm(&self) -> SignatureAlgorithm {
        self.key.algorithm()
    }

    /// The certificate number written as `ds:KeyName`.
    pub fn key_name(&self) -> &str {
        &self.key_name
    }

    /// The certificate, DER.
    pub fn certificate_der(&self) -> &[u8] {
        &self.certificate
    }

    /// Signs `data` as a `SignatureValue` is made: SM2-SM3 (distinguishing
    /// ID [`SM2_DISTINGUISHING_ID`]) as raw 64-byte `r‖s`, or RSA PKCS#1
    /// v1.5 with SHA-1.
    pub fn sign_bytes(&self, data: &[u8]) -> Result<Vec<u8>, SignError> {
        self.key.sign(data)
    }

    /// The signature element with the given digest and signature value
    /// (Base64, empty while not yet computed).
    fn signature(&self, digest_value: String, signature_value: String) -> Signature {
        let algorithm = self.algorithm();
        Signature {
            id: None,
            signed_info: SignedInfo {
                canonicalization_method: CanonicalizationMethod {
                    algorithm: uri::C14N.to_owned(),
                },
                signature_method: SignatureMethod {
                    algorithm: algorithm.uri().to_owned(),
                },
                reference: vec![Reference {
                    uri: Some(String::new()),
                    transforms: Some(Transforms {
                        transform: vec![Transform {
                            algorithm: uri::ENVELOPED_SIGNATURE.to_owned(),
                        }],
                    }),
                    digest_method: DigestMethod {
                        algorithm: algorithm.digest().uri().to_owned(),
                    },
                    digest_value,
                }],
            },
            signature_value,
            key_info: Some(KeyInfo {
                key_name: Some(self.key_name.clone()),
                x509_data: Some(X509Data {
                    x509_certificate: Some(base64(&self.certificate)),
                }),
            }),
        }
    }
}

fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Signs a declaration: puts an enveloped `ds:Signature` made by `signer`
/// in its place (replacing any there) and returns the signed message as
/// [`encode`] writes it.
///
/// The digest covers the canonical form of the encoded message without its
/// signature; the signature covers the canonical `ds:SignedInfo` in the
/// context of the encoded message. On error the message is left as it was.
pub fn sign(message: &mut Message, signer: &Signer) -> Result<String, SignError> {
    let message_type = message.message_type();
    let Some(slot) = message.signature_slot() else {
        return Err(SignError::ReceiptNotSignable {
            message_type: message_type.code(),
        });
    };
    let previous = slot.take();
    let signed = sign_in_place(message, signer);
    if signed.is_err()
        && let Some(slot) = message.signature_slot()
    {
        *slot = previous;
    }
    signed
}

fn place(message: &mut Message, signature: Signature) {
    if let Some(slot) = message.signature_slot() {
        *slot = Some(signature);
    }
}

fn sign_in_place(message: &mut Message, signer: &Signer) -> Result<String, SignError> {
    // 1. The message with a placeholder signature: its digest.
    place(message, signer.signature(String::new(), String::new()));
    let document = encode(message);
    let digest = {
        let parsed = dom::parse(&document)?;
        let signature = dom::signature(&parsed)?;
        let canonical = dom::reference_c14n(&parsed, signature)?;
        signer.algorithm().digest().digest(&canonical)
    };

    // 2. With the digest: sign the canonical SignedInfo in context.
    let digest_value = base64(&digest);
    place(
        message,
        signer.signature(digest_value.clone(), String::new()),
    );
    let document = encode(message);
    let value = {
        let parsed = dom::parse(&document)?;
        let signature = dom::signature(&parsed)?;
        let parts = dom::parts(signature)?;
        let canonical = dom::signed_info_c14n(&parsed, parts.signed_info, &inclusive())?;
        signer.sign_bytes(&canonical)?
    };

    // 3. With the signature value, which lies outside what is signed.
    place(message, signer.signature(digest_value, base64(&value)));
    Ok(encode(message))
}

fn inclusive() -> C14nAlgorithm {
    C14nAlgorithm::new(C14nMode::Inclusive1_0, false)
}

/// What a verified signature says about its signer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The signature method.
    pub algorithm: SignatureAlgorithm,
    /// The digest method of the reference.
    pub digest: DigestAlgorithm,
    /// `ds:KeyName`: the certificate number, if given.
    pub key_name: Option<String>,
    /// The certificate's subject, `CN=…, O=…`.
    pub subject: String,
    /// The certificate's issuer, `CN=…, O=…`.
    pub issuer: String,
    /// The certificate's serial number, lowercase hexadecimal.
    pub serial: String,
    /// The certificate, DER (for the caller's trust decision).
    pub certificate: Vec<u8>,
}

/// What a certificate says about itself, for registering it as an
/// enterprise's signing certificate (`kuajing enterprise cert add`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateInfo {
    /// The signature method its key signs with.
    pub algorithm: SignatureAlgorithm,
    /// Subject, `CN=…, O=…`.
    pub subject: String,
    /// Issuer, `CN=…, O=…`.
    pub issuer: String,
    /// Serial number, lowercase hexadecimal.
    pub serial: String,
    /// End of validity, as openssl writes it.
    pub not_after: String,
    /// The certificate, DER: what a verified signature's
    /// [`Verified::certificate`] is compared with.
    pub der: Vec<u8>,
}

/// Reads a PEM certificate with an SM2 or RSA key (any other key cannot
/// sign CEB messages and is refused).
pub fn read_certificate(pem: &[u8]) -> Result<CertificateInfo, SignError> {
    let certificate = keys::Certificate::from_pem(pem)?;
    Ok(CertificateInfo {
        algorithm: certificate.algorithm(),
        subject: certificate.subject(),
        issuer: certificate.issuer(),
        serial: certificate.serial_hex()?,
        not_after: certificate.not_after(),
        der: certificate.to_der()?,
    })
}

/// Verifies the enveloped signature of a document as received: the
/// `ds:Signature` child of the root, its digest over the canonical document
/// without it, and its signature over the canonical `ds:SignedInfo` with the
/// key of the certificate in `ds:KeyInfo`. A byte-order mark is allowed;
/// prefixes and layout are the document's own.
pub fn verify(document: &[u8]) -> Result<Verified, SignError> {
    let text = dom::text(document)?;
    let parsed = dom::parse(text)?;
    let signature = dom::signature(&parsed)?;
    let parts = dom::parts(signature)?;

    let algorithm = SignatureAlgorithm::from_uri(parts.signature_method).ok_or_else(|| {
        SignError::UnsupportedAlgorithm {
            uri: parts.signature_method.to_owned(),
        }
    })?;
    let digest = DigestAlgorithm::from_uri(parts.digest_method).ok_or_else(|| {
        SignError::UnsupportedAlgorithm {
            uri: parts.digest_method.to_owned(),
        }
    })?;
    let der = parts
        .certificate
        .as_deref()
        .ok_or_else(|| SignError::BadCertificate {
            reason: "ds:KeyInfo carries no ds:X509Certificate".to_owned(),
        })?;
    let certificate = Certificate::from_der(der)?;

    let actual = digest.digest(&dom::reference_c14n(&parsed, signature)?);
    if actual != parts.digest_value {
        return Err(SignError::DigestMismatch {
            expected: base64(&parts.digest_value),
            actual: base64(&actual),
        });
    }

    let signed_info = dom::signed_info_c14n(&parsed, parts.signed_info, &parts.canonicalization)?;
    certificate
        .key()
        .verify(algorithm, &signed_info, &parts.signature_value)?;

    Ok(Verified {
        algorithm,
        digest,
        key_name: parts.key_name,
        subject: certificate.subject(),
        issuer: certificate.issuer(),
        serial: certificate.serial_hex()?,
        certificate: der.to_vec(),
    })
}

/// The bytes the digest of a signed document covers: the document without
/// its enveloped `ds:Signature`, canonicalised (inclusive C14N 1.0). For
/// diagnosing a digest mismatch against another implementation.
pub fn canonical_reference(document: &[u8]) -> Result<Vec<u8>, SignError> {
    let parsed = dom::parse(dom::text(document)?)?;
    let signature = dom::signature(&parsed)?;
    dom::reference_c14n(&parsed, signature)
}

/// The bytes the signature value of a signed document covers: its
/// `ds:SignedInfo` canonicalised in the context of the document, with the
/// algorithm its `ds:CanonicalizationMethod` names.
pub fn canonical_signed_info(document: &[u8]) -> Result<Vec<u8>, SignError> {
    let parsed = dom::parse(dom::text(document)?)?;
    let signature = dom::signature(&parsed)?;
    let parts = dom::parts(signature)?;
    dom::signed_info_c14n(&parsed, parts.signed_info, &parts.canonicalization)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn algorithms_and_their_uris() {
        for algorithm in [SignatureAlgorithm::Sm2Sm3, SignatureAlgorithm::RsaSha1] {
            assert_eq!(
                SignatureAlgorithm::from_uri(algorithm.uri()),
                Some(algorithm)
            );
            let digest = algorithm.digest();
            assert_eq!(DigestAlgorithm::from_uri(digest.uri()), Some(digest));
        }
        assert_eq!(
            SignatureAlgorithm::from_uri(uri::SM2_SM3_LEGACY),
            Some(SignatureAlgorithm::Sm2Sm3)
        );
        assert_eq!(SignatureAlgorithm::from_uri(uri::SM3), None);
        assert_eq!(DigestAlgorithm::from_uri(uri::SM2_SM3), None);
        assert_eq!(SignatureAlgorithm::Sm2Sm3.digest(), DigestAlgorithm::Sm3);
        assert_eq!(SignatureAlgorithm::RsaSha1.digest(), DigestAlgorithm::Sha1);
    }

    #[test]
    fn digests_match_the_standard_vectors() {
        // GB/T 32905 example 1 and FIPS 180 "abc".
        let hex =
            |bytes: Vec<u8>| -> String { bytes.iter().map(|byte| format!("{byte:02x}")).collect() };
        assert_eq!(
            hex(DigestAlgorithm::Sm3.digest(b"abc")),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
        assert_eq!(
            hex(DigestAlgorithm::Sha1.digest(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
    }

    #[test]
    fn every_error_has_a_code_and_both_messages() {
        let errors = [
            SignError::ReceiptNotSignable {
                message_type: "CEB622",
            },
            SignError::BadKey {
                reason: "r".to_owned(),
            },
            SignError::BadCertificate {
                reason: "r".to_owned(),
            },
            SignError::KeyMismatch,
            SignError::SigningFailed {
                reason: "r".to_owned(),
            },
            SignError::MalformedXml {
                reason: "r".to_owned(),
            },
            SignError::NoSignature,
            SignError::MalformedSignature {
                reason: "r".to_owned(),
            },
            SignError::UnsupportedAlgorithm {
                uri: "u".to_owned(),
            },
            SignError::AlgorithmMismatch {
                method: "SM2-SM3",
                key: "RSA",
            },
            SignError::Canonicalization {
                reason: "r".to_owned(),
            },
            SignError::DigestMismatch {
                expected: "e".to_owned(),
                actual: "a".to_owned(),
            },
            SignError::BadSignature,
        ];
        let mut codes: Vec<_> = errors.iter().map(SignError::code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), errors.len(), "codes are distinct");
        for error in &errors {
            assert!(error.code().starts_with("CEB_SIGN_"));
            assert!(!error.message_zh().is_empty());
            assert_eq!(error.message_en(), error.to_string());
        }
    }
}
