//! Signals while the TUI is still starting: the first frame is on screen (raw mode is on) but
//! the session is not up yet (a sandbox starting, a slow network). The app must hand the
//! terminal back then too, not die raw.
//!
//! The app under test is this test binary itself, run in a PTY with a session that never comes
//! up: `starting_app` below runs `tui::run` with a `connect` that never finishes.

use std::time::{Duration, Instant};

use pcsr_tui::tui::keys::Keymap;
use pcsr_tui::tui::theme::Theme;
use pcsr_tui::tui::{Account, Context};
use portable_pty::CommandBuilder;

use super::pty::{App, DEADLINE};

/// Set (to a data directory) in the child that plays the app.
const CHILD: &str = "PCSR_TEST_STARTING_APP";

/// Not a test of its own: the app the PTY test below runs. Without `CHILD` it does nothing.
#[test]
#[ignore = "the app the start-up signal tests below run in a PTY"]
fn starting_app() {
    let Some(dir) = std::env::var_os(CHILD) else {
        return;
    };
    let ctx = Context {
        // The session never comes up: start-up lasts until a signal ends it.
        connect: Box::pin(std::future::pending()),
        store_path: std::path::PathBuf::from(dir).join("history.sqlite3"),
        service: pcsr_tui::domain::Service::PartnerCenter,
        subscription: None,
        account: Account::Token,
        cloud: pcsr_tui::auth::Cloud::Global,
        locale: "en-US".into(),
        sign_in: pcsr_tui::worker::SignInSetup {
            env: Err("no sign-in in this test".into()),
            base_url_override: None,
        },
        keymap: Keymap::default(),
        theme: Theme::MONO,
        severity: None,
        refresh_minutes: 0,
        customer: None,
        azure: Default::default(),
        switch: None,
        others: Vec::new(),
        carry: None,
        land: Default::default(),
        notice: None,
    };
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    rt.block_on(pcsr_tui::tui::run(ctx))
        .expect("the app ends without an error");
}

fn signal_during_start_up(signal: libc::c_int) {
    let data = tempfile::tempdir().unwrap();
    let mut cmd = CommandBuilder::new(std::env::current_exe().expect("this test binary"));
    cmd.args([
        "--exact",
        "tui_startup::starting_app",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ]);
    cmd.env(CHILD, data.path());
    cmd.env("HOME", data.path());
    cmd.env("TERM", "xterm-256color");
    let mut app = App::run(cmd);
    // The form is drawn before the session is awaited: from here on the terminal is raw.
    app.wait_for("New request");
    assert_eq!(app.line_modes(), (false, false), "raw mode while starting");
    let pid = app.child.process_id().expect("pid");
    // SAFETY: kill(2) on our own child's pid.
    assert_eq!(unsafe { libc::kill(pid as libc::pid_t, signal) }, 0);
    app.wait_exit();
    let start = Instant::now();
    loop {
        // The reader thread may still be feeding the last bytes to the parser.
        let restored = {
            let parser = app.screen.lock().unwrap();
            let screen = parser.screen();
            !screen.alternate_screen()
                && !screen.hide_cursor()
                && !screen.bracketed_paste()
                && screen.mouse_protocol_mode() == vt100::MouseProtocolMode::None
        };
        if restored {
            break;
        }
        assert!(
            start.elapsed() < DEADLINE,
            "the terminal was left in app mode (alternate screen, hidden cursor, paste or mouse modes):\n{}",
            app.contents()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(app.line_modes(), (true, true), "echo and line editing are back");
}

#[test]
fn sigterm_during_start_up_restores_the_terminal() {
    signal_during_start_up(libc::SIGTERM);
}

#[test]
fn sighup_during_start_up_restores_the_terminal() {
    signal_during_start_up(libc::SIGHUP);
}
