//! A note being written for a request: the text box, and what became of its last send.
//!
//! A note is never lost: closing the box keeps it, a failed send keeps it, and a send whose
//! outcome is unknown keeps its MS-RequestId, so sending the same text again cannot add it twice
//! (the service applies one MS-RequestId once), and the user is asked before it goes again.

use tui_textarea::{TextArea, WrapMode};
use uuid::Uuid;

use crate::domain::Failure;
use crate::store::NoteDraft;
use crate::tui::state::Target;
use crate::tui::textbox::plain_cursor;

/// One note in the making.
#[derive(Debug, Clone)]
pub struct NoteBox {
    /// The request it is for.
    pub target: Target,
    /// The text box.
    pub text: TextArea<'static>,
    /// MS-RequestId for sending this text; a new one once the text changes after a send.
    pub request_id: Uuid,
    /// The text `request_id` was last sent with (`None`: never sent).
    pub sent_text: Option<String>,
    /// A send is in flight.
    pub sending: bool,
    /// Why the last send failed.
    pub error: Option<Failure>,
    /// The last send may have reached the service (its answer was lost).
    pub maybe_added: bool,
}

impl NoteBox {
    /// An empty note for `target`.
    pub fn new(target: Target) -> NoteBox {
        let mut text = TextArea::default();
        text.set_placeholder_text("Your note to support: what changed, what you need…");
        text.set_wrap_mode(WrapMode::WordOrGlyph);
        plain_cursor(&mut text);
        NoteBox {
            target,
            text,
            request_id: Uuid::new_v4(),
            sent_text: None,
            sending: false,
            error: None,
            maybe_added: false,
        }
    }

    /// The note as typed.
    pub fn body(&self) -> String {
        self.text.lines().join("\n")
    }

    /// Whether nothing but blanks was typed.
    pub fn is_blank(&self) -> bool {
        self.body().trim().is_empty()
    }

    /// Replaces the text (after the external editor).
    pub fn set_body(&mut self, body: &str) {
        let mut text = TextArea::new(body.split('\n').map(str::to_string).collect());
        text.set_placeholder_text(self.text.placeholder_text().to_string());
        text.set_wrap_mode(WrapMode::WordOrGlyph);
        text.move_cursor(tui_textarea::CursorMove::Bottom);
        text.move_cursor(tui_textarea::CursorMove::End);
        plain_cursor(&mut text);
        self.text = text;
    }

    /// The note as kept in the store.
    pub fn draft(&self) -> NoteDraft {
        NoteDraft {
            server_id: self.target.server_id.clone(),
            local_id: self.target.local_id,
            customer: self.target.customer.clone(),
            body: self.body(),
            request_id: self.request_id,
            sent_body: self.sent_text.clone(),
            maybe_added: self.maybe_added,
        }
    }

    /// A note kept from an earlier run.
    pub fn from_draft(draft: NoteDraft) -> NoteBox {
        let mut note = NoteBox::new(Target {
            local_id: draft.local_id,
            server_id: draft.server_id,
            customer: draft.customer,
        });
        note.set_body(&draft.body);
        note.request_id = draft.request_id;
        note.sent_text = draft.sent_body;
        note.maybe_added = draft.maybe_added;
        note
    }

    /// The MS-RequestId to send the current text with: the last one for the same text (a
    /// resend, applied once by the service), a new one for changed text.
    pub fn id_for_send(&mut self) -> Uuid {
        let body = self.body();
        if self.sent_text.as_deref() != Some(body.as_str()) {
            if self.sent_text.is_some() {
                self.request_id = Uuid::new_v4();
            }
            self.sent_text = Some(body);
            self.maybe_added = false;
        }
        self.request_id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_text_keeps_its_request_id_and_changed_text_gets_a_new_one() {
        let mut note = NoteBox::new(Target::default());
        note.set_body("first");
        let a = note.id_for_send();
        assert_eq!(note.id_for_send(), a, "a resend of the same text reuses the id");
        note.set_body("first, edited");
        assert_ne!(note.id_for_send(), a, "changed text is a different note");
        assert!(!NoteBox::new(Target::default()).id_for_send().is_nil());
    }

    #[test]
    fn a_kept_note_comes_back_with_its_request_id_and_doubt() {
        let mut note = NoteBox::new(Target {
            local_id: Some(4),
            server_id: "616".into(),
            customer: None,
        });
        note.set_body("line one\nline two");
        let id = note.id_for_send();
        note.maybe_added = true;
        let back = NoteBox::from_draft(note.draft());
        assert_eq!(back.body(), "line one\nline two");
        assert_eq!(back.request_id, id);
        assert!(back.maybe_added);
        assert_eq!(back.target, note.target);
    }

    #[test]
    fn blank_notes_are_recognised() {
        let mut note = NoteBox::new(Target::default());
        note.set_body("  \n ");
        assert!(note.is_blank());
        note.set_body("x");
        assert!(!note.is_blank());
    }
}
