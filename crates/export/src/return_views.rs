//! What exporters and officers read of export returns (出口退货, issue #7;
//! policy-rules.md §7.2): each return request accepted (CEB213) with its
//! export list, lines, state (`requested`, or `tallied` once the site's
//! tally detail CEB215 came in) and tax consequence with its basis. An
//! enterprise reads the returns it sent or is the e-commerce enterprise of
//! (`Declare`, own); customs reads every one (`ReadClearance`). The
//! requests arrive through the intake (`clearance::export_returns`); this
//! is the view over them, for `GET /api/exports/returns` and the portal's
//! `/exports`.

use kuajing_core::access::{Action, Scope};
use kuajing_store::Store;
use kuajing_store::export_returns::{self as store_returns, ExportReturn};
use serde::Serialize;

use kuajing_registry::actor::Actor;
use kuajing_registry::error::Result;

/// The most returns one read gives.
pub const MAX_RETURNS: i64 = 500;

/// One line returned.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ExportReturnLineView {
    /// The original list's line number (`gnum`).
    pub gnum: i64,
    /// Goods code.
    pub gcode: String,
    /// Goods name.
    pub gname: String,
    /// Quantity returned (exact decimal text).
    pub qty: String,
    /// Declared unit (customs unit code).
    pub unit: String,
}

/// An export return as exporters and officers read it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ExportReturnView {
    /// The sender (the list's declarer).
    pub sender_code: String,
    /// The sender's number (`coElNo`).
    pub co_el_no: String,
    /// The platform's pre-entry number (`preNo`).
    pub pre_no: String,
    /// The export list's number (`invtNo`).
    pub invt_no: String,
    /// The e-commerce enterprise (`ebcCode`).
    pub ebc_code: String,
    /// The export's supervision mode (9610, 9710, 9810, 1210).
    pub trade_mode: String,
    /// The return parcel's waybill number.
    pub logistics_no: String,
    /// When the list was released, RFC 3339 UTC.
    pub released_at: String,
    /// Why the goods came back.
    pub reason: String,
    /// `requested` (waiting for the goods) or `tallied` (back in).
    pub state: String,
    /// `exempt` (import taxes exempt, export duty refunded) or `taxable`.
    pub tax: String,
    /// The basis of the tax consequence (the rule and its source).
    pub tax_basis: String,
    /// When accepted, RFC 3339 UTC.
    pub requested_at: String,
    /// When tallied, RFC 3339 UTC.
    pub tallied_at: Option<String>,
    /// The lines returned.
    pub lines: Vec<ExportReturnLineView>,
}

impl From<ExportReturn> for ExportReturnView {
    fn from(r: ExportReturn) -> Self {
        ExportReturnView {
            sender_code: r.sender_code,
            co_el_no: r.co_el_no,
            pre_no: r.pre_no,
            invt_no: r.invt_no,
            ebc_code: r.ebc_code,
            trade_mode: r.trade_mode,
            logistics_no: r.logistics_no,
            released_at: r.released_at.to_string(),
            reason: r.reason,
            state: r.state,
            tax: r.tax,
            tax_basis: r.tax_basis,
            requested_at: r.created_at.to_string(),
            tallied_at: r.tallied_at.map(|t| t.to_string()),
            lines: r
                .lines
                .into_iter()
                .map(|l| ExportReturnLineView {
                    gnum: l.gnum,
                    gcode: l.gcode,
                    gname: l.gname,
                    qty: l.qty,
                    unit: l.unit,
                })
                .collect(),
        }
    }
}

/// The export returns `actor` may read, newest first: customs every one,
/// an enterprise those it sent or is the e-commerce enterprise of.
pub async fn list_returns(store: &Store, actor: &Actor) -> Result<Vec<ExportReturnView>> {
    let party = if actor.scope(Action::ReadClearance) == Some(Scope::All) {
        None
    } else {
        let own = actor.organisation_code.clone().unwrap_or_default();
        actor
            .authorize(store, Action::Declare, &own, "exports.read", &own)
            .await?;
        Some(own)
    };
    let mut conn = store.reader().await?;
    let returns = store_returns::returns(&mut conn, party.as_deref(), MAX_RETURNS).await?;
    Ok(returns.into_iter().map(ExportReturnView::from).collect())
}
