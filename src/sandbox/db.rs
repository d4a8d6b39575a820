//! The sandbox's state in SQLite: one row per request holding its JSON, plus the columns the
//! routes look up by (id, MS-RequestId, customer tenant, status). Newest rows have the highest `seq`.

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
    /// A thread panicked while holding the connection.
    #[error("the database lock was poisoned by a panic; restart the sandbox")]
    Poisoned,
}

/// Whose requests a query addresses: the partner's own (`None`) or a customer tenant's.
pub type Tenant<'a> = Option<&'a str>;

/// One page of a list query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The requests on the page, newest first.
    pub items: Vec<ServiceRequest>,
    /// Whether more matching requests follow.
    pub more: bool,
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
CREATE INDEX IF NOT EXISTS service_requests_tenant ON service_requests (tenant, status);
";

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
        Ok(Db {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> Result<MutexGuard<'_, Connection>, DbError> {
        self.conn.lock().map_err(|_| DbError::Poisoned)
    }

    /// How many requests exist, partner and customer alike.
    pub fn count(&self) -> Result<usize, DbError> {
        let n: i64 = self
            .conn()?
            .query_row("SELECT COUNT(*) FROM service_requests", [], |r| r.get(0))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Files a request once per `request_id`: when that MS-RequestId was seen before, the request
    /// it created is returned unchanged (`false`); otherwise `build` gets a fresh unique id and
    /// its result is stored (`true`).
    pub fn create_once(
        &self,
        request_id: &str,
        tenant: Tenant<'_>,
        build: impl FnOnce(String) -> ServiceRequest,
    ) -> Result<(ServiceRequest, bool), DbError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        let request_id = request_id.to_ascii_lowercase();
        let earlier: Option<String> = tx
            .query_row(
                "SELECT body FROM service_requests WHERE request_id = ?1",
                [&request_id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(body) = earlier {
            return Ok((decode(&body)?, false));
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
            "INSERT INTO service_requests (id, request_id, tenant, status, body) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                id,
                request_id,
                tenant.map(str::to_ascii_lowercase),
                status_of(&sr),
                serde_json::to_string(&sr)?
            ],
        )?;
        tx.commit()?;
        Ok((sr, true))
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

    /// A page of `tenant`'s requests, newest first, optionally only those with `status`.
    pub fn list(
        &self,
        tenant: Tenant<'_>,
        status: Option<Status>,
        offset: u32,
        size: u32,
    ) -> Result<Page, DbError> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare(
            "SELECT body FROM service_requests WHERE tenant IS ?1 AND (?2 IS NULL OR status = ?2)
             ORDER BY seq DESC LIMIT ?3 OFFSET ?4",
        )?;
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
        Ok(Page { items, more })
    }
}

/// Rows hold the camelCase answer form, which only the lenient reader maps back onto the model.
fn decode(body: &str) -> Result<ServiceRequest, DbError> {
    Ok(wire::parse(body.as_bytes())?)
}

fn status_of(sr: &ServiceRequest) -> &'static str {
    sr.status.unwrap_or_default().as_wire()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sr(id: String, status: Status) -> ServiceRequest {
        ServiceRequest {
            id: Some(id),
            status: Some(status),
            support_topic_id: Some("32444667".to_string()),
            ..Default::default()
        }
    }

    #[test]
    fn create_is_idempotent_per_request_id_and_ids_are_15_digits() {
        let db = Db::open(None).unwrap();
        let (first, created) = db.create_once("ABC", None, |id| sr(id, Status::Open)).unwrap();
        assert!(created);
        let id = first.id.clone().unwrap();
        assert!(id.len() == 15 && id.chars().all(|c| c.is_ascii_digit()), "{id}");
        let (again, created) = db.create_once("abc", None, |id| sr(id, Status::Closed)).unwrap();
        assert!(!created);
        assert_eq!(again, first);
        assert_eq!(db.count().unwrap(), 1);
    }

    #[test]
    fn tenants_see_only_their_own_requests() {
        let db = Db::open(None).unwrap();
        let (partner, _) = db.create_once("p", None, |id| sr(id, Status::Open)).unwrap();
        let (customer, _) = db
            .create_once("c", Some("TENANT"), |id| sr(id, Status::Open))
            .unwrap();
        let pid = partner.id.unwrap();
        let cid = customer.id.unwrap();
        let stored = db.get(None, &pid).unwrap().unwrap();
        assert_eq!(
            stored.support_topic_id.as_deref(),
            Some("32444667"),
            "multi-word fields survive storage"
        );
        assert!(db.get(None, &cid).unwrap().is_none());
        assert!(db.get(Some("tenant"), &cid).unwrap().is_some());
        assert!(db.update(Some("other"), &cid, |_| {}).unwrap().is_none());
        assert_eq!(db.list(None, None, 0, 10).unwrap().items.len(), 1);
        assert_eq!(
            db.list(Some("tenant"), None, 0, 10).unwrap().items[0]
                .id
                .as_deref(),
            Some(cid.as_str())
        );
    }

    #[test]
    fn list_pages_newest_first_and_filters_on_status() {
        let db = Db::open(None).unwrap();
        let mut ids = Vec::new();
        for n in 0..5 {
            let status = if n % 2 == 0 { Status::Open } else { Status::Closed };
            ids.push(
                db.create_once(&n.to_string(), None, |id| sr(id, status))
                    .unwrap()
                    .0
                    .id
                    .unwrap(),
            );
        }
        let first = db.list(None, None, 0, 2).unwrap();
        assert!(first.more);
        assert_eq!(first.items[0].id.as_ref(), Some(&ids[4]));
        let last = db.list(None, None, 4, 2).unwrap();
        assert_eq!((last.items.len(), last.more), (1, false));
        let open = db.list(None, Some(Status::Open), 0, 10).unwrap();
        assert_eq!(open.items.len(), 3);
        db.update(None, &ids[0], |s| s.status = Some(Status::Closed))
            .unwrap();
        assert_eq!(db.list(None, Some(Status::Open), 0, 10).unwrap().items.len(), 2);
    }
}
