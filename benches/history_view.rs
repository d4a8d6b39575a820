//! The history pane at 100k submissions: one key press (Down) including any window re-read from
//! SQLite and a full frame drawn, the path a user feels while scrolling.

use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use pcsr_tui::api::{NewServiceRequest, Severity};
use pcsr_tui::auth::Cloud;
use pcsr_tui::store::{NewSubmission, Store};
use pcsr_tui::tui::Account;
use pcsr_tui::tui::action::{Action, Effect};
use pcsr_tui::tui::state::{Header, State, Theme};
use pcsr_tui::tui::update::update;
use pcsr_tui::worker::{Job, Reply};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const ROWS: usize = 100_000;

fn filled_store(dir: &std::path::Path) -> Store {
    let store = Store::open(&dir.join("bench.sqlite")).expect("store");
    let requests: Vec<NewServiceRequest> = (0..ROWS)
        .map(|i| NewServiceRequest {
            title: format!("Request number {i} about licensing and billing"),
            description: "x".into(),
            severity: Severity::CHOOSABLE[i % 3],
            support_topic_id: "32444671".into(),
        })
        .collect();
    let news: Vec<NewSubmission<'_>> = requests
        .iter()
        .map(|request| NewSubmission {
            request_id: uuid::Uuid::new_v4(),
            cloud: "sandbox",
            locale: "en-US",
            base_url: "http://127.0.0.1:1",
            request,
        })
        .collect();
    store.record_submissions(&news).expect("bulk insert");
    store
}

/// Plays the worker's part for history reads, synchronously.
fn serve(store: &Store, state: &mut State, effects: Vec<Effect>) {
    for effect in effects {
        if let Effect::Worker(Job::History {
            seq,
            filter,
            anchor,
            limit,
            count,
        }) = effect
        {
            let rows = store.history_window(&filter, &anchor, limit).expect("history");
            let total = count.then(|| store.history_count(&filter).expect("count"));
            let reply = Reply::HistoryPage {
                seq,
                filter,
                anchor,
                rows,
                total,
            };
            let more = update(state, Action::from(reply));
            serve(store, state, more);
        }
    }
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
    };
    let mut state = State::new(header, Theme::default(), (120, 40), Instant::now());
    let fx = update(&mut state, key(KeyCode::Char('r'), KeyModifiers::CONTROL));
    serve(&store, &mut state, fx);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("backend");

    c.bench_function("history 100k: End then Home (one keyed seek each + draw)", |b| {
        b.iter(|| {
            for code in [KeyCode::End, KeyCode::Home] {
                let fx = update(&mut state, key(code, KeyModifiers::NONE));
                serve(&store, &mut state, fx);
                draw(&mut terminal, &state);
            }
        })
    });
    c.bench_function("history 100k: open pane (read window + draw)", |b| {
        b.iter(|| {
            let fx = update(&mut state, key(KeyCode::Char('r'), KeyModifiers::CONTROL));
            serve(&store, &mut state, fx);
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
            serve(&store, &mut state, fx);
            draw(&mut terminal, &state);
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
