//! The demo zone's exports (issue #7), sent through the real intake by the
//! demo's platform, e-commerce enterprise, payment and logistics companies
//! and the zone warehouse running the supervised site: honey sold to buyers
//! in Russia (9610, by road; one parcel counted for statistics only), a
//! B2B consignment to a Korean importer (9710, by sea) and stock for the
//! enterprise's Niigata warehouse (9810, filed with and approved by
//! customs). All but one retail parcel have arrived at the site and left
//! (exited); the last has arrived and waits for its truck. The exporter
//! records the honey it bought without invoices (无票免税) against a
//! released list, and files a summary declaration of the day's lists
//! (CEB701), which customs answers with one CEB792 per declaration; a
//! Russian buyer sends one jar back (CEB213), tallied at the site
//! (CEB215). All parties, people and numbers are fictitious.

use kuajing_ceb::Message;
use kuajing_ceb::model::export::SummaryApplyList;
use kuajing_ceb::sample::export::{ExportMode, ExportParcel};
use kuajing_ceb::{MessageType, sample};
use kuajing_core::role::Role;
use kuajing_core::timestamp::Timestamp;
use kuajing_server::AppState;
use kuajing_store::ceb_documents::{self as store_docs, Kind};

use crate::demo_parties::{EBC, EBP, LOGISTICS, PAY, WAREHOUSE, acting, send};

/// Hunchun Customs, which approves the overseas warehouse.
const CUSTOMS: &str = "2224G10001";

/// Sends the demo's exports; how many export lists.
pub async fn load(state: &AppState) -> Result<usize, String> {
    overseas_warehouse(state).await?;
    let retail: Vec<ExportParcel> = (1..=3)
        .map(|n| demo_shipment(n, ExportMode::Retail))
        .collect();
    let counted = demo_shipment(4, ExportMode::Retail).for_statistics_only();
    let b2b = demo_shipment(1, ExportMode::B2b);
    let stock = demo_shipment(1, ExportMode::OverseasWarehouse);
    for parcel in retail.iter().chain([&counted]) {
        ship(state, parcel, true).await?;
    }
    ship(state, &b2b, false).await?;
    ship(state, &stock, false).await?;
    let all: Vec<&ExportParcel> = retail.iter().chain([&counted, &b2b, &stock]).collect();
    let arrival = retargeted_arrival(&all, "HCSITE-20261128-01");
    send(
        state,
        WAREHOUSE,
        &[Role::Warehouse],
        &Message::Ceb507(arrival),
    )
    .await?;
    let gone: Vec<&ExportParcel> = all.iter().copied().filter(|p| *p != &retail[2]).collect();
    let mut departure = ExportParcel::departure(&gone, "HCDEP-20261128-01");
    for d in &mut departure.departure {
        d.departure_head.logistics_code = LOGISTICS.to_owned();
        d.departure_head.traf_name = Some("吉H·E2046 (珲春—克拉斯基诺)".to_owned());
    }
    departure.base_transfer.cop_code = LOGISTICS.to_owned();
    send(
        state,
        LOGISTICS,
        &[Role::Logistics],
        &Message::Ceb509(departure),
    )
    .await?;
    let first = list_number(state, &retail[0]).await?;
    purchase_record(state, &first).await?;
    let mut declared = Vec::new();
    for parcel in [&retail[0], &retail[1], &b2b, &stock] {
        declared.push(list_number(state, parcel).await?);
    }
    summary(state, &declared).await?;
    goods_return(state, &retail[1], &declared[1]).await?;
    Ok(all.len())
}

/// Shipment `n` of `mode` with the demo zone's parties.
fn demo_shipment(n: u32, mode: ExportMode) -> ExportParcel {
    let mut parcel = ExportParcel::numbered(n, mode);
    for r in &mut parcel.collection.receipts {
        r.pay_code = Some(PAY.to_owned());
        r.pay_name = "珲春边贸支付服务有限公司".to_owned();
    }
    for w in &mut parcel.waybill.logistics {
        w.logistics_code = LOGISTICS.to_owned();
    }
    for l in &mut parcel.list.inventory {
        l.inventory_head.logistics_code = LOGISTICS.to_owned();
    }
    parcel.collection.base_transfer.cop_code = PAY.to_owned();
    parcel.waybill.base_transfer.cop_code = LOGISTICS.to_owned();
    parcel
}

/// Sends the documents a shipment's mode uses: the list, then the order
/// (or booking) and, for a retail parcel, the receipt of payment and the
/// waybill.
async fn ship(state: &AppState, parcel: &ExportParcel, retail: bool) -> Result<(), String> {
    send(
        state,
        EBC,
        &[Role::Ebc],
        &Message::Ceb603(parcel.list.clone()),
    )
    .await?;
    send(
        state,
        EBP,
        &[Role::Ebp, Role::Ebc],
        &Message::Ceb303(parcel.order.clone()),
    )
    .await?;
    if retail {
        send(
            state,
            PAY,
            &[Role::Payment],
            &Message::Ceb403(parcel.collection.clone()),
        )
        .await?;
        send(
            state,
            LOGISTICS,
            &[Role::Logistics],
            &Message::Ceb505(parcel.waybill.clone()),
        )
        .await?;
    }
    Ok(())
}

/// The arrival of `parcels` at the zone warehouse's supervised site.
fn retargeted_arrival(
    parcels: &[&ExportParcel],
    cop_no: &str,
) -> kuajing_ceb::model::export::CEB507Message {
    let mut arrival = ExportParcel::arrival(parcels, cop_no);
    for a in &mut arrival.arrival {
        a.arrival_head.operator_code = WAREHOUSE.to_owned();
        a.arrival_head.operator_name = "珲春综保区保税仓储有限公司".to_owned();
        a.arrival_head.logistics_code = LOGISTICS.to_owned();
    }
    arrival.base_transfer.cop_code = WAREHOUSE.to_owned();
    arrival
}

/// The enterprise's Niigata warehouse, registered and approved.
async fn overseas_warehouse(state: &AppState) -> Result<(), String> {
    use kuajing_export::overseas_warehouses::{self, DecisionInput, WarehouseInput};
    let failed = |e: kuajing_server::error::Error| e.to_string();
    let input = WarehouseInput {
        warehouse_code: "JP-NII-01".to_owned(),
        name: "新潟海外仓".to_owned(),
        operator_name: "株式会社ハンチュン物流（演示）".to_owned(),
        country: "116".to_owned(),
        address: "新潟県新潟市東区臨港町 1-1".to_owned(),
        capacity: "1200".to_owned(),
        capacity_unit: "m2".to_owned(),
    };
    let filed = overseas_warehouses::register(state.store(), &acting(EBC, &[Role::Ebc]), &input)
        .await
        .map_err(failed)?;
    let approve = DecisionInput {
        decision: "approve".to_owned(),
        reason: String::new(),
    };
    overseas_warehouses::decide(
        state.store(),
        &acting(CUSTOMS, &[Role::Customs]),
        filed.id,
        &approve,
    )
    .await
    .map_err(failed)?;
    Ok(())
}

/// The honey the exporter bought at the Hunchun market without invoices,
/// recorded against the first retail list (无票免税).
async fn purchase_record(state: &AppState, invt_no: &str) -> Result<(), String> {
    use kuajing_export::purchase_records::{self, PurchaseInput};
    let today = kuajing_exchange::time_format::china_date(Timestamp::now());
    let input = PurchaseInput {
        purchase_date: today.to_string(),
        goods_name: "椴树蜂蜜 500g".to_owned(),
        unit: "007".to_owned(),
        quantity: "2".to_owned(),
        unit_price: "120.00".to_owned(),
        amount: "240.00".to_owned(),
        seller: "珲春市春化镇养蜂合作社（演示）".to_owned(),
        invt_nos: vec![invt_no.to_owned()],
    };
    purchase_records::record(state.store(), &acting(EBC, &[Role::Ebc]), &input)
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// The summary declaration (CEB701) of `lists`, released today.
async fn summary(state: &AppState, lists: &[String]) -> Result<(), String> {
    let Message::Ceb701(mut message) = sample(MessageType::Ceb701) else {
        return Err("the CEB701 sample is not a CEB701".to_owned());
    };
    let today = kuajing_exchange::time_format::china_date(Timestamp::now());
    let day = format!(
        "{:04}{:02}{:02}",
        today.year(),
        u8::from(today.month()),
        today.day()
    );
    message.guid = "E1D582D8-ABCC-4DF1-9A98-701000000001".to_owned();
    message.base_transfer.cop_code = EBC.to_owned();
    for apply in &mut message.summary_apply {
        let head = &mut apply.summary_apply_head;
        head.agent_code = EBC.to_owned();
        head.ebc_code = EBC.to_owned();
        head.cop_no = "HCSUM-20261128-01".to_owned();
        head.pre_no = None;
        head.sum_no = None;
        head.start_time = Some(format!("{day}000000"));
        head.end_time = Some(format!("{day}235959"));
        apply.summary_apply_list = lists
            .iter()
            .map(|invt_no| SummaryApplyList {
                invt_no: invt_no.clone(),
            })
            .collect();
    }
    send(state, EBC, &[Role::Ebc], &Message::Ceb701(message)).await
}

/// One jar of `parcel` (list `invt_no`) comes back from its Russian buyer
/// (CEB213) and is tallied at the zone warehouse's site (CEB215): honey is
/// food, so the return is taxable (policy-rules.md §7.2).
async fn goods_return(
    state: &AppState,
    parcel: &ExportParcel,
    invt_no: &str,
) -> Result<(), String> {
    let request = parcel.goods_return(invt_no, rust_decimal::Decimal::ONE);
    let co_el_no = request.invt_refund[0].invt_refund_head.co_el_no.clone();
    send(state, EBC, &[Role::Ebc], &Message::Ceb213(request)).await?;
    let mut tally = parcel.tally(invt_no, &co_el_no);
    for detail in &mut tally.invt_refund_detail {
        detail.operator_code = WAREHOUSE.to_owned();
        detail.operator_name = "珲春综保区保税仓储有限公司".to_owned();
        detail.location = Some("珲春综合保税区跨境电商监管中心 退货区".to_owned());
    }
    tally.base_transfer.cop_code = WAREHOUSE.to_owned();
    send(
        state,
        WAREHOUSE,
        &[Role::Warehouse],
        &Message::Ceb215(tally),
    )
    .await
}

/// The list number the platform gave a shipment's export list.
async fn list_number(state: &AppState, parcel: &ExportParcel) -> Result<String, String> {
    let head = parcel.list_head();
    let key =
        kuajing_exchange::documents::order_key(&head.ebp_code, &head.ebc_code, &head.order_no);
    let mut conn = state.store().reader().await.map_err(|e| e.to_string())?;
    store_docs::find_document(&mut conn, Kind::ExportList, &key)
        .await
        .map_err(|e| e.to_string())?
        .and_then(|l| l.invt_no)
        .ok_or_else(|| format!("export list {} was not released", head.cop_no))
}
