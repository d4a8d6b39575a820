//! Retries shown as progress on a terminal: a slow write says what it is waiting for instead of
//! sitting silent, and logs stay out of stderr unless `RUST_LOG` asks for them.

use std::io::IsTerminal as _;
use std::time::Duration;

use crate::api::ClientEvent;
use crate::backend::Backend;

/// The printer of one command's progress lines; stops when dropped.
pub(super) struct Progress {
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// `client` reporting its retries as lines on stderr when stderr is a terminal (and `--quiet`
/// is off); otherwise `client` as it is.
pub(super) fn attach(client: &Backend) -> (Backend, Progress) {
    if super::quiet() || !std::io::stderr().is_terminal() {
        return (client.clone(), Progress { task: None });
    }
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let task = tokio::spawn(async move {
        while let Some(event) = rx.recv().await {
            eprintln!("pcsr-tui: {}", line(&event));
        }
    });
    (client.clone().with_events(tx), Progress { task: Some(task) })
}

/// An upload's progress bar on stderr, redrawn in place; silent unless stderr is a terminal
/// (and `--quiet` is off), so scripts and logs get no control characters.
pub(super) struct Bar {
    name: String,
    shown: Option<u64>,
    on: bool,
}

impl Bar {
    /// A bar for uploading `name` of `total` bytes.
    pub(super) fn new(name: &str) -> Self {
        Bar {
            name: crate::text::one_line(name),
            shown: None,
            on: !super::quiet() && std::io::stderr().is_terminal(),
        }
    }

    /// Shows `sent` of `total` bytes (only when the percentage moved).
    pub(super) fn show(&mut self, sent: u64, total: u64) {
        let percent = (sent.saturating_mul(100))
            .checked_div(total)
            .unwrap_or(100)
            .min(100);
        if !self.on || self.shown == Some(percent) {
            return;
        }
        self.shown = Some(percent);
        eprint!("\r{}", bar_line(&self.name, sent, total));
    }

    /// Ends the bar's line.
    pub(super) fn done(&mut self) {
        if self.on && self.shown.is_some() {
            eprintln!();
        }
    }
}

/// `name [######----------] 40% 2.0 MiB of 5.0 MiB`.
fn bar_line(name: &str, sent: u64, total: u64) -> String {
    const WIDTH: u64 = 24;
    let filled = (sent.saturating_mul(WIDTH))
        .checked_div(total)
        .unwrap_or(WIDTH)
        .min(WIDTH);
    let percent = (sent.saturating_mul(100))
        .checked_div(total)
        .unwrap_or(100)
        .min(100);
    let size = |n: u64| crate::domain::human_bytes(usize::try_from(n).unwrap_or(usize::MAX));
    format!(
        "{name} [{}{}] {percent:>3}% {} of {}",
        "#".repeat(filled as usize),
        "-".repeat((WIDTH - filled) as usize),
        size(sent),
        size(total)
    )
}

/// One progress line.
fn line(event: &ClientEvent) -> String {
    match event {
        ClientEvent::Retrying {
            attempt,
            max_attempts,
            wait,
            reason,
        } => format!(
            "no answer yet ({}); trying again in {} (attempt {attempt} of {max_attempts}, same MS-RequestId)",
            crate::text::one_line(reason),
            seconds(*wait)
        ),
        ClientEvent::RateLimited { wait } => {
            format!(
                "the service asks to slow down; trying again in {}",
                seconds(*wait)
            )
        }
        ClientEvent::RefreshingToken => "the token was refused; refreshing it".to_string(),
    }
}

fn seconds(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upload_bar_fills_with_the_bytes_sent() {
        assert_eq!(
            bar_line("trace.txt", 0, 4096),
            "trace.txt [------------------------]   0% 0 bytes of 4.0 KiB"
        );
        assert_eq!(
            bar_line("trace.txt", 2048, 4096),
            "trace.txt [############------------]  50% 2.0 KiB of 4.0 KiB"
        );
        assert_eq!(
            bar_line("trace.txt", 4096, 4096),
            "trace.txt [########################] 100% 4.0 KiB of 4.0 KiB"
        );
    }

    #[test]
    fn a_retry_reads_as_progress_with_its_reason_and_wait() {
        let text = line(&ClientEvent::Retrying {
            attempt: 2,
            max_attempts: 4,
            wait: Duration::from_millis(500),
            reason: "HTTP 503".into(),
        });
        assert_eq!(
            text,
            "no answer yet (HTTP 503); trying again in 0.5 s (attempt 2 of 4, same MS-RequestId)"
        );
    }
}
