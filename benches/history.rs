//! History list cost with a large local history (100k submissions).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use pcsr_tui::domain::{NewTicket, Service};
use pcsr_tui::store::{NewSubmission, Store};
use uuid::Uuid;

const ROWS: usize = 100_000;

fn filled_store(dir: &std::path::Path) -> Store {
    let store = Store::open(&dir.join("bench.db")).expect("open bench store");
    let severities = Service::PartnerCenter.capabilities().severities;
    let requests: Vec<NewTicket> = (0..ROWS)
        .map(|i| NewTicket {
            // One title in a thousand holds the word the filtered case looks for.
            title: if i % 1000 == 0 {
                format!("needle in request {i}")
            } else {
                format!("Request number {i}")
            },
            description: format!("Description of request {i}, a few words long like a real one."),
            severity: Some(severities[i % severities.len()]),
            topic_id: format!("{}", 32_444_667 + (i % 14)),
            ..Default::default()
        })
        .collect();
    let news: Vec<NewSubmission<'_>> = requests
        .iter()
        .map(|request| NewSubmission {
            request_id: Uuid::new_v4(),
            service: pcsr_tui::domain::Service::PartnerCenter,
            cloud: "sandbox",
            locale: "en-US",
            base_url: "http://127.0.0.1:1/v1",
            request,
            attachments: &[],
            subscription: None,
        })
        .collect();
    store.record_submissions(&news).expect("fill bench store");
    store
}

fn history(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = filled_store(dir.path());
    let mut group = c.benchmark_group("history_100k");
    group.bench_function("first_page", |b| b.iter(|| store.history(black_box(""), 0, 50)));
    group.bench_function("deep_page_50000", |b| {
        b.iter(|| store.history(black_box(""), 50_000, 50))
    });
    group.bench_function("filtered_needle", |b| {
        b.iter(|| store.history(black_box("needle"), 0, 50))
    });
    group.bench_function("count_all", |b| b.iter(|| store.history_count(black_box(""))));
    group.finish();
}

/// What the TUI's periodic re-read asks each round: the few open requests due, and the header's
/// "N updated" count. 2,000 of the 100k rows are created (open) requests.
fn follow_up(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = filled_store(dir.path());
    for local_id in (1..=100_000).step_by(50) {
        let sr = pcsr_tui::domain::Ticket {
            id: Some(format!("{}", 616_000_000_000_000_i64 + local_id)),
            status: Some(pcsr_tui::domain::Status::Open),
            ..Default::default()
        };
        store.mark_created(local_id, &sr).expect("mark created");
    }
    let mut group = c.benchmark_group("follow_100k");
    group.bench_function("due_for_refresh_5", |b| {
        b.iter(|| {
            store.due_for_refresh(
                pcsr_tui::domain::Service::PartnerCenter,
                black_box("sandbox"),
                black_box("http://127.0.0.1:1/v1"),
                std::time::Duration::ZERO,
                5,
            )
        })
    });
    group.bench_function("updated_count", |b| b.iter(|| store.updated_count()));
    group.finish();
}

criterion_group!(benches, history, follow_up);
criterion_main!(benches);
