//! What every handler shares: the store, the CEB intake (with the engine,
//! the bound on work and the group committer), the settings, the sign-in
//! throttle, the bound on password work and the metrics recorder.

use std::sync::Arc;

use kuajing_import::engine::ClearanceEngine;
use kuajing_intake::Intake;
use kuajing_store::Store;
use metrics_exporter_prometheus::PrometheusHandle;

use crate::config::ServerConfig;
use kuajing_registry::auth::password::Hashing;
use kuajing_registry::auth::throttle::SignInThrottle;

/// Shared state, cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    store: Store,
    intake: Intake,
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
        let intake = Intake::new(store.clone(), config.clearance.clone());
        let passwords = Hashing::new(config.password_hashing);
        AppState(Arc::new(Inner {
            store,
            intake,
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

    /// The CEB intake (`POST /api/ceb`) and what it holds.
    pub fn intake(&self) -> &Intake {
        &self.0.intake
    }

    /// The clearance engine that decides import lists.
    pub fn engine(&self) -> &dyn ClearanceEngine {
        self.0.intake.engine()
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
