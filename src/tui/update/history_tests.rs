//! The local history driven with actions: a window of rows read around the visible ones.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::tests::{ctrl, press, quits, state};
use super::*;
use crate::domain::Severity;
use crate::store::{Anchor, HistoryRow, SubmissionState};
use crate::worker::Reply;

fn rows(from: usize, n: usize) -> Vec<HistoryRow> {
    (from..from + n)
        .map(|i| HistoryRow {
            local_id: 100_000 - i as i64,
            state: SubmissionState::Created,
            server_id: Some(format!("{}", 616_000_000 + i)),
            title: format!("Request {i}"),
            severity: Some(Severity::Minimal),
            topic_id: "32444671".into(),
            topic_name: None,
            status: None,
            created_at: "2025-01-02T03:04:05Z".into(),
            updated: false,
            number: None,
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
    let Screen::Details(d) = &s.screen else {
        panic!("details open")
    };
    assert!(d.clock.is_some(), "its dates show in local time");
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
fn history_filter_takes_letters_and_refresh_needs_a_server_id() {
    let mut s = state();
    let fx = ctrl(&mut s, 'r');
    answer_history(&mut s, &fx, 3);
    press(&mut s, KeyCode::Char('/'));
    assert!(s.in_text_field());
    assert!(
        !quits(&press(&mut s, KeyCode::Char('q'))),
        "q types into the filter"
    );
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
