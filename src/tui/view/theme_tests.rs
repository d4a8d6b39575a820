//! The three themes drawn: the text is the same, so these snapshots record the colours and
//! modifiers of every styled run, and the tests check the cells that matter (keys, badge,
//! placeholders, errors) in each theme.

use std::fmt::Write as _;
use std::time::Instant;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::{Buffer, Cell};
use ratatui::crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};

use super::palette::is_basic;
use crate::tui::action::Action;
use crate::tui::state::State;
use crate::tui::theme::{Depth, Palette, Theme};
use crate::tui::update::tests::{ctrl, press, state_at, type_text};
use crate::tui::update::update;

/// The form with a validation error, so every role is on screen, drawn in `theme`.
fn drawn(theme: Theme) -> Buffer {
    let mut s: State = state_at(Instant::now());
    s.theme = theme;
    press(&mut s, KeyCode::Tab);
    type_text(&mut s, "Only the description is there.");
    ctrl(&mut s, 's');
    update(&mut s, Action::Resize(100, 30));
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("test backend");
    terminal
        .draw(|frame| {
            super::draw(frame, &s);
        })
        .expect("draw");
    terminal.backend().buffer().clone()
}

fn plain(cell: &Cell) -> bool {
    cell.fg == Color::Reset && cell.bg == Color::Reset && cell.modifier.is_empty()
}

/// Every styled run, row by row: `row col..col fg/bg +MODIFIERS "text"`.
fn styles(buffer: &Buffer) -> String {
    let mut out = String::new();
    let area = buffer.area;
    for y in 0..area.height {
        let mut x = 0;
        while x < area.width {
            let cell = &buffer[(x, y)];
            let start = x;
            let mut text = String::new();
            while x < area.width {
                let c = &buffer[(x, y)];
                if (c.fg, c.bg, c.modifier) != (cell.fg, cell.bg, cell.modifier) {
                    break;
                }
                text.push_str(c.symbol());
                x += 1;
            }
            if !plain(cell) {
                let _ = writeln!(
                    out,
                    "{y:>2} {start:>3}..{x:<3} {:?}/{:?} {:?} {:?}",
                    cell.fg,
                    cell.bg,
                    cell.modifier,
                    text.trim_end()
                );
            }
        }
    }
    out
}

/// The first cell of `needle` on screen.
fn find(buffer: &Buffer, needle: &str) -> (u16, u16) {
    let area = buffer.area;
    let want: Vec<char> = needle.chars().collect();
    for y in 0..area.height {
        let row: Vec<char> = (0..area.width)
            .map(|x| buffer[(x, y)].symbol().chars().next().unwrap_or(' '))
            .collect();
        if let Some(x) = row.windows(want.len()).position(|w| w == want.as_slice()) {
            return (x as u16, y);
        }
    }
    panic!("{needle:?} is not on screen");
}

fn cell<'b>(buffer: &'b Buffer, needle: &str) -> &'b Cell {
    &buffer[find(buffer, needle)]
}

fn no_grey(buffer: &Buffer) {
    for c in buffer.content() {
        assert!(
            c.fg != Color::DarkGray && c.bg != Color::DarkGray,
            "palette colour 8 vanishes on Solarized Dark: {c:?}"
        );
    }
}

const DEFAULT: Theme = Theme {
    palette: Palette::Default,
    depth: Depth::Full,
};
const HIGH_CONTRAST: Theme = Theme {
    palette: Palette::HighContrast,
    depth: Depth::Full,
};

#[test]
fn theme_default() {
    let b = drawn(DEFAULT);
    insta::assert_snapshot!(styles(&b));
    no_grey(&b);
    // Keys in the hint line, the badge, the error, secondary text.
    assert_eq!(cell(&b, "Ctrl+C").fg, Color::Cyan);
    assert!(cell(&b, "Ctrl+C").modifier.contains(Modifier::BOLD));
    assert_eq!(cell(&b, "SANDBOX").bg, Color::Yellow);
    assert_eq!(cell(&b, "SANDBOX").fg, Color::Black);
    assert_eq!(cell(&b, "title is required").fg, Color::Red);
    let separator = cell(&b, " · ");
    assert_eq!(
        separator.fg,
        Color::Reset,
        "secondary text keeps the terminal's colour"
    );
    assert!(separator.modifier.contains(Modifier::DIM));
}

#[test]
fn theme_high_contrast() {
    let b = drawn(HIGH_CONTRAST);
    insta::assert_snapshot!(styles(&b));
    no_grey(&b);
    assert_eq!(cell(&b, "Ctrl+C").fg, Color::LightCyan);
    assert_eq!(cell(&b, "SANDBOX").bg, Color::LightYellow);
    let error = cell(&b, "title is required");
    assert_eq!(error.fg, Color::LightRed);
    assert!(error.modifier.contains(Modifier::BOLD));
    // Nothing is dimmed but the placeholders (dim and italic in every theme, so they never
    // read as typed text).
    for line in styles(&b).lines().filter(|l| l.contains("DIM")) {
        assert!(
            line.contains("ITALIC") && (line.contains("What is the problem") || line.ends_with("\"\"")),
            "dimmed in high contrast: {line}"
        );
    }
}

#[test]
fn theme_mono() {
    let b = drawn(Theme::MONO);
    insta::assert_snapshot!(styles(&b));
    assert!(
        b.content()
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset),
        "mono draws no colour at all"
    );
    assert!(cell(&b, "SANDBOX").modifier.contains(Modifier::REVERSED));
    assert!(cell(&b, "Ctrl+C").modifier.contains(Modifier::BOLD));
    assert!(cell(&b, "title is required").modifier.contains(Modifier::BOLD));
}

#[test]
fn placeholders_are_dimmed_text_not_grey_in_every_theme() {
    for theme in [DEFAULT, HIGH_CONTRAST, Theme::MONO] {
        let b = drawn(theme);
        let hint = cell(&b, "What is the problem");
        assert_eq!(hint.fg, Color::Reset, "{theme:?}");
        assert!(hint.modifier.contains(Modifier::ITALIC), "{theme:?}: {hint:?}");
    }
}

#[test]
fn basic_terminals_get_only_the_eight_basic_colours() {
    for palette in Palette::ALL {
        let b = drawn(Theme {
            palette,
            depth: Depth::Basic,
        });
        for c in b.content() {
            assert!(is_basic(c.fg) && is_basic(c.bg), "{palette:?}: {c:?}");
        }
    }
    // Bright colours become bold base colours.
    let b = drawn(Theme {
        palette: Palette::HighContrast,
        depth: Depth::Basic,
    });
    let key = cell(&b, "Ctrl+C");
    assert_eq!(key.fg, Color::Cyan);
    assert!(key.modifier.contains(Modifier::BOLD));
}
