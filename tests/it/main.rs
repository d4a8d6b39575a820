//! The one integration-test binary (one link instead of one per file).

mod auth;
mod cli;
mod cli_follow;
mod cli_habits;
mod cli_sandbox;
mod config_cli;
mod login_e2e;
mod outbox_changes;
mod pty;
mod sandbox;
mod sandbox_azure;
mod sandbox_follow;
mod store;
mod store_follow;
mod support;
mod trust;
mod trust_cli;
mod tui_config;
mod tui_e2e;
mod tui_follow;
mod tui_startup;
mod wire;
