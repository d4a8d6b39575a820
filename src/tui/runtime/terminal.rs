//! Entering and leaving the terminal's app mode: raw mode, alternate screen, bracketed paste,
//! mouse. Restored on every exit path, including panics (on any thread).

use std::io::{self, Write, stdout};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType as BackendClear, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{execute, queue};
use ratatui::layout::{Position, Size};

/// The terminal type the app draws on.
pub type Tui = Terminal<QuietBackend>;

static PANICKED: AtomicBool = AtomicBool::new(false);
static HOOK: Once = Once::new();

/// Whether some thread panicked (the terminal is already restored then; the loop must stop).
pub fn panicked() -> bool {
    PANICKED.load(Ordering::SeqCst)
}

fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICKED.store(true, Ordering::SeqCst);
            restore();
            previous(info);
        }));
    });
}

/// Switches the terminal to app mode.
pub fn enter() -> std::io::Result<Tui> {
    install_panic_hook();
    setup()?;
    fresh()
}

/// A new terminal on a cleared screen. `Terminal::clear` would ask the terminal for the cursor
/// position and wait for the answer; a fullscreen app does not need it.
fn fresh() -> std::io::Result<Tui> {
    execute!(stdout(), Clear(ClearType::All))?;
    Terminal::new(QuietBackend::new()?)
}

/// Crossterm's backend made quiet for the key path: a frame reaches the terminal in one `write`
/// (stdout's own buffer would split a full-screen frame into 1 KiB writes, each waking the
/// terminal's reader), a frame that changes no cell writes nothing at all (ratatui would still
/// send colour resets, hide the already hidden cursor and move the cursor to where it already
/// is, so a store reply or a timer that changed nothing on screen would reach the terminal as a
/// late extra frame), and the size comes from the last resize event instead of opening /dev/tty
/// for an ioctl on every draw.
pub struct QuietBackend {
    inner: CrosstermBackend<FrameBuffer>,
    cursor_hidden: Option<bool>,
    /// Where the terminal's cursor is, when the last thing sent was a move there (drawing
    /// cells moves it).
    cursor_at: Option<Position>,
    size: Size,
}

impl QuietBackend {
    fn new() -> io::Result<QuietBackend> {
        let inner = CrosstermBackend::new(FrameBuffer(Vec::with_capacity(64 * 1024)));
        let size = inner.size()?;
        Ok(QuietBackend {
            inner,
            cursor_hidden: None,
            cursor_at: None,
            size,
        })
    }

    /// The terminal changed size (a resize event); the next draw lays out for it.
    pub fn resized(&mut self, width: u16, height: u16) {
        self.size = Size { width, height };
    }
}

/// Collects a frame's bytes; `flush` hands them to the terminal in one write.
struct FrameBuffer(Vec<u8>);

impl Write for FrameBuffer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.0.is_empty() {
            return Ok(());
        }
        let mut out = stdout().lock();
        let result = out.write_all(&self.0).and_then(|()| out.flush());
        self.0.clear();
        result
    }
}

impl Backend for QuietBackend {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let mut content = content.peekable();
        if content.peek().is_none() {
            return Ok(());
        }
        self.cursor_at = None;
        super::cells::write(&mut self.inner, content)
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.cursor_hidden != Some(true) {
            queue!(self.inner, ratatui::crossterm::cursor::Hide)?;
            self.cursor_hidden = Some(true);
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        if self.cursor_hidden != Some(false) {
            queue!(self.inner, ratatui::crossterm::cursor::Show)?;
            self.cursor_hidden = Some(false);
        }
        Ok(())
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let position = position.into();
        if self.cursor_at == Some(position) {
            return Ok(());
        }
        self.cursor_at = Some(position);
        queue!(
            self.inner,
            ratatui::crossterm::cursor::MoveTo(position.x, position.y)
        )
    }

    fn clear(&mut self) -> io::Result<()> {
        self.cursor_at = None;
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: BackendClear) -> io::Result<()> {
        self.cursor_at = None;
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> io::Result<Size> {
        Ok(self.size)
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

fn setup() -> std::io::Result<()> {
    enable_raw_mode()?;
    execute!(
        stdout(),
        EnterAlternateScreen,
        EnableBracketedPaste,
        EnableMouseCapture
    )
}

/// Gives the terminal back as it was. Safe to call more than once.
pub fn restore() {
    // Each step on its own: one failing must not skip the others.
    let _ = execute!(stdout(), DisableMouseCapture);
    let _ = execute!(stdout(), DisableBracketedPaste);
    let _ = execute!(stdout(), LeaveAlternateScreen);
    let _ = disable_raw_mode();
    let _ = execute!(stdout(), ratatui::crossterm::cursor::Show);
}

/// Hands the terminal to another program (the editor).
pub fn suspend() {
    restore();
}

/// Takes the terminal back after [`suspend`]; the new terminal redraws everything.
pub fn resume(terminal: &mut Tui) -> std::io::Result<()> {
    setup()?;
    *terminal = fresh()?;
    Ok(())
}
