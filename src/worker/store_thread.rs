//! The worker's one store thread: every SQLite call runs here, in the order it was asked for,
//! so no async worker thread ever blocks on the disk and a draft save cannot overtake a read.

use std::sync::mpsc;

use crate::outbox::SharedStore;
use crate::store::Store;

type StoreJob = Box<dyn FnOnce(&Store) + Send>;

/// A handle to the thread that owns the store; cloning it shares the thread.
#[derive(Clone)]
pub(super) struct StoreThread {
    jobs: mpsc::Sender<StoreJob>,
}

impl StoreThread {
    /// A thread that runs jobs on `store` (shared with the outbox, which takes the same lock
    /// from the blocking pool); the thread ends when every handle is dropped.
    pub(super) fn spawn(store: SharedStore) -> StoreThread {
        let (jobs, queue) = mpsc::channel::<StoreJob>();
        std::thread::Builder::new()
            .name("pcsr-store".into())
            .spawn(move || {
                // Blocks in `recv` while idle: no polling, no wake-ups.
                while let Ok(job) = queue.recv() {
                    let store = store.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                    job(&store);
                }
            })
            .map(|_| ())
            .unwrap_or_else(|e| tracing::error!("cannot start the store thread: {e}"));
        StoreThread { jobs }
    }

    /// Queues `job`; false when the thread is gone.
    pub(super) fn run(&self, job: impl FnOnce(&Store) + Send + 'static) -> bool {
        self.jobs.send(Box::new(job)).is_ok()
    }

    /// Runs `f` on the store thread and waits for its answer without blocking the runtime.
    pub(super) async fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> T + Send + 'static,
    ) -> Option<T> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        if !self.run(move |store| {
            let _ = tx.send(f(store));
        }) {
            return None;
        }
        rx.await.ok()
    }
}
