//! Sandbox sign-in: the authority's v2 `devicecode` and `token` endpoints with real answer
//! shapes and AAD-style errors, scripted for tests (pending polls, slow_down, deny, expiry,
//! revoked refresh tokens, short-lived access tokens). Tokens are obviously fake values.
//!
//! Merge into an app with `.merge(oauth::router(state))`; the authority URL is then the app's
//! base URL (PCSR_AUTHORITY_URL).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::extract::{Form, Path, State};
use axum::http::header::HOST;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
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

struct DeviceSession {
    polls: u32,
    slow_down_sent: bool,
    issued: Instant,
    script: OAuthScript,
    done: bool,
}

#[derive(Default)]
struct Inner {
    script: OAuthScript,
    devices: HashMap<String, DeviceSession>,
    refresh_tokens: HashMap<String, String>,
    access_tokens: HashMap<String, Instant>,
    refreshes: u32,
    token_polls: u32,
    issued: Vec<String>,
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

    fn lock(&self) -> MutexGuard<'_, Inner> {
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

    /// How many device-code polls arrived.
    pub fn poll_count(&self) -> u32 {
        self.lock().token_polls
    }

    /// A token answer for the sandbox user, remembering what it issued.
    fn issue(&self, inner: &mut Inner, script: &OAuthScript) -> Value {
        let access = format!("sandbox-at-{}", Uuid::new_v4().simple());
        let refresh = format!("sandbox-rt-{}", Uuid::new_v4().simple());
        let lifetime = Duration::from_secs(script.access_lifetime_secs);
        inner
            .access_tokens
            .insert(access.clone(), Instant::now() + lifetime);
        inner
            .refresh_tokens
            .insert(refresh.clone(), SANDBOX_USER.to_string());
        inner.issued.extend([access.clone(), refresh.clone()]);
        let expires: Value = if script.numbers_as_strings {
            json!(script.access_lifetime_secs.to_string())
        } else {
            json!(script.access_lifetime_secs)
        };
        json!({
            "token_type": "Bearer",
            "scope": "https://api.partnercenter.microsoft.com/user_impersonation",
            "expires_in": expires,
            "ext_expires_in": expires,
            "access_token": access,
            "refresh_token": refresh,
            "id_token": fake_id_token(),
        })
    }
}

/// An unsigned id token built at run time: header and payload are base64url of small JSON.
fn fake_id_token() -> String {
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

/// The sign-in routes: `POST /{tenant}/oauth2/v2.0/devicecode`, `POST /{tenant}/oauth2/v2.0/token`
/// and a `GET /devicelogin` page.
pub fn router(state: OAuthState) -> Router {
    Router::new()
        .route("/{tenant}/oauth2/v2.0/devicecode", post(devicecode))
        .route("/{tenant}/oauth2/v2.0/token", post(token))
        .route("/devicelogin", get(devicelogin))
        .with_state(state)
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    let body = json!({
        "error": error,
        "error_description": format!("{description}\r\nTrace ID: {}\r\nCorrelation ID: {}", Uuid::new_v4(), Uuid::new_v4()),
        "error_codes": [],
        "timestamp": time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
    });
    (status, Json(body)).into_response()
}

fn tenant_ok(tenant: &str) -> bool {
    crate::auth::endpoint::validate_tenant(tenant).is_ok() && tenant != "consumers"
}

fn bad_tenant(tenant: &str) -> Response {
    oauth_error(
        StatusCode::BAD_REQUEST,
        "invalid_request",
        &format!(
            "AADSTS90002: Tenant '{}' not found.",
            crate::text::one_line(tenant)
        ),
    )
}

async fn devicecode(
    State(state): State<OAuthState>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if !tenant_ok(&tenant) {
        return bad_tenant(&tenant);
    }
    if form.get("client_id").is_none_or(|c| c.trim().is_empty()) {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "AADSTS900144: The request body must contain the following parameter: 'client_id'.",
        );
    }
    if form.get("scope").is_none_or(|s| s.trim().is_empty()) {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "AADSTS900144: The request body must contain the following parameter: 'scope'.",
        );
    }
    let mut inner = state.lock();
    let script = inner.script.clone();
    let device_code = format!("sandbox-dc-{}", Uuid::new_v4().simple());
    let letters: String = Uuid::new_v4()
        .simple()
        .to_string()
        .chars()
        .filter(|c| c.is_ascii_alphabetic() || c.is_ascii_digit())
        .take(8)
        .collect::<String>()
        .to_uppercase();
    let user_code = format!("SBX{letters}");
    inner.devices.insert(
        device_code.clone(),
        DeviceSession {
            polls: 0,
            slow_down_sent: false,
            issued: Instant::now(),
            script: script.clone(),
            done: false,
        },
    );
    let host = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".:-[]".contains(c))
        })
        .unwrap_or("127.0.0.1");
    let uri = format!("http://{host}/devicelogin");
    Json(json!({
        "user_code": user_code,
        "device_code": device_code,
        "verification_uri": uri,
        "expires_in": script.code_lifetime_secs,
        "interval": script.interval_secs,
        "message": format!("To sign in, use a web browser to open the page {uri} and enter the code {user_code} to authenticate."),
    }))
    .into_response()
}

async fn token(
    State(state): State<OAuthState>,
    Path(tenant): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if !tenant_ok(&tenant) {
        return bad_tenant(&tenant);
    }
    match form.get("grant_type").map(String::as_str) {
        Some("urn:ietf:params:oauth:grant-type:device_code") => device_grant(&state, &form),
        Some("refresh_token") => refresh_grant(&state, &form),
        _ => oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "AADSTS70003: The app requested an unsupported grant type.",
        ),
    }
}

fn device_grant(state: &OAuthState, form: &HashMap<String, String>) -> Response {
    let mut inner = state.lock();
    inner.token_polls += 1;
    let code = form.get("device_code").cloned().unwrap_or_default();
    let Some(session) = inner.devices.get_mut(&code) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "AADSTS70000: The provided value for the input parameter 'device_code' is not valid.",
        );
    };
    if session.done {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "AADSTS54005: OAuth2 Authorization code was already redeemed.",
        );
    }
    if session.issued.elapsed() >= Duration::from_secs(session.script.code_lifetime_secs) {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "expired_token",
            "AADSTS70020: The provided value for the input parameter 'device_code' is expired.",
        );
    }
    if session.script.slow_down_once && !session.slow_down_sent {
        session.slow_down_sent = true;
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "slow_down",
            "AADSTS70021: Polling too fast; slow down.",
        );
    }
    if session.polls < session.script.pending_polls {
        session.polls += 1;
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "authorization_pending",
            "AADSTS70016: OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
        );
    }
    session.done = true;
    let script = session.script.clone();
    match script.outcome {
        Outcome::Deny => oauth_error(
            StatusCode::BAD_REQUEST,
            "access_denied",
            "AADSTS70019: The user declined to authorize the application.",
        ),
        Outcome::Expire => oauth_error(
            StatusCode::BAD_REQUEST,
            "expired_token",
            "AADSTS70020: The provided value for the input parameter 'device_code' is expired.",
        ),
        Outcome::Approve => {
            let body = state.issue(&mut inner, &script);
            Json(body).into_response()
        }
    }
}

fn refresh_grant(state: &OAuthState, form: &HashMap<String, String>) -> Response {
    let mut inner = state.lock();
    let presented = form.get("refresh_token").cloned().unwrap_or_default();
    if !inner.refresh_tokens.contains_key(&presented) {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "AADSTS700082: The refresh token has expired or was revoked. Sign in again.",
        );
    }
    let script = inner.script.clone();
    inner.refreshes += 1;
    let mut body = state.issue(&mut inner, &script);
    if script.rotate_refresh_tokens {
        inner.refresh_tokens.remove(&presented);
    } else if let Some(obj) = body.as_object_mut() {
        // Without rotation the answer carries the same refresh token again.
        if let Some(Value::String(new)) = obj.get("refresh_token").cloned() {
            inner.refresh_tokens.remove(&new);
        }
        obj.insert("refresh_token".into(), json!(presented));
    }
    Json(body).into_response()
}

async fn devicelogin() -> Html<&'static str> {
    Html(
        "<!doctype html><title>pcsr-tui sandbox sign-in</title><p>This is the pcsr-tui sandbox: \
         device-code sign-ins approve themselves after a few polls. No account is needed.</p>",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_with_the_api_routes_without_conflicts() {
        // Route conflicts panic at construction; these are the shapes the API uses.
        let api: Router = Router::new()
            .route("/v1/servicerequests/supporttopics", get(|| async { "" }))
            .route("/v1/servicerequests/{locale}", post(|| async { "" }))
            .route(
                "/v1/customers/{tenant}/servicerequests/{id}",
                get(|| async { "" }),
            );
        let _ = api.merge(router(OAuthState::default()));
    }

    #[test]
    fn the_fake_id_token_names_the_sandbox_user() {
        let token = fake_id_token();
        assert_eq!(
            crate::auth::jwt::user_name([token.as_str()]).as_deref(),
            Some(SANDBOX_USER)
        );
        assert!(token.len() < 400);
    }
}
