//! The worker's outbox retry loop: entries whose outcome is unknown (submits, and notes and
//! closes the CLI kept) are resent with their MS-RequestId on start, right after a sign-in, and
//! with growing pauses while the app runs.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::{Reply, Target, Worker};
use crate::outbox::ResentChange;
use crate::store::ChangeKind;

/// The first pause before the outbox is tried again; it doubles up to [`RETRY_MAX`].
const RETRY_FIRST: Duration = Duration::from_secs(15);

/// The longest pause between outbox retries.
const RETRY_MAX: Duration = Duration::from_secs(300);

/// The outbox retry loop's single-flight flag and its wake-up call.
#[derive(Default)]
pub(super) struct Retry {
    running: AtomicBool,
    wake: tokio::sync::Notify,
}

impl Worker {
    /// Starts the outbox retry loop (its first pass `now`, or after a pause), or, when it runs
    /// already and `now` is asked for, wakes it for a pass at once.
    pub(super) fn kick_outbox(&self, now: bool) {
        if self.retry.running.swap(true, Ordering::SeqCst) {
            if now {
                self.retry.wake.notify_one();
            }
        } else {
            self.spawn(move |w| async move { w.resend_outbox(now).await });
        }
    }

    /// Resends the outbox, then again with growing pauses while entries stay unsettled (the
    /// network or the service may come back); one loop at a time. Each pass reports the count.
    pub(super) async fn resend_outbox(self, now: bool) {
        self.retry.running.store(true, Ordering::SeqCst);
        let mut pause = RETRY_FIRST;
        if !now {
            self.reply(Reply::Outbox(self.pending_count().await));
            self.pause(pause).await;
        }
        loop {
            let left = self.resend_pass().await;
            self.reply(Reply::Outbox(left));
            if left == 0 {
                break;
            }
            if self.pause(pause).await {
                pause = RETRY_FIRST;
            } else {
                pause = (pause * 2).min(RETRY_MAX);
            }
        }
        self.retry.running.store(false, Ordering::SeqCst);
    }

    /// Waits `pause` or until woken for a pass now (true then).
    async fn pause(&self, pause: Duration) -> bool {
        tokio::select! {
            () = tokio::time::sleep(pause) => false,
            () = self.retry.wake.notified() => true,
        }
    }

    /// Entries for this account still waiting in the outbox.
    async fn pending_count(&self) -> usize {
        let origin = self.origin();
        let submits = self.outbox.pending(&origin).await;
        let changes = self.outbox.pending_changes(&origin).await;
        match (submits, changes) {
            (Ok(submits), Ok(changes)) => submits.len() + changes.len(),
            (Err(e), _) | (_, Err(e)) => {
                self.reply(Reply::StoreFailed(e.to_string()));
                0
            }
        }
    }

    /// Tells the UI what a resend of a note or close came to: a note in the shape of its own
    /// sends (the note box that holds it, if any, settles), a close only once it is done (one
    /// still unknown stays counted in the outbox).
    fn report_change(&self, entry: ResentChange) {
        let target = Target {
            local_id: None,
            server_id: entry.change.server_id.clone(),
            customer: entry.change.customer.clone(),
        };
        match entry.change.kind {
            ChangeKind::Note => self.reply(Reply::NoteAdded {
                target,
                request_id: entry.change.request_id,
                outcome: entry
                    .outcome
                    .map(|applied| applied.request)
                    .map_err(|f| (f.error.failure(), f.in_outbox)),
            }),
            ChangeKind::Close => {
                if let Ok(applied) = entry.outcome {
                    self.reply(Reply::Closed {
                        target,
                        outcome: Ok(applied.request),
                    });
                }
            }
        }
    }

    /// One resend of every entry for this account; the number still unsettled after it.
    async fn resend_pass(&self) -> usize {
        // Only what was meant for this destination: a request recorded against Partner Center
        // must never be "resent" into the sandbox (or the reverse); it waits for its own session.
        let origin = self.origin();
        let resent = match self.outbox.resend(&self.client(), &origin, &[]).await {
            Ok(resent) => resent,
            Err(e) => {
                self.reply(Reply::StoreFailed(e.to_string()));
                return 0;
            }
        };
        for entry in resent {
            let request = entry.submission.request;
            let attachments = entry.submission.attachments;
            let mut outcome = self
                .settled(&request, &attachments, entry.outcome)
                .await
                .map_err(|boxed| boxed.0);
            let upload_failed = match &mut outcome {
                Ok(ticket) if !attachments.is_empty() => self.upload_recorded(ticket, &attachments).await,
                _ => None,
            };
            self.reply(Reply::Resent {
                request,
                attachments,
                outcome,
                upload_failed,
            });
        }
        match self.outbox.resend_changes(&self.client(), &origin, &[]).await {
            Ok(done) => done.into_iter().for_each(|entry| self.report_change(entry)),
            Err(e) => self.reply(Reply::StoreFailed(e.to_string())),
        }
        self.pending_count().await
    }
}
