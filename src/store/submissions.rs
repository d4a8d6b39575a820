//! The submissions table: the outbox and the full record behind the history list.

use rusqlite::{Connection, OptionalExtension, Row, params};
use uuid::Uuid;

use super::{NewSubmission, Refreshed, Result, StoreError, Submission, SubmissionState, clock, follow};
use crate::domain::{NewTicket, Service, Ticket};

const COLUMNS: &str = "local_id, request_id, cloud, locale, base_url, request_json, state, server_json, \
                       server_id, last_error, created_at, updated_at, service, attachments, subscription";

/// A row as stored, before its JSON columns are decoded (that can fail with a different error).
struct RawRow {
    local_id: i64,
    request_id: String,
    cloud: String,
    locale: String,
    base_url: String,
    request_json: String,
    state: SubmissionState,
    server_json: Option<String>,
    server_id: Option<String>,
    last_error: Option<String>,
    created_at: String,
    updated_at: String,
    service: String,
    attachments: String,
    subscription: Option<String>,
}

impl RawRow {
    fn read(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(RawRow {
            local_id: row.get(0)?,
            request_id: row.get(1)?,
            cloud: row.get(2)?,
            locale: row.get(3)?,
            base_url: row.get(4)?,
            request_json: row.get(5)?,
            state: state_column(row, 6)?,
            server_json: row.get(7)?,
            server_id: row.get(8)?,
            last_error: row.get(9)?,
            created_at: row.get(10)?,
            updated_at: row.get(11)?,
            service: row.get(12)?,
            attachments: row.get(13)?,
            subscription: row.get(14)?,
        })
    }

    fn decode(self) -> Result<Submission> {
        let request_id = Uuid::parse_str(&self.request_id).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, Box::new(e))
        })?;
        let server = self.server_json.as_deref().map(decode_server).transpose()?;
        let service = Service::parse(&self.service).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                12,
                rusqlite::types::Type::Text,
                format!("unknown service '{}'", self.service).into(),
            )
        })?;
        Ok(Submission {
            local_id: self.local_id,
            request_id,
            service,
            cloud: self.cloud,
            locale: self.locale,
            base_url: self.base_url,
            request: serde_json::from_str(&self.request_json)?,
            attachments: serde_json::from_str(&self.attachments)?,
            subscription: self.subscription,
            state: self.state,
            server,
            server_id: self.server_id,
            last_error: self.last_error,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// Reads a state column, refusing names this build does not know.
pub(crate) fn state_column(row: &Row<'_>, idx: usize) -> rusqlite::Result<SubmissionState> {
    let text: String = row.get(idx)?;
    SubmissionState::parse(&text).ok_or_else(|| bad_text(idx, "submission state", &text))
}

/// The conversion error for a text column holding a value we cannot read.
pub(crate) fn bad_text(idx: usize, what: &str, text: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        idx,
        rusqlite::types::Type::Text,
        format!("unknown {what} '{text}'").into(),
    )
}

/// Server copies are stored as domain tickets (migration 5 rewrote the older Partner Center
/// copies into that shape).
fn decode_server(json: &str) -> Result<Ticket> {
    Ok(serde_json::from_str(json)?)
}

/// The severity column's word: `unknown` when the service did not say.
fn severity_word(t: &NewTicket) -> &'static str {
    t.severity.map_or("unknown", |s| s.as_str())
}

/// The folded text the history filter searches: title, server id, topic id and name, state and
/// status. Folded here because SQLite's LIKE ignores case only for ASCII; one column so the
/// filter is a single LIKE per row. The separator keeps a match from spanning two fields.
pub(crate) fn search_text(fields: &[Option<&str>]) -> String {
    let parts: Vec<&str> = fields.iter().map(|f| f.unwrap_or("")).collect();
    parts.join("\u{1f}").to_lowercase()
}

pub(crate) fn record(conn: &Connection, new: &NewSubmission<'_>) -> Result<i64> {
    let request = new.request;
    let now = clock::now();
    let mut stmt = conn.prepare_cached(
        "INSERT INTO submissions (request_id, cloud, locale, base_url, request_json, state, created_at, \
         updated_at, title, severity, topic_id, search, service, attachments, subscription) \
         VALUES (?1, ?2, ?3, ?4, ?5, 'sending', ?6, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    stmt.execute(params![
        new.request_id.hyphenated().to_string(),
        new.cloud,
        new.locale,
        new.base_url,
        serde_json::to_string(request)?,
        now,
        request.title,
        severity_word(request),
        request.topic_id,
        search_text(&[
            Some(&request.title),
            None,
            Some(&request.topic_id),
            None,
            Some(SubmissionState::Sending.as_str()),
            None
        ]),
        new.service.as_str(),
        serde_json::to_string(new.attachments)?,
        new.subscription,
    ])?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn mark_created(conn: &Connection, local_id: i64, sr: &Ticket) -> Result<()> {
    update_one(
        conn,
        local_id,
        // The user sees the create's answer on the result screen: it is what later copies are
        // compared with, and the request is checked as of now.
        "UPDATE submissions SET state = 'created', server_json = ?2, server_id = ?3, status = ?4, \
         topic_name = coalesce(?5, topic_name), last_error = NULL, updated_at = ?6, fingerprint = ?7, \
         seen_fingerprint = ?7, updated = 0, checked_at = ?6 WHERE local_id = ?1",
        params![
            local_id,
            serde_json::to_string(sr)?,
            sr.id,
            sr.status.map(|s| s.as_str()),
            sr.topic.name,
            clock::now(),
            follow::fingerprint(sr),
        ],
    )
}

/// Records an attempt's error, leaving the row in `state` (`failed` for good, `sending` to retry).
pub(crate) fn set_error(conn: &Connection, local_id: i64, state: SubmissionState, error: &str) -> Result<()> {
    update_one(
        conn,
        local_id,
        "UPDATE submissions SET state = ?2, last_error = ?3, updated_at = ?4 WHERE local_id = ?1",
        params![local_id, state.as_str(), error, clock::now()],
    )
}

/// Runs an UPDATE of one submission row and rewrites its search column in the same transaction;
/// a row that is not there is `NotFound`.
fn update_one(conn: &Connection, local_id: i64, sql: &str, params: impl rusqlite::Params) -> Result<()> {
    let tx = conn.unchecked_transaction()?;
    if tx.execute(sql, params)? == 0 {
        return Err(StoreError::NotFound(local_id));
    }
    refresh_search(&tx, local_id)?;
    tx.commit()?;
    Ok(())
}

pub(crate) fn outbox(conn: &Connection) -> Result<Vec<Submission>> {
    in_states(conn, "state = 'sending'")
}

/// `outbox` narrowed in SQL to the rows meant for `cloud` at `base_url`: the rule of
/// `outbox::same_destination`. Sandbox rows match by cloud alone (the in-process sandbox gets a
/// new port every run); other rows by cloud and endpoint, trailing slashes aside.
pub(crate) fn outbox_for(
    conn: &Connection,
    service: Service,
    cloud: &str,
    base_url: &str,
) -> Result<Vec<Submission>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM submissions WHERE state = 'sending' AND cloud = ?1 AND service = ?3 \
         AND (?1 = 'sandbox' OR rtrim(base_url, '/') = rtrim(?2, '/')) ORDER BY created_at, local_id"
    ))?;
    let raws = stmt
        .query_map(params![cloud, base_url, service.as_str()], RawRow::read)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.into_iter().map(RawRow::decode).collect()
}

pub(crate) fn server_id_by_number(
    conn: &Connection,
    service: Service,
    number: &str,
) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT server_id FROM submissions WHERE service = ?1 AND server_id IS NOT NULL \
             AND json_valid(server_json) AND json_extract(server_json, '$.number') = ?2 \
             ORDER BY local_id DESC LIMIT 1",
        )?
        .query_row(params![service.as_str(), number], |row| row.get(0))
        .optional()?)
}

pub(crate) fn unsettled(conn: &Connection) -> Result<Vec<Submission>> {
    in_states(conn, "state IN ('sending', 'failed')")
}

/// Rows matching `condition` (a fixed SQL condition on `state`), oldest first.
fn in_states(conn: &Connection, condition: &str) -> Result<Vec<Submission>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM submissions WHERE {condition} ORDER BY created_at, local_id"
    ))?;
    let raws = stmt
        .query_map([], RawRow::read)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.into_iter().map(RawRow::decode).collect()
}

pub(crate) fn discard(conn: &Connection, local_id: i64) -> Result<bool> {
    let n = conn.execute(
        "DELETE FROM submissions WHERE local_id = ?1 AND state <> 'created'",
        [local_id],
    )?;
    Ok(n > 0)
}

pub(crate) fn by_local_id(conn: &Connection, local_id: i64) -> Result<Option<Submission>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM submissions WHERE local_id = ?1"))?;
    stmt.query_row([local_id], RawRow::read)
        .optional()?
        .map(RawRow::decode)
        .transpose()
}

pub(crate) fn by_server_id(
    conn: &Connection,
    service: Service,
    server_id: &str,
) -> Result<Option<Submission>> {
    // Newest first in case the same request was imported twice by an older build. Ids are
    // each service's own, so one service's ticket never stands for another's.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM submissions WHERE server_id = ?1 AND service = ?2 ORDER BY local_id DESC LIMIT 1"
    ))?;
    stmt.query_row(params![server_id, service.as_str()], RawRow::read)
        .optional()?
        .map(RawRow::decode)
        .transpose()
}

pub(crate) fn upsert_server_copy(
    conn: &Connection,
    sr: &Ticket,
    cloud: &str,
    locale: &str,
    base_url: &str,
) -> Result<i64> {
    let foreign = Foreign {
        cloud,
        locale,
        base_url,
    };
    let found = write_copy(conn, sr, Some(foreign))?;
    // With a place to add it, a copy always lands in some row.
    found.map(|r| r.local_id).ok_or(StoreError::NoServerId)
}

/// Stores a fresh copy over the row with its server id; `None` when there is none.
pub(crate) fn record_refresh(conn: &Connection, sr: &Ticket) -> Result<Option<Refreshed>> {
    write_copy(conn, sr, None)
}

/// Where a request filed elsewhere is recorded when first seen.
#[derive(Clone, Copy)]
struct Foreign<'a> {
    cloud: &'a str,
    locale: &'a str,
    base_url: &'a str,
}

/// Writes a server copy over the row with its server id (or adds a row when `foreign` says
/// where), keeping the follow-up bookkeeping in step.
fn write_copy(conn: &Connection, sr: &Ticket, foreign: Option<Foreign<'_>>) -> Result<Option<Refreshed>> {
    let server_id = sr
        .id
        .as_deref()
        .filter(|id| !id.is_empty())
        .ok_or(StoreError::NoServerId)?;
    let tx = conn.unchecked_transaction()?;
    let existing: Option<i64> = tx
        .query_row(
            "SELECT local_id FROM submissions WHERE server_id = ?1 AND service = ?2 ORDER BY local_id DESC LIMIT 1",
            params![server_id, sr.service.as_str()],
            |row| row.get(0),
        )
        .optional()?;
    let (local_id, before) = match existing {
        Some(local_id) => {
            let before = follow::before(&tx, local_id)?;
            // The service knowing the request settles any unknown outcome: it was created.
            // request_json keeps what the user filed.
            tx.execute(
                "UPDATE submissions SET state = 'created', last_error = NULL, server_json = ?2, \
                 status = coalesce(?3, status), title = coalesce(?4, title), severity = coalesce(?5, severity), \
                 topic_id = coalesce(?6, topic_id), topic_name = coalesce(?7, topic_name), updated_at = ?8 \
                 WHERE local_id = ?1",
                params![
                    local_id,
                    serde_json::to_string(sr)?,
                    sr.status.map(|s| s.as_str()),
                    sr.title,
                    sr.severity.map(|s| s.as_str()),
                    sr.topic.id,
                    sr.topic.name,
                    clock::now(),
                ],
            )?;
            (local_id, before)
        }
        None => match foreign {
            Some(f) => (
                insert_foreign(&tx, sr, server_id, f.cloud, f.locale, f.base_url)?,
                (None, None, None),
            ),
            None => return Ok(None),
        },
    };
    let (updated, changed) = follow::track(&tx, local_id, before, sr)?;
    refresh_search(&tx, local_id)?;
    tx.commit()?;
    Ok(Some(Refreshed {
        local_id,
        updated,
        changed,
    }))
}

/// Adds a request filed elsewhere (the portal, another machine) as a `created` row.
fn insert_foreign(
    conn: &Connection,
    sr: &Ticket,
    server_id: &str,
    cloud: &str,
    locale: &str,
    base_url: &str,
) -> Result<i64> {
    let request = NewTicket {
        title: sr.title.clone().unwrap_or_default(),
        description: sr.description.clone().unwrap_or_default(),
        severity: sr.severity,
        topic_id: sr.topic.id.clone().unwrap_or_default(),
        ..Default::default()
    };
    let now = clock::now();
    conn.execute(
        "INSERT INTO submissions (request_id, cloud, locale, base_url, request_json, state, server_json, \
         server_id, created_at, updated_at, title, severity, topic_id, topic_name, status, search, service) \
         VALUES (?1, ?2, ?3, ?4, ?5, 'created', ?6, ?7, ?8, ?8, ?9, ?10, ?11, ?12, ?13, '', ?14)",
        params![
            Uuid::new_v4().hyphenated().to_string(),
            cloud,
            locale,
            base_url,
            serde_json::to_string(&request)?,
            serde_json::to_string(sr)?,
            server_id,
            now,
            request.title,
            severity_word(&request),
            request.topic_id,
            sr.topic.name,
            sr.status.map(|s| s.as_str()),
            sr.service.as_str(),
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Recomputes the folded search text after the fields it covers changed.
fn refresh_search(conn: &Connection, local_id: i64) -> Result<()> {
    let text = conn.query_row(
        "SELECT title, server_id, topic_id, topic_name, state, status FROM submissions WHERE local_id = ?1",
        [local_id],
        |row| {
            let fields: [Option<String>; 6] = [
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
                row.get(5)?,
            ];
            Ok(search_text(&fields.each_ref().map(Option::as_deref)))
        },
    )?;
    conn.execute(
        "UPDATE submissions SET search = ?2 WHERE local_id = ?1",
        params![local_id, text],
    )?;
    Ok(())
}
