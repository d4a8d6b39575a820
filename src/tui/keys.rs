//! The one key table: `update` dispatches on it, the help overlay and the hint line are drawn
//! from it, so what the screen says and what the keys do cannot drift apart.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key does, independent of which key it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Next form field.
    NextField,
    /// Previous form field.
    PrevField,
    /// Validate and submit the form.
    Submit,
    /// Edit the description in the external editor.
    OpenEditor,
    /// Show the history pane.
    History,
    /// A new, empty request form (the unsent draft stays saved).
    NewRequest,
    /// Show or hide the help overlay.
    Help,
    /// Move up in a list / change severity.
    Up,
    /// Move down in a list / change severity.
    Down,
    /// Previous severity.
    Left,
    /// Next severity.
    Right,
    /// One visible page up (history selection, scrolled text).
    PageUp,
    /// One visible page down.
    PageDown,
    /// The first history row / the top of scrolled text.
    First,
    /// The last history row / the bottom of scrolled text.
    Last,
    /// Open the selected history row.
    Open,
    /// Refresh the selected request from the server.
    Refresh,
    /// Start typing a history filter.
    Filter,
    /// Copy the request id.
    CopyId,
    /// Retry loading the topics.
    RetryTopics,
    /// Open the sign-in screen.
    SignIn,
    /// Previous cloud on the sign-in form.
    PrevCloud,
    /// Next cloud on the sign-in form.
    NextCloud,
    /// Empty the tenant field.
    ClearTenant,
    /// Start the device-code sign-in.
    StartSignIn,
    /// Copy the sign-in code.
    CopyCode,
    /// Stop the sign-in in progress, back to the sign-in form.
    CancelSignIn,
    /// Close the overlay or go back.
    Back,
    /// Leave the app, keeping the draft.
    Quit,
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every screen, even while typing.
    Anywhere,
    /// Every screen, but not while the cursor is in a text field (there the key types).
    OutsideText,
    /// The request form.
    Form,
    /// The Description field.
    Description,
    /// The Severity picker.
    Severity,
    /// The Topic picker.
    Topic,
    /// The Topic picker after loading failed.
    TopicError,
    /// The Submit button.
    SubmitButton,
    /// The history list.
    History,
    /// The result screen and request details.
    ResultOrDetails,
    /// Request details.
    Details,
    /// The help overlay.
    Help,
    /// Text that scrolls by pages: request details and the help overlay.
    Scrollable,
    /// The sign-in form (cloud, tenant).
    SignInForm,
    /// The sign-in screen once a code is asked for or shown.
    SignInPrompt,
}

impl Scope {
    /// The "where" column of the help overlay.
    pub fn label(self) -> &'static str {
        match self {
            Scope::Anywhere | Scope::OutsideText => "anywhere",
            Scope::Form => "form",
            Scope::Description => "Description",
            Scope::Severity => "Severity",
            Scope::Topic => "Topic",
            Scope::TopicError => "Topic (error)",
            Scope::SubmitButton => "Submit",
            Scope::History => "history",
            Scope::ResultOrDetails => "result, details",
            Scope::Details => "details",
            Scope::Help => "help",
            Scope::Scrollable => "details, help",
            Scope::SignInForm => "sign-in",
            Scope::SignInPrompt => "sign-in code",
        }
    }
}

/// One key combination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The key.
    pub code: KeyCode,
    /// Required modifiers (Shift is ignored for characters, which carry their own case).
    pub mods: KeyModifiers,
}

const fn key(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

impl Key {
    /// Whether a key event is this key.
    pub fn matches(&self, event: &KeyEvent) -> bool {
        let mods = match event.code {
            // Terminals disagree about reporting Shift with BackTab and shifted characters.
            KeyCode::Char(_) | KeyCode::BackTab => event.modifiers - KeyModifiers::SHIFT,
            _ => event.modifiers,
        };
        let code = match event.code {
            KeyCode::Char(c) if self.mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            other => other,
        };
        code == self.code && mods == self.mods
    }

    /// How the key is written on screen, e.g. `Ctrl+S`.
    pub fn label(&self) -> String {
        let name = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) if self.mods.contains(KeyModifiers::CONTROL) => {
                c.to_ascii_uppercase().to_string()
            }
            KeyCode::Char(c) => c.to_string(),
            KeyCode::BackTab => "Shift+Tab".into(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Up => "Up".into(),
            KeyCode::Down => "Down".into(),
            KeyCode::Left => "Left".into(),
            KeyCode::Right => "Right".into(),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("Ctrl+{name}")
        } else {
            name
        }
    }
}

/// A row of the key table.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// The keys that trigger it.
    pub keys: &'static [Key],
    /// Where it applies.
    pub scope: Scope,
    /// What it does.
    pub command: Command,
    /// The help text.
    pub help: &'static str,
    /// Short form for the hint line; `None` keeps it out of the hint line.
    pub hint: Option<&'static str>,
}

/// Every binding, in dispatch order: the first one whose scope applies wins.
pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: &[ctrl('c')],
        scope: Scope::Anywhere,
        command: Command::Quit,
        help: "quit (the draft is kept)",
        hint: Some("quit"),
    },
    Binding {
        keys: &[key(KeyCode::F(1))],
        scope: Scope::Anywhere,
        command: Command::Help,
        help: "help: this list of keys",
        hint: Some("help"),
    },
    Binding {
        keys: &[key(KeyCode::F(2))],
        scope: Scope::Anywhere,
        command: Command::SignIn,
        help: "sign in to Partner Center (device code), leaving the sandbox",
        // Shown only in the sandbox and when signed out, see `hints`.
        hint: Some("sign in"),
    },
    Binding {
        keys: &[ctrl('r')],
        scope: Scope::Anywhere,
        command: Command::History,
        help: "history of submitted requests",
        hint: Some("history"),
    },
    Binding {
        keys: &[ctrl('n')],
        scope: Scope::Anywhere,
        command: Command::NewRequest,
        help: "new request form (keeps the current draft if unsent)",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::Esc)],
        scope: Scope::SignInPrompt,
        command: Command::CancelSignIn,
        help: "cancel the sign-in, back to the sign-in form",
        hint: Some("cancel"),
    },
    Binding {
        keys: &[key(KeyCode::Esc)],
        scope: Scope::Anywhere,
        command: Command::Back,
        help: "close overlay / go back",
        hint: None,
    },
    Binding {
        keys: &[ctrl('s')],
        scope: Scope::Form,
        command: Command::Submit,
        help: "validate and submit (the form shows what is missing)",
        hint: Some("submit"),
    },
    Binding {
        keys: &[key(KeyCode::Tab)],
        scope: Scope::Form,
        command: Command::NextField,
        help: "next field: Title, Description, Severity, Topic, Submit",
        hint: Some("next field"),
    },
    Binding {
        keys: &[key(KeyCode::BackTab)],
        scope: Scope::Form,
        command: Command::PrevField,
        help: "previous field",
        hint: None,
    },
    Binding {
        keys: &[ctrl('e')],
        scope: Scope::Description,
        command: Command::OpenEditor,
        help: "edit the description in $VISUAL / $EDITOR (Enter = new line)",
        hint: Some("editor"),
    },
    Binding {
        keys: &[key(KeyCode::Left), key(KeyCode::Up)],
        scope: Scope::Severity,
        command: Command::Left,
        help: "previous severity (critical, moderate, minimal)",
        hint: Some("change"),
    },
    Binding {
        keys: &[key(KeyCode::Right), key(KeyCode::Down)],
        scope: Scope::Severity,
        command: Command::Right,
        help: "next severity",
        hint: None,
    },
    Binding {
        keys: &[ctrl('t')],
        scope: Scope::TopicError,
        command: Command::RetryTopics,
        help: "retry loading the topics",
        hint: Some("retry"),
    },
    Binding {
        keys: &[key(KeyCode::Up)],
        scope: Scope::Topic,
        command: Command::Up,
        help: "previous topic (type to fuzzy-filter)",
        hint: Some("move"),
    },
    Binding {
        keys: &[key(KeyCode::Down)],
        scope: Scope::Topic,
        command: Command::Down,
        help: "next topic",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::Enter)],
        scope: Scope::Topic,
        command: Command::NextField,
        help: "keep the highlighted topic, go to Submit",
        hint: Some("pick"),
    },
    Binding {
        keys: &[key(KeyCode::Enter)],
        scope: Scope::SubmitButton,
        command: Command::Submit,
        help: "submit",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::Enter)],
        scope: Scope::SignInForm,
        command: Command::StartSignIn,
        help: "start the sign-in: shows a code to enter in a browser",
        hint: Some("sign in"),
    },
    Binding {
        keys: &[key(KeyCode::Left)],
        scope: Scope::SignInForm,
        command: Command::PrevCloud,
        help: "previous cloud (global, germany, usgov)",
        hint: Some("cloud"),
    },
    Binding {
        keys: &[key(KeyCode::Right)],
        scope: Scope::SignInForm,
        command: Command::NextCloud,
        help: "next cloud",
        hint: None,
    },
    Binding {
        keys: &[ctrl('u')],
        scope: Scope::SignInForm,
        command: Command::ClearTenant,
        help: "clear the tenant field",
        hint: Some("clear tenant"),
    },
    Binding {
        keys: &[key(KeyCode::Char('y'))],
        scope: Scope::SignInPrompt,
        command: Command::CopyCode,
        help: "copy the sign-in code (OSC 52)",
        hint: Some("copy code"),
    },
    Binding {
        keys: &[key(KeyCode::Up), key(KeyCode::Char('k'))],
        scope: Scope::History,
        command: Command::Up,
        help: "previous request",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::Down), key(KeyCode::Char('j'))],
        scope: Scope::History,
        command: Command::Down,
        help: "next request",
        hint: Some("move"),
    },
    Binding {
        keys: &[key(KeyCode::PageUp)],
        scope: Scope::History,
        command: Command::PageUp,
        help: "one page up",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::PageDown)],
        scope: Scope::History,
        command: Command::PageDown,
        help: "one page down",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::Home), key(KeyCode::Char('g'))],
        scope: Scope::History,
        command: Command::First,
        help: "first (newest) request",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::End), key(KeyCode::Char('G'))],
        scope: Scope::History,
        command: Command::Last,
        help: "last (oldest) request",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::Enter)],
        scope: Scope::History,
        command: Command::Open,
        help: "open the request's details",
        hint: Some("details"),
    },
    Binding {
        keys: &[key(KeyCode::Char('r'))],
        scope: Scope::History,
        command: Command::Refresh,
        help: "refresh the selected request from the server",
        hint: Some("refresh"),
    },
    Binding {
        keys: &[key(KeyCode::Char('r'))],
        scope: Scope::Details,
        command: Command::Refresh,
        help: "refresh this request from the server",
        hint: Some("refresh"),
    },
    Binding {
        keys: &[key(KeyCode::Char('/'))],
        scope: Scope::History,
        command: Command::Filter,
        help: "filter by text",
        hint: Some("filter"),
    },
    Binding {
        keys: &[key(KeyCode::Up), key(KeyCode::Char('k'))],
        scope: Scope::Details,
        command: Command::Up,
        help: "scroll up",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::Down), key(KeyCode::Char('j'))],
        scope: Scope::Details,
        command: Command::Down,
        help: "scroll down",
        hint: Some("scroll"),
    },
    Binding {
        keys: &[key(KeyCode::Up), key(KeyCode::Char('k'))],
        scope: Scope::Help,
        command: Command::Up,
        help: "scroll this help up",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::Down), key(KeyCode::Char('j'))],
        scope: Scope::Help,
        command: Command::Down,
        help: "scroll this help down",
        hint: Some("scroll"),
    },
    Binding {
        keys: &[key(KeyCode::PageUp)],
        scope: Scope::Scrollable,
        command: Command::PageUp,
        help: "scroll up a page",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::PageDown)],
        scope: Scope::Scrollable,
        command: Command::PageDown,
        help: "scroll down a page",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::Home)],
        scope: Scope::Scrollable,
        command: Command::First,
        help: "scroll to the top",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::End)],
        scope: Scope::Scrollable,
        command: Command::Last,
        help: "scroll to the bottom",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::Char('y'))],
        scope: Scope::ResultOrDetails,
        command: Command::CopyId,
        help: "copy the request id (OSC 52)",
        hint: Some("copy id"),
    },
    Binding {
        keys: &[key(KeyCode::Char('?'))],
        scope: Scope::OutsideText,
        command: Command::Help,
        help: "help",
        hint: None,
    },
    Binding {
        keys: &[key(KeyCode::Char('q'))],
        scope: Scope::OutsideText,
        command: Command::Quit,
        help: "quit (the draft is kept)",
        hint: None,
    },
];

/// The keys' labels joined, e.g. `Up/k`.
pub fn keys_label(binding: &Binding) -> String {
    binding.keys.iter().map(Key::label).collect::<Vec<_>>().join("/")
}

/// The first binding for `event` among those whose scope is active.
pub fn lookup(active: &[Scope], event: &KeyEvent) -> Option<&'static Binding> {
    BINDINGS
        .iter()
        .find(|b| active.contains(&b.scope) && b.keys.iter().any(|k| k.matches(event)))
}

/// The bindings shown in the hint line for the active scopes: the screen's own keys first,
/// then the ones that work everywhere. `offer_sign_in` adds the sign-in key: in the sandbox or
/// signed out it is the way to real data, once signed in it would only take room.
pub fn hints(active: &[Scope], offer_sign_in: bool) -> Vec<(String, &'static str)> {
    let global = |b: &Binding| matches!(b.scope, Scope::Anywhere | Scope::OutsideText);
    let local = BINDINGS.iter().filter(|b| !global(b));
    let everywhere = BINDINGS.iter().filter(|b| global(b));
    local
        .chain(everywhere)
        .filter(|b| active.contains(&b.scope))
        .filter(|b| offer_sign_in || b.command != Command::SignIn)
        .filter_map(|b| b.hint.map(|h| (keys_label(b), h)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn q_quits_only_outside_text_fields() {
        let q = ev(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(
            lookup(&[Scope::Anywhere, Scope::OutsideText], &q).map(|b| b.command),
            Some(Command::Quit)
        );
        assert!(lookup(&[Scope::Anywhere, Scope::Form], &q).is_none());
    }

    #[test]
    fn ctrl_keys_match_whatever_case_the_terminal_reports() {
        let s = ev(KeyCode::Char('S'), KeyModifiers::CONTROL | KeyModifiers::SHIFT);
        assert_eq!(
            lookup(&[Scope::Form], &s).map(|b| b.command),
            Some(Command::Submit)
        );
    }

    #[test]
    fn the_sign_in_hint_shows_only_when_offered() {
        let active = [Scope::Anywhere, Scope::OutsideText];
        let has_f2 = |offer| {
            hints(&active, offer)
                .iter()
                .any(|(k, h)| k == "F2" && *h == "sign in")
        };
        assert!(has_f2(true));
        assert!(!has_f2(false));
    }

    #[test]
    fn capital_g_and_small_g_are_different_keys() {
        let big = ev(KeyCode::Char('G'), KeyModifiers::SHIFT);
        let small = ev(KeyCode::Char('g'), KeyModifiers::NONE);
        assert_eq!(
            lookup(&[Scope::History], &big).map(|b| b.command),
            Some(Command::Last)
        );
        assert_eq!(
            lookup(&[Scope::History], &small).map(|b| b.command),
            Some(Command::First)
        );
    }

    #[test]
    fn labels_read_like_the_design_table() {
        assert_eq!(key(KeyCode::BackTab).label(), "Shift+Tab");
        assert_eq!(ctrl('e').label(), "Ctrl+E");
        let history_up = BINDINGS
            .iter()
            .find(|b| b.scope == Scope::History && b.command == Command::Up);
        assert_eq!(history_up.map(keys_label).as_deref(), Some("Up/k"));
    }
}
