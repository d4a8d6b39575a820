//! Timestamps in the form the service sends: UTC, milliseconds, `Z`.

use time::OffsetDateTime;
use time::macros::format_description;

/// `dt` as `2026-11-25T18:00:00.123Z`.
pub fn iso(dt: OffsetDateTime) -> String {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    // Formatting a UTC date with this fixed description cannot fail; the fallback keeps it total.
    dt.to_offset(time::UtcOffset::UTC)
        .format(&format)
        .unwrap_or_else(|_| dt.unix_timestamp().to_string())
}

/// The current time, formatted by [`iso`].
pub fn now() -> String {
    iso(OffsetDateTime::now_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc_with_milliseconds() {
        let dt = time::macros::datetime!(2026-11-25 18:00:00.123456 UTC);
        assert_eq!(iso(dt), "2026-11-25T18:00:00.123Z");
        let offset = time::macros::datetime!(2026-11-25 19:00:00 +01:00);
        assert_eq!(iso(offset), "2026-11-25T18:00:00.000Z");
    }
}
