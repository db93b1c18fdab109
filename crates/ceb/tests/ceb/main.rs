//! Integration tests of the codec against the official specification in
//! `../shared/ceb-spec` (or `$KUAJING_CEB_SPEC`).
//!
//! One test binary for the crate (link time matters on 2 cores): add modules
//! here rather than new files under `tests/`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod characters;
mod envelope;
mod guids;
mod hostile;
mod json;
mod properties;
mod regressions;
mod samples;
mod signing;
mod validation;

use std::path::PathBuf;

/// The official specification's folder: `$KUAJING_CEB_SPEC`, or
/// `shared/ceb-spec` beside the repository or above it. Tests fail (rather
/// than skip) when it is missing: they are the codec's conformance evidence.
pub fn spec_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("KUAJING_CEB_SPEC") {
        return PathBuf::from(dir);
    }
    let repository = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    repository
        .ancestors()
        .map(|dir| dir.join("shared/ceb-spec"))
        .find(|dir| dir.join("xsd").is_dir())
        .unwrap_or_else(|| {
            panic!(
                "the official CEB specification is not in shared/ceb-spec beside {} or above (set KUAJING_CEB_SPEC)",
                repository.display()
            )
        })
}

/// Every official sample: (file name, bytes), import then export.
pub fn official_samples() -> Vec<(String, Vec<u8>)> {
    let mut samples = Vec::new();
    for direction in ["import", "export"] {
        let dir = spec_dir().join("samples").join(direction);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.unwrap().path())
            .collect();
        files.sort();
        for file in files {
            let name = format!(
                "{direction}/{}",
                file.file_name().unwrap().to_string_lossy()
            );
            samples.push((name, std::fs::read(&file).unwrap()));
        }
    }
    samples
}
