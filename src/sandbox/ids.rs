//! The MS-RequestId / MS-CorrelationId pair: read (or made up) per request, echoed on every
//! answer; and a last pass that gives framework-made errors (404, 405, 413) Partner Center's body.

use axum::body::to_bytes;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::reply::ErrorReply;

const REQUEST_ID: &str = "ms-requestid";
const CORRELATION_ID: &str = "ms-correlationid";

/// The ids of one call, available to handlers as a request extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallIds {
    /// `MS-RequestId`: the idempotency key of creates.
    pub request_id: String,
    /// `MS-CorrelationId`.
    pub correlation_id: String,
}

/// Middleware: records the call's ids, then echoes them and normalizes the answer.
pub async fn echo(mut req: Request, next: Next) -> Response {
    let ids = CallIds {
        request_id: read_or_new(req.headers(), REQUEST_ID),
        correlation_id: read_or_new(req.headers(), CORRELATION_ID),
    };
    let (method, path) = (req.method().clone(), req.uri().path().to_string());
    req.extensions_mut().insert(ids.clone());
    let resp = normalize(next.run(req).await, &method, &path).await;
    with_ids(resp, &ids)
}

fn read_or_new(headers: &HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty() && v.len() <= 128)
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_string)
}

fn with_ids(mut resp: Response, ids: &CallIds) -> Response {
    for (name, value) in [
        (REQUEST_ID, &ids.request_id),
        (CORRELATION_ID, &ids.correlation_id),
    ] {
        if let Ok(value) = HeaderValue::from_str(value) {
            resp.headers_mut().insert(name, value);
        }
    }
    resp
}

/// Error answers that are not JSON yet (axum's own 405, 413, extractor refusals) get the
/// Partner Center error body, keeping their status and `Allow` header.
async fn normalize(resp: Response, method: &Method, path: &str) -> Response {
    let status = resp.status();
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if status.is_success() || is_json || !(status.is_client_error() || status.is_server_error()) {
        return resp;
    }
    let allow = resp.headers().get(header::ALLOW).cloned();
    let text = to_bytes(resp.into_body(), 4096)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string());
    let mut failure = ErrorReply::for_status(status.as_u16());
    failure.description = if status == StatusCode::METHOD_NOT_ALLOWED {
        let allowed = allow
            .as_ref()
            .and_then(|v| v.to_str().ok())
            .unwrap_or("other methods");
        format!("{method} is not allowed on {path}; use {allowed}")
    } else {
        match text {
            Ok(t) if !t.is_empty() => format!("{t} ({method} {path})"),
            _ => format!(
                "{} ({method} {path})",
                status.canonical_reason().unwrap_or("request refused")
            ),
        }
    };
    let mut out = failure.into_response();
    if let Some(allow) = allow {
        out.headers_mut().insert(header::ALLOW, allow);
    }
    out
}
