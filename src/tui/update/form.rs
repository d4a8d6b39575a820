//! The request form's part of `update`: typing, severity, topic picking and submitting.

use crate::tui::action::Effect;
use crate::tui::state::message::Cause;
use crate::tui::state::topics::TopicsLoad;
use crate::tui::state::{Busy, DraftSync, FormField, NoticeKind, State};
use crate::worker::Job;

/// Validates the form and hands it to the worker, or shows what is missing.
pub(super) fn submit(state: &mut State, fx: &mut Vec<Effect>) {
    let mut request = state.form.request();
    let errors = state.form.validate();
    if let Some(first) = errors.first() {
        let field = FormField::of(first.field);
        state.form.errors = errors;
        state.form.set_focus(field);
        let text = fields_need_attention(state.form.errors.len());
        state.notify(text, NoticeKind::Error, Some(Cause::FormErrors));
        return;
    }
    if state.busy.is_some() {
        state.info("A submit is already in flight; its answer will show here");
        return;
    }
    // Azure needs a contact profile and a consent answer: asked for here when missing.
    if state.form.service.capabilities().contact_profile && !super::contact::complete(state, &mut request) {
        return;
    }
    state.form.errors.clear();
    state.form.submit_error = None;
    state.notice = None;
    state.busy = Some(Busy {
        what: "Submitting".into(),
        since: state.now,
        note: None,
        filed: false,
    });
    if state.draft.dirty {
        fx.push(Effect::Worker(Job::SaveDraft(state.form.draft())));
        state.draft = DraftSync::default();
    }
    let attachments = state.form.attachments.paths();
    for file in &mut state.form.attachments.files {
        file.sent = None;
    }
    let command = match &state.form.unsettled {
        // Same form after an unknown outcome: reuse the MS-RequestId so it cannot be filed twice.
        Some(u) if u.request == request => Job::Resend {
            local_id: u.local_id,
            request_id: u.request_id,
            request,
            attachments,
        },
        _ => Job::Submit { request, attachments },
    };
    fx.push(Effect::Worker(command));
}

fn fields_need_attention(count: usize) -> String {
    if count == 1 {
        "1 field needs attention before the request can be sent".to_string()
    } else {
        format!("{count} fields need attention before the request can be sent")
    }
}

/// Cycles the severity by `delta` among the choosable ones.
pub(super) fn step_severity(state: &mut State, delta: isize) {
    let all = state.form.severities();
    let next = match state.form.severity.and_then(|s| all.iter().position(|x| *x == s)) {
        Some(i) => all[(i as isize + delta).rem_euclid(all.len() as isize) as usize],
        None if delta > 0 => all[0],
        None => all[all.len() - 1],
    };
    state.form.severity = Some(next);
    changed(state, FormField::Severity);
}

/// Moves the topic highlight, which is then the chosen topic.
pub(super) fn step_topic(state: &mut State, delta: isize) {
    state.topics.shown_mut().step(delta);
    choose_highlighted(state);
}

/// Right (or Enter) on a first-level topic: its branch is listed; asked for when it has not
/// arrived (or failed). Returns whether there was one to open.
pub(super) fn open_branch(state: &mut State, fx: &mut Vec<Effect>) -> bool {
    let Some(parent) = state.topics.highlighted_parent().cloned() else {
        return false;
    };
    // Opening is looking: the choice changes when the user moves or picks in it.
    let missing = state.topics.open(&parent.id, state.form.topic_id.as_deref());
    if missing {
        state.topics.failed.remove(&parent.id);
        fx.push(Effect::Worker(Job::LoadBranch(parent)));
    }
    true
}

/// Left in an opened branch: back to the first level. Returns whether one was open.
pub(super) fn close_branch(state: &mut State) -> bool {
    if state.topics.browse.is_none() {
        return false;
    }
    state.topics.back();
    true
}

/// Asks the worker for the topic list again.
pub(super) fn retry_topics(state: &mut State, fx: &mut Vec<Effect>) {
    state.topics.load = TopicsLoad::Loading;
    fx.push(Effect::Worker(Job::LoadTopics));
}

/// Enter in the description: a line break where the cursor is.
pub(super) fn new_line(state: &mut State) {
    state.form.description.insert_newline();
    changed(state, FormField::Description);
}

/// The highlighted topic is the chosen one once the user has moved or typed in the picker.
pub(super) fn choose_highlighted(state: &mut State) {
    // A first-level topic (an Azure service) is opened, not chosen: the choice stays.
    if state.topics.highlighted_parent().is_some() {
        return;
    }
    let id = state.topics.highlighted_choice().map(|t| t.id.to_string());
    if state.form.topic_id != id {
        state.form.topic_id = id;
        changed(state, FormField::Topic);
    }
}

/// Marks the form changed: schedules the autosave and clears that field's stale errors.
pub(super) fn changed(state: &mut State, field: FormField) {
    if field == FormField::Title {
        state.topics.suggest_from(&state.form.title_text());
    }
    // The autosave clock starts at the first unsaved change, not the latest one, so steady
    // typing is still saved every DRAFT_DEBOUNCE and a crash loses at most that much.
    if !state.draft.dirty {
        state.draft = DraftSync {
            dirty: true,
            pending_since: None,
        };
    }
    let before = state.form.errors.len();
    state.form.errors.retain(|e| FormField::of(e.field) != field);
    // The count in the message line follows the fields still in error, and goes with the
    // last of them; another message on screen is left alone.
    let after = state.form.errors.len();
    let ours = matches!(state.notice_cause(), Some(Cause::FormErrors));
    if after != before && ours {
        if after == 0 {
            state.notice = None;
        } else {
            state.notify(
                fields_need_attention(after),
                NoticeKind::Error,
                Some(Cause::FormErrors),
            );
        }
    }
}
