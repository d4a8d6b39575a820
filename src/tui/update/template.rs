//! Templates in the form: Ctrl+P opens the picker (the folder is read off the UI thread),
//! Enter fills the form. A template fills empty fields only; what the user typed is replaced
//! only after a yes to the question that names those fields.

use crate::templates::{Template, TemplateError};
use crate::text;
use crate::tui::action::Effect;
use crate::tui::mode::Overlay;
use crate::tui::state::template_picker::{TemplatePicker, fill};
use crate::tui::state::{Confirm, State};

use super::form;

/// Ctrl+P: opens the picker and asks for the templates to be read.
pub(super) fn open(state: &mut State, fx: &mut Vec<Effect>) {
    state
        .overlays
        .push(Overlay::Templates(Box::new(TemplatePicker::loading())));
    fx.push(Effect::LoadTemplates);
}

/// The folder was read.
pub(super) fn loaded(state: &mut State, templates: Vec<Template>, errors: Vec<TemplateError>) {
    let Some(picker) = state.picker_mut() else { return };
    let none = templates.is_empty();
    picker.set_all(templates);
    if let Some(first) = errors.first() {
        let more = match errors.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        state.error(format!("Template {}{more}", text::one_line(&first.to_string())));
    } else if none {
        state.info("No templates yet: put NAME.md files in the templates folder beside config.toml (README: Templates)");
    }
}

/// Enter in the picker: fills the empty fields, and asks before replacing typed ones.
pub(super) fn choose(state: &mut State) {
    let Some(Overlay::Templates(picker)) = state.overlays.last() else {
        return;
    };
    let Some(template) = picker.highlighted().cloned() else {
        return;
    };
    state.overlays.pop();
    let (filled, conflicts) = fill(&mut state.form, &template, &state.topics, false);
    for field in &filled {
        form::changed(state, *field);
    }
    if conflicts.is_empty() {
        state.info(format!(
            "Template {} filled the empty fields",
            text::one_line(&template.name)
        ));
    } else {
        state.ask(Confirm::Template(Box::new(template)));
    }
}

/// Yes to replacing typed fields with the template's.
pub(super) fn overwrite(state: &mut State, template: &Template) {
    let (filled, _) = fill(&mut state.form, template, &state.topics, true);
    for field in &filled {
        form::changed(state, *field);
    }
    state.info(format!("Template {} applied", text::one_line(&template.name)));
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::KeyCode;

    use super::super::tests::{ctrl, press, state, type_text};
    use super::*;
    use crate::domain::Severity;
    use crate::tui::action::Action;
    use crate::tui::update::update;

    fn template() -> Template {
        Template {
            name: "billing".into(),
            title: Some("Invoice is wrong".into()),
            severity: Some(Severity::Moderate),
            topic: Some("billing and invoices".into()),
            body: "What I expected:\nWhat I got:".into(),
        }
    }

    /// Ctrl+P, the folder answers with `t`, Enter picks it.
    fn pick(s: &mut State, t: Template) -> Vec<Effect> {
        let fx = ctrl(s, 'p');
        assert_eq!(
            fx,
            vec![Effect::LoadTemplates],
            "the folder is read off the UI thread"
        );
        update(
            s,
            Action::Templates {
                templates: vec![t],
                errors: vec![],
            },
        );
        press(s, KeyCode::Enter)
    }

    #[test]
    fn a_template_fills_an_empty_form() {
        let mut s = state();
        pick(&mut s, template());
        assert_eq!(s.form.title_text(), "Invoice is wrong");
        assert_eq!(s.form.description_text(), "What I expected:\nWhat I got:");
        assert_eq!(s.form.severity, Some(Severity::Moderate));
        assert_eq!(s.form.topic_id.as_deref(), Some("32444672"), "found by name");
        assert!(s.overlays.is_empty(), "no question, the picker closed");
        assert!(s.draft.dirty, "the filled form autosaves");
    }

    #[test]
    fn typed_text_is_kept_and_replaced_only_after_yes() {
        let mut s = state();
        type_text(&mut s, "My own title");
        pick(&mut s, template());
        assert_eq!(
            s.form.title_text(),
            "My own title",
            "never overwritten without asking"
        );
        assert_eq!(
            s.form.description_text(),
            "What I expected:\nWhat I got:",
            "empty: filled"
        );
        assert!(matches!(s.question(), Some(Confirm::Template(_))));
        let asked = crate::tui::state::message::current(&s, " ")
            .map(|m| m.0)
            .unwrap_or_default();
        assert!(
            asked.contains("has its own Title: replace what you typed? y/n"),
            "{asked}"
        );
        press(&mut s, KeyCode::Char('n'));
        assert_eq!(s.form.title_text(), "My own title");
        assert!(s.overlays.is_empty());

        pick(&mut s, template());
        press(&mut s, KeyCode::Char('y'));
        assert_eq!(s.form.title_text(), "Invoice is wrong", "yes replaces");
    }

    #[test]
    fn a_bad_template_is_named_with_its_line() {
        let mut s = state();
        ctrl(&mut s, 'p');
        update(
            &mut s,
            Action::Templates {
                templates: vec![],
                errors: vec![TemplateError {
                    file: "templates/x.md".into(),
                    line: 3,
                    message: "unknown key `colour`".into(),
                }],
            },
        );
        let notice = s.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default();
        assert!(notice.contains("templates/x.md line 3"), "{notice}");
        press(&mut s, KeyCode::Esc);
        assert!(s.overlays.is_empty(), "Esc closes the picker");
        assert_eq!(s.form.title_text(), "");
    }
}
