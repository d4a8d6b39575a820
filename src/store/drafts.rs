//! The autosaved form draft: at most one row.

use rusqlite::{Connection, OptionalExtension, params};

use super::submissions::bad_text;
use super::{Draft, Result, clock};
use crate::domain::Severity;

pub(crate) fn save(conn: &Connection, draft: &Draft) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO draft (id, title, description, severity, topic_id, saved_at, attachments) \
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6) \
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, description = excluded.description, \
         severity = excluded.severity, topic_id = excluded.topic_id, saved_at = excluded.saved_at, \
         attachments = excluded.attachments",
    )?
    .execute(params![
        draft.title,
        draft.description,
        draft.severity.map(|s| s.as_str()),
        draft.topic_id,
        clock::now(),
        serde_json::to_string(&draft.attachments)?
    ])?;
    Ok(())
}

pub(crate) fn load(conn: &Connection) -> Result<Option<Draft>> {
    let mut stmt = conn.prepare_cached(
        "SELECT title, description, severity, topic_id, attachments FROM draft WHERE id = 1",
    )?;
    let draft = stmt
        .query_row([], |row| {
            let severity: Option<String> = row.get(2)?;
            Ok(Draft {
                title: row.get(0)?,
                description: row.get(1)?,
                severity: severity
                    .map(|s| Severity::parse(&s).ok_or_else(|| bad_text(2, "severity", &s)))
                    .transpose()?,
                topic_id: row.get(3)?,
                attachments: {
                    let raw: String = row.get(4)?;
                    serde_json::from_str(&raw).map_err(|_| bad_text(4, "attachments", &raw))?
                },
            })
        })
        .optional()?;
    Ok(draft)
}

pub(crate) fn clear(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM draft", [])?;
    Ok(())
}
