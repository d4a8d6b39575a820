//! What every ARM answer shares: the error body `{"error": {"code", "message", "details"}}`,
//! the `x-ms-request-id` / `x-ms-correlation-request-id` pair, the `api-version` check, the
//! bearer check and the shared fault queue, worded the way Azure Resource Manager words them.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Value, json};

use super::{API_VERSION, SUBSCRIPTIONS_API_VERSION};
use crate::sandbox::Fault;
use crate::sandbox::faults;
use crate::sandbox::state::SandboxState;

const REQUEST_ID: &str = "x-ms-request-id";
const CORRELATION_ID: &str = "x-ms-correlation-request-id";

/// An ARM error answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmError {
    /// HTTP status.
    pub status: StatusCode,
    /// ARM error code (`InvalidParameter`, `ResourceNotFound`, ...).
    pub code: String,
    /// What went wrong.
    pub message: String,
    /// The property or parameter at fault, if one.
    pub target: Option<String>,
    /// Inner errors, each `{code, message}`.
    pub details: Vec<Value>,
    /// `Retry-After` seconds (429, 503).
    pub retry_after: Option<u64>,
}

impl ArmError {
    /// An error with `status`, `code` and `message`.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ArmError {
            status,
            code: code.to_string(),
            message: message.into(),
            target: None,
            details: Vec::new(),
            retry_after: None,
        }
    }

    /// 400 `InvalidParameter` naming `target`.
    pub fn invalid(target: &str, message: impl Into<String>) -> Self {
        let mut e = ArmError::new(StatusCode::BAD_REQUEST, "InvalidParameter", message);
        e.target = Some(target.to_string());
        e
    }

    /// 400 with a code of its own.
    pub fn bad_request(code: &str, message: impl Into<String>) -> Self {
        ArmError::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 404 `ResourceNotFound` for `kind/name` (e.g. `Microsoft.Support/supportTickets/t1`).
    pub fn not_found(kind: &str, name: &str) -> Self {
        ArmError::new(
            StatusCode::NOT_FOUND,
            "ResourceNotFound",
            format!("The Resource '{kind}/{}' was not found.", printable(name)),
        )
    }

    /// 500: the sandbox itself failed.
    pub fn internal(message: impl Into<String>) -> Self {
        ArmError::new(StatusCode::INTERNAL_SERVER_ERROR, "InternalServerError", message)
    }

    /// With one detail `{code, message}`.
    pub fn with_detail(mut self, code: &str, message: impl Into<String>) -> Self {
        self.details
            .push(json!({ "code": code, "message": message.into() }));
        self
    }

    /// The `error` object (also the `error` of a failed operation).
    pub fn body(&self) -> Value {
        let mut error = json!({
            "code": self.code,
            "message": self.message,
            "details": self.details,
        });
        if let Some(t) = &self.target {
            error["target"] = Value::String(t.clone());
        }
        error
    }

    /// The generic error ARM gives for `status` (injected faults).
    pub fn for_status(status: u16) -> Self {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let (code, message) = match status.as_u16() {
            400 => ("BadRequest", "The request is invalid."),
            401 => ("AuthenticationFailed", "Authentication failed."),
            403 => (
                "AuthorizationFailed",
                "The client does not have authorization to perform this action.",
            ),
            404 => ("ResourceNotFound", "The resource was not found."),
            409 => (
                "Conflict",
                "The request conflicts with the current state of the resource.",
            ),
            502 => ("BadGateway", "The gateway did not receive a response in time."),
            503 => ("ServiceUnavailable", "The service is temporarily unavailable."),
            504 => (
                "GatewayTimeout",
                "The gateway did not receive a response within the specified time period.",
            ),
            _ => ("InternalServerError", "Encountered internal server error."),
        };
        ArmError::new(status, code, format!("{message} (injected sandbox fault)"))
    }
}

impl IntoResponse for ArmError {
    fn into_response(self) -> Response {
        let mut resp = json_response(self.status, &json!({ "error": self.body() }));
        if let Some(secs) = self.retry_after {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(
                    "Bearer authorization_uri=\"https://login.microsoftonline.com/common\", error=\"invalid_token\"",
                ),
            );
        }
        resp
    }
}

/// `value` as an ARM JSON answer.
pub fn json_response<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => {
            let mut resp = (status, bytes).into_response();
            resp.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            );
            resp
        }
        Err(e) => ArmError::internal(format!("the sandbox could not encode its answer: {e}")).into_response(),
    }
}

/// At most 64 printable characters of a caller's name, for messages.
pub fn printable(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).take(64).collect()
}

/// Facts of one call the handlers need: where the sandbox is reached (absolute links).
#[derive(Debug, Clone)]
pub struct Call {
    /// `http://host:port` as the client addressed it.
    pub base: String,
}

fn base_of(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    let query = query?;
    url_pairs(query)
        .into_iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

/// The query's `key=value` pairs, percent-decoded.
pub fn url_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

/// The `api-version` this path wants.
fn wanted_version(path: &str) -> &'static str {
    if path.trim_end_matches('/').eq_ignore_ascii_case("/subscriptions") {
        SUBSCRIPTIONS_API_VERSION
    } else {
        API_VERSION
    }
}

/// 400 unless the query carries the `api-version` the route serves, worded as ARM words it.
pub fn check_api_version(path: &str, query: Option<&str>) -> Result<(), ArmError> {
    let wanted = wanted_version(path);
    match query_param(query, "api-version") {
        None => Err(ArmError::bad_request(
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.",
        )),
        Some(v) if v.trim() == wanted => Ok(()),
        Some(v) => Err(ArmError::bad_request(
            "InvalidApiVersionParameter",
            format!(
                "The api-version '{}' is invalid. The supported versions are '{wanted}'.",
                printable(&v)
            ),
        )),
    }
}

/// Middleware for every ARM route, outside in: request ids, a queued fault, the bearer check,
/// the api-version check, the support agent's due answers, then the handler.
pub async fn gate(State(state): State<SandboxState>, mut req: Request, next: Next) -> Response {
    let correlation = req
        .headers()
        .get(CORRELATION_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty() && v.len() <= 128)
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_string);
    let request_id = uuid::Uuid::new_v4().to_string();
    let base = base_of(req.headers());
    req.extensions_mut().insert(Call { base });
    let resp = guarded(state, req, next).await;
    with_ids(resp, &request_id, &correlation)
}

async fn guarded(state: SandboxState, req: Request, next: Next) -> Response {
    let fault = state.faults().pop();
    match fault {
        Some(Fault::Status(status)) => return ArmError::for_status(status).into_response(),
        Some(Fault::RateLimit { retry_after_secs }) => {
            let mut e = ArmError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "TooManyRequests",
                format!("The request was throttled. Please retry after {retry_after_secs} seconds."),
            );
            e.retry_after = Some(retry_after_secs);
            return e.into_response();
        }
        Some(Fault::Delay(pause)) => tokio::time::sleep(pause).await,
        _ => {}
    }
    if let Err(refusal) = authorize(req.headers(), &state) {
        return refusal.into_response();
    }
    if let Err(e) = check_api_version(req.uri().path(), req.uri().query()) {
        return e.into_response();
    }
    if let Err(e) = super::agent::catch_up(&state).await {
        return e.into_response();
    }
    let resp = next.run(req).await;
    match fault {
        Some(Fault::DropAfterCommit) => faults::cut_short(resp).await,
        Some(Fault::CommitThenDelay(pause)) => {
            tokio::time::sleep(pause).await;
            resp
        }
        _ => resp,
    }
}

fn authorize(headers: &HeaderMap, state: &SandboxState) -> Result<(), ArmError> {
    crate::sandbox::authz::authorize(headers, state)
        .map(|_| ())
        .map_err(|f| {
            let code = if headers.contains_key(header::AUTHORIZATION) {
                "InvalidAuthenticationToken"
            } else {
                "AuthenticationFailed"
            };
            let message = if code == "AuthenticationFailed" {
                "Authentication failed. The 'Authorization' header is missing.".to_string()
            } else {
                format!("The access token is invalid: {}", f.description)
            };
            ArmError::new(StatusCode::UNAUTHORIZED, code, message)
        })
}

fn with_ids(mut resp: Response, request_id: &str, correlation: &str) -> Response {
    for (name, value) in [(REQUEST_ID, request_id), (CORRELATION_ID, correlation)] {
        if let Ok(v) = HeaderValue::from_str(value) {
            resp.headers_mut().insert(name, v);
        }
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_version_is_checked_per_route() {
        assert!(
            check_api_version(
                "/providers/Microsoft.Support/services",
                Some("api-version=2024-04-01")
            )
            .is_ok()
        );
        let missing = check_api_version("/providers/Microsoft.Support/services", Some("x=1")).unwrap_err();
        assert_eq!(missing.code, "MissingApiVersionParameter");
        let old = check_api_version(
            "/providers/Microsoft.Support/services",
            Some("api-version=2020-04-01"),
        )
        .unwrap_err();
        assert_eq!(old.code, "InvalidApiVersionParameter");
        assert!(check_api_version("/subscriptions", Some("api-version=2022-12-01")).is_ok());
        assert!(check_api_version("/subscriptions", Some("api-version=2024-04-01")).is_err());
    }

    #[test]
    fn query_values_are_decoded() {
        let pairs = url_pairs("%24filter=status%20eq%20%27Open%27&%24top=5&a=b+c");
        assert_eq!(pairs[0], ("$filter".into(), "status eq 'Open'".into()));
        assert_eq!(pairs[2].1, "b c");
    }
}
