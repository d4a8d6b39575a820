//! A failure reduced to what a screen shows: summary, Partner Center code and description, the
//! ids support asks for, and what to do next.

use uuid::Uuid;

use crate::api::ApiError;
use crate::text;

/// A failure, reduced to what a screen shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorView {
    /// One line: "HTTP 400 Bad Request" or what the transport said.
    pub summary: String,
    /// Partner Center error code.
    pub code: Option<String>,
    /// The service's description.
    pub description: Option<String>,
    /// MS-RequestId of the failed call.
    pub request_id: Option<Uuid>,
    /// MS-CorrelationId of the failed call.
    pub correlation_id: Option<Uuid>,
    /// What to do next.
    pub hint: String,
    /// The user must run `pcsr-tui login`.
    pub sign_in: bool,
}

impl ErrorView {
    /// A local failure (the store), with what to do about it.
    pub fn local(summary: impl Into<String>, hint: impl Into<String>) -> Self {
        ErrorView {
            summary: summary.into(),
            code: None,
            description: None,
            request_id: None,
            correlation_id: None,
            hint: hint.into(),
            sign_in: false,
        }
    }
}

impl From<&ApiError> for ErrorView {
    fn from(e: &ApiError) -> Self {
        let ids = e.ids();
        let (summary, code, description) = match e {
            ApiError::Http(f) => {
                let reason = reqwest::StatusCode::from_u16(f.status)
                    .ok()
                    .and_then(|s| s.canonical_reason())
                    .unwrap_or("");
                let description = f.description.clone().or_else(|| f.excerpt.clone());
                (
                    format!("HTTP {} {reason}", f.status).trim_end().to_string(),
                    f.code.clone(),
                    description,
                )
            }
            other => {
                // The ids get their own lines; keep the summary to the cause.
                let text = other.to_string();
                let cut = text.find(" (MS-RequestId").unwrap_or(text.len());
                (text[..cut].to_string(), None, None)
            }
        };
        ErrorView {
            summary,
            code,
            description,
            request_id: ids.map(|i| i.request_id),
            correlation_id: ids.map(|i| i.correlation_id),
            hint: e.hint(),
            sign_in: e.needs_sign_in(),
        }
    }
}

impl ErrorView {
    /// The rows of an error panel: label and value (sanitized).
    pub fn rows(&self) -> Vec<(&'static str, String)> {
        let mut rows = vec![("Error", text::one_line(&self.summary))];
        if let Some(code) = &self.code {
            rows.push(("Code", text::one_line(code)));
        }
        if let Some(d) = &self.description {
            rows.push(("Description", text::one_line(d)));
        }
        if let Some(id) = self.request_id {
            rows.push(("MS-RequestId", id.to_string()));
        }
        if let Some(id) = self.correlation_id {
            rows.push(("MS-CorrelationId", id.to_string()));
        }
        rows.push(("What to do", self.hint.clone()));
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::error::{HttpFailure, RequestIds};

    #[test]
    fn error_view_keeps_status_code_ids_and_hint() {
        let ids = RequestIds::new();
        let body =
            br#"{"code": 3000, "description": "Title is required", "data": [], "source": "PartnerFD"}"#;
        let e = ApiError::Http(Box::new(HttpFailure::from_response(400, body, None, ids)));
        let v = ErrorView::from(&e);
        assert_eq!(v.summary, "HTTP 400 Bad Request");
        assert_eq!(v.code.as_deref(), Some("3000"));
        assert_eq!(v.description.as_deref(), Some("Title is required"));
        assert_eq!(v.request_id, Some(ids.request_id));
        assert!(!v.sign_in);
    }

    #[test]
    fn unauthorized_asks_for_login() {
        let e = ApiError::Http(Box::new(HttpFailure::from_response(
            401,
            b"",
            None,
            RequestIds::new(),
        )));
        let v = ErrorView::from(&e);
        assert!(v.sign_in);
        assert!(v.hint.contains("pcsr-tui login"), "{}", v.hint);
    }

    #[test]
    fn transport_summary_leaves_ids_to_their_own_lines() {
        let e = ApiError::Transport {
            message: "connection refused".into(),
            timeout: false,
            ids: RequestIds::new(),
        };
        let v = ErrorView::from(&e);
        assert_eq!(v.summary, "could not reach the service: connection refused");
    }
}
