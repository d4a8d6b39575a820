//! The TUI's device-code sign-in, run as a worker task: the same auth steps as `pcsr-tui login`
//! ([`crate::auth::begin_login_for`] the service on screen, `start`, `poll_until_done`,
//! `finish`), reported as replies. On success the worker's client is replaced by one of the same
//! service that uses the new tokens.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::task::AbortHandle;

use crate::auth::{AuthEnv, AuthError, Cloud, LoginOptions, PollStatus, begin_login_for};
use crate::backend::{Backend, default_base_url};
use crate::domain::{Failure, Remedy, Service};

/// What the worker needs to sign in from the TUI.
#[derive(Debug, Clone)]
pub struct SignInSetup {
    /// Where sign-in state lives, or why the environment (PCSR_KEYRING, PCSR_CONFIG_DIR) is unusable.
    pub env: Result<AuthEnv, String>,
    /// `--base-url` / PCSR_BASE_URL: wins over the profile's and the cloud's API base URL.
    pub base_url_override: Option<String>,
}

impl SignInSetup {
    /// From the environment, as `pcsr-tui login` reads it.
    pub fn from_env(base_url_override: Option<String>) -> Self {
        SignInSetup {
            env: AuthEnv::from_env().map_err(|e| e.to_string()),
            base_url_override,
        }
    }

    /// No sign-in possible (tests of other parts of the worker).
    pub fn unavailable() -> Self {
        SignInSetup {
            env: Err("sign-in is not set up in this process".into()),
            base_url_override: None,
        }
    }
}

/// Progress and outcome of a sign-in started with `Job::SignIn`; `flow` echoes its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInReply {
    /// Show this to the user.
    Prompt {
        /// The flow.
        flow: u64,
        /// The code to type.
        user_code: String,
        /// Where to type it.
        verification_uri: String,
        /// How long the code lasts from now.
        expires_in: Duration,
    },
    /// The authority answered a poll: still pending, or asking to poll every `slow_down`.
    Polled {
        /// The flow.
        flow: u64,
        /// `Some(new interval)` after `slow_down`; `None` for `authorization_pending`.
        slow_down: Option<Duration>,
    },
    /// Signed in; the worker now uses the new account.
    Done {
        /// The flow.
        flow: u64,
        /// The user (UPN).
        user: String,
        /// The cloud signed in to.
        cloud: Cloud,
        /// Where the refresh token went, in words.
        kept: String,
        /// The Azure subscription the worker now files under (`None`: tenant level, or
        /// Partner Center).
        subscription: Option<String>,
    },
    /// The sign-in failed; the message says what to do next.
    Failed {
        /// The flow.
        flow: u64,
        /// What happened, and the way forward as data (the UI words it).
        failure: Failure,
    },
}

/// The running sign-in, if any: its id and the handle that stops it.
#[derive(Clone, Default)]
pub(super) struct Running(Arc<Mutex<Option<(u64, AbortHandle)>>>);

impl Running {
    fn lock(&self) -> MutexGuard<'_, Option<(u64, AbortHandle)>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Stops flow `flow` if it is still waiting for the user; a finishing one completes.
    pub(super) fn cancel(&self, flow: u64) {
        let mut slot = self.lock();
        if slot.as_ref().is_some_and(|(id, _)| *id == flow)
            && let Some((_, handle)) = slot.take()
        {
            handle.abort();
        }
    }

    /// Registers a new flow, stopping any earlier one; `spawn` starts its task.
    pub(super) fn replace(&self, flow: u64, spawn: impl FnOnce() -> AbortHandle) {
        // Held while spawning so the task cannot look for its slot before it is filled.
        let mut slot = self.lock();
        if let Some((_, old)) = slot.take() {
            old.abort();
        }
        *slot = Some((flow, spawn()));
    }

    /// Claims the slot for finishing: `false` when the flow was cancelled or replaced meanwhile.
    fn claim(&self, flow: u64) -> bool {
        let mut slot = self.lock();
        if slot.as_ref().is_some_and(|(id, _)| *id == flow) {
            *slot = None;
            true
        } else {
            false
        }
    }
}

/// A signed-in account for the worker to switch to.
pub(super) struct Switch {
    /// The new client (events not yet attached).
    pub client: Backend,
    /// The cloud.
    pub cloud: Cloud,
    /// The API base URL.
    pub base_url: String,
    /// The reply for the UI.
    pub reply: SignInReply,
}

/// Which service the sign-in is for, and what its new client keeps of the old one.
pub(super) struct Target<'a> {
    /// The service the worker talks to: its profile is the one signed in to.
    pub service: Service,
    /// Partner Center's locale.
    pub locale: &'a str,
    /// The Azure subscription the worker files under.
    pub subscription: Option<String>,
    /// The API base URL the worker talks to now.
    pub base_url: &'a str,
}

/// Runs one sign-in to the end. `report` gets the prompt and poll answers; the result is the
/// account to switch to, `Ok(None)` when the flow was cancelled before finishing, or the reply
/// describing the failure.
pub(super) async fn run(
    setup: &SignInSetup,
    running: &Running,
    flow: u64,
    (cloud, tenant): (Cloud, String),
    target: Target<'_>,
    report: impl Fn(SignInReply),
) -> Result<Option<Switch>, SignInReply> {
    let failed = |failure: Failure| SignInReply::Failed { flow, failure };
    let env = setup.env.as_ref().map_err(|e| {
        failed(Failure::local(
            format!("sign-in is not available: {e}"),
            Remedy::FixSetting,
        ))
    })?;
    let opts = LoginOptions {
        profile: None,
        cloud: Some(cloud),
        tenant: Some(tenant),
        client_id: None,
    };
    let pending = begin_login_for(env, target.service, &opts)
        .await
        .map_err(|e| failed(failure(&e)))?;
    // A bad base URL is reported before the user is sent to the browser.
    let base_url = setup
        .base_url_override
        .clone()
        .or_else(|| pending.profile.base_url.clone())
        .unwrap_or_else(|| default_base_url(target.service, cloud).to_string());
    Backend::check_base_url(target.service, &base_url).map_err(|e| failed(e.failure()))?;
    // A first run's sandbox files under its own subscription, which no real service holds:
    // leaving the sandbox, the sign-in starts at tenant level (F6 picks one of its own).
    let subscription = target
        .subscription
        .filter(|s| base_url == target.base_url || !crate::sandbox::azure::is_sandbox_subscription(s));

    let prompt = pending.flow.start().await.map_err(|e| failed(failure(&e)))?;
    let now = env.clock.now();
    report(SignInReply::Prompt {
        flow,
        user_code: prompt.user_code.clone(),
        verification_uri: prompt.verification_uri.clone(),
        expires_in: (prompt.expires_at - now).try_into().unwrap_or_default(),
    });
    let tokens = pending
        .flow
        .poll_until_done(&prompt, |status| match status {
            PollStatus::Pending => report(SignInReply::Polled {
                flow,
                slow_down: None,
            }),
            PollStatus::SlowDown { interval } => report(SignInReply::Polled {
                flow,
                slow_down: Some(interval),
            }),
            PollStatus::Waiting { .. } => {}
        })
        .await
        .map_err(|e| failed(failure(&e)))?;
    if !running.claim(flow) {
        return Ok(None);
    }
    let outcome = pending
        .finish(env, tokens)
        .await
        .map_err(|e| failed(failure(&e)))?;
    let client = Backend::connect(
        target.service,
        &base_url,
        target.locale,
        subscription.clone(),
        outcome.token_provider(),
    )
    .map_err(|e| failed(e.failure()))?;
    let kept = match (outcome.stored_in, &outcome.not_stored_reason) {
        (Some(kind), _) => format!("the refresh token is kept in the {kind} keyring"),
        (None, Some(why)) => format!("nothing was saved ({why}): this sign-in lasts until you quit"),
        (None, None) => "nothing was saved: this sign-in lasts until you quit".to_string(),
    };
    Ok(Some(Switch {
        client,
        cloud,
        base_url,
        reply: SignInReply::Done {
            flow,
            user: outcome.user.clone(),
            cloud,
            kept,
            subscription,
        },
    }))
}

/// An auth failure as the UIs take it: what happened, and the way forward as data.
pub fn failure(e: &AuthError) -> Failure {
    Failure::local(e.to_string(), e.remedy())
}

#[cfg(test)]
mod tests;
