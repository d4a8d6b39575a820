//! The sign-in entry points the CLI and the TUI call: login, logout, status, and the token
//! provider for a signed-in profile. Keyring work runs on the blocking pool.

use std::fmt;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use time::OffsetDateTime;

use super::clock::{Clock, SystemClock};
use super::cloud::Cloud;
use super::config::{Config, Profile, default_config_dir};
use super::device::DeviceCodeFlow;
use super::endpoint::{AUTHORITY_ENV, OAuthEndpoint, resolve_authority, validate_tenant};
use super::error::AuthError;
use super::login_ui::LoginPrinter;
use super::refresh::{RefreshingTokenProvider, SecretSource, blocking};
use super::secrets::{KeyringChoice, SecretKey, SecretStore, StoreKind};
use super::token::TokenSet;
use crate::api::TokenProvider;

/// Where sign-in state lives and how to reach the authority: built once from the environment.
#[derive(Clone)]
pub struct AuthEnv {
    /// Directory of config.toml.
    pub config_dir: PathBuf,
    /// PCSR_KEYRING.
    pub keyring: KeyringChoice,
    /// PCSR_AUTHORITY_URL.
    pub authority_override: Option<String>,
    /// A store to use instead of opening one (tests pass a mock store).
    pub store: Option<SecretStore>,
    /// The clock for polling and expiry (tests use a virtual one).
    pub clock: Arc<dyn Clock>,
    /// Shortest pause between device-code polls.
    pub min_poll_interval: Duration,
}

impl fmt::Debug for AuthEnv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthEnv")
            .field("config_dir", &self.config_dir)
            .field("keyring", &self.keyring)
            .field("authority_override", &self.authority_override)
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

impl AuthEnv {
    /// Defaults for a config directory: automatic keyring, each cloud's own authority.
    pub fn new(config_dir: impl Into<PathBuf>) -> Self {
        AuthEnv {
            config_dir: config_dir.into(),
            keyring: KeyringChoice::Auto,
            authority_override: None,
            store: None,
            clock: Arc::new(SystemClock),
            min_poll_interval: Duration::from_secs(1),
        }
    }

    /// From PCSR_CONFIG_DIR (else the platform config dir), PCSR_KEYRING and PCSR_AUTHORITY_URL.
    pub fn from_env() -> Result<Self, AuthError> {
        let dir = default_config_dir().ok_or_else(|| AuthError::Config {
            path: PathBuf::from("config.toml"),
            message: "no home directory was found for it; set PCSR_CONFIG_DIR".into(),
        })?;
        let mut env = AuthEnv::new(dir);
        env.keyring = KeyringChoice::from_env()?;
        env.authority_override = std::env::var(AUTHORITY_ENV).ok().filter(|v| !v.trim().is_empty());
        Ok(env)
    }

    /// The same environment with an injected store (tests).
    pub fn with_store(mut self, store: SecretStore) -> Self {
        self.store = Some(store);
        self
    }

    /// The same environment with another authority (the sandbox's URL).
    pub fn with_authority(mut self, url: impl Into<String>) -> Self {
        self.authority_override = Some(url.into());
        self
    }

    /// The same environment on another clock.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The OAuth endpoint for a profile (validates authority and tenant).
    pub fn endpoint(&self, profile: &Profile) -> Result<OAuthEndpoint, AuthError> {
        let authority = resolve_authority(profile.cloud, self.authority_override.as_deref())?;
        OAuthEndpoint::new(
            authority,
            &profile.tenant,
            profile.client_id.as_deref().unwrap_or(""),
        )
    }

    /// The store new secrets go to; `None` with PCSR_KEYRING=none.
    async fn store_for_write(&self) -> Result<Option<SecretStore>, AuthError> {
        if self.keyring == KeyringChoice::None {
            return Ok(None);
        }
        if let Some(store) = &self.store {
            return Ok(Some(store.clone()));
        }
        let choice = self.keyring;
        blocking(move || SecretStore::open(choice)).await
    }

    /// Where a profile's saved secret is, as a lazily opened source.
    fn source_for(&self, kind: StoreKind, key: SecretKey) -> SecretSource {
        match &self.store {
            Some(store) => SecretSource::Store(store.clone(), key),
            None => SecretSource::Kind(kind, key),
        }
    }

    async fn open_kind(&self, kind: StoreKind) -> Result<SecretStore, AuthError> {
        match &self.store {
            Some(store) => Ok(store.clone()),
            None => blocking(move || SecretStore::open_kind(kind)).await,
        }
    }
}

/// What `login` may change about the profile; `None` keeps the profile's value (or the default).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoginOptions {
    /// Profile name; default: the active one (or `default`).
    pub profile: Option<String>,
    /// `--cloud`.
    pub cloud: Option<Cloud>,
    /// `--tenant`.
    pub tenant: Option<String>,
    /// `--client-id`.
    pub client_id: Option<String>,
}

/// A sign-in that has its profile and store settled and waits for the device-code flow.
#[derive(Debug)]
pub struct PendingLogin {
    /// The profile being signed in (cloud, tenant, client id applied).
    pub profile: Profile,
    /// The flow to run: `start()`, show the prompt, `poll_until_done()`.
    pub flow: DeviceCodeFlow,
    store: Option<SecretStore>,
    previous: Option<(StoreKind, SecretKey)>,
}

/// Step 1 of a sign-in (CLI and TUI): settles the profile and opens the keyring *before* the
/// user is sent to the browser, so a missing keyring is reported first.
pub async fn begin_login(env: &AuthEnv, opts: &LoginOptions) -> Result<PendingLogin, AuthError> {
    let config = Config::load(&env.config_dir)?;
    let name = opts
        .profile
        .clone()
        .unwrap_or_else(|| config.active_name().to_string());
    let mut profile = config.profile(&name).unwrap_or_else(|| Profile::new(&name));
    let previous = match (&profile.user, profile.secret_store) {
        (Some(user), Some(kind)) => Some((kind, SecretKey::new(profile.cloud, &profile.tenant, user))),
        _ => None,
    };
    if let Some(cloud) = opts.cloud {
        profile.cloud = cloud;
    }
    if let Some(tenant) = &opts.tenant {
        profile.tenant = validate_tenant(tenant)?;
    }
    if let Some(id) = &opts.client_id {
        let id = id.trim();
        profile.client_id = (!id.is_empty()).then(|| id.to_string());
    }
    let endpoint = env.endpoint(&profile)?;
    let store = env.store_for_write().await?;
    let flow = DeviceCodeFlow::new(endpoint)
        .with_clock(env.clock.clone())
        .with_min_interval(env.min_poll_interval);
    Ok(PendingLogin {
        profile,
        flow,
        store,
        previous,
    })
}

/// The result of a sign-in.
pub struct LoginOutcome {
    /// The profile as saved.
    pub profile: Profile,
    /// The user (UPN) the tokens name.
    pub user: String,
    /// Their display name, if the tokens carry one.
    pub display_name: Option<String>,
    /// Where the refresh token was saved; `None` = session only.
    pub stored_in: Option<StoreKind>,
    /// Why nothing was saved, when nothing was.
    pub not_stored_reason: Option<String>,
    /// When the current access token expires.
    pub expires_at: OffsetDateTime,
    /// Tokens for API calls from now on (refreshes by itself).
    pub provider: Arc<RefreshingTokenProvider>,
}

impl fmt::Debug for LoginOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginOutcome")
            .field("profile", &self.profile.name)
            .field("user", &self.user)
            .field("stored_in", &self.stored_in)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for LoginOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let who = match &self.display_name {
            Some(name) => format!("{} ({name})", self.user),
            None => self.user.clone(),
        };
        write!(
            f,
            "Signed in as {who} to {}, tenant {}, profile {}.",
            self.profile.cloud.display_name(),
            self.profile.tenant,
            self.profile.name
        )?;
        match (self.stored_in, &self.not_stored_reason) {
            (Some(kind), _) => write!(
                f,
                " The refresh token is saved in the {kind} keyring; nothing secret is on disk."
            ),
            (None, Some(reason)) => write!(
                f,
                " Nothing was saved ({reason}): this sign-in lasts only while this process runs."
            ),
            (None, None) => write!(
                f,
                " Nothing was saved: this sign-in lasts only while this process runs."
            ),
        }
    }
}

impl LoginOutcome {
    /// The provider as the API client takes it.
    pub fn token_provider(&self) -> Arc<dyn TokenProvider> {
        self.provider.clone()
    }
}

impl PendingLogin {
    /// Step 3: saves the refresh token and the profile (made active) and returns a provider.
    /// Without a store (PCSR_KEYRING=none) or a refresh token, nothing is written anywhere.
    pub async fn finish(self, env: &AuthEnv, tokens: TokenSet) -> Result<LoginOutcome, AuthError> {
        let PendingLogin {
            mut profile,
            flow,
            store,
            previous,
        } = self;
        let user = tokens.user().unwrap_or_else(|| "(unnamed user)".to_string());
        let key = SecretKey::new(profile.cloud, &profile.tenant, &user);
        let mut not_stored_reason = None;
        let saved_to = match (store, tokens.refresh_token.clone()) {
            (Some(chosen), Some(rt)) => Some(save_with_fallback(env, chosen, key.clone(), rt).await?),
            (Some(_), None) => {
                not_stored_reason = Some("the sign-in service sent no refresh token".to_string());
                None
            }
            (None, _) => {
                not_stored_reason = Some("PCSR_KEYRING=none".to_string());
                None
            }
        };
        let stored_in = saved_to.as_ref().map(SecretStore::kind);
        if stored_in.is_some() {
            if let Some((kind, old)) = previous.filter(|(_, old)| *old != key) {
                // The profile now names another user: the old user's secret must not linger.
                if let Ok(old_store) = env.open_kind(kind).await {
                    let _ = blocking(move || old_store.delete(&old)).await;
                }
            }
            profile.user = Some(user.clone());
            profile.secret_store = stored_in;
            let mut config = Config::load(&env.config_dir)?;
            config.active = Some(profile.name.clone());
            config.upsert(profile.clone());
            config.save(&env.config_dir)?;
        }
        // A session-only sign-in writes nothing: config.toml keeps any earlier saved sign-in.
        let source = saved_to.map(|store| SecretSource::Store(store, key));
        let expires_at = tokens.expires_at;
        let display_name = tokens.display_name();
        let provider = RefreshingTokenProvider::from_tokens(flow.endpoint().clone(), &user, tokens, source)
            .with_clock(env.clock.clone());
        Ok(LoginOutcome {
            profile,
            user,
            display_name,
            stored_in,
            not_stored_reason,
            expires_at,
            provider: Arc::new(provider),
        })
    }
}

/// Saves `secret`; in auto mode a Secret Service that opened but refuses to store (locked,
/// no collection, no prompter) gives way to kernel keyutils. Returns the store that took it.
async fn save_with_fallback(
    env: &AuthEnv,
    store: SecretStore,
    key: SecretKey,
    secret: String,
) -> Result<SecretStore, AuthError> {
    let (s, k, v) = (store.clone(), key.clone(), secret.clone());
    match blocking(move || s.set(&k, &v)).await {
        Ok(()) => Ok(store),
        Err(e)
            if cfg!(target_os = "linux")
                && env.keyring == KeyringChoice::Auto
                && env.store.is_none()
                && store.kind() == StoreKind::SecretService =>
        {
            tracing::warn!(error = %e, "the Secret Service refused the refresh token; trying kernel keyutils");
            let fallback = blocking(|| SecretStore::open_kind(StoreKind::Keyutils))
                .await
                .map_err(|_| e)?;
            let f = fallback.clone();
            blocking(move || f.set(&key, &secret)).await?;
            Ok(fallback)
        }
        Err(e) => Err(e),
    }
}

/// `pcsr-tui login`: runs the whole device-code sign-in, printing the code, the countdown and
/// the outcome to `out`. `tty` = stdout is a terminal (then the code is also copied with OSC 52
/// and the countdown redraws in place).
pub async fn login(
    env: &AuthEnv,
    opts: &LoginOptions,
    out: &mut (dyn Write + Send),
    tty: bool,
) -> Result<LoginOutcome, AuthError> {
    if let Some(notice) = opts.cloud.and_then(|c| c.notice()) {
        let _ = writeln!(out, "Note: {notice}");
    }
    let pending = begin_login(env, opts).await?;
    let prompt = pending.flow.start().await?;
    let mut printer = LoginPrinter::new(out, tty);
    printer.prompt(&prompt, env.clock.now());
    let result = pending
        .flow
        .poll_until_done(&prompt, |status| printer.tick(status))
        .await;
    printer.done();
    let outcome = pending.finish(env, result?).await?;
    let _ = writeln!(out, "{outcome}");
    Ok(outcome)
}

/// What `logout` removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogoutReport {
    /// The profile.
    pub profile: String,
    /// The user who was signed in, if any.
    pub user: Option<String>,
    /// The store a refresh token was deleted from.
    pub removed_from: Option<StoreKind>,
    /// The profile said signed in, but its secret was already gone.
    pub secret_was_missing: bool,
}

impl fmt::Display for LogoutReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(user) = &self.user else {
            return write!(f, "Nothing to remove: profile {} is not signed in.", self.profile);
        };
        write!(f, "Signed out {user} (profile {}): ", self.profile)?;
        match self.removed_from {
            Some(kind) => write!(f, "removed the refresh token from the {kind} keyring")?,
            None if self.secret_was_missing => {
                write!(f, "the refresh token was already gone from the keyring")?
            }
            None => write!(f, "no refresh token was saved")?,
        }
        write!(
            f,
            " and the signed-in user from config.toml (cloud and tenant are kept)."
        )
    }
}

/// `pcsr-tui logout`: deletes the profile's refresh token and its signed-in user.
pub async fn logout(env: &AuthEnv, profile: Option<&str>) -> Result<LogoutReport, AuthError> {
    let mut config = Config::load(&env.config_dir)?;
    let name = profile
        .map(str::to_string)
        .unwrap_or_else(|| config.active_name().to_string());
    let Some(mut p) = config.profile(&name) else {
        if profile.is_some() {
            return Err(AuthError::NoProfile(name));
        }
        return Ok(LogoutReport {
            profile: name,
            user: None,
            removed_from: None,
            secret_was_missing: false,
        });
    };
    let mut report = LogoutReport {
        profile: name,
        user: p.user.clone(),
        removed_from: None,
        secret_was_missing: false,
    };
    if let (Some(user), Some(kind)) = (&p.user, p.secret_store) {
        let key = SecretKey::new(p.cloud, &p.tenant, user);
        let store = env.open_kind(kind).await?;
        let kind = store.kind();
        if blocking(move || store.delete(&key)).await? {
            report.removed_from = Some(kind);
        } else {
            report.secret_was_missing = true;
        }
    }
    if p.user.is_some() || p.secret_store.is_some() {
        p.user = None;
        p.secret_store = None;
        config.upsert(p);
        config.save(&env.config_dir)?;
    }
    Ok(report)
}

/// Who is signed in where: `pcsr-tui status` (Display for humans, Serialize for --json).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusReport {
    /// Profile name.
    pub profile: String,
    /// Whether it is the active profile.
    pub active: bool,
    /// Whether config.toml has it.
    pub exists: bool,
    /// Signed-in user.
    pub user: Option<String>,
    /// Cloud.
    pub cloud: Cloud,
    /// Tenant.
    pub tenant: String,
    /// Authority signed in at (after PCSR_AUTHORITY_URL).
    pub authority: String,
    /// A custom application id, if any.
    pub client_id: Option<String>,
    /// The store that should hold the refresh token.
    pub secret_store: Option<StoreKind>,
    /// Whether it does (None when not checked).
    pub secret_present: Option<bool>,
    /// Why the store could not be checked.
    pub secret_error: Option<String>,
    /// PCSR_KEYRING=none is in effect.
    pub keyring_disabled: bool,
    /// When this process's access token expires (RFC 3339); None if none was fetched here.
    pub access_token_expires_at: Option<String>,
}

impl fmt::Display for StatusReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let active = if self.active { " (active)" } else { "" };
        writeln!(
            f,
            "Profile:  {}{active}{}",
            self.profile,
            if self.exists { "" } else { " (not created yet)" }
        )?;
        writeln!(f, "User:     {}", self.user.as_deref().unwrap_or("not signed in"))?;
        writeln!(f, "Cloud:    {} ({})", self.cloud, self.cloud.display_name())?;
        if let Some(notice) = self.cloud.notice() {
            writeln!(f, "          {notice}")?;
        }
        writeln!(f, "Tenant:   {}", self.tenant)?;
        writeln!(f, "Sign-in:  {}", self.authority)?;
        if let Some(id) = &self.client_id {
            writeln!(f, "App id:   {id}")?;
        }
        match &self.access_token_expires_at {
            Some(at) => writeln!(f, "Token:    access token valid until {at}")?,
            None if self.user.is_some() => writeln!(
                f,
                "Token:    none in memory; one is fetched with the saved refresh token on next use"
            )?,
            None => {}
        }
        let keyring = match (self.secret_store, self.secret_present, &self.secret_error) {
            _ if self.keyring_disabled => {
                "disabled (PCSR_KEYRING=none): sign-ins last only for the session".to_string()
            }
            (Some(kind), Some(true), _) => format!("the {kind} keyring holds the refresh token"),
            (Some(kind), Some(false), _) => {
                format!("the {kind} keyring no longer holds the refresh token: run `pcsr-tui login`")
            }
            (Some(kind), None, Some(err)) => format!("the {kind} keyring could not be checked: {err}"),
            _ => "no refresh token saved: run `pcsr-tui login`".to_string(),
        };
        write!(f, "Keyring:  {keyring}")
    }
}

/// `pcsr-tui status`: the profile (named or active); `live` = this process's provider, if any.
pub async fn status(
    env: &AuthEnv,
    profile: Option<&str>,
    live: Option<&RefreshingTokenProvider>,
) -> Result<StatusReport, AuthError> {
    let config = Config::load(&env.config_dir)?;
    let name = profile
        .map(str::to_string)
        .unwrap_or_else(|| config.active_name().to_string());
    let existing = config.profile(&name);
    let exists = existing.is_some();
    let p = existing.unwrap_or_else(|| Profile::new(&name));
    let authority = resolve_authority(p.cloud, env.authority_override.as_deref())
        .map(|u| u.to_string())
        .unwrap_or_else(|e| e.to_string());
    let mut report = StatusReport {
        active: name == config.active_name(),
        profile: name,
        exists,
        user: p.user.clone(),
        cloud: p.cloud,
        tenant: p.tenant.clone(),
        authority,
        client_id: p.client_id.clone(),
        secret_store: p.secret_store,
        secret_present: None,
        secret_error: None,
        keyring_disabled: env.keyring == KeyringChoice::None,
        access_token_expires_at: live
            .and_then(|l| l.access_expires_at())
            .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok()),
    };
    if let (Some(user), Some(kind), false) = (&p.user, p.secret_store, report.keyring_disabled) {
        let key = SecretKey::new(p.cloud, &p.tenant, user);
        let checked = match env.open_kind(kind).await {
            // Only presence is reported; the value is dropped here.
            Ok(store) => blocking(move || store.get(&key).map(|s| s.is_some())).await,
            Err(e) => Err(e),
        };
        match checked {
            Ok(present) => report.secret_present = Some(present),
            Err(AuthError::Keyring { message, .. }) => report.secret_error = Some(message),
            Err(e) => report.secret_error = Some(e.to_string()),
        }
    }
    Ok(report)
}

/// A signed-in profile and its token provider.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The profile (its `base_url` and `locale` are for the API client).
    pub profile: Profile,
    /// Tokens on demand; the refresh token is read from the keyring on first use.
    pub provider: Arc<RefreshingTokenProvider>,
}

impl SignedIn {
    /// The provider as the API client takes it.
    pub fn token_provider(&self) -> Arc<dyn TokenProvider> {
        self.provider.clone()
    }
}

/// The signed-in profile (named, else active), if any; `None` = not signed in (or
/// PCSR_KEYRING=none). Touches no keyring: the refresh token is read on the first API call, so
/// a vanished one surfaces there as "sign in again". main uses: PCSR_TOKEN > this > sandbox.
pub fn signed_in_provider(env: &AuthEnv, profile: Option<&str>) -> Result<Option<SignedIn>, AuthError> {
    if env.keyring == KeyringChoice::None {
        return Ok(None);
    }
    let config = Config::load(&env.config_dir)?;
    let name = profile
        .map(str::to_string)
        .unwrap_or_else(|| config.active_name().to_string());
    let Some(p) = config.profile(&name) else {
        return match profile {
            Some(_) => Err(AuthError::NoProfile(name)),
            None => Ok(None),
        };
    };
    let (Some(user), Some(kind)) = (p.user.clone(), p.secret_store) else {
        return Ok(None);
    };
    let endpoint = env.endpoint(&p)?;
    let key = SecretKey::new(p.cloud, &p.tenant, &user);
    let provider = RefreshingTokenProvider::from_saved(endpoint, &user, env.source_for(kind, key))
        .with_clock(env.clock.clone());
    Ok(Some(SignedIn {
        profile: p,
        provider: Arc::new(provider),
    }))
}
