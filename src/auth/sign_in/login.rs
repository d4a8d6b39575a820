//! Signing in: the device-code login, in two steps or one, and where the secret is kept.

use super::*;

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

/// Step 1 of a Partner Center sign-in (the TUI's sign-in screen): [`begin_login_for`] with
/// [`Service::PartnerCenter`].
pub async fn begin_login(env: &AuthEnv, opts: &LoginOptions) -> Result<PendingLogin, AuthError> {
    begin_login_for(env, Service::PartnerCenter, opts).await
}

/// Step 1 of a sign-in for `service` (CLI and TUI): settles the profile and opens the keyring
/// *before* the user is sent to the browser, so a missing keyring (or a cloud the service does
/// not run in) is reported first.
///
/// The profile: the one named; else Partner Center's active profile (which keeps its cloud
/// unless `opts.cloud` says otherwise), or Azure's profile for `opts.cloud` (a new one named
/// `azure`, `azure-usgov` or `azure-china`), so one service's sign-in never replaces the
/// other's.
pub async fn begin_login_for(
    env: &AuthEnv,
    service: Service,
    opts: &LoginOptions,
) -> Result<PendingLogin, AuthError> {
    if let Some(cloud) = opts.cloud {
        cloud.check(service)?;
    }
    let config = Config::load(&env.config_dir)?;
    let mut profile = match &opts.profile {
        Some(name) => config.profile(name).unwrap_or_else(|| Profile::new(name)),
        None => config.profile_for(service, opts.cloud).unwrap_or_else(|| {
            let mut fresh = Profile::for_service(service, opts.cloud.unwrap_or_default());
            if service == Service::PartnerCenter && config.profile(config.active_name()).is_none() {
                // The active name is free (or unset): Partner Center's sign-in goes there.
                fresh.name = config.active_name().to_string();
            }
            fresh
        }),
    };
    let previous = profile.saved_secret();
    profile.service = service;
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
            self.profile.cloud.name_for(self.profile.service),
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
    /// Step 3: saves the refresh token and the profile (a Partner Center one is made active;
    /// Azure's are found by cloud) and returns a provider. Without a store (PCSR_KEYRING=none)
    /// or a refresh token, nothing is written anywhere.
    pub async fn finish(self, env: &AuthEnv, tokens: TokenSet) -> Result<LoginOutcome, AuthError> {
        let PendingLogin {
            mut profile,
            flow,
            store,
            previous,
        } = self;
        let user = tokens.user().unwrap_or_else(|| "(unnamed user)".to_string());
        let key = profile.secret_key(&user);
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
            if profile.service == Service::PartnerCenter {
                config.active = Some(profile.name.clone());
            }
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

/// `pcsr-tui login [--backend SERVICE]`: runs the whole device-code sign-in for `service`,
/// printing the code, the countdown and the outcome to `out`. `tty` = stdout is a terminal
/// (then the code is also copied with OSC 52 and the countdown redraws in place).
pub async fn login(
    env: &AuthEnv,
    service: Service,
    opts: &LoginOptions,
    out: &mut (dyn Write + Send),
    tty: bool,
) -> Result<LoginOutcome, AuthError> {
    let pending = begin_login_for(env, service, opts).await?;
    if let Some(notice) = opts.cloud.and_then(|c| c.notice()) {
        let _ = writeln!(out, "Note: {notice}");
    }
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
