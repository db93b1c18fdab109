//! The business rules the XSD leaves to customs (ceb-messages.md §2.3,
//! §2.5, §3.2): code lists, date formats, conditional fields and the
//! arithmetic of each document.

pub mod dates;
