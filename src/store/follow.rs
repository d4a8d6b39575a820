//! Following requests after they are filed: the last known server status, a fingerprint of
//! what a user would notice changing (status, notes, last modified), and whether it changed
//! since the user last opened the request (the `updated` mark the lists show).

use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};

use super::{DueRefresh, Result, StoreError, clock};
use crate::domain::{Service, Stamp, Ticket};

/// FNV-1a, 64 bits: stable across builds and platforms (std's hasher promises neither), and
/// plenty to tell two versions of one request apart.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

fn stamp(s: &Option<Stamp>) -> &str {
    match s {
        None => "",
        Some(Stamp::Unset) => "unset",
        Some(Stamp::At(at)) => at,
    }
}

/// What a user would notice changing, hashed: status, last modified date, every note.
pub(crate) fn fingerprint(t: &Ticket) -> String {
    let mut text = String::new();
    text.push_str(
        t.status
            .map(|s| s.as_str())
            .or(t.status_other.as_deref())
            .unwrap_or(""),
    );
    text.push('\u{1e}');
    text.push_str(stamp(&t.modified));
    for note in &t.notes {
        text.push('\u{1e}');
        text.push_str(note.author.as_deref().unwrap_or(""));
        text.push('\u{1f}');
        text.push_str(stamp(&note.created));
        text.push('\u{1f}');
        text.push_str(note.text.as_deref().unwrap_or(""));
    }
    format!("{:016x}", fnv1a(text.as_bytes()))
}

fn decode(json: &str) -> Result<Ticket> {
    Ok(serde_json::from_str(json)?)
}

/// What the row knew before a new copy is written: (fingerprint, seen fingerprint, copy).
type Before = (Option<String>, Option<String>, Option<String>);

/// Reads what a row knew before a new copy replaces it; call before writing the copy.
pub(crate) fn before(conn: &Connection, local_id: i64) -> Result<Before> {
    Ok(conn.query_row(
        "SELECT fingerprint, seen_fingerprint, server_json FROM submissions WHERE local_id = ?1",
        [local_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?)
}

/// Records the fingerprint of the copy `sr` just written over a row that held `before`.
/// Returns (updated since last opened, changed since the previous copy). A row whose user never
/// opened it since this bookkeeping began takes the previous copy as what they last saw.
pub(crate) fn track(conn: &Connection, local_id: i64, before: Before, sr: &Ticket) -> Result<(bool, bool)> {
    let (old_fp, seen, old_json) = before;
    let new_fp = fingerprint(sr);
    let previous = match old_fp {
        Some(fp) => Some(fp),
        None => old_json
            .as_deref()
            .map(decode)
            .transpose()?
            .map(|old| fingerprint(&old)),
    };
    let baseline = seen
        .or_else(|| previous.clone())
        .unwrap_or_else(|| new_fp.clone());
    let updated = baseline != new_fp;
    let changed = previous.is_some_and(|p| p != new_fp);
    conn.execute(
        "UPDATE submissions SET fingerprint = ?2, seen_fingerprint = ?3, updated = ?4, checked_at = ?5 \
         WHERE local_id = ?1",
        params![local_id, new_fp, baseline, updated, clock::now()],
    )?;
    Ok((updated, changed))
}

/// The user opened the request: what they see now is what later copies are compared with.
pub(crate) fn mark_seen(conn: &Connection, local_id: i64) -> Result<()> {
    let row: Option<(Option<String>, Option<String>)> = conn
        .query_row(
            "SELECT fingerprint, server_json FROM submissions WHERE local_id = ?1",
            [local_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((fp, json)) = row else {
        return Err(StoreError::NotFound(local_id));
    };
    let fp = match fp {
        Some(fp) => Some(fp),
        None => json
            .as_deref()
            .map(decode)
            .transpose()?
            .map(|sr| fingerprint(&sr)),
    };
    conn.execute(
        "UPDATE submissions SET fingerprint = ?2, seen_fingerprint = ?2, updated = 0 WHERE local_id = ?1",
        params![local_id, fp],
    )?;
    Ok(())
}

/// A re-read was tried (and failed, or found nothing new): the row goes to the back of the queue.
pub(crate) fn mark_checked(conn: &Connection, local_id: i64) -> Result<()> {
    if conn.execute(
        "UPDATE submissions SET checked_at = ?2 WHERE local_id = ?1",
        params![local_id, clock::now()],
    )? == 0
    {
        return Err(StoreError::NotFound(local_id));
    }
    Ok(())
}

/// The condition (shared with the index) for a request that may still change on the server.
const FOLLOWED: &str = "state = 'created' AND server_id IS NOT NULL AND coalesce(status, '') <> 'closed'";

/// Open requests sent to `base_url` not re-read for `min_age`, never-read and oldest-read first.
pub(crate) fn due(
    conn: &Connection,
    service: Service,
    cloud: &str,
    base_url: &str,
    min_age: Duration,
    limit: usize,
) -> Result<Vec<DueRefresh>> {
    let now = time::OffsetDateTime::now_utc();
    let cutoff = time::Duration::try_from(min_age)
        .ok()
        .and_then(|age| now.checked_sub(age))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let cutoff = clock::format_utc(cutoff);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT local_id, server_id, checked_at FROM submissions WHERE {FOLLOWED} \
         AND service = ?5 AND (base_url = ?1 OR (?4 = 'sandbox' AND cloud = 'sandbox')) \
         AND (checked_at IS NULL OR checked_at <= ?2) ORDER BY checked_at, local_id LIMIT ?3"
    ))?;
    let rows = stmt
        .query_map(
            params![
                base_url,
                cutoff,
                i64::try_from(limit).unwrap_or(i64::MAX),
                cloud,
                service.as_str()
            ],
            |r| {
                Ok(DueRefresh {
                    local_id: r.get(0)?,
                    server_id: r.get(1)?,
                    checked_at: r.get(2)?,
                })
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The service ids of requests carrying the `updated` mark (few: the user clears them by looking).
pub(crate) fn updated_ids(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT server_id FROM submissions WHERE updated = 1 AND server_id IS NOT NULL")?;
    let ids = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(ids)
}

/// How many requests carry the `updated` mark.
pub(crate) fn updated_count(conn: &Connection) -> Result<usize> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM submissions WHERE updated = 1")?
        .query_row([], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Note, Status};

    #[test]
    fn the_fingerprint_follows_status_notes_and_modified_date_only() {
        let sr = Ticket {
            status: Some(Status::Open),
            title: Some("A".into()),
            modified: Some(Stamp::At("T1".into())),
            ..Default::default()
        };
        let base = fingerprint(&sr);
        assert_eq!(base.len(), 16);
        let retitled = Ticket {
            title: Some("B".into()),
            ..sr.clone()
        };
        assert_eq!(fingerprint(&retitled), base, "a title is not news");
        let noted = Ticket {
            notes: vec![Note {
                text: Some("hi".into()),
                ..Default::default()
            }],
            ..sr.clone()
        };
        let closed = Ticket {
            status: Some(Status::Closed),
            ..sr.clone()
        };
        let touched = Ticket {
            modified: Some(Stamp::At("T2".into())),
            ..sr
        };
        for other in [noted, closed, touched] {
            assert_ne!(fingerprint(&other), base);
        }
    }
}
