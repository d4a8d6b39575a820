//! Submitting from the TUI: record in the outbox, send, settle the row, clear the sent draft.

use uuid::Uuid;

use super::{Reply, Worker};
use crate::domain::Failure;
use crate::domain::{NewTicket, Ticket};
use crate::store::Draft;

impl Worker {
    /// Records a new request in the outbox, then sends it.
    pub(super) async fn submit(self, request: NewTicket) {
        let origin = self.origin();
        let recorded = self.outbox.record(&origin, &request).await;
        let (local_id, request_id) = match recorded {
            Ok(ids) => ids,
            Err(e) => {
                let error = Failure::local(
                    format!(
                        "the request could not be recorded in the local database, so it was not sent: {e}"
                    ),
                    crate::domain::Remedy::CheckDataDir,
                );
                self.reply(Reply::SubmitFailed {
                    request,
                    error,
                    unsettled: None,
                });
                return;
            }
        };
        self.send(local_id, request_id, request).await;
    }

    /// Sends a recorded request and settles its row.
    pub(super) async fn send(self, local_id: i64, request_id: Uuid, request: NewTicket) {
        match self.create(local_id, request_id, &request).await {
            Ok(response) => self.reply(Reply::Submitted {
                local_id,
                request_id,
                request,
                response,
            }),
            Err((error, unknown)) => {
                let unsettled = unknown.then_some((local_id, request_id));
                self.reply(Reply::SubmitFailed {
                    request,
                    error,
                    unsettled,
                });
                if unknown {
                    // It is in the outbox now: the retry loop sends it again after a pause (the
                    // client has just spent its own retries on it).
                    self.kick_outbox(false);
                }
            }
        }
    }

    /// One create through the outbox with the stored id. Err carries "outcome unknown".
    async fn create(
        &self,
        local_id: i64,
        request_id: Uuid,
        request: &NewTicket,
    ) -> Result<Ticket, (Failure, bool)> {
        let sent = self
            .outbox
            .send(&self.client(), local_id, request_id, request)
            .await;
        self.settled(request, sent).await.map_err(|boxed| *boxed)
    }

    /// Turns an outbox send into what the UI shows; a filed request clears its draft.
    pub(super) async fn settled(
        &self,
        request: &NewTicket,
        sent: Result<crate::outbox::Sent, crate::outbox::SendFailure>,
    ) -> Result<Ticket, Box<(Failure, bool)>> {
        match sent {
            Ok(sent) => {
                if let Some(e) = sent.unrecorded {
                    self.reply(Reply::StoreFailed(e));
                }
                // Edits made while the submit was in flight stay saved.
                let sent_request = request.clone();
                self.db(move |s| {
                    if s.load_draft()?.is_some_and(|d| draft_is(&d, &sent_request)) {
                        s.clear_draft()?;
                    }
                    Ok(())
                })
                .await;
                Ok(sent.answer.value)
            }
            Err(failure) => Err(Box::new((failure.error.failure(), failure.in_outbox))),
        }
    }
}

/// Whether a saved draft is exactly this request.
fn draft_is(draft: &Draft, request: &NewTicket) -> bool {
    draft.title == request.title
        && draft.description == request.description
        && draft.severity == request.severity
        && draft.topic_id.as_deref() == Some(request.topic_id.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Severity;

    #[test]
    fn only_the_exact_draft_is_cleared_after_a_submit() {
        let request = NewTicket {
            title: "t".into(),
            description: "d".into(),
            severity: Some(Severity::Minimal),
            topic_id: "1".into(),
            ..Default::default()
        };
        let mut draft = Draft {
            title: "t".into(),
            description: "d".into(),
            severity: Some(Severity::Minimal),
            topic_id: Some("1".into()),
        };
        assert!(draft_is(&draft, &request));
        draft.description.push('!');
        assert!(!draft_is(&draft, &request));
    }
}
