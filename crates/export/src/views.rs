//! What exporters and officers read of exports (issue #7): the export
//! lists (出口清单) with their mode, status and way out (arrived at the
//! supervised site, departed, under which master bill), and the manifests
//! that moved them (arrival CEB507, departure CEB509, master/sub-waybill
//! list CEB607). An enterprise reads the lists it declared and the
//! manifests it sent or carries (`Declare`, own); customs reads every
//! enterprise's (`ReadClearance`). The documents arrive through the
//! intake (`clearance::intake`); these are the views over them, for
//! `/api/exports/…` and the portal's `/exports`.

use kuajing_ceb::model::export::Inventory;
use kuajing_core::access::{Action, Scope};
use kuajing_store::Store;
use kuajing_store::ceb_documents::{self as store_docs, Document};
use kuajing_store::export_manifests::{self, ExitState};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::decision::EXITED;
use kuajing_exchange::record::from_body;
use kuajing_registry::actor::Actor;
use kuajing_registry::error::{Error, Result};

/// The most lists or manifests one read returns.
pub const MAX_ROWS: i64 = 500;

/// An export list as exporters and officers read it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ExportListView {
    /// The declarer's customs code.
    pub owner_code: String,
    /// The declarer's own number (copNo).
    pub cop_no: String,
    /// The pre-entry number the platform gave it.
    pub pre_no: Option<String>,
    /// The customs list number, once stored.
    pub invt_no: Option<String>,
    /// The supervision mode (tradeMode): 9610, 9710 or 9810.
    pub trade_mode: String,
    /// The order (or booking) number.
    pub order_no: String,
    /// The waybill number (logisticsNo).
    pub logistics_no: String,
    /// The country of arrival (customs code).
    pub country: String,
    /// `A` counted for statistics only (汇总统计), `B` summary declaration.
    pub statistics_flag: String,
    /// The status: the receipt code it stands at (2, 120, 399, 800, 100)
    /// or the platform's `exited` / `cancelled`.
    pub status: String,
    /// The goods' total (Σ totalPrice) and its currency code.
    pub value: String,
    /// The currency of the goods.
    pub currency: String,
    /// When it was declared (received), RFC 3339 UTC.
    pub declared_at: String,
    /// When it was released, RFC 3339 UTC.
    pub released_at: Option<String>,
    /// Whether an arrival at the supervised site named its waybill.
    pub arrived: bool,
    /// The departure's leave time (`yyyyMMddHHmmss`), once departed.
    pub left_at: Option<String>,
    /// The master bill it travels under, if a manifest gave one.
    pub bill_no: Option<String>,
}

/// A manifest as pages show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ManifestView {
    /// `arrival`, `departure` or `bill`.
    pub kind: String,
    /// The sender.
    pub sender_code: String,
    /// The sender's number.
    pub cop_no: String,
    /// The pre-entry number the platform gave it.
    pub pre_no: String,
    /// The master bill, if any.
    pub bill_no: Option<String>,
    /// Transport mode.
    pub traf_mode: String,
    /// When the conveyance left (a departure).
    pub leave_time: Option<String>,
    /// How many waybills it names.
    pub waybills: i64,
    /// When it was received, RFC 3339 UTC.
    pub received_at: String,
}

/// Which lists to read.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportsQuery {
    /// Only lists at this status (2, 120, 399, 800, 100, exited,
    /// cancelled); `released` for 800 and exited together.
    pub status: Option<String>,
    /// At most this many (1–500, default 500).
    pub limit: Option<i64>,
}

/// The organisation whose exports `actor` reads: `None` for customs (all),
/// its own code for an enterprise that declares; otherwise refused.
async fn readable(store: &Store, actor: &Actor) -> Result<Option<String>> {
    if actor.scope(Action::ReadClearance) == Some(Scope::All) {
        return Ok(None);
    }
    let own = actor.organisation_code.clone().unwrap_or_default();
    actor
        .authorize(store, Action::Declare, &own, "exports.read", &own)
        .await?;
    Ok(Some(own))
}

/// The export lists `actor` may read, newest first, as `query` selects.
pub async fn list_exports(
    store: &Store,
    actor: &Actor,
    query: &ExportsQuery,
) -> Result<Vec<ExportListView>> {
    let owner = readable(store, actor).await?;
    let limit = query.limit.unwrap_or(MAX_ROWS);
    if !(1..=MAX_ROWS).contains(&limit) {
        return Err(Error::invalid(
            "limit",
            "EXPORTS_LIMIT",
            format!("limit「{limit}」应在 1 到 {MAX_ROWS} 之间"),
            format!("limit '{limit}' must be between 1 and {MAX_ROWS}"),
        ));
    }
    let statuses: Vec<&str> = match query.status.as_deref().filter(|s| !s.is_empty()) {
        None => Vec::new(),
        Some("released") => vec!["800", EXITED],
        Some(status @ ("1" | "2" | "120" | "300" | "399" | "800" | "100" | "cancelled")) => {
            vec![status]
        }
        Some(EXITED) => vec![EXITED],
        Some(other) => {
            return Err(Error::invalid(
                "status",
                "EXPORTS_STATUS",
                format!(
                    "status「{other}」应为 2、120、399、800、100、exited、cancelled 或 released"
                ),
                format!(
                    "status '{other}' must be one of 2, 120, 399, 800, 100, exited, cancelled, released"
                ),
            ));
        }
    };
    let mut conn = store.reader().await?;
    let lists =
        store_docs::export_lists_of_owner(&mut conn, owner.as_deref(), &statuses, limit).await?;
    let keys: Vec<&str> = lists
        .iter()
        .filter_map(|l| l.waybill_key.as_deref())
        .collect();
    let states = export_manifests::exit_states(&mut conn, &keys).await?;
    lists
        .iter()
        .map(|list| {
            let state = states
                .iter()
                .find(|s| Some(s.waybill_key.as_str()) == list.waybill_key.as_deref());
            view(list, state)
        })
        .collect()
}

/// One list's view, with where its waybill stands.
fn view(list: &Document, state: Option<&ExitState>) -> Result<ExportListView> {
    let inventory: Inventory = from_body(&list.body)?;
    let head = &inventory.inventory_head;
    let value: Decimal = inventory.inventory_list.iter().map(|l| l.total_price).sum();
    let currency = inventory
        .inventory_list
        .first()
        .map(|l| l.currency.clone())
        .unwrap_or_default();
    Ok(ExportListView {
        owner_code: list.owner_code.clone(),
        cop_no: head.cop_no.clone(),
        pre_no: list.pre_no.clone(),
        invt_no: list.invt_no.clone(),
        trade_mode: head.trade_mode.clone(),
        order_no: head.order_no.clone(),
        logistics_no: head.logistics_no.clone(),
        country: head.country.clone(),
        statistics_flag: head.statistics_flag.clone(),
        status: list.status.clone(),
        value: value.to_string(),
        currency,
        declared_at: list.created_at.to_string(),
        released_at: list.released_at.map(|t| t.to_string()),
        arrived: state.is_some_and(|s| s.arrived_at.is_some()),
        left_at: state.and_then(|s| s.left_at.clone()),
        bill_no: state.and_then(|s| s.bill_no.clone()),
    })
}

/// The latest manifests `actor` may read (customs all; an enterprise those
/// it sent or whose logistics enterprise it is), newest first.
pub async fn list_manifests(store: &Store, actor: &Actor) -> Result<Vec<ManifestView>> {
    let owner = readable(store, actor).await?;
    let mut conn = store.reader().await?;
    let manifests = export_manifests::latest(&mut conn, owner.as_deref(), MAX_ROWS).await?;
    Ok(manifests
        .into_iter()
        .map(|m| ManifestView {
            kind: m.kind,
            sender_code: m.sender_code,
            cop_no: m.cop_no,
            pre_no: m.pre_no,
            bill_no: m.bill_no,
            traf_mode: m.traf_mode,
            leave_time: m.leave_time,
            waybills: m.waybills,
            received_at: m.created_at.to_string(),
        })
        .collect())
}
