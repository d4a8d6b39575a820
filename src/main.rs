//! Entry point: parse the command line, run a command or the TUI, map failures to exit codes.

use std::process::ExitCode;

use clap::Parser;
use pcsr_tui::cli::{self, Cli};

fn main() -> ExitCode {
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
        Err(err) => ExitCode::from(cli::print_error(&err).clamp(1, 255) as u8),
    }
}

/// Logs go to stderr for commands (RUST_LOG, default warnings); the TUI owns the screen, so it
/// logs nothing unless RUST_LOG is set, and then only to the file named by PCSR_LOG_FILE.
fn init_logging(tui: bool) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(if tui { "off" } else { "warn" }));
    if tui {
        let Some(path) = std::env::var_os("PCSR_LOG_FILE") else {
            return;
        };
        if let Ok(file) = std::fs::OpenOptions::new().create(true).append(true).open(path) {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_ansi(false)
                .with_writer(file)
                .try_init();
        }
    } else {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .try_init();
    }
}
