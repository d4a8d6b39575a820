//! ARM resources in the sandbox's SQLite file, beside the Partner Center requests: one row per
//! resource (ticket, communication, file workspace, file) keyed by its lower-cased resource id,
//! holding its JSON; the long-running operations; and which upload chunks arrived.

use rusqlite::{OptionalExtension, params};
use serde_json::Value;

use crate::sandbox::db::{Db, DbError};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS arm_resources (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    key         TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    parent      TEXT NOT NULL,
    fingerprint TEXT,
    reply_due   INTEGER,
    body        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS arm_resources_parent ON arm_resources (kind, parent, seq);
CREATE INDEX IF NOT EXISTS arm_resources_reply_due ON arm_resources (reply_due) WHERE reply_due IS NOT NULL;
CREATE TABLE IF NOT EXISTS arm_operations (
    id        TEXT PRIMARY KEY,
    resource  TEXT NOT NULL,
    polls     INTEGER NOT NULL,
    error     TEXT
);
CREATE TABLE IF NOT EXISTS arm_chunks (
    file  TEXT NOT NULL,
    idx   INTEGER NOT NULL,
    size  INTEGER NOT NULL,
    PRIMARY KEY (file, idx)
);
-- The chunks' bytes, apart from their sizes so a sandbox file of an older build still opens.
CREATE TABLE IF NOT EXISTS arm_chunk_bytes (
    file     TEXT NOT NULL,
    idx      INTEGER NOT NULL,
    content  BLOB NOT NULL,
    PRIMARY KEY (file, idx)
);
";

/// What a create-by-name did.
#[derive(Debug, Clone, PartialEq)]
pub enum Put {
    /// Stored now.
    New(Value),
    /// The name exists and was made from the same request: the stored resource.
    Same(Value),
    /// The name exists and was made from another request: the stored resource.
    Other(Value),
}

/// Where a new resource goes.
pub struct Row<'a> {
    /// Lower-cased resource id.
    pub key: &'a str,
    /// `ticket`, `communication`, `workspace` or `file`.
    pub kind: &'a str,
    /// Lower-cased id of what it belongs to (the scope for tickets and workspaces).
    pub parent: &'a str,
    /// What the request asked for, to tell a resend from a different call.
    pub fingerprint: &'a Value,
    /// When the support agent answers (tickets, Unix ms).
    pub reply_due: Option<i64>,
}

/// One long-running operation's state.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// Key of the resource it creates.
    pub resource: String,
    /// Polls still answered `InProgress`.
    pub polls: u32,
    /// Its error once failed.
    pub error: Option<Value>,
}

/// Creates the ARM tables in `db` if missing.
pub fn migrate(db: &Db) -> Result<(), DbError> {
    db.conn()?.execute_batch(SCHEMA)?;
    Ok(())
}

fn parse(text: &str) -> Result<Value, DbError> {
    Ok(serde_json::from_str(text)?)
}

/// Stores `make()` under `row.key` unless the name is taken; a taken name is compared with
/// the fingerprint it was made with.
pub fn put_once(db: &Db, row: &Row<'_>, make: impl FnOnce() -> Value) -> Result<Put, DbError> {
    let mut conn = db.conn()?;
    let tx = conn.transaction()?;
    let existing: Option<(Option<String>, String)> = tx
        .query_row(
            "SELECT fingerprint, body FROM arm_resources WHERE key = ?1",
            [row.key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((fingerprint, body)) = existing {
        let body = parse(&body)?;
        let same = match fingerprint {
            Some(f) => parse(&f)? == *row.fingerprint,
            None => true,
        };
        return Ok(if same { Put::Same(body) } else { Put::Other(body) });
    }
    let body = make();
    tx.execute(
        "INSERT INTO arm_resources (key, kind, parent, fingerprint, reply_due, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            row.key,
            row.kind,
            row.parent,
            serde_json::to_string(row.fingerprint)?,
            row.reply_due,
            serde_json::to_string(&body)?
        ],
    )?;
    tx.commit()?;
    Ok(Put::New(body))
}

/// The resource stored under `key`.
pub fn get(db: &Db, key: &str) -> Result<Option<Value>, DbError> {
    let body: Option<String> = db
        .conn()?
        .query_row("SELECT body FROM arm_resources WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?;
    body.as_deref().map(parse).transpose()
}

/// Replaces the stored body under `key`; false when there is none.
pub fn replace(db: &Db, key: &str, body: &Value) -> Result<bool, DbError> {
    let n = db.conn()?.execute(
        "UPDATE arm_resources SET body = ?2 WHERE key = ?1",
        params![key, serde_json::to_string(body)?],
    )?;
    Ok(n > 0)
}

/// Changes the resource under `key` with `change` in one transaction: `None` when missing,
/// else what `change` returned (an `Err` leaves the row as it was).
pub fn update<T, E>(
    db: &Db,
    key: &str,
    change: impl FnOnce(&mut Value) -> Result<T, E>,
) -> Result<Option<Result<T, E>>, DbError> {
    let mut conn = db.conn()?;
    let tx = conn.transaction()?;
    let body: Option<String> = tx
        .query_row("SELECT body FROM arm_resources WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?;
    let Some(body) = body else { return Ok(None) };
    let mut value = parse(&body)?;
    let outcome = change(&mut value);
    if outcome.is_ok() {
        tx.execute(
            "UPDATE arm_resources SET body = ?2 WHERE key = ?1",
            params![key, serde_json::to_string(&value)?],
        )?;
        tx.commit()?;
    }
    Ok(Some(outcome))
}

/// Every `kind` resource under `parent`, oldest first.
pub fn list(db: &Db, kind: &str, parent: &str) -> Result<Vec<Value>, DbError> {
    let conn = db.conn()?;
    let mut stmt =
        conn.prepare("SELECT body FROM arm_resources WHERE kind = ?1 AND parent = ?2 ORDER BY seq")?;
    let rows = stmt
        .query_map([kind, parent], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.iter().map(|b| parse(b)).collect()
}

/// How many resources of `kind` exist in all scopes.
pub fn count(db: &Db, kind: &str) -> Result<usize, DbError> {
    let n: i64 = db.conn()?.query_row(
        "SELECT COUNT(*) FROM arm_resources WHERE kind = ?1",
        [kind],
        |r| r.get(0),
    )?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// Records a long-running operation.
pub fn start_operation(db: &Db, id: &str, op: &Operation) -> Result<(), DbError> {
    let error = op.error.as_ref().map(serde_json::to_string).transpose()?;
    db.conn()?.execute(
        "INSERT OR REPLACE INTO arm_operations (id, resource, polls, error) VALUES (?1, ?2, ?3, ?4)",
        params![id, op.resource, op.polls, error],
    )?;
    Ok(())
}

/// One poll of operation `id`: its state as this poll sees it (a poll while running spends one
/// of the polls still answered `InProgress`).
pub fn poll_operation(db: &Db, id: &str) -> Result<Option<Operation>, DbError> {
    let mut conn = db.conn()?;
    let tx = conn.transaction()?;
    let row: Option<(String, u32, Option<String>)> = tx
        .query_row(
            "SELECT resource, polls, error FROM arm_operations WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((resource, polls, error)) = row else {
        return Ok(None);
    };
    if polls > 0 {
        tx.execute("UPDATE arm_operations SET polls = polls - 1 WHERE id = ?1", [id])?;
        tx.commit()?;
    }
    Ok(Some(Operation {
        resource,
        polls,
        error: error.as_deref().map(parse).transpose()?,
    }))
}

/// Notes that chunk `idx` of file `file` arrived with `size` bytes (again: replaced).
pub fn put_chunk(db: &Db, file: &str, idx: u64, content: &[u8]) -> Result<(), DbError> {
    let conn = db.conn()?;
    let idx = i64::try_from(idx).unwrap_or(i64::MAX);
    conn.execute(
        "INSERT OR REPLACE INTO arm_chunks (file, idx, size) VALUES (?1, ?2, ?3)",
        params![file, idx, i64::try_from(content.len()).unwrap_or(i64::MAX)],
    )?;
    conn.execute(
        "INSERT OR REPLACE INTO arm_chunk_bytes (file, idx, content) VALUES (?1, ?2, ?3)",
        params![file, idx, content],
    )?;
    Ok(())
}

/// Every uploaded file's key and its bytes so far (its chunks in order), oldest file first.
pub fn uploads(db: &Db) -> Result<Vec<(String, Vec<u8>)>, DbError> {
    let conn = db.conn()?;
    let mut stmt = conn.prepare(
        "SELECT c.file, c.content FROM arm_chunk_bytes c \
         LEFT JOIN arm_resources r ON r.key = c.file ORDER BY r.seq, c.file, c.idx",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?)))?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for row in rows {
        let (file, content) = row?;
        match files.last_mut() {
            Some((last, bytes)) if *last == file => bytes.extend(content),
            _ => files.push((file, content)),
        }
    }
    Ok(files)
}

/// How many chunks of `file` arrived.
pub fn chunk_count(db: &Db, file: &str) -> Result<usize, DbError> {
    let n: i64 = db
        .conn()?
        .query_row("SELECT COUNT(*) FROM arm_chunks WHERE file = ?1", [file], |r| {
            r.get(0)
        })?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// Tickets whose agent answer is due by `now` (Unix ms): `(key, due, body)`; their due time is
/// cleared in the same transaction, and `answer` writes what it returns for each.
pub fn answer_due(
    db: &Db,
    now: i64,
    mut answer: impl FnMut(&str, i64, &mut Value) -> Option<(String, Value)>,
) -> Result<usize, DbError> {
    let mut conn = db.conn()?;
    let tx = conn.transaction()?;
    let due: Vec<(String, i64, String)> = {
        let mut stmt = tx.prepare(
            "SELECT key, reply_due, body FROM arm_resources WHERE reply_due IS NOT NULL AND reply_due <= ?1",
        )?;
        stmt.query_map([now], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    let n = due.len();
    for (key, at, body) in due {
        let mut ticket = parse(&body)?;
        let reply = answer(&key, at, &mut ticket);
        tx.execute(
            "UPDATE arm_resources SET reply_due = NULL, body = ?2 WHERE key = ?1",
            params![key, serde_json::to_string(&ticket)?],
        )?;
        if let Some((comm_key, comm)) = reply {
            tx.execute(
                "INSERT OR IGNORE INTO arm_resources (key, kind, parent, body) VALUES (?1, 'communication', ?2, ?3)",
                params![comm_key, key, serde_json::to_string(&comm)?],
            )?;
        }
    }
    tx.commit()?;
    Ok(n)
}

/// Moves every promised agent answer to `now`; returns how many.
pub fn bring_answers_forward(db: &Db, now: i64) -> Result<usize, DbError> {
    Ok(db.conn()?.execute(
        "UPDATE arm_resources SET reply_due = ?1 WHERE reply_due IS NOT NULL AND reply_due > ?1",
        [now],
    )?)
}

/// Whether some agent answer is promised at all (lets calls skip the write transaction).
pub fn any_due(db: &Db, now: i64) -> Result<bool, DbError> {
    let n: i64 = db.conn()?.query_row(
        "SELECT COUNT(*) FROM arm_resources WHERE reply_due IS NOT NULL AND reply_due <= ?1",
        [now],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}
