//! Local SQLite store: submission history and outbox, the form draft, the topic cache.
//!
//! Every submit is recorded here (state `sending`) *before* it goes on the wire, with the
//! MS-RequestId it will carry, so a crash or a lost answer can be settled by resending with the
//! same id (the service is idempotent on it).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::api::{NewServiceRequest, ServiceRequest, Severity, Status, SupportTopic};

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
    /// No submission with that local id.
    #[error("no local submission #{0}")]
    NotFound(i64),
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

/// The local database.
pub struct Store {
    #[allow(dead_code)]
    conn: rusqlite::Connection,
    #[allow(dead_code)]
    path: Option<PathBuf>,
}

#[allow(unused_variables)]
impl Store {
    /// Opens (creating and migrating) the database at `path`, creating its directory.
    pub fn open(path: &Path) -> Result<Self> {
        todo!("store: open")
    }

    /// An in-memory database (tests, sandbox without a data dir).
    pub fn open_in_memory() -> Result<Self> {
        todo!("store: open_in_memory")
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        todo!()
    }

    /// Records a submission in state `sending`, before it is sent. Returns its local id.
    pub fn record_submission(&self, new: &NewSubmission<'_>) -> Result<i64> {
        todo!()
    }

    /// The service created it: store its answer, state `created`.
    pub fn mark_created(&self, local_id: i64, sr: &ServiceRequest) -> Result<()> {
        todo!()
    }

    /// The service refused it for good: state `failed` with the reason.
    pub fn mark_failed(&self, local_id: i64, error: &str) -> Result<()> {
        todo!()
    }

    /// The outcome is still unknown (a transport error or 5xx): stays `sending`, remembers why.
    pub fn note_attempt_error(&self, local_id: i64, error: &str) -> Result<()> {
        todo!()
    }

    /// Submissions still in state `sending`, oldest first.
    pub fn outbox(&self) -> Result<Vec<Submission>> {
        todo!()
    }

    /// One submission by local id.
    pub fn submission(&self, local_id: i64) -> Result<Option<Submission>> {
        todo!()
    }

    /// One submission by the service's id.
    pub fn submission_by_server_id(&self, server_id: &str) -> Result<Option<Submission>> {
        todo!()
    }

    /// Stores a fresh server copy (a refresh, or a request seen via `list`/`show`): updates the
    /// row with that server id, or adds a `created` row for a request filed elsewhere.
    pub fn upsert_server_copy(
        &self,
        sr: &ServiceRequest,
        cloud: &str,
        locale: &str,
        base_url: &str,
    ) -> Result<i64> {
        todo!()
    }

    /// History rows, newest first; `filter` matches title, server id, topic or state,
    /// case-insensitively (empty = all).
    pub fn history(&self, filter: &str, offset: usize, limit: usize) -> Result<Vec<HistoryRow>> {
        todo!()
    }

    /// How many rows `history` would give for `filter`.
    pub fn history_count(&self, filter: &str) -> Result<usize> {
        todo!()
    }

    /// Saves the form draft (one draft at a time).
    pub fn save_draft(&self, draft: &Draft) -> Result<()> {
        todo!()
    }

    /// The saved draft, if any.
    pub fn load_draft(&self) -> Result<Option<Draft>> {
        todo!()
    }

    /// Forgets the draft (after a successful submit).
    pub fn clear_draft(&self) -> Result<()> {
        todo!()
    }

    /// Replaces the cached topic list for `locale`.
    pub fn cache_topics(&self, locale: &str, topics: &[SupportTopic]) -> Result<()> {
        todo!()
    }

    /// The cached topics for `locale` and when they were fetched (RFC 3339).
    pub fn cached_topics(&self, locale: &str) -> Result<Option<(Vec<SupportTopic>, String)>> {
        todo!()
    }
}
