//! What the lists of one message look up that cannot change while the
//! message is taken — the parties' standing, the tariff lines, the
//! enterprises' filed commodities, the bonded books and their lines'
//! units — looked up once per message instead of
//! once per list. A 100-document message from one platform names the same
//! five parties and a handful of goods a hundred times; each repeat was a
//! round trip on the one writer connection.
//!
//! It also hands out the list numbers (invtNo) of the message's lists,
//! taken from their counter in one block instead of one statement per
//! list; numbers of a block left unused (lists refused or sent to review
//! before numbering) are gaps, as numbering systems have.
//!
//! A memo lives for one message (one savepoint of a group commit), so it
//! sees the same database the uncached reads would have seen, and a
//! block's numbers are taken in the same transaction as their lists.

use std::collections::{HashMap, VecDeque};

use kuajing_core::timestamp::Timestamp;
use kuajing_store::Conn;
use kuajing_store::clearance as store_clearance;
use kuajing_store::ems_books::{self, Book};
use kuajing_store::organisations::{self, Standing};
use kuajing_store::reference::{self, StoredTariffLine};

use kuajing_registry::error::{Error, Result};

/// The memo of one message's lookups.
#[derive(Debug, Default)]
pub struct Lookups {
    /// Customs code → standing (`None`: not filed).
    standings: HashMap<String, Option<Standing>>,
    /// (HS code, instant) → the line in force then (`None`: no line). The
    /// lists of a message may have been received at different times (a
    /// message's order completes lists that waited).
    tariff: HashMap<(String, Timestamp), Option<StoredTariffLine>>,
    /// (e-commerce enterprise, item number) → its active commodity
    /// filing's data JSON (`None`: none).
    commodities: HashMap<(String, String), Option<String>>,
    /// Book number → the book (`None`: not kept here).
    books: HashMap<String, Option<Book>>,
    /// (book, item record number) → the line's unit (`None`: no such line).
    line_units: HashMap<(String, String), Option<String>>,
    /// How many numbers to take from a counter at once (at least 1).
    block: usize,
    /// Counter name → numbers taken and not yet handed out.
    numbers: HashMap<String, VecDeque<i64>>,
}

impl Lookups {
    /// A memo for a message that may number up to `lists` lists.
    pub fn for_lists(lists: usize) -> Lookups {
        Lookups {
            block: lists,
            ..Lookups::default()
        }
    }

    /// The next number of the counter `name`; on a miss a block of as
    /// many as the message may need is taken in one statement.
    pub async fn next_number(&mut self, conn: &mut Conn, name: &str) -> Result<i64> {
        if let Some(number) = self.numbers.get_mut(name).and_then(VecDeque::pop_front) {
            return Ok(number);
        }
        let mut block: VecDeque<i64> = store_clearance::next_numbers(conn, name, self.block.max(1))
            .await?
            .into();
        let number = block
            .pop_front()
            .ok_or_else(|| Error::Internal(format!("the counter {name} gave no number")))?;
        self.numbers.insert(name.to_owned(), block);
        Ok(number)
    }

    /// The standing of each of `codes` that is filed (the parties of a
    /// parcel), reading only codes not looked up before.
    pub async fn standings(&mut self, conn: &mut Conn, codes: &[&str]) -> Result<Vec<Standing>> {
        let mut missing: Vec<&str> = codes
            .iter()
            .copied()
            .filter(|c| !self.standings.contains_key(*c))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        if !missing.is_empty() {
            let found = organisations::standing_of(conn, &missing).await?;
            for code in missing {
                let standing = found.iter().find(|s| s.customs_code == code).cloned();
                self.standings.insert(code.to_owned(), standing);
            }
        }
        Ok(codes
            .iter()
            .filter_map(|c| self.standings.get(*c).cloned().flatten())
            .collect())
    }

    /// The bonded account book `ems_no`, if kept here.
    pub async fn book(&mut self, conn: &mut Conn, ems_no: &str) -> Result<Option<Book>> {
        if let Some(book) = self.books.get(ems_no) {
            return Ok(book.clone());
        }
        let book = ems_books::find_book(conn, ems_no).await?;
        self.books.insert(ems_no.to_owned(), book.clone());
        Ok(book)
    }

    /// The unit of a book's line, if the book has the item (a line's unit
    /// never changes; its stock is never taken from here).
    pub async fn line_unit(
        &mut self,
        conn: &mut Conn,
        ems_no: &str,
        item_no: &str,
    ) -> Result<Option<String>> {
        let key = (ems_no.to_owned(), item_no.to_owned());
        if let Some(unit) = self.line_units.get(&key) {
            return Ok(unit.clone());
        }
        let unit = ems_books::find_line(conn, ems_no, item_no)
            .await?
            .map(|line| line.unit);
        self.line_units.insert(key, unit.clone());
        Ok(unit)
    }

    /// The tariff line of `hs_code` in force at `at` (when the platform
    /// received the list).
    pub async fn tariff_line(
        &mut self,
        conn: &mut Conn,
        hs_code: &str,
        at: Timestamp,
    ) -> Result<Option<StoredTariffLine>> {
        let key = (hs_code.to_owned(), at);
        if let Some(line) = self.tariff.get(&key) {
            return Ok(line.clone());
        }
        let line = reference::tariff_line(conn, hs_code, at).await?;
        self.tariff.insert(key, line.clone());
        Ok(line)
    }

    /// The data JSON of `owner_code`'s active commodity filing of each of
    /// `item_nos` that has one, as (item number, data), reading only items
    /// not looked up before.
    pub async fn active_commodities(
        &mut self,
        conn: &mut Conn,
        owner_code: &str,
        item_nos: &[&str],
    ) -> Result<Vec<(String, String)>> {
        let key = |item: &str| (owner_code.to_owned(), item.to_owned());
        let mut missing: Vec<&str> = item_nos
            .iter()
            .copied()
            .filter(|i| !self.commodities.contains_key(&key(i)))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        if !missing.is_empty() {
            let found =
                kuajing_store::filings::active_commodities(conn, owner_code, &missing).await?;
            for item in missing {
                let data = found
                    .iter()
                    .find(|(filed, _)| filed == item)
                    .map(|(_, d)| d.clone());
                self.commodities.insert(key(item), data);
            }
        }
        Ok(item_nos
            .iter()
            .filter_map(|i| {
                let data = self.commodities.get(&key(i))?.clone()?;
                Some(((*i).to_owned(), data))
            })
            .collect())
    }
}
