//! The 100,000-row history the benches and the key-cost example measure, and the worker's part
//! for its reads played synchronously. Included by path (`#[path]`) from benches/history_view.rs,
//! examples/key_cost.rs and examples/seed_history.rs, so all three measure the same rows.

use pcsr_tui::domain::{NewTicket, Service};
use pcsr_tui::store::{NewSubmission, Store, StoreError};
use pcsr_tui::tui::action::{Action, Effect};
use pcsr_tui::tui::state::State;
use pcsr_tui::tui::update::update;
use pcsr_tui::worker::{Job, Reply};

/// Records `rows` submissions in `store`, in one transaction, as the history would hold them.
pub fn record(store: &Store, rows: usize, cloud: &str) -> Result<(), StoreError> {
    let severities = Service::PartnerCenter.capabilities().severities;
    let requests: Vec<NewTicket> = (0..rows)
        .map(|i| NewTicket {
            title: format!("Request number {i} about licensing and billing"),
            description: "x".into(),
            severity: Some(severities[i % severities.len()]),
            topic_id: "32444671".into(),
            ..Default::default()
        })
        .collect();
    let news: Vec<NewSubmission<'_>> = requests
        .iter()
        .map(|request| NewSubmission {
            request_id: uuid::Uuid::new_v4(),
            service: pcsr_tui::domain::Service::PartnerCenter,
            cloud,
            locale: "en-US",
            base_url: "http://127.0.0.1:1",
            request,
            attachments: &[],
            subscription: None,
        })
        .collect();
    store.record_submissions(&news).map(|_| ())
}

/// Answers the history reads among `effects` from `store`, and the reads those answers ask for.
#[allow(dead_code)] // seed_history only records
pub fn serve(store: &Store, state: &mut State, effects: Vec<Effect>) {
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
