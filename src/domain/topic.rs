//! An entry of a service's topic catalogue.

use std::sync::Arc;

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
    /// The parent's id, for a leaf of a two-level tree (shared by its siblings: see
    /// [`Topic::share_parents`]).
    pub parent_id: Option<Arc<str>>,
    /// The parent's name.
    pub parent_name: Option<Arc<str>>,
}

impl Topic {
    /// "Parent / Name" for a leaf, the name otherwise: what a fuzzy search matches.
    pub fn path(&self) -> String {
        match self.parent_name.as_deref() {
            Some(parent) if !parent.is_empty() => format!("{parent} / {}", self.name),
            _ => self.name.clone(),
        }
    }

    /// Makes leaves of the same parent hold one copy of its id and name: Azure's catalogue
    /// repeats its service's id (80 bytes) and name in each of 10,000 classifications, 1.3 MB
    /// held for the whole run otherwise. Siblings come together, so the last parent seen is
    /// the one to share.
    pub fn share_parents(topics: &mut [Topic]) {
        let mut last: (Option<Arc<str>>, Option<Arc<str>>) = (None, None);
        for t in topics {
            for (mine, shared) in [(&mut t.parent_id, &mut last.0), (&mut t.parent_name, &mut last.1)] {
                match (mine.as_ref(), shared.as_ref()) {
                    (Some(m), Some(s)) if m == s => *mine = Some(Arc::clone(s)),
                    _ => shared.clone_from(mine),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siblings_share_their_parents_id_and_name() {
        let leaf = |parent: &str, name: &str| Topic {
            id: format!("{parent}/{name}"),
            name: name.into(),
            parent_id: Some(parent.into()),
            parent_name: Some(format!("{parent} name").into()),
            ..Topic::default()
        };
        let mut topics = vec![
            leaf("vm", "a"),
            leaf("vm", "b"),
            leaf("dns", "c"),
            leaf("vm", "d"),
        ];
        let before = topics.clone();
        Topic::share_parents(&mut topics);
        assert_eq!(topics, before, "nothing a reader sees changes");
        let id = |i: usize| topics[i].parent_id.clone().unwrap_or_else(|| "".into());
        assert!(Arc::ptr_eq(&id(0), &id(1)));
        assert!(!Arc::ptr_eq(&id(1), &id(2)));
        assert!(!Arc::ptr_eq(&id(1), &id(3)), "only siblings that come together");
    }
}
