//! The history pane at 100k submissions: one key press (Down) including any window re-read from
//! SQLite and a full frame drawn, the path a user feels while scrolling.

use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use pcsr_tui::auth::Cloud;
use pcsr_tui::store::Store;
use pcsr_tui::tui::Account;
use pcsr_tui::tui::action::Action;
use pcsr_tui::tui::state::{Header, State, Theme};
use pcsr_tui::tui::update::update;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[path = "support/history.rs"]
mod support;

const ROWS: usize = 100_000;

fn filled_store(dir: &std::path::Path) -> Store {
    let store = Store::open(&dir.join("bench.sqlite")).expect("store");
    support::record(&store, ROWS, "sandbox").expect("bulk insert");
    store
}

/// One frame of the whole app on the test terminal.
fn draw(terminal: &mut Terminal<TestBackend>, state: &State) {
    terminal
        .draw(|f| {
            pcsr_tui::tui::view::draw(f, state);
        })
        .expect("draw");
}

fn key(code: KeyCode, modifiers: KeyModifiers) -> Action {
    Action::Key(KeyEvent::new(code, modifiers))
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = filled_store(dir.path());
    let header = Header {
        cloud: Cloud::Global,
        account: Account::Sandbox,
        locale: "en-US".into(),
        service: pcsr_tui::domain::Service::PartnerCenter,
        subscription: None,
        customer: None,
    };
    let mut state = State::new(header, Theme::default(), (120, 40), Instant::now());
    let fx = update(&mut state, key(KeyCode::Char('r'), KeyModifiers::CONTROL));
    support::serve(&store, &mut state, fx);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("backend");

    c.bench_function("history 100k: End then Home (one keyed seek each + draw)", |b| {
        b.iter(|| {
            for code in [KeyCode::End, KeyCode::Home] {
                let fx = update(&mut state, key(code, KeyModifiers::NONE));
                support::serve(&store, &mut state, fx);
                draw(&mut terminal, &state);
            }
        })
    });
    c.bench_function("history 100k: open pane (read window + draw)", |b| {
        b.iter(|| {
            let fx = update(&mut state, key(KeyCode::Char('r'), KeyModifiers::CONTROL));
            support::serve(&store, &mut state, fx);
            draw(&mut terminal, &state);
        })
    });
    let mut down = true;
    let mut presses = 0u32;
    c.bench_function("history 100k: Down key (re-read when needed + draw)", |b| {
        b.iter(|| {
            // Sweep back and forth over the first 2000 rows so windows keep being re-read.
            presses += 1;
            if presses.is_multiple_of(2000) {
                down = !down;
            }
            let code = if down { KeyCode::Down } else { KeyCode::Up };
            let fx = update(&mut state, key(code, KeyModifiers::NONE));
            support::serve(&store, &mut state, fx);
            draw(&mut terminal, &state);
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
