//! The enveloped XML signature (`ds:Signature`, W3C XML-DSig) as the CEB
//! messages carry it (ceb-messages.md §4.4): the parts a signer writes and a
//! verifier reads. Signing and verification live in [`crate::sign`]; this is
//! only its shape, so that a signed message reads and writes back intact.

use crate::entity::{Facet, entity};

entity! {
    /// 数字签名 — the signature element.
    Signature in Ds as "Signature" {
        attributes {
            /// Identifier of the signature, if any.
            id: Option<String> = "Id", Facet::AnyText;
        }
        elements {
            /// What is signed: algorithms and the document's digest.
            signed_info: SignedInfo = "SignedInfo", Facet::ONE;
            /// The signature over the canonical `SignedInfo`, Base64.
            signature_value: String = "SignatureValue", Facet::Base64;
            /// The signer's certificate and its number.
            key_info: Option<KeyInfo> = "KeyInfo", Facet::OPTIONAL;
        }
    }
}

entity! {
    /// 签名信息 — the signed part of a signature.
    SignedInfo in Ds as "SignedInfo" {
        attributes {}
        elements {
            /// Canonicalisation of `SignedInfo` (C14N 1.0).
            canonicalization_method: CanonicalizationMethod = "CanonicalizationMethod", Facet::ONE;
            /// Signature algorithm (SM2-SM3 or RSA-SHA1).
            signature_method: SignatureMethod = "SignatureMethod", Facet::ONE;
            /// The signed document (`URI=""`: the whole message).
            reference: Vec<Reference> = "Reference", Facet::occurs(1, 1);
        }
    }
}

entity! {
    /// Canonicalisation algorithm.
    CanonicalizationMethod in Ds as "CanonicalizationMethod" {
        attributes {
            /// Algorithm URI.
            algorithm: String = "Algorithm", Facet::AnyText;
        }
        elements {}
    }
}

entity! {
    /// Signature algorithm.
    SignatureMethod in Ds as "SignatureMethod" {
        attributes {
            /// Algorithm URI.
            algorithm: String = "Algorithm", Facet::AnyText;
        }
        elements {}
    }
}

entity! {
    /// A signed reference: what was digested, how, and the digest.
    Reference in Ds as "Reference" {
        attributes {
            /// The referenced data (`""`: the enclosing document).
            uri: Option<String> = "URI", Facet::AnyText;
        }
        elements {
            /// Transforms applied before digesting (the enveloped-signature transform).
            transforms: Option<Transforms> = "Transforms", Facet::OPTIONAL;
            /// Digest algorithm (SM3 or SHA-1).
            digest_method: DigestMethod = "DigestMethod", Facet::ONE;
            /// The digest, Base64.
            digest_value: String = "DigestValue", Facet::Base64;
        }
    }
}

entity! {
    /// The transforms of a reference.
    Transforms in Ds as "Transforms" {
        attributes {}
        elements {
            /// Each transform in order.
            transform: Vec<Transform> = "Transform", Facet::occurs(1, 8);
        }
    }
}

entity! {
    /// One transform.
    Transform in Ds as "Transform" {
        attributes {
            /// Algorithm URI.
            algorithm: String = "Algorithm", Facet::AnyText;
        }
        elements {}
    }
}

entity! {
    /// Digest algorithm.
    DigestMethod in Ds as "DigestMethod" {
        attributes {
            /// Algorithm URI.
            algorithm: String = "Algorithm", Facet::AnyText;
        }
        elements {}
    }
}

entity! {
    /// The key that verifies the signature.
    KeyInfo in Ds as "KeyInfo" {
        attributes {}
        elements {
            /// Certificate number (证书编号) on the e-port card or device.
            key_name: Option<String> = "KeyName", Facet::AnyText;
            /// The X.509 certificate.
            x509_data: Option<X509Data> = "X509Data", Facet::OPTIONAL;
        }
    }
}

entity! {
    /// X.509 data of a key.
    X509Data in Ds as "X509Data" {
        attributes {}
        elements {
            /// The certificate, Base64 of its DER.
            x509_certificate: Option<String> = "X509Certificate", Facet::Base64;
        }
    }
}
