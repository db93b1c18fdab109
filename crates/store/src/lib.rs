/*!
Persistence for Kuajing (跨境): one logical schema on two backends.

SQLite is the embedded default (one file, WAL, nothing to install); PostgreSQL
carries the same schema and behaviour for scale. The URL picks the backend
(`sqlite://kuajing.db`, `postgres://…`). Every statement is the same SQL text
on both (`$1` placeholders, `RETURNING`, `ON CONFLICT` work on both), issued
through [`sql`] on a [`Conn`]: readers and PostgreSQL through the sqlx `Any`
driver, the SQLite writer through a synchronous connection of its own
(issue #16), with the same rows and errors either way — so the behavioural
tests exercise one code path twice; the per-backend parts are the migration
folders and how a write transaction begins.

- [`Store`]: the pools, migrations and transactions.
- [`organisations`], [`users`], [`sessions`], [`tokens`], [`audit`],
  [`settings`], [`quota`], [`ceb_documents`], [`delegations`], [`certificates`], [`clearance`],
  [`ems_books`], [`repair`], [`overseas_warehouses`], [`purchase_records`], [`export_manifests`], [`export_returns`],
  [`export_summaries`]: one module per table family, each a set of plain async
  functions over a connection, so a handler can put a business write and its
  audit entry in one transaction.

SQLite wants one writer (DESIGN.md, "Performance"): writes go through one
connection, taken by one transaction at a time, beginning with `BEGIN
IMMEDIATE`; readers have their own connections.
*/

pub mod audit;
pub mod bulk_jobs;
pub mod cache_generation;
pub mod ceb_documents;
pub mod certificates;
pub mod clearance;
mod conn;
mod db;
pub mod delegations;
mod dynamic;
pub mod ems_books;
pub mod ems_quarantine;
pub mod ems_reconciliation;
pub mod ems_verifications;
pub mod entry_lists;
mod error;
pub mod export_manifests;
pub mod export_returns;
pub mod export_summaries;
pub mod filings;
mod native;
pub mod organisations;
pub mod outbox;
pub mod overseas_warehouses;
pub mod purchase_records;
pub mod quota;
pub mod reference;
pub mod repair;
pub mod sessions;
pub mod settings;
pub mod size_limit;
pub mod sql;
pub mod store_floor;
pub mod tokens;
pub mod users;
pub mod webhooks;

pub use conn::{Conn, WriteTx};
pub use db::{Backend, Store, savepoint};
pub use error::{StorageFault, StoreError};
pub use native::NativeError;

/// The driver error inside [`StoreError::Database`], re-exported for callers' tests.
pub use sqlx::Error as SqlxError;
