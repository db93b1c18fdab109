//! The typed messages of the CEB catalogue (ceb-messages.md §1): every
//! import and export message and its receipt, the blocks they share, the
//! signature and the transport envelopes.
//!
//! [`decode`] reads any of them; [`encode`] writes one in the XSD's order;
//! [`to_json`] and [`from_json`] convert for integrators.

pub mod common;
pub mod dxp;
pub mod export;
pub mod import;
pub mod signature;

use serde_json::{Map, Value};

use crate::entity::{
    Entity, check_entity, entity_from_json, entity_to_json, read_entity, write_entity,
};
use crate::error::DecodeError;
use crate::issue::{Issue, Path, Rule};
use crate::xml::{Limits, Ns, XmlIn, XmlOut};

/// Which way a message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Retail import (进口), `ceb-import-202205.xsd`.
    Import,
    /// Retail export (出口), `ceb-export-202205.xsd`.
    Export,
}

/// What a message is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// A declaration an enterprise sends (carries `BaseTransfer`).
    Declaration,
    /// A receipt or notice customs sends back.
    Receipt,
}

/// The signature field of a declaration; receipts have none.
macro_rules! signature_of {
    (Declaration, $m:ident) => {
        Some(&mut $m.signature)
    };
    (Receipt, $m:ident) => {{
        let _ = $m;
        None
    }};
}

/// The signature of a declaration, if present; receipts have none.
macro_rules! signature_ref {
    (Declaration, $m:ident) => {
        $m.signature.as_ref()
    };
    (Receipt, $m:ident) => {{
        let _ = $m;
        None
    }};
}

macro_rules! catalogue {
    ($( $variant:ident => $module:ident :: $ty:ident, $code:literal, $direction:ident, $role:ident, $signed:literal, $what:literal; )*) => {
        /// A message type of the catalogue.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum MessageType {
            $(
                #[doc = $what]
                $variant,
            )*
        }

        impl MessageType {
            /// Every message type, import first.
            pub const ALL: &'static [MessageType] = &[$( MessageType::$variant, )*];

            /// The code, e.g. `CEB621`.
            pub const fn code(self) -> &'static str {
                match self { $( MessageType::$variant => $code, )* }
            }

            /// The root element's name, e.g. `CEB621Message`.
            pub const fn root_name(self) -> &'static str {
                match self { $( MessageType::$variant => <$module::$ty as Entity>::NAME, )* }
            }

            /// Import or export.
            pub const fn direction(self) -> Direction {
                match self { $( MessageType::$variant => Direction::$direction, )* }
            }

            /// Declaration or receipt.
            pub const fn role(self) -> Role {
                match self { $( MessageType::$variant => Role::$role, )* }
            }

            /// Whether the schema requires a signature (CEB621, 623, 625, 711).
            pub const fn signature_required(self) -> bool {
                match self { $( MessageType::$variant => $signed, )* }
            }

            /// What the message is, in Chinese and English.
            pub const fn description(self) -> &'static str {
                match self { $( MessageType::$variant => $what, )* }
            }

            /// The type whose code (`CEB621`) or root name (`CEB621Message`)
            /// is `name`, in any letter case.
            pub fn parse(name: &str) -> Option<MessageType> {
                let upper = name.trim().to_ascii_uppercase();
                let code = upper.strip_suffix("MESSAGE").unwrap_or(&upper);
                MessageType::ALL.iter().copied().find(|t| t.code() == code)
            }
        }

        /// The schema description of a message type's root.
        pub fn root_meta(message_type: MessageType) -> crate::entity::EntityMeta {
            match message_type {
                $( MessageType::$variant => crate::entity::meta::<$module::$ty>(), )*
            }
        }

        /// A message of the catalogue.
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum Message {
            $(
                #[doc = $what]
                $variant($module::$ty),
            )*
        }

        impl Message {
            /// Its type.
            pub fn message_type(&self) -> MessageType {
                match self { $( Message::$variant(_) => MessageType::$variant, )* }
            }

            /// The root's `guid` attribute.
            pub fn guid(&self) -> &str {
                match self { $( Message::$variant(m) => &m.guid, )* }
            }

            /// The message's enveloped signature, if it carries one.
            pub fn signature(&self) -> Option<&signature::Signature> {
                match self { $( Message::$variant(m) => signature_ref!($role, m), )* }
            }

            /// Whether the message carries an enveloped signature.
            pub fn is_signed(&self) -> bool {
                self.signature().is_some()
            }

            /// The place of a declaration's enveloped signature (`None` for
            /// receipts, which carry none).
            pub fn signature_slot(&mut self) -> Option<&mut Option<signature::Signature>> {
                match self { $( Message::$variant(m) => signature_of!($role, m), )* }
            }

            fn read(
                message_type: MessageType,
                reader: &mut XmlIn<'_>,
                root: &crate::xml::Element<'_>,
                issues: &mut Vec<Issue>,
            ) -> Result<Message, DecodeError> {
                Ok(match message_type {
                    $( MessageType::$variant => {
                        let path = Path::root(<$module::$ty as Entity>::NAME);
                        Message::$variant(read_entity(reader, root, &path, issues)?)
                    } )*
                })
            }

            /// Shows every value of the message to `visitor`, depth first.
            pub fn visit(&self, visitor: &mut dyn crate::entity::Visitor) {
                match self { $( Message::$variant(m) => {
                    m.visit_fields(&Path::root(<$module::$ty as Entity>::NAME), visitor)
                } )* }
            }

            fn write(&self, out: &mut XmlOut) {
                match self { $( Message::$variant(m) => write_entity(out, m, true), )* }
            }

            fn check(&self, issues: &mut Vec<Issue>) {
                match self { $( Message::$variant(m) => {
                    check_entity(m, &Path::root(<$module::$ty as Entity>::NAME), issues)
                } )* }
            }

            fn json(&self) -> Value {
                match self { $( Message::$variant(m) => entity_to_json(m), )* }
            }

            pub(crate) fn from_json_as(message_type: MessageType, value: &Value, issues: &mut Vec<Issue>) -> Message {
                match message_type {
                    $( MessageType::$variant => {
                        let path = Path::root(<$module::$ty as Entity>::NAME);
                        Message::$variant(entity_from_json(value, &path, issues))
                    } )*
                }
            }
        }
    };
}

catalogue! {
    Ceb311 => import::CEB311Message, "CEB311", Import, Declaration, false, "电子订单 — import order";
    Ceb312 => import::CEB312Message, "CEB312", Import, Receipt, false, "电子订单回执 — import order receipt";
    Ceb411 => import::CEB411Message, "CEB411", Import, Declaration, false, "支付凭证 — payment voucher";
    Ceb412 => import::CEB412Message, "CEB412", Import, Receipt, false, "支付凭证回执 — payment voucher receipt";
    Ceb511 => import::CEB511Message, "CEB511", Import, Declaration, false, "物流运单 — import waybill";
    Ceb512 => import::CEB512Message, "CEB512", Import, Receipt, false, "物流运单回执 — import waybill receipt";
    Ceb513 => import::CEB513Message, "CEB513", Import, Declaration, false, "物流运单状态 — waybill status";
    Ceb514 => import::CEB514Message, "CEB514", Import, Receipt, false, "物流运单状态回执 — waybill status receipt";
    Ceb621 => import::CEB621Message, "CEB621", Import, Declaration, true, "进口清单 — import declaration list";
    Ceb622 => import::CEB622Message, "CEB622", Import, Receipt, false, "进口清单回执 — import declaration list receipt";
    Ceb623 => import::CEB623Message, "CEB623", Import, Declaration, true, "撤销申请单 — cancellation request";
    Ceb624 => import::CEB624Message, "CEB624", Import, Receipt, false, "撤销申请单回执 — cancellation receipt";
    Ceb625 => import::CEB625Message, "CEB625", Import, Declaration, true, "退货申请单 — return request";
    Ceb626 => import::CEB626Message, "CEB626", Import, Receipt, false, "退货申请单回执 — return receipt";
    Ceb711 => import::CEB711Message, "CEB711", Import, Declaration, true, "入库明细单 — warehouse-entry detail list";
    Ceb712 => import::CEB712Message, "CEB712", Import, Receipt, false, "入库明细单回执 — warehouse-entry list receipt";
    Ceb816 => import::CEB816Message, "CEB816", Import, Receipt, false, "电子税单 — electronic tax bill";
    Ceb818 => import::CEB818Message, "CEB818", Import, Receipt, false, "电子税单状态 — tax bill status";
    Ceb900 => import::CEB900Message, "CEB900", Import, Receipt, false, "报文格式校验回执 — format check receipt";
    Ceb303 => export::CEB303Message, "CEB303", Export, Declaration, false, "出口电子订单 — export order";
    Ceb304 => export::CEB304Message, "CEB304", Export, Receipt, false, "出口电子订单回执 — export order receipt";
    Ceb403 => export::CEB403Message, "CEB403", Export, Declaration, false, "收款单 — collection";
    Ceb404 => export::CEB404Message, "CEB404", Export, Receipt, false, "收款单回执 — collection receipt";
    Ceb505 => export::CEB505Message, "CEB505", Export, Declaration, false, "出口物流运单 — export waybill";
    Ceb506 => export::CEB506Message, "CEB506", Export, Receipt, false, "出口物流运单回执 — export waybill receipt";
    Ceb507 => export::CEB507Message, "CEB507", Export, Declaration, false, "运抵单 — arrival at the supervision site";
    Ceb508 => export::CEB508Message, "CEB508", Export, Receipt, false, "运抵单回执 — arrival receipt";
    Ceb509 => export::CEB509Message, "CEB509", Export, Declaration, false, "离境单 — departure";
    Ceb510 => export::CEB510Message, "CEB510", Export, Receipt, false, "离境单回执 — departure receipt";
    Ceb603 => export::CEB603Message, "CEB603", Export, Declaration, false, "出口清单 — export declaration list";
    Ceb604 => export::CEB604Message, "CEB604", Export, Receipt, false, "出口清单回执 — export declaration list receipt";
    Ceb605 => export::CEB605Message, "CEB605", Export, Declaration, false, "出口撤销申请单 — export cancellation";
    Ceb606 => export::CEB606Message, "CEB606", Export, Receipt, false, "出口撤销申请单回执 — export cancellation receipt";
    Ceb607 => export::CEB607Message, "CEB607", Export, Declaration, false, "清单总分单 — master/sub-bill list";
    Ceb608 => export::CEB608Message, "CEB608", Export, Receipt, false, "清单总分单回执 — master/sub-bill receipt";
    Ceb213 => export::CEB213Message, "CEB213", Export, Declaration, false, "出口退货申请单 — export return request";
    Ceb214 => export::CEB214Message, "CEB214", Export, Receipt, false, "出口退货申请单回执 — export return receipt";
    Ceb215 => export::CEB215Message, "CEB215", Export, Declaration, false, "退运理货明细单 — return tally detail";
    Ceb216 => export::CEB216Message, "CEB216", Export, Receipt, false, "退运理货明细单回执 — return tally receipt";
    Ceb701 => export::CEB701Message, "CEB701", Export, Declaration, false, "汇总申请单 — summary declaration application";
    Ceb702 => export::CEB702Message, "CEB702", Export, Receipt, false, "汇总申请单回执 — summary application receipt";
    Ceb792 => export::CEB792Message, "CEB792", Export, Receipt, false, "汇总结果单 — summary result";
}

/// A message read from XML, with what the reader found wrong in its shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The message.
    pub message: Message,
    /// Schema deviations met while reading (unknown, missing, repeated or
    /// misplaced elements, values that do not parse, a misnamed root).
    pub issues: Vec<Issue>,
}

/// Reads any message of the catalogue with the default [`Limits`].
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    decode_with(bytes, Limits::default())
}

/// Reads any message of the catalogue. Accepts the `ceb:` prefixed and
/// the default-namespace forms, a byte-order mark, the 202205 and the
/// 2016-08/2018 editions, and — leniently, noting each as an issue — the
/// deviations of the official export samples (a root named `CEB214`,
/// repeated or misordered elements).
pub fn decode_with(bytes: &[u8], limits: Limits) -> Result<Decoded, DecodeError> {
    let mut reader = XmlIn::new(bytes, limits)?;
    let root = reader.root()?;
    let message_type = MessageType::parse(root.local)
        .filter(|t| root.local == t.root_name() || root.local == t.code())
        .ok_or_else(|| DecodeError::UnknownRoot {
            name: root.local.to_owned(),
        })?;
    let mut issues = Vec::new();
    let here = Path::root(message_type.root_name());
    if root.local != message_type.root_name() {
        issues.push(Issue::new(
            &here,
            Rule::RootName {
                expected: message_type.root_name(),
            },
            Some(root.local),
        ));
    }
    match root.ns {
        Some(Ns::Ceb) => {}
        None => issues.push(Issue::new(
            &here,
            Rule::Namespace {
                expected: Ns::Ceb.uri(),
            },
            None,
        )),
        Some(_) => {
            return Err(DecodeError::WrongNamespace {
                name: root.local.to_owned(),
                expected: Ns::Ceb.uri(),
            });
        }
    }
    let message = Message::read(message_type, &mut reader, &root, &mut issues)?;
    reader.finish()?;
    Ok(Decoded { message, issues })
}

/// Writes a message as XML in the XSD's element order, `ceb:` prefixed,
/// UTF-8, one element per line.
pub fn encode(message: &Message) -> String {
    let mut out = XmlOut::new();
    message.write(&mut out);
    out.finish()
}

/// Checks a message against the schema: lengths in characters, decimal
/// digits, integer ranges, occurrences (the business rules are in
/// [`crate::rules`]).
pub fn check_schema(message: &Message) -> Vec<Issue> {
    let mut issues = Vec::new();
    message.check(&mut issues);
    let message_type = message.message_type();
    if message_type.signature_required() && !message.is_signed() {
        let root = Path::root(message_type.root_name());
        issues.push(Issue::new(
            &root.child("Signature"),
            Rule::SignatureRequired,
            None,
        ));
    }
    issues
}

/// The message as JSON: `{"CEB311Message": {…}}`, keys the specification's
/// element and attribute names, decimals as strings.
pub fn to_json(message: &Message) -> Value {
    let mut object = Map::new();
    object.insert(
        message.message_type().root_name().to_owned(),
        message.json(),
    );
    Value::Object(object)
}

/// Why JSON is not a message at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonError {
    /// Not an object with exactly one key naming a message.
    #[error(
        "JSON must be an object with one key naming the message, e.g. {{\"CEB311Message\": {{…}}}}"
    )]
    Shape,
    /// The key names no message of the catalogue.
    #[error("{0} is not a message of the CEB catalogue")]
    UnknownMessage(String),
}

/// A message from JSON as [`to_json`] writes it; missing, unknown and badly
/// typed fields are issues, in the same terms as for XML.
pub fn from_json(value: &Value) -> Result<Decoded, JsonError> {
    let Value::Object(object) = value else {
        return Err(JsonError::Shape);
    };
    let mut entries = object.iter();
    let (Some((name, body)), None) = (entries.next(), entries.next()) else {
        return Err(JsonError::Shape);
    };
    let message_type = MessageType::parse(name)
        .filter(|t| t.root_name() == name)
        .ok_or_else(|| JsonError::UnknownMessage(name.clone()))?;
    let mut issues = Vec::new();
    let message = Message::from_json_as(message_type, body, &mut issues);
    Ok(Decoded { message, issues })
}

/// Whether `a` and `b` are the same message sent twice (a resend): the
/// same type and the same values, guids compared without regard to case
/// ([`guid_key`]: the specification writes them upper
/// case, clients may not) and the enveloped signature aside (signing the
/// same message again gives another SM2 signature). Layout, prefixes and
/// the envelope are not values; decimals are compared as written (`1.0`
/// is not `1.00`).
pub fn same_message(a: &Message, b: &Message) -> bool {
    a.message_type() == b.message_type() && comparable(a) == comparable(b)
}

/// The JSON of a message as [`same_message`] compares it.
fn comparable(message: &Message) -> Value {
    let mut json = to_json(message);
    if let Some(Value::Object(root)) = json.get_mut(message.message_type().root_name()) {
        root.remove("Signature");
    }
    upper_case_guids(&mut json);
    json
}

/// What a guid is compared as: upper case, as the specification writes
/// it, so that `311af125-…` and `311AF125-…` are the same message.
pub fn guid_key(guid: &str) -> String {
    guid.to_ascii_uppercase()
}

fn upper_case_guids(value: &mut Value) {
    match value {
        Value::Object(members) => {
            for (key, member) in members.iter_mut() {
                match member {
                    Value::String(guid) if key == "guid" => {
                        *guid = guid_key(guid);
                    }
                    other => upper_case_guids(other),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(upper_case_guids),
        _ => {}
    }
}

/// A message of `message_type` from the JSON of its root element.
pub(crate) fn message_from_json(
    message_type: MessageType,
    body: &Value,
    issues: &mut Vec<Issue>,
) -> Message {
    Message::from_json_as(message_type, body, issues)
}
