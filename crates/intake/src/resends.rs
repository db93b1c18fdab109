//! A message whose sender sent a message of its type and guid before (in
//! any letter case: guids are compared as `kuajing_store::ceb_documents::guid_key`
//! keeps them). Issue #14, finding 12.
//!
//! The same message sent again — byte for byte, or with the same values
//! written otherwise (another envelope, layout or signature, its guids in
//! another case: [`kuajing_ceb::same_message`]) — gets the receipt the
//! first send got, byte for byte, and changes nothing: a sender that did
//! not hear its answer may always ask again.
//!
//! Other content under a guid used before is refused and nothing is kept:
//! HTTP 409 with a CEB900 naming `guid`, when the guid was first used and
//! both SHA-256 digests. A CEB900 rather than a business receipt, because
//! a business receipt answers documents, and answering the new content's
//! documents as refused would tell the sender that the documents of the
//! first send, which stand, were refused. 409 rather than the CEB900's
//! usual 400: the message reads and follows the schema; what it conflicts
//! with is the platform's record.

use kuajing_ceb::receipt::{Original, Refusal, format_receipt};
use kuajing_ceb::{Limits, Message, decode_with, encode, same_message};
use kuajing_core::timestamp::Timestamp;
use kuajing_store::Conn;
use kuajing_store::ceb_documents::{self as store_docs, StoredMessage};

use crate::envelope::open_envelope;
use crate::reply::{Outcome, Reply};
use kuajing_exchange::receipts_out::new_guid;
use kuajing_exchange::time_format::return_time;
use kuajing_registry::error::{Error, Result};

/// A message sent again under its sender's guid for its type.
pub struct Resend<'a> {
    /// The message kept first under the guid.
    pub earlier: StoredMessage,
    /// The message now received, as read.
    pub message: &'a Message,
    /// What was received (the envelope, if it came in one).
    pub body: &'a [u8],
    /// SHA-256 of `body`, hex.
    pub digest: &'a str,
    /// When it was received.
    pub now: Timestamp,
}

/// The answer to a message sent again: the first receipt, or the refusal
/// of other content under a guid used before.
pub async fn answer(conn: &mut Conn, resend: Resend<'_>) -> Result<Reply> {
    if resend.earlier.sha256 == resend.digest || same_values(conn, &resend).await? {
        return first_receipt(resend.earlier);
    }
    Ok(conflict(&resend))
}

/// Whether the message kept first holds the values of the one received
/// (their bytes differ).
async fn same_values(conn: &mut Conn, resend: &Resend<'_>) -> Result<bool> {
    let Some(body) = store_docs::message_body(conn, &resend.earlier.id).await? else {
        return Ok(false);
    };
    let Ok((business, _)) = open_envelope(&body) else {
        return Ok(false);
    };
    Ok(decode_with(&business, Limits::default())
        .is_ok_and(|earlier| same_message(&earlier.message, resend.message)))
}

/// The receipt the first send got, byte for byte.
fn first_receipt(earlier: StoredMessage) -> Result<Reply> {
    let (_, xml) = earlier
        .receipt
        .ok_or_else(|| Error::Internal("a kept message has no receipt".to_owned()))?;
    Ok(Reply {
        outcome: Outcome::Read,
        xml,
    })
}

/// HTTP 409 with a CEB900 naming the guid used before for other content.
fn conflict(resend: &Resend<'_>) -> Reply {
    let message_type = resend.message.message_type();
    let path = format!("/{}/guid", message_type.root_name());
    let guid = resend.message.guid();
    let earlier = &resend.earlier;
    let reason = format!(
        "{path}：guid“{guid}”已于{at}用于内容不同的另一{code}报文（SHA-256 {first}，本报文 {now}），本报文未被接收；重发请原样重发，新报文请用新的guid / \
         {path}: the guid \"{guid}\" was used on {at} for another {code} message with different content (SHA-256 {first}; this one {now}); this message was not taken: resend a message unchanged, give a new message a new guid",
        at = earlier.received_at,
        code = message_type.code(),
        first = earlier.sha256,
        now = resend.digest,
    );
    let (business, cop_msg_id) =
        open_envelope(resend.body).unwrap_or_else(|_| (resend.body.to_vec(), String::new()));
    let original = Original {
        bytes: &business,
        cop_msg_id: &cop_msg_id,
    };
    let receipt = format_receipt(
        original,
        Refusal::NotAccepted(&reason),
        &new_guid(),
        &return_time(resend.now),
    );
    Reply {
        outcome: Outcome::GuidReused,
        xml: encode(&Message::Ceb900(receipt)),
    }
}
