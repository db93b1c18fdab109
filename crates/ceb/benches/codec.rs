//! Benchmarks (written later in this issue).
fn main() {}
