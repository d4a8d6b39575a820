//! The Azure side of the sandbox: `Microsoft.Support` (api-version 2024-04-01) as its Swagger
//! describes it, and `GET /subscriptions` (2022-12-01), served on the same port as Partner
//! Center (merged into [`crate::sandbox::router`]).
//!
//! Layout: [`routes`] wires the handlers; [`arm`] holds what every ARM answer shares (error
//! body, request ids, api-version, bearer check, faults); [`catalogue`] the services and problem
//! classifications; [`tickets`], [`communications`], [`files`] the resources; [`operations`]
//! the long-running operations behind `202 Accepted`; [`validate`] reads bodies and `$filter`;
//! [`subscriptions`] the two sandbox subscriptions and their support plans; [`agent`] the support
//! engineer who answers new tickets; [`store`] keeps it all in the sandbox's SQLite file.
//!
//! Support plans: technical tickets need a paid plan, so they are accepted on
//! [`PAID_SUBSCRIPTION`] and refused on [`FREE_SUBSCRIPTION`] and at tenant level (the Swagger
//! offers tenant-level creates for billing and subscription management issues only); billing,
//! subscription management and quota tickets are always accepted. The refusal comes as a
//! `Failed` long-running operation after the `202`, not as an immediate 400: the body is valid,
//! the entitlement is what the service checks while creating, and a client has to handle that
//! failure (az support's bare "Long running operation failed" shows it is how users meet it).

pub mod agent;
pub mod arm;
pub mod catalogue;
pub mod communications;
pub mod control;
pub mod files;
pub mod operations;
pub mod routes;
pub mod store;
pub mod subscriptions;
pub mod tickets;
pub mod validate;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

pub use catalogue::{
    BILLING_SERVICE, QUOTA_CORES_CLASSIFICATION, QUOTA_SERVICE, SUBSCRIPTION_MANAGEMENT_SERVICE,
    VM_LINUX_SERVICE, VM_WINDOWS_SERVICE,
};
pub use subscriptions::{FREE_SUBSCRIPTION, PAID_SUBSCRIPTION, is_sandbox_subscription};

/// The Microsoft.Support api-version every route but `/subscriptions` serves.
pub const API_VERSION: &str = "2024-04-01";
/// The api-version of `GET /subscriptions`.
pub const SUBSCRIPTIONS_API_VERSION: &str = "2022-12-01";

/// Billing: "Refund request" (full id; free of charge).
pub const BILLING_CLASSIFICATION_ID: &str = "/providers/Microsoft.Support/services/517f2da6-78fd-0498-4e22-ad26996b1dfc/problemClassifications/909c7020-31aa-575f-ad84-db750adf11cc";
/// Virtual Machine running Linux: "Connectivity / Cannot connect to virtual machine by using
/// RDP or SSH" (full id; technical: needs a paid plan).
pub const VM_CONNECTIVITY_CLASSIFICATION_ID: &str = "/providers/Microsoft.Support/services/cddd3eb5-1830-b494-44fd-782f691479dc/problemClassifications/dfd85090-76e5-5ddd-ad03-50d385db065f";
/// Quotas: "Compute-VM (cores-vCPUs) subscription limit increases" (full id).
pub const QUOTA_CORES_CLASSIFICATION_ID: &str = "/providers/Microsoft.Support/services/06bfd9d3-516b-d5c6-5802-169c800dec89/problemClassifications/e12e3d1d-7fa0-af33-c6d0-3c50df9658a3";

/// Environment variable: how many polls a new operation answers `InProgress` before it ends
/// (default 1; 0 ends it at the first poll).
pub const OPERATION_POLLS_ENV: &str = "PCSR_SANDBOX_AZURE_POLLS";

/// Polls answered `InProgress` by default: one, so clients meet a running operation.
const DEFAULT_POLLS: u32 = 1;

/// The Azure side's own settings and catalogue, shared by its routes.
pub struct AzureState {
    catalogue: RwLock<catalogue::Catalogue>,
    polls: AtomicU32,
}

impl Default for AzureState {
    fn default() -> Self {
        let polls = std::env::var(OPERATION_POLLS_ENV)
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(DEFAULT_POLLS);
        AzureState {
            catalogue: RwLock::new(catalogue::Catalogue::builtin()),
            polls: AtomicU32::new(polls),
        }
    }
}

impl AzureState {
    /// The catalogue, to read.
    pub fn catalogue(&self) -> RwLockReadGuard<'_, catalogue::Catalogue> {
        // Writers only append whole services: a panic cannot leave it half changed.
        self.catalogue.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The catalogue, to grow (benches).
    pub fn catalogue_mut(&self) -> RwLockWriteGuard<'_, catalogue::Catalogue> {
        self.catalogue.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// Polls a new operation answers `InProgress` before it ends.
    pub fn polls(&self) -> u32 {
        self.polls.load(Ordering::Relaxed)
    }

    /// Sets [`AzureState::polls`] for operations started from now on.
    pub fn set_polls(&self, polls: u32) {
        self.polls.store(polls, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_ids_are_in_the_catalogue() {
        let c = catalogue::Catalogue::builtin();
        for (id, display) in [
            (BILLING_CLASSIFICATION_ID, "Refund request"),
            (
                VM_CONNECTIVITY_CLASSIFICATION_ID,
                "Connectivity / Cannot connect to virtual machine by using RDP or SSH",
            ),
            (
                QUOTA_CORES_CLASSIFICATION_ID,
                "Compute-VM (cores-vCPUs) subscription limit increases",
            ),
        ] {
            let rest = id.strip_prefix("/providers/Microsoft.Support/services/").unwrap();
            let (service, pc) = rest.split_once("/problemClassifications/").unwrap();
            let (_, found) = c.classification(service, pc).unwrap();
            assert_eq!(found.display, display);
        }
    }
}
