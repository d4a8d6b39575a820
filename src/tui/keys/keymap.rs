//! The live key map: the default table with config.toml's `[keys]` overrides applied and checked
//! for clashes. Dispatch, the help overlay, the hint line and every label read this one value,
//! so a remapped key shows as remapped everywhere.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::parse::parse_key;
use super::scopes::{overlap, takes_text};
use super::{BINDINGS, Key, KeyCommand, KeyScope};
use crate::config::{ConfigError, UserConfig};

/// One row of the live map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    /// The keys that trigger it (none when an override moved them all to a sibling row).
    pub keys: Vec<Key>,
    /// Where it applies.
    pub scope: KeyScope,
    /// What it does.
    pub command: KeyCommand,
    /// The help text.
    pub help: &'static str,
    /// Short form for the hint line; `None` keeps it out of the hint line.
    pub hint: Option<&'static str>,
}

impl Bound {
    /// The keys' labels joined, e.g. `↑/k`.
    pub fn keys_label(&self) -> String {
        self.keys.iter().map(Key::label).collect::<Vec<_>>().join("/")
    }
}

/// Rows an override leaves alone: Enter on the Submit button or in the one-line Title is how
/// that field works, not a shortcut to move.
const FIXED: &[(KeyCommand, KeyScope)] = &[
    (KeyCommand::Submit, KeyScope::SubmitButton),
    (KeyCommand::NextField, KeyScope::Title),
];

pub use crate::config::KeyEntry as Override;

/// Why `[keys]` cannot be used; the message says what to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct KeymapError {
    /// The line in config.toml (1-based).
    pub line: usize,
    /// What is wrong and what to do.
    pub message: String,
}

/// The keys in force: plain data, built once at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    bindings: Vec<Bound>,
}

impl Default for Keymap {
    fn default() -> Self {
        let bindings = BINDINGS
            .iter()
            .map(|b| Bound {
                keys: b.keys.to_vec(),
                scope: b.scope,
                command: b.command,
                help: b.help,
                hint: b.hint,
            })
            .collect();
        Keymap { bindings }
    }
}

/// A character typed without Ctrl or Alt: in a text field it is text.
fn plain_char(key: &Key) -> bool {
    matches!(key.code, KeyCode::Char(_)) && (key.mods - KeyModifiers::SHIFT).is_empty()
}

impl Keymap {
    /// The key table config.toml asks for; a `[keys]` line it refuses is a config error
    /// naming the file and the line.
    pub fn from_config(config: &UserConfig) -> Result<Keymap, ConfigError> {
        Keymap::with_overrides(&config.keys)
            .map_err(|e| config.error_at(e.line, format!("[keys]: {}", e.message)))
    }

    /// The default table with `overrides` applied; refuses unknown commands, malformed keys,
    /// plain characters where they would type, and keys that would do two things at once.
    pub fn with_overrides(overrides: &[Override]) -> Result<Keymap, KeymapError> {
        let mut map = Keymap::default();
        if overrides.is_empty() {
            // The default table's own layering is by design (below), and checking it is most
            // of a start's work before the first frame.
            return Ok(map);
        }
        let defaults = map.clashes();
        let mut lines: Vec<(KeyCommand, usize)> = Vec::new();
        for o in overrides {
            let command = KeyCommand::from_name(o.command.trim()).ok_or_else(|| KeymapError {
                line: o.line,
                message: format!(
                    "`{}` is not a command; [keys] takes these names: {}",
                    o.command,
                    KeyCommand::names().join(", ")
                ),
            })?;
            let mut keys = Vec::new();
            for name in &o.keys {
                let key = parse_key(name).map_err(|e| KeymapError {
                    line: o.line,
                    message: format!("{e} (in `{}`)", o.command),
                })?;
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
            if keys.is_empty() {
                return Err(KeymapError {
                    line: o.line,
                    message: format!(
                        "`{}` has no key; give one (\"ctrl+g\") or a list ([\"ctrl+g\", \"f5\"]), or remove the line",
                        o.command
                    ),
                });
            }
            map.set(command, &keys).map_err(|message| KeymapError {
                line: o.line,
                message,
            })?;
            lines.push((command, o.line));
        }
        let line_of = |c: KeyCommand| lines.iter().find(|(k, _)| *k == c).map(|(_, l)| *l);
        for (i, j, key) in map.clashes() {
            if defaults.contains(&(i, j, key)) {
                // The default table layers these on purpose (Esc answers "no" to a question).
                continue;
            }
            let (a, b) = (&map.bindings[i], &map.bindings[j]);
            let line = line_of(a.command).max(line_of(b.command)).unwrap_or(0);
            return Err(KeymapError {
                line,
                message: format!(
                    "{} would do two things: `{}` ({}) and `{}` ({}); give one of them another key in [keys]",
                    key.label(),
                    a.command.name(),
                    a.scope.label(),
                    b.command.name(),
                    b.scope.label()
                ),
            });
        }
        Ok(map)
    }

    /// Gives `command` these keys in every place it is bound (except [`FIXED`] rows). Plain
    /// characters never go where text is typed (they would type, not act): where the command
    /// has a row for everywhere and one for outside text fields (quit, help) they go to the
    /// latter; in other text places (the Topic filter) they are left out. A plain character no
    /// row can take is refused.
    fn set(&mut self, command: KeyCommand, keys: &[Key]) -> Result<(), String> {
        let rows: Vec<usize> = (0..self.bindings.len())
            .filter(|&i| self.bindings[i].command == command)
            .filter(|&i| !FIXED.contains(&(command, self.bindings[i].scope)))
            .collect();
        let has = |scope| rows.iter().any(|&i| self.bindings[i].scope == scope);
        let split = has(KeyScope::Anywhere) && has(KeyScope::OutsideText);
        let mut text_scope = None;
        for &i in &rows {
            let scope = self.bindings[i].scope;
            let mine: Vec<Key> = keys
                .iter()
                .filter(|k| !split || (scope == KeyScope::OutsideText) == plain_char(k))
                .filter(|k| {
                    let types = plain_char(k) && takes_text(scope);
                    if types {
                        text_scope = Some(scope);
                    }
                    !types
                })
                .copied()
                .collect();
            self.bindings[i].keys = mine;
        }
        let taken = |k: &Key| rows.iter().any(|&i| self.bindings[i].keys.contains(k));
        if let Some(k) = keys.iter().find(|k| !taken(k)) {
            let scope = text_scope.map_or("a text field", KeyScope::label);
            let letter = match k.code {
                KeyCode::Char(c) => c.to_ascii_lowercase(),
                _ => 'g',
            };
            return Err(format!(
                "`{}` for `{}` is a plain character, and `{}` works while typing ({scope}), where \
                 it would type instead; add a modifier, e.g. \"ctrl+{letter}\"",
                k.label(),
                command.name(),
                command.name(),
            ));
        }
        Ok(())
    }

    /// Pairs of rows (by index) that share a key in scopes active at the same time.
    fn clashes(&self) -> Vec<(usize, usize, Key)> {
        let mut out = Vec::new();
        for (i, a) in self.bindings.iter().enumerate() {
            for (j, b) in self.bindings.iter().enumerate().skip(i + 1) {
                // Most pairs share no key: a few compares, where the scope test scans every
                // context, so it goes first.
                let mut shared = a.keys.iter().filter(|k| b.keys.contains(k)).peekable();
                if shared.peek().is_none() || a.command == b.command || !overlap(a.scope, b.scope) {
                    continue;
                }
                out.extend(shared.map(|k| (i, j, *k)));
            }
        }
        out
    }

    /// Every row, in dispatch order.
    pub fn bindings(&self) -> &[Bound] {
        &self.bindings
    }

    /// The first row for `event` among those whose scope is active.
    pub fn lookup(&self, active: &[KeyScope], event: &KeyEvent) -> Option<&Bound> {
        self.bindings
            .iter()
            .find(|b| active.contains(&b.scope) && b.keys.iter().any(|k| k.matches(event)))
    }

    /// The row for `command` in `scope` if it has keys, else any row of `command` that has.
    fn row(&self, command: KeyCommand, scope: KeyScope) -> Option<&Bound> {
        let with_keys = |b: &&Bound| b.command == command && !b.keys.is_empty();
        self.bindings
            .iter()
            .filter(with_keys)
            .find(|b| b.scope == scope)
            .or_else(|| self.bindings.iter().find(with_keys))
    }

    /// How the keys of `command` in `scope` are written, e.g. `Ctrl+S` (all of them: `↑/k`).
    /// Views ask this instead of spelling key names, so a remapped key shows as remapped.
    pub fn label(&self, command: KeyCommand, scope: KeyScope) -> String {
        self.row(command, scope)
            .map(Bound::keys_label)
            .unwrap_or_default()
    }

    /// How the first key of `command` in `scope` is written, e.g. `←` (not `←/↑`).
    pub fn first_label(&self, command: KeyCommand, scope: KeyScope) -> String {
        self.row(command, scope)
            .and_then(|b| b.keys.first())
            .map(Key::label)
            .unwrap_or_default()
    }

    /// The hint line's entries for the active scopes: the screen's own keys first, then the
    /// ones that work everywhere. `offer_sign_in` adds the sign-in key: in the sandbox or signed
    /// out it is the way to real data, once signed in it would only take room.
    pub fn hints(&self, active: &[KeyScope], offer_sign_in: bool) -> Vec<(String, &'static str)> {
        let global = |b: &&Bound| matches!(b.scope, KeyScope::Anywhere | KeyScope::OutsideText);
        // A binding whose every key an earlier active one takes never runs here (the
        // Attachments field's Tab completes, so the form's "next field" is not offered).
        let shadowed = |b: &Bound| {
            let earlier = self
                .bindings
                .iter()
                .take_while(|e| !std::ptr::eq(*e, b))
                .filter(|e| active.contains(&e.scope));
            b.keys.iter().all(|k| earlier.clone().any(|e| e.keys.contains(k)))
        };
        let local = self.bindings.iter().filter(|b| !global(b));
        let everywhere = self.bindings.iter().filter(global);
        local
            .chain(everywhere)
            .filter(|b| active.contains(&b.scope) && !b.keys.is_empty() && !shadowed(b))
            .filter(|b| offer_sign_in || b.command != KeyCommand::SignIn)
            .filter_map(|b| b.hint.map(|h| (b.keys_label(), h)))
            .collect()
    }
}

#[cfg(test)]
mod tests;
