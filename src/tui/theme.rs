//! Which colours the views may use: the theme chosen in config.toml, NO_COLOR, and what `TERM`
//! says the terminal can show. Plain data; `view::palette` turns it into styles.

use ratatui::style::{Modifier, Style};

/// Placeholders in text fields: the terminal's own colour, dimmed and slanted, so they read as
/// hints in every theme and never as typed text (tui-textarea's default grey vanishes on some).
pub const PLACEHOLDER: Style = Style::new().add_modifier(Modifier::DIM.union(Modifier::ITALIC));

pub use crate::config::Palette;

/// How many colours the terminal shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Depth {
    /// Whatever the palette asks for.
    #[default]
    Full,
    /// The eight basic ANSI colours (bright ones become bold): `screen`, `linux`, `vt100`.
    Basic,
}

/// The colours in force: a palette at a depth.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Theme {
    /// The chosen colours.
    pub palette: Palette,
    /// What the terminal can show.
    pub depth: Depth,
}

impl Theme {
    /// No colours (NO_COLOR, `theme = "mono"`).
    pub const MONO: Theme = Theme {
        palette: Palette::Mono,
        depth: Depth::Full,
    };

    /// Whether any colour is drawn.
    pub fn color(self) -> bool {
        self.palette != Palette::Mono
    }

    /// The theme in force: `chosen` unless NO_COLOR (set and not empty) asks for none, at the
    /// depth `TERM` allows.
    pub fn resolve(chosen: Palette, no_color: Option<&std::ffi::OsStr>, term: Option<&str>) -> Theme {
        let palette = if no_color.is_some_and(|v| !v.is_empty()) {
            Palette::Mono
        } else {
            chosen
        };
        Theme {
            palette,
            depth: depth_for(term),
        }
    }

    /// [`Theme::resolve`] with this process's NO_COLOR and TERM.
    pub fn from_env(chosen: Palette) -> Theme {
        let term = std::env::var("TERM").ok();
        Theme::resolve(chosen, std::env::var_os("NO_COLOR").as_deref(), term.as_deref())
    }
}

/// Terminals that show only the basic colours, whatever a palette asks for.
fn depth_for(term: Option<&str>) -> Depth {
    match term.unwrap_or("") {
        // screen-256color included: screen passes colours on only as well as the outer terminal.
        t if t.starts_with("screen") || t == "linux" || t.starts_with("vt100") => Depth::Basic,
        _ => Depth::Full,
    }
}

/// Why the full-screen UI will not start in this terminal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{why}: the full-screen UI needs a terminal that can move the cursor. Use the commands \
     instead: `pcsr-tui submit`, `list`, `show ID`, `note`, `close`, `history`, `topics` (see \
     `pcsr-tui --help`), or set TERM (e.g. TERM=xterm-256color) if your terminal can do more"
)]
pub struct TermRefused {
    /// What TERM said.
    pub why: String,
}

/// Refuses `TERM=dumb`, and (on unix, where every terminal sets it) an unset TERM, before the
/// terminal is touched.
pub fn check_term(term: Option<&str>) -> Result<(), TermRefused> {
    match term.map(str::trim) {
        Some("dumb") => Err(TermRefused {
            why: "TERM is dumb".into(),
        }),
        None | Some("") if cfg!(unix) => Err(TermRefused {
            why: "TERM is not set".into(),
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::OsStr;

    use super::*;

    #[test]
    fn no_color_forces_mono_and_term_sets_the_depth() {
        let hc = Palette::HighContrast;
        let x = Some("xterm-256color");
        assert_eq!(Theme::resolve(hc, None, x).palette, hc);
        assert_eq!(
            Theme::resolve(hc, Some(OsStr::new("1")), x).palette,
            Palette::Mono
        );
        assert_eq!(
            Theme::resolve(hc, Some(OsStr::new("")), x).palette,
            hc,
            "empty NO_COLOR is unset"
        );
        for t in ["screen", "screen-256color", "linux", "vt100"] {
            assert_eq!(Theme::resolve(hc, None, Some(t)).depth, Depth::Basic, "{t}");
        }
        assert_eq!(Theme::resolve(hc, None, x).depth, Depth::Full);
    }

    #[test]
    fn dumb_and_missing_terms_are_refused() {
        assert!(
            check_term(Some("dumb"))
                .unwrap_err()
                .to_string()
                .contains("pcsr-tui submit")
        );
        assert!(check_term(Some("xterm")).is_ok());
        assert!(check_term(Some("linux")).is_ok());
        if cfg!(unix) {
            assert!(check_term(None).is_err());
        }
    }

    #[test]
    fn names_read_back() {
        for p in Palette::ALL {
            assert_eq!(Palette::from_name(p.name()), Some(p));
        }
        assert_eq!(Palette::from_name("dark"), None);
    }
}
