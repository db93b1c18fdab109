//! What every handler shares: the store, the clearance engine, the
//! settings, the sign-in throttle and the metrics recorder.

use std::sync::{Arc, OnceLock};

use kuajing_store::Store;
use metrics_exporter_prometheus::PrometheusHandle;

use crate::clearance::intake::Reply;
use crate::config::ServerConfig;
use kuajing_exchange::committer::Committer;
use kuajing_exchange::gate::Gate;
use kuajing_import::engine::{BuiltInEngine, ClearanceEngine};
use kuajing_registry::auth::password::Hashing;
use kuajing_registry::auth::throttle::SignInThrottle;

/// Shared state, cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    store: Store,
    engine: Box<dyn ClearanceEngine>,
    gate: Gate,
    committer: OnceLock<Committer<Reply>>,
    config: ServerConfig,
    throttle: SignInThrottle,
    passwords: Hashing,
    metrics: PrometheusHandle,
    demo: bool,
}

impl AppState {
    /// Builds the state. `demo` marks a database holding the demo data set,
    /// which every page then says.
    pub fn new(store: Store, config: ServerConfig, demo: bool) -> Self {
        let throttle = SignInThrottle::new(config.sign_in_burst, config.sign_in_refill);
        let engine = Box::new(BuiltInEngine::new(
            config.clearance.rules,
            config.clearance.risk.clone(),
        ));
        let gate = Gate::new(config.clearance.gate);
        let passwords = Hashing::new(config.password_hashing);
        AppState(Arc::new(Inner {
            store,
            engine,
            gate,
            committer: OnceLock::new(),
            config,
            throttle,
            passwords,
            metrics: crate::metrics::handle(),
            demo,
        }))
    }

    /// The database.
    pub fn store(&self) -> &Store {
        &self.0.store
    }

    /// The clearance engine that decides declaration lists.
    pub fn engine(&self) -> &dyn ClearanceEngine {
        self.0.engine.as_ref()
    }

    /// The group committer of the intake (its writer tasks start with the
    /// first message).
    pub fn committer(&self) -> &Committer<Reply> {
        self.0
            .committer
            .get_or_init(|| Committer::start(self.0.store.clone()))
    }

    /// The intake's bound on work.
    pub fn gate(&self) -> &Gate {
        &self.0.gate
    }

    /// The settings.
    pub fn config(&self) -> &ServerConfig {
        &self.0.config
    }

    /// The per-address sign-in throttle.
    pub fn throttle(&self) -> &SignInThrottle {
        &self.0.throttle
    }

    /// The bound on password work (Argon2 off the request threads).
    pub fn passwords(&self) -> &Hashing {
        &self.0.passwords
    }

    /// What signing in needs: the store, the throttle, the bound on
    /// password work, and the lockout and session settings.
    pub fn sign_in_gate(&self) -> kuajing_registry::auth::sign_in::Gate<'_> {
        let config = &self.0.config;
        kuajing_registry::auth::sign_in::Gate {
            store: &self.0.store,
            throttle: &self.0.throttle,
            passwords: &self.0.passwords,
            lockout_threshold: config.lockout_threshold,
            lockout_duration: config.lockout_duration,
            session_idle: config.session_idle,
        }
    }

    /// The Prometheus recorder's handle.
    pub fn metrics(&self) -> &PrometheusHandle {
        &self.0.metrics
    }

    /// Whether the database holds the demo data set.
    pub fn demo(&self) -> bool {
        self.0.demo
    }
}
