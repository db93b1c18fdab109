//! The layout rules (issue #15) hold for this workspace, and the checker
//! finds each kind of break in a small workspace made to break it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod checker;
mod workspace;
