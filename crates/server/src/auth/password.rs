//! Passwords: Argon2id with the crate's defaults (RFC 9106 second
//! recommendation: m = 19 MiB, t = 2, p = 1), stored as PHC strings.

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};

use crate::error::{Error, Result};

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

/// Hashes a password with a fresh random salt.
pub fn hash(password: &str) -> Result<String> {
    PasswordHasher::<PasswordHash>::hash_password(&Argon2::default(), password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| Error::Internal(format!("password hashing failed: {e}")))
}

/// Whether `password` matches the stored PHC string. A malformed stored hash
/// never matches.
pub fn verify(password: &str, stored: &str) -> bool {
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
pub fn verify_against_dummy(password: &str) {
    static DUMMY: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    if let Some(dummy) = DUMMY.get_or_init(|| hash("kuajing-dummy-password").ok()) {
        let _ = verify(password, dummy);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
