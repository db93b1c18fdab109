//! The layout rules of the Kuajing workspace (issue #15), checked over the
//! sources themselves rather than promised in prose:
//!
//! 1. no crate holds more than a quarter of the workspace's non-test,
//!    non-generated Rust lines ([`lines`]);
//! 2. only the web crate and the binary depend on the HTTP server stack
//!    (`axum`, `askama`, `tower*`, `hyper*`, `http*`) ([`dependencies`]);
//! 3. no circle of imports between the modules of a crate ([`modules`],
//!    [`cycles`]);
//! 4. a file name says one thing: no singular/plural twins, no vague
//!    names ([`names`]).
//!
//! [`rules::check`] runs all four over a workspace and says what it found;
//! the `kuajing-layout` binary prints that report and the test binary
//! fails CI (`.ci/run` runs `cargo test --workspace`) when a rule breaks.

pub mod cycles;
pub mod dependencies;
pub mod lines;
pub mod modules;
pub mod names;
pub mod rules;

use std::path::PathBuf;

/// Why the workspace could not be read (not a broken rule: those are
/// [`rules::Violation`]s).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A source or manifest could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A Rust source is not valid Rust (the compiler would say more).
    #[error("cannot parse {path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// What syn said.
        message: String,
    },
    /// A `mod x;` names a file that is neither `x.rs` nor `x/mod.rs`.
    #[error("{path}: module `{module}` has no file")]
    MissingModule {
        /// The file declaring the module.
        path: PathBuf,
        /// The module's name.
        module: String,
    },
    /// `cargo metadata` failed or said something unexpected.
    #[error("cargo metadata: {0}")]
    Metadata(String),
}
