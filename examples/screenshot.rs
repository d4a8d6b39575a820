//! Renders the app's own screens (the real views, driven by keys through `update`) to SVG for
//! the README: `cargo run --release --example screenshot -- assets`.

use std::fmt::Write as _;
use std::time::Instant;

use pcsr_tui::auth::Cloud;
use pcsr_tui::domain::Topic;
use pcsr_tui::tui::Account;
use pcsr_tui::tui::action::Action;
use pcsr_tui::tui::state::{Header, State};
use pcsr_tui::tui::theme::{Palette, Theme};
use pcsr_tui::tui::update::update;
use pcsr_tui::worker::Reply;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Color, Modifier};

const COLS: u16 = 110;
const ROWS: u16 = 32;

fn key(state: &mut State, code: KeyCode) {
    update(state, Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn typed(state: &mut State, text: &str) {
    for c in text.chars() {
        key(state, KeyCode::Char(c));
    }
}

/// The form, filled by keys as a user would, with the topic list loaded.
fn form() -> State {
    let header = Header {
        cloud: Cloud::Global,
        account: Account::Sandbox,
        locale: "en-US".into(),
        service: pcsr_tui::domain::Service::PartnerCenter,
        subscription: None,
        customer: None,
    };
    let theme = Theme::resolve(Palette::Default, None, Some("xterm-256color"));
    let mut s = State::new(header, theme, (COLS, ROWS), Instant::now());
    let topics: Vec<Topic> = [
        (32444667, "Partner Center Issues"),
        (32444671, "Cannot manage my profile"),
        (32444672, "Billing and invoices"),
        (32444673, "Customer management"),
    ]
    .into_iter()
    .map(|(id, name)| Topic {
        id: id.to_string(),
        name: name.into(),
        ..Topic::default()
    })
    .collect();
    update(
        &mut s,
        Action::from(Reply::Topics {
            topics,
            cached: false,
        }),
    );
    typed(&mut s, "Cannot open the billing profile");
    key(&mut s, KeyCode::Enter);
    typed(&mut s, "Since Monday the profile page says: access denied.");
    key(&mut s, KeyCode::Enter);
    typed(&mut s, "Tried two browsers and a private window.");
    key(&mut s, KeyCode::Tab);
    key(&mut s, KeyCode::Right);
    key(&mut s, KeyCode::Tab);
    typed(&mut s, "profile");
    s
}

fn rgb(color: Color, fallback: &str) -> String {
    match color {
        Color::Reset => fallback.into(),
        Color::Black => "#1e1e1e".into(),
        Color::Red | Color::LightRed => "#e06c75".into(),
        Color::Green | Color::LightGreen => "#98c379".into(),
        Color::Yellow | Color::LightYellow => "#e5c07b".into(),
        Color::Blue | Color::LightBlue => "#61afef".into(),
        Color::Magenta | Color::LightMagenta => "#c678dd".into(),
        Color::Cyan | Color::LightCyan => "#56b6c2".into(),
        Color::Gray | Color::White => "#dcdfe4".into(),
        Color::DarkGray => "#7f848e".into(),
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(_) => fallback.into(),
    }
}

fn escape(c: &str) -> String {
    c.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The buffer as SVG: one text element per cell run of one style.
fn svg(buffer: &Buffer) -> String {
    let (cw, ch) = (8.4_f64, 17.0_f64);
    let (w, h) = (
        f64::from(buffer.area.width) * cw,
        f64::from(buffer.area.height) * ch,
    );
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" font-size=\"14\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"#1e1e1e\"/>\n"
    );
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            let cell = &buffer[(x, y)];
            let reversed = cell.modifier.contains(Modifier::REVERSED);
            let (mut fg, mut bg) = (rgb(cell.fg, "#dcdfe4"), rgb(cell.bg, "#1e1e1e"));
            if reversed {
                std::mem::swap(&mut fg, &mut bg);
            }
            let (px, py) = (f64::from(x) * cw, f64::from(y) * ch);
            if bg != "#1e1e1e" {
                let _ = writeln!(
                    out,
                    "<rect x=\"{px}\" y=\"{py}\" width=\"{cw}\" height=\"{ch}\" fill=\"{bg}\"/>"
                );
            }
            let sym = cell.symbol();
            if sym.trim().is_empty() {
                continue;
            }
            let weight = if cell.modifier.contains(Modifier::BOLD) {
                " font-weight=\"bold\""
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "<text x=\"{px}\" y=\"{}\" fill=\"{fg}\"{weight}>{}</text>",
                py + ch * 0.78,
                escape(sym)
            );
        }
    }
    out.push_str("</svg>\n");
    out
}

fn main() -> std::io::Result<()> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "assets".into());
    let state = form();
    let mut terminal = Terminal::new(TestBackend::new(COLS, ROWS)).map_err(std::io::Error::other)?;
    terminal
        .draw(|f| {
            pcsr_tui::tui::view::draw(f, &state);
        })
        .map_err(std::io::Error::other)?;
    let path = std::path::Path::new(&dir).join("form.svg");
    std::fs::write(&path, svg(terminal.backend().buffer()))?;
    println!("wrote {}", path.display());
    Ok(())
}
