//! Who is calling. Any non-empty bearer token is the sandbox partner (the app sends
//! [`super::SANDBOX_TOKEN`]), unless strict mode ([`super::Sandbox::require_issued_tokens`])
//! accepts only tokens the sandbox's own sign-in emulator issued: sign-in tests use it to tell
//! which token was sent.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::assets::Identity;
use super::reply::ErrorReply;
use super::state::SandboxState;

/// The identity behind the request's `Authorization: Bearer` token, or the 401 to answer.
pub fn authorize(headers: &HeaderMap, state: &SandboxState) -> Result<Identity, ErrorReply> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .unwrap_or("");
    if token.is_empty() {
        return Err(ErrorReply::token_missing(
            "partner token missing: send Authorization: Bearer <token> (sign in first)",
        ));
    }
    if let Some(oauth) = state.strict_tokens()
        && !oauth.accepts(token)
    {
        return Err(ErrorReply::token_missing(
            "the bearer token was not issued by this sandbox's sign-in service, or has expired (strict mode)",
        ));
    }
    Ok(state.identity().clone())
}

/// Middleware for the API routes: refuses unauthenticated calls and hands the [`Identity`] on
/// to the handlers as a request extension.
pub async fn require(State(state): State<SandboxState>, mut req: Request, next: Next) -> Response {
    match authorize(req.headers(), &state) {
        Ok(identity) => {
            req.extensions_mut().insert(identity);
            next.run(req).await
        }
        Err(refusal) => with_challenge(refusal.into_response(), &state),
    }
}

/// The challenge Partner Center's docs show on a 401: `OAuth realm=urn:cpsvc:cpid:{cid}`, here
/// with the sandbox partner's organization id.
pub fn challenge(state: &SandboxState) -> HeaderValue {
    let cid = state.identity().organization.id.as_deref().unwrap_or("sandbox");
    HeaderValue::from_str(&format!("OAuth realm=urn:cpsvc:cpid:{cid}"))
        .unwrap_or_else(|_| HeaderValue::from_static("OAuth realm=urn:cpsvc:cpid:sandbox"))
}

/// Adds the challenge to a 401 answer; other answers pass unchanged.
pub fn with_challenge(mut resp: Response, state: &SandboxState) -> Response {
    if resp.status() == StatusCode::UNAUTHORIZED {
        resp.headers_mut()
            .insert(header::WWW_AUTHENTICATE, challenge(state));
    }
    resp
}
