//! The command line (clap): parsing, the subcommands, exit codes.

use std::io::{BufRead, Write};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use kuajing_exchange::ClearanceSettings;
use kuajing_reference::ReferenceKind;
use kuajing_registry::actor::Actor;
use kuajing_registry::auth::password::{Hashing, HashingSettings};
use kuajing_registry::auth::tokens;
use kuajing_registry::organisations::{self as registry, OrganisationInput, UserInput};
use kuajing_registry::reference_data;
use kuajing_server::connections::ConnectionLimits;
use kuajing_server::{AppState, CookieSecurity, MetricsToken, ServerConfig};
use kuajing_store::Store;

use crate::demo;
use crate::error::CliError;

/// Kuajing (跨境): the single window of a cross-border e-commerce
/// comprehensive pilot zone.
#[derive(Debug, Parser)]
#[command(name = "kuajing", version, about, long_about = None)]
pub struct Cli {
    /// Database URL: sqlite://PATH (embedded, the default) or postgres://USER@HOST/DB.
    #[arg(
        long,
        global = true,
        env = "KUAJING_DB",
        default_value = "sqlite://kuajing.db"
    )]
    pub db: String,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the platform: JSON API, web portal, health and metrics.
    Serve(ServeArgs),
    /// Bring the database to the current schema.
    Migrate,
    /// File organisations (enterprises and agencies).
    #[command(subcommand)]
    Enterprise(EnterpriseCommand),
    /// Manage API tokens for system-to-system calls.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Manage people who sign in to the portal.
    #[command(subcommand)]
    User(UserCommand),
    /// Reference data: the tariff table and the customs code lists.
    #[command(subcommand)]
    Reference(ReferenceCommand),
    /// Customs CEB messages: validate, convert, examples, sign, verify, wrap for the e-port.
    #[command(subcommand)]
    Ceb(crate::ceb::CebCommand),
    /// Benchmarks of a running platform.
    #[command(subcommand)]
    Bench(BenchCommand),
}

/// `kuajing bench …`.
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Drive a `kuajing serve` started on an empty database with generated
    /// parcels (one and 100 documents per message) and report clearances
    /// per second, decision latency, CPU and memory beside the floor.
    Clearance(crate::bench::ClearanceBenchArgs),
}

/// `kuajing reference …`.
#[derive(Debug, Subcommand)]
pub enum ReferenceCommand {
    /// Import a table from CSV: adds or updates the rows in the file (never
    /// deletes), all or nothing; every bad row is reported with its line.
    ///
    /// KIND is tariff, country, currency, unit, customs or division. The
    /// tariff CSV has exactly the columns hs_code,name_zh,unit1,unit2,vat_rate,
    /// ct_kind,ct_ad_valorem_rate,ct_specific_amount,ct_specific_unit,
    /// mfn_duty_rate,positive_list,positive_list_remark; country takes
    /// code,name_zh,iso_alpha2; currency code,name_zh,iso_alpha3; the others
    /// code,name_zh. A code list may add name_en,name_ru after those columns
    /// (the portal then names its codes in English and Russian).
    Import {
        /// Which table.
        kind: String,
        /// The CSV file (UTF-8, header row).
        file: std::path::PathBuf,
        /// In force from this date or instant (default: now), e.g. 2027-01-01.
        #[arg(long)]
        effective_from: Option<String>,
    },
    /// List the versions imported.
    Versions {
        /// Only this table.
        kind: Option<String>,
    },
}

/// `kuajing serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "KUAJING_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Load the demo data set into an empty database and print the demo sign-ins.
    #[arg(long)]
    pub demo: bool,
    /// Largest request body accepted, in bytes.
    #[arg(long, env = "KUAJING_BODY_LIMIT", default_value_t = ServerConfig::default().body_limit)]
    pub body_limit: usize,
    /// Seconds a request may take before it is answered with 408.
    #[arg(long, env = "KUAJING_REQUEST_TIMEOUT", default_value_t = 30)]
    pub request_timeout: u64,
    /// Minutes of inactivity after which a web session lapses.
    #[arg(long, env = "KUAJING_SESSION_MINUTES", default_value_t = 30)]
    pub session_minutes: u64,
    /// Always mark cookies Secure (behind TLS). By default they are Secure
    /// unless --addr is a loopback address and --trust-forwarded-for is off
    /// (the plain-HTTP quick start); the request's Host header plays no part.
    #[arg(long, env = "KUAJING_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// A bearer token that lets a scraper read /metrics from anywhere
    /// (`Authorization: Bearer TOKEN`). Without it only direct connections
    /// from this host may. Prefer the environment variable: a flag shows in
    /// the process list.
    #[arg(long, env = "KUAJING_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// Take client addresses from X-Forwarded-For (only behind a trusted proxy).
    #[arg(long, env = "KUAJING_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,
    /// Accept CEB621/623/625/711 without a verified signature: sandboxes
    /// only (the log warns and every portal page says so).
    #[arg(long, env = "KUAJING_ALLOW_UNSIGNED_MESSAGES")]
    pub allow_unsigned_messages: bool,
    /// Mount `POST /bench/store-floor` and create its table: the store's
    /// floor `kuajing bench clearance` measures the intake against. For the
    /// bench's own database only.
    #[arg(long)]
    pub bench_store_floor: bool,
    /// How the risk rules act: `enforce` (a hit sends the list to an
    /// officer) or `monitor` (every rule evaluated and recorded, none holds
    /// a list).
    #[arg(long, env = "KUAJING_RISK_MODE", value_enum, default_value_t = RiskMode::Enforce)]
    pub risk_mode: RiskMode,
    /// Returned goods come back into a bonded book sellable at once instead
    /// of waiting for inspection (待检) in quarantine.
    #[arg(long, env = "KUAJING_RETURNS_SELLABLE_AT_ONCE")]
    pub returns_sellable_at_once: bool,
    /// Seconds a running bulk job's heartbeat may be silent before the job
    /// is taken to have lost its server and is failed as interrupted (its
    /// server writes the heartbeat at least every quarter of this).
    #[arg(long, env = "KUAJING_BULK_JOB_LEASE", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    pub bulk_job_lease: u64,
    /// Let webhooks go to internal addresses (loopback, private networks,
    /// link-local, …) and over plain http: for tests and closed networks
    /// only. By default a webhook target must be a public https address,
    /// checked at subscription and at every delivery.
    #[arg(long, env = "KUAJING_WEBHOOKS_ALLOW_PRIVATE")]
    pub webhooks_allow_private: bool,
    /// Connections open at once, in total; more are answered 503 at once.
    /// Lowered to fit the process's limit on open files (raised to its
    /// hard maximum at start), with a warning.
    #[arg(long, env = "KUAJING_MAX_CONNECTIONS", default_value_t = ConnectionLimits::default().max_total)]
    pub max_connections: usize,
    /// Connections open at once from one client address; more are answered
    /// 503 at once. Not applied with --trust-forwarded-for (the proxy's
    /// address is every client's; the proxy limits its clients).
    #[arg(long, env = "KUAJING_MAX_CONNECTIONS_PER_ADDRESS", default_value_t = ConnectionLimits::default().max_per_address)]
    pub max_connections_per_address: usize,
    /// Seconds a connection may take to send a complete request head,
    /// counted from when it opens or its previous answer was sent: cuts off
    /// slow clients and closes idle keep-alive connections.
    #[arg(long, env = "KUAJING_HEADER_READ_TIMEOUT", default_value_t = ConnectionLimits::default().header_read_timeout.as_secs())]
    pub header_read_timeout: u64,
    /// Password hashes (Argon2id, 19 MiB each) computed at once, off the
    /// request threads [default: the number of cores].
    #[arg(long, env = "KUAJING_PASSWORD_HASHES")]
    pub password_hashes: Option<usize>,
    /// Password hashes that may wait for one of those; a sign-in beyond is
    /// answered 503 with Retry-After at once [default: 8 per core].
    #[arg(long, env = "KUAJING_PASSWORD_HASH_QUEUE")]
    pub password_hash_queue: Option<usize>,
}

/// `--risk-mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RiskMode {
    /// Hits send lists to an officer.
    Enforce,
    /// Hits are recorded only.
    Monitor,
}

/// `kuajing enterprise …`.
#[derive(Debug, Subcommand)]
pub enum EnterpriseCommand {
    /// File and approve an organisation (the operator's bootstrap).
    Add(EnterpriseAddArgs),
    /// Signing certificates of an enterprise.
    #[command(subcommand)]
    Cert(CertCommand),
}

/// `kuajing enterprise cert …`.
#[derive(Debug, Subcommand)]
pub enum CertCommand {
    /// Register a signing certificate (PEM, SM2 or RSA): the enterprise's
    /// signed messages (CEB621/623/625/711) verify only with a registered one.
    Add {
        /// Customs code of the enterprise.
        #[arg(long)]
        enterprise: String,
        /// The certificate, a PEM file.
        #[arg(long)]
        cert: std::path::PathBuf,
    },
}

/// `kuajing enterprise add`.
#[derive(Debug, Args)]
pub struct EnterpriseAddArgs {
    /// Customs registration code (海关注册编码), 10 characters.
    #[arg(long)]
    pub code: String,
    /// Name in Chinese.
    #[arg(long)]
    pub name: String,
    /// Unified social credit code, 18 characters.
    #[arg(long)]
    pub uscc: Option<String>,
    /// Roles, comma-separated: ebp, ebc, payment, logistics, declarer,
    /// warehouse, border-trader; customs, tax, forex, commerce,
    /// market-regulation, post, transport, bank, insurance, zone-admin.
    #[arg(long, value_delimiter = ',', required = true)]
    pub roles: Vec<String>,
    /// Name in English.
    #[arg(long)]
    pub name_en: Option<String>,
    /// Park or area of the zone.
    #[arg(long)]
    pub park: Option<String>,
}

/// `kuajing token …`.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Issue a token; prints it alone on one line (it is stored only as a hash).
    Issue {
        /// Customs code of the organisation the token acts for.
        #[arg(long)]
        enterprise: String,
        /// What the token is for.
        #[arg(long, default_value = "issued by the operator")]
        label: String,
    },
    /// List tokens (never their secrets).
    List {
        /// Only this organisation's tokens.
        #[arg(long)]
        enterprise: Option<String>,
    },
    /// Revoke a token by id.
    Revoke {
        /// The token's id (see `token list`).
        #[arg(long)]
        id: String,
    },
}

/// `kuajing user …`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user; the password is read from standard input.
    Add {
        /// Customs code of the organisation the user acts for.
        #[arg(long)]
        enterprise: String,
        /// Sign-in name.
        #[arg(long)]
        login: String,
        /// Read the password from the first line of standard input.
        #[arg(long, required = true)]
        password_stdin: bool,
        /// The person's name (default: the login).
        #[arg(long)]
        name: Option<String>,
    },
}

/// Parses the command line, runs it, and maps the outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("kuajing: cannot start the async runtime: {error}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::Input(message)) => {
            eprintln!("kuajing: {message}");
            ExitCode::from(2)
        }
        Err(CliError::Failure(message)) => {
            eprintln!("kuajing: {message}");
            ExitCode::from(1)
        }
    }
}

/// Runs one parsed command.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Serve(args) => serve(&cli.db, args).await,
        Command::Bench(BenchCommand::Clearance(args)) => crate::bench::run(&args).await,
        Command::Migrate => {
            let store = open(&cli.db).await?;
            let applied = kuajing_server::prepare(&store).await?;
            let version = store.latest_version();
            if applied.is_empty() {
                println!("schema already at version {version}");
            } else {
                println!("applied migrations {applied:?}; schema at version {version}");
            }
            Ok(())
        }
        Command::Enterprise(EnterpriseCommand::Add(args)) => {
            let store = migrated(&cli.db).await?;
            let input = OrganisationInput {
                customs_code: args.code,
                name: args.name,
                name_en: args.name_en,
                uscc: args.uscc,
                roles: args.roles,
                park: args.park,
                ..Default::default()
            };
            let new = input.parse(false)?;
            let org = registry::file_organisation(&store, &Actor::operator(), &new).await?;
            println!(
                "filed and approved {} {} ({})",
                org.customs_code, org.name, org.roles
            );
            Ok(())
        }
        Command::Enterprise(EnterpriseCommand::Cert(CertCommand::Add { enterprise, cert })) => {
            let pem = std::fs::read(&cert)
                .map_err(|e| CliError::Input(format!("cannot read {}: {e}", cert.display())))?;
            let store = migrated(&cli.db).await?;
            let registered =
                registry::register_certificate(&store, &Actor::operator(), &enterprise, &pem)
                    .await?;
            println!(
                "registered certificate {} ({}, {}, valid until {}) for {}",
                registered.serial,
                registered.subject,
                registered.algorithm,
                registered.not_after,
                registered.organisation_code
            );
            Ok(())
        }
        Command::Token(command) => token(&cli.db, command).await,
        Command::Reference(command) => reference(&cli.db, command).await,
        Command::Ceb(command) => crate::ceb::run(command),
        Command::User(UserCommand::Add {
            enterprise,
            login,
            password_stdin: _,
            name,
        }) => {
            let password = read_password()?;
            let store = migrated(&cli.db).await?;
            let input = UserInput {
                display_name: name.unwrap_or_else(|| login.clone()),
                login,
                password,
            };
            let passwords = Hashing::new(HashingSettings::default());
            let user =
                registry::add_user(&store, &passwords, &Actor::operator(), &enterprise, &input)
                    .await?;
            println!("created user {} for {}", user.login, user.organisation_code);
            Ok(())
        }
    }
}

async fn token(db: &str, command: TokenCommand) -> Result<(), CliError> {
    let store = migrated(db).await?;
    let operator = Actor::operator();
    match command {
        TokenCommand::Issue { enterprise, label } => {
            let (_, secret) = tokens::issue(&store, &operator, &enterprise, &label).await?;
            // Alone on one line, so scripts can capture it.
            println!("{secret}");
        }
        TokenCommand::List { enterprise } => {
            let list = tokens::list(&store, &operator, enterprise.as_deref()).await?;
            let mut out = std::io::stdout().lock();
            for t in list {
                let state = t
                    .revoked_at
                    .map_or_else(|| "live".to_owned(), |at| format!("revoked {at}"));
                let _ = writeln!(
                    out,
                    "{}\t{}\t{}…\t{}\t{}\t{}",
                    t.id, t.organisation_code, t.prefix, t.created_at, state, t.label
                );
            }
        }
        TokenCommand::Revoke { id } => {
            let token = tokens::revoke(&store, &operator, &id).await?;
            println!(
                "revoked {} ({}…) of {}",
                token.id, token.prefix, token.organisation_code
            );
        }
    }
    Ok(())
}

async fn reference(db: &str, command: ReferenceCommand) -> Result<(), CliError> {
    let store = migrated(db).await?;
    match command {
        ReferenceCommand::Import {
            kind,
            file,
            effective_from,
        } => {
            let kind: ReferenceKind = kind
                .parse()
                .map_err(|e: kuajing_reference::UnknownKind| CliError::Input(e.to_string()))?;
            let effective_from = effective_from
                .map(|text| {
                    text.parse()
                        .map_err(|e: kuajing_core::timestamp::TimestampError| {
                            CliError::Input(format!("--effective-from: {e}"))
                        })
                })
                .transpose()?;
            let bytes = std::fs::read(&file)
                .map_err(|e| CliError::Input(format!("cannot read {}: {e}", file.display())))?;
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
            match reference_data::import(
                &store,
                &Actor::operator(),
                kind,
                &bytes,
                name.as_deref(),
                effective_from,
            )
            .await
            {
                Ok(version) => {
                    println!(
                        "imported {} version {} in force from {}: {} added, {} updated, {} unchanged",
                        kind,
                        version.version.version_no,
                        version.version.effective_from,
                        version.rows_added,
                        version.rows_updated,
                        version.rows_unchanged
                    );
                    Ok(())
                }
                Err(refusal) => {
                    let mut out = std::io::stderr().lock();
                    for row in &refusal.rows {
                        let _ = writeln!(
                            out,
                            "line {}: {} = '{}': {} ({}) / {}",
                            row.line,
                            row.field,
                            row.value,
                            row.message_en,
                            row.rule,
                            row.message_zh
                        );
                    }
                    Err(CliError::from(refusal.error))
                }
            }
        }
        ReferenceCommand::Versions { kind } => {
            let kind = kind
                .map(|k| {
                    k.parse::<ReferenceKind>()
                        .map_err(|e| CliError::Input(e.to_string()))
                })
                .transpose()?;
            let mut conn = store.reader().await?;
            for v in kuajing_store::reference::versions(&mut conn, kind).await? {
                println!(
                    "{}\t{}\tv{}\tfrom {}\t{} added, {} updated, {} unchanged\t{}\t{}",
                    v.version.id,
                    v.kind,
                    v.version.version_no,
                    v.version.effective_from,
                    v.rows_added,
                    v.rows_updated,
                    v.rows_unchanged,
                    v.imported_by,
                    v.file_name.unwrap_or_default()
                );
            }
            Ok(())
        }
    }
}

/// The first line of standard input, without its line ending.
fn read_password() -> Result<String, CliError> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| {
        CliError::Failure(format!("cannot read the password from standard input: {e}"))
    })?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        return Err(CliError::Input("no password on standard input".to_owned()));
    }
    Ok(password)
}

async fn open(db: &str) -> Result<Store, CliError> {
    Store::connect(db).await.map_err(|e| match e {
        kuajing_store::StoreError::UnsupportedUrl(_) => CliError::Input(e.to_string()),
        // Full, read-only or unopenable: said at once, in both languages.
        kuajing_store::StoreError::Storage { fault, detail } => CliError::Failure(format!(
            "cannot use the database: {} / 无法使用数据库：{} ({detail})",
            fault.describe_en(),
            fault.describe_zh()
        )),
        other => CliError::Failure(format!("cannot open the database: {other}")),
    })
}

async fn migrated(db: &str) -> Result<Store, CliError> {
    let store = open(db).await?;
    kuajing_server::prepare(&store).await?;
    Ok(store)
}

async fn serve(db: &str, args: ServeArgs) -> Result<(), CliError> {
    init_tracing();
    let metrics_token = metrics_token(args.metrics_token.as_deref())?;
    let store = migrated(db).await?;
    if args.demo {
        match demo::load(&store).await {
            Ok(loaded) => print_demo_sign_ins(&loaded),
            Err(demo::DemoError::NotEmpty) => {
                return Err(CliError::Input(demo::DemoError::NotEmpty.to_string()));
            }
            Err(other) => return Err(CliError::Failure(other.to_string())),
        }
    }
    let config = ServerConfig {
        addr: args.addr,
        body_limit: args.body_limit,
        request_timeout: Duration::from_secs(args.request_timeout),
        session_idle: Duration::from_secs(args.session_minutes * 60),
        cookie_security: if args.secure_cookies {
            CookieSecurity::Always
        } else {
            CookieSecurity::Auto
        },
        trust_forwarded_for: args.trust_forwarded_for,
        metrics_token,
        bulk_job_lease: Duration::from_secs(args.bulk_job_lease),
        webhooks: kuajing_registry::webhooks::DispatchSettings {
            allow_private_targets: args.webhooks_allow_private,
            ..Default::default()
        },
        clearance: clearance_settings(&args),
        password_hashing: password_hashing(&args),
        connections: connection_limits(&args),
        bench_store_floor: args.bench_store_floor,
        ..ServerConfig::default()
    };
    if !config.secure_cookies() {
        tracing::info!(
            addr = %config.addr,
            "cookies are not marked Secure: listening on a loopback address without a proxy (the plain-HTTP quick start); pass --secure-cookies behind TLS"
        );
    }
    if args.webhooks_allow_private {
        tracing::warn!(
            "--webhooks-allow-private: webhooks may go to loopback, private and link-local addresses and over plain http; for tests and closed networks only"
        );
    }
    if args.allow_unsigned_messages {
        tracing::warn!(
            "--allow-unsigned-messages: signed CEB messages (621/623/625/711) are accepted without verification; a sandbox setting, never for production"
        );
    }
    if args.bench_store_floor {
        kuajing_store::store_floor::create_table(&store).await?;
        tracing::warn!(
            "--bench-store-floor: POST /bench/store-floor keeps whatever a signed-in caller sends; for the bench's own database only"
        );
    }
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| CliError::Failure(format!("cannot listen on {}: {e}", config.addr)))?;
    let local = listener
        .local_addr()
        .map_err(|e| CliError::Failure(e.to_string()))?;
    let is_demo = demo::is_loaded(&store).await?;
    let state = AppState::new(store.clone(), config, is_demo);
    println!(
        "Kuajing is serving http://{local}/ ({} database)",
        store.backend().name()
    );
    let _ = std::io::stdout().flush();
    tracing::info!(%local, backend = store.backend().name(), "listening");
    kuajing_server::serve(listener, state, shutdown_signal())
        .await
        .map_err(|e| CliError::Failure(format!("server failed: {e}")))?;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Descriptors kept for everything but client connections: the database
/// pools and files, webhook deliveries, logs.
const DESCRIPTORS_KEPT: u64 = 256;

/// The connection limits `serve`'s flags choose, the total lowered to fit
/// the process's limit on open files (first raised as far as allowed).
fn connection_limits(args: &ServeArgs) -> ConnectionLimits {
    let mut limits = ConnectionLimits {
        max_total: args.max_connections,
        max_per_address: args.max_connections_per_address,
        header_read_timeout: Duration::from_secs(args.header_read_timeout),
    };
    if let Some(open_files) = crate::descriptors::raise_limit() {
        let room =
            usize::try_from(open_files.saturating_sub(DESCRIPTORS_KEPT)).unwrap_or(usize::MAX);
        if limits.max_total > room {
            tracing::warn!(
                open_files,
                asked = limits.max_total,
                allowed = room,
                "--max-connections lowered to fit the limit on open files"
            );
            limits.max_total = room.max(1);
        }
    }
    limits
}

/// The bound on password work `serve`'s flags choose.
fn password_hashing(args: &ServeArgs) -> HashingSettings {
    let defaults = HashingSettings::default();
    HashingSettings {
        concurrent: args.password_hashes.unwrap_or(defaults.concurrent),
        queue: args.password_hash_queue.unwrap_or(defaults.queue),
    }
}

/// The metrics token `--metrics-token` gives: at least 16 characters, so
/// that a short word cannot open `/metrics` to the network.
fn metrics_token(given: Option<&str>) -> Result<Option<MetricsToken>, CliError> {
    match given.map(str::trim) {
        None | Some("") => Ok(None),
        Some(token) if token.chars().count() >= 16 && !token.contains(char::is_whitespace) => {
            Ok(Some(MetricsToken(token.to_owned())))
        }
        Some(_) => Err(CliError::Input(
            "--metrics-token (KUAJING_METRICS_TOKEN) must be at least 16 characters without spaces"
                .to_owned(),
        )),
    }
}

/// The clearance settings `serve`'s flags choose.
fn clearance_settings(args: &ServeArgs) -> ClearanceSettings {
    let defaults = ClearanceSettings::default();
    ClearanceSettings {
        allow_unsigned_messages: args.allow_unsigned_messages,
        returns_quarantined: !args.returns_sellable_at_once,
        risk: match args.risk_mode {
            RiskMode::Enforce => defaults.risk.clone(),
            RiskMode::Monitor => defaults.risk.clone().all_monitoring(),
        },
        ..defaults
    }
}

fn print_demo_sign_ins(loaded: &demo::Loaded) {
    match loaded {
        demo::Loaded::Fresh {
            organisations,
            users,
        } => {
            println!(
                "Loaded the demo data set: {organisations} organisations, {users} users (all fictitious)."
            );
        }
        demo::Loaded::AlreadyThere => println!("The demo data set is already loaded."),
    }
    println!("Demo sign-ins (password for all: {}):", demo::DEMO_PASSWORD);
    for user in demo::USERS {
        println!(
            "  {:<18} {} / {} — {}",
            user.login,
            user.role.label_zh(),
            user.role.label_en(),
            user.display_name
        );
    }
}

/// Resolves on SIGTERM or Ctrl-C; the server then finishes what is in flight.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// Logs to standard error; `RUST_LOG` sets the level (default `info`),
/// `KUAJING_LOG_FORMAT=json` gives JSON lines for log collectors.
fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if std::env::var("KUAJING_LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
