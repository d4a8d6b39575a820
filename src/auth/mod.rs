//! Clouds, device-code sign-in, token refresh and the keyring-backed credential store.
//!
//! Entry points (all take an [`AuthEnv`], usually `AuthEnv::from_env()`):
//! - [`login`]: the whole device-code sign-in for `pcsr-tui login`, printing to a writer.
//!   A TUI drives the same steps itself: [`begin_login`], `pending.flow.start()`,
//!   `pending.flow.poll_until_done(..)`, `pending.finish(..)`.
//! - [`logout`], [`status`]: reports with `Display` (humans) and `Serialize` (`--json`).
//! - [`signed_in_provider`]: a service's signed-in profile's token provider, or `None` when
//!   signed out; [`SignedIn::customer_provider`] for a CSP customer's tenant.
//!
//! Services and clouds: Partner Center signs in for its API in global, germany and usgov;
//! Azure for ARM in global, usgov and china ([`Cloud::supports`], [`Cloud::scope`]). Each
//! service keeps its own saved sign-in (Azure one per cloud), side by side.
//!
//! Environment: `PCSR_CONFIG_DIR` (where config.toml lives), `PCSR_AUTHORITY_URL` (sign-in
//! authority override; http:// only on loopback), `PCSR_KEYRING=auto|secret-service|keyutils|none`
//! (`none`: nothing is read from or written to any keyring or file; a sign-in lasts only as long as
//! the process, which suits the TUI; scripts use `PCSR_TOKEN`).
//!
//! Only the refresh token is ever stored, and only in an OS keyring (service `pcsr-tui`, user
//! `cloud/tenant/upn` for Partner Center, `azure/cloud/tenant/upn` for Azure); access tokens stay in
//! memory. There is no plain-file fallback.

pub mod clock;
pub mod cloud;
pub mod device;
pub mod endpoint;
pub mod error;
pub mod jwt;
pub mod login_ui;
pub mod profiles;
pub mod refresh;
pub mod secrets;
pub mod sign_in;
pub mod token;

pub use clock::{Clock, SystemClock, VirtualClock};
pub use cloud::Cloud;
pub use device::{DeviceCodeFlow, DeviceCodePrompt, PollStatus};
pub use endpoint::OAuthEndpoint;
pub use error::AuthError;
pub use profiles::{Config, Profile};
pub use refresh::RefreshingTokenProvider;
pub use secrets::{KeyringChoice, SecretKey, SecretStore, StoreKind};
pub use sign_in::{
    AuthEnv, LoginOptions, LoginOutcome, LogoutReport, PendingLogin, SignedIn, StatusReport, begin_login,
    begin_login_for, login, logout, signed_in_provider, status, status_all,
};
pub use token::TokenSet;
