//! The ratatui app: form, topic picker, result, history, help.
//!
//! Data flows one way: the input task turns terminal events into [`action::Action`]s,
//! [`update::update`] changes the [`state::State`] and returns effects, the views draw the state.
//! The worker ([`crate::worker`]) does everything slow and answers with actions.

pub mod action;
pub mod error_view;
pub mod focus;
pub mod fuzzy;
pub mod keys;
pub mod layout;
pub mod mode;
pub mod runtime;
pub mod state;
pub mod textbox;
pub mod theme;
pub mod update;
pub mod view;

use std::path::PathBuf;

use std::future::Future;
use std::pin::Pin;

use crate::auth::Cloud;
use crate::session::Session;

pub use crate::session::Account;

/// Starts the session (the sandbox, the API client); awaited after the first frame is drawn.
pub type Connect = Pin<Box<dyn Future<Output = anyhow::Result<Session>> + Send>>;

/// Builds the context of a session with another service (from the same command line and
/// configuration), for the switch key.
/// `going_back` is set on the way back after a failed switch, which must not fail for what
/// made the switch fail (a config.toml broken meanwhile).
pub type SwitchTo =
    std::sync::Arc<dyn Fn(crate::domain::Service, bool) -> anyhow::Result<Context> + Send + Sync>;

/// Everything the TUI needs from the command line and configuration.
pub struct Context {
    /// Starts the sandbox or points a client at the real endpoint.
    pub connect: Connect,
    /// The SQLite file (history, drafts, outbox, topic cache).
    pub store_path: PathBuf,
    /// The service tickets go to.
    pub service: crate::domain::Service,
    /// The Azure subscription (`None`: tenant level, or a service without subscriptions).
    pub subscription: Option<String>,
    /// Who we act as.
    pub account: Account,
    /// The cloud in use.
    pub cloud: Cloud,
    /// The agent locale.
    pub locale: String,
    /// How the sign-in screen signs in (auth environment, PCSR_BASE_URL override).
    pub sign_in: crate::worker::SignInSetup,
    /// The keys in force: defaults plus config.toml's `[keys]`.
    pub keymap: keys::Keymap,
    /// The colours in force (`[ui] theme`, NO_COLOR, TERM).
    pub theme: theme::Theme,
    /// The severity a new form starts with (`[defaults] severity`).
    pub severity: Option<crate::domain::Severity>,
    /// How often open requests are re-read, in minutes; 0 = never (`[defaults] refresh_minutes`).
    pub refresh_minutes: u32,
    /// The customer tenant (a GUID) whose requests the list shows; `None` = the partner's own.
    pub customer: Option<String>,
    /// `[azure]`: the contact profile and the consent answer, and where to write them.
    pub azure: state::contact::AzureProfile,
    /// How to start a session with the other service (`None`: the switch key says it cannot).
    pub switch: Option<SwitchTo>,
    /// The other services whose lists the history's Tab visits by switching to them: each one
    /// signed in, or every one on the sandbox.
    pub others: Vec<crate::domain::Service>,
    /// The form to start with: what the last session's form held when the user switched.
    pub carry: Option<crate::store::Draft>,
    /// Where the session opens (a switch from the history's Tab opens on the list).
    pub land: state::Landing,
    /// A notice for the first frame (why a switch did not happen).
    pub notice: Option<String>,
}

/// Runs the TUI until the user quits. Restores the terminal on every exit path.
pub async fn run(ctx: Context) -> anyhow::Result<()> {
    runtime::app::run(ctx).await
}
