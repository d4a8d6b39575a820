//! The ratatui app: form, topic picker, result, history, help.

use std::path::PathBuf;

use crate::api::Client;
use crate::auth::Cloud;

/// Who the app acts as; drives the status bar badge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Account {
    /// The built-in sandbox (SANDBOX badge).
    Sandbox,
    /// A bearer token from PCSR_TOKEN.
    Token,
    /// A signed-in user (their user name / UPN).
    User(String),
}

/// Everything the TUI needs from the command line and configuration.
pub struct Context {
    /// API client, already pointed at the sandbox or the real endpoint.
    pub client: Client,
    /// The SQLite file (history, drafts, outbox, topic cache).
    pub store_path: PathBuf,
    /// Who we act as.
    pub account: Account,
    /// The cloud in use.
    pub cloud: Cloud,
    /// The agent locale.
    pub locale: String,
}

/// Runs the TUI until the user quits. Restores the terminal on every exit path.
pub async fn run(_ctx: Context) -> anyhow::Result<()> {
    anyhow::bail!("the TUI is being written")
}
