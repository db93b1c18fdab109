//! Sign-in throttling per client address (GCRA via `governor`), on top of the
//! per-account lockout kept in the database: the throttle slows guessing
//! across many logins from one address, the lockout protects one account from
//! many addresses.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// A keyed limiter of sign-in attempts.
pub struct SignInThrottle {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

impl SignInThrottle {
    /// `burst` attempts at once, then one more per `refill`.
    pub fn new(burst: u32, refill: Duration) -> Self {
        let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(refill)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(burst);
        SignInThrottle {
            limiter: RateLimiter::keyed(quota),
            clock: DefaultClock::default(),
        }
    }

    /// Takes one attempt for `ip`; `Err(seconds)` to wait if none is left.
    pub fn check(&self, ip: IpAddr) -> Result<(), u64> {
        self.limiter.check_key(&ip).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            wait.as_secs().max(1)
        })
    }

    /// Forgets addresses whose allowance is full again (called periodically).
    pub fn forget_idle(&self) {
        self.limiter.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_a_burst_then_refuses_until_refilled() {
        let throttle = SignInThrottle::new(3, Duration::from_secs(60));
        let ip: IpAddr = [10, 0, 0, 1].into();
        for _ in 0..3 {
            assert!(throttle.check(ip).is_ok());
        }
        let wait = throttle.check(ip).unwrap_err();
        assert!((1..=60).contains(&wait), "{wait}");
        assert!(throttle.check([10, 0, 0, 2].into()).is_ok(), "per address");
    }
}
