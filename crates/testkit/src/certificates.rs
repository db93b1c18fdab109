//! Keys and certificates made for a test (no key file is kept): an SM2 or
//! RSA key with a certificate issued by a throwaway authority, as an
//! enterprise's e-port certificate would be.

#![allow(clippy::unwrap_used)] // test support: failing loudly is the point
use openssl::asn1::Asn1Time;
use openssl::bn::{BigNum, MsbOption};
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::x509::{X509, X509Name, X509NameBuilder};

/// A private key and its certificate, PEM.
pub struct Identity {
    /// The private key.
    pub key: PKey<Private>,
    /// The key, PKCS#8 PEM.
    pub key_pem: Vec<u8>,
    /// The certificate, PEM.
    pub certificate_pem: Vec<u8>,
    /// Its serial number, lowercase hexadecimal.
    pub serial: String,
}

fn name(common_name: &str) -> X509Name {
    let mut name = X509NameBuilder::new().unwrap();
    name.append_entry_by_nid(Nid::COUNTRYNAME, "CN").unwrap();
    name.append_entry_by_nid(Nid::ORGANIZATIONNAME, "测试企业")
        .unwrap();
    name.append_entry_by_nid(Nid::COMMONNAME, common_name)
        .unwrap();
    name.build()
}

/// A throwaway RSA certificate authority (OpenSSL 3 cannot self-sign SM2
/// certificates simply; the CA's algorithm does not matter here).
fn authority() -> (PKey<Private>, X509Name) {
    let key = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
    (key, name("Test e-port CA"))
}

/// A certificate for `key` (any algorithm), issued by a throwaway CA.
pub fn identity(key: PKey<Private>, common_name: &str) -> Identity {
    let (ca_key, ca_name) = authority();
    let mut serial = BigNum::new().unwrap();
    serial.rand(64, MsbOption::MAYBE_ZERO, false).unwrap();
    let mut builder = X509::builder().unwrap();
    builder.set_version(2).unwrap();
    builder
        .set_serial_number(&serial.to_asn1_integer().unwrap())
        .unwrap();
    builder.set_subject_name(&name(common_name)).unwrap();
    builder.set_issuer_name(&ca_name).unwrap();
    builder.set_pubkey(&key).unwrap();
    builder
        .set_not_before(&Asn1Time::days_from_now(0).unwrap())
        .unwrap();
    builder
        .set_not_after(&Asn1Time::days_from_now(365).unwrap())
        .unwrap();
    builder.sign(&ca_key, MessageDigest::sha256()).unwrap();
    let certificate = builder.build();
    Identity {
        key_pem: key.private_key_to_pem_pkcs8().unwrap(),
        certificate_pem: certificate.to_pem().unwrap(),
        serial: serial.to_hex_str().unwrap().to_ascii_lowercase(),
        key,
    }
}

fn sm2_key() -> PKey<Private> {
    let group = EcGroup::from_curve_name(Nid::SM2).unwrap();
    PKey::from_ec_key(EcKey::generate(&group).unwrap()).unwrap()
}

/// An SM2 key and certificate.
pub fn sm2_identity() -> Identity {
    identity(sm2_key(), "SM2 测试证书")
}

/// An RSA-2048 key and certificate.
pub fn rsa_identity() -> Identity {
    identity(
        PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap(),
        "RSA 测试证书",
    )
}
