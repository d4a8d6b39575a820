//! Terminal input as a stream the run loop awaits. Nothing polls: crossterm's reader thread
//! blocks until the terminal has something. Dropping the stream stops that thread, which is how
//! the external editor gets the keyboard to itself (gitui's lesson).

use futures_util::StreamExt;
use ratatui::crossterm::event::{Event, EventStream, KeyEventKind};

use crate::tui::action::Action;

/// The terminal's events, or nothing while paused.
pub struct Input {
    stream: Option<EventStream>,
}

impl Input {
    /// Starts reading events.
    pub fn start() -> Input {
        Input {
            stream: Some(EventStream::new()),
        }
    }

    /// Stops reading until [`Input::resume`] (the reader thread ends).
    pub fn pause(&mut self) {
        self.stream = None;
    }

    /// Starts reading again.
    pub fn resume(&mut self) {
        self.stream = Some(EventStream::new());
    }

    /// The next action from the terminal; waits forever while paused. `Quit` when the terminal
    /// went away (hang-up) or cannot be read.
    pub async fn next(&mut self) -> Action {
        loop {
            let Some(stream) = self.stream.as_mut() else {
                return std::future::pending().await;
            };
            match stream.next().await {
                Some(Ok(event)) => {
                    if let Some(action) = to_action(event) {
                        return action;
                    }
                }
                Some(Err(_)) | None => {
                    self.stream = None;
                    return Action::Quit;
                }
            }
        }
    }
}

/// Turns a terminal event into an action; key releases and repeats of enhanced keyboards are dropped.
pub fn to_action(event: Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind == KeyEventKind::Press => Some(Action::Key(key)),
        Event::Paste(text) => Some(Action::Paste(text)),
        Event::Mouse(mouse) => Some(Action::Mouse(mouse)),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        _ => None,
    }
}
