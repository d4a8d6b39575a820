//! Time as the sign-in flow sees it, so tests can run a 15-minute device-code wait instantly.

use std::sync::Mutex;
use std::time::Duration;

use time::OffsetDateTime;

use crate::api::client::BoxFuture;

/// The current time and a way to wait.
pub trait Clock: Send + Sync {
    /// Now.
    fn now(&self) -> OffsetDateTime;
    /// Waits `duration`.
    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()>;
}

/// The real clock and tokio's timer.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// A clock that only moves when someone sleeps on it or calls [`VirtualClock::advance`]; records
/// every sleep so tests can check the polling pace.
#[derive(Debug)]
pub struct VirtualClock {
    inner: Mutex<(OffsetDateTime, Vec<Duration>)>,
}

impl VirtualClock {
    /// A virtual clock starting at the real current time.
    pub fn new() -> Self {
        VirtualClock {
            inner: Mutex::new((OffsetDateTime::now_utc(), Vec::new())),
        }
    }

    /// Moves the clock forward without a sleep.
    pub fn advance(&self, by: Duration) {
        if let Ok(mut g) = self.inner.lock() {
            g.0 += by;
        }
    }

    /// Every sleep so far, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.inner.lock().map(|g| g.1.clone()).unwrap_or_default()
    }
}

impl Default for VirtualClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for VirtualClock {
    fn now(&self) -> OffsetDateTime {
        self.inner
            .lock()
            .map(|g| g.0)
            .unwrap_or_else(|p| p.into_inner().0)
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        if let Ok(mut g) = self.inner.lock() {
            g.0 += duration;
            g.1.push(duration);
        }
        // Yield so other tasks (the in-process server) still get to run.
        Box::pin(tokio::task::yield_now())
    }
}
