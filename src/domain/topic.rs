//! An entry of a service's topic catalogue.

use serde::{Deserialize, Serialize};

/// A topic a ticket can be filed under. Partner Center's catalogue is flat; Azure's is a tree
/// of services, each with its problem classifications (`parent` names the service).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Topic {
    /// The id a create takes.
    pub id: String,
    /// The name (localized by the service).
    pub name: String,
    /// What it covers.
    pub description: Option<String>,
    /// The parent's id, for a leaf of a two-level tree.
    pub parent_id: Option<String>,
    /// The parent's name.
    pub parent_name: Option<String>,
}

impl Topic {
    /// "Parent / Name" for a leaf, the name otherwise: what a fuzzy search matches.
    pub fn path(&self) -> String {
        match self.parent_name.as_deref() {
            Some(parent) if !parent.is_empty() => format!("{parent} / {}", self.name),
            _ => self.name.clone(),
        }
    }
}
