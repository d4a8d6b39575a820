//! The sandbox's fixed data, shipped inside the binary: its partner identity and support topics.

use serde::Deserialize;

use crate::api::{Contact, Organization, SupportTopic, wire};

const IDENTITY_JSON: &str = include_str!("../../assets/sandbox/identity.json");
const TOPICS_JSON: &str = include_str!("../../assets/sandbox/topics.json");

/// The partner the sandbox acts for: every request is filed by this organization and contact.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Identity {
    /// The partner organization.
    pub organization: Organization,
    /// The signed-in user, who becomes the primary contact and note author.
    pub primary_contact: Contact,
    /// ISO alpha-2 country of the organization.
    pub country_code: String,
}

/// Why the shipped data could not be read (a packaging bug, not a user error).
#[derive(Debug, thiserror::Error)]
#[error("the sandbox's built-in {what} are broken ({source}); please report this bug")]
pub struct AssetError {
    what: &'static str,
    source: wire::WireError,
}

/// The built-in partner identity.
pub fn identity() -> Result<Identity, AssetError> {
    wire::parse(IDENTITY_JSON.as_bytes()).map_err(|source| AssetError {
        what: "identity",
        source,
    })
}

/// The built-in support topics, in the order the service lists them.
pub fn topics() -> Result<Vec<SupportTopic>, AssetError> {
    wire::parse(TOPICS_JSON.as_bytes()).map_err(|source| AssetError {
        what: "support topics",
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_is_a_complete_partner() {
        let id = identity().unwrap();
        assert_eq!(id.organization.name.as_deref(), Some("Contoso Sandbox"));
        assert!(id.organization.id.is_some() && id.organization.phone_number.is_some());
        let c = &id.primary_contact;
        assert_eq!(c.organization.as_ref(), Some(&id.organization));
        assert!(c.contact_id.is_some() && c.email.is_some() && c.phone_number.is_some());
        assert!(!c.full_name().is_empty());
        assert_eq!(id.country_code, "US");
    }

    #[test]
    fn topics_hold_the_known_ids_and_fourteen_entries() {
        let topics = topics().unwrap();
        assert_eq!(topics.len(), 14);
        let name = |id: u64| topics.iter().find(|t| t.id == id).map(|t| t.name.as_str());
        assert_eq!(name(32444667), Some("Partner Center Issues"));
        assert_eq!(name(32444671), Some("Cannot manage my profile"));
        assert!(name(32569836).is_some());
        let mut ids: Vec<u64> = topics.iter().map(|t| t.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 14, "topic ids are unique");
        assert!(topics.iter().all(|t| t.description.is_some()));
    }
}
