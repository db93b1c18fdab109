//! Any bytes given to the DXP envelope reader are either refused with an
//! error or read into an envelope that is checked without a panic, whose
//! business message (when `Data` holds one) survives the round trips, and
//! that encodes and decodes back equal and without issues.
#![no_main]

mod ceb_checks;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| ceb_checks::envelope(bytes));
