//! What a user fills in to file a ticket, and every check a service would refuse it for.

use serde::{Deserialize, Serialize};

use super::{Capabilities, Contact, Severity};

/// Longest title accepted.
pub const TITLE_MAX_CHARS: usize = 255;

/// Largest description accepted, in bytes of UTF-8 (256 KiB): the services echo the description
/// back in every read, so a larger one would make every answer large.
pub const DESCRIPTION_MAX_BYTES: usize = 256 * 1024;

/// A new ticket: the fields every service requires.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NewTicket {
    /// Title (one line, 1..=`title_max_chars` characters).
    pub title: String,
    /// Description (not blank).
    pub description: String,
    /// Severity, one of the service's (`None` until one is chosen).
    pub severity: Option<Severity>,
    /// The topic's id as the service takes it on create. (Stored rows from before the domain
    /// model call it `support_topic_id`.)
    #[serde(alias = "support_topic_id")]
    pub topic_id: String,
    /// The filer's contact profile, for services whose capabilities ask for one. (Boxed: it
    /// is large, and a new ticket rides in every submit job and effect.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Box<Contact>>,
    /// Whether support may collect diagnostics from the resources concerned (Azure's
    /// advancedDiagnosticConsent); `None` where the service does not ask.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnostic_consent: Option<bool>,
    /// The resource the ticket is about (an ARM resource id), where the service takes one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
    /// The ticket's name, for services whose client names it (`--name`); `None` lets the
    /// outbox derive one from the key it records before the first send.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A field of the form, for pointing at what is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The title.
    Title,
    /// The description.
    Description,
    /// The severity.
    Severity,
    /// The topic.
    Topic,
}

/// One problem with a field of a new ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field.
    pub field: Field,
    /// What is wrong, in words a user can act on.
    pub message: String,
}

/// A byte count in words: `300 KiB`, `1.5 MiB`, `12 bytes`.
pub fn human_bytes(n: usize) -> String {
    const KIB: f64 = 1024.0;
    let f = n as f64;
    if f >= KIB * KIB {
        format!("{:.1} MiB", f / (KIB * KIB))
    } else if n >= 1024 {
        format!("{:.1} KiB", f / KIB)
    } else {
        format!("{n} bytes")
    }
}

/// "a, b or c" of the severities' names.
fn one_of(severities: &[Severity]) -> String {
    let names: Vec<&str> = severities.iter().map(|s| s.as_str()).collect();
    match names.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

impl NewTicket {
    /// Whether the two hold the same typed and picked fields (what a form holds); what a submit
    /// adds on its way (the contact profile, the consent, the name) is not compared.
    pub fn same_fields(&self, other: &NewTicket) -> bool {
        self.title == other.title
            && self.description == other.description
            && self.severity == other.severity
            && self.topic_id == other.topic_id
    }

    /// What an Azure create needs beyond the form: the filer's contact profile and whether
    /// support may collect advanced diagnostic information. The CLI and the TUI both complete a
    /// ticket here, so the two send the same thing.
    pub fn complete_for_azure(&mut self, contact: Contact, diagnostic_consent: bool) {
        self.contact = Some(Box::new(contact));
        self.diagnostic_consent = Some(diagnostic_consent);
    }

    /// Every problem the service would refuse, so a form can show them all at once.
    pub fn validate(&self, caps: &Capabilities) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut push = |field, message: String| errors.push(FieldError { field, message });
        let title_chars = self.title.chars().count();
        if self.title.trim().is_empty() {
            push(Field::Title, "title is required".into());
        } else if title_chars > caps.title_max_chars {
            push(
                Field::Title,
                format!(
                    "title is {title_chars} characters; the limit is {}",
                    caps.title_max_chars
                ),
            );
        } else if self.title.contains(['\n', '\r']) {
            push(Field::Title, "title must be a single line".into());
        }
        if self.description.len() > DESCRIPTION_MAX_BYTES {
            push(
                Field::Description,
                format!(
                    "description is {} ({} bytes); the limit is {} ({DESCRIPTION_MAX_BYTES} bytes): shorten it, \
                     or put long logs somewhere the support engineer can reach and link them",
                    human_bytes(self.description.len()),
                    self.description.len(),
                    human_bytes(DESCRIPTION_MAX_BYTES)
                ),
            );
        } else if self.description.trim().is_empty() {
            push(Field::Description, "description is required".into());
        }
        if !self.severity.is_some_and(|s| caps.severities.contains(&s)) {
            push(
                Field::Severity,
                format!("choose a severity: {}", one_of(caps.severities)),
            );
        }
        let topic = self.topic_id.trim();
        if topic.is_empty() {
            push(Field::Topic, "choose a support topic".into());
        } else if caps.numeric_topic_ids && !topic.chars().all(|c| c.is_ascii_digit()) {
            push(
                Field::Topic,
                format!("support topic id '{topic}' must be numeric"),
            );
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Service;

    fn ticket(severity: Severity, topic: &str) -> NewTicket {
        NewTicket {
            title: "TrialSR".into(),
            description: "Ignore this SR".into(),
            severity: Some(severity),
            topic_id: topic.into(),
            ..Default::default()
        }
    }

    #[test]
    fn each_service_refuses_what_it_would_refuse() {
        let pc = Service::PartnerCenter.capabilities();
        let azure = Service::Azure.capabilities();
        assert!(ticket(Severity::Critical, "32444671").validate(&pc).is_empty());
        let highest = ticket(Severity::HighestCriticalImpact, "32444671").validate(&pc);
        assert_eq!(highest.len(), 1);
        assert_eq!(highest[0].field, Field::Severity);
        assert!(highest[0].message.contains("critical, moderate or minimal"));
        let arm = "/providers/Microsoft.Support/services/svc/problemClassifications/pc";
        assert_eq!(
            ticket(Severity::Critical, arm).validate(&pc)[0].field,
            Field::Topic
        );
        assert!(
            ticket(Severity::HighestCriticalImpact, arm)
                .validate(&azure)
                .is_empty()
        );
    }

    #[test]
    fn rows_recorded_before_the_domain_model_still_read() {
        let old = r#"{"title":"T","description":"D","severity":"critical","support_topic_id":"32444671"}"#;
        let t: NewTicket = serde_json::from_str(old).unwrap();
        assert_eq!(t.topic_id, "32444671");
        assert_eq!(t.severity, Some(Severity::Critical));
    }
}
