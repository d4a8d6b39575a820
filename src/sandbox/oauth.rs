//! Sandbox sign-in: the authority's v2 `devicecode` and `token` endpoints with real answer
//! shapes and AAD-style errors, scripted for tests (pending polls, slow_down, deny, expiry,
//! revoked refresh tokens, short-lived access tokens). Tokens are obviously fake values. The
//! routes are here; what they script and issue is in `state`.
//!
//! Merge into an app with `.merge(oauth::router(state))`; the authority URL is then the app's
//! base URL (PCSR_AUTHORITY_URL).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::extract::{Form, Path, State};
use axum::http::header::HOST;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use uuid::Uuid;

mod state;

use state::{DeviceSession, scope_is_known};
pub use state::{
    Grant, KNOWN_RESOURCES, OAuthScript, OAuthState, Outcome, SANDBOX_USER, SANDBOX_USER_NAME, TokenRequest,
};

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

fn bad_scope(scope: &str) -> Response {
    oauth_error(
        StatusCode::BAD_REQUEST,
        "invalid_scope",
        &format!(
            "AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope {} is not valid.",
            crate::text::one_line(scope)
        ),
    )
}

/// How many requests the sandbox remembers (a long `sandbox serve` must not grow forever).
const REQUESTS_KEPT: usize = 1000;

/// Remembers what a request asked for (never the codes or tokens it carried).
fn record(state: &OAuthState, endpoint: &'static str, tenant: &str, form: &HashMap<String, String>) {
    let mut inner = state.lock();
    if inner.requests.len() >= REQUESTS_KEPT {
        inner.requests.remove(0);
    }
    inner.requests.push(TokenRequest {
        endpoint,
        tenant: tenant.to_string(),
        grant_type: form.get("grant_type").cloned(),
        scope: form.get("scope").cloned(),
    });
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
    record(&state, "devicecode", &tenant, &form);
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
    let scope = form.get("scope").cloned().unwrap_or_default();
    if !scope_is_known(&scope) {
        return bad_scope(&scope);
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
            scope,
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
    record(&state, "token", &tenant, &form);
    if !tenant_ok(&tenant) {
        return bad_tenant(&tenant);
    }
    match form.get("grant_type").map(String::as_str) {
        Some("urn:ietf:params:oauth:grant-type:device_code") => device_grant(&state, &tenant, &form),
        // A refresh token is redeemed at any tenant's endpoint (CSP: a customer's), as AAD
        // does for a user with access there.
        Some("refresh_token") => refresh_grant(&state, &tenant, &form),
        _ => oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "AADSTS70003: The app requested an unsupported grant type.",
        ),
    }
}

fn device_grant(state: &OAuthState, tenant: &str, form: &HashMap<String, String>) -> Response {
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
    let scope = session.scope.clone();
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
            let body = state.issue(&mut inner, &script, tenant, &scope);
            Json(body).into_response()
        }
    }
}

fn refresh_grant(state: &OAuthState, tenant: &str, form: &HashMap<String, String>) -> Response {
    let mut inner = state.lock();
    let presented = form.get("refresh_token").cloned().unwrap_or_default();
    let Some(first_scope) = inner.refresh_tokens.get(&presented).cloned() else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "AADSTS700082: The refresh token has expired or was revoked. Sign in again.",
        );
    };
    // Without a scope the grant's own is renewed, as AAD does.
    let scope = form
        .get("scope")
        .filter(|s| !s.trim().is_empty())
        .cloned()
        .unwrap_or(first_scope);
    if !scope_is_known(&scope) {
        return bad_scope(&scope);
    }
    let script = inner.script.clone();
    inner.refreshes += 1;
    let mut body = state.issue(&mut inner, &script, tenant, &scope);
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
    use super::state::fake_id_token;
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
