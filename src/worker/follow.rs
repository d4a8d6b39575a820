//! Following requests after they are filed: the service's list page by page, a request's fresh
//! copy, notes, closing, and the background re-read that brings status changes in.

use std::sync::atomic::Ordering;
use std::time::Duration;

use uuid::Uuid;

use super::{Reply, Worker};
use crate::api::Scope;
use crate::domain::{Failure, Remedy, Severity};
use crate::domain::{Ticket, TicketRow};
use crate::outbox::ChangeError;

/// Rows asked for per page of the service's list: a few screens, so scrolling rarely waits.
const PAGE_SIZE: u32 = 200;

/// Requests re-read per pass of the follow-up loop: a few at a time, spread over the interval,
/// so a long history never turns into a burst of calls.
const FOLLOW_BATCH: usize = 5;

/// The request a change on the server is for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Target {
    /// Local row, when the local history has it.
    pub local_id: Option<i64>,
    /// The service's id (named in questions).
    pub server_id: String,
    /// Customer tenant in scope (`None`: the partner's own).
    pub customer: Option<String>,
}

impl Target {
    /// The API scope the request lives in.
    pub fn scope(&self) -> Scope {
        scope_of(self.customer.as_deref())
    }
}

/// The partner's scope, or a customer's.
pub fn scope_of(customer: Option<&str>) -> Scope {
    match customer {
        Some(tenant) => Scope::Customer(tenant.to_string()),
        None => Scope::Partner,
    }
}

/// A page of the service's list: its rows and the link to the next page.
pub type ServicePage = (Vec<TicketRow>, Option<String>);

/// What became of a note: the request as it stands with the note, or why not and whether the
/// note may have been added all the same (answer lost).
pub type NoteOutcome = Result<Ticket, (Failure, bool)>;

impl Worker {
    /// Reads one page of the service's list: the first of the scope, or the one `uri` links to.
    pub(super) async fn service_page(self, seq: u64, customer: Option<String>, uri: Option<String>) {
        let client = self.client();
        let page = match uri {
            Some(uri) => client.list_page(&uri).await,
            None => {
                let query = crate::backend::ListFilter {
                    page_size: Some(PAGE_SIZE),
                    ..Default::default()
                };
                client.list(&scope_of(customer.as_deref()), &query).await
            }
        };
        let outcome = match page {
            Ok(page) => {
                let next = page.next;
                let mut rows: Vec<TicketRow> = page.tickets.iter().map(TicketRow::of).collect();
                // The local history knows which of these changed since the user last looked.
                let updated = self.db(|s| s.updated_ids()).await.unwrap_or_default();
                for row in rows.iter_mut() {
                    row.updated = updated.contains(&row.id);
                }
                Ok((rows, next))
            }
            Err(e) => Err(e.failure()),
        };
        self.reply(Reply::ServicePage { seq, outcome });
    }

    /// Reads a request again (or closes it, `close`); a copy of one in the local history is
    /// kept there, with its follow-up marks (none when the user is `looking` at it).
    pub(super) async fn refresh(self, target: Target, close: bool, looking: bool) {
        let client = self.client_for(&target.server_id).await;
        let answer = if close {
            match self.close(&client, &target).await {
                // Azure answers the PATCH without the conversation: keep the one on hand.
                Ok(sr) => Ok(self.with_kept_notes(sr, &target.server_id).await),
                Err(e) => Err(e),
            }
        } else {
            // The conversation: where a service keeps notes apart (Azure's communications),
            // support's replies arrive with the ticket.
            client
                .conversation(&target.scope(), &target.server_id)
                .await
                .map_err(|e| e.failure())
        };
        let outcome = match answer {
            Ok(sr) => {
                self.keep_copy(&sr, looking).await;
                Ok(sr)
            }
            Err(e) => Err(e),
        };
        self.reply(if close {
            Reply::Closed { target, outcome }
        } else {
            Reply::Refreshed { target, outcome }
        });
    }

    /// Closes through the outbox, as the CLI does: recorded with its MS-RequestId before the
    /// first send, so a lost answer stays in the outbox and is resent (read back first) with the
    /// same id by the retry loop, never closed twice; closing a closed request is no error.
    async fn close(
        &self,
        client: &crate::backend::Backend,
        target: &super::Target,
    ) -> Result<Ticket, Failure> {
        let origin = self.origin();
        let closed = self
            .outbox
            .change(
                client,
                &origin,
                &target.server_id,
                target.customer.as_deref(),
                &crate::domain::Change::Close,
            )
            .await;
        match closed {
            Ok(applied) => Ok(applied.request),
            Err(ChangeError::NotRecorded(e)) => Err(Failure::local(
                format!("the close could not be recorded in the local database, so it was not sent: {e}"),
                Remedy::CheckDataDir,
            )),
            Err(ChangeError::Send { failure, .. }) => {
                let mut shown = failure.error.failure();
                if failure.in_outbox {
                    shown.remedy = Remedy::ResendOutbox;
                }
                Err(shown)
            }
        }
    }

    /// Changes a ticket's severity; the answer is kept over its local history row, as a close's
    /// is. Setting a severity twice sets it once, so no outbox is needed: a lost answer is
    /// cured by sending again.
    pub(super) async fn set_severity(self, target: Target, severity: Severity, phone: Option<String>) {
        let client = self.client_for(&target.server_id).await;
        let answer = client
            .set_severity(&target.server_id, severity, phone.as_deref())
            .await;
        let outcome = match answer {
            Ok(sr) => {
                let sr = self.with_kept_notes(sr, &target.server_id).await;
                // Changed from the details: the user sees the result.
                self.keep_copy(&sr, true).await;
                Ok(sr)
            }
            Err(e) => Err(e.failure()),
        };
        self.reply(Reply::SeverityChanged {
            target,
            severity,
            outcome,
        });
    }

    /// A change's answer that carries no conversation (Azure answers a PATCH with the ticket
    /// alone; its communications are read apart) keeps the notes of the copy on hand, so the
    /// history row and the screen do not lose them until the next re-read.
    async fn with_kept_notes(&self, mut sr: Ticket, server_id: &str) -> Ticket {
        if !sr.notes.is_empty() {
            return sr;
        }
        let (service, id) = (sr.service, server_id.to_string());
        let kept = self
            .db(move |s| s.submission_by_server_id(service, &id))
            .await
            .flatten()
            .and_then(|sub| sub.server)
            .map(|copy| copy.notes)
            .unwrap_or_default();
        sr.notes = kept;
        sr
    }

    /// Adds a note with the caller's MS-RequestId: sending the same note again with it after a
    /// lost answer cannot add it twice.
    pub(super) async fn add_note(self, target: Target, text: String, request_id: Uuid) {
        let client = self.client_for(&target.server_id).await;
        // A service whose notes carry a subject (Azure) gets the CLI's default: "Re: " and
        // the ticket's title.
        let answer = match client.default_subject(&target.scope(), &target.server_id).await {
            Ok(subject) => {
                let note = crate::domain::Change::Note { text, subject };
                client
                    .apply(&target.scope(), &target.server_id, &note, request_id)
                    .await
            }
            Err(e) => Err(e),
        };
        let outcome = match answer {
            Ok(sr) => {
                // Written from the details: the user sees the result.
                self.keep_copy(&sr, true).await;
                Ok(sr)
            }
            Err(e) => Err((e.failure(), e.outcome_unknown())),
        };
        self.reply(Reply::NoteAdded {
            target,
            request_id,
            outcome,
        });
    }

    /// Stores a fresh copy over its local history row, if it has one, and reports the count of
    /// changed requests. A copy the user is `looking` at (or just changed) is seen, not news.
    async fn keep_copy(&self, sr: &Ticket, looking: bool) {
        let copy = sr.clone();
        if let Some(count) = self
            .db(move |s| {
                if let Some(found) = s.record_refresh(&copy)?
                    && looking
                {
                    s.mark_seen(found.local_id)?;
                }
                s.updated_count()
            })
            .await
        {
            self.reply(Reply::Updated(count));
        }
    }

    /// The client for a ticket of the local history: where it was filed (an Azure ticket's
    /// subscription, after the picker switched to another), else the client as it is.
    pub(super) async fn client_for(&self, server_id: &str) -> crate::backend::Backend {
        let client = self.client();
        let service = self.origin().service;
        let id = server_id.to_string();
        let copy = self
            .db(move |s| {
                Ok(s.submission_by_server_id(service, &id)?
                    .and_then(|sub| sub.server))
            })
            .await
            .flatten();
        match copy {
            Some(ticket) => client.for_ticket(&ticket),
            None => client,
        }
    }

    /// Starts the follow-up loop once: every `every`, open requests in the local history that
    /// were not re-read for that long are re-read, a few at a time.
    pub(super) fn follow(&self, every: Duration) {
        if every.is_zero() || self.following.swap(true, Ordering::SeqCst) {
            return;
        }
        self.spawn(move |w| async move {
            loop {
                w.follow_pass(every).await;
                tokio::time::sleep(every).await;
            }
        });
    }

    /// One pass: re-reads what is due, reports each change and then the count.
    async fn follow_pass(&self, every: Duration) {
        let origin = self.origin();
        let Some(due) = self
            .db(move |s| {
                s.due_for_refresh(
                    origin.service,
                    &origin.cloud,
                    &origin.base_url,
                    every,
                    FOLLOW_BATCH,
                )
            })
            .await
        else {
            return;
        };
        for item in due {
            // Partner scope: requests in the local history were filed from here, as the partner.
            let client = self.client_for(&item.server_id).await;
            match client.conversation(&Scope::Partner, &item.server_id).await {
                Ok(sr) => {
                    let copy = sr.clone();
                    let found = self.db(move |s| s.record_refresh(&copy)).await.flatten();
                    if let Some(found) = found.filter(|f| f.changed) {
                        self.reply(Reply::Followed {
                            local_id: found.local_id,
                            server_id: item.server_id.clone(),
                            status: sr.status_text(),
                            updated: found.updated,
                        });
                    }
                }
                Err(e) => {
                    tracing::info!(server_id = %item.server_id, "follow-up re-read failed: {e}");
                    let local_id = item.local_id;
                    self.db(move |s| s.mark_checked(local_id)).await;
                }
            }
        }
        if let Some(count) = self.db(|s| s.updated_count()).await {
            self.reply(Reply::Updated(count));
        }
    }
}
