//! Entry point of the `kuajing` binary; everything lives in the library so
//! that tests can reach it.

use std::process::ExitCode;

fn main() -> ExitCode {
    kuajing::cli::main()
}
