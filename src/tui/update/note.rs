//! The note box's part of `update`: writing, sending through the worker, and keeping the note
//! whatever happens to the send.

use crate::text;
use crate::tui::action::Effect;
use crate::tui::keys::{KeyCommand, KeyScope};
use crate::tui::state::{Confirm, NoteBox, Screen, State, Target};
use crate::worker::{Job, NoteOutcome};

/// The note box for the request on the details screen, if one was started.
fn current(state: &mut State) -> Option<&mut NoteBox> {
    crate::tui::focus::current_note(state)
}

/// `n` on the details: opens the note box, with whatever was typed into it before.
pub(super) fn open(state: &mut State) {
    let Screen::Details(d) = &state.screen else { return };
    let Some(server_id) = d.server_id() else {
        state.error("This request was never created on the server, so it cannot take a note");
        return;
    };
    let target = Target {
        local_id: d.local_id.or(d.submission.as_ref().map(|s| s.local_id)),
        server_id,
        customer: d.customer.clone(),
    };
    if !state.notes.iter().any(|n| n.target.server_id == target.server_id) {
        state.notes.push(NoteBox::new(target));
    }
    state.writing_note = true;
}

/// Esc in the note box: closes it; the text stays for the next `n`, in this run and the next.
pub(super) fn close_box(state: &mut State, fx: &mut Vec<Effect>) {
    state.writing_note = false;
    let Some(note) = current(state) else { return };
    let kept = !note.is_blank();
    fx.push(Effect::Worker(if kept {
        Job::KeepNote(note.draft())
    } else {
        Job::DropNote(note.target.server_id.clone())
    }));
    if kept {
        state.info(format!(
            "Your note is kept: {} opens it again",
            state.keys.label(KeyCommand::AddNote, KeyScope::Details)
        ));
    }
}

/// The text back from `$EDITOR`.
pub(super) fn edited(state: &mut State, body: &str) {
    if let Some(note) = current(state) {
        note.set_body(body.strip_suffix('\n').unwrap_or(body));
        state.info("Note updated from the editor");
    }
}

/// The note's text, for `$EDITOR`.
pub(super) fn body(state: &mut State) -> Option<String> {
    current(state).map(|n| n.body())
}

/// Ctrl+S: sends the note; one whose last send may have reached the service is asked about.
pub(super) fn send(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(note) = current(state) else { return };
    if note.sending {
        return;
    }
    if note.is_blank() {
        state.error("The note is empty: write something first (Esc closes the box)");
        return;
    }
    if note.maybe_added {
        // The last answer was lost: the note may be there already, so the user decides.
        state.confirm = Some(Confirm::ResendNote(note.target.clone()));
        return;
    }
    go(state, fx);
}

/// Sends the note of the details' request (after any question was answered yes).
pub(super) fn go(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(note) = current(state) else { return };
    let request_id = note.id_for_send();
    note.sending = true;
    note.error = None;
    let (target, text) = (note.target.clone(), note.body());
    let id = text::one_line(&target.server_id);
    fx.push(Effect::Worker(Job::AddNote {
        target,
        text,
        request_id,
    }));
    state.info(format!("Adding your note to {id}…"));
}

/// The worker's answer to a note.
pub(super) fn on_added(
    state: &mut State,
    target: Target,
    request_id: uuid::Uuid,
    outcome: NoteOutcome,
    fx: &mut Vec<Effect>,
) {
    let Some(i) = state
        .notes
        .iter()
        .position(|n| n.target.server_id == target.server_id && n.request_id == request_id)
    else {
        return;
    };
    let id = text::one_line(&target.server_id);
    match outcome {
        Ok(sr) => {
            state.notes.remove(i);
            fx.push(Effect::Worker(Job::DropNote(target.server_id.clone())));
            if let Screen::Details(d) = &mut state.screen
                && d.shows(target.local_id, Some(&target.server_id))
            {
                d.fresh = Some(sr);
                // The new note is the last one: show the end of the conversation.
                d.scroll = u16::MAX;
                state.writing_note = false;
            }
            state.info(format!("Note added to {id}"));
        }
        Err((error, maybe_added)) => {
            let note = &mut state.notes[i];
            note.sending = false;
            note.maybe_added = maybe_added;
            let send = state.keys.label(KeyCommand::SendNote, KeyScope::NoteBox);
            let msg = if maybe_added {
                format!(
                    "Your note is kept; the answer was lost, so it may have been added to {id}. {send} asks before sending it again ({})",
                    error.summary
                )
            } else {
                format!(
                    "Your note is kept, not sent: {}. {}. {send} sends it again",
                    error.summary,
                    crate::tui::error_view::remedy_text(&error.remedy, &state.keys)
                )
            };
            note.error = Some(error);
            fx.push(Effect::Worker(Job::KeepNote(note.draft())));
            state.error(msg);
        }
    }
}

/// Notes kept from an earlier run come back, ready for `n` on their request.
pub(super) fn restore(state: &mut State, kept: Vec<crate::store::NoteDraft>) {
    let mut restored = 0;
    for draft in kept {
        if !state.notes.iter().any(|n| n.target.server_id == draft.server_id) {
            state.notes.push(NoteBox::from_draft(draft));
            restored += 1;
        }
    }
    if restored > 0 {
        state.info(format!(
            "{restored} unsent note{} kept from last time: open the request and press {}",
            if restored == 1 { "" } else { "s" },
            state.keys.label(KeyCommand::AddNote, KeyScope::Details)
        ));
    }
}

/// Quitting: every note with text is kept for the next run.
pub(super) fn keep_all(state: &State, fx: &mut Vec<Effect>) {
    for note in state.notes.iter().filter(|n| !n.is_blank()) {
        fx.push(Effect::Worker(Job::KeepNote(note.draft())));
    }
}
