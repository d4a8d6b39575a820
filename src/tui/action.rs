//! What can happen to the app (`Action`, the input of `update`) and what `update` asks the
//! outside world to do (`Effect`).

use std::time::Instant;

use ratatui::crossterm::event::{KeyEvent, MouseEvent};

use super::runtime::clipboard::Method;
use super::state::Viewport;
use crate::worker::{Job, Reply};

/// Everything that drives the app: terminal input, the clock, the worker's answers.
#[derive(Debug, Clone)]
pub enum Action {
    /// A key press (releases are filtered out by the input task).
    Key(KeyEvent),
    /// Bracketed paste.
    Paste(String),
    /// A mouse event.
    Mouse(MouseEvent),
    /// The terminal is now this many columns and rows.
    Resize(u16, u16),
    /// The clock moved: spinner, countdowns, draft autosave. The run loop sends one before
    /// every other action (so `update` sees the current time) and when `State::next_tick` is due.
    Tick(Instant),
    /// The frame was drawn; this is what it showed of the scrolled text.
    Drawn(Viewport),
    /// The external editor finished: the new description, or why it could not run.
    EditorDone(Result<String, String>),
    /// A copy was done: by a system tool, or (`via` = OSC 52) none worked and the terminal
    /// must be asked.
    Copied {
        /// What was copied, in words ("request id 616…").
        what: String,
        /// The text.
        text: String,
        /// How.
        via: Method,
        /// Inside tmux.
        tmux: bool,
    },
    /// Copying failed outright.
    CopyFailed(String),
    /// The other service's session could not be set up (config.toml, its sign-in): this one
    /// goes on, and the message says why.
    SwitchFailed(String),
    /// The templates folder was read: the usable templates and why the others are not.
    Templates {
        /// Usable templates, by name.
        templates: Vec<crate::templates::Template>,
        /// Files that could not be used.
        errors: Vec<crate::templates::TemplateError>,
    },
    /// The browser opener finished: its name, or why the page could not be opened.
    BrowserOpened {
        /// The page.
        url: String,
        /// The opener used, or why none worked.
        result: Result<String, String>,
    },
    /// config.toml was written (the contact profile or the consent answer), or why not.
    ConfigWritten {
        /// What was written, in words ("the contact profile").
        what: String,
        /// The file, or why it could not be written.
        result: Result<std::path::PathBuf, String>,
    },
    /// The file at a path typed in the Attachments field was looked at: where it is and its
    /// size, or why it cannot be attached.
    AttachmentChecked {
        /// The path as typed.
        typed: String,
        /// The file, or the reason it is refused.
        result: Result<(std::path::PathBuf, u64), String>,
    },
    /// The directory of a path typed in the Attachments field was read for a completion.
    PathCompleted {
        /// The path as typed.
        typed: String,
        /// What it completes to.
        completion: crate::tui::runtime::paths::Completion,
    },
    /// An answer from the worker (boxed: a created request is large).
    Worker(Box<Reply>),
    /// Leave the app (SIGTERM, SIGHUP).
    Quit,
}

/// Side effects `update` requests; the run loop (or a test) carries them out.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Ask the worker to do something.
    Worker(Job),
    /// Suspend the terminal and edit this text in `$VISUAL`/`$EDITOR`.
    OpenEditor(String),
    /// Copy `text` (described as `what`) with a system clipboard tool, off the UI thread.
    Copy {
        /// The text.
        text: String,
        /// What it is, for the message ("request id 616…").
        what: String,
    },
    /// Ask the terminal to copy `text` with OSC 52 (written by the drawing thread).
    Osc52 {
        /// The text.
        text: String,
        /// Wrap it for tmux's passthrough.
        tmux: bool,
    },
    /// Open this web page in the system's browser, off the UI thread.
    OpenUrl(String),
    /// Read the templates folder, off the UI thread.
    LoadTemplates,
    /// Write `[azure.contact]` into config.toml, off the UI thread, keeping its comments.
    WriteContact {
        /// config.toml.
        path: std::path::PathBuf,
        /// The profile, checked.
        contact: Box<crate::domain::Contact>,
    },
    /// Write `[azure] consent` into config.toml, off the UI thread, keeping its comments.
    WriteConsent {
        /// config.toml.
        path: std::path::PathBuf,
        /// The answer.
        consent: bool,
    },
    /// Write `[azure] subscription` into config.toml (`""` for tenant level), off the UI
    /// thread, keeping its comments.
    WriteSubscription {
        /// config.toml.
        path: std::path::PathBuf,
        /// The subscription id, or `None` for tenant level.
        subscription: Option<String>,
    },
    /// Look at the file at this path (typed in the Attachments field), off the UI thread.
    CheckAttachment(String),
    /// Complete this path (typed in the Attachments field) from its directory, off the UI thread.
    CompletePath(String),
    /// End this session and start one with service `to`, its form filled from `carry`.
    SwitchService {
        /// The service to switch to.
        to: crate::domain::Service,
        /// The form as it was, without its topic.
        carry: crate::store::Draft,
        /// Where the new session opens.
        land: crate::tui::state::Landing,
    },
    /// Leave the run loop.
    Quit,
}

impl From<Reply> for Action {
    fn from(reply: Reply) -> Self {
        Action::Worker(Box::new(reply))
    }
}
