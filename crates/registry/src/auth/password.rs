//! Passwords: Argon2id with the crate's defaults (RFC 9106 second
//! recommendation: m = 19 MiB, t = 2, p = 1), stored as PHC strings.
//!
//! The work is deliberately heavy (tens of milliseconds of a core and
//! 19 MiB each), so it never runs on the threads that answer requests:
//! [`Hashing`] runs it on the blocking pool, a bounded number at once, and
//! refuses at once what would wait beyond a bounded queue (issue #14,
//! finding 10: 1,000 sign-ins had slowed `/healthz` to two seconds).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use tokio::sync::Semaphore;

use crate::error::{Error, Result};

/// How much password work runs at once and how much may wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashingSettings {
    /// Hashes computed at the same time (each takes a core and 19 MiB).
    pub concurrent: usize,
    /// Hashes that may wait for one of those; any more is answered 503
    /// with Retry-After at once.
    pub queue: usize,
}

impl Default for HashingSettings {
    /// One hash per core, and eight per core waiting (a wait of well under
    /// a second on a release build).
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        HashingSettings {
            concurrent: cores,
            queue: 8 * cores,
        }
    }
}

/// The bound on password work, shared by every sign-in and user creation
/// of one server (and used alone by the command line).
#[derive(Debug, Clone)]
pub struct Hashing {
    running: Arc<Semaphore>,
    admitted: Arc<AtomicUsize>,
    limit: usize,
}

/// A place among the admitted (running or waiting); given back on drop.
struct Admitted(Arc<AtomicUsize>);

impl Drop for Admitted {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Hashing {
    /// A bound with `settings` (a `concurrent` of 0 counts as 1).
    pub fn new(settings: HashingSettings) -> Self {
        let concurrent = settings.concurrent.max(1);
        Hashing {
            running: Arc::new(Semaphore::new(concurrent)),
            admitted: Arc::new(AtomicUsize::new(0)),
            limit: concurrent + settings.queue,
        }
    }

    /// Hashes a password with a fresh random salt.
    pub async fn hash(&self, password: &str) -> Result<String> {
        let password = password.to_owned();
        self.run(move || hash(&password)).await?
    }

    /// Whether `password` matches the stored PHC string.
    pub async fn verify(&self, password: &str, stored: &str) -> Result<bool> {
        let (password, stored) = (password.to_owned(), stored.to_owned());
        self.run(move || verify(&password, &stored)).await
    }

    /// Spends the work of a real check (see [`verify_against_dummy`]).
    pub async fn verify_against_dummy(&self, password: &str) -> Result<()> {
        let password = password.to_owned();
        self.run(move || verify_against_dummy(&password)).await
    }

    /// Runs `work` on the blocking pool once one of the `concurrent`
    /// places is free; [`Error::Overloaded`] at once if `queue` others
    /// already wait. The places travel with the work, so a request given up
    /// while its hash runs still holds one until the hash ends.
    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
        let admitted = self.admit()?;
        let place = self
            .running
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| Error::Internal("the password work bound is closed".to_owned()))?;
        tokio::task::spawn_blocking(move || {
            let outcome = work();
            drop(place);
            drop(admitted);
            outcome
        })
        .await
        .map_err(|e| Error::Internal(format!("password work failed: {e}")))
    }

    /// A place among the admitted, or 503 if there is none.
    fn admit(&self) -> Result<Admitted> {
        let taken = self
            .admitted
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.limit).then_some(n + 1)
            });
        match taken {
            Ok(_) => Ok(Admitted(self.admitted.clone())),
            Err(_) => {
                metrics::counter!("kuajing_password_work_refused_total").increment(1);
                Err(Error::Overloaded {
                    retry_after_secs: 1,
                })
            }
        }
    }
}

/// Shortest password accepted.
pub const MIN_LENGTH: usize = 10;
/// Longest password accepted; bounds the hashing work one request can cause.
pub const MAX_LENGTH: usize = 256;

/// Checks the password rules, naming the field on failure.
pub fn check_rules(password: &str) -> Result<()> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(Error::invalid(
            "password",
            "PASSWORD_TOO_SHORT",
            format!("密码至少需要 {MIN_LENGTH} 个字符，当前为 {length} 个"),
            format!("password needs at least {MIN_LENGTH} characters, got {length}"),
        ));
    }
    if length > MAX_LENGTH {
        return Err(Error::invalid(
            "password",
            "PASSWORD_TOO_LONG",
            format!("密码最多 {MAX_LENGTH} 个字符"),
            format!("password may have at most {MAX_LENGTH} characters"),
        ));
    }
    Ok(())
}

/// Hashes a password with a fresh random salt (on the calling thread:
/// through [`Hashing`] only).
fn hash(password: &str) -> Result<String> {
    PasswordHasher::<PasswordHash>::hash_password(&Argon2::default(), password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| Error::Internal(format!("password hashing failed: {e}")))
}

/// Whether `password` matches the stored PHC string. A malformed stored hash
/// never matches.
fn verify(password: &str, stored: &str) -> bool {
    if password.len() > MAX_LENGTH * 4 {
        return false;
    }
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Spends the same work as a real check when the login does not exist, so
/// that response time does not tell which logins exist.
fn verify_against_dummy(password: &str) {
    static DUMMY: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    if let Some(dummy) = DUMMY.get_or_init(|| hash("kuajing-dummy-password").ok()) {
        let _ = verify(password, dummy);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn beyond_the_bound_password_work_is_refused_at_once_and_places_come_back() {
        let hashing = Hashing::new(HashingSettings {
            concurrent: 1,
            queue: 1,
        });
        let first = hashing.admit().unwrap();
        let second = hashing.admit().unwrap();
        let Err(Error::Overloaded { retry_after_secs }) =
            hashing.hash("correct horse battery").await
        else {
            panic!("a third admitted beyond 1 running + 1 waiting")
        };
        assert_eq!(retry_after_secs, 1);
        drop((first, second));
        let stored = hashing.hash("correct horse battery").await.unwrap();
        assert!(
            hashing
                .verify("correct horse battery", &stored)
                .await
                .unwrap()
        );
        assert!(
            !hashing
                .verify("correct horse batterx", &stored)
                .await
                .unwrap()
        );
        assert_eq!(
            hashing.admitted.load(Ordering::Acquire),
            0,
            "every place given back"
        );
    }

    #[test]
    fn a_hash_verifies_only_its_password() {
        let stored = hash("correct horse battery").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &stored));
        assert!(!verify("correct horse batterx", &stored));
        assert!(!verify("correct horse battery", "not a hash"));
    }

    #[test]
    fn rules_name_the_field() {
        let Err(Error::Invalid { field, code, .. }) = check_rules("short") else {
            panic!("short password accepted")
        };
        assert_eq!((field.as_str(), code), ("password", "PASSWORD_TOO_SHORT"));
        assert!(check_rules("long enough!").is_ok());
        assert!(check_rules(&"x".repeat(MAX_LENGTH + 1)).is_err());
    }
}
