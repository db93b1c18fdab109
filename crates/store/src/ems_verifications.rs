//! The 1210 exit flow of a bonded e-account book (issue #6 item 3;
//! policy-rules.md §5: "after CEB621 release the company files a
//! verification list generated from the released lists, then the exit
//! release list"): exit verification lists (出区核注清单) summing a day's
//! released lists per item, and gate release lists (核放单) with which the
//! vehicle leaves (migration 0011).
//!
//! A released list is on one verification list at most: the key of
//! `ems_verified_lists` makes a second claim fail, so two generations
//! racing for the same day cannot both take a list.

use std::collections::BTreeMap;

use kuajing_core::timestamp::Timestamp;
use sqlx::Row;

use crate::Conn;

use crate::db::has_nul;
use crate::error::StoreError;
use crate::organisations::{parse_optional_time, parse_time};

/// One line of a released list, as the book's ledger has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Released {
    /// The list's number (`invtNo`, the retail-out's reference).
    pub reference: String,
    /// The item number.
    pub item_no: String,
    /// How much left (positive, 1/100000 units).
    pub quantity: i64,
}

/// A verification list to create.
#[derive(Debug, Clone, Copy)]
pub struct NewVerification<'a> {
    /// Its number.
    pub number: &'a str,
    /// The book.
    pub ems_no: &'a str,
    /// The China day (`yyyy-mm-dd`) whose releases it covers.
    pub business_day: &'a str,
    /// Who generated it.
    pub created_by: &'a str,
    /// The released lines it covers (at least one).
    pub released: &'a [Released],
}

/// A verification list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Its number.
    pub number: String,
    /// The book.
    pub ems_no: String,
    /// The China day it covers.
    pub business_day: String,
    /// How many released lists it covers.
    pub lists: i64,
    /// Its lines: item number and quantity, by item.
    pub lines: Vec<(String, i64)>,
    /// Who generated it.
    pub created_by: String,
    /// When.
    pub created_at: Timestamp,
    /// Its gate release list, once filed.
    pub gate_release: Option<GateRelease>,
}

/// A gate release list (核放单).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateRelease {
    /// Its number.
    pub number: String,
    /// The verification list it releases.
    pub verification: String,
    /// The vehicle's plate.
    pub vehicle_no: String,
    /// Who filed it.
    pub created_by: String,
    /// When.
    pub created_at: Timestamp,
    /// The officer who recorded the vehicle passing the gate.
    pub passed_by: Option<String>,
    /// When it passed.
    pub passed_at: Option<Timestamp>,
}

/// The retail-out lines of a book recorded in `[from, to)` whose list is
/// on no verification list yet, in ledger order.
pub async fn unverified(
    conn: &mut Conn,
    ems_no: &str,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<Released>, StoreError> {
    if has_nul(ems_no) {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(
        "SELECT m.reference, m.item_no, m.quantity FROM ems_movements m \
         WHERE m.ems_no = $1 AND m.kind = 'retail-out' AND m.created_at >= $2 AND m.created_at < $3 \
         AND NOT EXISTS (SELECT 1 FROM ems_verified_lists v \
           WHERE v.ems_no = m.ems_no AND v.reference = m.reference) \
         ORDER BY m.seq",
    )
    .bind(ems_no)
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            let quantity: i64 = row.try_get(2)?;
            Ok(Released {
                reference: row.try_get(0)?,
                item_no: row.try_get(1)?,
                quantity: -quantity,
            })
        })
        .collect()
}

/// Creates a verification list covering `new.released`: its head, its
/// lines summed per item, and the claim on each list it covers. A list
/// already claimed is [`StoreError::Duplicate`] (field `reference`), and
/// the caller's transaction must end.
pub async fn create(
    conn: &mut Conn,
    new: &NewVerification<'_>,
    now: Timestamp,
) -> Result<Verification, StoreError> {
    let mut per_item: BTreeMap<&str, i64> = BTreeMap::new();
    let mut lists: Vec<&str> = Vec::new();
    for line in new.released {
        *per_item.entry(line.item_no.as_str()).or_default() += line.quantity;
        if !lists.contains(&line.reference.as_str()) {
            lists.push(&line.reference);
        }
    }
    if lists.is_empty() {
        return Err(StoreError::corrupt("empty verification list", new.number));
    }
    let now_text = now.to_string();
    let count = i64::try_from(lists.len()).unwrap_or(i64::MAX);
    crate::sql::query(
        "INSERT INTO ems_verifications (number, ems_no, business_day, lists, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new.number)
    .bind(new.ems_no)
    .bind(new.business_day)
    .bind(count)
    .bind(new.created_by)
    .bind(&now_text)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::on_unique("number", new.number))?;
    for (item_no, quantity) in &per_item {
        crate::sql::query(
            "INSERT INTO ems_verification_lines (number, item_no, quantity) VALUES ($1, $2, $3)",
        )
        .bind(new.number)
        .bind(*item_no)
        .bind(*quantity)
        .execute(&mut *conn)
        .await?;
    }
    for reference in &lists {
        crate::sql::query(
            "INSERT INTO ems_verified_lists (ems_no, reference, number) VALUES ($1, $2, $3)",
        )
        .bind(new.ems_no)
        .bind(*reference)
        .bind(new.number)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::on_unique("reference", reference))?;
    }
    Ok(Verification {
        number: new.number.to_owned(),
        ems_no: new.ems_no.to_owned(),
        business_day: new.business_day.to_owned(),
        lists: count,
        lines: per_item
            .into_iter()
            .map(|(item, quantity)| (item.to_owned(), quantity))
            .collect(),
        created_by: new.created_by.to_owned(),
        created_at: now,
        gate_release: None,
    })
}

/// How many verification lists there are for a day, of every book (the
/// day's next number follows them).
pub async fn count_of_day(conn: &mut Conn, business_day: &str) -> Result<i64, StoreError> {
    let count: i64 =
        crate::sql::query_scalar("SELECT COUNT(*) FROM ems_verifications WHERE business_day = $1")
            .bind(business_day)
            .fetch_one(&mut *conn)
            .await?;
    Ok(count)
}

/// The verification lists of a book, newest first, at most `limit`, with
/// their lines and gate release lists.
pub async fn verifications_of(
    conn: &mut Conn,
    ems_no: &str,
    limit: i64,
) -> Result<Vec<Verification>, StoreError> {
    if has_nul(ems_no) {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(
        "SELECT number, ems_no, business_day, lists, created_by, created_at \
         FROM ems_verifications WHERE ems_no = $1 ORDER BY created_at DESC, number DESC LIMIT $2",
    )
    .bind(ems_no)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let mut found = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut verification = verification_from_row(row)?;
        complete(conn, &mut verification).await?;
        found.push(verification);
    }
    Ok(found)
}

/// One verification list, with its lines and gate release list.
pub async fn find(conn: &mut Conn, number: &str) -> Result<Option<Verification>, StoreError> {
    if has_nul(number) {
        return Ok(None);
    }
    let row = crate::sql::query(
        "SELECT number, ems_no, business_day, lists, created_by, created_at \
         FROM ems_verifications WHERE number = $1",
    )
    .bind(number)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let mut verification = verification_from_row(&row)?;
    complete(conn, &mut verification).await?;
    Ok(Some(verification))
}

/// The quantity per item of the lists a book released in `[from, to)`,
/// verified or not.
pub async fn released_of(
    conn: &mut Conn,
    ems_no: &str,
    from: Timestamp,
    to: Timestamp,
) -> Result<BTreeMap<String, i64>, StoreError> {
    let rows = crate::sql::query(
        "SELECT item_no, CAST(-SUM(quantity) AS BIGINT) FROM ems_movements \
         WHERE ems_no = $1 AND kind = 'retail-out' AND created_at >= $2 AND created_at < $3 \
         GROUP BY item_no",
    )
    .bind(ems_no)
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
        .collect()
}

/// The quantity per item that a book's verification lists of a day cover.
pub async fn verified_of_day(
    conn: &mut Conn,
    ems_no: &str,
    business_day: &str,
) -> Result<BTreeMap<String, i64>, StoreError> {
    let rows = crate::sql::query(
        "SELECT l.item_no, CAST(SUM(l.quantity) AS BIGINT) FROM ems_verification_lines l \
         JOIN ems_verifications v ON v.number = l.number \
         WHERE v.ems_no = $1 AND v.business_day = $2 GROUP BY l.item_no",
    )
    .bind(ems_no)
    .bind(business_day)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
        .collect()
}

/// Files the gate release list of a verification list. A second one for
/// the same verification list is [`StoreError::Duplicate`].
pub async fn file_gate_release(
    conn: &mut Conn,
    verification: &Verification,
    number: &str,
    vehicle_no: &str,
    created_by: &str,
    now: Timestamp,
) -> Result<GateRelease, StoreError> {
    crate::sql::query(
        "INSERT INTO ems_gate_releases (number, verification, ems_no, vehicle_no, created_by, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(number)
    .bind(&verification.number)
    .bind(&verification.ems_no)
    .bind(vehicle_no)
    .bind(created_by)
    .bind(now.to_string())
    .execute(&mut *conn)
    .await
    .map_err(StoreError::on_unique("verification", &verification.number))?;
    Ok(GateRelease {
        number: number.to_owned(),
        verification: verification.number.clone(),
        vehicle_no: vehicle_no.to_owned(),
        created_by: created_by.to_owned(),
        created_at: now,
        passed_by: None,
        passed_at: None,
    })
}

/// Records that the vehicle of a gate release list passed the gate; false
/// when it had passed already (or there is no such list).
pub async fn pass_gate(
    conn: &mut Conn,
    number: &str,
    passed_by: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let changed = crate::sql::query(
        "UPDATE ems_gate_releases SET passed_by = $2, passed_at = $3 \
         WHERE number = $1 AND passed_at IS NULL",
    )
    .bind(number)
    .bind(passed_by)
    .bind(now.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(changed.rows_affected() == 1)
}

/// Fills in a verification list's lines and gate release list.
async fn complete(conn: &mut Conn, verification: &mut Verification) -> Result<(), StoreError> {
    let lines = crate::sql::query(
        "SELECT item_no, quantity FROM ems_verification_lines WHERE number = $1 ORDER BY item_no",
    )
    .bind(&verification.number)
    .fetch_all(&mut *conn)
    .await?;
    verification.lines = lines
        .iter()
        .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
        .collect::<Result<_, StoreError>>()?;
    let gate = crate::sql::query(
        "SELECT number, verification, vehicle_no, created_by, created_at, passed_by, passed_at \
         FROM ems_gate_releases WHERE verification = $1",
    )
    .bind(&verification.number)
    .fetch_optional(&mut *conn)
    .await?;
    verification.gate_release = gate.as_ref().map(gate_from_row).transpose()?;
    Ok(())
}

fn verification_from_row(row: &sqlx::any::AnyRow) -> Result<Verification, StoreError> {
    Ok(Verification {
        number: row.try_get("number")?,
        ems_no: row.try_get("ems_no")?,
        business_day: row.try_get("business_day")?,
        lists: row.try_get("lists")?,
        lines: Vec::new(),
        created_by: row.try_get("created_by")?,
        created_at: parse_time(row, "created_at")?,
        gate_release: None,
    })
}

fn gate_from_row(row: &sqlx::any::AnyRow) -> Result<GateRelease, StoreError> {
    Ok(GateRelease {
        number: row.try_get("number")?,
        verification: row.try_get("verification")?,
        vehicle_no: row.try_get("vehicle_no")?,
        created_by: row.try_get("created_by")?,
        created_at: parse_time(row, "created_at")?,
        passed_by: row.try_get("passed_by")?,
        passed_at: parse_optional_time(row, "passed_at")?,
    })
}
