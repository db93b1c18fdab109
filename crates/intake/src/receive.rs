//! `POST /api/ceb`: one CEB business message (or a `DxpMsg` carrying one)
//! from an enterprise, answered synchronously with its receipt message.
//!
//! In order: the envelope is opened; the message is read and checked
//! against the schema (what does not read or breaks the schema is answered
//! with a CEB900 and HTTP 400, and nothing is kept); the sender must be the
//! message's `BaseTransfer/copCode` and hold the role the message needs
//! (401/403 JSON otherwise); a message the specification requires signed is
//! verified against the sender's registered certificates. Then, in one
//! transaction: the message is kept exactly as received with its SHA-256
//! (a resend of the same guid returns the first receipt and changes
//! nothing), each document is taken on its own merits (`appType` new,
//! change, delete; `appStatus` draft or declare; a taken key refused with
//! the kind's official code), the lists whose documents are now all in are
//! decided, and the receipt — one return entity per document, in order —
//! is kept with the message and owed to the sender with every later
//! receipt the decisions produced.

use kuajing_ceb::issue::Rule;
use kuajing_ceb::receipt::{Original, Refusal};
use kuajing_ceb::{Issue, Limits, Message, MessageType, decode_with, encode, validate};
use kuajing_clearance::receipts::{
    Answer, Status, ceb312, ceb412, ceb512, ceb622, inventory_return, logistics_return,
    order_return, payment_return,
};
use kuajing_clearance::{declaration_day, export_receipts};
use kuajing_core::access::{Action, Denied};
use kuajing_core::timestamp::Timestamp;
use kuajing_store::Conn;
use kuajing_store::StoreError;
use kuajing_store::ceb_documents::{
    self as store_docs, Document, Kept, Kind, NewDocument, NewMessage,
};
use kuajing_store::certificates;
use sha2::{Digest, Sha256};

use crate::Intake;
use crate::envelope::open_envelope;
use crate::reply::{Outcome, Reply, format_error};
use crate::resends;
use kuajing_bonded::entry_lists;
use kuajing_exchange::authority::{self, Authority};
use kuajing_exchange::committer::{Done, Job};
use kuajing_exchange::documents::{Doc, changeable, document_element, documents_of, sender_roles};
use kuajing_exchange::lookups::Lookups;
use kuajing_exchange::receipts_out::{Owed, answer, new_guid};
use kuajing_exchange::record::pre_numbers;
use kuajing_exchange::time_format::{china_date, return_time};
use kuajing_export::decision::settle_export_list;
use kuajing_export::{exits as export_exits, returns as export_returns, summaries};
use kuajing_import::engine::{Context, settle_list};
use kuajing_import::{after_release, waybill_status};
use kuajing_registry::actor::Actor;
use kuajing_registry::error::{Error, Result};

/// Why every document of a message is refused before it is looked at:
/// the signature (-621029, -623029, -625208).
#[derive(Debug, Clone)]
struct Unsigned {
    code: i32,
    info: String,
}

/// What became of one document.
#[derive(Debug, Clone)]
struct Taken {
    answer: Answer,
    /// A list's pre-entry number.
    pre_no: Option<String>,
}

/// Receives one message from `actor`.
pub async fn receive(intake: &Intake, actor: &Actor, body: &[u8]) -> Result<Reply> {
    let sender = sender_of(intake, actor).await?;
    let _permit = intake.gate().enter().await?;
    let now = intake.settings().clock.now();
    let (business, cop_msg_id) = match open_envelope(body) {
        Ok(opened) => opened,
        Err(reply) => return Ok(reply),
    };
    let original = Original {
        bytes: &business,
        cop_msg_id: &cop_msg_id,
    };
    let decoded = match decode_with(&business, Limits::default()) {
        Ok(decoded) => decoded,
        Err(error) => return Ok(format_error(original, Refusal::Unreadable(&error), now)),
    };
    let message = decoded.message;
    let message_type = message.message_type();
    let Some(roles) = sender_roles(message_type) else {
        let reason = format!(
            "本接口不受理{}报文 / {} is not accepted here (CEB311, CEB411, CEB511, CEB513, CEB621, CEB623, CEB625, CEB711; CEB303, CEB403, CEB505, CEB507, CEB509, CEB603, CEB605, CEB607, CEB701, CEB213, CEB215)",
            message_type.code(),
            message_type.code()
        );
        return Ok(format_error(original, Refusal::NotAccepted(&reason), now));
    };
    let mut issues = decoded.issues;
    issues.extend(validate(&message));
    // A declaration counts on the day it is received; one dated far from it
    // is refused naming the field (issue #14).
    let tolerance = &intake.settings().declaration_tolerance;
    issues.extend(declaration_day::issues(
        &message,
        china_date(now),
        tolerance,
    ));
    let export_settings = &intake.settings().export;
    issues.retain(|i| !simplified_goods_code(i, &message, export_settings));
    let schema: Vec<Issue> = issues
        .iter()
        .filter(|i| i.is_schema() && i.rule != Rule::SignatureRequired)
        .cloned()
        .collect();
    if !schema.is_empty() {
        return Ok(format_error(original, Refusal::Schema(&schema), now));
    }
    let parties = authority::parties_named(&message);
    let authority = Authority::load(intake.store(), &sender, &parties, now).await?;
    check_identity(actor, &sender, &message, roles, &authority)?;
    let unsigned = check_signature(intake, &sender, &message, &business).await?;
    let affinity = bonded_affinity(&message);
    let work = Work {
        intake: intake.clone(),
        digest: hex::encode(Sha256::digest(body)),
        body: body.to_vec(),
        sender,
        authority,
        message,
        issues,
        unsigned,
        now,
    };
    let job: Job<Reply> = Box::new(move |conn| Box::pin(work.run(conn)));
    intake.committer().run_with(job, affinity).await
}

/// The writer affinity of a message of bonded (1210) lists, so that lists
/// drawing on the same hot book lines follow each other on one writer and
/// never wait across groups for those lines' row locks until the other
/// group commits (PostgreSQL; see `committer`): a single list's book line;
/// a message of many lists (drawing on many lines) its book. Other
/// messages have none.
fn bonded_affinity(message: &Message) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    let Message::Ceb621(m) = message else {
        return None;
    };
    let list = m.inventory.first()?;
    let head = &list.inventory_head;
    if head.trade_mode != kuajing_clearance::list_checks::BONDED {
        return None;
    }
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    head.ems_no.hash(&mut hasher);
    if let [only] = m.inventory.as_slice() {
        only.inventory_list
            .first()?
            .item_record_no
            .hash(&mut hasher);
    }
    Some(hasher.finish())
}

/// Whether `issue` is only the XSD's 10-character length (or the codec's
/// 10-digit format rule) of an export list line's goods code that carries
/// the simplified 4-digit (9610) or 6-digit (9710/9810) code a pilot zone
/// allows (policy-rules.md §2.3, §8; `ExportSettings::simplified_codes`):
/// not an error then. The code is checked again with the list
/// (`kuajing_clearance::export`).
fn simplified_goods_code(
    issue: &Issue,
    message: &Message,
    settings: &kuajing_clearance::export::ExportSettings,
) -> bool {
    let Message::Ceb603(m) = message else {
        return false;
    };
    if !settings.simplified_codes
        || !matches!(issue.rule, Rule::Length { .. } | Rule::Format { .. })
    {
        return false;
    }
    m.inventory.iter().enumerate().any(|(i, list)| {
        let Some(mode) = kuajing_clearance::export::ExportMode::of(&list.inventory_head.trade_mode)
        else {
            return false;
        };
        list.inventory_list.iter().enumerate().any(|(j, line)| {
            let single = m.inventory.len() == 1;
            let lists = if single {
                vec![format!("/Inventory/"), format!("/Inventory[{}]/", i + 1)]
            } else {
                vec![format!("/Inventory[{}]/", i + 1)]
            };
            let lines = if list.inventory_list.len() == 1 {
                vec![
                    "InventoryList/gcode".to_owned(),
                    format!("InventoryList[{}]/gcode", j + 1),
                ]
            } else {
                vec![format!("InventoryList[{}]/gcode", j + 1)]
            };
            let path = issue.path.as_str();
            lists
                .iter()
                .any(|l| lines.iter().any(|g| path.ends_with(&format!("{l}{g}"))))
                && line.gcode.len() == mode.simplified_digits()
                && line.gcode.chars().all(|c| c.is_ascii_digit())
        })
    })
}

/// A message read and identified, ready for its transactional work (in a
/// group commit: `kuajing_exchange::committer`).
struct Work {
    intake: Intake,
    sender: String,
    /// What the sender may declare (its own documents, its principals').
    authority: Authority,
    message: Message,
    issues: Vec<Issue>,
    unsigned: Option<Unsigned>,
    body: Vec<u8>,
    digest: String,
    now: Timestamp,
}

impl Work {
    /// Keeps the message, takes its documents, decides the lists they
    /// complete, and owes the receipts, on the group's connection.
    async fn run(self, conn: &mut Conn) -> Result<Done<Reply>> {
        let Work {
            intake,
            sender,
            authority,
            message,
            issues,
            unsigned,
            body,
            digest,
            now,
        } = self;
        let message_type = message.message_type();
        let new = NewMessage {
            sender_code: &sender,
            message_type: message_type.code(),
            guid: message.guid(),
            sha256: &digest,
            body: &body,
        };
        let stored = match store_docs::keep_message(conn, &new, now).await {
            Ok(Kept::New(stored)) => stored,
            // Sent before under this guid: the first receipt, or other
            // content refused (issue #14, finding 12).
            Ok(Kept::Resent(earlier)) => {
                let resend = resends::Resend {
                    earlier,
                    message: &message,
                    body: &body,
                    digest: &digest,
                    now,
                };
                return resends::answer(conn, resend).await.map(|answer| Done {
                    answer,
                    owed: Vec::new(),
                });
            }
            // A first send of the same guid still in flight elsewhere
            // (PostgreSQL): the sender tries again and gets its receipt.
            Err(StoreError::Duplicate { .. }) => {
                return Err(Error::Overloaded {
                    retry_after_secs: 1,
                });
            }
            Err(other) => return Err(other.into()),
        };
        let context = Context {
            engine: intake.engine(),
            settings: intake.settings(),
            now,
            reference: intake.reference_cache(),
        };
        let requests = after_release::Requests {
            authority: &authority,
            sender: &sender,
            message_id: &stored.id,
            unsigned: unsigned.as_ref().map(|u| (u.code, u.info.as_str())),
            cancel_after_release: context.settings.cancel_after_release,
            return_window: context.settings.return_window,
            returns_quarantined: context.settings.returns_quarantined,
            now,
        };
        // What the handlers that answer head by head with a code of their
        // range (export manifests, cancellations, returns) receive; the
        // table names no code for them, so `code` is the range's general one.
        let manifests = |code: i32| export_exits::Received {
            authority: &authority,
            sender: &sender,
            message_id: &stored.id,
            refused: head_refusals(&issues, &message, &authority)
                .into_iter()
                .map(|refusal| refusal.map(|text| (code, text)))
                .collect(),
            now,
        };
        let mut owed = Vec::new();
        let receipt = match &message {
            Message::Ceb623(m) => {
                after_release::cancellations(conn, &requests, &m.invt_cancel, &mut owed).await?
            }
            Message::Ceb625(m) => {
                after_release::returns(conn, &requests, &m.invt_refund, &mut owed).await?
            }
            Message::Ceb711(m) => {
                let found = head_refusals(&issues, &message, &authority);
                let refused = match (&unsigned, found.into_iter().flatten().next()) {
                    (Some(u), _) => Some((u.code.to_string(), u.info.clone())),
                    (None, Some(refusal)) => Some(("-800000".to_owned(), refusal)),
                    (None, None) => None,
                };
                let received = entry_lists::Received {
                    sender: &sender,
                    message_id: &stored.id,
                    refused,
                    now,
                };
                entry_lists::take(conn, &received, &m.delivery).await?
            }
            Message::Ceb507(m) => {
                let received = manifests(-507000);
                export_exits::arrivals(conn, &received, &m.arrival, &mut owed).await?
            }
            Message::Ceb509(m) => {
                let received = manifests(-509000);
                export_exits::departures(conn, &received, &m.departure, &mut owed).await?
            }
            Message::Ceb607(m) => {
                let received = manifests(-607000);
                export_exits::bills(conn, &received, &m.way_bill, &mut owed).await?
            }
            Message::Ceb605(m) => {
                let received = manifests(-605000);
                export_exits::cancellations(
                    conn,
                    &received,
                    &m.invt_cancel,
                    context.settings.cancel_after_release,
                )
                .await?
            }
            Message::Ceb213(m) => {
                let received = manifests(-213001);
                export_returns::requests(conn, &received, &m.invt_refund, context.settings).await?
            }
            Message::Ceb215(m) => {
                let received = manifests(-215001);
                export_returns::tallies(conn, &received, &m.invt_refund_detail).await?
            }
            Message::Ceb701(m) => {
                let refusals = head_refusals(&issues, &message, &authority);
                let received = summaries::Received {
                    sender: &sender,
                    message_id: &stored.id,
                    now,
                };
                summaries::take(conn, &received, &m.summary_apply, &refusals, &mut owed).await?
            }
            Message::Ceb513(m) => {
                let refusals = head_refusals(&issues, &message, &authority);
                waybill_status::take_all(conn, &stored.id, &m.logistics_status, &refusals, now)
                    .await?
            }
            _ => {
                let documents = documents_of(&message).unwrap_or_default();
                take_documents(
                    conn,
                    &context,
                    &message,
                    &documents,
                    &issues,
                    &stored.id,
                    &authority,
                    unsigned.as_ref(),
                    &mut owed,
                )
                .await?
            }
        };
        let receipt_type = receipt.message_type().code();
        let xml = encode(&receipt);
        owed.insert(0, answer(&sender, &stored.id, receipt_type, &xml));
        Ok(Done {
            answer: Reply {
                outcome: Outcome::Read,
                xml,
            },
            owed,
        })
    }
}

/// Per head of a message answered head by head (waybill statuses,
/// manifests, cancellations, returns, entry lists, summaries, tallies), the
/// refusal text it gets before it is looked at, if any: the sender may not
/// declare for the party the head names (`authority`, issue #14 finding 1),
/// or the head's business-rule issues (paths `…/Head[n]/…`).
fn head_refusals(
    issues: &[Issue],
    message: &Message,
    authority: &Authority,
) -> Vec<Option<String>> {
    let message_type = message.message_type();
    let scope = authority::scope_of(message_type);
    authority::heads_named(message)
        .iter()
        .enumerate()
        .map(|(index, named)| {
            if let Some(scope) = scope
                && let Err(refusal) = authority.check(scope, named)
            {
                return Some(refusal);
            }
            let found = issues_of(issues, message_type, index + 1);
            (!found.is_empty()).then(|| problems(&found))
        })
        .collect()
}

/// Takes each document of an order, payment, waybill or list message and
/// decides the lists they complete: the receipt message answering it.
///
/// New documents are kept in batches (one multi-row insert, their lists
/// numbered in one statement); a change or deletion is taken on its own,
/// after the new documents before it. The lists the message's documents
/// may complete are found in one query once all are in.
#[allow(clippy::too_many_arguments)]
async fn take_documents(
    conn: &mut Conn,
    context: &Context<'_>,
    message: &Message,
    documents: &[Doc<'_>],
    issues: &[Issue],
    message_id: &str,
    authority: &Authority,
    unsigned: Option<&Unsigned>,
    owed: &mut Vec<Owed>,
) -> Result<Message> {
    let message_type = message.message_type();
    let scope = authority::scope_of(message_type);
    let mut taken: Vec<Option<Taken>> = vec![None; documents.len()];
    let mut batch = Vec::new();
    let mut kept = Vec::new();
    let mut changes = false;
    let sent = Sent {
        message_id,
        sender: authority.sender(),
        authority,
        now: context.now,
    };
    for (index, document) in documents.iter().enumerate() {
        let issues = issues_of(issues, message_type, index + 1);
        let read = Read {
            position: index + 1,
            unsigned,
            authority: scope.map(|scope| (authority, scope)),
            issues: &issues,
            now: context.now,
        };
        match prepare(&read, document) {
            Prepared::Answered(answer) => taken[index] = Some(answer),
            Prepared::New(new) => batch.push((index, new)),
            Prepared::Change(change) => {
                changes = true;
                keep_batch(conn, &sent, &mut batch, &mut taken, &mut kept).await?;
                taken[index] = Some(take_change(conn, &sent, change, &mut kept).await?);
            }
        }
    }
    keep_batch(conn, &sent, &mut batch, &mut taken, &mut kept).await?;
    let candidates = candidates_of(conn, &kept, changes).await?;
    let mut lookups = Lookups::for_lists(candidates.len(), context.reference.clone());
    let rule_set = context.engine.rule_set();
    let exporting = kuajing_export::decision::Context {
        settings: context.settings,
        rule_set: &rule_set,
        now: context.now,
    };
    for list in &candidates {
        if list.kind == Kind::ExportList {
            settle_export_list(conn, &exporting, list, &mut lookups, owed).await?;
        } else {
            settle_list(conn, context, list, &mut lookups, owed).await?;
        }
    }
    let taken: Vec<Taken> = taken.into_iter().flatten().collect();
    if taken.len() != documents.len() {
        return Err(Error::Internal("a document was left unanswered".to_owned()));
    }
    Ok(receipt_message(message, documents, &taken))
}

/// The customs code the actor sends for; only an active enterprise's
/// token or user may send.
async fn sender_of(intake: &Intake, actor: &Actor) -> Result<String> {
    let code = actor.organisation_code.clone().unwrap_or_default();
    actor
        .authorize(intake.store(), Action::Declare, &code, "ceb.receive", &code)
        .await?;
    Ok(code)
}

/// The sender must be the message's transmitting enterprise
/// (`BaseTransfer/copCode`, "需要与接入客户端的企业身份一致") and hold one of
/// the roles the message needs — or act for a principal that delegated the
/// message's scope to it (`authority`); whose documents it may declare is
/// checked per document.
fn check_identity(
    actor: &Actor,
    sender: &str,
    message: &Message,
    roles: &[kuajing_core::role::Role],
    authority: &Authority,
) -> Result<()> {
    let cop_code = cop_code(message).unwrap_or("");
    if cop_code != sender {
        // Speaking for another enterprise: forbidden, whatever the roles.
        return Err(Error::Forbidden(Denied {
            organisation: sender.to_owned(),
            action: Action::Declare,
            owner: cop_code.to_owned(),
        }));
    }
    let delegated = authority::scope_of(message.message_type())
        .is_some_and(|scope| authority.acts_for_someone(scope));
    if !delegated && !roles.iter().any(|r| actor.roles.contains(*r)) {
        return Err(Error::Forbidden(Denied {
            organisation: sender.to_owned(),
            action: Action::Declare,
            owner: message.message_type().code().to_owned(),
        }));
    }
    Ok(())
}

/// `BaseTransfer/copCode` of a declaration the intake processes.
fn cop_code(message: &Message) -> Option<&str> {
    Some(match message {
        Message::Ceb311(m) => &m.base_transfer.cop_code,
        Message::Ceb411(m) => &m.base_transfer.cop_code,
        Message::Ceb511(m) => &m.base_transfer.cop_code,
        Message::Ceb513(m) => &m.base_transfer.cop_code,
        Message::Ceb621(m) => &m.base_transfer.cop_code,
        Message::Ceb623(m) => &m.base_transfer.cop_code,
        Message::Ceb625(m) => &m.base_transfer.cop_code,
        Message::Ceb711(m) => &m.base_transfer.cop_code,
        Message::Ceb303(m) => &m.base_transfer.cop_code,
        Message::Ceb403(m) => &m.base_transfer.cop_code,
        Message::Ceb505(m) => &m.base_transfer.cop_code,
        Message::Ceb507(m) => &m.base_transfer.cop_code,
        Message::Ceb509(m) => &m.base_transfer.cop_code,
        Message::Ceb603(m) => &m.base_transfer.cop_code,
        Message::Ceb605(m) => &m.base_transfer.cop_code,
        Message::Ceb607(m) => &m.base_transfer.cop_code,
        Message::Ceb701(m) => &m.base_transfer.cop_code,
        Message::Ceb213(m) => &m.base_transfer.cop_code,
        Message::Ceb215(m) => &m.base_transfer.cop_code,
        _ => return None,
    })
}

/// Verifies a message the specification requires signed (CEB621, 623,
/// 625, 711: ceb-messages.md §4.4–4.5) against the sender's registered
/// certificates; `Some` refuses every document of the message.
async fn check_signature(
    intake: &Intake,
    sender: &str,
    message: &Message,
    business: &[u8],
) -> Result<Option<Unsigned>> {
    let message_type = message.message_type();
    if !message_type.signature_required() || intake.settings().allow_unsigned_messages {
        return Ok(None);
    }
    let code = signature_code(message_type);
    let refuse = |zh: String, en: String| {
        Some(Unsigned {
            code,
            info: format!("{zh} / {en}"),
        })
    };
    if !message.is_signed() {
        return Ok(refuse(
            "报文未加签".to_owned(),
            "the message is not signed".to_owned(),
        ));
    }
    let verified = match kuajing_ceb::sign::verify(business) {
        Ok(verified) => verified,
        Err(error) => {
            return Ok(refuse(
                format!("签名验证失败：{}", error.message_zh()),
                format!("signature verification failed: {error}"),
            ));
        }
    };
    let mut conn = intake.store().reader().await?;
    let registered = certificates::in_force(&mut conn, sender).await?;
    if registered.iter().any(|c| c.der == verified.certificate) {
        return Ok(None);
    }
    Ok(refuse(
        format!(
            "签名证书（序列号 {}）不是企业 {sender} 在本平台登记的证书",
            verified.serial
        ),
        format!(
            "the signing certificate (serial {}) is not one {sender} registered with the platform",
            verified.serial
        ),
    ))
}

/// The signature-failure code of a signed message type (table 7-2).
fn signature_code(message_type: MessageType) -> i32 {
    match message_type {
        MessageType::Ceb623 => -623029,
        MessageType::Ceb625 => -625208,
        // The entry list's range names no signature code (see
        // `entry_lists`).
        MessageType::Ceb711 => -800000,
        _ => -621029,
    }
}

/// The business-rule issues about document `position` (paths
/// `/CEB311Message/Order[2]/…`), and those about the message as a whole.
fn issues_of(issues: &[Issue], message_type: MessageType, position: usize) -> Vec<Issue> {
    let element = document_element(message_type);
    let own = format!("/{element}[{position}]/");
    let own_single = format!("/{element}/");
    issues
        .iter()
        .filter(|i| !i.is_schema())
        .filter(|i| {
            let path = i.path.as_str();
            path.contains(&own)
                || (position == 1 && path.contains(&own_single))
                || !path.contains(&format!("/{element}"))
        })
        .cloned()
        .collect()
}

/// Issues as one returnInfo text, each in both languages.
fn problems(issues: &[Issue]) -> String {
    issues
        .iter()
        .map(|i| format!("{} / {}", i.message_zh(), i.message_en()))
        .collect::<Vec<_>>()
        .join("; ")
}

/// What reading one document on its own merits needs.
struct Read<'a> {
    position: usize,
    unsigned: Option<&'a Unsigned>,
    /// Whom the sender may declare for, and the message's scope.
    authority: Option<(&'a Authority, kuajing_core::delegation::Scope)>,
    issues: &'a [Issue],
    now: Timestamp,
}

/// The message the documents came in: what keeping them needs.
struct Sent<'a> {
    message_id: &'a str,
    sender: &'a str,
    /// Who may change what was kept before.
    authority: &'a Authority,
    now: Timestamp,
}

/// A document read and checked, before the database is touched.
enum Prepared {
    /// Refused before it is kept (signature, rules): its answer.
    Answered(Taken),
    /// A new document (`appType` 1), kept with the message's other new
    /// documents.
    New(Fields),
    /// A change or deletion (`appType` 2, 3), taken on its own.
    Change(Fields),
}

/// What is kept of a document.
struct Fields {
    position: usize,
    kind: Kind,
    key: String,
    app_type: String,
    draft: bool,
    status: Status,
    status_code: String,
    json: String,
    ebp_code: Option<String>,
    order_no: String,
    waybill_key: Option<String>,
    buyer_id: Option<String>,
    consignee_address: Option<String>,
    buyer_telephone: Option<String>,
    codes: kuajing_exchange::documents::Codes,
}

impl Fields {
    /// The row to write, with the pre-entry number a new list gets.
    fn row<'a>(&'a self, sent: &Sent<'a>, pre_no: Option<&'a str>) -> NewDocument<'a> {
        NewDocument {
            kind: self.kind,
            business_key: &self.key,
            owner_code: sent.sender,
            ebp_code: self.ebp_code.as_deref(),
            order_no: &self.order_no,
            waybill_key: self.waybill_key.as_deref(),
            message_id: sent.message_id,
            position: i64::try_from(self.position).unwrap_or(i64::MAX),
            status: &self.status_code,
            awaiting: self.kind.is_list() && !self.draft,
            body: &self.json,
            buyer_id: self.buyer_id.as_deref(),
            consignee_address: self.consignee_address.as_deref(),
            buyer_telephone: self.buyer_telephone.as_deref(),
            pre_no,
        }
    }

    /// The answer for a document kept, changed or deleted.
    fn accepted(&self, now: Timestamp, info: String, pre_no: Option<String>) -> Taken {
        Taken {
            answer: Answer {
                status: self.status,
                time: return_time(now),
                info,
            },
            pre_no,
        }
    }
}

/// A refusal answer.
fn refused(now: Timestamp, code: i32, info: String) -> Taken {
    Taken {
        answer: Answer {
            status: Status::Error(code),
            time: return_time(now),
            info,
        },
        pre_no: None,
    }
}

/// Reads one document on its own merits: refused (signature, rules) or
/// what is to be kept, changed or deleted as its `appType` says.
fn prepare(read: &Read<'_>, document: &Doc<'_>) -> Prepared {
    let codes = document.codes();
    if let Some(unsigned) = read.unsigned {
        return Prepared::Answered(refused(read.now, unsigned.code, unsigned.info.clone()));
    }
    if let Some((authority, scope)) = read.authority
        && let Err(refusal) = authority.check(scope, &authority::named_in(document))
    {
        return Prepared::Answered(refused(read.now, codes.invalid, refusal));
    }
    if let Some(first) = read.issues.first() {
        return Prepared::Answered(refused(
            read.now,
            first.code.unwrap_or(codes.invalid),
            problems(read.issues),
        ));
    }
    let (app_type, app_status) = document.app();
    let draft = app_status == "1";
    let list_facts = match document {
        Doc::List(l) => Some(&l.inventory_head),
        _ => None,
    };
    let status = if draft {
        Status::Draft
    } else {
        Status::Declared
    };
    let fields = Fields {
        position: read.position,
        kind: document.kind(),
        key: document.key(),
        app_type: app_type.to_owned(),
        draft,
        status,
        status_code: status.code(),
        json: document.json(),
        ebp_code: document.ebp_code().map(str::to_owned),
        order_no: document.order_no().to_owned(),
        waybill_key: document.waybill_key(),
        buyer_id: list_facts.map(|h| h.buyer_id_number.to_ascii_uppercase()),
        consignee_address: list_facts.map(|h| h.consignee_address.clone()),
        buyer_telephone: list_facts.map(|h| h.buyer_telephone.clone()),
        codes,
    };
    if app_type == "1" {
        Prepared::New(fields)
    } else {
        Prepared::Change(fields)
    }
}

/// Keeps the new documents waiting in `batch` (a duplicate key refused
/// with its kind's official code); each new list gets its pre-entry
/// number first (a refused duplicate leaves a gap in the numbers, as
/// numbering systems do).
async fn keep_batch(
    conn: &mut Conn,
    sent: &Sent<'_>,
    batch: &mut Vec<(usize, Fields)>,
    taken: &mut [Option<Taken>],
    kept: &mut Vec<Document>,
) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let lists = batch.iter().filter(|(_, f)| f.kind.is_list()).count();
    let mut numbers = pre_numbers(conn, sent.now, lists).await?.into_iter();
    let pre_nos: Vec<Option<String>> = batch
        .iter()
        .map(|(_, f)| f.kind.is_list().then(|| numbers.next()).flatten())
        .collect();
    let rows: Vec<NewDocument<'_>> = batch
        .iter()
        .zip(&pre_nos)
        .map(|((_, f), pre_no)| f.row(sent, pre_no.as_deref()))
        .collect();
    let outcomes = store_docs::keep_documents(conn, &rows, sent.now).await?;
    for ((index, fields), outcome) in batch.iter().zip(outcomes) {
        taken[*index] = Some(match outcome {
            Ok(document) => {
                let pre_no = document.pre_no.clone();
                if !fields.draft {
                    kept.push(document);
                }
                fields.accepted(sent.now, String::new(), pre_no)
            }
            Err(StoreError::Duplicate { .. }) => {
                let key = &fields.key;
                refused(
                    sent.now,
                    fields.codes.duplicate,
                    format!("已存在相同编号的单证 {key} / a document with key {key} exists"),
                )
            }
            Err(other) => return Err(other.into()),
        });
    }
    batch.clear();
    Ok(())
}

/// Takes a change or deletion: the document must exist and still be
/// changeable in its status.
async fn take_change(
    conn: &mut Conn,
    sent: &Sent<'_>,
    fields: Fields,
    kept: &mut Vec<Document>,
) -> Result<Taken> {
    let key = &fields.key;
    let codes = fields.codes;
    let Some(existing) = store_docs::find_document(conn, fields.kind, key).await? else {
        return Ok(refused(
            sent.now,
            codes.not_found,
            format!("未找到要变更或删除的单证 {key} / no document {key} to change or delete"),
        ));
    };
    let parties = authority::parties_of_stored(existing.kind, &existing.body)?;
    let parties: Vec<&str> = parties.iter().map(String::as_str).collect();
    if !sent.authority.may_change(&existing.owner_code, &parties) {
        return Ok(refused(
            sent.now,
            codes.invalid,
            sent.authority.change_refusal(key),
        ));
    }
    if !changeable(existing.kind, &existing.status) {
        return Ok(refused(
            sent.now,
            codes.state,
            format!(
                "单证 {key} 当前状态 {} 不允许变更或删除 / document {key} at status {} cannot be changed or deleted",
                existing.status, existing.status
            ),
        ));
    }
    if fields.app_type == "3" {
        store_docs::delete_document(conn, &existing.id).await?;
        let info = format!("单证 {key} 已删除 / document {key} deleted");
        return Ok(fields.accepted(sent.now, info, existing.pre_no));
    }
    let row = fields.row(sent, None);
    store_docs::replace_document(conn, &existing.id, &row, sent.now).await?;
    let pre_no = existing.pre_no.clone();
    if !fields.draft {
        kept.push(Document {
            status: row.status.to_owned(),
            awaiting: row.awaiting,
            body: fields.json.clone(),
            ..existing
        });
    }
    Ok(fields.accepted(sent.now, String::new(), pre_no))
}

/// The waiting lists the message's declared documents may complete, each
/// once, in the order of the first document that names it (a list names
/// itself), read after every document of the message is in. A message of
/// new lists only (no change or deletion after them) names exactly the
/// lists it kept, as they were written: no query.
async fn candidates_of(conn: &mut Conn, kept: &[Document], changes: bool) -> Result<Vec<Document>> {
    if !changes && kept.iter().all(|d| d.kind.is_list()) {
        return Ok(kept.iter().filter(|d| d.awaiting).cloned().collect());
    }
    let orders: Vec<(&str, &str)> = kept
        .iter()
        .filter(|d| !matches!(d.kind, Kind::Waybill | Kind::ExportWaybill))
        .filter_map(|d| Some((d.ebp_code.as_deref()?, d.order_no.as_str())))
        .collect();
    let waybills: Vec<&str> = kept
        .iter()
        .filter(|d| matches!(d.kind, Kind::Waybill | Kind::ExportWaybill))
        .filter_map(|d| d.waybill_key.as_deref())
        .collect();
    if orders.is_empty() && waybills.is_empty() {
        return Ok(Vec::new());
    }
    let awaiting = store_docs::awaiting_lists(conn, &orders, &waybills).await?;
    let mut candidates: Vec<Document> = Vec::new();
    for document in kept {
        for list in awaiting.iter().filter(|l| names(document, l)) {
            if !candidates.iter().any(|c| c.id == list.id) {
                candidates.push(list.clone());
            }
        }
    }
    Ok(candidates)
}

/// Whether `document` may complete the waiting `list`: the list itself,
/// or an order or payment of its order, or its waybill.
fn names(document: &Document, list: &Document) -> bool {
    match document.kind {
        Kind::List | Kind::ExportList => document.id == list.id,
        _ if document.kind.is_export() != list.kind.is_export() => false,
        Kind::Order | Kind::Payment | Kind::ExportOrder | Kind::Collection => {
            document.ebp_code.is_some()
                && document.ebp_code == list.ebp_code
                && document.order_no == list.order_no
        }
        Kind::Waybill | Kind::ExportWaybill => {
            document.waybill_key.is_some() && document.waybill_key == list.waybill_key
        }
    }
}

/// The receipt message: one return entity per document, in order.
fn receipt_message(message: &Message, documents: &[Doc<'_>], taken: &[Taken]) -> Message {
    let guid = new_guid();
    let pairs = documents.iter().zip(taken);
    match message {
        Message::Ceb311(_) => Message::Ceb312(ceb312(
            &guid,
            pairs
                .filter_map(|(d, t)| match d {
                    Doc::Order(o) => Some(order_return(&o.order_head, &t.answer)),
                    _ => None,
                })
                .collect(),
        )),
        Message::Ceb411(_) => Message::Ceb412(ceb412(
            &guid,
            pairs
                .filter_map(|(d, t)| match d {
                    Doc::Payment(p) => Some(payment_return(&p.payment_head, &t.answer)),
                    _ => None,
                })
                .collect(),
        )),
        Message::Ceb511(_) => Message::Ceb512(ceb512(
            &guid,
            pairs
                .filter_map(|(d, t)| match d {
                    Doc::Waybill(w) => Some(logistics_return(&w.logistics_head, &t.answer)),
                    _ => None,
                })
                .collect(),
        )),
        Message::Ceb303(_) => Message::Ceb304(export_receipts::ceb304(
            &guid,
            pairs
                .filter_map(|(d, t)| match d {
                    Doc::ExportOrder(o) => {
                        Some(export_receipts::order_return(&o.order_head, &t.answer))
                    }
                    _ => None,
                })
                .collect(),
        )),
        Message::Ceb403(_) => Message::Ceb404(export_receipts::ceb404(
            &guid,
            pairs
                .filter_map(|(d, t)| match d {
                    Doc::Collection(r) => Some(export_receipts::collection_return(r, &t.answer)),
                    _ => None,
                })
                .collect(),
        )),
        Message::Ceb505(_) => Message::Ceb506(export_receipts::ceb506(
            &guid,
            pairs
                .filter_map(|(d, t)| match d {
                    Doc::ExportWaybill(w) => Some(export_receipts::logistics_return(w, &t.answer)),
                    _ => None,
                })
                .collect(),
        )),
        Message::Ceb603(_) => Message::Ceb604(export_receipts::ceb604(
            &guid,
            pairs
                .filter_map(|(d, t)| match d {
                    Doc::ExportList(l) => Some(export_receipts::inventory_return(
                        &l.inventory_head,
                        t.pre_no.as_deref().unwrap_or(""),
                        None,
                        &t.answer,
                    )),
                    _ => None,
                })
                .collect(),
        )),
        _ => Message::Ceb622(ceb622(
            &guid,
            pairs
                .filter_map(|(d, t)| match d {
                    Doc::List(l) => Some(inventory_return(
                        &l.inventory_head,
                        t.pre_no.as_deref().unwrap_or(""),
                        None,
                        &t.answer,
                    )),
                    _ => None,
                })
                .collect(),
        )),
    }
}
