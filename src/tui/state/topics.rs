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
}

impl Topics {
    /// Replaces the list, keeping `chosen` highlighted if it is still there.
    pub fn set_all(&mut self, topics: Vec<Topic>, chosen: Option<&str>) {
        let hay = topics
            .iter()
            .map(|t| format!("{} {}", t.name, t.description.as_deref().unwrap_or("")));
        self.list.set_items(hay, self.filter.text());
        self.all = topics;
        self.highlight_id(chosen);
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
