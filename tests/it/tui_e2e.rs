//! The real binary in a pseudo-terminal against the in-process sandbox: fill the form with
//! keys, submit, see the result and the history, and survive a SIGKILL with the draft intact.

use std::time::Duration;

use pcsr_tui::sandbox::Fault;

use super::pty::{App, CTRL_R, CTRL_S, ENTER, RIGHT, TAB, eventually, history_row, sandbox};

/// A signal from outside (not a key) ends the app the way `q` does: the terminal is handed back
/// as it was (main screen, cursor shown, echo and line editing on, no mouse or paste modes).
fn signal_restores_the_terminal(signal: libc::c_int) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sandbox = sandbox(&rt);
    let data = tempfile::tempdir().unwrap();
    let mut app = App::launch(&sandbox.base_url(), data.path());
    app.wait_for("Cannot manage my profile");
    {
        let parser = app.screen.lock().unwrap();
        assert!(
            parser.screen().alternate_screen(),
            "the app runs on the alternate screen"
        );
    }
    assert_eq!(app.line_modes(), (false, false), "raw mode while running");
    let pid = app.child.process_id().expect("pid");
    // SAFETY: kill(2) on our own child's pid.
    let rc = unsafe { libc::kill(pid as libc::pid_t, signal) };
    assert_eq!(rc, 0);
    app.wait_exit();
    // The last bytes the app wrote may still be on their way through the reader thread.
    app.wait_screen("the main screen back", |s| !s.alternate_screen());
    let parser = app.screen.lock().unwrap();
    let screen = parser.screen();
    assert!(!screen.hide_cursor(), "the cursor is shown");
    assert!(!screen.bracketed_paste(), "bracketed paste is off");
    assert_eq!(
        screen.mouse_protocol_mode(),
        vt100::MouseProtocolMode::None,
        "mouse reporting is off"
    );
    drop(parser);
    assert_eq!(app.line_modes(), (true, true), "echo and line editing are back");
}

#[test]
fn sigint_from_outside_restores_the_terminal() {
    signal_restores_the_terminal(libc::SIGINT);
}

#[test]
fn sigquit_from_outside_restores_the_terminal() {
    signal_restores_the_terminal(libc::SIGQUIT);
}

#[test]
fn sigterm_from_outside_restores_the_terminal() {
    signal_restores_the_terminal(libc::SIGTERM);
}

#[test]
fn sighup_from_outside_restores_the_terminal() {
    signal_restores_the_terminal(libc::SIGHUP);
}

#[test]
fn submit_from_the_keyboard_then_find_it_in_history_after_a_restart() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sandbox = sandbox(&rt);
    let data = tempfile::tempdir().unwrap();

    let mut app = App::launch(&sandbox.base_url(), data.path());
    app.wait_for("New request");
    app.wait_for("Cannot manage my profile");
    app.type_text("Printer on fire in the PTY test");
    app.keys(ENTER);
    app.type_text("It is on fire.");
    app.keys(ENTER);
    app.type_text("Second line.");
    app.keys(TAB);
    app.keys(RIGHT);
    app.keys(TAB);
    app.type_text("profile");
    app.keys(CTRL_S);

    app.wait_for("Service request created");
    let result = app.wait_until("organization and contact", |s| {
        s.contains("Contoso Sandbox") && s.contains("avery.sandbox@contososandbox.onmicrosoft.com")
    });
    let id = result
        .lines()
        .find_map(|l| l.trim_start_matches('│').strip_prefix("Request id"))
        .map(|rest| rest.trim().trim_end_matches('│').trim().to_string())
        .expect("the request id is on the result screen");
    assert!(!id.is_empty() && id != "—", "{result}");
    assert!(result.contains("Printer on fire in the PTY test"), "{result}");
    assert!(result.contains("Critical"), "{result}");
    assert!(result.contains("MS-RequestId"), "{result}");

    // y copies the id; with no display or tmux the terminal is asked, by OSC 52.
    app.keys("y");
    let encoded = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &id);
    app.wait_for_bytes(
        "the OSC 52 request",
        format!("\x1b]52;c;{encoded}\x07").as_bytes(),
    );
    app.wait_for("by OSC 52");

    app.keys(CTRL_R);
    app.wait_until("the new request in history", |s| {
        history_row(s, &id).is_some_and(|row| row.contains("Printer on fire"))
    });
    app.keys("q");
    app.wait_exit();
    drop(app);

    let mut again = App::launch(&sandbox.base_url(), data.path());
    again.wait_for("New request");
    again.keys(CTRL_R);
    again.wait_until("history after a restart", |s| {
        history_row(s, &id).is_some_and(|row| row.contains("Printer on fire"))
    });
    again.keys("\x03");
    again.wait_exit();
}

#[test]
fn a_draft_survives_sigkill() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sandbox = sandbox(&rt);
    let data = tempfile::tempdir().unwrap();

    let mut app = App::launch(&sandbox.base_url(), data.path());
    app.wait_for("New request");
    app.type_text("Half-written title");
    app.keys(ENTER);
    app.type_text("and a body");
    app.wait_for("and a body");
    // SIGKILL only once the autosave has put the draft in the database.
    let store = pcsr_tui::session::store_path(data.path());
    eventually("the autosaved draft", || {
        let db = pcsr_tui::store::Store::open_read_only(&store).ok().flatten()?;
        let draft = db.load_draft().ok().flatten()?;
        (draft.title == "Half-written title" && draft.description == "and a body").then_some(())
    });
    let pid = app.child.process_id().expect("pid");
    // SIGKILL: no chance to save on the way out.
    // SAFETY: plain kill(2) on our own child's pid.
    let rc = unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
    assert_eq!(rc, 0, "kill -9 the app");
    let _ = app.child.wait();
    drop(app);

    let mut again = App::launch(&sandbox.base_url(), data.path());
    let screen = again.wait_until("the restored draft", |s| {
        s.contains("Half-written title") && s.contains("and a body")
    });
    assert!(screen.contains("Restored your unsent draft"), "{screen}");
    again.keys("\x03");
    again.wait_exit();
}

#[test]
fn quitting_mid_submit_keeps_it_in_the_outbox_and_the_next_start_sends_it() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sandbox = sandbox(&rt);
    let data = tempfile::tempdir().unwrap();

    let mut app = App::launch(&sandbox.base_url(), data.path());
    app.wait_for("14 topics");
    // Every attempt reaches the service and is filed, but no answer gets back: the outcome is
    // unknown and the request must wait in the outbox with its MS-RequestId.
    for _ in 0..12 {
        sandbox.inject(Fault::DropAfterCommit);
    }
    app.type_text("Sent while quitting");
    app.keys(ENTER);
    app.type_text("Body.");
    app.keys(TAB);
    app.keys(RIGHT);
    app.keys(TAB);
    app.type_text("billing");
    app.keys(CTRL_S);
    app.wait_for("Submitting");
    app.wait_for("1 in outbox");
    assert_eq!(sandbox.request_count(), 1, "the first attempt was filed");
    app.keys("\x03");
    app.wait_exit();
    drop(app);
    sandbox.clear_faults();

    let mut again = App::launch(&sandbox.base_url(), data.path());
    let screen = again.wait_for("Sent from the outbox");
    assert!(screen.contains("Sent while quitting"), "{screen}");
    again.keys(CTRL_R);
    again.wait_until("the resent request in history", |s| {
        history_row(s, "Sent while quitting")
            .is_some_and(|row| row.contains("open") || row.contains("created"))
    });
    again.keys("q");
    again.wait_exit();
    // A resend with a new MS-RequestId would have filed a second request.
    assert_eq!(
        sandbox.request_count(),
        1,
        "the resend reused its MS-RequestId: filed once"
    );
}

/// A submit left unknown while the app runs is sent again by the outbox's own timer (first
/// pause 15 s), with no key and no restart, and filed once.
#[test]
fn the_outbox_resends_an_unknown_submit_on_its_own_while_the_app_runs() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sandbox = sandbox(&rt);
    let data = tempfile::tempdir().unwrap();
    let mut app = App::launch(&sandbox.base_url(), data.path());
    app.wait_for("14 topics");
    for _ in 0..12 {
        sandbox.inject(Fault::DropAfterCommit);
    }
    app.type_text("Left for the timer");
    app.keys(ENTER);
    app.type_text("Body.");
    app.keys(TAB);
    app.keys(RIGHT);
    app.keys(TAB);
    app.type_text("billing");
    app.keys(CTRL_S);
    app.wait_for("1 in outbox");
    assert_eq!(sandbox.request_count(), 1, "the first attempt was filed");
    sandbox.clear_faults();
    let screen = app.wait_within(Duration::from_secs(30), "the timer's resend", |s| {
        s.contains("Sent from the outbox") && !s.contains("1 in outbox")
    });
    assert!(screen.contains("Left for the timer"), "{screen}");
    assert_eq!(
        sandbox.request_count(),
        1,
        "resent with its MS-RequestId: filed once"
    );
    app.keys("\x03");
    app.wait_exit();
}

/// What waits in the outbox for an account goes out right after the user signs in inside the
/// app, with the new token, not at the outbox timer's first pass (15 s after start).
#[test]
fn an_unknown_submit_is_resent_right_after_signing_in_in_the_app() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sandbox = sandbox(&rt);
    let url = sandbox.base_url();
    let data = tempfile::tempdir().unwrap();
    // First, with a token: a submit every attempt of which is filed but never answered.
    let mut app = App::launch(&url, data.path());
    app.wait_for("14 topics");
    for _ in 0..12 {
        sandbox.inject(Fault::DropAfterCommit);
    }
    app.type_text("Waiting for a sign-in");
    app.keys(ENTER);
    app.type_text("Body.");
    app.keys(TAB);
    app.keys(RIGHT);
    app.keys(TAB);
    app.type_text("billing");
    app.keys(CTRL_S);
    app.wait_for("1 in outbox");
    app.keys("\x03");
    app.wait_exit();
    drop(app);
    sandbox.clear_faults();
    assert_eq!(sandbox.request_count(), 1);

    // Then signed out, against a sandbox that takes only the tokens it issues.
    sandbox.require_issued_tokens();
    let config = data.path().join("pcsr-config");
    let config = config.to_str().unwrap();
    let env = [
        ("PCSR_TOKEN", ""),
        ("PCSR_AUTHORITY_URL", url.as_str()),
        ("PCSR_KEYRING", "none"),
        ("PCSR_CONFIG_DIR", config),
    ];
    let started = std::time::Instant::now();
    let mut app = App::launch_with(&url, data.path(), &env);
    app.wait_for("Sign in to Partner Center");
    app.keys(ENTER);
    let screen = app.wait_until("signed in, and the outbox sent", |s| {
        s.contains("admin@contoso-sandbox.example") && s.contains("Sent from the outbox")
    });
    assert!(screen.contains("Waiting for a sign-in"), "{screen}");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "sent on the sign-in, before the timer's first pass: {:?}",
        started.elapsed()
    );
    assert_eq!(
        sandbox.request_count(),
        1,
        "resent with its MS-RequestId: filed once"
    );
    app.keys("\x03");
    app.wait_exit();
}

#[test]
fn ctrl_e_edits_the_description_in_the_external_editor() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sandbox = sandbox(&rt);
    let data = tempfile::tempdir().unwrap();
    let editor = data.path().join("fake-editor.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\nprintf 'Written by the editor\\nsecond line\\n' > \"$1\"\n",
    )
    .unwrap();
    let mut perms = std::fs::metadata(&editor).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&editor, perms).unwrap();

    let editor = editor.to_string_lossy().to_string();
    let mut app = App::launch_with(&sandbox.base_url(), data.path(), &[("EDITOR", &editor)]);
    app.wait_for("New request");
    app.keys(TAB);
    app.keys("\x05");
    let screen = app.wait_until("the edited description", |s| {
        s.contains("Written by the editor") && s.contains("second line")
    });
    assert!(screen.contains("Description updated from the editor"), "{screen}");
    // Keys still reach the app after the editor: the input task resumed.
    app.keys(CTRL_R);
    app.wait_for("Local 0");
    app.keys("q");
    app.wait_exit();
}

#[test]
fn without_credentials_the_tui_opens_on_sign_in_and_switches_to_the_signed_in_user() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sandbox = sandbox(&rt);
    let url = sandbox.base_url();
    let data = tempfile::tempdir().unwrap();
    let config = data.path().join("pcsr-config");
    let config = config.to_str().unwrap();
    let env = [
        ("PCSR_TOKEN", ""),
        ("PCSR_AUTHORITY_URL", url.as_str()),
        ("PCSR_KEYRING", "none"),
        ("PCSR_CONFIG_DIR", config),
    ];
    // Strict: the API takes only tokens its sign-in emulator issued, so the form below works
    // only if the app sends the token it signed in for.
    sandbox.require_issued_tokens();
    let mut app = App::launch_with(&url, data.path(), &env);
    app.wait_until("the sign-in screen", |s| {
        s.contains("Sign in to Partner Center") && s.contains("not signed in")
    });
    app.keys(ENTER);
    let prompt = app.wait_for("Code expires in");
    assert!(
        prompt.contains("SBX") && prompt.contains("/devicelogin"),
        "{prompt}"
    );
    let done = app.wait_for("Signed in as admin@contoso-sandbox.example");
    assert!(done.contains("New request"), "back on the form: {done}");
    assert!(!done.contains("not signed in"), "{done}");
    app.wait_for("Cannot manage my profile");
    app.type_text("Filed with the signed-in token");
    app.keys(ENTER);
    app.type_text("Body.");
    app.keys(TAB);
    app.keys(RIGHT);
    app.keys(TAB);
    app.type_text("profile");
    app.keys(CTRL_S);
    app.wait_for("Service request created");
    assert_eq!(
        sandbox.request_count(),
        1,
        "the strict sandbox took the issued token"
    );
    assert!(
        !sandbox.oauth().issued_tokens().is_empty(),
        "the emulator issued the token the app used"
    );
    app.keys("\x03");
    app.wait_exit();
}

/// The very first start: no PCSR_* variable, no config, no sign-in. The TUI runs on its
/// built-in sandbox, says so with the SANDBOX badge, and a request can be filed at once.
#[test]
fn a_first_run_with_nothing_set_opens_the_form_on_the_built_in_sandbox() {
    let home = tempfile::tempdir().unwrap();
    let mut app = App::first_run(home.path());
    let screen = app.wait_until("the form with the sandbox's topics", |s| {
        s.contains("New request") && s.contains("Cannot manage my profile")
    });
    assert!(
        screen.contains(" SANDBOX "),
        "the badge says where requests go:\n{screen}"
    );
    assert!(
        !screen.contains("Sign in to Partner Center"),
        "no sign-in first:\n{screen}"
    );
    app.type_text("My first sandbox request");
    app.keys(ENTER);
    app.type_text("Trying it out.");
    app.keys(TAB);
    app.keys(RIGHT);
    app.keys(TAB);
    app.type_text("profile");
    app.keys(CTRL_S);
    app.wait_for("Service request created");
    app.keys("q");
    app.wait_exit();
    let data = home.path().join("data").join("pcsr-tui");
    assert!(
        data.join("sandbox.sqlite").is_file(),
        "the built-in sandbox keeps its state in the platform data dir: {}",
        data.display()
    );
}
