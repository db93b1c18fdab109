//! The harness: the real server on a random port over a fresh database, set
//! up through the real use cases, and clients that speak to it as a system
//! (Bearer token) or as a person (browser with cookies and the sign-in form).

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use kuajing_core::ids::Uscc;
use kuajing_core::role::Role;
use kuajing_registry::actor::Actor;
use kuajing_registry::auth::password::{Hashing, HashingSettings};
use kuajing_registry::auth::tokens;
use kuajing_registry::organisations::{self as registry, OrganisationInput, UserInput};
use kuajing_registry::webhooks::DispatchSettings;
use kuajing_server::{AppState, ServerConfig};
use kuajing_store::Store;
use kuajing_testkit::TestDatabase;
use reqwest::cookie::{CookieStore, Jar};
use reqwest::header::{CONTENT_TYPE, LOCATION};
use reqwest::{Client, Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};
use tokio::sync::oneshot;

/// The password of every user the tests create.
pub const PASSWORD: &str = "correct-horse-42";
/// Customs code of the zone administration.
pub const ZONE_ADMIN: &str = "2224000001";
/// Customs code of the enterprise most tests act for or on.
pub const ENTERPRISE: &str = "2224960001";

/// The settings of a test server: the defaults on a random local port,
/// webhooks allowed to the test receivers on 127.0.0.1.
pub fn config() -> ServerConfig {
    ServerConfig {
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        webhooks: DispatchSettings {
            allow_private_targets: true,
            ..Default::default()
        },
        ..Default::default()
    }
}

/// The test settings with webhooks sent every 50 ms, retried after 100 ms
/// (then 200 ms, …) and dead after 3 attempts.
pub fn fast_webhooks() -> ServerConfig {
    ServerConfig {
        webhooks: DispatchSettings {
            tick: Duration::from_millis(50),
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
            max_attempts: 3,
            timeout: Duration::from_secs(5),
            allow_private_targets: true,
            ..Default::default()
        },
        ..config()
    }
}

/// A running server and the database behind it.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The server's store, for setting up through the use cases.
    pub store: Store,
    /// A client without cookies that does not follow redirects.
    pub client: Client,
    shutdown: Option<oneshot::Sender<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// Starts the server with the default test settings.
pub async fn spawn(db: &TestDatabase) -> TestApp {
    spawn_with(db, config()).await
}

/// Starts the server on `db` with `config`, the database prepared as
/// `kuajing serve` prepares it (schema and reference seed set).
pub async fn spawn_with(db: &TestDatabase, config: ServerConfig) -> TestApp {
    let store = Store::connect(&db.url).await.expect("connect");
    kuajing_server::prepare(&store).await.expect("prepare");
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let state = AppState::new(store.clone(), config, false);
    let (shutdown, stop) = oneshot::channel::<()>();
    tokio::spawn(kuajing_server::serve(listener, state, async {
        let _ = stop.await;
    }));
    TestApp {
        base,
        store,
        client: client_builder().build().expect("client"),
        shutdown: Some(shutdown),
    }
}

fn client_builder() -> reqwest::ClientBuilder {
    Client::builder().redirect(reqwest::redirect::Policy::none())
}

/// A valid unified social credit code whose organisation-code body is `body`
/// (8 characters of 0-9 A-H J-N P-R T U W-Y).
pub fn uscc(body: &str) -> String {
    Uscc::from_parts("91222404", body)
        .expect("valid USCC body")
        .to_string()
}

/// The customs code [`TestApp::agency`] gives the agency of `role`:
/// `22249100NN`, NN its place in [`Role::ALL`].
pub fn agency_code(role: Role) -> String {
    let place = Role::ALL.iter().position(|r| *r == role).expect("a role");
    format!("22249100{place:02}")
}

/// A valid filing for `code` (digits only) with `roles` and a contact person.
pub fn filing(code: &str, roles: &[&str]) -> OrganisationInput {
    OrganisationInput {
        customs_code: code.to_owned(),
        name: format!("珲春测试机构{code}"),
        uscc: Some(uscc(&format!("MA{}", &code[4..]))),
        roles: roles.iter().map(|r| (*r).to_owned()).collect(),
        park: Some("珲春综合保税区".to_owned()),
        contact_name: Some("张伟".to_owned()),
        contact_phone: Some("13904331234".to_owned()),
        ..Default::default()
    }
}

impl TestApp {
    /// The full URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Files an organisation as the operator.
    pub async fn file(&self, code: &str, roles: &[&str]) {
        let new = filing(code, roles).parse(false).expect("valid filing");
        registry::file_organisation(&self.store, &Actor::operator(), &new)
            .await
            .expect("file organisation");
    }

    /// Creates user `login` (password [`PASSWORD`]) for organisation `code`.
    pub async fn add_user(&self, code: &str, login: &str) {
        let input = UserInput {
            login: login.to_owned(),
            display_name: format!("用户{login}"),
            password: PASSWORD.to_owned(),
        };
        let passwords = Hashing::new(HashingSettings::default());
        registry::add_user(&self.store, &passwords, &Actor::operator(), code, &input)
            .await
            .expect("add user");
    }

    /// Issues an API token for organisation `code`: (id, secret).
    pub async fn issue_token(&self, code: &str) -> (String, String) {
        let (token, secret) = tokens::issue(&self.store, &Actor::operator(), code, "测试令牌")
            .await
            .expect("issue token");
        (token.id, secret)
    }

    /// Files organisation `code` with `roles` and returns a token for it.
    pub async fn member(&self, code: &str, roles: &[&str]) -> String {
        self.file(code, roles).await;
        self.issue_token(code).await.1
    }

    /// The zone administration's token.
    pub async fn zone_admin(&self) -> String {
        self.member(ZONE_ADMIN, &["zone-admin"]).await
    }

    /// The enterprise [`ENTERPRISE`]'s token.
    pub async fn enterprise(&self) -> String {
        self.member(ENTERPRISE, &["ebp", "ebc"]).await
    }

    /// A new token of the agency of `role` (customs code [`agency_code`]),
    /// filed the first time it is asked for.
    pub async fn agency(&self, role: Role) -> String {
        let code = agency_code(role);
        let mut conn = self.store.reader().await.expect("a connection");
        let filed = kuajing_store::organisations::find_by_code(&mut conn, &code)
            .await
            .expect("lookup");
        drop(conn);
        if filed.is_none() {
            self.file(&code, &[role.as_str()]).await;
        }
        self.issue_token(&code).await.1
    }

    /// The bonded account book the example parcels' 1210 lists draw on
    /// ([`kuajing_ceb::sample::Parcel::BOOK`]), kept by their warehouse,
    /// with `units` of honey entered: the warehouse's token.
    pub async fn stocked_book(&self, units: &str) -> String {
        use kuajing_ceb::sample::Parcel;
        let token = self.member(Parcel::WAREHOUSE, &["warehouse"]).await;
        let book = serde_json::json!({"ems_no": Parcel::BOOK, "zone_code": "2991", "name": "珲春综合保税仓"});
        json(
            self.post_json(&token, "/api/ems/books", &book).await,
            StatusCode::CREATED,
        )
        .await;
        let line = serde_json::json!({"item_no": Parcel::ITEM, "hs_code": "0409000000",
            "goods_name": "椴树蜂蜜", "unit": Parcel::UNIT, "currency": "142", "unit_value": "168.00"});
        let lines = format!("/api/ems/books/{}/lines", Parcel::BOOK);
        json(
            self.post_json(&token, &lines, &line).await,
            StatusCode::CREATED,
        )
        .await;
        let entry = serde_json::json!({"item_no": Parcel::ITEM, "kind": "first-line-in", "quantity": units,
            "unit": Parcel::UNIT, "reference": "进境备案清单 QD2991260001"});
        let movements = format!("/api/ems/books/{}/movements", Parcel::BOOK);
        json(
            self.post_json(&token, &movements, &entry).await,
            StatusCode::CREATED,
        )
        .await;
        token
    }

    /// A request with `token` as Bearer.
    pub fn api(&self, method: Method, path: &str, token: &str) -> RequestBuilder {
        self.client
            .request(method, self.url(path))
            .bearer_auth(token)
    }

    /// GET `path` with `token`; the JSON of a 200 answer.
    pub async fn get_json(&self, token: &str, path: &str) -> Value {
        json(
            send(self.api(Method::GET, path, token)).await,
            StatusCode::OK,
        )
        .await
    }

    /// POST `body` as JSON to `path` with `token`.
    pub async fn post_json(&self, token: &str, path: &str, body: &Value) -> Response {
        send(self.api(Method::POST, path, token).json(body)).await
    }

    /// PUT `body` as JSON to `path` with `token`.
    pub async fn put_json(&self, token: &str, path: &str, body: &Value) -> Response {
        send(self.api(Method::PUT, path, token).json(body)).await
    }

    /// Files (or changes) a commodity of `token`'s organisation: the filing.
    pub async fn file_commodity(&self, token: &str, body: &Value) -> Value {
        let response = self
            .post_json(token, "/api/filings/commodities", body)
            .await;
        json(response, StatusCode::OK).await
    }

    /// Takes workflow `step` (`submit`, `approve`, …) on filing `id` as
    /// `token`, giving `reason` if any.
    pub async fn step(&self, token: &str, id: &str, step: &str, reason: Option<&str>) -> Response {
        let body = reason.map_or_else(|| json!({}), |r| json!({ "reason": r }));
        self.post_json(token, &format!("/api/filings/{id}/{step}"), &body)
            .await
    }

    /// Like [`TestApp::step`], which must succeed: the filing afterwards.
    pub async fn stepped(&self, token: &str, id: &str, step: &str, reason: Option<&str>) -> Value {
        json(self.step(token, id, step, reason).await, StatusCode::OK).await
    }

    /// Files honey as item `item_no` of `owner` and submits it: its id.
    pub async fn submitted_commodity(&self, owner: &str, item_no: &str) -> String {
        let id = id_of(&self.file_commodity(owner, &honey(item_no)).await);
        self.stepped(owner, &id, "submit", None).await;
        id
    }

    /// Files honey as item `item_no` of `owner`, submits it and has
    /// `customs` approve it: the active filing's id.
    pub async fn active_commodity(&self, owner: &str, customs: &str, item_no: &str) -> String {
        let id = self.submitted_commodity(owner, item_no).await;
        let active = self.stepped(customs, &id, "approve", None).await;
        assert_eq!(active["status"], "active", "{active}");
        id
    }

    /// Uploads `bytes` as `file.bin` for `purpose` to filing `id` as `token`.
    pub async fn upload(&self, token: &str, id: &str, purpose: &str, bytes: &[u8]) -> Response {
        let (content_type, body) = multipart(&[("purpose", purpose)], bytes);
        let path = format!("/api/filings/{id}/attachments");
        let request = self.api(Method::POST, &path, token);
        send(request.header(CONTENT_TYPE, content_type).body(body)).await
    }

    /// Subscribes `token`'s organisation to `topics` at `url`: the
    /// subscription's id and signing secret.
    pub async fn subscribe(&self, token: &str, url: &str, topics: &[&str]) -> (String, String) {
        let body = json!({ "url": url, "topics": topics });
        let created = json(
            self.post_json(token, "/api/webhooks", &body).await,
            StatusCode::CREATED,
        )
        .await;
        let secret = created["secret"].as_str().expect("secret").to_owned();
        (id_of(&created["subscription"]), secret)
    }

    /// Customs codes of the organisations the token's holder lists.
    pub async fn organisation_codes(&self, token: &str) -> Vec<String> {
        let list = self.get_json(token, "/api/organisations").await;
        list.as_array()
            .expect("a list")
            .iter()
            .map(|o| o["customs_code"].as_str().expect("code").to_owned())
            .collect()
    }

    /// A new browser: cookies kept, redirects not followed.
    pub fn browser(&self) -> Browser {
        let jar = Arc::new(Jar::default());
        let client = client_builder()
            .cookie_provider(jar.clone())
            .build()
            .expect("client");
        Browser {
            base: self.base.clone(),
            client,
            jar,
        }
    }

    /// A browser signed in as `login`.
    pub async fn signed_in(&self, login: &str) -> Browser {
        let browser = self.browser();
        let response = browser.sign_in(login, PASSWORD).await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "sign-in of {login}"
        );
        assert_eq!(location(&response), "/home");
        assert!(browser.session().is_some(), "no session cookie");
        browser
    }
}

/// A person's browser.
pub struct Browser {
    base: String,
    /// The client, with the cookie jar.
    pub client: Client,
    jar: Arc<Jar>,
}

impl Browser {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// GET `path`.
    pub async fn get(&self, path: &str) -> Response {
        send(self.client.get(self.url(path))).await
    }

    /// GET an HTML page that must answer 200; its text.
    pub async fn page(&self, path: &str) -> String {
        html(self.get(path).await, StatusCode::OK).await
    }

    /// POST a form.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        send(self.client.post(self.url(path)).form(fields)).await
    }

    /// A request to `path` (cookies attached by the jar).
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(path))
    }

    /// POST `body` as JSON with the session's CSRF token (from `/api/me`).
    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        let csrf = self.csrf().await;
        let request = self.request(Method::POST, path).json(body);
        send(request.header("x-csrf-token", csrf)).await
    }

    /// Fills in and submits the sign-in form.
    pub async fn sign_in(&self, login: &str, password: &str) -> Response {
        let form = self.page("/login").await;
        let csrf = hidden_csrf(&form);
        let fields = [
            ("csrf", csrf.as_str()),
            ("login", login),
            ("password", password),
            ("next", "/home"),
        ];
        self.post_form("/login", &fields).await
    }

    /// The value of cookie `name`, if the browser holds it.
    pub fn cookie(&self, name: &str) -> Option<String> {
        let url = self.base.parse().expect("base URL");
        let header = self.jar.cookies(&url)?;
        header
            .to_str()
            .expect("cookie text")
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.to_owned())
    }

    /// The session cookie, if signed in.
    pub fn session(&self) -> Option<String> {
        self.cookie("kj_session")
    }

    /// `/api/me`: the status and the body.
    pub async fn me(&self) -> (StatusCode, Value) {
        let response = self.get("/api/me").await;
        let status = response.status();
        (status, response.json().await.expect("JSON"))
    }

    /// The session's CSRF token, as `/api/me` tells it.
    pub async fn csrf(&self) -> String {
        let (status, me) = self.me().await;
        assert_eq!(status, StatusCode::OK, "{me}");
        me["csrf_token"].as_str().expect("csrf_token").to_owned()
    }
}

/// Sends a request; a transport failure fails the test.
pub async fn send(request: RequestBuilder) -> Response {
    request.send().await.expect("the server answers")
}

/// The JSON of an answer that must have `status`.
pub async fn json(response: Response, status: StatusCode) -> Value {
    let text = body_with_status(response, status).await;
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// The HTML of an answer that must have `status`.
pub async fn html(response: Response, status: StatusCode) -> String {
    let content_type = header(&response, CONTENT_TYPE.as_str());
    assert!(content_type.starts_with("text/html"), "{content_type}");
    body_with_status(response, status).await
}

async fn body_with_status(response: Response, status: StatusCode) -> String {
    let (url, actual) = (response.url().clone(), response.status());
    let text = response.text().await.expect("body");
    assert_eq!(actual, status, "{url}: {text}");
    text
}

/// Checks an error answer: its status, stable code, field and both
/// messages; returns the body.
pub async fn expect_error(
    response: Response,
    status: StatusCode,
    code: &str,
    field: Option<&str>,
) -> Value {
    let body = json(response, status).await;
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["field"].as_str(), field, "{body}");
    let zh = body["message_zh"].as_str().unwrap_or("");
    assert!(
        zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "message_zh is not Chinese: {body}"
    );
    let en = body["message_en"].as_str().unwrap_or("");
    assert!(
        en.chars().any(|c| c.is_ascii_alphabetic()),
        "message_en is not English: {body}"
    );
    body
}

/// Checks a 401 AUTH_REQUIRED answer.
pub async fn expect_unauthenticated(response: Response) {
    expect_error(response, StatusCode::UNAUTHORIZED, "AUTH_REQUIRED", None).await;
}

/// A response header as text (empty if absent).
pub fn header(response: &Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

/// Where a redirect points.
pub fn location(response: &Response) -> String {
    header(response, LOCATION.as_str())
}

/// The value of the first hidden `csrf` field of a page.
pub fn hidden_csrf(html: &str) -> String {
    let marker = r#"name="csrf" value=""#;
    let start = html.find(marker).expect("a csrf field") + marker.len();
    let end = html[start..].find('"').expect("end of the csrf value");
    html[start..start + end].to_owned()
}

/// A commodity filing of honey as item `item_no`: a seed tariff code
/// (0409000000) with its legal unit (035, kg), Russian origin (344), a price
/// in CNY (142) and a valid GTIN.
pub fn honey(item_no: &str) -> Value {
    json!({
        "item_no": item_no,
        "name": "椴树蜂蜜",
        "specification": "500克/瓶",
        "brand": "远东蜂场",
        "hs_code": "0409000000",
        "origin_country": "344",
        "declared_elements": "天然蜂蜜|未掺杂|500克玻璃瓶",
        "unit1": "035",
        "reference_price": "88.50",
        "currency": "142",
        "barcode": "6901234567892",
    })
}

/// An enterprise filing of `code` with `roles` and every field filled in.
pub fn enterprise_filing(code: &str, roles: &[&str]) -> Value {
    json!({
        "name": format!("珲春远东贸易有限公司{code}"),
        "name_en": "Hunchun Far East Trading Co., Ltd.",
        "uscc": uscc(&format!("MA{}", &code[4..])),
        "roles": roles,
        "park": "珲春国际合作示范区",
        "registered_address": "吉林省珲春市合作区1号",
        "business_address": "吉林省珲春市边贸路8号",
        "legal_representative": "王芳",
        "contact_name": "李强",
        "contact_phone": "13904335678",
        "email": "trade@example.cn",
    })
}

/// The `id` of a JSON object.
pub fn id_of(value: &Value) -> String {
    value["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {value}"))
        .to_owned()
}

/// The keys of a JSON object.
pub fn keys(value: &Value) -> BTreeSet<String> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .cloned()
        .collect()
}

/// A small PDF (what the server sniffs is the `%PDF-` start).
pub const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// A small PNG (the signature and a header chunk).
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

/// A `multipart/form-data` body with text `fields` and `file` (named
/// `file.bin`): its content type and bytes.
pub fn multipart(fields: &[(&str, &str)], file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "kuajing-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"file.bin\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    ));
    let mut body = body.into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Asks `probe` every 25 ms until it answers `Some`, for at most 10 s.
pub async fn eventually<T, F, Fut>(what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(found) = probe().await {
            return found;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}
