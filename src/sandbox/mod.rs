//! The built-in Partner Center emulator (axum): the same routes, wire format, errors and
//! idempotency as the real service, so first runs, demos and tests need no account.

pub mod oauth;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The bearer token the app uses against its own sandbox.
pub const SANDBOX_TOKEN: &str = "sandbox-token";

/// How to start a sandbox.
#[derive(Debug, Clone)]
pub struct SandboxOptions {
    /// SQLite file for the sandbox's state; `None` keeps it in memory.
    pub db_path: Option<PathBuf>,
    /// Where to listen; tests use `127.0.0.1:0`.
    pub bind: SocketAddr,
}

/// A one-shot fault the next matching request will meet (tests and demos).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer after this delay.
    Delay(Duration),
    /// Answer with this status and a Partner Center error body.
    Status(u16),
    /// Answer 429 with `Retry-After: secs` and the throttling body.
    RateLimit {
        /// Seconds in Retry-After.
        retry_after_secs: u64,
    },
    /// Commit a create, then drop the connection before the answer is complete.
    DropAfterCommit,
}

/// Errors starting the sandbox.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// Could not listen.
    #[error("sandbox: cannot listen on {addr}: {source}")]
    Bind {
        /// Address.
        addr: SocketAddr,
        /// Cause.
        source: std::io::Error,
    },
    /// Its database failed.
    #[error("sandbox: database error: {0}")]
    Db(String),
}

/// A running sandbox.
pub struct Sandbox {
    #[allow(dead_code)]
    addr: SocketAddr,
}

#[allow(unused_variables)]
impl Sandbox {
    /// Starts listening and serving in the background of the current tokio runtime.
    pub async fn start(options: SandboxOptions) -> Result<Sandbox, SandboxError> {
        todo!("sandbox")
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Queues a one-shot fault for the next request (FIFO).
    pub fn inject(&self, fault: Fault) {
        todo!()
    }

    /// How many service requests exist (for idempotency tests).
    pub fn request_count(&self) -> usize {
        todo!()
    }

    /// Stops serving and waits for the server task to end.
    pub async fn shutdown(self) {
        todo!()
    }
}
