//! What the UI and the worker say to each other: [`Job`]s in, [`Reply`]s out.

use std::path::PathBuf;

use uuid::Uuid;

use super::{NoteOutcome, ServicePage, SignInReply, Target};
use crate::attachments::UploadFailure;
use crate::auth::Cloud;
use crate::domain::ClientEvent;
use crate::domain::Failure;
use crate::domain::{NewTicket, Severity, Subscription, Ticket, Topic};
use crate::store::{Anchor, Draft, HistoryRow, Submission};

/// What the UI asks the worker to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    /// First thing after start: the saved draft, cached then fresh topics, then the outbox.
    Start,
    /// Fetch the topic list again.
    LoadTopics,
    /// Fetch one branch of a two-level catalogue now (the user opened it), ahead of the rest.
    LoadBranch(Topic),
    /// Save the form draft.
    SaveDraft(Draft),
    /// A burst of work is over (the whole catalogue is in and indexed): hand back the memory
    /// it freed, the store's page cache and the heap's free pages.
    ReleaseMemory,
    /// Read the files to attach, record, send a new request, then upload the files to it.
    Submit {
        /// The request.
        request: NewTicket,
        /// Files to upload once it is filed (read and checked before anything is recorded).
        attachments: Vec<PathBuf>,
    },
    /// Send an already recorded request again with its MS-RequestId (outcome was unknown).
    Resend {
        /// Local row.
        local_id: i64,
        /// Its MS-RequestId.
        request_id: Uuid,
        /// What was recorded.
        request: NewTicket,
        /// Files to upload once it is filed.
        attachments: Vec<PathBuf>,
    },
    /// A window of history rows next to `anchor` (one indexed seek, never an OFFSET scan).
    History {
        /// Echoed back so stale pages can be dropped.
        seq: u64,
        /// Text filter.
        filter: String,
        /// Where the window starts.
        anchor: Anchor,
        /// Rows wanted.
        limit: usize,
        /// Also count the matching rows (on opening the pane and when the filter changes).
        count: bool,
    },
    /// One submission in full, by local row or by the service's id (which marks it seen).
    Details {
        /// Local row, when known.
        local_id: Option<i64>,
        /// The service's id, when known.
        server_id: Option<String>,
    },
    /// Fetch a request from the server (and store the fresh copy if it is in the history).
    Refresh {
        /// The request.
        target: Target,
        /// The user is looking at it (the details): what they see is not news later.
        looking: bool,
    },
    /// Close a request on the server (the user confirmed) and store the fresh copy.
    Close(Target),
    /// Change a ticket's severity on the server and store the answer over its history row.
    SetSeverity {
        /// The ticket.
        target: Target,
        /// The severity it should have.
        severity: Severity,
        /// A phone number for its contact, sent with the change (Azure takes a critical
        /// ticket only with one, and the ticket's contact had none).
        phone: Option<String>,
    },
    /// Add a note to a request, with this MS-RequestId (reused when the same note is resent).
    AddNote {
        /// The request.
        target: Target,
        /// The note.
        text: String,
        /// Its MS-RequestId.
        request_id: Uuid,
    },
    /// One page of the service's list: the first of `customer`'s scope, or the one `uri` links to.
    ServicePage {
        /// Echoed back so stale pages can be dropped.
        seq: u64,
        /// Customer tenant (`None`: the partner's own requests).
        customer: Option<String>,
        /// `links.next` of the previous page; `None` for the first.
        uri: Option<String>,
    },
    /// Keep a note being written, replacing its earlier copy.
    KeepNote(crate::store::NoteDraft),
    /// Forget the kept note of this request (sent, or emptied).
    DropNote(String),
    /// Re-read open requests of the local history every so often while the app runs (once;
    /// later calls do nothing). Also reports the count of changed requests at once.
    Follow(std::time::Duration),
    /// Run a device-code sign-in; progress comes back as [`Reply::SignIn`] with `flow`.
    SignIn {
        /// Id the replies echo.
        flow: u64,
        /// The cloud.
        cloud: Cloud,
        /// The tenant as typed.
        tenant: String,
    },
    /// Stop sign-in `flow` unless it is already finishing.
    CancelSignIn(u64),
    /// The subscriptions the sign-in can see; answered with [`Reply::Subscriptions`].
    Subscriptions,
    /// File and list tickets under this subscription from now on (`None`: tenant level); calls
    /// already running finish under the one they started with.
    UseSubscription(Option<String>),
}

/// The worker's answers; the UI turns each into an action.
#[derive(Debug, Clone)]
pub enum Reply {
    /// The saved draft, if any.
    Draft(Option<Draft>),
    /// A topic list: from the cache (`cached`) or fresh from the service.
    Topics {
        /// The topics.
        topics: Vec<Topic>,
        /// True when read from the local cache.
        cached: bool,
    },
    /// One branch of a two-level catalogue (an Azure service's problem classifications).
    Branch {
        /// The first-level topic it belongs under.
        parent_id: String,
        /// Its topics.
        topics: Vec<Topic>,
        /// True when read from the local cache.
        cached: bool,
    },
    /// Loading one branch failed; the ones already shown stay.
    BranchFailed {
        /// The first-level topic it belongs under.
        parent_id: String,
        /// Why.
        failure: Failure,
    },
    /// Loading topics failed.
    TopicsFailed(Failure),
    /// A submit was created.
    Submitted {
        /// Local row.
        local_id: i64,
        /// MS-RequestId it was sent with.
        request_id: Uuid,
        /// What was sent.
        request: NewTicket,
        /// The files sent with it (uploaded, or tried, after the create).
        attachments: Vec<PathBuf>,
        /// The service's answer; its attachments are the files uploaded after the create.
        response: Ticket,
        /// A file that was not uploaded (the ones after it were not tried); the ticket is filed.
        upload_failed: Option<UploadFailure>,
    },
    /// A file is being uploaded to the ticket just filed.
    Uploading {
        /// The file, as the submit named it.
        path: PathBuf,
        /// Bytes sent so far.
        sent: u64,
        /// Its size.
        total: u64,
    },
    /// A submit failed.
    SubmitFailed {
        /// What was sent.
        request: NewTicket,
        /// Why.
        error: Failure,
        /// Set when the outcome is unknown: the row stays in the outbox with this id.
        unsettled: Option<(i64, Uuid)>,
    },
    /// An outbox entry from an earlier run was resent.
    Resent {
        /// What was sent.
        request: NewTicket,
        /// The files recorded with it, uploaded once it was filed.
        attachments: Vec<std::path::PathBuf>,
        /// The service's answer or why it failed.
        outcome: Result<Ticket, Failure>,
        /// The file that was not uploaded, and the command that uploads it.
        upload_failed: Option<crate::attachments::UploadFailure>,
    },
    /// A window of history rows.
    HistoryPage {
        /// The request's sequence number.
        seq: u64,
        /// Its filter.
        filter: String,
        /// Where the window starts.
        anchor: Anchor,
        /// Rows, in list order.
        rows: Vec<HistoryRow>,
        /// Rows matching the filter in all, when asked for.
        total: Option<usize>,
    },
    /// One submission in full.
    Details(Submission),
    /// A refresh finished.
    Refreshed {
        /// The request.
        target: Target,
        /// The fresh copy or why there is none.
        outcome: Result<Ticket, Failure>,
    },
    /// A close finished.
    Closed {
        /// The request.
        target: Target,
        /// The closed request or why it is not closed.
        outcome: Result<Ticket, Failure>,
    },
    /// A severity change finished.
    SeverityChanged {
        /// The ticket.
        target: Target,
        /// The severity asked for.
        severity: Severity,
        /// The ticket as it stands after the change, or why it was not changed.
        outcome: Result<Ticket, Failure>,
    },
    /// A note was sent.
    NoteAdded {
        /// The request.
        target: Target,
        /// The MS-RequestId it went with.
        request_id: Uuid,
        /// The request with the note, or why not.
        outcome: NoteOutcome,
    },
    /// A page of the service's list.
    ServicePage {
        /// The read's sequence number.
        seq: u64,
        /// Rows and the next page's link, or why the page could not be read.
        outcome: Result<ServicePage, Failure>,
    },
    /// The follow-up re-read found a request changed on the server.
    Followed {
        /// Local row.
        local_id: i64,
        /// The service's id.
        server_id: String,
        /// Its status now, as the service says it.
        status: Option<String>,
        /// It differs from what the user last opened.
        updated: bool,
    },
    /// How many requests changed on the server since the user last opened them.
    Updated(usize),
    /// Notes kept from an earlier run, not sent yet.
    NoteDrafts(Vec<crate::store::NoteDraft>),
    /// The client reports on a slow call.
    Client(ClientEvent),
    /// The local database failed.
    StoreFailed(String),
    /// A sign-in's progress or outcome.
    SignIn(SignInReply),
    /// The subscriptions the sign-in sees, or why they could not be read.
    Subscriptions(Result<Vec<Subscription>, Failure>),
    /// Submits for this account whose outcome is still unknown (the outbox), after a resend
    /// pass; they are retried with backoff while the app runs.
    Outbox(usize),
}
