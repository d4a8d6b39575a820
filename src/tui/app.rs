//! The run loop: wires the input task, the worker, the clock and signals to `update` and the
//! views, and carries out effects.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use tokio::sync::mpsc::unbounded_channel;

use super::action::{Action, Effect};
use super::input::Input;
use super::state::{Header, State, Theme};
use super::terminal::{self, Tui};
use super::{Account, Context, clipboard, editor, update, view};
use crate::store::Store;
use crate::worker::{self, Command, Origin, WorkerHandle};

/// How often the clock ticks (spinner, countdowns, draft autosave).
const TICK: Duration = Duration::from_millis(100);

/// How long quitting waits for queued store writes (the draft) to finish.
const DRAIN: Duration = Duration::from_secs(2);

/// Runs the app until the user quits.
pub async fn run(ctx: Context) -> anyhow::Result<()> {
    let store = Store::open(&ctx.store_path).with_context(|| {
        format!(
            "cannot open the local database {}; check --data-dir / PCSR_DATA_DIR",
            ctx.store_path.display()
        )
    })?;
    let cloud = match ctx.account {
        Account::Sandbox => "sandbox".to_string(),
        _ => ctx.cloud.as_str().to_string(),
    };
    let origin = Origin {
        cloud,
        locale: ctx.locale.clone(),
        base_url: ctx.client.config().base_url.as_str().to_string(),
    };
    let header = Header {
        cloud: ctx.cloud,
        account: ctx.account,
        locale: ctx.locale,
    };
    let mut worker = worker::spawn(ctx.client, store, origin, ctx.sign_in);

    let mut tui = terminal::enter().context("cannot switch the terminal to full-screen mode")?;
    let result = event_loop(&mut tui, &mut worker, header).await;
    terminal::restore();

    // Let queued store writes (the last draft save) finish; network calls in flight are left
    // behind on purpose: their rows stay in the outbox and are resent on the next start.
    let WorkerHandle { commands, task, .. } = worker;
    drop(commands);
    let _ = tokio::time::timeout(DRAIN, task).await;
    result
}

async fn event_loop(tui: &mut Tui, worker: &mut WorkerHandle, header: Header) -> anyhow::Result<()> {
    let size = tui.size()?;
    let mut state = State::new(
        header,
        Theme::from_env(),
        (size.width, size.height),
        Instant::now(),
    );
    let (action_tx, mut action_rx) = unbounded_channel();
    let input = Input::spawn(action_tx);
    let _ = worker.commands.send(Command::Start);
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut signals = Signals::new()?;
    let mut pending: VecDeque<Action> = VecDeque::new();

    loop {
        if terminal::panicked() {
            anyhow::bail!(
                "pcsr-tui hit an internal error (the message is above); your draft was saved before it"
            );
        }
        tui.draw(|frame| view::draw(frame, &state))?;
        let action = match pending.pop_front() {
            Some(action) => action,
            None => tokio::select! {
                Some(action) = action_rx.recv() => action,
                Some(reply) = worker.replies.recv() => Action::from(reply),
                _ = tick.tick() => Action::Tick(Instant::now()),
                () = signals.next() => Action::Quit,
            },
        };
        for effect in update::update(&mut state, action) {
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
                Effect::Copy(text) => pending.push_back(Action::Copied(clipboard::copy(&text))),
                Effect::Quit => {}
            }
        }
        if state.quit {
            return Ok(());
        }
    }
}

/// SIGTERM and SIGHUP, which end the loop like `q` does.
struct Signals {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    hup: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> anyhow::Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals {
                term: signal(SignalKind::terminate()).context("cannot watch for SIGTERM")?,
                hup: signal(SignalKind::hangup()).context("cannot watch for SIGHUP")?,
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
        }
        #[cfg(not(unix))]
        std::future::pending::<()>().await
    }
}
