//! The input task: a thread that reads terminal events and sends them on as actions. It can be
//! paused (for the external editor) so it does not steal the editor's keys.

use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::time::Duration;

use ratatui::crossterm::event::{self, Event, KeyEventKind};
use tokio::sync::mpsc::UnboundedSender;

use super::action::Action;

enum Control {
    Pause(Sender<()>),
    Resume,
}

/// Controls the input thread.
pub struct Input {
    control: Sender<Control>,
}

impl Input {
    /// Starts reading events.
    pub fn spawn(actions: UnboundedSender<Action>) -> Input {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || read_loop(&rx, &actions));
        Input { control: tx }
    }

    /// Stops reading and returns once the thread is no longer inside `poll`/`read`.
    pub fn pause(&self) {
        let (ack_tx, ack_rx) = mpsc::channel();
        if self.control.send(Control::Pause(ack_tx)).is_ok() {
            // Bounded: a thread that already ended cannot answer.
            let _ = ack_rx.recv_timeout(Duration::from_secs(1));
        }
    }

    /// Starts reading again.
    pub fn resume(&self) {
        let _ = self.control.send(Control::Resume);
    }
}

fn read_loop(control: &Receiver<Control>, actions: &UnboundedSender<Action>) {
    loop {
        match control.try_recv() {
            Ok(Control::Pause(ack)) => {
                let _ = ack.send(());
                loop {
                    match control.recv() {
                        Ok(Control::Resume) => break,
                        Ok(Control::Pause(ack)) => {
                            let _ = ack.send(());
                        }
                        Err(_) => return,
                    }
                }
            }
            Ok(Control::Resume) | Err(TryRecvError::Empty) => {}
            Err(TryRecvError::Disconnected) => return,
        }
        let action = match event::poll(Duration::from_millis(40)) {
            Ok(false) => continue,
            Ok(true) => match event::read() {
                Ok(event) => to_action(event),
                // The terminal went away (hang-up): leave cleanly.
                Err(_) => Some(Action::Quit),
            },
            Err(_) => Some(Action::Quit),
        };
        if let Some(action) = action {
            let quit = matches!(action, Action::Quit);
            if actions.send(action).is_err() || quit {
                return;
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
