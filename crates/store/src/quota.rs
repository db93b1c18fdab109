//! The annual quota ledger of retail import buyers (个人年度交易限值,
//! policy-rules.md §4): one running total per buyer and calendar year, and
//! one entry per list that reserved part of it.
//!
//! A list's value is reserved when it passes its checks ([`reserve`]),
//! committed when it is released ([`commit`]), given back when it is
//! refused or cancelled ([`release`]), and reduced by an accepted return
//! ([`give_back`]). Amounts are integer fen. Every function takes the
//! caller's connection, so a reservation and the decision it belongs to
//! commit together.

use kuajing_core::timestamp::Timestamp;
use sqlx::Row;

use crate::Conn;

use crate::db::has_nul;
use crate::error::StoreError;
use crate::organisations::parse_time;

/// Where a list's reservation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryState {
    /// Held while the list is being decided.
    Reserved,
    /// The list was released: the amount (less returns) counts for the year.
    Committed,
    /// Given back (the list was refused or cancelled): counts for nothing.
    Released,
}

impl EntryState {
    fn as_str(self) -> &'static str {
        match self {
            EntryState::Reserved => "reserved",
            EntryState::Committed => "committed",
            EntryState::Released => "released",
        }
    }

    fn parse(text: &str) -> Result<EntryState, StoreError> {
        match text {
            "reserved" => Ok(EntryState::Reserved),
            "committed" => Ok(EntryState::Committed),
            "released" => Ok(EntryState::Released),
            other => Err(StoreError::corrupt("quota entry state", other)),
        }
    }
}

/// One list's part of a buyer's year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaEntry {
    /// The list's business key (declaring enterprise and copNo).
    pub list_key: String,
    /// The buyer's resident ID number.
    pub buyer_id: String,
    /// The calendar year it counts for.
    pub year: i32,
    /// The list's value, fen.
    pub amount_fen: i64,
    /// How much of it accepted returns gave back, fen.
    pub returned_fen: i64,
    /// Where it stands.
    pub state: EntryState,
    /// When it was reserved.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

impl QuotaEntry {
    /// What this entry counts against the year now, fen.
    pub fn counted_fen(&self) -> i64 {
        match self.state {
            EntryState::Released => 0,
            EntryState::Reserved | EntryState::Committed => self.amount_fen - self.returned_fen,
        }
    }
}

/// What a reservation request came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reservation {
    /// Reserved; the buyer's year now stands at `used_fen`.
    Reserved {
        /// The new entry.
        entry: QuotaEntry,
        /// The year's total with it.
        used_fen: i64,
    },
    /// This list had reserved before (a resent message): nothing changed.
    Existing(QuotaEntry),
    /// The year's total would go over the limit: nothing changed.
    OverLimit {
        /// The year's total before this list, fen.
        used_fen: i64,
        /// The limit, fen.
        limit_fen: i64,
    },
}

/// What a change of an entry came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Done; the entry as it is now.
    Done(QuotaEntry),
    /// Already so (a repeated request): nothing changed.
    Unchanged(QuotaEntry),
    /// Not allowed from the entry's state (e.g. committing a released
    /// entry, returning goods of a list never released): nothing changed.
    NotAllowed(QuotaEntry),
}

/// A query of quota entries: the columns, then `$rest` (a literal).
macro_rules! select_entries {
    ($rest:literal) => {
        concat!(
            "SELECT list_key, buyer_id, year, amount_fen, returned_fen, state, created_at, ",
            "updated_at FROM quota_entries ",
            $rest
        )
    };
}

/// Reserves `amount_fen` of `buyer_id`'s `year` for the list `list_key`, if
/// the year's total stays within `limit_fen` (equality is within: policy-
/// rules.md §1.2). Safe under concurrency on both backends: the check and
/// the addition are one conditional upsert of the year's row. Two
/// reservations racing for one `list_key` (a resend arriving twice at once)
/// claim the entry's key in turn: the second finds the first's entry
/// ([`Reservation::Existing`]) and adds nothing.
pub async fn reserve(
    conn: &mut Conn,
    list_key: &str,
    buyer_id: &str,
    year: i32,
    amount_fen: i64,
    limit_fen: i64,
    now: Timestamp,
) -> Result<Reservation, StoreError> {
    let new = NewEntry {
        list_key,
        buyer_id,
        year,
        amount_fen,
        state: EntryState::Reserved,
    };
    reserve_as(conn, &new, limit_fen, now).await
}

/// A ledger entry to open.
#[derive(Debug, Clone, Copy)]
pub struct NewEntry<'a> {
    /// The list's business key.
    pub list_key: &'a str,
    /// The buyer's ID number.
    pub buyer_id: &'a str,
    /// The calendar year it counts in.
    pub year: i32,
    /// Its value, fen.
    pub amount_fen: i64,
    /// Reserved (a list waiting for an officer), or committed at once (a
    /// list the rules release in the same transaction: one step less).
    pub state: EntryState,
}

/// [`reserve`] opening the entry in `new.state`, under the same atomic
/// check of the annual limit.
pub async fn reserve_as(
    conn: &mut Conn,
    new: &NewEntry<'_>,
    limit_fen: i64,
    now: Timestamp,
) -> Result<Reservation, StoreError> {
    let NewEntry {
        list_key,
        buyer_id,
        year,
        amount_fen,
        state,
    } = *new;
    if state == EntryState::Released {
        return Err(StoreError::corrupt(
            "quota reservation state",
            state.as_str(),
        ));
    }
    if amount_fen < 0 || has_nul(buyer_id) || has_nul(list_key) {
        return Err(StoreError::corrupt("quota reservation", list_key));
    }
    let now_text = now.to_string();
    // The year's total first, checked and added in one upsert: the row is
    // created holding the amount (never above the limit: checked here), or
    // added to only while the sum stays within the limit. PostgreSQL locks
    // the row for the conflict's update and evaluates the condition on its
    // latest version, so two lists racing for the last of a buyer's year
    // cannot both pass; SQLite has one writer.
    let used: Option<i64> = if amount_fen > limit_fen {
        None
    } else {
        crate::sql::query_scalar(
            "INSERT INTO quota_years (buyer_id, year, used_fen, updated_at) VALUES ($1, $2, $3, $5) \
             ON CONFLICT (buyer_id, year) DO UPDATE \
             SET used_fen = quota_years.used_fen + $3, updated_at = $5 \
             WHERE quota_years.used_fen + $3 <= $4 RETURNING used_fen",
        )
        .bind(buyer_id)
        .bind(i64::from(year))
        .bind(amount_fen)
        .bind(limit_fen)
        .bind(&now_text)
        .fetch_optional(&mut *conn)
        .await?
    };
    let Some(used_fen) = used else {
        // A list reserved before (matched again) keeps its entry, whatever
        // the year's total says now.
        if let Some(entry) = find(conn, list_key).await? {
            return Ok(Reservation::Existing(entry));
        }
        return Ok(Reservation::OverLimit {
            used_fen: used_fen(conn, buyer_id, year).await?,
            limit_fen,
        });
    };
    // Then the entry, claiming the list's key; a list reserved before finds
    // its entry, and the addition is taken back.
    let opened: Option<String> = crate::sql::query_scalar(
        "INSERT INTO quota_entries (list_key, buyer_id, year, amount_fen, returned_fen, state, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, 0, $5, $6, $6) \
         ON CONFLICT (list_key) DO NOTHING RETURNING list_key",
    )
    .bind(list_key)
    .bind(buyer_id)
    .bind(i64::from(year))
    .bind(amount_fen)
    .bind(state.as_str())
    .bind(&now_text)
    .fetch_optional(&mut *conn)
    .await?;
    if opened.is_none() {
        crate::sql::query(
            "UPDATE quota_years SET used_fen = used_fen - $3 WHERE buyer_id = $1 AND year = $2",
        )
        .bind(buyer_id)
        .bind(i64::from(year))
        .bind(amount_fen)
        .execute(&mut *conn)
        .await?;
        return match find(conn, list_key).await? {
            Some(entry) => Ok(Reservation::Existing(entry)),
            None => Err(StoreError::corrupt("quota entry", list_key)),
        };
    }
    let entry = QuotaEntry {
        list_key: list_key.to_owned(),
        buyer_id: buyer_id.to_owned(),
        year,
        amount_fen,
        returned_fen: 0,
        state,
        created_at: now,
        updated_at: now,
    };
    Ok(Reservation::Reserved { entry, used_fen })
}

/// Commits the reservation of a released list.
pub async fn commit(conn: &mut Conn, list_key: &str, now: Timestamp) -> Result<Change, StoreError> {
    let entry = get(conn, list_key).await?;
    match entry.state {
        EntryState::Committed => Ok(Change::Unchanged(entry)),
        EntryState::Released => Ok(Change::NotAllowed(entry)),
        EntryState::Reserved => {
            set_state(conn, &entry, EntryState::Committed, 0, now).await?;
            Ok(Change::Done(get(conn, list_key).await?))
        }
    }
}

/// Gives back the whole of a list's part of the year (refused, or
/// cancelled by CEB623): what it still counts leaves the year's total.
pub async fn release(
    conn: &mut Conn,
    list_key: &str,
    now: Timestamp,
) -> Result<Change, StoreError> {
    let entry = get(conn, list_key).await?;
    if entry.state == EntryState::Released {
        return Ok(Change::Unchanged(entry));
    }
    set_state(conn, &entry, EntryState::Released, entry.counted_fen(), now).await?;
    Ok(Change::Done(get(conn, list_key).await?))
}

/// Gives back `amount_fen` of a released list for an accepted return
/// (CEB625, all or some lines): at most what the entry still counts.
pub async fn give_back(
    conn: &mut Conn,
    list_key: &str,
    amount_fen: i64,
    now: Timestamp,
) -> Result<Change, StoreError> {
    let entry = get(conn, list_key).await?;
    if entry.state != EntryState::Committed || amount_fen <= 0 {
        return Ok(Change::NotAllowed(entry));
    }
    let back = amount_fen.min(entry.counted_fen());
    if back == 0 {
        return Ok(Change::Unchanged(entry));
    }
    crate::sql::query(
        "UPDATE quota_entries SET returned_fen = returned_fen + $2, updated_at = $3 \
         WHERE list_key = $1",
    )
    .bind(list_key)
    .bind(back)
    .bind(now.to_string())
    .execute(&mut *conn)
    .await?;
    subtract(conn, &entry, back, now).await?;
    Ok(Change::Done(get(conn, list_key).await?))
}

/// What `buyer_id` has used of `year` (reserved and committed, less
/// returns), fen; 0 for a buyer never seen.
pub async fn used_fen(conn: &mut Conn, buyer_id: &str, year: i32) -> Result<i64, StoreError> {
    if has_nul(buyer_id) {
        return Ok(0);
    }
    let used: Option<i64> = crate::sql::query_scalar(
        "SELECT used_fen FROM quota_years WHERE buyer_id = $1 AND year = $2",
    )
    .bind(buyer_id)
    .bind(i64::from(year))
    .fetch_optional(&mut *conn)
    .await?;
    Ok(used.unwrap_or(0))
}

/// The entry of a list, if it ever reserved.
pub async fn find(conn: &mut Conn, list_key: &str) -> Result<Option<QuotaEntry>, StoreError> {
    if has_nul(list_key) {
        return Ok(None);
    }
    let row = crate::sql::query(select_entries!("WHERE list_key = $1"))
        .bind(list_key)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|row| entry_from_row(&row)).transpose()
}

/// The entries of a buyer's year, oldest first (for the consumer's own
/// quota page).
pub async fn entries_of(
    conn: &mut Conn,
    buyer_id: &str,
    year: i32,
) -> Result<Vec<QuotaEntry>, StoreError> {
    if has_nul(buyer_id) {
        return Ok(Vec::new());
    }
    let rows = crate::sql::query(select_entries!(
        "WHERE buyer_id = $1 AND year = $2 ORDER BY created_at, list_key"
    ))
    .bind(buyer_id)
    .bind(i64::from(year))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(entry_from_row).collect()
}

async fn get(conn: &mut Conn, list_key: &str) -> Result<QuotaEntry, StoreError> {
    find(conn, list_key).await?.ok_or(StoreError::NotFound {
        what: "quota entry",
        key: list_key.to_owned(),
    })
}

/// Moves `entry` to `state` and takes `give_back_fen` off its year.
async fn set_state(
    conn: &mut Conn,
    entry: &QuotaEntry,
    state: EntryState,
    give_back_fen: i64,
    now: Timestamp,
) -> Result<(), StoreError> {
    crate::sql::query("UPDATE quota_entries SET state = $2, updated_at = $3 WHERE list_key = $1")
        .bind(&entry.list_key)
        .bind(state.as_str())
        .bind(now.to_string())
        .execute(&mut *conn)
        .await?;
    if give_back_fen > 0 {
        subtract(conn, entry, give_back_fen, now).await?;
    }
    Ok(())
}

/// Takes `fen` off the year of `entry`.
async fn subtract(
    conn: &mut Conn,
    entry: &QuotaEntry,
    fen: i64,
    now: Timestamp,
) -> Result<(), StoreError> {
    crate::sql::query(
        "UPDATE quota_years SET used_fen = used_fen - $3, updated_at = $4 \
         WHERE buyer_id = $1 AND year = $2",
    )
    .bind(&entry.buyer_id)
    .bind(i64::from(entry.year))
    .bind(fen)
    .bind(now.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn entry_from_row(row: &sqlx::any::AnyRow) -> Result<QuotaEntry, StoreError> {
    let year: i64 = row.try_get("year")?;
    Ok(QuotaEntry {
        list_key: row.try_get("list_key")?,
        buyer_id: row.try_get("buyer_id")?,
        year: i32::try_from(year)
            .map_err(|_| StoreError::corrupt("quota year", year.to_string()))?,
        amount_fen: row.try_get("amount_fen")?,
        returned_fen: row.try_get("returned_fen")?,
        state: EntryState::parse(&row.try_get::<String, _>("state")?)?,
        created_at: parse_time(row, "created_at")?,
        updated_at: parse_time(row, "updated_at")?,
    })
}
