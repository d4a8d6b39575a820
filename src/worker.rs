//! The worker: owns the API client and the store, takes [`Job`]s from the UI and answers
//! with [`Reply`]s. The UI never waits for it; network calls run as their own tasks so a slow
//! submit does not hold up history paging or draft saves.

mod follow;
mod outbox_retry;
mod protocol;
mod signin;
mod submit;

use std::sync::{Arc, RwLock};

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::api::ClientEvent;
use crate::auth::Cloud;
use crate::backend::Backend;
use crate::outbox::Outbox;
use crate::store::{Store, StoreExecutor};

pub use follow::{NoteOutcome, ServicePage, Target, scope_of};
pub use protocol::{Job, Reply};
pub use signin::{SignInReply, SignInSetup};

pub use crate::outbox::Origin;

/// The handle the UI keeps.
pub struct WorkerHandle {
    /// Where commands go.
    pub commands: UnboundedSender<Job>,
    /// Where replies arrive.
    pub replies: UnboundedReceiver<Reply>,
    /// The command loop; it ends once `commands` is dropped and the queue is done.
    pub task: tokio::task::JoinHandle<()>,
}

/// Starts the worker on the current tokio runtime; `sign_in` is how it signs in on request.
/// How old a cached branch of the catalogue may be before it is read again: Azure's problem
/// classifications change a few times a year, and a day keeps a new one from hiding long while
/// a start reads nothing it already has.
const BRANCH_MAX_AGE: time::Duration = time::Duration::hours(24);

/// Branches read at once: enough to fill a 300-service catalogue in seconds, few enough not to
/// be throttled (ARM's read limits are per principal); the CLI's `topics --all` uses the same.
const BRANCH_CONCURRENCY: usize = 8;

pub fn spawn(client: Backend, store: Store, origin: Origin, sign_in: SignInSetup) -> WorkerHandle {
    let (cmd_tx, cmd_rx) = unbounded_channel();
    let (reply_tx, reply_rx) = unbounded_channel();
    let (event_tx, mut event_rx) = unbounded_channel();
    let store = StoreExecutor::spawn(store);
    let worker = Worker {
        conn: Arc::new(RwLock::new(Conn {
            client: client.with_events(event_tx.clone()),
            origin: Arc::new(origin),
        })),
        outbox: Outbox::new(store.clone()),
        retry: Arc::default(),
        store,
        replies: reply_tx.clone(),
        events: event_tx,
        sign_in: Arc::new(sign_in),
        running: signin::Running::default(),
        following: Arc::default(),
    };
    tokio::spawn(async move {
        while let Some(event) = event_rx.recv().await {
            if reply_tx.send(Reply::Client(event)).is_err() {
                break;
            }
        }
    });
    let task = tokio::spawn(worker.run(cmd_rx));
    WorkerHandle {
        commands: cmd_tx,
        replies: reply_rx,
        task,
    }
}

/// The account in use; replaced as a whole when the user signs in from the TUI.
struct Conn {
    client: Backend,
    origin: Arc<Origin>,
}

#[derive(Clone)]
struct Worker {
    conn: Arc<RwLock<Conn>>,
    outbox: Outbox,
    retry: Arc<outbox_retry::Retry>,
    /// The same connection as the outbox's, on its own thread for the UI's store work.
    store: StoreExecutor,
    replies: UnboundedSender<Reply>,
    events: UnboundedSender<ClientEvent>,
    sign_in: Arc<SignInSetup>,
    running: signin::Running,
    /// The follow-up loop runs (started once).
    following: Arc<std::sync::atomic::AtomicBool>,
}

impl Worker {
    async fn run(self, mut commands: UnboundedReceiver<Job>) {
        while let Some(command) = commands.recv().await {
            self.handle(command);
        }
        // The UI is gone: wait until the store thread has done what was queued (the last draft).
        self.store.call(|_| ()).await;
    }

    /// Store work goes to the store thread in order; network work is spawned.
    fn handle(&self, command: Job) {
        match command {
            Job::Start => {
                let origin = self.origin();
                self.on_store(move |w, s| {
                    if let Some(draft) = w.settle(s.load_draft()) {
                        w.reply(Reply::Draft(draft));
                    }
                    if let Some(Some((topics, _))) =
                        w.settle(s.cached_topics(origin.service, &origin.locale, None))
                    {
                        w.reply(Reply::Topics { topics, cached: true });
                    }
                    if let Some(notes) = w.settle(s.note_drafts())
                        && !notes.is_empty()
                    {
                        w.reply(Reply::NoteDrafts(notes));
                    }
                });
                self.spawn(|w| async move { w.load_topics().await });
                self.kick_outbox(true);
            }
            Job::LoadTopics => self.spawn(|w| async move { w.load_topics().await }),
            Job::LoadBranch(parent) => self.spawn(|w| async move { w.load_branch(parent).await }),
            Job::SaveDraft(draft) => self.on_store(move |w, s| {
                w.settle(s.save_draft(&draft));
            }),
            Job::ReleaseMemory => self.on_store(|w, s| {
                w.settle(s.release_memory());
                crate::heap::give_back();
            }),
            Job::Submit { request, attachments } => {
                self.spawn(|w| async move { w.submit(request, attachments).await })
            }
            Job::Resend {
                local_id,
                request_id,
                request,
                attachments,
            } => {
                self.spawn(move |w| async move { w.resend(local_id, request_id, request, attachments).await })
            }
            Job::History {
                seq,
                filter,
                anchor,
                limit,
                count,
            } => self.on_store(move |w, s| {
                let page = (|| {
                    let rows = s.history_window(&filter, &anchor, limit)?;
                    let total = if count {
                        Some(s.history_count(&filter)?)
                    } else {
                        None
                    };
                    Ok((rows, total))
                })();
                if let Some((rows, total)) = w.settle(page) {
                    w.reply(Reply::HistoryPage {
                        seq,
                        filter,
                        anchor,
                        rows,
                        total,
                    });
                }
            }),
            Job::Details { local_id, server_id } => {
                self.on_store(move |w, s| w.details(s, local_id, server_id.as_deref()))
            }
            Job::Refresh { target, looking } => {
                self.spawn(move |w| async move { w.refresh(target, false, looking).await })
            }
            Job::Close(target) => self.spawn(move |w| async move { w.refresh(target, true, true).await }),
            Job::SetSeverity {
                target,
                severity,
                phone,
            } => self.spawn(move |w| async move { w.set_severity(target, severity, phone).await }),
            Job::AddNote {
                target,
                text,
                request_id,
            } => self.spawn(move |w| async move { w.add_note(target, text, request_id).await }),
            Job::ServicePage { seq, customer, uri } => {
                self.spawn(move |w| async move { w.service_page(seq, customer, uri).await })
            }
            Job::KeepNote(note) => self.on_store(move |w, s| {
                w.settle(s.save_note_draft(&note));
            }),
            Job::DropNote(server_id) => self.on_store(move |w, s| {
                w.settle(s.remove_note_draft(&server_id));
            }),
            Job::Follow(every) => {
                self.on_store(|w, s| {
                    if let Some(count) = w.settle(s.updated_count()) {
                        w.reply(Reply::Updated(count));
                    }
                });
                self.follow(every);
            }
            Job::SignIn { flow, cloud, tenant } => {
                let w = self.clone();
                self.running.replace(flow, move || {
                    tokio::spawn(async move { w.sign_in(flow, cloud, tenant).await }).abort_handle()
                });
            }
            Job::CancelSignIn(flow) => self.running.cancel(flow),
            Job::Subscriptions => self.spawn(|w| async move {
                let outcome = w.client().subscriptions().await.map_err(|e| e.failure());
                w.reply(Reply::Subscriptions(outcome));
            }),
            Job::UseSubscription(subscription) => {
                // Here, not in a task: the jobs queued after this one (a list, a submit) must
                // already see the new scope.
                let mut conn = self.conn.write().unwrap_or_else(|p| p.into_inner());
                conn.client = conn.client.clone().with_subscription(subscription);
            }
        }
    }

    /// The client of the account in use (calls already running keep the one they started with).
    fn client(&self) -> Backend {
        self.conn.read().unwrap_or_else(|p| p.into_inner()).client.clone()
    }

    /// Where submissions go now.
    fn origin(&self) -> Arc<Origin> {
        Arc::clone(&self.conn.read().unwrap_or_else(|p| p.into_inner()).origin)
    }

    async fn sign_in(self, flow: u64, cloud: Cloud, tenant: String) {
        let origin = self.origin();
        let target = signin::Target {
            service: origin.service,
            locale: &origin.locale,
            subscription: self.client().subscription().map(str::to_string),
            base_url: &origin.base_url,
        };
        let report = |reply| self.reply(Reply::SignIn(reply));
        let outcome = signin::run(
            &self.sign_in,
            &self.running,
            flow,
            (cloud, tenant),
            target,
            report,
        )
        .await;
        match outcome {
            Ok(Some(switch)) => {
                let origin = Origin {
                    service: origin.service,
                    cloud: switch.cloud.as_str().to_string(),
                    locale: origin.locale.clone(),
                    base_url: switch.base_url,
                };
                *self.conn.write().unwrap_or_else(|p| p.into_inner()) = Conn {
                    client: switch.client.with_events(self.events.clone()),
                    origin: Arc::new(origin),
                };
                self.reply(Reply::SignIn(switch.reply));
                // What waited in the outbox for this account goes out now, not at the next start.
                self.kick_outbox(true);
            }
            Ok(None) => {}
            Err(failed) => self.reply(Reply::SignIn(failed)),
        }
    }

    fn spawn<F, Fut>(&self, f: F)
    where
        F: FnOnce(Worker) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        tokio::spawn(f(self.clone()));
    }

    fn reply(&self, reply: Reply) {
        // The UI is gone when this fails; nothing is left to tell.
        let _ = self.replies.send(reply);
    }

    /// Queues store work on the store thread, with the worker at hand to reply.
    fn on_store(&self, job: impl FnOnce(&Worker, &Store) + Send + 'static) {
        let w = self.clone();
        if !self.store.run(move |s| job(&w, s)) {
            self.reply(Reply::StoreFailed(
                "the local database thread stopped; restart pcsr-tui".into(),
            ));
        }
    }

    /// Sends one submission in full to the details screen; the user is looking at it now, so
    /// it is no longer marked as changed. A request the local history does not hold (from the
    /// service's list) needs no answer: its fresh copy comes from the service.
    fn details(&self, s: &Store, local_id: Option<i64>, server_id: Option<&str>) {
        let found = match (local_id, server_id) {
            (Some(local_id), _) => s.submission(local_id),
            (None, Some(server_id)) => s.submission_by_server_id(self.origin().service, server_id),
            (None, None) => return,
        };
        match (self.settle(found), local_id) {
            (Some(Some(sub)), _) => {
                self.settle(s.mark_seen(sub.local_id));
                self.reply(Reply::Details(sub));
                if let Some(count) = self.settle(s.updated_count()) {
                    self.reply(Reply::Updated(count));
                }
            }
            (Some(None), Some(local_id)) => self.reply(Reply::StoreFailed(format!(
                "local submission #{local_id} is gone from the database; press Esc to go back"
            ))),
            (Some(None) | None, _) => {}
        }
    }

    /// A store result: failures are reported to the UI and give `None`.
    fn settle<T>(&self, result: crate::store::Result<T>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.reply(Reply::StoreFailed(e.to_string()));
                None
            }
        }
    }

    /// Runs a store call on the store thread and waits for it without blocking the runtime;
    /// failures are reported to the UI and give `None`.
    async fn db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> crate::store::Result<T> + Send + 'static,
    ) -> Option<T> {
        let w = self.clone();
        match self.store.call(move |s| w.settle(f(s))).await {
            Some(v) => v,
            None => {
                self.reply(Reply::StoreFailed(
                    "the local database thread stopped; restart pcsr-tui".into(),
                ));
                None
            }
        }
    }

    /// Every branch of a two-level catalogue: what the cache holds at once, then (with
    /// `fetch`), from the service, the branches missing or older than [`BRANCH_MAX_AGE`],
    /// [`BRANCH_CONCURRENCY`] at a time, each cached and shown as it arrives. The branches in
    /// `shown` were sent from the cache already, fresh: they are neither read nor sent again
    /// (a start would otherwise read and send a cached 10,000-classification catalogue twice).
    /// Returns the branches it sent from the cache fresh.
    async fn load_branches(
        &self,
        parents: Vec<crate::domain::Topic>,
        fetch: bool,
        shown: &std::collections::HashSet<String>,
    ) -> std::collections::HashSet<String> {
        let origin = self.origin();
        let parents: Vec<crate::domain::Topic> =
            parents.into_iter().filter(|p| !shown.contains(&p.id)).collect();
        let mut sent_fresh = std::collections::HashSet::new();
        let ids: Vec<String> = parents.iter().map(|p| p.id.clone()).collect();
        let hits: Vec<Option<(Vec<crate::domain::Topic>, String)>> = self
            .db(move |s| {
                ids.iter()
                    .map(|id| s.cached_topics(origin.service, &origin.locale, Some(id)))
                    .collect::<crate::store::Result<Vec<_>>>()
            })
            .await
            .unwrap_or_default();
        let now = time::OffsetDateTime::now_utc();
        let mut stale = Vec::new();
        for (parent, hit) in parents
            .into_iter()
            .zip(hits.into_iter().chain(std::iter::repeat(None)))
        {
            match hit {
                Some((topics, fetched_at)) => {
                    let fresh = time::OffsetDateTime::parse(
                        &fetched_at,
                        &time::format_description::well_known::Rfc3339,
                    )
                    .is_ok_and(|at| now - at < BRANCH_MAX_AGE);
                    self.reply(Reply::Branch {
                        parent_id: parent.id.clone(),
                        topics,
                        cached: true,
                    });
                    if fresh {
                        sent_fresh.insert(parent.id);
                    } else {
                        stale.push(parent);
                    }
                }
                None => stale.push(parent),
            }
        }
        if !fetch {
            return sent_fresh;
        }
        let permits = Arc::new(tokio::sync::Semaphore::new(BRANCH_CONCURRENCY));
        let mut running = tokio::task::JoinSet::new();
        for parent in stale {
            let (w, permits) = (self.clone(), permits.clone());
            running.spawn(async move {
                let Ok(_permit) = permits.acquire_owned().await else {
                    return;
                };
                w.load_branch(parent).await;
            });
        }
        while running.join_next().await.is_some() {}
        sent_fresh
    }

    async fn load_branch(&self, parent: crate::domain::Topic) {
        match self.client().sub_topics(&parent).await {
            Ok(topics) => {
                let origin = self.origin();
                let (cached, id) = (topics.clone(), parent.id.clone());
                self.db(move |s| s.cache_topics(origin.service, &origin.locale, Some(&id), &cached))
                    .await;
                self.reply(Reply::Branch {
                    parent_id: parent.id,
                    topics,
                    cached: false,
                });
            }
            Err(e) => self.reply(Reply::BranchFailed {
                parent_id: parent.id,
                failure: e.failure(),
            }),
        }
    }

    async fn load_topics(self) {
        let origin = self.origin();
        let two_levels = origin.service.capabilities().topic_levels > 1;
        let mut shown = std::collections::HashSet::new();
        if two_levels {
            // What the cache holds shows before the network answers, or when it never does.
            let cached = self
                .db(move |s| s.cached_topics(origin.service, &origin.locale, None))
                .await
                .flatten();
            if let Some((parents, _)) = cached {
                shown = self.load_branches(parents, false, &shown).await;
            }
        }
        match self.client().topics().await {
            Ok(topics) => {
                let origin = self.origin();
                let cached = topics.clone();
                self.db(move |s| s.cache_topics(origin.service, &origin.locale, None, &cached))
                    .await;
                let first_level = two_levels.then(|| topics.clone());
                self.reply(Reply::Topics {
                    topics,
                    cached: false,
                });
                if let Some(parents) = first_level {
                    self.load_branches(parents, true, &shown).await;
                }
            }
            Err(e) => self.reply(Reply::TopicsFailed(e.failure())),
        }
    }
}
