//! The one place timestamps for the database are made.

use time::{OffsetDateTime, UtcOffset};

/// Now, as stored: RFC 3339 in UTC.
pub(crate) fn now() -> String {
    format_utc(OffsetDateTime::now_utc())
}

/// RFC 3339 in UTC with a fixed six-digit fraction, so text order is time order and the
/// history index can sort on the string. (`time`'s Rfc3339 drops trailing zeros, which would
/// break that.) Infallible, unlike `OffsetDateTime::format`.
pub(crate) fn format_utc(at: OffsetDateTime) -> String {
    let at = at.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.microsecond()
    )
}

#[cfg(test)]
mod tests {
    use time::format_description::well_known::Rfc3339;
    use time::macros::datetime;

    use super::*;

    #[test]
    fn stamps_parse_as_rfc3339_and_sort_as_text() {
        let whole = format_utc(datetime!(2024-03-05 07:08:09 +02:00));
        let later = format_utc(datetime!(2024-03-05 05:08:09.5 UTC));
        assert_eq!(whole, "2024-03-05T05:08:09.000000Z");
        assert_eq!(later, "2024-03-05T05:08:09.500000Z");
        assert!(whole < later);
        assert!(OffsetDateTime::parse(&now(), &Rfc3339).is_ok());
    }
}
