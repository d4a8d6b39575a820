//! The scriptable sign-in state: how the next sign-ins go, the device codes, the tokens issued.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use uuid::Uuid;

/// The user every sandbox sign-in names.
pub const SANDBOX_USER: &str = "admin@contoso-sandbox.example";
/// The display name in the sandbox id token.
pub const SANDBOX_USER_NAME: &str = "Sandbox Admin";

/// How the next device-code sign-ins go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthScript {
    /// `authorization_pending` answers before the outcome.
    pub pending_polls: u32,
    /// Answer `slow_down` once, on the first poll.
    pub slow_down_once: bool,
    /// What happens after the pending polls.
    pub outcome: Outcome,
    /// `interval` in device-code answers (seconds).
    pub interval_secs: u64,
    /// `expires_in` in device-code answers (seconds).
    pub code_lifetime_secs: u64,
    /// `expires_in` of issued access tokens (seconds).
    pub access_lifetime_secs: u64,
    /// Send numbers in token answers as strings (`"expires_in":"3600"`), as AAD v1 did.
    pub numbers_as_strings: bool,
    /// Issue a new refresh token on every refresh (the old one stops working).
    pub rotate_refresh_tokens: bool,
}

impl Default for OAuthScript {
    /// One pending poll, then approval; one-second interval; hour-long access tokens.
    fn default() -> Self {
        OAuthScript {
            pending_polls: 1,
            slow_down_once: false,
            outcome: Outcome::Approve,
            interval_secs: 1,
            code_lifetime_secs: 900,
            access_lifetime_secs: 3600,
            numbers_as_strings: false,
            rotate_refresh_tokens: true,
        }
    }
}

/// The end of a scripted device-code sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The user approves: tokens.
    Approve,
    /// The user declines: `access_denied`.
    Deny,
    /// The code runs out: `expired_token`.
    Expire,
}

/// One device code's sign-in: how far its script has got.
pub(super) struct DeviceSession {
    /// Polls answered so far.
    pub(super) polls: u32,
    /// `slow_down` was answered once.
    pub(super) slow_down_sent: bool,
    /// When the code was given out.
    pub(super) issued: Instant,
    /// The script in force when it started.
    pub(super) script: OAuthScript,
    /// Tokens were issued or it ended; further polls are refused.
    pub(super) done: bool,
    /// The scope the device-code request asked for; the tokens are issued for it.
    pub(super) scope: String,
}

/// One request to the token or device-code endpoint, as a test may check it: which tenant's
/// path, which grant, which scope. Never the codes or tokens it carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRequest {
    /// `devicecode` or `token`.
    pub endpoint: &'static str,
    /// The `{tenant}` of the path, as sent.
    pub tenant: String,
    /// `grant_type` (token requests).
    pub grant_type: Option<String>,
    /// `scope`, if the request carried one.
    pub scope: Option<String>,
}

/// What an access token was issued for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The tenant whose token endpoint issued it.
    pub tenant: String,
    /// The scope asked for (`offline_access` and the OpenID scopes included).
    pub scope: String,
}

/// Resources the sandbox issues tokens for: Partner Center, and ARM in the three Azure clouds
/// (both spellings the clouds use for it).
pub const KNOWN_RESOURCES: &[&str] = &[
    "https://api.partnercenter.microsoft.com",
    "https://management.azure.com",
    "https://management.core.windows.net",
    "https://management.core.usgovcloudapi.net",
    "https://management.usgovcloudapi.net",
    "https://management.core.chinacloudapi.cn",
    "https://management.chinacloudapi.cn",
];

/// Whether a scope names at least one resource, and only known ones (as AAD refuses a scope
/// for a resource it does not know with `invalid_scope`).
pub(super) fn scope_is_known(scope: &str) -> bool {
    let resources: Vec<&str> = scope.split_whitespace().filter(|s| s.contains("://")).collect();
    !resources.is_empty()
        && resources.iter().all(|s| {
            KNOWN_RESOURCES.iter().any(|r| {
                s.strip_prefix(r)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            })
        })
}

/// The `scope` a token answer names: the resource scopes asked for, with `.default` given as
/// the delegated `user_impersonation` AAD grants for it.
fn granted_scope(scope: &str) -> String {
    scope
        .split_whitespace()
        .filter(|s| s.contains("://"))
        .map(|s| match s.strip_suffix("/.default") {
            Some(resource) => format!("{resource}/user_impersonation"),
            None => s.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Everything behind the state's lock.
#[derive(Default)]
pub(super) struct Inner {
    /// How sign-ins starting now go.
    pub(super) script: OAuthScript,
    /// Sign-ins by device code.
    pub(super) devices: HashMap<String, DeviceSession>,
    /// Valid refresh tokens, with the scope they were first issued for.
    pub(super) refresh_tokens: HashMap<String, String>,
    /// Valid access tokens, with when they expire.
    pub(super) access_tokens: HashMap<String, Instant>,
    /// What each access token ever issued was for.
    pub(super) grants: HashMap<String, Grant>,
    /// Every device-code and token request, in order.
    pub(super) requests: Vec<TokenRequest>,
    /// Refresh grants that succeeded.
    pub(super) refreshes: u32,
    /// Device-code polls received.
    pub(super) token_polls: u32,
    /// Every token issued.
    pub(super) issued: Vec<String>,
}

/// Shared, scriptable sign-in state. Clone it to keep a handle for tests.
#[derive(Clone, Default)]
pub struct OAuthState {
    inner: Arc<Mutex<Inner>>,
}

impl std::fmt::Debug for OAuthState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OAuthState")
    }
}

impl OAuthState {
    /// State following `script`.
    pub fn new(script: OAuthScript) -> Self {
        let state = OAuthState::default();
        state.lock().script = script;
        state
    }

    /// The state, even after a handler panicked holding it.
    pub(super) fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panicking handler must not take the sandbox down with it.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Replaces the script for sign-ins that start from now on.
    pub fn set_script(&self, script: OAuthScript) {
        self.lock().script = script;
    }

    /// Refuses every refresh token issued so far (`invalid_grant`).
    pub fn revoke_refresh_tokens(&self) {
        self.lock().refresh_tokens.clear();
    }

    /// Makes every access token issued so far invalid (the API would answer 401).
    pub fn expire_access_tokens(&self) {
        self.lock().access_tokens.clear();
    }

    /// Whether a bearer token is one this sandbox issued and is still valid.
    pub fn accepts(&self, access_token: &str) -> bool {
        self.lock()
            .access_tokens
            .get(access_token)
            .is_some_and(|until| Instant::now() < *until)
    }

    /// How many refresh-token grants succeeded.
    pub fn refresh_count(&self) -> u32 {
        self.lock().refreshes
    }

    /// Every access and refresh token issued so far (leak tests grep for them).
    pub fn issued_tokens(&self) -> Vec<String> {
        self.lock().issued.clone()
    }

    /// Every device-code and token request so far (tenant path, grant, scope), in order.
    pub fn requests(&self) -> Vec<TokenRequest> {
        self.lock().requests.clone()
    }

    /// The tenant and scope an access token was issued for, if this sandbox issued it.
    pub fn grant(&self, access_token: &str) -> Option<Grant> {
        self.lock().grants.get(access_token).cloned()
    }

    /// How many device-code polls arrived.
    pub fn poll_count(&self) -> u32 {
        self.lock().token_polls
    }

    /// A token answer for the sandbox user at `tenant` for `scope`, remembering what it issued.
    pub(super) fn issue(&self, inner: &mut Inner, script: &OAuthScript, tenant: &str, scope: &str) -> Value {
        let access = format!("sandbox-at-{}", Uuid::new_v4().simple());
        let refresh = format!("sandbox-rt-{}", Uuid::new_v4().simple());
        let lifetime = Duration::from_secs(script.access_lifetime_secs);
        inner
            .access_tokens
            .insert(access.clone(), Instant::now() + lifetime);
        inner.refresh_tokens.insert(refresh.clone(), scope.to_string());
        inner.grants.insert(
            access.clone(),
            Grant {
                tenant: tenant.to_string(),
                scope: scope.to_string(),
            },
        );
        inner.issued.extend([access.clone(), refresh.clone()]);
        let expires: Value = if script.numbers_as_strings {
            json!(script.access_lifetime_secs.to_string())
        } else {
            json!(script.access_lifetime_secs)
        };
        json!({
            "token_type": "Bearer",
            "scope": granted_scope(scope),
            "expires_in": expires,
            "ext_expires_in": expires,
            "access_token": access,
            "refresh_token": refresh,
            "id_token": fake_id_token(),
        })
    }
}

/// An unsigned id token built at run time: header and payload are base64url of small JSON.
pub(super) fn fake_id_token() -> String {
    let header = json!({"typ": "JWT", "alg": "none"}).to_string();
    let payload = json!({
        "aud": "sandbox",
        "iss": "pcsr-tui sandbox",
        "preferred_username": SANDBOX_USER,
        "name": SANDBOX_USER_NAME,
        "tid": "00000000-0000-0000-0000-000000000000",
    })
    .to_string();
    format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partner_center_and_arm_scopes_are_known_and_granted_as_aad_names_them() {
        for scope in [
            crate::auth::cloud::PARTNER_CENTER_SCOPE,
            crate::auth::cloud::ARM_SCOPE_GLOBAL,
            crate::auth::cloud::ARM_SCOPE_USGOV,
            crate::auth::cloud::ARM_SCOPE_CHINA,
        ] {
            assert!(scope_is_known(scope), "{scope}");
        }
        for unknown in [
            "y",
            "offline_access openid",
            "https://graph.microsoft.com/.default offline_access",
            "https://management.azure.com.evil.example/.default",
        ] {
            assert!(!scope_is_known(unknown), "{unknown}");
        }
        assert_eq!(
            granted_scope(crate::auth::cloud::ARM_SCOPE_CHINA),
            "https://management.core.chinacloudapi.cn/user_impersonation"
        );
        assert_eq!(
            granted_scope(crate::auth::cloud::PARTNER_CENTER_SCOPE),
            "https://api.partnercenter.microsoft.com/user_impersonation"
        );
    }
}
