//! The built-in Partner Center emulator (axum): the same routes, wire format, errors and
//! idempotency as the real service, so first runs, demos and tests need no account.
//!
//! Layout: [`routes`] wires the handlers; [`validate`] reads request bodies and queries;
//! [`records`] builds and changes requests; [`db`] keeps them in SQLite; [`authz`] checks the
//! bearer token; [`ids`] echoes MS-RequestId / MS-CorrelationId; [`faults`] injects failures;
//! [`reply`] shapes answers and error bodies; [`assets`] holds the built-in partner, topics
//! (with their products) and seeded customer requests; [`agent`] is the support agent that
//! answers new requests when turned on ([`Sandbox::with_agent_replies`]).
//!
//! Besides the `/v1` routes, a sandbox with its control routes on ([`Sandbox::with_control_routes`],
//! `pcsr-tui sandbox serve --control`) takes `POST /_sandbox/faults` (e.g.
//! `{"kind":"status","status":503}`) and `POST /_sandbox/customers/{tenant}/servicerequests`
//! (a create body) and `POST /_sandbox/servicerequests` (`{"count": N}`, many partner requests
//! at once) so tests and benches can drive a separately started sandbox. They are off unless
//! asked for: any local process could otherwise break or fill the sandbox the app is using.

pub mod agent;
pub mod assets;
pub mod authz;
pub mod azure;
pub mod bulk;
pub mod clock;
pub mod db;
pub mod faults;
pub mod ids;
pub mod records;
pub mod reply;
pub mod routes;
pub mod state;
pub mod validate;

pub mod oauth;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::api::{NewServiceRequest, ServiceRequest};
pub use routes::router;
pub use state::SandboxState;
use validate::Filing;

/// How long `shutdown` lets open connections finish before cutting them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// The bearer token the app uses against its own sandbox.
pub const SANDBOX_TOKEN: &str = "sandbox-token";

/// Environment variable: seconds after which the support agent answers each new request, for
/// every sandbox pcsr-tui starts (in-process, or `sandbox serve` without `--agent-replies`).
pub const AGENT_REPLIES_ENV: &str = "PCSR_SANDBOX_AGENT_REPLIES";

/// Reads an agent delay in seconds (`5`, `0.5`): a finite, non-negative number.
pub fn parse_agent_delay(raw: &str) -> Result<Duration, String> {
    raw.trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .ok_or_else(|| format!("'{raw}' is not a number of seconds; use e.g. 5 or 0.5"))
}

/// The agent delay [`AGENT_REPLIES_ENV`] asks for: `None` when unset or empty.
pub fn agent_delay_from_env() -> Result<Option<Duration>, SandboxError> {
    match std::env::var(AGENT_REPLIES_ENV) {
        Ok(raw) if !raw.trim().is_empty() => parse_agent_delay(&raw)
            .map(Some)
            .map_err(|e| SandboxError::Setting(format!("{AGENT_REPLIES_ENV}: {e}, or unset it"))),
        _ => Ok(None),
    }
}

/// How to start a sandbox.
#[derive(Debug, Clone)]
pub struct SandboxOptions {
    /// SQLite file for the sandbox's state; `None` keeps it in memory.
    pub db_path: Option<PathBuf>,
    /// Where to listen; tests use `127.0.0.1:0`.
    pub bind: SocketAddr,
}

/// Files the built-in customer requests once: their MS-RequestIds are fixed, so a restart over
/// the same file finds them and adds nothing.
fn seed_customers(state: &SandboxState) -> Result<(), SandboxError> {
    let customers = assets::customers().map_err(|e| SandboxError::Assets(e.to_string()))?;
    let now = clock::now();
    for customer in &customers {
        for (n, seed) in customer.requests.iter().enumerate() {
            let topic = state.topic_facts(&seed.support_topic_id);
            let request_id = format!("seed:{}:{n}", customer.tenant);
            state
                .db()
                .create_once(&request_id, Some(&customer.tenant), None, |id| {
                    records::seeded_request(id, seed, &topic, state.identity(), &now)
                })
                .map_err(|e| SandboxError::Db(format!("cannot seed the customer requests: {e}")))?;
        }
    }
    Ok(())
}

/// A one-shot fault the next matching request will meet (tests and demos).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Wait this long before the handler runs, then answer; a client that gives up first
    /// leaves nothing filed (the server drops the handler with the connection).
    Delay(Duration),
    /// Run the handler (a create or update is committed), then hold the answer back this long:
    /// a client that times out meanwhile has a request filed that it never heard about.
    CommitThenDelay(Duration),
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
    /// A setting (environment variable) is unusable.
    #[error("sandbox: {0}")]
    Setting(String),
    /// The data built into the binary could not be read (a packaging bug).
    #[error("sandbox: {0}")]
    Assets(String),
}

/// A running sandbox. Dropping it stops the server too; [`Sandbox::shutdown`] also waits for it.
pub struct Sandbox {
    addr: SocketAddr,
    state: SandboxState,
    oauth: oauth::OAuthState,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl Sandbox {
    /// Starts listening and serving in the background of the current tokio runtime.
    pub async fn start(options: SandboxOptions) -> Result<Sandbox, SandboxError> {
        let db = db::Db::open(options.db_path.as_deref()).map_err(|e| {
            let place = options
                .db_path
                .as_ref()
                .map_or("memory".into(), |p| p.display().to_string());
            SandboxError::Db(format!("cannot open the sandbox database ({place}): {e}"))
        })?;
        azure::store::migrate(&db)
            .map_err(|e| SandboxError::Db(format!("cannot prepare the Azure tables: {e}")))?;
        let identity = assets::identity().map_err(|e| SandboxError::Assets(e.to_string()))?;
        let topics = assets::topics().map_err(|e| SandboxError::Assets(e.to_string()))?;
        let products = assets::products().map_err(|e| SandboxError::Assets(e.to_string()))?;
        let state = SandboxState::new(db, identity, topics, products);
        seed_customers(&state)?;
        // Answers promised by an earlier run over the same file are still given.
        let pending = state
            .db()
            .next_reply_due()
            .map_err(|e| SandboxError::Db(e.to_string()))?;
        state.set_next_due(pending);
        // The sign-in emulator rides along so `PCSR_AUTHORITY_URL=<this url> pcsr-tui login`
        // runs the whole device-code flow locally; merged before `finish` adds the shared 404
        // and id headers.
        let oauth_state = oauth::OAuthState::new(oauth::OAuthScript::default());
        let app = routes::router(state.clone()).merge(oauth::router(oauth_state.clone()));
        let app = routes::finish(app);
        let bind_error = |source| SandboxError::Bind {
            addr: options.bind,
            source,
        };
        let listener = tokio::net::TcpListener::bind(options.bind)
            .await
            .map_err(bind_error)?;
        let addr = listener.local_addr().map_err(bind_error)?;
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            // A dropped sender ends the wait as well, so dropping the Sandbox stops the server.
            let server = axum::serve(listener, app).with_graceful_shutdown(async move {
                let _ = stopped.await;
            });
            if let Err(e) = server.await {
                tracing::error!(%addr, error = %e, "sandbox server stopped with an error");
            }
        });
        tracing::info!(%addr, "sandbox listening");
        Ok(Sandbox {
            addr,
            state,
            oauth: oauth_state,
            stop,
            task,
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The sign-in emulator's state: script it, or read which tokens it issued.
    pub fn oauth(&self) -> &oauth::OAuthState {
        &self.oauth
    }

    /// Strict mode: from now on the API accepts only access tokens this sandbox's sign-in
    /// emulator issued (401 for any other, [`SANDBOX_TOKEN`] included).
    pub fn require_issued_tokens(&self) {
        self.state.require_issued_tokens(self.oauth.clone());
    }

    /// Queues a one-shot fault for the next request (FIFO).
    pub fn inject(&self, fault: Fault) {
        self.state.faults().push(fault);
    }

    /// Makes every answer the support agent has promised due now, so a test can watch a
    /// request open first and answered later without racing the agent's delay. Each is given
    /// (and dated) at the next API call, as usual; returns how many were brought forward.
    pub fn answer_now(&self) -> Result<usize, SandboxError> {
        let now = agent::now_ms();
        let moved = self
            .state
            .db()
            .bring_answers_forward(now)
            .map_err(|e| SandboxError::Db(e.to_string()))?;
        if moved > 0 {
            self.state.schedule_due(now);
        }
        let azure = azure::store::bring_answers_forward(self.state.db(), now)
            .map_err(|e| SandboxError::Db(e.to_string()))?;
        Ok(moved + azure)
    }

    /// Azure: how many polls each long-running operation started from now on answers
    /// `InProgress` before it ends (0: it has ended by the first poll).
    pub fn set_azure_operation_polls(&self, polls: u32) {
        self.state.azure().set_polls(polls);
    }

    /// [`Sandbox::set_azure_operation_polls`], builder style.
    pub fn with_azure_operation_polls(self, polls: u32) -> Self {
        self.set_azure_operation_polls(polls);
        self
    }

    /// Azure: how many support tickets exist in all scopes (tests of exactly-once creates).
    pub fn azure_ticket_count(&self) -> usize {
        match azure::store::count(self.state.db(), "ticket") {
            Ok(n) => n,
            Err(e) => panic!("{e}"),
        }
    }

    /// Azure: every uploaded file as `(resource key, bytes)`, the key ending in
    /// `/files/{name}` (tests check what reached the service, byte for byte).
    pub fn azure_uploads(&self) -> Vec<(String, Vec<u8>)> {
        match azure::store::uploads(self.state.db()) {
            Ok(files) => files,
            Err(e) => panic!("{e}"),
        }
    }

    /// How many queued faults no request has met yet.
    pub fn pending_faults(&self) -> usize {
        self.state.faults().len()
    }

    /// Drops the faults not yet used, so later calls are answered normally.
    pub fn clear_faults(&self) {
        while self.state.faults().pop().is_some() {}
    }

    /// Turns on the support agent: each request filed from now on gets, `delay` later, a note
    /// from "Microsoft Support" and the status attention needed (demos, tests).
    pub fn with_agent_replies(self, delay: Duration) -> Self {
        self.state.set_agent_delay(Some(delay));
        self
    }

    /// Turns the support agent on (`Some(delay)`) or off for requests filed from now on.
    pub fn set_agent_replies(&self, delay: Option<Duration>) {
        self.state.set_agent_delay(delay);
    }

    /// Serves the `/_sandbox/*` control routes (faults, bulk and customer filings) from now on;
    /// without this they answer 404 like any unknown path.
    pub fn with_control_routes(self) -> Self {
        self.set_control_routes(true);
        self
    }

    /// Turns the `/_sandbox/*` control routes on or off.
    pub fn set_control_routes(&self, on: bool) {
        self.state.set_control_routes(on);
    }

    /// How many of the partner's own service requests exist; the seeded customer requests are
    /// not counted.
    pub fn count_requests(&self) -> Result<usize, SandboxError> {
        self.state
            .db()
            .count(None)
            .map_err(|e| SandboxError::Db(format!("cannot count the requests: {e}")))
    }

    /// [`Sandbox::count_requests`] for tests: a database error panics rather than reading as
    /// 0, which would let an "at most once" check pass.
    pub fn request_count(&self) -> usize {
        match self.count_requests() {
            Ok(n) => n,
            Err(e) => panic!("{e}"),
        }
    }

    /// Files a request for customer `tenant` (the customer routes list, get and update these;
    /// the real API has no partner route that creates them).
    pub fn add_customer_request(
        &self,
        tenant: &str,
        new: &NewServiceRequest,
    ) -> Result<ServiceRequest, SandboxError> {
        validate::tenant(tenant).map_err(|f| SandboxError::Setting(f.description))?;
        let topic = self.state.topic_facts(&new.support_topic_id);
        let identity = self.state.identity().clone();
        let request_id = uuid::Uuid::new_v4().to_string();
        let (sr, _) = self
            .state
            .db()
            .create_once(&request_id, Some(tenant), None, |id| {
                records::new_request(id, new, &[], &topic, &identity, &clock::now())
            })
            .map_err(|e| SandboxError::Db(e.to_string()))?;
        Ok(sr)
    }

    /// Files a request the way `POST /v1/servicerequests/{locale}` does (support agent
    /// included), without HTTP: benches and tests that need many requests.
    pub async fn file(&self, new: &NewServiceRequest) -> Result<ServiceRequest, SandboxError> {
        let filing = Filing {
            request: new.clone(),
            notes: Vec::new(),
        };
        let identity = self.state.identity().clone();
        let request_id = uuid::Uuid::new_v4().to_string();
        routes::file(&self.state, identity, request_id, None, filing)
            .await
            .map_err(|f| SandboxError::Db(f.description))
    }

    /// The tenant ids of the customers whose requests a fresh sandbox holds.
    pub fn seeded_customers() -> Vec<String> {
        assets::customers()
            .map(|c| c.into_iter().map(|c| c.tenant).collect())
            .unwrap_or_default()
    }

    /// Stops serving and waits for the server task to end.
    pub async fn shutdown(self) {
        let Sandbox { stop, mut task, .. } = self;
        let _ = stop.send(());
        if tokio::time::timeout(SHUTDOWN_GRACE, &mut task).await.is_err() {
            tracing::warn!("sandbox: connections still open after the grace period; closing them");
            task.abort();
        }
    }
}
