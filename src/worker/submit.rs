//! Submitting from the TUI: record in the outbox, send, settle the row, clear the sent draft.

use std::path::PathBuf;

use uuid::Uuid;

use super::{Reply, Worker};
use crate::attachments::{Attachment, UploadFailure};
use crate::domain::Failure;
use crate::domain::{NewTicket, Ticket};
use crate::store::Draft;

impl Worker {
    /// Reads the files to attach, records a new request in the outbox, sends it, then uploads
    /// the files.
    pub(super) async fn submit(self, request: NewTicket, attachments: Vec<PathBuf>) {
        let Some(files) = self.read_attachments(&request, attachments).await else {
            return;
        };
        let origin = self.origin();
        let paths: Vec<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
        let recorded = self
            .outbox
            .record((&self.client(), &origin), &request, &paths)
            .await;
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
        self.send(local_id, request_id, request, files).await;
    }

    /// Sends a recorded request again (same key), then uploads the files.
    pub(super) async fn resend(
        self,
        local_id: i64,
        request_id: Uuid,
        request: NewTicket,
        attachments: Vec<PathBuf>,
    ) {
        if let Some(files) = self.read_attachments(&request, attachments).await {
            self.send(local_id, request_id, request, files).await;
        }
    }

    /// Every file read and checked whole, on a blocking thread, before anything is recorded or
    /// sent (the CLI's order too); `None` after telling the UI which file could not be.
    async fn read_attachments(&self, request: &NewTicket, paths: Vec<PathBuf>) -> Option<Vec<Attachment>> {
        if paths.is_empty() {
            return Some(Vec::new());
        }
        match crate::attachments::read_all(paths).await {
            Ok(files) => Some(files),
            Err(e) => {
                self.reply(Reply::SubmitFailed {
                    request: request.clone(),
                    error: Failure::local(
                        format!("{e}; nothing was recorded or sent"),
                        crate::domain::Remedy::FixInput,
                    ),
                    unsettled: None,
                });
                None
            }
        }
    }

    /// Sends a recorded request and settles its row; once it is filed, uploads `files`.
    async fn send(self, local_id: i64, request_id: Uuid, request: NewTicket, files: Vec<Attachment>) {
        let paths: Vec<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
        match self.create(local_id, request_id, &request, &paths).await {
            Ok(mut response) => {
                let upload_failed = self.upload(&mut response, &files).await;
                self.reply(Reply::Submitted {
                    local_id,
                    request_id,
                    request,
                    attachments: paths,
                    response,
                    upload_failed,
                })
            }
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

    /// Uploads `files` to the ticket just filed, in order, reporting each one's progress; each
    /// one uploaded is added to the ticket's attachments. Stops at the first failure, which
    /// leaves the ticket filed and is returned with the command that uploads the file later.
    async fn upload(&self, ticket: &mut Ticket, files: &[Attachment]) -> Option<UploadFailure> {
        let name = ticket.id.clone().unwrap_or_default();
        let client = self.client();
        for file in files {
            let replies = self.replies.clone();
            let path = file.path.clone();
            let sent = client
                .attach(&name, &file.name, &file.bytes, move |sent, total| {
                    let _ = replies.send(Reply::Uploading {
                        path: path.clone(),
                        sent,
                        total,
                    });
                })
                .await;
            match sent {
                Ok(_) => ticket.attachments.push(file.name.clone()),
                Err(e) => return Some(UploadFailure::new(&name, &file.path, e.failure().summary)),
            }
        }
        None
    }

    /// Uploads the files an outbox entry was recorded with to the ticket its resend filed:
    /// read now, as the submit would have; a file gone meanwhile is the failure reported.
    pub(super) async fn upload_recorded(
        &self,
        ticket: &mut Ticket,
        paths: &[PathBuf],
    ) -> Option<UploadFailure> {
        match crate::attachments::read_all(paths.to_vec()).await {
            Ok(files) => self.upload(ticket, &files).await,
            Err(e) => Some(UploadFailure::new(
                ticket.id.as_deref().unwrap_or_default(),
                e.path(),
                e.reason(),
            )),
        }
    }

    /// One create through the outbox with the stored id. Err carries "outcome unknown".
    async fn create(
        &self,
        local_id: i64,
        request_id: Uuid,
        request: &NewTicket,
        attachments: &[PathBuf],
    ) -> Result<Ticket, (Failure, bool)> {
        let sent = self
            .outbox
            .send(&self.client(), local_id, request_id, request)
            .await;
        self.settled(request, attachments, sent)
            .await
            .map_err(|boxed| *boxed)
    }

    /// Turns an outbox send into what the UI shows; a filed request clears its draft, when the
    /// draft holds what was sent, `attachments` (the files that go with it) too.
    pub(super) async fn settled(
        &self,
        request: &NewTicket,
        attachments: &[PathBuf],
        sent: Result<crate::outbox::Sent, crate::outbox::SendFailure>,
    ) -> Result<Ticket, Box<(Failure, bool)>> {
        match sent {
            Ok(sent) => {
                if let Some(e) = sent.unrecorded {
                    self.reply(Reply::StoreFailed(e));
                }
                // Edits made while the submit was in flight stay saved.
                let sent_request = request.clone();
                let sent_files = attachments.to_vec();
                self.db(move |s| {
                    if s.load_draft()?
                        .is_some_and(|d| draft_is(&d, &sent_request, &sent_files))
                    {
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

/// Whether a saved draft is exactly this request and these files.
fn draft_is(draft: &Draft, request: &NewTicket, attachments: &[PathBuf]) -> bool {
    draft.title == request.title
        && draft.description == request.description
        && draft.severity == request.severity
        && draft.topic_id.as_deref() == Some(request.topic_id.as_str())
        && draft.attachments.iter().map(|f| &f.path).eq(attachments)
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
            ..Draft::default()
        };
        assert!(draft_is(&draft, &request, &[]));
        // A file added while the submit was in flight was not sent: the draft stays.
        draft.attachments.push(crate::store::DraftFile {
            path: "/tmp/later.log".into(),
            size: 3,
        });
        assert!(!draft_is(&draft, &request, &[]));
        let sent = ["/tmp/later.log".into()];
        assert!(draft_is(&draft, &request, &sent));
        draft.description.push('!');
        assert!(!draft_is(&draft, &request, &sent));
    }
}
