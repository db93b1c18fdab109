//! Why a message could not be signed, or a signature did not verify.

use thiserror::Error;

/// A signing or verification failure. Each variant has a stable
/// [`code`](SignError::code) and a message in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SignError {
    /// A receipt (or any message without a signature in its schema) was
    /// given to [`sign`](super::sign).
    #[error("{message_type} is a receipt and carries no signature")]
    ReceiptNotSignable {
        /// The message's code, e.g. `CEB622`.
        message_type: &'static str,
    },
    /// The private key is unreadable or of a kind other than SM2 or RSA.
    #[error("bad private key: {reason}")]
    BadKey {
        /// What is wrong with it.
        reason: String,
    },
    /// The certificate is unreadable, missing or holds a key other than SM2
    /// or RSA.
    #[error("bad certificate: {reason}")]
    BadCertificate {
        /// What is wrong with it.
        reason: String,
    },
    /// The certificate's public key is not the private key's.
    #[error("the certificate's public key does not belong to the private key")]
    KeyMismatch,
    /// The cryptographic library refused to sign.
    #[error("signing failed: {reason}")]
    SigningFailed {
        /// The library's reason.
        reason: String,
    },
    /// The document is not well-formed XML (or not UTF-8, or has a DTD).
    #[error("malformed XML: {reason}")]
    MalformedXml {
        /// The parser's reason.
        reason: String,
    },
    /// The root element has no `ds:Signature` child.
    #[error("the document has no ds:Signature under its root element")]
    NoSignature,
    /// The `ds:Signature` lacks a part or has one in an unusable form.
    #[error("malformed ds:Signature: {reason}")]
    MalformedSignature {
        /// What is wrong.
        reason: String,
    },
    /// A canonicalisation, signature, digest or transform algorithm this
    /// module does not implement.
    #[error("unsupported algorithm {uri}")]
    UnsupportedAlgorithm {
        /// The algorithm's URI as written.
        uri: String,
    },
    /// The signature method does not fit the certificate's key (SM2 method,
    /// RSA certificate or the reverse).
    #[error("signature method {method} does not fit the certificate's {key} key")]
    AlgorithmMismatch {
        /// The signature method's name.
        method: &'static str,
        /// The certificate's key type.
        key: &'static str,
    },
    /// Canonicalisation failed (e.g. a relative namespace URI).
    #[error("canonicalisation failed: {reason}")]
    Canonicalization {
        /// The canonicaliser's reason.
        reason: String,
    },
    /// The document's content is not what was signed: its digest differs.
    #[error("digest mismatch: the signature says {expected}, the document gives {actual}")]
    DigestMismatch {
        /// `DigestValue` as written in the signature (Base64).
        expected: String,
        /// The digest of the document as received (Base64).
        actual: String,
    },
    /// `SignatureValue` is not a signature of `SignedInfo` by the
    /// certificate's key.
    #[error("the signature value does not verify with the certificate's key")]
    BadSignature,
}

impl SignError {
    /// A stable machine code for the error.
    pub fn code(&self) -> &'static str {
        match self {
            SignError::ReceiptNotSignable { .. } => "CEB_SIGN_RECEIPT",
            SignError::BadKey { .. } => "CEB_SIGN_KEY",
            SignError::BadCertificate { .. } => "CEB_SIGN_CERTIFICATE",
            SignError::KeyMismatch => "CEB_SIGN_KEY_MISMATCH",
            SignError::SigningFailed { .. } => "CEB_SIGN_FAILED",
            SignError::MalformedXml { .. } => "CEB_SIGN_XML",
            SignError::NoSignature => "CEB_SIGN_MISSING",
            SignError::MalformedSignature { .. } => "CEB_SIGN_STRUCTURE",
            SignError::UnsupportedAlgorithm { .. } => "CEB_SIGN_ALGORITHM",
            SignError::AlgorithmMismatch { .. } => "CEB_SIGN_ALGORITHM_MISMATCH",
            SignError::Canonicalization { .. } => "CEB_SIGN_C14N",
            SignError::DigestMismatch { .. } => "CEB_SIGN_DIGEST",
            SignError::BadSignature => "CEB_SIGN_SIGNATURE",
        }
    }

    /// The error in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            SignError::ReceiptNotSignable { message_type } => {
                format!("{message_type}是回执报文，不加签")
            }
            SignError::BadKey { reason } => format!("私钥无效：{reason}"),
            SignError::BadCertificate { reason } => format!("证书无效：{reason}"),
            SignError::KeyMismatch => "证书公钥与私钥不匹配".to_owned(),
            SignError::SigningFailed { reason } => format!("签名运算失败：{reason}"),
            SignError::MalformedXml { reason } => format!("XML格式错误：{reason}"),
            SignError::NoSignature => "报文根元素下没有ds:Signature签名节点".to_owned(),
            SignError::MalformedSignature { reason } => format!("签名节点结构错误：{reason}"),
            SignError::UnsupportedAlgorithm { uri } => format!("不支持的算法：{uri}"),
            SignError::AlgorithmMismatch { method, key } => {
                format!("签名算法{method}与证书的{key}密钥不符")
            }
            SignError::Canonicalization { reason } => format!("规范化（C14N）失败：{reason}"),
            SignError::DigestMismatch { expected, actual } => {
                format!("摘要值不符，报文内容已被改动（签名中为{expected}，实际为{actual}）")
            }
            SignError::BadSignature => "签名值验证失败".to_owned(),
        }
    }

    /// The error in English.
    pub fn message_en(&self) -> String {
        self.to_string()
    }
}
