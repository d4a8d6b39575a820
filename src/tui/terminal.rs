//! Entering and leaving the terminal's app mode: raw mode, alternate screen, bracketed paste,
//! mouse. Restored on every exit path, including panics (on any thread).

use std::io::{Stdout, stdout};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

/// The terminal type the app draws on.
pub type Tui = Terminal<CrosstermBackend<Stdout>>;

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
    Terminal::new(CrosstermBackend::new(stdout()))
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
