//! Deciding where requests go and as whom: PCSR_TOKEN, a signed-in profile, or the sandbox.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::api::{ApiError, StaticToken, TokenProvider};
use crate::auth::Cloud;
use crate::azure::AzureError;
use crate::backend::Backend;
use crate::domain::{Remedy, Service};
use crate::sandbox::{SANDBOX_TOKEN, Sandbox, SandboxError, SandboxOptions};
use crate::store::{Store, StoreError};

/// Who the app acts as; drives the TUI's status bar badge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Account {
    /// The built-in sandbox (SANDBOX badge).
    Sandbox,
    /// A bearer token from PCSR_TOKEN.
    Token,
    /// A signed-in user (their user name / UPN).
    User(String),
    /// A base URL was given but no credentials: the app opens on the sign-in screen.
    SignedOut,
}

/// What the command line and environment asked for.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// `--base-url` / `PCSR_BASE_URL`.
    pub base_url: Option<String>,
    /// `PCSR_TOKEN`.
    pub token: Option<String>,
    /// `--cloud`.
    pub cloud: Option<Cloud>,
    /// `--locale`.
    pub locale: Option<String>,
    /// `--data-dir` / `PCSR_DATA_DIR`.
    pub data_dir: Option<PathBuf>,
    /// `--sandbox`.
    pub sandbox: bool,
    /// `--backend` / `PCSR_BACKEND`.
    pub backend: Option<Service>,
    /// `--subscription` / `PCSR_SUBSCRIPTION` (Azure).
    pub subscription: Option<String>,
    /// `--customer` (Azure: act for this customer tenant, CSP).
    pub customer: Option<String>,
    /// config.toml's `[defaults]`, `[ui]` and `[keys]`, used where flags and environment are silent.
    pub config: crate::config::UserConfig,
}

impl Settings {
    /// The service: `--backend` / PCSR_BACKEND, else config.toml's `[defaults] backend`, else
    /// Partner Center.
    pub fn service_or_default(&self) -> Service {
        self.backend.or(self.config.defaults.backend).unwrap_or_default()
    }

    /// The Azure subscription: `--subscription` / PCSR_SUBSCRIPTION, else `[azure] subscription`.
    pub fn subscription_or_default(&self) -> Option<String> {
        self.subscription
            .clone()
            .map(|s| s.trim().to_ascii_lowercase())
            .filter(|s| !s.is_empty())
            .or_else(|| self.config.azure.subscription.clone())
    }

    /// The cloud: `--cloud`, else config.toml's `[defaults] cloud`, else global. (A signed-in
    /// profile's own cloud comes before the config default; see [`plan`].)
    pub fn cloud_or_default(&self) -> Cloud {
        // `[defaults] cloud = "germany"` is a Partner Center user's; Azure falls back to global.
        let service = self.service_or_default();
        self.cloud
            .or(self.config.defaults.cloud.filter(|c| c.supports(service)))
            .unwrap_or_default()
    }

    /// The agent locale: `--locale`, else `[defaults] locale`, else en-US.
    pub fn locale_or_default(&self) -> String {
        self.locale
            .clone()
            .or_else(|| self.config.defaults.locale.clone())
            .unwrap_or_else(|| "en-US".to_string())
    }
}

/// Why a session could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// No data directory could be found.
    #[error("cannot find a data directory (no home directory?): set PCSR_DATA_DIR or pass --data-dir")]
    NoDataDir,
    /// A URL or client problem.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The sandbox did not start.
    #[error(transparent)]
    Sandbox(#[from] SandboxError),
    /// The local database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A base URL was given but nothing to sign in with.
    #[error("no credentials for {0}")]
    NoCredentials(String),
    /// The locale is not of the `ll-CC` shape.
    #[error("'{0}' is not a locale like en-US or sr-Latn-RS (--locale)")]
    BadLocale(String),
    /// The Azure client could not be set up.
    #[error(transparent)]
    Azure(#[from] AzureError),
    /// The service does not run in the cloud asked for.
    #[error(transparent)]
    Cloud(crate::auth::AuthError),
    /// A subscription id that is not a GUID.
    #[error("'{0}' is not a subscription id: give the subscription's GUID (see `subscriptions`)")]
    BadSubscription(String),
    /// The client could not be set up for another reason.
    #[error(transparent)]
    Backend(crate::backend::BackendError),
}

impl From<crate::backend::BackendError> for SessionError {
    fn from(e: crate::backend::BackendError) -> Self {
        use crate::backend::BackendError;
        match e {
            BackendError::Api(e) => SessionError::Api(e),
            BackendError::Azure(e) => SessionError::Azure(e),
            other => SessionError::Backend(other),
        }
    }
}

impl SessionError {
    /// Exit code, as README.md documents it.
    /// The one way forward, as data, where there is one.
    pub fn remedy(&self) -> Option<Remedy> {
        match self {
            SessionError::NoCredentials(_) => Some(Remedy::SignIn),
            SessionError::Api(e) => Some(e.remedy()),
            SessionError::Azure(e) => Some(e.remedy()),
            SessionError::Cloud(e) => Some(e.remedy()),
            SessionError::Backend(e) => Some(e.remedy()),
            _ => None,
        }
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            SessionError::NoCredentials(_) => 3,
            SessionError::Api(e) => e.exit_code(),
            // Setting up a client sends nothing: a refusal here is the URL's.
            SessionError::Azure(e) => crate::backend::BackendError::Azure(AzureError::Url {
                url: String::new(),
                reason: e.to_string(),
            })
            .exit_code(),
            SessionError::Backend(e) => e.exit_code(),
            SessionError::BadLocale(_) => 1,
            _ => 1,
        }
    }
}

/// Refuses a locale that is not of the `ll-CC` shape the service takes, before anything starts.
pub fn check_locale(locale: &str) -> Result<(), SessionError> {
    if crate::api::model::is_agent_locale(locale) {
        Ok(())
    } else {
        Err(SessionError::BadLocale(locale.to_string()))
    }
}

/// A ready-to-use client plus everything the commands and the TUI show about it.
pub struct Session {
    /// The service's client.
    pub client: Backend,
    /// The Azure subscription tickets go under (`None`: tenant level, or Partner Center).
    pub subscription: Option<String>,
    /// Who we act as.
    pub account: Account,
    /// The cloud in use.
    pub cloud: Cloud,
    /// Agent locale.
    pub locale: String,
    /// Where requests go.
    pub base_url: String,
    /// Data directory.
    pub data_dir: PathBuf,
    /// The in-process sandbox, kept alive for the session's lifetime.
    pub sandbox: Option<Sandbox>,
}

impl Session {
    /// The service in use.
    pub fn service(&self) -> Service {
        self.client.service()
    }

    /// Where this session's writes are recorded as going, for the outbox.
    pub fn origin(&self) -> crate::outbox::Origin {
        crate::outbox::Origin {
            service: self.service(),
            cloud: self.cloud_label().to_string(),
            locale: self.locale.clone(),
            base_url: self.base_url.clone(),
        }
    }

    /// Cloud name recorded with submissions: `sandbox` for the emulator.
    pub fn cloud_label(&self) -> &'static str {
        if self.account == Account::Sandbox {
            "sandbox"
        } else {
            self.cloud.as_str()
        }
    }

    /// The local database path.
    pub fn store_path(&self) -> PathBuf {
        store_path(&self.data_dir)
    }

    /// Opens the local database.
    pub fn open_store(&self) -> Result<Store, StoreError> {
        Store::open(&self.store_path())
    }

    /// Tells the user what the sign-in could not do quietly (a rotated refresh token that was
    /// not saved), then stops the in-process sandbox, if any.
    pub async fn close(self) {
        for warning in self.client.take_token_warnings() {
            eprintln!("pcsr-tui: warning: {}", crate::text::one_line(&warning));
        }
        if let Some(sandbox) = self.sandbox {
            sandbox.shutdown().await;
        }
    }
}

/// The local database file inside a data directory.
pub fn store_path(data_dir: &Path) -> PathBuf {
    data_dir.join("pcsr.sqlite")
}

/// The sandbox's own database file inside a data directory.
pub fn sandbox_db_path(data_dir: &Path) -> PathBuf {
    data_dir.join("sandbox.sqlite")
}

/// `--data-dir`, else the platform data directory (e.g. `~/.local/share/pcsr-tui`).
pub fn resolve_data_dir(explicit: Option<&Path>) -> Result<PathBuf, SessionError> {
    if let Some(dir) = explicit {
        return Ok(dir.to_path_buf());
    }
    directories::ProjectDirs::from("", "", "pcsr-tui")
        .map(|p| p.data_dir().to_path_buf())
        .ok_or(SessionError::NoDataDir)
}

/// How the session was chosen, for the one-line notice commands print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// `--sandbox`.
    SandboxAsked,
    /// Nothing configured: the sandbox by default.
    SandboxDefault,
    /// PCSR_TOKEN.
    Token,
    /// A signed-in profile.
    Profile,
}

/// A signed-in profile as the auth module hands it over.
pub struct SavedSignIn {
    /// The user's name.
    pub user: String,
    /// The profile's cloud.
    pub cloud: Cloud,
    /// The profile's base URL override.
    pub base_url: Option<String>,
    /// The profile's locale.
    pub locale: Option<String>,
    /// Token source.
    pub provider: Arc<dyn TokenProvider>,
    /// Acting for a customer (Azure, CSP): the partner's own token, sent beside the customer's.
    pub auxiliary: Option<Arc<dyn TokenProvider>>,
}

/// The signed-in profile of the service in use (see [`Settings::service_or_default`]) from
/// config.toml and the keyring, unless `--sandbox` or PCSR_TOKEN make it irrelevant (so a
/// broken config never blocks those). Azure's sign-in is the one for `--cloud`, else for
/// `[defaults] cloud` when Azure runs there; a `--cloud` the service does not run in is an error.
pub fn signed_in_from_env(settings: &Settings) -> Result<Option<SavedSignIn>, crate::auth::AuthError> {
    if settings.sandbox || settings.token.as_deref().is_some_and(|t| !t.trim().is_empty()) {
        return Ok(None);
    }
    let service = settings.service_or_default();
    let cloud = settings
        .cloud
        .or(settings.config.defaults.cloud.filter(|c| c.supports(service)));
    let env = crate::auth::AuthEnv::from_env()?;
    let Some(s) = crate::auth::signed_in_provider(&env, service, cloud, None)? else {
        return Ok(None);
    };
    // CSP: the bearer is the customer tenant's token, the partner's own goes beside it.
    let (provider, auxiliary): (Arc<dyn TokenProvider>, _) = match (service, &settings.customer) {
        (Service::Azure, Some(tenant)) => (s.customer_provider(tenant)?, Some(s.token_provider())),
        _ => (s.token_provider(), None),
    };
    Ok(Some(SavedSignIn {
        user: s.profile.user.clone().unwrap_or_else(|| "signed in".to_string()),
        cloud: s.profile.cloud,
        base_url: s.profile.base_url.clone(),
        locale: s.profile.locale.clone(),
        provider,
        auxiliary,
    }))
}

/// Where a session will go, decided from the settings alone: nothing is started, read from
/// the keyring or the network yet (the TUI draws its first frame from this).
pub struct Plan {
    /// How it was chosen.
    pub choice: Choice,
    /// The service.
    pub service: Service,
    /// The Azure subscription, where one is set.
    pub subscription: Option<String>,
    /// The customer tenant to act for (Azure, CSP).
    pub customer: Option<String>,
    /// The cloud.
    pub cloud: Cloud,
    /// Agent locale (validated).
    pub locale: String,
    /// Data directory.
    pub data_dir: PathBuf,
    target: Target,
}

enum Target {
    Sandbox,
    Token {
        base_url: String,
        token: String,
    },
    Profile {
        base_url: String,
        user: String,
        provider: Arc<dyn TokenProvider>,
        auxiliary: Option<Arc<dyn TokenProvider>>,
    },
}

impl Plan {
    /// The services besides this one that a session could reach now: on the sandbox every one
    /// (it answers as both); by token none (a token is one service's); signed in, each with a
    /// signed-in profile in config.toml (the file only: the keyring is not opened for this).
    pub fn configured_others(&self) -> Vec<Service> {
        let others = Service::ALL.into_iter().filter(|s| *s != self.service);
        match &self.target {
            Target::Sandbox => others.collect(),
            Target::Token { .. } => Vec::new(),
            Target::Profile { .. } => {
                let config = crate::auth::profiles::default_config_dir()
                    .and_then(|dir| crate::auth::Config::load(&dir).ok());
                let Some(config) = config else {
                    return Vec::new();
                };
                others
                    .filter(|s| config.profile_for(*s, None).is_some_and(|p| p.is_signed_in()))
                    .collect()
            }
        }
    }

    /// Who the session will act as.
    pub fn account(&self) -> Account {
        match &self.target {
            Target::Sandbox => Account::Sandbox,
            Target::Token { .. } => Account::Token,
            Target::Profile { user, .. } => Account::User(user.clone()),
        }
    }

    /// The local database path.
    pub fn store_path(&self) -> PathBuf {
        store_path(&self.data_dir)
    }
}

/// Decides the session: `--sandbox` > PCSR_TOKEN > signed-in profile > sandbox when nothing
/// is set.
pub fn plan(settings: &Settings, signed_in: Option<SavedSignIn>) -> Result<Plan, SessionError> {
    let data_dir = resolve_data_dir(settings.data_dir.as_deref())?;
    let profile_locale = signed_in.as_ref().and_then(|s| s.locale.clone());
    // Flags, then the signed-in profile's own, then config.toml's [defaults], then built-in.
    let locale = match (&settings.locale, profile_locale) {
        (None, Some(profile)) => profile,
        _ => settings.locale_or_default(),
    };
    check_locale(&locale)?;
    let service = settings.service_or_default();
    let mut subscription = settings.subscription_or_default();
    if let Some(sub) = &subscription
        && uuid::Uuid::parse_str(sub).is_err()
    {
        return Err(SessionError::BadSubscription(sub.clone()));
    }
    let token = settings.token.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let use_sandbox =
        settings.sandbox || (settings.base_url.is_none() && token.is_none() && signed_in.is_none());
    if subscription.is_none() && use_sandbox && service == Service::Azure {
        // A first run files technical tickets too: the sandbox's subscription with a plan.
        subscription = Some(crate::sandbox::azure::PAID_SUBSCRIPTION.to_string());
    }
    let plan = |choice, cloud: Cloud, target| {
        // A cloud the service does not run in is refused before anything starts.
        cloud.check(service).map_err(SessionError::Cloud)?;
        Ok(Plan {
            choice,
            service,
            subscription: subscription.clone(),
            customer: settings.customer.clone(),
            cloud,
            locale: locale.clone(),
            data_dir: data_dir.clone(),
            target,
        })
    };
    if use_sandbox {
        let choice = if settings.sandbox {
            Choice::SandboxAsked
        } else {
            Choice::SandboxDefault
        };
        return plan(choice, settings.cloud_or_default(), Target::Sandbox);
    }
    if let Some(token) = token {
        let cloud = settings.cloud_or_default();
        let base_url = settings
            .base_url
            .clone()
            .unwrap_or_else(|| default_base_url(service, cloud).to_string());
        let target = Target::Token {
            base_url,
            token: token.to_string(),
        };
        return plan(Choice::Token, cloud, target);
    }
    match signed_in {
        Some(profile) => {
            let cloud = settings.cloud.unwrap_or(profile.cloud);
            let base_url = settings
                .base_url
                .clone()
                .or(profile.base_url)
                .unwrap_or_else(|| default_base_url(service, cloud).to_string());
            let target = Target::Profile {
                base_url,
                user: profile.user,
                provider: profile.provider,
                auxiliary: profile.auxiliary,
            };
            plan(Choice::Profile, cloud, target)
        }
        None => Err(SessionError::NoCredentials(
            settings.base_url.clone().unwrap_or_default(),
        )),
    }
}

pub use crate::backend::default_base_url;

/// Carries out a plan: starts the sandbox if it is one, builds the client.
pub async fn start(plan: Plan) -> Result<Session, SessionError> {
    let account = plan.account();
    let Plan {
        service,
        subscription,
        cloud,
        locale,
        data_dir,
        target,
        ..
    } = plan;
    let mut auxiliary = None;
    let (base_url, token, sandbox): (String, Arc<dyn TokenProvider>, Option<Sandbox>) = match target {
        Target::Sandbox => {
            std::fs::create_dir_all(&data_dir).map_err(|source| {
                SessionError::Store(StoreError::Io {
                    path: data_dir.clone(),
                    source,
                })
            })?;
            let agent = crate::sandbox::agent_delay_from_env()?;
            let sandbox = Sandbox::start(SandboxOptions {
                db_path: Some(sandbox_db_path(&data_dir)),
                bind: std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
            })
            .await?;
            sandbox.set_agent_replies(agent);
            (
                sandbox.base_url(),
                Arc::new(StaticToken(SANDBOX_TOKEN.to_string())),
                Some(sandbox),
            )
        }
        Target::Token { base_url, token } => (base_url, Arc::new(StaticToken(token)), None),
        Target::Profile {
            base_url,
            provider,
            auxiliary: partner,
            ..
        } => {
            auxiliary = partner;
            (base_url, provider, None)
        }
    };
    let client = match Backend::connect(service, &base_url, &locale, subscription.clone(), token)? {
        Backend::Azure(c) if let Some(partner) = auxiliary => Backend::Azure(c.with_auxiliary(partner)),
        client => client,
    };
    Ok(Session {
        client,
        subscription,
        account,
        cloud,
        locale,
        base_url,
        data_dir,
        sandbox,
    })
}

/// Opens a session: [`plan`], then [`start`].
pub async fn open(
    settings: &Settings,
    signed_in: Option<SavedSignIn>,
) -> Result<(Session, Choice), SessionError> {
    let plan = plan(settings, signed_in)?;
    let choice = plan.choice;
    Ok((start(plan).await?, choice))
}
