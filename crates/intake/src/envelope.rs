//! Opening the transport envelope (ceb-messages.md §4.1) a message may come
//! in: the business message inside, or a CEB900 when it cannot be opened.

use kuajing_ceb::Limits;
use kuajing_ceb::envelope::{decode_envelope, is_envelope};
use kuajing_ceb::issue::{Issue, Rule};
use kuajing_ceb::receipt::{Original, Refusal};
use kuajing_core::timestamp::Timestamp;

use crate::reply::{Reply, format_error};

/// The business message inside an envelope (and the envelope's CopMsgId),
/// or the body itself; an envelope that cannot be opened is answered with a
/// CEB900.
pub(crate) fn open_envelope(body: &[u8]) -> std::result::Result<(Vec<u8>, String), Reply> {
    if !is_envelope(body) {
        return Ok((body.to_vec(), String::new()));
    }
    let now = Timestamp::now();
    let original = Original {
        bytes: body,
        cop_msg_id: "",
    };
    let decoded = decode_envelope(body, Limits::default())
        .map_err(|error| format_error(original, Refusal::Unreadable(&error), now))?;
    let terminal = decoded.envelope.terminal();
    let cop_msg_id = terminal.trans_info.cop_msg_id.clone();
    // A character no value may hold, anywhere in the envelope (its
    // CopMsgId, sender, receiver…), refuses the message naming the path
    // (issue #14 finding 7), as in the message itself.
    let characters: Vec<Issue> = decoded
        .issues
        .iter()
        .filter(|i| matches!(i.rule, Rule::Character { .. }))
        .cloned()
        .collect();
    if !characters.is_empty() {
        return Err(format_error(original, Refusal::Schema(&characters), now));
    }
    match terminal.business_xml() {
        Ok(bytes) => Ok((bytes, cop_msg_id)),
        Err(error) => {
            let reason = format!("{} / {error}", error.message_zh());
            Err(format_error(
                Original {
                    bytes: body,
                    cop_msg_id: &cop_msg_id,
                },
                Refusal::NotAccepted(&reason),
                now,
            ))
        }
    }
}
