//! The services pcsr-tui speaks, and what each can do.

use serde::{Deserialize, Serialize};

use super::Severity;

/// A support service with its own API, sign-in resource and wire client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Service {
    /// Partner Center service requests.
    #[default]
    PartnerCenter,
    /// Azure support tickets (`Microsoft.Support`).
    Azure,
}

/// What a service offers, as data: screens and commands read this instead of asking which
/// service is in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// The severities a user may choose when filing, mildest last as the form lists them.
    pub severities: &'static [Severity],
    /// Levels of the topic tree: 1 for a flat list, 2 for service / classification.
    pub topic_levels: u8,
    /// Every create carries the filer's contact profile.
    pub contact_profile: bool,
    /// Files can be attached to a ticket.
    pub attachments: bool,
    /// Tickets are filed under a subscription, or at tenant level without one.
    pub subscriptions: bool,
    /// A create may answer "accepted" and finish later (polled to the end).
    pub long_running_create: bool,
    /// The client chooses the ticket's name (its resource id) before the first send.
    pub client_named: bool,
    /// A note carries a subject beside its text.
    pub note_subject: bool,
    /// The service can tell the tickets it holds apart from the ones filed here (a server list).
    pub server_list: bool,
    /// Longest title accepted.
    pub title_max_chars: usize,
    /// Topic ids are digits only (Partner Center); otherwise they are opaque (ARM ids).
    pub numeric_topic_ids: bool,
    /// A filed ticket's severity can be changed (to one of [`Capabilities::severities`]).
    pub can_change_severity: bool,
}

impl Service {
    /// Every service, in the order screens list them.
    pub const ALL: [Service; 2] = [Service::PartnerCenter, Service::Azure];

    /// The name used on the command line, in config.toml and in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Service::PartnerCenter => "partner-center",
            Service::Azure => "azure",
        }
    }

    /// The name people know it by.
    pub fn label(self) -> &'static str {
        match self {
            Service::PartnerCenter => "Partner Center",
            Service::Azure => "Azure",
        }
    }

    /// Parses [`Service::as_str`]'s names.
    pub fn parse(text: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|s| s.as_str() == text.trim())
    }

    /// What the service can do.
    pub fn capabilities(self) -> Capabilities {
        match self {
            Service::PartnerCenter => Capabilities {
                severities: &[Severity::Critical, Severity::Moderate, Severity::Minimal],
                topic_levels: 1,
                contact_profile: false,
                subscriptions: false,
                attachments: false,
                long_running_create: false,
                client_named: false,
                note_subject: false,
                server_list: true,
                title_max_chars: super::TITLE_MAX_CHARS,
                numeric_topic_ids: true,
                // Its update takes status and notes only.
                can_change_severity: false,
            },
            Service::Azure => Capabilities {
                severities: &[
                    Severity::HighestCriticalImpact,
                    Severity::Critical,
                    Severity::Moderate,
                    Severity::Minimal,
                ],
                topic_levels: 2,
                contact_profile: true,
                subscriptions: true,
                attachments: true,
                long_running_create: true,
                client_named: true,
                note_subject: true,
                server_list: true,
                // The Swagger gives no limit on `title`; the portal stops at 255 as well.
                title_max_chars: super::TITLE_MAX_CHARS,
                numeric_topic_ids: false,
                // PATCH `{"severity": ...}`, refused while an engineer works the ticket.
                can_change_severity: true,
            },
        }
    }
}

impl std::fmt::Display for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_each_service_offers_its_own_severities() {
        for s in Service::ALL {
            assert_eq!(Service::parse(s.as_str()), Some(s));
        }
        assert_eq!(Service::parse("azure-devops"), None);
        let pc = Service::PartnerCenter.capabilities();
        assert!(!pc.severities.contains(&Severity::HighestCriticalImpact));
        let azure = Service::Azure.capabilities();
        assert!(azure.severities.contains(&Severity::HighestCriticalImpact));
        assert_eq!((pc.topic_levels, azure.topic_levels), (1, 2));
        assert!(!pc.can_change_severity && azure.can_change_severity);
    }
}
