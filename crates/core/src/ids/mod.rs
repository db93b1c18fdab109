//! Parsed identifiers. Each type can only hold a value that passed its rule, so
//! code that receives one never checks it again ("parse, don't validate").
//!
//! A passing check character proves the format only; authenticity needs the
//! issuing authority (`domain/codes.md`).

mod customs_code;
mod error;
mod organisation_code;
mod uscc;

pub use customs_code::CustomsCode;
pub use error::{IdError, IdKind};
pub use organisation_code::OrganisationCode;
pub use uscc::Uscc;
