//! What every route shares: the database, the fault queue, the fixed partner data and the
//! support agent's settings.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Duration;

use super::assets::{Identity, Product};
use super::db::{Db, DbError};
use super::faults::FaultQueue;
use super::records::TopicFacts;
use super::reply::ErrorReply;
use crate::api::SupportTopic;

/// Shared sandbox state; cheap to clone. Other route sets (sign-in) take it too.
#[derive(Clone)]
pub struct SandboxState {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    faults: FaultQueue,
    identity: Identity,
    topics: Vec<SupportTopic>,
    products: Vec<Product>,
    agent: Mutex<Agent>,
    /// Set in strict mode: only access tokens this sign-in emulator issued are accepted.
    strict: OnceLock<super::oauth::OAuthState>,
    /// Whether the `/_sandbox/*` control routes answer (off: they are 404).
    control: AtomicBool,
    /// The Azure side's catalogue and operation settings.
    azure: super::azure::AzureState,
}

/// The support agent: how long it takes to answer, and when the next answer is due.
#[derive(Debug, Default, Clone, Copy)]
struct Agent {
    delay: Option<Duration>,
    /// Earliest `reply_due` (Unix ms) in the database, if any; lets calls skip the look-up.
    next_due: Option<i64>,
}

impl SandboxState {
    /// State over an opened database and the built-in partner data.
    pub fn new(db: Db, identity: Identity, topics: Vec<SupportTopic>, products: Vec<Product>) -> Self {
        SandboxState {
            inner: Arc::new(Inner {
                db,
                faults: FaultQueue::default(),
                identity,
                topics,
                products,
                agent: Mutex::new(Agent::default()),
                strict: OnceLock::new(),
                control: AtomicBool::new(false),
                azure: super::azure::AzureState::default(),
            }),
        }
    }

    /// From now on accept only access tokens `oauth` issued (and has not expired).
    pub fn require_issued_tokens(&self, oauth: super::oauth::OAuthState) {
        let _ = self.inner.strict.set(oauth);
    }

    /// Turns the `/_sandbox/*` control routes on or off.
    pub fn set_control_routes(&self, on: bool) {
        self.inner.control.store(on, Ordering::Relaxed);
    }

    /// Whether the `/_sandbox/*` control routes answer.
    pub fn control_routes(&self) -> bool {
        self.inner.control.load(Ordering::Relaxed)
    }

    /// The sign-in emulator whose tokens alone are accepted, in strict mode.
    pub fn strict_tokens(&self) -> Option<&super::oauth::OAuthState> {
        self.inner.strict.get()
    }

    /// The Azure side's catalogue and settings.
    pub fn azure(&self) -> &super::azure::AzureState {
        &self.inner.azure
    }

    /// The partner the sandbox acts for.
    pub fn identity(&self) -> &Identity {
        &self.inner.identity
    }

    /// The support topics requests may be filed under.
    pub fn topics(&self) -> &[SupportTopic] {
        &self.inner.topics
    }

    /// The name of the topic with this id (as a request carries it: a string).
    pub fn topic_name(&self, id: &str) -> Option<String> {
        self.topics()
            .iter()
            .find(|t| t.id.to_string() == id.trim())
            .map(|t| t.name.clone())
    }

    /// The topic's name and product, as a request filed under it carries them.
    pub fn topic_facts(&self, id: &str) -> TopicFacts {
        let product = self.inner.products.iter().find(|p| p.id.to_string() == id.trim());
        TopicFacts {
            name: self.topic_name(id),
            product_id: product.map(|p| p.product_id.clone()),
            product_name: product.map(|p| p.product_name.clone()),
        }
    }

    /// Faults waiting for the next API requests.
    pub fn faults(&self) -> &FaultQueue {
        &self.inner.faults
    }

    /// The database, for quick synchronous calls outside request handling.
    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    fn agent(&self) -> std::sync::MutexGuard<'_, Agent> {
        // Every access is a plain read or write of Copy fields: a panic cannot leave it torn.
        self.inner.agent.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Turns the support agent on (answer each new request after `delay`) or off.
    pub fn set_agent_delay(&self, delay: Option<Duration>) {
        self.agent().delay = delay;
    }

    /// How long the agent takes to answer a new request, when it is on.
    pub fn agent_delay(&self) -> Option<Duration> {
        self.agent().delay
    }

    /// Notes that an answer falls due at `due` (Unix ms), or forgets all when `None`.
    pub fn set_next_due(&self, due: Option<i64>) {
        self.agent().next_due = due;
    }

    /// After answering everything due by `now`: the database says `next` is due next; an
    /// answer scheduled meanwhile (later than `now`) is kept in view too.
    pub fn settle_next_due(&self, next: Option<i64>, now: i64) {
        let mut agent = self.agent();
        let scheduled_meanwhile = agent.next_due.filter(|d| *d > now);
        agent.next_due = match (next, scheduled_meanwhile) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }

    /// Notes one more answer due at `due` (Unix ms).
    pub fn schedule_due(&self, due: i64) {
        let mut agent = self.agent();
        agent.next_due = Some(agent.next_due.map_or(due, |d| d.min(due)));
    }

    /// Whether some agent answer is due by `now` (Unix ms).
    pub fn reply_due(&self, now: i64) -> bool {
        self.agent().next_due.is_some_and(|d| d <= now)
    }

    /// Runs `work` on the database off the async threads; a failure becomes a 500 answer.
    pub async fn with_db<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Db) -> Result<T, DbError> + Send + 'static,
    ) -> Result<T, ErrorReply> {
        let state = self.clone();
        tokio::task::spawn_blocking(move || work(&state.inner.db))
            .await
            .map_err(|e| ErrorReply::internal(format!("the sandbox database task failed: {e}")))?
            .map_err(|e| ErrorReply::internal(format!("the sandbox database failed: {e}")))
    }
}
