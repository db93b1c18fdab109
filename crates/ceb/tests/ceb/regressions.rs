//! The fuzz regression corpus: every file in `fuzz/regressions/<target>/`
//! (an input a CEB fuzz target once failed on, kept there by
//! `fuzz/run-ceb`) replayed through that target's own checks, so that a
//! fixed crash stays fixed under `cargo test`.
//!
//! Also (ignored, run on purpose) the writer of the targets' seeds in
//! `fuzz/seeds/`, made from the codec's own examples:
//! `cargo test -p kuajing-ceb --test ceb -- --ignored write_fuzz_seeds`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use kuajing_ceb::envelope::{Envelope, IMPORT_RECEIVER, Routing, encode_envelope, wrap};
use kuajing_ceb::model::dxp::{AddInfo, BizKey, DxpMsgSv, IsText, Key, Keys, SvNo};
use kuajing_ceb::{MessageType, encode, sample, sign};

use crate::signing::{rsa_identity, signer, sm2_identity};

/// The checks of the fuzz targets themselves (one copy of the invariants).
#[path = "../../../../fuzz/fuzz_targets/ceb_checks.rs"]
mod checks;

/// The fuzz project, `fuzz/` at the top of the repository.
fn fuzz_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// What a fuzz target checks of its input.
type Check = fn(&[u8]);

/// The check a fuzz target applies to its input, by the target's name.
fn target_check(target: &str) -> Option<Check> {
    match target {
        "ceb_decode" => Some(checks::message),
        "dxp_decode" => Some(checks::envelope),
        "ceb_verify" => Some(checks::signature),
        _ => None,
    }
}

/// The entries of `dir` in name order, without hidden ones (`.gitkeep`).
fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            !path
                .file_name()
                .is_some_and(|name| name.to_string_lossy().starts_with('.'))
        })
        .collect();
    entries.sort();
    entries
}

/// Replays every file in the target directories under `root` through the
/// check `check_for` gives for the directory's name. Returns how many files
/// were replayed and what failed (file and panic message).
fn replay(root: &Path, check_for: fn(&str) -> Option<Check>) -> (usize, Vec<String>) {
    let mut replayed = 0;
    let mut failures = Vec::new();
    if !root.is_dir() {
        return (replayed, failures);
    }
    for target_dir in entries(root).into_iter().filter(|p| p.is_dir()) {
        let target = target_dir
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let Some(check) = check_for(&target) else {
            failures.push(format!("{target}/: no CEB fuzz target has this name"));
            continue;
        };
        for file in entries(&target_dir).into_iter().filter(|p| p.is_file()) {
            let bytes = std::fs::read(&file).unwrap();
            replayed += 1;
            if let Err(payload) = catch_unwind(AssertUnwindSafe(|| check(&bytes))) {
                let reason = payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_else(|| "a panic".to_owned());
                let name = file.file_name().unwrap().to_string_lossy().into_owned();
                failures.push(format!("{target}/{name}: {reason}"));
            }
        }
    }
    (replayed, failures)
}

#[test]
fn every_fuzz_regression_input_passes_its_targets_checks() {
    let root = fuzz_dir().join("regressions");
    let (replayed, failures) = replay(&root, target_check);
    assert!(
        failures.is_empty(),
        "{} of {replayed} inputs in {} fail again:\n{}",
        failures.len(),
        root.display(),
        failures.join("\n")
    );
}

#[test]
fn a_regression_input_that_fails_its_check_fails_the_replay() {
    let root = std::env::temp_dir().join(format!("kuajing-ceb-regressions-{}", std::process::id()));
    std::fs::create_dir_all(root.join("ceb_decode")).unwrap();
    std::fs::write(root.join("ceb_decode/crash-1"), b"boom").unwrap();
    std::fs::write(root.join("ceb_decode/.gitkeep"), b"").unwrap();
    let panicking = |target: &str| -> Option<Check> {
        let check: Check = |bytes| assert_ne!(bytes, b"boom");
        (target == "ceb_decode").then_some(check)
    };
    let (replayed, failures) = replay(&root, panicking);
    assert_eq!(replayed, 1, "hidden files are not inputs");
    assert_eq!(failures.len(), 1);
    assert!(
        failures[0].starts_with("ceb_decode/crash-1: "),
        "{failures:?}"
    );

    std::fs::create_dir_all(root.join("ceb_decod")).unwrap();
    let (_, failures) = replay(&root, target_check);
    assert_eq!(failures, ["ceb_decod/: no CEB fuzz target has this name"]);
    std::fs::remove_dir_all(&root).unwrap();
}

/// Writes the fuzz targets' seeds from the codec's own output: every
/// example message; envelopes (terminal and transfer node) carrying some;
/// examples signed with SM2-SM3 and RSA-SHA1 by throwaway keys (only the
/// certificates end up in the seeds), and one with the placeholder
/// signature.
#[test]
#[ignore = "writes fuzz/seeds/; run on purpose"]
fn write_fuzz_seeds() {
    let seeds = fuzz_dir().join("seeds");
    let write = |target: &str, name: &str, bytes: &[u8]| {
        let dir = seeds.join(target);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), bytes).unwrap();
    };

    for &message_type in MessageType::ALL {
        let xml = encode(&sample(message_type));
        write(
            "ceb_decode",
            &format!("{}.xml", message_type.code()),
            xml.as_bytes(),
        );
    }

    let routing = Routing {
        cop_msg_id: "F0CDF14E-42C1-47B6-AED1-CA56BA887518".to_owned(),
        sender_id: "DXPENT0000224960".to_owned(),
        receiver_ids: vec![IMPORT_RECEIVER.to_owned()],
        created: "2026-11-27T10:35:01".to_owned(),
    };
    let terminal = |message_type: MessageType| {
        wrap(
            encode(&sample(message_type)).as_bytes(),
            message_type,
            &routing,
        )
    };
    for message_type in [MessageType::Ceb311, MessageType::Ceb622] {
        let envelope = Envelope::Terminal(Box::new(terminal(message_type)));
        write(
            "dxp_decode",
            &format!("DxpMsg-{}.xml", message_type.code()),
            encode_envelope(&envelope).as_bytes(),
        );
    }
    let mut keyed = terminal(MessageType::Ceb412);
    keyed.add_info = Some(AddInfo {
        biz_key: Some(BizKey {
            key: Keys(vec![Key {
                name: Some("DealFlag".to_owned()),
                value: "1".to_owned(),
            }]),
        }),
        is_text: Some(IsText {
            encode: "UTF-8".to_owned(),
        }),
        ..keyed.add_info.unwrap_or_default()
    });
    let transfer = Envelope::Transfer(Box::new(DxpMsgSv {
        ver: "1.0".to_owned(),
        id: None,
        sv_no: SvNo {
            ver: "1.0".to_owned(),
            msg_id: "22249600202611271035010000000001".to_owned(),
            sub_msg_id: Some("1".to_owned()),
            send_time: "2026-11-27T10:35:02".to_owned(),
            end_node: "EDCCEB02".to_owned(),
            sta_node: "22249600".to_owned(),
        },
        dxp_msg: keyed,
        signature: None,
    }));
    write(
        "dxp_decode",
        "DxpMsgSv-CEB412.xml",
        encode_envelope(&transfer).as_bytes(),
    );

    let placeholder = encode(&sample(MessageType::Ceb621));
    write(
        "ceb_verify",
        "CEB621-placeholder.xml",
        placeholder.as_bytes(),
    );
    for (name, identity, message_type) in [
        ("CEB621-sm2.xml", sm2_identity(), MessageType::Ceb621),
        ("CEB625-rsa.xml", rsa_identity(), MessageType::Ceb625),
    ] {
        let mut message = sample(message_type);
        let document = sign::sign(&mut message, &signer(&identity, Some("01691f7f"))).unwrap();
        assert!(sign::verify(document.as_bytes()).is_ok());
        write("ceb_verify", name, document.as_bytes());
    }
}
