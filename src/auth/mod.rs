//! Clouds, device-code sign-in, token refresh and the keyring-backed credential store.

pub mod cloud;

pub use cloud::Cloud;

use crate::session::{Settings, SignedIn};

/// The signed-in profile to use for a session, if any (sign-in lands with the auth module).
pub fn signed_in_for_session(_settings: &Settings) -> anyhow::Result<Option<SignedIn>> {
    Ok(None)
}
