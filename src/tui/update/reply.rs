//! The worker's answers, applied to the state.

use crate::domain::ClientEvent;
use crate::domain::Failure;
use crate::domain::{Ticket, TicketRow};
use crate::store::Draft;
use crate::text;
use crate::tui::action::Effect;
use crate::tui::state::topics::TopicsLoad;
use crate::tui::state::{BusyNote, DraftSync, Form, ResultView, Screen, Source, State, Target, Unsettled};
use crate::worker::{Job, Reply};

use super::{history, note, requests, signin, subscriptions};

/// Applies one worker answer.
pub(super) fn on_reply(state: &mut State, reply: Reply, fx: &mut Vec<Effect>) {
    match reply {
        Reply::Draft(Some(draft)) if state.form.is_empty() && draft != Draft::default() => {
            let focus = state.form.focus;
            let preset = state.form.preset;
            state.form = Form::from_draft(&draft, state.header.service).with_preset(preset);
            state.form.set_focus(focus);
            state.topics.suggest_from(&state.form.title_text());
            state.topics.highlight_id(draft.topic_id.as_deref());
            state.info("Restored your unsent draft");
        }
        Reply::Draft(_) => {}
        Reply::Subscriptions(outcome) => subscriptions::loaded(state, outcome),
        Reply::Topics { topics, cached } => {
            let chosen = state.form.topic_id.clone();
            if state.form.service.capabilities().topic_levels > 1 {
                state.topics.set_parents(topics, chosen.as_deref());
            } else {
                state.topics.set_all(topics, chosen.as_deref());
            }
            state.topics.load = if cached {
                TopicsLoad::Refreshing
            } else {
                TopicsLoad::Ready
            };
        }
        Reply::Branch {
            parent_id,
            topics,
            cached: _,
        } => {
            let chosen = state.form.topic_id.clone();
            let pending = state.topics.branches_pending().is_some();
            state.topics.add_branch(&parent_id, topics, chosen.as_deref());
            if pending && state.topics.branches_pending().is_none() {
                // The last branch: the catalogue is held for the rest of the run, so its
                // buffers are cut to size and what the loading freed goes back.
                state.topics.compact();
                fx.push(Effect::Worker(Job::ReleaseMemory));
            }
        }
        Reply::BranchFailed { parent_id, failure } => {
            // The others still load; the field counts it, opening the service asks again.
            tracing::debug!(parent = %parent_id, error = %failure.summary, "a branch of the catalogue did not load");
            state.topics.branch_failed(&parent_id, failure.summary);
        }
        Reply::TopicsFailed(e) => {
            let mut why = e.summary.clone();
            if let Some(d) = &e.description {
                why.push_str(": ");
                why.push_str(&text::one_line(d));
            }
            state.topics.load = TopicsLoad::Failed(format!(
                "{why}. {}",
                crate::tui::error_view::remedy_text(&e.remedy, &state.keys)
            ));
        }
        Reply::Submitted {
            local_id: _,
            request_id,
            request,
            attachments,
            response,
            upload_failed,
        } => {
            state.busy = None;
            let topic_name = state
                .topic_name(&request.topic_id)
                .or_else(|| response.topic.name.clone());
            // The number people quote, where the service has one apart from its id.
            let (what, id) = match &response.number {
                Some(number) => ("Ticket", number.clone()),
                None => ("Request", response.id.clone().unwrap_or_default()),
            };
            clear_form_if_sent(state, &request, &attachments);
            state.topics.set_filter(String::new());
            super::show(
                state,
                Screen::Result(Box::new(ResultView {
                    request: response,
                    request_id,
                    topic_name,
                    clock: Some(crate::dates::WallClock::now()),
                    upload_failed: upload_failed.clone(),
                })),
            );
            match upload_failed {
                Some(failed) => state.error(format!(
                    "{what} {} created, but {} was not uploaded: `{}` uploads it",
                    text::one_line(&id),
                    text::one_line(&failed.name),
                    failed.command
                )),
                None => state.info(format!("{what} {} created", text::one_line(&id))),
            }
        }
        Reply::Uploading { path, sent, total } => super::attachments::uploading(state, &path, sent, total),
        Reply::SubmitFailed {
            request,
            error,
            unsettled,
        } => submit_failed(state, request, error, unsettled),
        Reply::Resent {
            request,
            attachments,
            outcome,
            upload_failed,
        } => {
            let title = text::one_line(&request.title);
            match outcome {
                Ok(response) => {
                    let id = text::one_line(response.id.as_deref().unwrap_or("?"));
                    clear_form_if_sent(state, &request, &attachments);
                    match upload_failed {
                        Some(failed) => state.error(format!(
                            "Sent from the outbox: \"{title}\" was created as {id}, but {} was not uploaded ({}): `{}` uploads it",
                            text::one_line(&failed.name),
                            text::one_line(&failed.reason),
                            failed.command
                        )),
                        None if !attachments.is_empty() => state.info(format!(
                            "Sent from the outbox: \"{title}\" was created as {id}, with its {} file(s)",
                            attachments.len()
                        )),
                        None => state.info(format!("Sent from the outbox: \"{title}\" was created as {id}")),
                    }
                }
                Err(e) => state.error(format!(
                    "Outbox: \"{title}\" is not sent yet ({}); it is retried while pcsr-tui runs, and on the next start. {}",
                    e.summary, crate::tui::error_view::remedy_text(&e.remedy, &state.keys)
                )),
            }
            if matches!(state.screen, Screen::History) {
                history::ensure(state, fx, true);
            }
        }
        Reply::HistoryPage {
            seq,
            filter,
            anchor,
            rows,
            total,
        } => history::on_page(state, (seq, filter, anchor, rows, total), fx),
        Reply::Details(sub) => {
            if let Screen::Details(d) = &mut state.screen
                && d.shows(Some(sub.local_id), sub.server_id.as_deref())
            {
                d.submission = Some(sub);
            }
        }
        Reply::Refreshed { target, outcome } => refreshed(state, target, outcome, false, fx),
        Reply::Closed { target, outcome } => refreshed(state, target, outcome, true, fx),
        Reply::SeverityChanged {
            target,
            severity,
            outcome,
        } => super::severity::changed(state, target, severity, outcome, fx),
        Reply::NoteAdded {
            target,
            request_id,
            outcome,
        } => note::on_added(state, target, request_id, outcome, fx),
        Reply::NoteDrafts(kept) => note::restore(state, kept),
        Reply::ServicePage { seq, outcome } => requests::on_page(state, seq, outcome, fx),
        Reply::Followed {
            local_id,
            server_id,
            status,
            updated,
        } => followed(state, local_id, &server_id, status, updated, fx),
        Reply::Updated(count) => state.updated = count,
        Reply::Client(event) => client_event(state, event),
        Reply::StoreFailed(why) => {
            // A history read that failed answers with this instead of a page: the next key may
            // ask again rather than wait forever.
            state.history.pending = None;
            state.error(format!("Local database: {why}"));
        }
        Reply::Outbox(left) => state.outbox = left,
        Reply::SignIn(reply) => signin::on_reply(state, reply, fx),
    }
}

/// A re-read or a close came back: say so, and show the fresh copy where it is on screen (the
/// details, the Partner Center list's row, the local history's window).
fn refreshed(
    state: &mut State,
    target: Target,
    outcome: Result<Ticket, Failure>,
    closed: bool,
    fx: &mut Vec<Effect>,
) {
    let asked = state.refreshing.as_deref() == Some(target.server_id.as_str());
    if asked {
        state.refreshing = None;
    }
    match outcome {
        Ok(mut sr) => {
            let id = text::one_line(sr.id.as_deref().unwrap_or("?"));
            let status = sr.status_text().unwrap_or_else(|| "unknown".into());
            // Opening a Partner Center row reads it quietly; only what the user asked for speaks.
            if asked || closed {
                let done = if closed { "Closed" } else { "Refreshed" };
                state.info(format!("{done} {id}: status {status}"));
            }
            let row = TicketRow::of(&sr);
            if let Some(r) = state.history.service.rows.iter_mut().find(|r| r.id == row.id) {
                // The user asked or is looking: what they see is not news.
                *r = row;
            }
            if let Screen::Details(d) = &mut state.screen
                && d.shows(target.local_id, Some(&target.server_id))
            {
                // A close's answer without the conversation (Azure's PATCH) keeps the one on
                // screen.
                if closed
                    && sr.notes.is_empty()
                    && let Some(shown) = d.server()
                {
                    sr.notes = shown.notes.clone();
                }
                d.fresh = Some(sr);
            }
        }
        // A lost answer: the close may have gone through, and it waits in the outbox.
        Err(e) if closed && e.remedy == crate::domain::Remedy::ResendOutbox => state.error(format!(
            "Close not confirmed: {}. {}",
            e.summary,
            crate::tui::error_view::remedy_text(&e.remedy, &state.keys)
        )),
        Err(e) if closed => state.error(format!(
            "Not closed: {}. {}",
            e.summary,
            crate::tui::error_view::remedy_text(&e.remedy, &state.keys)
        )),
        Err(e) => state.error(format!(
            "Could not read {} from the server: {}. {}",
            text::one_line(&target.server_id),
            e.summary,
            crate::tui::error_view::remedy_text(&e.remedy, &state.keys)
        )),
    }
    if matches!(state.screen, Screen::History) && state.history.source == Source::Local {
        history::ensure(state, fx, true);
    }
}

/// The follow-up re-read found news: the lists show it at once, the header counts it.
fn followed(
    state: &mut State,
    local_id: i64,
    server_id: &str,
    status: Option<String>,
    updated: bool,
    fx: &mut Vec<Effect>,
) {
    if updated {
        let said = status.clone().unwrap_or_else(|| "changed".into());
        state.info(format!(
            "{} changed on the server: {}",
            text::one_line(server_id),
            said.to_lowercase()
        ));
    }
    if let Some(row) = state.history.rows.iter_mut().find(|r| r.local_id == local_id) {
        row.updated = updated;
    }
    if let Some(row) = state.history.service.rows.iter_mut().find(|r| r.id == server_id) {
        row.updated = updated;
        if let Some(status) = &status {
            row.status = status.to_lowercase();
        }
    }
    if matches!(state.screen, Screen::History) && state.history.source == Source::Local {
        history::ensure(state, fx, true);
    }
    // On screen now: the copy the re-read kept replaces what the screen shows (support's
    // reply appears without a key), and the user has seen it.
    if let Screen::Details(d) = &mut state.screen
        && d.shows(Some(local_id), Some(server_id))
    {
        d.fresh = None;
        fx.push(Effect::Worker(Job::Details {
            local_id: Some(local_id),
            server_id: None,
        }));
    }
}

/// A submit or resend of exactly what the form holds empties the form; a file added while it
/// was in flight keeps the form, as a changed word does. `attachments`: the files that went
/// with it.
fn clear_form_if_sent(
    state: &mut State,
    request: &crate::domain::NewTicket,
    attachments: &[std::path::PathBuf],
) {
    let same_files = state.form.attachments.paths() == attachments;
    // The sent request also carries what the submit added (an Azure ticket's contact and
    // consent), which the form does not hold.
    if same_files && state.form.request().same_fields(request) {
        state.form = Form::new(state.header.service, state.form.preset);
        state.draft = DraftSync::default();
    }
}

fn submit_failed(
    state: &mut State,
    request: crate::domain::NewTicket,
    error: Failure,
    unsettled: Option<(i64, uuid::Uuid)>,
) {
    state.busy = None;
    let sign_in = error.needs_sign_in();
    state.form.submit_error = Some(error);
    state.form.unsettled = unsettled.map(|(local_id, request_id)| Unsettled {
        local_id,
        request_id,
        request,
    });
    if matches!(state.screen, Screen::Result(_)) {
        super::show(state, Screen::Form);
    }
    let text = if sign_in {
        format!(
            "Submit failed: sign-in needed. Press {} to sign in; your form is kept",
            state.keys.label(
                crate::tui::keys::KeyCommand::SignIn,
                crate::tui::keys::KeyScope::Anywhere
            )
        )
    } else {
        "Submit failed; your form is kept. See the error under the form".to_string()
    };
    state.error(text);
}

/// The client's report on a slow call goes into the busy line, or a notice when idle.
fn client_event(state: &mut State, event: ClientEvent) {
    let note = match event {
        ClientEvent::Retrying { wait, reason, .. } => BusyNote::Retrying {
            reason,
            until: state.now + wait,
        },
        ClientEvent::RateLimited { wait } => BusyNote::RateLimited {
            until: state.now + wait,
        },
        ClientEvent::RefreshingToken => BusyNote::RefreshingToken,
    };
    match &mut state.busy {
        Some(busy) => busy.note = Some(note),
        None => state.info(note.text(state.now)),
    }
}
