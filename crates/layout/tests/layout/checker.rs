//! The checker against small crates written to break (or to look as if they
//! broke) each rule.

use std::fs;
use std::path::{Path, PathBuf};

use kuajing_layout::dependencies::{Dependency, Member};
use kuajing_layout::lines::count_file;
use kuajing_layout::modules::ModuleTree;
use kuajing_layout::names::bad_names;
use kuajing_layout::rules::{Violation, check, circles_in, http_dependencies};

/// Writes `files` (path, text) under a fresh directory.
fn write(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

fn circles(dir: &Path) -> Vec<Violation> {
    let tree = ModuleTree::read(&dir.join("src/lib.rs")).unwrap();
    circles_in("sample", &tree)
}

#[test]
fn two_sibling_modules_using_each_other_are_a_circle() {
    let dir = write(&[
        ("src/lib.rs", "pub mod engine;\npub mod events;\n"),
        (
            "src/engine.rs",
            "use crate::events::released;\npub struct Decided;\npub fn decide() { released(); }\n",
        ),
        (
            "src/events.rs",
            "pub fn released() { let _ = super::engine::Decided; }\n",
        ),
    ]);
    let found = circles(dir.path());
    assert_eq!(found.len(), 1, "{found:?}");
    let Violation::Circle {
        modules,
        references,
        ..
    } = &found[0]
    else {
        panic!("{found:?}")
    };
    assert_eq!(modules, &["crate::engine", "crate::events"]);
    assert!(
        references
            .iter()
            .any(|r| r.contains("engine.rs:1: crate::events::released")),
        "{references:?}"
    );
    assert!(
        references
            .iter()
            .any(|r| r.contains("super::engine::Decided")),
        "{references:?}"
    );
}

#[test]
fn a_parent_and_a_child_using_each_other_are_a_circle() {
    let dir = write(&[
        ("src/lib.rs", "pub mod sign;\n"),
        (
            "src/sign/mod.rs",
            "mod keys;\npub const ID: &str = \"1\";\npub fn sign() { keys::Key::load(); }\n",
        ),
        (
            "src/sign/keys.rs",
            "use super::ID;\npub struct Key;\nimpl Key { pub fn load() { let _ = ID; } }\n",
        ),
    ]);
    assert_eq!(circles(dir.path()).len(), 1);
}

#[test]
fn a_circle_through_three_modules_is_found() {
    let dir = write(&[
        ("src/lib.rs", "mod a;\nmod b;\nmod c;\n"),
        ("src/a.rs", "pub fn a() { crate::b::b(); }\n"),
        ("src/b.rs", "pub fn b() { crate::c::c(); }\n"),
        ("src/c.rs", "pub fn c() { crate::a::a(); }\n"),
    ]);
    let found = circles(dir.path());
    assert!(
        matches!(&found[..], [Violation::Circle { modules, .. }] if modules.len() == 3),
        "{found:?}"
    );
}

#[test]
fn re_exports_tests_and_visibility_are_not_circles() {
    let dir = write(&[
        // The root re-exports a child's item and the children use it through
        // the root: the use lands in the child that defines it.
        (
            "src/lib.rs",
            "mod handle;\npub mod receive;\npub use handle::Intake;\npub(crate) fn helper() {}\n",
        ),
        ("src/handle.rs", "pub struct Intake;\n"),
        (
            "src/receive.rs",
            "use crate::Intake;\npub(crate) fn receive(_: &Intake) { crate::helper(); }\n#[cfg(test)]\nmod tests {\n    use crate::handle::Intake;\n}\n",
        ),
        // A test module's own file is left out altogether.
        ("src/handle/tests.rs", "use crate::receive::receive;\n"),
    ]);
    assert!(circles(dir.path()).is_empty(), "{:?}", circles(dir.path()));
}

#[test]
fn a_glob_re_export_is_followed_to_the_defining_module() {
    let dir = write(&[
        (
            "src/lib.rs",
            "mod shared;\nmod user;\npub use shared::*;\npub fn run() { user::go(); }\n",
        ),
        ("src/shared.rs", "pub struct Options;\n"),
        ("src/user.rs", "pub fn go() { let _ = crate::Options; }\n"),
    ]);
    assert!(circles(dir.path()).is_empty(), "{:?}", circles(dir.path()));
}

#[test]
fn singular_plural_twins_and_vague_names_are_bad_names() {
    let dir = write(&[
        (
            "src/lib.rs",
            "mod export;\nmod exports;\nmod utils;\nmod summaries;\n",
        ),
        ("src/export.rs", ""),
        ("src/exports.rs", ""),
        ("src/utils.rs", ""),
        ("src/summaries.rs", ""),
    ]);
    let tree = ModuleTree::read(&dir.path().join("src/lib.rs")).unwrap();
    let bad = bad_names(&[tree]);
    assert_eq!(bad.len(), 2, "{bad:?}");
    assert!(
        bad.iter()
            .any(|b| b.module == "crate::export, crate::exports"),
        "{bad:?}"
    );
    assert!(bad.iter().any(|b| b.module == "crate::utils"), "{bad:?}");
}

#[test]
fn test_items_blank_lines_and_generated_files_do_not_count() {
    let dir = write(&[
        (
            "src/lib.rs",
            "//! A crate.\n\npub fn a() {}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() {}\n}\n",
        ),
        (
            "src/model.rs",
            "// @generated by a tool\npub struct A;\npub struct B;\n",
        ),
    ]);
    let lib = count_file(&dir.path().join("src/lib.rs")).unwrap();
    assert_eq!((lib.code, lib.generated), (2, 0));
    let model = count_file(&dir.path().join("src/model.rs")).unwrap();
    assert_eq!((model.code, model.generated), (0, 3));
}

#[test]
fn only_the_edge_crates_may_depend_on_the_http_stack() {
    let member = |name: &str, dependency: &str| Member {
        name: name.to_owned(),
        dir: PathBuf::new(),
        roots: Vec::new(),
        dependencies: vec![Dependency {
            name: dependency.to_owned(),
            kind: "normal".to_owned(),
        }],
    };
    for stack in [
        "axum",
        "askama",
        "askama_web",
        "tower-http",
        "tower",
        "hyper",
        "http",
        "http-body-util",
        "utoipa-axum",
    ] {
        assert_eq!(
            http_dependencies(&member("kuajing-import", stack)).len(),
            1,
            "{stack}"
        );
        assert!(
            http_dependencies(&member("kuajing-server", stack)).is_empty(),
            "{stack}"
        );
    }
    for fine in ["serde", "reqwest", "utoipa", "tokio", "httparse-free"] {
        assert!(
            http_dependencies(&member("kuajing-import", fine)).is_empty(),
            "{fine}"
        );
    }
}

#[test]
fn a_crate_over_a_quarter_of_the_workspace_breaks_rule_one() {
    let big: String = (0..40).map(|n| format!("pub fn f{n}() {{}}\n")).collect();
    let manifest = |name: &str| {
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n[lib]\npath = \"src/lib.rs\"\n"
        )
    };
    let dir = write(&[
        (
            "Cargo.toml",
            "[workspace]\nresolver = \"3\"\nmembers = [\"big\", \"small\"]\n",
        ),
        ("big/Cargo.toml", &manifest("big")),
        ("big/src/lib.rs", &big),
        ("small/Cargo.toml", &manifest("small")),
        ("small/src/lib.rs", "pub fn g() {}\n"),
    ]);
    let report = check(dir.path()).unwrap();
    assert_eq!(report.total, 41);
    assert!(
        matches!(&report.violations[..], [Violation::Share { krate, lines: 40, total: 41 }] if krate == "big"),
        "{:?}",
        report.violations
    );
}
