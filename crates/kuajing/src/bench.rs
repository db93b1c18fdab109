//! `kuajing bench clearance`: the clearance hot path measured over HTTP.
//!
//! The bench prepares an empty database (schema, reference data, the four
//! enterprises of a parcel with their tokens), starts `kuajing serve` on it
//! as a child process, and drives it with generated parcels — order,
//! payment, waybill and list from four senders, many buyers, a mix of
//! clean (90 %), over-limit (5 %) and mismatched (5 %) parcels — in two
//! shapes: one document per message, and 100 documents per message. It
//! reports completed clearances per second, the latency from the message
//! carrying a parcel's last document to its decision (the decision is made
//! while that message is answered, so it is that request's latency), the
//! server's CPU and resident memory, and two floors measured in the same
//! run: as many requests to `/healthz`, an endpoint that does nothing; and
//! the store's floor (issue #16) — the very messages of the run sent first
//! to `/bench/store-floor`, where the server only scans, hashes and keeps
//! each one (one row, the intake's group commit, on the same database) and
//! answers a fixed receipt — with the clearance rate as a share of it; and
//! what a parcel cost the database (its growth per parcel, floor and
//! clearance). At the end it counts the lists by status in the database:
//! every parcel must have been decided as its kind says; and the store
//! floor's rows: every message sent there must have been kept.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;
use kuajing_ceb::model::import::{CEB311Message, CEB411Message, CEB511Message, CEB621Message};
use kuajing_ceb::sample::Parcel;
use kuajing_ceb::{Message, encode};
use kuajing_registry::actor::Actor;
use kuajing_registry::auth::tokens;
use kuajing_registry::organisations::{self as registry, OrganisationInput};
use kuajing_store::Store;
use rust_decimal::Decimal;

use crate::error::CliError;

/// `kuajing bench clearance`.
#[derive(Debug, Args)]
pub struct ClearanceBenchArgs {
    /// An empty database to run on (default: a new SQLite file in a
    /// temporary directory). A PostgreSQL URL must name an empty database.
    #[arg(long)]
    pub database: Option<String>,
    /// Parcels per shape.
    #[arg(long, default_value_t = 20_000)]
    pub parcels: u32,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 16)]
    pub concurrency: usize,
    /// Which shapes: `single` (one document per message), `batch` (100 per
    /// message) or `both`.
    #[arg(long, default_value = "both")]
    pub shape: String,
    /// Which import modes, each shape run once per mode: `9610` (direct
    /// purchase), `1210` (bonded: every list holds and then takes stock of
    /// a 10,000-line account book whose ten hot items take 80 % of the
    /// parcels) or `both` (9610, then 1210, with their ratio).
    #[arg(long, default_value = "both")]
    pub trade_mode: String,
}

/// Lines of the bench's bonded account book.
const BOOK_ITEMS: u32 = 10_000;

/// The item record number parcel `n` draws on: one of ten hot items for
/// four parcels in five, any of the book's lines for the fifth.
fn item_of(n: u32) -> u32 {
    if n.is_multiple_of(5) {
        n % BOOK_ITEMS + 1
    } else {
        n % 10 + 1
    }
}

/// The parcels of one message in the batch shape.
const BATCH: u32 = 100;

/// What kind of parcel number `n` is (the mix: 5 % over the single
/// transaction limit, 5 % whose payment disagrees, the rest clean).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Clean,
    OverLimit,
    Mismatched,
}

fn kind_of(n: u32) -> Kind {
    match n % 20 {
        0 => Kind::OverLimit,
        1 => Kind::Mismatched,
        _ => Kind::Clean,
    }
}

/// Parcel `n` of its kind, declared in `mode` (`9610` or `1210`).
fn parcel(n: u32, mode: &str) -> Parcel {
    let parcel = match mode {
        "9610" => Parcel::numbered(n).direct_purchase(),
        _ => Parcel::numbered(n).with_item(&item_of(n).to_string()),
    };
    match kind_of(n) {
        Kind::Clean => parcel,
        // 2 × 2,600.00 + 10.00 freight: two items over CNY 5,000 (-621005).
        Kind::OverLimit => parcel.priced(Decimal::new(2600, 0)),
        Kind::Mismatched => {
            let mut parcel = parcel;
            for payment in &mut parcel.payment.payment {
                payment.payment_head.amount_paid -= Decimal::ONE;
            }
            parcel
        }
    }
}

/// The tokens of the four senders.
struct Senders {
    ebp: String,
    pay: String,
    logistics: String,
    ebc: String,
}

/// Runs the bench and prints its report.
pub async fn run(args: &ClearanceBenchArgs) -> Result<(), CliError> {
    let temp = tempfile_dir()?;
    let url = match &args.database {
        Some(url) => url.clone(),
        None => format!("sqlite://{}", temp.join("bench.db").display()),
    };
    let store = Store::connect(&url)
        .await
        .map_err(|e| CliError::Failure(format!("cannot open {url}: {e}")))?;
    if !store.applied_versions().await?.is_empty() {
        return Err(CliError::Input(format!(
            "{url} is not empty: the bench needs a database of its own"
        )));
    }
    kuajing_server::prepare(&store).await?;
    let senders = file_senders(&store).await?;
    // The 1210 lists' book: each line holds more than any run takes (two
    // jars a parcel, all on one item at worst).
    let each = i64::from(args.parcels).saturating_mul(4);
    crate::demo_clearance::stock_book(&store, Parcel::WAREHOUSE, BOOK_ITEMS, each).await?;
    let port = free_port()?;
    let log = temp.join("server.log");
    let mut server = start_server(&url, port, &log)?;
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .build()
        .map_err(|e| CliError::Failure(e.to_string()))?;
    let outcome = async {
        wait_ready(&client, &base).await?;
        println!(
            "kuajing bench clearance: {} backend, {} parcels per shape, {} in flight, server pid {}",
            store.backend().name(),
            args.parcels,
            args.concurrency,
            server.id()
        );
        let load = Load {
            client: client.clone(),
            base: base.clone(),
            senders: Arc::new(senders),
            concurrency: args.concurrency,
            pid: server.id(),
        };
        let shapes: &[&str] = match args.shape.as_str() {
            "single" => &["single"],
            "batch" => &["batch"],
            _ => &["single", "batch"],
        };
        let modes: &[&str] = match args.trade_mode.as_str() {
            "9610" => &["9610"],
            "1210" => &["1210"],
            _ => &["9610", "1210"],
        };
        let mut first = 1;
        let mut bonded = Vec::new();
        let mut floor_messages = 0;
        for shape in shapes {
            let requests = match *shape {
                "single" => u64::from(args.parcels) * 4,
                _ => u64::from(args.parcels.div_ceil(BATCH)) * 4,
            };
            let mut rates = Vec::new();
            for mode in modes {
                let floor = load.floor(requests).await?;
                let before = store.size_bytes().await?;
                let kept = load.shape(shape, mode, first, args.parcels, Target::StoreFloor).await?;
                let between = store.size_bytes().await?;
                floor_messages += kept.requests;
                let measured = load.shape(shape, mode, first, args.parcels, Target::Clearance).await?;
                let after = store.size_bytes().await?;
                report(shape, mode, &floor, &kept, &measured);
                report_bytes(args.parcels, between - before, after - between);
                rates.push(measured.rate());
                if *mode == "1210" {
                    bonded.push((first, args.parcels));
                }
                first += args.parcels;
            }
            if let [direct, bonded] = rates[..] {
                println!("1210 / 9610 clearances/s: {:.2}", bonded / direct);
            }
        }
        verify(&store, first - 1, &bonded, each * i64::from(BOOK_ITEMS)).await?;
        verify_floor(&store, floor_messages).await
    }
    .await;
    let _ = server.kill();
    let _ = server.wait();
    store.close().await;
    if args.database.is_none() {
        discard_database(&temp, outcome.is_ok());
    }
    outcome
}

/// After a run on the default database: its files are removed when every
/// check passed (a million clearances leave tens of gigabytes), and kept
/// for inspection when one failed; the server's log stays either way.
fn discard_database(dir: &std::path::Path, passed: bool) {
    let database = dir.join("bench.db");
    if passed {
        for suffix in ["", "-wal", "-shm"] {
            let file = PathBuf::from(format!("{}{suffix}", database.display()));
            match std::fs::remove_file(&file) {
                Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                    eprintln!("could not remove {}: {error}", file.display());
                }
                _ => {}
            }
        }
        println!(
            "database removed; the server's log is {}",
            dir.join("server.log").display()
        );
    } else {
        println!(
            "database kept for inspection in {} (the server's log beside it)",
            dir.display()
        );
    }
}

/// A new directory for the default database and the server's log; the
/// log is kept until the machine cleans its temporary files.
fn tempfile_dir() -> Result<PathBuf, CliError> {
    let dir = std::env::temp_dir().join(format!("kuajing-bench-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).map_err(|e| CliError::Failure(e.to_string()))?;
    Ok(dir)
}

/// Files the parcel's four enterprises and issues their tokens.
async fn file_senders(store: &Store) -> Result<Senders, CliError> {
    let operator = Actor::operator();
    let mut tokens_of = Vec::new();
    for (code, roles) in [
        (Parcel::EBP, vec!["ebp"]),
        (Parcel::PAY, vec!["payment"]),
        (Parcel::LOGISTICS, vec!["logistics"]),
        (Parcel::EBC, vec!["ebc", "declarer"]),
    ] {
        let input = OrganisationInput {
            customs_code: code.to_owned(),
            name: format!("压测企业{code}"),
            roles: roles.into_iter().map(str::to_owned).collect(),
            park: Some("珲春综合保税区".to_owned()),
            ..Default::default()
        };
        let new = input.parse(false)?;
        registry::file_organisation(store, &operator, &new).await?;
        let (_, secret) = tokens::issue(store, &operator, code, "bench").await?;
        tokens_of.push(secret);
    }
    let mut it = tokens_of.into_iter();
    let mut next = || it.next().unwrap_or_default();
    Ok(Senders {
        ebp: next(),
        pay: next(),
        logistics: next(),
        ebc: next(),
    })
}

fn free_port() -> Result<u16, CliError> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| CliError::Failure(e.to_string()))?;
    let port = listener
        .local_addr()
        .map_err(|e| CliError::Failure(e.to_string()))?
        .port();
    Ok(port)
}

/// `kuajing serve` on `url`, unsigned lists accepted (the bench measures
/// clearance, not the signer: see the codec bench for verification); its
/// warnings and errors go to `log`.
fn start_server(url: &str, port: u16, log: &std::path::Path) -> Result<Child, CliError> {
    let exe = std::env::current_exe().map_err(|e| CliError::Failure(e.to_string()))?;
    let log = std::fs::File::create(log)
        .map_err(|e| CliError::Failure(format!("cannot create {}: {e}", log.display())))?;
    Command::new(exe)
        .args(["--db", url, "serve", "--addr"])
        .arg(format!("127.0.0.1:{port}"))
        .arg("--allow-unsigned-messages")
        .arg("--bench-store-floor")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| CliError::Failure(format!("cannot start the server: {e}")))
}

async fn wait_ready(client: &reqwest::Client, base: &str) -> Result<(), CliError> {
    for _ in 0..300 {
        if let Ok(response) = client.get(format!("{base}/readyz")).send().await
            && response.status().is_success()
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(CliError::Failure(
        "the server did not become ready in 30 s".to_owned(),
    ))
}

/// Where a run's messages go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// `POST /api/ceb`: the clearance.
    Clearance,
    /// `POST /bench/store-floor`: scanned, hashed, kept, nothing else.
    StoreFloor,
}

impl Target {
    fn path(self) -> &'static str {
        match self {
            Target::Clearance => "/api/ceb",
            Target::StoreFloor => "/bench/store-floor",
        }
    }
}

/// The load generator.
#[derive(Clone)]
struct Load {
    client: reqwest::Client,
    base: String,
    senders: Arc<Senders>,
    concurrency: usize,
    pid: u32,
}

/// What one run measured.
struct Measured {
    requests: u64,
    parcels: u64,
    elapsed: Duration,
    /// Latency of each decision (per parcel).
    latencies: Vec<Duration>,
    /// Server CPU seconds used.
    server_cpu: f64,
    /// Load generator CPU seconds used.
    client_cpu: f64,
    /// Server resident memory at the end, and its peak, KiB.
    rss_kib: (u64, u64),
}

impl Measured {
    /// Completed clearances per second.
    fn rate(&self) -> f64 {
        self.parcels as f64 / self.elapsed.as_secs_f64()
    }
}

impl Load {
    /// `requests` GETs of `/healthz`, the floor.
    async fn floor(&self, requests: u64) -> Result<Measured, CliError> {
        let started = Snapshot::take(self.pid);
        let clock = Instant::now();
        let per = requests.div_ceil(self.concurrency as u64);
        let mut tasks = Vec::new();
        for _ in 0..self.concurrency {
            let load = self.clone();
            tasks.push(tokio::spawn(async move {
                for _ in 0..per {
                    load.client
                        .get(format!("{}/healthz", load.base))
                        .send()
                        .await?
                        .error_for_status()?;
                }
                Ok::<(), reqwest::Error>(())
            }));
        }
        join(tasks).await?;
        Ok(started.measured(
            self.pid,
            clock.elapsed(),
            per * self.concurrency as u64,
            0,
            Vec::new(),
        ))
    }

    /// Parcels `first..first + count` in `shape`, sent to `target`.
    async fn shape(
        &self,
        shape: &str,
        mode: &str,
        first: u32,
        count: u32,
        target: Target,
    ) -> Result<Measured, CliError> {
        let size = if shape == "single" { 1 } else { BATCH };
        let groups: Vec<(u32, u32)> = (0..count.div_ceil(size))
            .map(|g| {
                let start = first + g * size;
                (start, size.min(first + count - start))
            })
            .collect();
        let groups = Arc::new(groups);
        let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let started = Snapshot::take(self.pid);
        let clock = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..self.concurrency {
            let load = self.clone();
            let groups = groups.clone();
            let next = next.clone();
            let mode = mode.to_owned();
            tasks.push(tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut requests = 0u64;
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(&(start, n)) = groups.get(i) else {
                        break;
                    };
                    let latency = load.group(start, n, &mode, target).await?;
                    requests += 4;
                    latencies.extend(std::iter::repeat_n(latency, n as usize));
                }
                Ok::<_, CliError>((requests, latencies))
            }));
        }
        let mut requests = 0;
        let mut latencies = Vec::new();
        for task in tasks {
            let (r, l) = task.await.map_err(|e| CliError::Failure(e.to_string()))??;
            requests += r;
            latencies.extend(l);
        }
        Ok(started.measured(
            self.pid,
            clock.elapsed(),
            requests,
            u64::from(count),
            latencies,
        ))
    }

    /// Sends parcels `start..start + n` as four messages of `n` documents:
    /// order, payment, waybill, then the list; the list message's latency.
    async fn group(
        &self,
        start: u32,
        n: u32,
        mode: &str,
        target: Target,
    ) -> Result<Duration, CliError> {
        let parcels: Vec<Parcel> = (start..start + n).map(|n| parcel(n, mode)).collect();
        let first = &parcels[0];
        let order = Message::Ceb311(CEB311Message {
            order: parcels.iter().flat_map(|p| p.order.order.clone()).collect(),
            ..first.order.clone()
        });
        let payment = Message::Ceb411(CEB411Message {
            payment: parcels
                .iter()
                .flat_map(|p| p.payment.payment.clone())
                .collect(),
            ..first.payment.clone()
        });
        let waybill = Message::Ceb511(CEB511Message {
            logistics: parcels
                .iter()
                .flat_map(|p| p.waybill.logistics.clone())
                .collect(),
            ..first.waybill.clone()
        });
        let list = Message::Ceb621(CEB621Message {
            inventory: parcels
                .iter()
                .flat_map(|p| p.list.inventory.clone())
                .collect(),
            ..first.list.clone()
        });
        self.post(target, &self.senders.ebp, &order).await?;
        self.post(target, &self.senders.pay, &payment).await?;
        self.post(target, &self.senders.logistics, &waybill).await?;
        let clock = Instant::now();
        self.post(target, &self.senders.ebc, &list).await?;
        Ok(clock.elapsed())
    }

    async fn post(&self, target: Target, token: &str, message: &Message) -> Result<(), CliError> {
        let response = self
            .client
            .post(format!("{}{}", self.base, target.path()))
            .bearer_auth(token)
            .header("content-type", "application/xml")
            .body(encode(message))
            .send()
            .await
            .map_err(|e| CliError::Failure(format!("request failed: {e}")))?;
        if !response.status().is_success() {
            let status = response.status();
            let text = response.text().await.unwrap_or_default();
            return Err(CliError::Failure(format!(
                "{} answered {status}: {}",
                message.message_type().code(),
                text.chars().take(500).collect::<String>()
            )));
        }
        Ok(())
    }
}

async fn join(
    tasks: Vec<tokio::task::JoinHandle<Result<(), reqwest::Error>>>,
) -> Result<(), CliError> {
    for task in tasks {
        task.await
            .map_err(|e| CliError::Failure(e.to_string()))?
            .map_err(|e| CliError::Failure(format!("request failed: {e}")))?;
    }
    Ok(())
}

/// CPU times of the server and of this process at one moment.
struct Snapshot {
    server: f64,
    client: f64,
}

impl Snapshot {
    fn take(pid: u32) -> Snapshot {
        Snapshot {
            server: cpu_seconds(&format!("/proc/{pid}/stat")),
            client: cpu_seconds("/proc/self/stat"),
        }
    }

    fn measured(
        &self,
        pid: u32,
        elapsed: Duration,
        requests: u64,
        parcels: u64,
        latencies: Vec<Duration>,
    ) -> Measured {
        let now = Snapshot::take(pid);
        Measured {
            requests,
            parcels,
            elapsed,
            latencies,
            server_cpu: now.server - self.server,
            client_cpu: now.client - self.client,
            rss_kib: resident_kib(pid),
        }
    }
}

/// User + system CPU seconds of a process from its `stat` file (clock
/// ticks of 1/100 s, Linux's USER_HZ); 0 where there is none.
fn cpu_seconds(path: &str) -> f64 {
    let Ok(text) = std::fs::read_to_string(path) else {
        return 0.0;
    };
    // Fields after the command name (which may hold spaces) in parentheses.
    let Some(rest) = text.rsplit_once(')').map(|(_, rest)| rest) else {
        return 0.0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after ")".
    (ticks(11) + ticks(12)) as f64 / 100.0
}

/// VmRSS and VmHWM of a process, KiB.
fn resident_kib(pid: u32) -> (u64, u64) {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn report(shape: &str, mode: &str, floor: &Measured, kept: &Measured, measured: &Measured) {
    let seconds = measured.elapsed.as_secs_f64();
    let floor_rate = floor.requests as f64 / floor.elapsed.as_secs_f64();
    let rate = measured.requests as f64 / seconds;
    let clearances = measured.rate();
    let mut latencies = measured.latencies.clone();
    latencies.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let label = if shape == "single" {
        "one document per message"
    } else {
        "100 documents per message"
    };
    println!();
    println!("== {label}, {mode} ==");
    println!(
        "floor: {} GET /healthz in {:.2} s = {floor_rate:.0} req/s",
        floor.requests,
        floor.elapsed.as_secs_f64()
    );
    let mut kept_latencies = kept.latencies.clone();
    kept_latencies.sort_unstable();
    println!(
        "store floor: the same {} messages scanned, hashed and kept in {:.2} s = {:.0} parcels/s, {:.0} messages/s; last message p99 {:.2} ms",
        kept.requests,
        kept.elapsed.as_secs_f64(),
        kept.rate(),
        kept.requests as f64 / kept.elapsed.as_secs_f64(),
        ms(percentile(&kept_latencies, 99.0))
    );
    println!(
        "clearance: {} parcels ({} messages) in {seconds:.2} s = {clearances:.0} clearances/s, {rate:.0} messages/s ({:.3} of the /healthz floor's request rate, {:.1} % of the store floor)",
        measured.parcels,
        measured.requests,
        rate / floor_rate,
        100.0 * clearances / kept.rate()
    );
    println!(
        "decision latency (last document's message): p50 {:.2} ms, p99 {:.2} ms, p999 {:.2} ms, max {:.2} ms",
        ms(percentile(&latencies, 50.0)),
        ms(percentile(&latencies, 99.0)),
        ms(percentile(&latencies, 99.9)),
        ms(latencies.last().copied().unwrap_or_default())
    );
    println!(
        "cpu: server {:.2} cores, load generator {:.2} cores; server resident memory {} MiB (peak {} MiB)",
        measured.server_cpu / seconds,
        measured.client_cpu / seconds,
        measured.rss_kib.0 / 1024,
        measured.rss_kib.1 / 1024
    );
}

/// What a parcel cost the database: its growth over the store floor's run
/// and over the clearance's, per parcel (pages the engine took, indexes
/// and free space included).
fn report_bytes(parcels: u32, floor: i64, clearance: i64) {
    let per = |bytes: i64| bytes as f64 / f64::from(parcels.max(1));
    println!(
        "bytes per parcel: store floor {:.0} B, clearance {:.0} B (the database grew {:.1} MiB and {:.1} MiB)",
        per(floor),
        per(clearance),
        floor as f64 / 1_048_576.0,
        clearance as f64 / 1_048_576.0
    );
}

/// Every parcel sent was decided as its kind says, and the bonded account
/// book (`entered` jars in all) lost two jars per released 1210 list
/// (`bonded`: the ranges of parcel numbers sent as 1210), holds nothing,
/// and has every line the sum of its ledger.
async fn verify(
    store: &Store,
    last: u32,
    bonded: &[(u32, u32)],
    entered: i64,
) -> Result<(), CliError> {
    let mut conn = store.reader().await?;
    let counts = kuajing_store::ceb_documents::status_counts(&mut conn).await?;
    let lists = |status: &str| {
        counts
            .iter()
            .filter(|(kind, s, _)| *kind == kuajing_store::ceb_documents::Kind::List && s == status)
            .map(|(_, _, n)| *n)
            .sum::<i64>()
    };
    let clean = (1..=last).filter(|n| kind_of(*n) == Kind::Clean).count() as i64;
    let (released, refused) = (lists("800"), lists("100"));
    println!();
    println!(
        "check: {released} lists released (expected {clean}), {refused} refused (expected {}), {} waiting",
        i64::from(last) - clean,
        lists("2")
    );
    if released != clean || refused != i64::from(last) - clean {
        return Err(CliError::Failure(
            "the decisions do not match the parcels sent".to_owned(),
        ));
    }
    let scale = kuajing_store::ems_books::UNIT_SCALE;
    let lines = kuajing_store::ems_books::lines_of(&mut conn, Parcel::BOOK).await?;
    let stock: i64 = lines.iter().map(|l| l.stock).sum();
    let held: i64 = lines.iter().map(|l| l.reserved).sum();
    let taken = bonded
        .iter()
        .flat_map(|(first, count)| *first..*first + *count)
        .filter(|n| kind_of(*n) == Kind::Clean)
        .count() as i64
        * 2;
    let entered = entered.saturating_mul(scale);
    let differences = kuajing_store::ems_books::ledger_differences(&mut conn).await?;
    println!(
        "check: book {} ({} lines): {} jars taken by released 1210 lists (expected {taken}), {} held, {} lines differing from their ledger",
        Parcel::BOOK,
        lines.len(),
        (entered - stock) / scale,
        held / scale,
        differences.len()
    );
    if entered - stock != taken * scale || held != 0 || !differences.is_empty() {
        return Err(CliError::Failure(format!(
            "the account book does not match the releases: {differences:?}"
        )));
    }
    Ok(())
}

/// Every message sent to the store's floor was kept: one row each.
async fn verify_floor(store: &Store, sent: u64) -> Result<(), CliError> {
    let mut conn = store.reader().await?;
    let kept = kuajing_store::store_floor::count(&mut conn).await?;
    println!("check: {kept} messages kept by the store floor (expected {sent})");
    if u64::try_from(kept).ok() != Some(sent) {
        return Err(CliError::Failure(
            "the store floor did not keep every message it answered".to_owned(),
        ));
    }
    Ok(())
}
