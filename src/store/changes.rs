//! Notes and closes in the outbox: each recorded with its MS-RequestId before the first send,
//! kept while its outcome is unknown, marked applied once the service is known to hold it.
//! A change the service refused for good is dropped: nothing of it was applied.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;
use uuid::Uuid;

use super::submissions::bad_text;
use super::{Result, clock};
use crate::domain::Service;

/// What a change does to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Adds a note (PATCH `NewNote`).
    Note,
    /// Closes the request (PATCH `Status: closed`).
    Close,
}

impl ChangeKind {
    /// The lowercase name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Note => "note",
            ChangeKind::Close => "close",
        }
    }

    /// The letter before its local id in the outbox (`n3`, `c4`): submits have none.
    pub fn letter(self) -> char {
        match self {
            ChangeKind::Note => 'n',
            ChangeKind::Close => 'c',
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match text {
            "note" => Some(ChangeKind::Note),
            "close" => Some(ChangeKind::Close),
            _ => None,
        }
    }
}

/// A change to record, before it is sent.
#[derive(Debug, Clone)]
pub struct NewChange<'a> {
    /// Note or close.
    pub kind: ChangeKind,
    /// The MS-RequestId every send of it carries.
    pub request_id: Uuid,
    /// The request's service id.
    pub server_id: &'a str,
    /// Customer tenant in scope (`None`: the partner's own).
    pub customer: Option<&'a str>,
    /// The note's text (`None` for a close).
    pub text: Option<&'a str>,
    /// The note's subject, for services that keep one.
    pub subject: Option<&'a str>,
    /// The service holding the request.
    pub service: Service,
    /// Cloud name (`sandbox` for the emulator).
    pub cloud: &'a str,
    /// API base URL.
    pub base_url: &'a str,
    /// The Azure scope it is sent under (see [`RecordedChange::subscription`]).
    pub subscription: Option<&'a str>,
}

/// A change as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedChange {
    /// Local id (shown with the kind's letter).
    pub local_id: i64,
    /// Note or close.
    pub kind: ChangeKind,
    /// The MS-RequestId every send of it carries.
    pub request_id: Uuid,
    /// The request's service id.
    pub server_id: String,
    /// Customer tenant in scope.
    pub customer: Option<String>,
    /// The note's text.
    pub text: Option<String>,
    /// The note's subject.
    pub subject: Option<String>,
    /// The service holding the request.
    pub service: Service,
    /// Cloud name.
    pub cloud: String,
    /// API base URL.
    pub base_url: String,
    /// The Azure scope it was sent under: `""` tenant level, else the subscription; `None` for
    /// Partner Center (and changes recorded before the scope was kept).
    pub subscription: Option<String>,
    /// False while the outcome is unknown (the outbox); true once applied.
    pub applied: bool,
    /// Why the last send did not settle it.
    pub last_error: Option<String>,
    /// When it was recorded (RFC 3339, UTC).
    pub created_at: String,
}

impl RecordedChange {
    /// Its id as the outbox commands take it: `n3`, `c4`.
    pub fn label(&self) -> String {
        format!("{}{}", self.kind.letter(), self.local_id)
    }
}

const COLUMNS: &str = "local_id, kind, request_id, server_id, customer, body, cloud, base_url, state, last_error, \
                       created_at, subject, service, subscription";

fn read(row: &Row<'_>) -> rusqlite::Result<RecordedChange> {
    let kind: String = row.get(1)?;
    let id: String = row.get(2)?;
    let state: String = row.get(8)?;
    Ok(RecordedChange {
        local_id: row.get(0)?,
        kind: ChangeKind::parse(&kind).ok_or_else(|| bad_text(1, "change kind", &kind))?,
        request_id: Uuid::parse_str(&id).map_err(|_| bad_text(2, "request_id", &id))?,
        server_id: row.get(3)?,
        customer: row.get(4)?,
        text: row.get(5)?,
        cloud: row.get(6)?,
        base_url: row.get(7)?,
        applied: match state.as_str() {
            "sending" => false,
            "applied" => true,
            other => return Err(bad_text(8, "change state", other)),
        },
        last_error: row.get(9)?,
        created_at: row.get(10)?,
        subject: row.get(11)?,
        service: {
            let word: String = row.get(12)?;
            Service::parse(&word).ok_or_else(|| bad_text(12, "service", &word))?
        },
        subscription: row.get(13)?,
    })
}

pub(crate) fn record(conn: &Connection, new: &NewChange<'_>) -> Result<i64> {
    let now = clock::now();
    conn.prepare_cached(
        "INSERT INTO changes (kind, request_id, server_id, customer, body, cloud, base_url, state, created_at, \
         updated_at, subject, service, subscription) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'sending', ?8, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        new.kind.as_str(),
        new.request_id.hyphenated().to_string(),
        new.server_id,
        new.customer,
        new.text,
        new.cloud,
        new.base_url,
        now,
        new.subject,
        new.service.as_str(),
        new.subscription
    ])?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn mark_applied(conn: &Connection, local_id: i64) -> Result<()> {
    conn.execute(
        "UPDATE changes SET state = 'applied', last_error = NULL, updated_at = ?2 WHERE local_id = ?1",
        params![local_id, clock::now()],
    )?;
    Ok(())
}

pub(crate) fn note_error(conn: &Connection, local_id: i64, error: &str) -> Result<()> {
    conn.execute(
        "UPDATE changes SET last_error = ?2, updated_at = ?3 WHERE local_id = ?1 AND state = 'sending'",
        params![local_id, crate::text::one_line(error), clock::now()],
    )?;
    Ok(())
}

pub(crate) fn by_local_id(conn: &Connection, local_id: i64) -> Result<Option<RecordedChange>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM changes WHERE local_id = ?1"))?;
    Ok(stmt.query_row([local_id], read).optional()?)
}

/// Changes whose outcome is unknown, oldest first.
pub(crate) fn unsettled(conn: &Connection) -> Result<Vec<RecordedChange>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM changes WHERE state = 'sending' ORDER BY created_at, local_id"
    ))?;
    let rows = stmt.query_map([], read)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The unsettled changes meant for `cloud` at `base_url`, by the rule of `outbox::same_destination`.
pub(crate) fn outbox_for(
    conn: &Connection,
    service: Service,
    cloud: &str,
    base_url: &str,
) -> Result<Vec<RecordedChange>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM changes WHERE state = 'sending' AND cloud = ?1 AND service = ?3 \
         AND (?1 = 'sandbox' OR rtrim(base_url, '/') = rtrim(?2, '/')) ORDER BY created_at, local_id"
    ))?;
    let rows = stmt
        .query_map(params![cloud, base_url, service.as_str()], read)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Drops a change that is not applied; whether one was dropped.
pub(crate) fn discard(conn: &Connection, local_id: i64) -> Result<bool> {
    let n = conn.execute(
        "DELETE FROM changes WHERE local_id = ?1 AND state <> 'applied'",
        [local_id],
    )?;
    Ok(n > 0)
}
