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
}

impl App {
    pub(crate) fn launch(base_url: &str, data_dir: &Path) -> App {
        App::launch_with(base_url, data_dir, &[])
    }

    pub(crate) fn launch_with(base_url: &str, data_dir: &Path, env: &[(&str, &str)]) -> App {
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
    pub(crate) fn line_modes(&self) -> (bool, bool) {
        // SAFETY: tcgetattr on a valid descriptor into a zeroed termios we own.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        let rc = unsafe { libc::tcgetattr(self.master_fd, &mut t) };
        assert_eq!(rc, 0, "tcgetattr on the pty");
        (t.c_lflag & libc::ECHO != 0, t.c_lflag & libc::ICANON != 0)
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
