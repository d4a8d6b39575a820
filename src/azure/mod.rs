//! The Azure `Microsoft.Support` client: the sibling of [`crate::api`] for Azure support
//! tickets. `wire` is the service's JSON as the Swagger (api-version 2024-04-01) spells it;
//! `mapping` turns it into the one domain model and back.

pub mod error;
pub mod mapping;
pub mod wire;
