//! Local SQLite store: submission history and outbox, the form draft, the topic cache.
//!
//! Every submit is recorded here (state `sending`) *before* it goes on the wire, with the
//! MS-RequestId it will carry, so a crash or a lost answer can be settled by resending with the
//! same id (the service is idempotent on it).

mod changes;
mod clock;
mod drafts;
mod error;
mod executor;
mod follow;
mod history;
mod notes;
mod open;
mod records;
mod schema;
mod submissions;
mod topics;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::domain::{Service, Ticket, Topic};

pub use changes::{ChangeKind, NewChange, RecordedChange};
pub use error::{Result, StoreError};
pub use executor::StoreExecutor;
pub use history::{Anchor, HistoryKey};
pub use records::{
    Draft, DraftFile, DueRefresh, HistoryRow, NewSubmission, NoteDraft, Refreshed, Submission,
    SubmissionState,
};
pub use schema::SCHEMA_VERSION;

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
    pub fn mark_created(&self, local_id: i64, sr: &Ticket) -> Result<()> {
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

    /// Settles a failed send: an unknown outcome (transport error, 5xx: the call may have been
    /// committed) keeps the row in the outbox for a resend with the same MS-RequestId; any other
    /// refusal marks it `failed`.
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

    /// The outbox entries meant for `cloud` at `base_url` (see `outbox::same_destination`),
    /// oldest first; the other destinations' rows are never read.
    pub fn outbox_for(&self, service: Service, cloud: &str, base_url: &str) -> Result<Vec<Submission>> {
        submissions::outbox_for(&self.conn, service, cloud, base_url)
    }

    /// One submission by local id.
    pub fn submission(&self, local_id: i64) -> Result<Option<Submission>> {
        submissions::by_local_id(&self.conn, local_id)
    }

    /// One submission by the service's id.
    pub fn submission_by_server_id(&self, service: Service, server_id: &str) -> Result<Option<Submission>> {
        submissions::by_server_id(&self.conn, service, server_id)
    }

    /// The service id of a ticket in the history by the number people quote (Azure's
    /// supportTicketId), newest first.
    pub fn server_id_by_number(&self, service: Service, number: &str) -> Result<Option<String>> {
        submissions::server_id_by_number(&self.conn, service, number)
    }

    /// Stores a fresh server copy (a refresh, or a request seen via `list`/`show`): updates the
    /// row with that server id, or adds a `created` row for a request filed elsewhere. The
    /// `updated` mark follows as in [`Store::record_refresh`].
    pub fn upsert_server_copy(&self, sr: &Ticket, cloud: &str, locale: &str, base_url: &str) -> Result<i64> {
        submissions::upsert_server_copy(&self.conn, sr, cloud, locale, base_url)
    }

    /// Stores a fresh server copy (a periodic re-read) over the local row with its server id
    /// and says whether it is now marked updated; `None` when no local row has that id.
    pub fn record_refresh(&self, sr: &Ticket) -> Result<Option<Refreshed>> {
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
        service: Service,
        cloud: &str,
        base_url: &str,
        min_age: Duration,
        limit: usize,
    ) -> Result<Vec<DueRefresh>> {
        follow::due(&self.conn, service, cloud, base_url, min_age, limit)
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

    /// Replaces `service`'s cached catalogue list for `locale`: its first level (`parent`
    /// `None`) or one branch (an Azure service's problem classifications, under its id).
    pub fn cache_topics(
        &self,
        service: Service,
        locale: &str,
        parent: Option<&str>,
        topics: &[Topic],
    ) -> Result<()> {
        topics::replace(&self.conn, service, locale, parent, topics)
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

    /// Records a note or a close (outcome unknown) before it is sent. Returns its local id.
    pub fn record_change(&self, new: &NewChange<'_>) -> Result<i64> {
        changes::record(&self.conn, new)
    }

    /// The service holds the change: it leaves the outbox.
    pub fn mark_change_applied(&self, local_id: i64) -> Result<()> {
        changes::mark_applied(&self.conn, local_id)
    }

    /// A send of the change did not settle it: it stays in the outbox, with why.
    pub fn note_change_error(&self, local_id: i64, error: &str) -> Result<()> {
        changes::note_error(&self.conn, local_id, error)
    }

    /// One note or close by local id.
    pub fn change(&self, local_id: i64) -> Result<Option<RecordedChange>> {
        changes::by_local_id(&self.conn, local_id)
    }

    /// Notes and closes whose outcome is unknown, oldest first (the `outbox` command's list).
    pub fn unsettled_changes(&self) -> Result<Vec<RecordedChange>> {
        changes::unsettled(&self.conn)
    }

    /// The unsettled notes and closes meant for `cloud` at `base_url` (the rule of
    /// [`Store::outbox_for`]), oldest first.
    pub fn changes_for(&self, service: Service, cloud: &str, base_url: &str) -> Result<Vec<RecordedChange>> {
        changes::outbox_for(&self.conn, service, cloud, base_url)
    }

    /// Drops a note or close from the outbox (refused for good, or `outbox discard`); an
    /// applied one is never dropped. Whether one was dropped.
    pub fn discard_change(&self, local_id: i64) -> Result<bool> {
        changes::discard(&self.conn, local_id)
    }

    /// `service`'s cached list for `locale` and `parent` (as [`Store::cache_topics`]) and
    /// when it was fetched (RFC 3339): its age.
    pub fn cached_topics(
        &self,
        service: Service,
        locale: &str,
        parent: Option<&str>,
    ) -> Result<Option<(Vec<Topic>, String)>> {
        topics::cached(&self.conn, service, locale, parent)
    }

    /// Frees what SQLite can of its page cache: after a burst of reads (a catalogue of 10,000
    /// classifications) it would otherwise keep up to its 2 MB for the rest of the run. The
    /// file stays in the system's cache, so later reads cost little more.
    pub fn release_memory(&self) -> Result<()> {
        self.conn.execute_batch("PRAGMA shrink_memory")?;
        Ok(())
    }
}
