//! The history list: newest first, paged, filtered; reads only the denormalized columns so it
//! stays cheap with a large history.

use rusqlite::{Connection, Row, params};

use super::submissions::{bad_text, state_column};
use super::{HistoryRow, Result};
use crate::domain::{Severity, Status};

/// What a list row reads, in `read_row`'s order.
const COLUMNS: &str = "local_id, state, server_id, title, severity, topic_id, topic_name, status, created_at, updated, \
     CASE WHEN json_valid(server_json) THEN json_extract(server_json, '$.number') END";

const ORDER: &str = "ORDER BY created_at DESC, local_id DESC";

/// The `search` column holds every searched field, already folded (see `submissions::search_text`).
const MATCH: &str = r"search LIKE ?1 ESCAPE '\'";

/// Escapes LIKE's wildcards so the user's text matches literally.
pub(crate) fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The LIKE pattern for a filter, or `None` when the filter selects everything.
fn pattern(filter: &str) -> Option<String> {
    let needle = filter.trim();
    (!needle.is_empty()).then(|| format!("%{}%", escape_like(&needle.to_lowercase())))
}

fn to_sql_int(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

pub(crate) fn page(conn: &Connection, filter: &str, offset: usize, limit: usize) -> Result<Vec<HistoryRow>> {
    let columns = COLUMNS;
    let (limit, offset) = (to_sql_int(limit), to_sql_int(offset));
    let rows = match pattern(filter) {
        None => {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {columns} FROM submissions {ORDER} LIMIT ?1 OFFSET ?2"
            ))?;
            stmt.query_map(params![limit, offset], read_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?
        }
        Some(pattern) => {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {columns} FROM submissions WHERE {MATCH} {ORDER} LIMIT ?2 OFFSET ?3"
            ))?;
            stmt.query_map(params![pattern, limit, offset], read_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?
        }
    };
    Ok(rows)
}

/// Where a window of the history starts, in the list's newest-first order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    /// The newest rows.
    Top,
    /// The oldest rows.
    Bottom,
    /// This row and the ones below it.
    From(HistoryKey),
    /// The rows just below (older than) this one.
    After(HistoryKey),
    /// The rows just above (newer than) this one.
    Before(HistoryKey),
}

/// A row's place in the list: its sort key, so a window is one indexed seek (no OFFSET scan).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryKey {
    /// When the row was recorded.
    pub created_at: String,
    /// Its local id (ties on `created_at`).
    pub local_id: i64,
}

impl HistoryKey {
    /// The key of a row.
    pub fn of(row: &HistoryRow) -> HistoryKey {
        HistoryKey {
            created_at: row.created_at.clone(),
            local_id: row.local_id,
        }
    }
}

/// Up to `limit` rows next to `anchor`, in list order (newest first).
pub(crate) fn window(
    conn: &Connection,
    filter: &str,
    anchor: &Anchor,
    limit: usize,
) -> Result<Vec<HistoryRow>> {
    let columns = COLUMNS;
    const DESC: &str = "ORDER BY created_at DESC, local_id DESC";
    const ASC: &str = "ORDER BY created_at ASC, local_id ASC";
    let (seek, order, reversed) = match anchor {
        Anchor::Top => ("", DESC, false),
        Anchor::Bottom => ("", ASC, true),
        Anchor::From(_) => ("(created_at, local_id) <= (?2, ?3)", DESC, false),
        Anchor::After(_) => ("(created_at, local_id) < (?2, ?3)", DESC, false),
        Anchor::Before(_) => ("(created_at, local_id) > (?2, ?3)", ASC, true),
    };
    let pattern = pattern(filter);
    let mut conditions: Vec<&str> = Vec::new();
    if pattern.is_some() {
        conditions.push(r"search LIKE ?1 ESCAPE '\'");
    }
    if !seek.is_empty() {
        conditions.push(seek);
    }
    let condition = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let sql = format!("SELECT {columns} FROM submissions {condition} {order} LIMIT ?4");
    let mut stmt = conn.prepare_cached(&sql)?;
    let (at, id) = match anchor {
        Anchor::From(k) | Anchor::After(k) | Anchor::Before(k) => {
            (Some(k.created_at.as_str()), Some(k.local_id))
        }
        Anchor::Top | Anchor::Bottom => (None, None),
    };
    // Unused numbered parameters are simply unbound; SQLite allows gaps.
    let mut rows = stmt
        .query_map(params![pattern, at, id, to_sql_int(limit)], read_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if reversed {
        rows.reverse();
    }
    Ok(rows)
}

pub(crate) fn count(conn: &Connection, filter: &str) -> Result<usize> {
    let n: i64 = match pattern(filter) {
        None => conn
            .prepare_cached("SELECT count(*) FROM submissions")?
            .query_row([], |r| r.get(0))?,
        Some(pattern) => conn
            .prepare_cached(&format!("SELECT count(*) FROM submissions WHERE {MATCH}"))?
            .query_row([pattern], |r| r.get(0))?,
    };
    Ok(usize::try_from(n).unwrap_or(0))
}

fn read_row(row: &Row<'_>) -> rusqlite::Result<HistoryRow> {
    let severity: String = row.get(4)?;
    let status: Option<String> = row.get(7)?;
    Ok(HistoryRow {
        local_id: row.get(0)?,
        state: state_column(row, 1)?,
        server_id: row.get(2)?,
        title: row.get(3)?,
        // Rows of requests filed elsewhere may say `unknown` (the service did not say).
        severity: Severity::parse(&severity),
        topic_id: row.get(5)?,
        topic_name: row.get(6)?,
        status: status
            .map(|s| Status::parse(&s).ok_or_else(|| bad_text(7, "status", &s)))
            .transpose()?,
        created_at: row.get(8)?,
        updated: row.get(9)?,
        number: row.get(10)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_and_the_escape_character_are_escaped() {
        assert_eq!(escape_like(r"50%_a\b"), r"50\%\_a\\b");
        assert_eq!(pattern("  Ünïcode "), Some("%ünïcode%".to_string()));
        assert_eq!(pattern("   "), None);
    }
}
