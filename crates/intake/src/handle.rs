//! The intake's handle: what receiving a message needs, cheap to clone.

use std::sync::{Arc, OnceLock};

use kuajing_exchange::ClearanceSettings;
use kuajing_exchange::committer::Committer;
use kuajing_exchange::gate::Gate;
use kuajing_exchange::reference_cache::ReferenceCache;
use kuajing_import::engine::{BuiltInEngine, ClearanceEngine};
use kuajing_store::Store;

use crate::reply::Reply;

/// What the intake needs: the database, the engine that decides import
/// lists, the bound on messages in flight, the group committer (its writer
/// tasks start with the first message), the clearance settings and the
/// cache of rarely-changing lookups its messages share. Cheap
/// to clone (one shared value).
#[derive(Clone)]
pub struct Intake(Arc<Inner>);

struct Inner {
    store: Store,
    engine: Box<dyn ClearanceEngine>,
    gate: Gate,
    committer: OnceLock<Committer<Reply>>,
    settings: ClearanceSettings,
    reference: Arc<ReferenceCache>,
}

impl Intake {
    /// The intake of `store` under `settings`, deciding import lists with
    /// the built-in engine.
    pub fn new(store: Store, settings: ClearanceSettings) -> Intake {
        let engine = Box::new(BuiltInEngine::new(settings.rules, settings.risk.clone()));
        let gate = Gate::new(settings.gate);
        Intake(Arc::new(Inner {
            store,
            engine,
            gate,
            committer: OnceLock::new(),
            settings,
            reference: Arc::new(ReferenceCache::new()),
        }))
    }

    /// The database.
    pub fn store(&self) -> &Store {
        &self.0.store
    }

    /// The engine that decides import lists.
    pub fn engine(&self) -> &dyn ClearanceEngine {
        self.0.engine.as_ref()
    }

    /// The bound on messages in flight.
    pub fn gate(&self) -> &Gate {
        &self.0.gate
    }

    /// The group committer (started with the first message).
    pub fn committer(&self) -> &Committer<Reply> {
        self.0
            .committer
            .get_or_init(|| Committer::start(self.0.store.clone()))
    }

    /// The clearance settings.
    pub fn settings(&self) -> &ClearanceSettings {
        &self.0.settings
    }

    /// The cache of what lists look up that changes rarely, shared by the
    /// intake's messages (`kuajing_exchange::reference_cache`).
    pub fn reference_cache(&self) -> &Arc<ReferenceCache> {
        &self.0.reference
    }
}
