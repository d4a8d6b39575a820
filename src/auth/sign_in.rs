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
use super::device::DeviceCodeFlow;
use super::endpoint::{AUTHORITY_ENV, OAuthEndpoint, resolve_authority, validate_tenant};
use super::error::AuthError;
use super::login_ui::LoginPrinter;
use super::profiles::{Config, Profile, default_config_dir};
use super::refresh::{RefreshingTokenProvider, SecretSource, blocking};
use super::secrets::{KeyringChoice, SecretKey, SecretStore, StoreKind};
use super::token::TokenSet;
use crate::api::TokenProvider;
use crate::domain::Service;

// Split by what the caller wants: signing in (`login`), and what is there to see or remove
// (`report`: status and logout). This file keeps the environment and the signed-in provider.
mod login;
mod report;

pub use login::*;
pub use report::*;

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

    /// The OAuth endpoint for a profile (validates service and cloud, authority and tenant),
    /// asking for the profile's service's scope in its cloud.
    pub fn endpoint(&self, profile: &Profile) -> Result<OAuthEndpoint, AuthError> {
        let scope = profile.cloud.scope(profile.service)?;
        let authority = resolve_authority(profile.cloud, self.authority_override.as_deref())?;
        Ok(OAuthEndpoint::new(
            authority,
            &profile.tenant,
            profile.client_id.as_deref().unwrap_or(""),
        )?
        .with_scope(scope))
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

    /// CSP, acting for a customer: tokens for `customer_tenant` (its tenant id or domain), got
    /// by redeeming this sign-in's refresh token at that tenant's token endpoint
    /// (`{authority}/{tenant}/oauth2/v2.0/token`) with the same client and scope. Use it as the
    /// bearer and [`SignedIn::token_provider`] (the partner's own) as the auxiliary token.
    /// A rotated refresh token goes back to this sign-in's keyring entry, which both
    /// providers read before each refresh.
    pub fn customer_provider(
        &self,
        customer_tenant: &str,
    ) -> Result<Arc<RefreshingTokenProvider>, AuthError> {
        let tenant = validate_tenant(customer_tenant)?;
        if matches!(tenant.as_str(), "organizations" | "common" | "consumers") {
            return Err(AuthError::CustomerTenant(crate::text::one_line(customer_tenant)));
        }
        Ok(Arc::new(self.provider.for_tenant(&tenant)?))
    }
}

/// `service`'s signed-in profile, if any; `None` = not signed in (or PCSR_KEYRING=none).
/// `profile` names one; else Partner Center's is the active profile, and Azure's the one for
/// `cloud` (without a cloud: see [`Config::profile_for`]). A cloud the service does not run in
/// is an error. Touches no keyring: the refresh token is read on the first API call, so a
/// vanished one surfaces there as "sign in again". main uses: PCSR_TOKEN > this > sandbox.
pub fn signed_in_provider(
    env: &AuthEnv,
    service: Service,
    cloud: Option<Cloud>,
    profile: Option<&str>,
) -> Result<Option<SignedIn>, AuthError> {
    if let Some(cloud) = cloud {
        cloud.check(service)?;
    }
    if env.keyring == KeyringChoice::None {
        return Ok(None);
    }
    let config = Config::load(&env.config_dir)?;
    let Some(p) = pick_profile(&config, service, cloud, profile)? else {
        return Ok(None);
    };
    let Some((kind, key)) = p.saved_secret() else {
        return Ok(None);
    };
    let user = p.user.clone().unwrap_or_default();
    let endpoint = env.endpoint(&p)?;
    let provider = RefreshingTokenProvider::from_saved(endpoint, &user, env.source_for(kind, key))
        .with_clock(env.clock.clone());
    Ok(Some(SignedIn {
        profile: p,
        provider: Arc::new(provider),
    }))
}

/// The named profile (an error if it does not exist), else `service`'s for `cloud`.
fn pick_profile(
    config: &Config,
    service: Service,
    cloud: Option<Cloud>,
    profile: Option<&str>,
) -> Result<Option<Profile>, AuthError> {
    match profile {
        Some(name) => config
            .profile(name)
            .map(Some)
            .ok_or_else(|| AuthError::NoProfile(name.to_string())),
        None => Ok(config.profile_for(service, cloud)),
    }
}
