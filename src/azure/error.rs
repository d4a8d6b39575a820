//! What can go wrong talking to Azure, reduced to a [`Failure`] with the ids support asks for.

use uuid::Uuid;

use crate::domain::{AttachmentError, Failure, Remedy};

use super::wire::{ErrorDetail, ErrorResponse};

/// A failed call to `Microsoft.Support` or `/subscriptions`.
#[derive(Debug, thiserror::Error)]
pub enum AzureError {
    /// The service answered with an error status.
    #[error("{}", full(self))]
    Status {
        /// The HTTP status.
        status: u16,
        /// The ARM error code.
        code: Option<String>,
        /// The message and the details' codes and messages.
        description: Option<String>,
        /// `x-ms-request-id`.
        request_id: Option<Uuid>,
        /// `x-ms-correlation-request-id`.
        correlation_id: Option<Uuid>,
        /// `Retry-After` seconds, on 429.
        retry_after: Option<u64>,
    },
    /// The base URL (or a link the service sent) is not one we send a token to.
    #[error("refusing URL {url}: {reason}")]
    Url {
        /// The URL.
        url: String,
        /// Why.
        reason: String,
    },
    /// The service could not be reached, or its answer was lost, on every attempt.
    #[error("could not reach {url}: {message}")]
    Transport {
        /// The URL.
        url: String,
        /// What the transport said.
        message: String,
    },
    /// No usable sign-in.
    #[error("sign-in needed: {0}")]
    SignIn(String),
    /// The sign-in service did not answer usefully; the saved sign-in is fine.
    #[error("could not get a token from the sign-in service: {0}")]
    SignInUnavailable(String),
    /// A 2xx answer that is not what the Swagger describes.
    #[error("the {what} answer could not be read ({message})")]
    Unreadable {
        /// Which answer.
        what: String,
        /// The parser's words.
        message: String,
    },
    /// A long-running operation was still running after every poll.
    #[error("the operation was still running after {polls} polls")]
    Unfinished {
        /// How many polls.
        polls: u32,
    },
    /// A file refused before anything was sent (size, name or type).
    #[error(transparent)]
    Attachment(#[from] AttachmentError),
    /// A file workspace name outside the Swagger's pattern (`^[0-9a-zA-Z_\-. ]+$`).
    #[error("{name:?} is not a file workspace name (letters, digits, '_', '-', '.' and spaces)")]
    WorkspaceName {
        /// The name.
        name: String,
    },
    /// A long-running operation ended Failed or Canceled.
    #[error("{}", full(self))]
    Operation {
        /// `Failed` or `Canceled`.
        state: String,
        /// The operation's error code.
        code: Option<String>,
        /// Its message and details.
        description: Option<String>,
    },
}

/// An ARM error's message followed by each detail's `code: message`.
pub fn describe(e: &ErrorDetail) -> Option<String> {
    let mut parts: Vec<String> = e.message.iter().cloned().collect();
    for d in &e.details {
        match (&d.code, &d.message) {
            (Some(c), Some(m)) => parts.push(format!("{c}: {m}")),
            (Some(x), None) | (None, Some(x)) => parts.push(x.clone()),
            (None, None) => {}
        }
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// The one-line summary: the status or the operation's end, and the service's code.
fn summary(e: &AzureError) -> String {
    match e {
        AzureError::Status { status, code, .. } => {
            let reason = reqwest::StatusCode::from_u16(*status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("");
            let mut out = format!("HTTP {status} {reason}").trim_end().to_string();
            if let Some(code) = code {
                out.push_str(&format!(", code {code}"));
            }
            out
        }
        AzureError::Operation { state, code, .. } => match code {
            Some(code) => format!("the operation ended {state}, code {code}"),
            None => format!("the operation ended {state}"),
        },
        other => other.to_string(),
    }
}

/// Everything a person needs in one message: the summary, the service's words and details,
/// and the ids support asks for.
fn full(e: &AzureError) -> String {
    let mut out = summary(e);
    let (description, ids) = match e {
        AzureError::Status {
            description,
            request_id,
            correlation_id,
            ..
        } => (description.as_deref(), Some((request_id, correlation_id))),
        AzureError::Operation { description, .. } => (description.as_deref(), None),
        _ => (None, None),
    };
    if let Some(d) = description {
        out.push_str(&format!(": {d}"));
    }
    if let Some((request, correlation)) = ids {
        let shown = |id: &Option<Uuid>| id.map_or_else(|| "-".to_string(), |u| u.to_string());
        out.push_str(&format!(
            " (x-ms-request-id {}, x-ms-correlation-request-id {})",
            shown(request),
            shown(correlation)
        ));
    }
    out
}

impl AzureError {
    /// An error answer from its status, headers' ids and body.
    pub fn from_answer(
        status: u16,
        request_id: Option<&str>,
        correlation_id: Option<&str>,
        retry_after: Option<u64>,
        body: &[u8],
    ) -> Self {
        let detail = serde_json::from_slice::<ErrorResponse>(body)
            .ok()
            .and_then(|r| r.error);
        let uuid = |s: Option<&str>| s.and_then(|s| Uuid::parse_str(s.trim()).ok());
        AzureError::Status {
            status,
            code: detail.as_ref().and_then(|d| d.code.clone()),
            description: detail.as_ref().and_then(describe),
            request_id: uuid(request_id),
            correlation_id: uuid(correlation_id),
            retry_after,
        }
    }

    /// The one way forward.
    pub fn remedy(&self) -> Remedy {
        match self {
            AzureError::Status {
                status, retry_after, ..
            } => match status {
                401 => Remedy::SignIn,
                403 => Remedy::NeedsPermission,
                404 => Remedy::CheckId,
                429 => Remedy::Retry {
                    after_seconds: *retry_after,
                },
                400 | 409 | 422 => Remedy::FixInput,
                s if *s >= 500 => Remedy::RetryLater,
                _ => Remedy::QuoteIds,
            },
            AzureError::Operation { .. } => Remedy::QuoteIds,
            AzureError::Attachment(_) | AzureError::WorkspaceName { .. } => Remedy::FixInput,
            AzureError::Url { url, .. } if url.starts_with("http://") => Remedy::UseHttps,
            AzureError::Url { .. } => Remedy::CheckBaseUrl,
            AzureError::Transport { .. } => Remedy::CheckNetwork,
            AzureError::SignIn(_) => Remedy::SignIn,
            AzureError::SignInUnavailable(_) => Remedy::SignInServiceDown,
            AzureError::Unreadable { .. } => Remedy::CheckBaseUrl,
            // Still running: reading the ticket by its name later tells how it ended.
            AzureError::Unfinished { .. } => Remedy::ResendOutbox,
        }
    }

    /// The failure as every UI shows it.
    pub fn failure(&self) -> Failure {
        let (code, description, request_id, correlation_id) = match self {
            AzureError::Status {
                code,
                description,
                request_id,
                correlation_id,
                ..
            } => (code.clone(), description.clone(), *request_id, *correlation_id),
            AzureError::Operation {
                code, description, ..
            } => (code.clone(), description.clone(), None, None),
            _ => (None, None, None, None),
        };
        Failure {
            summary: summary(self),
            code,
            description,
            request_id,
            correlation_id,
            remedy: self.remedy(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_arm_error_keeps_code_details_and_ids() {
        let body = br#"{"error":{"code":"BadRequest","message":"Invalid ticket","details":[{"code":"InvalidContact","message":"phone is required"}]}}"#;
        let e = AzureError::from_answer(
            400,
            Some("0b4f2c4a-6a57-4d4e-9f3a-1c2d3e4f5a6b"),
            Some("1b4f2c4a-6a57-4d4e-9f3a-1c2d3e4f5a6b"),
            None,
            body,
        );
        let f = e.failure();
        assert_eq!(f.remedy, Remedy::FixInput);
        assert_eq!(f.code.as_deref(), Some("BadRequest"));
        assert_eq!(
            f.description.as_deref(),
            Some("Invalid ticket; InvalidContact: phone is required")
        );
        assert_eq!(
            f.request_id.unwrap().to_string(),
            "0b4f2c4a-6a57-4d4e-9f3a-1c2d3e4f5a6b"
        );
        assert!(f.correlation_id.is_some());
        let throttled = AzureError::from_answer(429, None, None, Some(7), b"");
        assert_eq!(
            throttled.remedy(),
            Remedy::Retry {
                after_seconds: Some(7)
            }
        );
        assert_eq!(
            AzureError::from_answer(401, None, None, None, b"x").remedy(),
            Remedy::SignIn
        );
        assert_eq!(
            AzureError::from_answer(503, None, None, None, b"").remedy(),
            Remedy::RetryLater
        );
    }
}
