//! The sandbox's state in SQLite: one row per request holding its JSON, plus the columns the
//! routes look up by (id, MS-RequestId, customer tenant, status) and when the support agent
//! answers (`reply_due`, Unix ms). Newest rows have the highest `seq`. Updates are remembered
//! per MS-RequestId so a retried PATCH is answered, not applied, again.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension, params};

use crate::api::{ServiceRequest, Status, wire};

/// A database failure inside the sandbox.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// SQLite refused.
    #[error("SQLite: {0}")]
    Sql(#[from] rusqlite::Error),
    /// A request could not be encoded for storage.
    #[error("a request could not be encoded: {0}")]
    Json(#[from] serde_json::Error),
    /// A stored row is not a service request.
    #[error("a stored request could not be read ({0}); delete the sandbox database to start afresh")]
    Stored(#[from] wire::WireError),
    /// A sandbox data file was unusable.
    #[error("{0}")]
    Assets(String),
    /// A thread panicked while holding the connection.
    #[error("the database lock was poisoned by a panic; restart the sandbox")]
    Poisoned,
}

/// Whose requests a query addresses: the partner's own (`None`) or a customer tenant's.
pub type Tenant<'a> = Option<&'a str>;

/// One page of a list query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestPage {
    /// The requests on the page, newest first.
    pub items: Vec<ServiceRequest>,
    /// Whether more matching requests follow.
    pub more: bool,
}

/// What became of an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Updated {
    /// Applied now; the request as it stands after it.
    Applied(ServiceRequest),
    /// This MS-RequestId changed this request before: the answer given then.
    Replayed(ServiceRequest),
    /// No such request in that scope.
    Missing,
    /// This MS-RequestId was already used for another call (another request, or another body).
    Reused,
}

/// What became of a create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filed {
    /// Filed now.
    New(ServiceRequest),
    /// This MS-RequestId filed this same request before: the request it filed then.
    Replayed(ServiceRequest),
    /// This MS-RequestId was already used to file a different request.
    Reused,
}

/// The sandbox database. Calls are short and serialized by one mutex.
pub struct Db {
    conn: Mutex<Connection>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS service_requests (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT NOT NULL UNIQUE,
    request_id TEXT UNIQUE,
    tenant     TEXT,
    status     TEXT NOT NULL,
    body       TEXT NOT NULL
);
-- List order straight from the index: without it every page sorted all of a scope's rows
-- (bodies included), about 90 ms a page at 10,000 requests.
DROP INDEX IF EXISTS service_requests_tenant;
CREATE INDEX IF NOT EXISTS service_requests_scope ON service_requests (tenant, seq);
CREATE INDEX IF NOT EXISTS service_requests_scope_status ON service_requests (tenant, status, seq);
CREATE TABLE IF NOT EXISTS updates (
    request_id TEXT PRIMARY KEY,
    id         TEXT NOT NULL,
    tenant     TEXT,
    body       TEXT NOT NULL
);
";

/// Added after the first release: files made before lack the column.
const REPLY_DUE: &str = "
ALTER TABLE service_requests ADD COLUMN reply_due INTEGER;
";
/// Added later still: what each MS-RequestId was sent with, so a reuse with another body is told
/// apart from a resend (rows from before hold NULL and count as the same call).
const FINGERPRINTS: &str = "
ALTER TABLE service_requests ADD COLUMN fingerprint TEXT;
ALTER TABLE updates ADD COLUMN fingerprint TEXT;
";
const REPLY_DUE_INDEX: &str = "CREATE INDEX IF NOT EXISTS service_requests_reply_due ON service_requests (reply_due) WHERE reply_due IS NOT NULL;";

/// Smallest and largest 15-digit ids, the form real request ids take.
const ID_RANGE: std::ops::Range<u64> = 100_000_000_000_000..1_000_000_000_000_000;

impl Db {
    /// Opens (creating if needed) the database at `path`, or an in-memory one.
    pub fn open(path: Option<&Path>) -> Result<Db, DbError> {
        let conn = match path {
            Some(p) => Connection::open(p)?,
            None => Connection::open_in_memory()?,
        };
        // A CLI `sandbox serve` and a test may share one file; wait rather than fail on a lock.
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        let has_reply_due: bool = conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM pragma_table_info('service_requests') WHERE name = 'reply_due')",
            [],
            |r| r.get(0),
        )?;
        if !has_reply_due {
            conn.execute_batch(REPLY_DUE)?;
        }
        let has_fingerprints: bool = conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM pragma_table_info('updates') WHERE name = 'fingerprint')",
            [],
            |r| r.get(0),
        )?;
        if !has_fingerprints {
            conn.execute_batch(FINGERPRINTS)?;
        }
        conn.execute_batch(REPLY_DUE_INDEX)?;
        Ok(Db {
            conn: Mutex::new(conn),
        })
    }

    pub(super) fn conn(&self) -> Result<MutexGuard<'_, Connection>, DbError> {
        self.conn.lock().map_err(|_| DbError::Poisoned)
    }

    /// How many requests of `tenant` (`None`: the partner's own) exist.
    pub fn count(&self, tenant: Tenant<'_>) -> Result<usize, DbError> {
        let n: i64 = self.conn()?.query_row(
            "SELECT COUNT(*) FROM service_requests WHERE tenant IS ?1",
            [tenant.map(str::to_ascii_lowercase)],
            |r| r.get(0),
        )?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Files a request once per `request_id`: when that MS-RequestId was seen before, the request
    /// it created is returned unchanged (`false`); otherwise `build` gets a fresh unique id and
    /// its result is stored (`true`). `reply_due` (Unix ms) is when the support agent answers it.
    /// No body is compared: for the sandbox's own filings (seeds, tests).
    pub fn create_once(
        &self,
        request_id: &str,
        tenant: Tenant<'_>,
        reply_due: Option<i64>,
        build: impl FnOnce(String) -> ServiceRequest,
    ) -> Result<(ServiceRequest, bool), DbError> {
        match self.file_once(request_id, None, tenant, reply_due, build)? {
            Filed::New(sr) => Ok((sr, true)),
            Filed::Replayed(sr) => Ok((sr, false)),
            // Without a fingerprint every earlier filing counts as the same call.
            Filed::Reused => Err(DbError::Assets(format!(
                "MS-RequestId {request_id} was already used to file another request"
            ))),
        }
    }

    /// Files a request once per `request_id` (MS-RequestId), the rule of every write: the same
    /// id with the same `fingerprint` (the call's body and scope) gets the first answer; the same
    /// id with another fingerprint is [`Filed::Reused`] (a 409), never a silent old answer.
    pub fn file_once(
        &self,
        request_id: &str,
        fingerprint: Option<&str>,
        tenant: Tenant<'_>,
        reply_due: Option<i64>,
        build: impl FnOnce(String) -> ServiceRequest,
    ) -> Result<Filed, DbError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        let request_id = request_id.to_ascii_lowercase();
        let earlier: Option<(String, Option<String>)> = tx
            .query_row(
                "SELECT body, fingerprint FROM service_requests WHERE request_id = ?1",
                [&request_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((body, earlier_print)) = earlier {
            return Ok(if same_call(earlier_print.as_deref(), fingerprint) {
                Filed::Replayed(decode(&body)?)
            } else {
                Filed::Reused
            });
        }
        let id = loop {
            let candidate = rand::random_range(ID_RANGE).to_string();
            let taken: bool = tx.query_row(
                "SELECT EXISTS(SELECT 1 FROM service_requests WHERE id = ?1)",
                [&candidate],
                |r| r.get(0),
            )?;
            if !taken {
                break candidate;
            }
        };
        let sr = build(id.clone());
        tx.execute(
            "INSERT INTO service_requests (id, request_id, tenant, status, body, reply_due, fingerprint) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                id,
                request_id,
                tenant.map(str::to_ascii_lowercase),
                status_of(&sr),
                serde_json::to_string(&sr)?,
                reply_due,
                fingerprint
            ],
        )?;
        tx.commit()?;
        Ok(Filed::New(sr))
    }

    /// The request `id` within `tenant`'s scope.
    pub fn get(&self, tenant: Tenant<'_>, id: &str) -> Result<Option<ServiceRequest>, DbError> {
        let body: Option<String> = self
            .conn()?
            .query_row(
                "SELECT body FROM service_requests WHERE id = ?1 AND tenant IS ?2",
                params![id, tenant.map(str::to_ascii_lowercase)],
                |r| r.get(0),
            )
            .optional()?;
        body.map(|b| decode(&b)).transpose()
    }

    /// Changes the request `id` within `tenant`'s scope with `change`; `None` when there is none.
    pub fn update(
        &self,
        tenant: Tenant<'_>,
        id: &str,
        change: impl FnOnce(&mut ServiceRequest),
    ) -> Result<Option<ServiceRequest>, DbError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        let tenant = tenant.map(str::to_ascii_lowercase);
        let body: Option<String> = tx
            .query_row(
                "SELECT body FROM service_requests WHERE id = ?1 AND tenant IS ?2",
                params![id, tenant],
                |r| r.get(0),
            )
            .optional()?;
        let Some(body) = body else { return Ok(None) };
        let mut sr = decode(&body)?;
        change(&mut sr);
        tx.execute(
            "UPDATE service_requests SET status = ?1, body = ?2 WHERE id = ?3 AND tenant IS ?4",
            params![status_of(&sr), serde_json::to_string(&sr)?, id, tenant],
        )?;
        tx.commit()?;
        Ok(Some(sr))
    }

    /// Changes the request `id` within `tenant`'s scope once per `request_id` (MS-RequestId):
    /// a retry of the same call (same request, same `fingerprint` of its body) gets the first
    /// call's answer and changes nothing; the id reused for anything else is [`Updated::Reused`].
    pub fn update_once(
        &self,
        request_id: &str,
        fingerprint: Option<&str>,
        tenant: Tenant<'_>,
        id: &str,
        change: impl FnOnce(&mut ServiceRequest),
    ) -> Result<Updated, DbError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        let request_id = request_id.to_ascii_lowercase();
        let tenant = tenant.map(str::to_ascii_lowercase);
        let earlier: Option<(String, Option<String>, String, Option<String>)> = tx
            .query_row(
                "SELECT id, tenant, body, fingerprint FROM updates WHERE request_id = ?1",
                [&request_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        if let Some((earlier_id, earlier_tenant, body, earlier_print)) = earlier {
            return Ok(
                if earlier_id == id
                    && earlier_tenant == tenant
                    && same_call(earlier_print.as_deref(), fingerprint)
                {
                    Updated::Replayed(decode(&body)?)
                } else {
                    Updated::Reused
                },
            );
        }
        let body: Option<String> = tx
            .query_row(
                "SELECT body FROM service_requests WHERE id = ?1 AND tenant IS ?2",
                params![id, tenant],
                |r| r.get(0),
            )
            .optional()?;
        let Some(body) = body else {
            return Ok(Updated::Missing);
        };
        let mut sr = decode(&body)?;
        change(&mut sr);
        let json = serde_json::to_string(&sr)?;
        tx.execute(
            "UPDATE service_requests SET status = ?1, body = ?2 WHERE id = ?3 AND tenant IS ?4",
            params![status_of(&sr), json, id, tenant],
        )?;
        tx.execute(
            "INSERT INTO updates (request_id, id, tenant, body, fingerprint) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![request_id, id, tenant, json, fingerprint],
        )?;
        tx.commit()?;
        Ok(Updated::Applied(sr))
    }

    /// A page of `tenant`'s requests, newest first, optionally only those with `status`.
    pub fn list(
        &self,
        tenant: Tenant<'_>,
        status: Option<Status>,
        offset: u32,
        size: u32,
    ) -> Result<RequestPage, DbError> {
        let conn = self.conn()?;
        // Two statements so each walks its own index in order (an `?2 IS NULL OR` test would not).
        let mut stmt = conn.prepare_cached(if status.is_some() {
            "SELECT body FROM service_requests WHERE tenant IS ?1 AND status = ?2
             ORDER BY seq DESC LIMIT ?3 OFFSET ?4"
        } else {
            "SELECT body FROM service_requests WHERE tenant IS ?1 AND ?2 IS NULL
             ORDER BY seq DESC LIMIT ?3 OFFSET ?4"
        })?;
        // One row past the page tells whether a next page exists.
        let rows = stmt.query_map(
            params![
                tenant.map(str::to_ascii_lowercase),
                status.map(Status::as_wire),
                i64::from(size) + 1,
                offset
            ],
            |r| r.get::<_, String>(0),
        )?;
        let mut items = Vec::new();
        for body in rows {
            items.push(decode(&body?)?);
        }
        let more = items.len() > size as usize;
        items.truncate(size as usize);
        Ok(RequestPage { items, more })
    }
}

/// Whether a call with `now`'s fingerprint repeats the one recorded with `then`'s; a side
/// without one (older rows, the sandbox's own filings) cannot tell and counts as the same.
fn same_call(then: Option<&str>, now: Option<&str>) -> bool {
    match (then, now) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

/// Rows hold the camelCase answer form, which only the lenient reader maps back onto the model.
pub(super) fn decode(body: &str) -> Result<ServiceRequest, DbError> {
    Ok(wire::parse(body.as_bytes())?)
}

pub(super) fn status_of(sr: &ServiceRequest) -> &'static str {
    sr.status.unwrap_or_default().as_wire()
}

#[cfg(test)]
mod tests;
