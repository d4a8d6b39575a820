//! Keys, editing commands and pastes that go into the focused text box, whichever it is: one
//! path for all of them, so every box edits alike. Each box then says what its change means
//! (the form autosaves, a filter matches again).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{form, history};
use crate::text;
use crate::tui::action::Effect;
use crate::tui::focus::{TextTarget, focused_text, text_area_mut};
use crate::tui::state::{FormField, State};
use crate::tui::textbox::{self, EditOp};

/// An editing command from the key table, applied to the focused box.
pub(super) fn edit(state: &mut State, op: EditOp, fx: &mut Vec<Effect>) {
    let Some(target) = focused_text(state) else { return };
    if matches!(op, EditOp::LineUp | EditOp::LineDown) && !target.multiline() {
        return;
    }
    if target == TextTarget::Contact {
        super::contact::edited(state);
    }
    if text_area_mut(state, target).is_some_and(|area| textbox::apply(area, op)) {
        changed(state, target, fx);
    }
}

/// A key no binding took: a character to type, or a line break.
pub(super) fn type_key(state: &mut State, key: KeyEvent, fx: &mut Vec<Effect>) {
    let Some(target) = focused_text(state) else { return };
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    // Terminals without the Enter key code send a bare line feed, Ctrl+M or Ctrl+J.
    let newline = matches!(key.code, KeyCode::Enter | KeyCode::Char('\n' | '\r'))
        || (ctrl && matches!(key.code, KeyCode::Char('m' | 'j')));
    if newline {
        if target == TextTarget::Title {
            state.form.set_focus(FormField::Description);
        } else if target.multiline()
            && let Some(area) = text_area_mut(state, target)
        {
            area.insert_newline();
            changed(state, target, fx);
        }
        // One-line boxes: their Enter is a binding; a stray line feed types nothing.
        return;
    }
    match key.code {
        KeyCode::Char(c)
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            if target == TextTarget::Contact {
                super::contact::before_typing(state);
            }
            if let Some(area) = text_area_mut(state, target) {
                textbox::insert(area, c);
                changed(state, target, fx);
            }
        }
        _ => {}
    }
}

/// Pasted text (line breaks already normalized) at the cursor of the focused box; one-line
/// boxes get it on one line.
pub(super) fn paste(state: &mut State, normalized: &str, fx: &mut Vec<Effect>) {
    let Some(target) = focused_text(state) else { return };
    let text = if target.multiline() {
        normalized.to_string()
    } else if target == TextTarget::Tenant || target == TextTarget::Customer {
        // Ids: the spaces around a pasted id are never meant.
        text::one_line(normalized.trim())
    } else {
        text::one_line(normalized)
    };
    if target == TextTarget::Contact {
        super::contact::before_typing(state);
    }
    if let Some(area) = text_area_mut(state, target) {
        area.insert_str(text);
        changed(state, target, fx);
    }
}

/// What a change to each box means.
fn changed(state: &mut State, target: TextTarget, fx: &mut Vec<Effect>) {
    match target {
        TextTarget::Title => form::changed(state, FormField::Title),
        TextTarget::Description => form::changed(state, FormField::Description),
        TextTarget::TopicFilter => {
            state.topics.filter_changed();
            form::choose_highlighted(state);
        }
        TextTarget::HistoryFilter => {
            if history::filter_is_stale(state) {
                history::filter_changed(state, fx);
            }
        }
        TextTarget::Note => {
            if let Some(note) = crate::tui::focus::current_note(state) {
                note.error = None;
            }
        }
        TextTarget::TemplateQuery => {
            if let Some(picker) = state.picker_mut() {
                picker.refilter();
            }
        }
        TextTarget::Contact => super::contact::changed(state),
        TextTarget::SubscriptionQuery => {
            if let Some(picker) = state.subscription_picker_mut() {
                picker.refilter();
            }
        }
        TextTarget::AttachmentPath => super::attachments::typed(state),
        TextTarget::Tenant | TextTarget::Customer => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{ctrl, press, state, type_text};
    use super::*;
    use crate::tui::action::Action;
    use crate::tui::update::update;

    fn alt(s: &mut State, c: char) {
        update(s, Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT)));
    }

    /// The state with each text box focused in turn, and how to read that box's text.
    fn boxes() -> Vec<(TextTarget, State)> {
        let mut title = state();
        ctrl(&mut title, 'n');
        let mut description = state();
        press(&mut description, KeyCode::Tab);
        let mut topic = state();
        for _ in 0..3 {
            press(&mut topic, KeyCode::Tab);
        }
        let mut history = state();
        ctrl(&mut history, 'r');
        press(&mut history, KeyCode::Char('/'));
        let mut tenant = state();
        press(&mut tenant, KeyCode::F(2));
        ctrl(&mut tenant, 'u');
        vec![
            (TextTarget::Title, title),
            (TextTarget::Description, description),
            (TextTarget::TopicFilter, topic),
            (TextTarget::HistoryFilter, history),
            (TextTarget::Tenant, tenant),
        ]
    }

    fn text(s: &mut State, target: TextTarget) -> String {
        text_area_mut(s, target)
            .map(|a| a.lines().join("\n"))
            .unwrap_or_default()
    }

    #[test]
    fn every_box_edits_with_the_same_keys() {
        for (target, mut s) in boxes() {
            assert_eq!(focused_text(&s), Some(target));
            assert_eq!(text(&mut s, target), "", "{target:?} starts empty");
            type_text(&mut s, "open billing page");
            alt(&mut s, 'b');
            alt(&mut s, 'b');
            type_text(&mut s, "the ");
            assert_eq!(text(&mut s, target), "open the billing page", "{target:?}: Alt+B");
            alt(&mut s, 'f');
            ctrl(&mut s, 'w');
            assert_eq!(text(&mut s, target), "open the page", "{target:?}: Alt+F, Ctrl+W");
            press(&mut s, KeyCode::Home);
            press(&mut s, KeyCode::Delete);
            press(&mut s, KeyCode::End);
            press(&mut s, KeyCode::Backspace);
            assert_eq!(
                text(&mut s, target),
                "pen the pag",
                "{target:?}: Home, Delete, End, Backspace"
            );
            press(&mut s, KeyCode::Left);
            press(&mut s, KeyCode::Left);
            press(&mut s, KeyCode::Right);
            type_text(&mut s, "X");
            assert_eq!(text(&mut s, target), "pen the paXg", "{target:?}: Left, Right");
            ctrl(&mut s, 'a');
            alt(&mut s, 'd');
            assert_eq!(text(&mut s, target), " the paXg", "{target:?}: Ctrl+A, Alt+D");
            alt(&mut s, 'e');
            press(&mut s, KeyCode::Left);
            ctrl(&mut s, 'u');
            assert_eq!(text(&mut s, target), "g", "{target:?}: Alt+E, Ctrl+U");
            ctrl(&mut s, 'z');
            assert_eq!(text(&mut s, target), " the paXg", "{target:?}: Ctrl+Z undoes");
            ctrl(&mut s, 'y');
            assert_eq!(text(&mut s, target), "g", "{target:?}: Ctrl+Y redoes");
            press(&mut s, KeyCode::Home);
            ctrl(&mut s, 'k');
            assert_eq!(text(&mut s, target), "", "{target:?}: Ctrl+K");
            assert_eq!(focused_text(&s), Some(target), "still typing in {target:?}");
        }
    }

    #[test]
    fn edits_have_each_box_s_effect() {
        let mut s = state();
        type_text(&mut s, "Title");
        assert!(s.draft.dirty, "the form autosaves after an edit");
        for _ in 0..3 {
            press(&mut s, KeyCode::Tab);
        }
        type_text(&mut s, "invoic");
        assert_eq!(s.topics.highlighted().map(|t| t.id.as_str()), Some("32444672"));
        ctrl(&mut s, 'w');
        assert_eq!(
            s.topics.list.matches.len(),
            4,
            "an empty filter shows every topic"
        );
        let mut h = state();
        ctrl(&mut h, 'r');
        press(&mut h, KeyCode::Char('/'));
        type_text(&mut h, "ab");
        let fx = ctrl(&mut h, 'u');
        assert!(
            fx.iter().any(|e| matches!(e, Effect::Worker(crate::worker::Job::History { filter, .. }) if filter.is_empty())),
            "the emptied filter reads the list again: {fx:?}"
        );
        press(&mut h, KeyCode::Enter);
        assert_eq!(crate::tui::mode::mode(&h), crate::tui::mode::Mode::History);
    }

    #[test]
    fn one_line_boxes_take_pastes_on_one_line_and_ignore_line_feeds() {
        let mut s = state();
        press(&mut s, KeyCode::F(2));
        ctrl(&mut s, 'u');
        update(&mut s, Action::Paste(" contoso\n.com ".into()));
        assert_eq!(s.signin.tenant, "contoso .com");
        press(&mut s, KeyCode::Char('\n'));
        assert_eq!(s.signin.tenant, "contoso .com");
        let mut d = state();
        press(&mut d, KeyCode::Tab);
        type_text(&mut d, "a");
        ctrl(&mut d, 'j');
        type_text(&mut d, "b");
        press(&mut d, KeyCode::Up);
        type_text(&mut d, "c");
        assert_eq!(
            d.form.description_text(),
            "ac\nb",
            "the description takes line feeds and Up"
        );
    }
}
