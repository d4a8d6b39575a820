//! One line of a ticket list: only what a list shows, so 10,000 tickets from a service stay
//! cheap to hold and to filter on every key.

use super::Ticket;
use crate::text;

/// A ticket as a server list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketRow {
    /// The service's id.
    pub id: String,
    /// The number people quote, where the service has one apart from its id (Azure's
    /// supportTicketId); empty otherwise.
    pub number: String,
    /// Status as a lower-case word ("open", "closed", "attention needed", or an unknown word as
    /// sent); empty when not set.
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

impl TicketRow {
    /// The list line for a ticket.
    pub fn of(t: &Ticket) -> TicketRow {
        let id = text::one_line(t.id.as_deref().unwrap_or(""));
        let status = t.status_text().unwrap_or_default().to_lowercase();
        let title = text::one_line(t.title.as_deref().unwrap_or(""));
        let topic = text::one_line(t.topic.name.as_deref().or(t.topic.id.as_deref()).unwrap_or(""));
        let created = t
            .created
            .as_ref()
            .and_then(|s| s.at())
            .map(|d| d.get(..10).unwrap_or(d).to_string())
            .unwrap_or_default();
        let number = text::one_line(t.number.as_deref().unwrap_or(""));
        let haystack = format!("{id}\u{1f}{number}\u{1f}{title}\u{1f}{status}\u{1f}{topic}").to_lowercase();
        TicketRow {
            id,
            number,
            status,
            title,
            severity: t.severity_text().unwrap_or_default(),
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
    use crate::domain::{Stamp, Status, TopicRef};

    #[test]
    fn a_row_keeps_what_the_list_shows_and_matches_case_insensitively() {
        let t = Ticket {
            id: Some("616122292874576".into()),
            title: Some("Billing\nquestion".into()),
            status: Some(Status::AttentionNeeded),
            topic: TopicRef {
                name: Some("Billing".into()),
                ..TopicRef::default()
            },
            created: Some(Stamp::At("2016-10-20T18:27:39.12Z".into())),
            ..Ticket::default()
        };
        let row = TicketRow::of(&t);
        assert_eq!(row.title, "Billing question");
        assert_eq!(row.status, "attention needed");
        assert_eq!(row.created, "2016-10-20");
        assert!(row.matches("attention"));
        assert!(row.matches("6161222"));
        assert!(row.matches(""));
        assert!(!row.matches("closed"));
    }
}
