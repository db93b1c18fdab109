//! `kuajing bench clearance` end to end on a small load, both backends:
//! it starts its own server, sends 9610 and 1210 parcels in both shapes,
//! and its closing checks (every decision as its parcel's kind says; the
//! bonded book lost exactly what the released 1210 lists took, holds
//! nothing, agrees with its ledger; the store's floor kept every message
//! sent to it) pass. The figures themselves are not
//! asserted: performance lives in the bench, not in tests.

use kuajing_testkit::dual_backend_tests;

use super::*;

dual_backend_tests! {
    async fn the_clearance_bench_runs_both_modes_and_its_checks_pass(db: TestDatabase) {
        let output = kuajing(
            &db.url,
            &["bench", "clearance", "--database", &db.url, "--parcels", "40", "--concurrency", "4"],
            "",
        );
        let text = stdout(&output);
        assert_exit(&output, 0);
        for label in ["one document per message, 9610", "one document per message, 1210",
            "100 documents per message, 9610", "100 documents per message, 1210"] {
            assert!(text.contains(label), "{label}: {text}");
        }
        assert!(text.contains("1210 / 9610 clearances/s"), "{text}");
        // The store's floor took the same messages first, and the clearance
        // is put beside it.
        assert_eq!(text.matches("store floor: the same").count(), 4, "{text}");
        assert_eq!(text.matches("% of the store floor)").count(), 4, "{text}");
        // What a parcel cost the database, per run: the clearance keeps
        // more than the floor's one row a message.
        let costs: Vec<(f64, f64)> = text
            .lines()
            .filter_map(|line| line.strip_prefix("bytes per parcel: store floor "))
            .map(|rest| {
                let numbers: Vec<f64> = rest
                    .split(|c: char| !c.is_ascii_digit() && c != '.')
                    .filter_map(|n| n.parse().ok())
                    .collect();
                (numbers[0], numbers[1])
            })
            .collect();
        assert_eq!(costs.len(), 4, "{text}");
        assert!(costs.iter().all(|(_, clearance)| *clearance > 0.0), "{costs:?}");
        let (floor, clearance): (f64, f64) = costs.iter().fold((0.0, 0.0), |(f, c), (a, b)| (f + a, c + b));
        assert!(clearance > floor, "{costs:?}");
        // 40 parcels as 160 single messages and as 4 batch messages, per mode.
        assert!(text.contains("check: 328 messages kept by the store floor (expected 328)"), "{text}");
        assert!(text.contains("check: 144 lists released (expected 144), 16 refused (expected 16), 0 waiting"), "{text}");
        // 72 clean 1210 parcels of the 80 (parcels 41-80 and 121-160), two
        // jars each.
        assert!(
            text.contains("144 jars taken by released 1210 lists (expected 144), 0 held, 0 lines differing from their ledger"),
            "{text}"
        );
    }
}

/// On its default database (a new SQLite file in a temporary directory)
/// the bench removes the database once every check passed — a million
/// clearances leave tens of gigabytes — and says where the server's log is.
#[test]
fn the_default_database_is_removed_after_a_passing_run() {
    let output = kuajing(
        "sqlite://unused.db",
        &[
            "bench",
            "clearance",
            "--parcels",
            "8",
            "--shape",
            "single",
            "--trade-mode",
            "9610",
            "--concurrency",
            "2",
        ],
        "",
    );
    let text = stdout(&output);
    assert_exit(&output, 0);
    let log = text
        .lines()
        .find_map(|line| line.strip_prefix("database removed; the server's log is "))
        .unwrap_or_else(|| panic!("no removal line: {text}"));
    let log = std::path::Path::new(log);
    assert!(log.is_file(), "the log it names is there: {text}");
    let dir = log.parent().unwrap_or_else(|| panic!("{text}"));
    assert!(!dir.join("bench.db").exists(), "{text}");
    assert!(!dir.join("bench.db-wal").exists(), "{text}");
    let _ = std::fs::remove_dir_all(dir);
}
