//! Key names as written in config.toml (`ctrl+s`, `f1`, `shift+tab`, `G`) turned into [`Key`]s.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use super::Key;

/// Why a key name was refused; the text says what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{name}` is not a key pcsr-tui can use: {why}")]
pub struct KeyNameError {
    /// The name as written.
    pub name: String,
    /// What is wrong and what to write instead.
    pub why: String,
}

/// The named keys, lower case, as written in config.toml.
const NAMED: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("return", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("escape", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("space", KeyCode::Char(' ')),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("del", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pageup", KeyCode::PageUp),
    ("pgup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
    ("pgdn", KeyCode::PageDown),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
];

/// Function keys every terminal sends; higher ones exist on few keyboards and terminals.
const MAX_F: u8 = 12;

/// Parses `ctrl+s`, `alt+x`, `shift+tab`, `f2`, `pagedown`, `?`, `G` (Shift+g) and the like.
pub fn parse_key(name: &str) -> Result<Key, KeyNameError> {
    let fail = |why: &str| KeyNameError {
        name: name.to_string(),
        why: why.to_string(),
    };
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err(fail("it is empty; write a key such as \"ctrl+s\" or \"f5\""));
    }
    // A lone "+" is the plus key; otherwise "+" separates modifiers from the key.
    let (mod_part, key_part) = match trimmed.rsplit_once('+') {
        _ if trimmed == "+" => ("", "+"),
        Some((mods, "")) if !mods.is_empty() && !mods.ends_with('+') => {
            return Err(fail(
                "it ends with '+' and names no key; write e.g. \"ctrl+s\" (for the plus key: \"+\")",
            ));
        }
        Some((mods, "")) if mods.ends_with('+') => (mods.trim_end_matches('+'), "+"),
        Some((mods, key)) => (mods, key),
        None => ("", trimmed),
    };
    let mut mods = KeyModifiers::NONE;
    for m in mod_part.split('+').filter(|_| !mod_part.is_empty()) {
        let flag = match m.trim().to_ascii_lowercase().as_str() {
            "ctrl" | "control" => KeyModifiers::CONTROL,
            "alt" | "meta" => KeyModifiers::ALT,
            "shift" => KeyModifiers::SHIFT,
            "" => return Err(fail("it has an empty modifier (\"++\"); write e.g. \"ctrl+s\"")),
            other => {
                return Err(fail(&format!(
                    "`{other}` is not a modifier; use ctrl, alt or shift"
                )));
            }
        };
        if mods.contains(flag) {
            return Err(fail("a modifier is named twice"));
        }
        mods |= flag;
    }
    let lower = key_part.trim().to_ascii_lowercase();
    let code = if let Some((_, code)) = NAMED.iter().find(|(n, _)| *n == lower) {
        *code
    } else if let Some(n) = lower
        .strip_prefix('f')
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
    {
        match n.parse::<u8>() {
            Ok(n @ 1..=MAX_F) => KeyCode::F(n),
            _ => return Err(fail(&format!("function keys go from f1 to f{MAX_F}"))),
        }
    } else {
        let mut chars = key_part.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_control() && !c.is_whitespace() => KeyCode::Char(c),
            _ => {
                return Err(fail(
                    "it is neither one character nor a key name (enter, esc, tab, space, backspace, \
                     delete, insert, home, end, pageup, pagedown, up, down, left, right, f1-f12)",
                ));
            }
        }
    };
    normalize(code, mods).map_err(|why| fail(&why))
}

/// One spelling per key, the one `Key::matches` compares with: Shift+Tab is BackTab, Shift+g is
/// `G`, Ctrl+letters are lower case. Refuses what terminals cannot send apart.
fn normalize(code: KeyCode, mut mods: KeyModifiers) -> Result<Key, String> {
    let ctrl = mods.contains(KeyModifiers::CONTROL);
    let code = match code {
        KeyCode::Tab if mods.contains(KeyModifiers::SHIFT) => {
            mods -= KeyModifiers::SHIFT;
            KeyCode::BackTab
        }
        KeyCode::Char(c) if mods.contains(KeyModifiers::SHIFT) => {
            if ctrl {
                return Err(format!(
                    "terminals send Ctrl+Shift+{} as Ctrl+{0}; use \"ctrl+{}\" or another key",
                    c.to_ascii_uppercase(),
                    c.to_ascii_lowercase()
                ));
            }
            mods -= KeyModifiers::SHIFT;
            // Shifted characters carry their own case; for symbols write the symbol itself.
            if !c.is_alphabetic() {
                return Err(format!("write the shifted character itself instead of shift+{c}"));
            }
            KeyCode::Char(c.to_uppercase().next().unwrap_or(c))
        }
        KeyCode::Char(c) if ctrl => {
            let c = c.to_ascii_lowercase();
            match c {
                'i' => {
                    return Err("terminals send Ctrl+I as Tab; write \"tab\" or pick another letter".into());
                }
                'm' => {
                    return Err(
                        "terminals send Ctrl+M as Enter; write \"enter\" or pick another letter".into(),
                    );
                }
                'a'..='z' | ' ' => KeyCode::Char(c),
                _ => return Err(
                    "with ctrl, use a letter a-z or space: terminals send no other Ctrl+ characters reliably"
                        .into(),
                ),
            }
        }
        other => other,
    };
    Ok(Key { code, mods })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keys::{ctrl, key};

    fn ok(name: &str) -> Key {
        parse_key(name).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn why(name: &str) -> String {
        parse_key(name).expect_err(name).to_string()
    }

    #[test]
    fn names_read_as_keys() {
        assert_eq!(ok("ctrl+s"), ctrl('s'));
        assert_eq!(ok("Ctrl+G"), ctrl('g'));
        assert_eq!(ok("f1"), key(KeyCode::F(1)));
        assert_eq!(ok("shift+tab"), key(KeyCode::BackTab));
        assert_eq!(ok("G"), key(KeyCode::Char('G')));
        assert_eq!(ok("shift+g"), key(KeyCode::Char('G')));
        assert_eq!(ok("?"), key(KeyCode::Char('?')));
        assert_eq!(ok("+"), key(KeyCode::Char('+')));
        assert_eq!(ok("PageDown"), key(KeyCode::PageDown));
        assert_eq!(
            ok("alt+x"),
            Key {
                code: KeyCode::Char('x'),
                mods: KeyModifiers::ALT
            }
        );
    }

    #[test]
    fn malformed_names_say_what_to_write() {
        assert!(
            why("ctrl+shift+").contains("names no key"),
            "{}",
            why("ctrl+shift+")
        );
        assert!(why("f99").contains("f1 to f12"));
        assert!(why("f0").contains("f1 to f12"));
        assert!(why("hyper+x").contains("not a modifier"));
        assert!(why("ctrl+shift+s").contains("Ctrl+S"));
        assert!(why("ctrl+i").contains("Tab"));
        assert!(why("ctrl+1").contains("letter"));
        assert!(
            why("ctrl++").contains("letter"),
            "the plus key parses, Ctrl+plus is refused"
        );
        assert!(why("").contains("empty"));
        assert!(why("enterr").contains("neither"));
        assert!(why("ctrl+ctrl+s").contains("twice"));
    }
}
