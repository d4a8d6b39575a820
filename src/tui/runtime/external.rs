//! Running a small outside tool (a clipboard helper, the browser opener) without letting it
//! touch the terminal the app draws on. Blocking: callers run it on a blocking thread.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How a tool run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ran {
    /// It exited successfully.
    Done,
    /// It is still running after the wait (openers may stay until the browser closes).
    StillRunning,
    /// It could not start, or exited with an error.
    Failed(String),
}

/// Runs `argv` with `input` on its standard input and no access to the terminal; waits at most
/// `wait` for it to exit. A tool still running then is left alone (its exit is reaped by a
/// thread of its own) and reported as [`Ran::StillRunning`].
pub fn run(argv: &[&str], input: Option<&str>, wait: Duration) -> Ran {
    let Some((program, args)) = argv.split_first() else {
        return Ran::Failed("no program".into());
    };
    let spawned = Command::new(program)
        .args(args)
        // Never the terminal: a tool that drew or read there would break the app's screen.
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) => return Ran::Failed(format!("{program}: {e}")),
    };
    if let (Some(text), Some(mut stdin)) = (input, child.stdin.take())
        && let Err(e) = stdin.write_all(text.as_bytes())
    {
        let _ = child.kill();
        let _ = child.wait();
        return Ran::Failed(format!("{program}: {e}"));
    }
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ran::Done,
            Ok(Some(status)) => return Ran::Failed(format!("{program} exited with {status}")),
            Ok(None) if start.elapsed() >= wait => {
                std::thread::spawn(move || child.wait());
                return Ran::StillRunning;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Ran::Failed(format!("{program}: {e}")),
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn success_failure_and_a_missing_program_are_told_apart() {
        let wait = Duration::from_secs(5);
        assert_eq!(run(&["sh", "-c", "cat >/dev/null"], Some("x"), wait), Ran::Done);
        assert!(matches!(run(&["sh", "-c", "exit 3"], None, wait), Ran::Failed(_)));
        assert!(matches!(
            run(&["pcsr-tui-no-such-program"], None, wait),
            Ran::Failed(_)
        ));
        assert_eq!(
            run(&["sleep", "5"], None, Duration::from_millis(50)),
            Ran::StillRunning
        );
    }
}
