use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;

fn over(command: &str, keys: &[&str], line: usize) -> Override {
    Override {
        command: command.into(),
        keys: keys.iter().map(|k| k.to_string()).collect(),
        line,
    }
}

/// config.toml's text as the app reads it at start: parsed, then its `[keys]` applied.
fn read(text: &str) -> Result<Keymap, crate::config::ConfigError> {
    let config = crate::config::parse(text, std::path::Path::new("/cfg/config.toml"))?;
    Keymap::from_config(&config)
}

fn refused(text: &str) -> crate::config::ConfigError {
    read(text).expect_err("refused")
}

#[test]
fn the_keys_of_config_toml_reach_the_table_and_its_errors_name_the_file() {
    let map = read("[keys]\nsubmit = \"ctrl+g\"\nhistory = [\"ctrl+r\", \"f5\"]\n").expect("valid");
    assert_eq!(map.label(KeyCommand::Submit, KeyScope::Form), "Ctrl+G");
    assert_eq!(map.label(KeyCommand::History, KeyScope::Anywhere), "Ctrl+R/F5");
    let e = refused("[keys]\nsubmit = \"ctrl+r\"\n");
    assert!(
        e.to_string().starts_with("/cfg/config.toml, line 2: [keys]: "),
        "{e}"
    );
}

#[test]
fn a_malformed_key_name_is_refused_with_its_line() {
    let e = refused("[keys]\nhistory = \"f5\"\nsubmit = \"ctrl+shift+\"\n");
    assert_eq!(e.line, Some(3), "{e}");
    assert!(
        e.message.contains("ctrl+shift+") && e.message.contains("names no key"),
        "{e}"
    );
    let e = refused("[keys]\nhelp = [\"f1\", \"f99\"]\n");
    assert_eq!(e.line, Some(2), "{e}");
    assert!(e.message.contains("f1 to f12"), "{e}");
    let e = crate::config::parse("[keys]\nsubmit = 7\n", std::path::Path::new("/cfg/config.toml"))
        .expect_err("not a key");
    assert!(e.message.contains("a key (\"ctrl+g\") or a list"), "{e}");
}

#[test]
fn an_unknown_command_is_refused_with_the_list() {
    let e = refused("[keys]\n\nsumbit = \"ctrl+g\"\n");
    assert_eq!(e.line, Some(3), "{e}");
    assert!(
        e.message.contains("`sumbit` is not a command") && e.message.contains("open_editor"),
        "{e}"
    );
}

#[test]
fn a_clash_is_refused_with_the_line_and_both_commands() {
    let e = refused("[keys]\nsubmit = \"ctrl+r\"\n");
    assert_eq!(e.line, Some(2), "{e}");
    assert!(
        e.message.contains("`submit`") && e.message.contains("`history`"),
        "{e}"
    );
    // Moving history away first is fine.
    let c = read("[keys]\nhistory = \"f5\"\nsubmit = \"ctrl+r\"\n").expect("no clash");
    let submit = c
        .bindings()
        .iter()
        .find(|b| b.command == KeyCommand::Submit && b.scope == KeyScope::Form)
        .map(|b| b.keys.clone());
    assert_eq!(submit.map(|k| k[0].code), Some(KeyCode::Char('r')));
}

fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, mods)
}

fn command_at(map: &Keymap, active: &[KeyScope], event: KeyEvent) -> Option<KeyCommand> {
    map.lookup(active, &event).map(|b| b.command)
}

const FORM: &[KeyScope] = &[KeyScope::Anywhere, KeyScope::Form, KeyScope::Title];

#[test]
fn the_default_map_is_the_table_and_its_layering_is_allowed() {
    let map = Keymap::with_overrides(&[]).expect("defaults are valid");
    assert_eq!(map, Keymap::default());
    assert_eq!(map.bindings().len(), BINDINGS.len());
    assert_eq!(map.label(KeyCommand::Submit, KeyScope::Form), "Ctrl+S");
}

#[test]
fn an_override_moves_the_key_everywhere_it_is_read() {
    let map = Keymap::with_overrides(&[over("submit", &["ctrl+g"], 3)]).expect("valid");
    let g = ev(KeyCode::Char('g'), KeyModifiers::CONTROL);
    let s = ev(KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert_eq!(command_at(&map, FORM, g), Some(KeyCommand::Submit));
    assert_eq!(command_at(&map, FORM, s), None, "Ctrl+S no longer submits");
    assert_eq!(map.label(KeyCommand::Submit, KeyScope::Form), "Ctrl+G");
    assert!(
        map.hints(FORM, false).contains(&("Ctrl+G".to_string(), "submit")),
        "{:?}",
        map.hints(FORM, false)
    );
    // Enter on the Submit button is how the button works: it stays.
    let button = [
        KeyScope::Anywhere,
        KeyScope::OutsideText,
        KeyScope::Form,
        KeyScope::SubmitButton,
    ];
    assert_eq!(
        command_at(&map, &button, ev(KeyCode::Enter, KeyModifiers::NONE)),
        Some(KeyCommand::Submit)
    );
}

#[test]
fn letters_of_a_global_command_go_outside_text_fields() {
    let map = Keymap::with_overrides(&[over("quit", &["ctrl+q", "Q"], 1)]).expect("valid");
    let q = ev(KeyCode::Char('Q'), KeyModifiers::SHIFT);
    assert_eq!(command_at(&map, FORM, q), None, "Q types in the title");
    let outside = [KeyScope::Anywhere, KeyScope::OutsideText, KeyScope::History];
    assert_eq!(command_at(&map, &outside, q), Some(KeyCommand::Quit));
    let ctrl_q = ev(KeyCode::Char('q'), KeyModifiers::CONTROL);
    assert_eq!(command_at(&map, FORM, ctrl_q), Some(KeyCommand::Quit));
    let ctrl_c = ev(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(command_at(&map, FORM, ctrl_c), None);
    assert_eq!(map.label(KeyCommand::Quit, KeyScope::Anywhere), "Ctrl+Q");
}

#[test]
fn an_unknown_command_names_its_line_and_the_known_ones() {
    let err = Keymap::with_overrides(&[over("sbumit", &["ctrl+g"], 7)]).unwrap_err();
    assert_eq!(err.line, 7);
    assert!(err.message.contains("`sbumit` is not a command"), "{err}");
    assert!(
        err.message.contains("submit") && err.message.contains("new_request"),
        "{err}"
    );
}

#[test]
fn a_malformed_key_names_its_line() {
    for bad in ["ctrl+shift+", "f99", "ctrl+i"] {
        let err = Keymap::with_overrides(&[over("history", &["f5", bad], 4)]).unwrap_err();
        assert_eq!(err.line, 4, "{bad}");
        assert!(err.message.contains(bad), "{err}");
    }
    let err = Keymap::with_overrides(&[over("history", &[], 2)]).unwrap_err();
    assert!(err.message.contains("has no key"), "{err}");
}

#[test]
fn a_clash_in_overlapping_scopes_is_refused() {
    // Ctrl+R is the history key everywhere, the form included.
    let err = Keymap::with_overrides(&[over("submit", &["ctrl+r"], 9)]).unwrap_err();
    assert_eq!(err.line, 9);
    assert!(
        err.message.contains("Ctrl+R")
            && err.message.contains("`submit`")
            && err.message.contains("`history`"),
        "{err}"
    );
    // Two overrides onto one key: the later line is named.
    let err =
        Keymap::with_overrides(&[over("history", &["f5"], 2), over("new_request", &["f5"], 5)]).unwrap_err();
    assert_eq!(err.line, 5, "{err}");
    // The same key in places never active together is fine: r refreshes, x closes in details.
    Keymap::with_overrides(&[over("filter", &["x"], 1)]).expect("history and details never overlap");
    // Moving a clashing key away first makes room.
    Keymap::with_overrides(&[over("history", &["f5"], 1), over("submit", &["ctrl+r"], 2)]).expect("valid");
}

#[test]
fn a_plain_letter_where_text_is_typed_is_refused() {
    let err = Keymap::with_overrides(&[over("submit", &["g"], 3)]).unwrap_err();
    assert!(
        err.message.contains("plain character") && err.message.contains("ctrl+g"),
        "{err}"
    );
    let err = Keymap::with_overrides(&[over("history", &["h"], 3)]).unwrap_err();
    assert!(err.message.contains("plain character"), "{err}");
}

#[test]
fn labels_fall_back_to_the_command_s_other_row() {
    // Only `?` left for help: the row for everywhere is empty, labels still name a key.
    let map = Keymap::with_overrides(&[over("help", &["?"], 1)]).expect("valid");
    assert_eq!(map.label(KeyCommand::Help, KeyScope::Anywhere), "?");
}

#[test]
fn letters_skip_the_places_where_text_is_typed() {
    // Up works in the Topic filter (text) and in lists (not): k joins only the lists.
    let map = Keymap::with_overrides(&[over("up", &["up", "ctrl+o", "k"], 1)]).expect("valid");
    let k = ev(KeyCode::Char('k'), KeyModifiers::NONE);
    let topic = [KeyScope::Anywhere, KeyScope::Form, KeyScope::Topic];
    let history = [KeyScope::Anywhere, KeyScope::OutsideText, KeyScope::History];
    assert_eq!(command_at(&map, &topic, k), None, "k types into the topic filter");
    assert_eq!(command_at(&map, &history, k), Some(KeyCommand::Up));
    let ctrl_o = ev(KeyCode::Char('o'), KeyModifiers::CONTROL);
    assert_eq!(command_at(&map, &topic, ctrl_o), Some(KeyCommand::Up));
}
