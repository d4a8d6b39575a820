//! Clouds, device-code sign-in, token refresh and the keyring-backed credential store.

pub mod clock;
pub mod cloud;
pub mod config;
pub mod device;
pub mod endpoint;
pub mod error;
pub mod jwt;
pub mod login_ui;
pub mod refresh;
pub mod secrets;
pub mod session;
pub mod token;

pub use clock::{Clock, SystemClock, VirtualClock};
pub use cloud::Cloud;
pub use config::{Config, Profile};
pub use device::{DeviceCodeFlow, DeviceCodePrompt, PollStatus};
pub use endpoint::OAuthEndpoint;
pub use error::AuthError;
pub use refresh::RefreshingTokenProvider;
pub use secrets::{KeyringChoice, SecretKey, SecretStore, StoreKind};
pub use session::{
    AuthEnv, LoginOptions, LoginOutcome, LogoutReport, PendingLogin, SignedIn, StatusReport, begin_login,
    login, logout, signed_in_provider, status,
};
pub use token::TokenSet;
