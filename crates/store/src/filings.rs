//! Filings (备案) of enterprises and commodities: the current state, every
//! version's data, every workflow event, and attachments.
//!
//! The data of a version is JSON written by the server (the store does not
//! interpret it), plus a few columns pulled out of it for listing and search
//! (title, commodity code, search text).

use kuajing_core::filing::{FilingKind, FilingStatus};
use kuajing_core::role::RoleSet;
use kuajing_core::timestamp::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Conn;

use crate::dynamic::{Statement, escape_like};
use crate::error::StoreError;
use crate::organisations::parse_time;

/// A filing's current state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filing {
    /// Id (UUID v7).
    pub id: String,
    /// Enterprise or commodity.
    pub kind: FilingKind,
    /// Owning organisation's id.
    pub organisation_id: String,
    /// Owning organisation's customs code.
    pub owner_code: String,
    /// Key within the owner: its customs code, or the item number.
    pub subject_key: String,
    /// Name to show in lists.
    pub title: String,
    /// Workflow state of the latest version.
    pub status: FilingStatus,
    /// Latest version.
    pub version_no: i64,
    /// The version in force, if one has been approved.
    pub active_version_no: Option<i64>,
    /// The latest version's data (JSON).
    pub data: String,
    /// Commodity code (commodities).
    pub hs_code: Option<String>,
    /// When first written.
    pub created_at: Timestamp,
    /// When last changed.
    pub updated_at: Timestamp,
}

/// The searchable summary of a version, written with its data.
#[derive(Debug, Clone)]
pub struct Summary<'a> {
    /// Name to show in lists.
    pub title: &'a str,
    /// Commodity code, if any.
    pub hs_code: Option<&'a str>,
    /// Lower-cased text that a search matches against.
    pub search_text: &'a str,
}

/// A stored version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilingVersion {
    /// Version number.
    pub version_no: i64,
    /// Its data (JSON).
    pub data: String,
    /// When first written.
    pub created_at: Timestamp,
    /// By whom (login or token prefix).
    pub created_by: String,
}

/// One step of the workflow as it happened.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FilingEvent {
    /// Order.
    pub seq: i64,
    /// The version it concerned.
    pub version_no: i64,
    /// `edit`, `submit`, `approve`, `return`, `suspend`, `reinstate`, `revoke`.
    pub event: String,
    /// For agency decisions: the role the agency decided as.
    pub agency_role: Option<String>,
    /// `user`, `token`, `operator` or `system`.
    pub actor_kind: String,
    /// Login or token prefix.
    pub actor_name: String,
    /// The actor's organisation.
    pub actor_organisation: Option<String>,
    /// When.
    pub at: Timestamp,
    /// Why (required for return, suspend, reinstate, revoke).
    pub reason: Option<String>,
}

/// An event to record.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    /// Version concerned.
    pub version_no: i64,
    /// The step.
    pub event: &'a str,
    /// Agency role, for decisions.
    pub agency_role: Option<&'a str>,
    /// Actor kind.
    pub actor_kind: &'a str,
    /// Actor name.
    pub actor_name: &'a str,
    /// Actor organisation.
    pub actor_organisation: Option<&'a str>,
    /// Why.
    pub reason: Option<&'a str>,
}

/// Filters for [`list`].
#[derive(Debug, Clone, Default)]
pub struct FilingFilter {
    /// Enterprise or commodity.
    pub kind: Option<FilingKind>,
    /// Only this owner's (organisation id).
    pub organisation_id: Option<String>,
    /// Only these statuses.
    pub statuses: Vec<FilingStatus>,
    /// Only filings that have a version in force.
    pub in_force: bool,
    /// Only filings others may see: sent at least once, or in force (a
    /// first draft is its owner's alone).
    pub shared: bool,
    /// Only submitted filings awaiting the approval of one of these agency
    /// roles (an officer's review queue); empty: no such condition.
    pub awaiting_any: RoleSet,
    /// Commodity code prefix.
    pub hs_code_prefix: Option<String>,
    /// Text the title, key, code or search text contains.
    pub search: Option<String>,
    /// Page size (1–1000).
    pub limit: i64,
    /// Rows to skip.
    pub offset: i64,
}

const COLUMNS: &str = "f.id, f.kind, f.organisation_id, o.customs_code AS owner_code, f.subject_key, f.title, \
     f.status, f.version_no, f.active_version_no, f.data, f.hs_code, f.created_at, f.updated_at";

/// A filing to write for the first time.
#[derive(Debug, Clone)]
pub struct NewFiling<'a> {
    /// Enterprise or commodity.
    pub kind: FilingKind,
    /// Owning organisation's id.
    pub organisation_id: &'a str,
    /// Key within the owner.
    pub subject_key: &'a str,
    /// The first version's data (JSON).
    pub data: &'a str,
    /// Its searchable summary.
    pub summary: Summary<'a>,
}

/// Writes a new filing as a draft, version 1, with its first event.
pub async fn insert(
    conn: &mut Conn,
    new: &NewFiling<'_>,
    event: &NewEvent<'_>,
    now: Timestamp,
) -> Result<Filing, StoreError> {
    let NewFiling {
        kind,
        organisation_id,
        subject_key,
        data,
        ref summary,
    } = *new;
    let id = uuid::Uuid::now_v7().to_string();
    crate::sql::query(
        "INSERT INTO filings (id, kind, organisation_id, subject_key, title, status, version_no, \
         active_version_no, data, hs_code, search_text, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'draft', 1, NULL, $6, $7, $8, $9, $9)",
    )
    .bind(&id)
    .bind(kind.as_str())
    .bind(organisation_id)
    .bind(subject_key)
    .bind(summary.title)
    .bind(data)
    .bind(summary.hs_code)
    .bind(summary.search_text)
    .bind(now.to_string())
    .execute(&mut *conn)
    .await
    .map_err(StoreError::on_unique("subject_key", subject_key))?;
    put_version(conn, &id, 1, data, event.actor_name, now).await?;
    append_event(conn, &id, event, now).await?;
    find(conn, &id).await?.ok_or(StoreError::NotFound {
        what: "filing",
        key: id,
    })
}

/// Data to save as a version of an existing filing.
#[derive(Debug, Clone)]
pub struct VersionWrite<'a> {
    /// Version number: a new one, or the draft being edited.
    pub version_no: i64,
    /// The filing's status afterwards.
    pub status: FilingStatus,
    /// The data (JSON).
    pub data: &'a str,
    /// Its searchable summary.
    pub summary: Summary<'a>,
    /// Who wrote it.
    pub by: &'a str,
}

/// Replaces the data of a version (a new version, or the draft being edited)
/// and makes it the latest.
pub async fn save_data(
    conn: &mut Conn,
    id: &str,
    write: &VersionWrite<'_>,
    now: Timestamp,
) -> Result<(), StoreError> {
    let VersionWrite {
        version_no,
        status,
        data,
        ref summary,
        by,
    } = *write;
    put_version(conn, id, version_no, data, by, now).await?;
    crate::sql::query(
        "UPDATE filings SET version_no = $1, status = $2, data = $3, title = $4, hs_code = $5, \
         search_text = $6, updated_at = $7 WHERE id = $8",
    )
    .bind(version_no)
    .bind(status.as_str())
    .bind(data)
    .bind(summary.title)
    .bind(summary.hs_code)
    .bind(summary.search_text)
    .bind(now.to_string())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

async fn put_version(
    conn: &mut Conn,
    id: &str,
    version_no: i64,
    data: &str,
    by: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    crate::sql::query(
        "INSERT INTO filing_versions (filing_id, version_no, data, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (filing_id, version_no) DO UPDATE SET data = excluded.data",
    )
    .bind(id)
    .bind(version_no)
    .bind(data)
    .bind(now.to_string())
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

/// A filing's place in its workflow after a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct State {
    /// Status.
    pub status: FilingStatus,
    /// Latest version (the one shown to its owner).
    pub version_no: i64,
    /// Version in force, if any.
    pub active_version_no: Option<i64>,
    /// Agency roles whose approval it still awaits (empty unless submitted).
    pub awaiting: RoleSet,
}

/// Sets the status, latest version, version in force and awaited approvals
/// (workflow steps that do not change data).
pub async fn set_state(
    conn: &mut Conn,
    id: &str,
    state: State,
    now: Timestamp,
) -> Result<(), StoreError> {
    let State {
        status,
        version_no,
        active_version_no,
        awaiting,
    } = state;
    let data: Option<String> = crate::sql::query_scalar(
        "SELECT data FROM filing_versions WHERE filing_id = $1 AND version_no = $2",
    )
    .bind(id)
    .bind(version_no)
    .fetch_optional(&mut *conn)
    .await?;
    let data = data.ok_or_else(|| StoreError::NotFound {
        what: "filing version",
        key: format!("{id}/{version_no}"),
    })?;
    crate::sql::query(
        "UPDATE filings SET status = $1, version_no = $2, active_version_no = $3, data = $4, updated_at = $5, \
         awaiting = $6 WHERE id = $7",
    )
    .bind(status.as_str())
    .bind(version_no)
    .bind(active_version_no)
    .bind(data)
    .bind(now.to_string())
    .bind(awaiting_text(awaiting))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records a workflow event.
pub async fn append_event(
    conn: &mut Conn,
    id: &str,
    event: &NewEvent<'_>,
    now: Timestamp,
) -> Result<(), StoreError> {
    crate::sql::query(
        "INSERT INTO filing_events (filing_id, version_no, event, agency_role, actor_kind, actor_name, \
         actor_organisation, at, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(event.version_no)
    .bind(event.event)
    .bind(event.agency_role)
    .bind(event.actor_kind)
    .bind(event.actor_name)
    .bind(event.actor_organisation)
    .bind(now.to_string())
    .bind(event.reason)
    .execute(conn)
    .await?;
    Ok(())
}

/// Finds a filing by id.
pub async fn find(conn: &mut Conn, id: &str) -> Result<Option<Filing>, StoreError> {
    if crate::db::has_nul(id) {
        return Ok(None);
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM filings f JOIN organisations o ON o.id = f.organisation_id WHERE f.id = $1"
    );
    let row = crate::sql::query_text(sql)
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Finds a filing by id and locks it for the rest of the transaction, so that
/// two agencies deciding at once both see each other's decision (SQLite's
/// single writer serialises transactions already).
pub async fn find_for_update(conn: &mut Conn, id: &str) -> Result<Option<Filing>, StoreError> {
    if conn.backend_name() == "PostgreSQL" {
        crate::sql::query("SELECT id FROM filings WHERE id = $1 FOR UPDATE")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    }
    find(conn, id).await
}

/// Finds an organisation's filing of `kind` with `subject_key`.
pub async fn find_by_subject(
    conn: &mut Conn,
    kind: FilingKind,
    organisation_id: &str,
    subject_key: &str,
) -> Result<Option<Filing>, StoreError> {
    if crate::db::has_nul(subject_key) {
        return Ok(None);
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM filings f JOIN organisations o ON o.id = f.organisation_id \
         WHERE f.kind = $1 AND f.organisation_id = $2 AND f.subject_key = $3"
    );
    let row = crate::sql::query_text(sql)
        .bind(kind.as_str())
        .bind(organisation_id)
        .bind(subject_key)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Lists filings matching `filter`, most recently changed first.
pub async fn list(conn: &mut Conn, filter: &FilingFilter) -> Result<Vec<Filing>, StoreError> {
    let mut query = Statement::new(format!(
        "SELECT {COLUMNS} FROM filings f JOIN organisations o ON o.id = f.organisation_id WHERE 1 = 1"
    ));
    push_filter(&mut query, filter);
    query
        .push(" ORDER BY f.updated_at DESC, f.id DESC LIMIT ")
        .bind(filter.limit.clamp(1, 1000))
        .push(" OFFSET ")
        .bind(filter.offset.max(0));
    let rows = query.fetch_all(conn).await?;
    rows.iter().map(from_row).collect()
}

/// Counts filings matching `filter` (ignoring its page).
pub async fn count(conn: &mut Conn, filter: &FilingFilter) -> Result<i64, StoreError> {
    // Every filing has its organisation (foreign key): no join to count.
    let mut query = Statement::new("SELECT COUNT(*) AS n FROM filings f WHERE 1 = 1");
    push_filter(&mut query, filter);
    let rows = query.fetch_all(conn).await?;
    Ok(rows
        .first()
        .map(|r| r.try_get::<i64, _>("n"))
        .transpose()?
        .unwrap_or(0))
}

fn push_filter(query: &mut Statement, filter: &FilingFilter) {
    if let Some(kind) = filter.kind {
        query.push(" AND f.kind = ").bind(kind.as_str().to_owned());
    }
    if let Some(org) = &filter.organisation_id {
        query.push(" AND f.organisation_id = ").bind(org.clone());
    }
    if !filter.statuses.is_empty() {
        query
            .push(" AND f.status IN (")
            .bind_list(filter.statuses.iter().map(|s| s.as_str().to_owned()))
            .push(")");
    }
    if filter.shared {
        query.push(" AND (f.status <> 'draft' OR f.active_version_no IS NOT NULL)");
    }
    if filter.in_force {
        query.push(
            " AND f.active_version_no IS NOT NULL AND f.status NOT IN ('suspended', 'revoked')",
        );
    }
    if !filter.awaiting_any.is_empty() {
        query.push(" AND f.status = 'submitted' AND (");
        for (i, role) in filter.awaiting_any.iter().enumerate() {
            if i > 0 {
                query.push(" OR ");
            }
            query
                .push("f.awaiting LIKE ")
                .bind(format!("%,{},%", role.as_str()));
        }
        query.push(")");
    }
    if let Some(prefix) = filter.hs_code_prefix.as_deref().filter(|p| !p.is_empty()) {
        query
            .push(" AND f.hs_code LIKE ")
            .bind(format!("{}%", escape_like(prefix)))
            .push(" ESCAPE '\\'");
    }
    if let Some(text) = filter.search.as_deref().filter(|t| !t.is_empty()) {
        query
            .push(" AND f.search_text LIKE ")
            .bind(format!("%{}%", escape_like(&text.to_lowercase())))
            .push(" ESCAPE '\\'");
    }
}

/// Every version of a filing, oldest first.
pub async fn versions(conn: &mut Conn, id: &str) -> Result<Vec<FilingVersion>, StoreError> {
    let rows = crate::sql::query(
        "SELECT version_no, data, created_at, created_by FROM filing_versions WHERE filing_id = $1 ORDER BY version_no",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(FilingVersion {
                version_no: row.try_get("version_no")?,
                data: row.try_get("data")?,
                created_at: parse_time(row, "created_at")?,
                created_by: row.try_get("created_by")?,
            })
        })
        .collect()
}

/// One version of a filing.
pub async fn version(
    conn: &mut Conn,
    id: &str,
    version_no: i64,
) -> Result<Option<FilingVersion>, StoreError> {
    Ok(versions(conn, id)
        .await?
        .into_iter()
        .find(|v| v.version_no == version_no))
}

/// Every event of a filing, oldest first.
pub async fn events(conn: &mut Conn, id: &str) -> Result<Vec<FilingEvent>, StoreError> {
    let rows = crate::sql::query(
        "SELECT seq, version_no, event, agency_role, actor_kind, actor_name, actor_organisation, at, reason \
         FROM filing_events WHERE filing_id = $1 ORDER BY seq",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(FilingEvent {
                seq: row.try_get("seq")?,
                version_no: row.try_get("version_no")?,
                event: row.try_get("event")?,
                agency_role: row.try_get("agency_role")?,
                actor_kind: row.try_get("actor_kind")?,
                actor_name: row.try_get("actor_name")?,
                actor_organisation: row.try_get("actor_organisation")?,
                at: parse_time(row, "at")?,
                reason: row.try_get("reason")?,
            })
        })
        .collect()
}

/// The agency roles that approved `version_no` of a filing.
pub async fn approvals(
    conn: &mut Conn,
    id: &str,
    version_no: i64,
) -> Result<Vec<String>, StoreError> {
    Ok(crate::sql::query_scalar(
        "SELECT agency_role FROM filing_events WHERE filing_id = $1 AND version_no = $2 \
         AND event = 'approve' AND agency_role IS NOT NULL ORDER BY seq",
    )
    .bind(id)
    .bind(version_no)
    .fetch_all(conn)
    .await?)
}

/// The agency approvals given to each of a page of filings, in one query:
/// `(filing id, version, role)` in the order given.
pub async fn approvals_of(
    conn: &mut Conn,
    ids: &[String],
) -> Result<Vec<(String, i64, String)>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = Statement::new(
        "SELECT filing_id, version_no, agency_role FROM filing_events WHERE event = 'approve' \
         AND agency_role IS NOT NULL AND filing_id IN (",
    );
    query.bind_list(ids.iter().cloned()).push(") ORDER BY seq");
    let rows = query.fetch_all(conn).await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get("filing_id")?,
                row.try_get("version_no")?,
                row.try_get("agency_role")?,
            ))
        })
        .collect()
}

/// Submitted filings whose awaited approvals were never written (submitted
/// before the column existed); the server marks them at start-up.
pub async fn unmarked_in_review(conn: &mut Conn) -> Result<Vec<Filing>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM filings f JOIN organisations o ON o.id = f.organisation_id \
         WHERE f.status = 'submitted' AND f.awaiting = ''"
    );
    let rows = crate::sql::query_text(sql).fetch_all(conn).await?;
    rows.iter().map(from_row).collect()
}

/// Writes the agency roles a submitted filing still awaits.
pub async fn set_awaiting(conn: &mut Conn, id: &str, awaiting: RoleSet) -> Result<(), StoreError> {
    crate::sql::query("UPDATE filings SET awaiting = $1 WHERE id = $2")
        .bind(awaiting_text(awaiting))
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The stored form of awaited roles: `,customs,commerce,` (each role between
/// commas, so `LIKE '%,customs,%'` matches exactly one role), or empty.
fn awaiting_text(awaiting: RoleSet) -> String {
    if awaiting.is_empty() {
        return String::new();
    }
    let mut text = String::from(",");
    for role in awaiting.iter() {
        text.push_str(role.as_str());
        text.push(',');
    }
    text
}

fn from_row(row: &AnyRow) -> Result<Filing, StoreError> {
    let kind: String = row.try_get("kind")?;
    let status: String = row.try_get("status")?;
    Ok(Filing {
        id: row.try_get("id")?,
        kind: FilingKind::parse(&kind).ok_or_else(|| StoreError::corrupt("filing kind", &kind))?,
        organisation_id: row.try_get("organisation_id")?,
        owner_code: row.try_get("owner_code")?,
        subject_key: row.try_get("subject_key")?,
        title: row.try_get("title")?,
        status: FilingStatus::parse(&status)
            .ok_or_else(|| StoreError::corrupt("filing status", &status))?,
        version_no: row.try_get("version_no")?,
        active_version_no: row.try_get("active_version_no")?,
        data: row.try_get("data")?,
        hs_code: row.try_get("hs_code")?,
        created_at: parse_time(row, "created_at")?,
        updated_at: parse_time(row, "updated_at")?,
    })
}

/// Metadata of a stored attachment (the content is read separately).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Attachment {
    /// Id.
    pub id: String,
    /// The filing it belongs to.
    pub filing_id: String,
    /// `business_licence`, `photo`, `other`.
    pub purpose: String,
    /// File name as uploaded.
    pub file_name: String,
    /// Media type as detected from the content.
    pub media_type: String,
    /// Size in bytes.
    pub size_bytes: i64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// Who uploaded it.
    pub uploaded_by: String,
    /// When.
    pub uploaded_at: Timestamp,
}

/// Stores an attachment; returns its metadata.
pub async fn insert_attachment(
    conn: &mut Conn,
    attachment: &Attachment,
    content: &[u8],
) -> Result<(), StoreError> {
    crate::sql::query(
        "INSERT INTO attachments (id, filing_id, purpose, file_name, media_type, size_bytes, sha256, content, \
         uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&attachment.id)
    .bind(&attachment.filing_id)
    .bind(&attachment.purpose)
    .bind(&attachment.file_name)
    .bind(&attachment.media_type)
    .bind(attachment.size_bytes)
    .bind(&attachment.sha256)
    .bind(content.to_vec())
    .bind(&attachment.uploaded_by)
    .bind(attachment.uploaded_at.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

const ATTACHMENT_COLUMNS: &str =
    "id, filing_id, purpose, file_name, media_type, size_bytes, sha256, uploaded_by, uploaded_at";

/// The attachments of a filing, oldest first.
pub async fn attachments(conn: &mut Conn, filing_id: &str) -> Result<Vec<Attachment>, StoreError> {
    let sql = format!(
        "SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE filing_id = $1 ORDER BY uploaded_at, id"
    );
    let rows = crate::sql::query_text(sql)
        .bind(filing_id)
        .fetch_all(conn)
        .await?;
    rows.iter().map(attachment_from_row).collect()
}

/// One attachment with its content.
pub async fn attachment(
    conn: &mut Conn,
    id: &str,
) -> Result<Option<(Attachment, Vec<u8>)>, StoreError> {
    if crate::db::has_nul(id) {
        return Ok(None);
    }
    let sql = format!("SELECT {ATTACHMENT_COLUMNS}, content FROM attachments WHERE id = $1");
    let row = crate::sql::query_text(sql)
        .bind(id)
        .fetch_optional(conn)
        .await?;
    match row {
        Some(row) => Ok(Some((attachment_from_row(&row)?, row.try_get("content")?))),
        None => Ok(None),
    }
}

fn attachment_from_row(row: &AnyRow) -> Result<Attachment, StoreError> {
    Ok(Attachment {
        id: row.try_get("id")?,
        filing_id: row.try_get("filing_id")?,
        purpose: row.try_get("purpose")?,
        file_name: row.try_get("file_name")?,
        media_type: row.try_get("media_type")?,
        size_bytes: row.try_get("size_bytes")?,
        sha256: row.try_get("sha256")?,
        uploaded_by: row.try_get("uploaded_by")?,
        uploaded_at: parse_time(row, "uploaded_at")?,
    })
}

/// The data of the active commodity filings of the organisation
/// `owner_code` among `item_nos`, as (item number, data JSON), in one query
/// (what clearance's low-value rule compares declared prices with).
pub async fn active_commodities(
    conn: &mut Conn,
    owner_code: &str,
    item_nos: &[&str],
) -> Result<Vec<(String, String)>, StoreError> {
    let items: Vec<String> = item_nos
        .iter()
        .filter(|i| !crate::db::has_nul(i))
        .map(|i| (*i).to_owned())
        .collect();
    if items.is_empty() || crate::db::has_nul(owner_code) {
        return Ok(Vec::new());
    }
    let mut statement = crate::dynamic::Statement::new(
        "SELECT f.subject_key, f.data FROM filings f JOIN organisations o ON o.id = f.organisation_id \
         WHERE f.kind = 'commodity' AND f.status = 'active' AND o.customs_code = ",
    );
    statement
        .bind(owner_code.to_owned())
        .push(" AND f.subject_key IN (")
        .bind_list(items)
        .push(")");
    let rows = statement.fetch_all(conn).await?;
    rows.iter()
        .map(|row| Ok((row.try_get("subject_key")?, row.try_get("data")?)))
        .collect()
}
