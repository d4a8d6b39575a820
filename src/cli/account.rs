//! `login`, `logout`, `status`: the auth module's flows, printed for a terminal. Each acts on
//! the service in use (`--backend`), and for Azure on the sign-in for `--cloud`.

use std::io::IsTerminal;

use crate::auth::{self, AuthEnv, Cloud, LoginOptions};
use crate::domain::Service;
use crate::session::Settings;

/// The cloud a command names for `service`: `--cloud`, else `[defaults] cloud` where the
/// service runs (for Partner Center only when it has no profile yet: a profile keeps the cloud
/// it signed in to).
fn cloud_for(settings: &Settings, service: Service, has_profile: bool) -> Option<Cloud> {
    let default = settings
        .config
        .defaults
        .cloud
        .filter(|c| c.supports(service))
        .filter(|_| service != Service::PartnerCenter || !has_profile);
    settings.cloud.or(default)
}

/// `pcsr-tui login`: device-code sign-in; the refresh token goes to the OS keyring.
pub async fn login(
    settings: &Settings,
    service: Service,
    tenant: Option<String>,
    client_id: Option<String>,
) -> anyhow::Result<()> {
    let env = AuthEnv::from_env()?;
    let has_profile = crate::auth::profiles::Config::load(&env.config_dir)
        .ok()
        .and_then(|c| c.profile_for(service, None))
        .is_some();
    let opts = LoginOptions {
        profile: None,
        cloud: cloud_for(settings, service, has_profile),
        tenant,
        client_id,
    };
    let mut out = std::io::stdout();
    let tty = out.is_terminal();
    auth::login(&env, service, &opts, &mut out, tty).await?;
    Ok(())
}

/// `pcsr-tui logout`: deletes the keyring entry and says what was removed.
pub async fn logout(settings: &Settings, service: Service) -> anyhow::Result<()> {
    let env = AuthEnv::from_env()?;
    let report = auth::logout(&env, service, cloud_for(settings, service, true), None).await?;
    super::output::emit_line(&report.to_string())
}

/// `pcsr-tui status`: the service's profile, user, cloud, and where the secret is kept; then
/// the other saved sign-ins, one line each.
pub async fn status(settings: &Settings, service: Service) -> anyhow::Result<()> {
    if settings.token.as_deref().is_some_and(|t| !t.trim().is_empty()) {
        super::output::emit_line("PCSR_TOKEN is set: commands use it as-is (no sign-in, no keyring).")?;
    }
    let env = AuthEnv::from_env()?;
    let report = auth::status(&env, service, cloud_for(settings, service, true), None, None).await?;
    // The report names the profile's cloud; a --cloud given here gets its notice too.
    if let Some(notice) = settings
        .cloud
        .filter(|c| *c != report.cloud)
        .and_then(|c| c.notice())
    {
        super::output::emit_line(&format!("Note: {notice}"))?;
    }
    super::output::emit_line(&report.to_string())?;
    let others: Vec<String> = auth::status_all(&env)
        .await?
        .into_iter()
        .filter(|r| r.profile != report.profile)
        .map(|r| format!("  {}", r.summary_line()))
        .collect();
    if !others.is_empty() {
        super::output::emit_line(&format!("Other sign-ins:\n{}", others.join("\n")))?;
    }
    // Which backend commands would use: the sandbox is easy to be on without noticing.
    let signed_in = crate::session::signed_in_from_env(settings)?;
    match crate::session::plan(settings, signed_in).map(|p| p.choice) {
        Ok(crate::session::Choice::SandboxAsked) => super::output::emit_line(
            "Backend: the built-in sandbox (--sandbox); nothing leaves this machine.",
        ),
        Ok(crate::session::Choice::SandboxDefault) => super::output::emit_line(&format!(
            "Backend: the built-in sandbox, because no account is configured; nothing leaves this machine \
             (`pcsr-tui login{}` to use {}).",
            match service {
                Service::PartnerCenter => "",
                Service::Azure => " --backend azure",
            },
            service.label()
        )),
        _ => Ok(()),
    }
}
