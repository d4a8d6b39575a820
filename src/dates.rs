//! Dates for people, the same on every screen and in every command: local time with its
//! offset (`2026-11-26 07:45 +01:00`), and how long until a deadline. JSON output passes the
//! service's value through untouched.

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

/// RFC 3339, or the API's offset-less form, which is UTC.
pub fn parse(raw: &str) -> Option<OffsetDateTime> {
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

/// The wall clock at one moment and the local offset then: what a screen words a deadline
/// against, captured once so drawing stays a function of state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WallClock {
    /// The moment.
    pub now: OffsetDateTime,
    /// The local offset from UTC at that moment.
    pub offset: UtcOffset,
    /// Each date gets the machine zone's offset at its own instant (a summer date its summer
    /// offset) rather than `offset`; off where a screen must draw the same anywhere (tests).
    pub zoned: bool,
}

impl WallClock {
    /// The clock now, in this machine's zone.
    pub fn now() -> WallClock {
        let now = OffsetDateTime::now_utc();
        WallClock {
            now,
            offset: local_offset(now),
            zoned: true,
        }
    }

    /// The offset `at` shows with.
    fn offset_at(&self, at: OffsetDateTime) -> UtcOffset {
        if self.zoned { local_offset(at) } else { self.offset }
    }

    /// A moment as sent by a service, in local time with its offset; the text as sent when it
    /// is not a date.
    pub fn local(&self, raw: &str) -> String {
        match parse(raw.trim()) {
            Some(at) => format(at.to_offset(self.offset_at(at))),
            None => one_line(raw),
        }
    }

    /// A deadline as sent by a service, for people: local time with its offset and how long
    /// until it ("2026-12-02 18:00 +01:00, in 7 h 58 min"); the text as sent when it is not a
    /// date.
    pub fn deadline(&self, raw: &str) -> String {
        match parse(raw.trim()) {
            Some(due) => format!(
                "{}, {}",
                format(due.to_offset(self.offset_at(due))),
                countdown(due, self.now)
            ),
            None => one_line(raw),
        }
    }
}

/// How long from `now` until `due`, in the two largest units people read at a glance
/// ("in 7 h 58 min", "in 3 d 4 h", "in 45 s"), or how long ago it passed ("12 min ago").
pub fn countdown(due: OffsetDateTime, now: OffsetDateTime) -> String {
    let left = due - now;
    let secs = left.whole_seconds().unsigned_abs();
    let (d, h, m, s) = (secs / 86_400, secs / 3_600 % 24, secs / 60 % 60, secs % 60);
    let span = match (d, h, m) {
        (0, 0, 0) => format!("{s} s"),
        (0, 0, _) => format!("{m} min"),
        (0, _, 0) => format!("{h} h"),
        (0, _, _) => format!("{h} h {m} min"),
        (_, 0, _) => format!("{d} d"),
        _ => format!("{d} d {h} h"),
    };
    if left.is_negative() {
        format!("{span} ago")
    } else {
        format!("in {span}")
    }
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
    fn a_countdown_reads_in_its_two_largest_units() {
        let now = time::macros::datetime!(2026-12-02 10:00 UTC);
        let in_ = |secs: i64| countdown(now + time::Duration::seconds(secs), now);
        assert_eq!(in_(45), "in 45 s");
        assert_eq!(in_(8 * 3600 - 120), "in 7 h 58 min");
        assert_eq!(in_(3600), "in 1 h");
        assert_eq!(in_(3 * 86_400 + 4 * 3600 + 59), "in 3 d 4 h");
        assert_eq!(in_(2 * 86_400 + 300), "in 2 d");
        assert_eq!(in_(-12 * 60), "12 min ago");
    }

    #[test]
    fn a_deadline_is_local_time_and_a_countdown() {
        let clock = WallClock {
            now: time::macros::datetime!(2026-12-02 10:02 UTC),
            offset: time::macros::offset!(+1),
            zoned: false,
        };
        assert_eq!(
            clock.deadline("2026-12-02T18:00:00Z"),
            "2026-12-02 19:00 +01:00, in 7 h 58 min"
        );
        assert_eq!(clock.deadline("soon"), "soon");
        assert_eq!(clock.local("2020-03-20T21:36:18Z"), "2020-03-20 22:36 +01:00");
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
