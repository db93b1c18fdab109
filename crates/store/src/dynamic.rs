//! Statements whose filters depend on the request.
//!
//! sqlx's `QueryBuilder` writes `?` placeholders for the `Any` driver, which
//! PostgreSQL does not accept; this small builder numbers them `$1, $2, …`,
//! which both backends accept. Values are always bound, never spliced into the
//! text, so filter values cannot inject SQL.

use std::fmt::Write;

use sqlx::any::AnyArguments;
use sqlx::{Any, Arguments, Encode, Type};

use crate::error::StoreError;

/// Escapes `%`, `_` and `\` so user text matches literally in `LIKE … ESCAPE '\'`.
pub(crate) fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// A statement being built: text plus bound values.
pub(crate) struct Statement {
    sql: String,
    arguments: AnyArguments,
    count: usize,
    error: Option<StoreError>,
}

impl Statement {
    /// Starts with fixed SQL text.
    pub(crate) fn new(sql: impl Into<String>) -> Self {
        Statement {
            sql: sql.into(),
            arguments: AnyArguments::default(),
            count: 0,
            error: None,
        }
    }

    /// Appends fixed SQL text (never user input).
    pub(crate) fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    /// Appends a placeholder and binds `value` to it.
    pub(crate) fn bind<T>(&mut self, value: T) -> &mut Self
    where
        T: for<'q> Encode<'q, Any> + Type<Any> + Send + 'static,
    {
        self.count += 1;
        let _ = write!(self.sql, "${}", self.count);
        if let Err(e) = self.arguments.add(value) {
            self.error
                .get_or_insert(StoreError::Database(sqlx::Error::Encode(e)));
        }
        self
    }

    /// Appends `$a, $b, …` binding each value (for `IN (…)`).
    pub(crate) fn bind_list<T>(&mut self, values: impl IntoIterator<Item = T>) -> &mut Self
    where
        T: for<'q> Encode<'q, Any> + Type<Any> + Send + 'static,
    {
        for (i, value) in values.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.bind(value);
        }
        self
    }

    /// Runs it and returns every row.
    pub(crate) async fn fetch_all(
        self,
        conn: &mut crate::Conn,
    ) -> Result<Vec<sqlx::any::AnyRow>, StoreError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        Ok(crate::sql::query_with(self.sql, self.arguments)
            .fetch_all(conn)
            .await?)
    }
}

impl Statement {
    /// Runs it; the rows it changed.
    pub(crate) async fn execute(self, conn: &mut crate::Conn) -> Result<u64, StoreError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        Ok(crate::sql::query_with(self.sql, self.arguments)
            .execute(conn)
            .await?
            .rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_in_user_text_match_literally() {
        assert_eq!(escape_like("sign_in"), "sign\\_in");
        assert_eq!(escape_like("100%\\"), "100\\%\\\\");
    }
}
