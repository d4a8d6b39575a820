//! Drivers the update tests share: a state with topics loaded, keys, a drawn frame.

use std::time::Instant;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::auth::Cloud;
use crate::domain::Topic;
use crate::tui::Account;
use crate::tui::state::Viewport;
use crate::tui::state::{Header, Theme};
use crate::worker::Reply;

/// Four topics, as the service lists them.
pub(crate) fn topics() -> Vec<Topic> {
    let t = |id: u64, name: &str, description: &str| Topic {
        id: id.to_string(),
        name: name.into(),
        description: Some(description.into()),
        ..Topic::default()
    };
    vec![
        t(
            32444667,
            "Partner Center Issues",
            "Office 365 questions from CSP partners using Partner Center",
        ),
        t(
            32444671,
            "Cannot manage my profile",
            "Issues that are related to errors or problems with managing a profile",
        ),
        t(
            32444672,
            "Billing and invoices",
            "Questions about invoices, charges and payment",
        ),
        t(
            32444673,
            "Customer management",
            "Adding customers, relationships and delegated admin",
        ),
    ]
}

/// Draws the state on a test terminal and reports the frame to `update`, as the run loop does.
pub(crate) fn drawn(s: &mut State) -> Viewport {
    let backend = ratatui::backend::TestBackend::new(s.size.0, s.size.1);
    let mut terminal = ratatui::Terminal::new(backend).expect("test terminal");
    let mut viewport = Viewport::default();
    terminal
        .draw(|f| viewport = crate::tui::view::draw(f, s))
        .expect("draw");
    update(s, Action::Drawn(viewport));
    viewport
}

/// A signed-in (sandbox) state at `now`, topics loaded, on the form.
pub(crate) fn state_at(now: Instant) -> State {
    let header = Header {
        cloud: Cloud::Global,
        account: Account::Sandbox,
        locale: "en-US".into(),
        service: crate::domain::Service::PartnerCenter,
        subscription: None,
        customer: None,
    };
    let mut s = State::new(header, Theme::MONO, (100, 30), now);
    update(
        &mut s,
        Action::from(Reply::Topics {
            topics: topics(),
            cached: false,
        }),
    );
    s
}

/// `state_at` now.
pub(crate) fn state() -> State {
    state_at(Instant::now())
}

/// Presses `code` with no modifier.
pub(crate) fn press(s: &mut State, code: KeyCode) -> Vec<Effect> {
    update(s, Action::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

/// Presses Ctrl and `c`.
pub(crate) fn ctrl(s: &mut State, c: char) -> Vec<Effect> {
    update(
        s,
        Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    )
}

/// Types `text` one key at a time; returns what the keys asked for.
pub(crate) fn type_text(s: &mut State, text: &str) -> Vec<Effect> {
    text.chars().flat_map(|c| press(s, KeyCode::Char(c))).collect()
}

/// Whether the effects leave the app.
pub(crate) fn quits(fx: &[Effect]) -> bool {
    fx.contains(&Effect::Quit)
}

/// Opens the history (Ctrl+R) and answers its first read with `rows` of `total`, as the store
/// thread would; returns what that answer asked for next.
pub(crate) fn open_history(s: &mut State, rows: Vec<crate::store::HistoryRow>, total: usize) -> Vec<Effect> {
    let fx = ctrl(s, 'r');
    let seq = fx
        .iter()
        .find_map(|e| match e {
            Effect::Worker(crate::worker::Job::History { seq, .. }) => Some(*seq),
            _ => None,
        })
        .expect("the pane reads its rows");
    update(
        s,
        Action::from(Reply::HistoryPage {
            seq,
            filter: String::new(),
            anchor: crate::store::Anchor::Top,
            rows,
            total: Some(total),
        }),
    )
}

/// Fills every field by keys, as a user would; focus ends on Submit.
pub(crate) fn fill(s: &mut State) {
    type_text(s, "Cannot open billing");
    press(s, KeyCode::Enter);
    type_text(s, "Line one");
    press(s, KeyCode::Enter);
    type_text(s, "Line two");
    press(s, KeyCode::Tab);
    press(s, KeyCode::Right);
    press(s, KeyCode::Right);
    press(s, KeyCode::Tab);
    type_text(s, "profile");
    press(s, KeyCode::Enter);
}

// Azure's catalogue is held for the whole run: once its last service's classifications are in,
// the worker is asked (once) to hand back what loading it freed.
#[test]
fn the_last_branch_of_the_catalogue_asks_once_for_the_memory_its_loading_freed() {
    let mut s = state();
    s.header.service = crate::domain::Service::Azure;
    s.form.service = crate::domain::Service::Azure;
    s.topics = Default::default();
    let service = |n: &str| Topic {
        id: format!("/providers/Microsoft.Support/services/{n}"),
        name: n.into(),
        ..Topic::default()
    };
    let branch = |n: &str| Reply::Branch {
        parent_id: format!("/providers/Microsoft.Support/services/{n}"),
        topics: vec![Topic {
            id: format!("/providers/Microsoft.Support/services/{n}/problemClassifications/x"),
            name: "Area / Issue".into(),
            parent_id: Some(format!("/providers/Microsoft.Support/services/{n}").into()),
            parent_name: Some(n.into()),
            ..Topic::default()
        }],
        cached: true,
    };
    update(
        &mut s,
        Action::from(Reply::Topics {
            topics: vec![service("A"), service("B")],
            cached: true,
        }),
    );
    let release = Effect::Worker(crate::worker::Job::ReleaseMemory);
    assert!(
        !update(&mut s, Action::from(branch("A"))).contains(&release),
        "one still to come"
    );
    assert!(update(&mut s, Action::from(branch("B"))).contains(&release));
    assert_eq!(s.topics.all.len(), 2);
    assert!(
        !update(&mut s, Action::from(branch("B"))).contains(&release),
        "a branch read again later is no burst"
    );
}
