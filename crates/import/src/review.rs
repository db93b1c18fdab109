//! The officers' side: the queue of lists the rules sent to manual review
//! (300) or that wait on an inspection or detention, each with every
//! reason and its documents side by side; and the officer's decision —
//! release (800), order an inspection (500), detain (501–503, 599) or
//! refuse (100) — always with a written reason, recorded with the rule set
//! and tariff version the engine used, audited, and told to the declarer
//! by receipt.

use kuajing_ceb::characters::{code_point, first_refused};
use kuajing_ceb::model::import::Inventory;
use kuajing_clearance::decision::Reason;
use kuajing_clearance::receipts::Status;
use kuajing_core::access::Action;
use kuajing_core::ids::ResidentId;
use kuajing_core::timestamp::Timestamp;
use kuajing_store::Store;
use kuajing_store::audit::Outcome;
use kuajing_store::ceb_documents::{self as store_docs, Document, Kind};
use kuajing_store::clearance::{self as store_clearance, DecisionRecord, Receipt};
use serde::{Deserialize, Serialize};

use super::engine::{Decided, conclude, record_and_move};
use kuajing_exchange::ClearanceSettings;
use kuajing_exchange::documents::{order_key, waybill_key};
use kuajing_exchange::receipts_out::{Owed, deliver, status_name};
use kuajing_exchange::record::{Record, StoredBill, from_body};
use kuajing_registry::actor::{Actor, record};
use kuajing_registry::error::{Error, Result};

/// Statuses at which a list waits for an officer.
pub const OFFICER_STATUSES: [&str; 6] = ["300", "500", "501", "502", "503", "599"];

/// The most characters of an officer's written reason.
const REASON_MAX: usize = 500;

/// A list as the queue and the detail page show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ListView {
    /// Document id.
    pub id: String,
    /// Key (ebpCode/ebcCode/orderNo).
    pub business_key: String,
    /// Declaring enterprise.
    pub owner_code: String,
    /// Status code.
    pub status: String,
    /// Status name.
    pub status_name: String,
    /// Pre-entry number.
    pub pre_no: Option<String>,
    /// List number.
    pub invt_no: Option<String>,
    /// Buyer ID number, masked.
    pub buyer: Option<String>,
    /// When it arrived.
    pub created_at: String,
    /// When it last changed.
    pub updated_at: String,
}

impl From<&Document> for ListView {
    fn from(d: &Document) -> Self {
        ListView {
            id: d.id.clone(),
            business_key: d.business_key.clone(),
            owner_code: d.owner_code.clone(),
            status: d.status.clone(),
            status_name: status_name(&d.status).to_owned(),
            pre_no: d.pre_no.clone(),
            invt_no: d.invt_no.clone(),
            buyer: d.buyer_id.as_deref().map(ResidentId::mask),
            created_at: d.created_at.to_string(),
            updated_at: d.updated_at.to_string(),
        }
    }
}

/// A recorded decision as shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DecisionView {
    /// Status set.
    pub status: String,
    /// `engine` or the officer.
    pub decided_by: String,
    /// Rule set and version.
    pub rule_set: String,
    /// Tariff version.
    pub tariff_version: String,
    /// Reasons, each `{code, message_zh, message_en}`.
    #[schema(value_type = Object)]
    pub reasons: serde_json::Value,
    /// Risk rules that fired, monitored ones too.
    #[schema(value_type = Object)]
    pub risk_hits: serde_json::Value,
    /// What a person reads.
    pub explanation: String,
    /// The tax bill.
    #[schema(value_type = Object)]
    pub tax_bill: Option<serde_json::Value>,
    /// When.
    pub created_at: String,
}

impl From<&DecisionRecord> for DecisionView {
    fn from(d: &DecisionRecord) -> Self {
        let json = |text: &str| serde_json::from_str(text).unwrap_or(serde_json::Value::Null);
        DecisionView {
            status: d.status.clone(),
            decided_by: d.decided_by.clone(),
            rule_set: d.rule_set.clone(),
            tariff_version: d.tariff_version.clone(),
            reasons: json(&d.reasons),
            risk_hits: json(&d.risk_hits),
            explanation: d.explanation.clone(),
            tax_bill: d.tax_bill.as_deref().map(json),
            created_at: d.created_at.to_string(),
        }
    }
}

/// A receipt in a document's history.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReceiptView {
    /// Type.
    #[serde(rename = "type")]
    pub receipt_type: String,
    /// To whom.
    pub recipient_code: String,
    /// The message.
    pub xml: String,
    /// When.
    pub created_at: String,
}

impl From<&Receipt> for ReceiptView {
    fn from(r: &Receipt) -> Self {
        ReceiptView {
            receipt_type: r.receipt_type.clone(),
            recipient_code: r.recipient_code.clone(),
            xml: r.xml.clone(),
            created_at: r.created_at.to_string(),
        }
    }
}

/// One item of the officers' queue.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QueueItem {
    /// The list.
    pub list: ListView,
    /// The reasons of the decision that sent it here.
    #[schema(value_type = Object)]
    pub reasons: serde_json::Value,
    /// The explanation of that decision.
    pub explanation: String,
}

/// A list with its documents side by side, its decisions and receipts.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ListDetail {
    /// The list.
    pub list: ListView,
    /// The documents (JSON forms): `list`, `order`, `payment`, `waybill`.
    #[schema(value_type = Object)]
    pub documents: serde_json::Value,
    /// Every decision, oldest first.
    pub decisions: Vec<DecisionView>,
    /// Every receipt about the list, oldest first.
    pub receipts: Vec<ReceiptView>,
}

/// Lets `actor` see `list`'s personal information in full (the buyer's and
/// payer's ID number, name and telephone, the consignee's name, telephone
/// and address), which pages show masked (`kuajing_core::personal`): only
/// customs, or the enterprise that declared the list
/// ([`Action::RevealPersonal`]). The showing is recorded in the audit trail
/// (`clearance.read_personal` on the list), and so is a refusal.
pub async fn reveal_personal(store: &Store, actor: &Actor, list: &ListView) -> Result<()> {
    actor
        .authorize(
            store,
            Action::RevealPersonal,
            &list.owner_code,
            "clearance.read_personal",
            &list.id,
        )
        .await?;
    let entry = actor.entry(
        "clearance.read_personal",
        Some(&list.id),
        Outcome::Success,
        None,
    );
    record(store, &entry).await
}

/// What an officer decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum OfficerAction {
    /// Release (800).
    Release,
    /// Order an inspection (500).
    Inspect,
    /// Detain, transferred to clearance (501).
    DetainClearance,
    /// Detain, transferred to anti-smuggling (502).
    DetainSmuggling,
    /// Detain, transferred to the legal department (503).
    DetainLegal,
    /// Other detention (599).
    DetainOther,
    /// Refuse (100).
    Refuse,
}

impl OfficerAction {
    fn status(self) -> Status {
        match self {
            OfficerAction::Release => Status::Released,
            OfficerAction::Inspect => Status::Inspection,
            OfficerAction::DetainClearance => Status::Detained(501),
            OfficerAction::DetainSmuggling => Status::Detained(502),
            OfficerAction::DetainLegal => Status::Detained(503),
            OfficerAction::DetainOther => Status::Detained(599),
            OfficerAction::Refuse => Status::Refused,
        }
    }
}

/// The lists waiting for an officer, oldest change first: for those who
/// read every list (customs, and the zone administration, which reads but
/// does not decide).
pub async fn queue(store: &Store, actor: &Actor, limit: i64) -> Result<Vec<QueueItem>> {
    actor
        .authorize(store, Action::ReadClearance, "", "clearance.queue", "")
        .await?;
    let mut conn = store.reader().await?;
    let mut items = Vec::new();
    for list in store_docs::lists_in_status(&mut conn, &OFFICER_STATUSES, limit).await? {
        let decisions = store_clearance::decisions_of(&mut conn, &list.id).await?;
        let sent_by = decisions.iter().rev().find(|d| d.status == "300");
        items.push(QueueItem {
            list: ListView::from(&list),
            reasons: sent_by
                .map(|d| serde_json::from_str(&d.reasons).unwrap_or_default())
                .unwrap_or_default(),
            explanation: sent_by.map(|d| d.explanation.clone()).unwrap_or_default(),
        });
    }
    Ok(items)
}

/// A list with everything an officer or its declarer needs to see.
pub async fn detail(store: &Store, actor: &Actor, list_id: &str) -> Result<ListDetail> {
    let mut conn = store.reader().await?;
    let list = store_docs::get_document(&mut conn, list_id)
        .await?
        .filter(|d| d.kind == Kind::List)
        .ok_or_else(|| not_found(list_id))?;
    if actor.may(Action::ReadClearance, &list.owner_code).is_err() {
        actor
            .authorize(
                store,
                Action::Declare,
                &list.owner_code,
                "clearance.read",
                list_id,
            )
            .await?;
    }
    let inventory: Inventory = from_body(&list.body)?;
    let head = &inventory.inventory_head;
    let order_key = order_key(&head.ebp_code, &head.ebc_code, &head.order_no);
    let order = store_docs::find_document(&mut conn, Kind::Order, &order_key).await?;
    let payments =
        store_docs::documents_of_order(&mut conn, Kind::Payment, &head.ebp_code, &head.order_no)
            .await?;
    let waybill_key = waybill_key(&head.logistics_code, &head.logistics_no);
    let waybill = store_docs::find_document(&mut conn, Kind::Waybill, &waybill_key).await?;
    let json = |d: Option<&Document>| {
        d.and_then(|d| serde_json::from_str::<serde_json::Value>(&d.body).ok())
            .unwrap_or(serde_json::Value::Null)
    };
    let documents = serde_json::json!({
        "list": json(Some(&list)),
        "order": json(order.as_ref()),
        "payment": json(payments.first()),
        "waybill": json(waybill.as_ref()),
    });
    let decisions = store_clearance::decisions_of(&mut conn, &list.id).await?;
    let receipts = store_clearance::receipts_of_document(&mut conn, &list.id).await?;
    let reads_all = actor.may(Action::ReadClearance, "").is_ok();
    Ok(ListDetail {
        list: ListView::from(&list),
        documents,
        decisions: decisions.iter().map(DecisionView::from).collect(),
        receipts: receipts
            .iter()
            .filter(|r| reads_all || Some(&r.recipient_code) == actor.organisation_code.as_ref())
            .map(ReceiptView::from)
            .collect(),
    })
}

/// An officer's decision on a list waiting for one.
pub async fn decide(
    store: &Store,
    settings: &ClearanceSettings,
    actor: &Actor,
    list_id: &str,
    action: OfficerAction,
    reason: &str,
) -> Result<ListView> {
    actor
        .authorize(
            store,
            Action::DecideClearance,
            "",
            "clearance.decide",
            list_id,
        )
        .await?;
    let reason = written_reason(reason)?;
    let now = settings.clock.now();
    let mut tx = store.begin().await?;
    let list = store_docs::get_document(&mut tx, list_id)
        .await?
        .filter(|d| d.kind == Kind::List)
        .ok_or_else(|| not_found(list_id))?;
    if !OFFICER_STATUSES.contains(&list.status.as_str()) {
        return Err(Error::invalid(
            "status",
            "CLEARANCE_NOT_PENDING",
            format!(
                "清单当前状态 {}（{}）不待关员处理",
                list.status,
                status_name(&list.status)
            ),
            format!(
                "the list stands at status {} and is not waiting for an officer",
                list.status
            ),
        ));
    }
    let inventory: Inventory = from_body(&list.body)?;
    let decisions = store_clearance::decisions_of(&mut tx, &list.id).await?;
    let engine_decision = decisions.iter().rev().find(|d| d.decided_by == "engine");
    let record = Record {
        rule_set: engine_decision.map_or_else(String::new, |d| d.rule_set.clone()),
        tariff_version: engine_decision.map_or_else(String::new, |d| d.tariff_version.clone()),
        risk_hits: Vec::new(),
    };
    let bill: Option<StoredBill> = decisions
        .iter()
        .rev()
        .find_map(|d| d.tax_bill.as_deref())
        .map(serde_json::from_str)
        .transpose()
        .map_err(|e| Error::Internal(format!("kept tax bill does not read: {e}")))?;
    let status = action.status();
    let reasons = [Reason {
        code: 0,
        message_zh: reason.to_owned(),
        message_en: reason.to_owned(),
    }];
    let decision = Decided {
        status,
        decided_by: &actor.name,
        reasons: &reasons,
        explanation: format!(
            "关员 {} 决定：{}（{}）\nOfficer {} decided {} ({}): {reason}",
            actor.name,
            status_name(&status.code()),
            reason,
            actor.name,
            status.code(),
            status_name(&status.code()),
        ),
        bill: if status == Status::Released {
            bill
        } else {
            None
        },
        quota_committed: false,
        payment: None,
    };
    let mut owed: Vec<Owed> = Vec::new();
    if status == Status::Released {
        conclude(
            &mut tx, now, &list, &inventory, &decision, &record, &mut owed,
        )
        .await?;
    } else {
        record_and_move(
            &mut tx, now, &list, &inventory, &decision, &record, &mut owed,
        )
        .await?;
    }
    deliver(&mut tx, &owed, now).await?;
    let after = store_docs::get_document(&mut tx, list_id)
        .await?
        .ok_or_else(|| not_found(list_id))?;
    let detail = format!("status={}; reason={reason}", status.code());
    actor
        .commit(tx, "clearance.decide", Some(list_id), Some(&detail))
        .await?;
    Ok(ListView::from(&after))
}

/// Puts a buyer's ID number on the watch list (布控): the next list of the
/// buyer goes to an officer (risk rule `watch-list/1`). Customs, with a
/// written reason; audited with the number masked.
pub async fn watch(store: &Store, actor: &Actor, buyer_id: &str, reason: &str) -> Result<String> {
    let (buyer, masked, reason) =
        watch_list_change(store, actor, "clearance.watch", buyer_id, reason).await?;
    let mut tx = store.begin().await?;
    store_clearance::watch_buyer(&mut tx, &buyer, reason, &actor.name, Timestamp::now()).await?;
    actor
        .commit(tx, "clearance.watch", Some(&masked), Some(reason))
        .await?;
    Ok(masked)
}

/// One entry of the watch list as shown: the ID number masked.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WatchView {
    /// The buyer's ID number, masked.
    pub buyer: String,
    /// The written reason.
    pub reason: String,
    /// Who put it on, or last changed its reason.
    pub added_by: String,
    /// When (RFC 3339, UTC).
    pub added_at: String,
}

/// The watch list (customs), newest first, ID numbers masked.
pub async fn watch_list(store: &Store, actor: &Actor) -> Result<Vec<WatchView>> {
    actor
        .authorize(
            store,
            Action::DecideClearance,
            "",
            "clearance.watch_list",
            "",
        )
        .await?;
    let mut conn = store.reader().await?;
    let entries = store_clearance::watch_list(&mut conn).await?;
    Ok(entries
        .into_iter()
        .map(|e| WatchView {
            buyer: ResidentId::mask(&e.buyer_id),
            reason: e.reason,
            added_by: e.added_by,
            added_at: e.added_at.to_string(),
        })
        .collect())
}

/// Takes a buyer off the watch list (customs, with a written reason): the
/// officer names the full ID number (the list shows it masked); audited
/// with the number masked and the reason.
pub async fn unwatch(store: &Store, actor: &Actor, buyer_id: &str, reason: &str) -> Result<String> {
    let (buyer, masked, reason) =
        watch_list_change(store, actor, "clearance.unwatch", buyer_id, reason).await?;
    let mut tx = store.begin().await?;
    if !store_clearance::unwatch_buyer(&mut tx, &buyer).await? {
        return Err(Error::NotFound {
            what: "watch list entry",
            key: masked,
        });
    }
    actor
        .commit(tx, "clearance.unwatch", Some(&masked), Some(reason))
        .await?;
    Ok(masked)
}

/// What a change of the watch list needs, checked in order: customs may
/// make it (a refusal audited as `action`), the ID number is one, the
/// reason is written. The number as stored and as shown, and the reason.
async fn watch_list_change<'r>(
    store: &Store,
    actor: &Actor,
    action: &str,
    buyer_id: &str,
    reason: &'r str,
) -> Result<(String, String, &'r str)> {
    actor
        .authorize(store, Action::DecideClearance, "", action, "")
        .await?;
    let id = ResidentId::parse(buyer_id.trim()).map_err(|e| Error::invalid_id("buyer_id", &e))?;
    let reason = written_reason(reason)?;
    Ok((id.expose().to_ascii_uppercase(), id.masked(), reason))
}

/// An officer's written reason: 1 to [`REASON_MAX`] characters once
/// trimmed, lines allowed, but no character a CEB value may not hold (it
/// goes into the list's receipt: `kuajing_ceb::characters`; issue #14,
/// finding 7).
fn written_reason(reason: &str) -> Result<&str> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > REASON_MAX {
        return Err(Error::invalid(
            "reason",
            "CLEARANCE_REASON",
            format!("须写明理由（1 至 {REASON_MAX} 个字符）"),
            format!("a written reason is required (1 to {REASON_MAX} characters)"),
        ));
    }
    kuajing_registry::validate::printable_prose("reason", reason)?;
    if let Some(bad) = first_refused(reason) {
        return Err(Error::invalid(
            "reason",
            "FIELD_CONTROL_CHARACTER",
            format!("reason 含有不可见控制字符 {}", code_point(bad)),
            format!("reason contains the control character {}", code_point(bad)),
        ));
    }
    Ok(reason)
}

fn not_found(id: &str) -> Error {
    Error::NotFound {
        what: "declaration list",
        key: id.to_owned(),
    }
}
