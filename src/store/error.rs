//! What can go wrong with the local database, and the result type every store call returns.

use std::path::PathBuf;

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
