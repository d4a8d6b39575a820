//! Screens at the smallest size the app draws in (60x20): nothing important is cut.

use ratatui::crossterm::event::KeyCode;

use super::render_tests::{history_rows, render};
use crate::tui::action::Action;
use crate::tui::state::Busy;
use crate::tui::update::tests::{fill, open_history, press, state};
use crate::tui::update::update;

const W: u16 = 60;
const H: u16 = 20;

fn hint_line(screen: &str) -> String {
    screen.lines().last().unwrap_or_default().to_string()
}

#[test]
fn history_at_60x20_keeps_every_column_and_a_readable_title() {
    let mut s = state();
    update(&mut s, Action::Resize(W, H));
    open_history(&mut s, history_rows(), 4);
    let screen = render(&mut s, W, H);
    insta::assert_snapshot!(screen);
    assert!(
        screen.contains("TITLE") && screen.contains("616122292874576"),
        "{screen}"
    );
    assert!(
        screen.contains("A very long ti"),
        "the title keeps room: {screen}"
    );
    assert!(hint_line(&screen).contains("F1 help"), "{screen}");
}

#[test]
fn help_at_60x20_wraps_instead_of_cutting() {
    let mut s = state();
    press(&mut s, KeyCode::F(1));
    let mut screen = render(&mut s, W, H);
    insta::assert_snapshot!(screen);
    // Scroll to the end: the last note is whole, over two lines.
    for _ in 0..200 {
        press(&mut s, KeyCode::PageDown);
        screen = render(&mut s, W, H);
    }
    assert!(screen.contains("the draft is kept"), "{screen}");
    assert!(screen.contains("everything you typed."), "{screen}");
}

#[test]
fn a_long_message_at_60x20_wraps_to_two_lines_between_words() {
    let mut s = state();
    fill(&mut s);
    s.busy = Some(Busy {
        filed: false,
        what: "Submitting".into(),
        since: s.now,
        note: Some(crate::tui::state::BusyNote::Retrying {
            reason: "could not reach the service: Connection refused".into(),
            until: s.now + std::time::Duration::from_secs(4),
        }),
    });
    let screen = render(&mut s, W, H);
    insta::assert_snapshot!(screen);
    let rows: Vec<&str> = screen.lines().collect();
    // The backend's text quotes each row.
    let row = |i: usize| rows[i].trim_matches('"').trim_end().to_string();
    let message = format!("{} {}", row(rows.len() - 3), row(rows.len() - 2));
    assert!(
        message.contains("you can keep working; q keeps it in the outbox"),
        "the reassurance comes first and whole: {message}"
    );
    assert!(
        message.contains("(F3)"),
        "cut short, it names the key for the rest: {message}"
    );
    assert!(hint_line(&screen).contains("F1 help"), "{screen}");
}

#[test]
fn sign_in_at_60x20() {
    let mut s = state();
    press(&mut s, KeyCode::F(2));
    let screen = render(&mut s, W, H);
    insta::assert_snapshot!(screen);
    assert!(hint_line(&screen).contains("F1 help"), "{screen}");
}

#[test]
fn the_form_hint_line_keeps_help_at_60_columns() {
    let mut s = state();
    let screen = render(&mut s, W, H);
    assert!(hint_line(&screen).contains("F1 help"), "{screen}");
}
