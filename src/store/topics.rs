//! The support-topic cache, one list per locale.

use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, clock};
use crate::domain::Topic;

/// Locales differ only in case between sources (`en-US`, `en-us`); one key for both.
fn key(locale: &str) -> String {
    locale.trim().to_lowercase()
}

pub(crate) fn replace(conn: &Connection, locale: &str, topics: &[Topic]) -> Result<()> {
    conn.execute(
        "INSERT INTO topic_cache (locale, topics_json, fetched_at) VALUES (?1, ?2, ?3) \
         ON CONFLICT (locale) DO UPDATE SET topics_json = excluded.topics_json, fetched_at = excluded.fetched_at",
        params![key(locale), serde_json::to_string(topics)?, clock::now()],
    )?;
    Ok(())
}

pub(crate) fn cached(conn: &Connection, locale: &str) -> Result<Option<(Vec<Topic>, String)>> {
    let row: Option<(String, String)> = conn
        .query_row(
            "SELECT topics_json, fetched_at FROM topic_cache WHERE locale = ?1",
            [key(locale)],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    let Some((json, fetched_at)) = row else {
        return Ok(None);
    };
    // A list this build cannot read (written in an older shape) is only a cache: fetch anew.
    Ok(serde_json::from_str(&json)
        .ok()
        .map(|topics| (topics, fetched_at)))
}
