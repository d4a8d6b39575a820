//! The sandbox's fixed data, shipped inside the binary: its partner identity, support topics
//! (each with the product requests filed under it carry) and the customer requests it starts with.

use serde::Deserialize;

use crate::api::{
    ServiceRequestContact, ServiceRequestNote, ServiceRequestOrganization, Severity, Status, SupportTopic,
    wire,
};

const IDENTITY_JSON: &str = include_str!("../../assets/sandbox/identity.json");
const TOPICS_JSON: &str = include_str!("../../assets/sandbox/topics.json");
const CUSTOMERS_JSON: &str = include_str!("../../assets/sandbox/customers.json");

/// The partner the sandbox acts for: every request is filed by this organization and contact.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Identity {
    /// The partner organization.
    pub organization: ServiceRequestOrganization,
    /// The signed-in user, who becomes the primary contact and note author.
    pub primary_contact: ServiceRequestContact,
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

/// The product a topic belongs to; requests filed under the topic carry it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Product {
    /// The topic's id.
    pub id: u64,
    /// `productId` (a string on the wire, e.g. `"15960"`).
    pub product_id: String,
    /// `productName`.
    pub product_name: String,
}

/// The product of every built-in topic, in the topics' order.
pub fn products() -> Result<Vec<Product>, AssetError> {
    wire::parse(TOPICS_JSON.as_bytes()).map_err(|source| AssetError {
        what: "support topic products",
        source,
    })
}

/// Requests of one customer tenant that a fresh sandbox holds, so the customer routes have
/// something to show.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CustomerSeed {
    /// The customer's tenant id (a GUID).
    pub tenant: String,
    /// Its requests, oldest first.
    pub requests: Vec<SeedRequest>,
}

/// One seeded customer request.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SeedRequest {
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Severity.
    pub severity: Severity,
    /// Topic id (string, as requests carry it).
    pub support_topic_id: String,
    /// Where it stands.
    pub status: Status,
    /// Notes already on it (dated when seeded).
    #[serde(default)]
    pub notes: Vec<ServiceRequestNote>,
}

/// The built-in customer requests.
pub fn customers() -> Result<Vec<CustomerSeed>, AssetError> {
    wire::parse(CUSTOMERS_JSON.as_bytes()).map_err(|source| AssetError {
        what: "customer requests",
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

    #[test]
    fn every_topic_has_a_product_and_two_customers_are_seeded() {
        let topics = topics().unwrap();
        let products = products().unwrap();
        assert_eq!(
            products.iter().map(|p| p.id).collect::<Vec<_>>(),
            topics.iter().map(|t| t.id).collect::<Vec<_>>()
        );
        assert!(
            products
                .iter()
                .all(|p| !p.product_name.is_empty() && p.product_id.chars().all(|c| c.is_ascii_digit()))
        );
        let customers = customers().unwrap();
        assert!(customers.len() >= 2);
        for c in &customers {
            assert!(uuid::Uuid::parse_str(&c.tenant).is_ok(), "{}", c.tenant);
            assert!(!c.requests.is_empty());
            for r in &c.requests {
                assert!(topics.iter().any(|t| t.id.to_string() == r.support_topic_id));
            }
        }
    }
}
