//! The operator's commands: help, exit codes, filing, tokens, users.

use kuajing_testkit::dual_backend_tests;

use super::*;

const SUBCOMMANDS: &[&[&str]] = &[
    &[],
    &["serve"],
    &["migrate"],
    &["enterprise"],
    &["enterprise", "add"],
    &["enterprise", "cert"],
    &["enterprise", "cert", "add"],
    &["token"],
    &["token", "issue"],
    &["token", "list"],
    &["token", "revoke"],
    &["user"],
    &["user", "add"],
    &["reference"],
    &["ceb"],
    &["ceb", "validate"],
    &["ceb", "convert"],
    &["ceb", "sample"],
    &["ceb", "sign"],
    &["ceb", "verify"],
    &["ceb", "wrap"],
];

#[test]
fn every_subcommand_has_help() {
    for path in SUBCOMMANDS {
        let mut args = path.to_vec();
        args.push("--help");
        let output = kuajing("sqlite://unused.db", &args, "");
        assert_exit(&output, 0);
        assert!(
            stdout(&output).contains("Usage: kuajing"),
            "{args:?}: {}",
            stdout(&output)
        );
    }
}

#[test]
fn bad_usage_exits_2() {
    for args in [
        &["serve", "--no-such-flag"][..],
        &["enterprise", "add", "--code", "2224960001"],
        &["token", "issue"],
        &["frobnicate"],
    ] {
        assert_exit(&kuajing("sqlite://unused.db", args, ""), 2);
    }
}

#[test]
fn an_unsupported_or_unreachable_database_is_named() {
    let output = kuajing("mysql://root@localhost/x", &["migrate"], "");
    assert_exit(&output, 2);
    assert!(String::from_utf8_lossy(&output.stderr).contains("unsupported database URL"));
    // Nothing listens on port 1: a failure, not bad input.
    let output = kuajing("postgres://nobody@127.0.0.1:1/none", &["migrate"], "");
    assert_exit(&output, 1);
}

fn add_enterprise(db: &str, code: &str, roles: &str) -> Output {
    kuajing(
        db,
        &[
            "enterprise",
            "add",
            "--code",
            code,
            "--name",
            "珲春测试电子商务有限公司",
            "--roles",
            roles,
        ],
        "",
    )
}

dual_backend_tests! {
    async fn migrate_applies_the_schema_once(db: TestDatabase) {
        let first = kuajing(&db.url, &["migrate"], "");
        assert_exit(&first, 0);
        let latest = kuajing_store::Store::connect(&db.url).await.unwrap().latest_version();
        let every: Vec<String> = (1..=latest).map(|v| v.to_string()).collect();
        let applied = format!("applied migrations [{}]", every.join(", "));
        assert!(stdout(&first).contains(&applied), "{}", stdout(&first));
        let second = kuajing(&db.url, &["migrate"], "");
        assert_exit(&second, 0);
        assert!(stdout(&second).contains(&format!("already at version {latest}")));
    }

    async fn filing_checks_codes_and_roles(db: TestDatabase) {
        let with_uscc = ["--uscc", "91330100716105852F"];
        let filed = kuajing(&db.url, &[&["enterprise", "add", "--code", "2224960001", "--name", "珲春测试", "--roles", "ebp,ebc"][..], &with_uscc].concat(), "");
        assert_exit(&filed, 0);
        assert!(stdout(&filed).contains("filed and approved 2224960001"));
        // The same code, or the same USCC, again is bad input naming the field.
        let same_uscc = kuajing(&db.url, &[&["enterprise", "add", "--code", "2224960009", "--name", "另一家", "--roles", "ebc"][..], &with_uscc].concat(), "");
        assert_exit(&same_uscc, 2);
        assert!(String::from_utf8_lossy(&same_uscc.stderr).contains("uscc"));
        let again = add_enterprise(&db.url, "2224960001", "ebp");
        assert_exit(&again, 2);
        assert!(String::from_utf8_lossy(&again.stderr).contains("customs_code"));
        // A wrong check character names the field and the expected character.
        let bad_uscc = kuajing(&db.url, &["enterprise", "add", "--code", "2224960002", "--name", "x", "--uscc", "91330100716105852G", "--roles", "ebc"], "");
        assert_exit(&bad_uscc, 2);
        let message = String::from_utf8_lossy(&bad_uscc.stderr).into_owned();
        assert!(message.contains("uscc") && message.contains("expected 'F'"), "{message}");
        let bad_role = add_enterprise(&db.url, "2224960003", "ebp,admin");
        assert_exit(&bad_role, 2);
        assert!(String::from_utf8_lossy(&bad_role.stderr).contains("roles[1]"));
    }

    async fn a_signing_certificate_is_registered_once_for_a_filed_enterprise(db: TestDatabase) {
        let dir = tempfile::tempdir().unwrap();
        let (key, cert) = crate::ceb::sm2_identity(dir.path());
        let add = |code: &str, file: &str| kuajing(&db.url, &["enterprise", "cert", "add", "--enterprise", code, "--cert", file], "");

        let unknown = add("2224960001", &cert);
        assert_exit(&unknown, 2);
        assert!(String::from_utf8_lossy(&unknown.stderr).contains("2224960001"));

        assert_exit(&add_enterprise(&db.url, "2224960001", "declarer"), 0);
        let registered = add("2224960001", &cert);
        assert_exit(&registered, 0);
        let out = stdout(&registered);
        assert!(out.starts_with("registered certificate "), "{out}");
        assert!(out.contains("CN=Hunchun Test Declarer") && out.contains("SM2-SM3"), "{out}");
        assert!(out.trim_end().ends_with("for 2224960001"), "{out}");

        let again = add("2224960001", &cert);
        assert_exit(&again, 2);
        assert!(String::from_utf8_lossy(&again.stderr).contains("serial"));

        // A private key is not a certificate: the field and the reason.
        let not_a_cert = add("2224960001", &key);
        assert_exit(&not_a_cert, 2);
        let message = String::from_utf8_lossy(&not_a_cert.stderr).into_owned();
        assert!(message.contains("cert: ") && message.contains("not a PEM X.509 certificate"), "{message}");
        assert!(!message.contains(".c:"), "no openssl internals: {message}");
        let missing = add("2224960001", "/no/such/file.pem");
        assert_exit(&missing, 2);
        assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read /no/such/file.pem"));
    }

    async fn a_token_is_printed_alone_and_works_until_revoked(db: TestDatabase) {
        assert_exit(&add_enterprise(&db.url, "2224960001", "ebc"), 0);
        let issued = kuajing(&db.url, &["token", "issue", "--enterprise", "2224960001"], "");
        assert_exit(&issued, 0);
        let out = stdout(&issued);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 1, "{out}");
        let token = lines[0];
        assert!(token.starts_with("kj_") && token.len() == 46, "{token}");

        let unknown = kuajing(&db.url, &["token", "issue", "--enterprise", "2224969999"], "");
        assert_exit(&unknown, 2);

        let listed = stdout(&kuajing(&db.url, &["token", "list"], ""));
        assert!(!listed.contains(token), "a list never shows the secret");
        let id = listed.split('\t').next().unwrap().to_owned();

        let served = Served::start(&db.url, &[]);
        let client = reqwest::Client::new();
        let me = client.get(served.url("/api/me")).bearer_auth(token).send().await.unwrap();
        assert_eq!(me.status(), 200);
        let me: serde_json::Value = me.json().await.unwrap();
        assert_eq!(me["organisation_code"], "2224960001");

        assert_exit(&kuajing(&db.url, &["token", "revoke", "--id", &id], ""), 0);
        let after = client.get(served.url("/api/me")).bearer_auth(token).send().await.unwrap();
        assert_eq!(after.status(), 401);
        assert!(stdout(&kuajing(&db.url, &["token", "list"], "")).contains("revoked"));
    }

    async fn a_user_added_with_a_password_on_stdin_can_sign_in(db: TestDatabase) {
        assert_exit(&add_enterprise(&db.url, "2224960001", "ebc"), 0);
        let short = kuajing(&db.url, &["user", "add", "--enterprise", "2224960001", "--login", "li.na", "--password-stdin"], "short\n");
        assert_exit(&short, 2);
        let added = kuajing(
            &db.url,
            &["user", "add", "--enterprise", "2224960001", "--login", "li.na", "--name", "李娜", "--password-stdin"],
            "a long enough secret\n",
        );
        assert_exit(&added, 0);
        let served = Served::start(&db.url, &[]);
        let client = signed_in(&served.base, "li.na", "a long enough secret").await;
        let me: serde_json::Value = client.get(served.url("/api/me")).send().await.unwrap().json().await.unwrap();
        assert_eq!(me["display_name"], "李娜");
    }

    async fn the_demo_set_goes_only_into_an_empty_database(db: TestDatabase) {
        assert_exit(&add_enterprise(&db.url, "2224960001", "ebc"), 0);
        let mut child = Command::new(KUAJING)
            .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
            .env("KUAJING_DB", &db.url)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(2));
    }
    async fn a_reference_import_is_all_or_nothing_and_names_each_bad_row(db: TestDatabase) {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            path.display().to_string()
        };
        assert_exit(&kuajing(&db.url, &["migrate"], ""), 0);
        let versions = |db: &str| stdout(&kuajing(db, &["reference", "versions", "unit"], "")).lines().count();
        assert_eq!(versions(&db.url), 1, "the seed set");

        let bad = write("bad.csv", "code,name_zh\n901,测试单位甲\n9X2,坏代码\n903,\n");
        let refused = kuajing(&db.url, &["reference", "import", "unit", &bad], "");
        assert_exit(&refused, 2);
        let errors = String::from_utf8_lossy(&refused.stderr).into_owned();
        assert!(errors.contains("line 3: code = '9X2'") && errors.contains("line 4: name_zh"), "{errors}");
        assert_eq!(versions(&db.url), 1, "a refused file changes nothing");

        let header = write("header.csv", "code,name\n901,x\n");
        assert_exit(&kuajing(&db.url, &["reference", "import", "unit", &header], ""), 2);
        assert_exit(&kuajing(&db.url, &["reference", "import", "units", &header], ""), 2);

        let good = write("good.csv", "code,name_zh\n901,测试单位甲\n035,千克\n");
        let imported = kuajing(&db.url, &["reference", "import", "unit", &good, "--effective-from", "2026-12-01"], "");
        assert_exit(&imported, 0);
        let said = stdout(&imported);
        assert!(said.contains("version 2") && said.contains("1 added, 0 updated, 1 unchanged"), "{said}");
        assert_eq!(versions(&db.url), 2);
    }
}

/// Runs `kuajing ARGS` on `db` and waits at most a minute (a `serve` that
/// does not stop by itself is killed and the test fails).
fn kuajing_within_a_minute(db: &str, args: &[&str]) -> Output {
    let mut child = std::process::Command::new(crate::KUAJING)
        .args(args)
        .env("KUAJING_DB", db)
        .env_remove("RUST_LOG")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start kuajing");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("kuajing {args:?} still running after a minute");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

dual_backend_tests! {
    async fn serve_and_migrate_refuse_a_read_only_database_at_once_naming_why(db: TestDatabase) {
        assert_exit(&kuajing(&db.url, &["migrate"], ""), 0);
        // CI runs as root, and root writes files whatever their mode: the
        // SQLite file is opened read-only instead (mode=ro), which is what
        // SQLite does by itself with a read-only file, directory or mount.
        let url = match db.backend {
            kuajing_testkit::TestBackend::Sqlite => format!("{}?mode=ro", db.url),
            kuajing_testkit::TestBackend::Postgres => {
                kuajing_testkit::faults::postgres_read_only(&db, true).await;
                db.url.clone()
            }
        };
        for args in [&["migrate"][..], &["serve", "--addr", "127.0.0.1:0"][..]] {
            let started = std::time::Instant::now();
            let output = kuajing_within_a_minute(&url, args);
            assert_exit(&output, 1);
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(stderr.contains("the database is read-only") && stderr.contains("只读"), "{args:?}: {stderr}");
            assert!(!stderr.contains("pool timed out"), "{stderr}");
            assert!(started.elapsed() < std::time::Duration::from_secs(25), "{args:?} took {:?}", started.elapsed());
        }
    }
}

#[test]
fn a_database_in_a_missing_directory_is_named() {
    let output = kuajing_within_a_minute(
        "sqlite:///no/such/directory/kuajing.db",
        &["serve", "--addr", "127.0.0.1:0"],
    );
    assert_exit(&output, 1);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot be opened"), "{stderr}");
}
