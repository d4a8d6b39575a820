//! The run loop: wires terminal input, the worker, the clock and signals to `update` and the
//! views, and carries out effects. It sleeps until one of those has something: no fixed tick.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use tokio::sync::mpsc;

use super::action::{Action, Effect};
use super::clipboard::ClipEnv;
use super::input::Input;
use super::opener::{self, OpenEnv};
use super::state::{Form, Header, State};
use super::terminal::{self, Tui};
use super::{Account, Context, clipboard, editor, update, view};
use crate::session::Session;
use crate::store::Store;
use crate::templates;
use crate::worker::{self, Job, Origin, WorkerHandle};

/// How long a frame that would show history rows still being read is held back for them. The
/// store's indexed seek answers in about a millisecond, so End/Home draw one frame, the final
/// one; a slower read (a filtered scan, a busy disk) shows the placeholder rows after this long,
/// so the screen never looks stuck. About one display refresh: a held frame is not seen as late.
const ROWS_WAIT: Duration = Duration::from_millis(16);

/// How long quitting waits for queued store writes (the draft) to finish.
const DRAIN: Duration = Duration::from_secs(2);

/// Runs the app until the user quits.
pub async fn run(ctx: Context) -> anyhow::Result<()> {
    let mut tui = terminal::enter().context("cannot switch the terminal to full-screen mode")?;
    let mut worker = None;
    let mut session = None;
    let result = run_session(&mut tui, ctx, &mut worker, &mut session).await;
    terminal::restore();

    // Let queued store writes (the last draft save) finish; network calls in flight are left
    // behind on purpose: their rows stay in the outbox and are resent on the next start.
    if let Some(WorkerHandle { commands, task, .. }) = worker {
        drop(commands);
        let _ = tokio::time::timeout(DRAIN, task).await;
    }
    if let Some(session) = session {
        session.close().await;
    }
    result
}

/// Draws the first frame, then connects, starts the store and the worker, and runs the loop.
async fn run_session(
    tui: &mut Tui,
    ctx: Context,
    worker_slot: &mut Option<WorkerHandle>,
    session_slot: &mut Option<Session>,
) -> anyhow::Result<()> {
    let size = tui.size()?;
    let header = Header {
        cloud: ctx.cloud,
        account: ctx.account.clone(),
        locale: ctx.locale.clone(),
    };
    let mut state = State::new(header, ctx.theme, (size.width, size.height), Instant::now());
    state.keys = std::sync::Arc::new(ctx.keymap.clone());
    state.form = Form::new(ctx.severity);
    // `[defaults] customer`: the Partner Center list opens on that customer's requests.
    state.history.service.customer = ctx.customer.clone();
    let every = follow_every(ctx.refresh_minutes);
    // The form is on screen before the sandbox starts, the database is opened (and migrated)
    // or anything is read; keys typed meanwhile wait in the terminal and are not lost.
    draw(tui, &mut state)?;
    let session = session_slot.insert(ctx.connect.await?);
    let client = session.client.clone();

    let path = ctx.store_path.clone();
    let store = tokio::task::spawn_blocking(move || Store::open(&path))
        .await
        .context("the task opening the local database failed")?
        .with_context(|| {
            format!(
                "cannot open the local database {}; check --data-dir / PCSR_DATA_DIR",
                ctx.store_path.display()
            )
        })?;
    let origin = Origin {
        cloud: match ctx.account {
            Account::Sandbox => "sandbox".to_string(),
            _ => ctx.cloud.as_str().to_string(),
        },
        locale: ctx.locale.clone(),
        base_url: client.config().base_url.as_str().to_string(),
    };
    let worker = worker_slot.insert(worker::spawn(client, store, origin, ctx.sign_in));
    event_loop(tui, worker, state, every).await
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

async fn event_loop(
    tui: &mut Tui,
    worker: &mut WorkerHandle,
    mut state: State,
    follow: std::time::Duration,
) -> anyhow::Result<()> {
    let mut input = Input::start();
    let _ = worker.commands.send(Job::Start);
    let _ = worker.commands.send(Job::Follow(follow));
    let mut signals = Signals::new()?;
    let mut pending: VecDeque<Action> = VecDeque::new();
    // A frame held back while the rows it would show are read (see ROWS_WAIT), and whether the
    // last frame drawn showed placeholders (then the next one is not held again).
    let mut hold: Option<Instant> = None;
    let mut placeholder_shown = false;
    // Answers of blocking side jobs (clipboard tools, the browser opener), run off this thread.
    let (jobs_tx, mut jobs) = mpsc::unbounded_channel::<Action>();
    let clip_env = ClipEnv::from_process();
    let open_env = OpenEnv::from_process();
    let templates_dir = crate::auth::config::default_config_dir().map(|d| templates::dir(&d));

    loop {
        if terminal::panicked() {
            anyhow::bail!(
                "pcsr-tui hit an internal error (the message is above); your draft was saved before it"
            );
        }
        let action = match pending.pop_front() {
            Some(action) => action,
            None => {
                let wake = state.next_tick();
                tokio::select! {
                    action = input.next() => action,
                    Some(reply) = worker.replies.recv() => Action::from(reply),
                    Some(action) = jobs.recv() => action,
                    () = sleep_until(wake), if wake.is_some() => Action::Tick(Instant::now()),
                    () = sleep_until(hold), if hold.is_some() => Action::Tick(Instant::now()),
                    () = signals.next() => Action::Quit,
                }
            }
        };
        if let Action::Resize(width, height) = action {
            tui.backend_mut().resized(width, height);
        }
        let mut effects = Vec::new();
        if !matches!(action, Action::Tick(_)) {
            // `update` sees the current time without a clock that ticks while nothing happens.
            effects.extend(update::update(&mut state, Action::Tick(Instant::now())));
        }
        effects.extend(update::update(&mut state, action));
        for effect in effects {
            match effect {
                Effect::Worker(command) => {
                    if worker.commands.send(command).is_err() {
                        anyhow::bail!("the background worker stopped unexpectedly; restart pcsr-tui");
                    }
                }
                Effect::OpenEditor(text) => {
                    input.pause();
                    terminal::suspend();
                    let outcome = tokio::task::spawn_blocking(move || editor::edit(&text))
                        .await
                        .unwrap_or_else(|e| Err(format!("the editor task failed: {e}")));
                    terminal::resume(tui)?;
                    input.resume();
                    pending.push_back(Action::EditorDone(outcome));
                }
                Effect::Copy { text, what } => {
                    let tx = jobs_tx.clone();
                    tokio::task::spawn_blocking(move || {
                        let via = clipboard::copy_with_tools(&text, clip_env);
                        let tmux = clip_env.tmux;
                        let _ = tx.send(Action::Copied {
                            what,
                            text,
                            via,
                            tmux,
                        });
                    });
                }
                Effect::Osc52 { text, tmux } => {
                    if let Err(why) = clipboard::write_osc52(&text, tmux) {
                        pending.push_back(Action::CopyFailed(why));
                    }
                }
                Effect::LoadTemplates => {
                    let tx = jobs_tx.clone();
                    let dir = templates_dir.clone();
                    tokio::task::spawn_blocking(move || {
                        let (templates, errors) = match &dir {
                            Some(dir) => templates::load(dir),
                            None => (Vec::new(), Vec::new()),
                        };
                        let _ = tx.send(Action::Templates { templates, errors });
                    });
                }
                Effect::OpenUrl(url) => {
                    let tx = jobs_tx.clone();
                    tokio::task::spawn_blocking(move || {
                        let result = opener::open(&url, open_env);
                        let _ = tx.send(Action::BrowserOpened { url, result });
                    });
                }
                Effect::Quit => {}
            }
        }
        if state.quit {
            return Ok(());
        }
        let awaiting = update::awaiting_rows(&state);
        if awaiting && !placeholder_shown {
            let deadline = *hold.get_or_insert_with(|| Instant::now() + ROWS_WAIT);
            if Instant::now() < deadline {
                continue;
            }
        }
        hold = None;
        placeholder_shown = awaiting;
        draw(tui, &mut state)?;
    }
}

async fn sleep_until(wake: Option<Instant>) {
    if let Some(at) = wake {
        tokio::time::sleep_until(at.into()).await;
    }
}

/// SIGTERM, SIGHUP, SIGINT and SIGQUIT, which end the loop like `q` does (the draft is saved and
/// the terminal restored). In raw mode Ctrl+C is a key, so SIGINT only comes from outside.
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
