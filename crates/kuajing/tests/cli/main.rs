//! Tests of the `kuajing` command as an operator uses it: the real binary,
//! real databases (SQLite and PostgreSQL), a real browser.
//!
//! One test binary for the crate (link time matters on 2 cores): add modules
//! here rather than new files under `tests/`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod accessibility;
mod bench;
mod browser;
mod ceb;
mod commands;
mod crash;
mod language_walk;
mod race;
mod serving;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The binary under test.
pub const KUAJING: &str = env!("CARGO_BIN_EXE_kuajing");

/// Runs `kuajing ARGS` against database `db`, feeding `stdin`, and waits.
pub fn kuajing(db: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(KUAJING)
        .args(args)
        .env("KUAJING_DB", db)
        .env_remove("RUST_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start kuajing");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Asserts the exit code, showing the output when it is not the one expected.
pub fn assert_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        stdout(output),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A `kuajing serve` process on a random port; killed when dropped.
pub struct Served {
    /// The process.
    pub child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// Lines printed before the server said where it listens.
    pub banner: Vec<String>,
}

impl Served {
    /// Starts `kuajing serve --addr 127.0.0.1:0 EXTRA…` on `db` and waits until
    /// it says where it listens.
    pub fn start(db: &str, extra: &[&str]) -> Served {
        let child = Command::new(KUAJING)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(extra)
            .env("KUAJING_DB", db)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start kuajing serve");
        // Owned by `Served` at once, so that it is killed and reaped on drop
        // even if the server never comes up.
        let mut served = Served {
            child,
            base: String::new(),
            banner: Vec::new(),
        };
        let out = served.child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        loop {
            let line = rx
                .recv_timeout(Duration::from_secs(120))
                .expect("kuajing serve did not say where it listens");
            if let Some(rest) = line.strip_prefix("Kuajing is serving ") {
                let base = rest.split_whitespace().next().unwrap();
                served.base = base.trim_end_matches('/').to_owned();
                return served;
            }
            served.banner.push(line);
        }
    }

    /// `base` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends SIGTERM.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP client that keeps cookies, signed in to the portal at `base`
/// through the real sign-in form.
pub async fn signed_in(base: &str, login: &str, password: &str) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let form = client
        .get(format!("{base}/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = form
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("csrf field on the sign-in form")
        .to_owned();
    let answer = client
        .post(format!("{base}/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("login", login),
            ("password", password),
            ("next", "/home"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 303, "sign-in of {login} failed");
    client
}
