//! Notes being written in the TUI, kept until they are sent: one per request.

use rusqlite::{Connection, params};
use uuid::Uuid;

use super::submissions::bad_text;
use super::{NoteDraft, Result, clock};

pub(crate) fn save(conn: &Connection, note: &NoteDraft) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO note_drafts (server_id, local_id, customer, body, request_id, sent_body, maybe_added, saved_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
         ON CONFLICT (server_id) DO UPDATE SET local_id = excluded.local_id, customer = excluded.customer, \
         body = excluded.body, request_id = excluded.request_id, sent_body = excluded.sent_body, \
         maybe_added = excluded.maybe_added, saved_at = excluded.saved_at",
    )?
    .execute(params![
        note.server_id,
        note.local_id,
        note.customer,
        note.body,
        note.request_id.to_string(),
        note.sent_body,
        note.maybe_added,
        clock::now()
    ])?;
    Ok(())
}

pub(crate) fn all(conn: &Connection) -> Result<Vec<NoteDraft>> {
    let mut stmt = conn.prepare_cached(
        "SELECT server_id, local_id, customer, body, request_id, sent_body, maybe_added \
         FROM note_drafts ORDER BY saved_at",
    )?;
    let rows = stmt
        .query_map([], |r| {
            let id: String = r.get(4)?;
            Ok(NoteDraft {
                server_id: r.get(0)?,
                local_id: r.get(1)?,
                customer: r.get(2)?,
                body: r.get(3)?,
                request_id: Uuid::parse_str(&id).map_err(|_| bad_text(4, "request_id", &id))?,
                sent_body: r.get(5)?,
                maybe_added: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(crate) fn remove(conn: &Connection, server_id: &str) -> Result<()> {
    conn.execute("DELETE FROM note_drafts WHERE server_id = ?1", [server_id])?;
    Ok(())
}
