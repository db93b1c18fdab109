//! The signature and digest methods of CEB signatures and their URIs
//! (ceb-messages.md §4.4): what [`sign`](super::sign) writes and what
//! [`verify`](super::verify) accepts.

/// The algorithm URIs of CEB signatures.
pub mod uri {
    /// Inclusive C14N 1.0 without comments (what [`sign`](super::super::sign) writes).
    pub const C14N: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
    /// Inclusive C14N 1.0 with comments (accepted on verification).
    pub const C14N_WITH_COMMENTS: &str =
        "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
    /// The enveloped-signature transform.
    pub const ENVELOPED_SIGNATURE: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
    /// SM2 with SM3, as the 202205 specification names it.
    pub const SM2_SM3: &str = "http://www.chinaport.gov.cn/2022/04/xmldsig#sm2-sm3";
    /// SM2 with SM3 as older signers name it (accepted on verification).
    pub const SM2_SM3_LEGACY: &str = "http://www.w3.org/2000/09/xmldsig#sm2-sm3";
    /// RSA with SHA-1.
    pub const RSA_SHA1: &str = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
    /// The SM3 digest.
    pub const SM3: &str = "http://www.chinaport.gov.cn/2022/04/xmldsig#sm3";
    /// The SHA-1 digest.
    pub const SHA1: &str = "http://www.w3.org/2000/09/xmldsig#sha1";
}

/// The SM2 distinguishing ID (user ID) that enters the signed hash: the
/// default of GB/T 32918 and GM/T 0009.
pub const SM2_DISTINGUISHING_ID: &str = "1234567812345678";

/// A signature method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureAlgorithm {
    /// SM2 signature with SM3 (SM2DSA, distinguishing ID
    /// [`SM2_DISTINGUISHING_ID`]); written with the SM3 digest.
    Sm2Sm3,
    /// RSA PKCS#1 v1.5 with SHA-1; written with the SHA-1 digest.
    RsaSha1,
}

impl SignatureAlgorithm {
    /// The URI [`sign`](super::sign) writes.
    pub const fn uri(self) -> &'static str {
        match self {
            SignatureAlgorithm::Sm2Sm3 => uri::SM2_SM3,
            SignatureAlgorithm::RsaSha1 => uri::RSA_SHA1,
        }
    }

    /// The method named by `uri` (both SM2 URIs are accepted).
    pub fn from_uri(uri: &str) -> Option<SignatureAlgorithm> {
        match uri {
            uri::SM2_SM3 | uri::SM2_SM3_LEGACY => Some(SignatureAlgorithm::Sm2Sm3),
            uri::RSA_SHA1 => Some(SignatureAlgorithm::RsaSha1),
            _ => None,
        }
    }

    /// The digest [`sign`](super::sign) pairs with the method.
    pub const fn digest(self) -> DigestAlgorithm {
        match self {
            SignatureAlgorithm::Sm2Sm3 => DigestAlgorithm::Sm3,
            SignatureAlgorithm::RsaSha1 => DigestAlgorithm::Sha1,
        }
    }

    /// A short name: `SM2-SM3` or `RSA-SHA1`.
    pub const fn name(self) -> &'static str {
        match self {
            SignatureAlgorithm::Sm2Sm3 => "SM2-SM3",
            SignatureAlgorithm::RsaSha1 => "RSA-SHA1",
        }
    }
}

/// A digest method of the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DigestAlgorithm {
    /// SM3 (32 bytes).
    Sm3,
    /// SHA-1 (20 bytes).
    Sha1,
}

impl DigestAlgorithm {
    /// The URI.
    pub const fn uri(self) -> &'static str {
        match self {
            DigestAlgorithm::Sm3 => uri::SM3,
            DigestAlgorithm::Sha1 => uri::SHA1,
        }
    }

    /// The digest named by `uri`.
    pub fn from_uri(uri: &str) -> Option<DigestAlgorithm> {
        match uri {
            uri::SM3 => Some(DigestAlgorithm::Sm3),
            uri::SHA1 => Some(DigestAlgorithm::Sha1),
            _ => None,
        }
    }

    /// A short name: `SM3` or `SHA-1`.
    pub const fn name(self) -> &'static str {
        match self {
            DigestAlgorithm::Sm3 => "SM3",
            DigestAlgorithm::Sha1 => "SHA-1",
        }
    }

    /// The digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            DigestAlgorithm::Sm3 => <sm3::Sm3 as sm3::Digest>::digest(data).to_vec(),
            DigestAlgorithm::Sha1 => <sha1::Sha1 as sha1::Digest>::digest(data).to_vec(),
        }
    }
}
