/*!
Test support shared by the crates' integration tests.

[`TestDatabase`] gives each test a database of its own on the backend asked for:
a new SQLite file in a temporary directory, or a new PostgreSQL database created
on the server named by `KUAJING_TEST_POSTGRES_URL` (default
`postgres://postgres@127.0.0.1:5432/postgres`, the local server with trust
authentication) and dropped when the test ends. `.ci/run` sets the variable.

[`dual_backend_tests!`] turns one async test body into a SQLite test and a
PostgreSQL test, so that one behavioural suite runs on both backends.
*/
#![allow(clippy::expect_used, clippy::panic)] // test support: failing loudly is the point

pub mod certificates;
pub mod faults;

use sqlx::Connection;

/// Environment variable naming the PostgreSQL server used by tests.
pub const POSTGRES_URL_VAR: &str = "KUAJING_TEST_POSTGRES_URL";

/// Default PostgreSQL server for tests: the local one, trust authentication.
pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// Which backend a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestBackend {
    /// A fresh SQLite file.
    Sqlite,
    /// A fresh PostgreSQL database.
    Postgres,
}

/// A database that exists for one test.
pub struct TestDatabase {
    /// URL to connect to it.
    pub url: String,
    /// The backend.
    pub backend: TestBackend,
    // Keeps the SQLite file's directory alive; removed on drop.
    _dir: Option<tempfile::TempDir>,
    // PostgreSQL: (server URL, database name) to drop at the end.
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    /// Creates a fresh, empty database on `backend`.
    pub async fn create(backend: TestBackend) -> TestDatabase {
        match backend {
            TestBackend::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let url = format!("sqlite://{}", dir.path().join("kuajing.db").display());
                TestDatabase {
                    url,
                    backend,
                    _dir: Some(dir),
                    postgres: None,
                }
            }
            TestBackend::Postgres => {
                let server = postgres_server_url();
                let name = format!("kj_test_{}", uuid::Uuid::new_v4().simple());
                let mut admin = sqlx::PgConnection::connect(&server).await.unwrap_or_else(|e| {
                    panic!(
                        "cannot reach PostgreSQL at {server} ({e}); start it or set {POSTGRES_URL_VAR} (.ci/run does both)"
                    )
                });
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut admin)
                    .await
                    .expect("create test database");
                let url = replace_database(&server, &name);
                TestDatabase {
                    url,
                    backend,
                    _dir: None,
                    postgres: Some((server, name)),
                }
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((server, name)) = self.postgres.take() else {
            return;
        };
        // Drop is synchronous and may run inside a runtime: use a thread with
        // its own small runtime. Failing to drop only leaves a stray database.
        let _ = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async move {
                if let Ok(mut admin) = sqlx::PgConnection::connect(&server).await {
                    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                        .execute(&mut admin)
                        .await;
                }
            });
        })
        .join();
    }
}

/// The PostgreSQL server URL for tests.
pub fn postgres_server_url() -> String {
    std::env::var(POSTGRES_URL_VAR).unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned())
}

/// Replaces the database name (the path) of a PostgreSQL URL.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

/// Defines each test twice, as `<name>::sqlite` and `<name>::postgres`.
///
/// ```text
/// dual_backend_tests! {
///     async fn files_an_organisation(db: TestDatabase) { … }
/// }
/// ```
#[macro_export]
macro_rules! dual_backend_tests {
    ($( $(#[$meta:meta])* async fn $name:ident($db:ident : TestDatabase) $body:block )*) => {
        $(
            $(#[$meta])*
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                async fn run($db: $crate::TestDatabase) $body

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    run($crate::TestDatabase::create($crate::TestBackend::Sqlite).await).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    run($crate::TestDatabase::create($crate::TestBackend::Postgres).await).await
                }
            }
        )*
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_only_the_database_name() {
        assert_eq!(
            replace_database("postgres://u@h:5432/postgres", "kj"),
            "postgres://u@h:5432/kj"
        );
        assert_eq!(
            replace_database("postgres://u@h/postgres?sslmode=disable", "kj"),
            "postgres://u@h/kj?sslmode=disable"
        );
        assert_eq!(replace_database("postgres://h", "kj"), "postgres://h/kj");
    }
}
