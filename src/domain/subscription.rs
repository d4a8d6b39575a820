//! An Azure subscription as the app shows and picks it: where new tickets are filed and which
//! tickets the service's list holds.

/// A subscription the sign-in can see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// The GUID, lower case.
    pub id: String,
    /// Its display name (the id when the service gave none).
    pub name: String,
    /// `Enabled`, `Disabled`, `Warned`, ... as the service says it.
    pub state: Option<String>,
}
