//! The real binary in a pseudo-terminal against the in-process sandbox: fill the form with
//! keys, submit, see the result and the history, and survive a SIGKILL with the draft intact.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pcsr_tui::sandbox::{Fault, SANDBOX_TOKEN, Sandbox, SandboxOptions};
use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

const COLS: u16 = 100;
const ROWS: u16 = 30;
const DEADLINE: Duration = Duration::from_secs(15);

/// The app running in a PTY, with a vt100 parser keeping the screen.
pub(crate) struct App {
    child: Box<dyn Child + Send + Sync>,
    /// Our own copy of the PTY master, to read the terminal modes after the app is gone.
    master_fd: i32,
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
}

impl App {
    fn launch(base_url: &str, data_dir: &Path) -> App {
        App::launch_with(base_url, data_dir, &[])
    }

    pub(crate) fn launch_with(base_url: &str, data_dir: &Path, env: &[(&str, &str)]) -> App {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_pcsr-tui"));
        cmd.env("PCSR_BASE_URL", base_url);
        cmd.env("PCSR_TOKEN", SANDBOX_TOKEN);
        cmd.env("PCSR_DATA_DIR", data_dir);
        // Keep the user's real config and keyring out of it.
        cmd.env("HOME", data_dir);
        cmd.env("XDG_CONFIG_HOME", data_dir.join("config"));
        cmd.env("XDG_DATA_HOME", data_dir.join("data"));
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        cmd.env_remove("VISUAL");
        cmd.env_remove("EDITOR");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pty.slave.spawn_command(cmd).expect("start pcsr-tui");
        let raw = pty.master.as_raw_fd().expect("the pty master has a descriptor");
        // SAFETY: dup(2) of a descriptor we own; the copy is closed in Drop.
        let master_fd = unsafe { libc::dup(raw) };
        assert!(master_fd >= 0, "dup the pty master");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("pty reader");
        let writer = pty.master.take_writer().expect("pty writer");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(ROWS, COLS, 0)));
        let sink = Arc::clone(&screen);
        std::thread::spawn(move || {
            // Keep the master alive as long as we read from it.
            let _master = pty.master;
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&buf[..n]);
            }
        });
        App {
            child,
            master_fd,
            writer,
            screen,
        }
    }

    pub(crate) fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Polls the screen until `pred` holds; fails with the screen when the deadline passes.
    pub(crate) fn wait_until(&mut self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let text = self.contents();
            if pred(&text) {
                return text;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("pcsr-tui exited ({status:?}) while waiting for {what}; screen:\n{text}");
            }
            if start.elapsed() > DEADLINE {
                panic!("timed out waiting for {what}; screen:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub(crate) fn wait_for(&mut self, needle: &str) -> String {
        self.wait_until(needle, |s| s.contains(needle))
    }

    pub(crate) fn keys(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).expect("write to the pty");
        self.writer.flush().expect("flush the pty");
        // Let the app read and draw before the next key (one key = one action).
        std::thread::sleep(Duration::from_millis(30));
    }

    pub(crate) fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.keys(&c.to_string());
        }
    }

    pub(crate) fn wait_exit(&mut self) {
        let start = Instant::now();
        while start.elapsed() < DEADLINE {
            if let Ok(Some(status)) = self.child.try_wait() {
                assert!(
                    status.success(),
                    "pcsr-tui exited with {status:?}; screen:\n{}",
                    self.contents()
                );
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("pcsr-tui did not exit; screen:\n{}", self.contents());
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
        // SAFETY: closing the descriptor dup'ed in `launch_with`, once.
        unsafe { libc::close(self.master_fd) };
    }
}

impl App {
    /// The terminal's line discipline as the app left it: (echo, canonical input).
    fn line_modes(&self) -> (bool, bool) {
        // SAFETY: tcgetattr on a valid descriptor into a zeroed termios we own.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        let rc = unsafe { libc::tcgetattr(self.master_fd, &mut t) };
        assert_eq!(rc, 0, "tcgetattr on the pty");
        (t.c_lflag & libc::ECHO != 0, t.c_lflag & libc::ICANON != 0)
    }
}

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
    std::thread::sleep(Duration::from_millis(100));
    let parser = app.screen.lock().unwrap();
    let screen = parser.screen();
    assert!(!screen.alternate_screen(), "back on the main screen");
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

pub(crate) fn sandbox(rt: &tokio::runtime::Runtime) -> Sandbox {
    rt.block_on(Sandbox::start(SandboxOptions {
        db_path: None,
        bind: "127.0.0.1:0".parse().unwrap(),
    }))
    .expect("sandbox starts")
}

const TAB: &str = "\t";
const ENTER: &str = "\r";
const RIGHT: &str = "\x1b[C";
const CTRL_S: &str = "\x13";
const CTRL_R: &str = "\x12";

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

    app.keys(CTRL_R);
    app.wait_until("the new request in history", |s| {
        s.contains("Printer on fire") && s.contains(&id)
    });
    app.keys("q");
    app.wait_exit();
    drop(app);

    let mut again = App::launch(&sandbox.base_url(), data.path());
    again.wait_for("New request");
    again.keys(CTRL_R);
    again.wait_until("history after a restart", |s| {
        s.contains("Printer on fire") && s.contains(&id)
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
    // The draft is saved within 250 ms of the last key (a 200 ms autosave clock).
    std::thread::sleep(Duration::from_millis(300));
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
        s.contains("created") && s.contains("Sent while quitting")
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
    app.wait_for("History:");
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
    app.keys("\x03");
    app.wait_exit();
}
