//! The clearance engine and the database work around it.
//!
//! [`ClearanceEngine`] is the decision on one list whose documents are all
//! in; [`BuiltInEngine`] decides by the published rules
//! (`kuajing_clearance`), and a relay to the national customs system can
//! take its place behind the same trait. [`settle_list`] does what needs
//! the database, in the caller's transaction: find the order, payment and
//! waybill, read the tariff in force, count what the risk rules count,
//! reserve the buyer's quota, move every document through its statuses
//! (2 → 120 → 399 → 800, or 300 for an officer, or 100 refused), record the
//! decision, and collect the receipts each party is owed.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use kuajing_ceb::model::import::{Inventory, Logistics, Order, Payment};
use kuajing_clearance::decision::{Decision, Reason, RuleSettings, decide};
use kuajing_clearance::matching::Parcel;
use kuajing_clearance::receipts::{Answer, Status};
use kuajing_clearance::risk::{
    RiskFacts, RiskHit, RiskSettings, RuleMode, apply_risk, assess_risk,
};
use kuajing_clearance::settings::Limits;
use kuajing_clearance::tax::{Regime, TaxBill};
use kuajing_core::ids::HsCode;
use kuajing_core::money::{from_fen, to_fen};
use kuajing_core::role::Role;
use kuajing_core::timestamp::Timestamp;
use kuajing_reference::tariff::TariffLine;
use kuajing_store::Conn;
use kuajing_store::ceb_documents::{self as store_docs, Document, Kind};
use kuajing_store::clearance::{self as store_clearance, NewDecision};
use kuajing_store::quota::{self, EntryState, NewEntry, Reservation};
use rust_decimal::Decimal;
use time::Date;

use kuajing_bonded::stock_holds as bonded_stock;
use kuajing_exchange::ClearanceSettings;
use kuajing_exchange::documents::{order_key, waybill_key};
use kuajing_exchange::lookups::Lookups;
use kuajing_exchange::receipts_out::{self, Owed};
use kuajing_exchange::record::{
    Record, StoredBill, from_body, number_list, reasons_json, risk_json, unfiled_parties,
};
use kuajing_exchange::reference_cache::ReferenceCache;
use kuajing_exchange::time_format::china_date;
use kuajing_registry::error::{Error, Result};

/// Everything one decision is made on.
#[derive(Debug)]
pub struct Case<'a> {
    /// The list and its order, payment and waybill.
    pub parcel: Parcel<'a>,
    /// The China day the platform received the list (the day it counts as
    /// declared, whatever its `declTime` says:
    /// `kuajing_clearance::declaration_day`).
    pub received_on: Date,
    /// The tariff lines of the list's goods in force when it was received.
    pub tariff: &'a HashMap<HsCode, TariffLine>,
    /// What the buyer has used of the quota of the year of `received_on`,
    /// CNY.
    pub used_this_year: Decimal,
    /// The limits in force on `received_on`.
    pub limits: &'a Limits,
    /// What the risk rules count.
    pub risk: &'a RiskFacts,
}

/// What an engine decides, with every risk rule that fired (monitored ones
/// too: they are recorded, never acted on).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The decision.
    pub decision: Decision,
    /// Risk hits.
    pub risk_hits: Vec<RiskHit>,
}

/// Decides a list whose documents are all in. The built-in engine decides
/// by the published rules; a relay to the national customs system would
/// implement this too.
pub trait ClearanceEngine: Send + Sync + std::fmt::Debug {
    /// The rule set's name and version, recorded with every decision.
    fn rule_set(&self) -> String;
    /// The decision on `case`.
    fn decide(&self, case: &Case<'_>) -> Verdict;
}

/// The rules of `kuajing_clearance`, with the risk rules applied.
#[derive(Debug, Clone)]
pub struct BuiltInEngine {
    rules: RuleSettings,
    risk: RiskSettings,
}

impl BuiltInEngine {
    /// The engine with these settings.
    pub fn new(rules: RuleSettings, risk: RiskSettings) -> Self {
        BuiltInEngine { rules, risk }
    }
}

impl ClearanceEngine for BuiltInEngine {
    fn rule_set(&self) -> String {
        let risk: Vec<String> = self
            .risk
            .modes
            .iter()
            .map(|(rule, mode)| {
                let mode = match mode {
                    RuleMode::Enforce => "enforce",
                    RuleMode::Monitor => "monitor",
                };
                format!("{} {mode}", rule.id())
            })
            .collect();
        format!("kuajing-builtin/1; {}", risk.join(", "))
    }

    fn decide(&self, case: &Case<'_>) -> Verdict {
        let decision = decide(
            &case.parcel,
            case.received_on,
            |code| case.tariff.get(code),
            case.used_this_year,
            case.limits,
            &self.rules,
        );
        let risk_hits = assess_risk(case.parcel.list, case.risk, &self.risk);
        Verdict {
            decision: apply_risk(decision, &risk_hits),
            risk_hits,
        }
    }
}

/// What the engine needs besides the database.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The engine.
    pub engine: &'a dyn ClearanceEngine,
    /// The settings.
    pub settings: &'a ClearanceSettings,
    /// Now.
    pub now: Timestamp,
    /// The intake's cache of what lists look up that changes rarely.
    pub reference: &'a Arc<ReferenceCache>,
}

/// The four documents of a parcel, decoded from their kept JSON.
struct Documents {
    list: Inventory,
    order: (Document, Order),
    payment: (Document, Payment),
    waybill: (Document, Logistics),
}

/// Decides `list` if its order, payment and waybill are all in (declared,
/// not drafts); otherwise it keeps waiting. Returns whether it was decided.
///
/// Every date the decision depends on is the platform's record of when it
/// received the list (`Document::declared_at`, in China time), not the
/// moment its last document completed it and never the `declTime` its
/// declarer wrote (issue #14): the quota year, the limits and tariff in
/// force, the birth-date check and the risk rules' window.
pub async fn settle_list(
    conn: &mut Conn,
    context: &Context<'_>,
    list: &Document,
    lookups: &mut Lookups,
    owed: &mut Vec<Owed>,
) -> Result<bool> {
    let Some(documents) = find_documents(conn, list).await? else {
        return Ok(false);
    };
    let head = &documents.list.inventory_head;
    let received_at = list.declared_at;
    let received_on = china_date(received_at);
    let limits = *context
        .settings
        .limits
        .on(received_on)
        .ok_or_else(|| Error::Internal(format!("no limits in force on {received_on}")))?;
    let (tariff, tariff_version) = tariff_of(conn, lookups, &documents.list, received_at).await?;
    let buyer_id = head.buyer_id_number.to_ascii_uppercase();
    let year = received_on.year();
    let (risk, used_fen) = risk_facts(
        conn,
        lookups,
        context,
        &documents.list,
        &buyer_id,
        received_at,
    )
    .await?;
    let used_this_year = from_fen(used_fen);
    let parties = party_reasons(conn, lookups, &documents).await?;
    let case = Case {
        parcel: Parcel {
            list: &documents.list,
            order: &documents.order.1,
            payment: &documents.payment.1,
            waybill: &documents.waybill.1,
        },
        received_on,
        tariff: &tariff,
        used_this_year,
        limits: &limits,
        risk: &risk,
    };
    let mut verdict = context.engine.decide(&case);
    if !parties.is_empty() {
        verdict.decision = with_party_reasons(verdict.decision, parties);
    }
    let record = Record {
        rule_set: context.engine.rule_set(),
        tariff_version,
        risk_hits: verdict.risk_hits.clone(),
    };
    // What passes takes (a 1210 list) its stock, then its quota; if either
    // is short, the list is refused and holds nothing (a refusal frees the
    // stock held; the quota is taken last, so never opened for it).
    let short = match &verdict.decision {
        Decision::Refused(_) => None,
        Decision::Pass(bill) | Decision::Review { bill, .. } => {
            let release_now = matches!(verdict.decision, Decision::Pass(_));
            match bonded_stock::hold(conn, lookups, list, &documents.list, context.now).await? {
                Some(reasons) => Some(reasons),
                None if !reserved(
                    conn,
                    context.now,
                    list,
                    &buyer_id,
                    year,
                    bill,
                    &limits,
                    release_now,
                )
                .await? =>
                {
                    Some(vec![over_annual_limit(used_this_year, bill, &limits)])
                }
                None => None,
            }
        }
    };
    match (short, verdict.decision) {
        (Some(reasons), _) | (None, Decision::Refused(reasons)) => {
            refuse(
                conn,
                context.now,
                list,
                &documents.list,
                &reasons,
                &record,
                owed,
            )
            .await?;
        }
        (None, Decision::Pass(bill)) => {
            let list = &accept(conn, lookups, context.now, list, &documents, owed).await?;
            let decision = Decided {
                status: Status::Released,
                decided_by: "engine",
                reasons: &[],
                explanation: explain_release(&bill, used_this_year, &limits),
                bill: Some(StoredBill::from(&bill, &documents.list)),
                quota_committed: true,
                payment: Some(&documents.payment.1),
            };
            conclude(
                conn,
                context.now,
                list,
                &documents.list,
                &decision,
                &record,
                owed,
            )
            .await?;
        }
        (None, Decision::Review { reasons, bill }) => {
            let list = &accept(conn, lookups, context.now, list, &documents, owed).await?;
            let decision = Decided {
                status: Status::ManualReview,
                decided_by: "engine",
                reasons: &reasons,
                explanation: explain_review(&reasons),
                bill: Some(StoredBill::from(&bill, &documents.list)),
                quota_committed: false,
                payment: Some(&documents.payment.1),
            };
            record_and_move(
                conn,
                context.now,
                list,
                &documents.list,
                &decision,
                &record,
                owed,
            )
            .await?;
        }
    }
    Ok(true)
}

/// The list's order, payment and waybill, if all are in.
async fn find_documents(conn: &mut Conn, list: &Document) -> Result<Option<Documents>> {
    let inventory: Inventory = from_body(&list.body)?;
    let head = &inventory.inventory_head;
    let order_key = order_key(&head.ebp_code, &head.ebc_code, &head.order_no);
    let waybill_key = waybill_key(&head.logistics_code, &head.logistics_no);
    let found = store_docs::documents_of_parcel(
        conn,
        &order_key,
        &head.ebp_code,
        &head.order_no,
        &waybill_key,
    )
    .await?;
    let pick = |kind: Kind, key: Option<&str>| {
        found
            .iter()
            .find(|d| {
                d.kind == kind && key.is_none_or(|k| d.business_key == k) && in_play(&d.status)
            })
            .cloned()
    };
    let (Some(order), Some(waybill)) = (
        pick(Kind::Order, Some(&order_key)),
        pick(Kind::Waybill, Some(&waybill_key)),
    ) else {
        return Ok(None);
    };
    let order_body: Order = from_body(&order.body)?;
    // The payment the order names (payCode, payTransactionId): another
    // enterprise's payment for the same order number never stands in for
    // it (issue #14 finding 1).
    let named = &order_body.order_head;
    let payment = found
        .iter()
        .filter(|d| d.kind == Kind::Payment && in_play(&d.status))
        .find(|d| {
            payment_named(
                &d.business_key,
                named.pay_code.as_deref(),
                named.pay_transaction_id.as_deref(),
            )
        })
        .cloned();
    let Some(payment) = payment else {
        return Ok(None);
    };
    let payment_body = from_body(&payment.body)?;
    let waybill_body = from_body(&waybill.body)?;
    Ok(Some(Documents {
        list: inventory,
        order: (order, order_body),
        payment: (payment, payment_body),
        waybill: (waybill, waybill_body),
    }))
}

/// Whether the payment keyed `key` (`payCode/payTransactionId`) is the one
/// an order naming `pay_code` and `transaction` points to; an order naming
/// neither takes any payment of its order number.
fn payment_named(key: &str, pay_code: Option<&str>, transaction: Option<&str>) -> bool {
    let (code, id) = key.split_once('/').unwrap_or((key, ""));
    pay_code.is_none_or(|c| c.is_empty() || c == code)
        && transaction.is_none_or(|t| t.is_empty() || t == id)
}

/// Declared (2) or matched before (120, a corrected list matching again).
fn in_play(status: &str) -> bool {
    matches!(status, "2" | "120")
}

/// The tariff lines of the list's goods in force at `at` (when the
/// platform received it), and the versions they come from (`tariff v1`,
/// `tariff v1+v2`).
async fn tariff_of(
    conn: &mut Conn,
    lookups: &mut Lookups,
    list: &Inventory,
    at: Timestamp,
) -> Result<(HashMap<HsCode, TariffLine>, String)> {
    let mut lines = HashMap::new();
    let mut versions: Vec<i64> = Vec::new();
    for line in &list.inventory_list {
        let Ok(code) = HsCode::parse(&line.gcode) else {
            continue;
        };
        if lines.contains_key(&code) {
            continue;
        }
        if let Some(stored) = lookups.tariff_line(conn, code.as_str(), at).await? {
            versions.push(stored.version.version_no);
            lines.insert(code, stored.line);
        }
    }
    versions.sort_unstable();
    versions.dedup();
    let names: Vec<String> = versions.iter().map(|v| format!("v{v}")).collect();
    let version = if names.is_empty() {
        "tariff (no line found)".to_owned()
    } else {
        format!("tariff {}", names.join("+"))
    };
    Ok((lines, version))
}

/// What the risk rules count around the list, and what the buyer has used
/// of the quota of the year it was received in (fen), in one query. R01's
/// window is the hours before the platform received the list
/// (`received_at`), whenever its documents completed it.
async fn risk_facts(
    conn: &mut Conn,
    lookups: &mut Lookups,
    context: &Context<'_>,
    list: &Inventory,
    buyer_id: &str,
    received_at: Timestamp,
) -> Result<(RiskFacts, i64)> {
    let head = &list.inventory_head;
    let window = Duration::from_secs(u64::from(context.settings.risk.window_hours) * 3600);
    let facts = store_clearance::list_facts(
        conn,
        buyer_id,
        received_at.minus(window),
        &head.consignee_address,
        &head.buyer_telephone,
        china_date(received_at).year(),
    )
    .await?;
    let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    let risk = RiskFacts {
        reference_prices: reference_prices(conn, lookups, list).await?,
        buyer_lists_in_window: count(facts.buyer_lists_since),
        buyers_at_address: count(facts.buyers_at_address),
        buyers_with_phone: count(facts.buyers_with_phone),
        buyer_on_watch_list: facts.watched,
    };
    Ok((risk, facts.used_fen))
}

/// The reference unit price (CNY) of each line's goods: the
/// `reference_price` of the e-commerce enterprise's active commodity
/// filing (备案) of the line's `itemNo`, where it is in CNY (`142`); `None`
/// where there is no such filing (R05 then says nothing of the line).
async fn reference_prices(
    conn: &mut Conn,
    lookups: &mut Lookups,
    list: &Inventory,
) -> Result<Vec<Option<Decimal>>> {
    let items: Vec<&str> = list
        .inventory_list
        .iter()
        .filter_map(|l| l.item_no.as_deref())
        .collect();
    let filed = lookups
        .active_commodities(conn, &list.inventory_head.ebc_code, &items)
        .await?;
    let price_of = |item: &str| -> Option<Decimal> {
        let (_, data) = filed.iter().find(|(key, _)| key == item)?;
        let record: serde_json::Value = serde_json::from_str(data).ok()?;
        if record.get("currency")?.as_str()? != "142" {
            return None;
        }
        record.get("reference_price")?.as_str()?.parse().ok()
    };
    Ok(list
        .inventory_list
        .iter()
        .map(|l| l.item_no.as_deref().and_then(price_of))
        .collect())
}

/// Every party of the parcel must be filed, active and hold its role
/// (issue #5, "list checks"): the platform (ebp), the e-commerce
/// enterprise (ebc), the logistics company, the payment company and the
/// declarer (declarer or ebc). Not filed or not active: -10102 (invalid
/// enterprise code); filed without the role: -10101 (invalid enterprise
/// type), table 7-2.
async fn party_reasons(
    conn: &mut Conn,
    lookups: &mut Lookups,
    documents: &Documents,
) -> Result<Vec<Reason>> {
    let head = &documents.list.inventory_head;
    let pay_code = &documents.payment.1.payment_head.pay_code;
    let parties: [(&str, &str, &[Role]); 5] = [
        ("ebpCode", &head.ebp_code, &[Role::Ebp]),
        ("ebcCode", &head.ebc_code, &[Role::Ebc]),
        ("logisticsCode", &head.logistics_code, &[Role::Logistics]),
        ("payCode", pay_code, &[Role::Payment]),
        ("agentCode", &head.agent_code, &[Role::Declarer, Role::Ebc]),
    ];
    unfiled_parties(conn, lookups, &parties).await
}

/// The engine's decision with the parties' refusals first.
fn with_party_reasons(decision: Decision, mut parties: Vec<Reason>) -> Decision {
    if let Decision::Refused(reasons) = decision {
        parties.extend(reasons);
    }
    Decision::Refused(parties)
}

/// A decision to record and act on.
pub(crate) struct Decided<'a> {
    /// The status it sets.
    pub status: Status,
    /// `engine` or the officer's login.
    pub decided_by: &'a str,
    /// Its reasons.
    pub reasons: &'a [Reason],
    /// What a person reads.
    pub explanation: String,
    /// The tax bill, if any.
    pub bill: Option<StoredBill>,
    /// Whether the list's quota entry was opened committed (the rules
    /// released it in the same transaction), so a release need not commit
    /// it again.
    pub quota_committed: bool,
    /// The parcel's payment when the decider has it at hand (the engine
    /// does; an officer's decision reads it on release).
    pub payment: Option<&'a Payment>,
}

/// Reserves the list's value of the buyer's year (committed at once when
/// the rules release it now); false if it would go over the annual limit
/// (nothing changed then).
#[allow(clippy::too_many_arguments)]
async fn reserved(
    conn: &mut Conn,
    now: Timestamp,
    list: &Document,
    buyer_id: &str,
    year: i32,
    bill: &TaxBill,
    limits: &Limits,
    release_now: bool,
) -> Result<bool> {
    let amount_fen = to_fen(bill.dutiable_value)
        .ok_or_else(|| Error::Internal("dutiable value out of range".to_owned()))?;
    let limit = to_fen(limits.annual)
        .ok_or_else(|| Error::Internal("annual limit out of range".to_owned()))?;
    let entry = NewEntry {
        list_key: &list.business_key,
        buyer_id,
        year,
        amount_fen,
        state: if release_now {
            EntryState::Committed
        } else {
            EntryState::Reserved
        },
    };
    let reservation = quota::reserve_as(conn, &entry, limit, now).await?;
    Ok(!matches!(reservation, Reservation::OverLimit { .. }))
}

/// The refusal when the ledger, checked atomically, finds the year full
/// (another list of the buyer took the rest meanwhile): -621018.
fn over_annual_limit(used: Decimal, bill: &TaxBill, limits: &Limits) -> Reason {
    Reason {
        code: -621018,
        message_zh: format!(
            "本次交易 {} 元将使订购人年度交易累计超过限值 {} 元（已用 {} 元）",
            bill.dutiable_value, limits.annual, used
        ),
        message_en: format!(
            "this transaction of CNY {} would take the buyer over the annual limit of CNY {} (CNY {} used)",
            bill.dutiable_value, limits.annual, used
        ),
    }
}

/// The order, payment and waybill were matched: each goes to 120 and its
/// sender is told; the list goes to 120 (stored, 海关入库) with its list
/// number, which a cancellation (CEB623, `invtNo` required) names: the
/// numbered list.
async fn accept(
    conn: &mut Conn,
    lookups: &mut Lookups,
    now: Timestamp,
    list: &Document,
    documents: &Documents,
    owed: &mut Vec<Owed>,
) -> Result<Document> {
    let list = &number_list(
        conn,
        lookups,
        now,
        list,
        &documents.list.inventory_head.customs_code,
    )
    .await?;
    let matched = Answer {
        status: Status::Stored,
        time: kuajing_exchange::time_format::return_time(now),
        info: "三单对碰通过 / matched with the declaration list".to_owned(),
    };
    let (order, order_body) = &documents.order;
    let (payment, payment_body) = &documents.payment;
    let (waybill, waybill_body) = &documents.waybill;
    let unmatched: Vec<&str> = [order, payment, waybill]
        .into_iter()
        .filter(|d| d.status != "120")
        .map(|d| d.id.as_str())
        .collect();
    store_docs::set_statuses(conn, &unmatched, "120", now).await?;
    if order.status != "120" {
        owed.push(receipts_out::order(order, order_body, &matched));
    }
    if payment.status != "120" {
        owed.push(receipts_out::payment(payment, payment_body, &matched));
    }
    if waybill.status != "120" {
        owed.push(receipts_out::waybill(waybill, waybill_body, &matched));
    }
    owe_list_receipt(now, list, &documents.list, Status::Stored, "", owed);
    Ok(list.clone())
}

/// Refuses a list (100) with every reason; its quota, if it held any, is
/// given back.
async fn refuse(
    conn: &mut Conn,
    now: Timestamp,
    list: &Document,
    inventory: &Inventory,
    reasons: &[Reason],
    record: &Record,
    owed: &mut Vec<Owed>,
) -> Result<()> {
    let decision = Decided {
        status: Status::Refused,
        decided_by: "engine",
        reasons,
        explanation: explain_refusal(reasons),
        bill: None,
        quota_committed: false,
        payment: None,
    };
    record_and_move(conn, now, list, inventory, &decision, record, owed).await
}

/// Concludes (399) and releases (800) a list: numbered, its quota
/// committed, its tax bill (CEB816) issued.
pub(crate) async fn conclude(
    conn: &mut Conn,
    now: Timestamp,
    list: &Document,
    inventory: &Inventory,
    decision: &Decided<'_>,
    record: &Record,
    owed: &mut Vec<Owed>,
) -> Result<()> {
    // A list is numbered when it is stored (120): the memo is for one that
    // never was.
    let mut lookups = Lookups::default();
    let numbered = number_list(
        conn,
        &mut lookups,
        now,
        list,
        &inventory.inventory_head.customs_code,
    )
    .await?;
    owe_list_receipt(now, &numbered, inventory, Status::Concluded, "", owed);
    record_and_move(conn, now, &numbered, inventory, decision, record, owed).await
}

/// Records a decision, moves the list to its status and owes the receipts
/// (and, on release, commits the quota and issues the tax bill).
pub(crate) async fn record_and_move(
    conn: &mut Conn,
    now: Timestamp,
    list: &Document,
    inventory: &Inventory,
    decision: &Decided<'_>,
    record: &Record,
    owed: &mut Vec<Owed>,
) -> Result<()> {
    let reasons = reasons_json(decision.reasons);
    let risk = risk_json(&record.risk_hits);
    let bill = decision
        .bill
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| Error::Internal(e.to_string()))?;
    let status = decision.status.code();
    store_clearance::record_decision(
        conn,
        &NewDecision {
            list_id: &list.id,
            owner_code: &list.owner_code,
            status: &status,
            decided_by: decision.decided_by,
            rule_set: &record.rule_set,
            tariff_version: &record.tariff_version,
            reasons: &reasons,
            risk_hits: &risk,
            explanation: &decision.explanation,
            tax_bill: bill.as_deref(),
        },
        now,
    )
    .await?;
    let info = receipt_info(decision);
    let released = decision.status == Status::Released;
    store_docs::finish_list(
        conn,
        &list.id,
        &status,
        list.invt_no.as_deref(),
        released.then_some(now),
        now,
    )
    .await?;
    owe_list_receipt(now, list, inventory, decision.status, &info, owed);
    match decision.status {
        Status::Released => {
            if !decision.quota_committed {
                quota::commit(conn, &list.business_key, now).await?;
            }
            if let Some(bill) = &decision.bill {
                owed.extend(receipts_out::tax_bill(list, inventory, bill, now));
            }
            bonded_stock::deduct(conn, list, inventory, decision.decided_by, now).await?;
            let (bill, payment) = (decision.bill.as_ref(), decision.payment);
            super::events::released(conn, list, inventory, bill, payment, now, owed).await?;
        }
        Status::Refused => {
            bonded_stock::free(conn, list, inventory, now).await?;
            if quota::find(conn, &list.business_key).await?.is_some() {
                quota::release(conn, &list.business_key, now).await?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Owes the list's declarer a CEB622 at `status` (the status itself is
/// written once, where the decision leaves the list).
fn owe_list_receipt(
    now: Timestamp,
    list: &Document,
    inventory: &Inventory,
    status: Status,
    info: &str,
    owed: &mut Vec<Owed>,
) {
    let answer = Answer {
        status,
        time: kuajing_exchange::time_format::return_time(now),
        info: info.to_owned(),
    };
    owed.push(receipts_out::list(list, inventory, &answer));
}

/// The receipt's returnInfo: each reason with its official code.
fn receipt_info(decision: &Decided<'_>) -> String {
    if decision.reasons.is_empty() {
        return String::new();
    }
    decision
        .reasons
        .iter()
        .map(|r| {
            if r.code == 0 {
                r.message_zh.clone()
            } else {
                format!("[{}] {}", r.code, r.message_zh)
            }
        })
        .collect::<Vec<_>>()
        .join("；")
}

fn explain_refusal(reasons: &[Reason]) -> String {
    let zh: Vec<&str> = reasons.iter().map(|r| r.message_zh.as_str()).collect();
    let en: Vec<&str> = reasons.iter().map(|r| r.message_en.as_str()).collect();
    format!("退单：{}\nRefused: {}", zh.join("；"), en.join("; "))
}

fn explain_review(reasons: &[Reason]) -> String {
    let zh: Vec<&str> = reasons.iter().map(|r| r.message_zh.as_str()).collect();
    let en: Vec<&str> = reasons.iter().map(|r| r.message_en.as_str()).collect();
    format!(
        "转人工审核：{}\nSent to an officer: {}",
        zh.join("；"),
        en.join("; ")
    )
}

fn explain_release(bill: &TaxBill, used_before: Decimal, limits: &Limits) -> String {
    let regime_zh = match bill.regime {
        Regime::WithinLimits => "限值以内，关税0%，增值税和消费税按法定应纳税额70%征收",
        Regime::Full => "单件商品完税价格超过单次限值，按货物税率全额征收",
    };
    let regime_en = match bill.regime {
        Regime::WithinLimits => {
            "within the limits: duty 0 %, VAT and consumption tax at 70 % of the statutory amounts"
        }
        Regime::Full => "a single item over the single-transaction limit: taxed in full",
    };
    let used_after = used_before.saturating_add(bill.dutiable_value);
    format!(
        "放行：清单与订单、支付单、运单对碰一致，各项检查通过；完税价格 {} 元，应征税款 {} 元（关税 {}，消费税 {}，增值税 {}；{regime_zh}）；订购人年度交易额 {} / {} 元。\n\
         Released: the list agrees with its order, payment and waybill and passes every check; dutiable value CNY {}, tax CNY {} (duty {}, consumption tax {}, VAT {}; {regime_en}); the buyer's year stands at CNY {} of {}.",
        bill.dutiable_value,
        bill.total,
        bill.duty,
        bill.consumption,
        bill.vat,
        used_after,
        limits.annual,
        bill.dutiable_value,
        bill.total,
        bill.duty,
        bill.consumption,
        bill.vat,
        used_after,
        limits.annual,
    )
}

/// Refuses an import list that waited longer than the settings allow for
/// its order, payment and waybill ("三单不齐", -621001), found by the
/// timeout task.
pub async fn refuse_incomplete(
    conn: &mut Conn,
    context: &Context<'_>,
    list: &Document,
    owed: &mut Vec<Owed>,
) -> Result<()> {
    let hours = context.settings.incomplete_after.as_secs() / 3600;
    let record = Record {
        rule_set: context.engine.rule_set(),
        tariff_version: "-".to_owned(),
        risk_hits: Vec::new(),
    };
    let inventory: Inventory = from_body(&list.body)?;
    let reason = Reason {
        code: -621001,
        message_zh: format!("三单不齐：{hours} 小时内未收齐订单、支付单和运单"),
        message_en: format!(
            "documents incomplete: the order, payment and waybill did not all arrive within {hours} h"
        ),
    };
    refuse(
        conn,
        context.now,
        list,
        &inventory,
        &[reason],
        &record,
        owed,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::payment_named;

    #[test]
    fn a_list_matches_the_payment_its_order_names() {
        assert!(payment_named(
            "2224970001/PAY-T000001",
            Some("2224970001"),
            Some("PAY-T000001")
        ));
        assert!(!payment_named(
            "2224960077/PAY-T000001",
            Some("2224970001"),
            Some("PAY-T000001")
        ));
        assert!(!payment_named(
            "2224970001/PAY-OTHER",
            Some("2224970001"),
            Some("PAY-T000001")
        ));
        assert!(payment_named(
            "2224970001/PAY-OTHER",
            Some("2224970001"),
            None
        ));
        assert!(
            payment_named("2224960077/X", None, None),
            "an order naming none takes any"
        );
    }
}
