//! Remapped keys in a real terminal: config.toml's `[keys]` moves submit to Ctrl+G; the help overlay
//! and the hint line say so, and Ctrl+G submits the filled form while Ctrl+S no longer does.

use crate::pty::{App, CTRL_S, ENTER, RIGHT, TAB, sandbox};

const F1: &str = "\x1bOP";
const CTRL_G: &str = "\x07";

#[test]
fn a_submit_key_from_config_shows_in_help_and_submits_the_form() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sandbox = sandbox(&rt);
    let data = tempfile::tempdir().unwrap();
    let config = data.path().join("pcsr-config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "[keys]\nsubmit = \"ctrl+g\"\n").unwrap();
    let config_dir = config.to_string_lossy().into_owned();
    let mut app = App::launch_with(
        &sandbox.base_url(),
        data.path(),
        &[("PCSR_CONFIG_DIR", config_dir.as_str())],
    );
    app.wait_for("Cannot manage my profile");
    app.wait_until("the hint line names Ctrl+G", |s| s.contains("Ctrl+G submit"));

    app.keys(F1);
    let help = app.wait_for(" Keys ");
    let submit_row = help
        .lines()
        .find(|l| l.contains("validate and submit"))
        .unwrap_or_else(|| panic!("the help lists submit:\n{help}"));
    assert!(submit_row.contains("Ctrl+G"), "{submit_row}");
    assert!(
        !help.lines().any(|l| l.contains("Ctrl+S") && l.contains("form")),
        "the old key is gone from the form's row:\n{help}"
    );
    app.keys(F1);
    app.wait_until("help closed", |s| !s.contains(" Keys "));

    app.type_text("Printer on fire, remapped");
    app.keys(ENTER);
    app.type_text("It is on fire.");
    app.keys(TAB);
    app.keys(RIGHT);
    app.keys(TAB);
    app.type_text("profile");
    app.keys(CTRL_S);
    // Keys are taken in order: once F1's help has opened and closed, Ctrl+S has been handled,
    // and a submit would already show (the form says "Submitting" as it sends).
    app.keys(F1);
    app.wait_for(" Keys ");
    app.keys(F1);
    let screen = app.wait_until("help closed", |s| !s.contains(" Keys "));
    assert!(
        !screen.contains("Service request created") && !screen.contains("Submitting"),
        "Ctrl+S no longer submits:\n{screen}"
    );
    assert_eq!(sandbox.request_count(), 0, "nothing was filed by Ctrl+S");
    app.keys(CTRL_G);
    app.wait_for("Service request created");
    app.wait_for("Printer on fire, remapped");
    assert_eq!(sandbox.request_count(), 1, "Ctrl+G filed it, once");
    app.keys("q");
    app.wait_exit();
}
