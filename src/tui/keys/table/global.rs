//! The keys checked first: a yes/no question's answers, then the keys that work on every screen.

use ratatui::crossterm::event::KeyCode;

use crate::tui::keys::{Binding, KeyCommand, KeyScope, ctrl, key};

/// Confirm and app-wide keys, in dispatch order.
pub(super) const KEYS: &[Binding] = &[
    Binding {
        keys: &[key(KeyCode::Char('y'))],
        scope: KeyScope::Confirm,
        command: KeyCommand::ConfirmYes,
        help: "yes: go ahead",
        hint: Some("yes"),
    },
    Binding {
        keys: &[key(KeyCode::Char('n')), key(KeyCode::Esc)],
        scope: KeyScope::Confirm,
        command: KeyCommand::ConfirmNo,
        help: "no: leave it as it is",
        hint: Some("no"),
    },
    Binding {
        keys: &[ctrl('c')],
        scope: KeyScope::Anywhere,
        command: KeyCommand::Quit,
        help: "quit (the draft is kept)",
        hint: Some("quit"),
    },
    Binding {
        keys: &[key(KeyCode::F(1))],
        scope: KeyScope::Anywhere,
        command: KeyCommand::Help,
        help: "help: this list of keys",
        hint: Some("help"),
    },
    Binding {
        keys: &[key(KeyCode::F(2))],
        scope: KeyScope::Anywhere,
        command: KeyCommand::SignIn,
        help: "sign in to Partner Center (device code), leaving the sandbox",
        // Shown only in the sandbox and when signed out, see `hints`.
        hint: Some("sign in"),
    },
    Binding {
        keys: &[key(KeyCode::F(3))],
        scope: KeyScope::Anywhere,
        command: KeyCommand::Messages,
        help: "messages: the recent messages in full, newest first",
        hint: None,
    },
    Binding {
        keys: &[ctrl('r')],
        scope: KeyScope::Anywhere,
        command: KeyCommand::History,
        help: "history of submitted requests",
        hint: Some("history"),
    },
    Binding {
        keys: &[ctrl('n')],
        scope: KeyScope::Anywhere,
        command: KeyCommand::NewRequest,
        help: "new request form (keeps the current draft if unsent)",
        hint: None,
    },
    // Here, before Back: Esc on a running sign-in cancels it rather than leaving the screen.
    Binding {
        keys: &[key(KeyCode::Esc)],
        scope: KeyScope::SignInPrompt,
        command: KeyCommand::CancelSignIn,
        help: "cancel the sign-in, back to the sign-in form",
        hint: Some("cancel"),
    },
    Binding {
        keys: &[key(KeyCode::Esc)],
        scope: KeyScope::Anywhere,
        command: KeyCommand::Back,
        help: "close overlay / go back",
        hint: None,
    },
];
