//! The Partner Center side of the history pane: every request on the service, read page by page
//! through `links.next` as the user scrolls, never all at once.

use crate::domain::TicketRow;

/// Which list the history pane shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Source {
    /// Requests sent from here (the local history, with pending outbox rows).
    #[default]
    Local,
    /// Every request the service holds for the partner or the customer in scope.
    Service,
}

/// Where a session switched to opens: the form (the switch key), or the service's list (Tab
/// in the history, past the list of the service it came from).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Landing {
    /// The request form.
    #[default]
    Form,
    /// The history, on the service's list.
    ServiceList,
}

/// How far the service list has been read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Paging {
    /// Nothing asked for yet (the pane never showed this source, or the scope changed).
    #[default]
    NotStarted,
    /// A page is being read; answers with another number are stale.
    Reading {
        /// The read's sequence number.
        seq: u64,
        /// The link being read (`None`: the first page), to try again if it fails.
        uri: Option<String>,
    },
    /// More pages wait behind this link.
    More(String),
    /// Every page is in.
    Done,
    /// The last read failed; `r` tries again from where it stopped.
    Failed {
        /// Why, in one line, with what to do.
        why: String,
        /// The link that failed (`None`: the first page).
        next: Option<String>,
    },
}

/// The service's requests as read so far, and where the user is in them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceList {
    /// Customer tenant in scope; `None` lists the partner's own requests.
    pub customer: Option<String>,
    /// Every row read so far, in the service's order.
    pub rows: Vec<TicketRow>,
    /// Indices into `rows` of those matching `matched_filter`; `None` when the filter is empty
    /// (every row, without a 10,000-entry index).
    pub matches: Option<Vec<u32>>,
    /// The lower-cased filter `matches` was built for.
    pub matched_filter: String,
    /// Selected row, as an index into the visible (filtered) list.
    pub selected: usize,
    /// First visible row (index into the visible list).
    pub top: usize,
    /// Where reading stands.
    pub paging: Paging,
    /// Sequence number of the latest read.
    pub seq: u64,
    /// End was pressed: keep reading and stay on the last row until the list is complete.
    pub to_end: bool,
}

impl ServiceList {
    /// Rows in the visible (filtered) list.
    pub fn len(&self) -> usize {
        self.matches.as_ref().map_or(self.rows.len(), Vec::len)
    }

    /// Whether the visible list is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The visible row at `index`.
    pub fn row(&self, index: usize) -> Option<&TicketRow> {
        match &self.matches {
            Some(m) => m.get(index).and_then(|i| self.rows.get(*i as usize)),
            None => self.rows.get(index),
        }
    }

    /// The selected row.
    pub fn selected_row(&self) -> Option<&TicketRow> {
        self.row(self.selected)
    }

    /// Matches `filter` (any case) against every row read so far.
    pub fn set_filter(&mut self, filter: &str) {
        let needle = filter.to_lowercase();
        if needle == self.matched_filter && (self.matches.is_some() || needle.is_empty()) {
            return;
        }
        self.matches = (!needle.is_empty()).then(|| {
            (0..self.rows.len())
                .filter(|i| self.rows[*i].matches(&needle))
                .map(|i| i as u32)
                .collect()
        });
        self.matched_filter = needle;
        self.selected = 0;
        self.top = 0;
    }

    /// Adds a page of rows; only the new rows are matched against the filter.
    pub fn append(&mut self, rows: Vec<TicketRow>) {
        let start = self.rows.len();
        self.rows.extend(rows);
        if let Some(m) = &mut self.matches {
            let needle = &self.matched_filter;
            m.extend(
                (start..self.rows.len())
                    .filter(|i| self.rows[*i].matches(needle))
                    .map(|i| i as u32),
            );
        }
    }

    /// Forgets every row (a new scope, or `r`): the next draw reads the first page again.
    pub fn reset(&mut self) {
        let customer = self.customer.take();
        let seq = self.seq;
        *self = ServiceList {
            customer,
            seq,
            ..ServiceList::default()
        };
    }

    /// The link of the next page to read, if reading should go on now: the selection is
    /// within `ahead` rows of the end of what is read (or End asked for everything).
    pub fn wants_more(&self, ahead: usize) -> Option<Option<String>> {
        match &self.paging {
            Paging::NotStarted => Some(None),
            Paging::More(next) if self.to_end || self.top + ahead >= self.len() => Some(Some(next.clone())),
            _ => None,
        }
    }

    /// The scope in words, for the pane's title.
    pub fn scope_label(&self) -> String {
        match &self.customer {
            Some(tenant) => format!("customer {tenant}"),
            None => "partner".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, title: &str) -> TicketRow {
        TicketRow {
            id: id.into(),
            number: String::new(),
            status: "open".into(),
            title: title.into(),
            severity: String::new(),
            topic: String::new(),
            created: String::new(),
            haystack: format!("{id} {title} open").to_lowercase(),
            updated: false,
        }
    }

    #[test]
    fn a_filter_covers_rows_read_later_without_rescanning() {
        let mut list = ServiceList::default();
        list.append(vec![row("1", "Billing"), row("2", "Outage")]);
        list.set_filter("BILL");
        assert_eq!(list.len(), 1);
        list.append(vec![row("3", "billing again"), row("4", "Other")]);
        assert_eq!(list.len(), 2, "new pages are matched as they arrive");
        assert_eq!(list.row(1).map(|r| r.id.as_str()), Some("3"));
        list.set_filter("");
        assert_eq!(list.len(), 4);
        assert!(list.matches.is_none());
    }

    #[test]
    fn more_is_read_only_near_the_end_or_when_end_was_pressed() {
        let mut list = ServiceList::default();
        assert_eq!(list.wants_more(10), Some(None), "the first page");
        list.append((0..100).map(|i| row(&i.to_string(), "t")).collect());
        list.paging = Paging::More("next".into());
        assert_eq!(list.wants_more(10), None, "far from the end");
        list.top = 91;
        assert_eq!(list.wants_more(10), Some(Some("next".into())));
        list.top = 0;
        list.to_end = true;
        assert_eq!(list.wants_more(10), Some(Some("next".into())));
        list.paging = Paging::Done;
        assert_eq!(list.wants_more(10), None);
    }
}
