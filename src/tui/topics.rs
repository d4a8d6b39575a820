//! The topic picker: the loaded list, its fuzzy filter and the highlighted match.

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Matcher, Utf32String};

use crate::api::SupportTopic;
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
    pub all: Vec<SupportTopic>,
    /// Loading state.
    pub load: TopicsLoad,
    /// The fuzzy filter as typed (an editable box).
    pub filter: LineBox,
    /// Indexes into `all` that match the filter, best first.
    pub matches: Vec<usize>,
    /// Position in `matches` of the highlighted topic.
    pub highlight: usize,
    /// The query `matches` were computed for (trimmed).
    matched_query: String,
    /// What is searched per topic (name and description), prepared once per list so a key
    /// press only scores, never formats or converts.
    hay: Vec<Utf32String>,
    /// The matcher's scratch memory, reused across key presses.
    scratch: Scratch,
}

/// The fuzzy matcher's reusable buffers, and the scored candidates of the last key (160 KB for
/// 10,000 topics, which would otherwise be allocated and freed on every key). Not part of what
/// the state means, so every two are equal.
#[derive(Debug, Clone, Default)]
struct Scratch {
    matcher: Box<Matcher>,
    scored: Vec<(usize, u32)>,
}

impl PartialEq for Scratch {
    fn eq(&self, _: &Scratch) -> bool {
        true
    }
}

impl Eq for Scratch {}

impl Topics {
    /// Replaces the list, keeping `chosen` highlighted if it is still there.
    pub fn set_all(&mut self, topics: Vec<SupportTopic>, chosen: Option<&str>) {
        self.hay = topics
            .iter()
            .map(|t| Utf32String::from(format!("{} {}", t.name, t.description.as_deref().unwrap_or(""))))
            .collect();
        self.all = topics;
        self.matched_query.clear();
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
        self.filter.set_text(&filter);
        self.filter_changed();
    }

    /// The filter box was edited: match again and highlight the best match.
    pub fn filter_changed(&mut self) {
        self.refilter();
        self.highlight = 0;
    }

    fn refilter(&mut self) {
        let query = self.filter.text().trim().to_string();
        if query.is_empty() {
            self.matches.clear();
            self.matches.extend(0..self.all.len());
        } else {
            // A longer query can only narrow plain fuzzy atoms, so the last matches are the
            // only candidates: after the first letter each key scores fewer topics.
            let narrowing = !self.matched_query.is_empty()
                && query.starts_with(self.matched_query.as_str())
                && self.matches.len() <= self.all.len();
            let pattern = Pattern::new(
                &query,
                CaseMatching::Ignore,
                Normalization::Smart,
                AtomKind::Fuzzy,
            );
            let Scratch { matcher, scored } = &mut self.scratch;
            let hay = &self.hay;
            let mut score = |i: usize| {
                hay.get(i)
                    .and_then(|h| pattern.score(h.slice(..), matcher))
                    .map(|s| (i, s))
            };
            scored.clear();
            if narrowing {
                scored.extend(self.matches.iter().filter_map(|&i| score(i)));
            } else {
                scored.extend((0..self.all.len()).filter_map(score));
            }
            // Stable sort on (score, then the service's order) whatever order candidates came in.
            scored.sort_unstable_by_key(|&(i, s)| (std::cmp::Reverse(s), i));
            self.matches.clear();
            self.matches.extend(scored.iter().map(|&(i, _)| i));
        }
        self.matched_query = query;
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

    #[test]
    fn typing_letter_by_letter_finds_what_the_whole_query_finds() {
        let words = ["profile", "billing", "invoices", "partner", "licensing", "orders"];
        let topics: Vec<SupportTopic> = (0..300u64)
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
            assert_eq!(typed.matches, whole.matches, "query {query:?}");
            // Backspace widens again.
            typed.set_filter(query[..1].to_string());
            whole.set_filter(query[..1].to_string());
            assert_eq!(
                typed.matches,
                whole.matches,
                "after erasing back to {:?}",
                &query[..1]
            );
        }
    }
}
