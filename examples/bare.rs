//! The baseline for benches/user_figures.py: the smallest ratatui app that answers keys, so the user's
//! figures of pcsr-tui can be read as ratios to it in the same run. One bordered paragraph,
//! blocking reads, a redraw per key; `q` quits.

use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind};
use ratatui::widgets::{Block, Paragraph};

fn main() -> std::io::Result<()> {
    let mut terminal = ratatui::init();
    let mut keys = 0u64;
    let result = loop {
        if let Err(e) = terminal.draw(|frame| {
            let text = format!("bare ratatui: {keys} keys");
            frame.render_widget(Paragraph::new(text).block(Block::bordered()), frame.area());
        }) {
            break Err(e);
        }
        match event::read() {
            Ok(Event::Key(key)) if key.kind == KeyEventKind::Press => {
                if key.code == KeyCode::Char('q') {
                    break Ok(());
                }
                keys += 1;
            }
            Ok(_) => {}
            Err(e) => break Err(e),
        }
    };
    ratatui::restore();
    result
}
