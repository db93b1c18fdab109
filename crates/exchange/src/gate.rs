//! The intake's bound on work (issue #5, "overload gives 429/503 with
//! Retry-After, never a crash or an unbounded queue"): at most
//! `in_flight` messages are processed at once and at most `queue` more
//! wait; a message beyond that is answered 503 with `Retry-After` at once,
//! before anything is read or kept, so the sender simply sends it again.

use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::{Semaphore, SemaphorePermit};

use kuajing_registry::error::{Error, Result};

/// How many messages the intake takes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GateSettings {
    /// Processed at once.
    pub in_flight: usize,
    /// Waiting beyond those.
    pub queue: usize,
    /// Seconds a refused sender is asked to wait.
    pub retry_after_secs: u64,
}

impl Default for GateSettings {
    fn default() -> Self {
        GateSettings {
            in_flight: 32,
            queue: 512,
            retry_after_secs: 1,
        }
    }
}

/// The gate itself.
#[derive(Debug)]
pub struct Gate {
    permits: Semaphore,
    waiting: AtomicUsize,
    settings: GateSettings,
}

impl Gate {
    /// A gate with these settings.
    pub fn new(settings: GateSettings) -> Gate {
        Gate {
            permits: Semaphore::new(settings.in_flight.max(1)),
            waiting: AtomicUsize::new(0),
            settings,
        }
    }

    /// A place to process one message, waiting for one if the queue has
    /// room; [`Error::Overloaded`] if it has none.
    pub async fn enter(&self) -> Result<SemaphorePermit<'_>> {
        if let Ok(permit) = self.permits.try_acquire() {
            return Ok(permit);
        }
        let overloaded = Error::Overloaded {
            retry_after_secs: self.settings.retry_after_secs,
        };
        let before = self.waiting.fetch_add(1, Ordering::AcqRel);
        if before >= self.settings.queue {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            metrics::counter!("kuajing_ceb_overloaded_total").increment(1);
            return Err(overloaded);
        }
        let permit = self.permits.acquire().await;
        self.waiting.fetch_sub(1, Ordering::AcqRel);
        permit.map_err(|_| overloaded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn beyond_the_queue_the_answer_is_overloaded() {
        let gate = Gate::new(GateSettings {
            in_flight: 1,
            queue: 0,
            retry_after_secs: 2,
        });
        let held = gate.enter().await.unwrap();
        assert!(matches!(
            gate.enter().await,
            Err(Error::Overloaded {
                retry_after_secs: 2
            })
        ));
        drop(held);
        assert!(gate.enter().await.is_ok(), "free again once released");
    }
}
