//! In-process cost of one key, for instruction counts (`valgrind --tool=callgrind`): what the
//! PTY bench (benches/user_figures.py) measures minus the terminal and the scheduler.
//!
//!     key_cost topics N   # N keys in the topic filter over 10,000 topics (b, Backspace, p, ...)
//!     key_cost history N  # N Down keys in a history of 100,000 rows (store reads included)
//!     key_cost azure N    # N keys in Azure's Topic field over 10,400 classifications of 144
//!                         # services (v, Backspace, c, ...: each letter searches all of them)
//!     key_cost azure-title N  # N keys in the Title field over that catalogue ("vm rdp slow"
//!                         # typed and erased: each word ranks the classifications it names)
//!
//! Each key runs `update` and draws a full frame through crossterm's backend into a sink, as
//! the app does. Run with N = 0 and N = 600 and subtract to get the cost per key. The mean
//! time per key, by key, goes to stderr; with `KEY_COST_SPLIT=1`, each key's update and frame
//! times too; with `KEY_COST_GAP_MS=40`, a pause before each key (cold caches, as in the PTY).

use std::time::Instant;

use pcsr_tui::auth::Cloud;
use pcsr_tui::domain::Topic;
use pcsr_tui::store::Store;
use pcsr_tui::tui::Account;
use pcsr_tui::tui::action::Action;
use pcsr_tui::tui::state::{Header, State, Theme};
use pcsr_tui::tui::update::update;
use pcsr_tui::worker::Reply;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

#[path = "../benches/support/history.rs"]
mod support;

/// Crossterm's backend writing a frame's cells as the app does (`pcsr_tui`'s own cell
/// writer), into a sink.
struct AppBytes(CrosstermBackend<std::io::Sink>);

impl ratatui::backend::Backend for AppBytes {
    type Error = std::io::Error;

    fn draw<'a, I>(&mut self, content: I) -> std::io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a ratatui::buffer::Cell)>,
    {
        pcsr_tui::tui::runtime::cells::write(&mut self.0, content)
    }

    fn hide_cursor(&mut self) -> std::io::Result<()> {
        self.0.hide_cursor()
    }

    fn show_cursor(&mut self) -> std::io::Result<()> {
        self.0.show_cursor()
    }

    fn get_cursor_position(&mut self) -> std::io::Result<ratatui::layout::Position> {
        Ok(ratatui::layout::Position::ORIGIN)
    }

    fn set_cursor_position<P: Into<ratatui::layout::Position>>(&mut self, p: P) -> std::io::Result<()> {
        self.0.set_cursor_position(p)
    }

    fn clear(&mut self) -> std::io::Result<()> {
        self.0.clear()
    }

    fn clear_region(&mut self, clear_type: ratatui::backend::ClearType) -> std::io::Result<()> {
        self.0.clear_region(clear_type)
    }

    fn size(&self) -> std::io::Result<ratatui::layout::Size> {
        Ok(ratatui::layout::Size::new(120, 40))
    }

    fn window_size(&mut self) -> std::io::Result<ratatui::backend::WindowSize> {
        self.0.window_size()
    }

    fn flush(&mut self) -> std::io::Result<()> {
        ratatui::backend::Backend::flush(&mut self.0)
    }
}

fn key(code: KeyCode, modifiers: KeyModifiers) -> Action {
    Action::Key(KeyEvent::new(code, modifiers))
}

/// Title -> Description -> Severity -> Topic.
fn to_topic_field(state: &mut State) {
    for _ in 0..3 {
        update(state, key(KeyCode::Tab, KeyModifiers::NONE));
    }
}

/// `n` keys going round `codes`.
fn cycled(codes: impl IntoIterator<Item = KeyCode, IntoIter: Clone>, n: usize) -> Vec<Action> {
    codes
        .into_iter()
        .cycle()
        .take(n)
        .map(|c| key(c, KeyModifiers::NONE))
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let what = args.get(1).map(String::as_str).unwrap_or("topics");
    let n: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(600);
    let header = Header {
        cloud: Cloud::Global,
        account: Account::Sandbox,
        locale: "en-US".into(),
        service: if what == "azure" {
            pcsr_tui::domain::Service::Azure
        } else {
            pcsr_tui::domain::Service::PartnerCenter
        },
        subscription: None,
        customer: None,
    };
    let mut state = State::new(
        header,
        Theme::resolve(
            pcsr_tui::tui::theme::Palette::Default,
            None,
            Some("xterm-256color"),
        ),
        (120, 40),
        Instant::now(),
    );
    let mut terminal = Terminal::with_options(
        AppBytes(CrosstermBackend::new(std::io::sink())),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 120, 40)),
        },
    )
    .expect("backend");
    let mut frame = |state: &State| {
        terminal
            .draw(|f| {
                pcsr_tui::tui::view::draw(f, state);
            })
            .expect("draw");
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = None;
    let keys: Vec<Action> = match what {
        "topics" => {
            let words = [
                "billing",
                "licensing",
                "profile",
                "customers",
                "orders",
                "invoices",
                "subscriptions",
                "support",
            ];
            let topics: Vec<Topic> = (0..10_000)
                .map(|i| Topic {
                    id: (40_000_000 + i).to_string(),
                    name: format!("Topic{i}-{}", words[i % 8]),
                    description: Some(format!(
                        "Questions on {} number {i}, licensing, billing and profiles",
                        words[i % 8]
                    )),
                    ..Topic::default()
                })
                .collect();
            update(
                &mut state,
                Action::from(Reply::Topics {
                    topics,
                    cached: false,
                }),
            );
            to_topic_field(&mut state);
            cycled(
                [
                    KeyCode::Char('b'),
                    KeyCode::Backspace,
                    KeyCode::Char('p'),
                    KeyCode::Backspace,
                    KeyCode::Char('o'),
                    KeyCode::Backspace,
                ],
                n,
            )
        }
        "azure" | "azure-title" => {
            // As the sandbox grown by `POST /_sandbox/azure/catalogue` (100 x 100) sends them.
            let service_id = |n: usize| {
                format!("/providers/Microsoft.Support/services/{n:08x}-1830-b494-44fd-782f691479dc")
            };
            let parents: Vec<Topic> = (0..144)
                .map(|n| Topic {
                    id: service_id(n),
                    name: format!("Sandbox bench service {n:05}"),
                    ..Topic::default()
                })
                .collect();
            update(
                &mut state,
                Action::from(Reply::Topics {
                    topics: parents.clone(),
                    cached: false,
                }),
            );
            for (n, parent) in parents.iter().enumerate() {
                // One copy of the service's id and name for its classifications, as the store
                // and the client hand them over.
                let (id, name): (std::sync::Arc<str>, std::sync::Arc<str>) =
                    (parent.id.as_str().into(), parent.name.as_str().into());
                let topics = (0..if n < 44 { 10 } else { 100 })
                    .map(|k| Topic {
                        id: format!(
                            "{}/problemClassifications/{k:08x}-76e5-5ddd-ad03-50d385db065f",
                            parent.id
                        ),
                        name: format!("Bench area {} / Bench issue {k:04}", k % 10),
                        parent_id: Some(id.clone()),
                        parent_name: Some(name.clone()),
                        description: None,
                    })
                    .collect();
                update(
                    &mut state,
                    Action::from(Reply::Branch {
                        parent_id: parent.id.clone(),
                        topics,
                        cached: true,
                    }),
                );
            }
            if what == "azure-title" {
                // In the Title field, where each word typed ranks the classifications it
                // names above the services: "vm rdp slow" typed and erased again.
                let typed = "vm rdp slow";
                let keys: Vec<KeyCode> = typed
                    .chars()
                    .map(KeyCode::Char)
                    .chain(typed.chars().map(|_| KeyCode::Backspace))
                    .collect();
                cycled(keys, n)
            } else {
                to_topic_field(&mut state);
                cycled(
                    [
                        KeyCode::Char('v'),
                        KeyCode::Backspace,
                        KeyCode::Char('c'),
                        KeyCode::Backspace,
                        KeyCode::Char('s'),
                        KeyCode::Backspace,
                    ],
                    n,
                )
            }
        }
        _ => {
            let s = Store::open(&dir.path().join("bench.sqlite")).expect("store");
            support::record(&s, 100_000, "sandbox").expect("bulk insert");
            let fx = update(&mut state, key(KeyCode::Char('r'), KeyModifiers::CONTROL));
            support::serve(&s, &mut state, fx);
            store = Some(s);
            (0..n).map(|_| key(KeyCode::Down, KeyModifiers::NONE)).collect()
        }
    };
    frame(&state);
    let mut spent: Vec<(String, std::time::Duration, u32)> = Vec::new();
    // A pause before each key, as a person's (and the PTY bench's) keys come: the caches and
    // the CPU's clock are then as cold as they are for a real key, not warm from the last one.
    let gap = std::env::var("KEY_COST_GAP_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map(std::time::Duration::from_millis);
    for k in keys {
        if let Some(gap) = gap {
            std::thread::sleep(gap);
        }
        let name = match &k {
            Action::Key(e) => format!("{:?}", e.code),
            _ => String::new(),
        };
        let start = Instant::now();
        let mut fx = update(&mut state, Action::Tick(Instant::now()));
        fx.extend(update(&mut state, k));
        if let Some(s) = &store {
            support::serve(s, &mut state, fx);
        }
        let updated = start.elapsed();
        frame(&state);
        let took = start.elapsed();
        if std::env::var_os("KEY_COST_SPLIT").is_some() {
            eprintln!("{name} update {:?} frame {:?}", updated, took - updated);
        }
        match spent.iter_mut().find(|(n, _, _)| *n == name) {
            Some((_, total, count)) => {
                *total += took;
                *count += 1;
            }
            None => spent.push((name, took, 1)),
        }
    }
    for (name, total, count) in spent {
        eprintln!(
            "{name}: {:.3} ms per key over {count}",
            total.as_secs_f64() * 1000.0 / f64::from(count)
        );
    }
}
