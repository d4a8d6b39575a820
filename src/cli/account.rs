//! `login`, `logout`, `status`: the auth module's flows, printed for a terminal.

use std::io::IsTerminal;

use crate::auth::{self, AuthEnv, LoginOptions};
use crate::session::Settings;

/// `pcsr-tui login`: device-code sign-in; the refresh token goes to the OS keyring.
pub async fn login(
    settings: &Settings,
    tenant: Option<String>,
    client_id: Option<String>,
) -> anyhow::Result<()> {
    let env = AuthEnv::from_env()?;
    // A profile keeps the cloud it signed in to; `[defaults] cloud` picks one for a new profile.
    let has_profile = crate::auth::profiles::Config::load(&env.config_dir)
        .ok()
        .and_then(|c| c.active_profile())
        .is_some();
    let opts = LoginOptions {
        profile: None,
        cloud: settings
            .cloud
            .or(settings.config.defaults.cloud.filter(|_| !has_profile)),
        tenant,
        client_id,
    };
    let mut out = std::io::stdout();
    let tty = out.is_terminal();
    auth::login(&env, &opts, &mut out, tty).await?;
    Ok(())
}

/// `pcsr-tui logout`: deletes the keyring entry and says what was removed.
pub async fn logout() -> anyhow::Result<()> {
    let env = AuthEnv::from_env()?;
    let report = auth::logout(&env, None).await?;
    super::output::emit_line(&report.to_string())
}

/// `pcsr-tui status`: the active profile, user, cloud, and where the secret is kept.
pub async fn status(settings: &Settings) -> anyhow::Result<()> {
    if settings.token.as_deref().is_some_and(|t| !t.trim().is_empty()) {
        super::output::emit_line("PCSR_TOKEN is set: commands use it as-is (no sign-in, no keyring).")?;
    }
    let env = AuthEnv::from_env()?;
    let report = auth::status(&env, None, None).await?;
    // The report names the profile's cloud; a --cloud given here gets its notice too.
    if let Some(notice) = settings
        .cloud
        .filter(|c| *c != report.cloud)
        .and_then(|c| c.notice())
    {
        super::output::emit_line(&format!("Note: {notice}"))?;
    }
    super::output::emit_line(&report.to_string())?;
    // Which backend commands would use: the sandbox is easy to be on without noticing.
    let signed_in = crate::session::signed_in_from_env(settings)?;
    match crate::session::plan(settings, signed_in).map(|p| p.choice) {
        Ok(crate::session::Choice::SandboxAsked) => super::output::emit_line(
            "Backend: the built-in sandbox (--sandbox); nothing leaves this machine.",
        ),
        Ok(crate::session::Choice::SandboxDefault) => super::output::emit_line(
            "Backend: the built-in sandbox, because no account is configured; nothing leaves this machine \
             (`pcsr-tui login` to use Partner Center).",
        ),
        _ => Ok(()),
    }
}
