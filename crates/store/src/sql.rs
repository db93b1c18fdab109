//! The store's statements: text and bound values, run on a [`Conn`]
//! whichever way it is driven (sqlx, or the native SQLite writer).
//!
//! The shape is sqlx's own (`query(…).bind(…).fetch_optional(conn)`), and
//! values are encoded by sqlx's `Any` types, so a value binds the same on
//! every path; rows come back as sqlx's [`AnyRow`] and are read with
//! `try_get`. Text is always fixed or assembled from fixed pieces
//! ([`crate::dynamic`]); values are always bound, never spliced in.

use std::marker::PhantomData;

use sqlx::any::{AnyArguments, AnyQueryResult, AnyRow};
use sqlx::error::BoxDynError;
use sqlx::{Any, Arguments, AssertSqlSafe, Decode, Encode, Row, SqlSafeStr, SqlStr, Type};

use crate::conn::{Conn, Target};
use crate::native::NativeSqlite;

/// A statement with its bound values.
#[must_use = "a statement does nothing until it is run"]
pub struct Query {
    sql: SqlStr,
    arguments: AnyArguments,
    error: Option<BoxDynError>,
}

/// A statement with fixed text.
pub fn query(sql: &'static str) -> Query {
    Query {
        sql: sql.into_sql_str(),
        arguments: AnyArguments::default(),
        error: None,
    }
}

/// A statement whose text was assembled from fixed pieces (never from
/// input).
pub(crate) fn query_text(sql: impl Into<String>) -> Query {
    query_with(sql.into(), AnyArguments::default())
}

/// A statement whose text was assembled from fixed pieces, with its values.
pub(crate) fn query_with(sql: String, arguments: AnyArguments) -> Query {
    Query {
        sql: AssertSqlSafe(sql).into_sql_str(),
        arguments,
        error: None,
    }
}

impl Query {
    /// Binds the next value.
    pub fn bind<'t, T>(mut self, value: T) -> Self
    where
        T: Encode<'t, Any> + Type<Any>,
    {
        if self.error.is_none()
            && let Err(error) = self.arguments.add(value)
        {
            self.error = Some(error);
        }
        self
    }

    /// Where it runs: sqlx's query on an sqlx connection, or the text and
    /// values for the SQLite writer; an error bound earlier fails it here.
    fn route(self, conn: &mut Conn) -> Result<Route<'_>, sqlx::Error> {
        if let Some(error) = self.error {
            return Err(sqlx::Error::Encode(error));
        }
        match conn.target() {
            Target::Sqlx(conn) => Ok(Route::Sqlx(
                sqlx::query_with(self.sql, self.arguments),
                conn,
            )),
            Target::Native(writer) => Ok(Route::Native(writer, self.sql, self.arguments)),
            Target::Done => Err(committed()),
        }
    }

    /// Runs it; how many rows it changed.
    pub async fn execute(self, conn: &mut Conn) -> Result<AnyQueryResult, sqlx::Error> {
        match self.route(conn)? {
            Route::Sqlx(query, conn) => query.execute(conn).await,
            Route::Native(writer, sql, arguments) => {
                Ok(writer.run(sql.as_str(), arguments)?.result)
            }
        }
    }

    /// Runs it; every row.
    pub async fn fetch_all(self, conn: &mut Conn) -> Result<Vec<AnyRow>, sqlx::Error> {
        match self.route(conn)? {
            Route::Sqlx(query, conn) => query.fetch_all(conn).await,
            Route::Native(writer, sql, arguments) => Ok(writer.run(sql.as_str(), arguments)?.rows),
        }
    }

    /// Runs it; the first row, if any (the rest are not read).
    pub async fn fetch_optional(self, conn: &mut Conn) -> Result<Option<AnyRow>, sqlx::Error> {
        match self.route(conn)? {
            Route::Sqlx(query, conn) => query.fetch_optional(conn).await,
            Route::Native(writer, sql, arguments) => Ok(writer
                .run_up_to(sql.as_str(), arguments, 1)?
                .rows
                .into_iter()
                .next()),
        }
    }

    /// Runs it; the first row, which must exist.
    pub async fn fetch_one(self, conn: &mut Conn) -> Result<AnyRow, sqlx::Error> {
        self.fetch_optional(conn)
            .await?
            .ok_or(sqlx::Error::RowNotFound)
    }
}

/// Runs a script of several statements without values (a migration's
/// text), in order.
pub async fn execute_script(conn: &mut Conn, script: &'static str) -> Result<(), sqlx::Error> {
    match conn.target() {
        Target::Sqlx(conn) => {
            sqlx::raw_sql(script).execute(conn).await?;
            Ok(())
        }
        Target::Native(writer) => writer.run_script(script),
        Target::Done => Err(committed()),
    }
}

/// The error for a statement on a transaction already committed.
fn committed() -> sqlx::Error {
    sqlx::Error::Protocol("the transaction is already committed".to_owned())
}

/// Where a statement runs.
enum Route<'c> {
    /// Through sqlx, on this connection.
    Sqlx(
        sqlx_core::query::Query<'static, Any, AnyArguments>,
        &'c mut sqlx::AnyConnection,
    ),
    /// On the SQLite writer, with this text and these values.
    Native(&'c mut NativeSqlite, SqlStr, AnyArguments),
}

/// A statement read for the first column of its rows.
#[must_use = "a statement does nothing until it is run"]
pub struct QueryScalar<O> {
    query: Query,
    output: PhantomData<fn() -> O>,
}

/// A statement with fixed text whose first column is read.
pub fn query_scalar<O>(sql: &'static str) -> QueryScalar<O> {
    QueryScalar {
        query: query(sql),
        output: PhantomData,
    }
}

impl<O> QueryScalar<O>
where
    O: for<'r> Decode<'r, Any> + Type<Any>,
{
    /// Binds the next value.
    pub fn bind<'t, T>(self, value: T) -> Self
    where
        T: Encode<'t, Any> + Type<Any>,
    {
        QueryScalar {
            query: self.query.bind(value),
            output: PhantomData,
        }
    }

    /// Runs it; the first column of the first row, which must exist.
    pub async fn fetch_one(self, conn: &mut Conn) -> Result<O, sqlx::Error> {
        self.query.fetch_one(conn).await?.try_get(0)
    }

    /// Runs it; the first column of the first row, if any.
    pub async fn fetch_optional(self, conn: &mut Conn) -> Result<Option<O>, sqlx::Error> {
        match self.query.fetch_optional(conn).await? {
            Some(row) => Ok(Some(row.try_get(0)?)),
            None => Ok(None),
        }
    }

    /// Runs it; the first column of every row.
    pub async fn fetch_all(self, conn: &mut Conn) -> Result<Vec<O>, sqlx::Error> {
        self.query
            .fetch_all(conn)
            .await?
            .iter()
            .map(|row| row.try_get(0))
            .collect()
    }
}
