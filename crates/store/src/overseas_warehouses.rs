//! The overseas-warehouse registry (海外仓备案, issue #7; policy-rules.md
//! §2.3): the overseas warehouses an exporting enterprise ships 9810 stock
//! to (跨境电商出口海外仓), each filed with customs, which approves it or
//! returns it with a reason (who and when are kept). Only approved
//! warehouses count: [`approved_in_country`] is what the 9810 list check
//! asks (migration 0014).
//!
//! A decision is one conditional `UPDATE … WHERE status = 'filed'`, so two
//! officers deciding at once cannot both succeed; a returned registration is
//! changed by its owner and filed again.

use kuajing_core::timestamp::Timestamp;
use sqlx::Row;

use crate::Conn;

use crate::db::has_nul;
use crate::error::StoreError;
use crate::organisations::{parse_optional_time, parse_time};

/// What a warehouse's capacity is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapacityUnit {
    /// Square metres of floor (平方米).
    SquareMetres,
    /// Cubic metres of storage (立方米).
    CubicMetres,
    /// Pallet positions (托盘位).
    Pallets,
}

impl CapacityUnit {
    /// Every unit.
    pub const ALL: [CapacityUnit; 3] = [
        CapacityUnit::SquareMetres,
        CapacityUnit::CubicMetres,
        CapacityUnit::Pallets,
    ];

    /// The stored and API name.
    pub fn as_str(self) -> &'static str {
        match self {
            CapacityUnit::SquareMetres => "m2",
            CapacityUnit::CubicMetres => "m3",
            CapacityUnit::Pallets => "pallet",
        }
    }

    /// The unit a stored or API name names.
    pub fn parse(name: &str) -> Option<CapacityUnit> {
        CapacityUnit::ALL.into_iter().find(|u| u.as_str() == name)
    }
}

/// Where a registration stands with customs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarehouseStatus {
    /// Filed (已申报): waiting for customs.
    Filed,
    /// Approved (已备案) by customs: it counts for 9810.
    Approved,
    /// Returned (退回) by customs with a reason: the owner changes it and
    /// files it again.
    Returned,
}

impl WarehouseStatus {
    /// Every status.
    pub const ALL: [WarehouseStatus; 3] = [
        WarehouseStatus::Filed,
        WarehouseStatus::Approved,
        WarehouseStatus::Returned,
    ];

    /// The stored and API name.
    pub fn as_str(self) -> &'static str {
        match self {
            WarehouseStatus::Filed => "filed",
            WarehouseStatus::Approved => "approved",
            WarehouseStatus::Returned => "returned",
        }
    }

    /// The status a stored or API name names.
    pub fn parse(name: &str) -> Option<WarehouseStatus> {
        WarehouseStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

/// A warehouse to register (or a returned one's new particulars).
#[derive(Debug, Clone, Copy)]
pub struct NewWarehouse<'a> {
    /// The exporting enterprise (its 10-character customs code).
    pub owner_code: &'a str,
    /// The enterprise's own code for the warehouse, unique per enterprise.
    pub warehouse_code: &'a str,
    /// The warehouse's name.
    pub name: &'a str,
    /// Who operates it (the overseas operator's name).
    pub operator_name: &'a str,
    /// The 3-digit customs country code of where it is.
    pub country: &'a str,
    /// Its address.
    pub address: &'a str,
    /// Its capacity, positive, in `capacity_unit`.
    pub capacity: i64,
    /// What the capacity counts.
    pub capacity_unit: CapacityUnit,
    /// Who registered it.
    pub registered_by: &'a str,
}

/// A registered overseas warehouse and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverseasWarehouse {
    /// Internal key, in order of registration.
    pub warehouse_id: i64,
    /// The exporting enterprise.
    pub owner_code: String,
    /// Its own code for the warehouse.
    pub warehouse_code: String,
    /// Name.
    pub name: String,
    /// Operator.
    pub operator_name: String,
    /// Customs country code.
    pub country: String,
    /// Address.
    pub address: String,
    /// Capacity in `capacity_unit`.
    pub capacity: i64,
    /// What the capacity counts.
    pub capacity_unit: CapacityUnit,
    /// Where it stands with customs.
    pub status: WarehouseStatus,
    /// Why customs returned it (or a note to an approval).
    pub decision_reason: Option<String>,
    /// Who decided (the officer's name).
    pub decided_by: Option<String>,
    /// When.
    pub decided_at: Option<Timestamp>,
    /// Who registered it.
    pub registered_by: String,
    /// When first registered.
    pub registered_at: Timestamp,
    /// Last changed.
    pub updated_at: Timestamp,
}

/// A customs decision on a filed warehouse.
#[derive(Debug, Clone, Copy)]
pub struct Decision<'a> {
    /// Approve (true) or return (false).
    pub approve: bool,
    /// The reason (required to return; may be empty to approve).
    pub reason: &'a str,
    /// The officer.
    pub decided_by: &'a str,
}

const COLUMNS: &str = "warehouse_id, owner_code, warehouse_code, name, operator_name, country, \
     address, capacity, capacity_unit, status, decision_reason, decided_by, decided_at, \
     registered_by, registered_at, updated_at";

/// Registers a warehouse, filed with customs ([`StoreError::Duplicate`]
/// naming `warehouse_code` if the owner has one with that code already).
pub async fn register(
    conn: &mut Conn,
    new: &NewWarehouse<'_>,
    now: Timestamp,
) -> Result<OverseasWarehouse, StoreError> {
    if new.capacity <= 0 {
        return Err(StoreError::corrupt("capacity", new.capacity.to_string()));
    }
    let now = now.to_string();
    let id: i64 = crate::sql::query_scalar(
        "INSERT INTO overseas_warehouses (owner_code, warehouse_code, name, operator_name, country, \
         address, capacity, capacity_unit, status, registered_by, registered_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'filed', $9, $10, $10) RETURNING warehouse_id",
    )
    .bind(new.owner_code)
    .bind(new.warehouse_code)
    .bind(new.name)
    .bind(new.operator_name)
    .bind(new.country)
    .bind(new.address)
    .bind(new.capacity)
    .bind(new.capacity_unit.as_str())
    .bind(new.registered_by)
    .bind(&now)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::on_unique("warehouse_code", new.warehouse_code))?;
    find(conn, id)
        .await?
        .ok_or_else(|| StoreError::corrupt("overseas warehouse", id.to_string()))
}

/// Files a returned warehouse again with new particulars (its code and owner
/// stay): `None` if it is not the owner's or not returned (nothing changes).
pub async fn refile(
    conn: &mut Conn,
    warehouse_id: i64,
    new: &NewWarehouse<'_>,
    now: Timestamp,
) -> Result<Option<OverseasWarehouse>, StoreError> {
    if new.capacity <= 0 {
        return Err(StoreError::corrupt("capacity", new.capacity.to_string()));
    }
    let changed = crate::sql::query(
        "UPDATE overseas_warehouses SET name = $1, operator_name = $2, country = $3, address = $4, \
         capacity = $5, capacity_unit = $6, status = 'filed', decision_reason = NULL, \
         decided_by = NULL, decided_at = NULL, registered_by = $7, updated_at = $8 \
         WHERE warehouse_id = $9 AND owner_code = $10 AND status = 'returned'",
    )
    .bind(new.name)
    .bind(new.operator_name)
    .bind(new.country)
    .bind(new.address)
    .bind(new.capacity)
    .bind(new.capacity_unit.as_str())
    .bind(new.registered_by)
    .bind(now.to_string())
    .bind(warehouse_id)
    .bind(new.owner_code)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if changed == 0 {
        return Ok(None);
    }
    find(conn, warehouse_id).await
}

/// Records customs' decision on a filed warehouse: `None` if it is not
/// filed (decided already, or returned and not yet filed again), and then
/// nothing changes.
pub async fn decide(
    conn: &mut Conn,
    warehouse_id: i64,
    decision: &Decision<'_>,
    now: Timestamp,
) -> Result<Option<OverseasWarehouse>, StoreError> {
    let status = if decision.approve {
        WarehouseStatus::Approved
    } else {
        WarehouseStatus::Returned
    };
    let reason = Some(decision.reason).filter(|r| !r.is_empty());
    let now = now.to_string();
    let changed = crate::sql::query(
        "UPDATE overseas_warehouses SET status = $1, decision_reason = $2, decided_by = $3, \
         decided_at = $4, updated_at = $4 WHERE warehouse_id = $5 AND status = 'filed'",
    )
    .bind(status.as_str())
    .bind(reason)
    .bind(decision.decided_by)
    .bind(&now)
    .bind(warehouse_id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if changed == 0 {
        return Ok(None);
    }
    find(conn, warehouse_id).await
}

/// The warehouse with key `warehouse_id`, if there is one.
pub async fn find(
    conn: &mut Conn,
    warehouse_id: i64,
) -> Result<Option<OverseasWarehouse>, StoreError> {
    let row = crate::sql::query_text(format!(
        "SELECT {COLUMNS} FROM overseas_warehouses WHERE warehouse_id = $1"
    ))
    .bind(warehouse_id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Which warehouses to list.
#[derive(Debug, Clone, Default)]
pub struct WarehouseFilter {
    /// Only this owner's (customs code); `None` for every owner's.
    pub owner_code: Option<String>,
    /// Only in this status.
    pub status: Option<WarehouseStatus>,
    /// Only in this country (customs code).
    pub country: Option<String>,
    /// At most this many (1–1000), in order of registration.
    pub limit: i64,
}

/// The warehouses `filter` selects, in order of registration.
pub async fn list(
    conn: &mut Conn,
    filter: &WarehouseFilter,
) -> Result<Vec<OverseasWarehouse>, StoreError> {
    let texts = [filter.owner_code.as_deref(), filter.country.as_deref()];
    if texts.into_iter().flatten().any(has_nul) {
        return Ok(Vec::new());
    }
    let mut statement = crate::dynamic::Statement::new(format!(
        "SELECT {COLUMNS} FROM overseas_warehouses WHERE 1 = 1"
    ));
    if let Some(owner) = &filter.owner_code {
        statement.push(" AND owner_code = ").bind(owner.clone());
    }
    if let Some(status) = filter.status {
        statement
            .push(" AND status = ")
            .bind(status.as_str().to_owned());
    }
    if let Some(country) = &filter.country {
        statement.push(" AND country = ").bind(country.clone());
    }
    statement
        .push(" ORDER BY warehouse_id LIMIT ")
        .bind(filter.limit.clamp(1, 1000));
    let rows = statement.fetch_all(conn).await?;
    rows.iter().map(from_row).collect()
}

/// The owner's approved warehouse in `country` (the first by registration),
/// `None` if it has none there: what a 9810 export list needs (a filed
/// overseas warehouse in the country of arrival). `owner_code` is the
/// enterprise's 10-character customs code, `country` a 3-digit customs
/// country code.
pub async fn approved_in_country(
    conn: &mut Conn,
    owner_code: &str,
    country: &str,
) -> Result<Option<OverseasWarehouse>, StoreError> {
    if has_nul(owner_code) || has_nul(country) {
        return Ok(None);
    }
    let row = crate::sql::query_text(format!(
        "SELECT {COLUMNS} FROM overseas_warehouses \
         WHERE owner_code = $1 AND country = $2 AND status = 'approved' \
         ORDER BY warehouse_id LIMIT 1"
    ))
    .bind(owner_code)
    .bind(country)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<OverseasWarehouse, StoreError> {
    let unit: String = row.try_get("capacity_unit")?;
    let status: String = row.try_get("status")?;
    Ok(OverseasWarehouse {
        warehouse_id: row.try_get("warehouse_id")?,
        owner_code: row.try_get("owner_code")?,
        warehouse_code: row.try_get("warehouse_code")?,
        name: row.try_get("name")?,
        operator_name: row.try_get("operator_name")?,
        country: row.try_get("country")?,
        address: row.try_get("address")?,
        capacity: row.try_get("capacity")?,
        capacity_unit: CapacityUnit::parse(&unit)
            .ok_or_else(|| StoreError::corrupt("capacity unit", unit))?,
        status: WarehouseStatus::parse(&status)
            .ok_or_else(|| StoreError::corrupt("warehouse status", status))?,
        decision_reason: row.try_get("decision_reason")?,
        decided_by: row.try_get("decided_by")?,
        decided_at: parse_optional_time(row, "decided_at")?,
        registered_by: row.try_get("registered_by")?,
        registered_at: parse_time(row, "registered_at")?,
        updated_at: parse_time(row, "updated_at")?,
    })
}
