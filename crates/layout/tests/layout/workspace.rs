//! The four rules over Kuajing itself: this is the test `.ci/run` fails on
//! when a change puts HTTP in a system crate, closes a circle of imports,
//! grows a crate past a quarter of the code or names a file twice.

use std::path::PathBuf;

use kuajing_layout::rules::check;

#[test]
fn the_workspace_keeps_the_four_layout_rules() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let report = check(&root).expect("the workspace can be read");
    let found: Vec<String> = report.violations.iter().map(ToString::to_string).collect();
    assert!(
        found.is_empty(),
        "layout rules broken (run `cargo run -p kuajing-layout`):\n{}",
        found.join("\n")
    );
    // The check looked at the whole platform, not an empty shell.
    let names: Vec<&str> = report
        .crates
        .iter()
        .map(|(name, _)| name.as_str())
        .collect();
    for system in [
        "kuajing-registry",
        "kuajing-intake",
        "kuajing-import",
        "kuajing-export",
        "kuajing-bonded",
        "kuajing-server",
    ] {
        assert!(names.contains(&system), "{system} missing from {names:?}");
    }
    assert!(report.total > 10_000, "only {} lines counted", report.total);
}
