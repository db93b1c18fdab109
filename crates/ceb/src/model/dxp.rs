//! The transport envelopes (ceb-messages.md §4.1–4.2): the terminal-node
//! message `DxpMsg` an enterprise's own software exchanges (the business
//! message Base64 in `Data`), and the transfer-node message `DxpMsgSv`
//! exchange nodes pass between them. Declared from
//! `dxp-terminal-202205.xsd` and `dxp-transfer-202205.xsd`.

use serde_json::{Map, Value};

use crate::entity::{Facet, FieldValue, Scalar, Slot, Values, Visitor, entity};
use crate::error::DecodeError;
use crate::issue::{Issue, Path, Rule};
use crate::model::signature::Signature;
use crate::xml::{Element, Ns, XmlIn, XmlOut};

entity! {
    /// 终端节点报文 — the terminal-node envelope.
    DxpMsg in Dxp as "DxpMsg" {
        attributes {
            /// Version, fixed `1.0`.
            ver: String = "ver", Facet::AnyText;
            /// Identifier for signature references (`xs:ID`).
            id: Option<String> = "Id", Facet::AnyText;
        }
        elements {
            /// Routing header.
            trans_info: TransInfo = "TransInfo", Facet::ONE;
            /// The business message: Base64 of its UTF-8 bytes.
            data: String = "Data", Facet::Base64;
            /// Additional information.
            add_info: Option<AddInfo> = "AddInfo", Facet::OPTIONAL;
            /// Envelope-level signature.
            signature: Option<Signature> = "Signature", Facet::OPTIONAL;
        }
    }
}

entity! {
    /// 传输信息 — routing header of a `DxpMsg` (also `OriHead`).
    TransInfo in Dxp as "TransInfo" {
        attributes {}
        elements {
            /// Sender's own unique message id.
            cop_msg_id: String = "CopMsgId", Facet::text(1, 255);
            /// Sender's DXP id.
            sender_id: String = "SenderId", Facet::text(1, 16);
            /// Receivers' DXP ids.
            receiver_ids: ReceiverIds = "ReceiverIds", Facet::ONE;
            /// When created (`yyyy-MM-ddTHH:mm:ss`; the element name is official).
            creat_time: String = "CreatTime", Facet::DateTime;
            /// Message type agreed by both sides, in practice the root name
            /// (`CEB311Message`).
            msg_type: String = "MsgType", Facet::text(0, 30);
        }
    }
}

entity! {
    /// Receivers of a message.
    ReceiverIds in Dxp as "ReceiverIds" {
        attributes {}
        elements {
            /// A receiver's DXP id (1 to 5).
            receiver_id: Values<String> = "ReceiverId", Facet::text(1, 16);
        }
    }
}

entity! {
    /// 附加信息 — optional additions to an envelope.
    AddInfo in Dxp as "AddInfo" {
        attributes {}
        elements {
            /// Original file name.
            file_name: Option<String> = "FileName", Facet::text(1, 255);
            /// IC card number.
            ic_card: Option<String> = "IcCard", Facet::text(1, 13);
            /// Business keys.
            biz_key: Option<BizKey> = "BizKey", Facet::OPTIONAL;
            /// Marks text content, naming its character set.
            is_text: Option<IsText> = "IsText", Facet::OPTIONAL;
            /// Receiver-side conversion id.
            rec_map_id: Option<String> = "RecMapId", Facet::AnyText;
        }
    }
}

entity! {
    /// Business keys of an envelope.
    BizKey in Dxp as "BizKey" {
        attributes {}
        elements {
            /// Key values (1 to 5), each with its name.
            key: Keys = "Key", Facet::text(1, 64);
        }
    }
}

entity! {
    /// Marks the data as text.
    IsText in Dxp as "IsText" {
        attributes {
            /// Character set.
            encode: String = "Encode", Facet::text(0, 50);
        }
        elements {}
    }
}

entity! {
    /// 传输节点报文 — the transfer-node envelope.
    DxpMsgSv in Dxp as "DxpMsgSv" {
        attributes {
            /// Version, fixed `1.0`.
            ver: String = "ver", Facet::AnyText;
            /// Identifier for signature references (`xs:ID`).
            id: Option<String> = "Id", Facet::AnyText;
        }
        elements {
            /// Server routing number.
            sv_no: SvNo = "SvNo", Facet::ONE;
            /// The terminal-node message carried.
            dxp_msg: DxpMsg = "DxpMsg", Facet::ONE;
            /// Node-level signature.
            signature: Option<Signature> = "Signature", Facet::OPTIONAL;
        }
    }
}

entity! {
    /// Routing number of a transfer-node message.
    SvNo in Dxp as "SvNo" {
        attributes {
            /// Version, fixed `1.0`.
            ver: String = "Ver", Facet::AnyText;
        }
        elements {
            /// 8-digit node id + `yyyymmddhh24miss` + 10-digit sequence.
            msg_id: String = "MsgId", Facet::text(1, 32);
            /// Sub-message id when split per receiver.
            sub_msg_id: Option<String> = "SubMsgId", Facet::text(1, 1);
            /// When sent.
            send_time: String = "SendTime", Facet::DateTime;
            /// End node.
            end_node: String = "EndNode", Facet::text(1, 8);
            /// Start node.
            sta_node: String = "StaNode", Facet::text(1, 8);
        }
    }
}

/// One business key of an envelope: `<Key name="DealFlag">1</Key>`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Key {
    /// The key's name (1 to 32 characters).
    pub name: Option<String>,
    /// Its value (1 to 64 characters).
    pub value: String,
}

/// The business keys of an envelope (1 to 5).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Keys(pub Vec<Key>);

impl Slot for Keys {
    const REQUIRED: bool = false;
    const REPEATS: bool = true;

    fn read_xml(
        &mut self,
        reader: &mut XmlIn<'_>,
        element: &Element<'_>,
        _facet: Facet,
        _path: &Path<'_>,
        _issues: &mut Vec<Issue>,
    ) -> Result<(), DecodeError> {
        let name = element.attribute("name")?;
        let value = reader.text(element)?.into_owned();
        self.0.push(Key { name, value });
        Ok(())
    }

    fn write_xml(&self, out: &mut XmlOut, ns: Ns, name: &str) {
        for key in &self.0 {
            let attributes: Vec<(&str, &str)> = key
                .name
                .as_deref()
                .map(|n| ("name", n))
                .into_iter()
                .collect();
            out.leaf_with_attributes(ns, name, &attributes, &key.value);
        }
    }

    fn check(&self, facet: Facet, path: &Path<'_>, name: &'static str, issues: &mut Vec<Issue>) {
        if self.0.len() > 5 {
            issues.push(Issue::new(
                &path.child(name),
                Rule::TooMany { max: 5 },
                None,
            ));
        }
        for (i, key) in self.0.iter().enumerate() {
            let here = path.nth(name, i + 1);
            if let Some(rule) = key.value.broken(facet) {
                issues.push(Issue::new(&here, rule, Some(&key.value)));
            }
            if let Some(key_name) = &key.name
                && let Some(rule) = key_name.broken(Facet::text(1, 32))
            {
                issues.push(Issue::new(&here.child("@name"), rule, Some(key_name)));
            }
        }
    }

    fn to_json(&self) -> Option<Value> {
        Some(Value::Array(
            self.0
                .iter()
                .map(|key| {
                    let mut object = Map::new();
                    if let Some(name) = &key.name {
                        object.insert("name".to_owned(), Value::String(name.clone()));
                    }
                    object.insert("value".to_owned(), Value::String(key.value.clone()));
                    Value::Object(object)
                })
                .collect(),
        ))
    }

    fn visit(&self, path: &Path<'_>, name: &'static str, visitor: &mut dyn Visitor) {
        for key in &self.0 {
            visitor.field(path, name, FieldValue::Text(&key.value));
        }
    }

    fn from_json(
        value: Option<&Value>,
        _facet: Facet,
        path: &Path<'_>,
        name: &'static str,
        issues: &mut Vec<Issue>,
    ) -> Self {
        let Some(Value::Array(items)) = value else {
            return Keys::default();
        };
        Keys(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let text = |k: &str| item.get(k).and_then(Value::as_str).map(str::to_owned);
                    let value = text("value").unwrap_or_else(|| {
                        issues.push(Issue::new(&path.nth(name, i + 1), Rule::Missing, None));
                        String::new()
                    });
                    Key {
                        name: text("name"),
                        value,
                    }
                })
                .collect(),
        )
    }
}
