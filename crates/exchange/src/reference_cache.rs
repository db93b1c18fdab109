//! The cache (参考数据缓存) of what the lists look up that changes rarely —
//! the parties' standing and roles, the tariff, the enterprises' filed
//! commodities, the bonded books and their lines' units (issue #16, item
//! 3) — shared by every message the intake takes, so that a list's checks
//! read them from memory instead of the database.
//!
//! Entries are kept under the database's cache generation
//! (`kuajing_store::cache_generation`), which every change to those records
//! replaces in the change's own transaction with a value never used before.
//! A message reads the generation first, and uses and adds entries only
//! under the generation it read: once a change has committed, every
//! message that starts after it reads the new generation and none of the
//! entries read before. A message that read an older generation than the
//! cache holds neither uses nor disturbs the newer entries beyond starting
//! the cache afresh; with several servers on one database each keeps its own
//! cache under the same rule.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use kuajing_store::ems_books::Book;
use kuajing_store::organisations::Standing;
use kuajing_store::reference::StoredTariffLine;

/// The most entries of all kinds kept at once; a cache that reaches it
/// starts afresh (about the parties, goods and tariff codes of a busy
/// zone's day; each entry is a few hundred bytes).
const MAX_ENTRIES: usize = 65_536;

/// The shared cache of rarely-changing lookups.
#[derive(Debug, Default)]
pub struct ReferenceCache {
    inner: Mutex<Entries>,
}

/// What the cache holds, all under one generation.
#[derive(Debug, Default)]
pub(crate) struct Entries {
    /// The generation every entry was read under (`None`: empty).
    generation: Option<i64>,
    /// Customs code → standing (`None`: not filed).
    pub(crate) standings: HashMap<String, Option<Standing>>,
    /// HS code → every version of its tariff line, the newest first.
    pub(crate) tariff: HashMap<String, Arc<[StoredTariffLine]>>,
    /// (e-commerce enterprise, item number) → its active commodity
    /// filing's data JSON (`None`: none).
    pub(crate) commodities: HashMap<(String, String), Option<String>>,
    /// Book number → the book (`None`: not kept here).
    pub(crate) books: HashMap<String, Option<Book>>,
    /// (book, item record number) → the line's unit (`None`: no such line).
    pub(crate) line_units: HashMap<(String, String), Option<String>>,
}

impl Entries {
    /// How many entries are kept, of all kinds.
    fn len(&self) -> usize {
        self.standings.len()
            + self.tariff.len()
            + self.commodities.len()
            + self.books.len()
            + self.line_units.len()
    }
}

impl ReferenceCache {
    /// An empty cache.
    pub fn new() -> ReferenceCache {
        ReferenceCache::default()
    }

    /// Reads from the entries if they are of `generation` (`None`
    /// otherwise: the caller reads the database).
    pub(crate) fn read<R>(&self, generation: i64, read: impl FnOnce(&Entries) -> R) -> Option<R> {
        let entries = self.lock();
        (entries.generation == Some(generation)).then(|| read(&entries))
    }

    /// Adds what `add` adds to the entries of `generation`, first
    /// starting afresh if they are of another generation or full.
    pub(crate) fn add(&self, generation: i64, add: impl FnOnce(&mut Entries)) {
        let mut entries = self.lock();
        if entries.generation != Some(generation) || entries.len() >= MAX_ENTRIES {
            *entries = Entries {
                generation: Some(generation),
                ..Entries::default()
            };
        }
        add(&mut entries);
    }

    /// The entries; a panic while they were held leaves maps that are
    /// each whole, so a poisoned lock is simply taken.
    fn lock(&self) -> MutexGuard<'_, Entries> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How many entries are kept (for tests and metrics).
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
