//! Any bytes posted as an organisation filing are either read and checked or
//! refused with an error naming a field — never a panic.
#![no_main]

use kuajing_registry::organisations::OrganisationInput;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(input) = serde_json::from_slice::<OrganisationInput>(bytes) {
        match input.parse(false) {
            Ok(new) => assert!(!new.roles.is_empty()),
            Err(error) => assert!(error.field().is_some(), "{error:?}"),
        }
    }
});
