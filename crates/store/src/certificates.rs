//! Enterprises' registered signing certificates: a signed CEB message counts
//! only if its certificate is one of its sender's (ceb-messages.md §4.4).

use kuajing_core::timestamp::Timestamp;
use sqlx::Row;

use crate::Conn;

use crate::db::has_nul;
use crate::error::StoreError;
use crate::organisations::{parse_optional_time, parse_time};

/// A certificate to register.
#[derive(Debug, Clone, Copy)]
pub struct NewCertificate<'a> {
    /// Internal id of the organisation.
    pub organisation_id: &'a str,
    /// Serial number, lowercase hexadecimal.
    pub serial: &'a str,
    /// Subject, `CN=…, O=…`.
    pub subject: &'a str,
    /// Issuer.
    pub issuer: &'a str,
    /// Signature method (`SM2-SM3`, `RSA-SHA1`).
    pub algorithm: &'a str,
    /// End of validity, as openssl writes it.
    pub not_after: &'a str,
    /// The certificate, DER.
    pub der: &'a [u8],
    /// Who registered it.
    pub added_by: &'a str,
}

/// A registered certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// Id (UUID v7).
    pub id: String,
    /// Customs code of its organisation.
    pub organisation_code: String,
    /// Serial number.
    pub serial: String,
    /// Subject.
    pub subject: String,
    /// Issuer.
    pub issuer: String,
    /// Signature method.
    pub algorithm: String,
    /// End of validity.
    pub not_after: String,
    /// DER.
    pub der: Vec<u8>,
    /// Who registered it.
    pub added_by: String,
    /// When.
    pub added_at: Timestamp,
    /// When it was revoked, if it was.
    pub revoked_at: Option<Timestamp>,
}

/// A query of certificates: the columns, then `$rest` (a literal).
macro_rules! select_certificates {
    ($rest:literal) => {
        concat!(
            "SELECT c.id, o.customs_code, c.serial, c.subject, c.issuer, c.algorithm, c.not_after, ",
            "c.der, c.added_by, c.added_at, c.revoked_at FROM enterprise_certificates c ",
            "JOIN organisations o ON o.id = c.organisation_id ",
            $rest
        )
    };
}

/// Registers a certificate; the same one (serial and issuer) twice for one
/// organisation is [`StoreError::Duplicate`].
pub async fn insert(
    conn: &mut Conn,
    new: &NewCertificate<'_>,
    now: Timestamp,
) -> Result<Certificate, StoreError> {
    let id = uuid::Uuid::now_v7().to_string();
    crate::sql::query(
        "INSERT INTO enterprise_certificates (id, organisation_id, serial, subject, issuer, \
         algorithm, not_after, der, added_by, added_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&id)
    .bind(new.organisation_id)
    .bind(new.serial)
    .bind(new.subject)
    .bind(new.issuer)
    .bind(new.algorithm)
    .bind(new.not_after)
    .bind(new.der.to_vec())
    .bind(new.added_by)
    .bind(now.to_string())
    .execute(&mut *conn)
    .await
    .map_err(StoreError::on_unique("certificate serial", new.serial))?;
    let row = crate::sql::query(select_certificates!("WHERE c.id = $1"))
        .bind(&id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|row| from_row(&row))
        .transpose()?
        .ok_or(StoreError::NotFound {
            what: "certificate",
            key: id,
        })
}

/// The certificates in force (not revoked) of the organisation with
/// `customs_code`, oldest first.
pub async fn in_force(conn: &mut Conn, customs_code: &str) -> Result<Vec<Certificate>, StoreError> {
    if has_nul(customs_code) {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(select_certificates!(
        "WHERE o.customs_code = $1 AND c.revoked_at IS NULL ORDER BY c.added_at, c.id"
    ))
    .bind(customs_code)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(from_row).collect()
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<Certificate, StoreError> {
    Ok(Certificate {
        id: row.try_get("id")?,
        organisation_code: row.try_get("customs_code")?,
        serial: row.try_get("serial")?,
        subject: row.try_get("subject")?,
        issuer: row.try_get("issuer")?,
        algorithm: row.try_get("algorithm")?,
        not_after: row.try_get("not_after")?,
        der: row.try_get("der")?,
        added_by: row.try_get("added_by")?,
        added_at: parse_time(row, "added_at")?,
        revoked_at: parse_optional_time(row, "revoked_at")?,
    })
}
