//! The topic picker: the loaded list, its fuzzy filter and the highlighted match.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use crate::api::SupportTopic;

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
    pub all: Vec<SupportTopic>,
    /// Loading state.
    pub load: TopicsLoad,
    /// The fuzzy filter as typed.
    pub filter: String,
    /// Indexes into `all` that match the filter, best first.
    pub matches: Vec<usize>,
    /// Position in `matches` of the highlighted topic.
    pub highlight: usize,
}

impl Topics {
    /// Replaces the list, keeping `chosen` highlighted if it is still there.
    pub fn set_all(&mut self, topics: Vec<SupportTopic>, chosen: Option<&str>) {
        self.all = topics;
        self.refilter();
        self.highlight_id(chosen);
    }

    /// The topic with this id.
    pub fn by_id(&self, id: &str) -> Option<&SupportTopic> {
        self.all.iter().find(|t| t.id.to_string() == id)
    }

    /// The highlighted topic.
    pub fn highlighted(&self) -> Option<&SupportTopic> {
        self.matches.get(self.highlight).and_then(|&i| self.all.get(i))
    }

    /// Moves the highlight to the topic with `id`, when it matches the filter.
    pub fn highlight_id(&mut self, id: Option<&str>) {
        let Some(id) = id else { return };
        if let Some(pos) = self
            .matches
            .iter()
            .position(|&i| self.all[i].id.to_string() == id)
        {
            self.highlight = pos;
        }
    }

    /// The first match shown so the highlight stays in a list `height` rows tall.
    pub fn first_visible(&self, height: usize) -> usize {
        if height == 0 || self.highlight < height {
            0
        } else {
            self.highlight + 1 - height
        }
    }

    /// Moves the highlight by `delta`, clamped to the matches.
    pub fn step(&mut self, delta: isize) {
        if self.matches.is_empty() {
            return;
        }
        let last = self.matches.len() - 1;
        self.highlight = self.highlight.saturating_add_signed(delta).min(last);
    }

    /// Sets the filter and highlights the best match.
    pub fn set_filter(&mut self, filter: String) {
        self.filter = filter;
        self.refilter();
        self.highlight = 0;
    }

    fn refilter(&mut self) {
        let query = self.filter.trim();
        if query.is_empty() {
            self.matches = (0..self.all.len()).collect();
        } else {
            let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
            let mut matcher = Matcher::new(Config::DEFAULT);
            let mut buf = Vec::new();
            let mut scored: Vec<(usize, u32)> = self
                .all
                .iter()
                .enumerate()
                .filter_map(|(i, t)| {
                    let hay = format!("{} {}", t.name, t.description.as_deref().unwrap_or(""));
                    pattern
                        .score(Utf32Str::new(&hay, &mut buf), &mut matcher)
                        .map(|s| (i, s))
                })
                .collect();
            // Stable sort keeps the service's order among equal scores.
            scored.sort_by_key(|s| std::cmp::Reverse(s.1));
            self.matches = scored.into_iter().map(|(i, _)| i).collect();
        }
        self.highlight = self.highlight.min(self.matches.len().saturating_sub(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic(id: u64, name: &str, description: &str) -> SupportTopic {
        SupportTopic {
            id,
            name: name.into(),
            description: Some(description.into()),
            attributes: None,
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
        assert_eq!(t.highlighted().map(|t| t.id), Some(2));
        assert!(!t.matches.contains(&2), "Billing does not match 'profil'");
        t.set_filter(String::new());
        assert_eq!(t.matches, vec![0, 1, 2]);
    }
}
