//! A ticket as every screen and command sees it, whichever service holds it.

use serde::{Deserialize, Serialize};

use super::Service;

macro_rules! domain_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $wire:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $wire)] $variant,)+
        }

        impl $name {
            /// Every value.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The name on the command line and in the store.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire,)+ }
            }

            /// A human label for screens.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            /// Parses [`Self::as_str`]'s names in any case, `_`, `-` and spaces ignored.
            pub fn parse(text: &str) -> Option<Self> {
                let fold = |s: &str| -> String {
                    s.trim()
                        .chars()
                        .filter(|c| !matches!(c, '_' | '-' | ' '))
                        .flat_map(char::to_lowercase)
                        .collect()
                };
                let folded = fold(text);
                $name::ALL.iter().copied().find(|v| fold(v.as_str()) == folded)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::parse(s).ok_or_else(|| {
                    let names: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                    format!("'{s}' is not one of: {}", names.join(", "))
                })
            }
        }
    };
}

domain_enum! {
    /// How urgent a ticket is. Which ones a user may choose is the service's
    /// [`super::Capabilities::severities`].
    Severity {
        /// Azure's "A: highest critical impact" (24x7, named contact).
        HighestCriticalImpact => "highestcriticalimpact", "Highest critical impact";
        /// Critical.
        Critical => "critical", "Critical";
        /// Moderate.
        Moderate => "moderate", "Moderate";
        /// Minimal.
        Minimal => "minimal", "Minimal";
    }
}

impl Severity {
    /// Azure takes a ticket this urgent only when its contact has a phone number.
    pub fn needs_phone(self) -> bool {
        matches!(self, Severity::Critical | Severity::HighestCriticalImpact)
    }
}

domain_enum! {
    /// Where a ticket stands.
    Status {
        /// Filed but not yet given a status (Partner Center's create answer says `none`).
        NotSet => "none", "None";
        /// Open.
        Open => "open", "Open";
        /// Closed.
        Closed => "closed", "Closed";
        /// Support waits for the filer.
        AttentionNeeded => "attention_needed", "Attention needed";
        /// A change is being applied (Azure).
        Updating => "updating", "Updating";
    }
}

/// A date a service reports: the moment as sent (ISO 8601), or the service's word that it is
/// not set (Partner Center sends `0001-01-01T00:00:00` for an unset date).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stamp {
    /// The service says this date is not set.
    Unset,
    /// The moment, as the service sent it.
    At(String),
}

impl Stamp {
    /// The moment as sent, if set.
    pub fn at(&self) -> Option<&str> {
        match self {
            Stamp::Unset => None,
            Stamp::At(s) => Some(s),
        }
    }
}

/// The organization a ticket is filed for.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Organization {
    /// Its id (a GUID in practice).
    pub id: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// Phone number as the service keeps it.
    pub phone: Option<String>,
}

/// A person on a ticket: its contact, who changed it last, who wrote a note.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Person {
    /// The service's id of the contact.
    pub id: Option<String>,
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Their organization.
    pub organization: Option<Organization>,
}

impl Person {
    /// First and last name joined, whichever are present.
    pub fn full_name(&self) -> String {
        [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Who a note came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The service does not say (Partner Center notes).
    #[default]
    Unknown,
    /// From support to the filer.
    Inbound,
    /// From the filer to support.
    Outbound,
}

/// One message of a ticket's conversation.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Note {
    /// The service's name of the note, where it has one.
    pub id: Option<String>,
    /// Who wrote it, as the service names them.
    pub author: Option<String>,
    /// When it was written.
    pub created: Option<Stamp>,
    /// Its subject, where the service keeps one.
    pub subject: Option<String>,
    /// Its text.
    pub text: Option<String>,
    /// Who it came from.
    pub direction: Direction,
}

/// The topic a ticket is filed under: for a two-level tree, the leaf and its parent's name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TopicRef {
    /// The topic's id as the service takes it on create.
    pub id: Option<String>,
    /// The topic's name.
    pub name: Option<String>,
    /// The parent's id (Azure: the service), for two-level trees.
    pub parent_id: Option<String>,
    /// The parent's name.
    pub parent_name: Option<String>,
}

impl TopicRef {
    /// The topic for screens: "Parent / Name", the name, or its id when the name is missing.
    pub fn text(&self) -> Option<String> {
        let name = self.name.as_deref().or(self.id.as_deref())?;
        Some(match self.parent_name.as_deref() {
            Some(parent) if !parent.is_empty() => format!("{parent} / {name}"),
            _ => name.to_string(),
        })
    }
}

/// A ticket (a Partner Center service request, an Azure support ticket).
///
/// A status or severity this build does not know never fails a read: the field is `None` and
/// the word the service sent is kept in `status_other` / `severity_other`, for display.
///
/// Its serde form is the store's; `service` is required, so a service's wire resource read as
/// a ticket by mistake fails instead of coming out half empty.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ticket {
    /// The service that holds it.
    pub service: Service,
    /// Its id at the service: what `show` and every later call take.
    #[serde(default)]
    pub id: Option<String>,
    /// The number people quote on the phone, where it differs from `id` (Azure's
    /// `supportTicketId`).
    #[serde(default)]
    pub number: Option<String>,
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Severity.
    #[serde(default)]
    pub severity: Option<Severity>,
    /// The severity as sent, when this build does not know it.
    #[serde(default)]
    pub severity_other: Option<String>,
    /// Status.
    #[serde(default)]
    pub status: Option<Status>,
    /// The status as sent, when this build does not know it.
    #[serde(default)]
    pub status_other: Option<String>,
    /// The topic it was filed under.
    #[serde(default)]
    pub topic: TopicRef,
    /// The organization it is for.
    #[serde(default)]
    pub organization: Option<Organization>,
    /// Its primary contact.
    #[serde(default)]
    pub contact: Option<Person>,
    /// Who changed it last.
    #[serde(default)]
    pub last_updated_by: Option<Person>,
    /// The product it is about (Partner Center: comes with the topic).
    #[serde(default)]
    pub product: Option<String>,
    /// ISO country code, as the service keeps it.
    #[serde(default)]
    pub country: Option<String>,
    /// Created at (`None`: not reported).
    #[serde(default)]
    pub created: Option<Stamp>,
    /// Last changed at.
    #[serde(default)]
    pub modified: Option<Stamp>,
    /// Last closed at.
    #[serde(default)]
    pub closed: Option<Stamp>,
    /// The conversation, oldest first.
    #[serde(default)]
    pub notes: Vec<Note>,
    /// Names of the files attached.
    #[serde(default)]
    pub attachments: Vec<String>,
    /// When support's first answer is due under the support plan (Azure's SLA expiry).
    #[serde(default)]
    pub response_due: Option<Stamp>,
    /// The support plan it is filed under, by the name the service gives it.
    #[serde(default)]
    pub support_plan: Option<String>,
    /// The resource exactly as the service sent it (its own field names), for `--json`.
    #[serde(default)]
    pub as_sent: serde_json::Value,
}

impl Ticket {
    /// The status for screens: its label, or the word the service sent; `None` when absent.
    pub fn status_text(&self) -> Option<String> {
        match (&self.status, &self.status_other) {
            (Some(s), _) => Some(s.label().to_string()),
            (None, Some(raw)) => Some(crate::text::one_line(raw)),
            (None, None) => None,
        }
    }

    /// The severity for screens, as [`Ticket::status_text`].
    pub fn severity_text(&self) -> Option<String> {
        match (&self.severity, &self.severity_other) {
            (Some(s), _) => Some(s.label().to_string()),
            (None, Some(raw)) => Some(crate::text::one_line(raw)),
            (None, None) => None,
        }
    }

    /// What a follower compares to tell that a ticket changed for its filer: the status and the
    /// conversation (not the server's own modified date, which moves on every read of some
    /// services).
    pub fn follow_marks(&self) -> (Option<String>, usize, Option<String>) {
        (
            self.status_text(),
            self.notes.len(),
            self.notes.last().and_then(|n| n.text.clone()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_parse_their_names_in_any_spelling_and_refuse_others() {
        assert_eq!(Severity::parse("Critical"), Some(Severity::Critical));
        assert_eq!(
            Severity::parse("highest_critical_impact"),
            Some(Severity::HighestCriticalImpact)
        );
        assert_eq!(Status::parse("Attention needed"), Some(Status::AttentionNeeded));
        assert_eq!(Status::parse("resolved"), None);
        let err = "urgent".parse::<Severity>().unwrap_err();
        assert!(err.contains("critical, moderate, minimal"), "{err}");
    }

    #[test]
    fn a_wire_resource_is_not_taken_for_a_ticket() {
        let wire = r#"{"id": "616122292874576", "title": "TrialSR", "status": "none"}"#;
        assert!(serde_json::from_str::<Ticket>(wire).is_err());
    }

    #[test]
    fn a_ticket_survives_the_store_round_trip() {
        let t = Ticket {
            service: Service::Azure,
            id: Some("pcsr-1".into()),
            number: Some("2401010010000001".into()),
            severity: Some(Severity::HighestCriticalImpact),
            status_other: Some("Escalated".into()),
            topic: TopicRef {
                id: Some("pc".into()),
                name: Some("Cannot connect".into()),
                parent_id: Some("vm".into()),
                parent_name: Some("Virtual Machine running Windows".into()),
            },
            notes: vec![Note {
                text: Some("hi".into()),
                direction: Direction::Inbound,
                ..Note::default()
            }],
            as_sent: serde_json::json!({"name": "pcsr-1"}),
            ..Ticket::default()
        };
        let back: Ticket = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
        assert_eq!(back, t);
        assert_eq!(back.status_text().as_deref(), Some("Escalated"));
        assert_eq!(
            back.topic.text().as_deref(),
            Some("Virtual Machine running Windows / Cannot connect")
        );
    }
}
