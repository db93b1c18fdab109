//! What a declarer may ask about a list it declared: cancellation (CEB623
//! 撤销申请, answered with CEB624) and return (CEB625 退货申请, answered
//! with CEB626), each document on its own merits.
//!
//! - A cancellation is accepted before release, and after release within
//!   [`ClearanceSettings::cancel_after_release`](kuajing_exchange::ClearanceSettings)
//!   days unless goods were returned; the list becomes `cancelled`, the
//!   buyer's quota is given back whole and a tax bill issued is voided
//!   (CEB818 status 3).
//! - A return is accepted for a released list within 30 days of release
//!   (GACC 2020 No. 45, policy-rules.md §7.1), for all or some lines, each
//!   at most what was declared less what was returned before; the returned
//!   lines' share of the dutiable value goes back to the buyer's quota, the
//!   bill is voided (CEB818) and, for a partial return, a new bill is issued
//!   for what stays (CEB816, `taxNo` sequence 02, 03, …).
//!
//! Both windows count China days from the day after the platform released
//! the list (its own record, `released_at`; `time_format::within_days`),
//! never from a date the declarer wrote (`declTime`, `appTime`): a list
//! released at 23:30 on the 1st may be returned until 24:00 on the 31st.
//!
//! Codes (table 7-2): -623003 list not found, -623005 state does not allow
//! cancellation, -623029 / -625208 signature; -625008 preNo not the
//! platform's, -625209 line not in the original list; -625001 (the first
//! code of the return range, the table quoted names no specific one) for a
//! list not found, not released, out of time or over-returned.

use kuajing_ceb::Message;
use kuajing_ceb::model::import::{
    CEB624Message, CEB626Message, Inventory, InvtCancel, InvtCancelReturn, InvtRefund,
    InvtRefundReturn,
};
use kuajing_core::delegation::Scope;
use kuajing_core::money::{round_to_fen, to_fen};
use kuajing_core::timestamp::Timestamp;
use kuajing_store::Conn;
use kuajing_store::ceb_documents::{self as store_docs, Document, Kind};
use kuajing_store::clearance::{self as store_clearance, NewRequest};
use kuajing_store::quota;
use rust_decimal::Decimal;

use kuajing_bonded::stock_holds as bonded_stock;
use kuajing_exchange::authority::{Authority, parties_of_stored};
use kuajing_exchange::documents::order_key;
use kuajing_exchange::receipts_out::{self, Owed, new_guid};
use kuajing_exchange::record::{StoredBill, from_body};
use kuajing_exchange::time_format::{
    china_date, compact_day, last_day_of, return_time, within_days,
};
use kuajing_registry::error::{Error, Result};

/// The receipt status of an accepted request (399 海关审结).
const ACCEPTED: &str = "399";

/// What taking the requests of one message needs.
pub struct Requests<'a> {
    /// Whom the sender may declare for (issue #14 finding 1).
    pub authority: &'a Authority,
    /// The sender.
    pub sender: &'a str,
    /// The message's id.
    pub message_id: &'a str,
    /// A signature failure refusing every request: its code and text.
    pub unsigned: Option<(i32, &'a str)>,
    /// How many days after release a cancellation is accepted.
    pub cancel_after_release: u32,
    /// How many days after release a return is accepted.
    pub return_window: u32,
    /// Whether returned bonded goods wait for inspection.
    pub returns_quarantined: bool,
    /// Now.
    pub now: Timestamp,
}

/// A refusal of one request.
struct Refused {
    code: i32,
    info: String,
}

fn refused(code: i32, zh: &str, en: &str) -> Refused {
    Refused {
        code,
        info: format!("{zh} / {en}"),
    }
}

/// Takes every cancellation of a CEB623; the CEB624 answering it.
pub async fn cancellations(
    conn: &mut Conn,
    requests: &Requests<'_>,
    cancels: &[InvtCancel],
    owed: &mut Vec<Owed>,
) -> Result<Message> {
    let mut returns = Vec::with_capacity(cancels.len());
    for (index, cancel) in cancels.iter().enumerate() {
        let mark = owed.len();
        let outcome = cancel_one(conn, requests, cancel, owed).await?;
        let taken = Taken {
            kind: "cancel",
            index,
            body: kuajing_ceb::entity::entity_to_json(cancel).to_string(),
            outcome: settle_outcome(outcome),
            refund_fen: 0,
            approved: "撤销申请审结通过 / cancellation approved",
        };
        let entity = |list: Option<&Document>, status: &str, info: &str| {
            cancel_return(cancel, list, status, info, requests.now)
        };
        let (now, later) = answer(conn, requests, taken, entity, cancel_receipt).await?;
        owed.splice(mark..mark, later);
        returns.push(now);
    }
    Ok(Message::Ceb624(CEB624Message {
        guid: new_guid(),
        version: "1.0".to_owned(),
        invt_cancel_return: returns,
    }))
}

/// Takes every return of a CEB625; the CEB626 answering it.
pub async fn returns(
    conn: &mut Conn,
    requests: &Requests<'_>,
    refunds: &[InvtRefund],
    owed: &mut Vec<Owed>,
) -> Result<Message> {
    let mut answers = Vec::with_capacity(refunds.len());
    for (index, refund) in refunds.iter().enumerate() {
        let mark = owed.len();
        let outcome = return_one(conn, requests, refund, owed).await?;
        let refund_fen = outcome.as_ref().map_or(0, |(_, fen)| *fen);
        let taken = Taken {
            kind: "return",
            index,
            body: kuajing_ceb::entity::entity_to_json(refund).to_string(),
            outcome: settle_outcome(outcome.map(|(list, _)| list)),
            refund_fen,
            approved: "退货申请审结通过 / return approved",
        };
        let entity = |list: Option<&Document>, status: &str, info: &str| {
            refund_return(refund, list, status, info, requests.now)
        };
        let (now, later) = answer(conn, requests, taken, entity, refund_receipt).await?;
        owed.splice(mark..mark, later);
        answers.push(now);
    }
    Ok(Message::Ceb626(CEB626Message {
        guid: new_guid(),
        version: "1.0".to_owned(),
        invt_refund_return: answers,
    }))
}

/// One request taken: what to keep of it and how it came out.
struct Taken {
    kind: &'static str,
    index: usize,
    body: String,
    /// The list if found, the status, the info.
    outcome: (Option<Document>, String, String),
    refund_fen: i64,
    /// The later receipt's text when accepted.
    approved: &'static str,
}

/// Keeps a request and builds its answers: the synchronous return entity
/// (`2` when accepted, else the refusal's code) and, when accepted, the
/// later receipt at 399 owed to the declarer.
async fn answer<E>(
    conn: &mut Conn,
    requests: &Requests<'_>,
    taken: Taken,
    entity: impl Fn(Option<&Document>, &str, &str) -> E,
    receipt: fn(&Document, E) -> Owed,
) -> Result<(E, Option<Owed>)> {
    let (list, status, info) = &taken.outcome;
    keep(
        conn,
        requests,
        taken.kind,
        list.as_ref(),
        taken.index,
        status,
        taken.refund_fen,
        &taken.body,
    )
    .await?;
    let accepted = status == ACCEPTED;
    let now = entity(list.as_ref(), if accepted { "2" } else { status }, info);
    let later = list
        .as_ref()
        .filter(|_| accepted)
        .map(|list| receipt(list, entity(Some(list), ACCEPTED, taken.approved)));
    Ok((now, later))
}

/// (the list if found, the status, the info) of one request's outcome.
fn settle_outcome(
    outcome: std::result::Result<Document, (Option<Document>, Refused)>,
) -> (Option<Document>, String, String) {
    match outcome {
        Ok(list) => (Some(list), ACCEPTED.to_owned(), String::new()),
        Err((list, refusal)) => (list, refusal.code.to_string(), refusal.info),
    }
}

#[allow(clippy::too_many_arguments)]
async fn keep(
    conn: &mut Conn,
    requests: &Requests<'_>,
    kind: &str,
    list: Option<&Document>,
    index: usize,
    status: &str,
    refund_fen: i64,
    body: &str,
) -> Result<()> {
    let new = NewRequest {
        kind,
        list_id: list.map(|l| l.id.as_str()),
        owner_code: requests.sender,
        message_id: requests.message_id,
        position: i64::try_from(index + 1).unwrap_or(i64::MAX),
        status,
        refund_fen,
        body,
    };
    store_clearance::keep_request(conn, &new, requests.now).await?;
    Ok(())
}

/// The list with this platform, enterprise and order, if there is one the
/// sender may ask about: one it declared, or one naming it as `agentCode`
/// or `ebcCode` (issue #14 finding 1: a delegate that did not declare the
/// list may not cancel or return it).
async fn find_list(
    conn: &mut Conn,
    authority: &Authority,
    ebp_code: &str,
    ebc_code: &str,
    order_no: &str,
) -> Result<Option<Document>> {
    let key = order_key(ebp_code, ebc_code, order_no);
    let Some(list) = store_docs::find_document(conn, Kind::List, &key).await? else {
        return Ok(None);
    };
    let parties = parties_of_stored(Kind::List, &list.body)?;
    let parties: Vec<&str> = parties.iter().map(String::as_str).collect();
    Ok(authority
        .may_change(&list.owner_code, &parties)
        .then_some(list))
}

/// Whether the sender may send a request naming `agent_code` and
/// `ebc_code`: it is one of them or holds a delegation of lists from one.
fn named_for_sender(
    authority: &Authority,
    agent_code: &str,
    ebc_code: &str,
    code: i32,
) -> std::result::Result<(), Refused> {
    authority
        .check(
            Scope::Lists,
            &[("agentCode", agent_code), ("ebcCode", ebc_code)],
        )
        .map_err(|info| Refused { code, info })
}

/// One cancellation: the list cancelled, or why not.
async fn cancel_one(
    conn: &mut Conn,
    requests: &Requests<'_>,
    cancel: &InvtCancel,
    owed: &mut Vec<Owed>,
) -> Result<std::result::Result<Document, (Option<Document>, Refused)>> {
    if let Some((code, info)) = requests.unsigned {
        return Ok(Err((
            None,
            Refused {
                code,
                info: info.to_owned(),
            },
        )));
    }
    if let Err(why) = named_for_sender(
        requests.authority,
        &cancel.agent_code,
        &cancel.ebc_code,
        -623003,
    ) {
        return Ok(Err((None, why)));
    }
    let Some(list) = find_list(
        conn,
        requests.authority,
        &cancel.ebp_code,
        &cancel.ebc_code,
        &cancel.order_no,
    )
    .await?
    .filter(|l| l.invt_no.as_deref().is_none_or(|n| n == cancel.invt_no)) else {
        return Ok(Err((
            None,
            refused(
                -623003,
                "未找到要撤销的清单",
                "no such list of the sender to cancel",
            ),
        )));
    };
    let returned = store_clearance::accepted_requests(conn, &list.id).await?;
    let late = list
        .released_at
        .is_some_and(|at| !within_days(at, requests.cancel_after_release, requests.now));
    if matches!(list.status.as_str(), "100" | "cancelled") || late || !returned.is_empty() {
        let why = refused(
            -623005,
            &format!(
                "清单状态 {} 不允许撤销（已退单、已撤销、已退货或放行超过期限）",
                list.status
            ),
            &format!(
                "a list at status {} cannot be cancelled (refused, cancelled, returned or released too long ago)",
                list.status
            ),
        );
        return Ok(Err((Some(list), why)));
    }
    if quota::find(conn, &list.business_key).await?.is_some() {
        quota::release(conn, &list.business_key, requests.now).await?;
    }
    let inventory: Inventory = from_body(&list.body)?;
    if list.status != "800" {
        // Before release the stock it held is free again; after release
        // the goods have left the book (they come back only as a return).
        bonded_stock::free(conn, &list, &inventory, requests.now).await?;
    }
    store_docs::finish_list(conn, &list.id, "cancelled", None, None, requests.now).await?;
    if list.status == "800" {
        owed.extend(receipts_out::tax_status(
            &list,
            &inventory,
            "01",
            "3",
            requests.now,
        ));
    }
    Ok(Ok(list))
}

/// One return: the list with the value given back to the quota (fen), or
/// why not.
async fn return_one(
    conn: &mut Conn,
    requests: &Requests<'_>,
    refund: &InvtRefund,
    owed: &mut Vec<Owed>,
) -> Result<std::result::Result<(Document, i64), (Option<Document>, Refused)>> {
    let head = &refund.invt_refund_head;
    if let Some((code, info)) = requests.unsigned {
        return Ok(Err((
            None,
            Refused {
                code,
                info: info.to_owned(),
            },
        )));
    }
    if let Err(why) = named_for_sender(
        requests.authority,
        &head.agent_code,
        &head.ebc_code,
        -625001,
    ) {
        return Ok(Err((None, why)));
    }
    let Some(list) = find_list(
        conn,
        requests.authority,
        &head.ebp_code,
        &head.ebc_code,
        &head.order_no,
    )
    .await?
    .filter(|l| l.invt_no.as_deref() == Some(head.invt_no.as_str())) else {
        return Ok(Err((
            None,
            refused(
                -625001,
                "未找到原清单",
                "no released list of the sender with this invtNo",
            ),
        )));
    };
    if let Some(pre_no) = &head.pre_no
        && list.pre_no.as_deref() != Some(pre_no.as_str())
    {
        let why = refused(
            -625008,
            "预录入编号(preNo)应由电子口岸生成",
            "preNo must be the one the platform gave the list",
        );
        return Ok(Err((Some(list), why)));
    }
    let Some(released_at) = list.released_at.filter(|_| list.status == "800") else {
        let why = refused(
            -625001,
            "清单未放行，不能申请退货",
            "the list is not released",
        );
        return Ok(Err((Some(list), why)));
    };
    if !within_days(released_at, requests.return_window, requests.now) {
        let days = requests.return_window;
        let last = compact_day(last_day_of(released_at, days));
        let released_on = compact_day(china_date(released_at));
        let why = refused(
            -625001,
            &format!("已超过放行之日起{days}日的退货申请期限（{released_on}放行，期限至{last}）"),
            &format!(
                "more than {days} days since release (released on {released_on}; the window ended on {last}, China time)"
            ),
        );
        return Ok(Err((Some(list), why)));
    }
    let inventory: Inventory = from_body(&list.body)?;
    let earlier = store_clearance::accepted_requests(conn, &list.id).await?;
    let mut returned = returned_before(&earlier)?;
    for line in &refund.invt_refund_list {
        let Some(original) = inventory
            .inventory_list
            .iter()
            .find(|l| l.gnum == line.gnum)
        else {
            let why = refused(
                -625209,
                &format!("第{}项不在原清单中", line.gnum),
                &format!("line {} is not in the original list", line.gnum),
            );
            return Ok(Err((Some(list), why)));
        };
        let before = returned
            .iter()
            .find(|(g, _)| *g == line.gnum)
            .map_or(Decimal::ZERO, |(_, q)| *q);
        if line.qty <= Decimal::ZERO || before + line.qty > original.qty {
            let why = refused(
                -625001,
                &format!(
                    "第{}项退货数量 {} 超过可退数量 {}",
                    line.gnum,
                    line.qty,
                    original.qty - before
                ),
                &format!(
                    "line {}: returning {} of {} still returnable",
                    line.gnum,
                    line.qty,
                    original.qty - before
                ),
            );
            return Ok(Err((Some(list), why)));
        }
        returned.push((line.gnum, line.qty));
    }
    let bill = bill_of(conn, &list).await?;
    let refund_fen = refund_value(&inventory, &bill, &refund.invt_refund_list)?;
    quota::give_back(conn, &list.business_key, refund_fen, requests.now).await?;
    let lines: Vec<(i64, Decimal)> = refund
        .invt_refund_list
        .iter()
        .map(|l| (l.gnum, l.qty))
        .collect();
    bonded_stock::returned(
        conn,
        &list,
        &inventory,
        &lines,
        requests.sender,
        requests.returns_quarantined,
        requests.now,
    )
    .await?;
    let sequence = earlier.iter().filter(|r| r.kind == "return").count() + 1;
    owed.extend(receipts_out::tax_status(
        &list,
        &inventory,
        &format!("{sequence:02}"),
        "3",
        requests.now,
    ));
    let remaining = remaining_bill(&inventory, &bill, &returned);
    if remaining.total > Decimal::ZERO {
        owed.extend(receipts_out::tax_bill_numbered(
            &list,
            &inventory,
            &remaining,
            &format!("{:02}", sequence + 1),
            requests.now,
        ));
    }
    Ok(Ok((list, refund_fen)))
}

/// The quantities returned by the accepted returns before, per line.
fn returned_before(earlier: &[store_clearance::StoredRequest]) -> Result<Vec<(i64, Decimal)>> {
    let mut returned: Vec<(i64, Decimal)> = Vec::new();
    for request in earlier.iter().filter(|r| r.kind == "return") {
        let refund: InvtRefund = from_body(&request.body)?;
        for line in refund.invt_refund_list {
            match returned.iter_mut().find(|(g, _)| *g == line.gnum) {
                Some((_, qty)) => *qty += line.qty,
                None => returned.push((line.gnum, line.qty)),
            }
        }
    }
    Ok(returned)
}

/// The tax bill the list was released with.
async fn bill_of(conn: &mut Conn, list: &Document) -> Result<StoredBill> {
    let decisions = store_clearance::decisions_of(conn, &list.id).await?;
    let text = decisions
        .iter()
        .rev()
        .find_map(|d| d.tax_bill.as_deref())
        .ok_or_else(|| Error::Internal("a released list has no tax bill".to_owned()))?;
    serde_json::from_str(text)
        .map_err(|e| Error::Internal(format!("kept tax bill does not read: {e}")))
}

/// The returned lines' share of the dutiable value (each line's dutiable
/// value × returned / declared quantity, to the fen half up), fen.
fn refund_value(
    list: &Inventory,
    bill: &StoredBill,
    lines: &[kuajing_ceb::model::import::InvtRefundList],
) -> Result<i64> {
    let mut total = Decimal::ZERO;
    for line in lines {
        let original = list.inventory_list.iter().find(|l| l.gnum == line.gnum);
        let taxed = bill.lines.iter().find(|l| i64::from(l.gnum) == line.gnum);
        if let (Some(original), Some(taxed)) = (original, taxed)
            && original.qty > Decimal::ZERO
        {
            total += round_to_fen(taxed.dutiable_value * line.qty / original.qty);
        }
    }
    to_fen(total).ok_or_else(|| Error::Internal("refund out of range".to_owned()))
}

/// The bill for what stays after the returns: each line's amounts scaled by
/// the share kept, each rounded half up to the fen; totals the sums.
fn remaining_bill(list: &Inventory, bill: &StoredBill, returned: &[(i64, Decimal)]) -> StoredBill {
    let mut remaining = bill.clone();
    for line in &mut remaining.lines {
        let original = list
            .inventory_list
            .iter()
            .find(|l| l.gnum == i64::from(line.gnum))
            .map_or(Decimal::ONE, |l| l.qty);
        let gone = returned
            .iter()
            .filter(|(g, _)| *g == i64::from(line.gnum))
            .map(|(_, q)| *q)
            .sum::<Decimal>();
        if original <= Decimal::ZERO {
            continue;
        }
        let kept = (original - gone).max(Decimal::ZERO) / original;
        line.dutiable_value = round_to_fen(line.dutiable_value * kept);
        line.duty = round_to_fen(line.duty * kept);
        line.consumption = round_to_fen(line.consumption * kept);
        line.vat = round_to_fen(line.vat * kept);
    }
    remaining.dutiable_value = remaining.lines.iter().map(|l| l.dutiable_value).sum();
    remaining.duty = remaining.lines.iter().map(|l| l.duty).sum();
    remaining.consumption = remaining.lines.iter().map(|l| l.consumption).sum();
    remaining.vat = remaining.lines.iter().map(|l| l.vat).sum();
    remaining.total = remaining.duty + remaining.consumption + remaining.vat;
    remaining
}

fn cancel_return(
    cancel: &InvtCancel,
    list: Option<&Document>,
    status: &str,
    info: &str,
    now: Timestamp,
) -> InvtCancelReturn {
    InvtCancelReturn {
        guid: cancel.guid.clone(),
        customs_code: Some(cancel.customs_code.clone()),
        agent_code: Some(cancel.agent_code.clone()),
        ebp_code: Some(cancel.ebp_code.clone()),
        ebc_code: Some(cancel.ebc_code.clone()),
        cop_no: cancel.cop_no.clone().unwrap_or_default(),
        pre_no: list.and_then(|l| l.pre_no.clone()).unwrap_or_default(),
        invt_no: Some(cancel.invt_no.clone()),
        return_status: status.to_owned(),
        return_time: return_time(now),
        return_info: info_or_status(info, status),
    }
}

fn refund_return(
    refund: &InvtRefund,
    list: Option<&Document>,
    status: &str,
    info: &str,
    now: Timestamp,
) -> InvtRefundReturn {
    let head = &refund.invt_refund_head;
    InvtRefundReturn {
        guid: head.guid.clone(),
        customs_code: Some(head.customs_code.clone()),
        agent_code: Some(head.agent_code.clone()),
        ebp_code: Some(head.ebp_code.clone()),
        ebc_code: Some(head.ebc_code.clone()),
        cop_no: head.cop_no.clone().unwrap_or_default(),
        pre_no: list.and_then(|l| l.pre_no.clone()).unwrap_or_default(),
        invt_no: Some(head.invt_no.clone()),
        return_status: status.to_owned(),
        return_time: return_time(now),
        return_info: info_or_status(info, status),
    }
}

/// returnInfo is 1..1000 characters: the reason, or the status's meaning.
fn info_or_status(info: &str, status: &str) -> String {
    if !info.trim().is_empty() {
        return info.chars().take(1000).collect();
    }
    match status {
        ACCEPTED => "海关审结".to_owned(),
        _ => "电子口岸申报中".to_owned(),
    }
}

fn cancel_receipt(list: &Document, entity: InvtCancelReturn) -> Owed {
    let message = Message::Ceb624(CEB624Message {
        guid: new_guid(),
        version: "1.0".to_owned(),
        invt_cancel_return: vec![entity],
    });
    receipts_out::owed(list, "CEB624", &message)
}

fn refund_receipt(list: &Document, entity: InvtRefundReturn) -> Owed {
    let message = Message::Ceb626(CEB626Message {
        guid: new_guid(),
        version: "1.0".to_owned(),
        invt_refund_return: vec![entity],
    });
    receipts_out::owed(list, "CEB626", &message)
}
