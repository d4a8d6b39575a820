//! `update` driven with actions, no terminal.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use uuid::Uuid;

use super::*;
use crate::api::{Severity, SupportTopic};
use crate::auth::Cloud;
use crate::store::{Anchor, Draft};
use crate::store::{HistoryRow, SubmissionState};
use crate::tui::Account;
use crate::tui::state::Viewport;
use crate::tui::state::{Header, Theme};
use crate::worker::ErrorView;
use crate::worker::Reply;

pub(crate) fn topics() -> Vec<SupportTopic> {
    let t = |id, name: &str, description: &str| SupportTopic {
        id,
        name: name.into(),
        description: Some(description.into()),
        attributes: None,
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

pub(crate) fn state_at(now: Instant) -> State {
    let header = Header {
        cloud: Cloud::Global,
        account: Account::Sandbox,
        locale: "en-US".into(),
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

pub(crate) fn state() -> State {
    state_at(Instant::now())
}

pub(crate) fn press(s: &mut State, code: KeyCode) -> Vec<Effect> {
    update(s, Action::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

pub(crate) fn ctrl(s: &mut State, c: char) -> Vec<Effect> {
    update(
        s,
        Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    )
}

pub(crate) fn type_text(s: &mut State, text: &str) {
    for c in text.chars() {
        press(s, KeyCode::Char(c));
    }
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

fn submitted(effects: &[Effect]) -> Option<&NewServiceRequest> {
    effects.iter().find_map(|e| match e {
        Effect::Worker(Job::Submit(r)) => Some(r),
        _ => None,
    })
}

use crate::api::NewServiceRequest;

#[test]
fn filling_by_keys_gives_the_request_that_is_sent() {
    let mut s = state();
    fill(&mut s);
    assert_eq!(s.form.focus, Field::Submit);
    let fx = press(&mut s, KeyCode::Enter);
    let sent = submitted(&fx).expect("Enter on Submit submits");
    assert_eq!(sent.title, "Cannot open billing");
    assert_eq!(sent.description, "Line one\nLine two");
    assert_eq!(sent.severity, Severity::Moderate);
    assert_eq!(sent.support_topic_id, "32444671");
    assert!(s.busy.is_some(), "the submit shows as in flight");
}

#[test]
fn validation_shows_every_problem_and_focuses_the_first() {
    let mut s = state();
    press(&mut s, KeyCode::Tab);
    type_text(&mut s, "only a description");
    let fx = ctrl(&mut s, 's');
    assert!(submitted(&fx).is_none(), "an invalid form is not sent");
    let fields: Vec<&str> = s.form.errors.iter().map(|e| e.field).collect();
    assert_eq!(fields, ["Title", "Severity", "SupportTopicId"]);
    assert_eq!(s.form.focus, Field::Title);
    type_text(&mut s, "A title");
    assert!(
        s.form.error_for(Field::Title).is_none(),
        "fixing a field clears its error"
    );
    ctrl(&mut s, 's');
    assert_eq!(s.form.focus, Field::Severity);
}

#[test]
fn typing_in_the_topic_field_filters_and_chooses_the_best_match() {
    let mut s = state();
    for _ in 0..3 {
        press(&mut s, KeyCode::Tab);
    }
    assert_eq!(s.form.focus, Field::Topic);
    assert_eq!(s.form.topic_id, None, "no topic until the user picks");
    type_text(&mut s, "invoice");
    assert_eq!(s.topics.matches.len(), 1);
    assert_eq!(s.form.topic_id.as_deref(), Some("32444672"));
    press(&mut s, KeyCode::Backspace);
    assert_eq!(s.topics.filter, "invoic");
    type_text(&mut s, "zzzz");
    assert!(s.topics.matches.is_empty());
    assert_eq!(s.form.topic_id, None, "nothing matches, nothing chosen");
}

#[test]
fn enter_in_an_untouched_topic_list_picks_the_first_topic() {
    let mut s = state();
    for _ in 0..3 {
        press(&mut s, KeyCode::Tab);
    }
    assert_eq!(s.form.topic_id, None);
    press(&mut s, KeyCode::Enter);
    assert_eq!(
        s.form.topic_id.as_deref(),
        Some("32444667"),
        "Enter keeps the highlighted (first) topic"
    );
    assert_eq!(s.form.focus, Field::Submit);
    // Tab only passes through: it never picks for the user.
    let mut s = state();
    for _ in 0..4 {
        press(&mut s, KeyCode::Tab);
    }
    assert_eq!(s.form.focus, Field::Submit);
    assert_eq!(s.form.topic_id, None);
}

#[test]
fn q_and_question_mark_type_in_text_fields_but_act_outside() {
    let mut s = state();
    let fx = press(&mut s, KeyCode::Char('q'));
    assert!(fx.is_empty() && !s.quit);
    press(&mut s, KeyCode::Char('?'));
    assert_eq!(s.form.title_text(), "q?");
    assert!(!s.help);
    press(&mut s, KeyCode::Tab);
    press(&mut s, KeyCode::Tab);
    assert_eq!(s.form.focus, Field::Severity);
    press(&mut s, KeyCode::Char('?'));
    assert!(s.help, "? opens help outside text fields");
    press(&mut s, KeyCode::Esc);
    let fx = press(&mut s, KeyCode::Char('q'));
    assert!(s.quit);
    assert!(fx.contains(&Effect::Quit));
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::Worker(Job::SaveDraft(d)) if d.title == "q?")),
        "quitting saves the draft: {fx:?}"
    );
}

#[test]
fn the_title_refuses_new_lines() {
    let mut s = state();
    type_text(&mut s, "one");
    press(&mut s, KeyCode::Enter);
    assert_eq!(s.form.focus, Field::Description, "Enter leaves the title");
    press(&mut s, KeyCode::BackTab);
    update(&mut s, Action::Paste("two\nthree\r\nfour".into()));
    assert_eq!(s.form.title_text(), "onetwo three four");
    assert_eq!(s.form.title.lines().len(), 1);
}

#[test]
fn description_takes_enter_and_pasted_lines() {
    let mut s = state();
    press(&mut s, KeyCode::Tab);
    update(&mut s, Action::Paste("a\r\nb".into()));
    press(&mut s, KeyCode::Enter);
    type_text(&mut s, "c");
    assert_eq!(s.form.description_text(), "a\nb\nc");
    assert_eq!(ctrl(&mut s, 'e'), vec![Effect::OpenEditor("a\nb\nc".into())]);
    update(&mut s, Action::EditorDone(Ok("from the editor\n".into())));
    assert_eq!(s.form.description_text(), "from the editor");
}

#[test]
fn success_shows_the_result_and_empties_the_form() {
    let mut s = state();
    fill(&mut s);
    let fx = ctrl(&mut s, 's');
    let request = submitted(&fx).cloned().expect("sent");
    let response: crate::api::ServiceRequest =
        crate::api::wire::parse(include_bytes!("../../../tests/fixtures/create-response.json"))
            .expect("fixture");
    let request_id = Uuid::new_v4();
    update(
        &mut s,
        Action::from(Reply::Submitted {
            local_id: 1,
            request_id,
            request,
            response,
        }),
    );
    let Screen::Result(r) = &s.screen else {
        panic!("result screen expected")
    };
    assert_eq!(r.request.id.as_deref(), Some("616122292874576"));
    assert_eq!(r.topic_name.as_deref(), Some("Cannot manage my profile"));
    assert!(s.form.is_empty(), "the sent draft is gone from the form");
    assert!(s.busy.is_none());
    assert!(!s.draft.dirty, "nothing left to autosave");
    assert_eq!(
        press(&mut s, KeyCode::Char('y')),
        vec![Effect::Copy {
            text: "616122292874576".into(),
            what: "request id 616122292874576".into(),
        }]
    );
    assert!(
        s.notice.as_ref().is_some_and(|n| n.text.contains("Copying")),
        "copy gives visible feedback at once"
    );
    // The message then says honestly how it was copied.
    let copied = |via, tmux| Action::Copied {
        what: "request id 616122292874576".into(),
        text: "616122292874576".into(),
        via,
        tmux,
    };
    let fx = update(&mut s, copied(crate::tui::clipboard::Method::Tmux, true));
    assert!(fx.is_empty(), "a tool copied it: nothing more to send");
    let notice = s.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default();
    assert!(notice.contains("to the tmux buffer"), "{notice}");
    let fx = update(&mut s, copied(crate::tui::clipboard::Method::Osc52, false));
    assert_eq!(
        fx,
        vec![Effect::Osc52 {
            text: "616122292874576".into(),
            tmux: false
        }]
    );
    let notice = s.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default();
    assert!(
        notice.contains("whether it reached the clipboard depends"),
        "{notice}"
    );
}

fn server_error(sign_in: bool) -> ErrorView {
    ErrorView {
        summary: if sign_in {
            "HTTP 401 Unauthorized".into()
        } else {
            "HTTP 503 Service Unavailable".into()
        },
        code: None,
        description: Some("try later".into()),
        request_id: Some(Uuid::nil()),
        correlation_id: Some(Uuid::nil()),
        hint: "Run `pcsr-tui login`.".into(),
        sign_in,
    }
}

#[test]
fn failure_keeps_every_typed_character_and_resends_with_the_same_id() {
    let mut s = state();
    fill(&mut s);
    let before = s.form.draft();
    let fx = ctrl(&mut s, 's');
    let request = submitted(&fx).cloned().expect("sent");
    let request_id = Uuid::new_v4();
    update(
        &mut s,
        Action::from(Reply::SubmitFailed {
            request,
            error: server_error(false),
            unsettled: Some((7, request_id)),
        }),
    );
    assert!(matches!(s.screen, Screen::Form));
    assert_eq!(s.form.draft(), before, "every field is intact");
    assert!(s.form.submit_error.is_some());
    assert!(s.busy.is_none());
    let fx = ctrl(&mut s, 's');
    assert!(
        fx.iter().any(|e| matches!(e, Effect::Worker(Job::Resend { local_id: 7, request_id: id, .. }) if *id == request_id)),
        "an unknown outcome is retried with its MS-RequestId: {fx:?}"
    );
}

#[test]
fn sign_in_failures_point_to_login() {
    let mut s = state();
    fill(&mut s);
    let fx = ctrl(&mut s, 's');
    let request = submitted(&fx).cloned().expect("sent");
    update(
        &mut s,
        Action::from(Reply::SubmitFailed {
            request,
            error: server_error(true),
            unsettled: None,
        }),
    );
    assert!(
        s.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("pcsr-tui login"))
    );
}

#[test]
fn ctrl_n_keeps_an_unsent_draft() {
    let mut s = state();
    type_text(&mut s, "half written");
    ctrl(&mut s, 'r');
    assert!(matches!(s.screen, Screen::History));
    ctrl(&mut s, 'n');
    assert!(matches!(s.screen, Screen::Form));
    assert_eq!(s.form.title_text(), "half written");
}

#[test]
fn drafts_autosave_within_a_quarter_second_even_while_typing() {
    let t0 = Instant::now();
    let mut s = state_at(t0);
    let tick = |s: &mut State, ms| update(s, Action::Tick(t0 + Duration::from_millis(ms)));
    type_text(&mut s, "dr");
    assert_eq!(s.next_tick(), Some(t0), "the autosave clock starts at once");
    assert!(tick(&mut s, 0).is_empty());
    // Steady typing does not push the save back: the clock runs from the first unsaved key.
    tick(&mut s, 120);
    type_text(&mut s, "aft");
    assert!(
        s.next_tick()
            .is_some_and(|t| t <= t0 + Duration::from_millis(250))
    );
    let fx = tick(&mut s, 200);
    assert!(
        matches!(fx.as_slice(), [Effect::Worker(Job::SaveDraft(d))] if d.title == "draft"),
        "saved 200 ms after the first change, with everything typed since: {fx:?}"
    );
    assert!(tick(&mut s, 1200).is_empty(), "saved once");
}

#[test]
fn an_idle_app_asks_for_no_ticks() {
    let t0 = Instant::now();
    let mut s = state_at(t0);
    // The topic list is loaded and nothing is pending: nothing to wake up for.
    assert_eq!(s.next_tick(), None);
    fill(&mut s);
    ctrl(&mut s, 's');
    assert_eq!(
        s.next_tick(),
        Some(t0 + crate::tui::state::SPINNER_STEP),
        "the submit spinner turns"
    );
}

#[test]
fn a_restored_draft_fills_an_untouched_form() {
    let mut s = state();
    let draft = Draft {
        title: "from last time".into(),
        description: "body".into(),
        severity: Some(Severity::Critical),
        topic_id: Some("32444673".into()),
    };
    update(&mut s, Action::from(Reply::Draft(Some(draft.clone()))));
    assert_eq!(s.form.draft(), draft);
    assert_eq!(s.topics.highlighted().map(|t| t.id), Some(32444673));
}

fn rows(from: usize, n: usize) -> Vec<HistoryRow> {
    (from..from + n)
        .map(|i| HistoryRow {
            local_id: 100_000 - i as i64,
            state: SubmissionState::Created,
            server_id: Some(format!("{}", 616_000_000 + i)),
            title: format!("Request {i}"),
            severity: Severity::Minimal,
            topic_id: "32444671".into(),
            topic_name: None,
            status: None,
            created_at: "2025-01-02T03:04:05Z".into(),
            updated: false,
        })
        .collect()
}

/// Plays the store for history reads over `total` rows: row `i` has local id `100_000 - i`
/// and one shared date, so its key places it exactly.
fn window_of(anchor: &Anchor, limit: usize, total: usize) -> (usize, usize) {
    let index = |k: &crate::store::HistoryKey| 100_000 - k.local_id as usize;
    let (from, to) = match anchor {
        Anchor::Top => (0, limit),
        Anchor::Bottom => (total.saturating_sub(limit), total),
        Anchor::From(k) => (index(k), index(k) + limit),
        Anchor::After(k) => (index(k) + 1, index(k) + 1 + limit),
        Anchor::Before(k) => (index(k).saturating_sub(limit), index(k)),
    };
    (from.min(total), to.min(total))
}

/// Answers every history read in `fx` (and the reads those answers lead to).
fn answer_history(s: &mut State, fx: &[Effect], total: usize) -> Vec<Effect> {
    let mut queue: Vec<Effect> = fx.to_vec();
    let mut rest = Vec::new();
    while let Some(effect) = queue.pop() {
        let Effect::Worker(Job::History {
            seq,
            filter,
            anchor,
            limit,
            count,
        }) = effect
        else {
            rest.push(effect);
            continue;
        };
        let (from, to) = window_of(&anchor, limit, total);
        queue.extend(update(
            s,
            Action::from(Reply::HistoryPage {
                seq,
                filter,
                anchor,
                rows: rows(from, to - from),
                total: count.then_some(total),
            }),
        ));
    }
    rest
}

#[test]
fn history_reads_only_a_window_around_the_visible_rows() {
    let mut s = state();
    let fx = ctrl(&mut s, 'r');
    let limit = fx.iter().find_map(|e| match e {
        Effect::Worker(Job::History { limit, .. }) => Some(*limit),
        _ => None,
    });
    assert!(
        limit.is_some_and(|l| l < 200),
        "a window, not 100k rows: {limit:?}"
    );
    answer_history(&mut s, &fx, 100_000);
    assert_eq!(s.history.total, 100_000);
    let mut fx = Vec::new();
    for _ in 0..200 {
        fx = press(&mut s, KeyCode::Char('j'));
        if !fx.is_empty() {
            answer_history(&mut s, &fx, 100_000);
        }
    }
    assert_eq!(s.history.selected, 200);
    assert!(s.history.row(200).is_some(), "the selected row is loaded");
    assert!(
        s.history.rows.len() <= 8 * history_height(&s),
        "a bounded window: {}",
        s.history.rows.len()
    );
    let _ = fx;
    let fx = press(&mut s, KeyCode::Enter);
    assert_eq!(
        fx,
        vec![Effect::Worker(Job::Details {
            local_id: Some(100_000 - 200),
            server_id: None
        })]
    );
}

fn history_request(fx: &[Effect]) -> Option<(Anchor, usize)> {
    fx.iter().find_map(|e| match e {
        Effect::Worker(Job::History { anchor, limit, .. }) => Some((anchor.clone(), *limit)),
        _ => None,
    })
}

/// The history pane open on 100,000 rows, the first window loaded.
fn history_of_100k() -> State {
    let mut s = state();
    let fx = ctrl(&mut s, 'r');
    answer_history(&mut s, &fx, 100_000);
    assert_eq!(s.history.total, 100_000);
    s
}

#[test]
fn end_jumps_to_the_last_of_100k_rows_reading_only_the_last_window() {
    let mut s = history_of_100k();
    let fx = press(&mut s, KeyCode::End);
    assert_eq!(s.history.selected, 99_999);
    let (anchor, limit) = history_request(&fx).expect("the rows at the end are asked for");
    assert!(
        limit <= 3 * history_height(&s),
        "a window, not every row: limit {limit}"
    );
    assert_eq!(anchor, Anchor::Bottom, "one seek to the end, no OFFSET scan");
    answer_history(&mut s, &fx, 100_000);
    assert!(s.history.row(99_999).is_some(), "the last row is loaded");
    assert_eq!(
        s.history.top + history_height(&s),
        100_000,
        "the last row is at the bottom"
    );
    let fx = press(&mut s, KeyCode::Enter);
    assert_eq!(
        fx,
        vec![Effect::Worker(Job::Details {
            local_id: Some(100_000 - 99_999),
            server_id: None
        })]
    );
}

#[test]
fn page_down_moves_one_page_and_home_returns_to_the_first_row() {
    let mut s = history_of_100k();
    let page = history_height(&s);
    let fx = press(&mut s, KeyCode::PageDown);
    answer_history(&mut s, &fx, 100_000);
    assert_eq!(s.history.selected, page);
    assert_eq!(s.history.top, page, "the view turns a whole page");
    let fx = press(&mut s, KeyCode::PageDown);
    answer_history(&mut s, &fx, 100_000);
    assert_eq!(s.history.selected, 2 * page);
    press(&mut s, KeyCode::PageUp);
    assert_eq!(s.history.selected, page);
    let fx = press(&mut s, KeyCode::Home);
    answer_history(&mut s, &fx, 100_000);
    assert_eq!((s.history.selected, s.history.top), (0, 0));
    assert!(s.history.row(0).is_some());
    press(&mut s, KeyCode::Char('G'));
    assert_eq!(s.history.selected, 99_999, "G jumps to the end like End");
    press(&mut s, KeyCode::Char('g'));
    assert_eq!(s.history.selected, 0, "g jumps to the start like Home");
}

#[test]
fn g_types_into_the_filter_while_it_is_edited() {
    let mut s = history_of_100k();
    press(&mut s, KeyCode::Char('/'));
    let fx = update(
        &mut s,
        Action::Key(KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT)),
    );
    assert_eq!(s.history.filter, "G");
    assert_eq!(s.history.selected, 0, "no jump to the end");
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::Worker(Job::History { filter, .. }) if filter == "G")),
        "the filtered rows are asked for: {fx:?}"
    );
}

#[test]
fn page_keys_scroll_the_help_and_stop_at_its_end() {
    let mut s = state();
    press(&mut s, KeyCode::F(1));
    let Viewport {
        page,
        max_scroll: max,
    } = drawn(&mut s);
    assert!(max > 0, "the key list is longer than the screen");
    press(&mut s, KeyCode::PageDown);
    assert_eq!(s.help_scroll, page.min(max));
    drawn(&mut s);
    press(&mut s, KeyCode::End);
    assert_eq!(s.help_scroll, max);
    press(&mut s, KeyCode::Down);
    assert_eq!(s.help_scroll, max, "no scrolling past the end");
    press(&mut s, KeyCode::Up);
    assert_eq!(s.help_scroll, max - 1, "Up responds at once after End");
    press(&mut s, KeyCode::Home);
    assert_eq!(s.help_scroll, 0);
}

#[test]
fn history_filter_takes_letters_and_refresh_needs_a_server_id() {
    let mut s = state();
    let fx = ctrl(&mut s, 'r');
    answer_history(&mut s, &fx, 3);
    press(&mut s, KeyCode::Char('/'));
    assert!(s.in_text_field());
    press(&mut s, KeyCode::Char('q'));
    assert!(!s.quit, "q types into the filter");
    assert_eq!(s.history.filter, "q");
    press(&mut s, KeyCode::Enter);
    let fx = press(&mut s, KeyCode::Char('r'));
    assert!(
        fx.iter().any(
            |e| matches!(e, Effect::Worker(Job::Refresh { target, .. }) if target.server_id == "616000000")
        ),
        "{fx:?}"
    );
}

#[test]
fn client_events_show_what_the_client_is_doing() {
    let t0 = Instant::now();
    let mut s = state_at(t0);
    fill(&mut s);
    ctrl(&mut s, 's');
    update(
        &mut s,
        Action::from(Reply::Client(crate::api::ClientEvent::Retrying {
            attempt: 2,
            max_attempts: 4,
            wait: Duration::from_secs(3),
            reason: "HTTP 503".into(),
        })),
    );
    let note = s.busy.as_ref().and_then(|b| b.note.clone()).expect("note");
    assert_eq!(note.text(t0), "retrying in 3 s after HTTP 503");
    update(
        &mut s,
        Action::from(Reply::Client(crate::api::ClientEvent::RateLimited {
            wait: Duration::from_secs(57),
        })),
    );
    let note = s.busy.as_ref().and_then(|b| b.note.clone()).expect("note");
    assert_eq!(note.text(t0), "rate limited, 57 s");
}

#[test]
fn keys_keep_working_while_a_submit_is_in_flight() {
    let mut s = state();
    fill(&mut s);
    ctrl(&mut s, 's');
    assert!(s.busy.is_some());
    ctrl(&mut s, 'r');
    assert!(matches!(s.screen, Screen::History));
    let fx = ctrl(&mut s, 'c');
    assert!(
        fx.contains(&Effect::Quit),
        "quitting mid-submit is allowed; the store keeps it in the outbox"
    );
}

#[test]
fn severity_starts_unset_and_cycles() {
    let mut s = state();
    press(&mut s, KeyCode::Tab);
    press(&mut s, KeyCode::Tab);
    assert_eq!(s.form.severity, None);
    press(&mut s, KeyCode::Left);
    assert_eq!(s.form.severity, Some(Severity::Minimal));
    press(&mut s, KeyCode::Right);
    assert_eq!(s.form.severity, Some(Severity::Critical));
}

#[test]
fn opening_a_changed_request_clears_its_mark_in_the_list() {
    let mut s = state();
    let fx = ctrl(&mut s, 'r');
    answer_history(&mut s, &fx, 5);
    s.history.rows[0].updated = true;
    let fx = press(&mut s, KeyCode::Enter);
    assert_eq!(
        fx,
        vec![Effect::Worker(Job::Details {
            local_id: Some(100_000),
            server_id: None
        })]
    );
    press(&mut s, KeyCode::Esc);
    assert!(matches!(s.screen, Screen::History));
    assert!(!s.history.rows[0].updated, "seen now: no mark");
}

#[test]
fn a_failed_history_read_does_not_stop_later_reads() {
    let mut s = history_of_100k();
    let fx = press(&mut s, KeyCode::End);
    assert!(history_request(&fx).is_some());
    // The store answers with an error instead of the page.
    update(&mut s, Action::from(Reply::StoreFailed("disk I/O error".into())));
    assert!(
        s.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("disk I/O error"))
    );
    // The next move asks again instead of waiting for the lost answer.
    let fx = press(&mut s, KeyCode::End);
    assert_eq!(
        history_request(&fx).map(|(a, _)| a),
        Some(Anchor::Bottom),
        "{fx:?}"
    );
}
