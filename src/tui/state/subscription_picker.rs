//! The Azure subscription picker: "No subscription (tenant level)" first, then what the sign-in
//! can see (read by the worker), narrowed by a fuzzy filter. Plain data; `update` changes it.

use crate::domain::{Failure, Subscription};
use crate::tui::fuzzy::FuzzyList;
use crate::tui::textbox::LineBox;

/// The first entry's words: tickets at tenant level, under no subscription.
pub const TENANT_LEVEL: &str = "No subscription (tenant level)";

/// Where the list of subscriptions is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubscriptionsLoad {
    /// Asked of the worker.
    Loading,
    /// The service's answer (maybe empty).
    Loaded(Vec<Subscription>),
    /// Why it could not be read.
    Failed(Failure),
}

/// The picker over the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionPicker {
    /// The list, or where it is.
    pub load: SubscriptionsLoad,
    /// The filter as typed.
    pub query: LineBox,
    /// The entries that match (0 = tenant level, `i` = the `i-1`th subscription) and the
    /// highlighted one.
    pub list: FuzzyList,
    /// The subscription in use when the picker opened (`None`: tenant level), marked in the list.
    pub current: Option<String>,
}

impl SubscriptionPicker {
    /// A picker waiting for the worker's answer; the tenant-level entry is there already.
    pub fn loading(current: Option<String>) -> SubscriptionPicker {
        let mut picker = SubscriptionPicker {
            load: SubscriptionsLoad::Loading,
            query: LineBox::default(),
            list: FuzzyList::default(),
            current,
        };
        picker.reindex();
        picker
    }

    /// The subscriptions read, if any.
    pub fn subscriptions(&self) -> &[Subscription] {
        match &self.load {
            SubscriptionsLoad::Loaded(all) => all,
            SubscriptionsLoad::Loading | SubscriptionsLoad::Failed(_) => &[],
        }
    }

    /// The worker answered: the list is searched again and the one in use highlighted.
    pub fn set_load(&mut self, load: SubscriptionsLoad) {
        self.load = load;
        self.reindex();
    }

    fn reindex(&mut self) {
        let hay = std::iter::once(TENANT_LEVEL.to_string()).chain(
            self.subscriptions()
                .iter()
                .map(|s| format!("{} {} {}", s.name, s.id, s.state.as_deref().unwrap_or(""))),
        );
        self.list.set_items(hay.collect::<Vec<_>>(), self.query.text());
        let current = self.entry_index(self.current.as_deref());
        self.list.highlight = self.list.matches.iter().position(|&i| i == current).unwrap_or(0);
    }

    /// The list position of a subscription id (0 = tenant level, or not in the list).
    fn entry_index(&self, id: Option<&str>) -> usize {
        id.and_then(|id| self.subscriptions().iter().position(|s| s.id == id))
            .map_or(0, |i| i + 1)
    }

    /// Entry `i`: `None` for tenant level, else the subscription.
    pub fn entry(&self, i: usize) -> Option<Option<&Subscription>> {
        match i {
            0 => Some(None),
            i => self.subscriptions().get(i - 1).map(Some),
        }
    }

    /// The highlighted entry, if anything matches.
    pub fn highlighted(&self) -> Option<Option<&Subscription>> {
        self.list.highlighted().and_then(|i| self.entry(i))
    }

    /// Whether entry `i` is the one in use.
    pub fn is_current(&self, i: usize) -> bool {
        match self.entry(i) {
            Some(None) => self.current.is_none(),
            Some(Some(s)) => self.current.as_deref() == Some(s.id.as_str()),
            None => false,
        }
    }

    /// The query was edited: match again; the best match is highlighted.
    pub fn refilter(&mut self) {
        self.list.query_changed(self.query.text());
    }
}
