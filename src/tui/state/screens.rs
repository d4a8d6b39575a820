//! The screens under the overlays and what each shows: result, details, the history window.

use uuid::Uuid;

use crate::domain::Ticket;
use crate::store::{HistoryRow, Submission};
use crate::tui::textbox::LineBox;

use super::{ServiceList, Source};

/// The screen underneath any overlay.
#[derive(Debug, Clone)]
pub enum Screen {
    /// The request form.
    Form,
    /// The answer to a successful submit.
    Result(Box<ResultView>),
    /// The history list.
    History,
    /// One request from the history.
    Details(Box<DetailsView>),
    /// Signing in with a device code.
    SignIn,
}

/// What the result screen shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultView {
    /// The service's answer.
    pub request: Ticket,
    /// The MS-RequestId it was sent with.
    pub request_id: Uuid,
    /// Topic name, looked up in the topic list (the create answer has only the id).
    pub topic_name: Option<String>,
    /// When the answer came: a response deadline is worded against it (`None`: shown as sent).
    pub clock: Option<crate::dates::WallClock>,
    /// A file that was not uploaded after the ticket was filed.
    pub upload_failed: Option<crate::attachments::UploadFailure>,
}

/// The details of one request: from the local history, the service's list, or both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DetailsView {
    /// Local row, when it was sent from here (or the local history knows it).
    pub local_id: Option<i64>,
    /// The service's id, when known (always, for a row of the Partner Center list).
    pub server_id: Option<String>,
    /// The customer tenant whose scope it was read in (`None`: the partner's own).
    pub customer: Option<String>,
    /// The local record, once loaded.
    pub submission: Option<Submission>,
    /// A copy read from the service for this screen, newer than the local record's.
    pub fresh: Option<Ticket>,
    /// Lines scrolled down.
    pub scroll: u16,
    /// Scrolled to the end by the user: the view stays at the end as the conversation grows
    /// (support's answer arriving shows without a key, as in a chat).
    pub at_end: bool,
    /// What has the keyboard on this screen.
    pub focus: DetailsFocus,
    /// The wall clock when the screen opened: its dates show in local time against it (`None`:
    /// as the service sent them).
    pub clock: Option<crate::dates::WallClock>,
}

/// What has the keyboard on the details screen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DetailsFocus {
    /// The request, read and scrolled.
    #[default]
    Reading,
    /// The note box under it (for the details' request).
    Note,
}

/// What has the keyboard on the history screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum HistoryFocus {
    /// The list.
    #[default]
    List,
    /// The text filter.
    Filter,
    /// The customer tenant prompt of the Partner Center list, with what is typed (Enter
    /// applies, empty = the partner's own).
    Customer(Box<LineBox>),
}

impl DetailsView {
    /// The details of a local history row.
    pub fn local(local_id: i64) -> DetailsView {
        DetailsView {
            local_id: Some(local_id),
            ..DetailsView::default()
        }
    }

    /// The service's latest copy on hand.
    pub fn server(&self) -> Option<&Ticket> {
        self.fresh
            .as_ref()
            .or_else(|| self.submission.as_ref().and_then(|s| s.server.as_ref()))
    }

    /// The service holding the request, where known: the local record's, else its copy's.
    pub fn service(&self) -> Option<crate::domain::Service> {
        self.submission
            .as_ref()
            .map(|s| s.service)
            .or_else(|| self.fresh.as_ref().map(|t| t.service))
    }

    /// The service's id, from wherever it is known.
    pub fn server_id(&self) -> Option<String> {
        self.server_id
            .clone()
            .or_else(|| self.submission.as_ref().and_then(|s| s.server_id.clone()))
            .or_else(|| self.fresh.as_ref().and_then(|s| s.id.clone()))
    }

    /// Whether this screen shows the request with this local row or service id.
    pub fn shows(&self, local_id: Option<i64>, server_id: Option<&str>) -> bool {
        (local_id.is_some() && local_id == self.local_id)
            || (server_id.is_some() && server_id == self.server_id().as_deref())
    }
}

/// The history pane: only a window of rows around the visible part is held.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// Text filter.
    pub filter: LineBox,
    /// What has the keyboard (kept while other screens show, like the rest of the pane).
    pub focus: HistoryFocus,
    /// Matching rows in the store.
    pub total: usize,
    /// Selected row (absolute index).
    pub selected: usize,
    /// First visible row (absolute index).
    pub top: usize,
    /// Absolute index of `rows[0]`.
    pub window_start: usize,
    /// The loaded rows.
    pub rows: Vec<HistoryRow>,
    /// Sequence number of the latest page request; older answers are dropped.
    pub seq: u64,
    /// The filter the loaded rows belong to.
    pub loaded_filter: Option<String>,
    /// Sequence number of the read in flight; no second read is asked for meanwhile.
    pub pending: Option<u64>,
    /// Absolute index the rows of a re-read (`Anchor::From`) start at.
    pub reload_at: usize,
    /// Which list is shown: the local history or the service's.
    pub source: Source,
    /// The service's list, read lazily.
    pub service: ServiceList,
    /// The other services whose lists Tab also visits (configured: signed in, or the
    /// sandbox, which answers as both); each is reached by switching to it.
    pub others: Vec<crate::domain::Service>,
}

impl History {
    /// The loaded row at absolute index `index`.
    pub fn row(&self, index: usize) -> Option<&HistoryRow> {
        index
            .checked_sub(self.window_start)
            .and_then(|i| self.rows.get(i))
    }

    /// Whether rows `top..top+height` are loaded for the current filter.
    pub fn covers(&self, top: usize, height: usize) -> bool {
        let end = (top + height).min(self.total);
        self.loaded_filter.as_deref() == Some(self.filter.text())
            && top >= self.window_start
            && end <= self.window_start + self.rows.len()
    }
}
