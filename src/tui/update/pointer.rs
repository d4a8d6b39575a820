//! The mouse's part of `update`: clicks focus fields and rows, the wheel scrolls.

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

use super::{details, form, history};
use crate::tui::action::Effect;
use crate::tui::layout;
use crate::tui::state::{FormField, Screen, State};

/// A mouse event, hit-tested against the same layout the views draw with.
pub(super) fn on_mouse(state: &mut State, mouse: MouseEvent, fx: &mut Vec<Effect>) {
    // The overlay on top has the keyboard and the mouse; the screen under it waits.
    if !state.fits() || !state.overlays.is_empty() {
        return;
    }
    let area = Rect::new(0, 0, state.size.0, state.size.1);
    let main = layout::root(area, crate::tui::state::message::height(state, area.width)).main;
    let (col, row) = (mouse.column, mouse.row);
    let wheel = match mouse.kind {
        MouseEventKind::ScrollUp => -1,
        MouseEventKind::ScrollDown => 1,
        MouseEventKind::Down(MouseButton::Left) => 0,
        _ => return,
    };
    match &state.screen {
        Screen::Form => on_form(state, col, row, wheel, main),
        Screen::History => {
            if wheel != 0 {
                history::step(state, wheel * 3, fx);
                return;
            }
            let list = layout::history(main).list;
            if layout::hit(list, col, row) {
                let index = state.history.top + (row - list.y) as usize;
                if index < state.history.total {
                    state.history.selected = index;
                    history::ensure(state, fx, false);
                }
            }
        }
        Screen::Details(_) if wheel != 0 => details::scroll_by(state, wheel * 3),
        _ => {}
    }
}

fn on_form(state: &mut State, col: u16, row: u16, wheel: isize, main: Rect) {
    let f = layout::form_for(main, &state.form);
    if wheel != 0 {
        if layout::hit(f.topic, col, row) {
            form::step_topic(state, wheel);
        } else if layout::hit(f.description, col, row) {
            state.form.description.scroll((wheel as i16 * 3, 0));
        }
        return;
    }
    let targets = [
        (f.title, FormField::Title),
        (f.description, FormField::Description),
        (f.severity, FormField::Severity),
        (f.topic, FormField::Topic),
        (f.attachments.unwrap_or_default(), FormField::Attachments),
        (f.submit, FormField::Submit),
    ];
    if let Some((_, field)) = targets.iter().find(|(r, _)| layout::hit(*r, col, row)) {
        state.form.set_focus(*field);
    }
    let list = layout::topic(layout::inset(f.topic)).list;
    if layout::hit(list, col, row) {
        let first = state.topics.shown().first_visible(list.height as usize);
        let pos = first + (row - list.y) as usize;
        if pos < state.topics.shown().matches.len() {
            state.topics.shown_mut().highlight = pos;
            form::choose_highlighted(state);
        }
    }
}
