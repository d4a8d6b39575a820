//! The real binary in a pseudo-terminal, with a vt100 parser keeping its screen: the harness the
//! end-to-end tests drive the TUI with, as a user would.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pcsr_tui::sandbox::{SANDBOX_TOKEN, Sandbox, SandboxOptions};
use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

pub(crate) const COLS: u16 = 100;
pub(crate) const ROWS: u16 = 30;
pub(crate) const DEADLINE: Duration = Duration::from_secs(15);

/// The app running in a PTY, with a vt100 parser keeping the screen.
pub(crate) struct App {
    pub(crate) child: Box<dyn Child + Send + Sync>,
    /// Our own copy of the PTY master, to read the terminal modes after the app is gone.
    pub(crate) master_fd: i32,
    pub(crate) writer: Box<dyn Write + Send>,
    pub(crate) screen: Arc<Mutex<vt100::Parser>>,
    /// Every byte the app wrote, for what the screen does not keep (OSC 52 requests).
    pub(crate) raw: Arc<Mutex<Vec<u8>>>,
}

impl App {
    pub(crate) fn launch(base_url: &str, data_dir: &Path) -> App {
        App::launch_with(base_url, data_dir, &[])
    }

    /// Against `base_url` with the sandbox's token, data and config in `data_dir`, the
    /// keyring off; `env` adds or overrides variables.
    pub(crate) fn launch_with(base_url: &str, data_dir: &Path, env: &[(&str, &str)]) -> App {
        let data = data_dir.to_string_lossy().into_owned();
        let config = data_dir.join("pcsr-config").to_string_lossy().into_owned();
        let mut all = vec![
            ("PCSR_BASE_URL", base_url),
            ("PCSR_TOKEN", SANDBOX_TOKEN),
            ("PCSR_DATA_DIR", data.as_str()),
            ("PCSR_CONFIG_DIR", config.as_str()),
            ("PCSR_KEYRING", "none"),
        ];
        all.extend_from_slice(env);
        App::start(data_dir, &all)
    }

    /// As a new user starts it: no PCSR_* variable at all, a fresh home under `home`.
    pub(crate) fn first_run(home: &Path) -> App {
        App::start(home, &[])
    }

    /// The binary in a fresh PTY with a private home under `home` and none of the caller's
    /// PCSR_* settings, log filter, editor or session bus; then `env` on top.
    fn start(home: &Path, env: &[(&str, &str)]) -> App {
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_pcsr-tui"));
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("PCSR_") {
                cmd.env_remove(&key);
            }
        }
        for var in [
            "RUST_LOG",
            "NO_COLOR",
            "VISUAL",
            "EDITOR",
            "DBUS_SESSION_BUS_ADDRESS",
            // No display or tmux: the clipboard is then the terminal's (OSC 52), never the
            // user's own.
            "DISPLAY",
            "WAYLAND_DISPLAY",
            "TMUX",
        ] {
            cmd.env_remove(var);
        }
        // Keep the user's real config, data and keyring out of it.
        cmd.env("HOME", home);
        cmd.env("XDG_CONFIG_HOME", home.join("config"));
        cmd.env("XDG_DATA_HOME", home.join("data"));
        cmd.env("XDG_CACHE_HOME", home.join("cache"));
        cmd.env("TERM", "xterm-256color");
        for (k, v) in env {
            cmd.env(k, v);
        }
        App::run(cmd)
    }

    /// Opens a PTY of `COLS` x `ROWS` and runs `cmd` in it.
    pub(crate) fn run(cmd: CommandBuilder) -> App {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
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
        let raw = Arc::new(Mutex::new(Vec::new()));
        let raw_sink = Arc::clone(&raw);
        std::thread::spawn(move || {
            // Keep the master alive as long as we read from it.
            let _master = pty.master;
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                raw_sink.lock().unwrap().extend_from_slice(&buf[..n]);
                sink.lock().unwrap().process(&buf[..n]);
            }
        });
        App {
            child,
            master_fd,
            writer,
            screen,
            raw,
        }
    }

    pub(crate) fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Polls the screen until `pred` holds; fails with the screen when the deadline passes.
    pub(crate) fn wait_until(&mut self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        self.wait_within(DEADLINE, what, pred)
    }

    /// [`App::wait_until`] with its own deadline, for what the app does on a timer.
    pub(crate) fn wait_within(
        &mut self,
        deadline: Duration,
        what: &str,
        pred: impl Fn(&str) -> bool,
    ) -> String {
        let start = Instant::now();
        loop {
            let text = self.contents();
            if pred(&text) {
                return text;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("pcsr-tui exited ({status:?}) while waiting for {what}; screen:\n{text}");
            }
            if start.elapsed() > deadline {
                panic!("timed out waiting for {what}; screen:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Polls the terminal's state (modes, not just text) until `pred` holds.
    pub(crate) fn wait_screen(&self, what: &str, pred: impl Fn(&vt100::Screen) -> bool) {
        let start = Instant::now();
        while !pred(self.screen.lock().unwrap().screen()) {
            assert!(
                start.elapsed() < DEADLINE,
                "timed out waiting for {what}; screen:\n{}",
                self.contents()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits until the app has written `bytes` (anywhere in its output so far).
    pub(crate) fn wait_for_bytes(&self, what: &str, bytes: &[u8]) {
        eventually(what, || {
            let raw = self.raw.lock().unwrap();
            raw.windows(bytes.len()).any(|w| w == bytes).then_some(())
        });
    }

    pub(crate) fn wait_for(&mut self, needle: &str) -> String {
        self.wait_until(needle, |s| s.contains(needle))
    }

    /// Sends `bytes` as typed. No pause after: the app applies keys in the order they arrive
    /// (state changes are synchronous in `update`), so a test waits only for what it must see.
    /// One exception: a lone Esc must be followed by a wait for its effect, or the terminal
    /// reader may take Esc and the next key together as Alt+key, as a real terminal would.
    pub(crate) fn keys(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).expect("write to the pty");
        self.writer.flush().expect("flush the pty");
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
    pub(crate) fn line_modes(&self) -> (bool, bool) {
        // SAFETY: tcgetattr on a valid descriptor into a zeroed termios we own.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        let rc = unsafe { libc::tcgetattr(self.master_fd, &mut t) };
        assert_eq!(rc, 0, "tcgetattr on the pty");
        (t.c_lflag & libc::ECHO != 0, t.c_lflag & libc::ICANON != 0)
    }
}

/// The history table's row holding `needle`, if the history screen is showing (the result
/// screen names the request id too, so a bare `contains` cannot tell them apart).
pub(crate) fn history_row(screen: &str, needle: &str) -> Option<String> {
    if !screen.contains("┌ History") {
        return None;
    }
    screen
        .lines()
        .find(|l| l.contains(needle) && l.starts_with('│'))
        .map(str::to_string)
}

/// Polls `check` every few milliseconds until it gives a value; fails naming `what` when
/// [`DEADLINE`] passes first.
pub(crate) fn eventually<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(start.elapsed() < DEADLINE, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The in-process sandbox on a free loopback port.
pub(crate) fn sandbox(rt: &tokio::runtime::Runtime) -> Sandbox {
    rt.block_on(Sandbox::start(SandboxOptions {
        db_path: None,
        bind: "127.0.0.1:0".parse().unwrap(),
    }))
    .expect("sandbox starts")
}

pub(crate) const TAB: &str = "\t";
pub(crate) const ENTER: &str = "\r";
pub(crate) const RIGHT: &str = "\x1b[C";
pub(crate) const CTRL_S: &str = "\x13";
pub(crate) const CTRL_R: &str = "\x12";
pub(crate) const CTRL_N: &str = "\x0e";
pub(crate) const F7: &str = "\x1b[18~";
