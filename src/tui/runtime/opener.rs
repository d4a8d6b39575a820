//! Opening the sign-in page in the system's browser (`xdg-open`, `open`, `cmd /c start`).
//! Blocking: the run loop calls [`open`] on a blocking thread.

use std::time::Duration;

use super::external::{self, Ran};

/// How long an opener may take to report a failure; one still running has started a browser.
const OPENER_WAIT: Duration = Duration::from_secs(3);

/// What the system offers, read once at the edge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpenEnv {
    /// Running on macOS.
    pub macos: bool,
    /// Running on Windows.
    pub windows: bool,
    /// A graphical session (`DISPLAY` or `WAYLAND_DISPLAY`) on other systems.
    pub graphical: bool,
}

impl OpenEnv {
    /// The current process's environment.
    pub fn from_process() -> OpenEnv {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        OpenEnv {
            macos: cfg!(target_os = "macos"),
            windows: cfg!(windows),
            graphical: set("DISPLAY") || set("WAYLAND_DISPLAY"),
        }
    }
}

/// The command that opens `url`, if the system has one worth trying. Without a graphical
/// session xdg-open would start a text browser in the app's own terminal, so none is tried.
pub fn command(env: OpenEnv, url: &str) -> Option<Vec<String>> {
    let argv: &[&str] = if env.macos {
        &["open"]
    } else if env.windows {
        // `start` takes the first quoted argument as a window title: give it an empty one.
        &["cmd", "/c", "start", ""]
    } else if env.graphical {
        &["xdg-open"]
    } else {
        return None;
    };
    let mut out: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
    out.push(url.to_string());
    Some(out)
}

/// Whether `url` is a web page (the service's text is not trusted to be one).
pub fn is_web_url(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "https" | "http"))
}

/// Opens `url`; the opener's name, or why it could not be opened.
pub fn open(url: &str, env: OpenEnv) -> Result<String, String> {
    if !is_web_url(url) {
        return Err("it is not a web address".into());
    }
    let Some(argv) = command(env, url) else {
        return Err("no graphical session to start a browser in".into());
    };
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    match external::run(&argv, None, OPENER_WAIT) {
        Ran::Done | Ran::StillRunning => Ok(argv[0].to_string()),
        Ran::Failed(why) => Err(why),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://microsoft.com/devicelogin";

    #[test]
    fn each_system_has_its_opener_and_a_text_console_has_none() {
        let mac = OpenEnv {
            macos: true,
            ..OpenEnv::default()
        };
        assert_eq!(command(mac, URL), Some(vec!["open".into(), URL.into()]));
        let win = OpenEnv {
            windows: true,
            ..OpenEnv::default()
        };
        assert_eq!(
            command(win, URL).map(|a| a.join(" ")),
            Some(format!("cmd /c start  {URL}"))
        );
        let x = OpenEnv {
            graphical: true,
            ..OpenEnv::default()
        };
        assert_eq!(command(x, URL), Some(vec!["xdg-open".into(), URL.into()]));
        assert_eq!(command(OpenEnv::default(), URL), None);
        assert!(open(URL, OpenEnv::default()).is_err());
    }

    #[test]
    fn only_web_addresses_are_opened() {
        assert!(is_web_url(URL));
        assert!(!is_web_url("file:///etc/passwd"));
        assert!(!is_web_url("--help"));
        assert!(
            open(
                "-x",
                OpenEnv {
                    graphical: true,
                    ..OpenEnv::default()
                }
            )
            .is_err()
        );
    }
}
