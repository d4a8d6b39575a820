//! Styles per role under each theme. No raw palette colour 8 (DarkGray): it vanishes on common
//! themes (Solarized Dark), so secondary text is the terminal's own colour, dimmed.

use ratatui::style::{Color, Modifier, Style};

use crate::tui::theme::{Depth, Palette, Theme};

/// What a piece of text is, so each theme can choose how it looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Ordinary text.
    Plain,
    /// The focused field's border and title; key names.
    Focus,
    /// Errors.
    Error,
    /// Secondary text: notes, separators.
    Dim,
    /// The SANDBOX badge.
    Badge,
    /// A selected row.
    Selected,
    /// Success.
    Good,
    /// Field labels on the result and details screens.
    Label,
}

/// The style for a role under the theme.
pub fn style(theme: Theme, role: Role) -> Style {
    let s = match theme.palette {
        Palette::Default => default(role),
        Palette::HighContrast => high_contrast(role),
        Palette::Mono => mono(role),
    };
    match theme.depth {
        Depth::Full => s,
        Depth::Basic => basic(s),
    }
}

fn default(role: Role) -> Style {
    let s = Style::new();
    match role {
        Role::Plain => s,
        Role::Focus => s.fg(Color::Cyan).add_modifier(Modifier::BOLD),
        Role::Error => s.fg(Color::Red).add_modifier(Modifier::BOLD),
        Role::Dim => s.add_modifier(Modifier::DIM),
        Role::Badge => s.fg(Color::Black).bg(Color::Yellow).add_modifier(Modifier::BOLD),
        Role::Selected => s.add_modifier(Modifier::REVERSED),
        Role::Good => s.fg(Color::Green).add_modifier(Modifier::BOLD),
        Role::Label => s.fg(Color::Cyan),
    }
}

fn high_contrast(role: Role) -> Style {
    let s = Style::new();
    match role {
        Role::Plain => s,
        Role::Focus => s.fg(Color::LightCyan).add_modifier(Modifier::BOLD),
        Role::Error => s.fg(Color::LightRed).add_modifier(Modifier::BOLD),
        // Nothing dimmed: secondary text keeps full contrast and is told apart by its slant.
        Role::Dim => s.add_modifier(Modifier::ITALIC),
        Role::Badge => s
            .fg(Color::Black)
            .bg(Color::LightYellow)
            .add_modifier(Modifier::BOLD),
        Role::Selected => s.add_modifier(Modifier::REVERSED | Modifier::BOLD),
        Role::Good => s.fg(Color::LightGreen).add_modifier(Modifier::BOLD),
        Role::Label => s.add_modifier(Modifier::BOLD),
    }
}

fn mono(role: Role) -> Style {
    let s = Style::new();
    match role {
        Role::Plain | Role::Label => s,
        Role::Dim => s.add_modifier(Modifier::DIM),
        Role::Focus | Role::Good | Role::Error => s.add_modifier(Modifier::BOLD),
        Role::Badge | Role::Selected => s.add_modifier(Modifier::REVERSED),
    }
}

/// The eight basic colours only: bright ones become their base colour in bold (how 8-colour
/// terminals show bright text), anything finer the nearest base colour.
fn basic(s: Style) -> Style {
    let mut out = s;
    let mut bold = false;
    if let Some(fg) = s.fg {
        let (c, b) = to_basic(fg);
        out.fg = Some(c);
        bold |= b;
    }
    if let Some(bg) = s.bg {
        // A bold background does not exist; the base colour is as close as it gets.
        out.bg = Some(to_basic(bg).0);
    }
    if bold {
        out = out.add_modifier(Modifier::BOLD);
    }
    out
}

/// The basic colour for `c`, and whether it needs bold to look bright.
pub fn to_basic(c: Color) -> (Color, bool) {
    const BASE: [Color; 8] = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
    ];
    match c {
        Color::LightRed => (Color::Red, true),
        Color::LightGreen => (Color::Green, true),
        Color::LightYellow => (Color::Yellow, true),
        Color::LightBlue => (Color::Blue, true),
        Color::LightMagenta => (Color::Magenta, true),
        Color::LightCyan => (Color::Cyan, true),
        Color::White => (Color::Gray, true),
        // Bright black is the unreadable grey this module avoids: use the terminal's own colour.
        Color::DarkGray => (Color::Reset, false),
        Color::Indexed(n) if n < 8 => (BASE[usize::from(n)], false),
        Color::Indexed(n) if n < 16 => (BASE[usize::from(n - 8)], true),
        Color::Indexed(_) => (Color::Reset, false),
        Color::Rgb(r, g, b) => {
            let bit = |v: u8, i: usize| usize::from(v > 127) << i;
            (BASE[bit(r, 0) | bit(g, 1) | bit(b, 2)], false)
        }
        other => (other, false),
    }
}

/// Whether `c` is one the basic depth may draw.
pub fn is_basic(c: Color) -> bool {
    matches!(
        c,
        Color::Reset
            | Color::Black
            | Color::Red
            | Color::Green
            | Color::Yellow
            | Color::Blue
            | Color::Magenta
            | Color::Cyan
            | Color::Gray
    )
}
