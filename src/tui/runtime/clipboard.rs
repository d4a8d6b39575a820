//! Copying text so that the message about it is true: the system clipboard when there is one
//! (wl-copy, xclip/xsel, pbcopy, or tmux's buffer), else an OSC 52 request to the terminal,
//! which may or may not reach a clipboard, and the message says so.

use std::io::Write;
use std::time::Duration;

use super::external::{self, Ran};

/// How long a clipboard tool may take (they answer in milliseconds; a stuck one is not waited for).
const TOOL_WAIT: Duration = Duration::from_secs(2);

/// A way to copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Wayland's wl-copy.
    WlCopy,
    /// X11's xclip.
    Xclip,
    /// X11's xsel.
    Xsel,
    /// macOS's pbcopy.
    Pbcopy,
    /// tmux's paste buffer (and the outer clipboard when tmux is set to forward it).
    Tmux,
    /// An OSC 52 request to the terminal; nothing tells whether it was honoured.
    Osc52,
}

impl Method {
    /// The command line that copies its standard input.
    pub fn argv(self) -> &'static [&'static str] {
        match self {
            Method::WlCopy => &["wl-copy"],
            Method::Xclip => &["xclip", "-selection", "clipboard"],
            Method::Xsel => &["xsel", "--clipboard", "--input"],
            Method::Pbcopy => &["pbcopy"],
            // -w also hands it to the outer terminal's clipboard where tmux is set to.
            Method::Tmux => &["tmux", "load-buffer", "-w", "-"],
            Method::Osc52 => &[],
        }
    }

    /// The message for `what` (e.g. "request id 616…") copied this way, saying what is known.
    pub fn sentence(self, what: &str, in_tmux: bool) -> String {
        match self {
            Method::Tmux => format!("Copied {what} to the tmux buffer (paste with tmux's prefix then ])"),
            Method::Osc52 if in_tmux => format!(
                "Sent {what} to the terminal by OSC 52 through tmux; whether it reached the clipboard depends on tmux and the terminal"
            ),
            Method::Osc52 => format!(
                "Sent {what} to the terminal by OSC 52; whether it reached the clipboard depends on the terminal"
            ),
            tool => format!("Copied {what} to the clipboard ({})", tool.argv()[0]),
        }
    }
}

/// What the environment offers, read once at the edge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClipEnv {
    /// `WAYLAND_DISPLAY` is set.
    pub wayland: bool,
    /// `DISPLAY` is set (X11).
    pub x11: bool,
    /// Running on macOS.
    pub macos: bool,
    /// Inside tmux (`TMUX` is set).
    pub tmux: bool,
}

impl ClipEnv {
    /// The current process's environment.
    pub fn from_process() -> ClipEnv {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        ClipEnv {
            wayland: set("WAYLAND_DISPLAY"),
            x11: set("DISPLAY"),
            macos: cfg!(target_os = "macos"),
            tmux: set("TMUX"),
        }
    }
}

/// The ways to try, in order; OSC 52 always last.
pub fn plan(env: ClipEnv) -> Vec<Method> {
    let mut out = Vec::new();
    if env.wayland {
        out.push(Method::WlCopy);
    }
    if env.x11 {
        out.extend([Method::Xclip, Method::Xsel]);
    }
    if env.macos {
        out.push(Method::Pbcopy);
    }
    if env.tmux {
        out.push(Method::Tmux);
    }
    out.push(Method::Osc52);
    out
}

/// Tries the system tools of the plan in order; the first that works, or `Osc52` when none
/// did (the caller then sends the OSC 52 request). Blocking: runs the tools.
pub fn copy_with_tools(text: &str, env: ClipEnv) -> Method {
    for method in plan(env) {
        if method == Method::Osc52 {
            break;
        }
        match external::run(method.argv(), Some(text), TOOL_WAIT) {
            Ran::Done => return method,
            Ran::StillRunning | Ran::Failed(_) => tracing::debug!(?method, "clipboard tool did not work"),
        }
    }
    Method::Osc52
}

pub use crate::text::osc52;

/// Writes the OSC 52 request to the terminal (from the thread that draws, so it never lands in
/// the middle of a frame).
pub fn write_osc52(text: &str, tmux: bool) -> Result<(), String> {
    let mut out = std::io::stdout();
    out.write_all(osc52(text, tmux).as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| format!("could not copy ({e}); select the text with Shift+drag instead"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_carries_the_text_base64_encoded() {
        assert_eq!(
            osc52("616122292874576", false),
            "\u{1b}]52;c;NjE2MTIyMjkyODc0NTc2\u{7}"
        );
        assert_eq!(
            osc52("616122292874576", true),
            "\u{1b}Ptmux;\u{1b}\u{1b}]52;c;NjE2MTIyMjkyODc0NTc2\u{7}\u{1b}\\"
        );
    }

    #[test]
    fn the_plan_follows_the_environment() {
        let none = ClipEnv::default();
        assert_eq!(plan(none), [Method::Osc52]);
        let wayland = ClipEnv {
            wayland: true,
            ..none
        };
        assert_eq!(plan(wayland), [Method::WlCopy, Method::Osc52]);
        let x11_in_tmux = ClipEnv {
            x11: true,
            tmux: true,
            ..none
        };
        assert_eq!(
            plan(x11_in_tmux),
            [Method::Xclip, Method::Xsel, Method::Tmux, Method::Osc52]
        );
        let mac = ClipEnv { macos: true, ..none };
        assert_eq!(plan(mac), [Method::Pbcopy, Method::Osc52]);
        let tmux_only = ClipEnv { tmux: true, ..none };
        assert_eq!(plan(tmux_only), [Method::Tmux, Method::Osc52]);
    }

    #[test]
    fn the_message_says_what_is_known() {
        let tmux = Method::Tmux.sentence("request id 1", true);
        assert!(
            tmux.starts_with("Copied request id 1 to the tmux buffer"),
            "{tmux}"
        );
        let osc = Method::Osc52.sentence("request id 1", false);
        assert!(
            osc.starts_with("Sent request id 1 to the terminal by OSC 52"),
            "{osc}"
        );
        assert!(osc.contains("depends on the terminal"), "{osc}");
        assert_eq!(
            Method::Xclip.sentence("the code", false),
            "Copied the code to the clipboard (xclip)"
        );
    }
}
