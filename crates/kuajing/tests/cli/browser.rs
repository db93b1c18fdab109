//! The portal in a real browser: headless Chromium driven over WebDriver
//! (Debian's `chromium` and `chromium-driver`, which `.ci/run` installs).
//!
//! Screenshots go to `target/screenshots/` for people to look at; the
//! assertions are on the page text.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{ClientBuilder, Locator};

use super::*;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// chromedriver on a free port; killed when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    fn start() -> Driver {
        assert!(
            std::path::Path::new(CHROMEDRIVER).exists() && std::path::Path::new(CHROMIUM).exists(),
            "browser tests need Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver (.ci/run does)"
        );
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn browser(driver: &Driver, profile: &std::path::Path) -> fantoccini::Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".to_owned(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1280,900",
                format!("--user-data-dir={}", profile.display()),
            ]
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .expect("start headless Chromium")
}

async fn screenshot(client: &fantoccini::Client, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let png = client.screenshot().await.unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

async fn heading(client: &fantoccini::Client) -> String {
    client
        .find(Locator::Css("h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_enterprise_user_signs_in_switches_language_and_sees_home() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("kuajing.db").display());
    let served = Served::start(&db, &["--demo"]);
    let driver = Driver::start();
    let client = browser(&driver, &dir.path().join("chromium-profile")).await;

    // Unsigned visitors land on the sign-in page, in Chinese.
    client.goto(&served.url("/")).await.unwrap();
    assert_eq!(heading(&client).await, "登录");
    let lang = client
        .find(Locator::Css("html"))
        .await
        .unwrap()
        .attr("lang")
        .await
        .unwrap();
    assert_eq!(lang.as_deref(), Some("zh-CN"));
    screenshot(&client, "sign-in-zh").await;

    // Sign in with the keyboard-reachable form.
    client
        .find(Locator::Id("login"))
        .await
        .unwrap()
        .send_keys("ebc")
        .await
        .unwrap();
    client
        .find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys("Hunchun-Demo-2026")
        .await
        .unwrap();
    client
        .find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Css("#org-heading"))
        .await
        .unwrap();
    assert_eq!(heading(&client).await, "欢迎，高娜");
    let body = client
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains("珲春俄品汇电子商务有限公司"), "{body}");
    assert!(body.contains("2224960004"));
    let banner = client
        .find(Locator::Css(".demo-banner"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(banner.contains("演示"), "{banner}");
    screenshot(&client, "home-zh").await;

    // Switch to English; the choice persists across pages.
    client
        .find(Locator::LinkText("English"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Css("html[lang=en]"))
        .await
        .unwrap();
    assert_eq!(heading(&client).await, "Welcome, 高娜");
    assert!(
        client
            .find(Locator::Css("#org-heading"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            .contains("Your organisation")
    );
    client.goto(&served.url("/organisations")).await.unwrap();
    assert_eq!(heading(&client).await, "Organisations");
    screenshot(&client, "organisations-en").await;

    // And to Russian.
    client
        .find(Locator::LinkText("Русский"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Css("html[lang=ru]"))
        .await
        .unwrap();
    assert_eq!(heading(&client).await, "Организации");

    client.close().await.unwrap();
}
