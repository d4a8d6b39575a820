//! What is signed in (`status`) and removing it (`logout`).

use super::*;

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

/// `pcsr-tui logout [--backend SERVICE] [--cloud CLOUD]`: deletes the refresh token and the
/// signed-in user of the profile named, else of `service`'s sign-in (for `cloud`, as
/// [`signed_in_provider`] picks it). Other services' and clouds' sign-ins stay.
pub async fn logout(
    env: &AuthEnv,
    service: Service,
    cloud: Option<Cloud>,
    profile: Option<&str>,
) -> Result<LogoutReport, AuthError> {
    if let Some(cloud) = cloud {
        cloud.check(service)?;
    }
    let mut config = Config::load(&env.config_dir)?;
    let Some(mut p) = pick_profile(&config, service, cloud, profile)? else {
        let name = crate::auth::profiles::profile_name_for(service, cloud.unwrap_or_default());
        let name = match service {
            Service::PartnerCenter => config.active_name().to_string(),
            _ => name,
        };
        return Ok(LogoutReport {
            profile: name,
            user: None,
            removed_from: None,
            secret_was_missing: false,
        });
    };
    let mut report = LogoutReport {
        profile: p.name.clone(),
        user: p.user.clone(),
        removed_from: None,
        secret_was_missing: false,
    };
    if let Some((kind, key)) = p.saved_secret() {
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
    /// The service the sign-in is for.
    pub service: Service,
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
        writeln!(f, "Service:  {}", self.service.label())?;
        writeln!(f, "User:     {}", self.user.as_deref().unwrap_or("not signed in"))?;
        writeln!(
            f,
            "Cloud:    {} ({})",
            self.cloud,
            self.cloud.name_for(self.service)
        )?;
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
                format!("the {kind} keyring no longer holds the refresh token: sign in again")
            }
            (Some(kind), None, Some(err)) => format!("the {kind} keyring could not be checked: {err}"),
            _ => "no refresh token saved: sign in again".to_string(),
        };
        write!(f, "Keyring:  {keyring}")
    }
}

impl StatusReport {
    /// One line for a list of sign-ins: service, cloud, user and profile.
    pub fn summary_line(&self) -> String {
        format!(
            "{} in {}: {} (profile {})",
            self.service.label(),
            self.cloud,
            self.user.as_deref().unwrap_or("not signed in"),
            self.profile
        )
    }
}

/// `pcsr-tui status`: the profile named, else `service`'s sign-in (for `cloud`, as
/// [`signed_in_provider`] picks it); `live` = this process's provider, if any.
pub async fn status(
    env: &AuthEnv,
    service: Service,
    cloud: Option<Cloud>,
    profile: Option<&str>,
    live: Option<&RefreshingTokenProvider>,
) -> Result<StatusReport, AuthError> {
    if let Some(cloud) = cloud {
        cloud.check(service)?;
    }
    let config = Config::load(&env.config_dir)?;
    let existing = match profile {
        Some(name) => config.profile(name),
        None => config.profile_for(service, cloud),
    };
    let exists = existing.is_some();
    let p = existing.unwrap_or_else(|| match (profile, service) {
        (Some(name), _) => Profile::new(name),
        (None, Service::PartnerCenter) => Profile::new(config.active_name()),
        (None, other) => Profile::for_service(other, cloud.unwrap_or_default()),
    });
    report_for(env, &config, p, exists, live).await
}

/// Every saved sign-in, of every service and cloud (`pcsr-tui status` lists the others).
pub async fn status_all(env: &AuthEnv) -> Result<Vec<StatusReport>, AuthError> {
    let config = Config::load(&env.config_dir)?;
    let mut all = Vec::new();
    for p in config.signed_in_profiles() {
        all.push(report_for(env, &config, p, true, None).await?);
    }
    Ok(all)
}

async fn report_for(
    env: &AuthEnv,
    config: &Config,
    p: Profile,
    exists: bool,
    live: Option<&RefreshingTokenProvider>,
) -> Result<StatusReport, AuthError> {
    let name = p.name.clone();
    let authority = resolve_authority(p.cloud, env.authority_override.as_deref())
        .map(|u| u.to_string())
        .unwrap_or_else(|e| e.to_string());
    let mut report = StatusReport {
        active: p.service == Service::PartnerCenter && name == config.active_name(),
        profile: name,
        exists,
        service: p.service,
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
    if let (Some((kind, key)), false) = (p.saved_secret(), report.keyring_disabled) {
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
