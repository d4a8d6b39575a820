//! The one integration-test binary (one link instead of one per file).

mod auth;
mod cli;
mod cli_habits;
mod cli_sandbox;
mod login_e2e;
mod sandbox;
mod store;
mod support;
mod tui_e2e;
mod wire;
