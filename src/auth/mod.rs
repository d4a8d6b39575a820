//! Clouds, device-code sign-in, token refresh and the keyring-backed credential store.

pub mod cloud;

pub use cloud::Cloud;
