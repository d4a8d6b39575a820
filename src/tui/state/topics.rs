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

/// How many classifications the title suggests, above the services.
pub const SUGGESTIONS: usize = 5;

/// What one row of the picker is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// A topic that can be chosen (index into `all`).
    Topic(usize),
    /// A topic the title's words suggest (index into `all`), listed above the services.
    Suggested(usize),
    /// A first-level topic of a two-level catalogue (index into `parents`): opened, not chosen.
    Parent(usize),
}

/// What the list shows now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Level {
    /// Every topic, filtered: a one-level catalogue, or a search across every branch.
    Flat,
    /// A two-level catalogue's first level (the title's suggestions first).
    Parents,
    /// One branch, opened from the first level.
    Branch(String),
}

/// The topic list and its filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Topics {
    /// Every topic that can be chosen, as the service sent them (a two-level catalogue's
    /// branches, as they arrive).
    pub all: Vec<Topic>,
    /// Loading state.
    pub load: TopicsLoad,
    /// The fuzzy filter as typed (an editable box).
    pub filter: LineBox,
    /// The topics (indexes into `all`) that match the filter, and the highlighted one.
    pub list: FuzzyList,
    /// A two-level catalogue's first level (Azure's services).
    pub parents: Vec<Topic>,
    /// The first-level ids whose branch has arrived, with how many topics it holds (counted
    /// once here, not per row and frame over every topic).
    pub branches: std::collections::HashMap<String, usize>,
    /// The first-level ids whose branch failed to load, with why.
    pub failed: std::collections::HashMap<String, String>,
    /// The first-level topic opened (Right/Enter on it), if any.
    pub browse: Option<String>,
    /// The rows of the first level or of the opened branch, and their filter.
    pub level: FuzzyList,
    /// What each row of `level` is.
    pub entries: Vec<Entry>,
    /// What `level` was built for.
    built: Option<Level>,
    /// The topics the title's words match, best first (indexes into `all`).
    pub suggested: Vec<usize>,
    /// The title's words the suggestions were made from.
    words: Vec<String>,
}

impl Topics {
    /// Replaces the list, keeping `chosen` highlighted if it is still there.
    pub fn set_all(&mut self, topics: Vec<Topic>, chosen: Option<&str>) {
        self.list
            .set_items(topics.iter().map(haystack), self.filter.text());
        self.all = topics;
        self.suggest_again();
        self.rebuild();
        self.highlight_id(chosen);
    }

    /// A two-level catalogue's first level arrived.
    pub fn set_parents(&mut self, parents: Vec<Topic>, chosen: Option<&str>) {
        self.parents = parents;
        self.built = None;
        self.rebuild();
        self.highlight_id(chosen);
    }

    /// One branch arrived (again): its topics replace what it held before.
    pub fn add_branch(&mut self, parent_id: &str, topics: Vec<Topic>, chosen: Option<&str>) {
        self.failed.remove(parent_id);
        // The same branch again (the cache's copy at start, then again with the service's
        // first level): nothing changes, so nothing is prepared again. Without this, a start
        // with a cached 10,000-classification catalogue re-read every classification once per
        // service, seconds of work.
        if self.branches.get(parent_id) == Some(&topics.len())
            && self
                .all
                .iter()
                .filter(|t| t.parent_id.as_deref() == Some(parent_id))
                .eq(topics.iter())
        {
            return;
        }
        if self
            .branches
            .insert(parent_id.to_string(), topics.len())
            .is_none()
        {
            // A new branch only adds: the rest is not prepared again (hundreds arrive at start).
            let query = self.filter.text().to_string();
            self.list.push_items(topics.iter().map(haystack), &query);
            self.all.extend(topics);
            self.suggest_again();
            self.built = None;
            self.rebuild();
            self.highlight_id(chosen);
        } else {
            let mut all = std::mem::take(&mut self.all);
            all.retain(|t| t.parent_id.as_deref() != Some(parent_id));
            all.extend(topics);
            self.built = None;
            self.set_all(all, chosen);
        }
    }

    /// Gives back the room the lists grew into while branches arrived (they grow by
    /// doubling: up to half of 10,000 topics' worth is spare otherwise).
    pub fn compact(&mut self) {
        self.all.shrink_to_fit();
        self.list.compact();
    }

    /// One branch failed to load: the field says so, opening it asks again.
    pub fn branch_failed(&mut self, parent_id: &str, why: String) {
        if !self.branches.contains_key(parent_id) {
            self.failed.insert(parent_id.to_string(), why);
        }
    }

    /// (loaded, failed, of) while a two-level catalogue's branches are still arriving.
    pub fn branches_pending(&self) -> Option<(usize, usize, usize)> {
        let (done, failed) = (self.branches.len(), self.failed.len());
        (!self.parents.is_empty() && done < self.parents.len()).then_some((done, failed, self.parents.len()))
    }

    /// What the list shows now.
    pub fn level(&self) -> Level {
        if self.parents.is_empty() {
            Level::Flat
        } else if let Some(p) = &self.browse {
            Level::Branch(p.clone())
        } else if self.filter.text().trim().is_empty() || self.all.is_empty() {
            Level::Parents
        } else {
            Level::Flat
        }
    }

    /// The list's rows and highlight as shown now.
    pub fn shown(&self) -> &FuzzyList {
        match self.level() {
            Level::Flat => &self.list,
            _ => &self.level,
        }
    }

    /// [`Topics::shown`], to move its highlight.
    pub fn shown_mut(&mut self) -> &mut FuzzyList {
        match self.level() {
            Level::Flat => &mut self.list,
            _ => &mut self.level,
        }
    }

    /// What the row at `pos` of the shown list is.
    pub fn entry(&self, pos: usize) -> Option<Entry> {
        let i = *self.shown().matches.get(pos)?;
        match self.level() {
            Level::Flat => Some(Entry::Topic(i)),
            _ => self.entries.get(i).copied(),
        }
    }

    /// The topic of a row.
    pub fn topic(&self, entry: Entry) -> Option<&Topic> {
        match entry {
            Entry::Topic(i) | Entry::Suggested(i) => self.all.get(i),
            Entry::Parent(i) => self.parents.get(i),
        }
    }

    /// The highlighted row.
    pub fn highlighted_entry(&self) -> Option<Entry> {
        self.entry(self.shown().highlight)
    }

    /// The highlighted topic (a first-level one too).
    pub fn highlighted(&self) -> Option<&Topic> {
        self.highlighted_entry().and_then(|e| self.topic(e))
    }

    /// The highlighted topic when it can be chosen (not a first-level one).
    pub fn highlighted_choice(&self) -> Option<&Topic> {
        match self.highlighted_entry()? {
            Entry::Parent(_) => None,
            e => self.topic(e),
        }
    }

    /// The first-level topic highlighted, to open.
    pub fn highlighted_parent(&self) -> Option<&Topic> {
        match self.highlighted_entry()? {
            Entry::Parent(i) => self.parents.get(i),
            _ => None,
        }
    }

    /// How many topics of a first-level one have arrived (`None`: its branch has not).
    pub fn branch_size(&self, parent_id: &str) -> Option<usize> {
        self.branches.get(parent_id).copied()
    }

    /// Opens a first-level topic: its branch is listed (from what has arrived). Returns
    /// whether its branch still has to be asked for.
    pub fn open(&mut self, parent_id: &str, chosen: Option<&str>) -> bool {
        self.browse = Some(parent_id.to_string());
        self.filter.set_text("");
        self.built = None;
        self.rebuild();
        self.level.highlight = 0;
        self.highlight_id(chosen);
        !self.branches.contains_key(parent_id)
    }

    /// Back to the first level, the opened one highlighted.
    pub fn back(&mut self) {
        let Some(was) = self.browse.take() else { return };
        self.filter.set_text("");
        self.built = None;
        self.rebuild();
        let parent = self.parents.iter().position(|p| p.id == was);
        if let Some(pos) = self
            .level
            .matches
            .iter()
            .position(|&i| matches!(self.entries.get(i), Some(Entry::Parent(p)) if Some(*p) == parent))
        {
            self.level.highlight = pos;
        }
    }

    /// The first-level topic opened.
    pub fn opened(&self) -> Option<&Topic> {
        let id = self.browse.as_deref()?;
        self.parents.iter().find(|p| p.id == id)
    }

    /// The topic with this id.
    pub fn by_id(&self, id: &str) -> Option<&Topic> {
        self.all.iter().find(|t| t.id == id)
    }

    /// Moves the highlight to the topic with `id`, when it is shown.
    pub fn highlight_id(&mut self, id: Option<&str>) {
        let Some(id) = id else { return };
        let pos = (0..self.shown().matches.len()).find(|&pos| {
            self.entry(pos)
                .and_then(|e| self.topic(e))
                .is_some_and(|t| t.id == id)
        });
        if let Some(pos) = pos {
            self.shown_mut().highlight = pos;
        }
    }

    /// Sets the filter and highlights the best match.
    pub fn set_filter(&mut self, filter: String) {
        self.filter.set_text(&filter);
        self.filter_changed();
    }

    /// The filter box was edited: match again and highlight the best match.
    pub fn filter_changed(&mut self) {
        let query = self.filter.text().to_string();
        if self.level() == Level::Flat {
            self.list.query_changed(&query);
        } else if self.built.as_ref() == Some(&self.level()) {
            self.level.query_changed(&query);
        } else {
            self.rebuild();
            self.level.highlight = 0;
        }
    }

    /// The title changed: the topics its words name are suggested first (a two-level
    /// catalogue, where the first level alone says little).
    pub fn suggest_from(&mut self, title: &str) {
        let words = title_words(title);
        if words == self.words {
            return;
        }
        self.words = words;
        self.suggest_again();
        self.rebuild();
    }

    /// Ranks the topics against the title's words again; the first level is built anew when
    /// they changed.
    fn suggest_again(&mut self) {
        let before = std::mem::take(&mut self.suggested);
        if !self.parents.is_empty() && !self.words.is_empty() {
            self.rank_suggestions();
        }
        if before != self.suggested {
            self.built = None;
        }
    }

    fn rank_suggestions(&mut self) {
        // Matched in what the search matches (path and description), so no second copy of
        // 10,000 paths is kept for this.
        let mut scored: Vec<(usize, usize, usize)> = (0..self.list.len())
            .filter_map(|i| {
                let (count, len) = words_named(&self.list.text(i), &self.words);
                (count > 0).then_some((i, count, len))
            })
            .collect();
        // Ties go by the catalogue's order of services, not by which branch arrived first.
        let rank: std::collections::HashMap<&str, usize> = self
            .parents
            .iter()
            .enumerate()
            .map(|(r, p)| (p.id.as_str(), r))
            .collect();
        let all = &self.all;
        let parent_rank = |i: usize| {
            all.get(i)
                .and_then(|t| t.parent_id.as_deref())
                .and_then(|p| rank.get(p).copied())
                .unwrap_or(usize::MAX)
        };
        scored.sort_by_key(|&(i, count, len)| {
            (
                std::cmp::Reverse(count),
                std::cmp::Reverse(len),
                parent_rank(i),
                i,
            )
        });
        self.suggested
            .extend(scored.into_iter().take(SUGGESTIONS).map(|(i, _, _)| i));
    }

    /// Builds `level` for what is shown now, when it is not built for it.
    fn rebuild(&mut self) {
        let level = self.level();
        if level == Level::Flat || self.built.as_ref() == Some(&level) {
            return;
        }
        self.entries.clear();
        match &level {
            Level::Parents => {
                // Suggestions only above the whole first level, not in a search of it.
                if self.filter.text().trim().is_empty() {
                    self.entries
                        .extend(self.suggested.iter().map(|&i| Entry::Suggested(i)));
                }
                self.entries.extend((0..self.parents.len()).map(Entry::Parent));
            }
            Level::Branch(p) => self.entries.extend(
                self.all
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| t.parent_id.as_deref() == Some(p.as_str()))
                    .map(|(i, _)| Entry::Topic(i)),
            ),
            Level::Flat => {}
        }
        let (all, parents) = (&self.all, &self.parents);
        let hay = self.entries.iter().map(|e| match *e {
            Entry::Suggested(i) => all.get(i).map(Topic::path).unwrap_or_default(),
            Entry::Topic(i) => all.get(i).map(leaf_haystack).unwrap_or_default(),
            Entry::Parent(i) => parents.get(i).map(|t| t.name.clone()).unwrap_or_default(),
        });
        self.level.set_items(hay, self.filter.text());
        self.built = Some(level);
    }
}

/// What the search across every topic matches: the path and what the topic covers.
fn haystack(t: &Topic) -> String {
    format!("{} {}", t.path(), t.description.as_deref().unwrap_or(""))
}

/// Within an opened branch the parent is on the title already.
fn leaf_haystack(t: &Topic) -> String {
    format!("{} {}", t.name, t.description.as_deref().unwrap_or(""))
}

/// Words too common in titles to say anything about a topic.
const STOP_WORDS: &[&str] = &[
    "the", "and", "for", "with", "not", "from", "after", "when", "our", "my", "to", "on", "in", "of", "is",
    "it", "a", "an", "at", "we", "i",
];

/// A title's words that can name a topic, lower case, each once.
fn title_words(title: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for w in title
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 2 && !w.chars().all(|c| c.is_ascii_digit()))
    {
        if !STOP_WORDS.contains(&w.as_str()) && !words.contains(&w) {
            words.push(w);
        }
    }
    words
}

/// How many of `words` (lower case) start a word of `text`, and their length together: "rdp"
/// names "by using RDP or SSH", "vm" does not name "dvm". Runs over every topic on each
/// title key, so ASCII text is compared in place, without a lower-case copy.
fn words_named(text: &str, words: &[String]) -> (usize, usize) {
    if !text.is_ascii() {
        let lower = text.to_lowercase();
        return words
            .iter()
            .filter(|w| {
                lower.match_indices(w.as_str()).any(|(at, _)| {
                    lower[..at]
                        .chars()
                        .next_back()
                        .is_none_or(|c| !c.is_alphanumeric())
                })
            })
            .fold((0, 0), |(c, l), w| (c + 1, l + w.len()));
    }
    let bytes = text.as_bytes();
    let mut named = 0u64; // one bit a word (titles have few; past 64 the rest are not counted)
    let mut prev_alnum = false;
    for (at, b) in bytes.iter().enumerate() {
        let alnum = b.is_ascii_alphanumeric();
        if alnum && !prev_alnum {
            let rest = &bytes[at..];
            for (k, w) in words.iter().enumerate().take(64) {
                if rest
                    .get(..w.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(w.as_bytes()))
                {
                    named |= 1 << k;
                }
            }
        }
        prev_alnum = alnum;
    }
    words
        .iter()
        .enumerate()
        .take(64)
        .filter(|(k, _)| named & (1 << k) != 0)
        .fold((0, 0), |(c, l), (_, w)| (c + 1, l + w.len()))
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
            parent_id: Some(format!("/providers/Microsoft.Support/services/{parent}").into()),
            parent_name: Some(parent.into()),
            ..Topic::default()
        }
    }

    const VM: &str = "/providers/Microsoft.Support/services/Virtual Machine running Windows";
    const DNS: &str = "/providers/Microsoft.Support/services/Azure DNS";

    fn service(name: &str) -> Topic {
        Topic {
            id: format!("/providers/Microsoft.Support/services/{name}"),
            name: name.into(),
            ..Topic::default()
        }
    }

    fn catalogue() -> Topics {
        let mut t = Topics::default();
        t.set_parents(
            vec![service("Virtual Machine running Windows"), service("Azure DNS")],
            None,
        );
        t.add_branch(
            DNS,
            vec![leaf("Azure DNS", "Private DNS / Private zone not linked")],
            None,
        );
        t.add_branch(
            VM,
            vec![
                leaf("Virtual Machine running Windows", "Performance / Slow"),
                leaf(
                    "Virtual Machine running Windows",
                    "Connectivity / Cannot connect to virtual machine by using RDP or SSH",
                ),
            ],
            None,
        );
        t
    }

    fn shown_names(t: &Topics) -> Vec<String> {
        (0..t.shown().matches.len())
            .filter_map(|pos| t.entry(pos).and_then(|e| t.topic(e)).map(|t| t.name.clone()))
            .collect()
    }

    // Azure's catalogue: the services are listed; typing searches every classification of
    // every service at once as "Service / Problem", as the branches arrive.
    #[test]
    fn a_two_level_catalogue_is_searched_across_every_branch_as_it_arrives() {
        let mut t = Topics::default();
        t.set_parents(
            vec![service("Virtual Machine running Windows"), service("Azure DNS")],
            None,
        );
        assert_eq!(t.level(), Level::Parents);
        assert_eq!(shown_names(&t), ["Virtual Machine running Windows", "Azure DNS"]);
        assert_eq!(t.branches_pending(), Some((0, 0, 2)));
        t.add_branch(
            DNS,
            vec![leaf("Azure DNS", "Private DNS / Private zone not linked")],
            None,
        );
        t.branch_failed(VM, "HTTP 503".into());
        assert_eq!(t.branches_pending(), Some((1, 1, 2)));
        let t = {
            let mut t = catalogue();
            assert_eq!(t.branches_pending(), None);
            assert!(
                t.failed.is_empty(),
                "a branch that came after all is no longer failed"
            );
            t.set_filter("windows rdp".into());
            assert_eq!(t.level(), Level::Flat);
            assert_eq!(
                t.highlighted_choice().map(Topic::path).as_deref(),
                Some(
                    "Virtual Machine running Windows / Connectivity / Cannot connect to virtual machine by using RDP or SSH"
                )
            );
            t
        };
        // A branch read again replaces its old copy.
        let mut t = t;
        t.add_branch(
            VM,
            vec![leaf("Virtual Machine running Windows", "Performance / Slow")],
            None,
        );
        assert_eq!(t.all.len(), 2);
    }

    #[test]
    fn a_service_opens_to_its_classifications_and_back_to_where_it_was() {
        let mut t = catalogue();
        assert_eq!(t.highlighted_parent().map(|p| p.id.as_str()), Some(VM));
        assert!(
            t.highlighted_choice().is_none(),
            "a service is not a topic to file under"
        );
        assert!(!t.open(VM, None), "its branch is here: nothing to ask for");
        assert_eq!(t.level(), Level::Branch(VM.into()));
        assert_eq!(
            shown_names(&t),
            [
                "Performance / Slow",
                "Connectivity / Cannot connect to virtual machine by using RDP or SSH"
            ]
        );
        t.set_filter("rdp".into());
        assert_eq!(shown_names(&t).len(), 1, "the filter searches this service only");
        t.set_filter(String::new());
        t.back();
        assert_eq!(t.level(), Level::Parents);
        assert_eq!(t.highlighted_parent().map(|p| p.id.as_str()), Some(VM));
        t.shown_mut().step(1);
        assert_eq!(t.highlighted_parent().map(|p| p.id.as_str()), Some(DNS));
        let mut fresh = Topics::default();
        fresh.set_parents(vec![service("Azure DNS")], None);
        assert!(fresh.open(DNS, None), "a branch not yet arrived is asked for");
        assert!(fresh.shown().matches.is_empty());
        fresh.add_branch(
            DNS,
            vec![leaf("Azure DNS", "Private DNS / Private zone not linked")],
            None,
        );
        assert_eq!(
            shown_names(&fresh),
            ["Private DNS / Private zone not linked"],
            "it shows once it comes"
        );
    }

    #[test]
    fn the_titles_words_put_their_classifications_above_the_services() {
        let mut t = catalogue();
        t.suggest_from("Cannot RDP to vm-web-01");
        assert_eq!(t.entry(0), Some(Entry::Suggested(2)));
        assert_eq!(
            t.highlighted_choice().map(|c| c.name.as_str()),
            Some("Connectivity / Cannot connect to virtual machine by using RDP or SSH")
        );
        assert_eq!(t.entry(1), Some(Entry::Parent(0)), "the services follow");
        t.suggest_from("Invoice question");
        assert_eq!(
            t.entry(0),
            Some(Entry::Parent(0)),
            "no word names a classification"
        );
        // Words name a topic only where one of its words starts: "dns" is in "Azure DNS",
        // "zone" in "Private zone", but "ivate" is nowhere.
        t.suggest_from("ivate zone");
        assert_eq!(t.suggested.len(), 1);
        assert_eq!(
            title_words("The VM is slow after 2 updates"),
            ["vm", "slow", "updates"]
        );
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
