//! How `pcsr-tui login` shows the device code and the countdown on a terminal or in a log.

use std::io::Write;
use std::time::Duration;

use time::OffsetDateTime;

use super::device::{DeviceCodePrompt, PollStatus};

/// `14:05` for a countdown.
pub fn mm_ss(d: Duration) -> String {
    let s = d.as_secs();
    format!("{:02}:{:02}", s / 60, s % 60)
}

/// Writes the prompt and progress; on a terminal the countdown redraws one line in place,
/// elsewhere only changes are printed so logs stay short.
pub struct LoginPrinter<'a> {
    out: &'a mut (dyn Write + Send),
    tty: bool,
    line_open: bool,
}

impl<'a> LoginPrinter<'a> {
    /// A printer to `out`; `tty` = it is a terminal.
    pub fn new(out: &'a mut (dyn Write + Send), tty: bool) -> Self {
        LoginPrinter {
            out,
            tty,
            line_open: false,
        }
    }

    /// Where to go, which code to enter, how long it lasts.
    pub fn prompt(&mut self, prompt: &DeviceCodePrompt, now: OffsetDateTime) {
        let minutes = (prompt.expires_at - now).whole_minutes().max(0);
        let copied = if self.tty {
            " (copied to the clipboard)"
        } else {
            ""
        };
        let _ = writeln!(
            self.out,
            "To sign in, open {} in a browser",
            prompt.verification_uri
        );
        let _ = writeln!(
            self.out,
            "and enter the code {}{copied}. The code expires in {minutes} min.",
            prompt.user_code
        );
        if self.tty {
            let _ = write!(self.out, "{}", crate::text::osc52(&prompt.user_code, false));
        }
        let _ = self.out.flush();
    }

    /// One progress event from the flow.
    pub fn tick(&mut self, status: PollStatus) {
        match status {
            PollStatus::Waiting { remaining, .. } if self.tty => {
                let _ = write!(
                    self.out,
                    "\r\x1b[2KWaiting for the sign-in in the browser… {} left",
                    mm_ss(remaining)
                );
                self.line_open = true;
            }
            PollStatus::Waiting { .. } | PollStatus::Pending => {}
            PollStatus::SlowDown { interval } => {
                self.end_line();
                let _ = writeln!(
                    self.out,
                    "The sign-in service asked to check less often: every {} s now.",
                    interval.as_secs()
                );
            }
        }
        if !self.tty && !self.line_open {
            let _ = writeln!(self.out, "Waiting for the sign-in in the browser…");
            self.line_open = true;
        }
        let _ = self.out.flush();
    }

    /// Ends the countdown line.
    pub fn done(&mut self) {
        if self.tty {
            self.end_line();
        }
        let _ = self.out.flush();
    }

    fn end_line(&mut self) {
        if self.tty && self.line_open {
            let _ = writeln!(self.out);
            self.line_open = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_carries_the_code_in_base64() {
        assert_eq!(
            crate::text::osc52("ABCD-EFGH", false),
            "\x1b]52;c;QUJDRC1FRkdI\x07"
        );
        assert_eq!(mm_ss(Duration::from_secs(899)), "14:59");
    }

    #[test]
    fn non_terminal_output_has_no_escape_sequences_and_says_waiting_once() {
        let mut buf: Vec<u8> = Vec::new();
        {
            let mut p = LoginPrinter::new(&mut buf, false);
            for _ in 0..3 {
                p.tick(PollStatus::Waiting {
                    remaining: Duration::from_secs(60),
                    next_poll_in: Duration::from_secs(1),
                });
                p.tick(PollStatus::Pending);
            }
            p.done();
        }
        let text = String::from_utf8(buf).unwrap();
        assert!(!text.contains('\x1b'), "{text:?}");
        assert_eq!(text.matches("Waiting").count(), 1, "{text}");
    }
}
