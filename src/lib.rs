//! pcsr-tui: file and follow Microsoft Partner Center service requests from the terminal.
//!
//! The library holds everything but argument parsing: the API client, the built-in sandbox,
//! the local store, sign-in, the worker and the TUI. `main.rs` only wires them together.

pub mod api;
pub mod attachments;
pub mod auth;
pub mod azure;
pub mod backend;
pub mod cli;
pub mod config;
pub mod dates;
pub mod domain;
pub mod heap;
pub mod outbox;
pub mod sandbox;
pub mod session;
pub mod store;
pub mod templates;
pub mod text;
pub mod tls;
pub mod tui;
pub mod worker;
