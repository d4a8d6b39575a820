//! The one integration-test binary (one link instead of one per file).

mod auth;
mod auth_azure;
mod azure_client;
mod cli;
mod cli_follow;
mod cli_sandbox;
mod cli_scripting;
mod config_file;
mod login_e2e;
mod outbox_changes;
mod outcomes;
mod outcomes_cli;
mod pty;
mod sandbox;
mod sandbox_azure;
mod sandbox_contract;
mod store;
mod store_follow;
mod support;
mod tui_e2e;
mod tui_follow;
mod tui_keys_config;
mod tui_startup;
mod wire;
