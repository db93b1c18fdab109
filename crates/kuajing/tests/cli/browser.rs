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

async fn text_of(client: &fantoccini::Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn heading(client: &fantoccini::Client) -> String {
    text_of(client, "h1").await
}

/// Clicks the language switch's link `name` and waits for the page in `tag`.
async fn switch_language(client: &fantoccini::Client, name: &str, tag: &str) {
    let link = client.find(Locator::LinkText(name)).await.unwrap();
    link.click().await.unwrap();
    let selector = format!("html[lang={tag}]");
    client
        .wait()
        .for_element(Locator::Css(&selector))
        .await
        .unwrap();
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
    let html = client.find(Locator::Css("html")).await.unwrap();
    assert_eq!(html.attr("lang").await.unwrap().as_deref(), Some("zh-CN"));
    screenshot(&client, "sign-in-zh").await;

    // Sign in through the form.
    let login = client.find(Locator::Id("login")).await.unwrap();
    login.send_keys("ebc").await.unwrap();
    let password = client.find(Locator::Id("password")).await.unwrap();
    password.send_keys("Hunchun-Demo-2026").await.unwrap();
    let submit = client
        .find(Locator::Css("button[type=submit]"))
        .await
        .unwrap();
    submit.click().await.unwrap();
    client
        .wait()
        .for_element(Locator::Css("#org-heading"))
        .await
        .unwrap();
    assert_eq!(heading(&client).await, "欢迎，高娜");
    let main = text_of(&client, "main").await;
    assert!(
        main.contains("珲春俄品汇电子商务有限公司") && main.contains("2224960004"),
        "{main}"
    );
    assert!(text_of(&client, ".demo-banner").await.contains("演示"));
    screenshot(&client, "home-zh").await;

    // Switch to English; the choice persists across pages.
    switch_language(&client, "English", "en").await;
    assert_eq!(heading(&client).await, "Welcome, 高娜");
    assert_eq!(text_of(&client, "#org-heading").await, "Your organisation");
    client.goto(&served.url("/organisations")).await.unwrap();
    assert_eq!(heading(&client).await, "Organisations");
    screenshot(&client, "organisations-en").await;

    // And to Russian.
    switch_language(&client, "Русский", "ru").await;
    assert_eq!(heading(&client).await, "Организации");

    client.close().await.unwrap();
}
