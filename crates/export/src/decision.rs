//! Export lists (出口清单, CEB603; issue #7) through the same intake,
//! decision record, receipts and outbox as import lists: a list waits for
//! what its mode needs (`kuajing_clearance::export::needs`), is checked by
//! the export rules and the parties' filings, and is released (清单核放:
//! 120 → 399 → 800 in the CEB604 feed, no tax bill, no quota) or refused
//! (100). A released list whose waybill an arrival (CEB507) and a
//! departure (CEB509) have both named has exited (`exited`, with a CEB604
//! of 899 结关), whichever came first (see `export_exits`).

use kuajing_ceb::model::export::{Inventory, Logistics, Order, Receipts};
use kuajing_clearance::decision::Reason;
use kuajing_clearance::export::{self as rules, CodeTables, ExportMode, Shipment};
use kuajing_clearance::receipts::{Answer, Status};
use kuajing_core::role::Role;
use kuajing_core::timestamp::Timestamp;
use kuajing_reference::ReferenceKind;
use kuajing_store::Conn;
use kuajing_store::ceb_documents::{self as store_docs, Document, Kind};
use kuajing_store::clearance::{self as store_clearance, NewDecision};
use kuajing_store::export_manifests;

use kuajing_exchange::ClearanceSettings;
use kuajing_exchange::documents::{order_key, waybill_key};
use kuajing_exchange::lookups::Lookups;
use kuajing_exchange::receipts_out::{self, Owed};
use kuajing_exchange::record::{from_body, number_list, reasons_json, risk_json, unfiled_parties};
use kuajing_exchange::time_format::return_time;
use kuajing_registry::error::Result;

/// The platform status of an export list whose goods have left the
/// country (an arrival and a departure named its waybill). The
/// specification's list statuses stop at 899 结关, which the CEB604 says.
pub const EXITED: &str = "exited";

/// Released export lists: released (800) or exited.
pub const RELEASED: [&str; 2] = ["800", EXITED];

/// The documents of an export list found in the store, decoded.
struct Found {
    order: Option<(Document, Order)>,
    collection: Option<(Document, Receipts)>,
    waybill: Option<(Document, Logistics)>,
}

/// What deciding an export list needs besides the database.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The clearance settings.
    pub settings: &'a ClearanceSettings,
    /// The rule set every decision records (the engine's name and risk
    /// modes, as an import list's).
    pub rule_set: &'a str,
    /// Now, by the platform's clock.
    pub now: Timestamp,
}

/// Decides the export `list` if what its mode needs is in; otherwise it
/// keeps waiting. Returns whether it was decided.
pub async fn settle_export_list(
    conn: &mut Conn,
    context: &Context<'_>,
    list: &Document,
    lookups: &mut Lookups,
    owed: &mut Vec<Owed>,
) -> Result<bool> {
    let inventory: Inventory = from_body(&list.body)?;
    let head = &inventory.inventory_head;
    let settings = &context.settings.export;
    let found = find_documents(conn, &inventory).await?;
    let mode = ExportMode::of(&head.trade_mode);
    if let Some(mode) = mode {
        let needs = rules::needs(mode, settings);
        if (needs.order && found.order.is_none())
            || (needs.collection && found.collection.is_none())
            || (needs.waybill && found.waybill.is_none())
        {
            return Ok(false);
        }
    }
    let shipment = Shipment {
        list: &inventory,
        order: found.order.as_ref().map(|(_, o)| o),
        collection: found.collection.as_ref().map(|(_, c)| c),
        waybill: found.waybill.as_ref().map(|(_, w)| w),
    };
    // The code tables in force when the platform received the list (its
    // own record), not when its last document completed it.
    let codes = Codes::of(conn, &inventory, list.declared_at).await?;
    let warehouse_filed = match mode {
        Some(ExportMode::OverseasWarehouse) => {
            overseas_warehouse_filed(conn, &head.ebc_code, &head.country).await?
        }
        _ => false,
    };
    let mut reasons = parties(conn, lookups, &inventory).await?;
    reasons.extend(rules::check(&shipment, settings, &codes, warehouse_filed));
    let rule_set = context.rule_set;
    if reasons.is_empty() {
        release(
            conn,
            context.now,
            lookups,
            list,
            &inventory,
            &found,
            rule_set,
            owed,
        )
        .await?;
    } else {
        refuse(
            conn,
            context.now,
            list,
            &inventory,
            &reasons,
            rule_set,
            owed,
        )
        .await?;
    }
    Ok(true)
}

/// The order, receipt of payment and waybill of `list` that are in play
/// (declared, or matched before by a list corrected and sent again).
async fn find_documents(conn: &mut Conn, list: &Inventory) -> Result<Found> {
    let head = &list.inventory_head;
    let order_key = order_key(&head.ebp_code, &head.ebc_code, &head.order_no);
    let waybill_key = waybill_key(&head.logistics_code, &head.logistics_no);
    let documents = store_docs::documents_of_shipment(conn, &order_key, &waybill_key).await?;
    let pick = |kind: Kind| {
        documents
            .iter()
            .find(|d| d.kind == kind && matches!(d.status.as_str(), "2" | "120"))
            .cloned()
    };
    Ok(Found {
        order: decoded(pick(Kind::ExportOrder))?,
        collection: decoded(pick(Kind::Collection))?,
        waybill: decoded(pick(Kind::ExportWaybill))?,
    })
}

fn decoded<E: kuajing_ceb::entity::Entity>(
    document: Option<Document>,
) -> Result<Option<(Document, E)>> {
    document
        .map(|d| {
            let body = from_body(&d.body)?;
            Ok((d, body))
        })
        .transpose()
}

/// The export's parties must be filed, active and hold their roles: the
/// e-commerce enterprise (ebc), the declarer (declarer or ebc), the
/// logistics company; the platform unless it is a foreign one (`无`, allowed
/// since 202205: ceb-messages.md §2.6).
async fn parties(conn: &mut Conn, lookups: &mut Lookups, list: &Inventory) -> Result<Vec<Reason>> {
    let head = &list.inventory_head;
    let mut parties: Vec<(&str, &str, &[Role])> = vec![
        ("ebcCode", &head.ebc_code, &[Role::Ebc]),
        ("agentCode", &head.agent_code, &[Role::Declarer, Role::Ebc]),
        ("logisticsCode", &head.logistics_code, &[Role::Logistics]),
    ];
    if head.ebp_code != "无" {
        parties.push(("ebpCode", &head.ebp_code, &[Role::Ebp]));
    }
    unfiled_parties(conn, lookups, &parties).await
}

/// Whether `owner` has an overseas warehouse in `country` filed with and
/// approved by customs (GACC 2020 No. 75: a 9810 exporter files its
/// overseas-warehouse business with customs).
async fn overseas_warehouse_filed(conn: &mut Conn, owner: &str, country: &str) -> Result<bool> {
    Ok(
        kuajing_store::overseas_warehouses::approved_in_country(conn, owner, country)
            .await?
            .is_some(),
    )
}

/// The reference codes a list uses that the tables know, looked up once
/// each (country, currency, unit: `kuajing_clearance::export::CodeTables`).
struct Codes {
    known: Vec<(ReferenceKind, String)>,
}

impl Codes {
    /// The known codes among those `list` uses, in force at `at`.
    async fn of(conn: &mut Conn, list: &Inventory, at: Timestamp) -> Result<Codes> {
        let head = &list.inventory_head;
        let mut wanted: Vec<(ReferenceKind, &str)> = vec![
            (ReferenceKind::Country, &head.country),
            (ReferenceKind::Currency, &head.f_currency),
            (ReferenceKind::Currency, &head.i_currency),
        ];
        for line in &list.inventory_list {
            wanted.push((ReferenceKind::Country, &line.country));
            wanted.push((ReferenceKind::Currency, &line.currency));
            wanted.push((ReferenceKind::Unit, &line.unit));
            wanted.push((ReferenceKind::Unit, &line.unit1));
            if let Some(unit2) = line.unit2.as_deref().filter(|u| !u.is_empty()) {
                wanted.push((ReferenceKind::Unit, unit2));
            }
        }
        wanted.sort_unstable();
        wanted.dedup();
        let mut known = Vec::new();
        for (kind, code) in wanted {
            if kuajing_store::reference::code(conn, kind, code, at)
                .await?
                .is_some()
            {
                known.push((kind, code.to_owned()));
            }
        }
        Ok(Codes { known })
    }

    fn has(&self, kind: ReferenceKind, code: &str) -> bool {
        self.known.iter().any(|(k, c)| *k == kind && c == code)
    }
}

impl CodeTables for Codes {
    fn country(&self, code: &str) -> bool {
        self.has(ReferenceKind::Country, code)
    }

    fn currency(&self, code: &str) -> bool {
        self.has(ReferenceKind::Currency, code)
    }

    fn unit(&self, code: &str) -> bool {
        self.has(ReferenceKind::Unit, code)
    }
}

/// Releases an export list (清单核放): numbered, its documents matched
/// (120, each sender told), the list through 120, 399 and 800, the
/// decision recorded; exited at once if its waybill is already out.
#[allow(clippy::too_many_arguments)]
async fn release(
    conn: &mut Conn,
    now: Timestamp,
    lookups: &mut Lookups,
    list: &Document,
    inventory: &Inventory,
    found: &Found,
    rule_set: &str,
    owed: &mut Vec<Owed>,
) -> Result<()> {
    let head = &inventory.inventory_head;
    let list = &number_list(conn, lookups, now, list, &head.customs_code).await?;
    let matched = answer(
        Status::Stored,
        "单证对碰通过 / matched with the export list",
        now,
    );
    let mut ids: Vec<&str> = Vec::new();
    if let Some((document, order)) = found.order.as_ref().filter(|(d, _)| d.status != "120") {
        ids.push(&document.id);
        owed.push(receipts_out::export_order(document, order, &matched));
    }
    if let Some((document, receipt)) = found.collection.as_ref().filter(|(d, _)| d.status != "120")
    {
        ids.push(&document.id);
        owed.push(receipts_out::collection(document, receipt, &matched));
    }
    if let Some((document, waybill)) = found.waybill.as_ref().filter(|(d, _)| d.status != "120") {
        ids.push(&document.id);
        owed.push(receipts_out::export_waybill(document, waybill, &matched));
    }
    store_docs::set_statuses(conn, &ids, "120", now).await?;
    for status in [Status::Stored, Status::Concluded] {
        owed.push(receipts_out::export_list(
            list,
            inventory,
            &answer(status, "", now),
        ));
    }
    let explanation = format!(
        "清单核放：{mode} 出口清单与所需单证一致，各项检查通过；放行（出口不征税、不计额度）。\n\
         Released: the {mode} export list agrees with the documents its mode needs and passes every check (exports carry no tax bill and no quota).",
        mode = head.trade_mode
    );
    record(
        conn,
        now,
        list,
        &Status::Released,
        &[],
        &explanation,
        rule_set,
    )
    .await?;
    store_docs::finish_list(
        conn,
        &list.id,
        "800",
        list.invt_no.as_deref(),
        Some(now),
        now,
    )
    .await?;
    owed.push(receipts_out::export_list(
        list,
        inventory,
        &answer(Status::Released, "", now),
    ));
    let key = waybill_key(&head.logistics_code, &head.logistics_no);
    let states = export_manifests::exit_states(conn, &[key.as_str()]).await?;
    if states.iter().any(export_manifests::ExitState::exited) {
        let released = Document {
            status: "800".to_owned(),
            released_at: Some(now),
            ..list.clone()
        };
        mark_exited(conn, now, &released, inventory, owed).await?;
    }
    Ok(())
}

/// Refuses an export list that waited longer than the settings allow for
/// what its mode needs (-621001), found by the timeout task.
pub async fn refuse_incomplete(
    conn: &mut Conn,
    settings: &ClearanceSettings,
    now: Timestamp,
    rule_set: &str,
    list: &Document,
    owed: &mut Vec<Owed>,
) -> Result<()> {
    let hours = settings.incomplete_after.as_secs() / 3600;
    let reason = Reason {
        code: -621001,
        message_zh: format!("单证不齐：{hours} 小时内未收齐出口模式所需的订单、收款单和运单"),
        message_en: format!(
            "documents incomplete: the order, receipt of payment and waybill the export mode needs did not all arrive within {hours} h"
        ),
    };
    let inventory = from_body(&list.body)?;
    refuse(conn, now, list, &inventory, &[reason], rule_set, owed).await
}

/// Refuses an export list (100) with every reason; its documents stay
/// declared, for a corrected list to match.
pub(crate) async fn refuse(
    conn: &mut Conn,
    now: Timestamp,
    list: &Document,
    inventory: &Inventory,
    reasons: &[Reason],
    rule_set: &str,
    owed: &mut Vec<Owed>,
) -> Result<()> {
    let zh: Vec<&str> = reasons.iter().map(|r| r.message_zh.as_str()).collect();
    let en: Vec<&str> = reasons.iter().map(|r| r.message_en.as_str()).collect();
    let explanation = format!("退单：{}\nRefused: {}", zh.join("；"), en.join("; "));
    record(
        conn,
        now,
        list,
        &Status::Refused,
        reasons,
        &explanation,
        rule_set,
    )
    .await?;
    store_docs::finish_list(conn, &list.id, "100", None, None, now).await?;
    let info = reasons
        .iter()
        .map(|r| format!("[{}] {}", r.code, r.message_zh))
        .collect::<Vec<_>>()
        .join("；");
    owed.push(receipts_out::export_list(
        list,
        inventory,
        &answer(Status::Refused, &info, now),
    ));
    Ok(())
}

/// Records the decision on an export list (the same decision record as
/// an import list's: rule set, reasons, explanation; no tariff, no bill).
async fn record(
    conn: &mut Conn,
    now: Timestamp,
    list: &Document,
    status: &Status,
    reasons: &[Reason],
    explanation: &str,
    rule_set: &str,
) -> Result<()> {
    store_clearance::record_decision(
        conn,
        &NewDecision {
            list_id: &list.id,
            owner_code: &list.owner_code,
            status: &status.code(),
            decided_by: "engine",
            rule_set,
            tariff_version: "-",
            reasons: &reasons_json(reasons),
            risk_hits: &risk_json(&[]),
            explanation,
            tax_bill: None,
        },
        now,
    )
    .await?;
    Ok(())
}

/// Marks a released export list exited (its waybill arrived at the
/// supervised site and departed) and tells its declarer: CEB604 899 结关.
pub(crate) async fn mark_exited(
    conn: &mut Conn,
    now: Timestamp,
    list: &Document,
    inventory: &Inventory,
    owed: &mut Vec<Owed>,
) -> Result<()> {
    store_docs::finish_list(conn, &list.id, EXITED, None, None, now).await?;
    let closed = Answer {
        status: Status::Closed,
        time: return_time(now),
        info: "已运抵并离境，结关 / arrived at the supervised site and departed: cleared"
            .to_owned(),
    };
    owed.push(receipts_out::export_list(list, inventory, &closed));
    Ok(())
}

fn answer(status: Status, info: &str, now: Timestamp) -> Answer {
    Answer {
        status,
        time: return_time(now),
        info: info.to_owned(),
    }
}
