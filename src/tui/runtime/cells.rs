//! A frame's changed cells as the terminal's escape sequences: the same bytes crossterm's
//! backend writes, without its formatting machinery for each cell's symbol and cursor move
//! (a key in Azure's Topic field redraws some 2,400 cells: 0.2 M instructions a frame
//! saved; most of the rest of the write is ratatui's diff). Style changes are rarer
//! (once a span) and still go through crossterm's own commands.

use std::io::{self, Write};

use ratatui::backend::IntoCrossterm;
use ratatui::buffer::Cell;
use ratatui::crossterm::queue;
use ratatui::crossterm::style::{
    Attribute, Color as CtColor, Colors, SetAttribute, SetBackgroundColor, SetColors, SetForegroundColor,
    SetUnderlineColor,
};
use ratatui::style::{Color, Modifier};

/// Writes `content` (ratatui's diff: column, row, cell) to `w`.
pub fn write<'a, W: Write>(w: &mut W, content: impl Iterator<Item = (u16, u16, &'a Cell)>) -> io::Result<()> {
    let mut fg = Color::Reset;
    let mut bg = Color::Reset;
    let mut underline = Color::Reset;
    let mut modifier = Modifier::empty();
    let mut last: Option<(u16, u16)> = None;
    for (x, y, cell) in content {
        if !matches!(last, Some((lx, ly)) if x == lx.wrapping_add(1) && y == ly) {
            move_to(w, x, y)?;
        }
        last = Some((x, y));
        if cell.modifier != modifier {
            modifiers(w, modifier, cell.modifier)?;
            modifier = cell.modifier;
        }
        if cell.fg != fg || cell.bg != bg {
            queue!(
                w,
                SetColors(Colors::new(cell.fg.into_crossterm(), cell.bg.into_crossterm()))
            )?;
            fg = cell.fg;
            bg = cell.bg;
        }
        if cell.underline_color != underline {
            queue!(w, SetUnderlineColor(cell.underline_color.into_crossterm()))?;
            underline = cell.underline_color;
        }
        w.write_all(cell.symbol().as_bytes())?;
    }
    queue!(
        w,
        SetForegroundColor(CtColor::Reset),
        SetBackgroundColor(CtColor::Reset),
        SetUnderlineColor(CtColor::Reset),
        SetAttribute(Attribute::Reset),
    )
}

/// crossterm's `MoveTo(x, y)`: CSI row;column H, both counted from 1.
fn move_to<W: Write>(w: &mut W, x: u16, y: u16) -> io::Result<()> {
    let mut buf = [0u8; 16];
    let mut at = 0;
    buf[at..at + 2].copy_from_slice(b"\x1b[");
    at += 2;
    at += decimal(&mut buf[at..], u32::from(y) + 1);
    buf[at] = b';';
    at += 1;
    at += decimal(&mut buf[at..], u32::from(x) + 1);
    buf[at] = b'H';
    w.write_all(&buf[..=at])
}

/// `n` in decimal at the start of `out` (room for five digits); how many bytes it took.
fn decimal(out: &mut [u8], mut n: u32) -> usize {
    let mut digits = [0u8; 5];
    let mut len = 0;
    loop {
        digits[len] = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 || len == digits.len() {
            break;
        }
    }
    for (i, d) in digits[..len].iter().rev().enumerate() {
        out[i] = *d;
    }
    len
}

/// From one cell's modifiers to the next's, in the order ratatui's crossterm backend uses
/// (bold and dim share one reset, so what stays is set again after it).
fn modifiers<W: Write>(w: &mut W, from: Modifier, to: Modifier) -> io::Result<()> {
    let removed = from - to;
    if removed.contains(Modifier::REVERSED) {
        queue!(w, SetAttribute(Attribute::NoReverse))?;
    }
    let reset_intensity = removed.intersects(Modifier::BOLD | Modifier::DIM);
    if reset_intensity {
        queue!(w, SetAttribute(Attribute::NormalIntensity))?;
        if to.contains(Modifier::DIM) {
            queue!(w, SetAttribute(Attribute::Dim))?;
        }
        if to.contains(Modifier::BOLD) {
            queue!(w, SetAttribute(Attribute::Bold))?;
        }
    }
    for (m, off) in [
        (Modifier::ITALIC, Attribute::NoItalic),
        (Modifier::UNDERLINED, Attribute::NoUnderline),
        (Modifier::CROSSED_OUT, Attribute::NotCrossedOut),
        (Modifier::HIDDEN, Attribute::NoHidden),
    ] {
        if removed.contains(m) {
            queue!(w, SetAttribute(off))?;
        }
    }
    if removed.intersects(Modifier::SLOW_BLINK | Modifier::RAPID_BLINK) {
        queue!(w, SetAttribute(Attribute::NoBlink))?;
    }
    let added = to - from;
    for (m, on, unless_reset) in [
        (Modifier::REVERSED, Attribute::Reverse, false),
        (Modifier::BOLD, Attribute::Bold, true),
        (Modifier::ITALIC, Attribute::Italic, false),
        (Modifier::UNDERLINED, Attribute::Underlined, false),
        (Modifier::DIM, Attribute::Dim, true),
        (Modifier::CROSSED_OUT, Attribute::CrossedOut, false),
        (Modifier::HIDDEN, Attribute::Hidden, false),
        (Modifier::SLOW_BLINK, Attribute::SlowBlink, false),
        (Modifier::RAPID_BLINK, Attribute::RapidBlink, false),
    ] {
        if added.contains(m) && !(unless_reset && reset_intensity) {
            queue!(w, SetAttribute(on))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use ratatui::backend::{Backend, CrosstermBackend};
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    use super::*;

    /// A writer whose bytes can be read while a backend owns it.
    #[derive(Clone, Default)]
    struct Shared(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// What crossterm's own backend writes for the same cells.
    fn crossterm_bytes(content: &[(u16, u16, &Cell)]) -> Vec<u8> {
        let out = Shared::default();
        let mut backend = CrosstermBackend::new(out.clone());
        backend
            .draw(content.iter().copied())
            .expect("a Vec takes every write");
        out.0.borrow().clone()
    }

    fn ours(content: &[(u16, u16, &Cell)]) -> Vec<u8> {
        let mut out = Vec::new();
        write(&mut out, content.iter().copied()).expect("a Vec takes every write");
        out
    }

    // The terminal must see exactly what it saw before: every style, modifier, gap in a row,
    // wide character and far position, through the whole diff of one screen to the next.
    #[test]
    fn writes_the_same_bytes_as_crossterms_backend() {
        let area = Rect::new(0, 0, 120, 40);
        let mut before = Buffer::empty(area);
        before.set_string(0, 0, "unchanged head", Style::default());
        let mut after = before.clone();
        after.set_string(0, 1, "plain then ", Style::default());
        after.set_string(11, 1, "bold", Style::default().bold());
        after.set_string(15, 1, "dim", Style::default().dim());
        after.set_string(18, 1, "both", Style::default().bold().dim().italic());
        after.set_string(22, 1, "back", Style::default());
        after.set_string(40, 1, "gap", Style::default().red().on_blue());
        after.set_string(0, 2, "漢字 wide", Style::default().reversed().underlined());
        after.set_string(
            5,
            3,
            "rgb",
            Style::default()
                .fg(Color::Rgb(1, 2, 3))
                .bg(Color::Indexed(200))
                .underline_color(Color::Green),
        );
        after.set_string(
            0,
            4,
            "hidden",
            Style::default().hidden().crossed_out().slow_blink(),
        );
        after.set_string(8, 4, "rapid", Style::default().rapid_blink());
        after.set_string(100, 39, "far corner", Style::default().yellow());
        let diff = before.diff(&after);
        assert!(diff.len() > 50, "the test covers a real diff");
        assert_eq!(
            String::from_utf8_lossy(&ours(&diff)),
            String::from_utf8_lossy(&crossterm_bytes(&diff))
        );
        // And back again: every modifier and colour removed.
        let back = after.diff(&before);
        assert_eq!(ours(&back), crossterm_bytes(&back));
        assert_eq!(ours(&[]), crossterm_bytes(&[]));
    }

    #[test]
    fn decimal_writes_every_width() {
        for (n, text) in [(0, "0"), (7, "7"), (10, "10"), (999, "999"), (65536, "65536")] {
            let mut out = [0u8; 5];
            let len = decimal(&mut out, n);
            assert_eq!(&out[..len], text.as_bytes());
        }
    }
}
