//! Local SQLite store: submission history and outbox, the form draft, the topic cache.
//!
//! Every submit is recorded here (state `sending`) *before* it goes on the wire, with the
//! MS-RequestId it will carry, so a crash or a lost answer can be settled by resending with the
//! same id (the service is idempotent on it).

mod clock;
mod drafts;
mod follow;
mod history;
mod notes;
mod open;
mod schema;
mod submissions;
mod topics;

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::api::{ApiError, NewServiceRequest, ServiceRequest, Severity, Status, SupportTopic};

pub use history::{Anchor, HistoryKey};
pub use schema::SCHEMA_VERSION;

/// What can go wrong with the local database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused.
    #[error("local database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The file was written by a newer pcsr-tui.
    #[error(
        "the local database {path} has schema version {found}, newer than this pcsr-tui understands ({supported}); \
         upgrade pcsr-tui, or point --data-dir / PCSR_DATA_DIR at another folder"
    )]
    TooNew {
        /// The database file.
        path: PathBuf,
        /// Version found in the file.
        found: i64,
        /// Newest version this build knows.
        supported: i64,
    },
    /// A stored JSON column did not decode.
    #[error("local database holds unreadable data: {0}")]
    Json(#[from] serde_json::Error),
    /// Creating the data directory failed.
    #[error("cannot create the data directory {path}: {source}")]
    Io {
        /// The directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The database cannot be written (read-only directory, file or file system).
    #[error(
        "the local database {path} is read-only, so nothing was recorded or sent: make the data directory \
         writable, or point --data-dir / PCSR_DATA_DIR at a writable folder ({source})"
    )]
    ReadOnly {
        /// The database file.
        path: PathBuf,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// The blocking task running a database call stopped before it answered.
    #[error("the local database call did not finish ({0}); try again")]
    Stopped(String),
    /// No submission with that local id.
    #[error("no local submission #{0}")]
    NotFound(i64),
    /// A server copy without an id cannot be matched to a local row.
    #[error(
        "the service returned a request without an id, so it cannot be kept in the local history; \
         refresh again, and report it if it persists"
    )]
    NoServerId,
}

/// Result alias for store calls.
pub type Result<T> = std::result::Result<T, StoreError>;

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
    /// The MS-RequestId it is (re)sent with.
    pub request_id: Uuid,
    /// Cloud name (`global`, `germany`, `usgov`, or `sandbox`).
    pub cloud: String,
    /// Agent locale.
    pub locale: String,
    /// API base URL it was sent to.
    pub base_url: String,
    /// What the user filed.
    pub request: NewServiceRequest,
    /// Local state.
    pub state: SubmissionState,
    /// The service's latest copy (after create or a refresh).
    pub server: Option<ServiceRequest>,
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
    /// Cloud name.
    pub cloud: &'a str,
    /// Agent locale.
    pub locale: &'a str,
    /// API base URL.
    pub base_url: &'a str,
    /// The request.
    pub request: &'a NewServiceRequest,
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
    /// Severity.
    pub severity: Severity,
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

/// How long a write waits for another pcsr-tui process holding the database lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(2);

/// The local database.
pub struct Store {
    conn: rusqlite::Connection,
    /// `None` for an in-memory database.
    path: Option<PathBuf>,
}

impl Store {
    /// An in-memory database (tests, sandbox without a data dir).
    pub fn open_in_memory() -> Result<Self> {
        Self::prepare(rusqlite::Connection::open_in_memory()?, None)
    }

    fn prepare(conn: rusqlite::Connection, path: Option<PathBuf>) -> Result<Self> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.pragma_update(None, "foreign_keys", true)?;
        let shown = path.clone().unwrap_or_else(|| PathBuf::from(":memory:"));
        schema::migrate(&conn, &shown)?;
        Ok(Store { conn, path })
    }

    /// The database file, or `None` when in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(schema::version(&self.conn)?)
    }

    /// Records a submission in state `sending`, before it is sent. Returns its local id.
    pub fn record_submission(&self, new: &NewSubmission<'_>) -> Result<i64> {
        submissions::record(&self.conn, new)
    }

    /// Records many submissions in one transaction (imports, benchmarks). Returns their local ids.
    pub fn record_submissions(&self, news: &[NewSubmission<'_>]) -> Result<Vec<i64>> {
        let tx = self.conn.unchecked_transaction()?;
        let ids = news
            .iter()
            .map(|new| submissions::record(&tx, new))
            .collect::<Result<Vec<_>>>()?;
        tx.commit()?;
        Ok(ids)
    }

    /// The service created it: store its answer, state `created`.
    pub fn mark_created(&self, local_id: i64, sr: &ServiceRequest) -> Result<()> {
        submissions::mark_created(&self.conn, local_id, sr)
    }

    /// The service refused it for good: state `failed` with the reason.
    pub fn mark_failed(&self, local_id: i64, error: &str) -> Result<()> {
        submissions::set_error(&self.conn, local_id, SubmissionState::Failed, error)
    }

    /// The outcome is still unknown (a transport error or 5xx): stays `sending`, remembers why.
    pub fn note_attempt_error(&self, local_id: i64, error: &str) -> Result<()> {
        submissions::set_error(&self.conn, local_id, SubmissionState::Sending, error)
    }

    /// Settles a failed send: an unknown outcome (transport error, 5xx) keeps the row in the
    /// outbox for a resend with the same MS-RequestId; any other refusal marks it `failed`.
    /// Returns whether it stayed in the outbox.
    pub fn record_send_error(&self, local_id: i64, error: &ApiError) -> Result<bool> {
        let unknown = error.outcome_unknown();
        self.record_send_outcome(local_id, unknown, &error.to_string())?;
        Ok(unknown)
    }

    /// [`Store::record_send_error`] for an error already reduced to its text and
    /// [`ApiError::outcome_unknown`] (so it can cross to a blocking thread).
    pub fn record_send_outcome(&self, local_id: i64, outcome_unknown: bool, error: &str) -> Result<()> {
        // The text carries server strings; stored sanitized so no later reader prints them raw.
        let text = crate::text::one_line(error);
        if outcome_unknown {
            self.note_attempt_error(local_id, &text)
        } else {
            self.mark_failed(local_id, &text)
        }
    }

    /// The `outbox` command's list: submissions whose outcome is unknown (`sending`) and those
    /// that failed, oldest first.
    pub fn unsettled(&self) -> Result<Vec<Submission>> {
        submissions::unsettled(&self.conn)
    }

    /// Drops a submission that is not `created` (the `outbox discard` command). Returns whether
    /// a row was dropped; a created one is never dropped (its history stays).
    pub fn discard(&self, local_id: i64) -> Result<bool> {
        submissions::discard(&self.conn, local_id)
    }

    /// Submissions still in state `sending`, oldest first.
    pub fn outbox(&self) -> Result<Vec<Submission>> {
        submissions::outbox(&self.conn)
    }

    /// One submission by local id.
    pub fn submission(&self, local_id: i64) -> Result<Option<Submission>> {
        submissions::by_local_id(&self.conn, local_id)
    }

    /// One submission by the service's id.
    pub fn submission_by_server_id(&self, server_id: &str) -> Result<Option<Submission>> {
        submissions::by_server_id(&self.conn, server_id)
    }

    /// Stores a fresh server copy (a refresh, or a request seen via `list`/`show`): updates the
    /// row with that server id, or adds a `created` row for a request filed elsewhere. The
    /// `updated` mark follows as in [`Store::record_refresh`].
    pub fn upsert_server_copy(
        &self,
        sr: &ServiceRequest,
        cloud: &str,
        locale: &str,
        base_url: &str,
    ) -> Result<i64> {
        submissions::upsert_server_copy(&self.conn, sr, cloud, locale, base_url)
    }

    /// Stores a fresh server copy (a periodic re-read) over the local row with its server id
    /// and says whether it is now marked updated; `None` when no local row has that id.
    pub fn record_refresh(&self, sr: &ServiceRequest) -> Result<Option<Refreshed>> {
        submissions::record_refresh(&self.conn, sr)
    }

    /// The user opened the request: clears its `updated` mark; later copies are compared with
    /// the one they see now.
    pub fn mark_seen(&self, local_id: i64) -> Result<()> {
        follow::mark_seen(&self.conn, local_id)
    }

    /// A re-read was tried but brought no copy (an error): puts the row at the back of the queue.
    pub fn mark_checked(&self, local_id: i64) -> Result<()> {
        follow::mark_checked(&self.conn, local_id)
    }

    /// Open requests sent to `base_url` (any sandbox run's, for `cloud` "sandbox": the
    /// emulator keeps its requests across runs on new ports) and not re-read for `min_age`,
    /// never-read and least recently read first, at most `limit` (re-read a few at a time).
    pub fn due_for_refresh(
        &self,
        cloud: &str,
        base_url: &str,
        min_age: Duration,
        limit: usize,
    ) -> Result<Vec<DueRefresh>> {
        follow::due(&self.conn, cloud, base_url, min_age, limit)
    }

    /// The service ids of requests carrying the `updated` mark (to mark them in other lists).
    pub fn updated_ids(&self) -> Result<Vec<String>> {
        follow::updated_ids(&self.conn)
    }

    /// How many requests carry the `updated` mark (the header's "N updated").
    pub fn updated_count(&self) -> Result<usize> {
        follow::updated_count(&self.conn)
    }

    /// History rows, newest first; `filter` matches title, server id, topic or state,
    /// case-insensitively (empty = all).
    pub fn history(&self, filter: &str, offset: usize, limit: usize) -> Result<Vec<HistoryRow>> {
        history::page(&self.conn, filter, offset, limit)
    }

    /// Up to `limit` history rows next to `anchor` (newest first), one indexed seek however
    /// deep in the list: what the TUI reads while scrolling.
    pub fn history_window(&self, filter: &str, anchor: &Anchor, limit: usize) -> Result<Vec<HistoryRow>> {
        history::window(&self.conn, filter, anchor, limit)
    }

    /// How many rows `history` would give for `filter`.
    pub fn history_count(&self, filter: &str) -> Result<usize> {
        history::count(&self.conn, filter)
    }

    /// Saves the form draft (one draft at a time).
    pub fn save_draft(&self, draft: &Draft) -> Result<()> {
        drafts::save(&self.conn, draft)
    }

    /// The saved draft, if any.
    pub fn load_draft(&self) -> Result<Option<Draft>> {
        drafts::load(&self.conn)
    }

    /// Forgets the draft (after a successful submit).
    pub fn clear_draft(&self) -> Result<()> {
        drafts::clear(&self.conn)
    }

    /// Replaces the cached topic list for `locale`.
    pub fn cache_topics(&self, locale: &str, topics: &[SupportTopic]) -> Result<()> {
        topics::replace(&self.conn, locale, topics)
    }

    /// Keeps a note being written (replacing the earlier copy for the same request).
    pub fn save_note_draft(&self, note: &NoteDraft) -> Result<()> {
        notes::save(&self.conn, note)
    }

    /// Every kept note, oldest first.
    pub fn note_drafts(&self) -> Result<Vec<NoteDraft>> {
        notes::all(&self.conn)
    }

    /// Forgets the kept note of a request (it was sent, or emptied).
    pub fn remove_note_draft(&self, server_id: &str) -> Result<()> {
        notes::remove(&self.conn, server_id)
    }

    /// The cached topics for `locale` and when they were fetched (RFC 3339).
    pub fn cached_topics(&self, locale: &str) -> Result<Option<(Vec<SupportTopic>, String)>> {
        topics::cached(&self.conn, locale)
    }
}
