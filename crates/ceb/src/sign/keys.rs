//! Keys and certificates: the signer's private key (SM2 through RustCrypto's
//! `sm2`, RSA through OpenSSL), the X.509 certificate that travels in
//! `ds:KeyInfo`, and the signature operations themselves.

use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{Id, PKey, Private, Public};
use openssl::x509::{X509, X509NameRef};
use sm2::dsa::signature::{Signer as _, Verifier as _};
use sm2::pkcs8::{DecodePrivateKey, DecodePublicKey};

use super::algorithms::{SM2_DISTINGUISHING_ID, SignatureAlgorithm};
use super::error::SignError;

/// A private key that signs.
pub(crate) enum PrivateKey {
    /// SM2 (with SM3 and the distinguishing ID, standard SM2DSA).
    Sm2(Box<sm2::dsa::SigningKey>),
    /// RSA (PKCS#1 v1.5 with SHA-1).
    Rsa(PKey<Private>),
}

impl PrivateKey {
    /// Reads a PKCS#8 PEM private key: SM2 first, then RSA.
    pub(crate) fn from_pem(pem: &[u8]) -> Result<PrivateKey, SignError> {
        let text = std::str::from_utf8(pem).map_err(|_| SignError::BadKey {
            reason: "the PEM is not text".to_owned(),
        })?;
        if let Ok(secret) = sm2::SecretKey::from_pkcs8_pem(text.trim()) {
            let key = sm2::dsa::SigningKey::new(SM2_DISTINGUISHING_ID, &secret).map_err(|_| {
                SignError::BadKey {
                    reason: "unusable SM2 key".to_owned(),
                }
            })?;
            return Ok(PrivateKey::Sm2(Box::new(key)));
        }
        let key = PKey::private_key_from_pem(pem).map_err(|error| SignError::BadKey {
            reason: format!("not a PEM private key of SM2 or RSA: {error}"),
        })?;
        if key.id() == Id::RSA {
            Ok(PrivateKey::Rsa(key))
        } else {
            Err(SignError::BadKey {
                reason: format!(
                    "a {} key: only SM2 (PKCS#8) and RSA keys sign CEB messages",
                    key_type_name(key.id())
                ),
            })
        }
    }

    /// The signature method this key implies.
    pub(crate) fn algorithm(&self) -> SignatureAlgorithm {
        match self {
            PrivateKey::Sm2(_) => SignatureAlgorithm::Sm2Sm3,
            PrivateKey::Rsa(_) => SignatureAlgorithm::RsaSha1,
        }
    }

    /// Whether `public` is this key's public half.
    pub(crate) fn matches(&self, public: &PublicKey) -> bool {
        match (self, public) {
            (PrivateKey::Sm2(private), PublicKey::Sm2(public)) => {
                private.verifying_key().to_sec1_bytes() == public.to_sec1_bytes()
            }
            (PrivateKey::Rsa(private), PublicKey::Rsa(public)) => public.public_eq(private),
            _ => false,
        }
    }

    /// Signs `data`: SM2 as raw `r‖s` (64 bytes), RSA as PKCS#1 v1.5 with
    /// SHA-1.
    pub(crate) fn sign(&self, data: &[u8]) -> Result<Vec<u8>, SignError> {
        match self {
            PrivateKey::Sm2(key) => {
                let signature: sm2::dsa::Signature =
                    key.try_sign(data)
                        .map_err(|error| SignError::SigningFailed {
                            reason: error.to_string(),
                        })?;
                Ok(signature.to_bytes().to_vec())
            }
            PrivateKey::Rsa(key) => {
                let failed = |error: openssl::error::ErrorStack| SignError::SigningFailed {
                    reason: error.to_string(),
                };
                let mut signer =
                    openssl::sign::Signer::new(MessageDigest::sha1(), key).map_err(failed)?;
                signer.update(data).map_err(failed)?;
                signer.sign_to_vec().map_err(failed)
            }
        }
    }
}

/// A public key that verifies.
pub(crate) enum PublicKey {
    /// SM2.
    Sm2(Box<sm2::dsa::VerifyingKey>),
    /// RSA.
    Rsa(PKey<Public>),
}

impl PublicKey {
    /// The key type's name, for messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            PublicKey::Sm2(_) => "SM2",
            PublicKey::Rsa(_) => "RSA",
        }
    }

    /// Verifies `signature` over `data` with `algorithm`.
    pub(crate) fn verify(
        &self,
        algorithm: SignatureAlgorithm,
        data: &[u8],
        signature: &[u8],
    ) -> Result<(), SignError> {
        match (self, algorithm) {
            (PublicKey::Sm2(key), SignatureAlgorithm::Sm2Sm3) => {
                // UKeys write raw r‖s; other signers DER.
                let signature = if signature.len() == 64 {
                    sm2::dsa::Signature::from_slice(signature)
                } else {
                    sm2::dsa::Signature::from_der(signature)
                }
                .map_err(|_| SignError::BadSignature)?;
                key.verify(data, &signature)
                    .map_err(|_| SignError::BadSignature)
            }
            (PublicKey::Rsa(key), SignatureAlgorithm::RsaSha1) => {
                let mut verifier = openssl::sign::Verifier::new(MessageDigest::sha1(), key)
                    .map_err(|error| SignError::BadCertificate {
                        reason: error.to_string(),
                    })?;
                match verifier.verify_oneshot(signature, data) {
                    Ok(true) => Ok(()),
                    Ok(false) | Err(_) => Err(SignError::BadSignature),
                }
            }
            _ => Err(SignError::AlgorithmMismatch {
                method: algorithm.name(),
                key: self.type_name(),
            }),
        }
    }
}

/// An X.509 certificate with an SM2 or RSA key.
pub(crate) struct Certificate {
    x509: X509,
    key: PublicKey,
}

impl Certificate {
    /// Reads a PEM certificate.
    pub(crate) fn from_pem(pem: &[u8]) -> Result<Certificate, SignError> {
        // openssl's own error text names its source files: not for users.
        let x509 = X509::from_pem(pem).map_err(|_| SignError::BadCertificate {
            reason: "not a PEM X.509 certificate (no readable BEGIN CERTIFICATE block)".to_owned(),
        })?;
        Certificate::new(x509)
    }

    /// Reads a DER certificate.
    pub(crate) fn from_der(der: &[u8]) -> Result<Certificate, SignError> {
        let x509 = X509::from_der(der).map_err(|_| SignError::BadCertificate {
            reason: "not a DER X.509 certificate".to_owned(),
        })?;
        Certificate::new(x509)
    }

    fn new(x509: X509) -> Result<Certificate, SignError> {
        let bad = |reason: String| SignError::BadCertificate { reason };
        let public = x509
            .public_key()
            .map_err(|error| bad(format!("unreadable public key: {error}")))?;
        let key = if public.id() == Id::RSA {
            PublicKey::Rsa(public)
        } else {
            let spki = public
                .public_key_to_der()
                .map_err(|error| bad(format!("unreadable public key: {error}")))?;
            let sm2 = sm2::PublicKey::from_public_key_der(&spki).map_err(|_| {
                bad(format!(
                    "a {} key: only SM2 and RSA certificates sign CEB messages",
                    key_type_name(public.id())
                ))
            })?;
            let key = sm2::dsa::VerifyingKey::new(SM2_DISTINGUISHING_ID, sm2)
                .map_err(|_| bad("unusable SM2 public key".to_owned()))?;
            PublicKey::Sm2(Box::new(key))
        };
        Ok(Certificate { x509, key })
    }

    /// The public key.
    pub(crate) fn key(&self) -> &PublicKey {
        &self.key
    }

    /// DER encoding.
    pub(crate) fn to_der(&self) -> Result<Vec<u8>, SignError> {
        self.x509
            .to_der()
            .map_err(|error| SignError::BadCertificate {
                reason: error.to_string(),
            })
    }

    /// Serial number, lowercase hexadecimal.
    pub(crate) fn serial_hex(&self) -> Result<String, SignError> {
        let serial = self
            .x509
            .serial_number()
            .to_bn()
            .and_then(|bn| bn.to_hex_str().map(|hex| hex.to_ascii_lowercase()))
            .map_err(|error| SignError::BadCertificate {
                reason: format!("unreadable serial number: {error}"),
            })?;
        Ok(serial)
    }

    /// The signature method the certificate's key signs with.
    pub(crate) fn algorithm(&self) -> SignatureAlgorithm {
        match self.key {
            PublicKey::Sm2(_) => SignatureAlgorithm::Sm2Sm3,
            PublicKey::Rsa(_) => SignatureAlgorithm::RsaSha1,
        }
    }

    /// The end of its validity, as openssl writes it (`Nov 27 00:00:00
    /// 2027 GMT`).
    pub(crate) fn not_after(&self) -> String {
        self.x509.not_after().to_string()
    }

    /// Subject distinguished name, `CN=…, O=…`.
    pub(crate) fn subject(&self) -> String {
        name_string(self.x509.subject_name())
    }

    /// Issuer distinguished name, `CN=…, O=…`.
    pub(crate) fn issuer(&self) -> String {
        name_string(self.x509.issuer_name())
    }
}

/// A distinguished name as `SN=value` pairs in certificate order (values
/// converted to UTF-8, as e-port certificates write BMPString names).
fn name_string(name: &X509NameRef) -> String {
    name.entries()
        .map(|entry| {
            let nid = entry.object().nid();
            let key = if nid == Nid::UNDEF {
                entry.object().to_string()
            } else {
                nid.short_name().map_or_else(
                    |_| entry.object().to_string(),
                    std::borrow::ToOwned::to_owned,
                )
            };
            let value = entry
                .data()
                .to_string()
                .unwrap_or_else(|_| String::from("?"));
            format!("{key}={value}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn key_type_name(id: Id) -> &'static str {
    match id {
        Id::RSA => "RSA",
        Id::EC => "EC (not SM2)",
        Id::DSA => "DSA",
        Id::ED25519 => "Ed25519",
        Id::ED448 => "Ed448",
        Id::DH => "DH",
        _ => "unsupported",
    }
}
