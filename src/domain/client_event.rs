//! What a service's client reports while a call is slow, so a UI can say why it waits.

use std::time::Duration;

/// What a client is doing while a call is slow; a UI shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientEvent {
    /// A failed attempt will be retried after `wait`.
    Retrying {
        /// The attempt that is next (2 = first retry).
        attempt: u32,
        /// How many attempts there are at most.
        max_attempts: u32,
        /// Pause before it.
        wait: Duration,
        /// What failed, e.g. "HTTP 503" or "connection reset".
        reason: String,
    },
    /// The service throttled us; the call resumes after `wait`.
    RateLimited {
        /// Pause before the retry.
        wait: Duration,
    },
    /// The token was refused and is being refreshed.
    RefreshingToken,
}
