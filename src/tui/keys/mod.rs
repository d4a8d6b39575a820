//! The one key table: `update` dispatches on it, the help overlay and the hint line are drawn
//! from it, so what the screen says and what the keys do cannot drift apart. `BINDINGS` is the
//! default; the [`Keymap`] built at start (defaults plus config.toml's `[keys]`) is what runs.

mod doc;
mod keymap;
mod names;
mod parse;
mod scopes;
mod table;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub use doc::{README_MARKERS, markdown_table};
pub use keymap::{Bound, Keymap, KeymapError, Override};
pub use parse::{KeyNameError, parse_key};
pub use scopes::{CONTEXTS, KeyScope, active_scopes, mode_scopes};
pub use table::BINDINGS;

use crate::tui::textbox::EditOp;

/// What a key does, independent of which key it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyCommand {
    /// Next form field.
    NextField,
    /// Previous form field.
    PrevField,
    /// Validate and submit the form.
    Submit,
    /// Keep the highlighted topic (the best match when none was moved to) and go on.
    PickTopic,
    /// Complete the path typed in the Attachments field (an empty box: the next field).
    CompletePath,
    /// Check the file at the path typed and add it to the attachments.
    AddAttachment,
    /// Remove the selected file from the attachments.
    RemoveAttachment,
    /// Close the request on the server (asks first).
    CloseRequest,
    /// Open the severity picker for the ticket on screen.
    ChangeSeverity,
    /// Change the ticket's severity to the highlighted one.
    ChooseSeverity,
    /// Answer yes to the question on screen.
    ConfirmYes,
    /// Answer no to the question on screen.
    ConfirmNo,
    /// A line break in the description.
    NewLine,
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
    /// An editing key in a text box (cursor moves, deletions, undo).
    Edit(EditOp),
    /// Keep the history filter as typed and go back to the list.
    KeepFilter,
    /// List the requests of the customer typed in the prompt.
    ApplyCustomer,
    /// Open the template picker.
    PickTemplate,
    /// Fill the form from the highlighted template.
    ChooseTemplate,
    /// Show or hide the recent messages in full.
    Messages,
    /// Open the sign-in page in the system's browser.
    OpenBrowser,
    /// Start the device-code sign-in.
    StartSignIn,
    /// Copy the sign-in code.
    CopyCode,
    /// Stop the sign-in in progress, back to the sign-in form.
    CancelSignIn,
    /// Switch the history between the local list and Partner Center's.
    SwitchSource,
    /// Set the customer whose requests the Partner Center list shows.
    CustomerScope,
    /// Open the note box for the request on screen.
    AddNote,
    /// Send the note in the note box.
    SendNote,
    /// Open the Azure contact profile screen.
    ContactProfile,
    /// Check the contact profile and write it to config.toml.
    SaveContact,
    /// Open the Azure subscription picker.
    PickSubscription,
    /// File and list under the highlighted subscription.
    ChooseSubscription,
    /// Switch the app to the other service, the form's text coming along.
    SwitchService,
    /// Close the overlay or go back.
    Back,
    /// Leave the app, keeping the draft.
    Quit,
}

/// One key combination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The key.
    pub code: KeyCode,
    /// Required modifiers (Shift is ignored for characters, which carry their own case).
    pub mods: KeyModifiers,
}

pub(crate) const fn key(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

pub(crate) const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

pub(crate) const fn alt(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::ALT,
    }
}

pub(crate) const fn with(code: KeyCode, mods: KeyModifiers) -> Key {
    Key { code, mods }
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

    /// How the key is written on screen, e.g. `Ctrl+S`, `Alt+X`, `Shift+↑`.
    pub fn label(&self) -> String {
        let name = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) if self.mods.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {
                c.to_ascii_uppercase().to_string()
            }
            KeyCode::Char(c) => c.to_string(),
            KeyCode::BackTab => "Shift+Tab".into(),
            KeyCode::F(n) => format!("F{n}"),
            // Arrows as glyphs: they fit the hint line and read the same in every locale.
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            other => format!("{other:?}"),
        };
        let mut out = String::new();
        for (flag, word) in [
            (KeyModifiers::CONTROL, "Ctrl+"),
            (KeyModifiers::ALT, "Alt+"),
            (KeyModifiers::SHIFT, "Shift+"),
        ] {
            if self.mods.contains(flag) {
                out.push_str(word);
            }
        }
        out.push_str(&name);
        out
    }
}

/// A row of the key table.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// The keys that trigger it.
    pub keys: &'static [Key],
    /// Where it applies.
    pub scope: KeyScope,
    /// What it does.
    pub command: KeyCommand,
    /// The help text.
    pub help: &'static str,
    /// Short form for the hint line; `None` keeps it out of the hint line.
    pub hint: Option<&'static str>,
}

/// The keys' labels joined, e.g. `↑/k`.
pub fn keys_label(binding: &Binding) -> String {
    binding.keys.iter().map(Key::label).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    fn lookup(active: &[KeyScope], event: &KeyEvent) -> Option<Bound> {
        Keymap::default().lookup(active, event).cloned()
    }

    fn hints(active: &[KeyScope], offer: bool) -> Vec<(String, &'static str)> {
        Keymap::default().hints(active, offer)
    }

    #[test]
    fn q_quits_only_outside_text_fields() {
        let q = ev(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(
            lookup(&[KeyScope::Anywhere, KeyScope::OutsideText], &q).map(|b| b.command),
            Some(KeyCommand::Quit)
        );
        assert!(lookup(&[KeyScope::Anywhere, KeyScope::Form], &q).is_none());
    }

    #[test]
    fn ctrl_keys_match_whatever_case_the_terminal_reports() {
        let s = ev(KeyCode::Char('S'), KeyModifiers::CONTROL | KeyModifiers::SHIFT);
        assert_eq!(
            lookup(&[KeyScope::Form], &s).map(|b| b.command),
            Some(KeyCommand::Submit)
        );
    }

    #[test]
    fn the_sign_in_hint_shows_only_when_offered() {
        let active = [KeyScope::Anywhere, KeyScope::OutsideText];
        let has_f2 = |offer| {
            hints(&active, offer)
                .iter()
                .any(|(k, h)| k == "F2" && *h == "sign in")
        };
        assert!(has_f2(true));
        assert!(!has_f2(false));
    }

    #[test]
    fn editing_keys_act_in_every_text_box_but_never_outside_one() {
        let ctrl_w = ev(KeyCode::Char('w'), KeyModifiers::CONTROL);
        let alt_b = ev(KeyCode::Char('b'), KeyModifiers::ALT);
        let text = [KeyScope::Anywhere, KeyScope::TextBox];
        assert_eq!(
            lookup(&text, &ctrl_w).map(|b| b.command),
            Some(KeyCommand::Edit(EditOp::DeleteWordBack))
        );
        assert_eq!(
            lookup(&text, &alt_b).map(|b| b.command),
            Some(KeyCommand::Edit(EditOp::WordLeft))
        );
        assert!(lookup(&[KeyScope::Anywhere, KeyScope::OutsideText], &ctrl_w).is_none());
    }

    #[test]
    fn no_key_is_bound_twice_where_both_bindings_can_be_active() {
        // The scopes that are active together while typing: a clash would hide one binding.
        let typing = [
            [KeyScope::Form, KeyScope::Title],
            [KeyScope::Form, KeyScope::Description],
            [KeyScope::Form, KeyScope::Topic],
            [KeyScope::SignInForm, KeyScope::SignInForm],
            [KeyScope::HistoryFilter, KeyScope::HistoryFilter],
            [KeyScope::CustomerPrompt, KeyScope::CustomerPrompt],
            [KeyScope::NoteBox, KeyScope::NoteBox],
            [KeyScope::TemplatePicker, KeyScope::TemplatePicker],
            [KeyScope::ContactForm, KeyScope::ContactForm],
            [KeyScope::SubscriptionPicker, KeyScope::SubscriptionPicker],
            [KeyScope::SeverityPicker, KeyScope::SeverityPicker],
        ];
        for extra in typing {
            let active = [KeyScope::Anywhere, KeyScope::TextBox, extra[0], extra[1]];
            let bound: Vec<(&Binding, Key)> = BINDINGS
                .iter()
                .filter(|b| active.contains(&b.scope))
                .flat_map(|b| b.keys.iter().map(move |k| (b, *k)))
                .collect();
            for (i, (a, ka)) in bound.iter().enumerate() {
                for (b, kb) in &bound[i + 1..] {
                    // Esc: the sign-in prompt's cancel is listed before the general back.
                    let same = ka == kb && ka.code != KeyCode::Esc;
                    assert!(
                        !same,
                        "{} bound to {:?} and {:?}",
                        ka.label(),
                        a.command,
                        b.command
                    );
                }
            }
        }
    }

    #[test]
    fn capital_g_and_small_g_are_different_keys() {
        let big = ev(KeyCode::Char('G'), KeyModifiers::SHIFT);
        let small = ev(KeyCode::Char('g'), KeyModifiers::NONE);
        assert_eq!(
            lookup(&[KeyScope::History], &big).map(|b| b.command),
            Some(KeyCommand::Last)
        );
        assert_eq!(
            lookup(&[KeyScope::History], &small).map(|b| b.command),
            Some(KeyCommand::First)
        );
    }

    #[test]
    fn labels_read_like_the_design_table() {
        assert_eq!(key(KeyCode::BackTab).label(), "Shift+Tab");
        assert_eq!(ctrl('e').label(), "Ctrl+E");
        assert_eq!(alt('b').label(), "Alt+B");
        assert_eq!(with(KeyCode::Left, KeyModifiers::CONTROL).label(), "Ctrl+←");
        let history_up = BINDINGS
            .iter()
            .find(|b| b.scope == KeyScope::History && b.command == KeyCommand::Up);
        assert_eq!(history_up.map(keys_label).as_deref(), Some("↑/k"));
    }
}
