//! The Azure subscription picker: F6 opens it and asks the worker for the subscriptions the
//! sign-in can see; Enter switches the session's scope (the header, the worker's client, the
//! service's list) and remembers the choice in config.toml, off the UI thread.

use crate::domain::{Failure, Service};
use crate::text;
use crate::tui::action::Effect;
use crate::tui::mode::Overlay;
use crate::tui::state::State;
use crate::tui::state::subscription_picker::{SubscriptionPicker, SubscriptionsLoad};
use crate::worker::Job;

/// F6: the picker over the screen, the tenant-level entry listed at once and the rest asked for.
/// Pressed again while it is open, it reads the list again (after an error, say).
pub(super) fn open(state: &mut State, fx: &mut Vec<Effect>) {
    if state.header.service != Service::Azure {
        state.info(
            "Subscriptions are for Azure tickets: start with --backend azure (or PCSR_BACKEND=azure) to pick one",
        );
        return;
    }
    let current = state.header.subscription.clone();
    match state.subscription_picker_mut() {
        Some(picker) => picker.set_load(SubscriptionsLoad::Loading),
        None => state
            .overlays
            .push(Overlay::Subscriptions(Box::new(SubscriptionPicker::loading(
                current,
            )))),
    }
    fx.push(Effect::Worker(Job::Subscriptions));
}

/// The worker's answer; dropped when the picker was closed meanwhile.
pub(super) fn loaded(state: &mut State, outcome: Result<Vec<crate::domain::Subscription>, Failure>) {
    let Some(picker) = state.subscription_picker_mut() else {
        return;
    };
    picker.set_load(match outcome {
        Ok(all) => SubscriptionsLoad::Loaded(all),
        Err(failure) => SubscriptionsLoad::Failed(failure),
    });
}

/// Enter: the highlighted entry becomes the scope of new tickets and of the service's list.
pub(super) fn choose(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(Overlay::Subscriptions(picker)) = state.overlays.last() else {
        return;
    };
    let Some(entry) = picker.highlighted() else {
        state.info("Nothing matches the filter: clear it to see every subscription");
        return;
    };
    let chosen = entry.map(|s| s.id.clone());
    let words = match entry {
        Some(s) => format!("subscription {} ({})", text::one_line(&s.name), short(&s.id)),
        None => "tenant level (no subscription)".to_string(),
    };
    state.overlays.pop();
    if chosen == state.header.subscription {
        state.info(format!("Already filing at {words}"));
        return;
    }
    state.header.subscription = chosen.clone();
    fx.push(Effect::Worker(Job::UseSubscription(chosen.clone())));
    super::requests::rescoped(state, fx);
    let pinned = if state.azure.subscription_pinned {
        "; --subscription / PCSR_SUBSCRIPTION still decides at the next start"
    } else {
        ""
    };
    // Without a config.toml the choice lasts for this session only.
    if let Some(path) = &state.azure.config_path {
        fx.push(Effect::WriteSubscription {
            path: path.clone(),
            subscription: chosen,
        });
    }
    state.info(format!("New tickets and the service's list: {words}{pinned}"));
}

/// The first block of a GUID, as the header shows it.
fn short(id: &str) -> &str {
    id.split('-').next().unwrap_or(id)
}
