//! Reading and writing the transport envelopes (ceb-messages.md §4.1–4.2):
//! a terminal-node `DxpMsg` carries one business message as Base64 of its
//! UTF-8 bytes; a transfer-node `DxpMsgSv` carries a `DxpMsg`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::entity::{Entity, check_entity, read_entity, write_entity};
use crate::error::DecodeError;
use crate::issue::{Issue, Path, Rule};
use crate::model::dxp::{AddInfo, DxpMsg, DxpMsgSv, ReceiverIds, TransInfo};
use crate::model::{Decoded, MessageType, decode_with};
use crate::xml::{Limits, Ns, XmlIn, XmlOut};

/// Either envelope.
#[derive(Debug, Clone, PartialEq)]
pub enum Envelope {
    /// 终端节点报文 — what an enterprise's own software sends and receives.
    Terminal(Box<DxpMsg>),
    /// 传输节点报文 — what exchange nodes pass between them.
    Transfer(Box<DxpMsgSv>),
}

impl Envelope {
    /// The terminal-node message inside (itself, or the one a transfer-node
    /// message carries).
    pub fn terminal(&self) -> &DxpMsg {
        match self {
            Envelope::Terminal(message) => message,
            Envelope::Transfer(server) => &server.dxp_msg,
        }
    }
}

/// An envelope read from XML, with what the reader found wrong in its shape.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedEnvelope {
    /// The envelope.
    pub envelope: Envelope,
    /// Schema deviations met while reading.
    pub issues: Vec<Issue>,
}

/// Why the business message inside an envelope cannot be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    /// `Data` is not Base64.
    #[error("DxpMsg/Data is not valid Base64")]
    Base64,
    /// The business message does not read.
    #[error("the business message in DxpMsg/Data does not read: {0}")]
    Business(#[from] DecodeError),
}

impl EnvelopeError {
    /// A stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            EnvelopeError::Base64 => "CEB_ENVELOPE_DATA",
            EnvelopeError::Business(inner) => inner.code(),
        }
    }

    /// The error in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            EnvelopeError::Base64 => "DxpMsg/Data不是有效的Base64编码".to_owned(),
            EnvelopeError::Business(inner) => {
                format!("DxpMsg/Data中的业务报文无法读取：{}", inner.message_zh())
            }
        }
    }
}

/// Whether `bytes` hold an envelope (`DxpMsg`/`DxpMsgSv` root) rather than
/// a business message, judged from the root's local name.
pub fn is_envelope(bytes: &[u8]) -> bool {
    let Ok(mut reader) = XmlIn::new(bytes, Limits::default()) else {
        return false;
    };
    reader
        .root()
        .is_ok_and(|root| matches!(root.local, "DxpMsg" | "DxpMsgSv"))
}

/// Reads a `DxpMsg` or `DxpMsgSv`.
pub fn decode_envelope(bytes: &[u8], limits: Limits) -> Result<DecodedEnvelope, DecodeError> {
    let mut reader = XmlIn::new(bytes, limits)?;
    let root = reader.root()?;
    if root.ns != Some(Ns::Dxp) {
        return Err(DecodeError::WrongNamespace {
            name: root.local.to_owned(),
            expected: Ns::Dxp.uri(),
        });
    }
    let mut issues = Vec::new();
    let envelope = match root.local {
        "DxpMsg" => {
            let path = Path::root(DxpMsg::NAME);
            Envelope::Terminal(Box::new(read_entity(
                &mut reader,
                &root,
                &path,
                &mut issues,
            )?))
        }
        "DxpMsgSv" => {
            let path = Path::root(DxpMsgSv::NAME);
            Envelope::Transfer(Box::new(read_entity(
                &mut reader,
                &root,
                &path,
                &mut issues,
            )?))
        }
        other => {
            return Err(DecodeError::UnknownRoot {
                name: other.to_owned(),
            });
        }
    };
    reader.finish()?;
    Ok(DecodedEnvelope { envelope, issues })
}

/// Writes an envelope.
pub fn encode_envelope(envelope: &Envelope) -> String {
    let mut out = XmlOut::new();
    match envelope {
        Envelope::Terminal(message) => write_entity(&mut out, message.as_ref(), true),
        Envelope::Transfer(server) => write_entity(&mut out, server.as_ref(), true),
    }
    out.finish()
}

/// Checks an envelope against the terminal/transfer schemas: facets,
/// the fixed version, Base64 data.
pub fn check_envelope(envelope: &Envelope) -> Vec<Issue> {
    let mut issues = Vec::new();
    let check_terminal = |message: &DxpMsg, path: &Path<'_>, issues: &mut Vec<Issue>| {
        check_entity(message, path, issues);
        if message.ver != "1.0" {
            issues.push(Issue::new(
                &path.child("@ver"),
                Rule::Code {
                    list: "DxpMsg ver (fixed)",
                    allowed: &["1.0"],
                },
                Some(&message.ver),
            ));
        }
        let receivers = message.trans_info.receiver_ids.receiver_id.0.len();
        if !(1..=5).contains(&receivers) {
            let here = path.child("TransInfo");
            let rule = if receivers == 0 {
                Rule::TooFew { min: 1 }
            } else {
                Rule::TooMany { max: 5 }
            };
            issues.push(Issue::new(&here.child("ReceiverIds"), rule, None));
        }
    };
    match envelope {
        Envelope::Terminal(message) => {
            check_terminal(message, &Path::root(DxpMsg::NAME), &mut issues)
        }
        Envelope::Transfer(server) => {
            let root = Path::root(DxpMsgSv::NAME);
            check_entity(server.as_ref(), &root, &mut issues);
            check_terminal(&server.dxp_msg, &root.child(DxpMsg::NAME), &mut issues);
        }
    }
    issues
}

impl DxpMsg {
    /// The business message's bytes (Base64-decoded `Data`).
    pub fn business_xml(&self) -> Result<Vec<u8>, EnvelopeError> {
        let compact: String = self
            .data
            .chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect();
        STANDARD
            .decode(compact.as_bytes())
            .map_err(|_| EnvelopeError::Base64)
    }

    /// The business message, read with `limits`.
    pub fn business(&self, limits: Limits) -> Result<Decoded, EnvelopeError> {
        Ok(decode_with(&self.business_xml()?, limits)?)
    }
}

/// What a sender puts on the envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routing {
    /// The sender's own unique message id (an upper-case UUID in practice).
    pub cop_msg_id: String,
    /// The sender's DXP id.
    pub sender_id: String,
    /// The receivers' DXP ids (1 to 5).
    pub receiver_ids: Vec<String>,
    /// When created, `yyyy-MM-ddTHH:mm:ss`, China local time.
    pub created: String,
}

/// The receiver of import messages at the e-port data centre, as three
/// independent third-party code bases use it (ceb-messages.md §4.2, [T]).
pub const IMPORT_RECEIVER: &str = "DXPEDCCEB0000002";
/// The receiver of export messages (same source).
pub const EXPORT_RECEIVER: &str = "DXPEDCCEB0000003";

/// Puts a business message (its exact bytes, signed if it is to be) in a
/// terminal-node envelope; `MsgType` is the root name and the file name is
/// `CEBnnnMessage_<CopMsgId>.xml`, as senders write them.
pub fn wrap(business_xml: &[u8], message_type: MessageType, routing: &Routing) -> DxpMsg {
    DxpMsg {
        ver: "1.0".to_owned(),
        id: None,
        trans_info: TransInfo {
            cop_msg_id: routing.cop_msg_id.clone(),
            sender_id: routing.sender_id.clone(),
            receiver_ids: ReceiverIds {
                receiver_id: crate::entity::Values(routing.receiver_ids.clone()),
            },
            creat_time: routing.created.clone(),
            msg_type: message_type.root_name().to_owned(),
        },
        data: STANDARD.encode(business_xml),
        add_info: Some(AddInfo {
            file_name: Some(format!(
                "{}_{}.xml",
                message_type.root_name(),
                routing.cop_msg_id
            )),
            ..AddInfo::default()
        }),
        signature: None,
    }
}
