//! The one integration-test binary (one link instead of one per file).

mod cli;
mod store;
mod support;
mod wire;
