//! One logical call: the attempts, their backoff, 429 waits, one token refresh on 401, and the
//! outcome rule that decides whether a failed call may have been committed.

use std::time::Duration;

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use reqwest::{Method, Url};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::{APP_HEADER, Answer, Client, ClientEvent, TokenError, transport_message};
use crate::api::error::{ApiError, HttpFailure, RequestIds, excerpt};
use crate::api::wire;

impl Client {
    /// One logical call, decoded.
    pub(super) async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        url: Url,
        body: Option<Vec<u8>>,
        ids: RequestIds,
    ) -> Result<Answer<T>, ApiError> {
        let raw = self.exchange(method, url, body, ids).await?;
        decode(raw.status, &raw.value, raw.ids).map_err(|e| raw.settle(e))
    }

    /// One logical call: attempts with backoff, 429 waits, one token refresh on 401.
    ///
    /// Outcome rule: once an attempt may have reached the service (its answer was lost or cut,
    /// it timed out, or a 5xx came back) the call's outcome is unknown, whatever later attempts
    /// get; the error then says so ([`ApiError::Unsettled`]). Updates are not idempotent (a
    /// note would be added twice), so they are retried only after answers that prove nothing
    /// was done (429, 408).
    pub(super) async fn exchange(
        &self,
        method: Method,
        url: Url,
        body: Option<Vec<u8>>,
        ids: RequestIds,
    ) -> Result<RawAnswer, ApiError> {
        let cfg = &self.config;
        let max_attempts = cfg.max_attempts.max(1);
        let writes = method != Method::GET;
        let idempotent = method != Method::PATCH;
        let mut maybe_committed = false;
        let mut refreshed = false;
        let mut attempt = 1;
        loop {
            let token = match self.token.token(refreshed).await {
                Ok(token) => token,
                Err(TokenError::SignIn(e)) => return Err(settled(ApiError::SignIn(e), maybe_committed)),
                Err(TokenError::Unavailable(e)) => {
                    return Err(settled(ApiError::SignInUnavailable(e), maybe_committed));
                }
            };
            let outcome = self.attempt(&method, &url, body.as_deref(), ids, &token).await;
            let (wait, reason) = match outcome {
                Ok((status, headers, bytes)) if (200..300).contains(&status) => {
                    return Ok(RawAnswer {
                        status,
                        value: bytes,
                        ids: echoed(&headers, ids),
                        maybe_committed,
                    });
                }
                Ok((401, headers, bytes)) if !refreshed => {
                    tracing::info!(%url, "401: refreshing the token once");
                    let _ = (headers, bytes);
                    refreshed = true;
                    self.emit(ClientEvent::RefreshingToken);
                    continue;
                }
                Ok((status, headers, bytes)) => {
                    let failure = HttpFailure::from_response(
                        status,
                        &bytes,
                        retry_after(&headers),
                        echoed(&headers, ids),
                    );
                    if writes && status >= 500 {
                        maybe_committed = true;
                    }
                    let proves_nothing_done = matches!(status, 408 | 429);
                    let retryable = matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
                        && (idempotent || proves_nothing_done);
                    let server_wait = failure.retry_after;
                    let err = ApiError::Http(Box::new(failure));
                    if !retryable || attempt >= max_attempts {
                        return Err(settled(err, maybe_committed));
                    }
                    if status == 429 {
                        let wait = server_wait.unwrap_or(Duration::from_secs(30));
                        if wait > cfg.max_retry_after {
                            return Err(settled(err, maybe_committed));
                        }
                        self.emit(ClientEvent::RateLimited { wait });
                        tracing::warn!(%url, wait_s = wait.as_secs(), "429: waiting Retry-After");
                        tokio::time::sleep(wait).await;
                        attempt += 1;
                        continue;
                    }
                    let backoff = server_wait.filter(|d| *d <= cfg.max_retry_after);
                    (
                        backoff.unwrap_or_else(|| backoff_for(cfg.backoff, attempt)),
                        format!("HTTP {status}"),
                    )
                }
                Err(err) => {
                    let reason = match &err {
                        ApiError::Transport { timeout: true, .. } => "timeout".to_string(),
                        ApiError::Transport { message, .. } => message.clone(),
                        // An answer we would not read: the service answered, do not ask again.
                        _ => return Err(settled(err, maybe_committed)),
                    };
                    if writes {
                        maybe_committed = true;
                    }
                    if attempt >= max_attempts || !idempotent {
                        return Err(settled(err, maybe_committed));
                    }
                    (backoff_for(cfg.backoff, attempt), reason)
                }
            };
            attempt += 1;
            tracing::warn!(%url, attempt, wait_ms = wait.as_millis() as u64, %reason, request_id = %ids.request_id, "retrying");
            self.emit(ClientEvent::Retrying {
                attempt,
                max_attempts,
                wait,
                reason,
            });
            tokio::time::sleep(wait).await;
        }
    }

    async fn attempt(
        &self,
        method: &Method,
        url: &Url,
        body: Option<&[u8]>,
        ids: RequestIds,
        token: &str,
    ) -> Result<(u16, HeaderMap, Vec<u8>), ApiError> {
        let mut req = self
            .http
            .request(method.clone(), url.clone())
            .timeout(self.config.timeout)
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .header(ACCEPT, "application/json")
            .header("MS-RequestId", ids.request_id.to_string())
            .header("MS-CorrelationId", ids.correlation_id.to_string())
            .header("X-Locale", &self.config.locale)
            .header("MS-PartnerCenter-Application", APP_HEADER);
        if let Some(body) = body {
            req = req.header(CONTENT_TYPE, "application/json").body(body.to_vec());
        }
        tracing::debug!(%method, %url, request_id = %ids.request_id, "sending (Authorization redacted)");
        let transport = |e: reqwest::Error| ApiError::Transport {
            message: transport_message(&e),
            timeout: e.is_timeout(),
            ids,
        };
        let mut resp = req.send().await.map_err(transport)?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let limit = self.config.max_body_bytes;
        if resp.content_length().is_some_and(|n| n > limit as u64) {
            return Err(ApiError::TooLarge { status, limit, ids });
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(transport)? {
            if bytes.len() + chunk.len() > limit {
                return Err(ApiError::TooLarge { status, limit, ids });
            }
            bytes.extend_from_slice(&chunk);
        }
        tracing::debug!(%url, status, bytes = bytes.len(), "answer");
        Ok((status, headers, bytes))
    }
}

/// A success status and its body, before decoding.
pub(super) struct RawAnswer {
    pub(super) status: u16,
    pub(super) value: Vec<u8>,
    pub(super) ids: RequestIds,
    /// An earlier attempt may have reached the service too.
    maybe_committed: bool,
}

impl RawAnswer {
    /// An error about this answer, marked unsettled when an earlier attempt may have committed.
    pub(super) fn settle(&self, err: ApiError) -> ApiError {
        settled(err, self.maybe_committed)
    }
}

/// Wraps `err` as [`ApiError::Unsettled`] when an attempt may have been committed and `err`
/// alone would not say so.
fn settled(err: ApiError, maybe_committed: bool) -> ApiError {
    if maybe_committed && !err.outcome_unknown() {
        ApiError::Unsettled(Box::new(err))
    } else {
        err
    }
}

pub(super) fn decode<T: DeserializeOwned>(
    status: u16,
    bytes: &[u8],
    ids: RequestIds,
) -> Result<Answer<T>, ApiError> {
    wire::parse(bytes)
        .map(|value| Answer { value, status, ids })
        .map_err(|e| ApiError::Decode {
            status,
            message: e.to_string(),
            excerpt: excerpt(bytes),
            ids,
        })
}

/// The ids the server echoed, falling back to ours.
fn echoed(headers: &HeaderMap, ours: RequestIds) -> RequestIds {
    let read = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| Uuid::parse_str(v.trim()).ok())
    };
    RequestIds {
        request_id: read("MS-RequestId").unwrap_or(ours.request_id),
        correlation_id: read("MS-CorrelationId").unwrap_or(ours.correlation_id),
    }
}

/// `Retry-After` in seconds (the form Partner Center sends) or as an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc2822).ok()?;
    let secs = (when - time::OffsetDateTime::now_utc()).whole_seconds().max(0);
    Some(Duration::from_secs(secs as u64))
}

fn backoff_for(base: Duration, attempt: u32) -> Duration {
    let factor = 1u32 << (attempt.saturating_sub(1)).min(6);
    let pause = base.saturating_mul(factor);
    // Up to 20% jitter so many clients retrying together spread out.
    let jitter = pause.mul_f64(rand::random::<f64>() * 0.2);
    pause + jitter
}
