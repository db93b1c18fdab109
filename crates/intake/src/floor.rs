//! The store's floor (issue #16): what any intake must do for a message and
//! nothing more — read it once (a token scan of its XML under the codec's
//! limits), hash it, keep it durably through the intake's own group commit,
//! answer a fixed receipt. `kuajing bench clearance` sends the very messages
//! of its clearance runs here first, on the same database, and reports the
//! clearance's rate as a share of this one. The web crate mounts it only on
//! a server started with `--bench-store-floor`.

use kuajing_ceb::receipt::{Original, Refusal};
use kuajing_ceb::xml::XmlIn;
use kuajing_ceb::{DecodeError, Limits};
use kuajing_core::timestamp::Timestamp;
use kuajing_exchange::committer::{Done, Job};
use kuajing_exchange::receipts_out::new_guid;
use kuajing_registry::error::Result;
use kuajing_store::store_floor;
use sha2::{Digest, Sha256};

use crate::Intake;
use crate::reply::{Outcome, Reply, format_error};

/// The receipt every kept message gets: fixed, so that writing it costs
/// nothing the floor should not.
pub const KEPT: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><StoreFloor>kept</StoreFloor>";

/// Reads, hashes and keeps `body`; a body that is not well-formed XML under
/// the limits is answered unread, with the intake's own CEB900, and not kept.
pub async fn keep(intake: &Intake, body: &[u8]) -> Result<Reply> {
    if let Err(error) = scan(body) {
        let original = Original {
            bytes: body,
            cop_msg_id: "",
        };
        return Ok(format_error(
            original,
            Refusal::Unreadable(&error),
            Timestamp::now(),
        ));
    }
    let sha256 = hex::encode(Sha256::digest(body));
    let id = new_guid();
    let body = body.to_vec();
    let received_at = Timestamp::now();
    let job: Job<Reply> = Box::new(move |conn| {
        Box::pin(async move {
            store_floor::keep(conn, &id, &sha256, &body, received_at).await?;
            Ok(Done {
                answer: Reply {
                    outcome: Outcome::Read,
                    xml: KEPT.to_owned(),
                },
                owed: Vec::new(),
            })
        })
    });
    intake.committer().run(job).await
}

/// Every token of the document, once: the root element and all inside it,
/// then nothing but blanks, comments or processing instructions.
fn scan(body: &[u8]) -> std::result::Result<(), DecodeError> {
    let mut xml = XmlIn::new(body, Limits::default())?;
    let root = xml.root()?;
    xml.skip(&root)?;
    xml.finish()
}

#[cfg(test)]
mod tests {
    use super::scan;

    #[test]
    fn a_well_formed_message_scans_and_a_broken_one_does_not() {
        assert!(scan(b"<?xml version=\"1.0\"?><a><b>1</b><c/></a>").is_ok());
        assert!(scan(b"<a><b>1</a>").is_err());
        assert!(scan(b"<a/><b/>").is_err());
        assert!(scan(b"not xml").is_err());
    }
}
