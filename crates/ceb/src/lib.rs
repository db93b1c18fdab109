//! 统一版报文 — the customs cross-border e-commerce (CEB) messages of the
//! 202205 specification: every import and export message and receipt, the
//! transport envelopes, read from and written to XML, checked against the
//! schema and the business rules, and signed.
//!
//! This crate depends on nothing else in the workspace: it is the codec the
//! platform, the command line and integrators share.
//!
//! - [`decode`] reads any message (hostile input is an error value, never a
//!   panic); [`encode`] writes one in the XSD's element order.
//! - [`validate`] lists every [`Issue`]: path, rule, value, official code.
//! - [`to_json`] / [`from_json`] convert for integrators.

pub mod characters;
pub mod entity;
pub mod envelope;
pub mod error;
pub mod issue;
pub mod model;
pub mod receipt;
pub mod rules;
pub mod sample;
pub mod sign;
pub mod xml;

pub use entity::{AnyXml, Facet, parse_decimal};
pub use error::DecodeError;
pub use issue::{Issue, Path, Rule};
pub use model::{
    Decoded, Direction, JsonError, Message, MessageType, Role, check_schema, decode, decode_with,
    encode, from_json, same_message, to_json,
};
pub use rules::{Edition, Options, validate, validate_with};
pub use sample::sample;
pub use sign::{SignError, SignatureAlgorithm, Signer, Verified};
pub use xml::Limits;
