//! What the lists of a message look up that changes rarely — the parties'
//! standing, the tariff lines, the enterprises' filed commodities, the
//! bonded books and their lines' units — looked up once and then kept in
//! memory instead of read once per list. A 100-document message from one
//! platform names the same five parties and a handful of goods a hundred
//! times, and the next message names them again; each repeat was a
//! statement on the writer's connection.
//!
//! It also hands out the list numbers (invtNo) of the message's lists,
//! taken from their counter in one block instead of one statement per
//! list; numbers of a block left unused (lists refused or sent to review
//! before numbering) are gaps, as numbering systems have.
//!
//! The rarely-changing lookups come from the intake's shared
//! [`ReferenceCache`], under the cache generation this message reads once,
//! before any of them: what it finds there is what the database showed
//! under that generation, and what it reads it adds. The list numbers are
//! the message's own: a block's numbers are taken in the same transaction
//! as their lists.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use kuajing_core::timestamp::Timestamp;
use kuajing_store::Conn;
use kuajing_store::cache_generation;
use kuajing_store::clearance as store_clearance;
use kuajing_store::ems_books::{self, Book};
use kuajing_store::organisations::{self, Standing};
use kuajing_store::reference::{self, StoredTariffLine};

use kuajing_registry::error::{Error, Result};

use crate::reference_cache::ReferenceCache;

/// The lookups of one message.
#[derive(Debug, Default)]
pub struct Lookups {
    /// The cache shared by the intake's messages (a private one when the
    /// message has none to share).
    shared: Arc<ReferenceCache>,
    /// The cache generation, once read.
    generation: Option<i64>,
    /// How many numbers to take from a counter at once (at least 1).
    block: usize,
    /// Counter name → numbers taken and not yet handed out.
    numbers: HashMap<String, VecDeque<i64>>,
}

impl Lookups {
    /// The lookups of a message that may number up to `lists` lists,
    /// through `shared`.
    pub fn for_lists(lists: usize, shared: Arc<ReferenceCache>) -> Lookups {
        Lookups {
            shared,
            block: lists,
            ..Lookups::default()
        }
    }

    /// The cache generation this message reads under: read once, before
    /// the first lookup (`kuajing_store::cache_generation::current`).
    async fn generation(&mut self, conn: &mut Conn) -> Result<i64> {
        if let Some(generation) = self.generation {
            return Ok(generation);
        }
        let generation = cache_generation::current(conn).await?;
        self.generation = Some(generation);
        Ok(generation)
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
    /// parcel), reading only codes the cache does not hold.
    pub async fn standings(&mut self, conn: &mut Conn, codes: &[&str]) -> Result<Vec<Standing>> {
        let generation = self.generation(conn).await?;
        let mut known: HashMap<String, Option<Standing>> = self
            .shared
            .read(generation, |entries| {
                codes
                    .iter()
                    .filter_map(|c| Some(((*c).to_owned(), entries.standings.get(*c)?.clone())))
                    .collect()
            })
            .unwrap_or_default();
        let mut missing: Vec<&str> = codes
            .iter()
            .copied()
            .filter(|c| !known.contains_key(*c))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        if !missing.is_empty() {
            let found = organisations::standing_of(conn, &missing).await?;
            let read: Vec<(String, Option<Standing>)> = missing
                .iter()
                .map(|code| {
                    let standing = found.iter().find(|s| s.customs_code == *code).cloned();
                    ((*code).to_owned(), standing)
                })
                .collect();
            self.shared.add(generation, |entries| {
                entries.standings.extend(read.iter().cloned());
            });
            known.extend(read);
        }
        Ok(codes
            .iter()
            .filter_map(|c| known.get(*c).cloned().flatten())
            .collect())
    }

    /// The bonded account book `ems_no`, if kept here.
    pub async fn book(&mut self, conn: &mut Conn, ems_no: &str) -> Result<Option<Book>> {
        let generation = self.generation(conn).await?;
        let cached = self
            .shared
            .read(generation, |entries| entries.books.get(ems_no).cloned())
            .flatten();
        if let Some(book) = cached {
            return Ok(book);
        }
        let book = ems_books::find_book(conn, ems_no).await?;
        self.shared.add(generation, |entries| {
            entries.books.insert(ems_no.to_owned(), book.clone());
        });
        Ok(book)
    }

    /// The unit of a book's line, if the book has the item (its stock is
    /// never taken from here).
    pub async fn line_unit(
        &mut self,
        conn: &mut Conn,
        ems_no: &str,
        item_no: &str,
    ) -> Result<Option<String>> {
        let generation = self.generation(conn).await?;
        let key = (ems_no.to_owned(), item_no.to_owned());
        let cached = self
            .shared
            .read(generation, |entries| entries.line_units.get(&key).cloned())
            .flatten();
        if let Some(unit) = cached {
            return Ok(unit);
        }
        let unit = ems_books::find_line(conn, ems_no, item_no)
            .await?
            .map(|line| line.unit);
        self.shared.add(generation, |entries| {
            entries.line_units.insert(key, unit.clone());
        });
        Ok(unit)
    }

    /// The tariff line of `hs_code` in force at `at` (when the platform
    /// received the list): the newest version in force by then of those
    /// the code has (`reference::tariff_versions`, as
    /// `reference::tariff_line` picks it).
    pub async fn tariff_line(
        &mut self,
        conn: &mut Conn,
        hs_code: &str,
        at: Timestamp,
    ) -> Result<Option<StoredTariffLine>> {
        let generation = self.generation(conn).await?;
        let cached = self
            .shared
            .read(generation, |entries| entries.tariff.get(hs_code).cloned())
            .flatten();
        let versions = match cached {
            Some(versions) => versions,
            None => {
                let versions: Arc<[StoredTariffLine]> =
                    reference::tariff_versions(conn, hs_code).await?.into();
                self.shared.add(generation, |entries| {
                    entries.tariff.insert(hs_code.to_owned(), versions.clone());
                });
                versions
            }
        };
        Ok(versions
            .iter()
            .find(|line| line.version.effective_from <= at)
            .cloned())
    }

    /// The data JSON of `owner_code`'s active commodity filing of each of
    /// `item_nos` that has one, as (item number, data), reading only items
    /// the cache does not hold.
    pub async fn active_commodities(
        &mut self,
        conn: &mut Conn,
        owner_code: &str,
        item_nos: &[&str],
    ) -> Result<Vec<(String, String)>> {
        let generation = self.generation(conn).await?;
        let key = |item: &str| (owner_code.to_owned(), item.to_owned());
        let mut known: HashMap<String, Option<String>> = self
            .shared
            .read(generation, |entries| {
                item_nos
                    .iter()
                    .filter_map(|i| {
                        Some(((*i).to_owned(), entries.commodities.get(&key(i))?.clone()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut missing: Vec<&str> = item_nos
            .iter()
            .copied()
            .filter(|i| !known.contains_key(*i))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        if !missing.is_empty() {
            let found =
                kuajing_store::filings::active_commodities(conn, owner_code, &missing).await?;
            let read: Vec<(String, Option<String>)> = missing
                .iter()
                .map(|item| {
                    let data = found
                        .iter()
                        .find(|(filed, _)| filed == item)
                        .map(|(_, d)| d.clone());
                    ((*item).to_owned(), data)
                })
                .collect();
            self.shared.add(generation, |entries| {
                for (item, data) in &read {
                    entries.commodities.insert(key(item), data.clone());
                }
            });
            known.extend(read);
        }
        Ok(item_nos
            .iter()
            .filter_map(|i| {
                let data = known.get(*i)?.clone()?;
                Some(((*i).to_owned(), data))
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use kuajing_core::ids::{CustomsCode, Uscc};
    use kuajing_core::role::RoleSet;
    use kuajing_store::Store;
    use kuajing_store::organisations::{NewOrganisation, OrganisationStatus, set_status};
    use kuajing_testkit::dual_backend_tests;

    use super::*;

    const CODE: &str = "2224960001";

    /// The status of [`CODE`] as a message's lookups through `shared`
    /// find it on `conn`.
    async fn status_seen(conn: &mut Conn, shared: &Arc<ReferenceCache>) -> OrganisationStatus {
        let mut lookups = Lookups::for_lists(1, shared.clone());
        let found = lookups.standings(conn, &[CODE]).await.unwrap();
        found[0].status
    }

    /// Sets [`CODE`]'s status in `conn`'s transaction.
    async fn set(conn: &mut Conn, status: OrganisationStatus) {
        set_status(conn, CODE, status, Timestamp::now())
            .await
            .unwrap()
            .unwrap();
    }

    dual_backend_tests! {
        async fn the_shared_cache_is_never_stale_after_a_commit(db: TestDatabase) {
            let store = Store::connect(&db.url).await.unwrap();
            store.migrate().await.unwrap();
            let new = NewOrganisation {
                customs_code: CustomsCode::parse(CODE).unwrap(),
                name: "测试企业".to_owned(),
                name_en: None,
                uscc: Some(Uscc::from_parts("91222404", "MA0Y1K2P").unwrap()),
                roles: RoleSet::parse_list("ebc").unwrap(),
                park: None,
                address: None,
                contact_name: None,
                contact_phone: None,
                is_demo: false,
            };
            let mut tx = store.begin().await.unwrap();
            organisations::insert(&mut tx, &new, Timestamp::now()).await.unwrap();
            tx.commit().await.unwrap();
            let shared = Arc::new(ReferenceCache::new());

            let mut tx = store.begin().await.unwrap();
            assert_eq!(status_seen(&mut tx, &shared).await, OrganisationStatus::Active);
            assert_eq!(shared.len(), 1, "kept for the next message");
            assert_eq!(status_seen(&mut tx, &shared).await, OrganisationStatus::Active);
            tx.commit().await.unwrap();

            // A change committed elsewhere is seen by the next message.
            let mut tx = store.begin().await.unwrap();
            set(&mut tx, OrganisationStatus::Suspended).await;
            tx.commit().await.unwrap();
            let mut tx = store.begin().await.unwrap();
            assert_eq!(status_seen(&mut tx, &shared).await, OrganisationStatus::Suspended);
            drop(tx);

            // A transaction sees its own change; once it is rolled back,
            // what it read is never served.
            let mut tx = store.begin().await.unwrap();
            set(&mut tx, OrganisationStatus::Active).await;
            assert_eq!(status_seen(&mut tx, &shared).await, OrganisationStatus::Active);
            drop(tx);
            let mut tx = store.begin().await.unwrap();
            assert_eq!(status_seen(&mut tx, &shared).await, OrganisationStatus::Suspended);
        }
    }
}
