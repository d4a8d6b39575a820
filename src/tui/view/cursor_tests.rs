//! The terminal cursor sits on the focused text box (screen readers and magnifiers follow it)
//! and is hidden when no box has the focus.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::{Position, Rect};

use crate::tui::layout;
use crate::tui::state::State;
use crate::tui::update::tests::{ctrl, press, state, type_text};

/// Draws `s` at 100x30; the cursor position if it is shown.
fn cursor(s: &State) -> Option<Position> {
    let mut terminal = Terminal::new(TestBackend::new(s.size.0, s.size.1)).expect("test backend");
    terminal
        .draw(|frame| {
            super::draw(frame, s);
        })
        .expect("draw");
    let backend = terminal.backend_mut();
    backend.cursor_visible().then(|| backend.cursor_position())
}

fn main_area(s: &State) -> Rect {
    layout::root(Rect::new(0, 0, s.size.0, s.size.1), 1).main
}

#[test]
fn the_cursor_follows_the_title_and_the_description() {
    let mut s = state();
    let f = layout::form(main_area(&s), 0, 0, false);
    let title = layout::inset(f.title);
    assert_eq!(cursor(&s), Some(Position::new(title.x, title.y)), "empty title");
    type_text(&mut s, "abcd");
    press(&mut s, KeyCode::Left);
    assert_eq!(cursor(&s), Some(Position::new(title.x + 3, title.y)));
    press(&mut s, KeyCode::Tab);
    let description = layout::inset(f.description);
    type_text(&mut s, "one");
    press(&mut s, KeyCode::Enter);
    type_text(&mut s, "tw");
    assert_eq!(
        cursor(&s),
        Some(Position::new(description.x + 2, description.y + 1))
    );
}

#[test]
fn the_cursor_sits_in_the_topic_filter() {
    let mut s = state();
    for _ in 0..3 {
        press(&mut s, KeyCode::Tab);
    }
    let f = layout::form(main_area(&s), 0, 0, false);
    let filter = layout::topic(layout::inset(f.topic)).filter;
    assert_eq!(
        cursor(&s),
        Some(Position::new(filter.x + 8, filter.y)),
        "after \"Filter: \""
    );
    type_text(&mut s, "bill");
    assert_eq!(cursor(&s), Some(Position::new(filter.x + 12, filter.y)));
}

#[test]
fn the_cursor_sits_in_the_history_filter_only_while_typing_it() {
    let mut s = state();
    ctrl(&mut s, 'r');
    assert_eq!(cursor(&s), None, "the list has no text cursor");
    press(&mut s, KeyCode::Char('/'));
    type_text(&mut s, "abc");
    press(&mut s, KeyCode::Home);
    let filter = layout::history(main_area(&s)).filter;
    assert_eq!(cursor(&s), Some(Position::new(filter.x + 8, filter.y)));
    press(&mut s, KeyCode::Enter);
    assert_eq!(cursor(&s), None, "kept: back to the list");
}

#[test]
fn the_cursor_sits_in_the_tenant() {
    let mut s = state();
    press(&mut s, KeyCode::F(2));
    let inner = layout::inset(main_area(&s));
    let end = inner.x + 10 + "organizations".len() as u16;
    assert_eq!(cursor(&s), Some(Position::new(end, inner.y + 1)));
    press(&mut s, KeyCode::Left);
    assert_eq!(cursor(&s), Some(Position::new(end - 1, inner.y + 1)));
}

#[test]
fn no_cursor_without_a_focused_text_box() {
    let mut s = state();
    press(&mut s, KeyCode::Tab);
    press(&mut s, KeyCode::Tab);
    assert_eq!(cursor(&s), None, "Severity");
    press(&mut s, KeyCode::Tab);
    press(&mut s, KeyCode::Tab);
    assert_eq!(cursor(&s), None, "Submit");
    press(&mut s, KeyCode::BackTab);
    assert!(cursor(&s).is_some(), "Topic");
    press(&mut s, KeyCode::F(1));
    assert_eq!(cursor(&s), None, "under the help overlay");
}
