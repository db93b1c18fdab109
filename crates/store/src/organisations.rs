//! Organisations (enterprises and agencies) and the roles they hold.
//!
//! The customs registration code is the business key: CEB messages name an
//! enterprise by it, so it is unique and indexed.

use kuajing_core::ids::{CustomsCode, Uscc};
use kuajing_core::role::{Role, RoleSet};
use kuajing_core::timestamp::Timestamp;
use sqlx::Row;

use crate::Conn;

use crate::db::has_nul;
use crate::dynamic::{Statement, escape_like};
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
    /// Business (operating) address.
    pub business_address: Option<String>,
    /// Legal representative (personal data: reads are audited).
    pub legal_representative: Option<String>,
    /// Contact person's name (personal data: reads are audited).
    pub contact_name: Option<String>,
    /// Contact person's phone (personal data: reads are audited).
    pub contact_phone: Option<String>,
    /// Contact e-mail.
    pub email: Option<String>,
    /// Customs code of the domestic agent (境内代理人) of a foreign seller.
    pub agent_code: Option<String>,
    /// Where its enterprise filing stands (`active` for organisations filed
    /// by the operator or the zone administration).
    pub filing_status: String,
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
    /// Text in the name (Chinese or English), customs code or USCC.
    pub search: Option<String>,
}

const COLUMNS: &str = "o.id, o.customs_code, o.name, o.name_en, o.uscc, o.status, o.park, o.address, \
     o.business_address, o.legal_representative, o.contact_name, o.contact_phone, o.email, \
     a.customs_code AS agent_code, o.filing_status, o.is_demo, o.created_at, o.updated_at";

/// The table with the agent's code beside each organisation.
const FROM: &str = "organisations o LEFT JOIN organisations a ON a.id = o.agent_organisation_id";

/// Files a new, active organisation with its roles; returns it.
pub async fn insert(
    conn: &mut Conn,
    new: &NewOrganisation,
    now: Timestamp,
) -> Result<Organisation, StoreError> {
    let id = uuid::Uuid::now_v7().to_string();
    let at = now.to_string();
    crate::sql::query(
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
        crate::sql::query("INSERT INTO organisation_roles (organisation_id, role) VALUES ($1, $2)")
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
        None => StoreError::from(error),
    }
}

/// Finds an organisation by its customs code.
pub async fn find_by_code(
    conn: &mut Conn,
    customs_code: &str,
) -> Result<Option<Organisation>, StoreError> {
    if has_nul(customs_code) {
        return Ok(None);
    }
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE o.customs_code = $1");
    let row = crate::sql::query_text(sql)
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
    conn: &mut Conn,
    filter: &OrganisationFilter,
) -> Result<Vec<Organisation>, StoreError> {
    let mut query = Statement::new(format!("SELECT {COLUMNS} FROM {FROM} WHERE 1 = 1"));
    if let Some(code) = &filter.customs_code {
        query.push(" AND o.customs_code = ").bind(code.clone());
    }
    if let Some(status) = filter.status {
        query
            .push(" AND o.status = ")
            .bind(status.as_str().to_owned());
    }
    if let Some(role) = filter.role {
        query
            .push(" AND o.id IN (SELECT organisation_id FROM organisation_roles WHERE role = ")
            .bind(role.as_str().to_owned())
            .push(")");
    }
    if let Some(text) = filter.search.as_deref().filter(|t| !t.is_empty()) {
        let pattern = format!("%{}%", escape_like(&text.to_lowercase()));
        query.push(" AND (");
        for (i, column) in ["o.name", "o.name_en", "o.customs_code", "o.uscc"]
            .iter()
            .enumerate()
        {
            if i > 0 {
                query.push(" OR ");
            }
            query
                .push(&format!("LOWER(COALESCE({column}, '')) LIKE "))
                .bind(pattern.clone())
                .push(" ESCAPE '\\'");
        }
        query.push(")");
    }
    query.push(" ORDER BY o.customs_code");
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
pub async fn count_by_role(conn: &mut Conn) -> Result<Vec<(Role, i64, i64)>, StoreError> {
    let rows = crate::sql::query(
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
    conn: &mut Conn,
    customs_code: &str,
    status: OrganisationStatus,
    now: Timestamp,
) -> Result<Option<Organisation>, StoreError> {
    if has_nul(customs_code) {
        return Ok(None);
    }
    let changed = crate::sql::query(
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

/// The fields an approved enterprise filing sets on the organisation.
#[derive(Debug, Clone)]
pub struct FiledFacts<'a> {
    /// Name in Chinese.
    pub name: &'a str,
    /// Name in English.
    pub name_en: Option<&'a str>,
    /// USCC.
    pub uscc: Option<&'a str>,
    /// Roles.
    pub roles: RoleSet,
    /// Park.
    pub park: Option<&'a str>,
    /// Registered address.
    pub address: Option<&'a str>,
    /// Business address.
    pub business_address: Option<&'a str>,
    /// Legal representative.
    pub legal_representative: Option<&'a str>,
    /// Contact person.
    pub contact_name: Option<&'a str>,
    /// Contact phone.
    pub contact_phone: Option<&'a str>,
    /// E-mail.
    pub email: Option<&'a str>,
    /// Domestic agent's organisation id.
    pub agent_organisation_id: Option<&'a str>,
}

/// Applies an approved enterprise filing to the organisation's record:
/// what agencies read as the registry is what was approved.
pub async fn apply_filing(
    conn: &mut Conn,
    id: &str,
    facts: &FiledFacts<'_>,
    now: Timestamp,
) -> Result<(), StoreError> {
    crate::sql::query(
        "UPDATE organisations SET name = $1, name_en = $2, uscc = $3, park = $4, address = $5, \
         business_address = $6, legal_representative = $7, contact_name = $8, contact_phone = $9, email = $10, \
         agent_organisation_id = $11, filing_status = 'active', updated_at = $12 WHERE id = $13",
    )
    .bind(facts.name)
    .bind(facts.name_en)
    .bind(facts.uscc)
    .bind(facts.park)
    .bind(facts.address)
    .bind(facts.business_address)
    .bind(facts.legal_representative)
    .bind(facts.contact_name)
    .bind(facts.contact_phone)
    .bind(facts.email)
    .bind(facts.agent_organisation_id)
    .bind(now.to_string())
    .bind(id)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::on_unique("uscc", facts.uscc.unwrap_or("")))?;
    crate::sql::query("DELETE FROM organisation_roles WHERE organisation_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for role in facts.roles.iter() {
        crate::sql::query("INSERT INTO organisation_roles (organisation_id, role) VALUES ($1, $2)")
            .bind(id)
            .bind(role.as_str())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Names the domestic agent (境内代理人) of a foreign seller.
pub async fn set_agent(
    conn: &mut Conn,
    id: &str,
    agent_organisation_id: &str,
) -> Result<(), StoreError> {
    crate::sql::query("UPDATE organisations SET agent_organisation_id = $1 WHERE id = $2")
        .bind(agent_organisation_id)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Records where an organisation's enterprise filing stands.
pub async fn set_filing_status(
    conn: &mut Conn,
    id: &str,
    filing_status: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    crate::sql::query("UPDATE organisations SET filing_status = $1, updated_at = $2 WHERE id = $3")
        .bind(filing_status)
        .bind(now.to_string())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether any organisation exists (a demo load needs an empty database).
pub async fn any_exist(conn: &mut Conn) -> Result<bool, StoreError> {
    let count: i64 = crate::sql::query_scalar("SELECT COUNT(*) FROM organisations")
        .fetch_one(&mut *conn)
        .await?;
    Ok(count > 0)
}

/// Where an organisation stands: its status and roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    /// Customs code.
    pub customs_code: String,
    /// Status.
    pub status: OrganisationStatus,
    /// Roles.
    pub roles: RoleSet,
}

/// The standing of each organisation among `codes` that is filed, in one
/// query (what the list checks ask of a parcel's parties).
pub async fn standing_of(conn: &mut Conn, codes: &[&str]) -> Result<Vec<Standing>, StoreError> {
    let codes: Vec<String> = codes
        .iter()
        .filter(|c| !has_nul(c))
        .map(|c| (*c).to_owned())
        .collect();
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let mut statement = Statement::new(
        "SELECT o.customs_code, o.status, r.role FROM organisations o \
         LEFT JOIN organisation_roles r ON r.organisation_id = o.id WHERE o.customs_code IN (",
    );
    statement.bind_list(codes).push(")");
    let rows = statement.fetch_all(conn).await?;
    let mut standings: Vec<Standing> = Vec::new();
    for row in &rows {
        let code: String = row.try_get("customs_code")?;
        let status: String = row.try_get("status")?;
        let role: Option<String> = row.try_get("role")?;
        let index = match standings.iter().position(|s| s.customs_code == code) {
            Some(index) => index,
            None => {
                standings.push(Standing {
                    status: OrganisationStatus::parse(&status)
                        .ok_or_else(|| StoreError::corrupt("organisation status", &status))?,
                    customs_code: code,
                    roles: RoleSet::EMPTY,
                });
                standings.len() - 1
            }
        };
        if let Some(role) = role {
            let standing = &mut standings[index];
            standing.roles = standing.roles.with(parse_role(&role)?);
        }
    }
    Ok(standings)
}

async fn roles_of(conn: &mut Conn, id: &str) -> Result<RoleSet, StoreError> {
    let names: Vec<String> =
        crate::sql::query_scalar("SELECT role FROM organisation_roles WHERE organisation_id = $1")
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
        business_address: row.try_get("business_address")?,
        legal_representative: row.try_get("legal_representative")?,
        contact_name: row.try_get("contact_name")?,
        contact_phone: row.try_get("contact_phone")?,
        email: row.try_get("email")?,
        agent_code: row.try_get("agent_code")?,
        filing_status: row.try_get("filing_status")?,
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
