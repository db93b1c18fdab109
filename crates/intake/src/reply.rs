//! What the sender of a message is told: what became of it ([`Outcome`],
//! which the web crate makes the HTTP status) and the receipt XML.

use kuajing_ceb::receipt::{Original, Refusal, format_receipt};
use kuajing_ceb::{Message, encode};
use kuajing_core::timestamp::Timestamp;
use kuajing_exchange::receipts_out::new_guid;
use kuajing_exchange::time_format::return_time;

/// What became of a message, as its sender is told (the web crate makes
/// it the HTTP status: 200, 400, 409).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Read: each document accepted or refused by a business rule in the
    /// receipt.
    Read,
    /// Not read: it does not parse, breaks the schema or is not a message
    /// the intake takes (a CEB900).
    Unreadable,
    /// Other content under a guid the sender used before (a CEB900).
    GuidReused,
}

impl Outcome {
    /// Whether the message was read.
    pub fn is_read(self) -> bool {
        self == Outcome::Read
    }
}

/// The answer to a message: what became of it and the receipt XML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// What became of it.
    pub outcome: Outcome,
    /// The receipt message.
    pub xml: String,
}

/// The answer to a message that cannot be read: a CEB900 (HTTP 400).
pub(crate) fn format_error(original: Original<'_>, refusal: Refusal<'_>, now: Timestamp) -> Reply {
    let receipt = format_receipt(original, refusal, &new_guid(), &return_time(now));
    Reply {
        outcome: Outcome::Unreadable,
        xml: encode(&Message::Ceb900(receipt)),
    }
}
