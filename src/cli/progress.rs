//! Retries shown as progress on a terminal: a slow write says what it is waiting for instead of
//! sitting silent, and logs stay out of stderr unless `RUST_LOG` asks for them.

use std::io::IsTerminal as _;
use std::time::Duration;

use crate::api::{Client, ClientEvent};

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
pub(super) fn attach(client: &Client) -> (Client, Progress) {
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
