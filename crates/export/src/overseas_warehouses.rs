//! The overseas-warehouse registry (海外仓备案, issue #7; policy-rules.md
//! §2.3): an exporting enterprise registers each overseas warehouse it
//! ships 9810 stock to (跨境电商出口海外仓) — operator, country, address,
//! capacity, its own code and name — and files it with customs, which
//! approves it or returns it with a reason. A returned warehouse is changed
//! and filed again. Only approved warehouses count for a 9810 list
//! (`kuajing_store::overseas_warehouses::approved_in_country`).
//!
//! Access: the enterprise registers its own through [`Action::File`] and
//! reads its own; agencies read every registration ([`Action::ReadFilings`],
//! as they read the filing registry); customs decides
//! ([`Action::DecideWarehouses`]). Input is checked field by field before
//! anything is written (a refusal names the field, the rule and the value,
//! and changes nothing); every write is audited in its own transaction.

use kuajing_core::access::Action;
use kuajing_core::timestamp::Timestamp;
use kuajing_reference::ReferenceKind;
use kuajing_store::Store;
use kuajing_store::overseas_warehouses::{
    self as store, CapacityUnit, Decision, NewWarehouse, OverseasWarehouse, WarehouseFilter,
    WarehouseStatus,
};
use serde::{Deserialize, Serialize};

use kuajing_registry::actor::Actor;
use kuajing_registry::error::{Error, Result};
use kuajing_registry::filing::commodity::known_code;

/// The most warehouses one list shows.
pub const MAX_WAREHOUSES: i64 = 1000;

/// An overseas warehouse to register (or a returned one's new particulars).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WarehouseInput {
    /// The enterprise's own code for the warehouse (1–32 letters, digits,
    /// `-` or `_`), unique per enterprise; not changed when filed again.
    pub warehouse_code: String,
    /// The warehouse's name (1–200 characters).
    pub name: String,
    /// The overseas operator's name (1–200 characters).
    pub operator_name: String,
    /// Where it is: the 3-digit customs country code (e.g. `116` Japan,
    /// `133` Korea, `344` Russia), in the reference country table.
    pub country: String,
    /// Its address (1–500 characters).
    pub address: String,
    /// Its capacity, a positive whole number (text).
    pub capacity: String,
    /// What the capacity counts: `m2` (square metres), `m3` (cubic metres)
    /// or `pallet` (pallet positions).
    pub capacity_unit: String,
}

/// Customs' decision on a filed warehouse.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = WarehouseDecisionInput)]
pub struct DecisionInput {
    /// `approve` or `return`.
    pub decision: String,
    /// Why (required to return, 1–500 characters; optional to approve).
    #[serde(default)]
    pub reason: String,
}

/// A registered overseas warehouse as shown.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WarehouseView {
    /// Its key in the registry (in the URL of its decision).
    pub id: i64,
    /// The exporting enterprise's customs code.
    pub owner_code: String,
    /// The enterprise's own code for it.
    pub warehouse_code: String,
    /// Name.
    pub name: String,
    /// Operator.
    pub operator_name: String,
    /// Customs country code.
    pub country: String,
    /// Address.
    pub address: String,
    /// Capacity, a whole number.
    pub capacity: i64,
    /// `m2`, `m3` or `pallet`.
    pub capacity_unit: String,
    /// `filed` (waiting for customs), `approved` or `returned`.
    pub status: String,
    /// Why customs returned it (or its note to an approval).
    pub decision_reason: Option<String>,
    /// The officer who decided.
    pub decided_by: Option<String>,
    /// When (RFC 3339).
    pub decided_at: Option<String>,
    /// Who registered it.
    pub registered_by: String,
    /// When first registered (RFC 3339).
    pub registered_at: String,
}

/// Which warehouses to list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct WarehouseQuery {
    /// Only `filed`, `approved` or `returned` ones.
    pub status: Option<String>,
    /// Only in this country (3-digit customs code).
    pub country: Option<String>,
    /// At most this many, in order of registration (1–1000, default 200).
    pub limit: Option<i64>,
}

/// Checked particulars, borrowed from the input.
struct Checked<'a> {
    warehouse_code: &'a str,
    name: &'a str,
    operator_name: &'a str,
    country: String,
    address: &'a str,
    capacity: i64,
    capacity_unit: CapacityUnit,
}

async fn check<'a>(store: &Store, input: &'a WarehouseInput) -> Result<Checked<'a>> {
    let warehouse_code = warehouse_code(&input.warehouse_code)?;
    let name = text("name", &input.name, 200)?;
    let operator_name = text("operator_name", &input.operator_name, 200)?;
    let address = text("address", &input.address, 500)?;
    let capacity = capacity(&input.capacity)?;
    let capacity_unit = capacity_unit(&input.capacity_unit)?;
    let mut conn = store.reader().await?;
    let country = known_code(
        &mut conn,
        ReferenceKind::Country,
        "country",
        &input.country,
        Timestamp::now(),
    )
    .await?;
    Ok(Checked {
        warehouse_code,
        name,
        operator_name,
        country,
        address,
        capacity,
        capacity_unit,
    })
}

impl Checked<'_> {
    fn new_warehouse<'a>(&'a self, owner_code: &'a str, by: &'a str) -> NewWarehouse<'a> {
        NewWarehouse {
            owner_code,
            warehouse_code: self.warehouse_code,
            name: self.name,
            operator_name: self.operator_name,
            country: &self.country,
            address: self.address,
            capacity: self.capacity,
            capacity_unit: self.capacity_unit,
            registered_by: by,
        }
    }
}

/// Registers an overseas warehouse of the caller's enterprise and files it
/// with customs (409 `DUPLICATE` naming `warehouse_code` if the enterprise
/// has one with that code already).
pub async fn register(
    store: &Store,
    actor: &Actor,
    input: &WarehouseInput,
) -> Result<WarehouseView> {
    let owner = actor.organisation_code.clone().unwrap_or_default();
    actor
        .authorize(store, Action::File, &owner, "warehouse.register", "")
        .await?;
    let checked = check(store, input).await?;
    let new = checked.new_warehouse(&owner, &actor.name);
    let mut tx = store.begin().await?;
    let warehouse = store::register(&mut tx, &new, Timestamp::now()).await?;
    let detail = format!("{} {}", warehouse.warehouse_code, warehouse.country);
    actor
        .commit(
            tx,
            "warehouse.register",
            Some(&warehouse.warehouse_id.to_string()),
            Some(&detail),
        )
        .await?;
    Ok(view(warehouse))
}

/// Files a returned warehouse of the caller's enterprise again with new
/// particulars (its code stays; a code given differently is refused).
pub async fn refile(
    store: &Store,
    actor: &Actor,
    id: i64,
    input: &WarehouseInput,
) -> Result<WarehouseView> {
    let found = readable(store, actor, id, Action::File, "warehouse.refile").await?;
    if found.status != WarehouseStatus::Returned {
        return Err(not_decidable(&found, "WAREHOUSE_NOT_RETURNED"));
    }
    let checked = check(store, input).await?;
    if checked.warehouse_code != found.warehouse_code {
        return Err(Error::invalid(
            "warehouse_code",
            "WAREHOUSE_CODE_FIXED",
            format!(
                "海外仓编号不可更改（原为“{}”，申报值“{}”）",
                found.warehouse_code, checked.warehouse_code
            ),
            format!(
                "the warehouse code cannot change (it is '{}', given '{}')",
                found.warehouse_code, checked.warehouse_code
            ),
        ));
    }
    let new = checked.new_warehouse(&found.owner_code, &actor.name);
    let mut tx = store.begin().await?;
    let Some(warehouse) = store::refile(&mut tx, id, &new, Timestamp::now()).await? else {
        return Err(not_decidable(&found, "WAREHOUSE_NOT_RETURNED"));
    };
    actor
        .commit(
            tx,
            "warehouse.refile",
            Some(&id.to_string()),
            Some(&warehouse.warehouse_code),
        )
        .await?;
    Ok(view(warehouse))
}

/// Customs approves a filed warehouse or returns it with a reason.
pub async fn decide(
    store: &Store,
    actor: &Actor,
    id: i64,
    input: &DecisionInput,
) -> Result<WarehouseView> {
    let found = readable(store, actor, id, Action::ReadFilings, "warehouse.decide").await?;
    actor
        .authorize(
            store,
            Action::DecideWarehouses,
            &found.owner_code,
            "warehouse.decide",
            &id.to_string(),
        )
        .await?;
    let approve = match input.decision.trim() {
        "approve" => true,
        "return" => false,
        other => {
            return Err(Error::invalid(
                "decision",
                "WAREHOUSE_DECISION",
                format!("须为 approve（备案）或 return（退回）（申报值“{other}”）"),
                format!("must be approve or return (given '{other}')"),
            ));
        }
    };
    let reason = input.reason.trim();
    if !approve && reason.is_empty() {
        return Err(Error::invalid(
            "reason",
            "REASON_REQUIRED",
            "退回须填写原因",
            "returning needs a reason",
        ));
    }
    let reason = if reason.is_empty() {
        ""
    } else {
        text("reason", reason, 500)?
    };
    if found.status != WarehouseStatus::Filed {
        return Err(not_decidable(&found, "WAREHOUSE_NOT_FILED"));
    }
    let decision = Decision {
        approve,
        reason,
        decided_by: &actor.name,
    };
    let mut tx = store.begin().await?;
    let Some(warehouse) = store::decide(&mut tx, id, &decision, Timestamp::now()).await? else {
        return Err(not_decidable(&found, "WAREHOUSE_NOT_FILED"));
    };
    let detail = match reason {
        "" => warehouse.status.as_str().to_owned(),
        why => format!("{}; {why}", warehouse.status.as_str()),
    };
    actor
        .commit(tx, "warehouse.decide", Some(&id.to_string()), Some(&detail))
        .await?;
    Ok(view(warehouse))
}

/// The warehouses the caller may read (its own; every enterprise's for an
/// agency) that the query selects, in order of registration.
pub async fn list(
    store: &Store,
    actor: &Actor,
    query: &WarehouseQuery,
) -> Result<Vec<WarehouseView>> {
    let owner_code = if actor.may(Action::ReadFilings, "").is_ok() {
        None
    } else {
        let own = actor.organisation_code.clone().unwrap_or_default();
        actor
            .authorize(store, Action::ReadFilings, &own, "warehouse.read", "")
            .await?;
        Some(own)
    };
    let status = match query.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(WarehouseStatus::parse(text).ok_or_else(|| {
            Error::invalid(
                "status",
                "WAREHOUSE_STATUS",
                format!("须为 filed、approved 或 returned（申报值“{text}”）"),
                format!("must be filed, approved or returned (given '{text}')"),
            )
        })?),
    };
    let filter = WarehouseFilter {
        owner_code,
        status,
        country: query
            .country
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned),
        limit: query.limit.unwrap_or(200).clamp(1, MAX_WAREHOUSES),
    };
    let mut conn = store.reader().await?;
    let found = store::list(&mut conn, &filter).await?;
    Ok(found.into_iter().map(view).collect())
}

/// Whether the caller may decide on warehouses of `owner` (the portal shows
/// its decision forms only then).
pub fn decides(actor: &Actor, owner: &str) -> bool {
    actor.may(Action::DecideWarehouses, owner).is_ok()
}

/// The warehouse `id` if the caller may do `action` on its owner's records;
/// an unknown warehouse and one the caller may not see are both "not found".
async fn readable(
    store: &Store,
    actor: &Actor,
    id: i64,
    action: Action,
    audit_action: &str,
) -> Result<OverseasWarehouse> {
    let mut conn = store.reader().await?;
    let found = store::find(&mut conn, id).await?;
    drop(conn);
    let not_found = || Error::NotFound {
        what: "overseas warehouse",
        key: id.to_string(),
    };
    let found = found.ok_or_else(not_found)?;
    actor
        .authorize(
            store,
            action,
            &found.owner_code,
            audit_action,
            &id.to_string(),
        )
        .await
        .map_err(|_| not_found())?;
    Ok(found)
}

fn not_decidable(found: &OverseasWarehouse, code: &'static str) -> Error {
    let status = found.status.as_str();
    let (zh, en) = match code {
        "WAREHOUSE_NOT_RETURNED" => (
            format!(
                "海外仓 {} 当前为“{status}”，只有被退回的才能修改后重新申报",
                found.warehouse_code
            ),
            format!(
                "overseas warehouse {} is {status}: only a returned one can be changed and filed again",
                found.warehouse_code
            ),
        ),
        _ => (
            format!(
                "海外仓 {} 当前为“{status}”，只有已申报待审的才能备案或退回",
                found.warehouse_code
            ),
            format!(
                "overseas warehouse {} is {status}: only a filed one can be approved or returned",
                found.warehouse_code
            ),
        ),
    };
    Error::invalid("status", code, zh, en)
}

fn warehouse_code(value: &str) -> Result<&str> {
    let code = value.trim();
    let ok = (1..=32).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        return Ok(code);
    }
    Err(Error::invalid(
        "warehouse_code",
        "WAREHOUSE_CODE",
        format!("须为 1 至 32 位字母、数字、“-”或“_”（申报值“{value}”）"),
        format!("must be 1 to 32 letters, digits, '-' or '_' (given '{value}')"),
    ))
}

fn capacity(value: &str) -> Result<i64> {
    let text = value.trim();
    let parsed = text
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| text.parse::<i64>().ok())
        .flatten()
        .filter(|n| *n > 0);
    parsed.ok_or_else(|| {
        Error::invalid(
            "capacity",
            "WAREHOUSE_CAPACITY",
            format!("须为正整数（申报值“{value}”）"),
            format!("must be a positive whole number (given '{value}')"),
        )
    })
}

fn capacity_unit(value: &str) -> Result<CapacityUnit> {
    CapacityUnit::parse(value.trim()).ok_or_else(|| {
        Error::invalid(
            "capacity_unit",
            "WAREHOUSE_CAPACITY_UNIT",
            format!("须为 m2（平方米）、m3（立方米）或 pallet（托盘位）（申报值“{value}”）"),
            format!("must be m2 (square metres), m3 (cubic metres) or pallet (pallet positions) (given '{value}')"),
        )
    })
}

fn text<'a>(field: &str, value: &'a str, max: usize) -> Result<&'a str> {
    kuajing_registry::validate::text(field, "WAREHOUSE_TEXT", value, max)
}

fn view(w: OverseasWarehouse) -> WarehouseView {
    WarehouseView {
        id: w.warehouse_id,
        owner_code: w.owner_code,
        warehouse_code: w.warehouse_code,
        name: w.name,
        operator_name: w.operator_name,
        country: w.country,
        address: w.address,
        capacity: w.capacity,
        capacity_unit: w.capacity_unit.as_str().to_owned(),
        status: w.status.as_str().to_owned(),
        decision_reason: w.decision_reason,
        decided_by: w.decided_by,
        decided_at: w.decided_at.map(|t| t.to_string()),
        registered_by: w.registered_by,
        registered_at: w.registered_at.to_string(),
    }
}
