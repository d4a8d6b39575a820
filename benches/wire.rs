//! Wire-format costs: reading the seed's answer, a 100-item page, and writing the create body.

use criterion::{Criterion, criterion_group, criterion_main};
use pcsr_tui::api::{Collection, CreateBody, NewServiceRequest, ServiceRequest, Severity, wire};
use std::hint::black_box;

fn seed_response() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/create-response.json");
    std::fs::read_to_string(path).unwrap_or_default()
}

fn bench(c: &mut Criterion) {
    let one = seed_response();
    let sr: ServiceRequest = wire::parse(one.as_bytes()).unwrap_or_default();
    let page = serde_json::to_vec(&Collection::of(vec![sr; 100])).unwrap_or_default();
    let input = NewServiceRequest {
        title: "TrialSR".into(),
        description: "Ignore this SR".into(),
        severity: Severity::Critical,
        support_topic_id: "32444671".into(),
    };
    c.bench_function("parse seed create response", |b| {
        b.iter(|| wire::parse::<ServiceRequest>(black_box(one.as_bytes())))
    });
    c.bench_function("parse 100-item page", |b| {
        b.iter(|| wire::parse::<Collection<ServiceRequest>>(black_box(&page)))
    });
    c.bench_function("encode seed create body", |b| {
        b.iter(|| serde_json::to_vec(&CreateBody::new(black_box(&input))))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
