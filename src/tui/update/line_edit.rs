//! Editing a one-line text that is a plain `String` (the customer prompt): typing, Backspace,
//! Ctrl+U (clear) and Ctrl+W (delete a word back), Enter to apply.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key did to the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Outcome {
    /// The text changed (or the key was an edit with nothing to do).
    Edited,
    /// Enter: apply the text.
    Enter,
    /// Not an editing key.
    Ignored,
}

/// Applies one key to `text`.
pub(super) fn apply(text: &mut String, key: KeyEvent) -> Outcome {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Enter => return Outcome::Enter,
        KeyCode::Backspace => {
            text.pop();
        }
        KeyCode::Char('u') if ctrl => text.clear(),
        KeyCode::Char('w') if ctrl => {
            let kept = text.trim_end().len();
            text.truncate(kept);
            let cut = text.rfind(char::is_whitespace).map_or(0, |i| i + 1);
            text.truncate(cut);
        }
        KeyCode::Char(c)
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            text.push(c)
        }
        _ => return Outcome::Ignored,
    }
    Outcome::Edited
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn typing_and_the_readline_deletes() {
        let mut text = String::new();
        for c in "abc def".chars() {
            apply(&mut text, key(KeyCode::Char(c), KeyModifiers::NONE));
        }
        assert_eq!(text, "abc def");
        apply(&mut text, key(KeyCode::Char('w'), KeyModifiers::CONTROL));
        assert_eq!(text, "abc ");
        apply(&mut text, key(KeyCode::Backspace, KeyModifiers::NONE));
        assert_eq!(text, "abc");
        apply(&mut text, key(KeyCode::Char('u'), KeyModifiers::CONTROL));
        assert_eq!(text, "");
        assert_eq!(
            apply(&mut text, key(KeyCode::Enter, KeyModifiers::NONE)),
            Outcome::Enter
        );
        assert_eq!(
            apply(&mut text, key(KeyCode::F(5), KeyModifiers::NONE)),
            Outcome::Ignored
        );
    }
}
