//! App-wide keys and time driven with actions: help, quitting, ticks, a call in flight.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::KeyCode;

use super::tests::{ctrl, drawn, fill, press, quits, state, state_at};
use super::*;
use crate::tui::mode::{Mode, Overlay, mode};
use crate::tui::state::Viewport;
use crate::worker::Reply;

#[test]
fn q_and_question_mark_type_in_text_fields_but_act_outside() {
    let mut s = state();
    let fx = press(&mut s, KeyCode::Char('q'));
    assert!(fx.is_empty());
    press(&mut s, KeyCode::Char('?'));
    assert_eq!(s.form.title_text(), "q?");
    assert_eq!(mode(&s), Mode::Form(FormField::Title), "no help");
    press(&mut s, KeyCode::Tab);
    press(&mut s, KeyCode::Tab);
    assert_eq!(s.form.focus, FormField::Severity);
    press(&mut s, KeyCode::Char('?'));
    assert_eq!(mode(&s), Mode::Help, "? opens help outside text fields");
    press(&mut s, KeyCode::Esc);
    let fx = press(&mut s, KeyCode::Char('q'));
    assert!(quits(&fx));
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::Worker(Job::SaveDraft(d)) if d.title == "q?")),
        "quitting saves the draft: {fx:?}"
    );
}

#[test]
fn an_idle_app_asks_for_no_ticks() {
    let t0 = Instant::now();
    let mut s = state_at(t0);
    // The topic list is loaded and nothing is pending: nothing to wake up for.
    assert_eq!(s.next_tick(), None);
    fill(&mut s);
    ctrl(&mut s, 's');
    assert_eq!(
        s.next_tick(),
        Some(t0 + crate::tui::state::SPINNER_STEP),
        "the submit spinner turns"
    );
}

#[test]
fn page_keys_scroll_the_help_and_stop_at_its_end() {
    let mut s = state();
    press(&mut s, KeyCode::F(1));
    let Viewport {
        page,
        max_scroll: max,
    } = drawn(&mut s);
    assert!(max > 0, "the key list is longer than the screen");
    press(&mut s, KeyCode::PageDown);
    assert_eq!(help_scroll(&s), page.min(max));
    drawn(&mut s);
    press(&mut s, KeyCode::End);
    assert_eq!(help_scroll(&s), max);
    press(&mut s, KeyCode::Down);
    assert_eq!(help_scroll(&s), max, "no scrolling past the end");
    press(&mut s, KeyCode::Up);
    assert_eq!(help_scroll(&s), max - 1, "Up responds at once after End");
    press(&mut s, KeyCode::Home);
    assert_eq!(help_scroll(&s), 0);
}

fn help_scroll(s: &State) -> u16 {
    match s.overlays.last() {
        Some(Overlay::Help { scroll }) => *scroll,
        other => panic!("the help is not on top: {other:?}"),
    }
}

#[test]
fn client_events_show_what_the_client_is_doing() {
    let t0 = Instant::now();
    let mut s = state_at(t0);
    fill(&mut s);
    ctrl(&mut s, 's');
    update(
        &mut s,
        Action::from(Reply::Client(crate::domain::ClientEvent::Retrying {
            attempt: 2,
            max_attempts: 4,
            wait: Duration::from_secs(3),
            reason: "HTTP 503".into(),
        })),
    );
    let note = s.busy.as_ref().and_then(|b| b.note.clone()).expect("note");
    assert_eq!(note.text(t0), "retrying in 3 s after HTTP 503");
    update(
        &mut s,
        Action::from(Reply::Client(crate::domain::ClientEvent::RateLimited {
            wait: Duration::from_secs(57),
        })),
    );
    let note = s.busy.as_ref().and_then(|b| b.note.clone()).expect("note");
    assert_eq!(note.text(t0), "rate limited, 57 s");
}

#[test]
fn keys_keep_working_while_a_submit_is_in_flight() {
    let mut s = state();
    fill(&mut s);
    ctrl(&mut s, 's');
    assert!(s.busy.is_some());
    ctrl(&mut s, 'r');
    assert!(matches!(s.screen, Screen::History));
    let fx = ctrl(&mut s, 'c');
    assert!(
        fx.contains(&Effect::Quit),
        "quitting mid-submit is allowed; the store keeps it in the outbox"
    );
}
