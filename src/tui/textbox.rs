//! The editing keys every text box shares (Title, Description, the filters, the tenant, notes).
//!
//! One helper for all of them, so a box behaves the same wherever it is and a new
//! tui-textarea box gets the keys by calling [`apply`]. The key table maps keys to [`EditOp`]s
//! (scope `TextBox`), so the help overlay lists them; tui-textarea's own shortcuts are never used
//! (they hid an undo behind Ctrl+U and a newline behind Ctrl+J).

use tui_textarea::{CursorMove, TextArea};

use crate::text;

/// One editing command, readline style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditOp {
    /// One character left.
    CharLeft,
    /// One character right.
    CharRight,
    /// To the start of the previous word.
    WordLeft,
    /// To the start of the next word.
    WordRight,
    /// To the start of the line.
    LineStart,
    /// To the end of the line.
    LineEnd,
    /// One line up (multi-line boxes).
    LineUp,
    /// One line down (multi-line boxes).
    LineDown,
    /// Delete the character before the cursor.
    DeleteBack,
    /// Delete the character under the cursor.
    DeleteForward,
    /// Delete the word before the cursor.
    DeleteWordBack,
    /// Delete from the cursor to the end of the word.
    DeleteWordForward,
    /// Delete from the start of the line to the cursor.
    DeleteToStart,
    /// Delete from the cursor to the end of the line.
    DeleteToEnd,
    /// Undo the last edit.
    Undo,
    /// Redo what was undone.
    Redo,
}

/// Applies `op` to `area`; true when the text changed (not only the cursor).
pub fn apply(area: &mut TextArea<'static>, op: EditOp) -> bool {
    let before = area.lines().to_vec();
    let moved = |area: &mut TextArea<'static>, m: CursorMove| {
        area.move_cursor(m);
        false
    };
    let edited = match op {
        EditOp::CharLeft => moved(area, CursorMove::Back),
        EditOp::CharRight => moved(area, CursorMove::Forward),
        EditOp::WordLeft => moved(area, CursorMove::WordBack),
        EditOp::WordRight => moved(area, CursorMove::WordForward),
        EditOp::LineStart => moved(area, CursorMove::Head),
        EditOp::LineEnd => moved(area, CursorMove::End),
        EditOp::LineUp => moved(area, CursorMove::Up),
        EditOp::LineDown => moved(area, CursorMove::Down),
        EditOp::DeleteBack => area.delete_char(),
        EditOp::DeleteForward => area.delete_next_char(),
        EditOp::DeleteWordBack => area.delete_word(),
        EditOp::DeleteWordForward => area.delete_next_word(),
        EditOp::DeleteToStart => {
            // At the start of a line readline does nothing; tui-textarea would join the lines.
            area.cursor().1 > 0 && area.delete_line_by_head()
        }
        EditOp::DeleteToEnd => {
            let tui_textarea::DataCursor(row, col) = area.cursor();
            let len = area.lines().get(row).map_or(0, |l| l.chars().count());
            col < len && area.delete_line_by_end()
        }
        EditOp::Undo => area.undo(),
        EditOp::Redo => area.redo(),
    };
    // Undo of a cursor-only step reports a change; what counts is whether the text differs.
    edited && area.lines() != before.as_slice()
}

/// Types one character at the cursor.
pub fn insert(area: &mut TextArea<'static>, c: char) {
    area.insert_char(c);
}

/// A single-line text box (filters, the tenant): a tui-textarea that compares by its text and
/// cursor, so the state holding it stays plain, comparable data.
#[derive(Debug, Clone)]
pub struct LineBox(TextArea<'static>);

impl Default for LineBox {
    fn default() -> Self {
        LineBox::new("")
    }
}

impl LineBox {
    /// A box holding `text`, the cursor at its end.
    pub fn new(text: &str) -> LineBox {
        let mut area = TextArea::new(vec![text::one_line(text)]);
        area.move_cursor(CursorMove::End);
        plain_cursor(&mut area);
        LineBox(area)
    }

    /// The text as typed.
    pub fn text(&self) -> &str {
        self.0.lines().first().map_or("", String::as_str)
    }

    /// Whether nothing is typed.
    pub fn is_empty(&self) -> bool {
        self.text().is_empty()
    }

    /// Replaces the text (the cursor goes to its end; undo can bring the old text back).
    pub fn set_text(&mut self, text: &str) {
        self.0.move_cursor(CursorMove::Head);
        self.0.delete_line_by_end();
        self.0.insert_str(text::one_line(text));
    }

    /// Inserts pasted text at the cursor, on one line.
    pub fn paste(&mut self, pasted: &str) {
        self.0.insert_str(text::one_line(pasted));
    }

    /// The editor inside, for [`apply`] and for drawing.
    pub fn area(&self) -> &TextArea<'static> {
        &self.0
    }

    /// The editor inside, to edit.
    pub fn area_mut(&mut self) -> &mut TextArea<'static> {
        &mut self.0
    }
}

impl PartialEq for LineBox {
    fn eq(&self, other: &LineBox) -> bool {
        self.text() == other.text() && self.0.cursor() == other.0.cursor()
    }
}

impl Eq for LineBox {}

impl PartialEq<&str> for LineBox {
    fn eq(&self, other: &&str) -> bool {
        self.text() == *other
    }
}

/// No drawn cursor cell: the terminal's own cursor sits on the focused box (screen readers and
/// magnifiers follow it), and a reversed cell under it would hide it on some terminals.
pub fn plain_cursor(area: &mut TextArea<'static>) {
    let plain = ratatui::style::Style::default();
    area.set_cursor_style(plain);
    area.set_cursor_line_style(plain);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A box with `text`, the cursor at `col`.
    fn at(text: &str, col: u16) -> TextArea<'static> {
        let mut a = TextArea::new(text.split('\n').map(str::to_string).collect());
        a.move_cursor(CursorMove::Jump(0, col));
        a
    }

    fn col(a: &TextArea<'static>) -> usize {
        a.cursor().1
    }

    fn text(a: &TextArea<'static>) -> String {
        a.lines().join("\n")
    }

    #[test]
    fn left_and_right_move_one_character() {
        let mut a = at("abc", 1);
        assert!(!apply(&mut a, EditOp::CharRight));
        assert_eq!(col(&a), 2);
        apply(&mut a, EditOp::CharLeft);
        apply(&mut a, EditOp::CharLeft);
        assert_eq!(col(&a), 0);
        apply(&mut a, EditOp::CharLeft);
        assert_eq!(col(&a), 0, "stops at the start");
    }

    #[test]
    fn word_moves_go_by_words() {
        let mut a = at("open billing page", 17);
        apply(&mut a, EditOp::WordLeft);
        assert_eq!(col(&a), 13);
        apply(&mut a, EditOp::WordLeft);
        assert_eq!(col(&a), 5);
        apply(&mut a, EditOp::WordRight);
        assert_eq!(col(&a), 13);
    }

    #[test]
    fn home_and_end_reach_the_line_ends() {
        let mut a = at("abc def", 3);
        apply(&mut a, EditOp::LineEnd);
        assert_eq!(col(&a), 7);
        apply(&mut a, EditOp::LineStart);
        assert_eq!(col(&a), 0);
    }

    #[test]
    fn line_up_and_down_move_between_lines() {
        let mut a = at("one\ntwo", 2);
        apply(&mut a, EditOp::LineDown);
        assert_eq!(a.cursor(), (1, 2));
        apply(&mut a, EditOp::LineUp);
        assert_eq!(a.cursor(), (0, 2));
    }

    #[test]
    fn backspace_and_delete_remove_one_character() {
        let mut a = at("abcd", 2);
        assert!(apply(&mut a, EditOp::DeleteBack));
        assert_eq!(text(&a), "acd");
        assert!(apply(&mut a, EditOp::DeleteForward));
        assert_eq!(text(&a), "ad");
        let mut start = at("ad", 0);
        assert!(
            !apply(&mut start, EditOp::DeleteBack),
            "nothing before the cursor"
        );
    }

    #[test]
    fn ctrl_w_and_alt_d_delete_words() {
        let mut a = at("open billing page", 12);
        assert!(apply(&mut a, EditOp::DeleteWordBack));
        assert_eq!(text(&a), "open  page");
        assert_eq!(col(&a), 5);
        assert!(apply(&mut a, EditOp::DeleteWordForward));
        assert_eq!(text(&a), "open ");
    }

    #[test]
    fn ctrl_u_deletes_to_the_line_start_and_ctrl_k_to_its_end() {
        let mut a = at("contoso.com", 7);
        assert!(apply(&mut a, EditOp::DeleteToStart));
        assert_eq!(text(&a), ".com");
        assert_eq!(col(&a), 0);
        assert!(
            !apply(&mut a, EditOp::DeleteToStart),
            "nothing left of the cursor"
        );
        apply(&mut a, EditOp::CharRight);
        assert!(apply(&mut a, EditOp::DeleteToEnd));
        assert_eq!(text(&a), ".");
        assert!(!apply(&mut a, EditOp::DeleteToEnd), "nothing right of the cursor");
    }

    #[test]
    fn ctrl_u_at_a_line_start_does_not_join_lines() {
        let mut a = at("one\ntwo", 0);
        a.move_cursor(CursorMove::Down);
        a.move_cursor(CursorMove::Head);
        assert!(!apply(&mut a, EditOp::DeleteToStart));
        assert_eq!(text(&a), "one\ntwo");
    }

    #[test]
    fn undo_and_redo_step_through_edits() {
        let mut a = at("", 0);
        for c in "abc".chars() {
            insert(&mut a, c);
        }
        apply(&mut a, EditOp::DeleteWordBack);
        assert_eq!(text(&a), "");
        assert!(apply(&mut a, EditOp::Undo));
        assert_eq!(text(&a), "abc");
        assert!(apply(&mut a, EditOp::Redo));
        assert_eq!(text(&a), "");
        assert!(!apply(&mut a, EditOp::Redo), "nothing more to redo");
    }

    #[test]
    fn a_line_box_keeps_one_line_and_compares_by_text() {
        let mut b = LineBox::new("two\nlines");
        assert_eq!(b.text(), "two lines");
        b.paste("a\nb");
        assert_eq!(b, "two linesa b");
        b.set_text("x");
        assert_eq!(b.text(), "x");
        assert!(apply(b.area_mut(), EditOp::Undo));
        assert_ne!(b.text(), "x", "setting the text can be undone");
        assert_eq!(LineBox::new("q"), LineBox::new("q"));
    }
}
