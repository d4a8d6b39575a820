//! `--since DATE` as Azure's `$filter` takes it. Dates for people are `crate::dates`.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

use crate::text::one_line;

pub use crate::dates::human;

/// `--since DATE`: a day (`2026-11-01`, midnight UTC) or an RFC 3339 moment, as the
/// `createdDate ge` term of Azure's `$filter` takes it (UTC, `Z`).
pub fn since_argument(raw: &str) -> Result<String, super::Exit> {
    let raw = raw.trim();
    let day = format_description!("[year]-[month]-[day]");
    let at = match time::Date::parse(raw, &day) {
        Ok(date) => Some(date.midnight().assume_utc()),
        Err(_) => OffsetDateTime::parse(raw, &Rfc3339).ok(),
    };
    let at = at.ok_or_else(|| {
        super::Exit::usage(format!(
            "--since '{}' is not a date: write a day like 2026-11-01, or a moment like 2026-11-01T09:30:00Z",
            one_line(raw)
        ))
    })?;
    at.to_offset(UtcOffset::UTC)
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .ok_or_else(|| super::Exit::usage(format!("--since '{}' is out of range", one_line(raw))))
}
