//! The Azure `Microsoft.Support` client: the sibling of [`crate::api`] for Azure support
//! tickets. `wire` is the service's JSON as the Swagger (api-version 2024-04-01) spells it;
//! `mapping` turns it into the one domain model and back; `client` speaks it over HTTP.

pub mod client;
pub mod error;
pub mod mapping;
pub mod wire;

/// A Swagger example from tests/fixtures/azure (exact copies; see the README there).
#[cfg(test)]
pub(crate) fn example(name: &str) -> serde_json::Value {
    let path = format!("{}/tests/fixtures/azure/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

pub use client::{AzureClient, AzureConfig, CHUNK_SIZE, CreateExtras, NameCheck, TicketFilter};
pub use error::AzureError;
