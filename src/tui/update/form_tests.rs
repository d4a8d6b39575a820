//! The request form driven with actions: typing, topics, validation, submit outcomes, drafts.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::KeyCode;
use uuid::Uuid;

use super::tests::{ctrl, fill, press, state, state_at, type_text};
use super::*;
use crate::domain::Failure;
use crate::domain::{NewTicket, Severity};
use crate::store::Draft;
use crate::worker::Reply;

fn submitted(effects: &[Effect]) -> Option<&NewTicket> {
    effects.iter().find_map(|e| match e {
        Effect::Worker(Job::Submit { request: r, .. }) => Some(r),
        _ => None,
    })
}

#[test]
fn filling_by_keys_gives_the_request_that_is_sent() {
    let mut s = state();
    fill(&mut s);
    assert_eq!(s.form.focus, FormField::Submit);
    let fx = press(&mut s, KeyCode::Enter);
    let sent = submitted(&fx).expect("Enter on Submit submits");
    assert_eq!(sent.title, "Cannot open billing");
    assert_eq!(sent.description, "Line one\nLine two");
    assert_eq!(sent.severity, Some(Severity::Moderate));
    assert_eq!(sent.topic_id, "32444671");
    assert!(s.busy.is_some(), "the submit shows as in flight");
}

#[test]
fn validation_shows_every_problem_and_focuses_the_first() {
    let mut s = state();
    press(&mut s, KeyCode::Tab);
    type_text(&mut s, "only a description");
    let fx = ctrl(&mut s, 's');
    assert!(submitted(&fx).is_none(), "an invalid form is not sent");
    let fields: Vec<crate::domain::Field> = s.form.errors.iter().map(|e| e.field).collect();
    use crate::domain::Field as F;
    assert_eq!(fields, [F::Title, F::Severity, F::Topic]);
    assert_eq!(s.form.focus, FormField::Title);
    type_text(&mut s, "A title");
    assert!(
        s.form.error_for(FormField::Title).is_none(),
        "fixing a field clears its error"
    );
    ctrl(&mut s, 's');
    assert_eq!(s.form.focus, FormField::Severity);
}

#[test]
fn typing_in_the_topic_field_filters_and_chooses_the_best_match() {
    let mut s = state();
    for _ in 0..3 {
        press(&mut s, KeyCode::Tab);
    }
    assert_eq!(s.form.focus, FormField::Topic);
    assert_eq!(s.form.topic_id, None, "no topic until the user picks");
    type_text(&mut s, "invoice");
    assert_eq!(s.topics.list.matches.len(), 1);
    assert_eq!(s.form.topic_id.as_deref(), Some("32444672"));
    press(&mut s, KeyCode::Backspace);
    assert_eq!(s.topics.filter, "invoic");
    type_text(&mut s, "zzzz");
    assert!(s.topics.list.matches.is_empty());
    assert_eq!(s.form.topic_id, None, "nothing matches, nothing chosen");
}

#[test]
fn enter_in_an_untouched_topic_list_picks_the_first_topic() {
    let mut s = state();
    for _ in 0..3 {
        press(&mut s, KeyCode::Tab);
    }
    assert_eq!(s.form.topic_id, None);
    press(&mut s, KeyCode::Enter);
    assert_eq!(
        s.form.topic_id.as_deref(),
        Some("32444667"),
        "Enter keeps the highlighted (first) topic"
    );
    assert_eq!(s.form.focus, FormField::Submit);
    // Tab only passes through: it never picks for the user.
    let mut s = state();
    for _ in 0..4 {
        press(&mut s, KeyCode::Tab);
    }
    assert_eq!(s.form.focus, FormField::Submit);
    assert_eq!(s.form.topic_id, None);
}

#[test]
fn the_title_refuses_new_lines() {
    let mut s = state();
    type_text(&mut s, "one");
    press(&mut s, KeyCode::Enter);
    assert_eq!(s.form.focus, FormField::Description, "Enter leaves the title");
    press(&mut s, KeyCode::BackTab);
    update(&mut s, Action::Paste("two\nthree\r\nfour".into()));
    assert_eq!(s.form.title_text(), "onetwo three four");
    assert_eq!(s.form.title.lines().len(), 1);
}

#[test]
fn description_takes_enter_and_pasted_lines() {
    let mut s = state();
    press(&mut s, KeyCode::Tab);
    update(&mut s, Action::Paste("a\r\nb".into()));
    press(&mut s, KeyCode::Enter);
    type_text(&mut s, "c");
    assert_eq!(s.form.description_text(), "a\nb\nc");
    assert_eq!(ctrl(&mut s, 'e'), vec![Effect::OpenEditor("a\nb\nc".into())]);
    update(&mut s, Action::EditorDone(Ok("from the editor\n".into())));
    assert_eq!(s.form.description_text(), "from the editor");
}

#[test]
fn success_shows_the_result_and_empties_the_form() {
    let mut s = state();
    fill(&mut s);
    let fx = ctrl(&mut s, 's');
    let request = submitted(&fx).cloned().expect("sent");
    let response = crate::api::mapping::ticket(
        &crate::api::wire::parse(include_bytes!("../../../tests/fixtures/create-response.json"))
            .expect("fixture"),
    );
    let request_id = Uuid::new_v4();
    update(
        &mut s,
        Action::from(Reply::Submitted {
            local_id: 1,
            request_id,
            request,
            attachments: Vec::new(),
            response,
            upload_failed: None,
        }),
    );
    let Screen::Result(r) = &s.screen else {
        panic!("result screen expected")
    };
    assert_eq!(r.request.id.as_deref(), Some("616122292874576"));
    assert_eq!(r.topic_name.as_deref(), Some("Cannot manage my profile"));
    assert!(s.form.is_empty(), "the sent draft is gone from the form");
    assert!(s.busy.is_none());
    assert!(!s.draft.dirty, "nothing left to autosave");
    assert_eq!(
        press(&mut s, KeyCode::Char('y')),
        vec![Effect::Copy {
            text: "616122292874576".into(),
            what: "request id 616122292874576".into(),
        }]
    );
    assert!(
        s.notice.as_ref().is_some_and(|n| n.text.contains("Copying")),
        "copy gives visible feedback at once"
    );
    // The message then says honestly how it was copied.
    let copied = |via, tmux| Action::Copied {
        what: "request id 616122292874576".into(),
        text: "616122292874576".into(),
        via,
        tmux,
    };
    let fx = update(&mut s, copied(crate::tui::runtime::clipboard::Method::Tmux, true));
    assert!(fx.is_empty(), "a tool copied it: nothing more to send");
    let notice = s.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default();
    assert!(notice.contains("to the tmux buffer"), "{notice}");
    let fx = update(
        &mut s,
        copied(crate::tui::runtime::clipboard::Method::Osc52, false),
    );
    assert_eq!(
        fx,
        vec![Effect::Osc52 {
            text: "616122292874576".into(),
            tmux: false
        }]
    );
    let notice = s.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default();
    assert!(
        notice.contains("whether it reached the clipboard depends"),
        "{notice}"
    );
}

fn server_error(sign_in: bool) -> Failure {
    Failure {
        summary: if sign_in {
            "HTTP 401 Unauthorized".into()
        } else {
            "HTTP 503 Service Unavailable".into()
        },
        code: None,
        description: Some("try later".into()),
        request_id: Some(Uuid::nil()),
        correlation_id: Some(Uuid::nil()),
        remedy: if sign_in {
            crate::domain::Remedy::SignIn
        } else {
            crate::domain::Remedy::RetryLater
        },
    }
}

#[test]
fn failure_keeps_every_typed_character_and_resends_with_the_same_id() {
    let mut s = state();
    fill(&mut s);
    let before = s.form.draft();
    let fx = ctrl(&mut s, 's');
    let request = submitted(&fx).cloned().expect("sent");
    let request_id = Uuid::new_v4();
    update(
        &mut s,
        Action::from(Reply::SubmitFailed {
            request,
            error: server_error(false),
            unsettled: Some((7, request_id)),
        }),
    );
    assert!(matches!(s.screen, Screen::Form));
    assert_eq!(s.form.draft(), before, "every field is intact");
    assert!(s.form.submit_error.is_some());
    assert!(s.busy.is_none());
    let fx = ctrl(&mut s, 's');
    assert!(
        fx.iter().any(|e| matches!(e, Effect::Worker(Job::Resend { local_id: 7, request_id: id, .. }) if *id == request_id)),
        "an unknown outcome is retried with its MS-RequestId: {fx:?}"
    );
}

#[test]
fn sign_in_failures_point_to_the_sign_in_key_not_to_a_command() {
    let mut s = state();
    fill(&mut s);
    let fx = ctrl(&mut s, 's');
    let request = submitted(&fx).cloned().expect("sent");
    update(
        &mut s,
        Action::from(Reply::SubmitFailed {
            request,
            error: server_error(true),
            unsettled: None,
        }),
    );
    let text = s.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default();
    let key = s.keys.label(
        crate::tui::keys::KeyCommand::SignIn,
        crate::tui::keys::KeyScope::Anywhere,
    );
    assert!(text.contains(&format!("Press {key} to sign in")), "{text}");
    assert!(!text.contains("pcsr-tui login"), "{text}");
}

#[test]
fn ctrl_n_keeps_an_unsent_draft() {
    let mut s = state();
    type_text(&mut s, "half written");
    ctrl(&mut s, 'r');
    assert!(matches!(s.screen, Screen::History));
    ctrl(&mut s, 'n');
    assert!(matches!(s.screen, Screen::Form));
    assert_eq!(s.form.title_text(), "half written");
}

#[test]
fn drafts_autosave_within_a_quarter_second_even_while_typing() {
    let t0 = Instant::now();
    let mut s = state_at(t0);
    let tick = |s: &mut State, ms| update(s, Action::Tick(t0 + Duration::from_millis(ms)));
    type_text(&mut s, "dr");
    assert_eq!(s.next_tick(), Some(t0), "the autosave clock starts at once");
    assert!(tick(&mut s, 0).is_empty());
    // Steady typing does not push the save back: the clock runs from the first unsaved key.
    tick(&mut s, 120);
    type_text(&mut s, "aft");
    assert!(
        s.next_tick()
            .is_some_and(|t| t <= t0 + Duration::from_millis(250))
    );
    let fx = tick(&mut s, 200);
    assert!(
        matches!(fx.as_slice(), [Effect::Worker(Job::SaveDraft(d))] if d.title == "draft"),
        "saved 200 ms after the first change, with everything typed since: {fx:?}"
    );
    assert!(tick(&mut s, 1200).is_empty(), "saved once");
}

#[test]
fn a_restored_draft_fills_an_untouched_form() {
    let mut s = state();
    let draft = Draft {
        title: "from last time".into(),
        description: "body".into(),
        severity: Some(Severity::Critical),
        topic_id: Some("32444673".into()),
        ..Draft::default()
    };
    update(&mut s, Action::from(Reply::Draft(Some(draft.clone()))));
    assert_eq!(s.form.draft(), draft);
    assert_eq!(s.topics.highlighted().map(|t| t.id.as_str()), Some("32444673"));
}

#[test]
fn severity_starts_unset_and_cycles() {
    let mut s = state();
    press(&mut s, KeyCode::Tab);
    press(&mut s, KeyCode::Tab);
    assert_eq!(s.form.severity, None);
    press(&mut s, KeyCode::Left);
    assert_eq!(s.form.severity, Some(Severity::Minimal));
    press(&mut s, KeyCode::Right);
    assert_eq!(s.form.severity, Some(Severity::Critical));
}

#[test]
fn the_switch_key_carries_the_form_without_its_topic_to_the_other_service_and_saves_the_draft() {
    let mut s = state();
    fill(&mut s);
    assert!(s.form.topic_id.is_some(), "the filled form has a topic");
    let fx = press(&mut s, KeyCode::F(7));
    let carry = fx
        .iter()
        .find_map(|e| match e {
            Effect::SwitchService { to, carry, .. } => Some((*to, carry.clone())),
            _ => None,
        })
        .expect("a switch");
    assert_eq!(carry.0, crate::domain::Service::Azure);
    assert_eq!(carry.1.title, s.form.title_text());
    assert_eq!(carry.1.description, s.form.description_text());
    assert_eq!(
        carry.1.topic_id, None,
        "Partner Center's topic means nothing to Azure"
    );
    let saved = fx
        .iter()
        .position(|e| matches!(e, Effect::Worker(Job::SaveDraft(_))));
    let switched = fx.iter().position(|e| matches!(e, Effect::SwitchService { .. }));
    assert!(
        saved < switched && saved.is_some(),
        "the draft is saved first: {fx:?}"
    );
}

#[test]
fn the_switch_key_waits_for_a_submit_s_answer() {
    let mut s = state();
    fill(&mut s);
    s.busy = Some(crate::tui::state::Busy {
        what: "Submitting".into(),
        since: s.now,
        note: None,
        filed: false,
    });
    let fx = press(&mut s, KeyCode::F(7));
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::SwitchService { .. })),
        "{fx:?}"
    );
    let notice = s.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default();
    assert!(
        notice.contains("Switching to Azure") && notice.contains("once it has come"),
        "{notice}"
    );
}
