//! The outbox: the one path every submit takes, for the CLI and the TUI's worker alike.
//!
//! record -> send -> settle -> (later) resend. A submit is recorded (state `sending`, with the
//! MS-RequestId it will carry) before anything goes on the wire, then settled by the answer:
//! - `created`: the service filed it and we read its answer;
//! - still `sending` ("outcome unknown"): some attempt may have reached the service (answer
//!   lost, timeout, 5xx, or a success whose body could not be read). It stays here and is
//!   resent with the same MS-RequestId, which the service treats as the same request;
//! - `failed`: no attempt could have been filed (e.g. 400, 403); the input is kept.
//!
//! The store is SQLite, so every store call runs on the blocking pool, never on an async
//! worker thread.

use std::sync::{Arc, Mutex};

use uuid::Uuid;

use crate::api::error::RequestIds;
use crate::api::{Answer, ApiError, Client};
use crate::domain::{NewTicket, Ticket};
use crate::store::{NewSubmission, Store, StoreError, Submission};
use crate::worker::Origin;

/// The local database, shared between the tasks that use it.
pub type SharedStore = Arc<Mutex<Store>>;

/// Why a send did not end `created`.
#[derive(Debug, thiserror::Error)]
#[error("{error}")]
pub struct SendFailure {
    /// What the service (or the network) said.
    pub error: ApiError,
    /// True when the row stays in the outbox (outcome unknown) and will be resent.
    pub in_outbox: bool,
}

/// Why a submit did not even start.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// It could not be recorded, so it was not sent.
    #[error("the request could not be recorded in the local database, so it was not sent: {0}")]
    NotRecorded(StoreError),
    /// It was recorded as local `local_id`, then the send did not end `created`.
    #[error("{failure}")]
    Send {
        /// The local row.
        local_id: i64,
        /// The MS-RequestId it carries.
        request_id: Uuid,
        /// Why.
        failure: SendFailure,
    },
}

/// A send that ended `created`.
#[derive(Debug, Clone)]
pub struct Sent {
    /// The local row.
    pub local_id: i64,
    /// The service's answer and the ids that produced it.
    pub answer: Answer<Ticket>,
    /// Set when the answer could not be stored (it was filed all the same).
    pub unrecorded: Option<String>,
}

/// One outbox entry's resend.
#[derive(Debug)]
pub struct Resent {
    /// The entry as it was before the resend.
    pub submission: Submission,
    /// What became of it.
    pub outcome: Result<Sent, SendFailure>,
}

/// The outbox service over one store.
#[derive(Clone)]
pub struct Outbox {
    store: SharedStore,
}

impl Outbox {
    /// An outbox over `store`.
    pub fn new(store: SharedStore) -> Self {
        Outbox { store }
    }

    /// The store it uses.
    pub fn store(&self) -> &SharedStore {
        &self.store
    }

    /// Runs a store call on the blocking pool.
    pub async fn db<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    {
        let store = Arc::clone(&self.store);
        tokio::task::spawn_blocking(move || {
            let store = store.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            f(&store)
        })
        .await
        .unwrap_or_else(|e| Err(StoreError::Stopped(e.to_string())))
    }

    /// Records `request` for `origin` (state `sending`), before anything is sent.
    pub async fn record(&self, origin: &Origin, request: &NewTicket) -> Result<(i64, Uuid), StoreError> {
        let request_id = Uuid::new_v4();
        let (origin, request) = (origin.clone(), request.clone());
        let local_id = self
            .db(move |s| {
                s.record_submission(&NewSubmission {
                    request_id,
                    cloud: &origin.cloud,
                    locale: &origin.locale,
                    base_url: &origin.base_url,
                    request: &request,
                })
            })
            .await?;
        Ok((local_id, request_id))
    }

    /// Records, then sends, a new request.
    pub async fn submit(
        &self,
        client: &Client,
        origin: &Origin,
        request: &NewTicket,
    ) -> Result<Sent, SubmitError> {
        let (local_id, request_id) = self
            .record(origin, request)
            .await
            .map_err(SubmitError::NotRecorded)?;
        self.send(client, local_id, request_id, request)
            .await
            .map_err(|failure| SubmitError::Send {
                local_id,
                request_id,
                failure,
            })
    }

    /// Sends a recorded request with its MS-RequestId and settles its row by the outcome rules.
    pub async fn send(
        &self,
        client: &Client,
        local_id: i64,
        request_id: Uuid,
        request: &NewTicket,
    ) -> Result<Sent, SendFailure> {
        self.send_once(client, local_id, request_id, request, false).await
    }

    /// [`Outbox::send`]; `resending` an entry whose outcome is already unknown, a refusal for
    /// want of a sign-in (no token, or a 401) leaves it unknown: an earlier attempt may have
    /// been filed, so it must never turn "failed" (and be submitted again) for that.
    async fn send_once(
        &self,
        client: &Client,
        local_id: i64,
        request_id: Uuid,
        request: &NewTicket,
        resending: bool,
    ) -> Result<Sent, SendFailure> {
        let mut outcome = client
            .create(request, RequestIds::with_request_id(request_id))
            .await;
        if let Err(e) = &outcome
            && e.accepted_unread()
        {
            // Filed, answer unreadable: the same MS-RequestId fetches the service's copy.
            tracing::info!(
                local_id,
                "create accepted but unreadable ({e}); asking again with the same id"
            );
            if let Ok(answer) = client
                .create(request, RequestIds::with_request_id(request_id))
                .await
            {
                outcome = Ok(answer);
            }
        }
        match outcome {
            Ok(answer) => {
                let sr = answer.value.clone();
                let unrecorded = self
                    .db(move |s| s.mark_created(local_id, &sr))
                    .await
                    .err()
                    .map(|e| e.to_string());
                Ok(Sent {
                    local_id,
                    answer,
                    unrecorded,
                })
            }
            Err(error) => {
                let text = error.to_string();
                let unknown = error.outcome_unknown()
                    || (resending
                        && (error.needs_sign_in() || matches!(error, ApiError::SignInUnavailable(_))));
                let settled = self
                    .db(move |s| s.record_send_outcome(local_id, unknown, &text))
                    .await;
                if let Err(e) = settled {
                    tracing::warn!(local_id, "could not record the send error: {e}");
                }
                Err(SendFailure {
                    error,
                    in_outbox: unknown,
                })
            }
        }
    }

    /// Entries waiting for a resend to `origin` (state `sending`), oldest first.
    pub async fn pending(&self, origin: &Origin) -> Result<Vec<Submission>, StoreError> {
        let (cloud, base_url) = (origin.cloud.clone(), origin.base_url.clone());
        self.db(move |s| s.outbox_for(&cloud, &base_url)).await
    }

    /// Resends the pending entries for `origin` (only those in `only` when it is not empty), one
    /// after the other, each with its stored MS-RequestId.
    pub async fn resend(
        &self,
        client: &Client,
        origin: &Origin,
        only: &[i64],
    ) -> Result<Vec<Resent>, StoreError> {
        let pending = self.pending(origin).await?;
        let mut done = Vec::new();
        for sub in pending
            .into_iter()
            .filter(|s| only.is_empty() || only.contains(&s.local_id))
        {
            let outcome = self
                .send_once(client, sub.local_id, sub.request_id, &sub.request, true)
                .await;
            done.push(Resent {
                submission: sub,
                outcome,
            });
        }
        Ok(done)
    }
}

/// Whether an outbox entry recorded for `cloud` at `base_url` belongs to the session at `here`.
/// The in-process sandbox gets a new port every run, so sandbox entries match by cloud alone.
/// `Store::outbox_for` applies this rule in SQL; this is its statement, kept for the tests that
/// hold the two together.
pub fn same_destination(cloud: &str, base_url: &str, here: &Origin) -> bool {
    if cloud == "sandbox" || here.cloud == "sandbox" {
        return cloud == here.cloud;
    }
    cloud == here.cloud && base_url.trim_end_matches('/') == here.base_url.trim_end_matches('/')
}

#[cfg(test)]
mod destination_tests {
    use super::{Origin, same_destination};

    fn origin(cloud: &str, base_url: &str) -> Origin {
        Origin {
            cloud: cloud.into(),
            locale: "en-US".into(),
            base_url: base_url.into(),
        }
    }

    #[test]
    fn outbox_entries_are_resent_only_to_where_they_were_meant_to_go() {
        let sandbox = origin("sandbox", "http://127.0.0.1:40001/");
        let real = origin("global", "https://api.partnercenter.microsoft.com/");
        // A sandbox entry from an earlier run (another port) is resent to today's sandbox.
        assert!(same_destination("sandbox", "http://127.0.0.1:39999", &sandbox));
        // Never across the sandbox boundary, either way.
        assert!(!same_destination(
            "global",
            "https://api.partnercenter.microsoft.com",
            &sandbox
        ));
        assert!(!same_destination("sandbox", "http://127.0.0.1:39999", &real));
        // Real clouds: same cloud and same endpoint (trailing slash aside).
        assert!(same_destination(
            "global",
            "https://api.partnercenter.microsoft.com",
            &real
        ));
        assert!(!same_destination(
            "usgov",
            "https://api.partnercenter.microsoft.com",
            &real
        ));
        assert!(!same_destination("global", "https://pc.example.com", &real));
    }
}
