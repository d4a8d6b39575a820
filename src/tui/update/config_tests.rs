//! config.toml's effect on the running app: a remapped key dispatches, shows in the hints and
//! the help overlay; `[defaults] severity` preselects a new form's severity.

use std::sync::Arc;

use ratatui::crossterm::event::KeyCode;

use super::tests::{ctrl, fill, press, state, type_text};
use super::update;
use crate::domain::{Severity, Ticket};
use crate::tui::action::{Action, Effect};
use crate::tui::keys::{Keymap, Override};
use crate::tui::state::{Form, Screen, State};
use crate::worker::{Job, Reply};

fn remapped(command: &str, key: &str) -> State {
    let mut s = state();
    let map = Keymap::with_overrides(&[Override {
        command: command.into(),
        keys: vec![key.into()],
        line: 1,
    }])
    .expect("valid override");
    s.keys = Arc::new(map);
    s
}

fn submits(fx: &[Effect]) -> bool {
    fx.iter().any(|e| matches!(e, Effect::Worker(Job::Submit { .. })))
}

#[test]
fn a_remapped_submit_key_submits_and_the_old_one_does_not() {
    let mut s = remapped("submit", "ctrl+g");
    fill(&mut s);
    press(&mut s, KeyCode::BackTab);
    assert!(!submits(&ctrl(&mut s, 's')), "Ctrl+S is no longer submit");
    assert!(submits(&ctrl(&mut s, 'g')), "Ctrl+G submits");
}

#[test]
fn the_hint_line_and_the_help_overlay_name_the_remapped_key() {
    let mut s = remapped("submit", "ctrl+g");
    let scopes = crate::tui::keys::active_scopes(&s);
    let hints = s.keys.hints(&scopes, false);
    assert!(hints.contains(&("Ctrl+G".to_string(), "submit")), "{hints:?}");
    assert!(!hints.iter().any(|(k, _)| k == "Ctrl+S"), "{hints:?}");
    s.overlays.push(crate::tui::mode::Overlay::Help { scroll: 0 });
    let help: Vec<String> = crate::tui::view::help::lines(&s, 100)
        .iter()
        .map(|l| l.spans.iter().map(|sp| sp.content.as_ref()).collect())
        .collect();
    assert!(
        help.iter()
            .any(|l| l.starts_with("Ctrl+G") && l.contains("validate and submit")),
        "{help:#?}"
    );
}

#[test]
fn the_preset_severity_is_chosen_in_every_new_form() {
    let mut s = state();
    s.form = Form::new(s.header.service, Some(Severity::Minimal));
    assert_eq!(s.form.severity, Some(Severity::Minimal));
    assert!(s.form.is_empty(), "a preset alone is not a draft to keep");
    type_text(&mut s, "Printer on fire");
    press(&mut s, KeyCode::Tab);
    type_text(&mut s, "Smoke.");
    press(&mut s, KeyCode::Tab);
    press(&mut s, KeyCode::Tab);
    type_text(&mut s, "profile");
    press(&mut s, KeyCode::Enter);
    let fx = press(&mut s, KeyCode::Enter);
    let request = fx
        .iter()
        .find_map(|e| match e {
            Effect::Worker(Job::Submit { request: r, .. }) => Some(r.clone()),
            _ => None,
        })
        .expect("submitted");
    assert_eq!(request.severity, Some(Severity::Minimal), "the preset is sent");
    update(
        &mut s,
        Action::from(Reply::Submitted {
            local_id: 1,
            request_id: uuid::Uuid::new_v4(),
            request,
            attachments: Vec::new(),
            response: Ticket {
                id: Some("1".into()),
                ..Ticket::default()
            },
            upload_failed: None,
        }),
    );
    assert!(matches!(s.screen, Screen::Result(_)));
    assert_eq!(
        s.form.severity,
        Some(Severity::Minimal),
        "the next form starts with it too"
    );
    // A restored draft keeps the severity it was saved with.
    update(
        &mut s,
        Action::from(Reply::Draft(Some(crate::store::Draft {
            title: "Saved".into(),
            severity: Some(Severity::Critical),
            ..Default::default()
        }))),
    );
    assert_eq!(s.form.severity, Some(Severity::Critical));
    assert_eq!(s.form.preset, Some(Severity::Minimal));
}
