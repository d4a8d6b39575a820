//! The app's state: plain data that `update` changes and the views read.

pub mod contact;
mod form;
pub mod message;
pub mod note;
mod screens;
pub mod service_list;
pub mod severity_picker;
pub mod signin;
pub mod subscription_picker;
pub mod template_picker;
pub mod topics;

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::mode::Overlay;
use crate::auth::Cloud;
use crate::domain::{Service, Topic};
use crate::templates::Template;
use message::{Cause, Logged};
use template_picker::TemplatePicker;

use super::Account;
use super::keys::Keymap;
use signin::{Phase, SignIn};
use topics::{Topics, TopicsLoad};

pub use crate::worker::Target;
pub use form::{AttachedPath, Attachments, Form, FormField, Unsettled};
pub use note::NoteBox;
pub use screens::{DetailsFocus, DetailsView, History, HistoryFocus, ResultView, Screen};
pub use service_list::{Landing, Paging, ServiceList, Source};

/// Smallest terminal the app draws in; below it a "too small" message is shown.
pub const MIN_SIZE: (u16, u16) = (60, 20);

/// How long after the first unsaved change the draft is saved (a crash loses at most this).
pub const DRAFT_DEBOUNCE: Duration = Duration::from_millis(200);

/// How often a spinner turns; the app wakes this often only while one is on screen.
pub const SPINNER_STEP: Duration = Duration::from_millis(100);

/// How long a notice stays on screen.
pub const NOTICE_TTL: Duration = Duration::from_secs(6);

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
    /// The ticket is filed and its files are being uploaded (quitting leaves them unsent,
    /// not the ticket in the outbox).
    pub filed: bool,
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
    /// The service tickets go to.
    pub service: Service,
    /// Cloud.
    pub cloud: Cloud,
    /// Who we act as.
    pub account: Account,
    /// Agent locale.
    pub locale: String,
    /// The Azure subscription tickets are filed under; `None` = tenant level.
    pub subscription: Option<String>,
    /// The customer tenant acted for, if any.
    pub customer: Option<String>,
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
    /// The overlays over the screen, the last on top: it has the keyboard and is drawn last
    /// (`tui::mode`).
    pub overlays: Vec<Overlay>,
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
    /// Submits whose outcome is unknown, waiting in the outbox to be resent.
    pub outbox: usize,
    /// Requests changed on the server since the user last opened them (the header's count).
    pub updated: usize,
    /// Notes being written, by service id: kept when the box closes or a send fails.
    pub notes: Vec<NoteBox>,
    /// A refresh in flight (history / details), by the service's id.
    pub refreshing: Option<String>,
    /// The message line.
    pub notice: Option<Notice>,
    /// Recent messages, newest last (the messages overlay shows them in full).
    pub log: VecDeque<Logged>,
    /// Draft autosave.
    pub draft: DraftSync,
    /// `[azure]` as config.toml has it, and the contact screen's typing.
    pub azure: contact::AzureProfile,
}

impl State {
    /// A fresh state for a terminal of `size`.
    pub fn new(header: Header, theme: Theme, size: (u16, u16), now: Instant) -> State {
        let signin = SignIn::new(header.cloud);
        let header_service = header.service;
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
            overlays: Vec::new(),
            form: Form::new(header_service, None),
            topics: Topics::default(),
            history: History::default(),
            busy: None,
            outbox: 0,
            updated: 0,
            notes: Vec::new(),
            refreshing: None,
            notice: None,
            log: VecDeque::new(),
            draft: DraftSync::default(),
            azure: contact::AzureProfile::default(),
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

    /// Whether the details on screen are of a ticket whose service lets a filed ticket's
    /// severity change (while its record loads: the session's service).
    pub fn can_change_severity(&self) -> bool {
        match &self.screen {
            Screen::Details(d) => {
                d.service()
                    .unwrap_or(self.header.service)
                    .capabilities()
                    .can_change_severity
            }
            _ => false,
        }
    }

    /// Whether the terminal is big enough to draw the app.
    pub fn fits(&self) -> bool {
        self.size.0 >= MIN_SIZE.0 && self.size.1 >= MIN_SIZE.1
    }

    /// Whether keys go into a text field (so single letters type rather than act).
    pub fn in_text_field(&self) -> bool {
        super::focus::focused_text(self).is_some()
    }

    /// The template picker, wherever it is on the stack (the folder's answer may come while
    /// the help lies over it).
    pub fn picker_mut(&mut self) -> Option<&mut TemplatePicker> {
        self.overlays.iter_mut().rev().find_map(|o| match o {
            Overlay::Templates(picker) => Some(picker.as_mut()),
            _ => None,
        })
    }

    /// The subscription picker, wherever it is on the stack (the worker's answer may come while
    /// the help lies over it).
    pub fn subscription_picker_mut(&mut self) -> Option<&mut subscription_picker::SubscriptionPicker> {
        self.overlays.iter_mut().rev().find_map(|o| match o {
            Overlay::Subscriptions(picker) => Some(picker.as_mut()),
            _ => None,
        })
    }

    /// The severity picker, wherever it is on the stack (the worker's answer may come while
    /// the help lies over it).
    pub fn severity_picker_mut(&mut self) -> Option<&mut severity_picker::SeverityPicker> {
        self.overlays.iter_mut().rev().find_map(|o| match o {
            Overlay::Severity(picker) => Some(picker.as_mut()),
            _ => None,
        })
    }

    /// The question waiting for its answer, wherever it is on the stack.
    pub fn question(&self) -> Option<&Confirm> {
        self.overlays.iter().rev().find_map(|o| match o {
            Overlay::Question(question) => Some(question),
            _ => None,
        })
    }

    /// Asks a yes/no question: it goes on top and takes the keys until answered.
    pub fn ask(&mut self, question: Confirm) {
        self.overlays.push(Overlay::Question(question));
    }

    /// Takes the question off the top of the stack, where it is when its answer is typed.
    pub fn take_question(&mut self) -> Option<Confirm> {
        match self.overlays.pop() {
            Some(Overlay::Question(question)) => Some(question),
            Some(other) => {
                self.overlays.push(other);
                None
            }
            None => None,
        }
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
        self.topics.by_id(id).map(|t: &Topic| t.name.clone())
    }
}
