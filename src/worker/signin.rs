//! The TUI's device-code sign-in, run as a worker task: the same auth steps as `pcsr-tui login`
//! ([`crate::auth::begin_login`], `start`, `poll_until_done`, `finish`), reported as replies.
//! On success the worker's client is replaced by one that uses the new tokens.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::task::AbortHandle;

use crate::api::{Client, ClientConfig};
use crate::auth::{AuthEnv, AuthError, Cloud, LoginOptions, PollStatus, begin_login};

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

/// Progress and outcome of a sign-in started with `Command::SignIn`; `flow` echoes its id.
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
    },
    /// The sign-in failed; the message says what to do next.
    Failed {
        /// The flow.
        flow: u64,
        /// What happened and what to do.
        message: String,
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
    pub client: Client,
    /// The cloud.
    pub cloud: Cloud,
    /// The API base URL.
    pub base_url: String,
    /// The reply for the UI.
    pub reply: SignInReply,
}

/// Runs one sign-in to the end. `report` gets the prompt and poll answers; the result is the
/// account to switch to, `Ok(None)` when the flow was cancelled before finishing, or the reply
/// describing the failure.
pub(super) async fn run(
    setup: &SignInSetup,
    running: &Running,
    flow: u64,
    cloud: Cloud,
    tenant: String,
    locale: &str,
    report: impl Fn(SignInReply),
) -> Result<Option<Switch>, SignInReply> {
    let failed = |message: String| SignInReply::Failed { flow, message };
    let env = setup.env.as_ref().map_err(|e| {
        failed(format!(
            "Sign-in is not available: {e}. Fix the setting and restart pcsr-tui"
        ))
    })?;
    let opts = LoginOptions {
        profile: None,
        cloud: Some(cloud),
        tenant: Some(tenant),
        client_id: None,
    };
    let pending = begin_login(env, &opts).await.map_err(|e| failed(message(&e)))?;
    // A bad base URL is reported before the user is sent to the browser.
    let base_url = setup
        .base_url_override
        .clone()
        .or_else(|| pending.profile.base_url.clone())
        .unwrap_or_else(|| cloud.api_base_url().to_string());
    let mut config = ClientConfig::new(&base_url).map_err(|e| failed(format!("{e}. {}", e.hint())))?;
    config.locale = locale.to_string();

    let prompt = pending.flow.start().await.map_err(|e| failed(message(&e)))?;
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
        .map_err(|e| failed(message(&e)))?;
    if !running.claim(flow) {
        return Ok(None);
    }
    let outcome = pending
        .finish(env, tokens)
        .await
        .map_err(|e| failed(message(&e)))?;
    let client =
        Client::new(config, outcome.token_provider()).map_err(|e| failed(format!("{e}. {}", e.hint())))?;
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
        },
    }))
}

/// An auth failure in the TUI's words: the next step is a key here, not a command to run.
pub fn message(e: &AuthError) -> String {
    match e {
        AuthError::Declined => {
            "Sign-in was declined on the verification page. Press Enter to get a new code and approve it"
                .into()
        }
        AuthError::CodeExpired => {
            "The code expired before the sign-in was approved. Press Enter to get a new code".into()
        }
        AuthError::Keyring { .. } | AuthError::NoKeyring { .. } | AuthError::KeyringChoice(_) => {
            format!("{e}; then restart pcsr-tui")
        }
        other => {
            let text = other.to_string();
            let text = text.replace("Run `pcsr-tui login` again", "Press Enter to try again");
            text.replace("run `pcsr-tui login` again", "press Enter to try again")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::StaticToken;
    use crate::auth::{SecretStore, StoreKind};
    use crate::sandbox::{Sandbox, SandboxOptions};
    use crate::store::Store;
    use crate::worker::{Command, Origin, Reply, spawn};

    async fn next_sign_in(handle: &mut crate::worker::WorkerHandle) -> SignInReply {
        loop {
            let reply = tokio::time::timeout(Duration::from_secs(20), handle.replies.recv())
                .await
                .expect("the worker answers")
                .expect("the worker runs");
            if let Reply::SignIn(r) = reply {
                return r;
            }
        }
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn the_worker_signs_in_against_the_sandbox_and_then_uses_the_new_account() {
        let dir = tempfile::tempdir().unwrap();
        let sandbox = Sandbox::start(SandboxOptions {
            db_path: None,
            bind: "127.0.0.1:0".parse().unwrap(),
        })
        .await
        .unwrap();
        let url = sandbox.base_url();
        let mock = keyring_core::mock::Store::new().unwrap();
        let env = AuthEnv::new(dir.path())
            .with_store(SecretStore::with_store(StoreKind::Memory, mock))
            .with_authority(&url);
        let setup = SignInSetup {
            env: Ok(env),
            base_url_override: Some(url.clone()),
        };
        // Before signing in, the worker talks to a server that does not exist.
        let client = Client::new(
            ClientConfig::new("http://127.0.0.1:9").unwrap(),
            Arc::new(StaticToken("x".into())),
        )
        .unwrap();
        let origin = Origin {
            cloud: "sandbox".into(),
            locale: "en-US".into(),
            base_url: "http://127.0.0.1:9".into(),
        };
        let mut handle = spawn(client, Store::open_in_memory().unwrap(), origin, setup);
        let send = |c| handle.commands.send(c).unwrap();
        send(Command::SignIn {
            flow: 7,
            cloud: Cloud::Global,
            tenant: "organizations".into(),
        });
        let SignInReply::Prompt {
            flow: 7, user_code, ..
        } = next_sign_in(&mut handle).await
        else {
            panic!("the prompt comes first")
        };
        assert!(user_code.starts_with("SBX"));
        assert_eq!(
            next_sign_in(&mut handle).await,
            SignInReply::Polled {
                flow: 7,
                slow_down: None
            }
        );
        let SignInReply::Done {
            flow: 7, user, kept, ..
        } = next_sign_in(&mut handle).await
        else {
            panic!("the sandbox approves after one pending poll")
        };
        assert_eq!(user, crate::sandbox::oauth::SANDBOX_USER);
        assert!(kept.contains("in-memory test store"), "{kept}");
        let refreshes = sandbox.oauth().refresh_count();
        handle.commands.send(Command::LoadTopics).unwrap();
        let topics = loop {
            match tokio::time::timeout(Duration::from_secs(20), handle.replies.recv()).await {
                Ok(Some(Reply::Topics { topics, .. })) => break Ok(topics),
                Ok(Some(Reply::TopicsFailed(e))) => break Err(e),
                Ok(Some(_)) => continue,
                other => panic!("no topics answer: {other:?}"),
            }
        };
        assert!(topics.expect("the new client reaches the sandbox").len() > 3);
        let issued = sandbox.oauth().issued_tokens();
        assert_eq!(
            sandbox.oauth().refresh_count(),
            refreshes,
            "the fresh access token is used as-is"
        );
        assert_eq!(issued.len(), 2, "one sign-in: {issued:?}");
        sandbox.shutdown().await;
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_cancelled_sign_in_stops_polling_and_reports_nothing_more() {
        let dir = tempfile::tempdir().unwrap();
        let sandbox = Sandbox::start(SandboxOptions {
            db_path: None,
            bind: "127.0.0.1:0".parse().unwrap(),
        })
        .await
        .unwrap();
        let url = sandbox.base_url();
        let mock = keyring_core::mock::Store::new().unwrap();
        let env = AuthEnv::new(dir.path())
            .with_store(SecretStore::with_store(StoreKind::Memory, mock))
            .with_authority(&url);
        let setup = SignInSetup {
            env: Ok(env),
            base_url_override: None,
        };
        let client = Client::new(
            ClientConfig::new(&url).unwrap(),
            Arc::new(StaticToken("x".into())),
        )
        .unwrap();
        let origin = Origin {
            cloud: "sandbox".into(),
            locale: "en-US".into(),
            base_url: url.clone(),
        };
        let mut handle = spawn(client, Store::open_in_memory().unwrap(), origin, setup);
        let sign_in = Command::SignIn {
            flow: 3,
            cloud: Cloud::Global,
            tenant: "organizations".into(),
        };
        handle.commands.send(sign_in).unwrap();
        assert!(matches!(
            next_sign_in(&mut handle).await,
            SignInReply::Prompt { flow: 3, .. }
        ));
        handle.commands.send(Command::CancelSignIn(3)).unwrap();
        let polls = sandbox.oauth().poll_count();
        let late = tokio::time::timeout(Duration::from_millis(2500), next_sign_in(&mut handle)).await;
        assert!(late.is_err(), "nothing after a cancel: {late:?}");
        assert_eq!(sandbox.oauth().poll_count(), polls, "polling stopped");
        assert!(sandbox.oauth().issued_tokens().is_empty());
        sandbox.shutdown().await;
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_declined_sign_in_says_so_and_leaves_the_client_alone() {
        let dir = tempfile::tempdir().unwrap();
        let sandbox = Sandbox::start(SandboxOptions {
            db_path: None,
            bind: "127.0.0.1:0".parse().unwrap(),
        })
        .await
        .unwrap();
        sandbox.oauth().set_script(crate::sandbox::oauth::OAuthScript {
            pending_polls: 0,
            outcome: crate::sandbox::oauth::Outcome::Deny,
            ..Default::default()
        });
        let url = sandbox.base_url();
        let mock = keyring_core::mock::Store::new().unwrap();
        let env = AuthEnv::new(dir.path())
            .with_store(SecretStore::with_store(StoreKind::Memory, mock))
            .with_authority(&url);
        let setup = SignInSetup {
            env: Ok(env),
            base_url_override: None,
        };
        let client = Client::new(
            ClientConfig::new(&url).unwrap(),
            Arc::new(StaticToken("x".into())),
        )
        .unwrap();
        let origin = Origin {
            cloud: "sandbox".into(),
            locale: "en-US".into(),
            base_url: url.clone(),
        };
        let mut handle = spawn(client, Store::open_in_memory().unwrap(), origin, setup);
        handle
            .commands
            .send(Command::SignIn {
                flow: 1,
                cloud: Cloud::Global,
                tenant: "organizations".into(),
            })
            .unwrap();
        assert!(matches!(
            next_sign_in(&mut handle).await,
            SignInReply::Prompt { .. }
        ));
        let SignInReply::Failed { flow: 1, message } = next_sign_in(&mut handle).await else {
            panic!("declined")
        };
        assert!(
            message.contains("declined") && message.contains("Press Enter"),
            "{message}"
        );
        assert!(!dir.path().join("config.toml").exists(), "nothing was saved");
        sandbox.shutdown().await;
    }

    #[test]
    fn failures_name_the_next_step_in_the_tui() {
        assert!(message(&AuthError::Declined).contains("Press Enter"));
        assert!(message(&AuthError::CodeExpired).contains("new code"));
        let keyring = message(&AuthError::NoKeyring {
            tried: "kernel keyutils: denied".into(),
        });
        assert!(keyring.contains("PCSR_KEYRING=none") && keyring.ends_with("restart pcsr-tui"));
        let tenant = message(&AuthError::Tenant("x y".into()));
        assert!(tenant.contains("organizations"), "{tenant}");
    }
}
