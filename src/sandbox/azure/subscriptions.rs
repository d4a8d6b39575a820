//! The two subscriptions the sandbox sign-in sees (`GET /subscriptions`), and the scope a
//! Microsoft.Support route addresses: the tenant, or one of them.

use std::collections::HashMap;

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::arm::{ArmError, printable};

/// A subscription with a paid support plan (Professional Direct): technical tickets are
/// accepted. The id is the one the Swagger examples use, so their requests work unchanged.
pub const PAID_SUBSCRIPTION: &str = "132d901f-189d-4381-9214-fe68e27e05a1";
/// A subscription with only Basic support: technical tickets are refused.
pub const FREE_SUBSCRIPTION: &str = "5a0c3b6e-2f1d-4a8e-9c47-1d2b3c4d5e6f";

/// The sandbox's own subscription `id` names, in any case.
fn known(id: &str) -> Option<&'static str> {
    [PAID_SUBSCRIPTION, FREE_SUBSCRIPTION]
        .into_iter()
        .find(|k| k.eq_ignore_ascii_case(id))
}

/// Whether `id` is one of the sandbox's own subscriptions, which no real service holds.
pub fn is_sandbox_subscription(id: &str) -> bool {
    known(id.trim()).is_some()
}

/// The sandbox tenant both belong to.
pub const TENANT: &str = "7f3d2c1b-0a9e-4d8c-b7a6-5e4f3d2c1b0a";

/// A paid plan: (id, type, display name) as tickets carry them.
pub struct SupportPlan {
    /// `supportPlanId`.
    pub id: &'static str,
    /// `supportPlanType`.
    pub kind: &'static str,
    /// `supportPlanDisplayName`.
    pub display: &'static str,
    /// Whether technical tickets are covered.
    pub technical: bool,
}

const PROFESSIONAL_DIRECT: SupportPlan = SupportPlan {
    id: "U291cmNlOlNhbmRib3gsUGxhbjpQcm9mZXNzaW9uYWxEaXJlY3Q=",
    kind: "Professional Direct",
    display: "Professional Direct",
    technical: true,
};

const BASIC: SupportPlan = SupportPlan {
    id: "U291cmNlOlNhbmRib3gsUGxhbjpCYXNpYw==",
    kind: "Basic",
    display: "Basic",
    technical: false,
};

/// Where a route's tickets live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketScope {
    /// The subscription, or `None` at tenant level.
    pub subscription: Option<String>,
}

impl TicketScope {
    /// The path prefix before `/providers/Microsoft.Support`.
    pub fn prefix(&self) -> String {
        self.subscription
            .as_ref()
            .map_or_else(String::new, |s| format!("/subscriptions/{s}"))
    }

    /// `{prefix}/providers/Microsoft.Support`.
    pub fn provider(&self) -> String {
        format!("{}/providers/Microsoft.Support", self.prefix())
    }

    /// The support plan that covers this scope (tenant level: none beyond Basic).
    pub fn plan(&self) -> &'static SupportPlan {
        match self.subscription.as_deref() {
            Some(s) if s.eq_ignore_ascii_case(PAID_SUBSCRIPTION) => &PROFESSIONAL_DIRECT,
            _ => &BASIC,
        }
    }

    /// The route's scope from its path captures; 404 for a subscription the sandbox lacks.
    pub fn from_params(params: &HashMap<String, String>) -> Result<TicketScope, ArmError> {
        let Some(sub) = params.get("sub") else {
            return Ok(TicketScope { subscription: None });
        };
        match known(sub) {
            Some(k) => Ok(TicketScope {
                subscription: Some(k.to_string()),
            }),
            None => Err(ArmError::new(
                StatusCode::NOT_FOUND,
                "SubscriptionNotFound",
                format!("The subscription '{}' could not be found.", printable(sub)),
            )),
        }
    }
}

/// The `GET /subscriptions` answer.
pub fn list() -> Value {
    let one = |id: &str, name: &str, quota: &str| {
        json!({
            "id": format!("/subscriptions/{id}"),
            "authorizationSource": "RoleBased",
            "managedByTenants": [],
            "subscriptionId": id,
            "tenantId": TENANT,
            "displayName": name,
            "state": "Enabled",
            "subscriptionPolicies": {
                "locationPlacementId": "Public_2014-09-01",
                "quotaId": quota,
                "spendingLimit": "Off"
            }
        })
    };
    json!({
        "value": [
            one(PAID_SUBSCRIPTION, "Sandbox Production (Professional Direct support)", "EnterpriseAgreement_2014-09-01"),
            one(FREE_SUBSCRIPTION, "Sandbox Dev/Test (Basic support)", "PayAsYouGo_2014-09-01"),
        ],
        "count": { "type": "Total", "value": 2 }
    })
}
