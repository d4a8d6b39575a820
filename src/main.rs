//! Entry point: parse the command line, run a command or the TUI, map failures to exit codes.

use std::process::ExitCode;

use clap::Parser;
use pcsr_tui::cli::{self, Cli};

fn main() -> ExitCode {
    pcsr_tui::heap::one_arena();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // Help and version are not failures; any other parse error is a usage error (exit 1).
            let code = if err.use_stderr() { 1 } else { 0 };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    init_logging(cli.command.is_none());
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("pcsr-tui: error: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(cli::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        // `pcsr-tui list | head -1`: the reader has all it wanted.
        Err(err) if cli::is_closed_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => ExitCode::from(cli::print_error(&err).clamp(1, 255) as u8),
    }
}

/// Commands log to stderr only when `RUST_LOG` asks (stderr is for the command's own messages
/// and progress), without colour unless stderr is a terminal. `PCSR_LOG_FILE` sends logs to that
/// file instead and on its own turns logging on at info level. The TUI owns the screen, so it
/// logs only to PCSR_LOG_FILE.
fn init_logging(tui: bool) {
    use std::io::IsTerminal;
    use tracing_subscriber::EnvFilter;
    let file = std::env::var_os("PCSR_LOG_FILE").filter(|p| !p.is_empty());
    let asked = std::env::var_os("RUST_LOG").is_some_and(|v| !v.is_empty());
    if file.is_none() && (tui || !asked) {
        // Nothing to log to: the filter is not even built, so the TUI never touches (faults in)
        // the filter parser's code.
        return;
    }
    let default_level = if file.is_some() { "info" } else { "warn" };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level));
    if let Some(path) = file {
        match std::fs::OpenOptions::new().create(true).append(true).open(&path) {
            Ok(file) => {
                let _ = tracing_subscriber::fmt()
                    .with_env_filter(filter)
                    .with_ansi(false)
                    .with_writer(std::sync::Mutex::new(file))
                    .try_init();
                return;
            }
            Err(_) if tui => return,
            Err(e) => eprintln!(
                "pcsr-tui: warning: cannot open PCSR_LOG_FILE {}: {e}; logging to stderr",
                std::path::Path::new(&path).display()
            ),
        }
    }
    if !tui {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_ansi(std::io::stderr().is_terminal())
            .with_writer(std::io::stderr)
            .try_init();
    }
}
