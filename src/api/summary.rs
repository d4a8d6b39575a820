//! One line of a request list: only what a list shows, so 10,000 requests from the service stay
//! cheap to hold and to filter on every key.

use super::ServiceRequest;
use crate::text;

/// A request as the Partner Center list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRow {
    /// The service's id.
    pub id: String,
    /// Status as the service sent it, lower case ("open", "closed", "attention needed", or an
    /// unknown word as is); empty when not set.
    pub status: String,
    /// Title, on one line.
    pub title: String,
    /// Severity label; empty when not set.
    pub severity: String,
    /// Topic name, or its id when the name is missing.
    pub topic: String,
    /// Created date (`YYYY-MM-DD`), empty when not sent.
    pub created: String,
    /// Lower-cased id, title, status and topic: what the `/` filter matches, built once.
    pub haystack: String,
    /// Changed on the server since the user last opened it (known from the local history).
    pub updated: bool,
}

impl RequestRow {
    /// The list line for a request.
    pub fn of(sr: &ServiceRequest) -> RequestRow {
        let id = text::one_line(sr.id.as_deref().unwrap_or(""));
        let status = sr.status_text().unwrap_or_default().to_lowercase();
        let title = text::one_line(sr.title.as_deref().unwrap_or(""));
        let topic = text::one_line(
            sr.support_topic_name
                .as_deref()
                .or(sr.support_topic_id.as_deref())
                .unwrap_or(""),
        );
        let created = sr
            .created_date
            .as_deref()
            .map(|d| d.get(..10).unwrap_or(d).to_string())
            .unwrap_or_default();
        let haystack = format!("{id}\u{1f}{title}\u{1f}{status}\u{1f}{topic}").to_lowercase();
        RequestRow {
            id,
            status,
            title,
            severity: sr.severity_text().unwrap_or_default(),
            topic,
            created,
            haystack,
            updated: false,
        }
    }

    /// Whether the row matches a filter already in lower case (empty matches everything).
    pub fn matches(&self, needle: &str) -> bool {
        needle.is_empty() || self.haystack.contains(needle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Status;

    #[test]
    fn a_row_keeps_what_the_list_shows_and_matches_case_insensitively() {
        let sr = ServiceRequest {
            id: Some("616122292874576".into()),
            title: Some("Billing\nquestion".into()),
            status: Some(Status::AttentionNeeded),
            support_topic_name: Some("Billing".into()),
            created_date: Some("2016-10-20T18:27:39.12Z".into()),
            ..ServiceRequest::default()
        };
        let row = RequestRow::of(&sr);
        assert_eq!(row.title, "Billing question");
        assert_eq!(row.status, "attention needed");
        assert_eq!(row.created, "2016-10-20");
        assert!(row.matches("attention"));
        assert!(row.matches("6161222"));
        assert!(row.matches(""));
        assert!(!row.matches("closed"));
    }
}
