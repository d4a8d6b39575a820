//! The OAuth 2.0 device-code flow (RFC 8628) as a reusable two-step object: `start` gets the
//! code to show, `poll_until_done` waits for the user. The CLI and the TUI drive the same code.

use std::sync::Arc;
use std::time::Duration;

use time::OffsetDateTime;

use super::clock::{Clock, SystemClock};
use super::endpoint::{OAuthEndpoint, refused};
use super::error::AuthError;
use super::token::TokenSet;

/// What to show the user while the flow waits for them.
#[derive(Clone, PartialEq, Eq)]
pub struct DeviceCodePrompt {
    /// The code to type on the verification page (sanitized).
    pub user_code: String,
    /// The verification page (sanitized).
    pub verification_uri: String,
    /// The authority's own instruction, in its language (sanitized).
    pub message: String,
    /// When the code stops working.
    pub expires_at: OffsetDateTime,
    /// How long to wait between polls, as the authority asked.
    pub interval: Duration,
    device_code: String,
}

impl std::fmt::Debug for DeviceCodePrompt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceCodePrompt")
            .field("user_code", &self.user_code)
            .field("verification_uri", &self.verification_uri)
            .field("expires_at", &self.expires_at)
            .field("interval", &self.interval)
            .finish_non_exhaustive()
    }
}

/// Progress of `poll_until_done`, for a countdown or a status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollStatus {
    /// Waiting before the next poll (called about once a second).
    Waiting {
        /// Time until the code expires.
        remaining: Duration,
        /// Time until the next poll.
        next_poll_in: Duration,
    },
    /// The authority answered `authorization_pending`: the user has not finished yet.
    Pending,
    /// The authority asked us to poll less often; the new interval.
    SlowDown {
        /// The interval from now on.
        interval: Duration,
    },
}

/// How much `slow_down` adds to the interval (RFC 8628 3.5).
pub const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);
/// Longest pause between polls after transient failures (RFC 8628 §3.5 backoff).
pub const MAX_POLL_BACKOFF: Duration = Duration::from_secs(60);

/// A device-code sign-in against one endpoint.
#[derive(Clone)]
pub struct DeviceCodeFlow {
    endpoint: OAuthEndpoint,
    clock: Arc<dyn Clock>,
    min_interval: Duration,
}

impl std::fmt::Debug for DeviceCodeFlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceCodeFlow")
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl DeviceCodeFlow {
    /// A flow on the real clock, polling at least once a second apart.
    pub fn new(endpoint: OAuthEndpoint) -> Self {
        DeviceCodeFlow {
            endpoint,
            clock: Arc::new(SystemClock),
            min_interval: Duration::from_secs(1),
        }
    }

    /// The same flow on another clock (tests use [`super::clock::VirtualClock`]).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The shortest pause between polls, whatever the authority says (default 1 s).
    pub fn with_min_interval(mut self, min: Duration) -> Self {
        self.min_interval = min;
        self
    }

    /// The endpoint in use.
    pub fn endpoint(&self) -> &OAuthEndpoint {
        &self.endpoint
    }

    /// Asks the authority for a device code and returns what to show the user.
    pub async fn start(&self) -> Result<DeviceCodePrompt, AuthError> {
        let answer = self.endpoint.request_device_code().await?;
        let now = self.clock.now();
        let user_code = crate::text::one_line(&answer.user_code);
        let verification_uri = crate::text::one_line(&answer.verification_uri);
        let message = answer
            .message
            .as_deref()
            .map(crate::text::one_line)
            .unwrap_or_else(|| {
                format!("To sign in, open {verification_uri} and enter the code {user_code}.")
            });
        Ok(DeviceCodePrompt {
            user_code,
            verification_uri,
            message,
            expires_at: now + Duration::from_secs(answer.expires_in.0),
            // RFC 8628: 5 seconds when the authority names no interval.
            interval: Duration::from_secs(answer.interval.map_or(5, |i| i.0)),
            device_code: answer.device_code,
        })
    }

    /// Polls until the user approves, declines, or the code expires. `on_tick` sees the countdown.
    pub async fn poll_until_done(
        &self,
        prompt: &DeviceCodePrompt,
        mut on_tick: impl FnMut(PollStatus),
    ) -> Result<TokenSet, AuthError> {
        let mut interval = prompt.interval.max(self.min_interval);
        loop {
            let mut left = interval;
            while !left.is_zero() {
                let remaining = self.remaining(prompt).ok_or(AuthError::CodeExpired)?;
                on_tick(PollStatus::Waiting {
                    remaining,
                    next_poll_in: left,
                });
                let step = left.min(Duration::from_secs(1));
                self.clock.sleep(step).await;
                left -= step;
            }
            if self.remaining(prompt).is_none() {
                return Err(AuthError::CodeExpired);
            }
            let polled = match self.endpoint.poll_device_code(&prompt.device_code).await {
                Ok(polled) => polled,
                // RFC 8628 §3.5: a timeout or a failing service is no answer; back off and keep
                // polling until the code expires (the loop's expiry check ends it).
                Err(e) if e.is_transient() => {
                    tracing::warn!(error = %e, "device-code poll failed; backing off");
                    interval = (interval * 2).min(MAX_POLL_BACKOFF).max(interval);
                    on_tick(PollStatus::SlowDown { interval });
                    continue;
                }
                Err(e) => return Err(e),
            };
            match polled {
                Ok(answer) => return Ok(answer.into_token_set(self.clock.now())),
                Err(e) => match e.error.as_str() {
                    "authorization_pending" => on_tick(PollStatus::Pending),
                    "temporarily_unavailable" => {
                        interval = (interval * 2).min(MAX_POLL_BACKOFF).max(interval);
                        on_tick(PollStatus::SlowDown { interval });
                    }
                    "bad_verification_code" => {
                        return Err(refused(
                            &e,
                            Some("the sign-in service did not recognise the device code pcsr-tui sent"),
                        ));
                    }
                    "unauthorized_client" | "invalid_client" => {
                        return Err(refused(
                            &e,
                            Some("the app (its client id) must allow public client flows"),
                        ));
                    }
                    "slow_down" => {
                        interval += SLOW_DOWN_STEP;
                        on_tick(PollStatus::SlowDown { interval });
                    }
                    "expired_token" | "code_expired" => return Err(AuthError::CodeExpired),
                    "access_denied" | "authorization_declined" => return Err(AuthError::Declined),
                    _ => return Err(refused(&e, None)),
                },
            }
        }
    }

    /// Time left before the code expires, `None` once it has.
    fn remaining(&self, prompt: &DeviceCodePrompt) -> Option<Duration> {
        let left = prompt.expires_at - self.clock.now();
        (left.is_positive()).then(|| left.unsigned_abs())
    }
}
