//! What every route shares: the database, the fault queue and the fixed partner data.

use std::sync::{Arc, OnceLock};

use super::assets::Identity;
use super::db::{Db, DbError};
use super::faults::FaultQueue;
use super::reply::Failure;
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
    /// Set in strict mode: only access tokens this sign-in emulator issued are accepted.
    strict: OnceLock<super::oauth::OAuthState>,
}

impl SandboxState {
    /// State over an opened database and the built-in partner data.
    pub fn new(db: Db, identity: Identity, topics: Vec<SupportTopic>) -> Self {
        SandboxState {
            inner: Arc::new(Inner {
                db,
                faults: FaultQueue::default(),
                identity,
                topics,
                strict: OnceLock::new(),
            }),
        }
    }

    /// From now on accept only access tokens `oauth` issued (and has not expired).
    pub fn require_issued_tokens(&self, oauth: super::oauth::OAuthState) {
        let _ = self.inner.strict.set(oauth);
    }

    /// The sign-in emulator whose tokens alone are accepted, in strict mode.
    pub fn strict_tokens(&self) -> Option<&super::oauth::OAuthState> {
        self.inner.strict.get()
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

    /// Faults waiting for the next API requests.
    pub fn faults(&self) -> &FaultQueue {
        &self.inner.faults
    }

    /// The database, for quick synchronous calls outside request handling.
    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    /// Runs `work` on the database off the async threads; a failure becomes a 500 answer.
    pub async fn with_db<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Db) -> Result<T, DbError> + Send + 'static,
    ) -> Result<T, Failure> {
        let state = self.clone();
        tokio::task::spawn_blocking(move || work(&state.inner.db))
            .await
            .map_err(|e| Failure::internal(format!("the sandbox database task failed: {e}")))?
            .map_err(|e| Failure::internal(format!("the sandbox database failed: {e}")))
    }
}
