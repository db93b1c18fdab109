//! Export returns (出口退货, issue #7; policy-rules.md §7.2; ceb-messages.md
//! §1.2, §2.6): the return request (CEB213 退货申请单, from the export
//! list's declarer, answered CEB214) and the return tally detail (CEB215
//! 理货明细单, from the supervised site's operator, answered CEB216).
//!
//! A request is accepted (CEB214 120 海关入库, with the preNo the platform
//! gives it) when it names (`invtNo`) a released or exited export list the
//! sender declared, within [`ClearanceSettings::export_return_months`]
//! calendar months of its release (policy-rules.md §7.2: "returned … within
//! 6 months of export"; counted on China dates: the release date plus the
//! months, the day clamped to the month's end, is the last day), and each
//! line is a line (`gnum`) of the original list with the same goods code
//! and a positive quantity not above what was declared less what earlier
//! returns brought back (as the import return CEB625: ceb-messages.md §3.2
//! "`qty` ≤ original quantity"). The XSD says `ieFlag` I for export returns.
//!
//! The tax consequence is recorded with every accepted request
//! ([`tax_consequence`]): import duty, import VAT and consumption tax
//! exempt and the export duty refunded (`exempt`) for non-food goods
//! exported in a period a return policy covers
//! (`ClearanceSettings::export_return_policies`, by default 财政部 海关总署
//! 税务总局公告2026年第16号 for exports 2026‑01‑01 … 2027‑12‑31 and
//! 财关税〔2023〕4号 for the earlier period, taken here as 2023‑01‑30 …
//! 2025‑12‑31: [`ReturnPolicy::published`]); `taxable`
//! otherwise, with the reason: food (HS chapters 01–24) is excluded, or no
//! return policy was in force. The export date is the list's release date
//! (China time).
//!
//! A tally detail is accepted (CEB216 120) when it names (`coElNo`, with
//! its `logisticsNo`, and `invtNo` if given) a return still `requested`:
//! the goods are back and the return becomes `tallied`.
//!
//! Codes: the official table 7-2 names none for CEB213 or CEB215. Numbered
//! after the message as the entry list's range is (see `export_exits`),
//! this platform uses, all inferred: -213001 a rule broken (named),
//! -213003 the list not found or not the sender's, -213005 the list not
//! released or released more than the window ago, -213009 a line not in
//! the original list or returned beyond what was declared, -213010 the
//! sender's coElNo taken; -215001 a rule broken, -215003 no such return,
//! -215005 the return tallied already.
//!
//! [`ClearanceSettings::export_return_months`]: kuajing_exchange::ClearanceSettings::export_return_months

use kuajing_ceb::Message;
use kuajing_ceb::model::export::{
    CEB214Message, CEB216Message, Inventory, InvtRefund, InvtRefundDetail, InvtRefundDetailReturn,
    RefundReturn,
};
use kuajing_clearance::receipts::Status;
use kuajing_store::Conn;
use kuajing_store::ceb_documents::{self as store_docs, Document, Kind};
use kuajing_store::export_returns::{self as store_returns, NewReturn, REQUESTED, ReturnLine};
use rust_decimal::Decimal;

use crate::decision::RELEASED;
use crate::exits::Received;
use kuajing_clearance::export_return::{last_return_day, tax_consequence};
use kuajing_exchange::ClearanceSettings;
use kuajing_exchange::authority::parties_of_stored;
use kuajing_exchange::receipts_out::new_guid;
use kuajing_exchange::record::{from_body, pre_numbers};
use kuajing_exchange::time_format::return_time;
use kuajing_registry::error::Result;

/// What became of one request or tally detail.
struct Outcome {
    status: Status,
    info: String,
    pre_no: String,
}

fn refused(code: i32, info: String) -> Outcome {
    Outcome {
        status: Status::Error(code),
        info,
        pre_no: String::new(),
    }
}

/// Takes every return request of a CEB213; the CEB214 answering it.
pub async fn requests(
    conn: &mut Conn,
    received: &Received<'_>,
    refunds: &[InvtRefund],
    settings: &ClearanceSettings,
) -> Result<Message> {
    let mut answers = Vec::with_capacity(refunds.len());
    for (index, refund) in refunds.iter().enumerate() {
        let outcome = match received.refused.get(index).cloned().flatten() {
            Some((code, info)) => refused(code, info),
            None => request_one(conn, received, refund, settings).await?,
        };
        let h = &refund.invt_refund_head;
        answers.push(RefundReturn {
            guid: h.guid.clone(),
            ebp_code: Some(h.ebp_code.clone()),
            ebc_code: Some(h.ebc_code.clone()),
            agent_code: h.agent_code.clone(),
            co_el_no: h.co_el_no.clone(),
            pre_no: (!outcome.pre_no.is_empty()).then(|| outcome.pre_no.clone()),
            invt_no: h.invt_no.clone(),
            return_status: outcome.status.code(),
            return_time: return_time(received.now),
            return_info: outcome.info,
        });
    }
    Ok(Message::Ceb214(CEB214Message {
        guid: new_guid(),
        version: "1.0".to_owned(),
        refund_return: answers,
    }))
}

/// One return request: kept (120), a draft (1), or why not.
async fn request_one(
    conn: &mut Conn,
    received: &Received<'_>,
    refund: &InvtRefund,
    settings: &ClearanceSettings,
) -> Result<Outcome> {
    let months = settings.export_return_months;
    let h = &refund.invt_refund_head;
    let sender = received.sender;
    if h.app_type != "1" {
        let app = &h.app_type;
        return Ok(refused(
            -213001,
            format!(
                "appType {app} 不受理：退货申请不变更、不删除，请重新申报 / appType {app} is not accepted: a return request is not changed or deleted; send a new one"
            ),
        ));
    }
    if h.ie_flag != "I" {
        let flag = &h.ie_flag;
        return Ok(refused(
            -213001,
            format!(
                "ieFlag {flag} 不符：出口退货填写I / ieFlag {flag} is wrong: an export return says I"
            ),
        ));
    }
    if h.app_status == "1" {
        return Ok(Outcome {
            status: Status::Draft,
            info: String::new(),
            pre_no: String::new(),
        });
    }
    let co_el_no = &h.co_el_no;
    if store_returns::co_el_no_taken(conn, sender, co_el_no).await? {
        return Ok(taken(co_el_no));
    }
    let invt_no = &h.invt_no;
    let found = store_docs::find_by_invt_no(conn, Kind::ExportList, invt_no).await?;
    let Some(list) = may_ask_about(received, found)? else {
        return Ok(refused(
            -213003,
            format!(
                "未找到发送企业申报或列明的出口清单 invtNo {invt_no} / invtNo {invt_no}: no export list the sender declared or is named in"
            ),
        ));
    };
    let Some(released_at) = list
        .released_at
        .filter(|_| RELEASED.contains(&list.status.as_str()))
    else {
        let status = &list.status;
        return Ok(refused(
            -213005,
            format!(
                "出口清单 {invt_no} 当前状态 {status} 未放行，不能申请退货 / export list {invt_no} at status {status} is not released"
            ),
        ));
    };
    let released_on = released_at.in_china().date();
    let last = last_return_day(released_on, months);
    if received.now.in_china().date() > last {
        return Ok(refused(
            -213005,
            format!(
                "出口清单 {invt_no} 于 {released_on} 放行，退货申请期限（{months}个月）已于 {last} 届满 / export list {invt_no} was released on {released_on}: the {months}-month return window ended on {last} (policy-rules.md §7.2)"
            ),
        ));
    }
    let inventory: Inventory = from_body(&list.body)?;
    let mut returned: Vec<(i64, Decimal)> = Vec::new();
    for (gnum, qty) in store_returns::returned_lines(conn, &list.id).await? {
        let qty: Decimal = qty.parse().map_err(|_| {
            kuajing_registry::error::Error::Internal(format!(
                "kept return quantity {qty} does not read"
            ))
        })?;
        add(&mut returned, gnum, qty);
    }
    if refund.invt_refund_list.is_empty() {
        return Ok(refused(
            -213009,
            "未列明退货商品 / the request names no line".to_owned(),
        ));
    }
    let mut lines = Vec::with_capacity(refund.invt_refund_list.len());
    for line in &refund.invt_refund_list {
        let gnum = line.gnum;
        let Some(original) = inventory.inventory_list.iter().find(|l| l.gnum == gnum) else {
            return Ok(refused(
                -213009,
                format!(
                    "gnum {gnum} 不是原出口清单 {invt_no} 的商品项 / gnum {gnum} is not a line of export list {invt_no}"
                ),
            ));
        };
        if line.gcode != original.gcode {
            let (sent, declared) = (&line.gcode, &original.gcode);
            return Ok(refused(
                -213009,
                format!(
                    "第{gnum}项 gcode {sent} 与原清单 {declared} 不一致 / line {gnum}: gcode {sent} is not the list's {declared}"
                ),
            ));
        }
        let before = returned
            .iter()
            .find(|(g, _)| *g == gnum)
            .map_or(Decimal::ZERO, |(_, q)| *q);
        let left = original.qty - before;
        if line.qty <= Decimal::ZERO || line.qty > left {
            let qty = line.qty;
            return Ok(refused(
                -213009,
                format!(
                    "第{gnum}项退货数量 qty {qty} 超过可退数量 {left}（申报 {declared}，已退 {before}） / line {gnum}: qty {qty} is more than the {left} still returnable ({declared} declared, {before} returned)",
                    declared = original.qty
                ),
            ));
        }
        add(&mut returned, gnum, line.qty);
        lines.push(ReturnLine {
            gnum,
            gcode: original.gcode.clone(),
            gname: original.gname.clone(),
            qty: line.qty.normalize().to_string(),
            unit: original.unit.clone(),
        });
    }
    let gcodes: Vec<&str> = lines.iter().map(|l| l.gcode.as_str()).collect();
    let consequence = tax_consequence(released_on, &gcodes, &settings.export_return_policies);
    let pre_no = pre_numbers(conn, received.now, 1)
        .await?
        .pop()
        .unwrap_or_default();
    let new = NewReturn {
        sender_code: sender,
        co_el_no,
        pre_no: &pre_no,
        document_id: &list.id,
        invt_no,
        ebc_code: &h.ebc_code,
        trade_mode: &inventory.inventory_head.trade_mode,
        logistics_no: &h.logistics_no,
        released_at,
        reason: &h.reason,
        tax: consequence.tax,
        tax_basis: &consequence.basis,
        message_id: received.message_id,
        lines: &lines,
    };
    if store_returns::keep(conn, &new, received.now)
        .await?
        .is_none()
    {
        return Ok(taken(co_el_no));
    }
    Ok(Outcome {
        status: Status::Stored,
        info: format!(
            "退货申请已受理（{}） / return request accepted ({}): {}",
            if consequence.tax == "exempt" {
                "免税"
            } else {
                "征税"
            },
            consequence.tax,
            consequence.basis
        ),
        pre_no,
    })
}

fn taken(co_el_no: &str) -> Outcome {
    refused(
        -213010,
        format!(
            "已存在相同编号 coElNo {co_el_no} 的退货申请 / a return request numbered coElNo {co_el_no} exists"
        ),
    )
}

fn add(returned: &mut Vec<(i64, Decimal)>, gnum: i64, qty: Decimal) {
    match returned.iter_mut().find(|(g, _)| *g == gnum) {
        Some((_, q)) => *q += qty,
        None => returned.push((gnum, qty)),
    }
}

/// Takes every tally detail of a CEB215; the CEB216 answering it.
pub async fn tallies(
    conn: &mut Conn,
    received: &Received<'_>,
    details: &[InvtRefundDetail],
) -> Result<Message> {
    let mut answers = Vec::with_capacity(details.len());
    for (index, detail) in details.iter().enumerate() {
        let outcome = match received.refused.get(index).cloned().flatten() {
            Some((code, info)) => refused(code, info),
            None => tally_one(conn, received, detail).await?,
        };
        answers.push(InvtRefundDetailReturn {
            guid: detail.guid.clone(),
            operator_code: detail.operator_code.clone(),
            logistics_code: detail.logistics_code.clone(),
            logistics_no: detail.logistics_no.clone(),
            co_el_no: detail.co_el_no.clone(),
            pre_no: (!outcome.pre_no.is_empty()).then(|| outcome.pre_no.clone()),
            return_status: outcome.status.code(),
            return_time: return_time(received.now),
            return_info: outcome.info,
        });
    }
    Ok(Message::Ceb216(CEB216Message {
        guid: new_guid(),
        version: "1.0".to_owned(),
        invt_refund_detail_return: answers,
    }))
}

/// `list` if the sender may ask about it: it declared it or is named in
/// it as `agentCode` or `ebcCode` (issue #14 finding 1).
fn may_ask_about(received: &Received<'_>, list: Option<Document>) -> Result<Option<Document>> {
    let Some(list) = list else {
        return Ok(None);
    };
    let parties = parties_of_stored(Kind::ExportList, &list.body)?;
    let parties: Vec<&str> = parties.iter().map(String::as_str).collect();
    Ok(received
        .authority
        .may_change(&list.owner_code, &parties)
        .then_some(list))
}

/// One tally detail: the return tallied (120), a draft (1), or why not.
async fn tally_one(
    conn: &mut Conn,
    received: &Received<'_>,
    detail: &InvtRefundDetail,
) -> Result<Outcome> {
    if detail.app_type != "1" {
        let app = &detail.app_type;
        return Ok(refused(
            -215001,
            format!(
                "appType {app} 不受理：理货明细单不变更、不删除 / appType {app} is not accepted: a tally detail is not changed or deleted"
            ),
        ));
    }
    if detail.ie_flag != "I" {
        let flag = &detail.ie_flag;
        return Ok(refused(
            -215001,
            format!(
                "ieFlag {flag} 不符：出口退货填写I / ieFlag {flag} is wrong: an export return says I"
            ),
        ));
    }
    if detail.app_status == "1" {
        return Ok(Outcome {
            status: Status::Draft,
            info: String::new(),
            pre_no: String::new(),
        });
    }
    let co_el_no = &detail.co_el_no;
    let logistics_no = &detail.logistics_no;
    let found = store_returns::by_co_el_no(conn, co_el_no)
        .await?
        .into_iter()
        .filter(|r| &r.logistics_no == logistics_no)
        .find(|r| detail.invt_no.as_ref().is_none_or(|n| *n == r.invt_no));
    let Some(found) = found else {
        return Ok(refused(
            -215003,
            format!(
                "未找到退货申请 coElNo {co_el_no}（logisticsNo {logistics_no}） / no return request coElNo {co_el_no} with logisticsNo {logistics_no}"
            ),
        ));
    };
    let pre_no = found.pre_no.clone();
    if found.state != REQUESTED
        || !store_returns::mark_tallied(
            conn,
            &found.id,
            received.sender,
            detail.location.as_deref(),
            received.message_id,
            received.now,
        )
        .await?
    {
        return Ok(Outcome {
            pre_no,
            ..refused(
                -215005,
                format!(
                    "退货申请 coElNo {co_el_no} 已理货 / return request coElNo {co_el_no} is tallied already"
                ),
            )
        });
    }
    Ok(Outcome {
        status: Status::Stored,
        info: format!(
            "退货商品已理货入场（清单 {invt}） / the returned goods are tallied in (list {invt})",
            invt = found.invt_no
        ),
        pre_no,
    })
}
