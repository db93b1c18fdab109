//! The monthly summary declaration of retail exports (汇总申报, issue #7):
//! the declarer's application (CEB701 汇总申请单) answered with CEB702, the
//! results (CEB792 汇总结果单, one per export declaration) owed to it, and
//! what is still due by the deadline.
//!
//! The rule (policy-rules.md §2.3, "清单核放、汇总申报"): by the 15th of
//! each month — the next working day when it is not one — the declarer
//! merges last month's released export lists into export declarations,
//! grouped by head (consignor, transport mode, producer/seller, country of
//! arrival, exit customs) and by line (final destination, 10-digit HS code,
//! currency): `kuajing_clearance::summary`. Lists on the simplified path
//! (`statisticsFlag` A, "清单核放、汇总统计") are never summarised.
//!
//! An application (`SummaryApply`) is taken when:
//! - it is new (`appType` 1) and declared (`appStatus` 2): a summary
//!   claims lists for good, so the platform takes no drafts or changes;
//! - the sender is its `agentCode` or `ebcCode` or holds a delegation of
//!   lists from one of them (checked by the intake, issue #14 finding 1),
//!   and its `copNo` is one the sender has not used;
//! - `startTime`/`endTime` (China time, `YYYYMMDDhhmmss`, both or
//!   neither, end not before start) bound the period; absent, the period
//!   is last month in China time;
//! - every listed `invtNo` is an export list the head's `agentCode`
//!   declared for the head's `ebcCode`, released (800 or exited) within the period, not
//!   statistics-only and in no summary yet. With no `invtNo` listed, the
//!   application takes every such list of the period (the XSD: "如指定时间
//!   范围将忽略表体数据" — with a time range the body is not needed).
//!
//! Accepted, it is answered 120 (海关入库) with the platform's `preNo` and
//! `sumNo`, and each declaration's CEB792 is owed to the sender through the
//! receipt feed: `declSeqNo` numbered per declaration, `decState` "1"
//! (compiled: the platform makes the declaration's draft; the
//! specification leaves the values to customs: "具体返回值由海关确定"),
//! the weights summed over its lists, one `SummaryResultList` per goods
//! line of each list with `gseqno` the number of the merged declaration line
//! it went into. `summaryFlag` and `itemNameFlag` are read but the grouping
//! is always policy-rules.md §2.3's (which names the producer, and merges
//! lines by HS code, not by goods name); a split message (`msgCount` > 1)
//! is taken part by part, each part on its own.
//!
//! Codes: the official table 7-2 (ceb-messages.md §3.4) has no CEB701
//! codes; this platform's, inferred in the table's pattern (message number
//! and a serial), are the `REFUSED_*` constants below.

use kuajing_ceb::Message;
use kuajing_ceb::encode;
use kuajing_ceb::model::export::{
    CEB702Message, CEB792Message, Inventory, SummaryApply, SummaryApplyHead, SummaryResult,
    SummaryResultHead, SummaryResultList, SummaryReturn,
};
use kuajing_clearance::summary::{self, Released, STATISTICS_ONLY, SummaryGroup};
use kuajing_core::access::{Action, Scope};
use kuajing_core::timestamp::{CHINA_STANDARD_TIME, Timestamp};
use kuajing_store::Conn;
use kuajing_store::Store;
use kuajing_store::ceb_documents::Document;
use kuajing_store::clearance as store_clearance;
use kuajing_store::export_summaries::{self as store_summaries, NewDeclaration, NewSummary};
use rust_decimal::Decimal;
use serde::Serialize;
use time::{Date, Month, PrimitiveDateTime, Time};

use kuajing_exchange::receipts_out::{Owed, new_guid};
use kuajing_exchange::record::from_body;
use kuajing_exchange::time_format::{
    china_date, china_day_start, compact_day, parse_day, return_time,
};
use kuajing_registry::actor::Actor;
use kuajing_registry::error::{Error, Result};

/// The application breaks a rule of its own (`appType`, `appStatus`,
/// `agentCode`, the period, a business-rule issue) — inferred.
pub const REFUSED_INVALID: i32 = -701001;
/// The sender used the `copNo` before (inferred).
pub const REFUSED_DUPLICATE: i32 = -701002;
/// A listed `invtNo` is not an export list the sender declared for the
/// head's `ebcCode` (inferred).
pub const REFUSED_NOT_FOUND: i32 = -701003;
/// A listed list is not released (inferred).
pub const REFUSED_NOT_RELEASED: i32 = -701004;
/// A listed list was released outside the period (inferred).
pub const REFUSED_OUT_OF_PERIOD: i32 = -701005;
/// A listed list is statistics-only (`statisticsFlag` A, 汇总统计): no
/// declaration is compiled for it (inferred).
pub const REFUSED_STATISTICS_ONLY: i32 = -701006;
/// A listed list is in a summary already (inferred).
pub const REFUSED_SUMMARISED: i32 = -701007;
/// There is no list to summarise (inferred).
pub const REFUSED_EMPTY: i32 = -701008;

/// The CEB702 status of an accepted application (120 海关入库).
const ACCEPTED: &str = "120";

/// The `decState` of a declaration the platform compiled.
const COMPILED: &str = "1";

/// At most this many lists in one application taken by period (a larger
/// month is summarised in parts, each naming its lists or a shorter
/// period).
const MAX_LISTS: i64 = 10_000;

/// What the intake knows about the message the applications came in.
pub struct Received<'a> {
    /// The sender (`BaseTransfer/copCode`).
    pub sender: &'a str,
    /// The kept message's id.
    pub message_id: &'a str,
    /// Now.
    pub now: Timestamp,
}

/// Why an application is refused: the first problem's code and every
/// problem's text.
#[derive(Debug)]
struct Refused {
    code: i32,
    info: String,
}

impl Refused {
    fn one(code: i32, zh: String, en: String) -> Refused {
        Refused {
            code,
            info: format!("{zh} / {en}"),
        }
    }
}

/// A released list with its body read.
struct Listed {
    document: Document,
    invt_no: String,
    list: Inventory,
}

/// Takes every application of a CEB701 (`refusals`: the business-rule
/// issues found for each, as text); the CEB702 answering it. The CEB792s
/// of the accepted ones go to `owed`.
pub async fn take(
    conn: &mut Conn,
    received: &Received<'_>,
    applies: &[SummaryApply],
    refusals: &[Option<String>],
    owed: &mut Vec<Owed>,
) -> Result<Message> {
    let mut returns = Vec::with_capacity(applies.len());
    for (index, apply) in applies.iter().enumerate() {
        let head = &apply.summary_apply_head;
        let outcome = match refusals.get(index).cloned().flatten() {
            Some(info) => Err(Refused {
                code: REFUSED_INVALID,
                info,
            }),
            None => match check(conn, received, apply).await? {
                Ok((period, lists)) => Ok(accept(conn, received, head, period, lists, owed).await?),
                Err(refused) => Err(refused),
            },
        };
        returns.push(match outcome {
            Ok((pre_no, sum_no, info)) => {
                summary_return(head, ACCEPTED, &pre_no, Some(sum_no), info, received.now)
            }
            Err(refused) => summary_return(
                head,
                &refused.code.to_string(),
                head.pre_no.as_deref().unwrap_or(""),
                None,
                refused.info,
                received.now,
            ),
        });
    }
    Ok(Message::Ceb702(CEB702Message {
        guid: new_guid(),
        version: "1.0".to_owned(),
        summary_return: returns,
    }))
}

/// One return entity of a CEB702.
fn summary_return(
    head: &SummaryApplyHead,
    status: &str,
    pre_no: &str,
    sum_no: Option<String>,
    info: String,
    now: Timestamp,
) -> SummaryReturn {
    SummaryReturn {
        guid: head.guid.clone(),
        agent_code: head.agent_code.clone(),
        ebc_code: head.ebc_code.clone(),
        cop_no: head.cop_no.clone(),
        pre_no: pre_no.to_owned(),
        sum_no,
        msg_seq_no: head.msg_seq_no,
        return_status: status.to_owned(),
        return_time: return_time(now),
        return_info: info,
    }
}

/// The period `[start, end)` of an application and its lists, or why it
/// is refused.
async fn check(
    conn: &mut Conn,
    received: &Received<'_>,
    apply: &SummaryApply,
) -> Result<std::result::Result<((Timestamp, Timestamp), Vec<Listed>), Refused>> {
    let head = &apply.summary_apply_head;
    let invalid = |zh: String, en: String| Ok(Err(Refused::one(REFUSED_INVALID, zh, en)));
    if head.app_type != "1" {
        return invalid(
            format!(
                "汇总申请单只受理新增（appType 1），申报值 appType={}",
                head.app_type
            ),
            format!(
                "a summary application is only taken new (appType 1), given appType={}",
                head.app_type
            ),
        );
    }
    if head.app_status != "2" {
        return invalid(
            format!(
                "汇总申请单只受理申报（appStatus 2），申报值 appStatus={}",
                head.app_status
            ),
            format!(
                "a summary application is only taken declared (appStatus 2), given appStatus={}",
                head.app_status
            ),
        );
    }
    if head.cop_no.trim().is_empty() {
        return invalid("copNo 必填".to_owned(), "copNo is required".to_owned());
    }
    if let Some(sum_no) = store_summaries::by_cop_no(conn, received.sender, &head.cop_no).await? {
        return Ok(Err(Refused::one(
            REFUSED_DUPLICATE,
            format!("copNo={} 已用于汇总申请 {sum_no}", head.cop_no),
            format!("copNo={} was used for summary {sum_no}", head.cop_no),
        )));
    }
    let period = match period_of(head, received.now) {
        Ok(period) => period,
        Err(refused) => return Ok(Err(refused)),
    };
    let lists = if apply.summary_apply_list.is_empty() {
        lists_of_period(conn, head, period).await?
    } else {
        match named_lists(conn, apply, period).await? {
            Ok(lists) => lists,
            Err(refused) => return Ok(Err(refused)),
        }
    };
    if lists.is_empty() {
        return Ok(Err(Refused::one(
            REFUSED_EMPTY,
            format!(
                "期间 {} 至 {} 没有 ebcCode={} 待汇总的已放行清单",
                china_text(period.0),
                china_text(period.1),
                head.ebc_code
            ),
            format!(
                "no released list of ebcCode={} to summarise from {} to {}",
                head.ebc_code,
                china_text(period.0),
                china_text(period.1)
            ),
        )));
    }
    Ok(Ok((period, lists)))
}

/// Every list of the period the application may take: the released lists
/// the head's `agentCode` declared for its `ebcCode`, in no summary, not
/// statistics-only. (The intake let the sender send the application only
/// as that agent, that e-commerce enterprise, or their delegate: issue #14
/// finding 1.)
async fn lists_of_period(
    conn: &mut Conn,
    head: &SummaryApplyHead,
    (start, end): (Timestamp, Timestamp),
) -> Result<Vec<Listed>> {
    let documents = store_summaries::unsummarised_lists(
        conn,
        Some(&head.agent_code),
        Some(start),
        end,
        MAX_LISTS,
    )
    .await?;
    let mut lists = Vec::with_capacity(documents.len());
    for document in documents {
        let listed = read(document)?;
        let list_head = &listed.list.inventory_head;
        if list_head.ebc_code == head.ebc_code && list_head.statistics_flag != STATISTICS_ONLY {
            lists.push(listed);
        }
    }
    Ok(lists)
}

/// The lists an application names, each checked; every problem found is
/// told, the first's code refusing the application.
async fn named_lists(
    conn: &mut Conn,
    apply: &SummaryApply,
    (start, end): (Timestamp, Timestamp),
) -> Result<std::result::Result<Vec<Listed>, Refused>> {
    let head = &apply.summary_apply_head;
    let numbers: Vec<&str> = apply
        .summary_apply_list
        .iter()
        .map(|l| l.invt_no.as_str())
        .collect();
    let found = store_summaries::export_lists_numbered(conn, &numbers).await?;
    let ids: Vec<&str> = found.iter().map(|d| d.id.as_str()).collect();
    let summarised = store_summaries::summarised(conn, &ids).await?;
    let mut problems: Vec<(i32, String)> = Vec::new();
    let mut lists: Vec<Listed> = Vec::with_capacity(numbers.len());
    for number in numbers {
        let mut problem = |code: i32, zh: String, en: String| {
            problems.push((code, format!("invtNo={number}: {zh} / {en}")));
        };
        if lists.iter().any(|l| l.invt_no == number) {
            problem(
                REFUSED_INVALID,
                "清单重复列出".to_owned(),
                "listed twice".to_owned(),
            );
            continue;
        }
        let Some(document) = found
            .iter()
            .find(|d| d.invt_no.as_deref() == Some(number) && d.owner_code == head.agent_code)
        else {
            problem(
                REFUSED_NOT_FOUND,
                format!("不是企业 {} 申报的出口清单", head.agent_code),
                format!("not an export list {} declared", head.agent_code),
            );
            continue;
        };
        let listed = read(document.clone())?;
        let list_head = &listed.list.inventory_head;
        if list_head.ebc_code != head.ebc_code {
            problem(
                REFUSED_NOT_FOUND,
                format!(
                    "清单 ebcCode={} 与申请单 ebcCode={} 不符",
                    list_head.ebc_code, head.ebc_code
                ),
                format!(
                    "the list's ebcCode={} is not the application's ebcCode={}",
                    list_head.ebc_code, head.ebc_code
                ),
            );
            continue;
        }
        let released_at = document
            .released_at
            .filter(|_| store_summaries::RELEASED.contains(&document.status.as_str()));
        let Some(released_at) = released_at else {
            problem(
                REFUSED_NOT_RELEASED,
                format!("清单未放行（状态 {}）", document.status),
                format!("the list is not released (status {})", document.status),
            );
            continue;
        };
        if released_at < start || released_at >= end {
            problem(
                REFUSED_OUT_OF_PERIOD,
                format!(
                    "放行时间 {} 不在汇总期间 {} 至 {} 内",
                    china_text(released_at),
                    china_text(start),
                    china_text(end)
                ),
                format!(
                    "released at {}, outside the period {} to {}",
                    china_text(released_at),
                    china_text(start),
                    china_text(end)
                ),
            );
            continue;
        }
        if list_head.statistics_flag == STATISTICS_ONLY {
            problem(
                REFUSED_STATISTICS_ONLY,
                "statisticsFlag=A 清单核放、汇总统计，不汇总申报".to_owned(),
                "statisticsFlag=A: counted for statistics only, not summarised".to_owned(),
            );
            continue;
        }
        if let Some((_, sum_no)) = summarised.iter().find(|(id, _)| *id == document.id) {
            problem(
                REFUSED_SUMMARISED,
                format!("已在汇总申请 {sum_no} 中"),
                format!("already in summary {sum_no}"),
            );
            continue;
        }
        lists.push(listed);
    }
    Ok(match problems.first() {
        None => Ok(lists),
        Some((code, _)) => Err(Refused {
            code: *code,
            info: problems
                .iter()
                .map(|(_, text)| text.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        }),
    })
}

/// A kept list with its body read.
fn read(document: Document) -> Result<Listed> {
    let list: Inventory = from_body(&document.body)?;
    let invt_no = document.invt_no.clone().unwrap_or_default();
    Ok(Listed {
        document,
        invt_no,
        list,
    })
}

/// Accepts an application: numbers it, groups its lists, keeps it and
/// owes one CEB792 per declaration; (preNo, sumNo, the answer's text).
async fn accept(
    conn: &mut Conn,
    received: &Received<'_>,
    head: &SummaryApplyHead,
    (start, end): (Timestamp, Timestamp),
    lists: Vec<Listed>,
    owed: &mut Vec<Owed>,
) -> Result<(String, String, String)> {
    let released: Vec<Released<'_>> = lists
        .iter()
        .map(|l| Released {
            invt_no: &l.invt_no,
            list: &l.list,
        })
        .collect();
    let grouped = summary::group(&released);
    let day = compact_day(china_date(received.now));
    let serials =
        store_clearance::next_numbers(conn, &format!("sumNo/{day}"), 2 + grouped.groups.len())
            .await?;
    let number = |prefix: char, index: usize| -> Result<String> {
        let serial = serials
            .get(index)
            .ok_or_else(|| Error::Internal("too few summary numbers".to_owned()))?;
        Ok(format!(
            "{prefix}{day}{:09}",
            serial.rem_euclid(1_000_000_000)
        ))
    };
    let pre_no = number('S', 0)?;
    let sum_no = number('H', 1)?;
    let mut declarations = Vec::with_capacity(grouped.groups.len());
    for (index, group) in grouped.groups.iter().enumerate() {
        declarations.push(declaration(group, &lists, number('D', index + 2)?, index));
    }
    store_summaries::keep(
        conn,
        &NewSummary {
            sender_code: received.sender,
            cop_no: &head.cop_no,
            pre_no: &pre_no,
            sum_no: &sum_no,
            customs_code: &head.customs_code,
            ebc_code: &head.ebc_code,
            ebc_name: &head.ebc_name,
            decl_agent_code: &head.decl_agent_code,
            period_start: start,
            period_end: end,
            message_id: received.message_id,
            declarations: &declarations,
        },
        received.now,
    )
    .await?;
    let count = declarations.len();
    for (group, declaration) in grouped.groups.iter().zip(&declarations) {
        let result = result_message(received, head, &sum_no, group, declaration, &lists, count);
        owed.push(Owed {
            recipient: received.sender.to_owned(),
            receipt_type: "CEB792",
            document_id: None,
            message_id: Some(received.message_id.to_owned()),
            xml: encode(&result),
            shared: None,
        });
    }
    let info = format!(
        "汇总申请已受理：{} 张清单，{count} 份报关单 / summary accepted: {} lists, {count} declarations",
        lists.len(),
        lists.len()
    );
    Ok((pre_no, sum_no, info))
}

/// The declaration of one group, to keep.
fn declaration(
    group: &SummaryGroup,
    lists: &[Listed],
    decl_seq_no: String,
    index: usize,
) -> NewDeclaration {
    let members: Vec<&Listed> = group
        .lists
        .iter()
        .filter_map(|n| lists.iter().find(|l| &l.invt_no == n))
        .collect();
    let gross: Decimal = members
        .iter()
        .map(|l| l.list.inventory_head.gross_weight)
        .sum();
    let net: Decimal = members
        .iter()
        .map(|l| l.list.inventory_head.net_weight)
        .sum();
    NewDeclaration {
        decl_seq_no,
        seq: i64::try_from(index + 1).unwrap_or(i64::MAX),
        consignor: group.head.consignor.clone(),
        transport_mode: group.head.transport_mode.clone(),
        producer: group.head.producer.clone(),
        arrival_country: group.head.arrival_country.clone(),
        exit_customs: group.head.exit_customs.clone(),
        dec_state: COMPILED.to_owned(),
        gross_weight: gross.normalize().to_string(),
        net_weight: net.normalize().to_string(),
        lines: i64::try_from(group.lines.len()).unwrap_or(i64::MAX),
        lists: members
            .iter()
            .map(|l| (l.document.id.clone(), l.invt_no.clone()))
            .collect(),
    }
}

/// The CEB792 of one declaration: its head, and each goods line of its
/// lists with the merged line (`gseqno`) it went into.
fn result_message(
    received: &Received<'_>,
    head: &SummaryApplyHead,
    sum_no: &str,
    group: &SummaryGroup,
    declaration: &NewDeclaration,
    lists: &[Listed],
    count: usize,
) -> Message {
    let mut lines = Vec::new();
    for number in &group.lists {
        let Some(listed) = lists.iter().find(|l| &l.invt_no == number) else {
            continue;
        };
        for goods in &listed.list.inventory_list {
            let gseqno = group
                .lines
                .iter()
                .position(|line| {
                    line.key.destination == goods.country
                        && line.key.hs_code == goods.gcode
                        && line.key.currency == goods.currency
                        && line.key.unit == goods.unit1
                })
                .map_or(0, |p| p + 1);
            lines.push(SummaryResultList {
                invt_no: listed.invt_no.clone(),
                logistics_no: listed.list.inventory_head.logistics_no.clone(),
                gseqno: i64::try_from(gseqno).unwrap_or(0),
                gnum: goods.gnum,
                gcode: goods.gcode.clone(),
            });
        }
    }
    let weight = |text: &str| text.parse::<Decimal>().unwrap_or_default();
    Message::Ceb792(CEB792Message {
        guid: new_guid(),
        version: "1.0".to_owned(),
        summary_result: vec![SummaryResult {
            summary_result_head: SummaryResultHead {
                guid: new_guid(),
                customs_code: head.customs_code.clone(),
                sum_no: sum_no.to_owned(),
                op_date: return_time(received.now),
                decl_seq_no: declaration.decl_seq_no.clone(),
                dec_tmp_no: None,
                dec_pre_no: None,
                entry_id: None,
                dec_state: declaration.dec_state.clone(),
                agent_code: head.agent_code.clone(),
                agent_name: head.agent_name.clone(),
                ebc_code: head.ebc_code.clone(),
                ebc_name: head.ebc_name.clone(),
                decl_agent_code: head.decl_agent_code.clone(),
                decl_agent_name: head.decl_agent_name.clone(),
                gross_weight: weight(&declaration.gross_weight),
                net_weight: weight(&declaration.net_weight),
                msg_count: i64::try_from(count).unwrap_or(i64::MAX),
                msg_seq_no: declaration.seq,
                note: None,
            },
            summary_result_list: lines,
        }],
    })
}

/// The period of an application: `startTime`..=`endTime` (China time, to
/// the second) as `[start, end + 1 s)`, or last month in China time.
fn period_of(
    head: &SummaryApplyHead,
    now: Timestamp,
) -> std::result::Result<(Timestamp, Timestamp), Refused> {
    let parse = |field: &str, text: &str| {
        parse_china_time(text).ok_or_else(|| {
            Refused::one(
                REFUSED_INVALID,
                format!("{field}={text} 不是 YYYYMMDDhhmmss 格式的时间"),
                format!("{field}={text} is not a YYYYMMDDhhmmss time"),
            )
        })
    };
    match (head.start_time.as_deref(), head.end_time.as_deref()) {
        (None, None) => Ok(month_bounds(previous_month(china_date(now)))),
        (Some(start), Some(end)) => {
            let from = parse("startTime", start)?;
            let to = parse("endTime", end)?;
            if to < from {
                return Err(Refused::one(
                    REFUSED_INVALID,
                    format!("endTime={end} 早于 startTime={start}"),
                    format!("endTime={end} is before startTime={start}"),
                ));
            }
            Ok((from, to.plus(std::time::Duration::from_secs(1))))
        }
        (start, _) => {
            let (given, missing) = if start.is_some() {
                ("startTime", "endTime")
            } else {
                ("endTime", "startTime")
            };
            Err(Refused::one(
                REFUSED_INVALID,
                format!("{given} 与 {missing} 须成对填写"),
                format!("{given} and {missing} are given together or not at all"),
            ))
        }
    }
}

/// A `YYYYMMDDhhmmss` time in China time, if it is one.
pub fn parse_china_time(text: &str) -> Option<Timestamp> {
    if text.len() != 14 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let day = parse_day(text.get(0..8)?)?;
    let part = |range: std::ops::Range<usize>| text.get(range)?.parse::<u8>().ok();
    let time = Time::from_hms(part(8..10)?, part(10..12)?, part(12..14)?).ok()?;
    Some(Timestamp::from_datetime(
        PrimitiveDateTime::new(day, time).assume_offset(CHINA_STANDARD_TIME),
    ))
}

/// `at` in China time, `yyyy-mm-dd hh:mm:ss`.
fn china_text(at: Timestamp) -> String {
    let t = at.in_china();
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// The first day of the month before the one `day` is in.
pub fn previous_month(day: Date) -> Date {
    let (year, month) = match day.month() {
        Month::January => (day.year() - 1, Month::December),
        other => (day.year(), other.previous()),
    };
    Date::from_calendar_date(year, month, 1).unwrap_or(day)
}

/// The first day of the month `day` is in.
fn month_start(day: Date) -> Date {
    day.replace_day(1).unwrap_or(day)
}

/// The first day of the month after the one `day` is in.
fn next_month(day: Date) -> Date {
    let (year, month) = match day.month() {
        Month::December => (day.year() + 1, Month::January),
        other => (day.year(), other.next()),
    };
    Date::from_calendar_date(year, month, 1).unwrap_or(day)
}

/// The China month of `first` (its first day) as `[start, end)`.
fn month_bounds(first: Date) -> (Timestamp, Timestamp) {
    (
        china_day_start(month_start(first)),
        china_day_start(next_month(first)),
    )
}

/// How many days before the deadline the exporter is warned.
pub const WARN_DAYS: i64 = 3;

/// One month's released lists still to be declared, grouped as they
/// would be, with the deadline (policy-rules.md §2.3: the 15th of the next
/// month, the next working day if not one; the calendar is Monday to
/// Friday — the platform has no holiday table yet, so a public holiday on
/// the 15th is not moved past).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DueMonth {
    /// The exporter (the declarer of the lists).
    pub owner_code: String,
    /// The month the lists were released in, `yyyy-mm` (China time).
    pub month: String,
    /// The day the summary declaration is due, `yyyy-mm-dd`.
    pub deadline: String,
    /// Days from today (China time) to the deadline; negative when past.
    pub days_left: i64,
    /// The deadline is past.
    pub overdue: bool,
    /// The deadline is within [`WARN_DAYS`] days.
    pub due_soon: bool,
    /// The declarations the lists would make, by head.
    pub groups: Vec<DueGroup>,
    /// Lists counted for statistics only (`statisticsFlag` A): nothing to
    /// declare.
    pub statistics_only: usize,
}

/// One declaration a month's lists would make.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DueGroup {
    /// Consignor (发货人, `ebcCode`).
    pub consignor: String,
    /// Transport mode (`trafMode`).
    pub transport_mode: String,
    /// Producer or seller (`ownerCode`).
    pub producer: String,
    /// Country of arrival.
    pub arrival_country: String,
    /// Exit customs (`portCode`).
    pub exit_customs: String,
    /// Its lists' numbers.
    pub lists: Vec<String>,
    /// Its merged lines.
    pub lines: Vec<DueLine>,
}

/// One merged line of a declaration to come.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DueLine {
    /// Final destination country.
    pub destination: String,
    /// 10-digit HS code.
    pub hs_code: String,
    /// Currency.
    pub currency: String,
    /// Quantity in the first legal unit.
    pub quantity: String,
    /// The first legal unit.
    pub unit: String,
    /// Total price in the currency.
    pub total_price: String,
}

/// The months of `lists` (released lists in no summary) with what is due
/// in each, per exporter, oldest first; months with statistics-only lists
/// alone are kept (to count them) but are never overdue.
pub fn due_months(lists: &[(Document, Inventory)], today: Date) -> Vec<DueMonth> {
    let mut months: std::collections::BTreeMap<(String, Date), Vec<Released<'_>>> =
        std::collections::BTreeMap::new();
    for (document, list) in lists {
        let Some(released_at) = document.released_at else {
            continue;
        };
        let first = month_start(china_date(released_at));
        months
            .entry((document.owner_code.clone(), first))
            .or_default()
            .push(Released {
                invt_no: document.invt_no.as_deref().unwrap_or(""),
                list,
            });
    }
    let mut due = Vec::with_capacity(months.len());
    for ((owner_code, first), released) in months {
        let grouped = summary::group(&released);
        let Some(deadline) = summary::deadline(first, summary::weekdays) else {
            continue;
        };
        let days_left = (deadline - today).whole_days();
        let declarable = !grouped.groups.is_empty();
        due.push(DueMonth {
            owner_code,
            month: format!("{:04}-{:02}", first.year(), u8::from(first.month())),
            deadline: format!(
                "{:04}-{:02}-{:02}",
                deadline.year(),
                u8::from(deadline.month()),
                deadline.day()
            ),
            days_left,
            overdue: declarable && days_left < 0,
            due_soon: declarable && (0..=WARN_DAYS).contains(&days_left),
            groups: grouped
                .groups
                .into_iter()
                .map(|g| DueGroup {
                    consignor: g.head.consignor,
                    transport_mode: g.head.transport_mode,
                    producer: g.head.producer,
                    arrival_country: g.head.arrival_country,
                    exit_customs: g.head.exit_customs,
                    lists: g.lists,
                    lines: g
                        .lines
                        .into_iter()
                        .map(|l| DueLine {
                            destination: l.key.destination,
                            hs_code: l.key.hs_code,
                            currency: l.key.currency,
                            quantity: l.quantity.normalize().to_string(),
                            unit: l.key.unit,
                            total_price: l.total_price.normalize().to_string(),
                        })
                        .collect(),
                })
                .collect(),
            statistics_only: grouped.statistics_only.len(),
        });
    }
    due
}

/// What is due: the released lists before this month (China time) in no
/// summary, of the actor's enterprise (`Declare` on its own) or, for
/// customs (`ReadClearance` over all), of every exporter.
pub async fn due(store: &Store, actor: &Actor, now: Timestamp) -> Result<Vec<DueMonth>> {
    let owner = readable_owner(store, actor).await?;
    let this_month = china_day_start(month_start(china_date(now)));
    let mut conn = store.reader().await?;
    let documents = store_summaries::unsummarised_lists(
        &mut conn,
        owner.as_deref(),
        None,
        this_month,
        MAX_LISTS,
    )
    .await?;
    let mut lists = Vec::with_capacity(documents.len());
    for document in documents {
        let list: Inventory = from_body(&document.body)?;
        lists.push((document, list));
    }
    Ok(due_months(&lists, china_date(now)))
}

/// The summaries filed, with their declarations (the CEB792 results): the
/// actor's own, or (customs) everyone's.
pub async fn filed(
    store: &Store,
    actor: &Actor,
    limit: i64,
) -> Result<Vec<store_summaries::Summary>> {
    let owner = readable_owner(store, actor).await?;
    let mut conn = store.reader().await?;
    Ok(store_summaries::summaries(&mut conn, owner.as_deref(), limit).await?)
}

/// `None` for customs (every exporter), else the actor's own enterprise,
/// which must be allowed to declare.
async fn readable_owner(store: &Store, actor: &Actor) -> Result<Option<String>> {
    if actor.scope(Action::ReadClearance) == Some(Scope::All) {
        return Ok(None);
    }
    let own = actor.organisation_code.clone().unwrap_or_default();
    actor
        .authorize(store, Action::Declare, &own, "exports.summaries", &own)
        .await?;
    Ok(Some(own))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_in_china() {
        let at = parse_china_time("20261101000000").map(|t| t.to_string());
        assert_eq!(at.as_deref(), Some("2026-10-31T16:00:00.000000Z"));
        assert!(parse_china_time("20261131000000").is_none());
        assert!(parse_china_time("2026110100000").is_none());
        assert!(parse_china_time("20261101250000").is_none());
    }

    fn released(
        n: u32,
        parcel: kuajing_ceb::sample::export::ExportParcel,
        at: &str,
    ) -> (Document, Inventory) {
        let at: Timestamp = at.parse().unwrap();
        let document = Document {
            id: format!("doc-{n}"),
            kind: kuajing_store::ceb_documents::Kind::ExportList,
            business_key: format!("key-{n}"),
            owner_code: "2224960001".to_owned(),
            ebp_code: None,
            order_no: String::new(),
            waybill_key: None,
            message_id: String::new(),
            position: 1,
            status: "800".to_owned(),
            awaiting: false,
            body: String::new(),
            pre_no: None,
            invt_no: Some(format!("19012026E{n:06}")),
            buyer_id: None,
            consignee_address: None,
            buyer_telephone: None,
            released_at: Some(at),
            created_at: at,
            updated_at: at,
            declared_at: at,
        };
        let list = parcel.list.inventory.into_iter().next().unwrap();
        (document, list)
    }

    #[test]
    fn a_month_is_due_on_the_15th_warned_three_days_before_and_overdue_after() {
        use kuajing_ceb::sample::export::{ExportMode, ExportParcel};
        // October 2026 (China time); 15 November 2026 is a Sunday: due
        // Monday the 16th.
        let lists = vec![
            released(
                1,
                ExportParcel::numbered(1, ExportMode::Retail),
                "2026-10-05T02:00:00Z",
            ),
            released(
                2,
                ExportParcel::numbered(2, ExportMode::Retail),
                "2026-10-31T15:59:59Z",
            ),
            released(
                3,
                ExportParcel::numbered(3, ExportMode::B2b),
                "2026-10-20T02:00:00Z",
            ),
            released(
                4,
                ExportParcel::numbered(4, ExportMode::Retail).for_statistics_only(),
                "2026-10-06T02:00:00Z",
            ),
            // 1 November in China: next month's.
            released(
                5,
                ExportParcel::numbered(5, ExportMode::Retail),
                "2026-10-31T16:00:00Z",
            ),
        ];
        let day = |d: u8| Date::from_calendar_date(2026, Month::November, d).unwrap();
        let due = due_months(&lists, day(12));
        assert_eq!(due.len(), 2);
        let october = &due[0];
        assert_eq!(
            (october.month.as_str(), october.deadline.as_str()),
            ("2026-10", "2026-11-16")
        );
        assert_eq!(october.groups.len(), 2);
        assert_eq!(
            october.groups[0].lists.len() + october.groups[1].lists.len(),
            3
        );
        assert_eq!(october.statistics_only, 1);
        assert_eq!(
            (october.days_left, october.due_soon, october.overdue),
            (4, false, false)
        );
        let soon = &due_months(&lists, day(13))[0];
        assert_eq!(
            (soon.days_left, soon.due_soon, soon.overdue),
            (3, true, false)
        );
        let last_day = &due_months(&lists, day(16))[0];
        assert_eq!(
            (last_day.days_left, last_day.due_soon, last_day.overdue),
            (0, true, false)
        );
        let late = &due_months(&lists, day(17))[0];
        assert_eq!(
            (late.days_left, late.due_soon, late.overdue),
            (-1, false, true)
        );
        // Statistics-only lists alone are never due.
        let only = due_months(&lists[3..4], day(30));
        assert_eq!(
            (only[0].overdue, only[0].due_soon, only[0].statistics_only),
            (false, false, 1)
        );
        assert_eq!(due[1].month, "2026-11");
    }

    #[test]
    fn last_month_is_taken_in_china_time() {
        // 1 December 00:30 in China is still 30 November in UTC.
        let now: Timestamp = "2026-11-30T16:30:00Z".parse().unwrap();
        let (start, end) = month_bounds(previous_month(china_date(now)));
        assert_eq!(start.to_string(), "2026-10-31T16:00:00.000000Z");
        assert_eq!(end.to_string(), "2026-11-30T16:00:00.000000Z");
    }
}
