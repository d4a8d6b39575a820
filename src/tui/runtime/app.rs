//! The run loop, in three parts: [`Inputs`] waits for the next action (terminal input, worker
//! replies, side jobs, signals, the clock), [`Effects`] carries out what `update` asked for, and
//! [`Pacer`] decides when a frame is drawn. It sleeps until one of those has something: no
//! fixed tick.

use std::collections::VecDeque;
use std::future::Future;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use tokio::sync::mpsc;

use super::clipboard::ClipEnv;
use super::input::Input;
use super::opener::{self, OpenEnv};
use super::terminal::{self, Tui};
use super::{clipboard, editor, paths};
use crate::session::Session;
use crate::store::Store;
use crate::templates;
use crate::tui::action::{Action, Effect};
use crate::tui::state::{Form, Header, Landing, State};
use crate::tui::{Context, update, view};
use crate::worker::{self, Job, Reply, WorkerHandle};

/// How long a frame that would show history rows still being read is held back for them. The
/// store's indexed seek answers in about a millisecond, so End/Home draw one frame, the final
/// one; a slower read (a filtered scan, a busy disk) shows the placeholder rows after this long,
/// so the screen never looks stuck. About one display refresh: a held frame is not seen as late.
const ROWS_WAIT: Duration = Duration::from_millis(16);

/// How long quitting waits for queued store writes (the draft) to finish.
const DRAIN: Duration = Duration::from_secs(2);

/// How a session ended.
enum Ending {
    /// The user quit (or a signal came).
    Quit,
    /// The user asked for another service, whose context is already built (so what fails
    /// there is said in the session still running); the form as it was, and where it opens.
    Switch {
        to: crate::domain::Service,
        next: Box<Context>,
        carry: crate::store::Draft,
        land: Landing,
    },
}

/// Runs the app until the user quits; the switch key ends one service's session and starts the
/// other's in the same full-screen terminal.
pub async fn run(mut ctx: Context) -> anyhow::Result<()> {
    // Watched before raw mode: a signal at any moment after it (a slow start, say) ends the
    // app through the restore below instead of leaving the terminal raw.
    let mut signals = Signals::new()?;
    let mut tui = match terminal::enter() {
        Ok(tui) => tui,
        Err(e) => {
            // Raw mode may be on even though the rest of the set-up failed.
            terminal::restore();
            return Err(e).context("cannot switch the terminal to full-screen mode");
        }
    };
    // Set while a switched-to session starts: the service switched from and the form carried,
    // to go back to if the new one cannot start.
    let mut came_from: Option<(crate::domain::Service, crate::store::Draft)> = None;
    loop {
        let mut worker = None;
        let mut session = None;
        let switch = ctx.switch.clone();
        let from = ctx.service;
        let mut started = false;
        let slots = (&mut worker, &mut session, &mut started);
        let ended = run_session(&mut tui, ctx, &mut signals, slots).await;
        if started {
            // From here on the form is the user's; a later error is not a failed start.
            came_from = None;
        }
        let (to, prepared, carry, land, notice, switch) = match (ended, switch, came_from.take()) {
            (
                Ok(Ending::Switch {
                    to,
                    next,
                    carry,
                    land,
                }),
                Some(switch),
                _,
            ) => (to, Some(next), carry, land, None, switch),
            // The service switched to did not start (its sign-in, its network): back to the
            // one the user was on, saying why, the form as it was.
            (Err(e), Some(switch), Some((back, carry))) => {
                let notice = format!("Could not switch to {}: {e:#}", from.label());
                (back, None, carry, Landing::Form, Some(notice), switch)
            }
            (ended, _, _) => {
                terminal::restore();
                shut_down(worker, session).await;
                return ended.map(|_| ());
            }
        };
        // The old session's writes land before the new one opens the same store.
        shut_down(worker, session).await;
        let built = match prepared {
            Some(next) => Ok(*next),
            None => switch(to, true),
        };
        let mut next = match (built, notice) {
            (Ok(next), None) => {
                came_from = Some((from, carry.clone()));
                next
            }
            (Ok(back), Some(notice)) => Context {
                notice: Some(notice),
                ..back
            },
            (Err(e), _) => {
                // Back to the service the user was on, saying why.
                let notice = format!("Could not switch to {}: {e:#}", to.label());
                match switch(from, true) {
                    Ok(back) => Context {
                        notice: Some(notice),
                        ..back
                    },
                    Err(e) => {
                        terminal::restore();
                        return Err(e.context(notice));
                    }
                }
            }
        };
        next.carry = Some(carry);
        // The way back after a failed start lands on the form (set with `land` above).
        next.land = land;
        next.switch = Some(switch);
        ctx = next;
    }
}

/// Lets queued store writes (the last draft save) finish; network calls in flight are left
/// behind on purpose: their rows stay in the outbox and are resent on the next start.
async fn shut_down(worker: Option<WorkerHandle>, session: Option<Session>) {
    if let Some(WorkerHandle { commands, task, .. }) = worker {
        drop(commands);
        let _ = tokio::time::timeout(DRAIN, task).await;
    }
    if let Some(session) = session {
        session.close().await;
    }
}

/// Draws the first frame, then connects, starts the store and the worker, and runs the loop
/// (`started` says it got there). A signal during the start ends it there.
async fn run_session(
    tui: &mut Tui,
    ctx: Context,
    signals: &mut Signals,
    (worker_slot, session_slot, started): (&mut Option<WorkerHandle>, &mut Option<Session>, &mut bool),
) -> anyhow::Result<Ending> {
    let size = tui.size()?;
    let header = Header {
        service: ctx.service,
        cloud: ctx.cloud,
        account: ctx.account.clone(),
        locale: ctx.locale.clone(),
        subscription: ctx.subscription.clone(),
        customer: ctx.customer.clone(),
    };
    let mut state = State::new(header, ctx.theme, (size.width, size.height), Instant::now());
    state.keys = std::sync::Arc::new(ctx.keymap.clone());
    state.form = match &ctx.carry {
        // The last service's form: nothing typed is lost by switching.
        Some(carry) => Form::from_draft(carry, ctx.service).with_preset(ctx.severity),
        None => Form::new(ctx.service, ctx.severity),
    };
    state.history.others = ctx.others.clone();
    if let Some(notice) = &ctx.notice {
        state.error(notice.clone());
    } else if ctx.carry.is_some() && ctx.land == Landing::ServiceList {
        state.screen = crate::tui::state::Screen::History;
        state.history.source = crate::tui::state::Source::Service;
        state.info(format!(
            "Switched to {}: its list; the form's text came along",
            ctx.service.label()
        ));
    } else if ctx.carry.is_some() {
        state.info(format!(
            "Switched to {}: the form's text came along; pick a topic from its catalogue",
            ctx.service.label()
        ));
    }
    state.azure = ctx.azure.clone();
    // `[defaults] customer`: the Partner Center list opens on that customer's requests.
    state.history.service.customer = ctx.customer.clone();
    let every = follow_every(ctx.refresh_minutes);
    let switch = ctx.switch.clone();
    // The form is on screen before the sandbox starts, the database is opened (and migrated)
    // or anything is read; keys typed meanwhile wait in the terminal and are not lost.
    draw(tui, &mut state)?;
    let Some(session) = signals.unless(ctx.connect).await else {
        return Ok(Ending::Quit);
    };
    let session = session_slot.insert(session?);
    let client = session.client.clone();

    let path = ctx.store_path.clone();
    let Some(opened) = signals
        .unless(tokio::task::spawn_blocking(move || Store::open(&path)))
        .await
    else {
        return Ok(Ending::Quit);
    };
    let store = opened
        .context("the task opening the local database failed")?
        .with_context(|| {
            format!(
                "cannot open the local database {}; check --data-dir / PCSR_DATA_DIR",
                ctx.store_path.display()
            )
        })?;
    let origin = session.origin();
    let worker = worker_slot.insert(worker::spawn(client, store, origin, ctx.sign_in));
    *started = true;
    event_loop(tui, worker, state, every, (signals, switch)).await
}

/// Environment override of the re-read interval, in seconds, for demos and tests that cannot
/// wait minutes for an agent's answer to show.
pub const REFRESH_SECONDS_ENV: &str = "PCSR_REFRESH_SECONDS";

/// The re-read interval: `PCSR_REFRESH_SECONDS` if set to a number, else `minutes` (0 = never).
fn follow_every(minutes: u32) -> std::time::Duration {
    std::env::var(REFRESH_SECONDS_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(std::time::Duration::from_secs_f64)
        .unwrap_or(std::time::Duration::from_secs(u64::from(minutes) * 60))
}

/// Draws the state and tells `update` what the frame showed.
fn draw(tui: &mut Tui, state: &mut State) -> anyhow::Result<()> {
    let mut viewport = state.viewport;
    tui.draw(|frame| viewport = view::draw(frame, state))?;
    if viewport != state.viewport {
        update::update(state, Action::Drawn(viewport));
    }
    Ok(())
}

/// Wait, update, carry out, draw; until an effect says quit.
async fn event_loop(
    tui: &mut Tui,
    worker: &mut WorkerHandle,
    mut state: State,
    follow: std::time::Duration,
    (signals, switch): (&mut Signals, Option<crate::tui::SwitchTo>),
) -> anyhow::Result<Ending> {
    let _ = worker.commands.send(Job::Start);
    let _ = worker.commands.send(Job::Follow(follow));
    let (side_tx, side_rx) = mpsc::unbounded_channel::<Action>();
    let mut inputs = Inputs {
        terminal: Input::start(),
        replies: &mut worker.replies,
        side: side_rx,
        signals,
        queued: VecDeque::new(),
    };
    let effects = Effects {
        switch,
        worker: worker.commands.clone(),
        side: side_tx,
        clip_env: ClipEnv::from_process(),
        open_env: OpenEnv::from_process(),
        templates_dir: crate::auth::profiles::default_config_dir().map(|d| templates::dir(&d)),
    };
    // A session switched to from the history's Tab opens on the list: its first page now.
    if let Flow::End(ending) = effects.run(update::landed(&mut state), tui, &mut inputs).await? {
        return Ok(ending);
    }
    let mut pacer = Pacer::default();
    loop {
        if terminal::panicked() {
            anyhow::bail!(
                "pcsr-tui hit an internal error (the message is above); your draft was saved before it"
            );
        }
        let wake = earliest(state.next_tick(), pacer.deadline());
        let action = inputs.next(wake).await;
        if let Action::Resize(width, height) = action {
            tui.backend_mut().resized(width, height);
        }
        let mut todo = Vec::new();
        if !matches!(action, Action::Tick(_)) {
            // `update` sees the current time without a clock that ticks while nothing happens.
            todo.extend(update::update(&mut state, Action::Tick(Instant::now())));
        }
        todo.extend(update::update(&mut state, action));
        if let Flow::End(ending) = effects.run(todo, tui, &mut inputs).await? {
            return Ok(ending);
        }
        if pacer.ready(update::awaiting_rows(&state), Instant::now()) {
            draw(tui, &mut state)?;
        }
    }
}

/// The sooner of two optional moments.
fn earliest(a: Option<Instant>, b: Option<Instant>) -> Option<Instant> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Where actions come from.
struct Inputs<'a> {
    /// The terminal (paused while the editor has it).
    terminal: Input,
    /// The worker's answers.
    replies: &'a mut mpsc::UnboundedReceiver<Reply>,
    /// Answers of blocking side jobs (clipboard tools, the browser opener, the templates).
    side: mpsc::UnboundedReceiver<Action>,
    /// SIGTERM and friends.
    signals: &'a mut Signals,
    /// Actions an effect produced itself (the editor's text), taken before waiting again.
    queued: VecDeque<Action>,
}

impl Inputs<'_> {
    /// The next action: a queued one, else whichever source speaks first; `Tick` at `wake`.
    async fn next(&mut self, wake: Option<Instant>) -> Action {
        if let Some(action) = self.queued.pop_front() {
            return action;
        }
        tokio::select! {
            action = self.terminal.next() => action,
            Some(reply) = self.replies.recv() => Action::from(reply),
            Some(action) = self.side.recv() => action,
            () = sleep_until(wake), if wake.is_some() => Action::Tick(Instant::now()),
            () = self.signals.next() => Action::Quit,
        }
    }
}

async fn sleep_until(wake: Option<Instant>) {
    if let Some(at) = wake {
        tokio::time::sleep_until(at.into()).await;
    }
}

/// Whether the loop goes on after a batch of effects.
enum Flow {
    Continue,
    End(Ending),
}

/// Carries out the effects `update` returns: the only place they are run.
struct Effects {
    /// How to build the other service's context (`None`: this run cannot switch).
    switch: Option<crate::tui::SwitchTo>,
    worker: mpsc::UnboundedSender<Job>,
    /// Where side jobs answer (read by [`Inputs`]).
    side: mpsc::UnboundedSender<Action>,
    clip_env: ClipEnv,
    open_env: OpenEnv,
    templates_dir: Option<std::path::PathBuf>,
}

impl Effects {
    /// Runs `effects` in order. `Quit` and `SwitchService` are the ways out: they come after
    /// the effects that save (the draft, the notes), and what follows them is not run.
    async fn run(
        &self,
        effects: Vec<Effect>,
        tui: &mut Tui,
        inputs: &mut Inputs<'_>,
    ) -> anyhow::Result<Flow> {
        for effect in effects {
            match effect {
                Effect::Quit => return Ok(Flow::End(Ending::Quit)),
                Effect::SwitchService { to, carry, land } => {
                    let built = match &self.switch {
                        Some(switch) => switch(to, false),
                        None => Err(anyhow::anyhow!("this run cannot switch services")),
                    };
                    match built {
                        Ok(next) => {
                            return Ok(Flow::End(Ending::Switch {
                                to,
                                next: Box::new(next),
                                carry,
                                land,
                            }));
                        }
                        // The draft and notes were saved; the session goes on as it was.
                        Err(e) => {
                            let why = format!("Could not switch to {}: {e:#}", to.label());
                            let _ = self.side.send(Action::SwitchFailed(why));
                        }
                    }
                }
                Effect::Worker(job) => {
                    if self.worker.send(job).is_err() {
                        anyhow::bail!("the background worker stopped unexpectedly; restart pcsr-tui");
                    }
                }
                Effect::OpenEditor(text) => {
                    // The editor gets the terminal and the keyboard to itself, then they come back.
                    inputs.terminal.pause();
                    terminal::suspend();
                    let outcome = tokio::task::spawn_blocking(move || editor::edit(&text))
                        .await
                        .unwrap_or_else(|e| Err(format!("the editor task failed: {e}")));
                    terminal::resume(tui)?;
                    inputs.terminal.resume();
                    inputs.queued.push_back(Action::EditorDone(outcome));
                }
                Effect::Copy { text, what } => {
                    let env = self.clip_env;
                    self.off_thread(move || {
                        let via = clipboard::copy_with_tools(&text, env);
                        Action::Copied {
                            what,
                            text,
                            via,
                            tmux: env.tmux,
                        }
                    });
                }
                Effect::Osc52 { text, tmux } => {
                    if let Err(why) = clipboard::write_osc52(&text, tmux) {
                        inputs.queued.push_back(Action::CopyFailed(why));
                    }
                }
                Effect::LoadTemplates => {
                    let dir = self.templates_dir.clone();
                    self.off_thread(move || {
                        let (templates, errors) = match &dir {
                            Some(dir) => templates::load(dir),
                            None => (Vec::new(), Vec::new()),
                        };
                        Action::Templates { templates, errors }
                    });
                }
                Effect::WriteContact { path, contact } => self.off_thread(move || Action::ConfigWritten {
                    what: "the contact profile".into(),
                    result: crate::config::write_contact(&path, &contact)
                        .map(|()| path)
                        .map_err(|e| e.to_string()),
                }),
                Effect::WriteConsent { path, consent } => self.off_thread(move || Action::ConfigWritten {
                    what: "the diagnostic consent".into(),
                    result: crate::config::write_consent(&path, consent)
                        .map(|()| path)
                        .map_err(|e| e.to_string()),
                }),
                Effect::WriteSubscription { path, subscription } => {
                    self.off_thread(move || Action::ConfigWritten {
                        what: "the subscription".into(),
                        result: crate::config::write_subscription(&path, subscription.as_deref())
                            .map(|()| path)
                            .map_err(|e| e.to_string()),
                    })
                }
                Effect::CheckAttachment(typed) => self.off_thread(move || Action::AttachmentChecked {
                    result: paths::check(&typed, paths::home().as_deref()),
                    typed,
                }),
                Effect::CompletePath(typed) => self.off_thread(move || Action::PathCompleted {
                    completion: paths::complete(&typed, paths::home().as_deref()),
                    typed,
                }),
                Effect::OpenUrl(url) => {
                    let env = self.open_env;
                    self.off_thread(move || {
                        let result = opener::open(&url, env);
                        Action::BrowserOpened { url, result }
                    });
                }
            }
        }
        Ok(Flow::Continue)
    }

    /// Runs blocking work (a clipboard tool, the browser, the disk) off the UI thread; its
    /// action comes back through [`Inputs`].
    fn off_thread(&self, job: impl FnOnce() -> Action + Send + 'static) {
        let tx = self.side.clone();
        tokio::task::spawn_blocking(move || {
            let _ = tx.send(job());
        });
    }
}

/// One frame per key: a frame that would show history rows still being read is held back
/// until they arrive, for at most [`ROWS_WAIT`]; the key itself was applied at once.
#[derive(Debug, Default)]
struct Pacer {
    /// When a held frame is drawn anyway.
    hold: Option<Instant>,
    /// The last frame drawn showed placeholders (then the next one is not held again).
    placeholder_shown: bool,
}

impl Pacer {
    /// Whether to draw now, `awaiting` telling whether the frame would show rows being read.
    fn ready(&mut self, awaiting: bool, now: Instant) -> bool {
        if awaiting && !self.placeholder_shown {
            let deadline = *self.hold.get_or_insert(now + ROWS_WAIT);
            if now < deadline {
                return false;
            }
        }
        self.hold = None;
        self.placeholder_shown = awaiting;
        true
    }

    /// When the loop must wake to draw a held frame.
    fn deadline(&self) -> Option<Instant> {
        self.hold
    }
}

/// SIGTERM, SIGHUP, SIGINT and SIGQUIT, which end the loop like `q` does (the draft is saved and
/// the terminal restored), or the start-up before it. In raw mode Ctrl+C is a key, so SIGINT
/// only comes from outside.
struct Signals {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    hup: tokio::signal::unix::Signal,
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
    #[cfg(unix)]
    quit: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> anyhow::Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let watch = |kind: SignalKind, name: &str| {
                signal(kind).with_context(|| format!("cannot watch for {name}"))
            };
            Ok(Signals {
                term: watch(SignalKind::terminate(), "SIGTERM")?,
                hup: watch(SignalKind::hangup(), "SIGHUP")?,
                int: watch(SignalKind::interrupt(), "SIGINT")?,
                quit: watch(SignalKind::quit(), "SIGQUIT")?,
            })
        }
        #[cfg(not(unix))]
        Ok(Signals {})
    }

    /// `work`'s output, or `None` if a signal came first (the start-up is then abandoned).
    async fn unless<T>(&mut self, work: impl Future<Output = T>) -> Option<T> {
        tokio::select! {
            out = work => Some(out),
            () = self.next() => None,
        }
    }

    async fn next(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.term.recv() => {},
            _ = self.hup.recv() => {},
            _ = self.int.recv() => {},
            _ = self.quit.recv() => {},
        }
        #[cfg(not(unix))]
        std::future::pending::<()>().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_waiting_for_rows_is_held_at_most_rows_wait_and_only_once() {
        let t0 = Instant::now();
        let mut pacer = Pacer::default();
        assert!(pacer.ready(false, t0), "nothing being read: drawn at once");
        assert_eq!(pacer.deadline(), None, "and no wake-up asked for");

        assert!(!pacer.ready(true, t0), "rows being read: held");
        assert_eq!(
            pacer.deadline(),
            Some(t0 + ROWS_WAIT),
            "the loop wakes to draw it"
        );
        assert!(
            !pacer.ready(true, t0 + ROWS_WAIT / 2),
            "still held, same deadline"
        );
        assert_eq!(pacer.deadline(), Some(t0 + ROWS_WAIT));
        assert!(
            pacer.ready(true, t0 + ROWS_WAIT),
            "drawn with placeholders at the bound"
        );
        assert_eq!(pacer.deadline(), None);
        assert!(
            pacer.ready(true, t0 + ROWS_WAIT * 2),
            "placeholders already shown: the next frame is not held again"
        );

        assert!(pacer.ready(false, t0 + ROWS_WAIT * 3), "the rows arrived: drawn");
        assert!(!pacer.ready(true, t0 + ROWS_WAIT * 4), "a new jump is held again");
        assert!(
            pacer.ready(false, t0 + ROWS_WAIT * 4),
            "and drawn as soon as its rows are in"
        );
        assert_eq!(pacer.deadline(), None);
    }

    #[test]
    fn the_sooner_wake_up_wins() {
        let t0 = Instant::now();
        let t1 = t0 + ROWS_WAIT;
        assert_eq!(earliest(None, None), None);
        assert_eq!(earliest(Some(t1), None), Some(t1));
        assert_eq!(earliest(None, Some(t0)), Some(t0));
        assert_eq!(earliest(Some(t1), Some(t0)), Some(t0));
    }
}
