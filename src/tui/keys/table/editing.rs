//! The text-box editing keys every text field shares (cursor moves, deletes, undo).

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use crate::tui::keys::{Binding, Key, KeyCommand, KeyScope, alt, ctrl, key, with};
use crate::tui::textbox::EditOp;

/// A text-box editing binding (listed in help, never in the hint line).
const fn edit(keys: &'static [Key], op: EditOp, help: &'static str) -> Binding {
    Binding {
        keys,
        scope: KeyScope::TextBox,
        command: KeyCommand::Edit(op),
        help,
        hint: None,
    }
}

/// Text-box editing keys, in dispatch order.
pub(super) const KEYS: &[Binding] = &[
    edit(
        &[key(KeyCode::Left)],
        EditOp::CharLeft,
        "cursor one character left",
    ),
    edit(
        &[key(KeyCode::Right)],
        EditOp::CharRight,
        "cursor one character right",
    ),
    edit(
        &[alt('b'), with(KeyCode::Left, KeyModifiers::CONTROL)],
        EditOp::WordLeft,
        "cursor one word left",
    ),
    edit(
        &[alt('f'), with(KeyCode::Right, KeyModifiers::CONTROL)],
        EditOp::WordRight,
        "cursor to the next word",
    ),
    edit(
        &[key(KeyCode::Home), ctrl('a')],
        EditOp::LineStart,
        "cursor to the start of the line",
    ),
    // Not Ctrl+E: that is the external editor in the Description, and a key should mean one
    // thing in every box.
    edit(
        &[key(KeyCode::End), alt('e')],
        EditOp::LineEnd,
        "cursor to the end of the line",
    ),
    edit(
        &[key(KeyCode::Backspace)],
        EditOp::DeleteBack,
        "delete the character before the cursor",
    ),
    edit(
        &[key(KeyCode::Delete)],
        EditOp::DeleteForward,
        "delete the character at the cursor",
    ),
    edit(
        &[ctrl('w'), with(KeyCode::Backspace, KeyModifiers::ALT)],
        EditOp::DeleteWordBack,
        "delete the word before the cursor",
    ),
    edit(
        &[alt('d')],
        EditOp::DeleteWordForward,
        "delete to the end of the word",
    ),
    edit(
        &[ctrl('u')],
        EditOp::DeleteToStart,
        "delete to the start of the line",
    ),
    edit(&[ctrl('k')], EditOp::DeleteToEnd, "delete to the end of the line"),
    edit(&[ctrl('z')], EditOp::Undo, "undo the last edit"),
    edit(&[ctrl('y')], EditOp::Redo, "redo"),
];
