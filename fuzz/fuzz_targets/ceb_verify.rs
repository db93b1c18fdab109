//! Any bytes given to the signature verifier are verified or refused with an
//! error — never a panic.
#![no_main]

mod ceb_checks;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| ceb_checks::signature(bytes));
