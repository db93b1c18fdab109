//! The answer to a message that fails: the CEB900 format-check receipt
//! (报文格式校验回执, ceb-messages.md §2.4 "CEB900") for what does not read
//! or breaks the schema, and the business receipt status for what breaks a
//! rule customs numbers in table 7-2 (§3.4).

use crate::error::DecodeError;
use crate::issue::Issue;
use crate::model::import::{CEB900Message, MessageReturn};
use crate::xml::{Limits, XmlIn};

/// `returnStatus` of a CEB900 receipt. The XSD says only "a number below
/// 0 means the format check failed" and the specification numbers no
/// format errors, so the codec answers -1 and puts the reasons in
/// `returnInfo` (an inference, ceb-messages.md §2.4).
pub const FORMAT_ERROR_STATUS: &str = "-1";

/// The most characters of `returnInfo` (XSD: ≤ 5000).
const RETURN_INFO_MAX: usize = 5000;

/// Why a message is refused at the format check.
#[derive(Debug, Clone, Copy)]
pub enum Refusal<'a> {
    /// It does not read at all.
    Unreadable(&'a DecodeError),
    /// It reads but breaks the schema.
    Schema(&'a [Issue]),
    /// It reads, but is not a message the receiver accepts (a receipt sent
    /// as a declaration, a type it does not process): the reason, both
    /// languages.
    NotAccepted(&'a str),
}

/// What the receipt answers.
#[derive(Debug, Clone, Copy)]
pub struct Original<'a> {
    /// The message as received.
    pub bytes: &'a [u8],
    /// `CopMsgId` of the envelope it came in (empty if none).
    pub cop_msg_id: &'a str,
}

/// A CEB900 receipt refusing `original`; `guid` is the receipt's own id (an
/// upper-case UUID) and `now` the time as `yyyyMMddHHmmssSSS`.
pub fn format_receipt(
    original: Original<'_>,
    refusal: Refusal<'_>,
    guid: &str,
    now: &str,
) -> CEB900Message {
    let info = match refusal {
        Refusal::Unreadable(error) => format!("{} / {}", error.message_zh(), error.message_en()),
        Refusal::Schema(issues) => issues
            .iter()
            .filter(|issue| issue.is_schema())
            .map(|issue| format!("{} / {}", issue.message_zh(), issue.message_en()))
            .collect::<Vec<_>>()
            .join("; "),
        Refusal::NotAccepted(reason) => reason.to_owned(),
    };
    CEB900Message {
        guid: guid.to_owned(),
        version: "1.0".to_owned(),
        message_return: MessageReturn {
            guid: guid.to_owned(),
            return_status: FORMAT_ERROR_STATUS.to_owned(),
            return_info: truncate(&info, RETURN_INFO_MAX),
            return_time: now.to_owned(),
            ori_cop_msg_id: truncate(original.cop_msg_id, 255),
            ori_message_type: original_type(original.bytes),
            ori_biz_message: String::from_utf8_lossy(original.bytes).into_owned(),
        },
    }
}

/// The root name of the original (`CEB311Message`), or `Unknown` as the
/// XSD prescribes when it cannot be told.
fn original_type(bytes: &[u8]) -> String {
    XmlIn::new(bytes, Limits::default())
        .and_then(|mut reader| reader.root().map(|root| root.local.to_owned()))
        .ok()
        .filter(|name| name.len() <= 15)
        .unwrap_or_else(|| "Unknown".to_owned())
}

fn truncate(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}
