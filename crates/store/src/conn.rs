//! Connections and write transactions, whichever way a backend is driven.
//!
//! A [`Conn`] is what every store function takes: a reader from the read
//! pool, a write transaction on PostgreSQL (sqlx), or the SQLite writer
//! (a synchronous connection of its own, [`crate::native`]). The store's
//! statements ([`crate::sql`]) run on any of them with the same text, and
//! give the same rows.

use std::sync::Arc;

use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::native::NativeSqlite;

/// The SQLite writer, shared: whoever holds its lock is the one writer.
pub(crate) type SharedWriter = Arc<Mutex<NativeSqlite>>;

/// A connection the store's functions run their statements on.
pub struct Conn {
    inner: Inner,
}

enum Inner {
    /// A connection of an sqlx pool, outside any transaction.
    Pooled(PoolConnection<Any>),
    /// An sqlx transaction (PostgreSQL writes).
    Transaction(Transaction<'static, Any>),
    /// The SQLite writer, held for one transaction.
    Native(OwnedMutexGuard<NativeSqlite>),
    /// A transaction committed (only its drop sees this).
    Done,
}

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match &self.inner {
            Inner::Pooled(_) => "pooled",
            Inner::Transaction(_) => "transaction",
            Inner::Native(_) => "native SQLite writer",
            Inner::Done => "committed",
        };
        f.debug_struct("Conn").field("kind", &kind).finish()
    }
}

/// Where a statement goes.
pub(crate) enum Target<'c> {
    /// Through sqlx.
    Sqlx(&'c mut AnyConnection),
    /// Straight to the SQLite writer, on the caller's thread.
    Native(&'c mut NativeSqlite),
    /// Nowhere: the transaction is over.
    Done,
}

impl Conn {
    pub(crate) fn pooled(conn: PoolConnection<Any>) -> Conn {
        Conn {
            inner: Inner::Pooled(conn),
        }
    }

    /// The engine's name as sqlx gives it (`"SQLite"`, `"PostgreSQL"`), for
    /// the few statements that differ.
    pub fn backend_name(&self) -> &str {
        match &self.inner {
            Inner::Pooled(conn) => conn.backend_name(),
            Inner::Transaction(tx) => tx.backend_name(),
            Inner::Native(_) | Inner::Done => "SQLite",
        }
    }

    /// Where this connection's statements go.
    pub(crate) fn target(&mut self) -> Target<'_> {
        match &mut self.inner {
            Inner::Pooled(conn) => Target::Sqlx(conn),
            Inner::Transaction(tx) => Target::Sqlx(tx),
            Inner::Native(writer) => Target::Native(writer),
            Inner::Done => Target::Done,
        }
    }
}

/// A write transaction: commit it, or drop it to roll back.
#[derive(Debug)]
pub struct WriteTx {
    conn: Conn,
}

impl WriteTx {
    /// An sqlx transaction, begun.
    pub(crate) fn sqlx(tx: Transaction<'static, Any>) -> WriteTx {
        WriteTx {
            conn: Conn {
                inner: Inner::Transaction(tx),
            },
        }
    }

    /// Takes the SQLite writer and begins a transaction on it with the
    /// write lock taken at once (`BEGIN IMMEDIATE`).
    pub(crate) async fn native(writer: &SharedWriter) -> Result<WriteTx, sqlx::Error> {
        let mut guard = writer.clone().lock_owned().await;
        if !guard.is_autocommit() {
            // A transaction left open (a panic mid-way): never build on it.
            guard.run("ROLLBACK", Default::default())?;
        }
        guard.run("BEGIN IMMEDIATE", Default::default())?;
        Ok(WriteTx {
            conn: Conn {
                inner: Inner::Native(guard),
            },
        })
    }

    /// Commits. On failure nothing of the transaction is kept.
    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        match std::mem::replace(&mut self.conn.inner, Inner::Done) {
            Inner::Transaction(tx) => tx.commit().await,
            Inner::Native(mut writer) => {
                let committed = writer.run("COMMIT", Default::default()).map(|_| ());
                if committed.is_err() && !writer.is_autocommit() {
                    // SQLite keeps the transaction open after some failed
                    // commits (SQLITE_BUSY); nothing of it is to be kept.
                    let _ = writer.run("ROLLBACK", Default::default());
                }
                committed
            }
            Inner::Pooled(_) | Inner::Done => Ok(()),
        }
    }
}

impl Drop for WriteTx {
    /// A native transaction not committed is rolled back here, at once (an
    /// sqlx one by sqlx's own drop).
    fn drop(&mut self) {
        if let Inner::Native(writer) = &mut self.conn.inner
            && !writer.is_autocommit()
        {
            let _ = writer.run("ROLLBACK", Default::default());
        }
    }
}

impl std::ops::Deref for WriteTx {
    type Target = Conn;

    fn deref(&self) -> &Conn {
        &self.conn
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.conn
    }
}
