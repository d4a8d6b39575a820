//! What can happen to the app (`Action`, the input of `update`) and what `update` asks the
//! outside world to do (`Effect`).

use std::time::Instant;

use ratatui::crossterm::event::{KeyEvent, MouseEvent};

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
    /// The OSC 52 copy was written (or failed).
    Copied(Result<String, String>),
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
    /// Copy this text to the clipboard with OSC 52.
    Copy(String),
    /// Leave the run loop.
    Quit,
}

impl From<Reply> for Action {
    fn from(reply: Reply) -> Self {
        Action::Worker(Box::new(reply))
    }
}
