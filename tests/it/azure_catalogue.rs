//! Azure's catalogue in the app: the worker reads every service's problem classifications into
//! the store, and a later start shows them from there, even with the service out of reach.

use std::sync::Arc;
use std::time::{Duration, Instant};

use pcsr_tui::api::StaticToken;
use pcsr_tui::azure::{AzureClient, AzureConfig};
use pcsr_tui::backend::Backend;
use pcsr_tui::domain::Service;
use pcsr_tui::sandbox::azure::VM_CONNECTIVITY_CLASSIFICATION_ID;
use pcsr_tui::sandbox::{SANDBOX_TOKEN, Sandbox, SandboxOptions};
use pcsr_tui::store::Store;
use pcsr_tui::worker::{Job, Origin, Reply, SignInSetup, WorkerHandle, spawn};

fn azure(base_url: &str) -> Backend {
    let mut config = AzureConfig::new(base_url).unwrap();
    config.max_attempts = 1;
    Backend::Azure(AzureClient::new(config, Arc::new(StaticToken(SANDBOX_TOKEN.into()))).unwrap())
}

fn origin(base_url: &str) -> Origin {
    Origin {
        service: Service::Azure,
        cloud: "sandbox".into(),
        locale: "en-US".into(),
        base_url: base_url.into(),
    }
}

/// The replies until `done` says so, within ten seconds.
async fn replies_until(handle: &mut WorkerHandle, mut done: impl FnMut(&Reply) -> bool) -> Vec<Reply> {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut seen = Vec::new();
    loop {
        let reply = tokio::time::timeout_at(deadline.into(), handle.replies.recv())
            .await
            .unwrap_or_else(|_| panic!("timed out after {} replies", seen.len()))
            .expect("worker alive");
        let stop = done(&reply);
        seen.push(reply);
        if stop {
            return seen;
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_services_classifications_load_and_a_later_start_shows_them_from_the_store() {
    pcsr_tui::tls::install_provider();
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::start(SandboxOptions {
        db_path: Some(dir.path().join("sandbox.db")),
        bind: "127.0.0.1:0".parse().unwrap(),
    })
    .await
    .unwrap();
    let store_path = dir.path().join("pcsr.sqlite");
    let base = sandbox.base_url();

    let mut first = spawn(
        azure(&base),
        Store::open(&store_path).unwrap(),
        origin(&base),
        SignInSetup::from_env(None),
    );
    first.commands.send(Job::Start).unwrap();
    let mut services = None;
    let mut branches = std::collections::HashSet::new();
    let seen = replies_until(&mut first, |r| {
        match r {
            Reply::Topics {
                topics,
                cached: false,
            } => services = Some(topics.len()),
            Reply::Branch {
                parent_id,
                cached: false,
                ..
            } => {
                branches.insert(parent_id.clone());
            }
            Reply::BranchFailed { failure, .. } => panic!("{failure:?}"),
            _ => {}
        }
        services.is_some_and(|n| branches.len() == n)
    })
    .await;
    let services = services.unwrap();
    assert!(services >= 30, "{services} services");
    let rdp = seen.iter().any(|r| {
        matches!(r, Reply::Branch { topics, .. }
            if topics.iter().any(|t| t.id == VM_CONNECTIVITY_CLASSIFICATION_ID
                && t.parent_name.as_deref().is_some_and(|s| s.starts_with("Virtual Machine running"))
                && t.path().contains(" / Connectivity / ")))
    });
    assert!(rdp, "the RDP classification arrived under its service");
    drop(first);
    sandbox.shutdown().await;

    // The service is gone: the next start still has every classification, from the store.
    let mut offline = spawn(
        azure(&base),
        Store::open(&store_path).unwrap(),
        origin(&base),
        SignInSetup::from_env(None),
    );
    offline.commands.send(Job::Start).unwrap();
    let mut cached = std::collections::HashSet::new();
    let seen = replies_until(&mut offline, |r| {
        if let Reply::Branch {
            parent_id,
            cached: true,
            ..
        } = r
        {
            cached.insert(parent_id.clone());
        }
        cached.len() == services
    })
    .await;
    assert!(
        seen.iter()
            .any(|r| matches!(r, Reply::Topics { cached: true, .. })),
        "the services came from the store first"
    );
}
