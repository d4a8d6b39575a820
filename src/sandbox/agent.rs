//! The support agent of a living sandbox: when turned on, it answers each new request after a
//! delay with a note and the status "attention needed", so demos and tests see a status change
//! arrive from the other side.
//!
//! An answer is due at a time stored with the request (`reply_due`, Unix ms) and is written
//! when the next API call comes in, dated when it fell due. Nobody can observe the sandbox
//! except through those calls, so this looks the same from outside as a timer would, costs
//! nothing while idle, and an answer promised by a short-lived CLI process is still given by
//! the next one that opens the same sandbox file.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use rusqlite::params;
use time::OffsetDateTime;

use super::db::{Db, DbError, decode, status_of};
use super::state::SandboxState;
use super::{clock, records};

/// Now, in Unix milliseconds.
pub fn now_ms() -> i64 {
    i64::try_from(OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// A Unix-ms time in the service's date form.
fn date_of(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .map(clock::iso)
        .unwrap_or_else(|_| clock::now())
}

impl Db {
    /// Writes every agent answer due by `now` (Unix ms), each dated when it fell due. Returns
    /// when the next one falls due.
    pub fn answer_due(&self, now: i64) -> Result<Option<i64>, DbError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        let due: Vec<(i64, String, i64)> = {
            let mut stmt = tx.prepare(
                "SELECT seq, body, reply_due FROM service_requests WHERE reply_due IS NOT NULL AND reply_due <= ?1",
            )?;
            stmt.query_map([now], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        for (seq, body, at) in due {
            let mut sr = decode(&body)?;
            if records::agent_reply(&mut sr, &date_of(at)) {
                tx.execute(
                    "UPDATE service_requests SET status = ?2, body = ?3, reply_due = NULL WHERE seq = ?1",
                    params![seq, status_of(&sr), serde_json::to_string(&sr)?],
                )?;
            } else {
                tx.execute(
                    "UPDATE service_requests SET reply_due = NULL WHERE seq = ?1",
                    [seq],
                )?;
            }
        }
        let next = next_due(&tx)?;
        tx.commit()?;
        Ok(next)
    }

    /// Moves every promised answer not yet given to `now` (Unix ms); returns how many.
    pub fn bring_answers_forward(&self, now: i64) -> Result<usize, DbError> {
        Ok(self.conn()?.execute(
            "UPDATE service_requests SET reply_due = ?1 WHERE reply_due IS NOT NULL AND reply_due > ?1",
            [now],
        )?)
    }

    /// When the next agent answer falls due, if one is pending.
    pub fn next_reply_due(&self) -> Result<Option<i64>, DbError> {
        next_due(&*self.conn()?)
    }
}

fn next_due(conn: &rusqlite::Connection) -> Result<Option<i64>, DbError> {
    Ok(conn.query_row(
        "SELECT MIN(reply_due) FROM service_requests WHERE reply_due IS NOT NULL",
        [],
        |r| r.get(0),
    )?)
}

/// Middleware for the API routes: writes the answers that fell due before the call sees the data.
pub async fn catch_up(State(state): State<SandboxState>, req: Request, next: Next) -> Response {
    let now = now_ms();
    if state.reply_due(now) {
        match state.with_db(move |db| db.answer_due(now)).await {
            Ok(next_due) => state.settle_next_due(next_due, now),
            // The call itself can still be answered; the answers wait for the next one.
            Err(e) => tracing::warn!(error = %e.description, "sandbox: support agent answers failed"),
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{ServiceRequest, Status};

    fn open_sr(id: String) -> ServiceRequest {
        ServiceRequest {
            id: Some(id),
            title: Some("Invoice".into()),
            status: Some(Status::Open),
            ..Default::default()
        }
    }

    #[test]
    fn due_answers_are_written_once_and_dated_when_due() {
        let db = Db::open(None).unwrap();
        let (early, _) = db.create_once("a", None, Some(1_000), open_sr).unwrap();
        let (late, _) = db.create_once("b", None, Some(5_000), open_sr).unwrap();
        let (never, _) = db.create_once("c", None, None, open_sr).unwrap();
        assert_eq!(db.next_reply_due().unwrap(), Some(1_000));
        assert_eq!(db.answer_due(999).unwrap(), Some(1_000), "nothing due yet");
        assert_eq!(
            db.get(None, early.id.as_deref().unwrap())
                .unwrap()
                .unwrap()
                .status,
            Some(Status::Open)
        );
        assert_eq!(db.answer_due(2_000).unwrap(), Some(5_000));
        let answered = db.get(None, early.id.as_deref().unwrap()).unwrap().unwrap();
        assert_eq!(answered.status, Some(Status::AttentionNeeded));
        let notes = answered.notes.unwrap();
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].created_date.as_deref(), Some("1970-01-01T00:00:01.000Z"));
        assert_eq!(db.answer_due(3_000).unwrap(), Some(5_000));
        let again = db.get(None, early.id.as_deref().unwrap()).unwrap().unwrap();
        assert_eq!(again.notes.map(|n| n.len()), Some(1), "answered once");
        assert_eq!(
            db.get(None, late.id.as_deref().unwrap()).unwrap().unwrap().status,
            Some(Status::Open)
        );
        assert_eq!(db.answer_due(10_000).unwrap(), None);
        assert_eq!(
            db.get(None, never.id.as_deref().unwrap())
                .unwrap()
                .unwrap()
                .status,
            Some(Status::Open)
        );
        let open = db.list(None, Some(Status::AttentionNeeded), 0, 10).unwrap();
        assert_eq!(open.items.len(), 2, "the status column follows");
    }
}
