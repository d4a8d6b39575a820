//! How the sandbox answers: JSON bodies with Partner Center's content type, and its error body.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// The content type Partner Center sends on every JSON answer.
pub const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// Which service the error bodies claim to come from (as the real front door does).
const SOURCE: &str = "PartnerFD";

/// `value` as a JSON answer with `status`.
pub fn json<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => with_json_type(status, bytes),
        Err(e) => {
            ErrorReply::internal(format!("the sandbox could not encode its answer: {e}")).into_response()
        }
    }
}

fn with_json_type(status: StatusCode, bytes: Vec<u8>) -> Response {
    let mut resp = (status, bytes).into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_CONTENT_TYPE));
    resp
}

/// An error answer in Partner Center's shape: `{"code", "description", "data", "source"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorReply {
    /// HTTP status.
    pub status: StatusCode,
    /// Partner Center error code (sent as a JSON number, like the real service).
    pub code: u32,
    /// What went wrong, naming the field or resource.
    pub description: String,
}

impl ErrorReply {
    /// 400 / 3000: a property of the resource is invalid.
    pub fn invalid_property(description: impl Into<String>) -> Self {
        ErrorReply {
            status: StatusCode::BAD_REQUEST,
            code: 3000,
            description: description.into(),
        }
    }

    /// 400 / 800002: the request itself (body, query) could not be read.
    pub fn invalid_input(description: impl Into<String>) -> Self {
        ErrorReply {
            status: StatusCode::BAD_REQUEST,
            code: 800002,
            description: description.into(),
        }
    }

    /// 401 / 800001: no usable bearer token.
    pub fn token_missing(description: impl Into<String>) -> Self {
        ErrorReply {
            status: StatusCode::UNAUTHORIZED,
            code: 800001,
            description: description.into(),
        }
    }

    /// 404 / 1000: no such resource or route.
    pub fn not_found(description: impl Into<String>) -> Self {
        ErrorReply {
            status: StatusCode::NOT_FOUND,
            code: 1000,
            description: description.into(),
        }
    }

    /// 409 / 800002: the call conflicts with an earlier one (a reused MS-RequestId).
    pub fn conflict(description: impl Into<String>) -> Self {
        ErrorReply {
            status: StatusCode::CONFLICT,
            code: 800002,
            description: description.into(),
        }
    }

    /// 500 / 800003: the sandbox itself failed.
    pub fn internal(description: impl Into<String>) -> Self {
        ErrorReply {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: 800003,
            description: description.into(),
        }
    }

    /// The generic error Partner Center gives for `status` (used by injected faults).
    pub fn for_status(status: u16) -> Self {
        let status = StatusCode::from_u16(status)
            .ok()
            .filter(|s| s.is_client_error() || s.is_server_error())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let (code, what) = match status.as_u16() {
            400 => (800002, "invalid request input"),
            401 => (800001, "partner token missing"),
            403 => (2032, "access denied"),
            404 => (1000, "not found"),
            500 => (800003, "unexpected service error"),
            s if s >= 500 => (800003, "the service is unavailable"),
            _ => (800002, "the request was refused"),
        };
        ErrorReply {
            status,
            code,
            description: format!("{what} (injected sandbox fault)"),
        }
    }
}

impl IntoResponse for ErrorReply {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "code": self.code,
            "description": self.description,
            "data": [],
            "source": SOURCE,
        });
        with_json_type(self.status, body.to_string().into_bytes())
    }
}

/// 429 with `Retry-After` and the throttling body, which differs from the usual error body.
pub fn rate_limited(retry_after_secs: u64) -> Response {
    let body = serde_json::json!({
        "statusCode": 429,
        "message": format!("Rate limit is exceeded. Try again in {retry_after_secs} seconds."),
    });
    let mut resp = with_json_type(StatusCode::TOO_MANY_REQUESTS, body.to_string().into_bytes());
    resp.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
    resp
}
