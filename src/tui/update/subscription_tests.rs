//! The Azure subscription picker, driven by keys and worker answers without a terminal: F6
//! asks the worker, typing filters, Enter switches the header, the worker's client and the
//! service's list, and writes config.toml; errors say what to do; Partner Center says no.

use ratatui::crossterm::event::KeyCode;

use super::tests::{press, state, type_text};
use super::*;
use crate::domain::{Failure, Remedy, Service, Subscription};
use crate::tui::state::subscription_picker::SubscriptionsLoad;
use crate::worker::Reply;

const PAID: &str = "132d901f-189d-4381-9214-fe68e27e05a1";
const FREE: &str = "5a0c3b6e-2f1d-4a8e-9c47-1d2b3c4d5e6f";

fn azure() -> State {
    let mut s = state();
    s.header.service = Service::Azure;
    s.header.subscription = Some(PAID.into());
    s.azure.config_path = Some("/cfg/config.toml".into());
    s
}

fn two() -> Vec<Subscription> {
    vec![
        Subscription {
            id: PAID.into(),
            name: "Sandbox Production".into(),
            state: Some("Enabled".into()),
        },
        Subscription {
            id: FREE.into(),
            name: "Sandbox Dev/Test".into(),
            state: Some("Enabled".into()),
        },
    ]
}

fn f6(s: &mut State) -> Vec<Effect> {
    press(s, KeyCode::F(6))
}

fn picker(s: &State) -> &crate::tui::state::subscription_picker::SubscriptionPicker {
    match s.overlays.last() {
        Some(Overlay::Subscriptions(p)) => p,
        other => panic!("the picker is not on top: {other:?}"),
    }
}

fn opened_with_two() -> State {
    let mut s = azure();
    let fx = f6(&mut s);
    assert!(fx.contains(&Effect::Worker(Job::Subscriptions)), "{fx:?}");
    assert_eq!(mode::mode(&s), Mode::Subscriptions);
    update(&mut s, Action::from(Reply::Subscriptions(Ok(two()))));
    s
}

#[test]
fn f6_asks_the_worker_and_lists_tenant_level_first_with_the_one_in_use_highlighted() {
    let mut s = azure();
    f6(&mut s);
    // Before the answer: only the tenant-level entry, and the list is being read.
    assert_eq!(picker(&s).load, SubscriptionsLoad::Loading);
    assert_eq!(picker(&s).list.matches, vec![0]);
    update(&mut s, Action::from(Reply::Subscriptions(Ok(two()))));
    let p = picker(&s);
    assert_eq!(p.list.matches.len(), 3);
    assert_eq!(p.highlighted(), Some(Some(&two()[0])), "the one in use");
    assert!(p.is_current(1) && !p.is_current(0));
}

#[test]
fn typing_filters_and_enter_switches_header_worker_list_and_config() {
    let mut s = opened_with_two();
    type_text(&mut s, "dev");
    assert_eq!(picker(&s).highlighted(), Some(Some(&two()[1])));
    let fx = press(&mut s, KeyCode::Enter);
    assert!(s.overlays.is_empty());
    assert_eq!(s.header.subscription.as_deref(), Some(FREE));
    assert!(
        fx.contains(&Effect::Worker(Job::UseSubscription(Some(FREE.into())))),
        "{fx:?}"
    );
    assert!(
        fx.contains(&Effect::WriteSubscription {
            path: "/cfg/config.toml".into(),
            subscription: Some(FREE.into()),
        }),
        "{fx:?}"
    );
    let notice = s.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default();
    assert!(
        notice.contains("Sandbox Dev/Test") && notice.contains("5a0c3b6e"),
        "{notice}"
    );
}

#[test]
fn tenant_level_is_a_choice_and_works_even_when_the_list_failed() {
    let mut s = azure();
    f6(&mut s);
    let failure = Failure::local("cannot reach management.azure.com", Remedy::CheckNetwork);
    update(&mut s, Action::from(Reply::Subscriptions(Err(failure))));
    assert!(matches!(picker(&s).load, SubscriptionsLoad::Failed(_)));
    let fx = press(&mut s, KeyCode::Enter);
    assert_eq!(s.header.subscription, None);
    assert!(fx.contains(&Effect::Worker(Job::UseSubscription(None))), "{fx:?}");
    assert!(
        fx.contains(&Effect::WriteSubscription {
            path: "/cfg/config.toml".into(),
            subscription: None,
        }),
        "{fx:?}"
    );
}

#[test]
fn f6_again_reads_the_list_again_and_esc_closes_it_unchanged() {
    let mut s = azure();
    f6(&mut s);
    let failure = Failure::local("401", Remedy::SignIn);
    update(&mut s, Action::from(Reply::Subscriptions(Err(failure))));
    let fx = f6(&mut s);
    assert!(fx.contains(&Effect::Worker(Job::Subscriptions)));
    assert_eq!(picker(&s).load, SubscriptionsLoad::Loading);
    assert_eq!(s.overlays.len(), 1, "one picker, not two");
    press(&mut s, KeyCode::Esc);
    assert!(s.overlays.is_empty());
    assert_eq!(s.header.subscription.as_deref(), Some(PAID));
    // A late answer for a closed picker is dropped.
    update(&mut s, Action::from(Reply::Subscriptions(Ok(two()))));
    assert!(s.overlays.is_empty());
}

#[test]
fn picking_the_one_in_use_changes_nothing() {
    let mut s = opened_with_two();
    let fx = press(&mut s, KeyCode::Enter);
    assert!(
        !fx.iter()
            .any(|e| matches!(e, Effect::Worker(Job::UseSubscription(_))))
    );
    assert!(!fx.iter().any(|e| matches!(e, Effect::WriteSubscription { .. })));
    assert!(s.overlays.is_empty());
}

#[test]
fn a_new_subscription_reads_the_services_list_again_when_it_is_on_screen() {
    let mut s = opened_with_two();
    s.overlays.clear();
    crate::tui::update::tests::ctrl(&mut s, 'r');
    press(&mut s, KeyCode::Tab);
    assert_eq!(s.history.source, Source::Service);
    f6(&mut s);
    update(&mut s, Action::from(Reply::Subscriptions(Ok(two()))));
    press(&mut s, KeyCode::Down);
    let fx = press(&mut s, KeyCode::Enter);
    let reads = fx
        .iter()
        .filter(|e| matches!(e, Effect::Worker(Job::ServicePage { uri: None, .. })))
        .count();
    assert_eq!(reads, 1, "{fx:?}");
    // The worker switches before it reads: the order of the jobs says so.
    let use_at = fx
        .iter()
        .position(|e| matches!(e, Effect::Worker(Job::UseSubscription(_))));
    let read_at = fx
        .iter()
        .position(|e| matches!(e, Effect::Worker(Job::ServicePage { .. })));
    assert!(use_at < read_at, "{fx:?}");
}

#[test]
fn a_pinned_subscription_is_named_in_the_message() {
    let mut s = opened_with_two();
    s.azure.subscription_pinned = true;
    press(&mut s, KeyCode::Down);
    press(&mut s, KeyCode::Enter);
    let notice = s.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default();
    assert!(notice.contains("PCSR_SUBSCRIPTION"), "{notice}");
}

#[test]
fn partner_center_says_the_key_is_for_azure_and_opens_nothing() {
    let mut s = state();
    let fx = f6(&mut s);
    assert!(fx.is_empty(), "{fx:?}");
    assert!(s.overlays.is_empty());
    let notice = s.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default();
    assert!(notice.contains("Azure"), "{notice}");
}
