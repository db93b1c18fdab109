//! `cargo run -p kuajing-layout [WORKSPACE]`: prints each crate's lines and
//! share, then every broken layout rule; exits 1 when a rule is broken.

use std::path::PathBuf;
use std::process::ExitCode;

use kuajing_layout::rules::{TOOLING_CRATES, check, percent};

fn main() -> ExitCode {
    let root = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."));
    let report = match check(&root) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("kuajing-layout: {error}");
            return ExitCode::from(2);
        }
    };
    println!("| crate | lines (non-blank, non-test, hand-written) | share | generated |");
    println!("| --- | ---: | ---: | ---: |");
    for (name, count) in &report.crates {
        let share = if TOOLING_CRATES.contains(&name.as_str()) {
            "tooling".to_owned()
        } else {
            format!("{:.1} %", percent(count.code, report.total))
        };
        println!(
            "| `{name}` | {} | {share} | {} |",
            count.code, count.generated
        );
    }
    println!(
        "| workspace (platform crates) | {} | 100 % | |",
        report.total
    );
    for violation in &report.violations {
        println!("{violation}");
    }
    if report.violations.is_empty() {
        println!("the four layout rules hold");
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
