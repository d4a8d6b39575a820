//! Dates in human output: one format everywhere, local time with its offset
//! (`2026-11-26 07:45 +01:00`). JSON output passes the server's value through untouched.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

use crate::text::one_line;

/// A server or store timestamp for people: local time with offset, "not set" for the API's
/// `0001-01-01T00:00:00`, and the raw text (one line) when it is not a date we can read.
pub fn human(raw: &str) -> String {
    let raw = raw.trim();
    if raw.is_empty() {
        return "-".into();
    }
    if raw.starts_with("0001-01-01") {
        return "not set".into();
    }
    match parse(raw) {
        Some(at) => format(at.to_offset(local_offset(at))),
        None => one_line(raw),
    }
}

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

/// RFC 3339, or the API's offset-less form, which is UTC.
fn parse(raw: &str) -> Option<OffsetDateTime> {
    if let Ok(at) = OffsetDateTime::parse(raw, &Rfc3339) {
        return Some(at);
    }
    let bare = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]");
    PrimitiveDateTime::parse(raw, &bare)
        .ok()
        .map(PrimitiveDateTime::assume_utc)
}

fn format(at: OffsetDateTime) -> String {
    let shape = format_description!(
        "[year]-[month]-[day] [hour]:[minute] [offset_hour sign:mandatory]:[offset_minute]"
    );
    at.format(&shape).unwrap_or_else(|_| at.to_string())
}

/// The local UTC offset at that instant (so summer and winter dates each get their own).
/// `time`'s own lookup refuses to run in a multi-threaded process on Unix; `localtime_r` is
/// thread-safe and honours `TZ`.
#[cfg(unix)]
fn local_offset(at: OffsetDateTime) -> UtcOffset {
    // `time_t` is 32 bits on some targets: out-of-range instants show in UTC.
    let Some(secs) = libc::time_t::try_from(at.unix_timestamp()).ok() else {
        return UtcOffset::UTC;
    };
    // SAFETY: `tm` is plain data that localtime_r fills in; both pointers are valid for the call.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let filled = unsafe { !libc::localtime_r(&secs, &mut tm).is_null() };
    if !filled {
        return UtcOffset::UTC;
    }
    i32::try_from(tm.tm_gmtoff)
        .ok()
        .and_then(|s| UtcOffset::from_whole_seconds(s).ok())
        .unwrap_or(UtcOffset::UTC)
}

/// Elsewhere: UTC, still shown with its offset so the reader knows.
#[cfg(not(unix))]
fn local_offset(_at: OffsetDateTime) -> UtcOffset {
    UtcOffset::UTC
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn unset_and_unreadable_dates() {
        assert_eq!(human("0001-01-01T00:00:00"), "not set");
        assert_eq!(human(""), "-");
        assert_eq!(human("yesterday\nish"), "yesterday ish");
    }

    #[test]
    fn every_shape_ends_in_one_format() {
        // Whatever TZ the test runs in, the three shapes of one instant print the same.
        let a = human("2026-11-26T06:45:00Z");
        let b = human("2026-11-26T06:45:00.123Z");
        let c = human("2026-11-26T06:45:00");
        let d = human("2026-11-26T07:45:00+01:00");
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_eq!(a, d);
        let shape = regex_like(&a);
        assert!(shape, "{a}");
    }

    /// `YYYY-MM-DD HH:MM +HH:MM`.
    fn regex_like(s: &str) -> bool {
        let b = s.as_bytes();
        b.len() == 23
            && b[4] == b'-'
            && b[10] == b' '
            && b[13] == b':'
            && b[16] == b' '
            && (b[17] == b'+' || b[17] == b'-')
            && b[20] == b':'
    }
}
