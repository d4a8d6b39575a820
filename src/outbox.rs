//! The outbox: the one path every write takes (a submit, a note, a close), for the CLI and the
//! TUI's worker alike.
//!
//! record -> send -> settle -> (later) resend. A submit is recorded (state `sending`, with the
//! MS-RequestId it will carry) before anything goes on the wire, then settled by the answer:
//! - `created`: the service filed it and we read its answer;
//! - still `sending` ("outcome unknown"): some attempt may have reached the service (answer
//!   lost, timeout, 5xx, or a success whose body could not be read). It stays here and is
//!   resent with the same MS-RequestId, which the service treats as the same request;
//! - `failed`: no attempt could have been filed (e.g. 400, 403); the input is kept.
//!
//! Notes and closes follow the same rules (store `changes`): recorded with their MS-RequestId
//! before the first send, kept while the outcome is unknown, and settled on a resend by reading
//! the request back first (a close it shows closed, or the note it shows, needs no second
//! send), then resending with the same MS-RequestId. One refused for good was not applied and
//! leaves the outbox.
//!
//! The store is SQLite, so every store call runs on the blocking pool, never on an async
//! worker thread.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::api::{Answer, Scope};
use crate::backend::{Backend, BackendError};
use crate::domain::{NewTicket, Service, Stamp, Status, Ticket};
use crate::store::{
    ChangeKind, NewChange, NewSubmission, RecordedChange, Store, StoreError, StoreExecutor, Submission,
};

/// Where submissions (and notes and closes) are recorded as going.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The service.
    pub service: Service,
    /// Cloud name (`sandbox` for the emulator).
    pub cloud: String,
    /// Agent locale.
    pub locale: String,
    /// API base URL.
    pub base_url: String,
}

/// Why a send did not end `created`.
#[derive(Debug, thiserror::Error)]
#[error("{error}")]
pub struct SendFailure {
    /// What the service (or the network) said.
    pub error: BackendError,
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

/// A note or close the service holds now.
#[derive(Debug, Clone)]
pub struct Applied {
    /// The local outbox row.
    pub local_id: i64,
    /// The request as it stands with the change.
    pub request: Ticket,
    /// True when nothing was sent this time: the request already showed the change (read back
    /// after a lost answer, or a close of a request that was closed already).
    pub already: bool,
    /// Set when the outcome could not be stored (the service holds the change all the same).
    pub unrecorded: Option<String>,
}

/// Why a note or close did not end applied.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    /// It could not be recorded, so it was not sent.
    #[error("the change could not be recorded in the local database, so it was not sent: {0}")]
    NotRecorded(StoreError),
    /// It was recorded as `label` (`n3`, `c4`), then the send did not end applied.
    #[error("{failure}")]
    Send {
        /// The outbox id as the commands take it.
        label: String,
        /// Why; `failure.in_outbox` says whether it stays for a resend.
        failure: SendFailure,
    },
}

/// One note's or close's resend.
#[derive(Debug)]
pub struct ResentChange {
    /// The entry as it was before the resend.
    pub change: RecordedChange,
    /// What became of it.
    pub outcome: Result<Applied, SendFailure>,
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
    store: StoreExecutor,
}

impl Outbox {
    /// An outbox whose store calls run on `store` (the one executor its caller uses too).
    pub fn new(store: StoreExecutor) -> Self {
        Outbox { store }
    }

    /// Runs a store call on the store's executor.
    pub async fn db<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    {
        self.store.call_db(f).await
    }

    /// Records `request` for `origin` (state `sending`), before anything is sent.
    pub async fn record(
        &self,
        (client, origin): (&Backend, &Origin),
        request: &NewTicket,
        attachments: &[std::path::PathBuf],
    ) -> Result<(i64, Uuid), StoreError> {
        let request_id = Uuid::new_v4();
        let (origin, mut request) = (origin.clone(), request.clone());
        let attachments = attachments.to_vec();
        let scope = client.recorded_scope();
        if origin.service.capabilities().client_named && request.name.is_none() {
            // The name every PUT of it carries, recorded before the first.
            request.name = Some(crate::backend::azure_name(request_id));
        }
        let local_id = self
            .db(move |s| {
                s.record_submission(&NewSubmission {
                    request_id,
                    service: origin.service,
                    cloud: &origin.cloud,
                    locale: &origin.locale,
                    base_url: &origin.base_url,
                    request: &request,
                    attachments: &attachments,
                    subscription: scope.as_deref(),
                })
            })
            .await?;
        Ok((local_id, request_id))
    }

    /// Records, then sends, a new request.
    pub async fn submit(
        &self,
        client: &Backend,
        origin: &Origin,
        request: &NewTicket,
        attachments: &[std::path::PathBuf],
    ) -> Result<Sent, SubmitError> {
        let (local_id, request_id) = self
            .record((client, origin), request, attachments)
            .await
            .map_err(SubmitError::NotRecorded)?;
        // Recorded under this client's scope just now: no need to read it back.
        self.send_once(client, local_id, request_id, request, false)
            .await
            .map_err(|failure| SubmitError::Send {
                local_id,
                request_id,
                failure,
            })
    }

    /// Sends a recorded request with its MS-RequestId and settles its row by the outcome rules,
    /// under the Azure subscription the row was recorded with: a resend after the subscription
    /// changed must not look for the ticket in the other one (and, finding none there, file it
    /// twice).
    pub async fn send(
        &self,
        client: &Backend,
        local_id: i64,
        request_id: Uuid,
        request: &NewTicket,
    ) -> Result<Sent, SendFailure> {
        let scope = match client.service() {
            Service::Azure => match self.db(move |s| s.submission(local_id)).await {
                Ok(row) => row.and_then(|r| r.subscription),
                Err(e) => {
                    tracing::warn!(
                        local_id,
                        "could not read the row's scope, sending under this one: {e}"
                    );
                    None
                }
            },
            Service::PartnerCenter => None,
        };
        let client = client.under_recorded(scope.as_deref());
        self.send_once(&client, local_id, request_id, request, false)
            .await
    }

    /// [`Outbox::send`]; `resending` an entry whose outcome is already unknown, a refusal for
    /// want of a sign-in (no token, or a 401) leaves it unknown: an earlier attempt may have
    /// been filed, so it must never turn "failed" (and be submitted again) for that.
    async fn send_once(
        &self,
        client: &Backend,
        local_id: i64,
        request_id: Uuid,
        request: &NewTicket,
        resending: bool,
    ) -> Result<Sent, SendFailure> {
        if resending && client.service().capabilities().client_named {
            // An unknown outcome is settled by reading the name before any new PUT.
            if let Some(answer) = self.read_back(client, request, request_id).await? {
                return Ok(self.created(local_id, answer).await);
            }
        }
        let mut outcome = client.create(request, request_id).await;
        if let Err(e) = &outcome
            && (e.accepted_unread() || (client.service().capabilities().client_named && e.outcome_unknown()))
        {
            // Filed, or maybe filed, with no readable answer: the same key fetches the
            // service's copy (Partner Center: the same MS-RequestId; Azure: a GET of the name).
            tracing::info!(local_id, "create outcome unknown ({e}); asking with the same key");
            let again = if client.service().capabilities().client_named {
                self.read_back(client, request, request_id)
                    .await
                    .ok()
                    .flatten()
                    .map(Ok)
            } else {
                Some(client.create(request, request_id).await)
            };
            if let Some(Ok(answer)) = again {
                outcome = Ok(answer);
            }
        }
        match outcome {
            Ok(answer) => Ok(self.created(local_id, answer).await),
            Err(error) => {
                let text = error.to_string();
                let unknown = error.outcome_unknown()
                    || (resending && (error.needs_sign_in() || error.sign_in_unavailable()));
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

    /// Settles a row as created with the service's answer.
    async fn created(&self, local_id: i64, answer: Answer<Ticket>) -> Sent {
        let sr = answer.value.clone();
        let unrecorded = self
            .db(move |s| s.mark_created(local_id, &sr))
            .await
            .err()
            .map(|e| e.to_string());
        Sent {
            local_id,
            answer,
            unrecorded,
        }
    }

    /// A client-named ticket read by its name: `Some` when the service holds it, `None` when
    /// it does not, an error when the read itself failed (the outcome stays unknown).
    async fn read_back(
        &self,
        client: &Backend,
        request: &NewTicket,
        request_id: Uuid,
    ) -> Result<Option<Answer<Ticket>>, SendFailure> {
        client
            .created_under(request, request_id)
            .await
            .map_err(|error| SendFailure {
                error,
                in_outbox: true,
            })
    }

    /// Records `edit` (a note or a close) of `server_id`, then sends it.
    pub async fn change(
        &self,
        client: &Backend,
        origin: &Origin,
        server_id: &str,
        customer: Option<&str>,
        edit: &crate::domain::Change,
    ) -> Result<Applied, ChangeError> {
        let request_id = Uuid::new_v4();
        let (kind, text, subject) = match edit {
            crate::domain::Change::Note { text, subject } => {
                (ChangeKind::Note, Some(text.clone()), subject.clone())
            }
            crate::domain::Change::Close => (ChangeKind::Close, None, None),
        };
        let (origin, server_id, customer) = (
            origin.clone(),
            server_id.to_string(),
            customer.map(str::to_string),
        );
        let scope = client.recorded_scope();
        let change = self
            .db(move |s| {
                let local_id = s.record_change(&NewChange {
                    kind,
                    request_id,
                    server_id: &server_id,
                    customer: customer.as_deref(),
                    text: text.as_deref(),
                    subject: subject.as_deref(),
                    service: origin.service,
                    cloud: &origin.cloud,
                    base_url: &origin.base_url,
                    subscription: scope.as_deref(),
                })?;
                s.change(local_id)?.ok_or_else(|| {
                    StoreError::Stopped(format!("change #{local_id} vanished after recording"))
                })
            })
            .await
            .map_err(ChangeError::NotRecorded)?;
        self.apply(client, &change)
            .await
            .map_err(|failure| ChangeError::Send {
                label: change.label(),
                failure,
            })
    }

    /// Sends a recorded change with its MS-RequestId and settles its row.
    async fn apply(&self, client: &Backend, change: &RecordedChange) -> Result<Applied, SendFailure> {
        let scope = scope_of(change.customer.as_deref());
        let edit = match change.kind {
            ChangeKind::Note => crate::domain::Change::Note {
                text: change.text.clone().unwrap_or_default(),
                subject: change.subject.clone(),
            },
            ChangeKind::Close => crate::domain::Change::Close,
        };
        let outcome = client
            .apply(&scope, &change.server_id, &edit, change.request_id)
            .await;
        match outcome {
            Ok(sr) => Ok(self.applied(change.local_id, sr, false).await),
            Err(error) => {
                // A service may refuse to close a closed request; to the user it is closed.
                if change.kind == ChangeKind::Close
                    && !error.outcome_unknown()
                    && matches!(error.status(), Some(400 | 409))
                    && let Ok(sr) = client.get(&scope, &change.server_id).await
                    && sr.status == Some(Status::Closed)
                {
                    return Ok(self.applied(change.local_id, sr, true).await);
                }
                Err(self.unapplied(change.local_id, error).await)
            }
        }
    }

    /// Settles a change as applied and keeps the request's fresh copy in the history.
    async fn applied(&self, local_id: i64, request: Ticket, already: bool) -> Applied {
        let copy = request.clone();
        let unrecorded = self
            .db(move |s| {
                s.mark_change_applied(local_id)?;
                s.record_refresh(&copy).map(|_| ())
            })
            .await
            .err()
            .map(|e| e.to_string());
        Applied {
            local_id,
            request,
            already,
            unrecorded,
        }
    }

    /// Settles a change that did not apply: kept when it may have (unknown), dropped when not.
    async fn unapplied(&self, local_id: i64, error: BackendError) -> SendFailure {
        let unknown = error.outcome_unknown();
        let text = error.to_string();
        let settled = self
            .db(move |s| {
                if unknown {
                    s.note_change_error(local_id, &text)
                } else {
                    s.discard_change(local_id).map(|_| ())
                }
            })
            .await;
        if let Err(e) = settled {
            tracing::warn!(local_id, "could not record the change's send error: {e}");
        }
        SendFailure {
            error,
            in_outbox: unknown,
        }
    }

    /// Notes and closes waiting for a resend to `origin`, oldest first.
    pub async fn pending_changes(&self, origin: &Origin) -> Result<Vec<RecordedChange>, StoreError> {
        let (service, cloud, base_url) = (origin.service, origin.cloud.clone(), origin.base_url.clone());
        self.db(move |s| s.changes_for(service, &cloud, &base_url)).await
    }

    /// Settles the pending notes and closes for `origin` (only those in `only` when it is not
    /// empty), one after the other: each is read back first, and sent again with its stored
    /// MS-RequestId only when the request does not show it.
    pub async fn resend_changes(
        &self,
        client: &Backend,
        origin: &Origin,
        only: &[i64],
    ) -> Result<Vec<ResentChange>, StoreError> {
        let pending = self.pending_changes(origin).await?;
        let mut done = Vec::new();
        for change in pending
            .into_iter()
            .filter(|c| only.is_empty() || only.contains(&c.local_id))
        {
            let outcome = self.settle_change(client, &change).await;
            done.push(ResentChange { change, outcome });
        }
        Ok(done)
    }

    async fn settle_change(&self, client: &Backend, change: &RecordedChange) -> Result<Applied, SendFailure> {
        // Where it was sent: under another subscription the ticket is not found, and a note
        // that may have arrived would be called failed.
        let client = &client.under_recorded(change.subscription.as_deref());
        let scope = scope_of(change.customer.as_deref());
        let read = match change.kind {
            ChangeKind::Note => client.conversation(&scope, &change.server_id).await,
            ChangeKind::Close => client.get(&scope, &change.server_id).await,
        };
        match read {
            Ok(sr) if already_there(client, &sr, change) => Ok(self.applied(change.local_id, sr, true).await),
            Ok(_) => self.apply(client, change).await,
            // The request is gone (or not in this scope): there is nothing to apply it to.
            Err(error) if error.status() == Some(404) => Err(self.unapplied(change.local_id, error).await),
            Err(error) => {
                // The read failed, so the first send's fate is as unknown as before.
                let text = error.to_string();
                let local_id = change.local_id;
                if let Err(e) = self.db(move |s| s.note_change_error(local_id, &text)).await {
                    tracing::warn!(local_id, "could not record the read-back error: {e}");
                }
                Err(SendFailure {
                    error,
                    in_outbox: true,
                })
            }
        }
    }

    /// Entries waiting for a resend to `origin` (state `sending`), oldest first.
    pub async fn pending(&self, origin: &Origin) -> Result<Vec<Submission>, StoreError> {
        let (service, cloud, base_url) = (origin.service, origin.cloud.clone(), origin.base_url.clone());
        self.db(move |s| s.outbox_for(service, &cloud, &base_url)).await
    }

    /// Resends the pending entries for `origin` (only those in `only` when it is not empty), one
    /// after the other, each with its stored MS-RequestId.
    pub async fn resend(
        &self,
        client: &Backend,
        origin: &Origin,
        only: &[i64],
    ) -> Result<Vec<Resent>, StoreError> {
        let pending = self.pending(origin).await?;
        let mut done = Vec::new();
        for sub in pending
            .into_iter()
            .filter(|s| only.is_empty() || only.contains(&s.local_id))
        {
            // Under the subscription it was recorded with (see `send`).
            let scoped = client.under_recorded(sub.subscription.as_deref());
            let outcome = self
                .send_once(&scoped, sub.local_id, sub.request_id, &sub.request, true)
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
pub fn same_destination(service: Service, cloud: &str, base_url: &str, here: &Origin) -> bool {
    if service != here.service {
        return false;
    }
    if cloud == "sandbox" || here.cloud == "sandbox" {
        return cloud == here.cloud;
    }
    cloud == here.cloud && base_url.trim_end_matches('/') == here.base_url.trim_end_matches('/')
}

/// The API scope of a change: the partner's own, or a customer's.
fn scope_of(customer: Option<&str>) -> Scope {
    match customer {
        Some(tenant) => Scope::Customer(tenant.to_string()),
        None => Scope::Partner,
    }
}

/// How far a note's date (the service's clock) may lie before the moment the change was
/// recorded (ours) and still count as this change's note.
const CLOCK_SKEW: time::Duration = time::Duration::minutes(10);

/// Whether `sr` as read back already shows `change`: closed for a close; for a note, a note with
/// exactly its text dated from when it was recorded on. On doubt (no date, a date we cannot
/// read) it does not: the resend carries the same MS-RequestId, so the service applies it once.
pub fn shows(sr: &Ticket, change: &RecordedChange) -> bool {
    match change.kind {
        ChangeKind::Close => sr.status == Some(Status::Closed),
        ChangeKind::Note => {
            let Some(since) = parse_time(&change.created_at).map(|t| t - CLOCK_SKEW) else {
                return false;
            };
            sr.notes.iter().any(|note| {
                note.text.as_deref() == change.text.as_deref()
                    && note
                        .created
                        .as_ref()
                        .and_then(Stamp::at)
                        .and_then(parse_time)
                        .is_some_and(|at| at >= since)
            })
        }
    }
}

/// Whether `sr` shows `change`: by the note's name where the service names notes, else by
/// [`shows`].
fn already_there(client: &Backend, sr: &Ticket, change: &RecordedChange) -> bool {
    match change.kind {
        ChangeKind::Note => client
            .holds_note(sr, change.request_id)
            .unwrap_or_else(|| shows(sr, change)),
        ChangeKind::Close => shows(sr, change),
    }
}

/// RFC 3339, or the API's offset-less form, which is UTC.
fn parse_time(raw: &str) -> Option<OffsetDateTime> {
    use time::format_description::well_known::Rfc3339;
    use time::macros::format_description;
    if let Ok(at) = OffsetDateTime::parse(raw, &Rfc3339) {
        return Some(at);
    }
    let bare = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]");
    time::PrimitiveDateTime::parse(raw, &bare)
        .ok()
        .map(time::PrimitiveDateTime::assume_utc)
}

#[cfg(test)]
mod destination_tests {
    use super::{Origin, same_destination};
    use crate::domain::Service;

    fn origin(cloud: &str, base_url: &str) -> Origin {
        Origin {
            service: Service::PartnerCenter,
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
        assert!(same_destination(
            Service::PartnerCenter,
            "sandbox",
            "http://127.0.0.1:39999",
            &sandbox
        ));
        // Never across the sandbox boundary, either way.
        assert!(!same_destination(
            Service::PartnerCenter,
            "global",
            "https://api.partnercenter.microsoft.com",
            &sandbox
        ));
        assert!(!same_destination(
            Service::PartnerCenter,
            "sandbox",
            "http://127.0.0.1:39999",
            &real
        ));
        // Real clouds: same cloud and same endpoint (trailing slash aside).
        assert!(same_destination(
            Service::PartnerCenter,
            "global",
            "https://api.partnercenter.microsoft.com",
            &real
        ));
        assert!(!same_destination(
            Service::PartnerCenter,
            "usgov",
            "https://api.partnercenter.microsoft.com",
            &real
        ));
        assert!(!same_destination(
            Service::PartnerCenter,
            "global",
            "https://pc.example.com",
            &real
        ));
        // Never from one service to the other, even on the same sandbox.
        assert!(!same_destination(
            Service::Azure,
            "sandbox",
            "http://127.0.0.1:39999",
            &sandbox
        ));
    }
}

#[cfg(test)]
mod read_back_tests {
    use super::*;
    use crate::domain::Note;

    fn change(kind: ChangeKind, text: Option<&str>) -> RecordedChange {
        RecordedChange {
            local_id: 1,
            kind,
            request_id: Uuid::new_v4(),
            server_id: "616000000000001".into(),
            customer: None,
            text: text.map(str::to_string),
            subject: None,
            service: Service::PartnerCenter,
            cloud: "sandbox".into(),
            base_url: "http://127.0.0.1:1".into(),
            subscription: None,
            applied: false,
            last_error: None,
            created_at: "2026-12-02T10:00:00.000000Z".into(),
        }
    }

    fn with_note(text: &str, date: Option<&str>) -> Ticket {
        Ticket {
            notes: vec![Note {
                text: Some(text.into()),
                created: date.map(|d| Stamp::At(d.to_string())),
                ..Note::default()
            }],
            ..Ticket::default()
        }
    }

    #[test]
    fn a_note_counts_as_there_only_with_its_text_dated_from_when_it_was_recorded() {
        let note = change(ChangeKind::Note, Some("hello once"));
        // The service's clock may lag ours a little; its offset-less form is UTC.
        assert!(shows(
            &with_note("hello once", Some("2026-12-02T09:58:00.123Z")),
            &note
        ));
        assert!(shows(
            &with_note("hello once", Some("2026-12-02T10:00:01")),
            &note
        ));
        // An older note with the same words is someone's earlier note: send it (same id).
        assert!(!shows(
            &with_note("hello once", Some("2026-12-01T10:00:00Z")),
            &note
        ));
        // Without a date it cannot tell: on doubt it sends, and the id keeps it once.
        assert!(!shows(&with_note("hello once", None), &note));
        assert!(!shows(&with_note("hello", Some("2026-12-02T10:00:01Z")), &note));
        assert!(!shows(&Ticket::default(), &note));
    }

    #[test]
    fn a_close_counts_as_there_when_the_request_is_closed() {
        let close = change(ChangeKind::Close, None);
        let mut sr = Ticket::default();
        assert!(!shows(&sr, &close));
        sr.status = Some(Status::Open);
        assert!(!shows(&sr, &close));
        sr.status = Some(Status::Closed);
        assert!(shows(&sr, &close));
    }
}
