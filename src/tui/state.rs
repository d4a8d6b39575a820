//! The app's state: plain data that `update` changes and the views read.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tui_textarea::{TextArea, WrapMode};
use uuid::Uuid;

use super::ErrorView;
use super::message::{self, Cause, Logged};
use super::picker::TemplatePicker;
use super::textbox::{LineBox, plain_cursor};
use crate::api::{FieldError, NewServiceRequest, ServiceRequest, Severity, SupportTopic};
use crate::auth::Cloud;
use crate::store::{Draft, HistoryRow, Submission};
use crate::templates::Template;

use super::Account;
use super::keys::Keymap;
use super::signin::{Phase, SignIn};
use super::theme::PLACEHOLDER;
use super::topics::{Topics, TopicsLoad};

pub use super::note::NoteBox;
pub use super::requests::{Paging, ServiceList, Source};
pub use crate::worker::Target;

/// Smallest terminal the app draws in; below it a "too small" message is shown.
pub const MIN_SIZE: (u16, u16) = (60, 20);

/// How long after the first unsaved change the draft is saved (a crash loses at most this).
pub const DRAFT_DEBOUNCE: Duration = Duration::from_millis(200);

/// How often a spinner turns; the app wakes this often only while one is on screen.
pub const SPINNER_STEP: Duration = Duration::from_millis(100);

/// How long a notice stays on screen.
pub const NOTICE_TTL: Duration = Duration::from_secs(6);

/// The form's fields in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Title (single line).
    Title,
    /// Description (multi-line).
    Description,
    /// Severity picker.
    Severity,
    /// Topic picker.
    Topic,
    /// The Submit button.
    Submit,
}

impl Field {
    /// Tab order.
    pub const ORDER: [Field; 5] = [
        Field::Title,
        Field::Description,
        Field::Severity,
        Field::Topic,
        Field::Submit,
    ];

    /// The next field, wrapping around.
    pub fn next(self) -> Field {
        let i = Self::ORDER.iter().position(|f| *f == self).unwrap_or(0);
        Self::ORDER[(i + 1) % Self::ORDER.len()]
    }

    /// The previous field, wrapping around.
    pub fn prev(self) -> Field {
        let i = Self::ORDER.iter().position(|f| *f == self).unwrap_or(0);
        Self::ORDER[(i + Self::ORDER.len() - 1) % Self::ORDER.len()]
    }

    /// The field a validation error (named by its wire field) belongs to.
    pub fn from_wire(name: &str) -> Field {
        match name {
            "Title" => Field::Title,
            "Description" => Field::Description,
            "Severity" => Field::Severity,
            _ => Field::Topic,
        }
    }

    /// Whether typing goes into this field as text.
    pub fn takes_text(self) -> bool {
        matches!(self, Field::Title | Field::Description | Field::Topic)
    }
}

/// A submit whose outcome is unknown (lost answer, 5xx): resubmitting the same form reuses
/// its MS-RequestId so the service cannot file it twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsettled {
    /// Local row in the store.
    pub local_id: i64,
    /// The MS-RequestId it was sent with.
    pub request_id: Uuid,
    /// What was sent.
    pub request: NewServiceRequest,
}

/// The request form.
#[derive(Debug, Clone)]
pub struct Form {
    /// Title editor (single line).
    pub title: TextArea<'static>,
    /// Description editor.
    pub description: TextArea<'static>,
    /// Severity, once the user picked one.
    pub severity: Option<Severity>,
    /// Chosen topic id.
    pub topic_id: Option<String>,
    /// Focused field.
    pub focus: Field,
    /// Problems found by the last submit attempt.
    pub errors: Vec<FieldError>,
    /// Why the last submit failed on the server side.
    pub submit_error: Option<ErrorView>,
    /// A submit with an unknown outcome.
    pub unsettled: Option<Unsettled>,
    /// The severity a new form starts with (`[defaults] severity`).
    pub preset: Option<Severity>,
}

impl Default for Form {
    fn default() -> Self {
        Form::from_draft(&Draft::default())
    }
}

impl Form {
    /// A form filled from a saved draft.
    pub fn from_draft(draft: &Draft) -> Form {
        let mut title = TextArea::new(vec![draft.title.replace(['\n', '\r'], " ")]);
        title.set_placeholder_text("What is the problem, in one line?");
        title.set_placeholder_style(PLACEHOLDER);
        title.move_cursor(tui_textarea::CursorMove::End);
        let lines: Vec<String> = draft.description.split('\n').map(str::to_string).collect();
        let mut description = TextArea::new(lines);
        description.set_placeholder_text("What happened, what you expected, steps, ids…");
        description.set_placeholder_style(PLACEHOLDER);
        description.set_wrap_mode(WrapMode::WordOrGlyph);
        description.move_cursor(tui_textarea::CursorMove::Bottom);
        description.move_cursor(tui_textarea::CursorMove::End);
        plain_cursor(&mut title);
        plain_cursor(&mut description);
        Form {
            title,
            description,
            severity: draft.severity.filter(|s| Severity::CHOOSABLE.contains(s)),
            topic_id: draft.topic_id.clone(),
            focus: Field::Title,
            errors: Vec::new(),
            submit_error: None,
            unsettled: None,
            preset: None,
        }
    }

    /// An empty form with `preset` chosen as its severity.
    pub fn new(preset: Option<Severity>) -> Form {
        Form::from_draft(&Draft::default()).with_preset(preset)
    }

    /// Remembers `preset` and chooses it when no severity was picked.
    pub fn with_preset(mut self, preset: Option<Severity>) -> Form {
        self.preset = preset.filter(|s| Severity::CHOOSABLE.contains(s));
        if self.severity.is_none() {
            self.severity = self.preset;
        }
        self
    }

    /// The title as typed.
    pub fn title_text(&self) -> String {
        self.title.lines().join(" ")
    }

    /// The description as typed.
    pub fn description_text(&self) -> String {
        self.description.lines().join("\n")
    }

    /// What would be submitted.
    pub fn request(&self) -> NewServiceRequest {
        NewServiceRequest {
            title: self.title_text(),
            description: self.description_text(),
            severity: self.severity.unwrap_or(Severity::Unknown),
            support_topic_id: self.topic_id.clone().unwrap_or_default(),
        }
    }

    /// The form as a draft to save.
    pub fn draft(&self) -> Draft {
        Draft {
            title: self.title_text(),
            description: self.description_text(),
            severity: self.severity,
            topic_id: self.topic_id.clone(),
        }
    }

    /// True when nothing was typed or picked (the preset severity counts as not picked).
    pub fn is_empty(&self) -> bool {
        let blank = Draft {
            severity: self.preset,
            ..Draft::default()
        };
        self.draft() == blank || self.draft() == Draft::default()
    }

    /// Replaces the title (a template); undo brings the old one back.
    pub fn set_title(&mut self, title: &str) {
        self.title.move_cursor(tui_textarea::CursorMove::Head);
        self.title.delete_line_by_end();
        self.title.insert_str(title.replace(['\n', '\r'], " "));
    }

    /// Replaces the description (after the external editor).
    pub fn set_description(&mut self, text: &str) {
        let mut description = TextArea::new(text.split('\n').map(str::to_string).collect());
        description.set_placeholder_text(self.description.placeholder_text().to_string());
        description.set_placeholder_style(PLACEHOLDER);
        description.set_wrap_mode(WrapMode::WordOrGlyph);
        description.move_cursor(tui_textarea::CursorMove::Bottom);
        description.move_cursor(tui_textarea::CursorMove::End);
        plain_cursor(&mut description);
        self.description = description;
    }

    /// The first error for `field`.
    pub fn error_for(&self, field: Field) -> Option<&FieldError> {
        self.errors.iter().find(|e| Field::from_wire(e.field) == field)
    }

    /// Moves the focus (the terminal cursor follows it when the field takes text).
    pub fn set_focus(&mut self, field: Field) {
        self.focus = field;
    }
}

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
    pub request: ServiceRequest,
    /// The MS-RequestId it was sent with.
    pub request_id: Uuid,
    /// Topic name, looked up in the topic list (the create answer has only the id).
    pub topic_name: Option<String>,
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
    pub fresh: Option<ServiceRequest>,
    /// Lines scrolled down.
    pub scroll: u16,
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
    pub fn server(&self) -> Option<&ServiceRequest> {
        self.fresh
            .as_ref()
            .or_else(|| self.submission.as_ref().and_then(|s| s.server.as_ref()))
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
    /// Whether keys go into the filter.
    pub filtering: bool,
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

/// What the client reported about a slow call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BusyNote {
    /// Waiting before a retry.
    Retrying {
        /// What failed.
        reason: String,
        /// When the pause ends.
        until: Instant,
    },
    /// Throttled.
    RateLimited {
        /// When the pause ends.
        until: Instant,
    },
    /// Getting a new token.
    RefreshingToken,
}

impl BusyNote {
    /// What the client is doing, in words, with the seconds left at `now`.
    pub fn text(&self, now: Instant) -> String {
        let left = |until: Instant| until.saturating_duration_since(now).as_secs_f64().ceil() as u64;
        match self {
            BusyNote::Retrying { reason, until } => {
                format!("retrying in {} s after {}", left(*until), reason)
            }
            BusyNote::RateLimited { until } => format!("rate limited, {} s", left(*until)),
            BusyNote::RefreshingToken => "refreshing the sign-in token".into(),
        }
    }
}

/// A request in flight that the user waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Busy {
    /// What is happening, e.g. "Submitting".
    pub what: String,
    /// When it started.
    pub since: Instant,
    /// The client's latest report.
    pub note: Option<BusyNote>,
}

/// A question that needs a yes or no before anything happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    /// Close this request on the server.
    Close(Target),
    /// Send a note again whose last try may have reached the service.
    ResendNote(Target),
    /// Let this template replace fields the user typed.
    Template(Box<Template>),
}

/// How a notice looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// Neutral news (copied, restored, resent).
    Info,
    /// Something failed.
    Error,
}

/// A one-line message under the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The message.
    pub text: String,
    /// Its kind.
    pub kind: NoticeKind,
    /// When it disappears (set on the first tick after it appears).
    pub until: Option<Instant>,
    /// What it is about, when it should go as soon as that is settled.
    pub cause: Option<Cause>,
}

/// Autosave bookkeeping for the draft.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DraftSync {
    /// The form changed since the last save.
    pub dirty: bool,
    /// The first tick seen after the last change.
    pub pending_since: Option<Instant>,
}

/// What the status bar says about where we are connected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Cloud.
    pub cloud: Cloud,
    /// Who we act as.
    pub account: Account,
    /// Agent locale.
    pub locale: String,
}

pub use super::theme::Theme;

/// What the last frame showed of the scrolled text (details or help), reported back by the
/// view so `update` can clamp scrolling without importing the views.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Viewport {
    /// Rows one page scrolls.
    pub page: u16,
    /// The furthest scroll that still fills the screen.
    pub max_scroll: u16,
}

/// The whole app state.
#[derive(Debug, Clone)]
pub struct State {
    /// Connection info for the status bar.
    pub header: Header,
    /// Colours in force.
    pub theme: Theme,
    /// The keys in force (defaults plus config.toml's `[keys]`); shared, never changed.
    pub keys: Arc<Keymap>,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// The latest tick.
    pub now: Instant,
    /// When the app started (spinners turn with the time since).
    pub started: Instant,
    /// Spinner frame counter.
    pub frame: u64,
    /// The scrolled text's page and limit, as last drawn.
    pub viewport: Viewport,
    /// The screen.
    pub screen: Screen,
    /// Help overlay shown.
    pub help: bool,
    /// Lines the help overlay is scrolled down.
    pub help_scroll: u16,
    /// The form (kept while other screens show).
    pub form: Form,
    /// The topic picker.
    pub topics: Topics,
    /// The history pane.
    pub history: History,
    /// The sign-in screen (kept while other screens show, so a running sign-in goes on).
    pub signin: SignIn,
    /// A submit in flight.
    pub busy: Option<Busy>,
    /// A yes/no question waiting for its answer.
    pub confirm: Option<Confirm>,
    /// Submits whose outcome is unknown, waiting in the outbox to be resent.
    pub outbox: usize,
    /// Requests changed on the server since the user last opened them (the header's count).
    pub updated: usize,
    /// Notes being written, by service id: kept when the box closes or a send fails.
    pub notes: Vec<NoteBox>,
    /// The note box is open over the details (for the details' request).
    pub writing_note: bool,
    /// A refresh in flight (history / details), by the service's id.
    pub refreshing: Option<String>,
    /// The message line.
    pub notice: Option<Notice>,
    /// Recent messages, newest last (the messages overlay shows them in full).
    pub log: VecDeque<Logged>,
    /// The messages overlay is shown.
    pub messages_open: bool,
    /// The template picker over the form.
    pub picker: Option<TemplatePicker>,
    /// Draft autosave.
    pub draft: DraftSync,
    /// Set when the app should leave.
    pub quit: bool,
}

impl State {
    /// A fresh state for a terminal of `size`.
    pub fn new(header: Header, theme: Theme, size: (u16, u16), now: Instant) -> State {
        let signin = SignIn::new(header.cloud);
        // Without credentials nothing works until a sign-in, so that is where the app opens.
        let screen = if header.account == Account::SignedOut {
            Screen::SignIn
        } else {
            Screen::Form
        };
        State {
            signin,
            screen,
            header,
            theme,
            keys: Arc::default(),
            size,
            now,
            started: now,
            frame: 0,
            viewport: Viewport::default(),
            help: false,
            help_scroll: 0,
            form: Form::default(),
            topics: Topics::default(),
            history: History::default(),
            busy: None,
            confirm: None,
            outbox: 0,
            updated: 0,
            notes: Vec::new(),
            writing_note: false,
            refreshing: None,
            notice: None,
            log: VecDeque::new(),
            messages_open: false,
            picker: None,
            draft: DraftSync::default(),
            quit: false,
        }
    }

    /// When the app next needs a tick, if ever: the app sleeps until input, a worker answer or
    /// this moment, so an idle screen costs no wake-ups.
    pub fn next_tick(&self) -> Option<Instant> {
        let mut next: Option<Instant> = None;
        let mut at = |t: Instant| next = Some(next.map_or(t, |n| n.min(t)));
        if let Some(notice) = &self.notice {
            at(notice.until.unwrap_or(self.now));
        }
        if self.draft.dirty {
            at(self
                .draft
                .pending_since
                .map_or(self.now, |since| since + DRAFT_DEBOUNCE));
        }
        let spinning = self.busy.is_some()
            || matches!(self.topics.load, TopicsLoad::Loading | TopicsLoad::Refreshing)
            || matches!(self.signin.phase, Phase::Starting);
        if spinning {
            at(self.now + SPINNER_STEP);
        }
        if let Phase::Waiting(prompt) = &self.signin.phase
            && matches!(self.screen, Screen::SignIn)
        {
            // The countdown shows whole seconds.
            let left = prompt.deadline.saturating_duration_since(self.now);
            at(self.now
                + left
                    .saturating_sub(Duration::from_secs(left.as_secs()))
                    .max(Duration::from_millis(50)));
        }
        next
    }

    /// Whether the terminal is big enough to draw the app.
    pub fn fits(&self) -> bool {
        self.size.0 >= MIN_SIZE.0 && self.size.1 >= MIN_SIZE.1
    }

    /// Whether keys go into a text field (so single letters type rather than act).
    pub fn in_text_field(&self) -> bool {
        super::focus::focused_text(self).is_some()
    }

    /// Sets an info notice.
    pub fn info(&mut self, text: impl Into<String>) {
        self.notify(text.into(), NoticeKind::Info, None);
    }

    /// Sets an error notice.
    pub fn error(&mut self, text: impl Into<String>) {
        self.notify(text.into(), NoticeKind::Error, None);
    }

    /// Sets a notice that goes when `cause` is settled (see `message::Cause`).
    pub fn notify(&mut self, text: String, kind: NoticeKind, cause: Option<Cause>) {
        message::log(&mut self.log, &text, kind, self.now);
        self.notice = Some(Notice {
            text,
            kind,
            until: None,
            cause,
        });
    }

    /// The notice's cause, if one is on screen.
    pub fn notice_cause(&self) -> Option<Cause> {
        self.notice.as_ref().and_then(|n| n.cause)
    }

    /// The topic name for an id, from the loaded list.
    pub fn topic_name(&self, id: &str) -> Option<String> {
        self.topics.by_id(id).map(|t: &SupportTopic| t.name.clone())
    }
}
