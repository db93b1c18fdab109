//! How a command fails: bad input (exit 2) or anything else (exit 1), with
//! the one message the operator reads.

use kuajing_core::error::Localized;

/// A command's failure, sorted by exit code.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad input: exit 2.
    #[error("{0}")]
    Input(String),
    /// Anything else: exit 1.
    #[error("{0}")]
    Failure(String),
}

impl From<kuajing_server::Error> for CliError {
    fn from(error: kuajing_server::Error) -> Self {
        use kuajing_server::Error as E;
        // Every refusal, one per line, when a command broke several rules.
        let text = error
            .parts()
            .iter()
            .map(|part| match part.field() {
                Some(field) => format!("{field}: {} / {}", part.message_en(), part.message_zh()),
                None => format!("{} / {}", part.message_en(), part.message_zh()),
            })
            .collect::<Vec<_>>()
            .join("\n");
        match error {
            E::Invalid { .. }
            | E::InvalidFields(_)
            | E::Conflict { .. }
            | E::NotFound { .. }
            | E::MalformedBody { .. } => CliError::Input(text),
            E::Store(inner) => CliError::Failure(format!("{text}: {inner}")),
            _ => CliError::Failure(text),
        }
    }
}

impl From<kuajing_store::StoreError> for CliError {
    fn from(error: kuajing_store::StoreError) -> Self {
        match error {
            kuajing_store::StoreError::UnsupportedUrl(_) => CliError::Input(error.to_string()),
            other => CliError::Failure(other.to_string()),
        }
    }
}
