//! A `TokenProvider` that keeps the access token in memory and refreshes it with the refresh
//! token: 30 s before expiry, and once more when the API answers 401 (`force_refresh`).
//! Rotated refresh tokens go back to the keyring.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use time::OffsetDateTime;

use super::clock::{Clock, SystemClock};
use super::endpoint::OAuthEndpoint;
use super::error::AuthError;
use super::secrets::{SecretKey, SecretStore, StoreKind};
use super::token::TokenSet;
use crate::api::client::BoxFuture;
use crate::api::{TokenError, TokenProvider};

/// Refresh this long before the access token expires, so a call never starts with a dying one.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(30);
/// Tries per refresh while the sign-in service is only unavailable.
const REFRESH_ATTEMPTS: u32 = 3;
/// First pause between those tries; doubled each time.
const REFRESH_BACKOFF: Duration = Duration::from_millis(500);

/// Where the refresh token lives between processes.
#[derive(Debug, Clone)]
pub enum SecretSource {
    /// An opened store (tests, or a login in this process).
    Store(SecretStore, SecretKey),
    /// A store to open on first use, off the async threads.
    Kind(StoreKind, SecretKey),
}

#[derive(Default)]
struct State {
    tokens: Option<TokenSet>,
    refresh_token: Option<String>,
}

/// Access tokens for one signed-in user, refreshed as needed. Share it as `Arc<dyn TokenProvider>`.
pub struct RefreshingTokenProvider {
    endpoint: OAuthEndpoint,
    user: String,
    source: Option<SecretSource>,
    clock: Arc<dyn Clock>,
    state: tokio::sync::Mutex<State>,
    expires_at: Mutex<Option<OffsetDateTime>>,
    /// Rotated refresh tokens that could not be saved, for the user (not only the log).
    warnings: Mutex<Vec<String>>,
}

impl std::fmt::Debug for RefreshingTokenProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RefreshingTokenProvider")
            .field("endpoint", &self.endpoint)
            .field("user", &self.user)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl RefreshingTokenProvider {
    /// A provider that reads the refresh token from `source` on first use.
    pub fn from_saved(endpoint: OAuthEndpoint, user: &str, source: SecretSource) -> Self {
        Self::build(endpoint, user, Some(source), State::default())
    }

    /// A provider holding fresh tokens (after a sign-in); `source` receives rotated refresh tokens.
    pub fn from_tokens(
        endpoint: OAuthEndpoint,
        user: &str,
        tokens: TokenSet,
        source: Option<SecretSource>,
    ) -> Self {
        let state = State {
            refresh_token: tokens.refresh_token.clone(),
            tokens: Some(tokens),
        };
        Self::build(endpoint, user, source, state)
    }

    fn build(endpoint: OAuthEndpoint, user: &str, source: Option<SecretSource>, state: State) -> Self {
        let expires_at = state.tokens.as_ref().map(|t| t.expires_at);
        RefreshingTokenProvider {
            endpoint,
            user: user.to_string(),
            source,
            clock: Arc::new(SystemClock),
            state: tokio::sync::Mutex::new(state),
            expires_at: Mutex::new(expires_at),
            warnings: Mutex::new(Vec::new()),
        }
    }

    fn note_expiry(&self, at: Option<OffsetDateTime>) {
        if let Ok(mut g) = self.expires_at.lock() {
            *g = at;
        }
    }

    /// The same provider on another clock (tests).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// A provider for the same sign-in at another tenant (CSP: a customer's): the same refresh
    /// token, client and scope, redeemed at `{authority}/{tenant}/oauth2/v2.0/token`. It holds
    /// no access token yet; it shares this one's keyring entry, and each reads the entry before
    /// refreshing, so a token rotated by one is what the other uses next.
    pub fn for_tenant(&self, tenant: &str) -> Result<Self, AuthError> {
        let endpoint = self.endpoint.with_tenant(tenant)?;
        // A session-only sign-in has no entry to share: the customer's provider starts from
        // the refresh token held here (if the state is busy right now, from nothing, and asks
        // for a sign-in when used, as a vanished entry does).
        let held = match &self.source {
            Some(_) => None,
            None => self.state.try_lock().ok().and_then(|s| s.refresh_token.clone()),
        };
        let state = State {
            tokens: None,
            refresh_token: held,
        };
        Ok(Self::build(endpoint, &self.user, self.source.clone(), state).with_clock(self.clock.clone()))
    }

    /// The endpoint tokens come from (its tenant and scope).
    pub fn endpoint(&self) -> &OAuthEndpoint {
        &self.endpoint
    }

    /// The signed-in user.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// When the access token held in memory expires; `None` before the first one is fetched.
    pub fn access_expires_at(&self) -> Option<OffsetDateTime> {
        self.expires_at.lock().ok().and_then(|g| *g)
    }

    /// A valid access token: the cached one unless it expires within 30 s or `force_refresh`.
    pub async fn access_token(&self, force_refresh: bool) -> Result<String, AuthError> {
        let state = self.state.lock().await;
        if !force_refresh
            && let Some(t) = &state.tokens
            && !t.expires_within(self.clock.now(), REFRESH_MARGIN)
        {
            return Ok(t.access_token.clone());
        }
        // Another process (a CLI command beside this TUI) may have rotated the refresh token
        // since it was read: the saved one is the newest, and the one in memory may be revoked.
        let held = state.refresh_token.clone();
        let refresh_token = match (self.saved_refresh_token().await, held.clone()) {
            (Some(saved), _) => saved,
            (None, Some(rt)) => rt,
            (None, None) => self.load_refresh_token().await?,
        };
        let answer = match self.refresh_with_retries(&refresh_token).await {
            Ok(answer) => answer,
            Err(AuthError::SignInNeeded(why)) => {
                // Refused: a rotation may have landed between the read and the refresh. The
                // saved token (or the one held) gets one try before the user is sent to sign in.
                let other = match self.saved_refresh_token().await {
                    Some(saved) if saved != refresh_token => Some(saved),
                    _ => held.filter(|rt| *rt != refresh_token),
                };
                match other {
                    Some(other) => {
                        let answer = self.refresh_with_retries(&other).await?;
                        return self.keep(state, answer, other).await;
                    }
                    None => return Err(AuthError::SignInNeeded(why)),
                }
            }
            Err(e) => return Err(e),
        };
        self.keep(state, answer, refresh_token).await
    }

    /// Keeps a refresh's tokens (saving a rotated refresh token first) and hands out the access token.
    async fn keep(
        &self,
        mut state: tokio::sync::MutexGuard<'_, State>,
        answer: super::token::TokenAnswer,
        refresh_token: String,
    ) -> Result<String, AuthError> {
        let tokens = answer.into_token_set(self.clock.now());
        let rotated = tokens.refresh_token.clone().filter(|new| *new != refresh_token);
        state.refresh_token = Some(rotated.clone().unwrap_or(refresh_token));
        let access = tokens.access_token.clone();
        self.note_expiry(Some(tokens.expires_at));
        state.tokens = Some(tokens);
        // The lock is held through the save: no caller gets the new access token (and no
        // process can finish on it) before the rotated refresh token is safely stored.
        if let Some(new) = rotated {
            // Saved (and the save confirmed) before the token is handed out, so no later
            // process starts from the discarded one. A failed save costs a sign-in later; the
            // call goes on, and the user is told when the command ends.
            if let Err(e) = self.save_refresh_token(new).await {
                tracing::warn!(error = %e, "could not save the rotated refresh token");
                if let Ok(mut w) = self.warnings.lock() {
                    w.push(format!(
                        "the sign-in service issued a new refresh token for {}, but saving it failed ({e}); \
                         the next command may ask you to sign in again",
                        self.user
                    ));
                }
            }
        }
        drop(state);
        Ok(access)
    }

    /// One refresh, retried with backoff while the service is only unavailable (network,
    /// timeout, 5xx, `temporarily_unavailable`); then a transport error, which keeps the
    /// sign-in. Only a real refusal (`invalid_grant` and friends) means "sign in again".
    async fn refresh_with_retries(
        &self,
        refresh_token: &str,
    ) -> Result<super::token::TokenAnswer, AuthError> {
        let mut attempt = 1;
        loop {
            let why = match self.endpoint.refresh(refresh_token).await {
                Ok(Ok(answer)) => return Ok(answer),
                Ok(Err(e)) if super::error::is_transient_oauth_error(&e.error) => {
                    let why = format!(
                        "the sign-in service is busy ({})",
                        crate::text::one_line(&e.error)
                    );
                    AuthError::Transport {
                        url: self.endpoint.url("token"),
                        message: why,
                    }
                }
                Ok(Err(e)) => {
                    tracing::warn!(error = %e.error, "refresh refused");
                    let detail = e
                        .short_description()
                        .map(|d| format!(": {d}"))
                        .unwrap_or_default();
                    return Err(AuthError::SignInNeeded(format!(
                        "the saved sign-in for {} was refused by the sign-in service ({}{detail})",
                        self.user,
                        crate::text::one_line(&e.error)
                    )));
                }
                Err(e) if e.is_transient() => e,
                Err(e) => return Err(e),
            };
            if attempt >= REFRESH_ATTEMPTS {
                return Err(why);
            }
            let pause = REFRESH_BACKOFF * (1 << (attempt - 1));
            tracing::warn!(
                attempt,
                wait_ms = pause.as_millis() as u64,
                "token refresh failed ({why}); retrying"
            );
            tokio::time::sleep(pause).await;
            attempt += 1;
        }
    }

    /// The refresh token saved now, if the store can be read and holds one (`None` otherwise:
    /// the caller falls back on the one it holds).
    async fn saved_refresh_token(&self) -> Option<String> {
        let (store, key) = match self.source.clone()? {
            SecretSource::Store(store, key) => (store, key),
            SecretSource::Kind(kind, key) => {
                (blocking(move || SecretStore::open_kind(kind)).await.ok()?, key)
            }
        };
        match blocking(move || store.get(&key)).await {
            Ok(saved) => saved,
            Err(e) => {
                tracing::info!(error = %e, "could not re-read the saved refresh token; using the one held");
                None
            }
        }
    }

    async fn load_refresh_token(&self) -> Result<String, AuthError> {
        let (store, key) = match self.source.clone() {
            Some(SecretSource::Store(store, key)) => (store, key),
            Some(SecretSource::Kind(kind, key)) => {
                (blocking(move || SecretStore::open_kind(kind)).await?, key)
            }
            None => {
                return Err(AuthError::SignInNeeded(format!(
                    "the sign-in for {} lasted only for the session and nothing was saved",
                    self.user
                )));
            }
        };
        let kind = store.kind();
        match blocking(move || store.get(&key)).await? {
            Some(rt) => Ok(rt),
            None => Err(AuthError::SignInNeeded(format!(
                "the saved sign-in for {} is no longer in the {kind} keyring{}",
                self.user,
                if kind == StoreKind::Keyutils {
                    " (kernel keys vanish after a reboot or 3 days unused)"
                } else {
                    ""
                }
            ))),
        }
    }

    async fn save_refresh_token(&self, token: String) -> Result<(), AuthError> {
        let (store, key) = match self.source.clone() {
            Some(SecretSource::Store(store, key)) => (store, key),
            Some(SecretSource::Kind(kind, key)) => {
                (blocking(move || SecretStore::open_kind(kind)).await?, key)
            }
            None => return Ok(()),
        };
        blocking(move || {
            store.set(&key, &token)?;
            // Confirmed by reading it back: a store that accepted but lost it must not pass.
            match store.get(&key)? {
                Some(saved) if saved == token => Ok(()),
                _ => Err(AuthError::Keyring {
                    store: store.kind().to_string(),
                    message: "the new refresh token did not read back after saving".into(),
                }),
            }
        })
        .await
    }
}

impl TokenProvider for RefreshingTokenProvider {
    fn take_warnings(&self) -> Vec<String> {
        self.warnings
            .lock()
            .map(|mut w| std::mem::take(&mut *w))
            .unwrap_or_default()
    }

    fn token(&self, force_refresh: bool) -> BoxFuture<'_, Result<String, TokenError>> {
        Box::pin(async move {
            self.access_token(force_refresh).await.map_err(|e| match e {
                // The API client adds "Run `pcsr-tui login`" to sign-in errors itself.
                AuthError::SignInNeeded(reason) => TokenError::SignIn(reason),
                e if e.is_transient() => TokenError::Unavailable(e.to_string()),
                other => TokenError::SignIn(other.to_string()),
            })
        })
    }
}

/// Runs keyring work on the blocking pool (the Secret Service store must not run on a runtime thread).
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, AuthError> + Send + 'static,
) -> Result<T, AuthError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AuthError::Keyring {
            store: "keyring".into(),
            message: format!("the keyring call did not finish ({e})"),
        })?
}
