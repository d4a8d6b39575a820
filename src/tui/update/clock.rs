//! The clock's part of `update`: notices expire, the draft autosaves, spinners turn.

use std::time::Instant;

use crate::tui::action::Effect;
use crate::tui::state::{DRAFT_DEBOUNCE, DraftSync, NOTICE_TTL, NoticeKind, SPINNER_STEP, State};
use crate::worker::Job;

/// A tick the run loop asked for (see `State::next_tick`).
pub(super) fn on_tick(state: &mut State, now: Instant, fx: &mut Vec<Effect>) {
    state.now = now;
    // Spinners turn with the clock, however often ticks come.
    state.frame =
        (now.saturating_duration_since(state.started).as_millis() / SPINNER_STEP.as_millis()) as u64;
    if let Some(notice) = &mut state.notice {
        match notice.until {
            None => {
                let ttl = if notice.kind == NoticeKind::Error {
                    NOTICE_TTL * 3
                } else {
                    NOTICE_TTL
                };
                notice.until = Some(now + ttl);
            }
            Some(until) if now >= until => state.notice = None,
            Some(_) => {}
        }
    }
    if state.draft.dirty {
        match state.draft.pending_since {
            None => state.draft.pending_since = Some(now),
            Some(since) if now.duration_since(since) >= DRAFT_DEBOUNCE => {
                fx.push(Effect::Worker(Job::SaveDraft(state.form.draft())));
                state.draft = DraftSync::default();
            }
            Some(_) => {}
        }
    }
}
