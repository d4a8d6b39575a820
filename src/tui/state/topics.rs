//! The topic picker: the loaded list, its fuzzy filter and the highlighted match.

use crate::domain::Topic;
use crate::tui::fuzzy::FuzzyList;
use crate::tui::textbox::LineBox;

/// Where loading the topic list stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum TopicsLoad {
    /// Nothing yet; the worker is asked.
    #[default]
    Loading,
    /// The list shown is from the cache; a fresh one is on its way.
    Refreshing,
    /// The list is current.
    Ready,
    /// Loading failed; the message says why (a cached list may still be shown).
    Failed(String),
}

/// The topic list and its filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Topics {
    /// Every topic, as the service sent them.
    pub all: Vec<Topic>,
    /// Loading state.
    pub load: TopicsLoad,
    /// The fuzzy filter as typed (an editable box).
    pub filter: LineBox,
    /// The topics (indexes into `all`) that match the filter, and the highlighted one.
    pub list: FuzzyList,
    /// A two-level catalogue's first level (Azure's services); `all` then holds the branches
    /// that have arrived (their problem classifications), searched as "Service / Problem".
    pub parents: Vec<Topic>,
    /// The first-level ids whose branch has arrived.
    pub branches: std::collections::HashSet<String>,
}

impl Topics {
    /// Replaces the list, keeping `chosen` highlighted if it is still there.
    pub fn set_all(&mut self, topics: Vec<Topic>, chosen: Option<&str>) {
        let hay = topics
            .iter()
            .map(|t| format!("{} {}", t.path(), t.description.as_deref().unwrap_or("")));
        self.list.set_items(hay, self.filter.text());
        self.all = topics;
        self.highlight_id(chosen);
    }

    /// A two-level catalogue's first level arrived: it is listed until the first branch
    /// comes, so the field is never empty while the rest loads.
    pub fn set_parents(&mut self, parents: Vec<Topic>, chosen: Option<&str>) {
        if self.branches.is_empty() {
            self.set_all(parents.clone(), chosen);
        }
        self.parents = parents;
    }

    /// One branch arrived (again): its topics replace what it held before.
    pub fn add_branch(&mut self, parent_id: &str, topics: Vec<Topic>, chosen: Option<&str>) {
        let mut all = if self.branches.is_empty() {
            Vec::new()
        } else {
            std::mem::take(&mut self.all)
        };
        all.retain(|t| t.parent_id.as_deref() != Some(parent_id));
        all.extend(topics);
        self.branches.insert(parent_id.to_string());
        self.set_all(all, chosen);
    }

    /// "12 of 44 services" while a two-level catalogue's branches are still arriving.
    pub fn branches_pending(&self) -> Option<(usize, usize)> {
        let done = self.branches.len();
        (!self.parents.is_empty() && done < self.parents.len()).then_some((done, self.parents.len()))
    }

    /// The topic with this id.
    pub fn by_id(&self, id: &str) -> Option<&Topic> {
        self.all.iter().find(|t| t.id == id)
    }

    /// The highlighted topic.
    pub fn highlighted(&self) -> Option<&Topic> {
        self.list.highlighted().and_then(|i| self.all.get(i))
    }

    /// Moves the highlight to the topic with `id`, when it matches the filter.
    pub fn highlight_id(&mut self, id: Option<&str>) {
        let Some(id) = id else { return };
        if let Some(pos) = self.list.matches.iter().position(|&i| self.all[i].id == id) {
            self.list.highlight = pos;
        }
    }

    /// Sets the filter and highlights the best match.
    pub fn set_filter(&mut self, filter: String) {
        self.filter.set_text(&filter);
        self.filter_changed();
    }

    /// The filter box was edited: match again and highlight the best match.
    pub fn filter_changed(&mut self) {
        self.list.query_changed(self.filter.text());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic(id: u64, name: &str, description: &str) -> Topic {
        Topic {
            id: id.to_string(),
            name: name.into(),
            description: Some(description.into()),
            ..Topic::default()
        }
    }

    fn leaf(parent: &str, name: &str) -> Topic {
        Topic {
            id: format!("/providers/Microsoft.Support/services/{parent}/problemClassifications/{name}"),
            name: name.into(),
            parent_id: Some(format!("/providers/Microsoft.Support/services/{parent}")),
            parent_name: Some(parent.into()),
            ..Topic::default()
        }
    }

    // Azure's catalogue: the services show until their classifications arrive, then every
    // classification of every service is searched at once as "Service / Problem".
    #[test]
    fn a_two_level_catalogue_is_searched_across_every_branch_as_it_arrives() {
        let service = |name: &str| Topic {
            id: format!("/providers/Microsoft.Support/services/{name}"),
            name: name.into(),
            ..Topic::default()
        };
        let mut t = Topics::default();
        t.set_parents(
            vec![service("Virtual Machine running Windows"), service("Azure DNS")],
            None,
        );
        assert_eq!(t.all.len(), 2, "the services, while nothing else has come");
        assert_eq!(t.branches_pending(), Some((0, 2)));
        t.add_branch(
            "/providers/Microsoft.Support/services/Azure DNS",
            vec![leaf("Azure DNS", "Private DNS / Private zone not linked")],
            None,
        );
        assert_eq!(t.branches_pending(), Some((1, 2)));
        let vm = "/providers/Microsoft.Support/services/Virtual Machine running Windows";
        t.add_branch(
            vm,
            vec![
                leaf("Virtual Machine running Windows", "Performance / Slow"),
                leaf(
                    "Virtual Machine running Windows",
                    "Connectivity / Cannot connect to virtual machine by using RDP or SSH",
                ),
            ],
            None,
        );
        assert_eq!(t.branches_pending(), None);
        assert_eq!(t.all.len(), 3, "the classifications only, once they came");
        t.set_filter("windows rdp".into());
        assert_eq!(
            t.highlighted().map(Topic::path).as_deref(),
            Some(
                "Virtual Machine running Windows / Connectivity / Cannot connect to virtual machine by using RDP or SSH"
            )
        );
        // A branch read again replaces its old copy.
        t.add_branch(
            vm,
            vec![leaf("Virtual Machine running Windows", "Performance / Slow")],
            None,
        );
        assert_eq!(t.all.len(), 2);
    }

    #[test]
    fn fuzzy_filter_ranks_the_closest_name_first() {
        let mut t = Topics::default();
        t.set_all(
            vec![
                topic(1, "Partner Center Issues", "Office 365 questions"),
                topic(2, "Cannot manage my profile", "Issues with managing a profile"),
                topic(3, "Billing", "Invoices"),
            ],
            None,
        );
        t.set_filter("profil".into());
        assert_eq!(t.highlighted().map(|t| t.id.as_str()), Some("2"));
        assert!(!t.list.matches.contains(&2), "Billing does not match 'profil'");
        t.set_filter(String::new());
        assert_eq!(t.list.matches, vec![0, 1, 2]);
    }

    #[test]
    fn typing_letter_by_letter_finds_what_the_whole_query_finds() {
        let words = ["profile", "billing", "invoices", "partner", "licensing", "orders"];
        let topics: Vec<Topic> = (0..300u64)
            .map(|i| {
                let w = words[i as usize % words.len()];
                topic(
                    i,
                    &format!("{w} {i}"),
                    &format!("about {} and {w}", words[(i as usize / 7) % 6]),
                )
            })
            .collect();
        for query in ["pro", "in vo", "lic 1", "bi 2 z", "orders"] {
            let mut typed = Topics::default();
            typed.set_all(topics.clone(), None);
            let mut so_far = String::new();
            for c in query.chars() {
                so_far.push(c);
                typed.set_filter(so_far.clone());
            }
            let mut whole = Topics::default();
            whole.set_all(topics.clone(), None);
            whole.set_filter(query.to_string());
            assert_eq!(typed.list.matches, whole.list.matches, "query {query:?}");
            // Backspace widens again.
            typed.set_filter(query[..1].to_string());
            whole.set_filter(query[..1].to_string());
            assert_eq!(
                typed.list.matches,
                whole.list.matches,
                "after erasing back to {:?}",
                &query[..1]
            );
        }
    }
}
