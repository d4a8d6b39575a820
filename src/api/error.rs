//! Everything that can go wrong talking to the API, with the ids support asks for.

use crate::domain::{Failure, Remedy};
use std::fmt;
use std::time::Duration;

use uuid::Uuid;

use super::model::{ErrorBody, ThrottleBody};
use super::wire;

/// The ids sent with (and echoed by) every call; support asks for both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestIds {
    /// `MS-RequestId`: the idempotency key, the same on every retry of one call.
    pub request_id: Uuid,
    /// `MS-CorrelationId`: new for each call.
    pub correlation_id: Uuid,
}

impl RequestIds {
    /// Fresh ids for a new call.
    pub fn new() -> Self {
        RequestIds {
            request_id: Uuid::new_v4(),
            correlation_id: Uuid::new_v4(),
        }
    }

    /// Ids for a call that must reuse a known request id (a resend from the outbox).
    pub fn with_request_id(request_id: Uuid) -> Self {
        RequestIds {
            request_id,
            correlation_id: Uuid::new_v4(),
        }
    }
}

impl Default for RequestIds {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for RequestIds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "MS-RequestId {}, MS-CorrelationId {}",
            self.request_id, self.correlation_id
        )
    }
}

/// A non-success HTTP answer, decoded as far as the body allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpFailure {
    /// HTTP status code.
    pub status: u16,
    /// Partner Center error code (`3000`, `800002`, ...), when the body carried one.
    pub code: Option<String>,
    /// The service's description or throttling message.
    pub description: Option<String>,
    /// A short excerpt of a body that was not a Partner Center error (HTML, empty, truncated).
    pub excerpt: Option<String>,
    /// `Retry-After`, for 429 and 503.
    pub retry_after: Option<Duration>,
    /// The ids of the call.
    pub ids: RequestIds,
}

/// Longest body excerpt kept for errors.
const EXCERPT_CHARS: usize = 200;

impl HttpFailure {
    /// Decodes an error answer from its status, body and headers.
    pub fn from_response(status: u16, body: &[u8], retry_after: Option<Duration>, ids: RequestIds) -> Self {
        let mut failure = HttpFailure {
            status,
            code: None,
            description: None,
            excerpt: None,
            retry_after,
            ids,
        };
        match wire::parse_value(body) {
            Ok(value) if value.get("status_code").is_some() || value.get("message").is_some() => {
                if let Ok(t) = wire::from_value::<ThrottleBody>(value) {
                    failure.description = t.message;
                }
            }
            Ok(value) if value.get("code").is_some() || value.get("description").is_some() => {
                if let Ok(e) = wire::from_value::<ErrorBody>(value) {
                    failure.code = e.code;
                    failure.description = e.description;
                }
            }
            _ => failure.excerpt = Some(excerpt(body)),
        }
        if failure.retry_after.is_none() && status == 429 {
            failure.retry_after = failure.description.as_deref().and_then(seconds_in_message);
        }
        failure
    }
}

/// A printable, single-line excerpt of a body: control characters dropped, length capped.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(wire::trim_body(body));
    if text.is_empty() {
        return "(empty body)".to_string();
    }
    let mut out: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(EXCERPT_CHARS)
        .collect();
    if text.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out
}

/// Reads "Try again in 57 seconds." out of a throttling message.
fn seconds_in_message(message: &str) -> Option<Duration> {
    let after = message.split("in ").nth(1)?;
    let digits: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok().map(Duration::from_secs)
}

/// What a caller of the client gets when a call fails.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The service answered with an error status.
    #[error("{}", describe_http(.0))]
    Http(Box<HttpFailure>),
    /// No answer: connection refused or dropped, DNS, TLS, or a timeout.
    #[error("could not reach the service: {message} ({ids})")]
    Transport {
        /// What the transport said.
        message: String,
        /// Whether it was our timeout.
        timeout: bool,
        /// The ids of the call.
        ids: RequestIds,
    },
    /// A success status with a body we could not read.
    #[error("HTTP {status}: the answer could not be read ({message}); body: {excerpt} ({ids})")]
    Decode {
        /// HTTP status.
        status: u16,
        /// What was wrong.
        message: String,
        /// The start of the body.
        excerpt: String,
        /// The ids of the call.
        ids: RequestIds,
    },
    /// The body was larger than we accept.
    #[error("HTTP {status}: the answer was larger than {limit} bytes and was not read ({ids})")]
    TooLarge {
        /// HTTP status of the answer.
        status: u16,
        /// The cap in bytes.
        limit: usize,
        /// The ids of the call.
        ids: RequestIds,
    },
    /// A base URL or link we refuse to send credentials to.
    #[error("refusing URL {url}: {reason}")]
    Url {
        /// The URL.
        url: String,
        /// Why.
        reason: String,
    },
    /// An earlier attempt of this call may have reached the service (its answer was lost, it timed
    /// out or got a 5xx), so whatever the last attempt got, the outcome is unknown.
    #[error("outcome unknown: an earlier attempt may have reached the service; the last attempt got: {0}")]
    Unsettled(Box<ApiError>),
    /// The sign-in service did not answer usefully (network, 5xx, `temporarily_unavailable`)
    /// even after retries; the saved sign-in is fine, so this is not "sign in again".
    #[error("could not get a token from the sign-in service: {0}")]
    SignInUnavailable(String),
    /// No usable credentials (the token source failed).
    #[error("sign-in needed: {0}")]
    SignIn(String),
}

fn describe_http(f: &HttpFailure) -> String {
    format!("{} ({})", http_cause(f), f.ids)
}

/// An error answer in words, without the ids.
fn http_cause(f: &HttpFailure) -> String {
    let reason = reqwest::StatusCode::from_u16(f.status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let mut out = format!("HTTP {} {reason}", f.status);
    if let Some(code) = &f.code {
        out.push_str(&format!(", code {code}"));
    }
    match (&f.description, &f.excerpt) {
        (Some(d), _) => out.push_str(&format!(": {d}")),
        (None, Some(e)) => out.push_str(&format!(": the service sent no error details; body: {e}")),
        (None, None) => {}
    }
    out
}

impl ApiError {
    /// The HTTP status, if the service answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Http(f) => Some(f.status),
            ApiError::Decode { status, .. } | ApiError::TooLarge { status, .. } => Some(*status),
            ApiError::Unsettled(last) => last.status(),
            _ => None,
        }
    }

    /// The ids of the failed call, where one was made.
    pub fn ids(&self) -> Option<RequestIds> {
        match self {
            ApiError::Http(f) => Some(f.ids),
            ApiError::Transport { ids, .. }
            | ApiError::Decode { ids, .. }
            | ApiError::TooLarge { ids, .. } => Some(*ids),
            ApiError::Unsettled(last) => last.ids(),
            ApiError::Url { .. } | ApiError::SignIn(_) | ApiError::SignInUnavailable(_) => None,
        }
    }

    /// True when the user has to sign in (again) before anything else works.
    pub fn needs_sign_in(&self) -> bool {
        match self {
            ApiError::Unsettled(last) => last.needs_sign_in(),
            other => matches!(other, ApiError::SignIn(_)) || other.status() == Some(401),
        }
    }

    /// True when the request may have reached the service (the outcome rules in README.md):
    /// its answer was lost or cut (transport error, timeout), the service failed (5xx), it was
    /// accepted with an answer we could not read (2xx), or an earlier attempt was any of these.
    /// Only a call no attempt of which could have been committed is `false` (= failed).
    pub fn outcome_unknown(&self) -> bool {
        match self {
            ApiError::Transport { .. } | ApiError::Unsettled(_) => true,
            ApiError::Http(f) => f.status >= 500,
            ApiError::Decode { status, .. } | ApiError::TooLarge { status, .. } => {
                (200..300).contains(status) || *status >= 500
            }
            ApiError::Url { .. } | ApiError::SignIn(_) | ApiError::SignInUnavailable(_) => false,
        }
    }

    /// True for a success status whose answer could not be read: the service did the work.
    pub fn accepted_unread(&self) -> bool {
        match self {
            ApiError::Decode { status, .. } | ApiError::TooLarge { status, .. } => {
                (200..300).contains(status)
            }
            ApiError::Unsettled(last) => last.accepted_unread(),
            _ => false,
        }
    }

    /// The process exit code README.md documents: 3 sign-in needed, 1 local refusal, 2 API error.
    pub fn exit_code(&self) -> i32 {
        if self.needs_sign_in() {
            3
        } else if matches!(self, ApiError::Url { .. }) {
            1
        } else {
            2
        }
    }

    /// The one way forward, as data: the CLI and the TUI word it each their own way.
    pub fn remedy(&self) -> Remedy {
        match self {
            ApiError::SignIn(_) => Remedy::SignIn,
            ApiError::SignInUnavailable(_) => Remedy::SignInServiceDown,
            ApiError::Url { .. } => Remedy::UseHttps,
            ApiError::Transport { timeout: true, .. } => Remedy::Retry { after_seconds: None },
            ApiError::Transport { .. } => Remedy::CheckNetwork,
            e if e.accepted_unread() => Remedy::AcceptedUnread,
            ApiError::Unsettled(last) if last.needs_sign_in() => Remedy::SignInThenResend,
            ApiError::Unsettled(_) => Remedy::ResendOutbox,
            ApiError::TooLarge { .. } | ApiError::Decode { .. } => Remedy::CheckBaseUrl,
            ApiError::Http(f) => match f.status {
                400 => Remedy::FixInput,
                401 => Remedy::SignIn,
                403 => Remedy::NeedsPermission,
                404 => Remedy::CheckId,
                409 => Remedy::Reread,
                429 => Remedy::Retry {
                    after_seconds: f.retry_after.map(|d| d.as_secs()),
                },
                s if s >= 500 => Remedy::RetryLater,
                _ => Remedy::QuoteIds,
            },
        }
    }

    /// The failure as every UI shows it: summary, the service's code and description, the ids,
    /// and the remedy.
    pub fn failure(&self) -> Failure {
        let ids = self.ids();
        let (summary, code, description) = match self {
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
            other => (other.cause(), None, None),
        };
        Failure {
            summary,
            code,
            description,
            request_id: ids.map(|i| i.request_id),
            correlation_id: ids.map(|i| i.correlation_id),
            remedy: self.remedy(),
        }
    }

    /// What went wrong, without the ids (a UI shows those on their own lines).
    fn cause(&self) -> String {
        match self {
            ApiError::Http(f) => http_cause(f),
            ApiError::Transport { message, .. } => format!("could not reach the service: {message}"),
            ApiError::Decode {
                status,
                message,
                excerpt,
                ..
            } => format!("HTTP {status}: the answer could not be read ({message}); body: {excerpt}"),
            ApiError::TooLarge { status, limit, .. } => {
                format!("HTTP {status}: the answer was larger than {limit} bytes and was not read")
            }
            ApiError::Unsettled(last) => format!(
                "outcome unknown: an earlier attempt may have reached the service; the last attempt got: {}",
                last.cause()
            ),
            other => other.to_string(),
        }
    }
}
