//! The platform's clock for clearance: the one time every receipt, release
//! and period of a declaration counts by (issue #14, finding 2: the rules
//! follow the platform's own record of when things happened, never a date a
//! sender wrote). The intake reads it once per message and hands that
//! instant to every rule the message meets.
//!
//! It is the system clock. Tests and rehearsals (a New Year's Eve, the last
//! day of a return window) may set it to another instant, from which it then
//! runs on; the command line offers no way to set it.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use kuajing_core::timestamp::Timestamp;

/// The clearance clock; clones share one setting.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    /// Microseconds added to the system clock (0: the system clock).
    shift_micros: Arc<AtomicI64>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// Now, by this clock.
    pub fn now(&self) -> Timestamp {
        let shift = time::Duration::microseconds(self.shift_micros.load(Ordering::Relaxed));
        let system = Timestamp::now().datetime();
        Timestamp::from_datetime(system.checked_add(shift).unwrap_or(system))
    }

    /// Sets the clock (and every clone of it) to `at`, from which it runs on
    /// with the system clock.
    pub fn set(&self, at: Timestamp) {
        let shift = at.datetime() - Timestamp::now().datetime();
        let micros = i64::try_from(shift.whole_microseconds()).unwrap_or(0);
        self.shift_micros.store(micros, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_clock_runs_on_from_the_instant_set_and_clones_follow() {
        let clock = Clock::system();
        let shared = clock.clone();
        let new_year: Timestamp = "2026-12-31T16:00:00Z".parse().unwrap();
        clock.set(new_year);
        let read = shared.now();
        assert!(read >= new_year, "{read}");
        assert!(
            read < new_year.plus(std::time::Duration::from_secs(60)),
            "{read}"
        );
    }
}
