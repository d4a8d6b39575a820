//! One-shot faults for tests and demos: queued in order, each spent on the next API request.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::Fault;
use super::reply::{self, ErrorReply};
use super::state::SandboxState;
use crate::api::wire;

/// Faults waiting for the next API requests, first in first out.
#[derive(Debug, Default)]
pub struct FaultQueue {
    queue: Mutex<VecDeque<Fault>>,
}

impl FaultQueue {
    /// Queues `fault` behind those already waiting.
    pub fn push(&self, fault: Fault) {
        self.lock().push_back(fault);
    }

    /// Takes the next fault, if any.
    pub fn pop(&self) -> Option<Fault> {
        self.lock().pop_front()
    }

    /// How many faults are waiting.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no fault is waiting.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Fault>> {
        // The queue stays consistent even if a holder panicked: every operation is one call.
        self.queue
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Middleware for the API routes: spends the next queued fault on this request.
pub async fn apply(State(state): State<SandboxState>, req: Request, next: Next) -> Response {
    match state.faults().pop() {
        None => next.run(req).await,
        Some(Fault::Delay(pause)) => {
            tokio::time::sleep(pause).await;
            next.run(req).await
        }
        Some(Fault::Status(status)) => {
            super::authz::with_challenge(ErrorReply::for_status(status).into_response(), &state)
        }
        Some(Fault::RateLimit { retry_after_secs }) => reply::rate_limited(retry_after_secs),
        Some(Fault::DropAfterCommit) => cut_short(next.run(req).await).await,
        Some(Fault::CommitThenDelay(pause)) => {
            // The handler's work is done (committed) before the pause, so a client that gives
            // up meanwhile drops only the answer.
            let resp = next.run(req).await;
            tokio::time::sleep(pause).await;
            resp
        }
    }
}

/// The handler has already done (and committed) its work; the client gets the status line and
/// half the body, then the connection breaks, as when a proxy or the network fails mid-answer.
pub(crate) async fn cut_short(resp: Response) -> Response {
    let (mut parts, body) = resp.into_parts();
    let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let half = bytes.slice(..bytes.len() / 2);
    let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
        Ok(half),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "sandbox fault: connection dropped after commit",
        )),
    ];
    // Without a length the answer is chunked, so the client sees a body that never ends properly.
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from_stream(futures_util::stream::iter(chunks)))
}

/// Reads a control request: `{"kind":"status","status":503}`, `{"kind":"rate_limit",
/// "retry_after_secs":2}`, `{"kind":"delay","ms":500}`, `{"kind":"commit_then_delay","ms":500}`
/// or `{"kind":"drop_after_commit"}`.
pub fn parse_control(bytes: &[u8]) -> Result<Fault, ErrorReply> {
    const KINDS: &str = "use kind status, rate_limit, delay, commit_then_delay or drop_after_commit";
    let value = wire::parse_value(bytes)
        .map_err(|e| ErrorReply::invalid_input(format!("the fault is not JSON: {e}")))?;
    let number = |key: &str| value.get(key).and_then(Value::as_u64);
    let need = |key: &str| {
        number(key).ok_or_else(|| {
            ErrorReply::invalid_property(format!("{key}: a whole number is required for this fault"))
        })
    };
    let kind = value
        .get("kind")
        .and_then(Value::as_str)
        .map(wire::fold_key)
        .unwrap_or_default();
    match kind.as_str() {
        "status" => {
            let status = need("status")?;
            u16::try_from(status)
                .ok()
                .filter(|s| (400..600).contains(s))
                .map(Fault::Status)
                .ok_or_else(|| {
                    ErrorReply::invalid_property(format!("status: {status} is not an error status (400-599)"))
                })
        }
        "rate_limit" | "ratelimit" => Ok(Fault::RateLimit {
            retry_after_secs: number("retry_after_secs").unwrap_or(1),
        }),
        "delay" => Ok(Fault::Delay(Duration::from_millis(need("ms")?))),
        "drop_after_commit" | "dropaftercommit" => Ok(Fault::DropAfterCommit),
        "commit_then_delay" => Ok(Fault::CommitThenDelay(Duration::from_millis(need("ms")?))),
        "" => Err(ErrorReply::invalid_property(format!("kind: missing; {KINDS}"))),
        other => Err(ErrorReply::invalid_property(format!(
            "kind: '{other}' is not a fault; {KINDS}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_bodies_become_faults() {
        let cases = [
            (r#"{"kind":"status","status":503}"#, Fault::Status(503)),
            (
                r#"{"Kind":"rate_limit","retry_after_secs":2}"#,
                Fault::RateLimit { retry_after_secs: 2 },
            ),
            (
                r#"{"kind":"RateLimit","retryAfterSecs":3}"#,
                Fault::RateLimit { retry_after_secs: 3 },
            ),
            (
                r#"{"kind":"delay","ms":500}"#,
                Fault::Delay(Duration::from_millis(500)),
            ),
            (r#"{"kind":"drop_after_commit"}"#, Fault::DropAfterCommit),
            (
                r#"{"kind":"commit_then_delay","ms":450}"#,
                Fault::CommitThenDelay(Duration::from_millis(450)),
            ),
            (
                r#"{"kind":"commit-then-delay","ms":1}"#,
                Fault::CommitThenDelay(Duration::from_millis(1)),
            ),
        ];
        for (body, fault) in cases {
            assert_eq!(parse_control(body.as_bytes()).unwrap(), fault, "{body}");
        }
        for bad in [
            r#"{"kind":"status","status":200}"#,
            r#"{"kind":"delay"}"#,
            r#"{"kind":"commit_then_delay"}"#,
            r#"{"kind":"explode"}"#,
            "{}",
            "x",
        ] {
            assert_eq!(
                parse_control(bad.as_bytes()).unwrap_err().status.as_u16(),
                400,
                "{bad}"
            );
        }
    }

    #[test]
    fn faults_are_spent_in_order() {
        let q = FaultQueue::default();
        q.push(Fault::Status(500));
        q.push(Fault::DropAfterCommit);
        assert_eq!(q.len(), 2);
        assert_eq!(q.pop(), Some(Fault::Status(500)));
        assert_eq!(q.pop(), Some(Fault::DropAfterCommit));
        assert!(q.pop().is_none() && q.is_empty());
    }
}
