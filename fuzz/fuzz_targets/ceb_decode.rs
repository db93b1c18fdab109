//! Any bytes given to the CEB message reader are either refused with an error
//! or read into a message that survives the round trips: encoded and
//! decoded again it is equal and without issues, validation places every
//! issue under the root, and to_json/from_json gives it back unchanged.
#![no_main]

mod ceb_checks;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| ceb_checks::message(bytes));
