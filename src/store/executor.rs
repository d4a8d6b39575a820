//! The one executor of store calls: a thread that owns the database and runs every call in the
//! order it was asked for. The TUI's worker, the outbox and the CLI all go through it, so no
//! async worker thread ever blocks on the disk, a draft save cannot overtake a read, and there
//! is no lock to contend for.

use std::sync::mpsc;

use super::{Store, StoreError};

type StoreJob = Box<dyn FnOnce(&Store) + Send>;

/// A handle to the thread that owns the store; cloning it shares the thread.
#[derive(Clone)]
pub struct StoreExecutor {
    jobs: mpsc::Sender<StoreJob>,
}

impl StoreExecutor {
    /// A thread that owns `store`; it ends when every handle is dropped.
    pub fn spawn(store: Store) -> StoreExecutor {
        let (jobs, queue) = mpsc::channel::<StoreJob>();
        std::thread::Builder::new()
            .name("pcsr-store".into())
            .spawn(move || {
                // Blocks in `recv` while idle: no polling, no wake-ups.
                while let Ok(job) = queue.recv() {
                    job(&store);
                }
            })
            .map(|_| ())
            // Without the thread every call answers `StoreError::Stopped`, which each caller
            // reports; nothing is lost silently.
            .unwrap_or_else(|e| tracing::error!("cannot start the store thread: {e}"));
        StoreExecutor { jobs }
    }

    /// Queues `job`; false when the thread is gone.
    pub fn run(&self, job: impl FnOnce(&Store) + Send + 'static) -> bool {
        self.jobs.send(Box::new(job)).is_ok()
    }

    /// Runs `f` on the store thread and waits for its answer without blocking the runtime;
    /// `None` when the thread is gone.
    pub async fn call<T: Send + 'static>(&self, f: impl FnOnce(&Store) -> T + Send + 'static) -> Option<T> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        if !self.run(move |store| {
            let _ = tx.send(f(store));
        }) {
            return None;
        }
        rx.await.ok()
    }

    /// Runs a fallible store call; a gone thread is `StoreError::Stopped`.
    pub async fn call_db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        self.call(f)
            .await
            .unwrap_or_else(|| Err(StoreError::Stopped("the store thread has stopped".into())))
    }
}
