//! The catalogue cache: per service, locale and level (a service's first level, or one
//! branch under its parent's id), each list with when it was fetched.

use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, clock};
use crate::domain::{Service, Topic};

/// Locales differ only in case between sources (`en-US`, `en-us`); one key for both.
fn key(locale: &str) -> String {
    locale.trim().to_lowercase()
}

pub(crate) fn replace(
    conn: &Connection,
    service: Service,
    locale: &str,
    parent: Option<&str>,
    topics: &[Topic],
) -> Result<()> {
    conn.execute(
        "INSERT INTO catalogue_cache (service, locale, parent, topics_json, fetched_at) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (service, locale, parent) DO UPDATE SET topics_json = excluded.topics_json, \
         fetched_at = excluded.fetched_at",
        params![
            service.as_str(),
            key(locale),
            parent.unwrap_or(""),
            serde_json::to_string(topics)?,
            clock::now()
        ],
    )?;
    Ok(())
}

pub(crate) fn cached(
    conn: &Connection,
    service: Service,
    locale: &str,
    parent: Option<&str>,
) -> Result<Option<(Vec<Topic>, String)>> {
    let row: Option<(String, String)> = conn
        .prepare_cached(
            "SELECT topics_json, fetched_at FROM catalogue_cache WHERE service = ?1 AND locale = ?2 AND parent = ?3",
        )?
        .query_row(
            params![service.as_str(), key(locale), parent.unwrap_or("")],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    let Some((json, fetched_at)) = row else {
        return Ok(None);
    };
    // A list this build cannot read (written in an older shape) is only a cache: fetch anew.
    Ok(serde_json::from_str::<Vec<Topic>>(&json).ok().map(|mut topics| {
        Topic::share_parents(&mut topics);
        (topics, fetched_at)
    }))
}
