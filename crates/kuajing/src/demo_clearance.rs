//! The demo zone's parcels: CEB messages sent through the real intake by
//! the demo platform, e-commerce enterprise, payment and logistics
//! companies, so that every clearance page has something true to show —
//! released parcels with their tax bills, a refused mismatch and an
//! over-limit list, a watched buyer's list waiting for an officer, a
//! cancelled and a returned parcel, and a list still waiting for its
//! waybill; then the zone warehouse ships the day's bonded lists out,
//! counts its stock, and keeps two repair orders at its repair desk. All
//! people and numbers are fictitious (the codec's example story,
//! `kuajing_ceb::sample::Parcel`, with the demo's parties).
//!
//! The demo lists are sent unsigned (the demo has no e-port
//! certificates): the load uses a sandbox copy of the server's state, as
//! `--allow-unsigned-messages` would; the server started afterwards
//! checks signatures as configured.

use kuajing_ceb::Message;
use kuajing_ceb::sample::Parcel;
use kuajing_core::role::Role;
use kuajing_core::timestamp::Timestamp;
use kuajing_exchange::ClearanceSettings;
use kuajing_exchange::documents::order_key;
use kuajing_registry::actor::Actor;
use kuajing_server::{AppState, ServerConfig};
use kuajing_store::Store;
use rust_decimal::Decimal;

use crate::demo_parties::{
    EBC, EBP, LOGISTICS, PAY, SUPPLY_CHAIN_DECLARER, WAREHOUSE, acting, send,
};

/// Jars of honey the demo warehouse took in on its first-line entry.
const DEMO_STOCK: i64 = 1_200;

/// How many parcels the demo sends.
pub const PARCELS: u32 = 24;

/// Why the demo parcels could not be loaded.
#[derive(Debug, thiserror::Error)]
#[error("demo parcel {parcel}: {message}")]
pub struct DemoClearanceError {
    parcel: u32,
    message: String,
}

/// Sends the demo parcels; returns how many.
pub async fn load(store: &Store) -> Result<u32, DemoClearanceError> {
    let config = ServerConfig {
        clearance: ClearanceSettings {
            allow_unsigned_messages: true,
            ..ClearanceSettings::default()
        },
        ..ServerConfig::default()
    };
    let state = AppState::new(store.clone(), config, true);
    stock_book(store, WAREHOUSE, 1, DEMO_STOCK)
        .await
        .map_err(|e| DemoClearanceError {
            parcel: 0,
            message: e.to_string(),
        })?;
    for n in 1..=PARCELS {
        send_parcel(&state, n).await?;
    }
    ship_out_and_count(&state)
        .await
        .map_err(|message| DemoClearanceError { parcel: 0, message })?;
    repair_desk(&state)
        .await
        .map_err(|message| DemoClearanceError { parcel: 0, message })?;
    crate::demo_exports::load(&state)
        .await
        .map_err(|message| DemoClearanceError { parcel: 0, message })?;
    delegate_lists(&state)
        .await
        .map_err(|message| DemoClearanceError { parcel: 0, message })?;
    Ok(PARCELS)
}

/// The demo's supply-chain company, a customs declarer, may declare the
/// e-commerce enterprise's lists (委托申报, issue #14): the delegation the
/// enterprise sees on `/delegations`, granted through the same use case as
/// the page and `/api/delegations`.
async fn delegate_lists(state: &AppState) -> Result<(), String> {
    use kuajing_registry::delegations::{self, DelegationInput};
    let input = DelegationInput {
        agent_code: SUPPLY_CHAIN_DECLARER.to_owned(),
        scopes: vec!["lists".to_owned()],
        valid_through: None,
        note: "报关委托协议 HC-2026-018".to_owned(),
    };
    let actor = Actor {
        name: "ebc".to_owned(),
        ..acting(EBC, &[Role::Ebc])
    };
    delegations::grant(state.store(), &actor, &input)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// The demo warehouse's repair desk (保税维修): a Vladivostok dealer's
/// three tablet computers from abroad, two repaired and re-exported, one
/// still awaiting repair; and a Changchun shop's two coffee machines from
/// the domestic market, one repaired (a pump used) and returned, one found
/// unrepairable, its broken parts gone as solid waste.
async fn repair_desk(state: &AppState) -> Result<(), String> {
    use kuajing_bonded::repair::{self, MaterialInput, MovementInput, OrderInput, ScrapInput};
    let clerk = warehouse_clerk();
    let failed = |e: kuajing_server::error::Error| e.to_string();
    let today = kuajing_exchange::time_format::china_date(Timestamp::now()).to_string();
    let order =
        |origin: &str, customer: &str, goods: &str, hs: &str, quantity: &str, value: &str| {
            OrderInput {
                origin: origin.to_owned(),
                customer_name: customer.to_owned(),
                goods_name: goods.to_owned(),
                hs_code: hs.to_owned(),
                unit: "001".to_owned(),
                quantity: quantity.to_owned(),
                currency: "142".to_owned(),
                declared_value: value.to_owned(),
                received_on: today.clone(),
                reference: String::new(),
            }
        };
    let step = |kind: &str, quantity: &str, reference: &str, note: &str| MovementInput {
        kind: kind.to_owned(),
        quantity: quantity.to_owned(),
        reference: reference.to_owned(),
        note: note.to_owned(),
    };
    let tablets = order(
        "abroad",
        "ООО «Восток Трейд» (Владивосток)",
        "平板电脑",
        "8471300000",
        "3",
        "4800.00",
    );
    let tablets = repair::open_order(state.store(), &clerk, &tablets)
        .await
        .map_err(failed)?;
    for kind in [
        step("repaired", "2", "", "更换屏幕 / screen replaced"),
        step(
            "shipped-repaired",
            "2",
            "复运出境报关单 220120261127000451",
            "",
        ),
    ] {
        repair::record_movement(state.store(), &clerk, &tablets.order_no, &kind)
            .await
            .map_err(failed)?;
    }
    let machines = order(
        "domestic",
        "长春咖啡器具店",
        "咖啡机",
        "8516719000",
        "2",
        "3600.00",
    );
    let machines = repair::open_order(state.store(), &clerk, &machines)
        .await
        .map_err(failed)?;
    let steps = [
        step("repaired", "1", "", "更换水泵 / pump replaced"),
        step("unrepairable", "1", "", "主板烧毁 / main board burnt out"),
        step("shipped-repaired", "1", "返还记录 FH2026112701", ""),
    ];
    for kind in &steps {
        repair::record_movement(state.store(), &clerk, &machines.order_no, kind)
            .await
            .map_err(failed)?;
    }
    let pump = MaterialInput {
        name: "咖啡机水泵".to_owned(),
        hs_code: "8413810090".to_owned(),
        unit: "001".to_owned(),
        quantity: "1".to_owned(),
    };
    repair::use_material(state.store(), &clerk, &machines.order_no, &pump)
        .await
        .map_err(failed)?;
    let scrap = ScrapInput {
        description: "烧毁主板及外壳 / burnt main board and casing".to_owned(),
        weight_kg: "3.25".to_owned(),
        disposal_enterprise: "珲春市环保固废处置有限公司".to_owned(),
        disposal_record_no: "GF2026112701".to_owned(),
    };
    repair::record_scrap(state.store(), &clerk, &machines.order_no, &scrap)
        .await
        .map_err(failed)?;
    Ok(())
}

/// The demo warehouse's clerk, acting through the use cases.
fn warehouse_clerk() -> Actor {
    acting(WAREHOUSE, &[Role::Warehouse])
}

/// The demo warehouse ships the day's released 1210 lists out — the exit
/// verification list and its gate release list, the vehicle not yet past
/// the gate — and uploads its stock count of the month, one jar short (a
/// jar found broken on the shelf and not yet written off), which the
/// reconciliation turns into a finding for the officers.
async fn ship_out_and_count(state: &AppState) -> Result<(), String> {
    use kuajing_bonded::books::exit::{self, GateReleaseInput, VerificationInput};
    use kuajing_bonded::books::{self as bonded, reconciliation};
    let clerk = warehouse_clerk();
    let failed = |e: kuajing_server::error::Error| e.to_string();
    let today = kuajing_exchange::time_format::china_date(Timestamp::now());
    let day = VerificationInput {
        business_day: today.to_string(),
    };
    let verification = exit::generate(state.store(), &clerk, Parcel::BOOK, &day)
        .await
        .map_err(failed)?;
    let vehicle = GateReleaseInput {
        vehicle_no: "吉H·D2046".to_owned(),
    };
    exit::file_gate_release(state.store(), &clerk, &verification.number, &vehicle)
        .await
        .map_err(failed)?;
    let book = bonded::read_book(state.store(), &clerk, Parcel::BOOK)
        .await
        .map_err(failed)?;
    let mut count = String::from("item_no,quantity\n");
    for line in &book.lines {
        let stock: Decimal = line.stock.parse().map_err(|e| format!("stock: {e}"))?;
        count.push_str(&format!("{},{}\n", line.item_no, stock - Decimal::ONE));
    }
    let month = reconciliation::month_text(today);
    let file = format!("盘点-{month}.csv");
    reconciliation::upload_count(
        state.store(),
        &clerk,
        Parcel::BOOK,
        &month,
        &file,
        count.as_bytes(),
    )
    .await
    .map_err(failed)?;
    Ok(())
}

/// What happens to demo parcel `n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Story {
    Clean,
    Mismatched,
    OverLimit,
    Watched,
    Cancelled,
    Returned,
    NoWaybillYet,
}

fn story(n: u32) -> Story {
    match n {
        5 => Story::Mismatched,
        9 => Story::OverLimit,
        13 => Story::Watched,
        17 => Story::Cancelled,
        20 => Story::Returned,
        24 => Story::NoWaybillYet,
        _ => Story::Clean,
    }
}

async fn send_parcel(state: &AppState, n: u32) -> Result<(), DemoClearanceError> {
    let fail = |message: String| DemoClearanceError { parcel: n, message };
    let story = story(n);
    let mut parcel = demo_parcel(n);
    match story {
        Story::Mismatched => {
            for p in &mut parcel.payment.payment {
                p.payment_head.amount_paid -= Decimal::new(10, 0);
            }
        }
        Story::OverLimit => parcel = parcel.priced(Decimal::new(2_800, 0)),
        Story::Watched => {
            let buyer = parcel.list.inventory[0]
                .inventory_head
                .buyer_id_number
                .clone();
            let mut tx = state
                .store()
                .begin()
                .await
                .map_err(|e| fail(e.to_string()))?;
            kuajing_store::clearance::watch_buyer(
                &mut tx,
                &buyer,
                "演示：布控名单上的订购人",
                "demo",
                Timestamp::now(),
            )
            .await
            .map_err(|e| fail(e.to_string()))?;
            tx.commit().await.map_err(|e| fail(e.to_string()))?;
        }
        _ => {}
    }
    send(
        state,
        EBP,
        &[Role::Ebp, Role::Ebc],
        &Message::Ceb311(parcel.order.clone()),
    )
    .await
    .map_err(fail)?;
    send(
        state,
        PAY,
        &[Role::Payment],
        &Message::Ceb411(parcel.payment.clone()),
    )
    .await
    .map_err(fail)?;
    if story != Story::NoWaybillYet {
        send(
            state,
            LOGISTICS,
            &[Role::Logistics],
            &Message::Ceb511(parcel.waybill.clone()),
        )
        .await
        .map_err(fail)?;
    }
    send(
        state,
        EBC,
        &[Role::Ebc],
        &Message::Ceb621(parcel.list.clone()),
    )
    .await
    .map_err(fail)?;
    match story {
        Story::Cancelled => {
            let invt_no = list_number(state, &parcel).await.map_err(fail)?;
            let message = Message::Ceb623(parcel.cancellation(&invt_no));
            send(state, EBC, &[Role::Ebc], &message)
                .await
                .map_err(fail)?;
        }
        Story::Returned => {
            let invt_no = list_number(state, &parcel).await.map_err(fail)?;
            let message = Message::Ceb625(parcel.goods_return(&invt_no, Decimal::ONE));
            send(state, EBC, &[Role::Ebc], &message)
                .await
                .map_err(fail)?;
        }
        _ => {}
    }
    Ok(())
}

/// Parcel `n` of the codec's story with the demo zone's parties.
fn demo_parcel(n: u32) -> Parcel {
    let mut parcel = Parcel::numbered(n);
    for o in &mut parcel.order.order {
        o.order_head.pay_code = Some(PAY.to_owned());
        o.order_head.pay_name = Some("珲春边贸支付服务有限公司".to_owned());
    }
    for p in &mut parcel.payment.payment {
        p.payment_head.pay_code = PAY.to_owned();
    }
    for w in &mut parcel.waybill.logistics {
        w.logistics_head.logistics_code = LOGISTICS.to_owned();
    }
    for l in &mut parcel.list.inventory {
        l.inventory_head.logistics_code = LOGISTICS.to_owned();
        l.inventory_head.area_code = Some(WAREHOUSE.to_owned());
        l.inventory_head.area_name = Some("珲春综保区保税仓储有限公司".to_owned());
    }
    parcel.payment.base_transfer.cop_code = PAY.to_owned();
    parcel.waybill.base_transfer.cop_code = LOGISTICS.to_owned();
    parcel
}

/// The list number the platform gave parcel's list.
async fn list_number(state: &AppState, parcel: &Parcel) -> Result<String, String> {
    let head = &parcel.list.inventory[0].inventory_head;
    let key = order_key(&head.ebp_code, &head.ebc_code, &head.order_no);
    let mut conn = state.store().reader().await.map_err(|e| e.to_string())?;
    kuajing_store::ceb_documents::find_document(
        &mut conn,
        kuajing_store::ceb_documents::Kind::List,
        &key,
    )
    .await
    .map_err(|e| e.to_string())?
    .and_then(|l| l.invt_no)
    .ok_or_else(|| "the list was not numbered".to_owned())
}

/// Opens the bonded account book the example parcels' 1210 lists draw on
/// ([`Parcel::BOOK`]) for the warehouse `owner`, with `items` lines of honey
/// numbered `1`, `2`, … (item 1 is [`Parcel::ITEM`]), each in
/// [`Parcel::UNIT`] and each with a first-line entry of `units_each` jars:
/// what the demo, `kuajing bench clearance` and the command-line tests
/// stock before their parcels are sent.
pub async fn stock_book(
    store: &Store,
    owner: &str,
    items: u32,
    units_each: i64,
) -> Result<(), kuajing_store::StoreError> {
    use kuajing_store::ems_books::{
        self, MovementKind, NewBook, NewLine, NewMovement, Purpose, UNIT_SCALE,
    };
    let now = Timestamp::now();
    let mut tx = store.begin().await?;
    let book = NewBook {
        ems_no: Parcel::BOOK,
        owner_code: owner,
        zone_code: "2991",
        name: "珲春综保区跨境电商保税账册",
    };
    ems_books::open_book(&mut tx, &book, now).await?;
    for item in 1..=items {
        let item_no = item.to_string();
        let line = NewLine {
            ems_no: Parcel::BOOK,
            item_no: &item_no,
            hs_code: "0409000000",
            goods_name: "椴树蜂蜜 500g",
            unit: Parcel::UNIT,
            currency: "142",
            unit_value: "168.00",
        };
        ems_books::add_line(&mut tx, &line, now).await?;
        let entry = NewMovement {
            ems_no: Parcel::BOOK,
            item_no: &item_no,
            kind: MovementKind::FirstLineIn,
            quantity: units_each.saturating_mul(UNIT_SCALE),
            reference: "进境备案清单 QD2991261127001",
            reason: "一线入区 / first-line entry",
            approved_by: None,
            purpose: Some(Purpose::Entry),
            recorded_by: owner,
        };
        ems_books::record(&mut tx, &entry, now).await?;
    }
    tx.commit().await?;
    Ok(())
}
