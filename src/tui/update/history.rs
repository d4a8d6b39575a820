//! The history pane's part of `update`: moving, paging, filtering, and keeping a window of rows
//! loaded around the selection.
//!
//! The window is read by key (`created_at, local_id`), never by OFFSET: Down and PageDown are
//! memory moves inside it, the next rows are fetched a page ahead, and Home/End are one indexed
//! seek each. The store thread answers; the key path never waits for it.

use ratatui::layout::Rect;

use crate::store::{Anchor, HistoryKey, HistoryRow};
use crate::text;
use crate::tui::action::Effect;
use crate::tui::keys::KeyCommand;
use crate::tui::layout;
use crate::tui::state::{DetailsView, History, Screen, Source, State, Target};
use crate::worker::Job;

/// Screens of rows kept loaded at most; older ones are dropped as the window moves.
const KEEP_SCREENS: usize = 8;

/// Screens of rows fetched ahead of the visible ones.
const AHEAD_SCREENS: usize = 2;

/// The history's visible rows, from the shared layout.
pub fn history_height(state: &State) -> usize {
    let area = Rect::new(0, 0, state.size.0, state.size.1);
    let message = crate::tui::state::message::height(state, area.width);
    layout::history(layout::root(area, message).main)
        .list
        .height
        .max(1) as usize
}

/// Whether the history on screen would show rows that are still being read (a jump to either
/// end, a fast page past the window). The run loop holds such a frame back for a moment, so the
/// key draws once, with the rows, instead of a placeholder frame and then the rows.
pub fn awaiting_rows(state: &State) -> bool {
    let h = &state.history;
    matches!(state.screen, Screen::History)
        && h.source == Source::Local
        && h.pending.is_some()
        && h.total > 0
        && !h.covers(h.top, history_height(state))
}

/// Down/Up by `delta` rows.
pub(super) fn step(state: &mut State, delta: isize, fx: &mut Vec<Effect>) {
    let total = state.history.total;
    if total > 0 {
        state.history.selected = state.history.selected.saturating_add_signed(delta).min(total - 1);
        ensure(state, fx, false);
    }
}

/// Page and first/last moves.
pub(super) fn jump(state: &mut State, command: KeyCommand, fx: &mut Vec<Effect>) {
    let total = state.history.total;
    if total == 0 {
        return;
    }
    let height = history_height(state);
    let h = &mut state.history;
    match command {
        KeyCommand::PageUp | KeyCommand::PageDown => {
            let delta = if command == KeyCommand::PageUp {
                -(height as isize)
            } else {
                height as isize
            };
            // The view turns a whole page along with the selection, as in a pager.
            h.selected = h.selected.saturating_add_signed(delta).min(total - 1);
            h.top = h
                .top
                .saturating_add_signed(delta)
                .min(total.saturating_sub(height));
        }
        KeyCommand::First => h.selected = 0,
        _ => h.selected = total - 1,
    }
    ensure(state, fx, false);
}

/// Opens the selected row's details.
pub(super) fn open(state: &mut State, fx: &mut Vec<Effect>) {
    if let Some(row) = state.history.row(state.history.selected) {
        let local_id = row.local_id;
        super::show(
            state,
            Screen::Details(Box::new(DetailsView {
                clock: Some(crate::dates::WallClock::now()),
                ..DetailsView::local(local_id)
            })),
        );
        fx.push(Effect::Worker(Job::Details {
            local_id: Some(local_id),
            server_id: None,
        }));
    }
}

/// Re-reads the selected request (history) or the open one (details) from the server.
pub(super) fn refresh(state: &mut State, fx: &mut Vec<Effect>) {
    let target = match &state.screen {
        Screen::History => state
            .history
            .row(state.history.selected)
            .map(|r| (Some(r.local_id), r.server_id.clone(), None)),
        Screen::Details(d) => Some((
            d.submission.as_ref().map(|s| s.local_id).or(d.local_id),
            d.server_id(),
            d.customer.clone(),
        )),
        _ => None,
    };
    match target {
        Some((local_id, Some(server_id), customer)) => {
            state.refreshing = Some(server_id.clone());
            state.info(format!(
                "Refreshing {} from the server…",
                text::one_line(&server_id)
            ));
            let looking = matches!(state.screen, Screen::Details(_));
            fx.push(Effect::Worker(Job::Refresh {
                target: Target {
                    local_id,
                    server_id,
                    customer,
                },
                looking,
            }));
        }
        Some((_, None, _)) => {
            state.error("This request was never created on the server, so there is nothing to refresh")
        }
        None => {}
    }
}

/// Whether the filter as typed differs from the one the shown rows were matched for.
pub(super) fn filter_is_stale(state: &State) -> bool {
    let h = &state.history;
    match h.source {
        Source::Local => h.loaded_filter.as_deref() != Some(h.filter.text()),
        Source::Service => h.service.matched_filter != h.filter.text().to_lowercase(),
    }
}

/// The filter text changed: back to the top, counted afresh (the Partner Center list is
/// matched in memory, and more of it read if the matches do not fill the screen).
pub(super) fn filter_changed(state: &mut State, fx: &mut Vec<Effect>) {
    if state.history.source == Source::Service {
        let filter = state.history.filter.text().to_string();
        state.history.service.set_filter(&filter);
        super::requests::ensure(state, fx);
        return;
    }
    state.history.selected = 0;
    state.history.top = 0;
    ensure(state, fx, true);
}

/// Keeps the selection visible and asks for rows that are not loaded yet; `force` re-reads
/// the rows on screen and the count (the pane opened, the filter or the data changed).
pub(super) fn ensure(state: &mut State, fx: &mut Vec<Effect>, force: bool) {
    let height = history_height(state);
    let h = &mut state.history;
    if h.total > 0 {
        h.selected = h.selected.min(h.total - 1);
    }
    if h.selected < h.top {
        h.top = h.selected;
    } else if h.selected >= h.top + height {
        h.top = h.selected + 1 - height;
    }
    let request = if force {
        Some(reload(h, height))
    } else if h.pending.is_some() {
        // One read at a time; its answer calls back in here and the next one follows.
        None
    } else {
        next_read(h, height)
    };
    if let Some((anchor, limit, count)) = request {
        h.seq += 1;
        h.pending = Some(h.seq);
        fx.push(Effect::Worker(Job::History {
            seq: h.seq,
            filter: h.filter.text().to_string(),
            anchor,
            limit,
            count,
        }));
    }
}

/// The read that refreshes what is on screen: from the first loaded row when the filter is
/// unchanged (the list may have grown above it), else from the top.
fn reload(h: &mut History, height: usize) -> (Anchor, usize, bool) {
    let same_filter = h.loaded_filter.as_deref() == Some(h.filter.text());
    let first = h.rows.first().filter(|_| same_filter && h.window_start > 0);
    match first {
        Some(row) => {
            h.reload_at = h.window_start;
            (
                Anchor::From(HistoryKey::of(row)),
                h.rows.len().max(height * 3),
                true,
            )
        }
        None => {
            h.reload_at = 0;
            (
                Anchor::Top,
                (h.selected + 1).max(height) + height * AHEAD_SCREENS,
                true,
            )
        }
    }
}

/// The read the visible rows need next, if any: a jump to either end, or the rows a page
/// beyond either edge of the window.
fn next_read(h: &History, height: usize) -> Option<(Anchor, usize, bool)> {
    let ahead = height * AHEAD_SCREENS;
    let start = h.window_start;
    let end = start + h.rows.len();
    let visible_end = (h.top + height).min(h.total);
    let loaded = h.loaded_filter.as_deref() == Some(h.filter.text());
    // An empty list that is loaded stays so until something changes it (no re-read loop).
    if !loaded || (h.rows.is_empty() && h.total > 0) {
        return Some((Anchor::Top, ahead + height, true));
    }
    if h.rows.is_empty() {
        return None;
    }
    if h.top >= end || visible_end <= start {
        // Jumped clear of the window: only End and Home do that.
        return Some(if h.top == 0 {
            (Anchor::Top, ahead + height, false)
        } else {
            (Anchor::Bottom, ahead + height, false)
        });
    }
    if end < h.total && visible_end + ahead > end {
        let last = h.rows.last().map(HistoryKey::of)?;
        return Some((Anchor::After(last), ahead, false));
    }
    if start > 0 && h.top < start + ahead {
        let first = h.rows.first().map(HistoryKey::of)?;
        return Some((Anchor::Before(first), ahead, false));
    }
    None
}

/// Merges a window read into the pane; stale or mismatched answers are dropped.
pub(super) fn on_page(
    state: &mut State,
    page: (u64, String, Anchor, Vec<HistoryRow>, Option<usize>),
    fx: &mut Vec<Effect>,
) {
    let (seq, filter, anchor, rows, total) = page;
    let height = history_height(state);
    let h = &mut state.history;
    if h.pending != Some(seq) {
        return;
    }
    h.pending = None;
    if filter != h.filter.text() {
        ensure(state, fx, true);
        return;
    }
    if let Some(total) = total {
        h.total = total;
    }
    let n = rows.len();
    match anchor {
        Anchor::Top => {
            h.window_start = 0;
            h.rows = rows;
        }
        Anchor::Bottom => {
            h.window_start = h.total.saturating_sub(n);
            h.rows = rows;
        }
        Anchor::From(_) => {
            h.window_start = h.reload_at;
            h.rows = rows;
        }
        Anchor::After(key) if h.rows.last().map(HistoryKey::of).as_ref() == Some(&key) => {
            let wanted = height * AHEAD_SCREENS;
            h.rows.extend(rows);
            if n < wanted {
                // The bottom of the list: the count is exact now.
                h.total = h.window_start + h.rows.len();
            }
            let keep = height * KEEP_SCREENS;
            if h.rows.len() > keep {
                let drop = h.rows.len() - keep;
                h.rows.drain(..drop);
                h.window_start += drop;
            }
        }
        Anchor::Before(key) if h.rows.first().map(HistoryKey::of).as_ref() == Some(&key) => {
            let wanted = height * AHEAD_SCREENS;
            // Fewer rows than asked for means the top was reached, whatever the old index said.
            h.window_start = if n < wanted {
                0
            } else {
                h.window_start.saturating_sub(n)
            };
            let mut merged = rows;
            merged.append(&mut h.rows);
            merged.truncate(height * KEEP_SCREENS);
            h.rows = merged;
        }
        // The window moved on while this was read.
        Anchor::After(_) | Anchor::Before(_) => {}
    }
    h.loaded_filter = Some(filter);
    ensure(state, fx, false);
}
