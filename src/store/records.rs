//! What the store records and hands out: submissions and their state, history rows, drafts.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::{NewTicket, Service, Severity, Status, Ticket};

/// Where a submission stands locally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SubmissionState {
    /// Recorded and (being) sent; the outcome is not known yet. This is the outbox.
    Sending,
    /// The service created it; `server` holds its answer.
    Created,
    /// The service refused it (a definite error, e.g. 400); `last_error` says why.
    Failed,
}

impl SubmissionState {
    /// The lowercase name stored in the database and shown in lists.
    pub fn as_str(self) -> &'static str {
        match self {
            SubmissionState::Sending => "sending",
            SubmissionState::Created => "created",
            SubmissionState::Failed => "failed",
        }
    }

    /// Parses the stored name.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "sending" => Some(SubmissionState::Sending),
            "created" => Some(SubmissionState::Created),
            "failed" => Some(SubmissionState::Failed),
            _ => None,
        }
    }
}

impl std::fmt::Display for SubmissionState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A submission as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    /// Local row id.
    pub local_id: i64,
    /// The key it is (re)sent with: Partner Center's MS-RequestId, the name of Azure's ticket.
    pub request_id: Uuid,
    /// The service it was filed with.
    pub service: Service,
    /// Cloud name (`global`, `germany`, `usgov`, `china`, or `sandbox`).
    pub cloud: String,
    /// Agent locale.
    pub locale: String,
    /// API base URL it was sent to.
    pub base_url: String,
    /// What the user filed.
    pub request: NewTicket,
    /// The files to upload once it is filed.
    pub attachments: Vec<std::path::PathBuf>,
    /// The Azure scope it was filed under: `""` tenant level, else the subscription; `None`
    /// for Partner Center (and rows recorded before the scope was kept).
    pub subscription: Option<String>,
    /// Local state.
    pub state: SubmissionState,
    /// The service's latest copy (after create or a refresh).
    pub server: Option<Ticket>,
    /// The service's id once created.
    pub server_id: Option<String>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When it was recorded (RFC 3339, UTC).
    pub created_at: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

/// What [`Store::record_submission`] needs.
#[derive(Debug, Clone, Copy)]
pub struct NewSubmission<'a> {
    /// The MS-RequestId it will carry.
    pub request_id: Uuid,
    /// The service it goes to.
    pub service: Service,
    /// Cloud name.
    pub cloud: &'a str,
    /// Agent locale.
    pub locale: &'a str,
    /// API base URL.
    pub base_url: &'a str,
    /// The request.
    pub request: &'a NewTicket,
    /// The files to upload once it is filed.
    pub attachments: &'a [std::path::PathBuf],
    /// The Azure scope it is filed under (see [`Submission::subscription`]).
    pub subscription: Option<&'a str>,
}

/// One line of the history list: only what the list shows, so 100k rows stay cheap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    /// Local row id.
    pub local_id: i64,
    /// Local state.
    pub state: SubmissionState,
    /// The service's id once created.
    pub server_id: Option<String>,
    /// Title.
    pub title: String,
    /// Severity (`None`: not set, or a word this build does not know).
    pub severity: Option<Severity>,
    /// Support topic id.
    pub topic_id: String,
    /// Support topic name, when known.
    pub topic_name: Option<String>,
    /// Server status, when known.
    pub status: Option<Status>,
    /// When it was recorded (RFC 3339, UTC).
    pub created_at: String,
    /// Its status or notes changed on the server since the user last opened it.
    pub updated: bool,
    /// The number people quote, where the service has one apart from its id (Azure's
    /// supportTicketId).
    pub number: Option<String>,
}

/// What [`Store::record_refresh`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refreshed {
    /// The local row.
    pub local_id: i64,
    /// The status or notes differ from what the user last opened (the `updated` mark).
    pub updated: bool,
    /// The copy differs from the previous one (the mark may have been set before).
    pub changed: bool,
}

/// An open request due a re-read, from [`Store::due_for_refresh`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueRefresh {
    /// The local row.
    pub local_id: i64,
    /// The service's id, to read it by.
    pub server_id: String,
    /// When it was last re-read (RFC 3339, UTC); `None` if never.
    pub checked_at: Option<String>,
}

/// The unsent form, autosaved.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Draft {
    /// Title as typed.
    pub title: String,
    /// Description as typed.
    pub description: String,
    /// Severity, once picked.
    pub severity: Option<Severity>,
    /// Topic id, once picked.
    pub topic_id: Option<String>,
    /// Files added to attach, as checked when added.
    #[serde(default)]
    pub attachments: Vec<DraftFile>,
}

/// A file added to the form to attach once the ticket is filed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DraftFile {
    /// Where it is (absolute: the app may be started from another directory next time).
    pub path: std::path::PathBuf,
    /// Its size in bytes when it was added.
    pub size: u64,
}

/// A note being written for a request, kept until it is sent (one per request).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteDraft {
    /// The request's service id.
    pub server_id: String,
    /// Its local history row, when it has one.
    pub local_id: Option<i64>,
    /// Customer tenant in scope (`None`: the partner's own).
    pub customer: Option<String>,
    /// The text as typed.
    pub body: String,
    /// The MS-RequestId its next send uses.
    pub request_id: Uuid,
    /// The text that id was last sent with (`None`: never sent).
    pub sent_body: Option<String>,
    /// The last send's answer was lost: it may have been added.
    pub maybe_added: bool,
}
