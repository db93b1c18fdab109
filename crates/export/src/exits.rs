//! How export parcels leave (issue #7; ceb-messages.md §1.2, §2.6): the
//! arrival at the supervised site (CEB507 运抵单, from the site's operator,
//! answered CEB508), the departure (CEB509 离境单, from the logistics
//! enterprise, CEB510), the master/sub-waybill list (CEB607 清单总分单,
//! from the declarer, CEB608) and the cancellation of an export list
//! (CEB605, CEB606).
//!
//! A manifest is kept when every waybill it names is known — an export
//! waybill (CEB505) or the waybill of an export list (a 9710/9810 list may
//! travel without a CEB505) — and answered 120 (海关入库) with the preNo
//! the platform gives it; a draft (`appStatus` 1) is answered 1 and not
//! kept. A released list whose waybill both an arrival and a departure
//! have named becomes `exited` and its declarer receives CEB604 899 (结关);
//! a list released after its goods went out exits on release
//! (`exports`).
//!
//! Codes: the official table 7-2 names none for these messages. As the
//! entry list's range (-800000 … -800006, -800003 "already exists") is
//! numbered after its message, this platform uses -507000/-509000/-607000
//! (a rule broken), -507001/-509001/-607001 (a waybill not known, named)
//! and -507003/-509003/-607003 (the sender's copNo taken); a cancellation
//! takes the import cancellation's numbers in the 605 range: -605003 list
//! not found, -605005 state does not allow it. All inferred, documented in
//! docs/architecture.md.

use std::collections::{HashMap, HashSet};

use kuajing_ceb::Message;
use kuajing_ceb::model::export::{Arrival, Departure, Inventory, InvtCancel, WayBill};
use kuajing_clearance::export_receipts::{
    arrival_return, cancel_return, ceb508, ceb510, ceb606, ceb608, departure_return,
    way_bill_return,
};
use kuajing_clearance::receipts::{Answer, Status};
use kuajing_core::timestamp::Timestamp;
use kuajing_store::Conn;
use kuajing_store::ceb_documents::{self as store_docs, Document, Kind};
use kuajing_store::export_manifests::{self, ManifestKind, NamedWaybill, NewManifest};

use crate::decision::{EXITED, mark_exited};
use kuajing_exchange::authority::{Authority, parties_of_stored};
use kuajing_exchange::documents::waybill_key;
use kuajing_exchange::receipts_out::{Owed, new_guid};
use kuajing_exchange::record::{from_body, pre_numbers};
use kuajing_exchange::time_format::{return_time, within_days};
use kuajing_registry::error::Result;

/// What the intake knows about the message the manifests came in.
pub struct Received<'a> {
    /// Whom the sender may declare for and which kept documents it may
    /// change (issue #14 finding 1); a head naming another party is refused
    /// through `refused` before it is looked at.
    pub authority: &'a Authority,
    /// The sender (`BaseTransfer/copCode`).
    pub sender: &'a str,
    /// The kept message's id.
    pub message_id: &'a str,
    /// Why every head is refused before it is looked at (the sender may
    /// not declare for the party it names, business-rule issues of the head
    /// at that position), as code and text, per head.
    pub refused: Vec<Option<(i32, String)>>,
    /// Now.
    pub now: Timestamp,
}

impl Received<'_> {
    fn refusal(&self, index: usize) -> Option<(i32, String)> {
        self.refused.get(index).cloned().flatten()
    }
}

/// A manifest's head as the rules see it, whatever its message.
struct Head<'a> {
    kind: ManifestKind,
    /// The code of the range its refusals take (507, 509, 607).
    range: i32,
    app: (&'a str, &'a str),
    cop_no: &'a str,
    customs_code: &'a str,
    logistics_code: &'a str,
    bill_no: Option<&'a str>,
    traf_mode: &'a str,
    traf_name: Option<&'a str>,
    voyage_no: Option<&'a str>,
    leave_time: Option<&'a str>,
    /// (gnum, logisticsNo, invtNo) of each line.
    lines: Vec<(i64, &'a str, Option<&'a str>)>,
}

/// What became of one manifest: its status code and text, and its preNo.
struct Outcome {
    status: Status,
    info: String,
    pre_no: String,
}

/// Takes the arrivals of a CEB507; the CEB508 answering it.
pub async fn arrivals(
    conn: &mut Conn,
    received: &Received<'_>,
    arrivals: &[Arrival],
    owed: &mut Vec<Owed>,
) -> Result<Message> {
    let returns = take_each(
        conn,
        received,
        arrivals,
        arrival_head,
        owed,
        |a, pre_no, answer| arrival_return(&a.arrival_head, pre_no, answer),
    )
    .await?;
    Ok(Message::Ceb508(ceb508(&new_guid(), returns)))
}

/// Takes the departures of a CEB509; the CEB510 answering it.
pub async fn departures(
    conn: &mut Conn,
    received: &Received<'_>,
    departures: &[Departure],
    owed: &mut Vec<Owed>,
) -> Result<Message> {
    let returns = take_each(
        conn,
        received,
        departures,
        departure_head,
        owed,
        |d, pre_no, answer| departure_return(&d.departure_head, pre_no, answer),
    )
    .await?;
    Ok(Message::Ceb510(ceb510(&new_guid(), returns)))
}

/// Takes the master/sub-waybill lists of a CEB607; the CEB608 answering
/// it.
pub async fn bills(
    conn: &mut Conn,
    received: &Received<'_>,
    bills: &[WayBill],
    owed: &mut Vec<Owed>,
) -> Result<Message> {
    let returns = take_each(
        conn,
        received,
        bills,
        bill_head,
        owed,
        |b, pre_no, answer| way_bill_return(&b.way_bill_head, pre_no, answer),
    )
    .await?;
    Ok(Message::Ceb608(ceb608(&new_guid(), returns)))
}

/// Takes each manifest of a message in order (`head_of` reads its head
/// and lines), answering each with the return entity `return_of` makes.
async fn take_each<'m, T, R>(
    conn: &mut Conn,
    received: &Received<'_>,
    manifests: &'m [T],
    head_of: fn(&'m T) -> Head<'m>,
    owed: &mut Vec<Owed>,
    return_of: fn(&'m T, &str, &Answer) -> R,
) -> Result<Vec<R>> {
    let mut returns = Vec::with_capacity(manifests.len());
    for (index, manifest) in manifests.iter().enumerate() {
        let outcome = take(conn, received, index, &head_of(manifest), owed).await?;
        let answer = answer(&outcome, received.now);
        returns.push(return_of(manifest, &outcome.pre_no, &answer));
    }
    Ok(returns)
}

/// An arrival's head: the site operator reports it.
fn arrival_head(arrival: &Arrival) -> Head<'_> {
    let h = &arrival.arrival_head;
    Head {
        kind: ManifestKind::Arrival,
        range: 507,
        app: (&h.app_type, &h.app_status),
        cop_no: &h.cop_no,
        customs_code: &h.customs_code,
        logistics_code: &h.logistics_code,
        bill_no: h.bill_no.as_deref(),
        traf_mode: &h.traf_mode,
        traf_name: None,
        voyage_no: None,
        leave_time: None,
        lines: arrival
            .arrival_list
            .iter()
            .map(|l| (l.gnum, l.logistics_no.as_str(), None))
            .collect(),
    }
}

/// A departure's head: the logistics enterprise reports it.
fn departure_head(departure: &Departure) -> Head<'_> {
    let h = &departure.departure_head;
    Head {
        kind: ManifestKind::Departure,
        range: 509,
        app: (&h.app_type, &h.app_status),
        cop_no: &h.cop_no,
        customs_code: &h.customs_code,
        logistics_code: &h.logistics_code,
        bill_no: h.bill_no.as_deref(),
        traf_mode: &h.traf_mode,
        traf_name: h.traf_name.as_deref(),
        voyage_no: h.voyage_no.as_deref(),
        leave_time: Some(&h.leave_time),
        lines: departure
            .departure_list
            .iter()
            .map(|l| (l.gnum, l.logistics_no.as_str(), None))
            .collect(),
    }
}

/// A master/sub-waybill list's head: the declarer sends it.
fn bill_head(bill: &WayBill) -> Head<'_> {
    let h = &bill.way_bill_head;
    Head {
        kind: ManifestKind::Bill,
        range: 607,
        app: (&h.app_type, &h.app_status),
        cop_no: &h.cop_no,
        customs_code: &h.customs_code,
        logistics_code: &h.logistics_code,
        bill_no: Some(&h.bill_no),
        traf_mode: &h.traf_mode,
        traf_name: Some(&h.traf_name),
        voyage_no: Some(&h.voyage_no),
        leave_time: None,
        lines: bill
            .way_bill_list
            .iter()
            .map(|l| (l.gnum, l.logistics_no.as_str(), l.invt_no.as_deref()))
            .collect(),
    }
}

fn answer(outcome: &Outcome, now: Timestamp) -> Answer {
    Answer {
        status: outcome.status,
        time: return_time(now),
        info: outcome.info.clone(),
    }
}

fn refused(code: i32, info: String) -> Outcome {
    Outcome {
        status: Status::Error(code),
        info,
        pre_no: String::new(),
    }
}

/// One manifest: kept (and the lists it sees out exited), or why not.
async fn take(
    conn: &mut Conn,
    received: &Received<'_>,
    index: usize,
    head: &Head<'_>,
    owed: &mut Vec<Owed>,
) -> Result<Outcome> {
    let invalid = -(head.range * 1000);
    if let Some((code, info)) = received.refusal(index) {
        return Ok(refused(code, info));
    }
    if head.app.0 != "1" {
        return Ok(refused(
            invalid,
            format!(
                "appType {} 不受理：已申报的单据不变更、不删除，错误的请重新申报 / appType {} is not accepted: a manifest is not changed or deleted; send a new one",
                head.app.0, head.app.0
            ),
        ));
    }
    if head.app.1 == "1" {
        return Ok(Outcome {
            status: Status::Draft,
            info: String::new(),
            pre_no: String::new(),
        });
    }
    if head.lines.is_empty() {
        return Ok(refused(
            invalid,
            "未列明任何运单 / the manifest names no waybill".to_owned(),
        ));
    }
    let waybills = match known_waybills(conn, head).await? {
        Ok(waybills) => waybills,
        Err(outcome) => return Ok(outcome),
    };
    let pre_no = pre_numbers(conn, received.now, 1)
        .await?
        .pop()
        .unwrap_or_default();
    let manifest = NewManifest {
        kind: head.kind,
        sender_code: received.sender,
        cop_no: head.cop_no,
        pre_no: &pre_no,
        customs_code: head.customs_code,
        logistics_code: head.logistics_code,
        bill_no: head.bill_no,
        traf_mode: head.traf_mode,
        traf_name: head.traf_name,
        voyage_no: head.voyage_no,
        leave_time: head.leave_time,
        message_id: received.message_id,
    };
    if export_manifests::keep(conn, &manifest, &waybills, received.now)
        .await?
        .is_none()
    {
        let cop_no = head.cop_no;
        return Ok(refused(
            invalid - 3,
            format!("已存在相同编号的单据 {cop_no} / a manifest numbered {cop_no} exists"),
        ));
    }
    let exited = see_out(conn, received.now, &waybills, owed).await?;
    let info = if exited == 0 {
        String::new()
    } else {
        format!("{exited} 票清单已离境结关 / {exited} list(s) exited")
    };
    Ok(Outcome {
        status: Status::Stored,
        info,
        pre_no,
    })
}

/// The manifest's waybills, each known (an export waybill or an export
/// list's waybill; a list number given must be that waybill's list); or
/// the refusal naming those that are not.
async fn known_waybills(
    conn: &mut Conn,
    head: &Head<'_>,
) -> Result<std::result::Result<Vec<NamedWaybill>, Outcome>> {
    let known = Known::look_up(conn, head).await?;
    let mut named: Vec<NamedWaybill> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    for &(gnum, logistics_no, invt_no) in &head.lines {
        let key = waybill_key(head.logistics_code, logistics_no);
        if named.iter().any(|n| n.waybill_key == key) {
            continue;
        }
        let known = match invt_no {
            Some(invt_no) => known.list_of(invt_no) == Some(key.as_str()),
            None => known.waybills.contains(&key) || known.listed.contains(&key),
        };
        if known {
            named.push(NamedWaybill {
                gnum,
                waybill_key: key,
                invt_no: invt_no.map(str::to_owned),
            });
        } else {
            unknown.push(match invt_no {
                Some(invt_no) => format!("{logistics_no} ({invt_no})"),
                None => logistics_no.to_owned(),
            });
        }
    }
    if unknown.is_empty() {
        return Ok(Ok(named));
    }
    let names = unknown.join(", ");
    Ok(Err(refused(
        -(head.range * 1000) - 1,
        format!(
            "以下运单未申报或与清单不符：{names} / these waybills are not declared or do not match their list: {names}"
        ),
    )))
}

/// What a manifest's lines need looked up, read in three statements (per
/// chunk of keys) for all its lines at once (issue #16) rather than two a
/// line.
struct Known {
    /// Keys of the export waybills on file.
    waybills: HashSet<String>,
    /// The waybill key of each named export list (`invtNo` → key).
    lists: HashMap<String, Option<String>>,
    /// Keys of the waybills a live export list carries.
    listed: HashSet<String>,
}

impl Known {
    async fn look_up(conn: &mut Conn, head: &Head<'_>) -> Result<Known> {
        let mut keys = Vec::new();
        let mut unnumbered = Vec::new();
        let mut invt_nos = Vec::new();
        for &(_, logistics_no, invt_no) in &head.lines {
            let key = waybill_key(head.logistics_code, logistics_no);
            match invt_no {
                Some(invt_no) => invt_nos.push(invt_no),
                None => unnumbered.push(key.clone()),
            }
            keys.push(key);
        }
        let waybills = store_docs::find_documents(conn, Kind::ExportWaybill, &as_strs(&keys))
            .await?
            .into_iter()
            .map(|waybill| waybill.business_key)
            .collect();
        let lists = store_docs::find_by_invt_nos(conn, Kind::ExportList, &invt_nos)
            .await?
            .into_iter()
            .filter_map(|list| {
                list.invt_no
                    .clone()
                    .map(|invt_no| (invt_no, list.waybill_key))
            })
            .collect();
        let listed = if unnumbered.is_empty() {
            HashSet::new()
        } else {
            store_docs::export_lists_of_waybills(
                conn,
                &as_strs(&unnumbered),
                &["2", "120", "300", "399", "800", EXITED],
            )
            .await?
            .into_iter()
            .filter_map(|list| list.waybill_key)
            .collect()
        };
        Ok(Known {
            waybills,
            lists,
            listed,
        })
    }

    /// The waybill key of export list `invt_no`, if it is on file.
    fn list_of(&self, invt_no: &str) -> Option<&str> {
        self.lists.get(invt_no).and_then(|key| key.as_deref())
    }
}

/// The strings of `values` borrowed, for a statement's list.
fn as_strs(values: &[String]) -> Vec<&str> {
    values.iter().map(String::as_str).collect()
}

/// Exits every released list whose waybill, among `waybills`, both an
/// arrival and a departure have now named; how many.
async fn see_out(
    conn: &mut Conn,
    now: Timestamp,
    waybills: &[NamedWaybill],
    owed: &mut Vec<Owed>,
) -> Result<usize> {
    let keys: Vec<&str> = waybills.iter().map(|w| w.waybill_key.as_str()).collect();
    let states = export_manifests::exit_states(conn, &keys).await?;
    let out: Vec<&str> = states
        .iter()
        .filter(|s| s.exited())
        .map(|s| s.waybill_key.as_str())
        .collect();
    if out.is_empty() {
        return Ok(0);
    }
    let lists = store_docs::export_lists_of_waybills(conn, &out, &["800"]).await?;
    for list in &lists {
        let inventory: Inventory = from_body(&list.body)?;
        mark_exited(conn, now, list, &inventory, owed).await?;
    }
    Ok(lists.len())
}

/// Takes the cancellations of a CEB605; the CEB606 answering it. A list
/// is cancelled by its declarer while its goods have not left: declared,
/// stored, concluded or released, not exited (the goods are out), not
/// refused or cancelled already (GACC 2018 No. 194 lets a released export
/// list be cancelled before departure; the window is otherwise the
/// import one's, `ClearanceSettings::cancel_after_release` days, on China
/// days from the day after the platform released it).
pub async fn cancellations(
    conn: &mut Conn,
    received: &Received<'_>,
    cancels: &[InvtCancel],
    cancel_after_release: u32,
) -> Result<Message> {
    let mut returns = Vec::new();
    for (index, cancel) in cancels.iter().enumerate() {
        let (outcome, pre_no) = match received.refusal(index) {
            Some((code, info)) => (refused(code, info), String::new()),
            None => cancel_one(conn, received, cancel, cancel_after_release).await?,
        };
        returns.push(cancel_return(
            cancel,
            &pre_no,
            &answer(&outcome, received.now),
        ));
    }
    Ok(Message::Ceb606(ceb606(&new_guid(), returns)))
}

/// One cancellation: the list cancelled (399), or why not; with the
/// list's preNo.
async fn cancel_one(
    conn: &mut Conn,
    received: &Received<'_>,
    cancel: &InvtCancel,
    cancel_after_release: u32,
) -> Result<(Outcome, String)> {
    let invt_no = &cancel.invt_no;
    let found = store_docs::find_by_invt_no(conn, Kind::ExportList, invt_no)
        .await?
        .map(|l| {
            let parties = parties_of_stored(Kind::ExportList, &l.body)?;
            let parties: Vec<&str> = parties.iter().map(String::as_str).collect();
            Ok::<_, kuajing_registry::error::Error>(
                received
                    .authority
                    .may_change(&l.owner_code, &parties)
                    .then_some(l),
            )
        })
        .transpose()?
        .flatten();
    let Some(list) = found else {
        return Ok((
            refused(
                -605003,
                format!(
                    "未找到发送企业可撤销的出口清单 {invt_no} / no export list {invt_no} the sender declared or is named in"
                ),
            ),
            String::new(),
        ));
    };
    let pre_no = list.pre_no.clone().unwrap_or_default();
    let late = list
        .released_at
        .is_some_and(|at| !within_days(at, cancel_after_release, received.now));
    if !cancellable(&list) || late {
        let status = &list.status;
        return Ok((
            refused(
                -605005,
                format!(
                    "清单 {invt_no} 当前状态 {status} 不允许撤销（已退单、已撤销、已离境或放行过久） / list {invt_no} at status {status} cannot be cancelled (refused, cancelled, exited or released too long ago)"
                ),
            ),
            pre_no,
        ));
    }
    store_docs::finish_list(conn, &list.id, "cancelled", None, None, received.now).await?;
    Ok((
        Outcome {
            status: Status::Concluded,
            info: format!("清单 {invt_no} 已撤销 / list {invt_no} cancelled"),
            pre_no: pre_no.clone(),
        },
        pre_no,
    ))
}

/// Whether an export list may still be cancelled by its status.
fn cancellable(list: &Document) -> bool {
    matches!(list.status.as_str(), "2" | "120" | "300" | "399" | "800")
}
