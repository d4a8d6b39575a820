//! The overlays: whichever is on top takes the keys, is the one seen, and is the one Esc closes.
//! Each test drives `update` with keys and reads the frame a test terminal draws.

use ratatui::crossterm::event::KeyCode;

use super::tests::{ctrl, press, quits, state, type_text};
use super::*;
use crate::templates::Template;
use crate::tui::keys::{KeyScope, active_scopes};
use crate::tui::mode::{Mode, Overlay, mode};
use crate::tui::state::{DetailsView, HistoryFocus};

/// Draws the state as the run loop does (the frame's viewport goes back to `update`) and
/// returns the screen as text.
fn screen(s: &mut State) -> String {
    let backend = ratatui::backend::TestBackend::new(s.size.0, s.size.1);
    let mut terminal = ratatui::Terminal::new(backend).expect("test terminal");
    let mut viewport = s.viewport;
    terminal
        .draw(|f| viewport = crate::tui::view::draw(f, s))
        .expect("draw");
    update(s, Action::Drawn(viewport));
    terminal.backend().to_string()
}

fn templates() -> Vec<Template> {
    ["billing", "outage", "profile"]
        .into_iter()
        .map(|name| Template {
            name: name.into(),
            title: Some(format!("About {name}")),
            severity: None,
            topic: None,
            body: String::new(),
        })
        .collect()
}

/// The form with the template picker open, its folder read.
fn picker_open() -> State {
    let mut s = state();
    ctrl(&mut s, 'p');
    update(
        &mut s,
        Action::Templates {
            templates: templates(),
            errors: vec![],
        },
    );
    s
}

/// The picker's query and highlighted template, wherever it lies on the stack.
fn picker_of(s: &State) -> Option<(String, Option<String>)> {
    s.overlays.iter().find_map(|o| match o {
        Overlay::Templates(p) => Some((
            p.query.text().to_string(),
            p.highlighted().map(|t| t.name.clone()),
        )),
        _ => None,
    })
}

/// The details of a created request with "Close request …?" asked.
fn question_open() -> State {
    let mut s = state();
    s.screen = Screen::Details(Box::new(DetailsView {
        server_id: Some("616122292874576".into()),
        ..DetailsView::local(3)
    }));
    press(&mut s, KeyCode::Char('x'));
    s
}

/// Where each overlay shows itself: the popups' titles, the question on the message line.
fn mark(mode: Mode) -> &'static str {
    match mode {
        Mode::Help => " Keys ",
        Mode::Messages => " Messages ",
        Mode::Templates => " Templates ",
        Mode::Question => "Close request 616122292874576? y/n",
        other => panic!("{other:?} is not an overlay"),
    }
}

/// The scope whose bindings only the overlay on top may use.
fn scope(mode: Mode) -> KeyScope {
    match mode {
        Mode::Help | Mode::Messages => KeyScope::Help,
        Mode::Templates => KeyScope::TemplatePicker,
        Mode::Question => KeyScope::Confirm,
        other => panic!("{other:?} is not an overlay"),
    }
}

#[test]
fn help_over_the_template_picker_is_on_top_takes_the_keys_and_closes_first() {
    let mut s = picker_open();
    type_text(&mut s, "o");
    let before = picker_of(&s).expect("the picker is open");
    assert_eq!(before.0, "o");
    press(&mut s, KeyCode::F(1));

    assert_eq!(mode(&s), Mode::Help, "the help has the keyboard");
    let drawn = screen(&mut s);
    assert!(drawn.contains(" Keys "), "the help is seen:\n{drawn}");
    assert!(
        !drawn.contains(" Templates "),
        "the picker lies under the help, not over it:\n{drawn}"
    );
    // Keys go to the help: Down scrolls it, letters type nowhere, the picker stays as it was.
    press(&mut s, KeyCode::Down);
    type_text(&mut s, "ut");
    assert_eq!(s.overlays.last(), Some(&Overlay::Help { scroll: 1 }));
    assert_eq!(picker_of(&s), Some(before.clone()), "the picker heard nothing");

    press(&mut s, KeyCode::Esc);
    assert_eq!(mode(&s), Mode::Templates, "Esc closed the help, not the picker");
    assert_eq!(picker_of(&s), Some(before), "the picker kept its query");
    let drawn = screen(&mut s);
    assert!(
        drawn.contains(" Templates ") && !drawn.contains(" Keys "),
        "{drawn}"
    );
    type_text(&mut s, "ut");
    assert_eq!(
        picker_of(&s).map(|p| p.0),
        Some("out".to_string()),
        "typing is the picker's again"
    );

    press(&mut s, KeyCode::Esc);
    assert!(s.overlays.is_empty(), "a second Esc closes the picker");
    assert_eq!(mode(&s), Mode::Form(FormField::Title));
    assert_eq!(s.form.title_text(), "", "nothing typed reached the form");
}

#[test]
fn each_overlay_takes_the_keys_is_drawn_on_top_and_is_closed_by_esc() {
    let opened: [(Mode, fn() -> State); 4] = [
        (Mode::Help, || {
            let mut s = state();
            press(&mut s, KeyCode::F(1));
            s
        }),
        (Mode::Messages, || {
            let mut s = state();
            s.info("Request 616 created");
            press(&mut s, KeyCode::F(3));
            s
        }),
        (Mode::Templates, picker_open),
        (Mode::Question, question_open),
    ];
    for (expected, open) in opened {
        let mut s = open();
        assert_eq!(mode(&s), expected);
        assert_eq!(s.overlays.len(), 1, "{expected:?}");
        let scopes = active_scopes(&s);
        assert!(scopes.contains(&scope(expected)), "{expected:?}: {scopes:?}");
        let drawn = screen(&mut s);
        assert!(drawn.contains(mark(expected)), "{expected:?} is seen:\n{drawn}");
        press(&mut s, KeyCode::Esc);
        assert!(s.overlays.is_empty(), "Esc closed {expected:?}");
        let drawn = screen(&mut s);
        assert!(!drawn.contains(mark(expected)), "{expected:?} is gone:\n{drawn}");
    }
}

#[test]
fn a_reader_over_the_picker_or_a_question_has_the_keys_until_esc_gives_them_back() {
    let under: [(Mode, fn() -> State); 2] = [(Mode::Templates, picker_open), (Mode::Question, question_open)];
    for (below, open) in under {
        for (key, reader) in [(KeyCode::F(1), Mode::Help), (KeyCode::F(3), Mode::Messages)] {
            let mut s = open();
            s.info("Request 616 created");
            press(&mut s, key);
            assert_eq!(mode(&s), reader, "{reader:?} over {below:?}");
            let scopes = active_scopes(&s);
            assert!(
                !scopes.contains(&scope(below)),
                "{below:?}'s keys are not live under {reader:?}: {scopes:?}"
            );
            let drawn = screen(&mut s);
            assert!(
                drawn.contains(mark(reader)),
                "{reader:?} over {below:?}:\n{drawn}"
            );
            // `y` would answer the question and Enter would choose a template: neither does.
            let fx = [press(&mut s, KeyCode::Char('y')), press(&mut s, KeyCode::Enter)].concat();
            assert!(fx.is_empty(), "{reader:?} over {below:?}: {fx:?}");
            assert_eq!(s.overlays.len(), 2, "{below:?} is still there");

            press(&mut s, KeyCode::Esc);
            assert_eq!(mode(&s), below, "Esc closed {reader:?} only");
            let drawn = screen(&mut s);
            assert!(drawn.contains(mark(below)), "{below:?} is seen again:\n{drawn}");
            press(&mut s, KeyCode::Esc);
            assert!(s.overlays.is_empty(), "then Esc closes {below:?}");
        }
    }
}

#[test]
fn help_and_messages_take_turns_rather_than_stack() {
    let mut s = picker_open();
    press(&mut s, KeyCode::F(1));
    press(&mut s, KeyCode::F(3));
    assert_eq!(mode(&s), Mode::Messages);
    assert_eq!(
        s.overlays.len(),
        2,
        "the messages replaced the help over the picker"
    );
    press(&mut s, KeyCode::F(1));
    assert_eq!(mode(&s), Mode::Help);
    press(&mut s, KeyCode::F(1));
    assert_eq!(mode(&s), Mode::Templates, "F1 on the help closes it");
}

#[test]
fn leaving_a_screen_closes_its_overlays_and_a_question_left_open_is_a_no() {
    let mut s = picker_open();
    ctrl(&mut s, 'r');
    assert!(s.overlays.is_empty(), "no picker over the history");
    assert_eq!(mode(&s), Mode::History);
    let fx = press(&mut s, KeyCode::Down);
    assert!(
        fx.iter().all(|e| !matches!(e, Effect::LoadTemplates)) && picker_of(&s).is_none(),
        "the keys are the list's"
    );

    let mut s = question_open();
    ctrl(&mut s, 'r');
    assert!(s.overlays.is_empty() && s.question().is_none());
    assert!(
        s.notice.as_ref().is_some_and(|n| n.text == "Nothing was changed"),
        "{:?}",
        s.notice
    );
    let fx = press(&mut s, KeyCode::Char('y'));
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::Worker(Job::Close(_)))),
        "a later y closes nothing: {fx:?}"
    );
}

#[test]
fn the_history_filter_and_customer_prompt_are_the_screen_s_focus_under_any_overlay() {
    let mut s = state();
    ctrl(&mut s, 'r');
    press(&mut s, KeyCode::Char('/'));
    assert_eq!(mode(&s), Mode::HistoryFilter);
    press(&mut s, KeyCode::F(1));
    type_text(&mut s, "zz");
    assert_eq!(s.history.filter.text(), "", "the help has the keys");
    press(&mut s, KeyCode::Esc);
    assert_eq!(
        mode(&s),
        Mode::HistoryFilter,
        "Esc closed the help, the filter keeps the focus"
    );
    type_text(&mut s, "ab");
    assert_eq!(s.history.filter.text(), "ab");
    press(&mut s, KeyCode::Esc);
    assert_eq!(mode(&s), Mode::History, "then Esc leaves the filter");
    assert!(matches!(s.screen, Screen::History));

    s.history.source = Source::Service;
    press(&mut s, KeyCode::Char('c'));
    assert!(matches!(s.history.focus, HistoryFocus::Customer(_)));
    assert_eq!(mode(&s), Mode::CustomerPrompt);
    press(&mut s, KeyCode::Esc);
    assert_eq!(mode(&s), Mode::History);
}

#[test]
fn the_note_box_belongs_to_its_details_screen() {
    let mut s = state();
    s.screen = Screen::Details(Box::new(DetailsView {
        server_id: Some("616".into()),
        ..DetailsView::local(3)
    }));
    press(&mut s, KeyCode::Char('n'));
    assert_eq!(mode(&s), Mode::NoteBox);
    type_text(&mut s, "draft");
    ctrl(&mut s, 'r');
    assert_eq!(mode(&s), Mode::History, "the history's keys, not the note's");
    assert!(!quits(&press(&mut s, KeyCode::Char('j'))));
    assert_eq!(s.notes[0].body(), "draft", "the note is kept for its request");
}
