//! Parsed identifiers. Each type can only hold a value that passed its rule, so
//! code that receives one never checks it again ("parse, don't validate").
//!
//! A passing check character proves the format only; authenticity needs the
//! issuing authority (`domain/codes.md`).

mod customs_code;
mod error;
mod gtin;
mod hs_code;
mod organisation_code;
mod resident_id;
mod uscc;

pub use customs_code::CustomsCode;
pub use error::{IdError, IdKind};
pub use gtin::Gtin;
pub use hs_code::HsCode;
pub use organisation_code::OrganisationCode;
pub use resident_id::ResidentId;
pub use uscc::Uscc;
