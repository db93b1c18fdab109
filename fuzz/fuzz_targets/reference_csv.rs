//! Any bytes imported as a reference table are either read — every row
//! accounted for — or refused with a reason; never a panic.
#![no_main]

use kuajing_reference::ReferenceKind;
use kuajing_reference::csv_import::{Format, ImportError, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    for kind in ReferenceKind::ALL {
        for format in [Format::Import, Format::Seed] {
            match parse(kind, bytes, format) {
                Ok(table) => {
                    assert_eq!(table.rows.len(), table.lines.len());
                    assert_eq!(table.rows.len(), table.sources.len());
                    assert!(!table.rows.is_empty());
                }
                Err(ImportError::Rows(rows)) => assert!(!rows.is_empty()),
                Err(_) => {}
            }
        }
    }
});
