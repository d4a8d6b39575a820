//! The Azure worker tests' one set-up: the in-process sandbox (operations finish at once), a
//! worker filing under its paid subscription, and the wait for a reply.

use std::sync::Arc;
use std::time::{Duration, Instant};

use pcsr_tui::api::StaticToken;
use pcsr_tui::azure::{AzureClient, AzureConfig};
use pcsr_tui::backend::Backend;
use pcsr_tui::domain::Service;
use pcsr_tui::sandbox::azure::PAID_SUBSCRIPTION;
use pcsr_tui::sandbox::{SANDBOX_TOKEN, Sandbox, SandboxOptions};
use pcsr_tui::store::Store;
use pcsr_tui::worker::{Origin, Reply, SignInSetup, WorkerHandle, spawn};

/// The sandbox, the directory holding both databases, and a worker on the paid subscription.
pub(crate) async fn start() -> (Sandbox, tempfile::TempDir, WorkerHandle) {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = sandbox_in(dir.path()).await;
    let origin = Origin {
        service: Service::Azure,
        cloud: "sandbox".into(),
        locale: "en-US".into(),
        base_url: sandbox.base_url(),
    };
    let store = Store::open(&dir.path().join("pcsr.sqlite")).unwrap();
    let worker = spawn(client_of(&sandbox), store, origin, SignInSetup::unavailable());
    (sandbox, dir, worker)
}

/// The in-process sandbox on a free loopback port, its database in `dir`, operations finishing
/// at the first poll.
pub(crate) async fn sandbox_in(dir: &std::path::Path) -> Sandbox {
    pcsr_tui::tls::install_provider();
    Sandbox::start(SandboxOptions {
        db_path: Some(dir.join("sandbox.db")),
        bind: "127.0.0.1:0".parse().unwrap(),
    })
    .await
    .unwrap()
    .with_azure_operation_polls(0)
}

/// A client of the sandbox filing under its paid subscription.
pub(crate) fn client_of(sandbox: &Sandbox) -> Backend {
    let mut config = AzureConfig::new(&sandbox.base_url()).unwrap();
    config.subscription = Some(PAID_SUBSCRIPTION.to_string());
    Backend::Azure(AzureClient::new(config, Arc::new(StaticToken(SANDBOX_TOKEN.into()))).unwrap())
}

/// The first reply `pick` takes, within twenty seconds; the others are passed over.
pub(crate) async fn until<T>(worker: &mut WorkerHandle, mut pick: impl FnMut(Reply) -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let reply = tokio::time::timeout_at(deadline.into(), worker.replies.recv())
            .await
            .expect("an answer within 20 s")
            .expect("worker alive");
        if let Some(found) = pick(reply) {
            return found;
        }
    }
}
