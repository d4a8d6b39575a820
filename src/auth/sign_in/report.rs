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
                format!("the {kind} keyring no longer holds the refresh token: sign in again")
            }
            (Some(kind), None, Some(err)) => format!("the {kind} keyring could not be checked: {err}"),
            _ => "no refresh token saved: sign in again".to_string(),
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
