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
pub(crate) struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    pub(crate) fn start() -> Driver {
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

pub(crate) async fn browser(driver: &Driver, profile: &std::path::Path) -> fantoccini::Client {
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

pub(crate) async fn screenshot(client: &fantoccini::Client, name: &str) {
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

/// The demo zone served on SQLite and a headless Chromium to look at it;
/// everything ends when it is dropped.
pub(crate) struct DemoBrowser {
    _database: tempfile::TempDir,
    /// The server.
    pub served: Served,
    _driver: Driver,
    _profile: tempfile::TempDir,
    /// The browser.
    pub client: fantoccini::Client,
}

/// Serves the demo zone and starts a browser.
pub(crate) async fn demo_browser() -> DemoBrowser {
    let database = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", database.path().join("kuajing.db").display());
    let served = Served::start(&db, &["--demo"]);
    let driver = Driver::start();
    let profile = tempfile::tempdir().unwrap();
    let client = browser(&driver, profile.path()).await;
    DemoBrowser {
        _database: database,
        served,
        _driver: driver,
        _profile: profile,
        client,
    }
}

/// Signs out whoever is signed in on the current page, and waits for the
/// sign-in form.
pub(crate) async fn sign_out(client: &fantoccini::Client) {
    if client
        .find(Locator::Css("form[action='/logout'] button"))
        .await
        .is_ok()
    {
        // Signing out lands on /login; a visit to /login issued before the
        // sign-out has finished could still find the session and go home.
        click(client, "form[action='/logout'] button").await;
        client
            .wait()
            .for_element(Locator::Css("#login"))
            .await
            .unwrap();
    }
}

/// Signs in through the form (after signing out whoever was signed in).
async fn sign_in_as(client: &fantoccini::Client, served: &Served, login: &str) {
    client.goto(&served.url("/login")).await.unwrap();
    sign_out(client).await;
    client
        .wait()
        .for_element(Locator::Css("#login"))
        .await
        .unwrap();
    fill(client, "#login", login).await;
    fill(client, "#password", kuajing::demo::DEMO_PASSWORD).await;
    click(client, "button[type=submit]").await;
    client
        .wait()
        .for_element(Locator::Css("#org-heading"))
        .await
        .unwrap();
}

pub(crate) async fn fill(client: &fantoccini::Client, css: &str, text: &str) {
    let field = client.find(Locator::Css(css)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

pub(crate) async fn click(client: &fantoccini::Client, css: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Presses the workflow button `step` on a filing's page and waits for the
/// page that follows (the redirect marks it `saved=1`; pages are opened
/// without it, so an old page cannot be taken for the new one).
async fn take_step(client: &fantoccini::Client, step: &str) {
    assert!(
        !client
            .current_url()
            .await
            .unwrap()
            .as_str()
            .contains("saved=1")
    );
    // Each step asks first (issue #17): open the confirmation, then confirm.
    let form = format!("form[action$='/step'] input[value='{step}'] ~ details.confirm");
    click(client, &format!("{form} summary")).await;
    click(client, &format!("{form} button")).await;
    wait_for_saved(client).await;
}

/// Waits until the browser is on a page marked `saved=1`.
async fn wait_for_saved(client: &fantoccini::Client) {
    let started = Instant::now();
    while !client
        .current_url()
        .await
        .unwrap()
        .as_str()
        .contains("saved=1")
    {
        assert!(started.elapsed() < Duration::from_secs(30), "no saved page");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    client
        .wait()
        .for_element(Locator::Css("p.notice-ok"))
        .await
        .unwrap();
}

/// The current page's address without its query.
async fn page_url(client: &fantoccini::Client) -> String {
    let mut url = client.current_url().await.unwrap();
    url.set_query(None);
    url.to_string()
}

/// A one-shot local webhook receiver: records the bodies POSTed to it.
struct Receiver {
    url: String,
    bodies: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Receiver {
    fn start() -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/kuajing", listener.local_addr().unwrap());
        let bodies = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = bodies.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(Result::ok) {
                if let Some(body) = read_request(stream) {
                    seen.lock().unwrap().push(body);
                }
            }
        });
        Receiver { url, bodies }
    }

    /// Waits until an event with this topic, record key and event arrives.
    fn wait_for(&self, topic: &str, key: &str, event: &str) -> serde_json::Value {
        let started = Instant::now();
        loop {
            let found = self
                .bodies
                .lock()
                .unwrap()
                .iter()
                .filter_map(|b| serde_json::from_str::<serde_json::Value>(b).ok())
                .find(|e| e["topic"] == topic && e["record_key"] == key && e["event"] == event);
            if let Some(body) = found {
                return body;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "no {topic} {event} webhook for {key}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

/// Reads one HTTP request, answers 200, returns its body.
fn read_request(mut stream: std::net::TcpStream) -> Option<String> {
    use std::io::{BufRead, Read, Write};
    let mut reader = std::io::BufReader::new(stream.try_clone().ok()?);
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    stream
        .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
        .ok()?;
    String::from_utf8(body).ok()
}

/// Issue #3, done when: an enterprise user files the company and its goods
/// in the portal, officers of the right agencies approve them, each agency
/// sees exactly what it may, and a webhook subscriber receives the change.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn goods_filed_in_the_portal_are_approved_by_customs_and_pushed_to_forex() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("kuajing.db").display());
    // The receiver listens on 127.0.0.1: a private target.
    let served = Served::start(&db, &["--demo", "--webhooks-allow-private"]);
    let receiver = Receiver::start();
    let forex_token = stdout(&kuajing(
        &db,
        &["token", "issue", "--enterprise", "2224G10003"],
        "",
    ));
    let subscribed = reqwest::Client::new()
        .post(served.url("/api/webhooks"))
        .bearer_auth(forex_token.trim())
        .json(&serde_json::json!({"url": receiver.url, "topics": ["commodity", "enterprise"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(subscribed.status(), 201);

    let driver = Driver::start();
    let client = browser(&driver, &dir.path().join("chromium-profile")).await;

    // The enterprise files a new commodity and its company's change.
    sign_in_as(&client, &served, "ebc").await;
    client
        .goto(&served.url("/filings/commodities/new"))
        .await
        .unwrap();
    for (field, value) in [
        ("#item_no", "RU-BUCKWHEAT-HONEY-1KG"),
        ("#name", "俄罗斯荞麦蜂蜜"),
        ("#brand", "Алтай"),
        ("#hs_code", "0409000000"),
        ("#origin_country", "344"),
        ("#unit1", "035"),
        ("#reference_price", "158"),
        ("#declared_elements", "品名|成分|包装规格|品牌"),
    ] {
        fill(&client, field, value).await;
    }
    click(
        &client,
        "form[action='/filings/commodities'] button[type=submit]",
    )
    .await;
    wait_for_saved(&client).await;
    assert!(heading(&client).await.contains("草稿"));
    let goods_url = page_url(&client).await;
    client.goto(&goods_url).await.unwrap();
    take_step(&client, "submit").await;
    assert!(heading(&client).await.contains("已提交"));
    screenshot(&client, "filing-submitted").await;

    client
        .goto(&served.url("/filings/enterprise/edit"))
        .await
        .unwrap();
    fill(&client, "#email", "trade@rupinhui.example.cn").await;
    fill(&client, "#legal_representative", "高娜").await;
    click(
        &client,
        "form[action='/filings/enterprise'] button[type=submit]",
    )
    .await;
    wait_for_saved(&client).await;
    let company_url = page_url(&client).await;
    client.goto(&company_url).await.unwrap();
    take_step(&client, "submit").await;

    // Customs finds both in its queue and approves them.
    sign_in_as(&client, &served, "customs").await;
    client
        .goto(&served.url("/filings?awaiting=true"))
        .await
        .unwrap();
    let queue = text_of(&client, "main").await;
    assert!(
        queue.contains("俄罗斯荞麦蜂蜜") && queue.contains("珲春俄品汇电子商务有限公司"),
        "{queue}"
    );
    client.goto(&goods_url).await.unwrap();
    take_step(&client, "approve").await;
    assert!(
        heading(&client).await.contains("正常"),
        "customs alone approves goods"
    );
    client.goto(&company_url).await.unwrap();
    take_step(&client, "approve").await;
    assert!(
        heading(&client).await.contains("已提交"),
        "the company also needs commerce"
    );

    // Commerce approves the company's change; it is in force.
    sign_in_as(&client, &served, "commerce").await;
    client.goto(&company_url).await.unwrap();
    take_step(&client, "approve").await;
    assert!(heading(&client).await.contains("正常"));
    let history = text_of(&client, "#history-heading + h3 + div").await;
    assert!(history.contains("trade@rupinhui.example.cn"), "{history}");

    // Forex sees the goods' payment-relevant fields only, on the page and
    // in the webhook.
    sign_in_as(&client, &served, "forex").await;
    client.goto(&goods_url).await.unwrap();
    let page = text_of(&client, "main").await;
    assert!(page.contains("158") && page.contains("344"), "{page}");
    assert!(
        !page.contains("品名|成分|包装规格|品牌"),
        "declared elements are customs' business"
    );
    screenshot(&client, "filing-as-forex").await;
    let pushed = receiver.wait_for("commodity", "RU-BUCKWHEAT-HONEY-1KG", "activated");
    assert_eq!(pushed["record"]["reference_price"], "158");
    assert!(
        pushed["record"].get("declared_elements").is_none(),
        "{pushed}"
    );
    let company = receiver.wait_for("enterprise", "2224960004", "activated");
    assert_eq!(company["version"], 2);
    assert!(
        company["record"].get("email").is_none(),
        "forex never receives a contact e-mail: {company}"
    );
    assert_eq!(company["record"]["uscc"], "91222404MA0XWQ4E20");

    client.close().await.unwrap();
}

/// Issue #6, done when: "reconciliation and the repair desk work in the
/// portal" — in a real browser on the demo zone: the warehouse finds its
/// returned jar waiting for inspection and releases it for sale; the
/// officer records the day's vehicle passing the gate and closes the
/// stock count's finding in writing; the repair desk shows its orders.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bonded_book_its_reconciliation_and_the_repair_desk_work_in_the_browser() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("kuajing.db").display());
    let served = Served::start(&db, &["--demo"]);
    let driver = Driver::start();
    let client = browser(&driver, &dir.path().join("chromium-profile")).await;
    let book = served.url("/bonded/T2991W000001");

    // The warehouse: the returned jar waits for inspection; sellable again.
    sign_in_as(&client, &served, "warehouse").await;
    client.goto(&book).await.unwrap();
    let stock = text_of(&client, "#stock").await;
    assert!(stock.contains("待检"), "{stock}");
    fill(&client, "#inspect-item", "1").await;
    fill(&client, "#inspect-quantity", "1").await;
    fill(&client, "#inspect-reference", "查验记录 CY-DEMO-01").await;
    click(&client, "#inspection-form button[type=submit]").await;
    client
        .wait()
        .for_element(Locator::Id("recorded"))
        .await
        .unwrap();
    let log = text_of(&client, "#quarantine").await;
    assert!(log.contains("可再次销售"), "{log}");
    screenshot(&client, "bonded-book-zh").await;

    // The officer: the vehicle of the day's gate release list passes; the
    // stock count's finding is closed in writing.
    sign_in_as(&client, &served, "customs").await;
    client.goto(&book).await.unwrap();
    click(
        &client,
        "form[action$='/gate-passes'] details.confirm summary",
    )
    .await;
    click(
        &client,
        "form[action$='/gate-passes'] details.confirm button",
    )
    .await;
    client
        .wait()
        .for_element(Locator::Id("recorded"))
        .await
        .unwrap();
    let exits = text_of(&client, "#verifications").await;
    assert!(exits.contains("已过卡"), "{exits}");
    client
        .goto(&served.url("/bonded/findings?state=open"))
        .await
        .unwrap();
    let findings = text_of(&client, "#findings").await;
    assert!(findings.contains("短少"), "{findings}");
    fill(
        &client,
        "#findings input[name=note]",
        "破损一瓶，已补录销毁 / one broken jar, written off",
    )
    .await;
    click(&client, "#findings form button[type=submit]").await;
    client
        .wait()
        .for_element(Locator::Id("recorded"))
        .await
        .unwrap();
    screenshot(&client, "bonded-findings-zh").await;

    // The repair desk shows the demo's two orders.
    client.goto(&served.url("/repair")).await.unwrap();
    let orders = text_of(&client, "#orders").await;
    assert!(
        orders.contains("平板电脑") && orders.contains("咖啡机"),
        "{orders}"
    );
    screenshot(&client, "repair-desk-zh").await;

    client.close().await.unwrap();
}

/// The demo's exports in the browser (issue #7): the exporter sees its
/// lists to Russia, Korea and Japan out of the country, the returned jar
/// (taxable: honey is food) and its summary declaration filed; customs
/// sees the manifests and the approved overseas warehouse.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_their_exits_and_the_summary_declaration_show_in_the_browser() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("kuajing.db").display());
    let served = Served::start(&db, &["--demo"]);
    let driver = Driver::start();
    let client = browser(&driver, &dir.path().join("chromium-profile")).await;

    sign_in_as(&client, &served, "ebc").await;
    client.goto(&served.url("/exports")).await.unwrap();
    let lists = text_of(&client, "#export-lists").await;
    for expected in [
        "已离境",
        "9610",
        "9710",
        "9810",
        "344",
        "133",
        "116",
        "已运抵",
    ] {
        assert!(lists.contains(expected), "{expected}: {lists}");
    }
    let returns = text_of(&client, "#export-returns").await;
    assert!(
        returns.contains("HCXINV-E000002R") && returns.contains("征税"),
        "{returns}"
    );
    screenshot(&client, "exports-zh").await;
    client
        .goto(&served.url("/exports/summaries"))
        .await
        .unwrap();
    let filed = text_of(&client, "#summaries-filed").await;
    assert!(filed.contains("HCSUM-20261128-01"), "{filed}");

    // Its delegation to the supply-chain company (委托申报, issue #14):
    // revoking asks first, then takes effect.
    client.goto(&served.url("/delegations")).await.unwrap();
    let granted = text_of(&client, "#delegations-granted").await;
    assert!(
        granted.contains("2224960206") && granted.contains("清单"),
        "{granted}"
    );
    let confirm = client
        .find(Locator::Css("details.confirm form button"))
        .await
        .unwrap();
    assert!(!confirm.is_displayed().await.unwrap(), "hidden until asked");
    click(&client, "details.confirm summary").await;
    assert!(confirm.is_displayed().await.unwrap());
    confirm.click().await.unwrap();
    client
        .wait()
        .for_element(Locator::Css("#form-done"))
        .await
        .unwrap();
    let granted = text_of(&client, "#delegations-granted").await;
    assert!(granted.contains("已撤销"), "{granted}");
    screenshot(&client, "delegations-zh").await;

    sign_in_as(&client, &served, "customs").await;
    client.goto(&served.url("/delegations")).await.unwrap();
    let others = text_of(&client, "#delegations-others").await;
    assert!(
        others.contains("2224960004") && others.contains("2224960206"),
        "{others}"
    );
    client.goto(&served.url("/exports")).await.unwrap();
    let manifests = text_of(&client, "#export-manifests").await;
    assert!(
        manifests.contains("HCSITE-20261128-01") && manifests.contains("HCDEP-20261128-01"),
        "{manifests}"
    );
    client
        .goto(&served.url("/overseas-warehouses"))
        .await
        .unwrap();
    let warehouses = text_of(&client, "#warehouses").await;
    assert!(warehouses.contains("JP-NII-01"), "{warehouses}");
    screenshot(&client, "overseas-warehouses-zh").await;

    client.close().await.unwrap();
}
