//! Organisations (enterprises and agencies) and the roles they hold.
//!
//! The customs registration code is the business key: CEB messages name an
//! enterprise by it, so it is unique and indexed.

use kuajing_core::ids::{CustomsCode, Uscc};
use kuajing_core::role::{Role, RoleSet};
use kuajing_core::timestamp::Timestamp;
use sqlx::{AnyConnection, Row};

use crate::db::has_nul;
use crate::dynamic::Statement;
use crate::error::StoreError;

/// Whether an organisation may act on the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OrganisationStatus {
    /// Filed and approved; its users and tokens work.
    Active,
    /// Suspended by the zone administration; its users and tokens are refused.
    Suspended,
}

impl OrganisationStatus {
    /// The stored and API name.
    pub fn as_str(self) -> &'static str {
        match self {
            OrganisationStatus::Active => "active",
            OrganisationStatus::Suspended => "suspended",
        }
    }

    /// Parses the stored and API name.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "active" => Some(OrganisationStatus::Active),
            "suspended" => Some(OrganisationStatus::Suspended),
            _ => None,
        }
    }
}

/// An organisation as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    /// Internal id (UUID v7).
    pub id: String,
    /// Customs registration code (海关注册编码), the business key.
    pub customs_code: CustomsCode,
    /// Name in Chinese.
    pub name: String,
    /// Name in English, if filed.
    pub name_en: Option<String>,
    /// Unified social credit code, if filed (foreign sellers have none).
    pub uscc: Option<Uscc>,
    /// Active or suspended.
    pub status: OrganisationStatus,
    /// Roles held.
    pub roles: RoleSet,
    /// Park or area of the zone where it is based (e.g. 珲春综合保税区).
    pub park: Option<String>,
    /// Registered address.
    pub address: Option<String>,
    /// Contact person's name (personal data: reads are audited).
    pub contact_name: Option<String>,
    /// Contact person's phone (personal data: reads are audited).
    pub contact_phone: Option<String>,
    /// Part of the demo data set, not a real organisation.
    pub is_demo: bool,
    /// When it was filed.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// What is needed to file a new organisation.
#[derive(Debug, Clone)]
pub struct NewOrganisation {
    /// Customs registration code.
    pub customs_code: CustomsCode,
    /// Name in Chinese.
    pub name: String,
    /// Name in English.
    pub name_en: Option<String>,
    /// Unified social credit code.
    pub uscc: Option<Uscc>,
    /// Roles; at least one.
    pub roles: RoleSet,
    /// Park or area.
    pub park: Option<String>,
    /// Registered address.
    pub address: Option<String>,
    /// Contact person's name.
    pub contact_name: Option<String>,
    /// Contact person's phone.
    pub contact_phone: Option<String>,
    /// Part of the demo data set.
    pub is_demo: bool,
}

/// Filters for [`list`].
#[derive(Debug, Clone, Default)]
pub struct OrganisationFilter {
    /// Only this organisation (an enterprise listing its own).
    pub customs_code: Option<String>,
    /// Only organisations holding this role.
    pub role: Option<Role>,
    /// Only organisations in this status.
    pub status: Option<OrganisationStatus>,
}

const COLUMNS: &str = "id, customs_code, name, name_en, uscc, status, park, address, \
     contact_name, contact_phone, is_demo, created_at, updated_at";

/// Files a new, active organisation with its roles; returns it.
pub async fn insert(
    conn: &mut AnyConnection,
    new: &NewOrganisation,
    now: Timestamp,
) -> Result<Organisation, StoreError> {
    let id = uuid::Uuid::now_v7().to_string();
    let at = now.to_string();
    sqlx::query(
        "INSERT INTO organisations (id, customs_code, name, name_en, uscc, status, park, address, \
         contact_name, contact_phone, is_demo, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $8, $9, $10, $11, $11)",
    )
    .bind(&id)
    .bind(new.customs_code.as_str())
    .bind(&new.name)
    .bind(new.name_en.as_deref())
    .bind(new.uscc.as_ref().map(Uscc::as_str))
    .bind(new.park.as_deref())
    .bind(new.address.as_deref())
    .bind(new.contact_name.as_deref())
    .bind(new.contact_phone.as_deref())
    .bind(i64::from(new.is_demo))
    .bind(&at)
    .execute(&mut *conn)
    .await
    .map_err(|e| duplicate_key(e, new))?;
    for role in new.roles.iter() {
        sqlx::query("INSERT INTO organisation_roles (organisation_id, role) VALUES ($1, $2)")
            .bind(&id)
            .bind(role.as_str().to_owned())
            .execute(&mut *conn)
            .await?;
    }
    find_by_code(conn, new.customs_code.as_str())
        .await?
        .ok_or_else(|| StoreError::NotFound {
            what: "organisation",
            key: new.customs_code.to_string(),
        })
}

/// Names which unique key a failed insert collided with.
fn duplicate_key(error: sqlx::Error, new: &NewOrganisation) -> StoreError {
    let message = error
        .as_database_error()
        .filter(|db| db.is_unique_violation())
        .map(|db| db.message().to_owned());
    match message {
        Some(m) if m.contains("uscc") => StoreError::Duplicate {
            field: "uscc",
            value: new.uscc.as_ref().map(|u| u.to_string()).unwrap_or_default(),
        },
        Some(_) => StoreError::Duplicate {
            field: "customs_code",
            value: new.customs_code.to_string(),
        },
        None => StoreError::Database(error),
    }
}

/// Finds an organisation by its customs code.
pub async fn find_by_code(
    conn: &mut AnyConnection,
    customs_code: &str,
) -> Result<Option<Organisation>, StoreError> {
    if has_nul(customs_code) {
        return Ok(None);
    }
    let sql = format!("SELECT {COLUMNS} FROM organisations WHERE customs_code = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(customs_code)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(row) => {
            let mut org = from_row(&row)?;
            org.roles = roles_of(conn, &org.id).await?;
            Ok(Some(org))
        }
        None => Ok(None),
    }
}

/// Lists organisations matching `filter`, ordered by customs code.
pub async fn list(
    conn: &mut AnyConnection,
    filter: &OrganisationFilter,
) -> Result<Vec<Organisation>, StoreError> {
    let mut query = Statement::new(format!("SELECT {COLUMNS} FROM organisations WHERE 1 = 1"));
    if let Some(code) = &filter.customs_code {
        query.push(" AND customs_code = ").bind(code.clone());
    }
    if let Some(status) = filter.status {
        query
            .push(" AND status = ")
            .bind(status.as_str().to_owned());
    }
    if let Some(role) = filter.role {
        query
            .push(" AND id IN (SELECT organisation_id FROM organisation_roles WHERE role = ")
            .bind(role.as_str().to_owned())
            .push(")");
    }
    query.push(" ORDER BY customs_code");
    let rows = query.fetch_all(&mut *conn).await?;
    let mut organisations = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    if organisations.is_empty() {
        return Ok(organisations);
    }
    let mut roles_query = Statement::new(
        "SELECT organisation_id, role FROM organisation_roles WHERE organisation_id IN (",
    );
    roles_query
        .bind_list(organisations.iter().map(|o| o.id.clone()))
        .push(")");
    let index: std::collections::HashMap<String, usize> = organisations
        .iter()
        .enumerate()
        .map(|(i, o)| (o.id.clone(), i))
        .collect();
    for row in roles_query.fetch_all(&mut *conn).await? {
        let id: String = row.try_get(0)?;
        let role = parse_role(&row.try_get::<String, _>(1)?)?;
        if let Some(&i) = index.get(&id) {
            organisations[i].roles = organisations[i].roles.with(role);
        }
    }
    Ok(organisations)
}

/// Counts organisations per status and role, for the zone administration's
/// home page: (role, active, suspended).
pub async fn count_by_role(conn: &mut AnyConnection) -> Result<Vec<(Role, i64, i64)>, StoreError> {
    let rows = sqlx::query(
        "SELECT r.role, \
                SUM(CASE WHEN o.status = 'active' THEN 1 ELSE 0 END), \
                SUM(CASE WHEN o.status = 'suspended' THEN 1 ELSE 0 END) \
         FROM organisation_roles r JOIN organisations o ON o.id = r.organisation_id \
         GROUP BY r.role",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut counts = Vec::with_capacity(rows.len());
    for row in &rows {
        let role = parse_role(&row.try_get::<String, _>(0)?)?;
        counts.push((role, row.try_get(1)?, row.try_get(2)?));
    }
    counts.sort_by_key(|(role, _, _)| *role);
    Ok(counts)
}

/// Changes an organisation's status; returns the updated record, or `None`
/// if there is no such organisation.
pub async fn set_status(
    conn: &mut AnyConnection,
    customs_code: &str,
    status: OrganisationStatus,
    now: Timestamp,
) -> Result<Option<Organisation>, StoreError> {
    if has_nul(customs_code) {
        return Ok(None);
    }
    let changed = sqlx::query(
        "UPDATE organisations SET status = $1, updated_at = $2 WHERE customs_code = $3",
    )
    .bind(status.as_str())
    .bind(now.to_string())
    .bind(customs_code)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if changed == 0 {
        return Ok(None);
    }
    find_by_code(conn, customs_code).await
}

/// Whether any organisation exists (a demo load needs an empty database).
pub async fn any_exist(conn: &mut AnyConnection) -> Result<bool, StoreError> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organisations")
        .fetch_one(&mut *conn)
        .await?;
    Ok(count > 0)
}

async fn roles_of(conn: &mut AnyConnection, id: &str) -> Result<RoleSet, StoreError> {
    let names: Vec<String> =
        sqlx::query_scalar("SELECT role FROM organisation_roles WHERE organisation_id = $1")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    names.iter().map(|n| parse_role(n)).collect()
}

fn parse_role(name: &str) -> Result<Role, StoreError> {
    name.parse().map_err(|_| StoreError::corrupt("role", name))
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<Organisation, StoreError> {
    let code: String = row.try_get("customs_code")?;
    let uscc: Option<String> = row.try_get("uscc")?;
    let status: String = row.try_get("status")?;
    Ok(Organisation {
        id: row.try_get("id")?,
        customs_code: CustomsCode::parse(&code)
            .map_err(|_| StoreError::corrupt("customs code", &code))?,
        name: row.try_get("name")?,
        name_en: row.try_get("name_en")?,
        uscc: uscc
            .map(|u| Uscc::parse(&u).map_err(|_| StoreError::corrupt("USCC", &u)))
            .transpose()?,
        status: OrganisationStatus::parse(&status)
            .ok_or_else(|| StoreError::corrupt("organisation status", &status))?,
        roles: RoleSet::EMPTY,
        park: row.try_get("park")?,
        address: row.try_get("address")?,
        contact_name: row.try_get("contact_name")?,
        contact_phone: row.try_get("contact_phone")?,
        is_demo: row.try_get::<i64, _>("is_demo")? != 0,
        created_at: parse_time(row, "created_at")?,
        updated_at: parse_time(row, "updated_at")?,
    })
}

/// Reads a stored timestamp column.
pub(crate) fn parse_time(row: &sqlx::any::AnyRow, column: &str) -> Result<Timestamp, StoreError> {
    let text: String = row.try_get(column)?;
    text.parse()
        .map_err(|_| StoreError::corrupt("timestamp", text))
}

/// Reads an optional stored timestamp column.
pub(crate) fn parse_optional_time(
    row: &sqlx::any::AnyRow,
    column: &str,
) -> Result<Option<Timestamp>, StoreError> {
    let text: Option<String> = row.try_get(column)?;
    text.map(|t| t.parse().map_err(|_| StoreError::corrupt("timestamp", t)))
        .transpose()
}
