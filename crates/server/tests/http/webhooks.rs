//! The pull feed and signed webhooks, against a real HTTP receiver on
//! 127.0.0.1: signatures, event ids, the subscriber's fields only, retries
//! with backoff, dead letters and replay; the feed's cursor and scope;
//! internal targets refused at subscription and at delivery, and fair,
//! concurrent delivery per subscriber (issue #14, finding 9).

use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use hmac::{Hmac, Mac};
use kuajing_core::role::Role;
use kuajing_registry::webhooks::{DispatchSettings, HostLookup};
use kuajing_server::ServerConfig;
use kuajing_testkit::dual_backend_tests;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::support::{
    ENTERPRISE, TestApp, eventually, expect_error, fast_webhooks, id_of, json as json_of, keys,
    spawn, spawn_with,
};

/// One POST the receiver got.
#[derive(Debug, Clone)]
pub(crate) struct Received {
    headers: HeaderMap,
    body: Bytes,
    pub(crate) answered: u16,
    at: Instant,
}

impl Received {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

#[derive(Default)]
struct Log {
    received: Vec<Received>,
    /// How many of the next requests to answer 500.
    failures_to_come: usize,
}

/// A webhook receiver on 127.0.0.1 that records every request.
#[derive(Clone, Default)]
pub(crate) struct Receiver(Arc<Mutex<Log>>);

/// Serves `router` on a random loopback port: the URL of its `/hook`.
async fn serve_hook(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, router).await });
    url
}

impl Receiver {
    /// Starts one: the receiver and its URL.
    pub(crate) async fn start() -> (Receiver, String) {
        let receiver = Receiver::default();
        let router = axum::Router::new()
            .route("/hook", axum::routing::post(receive))
            .with_state(receiver.clone());
        (receiver, serve_hook(router).await)
    }

    /// Answers 500 to the next `n` requests.
    pub(crate) fn fail_next(&self, n: usize) {
        self.0.lock().expect("log").failures_to_come = n;
    }

    pub(crate) fn received(&self) -> Vec<Received> {
        self.0.lock().expect("log").received.clone()
    }

    /// Waits for a request carrying `event_id` answered with `status`;
    /// returns every request of that event so far.
    async fn wait_for(&self, event_id: &str, status: u16) -> Vec<Received> {
        eventually(&format!("event {event_id} answered {status}"), || async {
            let of_event: Vec<Received> = self
                .received()
                .into_iter()
                .filter(|r| r.header("kuajing-event-id") == event_id)
                .collect();
            of_event
                .iter()
                .any(|r| r.answered == status)
                .then_some(of_event)
        })
        .await
    }
}

async fn receive(State(receiver): State<Receiver>, headers: HeaderMap, body: Bytes) -> AxumStatus {
    let mut log = receiver.0.lock().expect("log");
    let status = if log.failures_to_come > 0 {
        log.failures_to_come -= 1;
        AxumStatus::INTERNAL_SERVER_ERROR
    } else {
        AxumStatus::OK
    };
    log.received.push(Received {
        headers,
        body,
        answered: status.as_u16(),
        at: Instant::now(),
    });
    status
}

/// Whether `Kuajing-Signature: t=<unix>,v1=<hex>` is HMAC-SHA256(secret,
/// "<t>.<body>").
fn signed(secret: &str, header: &str, body: &[u8]) -> bool {
    let Some((t, v1)) = header
        .strip_prefix("t=")
        .and_then(|rest| rest.split_once(",v1="))
    else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(t.as_bytes());
    mac.update(b".");
    mac.update(body);
    hex::decode(v1).is_ok_and(|sig| mac.verify_slice(&sig).is_ok())
}

/// The feed event of `event` on record `id`, as `token` reads the feed.
async fn feed_event(app: &TestApp, token: &str, id: &str, event: &str) -> Value {
    let feed = app.get_json(token, "/api/feed").await;
    feed["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["record_id"] == id && e["event"] == event)
        .unwrap_or_else(|| panic!("no {event} of {id} in {feed}"))
        .clone()
}

/// Forex's fields of a commodity, and what everyone sees.
const FOREX_FIELDS: &[&str] = &[
    "item_no",
    "name",
    "origin_country",
    "reference_price",
    "currency",
    "owner",
    "status",
    "version",
];

dual_backend_tests! {
    async fn a_subscriber_receives_signed_changes_with_its_fields_only(db: TestDatabase) {
        let app = spawn_with(&db, fast_webhooks()).await;
        let owner = app.enterprise().await;
        let customs = app.agency(Role::Customs).await;
        let forex = app.agency(Role::Forex).await;
        let (receiver, url) = Receiver::start().await;
        let (hook, secret) = app.subscribe(&forex, &url, &["commodity"]).await;

        let id = app.active_commodity(&owner, &customs, "HONEY-HOOK").await;
        let activated = feed_event(&app, &forex, &id, "activated").await;
        let event_id = activated["event_id"].as_str().unwrap();
        let got = receiver.wait_for(event_id, 200).await;
        assert_eq!(got.len(), 1, "delivered once: {got:?}");
        let post = &got[0];
        assert!(signed(&secret, post.header("kuajing-signature"), &post.body), "{post:?}");
        assert!(!signed("whsec_other", post.header("kuajing-signature"), &post.body));
        assert_eq!(post.header("idempotency-key"), event_id);
        assert_eq!(post.header("content-type"), "application/json");
        let body = post.json();
        assert_eq!(body, activated, "the webhook carries what the feed shows");
        assert_eq!(keys(&body["record"]), FOREX_FIELDS.iter().map(|f| (*f).to_owned()).collect());
        assert_eq!((&body["record"]["status"], &body["owner"]), (&"active".into(), &ENTERPRISE.into()));

        let submitted = feed_event(&app, &forex, &id, "submitted").await;
        receiver.wait_for(submitted["event_id"].as_str().unwrap(), 200).await;
        let deliveries = eventually("both deliveries delivered", || async {
            let list = app.get_json(&forex, &format!("/api/webhooks/{hook}/deliveries")).await;
            let all = list.as_array().unwrap();
            (all.len() == 2 && all.iter().all(|d| d["status"] == "delivered")).then_some(list)
        }).await;
        assert_eq!(deliveries[0]["last_status"], 200, "{deliveries}");
    }

    async fn failed_deliveries_are_retried_then_dead_and_can_be_replayed(db: TestDatabase) {
        let app = spawn_with(&db, fast_webhooks()).await;
        let owner = app.enterprise().await;
        let customs = app.agency(Role::Customs).await;
        let forex = app.agency(Role::Forex).await;
        let id = app.submitted_commodity(&owner, "HONEY-RETRY").await;
        let (receiver, url) = Receiver::start().await;
        let (hook, _) = app.subscribe(&forex, &url, &["commodity"]).await;
        receiver.fail_next(3);
        app.stepped(&customs, &id, "approve", None).await;

        let deliveries = format!("/api/webhooks/{hook}/deliveries");
        let dead = eventually("a dead delivery", || async {
            let list = app.get_json(&forex, &deliveries).await;
            (list[0]["status"] == "dead").then(|| list[0].clone())
        }).await;
        let all = app.get_json(&forex, &deliveries).await;
        assert_eq!(all.as_array().unwrap().len(), 1, "only changes after subscribing: {all}");
        assert_eq!((&dead["attempts"], &dead["last_status"]), (&3.into(), &500.into()), "{dead}");
        let event_id = feed_event(&app, &forex, &id, "activated").await["event_id"].clone();
        let tries = receiver.received();
        assert_eq!(tries.iter().map(|r| r.answered).collect::<Vec<_>>(), [500, 500, 500]);
        assert!(tries.iter().all(|r| r.header("kuajing-event-id") == event_id), "{tries:?}");
        let gaps: Vec<Duration> = tries.windows(2).map(|w| w[1].at - w[0].at).collect();
        let backoff = [Duration::from_millis(100), Duration::from_millis(200)];
        assert!(gaps[0] >= backoff[0] && gaps[1] >= backoff[1], "backoff {gaps:?}");

        let replay = format!("/api/webhook-deliveries/{}/replay", id_of(&dead));
        let other = app.agency(Role::Tax).await;
        let refused = app.post_json(&other, &replay, &json!({})).await;
        expect_error(refused, StatusCode::NOT_FOUND, "NOT_FOUND", None).await;
        let replayed = json_of(app.post_json(&forex, &replay, &json!({})).await, StatusCode::OK).await;
        assert_eq!(replayed["status"], "pending", "{replayed}");
        assert_eq!(replayed["attempts"], 0, "{replayed}");
        let got = receiver.wait_for(event_id.as_str().unwrap(), 200).await;
        assert_eq!(got.len(), 4, "three failures and the replay: {got:?}");
        let delivered = eventually("the replay delivered", || async {
            let list = app.get_json(&forex, &deliveries).await;
            (list[0]["status"] == "delivered").then(|| list[0].clone())
        }).await;
        assert_eq!(delivered["attempts"], 1, "{delivered}");
        assert_eq!(delivered["last_status"], 200, "{delivered}");
    }

    async fn the_feed_pages_with_a_cursor_and_enterprises_see_only_their_own(db: TestDatabase) {
        let app = spawn(&db).await;
        let owner = app.enterprise().await;
        let other = app.member("2224960002", &["ebc"]).await;
        let customs = app.agency(Role::Customs).await;
        app.active_commodity(&owner, &customs, "HONEY-A").await;
        app.submitted_commodity(&other, "HONEY-B").await;

        let whole = app.get_json(&customs, "/api/feed").await;
        let seqs = |page: &Value| -> Vec<i64> {
            page["events"].as_array().unwrap().iter().map(|e| e["seq"].as_i64().unwrap()).collect()
        };
        let all = seqs(&whole);
        assert!(all.len() >= 6, "enterprise and commodity events: {whole}");
        let (mut after, mut paged) = (0, Vec::new());
        loop {
            let page = app.get_json(&customs, &format!("/api/feed?after={after}&limit=2")).await;
            let next = page["next_after"].as_i64().unwrap();
            if seqs(&page).is_empty() {
                assert_eq!(next, after, "an empty page keeps the cursor");
                break;
            }
            assert!(seqs(&page).len() <= 2 && next > after, "{page}");
            paged.extend(seqs(&page));
            after = next;
        }
        assert_eq!(paged, all);
        assert_eq!(after, *all.last().unwrap());
        let topics = app.get_json(&customs, "/api/feed?topics=commodity").await;
        let events = topics["events"].as_array().unwrap();
        assert!(!events.is_empty() && events.iter().all(|e| e["topic"] == "commodity"), "{topics}");

        for (token, code) in [(&owner, ENTERPRISE), (&other, "2224960002")] {
            let feed = app.get_json(token, "/api/feed").await;
            let events = feed["events"].as_array().unwrap();
            assert!(events.iter().any(|e| e["topic"] == "commodity"), "{feed}");
            assert!(events.iter().all(|e| e["owner"] == code), "{code} sees others' events: {feed}");
        }
    }

    async fn a_webhook_needs_https_and_known_topics_and_follows_all_by_default(db: TestDatabase) {
        let app = spawn_with(&db, public_only(HostLookup::default())).await;
        let forex = app.agency(Role::Forex).await;
        for url in ["http://example.com/x", "ftp://example.com/x", "not a url"] {
            let response = app.post_json(&forex, "/api/webhooks", &json!({"url": url})).await;
            expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "WEBHOOK_URL", Some("url")).await;
        }
        let unknown = json!({"url": "https://forex.example.gov.cn/hook", "topics": ["parcels"]});
        let response = app.post_json(&forex, "/api/webhooks", &unknown).await;
        let topic = Some("topics[0]");
        expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "TOPIC_UNKNOWN", topic).await;
        assert_eq!(app.get_json(&forex, "/api/webhooks").await, json!([]));
        app.subscribe(&forex, "https://forex.example.gov.cn/hook", &[]).await;
        let list = app.get_json(&forex, "/api/webhooks").await;
        let all_topics = json!(["enterprise", "commodity", "release", "tax-bill", "payment", "receipt", "bonded-report"]);
        assert_eq!(list[0]["topics"], all_topics, "all topics by default: {list}");
    }

    /// Issue #14, finding 9: the platform cannot be made to call internal
    /// hosts. Loopback, private, link-local (the metadata service), CGNAT,
    /// unspecified and multicast targets — literal, IPv4-mapped, or a name
    /// resolving to one — are refused at subscription naming the address;
    /// nothing is kept.
    async fn internal_targets_are_refused_at_subscription(db: TestDatabase) {
        let lookup = HostLookup::new(|name| {
            let found: Vec<IpAddr> = match name {
                "intranet.example.cn" => vec![[10, 20, 30, 40].into()],
                _ => Vec::new(),
            };
            Box::pin(async move { Ok(found) })
        });
        let app = spawn_with(&db, public_only(lookup)).await;
        let forex = app.agency(Role::Forex).await;
        let (_, local) = Receiver::start().await;
        let cases = [
            (local.replace("http://", "https://"), "a loopback address"),
            ("https://[::1]:8443/hook".to_owned(), "a loopback address"),
            ("https://localhost/hook".to_owned(), "a loopback address"),
            ("https://192.168.10.5/hook".to_owned(), "a private address"),
            ("https://172.20.0.2/hook".to_owned(), "a private address"),
            ("https://[fd00::2]/hook".to_owned(), "a private address"),
            ("https://169.254.169.254/latest/meta-data/".to_owned(), "a link-local address"),
            ("https://[fe80::1]/hook".to_owned(), "a link-local address"),
            ("https://[::ffff:127.0.0.1]/hook".to_owned(), "a loopback address"),
            ("https://100.100.100.200/hook".to_owned(), "a shared carrier-grade NAT address"),
            ("https://0.0.0.0/hook".to_owned(), "an unspecified address"),
            ("https://239.1.1.1/hook".to_owned(), "a multicast address"),
            ("https://intranet.example.cn/hook".to_owned(), "intranet.example.cn resolves to 10.20.30.40"),
        ];
        for (url, why) in cases {
            let response = app.post_json(&forex, "/api/webhooks", &json!({"url": url})).await;
            let body = expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "WEBHOOK_TARGET_INTERNAL", Some("url")).await;
            let message = body["message_en"].as_str().unwrap();
            assert!(message.contains(why) && message.contains(&url), "{url}: {message}");
            assert!(body["message_zh"].as_str().unwrap().contains("公网"), "{body}");
        }
        // Plain http to the receiver, allowed in tests, is refused too.
        let response = app.post_json(&forex, "/api/webhooks", &json!({"url": local})).await;
        expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "WEBHOOK_URL", Some("url")).await;
        assert_eq!(app.get_json(&forex, "/api/webhooks").await, json!([]), "nothing kept");
    }

    /// A name that resolved to a public address when it was subscribed and
    /// to loopback when the delivery is made (DNS rebinding) is refused on
    /// the address the client would connect to: the receiver on 127.0.0.1
    /// gets nothing and the delivery says why.
    async fn a_name_rebound_to_loopback_is_refused_at_delivery(db: TestDatabase) {
        let lookups = Arc::new(AtomicUsize::new(0));
        let counted = lookups.clone();
        let lookup = HostLookup::new(move |_| {
            let first = counted.fetch_add(1, Ordering::SeqCst) == 0;
            let address: IpAddr = if first { [93, 184, 216, 34].into() } else { [127, 0, 0, 1].into() };
            Box::pin(async move { Ok(vec![address]) })
        });
        let mut settings = public_only(lookup);
        settings.webhooks.max_attempts = 1;
        let app = spawn_with(&db, settings).await;
        let owner = app.enterprise().await;
        let forex = app.agency(Role::Forex).await;
        let (receiver, local) = Receiver::start().await;
        let port = local.trim_start_matches("http://127.0.0.1:").split('/').next().unwrap().to_owned();
        let url = format!("https://hooks.rebind.example:{port}/hook");
        let (hook, _) = app.subscribe(&forex, &url, &["commodity"]).await;
        app.submitted_commodity(&owner, "HONEY-REBIND").await;

        let dead = eventually("the delivery refused", || async {
            let list = app.get_json(&forex, &format!("/api/webhooks/{hook}/deliveries")).await;
            (list[0]["status"] == "dead").then(|| list[0].clone())
        }).await;
        let error = dead["last_error"].as_str().unwrap();
        assert!(error.contains("hooks.rebind.example") && error.contains("127.0.0.1 is a loopback address"), "{dead}");
        assert!(receiver.received().is_empty(), "nothing reached 127.0.0.1");
        assert!(lookups.load(Ordering::SeqCst) >= 2, "looked up at subscription and at delivery");
        let subscription = app.get_json(&forex, "/api/webhooks").await;
        assert_eq!(subscription[0]["consecutive_failures"], 1, "{subscription}");
        assert!(subscription[0]["backoff_until"].is_string(), "the subscriber is backed off: {subscription}");
    }

    /// Deliveries are fair per subscriber and concurrent: a subscriber with
    /// a queue of deliveries and an endpoint that does not answer holds two
    /// POSTs, no more, and another subscriber's delivery of a later change
    /// is delivered while they hang — before anything of the first
    /// subscriber's completes (a global queue sending 20 at a time and
    /// waiting for the round's slowest POST delivered it only after them).
    async fn a_slow_subscriber_does_not_hold_another_s_deliveries(db: TestDatabase) {
        let slow = ServerConfig {
            // Eight POSTs in flight at most, fewer than the slow
            // subscriber's queue: only fair claims leave room for another.
            webhooks: DispatchSettings { timeout: Duration::from_secs(60), concurrency: 8, ..fast_webhooks().webhooks },
            ..fast_webhooks()
        };
        let app = spawn_with(&db, slow).await;
        let owner = app.enterprise().await;
        let forex = app.agency(Role::Forex).await;
        let customs = app.agency(Role::Customs).await;
        let (held, held_url) = HeldReceiver::start().await;
        let (hook, _) = app.subscribe(&forex, &held_url, &["commodity"]).await;
        for n in 0..24 {
            app.submitted_commodity(&owner, &format!("HONEY-Q{n:02}")).await;
        }
        let (receiver, url) = Receiver::start().await;
        app.subscribe(&customs, &url, &["commodity"]).await;
        let id = app.submitted_commodity(&owner, "HONEY-LATE").await;
        let late = feed_event(&app, &customs, &id, "submitted").await;
        receiver.wait_for(late["event_id"].as_str().unwrap(), 200).await;
        assert_eq!(held.answered(), 0, "the slow subscriber's POSTs all still hang");
        assert!(held.arrived() <= 2, "at most two of its deliveries in flight: {}", held.arrived());

        held.release();
        eventually("the slow subscriber's deliveries", || async {
            let list = app.get_json(&forex, &format!("/api/webhooks/{hook}/deliveries?limit=100")).await;
            let all = list.as_array().unwrap();
            (all.len() >= 25 && all.iter().all(|d| d["status"] == "delivered")).then_some(())
        }).await;
    }
}

/// Test settings with webhooks to public HTTPS targets only (the default),
/// names looked up with `lookup`.
fn public_only(lookup: HostLookup) -> ServerConfig {
    ServerConfig {
        webhooks: DispatchSettings {
            allow_private_targets: false,
            lookup,
            ..fast_webhooks().webhooks
        },
        ..fast_webhooks()
    }
}

/// A receiver whose answers wait until the test releases them.
#[derive(Clone)]
struct HeldReceiver {
    arrived: Arc<AtomicUsize>,
    answered: Arc<AtomicUsize>,
    gate: tokio::sync::watch::Sender<bool>,
}

impl HeldReceiver {
    async fn start() -> (HeldReceiver, String) {
        let (gate, _) = tokio::sync::watch::channel(false);
        let receiver = HeldReceiver {
            arrived: Arc::default(),
            answered: Arc::default(),
            gate,
        };
        let router = axum::Router::new()
            .route("/hook", axum::routing::post(held))
            .with_state(receiver.clone());
        (receiver, serve_hook(router).await)
    }

    fn arrived(&self) -> usize {
        self.arrived.load(Ordering::SeqCst)
    }

    fn answered(&self) -> usize {
        self.answered.load(Ordering::SeqCst)
    }

    fn release(&self) {
        self.gate.send_replace(true);
    }
}

async fn held(State(receiver): State<HeldReceiver>) -> AxumStatus {
    receiver.arrived.fetch_add(1, Ordering::SeqCst);
    let mut open = receiver.gate.subscribe();
    let _ = open.wait_for(|released| *released).await;
    receiver.answered.fetch_add(1, Ordering::SeqCst);
    AxumStatus::OK
}
